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

/// An archive's parts, each its header block and its content (the transfer encoding not
/// yet undone), and which of them is the page.
pub(crate) struct Archive<'a> {
    parts: Vec<(Fields, &'a [u8])>,
    root: usize,
}

impl<'a> Archive<'a> {
    /// The archive's parts and its page: the part the message names as its start, else
    /// its first web page.
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Archive<'a>, IngestError> {
        let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
        let (fields, body) = header_block(&bytes[start..]);
        let boundary = field(&fields, "content-type")
            .and_then(|t| param(t, "boundary"))
            .filter(|b| !b.is_empty())
            .ok_or_else(|| corrupt("没有 boundary（各部分的分隔线）"))?;
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
        let root = parts
            .iter()
            .position(|(f, _)| is_start(f))
            .or_else(|| {
                parts
                    .iter()
                    .position(|(f, _)| media_type(f).as_deref() == Some("text/html"))
            })
            .ok_or_else(|| corrupt("找不到网页部分（text/html）"))?;
        Ok(Archive { parts, root })
    }

    /// The page's bytes (the transfer encoding undone) and the charset its part declares.
    pub(crate) fn page(&self) -> Result<(Vec<u8>, Option<&'static Encoding>), IngestError> {
        let (fields, content) = &self.parts[self.root];
        let charset = field(fields, "content-type")
            .and_then(|t| param(t, "charset"))
            .and_then(|label| Encoding::for_label(label.trim().as_bytes()));
        Ok((decoded_content(fields, content)?, charset))
    }

    /// The bytes of the part a picture of the page names (`src`): by its Content-ID
    /// (`cid:`), else by its Content-Location with `src` taken relative to the page's, else
    /// the one part whose location ends in the file name `src` ends in. `None` when no
    /// part is it, or its content is damaged.
    pub(crate) fn picture(&self, src: &str) -> Option<Vec<u8>> {
        let (fields, content) = self.picture_part(src)?;
        decoded_content(fields, content).ok()
    }

    fn picture_part(&self, src: &str) -> Option<&(Fields, &'a [u8])> {
        let others = || {
            self.parts
                .iter()
                .enumerate()
                .filter(|&(k, _)| k != self.root)
                .map(|(_, part)| part)
        };
        if let Some(id) = src.strip_prefix("cid:") {
            let bare = |s: &str| {
                s.trim()
                    .trim_start_matches('<')
                    .trim_end_matches('>')
                    .to_string()
            };
            let id = bare(&percent_decoded(id));
            return others().find(|(f, _)| field(f, "content-id").is_some_and(|c| bare(c) == id));
        }
        let location = |f: &Fields| field(f, "content-location").map(comparable);
        let base = field(&self.parts[self.root].0, "content-location").unwrap_or("");
        let wanted = comparable(&resolved(base, src));
        if let Some(part) = others().find(|(f, _)| location(f).as_deref() == Some(&*wanted)) {
            return Some(part);
        }
        let src = comparable(src);
        let name = file_name(&src);
        let mut named = others().filter(|(f, _)| {
            location(f).is_some_and(|l| !name.is_empty() && file_name(&l) == name)
        });
        match (named.next(), named.next()) {
            (Some(part), None) => Some(part),
            _ => None,
        }
    }
}

/// A part's content with its transfer encoding undone.
fn decoded_content(fields: &Fields, content: &[u8]) -> Result<Vec<u8>, IngestError> {
    let encoding = field(fields, "content-transfer-encoding")
        .map(|e| e.trim().to_ascii_lowercase())
        .unwrap_or_default();
    Ok(match encoding.as_str() {
        "quoted-printable" => quoted_printable(content),
        "base64" => base64_decoded(content)?,
        // 7bit, 8bit, binary: the bytes as they are.
        _ => content.to_vec(),
    })
}

