//! Numbering of a report's narrative: its headings (一、 二、 三、 …) and its enumerations
//! (一是 … 二是 … 三是 …), the `heading_numbers` and `enumeration` rule kinds.

use crate::lines::JoinedLines;
use nianbao_model::{Report, SectionId, SourceSpan};

/// A numbered item found in the narrative: its number, as printed, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub number: u32,
    pub printed: String,
    pub span: SourceSpan,
    pub section: Option<SectionId>,
}

/// The value of a Chinese numeral from 一 to 九十九 (一, 十, 十二, 二十, 二十三).
pub fn chinese_number(text: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| i as u32 / 3 + 1);
    let chars: Vec<char> = text.chars().collect();
    match chars.as_slice() {
        [d] => digit(*d).or((*d == '十').then_some(10)),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// The Chinese numeral of 1 to 99.
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = ((n / 10) as usize, (n % 10) as usize);
    match tens {
        0 => DIGITS[ones].to_string(),
        1 => format!("十{}", DIGITS[ones]),
        _ => format!("{}十{}", DIGITS[tens % 10], DIGITS[ones]),
    }
}

fn is_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Headings of the narrative: 一、 … at the start of a line or after a space or a full stop
/// (crawled pages run the whole report into one line), not a list of numbers (一、二、三季度),
/// with the parts' own headings (a part whose table follows its heading may have the heading
/// inside the table's stretch of text), in the order of the text. A part known only by its
/// table counts under its own number: whether its heading was printed cannot be told.
pub fn headings(report: &Report, joined: &JoinedLines) -> Vec<Item> {
    let mut found = items(report, joined, '、', |before| {
        before.is_none_or(|c| c.is_whitespace() || matches!(c, '。' | '；' | '：' | '！' | '？'))
    });
    for section in &report.sections {
        let printed = match section.by_table {
            true => Some(section.id.numeral()),
            false => section.printed_number.as_deref(),
        };
        let Some(number) = printed.and_then(chinese_number) else {
            continue;
        };
        if !found.iter().any(|h| h.span.start == section.span.start) {
            found.push(Item {
                number,
                printed: format!("{}、", chinese_numeral(number)),
                span: section.span,
                section: Some(section.id),
            });
        }
    }
    found.sort_by_key(|h| h.span.start);
    found
}

/// Enumeration items of the narrative: 一是, 二是 …, unless the numeral ends a word (the 第
/// of 第一是, the 统 of 统一是: the characters of `not_after`).
pub fn enumeration(report: &Report, joined: &JoinedLines, not_after: &str) -> Vec<Item> {
    items(report, joined, '是', |before| {
        before.is_none_or(|c| !not_after.contains(c))
    })
}

/// A Chinese numeral followed by `marker`, where the character before the numeral passes
/// `before_ok` (a line break reads as whitespace). The lines are read as one text (`joined`,
/// the report's), so an item broken over two lines (a PDF's 一 / 是) is found.
fn items(
    report: &Report,
    joined: &JoinedLines,
    marker: char,
    before_ok: impl Fn(Option<char>) -> bool,
) -> Vec<Item> {
    let (text, starts) = (joined.text(), joined.starts());
    let mut found = Vec::new();
    // memmem rather than a char search: the last byte of a CJK char, which a char search
    // looks for first, is a continuation byte most CJK chars have.
    let mut utf8 = [0u8; 4];
    let needle = marker.encode_utf8(&mut utf8).as_bytes();
    for at in memchr::memmem::find_iter(text.as_bytes(), needle) {
        let numeral_end = match text[..at].strip_suffix('\n') {
            Some(rest) if marker == '是' => rest.len(),
            _ => at,
        };
        let before = &text[..numeral_end];
        // At most three numeral characters (九十九); a longer run is no item. Looking at four
        // at most keeps a hostile run of numerals linear.
        let (mut run, mut start) = (0, numeral_end);
        for (i, _) in before
            .char_indices()
            .rev()
            .take(4)
            .take_while(|(_, c)| is_numeral(*c))
        {
            (run, start) = (run + 1, i);
        }
        if run == 0 || run > 3 {
            continue;
        }
        if !before_ok(before[..start].chars().next_back()) {
            continue;
        }
        // 一、二、三季度 is a list of numbers, not a heading; 逐一是否 asks "whether".
        let after = text[at + needle.len()..].chars().next();
        if (marker == '、' && after.is_some_and(is_numeral))
            || (marker == '是' && after == Some('否'))
        {
            continue;
        }
        let Some(number) = chinese_number(&text[start..numeral_end]) else {
            continue;
        };
        let k = starts.partition_point(|&s| s <= start) - 1;
        let line = &report.text[k];
        let local_end = (at + needle.len() - starts[k]).min(line.text.len());
        let mut printed = String::with_capacity(numeral_end - start + marker.len_utf8());
        printed.push_str(&text[start..numeral_end]);
        printed.push(marker);
        found.push(Item {
            number,
            printed,
            span: line.span_of(start - starts[k], local_end),
            section: line.section,
        });
    }
    found
}

