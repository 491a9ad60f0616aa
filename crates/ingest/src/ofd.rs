//! OFD (GB/T 33190-2016, 版式文档), the fixed-layout format Chinese government offices
//! publish beside or instead of PDF: a zip of XML parts. `OFD.xml` names the document's
//! root (`DocBody/DocRoot`), the document lists its pages (`Pages/Page@BaseLoc`) and the
//! templates they share (`CommonData/TemplatePage`), and each page's content is text
//! objects (`TextObject` with `TextCode`: the chars as Unicode, where the first stands and
//! how far each is from the one before), path objects (`AbbreviatedData`: a table's
//! ruling) and image objects, each placed by its `Boundary` (and a `CTM` within it), in
//! millimetres from the page's top left corner.
//!
//! A page read here is what a PDF page's content stream gives ([`crate::pdf`]): glyphs on
//! baselines, straight segments, images' boxes, in points from the bottom left corner; the
//! PDF reader's layout (ruled tables, aligned tables, lines) then reads them, so both
//! formats' tables are found the same way.

use crate::docx::ZipLimits;
use crate::pdf::{check_time, Glyph, LaidOut, PageContent, Path, PdfLimits, PdfText, Segment};
use crate::zipped::{self, attr, Archive};
use crate::IngestError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Points in a millimetre.
const POINTS: f64 = 72.0 / 25.4;

/// A page's size when neither it nor its document gives one (A4).
const A4: (f64, f64) = (210.0, 297.0);

/// Whether a zip archive named `name` is an OFD: no Office Open XML package (no
/// `[Content_Types].xml`), and named .ofd or holding an entry `OFD.xml`, its root.
pub(crate) fn is_ofd(name: &str, bytes: &[u8]) -> bool {
    let named = name
        .rsplit_once('.')
        .is_some_and(|(_, e)| e.eq_ignore_ascii_case("ofd"));
    memchr::memmem::find(bytes, b"[Content_Types].xml").is_none()
        && (named || memchr::memmem::find(bytes, b"OFD.xml").is_some())
}

/// The text of an OFD's first document, page by page, with its ruled tables as grids
/// (ranges in that text). `Ok(None)`: the pages hold no text (a scan).
pub fn text_of(
    bytes: &[u8],
    zip: ZipLimits,
    limits: PdfLimits,
) -> Result<Option<PdfText>, IngestError> {
    let started = std::time::Instant::now();
    let mut archive = zipped::open(bytes, zip, "OFD")?;
    let root = part(&mut archive, "OFD.xml", zip)?;
    let document_path = first_text(&root, b"DocRoot", "OFD.xml")?
        .map(|loc| resolve("", &loc))
        .ok_or_else(|| IngestError::Corrupt("not an OFD: OFD.xml names no DocRoot".into()))?;
    let document = Document::read(&part(&mut archive, &document_path, zip)?, &document_path)?;
    if document.pages.len() > limits.max_pages {
        return Err(IngestError::Limit(format!(
            "{} pages, more than {}",
            document.pages.len(),
            limits.max_pages
        )));
    }
    let mut laid_out = LaidOut::default();
    // Templates are read once, however many pages use them.
    let mut templates: std::collections::HashMap<&str, String> = Default::default();
    for (n, page_path) in document.pages.iter().enumerate() {
        check_time(started, limits, n, "OFD")?;
        let xml = part(&mut archive, page_path, zip)?;
        let page = PageRefs::read(&xml, page_path)?;
        let (width, height) = page.size.unwrap_or(document.size);
        let mut painter = Painter::new(height);
        for id in &page.templates {
            if let Some(path) = document.template(id) {
                if !templates.contains_key(path) {
                    templates.insert(path, part(&mut archive, path, zip)?);
                }
                painter.draw(&templates[path], path)?;
            }
        }
        painter.draw(&xml, page_path)?;
        laid_out.add_page(painter.into_page(width, height));
    }
    laid_out.finish()
}

/// The text of the archive's part at `path`, found whatever the case of its name.
fn part(archive: &mut Archive, path: &str, limits: ZipLimits) -> Result<String, IngestError> {
    let name = match archive.index_for_name(path) {
        Some(_) => path.to_string(),
        None => archive
            .file_names()
            .find(|n| n.trim_start_matches('/').eq_ignore_ascii_case(path))
            .map(str::to_string)
            .ok_or_else(|| IngestError::Corrupt(format!("the OFD has no part {path}")))?,
    };
    zipped::entry_text(archive, &name, limits)?
        .ok_or_else(|| IngestError::Corrupt(format!("the OFD has no part {path}")))
}

