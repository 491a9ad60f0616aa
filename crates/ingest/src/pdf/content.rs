//! What a page's content stream draws: glyphs placed by the text operators (text and
//! graphics matrices, ToUnicode maps, glyph widths) and the straight edges of its paths.

use lopdf::{Dictionary, Document as Pdf, Object};
use std::collections::{BTreeMap, HashMap};

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
}

/// More path segments than this on a page and its ruling is not looked at (hostile input).
const MAX_SEGMENTS: usize = 50_000;

/// The operators that paint or end a path, where a pending clip takes effect.
const PAINTS: [&str; 10] = ["S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"];

/// Fills thinner than this are lines (WPS and others draw borders as thin rectangles).
const THIN: f64 = 2.0;

/// The path being built: subpaths of points, each closed or not.
#[derive(Default)]
struct Path {
    subpaths: Vec<(Vec<(f64, f64)>, bool)>,
}

impl Path {
    fn move_to(&mut self, p: (f64, f64)) {
        self.subpaths.push((vec![p], false));
    }

    fn line_to(&mut self, p: (f64, f64)) {
        match self.subpaths.last_mut() {
            Some((points, _)) => points.push(p),
            None => self.move_to(p),
        }
    }

    fn close(&mut self) {
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
    fn paint(&mut self, fill: bool, out: &mut Vec<Segment>) {
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

struct Font {
    two_byte: bool,
    vertical: bool,
    to_unicode: HashMap<u32, String>,
    widths: Widths,
    default_width: f64,
}

/// A font's glyph widths by code as its `W` (or `Widths`) array gives them: codes one by
/// one, and ranges of codes of one width kept as ranges (a CJK font's `[1 27704 1000]` is
/// one entry, not 27,704). Of two entries for a code, the later in the array holds.
#[derive(Default)]
struct Widths {
    /// Width and place in the array, by code.
    single: HashMap<u32, (f64, u32)>,
    /// First and last code, width, place in the array.
    ranges: Vec<(u32, u32, f64, u32)>,
    entries: u32,
}

impl Widths {
    fn set(&mut self, code: u32, width: f64) {
        self.single.insert(code, (width, self.entries));
        self.entries += 1;
    }

    fn set_range(&mut self, first: u32, last: u32, width: f64) {
        if first <= last {
            self.ranges.push((first, last, width, self.entries));
            self.entries += 1;
        }
    }

    fn get(&self, code: u32) -> Option<f64> {
        let single = self.single.get(&code).copied();
        let ranged = self
            .ranges
            .iter()
            .rev()
            .find(|&&(first, last, _, _)| (first..=last).contains(&code))
            .map(|&(_, _, width, place)| (width, place));
        match (single, ranged) {
            (Some(s), Some(r)) => Some(if r.1 > s.1 { r.0 } else { s.0 }),
            (s, r) => s.or(r).map(|(width, _)| width),
        }
    }
}

/// The fonts a document's pages use, each loaded once (pages share their fonts), by the
/// address of its dictionary in the document.
#[derive(Default)]
pub(crate) struct Fonts(HashMap<usize, Font>);

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

fn hex_code(text: &str) -> Option<u32> {
    u32::from_str_radix(text.trim_matches(|c| c == '<' || c == '>'), 16).ok()
}

fn utf16_text(text: &str) -> String {
    let hex = text.trim_matches(|c| c == '<' || c == '>');
    let units: Vec<u16> = (0..hex.len() / 4)
        .filter_map(|i| u16::from_str_radix(&hex[i * 4..i * 4 + 4], 16).ok())
        .collect();
    String::from_utf16_lossy(&units)
}

/// A ToUnicode CMap: bfchar and bfrange entries.
pub(crate) fn parse_cmap(data: &[u8]) -> HashMap<u32, String> {
    let text = String::from_utf8_lossy(data);
    let mut map = HashMap::new();
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            "beginbfchar" => {
                i += 1;
                while i + 1 < tokens.len() && tokens[i] != "endbfchar" {
                    if let Some(code) = hex_code(tokens[i]) {
                        map.insert(code, utf16_text(tokens[i + 1]));
                    }
                    i += 2;
                }
            }
            "beginbfrange" => {
                i += 1;
                while i + 2 < tokens.len() && tokens[i] != "endbfrange" {
                    let (Some(lo), Some(hi)) = (hex_code(tokens[i]), hex_code(tokens[i + 1]))
                    else {
                        i += 1;
                        continue;
                    };
                    if tokens[i + 2].starts_with('[') {
                        // [<dst1> <dst2> …]
                        let mut k = i + 2;
                        let mut code = lo;
                        while k < tokens.len() {
                            let t = tokens[k].trim_start_matches('[');
                            let end = t.ends_with(']');
                            let t = t.trim_end_matches(']');
                            if !t.is_empty() && code <= hi {
                                map.insert(code, utf16_text(t));
                                code += 1;
                            }
                            k += 1;
                            if end {
                                break;
                            }
                        }
                        i = k;
                    } else {
                        let start: Vec<u16> = utf16_text(tokens[i + 2]).encode_utf16().collect();
                        for (n, code) in (lo..=hi.min(lo + 65_535)).enumerate() {
                            let mut units = start.clone();
                            if let Some(last) = units.last_mut() {
                                *last = last.wrapping_add(n as u16);
                            }
                            map.insert(code, String::from_utf16_lossy(&units));
                        }
                        i += 3;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    map
}

fn load_font(pdf: &Pdf, dict: &Dictionary) -> Font {
    let subtype = dict
        .get(b"Subtype")
        .ok()
        .and_then(|o| o.as_name().ok())
        .unwrap_or(b"");
    let encoding = dict
        .get(b"Encoding")
        .ok()
        .map(|o| resolve(pdf, o))
        .and_then(|o| o.as_name().ok())
        .unwrap_or(b"");
    let two_byte = subtype == b"Type0";
    let vertical = encoding.ends_with(b"-V");
    let to_unicode = dict
        .get(b"ToUnicode")
        .ok()
        .map(|o| resolve(pdf, o))
        .and_then(|o| o.as_stream().ok())
        .and_then(|s| {
            s.decompressed_content()
                .ok()
                .or_else(|| Some(s.content.clone()))
        })
        .map(|data| parse_cmap(&data))
        .unwrap_or_default();
    let mut widths = Widths::default();
    let mut default_width = if two_byte { 1000.0 } else { 500.0 };
    if two_byte {
        let descendant = dict
            .get(b"DescendantFonts")
            .ok()
            .map(|o| resolve(pdf, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .map(|o| resolve(pdf, o))
            .and_then(|o| o.as_dict().ok());
        if let Some(d) = descendant {
            if let Some(dw) = d.get(b"DW").ok().and_then(number) {
                default_width = dw;
            }
            if let Some(w) = d
                .get(b"W")
                .ok()
                .map(|o| resolve(pdf, o))
                .and_then(|o| o.as_array().ok())
            {
                let mut k = 0;
                while k < w.len() {
                    let Some(first) = number(&w[k]) else { break };
                    match w.get(k + 1).map(|o| resolve(pdf, o)) {
                        Some(Object::Array(list)) => {
                            for (n, v) in list.iter().enumerate() {
                                if let Some(v) = number(v) {
                                    widths.set(first as u32 + n as u32, v);
                                }
                            }
                            k += 2;
                        }
                        Some(last) => {
                            if let (Some(last), Some(v)) =
                                (number(last), w.get(k + 2).and_then(number))
                            {
                                let first = first as u32;
                                widths.set_range(first, (last as u32).min(first + 65_535), v);
                            }
                            k += 3;
                        }
                        None => break,
                    }
                }
            }
        }
    } else if let (Some(first), Ok(list)) = (
        dict.get(b"FirstChar").ok().and_then(number),
        dict.get(b"Widths")
            .map(|o| resolve(pdf, o))
            .and_then(|o| o.as_array()),
    ) {
        for (n, v) in list.iter().enumerate() {
            if let Some(v) = number(resolve(pdf, v)) {
                widths.set(first as u32 + n as u32, v);
            }
        }
    }
    Font {
        two_byte,
        vertical,
        to_unicode,
        widths,
        default_width,
    }
}

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
}

fn show(bytes: &[u8], state: &mut TextState, font: Option<&Font>, glyphs: &mut Vec<Glyph>) {
    let Some(font) = font else { return };
    let step = if font.two_byte { 2 } else { 1 };
    for chunk in bytes.chunks(step) {
        let code = chunk.iter().fold(0u32, |acc, b| acc << 8 | *b as u32);
        let text = match font.to_unicode.get(&code) {
            Some(t) => t.clone(),
            None if !font.two_byte => (code as u8 as char).to_string(),
            None => String::new(),
        };
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
        let width = font.widths.get(code).unwrap_or(font.default_width) / 1000.0;
        let spacing = state.char_spacing
            + if step == 1 && code == 32 {
                state.word_spacing
            } else {
                0.0
            };
        let advance_x = (width * state.size + spacing) * state.scale;
        let glyph_width = (trm.0[0].powi(2) + trm.0[1].powi(2)).sqrt() * width;
        for ch in text.chars().filter(|c| !c.is_control()) {
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
}

fn operand_numbers(operands: &[Object]) -> Vec<f64> {
    operands.iter().filter_map(number).collect()
}

/// The page's size from its MediaBox (inherited from its parents), A4 when it has none.
fn page_size(pdf: &Pdf, page: lopdf::ObjectId) -> (f64, f64) {
    let mut node = pdf.get_dictionary(page).ok();
    for _ in 0..16 {
        let Some(dict) = node else { break };
        if let Some(b) = dict
            .get(b"MediaBox")
            .ok()
            .map(|o| resolve(pdf, o))
            .and_then(|o| o.as_array().ok())
        {
            let n: Vec<f64> = b.iter().filter_map(|o| number(resolve(pdf, o))).collect();
            if let [x0, y0, x1, y1] = n[..] {
                return ((x1 - x0).abs(), (y1 - y0).abs());
            }
        }
        node = dict
            .get(b"Parent")
            .ok()
            .and_then(|o| o.as_reference().ok())
            .and_then(|id| pdf.get_dictionary(id).ok());
    }
    (595.0, 842.0)
}

/// What a page draws: glyphs placed by the text operators, and the horizontal and vertical
/// edges of its stroked and filled paths (clipping paths are not drawn).
pub(crate) fn page_content(pdf: &Pdf, page: lopdf::ObjectId, loaded: &mut Fonts) -> PageContent {
    let (width, height) = page_size(pdf, page);
    let mut content = PageContent {
        width,
        height,
        ..PageContent::default()
    };
    let named: Vec<(Vec<u8>, usize)> = pdf
        .get_page_fonts(page)
        .map(|f| {
            f.into_iter()
                .map(|(name, dict)| {
                    // The address only tells a dictionary seen before; it is never followed.
                    let at = dict as *const Dictionary as usize;
                    loaded.0.entry(at).or_insert_with(|| load_font(pdf, dict));
                    (name, at)
                })
                .collect()
        })
        .unwrap_or_default();
    let fonts: BTreeMap<Vec<u8>, &Font> = named
        .into_iter()
        .filter_map(|(name, at)| Some((name, loaded.0.get(&at)?)))
        .collect();
    let Ok(data) = pdf.get_page_content(page) else {
        return content;
    };
    let operations = super::operations::decode(&data);
    let mut state = TextState {
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
    };
    // The graphics state kept by q/Q: the matrix, and whether fills are white (invisible
    // backgrounds, which WPS paints behind every line of text: no ruling).
    let mut stack: Vec<(Matrix, bool, Option<Clip>)> = Vec::new();
    let mut white_fill = false;
    let mut clip: Option<Clip> = None;
    // W or W* makes the current path the clip when the path is next painted (or ended).
    let mut clipping = false;
    let mut glyphs = Vec::new();
    let mut path = Path::default();
    let mut segments = Vec::new();
    for op in &operations {
        let n = operand_numbers(&op.operands);
        let shown_before = glyphs.len();
        if clipping && PAINTS.contains(&op.operator.as_str()) {
            clipping = false;
            if let Some(bounds) = path.bounds() {
                clip = Some(clip.map_or(bounds, |c| c.intersect(bounds)));
            }
        }
        match op.operator.as_str() {
            "q" => stack.push((state.ctm, white_fill, clip)),
            "Q" => {
                (state.ctm, white_fill, clip) =
                    stack.pop().unwrap_or((Matrix::IDENTITY, false, None))
            }
            "W" | "W*" => clipping = true,
            "g" | "rg" | "k" | "sc" | "scn" => white_fill = is_white(&n),
            "cs" => white_fill = false,
            "cm" if n.len() == 6 => {
                state.ctm = Matrix([n[0], n[1], n[2], n[3], n[4], n[5]]).then(state.ctm)
            }
            "BT" => {
                state.tm = Matrix::IDENTITY;
                state.tlm = Matrix::IDENTITY;
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
                    let font = state.font.clone();
                    show(
                        bytes,
                        &mut state,
                        font.as_ref().and_then(|f| fonts.get(f).copied()),
                        &mut glyphs,
                    );
                }
            }
            "TJ" => {
                let font = state.font.clone();
                let font = font.as_ref().and_then(|f| fonts.get(f).copied());
                if let Some(Object::Array(items)) = op.operands.first() {
                    for item in items {
                        match item {
                            Object::String(bytes, _) => show(bytes, &mut state, font, &mut glyphs),
                            other => {
                                if let Some(adjust) = number(other) {
                                    let tx = -adjust / 1000.0 * state.size * state.scale;
                                    state.tm = Matrix::translate(tx, 0.0).then(state.tm);
                                }
                            }
                        }
                    }
                }
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
                path.paint(false, &mut segments);
            }
            "f" | "F" | "f*" if white_fill => path.subpaths.clear(),
            "f" | "F" | "f*" => path.paint(true, &mut segments),
            "B" | "B*" | "b" | "b*" => path.paint(false, &mut segments),
            "n" => path.subpaths.clear(),
            _ => {}
        }
        if let Some(clip) = clip {
            let mut k = shown_before;
            while k < glyphs.len() {
                if clip.shows(&glyphs[k]) {
                    k += 1;
                } else {
                    glyphs.remove(k);
                }
            }
        }
    }
    content.glyphs = glyphs;
    content.segments = segments;
    content
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Widths as a map of every code, the later entry overwriting: what `Widths` keeps in
    /// ranges must read the same.
    #[test]
    fn widths_in_ranges_read_as_every_code_written_out() {
        enum Entry {
            One(u32, f64),
            Range(u32, u32, f64),
        }
        use Entry::{One, Range};
        let entries = [
            One(5, 1.0),
            Range(1, 100, 2.0),
            One(7, 3.0),
            Range(50, 60, 4.0),
            One(55, 5.0),
            Range(90, 80, 6.0),
            Range(200, 200, 7.0),
            One(200, 8.0),
            Range(300, 310, 9.0),
            Range(305, 306, 10.0),
        ];
        let mut widths = Widths::default();
        let mut every: HashMap<u32, f64> = HashMap::new();
        for entry in &entries {
            match *entry {
                One(code, w) => {
                    widths.set(code, w);
                    every.insert(code, w);
                }
                Range(first, last, w) => {
                    widths.set_range(first, last, w);
                    for code in first..=last {
                        every.insert(code, w);
                    }
                }
            }
        }
        for code in 0..400 {
            assert_eq!(widths.get(code), every.get(&code).copied(), "code {code}");
        }
        assert_eq!(widths.ranges.len(), 5, "a backwards range is no range");
    }
}
