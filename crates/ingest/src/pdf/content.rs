//! What a page's content stream draws: glyphs placed by the text operators (text and
//! graphics matrices, ToUnicode maps, glyph widths) and the straight edges of its paths.

use super::fonts::{load_font, Font, Fonts};
use lopdf::content::Operation;
use lopdf::{Dictionary, Document as Pdf, Object};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy)]
pub(crate) struct Matrix([f64; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    /// self × other (PDF order: apply self, then other).
    fn then(self, o: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [oa, ob, oc, od, oe, of] = o.0;
        Matrix([
            a * oa + b * oc,
            a * ob + b * od,
            c * oa + d * oc,
            c * ob + d * od,
            e * oa + f * oc + oe,
            e * ob + f * od + of,
        ])
    }

    fn translate(x: f64, y: f64) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, x, y])
    }

    /// A point of user space on the page.
    fn apply(self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

/// One glyph on the page, in default user space (y up): its origin on the baseline.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub ch: char,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
}

impl Glyph {
    /// The middle of the glyph's box (the box rises about 0.8 of the size above the baseline).
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.width / 2.0, self.y + self.size * 0.3)
    }
}

/// A straight, horizontal or vertical stroke or edge on the page, in default user space.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

/// What one page draws: its glyphs, its ruling, its size.
#[derive(Debug, Default)]
pub(crate) struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub segments: Vec<Segment>,
    pub width: f64,
    pub height: f64,
    /// Codes shown whose text is not known (a composite font without ToUnicode whose CMap
    /// is not an encoding of text): drawn, but not machine-readable here.
    pub unmapped: usize,
    /// Glyphs shown, and of them those shown invisible (`TextState::invisible`) or covered
    /// by an opaque image of half the page or more drawn after them (a scan's OCR text set
    /// under its page image).
    pub shown: usize,
    pub invisible: usize,
    /// Where the page draws images: (left, bottom, right, top) in default user space.
    pub pictures: Vec<[f64; 4]>,
    /// The longer side of each of `pictures`, in the image's own pixels (0 when not known):
    /// what OCR renders a picture at (`ocr::text_reading_pictures`).
    pub picture_pixels: Vec<u32>,
    /// The boxes (as `pictures`) of images whose words OCR read into `glyphs`: what is
    /// laid out inside them was recognised, not typed.
    pub recognised: Vec<[f64; 4]>,
}

/// Images of a page past this many are not noted (hostile input): a scan's page has one,
/// a report's page a few.
pub(crate) const MOST_IMAGES: usize = 256;

/// More path segments than this on a page and its ruling is not looked at (hostile input).
const MAX_SEGMENTS: usize = 50_000;

/// The operators that paint or end a path, where a pending clip takes effect.
const PAINTS: [&str; 10] = ["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"];

/// Fills thinner than this are lines (WPS and others draw borders as thin rectangles).
const THIN: f64 = 2.0;

/// The path being built: subpaths of points, each closed or not.
#[derive(Default)]
pub(crate) struct Path {
    subpaths: Vec<(Vec<(f64, f64)>, bool)>,
}

impl Path {
    pub(crate) fn move_to(&mut self, p: (f64, f64)) {
        self.subpaths.push((vec![p], false));
    }

    pub(crate) fn line_to(&mut self, p: (f64, f64)) {
        match self.subpaths.last_mut() {
            Some((points, _)) => points.push(p),
            None => self.move_to(p),
        }
    }

    pub(crate) fn close(&mut self) {
        if let Some((_, closed)) = self.subpaths.last_mut() {
            *closed = true;
        }
    }

    /// The box around the path's points.
    fn bounds(&self) -> Option<Clip> {
        let mut points = self.subpaths.iter().flat_map(|(p, _)| p);
        let &(x, y) = points.next()?;
        Some(points.fold(
            Clip {
                x0: x,
                y0: y,
                x1: x,
                y1: y,
            },
            |c, &(x, y)| Clip {
                x0: c.x0.min(x),
                y0: c.y0.min(y),
                x1: c.x1.max(x),
                y1: c.y1.max(y),
            },
        ))
    }

    /// The horizontal and vertical edges of the path as painted; a thin filled rectangle is
    /// the line along its middle.
    pub(crate) fn paint(&mut self, fill: bool, out: &mut Vec<Segment>) {
        for (points, closed) in self.subpaths.drain(..) {
            if out.len() > MAX_SEGMENTS {
                return;
            }
            if fill {
                if let Some(line) = thin_rectangle(&points) {
                    out.push(line);
                    continue;
                }
            }
            let closing = (closed || fill) && points.len() > 2;
            let first = points.first().copied();
            let pairs = points
                .windows(2)
                .map(|w| (w[0], w[1]))
                .chain(closing.then(|| (points[points.len() - 1], first.unwrap_or_default())));
            for ((x0, y0), (x1, y1)) in pairs {
                let straight = (x0 - x1).abs() < 0.5 || (y0 - y1).abs() < 0.5;
                if straight && ((x0 - x1).abs() + (y0 - y1).abs()) > 0.5 {
                    out.push(Segment { x0, y0, x1, y1 });
                }
            }
        }
    }
}

/// The clipping region, as the box around the clipping paths: what the page shows of
/// anything drawn. Text a clip hides (a cell's overflowing label that LibreOffice cuts at
/// the cell's border) is not on the page.
#[derive(Debug, Clone, Copy)]
struct Clip {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Clip {
    fn intersect(self, o: Clip) -> Clip {
        Clip {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        }
    }

