//! Word 97–2003 documents (.doc, and WPS 文字 files saved in that format): an OLE compound
//! file whose `WordDocument` stream holds the text in pieces, listed by the piece table of
//! the `0Table` or `1Table` stream, and whose paragraph properties say which paragraph
//! marks end a table's cell or row and where each row's cells begin and end ([MS-DOC]).
//! The text and tables come out as a DOCX's do: a paragraph a line, a table's rows as
//! tab-separated cells, and the table as a grid built from the cells' boundaries. A
//! spreadsheet embedded as an object is read from its workbook when the object keeps one
//! in XLSX (`ObjectPool`), as a DOCX's is.
//!
//! Every offset read from the file is checked: a damaged or hostile file gives an error
//! or less text, never a panic.

use crate::cell_rows::{finish_table, join_cell_text, RawRow, RowDefinition};
use crate::docx::{TableBuf, ZipLimits};
use crate::grid::Grid;
use crate::IngestError;
use std::io::Read;

/// The first bytes of every OLE compound file (.doc, .xls, .ppt, .wps, .msg ...).
pub const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Word's paragraph-property operations (sprms) that place a paragraph in a table.
const SPRM_IN_TABLE: u16 = 0x2416;
const SPRM_ROW_END: u16 = 0x2417;
const SPRM_TABLE_DEPTH: u16 = 0x6649;
/// A row's cells: their boundaries and per-cell flags (vertical merge among them).
const SPRM_TABLE_DEFINITION: u16 = 0xD608;
/// One cell's vertical merge, set after the definition.
const SPRM_VERTICAL_MERGE: u16 = 0xD62B;
/// The paragraph's properties are too many for its page: they are in the `Data` stream, at
/// the offset the operand gives.
const SPRM_HUGE_PROPERTIES: u16 = 0x6646;
/// Tab stops; its operand's length is told differently when its first byte is 255.
const SPRM_CHANGE_TABS: u16 = 0xC615;

/// The text of a Word 97 document's main story, its tables as grids (their ranges in that
/// text), and where pictures stand in it (see `assemble`).
pub fn text_of(
    bytes: &[u8],
    max_text_bytes: usize,
    zip: ZipLimits,
) -> Result<(String, Vec<Grid>, Vec<usize>), IngestError> {
    let mut file = cfb::CompoundFile::open(std::io::Cursor::new(bytes))
        .map_err(|e| corrupt(format!("OLE 复合文档无法解析（{e}）")))?;
    if !file.is_stream("WordDocument") {
        return Err(IngestError::Unsupported(
            "不含 Word 正文的 OLE 复合文档（如 XLS、PPT、Microsoft Works 的 WPS）",
        ));
    }
    let word = stream(&mut file, "WordDocument", bytes.len())?;
    let fib = Fib::read(&word)?;
    if fib.text_chars > max_text_bytes {
        return Err(IngestError::Limit(format!(
            "{} characters of text, more than {max_text_bytes}",
            fib.text_chars
        )));
    }
    let table = stream(&mut file, fib.table_stream, bytes.len())?;
    let pieces = pieces(&table, fib.piece_table)?;
    let mut chars = main_text(&word, &pieces, fib.text_chars);
    let character_runs = character_runs(&word, &table, fib.character_bins);
    drop_deleted(&mut chars, &deleted_ranges(&character_runs));
    // Where large paragraph properties (a row of many cells) are kept; few files have it.
    let data = match file.is_stream("Data") {
        true => stream(&mut file, "Data", bytes.len())?,
        false => Vec::new(),
    };
    let paragraphs = ParagraphRuns::read(&word, &table, &data, fib.paragraph_bins);
    let objects = object_ranges(&character_runs);
    let mut embedded_table = |at: u32| {
        let (_, _, id) = objects
            .iter()
            .find(|(start, end, _)| (*start..*end).contains(&(at as usize)))?;
        embedded_table(&mut file, *id, zip)
    };
    Ok(assemble(&chars, &paragraphs, &mut embedded_table))
}

/// The table of the embedded object in storage `ObjectPool/_{id}`, when the object keeps
/// a workbook: XLSX in its `Package` stream (an Excel 2007 or later worksheet) or an Excel
/// 97 `Workbook` stream (BIFF8: Excel 97's, WPS's, LibreOffice's); see [`crate::xlsx`]. A
/// workbook that cannot be read leaves the object the picture Word shows of it.
fn embedded_table(
    file: &mut cfb::CompoundFile<std::io::Cursor<&[u8]>>,
    id: u32,
    zip: ZipLimits,
) -> Option<TableBuf> {
    let dir = format!("/ObjectPool/_{id}");
    crate::xlsx::ole_table(file, &dir, zip).unwrap_or_else(|e| {
        tracing::warn!(object = dir.as_str(), "embedded object not read: {e}");
        None
    })
}

fn corrupt(reason: String) -> IngestError {
    IngestError::Corrupt(format!("Word 97-2003 文档无法读取：{reason}"))
}

fn stream(
    file: &mut cfb::CompoundFile<std::io::Cursor<&[u8]>>,
    name: &str,
    max: usize,
) -> Result<Vec<u8>, IngestError> {
    let mut out = Vec::new();
    file.open_stream(name)
        .and_then(|s| s.take(max as u64).read_to_end(&mut out))
        .map_err(|e| corrupt(format!("{name} 流无法读取（{e}）")))?;
    Ok(out)
}

/// The little-endian number at `at`, if the bytes reach that far.
pub(crate) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

pub(crate) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

/// A byte range of a stream, as the FIB gives it (offset, length).
#[derive(Debug, Clone, Copy)]
struct StreamRange {
    at: usize,
    len: usize,
}

impl StreamRange {
    fn of<'a>(&self, bytes: &'a [u8]) -> Option<&'a [u8]> {
        bytes.get(self.at..self.at.checked_add(self.len)?)
    }
}

