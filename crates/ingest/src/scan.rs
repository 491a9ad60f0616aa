//! Scanning UTF-8 text a byte at a time: line ends, tabs and whitespace are single bytes
//! or start with a few lead bytes, so Chinese text (three bytes a char) is skipped without
//! decoding it, and lines are cut by memchr a vector at a time.

/// The bytes a whitespace char's UTF-8 starts with: tab to CR, space, 0xC2, 0xE1, 0xE2,
/// 0xE3.
const MAY_BE_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = matches!(i as u8, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        i += 1;
    }
    table
};

/// The next whitespace char of `text` at or after byte `at` (a char boundary), with its
/// offset. Only chars that start with a `MAY_BE_SPACE` byte are looked at: Chinese text is
/// skipped eight bytes at a time.
pub fn next_whitespace(text: &str, at: usize) -> Option<(usize, char)> {
    let bytes = text.as_bytes();
    let mut at = at;
    loop {
        let found = next_may_be_space(bytes, at)?;
        match bytes[found] {
            // The ASCII bytes of `MAY_BE_SPACE` are all whitespace.
            b if b < 0x80 => return Some((found, char::from(b))),
            // Of U+3000–U+3FFF (、。「」 …, the common stop in Chinese text) only U+3000.
            0xE3 if bytes.get(found + 1..found + 3) != Some(&[0x80, 0x80]) => at = found + 3,
            // A lead byte: where a char starts.
            _ => {
                let ch = text.get(found..)?.chars().next()?;
                if ch.is_whitespace() {
                    return Some((found, ch));
                }
                at = found + ch.len_utf8();
            }
        }
    }
}

/// Tests of eight bytes at once, a word of them read little-endian: each marks the high bit
/// of the bytes it finds, exactly for the lowest one (a byte above it may be marked
/// wrongly, so only the lowest mark is read).
pub(crate) mod word {
    pub const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES << 7;

    /// Marks the bytes equal to `byte`.
    pub fn equal(word: u64, byte: u8) -> u64 {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & HIGH
    }

    /// Marks the bytes below `bound` (at most 0x80).
    pub fn below(word: u64, bound: u8) -> u64 {
        word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGH
    }
}

/// The first position from `from` on whose byte is a `MAY_BE_SPACE` byte: eight bytes at a
/// time, each word tested for bytes below 0x21, 0xC2 and 0xE0–0xE3 at once, then the
/// candidate checked against the table (control bytes and 0xE0 pass the word's test too).
fn next_may_be_space(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        // 0xE0–0xE3 differ in their two lowest bits only.
        let marks = word::below(word, 0x21)
            | word::equal(word, 0xC2)
            | word::equal(word | (word::ONES * 3), 0xE3);
        if marks == 0 {
            at += 8;
            continue;
        }
        let candidate = at + (marks.trailing_zeros() / 8) as usize;
        if MAY_BE_SPACE[usize::from(bytes[candidate])] {
            return Some(candidate);
        }
        at = candidate + 1;
    }
    Some(
        at + bytes
            .get(at..)?
            .iter()
            .position(|&b| MAY_BE_SPACE[usize::from(b)])?,
    )
}

/// The runs of whitespace of a text, each as its (start, end) byte range, in order.
pub fn whitespace_runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (start, ch) = next_whitespace(text, at)?;
        let mut end = start + ch.len_utf8();
        while let Some(c) = text[end..].chars().next().filter(|c| c.is_whitespace()) {
            end += c.len_utf8();
        }
        at = end;
        Some((start, end))
    })
}

/// The text without its whitespace chars.
pub fn without_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = 0;
    for (start, end) in whitespace_runs(text) {
        out.push_str(&text[run..start]);
        run = end;
    }
    out.push_str(&text[run..]);
    out
}

/// Whether the text without its whitespace chars is `word` (nothing is built).
pub fn is_without_whitespace(text: &str, word: &str) -> bool {
    // Most texts differ at their first char: told before looking for whitespace further on.
    if let Some(first) = word.chars().next() {
        if !text.trim_start().starts_with(first) {
            return false;
        }
    }
    let mut rest = word;
    let mut run = 0;
    for (start, end) in whitespace_runs(text) {
        match rest.strip_prefix(&text[run..start]) {
            Some(after) => rest = after,
            None => return false,
        }
        run = end;
    }
    rest == &text[run..]
}