    /// Whether the glyph's middle is shown (a point of slack for rounding).
    fn shows(&self, g: &Glyph) -> bool {
        let (x, y) = g.centre();
        x >= self.x0 - 1.0 && x <= self.x1 + 1.0 && y >= self.y0 - 1.0 && y <= self.y1 + 1.0
    }
}

/// The graphics state q saves and Q restores, as far as it is followed here.
#[derive(Clone, Copy)]
struct Saved {
    ctm: Matrix,
    white_fill: bool,
    clip: Option<Clip>,
    invisible: bool,
    translucent: bool,
}

impl Default for Saved {
    fn default() -> Self {
        Saved {
            ctm: Matrix::IDENTITY,
            white_fill: false,
            clip: None,
            invisible: false,
            translucent: false,
        }
    }
}

/// Whether the named graphics state (`gs`'s operand) fills with an alpha below 1.
fn translucent(pdf: &Pdf, resources: &Resources, operands: &[Object]) -> bool {
    let state = operands
        .first()
        .and_then(|o| o.as_name().ok())
        .and_then(|name| entry(pdf, resources.states?, name))
        .and_then(|o| o.as_dict().ok());
    state
        .and_then(|s| entry(pdf, s, b"ca"))
        .and_then(number)
        .is_some_and(|alpha| alpha < 0.99)
}

/// The glyphs an opaque image of half the page or more (`page_area`) covers, drawn after
/// them: text set under a scan's page image, as some OCR software makes a scan searchable.
fn covered_glyphs(glyphs: &[Glyph], images: &[(Clip, usize)], page_area: f64) -> usize {
    let large = |c: &Clip| (c.x1 - c.x0) * (c.y1 - c.y0) >= page_area / 2.0;
    let covering: Vec<&(Clip, usize)> = images.iter().filter(|(c, _)| large(c)).collect();
    glyphs
        .iter()
        .enumerate()
        .filter(|(k, g)| covering.iter().any(|(c, before)| k < before && c.shows(g)))
        .count()
}

/// Whether colour operands (gray, RGB or CMYK by their count) are white.
fn is_white(n: &[f64]) -> bool {
    match n.len() {
        1 | 3 => n.iter().all(|v| *v >= 0.99),
        4 => n.iter().all(|v| *v <= 0.01),
        _ => false,
    }
}

/// A four-point axis-aligned rectangle thinner than [`THIN`]: the line along it.
fn thin_rectangle(points: &[(f64, f64)]) -> Option<Segment> {
    let points = match points {
        [a, b, c, d, e] if a == e => [*a, *b, *c, *d],
        [a, b, c, d] => [*a, *b, *c, *d],
        _ => return None,
    };
    let xs = points.iter().map(|p| p.0);
    let ys = points.iter().map(|p| p.1);
    let (x0, x1) = (
        xs.clone().fold(f64::MAX, f64::min),
        xs.fold(f64::MIN, f64::max),
    );
    let (y0, y1) = (
        ys.clone().fold(f64::MAX, f64::min),
        ys.fold(f64::MIN, f64::max),
    );
    let axis_aligned = points
        .iter()
        .all(|p| (p.0 == x0 || p.0 == x1) && (p.1 == y0 || p.1 == y1));
    if !axis_aligned {
        return None;
    }
    let (w, h) = (x1 - x0, y1 - y0);
    if h < THIN && w >= h {
        let y = (y0 + y1) / 2.0;
        Some(Segment {
            x0,
            y0: y,
            x1,
            y1: y,
        })
    } else if w < THIN && h > w {
        let x = (x0 + x1) / 2.0;
        Some(Segment {
            x0: x,
            y0,
            x1: x,
            y1,
        })
    } else {
        None
    }
}

pub(crate) fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

pub(crate) fn resolve<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => pdf.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

#[derive(Clone)]
struct TextState {
    ctm: Matrix,
    tm: Matrix,
    tlm: Matrix,
    font: Option<Vec<u8>>,
    size: f64,
    char_spacing: f64,
    word_spacing: f64,
    scale: f64,
    leading: f64,
    rise: f64,
    /// Text rendering mode 3 or 7 (Tr): glyphs neither filled nor stroked. OCR software
    /// lays a scan's recognised text over the page image so.
    invisible: bool,
}

/// Whether a glyph's baseline runs along the page's edges (across or down, either way):
/// text set at a slant is a seal's ring of characters or a watermark, no part of the
/// report's lines, and would be strewn among them. A few degrees are let through (a
/// scan's text layer set to its skew).
fn square(trm: Matrix) -> bool {
    const MOST_SLANT: f64 = 0.05; // about 3 degrees
    let [a, b, ..] = trm.0;
    let length = (a * a + b * b).sqrt();
    length > 0.0 && a.abs().min(b.abs()) <= MOST_SLANT * length
}

/// What showing a string found besides its glyphs.
#[derive(Default)]
struct Shown {
    /// Codes with no known text.
    unmapped: usize,
    /// Whether it was set at a slant (its glyphs left out).
    slanted: bool,
}

impl Shown {
    /// What this and another string found, together.
    fn and(self, other: Shown) -> Shown {
        Shown {
            unmapped: self.unmapped + other.unmapped,
            slanted: self.slanted || other.slanted,
        }
    }
}

/// Places the glyphs of a shown string, but those set at a slant.
fn show(
    bytes: &[u8],
    state: &mut TextState,
    font: Option<&Font>,
    glyphs: &mut Vec<Glyph>,
) -> Shown {
    let Some(font) = font else {
        return Shown::default();
    };
    let mut shown = Shown::default();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (code, len) = font.codes.next(rest);
        rest = &rest[len..];
        let text = match font.to_unicode.get(&code) {
            Some(t) => t.clone(),
            None => font.codes.text(code, len),
        };
        shown.unmapped += usize::from(text.is_empty());
        let trm = Matrix([
            state.size * state.scale,
            0.0,
            0.0,
            state.size,
            0.0,
            state.rise,
        ])
        .then(state.tm)
        .then(state.ctm);
        let height = (trm.0[2].powi(2) + trm.0[3].powi(2)).sqrt();
        let width = font.width(code) / 1000.0;
        let spacing = state.char_spacing
            + if len == 1 && code == 32 {
                state.word_spacing
            } else {
                0.0
            };
        let advance_x = (width * state.size + spacing) * state.scale;
        let glyph_width = (trm.0[0].powi(2) + trm.0[1].powi(2)).sqrt() * width;
        let upright = square(trm);
        shown.slanted |= !upright && !text.is_empty();
        for ch in text.chars().filter(|c| !c.is_control() && upright) {
            glyphs.push(Glyph {
                ch,
                x: trm.0[4],
                y: trm.0[5],
                width: glyph_width,
                size: height,
            });
        }
        state.tm = if font.vertical {
            Matrix::translate(0.0, -(state.size + state.char_spacing)).then(state.tm)
        } else {
            Matrix::translate(advance_x, 0.0).then(state.tm)
        };
    }
    shown
}

fn operand_numbers(operands: &[Object]) -> Vec<f64> {
    operands.iter().filter_map(number).collect()
}

/// An entry of the page or, when it has none, of the nearest of its parents that has it
/// (MediaBox and Rotate are inherited).
fn inherited<'p>(pdf: &'p Pdf, page: lopdf::ObjectId, key: &[u8]) -> Option<&'p Object> {
    let mut node = pdf.get_dictionary(page).ok();
    for _ in 0..16 {
        let dict = node?;
        if let Ok(value) = dict.get(key) {
            return Some(resolve(pdf, value));
        }
        node = dict
            .get(b"Parent")
            .ok()
            .and_then(|o| o.as_reference().ok())
            .and_then(|id| pdf.get_dictionary(id).ok());
    }
    None
}

