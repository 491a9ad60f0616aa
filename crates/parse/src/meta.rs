//! Publication date and statistical period (identity is read by [`crate::identity`]).

use nianbao_ingest::Document;
use nianbao_model::PartialDate;
use regex::Regex;
use std::sync::OnceLock;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

fn chinese_number(text: &str) -> Option<u32> {
    let digit = |c: char| {
        "〇○零一二三四五六七八九".find(c).map(|_| match c {
            '〇' | '○' | '零' => 0,
            _ => {
                "一二三四五六七八九"
                    .chars()
                    .position(|d| d == c)
                    .unwrap_or(0) as u32
                    + 1
            }
        })
    };
    if let Ok(n) = text.parse() {
        return Some(n);
    }
    // 二十, 十二, 二十一, 十 …
    if let Some((tens, ones)) = text.split_once('十') {
        let tens = if tens.is_empty() {
            1
        } else {
            digit(tens.chars().next()?)?
        };
        let ones = if ones.is_empty() {
            0
        } else {
            digit(ones.chars().next()?)?
        };
        return Some(tens * 10 + ones);
    }
    // 二○一二 (digit by digit)
    text.chars()
        .try_fold(0u32, |acc, c| Some(acc * 10 + digit(c)?))
}

fn date_from(caps: &regex::Captures) -> Option<PartialDate> {
    let year = chinese_number(caps.name("y")?.as_str())? as i32;
    let month = caps.name("m").and_then(|m| chinese_number(m.as_str()));
    let day = caps.name("d").and_then(|d| chinese_number(d.as_str()));
    let valid = (1990..=2100).contains(&year)
        && month.is_none_or(|m| (1..=12).contains(&m))
        && day.is_none_or(|d| (1..=31).contains(&d));
    valid.then_some(PartialDate { year, month, day })
}

fn date_line_pattern() -> &'static Regex {
    static LINE: OnceLock<Regex> = OnceLock::new();
    re(
        &LINE,
        r"(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?$",
    )
}

/// A line that ends with a date ("2020年1月20日", "某县人民政府 2020年1月").
pub fn is_date_line(text: &str) -> bool {
    let text = text.trim();
    // Asked before captures are set up (an allocation each): most lines are no date.
    date_line_pattern().is_match(text)
        && date_line_pattern()
            .captures(text)
            .and_then(|c| date_from(&c))
            .is_some()
}

/// The publication date: a page header field (发布日期 …) first, then a date line at the
/// end (the signature), then a date line right under the title.
pub fn published(doc: &Document) -> Option<(PartialDate, usize, usize)> {
    static FIELD: OnceLock<Regex> = OnceLock::new();
    static LINE: OnceLock<Regex> = OnceLock::new();
    let field = re(
        &FIELD,
        r"(?:发布日期|发布时间|公开日期|成文日期|发文日期)\s*:?\s*(?P<y>\d{4})\s*[-年./]\s*(?P<m>\d{1,2})\s*[-月./]\s*(?P<d>\d{1,2})",
    );
    let line_date = re(
        &LINE,
        r"^(?P<y>\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,2})\s*月\s*(?:(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?$",
    );
    let lines = doc.lines();
    let head = lines.iter().take(40);
    for line in head.filter(|l| field.is_match(doc.line_text(l))) {
        if let Some(caps) = field.captures(doc.line_text(line)) {
            if let Some(date) = date_from(&caps) {
                return Some((date, line.start, line.end));
            }
        }
    }
    let dated = |line: &&nianbao_ingest::Line| {
        let text = doc.line_text(line).trim();
        if !line_date.is_match(text) {
            return None;
        }
        line_date
            .captures(text)
            .and_then(|c| date_from(&c))
            .map(|d| (d, line.start, line.end))
    };
    let non_empty: Vec<_> = lines
        .iter()
        .filter(|l| !doc.line_text(l).trim().is_empty())
        .collect();
    let tail = non_empty.iter().rev().take(12).find_map(dated);
    tail.or_else(|| non_empty.iter().take(12).find_map(dated))
}

/// The statistical period sentence and, when readable, its two dates.
pub struct FoundPeriod {
    pub text: String,
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    /// Byte range of the sentence in the document text.
    pub from: usize,
    pub to: usize,
}

