//! RTF: `.rtf` files, and the many `.doc` downloads that are RTF inside (web systems and
//! WPS export Word files so). The text is the document's paragraphs with header, footer,
//! note, picture and other non-body groups left out, field codes hidden and their results
//! kept; characters come as `\uN` (with a fallback to skip), as `\'hh` bytes in the
//! document's or the font's code page (GBK in Chinese documents), or as plain bytes.
//! Tables are rows of cells: `\trowd` defines a row (its cells' right boundaries
//! `\cellx`, their merges `\clvmgf`/`\clvmrg`, `\clmgf`/`\clmrg`), `\cell` and `\row` end
//! a cell and a row; they become grids as a Word 97 document's do.

use crate::cell_rows::{finish_table, join_cell_text, RawRow, RowDefinition};
use crate::grid::Grid;
use crate::IngestError;
use encoding_rs::Encoding;
use std::collections::HashMap;

/// Deepest nesting of groups read; a file nested deeper is refused.
const MAX_DEPTH: usize = 1024;

/// Groups whose text is not the body's: left out whole.
const SKIPPED_DESTINATIONS: &[&str] = &[
    "aftnsep",
    "aftnsepc",
    "annotation",
    "atnauthor",
    "atnid",
    "colortbl",
    "datastore",
    "fldinst",
    "footer",
    "footerf",
    "footerl",
    "footerr",
    "footnote",
    "ftnsep",
    "ftnsepc",
    "generator",
    "header",
    "headerf",
    "headerl",
    "headerr",
    "info",
    "latentstyles",
    "listoverridetable",
    "listtable",
    "nonshppict",
    "object",
    "pgdsctbl",
    "pict",
    "revtbl",
    "rsidtbl",
    "shppict",
    "stylesheet",
    "tc",
    "themedata",
    "userprops",
    "xe",
    "xmlnstbl",
];

/// What a group changes and its inner groups inherit.
#[derive(Clone)]
struct Group {
    /// Text in the group is not the body's.
    skip: bool,
    /// Text in the group is a tracked deletion (`\deleted`): not read, as in DOC and DOCX;
    /// the marks that end paragraphs, cells and rows still count.
    deleted: bool,
    /// Text in the group is hidden (`\v`): neither shown nor printed, so not read either,
    /// as a tracked deletion is not.
    hidden: bool,
    /// The group is the font table: its fonts' numbers and character sets are read.
    font_table: bool,
    /// Bytes (`\'hh`) that stand for a `\uN` character, skipped after it.
    unicode_fallback: usize,
    /// The code page of the font in use, when it is not the document's.
    font_encoding: Option<&'static Encoding>,
    /// The paragraph is in a table's cell.
    in_table: bool,
}

/// The row being defined: its left edge and its cells' right boundaries and merges.
#[derive(Default)]
struct RowBeingDefined {
    left: i32,
    rights: Vec<i32>,
    horizontal: Vec<u8>,
    vertical: Vec<u8>,
    next_horizontal: u8,
    next_vertical: u8,
}

impl RowBeingDefined {
    fn definition(&self) -> Option<RowDefinition> {
        (!self.rights.is_empty()).then(|| RowDefinition {
            bounds: std::iter::once(self.left)
                .chain(self.rights.iter().copied())
                .collect(),
            horizontal: self.horizontal.clone(),
            vertical: self.vertical.clone(),
        })
    }
}

/// The text and tables being built.
struct Reader {
    out: String,
    grids: Vec<Grid>,
    rows: Vec<RawRow>,
    cells: Vec<String>,
    cell: String,
    paragraph: String,
    /// Bytes of text not yet decoded (a double-byte character comes as two `\'hh`).
    bytes: Vec<u8>,
    bytes_encoding: &'static Encoding,
    document_encoding: &'static Encoding,
    /// Fonts' character sets, by font number.
    fonts: HashMap<i32, &'static Encoding>,
    font_being_defined: i32,
    row: RowBeingDefined,
    /// Fallback bytes or characters still to skip after a `\uN`.
    to_skip: usize,
    /// Where pictures stand in `out`, and whether the paragraph being read holds one.
    pictures: Vec<usize>,
    picture_in_paragraph: bool,
}

