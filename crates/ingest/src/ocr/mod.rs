//! Scanned PDFs read by OCR, when asked for (`Limits::ocr`): each page rendered to a grey
//! picture by poppler's `pdftoppm` and set straight if it was scanned askew ([`skew`]),
//! its ruling lines found among the picture's pixels ([`raster`]) and whited out, its
//! words read with their boxes by `tesseract` (Simplified Chinese and English models), but
//! for a cell holding a lone "/", told by its shape ([`marks`]).
//! The words become glyphs and the lines segments in the page's own space, and the page
//! is laid out as a PDF's text layer is (`pdf::LaidOut`): tables by their ruling, the rest
//! line by line. The text is marked as an OCR layer: it was recognised, not typed, and
//! findings on it say that it may be misread.
//!
//! Pictures that may be tables are read so too: a typed PDF's, rendered by `pdftoppm`
//! (`text_reading_pictures`), and a Word file's or a web page's, decoded
//! ([`pasted_pictures`], [`web_pictures`]); their text is laid out where they stand and
//! marked recognised.
//!
//! Both programs are run as they are installed (Debian: `poppler-utils`,
//! `tesseract-ocr-chi-sim`); nothing is linked, so a machine without them builds and runs
//! as before, and says what is missing only when OCR is asked for.

mod marks;
mod pasted_pictures;
mod raster;
mod skew;
mod strip;
mod web_pictures;
mod words;

use crate::pdf::{
    self, ruled_tables, Glyph, LaidOut, PageContent, PdfLimits, PdfText, RuledTable, Segment,
};
use crate::IngestError;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use strip::{CellBox, CellLine, PixelBox, Strip};
use words::Word;

/// Pages are rendered at this resolution: a report's 10.5-point text is then about 44
/// pixels high, which tesseract reads best at...
const DPI: u32 = 300;
/// ...unless that makes a side longer than this (A4 at 300 dpi is 3,508 pixels high; a
/// hostile page may say it is metres wide): then at what makes the side this long.
const MOST_PIXELS: f64 = 5_000.0;
/// Pages of a scan read at most (a report has a few to twenty).
const MAX_PAGES: usize = 60;
/// How long rendering a page, and reading a picture, may take.
const RENDER_SECONDS: u64 = 60;
const READ_SECONDS: u64 = 60;
/// tesseract's models: Chinese for the text, English for the digits (the Chinese model
/// alone reads a Latin "5" as "$" or "3").
const LANGUAGES: &str = "chi_sim+eng";

/// The programs OCR runs.
#[derive(Debug)]
pub struct OcrTools {
    pdftoppm: PathBuf,
    tesseract: PathBuf,
}

/// The OCR programs on `PATH`, looked for once; the error says what is missing and how to
/// install it.
pub fn tools() -> Result<&'static OcrTools, String> {
    static FOUND: OnceLock<Result<OcrTools, String>> = OnceLock::new();
    FOUND.get_or_init(find_tools).as_ref().map_err(Clone::clone)
}

fn find_tools() -> Result<OcrTools, String> {
    let missing = |program: &str, package: &str| {
        format!("OCR needs `{program}` on PATH (Debian/Ubuntu: apt-get install {package})")
    };
    let pdftoppm = on_path("pdftoppm").ok_or_else(|| missing("pdftoppm", "poppler-utils"))?;
    let tesseract = on_path("tesseract")
        .ok_or_else(|| missing("tesseract", "tesseract-ocr tesseract-ocr-chi-sim"))?;
    let languages = Command::new(&tesseract)
        .arg("--list-langs")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{}: {e}", tesseract.display()))?;
    let listed = String::from_utf8_lossy(&languages.stdout).into_owned()
        + &String::from_utf8_lossy(&languages.stderr);
    for language in LANGUAGES.split('+') {
        if !listed.lines().any(|l| l.trim() == language) {
            return Err(format!(
                "tesseract has no `{language}` model (Debian/Ubuntu: apt-get install tesseract-ocr-chi-sim)"
            ));
        }
    }
    Ok(OcrTools {
        pdftoppm,
        tesseract,
    })
}

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

pub(crate) use pasted_pictures::{read_pictures as read_word_pictures, spliced};
pub(crate) use web_pictures::{with_pictures_read, PictureFiles};