/// What the File Information Block at the start of `WordDocument` says: which table
/// stream holds the piece table and paragraph properties, and where.
struct Fib {
    table_stream: &'static str,
    /// Characters of the main story (the body; headers and notes follow it).
    text_chars: usize,
    piece_table: StreamRange,
    paragraph_bins: StreamRange,
    character_bins: StreamRange,
}

impl Fib {
    fn read(word: &[u8]) -> Result<Fib, IngestError> {
        let short = || corrupt("文件信息块（FIB）不完整".into());
        if u16_at(word, 0).ok_or_else(short)? != 0xA5EC {
            return Err(corrupt("不是 Word 文档（FIB 标识不符）".into()));
        }
        // Word 97 and later write 193 or more; Word 6 and 95 wrote 101 to 105.
        if u16_at(word, 2).ok_or_else(short)? < 0xC0 {
            return Err(IngestError::Unsupported("Word 6.0/95"));
        }
        let flags = u16_at(word, 0x0A).ok_or_else(short)?;
        if flags & 0x0100 != 0 {
            return Err(IngestError::Unsupported("加密的 Word"));
        }
        let table_stream = match flags & 0x0200 != 0 {
            true => "1Table",
            false => "0Table",
        };
        // FibBase (32 bytes), then three arrays, each after its count: 16-bit words,
        // 32-bit words (the story lengths), and (offset, length) pairs into the table stream.
        let words = usize::from(u16_at(word, 32).ok_or_else(short)?);
        let longs_at = 34 + 2 * words;
        let longs = usize::from(u16_at(word, longs_at).ok_or_else(short)?);
        let text_chars = u32_at(word, longs_at + 2 + 12).ok_or_else(short)? as usize;
        let pairs_at = longs_at + 2 + 4 * longs;
        let pairs = usize::from(u16_at(word, pairs_at).ok_or_else(short)?);
        let pair = |index: usize| -> Result<StreamRange, IngestError> {
            let at = pairs_at + 2 + 8 * index;
            match index < pairs {
                true => Ok(StreamRange {
                    at: u32_at(word, at).ok_or_else(short)? as usize,
                    len: u32_at(word, at + 4).ok_or_else(short)? as usize,
                }),
                false => Err(short()),
            }
        };
        Ok(Fib {
            table_stream,
            text_chars,
            // fcPlcfBteChpx, fcPlcfBtePapx and fcClx in FibRgFcLcb97.
            character_bins: pair(12)?,
            paragraph_bins: pair(13)?,
            piece_table: pair(33)?,
        })
    }
}

/// A run of the main text stored in one place: characters `cp_start..cp_end` are at byte
/// `at` of `WordDocument`, two bytes each, or one (Windows-1252) when `compressed`.
struct Piece {
    cp_start: usize,
    cp_end: usize,
    at: usize,
    compressed: bool,
}

/// The piece table, from the `Clx` of the table stream (property runs skipped, then the
/// character positions and descriptors of the pieces).
fn pieces(table: &[u8], range: StreamRange) -> Result<Vec<Piece>, IngestError> {
    let bad = || corrupt("文本片段表（piece table）损坏".into());
    let clx = range.of(table).ok_or_else(bad)?;
    let mut at = 0;
    let plc = loop {
        match clx.get(at) {
            Some(1) => {
                let len = u16_at(clx, at + 1).ok_or_else(bad)?;
                at += 3 + usize::from(len);
            }
            Some(2) => {
                let len = u32_at(clx, at + 1).ok_or_else(bad)? as usize;
                break clx.get(at + 5..at + 5 + len).ok_or_else(bad)?;
            }
            _ => return Err(bad()),
        }
    };
    let count = plc.len().saturating_sub(4) / 12;
    let descriptors = 4 * (count + 1);
    (0..count)
        .map(|i| {
            let cp_start = u32_at(plc, 4 * i).ok_or_else(bad)? as usize;
            let cp_end = u32_at(plc, 4 * i + 4).ok_or_else(bad)? as usize;
            let fc = u32_at(plc, descriptors + 8 * i + 2).ok_or_else(bad)?;
            let compressed = fc & 0x4000_0000 != 0;
            let fc = (fc & 0x3FFF_FFFF) as usize;
            Ok(Piece {
                cp_start,
                cp_end: cp_end.max(cp_start),
                at: if compressed { fc / 2 } else { fc },
                compressed,
            })
        })
        .collect()
}

/// The main story's characters, each with the byte offset in `WordDocument` it is stored
/// at (paragraph properties are looked up by it). Characters no piece holds are left out.
/// Eight bytes a character: a document at the text limit (8 M characters) takes 64 MB.
fn main_text(word: &[u8], pieces: &[Piece], text_chars: usize) -> Vec<(char, u32)> {
    let mut out = Vec::with_capacity(text_chars.min(1 << 20));
    let mut high_surrogate = None;
    for piece in pieces {
        let end = piece.cp_end.min(text_chars);
        for k in 0..end.saturating_sub(piece.cp_start) {
            let unit = match piece.compressed {
                true => word
                    .get(piece.at + k)
                    .map(|&b| (windows_1252(b), piece.at + k)),
                false => {
                    let at = piece.at + 2 * k;
                    u16_at(word, at).map(|u| (u, at))
                }
            };
            let Some((unit, at)) = unit else { break };
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            push_unit(&mut out, &mut high_surrogate, unit, at);
        }
    }
    if let Some((_, at)) = high_surrogate {
        out.push((char::REPLACEMENT_CHARACTER, at));
    }
    out
}