/// The text of an RTF document (a paragraph a line; a table a line a row, its cells
/// tab-separated), its tables as grids (their ranges in that text), and where pictures
/// stand in it: a paragraph outside tables holding a picture (`\shppict`, or a `\pict`
/// of its own; not the `\nonshppict` copy for older readers, nor one in a left-out group
/// such as a header).
pub fn text_of(
    bytes: &[u8],
    max_text_bytes: usize,
) -> Result<(String, Vec<Grid>, Vec<usize>), IngestError> {
    let mut reader = Reader {
        out: String::new(),
        grids: Vec::new(),
        rows: Vec::new(),
        cells: Vec::new(),
        cell: String::new(),
        paragraph: String::new(),
        bytes: Vec::new(),
        bytes_encoding: encoding_rs::WINDOWS_1252,
        document_encoding: encoding_rs::WINDOWS_1252,
        fonts: HashMap::new(),
        font_being_defined: 0,
        row: RowBeingDefined::default(),
        to_skip: 0,
        pictures: Vec::new(),
        picture_in_paragraph: false,
    };
    let mut groups: Vec<Group> = Vec::new();
    let mut group = Group {
        skip: false,
        deleted: false,
        hidden: false,
        font_table: false,
        unicode_fallback: 1,
        font_encoding: None,
        in_table: false,
    };
    // Whether the next control word is the first of its group (a destination).
    let mut group_start = false;
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        at += 1;
        match b {
            b'{' => {
                if groups.len() >= MAX_DEPTH {
                    return Err(IngestError::Limit(format!(
                        "RTF groups nested deeper than {MAX_DEPTH}"
                    )));
                }
                reader.flush_bytes();
                groups.push(group.clone());
                group_start = true;
                continue;
            }
            b'}' => {
                reader.flush_bytes();
                if let Some(outer) = groups.pop() {
                    group = outer;
                }
            }
            b'\\' => {
                let (control, next) = control_at(bytes, at);
                at = next;
                match control {
                    Control::Word(word, parameter) => {
                        let read = |g: &Group| !(g.skip || g.hidden || g.deleted);
                        if matches!(word, "shppict" | "pict") && groups.last().is_some_and(read) {
                            reader.picture_in_paragraph = true;
                        }
                        if group_start && SKIPPED_DESTINATIONS.contains(&word) {
                            group.skip = true;
                        }
                        if group_start && word == "fonttbl" {
                            group.font_table = true;
                            group.skip = true;
                        }
                        if word == "bin" {
                            at = at.saturating_add(parameter.unwrap_or(0).max(0) as usize);
                        } else {
                            reader.word(word, parameter, &mut group);
                        }
                    }
                    Control::Byte(byte) => reader.text_byte(byte, &group),
                    Control::Char(c) => reader.text_char(c, &group),
                    // `\*`: a group that readers who do not know it leave out.
                    Control::Ignorable => group.skip = true,
                    Control::None => {}
                }
            }
            b'\r' | b'\n' => {}
            _ => reader.text_byte(b, &group),
        }
        group_start = false;
    }
    reader.flush_bytes();
    if !reader.paragraph.is_empty() {
        reader.end_paragraph(&group);
    }
    if reader.out.len() > max_text_bytes {
        return Err(IngestError::Limit(format!(
            "{} bytes of text, more than {max_text_bytes}",
            reader.out.len()
        )));
    }
    finish_table(&mut reader.rows, &mut reader.out, &mut reader.grids);
    Ok((reader.out, reader.grids, reader.pictures))
}

