//! Ingest: turn the bytes of a report into a [`Document`].
//!
//! A document is the report's text, decoded (UTF-8, UTF-16, GB18030/GBK, detected rather
//! than guessed) and normalised for parsing (full-width digits, letters and brackets to
//! ASCII, odd spaces to plain spaces, line endings to `\n`), together with a map from every
//! position of that text back to the original bytes, so that whatever the parser finds can
//! be reported at the right byte, line and column of the file the user gave.

mod decode;
mod document;
mod docx;
mod html;
mod markdown;
mod normalise;
mod pdf;

pub use decode::Decoded;
pub use document::{Document, Format, Grid, GridCell, Line};

use std::path::Path;

/// Files larger than this are refused rather than read (configurable by the caller).
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("this is a binary file, not a report ({0})")]
    Binary(String),
    #[error("the text encoding could not be determined: not valid UTF-8 or UTF-16, and not valid as {guess}")]
    UnknownEncoding { guess: String },
    #[error("{0} files are not supported yet (supported: plain text, Markdown, HTML, PDF, DOCX)")]
    Unsupported(&'static str),
    #[error("over a limit: {0}")]
    Limit(String),
    #[error("{0}")]
    Corrupt(String),
}

/// Reads a file (read-only) and ingests it.
pub fn read_path(path: &Path, max_bytes: u64) -> Result<Document, IngestError> {
    let size = std::fs::metadata(path)?.len();
    if size > max_bytes {
        return Err(IngestError::TooLarge {
            size,
            limit: max_bytes,
        });
    }
    let bytes = std::fs::read(path)?;
    from_bytes(&path.to_string_lossy(), &bytes)
}

/// Ingests at most the first `limit` bytes of a file: enough to identify a report (title,
/// organ, year) cheaply. A multi-byte character cut at the end is dropped.
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
    from_bytes(&path.to_string_lossy(), &bytes)
}

/// Ingests bytes; `name` is what spans and messages call the file.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Document, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    let format = Format::sniff(name, bytes);
    let text = |declared| -> Result<Decoded, IngestError> {
        let decoded = decode::decode_with_hint(bytes, declared)?;
        decode::reject_binary(&decoded.text)?;
        tracing::debug!(file = name, encoding = decoded.encoding, ?format, "decoded");
        Ok(decoded)
    };
    match format {
        Format::Text => Ok(Document::plain(name, format, &text(None)?)),
        Format::Markdown => Ok(markdown::read(name, &text(None)?)),
        Format::Html => html::read(name, &text(decode::html_charset(bytes))?),
        Format::Pdf => match pdf::text_of(bytes)? {
            Some(text) => {
                // A PDF's spans refer to its extracted text: it has no lines of its own.
                let decoded = Decoded::from_text(text, "PDF text layer");
                Ok(Document::plain(name, format, &decoded))
            }
            None => Ok(Document::without_text(name, format)),
        },
        Format::Zip => {
            let (text, grids) = docx::text_of(bytes, docx::DEFAULT_LIMITS)?;
            let mut doc = Document::plain(name, format, &Decoded::from_text(text, "DOCX text"));
            doc.tables = grids;
            Ok(doc)
        }
    }
}
