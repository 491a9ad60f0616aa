//! The places besides the title that name a report's organ or year: the lines next to a
//! title, the metadata block of a government site, the first sentence, the compiler line,
//! the 落款, the statistical period and the overview's sentences.

use super::name::{clean, is_breadcrumb, is_organ_name};
use super::title::{digit_year_len, year_in, Title};
use super::{Candidate, TopLine};
use crate::words::Words;
use nianbao_model::IdentitySource;
use regex::Regex;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::OnceLock;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

/// How far after the title the first sentence and the compiler line are looked for.
const OPENING_BYTES: usize = 3000;

/// A short organ line right above the title, then right below it (a cover page puts the
/// organ above; some pages print it under a title without it).
pub fn title_lines(lines: &[TopLine], title: &Title) -> Vec<Candidate> {
    let above = title.first.checked_sub(1);
    let below = Some(title.last + 1);
    [above, below]
        .into_iter()
        .flatten()
        .filter_map(|i| lines.get(i))
        .filter(|l| !is_breadcrumb(l.text))
        .filter_map(|l| {
            let name = clean(l.text);
            is_organ_name(&name)
                .then(|| Candidate::organ(IdentitySource::TitleLine, name, l.start, l.end))
        })
        .collect()
}

/// The metadata block: "发布机构: 某县人民政府", a title in "名称:"/"标题:" fields is read as
/// a title. Labels and values may be in one line or in the cells of one row. `lines` are
/// non-empty lines of `text`, in order.
pub fn metadata(text: &str, lines: &[TopLine]) -> Vec<Candidate> {
    field_values(text, lines)
        .filter_map(|(l, value)| {
            let name = clean(value);
            is_organ_name(&name)
                .then(|| Candidate::organ(IdentitySource::Metadata, name, l.start, l.end))
        })
        .take(2)
        .collect()
}

/// The names of a site's metadata fields that name the publishing organ, in the order they
/// are preferred where two start at one place (none do).
const FIELD_NAMES: [&str; 9] = [
    "发布机构",
    "发文机关",
    "发文单位",
    "发布单位",
    "信息来源",
    "文章来源",
    "来源",
    "公开主体",
    "所属机构",
];

/// The values of the organ's metadata fields in each of `lines` (non-empty lines of
/// `text`, trimmed, in order), with their line, as the regex
/// `(?:发布机构|…|所属机构)\s*[:：]?\s*([^\s:：|]{2,30})` captures them one after another in
/// each line (the field's name, white space, a colon maybe, white space, then two to
/// thirty chars that are none of these nor "|"). Matched by hand after an Aho-Corasick
/// search for the names (the regex's captures behind two word filters took 2% of a batch's
/// instructions). The names are searched in the lines' stretch of text at once, not line
/// by line: a search costs more to start than to run over a short line. A name holds no
/// white space, so a match lies inside one line's trimmed text, and its value is read
/// within that line.
fn field_values<'t, 'l>(
    text: &'t str,
    lines: &'l [TopLine<'t>],
) -> impl Iterator<Item = (&'l TopLine<'t>, &'t str)> {
    static NAMES: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build(FIELD_NAMES)
            .expect("the field names make a searcher")
    });
    let end = lines.last().map_or(0, |l| l.end).min(text.len());
    let mut from = lines.first().map_or(end, |l| l.start).min(end);
    let mut index = 0;
    std::iter::from_fn(move || {
        while let Some(name) = names.find(aho_corasick::Input::new(text).span(from..end)) {
            from = name.end();
            // Names are found in order: the line holding this one is at or after the last.
            while lines.get(index).is_some_and(|l| l.end < name.end()) {
                index += 1;
            }
            let line = lines.get(index)?;
            let raw = text.get(line.start..line.end)?;
            let text_start = line.start + (raw.len() - raw.trim_start().len());
            let Some(at) = name.end().checked_sub(text_start) else {
                continue;
            };
            if let Some(value) = field_value(line.text, at) {
                from = text_start + value.end;
                return Some((line, &line.text[value]));
            }
        }
        from = end;
        None
    })
}