/// Adds a UTF-16 unit to the characters: a high surrogate waits for the low one after it
/// (a character outside the basic plane); an unpaired surrogate is U+FFFD.
fn push_unit(out: &mut Vec<(char, u32)>, high: &mut Option<(u16, u32)>, unit: u16, at: u32) {
    if let Some((first, first_at)) = high.take() {
        if (0xDC00..0xE000).contains(&unit) {
            let code = 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(unit) - 0xDC00);
            out.push((
                char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER),
                first_at,
            ));
            return;
        }
        out.push((char::REPLACEMENT_CHARACTER, first_at));
    }
    if (0xD800..0xDC00).contains(&unit) {
        *high = Some((unit, at));
        return;
    }
    out.push((
        char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER),
        at,
    ));
}

/// A byte of a compressed piece as UTF-16.
fn windows_1252(byte: u8) -> u16 {
    let bytes = [byte];
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&bytes);
    text.encode_utf16().next().unwrap_or(u16::from(byte))
}

/// A character property: the text is a tracked deletion (shown struck through until the
/// change is accepted or rejected).
const SPRM_DELETED: u16 = 0x0800;

/// A character property: the text is hidden (sprmCFVanish: neither shown nor printed).
const SPRM_HIDDEN: u16 = 0x083C;

/// A character property: where the picture or embedded object a special character stands
/// for is kept (sprmCPicLocation); with sprmCFOle2 on, an object whose storage in
/// `ObjectPool` is named `_` and this number.
const SPRM_PICTURE_LOCATION: u16 = 0x6A03;
const SPRM_OLE2: u16 = 0x080A;

/// The runs of characters and their property operations (byte ranges of `WordDocument`),
/// from the bin table of character properties: pages of runs (as for paragraphs), each
/// run's properties at a word offset given by one byte (none at offset 0).
fn character_runs<'a>(
    word: &'a [u8],
    table: &'a [u8],
    bins: StreamRange,
) -> Vec<(usize, usize, &'a [u8])> {
    let mut runs = Vec::new();
    for page in pages(word, table, bins) {
        let count = usize::from(page[511]);
        for i in 0..count {
            let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * i + 4)) else {
                break;
            };
            let at = 2 * usize::from(page.get(4 * (count + 1) + i).copied().unwrap_or(0));
            let size = usize::from(page.get(at).copied().unwrap_or(0));
            let list = match at {
                0 => None,
                _ => page.get(at + 1..at + 1 + size),
            };
            if let Some(list) = list {
                runs.push((start as usize, end as usize, list));
            }
        }
    }
    runs
}

/// Whether a one-byte toggle operand is on (1, or 0x81: the style's value inverted, on).
fn is_on(operand: &[u8]) -> bool {
    matches!(operand.first(), Some(1 | 0x81))
}

/// The byte ranges of `WordDocument` whose characters are tracked deletions or hidden. A
/// DOCX's deleted and hidden text is not read either: all read the text as it stands once
/// the changes are accepted, as printed.
fn deleted_ranges(runs: &[(usize, usize, &[u8])]) -> Vec<(usize, usize)> {
    let mut deleted: Vec<(usize, usize)> = runs
        .iter()
        .filter(|(_, _, list)| {
            operations(list)
                .any(|(code, operand)| matches!(code, SPRM_DELETED | SPRM_HIDDEN) && is_on(operand))
        })
        .map(|(start, end, _)| (*start, *end))
        .collect();
    deleted.sort_unstable();
    deleted
}

/// The byte ranges of `WordDocument` whose special character is an embedded object, each
/// with the number naming its storage in `ObjectPool`.
fn object_ranges(runs: &[(usize, usize, &[u8])]) -> Vec<(usize, usize, u32)> {
    runs.iter()
        .filter_map(|(start, end, list)| {
            let ole2 = operations(list).any(|(code, operand)| code == SPRM_OLE2 && is_on(operand));
            let location = operations(list)
                .find(|(code, _)| *code == SPRM_PICTURE_LOCATION)
                .and_then(|(_, operand)| u32_at(operand, 0));
            Some((*start, *end, location.filter(|_| ole2)?))
        })
        .collect()
}

/// The 512-byte pages of `WordDocument` a bin table lists (a page that is not there is
/// left out).
fn pages<'a>(word: &'a [u8], table: &'a [u8], bins: StreamRange) -> Vec<&'a [u8]> {
    let Some(plc) = bins.of(table) else {
        return Vec::new();
    };
    let count = plc.len().saturating_sub(4) / 8;
    (0..count)
        .filter_map(|i| {
            let page = u32_at(plc, 4 * (count + 1) + 4 * i)?;
            let at = (page & 0x003F_FFFF) as usize * 512;
            word.get(at..at + 512)
        })
        .collect()
}

/// Leaves out the characters stored in `deleted` ranges, but for the marks that end
/// paragraphs, cells and rows: a deleted row stays a row, empty, as in a DOCX.
fn drop_deleted(chars: &mut Vec<(char, u32)>, deleted: &[(usize, usize)]) {
    if deleted.is_empty() {
        return;
    }
    chars.retain(|&(c, at)| {
        let at = at as usize;
        let index = deleted.partition_point(|r| r.0 <= at);
        let inside = index > 0 && at < deleted[index - 1].1;
        !inside || matches!(c, '\r' | '\u{7}' | '\u{0C}')
    });
}

/// What a paragraph's properties say of its place in a table.
#[derive(Debug, Clone, Default, PartialEq)]
struct InTable {
    /// The paragraph is in a table's cell (or is a row's end mark).
    in_table: bool,
    /// The mark ends a row: it holds the row's definition.
    row_end: bool,
    /// Nesting depth: 1 in a table, 2 in a table inside a cell, and so on.
    depth: i32,
    row: Option<RowDefinition>,
}

/// The paragraph properties of the document, by the byte ranges of `WordDocument` they
/// cover (sorted).
struct ParagraphRuns {
    runs: Vec<(usize, usize, InTable)>,
}

