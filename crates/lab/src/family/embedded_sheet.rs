//! A table inserted in a Word file as an Excel or WPS 表格 object: the workbook (XLSX) the
//! object embeds, as Excel and WPS write it, with what either may vary: strings shared or
//! inline, numbers stored as numbers (some a formula's cached result) and the other values
//! as text, blank cells left out or kept with only a style, merged cells, the table placed
//! away from the sheet's corner, the area the object shows (`oleSize`) named or not, the
//! workbook bare or wrapped in an OLE compound file's `Package` stream.

use crate::form::Table;
use crate::rng::Rng;
use std::io::Write;

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

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
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

fn workbook(table: &Table, style: &SheetStyle) -> Vec<u8> {
    let (mut top, left) = style.corner;
    let mut strings: Vec<String> = Vec::new();
    let mut rows = String::new();
    if style.unit_and_note {
        let place = reference(top, left + table.n_cols - 1);
        let unit = cell_xml(&place, UNIT, false, style, &mut strings);
        rows.push_str(&format!("<row r=\"{}\">{unit}</row>", top + 1));
        top += 1;
    }
    for r in 0..table.n_rows {
        let mut cells = String::new();
        for c in 0..table.n_cols {
            let place = reference(top + r, left + c);
            let text = match table.covering(r, c) {
                Some(cell) if cell.row == r && cell.col == c => cell.text.as_str(),
                _ => "",
            };
            let formula = style.formula_every > 0 && (r + c) % style.formula_every == 0;
            cells.push_str(&cell_xml(&place, text, formula, style, &mut strings));
        }
        rows.push_str(&format!("<row r=\"{}\">{cells}</row>", top + r + 1));
    }
    let mut merges: Vec<String> = table
        .cells
        .iter()
        .filter(|c| c.rows > 1 || c.cols > 1)
        .map(|c| {
            let first = reference(top + c.row, left + c.col);
            let last = reference(top + c.row + c.rows - 1, left + c.col + c.cols - 1);
            format!("<mergeCell ref=\"{first}:{last}\"/>")
        })
        .collect();
    if style.unit_and_note {
        let row = top + table.n_rows;
        let note = cell_xml(&reference(row, left), NOTE, false, style, &mut strings);
        rows.push_str(&format!("<row r=\"{}\">{note}</row>", row + 1));
        let (first, last) = (
            reference(row, left),
            reference(row, left + table.n_cols - 1),
        );
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
    let bottom = top + table.n_rows - usize::from(!style.unit_and_note);
    let last = reference(bottom, left + table.n_cols - 1);
    let sheet = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
         <dimension ref=\"{}:{last}\"/><sheetData>{rows}</sheetData>{merges}</worksheet>",
        reference(style.corner.0, left)
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
pub fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let parts: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (*n, c.as_bytes())).collect();
    zip_of_bytes(&parts)
}

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