/// One control after a backslash.
enum Control<'a> {
    Word(&'a str, Option<i32>),
    Byte(u8),
    Char(char),
    Ignorable,
    None,
}

/// The control starting at `at` (just after its backslash) and where the input goes on.
fn control_at(bytes: &[u8], at: usize) -> (Control<'_>, usize) {
    let Some(&first) = bytes.get(at) else {
        return (Control::None, at);
    };
    if !first.is_ascii_alphabetic() {
        return match first {
            b'\'' => {
                let hex = bytes
                    .get(at + 1..at + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(byte) => (Control::Byte(byte), at + 3),
                    None => (Control::None, at + 1),
                }
            }
            b'\\' | b'{' | b'}' => (Control::Byte(first), at + 1),
            b'~' => (Control::Char('\u{A0}'), at + 1),
            b'_' => (Control::Char('-'), at + 1),
            b'*' => (Control::Ignorable, at + 1),
            b'\r' | b'\n' => (Control::Word("par", None), at + 1),
            _ => (Control::None, at + 1),
        };
    }
    let mut end = at;
    while bytes.get(end).is_some_and(u8::is_ascii_alphabetic) {
        end += 1;
    }
    let word = std::str::from_utf8(&bytes[at..end]).unwrap_or("");
    let digits_from = end;
    if bytes.get(end) == Some(&b'-') {
        end += 1;
    }
    while bytes.get(end).is_some_and(u8::is_ascii_digit) && end - digits_from < 12 {
        end += 1;
    }
    let parameter = std::str::from_utf8(&bytes[digits_from..end])
        .ok()
        .and_then(|p| p.parse::<i64>().ok())
        .map(|p| p.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32);
    if bytes.get(end) == Some(&b' ') {
        end += 1;
    }
    (Control::Word(word, parameter), end)
}

/// The encoding of an RTF character set (`\fcharset`) or code page (`\ansicpg`).
fn charset_encoding(charset: i32) -> Option<&'static Encoding> {
    Some(match charset {
        128 => encoding_rs::SHIFT_JIS,
        129 => encoding_rs::EUC_KR,
        134 => encoding_rs::GBK,
        136 => encoding_rs::BIG5,
        _ => return None,
    })
}

fn codepage_encoding(codepage: i32) -> Option<&'static Encoding> {
    Some(match codepage {
        936 => encoding_rs::GBK,
        54936 => encoding_rs::GB18030,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        65001 => encoding_rs::UTF_8,
        1252 => encoding_rs::WINDOWS_1252,
        _ => return None,
    })
}