/// A location in the archive from one given in the part in folder `folder` (ending in `/`,
/// or empty): absolute from the archive's root when it starts with `/`.
fn resolve(folder: &str, location: &str) -> String {
    let location = location.trim();
    let joined = match location.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{folder}{location}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for piece in joined.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(piece),
        }
    }
    parts.join("/")
}

/// The folder of a part's path, with its `/`.
fn folder_of(path: &str) -> &str {
    path.rfind('/').map_or("", |k| &path[..=k])
}

fn numbers(text: &str) -> Vec<f64> {
    text.split_whitespace()
        .filter_map(|n| n.parse::<f64>().ok())
        .filter(|n| n.is_finite())
        .collect()
}

/// An object's `Boundary` ("x y width height"), as four numbers.
fn boundary(e: &BytesStart) -> Option<[f64; 4]> {
    attr(e, b"Boundary")
        .map(|b| numbers(&b))
        .and_then(|n| <[f64; 4]>::try_from(n).ok())
}

fn xml_error(part: &str, e: impl std::fmt::Display) -> IngestError {
    IngestError::Corrupt(format!("{part}: {e}"))
}

/// The text of the first element named `name` (by local name) in `xml`.
fn first_text(xml: &str, name: &[u8], part: &str) -> Result<Option<String>, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut inside = false;
    loop {
        match reader.read_event().map_err(|e| xml_error(part, e))? {
            Event::Start(e) if e.local_name().as_ref() == name => inside = true,
            Event::Text(t) if inside => {
                let text = t.unescape().map_err(|e| xml_error(part, e))?;
                return Ok(Some(text.trim().to_string()));
            }
            Event::End(e) if e.local_name().as_ref() == name => return Ok(None),
            Event::Eof => return Ok(None),
            _ => {}
        }
    }
}

/// What a document part says of its pages.
struct Document {
    /// The pages' content parts, in order.
    pages: Vec<String>,
    /// Templates' ids and content parts.
    templates: Vec<(String, String)>,
    /// The pages' size in millimetres (`CommonData/PageArea/PhysicalBox`).
    size: (f64, f64),
}

impl Document {
    fn read(xml: &str, path: &str) -> Result<Document, IngestError> {
        let folder = folder_of(path);
        let mut reader = Reader::from_str(xml);
        let mut document = Document {
            pages: Vec::new(),
            templates: Vec::new(),
            size: A4,
        };
        let mut in_box = false;
        let mut in_pages = false;
        loop {
            match reader.read_event().map_err(|e| xml_error(path, e))? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"Pages" => in_pages = true,
                    b"Page" if in_pages => {
                        if let Some(loc) = attr(&e, b"BaseLoc") {
                            document.pages.push(resolve(folder, &loc));
                        }
                    }
                    b"TemplatePage" => {
                        if let (Some(id), Some(loc)) = (attr(&e, b"ID"), attr(&e, b"BaseLoc")) {
                            document.templates.push((id, resolve(folder, &loc)));
                        }
                    }
                    // The document's page area is the first box before its pages.
                    b"PhysicalBox" if !in_pages => in_box = true,
                    _ => {}
                },
                Event::Text(t) if in_box => {
                    let text = t.unescape().map_err(|e| xml_error(path, e))?;
                    if let Some(size) = page_size(&text) {
                        document.size = size;
                    }
                    in_box = false;
                }
                Event::End(e) => match e.local_name().as_ref() {
                    b"Pages" => in_pages = false,
                    b"PhysicalBox" => in_box = false,
                    _ => {}
                },
                Event::Eof => return Ok(document),
                _ => {}
            }
        }
    }

    fn template(&self, id: &str) -> Option<&str> {
        self.templates
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, path)| path.as_str())
    }
}

/// A box's width and height ("x y width height"), when both are positive.
fn page_size(text: &str) -> Option<(f64, f64)> {
    match numbers(text)[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some((w, h)),
        _ => None,
    }
}

/// What a page part says of itself besides its content: its size, its templates.
struct PageRefs {
    size: Option<(f64, f64)>,
    templates: Vec<String>,
}

