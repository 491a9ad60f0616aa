//! Ingest: turn the bytes of a report into a [`Document`].
//!
//! A document is the report's text, decoded (UTF-8, UTF-16, GB18030/GBK, detected rather
//! than guessed) and normalised for parsing (full-width digits, letters and brackets to
//! ASCII, odd spaces to plain spaces, line endings to `\n`), together with a map from every
//! position of that text back to the original bytes, so that whatever the parser finds can
//! be reported at the right byte, line and column of the file the user gave.

mod cell_rows;
mod decode;
mod doc;
mod document;
pub mod docx;
mod extraction;
mod grid;
mod html;
mod ideographs;
mod markdown;
mod mht;
mod normalise;
pub mod ocr;
mod ofd;
mod pdf;
mod pieces;
mod rtf;
mod scan;
mod spaced;
#[cfg(test)]
mod test_strings;
pub mod wordml;
mod xls;
mod xlsx;
mod zipped;

pub use decode::Decoded;
pub use document::{Document, Format, Line, SpanCursor};
pub use docx::ZipLimits;
pub use grid::{CellBox, Grid, GridCell, GridSource};
pub use pieces::PieceMap;
pub use scan::{
    is_without_whitespace, line_ranges, next_whitespace, whitespace_runs, without_whitespace,
};

use extraction::Extracted;
use std::path::Path;

/// Files larger than this are refused rather than read (see [`Limits`]).
const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What one file may cost; past any of these the file is refused with a clear error.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Size of the file itself (PDF and DOCX with images are large).
    pub max_file_bytes: u64,
    /// Size of the text once decoded or extracted (a report is rarely over 1 MB of text).
    pub max_text_bytes: usize,
    /// Longest line of that text.
    pub max_line_bytes: usize,
    /// Deepest nesting of HTML elements.
    pub max_html_depth: usize,
    pub pdf: pdf::PdfLimits,
    pub zip: docx::ZipLimits,
    /// A PDF without a text layer (a scan) is read by OCR ([`ocr`]) rather than reported
    /// as having no text, and so are the pictures that may be tables in a PDF, a Word file
    /// or a web page: slow (seconds a page), and it needs tesseract installed.
    pub ocr: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: DEFAULT_MAX_BYTES,
            max_text_bytes: 8 * 1024 * 1024,
            max_line_bytes: 2 * 1024 * 1024,
            max_html_depth: html::MAX_DEPTH,
            pdf: pdf::DEFAULT_LIMITS,
            zip: docx::DEFAULT_LIMITS,
            ocr: false,
        }
    }
}

fn check_text_size(len: usize, limits: &Limits) -> Result<(), IngestError> {
    if len > limits.max_text_bytes {
        return Err(IngestError::Limit(format!(
            "{len} bytes of text, more than {}",
            limits.max_text_bytes
        )));
    }
    Ok(())
}

