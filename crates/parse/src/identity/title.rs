//! The title: one line, or split over up to three ("某市人民政府2016年" / "政府信息公开工作
//! 年度报告"), never a breadcrumb or a sentence; and the organ and year it names.

use super::name::{clean, is_breadcrumb, is_organ_name, is_place};
use super::TopLine;
use regex::Regex;
use std::sync::OnceLock;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

/// The title's phrase: 信息公开, then at most eight characters of the line, then 年度报告,
/// 年报, 工作报告 or 的报告 (the regex `信息公开.{0,8}(?:年度报告|年报|工作报告|的报告)`,
/// matched by hand: its lazy DFA for the eight characters was cold at every report).
fn has_title_phrase(text: &str) -> bool {
    const ENDINGS: [&str; 4] = ["年度报告", "年报", "工作报告", "的报告"];
    static PHRASE: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let phrase = PHRASE.get_or_init(|| memchr::memmem::Finder::new("信息公开"));
    phrase.find_iter(text.as_bytes()).any(|at| {
        let after = &text[at + "信息公开".len()..];
        let skips = after.char_indices().map(|(k, _)| k).chain([after.len()]);
        skips
            .take(9)
            .take_while(|&k| !after[..k].contains('\n'))
            .any(|k| ENDINGS.iter().any(|e| after[k..].starts_with(e)))
    })
}

/// A line ending with its year: the first line of a title split after the year
/// (`(?:19|20)\d{2}年度?$|[〇○零一二三四五六七八九]{4}年度?$`).
fn ends_with_year(text: &str) -> bool {
    let text = text.strip_suffix('度').unwrap_or(text);
    let Some(before) = text.strip_suffix('年') else {
        return false;
    };
    before
        .char_indices()
        .rev()
        .nth(3)
        .is_some_and(|(start, _)| year_len(&before[start..]) == Some(before.len() - start))
}

/// The length in bytes of the year `text` opens with: 19 or 20 and two digits (ASCII or
/// full-width, as the regexes' `\d` these replace), or four Chinese numerals ("二〇一九").
/// Years are matched by hand, not by regexes: identity asks for them in many lines of
/// every report, and a regex's lazy DFA is out of the caches each time.
pub(super) fn year_len(text: &str) -> Option<usize> {
    digit_year_len(text).or_else(|| {
        let numerals: Vec<(usize, char)> = text
            .char_indices()
            .take(4)
            .take_while(|&(_, c)| is_numeral(c))
            .collect();
        match numerals[..] {
            [_, _, _, (at, c)] => Some(at + c.len_utf8()),
            _ => None,
        }
    })
}

/// The length of a year of digits `text` opens with ("2019").
pub(super) fn digit_year_len(text: &str) -> Option<usize> {
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let rest = text
        .strip_prefix("19")
        .or_else(|| text.strip_prefix("20"))?;
    let mut digits = rest.char_indices().take(2);
    match (digits.next(), digits.next()) {
        (Some((_, a)), Some((second, b))) if is_digit(a) && is_digit(b) => {
            Some(2 + second + b.len_utf8())
        }
        _ => None,
    }
}

fn is_numeral(c: char) -> bool {
    "〇○零一二三四五六七八九".contains(c)
}

/// Longer lines are paragraphs (a 70-character title spaced out stays well below).
const MAX_TITLE_LINE_BYTES: usize = 400;

/// The title, where it is in the document, and which of the top lines it spans.
pub struct Title {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub first: usize,
    pub last: usize,
    year: Option<i32>,
    organ: Option<String>,
}

impl Title {
    /// A title's text read for its year and organ (once: a title is scored by them, then
    /// they are its identity's first readings).
    fn new(text: String, start: usize, end: usize, first: usize, last: usize) -> Title {
        Title {
            year: year_in(&text),
            organ: organ_in(&text),
            text,
            start,
            end,
            first,
            last,
        }
    }

    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// The organ the title names: before its year, after it, or before "政府信息公开".
    pub fn organ(&self) -> Option<String> {
        self.organ.clone()
    }
}

