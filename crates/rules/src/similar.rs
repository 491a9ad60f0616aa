//! How much text two reports share: character 8-gram shingles compared exactly (the
//! `text_overlap` and `peer_overlap` rules), and small sketches of them that let a batch
//! find which reports are worth comparing without keeping every text in memory.

/// Characters per shingle: long enough that common phrases of the genre (政府信息公开工作)
/// rarely make two unrelated reports alike.
const SHINGLE_CHARS: usize = 8;

/// Hashes kept in a sketch (a bottom-k sketch: the smallest shingle hashes).
pub const SKETCH_SIZE: usize = 64;

/// Calls `each` with the hash of every window of the letters (`letters_big_endian`): the
/// text's shingles, in order and with repeats. A window is its letters, 16 bits each, the
/// first in the top bits of one 128-bit word, hashed to 64 bits. A letter above U+FFFF
/// (rare) is folded into 16 bits: it may share its shingles' hashes with another, which
/// only makes two texts look a little more alike.
///
/// The letters are written out first, big-endian, one after another: the window ending
/// at a letter is then the 16 bytes that end with it, read as one big-endian number. No
/// window depends on the one before (a window shifted along, letter by letter, kept each
/// hash waiting for the last), so the processor works on several at once.
#[inline]
fn for_each_window(letters: &[u8], mut each: impl FnMut(u64)) {
    const WINDOW_BYTES: usize = SHINGLE_CHARS * 2;
    const _: () = assert!(WINDOW_BYTES == 16);
    let mut rest = letters;
    while let Some(window) = rest.first_chunk::<WINDOW_BYTES>() {
        each(window_hash(u128::from_be_bytes(*window)));
        rest = &rest[2..];
    }
}

/// How many windows (shingles, repeats counted) the letters have.
fn window_count(letters: &[u8]) -> usize {
    (letters.len() / 2).saturating_sub(SHINGLE_CHARS - 1)
}

/// The letters of the lines read as one text, each as two big-endian bytes (folded into
/// 16 bits).
fn letters_big_endian<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut letters = Vec::new();
    for line in lines {
        // Room for two bytes a byte of the line (an ASCII letter's), written through a
        // slice: a vector's push kept its length in memory, a store and a load a letter.
        let start = letters.len();
        letters.resize(start + 2 * line.len(), 0);
        let (out, mut written) = (&mut letters[start..], 0);
        for_each_letter(line, |c| {
            let folded = (c ^ (c >> 16)) as u16;
            if let Some(slot) = out.get_mut(written..written + 2) {
                slot.copy_from_slice(&folded.to_be_bytes());
            }
            written += 2;
        });
        letters.truncate(start + written);
    }
    letters
}

/// A full window's hash: its two halves folded into one by an odd multiplier (a
/// bijection of either half when the other is fixed), multiplied again so that every bit
/// reaches the top ones (which order the sketch and the buckets of `sorted_by_top_bits`;
/// a full 64-bit finaliser cost a sixth of the sketch for nothing those need).
#[inline]
fn window_hash(window: u128) -> u64 {
    const ODD: u64 = 0x9E37_79B9_7F4A_7C15;
    const ODD2: u64 = 0xBF58_476D_1CE4_E5B9;
    ((window as u64) ^ ((window >> 64) as u64).wrapping_mul(ODD)).wrapping_mul(ODD2)
}