impl ParagraphRuns {
    /// From the bin table of paragraph properties: the pages (512 bytes of `WordDocument`
    /// each) that list runs and their properties. A damaged page is skipped.
    fn read(word: &[u8], table: &[u8], data: &[u8], bins: StreamRange) -> ParagraphRuns {
        let mut runs = Vec::new();
        for page in pages(word, table, bins) {
            read_page(page, data, &mut runs);
        }
        runs.sort_by_key(|r| r.0);
        ParagraphRuns { runs }
    }

    /// The table properties of the paragraph whose mark is stored at `at`.
    fn at(&self, at: usize) -> Option<&InTable> {
        let index = self.runs.partition_point(|r| r.0 <= at).checked_sub(1)?;
        let (start, end, props) = &self.runs[index];
        (*start <= at && at < *end).then_some(props)
    }
}

/// The runs of one page of paragraph properties: `crun` runs, their byte ranges, and for
/// each the offset (in 16-bit words) of its properties within the page.
fn read_page(page: &[u8], data: &[u8], runs: &mut Vec<(usize, usize, InTable)>) {
    let count = usize::from(page[511]);
    for i in 0..count {
        let (Some(start), Some(end)) = (u32_at(page, 4 * i), u32_at(page, 4 * i + 4)) else {
            return;
        };
        let Some(&offset) = page.get(4 * (count + 1) + 13 * i) else {
            return;
        };
        let props = match offset {
            0 => InTable::default(),
            _ => papx(page, 2 * usize::from(offset))
                .map(|list| in_table(list, data))
                .unwrap_or_default(),
        };
        runs.push((start as usize, end as usize, props));
    }
}

/// The property operations of the paragraph properties at `at` of a page (after the style
/// index that starts them).
fn papx(page: &[u8], at: usize) -> Option<&[u8]> {
    let size = *page.get(at)?;
    let (from, len) = match size {
        0 => (at + 2, 2 * usize::from(*page.get(at + 1)?)),
        _ => (at + 1, 2 * usize::from(size) - 1),
    };
    page.get(from + 2..from + len)
}

/// Each operation (code, operand) of a list of property operations; stops at one whose
/// length cannot be told or runs past the list.
fn operations(list: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let code = u16_at(list, at)?;
        let rest = list.get(at + 2..)?;
        let (skip, len) = match code >> 13 {
            0 | 1 => (0, 1),
            2 | 4 | 5 => (0, 2),
            3 => (0, 4),
            7 => (0, 3),
            _ if code == SPRM_TABLE_DEFINITION => {
                (2, usize::from(u16_at(rest, 0)?).checked_sub(1)?)
            }
            _ if code == SPRM_CHANGE_TABS && *rest.first()? == 255 => return None,
            _ => (1, usize::from(*rest.first()?)),
        };
        let operand = rest.get(skip..skip + len)?;
        at += 2 + skip + len;
        Some((code, operand))
    })
}

/// What a paragraph's property operations say of its place in a table; `data` is the
/// `Data` stream, where operations too many for their page are.
fn in_table(list: &[u8], data: &[u8]) -> InTable {
    let mut props = InTable::default();
    apply(&mut props, list, data);
    if props.in_table && props.depth == 0 {
        props.depth = 1;
    }
    props
}

fn apply(props: &mut InTable, list: &[u8], data: &[u8]) {
    for (code, operand) in operations(list) {
        match code {
            SPRM_HUGE_PROPERTIES => {
                // Followed once: the operations there do not point further.
                let at = u32_at(operand, 0).map_or(usize::MAX, |a| a as usize);
                let len = u16_at(data, at).map_or(0, usize::from);
                if let Some(list) = data.get(at.saturating_add(2)..at.saturating_add(2 + len)) {
                    for (code, operand) in operations(list) {
                        if code != SPRM_HUGE_PROPERTIES {
                            apply_one(props, code, operand);
                        }
                    }
                }
            }
            _ => apply_one(props, code, operand),
        }
    }
}

fn apply_one(props: &mut InTable, code: u16, operand: &[u8]) {
    match code {
        SPRM_IN_TABLE => props.in_table = operand.first().is_some_and(|&b| b != 0),
        SPRM_ROW_END => props.row_end = operand.first().is_some_and(|&b| b != 0),
        SPRM_TABLE_DEPTH => {
            props.depth = u32_at(operand, 0).map_or(0, |d| d as i32);
        }
        SPRM_TABLE_DEFINITION => props.row = row_definition(operand),
        SPRM_VERTICAL_MERGE => {
            if let (Some(row), Some(&cell), Some(&flag)) =
                (props.row.as_mut(), operand.first(), operand.get(1))
            {
                if let Some(v) = row.vertical.get_mut(usize::from(cell)) {
                    *v = flag;
                }
            }
        }
        _ => {}
    }
}

/// A row's definition: the number of cells, their boundaries, then a 20-byte record per
/// cell (fewer when the last ones have default properties) whose first 16 bits hold its
/// merge flags.
fn row_definition(operand: &[u8]) -> Option<RowDefinition> {
    let cells = usize::from(*operand.first()?);
    let bounds = (0..=cells)
        .map(|i| u16_at(operand, 1 + 2 * i).map(|b| i32::from(b as i16)))
        .collect::<Option<Vec<i32>>>()?;
    let records = 1 + 2 * (cells + 1);
    let flags = |i: usize| u16_at(operand, records + 20 * i).unwrap_or(0);
    Some(RowDefinition {
        bounds,
        horizontal: (0..cells).map(|i| (flags(i) & 0x3) as u8).collect(),
        vertical: (0..cells).map(|i| ((flags(i) >> 5) & 0x3) as u8).collect(),
    })
}

