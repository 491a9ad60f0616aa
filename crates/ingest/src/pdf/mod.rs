//! PDF with a text layer: glyphs placed by the content streams ([`content`]); tables found
//! by their ruling lines ([`ruling`]), their glyphs assigned to cells by position; the rest
//! grouped into lines by baseline, wide gaps as tabs ([`page`]).
//!
//! Candidates compared on the Hongze report (corpus 003, WPS-made, CID fonts): pdf-extract
//! 0.7 panics on its Identity-V font (an assertion, not an error), so this reader uses
//! lopdf for objects and content streams and does the text positioning itself: the text
//! and graphics matrices, ToUnicode maps, glyph widths. Spans of a PDF report refer to the
//! extracted text (its lines and columns), since a PDF has no line of its own.

pub(crate) mod aligned;
mod codes;
mod content;
mod decrypt;
mod fonts;
mod nesting;
mod operations;
mod page;

pub(crate) use content::{Glyph, PageContent, Path, Segment, MOST_IMAGES};

/// The text of glyphs read as lines, top to bottom, joined.
pub(crate) fn lines_text(glyphs: Vec<Glyph>) -> String {
    page::lines(glyphs)
        .iter()
        .map(|l| page::line_text(l, false))
        .collect()
}
mod ruling;
mod stacked;

pub(crate) use page::may_be_table;
pub(crate) use ruling::{tables as ruled_tables, RuledTable};

use crate::grid::Grid;
use crate::IngestError;

/// What reading one PDF may cost (limits against hostile input).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PdfLimits {
    pub max_pages: usize,
    /// Objects in the file (a report has hundreds to a few tens of thousands).
    pub max_objects: usize,
    /// Wall-clock time for laying out the text of all pages.
    pub max_seconds: u64,
}

/// Fewer chars of text than this and a PDF has no text layer (a scan's page numbers, a
/// stamp's date are not one).
const MIN_TEXT_CHARS: usize = 20;

pub const DEFAULT_LIMITS: PdfLimits = PdfLimits {
    max_pages: 2_000,
    max_objects: 500_000,
    max_seconds: 60,
};

/// A PDF's text layer as read.
#[derive(Debug, Default)]
pub struct PdfText {
    /// The pages' text, page by page.
    pub text: String,
    /// The ruled tables, as ranges in `text`.
    pub grids: Vec<Grid>,
    /// Where images as wide as a table stand in `text`.
    pub pictures: Vec<usize>,
    /// Most of the text is drawn invisible (rendering mode 3) or under an opaque image of
    /// the page: the layer OCR software lays over or under a scan's page images. Its text
    /// was recognised, not typed, and may be misread.
    pub ocr_layer: bool,
    /// The ranges of `text` laid out from the words OCR read in images of pages that have
    /// a text layer (tables printed as pictures; `ocr::text_reading_pictures`).
    pub recognised: Vec<std::ops::Range<usize>>,
}

/// The text layer of a PDF, page by page, with its ruled tables as grids (ranges in that
/// text). `Ok(None)`: the PDF has no text (a scan). A PDF library panic on hostile input is
/// caught and becomes this file's error.
pub fn text_of(bytes: &[u8], limits: PdfLimits) -> Result<Option<PdfText>, IngestError> {
    text_with(bytes, limits, |_, _| Ok(()))
}

/// The text layer as [`text_of`] reads it, each page's content first given to `each_page`
/// (with the page's number, from 1), which may add to it (the words OCR reads in its
/// pictures).
pub(crate) fn text_with(
    bytes: &[u8],
    limits: PdfLimits,
    each_page: impl FnMut(usize, &mut PageContent) -> Result<(), IngestError>,
) -> Result<Option<PdfText>, IngestError> {
    let mut each_page = std::panic::AssertUnwindSafe(each_page);
    let read = std::panic::AssertUnwindSafe(|| read_text(bytes, limits, &mut *each_page));
    std::panic::catch_unwind(read).unwrap_or_else(|_| {
        Err(IngestError::Corrupt(
            "the PDF could not be read (malformed structure)".into(),
        ))
    })
}

fn read_text(
    bytes: &[u8],
    limits: PdfLimits,
    mut each_page: impl FnMut(usize, &mut PageContent) -> Result<(), IngestError>,
) -> Result<Option<PdfText>, IngestError> {
    let started = std::time::Instant::now();
    let pdf = nesting::load(bytes)?;
    if pdf.objects.len() > limits.max_objects {
        return Err(IngestError::Limit(format!(
            "{} PDF objects, more than {}",
            pdf.objects.len(),
            limits.max_objects
        )));
    }
    let pages = pdf.get_pages();
    within_pages(pages.len(), limits)?;
    let mut laid_out = LaidOut::default();
    let mut fonts = fonts::Fonts::default();
    for (n, (_, page)) in pages.into_iter().enumerate() {
        // Checked between pages: one page's content is bounded by the file size limit.
        check_time(started, limits, n, "PDF")?;
        if !nesting::parents_within(&pdf, page, nesting::MOST_PARENTS) {
            return Err(IngestError::Limit(format!(
                "page {} has more than {} parent nodes",
                n + 1,
                nesting::MOST_PARENTS
            )));
        }
        let mut content = content::page_content(&pdf, page, &mut fonts);
        each_page(n + 1, &mut content)?;
        laid_out.add_page(content);
    }
    laid_out.finish()
}

