//! DOCX as offices write reports in Word or WPS: the official tables with merged cells
//! (gridSpan across, vMerge down), column widths that wrap long labels over several lines,
//! portrait or landscape pages, tables pushed over a page break with or without a repeated
//! header, ruled or borderless; or every table inserted as a spreadsheet object
//! (`embedded_sheet`). Written as WordprocessingML directly (a few parts in a zip) so that
//! every table property the lab varies is set exactly.

use super::embedded_sheet::{self, SheetStyle};
use crate::form::{Kind, Table};
use crate::narrative::{Block, Composed};
use crate::rng::Rng;
use nianbao_model::TableId;

/// What a DOCX rendering varies.
#[derive(Debug, Clone)]
pub struct DocxOptions {
    pub landscape: bool,
    /// Share of the text width the label columns get (wrapping long labels when small).
    pub label_share: f64,
    /// A page break then this many filler paragraphs before 表三, so that it breaks over
    /// the next page.
    pub push_table_three: Option<usize>,
    /// Header rows repeated on every page the table covers.
    pub repeat_header: bool,
    pub borders: bool,
    /// Font size of table text in half-points (21 = 10.5 pt).
    pub table_font: u32,
    /// The paragraph on applications opens with a sentence deleted with changes tracked,
    /// whose figure contradicts 表三: read, it would make the text disagree with the table.
    pub tracked_deletion: bool,
    /// That paragraph also holds a hidden sentence (`w:vanish`: neither shown nor printed)
    /// whose figure contradicts 表三 too.
    pub hidden_text: bool,
    /// Every table inserted as a spreadsheet object written so, not as a Word table.
    pub sheets: Option<SheetStyle>,
}

impl DocxOptions {
    pub fn random(rng: &mut Rng) -> DocxOptions {
        DocxOptions {
            landscape: false,
            label_share: 0.25 + rng.below(30) as f64 / 100.0,
            push_table_three: None,
            repeat_header: rng.chance(0.5),
            borders: true,
            table_font: *rng.pick(&[18, 21, 21, 24]),
            tracked_deletion: false,
            hidden_text: false,
            sheets: None,
        }
    }
}

const TEXT_WIDTH_PORTRAIT: u32 = 9070;
const TEXT_WIDTH_LANDSCAPE: u32 = 14000;

pub fn render(report: &Composed, options: &DocxOptions) -> Vec<u8> {
    let parts = parts(report, options);
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    embedded_sheet::zip_of_bytes(&parts)
}

/// The parts of the DOCX `render` zips: each one's name in the archive and its bytes.
pub fn parts(report: &Composed, options: &DocxOptions) -> Vec<(String, Vec<u8>)> {
    let mut body = String::new();
    // The spreadsheet objects' parts: (name in word/embeddings, relationship type, bytes).
    let mut embedded: Vec<(String, &str, Vec<u8>)> = Vec::new();
    for block in &report.blocks {
        match block {
            Block::PageTop(_) => {}
            Block::Title(lines) => {
                for line in lines {
                    body.push_str(&paragraph(line, "center", 36, true));
                }
            }
            Block::Heading(t) => body.push_str(&paragraph(t, "left", 32, true)),
            Block::Paragraph(t)
                if (options.tracked_deletion || options.hidden_text)
                    && t.contains("依申请公开") =>
            {
                body.push_str(&paragraph_with_unseen_text(t, options))
            }
            Block::Paragraph(t) => body.push_str(&paragraph(t, "both", 32, false)),
            Block::Signature(lines) => {
                for line in lines {
                    body.push_str(&paragraph(line, "right", 32, false));
                }
            }
            Block::Table(table) => {
                if table.id == TableId::T3 {
                    if let Some(fillers) = options.push_table_three {
                        body.push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
                        for _ in 0..fillers {
                            body.push_str(&paragraph("（本页留白）", "left", 32, false));
                        }
                    }
                }
                match options.sheets {
                    Some(style) => {
                        let n = embedded.len() + 1;
                        let (name, kind) = style.part(n);
                        body.push_str(&object_xml(table, n, options));
                        embedded.push((name, kind, embedded_sheet::embedded_part(table, &style)));
                    }
                    None => body.push_str(&table_xml(table, options)),
                }
                // Word needs a paragraph between two tables, or it joins them.
                body.push_str("<w:p/>");
            }
        }
    }
    let (w, h, orient) = match options.landscape {
        true => (16838, 11906, " w:orient=\"landscape\""),
        false => (11906, 16838, ""),
    };
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
         xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"><w:body>{body}\
         <w:sectPr><w:pgSz w:w=\"{w}\" w:h=\"{h}\"{orient}/>\
         <w:pgMar w:top=\"1440\" w:right=\"1418\" w:bottom=\"1440\" w:left=\"1418\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/></w:sectPr>\
         </w:body></w:document>"
    );
    package(&document, &embedded)
}

