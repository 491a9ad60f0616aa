//! Quantities a sentence states: a number (Arabic with thousands separators, or Chinese
//! numerals such as 一百二十), "余/多" when approximate, and its unit (条, 件, 万元, % …).

use std::sync::OnceLock;

/// A number with its unit, and where it is in the sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: &'static str,
    /// "320余条": not an exact figure.
    pub approximate: bool,
    /// Digits printed after the decimal point ("7.45%" → 2): the precision of the figure.
    pub decimals: usize,
    pub start: usize,
    pub end: usize,
}

/// The units a quantity may have (none begins another: their order does not matter).
const UNITS: [&str; 14] = [
    "万元", "元", "人次", "件", "条", "份", "个", "次", "项", "篇", "期", "场", "%", "％",
];

/// The pattern `quantities` finds, written out: a number, then optional 余/多, then a unit,
/// with white space between. `matches` finds what it finds, without a regex: a regex
/// search went through the sentence's units (件, 个, 次 … common characters) one by one,
/// running its automaton backwards from each, and was a tenth of the rules' time.
#[cfg(test)]
fn pattern() -> &'static regex::Regex {
    use regex::Regex;
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[零〇两一二三四五六七八九十百千万]+)\s*(?P<approx>余|多)?\s*(?P<unit>万元|元|人次|件|条|份|个|次|项|篇|期|场|%|％)",
        )
        .expect("valid quantity pattern")
    })
}

/// Every quantity in a sentence, in order. A number after 第 is an ordinal, not a quantity.
/// Each quantity is found whole (`matches`); its parts are then read off the match: the
/// number runs as far as its characters go, as the pattern's greedy number does, and the
/// unit is what follows an optional 余/多.
pub fn quantities(sentence: &str) -> Vec<Quantity> {
    matches(sentence)
        .filter_map(|(start, end)| {
            if sentence[..start].ends_with('第') {
                return None;
            }
            let matched = &sentence[start..end];
            let arabic = matched.starts_with(|ch: char| ch.is_ascii_digit());
            // A number in digits ends where what may follow it starts (a digit of any
            // script is a digit to the pattern); one in numerals runs over all of them.
            let ends_number = |ch: char| match arabic {
                true => ch.is_whitespace() || matches!(ch, '余' | '多') || starts_unit(ch),
                false => !is_numeral(ch),
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
                true if text.contains(',') => text.replace(',', "").parse().ok()?,
                true => text.parse().ok()?,
                false => chinese(text)?,
            };
            let decimals = text.split_once('.').map_or(0, |(_, d)| d.len());
            let unit = match unit {
                "％" => "%",
                u => UNITS.into_iter().find(|known| *known == u)?,
            };
            Some(Quantity {
                value,
                unit,
                approximate,
                decimals,
                start,
                end,
            })
        })
        .collect()
}

/// Whether a char is the first of a unit (万 of 万元, 人 of 人次).
fn starts_unit(ch: char) -> bool {
    UNITS.iter().any(|unit| unit.starts_with(ch))
}

fn is_numeral(ch: char) -> bool {
    NUMERALS.contains(&ch)
}

/// The (start, end) of each match of `pattern()` in the text, in order, as its `find_iter`
/// gives them: at the first place a match starts, the first alternative of the number that
/// leads to a whole match. Each alternative's repeats are greedy and their backtracking
/// cannot help (a shorter run of digits leaves a digit where a comma, point or unit must
/// follow), so each is tried once, at its longest.
fn matches(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some((start, ch)) = next_number_char(text, from) {
            let (found, run) = match is_numeral(ch) {
                true => {
                    let run = run_end(text, start, is_numeral);
                    (after_unit(text, run).map(|end| (start, end)), run)
                }
                false => {
                    let run = run_end(text, start, is_digit);
                    (digits_match(text, start, run), run)
                }
            };
            match found {
                Some(found) => {
                    from = found.1;
                    return Some(found);
                }
                // From a later char of the run, each form reads on to where it read from
                // the run's first: none can match there either.
                None => from = run,
            }
        }
        None
    })
}

