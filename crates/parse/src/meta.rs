//! Title, year, organ, level, publication date and statistical period.

use nianbao_ingest::Document;
use nianbao_model::{Level, PartialDate};
use regex::Regex;
use std::sync::OnceLock;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid pattern"))
}

/// The report's title line: (document byte range, text).
pub fn find_title(doc: &Document) -> Option<(usize, usize, String)> {
    static TITLE: OnceLock<Regex> = OnceLock::new();
    let title = re(&TITLE, r"政府信息公开.{0,8}(年度报告|年报|工作报告|的报告)");
    let compact = |text: &str| -> String { text.chars().filter(|c| !c.is_whitespace()).collect() };
    let lines: Vec<&nianbao_ingest::Line> = doc
        .lines()
        .iter()
        .filter(|l| !doc.line_text(l).trim().is_empty())
        .take(60)
        .collect();
    lines.iter().enumerate().find_map(|(i, line)| {
        let one = compact(doc.line_text(line));
        // A title broken over two lines ("…政府信息公开" / "工作年度报告").
        let two = lines
            .get(i + 1)
            .map(|next| format!("{one}{}", compact(doc.line_text(next))));
        let (text, end) = if title.is_match(&one) {
            (one, line.end)
        } else {
            match two.filter(|t| one.contains("政府信息公开") && title.is_match(t)) {
                Some(t) => (t, lines[i + 1].end),
                None => return None,
            }
        };
        (text.chars().count() <= 70).then(|| {
            let text = text
                .trim_start_matches("标题:")
                .trim_start_matches("标题")
                .to_string();
            (line.start, end, text)
        })
    })
}

/// The year reported on, from the title ("2019年", "2020年度").
pub fn year_of_title(title: &str) -> Option<i32> {
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let caps = re(&YEAR, r"((?:19|20)\d{2})年").captures(title)?;
    caps[1].parse().ok()
}

/// The organ: the title's words before the year, else the line above the title.
pub fn organ(doc: &Document, title_start: usize, title: &str) -> Option<String> {
    static BEFORE_YEAR: OnceLock<Regex> = OnceLock::new();
    let before = re(&BEFORE_YEAR, r"^(?:关于)?(.*?)(?:关于)?(?:19|20)\d{2}年")
        .captures(title)
        .map(|c| c[1].to_string())
        .unwrap_or_default();
    static AFTER_YEAR: OnceLock<Regex> = OnceLock::new();
    // "2025年上海市人民政府办公厅政府信息公开工作年度报告": the organ follows the year.
    let after = re(
        &AFTER_YEAR,
        r"^(?:19|20)\d{2}年度?(.+?)(?:政府信息公开|信息公开)",
    )
    .captures(title)
    .map(|c| c[1].to_string())
    .filter(|o| o.chars().count() >= 4 && organ_suffix(o));
    let organ = if before.chars().count() >= 2 {
        before
    } else if let Some(after) = after {
        after
    } else {
        line_above(doc, title_start)?
    };
    Some(expand_place(doc, organ))
}

fn line_above(doc: &Document, start: usize) -> Option<String> {
    doc.lines()
        .iter()
        .rev()
        .filter(|l| l.end < start)
        .map(|l| doc.line_text(l).trim())
        .find(|t| !t.is_empty())
        .filter(|t| t.chars().count() <= 30 && organ_suffix(t))
        .map(|t| t.chars().filter(|c| !c.is_whitespace()).collect())
}

fn organ_suffix(text: &str) -> bool {
    [
        "政府",
        "局",
        "办公室",
        "办公厅",
        "委员会",
        "管委会",
        "委",
        "厅",
        "中心",
        "院",
        "街道办事处",
        "镇",
        "乡",
        "县",
        "区",
        "市",
    ]
    .iter()
    .any(|s| text.ends_with(s))
}

/// "平阴县" in a title stands for the organ the text calls "平阴县人民政府".
fn expand_place(doc: &Document, organ: String) -> String {
    let is_place = ["县", "区", "市", "旗", "州", "盟", "镇", "乡"]
        .iter()
        .any(|s| organ.ends_with(s));
    if !is_place {
        return organ;
    }
    let candidates = ["人民政府", "管委会", "管理委员会"];
    let best = candidates
        .iter()
        .map(|suffix| format!("{organ}{suffix}"))
        .max_by_key(|full| doc.text.matches(full.as_str()).count())
        .filter(|full| doc.text.contains(full.as_str()));
    best.unwrap_or(organ)
}