/// A paragraph holding a spreadsheet object (the `n`th): the picture Word shows of it (a
/// metafile of its cells, which the lab leaves blank) and the object naming its part.
fn object_xml(table: &Table, n: usize, options: &DocxOptions) -> String {
    let width: u32 = widths(table, options).iter().sum();
    let height = 300 * table.n_rows as u32;
    format!(
        "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:object w:dxaOrig=\"{width}\" w:dyaOrig=\"{height}\">\
         <v:shape id=\"_x0000_i10{n:02}\" type=\"#_x0000_t75\" style=\"width:{}pt;height:{}pt\" o:ole=\"\">\
         <v:imagedata r:id=\"rIdPreview{n}\" o:title=\"\"/></v:shape>\
         <o:OLEObject Type=\"Embed\" ProgID=\"Excel.Sheet.12\" ShapeID=\"_x0000_i10{n:02}\" DrawAspect=\"Content\" \
         ObjectID=\"_17{n:08}\" r:id=\"rIdSheet{n}\"/></w:object></w:r></w:p>",
        width / 20,
        height / 20
    )
}

/// Text made safe inside an XML element.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn run(text: &str, size: u32, bold: bool) -> String {
    let bold = if bold { "<w:b/>" } else { "" };
    format!(
        "<w:r><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\"/>{bold}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr><w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape(text)
    )
}

fn paragraph(text: &str, align: &str, size: u32, bold: bool) -> String {
    format!(
        "<w:p><w:pPr><w:jc w:val=\"{align}\"/><w:spacing w:line=\"360\" w:lineRule=\"auto\"/></w:pPr>{}</w:p>",
        run(text, size, bold)
    )
}

/// A paragraph that opens with a deleted sentence (changes tracked, not accepted).
/// A paragraph opening with a tracked deletion and holding a hidden sentence, as the
/// options ask: text a reader of the page does not see, whose figures contradict 表三.
fn paragraph_with_unseen_text(text: &str, options: &DocxOptions) -> String {
    const DELETED: &str = "本年度共收到政府信息公开申请98765件。";
    const HIDDEN: &str = "全年共收到政府信息公开申请87654件。";
    let deleted = match options.tracked_deletion {
        true => format!(
            "<w:del w:id=\"1\" w:author=\"lab\" w:date=\"2024-01-01T00:00:00Z\">{}</w:del>",
            run(DELETED, 32, false)
                .replace("<w:t ", "<w:delText ")
                .replace("</w:t>", "</w:delText>")
        ),
        false => String::new(),
    };
    let hidden = match options.hidden_text {
        true => run(HIDDEN, 32, false).replacen("<w:sz ", "<w:vanish/><w:sz ", 1),
        false => String::new(),
    };
    format!(
        "<w:p><w:pPr><w:jc w:val=\"both\"/></w:pPr>{deleted}{}{hidden}</w:p>",
        run(text, 32, false)
    )
}

/// Column widths (twips): the label columns share `label_share` of the width, the others
/// the rest, evenly.
fn widths(table: &Table, options: &DocxOptions) -> Vec<u32> {
    let total = match options.landscape {
        true => TEXT_WIDTH_LANDSCAPE,
        false => TEXT_WIDTH_PORTRAIT,
    } as f64;
    let labels = table.label_cols;
    let values = table.n_cols - labels;
    if labels == 0 {
        return vec![(total / table.n_cols as f64) as u32; table.n_cols];
    }
    let label_total = total * options.label_share;
    let label_widths: Vec<f64> = match labels {
        3 => vec![0.22, 0.3, 0.48],
        2 => vec![0.75, 0.25],
        _ => vec![1.0 / labels as f64; labels],
    }
    .into_iter()
    .map(|share| label_total * share)
    .collect();
    let value_width = (total - label_total) / values as f64;
    label_widths
        .into_iter()
        .chain(std::iter::repeat_n(value_width, values))
        .map(|w| w.max(300.0) as u32)
        .collect()
}

