//! A table inserted in a Word file as an Excel or WPS 表格 object: the workbook (XLSX) the
//! object embeds, as Excel and WPS write it, with what either may vary: strings shared or
//! inline, numbers stored as numbers (some a formula's cached result) and the other values
//! as text, blank cells left out or kept with only a style, merged cells, the table placed
//! away from the sheet's corner, a unit row and a note, a hidden helper column and row,
//! the area the object shows (`oleSize`) named or not, the workbook bare or wrapped in an
//! OLE compound file's `Package` stream.

use super::docx::escape;
use crate::form::Table;
use crate::rng::Rng;
use crate::LabError;
use std::io::{Read, Write};
use std::path::Path;

/// How a table's workbook is written.
#[derive(Debug, Clone, Copy)]
pub struct SheetStyle {
    shared_strings: bool,
    /// Blank cells written as `<c r=".." s="1"/>` (a bordered cell) rather than left out.
    blank_cells_kept: bool,
    /// Every how many cells (by row and column) a number is written as a formula's
    /// cached result; 0, none.
    formula_every: usize,
    /// The table's top left cell (row, column from 0).
    corner: (usize, usize),
    ole_size: bool,
    /// The workbook inside an OLE compound file's `Package` stream (`oleObject1.bin`).
    in_ole_package: bool,
    /// A row above the table naming its unit in its last column ("单位：件"), and a note
    /// merged across a row below it, as offices' sheets carry.
    unit_and_note: bool,
    /// A hidden helper column after the label columns (a check figure a row) and a
    /// hidden row after the header rows: the object shows neither.
    hidden_helpers: bool,
}

impl SheetStyle {
    pub fn random(rng: &mut Rng) -> SheetStyle {
        SheetStyle {
            shared_strings: rng.chance(0.7),
            blank_cells_kept: rng.chance(0.5),
            formula_every: *rng.pick(&[0, 2, 7]),
            corner: (rng.below(3), rng.below(3)),
            ole_size: rng.chance(0.5),
            in_ole_package: rng.chance(0.3),
            unit_and_note: rng.chance(0.4),
            hidden_helpers: rng.chance(0.3),
        }
    }

    /// The style with the workbook bare, never in a `Package` stream: LibreOffice opens
    /// no workbook of the lab's there (it saves an empty one in its place), so the file it
    /// saves again would hold no table at all.
    pub fn bare(self) -> SheetStyle {
        SheetStyle {
            in_ole_package: false,
            ..self
        }
    }

    /// The part's name in `word/embeddings/` and its relationship's type.
    pub fn part(&self, n: usize) -> (String, &'static str) {
        match self.in_ole_package {
            true => (format!("oleObject{n}.bin"), OLE),
            false => (format!("Microsoft_Excel_Worksheet{n}.xlsx"), PACKAGE),
        }
    }
}

const PACKAGE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/package";
const OLE: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/oleObject";

