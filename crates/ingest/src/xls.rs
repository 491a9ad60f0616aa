//! An Excel 97–2003 workbook (BIFF8, the `Workbook` stream of an OLE compound file) that
//! a Word file embeds as a spreadsheet object: Excel 97 objects, WPS 表格's, and every one
//! LibreOffice writes into a Word 97 file. Only what a shown table needs is read ([MS-XLS]):
//! the sheets and which is active, the shared strings, each cell's value (a string, a
//! number, a formula's last value, a boolean or an error), merged areas, hidden rows and
//! columns. The table is then made as an XLSX sheet's is ([`crate::xlsx`]). An encrypted
//! workbook is not read.
//!
//! Every length read from the stream is checked: a damaged workbook gives fewer cells or
//! none, never a panic.

use crate::doc::{u16_at, u32_at};
use crate::xlsx::{number_text, Area, Sheet, MOST_CELLS};
use crate::IngestError;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;
const FILEPASS: u16 = 0x002F;
const BOUNDSHEET8: u16 = 0x0085;
const WINDOW1: u16 = 0x003D;
const SST: u16 = 0x00FC;
const LABELSST: u16 = 0x00FD;
const LABEL: u16 = 0x0204;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
const STRING: u16 = 0x0207;
const BOOLERR: u16 = 0x0205;
const MERGEDCELLS: u16 = 0x00E5;
const ROW: u16 = 0x0208;
const COLINFO: u16 = 0x007D;

/// A record: its type and data, and the data of the CONTINUE records after it.
struct Record<'a> {
    kind: u16,
    data: &'a [u8],
    continued: Vec<&'a [u8]>,
}

/// The records of a substream starting at `at` (its BOF), to its EOF.
fn records(stream: &[u8], at: usize) -> Vec<Record<'_>> {
    let mut out: Vec<Record> = Vec::new();
    let mut at = at;
    while let (Some(kind), Some(size)) = (u16_at(stream, at), u16_at(stream, at + 2)) {
        let Some(data) = stream.get(at + 4..at + 4 + usize::from(size)) else {
            break;
        };
        at += 4 + usize::from(size);
        match (kind, out.last_mut()) {
            (CONTINUE, Some(last)) => last.continued.push(data),
            _ => out.push(Record {
                kind,
                data,
                continued: Vec::new(),
            }),
        }
        if kind == EOF {
            break;
        }
    }
    out
}

/// The sheet the object shows of the workbook in `stream`: its cells, merged areas and
/// hidden rows and columns; `None` when the stream is no readable BIFF8 workbook.
pub(crate) fn shown_sheet(stream: &[u8]) -> Result<Option<Sheet>, IngestError> {
    if u16_at(stream, 0) != Some(BOF) {
        return Ok(None);
    }
    let globals = records(stream, 0);
    if globals.iter().any(|r| r.kind == FILEPASS) {
        return Ok(None);
    }
    // Each worksheet's substream and whether it is hidden, in the tabs' order.
    let sheets: Vec<(usize, bool)> = globals
        .iter()
        .filter(|r| r.kind == BOUNDSHEET8 && r.data.get(5) == Some(&0))
        .filter_map(|r| Some((u32_at(r.data, 0)? as usize, r.data.get(4) != Some(&0))))
        .collect();
    let active = globals
        .iter()
        .find(|r| r.kind == WINDOW1)
        .and_then(|r| u16_at(r.data, 10))
        .map_or(0, usize::from);
    let Some(&(at, _)) = sheets
        .get(active)
        .filter(|(_, hidden)| !hidden)
        .or_else(|| sheets.iter().find(|(_, hidden)| !hidden))
    else {
        return Ok(None);
    };
    let strings = globals
        .iter()
        .find(|r| r.kind == SST)
        .map(shared_strings)
        .unwrap_or_default();
    read_sheet(stream, at, &strings).map(Some)
}

/// A record's data and its CONTINUE records' read in order; a string's characters that
/// cross into a CONTINUE record begin there with a new flags byte (compressed or not).
struct Pieces<'a> {
    pieces: Vec<&'a [u8]>,
    piece: usize,
    at: usize,
}