/// Whether a byte of UTF-8 starts a char (it is no continuation byte, 10xxxxxx). Written
/// as a signed comparison: loops over bytes that count or test it are vectorised.
#[inline]
pub(crate) fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

/// An offset in 32 bits, as offset maps keep them (half the memory of 64; files are
/// refused long before 4 GiB, and past it offsets would stop at the last one).
pub(crate) fn offset32(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// The lines of a text as `split_inclusive('\n')` cuts it, found by memchr: (start, end
/// without the newline, end with it).
pub fn line_ranges(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    byte_line_ranges(text.as_bytes())
}

/// `line_ranges` of bytes in any encoding (a MIME archive's).
pub(crate) fn byte_line_ranges(bytes: &[u8]) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let len = bytes.len();
    let mut newlines = memchr::memchr_iter(b'\n', bytes);
    let mut start = 0;
    std::iter::from_fn(move || {
        if start >= len {
            return None;
        }
        let (end, next) = newlines.next().map_or((len, len), |at| (at, at + 1));
        let line = (start, end, next);
        start = next;
        Some(line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ranges_cut_as_split_inclusive_does() {
        for text in ["", "a", "a\n", "a\nb", "\n\n", "一\r\n二\n\n三", "\nx"] {
            let ours: Vec<(usize, usize, usize)> = super::line_ranges(text).collect();
            let mut theirs = Vec::new();
            let mut start = 0;
            for piece in text.split_inclusive('\n') {
                let end = start + piece.trim_end_matches('\n').len();
                theirs.push((start, end, start + piece.len()));
                start += piece.len();
            }
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn every_whitespace_char_is_found() {
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("公开{c}a");
            let expected = c.is_whitespace().then_some((6, c));
            assert_eq!(next_whitespace(&text, 0), expected, "{c:?}");
        }
        assert_eq!(next_whitespace("a b\u{3000}c", 2), Some((3, '\u{3000}')));
        assert_eq!(next_whitespace("a b", 2), None);
    }

    #[test]
    fn whitespace_is_found_wherever_it_lies_in_a_word_of_eight_bytes() {
        // Fillers with the bytes the word test lets through (、。 start with 0xE3, ࠀ with
        // 0xE0, U+001F is a control byte) and ones it skips.
        let fillers = ["公", "、", "。", "a", "\u{800}", "\u{1f}", "é", "“"];
        for space in [' ', '\t', '\u{3000}', '\u{a0}', '\u{2003}', '\u{1680}'] {
            for n in 0..24 {
                let before: String = (0..n)
                    .map(|i| fillers[(i * 5 + n) % fillers.len()])
                    .collect();
                let text = format!("{before}{space}一");
                let naive = text.char_indices().find(|(_, c)| c.is_whitespace());
                assert_eq!(next_whitespace(&text, 0), naive, "{text:?}");
            }
        }
    }

    #[test]
    fn whitespace_runs_are_the_maximal_ones() {
        for text in [
            "",
            "a",
            " ",
            "a b",
            "  a\u{3000}\t b ",
            "规 \u{a0}章\r\n",
            "ab  ",
        ] {
            let mut naive = Vec::new();
            let mut open: Option<usize> = None;
            for (i, c) in text.char_indices() {
                match (c.is_whitespace(), open) {
                    (true, None) => open = Some(i),
                    (false, Some(s)) => {
                        naive.push((s, i));
                        open = None;
                    }
                    _ => {}
                }
            }
            naive.extend(open.map(|s| (s, text.len())));
            assert_eq!(whitespace_runs(text).collect::<Vec<_>>(), naive, "{text:?}");
        }
    }

    #[test]
    fn whitespace_dropped_as_by_filtering_chars() {
        let texts = [
            "",
            " ",
            "目 录",
            "目录 ",
            "\u{3000}目\t录\u{a0}",
            "一、 总体 情况",
            "目录a",
            "a b\u{2028}c",
        ];
        for text in texts {
            let filtered: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert_eq!(without_whitespace(text), filtered, "{text:?}");
            for word in ["目录", "", "一、总体情况", "ab\u{2028}c", "abc", "目"] {
                assert_eq!(
                    is_without_whitespace(text, word),
                    filtered == word,
                    "{text:?} {word:?}"
                );
            }
        }
    }
}