/// Makes the Word 97 file `doc`, which LibreOffice saved from the lab's DOCX `docx`,
/// keep its spreadsheet objects as Word 2007 and later keep an Excel worksheet object:
/// each object's storage (`ObjectPool/_N`) holds the XLSX workbook in a `Package`
/// stream, where LibreOffice wrote an Excel 97 `Workbook` stream. Each storage is given
/// the DOCX's workbook most of whose texts its Workbook stream holds (as UTF-16).
pub fn keep_workbooks_as_word(doc: &Path, docx: &Path) -> Result<(), LabError> {
    let failed = |why: String| LabError::Converter(format!("{}: {why}", doc.display()));
    let workbooks = workbooks_of(docx).map_err(|e| failed(format!("{}: {e}", docx.display())))?;
    let bytes = std::fs::read(doc).map_err(|e| LabError::Io(doc.to_path_buf(), e))?;
    let mut file =
        cfb::CompoundFile::open(std::io::Cursor::new(bytes)).map_err(|e| failed(e.to_string()))?;
    let storages: Vec<String> = file
        .read_storage("/ObjectPool")
        .map(|entries| {
            entries
                .filter(|e| e.is_storage())
                .map(|e| e.path().display().to_string())
                .collect()
        })
        .unwrap_or_default();
    if storages.len() != workbooks.len() {
        return Err(failed(format!(
            "{} objects in the Word 97 file, {} workbooks in its DOCX",
            storages.len(),
            workbooks.len()
        )));
    }
    for storage in storages {
        let biff_path = format!("{storage}/Workbook");
        let mut biff = Vec::new();
        file.open_stream(&biff_path)
            .and_then(|mut s| s.read_to_end(&mut biff))
            .map_err(|e| failed(format!("{biff_path}: {e}")))?;
        let (_, workbook) = workbooks
            .iter()
            .map(|(texts, xlsx)| (texts.iter().filter(|t| holds_utf16(&biff, t)).count(), xlsx))
            .max_by_key(|(found, _)| *found)
            .ok_or_else(|| failed("no workbook".into()))?;
        file.remove_stream(&biff_path)
            .map_err(|e| failed(e.to_string()))?;
        file.create_stream(format!("{storage}/Package"))
            .and_then(|mut s| s.write_all(workbook))
            .map_err(|e| failed(e.to_string()))?;
    }
    file.flush().map_err(|e| failed(e.to_string()))?;
    let bytes = file.into_inner().into_inner();
    std::fs::write(doc, bytes).map_err(|e| LabError::Io(doc.to_path_buf(), e))
}

/// A workbook a DOCX embeds: the texts of its cells (`<t>` elements) and its bytes.
type Workbook = (Vec<String>, Vec<u8>);

/// The XLSX workbooks a DOCX embeds.
fn workbooks_of(docx: &Path) -> Result<Vec<Workbook>, Box<dyn std::error::Error>> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(docx)?)?;
    let names: Vec<String> = archive
        .file_names()
        .filter(|n| n.starts_with("word/embeddings/") && n.ends_with(".xlsx"))
        .map(String::from)
        .collect();
    let mut workbooks = Vec::new();
    for name in names {
        let mut xlsx = Vec::new();
        archive.by_name(&name)?.read_to_end(&mut xlsx)?;
        let mut inner = zip::ZipArchive::new(std::io::Cursor::new(&xlsx))?;
        let mut texts = Vec::new();
        for part in ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"] {
            let mut xml = String::new();
            if let Ok(mut entry) = inner.by_name(part) {
                entry.read_to_string(&mut xml)?;
            }
            texts.extend(
                xml.split("<t>")
                    .skip(1)
                    .filter_map(|t| t.split_once("</t>").map(|(t, _)| t.to_string()))
                    .filter(|t| t.chars().count() >= 2),
            );
        }
        workbooks.push((texts, xlsx));
    }
    Ok(workbooks)
}

/// Whether `bytes` hold `text` written as UTF-16 (little-endian), as an Excel 97
/// workbook keeps a string of Chinese characters.
fn holds_utf16(bytes: &[u8], text: &str) -> bool {
    let needle: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    !needle.is_empty() && bytes.windows(needle.len()).any(|w| w == needle)
}

/// A column's letters ("A", "AB") from 0.
fn column_name(mut col: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

fn reference(row: usize, col: usize) -> String {
    format!("{}{}", column_name(col), row + 1)
}

/// Whether Excel would store the text as a number: ASCII digits, a sign, a point.
fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|b| *b == b'.').count() <= 1
        && digits.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// The embedded part's bytes: the workbook, wrapped as the style asks.
pub fn embedded_part(table: &Table, style: &SheetStyle) -> Vec<u8> {
    let workbook = workbook(table, style);
    match style.in_ole_package {
        false => workbook,
        true => in_package_stream(&workbook),
    }
}