/// The text of a PDF without a text layer as OCR reads its pages (at most `MAX_PAGES`);
/// `Ok(None)` when the pages hold no text OCR can find either.
pub(crate) fn read_scan(bytes: &[u8], limits: PdfLimits) -> Result<Option<PdfText>, IngestError> {
    let tools = tools().map_err(IngestError::Ocr)?;
    let sizes = pdf::page_sizes(bytes, limits)?;
    let work = WorkDir::new().map_err(|e| IngestError::Ocr(format!("temporary folder: {e}")))?;
    let pdf = work.path.join("scan.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| IngestError::Ocr(format!("temporary file: {e}")))?;
    let mut laid_out = LaidOut::default();
    for (n, (width, height)) in sizes.into_iter().enumerate().take(MAX_PAGES) {
        let dpi = resolution(width, height);
        let picture = skew::deskewed(render(tools, &pdf, n + 1, dpi, None, &work.path)?);
        laid_out.add_page(read_page(tools, picture, dpi, &work.path)?);
    }
    let mut text = laid_out.finish()?;
    if let Some(text) = &mut text {
        text.ocr_layer = true;
    }
    Ok(text)
}

/// Pictures of a document read at most (as many as a scan's pages).
const MAX_PICTURES: usize = MAX_PAGES;

/// The text layer of a PDF as `pdf::text_of` reads it, and the words of its pictures that
/// may be tables read by OCR and laid out among it, as a scan's are: a typed report whose
/// tables were pasted in as pictures, or a page of tables scanned among typed ones. What
/// was read so is marked (`PdfText::recognised`). A page whose text is itself an OCR layer
/// (a scan's, set under or over its picture) is not read again.
pub(crate) fn text_reading_pictures(
    bytes: &[u8],
    limits: PdfLimits,
) -> Result<Option<PdfText>, IngestError> {
    let mut work: Option<(WorkDir, PathBuf)> = None;
    let mut read = 0;
    pdf::text_with(bytes, limits, |number, content| {
        let pixels = content.picture_pixels.iter().chain(std::iter::repeat(&0));
        let pictures: Vec<([f64; 4], u32)> = content
            .pictures
            .iter()
            .copied()
            .zip(pixels.copied())
            .filter(|(b, _)| pdf::may_be_table(b, content.width, content.height))
            .filter(|(b, _)| !typed_over(b, &content.glyphs))
            .take(MAX_PICTURES - read)
            .collect();
        if pictures.is_empty() || content.invisible * 2 > content.shown {
            return Ok(());
        }
        let tools = tools().map_err(IngestError::Ocr)?;
        let (dir, pdf) = match &work {
            Some(made) => made,
            None => work.insert(write_work_copy(bytes)?),
        };
        for (picture, pixels) in pictures {
            read += 1;
            let dpi = picture_resolution(&picture, pixels);
            let piece = render_box(tools, pdf, number, dpi, picture, content.height, &dir.path)?;
            read_picture(tools, piece, picture, dpi, content, &dir.path)?;
        }
        Ok(())
    })
}

/// Typed glyphs inside a picture's box at least this many: the picture is a page's ground
/// (a letterhead, a watermark, a coloured page) the text is set over, not a table pasted
/// in, and reading it would read the typed text again.
const TYPED_OVER: usize = 4;

/// Whether the text layer sets `TYPED_OVER` glyphs or more inside `picture` (points,
/// left, bottom, right, top).
fn typed_over(picture: &[f64; 4], glyphs: &[pdf::Glyph]) -> bool {
    let [x0, y0, x1, y1] = *picture;
    let inside = |g: &&pdf::Glyph| {
        let (x, y) = g.centre();
        (x0..=x1).contains(&x) && (y0..=y1).contains(&y)
    };
    glyphs.iter().filter(inside).take(TYPED_OVER).count() >= TYPED_OVER
}

/// A working folder holding a copy of the PDF, for pdftoppm to render.
fn write_work_copy(bytes: &[u8]) -> Result<(WorkDir, PathBuf), IngestError> {
    let work = WorkDir::new().map_err(|e| IngestError::Ocr(format!("temporary folder: {e}")))?;
    let pdf = work.path.join("pictures.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| IngestError::Ocr(format!("temporary file: {e}")))?;
    Ok((work, pdf))
}

/// The resolution a picture drawn in `picture` (points) whose longer side is `pixels` long
/// is rendered at: half again its own, as a 200-dpi scan's page is read at 300 dpi
/// (tesseract reads a picture's small text better enlarged), between `DPI` and
/// `MOST_PICTURE_DPI`, its longer side at most `MOST_PICTURE_PIXELS`: a long table
/// shrunk to fit a page keeps the pixels its text needs.
fn picture_resolution(picture: &[f64; 4], pixels: u32) -> f64 {
    let [x0, y0, x1, y1] = *picture;
    let longest = (x1 - x0).max(y1 - y0).max(1.0);
    let own = f64::from(pixels) * 72.0 / longest;
    (own * ENLARGED)
        .clamp(f64::from(DPI), MOST_PICTURE_DPI)
        .min(MOST_PICTURE_PIXELS * 72.0 / longest)
        .max(1.0)
}

/// How much a picture is enlarged, at most how fine it is rendered, and how long its
/// longer side may be (pixels).
const ENLARGED: f64 = 1.5;
const MOST_PICTURE_DPI: f64 = 1_200.0;
const MOST_PICTURE_PIXELS: f64 = 10_000.0;

/// The part of page `number` of the PDF that `picture` covers (points, left, bottom,
/// right, top, on a page `height` points high), rendered in grey at `dpi`; and where its
/// top left corner is on the page, in pixels.
fn render_box(
    tools: &OcrTools,
    pdf: &Path,
    number: usize,
    dpi: f64,
    picture: [f64; 4],
    height: f64,
    dir: &Path,
) -> Result<(raster::Gray, [u32; 2]), IngestError> {
    let px = |points: f64| (points * dpi / 72.0).round().max(0.0) as u32;
    let [x0, y0, x1, y1] = picture;
    let (left, top) = (px(x0), px(height - y1));
    let (wide, high) = (
        px(x1).saturating_sub(left),
        px(height - y0).saturating_sub(top),
    );
    let part = [left, top, wide.max(1), high.max(1)];
    let piece = render(tools, pdf, number, dpi, Some(part), dir)?;
    Ok((piece, [left, top]))
}

/// The words and ruling of a picture of a page (`piece`, rendered at `dpi` with its top
/// left corner at `at` pixels), read as a scan's page is and added to the page's `content`
/// where the picture stands; the picture's box (`picture`) is marked recognised when OCR
/// read words in it.
fn read_picture(
    tools: &OcrTools,
    (piece, at): (raster::Gray, [u32; 2]),
    picture: [f64; 4],
    dpi: f64,
    content: &mut PageContent,
    dir: &Path,
) -> Result<(), IngestError> {
    let scale = 72.0 / dpi;
    let foot = f64::from(at[1] + piece.height) * scale;
    let read = read_page(tools, skew::deskewed(piece), dpi, dir)?;
    if read.glyphs.is_empty() {
        return Ok(());
    }
    // The piece's own space (points, y up from its foot) moved to where it stands.
    let (dx, dy) = (f64::from(at[0]) * scale, content.height - foot);
    content.glyphs.extend(read.glyphs.into_iter().map(|mut g| {
        g.x += dx;
        g.y += dy;
        g
    }));
    content
        .segments
        .extend(read.segments.into_iter().map(|s| Segment {
            x0: s.x0 + dx,
            y0: s.y0 + dy,
            x1: s.x1 + dx,
            y1: s.y1 + dy,
        }));
    content.recognised.push(picture);
    Ok(())
}

/// The resolution a page of `width` by `height` points is rendered at.
fn resolution(width: f64, height: f64) -> f64 {
    let longest = width.max(height).max(1.0);
    f64::from(DPI).min(MOST_PIXELS * 72.0 / longest).max(1.0)
}

/// Page `number` (from 1) of the PDF rendered in grey at `dpi`, or only the part of it
/// `part` says (left, top, width, height, in pixels at `dpi`).
fn render(
    tools: &OcrTools,
    pdf: &Path,
    number: usize,
    dpi: f64,
    part: Option<[u32; 4]>,
    dir: &Path,
) -> Result<raster::Gray, IngestError> {
    let out = dir.join("page");
    let (page, resolution) = (number.to_string(), format!("{dpi:.2}"));
    let mut command = Command::new(&tools.pdftoppm);
    command
        .args(["-r", &resolution, "-gray", "-singlefile"])
        .args(["-f", &page, "-l", &page]);
    if let Some(part) = part {
        for (option, pixels) in ["-x", "-y", "-W", "-H"].into_iter().zip(part) {
            command.args([option, &pixels.to_string()]);
        }
    }
    command.arg(pdf).arg(&out);
    run(&mut command, RENDER_SECONDS, "pdftoppm")?;
    let rendered = out.with_extension("pgm");
    let bytes =
        std::fs::read(&rendered).map_err(|e| IngestError::Ocr(format!("rendered page: {e}")))?;
    let _ = std::fs::remove_file(&rendered);
    raster::Gray::from_pgm(&bytes)
        .ok_or_else(|| IngestError::Ocr("pdftoppm wrote no readable page picture".into()))
}

/// One page rendered at `dpi` as OCR reads it: its ruling lines, the words of its ruled
/// cells read cell by cell ([`strip`]), and the words of the rest of the page read as a page.
fn read_page(
    tools: &OcrTools,
    mut picture: raster::Gray,
    dpi: f64,
    dir: &Path,
) -> Result<PageContent, IngestError> {
    let scale = 72.0 / dpi;
    let height = f64::from(picture.height);
    let runs = raster::ruling(&picture, dpi);
    let segments: Vec<Segment> = runs
        .iter()
        .map(|r| r.segment(scale, picture.height))
        .collect();
    let tables = ruled_tables(&segments, height * scale);
    let cells = cell_boxes(&tables, scale);
    // Told before the ruling is erased: a slash in a cell with no padding touches its
    // ruling, and the erasing takes its foot with the line's edge.
    let (slashes, others) = lone_slashes(&picture, &cells);
    for run in &runs {
        picture.erase(run);
    }
    let mut glyphs: Vec<Glyph> = Vec::new();
    let prose = recognise(
        tools,
        &without_tables(&picture, &tables, scale),
        dir,
        &PAGE_READING,
    )?;
    for run in words::runs(&prose) {
        glyphs.extend(words::run_glyphs(run, scale, height));
    }
    let to_read: Vec<CellBox> = others.iter().map(|&n| cells[n].clone()).collect();
    for mut line in read_cells(tools, &picture, &to_read, dir)? {
        line.cell = others[line.cell];
        glyphs.extend(line.glyphs(scale, height));
    }
    for line in slashes {
        glyphs.extend(line.glyphs(scale, height));
    }
    Ok(PageContent {
        shown: glyphs.len(),
        glyphs,
        segments,
        width: f64::from(picture.width) * scale,
        height: height * scale,
        ..PageContent::default()
    })
}

/// The page with its ruled tables whited out: the rest is read as a page.
fn without_tables(page: &raster::Gray, tables: &[RuledTable], scale: f64) -> raster::Gray {
    let mut rest = page.clone();
    for table in tables {
        if let (Some(&left), Some(&right)) = (table.xs.first(), table.xs.last()) {
            let [x0, y0, x1, y1] = pixel_box(left, table.top(), right, table.bottom(), scale, 0);
            rest.whiten(x0, y0, x1, y1);
        }
    }
    rest
}

/// Where each cell of the tables is, in pixels, just inside its ruling.
fn cell_boxes(tables: &[RuledTable], scale: f64) -> Vec<CellBox> {
    tables
        .iter()
        .enumerate()
        .flat_map(|(n, t)| t.cells.iter().map(move |c| (n, c)))
        .map(|(table, c)| CellBox {
            row: (table, c.row),
            pixels: pixel_box(c.x0, c.top, c.x1, c.bottom, scale, CELL_INSET),
        })
        .collect()
}

/// How tesseract reads the page without its tables (one column of lines of any size: left
/// to find the page's blocks itself, it dropped a heading, a signature and a date below a
/// paragraph it could not read; a row of cells read again alone is read so too), a strip
/// of cells (one block of lines), and a strip of cells that may hold figures (digits and
/// the signs of figures only: unsure of a lone "1", the Chinese model reads "l" or "i").
const PAGE_READING: [&str; 4] = ["-l", LANGUAGES, "--psm", "4"];
const CELLS_READING: [&str; 4] = ["-l", LANGUAGES, "--psm", "6"];
const FIGURES_READING: [&str; 6] = ["-l", "eng", "--psm", "6", "-c", FIGURES_ONLY];
/// How a row of a strip tesseract passed over is read again alone: as the page is, or as
/// figures, its lines found as on a page. Read as a block, such a row ("（七）总计 26 — …
/// 26") may give nothing alone as it did among the others.
const FIGURES_LINE_READING: [&str; 6] = ["-l", "eng", "--psm", "4", "-c", FIGURES_ONLY];
/// The characters tesseract may read when it reads figures.
const FIGURES_ONLY: &str = "tessedit_char_whitelist=0123456789.,+-/%";
/// Letters and signs tesseract reads a figure's digits as when unsure of them (a "1" as
/// "l", "i" or "|", a "5" as "S" or "$", a "0" as "O", "@)", "6)" or "©", a minus as the
/// character 一; a stray "#", or a speck read as a quotation mark, before a figure; over a
/// shaded cell, a dash as "=" or "~" and a slash as "sf;", "Ff" or "FJ"), besides the signs
/// of figures.
const FIGURE_LOOKALIKES: &str = "0123456789.,+-/%lIi|!][tjoODQSs$BZzgqGb@)# 一“”‘’\"'=~fFJ;©®°";
/// Longer readings are text, not a misread figure.
const FIGURE_CHARS: usize = 16;
/// A reading as figures tesseract is less confident of than this is not taken: made to
/// read digits only, it reads the strokes of a line of text it could not read as
/// Chinese (a bold header) as "70", with no confidence.
const FIGURE_CONFIDENCE: f64 = 40.0;

/// The cells holding a lone "/", read by their shape (`strip::lone_slash`), and the places
/// of the others, which tesseract reads.
fn lone_slashes(page: &raster::Gray, cells: &[CellBox]) -> (Vec<CellLine>, Vec<usize>) {
    let mut slashes = Vec::new();
    let mut others = Vec::new();
    for (n, cell) in cells.iter().enumerate() {
        match strip::lone_slash(page, cell, n) {
            Some(slash) => slashes.push(slash),
            None => others.push(n),
        }
    }
    (slashes, others)
}

/// The lines tesseract reads in ruled cells: all read as text, then those that may be
/// misread figures read again as figures; a cell read again as a figure keeps that reading.
fn read_cells(
    tools: &OcrTools,
    page: &raster::Gray,
    cells: &[CellBox],
    dir: &Path,
) -> Result<Vec<CellLine>, IngestError> {
    let mut lines = read_strips(tools, page, cells, dir, &CELLS_READING, &PAGE_READING)?;
    let mut figures: Vec<usize> = (0..cells.len())
        .filter(|&n| may_be_figure(lines.iter().filter(|l| l.cell == n)))
        .collect();
    read_signed_alone(tools, page, cells, dir, &mut lines, &mut figures)?;
    let again: Vec<CellBox> = figures.iter().map(|&n| cells[n].clone()).collect();
    let mut read_again = read_strips(
        tools,
        page,
        &again,
        dir,
        &FIGURES_READING,
        &FIGURES_LINE_READING,
    )?;
    read_again.retain(|line| {
        is_figure(&line.text()) && line.words.iter().all(|w| w.confidence >= FIGURE_CONFIDENCE)
    });
    for line in &mut read_again {
        line.cell = figures[line.cell];
    }
    lines.retain(|l| !read_again.iter().any(|again| again.cell == l.cell));
    for line in lines.iter_mut().filter(|l| figures.contains(&l.cell)) {
        minus_for_yi(line);
        split_zero(line);
    }
    lines.iter_mut().for_each(speck_before);
    lines.extend(read_again);
    Ok(lines)
}

/// The words a change is signed with in the tables' "本年增/减" column ("增3", "减少2").
const SIGN_WORDS: [&str; 4] = ["增加", "减少", "增", "减"];

/// Cells whose reading among their row's is a figure after a sign tesseract did not
/// know ("$3159", "#2106", "i@7": the 增 of "增3159", read beside other cells), each read
/// again alone, in grey, as text: read so, a change's sign word is read ("增3159"), and
/// the cell keeps that reading instead of being read as digits (which read 增 as "4" or
/// "18"). A cell read alone as anything else is read as before.
fn read_signed_alone(
    tools: &OcrTools,
    page: &raster::Gray,
    cells: &[CellBox],
    dir: &Path,
    lines: &mut Vec<CellLine>,
    figures: &mut Vec<usize>,
) -> Result<(), IngestError> {
    let unknown_sign = |n: &usize| {
        let text: String = lines
            .iter()
            .filter(|l| l.cell == *n)
            .map(CellLine::text)
            .collect();
        let mut chars = text.chars();
        let first = chars.next();
        first.is_some_and(|c| !c.is_ascii_digit() && !matches!(c, '+' | '-' | '.' | ','))
            && chars.any(|c| c.is_ascii_digit())
    };
    let signed: Vec<usize> = figures.iter().copied().filter(unknown_sign).collect();
    for n in signed {
        let Some(strip) = Strip::of_cell_in_grey(page, &cells[n]) else {
            continue;
        };
        let words = recognise(tools, &strip.picture, dir, &CELLS_READING)?;
        let mut alone = strip.cell_lines(&words);
        let [line] = alone.as_mut_slice() else {
            continue;
        };
        if is_signed_figure(&line.text()) {
            line.cell = n;
            lines.retain(|l| l.cell != n);
            lines.append(&mut alone);
            figures.retain(|&f| f != n);
        }
    }
    Ok(())
}

/// Whether a cell's reading is a change signed with a word ("增3159", "减少 2").
fn is_signed_figure(text: &str) -> bool {
    SIGN_WORDS
        .iter()
        .find_map(|sign| text.strip_prefix(sign))
        .is_some_and(|rest| is_figure(rest.trim_start()))
}

/// Quotation marks tesseract reads a speck at a cell's edge as (what is left of its
/// ruling): "“无" for a blank's 无, "”个" for a unit.
const QUOTES: [char; 6] = ['“', '”', '"', '‘', '’', '\''];
/// The most characters a cell's reading may have after a speck read as a quotation mark:
/// a blank's mark or a unit; a longer reading may open a quotation ("“三安全").
const SPECK_BEFORE: usize = 2;

/// A cell read as a quotation mark and a word of one or two characters: the word.
fn speck_before(line: &mut CellLine) {
    let text = line.text();
    let Some(rest) = text.strip_prefix(QUOTES).map(str::trim_start) else {
        return;
    };
    if rest.is_empty() || rest.chars().count() > SPECK_BEFORE || rest.contains(QUOTES) {
        return;
    }
    let Some(first) = line.words.first_mut() else {
        return;
    };
    match first.text.trim_start_matches(QUOTES) {
        "" => {
            line.words.remove(0);
        }
        word => first.text = word.to_string(),
    }
}

/// A figure ending in a zero whose oval the Chinese model cut in two, its right half read
/// as a closing parenthesis and its left as "0" or "6" ("0)", "6)": seven cells of the
/// layout lab's scans, every one a zero), which reading it again as digits could not mend
/// (the digits-only model reads nothing for a lone "0"): the zero.
fn split_zero(line: &mut CellLine) {
    let text = line.text();
    let Some(head) = text
        .strip_suffix(')')
        .map(str::trim_end)
        .and_then(|t| t.strip_suffix(['0', '6']))
    else {
        return;
    };
    if !head.chars().all(|c| c.is_ascii_digit()) {
        return;
    }
    let right = line.words.last().map(|w| w.left + w.width);
    line.words.truncate(1);
    if let (Some(word), Some(right)) = (line.words.first_mut(), right) {
        word.text = format!("{head}0");
        word.width = right - word.left;
    }
}

/// A figure whose minus the Chinese model read as the character 一 ("一6"), which reading
/// it again as digits could not mend (its digits-only model drops the minus): the minus.
fn minus_for_yi(line: &mut CellLine) {
    let text = line.text();
    let Some(rest) = text.strip_prefix('一') else {
        return;
    };
    if is_figure(rest) && rest.starts_with(|c: char| c.is_ascii_digit()) {
        if let Some(first) = line.words.first_mut() {
            first.text = first.text.replacen('一', "-", 1);
        }
    }
}

/// Whether a cell read as `lines` may hold a figure misread: nothing read, or nothing but
/// a few digits and their lookalikes.
fn may_be_figure<'a>(lines: impl Iterator<Item = &'a CellLine>) -> bool {
    let text: String = lines.map(CellLine::text).collect();
    text.chars().count() <= FIGURE_CHARS && text.chars().all(|c| FIGURE_LOOKALIKES.contains(c))
}

/// Whether a reading as figures is one: digits, perhaps signed, grouped, with decimals or
/// a per cent sign; or a blank cell's dash or slash.
fn is_figure(text: &str) -> bool {
    let digits = text.trim_start_matches(['+', '-']).trim_end_matches('%');
    let figure = !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits.ends_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
        && digits.matches('.').count() <= 1;
    figure || matches!(text, "-" | "--" | "/")
}

/// The lines tesseract reads, as `reading` says, in the cells of `page` that have ink; a
/// row of cells it passed over is read again alone, as `alone` says.
fn read_strips(
    tools: &OcrTools,
    page: &raster::Gray,
    cells: &[CellBox],
    dir: &Path,
    reading: &[&str],
    alone: &[&str],
) -> Result<Vec<CellLine>, IngestError> {
    let mut lines = Vec::new();
    for strip in Strip::of_cells(page, cells) {
        let words = recognise(tools, &strip.picture, dir, reading)?;
        let read = strip.cell_lines(&words);
        for row in strip
            .rows_unread(&read)
            .into_iter()
            .take(MOST_ROWS_READ_AGAIN)
        {
            let row_cells: Vec<CellBox> = row.iter().map(|&n| cells[n].clone()).collect();
            for again in Strip::of_cells(page, &row_cells) {
                let words = recognise(tools, &again.picture, dir, alone)?;
                lines.extend(again.cell_lines(&words).into_iter().map(|mut line| {
                    line.cell = row[line.cell];
                    line
                }));
            }
        }
        lines.extend(read);
    }
    Ok(lines)
}

/// How many rows of a strip that tesseract passed over (`Strip::rows_unread`) are read
/// again, each alone: a row of specks is read for nothing, and each reading takes a
/// second.
const MOST_ROWS_READ_AGAIN: usize = 4;

/// A cell's picture is cut this many pixels inside its ruling, past what is left of it.
const CELL_INSET: u32 = 4;

/// A box in points (y down from the top) as pixels, `inset` pixels inside on every side.
fn pixel_box(x0: f64, top: f64, x1: f64, bottom: f64, scale: f64, inset: u32) -> PixelBox {
    let px = |points: f64| (points / scale).max(0.0).round() as u32;
    [
        px(x0) + inset,
        px(top) + inset,
        px(x1).saturating_sub(inset),
        px(bottom).saturating_sub(inset),
    ]
}

/// The words tesseract reads on a picture, read as `reading` says.
fn recognise(
    tools: &OcrTools,
    picture: &raster::Gray,
    dir: &Path,
    reading: &[&str],
) -> Result<Vec<Word>, IngestError> {
    let input = dir.join("picture.pgm");
    std::fs::write(&input, picture.to_pgm())
        .map_err(|e| IngestError::Ocr(format!("temporary file: {e}")))?;
    let base = dir.join("words");
    let mut command = Command::new(&tools.tesseract);
    command
        .arg(&input)
        .arg(&base)
        .args(reading)
        .arg("tsv")
        // One thread a picture: a batch reads files side by side already, and tesseract's
        // threads spin waiting for each other when the cores are busy.
        .env("OMP_THREAD_LIMIT", "1");
    run(&mut command, READ_SECONDS, "tesseract")?;
    let tsv = std::fs::read_to_string(base.with_extension("tsv"))
        .map_err(|e| IngestError::Ocr(format!("tesseract wrote no words: {e}")))?;
    Ok(words::words(&tsv))
}

/// Runs a program to its end within `seconds`, its output discarded (it writes files).
fn run(command: &mut Command, seconds: u64, name: &str) -> Result<(), IngestError> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| IngestError::Ocr(format!("{name}: {e}")))?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => return Err(IngestError::Ocr(format!("{name} failed ({status})"))),
            Ok(None) if started.elapsed() > Duration::from_secs(seconds) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(IngestError::Limit(format!("{name} took over {seconds} s")));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(e) => return Err(IngestError::Ocr(format!("{name}: {e}"))),
        }
    }
}