/// The text (a paragraph a line; a table a line a row, cells tab-separated) and grids of
/// the main story's characters.
/// The text, tables and pictures of the main story's characters. A picture is a paragraph
/// outside tables holding Word's picture character (1: an inline picture, also an embedded
/// object's shown result, as a spreadsheet pasted in shows) or a drawn object's anchor (8).
fn assemble(
    chars: &[(char, u32)],
    paragraphs: &ParagraphRuns,
    embedded_table: &mut dyn FnMut(u32) -> Option<TableBuf>,
) -> (String, Vec<Grid>, Vec<usize>) {
    let mut out = String::new();
    let mut pictures = Vec::new();
    let mut picture_in_paragraph = false;
    // The tables of the paragraph's embedded objects read from their workbooks, each with
    // where it stands in the paragraph's text.
    let mut tables_in_paragraph: Vec<(usize, TableBuf)> = Vec::new();
    let mut grids = Vec::new();
    let mut rows: Vec<RawRow> = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut paragraph = String::new();
    // Open fields: whether each shows its result yet (its code comes first, hidden), and
    // whether it is an object read as a table (whose result only pictures it).
    let mut fields: Vec<bool> = Vec::new();
    let mut object_fields: Vec<bool> = Vec::new();
    // How many open fields show no result yet: their text is code, not read (counted, so
    // that fields nested deep are not all looked at for each character).
    let mut fields_in_code = 0usize;
    for &(c, at) in chars {
        match c {
            '\u{13}' => {
                fields.push(false);
                object_fields.push(false);
                fields_in_code += 1;
            }
            '\u{14}' => {
                if let Some(showing) = fields.last_mut().filter(|showing| !**showing) {
                    *showing = true;
                    fields_in_code -= 1;
                }
                // An EMBED field's separator carries its object's storage (as Word and
                // LibreOffice write it).
                if let Some(table) = embedded_table(at) {
                    tables_in_paragraph.push((paragraph.len(), table));
                    if let Some(object) = object_fields.last_mut() {
                        *object = true;
                    }
                }
            }
            '\u{15}' => {
                if fields.pop() == Some(false) {
                    fields_in_code -= 1;
                }
                object_fields.pop();
            }
            '\r' | '\u{0C}' | '\u{07}' => {
                let props = paragraphs.at(at as usize).cloned().unwrap_or_default();
                let text = std::mem::take(&mut paragraph);
                let picture = std::mem::take(&mut picture_in_paragraph);
                let tables = std::mem::take(&mut tables_in_paragraph);
                if c == '\u{07}' && props.row_end {
                    rows.push(RawRow {
                        cells: std::mem::take(&mut cells),
                        definition: props.row,
                    });
                } else if c == '\u{07}' || props.in_table {
                    join_cell_text(&mut cell, &text);
                    if c == '\u{07}' {
                        cells.push(std::mem::take(&mut cell));
                    }
                } else {
                    finish_table(&mut rows, &mut out, &mut grids);
                    if picture {
                        pictures.push(out.len());
                    }
                    crate::docx::push_paragraph(&mut out, &mut grids, &text, tables);
                }
            }
            _ if fields_in_code > 0 => {}
            '\u{01}' if object_fields.last() == Some(&true) => {}
            '\u{01}' => match embedded_table(at) {
                Some(table) => tables_in_paragraph.push((paragraph.len(), table)),
                None => picture_in_paragraph = true,
            },
            '\u{08}' => picture_in_paragraph = true,
            '\u{0B}' => paragraph.push('\n'),
            '\t' => paragraph.push('\t'),
            '\u{1E}' => paragraph.push('-'),
            c if u32::from(c) < 0x20 => {}
            c => paragraph.push(c),
        }
    }
    finish_table(&mut rows, &mut out, &mut grids);
    if !paragraph.is_empty() || !tables_in_paragraph.is_empty() {
        if picture_in_paragraph {
            pictures.push(out.len());
        }
        crate::docx::push_paragraph(&mut out, &mut grids, &paragraph, tables_in_paragraph);
    }
    (out, grids, pictures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// A paragraph of a test document: its text, ending with its mark (`\r` or `\u{7}`),
    /// and its property operations.
    struct Para {
        text: String,
        properties: Vec<u8>,
    }

    fn para(text: &str, properties: Vec<u8>) -> Para {
        Para {
            text: text.to_string(),
            properties,
        }
    }

    fn in_cell() -> Vec<u8> {
        vec![0x16, 0x24, 1]
    }

    /// A row's end mark: in a table, the row's end, and its cells' boundaries and flags.
    fn row_end(bounds: &[i16], flags: &[u16]) -> Vec<u8> {
        let cells = bounds.len() - 1;
        let mut operand = vec![cells as u8];
        for b in bounds {
            operand.extend(b.to_le_bytes());
        }
        for i in 0..cells {
            operand.extend(flags.get(i).copied().unwrap_or(0).to_le_bytes());
            operand.extend([0; 18]);
        }
        let mut out = vec![0x16, 0x24, 1, 0x17, 0x24, 1, 0x08, 0xD6];
        out.extend(((operand.len() + 1) as u16).to_le_bytes());
        out.extend(operand);
        out
    }

    /// A Word 97 file of the paragraphs: its text in pieces of at most `piece_chars`
    /// characters, stored last piece first, those of ASCII text compressed when `compress`;
    /// the properties of each paragraph in pages of four paragraphs; `data` as its Data
    /// stream; the characters of `marked` (ranges of characters each stored in one piece)
    /// given character property operations (`toggle(SPRM_HIDDEN)`, `object(id)`).
    fn word97(
        paragraphs: &[Para],
        piece_chars: usize,
        compress: bool,
        data: &[u8],
        marked: &[(usize, usize, Vec<u8>)],
    ) -> Vec<u8> {
        let text: Vec<u16> = paragraphs
            .iter()
            .flat_map(|p| p.text.encode_utf16())
            .collect();
        let mut word = vec![0u8; 1024];
        // Pieces, stored from the last, each where `word` ends.
        let starts: Vec<usize> = (0..text.len()).step_by(piece_chars).collect();
        // Where each unit is stored, and in how many bytes.
        let mut unit_at = vec![(0usize, 2usize); text.len()];
        let mut descriptors = Vec::new();
        for &start in starts.iter().rev() {
            let end = (start + piece_chars).min(text.len());
            let units = &text[start..end];
            let compressed = compress && units.iter().all(|&u| u < 0x80);
            let at = word.len();
            for (k, &u) in units.iter().enumerate() {
                if compressed {
                    unit_at[start + k] = (word.len(), 1);
                    word.push(u as u8);
                } else {
                    unit_at[start + k] = (word.len(), 2);
                    word.extend(u.to_le_bytes());
                }
            }
            let fc = match compressed {
                true => (at as u32 * 2) | 0x4000_0000,
                false => at as u32,
            };
            descriptors.push((start, end, fc));
        }
        descriptors.sort();
        // Paragraph property pages, four runs a page; the runs, in the order they are
        // stored, each end after a paragraph's mark and start where the one before ends.
        while !word.len().is_multiple_of(512) {
            word.push(0);
        }
        let mut marks = Vec::new();
        let mut cp = 0;
        for p in paragraphs {
            cp += p.text.encode_utf16().count();
            let (at, width) = unit_at[cp - 1];
            marks.push((at, at + width, &p.properties));
        }
        marks.sort_by_key(|m| m.0);
        let mut bins: Vec<(u32, u32, u32)> = Vec::new();
        let mut run_start = marks[0].0;
        for page_marks in marks.chunks(4) {
            let mut page = vec![0u8; 512];
            let count = page_marks.len();
            let first = run_start;
            page[0..4].copy_from_slice(&(run_start as u32).to_le_bytes());
            let mut free = 511;
            for (i, (_, end, properties)) in page_marks.iter().enumerate() {
                page[4 * i + 4..4 * i + 8].copy_from_slice(&(*end as u32).to_le_bytes());
                run_start = *end;
                // cb, then the style index (2 bytes) and the operations, an odd size.
                let mut papx = vec![0, 0];
                papx.extend(properties.iter());
                if papx.len() % 2 == 0 {
                    papx.push(0);
                }
                let size = papx.len() + 1;
                free = (free - size) & !1;
                page[free] = size.div_ceil(2) as u8;
                page[free + 1..free + size].copy_from_slice(&papx);
                page[4 * (count + 1) + 13 * i] = (free / 2) as u8;
            }
            page[511] = count as u8;
            bins.push((first as u32, run_start as u32, (word.len() / 512) as u32));
            word.extend(page);
        }
        // A page of character properties: runs between the marked ranges' bounds.
        let stored = |cp: usize| unit_at[cp].0;
        let mut bounds = vec![(stored(0), None)];
        for (from, to, operations) in marked {
            bounds.push((stored(*from), Some(operations)));
            bounds.push((stored(to - 1) + unit_at[to - 1].1, None));
        }
        let text_end = (0..text.len())
            .map(|cp| stored(cp) + unit_at[cp].1)
            .max()
            .unwrap();
        let mut page = vec![0u8; 512];
        let count = bounds.len();
        for (i, (at, sprm)) in bounds.iter().enumerate() {
            let end = bounds.get(i + 1).map_or(text_end, |b| b.0);
            page[4 * i..4 * i + 4].copy_from_slice(&(*at as u32).to_le_bytes());
            page[4 * i + 4..4 * i + 8].copy_from_slice(&(end as u32).to_le_bytes());
            if let Some(operations) = sprm {
                // Each run's properties (size, the operations) at its own place.
                let place = 480 - 16 * i;
                page[place] = operations.len() as u8;
                page[place + 1..place + 1 + operations.len()].copy_from_slice(operations);
                page[4 * (count + 1) + i] = (place / 2) as u8;
            }
        }
        page[511] = count as u8;
        let character_page = (word.len() / 512) as u32;
        word.extend(page);
        // The table stream: the piece table, then the bins.
        let mut plc = Vec::new();
        for (start, _, _) in &descriptors {
            plc.extend((*start as u32).to_le_bytes());
        }
        plc.extend((text.len() as u32).to_le_bytes());
        for (_, _, fc) in &descriptors {
            plc.extend([0, 0]);
            plc.extend(fc.to_le_bytes());
            plc.extend([0, 0]);
        }
        let mut table = vec![2];
        table.extend((plc.len() as u32).to_le_bytes());
        table.extend(plc);
        let clx = (0u32, table.len() as u32);
        let bins_at = table.len() as u32;
        for (start, _, _) in &bins {
            table.extend(start.to_le_bytes());
        }
        table.extend(bins.last().map_or(0, |b| b.1).to_le_bytes());
        for (_, _, page) in &bins {
            table.extend(page.to_le_bytes());
        }
        let bins_range = (bins_at, table.len() as u32 - bins_at);
        let character_bins = (table.len() as u32, 12);
        for value in [stored(0) as u32, text_end as u32, character_page] {
            table.extend(value.to_le_bytes());
        }
        // The FIB: base, 14 words, 22 longs (the main story's length), 93 pairs.
        word[0..2].copy_from_slice(&0xA5ECu16.to_le_bytes());
        word[2..4].copy_from_slice(&0x00C1u16.to_le_bytes());
        word[0x0A..0x0C].copy_from_slice(&0x0200u16.to_le_bytes());
        word[32..34].copy_from_slice(&14u16.to_le_bytes());
        word[62..64].copy_from_slice(&22u16.to_le_bytes());
        word[64 + 12..64 + 16].copy_from_slice(&(text.len() as u32).to_le_bytes());
        word[152..154].copy_from_slice(&93u16.to_le_bytes());
        for (index, (at, len)) in [(12, character_bins), (13, bins_range), (33, clx)] {
            let pair = 154 + 8 * index;
            word[pair..pair + 4].copy_from_slice(&at.to_le_bytes());
            word[pair + 4..pair + 8].copy_from_slice(&len.to_le_bytes());
        }
        let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        for (name, bytes) in [
            ("WordDocument", &word[..]),
            ("1Table", &table),
            ("Data", data),
        ] {
            file.create_stream(name).unwrap().write_all(bytes).unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    /// The text, tables and pictures of a Word 97 file that must be read.
    fn read(doc: &[u8]) -> (String, Vec<Grid>, Vec<usize>) {
        text_of(doc, 1 << 20, crate::docx::DEFAULT_LIMITS).unwrap()
    }

    /// A one-byte property operation turned on.
    fn toggle(sprm: u16) -> Vec<u8> {
        let [low, high] = sprm.to_le_bytes();
        vec![low, high, 1]
    }

    /// The operations marking a special character as the embedded object in storage
    /// `ObjectPool/_{id}`.
    fn object(id: u32) -> Vec<u8> {
        let mut operations = toggle(SPRM_OLE2);
        operations.extend(SPRM_PICTURE_LOCATION.to_le_bytes());
        operations.extend(id.to_le_bytes());
        operations
    }

    /// The Word file with a storage `ObjectPool/_{id}` holding `package` as its Package
    /// stream.
    fn with_object(doc: Vec<u8>, id: u32, package: &[u8]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::open(std::io::Cursor::new(doc)).unwrap();
        file.create_storage_all(format!("/ObjectPool/_{id}"))
            .unwrap();
        let stream = format!("/ObjectPool/_{id}/Package");
        file.create_stream(stream)
            .unwrap()
            .write_all(package)
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn report_paragraphs() -> Vec<Para> {
        vec![
            para("一、总体情况\r", vec![]),
            // A field: its code hidden, its result shown.
            para("第\u{13} PAGE \u{14}3\u{15}页\u{0B}续\r", vec![]),
            para("三、结果\u{7}", in_cell()),
            para("(一)予以\r", in_cell()),
            para("公开\u{7}", in_cell()),
            para("8\u{7}", in_cell()),
            para("\u{7}", row_end(&[0, 1000, 2000, 3000], &[3 << 5])),
            para("\u{7}", in_cell()),
            para("(二)部分公开\u{7}", in_cell()),
            para("\u{7}", row_end(&[0, 1000, 3005], &[1 << 5])),
            para("完\r", vec![]),
        ]
    }

    const REPORT_TEXT: &str =
        "一、总体情况\n第3页\n续\n三、结果\t(一)予以 公开\t8\n(二)部分公开\n完\n";

    /// Fields nested deep: the text of those showing their results is read, the code of
    /// one that shows none yet is not, however deep it stands.
    #[test]
    fn text_inside_nested_fields_is_read_only_where_every_field_shows_its_result() {
        let n = 1000;
        let showing = "\u{13}\u{14}".repeat(n);
        let text = format!(
            "{showing}结果\u{13}代码\u{14}值{}\r",
            "\u{15}".repeat(n + 1)
        );
        let doc = word97(&[para(&text, vec![])], 1 << 20, false, &[], &[]);
        assert_eq!(read(&doc).0, "结果值\n");
    }

    #[test]
    fn paragraphs_fields_and_a_table_with_merged_cells() {
        let doc = word97(&report_paragraphs(), 1000, false, &[], &[]);
        let (text, grids, _) = read(&doc);
        assert_eq!(text, REPORT_TEXT);
        // Boundaries five twips apart (3000 and 3005) are one column's.
        crate::cell_rows::assert_merged_test_table(&text, &grids);
    }

    /// A paragraph with Word's picture character, or an embedded object's field whose shown
    /// result is one, is a picture; one in a table's cell or in a field's hidden code is not.
    #[test]
    fn paragraphs_with_pictures_are_pictures() {
        let paragraphs = vec![
            para("二、主动公开\r", vec![]),
            para("\u{1}\r", vec![]),
            para("三、申请\r", vec![]),
            para("\u{1}\u{7}", in_cell()),
            para("\u{7}", row_end(&[0, 1000], &[0])),
            para("四、复议 \u{13} EMBED \u{1}\u{14}\u{15}\r", vec![]),
            para("\u{13} EMBED Excel.Sheet.8 \u{14}\u{1}\u{15}表\r", vec![]),
        ];
        let doc = word97(&paragraphs, 1000, false, &[], &[]);
        let (text, _, pictures) = read(&doc);
        assert_eq!(
            pictures,
            [text.find("\n三").unwrap(), text.find("表").unwrap()],
            "{text:?}"
        );
    }

    #[test]
    fn pieces_are_read_in_their_order_wherever_they_are_stored() {
        let mut paragraphs = report_paragraphs();
        // A character outside the basic plane, two UTF-16 units, cut by some piece sizes.
        paragraphs.insert(0, para("Report 2023: 8 items \u{20000}\r", vec![]));
        let expected = format!("Report 2023: 8 items \u{20000}\n{REPORT_TEXT}");
        for piece_chars in [3, 7, 22, 1000] {
            let doc = word97(&paragraphs, piece_chars, true, &[], &[]);
            let (text, grids, _) = read(&doc);
            assert_eq!(text, expected, "pieces of {piece_chars}");
            assert_eq!(grids[0].covering(1, 2).unwrap().cols, 2);
        }
    }

    #[test]
    fn a_rows_definition_may_be_in_the_data_stream() {
        let mut paragraphs = report_paragraphs();
        let definition = row_end(&[0, 1000, 2000, 3000], &[3 << 5]);
        let mut data = vec![0; 6];
        data.extend((definition.len() as u16).to_le_bytes());
        data.extend(&definition);
        paragraphs[6].properties = vec![0x46, 0x66, 6, 0, 0, 0];
        let (text, grids, _) = read(&word97(&paragraphs, 1000, false, &data, &[]));
        assert_eq!(text, REPORT_TEXT);
        assert_eq!(grids[0].covering(1, 0).unwrap().rows, 2);
    }

    #[test]
    fn a_vertical_merge_may_be_set_after_the_definition() {
        let mut paragraphs = report_paragraphs();
        let mut properties = row_end(&[0, 1000, 3005], &[]);
        properties.extend([0x2B, 0xD6, 2, 0, 1]);
        paragraphs[9].properties = properties;
        let (_, grids, _) = read(&word97(&paragraphs, 1000, false, &[], &[]));
        assert_eq!(grids[0].covering(1, 0).unwrap().rows, 2);
    }

    #[test]
    fn tracked_deletions_are_left_out_but_not_the_marks_they_hold() {
        let mut paragraphs = report_paragraphs();
        paragraphs.insert(1, para("本报告旧的文字依据条例\r", vec![]));
        paragraphs.insert(2, para("整段删除\r", vec![]));
        // "旧的文字" (characters 10 to 13), and the second paragraph with its mark.
        let deleted = [
            (10, 14, toggle(SPRM_DELETED)),
            (19, 24, toggle(SPRM_DELETED)),
        ];
        let (text, grids, _) = read(&word97(&paragraphs, 1000, false, &[], &deleted));
        assert_eq!(
            text,
            REPORT_TEXT.replacen("\n", "\n本报告依据条例\n\n", 1),
            "the deleted paragraph's mark stays: an empty line"
        );
        assert_eq!(grids[0].covering(1, 0).unwrap().rows, 2);
    }

    #[test]
    fn hidden_text_is_left_out_as_deletions_are() {
        let mut paragraphs = report_paragraphs();
        paragraphs.insert(1, para("本报告旧的文字依据条例\r", vec![]));
        // "旧的" hidden, "文字" deleted.
        let marked = [
            (10, 12, toggle(SPRM_HIDDEN)),
            (12, 14, toggle(SPRM_DELETED)),
        ];
        let (text, _, _) = read(&word97(&paragraphs, 1000, false, &[], &marked));
        assert_eq!(text, REPORT_TEXT.replacen("\n", "\n本报告依据条例\n", 1));
    }

    /// An Excel object (an EMBED field whose result is the object's picture) is read from
    /// the workbook in its storage's Package stream, where it stands; an object whose
    /// storage holds no such workbook stays a picture.
    #[test]
    fn an_embedded_workbook_is_read_as_a_table() {
        let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>\
            <row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>5</v></c></row></sheetData>";
        let workbook = crate::xlsx::tests::xlsx(sheet, &["信息内容", "本年制发件数", "规章"], None);
        let embed = "\u{13} EMBED Excel.Sheet.12 \u{14}\u{01}\u{15}";
        let paragraphs = vec![
            para("二、主动公开\r", vec![]),
            para(&format!("{embed}\r"), vec![]),
            para(&format!("{embed}三、收到\r"), vec![]),
            para("四、\u{01}\r", vec![]),
        ];
        // Each field's separator names its object's storage (as Word and LibreOffice
        // write it): after "二、主动公开\r" and the field's code, and as far into the next
        // paragraph. An object's own character may name it too.
        let first = "二、主动公开\r".chars().count() + embed.chars().count() - 3;
        let second = first + embed.chars().count() + 1;
        let third = second + 3 + "三、收到\r四、".chars().count();
        let marked = [
            (first, first + 1, object(7)),
            (second, second + 1, object(8)),
            (third, third + 1, object(9)),
        ];
        let doc = word97(&paragraphs, 1000, false, &[], &marked);
        let doc = with_object(doc, 7, &workbook);
        let doc = with_object(doc, 8, b"no workbook");
        let doc = with_object(doc, 9, &workbook);
        let (text, grids, pictures) = read(&doc);
        let table = "信息内容\t本年制发件数\n规章\t5\n";
        assert_eq!(
            text,
            format!("二、主动公开\n{table}\n三、收到\n四、\n{table}\n")
        );
        assert_eq!(grids.len(), 2);
        assert_eq!(grids[0].cells[3].text, "5");
        // The second object is a picture at the start of its paragraph.
        let third_paragraph = text.find("三、收到").unwrap();
        assert_eq!(pictures, [third_paragraph]);
    }

    #[test]
    fn damaged_and_foreign_files_are_errors_never_panics() {
        let good = word97(&report_paragraphs(), 5, true, &[], &[]);
        assert!(text_of(&good, 1 << 20, crate::docx::DEFAULT_LIMITS).is_ok());
        assert!(matches!(
            text_of(&good, 10, crate::docx::DEFAULT_LIMITS),
            Err(IngestError::Limit(_))
        ));
        for cut in [8, 512, 1024, good.len() / 2] {
            assert!(
                text_of(&good[..cut], 1 << 20, crate::docx::DEFAULT_LIMITS).is_err(),
                "cut at {cut}"
            );
        }
        let mut other = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        other
            .create_stream("Workbook")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        other.flush().unwrap();
        let other = other.into_inner().into_inner();
        assert!(matches!(
            text_of(&other, 1 << 20, crate::docx::DEFAULT_LIMITS),
            Err(IngestError::Unsupported(_))
        ));
        // Every byte of the streams changed in turn: an error or some text, never a panic.
        let word_at = (0..good.len())
            .step_by(512)
            .find(|&at| good.get(at..at + 2) == Some(&[0xEC, 0xA5]))
            .unwrap();
        for at in (word_at..word_at + 4096).chain(0..512) {
            for value in [0x00, 0x07, 0xFF] {
                let mut bad = good.clone();
                if let Some(b) = bad.get_mut(at) {
                    *b = value;
                }
                let _ = text_of(&bad, 1 << 20, crate::docx::DEFAULT_LIMITS);
            }
        }
    }
}