impl PageRefs {
    fn read(xml: &str, path: &str) -> Result<PageRefs, IngestError> {
        let mut reader = Reader::from_str(xml);
        let mut refs = PageRefs {
            size: None,
            templates: Vec::new(),
        };
        let mut in_box = false;
        loop {
            match reader.read_event().map_err(|e| xml_error(path, e))? {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    b"Template" => refs.templates.extend(attr(&e, b"TemplateID")),
                    b"PhysicalBox" if refs.size.is_none() => in_box = true,
                    // The content follows the page's area and templates.
                    b"Content" => return Ok(refs),
                    _ => {}
                },
                Event::Text(t) if in_box => {
                    let text = t.unescape().map_err(|e| xml_error(path, e))?;
                    refs.size = page_size(&text);
                    in_box = false;
                }
                Event::End(e) if e.local_name().as_ref() == b"PhysicalBox" => in_box = false,
                Event::Eof => return Ok(refs),
                _ => {}
            }
        }
    }
}

/// An object's placement: its `CTM` (object space to its boundary's), then its boundary's
/// top left corner on the page.
#[derive(Clone, Copy)]
struct Placement {
    ctm: [f64; 6],
    x: f64,
    y: f64,
    /// The boundary's right edge on the page, when it has one.
    right: Option<f64>,
}

impl Placement {
    fn of(e: &BytesStart) -> Placement {
        let (x, y, right) = match attr(e, b"Boundary").map(|b| numbers(&b)).as_deref() {
            Some(&[x, y, w, _]) => (x, y, Some(x + w)),
            Some(&[x, y, ..]) => (x, y, None),
            _ => (0.0, 0.0, None),
        };
        let ctm = match attr(e, b"CTM").map(|c| numbers(&c)).as_deref() {
            Some(&[a, b, c, d, e, f]) => [a, b, c, d, e, f],
            _ => [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        };
        Placement { ctm, x, y, right }
    }

    /// A point of the object on the page, in millimetres from its top left corner.
    fn apply(&self, x: f64, y: f64) -> (f64, f64) {
        let [a, b, c, d, e, f] = self.ctm;
        (a * x + c * y + e + self.x, b * x + d * y + f + self.y)
    }

    fn x_scale(&self) -> f64 {
        self.ctm[0].hypot(self.ctm[1])
    }

    fn y_scale(&self) -> f64 {
        self.ctm[2].hypot(self.ctm[3])
    }
}

/// A box on the page in millimetres: left, top, right, bottom.
type Box = [f64; 4];

/// The text object being read.
struct TextObject {
    place: Placement,
    size: f64,
    visible: bool,
    /// What its clips show (`Clips`: the intersection of each `Clip`'s union of areas):
    /// a label a converter clips at its cell's border is drawn whole, and cut there.
    clip: Option<Box>,
    /// Where the next char stands when a `TextCode` gives no place of its own.
    pen: (f64, f64),
}

/// A `TextCode` being read: where its first char stands, the steps to the next ones.
struct TextCode {
    x: Option<f64>,
    y: Option<f64>,
    delta_x: Vec<f64>,
    delta_y: Vec<f64>,
    text: String,
}

/// A path object being read.
struct PathObject {
    place: Placement,
    fill: bool,
    data: Option<String>,
}

/// The steps of a `DeltaX` or `DeltaY`: numbers, and "g n step" for n steps of one size.
fn steps(text: &str, most: usize) -> Vec<f64> {
    let mut steps = Vec::new();
    let mut tokens = text.split_whitespace();
    while let Some(token) = tokens.next() {
        if steps.len() >= most {
            break;
        }
        if token == "g" {
            let count = tokens.next().and_then(|c| c.parse::<usize>().ok());
            let step = tokens.next().and_then(|s| s.parse::<f64>().ok());
            if let (Some(count), Some(step)) = (count, step) {
                let count = count.min(most - steps.len());
                steps.extend(std::iter::repeat_n(step, count));
            }
        } else if let Ok(step) = token.parse::<f64>() {
            steps.push(step);
        }
    }
    steps.retain(|s| s.is_finite());
    steps
}

/// What a page draws, gathered as the PDF reader gathers a content stream's.
struct Painter {
    height: f64,
    glyphs: Vec<Glyph>,
    segments: Vec<Segment>,
    pictures: Vec<[f64; 4]>,
    shown: usize,
    invisible: usize,
}

impl Painter {
    fn new(height: f64) -> Painter {
        Painter {
            height,
            glyphs: Vec::new(),
            segments: Vec::new(),
            pictures: Vec::new(),
            shown: 0,
            invisible: 0,
        }
    }