/// The page's size from its MediaBox, A4 when it has none.
pub(crate) fn page_size(pdf: &Pdf, page: lopdf::ObjectId) -> (f64, f64) {
    let corners = inherited(pdf, page, b"MediaBox")
        .and_then(|o| o.as_array().ok())
        .map(|b| {
            b.iter()
                .filter_map(|o| number(resolve(pdf, o)))
                .collect::<Vec<f64>>()
        });
    match corners.as_deref() {
        Some(&[x0, y0, x1, y1]) => ((x1 - x0).abs(), (y1 - y0).abs()),
        _ => (595.0, 842.0),
    }
}

/// How far the page is turned clockwise when shown (its /Rotate): 0, 90, 180 or 270.
fn page_rotation(pdf: &Pdf, page: lopdf::ObjectId) -> i64 {
    let degrees = inherited(pdf, page, b"Rotate")
        .and_then(|o| o.as_i64().ok())
        .unwrap_or(0);
    match degrees.rem_euclid(360) {
        r @ (90 | 180 | 270) => r,
        _ => 0,
    }
}

/// The page's content as it is shown: a page printed turned (/Rotate 90 from a PDF
/// printer's landscape) has its lines running down its user space; turned back, they run
/// across again. `width` and `height` become the shown page's.
fn turned(mut content: PageContent, rotation: i64) -> PageContent {
    // Most pages are upright: their glyphs are not walked for nothing.
    if rotation == 0 {
        return content;
    }
    let (width, height) = (content.width, content.height);
    let turn = |x: f64, y: f64| match rotation {
        90 => (y, width - x),
        180 => (width - x, height - y),
        270 => (height - y, x),
        _ => (x, y),
    };
    for g in &mut content.glyphs {
        (g.x, g.y) = turn(g.x, g.y);
    }
    for s in &mut content.segments {
        (s.x0, s.y0) = turn(s.x0, s.y0);
        (s.x1, s.y1) = turn(s.x1, s.y1);
    }
    for [x0, y0, x1, y1] in &mut content.pictures {
        let ((a, b), (c, d)) = (turn(*x0, *y0), turn(*x1, *y1));
        (*x0, *y0, *x1, *y1) = (a.min(c), b.min(d), a.max(c), b.max(d));
    }
    if rotation == 90 || rotation == 270 {
        (content.width, content.height) = (height, width);
    }
    content
}

/// Form XObjects drawn one inside another at most this deep. A stamped page (an e-seal
/// tool's, a merger's) draws its whole content as one form; a form that draws itself is
/// cut off here, and by `FORM_OPERATIONS`.
const MOST_FORM_DEPTH: usize = 12;

/// Operations of forms drawn on one page at most: a form drawn many times, each drawing
/// another many times, would otherwise multiply them past any file's size. A dense page
/// of a table has about 5,000 (the lab's PDFs and ../shared's at most 5,185).
const FORM_OPERATIONS: usize = 200_000;

/// What a content stream may name: its fonts (by their place in `Fonts`) and its
/// XObjects (images, and forms: content streams of their own).
#[derive(Clone)]
struct Resources<'p> {
    fonts: BTreeMap<Vec<u8>, usize>,
    xobjects: Option<&'p Dictionary>,
    /// Named graphics states (`gs`), for their fill alpha.
    states: Option<&'p Dictionary>,
}

/// The places in `loaded` of the fonts `named`, each loaded the first time it is seen.
fn font_places<'p>(
    pdf: &'p Pdf,
    named: impl IntoIterator<Item = (Vec<u8>, &'p Dictionary)>,
    loaded: &mut Fonts,
) -> BTreeMap<Vec<u8>, usize> {
    named
        .into_iter()
        .map(|(name, dict)| {
            // The address only tells a dictionary seen before; it is never followed.
            let at = dict as *const Dictionary as usize;
            loaded.0.entry(at).or_insert_with(|| load_font(pdf, dict));
            (name, at)
        })
        .collect()
}

/// A dictionary entry, its reference followed.
fn entry<'p>(pdf: &'p Pdf, dict: &'p Dictionary, key: &[u8]) -> Option<&'p Object> {
    dict.get(key).ok().map(|o| resolve(pdf, o))
}

/// A page's resources: its fonts (inherited from its parents too) and the XObjects of the
/// nearest resource dictionary that has some.
fn page_resources<'p>(pdf: &'p Pdf, page: lopdf::ObjectId, loaded: &mut Fonts) -> Resources<'p> {
    let named = pdf.get_page_fonts(page).unwrap_or_default();
    let nearest = |key: &[u8]| {
        pdf.get_page_resources(page)
            .ok()
            .and_then(|(own, inherited)| {
                let inherited = inherited
                    .into_iter()
                    .filter_map(|id| pdf.get_dictionary(id).ok());
                own.into_iter()
                    .chain(inherited)
                    .find_map(|r| entry(pdf, r, key).and_then(|o| o.as_dict().ok()))
            })
    };
    Resources {
        fonts: font_places(pdf, named, loaded),
        xobjects: nearest(b"XObject"),
        states: nearest(b"ExtGState"),
    }
}

/// A form's own resources, or, when it has none (as older writers leave them), those of
/// the content that draws it.
fn form_resources<'p>(
    pdf: &'p Pdf,
    form: &'p Dictionary,
    drawn_by: &Resources<'p>,
    loaded: &mut Fonts,
) -> Resources<'p> {
    let Some(own) = entry(pdf, form, b"Resources").and_then(|o| o.as_dict().ok()) else {
        return drawn_by.clone();
    };
    let named = entry(pdf, own, b"Font")
        .and_then(|o| o.as_dict().ok())
        .into_iter()
        .flat_map(|fonts| fonts.iter())
        .filter_map(|(name, font)| Some((name.clone(), resolve(pdf, font).as_dict().ok()?)));
    Resources {
        fonts: font_places(pdf, named, loaded),
        xobjects: entry(pdf, own, b"XObject").and_then(|o| o.as_dict().ok()),
        states: entry(pdf, own, b"ExtGState").and_then(|o| o.as_dict().ok()),
    }
}