/// A PDF of `pages` pages, unless that is more than `limits` allow.
fn within_pages(pages: usize, limits: PdfLimits) -> Result<(), IngestError> {
    match pages > limits.max_pages {
        true => Err(IngestError::Limit(format!(
            "{pages} pages, more than {}",
            limits.max_pages
        ))),
        false => Ok(()),
    }
}

/// The size of each page of a PDF (points, its MediaBox), at most `limits.max_pages` of
/// them: what a scan's pages are rendered at.
pub(crate) fn page_sizes(bytes: &[u8], limits: PdfLimits) -> Result<Vec<(f64, f64)>, IngestError> {
    std::panic::catch_unwind(|| {
        let pdf = nesting::load(bytes)?;
        let pages = pdf.get_pages();
        within_pages(pages.len(), limits)?;
        Ok(pages
            .into_values()
            .map(|page| content::page_size(&pdf, page))
            .collect())
    })
    .unwrap_or_else(|_| {
        Err(IngestError::Corrupt(
            "the PDF could not be read (malformed structure)".into(),
        ))
    })
}

/// Stops a reading of a `what` (PDF, OFD) that has taken longer than `limits` allow, before
/// page `n` (from 0).
pub(crate) fn check_time(
    started: std::time::Instant,
    limits: PdfLimits,
    n: usize,
    what: &str,
) -> Result<(), IngestError> {
    if started.elapsed().as_secs() >= limits.max_seconds {
        return Err(IngestError::Limit(format!(
            "reading the {what} took over {} s (stopped at page {})",
            limits.max_seconds,
            n + 1
        )));
    }
    Ok(())
}

/// Pages laid out one after the other into one text: what a PDF's pages, or another
/// fixed-layout format's (OFD), read as.
#[derive(Default)]
pub(crate) struct LaidOut {
    text: String,
    grids: Vec<Grid>,
    pictures: Vec<usize>,
    recognised: Vec<std::ops::Range<usize>>,
    pages: u32,
    /// Whether the last grid ended its page, so that a table opening the next may continue it.
    open_table: bool,
    /// Codes drawn whose text is not known: a file of such text is no scan.
    unmapped: usize,
    shown: usize,
    invisible: usize,
}

impl LaidOut {
    pub(crate) fn add_page(&mut self, content: PageContent) {
        self.pages += 1;
        self.unmapped += content.unmapped;
        self.shown += content.shown;
        self.invisible += content.invisible;
        let page_text = page::compose(content, self.pages);
        let at = self.text.len();
        self.text.push_str(&page_text.text);
        self.pictures
            .extend(page_text.pictures.iter().map(|p| p + at));
        self.recognised.extend(
            page_text
                .recognised
                .iter()
                .map(|r| r.start + at..r.end + at),
        );
        let mut page_grids = page_text.grids.into_iter().map(|mut g| {
            g.shift(at);
            g
        });
        if self.open_table && page_text.starts_with_table {
            if let (Some(first), Some(next)) = (self.grids.pop(), page_grids.next()) {
                match page::join_continued(&first, &next) {
                    Some(joined) => self.grids.push(joined),
                    None => self.grids.extend([first, next]),
                }
            }
        }
        self.grids.extend(page_grids);
        self.open_table = page_text.ends_with_table;
    }

    /// The pages' text, or `None` when they hold too little to be a text layer (a scan).
    pub(crate) fn finish(self) -> Result<Option<PdfText>, IngestError> {
        // Text mostly drawn in fonts without a map (a report's Chinese in them, its digits
        // in a Latin font that has one) is not the report's text either.
        let chars = self.text.chars().filter(|c| !c.is_whitespace()).count();
        if self.unmapped >= MIN_TEXT_CHARS && self.unmapped >= chars {
            return Err(IngestError::NoUnicode(self.unmapped));
        }
        if chars < MIN_TEXT_CHARS {
            return Ok(None);
        }
        Ok(Some(PdfText {
            text: self.text,
            grids: self.grids,
            pictures: self.pictures,
            ocr_layer: self.invisible * 2 > self.shown,
            recognised: self.recognised,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use content::Glyph;
    use fonts::parse_cmap;

    #[test]
    fn cmap_chars_and_ranges() {
        let map = parse_cmap(b"1 beginbfchar <0010> <0032> endbfchar 1 beginbfrange <0020> <0022> <4E00> endbfrange 1 beginbfrange <0030> <0031> [<8868> <4E09>] endbfrange");
        assert_eq!(map[&0x10], "2");
        assert_eq!(map[&0x21], "丁");
        assert_eq!(map[&0x31], "三");
    }

    #[test]
    fn glyphs_become_lines_and_cells() {
        let g = |ch, x: f64, y: f64| Glyph {
            ch,
            x,
            y,
            width: 10.0,
            size: 10.0,
        };
        let lines = page::lines(vec![
            g('规', 10.0, 700.0),
            g('章', 20.0, 700.5),
            g('0', 100.0, 700.0),
            g('1', 200.0, 699.8),
            g('标', 10.0, 720.0),
        ]);
        let text: Vec<String> = lines.iter().map(|l| page::line_text(l, true)).collect();
        assert_eq!(text, ["标", "规章\t0\t1"]);
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(
            text_of(b"%PDF-1.7\n garbage", DEFAULT_LIMITS),
            Err(IngestError::Corrupt(_))
        ));
    }
}
