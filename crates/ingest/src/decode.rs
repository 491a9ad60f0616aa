//! Encoding detection and decoding, keeping the original byte offset of every character.

use crate::IngestError;
use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

/// Decoded text and, for every char, the byte offset in the original bytes where it starts.
/// Text from UTF-8 bytes has its offsets worked out from its own (`utf8_base`); text
/// decoded from another encoding lists them.
#[derive(Debug)]
#[cfg_attr(test, derive(Clone))]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    /// When every char's offset is this plus its byte offset in `text` (the file was UTF-8,
    /// or the text has no bytes of its own): what lets the text be copied run by run.
    pub utf8_base: Option<usize>,
    /// Without a `utf8_base`: the offset of every char, then of the end of the input.
    listed: Vec<usize>,
}

impl Decoded {
    /// Text that has no bytes of its own (extracted from a PDF): offsets are its UTF-8 ones.
    pub fn from_text(text: String, encoding: &'static str) -> Decoded {
        Decoded {
            text,
            encoding,
            utf8_base: Some(0),
            listed: Vec::new(),
        }
    }

    /// Every char with the original offset where it starts (readers ask `Offsets` instead,
    /// without a list of every char).
    #[cfg(test)]
    pub(crate) fn chars_with_offsets(&self) -> Vec<(char, usize)> {
        match self.utf8_base {
            Some(base) => self
                .text
                .char_indices()
                .map(|(i, c)| (c, base + i))
                .collect(),
            None => self.text.chars().zip(self.listed.iter().copied()).collect(),
        }
    }

    /// Without a `utf8_base`: the offset of every char, then of the end of the input.
    pub(crate) fn listed(&self) -> &[usize] {
        &self.listed
    }

    /// Where the first char starts in the original (its end when there is none).
    pub fn start_offset(&self) -> usize {
        match self.utf8_base {
            Some(base) => base,
            None => self.listed.first().copied().unwrap_or(0),
        }
    }

    /// Where the input ends in the original.
    /// A byte range of the text (on char boundaries) with the original offsets of its
    /// chars: a fragment read by another reader (a web page's table in a Markdown file).
    /// `chars_before` is the number of chars before the range (asked only of text in
    /// another encoding than UTF-8, whose offsets are listed by char).
    pub(crate) fn slice(
        &self,
        range: std::ops::Range<usize>,
        chars_before: impl FnOnce() -> usize,
    ) -> Decoded {
        let text = self.text.get(range.clone()).unwrap_or_default().to_string();
        let (utf8_base, listed) = match self.utf8_base {
            Some(base) => (Some(base + range.start), Vec::new()),
            None => {
                let first = chars_before();
                let count = text.chars().count();
                // The offsets of its chars, then of the char after it (or the end).
                let listed = self.listed.get(first..=first + count).unwrap_or_default();
                (None, listed.to_vec())
            }
        };
        Decoded {
            text,
            encoding: self.encoding,
            utf8_base,
            listed,
        }
    }

    pub fn end_offset(&self) -> usize {
        match self.utf8_base {
            Some(base) => base + self.text.len(),
            None => self.listed.last().copied().unwrap_or(0),
        }
    }

    /// The same text with its offsets listed, as another encoding's are: for tests that
    /// compare the two ways.
    #[cfg(test)]
    pub(crate) fn with_listed_offsets(mut self) -> Decoded {
        if let Some(base) = self.utf8_base.take() {
            self.listed = self.text.char_indices().map(|(i, _)| base + i).collect();
            self.listed.push(base + self.text.len());
        }
        self
    }
}

/// The original offset of a byte of the decoded text, asked in order: UTF-8 text is its
/// own map; text decoded from another encoding counts its chars up to the byte asked.
pub(crate) struct Offsets<'a> {
    text: &'a str,
    base: Option<usize>,
    listed: &'a [usize],
    /// The last byte asked and how many chars are before it.
    byte: usize,
    chars: usize,
}