impl<'a> Pieces<'a> {
    fn of(record: &Record<'a>) -> Pieces<'a> {
        let mut pieces = vec![record.data];
        pieces.extend(record.continued.iter().copied());
        Pieces {
            pieces,
            piece: 0,
            at: 0,
        }
    }

    /// The next byte, across pieces.
    fn byte(&mut self) -> Option<u8> {
        loop {
            let piece = self.pieces.get(self.piece)?;
            if let Some(&b) = piece.get(self.at) {
                self.at += 1;
                return Some(b);
            }
            self.piece += 1;
            self.at = 0;
        }
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.byte()?, self.byte()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    fn skip(&mut self, count: usize) -> Option<()> {
        for _ in 0..count {
            self.byte()?;
        }
        Some(())
    }

    /// `count` characters, one byte each (Latin-1) or two (UTF-16) as `wide` first says.
    fn chars(&mut self, count: usize, mut wide: bool) -> Option<String> {
        let mut units: Vec<u16> = Vec::with_capacity(count.min(1 << 16));
        for _ in 0..count {
            if self.pieces.get(self.piece)?.len() == self.at {
                // A string going on in the next CONTINUE record says again how it is kept.
                self.piece += 1;
                self.at = 0;
                wide = self.byte()? & 1 == 1;
            }
            units.push(match wide {
                true => self.u16()?,
                false => u16::from(self.byte()?),
            });
        }
        Some(String::from_utf16_lossy(&units))
    }

    /// An XLUnicodeRichExtendedString (the shared strings'): its characters, its rich
    /// text runs and phonetic data skipped.
    fn rich_string(&mut self) -> Option<String> {
        let count = usize::from(self.u16()?);
        let flags = self.byte()?;
        let runs = match flags & 0x08 {
            0 => 0,
            _ => usize::from(self.u16()?),
        };
        let extended = match flags & 0x04 {
            0 => 0,
            _ => self.u32()? as usize,
        };
        let text = self.chars(count, flags & 1 == 1)?;
        self.skip(4 * runs)?;
        self.skip(extended)?;
        Some(text)
    }
}

/// The shared strings of an SST record and its CONTINUE records.
fn shared_strings(record: &Record) -> Vec<String> {
    let mut pieces = Pieces::of(record);
    let (Some(_), Some(unique)) = (pieces.u32(), pieces.u32()) else {
        return Vec::new();
    };
    let mut strings = Vec::new();
    for _ in 0..unique.min(MOST_CELLS as u32) {
        match pieces.rich_string() {
            Some(text) => strings.push(text),
            None => break,
        }
    }
    strings
}

/// An XLUnicodeString (a LABEL's or STRING's): a 16-bit count, flags, the characters.
fn unicode_string(record: &Record, at: usize) -> Option<String> {
    let mut pieces = Pieces::of(record);
    pieces.skip(at)?;
    let count = usize::from(pieces.u16()?);
    let wide = pieces.byte()? & 1 == 1;
    pieces.chars(count, wide)
}

/// An RK number: a 30-bit integer or the top of a double, maybe a hundredth.
fn rk_number(rk: u32) -> f64 {
    let number = match rk & 2 {
        0 => f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32),
        _ => f64::from((rk as i32) >> 2),
    };
    match rk & 1 {
        0 => number,
        _ => number / 100.0,
    }
}

fn number_cell(number: f64) -> String {
    number_text(&number.to_string())
}

/// The cells, merged areas and hidden rows and columns of the worksheet substream at `at`.
fn read_sheet(stream: &[u8], at: usize, strings: &[String]) -> Result<Sheet, IngestError> {
    let mut sheet = Sheet::default();
    let records = records(stream, at);
    let push = |sheet: &mut Sheet, row: u16, col: u16, text: String| {
        let text = text.replace(['\t', '\r', '\n'], " ").trim().to_string();
        if text.is_empty() {
            return Ok(());
        }
        if sheet.cells.len() >= MOST_CELLS {
            return Err(IngestError::Limit(format!(
                "embedded worksheet holds more than {MOST_CELLS} cells"
            )));
        }
        sheet.cells.push((usize::from(row), usize::from(col), text));
        Ok(())
    };
    for (i, record) in records.iter().enumerate() {
        let d = record.data;
        let place = || Some((u16_at(d, 0)?, u16_at(d, 2)?));
        match record.kind {
            LABELSST => {
                if let (Some((row, col)), Some(index)) = (place(), u32_at(d, 6)) {
                    let text = strings.get(index as usize).cloned().unwrap_or_default();
                    push(&mut sheet, row, col, text)?;
                }
            }
            LABEL => {
                if let (Some((row, col)), Some(text)) = (place(), unicode_string(record, 6)) {
                    push(&mut sheet, row, col, text)?;
                }
            }
            NUMBER => {
                let number = d
                    .get(6..14)
                    .and_then(|b| b.try_into().ok())
                    .map(f64::from_le_bytes);
                if let (Some((row, col)), Some(number)) = (place(), number) {
                    push(&mut sheet, row, col, number_cell(number))?;
                }
            }
            RK => {
                if let (Some((row, col)), Some(rk)) = (place(), u32_at(d, 6)) {
                    push(&mut sheet, row, col, number_cell(rk_number(rk)))?;
                }
            }
            MULRK => {
                let Some((row, first)) = place() else {
                    continue;
                };
                let count = d.len().saturating_sub(6) / 6;
                for k in 0..count {
                    if let Some(rk) = u32_at(d, 4 + 6 * k + 2) {
                        let col = first.saturating_add(k as u16);
                        push(&mut sheet, row, col, number_cell(rk_number(rk)))?;
                    }
                }
            }
            FORMULA => {
                let Some((row, col)) = place() else { continue };
                let Some(value) = d.get(6..14) else { continue };
                let text = match value[6..8] == [0xFF, 0xFF] {
                    false => value
                        .try_into()
                        .map(|b| number_cell(f64::from_le_bytes(b)))
                        .unwrap_or_default(),
                    // A string result stands in the STRING record after it.
                    true => match value[0] {
                        0 => records
                            .get(i + 1)
                            .filter(|r| r.kind == STRING)
                            .and_then(|r| unicode_string(r, 0))
                            .unwrap_or_default(),
                        1 => bool_text(value[2]),
                        _ => String::new(),
                    },
                };
                push(&mut sheet, row, col, text)?;
            }
            BOOLERR => {
                if let (Some((row, col)), Some(&value), Some(&error)) =
                    (place(), d.get(6), d.get(7))
                {
                    if error == 0 {
                        push(&mut sheet, row, col, bool_text(value))?;
                    }
                }
            }
            MERGEDCELLS => {
                let count = u16_at(d, 0).map_or(0, usize::from);
                for k in 0..count {
                    let at = 2 + 8 * k;
                    let (Some(top), Some(bottom), Some(left), Some(right)) = (
                        u16_at(d, at),
                        u16_at(d, at + 2),
                        u16_at(d, at + 4),
                        u16_at(d, at + 6),
                    ) else {
                        break;
                    };
                    if sheet.merged.len() < MOST_CELLS {
                        sheet.merged.push(Area::new(
                            usize::from(top),
                            usize::from(left),
                            usize::from(bottom),
                            usize::from(right),
                        ));
                    }
                }
            }
            ROW => {
                let hidden = u16_at(d, 12).is_some_and(|flags| flags & 0x20 != 0);
                if let (Some(row), true) = (u16_at(d, 0), hidden) {
                    if sheet.hidden_rows.len() < MOST_CELLS {
                        sheet.hidden_rows.push(usize::from(row));
                    }
                }
            }
            COLINFO => {
                let hidden = u16_at(d, 8).is_some_and(|flags| flags & 1 != 0);
                if let (Some(first), Some(last), true) = (u16_at(d, 0), u16_at(d, 2), hidden) {
                    if sheet.hidden_cols.len() < MOST_CELLS {
                        sheet
                            .hidden_cols
                            .push(usize::from(first)..=usize::from(last));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(sheet)
}

fn bool_text(value: u8) -> String {
    match value {
        0 => "FALSE".to_string(),
        _ => "TRUE".to_string(),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn place(row: u16, col: u16) -> Vec<u8> {
        [row.to_le_bytes(), col.to_le_bytes(), 0u16.to_le_bytes()].concat()
    }

    /// An SST of the strings, UTF-16, the last one's characters cut into a CONTINUE
    /// record after its first one (which then starts with its flags byte again).
    fn sst(strings: &[&str]) -> Vec<u8> {
        let mut data = Vec::new();
        data.extend((strings.len() as u32).to_le_bytes());
        data.extend((strings.len() as u32).to_le_bytes());
        let mut cut = None;
        for (i, s) in strings.iter().enumerate() {
            let units: Vec<u16> = s.encode_utf16().collect();
            data.extend((units.len() as u16).to_le_bytes());
            data.push(1);
            for (k, u) in units.iter().enumerate() {
                if i + 1 == strings.len() && k == 1 {
                    cut = Some(data.len());
                }
                data.extend(u.to_le_bytes());
            }
        }
        match cut {
            Some(at) => {
                let mut rest = vec![1u8];
                rest.extend(&data[at..]);
                [record(SST, &data[..at]), record(CONTINUE, &rest)].concat()
            }
            None => record(SST, &data),
        }
    }

    /// A workbook stream: globals (a hidden sheet first, the active tab the second), then
    /// the second sheet's records.
    pub(crate) fn workbook(strings: &[&str], sheet_records: &[u8]) -> Vec<u8> {
        let bof = record(BOF, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0]);
        let window = record(
            WINDOW1,
            &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0],
        );
        let sst = sst(strings);
        let boundsheet = |at: u32, hidden: u8, name: &str| {
            let mut data = at.to_le_bytes().to_vec();
            data.extend([hidden, 0, name.len() as u8, 0]);
            data.extend(name.bytes());
            record(BOUNDSHEET8, &data)
        };
        let globals_len = |first: u32, second: u32| {
            [
                bof.clone(),
                window.clone(),
                boundsheet(first, 1, "A"),
                boundsheet(second, 0, "B"),
                sst.clone(),
                record(EOF, &[]),
            ]
            .concat()
            .len() as u32
        };
        let start = globals_len(0, 0);
        let hidden_sheet = [bof.clone(), record(EOF, &[])].concat();
        let second = start + hidden_sheet.len() as u32;
        let globals = [
            bof.clone(),
            window,
            boundsheet(start, 1, "A"),
            boundsheet(second, 0, "B"),
            sst,
            record(EOF, &[]),
        ]
        .concat();
        [
            globals,
            hidden_sheet,
            bof,
            sheet_records.to_vec(),
            record(EOF, &[]),
        ]
        .concat()
    }

    pub(crate) fn sheet_records() -> Vec<u8> {
        let mut r = Vec::new();
        r.extend(record(
            LABELSST,
            &[place(0, 0), 0u32.to_le_bytes().to_vec()].concat(),
        ));
        r.extend(record(
            LABELSST,
            &[place(0, 2), 1u32.to_le_bytes().to_vec()].concat(),
        ));
        // "规章" as a LABEL, 5 as an RK integer, 2.5 as an RK hundredths, 242523110.82 as
        // a NUMBER, a formula's cached 3 and a formula's string result.
        let mut label = place(1, 0);
        label.extend([2, 0, 1]);
        label.extend("规章".encode_utf16().flat_map(u16::to_le_bytes));
        r.extend(record(LABEL, &label));
        r.extend(record(
            RK,
            &[place(1, 2), ((5u32 << 2) | 2).to_le_bytes().to_vec()].concat(),
        ));
        let mut mulrk = place(2, 0)[..4].to_vec();
        mulrk.extend([0, 0]);
        mulrk.extend(((250u32 << 2) | 3).to_le_bytes());
        mulrk.extend([0, 0]);
        mulrk.extend(((7u32 << 2) | 2).to_le_bytes());
        mulrk.extend(1u16.to_le_bytes());
        r.extend(record(MULRK, &mulrk));
        r.extend(record(
            NUMBER,
            &[place(3, 0), 242523110.82f64.to_le_bytes().to_vec()].concat(),
        ));
        let formula = |row: u16, value: [u8; 8]| {
            let mut d = place(row, 2);
            d.extend(value);
            d.extend([0; 6]);
            record(FORMULA, &d)
        };
        r.extend(formula(3, 3.0f64.to_le_bytes()));
        r.extend(formula(4, [0, 0, 0, 0, 0, 0, 0xFF, 0xFF]));
        let mut string = vec![2, 0, 0];
        string.extend(b"ok");
        r.extend(record(STRING, &string));
        // B (column 1) hidden, row 5 hidden, A1:B1 merged.
        r.extend(record(COLINFO, &[1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
        let mut row = vec![5, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0];
        row.extend(0x20u16.to_le_bytes());
        row.extend([0, 0]);
        r.extend(record(ROW, &row));
        r.extend(record(
            LABELSST,
            &[place(5, 0), 0u32.to_le_bytes().to_vec()].concat(),
        ));
        r.extend(record(MERGEDCELLS, &[1, 0, 0, 0, 0, 0, 0, 0, 1, 0]));
        r
    }

    #[test]
    fn the_active_sheets_cells_are_read() {
        let stream = workbook(&["信息内容", "本年制发件数"], &sheet_records());
        let sheet = shown_sheet(&stream).unwrap().unwrap();
        let mut cells = sheet.cells.clone();
        cells.sort();
        let cell = |r: usize, c: usize, t: &str| (r, c, t.to_string());
        assert_eq!(
            cells,
            vec![
                cell(0, 0, "信息内容"),
                cell(0, 2, "本年制发件数"),
                cell(1, 0, "规章"),
                cell(1, 2, "5"),
                cell(2, 0, "2.5"),
                cell(2, 1, "7"),
                cell(3, 0, "242523110.82"),
                cell(3, 2, "3"),
                cell(4, 2, "ok"),
                cell(5, 0, "信息内容"),
            ]
        );
        assert_eq!(sheet.hidden_rows, [5]);
        assert_eq!(sheet.hidden_cols, [1..=1]);
        assert_eq!(sheet.merged, [Area::new(0, 0, 0, 1)]);
    }

    #[test]
    fn what_is_no_readable_workbook_gives_nothing_and_never_panics() {
        assert!(shown_sheet(b"").unwrap().is_none());
        assert!(shown_sheet(&[0x09, 0x08, 0xFF, 0xFF]).unwrap().is_none());
        let stream = workbook(&["信息内容", "本年制发件数"], &sheet_records());
        for cut in 0..stream.len() {
            let _ = shown_sheet(&stream[..cut]);
        }
        let mut encrypted = stream.clone();
        let at = record(BOF, &[0; 8]).len();
        encrypted.splice(at..at, record(FILEPASS, &[0; 6]));
        assert!(shown_sheet(&encrypted).unwrap().is_none());
    }
}
