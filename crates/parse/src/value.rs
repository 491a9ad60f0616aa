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

pub fn read_cell(text: &str) -> CellValue {
    let text = text.trim();
    if text.is_empty() || matches!(text, "/" | "—" | "——" | "-" | "--" | "─") {
        return CellValue::Blank;
    }
    if text == "无" {
        return CellValue::Number(0.0);
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
        // 元 to 万元, rounded to the 元's own precision so sums compare exactly.
        value = (value / 10_000.0 * 1e6).round() / 1e6;
    }
    CellValue::Number(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use CellValue::*;

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
        assert_eq!(read_cell("万元"), Text);
        assert_eq!(read_cell("人次"), Text);
        assert_eq!(read_cell("(区分处理的,只计这一情形)"), Text);
    }
}