/// The workbook in the `Package` stream of an OLE compound file whose class is Excel's
/// worksheet (what names the object's kind to the programs that open it).
fn in_package_stream(workbook: &[u8]) -> Vec<u8> {
    const EXCEL_WORKSHEET: uuid::Uuid = uuid::uuid!("00020830-0000-0000-C000-000000000046");
    // Writing into memory cannot fail but for a bug; the lab would then stop loudly.
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))
        .expect("compound file in memory");
    file.set_storage_clsid("/", EXCEL_WORKSHEET)
        .expect("class of a compound file in memory");
    file.create_stream("Package")
        .and_then(|mut s| s.write_all(workbook))
        .expect("stream in memory");
    file.flush().expect("compound file in memory");
    file.into_inner().into_inner()
}

const UNIT: &str = "单位：件";
const NOTE: &str = "注：本表数据的统计期限为本年度1月1日至12月31日。";

/// Where the table's cells stand on the sheet: from `top` and `left`, past a hidden
/// helper column after the label columns and a hidden helper row after the header rows
/// when the style has them.
struct Placement {
    top: usize,
    left: usize,
    helper_col: Option<usize>,
    helper_row: Option<usize>,
}

impl Placement {
    fn row(&self, r: usize) -> usize {
        self.top + r + usize::from(self.helper_row.is_some_and(|h| r >= h))
    }

    fn col(&self, c: usize) -> usize {
        self.left + c + usize::from(self.helper_col.is_some_and(|h| c >= h))
    }
}

fn workbook(table: &Table, style: &SheetStyle) -> Vec<u8> {
    let mut strings: Vec<String> = Vec::new();
    let mut rows = String::new();
    let (corner, left) = style.corner;
    if style.unit_and_note {
        let place = reference(corner, left + table.n_cols - 1);
        let unit = cell_xml(&place, UNIT, false, style, &mut strings);
        rows.push_str(&format!("<row r=\"{}\">{unit}</row>", corner + 1));
    }
    let helpers = |at: usize, of: usize| (style.hidden_helpers && at > 0 && at < of).then_some(at);
    let place = Placement {
        top: corner + usize::from(style.unit_and_note),
        left,
        helper_col: helpers(table.label_cols, table.n_cols),
        helper_row: helpers(table.header_rows, table.n_rows),
    };
    for r in 0..table.n_rows {
        if place.helper_row == Some(r) {
            let row = place.row(r) - 1;
            let cells: String = (0..table.n_cols + 1)
                .map(|c| {
                    cell_xml(
                        &reference(row, left + c),
                        &(c * 3 + 1).to_string(),
                        false,
                        style,
                        &mut strings,
                    )
                })
                .collect();
            rows.push_str(&format!(
                "<row r=\"{}\" hidden=\"1\">{cells}</row>",
                row + 1
            ));
        }
        let mut cells = String::new();
        for c in 0..table.n_cols {
            if place.helper_col == Some(c) {
                let check = match r < table.header_rows {
                    true => "校验".to_string(),
                    false => (r * 7 % 10).to_string(),
                };
                let at = reference(place.row(r), place.col(c) - 1);
                cells.push_str(&cell_xml(&at, &check, false, style, &mut strings));
            }
            let text = match table.covering(r, c) {
                Some(cell) if cell.row == r && cell.col == c => cell.text.as_str(),
                _ => "",
            };
            let formula = style.formula_every > 0 && (r + c) % style.formula_every == 0;
            let at = reference(place.row(r), place.col(c));
            cells.push_str(&cell_xml(&at, text, formula, style, &mut strings));
        }
        rows.push_str(&format!("<row r=\"{}\">{cells}</row>", place.row(r) + 1));
    }
    let mut merges: Vec<String> = table
        .cells
        .iter()
        .filter(|c| c.rows > 1 || c.cols > 1)
        .map(|c| {
            let first = reference(place.row(c.row), place.col(c.col));
            let last = reference(place.row(c.row + c.rows - 1), place.col(c.col + c.cols - 1));
            format!("<mergeCell ref=\"{first}:{last}\"/>")
        })
        .collect();
    let right = place.col(table.n_cols - 1);
    let mut bottom = place.row(table.n_rows - 1);
    if style.unit_and_note {
        bottom += 1;
        let note = cell_xml(&reference(bottom, left), NOTE, false, style, &mut strings);
        rows.push_str(&format!("<row r=\"{}\">{note}</row>", bottom + 1));
        let (first, last) = (reference(bottom, left), reference(bottom, right));
        merges.push(format!("<mergeCell ref=\"{first}:{last}\"/>"));
    }
    let merges = match merges.is_empty() {
        true => String::new(),
        false => format!(
            "<mergeCells count=\"{}\">{}</mergeCells>",
            merges.len(),
            merges.concat()
        ),
    };
    let cols = match place.helper_col {
        Some(_) => format!(
            "<cols><col min=\"{0}\" max=\"{0}\" width=\"0\" hidden=\"1\" customWidth=\"1\"/></cols>",
            place.col(table.label_cols)
        ),
        None => String::new(),
    };
    let last = reference(bottom, right);
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <dimension ref=\"{}:{last}\"/>{cols}<sheetData>{rows}</sheetData>{merges}</worksheet>",
        reference(corner, left)
    );
    let ole_size = match style.ole_size {
        true => format!("<oleSize ref=\"A1:{last}\"/>"),
        false => String::new(),
    };
    let workbook = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         {ole_size}<bookViews><workbookView activeTab=\"0\"/></bookViews>\
         <sheets><sheet name=\"Sheet1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    let shared: String = strings
        .iter()
        .map(|s| format!("<si><t>{}</t></si>", escape(s)))
        .collect();
    let shared = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"{0}\" uniqueCount=\"{0}\">{shared}</sst>",
        strings.len()
    );
    zip_of(&[
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELS),
        ("xl/workbook.xml", &workbook),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
        ("xl/worksheets/sheet1.xml", &sheet),
        ("xl/sharedStrings.xml", &shared),
    ])
}

