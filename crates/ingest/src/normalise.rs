//! Character normalisation for parsing. Each input char becomes zero or one output char,
//! so positions map back to the original exactly.

/// The parsing form of a char, or `None` to drop it.
pub fn normalise_char(ch: char) -> Option<char> {
    match ch {
        // Full-width ASCII block: digits, letters, brackets, colon, comma, plus, minus …
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFF01 + 0x21),
        // Ideographic, no-break and other typographic spaces.
        '\u{3000}' | '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' => Some(' '),
        // Zero-width characters and stray byte-order marks carry nothing.
        '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}' => None,
        // Bidirectional controls: invisible, and pasted from web pages they split words.
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => None,
        // Radicals, strokes and compatibility ideographs where the page shows an ideograph:
        // PDF fonts often map one glyph to both ("⼈⺠政府" for "人民政府").
        '\u{2E80}'..='\u{2FDF}' | '\u{31C0}'..='\u{31EF}' | '\u{F900}'..='\u{FAFF}' => {
            Some(equivalent_ideograph(ch))
        }
        // Minus-like dashes before digits are read as minus by the number parser; keep them.
        _ => Some(ch),
    }
}

/// The unified ideograph a radical, stroke or compatibility ideograph stands for; the char
/// itself when Unicode names none.
fn equivalent_ideograph(ch: char) -> char {
    use crate::ideographs::EQUIVALENT_IDEOGRAPHS;
    match EQUIVALENT_IDEOGRAPHS.binary_search_by_key(&ch, |&(from, _)| from) {
        Ok(at) => EQUIVALENT_IDEOGRAPHS[at].1,
        Err(_) => ch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_become_ascii() {
        let s: String = "（一）１２３，：＋－　Ａ"
            .chars()
            .filter_map(normalise_char)
            .collect();
        assert_eq!(s, "(一)123,:+- A");
    }

    #[test]
    fn radicals_and_compatibility_ideographs_become_the_ideographs_they_stand_for() {
        let s: String = "⼈⺠政府⾏政规范性⽂件第⼀部分\u{F9F3}"
            .chars()
            .filter_map(normalise_char)
            .collect();
        assert_eq!(s, "人民政府行政规范性文件第一部分\u{9E9F}");
        // A radical Unicode gives no ideograph for stays as it is.
        assert_eq!(normalise_char('\u{2E80}'), Some('\u{2E80}'));
    }

    #[test]
    fn the_equivalents_are_sorted_and_each_is_a_unified_ideograph() {
        use crate::ideographs::EQUIVALENT_IDEOGRAPHS;
        assert!(EQUIVALENT_IDEOGRAPHS.windows(2).all(|w| w[0].0 < w[1].0));
        for (from, to) in EQUIVALENT_IDEOGRAPHS {
            let unified =
                matches!(to as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0x20000..=0x3FFFF);
            assert!(unified, "U+{:04X} -> U+{:04X}", from as u32, to as u32);
        }
    }

    #[test]
    fn zero_width_dropped() {
        let s: String = "规\u{200B}章\u{FEFF}政\u{202E}府\u{00AD}"
            .chars()
            .filter_map(normalise_char)
            .collect();
        assert_eq!(s, "规章政府");
    }
}