/// Headings that break the count: each should be the one after the heading before it, or
/// 一 (a new series: an appendix, a table's own items). Returns the broken items with the
/// number expected, and the whole series as printed.
pub fn broken_headings(headings: &[Item]) -> Vec<(Item, u32, String)> {
    let mut broken = Vec::new();
    let mut series: Vec<&Item> = Vec::new();
    let flush = |series: &mut Vec<&Item>, broken: &mut Vec<(Item, u32, String)>| {
        let printed: Vec<&str> = series.iter().map(|i| i.printed.as_str()).collect();
        for pair in series.windows(2) {
            if pair[1].number != pair[0].number + 1 {
                broken.push((pair[1].clone(), pair[0].number + 1, printed.join(" ")));
                break;
            }
        }
        series.clear();
    };
    for item in headings {
        if item.number == 1 && !series.is_empty() {
            flush(&mut series, &mut broken);
        }
        series.push(item);
    }
    flush(&mut series, &mut broken);
    broken
}

/// Enumerations (一是 … 二是 …) that skip or repeat a number, per part. Lists may nest with
/// the same words (一是 A：一是 …二是 … 二是 B), so an item continues the innermost list it
/// fits and closes the lists inside it; 一是 opens a list. Returns the first item of a part
/// that fits no open list, the number expected, and the part's items as printed.
pub fn broken_enumerations(items: &[Item]) -> Vec<(Item, u32, String)> {
    let mut broken = Vec::new();
    let mut k = 0;
    while k < items.len() {
        let section = items[k].section;
        let part: Vec<&Item> = items[k..]
            .iter()
            .take_while(|i| i.section == section)
            .collect();
        k += part.len();
        // The next number each open list expects, innermost last.
        let mut open: Vec<u32> = Vec::new();
        for item in &part {
            if item.number == 1 {
                open.push(2);
                continue;
            }
            match open.iter().rposition(|&next| next == item.number) {
                Some(level) => {
                    open.truncate(level + 1);
                    open[level] += 1;
                }
                None => {
                    let expected = open.last().copied().unwrap_or(1);
                    let printed: Vec<&str> = part.iter().map(|i| i.printed.as_str()).collect();
                    broken.push(((*item).clone(), expected, printed.join(" ")));
                    break;
                }
            }
        }
    }
    broken
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::TextLine;

    fn report(lines: &[&str]) -> Report {
        let mut r = Report::default();
        let mut offset = 0;
        for (n, text) in lines.iter().enumerate() {
            let start = offset;
            offset += text.len() + 1;
            r.text.push(TextLine {
                text: text.to_string(),
                span: SourceSpan {
                    start,
                    end: start + text.len(),
                    line: n as u32 + 1,
                    column: 1,
                },
                section: None,
                origin: nianbao_model::LineOrigin::Copied,
            });
        }
        r
    }

    fn numbers(items: &[Item]) -> Vec<u32> {
        items.iter().map(|i| i.number).collect()
    }

    #[test]
    fn chinese_numerals() {
        let read: Vec<Option<u32>> = ["一", "九", "十", "十二", "二十", "二十三", "百", "一二"]
            .iter()
            .map(|t| chinese_number(t))
            .collect();
        assert_eq!(
            read,
            [
                Some(1),
                Some(9),
                Some(10),
                Some(12),
                Some(20),
                Some(23),
                None,
                None
            ]
        );
        for n in 1..100 {
            assert_eq!(chinese_number(&chinese_numeral(n)), Some(n));
        }
    }

    #[test]
    fn headings_out_of_count_and_lists_that_are_not_headings() {
        // Seed 002: 一 … 五, then 八.
        let r = report(&[
            "一、工作概述",
            "二、主动公开 三、政务公开",
            "第一、二、三季度各发布一次。",
            "四、依申请公开",
            "五、政策解读",
            "八、做好建议提案办理结果公开",
            "一、主动公开情况",
            "二、回应解读情况",
        ]);
        let headings = headings(&r, &JoinedLines::of(&r.text));
        assert_eq!(numbers(&headings), [1, 2, 3, 4, 5, 8, 1, 2]);
        let broken = broken_headings(&headings);
        assert_eq!(broken.len(), 1);
        assert_eq!((broken[0].0.number, broken[0].1), (8, 6));
        assert_eq!(broken[0].2, "一、 二、 三、 四、 五、 八、");
    }

    #[test]
    fn nested_enumerations_are_followed_and_a_skip_is_found() {
        // Corpus 040: lists inside lists with the same words, all in order.
        let nested = report(&[
            "一是推进权力清单公开。一是按照要求公布。二是按照精神公开。二是推进财政资金公开。\
             三是推进公共资源配置公开。一是征地。二是征收。三是电视台。四是政府采购。\
             四是推进重大项目公开。统一是基本要求。",
        ]);
        let of = |r: &Report, not_after: &str| enumeration(r, &JoinedLines::of(&r.text), not_after);
        let found = of(&nested, "统唯之第同单万划专合其");
        assert_eq!(found.len(), 10);
        assert!(broken_enumerations(&found).is_empty());
        // A PDF line may break between the numeral and 是 (corpus 003).
        let wrapped = report(&[
            "将抓好以下工作：一",
            "是推进依申请公开。二是优化流程。三是加强培训。",
        ]);
        let found = of(&wrapped, "第");
        assert_eq!(numbers(&found), [1, 2, 3]);
        assert_eq!(found[0].printed, "一是");
        assert_eq!(found[0].span.line, 1);
        assert!(broken_enumerations(&found).is_empty());
        // Corpus 033: 一是, 三是, 三是.
        let skipped = report(&["问题如下：一是人员不足；三是培训不够；三是宣传不够。"]);
        let broken = broken_enumerations(&of(&skipped, "第"));
        assert_eq!(broken.len(), 1);
        assert_eq!((broken[0].0.number, broken[0].1), (3, 2));
        assert_eq!(broken[0].2, "一是 三是 三是");
    }
}
