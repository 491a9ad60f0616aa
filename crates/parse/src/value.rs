//! Reading one printed cell: "增3159", "减3", "+35", "-8", "99365万元", "75,394,432.52元".

use regex::Regex;
use std::sync::OnceLock;

/// What a printed cell holds.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// A number, in the table's unit (counts, or 万元 for money).
    Number(f64),
    /// Printed empty, or as a placeholder ("/", "—").
    Blank,
    /// Words: a label fragment, a unit on its own, a note.
    Text,
}

fn number_pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^(?P<sign>增加|增|减少|减|\+|-|−|–)?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?P<unit>万元|元|件|个|条|项|次|人次|人|家|场)?$",
        )
        .expect("valid number pattern")
    })
}

/// A cell printed as a placeholder rather than a number is blank: the report did not give
/// the figure ("无" says there was none, but it is not the 0 the form asks for).
pub fn read_cell(text: &str) -> CellValue {
    let text = text.trim();
    if text.is_empty() || matches!(text, "/" | "—" | "——" | "-" | "--" | "─" | "无") {
        return CellValue::Blank;
    }
    if let Some(value) = plain_number(text) {
        return CellValue::Number(value);
    }
    // Labels (most cells that are not plain numbers) fail at their first char: asked
    // before captures are set up (an allocation each).
    if !number_pattern().is_match(text) {
        return CellValue::Text;
    }
    let Some(caps) = number_pattern().captures(text) else {
        return CellValue::Text;
    };
    let digits: String = caps["num"].chars().filter(|&c| c != ',').collect();
    let Ok(mut value) = digits.parse::<f64>() else {
        return CellValue::Text;
    };
    if let Some(sign) = caps.name("sign") {
        if matches!(sign.as_str(), "减" | "减少" | "-" | "−" | "–") {
            value = -value;
        }
    }
    if caps.name("unit").map(|u| u.as_str()) == Some("元") {
        value = yuan_to_wan(value);
    }
    CellValue::Number(value)
}

/// A number printed as ASCII digits with at most one decimal point inside, as most cells
/// are: read without the pattern (the same value it would give).
fn plain_number(text: &str) -> Option<f64> {
    // The point found by a byte loop: a cell is a few bytes, too short for a searcher.
    let bytes = text.as_bytes();
    let (whole, fraction) = match bytes.iter().position(|&b| b == b'.') {
        Some(dot) => (&bytes[..dot], &bytes[dot + 1..]),
        None => (bytes, &b"1"[..]),
    };
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    (digits(whole) && digits(fraction))
        .then(|| decimal(text))
        .flatten()
}

/// A number in ASCII digits with an optional decimal point, as `str::parse` reads it: a
/// whole number of up to 15 digits (exact in an f64) summed digit by digit, which is most
/// cells and several times cheaper than the general parse.
pub(crate) fn decimal(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    if (1..=15).contains(&bytes.len()) && bytes.iter().all(u8::is_ascii_digit) {
        let whole = bytes
            .iter()
            .fold(0u64, |n, &b| n * 10 + u64::from(b - b'0'));
        return Some(whole as f64);
    }
    text.parse().ok()
}

/// An amount in 元 as 万元, the form's unit, rounded to the 元's own precision so sums
/// compare exactly.
pub fn yuan_to_wan(yuan: f64) -> f64 {
    (yuan / 10_000.0 * 1e6).round() / 1e6
}

/// Whether a cell holds an amount of money (收费金额, 采购总金额): the only cells a 元
/// header converts to 万元; a count under the same header (采购项目数量 merged with
/// 采购总金额（元）) stays a count.
pub fn is_money(key: &str) -> bool {
    key.ends_with(".amount")
}

/// Whether a header's text gives its amounts in 元 (not 万元).
pub fn says_yuan(header: &str) -> bool {
    header.contains('元') && !header.contains("万元")
}

/// A cell printing several numbers separated by spaces ("21 0 0 0 0 0 21": a PDF's narrow
/// columns or a converted table): each number with its byte range in the cell.
pub fn read_numbers(text: &str) -> Option<Vec<(f64, usize, usize)>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in text.split(' ') {
        if !part.is_empty() {
            match read_cell(part) {
                CellValue::Number(v) => out.push((v, offset, offset + part.len())),
                _ => return None,
            }
        }
        offset += part.len() + 1;
    }
    (out.len() >= 2).then_some(out)
}

