//! What the formats whose reading costs most (PDF, DOCX, Word 97, RTF) give before it is
//! made a document: their text and tables as extracted. A batch that reads a file twice
//! (first for its identity and prose, later for its audit) sets this aside the first time,
//! as bytes, and makes the document from them the second: the same document, without
//! parsing the file again (a PDF's content streams are most of what reading it costs).

use crate::document::{Document, Format};
use crate::grid::{CellBox, Grid, GridCell, GridSource};

/// A file's text and tables as its format gave them, or that it has no text (a scanned
/// PDF).
pub(crate) enum Extracted {
    Text {
        format: Format,
        text: String,
        grids: Vec<Grid>,
        /// Where pictures stand in `text`.
        pictures: Vec<usize>,
        /// The text is a PDF's OCR layer (`pdf::PdfText::ocr_layer`).
        ocr_layer: bool,
        /// The ranges of `text` OCR read in pictures (`pdf::PdfText::recognised`).
        recognised: Vec<std::ops::Range<usize>>,
    },
    NoText {
        format: Format,
    },
}

impl Extracted {
    /// The document the file is: what ingesting it gives.
    pub(crate) fn into_document(self, name: &str) -> Document {
        match self {
            Extracted::Text {
                format,
                text,
                grids,
                pictures,
                ocr_layer,
                recognised,
            } => {
                let encoding = encoding_label(format);
                let mut doc = Document::extracted(name, format, text, encoding, grids, &pictures);
                doc.ocr_layer = ocr_layer;
                doc.recognised = recognised;
                doc
            }
            Extracted::NoText { format } => Document::without_text(name, format),
        }
    }

    /// The extraction as bytes (`from_bytes` reads them back).
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Writer(Vec::new());
        match self {
            Extracted::Text {
                format,
                text,
                grids,
                pictures,
                ocr_layer,
                recognised,
            } => {
                out.u8(if *ocr_layer { TEXT_OF_OCR } else { TEXT });
                out.u8(format_code(*format));
                out.text(text);
                out.usize(grids.len());
                for grid in grids {
                    write_grid(&mut out, grid);
                }
                out.usize(pictures.len());
                for &at in pictures {
                    out.usize(at);
                }
                out.usize(recognised.len());
                for range in recognised {
                    out.usize(range.start);
                    out.usize(range.end);
                }
            }
            Extracted::NoText { format } => {
                out.u8(NO_TEXT);
                out.u8(format_code(*format));
            }
        }
        out.0
    }

    /// The extraction `to_bytes` wrote, or `None` when the bytes are not one.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Extracted> {
        let mut input = Reader(bytes);
        let has_text = input.u8()?;
        let format = format_of(input.u8()?)?;
        let extracted = match has_text {
            NO_TEXT => Extracted::NoText { format },
            TEXT | TEXT_OF_OCR => {
                let text = input.text()?;
                let count = input.usize()?;
                // Each grid takes more than one byte: a count beyond the bytes left is no
                // count `to_bytes` wrote.
                let mut grids = Vec::with_capacity(count.min(input.0.len()));
                for _ in 0..count {
                    grids.push(read_grid(&mut input)?);
                }
                let count = input.usize()?;
                let mut pictures = Vec::with_capacity(count.min(input.0.len()));
                for _ in 0..count {
                    pictures.push(input.usize()?);
                }
                let count = input.usize()?;
                let mut recognised = Vec::with_capacity(count.min(input.0.len()));
                for _ in 0..count {
                    recognised.push(input.usize()?..input.usize()?);
                }
                Extracted::Text {
                    format,
                    text,
                    grids,
                    pictures,
                    ocr_layer: has_text == TEXT_OF_OCR,
                    recognised,
                }
            }
            _ => return None,
        };
        input.0.is_empty().then_some(extracted)
    }
}

/// The first byte of an extraction's bytes: what it holds.
const NO_TEXT: u8 = 0;
const TEXT: u8 = 1;
const TEXT_OF_OCR: u8 = 2;

/// What a document says its text was decoded from, by format.
fn encoding_label(format: Format) -> &'static str {
    match format {
        Format::Pdf => "PDF text layer",
        Format::Zip => "DOCX text",
        Format::Rtf => "RTF text",
        Format::Ofd => "OFD text",
        Format::Doc => "Word 97 text",
        Format::WordXml => "Word XML text",
        _ => "extracted text",
    }
}

/// The formats whose reading extracts their text and tables.
pub(crate) const FORMATS: [Format; 6] = [
    Format::Pdf,
    Format::Zip,
    Format::Rtf,
    Format::Doc,
    Format::Ofd,
    Format::WordXml,
];

