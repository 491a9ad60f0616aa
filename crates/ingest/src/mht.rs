//! MHT / MHTML, the "single file web page" (单一文件网页): a MIME message whose
//! multipart/related body holds the page (quoted-printable or base64) with its pictures and
//! styles. Word saves reports so (often published under a .doc name), and so do browsers.
//! The root page is read as a web page and the other parts are left; a finding's line and
//! column are the page's (the decoded part), not the archive's.

use crate::IngestError;
use base64::engine::{general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig};
use base64::Engine;
use encoding_rs::Encoding;

/// How much of a file's top is looked at to tell an archive: its header block.
const SNIFF_BYTES: usize = 8 * 1024;

/// A header block's fields: names in lower case, folded lines joined.
type Fields = Vec<(String, String)>;

/// Whether the bytes start with a MIME header block whose content type is
/// multipart/related (a web archive), whatever the file is named.
pub(crate) fn is_mht(bytes: &[u8]) -> bool {
    let top = &bytes[..bytes.len().min(SNIFF_BYTES)];
    let top = top.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(top);
    let top = &top[top.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    // The block must start at the top: a text that only mentions a header is no archive.
    let first_is_field = memchr::memchr(b':', top)
        .is_some_and(|colon| colon > 0 && top[..colon].iter().all(|&b| is_token(b)));
    first_is_field && media_type(&header_block(top).0).as_deref() == Some("multipart/related")
}

/// The archive's page (its root part's bytes, the transfer encoding undone) and the
/// charset that part declares.
pub(crate) fn root_page(bytes: &[u8]) -> Result<(Vec<u8>, Option<&'static Encoding>), IngestError> {
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let (fields, body) = header_block(&bytes[start..]);
    let boundary = field(&fields, "content-type")
        .and_then(|t| param(t, "boundary"))
        .filter(|b| !b.is_empty())
        .ok_or_else(|| corrupt("没有 boundary（各部分的分隔线）"))?;
    // The root is the part the message names as its start, else its first web page.
    let start_id = field(&fields, "content-type").and_then(|t| param(t, "start"));
    let parts: Vec<(Fields, &[u8])> = parts(body, &boundary)
        .into_iter()
        .map(header_block)
        .collect();
    let is_start = |f: &Fields| {
        start_id
            .as_deref()
            .is_some_and(|id| field(f, "content-id").is_some_and(|c| c.trim() == id.trim()))
    };
    let (part_fields, content) = parts
        .iter()
        .find(|(f, _)| is_start(f))
        .or_else(|| {
            parts
                .iter()
                .find(|(f, _)| media_type(f).as_deref() == Some("text/html"))
        })
        .ok_or_else(|| corrupt("找不到网页部分（text/html）"))?;
    let charset = field(part_fields, "content-type")
        .and_then(|t| param(t, "charset"))
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()));
    let encoding = field(part_fields, "content-transfer-encoding")
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let page = match encoding.as_str() {
        "quoted-printable" => quoted_printable(content),
        "base64" => base64_decoded(content)?,
        // 7bit, 8bit, binary: the bytes as they are.
        _ => content.to_vec(),
    };
    Ok((page, charset))
}

fn corrupt(reason: &str) -> IngestError {
    IngestError::Corrupt(format!("单一文件网页（MHT）无法读取：{reason}"))
}

/// A header block and what follows the blank line ending it (or the first line that is
/// no field: a part without headers). Lines starting with a space or tab continue the
/// field before them.
fn header_block(bytes: &[u8]) -> (Fields, &[u8]) {
    let mut fields: Fields = Vec::new();
    for (at, end, next) in crate::scan::byte_line_ranges(bytes) {
        let line = &bytes[at..end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        match line.first() {
            None => return (fields, &bytes[next..]),
            Some(b' ' | b'\t') if !fields.is_empty() => {
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(String::from_utf8_lossy(line).trim());
                }
            }
            _ => match line.iter().position(|&b| b == b':') {
                Some(colon) if colon > 0 && line[..colon].iter().all(|&b| is_token(b)) => {
                    let name = String::from_utf8_lossy(&line[..colon]).to_ascii_lowercase();
                    let value = String::from_utf8_lossy(&line[colon + 1..])
                        .trim()
                        .to_string();
                    fields.push((name, value));
                }
                _ => return (fields, &bytes[at..]),
            },
        }
    }
    (fields, &[])
}

/// A byte a header field's name may have.
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The media type of a block's Content-Type, in lower case.
fn media_type(fields: &Fields) -> Option<String> {
    let value = field(fields, "content-type")?;
    let media = value.split(';').next().unwrap_or(value);
    Some(media.trim().to_ascii_lowercase())
}

