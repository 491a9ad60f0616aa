//! A spreadsheet embedded in a Word file: an Excel or WPS 表格 object (`o:OLEObject`) whose
//! part is an XLSX workbook, bare or wrapped in an OLE compound file's `Package` stream.
//! Word shows such an object as a picture (a metafile), which holds no text to read; the
//! workbook holds the cells themselves. The sheet the object shows (the workbook's active
//! one, within its `oleSize` area when it names one) is read as a table: each cell's text
//! as the workbook stores it (a number as written, a shared or inline string, a formula's
//! last value), merged cells as spans. An Excel 97 workbook (BIFF8, a `Workbook` stream)
//! is read by [`crate::xls`] into the same sheet.

use crate::docx::{CellBuf, TableBuf, ZipLimits};
use crate::zipped::{attr, entry_text, Archive};
use crate::IngestError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashSet;

/// The most rows and columns of a shown area read as a table: a form's table has a few
/// dozen; a sheet whose cells spread further is no table of a report.
const MOST_ROWS: usize = 2_000;
const MOST_COLS: usize = 100;
/// The most cells a sheet may hold (hostile input: each is kept while the sheet is read).
pub(crate) const MOST_CELLS: usize = 200_000;

/// A rectangle of cells, rows and columns from 0, both ends included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Area {
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
}

impl Area {
    pub(crate) fn new(top: usize, left: usize, bottom: usize, right: usize) -> Area {
        Area {
            top,
            left,
            bottom,
            right,
        }
    }

    fn holds(&self, row: usize, col: usize) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&col)
    }

    /// "B3:D7" (or "B3" alone).
    fn parse(text: &str) -> Option<Area> {
        let (first, last) = text.split_once(':').unwrap_or((text, text));
        let (top, left) = cell_place(first)?;
        let (bottom, right) = cell_place(last)?;
        Some(Area {
            top: top.min(bottom),
            left: left.min(right),
            bottom: top.max(bottom),
            right: left.max(right),
        })
    }
}

/// A cell reference's row and column from 0 ("B3" → (2, 1)); a `$` is ignored.
fn cell_place(reference: &str) -> Option<(usize, usize)> {
    let reference = reference.replace('$', "");
    let digits = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = reference.split_at(digits);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col = 0usize;
    for letter in letters.bytes() {
        if !letter.is_ascii_alphabetic() {
            return None;
        }
        col = col * 26 + usize::from(letter.to_ascii_uppercase() - b'A') + 1;
    }
    let row: usize = number.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

/// The table the embedded object `bytes` shows, or `None` when they hold no workbook
/// (another kind of object) or its sheet no cells: an XLSX, or an OLE compound file
/// keeping one ([`ole_table`]).
pub(crate) fn shown_table(
    bytes: &[u8],
    limits: ZipLimits,
) -> Result<Option<TableBuf>, IngestError> {
    if !bytes.starts_with(&crate::doc::OLE_MAGIC) {
        return xlsx_table(bytes, limits);
    }
    match cfb::CompoundFile::open(std::io::Cursor::new(bytes)) {
        Ok(mut file) => ole_table(&mut file, "", limits),
        Err(_) => Ok(None),
    }
}

/// The table the shown sheet of the XLSX workbook `bytes` holds.
fn xlsx_table(bytes: &[u8], limits: ZipLimits) -> Result<Option<TableBuf>, IngestError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(None);
    }
    let mut archive = crate::zipped::open(bytes, limits, "XLSX")?;
    let Some(workbook) = entry_text(&mut archive, "xl/workbook.xml", limits)? else {
        return Ok(None);
    };
    let workbook = read_workbook(&workbook)?;
    let rels = entry_text(&mut archive, "xl/_rels/workbook.xml.rels", limits)?;
    let targets = match rels {
        Some(xml) => crate::docx::relationship_targets(&xml, "xl")?,
        None => Vec::new(),
    };
    let Some(sheet_part) = workbook
        .shown_sheet()
        .and_then(|id| targets.iter().find(|(i, _)| i == id))
        .map(|(_, target)| target.clone())
    else {
        return Ok(None);
    };
    let strings = shared_strings(&mut archive, &targets, limits)?;
    let Some(sheet) = entry_text(&mut archive, &sheet_part, limits)? else {
        return Ok(None);
    };
    let sheet = read_sheet(&sheet, &strings)?;
    Ok(table(&sheet, workbook.ole_size))
}

