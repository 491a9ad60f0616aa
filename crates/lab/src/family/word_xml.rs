//! Word's XML formats, as web systems' "export to Word" writes them from a template
//! (FreeMarker and the like: a document Word saved as XML, its figures filled in) and as
//! Word saves "XML Document": the lab's DOCX body written as WordprocessingML 2003
//! (`w:wordDocument`, under a `.doc` name), or its parts as a Flat OPC package
//! (`pkg:package`). Both hold text a reader of the page does not see there, whose figure
//! contradicts 表三 when read as the body's: a comment; and written inline (2003) or as
//! parts before the body (Flat OPC), a header and a footer.

use crate::rng::Rng;

/// What a Word XML file varies.
#[derive(Debug, Clone, Copy)]
pub struct WordXmlStyle {
    /// Every tag on a line of its own, indented, as a template formatted for editing is.
    pub pretty: bool,
    /// Encoded in GBK, declared `GB2312` (else UTF-8).
    pub gbk: bool,
}

impl WordXmlStyle {
    pub fn random(rng: &mut Rng) -> WordXmlStyle {
        WordXmlStyle {
            pretty: rng.chance(0.5),
            gbk: rng.chance(0.3),
        }
    }
}

const COMMENT: &str = "请核对：全年共收到政府信息公开申请76543件";
const HEADER: &str = "政府信息公开工作年度报告（2009年）";
const FOOTER: &str = "第 1 页 共 3 页";

/// The DOCX `document` (its `word/document.xml`) as Word 2003 writes it: root, namespaces
/// and property names of WordprocessingML 2003, a tracked deletion as an `aml:annotation`,
/// a comment on the paragraph on applications, a header and footer in the section's
/// properties, and the styles, fonts and document properties before the body.
pub fn word_2003(document: &str, style: WordXmlStyle) -> Vec<u8> {
    let body = between(document, "<w:body>", "</w:body>");
    let body = renamed_for_2003(body);
    let body = deletions_as_annotations(&body);
    let body = with_comment(&body, &comment_2003());
    let section = format!(
        "<w:hdr w:type=\"odd\">{}</w:hdr><w:ftr w:type=\"odd\">{}</w:ftr>",
        paragraph(HEADER),
        paragraph(FOOTER)
    );
    let body = body.replacen("<w:sectPr>", &format!("<w:sectPr>{section}"), 1);
    let encoding = if style.gbk { "GB2312" } else { "UTF-8" };
    let xml = format!(
        "<?xml version=\"1.0\" encoding=\"{encoding}\" standalone=\"yes\"?>\n\
         <?mso-application progid=\"Word.Document\"?>\n\
         <w:wordDocument xmlns:aml=\"http://schemas.microsoft.com/aml/2001/core\" \
         xmlns:w=\"http://schemas.microsoft.com/office/word/2003/wordml\" \
         xmlns:wx=\"http://schemas.microsoft.com/office/word/2003/auxHint\" \
         xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\" \
         w:macrosPresent=\"no\" w:embeddedObjPresent=\"no\" w:ocxPresent=\"no\" xml:space=\"preserve\">\
         <o:DocumentProperties><o:Author>政务公开办</o:Author><o:Pages>3</o:Pages></o:DocumentProperties>\
         <w:fonts><w:defaultFonts w:ascii=\"Times New Roman\" w:fareast=\"宋体\" w:h-ansi=\"Times New Roman\" w:cs=\"Times New Roman\"/>\
         <w:font w:name=\"宋体\"><w:altName w:val=\"SimSun\"/><w:charset w:val=\"86\"/></w:font></w:fonts>\
         <w:styles><w:style w:type=\"paragraph\" w:default=\"on\" w:styleId=\"a\"><w:name w:val=\"Normal\"/>\
         <w:rPr><w:sz w:val=\"21\"/></w:rPr></w:style></w:styles>\
         <w:docPr><w:view w:val=\"print\"/><w:footnotePr><w:footnote w:type=\"separator\">\
         <w:p><w:r><w:separator/></w:r></w:p></w:footnote></w:footnotePr></w:docPr>\
         <w:body><wx:sect>{body}</wx:sect></w:body></w:wordDocument>"
    );
    encoded(&laid_out(&xml, style), style)
}