/// `src` as an address, taken relative to the page's address `base` unless it is one.
fn resolved(base: &str, src: &str) -> String {
    let has_scheme = src.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
    });
    if has_scheme {
        return src.to_string();
    }
    let (scheme, rest) = base.split_once("://").unwrap_or(("", base));
    if let Some(on_host) = src.strip_prefix("//") {
        return format!("{scheme}://{on_host}");
    }
    let host_end = rest.find('/').unwrap_or(rest.len());
    let (host, path) = rest.split_at(host_end);
    let folder = match src.starts_with('/') {
        true => "",
        false => &path[..path.rfind('/').map_or(0, |k| k + 1)],
    };
    let mut segments: Vec<&str> = Vec::new();
    let joined = format!("{folder}{src}");
    for segment in joined.split('/') {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    let path = segments.join("/");
    let path = match path.starts_with('/') {
        true => path,
        false => format!("/{path}"),
    };
    match scheme.is_empty() {
        true => format!("{host}{path}"),
        false => format!("{scheme}://{host}{path}"),
    }
}

/// An address as two writers of the same address may differ on: escapes undone,
/// backslashes as slashes, letters in lower case (Windows' file names).
fn comparable(address: &str) -> String {
    percent_decoded(address.trim())
        .replace('\\', "/")
        .to_lowercase()
}

/// The last segment of an address's path, without query or fragment.
fn file_name(address: &str) -> &str {
    let path = address.split(['?', '#']).next().unwrap_or(address);
    path.rsplit('/').next().unwrap_or(path)
}

/// `%XX` escapes undone where they make UTF-8; the text as it is otherwise.
pub(crate) fn percent_decoded(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        match hex_pair(bytes, at + 1).filter(|_| b == b'%') {
            Some(escaped) => {
                out.push(escaped);
                at += 3;
            }
            None => {
                out.push(b);
                at += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// The byte two hex digits at `at` write (an escape's, after its `%` or `=`).
fn hex_pair(bytes: &[u8], at: usize) -> Option<u8> {
    let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16)).map(|d| d as u8);
    Some(hex(bytes.get(at))? << 4 | hex(bytes.get(at + 1))?)
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
            if let Some(escaped) = hex_pair(bytes, at + 1) {
                out.push(escaped);
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
pub(crate) fn base64_decoded(bytes: &[u8]) -> Result<Vec<u8>, IngestError> {
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
        let (page, charset) = Archive::open(&archive).unwrap().page().unwrap();
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

    /// A picture of the page is its part by Content-ID, by its address taken relative to
    /// the page's, or by its file name when one part alone has it.
    #[test]
    fn a_pages_picture_is_the_part_it_names() {
        let archive = "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n\
             --b\r\nContent-Location: file:///C:/D0/report.htm\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n\
             --b\r\nContent-Location: file:///C:/D0/report.files/image001.png\r\n\
             Content-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\naW1hZ2Ux\r\n\
             --b\r\nContent-Location: https://www.example.gov.cn/pic/%E8%A1%A8.jpg\r\nContent-ID: <pic2@x>\r\n\r\nimage2\r\n\
             --b--\r\n";
        let archive = Archive::open(archive.as_bytes()).unwrap();
        let picture = |src: &str| archive.picture(src).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(
            picture("report.files/image001.png").as_deref(),
            Some("image1")
        );
        assert_eq!(
            picture("./REPORT.files/image001.png").as_deref(),
            Some("image1")
        );
        assert_eq!(picture("cid:pic2@x").as_deref(), Some("image2"));
        assert_eq!(
            picture("https://www.example.gov.cn/pic/表.jpg").as_deref(),
            Some("image2")
        );
        assert_eq!(
            picture("/images/表.jpg").as_deref(),
            Some("image2"),
            "by its name"
        );
        assert_eq!(picture("report.htm"), None, "the page is no picture");
        assert_eq!(picture("other.png"), None);
        assert_eq!(
            resolved("https://a.gov.cn/x/y/page.html", "../img/t.png"),
            "https://a.gov.cn/x/img/t.png"
        );
        assert_eq!(
            resolved("https://a.gov.cn/x/page.html", "/t.png"),
            "https://a.gov.cn/t.png"
        );
        assert_eq!(
            resolved("https://a.gov.cn/x/page.html", "//b.cn/t.png"),
            "https://b.cn/t.png"
        );
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
