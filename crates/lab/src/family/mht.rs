//! Single file web pages (MHT) as Word saves them ("网页，单个文件"): the page in the code
//! page (GBK, declared gb2312) and quoted-printable, in a multipart/related MIME message
//! beside the files it lists. The page is LibreOffice's export of the lab's DOCX (another
//! writer's HTML); this layout wraps it as Word wraps its own.

use crate::LabError;
use base64::Engine;
use std::path::{Path, PathBuf};

const BOUNDARY: &str = "----=_NextPart_01DA4C2E.7F3B2A10";

/// Wraps the web page at `page` into an archive beside it (`.mht`), which replaces it.
pub fn archive(page: &Path) -> Result<PathBuf, LabError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |e| LabError::Io(path, e)
    };
    let html = std::fs::read_to_string(page).map_err(io(page))?;
    let out = page.with_extension("mht");
    std::fs::write(&out, wrap(&html, &[])).map_err(io(&out))?;
    std::fs::remove_file(page).map_err(io(page))?;
    Ok(out)
}

/// The address of the folder Word files a page's pictures in, as its archive's page names
/// them (`src="report.files/image001.png"`).
pub const PICTURES_FOLDER: &str = "report.files";

/// The archive of a page and its `pictures` (each its file name in `PICTURES_FOLDER`, its
/// media type and its bytes): the page's charset declared as gb2312 and its characters in
/// GBK (one GBK lacks becomes a character reference, as Word writes it), the pictures in
/// base64.
pub fn wrap(html: &str, pictures: &[(String, &str, Vec<u8>)]) -> Vec<u8> {
    let html = replace_ignoring_case(html, "charset=utf-8", "charset=gb2312");
    let (page, _, _) = encoding_rs::GBK.encode(&html);
    let mut out = format!(
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"{BOUNDARY}\"\r\n\r\n\
         This document is a Single File Web Page, also known as a Web Archive file.  If you \
         are seeing this message, your browser or editor doesn't support Web Archive files.\r\n\r\n\
         --{BOUNDARY}\r\nContent-Location: file:///C:/D3A2B1C0/report.htm\r\n\
         Content-Transfer-Encoding: quoted-printable\r\n\
         Content-Type: text/html; charset=\"gb2312\"\r\n\r\n"
    );
    out.push_str(&quoted_printable(&page));
    for (name, media_type, bytes) in pictures {
        out.push_str(&format!(
            "\r\n--{BOUNDARY}\r\nContent-Location: file:///C:/D3A2B1C0/{PICTURES_FOLDER}/{name}\r\n\
             Content-Transfer-Encoding: base64\r\nContent-Type: {media_type}\r\n\r\n"
        ));
        let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
        for line in encoded.as_bytes().chunks(76) {
            out.push_str(&String::from_utf8_lossy(line));
            out.push_str("\r\n");
        }
    }
    out.push_str(&format!(
        "\r\n--{BOUNDARY}\r\nContent-Location: file:///C:/D3A2B1C0/report.files/filelist.xml\r\n\
         Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/xml; charset=\"utf-8\"\r\n\r\n\
         <xml xmlns:o=3D\"urn:schemas-microsoft-com:office:office\">\r\n \
         <o:MainFile HRef=3D\"../report.htm\"/>\r\n</xml>\r\n--{BOUNDARY}--\r\n"
    ));
    out.into_bytes()
}

fn replace_ignoring_case(text: &str, from: &str, to: &str) -> String {
    match text.to_ascii_lowercase().find(from) {
        Some(at) => format!("{}{to}{}", &text[..at], &text[at + from.len()..]),
        None => text.to_string(),
    }
}

/// Quoted-printable as Word writes it: lines of at most 76 characters ended by a soft
/// break ("="), every byte outside printable ASCII and every "=" as `=XX` (a character's
/// two bytes may fall on two lines), a space before a line break too, breaks as CRLF.
pub(super) fn quoted_printable(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    let mut line = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let before_break = matches!(bytes.get(i + 1), None | Some(b'\r' | b'\n'));
        let piece = match b {
            b'\r' => continue,
            b'\n' => {
                out.push_str("\r\n");
                line = 0;
                continue;
            }
            b' ' | b'\t' if before_break => format!("={b:02X}"),
            b'=' => "=3D".to_string(),
            0x20..=0x7E => char::from(b).to_string(),
            _ => format!("={b:02X}"),
        };
        if line + piece.len() > 75 {
            out.push_str("=\r\n");
            line = 0;
        }
        out.push_str(&piece);
        line += piece.len();
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_stay_short_and_every_byte_comes_back() {
        let page = "<p class=MsoNormal>一、总体情况</p> \n".repeat(5);
        let (gbk, _, _) = encoding_rs::GBK.encode(&page);
        let qp = super::quoted_printable(&gbk);
        assert!(qp.split("\r\n").all(|l| l.len() <= 76), "{qp}");
        assert!(qp.contains("=20\r\n") && qp.contains("=3D"));
        // Undone by hand: soft breaks dropped, =XX decoded, CRLF to LF.
        let joined = qp.replace("=\r\n", "").replace("\r\n", "\n");
        let mut bytes = Vec::new();
        let mut rest = joined.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            match b {
                b'=' => {
                    let hex = std::str::from_utf8(&tail[..2]).unwrap();
                    bytes.push(u8::from_str_radix(hex, 16).unwrap());
                    rest = &tail[2..];
                }
                _ => {
                    bytes.push(b);
                    rest = tail;
                }
            }
        }
        assert_eq!(bytes, gbk.as_ref());
    }
}
