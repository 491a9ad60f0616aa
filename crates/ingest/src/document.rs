use crate::decode::Decoded;
use crate::normalise::normalise_char;
use nianbao_model::SourceSpan;

/// What kind of file the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Html,
    Pdf,
    Zip,
}

impl Format {
    /// From magic bytes first, then from the extension.
    pub fn sniff(name: &str, bytes: &[u8]) -> Format {
        if bytes.starts_with(b"%PDF") {
            return Format::Pdf;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return Format::Zip;
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            return Format::Html;
        }
        let head = &bytes[..bytes.len().min(512)];
        let head = String::from_utf8_lossy(head).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return Format::Html;
        }
        Format::Text
    }
}

/// One line of the normalised text: byte range in [`Document::text`] (without the `\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// 1-based line number in the original file.
    pub number: u32,
}

/// A report's text, normalised for parsing, with the way back to the original bytes.
#[derive(Debug)]
pub struct Document {
    pub name: String,
    pub format: Format,
    pub encoding: &'static str,
    /// The normalised text; lines end with `\n`.
    pub text: String,
    lines: Vec<Line>,
    /// For every byte of `text` (and one past its end): the original byte offset.
    original: Vec<usize>,
}

impl Document {
    pub(crate) fn new(name: &str, format: Format, decoded: Decoded) -> Document {
        let mut text = String::with_capacity(decoded.text.len());
        let mut original = Vec::with_capacity(decoded.text.len() + 1);
        let mut chars = decoded
            .text
            .chars()
            .zip(decoded.char_offsets.iter().copied());
        let mut pending = chars.next();
        while let Some((ch, at)) = pending {
            pending = chars.next();
            let out = if ch == '\r' {
                // "\r\n" and a lone "\r" both end a line; the "\n" starts where "\r" does.
                if matches!(pending, Some(('\n', _))) {
                    pending = chars.next();
                }
                Some('\n')
            } else {
                normalise_char(ch)
            };
            if let Some(out) = out {
                text.push(out);
                original.resize(text.len(), at);
            }
        }
        original.push(*decoded.char_offsets.last().unwrap_or(&0));
        let lines = split_lines(&text);
        Document {
            name: name.to_string(),
            format,
            encoding: decoded.encoding,
            text,
            lines,
            original,
        }
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn line_text(&self, line: &Line) -> &str {
        &self.text[line.start..line.end]
    }

    /// The original byte offset of a position of the normalised text.
    pub fn original_offset(&self, pos: usize) -> usize {
        self.original[pos.min(self.original.len() - 1)]
    }

    /// The span, in the original file, of a byte range of the normalised text.
    pub fn span(&self, start: usize, end: usize) -> SourceSpan {
        let line_index = self
            .lines
            .partition_point(|l| l.start <= start)
            .saturating_sub(1);
        let (number, column) = match self.lines.get(line_index) {
            Some(line) => {
                let from = line.start.min(start);
                let column = self.text[from..start].chars().count() as u32 + 1;
                (line.number, column)
            }
            None => (1, 1),
        };
        SourceSpan {
            start: self.original_offset(start),
            end: self.original_offset(end),
            line: number,
            column,
        }
    }
}

fn split_lines(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut start = 0;
    for (number, piece) in text.split_inclusive('\n').enumerate() {
        let end = start + piece.trim_end_matches('\n').len();
        lines.push(Line {
            start,
            end,
            number: number as u32 + 1,
        });
        start += piece.len();
    }
    lines
}

#[cfg(test)]
mod tests {
    use crate::from_bytes;

    #[test]
    fn spans_point_into_the_original_bytes_and_lines() {
        let text = "标题\r\n规章\t０\t１\r\n";
        let doc = from_bytes("t.txt", text.as_bytes()).unwrap();
        assert_eq!(doc.text, "标题\n规章\t0\t1\n");
        let one = doc.text.find('1').unwrap();
        let span = doc.span(one, one + 1);
        assert_eq!((span.line, span.column), (2, 6));
        assert_eq!(&text.as_bytes()[span.start..span.end], "１".as_bytes());
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(matches!(
            from_bytes("e.txt", b" \n"),
            Err(crate::IngestError::Empty)
        ));
        assert!(matches!(
            from_bytes(
                "b.bin",
                &[0x00, 0x9F, 0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x13]
            ),
            Err(crate::IngestError::Binary(_) | crate::IngestError::UnknownEncoding { .. })
        ));
    }
}
