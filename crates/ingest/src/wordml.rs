//! Word's XML formats: one XML file that Word opens as a document, whatever its name
//! (often `.doc`). Web systems' "export to Word" fills in such a file from a template
//! (FreeMarker and the like), and Word writes one as "Word XML Document":
//! - WordprocessingML 2003 (`w:wordDocument`): the body, styles, and headers, footers and
//!   notes written inline;
//! - Flat OPC (`pkg:package`): a DOCX's parts in one file, each XML part's content inside
//!   its `pkg:part`'s `pkg:xmlData`.
//!
//! The body is read as a DOCX's `word/document.xml` is ([`crate::docx::body_text`]).
//! Pictures are marked where they stand, but not read by OCR, and embedded objects stay
//! pictures: their parts are base64 inside the file.

use crate::docx::DocxText;
use crate::zipped::attr;
use crate::IngestError;
use quick_xml::events::Event;
use quick_xml::Reader;

/// How far into a file its root element is looked for.
const SNIFF_BYTES: usize = 4096;

const WORDML_2003: &[u8] = b"schemas.microsoft.com/office/word/2003/wordml";
const FLAT_OPC: &[u8] = b"schemas.microsoft.com/office/2006/xmlPackage";

/// The part of a Flat OPC package that holds a Word document's body.
const DOCUMENT_PART: &str = "/word/document.xml";

/// Whether bytes are one of Word's XML formats: an XML file whose root, in its first
/// 4 KiB, is a Word 2003 document or an OPC package (UTF-8 or a code page; UTF-16 not).
pub fn is_word_xml(bytes: &[u8]) -> bool {
    let top = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let top = top.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(top);
    let top = &top[top.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    if !top.starts_with(b"<") {
        return false;
    }
    let has = |needle: &[u8]| memchr::memmem::find(top, needle).is_some();
    (has(b"wordDocument") && has(WORDML_2003)) || (has(b"package") && has(FLAT_OPC))
}

/// Whether the file at `path` is one of Word's XML formats ([`is_word_xml`]), by its first
/// 4 KiB (a file that cannot be read is not).
pub fn is_word_xml_file(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut top = Vec::with_capacity(SNIFF_BYTES);
    let read = std::fs::File::open(path)
        .and_then(|file| file.take(SNIFF_BYTES as u64).read_to_end(&mut top));
    read.is_ok() && is_word_xml(&top)
}

/// The text, tables and pictures of a Word XML file ([`is_word_xml`]), decoded in the
/// encoding its XML declaration names (else by a BOM, or detected).
pub fn text_of(bytes: &[u8]) -> Result<DocxText, IngestError> {
    let declared = declared_encoding(bytes);
    let decoded = crate::decode::decode_with_hint(bytes, declared)?;
    let xml = decoded.text.as_str();
    match document_xml(xml)? {
        Some(document) => crate::docx::body_text(&document, DOCUMENT_PART, None),
        None => crate::docx::body_text(&body_xml(xml)?, "w:body", None),
    }
}

/// The encoding an XML declaration names (`<?xml version="1.0" encoding="GB2312"?>`).
fn declared_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    let top = &bytes[..bytes.len().min(256)];
    let end = memchr::memmem::find(top, b"?>")?;
    let declaration = &top[..end];
    let at = memchr::memmem::find(declaration, b"encoding")? + b"encoding".len();
    let rest = &declaration[at..];
    let open = rest.iter().position(|&b| b == b'"' || b == b'\'')?;
    let quote = rest[open];
    let label = &rest[open + 1..];
    let label = &label[..label.iter().position(|&b| b == quote)?];
    let encoding = encoding_rs::Encoding::for_label(label)?;
    // GBK and GB2312 are decoded as GB18030, their superset.
    Some(match encoding == encoding_rs::GBK {
        true => encoding_rs::GB18030,
        false => encoding,
    })
}

