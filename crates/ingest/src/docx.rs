//! DOCX (Word, WPS): the body's paragraphs in order and its tables as grids (gridSpan,
//! vMerge honoured), rendered like every other format: lines, table rows as tab-separated
//! cells. Limits on the zip guard against bombs. Spans refer to the extracted text.

use crate::grid::{Grid, GridCell, GridSource};
use crate::zipped::attr;
use crate::IngestError;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Limits on the zip container (hostile input).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZipLimits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_ratio: u64,
}

pub const DEFAULT_LIMITS: ZipLimits = ZipLimits {
    max_entries: 10_000,
    max_entry_bytes: 64 * 1024 * 1024,
    max_ratio: 200,
};

fn document_xml(bytes: &[u8], limits: ZipLimits) -> Result<String, IngestError> {
    let mut archive = crate::zipped::open(bytes, limits, "DOCX")?;
    crate::zipped::entry_text(&mut archive, "word/document.xml", limits)?
        .ok_or_else(|| IngestError::Corrupt("not a DOCX: no word/document.xml".into()))
}

/// A Word table's cell as read (DOCX and Word 97 documents alike): its text, the grid
/// columns it covers, whether it continues the cell above.
#[derive(Default)]
pub(crate) struct CellBuf {
    pub(crate) text: String,
    pub(crate) span: usize,
    /// vMerge continuation: the cell above covers this one.
    pub(crate) merged: bool,
}

#[derive(Default)]
pub(crate) struct TableBuf {
    pub(crate) rows: Vec<Vec<CellBuf>>,
}