/// A title-like text is one: the pattern, no sentence punctuation, not too long.
fn is_title(text: &str) -> bool {
    has_title_phrase(text)
        && text.chars().count() <= 70
        && !text.contains(['，', ',', '。', ';', '；'])
}

/// The top lines cleaned (see `clean`), each on first use: a title is usually found in
/// the first few.
struct Cleaned<'a> {
    lines: &'a [TopLine<'a>],
    recognised: bool,
    texts: Vec<std::cell::OnceCell<String>>,
    usable: Vec<std::cell::OnceCell<bool>>,
    titled: Vec<std::cell::OnceCell<bool>>,
}

impl<'a> Cleaned<'a> {
    fn new(lines: &'a [TopLine<'a>], recognised: bool) -> Cleaned<'a> {
        Cleaned {
            lines,
            recognised,
            texts: vec![std::cell::OnceCell::new(); lines.len()],
            usable: vec![std::cell::OnceCell::new(); lines.len()],
            titled: vec![std::cell::OnceCell::new(); lines.len()],
        }
    }

    fn len(&self) -> usize {
        self.lines.len()
    }

    /// Line `i` cleaned; a line too long to be a title, even spaced out, is a paragraph:
    /// empty. In recognised text, a line ending "…年度报" ends "…年度报告": a long title
    /// wraps its last character onto a line of its own, which OCR reads worst of all (as
    /// "Ea").
    fn get(&self, i: usize) -> &str {
        self.texts[i].get_or_init(|| match self.lines[i].text.len() <= MAX_TITLE_LINE_BYTES {
            true => {
                let mut text = clean(self.lines[i].text);
                if self.recognised && text.ends_with("年度报") {
                    text.push('告');
                }
                text
            }
            false => String::new(),
        })
    }

    /// Whether line `i` alone is a title (asked of a line by each title that may start
    /// at it or above it).
    fn is_title(&self, i: usize) -> bool {
        *self.titled[i].get_or_init(|| is_title(self.get(i)))
    }

    fn usable(&self, i: usize) -> bool {
        i < self.len()
            && *self.usable[i]
                .get_or_init(|| !self.get(i).is_empty() && !is_breadcrumb(self.lines[i].text))
    }
}

/// The best title among the top lines: one with a year beats one without, one naming its
/// organ beats one that does not, the earlier beats the later.
pub fn find(lines: &[TopLine], recognised: bool) -> Option<Title> {
    let texts = Cleaned::new(lines, recognised);
    // A title holds 信息公开 in its lines (at most three, see `core_end`), and cleaning only
    // removes chars: a line with no 信 in it or the two below starts no title.
    static XIN: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let xin = XIN.get_or_init(|| memchr::memmem::Finder::new("信"));
    let has_xin: Vec<bool> = lines
        .iter()
        .map(|l| xin.find(l.text.as_bytes()).is_some())
        .collect();
    let may_start = |i: usize| has_xin[i..(i + 3).min(lines.len())].contains(&true);
    let mut best: Option<(u8, Title)> = None;
    for i in (0..lines.len()).filter(|&i| may_start(i) && texts.usable(i)) {
        let Some(last) = core_end(&texts, i) else {
            continue;
        };
        let first = extend_back(&texts, i);
        let text: String = (first..=last).map(|k| texts.get(k)).collect();
        let title = Title::new(text, lines[first].start, lines[last].end, first, last);
        let score = 2 * title.year().is_some() as u8 + title.organ().is_some() as u8;
        if best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, title));
        }
        if score == 3 {
            break;
        }
    }
    best.map(|(_, t)| t)
}

/// The last line of a title that starts at line `i`: `i` itself, or the line that
/// completes the phrase when neither alone holds it ("…政府信息公开" / "工作年度报告").
fn core_end(texts: &Cleaned, i: usize) -> Option<usize> {
    if texts.is_title(i) {
        return Some(i);
    }
    let mut joined = texts.get(i).to_string();
    for j in (i + 1..texts.len()).take(2) {
        if !texts.usable(j) || texts.is_title(j) {
            return None;
        }
        joined.push_str(texts.get(j));
        if is_title(&joined) {
            return Some(j);
        }
    }
    None
}