impl Reader {
    fn word(&mut self, word: &str, parameter: Option<i32>, group: &mut Group) {
        if group.font_table {
            match (word, parameter) {
                ("f", Some(n)) => self.font_being_defined = n,
                ("fcharset", Some(set)) => {
                    if let Some(encoding) = charset_encoding(set) {
                        self.fonts.insert(self.font_being_defined, encoding);
                    }
                }
                _ => {}
            }
            return;
        }
        // A left-out group (a footnote in the middle of a paragraph, a header) ends no
        // paragraph, cell or row of the body, and defines none.
        if group.skip {
            return;
        }
        match (word, parameter) {
            ("ansicpg", Some(page)) => {
                if let Some(encoding) = codepage_encoding(page) {
                    self.document_encoding = encoding;
                }
            }
            ("uc", Some(n)) => group.unicode_fallback = n.clamp(0, 8) as usize,
            ("u", Some(n)) => {
                let code = if n < 0 { n + 65536 } else { n };
                let c = u32::try_from(code).ok().and_then(char::from_u32);
                self.text_char(c.unwrap_or(char::REPLACEMENT_CHARACTER), group);
                self.to_skip = group.unicode_fallback;
            }
            ("f" | "af", Some(n)) => group.font_encoding = self.fonts.get(&n).copied(),
            ("deleted", parameter) => group.deleted = parameter != Some(0),
            ("v", parameter) => group.hidden = parameter != Some(0),
            // Character formatting back to the default: shown, not deleted.
            ("plain", _) => (group.deleted, group.hidden) = (false, false),
            ("pard", _) => group.in_table = false,
            ("intbl", _) => group.in_table = true,
            ("par", _) => {
                self.flush_bytes();
                self.end_paragraph(group);
            }
            ("line", _) => self.text_char('\n', group),
            ("tab", _) => self.text_char('\t', group),
            ("emdash", _) => self.text_char('—', group),
            ("endash", _) => self.text_char('–', group),
            ("bullet", _) => self.text_char('•', group),
            ("lquote", _) => self.text_char('‘', group),
            ("rquote", _) => self.text_char('’', group),
            ("ldblquote", _) => self.text_char('“', group),
            ("rdblquote", _) => self.text_char('”', group),
            ("emspace" | "enspace" | "qmspace", _) => self.text_char(' ', group),
            ("cell", _) => {
                self.flush_bytes();
                let text = std::mem::take(&mut self.paragraph);
                self.picture_in_paragraph = false;
                join_cell_text(&mut self.cell, &text);
                self.cells.push(std::mem::take(&mut self.cell));
            }
            ("nestcell" | "nestrow", _) => self.text_char(' ', group),
            ("row", _) => {
                self.flush_bytes();
                self.rows.push(RawRow {
                    cells: std::mem::take(&mut self.cells),
                    definition: self.row.definition(),
                });
            }
            ("trowd", _) => self.row = RowBeingDefined::default(),
            ("trleft", Some(left)) => self.row.left = left,
            ("clvmgf", _) => self.row.next_vertical = 3,
            ("clvmrg", _) => self.row.next_vertical = 1,
            ("clmgf", _) => self.row.next_horizontal = 1,
            ("clmrg", _) => self.row.next_horizontal = 2,
            ("cellx", Some(right)) => {
                let row = &mut self.row;
                row.rights.push(right);
                row.horizontal
                    .push(std::mem::take(&mut row.next_horizontal));
                row.vertical.push(std::mem::take(&mut row.next_vertical));
            }
            _ => {}
        }
    }

    /// A byte of text in the group's code page (or a `\uN`'s fallback, skipped).
    fn text_byte(&mut self, byte: u8, group: &Group) {
        // A fallback is skipped in any group (its `\uN` may have been left out too).
        if self.to_skip > 0 {
            self.to_skip -= 1;
            return;
        }
        if group.skip || group.deleted || group.hidden {
            return;
        }
        let encoding = self.byte_encoding(group);
        if encoding != self.bytes_encoding {
            self.flush_bytes();
            self.bytes_encoding = encoding;
        }
        self.bytes.push(byte);
    }