/// The match of a number in digits whose run is `start..run`, if any starts in the run.
/// From its first digit the grouped form (1,205) is tried, then the plain one; from a
/// later digit only the grouped form can match (the plain one ends where it ends from the
/// first), and only with three digits or fewer before the comma: from the run's last three.
fn digits_match(text: &str, start: usize, run: usize) -> Option<(usize, usize)> {
    let grouped = |from: usize| grouped_number(text, from).and_then(|end| after_unit(text, end));
    if let Some(end) = grouped(start).or_else(|| after_unit(text, after_decimals(text, run))) {
        return Some((start, end));
    }
    let last_three = text[start..run].char_indices().rev().nth(2)?.0 + start;
    (last_three > start).then(|| grouped(last_three).map(|end| (last_three, end)))?
}

/// The first char from `from` on that may start a number (a digit or a numeral), and where.
/// Read a byte at a time: a sentence is mostly Chinese characters, of which only the
/// numerals count, told first by their last byte.
fn next_number_char(text: &str, from: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(&lead) = bytes.get(at) {
        match lead {
            b'0'..=b'9' => return Some((at, char::from(lead))),
            0x00..=0x7F => at += 1,
            // U+4000–U+9FFF: no digits; of the numerals, all but 〇.
            0xE4..=0xE9 => {
                let (middle, last) = (*bytes.get(at + 1)?, *bytes.get(at + 2)?);
                if NUMERAL_TAILS[usize::from(middle & 0x3F)] >> (last & 0x3F) & 1 == 1 {
                    let ch = text.get(at..)?.chars().next()?;
                    if is_numeral(ch) {
                        return Some((at, ch));
                    }
                }
                at += 3;
            }
            // U+2000–U+3FFF and U+F000–U+FFFF, the punctuation of Chinese text (“”、。，：
            // （）): of numerals and digits only 〇 (E3 80 87) and the full-width digits
            // (EF BC 90–99) are there (a test holds this to `is_numeral` and `is_digit`).
            0xE2 | 0xE3 | 0xEF => {
                let (middle, last) = (*bytes.get(at + 1)?, *bytes.get(at + 2)?);
                if matches!(
                    (lead, middle, last),
                    (0xE3, 0x80, 0x87) | (0xEF, 0xBC, 0x90..=0x99)
                ) {
                    return Some((at, text.get(at..)?.chars().next()?));
                }
                at += 3;
            }
            _ => {
                let ch = text.get(at..)?.chars().next()?;
                if is_numeral(ch) || is_digit(ch) {
                    return Some((at, ch));
                }
                at += ch.len_utf8();
            }
        }
    }
    None
}

/// The numerals, as `is_numeral` has them.
const NUMERALS: [char; 16] = [
    '零', '〇', '两', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '百', '千', '万',
];

/// For each value of the low six bits of a three-byte char's middle byte, a bit for each
/// value of those of its last byte: set for the numerals' pairs (all but 〇, U+3007, are
/// U+4000–U+9FFF). A Chinese character whose pair has no bit is no numeral; of those with
/// one, nearly all are (the last byte alone let a quarter of all characters through).
const NUMERAL_TAILS: [u64; 64] = {
    let mut table = [0u64; 64];
    let mut i = 0;
    while i < NUMERALS.len() {
        let code = NUMERALS[i] as u32;
        if code >= 0x4000 && code <= 0x9FFF {
            table[((code >> 6) & 0x3F) as usize] |= 1 << (code & 0x3F);
        }
        i += 1;
    }
    table
};

fn run_end(text: &str, at: usize, is: fn(char) -> bool) -> usize {
    text[at..].find(|ch| !is(ch)).map_or(text.len(), |n| at + n)
}

/// The end of `\d{1,3}(?:,\d{3})+(?:\.\d+)?` from `at`, if it matches there.
fn grouped_number(text: &str, at: usize) -> Option<usize> {
    let lead = run_end(text, at, is_digit);
    if text[at..lead].chars().count() > 3 {
        return None;
    }
    let mut end = lead;
    let mut groups = 0;
    while let Some(rest) = text[end..].strip_prefix(',') {
        let mut chars = rest.char_indices();
        if !(0..3).all(|_| chars.next().is_some_and(|(_, ch)| is_digit(ch))) {
            break;
        }
        // The three digits' width: where the char after them starts.
        end += 1 + chars.next().map_or(rest.len(), |(i, _)| i);
        groups += 1;
    }
    (groups > 0).then(|| after_decimals(text, end))
}