    fn into_page(self, width: f64, height: f64) -> PageContent {
        PageContent {
            glyphs: self.glyphs,
            segments: self.segments,
            width: width * POINTS,
            height: height * POINTS,
            unmapped: 0,
            shown: self.shown,
            invisible: self.invisible,
            picture_pixels: vec![0; self.pictures.len()],
            pictures: self.pictures,
            recognised: Vec::new(),
        }
    }

    /// A point in millimetres from the page's top left corner, in points from its bottom
    /// left corner.
    fn to_points(&self, (x, y): (f64, f64)) -> (f64, f64) {
        (x * POINTS, (self.height - y) * POINTS)
    }

    /// Draws the objects of a page or template part.
    fn draw(&mut self, xml: &str, path: &str) -> Result<(), IngestError> {
        let mut reader = Reader::from_str(xml);
        let mut text: Option<TextObject> = None;
        let mut code: Option<TextCode> = None;
        let mut shape: Option<PathObject> = None;
        let mut in_data = false;
        // Inside a text object's `Clips`; the union of the areas of the `Clip` being read.
        let mut in_clips = false;
        let mut areas: Option<Box> = None;
        loop {
            let event = reader.read_event().map_err(|e| xml_error(path, e))?;
            match event {
                Event::Start(ref e) | Event::Empty(ref e) => {
                    let empty = matches!(event, Event::Empty(_));
                    match e.local_name().as_ref() {
                        b"TextObject" if !empty => text = Some(text_object(e)),
                        b"FillColor" => {
                            if let Some(t) = text.as_mut() {
                                t.visible &= attr(e, b"Alpha").as_deref() != Some("0");
                            }
                        }
                        b"Clips" if text.is_some() && !empty => in_clips = true,
                        b"Clip" if in_clips => areas = None,
                        // An area's path or text, its boundary relative to the object's.
                        b"Path" | b"Text" if in_clips => {
                            if let (Some(t), Some(area)) = (text.as_ref(), area_box(e)) {
                                let [x0, y0, x1, y1] = area;
                                let (dx, dy) = (t.place.x, t.place.y);
                                let area = [x0 + dx, y0 + dy, x1 + dx, y1 + dy];
                                areas = Some(areas.map_or(area, |a| union(a, area)));
                            }
                        }
                        b"TextCode" if text.is_some() && !empty => code = Some(text_code(e)),
                        b"PathObject" => {
                            let fill = attr(e, b"Fill").as_deref() == Some("true");
                            let stroke = attr(e, b"Stroke").as_deref() != Some("false");
                            if fill || stroke {
                                shape = Some(PathObject {
                                    place: Placement::of(e),
                                    fill,
                                    data: None,
                                });
                            }
                        }
                        b"AbbreviatedData" if shape.is_some() && !empty => in_data = true,
                        b"ImageObject" => self.picture(e),
                        _ => {}
                    }
                }
                Event::Text(ref t) if code.is_some() || in_data => {
                    let unescaped = t.unescape().map_err(|e| xml_error(path, e))?;
                    if let Some(c) = code.as_mut() {
                        c.text.push_str(&unescaped);
                    } else if let Some(s) = shape.as_mut() {
                        s.data.get_or_insert_with(String::new).push_str(&unescaped);
                    }
                }
                Event::End(ref e) => match e.local_name().as_ref() {
                    b"TextCode" => {
                        if let (Some(c), Some(t)) = (code.take(), text.as_mut()) {
                            self.show(t, c);
                        }
                    }
                    b"TextObject" => text = None,
                    b"Clip" if in_clips => {
                        if let (Some(t), Some(area)) = (text.as_mut(), areas.take()) {
                            t.clip = Some(t.clip.map_or(area, |c| intersection(c, area)));
                        }
                    }
                    b"Clips" => in_clips = false,
                    b"AbbreviatedData" => in_data = false,
                    b"PathObject" => {
                        if let Some(s) = shape.take() {
                            self.stroke(&s);
                        }
                    }
                    _ => {}
                },
                Event::Eof => return Ok(()),
                _ => {}
            }
        }
    }

