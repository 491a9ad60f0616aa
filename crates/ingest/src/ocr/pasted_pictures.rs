//! Pictures pasted into a Word file (DOCX) or a web page read by OCR, when asked for: a
//! table an office pasted in as a screenshot or a scan. Each PNG or JPEG picture whose size
//! may be a table's is decoded, enlarged as a PDF's picture is rendered
//! ([`picture_resolution`]), read as a scan's page is, and laid out as a page holding only
//! it. A Word file's text read so is set in where its picture stands, marked recognised
//! (`spliced`; a web page's, `web_pictures`). Pictures of other formats (a Windows metafile
//! an embedded spreadsheet shows as) stay unread.

use super::{picture_resolution, read_picture, tools, WorkDir};
use crate::docx::{self, DocxText, ZipLimits};
use crate::extraction::Extracted;
use crate::pdf::{LaidOut, PageContent, PdfText};
use crate::{Format, IngestError};
use image::imageops::FilterType;

/// A picture's resolution when the file gives no size for it: a screenshot's...
const SCREEN_PPI: f64 = 96.0;
/// ...but no wider than the text of an A4 page between Word's default margins, as a
/// browser prints a page's picture (a scan pasted in at 200 dpi is not a metre wide).
const TEXT_WIDTH_INCHES: f64 = 5.8;
/// The most pixels a decoded picture may have on a side, and the most bytes decoding may
/// take (a hostile picture may say it is a million pixels wide).
const MOST_SIDE: u32 = 20_000;
const MOST_DECODED_BYTES: u64 = 256 * 1024 * 1024;
/// White around a picture on the page it is laid out on: at least this many points, and
/// this share of the picture's side on each side of it. A page's lines that run over 95%
/// of its width or height are its frame, not ruling (`page::compose`), and a picture cut
/// to its ink has its table's borders at its edges.
const MARGIN_POINTS: f64 = 36.0;
const MARGIN_SHARE: f64 = 0.1;

/// What OCR reads in the pictures of a DOCX's text (`found`): for each picture it read,
/// where the picture stands and the text laid out from it.
pub(crate) fn read_pictures(
    found: &DocxText,
    bytes: &[u8],
    limits: ZipLimits,
) -> Result<Vec<(usize, PdfText)>, IngestError> {
    // A picture the file gives a size for is read only if that size may be a table's.
    let images: Vec<&docx::Image> = found
        .images
        .iter()
        .filter(|image| image.inches.is_none_or(may_be_table))
        .collect();
    let ids: Vec<&str> = images.iter().map(|i| i.id.as_str()).collect();
    let parts = docx::related_parts(bytes, limits, &ids)?;
    let pasted = images.into_iter().zip(parts).filter_map(|(image, part)| {
        Some(Pasted {
            at: image.at,
            name: &image.id,
            bytes: part?,
            inches: image.inches,
            cropped: image.cropped,
        })
    });
    read_pasted(pasted)
}

/// A picture pasted into a document (a Word file, a web page) that OCR may read.
pub(crate) struct Pasted<'a> {
    /// Where it stands, as the document counts (a position in its text, or the picture's
    /// number).
    pub at: usize,
    /// What names it in the log (a relationship id, an address).
    pub name: &'a str,
    /// Its file's bytes.
    pub bytes: Vec<u8>,
    /// Its size on the page in inches, when the document gives it.
    pub inches: Option<(f64, f64)>,
    /// The share of it cut off each side (left, top, right, bottom).
    pub cropped: [f64; 4],
}

/// What OCR reads in pasted pictures whose size may be a table's: for each it read, where
/// it stands and the text laid out from it. A picture without a size is decoded first, its
/// size taken at a screen's resolution.
pub(crate) fn read_pasted<'a>(
    pictures: impl IntoIterator<Item = Pasted<'a>>,
) -> Result<Vec<(usize, PdfText)>, IngestError> {
    let mut read = Vec::new();
    let mut work = None;
    let decoded_pictures = pictures
        .into_iter()
        .filter(|picture| picture.inches.is_none_or(may_be_table))
        .filter_map(|picture| {
            let gray = shown_part(decoded(&picture.bytes, picture.name)?, picture.cropped)?;
            let inches = picture
                .inches
                .unwrap_or_else(|| as_printed(gray.width(), gray.height()));
            may_be_table(inches).then_some((picture.at, gray, inches))
        });
    for (at, gray, inches) in decoded_pictures.take(super::MAX_PICTURES) {
        let tools = tools().map_err(IngestError::Ocr)?;
        let dir = match &work {
            Some(dir) => dir,
            None => work.insert(
                WorkDir::new().map_err(|e| IngestError::Ocr(format!("temporary folder: {e}")))?,
            ),
        };
        if let Some(text) = read_alone(tools, gray, inches, &dir.path)? {
            read.push((at, text));
        }
    }
    Ok(read)
}