/// Where the value of a field whose name ends at `at` is: past white space, a colon and
/// white space, up to thirty chars that are not white space, a colon or "|"; `None` when
/// there are fewer than two.
fn field_value(line: &str, at: usize) -> Option<Range<usize>> {
    let rest = line.get(at..)?;
    let after_space = rest.trim_start_matches(char::is_whitespace);
    let after_colon = after_space
        .strip_prefix([':', '：'])
        .unwrap_or(after_space)
        .trim_start_matches(char::is_whitespace);
    let start = line.len() - after_colon.len();
    let mut end = start;
    let mut chars = 0;
    for c in after_colon.chars().take(30) {
        if c.is_whitespace() || matches!(c, ':' | '：' | '|') {
            break;
        }
        end += c.len_utf8();
        chars += 1;
    }
    (chars >= 2).then_some(start..end)
}

/// "现公布某县2022年政府信息公开工作年度报告", "特编制本机关2022年度…": organ and year.
pub fn first_sentence(text: &str, from: usize) -> Vec<Candidate> {
    let window = opening_window(text, from);
    let Some((organ, year)) = opening_sentence(window) else {
        return Vec::new();
    };
    let mut found = vec![Candidate::year(
        IdentitySource::FirstSentence,
        &window[year.clone()],
        from + year.start,
        from + year.end,
    )];
    if is_organ_name(&window[organ.clone()]) {
        found.push(Candidate::organ(
            IdentitySource::FirstSentence,
            window[organ.clone()].into(),
            from + organ.start,
            from + organ.end,
        ));
    }
    found
}

/// The opening sentence's organ and year in `window`, as the regex
/// `(?:公布|发布|印发|编制|形成)了?[《“]?(?P<organ>[^，。,;；《》“”\s]{0,30}?)(?P<year>(?:19|20)\d{2})\s*年度?(?:政府)?信息公开`
/// captures them (`\d` an ASCII or full-width digit), matched by hand: the regex scanned
/// the opening 3,000 bytes of every report, twice a batch, with lazy DFAs whose tables the
/// rest of parsing pushes out of the caches (about 3% of a batch's time by perf).
fn opening_sentence(window: &str) -> Option<(Range<usize>, Range<usize>)> {
    let stops = |c: char| "，。,;；《》“”".contains(c) || c.is_whitespace();
    static VERBS: Words = Words::new(&["公布", "发布", "印发", "编制", "形成"]);
    VERBS.starts_in(window).into_iter().find_map(|verb| {
        // 了 and 《 or “ are taken when there: an organ may not hold 《, and one that
        // starts with 了 has a character less to reach the year.
        let mut at = verb + "公布".len();
        at += window[at..]
            .strip_prefix('了')
            .map_or(0, |_| '了'.len_utf8());
        at += window[at..]
            .chars()
            .next()
            .filter(|c| matches!(c, '《' | '“'))
            .map_or(0, char::len_utf8);
        let (organ_end, year_len) = shortest_run(window, at, 0..=30, stops, year_of_phrase)?;
        Some((at..organ_end, organ_end..organ_end + year_len))
    })
}

/// The shortest run of `lengths` characters from `start`, none of them `stops`, after
/// which `follows` reads something: the run's end and what it read (a lazy `[^…]{m,n}?`
/// and what comes after it).
fn shortest_run<T>(
    window: &str,
    start: usize,
    lengths: std::ops::RangeInclusive<usize>,
    stops: impl Fn(char) -> bool,
    follows: impl Fn(&str) -> Option<T>,
) -> Option<(usize, T)> {
    let mut at = start;
    for length in 0..=*lengths.end() {
        if length >= *lengths.start() {
            if let Some(read) = follows(&window[at..]) {
                return Some((at, read));
            }
        }
        let c = window[at..]
            .chars()
            .next()
            .filter(|&c| length < *lengths.end() && !stops(c))?;
        at += c.len_utf8();
    }
    None
}

/// The length of the year that opens `text` when "年" (or "年度"), maybe "政府", and
/// "信息公开" follow it ("2022 年度政府信息公开").
fn year_of_phrase(text: &str) -> Option<usize> {
    let year_len = digit_year_len(text)?;
    let after = text[year_len..].trim_start_matches(char::is_whitespace);
    let after = after.strip_prefix('年')?;
    let after = after.strip_prefix('度').unwrap_or(after);
    let after = after.strip_prefix("政府").unwrap_or(after);
    after.starts_with("信息公开").then_some(year_len)
}