fn check_text(text: &str, limits: &Limits) -> Result<(), IngestError> {
    check_text_size(text.len(), limits)?;
    // No line is longer than the whole text.
    if text.len() <= limits.max_line_bytes {
        return Ok(());
    }
    let longest = text.split('\n').map(str::len).max().unwrap_or(0);
    if longest > limits.max_line_bytes {
        return Err(IngestError::Limit(format!(
            "a line of {longest} bytes, longer than {}",
            limits.max_line_bytes
        )));
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("无法读取文件：{0}")]
    Io(#[from] std::io::Error),
    #[error("文件为空")]
    Empty,
    #[error("文件有 {size} 字节，超过上限 {limit} 字节")]
    TooLarge { size: u64, limit: u64 },
    #[error("这是二进制文件，不是报告（{0}）")]
    Binary(String),
    #[error("无法判断文本编码：既不是有效的 UTF-8、UTF-16，也不是有效的 {guess}")]
    UnknownEncoding { guess: String },
    #[error("暂不支持 {0} 文件（支持：纯文本、Markdown、HTML、MHT、PDF、DOCX、DOC、RTF）")]
    Unsupported(&'static str),
    #[error("超过限制：{0}")]
    Limit(String),
    #[error("{0}")]
    Corrupt(String),
    /// A PDF that draws text whose fonts do not say what it is (no ToUnicode map, a CMap
    /// that is no encoding of text): not a scan, but nothing of it can be read here.
    #[error("PDF 画有 {0} 个文字，但其字体没有文字映射（ToUnicode），文字无法提取：这不是扫描件，是本工具无法读出其文字；可向报送单位索取可复制文字的 PDF 或 Word 版")]
    NoUnicode(usize),
    /// OCR was asked for a scan and could not be done (a program missing or failing).
    #[error("扫描件无法 OCR 识别：{0}")]
    Ocr(String),
}

/// Reads a file (read-only) and ingests it within `limits`.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Document, IngestError> {
    let bytes = read_bytes(path, limits)?;
    from_file_bytes(path, &bytes, limits)
}

/// Ingests the bytes of the file at `path` within `limits`: as `from_bytes_limited` does,
/// but a saved web page's pictures may be read from its folder (with OCR asked for).
pub fn from_file_bytes(
    path: &Path,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Document, IngestError> {
    let folder = path.parent().map(|p| match p.as_os_str().is_empty() {
        true => Path::new("."),
        false => p,
    });
    ingest(&path.to_string_lossy(), bytes, limits, Tables::All, folder)
}

fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    // The size is asked of the open file (one path lookup a read, not two).
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let too_large = |size: u64| IngestError::TooLarge {
        size,
        limit: limits.max_file_bytes,
    };
    if size > limits.max_file_bytes {
        return Err(too_large(size));
    }
    // Read into a buffer of the file's size and a byte more, which a file grown since it
    // was sized fills (`File::read_to_end` would ask the size and position again: two more
    // system calls a file, and every file is read twice).
    let mut bytes = vec![0; usize::try_from(size).unwrap_or(0) + 1];
    let mut filled = 0;
    loop {
        if filled == bytes.len() {
            if filled as u64 > limits.max_file_bytes {
                return Err(too_large(filled as u64));
            }
            let limit = usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX);
            bytes.resize(filled.saturating_mul(2).min(limit.saturating_add(1)), 0);
        }
        match file.read(&mut bytes[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e.into()),
        }
    }
    if filled as u64 > limits.max_file_bytes {
        return Err(too_large(filled as u64));
    }
    bytes.truncate(filled);
    Ok(bytes)
}

/// A file's words, for comparing it with other files, not for pointing into it: plain text
/// and Markdown are only decoded (several times cheaper than ingesting them), other formats
/// are ingested.
pub fn read_words(path: &Path, limits: &Limits) -> Result<String, IngestError> {
    let bytes = read_bytes(path, limits)?;
    let name = path.to_string_lossy();
    match Format::sniff(&name, &bytes) {
        Format::Text | Format::Markdown => {
            let text = decode::decode_text(&bytes)?;
            check_text_size(text.len(), limits)?;
            Ok(text)
        }
        // A page's text as ingesting it gives it (the same checks, in the same order),
        // without building the rest of a document.
        Format::Html => {
            if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                return Err(IngestError::Empty);
            }
            let declared = decode::html_charset(&bytes);
            let decoded = decoded_text(&name, &bytes, declared, Format::Html, limits)?;
            let text = html::words(&decoded, limits.max_html_depth)?;
            check_text(&text, limits)?;
            Ok(text)
        }
        _ => Ok(from_bytes_limited(&name, &bytes, limits)?.text),
    }
}

/// Ingests at most the first `limit` bytes of a file: enough to identify a report (title,
/// organ, year) cheaply. A multi-byte character cut at the end is dropped, and plain
/// text's tables are not looked for (its text is the same without them).
pub fn read_prefix(path: &Path, limit: usize) -> Result<Document, IngestError> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(limit);
    std::fs::File::open(path)?
        .take(limit as u64)
        .read_to_end(&mut bytes)?;
    if bytes.len() == limit {
        if let Err(e) = std::str::from_utf8(&bytes) {
            if e.error_len().is_none() {
                bytes.truncate(e.valid_up_to());
            }
        }
    }
    ingest(
        &path.to_string_lossy(),
        &bytes,
        &Limits::default(),
        Tables::Text,
        None,
    )
}

/// A document of text already decoded, its tables not looked for: for reading what a
/// report says of itself (title, organ, year) cheaply. Its text is what ingesting the text
/// as a plain text file gives.
pub fn from_text(name: &str, text: &str) -> Document {
    let decoded = Decoded::from_text(text.to_string(), "UTF-8");
    Document::plain(name, Format::Text, decoded)
}

/// Ingests bytes; `name` is what spans and messages call the file.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Document, IngestError> {
    from_bytes_limited(name, bytes, &Limits::default())
}