    /// Bytes are read in the document's code page when it is a Chinese (or other
    /// double-byte) one, otherwise in the font's when the font names one.
    fn byte_encoding(&self, group: &Group) -> &'static Encoding {
        match self.document_encoding == encoding_rs::WINDOWS_1252 {
            true => group.font_encoding.unwrap_or(self.document_encoding),
            false => self.document_encoding,
        }
    }

    fn text_char(&mut self, c: char, group: &Group) {
        if self.to_skip > 0 && !matches!(c, '\n' | '\t') {
            self.to_skip -= 1;
            return;
        }
        if group.skip || group.deleted || group.hidden {
            return;
        }
        self.flush_bytes();
        self.paragraph.push(c);
    }

    fn flush_bytes(&mut self) {
        if self.bytes.is_empty() {
            return;
        }
        let (text, _) = self.bytes_encoding.decode_without_bom_handling(&self.bytes);
        self.paragraph
            .extend(text.chars().filter(|&c| u32::from(c) >= 0x20 || c == '\t'));
        self.bytes.clear();
    }

    fn end_paragraph(&mut self, group: &Group) {
        let text = std::mem::take(&mut self.paragraph);
        // A picture in a table's cell is no table printed as a picture.
        let picture = std::mem::take(&mut self.picture_in_paragraph);
        if group.in_table {
            join_cell_text(&mut self.cell, &text);
            return;
        }
        finish_table(&mut self.rows, &mut self.out, &mut self.grids);
        if picture {
            self.pictures.push(self.out.len());
        }
        if !text.is_empty() || !self.out.is_empty() {
            self.out.push_str(&text);
            self.out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gbk(text: &str) -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(text);
        bytes.iter().map(|b| format!("\\'{b:02x}")).collect()
    }

    /// A table as Word writes it: GBK bytes under `\ansicpg936`, the row's definition
    /// before its cells, a vertical merge, cells of two columns, a field, a header.
    fn word_style() -> String {
        format!(
            "{{\\rtf1\\ansi\\ansicpg936\\deff0{{\\fonttbl{{\\f0\\fnil\\fcharset134 {font};}}}}\
             {{\\header \\pard {header}\\par}}\
             \\pard {title}\\par\r\n\
             \\pard {di}{{\\field{{\\*\\fldinst PAGE}}{{\\fldrslt 3}}}}{ye}\\line {xu}\\par\
             \\trowd\\trleft0\\clvmgf\\cellx1000\\cellx2000\\cellx3000\
             \\pard\\intbl {group}\\cell \\pard\\intbl {granted}\\par {open}\\cell 8\\cell\\row\
             \\trowd\\trleft0\\clvmrg\\cellx1000\\cellx3005\
             \\pard\\intbl \\cell {part}\\cell\\row\
             \\pard {end}\\par}}",
            font = gbk("宋体"),
            header = gbk("页眉"),
            title = gbk("一、总体情况"),
            group = gbk("三、结果"),
            di = gbk("第"),
            ye = gbk("页"),
            xu = gbk("续"),
            granted = gbk("(一)予以"),
            open = gbk("公开"),
            part = gbk("(二)部分公开"),
            end = gbk("完"),
        )
    }

    const WORD_TEXT: &str =
        "一、总体情况\n第3页\n续\n三、结果\t(一)予以 公开\t8\n(二)部分公开\n完\n";

    #[test]
    fn word_style_gbk_text_fields_and_a_table_with_merged_cells() {
        let (text, grids, _) = text_of(word_style().as_bytes(), 1 << 20).unwrap();
        assert_eq!(text, WORD_TEXT);
        crate::cell_rows::assert_merged_test_table(&text, &grids);
    }

    #[test]
    fn unicode_characters_skip_their_fallbacks() {
        // As LibreOffice writes them (a '?' fallback each), and with two-byte fallbacks.
        let rtf = "{\\rtf1\\ansi{\\fonttbl{\\f1\\fcharset0 Calibri;}}\\f1 \
                   \\u20844\\'3f\\u24320\\'3f 12\\par\
                   {\\uc2\\u20844\\'b9\\'ab\\u24320\\'bf\\'aa}\\u-3\\'3f\\par}";
        let (text, _, _) = text_of(rtf.as_bytes(), 1 << 20).unwrap();
        assert_eq!(text, "公开 12\n公开\u{FFFD}\n");
    }

    /// Word's picture (`\shppict` with its `\nonshppict` copy) and a bare `\pict` are
    /// pictures; one in a table's cell or in a header is not.
    #[test]
    fn paragraphs_with_pictures_are_pictures() {
        let rtf = "{\\rtf1\\ansi Two\\par {\\*\\shppict{\\pict\\pngblip 89504e47}}{\\nonshppict{\\pict 0102}}\\par \
            Three\\par {\\header {\\pict 0102}h\\par}\\trowd\\cellx1000\\intbl {\\pict 01}\\cell\\row \
            \\pard Four\\par {\\pict\\wmetafile8 0102}Table\\par}";
        let (text, _, pictures) = text_of(rtf.as_bytes(), 1 << 20).unwrap();
        assert_eq!(
            pictures,
            [text.find("\nThree").unwrap(), text.find("Table").unwrap()],
            "{text:?}"
        );
    }

    #[test]
    fn a_left_out_group_does_not_end_the_paragraph_it_sits_in() {
        let rtf = "{\\rtf1\\ansi A{\\footnote \\pard note\\par}B{\\header x\\cell\\row}C\\par}";
        assert_eq!(text_of(rtf.as_bytes(), 1 << 20).unwrap().0, "ABC\n");
    }

    #[test]
    fn tracked_deletions_are_not_read() {
        let rtf =
            "{\\rtf1\\ansi \\u26412?{\\deleted\\revauthdel1 \\u26087?\\u30340?}\\u25253?\\par\
                   {\\deleted \\u25972?\\par}\\u23436?\\deleted0 .\\par}";
        let (text, _, _) = text_of(rtf.as_bytes(), 1 << 20).unwrap();
        assert_eq!(text, "本报\n\n完.\n");
    }

    #[test]
    fn hidden_text_is_not_read_but_its_marks_count() {
        let rtf = "{\\rtf1\\ansi \\u26412?{\\v \\u26087?\\u30340?}\\u25253?\\par\
                   \\v \\u25972?\\par\\v0 \\u23436?\\v .\\plain !\\par}";
        let (text, _, _) = text_of(rtf.as_bytes(), 1 << 20).unwrap();
        assert_eq!(text, "本报\n\n完!\n");
    }

    #[test]
    fn a_font_names_the_code_page_of_its_bytes() {
        let rtf = format!(
            "{{\\rtf1\\ansi\\ansicpg1252{{\\fonttbl{{\\f0 Arial;}}{{\\f1\\fcharset134 SimSun;}}}}\
             \\f0 Year \\f1 {}\\par}}",
            gbk("年度")
        );
        let (text, _, _) = text_of(rtf.as_bytes(), 1 << 20).unwrap();
        assert_eq!(text, "Year 年度\n");
    }

    #[test]
    fn rtf_is_told_by_its_content_and_a_doc_name_is_no_misnaming_for_what_word_opens() {
        let rtf = word_style();
        let as_doc = crate::from_bytes("report.doc", rtf.as_bytes()).unwrap();
        assert_eq!(
            (as_doc.format, as_doc.misnamed()),
            (crate::Format::Rtf, None)
        );
        assert_eq!(as_doc.text, WORD_TEXT);
        assert_eq!(as_doc.grids.len(), 1);
        let page = "<html><body><p>一、总体情况</p></body></html>";
        let page_as_doc = crate::from_bytes("report.doc", page.as_bytes()).unwrap();
        assert_eq!(
            (page_as_doc.format, page_as_doc.misnamed()),
            (crate::Format::Html, None)
        );
        let as_text = crate::from_bytes("report.txt", rtf.as_bytes()).unwrap();
        assert_eq!(
            as_text.misnamed(),
            Some((".txt".to_string(), crate::Format::Rtf))
        );
    }

    #[test]
    fn deep_nesting_binary_data_and_damage_are_handled() {
        let deep = format!("{{\\rtf1 {}", "{".repeat(MAX_DEPTH + 10));
        assert!(matches!(
            text_of(deep.as_bytes(), 1 << 20),
            Err(IngestError::Limit(_))
        ));
        let binary = b"{\\rtf1 a{\\pict\\bin4 {{}}}b\\par}";
        assert_eq!(text_of(binary, 1 << 20).unwrap().0, "ab\n");
        let word = word_style();
        for cut in 0..word.len() {
            if word.is_char_boundary(cut) {
                let _ = text_of(&word.as_bytes()[..cut], 1 << 20);
            }
        }
        assert!(matches!(
            text_of(word.as_bytes(), 10),
            Err(IngestError::Limit(_))
        ));
    }
}