/// "本报告由某县人民政府办公室编制": who compiled the report (often the government's office,
/// which is not the organ the report is about).
pub fn compiler(text: &str, from: usize) -> Option<Candidate> {
    let window = opening_window(text, from);
    let organ = compiler_organ(window).or_else(|| compiler_after_clause(window))?;
    is_organ_name(&window[organ.clone()]).then(|| {
        Candidate::organ(
            IdentitySource::Compiler,
            window[organ.clone()].into(),
            from + organ.start,
            from + organ.end,
        )
    })
}

/// The compiler's name in `window`, as the regex
/// `报告[^，。,]{0,6}?由(?P<organ>[^，。,;；\s(（]{2,30}?)(?:负责)?(?:根据|依据|按照|编制|编写|撰写|起草)`
/// captures it, matched by hand (see `opening_sentence`).
fn compiler_organ(window: &str) -> Option<Range<usize>> {
    static REPORT: Words = Words::new(&["报告"]);
    REPORT.starts_in(window).into_iter().find_map(|report| {
        let mut at = report + "报告".len();
        for skipped in 0..=6 {
            let c = window[at..].chars().next()?;
            if c == '由' {
                if let Some(organ) = organ_before_verb(window, at + '由'.len_utf8()) {
                    return Some(organ);
                }
            }
            if skipped == 6 || matches!(c, '，' | '。' | ',') {
                break;
            }
            at += c.len_utf8();
        }
        None
    })
}

/// The most characters between 报告 and the clause ", 由…编制" that ends its sentence.
const MAX_CLAUSE_CHARS: usize = 80;

/// The compiler's name in `window` when a clause comes first ("本报告根据《条例》要求，由某县
/// 人民政府办公室编制"), as the regex
/// `报告[^。]{0,80}?[，,]由(?P<organ>[^，。,;；\s(（]{2,30}?)(?:负责)?(?:根据|依据|按照|编制|编写|撰写|起草)`
/// captures it, matched by hand (see `opening_sentence`).
fn compiler_after_clause(window: &str) -> Option<Range<usize>> {
    // Most openings have no "，由" at all: they are not walked.
    let bytes = window.as_bytes();
    if memchr::memmem::find(bytes, "，由".as_bytes()).is_none()
        && memchr::memmem::find(bytes, ",由".as_bytes()).is_none()
    {
        return None;
    }
    static REPORT: Words = Words::new(&["报告"]);
    REPORT.starts_in(window).into_iter().find_map(|report| {
        let after = report + "报告".len();
        let mut comma_before = false;
        // The clause's characters, then the comma and 由.
        for (k, c) in window[after..].char_indices().take(MAX_CLAUSE_CHARS + 2) {
            if c == '。' {
                return None;
            }
            if c == '由' && comma_before {
                if let Some(organ) = organ_before_verb(window, after + k + '由'.len_utf8()) {
                    return Some(organ);
                }
            }
            comma_before = matches!(c, '，' | ',');
        }
        None
    })
}

/// From `start`, a name of 2 to 30 characters, then (负责) a verb of compiling.
fn organ_before_verb(window: &str, start: usize) -> Option<Range<usize>> {
    const VERBS: [&str; 7] = ["根据", "依据", "按照", "编制", "编写", "撰写", "起草"];
    let stops = |c: char| "，。,;；(（".contains(c) || c.is_whitespace();
    let verb_follows = |text: &str| {
        let after_duty = text.strip_prefix("负责");
        VERBS
            .iter()
            .any(|v| text.starts_with(v) || after_duty.is_some_and(|rest| rest.starts_with(v)))
            .then_some(())
    };
    let (end, ()) = shortest_run(window, start, 2..=30, stops, verb_follows)?;
    Some(start..end)
}

fn opening_window(text: &str, from: usize) -> &str {
    let mut end = (from + OPENING_BYTES).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(from..end).unwrap_or("")
}

/// The 落款: an organ line over the date at the end, or both on one line. In `recognised`
/// text, the date may be misread past reading (`misread_date`).
pub fn signature(tail: &[TopLine], recognised: bool) -> Option<Candidate> {
    static SAME_LINE: OnceLock<Regex> = OnceLock::new();
    let same_line = re(
        &SAME_LINE,
        r"^(?P<organ>\S{2,30}?)\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*\S{1,2}\s*月(?:\s*\S{1,3}\s*日)?$",
    );
    // The date is the last dated line; the organ right above it.
    let dated = tail
        .iter()
        .rposition(|l| crate::meta::is_date_line(l.text) || recognised && misread_date(l.text))?;
    if let Some(c) = same_line.captures(tail[dated].text.trim()) {
        let name = clean(&c["organ"]);
        if is_organ_name(&name) {
            let l = &tail[dated];
            return Some(Candidate::organ(
                IdentitySource::Signature,
                name,
                l.start,
                l.end,
            ));
        }
    }
    let above = tail.get(dated.checked_sub(1)?)?;
    let name = clean(above.text);
    is_organ_name(&name)
        .then(|| Candidate::organ(IdentitySource::Signature, name, above.start, above.end))
}