/// The WordprocessingML of a Flat OPC package's document part, `None` when the file is no
/// package (a Word 2003 document).
fn document_xml(xml: &str) -> Result<Option<String>, IngestError> {
    let corrupt = |e: quick_xml::Error| IngestError::Corrupt(format!("Word XML: {e}"));
    let mut reader = Reader::from_str(xml);
    let mut in_document_part = false;
    let mut root_seen = false;
    loop {
        match reader.read_event().map_err(corrupt)? {
            Event::Start(e) if !root_seen => {
                root_seen = true;
                if e.local_name().as_ref() != b"package" {
                    return Ok(None);
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"part" => {
                in_document_part = attr(&e, b"name").as_deref() == Some(DOCUMENT_PART);
            }
            Event::Start(e) if in_document_part && e.local_name().as_ref() == b"xmlData" => {
                let inner = reader.read_text(e.name()).map_err(corrupt)?;
                return Ok(Some(inner.into_owned()));
            }
            Event::Empty(_) if !root_seen => return Ok(None),
            Event::Eof => break,
            _ => {}
        }
    }
    match root_seen {
        true => Err(IngestError::Corrupt(format!(
            "Word XML package without a {DOCUMENT_PART} part (not a Word document)"
        ))),
        false => Ok(None),
    }
}

/// The `w:body` element of a Word 2003 document, with its tags: what is outside it (styles,
/// lists, document properties) is no text of the report.
fn body_xml(xml: &str) -> Result<String, IngestError> {
    let corrupt = |e: quick_xml::Error| IngestError::Corrupt(format!("Word XML: {e}"));
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(corrupt)? {
            Event::Start(e) if e.local_name().as_ref() == b"body" => {
                let inner = reader.read_text(e.name()).map_err(corrupt)?;
                return Ok(format!("<w:body>{inner}</w:body>"));
            }
            Event::Eof => {
                return Err(IngestError::Corrupt(
                    "Word XML document without a body (w:body)".into(),
                ))
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD_2003: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" xmlns:aml="http://schemas.microsoft.com/aml/2001/core" xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint">"#;

    /// A Word 2003 XML document whose body is `body`, with styles and a footnote
    /// separator before it that hold no text of the report.
    fn word_2003(body: &str) -> String {
        format!(
            r#"{HEAD_2003}<w:styles><w:style w:styleId="a"><w:rPr><w:vanish/></w:rPr></w:style></w:styles>
<w:docPr><w:footnotePr><w:footnote w:type="separator"><w:p><w:r><w:t>分隔</w:t></w:r></w:p></w:footnote></w:footnotePr></w:docPr>
<w:body><wx:sect>{body}<w:sectPr><w:hdr w:type="odd"><w:p><w:r><w:t>页眉文字</w:t></w:r></w:p></w:hdr></w:sectPr></wx:sect></w:body></w:wordDocument>"#
        )
    }

    fn paragraph(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn cell(text: &str, properties: &str) -> String {
        format!(
            "<w:tc><w:tcPr>{properties}</w:tcPr>{}</w:tc>",
            paragraph(text)
        )
    }

    #[test]
    fn word_2003_xml_is_told_by_its_root_and_namespace() {
        assert!(is_word_xml(word_2003("").as_bytes()));
        assert!(is_word_xml(
            format!("\u{feff}\n  {}", word_2003("")).as_bytes()
        ));
        assert!(!is_word_xml(b"<html><body>wordDocument</body></html>"));
        assert!(!is_word_xml("本报告 wordDocument".as_bytes()));
        assert!(!is_word_xml(b"<?xml version=\"1.0\"?><urlset/>"));
    }

    #[test]
    fn a_word_2003_body_is_read_without_headers_notes_comments_or_styles() {
        let body = [
            paragraph("某县人民政府2023年政府信息公开工作年度报告"),
            "<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnote><w:p><w:r><w:t>脚注</w:t></w:r></w:p></w:footnote></w:r>\
             <aml:annotation w:type=\"Word.Comment\"><aml:content><w:p><w:r><w:t>批注</w:t></w:r></w:p></aml:content></aml:annotation>\
             <w:r><w:t>继续</w:t></w:r></w:p>"
                .to_string(),
        ]
        .concat();
        let found = text_of(word_2003(&body).as_bytes()).unwrap();
        assert_eq!(
            found.text,
            "某县人民政府2023年政府信息公开工作年度报告\n正文继续\n"
        );
    }

    #[test]
    fn a_word_2003_table_keeps_its_spans_and_vertical_merges() {
        let table = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            cell("申请人情况", "<w:vmerge w:val=\"restart\"/>"),
            cell("自然人", "<w:gridSpan w:val=\"1\"/>"),
            cell("", "<w:vmerge/>"),
            cell("12", ""),
        );
        let found = text_of(word_2003(&table).as_bytes()).unwrap();
        assert_eq!(found.grids.len(), 1);
        let grid = &found.grids[0];
        assert_eq!((grid.n_rows, grid.n_cols), (2, 2));
        let first = &grid.cells[0];
        assert_eq!(&found.text[first.start..first.end], "申请人情况");
        assert_eq!(first.rows, 2);
    }

    #[test]
    fn a_declared_code_page_is_decoded() {
        let xml = word_2003(&paragraph("政府信息公开"))
            .replace("encoding=\"UTF-8\"", "encoding=\"GB2312\"");
        let (bytes, _, _) = encoding_rs::GBK.encode(&xml);
        let found = text_of(&bytes).unwrap();
        assert_eq!(found.text, "政府信息公开\n");
    }

    /// A Flat OPC package: the document part, and a header part whose text is not read.
    fn flat_opc(body: &str) -> String {
        format!(
            r#"<?xml version="1.0" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">
<pkg:part pkg:name="/word/header1.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"><pkg:xmlData><w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{}</w:hdr></pkg:xmlData></pkg:part>
<pkg:part pkg:name="/word/document.xml" pkg:contentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"><pkg:xmlData><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document></pkg:xmlData></pkg:part>
</pkg:package>"#,
            paragraph("页眉")
        )
    }

    #[test]
    fn a_flat_opc_package_is_read_from_its_document_part() {
        let xml = flat_opc(&[paragraph("第一段"), paragraph("第二段")].concat());
        assert!(is_word_xml(xml.as_bytes()));
        let found = text_of(xml.as_bytes()).unwrap();
        assert_eq!(found.text, "第一段\n第二段\n");
    }

    #[test]
    fn a_package_without_a_document_or_a_document_without_a_body_is_an_error() {
        let workbook = flat_opc("").replace(DOCUMENT_PART, "/xl/workbook.xml");
        let e = text_of(workbook.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("/word/document.xml"), "{e}");
        let bodiless = format!("{HEAD_2003}<w:styles/></w:wordDocument>");
        let e = text_of(bodiless.as_bytes()).unwrap_err().to_string();
        assert!(e.contains("w:body"), "{e}");
    }

    #[test]
    fn a_cut_file_is_an_error_or_reads_less_never_a_panic() {
        let xml = word_2003(&paragraph("政府信息公开工作年度报告"));
        for cut in 0..xml.len() {
            if xml.is_char_boundary(cut) {
                let _ = text_of(&xml.as_bytes()[..cut]);
            }
        }
    }
}