/// The bytes decoded (a declared charset tried first) and checked: not binary, not too
/// large. Checked before HTML is tokenized; the line limit is checked on the final text.
fn decoded_text(
    name: &str,
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
    format: Format,
    limits: &Limits,
) -> Result<Decoded, IngestError> {
    let decoded = decode::decode_with_hint(bytes, declared)?;
    decode::reject_binary(&decoded.text)?;
    check_text_size(decoded.text.len(), limits)?;
    tracing::debug!(file = name, encoding = decoded.encoding, ?format, "decoded");
    Ok(decoded)
}

/// A web page's bytes (a charset declared for them tried first) read within `limits`; the
/// file's `format` is what the log says it was (a web page, or an archive holding one).
/// With OCR asked for, its pictures found in `pictures` are read.
fn web_page(
    name: &str,
    bytes: &[u8],
    declared: Option<&'static encoding_rs::Encoding>,
    format: Format,
    limits: &Limits,
    pictures: ocr::PictureFiles,
) -> Result<Document, IngestError> {
    let decoded = decoded_text(name, bytes, declared, format, limits)?;
    let doc = match limits.ocr {
        false => html::read(name, decoded, limits.max_html_depth)?,
        true => html::read_with_pictures(name, decoded, limits.max_html_depth, |root| {
            ocr::with_pictures_read(root, &pictures, limits, name)
        })?,
    };
    check_text(&doc.text, limits)?;
    Ok(doc)
}

/// Ingests bytes within `limits`.
pub fn from_bytes_limited(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Document, IngestError> {
    ingest(name, bytes, limits, Tables::All, None)
}

/// Which tables ingesting looks for: those of every format, or only those that make the
/// text (a web page's, a Markdown file's), not plain text's.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tables {
    All,
    Text,
}

/// Ingests bytes; `folder` is the one the file is in, when it was read from one.
fn ingest(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
    tables: Tables,
    folder: Option<&Path>,
) -> Result<Document, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    let format = Format::sniff(name, bytes);
    let text = |declared| decoded_text(name, bytes, declared, format, limits);
    match format {
        Format::Text => {
            let decoded = text(None)?;
            check_text(&decoded.text, limits)?;
            let mut doc = Document::plain(name, format, decoded);
            if tables == Tables::Text {
                return Ok(doc);
            }
            let spaced = spaced::grids(&doc);
            doc.grids = grid::tab_grids(&doc.text);
            doc.grids.extend(spaced);
            Ok(doc)
        }
        Format::Markdown => {
            let decoded = text(None)?;
            check_text(&decoded.text, limits)?;
            Ok(markdown::read(name, decoded))
        }
        Format::Html => {
            let pictures = ocr::PictureFiles::Page { folder };
            let declared = decode::html_charset(bytes);
            web_page(name, bytes, declared, format, limits, pictures)
        }
        Format::Pdf | Format::Ofd | Format::Zip | Format::Rtf | Format::Doc | Format::WordXml => {
            Ok(extract(name, format, bytes, limits)?.into_document(name))
        }
        Format::Mht => {
            let archive = mht::Archive::open(bytes)?;
            let (page, declared) = archive.page()?;
            let declared = declared.or_else(|| decode::html_charset(&page));
            let pictures = ocr::PictureFiles::Archive(&archive);
            let mut doc = web_page(name, &page, declared, format, limits, pictures)?;
            doc.format = Format::Mht;
            Ok(doc)
        }
    }
}