/// Six numbers of an array entry (a form's /Matrix), or four (its /BBox).
fn numbers_of<const N: usize>(pdf: &Pdf, dict: &Dictionary, key: &[u8]) -> Option<[f64; N]> {
    let list = entry(pdf, dict, key)?.as_array().ok()?;
    let numbers: Vec<f64> = list
        .iter()
        .filter_map(|o| number(resolve(pdf, o)))
        .collect();
    numbers.try_into().ok()
}

/// What a page draws: glyphs placed by the text operators, and the horizontal and vertical
/// edges of its stroked and filled paths (clipping paths are not drawn), its forms' too.
pub(crate) fn page_content(pdf: &Pdf, page: lopdf::ObjectId, loaded: &mut Fonts) -> PageContent {
    let (width, height) = page_size(pdf, page);
    let mut content = PageContent {
        width,
        height,
        ..PageContent::default()
    };
    let resources = page_resources(pdf, page, loaded);
    let Ok(data) = pdf.get_page_content(page) else {
        return content;
    };
    let operations = super::operations::decode(&data);
    let mut painter = Painter::new(pdf, loaded);
    painter.run(&operations, &resources, 0);
    let covered = covered_glyphs(&painter.glyphs, &painter.images, width * height);
    content.invisible = (painter.invisible + covered).min(painter.shown);
    content.shown = painter.shown;
    content.pictures = painter
        .pictures
        .iter()
        .map(|(c, _)| [c.x0, c.y0, c.x1, c.y1])
        .collect();
    content.picture_pixels = painter.pictures.iter().map(|&(_, pixels)| pixels).collect();
    content.glyphs = painter.glyphs;
    content.segments = painter.segments;
    content.unmapped = painter.unmapped;
    turned(content, page_rotation(pdf, page))
}

/// A page being drawn: the state its operators change, and what they drew.
struct Painter<'p, 'f> {
    pdf: &'p Pdf,
    loaded: &'f mut Fonts,
    state: TextState,
    /// The graphics state kept by q/Q: the matrix, and whether fills are white (invisible
    /// backgrounds, which WPS paints behind every line of text: no ruling), the clip, and
    /// whether text is drawn invisible.
    stack: Vec<Saved>,
    white_fill: bool,
    clip: Option<Clip>,
    /// W or W* makes the current path the clip when the path is next painted (or ended).
    clipping: bool,
    path: Path,
    glyphs: Vec<Glyph>,
    segments: Vec<Segment>,
    /// Codes shown with no known text.
    unmapped: usize,
    /// Glyphs shown, and of them those shown invisible.
    shown: usize,
    invisible: usize,
    /// Opaque images drawn: where, and how many glyphs had been drawn before each.
    images: Vec<(Clip, usize)>,
    /// Every image drawn, opaque or not.
    /// Where images are drawn, and the longer side of each in its pixels.
    pictures: Vec<(Clip, u32)>,
    /// Whether the graphics state fills with an alpha below 1 (`gs` with /ca).
    translucent: bool,
    /// The open text object (BT): where its glyphs start, and whether it set some at a
    /// slant.
    text_object: Option<(usize, bool)>,
    /// How many more operations of forms this page may draw.
    form_operations_left: usize,
}

impl<'p, 'f> Painter<'p, 'f> {
    fn new(pdf: &'p Pdf, loaded: &'f mut Fonts) -> Self {
        Painter {
            pdf,
            loaded,
            state: TextState {
                ctm: Matrix::IDENTITY,
                tm: Matrix::IDENTITY,
                tlm: Matrix::IDENTITY,
                font: None,
                size: 1.0,
                char_spacing: 0.0,
                word_spacing: 0.0,
                scale: 1.0,
                leading: 0.0,
                rise: 0.0,
                invisible: false,
            },
            stack: Vec::new(),
            white_fill: false,
            clip: None,
            clipping: false,
            path: Path::default(),
            glyphs: Vec::new(),
            segments: Vec::new(),
            unmapped: 0,
            shown: 0,
            invisible: 0,
            images: Vec::new(),
            pictures: Vec::new(),
            translucent: false,
            text_object: None,
            form_operations_left: FORM_OPERATIONS,
        }
    }

    /// Draws a content stream's operations, naming `resources`, `depth` forms deep.
    fn run(&mut self, operations: &[Operation], resources: &Resources<'p>, depth: usize) {
        for op in operations {
            let shown_before = self.glyphs.len();
            self.operate(op, resources, depth);
            if let Some(clip) = self.clip {
                let mut k = shown_before;
                while k < self.glyphs.len() {
                    if clip.shows(&self.glyphs[k]) {
                        k += 1;
                    } else {
                        self.glyphs.remove(k);
                    }
                }
            }
        }
    }