fn cell_xml(
    place: &str,
    text: &str,
    formula: bool,
    style: &SheetStyle,
    strings: &mut Vec<String>,
) -> String {
    if text.is_empty() {
        return match style.blank_cells_kept {
            true => format!("<c r=\"{place}\" s=\"1\"/>"),
            false => String::new(),
        };
    }
    if is_number(text) {
        return match formula {
            true => format!("<c r=\"{place}\" s=\"1\"><f>0+{text}</f><v>{text}</v></c>"),
            false => format!("<c r=\"{place}\" s=\"1\"><v>{text}</v></c>"),
        };
    }
    match style.shared_strings {
        true => {
            let index = strings.iter().position(|s| s == text).unwrap_or_else(|| {
                strings.push(text.to_string());
                strings.len() - 1
            });
            format!("<c r=\"{place}\" s=\"1\" t=\"s\"><v>{index}</v></c>")
        }
        false => format!(
            "<c r=\"{place}\" s=\"1\" t=\"inlineStr\"><is><t>{}</t></is></c>",
            escape(text)
        ),
    }
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
    <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
    <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
    <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
    <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
    <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
    <Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>\
    </Types>";
const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
    <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
    <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>\
    </Relationships>";
const WORKBOOK_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
    <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
    <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
    <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>\
    </Relationships>";

/// A zip of the named parts (what DOCX and XLSX are).
fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    zip_of_bytes(&parts)
}

/// A zip of the named parts, given as bytes.
pub fn zip_of_bytes(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, content) in parts {
            // Writing into memory cannot fail but for a bug; the lab would then stop loudly.
            zip.start_file(*name, options).expect("zip entry in memory");
            zip.write_all(content).expect("zip write in memory");
        }
        zip.finish().expect("zip in memory");
    }
    buffer.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(reference(2, 1), "B3");
    }

    #[test]
    fn numbers_are_told_from_text() {
        assert!(is_number("64") && is_number("-3") && is_number("242523110.82"));
        assert!(!is_number("/") && !is_number("１２") && !is_number("1,234") && !is_number("."));
    }
}