    /// The glyphs of a text code, each where its steps put it.
    fn show(&mut self, object: &mut TextObject, code: TextCode) {
        let chars: Vec<char> = code.text.chars().collect();
        let (mut x, mut y) = (
            code.x.unwrap_or(object.pen.0),
            code.y.unwrap_or(object.pen.1),
        );
        let place = object.place;
        let size = object.size * place.y_scale() * POINTS;
        for (k, &ch) in chars.iter().enumerate() {
            // A char's width is its step to the next, unless the step spans a gap (a
            // table's cells on one baseline): then, and for the last char, its font's em
            // (0.6 of it for a Latin letter or digit), or for the last char the rest of
            // its object's boundary, when that is about a char wide.
            let em = match ch.is_ascii() {
                true => object.size * 0.6,
                false => object.size,
            };
            let step = code.delta_x.get(k).copied();
            let advance = step.unwrap_or(em);
            let width = match step {
                Some(step) => step.abs().min(em),
                None => rest_of_boundary(&place, x, y, object.size).unwrap_or(em),
            };
            let middle = place.apply(x + width / 2.0, y - object.size * 0.3);
            if !ch.is_whitespace() && !ch.is_control() && shows(object.clip, middle) {
                self.shown += 1;
                if !object.visible {
                    self.invisible += 1;
                }
                let (px, py) = self.to_points(place.apply(x, y));
                self.glyphs.push(Glyph {
                    ch,
                    x: px,
                    y: py,
                    width: width * place.x_scale() * POINTS,
                    size,
                });
            }
            x += advance;
            y += code.delta_y.get(k).copied().unwrap_or(0.0);
        }
        object.pen = (x, y);
    }

    /// The straight edges of a path object (curves move the pen without an edge, as the
    /// PDF reader takes them).
    fn stroke(&mut self, shape: &PathObject) {
        let Some(data) = &shape.data else {
            return;
        };
        let mut path = Path::default();
        let mut tokens = data.split_whitespace();
        let point = |tokens: &mut std::str::SplitWhitespace| {
            let x = tokens.next()?.parse::<f64>().ok()?;
            let y = tokens.next()?.parse::<f64>().ok()?;
            Some(self.to_points(shape.place.apply(x, y)))
        };
        while let Some(command) = tokens.next() {
            let operands = match command {
                "S" | "M" | "L" => 1,
                "Q" => 2,
                "B" => 3,
                "A" => {
                    // rx ry angle large sweep, then the end point.
                    for _ in 0..5 {
                        tokens.next();
                    }
                    1
                }
                "C" => {
                    path.close();
                    continue;
                }
                _ => continue,
            };
            let mut end = None;
            for _ in 0..operands {
                end = point(&mut tokens);
            }
            let Some(end) = end else {
                break;
            };
            match command {
                "L" => path.line_to(end),
                _ => path.move_to(end),
            }
        }
        path.paint(shape.fill, &mut self.segments);
    }