impl<'a> Offsets<'a> {
    pub(crate) fn new(decoded: &'a Decoded) -> Offsets<'a> {
        Offsets {
            text: &decoded.text,
            base: decoded.utf8_base,
            listed: decoded.listed(),
            byte: 0,
            chars: 0,
        }
    }

    /// The original offset of the char starting at byte `at` (not before the last asked).
    pub(crate) fn at(&mut self, at: usize) -> usize {
        if let Some(base) = self.base {
            return base + at;
        }
        let from = self.byte.min(at);
        self.chars += self.text[from..at].chars().count();
        self.byte = at;
        self.listed.get(self.chars).copied().unwrap_or(0)
    }
}

/// Decodes with a declared encoding (an HTML `<meta charset>`) used after a BOM and before
/// detection.
pub fn decode_with_hint(
    bytes: &[u8],
    declared: Option<&'static Encoding>,
) -> Result<Decoded, IngestError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..], bom_len);
    }
    // UTF-8 is validated once: valid UTF-8 read as UTF-8 (detected, or declared) is the
    // text itself; invalid, it is neither tried as declared nor detected again.
    let utf8 = simdutf8::basic::from_utf8(bytes).ok();
    if let Some(text) = utf8.filter(|_| declared.is_none_or(|d| d == UTF_8)) {
        return Ok(Decoded::from_text(text.to_string(), UTF_8.name()));
    }
    if let Some(encoding) = declared.filter(|&d| d != UTF_8) {
        // A page that lies about its charset is decoded by detection instead.
        if let Ok(decoded) = decode_with(encoding, bytes, 0) {
            return Ok(decoded);
        }
    }
    let detected = match utf8 {
        Some(_) => UTF_8,
        None => detect_not_utf8(bytes),
    };
    decode_with(detected, bytes, 0)
}

/// The text of bytes (no charset declared), without the source offset of each character:
/// for reading what a file says, not for pointing into it.
pub fn decode_text(bytes: &[u8]) -> Result<String, IngestError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_as(encoding, &bytes[bom_len..]);
    }
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(_) => decode_as(detect_not_utf8(bytes), bytes),
    }
}

fn decode_as(encoding: &'static Encoding, body: &[u8]) -> Result<String, IngestError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(IngestError::UnknownEncoding {
            guess: encoding.name().to_string(),
        });
    }
    Ok(text.into_owned())
}

/// The encoding of bytes that are not UTF-8 and have no byte-order mark: UTF-16 by its
/// zero bytes, else the detector's guess (Chinese preferred).
fn detect_not_utf8(bytes: &[u8]) -> &'static Encoding {
    if let Some(encoding) = sniff_utf16(bytes) {
        return encoding;
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let guess = detector.guess(Some(b"cn"), false);
    // GBK text is valid GB18030; prefer the superset so that rare characters decode too.
    if guess == encoding_rs::GBK {
        GB18030
    } else {
        guess
    }
}

/// The charset an HTML page declares in its first bytes (`<meta charset=…>` or
/// `<meta http-equiv … content="…; charset=…">`).
pub fn html_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    // Read as bytes: all it looks for is ASCII, which no byte of another char can be (a
    // page's head is not decoded yet, and was converted to text, char by char, before).
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let at = memchr::memmem::find(&head, b"charset=")?;
    let rest = &head[at + 8..];
    let quotes = rest
        .iter()
        .take_while(|b| matches!(b, b'"' | b'\'' | b' '))
        .count();
    let rest = &rest[quotes..];
    let label = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_')
        .count();
    let encoding = Encoding::for_label(&rest[..label])?;
    // GBK and GB2312 pages are decoded as GB18030, their superset.
    Some(if encoding == encoding_rs::GBK {
        GB18030
    } else {
        encoding
    })
}

/// UTF-16 without a BOM: most ASCII/CJK text has a zero in one byte of most code units.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units = bytes.len() / 2;
    let zeros_even = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let zeros_odd = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if zeros_odd * 4 > units && zeros_even * 20 < units {
        Some(UTF_16LE)
    } else if zeros_even * 4 > units && zeros_odd * 20 < units {
        Some(UTF_16BE)
    } else {
        None
    }
}

fn decode_with(
    encoding: &'static Encoding,
    body: &[u8],
    body_start: usize,
) -> Result<Decoded, IngestError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    if had_errors {
        return Err(IngestError::UnknownEncoding {
            guess: encoding.name().to_string(),
        });
    }
    let text = text.into_owned();
    let utf8_base = (encoding == UTF_8).then_some(body_start);
    let listed = match utf8_base {
        Some(_) => Vec::new(),
        None => char_offsets(encoding, &text, body_start),
    };
    Ok(Decoded {
        text,
        encoding: encoding.name(),
        utf8_base,
        listed,
    })
}