/// A parameter of a header value (`multipart/related; boundary="----=_NextPart"`), its
/// quotes taken off.
fn param(value: &str, name: &str) -> Option<String> {
    let mut rest = value.split_once(';')?.1;
    loop {
        let (key, after) = rest.split_once('=')?;
        let key = key.trim().trim_start_matches(';').trim();
        let after = after.trim_start();
        let (found, next) = match after.strip_prefix('"') {
            Some(quoted) => {
                let close = quoted.find('"').unwrap_or(quoted.len());
                (&quoted[..close], quoted.get(close + 1..).unwrap_or(""))
            }
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim(), &after[end..])
            }
        };
        if key.eq_ignore_ascii_case(name) {
            return Some(found.to_string());
        }
        rest = next;
    }
}

/// The body's parts between `--boundary` lines, up to `--boundary--` (or the end of an
/// archive cut short); the line break before a delimiter belongs to it.
fn parts<'a>(body: &'a [u8], boundary: &str) -> Vec<&'a [u8]> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    let mut open: Option<usize> = None;
    for (at, end, next) in crate::scan::byte_line_ranges(body) {
        let line = body[at..end].trim_ascii_end();
        if let Some(rest) = line.strip_prefix(delimiter.as_bytes()) {
            if rest.is_empty() || rest == b"--" {
                if let Some(start) = open {
                    let content = &body[start..at.max(start)];
                    let content = content.strip_suffix(b"\n").unwrap_or(content);
                    parts.push(content.strip_suffix(b"\r").unwrap_or(content));
                }
                if rest == b"--" {
                    return parts;
                }
                open = Some(next);
            }
        }
    }
    if let Some(start) = open {
        parts.push(&body[start.min(body.len())..]);
    }
    parts
}

/// Quoted-printable undone: `=XX` is a byte, `=` at a line's end joins it to the next. A
/// stray `=` is kept, as browsers keep it.
fn quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16)).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == b'=' {
            let after_space = bytes[at + 1..]
                .iter()
                .take_while(|&&c| c == b' ' || c == b'\t')
                .count();
            let rest = &bytes[at + 1 + after_space..];
            if rest.starts_with(b"\r\n") {
                at += 1 + after_space + 2;
                continue;
            }
            if rest.starts_with(b"\n") {
                at += 1 + after_space + 1;
                continue;
            }
            if let (Some(high), Some(low)) = (hex(bytes.get(at + 1)), hex(bytes.get(at + 2))) {
                out.push(high << 4 | low);
                at += 3;
                continue;
            }
        }
        out.push(b);
        at += 1;
    }
    out
}