    fn operate(&mut self, op: &Operation, resources: &Resources<'p>, depth: usize) {
        let n = operand_numbers(&op.operands);
        let state = &mut self.state;
        let path = &mut self.path;
        if self.clipping && PAINTS.contains(&op.operator.as_str()) {
            self.clipping = false;
            if let Some(bounds) = path.bounds() {
                self.clip = Some(self.clip.map_or(bounds, |c| c.intersect(bounds)));
            }
        }
        let font_of = |name: &Option<Vec<u8>>| {
            let at = resources.fonts.get(name.as_ref()?)?;
            self.loaded.0.get(at)
        };
        match op.operator.as_str() {
            "q" => self.stack.push(Saved {
                ctm: state.ctm,
                white_fill: self.white_fill,
                clip: self.clip,
                invisible: state.invisible,
                translucent: self.translucent,
            }),
            "Q" => {
                let saved = self.stack.pop().unwrap_or_default();
                (state.ctm, self.white_fill, self.clip) = (saved.ctm, saved.white_fill, saved.clip);
                (state.invisible, self.translucent) = (saved.invisible, saved.translucent);
            }
            "gs" => self.translucent = translucent(self.pdf, resources, &op.operands),
            "W" | "W*" => self.clipping = true,
            "g" | "rg" | "k" | "sc" | "scn" => self.white_fill = is_white(&n),
            "cs" => self.white_fill = false,
            "cm" if n.len() == 6 => {
                state.ctm = Matrix([n[0], n[1], n[2], n[3], n[4], n[5]]).then(state.ctm)
            }
            "BT" => {
                state.tm = Matrix::IDENTITY;
                state.tlm = Matrix::IDENTITY;
                self.text_object = Some((self.glyphs.len(), false));
            }
            "ET" => {
                // A text object that sets some of its glyphs at a slant is a seal's (its
                // ring, and the star and the word at its top that stand upright) or a
                // watermark's: none of it is the report's.
                if let Some((start, true)) = self.text_object.take() {
                    self.glyphs.truncate(start);
                }
            }
            "Tf" => {
                state.font = op
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .map(|n| n.to_vec());
                state.size = op.operands.get(1).and_then(number).unwrap_or(1.0);
            }
            "Tc" if !n.is_empty() => state.char_spacing = n[0],
            "Tw" if !n.is_empty() => state.word_spacing = n[0],
            "Tz" if !n.is_empty() => state.scale = n[0] / 100.0,
            "TL" if !n.is_empty() => state.leading = n[0],
            "Ts" if !n.is_empty() => state.rise = n[0],
            "Tr" if !n.is_empty() => state.invisible = matches!(n[0] as i64, 3 | 7),
            "Td" | "TD" if n.len() == 2 => {
                if op.operator == "TD" {
                    state.leading = -n[1];
                }
                state.tlm = Matrix::translate(n[0], n[1]).then(state.tlm);
                state.tm = state.tlm;
            }
            "Tm" if n.len() == 6 => {
                state.tlm = Matrix([n[0], n[1], n[2], n[3], n[4], n[5]]);
                state.tm = state.tlm;
            }
            "T*" => {
                state.tlm = Matrix::translate(0.0, -state.leading).then(state.tlm);
                state.tm = state.tlm;
            }
            "Tj" | "'" | "\"" => {
                if op.operator != "Tj" {
                    state.tlm = Matrix::translate(0.0, -state.leading).then(state.tlm);
                    state.tm = state.tlm;
                }
                if let Some(Object::String(bytes, _)) = op.operands.last() {
                    let font = font_of(&state.font);
                    let first = self.glyphs.len();
                    let shown = show(bytes, state, font, &mut self.glyphs);
                    self.note(shown, first);
                }
            }
            "TJ" => {
                let font = font_of(&state.font);
                let first = self.glyphs.len();
                let mut all = Shown::default();
                if let Some(Object::Array(items)) = op.operands.first() {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => {
                                all = all.and(show(bytes, state, font, &mut self.glyphs));
                            }
                            other => {
                                if let Some(adjust) = number(other) {
                                    let tx = -adjust / 1000.0 * state.size * state.scale;
                                    state.tm = Matrix::translate(tx, 0.0).then(state.tm);
                                }
                            }
                        }
                    }
                }
                self.note(all, first);
            }
            "m" if n.len() == 2 => path.move_to(state.ctm.apply(n[0], n[1])),
            "l" if n.len() == 2 => path.line_to(state.ctm.apply(n[0], n[1])),
            // Curves are no ruling: only their end point matters, where the path goes on.
            "c" if n.len() == 6 => path.move_to(state.ctm.apply(n[4], n[5])),
            "v" | "y" if n.len() == 4 => path.move_to(state.ctm.apply(n[2], n[3])),
            "h" => path.close(),
            "re" if n.len() == 4 => {
                let (x, y, w, h) = (n[0], n[1], n[2], n[3]);
                path.move_to(state.ctm.apply(x, y));
                path.line_to(state.ctm.apply(x + w, y));
                path.line_to(state.ctm.apply(x + w, y + h));
                path.line_to(state.ctm.apply(x, y + h));
                path.close();
            }
            "S" | "s" => {
                if op.operator == "s" {
                    path.close();
                }
                path.paint(false, &mut self.segments);
            }
            "f" | "F" | "f*" if self.white_fill => path.subpaths.clear(),
            "f" | "F" | "f*" => path.paint(true, &mut self.segments),
            "B" | "B*" | "b" | "b*" => path.paint(false, &mut self.segments),
            "n" => path.subpaths.clear(),
            "Do" => self.draw_form(op, resources, depth),
            _ => {}
        }
    }

    /// What a shown string found: its unmapped codes and its glyphs (from `first` on)
    /// counted, a slant noted for its text object.
    fn note(&mut self, shown: Shown, first: usize) {
        self.unmapped += shown.unmapped;
        let glyphs = self.glyphs.len() - first;
        self.shown += glyphs;
        if self.state.invisible {
            self.invisible += glyphs;
        }
        if let Some((_, slanted)) = &mut self.text_object {
            *slanted |= shown.slanted;
        }
    }

    /// An image drawn: where it lands (the unit square in the current matrix), and whether
    /// it covers what was drawn before it: when nothing shows through it (no mask, no soft
    /// mask, not a stencil, not drawn translucent).
    fn note_image(&mut self, image: &Dictionary) {
        let mut frame = Path::default();
        let ctm = self.state.ctm;
        frame.move_to(ctm.apply(0.0, 0.0));
        for (x, y) in [(1.0, 0.0), (1.0, 1.0), (0.0, 1.0)] {
            frame.line_to(ctm.apply(x, y));
        }
        let Some(bounds) = frame.bounds() else {
            return;
        };
        // A page of a report draws a few images; a hostile one may draw millions.
        if self.pictures.len() >= MOST_IMAGES {
            return;
        }
        let pixels = [b"Width".as_slice(), b"Height"]
            .iter()
            .filter_map(|key| match entry(self.pdf, image, key) {
                Some(Object::Integer(n)) => u32::try_from(*n).ok(),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        self.pictures.push((bounds, pixels));
        let see_through = [b"SMask".as_slice(), b"Mask"]
            .iter()
            .any(|key| image.has(key))
            || matches!(
                entry(self.pdf, image, b"ImageMask"),
                Some(Object::Boolean(true))
            );
        if !see_through && !self.translucent {
            self.images.push((bounds, self.glyphs.len()));
        }
    }

    /// `Do` of a form XObject: its content drawn in its own matrix, clipped to its box, in a
    /// graphics state of its own (restored after it, as q and Q would). Images, unknown
    /// names, forms nested too deep and forms past the page's budget draw nothing.
    fn draw_form(&mut self, op: &Operation, resources: &Resources<'p>, depth: usize) {
        let pdf = self.pdf;
        let Some(form) = op
            .operands
            .first()
            .and_then(|o| o.as_name().ok())
            .and_then(|name| entry(pdf, resources.xobjects?, name))
            .and_then(|o| o.as_stream().ok())
        else {
            return;
        };
        let subtype = entry(pdf, &form.dict, b"Subtype").and_then(|o| o.as_name().ok());
        if subtype == Some(b"Image".as_slice()) {
            self.note_image(&form.dict);
            return;
        }
        if subtype != Some(b"Form".as_slice()) || depth >= MOST_FORM_DEPTH {
            return;
        }
        let data = form
            .decompressed_content()
            .unwrap_or_else(|_| form.content.clone());
        let operations = super::operations::decode(&data);
        if operations.len() > self.form_operations_left {
            tracing::warn!("a page draws forms of more than {FORM_OPERATIONS} operations: the rest are not read");
            self.form_operations_left = 0;
            return;
        }
        self.form_operations_left -= operations.len();
        let own = form_resources(pdf, &form.dict, resources, self.loaded);
        let saved_state = self.state.clone();
        let saved = (self.white_fill, self.clip, self.clipping, self.stack.len());
        let path = std::mem::take(&mut self.path);
        if let Some([a, b, c, d, e, f]) = numbers_of::<6>(pdf, &form.dict, b"Matrix") {
            self.state.ctm = Matrix([a, b, c, d, e, f]).then(self.state.ctm);
        }
        if let Some([x0, y0, x1, y1]) = numbers_of::<4>(pdf, &form.dict, b"BBox") {
            let ctm = self.state.ctm;
            let mut frame = Path::default();
            frame.move_to(ctm.apply(x0, y0));
            for (x, y) in [(x1, y0), (x1, y1), (x0, y1)] {
                frame.line_to(ctm.apply(x, y));
            }
            if let Some(bounds) = frame.bounds() {
                self.clip = Some(self.clip.map_or(bounds, |c| c.intersect(bounds)));
            }
        }
        self.clipping = false;
        self.run(&operations, &own, depth + 1);
        self.state = saved_state;
        (self.white_fill, self.clip, self.clipping) = (saved.0, saved.1, saved.2);
        self.stack.truncate(saved.3);
        self.path = path;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page document: the page draws `content`; `forms` are form XObjects (name,
    /// content, extra entries of its dictionary) its resources name beside font /F1
    /// (Helvetica: single-byte codes read as their chars), and an image as /Im1.
    fn page_with_forms(content: &str, forms: &[(&str, &str, Dictionary)]) -> Pdf {
        page_with_font(helvetica(), content, forms)
    }

    fn helvetica() -> Dictionary {
        lopdf::dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" }
    }

    /// `page_with_forms` with `font` as /F1 (and Helvetica as /F2).
    fn page_with_font(font: Dictionary, content: &str, forms: &[(&str, &str, Dictionary)]) -> Pdf {
        use lopdf::{dictionary, Stream};
        let mut pdf = Pdf::with_version("1.5");
        let font = pdf.add_object(font);
        let helvetica = pdf.add_object(helvetica());
        let image = pdf.add_object(Stream::new(
            dictionary! { "Type" => "XObject", "Subtype" => "Image", "Width" => 1, "Height" => 1 },
            vec![0],
        ));
        let mut xobjects = dictionary! { "Im1" => image };
        for (name, form_content, extra) in forms {
            let mut dict = dictionary! { "Type" => "XObject", "Subtype" => "Form" };
            for (key, value) in extra.iter() {
                dict.set(key.clone(), value.clone());
            }
            let id = pdf.add_object(Stream::new(dict, form_content.as_bytes().to_vec()));
            xobjects.set(name.as_bytes().to_vec(), id);
        }
        let contents = pdf.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()));
        let pages = pdf.new_object_id();
        let page = pdf.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Contents" => contents,
            "Resources" => dictionary! {
                "Font" => dictionary! { "F1" => font, "F2" => helvetica },
                "XObject" => xobjects,
                "ExtGState" => dictionary! { "Faint" => dictionary! { "ca" => 0.3 } },
            },
        });
        pdf.objects.insert(
            pages,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
            ),
        );
        let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        pdf.trailer.set("Root", catalog);
        pdf
    }

    /// The glyphs the document's one page draws.
    fn glyphs(pdf: &Pdf) -> Vec<Glyph> {
        let page = *pdf.get_pages().values().next().expect("a page");
        page_content(pdf, page, &mut Fonts::default()).glyphs
    }

    /// The words the document's one page draws (glyphs on one baseline), with their places.
    fn drawn(pdf: &Pdf) -> Vec<(String, i64, i64)> {
        let glyphs = glyphs(pdf);
        let mut words: Vec<(String, i64, i64)> = Vec::new();
        for g in &glyphs {
            let (x, y) = (g.x.round() as i64, g.y.round() as i64);
            match words.last_mut() {
                Some((word, _, wy)) if *wy == y => word.push(g.ch),
                _ => words.push((g.ch.to_string(), x, y)),
            }
        }
        words
    }

    fn text_at(text: &str, x: i64, y: i64) -> (String, i64, i64) {
        (text.to_string(), x, y)
    }

    /// A font that is not embedded, encoded by a predefined CMap and without ToUnicode (as
    /// iText sets Chinese): its codes read as UCS-2, ASCII's widths found by their CID.
    #[test]
    fn a_cmap_font_without_to_unicode_is_read_by_its_encoding() {
        use lopdf::dictionary;
        let descendant = dictionary! {
            "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
            "DW" => 1000, "W" => vec![17.into(), vec![Object::Real(400.0)].into()],
        };
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "STSong-Light-UniGB-UCS2-H",
            "Encoding" => "UniGB-UCS2-H", "DescendantFonts" => vec![descendant.into()],
        };
        // 兰 2 0 年: two CJK glyphs of full width, '0' of its own width (CID 17), '2' of
        // half (no entry).
        let content = "BT /F1 10 Tf 100 700 Td <5170003200305E74> Tj ET";
        let glyphs = glyphs(&page_with_font(font, content, &[]));
        let read: Vec<(char, i64)> = glyphs.iter().map(|g| (g.ch, g.x.round() as i64)).collect();
        assert_eq!(read, [('兰', 100), ('2', 110), ('0', 115), ('年', 119)]);
    }

    /// Glyph numbers (Identity-H) with no ToUnicode map: drawn, counted as unmapped, and the
    /// PDF is refused as one whose text cannot be read here, not taken for a scan.
    #[test]
    fn text_without_a_map_is_counted_and_the_pdf_is_no_scan() {
        use lopdf::dictionary;
        let font = dictionary! {
            "Type" => "Font", "Subtype" => "Type0", "BaseFont" => "ABCDEF+SimSun",
            "Encoding" => "Identity-H", "DescendantFonts" => vec![dictionary! {
                "Type" => "Font", "Subtype" => "CIDFontType2", "BaseFont" => "ABCDEF+SimSun",
            }.into()],
        };
        let codes: String = (1..=30).map(|n| format!("{n:04X}")).collect();
        // The unmapped codes, then digits in a font that has its text (Helvetica, /F2).
        let read = |digits: &str| {
            let content =
                format!("BT /F1 10 Tf 100 700 Td <{codes}> Tj /F2 10 Tf 0 -20 Td ({digits}) Tj ET");
            let mut pdf = page_with_font(font.clone(), &content, &[]);
            let page = *pdf.get_pages().values().next().unwrap();
            let drawn = page_content(&pdf, page, &mut Fonts::default());
            assert_eq!((drawn.glyphs.len(), drawn.unmapped), (digits.len(), 30));
            let mut bytes = Vec::new();
            pdf.save_to(&mut bytes).unwrap();
            super::super::text_of(&bytes, super::super::DEFAULT_LIMITS).map(|t| t.is_some())
        };
        // Mostly unmapped: refused, whatever else the page has.
        for digits in ["", "2019123456", "20191234562019123456"] {
            match read(digits) {
                Err(crate::IngestError::NoUnicode(30)) => {}
                other => panic!("{digits}: not refused as unmapped text: {other:?}"),
            }
        }
        // Mostly text: read.
        assert!(read(&"2019".repeat(10)).unwrap());
    }

    /// Text drawn in rendering mode 3 (an OCR layer's) is read and counted as invisible; Q
    /// restores the mode q saved; and a PDF whose text is mostly invisible is an OCR layer.
    #[test]
    fn invisible_text_is_counted_and_makes_an_ocr_layer() {
        let read = |content: &str| {
            let mut pdf = page_with_forms(content, &[]);
            let page = *pdf.get_pages().values().next().unwrap();
            let drawn = page_content(&pdf, page, &mut Fonts::default());
            let mut bytes = Vec::new();
            pdf.save_to(&mut bytes).unwrap();
            let read = super::super::text_of(&bytes, super::super::DEFAULT_LIMITS);
            let ocr_layer = read.unwrap().expect("text").ocr_layer;
            (drawn.glyphs.len(), drawn.shown, drawn.invisible, ocr_layer)
        };
        let hidden = "BT /F1 10 Tf 3 Tr 100 700 Td (Recognised text of a scan) Tj ET";
        assert_eq!(read(hidden), (25, 25, 25, true));
        // q saved the visible mode; Q brings it back for the text after.
        let restored =
            "q BT /F1 10 Tf 3 Tr 100 700 Td (Hidden) Tj ET Q BT /F1 10 Tf 100 680 Td (Typed text of the report) Tj ET";
        assert_eq!(read(restored), (30, 30, 6, false));
        // Without q and Q the mode stays, as text state does across text objects.
        let kept =
            "BT /F1 10 Tf 7 Tr 100 700 Td (Hidden) Tj ET BT 100 680 Td (Recognised text too) Tj ET";
        assert_eq!(read(kept), (25, 25, 25, true));
        let typed = "BT /F1 10 Tf 0 Tr 100 700 Td (Typed text of the report) Tj ET";
        assert_eq!(read(typed), (24, 24, 0, false));
    }

    /// An image as wide as a table stands in the page's text where the lines below it
    /// start; a seal's narrow one does not, wherever it is drawn.
    #[test]
    fn wide_images_are_pictures_among_the_lines() {
        let content = "BT /F1 10 Tf 100 700 Td (Part two) Tj ET \
            q 400 0 0 100 100 560 cm /Im1 Do Q \
            BT /F1 10 Tf 100 500 Td (Part three) Tj ET \
            q 100 0 0 100 300 380 cm /Im1 Do Q \
            BT /F1 10 Tf 100 300 Td (End of the report) Tj ET";
        let mut pdf = page_with_forms(content, &[]);
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).unwrap();
        let read = super::super::text_of(&bytes, super::super::DEFAULT_LIMITS);
        let read = read.unwrap().expect("text");
        assert_eq!(read.text, "Part two\nPart three\nEnd of the report\n");
        assert_eq!(read.pictures, [read.text.find("Part three").unwrap()]);
    }

    /// A page drawing an image thousands of times (hostile input) notes only the first few
    /// hundred: what covers text is then checked against those.
    #[test]
    fn images_past_a_few_hundred_are_not_noted() {
        let content = "BT /F1 10 Tf 100 700 Td (Text) Tj ET ".to_string()
            + &"q 595 0 0 842 0 0 cm /Im1 Do Q ".repeat(5_000);
        let pdf = page_with_forms(&content, &[]);
        let page = *pdf.get_pages().values().next().unwrap();
        let drawn = page_content(&pdf, page, &mut Fonts::default());
        assert_eq!((drawn.pictures.len(), drawn.invisible), (MOST_IMAGES, 4));
    }

    /// Text set under an opaque image of the page drawn after it (a scan's OCR text under
    /// its page image) is hidden; an image drawn before the text, a small one (a seal), one
    /// with a soft mask or drawn translucent (a watermark) hides nothing.
    #[test]
    fn text_under_an_opaque_page_image_is_hidden() {
        let masked = lopdf::dictionary! { "Subtype" => "Image", "SMask" => 7 };
        let hidden = |content: &str| {
            let forms = [("Masked", "", masked.clone())];
            let pdf = page_with_forms(content, &forms);
            let page = *pdf.get_pages().values().next().unwrap();
            let drawn = page_content(&pdf, page, &mut Fonts::default());
            (drawn.shown, drawn.invisible)
        };
        let text = "BT /F1 10 Tf 100 700 Td (Recognised) Tj ET";
        let page_image = "q 595 0 0 842 0 0 cm /Im1 Do Q";
        assert_eq!(hidden(&format!("{text} {page_image}")), (10, 10));
        assert_eq!(hidden(&format!("{page_image} {text}")), (10, 0));
        let seal = "q 100 0 0 100 90 650 cm /Im1 Do Q";
        assert_eq!(hidden(&format!("{text} {seal}")), (10, 0));
        let masked = "q 595 0 0 842 0 0 cm /Masked Do Q";
        assert_eq!(hidden(&format!("{text} {masked}")), (10, 0));
        let faint = "q /Faint gs 595 0 0 842 0 0 cm /Im1 Do Q";
        assert_eq!(hidden(&format!("{text} {faint}")), (10, 0));
        // Q ends the faint state: an image drawn after it covers.
        assert_eq!(
            hidden(&format!("{text} q /Faint gs Q {page_image}")),
            (10, 10)
        );
    }

    /// A seal's ring of characters and a diagonal watermark are not the report's text;
    /// text set upright, turned a quarter, or a degree off (a scan's skew) is; and a text
    /// object that slants any of its text is left out whole.
    #[test]
    fn slanted_text_is_left_out() {
        let at = |degrees: f64, text: &str| {
            let (sin, cos) = degrees.to_radians().sin_cos();
            format!(
                "{cos:.4} {sin:.4} {:.4} {cos:.4} 100 400 Tm ({text}) Tj",
                -sin
            )
        };
        // Each in a text object of its own.
        let content: String = [
            at(0.0, "Upright"),
            at(45.0, "Watermark"),
            at(90.0, "Quarter"),
            at(-1.5, "Skewed"),
            at(160.0, "Seal"),
        ]
        .iter()
        .map(|shown| format!("BT /F1 10 Tf {shown} ET "))
        .collect();
        let shown: String = glyphs(&page_with_forms(&content, &[]))
            .iter()
            .map(|g| g.ch)
            .collect();
        assert_eq!(shown, "UprightQuarterSkewed");
        // A seal's text object: words slanted along its ring, one at its top upright, a
        // star in its middle. None of it is shown; the text objects around it are.
        let seal = format!(
            "BT /F1 10 Tf {} ET BT /F1 10 Tf {} {} {} ET BT /F1 10 Tf {} ET",
            at(0.0, "Before"),
            at(30.0, "Ring"),
            at(0.0, "Top"),
            at(0.0, "Star"),
            at(0.0, "After"),
        );
        let shown: String = glyphs(&page_with_forms(&seal, &[]))
            .iter()
            .map(|g| g.ch)
            .collect();
        assert_eq!(shown, "BeforeAfter");
    }

    /// A page a PDF printer turned: its MediaBox landscape, /Rotate 90 (or 270), and its
    /// content drawn turned so that it shows upright. Read as shown: the words run across
    /// the page at the places the upright page has them.
    #[test]
    fn a_turned_page_is_read_as_it_is_shown() {
        let upright = "BT /F1 10 Tf 100 700 Td (Title) Tj 0 -20 Td (Body) Tj ET";
        let expected = [text_at("Title", 100, 700), text_at("Body", 100, 680)];
        assert_eq!(drawn(&page_with_forms(upright, &[])), expected);
        for (rotate, cm) in [
            (90, "0 1 -1 0 842 0"),
            (270, "0 -1 1 0 0 595"),
            (-90, "0 -1 1 0 0 595"),
        ] {
            let mut pdf = page_with_forms(&format!("q {cm} cm {upright} Q"), &[]);
            let page = *pdf.get_pages().values().next().unwrap();
            let dict = pdf.get_object_mut(page).unwrap().as_dict_mut().unwrap();
            dict.set("MediaBox", vec![0.into(), 0.into(), 842.into(), 595.into()]);
            dict.set("Rotate", rotate);
            assert_eq!(drawn(&pdf), expected, "/Rotate {rotate}");
            let content = page_content(&pdf, page, &mut Fonts::default());
            assert_eq!((content.width, content.height), (595.0, 842.0));
        }
    }

    /// A stamped page: the whole content one form, drawn in the form's matrix and the
    /// page's, its fonts its own or, when it names none, the page's.
    #[test]
    fn a_form_draws_its_text_where_its_matrix_puts_it() {
        use lopdf::dictionary;
        let text = "BT /F1 10 Tf 100 700 Td (Report) Tj ET";
        let pdf = page_with_forms(
            "q 1 0 0 1 0 -100 cm /Fm0 Do Q BT /F1 10 Tf 100 50 Td (Page) Tj ET",
            &[(
                "Fm0",
                text,
                dictionary! { "Matrix" => vec![1.into(), 0.into(), 0.into(), 1.into(), 20.into(), 0.into()] },
            )],
        );
        assert_eq!(
            drawn(&pdf),
            [text_at("Report", 120, 600), text_at("Page", 100, 50)]
        );
    }

    #[test]
    fn forms_inside_forms_are_drawn_and_what_they_change_ends_with_them() {
        use lopdf::dictionary;
        let pdf = page_with_forms(
            "BT /F1 10 Tf ET /Outer Do /Im1 Do BT 100 100 Td (After) Tj ET",
            &[
                (
                    "Outer",
                    "q 2 0 0 2 0 0 cm /Inner Do Q BT /F1 12 Tf 10 10 Td (Outer) Tj ET",
                    dictionary! {},
                ),
                (
                    "Inner",
                    "BT /F1 5 Tf 30 40 Td (Inner) Tj ET",
                    dictionary! {},
                ),
            ],
        );
        let words = drawn(&pdf);
        assert_eq!(words[0], text_at("Inner", 60, 80));
        assert_eq!(words[1], text_at("Outer", 10, 10));
        assert_eq!(words[2], text_at("After", 100, 100));
        // The font set inside a form is not the page's after it (size 10, not 12).
        let last = glyphs(&pdf).pop().unwrap();
        assert_eq!((last.ch, last.size.round() as i64), ('r', 10));
    }

    #[test]
    fn a_form_shows_nothing_outside_its_box() {
        use lopdf::dictionary;
        let text = "BT /F1 10 Tf 10 10 Td (In) Tj 300 300 Td (Out) Tj ET";
        let pdf = page_with_forms(
            "/Fm0 Do",
            &[(
                "Fm0",
                text,
                dictionary! { "BBox" => vec![0.into(), 0.into(), 100.into(), 100.into()] },
            )],
        );
        assert_eq!(drawn(&pdf), [text_at("In", 10, 10)]);
    }

    /// Forms drawing each other a hundred times each, without end: the depth and the
    /// page's budget of form operations stop them.
    #[test]
    fn forms_that_draw_themselves_end() {
        use lopdf::dictionary;
        let again = format!("BT /F1 10 Tf 5 5 Td (x) Tj ET {}", "/B Do ".repeat(100));
        let back = "/A Do ".repeat(100);
        let pdf = page_with_forms(
            "/A Do",
            &[("A", &again, dictionary! {}), ("B", &back, dictionary! {})],
        );
        let page = *pdf.get_pages().values().next().unwrap();
        let glyphs = page_content(&pdf, page, &mut Fonts::default()).glyphs;
        assert!(
            !glyphs.is_empty() && glyphs.len() <= FORM_OPERATIONS,
            "{}",
            glyphs.len()
        );
    }
}