/// The DOCX's `parts` (name, bytes) as a Flat OPC package: its relationships, a header
/// part and a comments part before the document part, each XML part inside its
/// `pkg:xmlData`.
pub fn flat_opc(parts: &[(String, Vec<u8>)], style: WordXmlStyle) -> Vec<u8> {
    const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    const RELATIONSHIPS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    const TYPES: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let part_of = |name: &str| {
        parts
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    };
    let document = part_of("word/document.xml").replacen(
        "<w:sectPr>",
        "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader1\"/>",
        1,
    );
    let document = with_comment(&document, "<w:r><w:commentReference w:id=\"0\"/></w:r>");
    let document_rels = format!(
        "<Relationships xmlns=\"{RELATIONSHIPS}\">\
         <Relationship Id=\"rIdHeader1\" Type=\"{TYPES}/header\" Target=\"header1.xml\"/>\
         <Relationship Id=\"rIdComments\" Type=\"{TYPES}/comments\" Target=\"comments.xml\"/>\
         </Relationships>"
    );
    let header = format!("<w:hdr xmlns:w=\"{W}\">{}</w:hdr>", paragraph(HEADER));
    let comments = format!(
        "<w:comments xmlns:w=\"{W}\"><w:comment w:id=\"0\" w:author=\"审核人\" w:initials=\"审\">{}</w:comment></w:comments>",
        paragraph(COMMENT)
    );
    let main = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let rels_type = "application/vnd.openxmlformats-package.relationships+xml";
    let packaged = [
        ("/_rels/.rels", rels_type, part_of("_rels/.rels")),
        ("/word/_rels/document.xml.rels", rels_type, document_rels),
        (
            "/word/header1.xml",
            &format!("{main}.header+xml")[..],
            header,
        ),
        (
            "/word/comments.xml",
            &format!("{main}.comments+xml")[..],
            comments,
        ),
        (
            "/word/document.xml",
            &format!("{main}.document.main+xml")[..],
            document,
        ),
    ];
    let mut xml = String::from(
        "<?xml version=\"1.0\" standalone=\"yes\"?>\n<?mso-application progid=\"Word.Document\"?>\n\
         <pkg:package xmlns:pkg=\"http://schemas.microsoft.com/office/2006/xmlPackage\">",
    );
    for (name, content_type, part) in packaged {
        xml.push_str(&format!(
            "<pkg:part pkg:name=\"{name}\" pkg:contentType=\"{content_type}\"><pkg:xmlData>{}</pkg:xmlData></pkg:part>",
            without_declaration(&part)
        ));
    }
    xml.push_str("</pkg:package>");
    let xml = match style.gbk {
        true => xml.replacen(
            "<?xml version=\"1.0\"",
            "<?xml version=\"1.0\" encoding=\"GB2312\"",
            1,
        ),
        false => xml,
    };
    encoded(&laid_out(&xml, style), style)
}

/// The text between the first `open` and the `close` after it (all of `xml` when either is
/// missing).
fn between<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    let Some(start) = xml.find(open).map(|at| at + open.len()) else {
        return xml;
    };
    match xml[start..].find(close) {
        Some(len) => &xml[start..start + len],
        None => &xml[start..],
    }
}

fn without_declaration(xml: &str) -> &str {
    match xml.starts_with("<?xml") {
        true => xml
            .find("?>")
            .map_or(xml, |end| xml[end + 2..].trim_start()),
        false => xml,
    }
}

fn paragraph(text: &str) -> String {
    format!(
        "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
        super::docx::escape(text)
    )
}

/// The names WordprocessingML 2003 gives what the lab's DOCX writes.
fn renamed_for_2003(body: &str) -> String {
    body.replace("<w:vMerge", "<w:vmerge")
        .replace(" w:eastAsia=", " w:fareast=")
        .replace(" w:hAnsi=", " w:h-ansi=")
        .replace("<w:szCs ", "<w:sz-cs ")
}

