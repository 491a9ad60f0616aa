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
        // Minus-like dashes before digits are read as minus by the number parser; keep them.
        _ => Some(ch),
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
    fn zero_width_dropped() {
        let s: String = "规\u{200B}章\u{FEFF}政\u{202E}府\u{00AD}"
            .chars()
            .filter_map(normalise_char)
            .collect();
        assert_eq!(s, "规章政府");
    }
}