/// A folder of its own under the system's temporary folder, removed when dropped.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn new() -> std::io::Result<WorkDir> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("nianbao-ocr-{}-{n}", std::process::id()));
        std::fs::create_dir(&path)?;
        Ok(WorkDir { path })
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> CellLine {
        CellLine {
            cell: 0,
            words: vec![Word {
                text: text.into(),
                line: [1, 1, 1],
                left: 0.0,
                top: 0.0,
                width: 10.0,
                line_bottom: 10.0,
                line_height: 10.0,
                confidence: 50.0,
            }],
        }
    }

    #[test]
    fn a_misread_figure_is_read_again_and_text_is_not() {
        for misread in [
            "il",
            "l",
            "it",
            "S$",
            "1O",
            "12",
            "0.5",
            "一6",
            "16, 485. 62",
            "@)",
            "6)",
            "#12",
            "”0",
            "“0",
        ] {
            assert!(may_be_figure([line(misread)].iter()), "{misread}");
        }
        assert!(may_be_figure([].iter()), "nothing read");
        for text in ["规章", "下", "BOITKE", "行政许可", "0517-87222589 hzzwgk"] {
            assert!(!may_be_figure([line(text)].iter()), "{text}");
        }
    }

    /// A change signed with a word is kept as read alone; anything else read alone is not.
    #[test]
    fn a_change_signed_with_a_word_is_a_figure() {
        for signed in ["增3159", "减6", "增加 12", "减少2.5", "增1,024"] {
            assert!(is_signed_figure(signed), "{signed}");
        }
        for other in ["3159", "#3159", "增", "增3159个", "增长3", "减免"] {
            assert!(!is_signed_figure(other), "{other}");
        }
    }

    #[test]
    fn a_page_is_rendered_at_300_dpi_unless_it_is_huge() {
        assert_eq!(resolution(595.0, 842.0), 300.0);
        assert_eq!(resolution(842.0, 595.0), 300.0);
        // A page a metre and more high: its long side 5,000 pixels.
        let dpi = resolution(595.0, 3_600.0);
        assert!((3_600.0 / 72.0 * dpi - MOST_PIXELS).abs() < 1e-6, "{dpi}");
        assert_eq!(resolution(f64::MAX, 1.0), 1.0);
    }

    /// A picture the text is typed over is the page's ground, not a table pasted in.
    #[test]
    fn a_picture_under_typed_text_is_not_read() {
        let glyph = |x: f64, y: f64| pdf::Glyph {
            ch: '字',
            x,
            y,
            width: 10.0,
            size: 10.0,
        };
        let letterhead = [0.0, 0.0, 595.0, 842.0];
        let line: Vec<pdf::Glyph> = (0..20)
            .map(|n| glyph(100.0 + 10.0 * f64::from(n), 700.0))
            .collect();
        assert!(typed_over(&letterhead, &line));
        let pasted = [50.0, 100.0, 545.0, 500.0];
        assert!(!typed_over(&pasted, &line), "the text is above it");
        assert!(
            !typed_over(
                &pasted,
                &line[..2]
                    .iter()
                    .map(|g| glyph(g.x, 300.0))
                    .collect::<Vec<_>>()
            ),
            "a caption's few glyphs"
        );
    }

    /// A picture is rendered at half again its own resolution, at least 300 dpi and at most
    /// 1,200, its long side at most `MOST_PICTURE_PIXELS`; one whose pixels are not known
    /// at 300 dpi.
    #[test]
    fn a_picture_is_rendered_enlarged_within_bounds() {
        // 1,274 by 3,560 pixels shrunk to 255 by 709 points: 362 dpi, read at 542.
        let shrunk = [100.0, 50.0, 355.0, 759.0];
        let own = 3_560.0 * 72.0 / 709.0;
        assert!((picture_resolution(&shrunk, 3_560) - own * 1.5).abs() < 1e-9);
        let page_wide = [40.0, 400.0, 555.0, 700.0];
        assert_eq!(picture_resolution(&page_wide, 1_400), 300.0);
        assert_eq!(picture_resolution(&page_wide, 0), 300.0);
        assert_eq!(picture_resolution(&[0.0, 0.0, 100.0, 50.0], 4_000), 1_200.0);
        let long = [0.0, 0.0, 100.0, 710.0];
        let dpi = picture_resolution(&long, 9_000);
        assert!(
            (710.0 / 72.0 * dpi - MOST_PICTURE_PIXELS).abs() < 1e-6,
            "{dpi}"
        );
    }

    /// A cell's line of words `texts`, each right after the one before.
    fn words(texts: &[&str]) -> CellLine {
        let mut read = line(texts.first().copied().unwrap_or_default());
        for (n, text) in texts.iter().enumerate().skip(1) {
            read.words.push(Word {
                text: (*text).into(),
                left: 12.0 * n as f64,
                ..read.words[0].clone()
            });
        }
        read
    }

    /// The text of a line of `texts` once `mend` has mended it.
    fn mended(texts: &[&str], mend: fn(&mut CellLine)) -> String {
        let mut read = words(texts);
        mend(&mut read);
        read.text()
    }

    #[test]
    fn a_minus_read_as_yi_before_a_figure_is_a_minus() {
        let read = |text: &str| mended(&[text], minus_for_yi);
        assert_eq!(read("一6"), "-6");
        assert_eq!(mended(&["一", "6"], minus_for_yi), "-6");
        assert_eq!(read("一1,234"), "-1,234");
        assert_eq!(read("一"), "一");
        assert_eq!(read("一、"), "一、");
        assert_eq!(read("6"), "6");
    }

    #[test]
    fn a_zero_read_as_two_halves_is_a_zero() {
        let read = |text: &str| mended(&[text], split_zero);
        assert_eq!(read("0)"), "0");
        assert_eq!(read("6)"), "0");
        assert_eq!(read("10)"), "10");
        let mut apart = words(&["0", ")"]);
        split_zero(&mut apart);
        assert_eq!((apart.text().as_str(), apart.words[0].width), ("0", 22.0));
        for other in ["5)", "(0)", "0", "6", "a0)", ")"] {
            assert_eq!(read(other), other);
        }
    }

    #[test]
    fn a_speck_read_as_a_quotation_mark_before_a_short_word_is_dropped() {
        let read = |texts: &[&str]| mended(texts, speck_before);
        assert_eq!(read(&["“无"]), "无");
        assert_eq!(read(&["”个"]), "个");
        assert_eq!(read(&["“", "无"]), "无");
        for kept in ["“三安全", "一稳定”", "“无”", "无", "“"] {
            assert_eq!(read(&[kept]), kept);
        }
    }

    #[test]
    fn only_a_figure_read_as_one_replaces_the_reading() {
        for figure in ["1", "4119", "7730.28", "1,136", "+3", "-6", "5%", "-", "/"] {
            assert!(is_figure(figure), "{figure}");
        }
        for not in ["", "7.7.3", ".5", "3.", "+", "1/2", "12 3"] {
            assert!(!is_figure(not), "{not}");
        }
    }
}