fn table_xml(table: &Table, options: &DocxOptions) -> String {
    let widths = widths(table, options);
    let border = match options.borders {
        true => "single",
        false => "nil",
    };
    let mut out = format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>\
         <w:top w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:left w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:bottom w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:right w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         <w:insideH w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:insideV w:val=\"{border}\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>\
         </w:tblBorders><w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
        widths.iter().sum::<u32>()
    );
    for w in &widths {
        out.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
    }
    out.push_str("</w:tblGrid>");
    for r in 0..table.n_rows {
        out.push_str("<w:tr>");
        if r < table.header_rows && options.repeat_header {
            out.push_str("<w:trPr><w:tblHeader/></w:trPr>");
        }
        let mut c = 0;
        while c < table.n_cols {
            let Some(cell) = table.covering(r, c) else {
                out.push_str(&tc(widths[c], 1, None, "", false, options));
                c += 1;
                continue;
            };
            let width: u32 = widths[cell.col..cell.col + cell.cols].iter().sum();
            let merge = match (cell.rows > 1, cell.row == r) {
                (true, true) => Some("<w:vMerge w:val=\"restart\"/>"),
                (true, false) => Some("<w:vMerge/>"),
                _ => None,
            };
            let text = if cell.row == r {
                cell.text.as_str()
            } else {
                ""
            };
            out.push_str(&tc(
                width,
                cell.cols,
                merge,
                text,
                cell.kind == Kind::Header,
                options,
            ));
            c = cell.col + cell.cols;
        }
        out.push_str("</w:tr>");
    }
    out.push_str("</w:tbl>");
    out
}

fn tc(
    width: u32,
    span: usize,
    merge: Option<&str>,
    text: &str,
    bold: bool,
    options: &DocxOptions,
) -> String {
    let span = match span > 1 {
        true => format!("<w:gridSpan w:val=\"{span}\"/>"),
        false => String::new(),
    };
    let body = match text.is_empty() {
        true => "<w:p/>".to_string(),
        false => format!(
            "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr>{}</w:p>",
            run(text, options.table_font, bold)
        ),
    };
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/>{span}{}<w:vAlign w:val=\"center\"/></w:tcPr>{body}</w:tc>",
        merge.unwrap_or("")
    )
}

fn package(document: &str, embedded: &[(String, &str, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
        <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
        <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
        <Default Extension=\"emf\" ContentType=\"image/x-emf\"/>\
        <Default Extension=\"xlsx\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\"/>\
        <Default Extension=\"bin\" ContentType=\"application/vnd.openxmlformats-officedocument.oleObject\"/>\
        <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
        </Types>";
    const RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    // An empty metafile record list: the lab draws no picture of the cells.
    const PREVIEW: &[u8] = b"\x01\x00\x00\x00";
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.into()),
        ("_rels/.rels".into(), RELS.into()),
        ("word/document.xml".into(), document.into()),
    ];
    if !embedded.is_empty() {
        let mut rels = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
        );
        for (i, (name, kind, bytes)) in embedded.iter().enumerate() {
            let n = i + 1;
            rels.push_str(&format!(
                "<Relationship Id=\"rIdPreview{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image{n}.emf\"/>\
                 <Relationship Id=\"rIdSheet{n}\" Type=\"{kind}\" Target=\"embeddings/{name}\"/>"
            ));
            parts.push((format!("word/media/image{n}.emf"), PREVIEW.to_vec()));
            parts.push((format!("word/embeddings/{name}"), bytes.clone()));
        }
        rels.push_str("</Relationships>");
        parts.push(("word/_rels/document.xml.rels".into(), rels.into_bytes()));
    }
    parts
}