/// The first line of a title whose phrase starts at line `i`: the line above when it ends
/// with the year ("某市人民政府2016年"), and the one above that when it names the organ of
/// a line holding only the year.
fn extend_back(texts: &Cleaned, i: usize) -> usize {
    let mut first = i;
    if first > 0
        && texts.usable(first - 1)
        && ends_with_year(texts.get(first - 1))
        && texts.get(first - 1).chars().count() <= 30
    {
        first -= 1;
        let only_year =
            year_in(texts.get(first)).is_some() && texts.get(first).chars().count() <= 6;
        if only_year && first > 0 && texts.usable(first - 1) && is_organ_name(texts.get(first - 1))
        {
            first -= 1;
        }
    }
    first
}

/// The year a text names ("2019年", "2020年度", "二〇一九年").
pub fn year_in(text: &str) -> Option<i32> {
    let digits = first_year(text)?;
    digits.parse().ok().or_else(|| {
        let value = digits.chars().try_fold(0i32, |acc, c| {
            let d = "〇一二三四五六七八九"
                .chars()
                .position(|x| x == c)
                .or(match c {
                    '○' | '零' => Some(0),
                    _ => None,
                })?;
            Some(acc * 10 + d as i32)
        })?;
        (1990..=2100).contains(&value).then_some(value)
    })
}

/// The first year followed by 年 in `text` (`((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年`):
/// the year's text.
fn first_year(text: &str) -> Option<&str> {
    text.char_indices()
        .filter(|&(_, c)| matches!(c, '1' | '2') || is_numeral(c))
        .find_map(|(at, _)| {
            let len = year_len(&text[at..])?;
            let after = text[at + len..].trim_start_matches(char::is_whitespace);
            after.starts_with('年').then(|| &text[at..at + len])
        })
}