/// Base64 undone, line breaks and spaces skipped, padding or none.
fn base64_decoded(bytes: &[u8]) -> Result<Vec<u8>, IngestError> {
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let compact: Vec<u8> = bytes
        .iter()
        .copied()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    LENIENT
        .decode(compact)
        .map_err(|e| corrupt(&format!("网页部分的 base64 有误（{e}）")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An archive as Word writes one: the page in quoted-printable GBK, a picture beside it.
    fn word_archive(page_gbk: &[u8]) -> Vec<u8> {
        let mut qp = String::new();
        for (i, &b) in page_gbk.iter().enumerate() {
            if i > 0 && i % 25 == 0 {
                qp.push_str("=\r\n");
            }
            match b {
                b'=' => qp.push_str("=3D"),
                b'\n' => qp.push_str("\r\n"),
                0x20..=0x7E => qp.push(b as char),
                _ => qp.push_str(&format!("={b:02X}")),
            }
        }
        let mut out = Vec::new();
        out.extend_from_slice(
            b"MIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\
              \tboundary=\"----=_NextPart_01DA0000.12345678\"\r\n\r\n\
              This document is a Single File Web Page, also known as a Web Archive file.\r\n\r\n\
              ------=_NextPart_01DA0000.12345678\r\n\
              Content-Location: file:///C:/report.htm\r\n\
              Content-Transfer-Encoding: quoted-printable\r\n\
              Content-Type: text/html; charset=\"gb2312\"\r\n\r\n",
        );
        out.extend_from_slice(qp.as_bytes());
        out.extend_from_slice(
            b"\r\n------=_NextPart_01DA0000.12345678\r\n\
              Content-Location: file:///C:/report.files/image001.png\r\n\
              Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\n\
              iVBORw0KGgo=\r\n\r\n------=_NextPart_01DA0000.12345678--\r\n",
        );
        out
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    const PAGE: &str = "<html><head><meta http-equiv=Content-Type content=\"text/html; charset=gb2312\"></head>\n<body><p class=MsoNormal>一、总体情况</p>\n<table border=1><tr><td>收到申请数</td><td>12</td></tr></table></body></html>\n";

    #[test]
    fn a_word_archive_is_told_and_its_page_read_in_its_charset() {
        let archive = word_archive(&gbk(PAGE));
        assert!(is_mht(&archive));
        let (page, charset) = root_page(&archive).unwrap();
        assert_eq!(charset, Some(encoding_rs::GBK));
        // Line breaks in quoted-printable are CRLF.
        assert_eq!(page, gbk(&PAGE.replace('\n', "\r\n")));
        for name in ["report.mht", "report.doc", "report.txt"] {
            let doc = crate::from_bytes(name, &archive).unwrap();
            assert_eq!(doc.format, crate::Format::Mht, "{name}");
            assert_eq!(doc.text, "一、总体情况\n收到申请数\t12\n", "{name}");
            assert_eq!(doc.grids.len(), 1);
        }
        // Word opens an archive under a .doc name; under .txt it is not what it says.
        let as_doc = crate::from_bytes("report.doc", &archive).unwrap();
        assert_eq!(as_doc.misnamed(), None);
        let as_text = crate::from_bytes("report.txt", &archive).unwrap();
        assert_eq!(
            as_text.misnamed(),
            Some((".txt".to_string(), crate::Format::Mht))
        );
    }

    #[test]
    fn a_browser_archive_in_base64_with_a_start_part_is_read() {
        let page = "<html><body><p>二、主动公开政府信息情况</p></body></html>";
        let encoded = base64::engine::general_purpose::STANDARD.encode(page);
        let (first, second) = encoded.split_at(20);
        let archive = format!(
            "From: <Saved by Blink>\r\nSubject: report\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\
             \tstart=\"<page@mhtml>\";\r\n\tboundary=\"----MultipartBoundary--abc\"\r\n\r\n\
             ------MultipartBoundary--abc\r\nContent-Type: text/html\r\n\
             Content-ID: <frame@mhtml>\r\n\r\n<html><body>框架</body></html>\r\n\
             ------MultipartBoundary--abc\r\nContent-Type: text/html; charset=utf-8\r\n\
             Content-ID: <page@mhtml>\r\nContent-Transfer-Encoding: base64\r\n\r\n\
             {first}\r\n{second}\r\n------MultipartBoundary--abc--\r\n"
        );
        let doc = crate::from_bytes("report.mhtml", archive.as_bytes()).unwrap();
        assert_eq!(doc.text, "二、主动公开政府信息情况\n");
    }

    #[test]
    fn text_mentioning_headers_is_no_archive() {
        assert!(!is_mht(b"Content-Type: text/html\r\n\r\n<p>x</p>"));
        assert!(!is_mht(
            "一、总体情况\nContent-Type: multipart/related; boundary=x\n".as_bytes()
        ));
        assert!(!is_mht(b""));
    }

    #[test]
    fn a_damaged_archive_is_an_error_naming_what_is_missing() {
        let no_boundary = b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\nx";
        let err = crate::from_bytes("a.mht", no_boundary).unwrap_err();
        assert!(err.to_string().contains("boundary"), "{err}");
        let no_page = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: image/png\r\n\r\nxx\r\n--b--\r\n";
        let err = crate::from_bytes("a.mht", no_page).unwrap_err();
        assert!(err.to_string().contains("text/html"), "{err}");
        let bad_base64 = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\r\n@@@@\r\n--b--\r\n";
        let err = crate::from_bytes("a.mht", bad_base64).unwrap_err();
        assert!(err.to_string().contains("base64"), "{err}");
    }

    #[test]
    fn an_archive_cut_short_keeps_what_it_has() {
        let archive = word_archive(&gbk(PAGE));
        // Cut inside the picture after the page: no closing delimiter.
        let cut = &archive[..archive.len() - 30];
        let doc = crate::from_bytes("cut.mht", cut).unwrap();
        assert!(doc.text.starts_with("一、总体情况\n"), "{:?}", doc.text);
        // Every prefix reads or errs, never panics.
        for end in (0..archive.len()).step_by(7) {
            let _ = crate::from_bytes("cut.mht", &archive[..end]);
        }
    }

    #[test]
    fn quoted_printable_joins_soft_breaks_and_keeps_stray_equals() {
        assert_eq!(quoted_printable(b"a=3Db=\r\nc= \nd=G1=4"), b"a=bcd=G1=4");
        assert_eq!(
            param("text/html; charset=\"gb2312\"", "charset").as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            param(
                "multipart/related; type=\"text/html\"; boundary=x",
                "boundary"
            )
            .as_deref(),
            Some("x")
        );
        assert_eq!(param("text/html", "charset"), None);
    }
}