/// The size in inches of a picture `width` by `height` pixels that its document gives no
/// size for, as printed: at a screen's resolution, shrunk to a page's text width.
fn as_printed(width: u32, height: u32) -> (f64, f64) {
    let (wide, high) = (
        f64::from(width) / SCREEN_PPI,
        f64::from(height) / SCREEN_PPI,
    );
    let shrunk = (TEXT_WIDTH_INCHES / wide).min(1.0);
    (wide * shrunk, high * shrunk)
}

/// An A4 page's size in inches: a Word file's picture may be a table when it is as wide or
/// as tall on such a page as a PDF's (`pdf::may_be_table`), not when it is a seal, a
/// signature or a code to scan.
const PAGE_INCHES: (f64, f64) = (8.27, 11.69);

fn may_be_table((wide, high): (f64, f64)) -> bool {
    let points = |inches: f64| inches * 72.0;
    let (page_wide, page_high) = PAGE_INCHES;
    let shown = [0.0, 0.0, points(wide), points(high)];
    crate::pdf::may_be_table(&shown, points(page_wide), points(page_high))
}

/// A picture's pixels in grey (transparent parts white), `None` when it is not a PNG or a
/// JPEG this build decodes or is past the limits.
fn decoded(bytes: &[u8], id: &str) -> Option<image::GrayImage> {
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MOST_SIDE);
    limits.max_image_height = Some(MOST_SIDE);
    limits.max_alloc = Some(MOST_DECODED_BYTES);
    reader.limits(limits);
    match reader.decode() {
        // Grey straight away unless it has transparency: a byte a pixel, not two.
        Ok(picture) if picture.color().has_alpha() => Some(on_white(picture.into_luma_alpha8())),
        Ok(picture) => Some(picture.into_luma8()),
        Err(e) => {
            tracing::debug!(picture = id, "picture not decoded: {e}");
            None
        }
    }
}

/// The part of a picture the file shows, `cropped` giving the share cut off each side
/// (left, top, right, bottom); `None` when nothing is left.
fn shown_part(picture: image::GrayImage, cropped: [f64; 4]) -> Option<image::GrayImage> {
    if cropped == [0.0; 4] {
        return Some(picture);
    }
    let [left, top, right, bottom] = cropped;
    let (width, height) = (f64::from(picture.width()), f64::from(picture.height()));
    let (x0, x1) = ((width * left).round(), (width * (1.0 - right)).round());
    let (y0, y1) = ((height * top).round(), (height * (1.0 - bottom)).round());
    if x1 - x0 < 1.0 || y1 - y0 < 1.0 {
        return None;
    }
    let (x, y, wide, high) = (x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32);
    Some(image::imageops::crop_imm(&picture, x, y, wide, high).to_image())
}

fn on_white(picture: image::GrayAlphaImage) -> image::GrayImage {
    image::GrayImage::from_fn(picture.width(), picture.height(), |x, y| {
        let [level, alpha] = picture.get_pixel(x, y).0;
        let (level, alpha) = (u32::from(level), u32::from(alpha));
        image::Luma([((level * alpha + 255 * (255 - alpha)) / 255) as u8])
    })
}

/// One picture, `inches` wide and high on its page, read by OCR and laid out as the only
/// thing on a page with a margin around it.
fn read_alone(
    tools: &super::OcrTools,
    picture: image::GrayImage,
    (wide_inches, _): (f64, f64),
    dir: &std::path::Path,
) -> Result<Option<PdfText>, IngestError> {
    let (width, height) = (picture.width(), picture.height());
    let own = f64::from(width) / wide_inches.max(0.01);
    // Read at the resolution a PDF's picture of that size is rendered at.
    let shown_points = |pixels: u32| f64::from(pixels) * 72.0 / own;
    let as_shown = [0.0, 0.0, shown_points(width), shown_points(height)];
    let dpi = picture_resolution(&as_shown, width.max(height));
    let enlarged = |side: u32| ((f64::from(side) * dpi / own).round() as u32).max(1);
    let (wide, high) = (enlarged(width), enlarged(height));
    let picture = match (wide, high) == (width, height) {
        true => picture,
        false => image::imageops::resize(&picture, wide, high, FilterType::Triangle),
    };
    let Some(gray) = super::raster::Gray::from_pixels(wide, high, picture.into_raw()) else {
        return Ok(None);
    };
    let points = |pixels: u32| f64::from(pixels) * 72.0 / dpi;
    let (side_margin, top_margin) = (margin(wide, dpi), margin(high, dpi));
    let mut page = PageContent {
        width: points(wide + 2 * side_margin),
        height: points(high + 2 * top_margin),
        ..PageContent::default()
    };
    let (left, bottom) = (points(side_margin), points(top_margin));
    let shown = [left, bottom, left + points(wide), bottom + points(high)];
    let at = [side_margin, top_margin];
    read_picture(tools, (gray, at), shown, dpi, &mut page, dir)?;
    let mut laid_out = LaidOut::default();
    laid_out.add_page(page);
    laid_out.finish()
}