/// A date line as OCR may misread it: a year, then only letters and digits, as long as a
/// date ("2020年1月14日" read as "202041A1148": its 年, 月 and 日 are small beside the
/// digits, and the English model takes them for Latin letters).
fn misread_date(text: &str) -> bool {
    let text = text.trim();
    let chars = text.chars().count();
    digit_year_len(text).is_some()
        && (8..=14).contains(&chars)
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '年' | '月' | '日' | ' '))
}

/// The year a statistical period covers when it is one whole year's dates.
pub fn stat_period(period: Option<&crate::meta::FoundPeriod>) -> Option<Candidate> {
    let period = period?;
    let (start, end) = (period.start?, period.end?);
    (start.year == end.year).then(|| {
        Candidate::year(
            IdentitySource::StatPeriod,
            &start.year.to_string(),
            period.from,
            period.to,
        )
    })
}

/// The year the overview opens its sentences with ("2021年，我县…"): when at least two
/// lines open with a year and two thirds of them with the same.
pub fn overview(lines: &[TopLine<'_>]) -> Option<Candidate> {
    static OPENS: OnceLock<Regex> = OnceLock::new();
    let opens = re(&OPENS, r"^\s*((?:19|20)\d{2})\s*年度?\s*[，,]");
    let mut years: BTreeMap<i32, (usize, &TopLine<'_>)> = BTreeMap::new();
    let mut total = 0;
    for line in lines {
        // Only a line opening with a year can match: most lines are not asked.
        if !line.text.trim_start().starts_with(['1', '2']) {
            continue;
        }
        if let Some(year) = opens
            .captures(line.text)
            .and_then(|c| year_in(&format!("{}年", &c[1])))
        {
            total += 1;
            years.entry(year).or_insert((0, line)).0 += 1;
        }
    }
    let (year, (count, line)) = years.into_iter().max_by_key(|(_, (n, _))| *n)?;
    (count >= 2 && count * 3 >= total * 2).then(|| {
        Candidate::year(
            IdentitySource::Overview,
            &year.to_string(),
            line.start,
            line.end,
        )
    })
}

/// "某市教育委员会（以下简称市教委）": the short names the report gives itself.
pub fn short_names(text: &str) -> Vec<String> {
    static SHORT: OnceLock<Regex> = OnceLock::new();
    let short = re(
        &SHORT,
        r#"以下简称[:：]?[“"「]?([^”"」)）,，。、\s]{2,12})"#,
    );
    short
        .captures_iter(text)
        .map(|c| c[1].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::top_lines;

    #[test]
    fn the_opening_sentence_is_read_as_its_regex_reads_it() {
        let regex = Regex::new(r"(?:公布|发布|印发|编制|形成)了?[《“]?(?P<organ>[^，。,;；《》“”\s]{0,30}?)(?P<year>(?:19|20)\d{2})\s*年度?(?:政府)?信息公开").unwrap();
        let pieces = [
            "公布",
            "发布",
            "印发",
            "编制",
            "形成",
            "了",
            "《",
            "“",
            "某县",
            "人民政府",
            "20",
            "19",
            "2",
            "1",
            "0",
            "２",
            " ",
            "年",
            "年度",
            "度",
            "政府",
            "信息公开",
            "，",
            "。",
            "印",
            "布",
            "2022年政府信息公开",
            "2019年度信息公开",
            "2021 年信息公开",
        ];
        crate::tests::assert_same_as_regex(
            &pieces,
            (30_000, 48, 1000),
            |text| {
                let c = regex.captures(text)?;
                Some((c["organ"].to_string(), c.name("year")?.range()))
            },
            |text| opening_sentence(text).map(|(organ, year)| (text[organ].to_string(), year)),
        );
    }

    #[test]
    fn metadata_fields_are_read_as_their_regex_reads_them() {
        let names = FIELD_NAMES.join("|");
        let regex = Regex::new(&format!(r"(?:{names})\s*[:：]?\s*([^\s:：|]{{2,30}})")).unwrap();
        // The names, their parts, separators and values short and long, and line breaks:
        // a name at a line's end must not take the next line's text as its value.
        let others = [
            "发布",
            "机构",
            "来",
            "源",
            "信息",
            "主体",
            ":",
            "：",
            " ",
            "\u{3000}",
            "\t",
            "|",
            "\n",
            "\n",
            "某县人民政府",
            "办公室",
            "某",
            "a",
            "1",
            "一二三四五六七八九十一二三四五六七八九十",
        ];
        let pieces: Vec<&str> = FIELD_NAMES.iter().chain(&others).copied().collect();
        crate::tests::assert_same_as_regex(
            &pieces,
            (30_000, 24, 2000),
            |text| {
                // The regex asked of each non-empty line, trimmed, as identity reads lines.
                let values: Vec<String> = text
                    .split('\n')
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .flat_map(|l| regex.captures_iter(l).map(|c| c[1].to_string()))
                    .collect();
                (!values.is_empty()).then_some(values)
            },
            |text| {
                let lines: Vec<TopLine> = nianbao_ingest::line_ranges(text)
                    .map(|(start, end, _)| TopLine {
                        text: text[start..end].trim(),
                        start,
                        end,
                    })
                    .filter(|l| !l.text.is_empty())
                    .collect();
                let values: Vec<String> = field_values(text, &lines)
                    .map(|(_, v)| v.to_string())
                    .collect();
                (!values.is_empty()).then_some(values)
            },
        );
    }

    #[test]
    fn the_compiler_after_a_clause_is_read_as_its_regex_reads_it() {
        let regex = Regex::new(r"报告[^。]{0,80}?[，,]由(?P<organ>[^，。,;；\s(（]{2,30}?)(?:负责)?(?:根据|依据|按照|编制|编写|撰写|起草)").unwrap();
        let pieces = [
            "报告",
            "报告",
            "根据《条例》要求",
            "和政府信息公开工作年度报告格式的要求",
            "，由",
            "，由某县人民政府办公室编制",
            "由",
            "某县",
            "人民政府",
            "办公室",
            "负责",
            "编制",
            "，",
            ",",
            "。",
            " ",
            "\n",
            "(",
            "政府",
        ];
        crate::tests::assert_same_as_regex(
            &pieces,
            (30_000, 30, 1000),
            |text| Some(regex.captures(text)?.name("organ")?.range()),
            compiler_after_clause,
        );
        // At most 80 characters of the clause.
        for (clause, found) in [(80, true), (81, false)] {
            let window = format!("报告{}，由某县人民政府办公室编制", "要".repeat(clause));
            assert_eq!(compiler_after_clause(&window).is_some(), found, "{clause}");
        }
        let window =
            "本报告根据《中华人民共和国政府信息公开条例》要求，由平潭综合实验区管委会编制。";
        let organ = compiler_after_clause(window).expect("a compiler");
        assert_eq!(&window[organ], "平潭综合实验区管委会");
    }

    #[test]
    fn a_recognised_signature_over_a_misread_date_is_read() {
        let tail = top_lines(&["三是加强业务培训。", "兰陵县人民政府", "202041A1148"]);
        let organ = signature(&tail, true).expect("a signature");
        assert_eq!(organ.value, "兰陵县人民政府");
        assert!(signature(&tail, false).is_none());
        // No year, too short, or words: no date.
        for last in ["A1148202041", "2020A1", "2020年工作计划如下"] {
            let tail = top_lines(&["兰陵县人民政府", last]);
            assert!(signature(&tail, true).is_none(), "{last}");
        }
    }

    #[test]
    fn the_compiler_is_read_as_its_regex_reads_it() {
        let regex = Regex::new(r"报告[^，。,]{0,6}?由(?P<organ>[^，。,;；\s(（]{2,30}?)(?:负责)?(?:根据|依据|按照|编制|编写|撰写|起草)").unwrap();
        let pieces = [
            "报告",
            "本",
            "由",
            "某县",
            "人民政府",
            "办公室",
            "负责",
            "编制",
            "根据",
            "起草",
            "，",
            "。",
            " ",
            "(",
            "一二三",
            "政府",
            "负",
        ];
        crate::tests::assert_same_as_regex(
            &pieces,
            (30_000, 48, 1000),
            |text| Some(regex.captures(text)?.name("organ")?.range()),
            compiler_organ,
        );
    }
}
