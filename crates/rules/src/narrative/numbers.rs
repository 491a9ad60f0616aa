//! Quantities a sentence states: a number (Arabic with thousands separators, or Chinese
//! numerals such as 一百二十), "余/多" when approximate, and its unit (条, 件, 万元, % …).

use regex::Regex;
use std::sync::OnceLock;

/// A number with its unit, and where it is in the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: String,
    /// "320余条": not an exact figure.
    pub approximate: bool,
    /// Digits printed after the decimal point ("7.45%" → 2): the precision of the figure.
    pub decimals: usize,
    pub start: usize,
    pub end: usize,
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇两一二三四五六七八九十百千万]+)\s*(?P<approx>余|多)?\s*(?P<unit>万元|元|人次|件|条|份|个|次|项|篇|期|场|%|％)",
        )
        .expect("valid quantity pattern")
    })
}

/// Every quantity in a sentence, in order. A number after 第 is an ordinal, not a quantity.
/// The pattern only finds each quantity (the regex's fast path); its parts are then read
/// off the match: the number runs as far as its characters go, as the pattern's greedy
/// number does, and the unit is what follows an optional 余/多.
pub fn quantities(sentence: &str) -> Vec<Quantity> {
    pattern()
        .find_iter(sentence)
        .filter_map(|whole| {
            if sentence[..whole.start()].ends_with('第') {
                return None;
            }
            let matched = whole.as_str();
            let arabic = matched.starts_with(|ch: char| ch.is_ascii_digit());
            // A number in digits ends where what may follow it starts (a digit of any
            // script is a digit to the pattern); one in numerals runs over all of them.
            let ends_number = |ch: char| match arabic {
                true => {
                    ch.is_whitespace()
                        || matches!(
                            ch,
                            '余' | '多'
                                | '万'
                                | '元'
                                | '人'
                                | '件'
                                | '条'
                                | '份'
                                | '个'
                                | '次'
                                | '项'
                                | '篇'
                                | '期'
                                | '场'
                                | '%'
                                | '％'
                        )
                }
                false => !matches!(
                    ch,
                    '零' | '〇'
                        | '两'
                        | '一'
                        | '二'
                        | '三'
                        | '四'
                        | '五'
                        | '六'
                        | '七'
                        | '八'
                        | '九'
                        | '十'
                        | '百'
                        | '千'
                        | '万'
                ),
            };
            let num_end = matched.find(ends_number).filter(|&end| end > 0)?;
            let text = &matched[..num_end];
            let rest = matched[num_end..].trim_start();
            let approximate = rest.starts_with(['余', '多']);
            let unit = match approximate {
                true => rest[3..].trim_start(),
                false => rest,
            };
            let value = match arabic {
                true => text.replace(',', "").parse().ok()?,
                false => chinese(text)?,
            };
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            let unit = match unit {
                "％" => "%".to_string(),
                u => u.to_string(),
            };
            Some(Quantity {
                value,
                unit,
                approximate,
                decimals,
                start: whole.start(),
                end: whole.end(),
            })
        })
        .collect()
}

/// A number written in Chinese numerals: 一百二十 → 120, 两千零五 → 2005, 一万二千 → 12000.
pub fn chinese(text: &str) -> Option<f64> {
    let digit = |c: char| match c {
        '零' | '〇' => Some(0),
        '一' => Some(1),
        '二' | '两' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => None,
    };
    let (mut total, mut section, mut number) = (0u64, 0u64, None::<u64>);
    for c in text.chars() {
        if let Some(d) = digit(c) {
            number = Some(d);
            continue;
        }
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            '万' => {
                total += (section + number.unwrap_or(0)) * 10_000;
                section = 0;
                number = None;
                continue;
            }
            _ => return None,
        };
        section += number.unwrap_or(1) * unit;
        number = None;
    }
    Some((total + section + number.unwrap_or(0)) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quantities read with the pattern's own groups (captures): what `quantities` must give.
    fn by_captures(sentence: &str) -> Vec<Quantity> {
        pattern()
            .captures_iter(sentence)
            .filter_map(|c| {
                let (whole, num) = (c.get(0)?, c.name("num")?);
                if sentence[..num.start()].ends_with('第') {
                    return None;
                }
                let text = num.as_str();
                let value = match text.starts_with(|ch: char| ch.is_ascii_digit()) {
                    true => text.replace(',', "").parse().ok()?,
                    false => chinese(text)?,
                };
                Some(Quantity {
                    value,
                    unit: c["unit"].replace('％', "%"),
                    approximate: c.name("approx").is_some(),
                    decimals: text.split_once('.').map_or(0, |(_, d)| d.len()),
                    start: num.start(),
                    end: whole.end(),
                })
            })
            .collect()
    }

    #[test]
    fn quantities_read_off_the_match_as_the_pattern_captures_them() {
        let sentences = [
            "五万元，三万 人次，十万万元，两千零五条，一万二千件，一百二十余项",
            "共1,205.5%，分别为12,15件，1,2345条，5.3.1条，7.45％，1,000,000份",
            "共 120 余 件，320余条，30多项，第三条，第12期，0.5万元、 42\u{3000}个",
            "另有1٣件、١٢件、一١条，合计2,5万元，3 %，4个",
        ];
        for sentence in sentences {
            let expected = by_captures(sentence);
            assert!(expected.len() >= 3, "{sentence}: {expected:?}");
            assert_eq!(quantities(sentence), expected, "{sentence}");
        }
    }

    #[test]
    fn arabic_chinese_and_percent() {
        let q = quantities("共1,205条，其中A类312条、B类一百二十条，占7.45%，另有320余条，第三条");
        let values: Vec<(f64, &str)> = q.iter().map(|q| (q.value, q.unit.as_str())).collect();
        assert_eq!(
            values,
            vec![
                (1205.0, "条"),
                (312.0, "条"),
                (120.0, "条"),
                (7.45, "%"),
                (320.0, "条")
            ]
        );
        assert_eq!(q[3].decimals, 2);
        assert!(q[4].approximate);
        assert_eq!(chinese("两千零五"), Some(2005.0));
        assert_eq!(chinese("一万二千"), Some(12000.0));
        assert_eq!(chinese("十二"), Some(12.0));
        // "12,15" is not a thousands group: 12 has no unit of its own.
        assert_eq!(quantities("分别为12,15件")[0].value, 15.0);
    }
}