/// The table shown by the object kept in storage `dir` ("" for the root) of an OLE
/// compound file (how Word keeps an object it embeds in the old way): its workbook is an
/// XLSX in the `Package` stream (Excel 2007 and later) or an Excel 97 `Workbook` stream
/// (BIFF8, [`crate::xls`]), each read at most `limits.max_entry_bytes`.
pub(crate) fn ole_table(
    file: &mut cfb::CompoundFile<std::io::Cursor<&[u8]>>,
    dir: &str,
    limits: ZipLimits,
) -> Result<Option<TableBuf>, IngestError> {
    let mut read = |name: &str| {
        let path = format!("{dir}/{name}");
        if !file.is_stream(&path) {
            return Ok(None);
        }
        let stream = file
            .open_stream(&path)
            .map_err(|e| IngestError::Corrupt(format!("{path}: {e}")))?;
        crate::zipped::read_at_most(stream, limits.max_entry_bytes, &path).map(Some)
    };
    if let Some(package) = read("Package")? {
        return xlsx_table(&package, limits);
    }
    match read("Workbook")? {
        Some(stream) => Ok(crate::xls::shown_sheet(&stream)?.and_then(|sheet| table(&sheet, None))),
        None => Ok(None),
    }
}

/// What `xl/workbook.xml` says of its sheets.
#[derive(Debug, Default)]
struct Workbook {
    /// Each sheet's relationship id and whether it is hidden, in the tabs' order.
    sheets: Vec<(String, bool)>,
    /// The tab shown when the workbook was saved (`workbookView`'s `activeTab`).
    active_tab: usize,
    /// The area an embedded workbook shows (`oleSize`), when it names one.
    ole_size: Option<Area>,
}

impl Workbook {
    /// The relationship id of the sheet the object shows: the active tab, or the first
    /// sheet not hidden.
    fn shown_sheet(&self) -> Option<&str> {
        fn visible((id, hidden): &(String, bool)) -> Option<&str> {
            (!hidden).then_some(id.as_str())
        }
        self.sheets
            .get(self.active_tab)
            .and_then(visible)
            .or_else(|| self.sheets.iter().find_map(visible))
    }
}

fn read_workbook(xml: &str) -> Result<Workbook, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut workbook = Workbook::default();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                b"sheet" => {
                    let hidden = attr(&e, b"state").is_some_and(|s| s != "visible");
                    if let Some(id) = attr(&e, b"id") {
                        workbook.sheets.push((id, hidden));
                    }
                }
                b"workbookView" => {
                    workbook.active_tab = attr(&e, b"activeTab")
                        .and_then(|t| t.parse().ok())
                        .unwrap_or(0);
                }
                b"oleSize" => workbook.ole_size = attr(&e, b"ref").and_then(|r| Area::parse(&r)),
                _ => {}
            },
            Ok(Event::Eof) => return Ok(workbook),
            Ok(_) => {}
            Err(e) => return Err(IngestError::Corrupt(format!("xl/workbook.xml: {e}"))),
        }
    }
}

/// The workbook's shared strings, each its runs' text joined (a run of phonetic guide,
/// `rPh`, left out).
fn shared_strings(
    archive: &mut Archive,
    targets: &[(String, String)],
    limits: ZipLimits,
) -> Result<Vec<String>, IngestError> {
    let part = targets
        .iter()
        .map(|(_, target)| target.as_str())
        .find(|t| t.ends_with("sharedStrings.xml"))
        .unwrap_or("xl/sharedStrings.xml");
    let Some(xml) = entry_text(archive, part, limits)? else {
        return Ok(Vec::new());
    };
    let mut reader = Reader::from_str(&xml);
    let mut strings = Vec::new();
    let (mut in_text, mut phonetic) = (false, 0usize);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                b"si" => strings.push(String::new()),
                b"rPh" => phonetic += 1,
                b"t" => in_text = phonetic == 0,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == b"si" => strings.push(String::new()),
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"rPh" => phonetic = phonetic.saturating_sub(1),
                b"t" => in_text = false,
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                let text = t
                    .unescape()
                    .map_err(|e| IngestError::Corrupt(format!("{part}: {e}")))?;
                if let Some(last) = strings.last_mut() {
                    last.push_str(&text);
                }
            }
            Ok(Event::Eof) => return Ok(strings),
            Ok(_) => {}
            Err(e) => return Err(IngestError::Corrupt(format!("{part}: {e}"))),
        }
    }
}