fn format_code(format: Format) -> u8 {
    FORMATS
        .iter()
        .position(|&f| f == format)
        .map_or(u8::MAX, |i| i as u8)
}

fn format_of(code: u8) -> Option<Format> {
    FORMATS.get(usize::from(code)).copied()
}

const SOURCES: [GridSource; 7] = [
    GridSource::Html,
    GridSource::Word,
    GridSource::Markdown,
    GridSource::TabText,
    GridSource::SpacedText,
    GridSource::PdfRuled,
    GridSource::PdfAligned,
];

fn write_grid(out: &mut Writer, grid: &Grid) {
    let source = SOURCES.iter().position(|&s| s == grid.source);
    out.u8(source.map_or(u8::MAX, |i| i as u8));
    out.usize(grid.n_rows);
    out.usize(grid.n_cols);
    out.u8(u8::from(grid.aligned));
    out.usize(grid.cells.len());
    for cell in &grid.cells {
        for n in [
            cell.row, cell.col, cell.rows, cell.cols, cell.start, cell.end,
        ] {
            out.usize(n);
        }
        out.text(&cell.text);
        match &cell.bbox {
            Some(b) => {
                out.u8(1);
                out.u64(u64::from(b.page));
                for x in [b.x0, b.top, b.x1, b.bottom] {
                    out.u64(x.to_bits());
                }
                out.u8(u8::from(b.last_line_full));
            }
            None => out.u8(0),
        }
        match cell.rest {
            Some((start, end)) => {
                out.u8(1);
                out.usize(start);
                out.usize(end);
            }
            None => out.u8(0),
        }
    }
}

fn read_grid(input: &mut Reader) -> Option<Grid> {
    let mut grid = Grid::new(*SOURCES.get(usize::from(input.u8()?))?);
    grid.n_rows = input.usize()?;
    grid.n_cols = input.usize()?;
    grid.aligned = input.flag()?;
    let count = input.usize()?;
    grid.cells = Vec::with_capacity(count.min(input.0.len()));
    for _ in 0..count {
        let mut place = [0; 6];
        for n in &mut place {
            *n = input.usize()?;
        }
        let [row, col, rows, cols, start, end] = place;
        let text = input.text()?;
        let bbox = match input.flag()? {
            true => Some(CellBox {
                page: u32::try_from(input.u64()?).ok()?,
                x0: f64::from_bits(input.u64()?),
                top: f64::from_bits(input.u64()?),
                x1: f64::from_bits(input.u64()?),
                bottom: f64::from_bits(input.u64()?),
                last_line_full: input.flag()?,
            }),
            false => None,
        };
        let rest = match input.flag()? {
            true => Some((input.usize()?, input.usize()?)),
            false => None,
        };
        grid.cells.push(GridCell {
            row,
            col,
            rows,
            cols,
            text,
            start,
            end,
            bbox,
            rest,
        });
    }
    Some(grid)
}

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, byte: u8) {
        self.0.push(byte);
    }

    fn u64(&mut self, n: u64) {
        self.0.extend_from_slice(&n.to_le_bytes());
    }

    fn usize(&mut self, n: usize) {
        self.u64(n as u64);
    }

    fn text(&mut self, text: &str) {
        self.usize(text.len());
        self.0.extend_from_slice(text.as_bytes());
    }
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (taken, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(taken)
    }

    fn u8(&mut self) -> Option<u8> {
        self.take(1).and_then(|b| b.first().copied())
    }

    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }

    fn u64(&mut self) -> Option<u64> {
        let bytes = self.take(8)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    }

    fn usize(&mut self) -> Option<usize> {
        usize::try_from(self.u64()?).ok()
    }

    fn text(&mut self) -> Option<String> {
        let len = self.usize()?;
        String::from_utf8(self.take(len)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What OCR read in a PDF's pictures is kept with its extraction.
    #[test]
    fn text_read_in_pictures_is_kept() {
        let table = 7..15;
        let extracted = Extracted::Text {
            format: Format::Pdf,
            text: "标题\n规章\t3\n".into(),
            grids: Vec::new(),
            pictures: vec![7],
            ocr_layer: false,
            recognised: vec![table.clone()],
        };
        let again = Extracted::from_bytes(&extracted.to_bytes()).expect("an extraction");
        let doc = again.into_document("r.pdf");
        assert_eq!(doc.recognised, [table]);
        assert!(doc.was_recognised(8, 9) && !doc.was_recognised(0, 6));
        assert!(doc.was_recognised(7, 7), "an empty range where OCR read");
    }
}