/// After an optional `\.\d+` at `at`.
fn after_decimals(text: &str, at: usize) -> usize {
    match text[at..].strip_prefix('.') {
        Some(rest) if rest.starts_with(is_digit) => run_end(text, at + 1, is_digit),
        _ => at,
    }
}

/// The end of `\s*(?:余|多)?\s*(?:unit)` from `at`, if it matches there.
fn after_unit(text: &str, at: usize) -> Option<usize> {
    let mut at = run_end(text, at, char::is_whitespace);
    if let Some(rest) = text[at..].strip_prefix(['余', '多']) {
        at = run_end(text, text.len() - rest.len(), char::is_whitespace);
    }
    let unit = UNITS
        .into_iter()
        .find(|unit| text[at..].starts_with(unit))?;
    Some(at + unit.len())
}

/// Whether a char is a decimal digit of any script (`\d`: Unicode's Nd).
fn is_digit(ch: char) -> bool {
    if ch.is_ascii() {
        return ch.is_ascii_digit();
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&ch) {
        return false;
    }
    let ranges = unicode_digits();
    let at = ranges.partition_point(|&(_, last)| last < ch);
    ranges.get(at).is_some_and(|&(first, _)| first <= ch)
}

/// The ranges of Unicode's decimal digits, as the regex syntax has them.
fn unicode_digits() -> &'static [(char, char)] {
    static RANGES: OnceLock<Vec<(char, char)>> = OnceLock::new();
    RANGES.get_or_init(|| {
        let hir = regex_syntax::Parser::new()
            .parse(r"\d")
            .expect("valid class");
        match hir.kind() {
            regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class)) => class
                .ranges()
                .iter()
                .map(|r| (r.start(), r.end()))
                .collect(),
            _ => Vec::new(),
        }
    })
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
                    unit: UNITS
                        .into_iter()
                        .find(|u| *u == c["unit"].replace('％', "%"))?,
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
    fn matches_are_the_patterns_on_generated_sentences() {
        // Pieces the pattern reads one way or another: digits of three scripts, commas
        // and points, numerals, 余/多, units and their first chars, white space, 第.
        let pieces = [
            "1", "23", "456", "7890", "١", "٣", "１", ",", ".", "，", "一", "十", "百", "万", "〇",
            "两", "余", "多", "元", "万元", "人", "人次", "次", "件", "个", "%", "％", " ",
            "\u{3000}", "\t", "第", "年", "a", "。",
        ];
        let mut next = crate::seeded_below(11);
        let mut found = 0;
        for _ in 0..20_000 {
            let sentence: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            let expected: Vec<(usize, usize)> = pattern()
                .find_iter(&sentence)
                .map(|m| (m.start(), m.end()))
                .collect();
            found += expected.len();
            assert_eq!(
                matches(&sentence).collect::<Vec<_>>(),
                expected,
                "{sentence:?}"
            );
            assert_eq!(
                quantities(&sentence),
                by_captures(&sentence),
                "{sentence:?}"
            );
        }
        // The pieces make matches often enough for the comparison to mean something.
        assert!(found > 5_000, "{found}");
    }

    #[test]
    fn number_chars_are_found_wherever_they_are() {
        for ch in (0..0x11_0000).filter_map(char::from_u32) {
            let text = format!("甲a{ch}");
            let expected = (is_digit(ch) || is_numeral(ch)).then_some((4, ch));
            assert_eq!(next_number_char(&text, 0), expected, "{ch:?}");
        }
    }

    #[test]
    fn digits_and_white_space_are_the_patterns() {
        let digit = regex::Regex::new(r"^\d$").expect("valid");
        let space = regex::Regex::new(r"^\s$").expect("valid");
        for ch in (0..0x11_0000).filter_map(char::from_u32) {
            let text = ch.to_string();
            assert_eq!(is_digit(ch), digit.is_match(&text), "{ch:?}");
            assert_eq!(ch.is_whitespace(), space.is_match(&text), "{ch:?}");
        }
    }

    #[test]
    fn arabic_chinese_and_percent() {
        let q = quantities("共1,205条，其中A类312条、B类一百二十条，占7.45%，另有320余条，第三条");
        let values: Vec<(f64, &str)> = q.iter().map(|q| (q.value, q.unit)).collect();
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