/// The original byte offset of every char, found from each char's encoded width (text
/// decoded from another encoding than UTF-8, whose offsets need no list).
fn char_offsets(encoding: &'static Encoding, text: &str, start: usize) -> Vec<usize> {
    let mut offsets = Vec::with_capacity(text.len() + 1);
    let mut at = start;
    let mut buf = [0u8; 4];
    for ch in text.chars() {
        offsets.push(at);
        at += encoded_width(encoding, ch, &mut buf);
    }
    offsets.push(at);
    offsets
}

fn encoded_width(encoding: &'static Encoding, ch: char, buf: &mut [u8; 4]) -> usize {
    if encoding == UTF_16LE || encoding == UTF_16BE {
        ch.len_utf16() * 2
    } else if ch.is_ascii() {
        1
    } else {
        let (bytes, _, _) = encoding.encode(ch.encode_utf8(buf));
        bytes.len()
    }
}

/// Whether the text holds a control character other than the usual whitespace: C0 and
/// DEL are single bytes, C1 chars are 0xC2 then 0x80–0x9F. Asked of byte blocks the
/// compiler vectorises; a block with 0xC2 (also the start of U+00A0, common in web
/// text) looks at the byte after each.
fn may_hold_controls(text: &str) -> bool {
    let bytes = text.as_bytes();
    let c0 = |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) | (b == 0x7f);
    let c1_at = |at: usize| {
        bytes
            .get(at + 1)
            .is_some_and(|next| (0x80..0xa0).contains(next))
    };
    bytes.chunks(64).enumerate().any(|(k, block)| {
        if block.iter().fold(false, |any, &b| any | c0(b)) {
            return true;
        }
        block.iter().fold(false, |any, &b| any | (b == 0xc2))
            && (0..block.len()).any(|i| block[i] == 0xc2 && c1_at(k * 64 + i))
    })
}