/// Numbers printed at the end of a text cell, after its words ("相关政府信息10 0 0 0 0 0 10").
/// A number with thousands separators is read whole ("收费5,949.08"); when the numbers
/// found start inside a longer one ("12,34,567": digits and a separator right before
/// them), none is read: a part of a number would be a silent misreading.
pub fn trailing_numbers(text: &str) -> Vec<(f64, usize, usize)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元)? ?)+$")
            .expect("valid trailing pattern")
    });
    let Some(m) = re.find(text) else {
        return Vec::new();
    };
    if starts_inside_a_number(&text.as_bytes()[..m.start()]) {
        return Vec::new();
    }
    let run = m.as_str().trim_end();
    match read_numbers(run) {
        Some(numbers) => numbers
            .into_iter()
            .map(|(v, s, e)| (v, m.start() + s, m.start() + e))
            .collect(),
        None => match read_cell(run) {
            CellValue::Number(v) => vec![(v, m.start(), m.start() + run.len())],
            _ => Vec::new(),
        },
    }
}

/// Whether text ending in `before` runs on into what follows as one number: it ends in a
/// digit and a thousands separator or decimal point.
fn starts_inside_a_number(before: &[u8]) -> bool {
    matches!(before, [.., d, b',' | b'.'] if d.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use CellValue::*;

    #[test]
    fn decimals_read_as_the_general_parse_reads_them() {
        let texts = [
            "0",
            "7",
            "007",
            "1259",
            "123456789012345",
            "1234567890123456",
            "99999999999999999",
            "12.5",
            "0.25",
            "3.",
            ".5",
            "",
            "1e3",
            "12a",
            "-3",
        ];
        for text in texts {
            assert_eq!(decimal(text), text.parse::<f64>().ok(), "{text:?}");
        }
    }

    #[test]
    fn signs_units_and_blanks() {
        assert_eq!(read_cell("增3159"), Number(3159.0));
        assert_eq!(read_cell("减3"), Number(-3.0));
        assert_eq!(read_cell("+35"), Number(35.0));
        assert_eq!(read_cell("-8"), Number(-8.0));
        assert_eq!(read_cell("99365万元"), Number(99365.0));
        assert_eq!(read_cell("16485.62万元"), Number(16485.62));
        assert_eq!(read_cell("75,394,432.52元"), Number(7539.443252));
        assert_eq!(read_cell(" 0 "), Number(0.0));
        assert_eq!(read_cell(""), Blank);
        assert_eq!(read_cell("/"), Blank);
        assert_eq!(read_cell("无"), Blank);
        assert_eq!(read_cell("万元"), Text);
        assert_eq!(read_cell("人次"), Text);
        assert_eq!(read_cell("(区分处理的,只计这一情形)"), Text);
    }

    #[test]
    fn plain_numbers_read_as_the_pattern_reads_them() {
        let by_pattern = |t: &str| {
            number_pattern()
                .captures(t)
                .and_then(|c| c["num"].replace(',', "").parse::<f64>().ok())
        };
        for text in [
            "0",
            "12",
            "007",
            "3.50",
            "12345678901",
            "1.",
            ".5",
            "1.2.3",
            "１２",
            "1e5",
        ] {
            assert_eq!(
                plain_number(text),
                by_pattern(text).filter(|_| text.is_ascii()),
                "{text}"
            );
        }
        assert_eq!(read_cell("１２"), Text);
        assert_eq!(read_cell("1e5"), Text);
    }

    #[test]
    fn space_separated_numbers() {
        assert_eq!(
            read_numbers("21 0 21")
                .unwrap()
                .iter()
                .map(|n| n.0)
                .collect::<Vec<_>>(),
            [21.0, 0.0, 21.0]
        );
        assert_eq!(read_numbers("21 0 21").unwrap()[2], (21.0, 5, 7));
        assert_eq!(read_numbers("21"), None);
        assert_eq!(read_numbers("21 件数"), None);
        let t = trailing_numbers("相关政府信息10 0 10");
        assert_eq!(t.iter().map(|n| n.0).collect::<Vec<_>>(), [10.0, 0.0, 10.0]);
        assert_eq!(&"相关政府信息10 0 10"[t[0].1..t[0].2], "10");
        assert!(trailing_numbers("2023年度").is_empty());
    }

    #[test]
    fn trailing_numbers_are_read_whole_or_not_at_all() {
        let read = |text: &str| {
            trailing_numbers(text)
                .iter()
                .map(|n| n.0)
                .collect::<Vec<_>>()
        };
        // Thousands separators: the whole amount, not what follows its last comma.
        assert_eq!(read("本年收费金额(单位:万元)5,949.088667"), [5949.088667]);
        assert_eq!(read("行政许可 12,629"), [12629.0]);
        assert_eq!(read("合计1,234,567元"), [123.4567]);
        // Groups that are no thousands: the end is part of a number it cannot tell.
        assert!(read("情形12,34,567").is_empty());
        assert!(read("数量3,4").is_empty());
        assert!(read("比例12.5.6").is_empty());
    }
}
