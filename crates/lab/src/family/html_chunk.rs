//! A Word file whose body is a web page, as web editors' "export to Word" writes one
//! (html-docx-js and the like; document merges with docx4j or the Open XML SDK too): a DOCX
//! of a few parts whose body is one chunk of another format (`w:altChunk`), which Word lays
//! out when it opens the file. The chunk is the page as a single file web page
//! (`afchunk.mht`, named from the package's root as html-docx-js names it) or the page
//! itself (`chunk1.htm`, named from `word/`).

use super::embedded_sheet;
use crate::rng::Rng;

/// How the page is packed.
#[derive(Debug, Clone, Copy)]
pub enum ChunkStyle {
    /// A single file web page as html-docx-js writes one: the page in UTF-8 and
    /// quoted-printable, the headers folded over lines.
    EditorArchive,
    /// A single file web page as Word saves one: its page in GBK (`super::mht::wrap`).
    Archive,
    /// The page's HTML in UTF-8.
    Page,
}

impl ChunkStyle {
    pub fn random(rng: &mut Rng) -> ChunkStyle {
        *rng.pick(&[
            ChunkStyle::EditorArchive,
            ChunkStyle::Archive,
            ChunkStyle::Page,
        ])
    }
}

/// The DOCX holding `page` (a web page's HTML) as its body's chunk.
pub fn render(page: &str, style: ChunkStyle) -> Vec<u8> {
    let (part, target, content_type, chunk) = match style {
        ChunkStyle::EditorArchive => (
            "word/afchunk.mht",
            "/word/afchunk.mht",
            "message/rfc822",
            editor_archive(page),
        ),
        ChunkStyle::Archive => (
            "word/afchunk.mht",
            "/word/afchunk.mht",
            "message/rfc822",
            super::mht::wrap(page, &[]),
        ),
        ChunkStyle::Page => (
            "word/chunk1.htm",
            "chunk1.htm",
            "text/html",
            page.as_bytes().to_vec(),
        ),
    };
    let content_types = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/{part}\" ContentType=\"{content_type}\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         </Types>"
    );
    let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
        </Relationships>";
    let document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
        <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
        xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
        <w:body><w:altChunk r:id=\"htmlChunk\"/>\
        <w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
        <w:pgMar w:top=\"1440\" w:right=\"1418\" w:bottom=\"1440\" w:left=\"1418\" w:header=\"851\" w:footer=\"992\" w:gutter=\"0\"/>\
        </w:sectPr></w:body></w:document>";
    let document_rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"htmlChunk\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk\" Target=\"{target}\"/>\
         </Relationships>"
    );
    let parts: [(&str, &[u8]); 5] = [
        ("[Content_Types].xml", content_types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/_rels/document.xml.rels", document_rels.as_bytes()),
        (part, &chunk),
    ];
    embedded_sheet::zip_of_bytes(&parts)
}

/// The single file web page html-docx-js makes of a page.
fn editor_archive(page: &str) -> Vec<u8> {
    const BOUNDARY: &str = "----=mhtDocumentPart";
    format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n    type=\"text/html\";\r\n    \
         boundary=\"{BOUNDARY}\"\r\n\r\n\r\n--{BOUNDARY}\r\nContent-Type: text/html;\r\n    \
         charset=\"utf-8\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\
         Content-Location: file:///C:/fake/document.html\r\n\r\n{}\r\n\r\n\r\n--{BOUNDARY}--\r\n",
        super::mht::quoted_printable(page.as_bytes())
    )
    .into_bytes()
}