/// Where the period sentence is: "统计" and 期限, 期间, 时限 or 时间, then up to 40
/// characters to the first 止, 。 or ";" (the regex
/// `统计(?:期限|期间|时限|时间)[^。;]{0,40}?(?:止|为止|。|;)`, searched by hand: a lazy DFA
/// for the counted characters was built again for every report's text, 1.5% of a batch).
fn period_phrase(text: &str) -> Option<(usize, usize)> {
    const MAX_BETWEEN: usize = 40;
    static TONGJI: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let tongji = TONGJI.get_or_init(|| memchr::memmem::Finder::new("统计"));
    tongji.find_iter(text.as_bytes()).find_map(|start| {
        let after_tongji = text.get(start + "统计".len()..)?;
        let keyword = ["期限", "期间", "时限", "时间"]
            .into_iter()
            .find(|k| after_tongji.starts_with(k))?;
        let from = start + "统计".len() + keyword.len();
        for (at, c) in text[from..].char_indices().take(MAX_BETWEEN + 1) {
            let end = match c {
                '止' | '。' | ';' => at + c.len_utf8(),
                // "为止" may start at the last place the 40 leave.
                '为' if text[from + at + c.len_utf8()..].starts_with('止') => {
                    at + c.len_utf8() + '止'.len_utf8()
                }
                _ => continue,
            };
            return Some((start, from + end));
        }
        None
    })
}

pub fn stat_period(doc: &Document) -> Option<FoundPeriod> {
    static DATE: OnceLock<Regex> = OnceLock::new();
    // "自2025年1月1日至12月31日": a date without its year takes the year before it.
    let date = re(
        &DATE,
        r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日",
    );
    let (from, to) = period_phrase(&doc.text)?;
    let text = doc.text[from..to].to_string();
    let mut year: Option<i32> = None;
    let mut dates = Vec::new();
    for caps in date.captures_iter(&text) {
        if let Some(y) = caps.name("y").and_then(|y| y.as_str().parse().ok()) {
            year = Some(y);
        }
        let (Some(y), Ok(m), Ok(d)) = (year, caps["m"].parse::<u32>(), caps["d"].parse::<u32>())
        else {
            continue;
        };
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            dates.push(PartialDate {
                year: y,
                month: Some(m),
                day: Some(d),
            });
        }
    }
    let (start, end) = match dates.as_slice() {
        [a, b, ..] => (Some(*a), Some(*b)),
        _ => (None, None),
    };
    Some(FoundPeriod {
        text,
        start,
        end,
        from,
        to,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap()
    }

    #[test]
    fn publication_dates() {
        let d = doc("标题\n发布日期: 2019-01-22\n正文\n");
        assert_eq!(published(&d).unwrap().0.to_string(), "2019-01-22");
        let d = doc("标题\n正文\n平阴县人民政府办公室\n 2020 年 2 月 14 日\n");
        assert_eq!(published(&d).unwrap().0.to_string(), "2020-02-14");
        let d = doc("标题\n\n办公室\n2020年1月\n目录\n正文\n");
        assert_eq!(published(&d).unwrap().0.to_string(), "2020-01");
        let d = doc("标题\n正文\n二○一二年二月二十日\n");
        assert_eq!(published(&d).unwrap().0.to_string(), "2012-02-20");
    }

    #[test]
    fn the_period_phrase_is_where_its_regex_finds_it() {
        let regex =
            Regex::new(r"统计(?:期限|期间|时限|时间)[^。;]{0,40}?(?:止|为止|。|;)").unwrap();
        let pieces = [
            "统计",
            "期限",
            "时间",
            "期",
            "为",
            "止",
            "。",
            ";",
            "年",
            "\n",
            "一二三四五六七八九十",
        ];
        crate::tests::assert_same_as_regex(
            &pieces,
            (20_000, 40, 1000),
            |text| regex.find(text).map(|m| (m.start(), m.end())),
            period_phrase,
        );
        // Exactly 40 characters between, then "为止" or a full stop; 41 are too many.
        let forty = "一二三四五六七八九十".repeat(4);
        for tail in ["为止", "。", "止"] {
            let text = format!("统计期限{forty}{tail}");
            assert_eq!(period_phrase(&text), Some((0, text.len())));
        }
        assert_eq!(period_phrase(&format!("统计期限{forty}一。")), None);
    }

    #[test]
    fn stat_period_readable_or_not() {
        let d = doc("本报告中所列数据的统计期限自2019年1月1日起至2019年12月31日止。");
        let found = stat_period(&d).unwrap();
        assert_eq!(found.start.unwrap().to_string(), "2019-01-01");
        assert_eq!(found.end.unwrap().to_string(), "2019-12-31");
        let d = doc("本年度报告中所列数据统计期限为 2025\n年 1 月 1 日至 12 月 31 日。");
        let found = stat_period(&d).unwrap();
        assert_eq!(found.end.unwrap().to_string(), "2025-12-31");
        let d = doc("本报告中所列数据的统计期限自201811日起至20181231日止。");
        assert_eq!(stat_period(&d).unwrap().start, None);
    }
}