/// Calls `each` with the code of each letter (`is_letter`) of the text, in order. Chinese
/// characters of the basic block (three bytes) are decoded on the spot, other chars by
/// `chars`.
#[inline]
fn for_each_letter(text: &str, mut each: impl FnMut(u32)) {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&lead) = bytes.get(at) {
        if lead < 0x80 {
            if lead.is_ascii_alphabetic() {
                each(u32::from(lead));
            }
            at += 1;
        } else if let (0xE4..=0xE9, Some(&[b1, b2])) = (lead, bytes.get(at + 1..at + 3)) {
            // U+4000–U+9FFF: a letter from U+4E00 on. Told here rather than by
            // `is_letter(char)`: that way the sketch ran 2.1 instead of 2.5 ns/byte.
            let c =
                (u32::from(lead & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
            if c >= 0x4E00 || is_other_letter_code(c) {
                each(c);
            }
            at += 3;
        } else if let (0xE3, Some(&[0x80, _])) | (0xEF, Some(&[0xBC, 0x80..=0xA0])) =
            (lead, bytes.get(at + 1..at + 3))
        {
            // U+3000–U+303F and U+FF00–U+FF20: the punctuation of Chinese text (、。「」，：
            // （）) and full-width digits, never letters; told here because they are common.
            at += 3;
        } else {
            let Some(c) = text.get(at..).and_then(|t| t.chars().next()) else {
                break;
            };
            if is_letter(c) {
                each(c as u32);
            }
            at += c.len_utf8();
        }
    }
}

/// `is_other_letter` of a char's code.
fn is_other_letter_code(c: u32) -> bool {
    char::from_u32(c).is_some_and(is_other_letter)
}

/// Character 8-grams of the lines read as one text (a PDF's wrapped lines and a web page's
/// long ones give the same shingles), letters only: digits dropped (figures change from
/// year to year and organ to organ), punctuation and spaces too (full-width or not, as
/// each format prints them), as sorted, distinct 64-bit hashes.
pub fn shingles<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<u64> {
    let letters = letters_big_endian(lines);
    // A hash a window: the list is made at its size, not grown and copied as it fills.
    let mut hashes = Vec::with_capacity(window_count(&letters));
    for_each_window(&letters, |h| hashes.push(h));
    let mut hashes = sorted_by_top_bits(hashes);
    hashes.dedup();
    hashes
}

/// Sorts hashes whose top bits are even (`window_hash`es): by their top bits in one
/// counting pass, then an insertion pass puts in order the few that share those bits — a
/// handful of steps a hash instead of a comparison sort (a report's narrative has several
/// thousand shingles, sorted for every report compared with another).
fn sorted_by_top_bits(hashes: Vec<u64>) -> Vec<u64> {
    let Ok(count) = u32::try_from(hashes.len()) else {
        return sorted_by_comparison(hashes);
    };
    if count < 256 {
        return sorted_by_comparison(hashes);
    }
    // 8,192 buckets (32 KiB of counts): a narrative's few thousand hashes mostly have a
    // bucket to themselves, so few are moved by the insertion pass (its unforeseeable
    // moves were half the sort at 2,048 buckets).
    const BUCKET_BITS: u32 = 13;
    let bucket = |h: u64| (h >> (64 - BUCKET_BITS)) as usize;
    let mut next = [0u32; 1 << BUCKET_BITS];
    for &h in &hashes {
        next[bucket(h)] += 1;
    }
    let mut sum = 0;
    for slot in next.iter_mut() {
        let count = *slot;
        *slot = sum;
        sum += count;
    }
    let mut sorted = vec![0u64; hashes.len()];
    for &h in &hashes {
        let at = &mut next[bucket(h)];
        sorted[*at as usize] = h;
        *at += 1;
    }
    insertion_sort(&mut sorted);
    sorted
}

/// Few hashes, or more than the counts of `sorted_by_top_bits` hold.
fn sorted_by_comparison(mut hashes: Vec<u64>) -> Vec<u64> {
    hashes.sort_unstable();
    hashes
}

/// Sorts a list that is nearly in order: each value moves left past the few greater.
fn insertion_sort(values: &mut [u64]) {
    for i in 1..values.len() {
        let value = values[i];
        let mut j = i;
        while j > 0 && values[j - 1] > value {
            values[j] = values[j - 1];
            j -= 1;
        }
        values[j] = value;
    }
}

/// How many values two sorted, distinct lists share. Lists of like length are walked
/// side by side, without branching on the comparison: whether hashes are equal, or which
/// is smaller, is a coin toss a processor cannot predict. A short list against a long one
/// (a line's shingles against a report's, line after line) has its values looked up.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    const LOOK_UP_BELOW: usize = 16;
    let (short, long) = match a.len() <= b.len() {
        true => (a, b),
        false => (b, a),
    };
    if short.len() * LOOK_UP_BELOW < long.len() {
        return shared_looked_up(short, long);
    }
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        n += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    n
}

