//! How a font's strings split into character codes, and what text a code is when the font
//! has no ToUnicode map for it. A composite (Type0) font names a CMap as its encoding:
//! `Identity-H` codes are glyph numbers (two bytes each, their text only in ToUnicode),
//! but the predefined Chinese CMaps are encodings of text. A font that is not embedded
//! (`STSong-Light` with `UniGB-UCS2-H`, as Java report writers such as iText set Chinese)
//! usually has no ToUnicode: its codes are UCS-2 (or UTF-16) or GBK (GB 2312, GB 18030)
//! bytes, read here as such.

/// The kind of codes a font's strings hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Codes {
    /// One byte a code (simple fonts): its text the byte as Latin-1 without ToUnicode.
    OneByte,
    /// Two bytes a code (`Identity-H` and CMaps not known here): text only by ToUnicode.
    TwoBytes,
    /// UTF-16 big-endian (`Uni…-UCS2-…`, `Uni…-UTF16-…`): a code is a char.
    Utf16,
    /// The GB family (`GBK-EUC-…`, `GB-EUC-…`, `GBpc-EUC-…`, `GBK2K-…`): one byte below
    /// 0x81 (and from 0xFD in `GBpc`), four in GB 18030's four-byte range, two otherwise.
    Gb,
}

impl Codes {
    /// The codes of a font of `subtype` whose encoding is named `encoding`.
    pub(crate) fn of(subtype: &[u8], encoding: &[u8]) -> Codes {
        if subtype != b"Type0" {
            return Codes::OneByte;
        }
        let name = String::from_utf8_lossy(encoding);
        let is_unicode =
            name.starts_with("Uni") && (name.contains("-UCS2-") || name.contains("-UTF16-"));
        let is_gb = ["GBK-EUC-", "GBKp-EUC-", "GBK2K-", "GB-EUC-", "GBpc-EUC-"]
            .iter()
            .any(|prefix| name.starts_with(prefix));
        match (is_unicode, is_gb) {
            (true, _) => Codes::Utf16,
            (_, true) => Codes::Gb,
            _ => Codes::TwoBytes,
        }
    }

    /// The first code of `bytes` and its length in bytes (at least one, at most the rest).
    pub(crate) fn next(self, bytes: &[u8]) -> (u32, usize) {
        let len = match self {
            Codes::OneByte => 1,
            Codes::TwoBytes => 2,
            Codes::Utf16 => match bytes.first() {
                Some(0xD8..=0xDB) => 4,
                _ => 2,
            },
            Codes::Gb => match bytes {
                [0x00..=0x80 | 0xFD..=0xFF, ..] => 1,
                [_, 0x30..=0x39, _, 0x30..=0x39, ..] => 4,
                _ => 2,
            },
        };
        let len = len.min(bytes.len()).max(1);
        let code = bytes[..len]
            .iter()
            .fold(0u32, |acc, b| acc << 8 | *b as u32);
        (code, len)
    }

    /// The text of a code (of `len` bytes) the font's ToUnicode does not map.
    pub(crate) fn text(self, code: u32, len: usize) -> String {
        let bytes = &code.to_be_bytes()[4 - len.min(4)..];
        match self {
            Codes::OneByte => (code as u8 as char).to_string(),
            Codes::TwoBytes => String::new(),
            Codes::Utf16 => encoding_rs::UTF_16BE
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
            Codes::Gb => encoding_rs::GB18030
                .decode_without_bom_handling_and_without_replacement(bytes)
                .map(|t| t.into_owned())
                .unwrap_or_default(),
        }
    }

    /// The CID of an ASCII code's glyph in Adobe-GB1, whose widths a font's `W` gives by
    /// CID (not by code): half-width forms from CID 1 in the Unicode CMaps, proportional
    /// Latin from CID 814 in the GB ones. `None` for other codes (their CID is in the CMap,
    /// which is not read: they take the font's default width, CJK's full width).
    pub(crate) fn ascii_cid(self, code: u32) -> Option<u32> {
        match (self, code) {
            (Codes::Utf16, 0x20..=0x7E) => Some(code - 0x1F),
            (Codes::Gb, 0x21..=0x7E) => Some(code - 0x21 + 814),
            (Codes::Gb, 0x20) => Some(7716),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code of `bytes` with its text.
    fn read(codes: Codes, bytes: &[u8]) -> Vec<(u32, String)> {
        let mut rest = bytes;
        let mut read = Vec::new();
        while !rest.is_empty() {
            let (code, len) = codes.next(rest);
            read.push((code, codes.text(code, len)));
            rest = &rest[len..];
        }
        read
    }

    fn text(codes: Codes, bytes: &[u8]) -> String {
        read(codes, bytes).into_iter().map(|(_, t)| t).collect()
    }

    #[test]
    fn fonts_are_told_by_subtype_and_cmap() {
        assert_eq!(Codes::of(b"TrueType", b"WinAnsiEncoding"), Codes::OneByte);
        assert_eq!(Codes::of(b"Type0", b"Identity-H"), Codes::TwoBytes);
        assert_eq!(Codes::of(b"Type0", b"UniGB-UCS2-H"), Codes::Utf16);
        assert_eq!(Codes::of(b"Type0", b"UniGB-UTF16-V"), Codes::Utf16);
        assert_eq!(Codes::of(b"Type0", b"GBK-EUC-H"), Codes::Gb);
        assert_eq!(Codes::of(b"Type0", b"GBK2K-V"), Codes::Gb);
        assert_eq!(Codes::of(b"Type0", b"GBpc-EUC-H"), Codes::Gb);
        assert_eq!(Codes::of(b"Type0", b"90ms-RKSJ-H"), Codes::TwoBytes);
    }

    #[test]
    fn unicode_cmaps_read_as_utf16() {
        let title = "兰陵县2019年报告（一）";
        let bytes: Vec<u8> = title.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(text(Codes::Utf16, &bytes), title);
        // A char beyond the basic plane is a surrogate pair: one code of four bytes.
        let far: Vec<u8> = "𠀀a".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(
            read(Codes::Utf16, &far),
            [(0xD840DC00, "𠀀".into()), (0x61, "a".into())]
        );
    }

    #[test]
    fn gb_cmaps_read_one_two_or_four_bytes() {
        let (gbk, _, _) = encoding_rs::GBK.encode("兰陵县2019年，收到申请12件。");
        assert_eq!(text(Codes::Gb, &gbk), "兰陵县2019年，收到申请12件。");
        let (gb18030, _, _) = encoding_rs::GB18030.encode("㐀x");
        assert_eq!(gb18030.len(), 5, "a four-byte char and one byte");
        assert_eq!(text(Codes::Gb, &gb18030), "㐀x");
    }

    #[test]
    fn a_cut_code_is_read_to_the_end_of_the_string() {
        assert_eq!(Codes::Utf16.next(&[0x4E]), (0x4E, 1));
        assert_eq!(Codes::Gb.next(&[0xC0]), (0xC0, 1));
        assert_eq!(
            Codes::Utf16.text(0x4E, 1),
            "",
            "half a UTF-16 unit is no char"
        );
    }

    #[test]
    fn ascii_widths_are_found_by_their_cid() {
        assert_eq!(Codes::Utf16.ascii_cid('0' as u32), Some(17));
        assert_eq!(Codes::Gb.ascii_cid('0' as u32), Some(829));
        assert_eq!(Codes::Utf16.ascii_cid(0x5170), None);
        assert_eq!(Codes::TwoBytes.ascii_cid('0' as u32), None);
    }
}