    /// An image object's box, in points from the page's bottom left corner.
    fn picture(&mut self, e: &BytesStart) {
        if self.pictures.len() >= crate::pdf::MOST_IMAGES {
            return;
        }
        if let Some([x, y, w, h]) = boundary(e) {
            let (left, top) = self.to_points((x, y));
            let (right, bottom) = self.to_points((x + w, y + h));
            self.pictures.push([left, bottom, right, top]);
        }
    }
}

/// A clip area's box (its `Boundary`), relative to its object's boundary.
fn area_box(e: &BytesStart) -> Option<Box> {
    match boundary(e)? {
        [x, y, w, h] if w >= 0.0 && h >= 0.0 => Some([x, y, x + w, y + h]),
        _ => None,
    }
}

fn union(a: Box, b: Box) -> Box {
    [
        a[0].min(b[0]),
        a[1].min(b[1]),
        a[2].max(b[2]),
        a[3].max(b[3]),
    ]
}

fn intersection(a: Box, b: Box) -> Box {
    [
        a[0].max(b[0]),
        a[1].max(b[1]),
        a[2].min(b[2]),
        a[3].min(b[3]),
    ]
}

/// Whether a point on the page is shown by a clip (a third of a millimetre of slack for
/// rounding, a point's worth, as the PDF reader allows).
fn shows(clip: Option<Box>, (x, y): (f64, f64)) -> bool {
    const SLACK: f64 = 0.35;
    clip.is_none_or(|[x0, y0, x1, y1]| {
        x >= x0 - SLACK && x <= x1 + SLACK && y >= y0 - SLACK && y <= y1 + SLACK
    })
}

/// How far a char at (`x`, `y`) in its object stands from the right edge of the object's
/// boundary, in the object's units, when that is about a char wide (between a third of
/// the font's `size` and 1.2 of it): a converter's box around the last char it drew.
fn rest_of_boundary(place: &Placement, x: f64, y: f64, size: f64) -> Option<f64> {
    let scale = place.x_scale();
    let rest = (place.right? - place.apply(x, y).0) / scale;
    (scale > 0.0 && (size / 3.0..=size * 1.2).contains(&rest)).then_some(rest)
}

fn text_object(e: &BytesStart) -> TextObject {
    let size = attr(e, b"Size")
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(3.5);
    // Text neither filled nor stroked, or fully transparent, is drawn invisible: the layer
    // OCR software lays over a scan.
    let fill = attr(e, b"Fill").as_deref() != Some("false");
    let stroke = attr(e, b"Stroke").as_deref() == Some("true");
    let opaque = attr(e, b"Alpha").as_deref() != Some("0");
    TextObject {
        place: Placement::of(e),
        size,
        visible: (fill || stroke) && opaque,
        clip: None,
        pen: (0.0, 0.0),
    }
}

fn text_code(e: &BytesStart) -> TextCode {
    let number = |name: &[u8]| {
        attr(e, name)
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite())
    };
    // A code's steps are one fewer than its chars; more are not read.
    const MOST_STEPS: usize = 100_000;
    TextCode {
        x: number(b"X"),
        y: number(b"Y"),
        delta_x: attr(e, b"DeltaX").map_or_else(Vec::new, |d| steps(&d, MOST_STEPS)),
        delta_y: attr(e, b"DeltaY").map_or_else(Vec::new, |d| steps(&d, MOST_STEPS)),
        text: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docx::DEFAULT_LIMITS as ZIP;
    use crate::pdf::DEFAULT_LIMITS as PDF;
    use std::io::Write;

    const NS: &str = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;

    fn archive(parts: &[(&str, String)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        for (name, text) in parts {
            zip.start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
        buf.into_inner()
    }

    fn root(doc_root: &str) -> (&'static str, String) {
        let xml = format!(
            "<ofd:OFD {NS} Version=\"1.1\"><ofd:DocBody><ofd:DocInfo/>\
             <ofd:DocRoot>{doc_root}</ofd:DocRoot></ofd:DocBody></ofd:OFD>"
        );
        ("OFD.xml", xml)
    }

    fn document(pages: &[&str], templates: &str) -> (&'static str, String) {
        let pages: String = pages
            .iter()
            .enumerate()
            .map(|(n, loc)| format!(r#"<ofd:Page ID="{n}" BaseLoc="{loc}"/>"#))
            .collect();
        let xml = format!(
            "<ofd:Document {NS}><ofd:CommonData><ofd:PageArea>\
             <ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>{templates}\
             </ofd:CommonData><ofd:Pages>{pages}</ofd:Pages></ofd:Document>"
        );
        ("Doc_0/Document.xml", xml)
    }

    fn page(head: &str, objects: &str) -> String {
        format!(
            "<ofd:Page {NS}>{head}<ofd:Content><ofd:Layer ID=\"1\">{objects}</ofd:Layer>\
             </ofd:Content></ofd:Page>"
        )
    }

    /// A run of text at (x, y) mm, a Chinese char 5 mm wide, a digit 2.5 mm.
    fn text(x: f64, y: f64, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let steps: Vec<&str> = chars[..chars.len().saturating_sub(1)]
            .iter()
            .map(|c| if c.is_ascii() { "2.5" } else { "5" })
            .collect();
        let steps = steps.join(" ");
        format!(
            r#"<ofd:TextObject ID="2" Boundary="{x} {y} 100 6" Font="1" Size="4.5"><ofd:FillColor Value="0 0 0"/><ofd:TextCode X="0" Y="4.5" DeltaX="{steps}">{text}</ofd:TextCode></ofd:TextObject>"#
        )
    }

    fn line(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
        format!(
            r#"<ofd:PathObject ID="3" Boundary="{x0} {y0} 1 1" LineWidth="0.25"><ofd:AbbreviatedData>M 0 0 L {} {}</ofd:AbbreviatedData></ofd:PathObject>"#,
            x1 - x0,
            y1 - y0
        )
    }

    /// A ruled table of two rows and three columns, 40 mm wide, 10 mm tall, from (20, 50).
    fn ruled_table(cells: [[&str; 3]; 2]) -> String {
        let mut objects = String::new();
        for k in 0..3 {
            let y = 50.0 + 10.0 * k as f64;
            objects += &line(20.0, y, 140.0, y);
        }
        for k in 0..4 {
            let x = 20.0 + 40.0 * k as f64;
            objects += &line(x, 50.0, x, 70.0);
        }
        for (r, row) in cells.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                objects += &text(22.0 + 40.0 * c as f64, 52.0 + 10.0 * r as f64, cell);
            }
        }
        objects
    }

    fn read(bytes: &[u8]) -> PdfText {
        text_of(bytes, ZIP, PDF).unwrap().expect("text")
    }

    #[test]
    fn text_objects_become_lines_and_ruled_tables_grids() {
        let objects = text(20.0, 20.0, "某县人民政府2023年政府信息公开工作年度报告")
            + &ruled_table([
                ["信息内容", "本年制发件数", "本年废止件数"],
                ["规章", "3", "1"],
            ]);
        let bytes = archive(&[
            root("Doc_0/Document.xml"),
            document(&["Pages/Page_0/Content.xml"], ""),
            ("Doc_0/Pages/Page_0/Content.xml", page("", &objects)),
        ]);
        assert!(is_ofd("report.zip", &bytes));
        assert!(is_ofd("report.OFD", b"PK\x03\x04 broken"));
        assert!(!is_ofd(
            "report.ofd",
            b"PK\x03\x04 [Content_Types].xml OFD.xml"
        ));
        let read = read(&bytes);
        assert!(read
            .text
            .starts_with("某县人民政府2023年政府信息公开工作年度报告\n"));
        assert_eq!(read.grids.len(), 1, "{}", read.text);
        let grid = &read.grids[0];
        let cells: Vec<&str> = grid.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            cells,
            ["信息内容", "本年制发件数", "本年废止件数", "规章", "3", "1"]
        );
        assert_eq!((grid.n_rows, grid.n_cols), (2, 3));
        assert!(!read.ocr_layer);
    }

    #[test]
    fn templates_absolute_paths_scaled_objects_and_compressed_steps_are_followed() {
        // The title drawn at twice its size and scaled back by its CTM, its steps "g n 10"
        // (5 mm on the page); a template holding the 落款; parts named from the root.
        let title = r#"<ofd:TextObject ID="2" Boundary="20 20 100 6" Size="9" CTM="0.5 0 0 0.5 0 0"><ofd:TextCode X="0" Y="9" DeltaX="g 13 10">政府信息公开工作年度报告全文</ofd:TextCode></ofd:TextObject>"#;
        let templates =
            r#"<ofd:TemplatePage ID="7" BaseLoc="/Doc_0/Tpls/T.xml" ZOrder="Background"/>"#;
        let bytes = archive(&[
            root("/Doc_0/Document.xml"),
            document(&["/Doc_0/Pages/P0.xml"], templates),
            (
                "Doc_0/Pages/P0.xml",
                page(r#"<ofd:Template TemplateID="7"/>"#, title),
            ),
            (
                "Doc_0/Tpls/T.xml",
                page("", &text(120.0, 250.0, "某县人民政府办公室")),
            ),
        ]);
        let read = read(&bytes);
        assert_eq!(
            read.text,
            "政府信息公开工作年度报告全文\n某县人民政府办公室\n"
        );
    }

    /// Converters that print to OFD write a char an object, its code in points, placed by
    /// a CTM that scales points to millimetres and moves the code's origin back by the
    /// object's boundary (X and Y far from it, Y negative).
    #[test]
    fn chars_placed_by_a_ctm_from_points_stand_where_it_puts_them() {
        const MM: f64 = 25.4 / 72.0;
        let char_object = |k: usize, ch: char| {
            // The char's boundary on the page (mm), its code's place in points; the CTM
            // takes the code to the boundary's corner, its baseline 4 mm lower.
            let (x, y) = (20.0 + 5.0 * k as f64, 30.0);
            let (code_x, code_y) = (300.0 + k as f64, -280.0);
            let (e, f) = (-code_x * MM, 4.0 - code_y * MM);
            format!(
                r#"<ofd:TextObject ID="9" CTM="{MM} 0 0 {MM} {e} {f}" Boundary="{x} {y} 5 6" Size="12.7" Stroke="false" Fill="true"><ofd:FillColor Value="0"/><ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>4460</ofd:Glyphs></ofd:CGTransform><ofd:TextCode X="{code_x}" Y="{code_y}">{ch}</ofd:TextCode></ofd:TextObject>"#
            )
        };
        let title = "某县人民政府二〇二三年政府信息公开工作年度报告";
        let objects: String = title
            .chars()
            .enumerate()
            .map(|(k, ch)| char_object(k, ch))
            .collect();
        let read = read(&archive(&[
            root("Doc_0/Document.xml"),
            document(&["p.xml"], ""),
            ("Doc_0/p.xml", page("", &objects)),
        ]));
        assert_eq!(read.text, format!("{title}\n"));
    }

    #[test]
    fn what_a_text_objects_clips_hide_is_not_read() {
        // A label run past its cell's border, clipped at it (the area relative to the
        // object's boundary: the first four chars, 20 mm); two clips intersect.
        let clip = |w: f64| {
            format!(
                r#"<ofd:Clip><ofd:Area><ofd:Path Boundary="0 0 {w} 6"><ofd:AbbreviatedData>M 0 0 L {w} 0 L {w} 6 L 0 6 C</ofd:AbbreviatedData></ofd:Path></ofd:Area></ofd:Clip>"#
            )
        };
        let clipped = |clips: &str| {
            text(20.0, 40.0, "不是条例所指政府信息超出单元格").replace(
                "<ofd:FillColor",
                &format!("<ofd:Clips>{clips}</ofd:Clips><ofd:FillColor"),
            )
        };
        let title = text(20.0, 20.0, "某县人民政府2023年政府信息公开工作年度报告");
        let read_with = |clips: &str| {
            let objects = title.clone() + &clipped(clips);
            read(&archive(&[
                root("Doc_0/Document.xml"),
                document(&["p.xml"], ""),
                ("Doc_0/p.xml", page("", &objects)),
            ]))
            .text
        };
        assert!(read_with("").ends_with("\n不是条例所指政府信息超出单元格\n"));
        assert!(read_with(&clip(20.0)).ends_with("\n不是条例\n"));
        assert!(read_with(&(clip(50.0) + &clip(10.0))).ends_with("\n不是\n"));
    }

    #[test]
    fn text_drawn_invisible_is_an_ocr_layer() {
        let hidden = text(20.0, 20.0, "扫描件上的识别文字共二十个字以上以便读出")
            .replace(r#"Value="0 0 0""#, r#"Value="0 0 0" Alpha="0""#);
        let bytes = archive(&[
            root("Doc_0/Document.xml"),
            document(&["Pages/Page_0/Content.xml"], ""),
            ("Doc_0/Pages/Page_0/Content.xml", page("", &hidden)),
        ]);
        assert!(read(&bytes).ocr_layer);
    }

    #[test]
    fn a_broken_ofd_is_a_clear_error() {
        let error = |parts: &[(&str, String)]| match text_of(&archive(parts), ZIP, PDF) {
            Err(e) => e.to_string(),
            Ok(_) => "read".into(),
        };
        assert!(error(&[root("")]).contains("names no DocRoot"));
        assert!(error(&[root("Doc_0/Document.xml")]).contains("no part Doc_0/Document.xml"));
        let missing_page = error(&[
            root("Doc_0/Document.xml"),
            document(&["Pages/Page_0/Content.xml"], ""),
        ]);
        assert!(missing_page.contains("no part Doc_0/Pages/Page_0/Content.xml"));
        let limits = PdfLimits {
            max_pages: 1,
            ..PDF
        };
        let two_pages = archive(&[
            root("Doc_0/Document.xml"),
            document(&["a.xml", "b.xml"], ""),
        ]);
        assert!(matches!(
            text_of(&two_pages, ZIP, limits),
            Err(IngestError::Limit(_))
        ));
        // A part that expands past the limits, whatever its header says.
        let small = ZipLimits {
            max_entry_bytes: 64,
            ..ZIP
        };
        let big = archive(&[root(&format!("Doc_0/{}.xml", "D".repeat(100)))]);
        assert!(matches!(
            text_of(&big, small, PDF),
            Err(IngestError::Limit(_))
        ));
        // A page of no text is a scan's.
        let blank = archive(&[
            root("Doc_0/Document.xml"),
            document(&["p.xml"], ""),
            ("Doc_0/p.xml", page("", "")),
        ]);
        assert!(text_of(&blank, ZIP, PDF).unwrap().is_none());
    }

    #[test]
    fn steps_and_locations() {
        assert_eq!(steps("1 g 3 2.5 4", 100), [1.0, 2.5, 2.5, 2.5, 4.0]);
        assert_eq!(steps("g 1000000000 1", 4).len(), 4);
        assert_eq!(
            resolve("Doc_0/", "Pages/Page_0/Content.xml"),
            "Doc_0/Pages/Page_0/Content.xml"
        );
        assert_eq!(resolve("Doc_0/", "/Doc_0/Res/a.xml"), "Doc_0/Res/a.xml");
        assert_eq!(
            resolve("Doc_0/Pages/", "../Tpls/./t.xml"),
            "Doc_0/Tpls/t.xml"
        );
    }
}