/// `shared` by a binary search of the long list for each value of the short one, each
/// search starting where the last one ended (both lists are sorted).
fn shared_looked_up(short: &[u64], long: &[u64]) -> usize {
    let mut rest = long;
    let mut n = 0;
    for value in short {
        match rest.binary_search(value) {
            Ok(at) => {
                n += 1;
                rest = &rest[at + 1..];
            }
            Err(at) => rest = &rest[at..],
        }
    }
    n
}

/// The share of `a`'s shingles that are also `b`'s (0 when `a` has none).
pub fn contained(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() {
        return 0.0;
    }
    shared(a, b) as f64 / a.len() as f64
}

/// The smallest `SKETCH_SIZE` hashes of a text's shingles. Two sketches estimate how much
/// of one text is in the other; a batch keeps one per report (512 bytes).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sketch(Vec<u64>);

impl Sketch {
    /// The sketch of some lines' shingles, without keeping every hash (a batch sketches
    /// every file). Window hashes are even over their range, so of a text's `n` windows about
    /// `n * limit / 2^64` hash below `limit`: a limit expecting twice a sketch's worth is
    /// tried first, and only the hashes below it are set aside and sorted. Should they hold
    /// fewer than a sketch's worth of distinct hashes (a text repeating itself), the limit
    /// is raised and the windows hashed again. Either way the sketch is the smallest
    /// distinct hashes of all: every hash left out is above every one kept.
    pub fn of_lines<'a>(lines: impl Iterator<Item = &'a str>) -> Sketch {
        const EXPECTED: u64 = 2 * SKETCH_SIZE as u64;
        let letters = letters_big_endian(lines);
        let windows = window_count(&letters) as u64;
        let mut limit = match windows > EXPECTED {
            true => u64::MAX / windows * EXPECTED,
            false => u64::MAX,
        };
        loop {
            let mut below = Vec::with_capacity(2 * EXPECTED as usize);
            for_each_window(&letters, |h| {
                if h <= limit {
                    below.push(h);
                }
            });
            below.sort_unstable();
            below.dedup();
            if below.len() >= SKETCH_SIZE || limit == u64::MAX {
                below.truncate(SKETCH_SIZE);
                return Sketch(below);
            }
            limit = limit.saturating_mul(4);
        }
    }

    /// The sketch by its definition, from sorted distinct shingles: what `of_lines` must give.
    #[cfg(test)]
    fn of(shingles: &[u64]) -> Sketch {
        Sketch(shingles.iter().copied().take(SKETCH_SIZE).collect())
    }

    /// Estimated share of this text's shingles found in `other`'s, or `None` when the
    /// sketches have too few hashes in common range to say. Every hash of `other`'s text
    /// below its sketch's largest value is in its sketch, so this sketch's hashes up to
    /// that value can be looked up exactly.
    pub fn contained_in(&self, other: &Sketch) -> Option<f64> {
        const MIN_SAMPLES: usize = 16;
        let limit = match other.0.len() < SKETCH_SIZE {
            true => u64::MAX,
            false => *other.0.last()?,
        };
        let samples = self.0.partition_point(|h| *h <= limit);
        (samples >= MIN_SAMPLES)
            .then(|| shared(&self.0[..samples], &other.0) as f64 / samples as f64)
    }

    /// The hashes, smallest first.
    pub fn hashes(&self) -> &[u64] {
        &self.0
    }
}

/// Whether a character is a letter: Chinese characters and ASCII letters are answered
/// without a Unicode table lookup (most of the text, read for every report of a batch).
#[inline]
fn is_letter(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | 'a'..='z' | 'A'..='Z')
        || (!c.is_ascii() && is_other_letter(c))
}