/// What kind of organ, from its name.
pub fn level_of(organ: &str) -> Option<Level> {
    if organ.is_empty() {
        return None;
    }
    if ["街道办事处", "镇人民政府", "乡人民政府", "街道"]
        .iter()
        .any(|s| organ.ends_with(s))
        || organ.ends_with('镇')
        || organ.ends_with('乡')
    {
        return Some(Level::Township);
    }
    let government = ["人民政府", "管委会", "管理委员会"]
        .iter()
        .any(|s| organ.ends_with(s));
    if !government {
        return Some(Level::Department);
    }
    let place = organ
        .trim_end_matches("人民政府")
        .trim_end_matches("管委会")
        .trim_end_matches("管理委员会");
    if place.ends_with('县') || place.ends_with('区') || place.ends_with('旗') {
        Some(Level::CountyGovernment)
    } else {
        Some(Level::CityGovernment)
    }
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
    for line in head {
        if let Some(caps) = field.captures(doc.line_text(line)) {
            if let Some(date) = date_from(&caps) {
                return Some((date, line.start, line.end));
            }
        }
    }
    let dated = |line: &&nianbao_ingest::Line| {
        let text = doc.line_text(line).trim();
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

pub fn stat_period(doc: &Document) -> Option<FoundPeriod> {
    static PHRASE: OnceLock<Regex> = OnceLock::new();
    static DATE: OnceLock<Regex> = OnceLock::new();
    let phrase = re(
        &PHRASE,
        r"统计(?:期限|期间|时限|时间)[^。;]{0,40}?(?:止|为止|。|;)",
    );
    // "自2025年1月1日至12月31日": a date without its year takes the year before it.
    let date = re(
        &DATE,
        r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日",
    );
    let found = phrase.find(&doc.text)?;
    let text = found.as_str().to_string();
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
        from: found.start(),
        to: found.end(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap()
    }

    #[test]
    fn title_year_and_organ() {
        let d = doc("兰陵县人民政府\n\n2019年政府信息公开工作年度报告\n");
        let (start, _, title) = find_title(&d).unwrap();
        assert_eq!(year_of_title(&title), Some(2019));
        assert_eq!(organ(&d, start, &title).as_deref(), Some("兰陵县人民政府"));
        let d = doc("平阴县2019年政府信息公开工作年度报告\n平阴县人民政府不断加强…\n");
        let (start, _, title) = find_title(&d).unwrap();
        assert_eq!(organ(&d, start, &title).as_deref(), Some("平阴县人民政府"));
        let d = doc("萝北县人民政府\n关于 2020 年度政府信息公开工作的报告\n");
        let (start, _, title) = find_title(&d).unwrap();
        assert_eq!(year_of_title(&title), Some(2020));
        assert_eq!(organ(&d, start, &title).as_deref(), Some("萝北县人民政府"));
    }

    #[test]
    fn a_title_broken_over_two_lines() {
        let d =
            doc("正文\n2025 年上海市人民政府办公厅政府信息公开\n工作年度报告\n本年度报告根据…\n");
        let (start, _, title) = find_title(&d).unwrap();
        assert_eq!(title, "2025年上海市人民政府办公厅政府信息公开工作年度报告");
        assert_eq!(year_of_title(&title), Some(2025));
        assert_eq!(
            organ(&d, start, &title).as_deref(),
            Some("上海市人民政府办公厅")
        );
    }

    #[test]
    fn levels() {
        assert_eq!(level_of("兰陵县人民政府"), Some(Level::CountyGovernment));
        assert_eq!(level_of("宁陵县人民政府办公室"), Some(Level::Department));
        assert_eq!(level_of("上海市人民政府"), Some(Level::CityGovernment));
        assert_eq!(level_of("沭阳县发展和改革局"), Some(Level::Department));
        assert_eq!(level_of("某某镇人民政府"), Some(Level::Township));
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