/// Text with NUL or many control characters is not a report.
pub fn reject_binary(text: &str) -> Result<(), IngestError> {
    if !may_hold_controls(text) {
        return Ok(());
    }
    if text.contains('\0') {
        return Err(IngestError::Binary("含有 NUL 字节".into()));
    }
    let total = text.chars().count().max(1);
    let control = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c'))
        .count();
    if control * 100 > total {
        return Err(IngestError::Binary(format!(
            "{total} 个字符中有 {control} 个控制字符"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `html_charset` as it was written, on the head converted to text.
    fn html_charset_of_text(bytes: &[u8]) -> Option<&'static Encoding> {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
        let at = head.find("charset=")?;
        let rest = head[at + 8..].trim_start_matches(['"', '\'', ' ']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        let encoding = Encoding::for_label(label.as_bytes())?;
        Some(if encoding == encoding_rs::GBK {
            GB18030
        } else {
            encoding
        })
    }

    #[test]
    fn a_charset_is_read_off_the_bytes_as_off_the_text() {
        const PIECES: [&str; 14] = [
            "<meta ", "charset=", "CharSet=", "\"", "'", " ", "gbk", "UTF-8", "gb_2312", "big5",
            "规章", "\u{fffd}", "x", ";",
        ];
        let mut heads: Vec<Vec<u8>> = crate::test_strings::made_of(&PIECES, 8, 30_000)
            .into_iter()
            .map(String::into_bytes)
            .collect();
        // Bytes of no char, a char cut at the 4096th byte, a declaration past it.
        heads.push(b"<meta charset=\xff\xfegbk>".to_vec());
        heads.push(b"<meta charset=\"gb\xe8k\">".to_vec());
        let mut long = vec![b' '; 4094];
        long.extend_from_slice("规charset=gbk".as_bytes());
        heads.push(long);
        let mut cut = vec![b' '; 4080];
        cut.extend_from_slice(b"charset=utf-8\xe8\xa7");
        heads.push(cut);
        for head in &heads {
            assert_eq!(
                super::html_charset(head),
                html_charset_of_text(head),
                "{:?}",
                String::from_utf8_lossy(head)
            );
        }
        assert_eq!(super::html_charset(b"<meta charset=gbk>"), Some(GB18030));
    }

    fn decode(bytes: &[u8]) -> Result<Decoded, IngestError> {
        decode_with_hint(bytes, None)
    }

    const SAMPLE: &str = "二、主动公开政府信息情况\n规章\t0\t0\t0\n";

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode(SAMPLE.as_bytes()).unwrap();
        assert_eq!(plain.encoding, "UTF-8");
        assert_eq!(plain.text, SAMPLE);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(SAMPLE.as_bytes());
        let bom = decode(&with_bom).unwrap();
        assert_eq!(bom.text, SAMPLE);
        assert_eq!(bom.start_offset(), 3);
        assert_eq!(bom.chars_with_offsets()[1].1, 6);
    }

    #[test]
    fn gb18030_detected_and_offsets_follow_two_byte_chars() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, SAMPLE);
        // "二、" are two 2-byte characters in GB18030.
        assert_eq!(d.chars_with_offsets()[2].1, 4);
        assert_eq!(d.end_offset(), bytes.len());
    }

    #[test]
    fn utf16_with_bom_and_without() {
        let mut le: Vec<u8> = vec![0xFF, 0xFE];
        for unit in SAMPLE.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, SAMPLE);
        let ascii_heavy = "Report 2019\t0\t0\t0\n规章\n";
        let be: Vec<u8> = ascii_heavy
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let d = decode(&be).unwrap();
        assert_eq!(d.encoding, "UTF-16BE");
        assert_eq!(d.text, ascii_heavy);
    }

    #[test]
    fn words_decode_as_the_offset_keeping_decoder_does() {
        let (gb, _, _) = GB18030.encode(SAMPLE);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(SAMPLE.as_bytes());
        for bytes in [SAMPLE.as_bytes().to_vec(), gb.into_owned(), bom] {
            let words = decode_text(&bytes).unwrap();
            assert_eq!(words, decode(&bytes).unwrap().text);
        }
    }

    #[test]
    fn a_declared_charset_is_tried_before_utf8() {
        let (gbk, _, _) = GB18030.encode("规章");
        let declared = decode_with_hint(&gbk, Some(GB18030)).unwrap();
        assert_eq!(
            (declared.text.as_str(), declared.encoding),
            ("规章", "gb18030")
        );
        // ASCII is valid in both: the declared charset names it.
        let ascii = decode_with_hint(b"t3 0 0", Some(GB18030)).unwrap();
        assert_eq!(ascii.encoding, "gb18030");
        // A page that says UTF-8 and is not is decoded by detection.
        let (gb, _, _) = GB18030.encode(SAMPLE);
        let lying = decode_with_hint(&gb, Some(UTF_8)).unwrap();
        assert_eq!((lying.text.as_str(), lying.encoding), (SAMPLE, "gb18030"));
        let utf8 = decode_with_hint(SAMPLE.as_bytes(), Some(UTF_8)).unwrap();
        assert_eq!((utf8.text.as_str(), utf8.utf8_base), (SAMPLE, Some(0)));
    }

    #[test]
    fn binary_is_rejected() {
        assert!(reject_binary("abc\0def").is_err());
        let noisy: String = (0..100)
            .map(|i| if i % 3 == 0 { '\x01' } else { 'a' })
            .collect();
        assert!(reject_binary(&noisy).is_err());
        assert!(reject_binary("规章\t0\n").is_ok());
        // C1 controls (two bytes in UTF-8) and DEL count as control characters too.
        for control in ['\u{85}', '\u{9f}', '\x7f'] {
            let noisy: String = (0..100)
                .map(|i| if i % 3 == 0 { control } else { '规' })
                .collect();
            assert!(reject_binary(&noisy).is_err(), "{control:?}");
        }
    }

    #[test]
    fn controls_are_told_by_their_bytes() {
        // Every char is asked: the answer must be is_control's.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let text = format!("规章{c}");
            let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c');
            assert_eq!(may_hold_controls(&text), control, "{c:?}");
        }
        assert!(!may_hold_controls("二、主动公开\t0\r\n\x0cé\u{a0}"));
        // A C1 control across a block's end.
        let across = format!("{}\u{85}", "a".repeat(63));
        assert!(may_hold_controls(&across));
    }
}