/// The rest of `is_letter`, out of line: kept out of the loop that calls it for every char.
/// The punctuation of Chinese text, its quotation marks and dashes (“”—, U+2000–U+206F)
/// among it, is told without a Unicode table lookup: none of it is alphabetic.
#[inline(never)]
fn is_other_letter(c: char) -> bool {
    !matches!(
        c,
        '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF20}'
    ) && c.is_alphabetic()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Even 64-bit values from counters (SplitMix64's finaliser), for lists of hashes.
    fn mix(mut x: u64) -> u64 {
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    /// Sentences that share no 8-gram with each other.
    fn sentences(from: usize, count: usize) -> Vec<String> {
        (from..from + count)
            .map(|i| {
                let c = |k: usize| char::from_u32(0x4E00 + ((i * 7 + k) * 13) as u32 % 20000);
                (0..12).filter_map(c).collect::<String>()
            })
            .collect()
    }

    fn of(lines: &[String]) -> Vec<u64> {
        shingles(lines.iter().map(String::as_str))
    }

    #[test]
    fn shared_counts_the_values_both_lists_hold() {
        let list = |from: u64, count: u64, step: u64| -> Vec<u64> {
            let mut l: Vec<u64> = (from..from + count).map(|i| mix(i * step)).collect();
            l.sort_unstable();
            l.dedup();
            l
        };
        let cases = [
            (list(0, 0, 1), list(0, 10, 1)),
            (list(0, 100, 1), list(0, 100, 1)),
            (list(0, 300, 1), list(150, 300, 1)),
            (list(0, 500, 2), list(0, 500, 3)),
            (vec![u64::MAX], vec![0, u64::MAX]),
            // A short list against a long one: looked up, not walked.
            (list(0, 20, 7), list(0, 2000, 1)),
            (list(1990, 20, 1), list(0, 2000, 1)),
            (list(5000, 20, 1), list(0, 2000, 1)),
            (vec![0, u64::MAX], list(0, 2000, 1)),
        ];
        for (a, b) in cases {
            let set: std::collections::HashSet<u64> = b.iter().copied().collect();
            let expected = a.iter().filter(|h| set.contains(h)).count();
            assert_eq!(shared(&a, &b), expected);
            assert_eq!(shared(&b, &a), expected);
            let (short, long) = if a.len() <= b.len() {
                (&a, &b)
            } else {
                (&b, &a)
            };
            assert_eq!(shared_looked_up(short, long), expected);
        }
    }

    #[test]
    fn letters_are_chinese_characters_and_alphabetic_chars() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let punctuation = matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF20}');
            let expected = matches!(c, '\u{4E00}'..='\u{9FFF}')
                || c.is_ascii_alphabetic()
                || (!c.is_ascii() && !punctuation && c.is_alphabetic());
            assert_eq!(is_letter(c), expected, "{c:?}");
        }
    }

    #[test]
    fn letters_are_the_chars_is_letter_keeps() {
        let every: String = (0..=0x10FFFF).filter_map(char::from_u32).collect();
        let text = format!("{every}a。政府\u{4DFF}\u{4E00}\u{9FFF}Z");
        let mut found = Vec::new();
        for_each_letter(&text, |c| found.push(c));
        let expected: Vec<u32> = text
            .chars()
            .filter(|&c| is_letter(c))
            .map(u32::from)
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn hashes_sorted_by_top_bits_are_sorted() {
        for n in [0, 1, 5, 255, 256, 1023, 1024, 5000] {
            // Mixed values, a run of repeats, and values sharing a top byte.
            let mut hashes: Vec<u64> = (0..n as u64).map(|i| mix(i % 4000)).collect();
            hashes.extend((0..n as u64 / 10).map(|i| 0xAB00_0000_0000_0000 | i));
            let mut expected = hashes.clone();
            expected.sort_unstable();
            assert_eq!(sorted_by_top_bits(hashes), expected, "{n}");
        }
    }

    #[test]
    fn the_shifted_window_is_the_hash_of_each_window() {
        // A letter above U+FFFF among them: folded, not dropped.
        let text = "政府信息公开工作年度报告，本年度\u{20000}主动公开信息";
        let chars: Vec<u32> = text
            .chars()
            .filter(|c| c.is_alphabetic())
            .map(u32::from)
            .collect();
        let direct: Vec<u64> = chars
            .windows(SHINGLE_CHARS)
            .map(|w| {
                let window = w.iter().fold(0u128, |window, &c| {
                    (window << 16) | u128::from((c ^ (c >> 16)) & 0xFFFF)
                });
                window_hash(window)
            })
            .collect();
        let letters = letters_big_endian(std::iter::once(text));
        let mut shifted = Vec::new();
        for_each_window(&letters, |h| shifted.push(h));
        assert_eq!(shifted, direct);
        assert_eq!(direct.len(), chars.len() - SHINGLE_CHARS + 1);
        assert_eq!(window_count(&letters), direct.len());
        // Windows that differ in one letter, first or last, hash apart.
        let distinct: std::collections::HashSet<u64> = direct.iter().copied().collect();
        assert_eq!(distinct.len(), direct.len());
    }

    #[test]
    fn shingles_ignore_line_breaks() {
        let long = of(&["本年度主动公开政府信息，较上年有所增加。".to_string()]);
        let wrapped = of(&[
            "本年度主动公开".to_string(),
            "政府信息，较上年有所增加。".to_string(),
        ]);
        assert_eq!(long, wrapped);
    }

    #[test]
    fn shingles_ignore_digits_spaces_and_punctuation() {
        let a = of(&["本年度主动公开政府信息120条，较上年增加".to_string()]);
        let b = of(&["本年度 主动公开政府信息 98 条,较上年增加".to_string()]);
        assert_eq!(a, b);
        assert!(of(&["短句".to_string()]).is_empty());
    }

    #[test]
    fn containment_is_exact_and_one_sided() {
        let common = sentences(0, 40);
        let mut longer = common.clone();
        longer.extend(sentences(1000, 40));
        let (a, b) = (of(&common), of(&longer));
        assert_eq!(contained(&a, &b), 1.0);
        let half = contained(&b, &a);
        assert!((0.45..0.55).contains(&half), "{half}");
    }

    #[test]
    fn sketches_estimate_containment() {
        let a = sentences(0, 200);
        let b_lines: Vec<String> = a[..140]
            .iter()
            .cloned()
            .chain(sentences(5000, 60))
            .collect();
        let (a, b) = (of(&a), of(&b_lines));
        let exact = contained(&a, &b);
        let estimate = Sketch::of(&a).contained_in(&Sketch::of(&b)).unwrap();
        assert!((exact - estimate).abs() < 0.2, "{exact} vs {estimate}");
        let unrelated = of(&sentences(9000, 200));
        let none = Sketch::of(&a)
            .contained_in(&Sketch::of(&unrelated))
            .unwrap();
        assert!(none < 0.1, "{none}");
        assert_eq!(Sketch::of(&a).contained_in(&Sketch::of(&a)), Some(1.0));
    }

    #[test]
    fn a_sketch_of_lines_is_the_sketch_of_their_shingles() {
        // Repeated text: the smallest hashes come with repeats that must not fill the sketch.
        let mut lines = sentences(0, 300);
        lines.extend(sentences(0, 300));
        let of_lines = Sketch::of_lines(lines.iter().map(String::as_str));
        assert_eq!(of_lines, Sketch::of(&of(&lines)));
        assert_eq!(of_lines.hashes().len(), SKETCH_SIZE);
        // Texts shorter than a sketch, about as long, and many times longer, with and
        // without repeats.
        for count in [0, 1, 3, 10, 30, 31, 40, 100, 2000] {
            let mut lines = sentences(count, count);
            lines.extend(sentences(count, count / 2));
            assert_eq!(
                Sketch::of_lines(lines.iter().map(String::as_str)),
                Sketch::of(&of(&lines)),
                "{count}"
            );
        }
    }

    #[test]
    fn a_text_repeating_itself_is_sketched_from_its_distinct_shingles() {
        // Far fewer distinct shingles than windows: the first limits hold too few distinct
        // hashes, and are raised until the sketch is full or every hash is in.
        for (distinct, times) in [(3, 400), (20, 50), (70, 30), (300, 8)] {
            let lines: Vec<String> = sentences(0, distinct)
                .into_iter()
                .cycle()
                .take(distinct * times)
                .collect();
            let sketch = Sketch::of_lines(lines.iter().map(String::as_str));
            assert_eq!(sketch, Sketch::of(&of(&lines)), "{distinct} × {times}");
        }
    }

    #[test]
    fn a_tiny_text_gives_no_estimate() {
        let tiny = of(&sentences(0, 1));
        assert_eq!(Sketch::of(&tiny).contained_in(&Sketch::of(&tiny)), None);
    }
}