/// A sheet's cells that hold text (row, column, text), its merged areas, and its hidden
/// rows and column ranges.
#[derive(Debug, Default)]
pub(crate) struct Sheet {
    pub(crate) cells: Vec<(usize, usize, String)>,
    pub(crate) merged: Vec<Area>,
    pub(crate) hidden_rows: Vec<usize>,
    pub(crate) hidden_cols: Vec<std::ops::RangeInclusive<usize>>,
}

/// A cell being read: its place, type (`t`) and the text of its value (`v`) or inline
/// string (`is`).
struct CellBeingRead {
    row: usize,
    col: usize,
    kind: Option<String>,
    text: String,
}

fn read_sheet(xml: &str, strings: &[String]) -> Result<Sheet, IngestError> {
    let corrupt = |e: &dyn std::fmt::Display| IngestError::Corrupt(format!("worksheet: {e}"));
    let mut reader = Reader::from_str(xml);
    let mut sheet = Sheet::default();
    // Rows and cells may leave out their `r`: each then follows the one before.
    let (mut row, mut next_col) = (0usize, 0usize);
    let mut started_rows = 0usize;
    let mut cell: Option<CellBeingRead> = None;
    let mut in_value = false;
    loop {
        let event = reader.read_event().map_err(|e| corrupt(&e))?;
        match event {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"row" && cell.is_none() =>
            {
                row = attr(&e, b"r")
                    .and_then(|r| r.parse::<usize>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(started_rows);
                started_rows = row + 1;
                next_col = 0;
                if is_on(attr(&e, b"hidden")) && sheet.hidden_rows.len() < MOST_CELLS {
                    sheet.hidden_rows.push(row);
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"col" => {
                let bound = |name: &[u8]| attr(&e, name)?.parse::<usize>().ok()?.checked_sub(1);
                if let (Some(min), Some(max), true) =
                    (bound(b"min"), bound(b"max"), is_on(attr(&e, b"hidden")))
                {
                    if sheet.hidden_cols.len() < MOST_CELLS {
                        sheet.hidden_cols.push(min..=max);
                    }
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"c" => {
                let (r, c) = attr(&e, b"r")
                    .and_then(|r| cell_place(&r))
                    .unwrap_or((row, next_col));
                next_col = c + 1;
                cell = Some(CellBeingRead {
                    row: r,
                    col: c,
                    kind: attr(&e, b"t"),
                    text: String::new(),
                });
            }
            Event::Empty(e) if e.local_name().as_ref() == b"c" => {
                next_col = attr(&e, b"r")
                    .and_then(|r| cell_place(&r))
                    .map_or(next_col + 1, |(_, c)| c + 1);
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => in_value = true,
            Event::End(e) if matches!(e.local_name().as_ref(), b"v" | b"t") => in_value = false,
            Event::Text(t) if in_value => {
                if let Some(cell) = cell.as_mut() {
                    cell.text.push_str(&t.unescape().map_err(|e| corrupt(&e))?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == b"c" => {
                if let Some(done) = cell.take() {
                    let text = cell_text(done.kind.as_deref(), &done.text, strings);
                    if !text.is_empty() {
                        if sheet.cells.len() >= MOST_CELLS {
                            return Err(IngestError::Limit(format!(
                                "embedded worksheet holds more than {MOST_CELLS} cells"
                            )));
                        }
                        sheet.cells.push((done.row, done.col, text));
                    }
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"mergeCell" => {
                if let Some(area) = attr(&e, b"ref").and_then(|r| Area::parse(&r)) {
                    if sheet.merged.len() < MOST_CELLS {
                        sheet.merged.push(area);
                    }
                }
            }
            Event::Eof => return Ok(sheet),
            _ => {}
        }
    }
}

/// Whether a boolean attribute is set ("1" or "true").
fn is_on(value: Option<String>) -> bool {
    matches!(value.as_deref(), Some("1" | "true"))
}

/// A cell's text as the sheet shows it, by its type: a shared string's, an inline
/// string's, a formula's string result, a boolean's, an error's, or a number's (a
/// computed number's binary noise, 0.30000000000000004, rounded off as Excel shows it).
fn cell_text(kind: Option<&str>, value: &str, strings: &[String]) -> String {
    let text = match kind {
        Some("s") => value
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|i| strings.get(i))
            .map_or("", String::as_str)
            .to_string(),
        Some("b") => match value.trim() {
            "1" => "TRUE".to_string(),
            _ => "FALSE".to_string(),
        },
        Some("inlineStr" | "str" | "e") => value.to_string(),
        _ => number_text(value.trim()),
    };
    text.replace(['\t', '\r', '\n'], " ").trim().to_string()
}

/// A number as Excel shows it in General format: to 15 significant digits, no exponent.
pub(crate) fn number_text(value: &str) -> String {
    let shown = value
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite())
        .and_then(|n| format!("{n:.14e}").parse::<f64>().ok());
    match shown {
        // Minus zero too.
        Some(0.0) => "0".to_string(),
        Some(n) => n.to_string(),
        None => value.to_string(),
    }
}

/// The sheet's cells as a table: the area its cells with text cover (within `shown`, the
/// object's `oleSize`, when given), its hidden rows and columns left out as the object
/// shows none, each merged area one cell spanning its shown columns and continued down
/// its shown rows. Rows without text are left out.
fn table(sheet: &Sheet, shown: Option<Area>) -> Option<TableBuf> {
    // Looked up for every cell: a set of rows, and the columns' ranges sorted and joined
    // (a hostile sheet may list as many as it has cells).
    let hidden_rows: HashSet<usize> = sheet.hidden_rows.iter().copied().collect();
    let hidden_cols = joined(&sheet.hidden_cols);
    let is_hidden_col = |col: usize| {
        let at = hidden_cols.partition_point(|(_, last)| *last < col);
        hidden_cols.get(at).is_some_and(|(first, _)| *first <= col)
    };
    let within = |row: usize, col: usize| {
        shown.is_none_or(|area| area.holds(row, col))
            && !hidden_rows.contains(&row)
            && !is_hidden_col(col)
    };
    let cells: Vec<&(usize, usize, String)> = sheet
        .cells
        .iter()
        .filter(|(r, c, _)| within(*r, *c))
        .collect();
    let area = Area {
        top: cells.iter().map(|c| c.0).min()?,
        left: cells.iter().map(|c| c.1).min()?,
        bottom: cells.iter().map(|c| c.0).max()?,
        right: cells.iter().map(|c| c.1).max()?,
    };
    if area.bottom - area.top >= MOST_ROWS || area.right - area.left >= MOST_COLS {
        return None;
    }
    let rows: Vec<usize> = (area.top..=area.bottom)
        .filter(|r| !hidden_rows.contains(r))
        .collect();
    let cols: Vec<usize> = (area.left..=area.right)
        .filter(|c| !is_hidden_col(*c))
        .collect();
    let width = area.right - area.left + 1;
    let mut texts = vec![String::new(); (area.bottom - area.top + 1) * width];
    for (r, c, text) in cells {
        texts[(r - area.top) * width + (c - area.left)] = text.clone();
    }
    // A cell outside the area holds no text (a merged area's corner among them).
    let text_at = |row: usize, col: usize| match area.holds(row, col) {
        true => texts[(row - area.top) * width + (col - area.left)].clone(),
        false => String::new(),
    };
    let merged_at = merged_areas(sheet, &area)?;
    let merged_at = |row: usize, col: usize| {
        merged_at[(row - area.top) * width + (col - area.left)].map(|m| &sheet.merged[m])
    };
    let mut table = Vec::new();
    for &row in &rows {
        let mut cells = Vec::new();
        let mut at = 0;
        while let Some(&col) = cols.get(at) {
            let (cell, shown_cols) = match merged_at(row, col) {
                Some(m) => {
                    // The merged area's first shown row holds its text.
                    let first = rows
                        .get(rows.partition_point(|r| *r < m.top))
                        .copied()
                        .unwrap_or(row);
                    let span = cols[at..].iter().take_while(|c| **c <= m.right).count();
                    let text = match row == first {
                        true => text_at(m.top, m.left),
                        false => String::new(),
                    };
                    let merged = row > first;
                    (CellBuf { text, span, merged }, span)
                }
                None => {
                    let text = text_at(row, col);
                    (
                        CellBuf {
                            text,
                            span: 1,
                            merged: false,
                        },
                        1,
                    )
                }
            };
            cells.push(cell);
            at += shown_cols;
        }
        let blank = cells
            .iter()
            .all(|c| c.text.is_empty() && !c.merged && c.span == 1);
        if !blank {
            table.push(cells);
        }
    }
    Some(TableBuf { rows: table })
}

/// The merged area covering each cell of `area` (row by row), the first the sheet lists
/// where several do. `None` when the merged areas overlap more than the area has cells: no
/// spreadsheet program writes overlapping ones, and a hostile sheet's would take as long
/// to lay out as their number times the area's cells.
fn merged_areas(sheet: &Sheet, area: &Area) -> Option<Vec<Option<usize>>> {
    let width = area.right - area.left + 1;
    let cells = (area.bottom - area.top + 1) * width;
    let clipped = |m: &Area| {
        let (top, left) = (m.top.max(area.top), m.left.max(area.left));
        let (bottom, right) = (m.bottom.min(area.bottom), m.right.min(area.right));
        (top <= bottom && left <= right).then_some((top, left, bottom, right))
    };
    let covered: usize = (sheet.merged.iter().filter_map(clipped))
        .map(|(top, left, bottom, right)| (bottom - top + 1) * (right - left + 1))
        .sum();
    if covered > cells {
        return None;
    }
    let mut at = vec![None; cells];
    // The last listed first, so that the first listed covers a cell last.
    for (index, m) in sheet.merged.iter().enumerate().rev() {
        let Some((top, left, bottom, right)) = clipped(m) else {
            continue;
        };
        for row in top..=bottom {
            let start = (row - area.top) * width;
            at[start + left - area.left..=start + right - area.left].fill(Some(index));
        }
    }
    Some(at)
}

/// Ranges sorted and those that overlap or touch joined, each (first, last).
fn joined(ranges: &[std::ops::RangeInclusive<usize>]) -> Vec<(usize, usize)> {
    let mut sorted: Vec<(usize, usize)> = ranges.iter().map(|r| (*r.start(), *r.end())).collect();
    sorted.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (first, last) in sorted {
        match out.last_mut() {
            Some(previous) if first <= previous.1.saturating_add(1) => {
                previous.1 = previous.1.max(last)
            }
            _ => out.push((first, last)),
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// An XLSX holding one sheet (`sheet` is its `sheetData` and what follows it) and, when
    /// given, shared strings and the workbook's `oleSize`.
    pub(crate) fn xlsx(sheet: &str, strings: &[&str], ole_size: Option<&str>) -> Vec<u8> {
        xlsx_compressed(sheet, strings, ole_size, zip::CompressionMethod::Stored)
    }

    /// A workbook whose sheet is a zip bomb: megabytes of blanks deflated to a few KB.
    pub(crate) fn bomb() -> Vec<u8> {
        let sheet = format!("<sheetData>{}</sheetData>", " ".repeat(8 << 20));
        xlsx_compressed(&sheet, &[], None, zip::CompressionMethod::Deflated)
    }

    fn xlsx_compressed(
        sheet: &str,
        strings: &[&str],
        ole_size: Option<&str>,
        method: zip::CompressionMethod,
    ) -> Vec<u8> {
        let ole = ole_size.map_or(String::new(), |r| format!("<oleSize ref=\"{r}\"/>"));
        let workbook = format!(
            "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
             xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
             {ole}<bookViews><workbookView activeTab=\"0\"/></bookViews>\
             <sheets><sheet name=\"表\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
        );
        let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
            <Relationship Id=\"rId1\" Type=\"worksheet\" Target=\"worksheets/sheet1.xml\"/>\
            <Relationship Id=\"rId2\" Type=\"sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
        let shared: String = strings
            .iter()
            .map(|s| format!("<si><t>{s}</t></si>"))
            .collect();
        let shared = format!("<sst>{shared}</sst>");
        let sheet = format!("<worksheet>{sheet}</worksheet>");
        let mut buffer = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, content) in [
            ("xl/workbook.xml", workbook.as_str()),
            ("xl/_rels/workbook.xml.rels", rels),
            ("xl/sharedStrings.xml", shared.as_str()),
            ("xl/worksheets/sheet1.xml", sheet.as_str()),
        ] {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        buffer.into_inner()
    }

    /// An OLE compound file holding one stream at its root.
    fn ole_file(stream: &str, bytes: &[u8]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        file.create_stream(stream)
            .unwrap()
            .write_all(bytes)
            .unwrap();
        file.into_inner().into_inner()
    }

    fn rows(table: &TableBuf) -> Vec<Vec<(String, usize, bool)>> {
        table
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| (c.text.clone(), c.span, c.merged))
                    .collect()
            })
            .collect()
    }

    fn cell(text: &str, span: usize, merged: bool) -> (String, usize, bool) {
        (text.to_string(), span, merged)
    }

    #[test]
    fn cell_places_and_areas() {
        assert_eq!(cell_place("A1"), Some((0, 0)));
        assert_eq!(cell_place("$AB$12"), Some((11, 27)));
        assert_eq!(cell_place("A0"), None);
        assert_eq!(cell_place("12"), None);
        let area = Area::parse("C5:B2").unwrap();
        assert_eq!((area.top, area.left, area.bottom, area.right), (1, 1, 4, 2));
    }

    #[test]
    fn numbers_read_as_the_sheet_shows_them() {
        assert_eq!(number_text("64"), "64");
        assert_eq!(number_text("242523110.82"), "242523110.82");
        assert_eq!(number_text("0.30000000000000004"), "0.3");
        assert_eq!(number_text("1.5E-3"), "0.0015");
        assert_eq!(number_text("-0"), "0");
        assert_eq!(number_text("#N/A"), "#N/A");
    }

    #[test]
    fn a_sheet_with_shared_strings_merges_and_formulas_is_a_table() {
        let sheet = "<sheetData>\
            <row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c><c r=\"D2\" t=\"s\"><v>1</v></c></row>\
            <row r=\"3\"><c r=\"D3\" t=\"inlineStr\"><is><t>自然人</t></is></c></row>\
            <row r=\"4\"><c r=\"B4\" t=\"s\"><v>2</v></c><c r=\"C4\"/><c r=\"D4\"><f>SUM(1,2)</f><v>3</v></c></row>\
            <row r=\"6\"><c r=\"B6\" t=\"str\"><f>\"合\"&amp;\"计\"</f><v>合计</v></c><c r=\"D6\"><v>3</v></c></row>\
            </sheetData><mergeCells count=\"2\"><mergeCell ref=\"B2:C3\"/><mergeCell ref=\"B4:C4\"/></mergeCells>";
        let bytes = xlsx(sheet, &["信息内容", "申请人情况", "一、本年新收"], None);
        let table = shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .unwrap();
        assert_eq!(
            rows(&table),
            vec![
                vec![cell("信息内容", 2, false), cell("申请人情况", 1, false)],
                vec![cell("", 2, true), cell("自然人", 1, false)],
                vec![cell("一、本年新收", 2, false), cell("3", 1, false)],
                // Row 5 holds nothing and is left out.
                vec![
                    cell("合计", 1, false),
                    cell("", 1, false),
                    cell("3", 1, false)
                ],
            ]
        );
    }

    /// A helper column and a row the office hid are not shown by the object, so not read;
    /// a merged area over a hidden column spans the shown ones.
    #[test]
    fn hidden_rows_and_columns_are_left_out() {
        let sheet = "<cols><col min=\"2\" max=\"2\" width=\"0\" hidden=\"1\"/></cols><sheetData>\
            <row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>\
            <row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>99</v></c><c r=\"C2\"><v>5</v></c></row>\
            <row r=\"3\" hidden=\"1\"><c r=\"A3\"><v>7</v></c><c r=\"C3\"><v>7</v></c></row>\
            <row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"B4\"><v>98</v></c><c r=\"C4\"><v>6</v></c></row>\
            </sheetData><mergeCells><mergeCell ref=\"A1:C1\"/></mergeCells>";
        let bytes = xlsx(sheet, &["本年处理决定数量", "行政处罚", "行政强制"], None);
        let table = shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .unwrap();
        assert_eq!(
            rows(&table),
            vec![
                vec![cell("本年处理决定数量", 2, false)],
                vec![cell("行政处罚", 1, false), cell("5", 1, false)],
                vec![cell("行政强制", 1, false), cell("6", 1, false)],
            ]
        );
    }

    #[test]
    fn the_shown_area_bounds_the_table() {
        let sheet =
            "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>2</v></c></row>\
            <row r=\"9\"><c r=\"A9\"><v>9</v></c></row></sheetData>";
        let bytes = xlsx(sheet, &[], Some("A1:B3"));
        let table = shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .unwrap();
        assert_eq!(
            rows(&table),
            vec![vec![cell("1", 1, false), cell("2", 1, false)]]
        );
    }

    #[test]
    fn what_is_no_xlsx_workbook_is_no_table() {
        let limits = crate::docx::DEFAULT_LIMITS;
        assert!(shown_table(b"not a workbook", limits).unwrap().is_none());
        // An OLE compound file without a Package stream: a Word 97 workbook, say.
        let bytes = ole_file("Workbook", b"BIFF");
        assert!(shown_table(&bytes, limits).unwrap().is_none());
        // A sheet of no cells.
        assert!(shown_table(&xlsx("<sheetData/>", &[], None), limits)
            .unwrap()
            .is_none());
    }

    #[test]
    fn a_workbook_in_an_ole_package_stream_is_read() {
        let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData>";
        let inner = xlsx(sheet, &["规章"], None);
        let bytes = ole_file("Package", &inner);
        let table = shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .unwrap();
        assert_eq!(rows(&table), vec![vec![cell("规章", 1, false)]]);
    }

    /// An Excel 97 worksheet object in a DOCX (`embeddings/…97-2003_Worksheet.xls`): an
    /// OLE compound file whose Workbook stream is BIFF8.
    #[test]
    fn an_excel_97_workbook_is_read() {
        use crate::xls::tests::{sheet_records, workbook};
        let stream = workbook(&["信息内容", "本年制发件数"], &sheet_records());
        let bytes = ole_file("Workbook", &stream);
        let table = shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .unwrap();
        // Column B and row 6 are hidden; A1:B1 is merged.
        assert_eq!(
            rows(&table),
            vec![
                vec![cell("信息内容", 1, false), cell("本年制发件数", 1, false)],
                vec![cell("规章", 1, false), cell("5", 1, false)],
                vec![cell("2.5", 1, false), cell("", 1, false)],
                vec![cell("242523110.82", 1, false), cell("3", 1, false)],
                vec![cell("", 1, false), cell("ok", 1, false)],
            ]
        );
    }

    #[test]
    fn a_sheet_that_expands_past_the_limits_is_refused() {
        let refused = shown_table(&bomb(), crate::docx::DEFAULT_LIMITS);
        assert!(matches!(refused, Err(IngestError::Limit(_))));
    }

    /// Merged areas no spreadsheet program writes: overlapping more than the table has
    /// cells (a hostile sheet's would take their number times the cells to lay out). A
    /// smaller overlap gives each cell the first area listed.
    #[test]
    fn merged_areas_overlapping_past_the_tables_cells_make_no_table() {
        let row = "<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"B1\"><v>2</v></c><c r=\"C1\"><v>3</v></c></row>";
        let sheet =
            |merges: &str| format!("<sheetData>{row}</sheetData><mergeCells>{merges}</mergeCells>");
        let many = "<mergeCell ref=\"A1:C1\"/>".repeat(2);
        let bytes = xlsx(&sheet(&many), &[], None);
        assert!(shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .is_none());
        let two = "<mergeCell ref=\"B1:B1\"/><mergeCell ref=\"B1:C1\"/>";
        let bytes = xlsx(&sheet(two), &[], None);
        let table = shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .unwrap();
        assert_eq!(
            rows(&table),
            vec![vec![
                cell("1", 1, false),
                cell("2", 1, false),
                cell("2", 1, false)
            ]]
        );
    }

    #[test]
    fn joined_ranges_cover_what_their_parts_cover() {
        assert_eq!(
            joined(&[5..=6, 1..=2, 3..=3, 9..=9]),
            [(1, 3), (5, 6), (9, 9)]
        );
        assert_eq!(joined(&[0..=usize::MAX, 4..=5]), [(0, usize::MAX)]);
    }

    #[test]
    fn a_sheet_spread_over_too_many_rows_is_no_table() {
        let sheet = "<sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\
            <row r=\"1048576\"><c r=\"A1048576\"><v>2</v></c></row></sheetData>";
        let bytes = xlsx(sheet, &[], None);
        assert!(shown_table(&bytes, crate::docx::DEFAULT_LIMITS)
            .unwrap()
            .is_none());
    }
}