/// The white, in pixels at `dpi`, on each side of a picture's side `side` pixels long.
fn margin(side: u32, dpi: f64) -> u32 {
    let least = MARGIN_POINTS * dpi / 72.0;
    (f64::from(side) * MARGIN_SHARE).max(least).round() as u32
}

/// The DOCX's text, tables and pictures with each text OCR read (`read`: where its picture
/// stands, what was read, in the text's order) set in before the paragraph of its picture,
/// marked recognised.
pub(crate) fn spliced(found: DocxText, read: Vec<(usize, PdfText)>) -> Extracted {
    let DocxText {
        text,
        mut grids,
        mut pictures,
        ..
    } = found;
    let read: Vec<(usize, PdfText)> = read
        .into_iter()
        .filter(|(at, _)| text.is_char_boundary(*at))
        .map(|(at, mut piece)| {
            if !piece.text.ends_with('\n') {
                piece.text.push('\n');
            }
            (at, piece)
        })
        .collect();
    // A position of the DOCX's text moved past the text set in before it (and at it, but
    // for a picture's, which stands where the text read in it starts).
    let moved = |p: usize, at_too: bool| {
        let before = read
            .iter()
            .filter(|(at, _)| *at < p || (at_too && *at == p));
        p + before.map(|(_, piece)| piece.text.len()).sum::<usize>()
    };
    for grid in &mut grids {
        grid.remap(|p| moved(p, true));
    }
    for picture in &mut pictures {
        *picture = moved(*picture, false);
    }
    let added: usize = read.iter().map(|(_, piece)| piece.text.len()).sum();
    let mut out = String::with_capacity(text.len() + added);
    let mut recognised = Vec::new();
    let mut copied = 0;
    for (at, piece) in read {
        out.push_str(&text[copied..at]);
        copied = at;
        let start = out.len();
        out.push_str(&piece.text);
        recognised.extend(
            piece
                .recognised
                .iter()
                .map(|r| r.start + start..r.end + start),
        );
        grids.extend(piece.grids.into_iter().map(|mut grid| {
            grid.shift(start);
            grid
        }));
    }
    out.push_str(&text[copied..]);
    grids.sort_by_key(|grid| grid.cells.first().map(|cell| cell.start));
    Extracted::Text {
        format: Format::Zip,
        text: out,
        grids,
        pictures,
        ocr_layer: false,
        recognised,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{Grid, GridCell, GridSource};

    /// A one-row grid of `cells` (each its text's range in `text`).
    fn row(source: GridSource, text: &str, cells: &[&str]) -> Grid {
        let mut grid = Grid::new(source);
        for (col, cell) in cells.iter().enumerate() {
            let start = text.find(cell).unwrap();
            grid.push(GridCell {
                row: 0,
                col,
                rows: 1,
                cols: 1,
                text: cell.to_string(),
                start,
                end: start + cell.len(),
                bbox: None,
                rest: None,
            });
        }
        grid
    }

    fn cell_texts(text: &str, grid: &Grid) -> Vec<String> {
        let texts = grid.cells.iter().map(|c| text[c.start..c.end].to_string());
        texts.collect()
    }

    /// A picture as wide as a table, or as tall as a long one shrunk, may be one; a seal, a
    /// signature or a code to scan may not.
    #[test]
    fn only_a_picture_the_size_of_a_table_is_read() {
        assert!(may_be_table((6.0, 3.0)));
        assert!(may_be_table((1.2, 6.0)), "a long table shrunk to the page");
        assert!(!may_be_table((1.6, 1.6)), "a seal");
        assert!(!may_be_table((6.0, 0.2)), "a rule");
    }

    /// A picture's borders are never a page's frame: a table a metre long keeps its
    /// columns' lines (under 95% of the page's height), a small one half an inch of white.
    #[test]
    fn a_pictures_page_is_larger_than_its_frame_share() {
        let (high, dpi) = (10_000, 273.0);
        let share = f64::from(high) / f64::from(high + 2 * margin(high, dpi));
        assert!(share < 0.95, "{share}");
        assert_eq!(margin(100, 144.0), 72);
    }

    /// A PNG or JPEG is decoded to grey, what is transparent in it white; anything else (a
    /// Windows metafile) and a picture past the size limit are not.
    #[test]
    fn pictures_are_decoded_to_grey_on_white() {
        let mut png = Vec::new();
        let picture = image::RgbaImage::from_fn(3, 1, |x, _| match x {
            0 => image::Rgba([0, 0, 0, 255]),
            1 => image::Rgba([0, 0, 0, 0]),
            _ => image::Rgba([255, 255, 255, 255]),
        });
        picture
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let gray = decoded(&png, "rId1").unwrap();
        assert_eq!(gray.into_raw(), [0, 255, 255]);
        let mut jpeg = Vec::new();
        image::RgbImage::from_pixel(8, 8, image::Rgb([200, 200, 200]))
            .write_to(
                &mut std::io::Cursor::new(&mut jpeg),
                image::ImageFormat::Jpeg,
            )
            .unwrap();
        let gray = decoded(&jpeg, "rId4").unwrap();
        assert!(gray.pixels().all(|p| p.0[0].abs_diff(200) <= 2), "{gray:?}");
        assert!(decoded(b"\x01\x00\x00\x00 EMF", "rId2").is_none());
        let mut huge = Vec::new();
        image::GrayImage::new(MOST_SIDE + 1, 1)
            .write_to(
                &mut std::io::Cursor::new(&mut huge),
                image::ImageFormat::Png,
            )
            .unwrap();
        assert!(decoded(&huge, "rId3").is_none());
    }

    /// Only the part of a picture the file shows is read.
    #[test]
    fn a_cropped_picture_is_read_where_it_is_shown() {
        let picture = image::GrayImage::from_fn(10, 4, |x, y| image::Luma([(x + 10 * y) as u8]));
        let shown = shown_part(picture.clone(), [0.2, 0.25, 0.3, 0.0]).unwrap();
        assert_eq!((shown.width(), shown.height()), (5, 3));
        assert_eq!(shown.get_pixel(0, 0).0, [12]);
        assert_eq!(shown_part(picture.clone(), [0.0; 4]), Some(picture.clone()));
        assert_eq!(shown_part(picture, [0.6, 0.0, 0.5, 0.0]), None);
    }

    /// What OCR read in a picture goes where the picture stands (before its paragraph),
    /// marked recognised, its table with it; the document's later tables and pictures move
    /// past it, and the picture stands where the text read in it starts.
    #[test]
    fn text_read_in_a_picture_is_set_in_where_it_stands() {
        let text = "一、总体\n\n三、申请\n甲\t1\n\n".to_string();
        let (first, second) = (text.find("\n\n").unwrap() + 1, text.len() - 1);
        let found = DocxText {
            grids: vec![row(GridSource::Word, &text, &["甲", "1"])],
            pictures: vec![first, second],
            images: Vec::new(),
            text,
        };
        let piece = |read: &str, cells: &[&str]| PdfText {
            grids: vec![row(GridSource::PdfRuled, read, cells)],
            recognised: std::iter::once(0..read.len()).collect(),
            text: read.to_string(),
            ..PdfText::default()
        };
        let read = vec![
            (first, piece("表\t9", &["表", "9"])),
            (second, piece("表二\t7\n", &["表二", "7"])),
        ];
        let Extracted::Text {
            text,
            grids,
            pictures,
            recognised,
            ..
        } = spliced(found, read)
        else {
            panic!("no text");
        };
        assert_eq!(text, "一、总体\n表\t9\n\n三、申请\n甲\t1\n表二\t7\n\n");
        let cells: Vec<Vec<String>> = grids.iter().map(|g| cell_texts(&text, g)).collect();
        assert_eq!(cells, [["表", "9"], ["甲", "1"], ["表二", "7"]]);
        let at = |words: &str| text.find(words).unwrap();
        assert_eq!(pictures, [at("表"), at("表二")]);
        assert_eq!(
            recognised,
            [
                at("表")..at("表") + "表\t9".len(),
                at("表二")..at("表二") + "表二\t7\n".len()
            ]
        );
    }
}