/// The text and tables of a file of a format whose reading extracts them (PDF, DOCX, Word
/// 97, RTF), checked against `limits`.
fn extract(
    name: &str,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Extracted, IngestError> {
    let extracted = match format {
        Format::Pdf | Format::Ofd => match laid_out(name, format, bytes, limits)? {
            Some(found) => Extracted::Text {
                format,
                text: found.text,
                grids: found.grids,
                pictures: found.pictures,
                ocr_layer: found.ocr_layer,
                recognised: found.recognised,
            },
            None => return Ok(Extracted::NoText { format }),
        },
        Format::Zip => word_file(name, bytes, limits)?,
        Format::Rtf => typed(format, rtf::text_of(bytes, limits.max_text_bytes)?),
        Format::Doc => typed(
            format,
            doc::text_of(bytes, limits.max_text_bytes, limits.zip)?,
        ),
        Format::WordXml => {
            let found = wordml::text_of(bytes)?;
            typed(format, (found.text, found.grids, found.pictures))
        }
        _ => return Err(IngestError::Unsupported("extraction")),
    };
    if let Extracted::Text { text, .. } = &extracted {
        check_text(text, limits)?;
    }
    Ok(extracted)
}

/// The pages of a fixed-layout file (PDF, OFD) laid out as text, `None` when they hold
/// none. With OCR asked for, a scan is read by it, and so are a typed PDF's pictures that
/// may be tables.
fn laid_out(
    name: &str,
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Option<pdf::PdfText>, IngestError> {
    let found = match format {
        Format::Ofd => return ofd::text_of(bytes, limits.zip, limits.pdf),
        _ => pdf::text_of(bytes, limits.pdf)?,
    };
    Ok(match found {
        None if limits.ocr => ocr::read_scan(bytes, limits.pdf)?,
        Some(found) if limits.ocr && !found.pictures.is_empty() && !found.ocr_layer => {
            // A picture OCR could not read leaves the typed text as it was.
            match ocr::text_reading_pictures(bytes, limits.pdf) {
                Ok(read) => read,
                Err(e) => {
                    tracing::warn!(file = name, "pictures not read by OCR: {e}");
                    Some(found)
                }
            }
        }
        found => found,
    })
}

/// A Word file (DOCX): its text and tables, and with OCR asked for, what OCR reads in its
/// pictures set in where they stand.
fn word_file(name: &str, bytes: &[u8], limits: &Limits) -> Result<Extracted, IngestError> {
    let read_chunk = |part: &str, chunk: &[u8]| chunk_of_another_format(part, chunk, limits);
    let found = docx::text_with_chunks(bytes, limits.zip, Some(&read_chunk))?;
    let as_typed =
        |found: docx::DocxText| typed(Format::Zip, (found.text, found.grids, found.pictures));
    if !limits.ocr || found.images.is_empty() {
        return Ok(as_typed(found));
    }
    match ocr::read_word_pictures(&found, bytes, limits.zip) {
        Ok(read) if read.is_empty() => Ok(as_typed(found)),
        Ok(read) => Ok(ocr::spliced(found, read)),
        // A picture OCR could not read leaves the typed text as it was.
        Err(e) => {
            tracing::warn!(file = name, "pictures not read by OCR: {e}");
            Ok(as_typed(found))
        }
    }
}

/// The text and tables of a DOCX's chunk of another format (`w:altChunk`), the part
/// `name`'s `bytes`: a web page, a single file web page, RTF or text, read within `limits`
/// (its pictures not read by OCR). A chunk that is itself a Word file or a PDF is not read.
fn chunk_of_another_format(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(String, Vec<grid::Grid>), IngestError> {
    // An XHTML page (docx4j's chunks) opens with an XML declaration: named so, it is read
    // as the web page it is.
    let lower = name.to_ascii_lowercase();
    let name = match lower.ends_with(".xhtml") || lower.ends_with(".xht") {
        true => format!("{name}.html"),
        false => name.to_string(),
    };
    let markup = bytes.trim_ascii_start().starts_with(b"<");
    match Format::sniff(&name, bytes) {
        // Markup of a kind not read (XML of another vocabulary) is not text of the report.
        Format::Text | Format::Markdown if markup => Err(IngestError::Unsupported(
            "a chunk of markup of another kind",
        )),
        Format::Html | Format::Mht | Format::Rtf | Format::Text | Format::Markdown => {
            let limits = Limits {
                ocr: false,
                ..*limits
            };
            let doc = ingest(&name, bytes, &limits, Tables::All, None)?;
            Ok((doc.text, doc.grids))
        }
        _ => Err(IngestError::Unsupported("a chunk of this format")),
    }
}

/// A format that holds typed text only (nothing of it recognised by OCR): its text, tables
/// and pictures as extracted.
fn typed(format: Format, (text, grids, pictures): (String, Vec<Grid>, Vec<usize>)) -> Extracted {
    Extracted::Text {
        format,
        text,
        grids,
        pictures,
        ocr_layer: false,
        recognised: Vec::new(),
    }
}

/// Reads a file (read-only) and ingests it within `limits`, as `read_path` does; for a
/// format whose reading extracts its text (PDF, DOCX, Word 97, RTF), the extraction too, as
/// bytes from which `from_extraction` makes the same document without reading the file
/// again (a batch that reads a file twice sets them aside the first time).
pub fn read_path_keeping_extraction(
    path: &Path,
    limits: &Limits,
) -> Result<(Document, Option<Vec<u8>>), IngestError> {
    let bytes = read_bytes(path, limits)?;
    let name = path.to_string_lossy();
    let format = Format::sniff(&name, &bytes);
    let extracts = extraction::FORMATS.contains(&format);
    if !extracts || bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok((from_file_bytes(path, &bytes, limits)?, None));
    }
    let extracted = extract(&name, format, &bytes, limits)?;
    let kept = extracted.to_bytes();
    Ok((extracted.into_document(&name), Some(kept)))
}

/// The document of the file `name` from its extraction as `read_path_keeping_extraction`
/// gave it; `None` when the bytes are not such an extraction.
pub fn from_extraction(name: &str, extraction: &[u8]) -> Option<Document> {
    Extracted::from_bytes(extraction).map(|e| e.into_document(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_read_whole_and_held_to_the_size_limit() {
        let dir = std::env::temp_dir();
        let limits = |max_file_bytes| Limits {
            max_file_bytes,
            ..Limits::default()
        };
        for (name, len) in [("empty", 0), ("small", 5), ("larger", 100_000)] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
            let path = dir.join(format!("nianbao-read-{name}-{}", std::process::id()));
            std::fs::write(&path, &bytes).unwrap();
            let whole = read_bytes(&path, &limits(len as u64));
            let over = read_bytes(&path, &limits((len as u64).saturating_sub(1)));
            std::fs::remove_file(&path).unwrap();
            assert_eq!(whole.unwrap(), bytes, "{name}");
            match (len, over) {
                (0, Ok(read)) => assert!(read.is_empty()),
                (_, Err(IngestError::TooLarge { size, .. })) => assert_eq!(size, len as u64),
                (_, other) => panic!("{name}: {other:?}"),
            }
        }
    }

    /// A file longer than its size says (Linux's /proc files say 0) is read to its end, and
    /// still held to the limit.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_longer_than_its_stated_size_is_read_to_its_end() {
        let path = Path::new("/proc/self/status");
        let limits = |max_file_bytes| Limits {
            max_file_bytes,
            ..Limits::default()
        };
        let read = read_bytes(path, &limits(1 << 20)).unwrap();
        assert!(String::from_utf8_lossy(&read).contains("\nPid:"));
        assert!(matches!(
            read_bytes(path, &limits(10)),
            Err(IngestError::TooLarge { limit: 10, .. })
        ));
    }

    #[test]
    fn a_prefix_is_read_as_the_whole_is_but_for_plain_texts_tables() {
        let text = "某县2023年政府信息公开工作年度报告\n规章\t1\t2\n规范性文件\t3\t4\n末行";
        let path = std::env::temp_dir().join(format!("nianbao-top-{}.txt", std::process::id()));
        std::fs::write(&path, text).unwrap();
        let top = read_prefix(&path, 1024);
        std::fs::remove_file(&path).unwrap();
        let top = top.unwrap();
        let whole = from_bytes(&path.to_string_lossy(), text.as_bytes()).unwrap();
        assert_eq!(
            (top.text.as_str(), top.lines()),
            (whole.text.as_str(), whole.lines())
        );
        assert!(top.grids.is_empty() && !whole.grids.is_empty());
        let last = whole.text.len();
        assert_eq!(top.span(0, last), whole.span(0, last));
    }

    #[test]
    fn a_pages_words_are_its_ingested_text() {
        let (gbk, _, _) = encoding_rs::GBK.encode(
            "<html><head><meta charset=\"gbk\"></head><body><p>规章&nbsp;　制发</p></body></html>",
        );
        let deep = "<div>".repeat(html::MAX_DEPTH + 1);
        let pages: [&[u8]; 6] = [
            "<p>二、主动公开</p><script>var a='<p>x</p>';</script>\n<table><tr><td>规章</td><td>&amp;1</td></tr></table> 尾".as_bytes(),
            // Merged cells, a cell of several lines, and a layout table holding a data table.
            "<table><tr><td rowspan=2>一</td><td colspan=2>a\n b</td></tr><tr><td>2</td><td> 3 </td></tr></table>\
             <table><tr><td><p>版面</p><table><tr><td>内</td><td>4</td></tr></table></td></tr></table>".as_bytes(),
            &gbk,
            b"  \n ",
            deep.as_bytes(),
            "<p>a\u{0}b</p>".as_bytes(),
        ];
        let limits = Limits::default();
        for (k, page) in pages.iter().enumerate() {
            let path =
                std::env::temp_dir().join(format!("nianbao-words-{}-{k}.html", std::process::id()));
            std::fs::write(&path, page).unwrap();
            let words = read_words(&path, &limits).map_err(|e| e.to_string());
            let ingested = from_bytes_limited(&path.to_string_lossy(), page, &limits)
                .map(|d| d.text)
                .map_err(|e| e.to_string());
            std::fs::remove_file(&path).unwrap();
            assert_eq!(words, ingested, "page {k}");
        }
    }
}