/// The text of a DOCX body (paragraph per line, table rows as tab-separated cells) and its
/// tables as grids, their ranges in that text. A table inside a table's cell joins the
/// cell's text and is no grid of its own. Of markup given two ways (`mc:AlternateContent`:
/// Word writes every text box once for new readers, once more as VML in `mc:Fallback`),
/// the first is read.
/// The document's text, its tables as grids, and where pictures stand in the text (a
/// paragraph outside tables holding an image: `a:blip`, or VML's `v:imagedata`, which an
/// embedded object such as a spreadsheet shows as).
pub fn text_of(
    bytes: &[u8],
    limits: ZipLimits,
) -> Result<(String, Vec<Grid>, Vec<usize>), IngestError> {
    let xml = document_xml(bytes, limits)?;
    let mut reader = Reader::from_str(&xml);
    let mut out = String::new();
    let mut grids = Vec::new();
    let mut tables: Vec<TableBuf> = Vec::new();
    let mut in_text = false;
    let mut paragraph = String::new();
    // Depth inside `mc:Fallback`, whose content repeats the `mc:Choice` before it.
    let mut fallback = 0usize;
    // The text so far of paragraphs holding the one being read (a text box's paragraphs
    // sit inside the paragraph they are anchored in): each is a line of its own.
    let mut outer_paragraphs: Vec<String> = Vec::new();
    // For each run being read (a text box's runs sit inside the run anchoring it): whether
    // its properties hide it (`w:vanish`: neither shown nor printed, so not read, as
    // `w:delText` is not). The paragraph mark's own `w:vanish` (in `w:pPr`) hides no text,
    // nor does one a tracked change of formatting had before (`w:rPrChange`).
    let mut runs_hidden: Vec<bool> = Vec::new();
    let mut other_properties = 0usize;
    let mut pictures = Vec::new();
    let mut picture_in_paragraph = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| IngestError::Corrupt(format!("word/document.xml: {e}")))?;
        match &event {
            Event::Start(e) if e.local_name().as_ref() == b"Fallback" => fallback += 1,
            Event::End(e) if e.local_name().as_ref() == b"Fallback" => {
                fallback = fallback.saturating_sub(1);
                continue;
            }
            _ => {}
        }
        if fallback > 0 && !matches!(event, Event::Eof) {
            continue;
        }
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"p" => {
                outer_paragraphs.push(std::mem::take(&mut paragraph));
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"pPr" | b"rPrChange") => {
                other_properties += 1;
            }
            Event::Start(e) if e.local_name().as_ref() == b"r" => runs_hidden.push(false),
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"tbl" => tables.push(TableBuf::default()),
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.rows.push(Vec::new());
                        }
                    }
                    b"tc" => {
                        if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                            row.push(CellBuf {
                                span: 1,
                                ..CellBuf::default()
                            });
                        }
                    }
                    b"gridSpan" => {
                        if let Some(cell) = tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            cell.span = attr(&e, b"val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, 64);
                        }
                    }
                    b"vMerge" => {
                        if let Some(cell) = tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            cell.merged = attr(&e, b"val").as_deref() != Some("restart");
                        }
                    }
                    b"vanish" if other_properties == 0 => {
                        let on =
                            !matches!(attr(&e, b"val").as_deref(), Some("0" | "false" | "off"));
                        if let Some(hidden) = runs_hidden.last_mut() {
                            *hidden = on;
                        }
                    }
                    _ if runs_hidden.contains(&true) => {}
                    b"blip" | b"imagedata" => picture_in_paragraph = true,
                    b"t" => in_text = true,
                    b"tab" => paragraph.push('\t'),
                    b"br" | b"cr" => paragraph.push('\n'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let text = t
                    .unescape()
                    .map_err(|e| IngestError::Corrupt(format!("word/document.xml: {e}")))?;
                paragraph.push_str(&text);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"r" => {
                    runs_hidden.pop();
                }
                b"pPr" | b"rPrChange" => other_properties = other_properties.saturating_sub(1),
                b"p" => {
                    let text = std::mem::take(&mut paragraph);
                    // A picture in a table's cell is no table printed as a picture.
                    let picture = std::mem::take(&mut picture_in_paragraph);
                    match tables
                        .last_mut()
                        .and_then(|t| t.rows.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        Some(cell) => {
                            if !cell.text.is_empty() {
                                cell.text.push(' ');
                            }
                            cell.text.push_str(&text.replace(['\t', '\n'], " "));
                        }
                        None => {
                            if picture {
                                pictures.push(out.len());
                            }
                            out.push_str(&text);
                            out.push('\n');
                        }
                    }
                    paragraph = outer_paragraphs.pop().unwrap_or_default();
                }
                b"tbl" => {
                    if let Some(table) = tables.pop() {
                        let (text, mut grid) = render(&table);
                        match tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            Some(cell) => cell.text.push_str(&text.replace(['\t', '\n'], " ")),
                            None => {
                                grid.shift(out.len());
                                out.push_str(&text);
                                grids.push(grid);
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((out, grids, pictures))
}

/// A table as tab rows (continuations of vertically merged cells left out, like rowspan)
/// and as a grid whose ranges are in those rows.
pub(crate) fn render(table: &TableBuf) -> (String, Grid) {
    // The grid column each cell starts in.
    let starts: Vec<Vec<usize>> = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .scan(0, |col, cell| {
                    let at = *col;
                    *col += cell.span;
                    Some(at)
                })
                .collect()
        })
        .collect();
    // A cell continues into the row below when that row has a vMerge continuation at its column.
    let continues = |r: usize, col: usize| {
        table.rows.get(r).is_some_and(|row| {
            row.iter()
                .zip(&starts[r])
                .any(|(cell, &at)| at == col && cell.merged)
        })
    };
    let mut text = String::new();
    let mut grid = Grid::new(GridSource::Word);
    for (r, row) in table.rows.iter().enumerate() {
        let mut first = true;
        for (cell, &col) in row.iter().zip(&starts[r]) {
            if cell.merged {
                continue;
            }
            if !first {
                text.push('\t');
            }
            first = false;
            let own = cell.text.trim();
            let start = text.len();
            text.push_str(own);
            let rows = 1
                + (r + 1..table.rows.len())
                    .take_while(|&below| continues(below, col))
                    .count();
            grid.push(GridCell {
                row: r,
                col,
                rows,
                cols: cell.span,
                text: own.to_string(),
                start,
                end: text.len(),
                bbox: None,
                rest: None,
            });
        }
        text.push('\n');
        grid.n_rows = grid.n_rows.max(r + 1);
    }
    (text, grid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(document: &str) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default();
        zip.start_file("word/document.xml", options).unwrap();
        zip.write_all(document.as_bytes()).unwrap();
        zip.finish().unwrap();
        buf.into_inner()
    }

    /// A paragraph holding an image (DrawingML's blip, VML's imagedata of an embedded
    /// object) is a picture where its text starts; an image in a table's cell or a hidden
    /// run is none.
    #[test]
    fn paragraphs_with_images_are_pictures() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>二、主动公开</w:t></w:r></w:p>
            <w:p><w:r><w:drawing><wp:inline><a:graphic><a:blip r:embed="rId5"/></a:graphic></wp:inline></w:drawing></w:r></w:p>
            <w:p><w:r><w:t>三、申请</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:drawing><a:blip r:embed="rId6"/></w:drawing></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:drawing><a:blip r:embed="rId7"/></w:drawing></w:r><w:r><w:t>四、复议</w:t></w:r></w:p>
            <w:p><w:r><w:object><v:shape><v:imagedata r:id="rId8"/></v:shape></w:object></w:r><w:r><w:t>表</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let (text, _, pictures) = text_of(&docx(xml), DEFAULT_LIMITS).unwrap();
        // The image's paragraph is an empty line before 三's.
        let lines_before = |words: &str| text.find(words).unwrap();
        assert_eq!(
            pictures,
            [lines_before("\n三"), lines_before("表")],
            "{text:?}"
        );
    }

    #[test]
    fn paragraphs_and_merged_table_cells() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>三、结果</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>(一)予以公开</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>8</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>(二)部分公开</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>完</w:t></w:r></w:p></w:body></w:document>"#;
        let (text, grids, _) = text_of(&docx(xml), DEFAULT_LIMITS).unwrap();
        assert_eq!(
            text,
            "一、总体情况\n三、结果\t(一)予以公开\t8\n(二)部分公开\n完\n"
        );
        crate::cell_rows::assert_merged_test_table(&text, &grids);
    }

    #[test]
    fn hidden_runs_are_not_read_but_a_hidden_paragraph_mark_hides_nothing() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>
            <w:r><w:t>本报告</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>旧的</w:t><w:tab/></w:r>
            <w:r><w:rPr><w:vanish w:val="0"/><w:rPrChange><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>依据</w:t></w:r>
            <w:r><w:rPr><w:vanish/></w:rPr><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>
            <w:r><w:t>条例</w:t></w:r></w:p></w:body></w:document>"#;
        let (text, _, _) = text_of(&docx(xml), DEFAULT_LIMITS).unwrap();
        assert_eq!(text, "\n本报告依据条例\n");
    }

    #[test]
    fn a_text_box_given_two_ways_is_read_once() {
        let text_box = |inner: &str| {
            format!("<w:txbxContent><w:p><w:r><w:t>{inner}</w:t></w:r></w:p></w:txbxContent>")
        };
        let xml = format!(
            r#"<w:document xmlns:w="x" xmlns:mc="m"><w:body><w:p><w:r><w:t>标题</w:t></w:r>
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{}</w:drawing></mc:Choice>
            <mc:Fallback><w:pict>{}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#,
            text_box("框内文字"),
            text_box("框内文字")
        );
        let (text, _, _) = text_of(&docx(&xml), DEFAULT_LIMITS).unwrap();
        // The box's paragraph is a line of its own, before the one it is anchored in.
        assert_eq!(text, "框内文字\n标题\n正文\n");
    }

    #[test]
    fn zip_bombs_and_non_docx_zips_are_refused() {
        let limits = ZipLimits {
            max_entries: 10,
            max_entry_bytes: 1000,
            max_ratio: 50,
        };
        let big = format!("<w:document>{}</w:document>", " ".repeat(100_000));
        assert!(matches!(
            text_of(&docx(&big), limits),
            Err(IngestError::Limit(_))
        ));
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"x").unwrap();
        zip.finish().unwrap();
        assert!(matches!(
            text_of(&buf.into_inner(), limits),
            Err(IngestError::Corrupt(_))
        ));
        assert!(matches!(
            text_of(b"PK\x03\x04 broken", limits),
            Err(IngestError::Corrupt(_))
        ));
    }
}