/// Each tracked deletion (`w:del`) as Word 2003 writes one.
fn deletions_as_annotations(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<w:del ") {
        let Some(open_end) = rest[start..].find('>').map(|at| start + at + 1) else {
            break;
        };
        let Some(close) = rest[open_end..].find("</w:del>").map(|at| open_end + at) else {
            break;
        };
        out.push_str(&rest[..start]);
        out.push_str(
            "<aml:annotation aml:id=\"1\" w:type=\"Word.Deletion\" aml:author=\"lab\" \
             aml:createdate=\"2024-01-01T00:00:00Z\"><aml:content>",
        );
        out.push_str(&rest[open_end..close]);
        out.push_str("</aml:content></aml:annotation>");
        rest = &rest[close + "</w:del>".len()..];
    }
    out.push_str(rest);
    out
}

/// A comment as Word 2003 writes one, inside a run where it is anchored.
fn comment_2003() -> String {
    format!(
        "<w:r><aml:annotation aml:id=\"2\" w:type=\"Word.Comment\" aml:author=\"审核人\" \
         aml:createdate=\"2024-01-02T00:00:00Z\" w:initials=\"审\"><aml:content>{}</aml:content>\
         </aml:annotation></w:r>",
        paragraph(COMMENT)
    )
}

/// The body with `anchor` (a comment or its reference) at the end of the paragraph on
/// applications (the first holding 依申请公开), or unchanged when it has none.
fn with_comment(body: &str, anchor: &str) -> String {
    let Some(at) = body.find("依申请公开") else {
        return body.to_string();
    };
    match body[at..].find("</w:p>") {
        Some(end) => format!("{}{anchor}{}", &body[..at + end], &body[at + end..]),
        None => body.to_string(),
    }
}

/// `xml` with every tag on a line of its own when the style asks it, but for a text
/// element's content (`w:t`, `w:delText`), where a line break would be text.
fn laid_out(xml: &str, style: WordXmlStyle) -> String {
    if !style.pretty {
        return xml.to_string();
    }
    let mut out = String::with_capacity(xml.len() * 5 / 4);
    let mut last_tag_start = 0;
    for (at, ch) in xml.char_indices() {
        if ch == '<' {
            let previous = &xml[last_tag_start..at];
            let opens_text = previous.starts_with("<w:t>")
                || previous.starts_with("<w:t ")
                || previous.starts_with("<w:delText");
            if previous.ends_with('>') && at > 0 && !opens_text {
                out.push_str("\n  ");
            }
            last_tag_start = at;
        }
        out.push(ch);
    }
    out
}

fn encoded(xml: &str, style: WordXmlStyle) -> Vec<u8> {
    match style.gbk {
        true => encoding_rs::GBK.encode(xml).0.into_owned(),
        false => xml.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_elements_content_is_never_broken_by_the_layout() {
        let xml =
            "<w:p><w:r><w:t xml:space=\"preserve\"></w:t></w:r><w:r><w:t>12</w:t></w:r></w:p>";
        let style = WordXmlStyle {
            pretty: true,
            gbk: false,
        };
        let out = laid_out(xml, style);
        assert!(out.contains("<w:t xml:space=\"preserve\"></w:t>"), "{out}");
        assert!(out.contains("<w:t>12</w:t>"), "{out}");
        assert!(out.contains(">\n  <w:r>"), "{out}");
    }

    #[test]
    fn a_deletion_becomes_an_annotation_with_its_runs() {
        let body = "<w:p><w:del w:id=\"1\" w:author=\"lab\"><w:r><w:delText>删</w:delText></w:r></w:del><w:r><w:t>留</w:t></w:r></w:p>";
        let out = deletions_as_annotations(body);
        assert!(!out.contains("w:del "), "{out}");
        assert!(out.contains("w:type=\"Word.Deletion\""), "{out}");
        assert!(out.contains("<aml:content><w:r><w:delText>删</w:delText></w:r></aml:content>"));
        assert!(out.ends_with("<w:r><w:t>留</w:t></w:r></w:p>"));
    }
}