fn organ_in(title: &str) -> Option<String> {
    static BEFORE_YEAR: OnceLock<Regex> = OnceLock::new();
    static AFTER_YEAR: OnceLock<Regex> = OnceLock::new();
    static NO_YEAR: OnceLock<Regex> = OnceLock::new();
    let year = r"(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})年度?";
    let before = re(&BEFORE_YEAR, &format!(r"^(?:关于)?(.*?)(?:关于)?{year}"));
    let after = re(
        &AFTER_YEAR,
        &format!(r"^(?:关于)?{year}(.+?)(?:政府)?信息公开"),
    );
    let no_year = re(&NO_YEAR, r"^(?:关于)?(.+?)(?:关于)?(?:政府)?信息公开");
    let fits = |o: &str| o.chars().count() >= 2 && (is_organ_name(o) || is_place(o));
    if let Some(c) = before.captures(title) {
        let organ = c[1].to_string();
        return fits(&organ).then_some(organ).or_else(|| {
            after
                .captures(title)
                .map(|c| c[1].to_string())
                .filter(|o| fits(o))
        });
    }
    no_year
        .captures(title)
        .map(|c| c[1].to_string())
        .filter(|o| fits(o))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::top_lines;

    #[test]
    fn years_are_found_where_their_regexes_find_them() {
        let first = Regex::new(r"((?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})\s*年").unwrap();
        let at_end =
            Regex::new(r"(?:19|20)\d{2}年度?$|[〇○零一二三四五六七八九]{4}年度?$").unwrap();
        let pieces = [
            "19",
            "20",
            "2",
            "1",
            "9",
            "0",
            "２",
            "二",
            "〇",
            "○",
            "零",
            "一",
            "九",
            "年",
            "度",
            " ",
            "某县",
            "2019",
            "二〇一九",
            "\n",
        ];
        crate::tests::assert_same_as_regex(
            &pieces,
            (100_000, 10, 1000),
            |text| first.captures(text).map(|c| c[1].to_string()),
            |text| first_year(text).map(str::to_string),
        );
        crate::tests::assert_same_as_regex(
            &pieces,
            (100_000, 10, 500),
            |text| at_end.is_match(text).then_some(()),
            |text| ends_with_year(text).then_some(()),
        );
    }

    #[test]
    fn the_title_phrase_is_where_its_regex_finds_it() {
        let regex = Regex::new(r"信息公开.{0,8}(?:年度报告|年报|工作报告|的报告)").unwrap();
        let pieces = [
            "信息公开",
            "年度报告",
            "年报",
            "工作报告",
            "的报告",
            "报告",
            "年度",
            "的",
            "工作",
            "\n",
            "2022",
            "政府",
            "某",
            "信息",
        ];
        crate::tests::assert_same_as_regex(
            &pieces,
            (30_000, 12, 1000),
            |text| regex.is_match(text).then_some(()),
            |text| has_title_phrase(text).then_some(()),
        );
        // Eight characters between, not nine; not over a line break.
        assert!(has_title_phrase("信息公开一二三四五六七八年报"));
        assert!(!has_title_phrase("信息公开一二三四五六七八九年报"));
        assert!(!has_title_phrase("信息公开\n年报"));
    }

    fn title(lines: &[&str]) -> (String, Option<i32>, Option<String>) {
        let t = find(&top_lines(lines), false).expect("a title");
        (t.text.clone(), t.year(), t.organ())
    }

    #[test]
    fn one_line() {
        let (text, year, organ) = title(&["平阴县2019年政府信息公开工作年度报告", "正文"]);
        assert_eq!(text, "平阴县2019年政府信息公开工作年度报告");
        assert_eq!((year, organ.as_deref()), (Some(2019), Some("平阴县")));
        let (_, year, organ) = title(&["2025年上海市人民政府办公厅政府信息公开工作年度报告"]);
        assert_eq!(
            (year, organ.as_deref()),
            (Some(2025), Some("上海市人民政府办公厅"))
        );
        let (_, year, organ) = title(&["关于 2020 年度政府信息公开工作的报告"]);
        assert_eq!((year, organ), (Some(2020), None));
        let (_, year, _) = title(&["某县二〇一九年政府信息公开工作年度报告"]);
        assert_eq!(year, Some(2019));
    }

    #[test]
    fn a_recognised_title_that_lost_its_last_character_is_one() {
        // OCR read the wrapped 告 alone on its line as Latin letters.
        let lines = top_lines(&[
            "宁陵县人民政府办公室2021年政府信息公开工作年度报",
            "Ea",
            "本报告根据《条例》编制。",
        ]);
        let t = find(&lines, true).expect("a title");
        assert_eq!(t.organ().as_deref(), Some("宁陵县人民政府办公室"));
        assert_eq!(t.year(), Some(2021));
        // Typed text is not mended.
        assert!(find(&lines, false).is_none());
    }

    #[test]
    fn split_after_the_year() {
        let (text, year, organ) =
            title(&["某市人民政府2016年", "政府信息公开工作年度报告", "正文"]);
        assert_eq!(text, "某市人民政府2016年政府信息公开工作年度报告");
        assert_eq!((year, organ.as_deref()), (Some(2016), Some("某市人民政府")));
        let (_, year, organ) = title(&["某市某区人民政府", "2016年", "政府信息公开工作年度报告"]);
        assert_eq!(
            (year, organ.as_deref()),
            (Some(2016), Some("某市某区人民政府"))
        );
    }

    #[test]
    fn split_inside_the_phrase() {
        let (text, _, organ) = title(&["2025 年上海市人民政府办公厅政府信息公开", "工作年度报告"]);
        assert_eq!(text, "2025年上海市人民政府办公厅政府信息公开工作年度报告");
        assert_eq!(organ.as_deref(), Some("上海市人民政府办公厅"));
    }

    #[test]
    fn a_page_header_is_not_glued_on() {
        let (text, _, organ) = title(&["政府信息公开", "某市某区2016年政府信息公开工作年度报告"]);
        assert_eq!(text, "某市某区2016年政府信息公开工作年度报告");
        assert_eq!(organ.as_deref(), Some("某市某区"));
    }

    #[test]
    fn breadcrumbs_columns_and_sentences_are_not_titles() {
        let (text, _, _) = title(&[
            "当前位置: 网站首页 -> 政务公开 -> 政府信息公开年报",
            "政府信息公开年报",
            "# 某县2022年政府信息公开工作年度报告",
            "现公布某县2022年政府信息公开工作年度报告，如有疑问请联系。",
        ]);
        assert_eq!(text, "某县2022年政府信息公开工作年度报告");
    }
}
