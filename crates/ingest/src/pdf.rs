//! PDF with a text layer: glyphs placed by the content streams, grouped into lines by
//! their baseline and into cells by the gaps between them.
//!
//! Candidates compared on the Hongze report (corpus 003, WPS-made, CID fonts): pdf-extract
//! 0.7 panics on its Identity-V font (an assertion, not an error), so this reader uses
//! lopdf for objects and content streams and does the text positioning itself: the text
//! and graphics matrices, ToUnicode maps, glyph widths. Spans of a PDF report refer to the
//! extracted text (its lines and columns), since a PDF has no line of its own.

use crate::IngestError;
use lopdf::content::Content;
use lopdf::{Dictionary, Document as Pdf, Object};
use std::collections::{BTreeMap, HashMap};

/// What reading one PDF may cost (limits against hostile input).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PdfLimits {
    pub max_pages: usize,
    /// Objects in the file (a report has hundreds to a few tens of thousands).
    pub max_objects: usize,
    /// Wall-clock time for laying out the text of all pages.
    pub max_seconds: u64,
}

pub const DEFAULT_LIMITS: PdfLimits = PdfLimits {
    max_pages: 2_000,
    max_objects: 500_000,
    max_seconds: 60,
};

#[derive(Debug, Clone, Copy)]
struct Matrix([f64; 6]);

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
}

/// One glyph on the page, in default user space (y up).
#[derive(Debug, Clone)]
struct Glyph {
    ch: char,
    x: f64,
    y: f64,
    width: f64,
    size: f64,
}

struct Font {
    two_byte: bool,
    vertical: bool,
    to_unicode: HashMap<u32, String>,
    widths: HashMap<u32, f64>,
    default_width: f64,
}

fn number(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn resolve<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a Object {
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
fn parse_cmap(data: &[u8]) -> HashMap<u32, String> {
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
    let mut widths = HashMap::new();
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
                                    widths.insert(first as u32 + n as u32, v);
                                }
                            }
                            k += 2;
                        }
                        Some(last) => {
                            if let (Some(last), Some(v)) =
                                (number(last), w.get(k + 2).and_then(number))
                            {
                                for code in first as u32..=(last as u32).min(first as u32 + 65_535)
                                {
                                    widths.insert(code, v);
                                }
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
                widths.insert(first as u32 + n as u32, v);
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
        let width = font
            .widths
            .get(&code)
            .copied()
            .unwrap_or(font.default_width)
            / 1000.0;
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

fn page_glyphs(pdf: &Pdf, page: lopdf::ObjectId) -> Vec<Glyph> {
    let fonts: BTreeMap<Vec<u8>, Font> = pdf
        .get_page_fonts(page)
        .map(|f| {
            f.into_iter()
                .map(|(name, dict)| (name, load_font(pdf, dict)))
                .collect()
        })
        .unwrap_or_default();
    let Ok(data) = pdf.get_page_content(page) else {
        return Vec::new();
    };
    let Ok(content) = Content::decode(&data) else {
        return Vec::new();
    };
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
    let mut stack: Vec<Matrix> = Vec::new();
    let mut glyphs = Vec::new();
    for op in &content.operations {
        let n = operand_numbers(&op.operands);
        match op.operator.as_str() {
            "q" => stack.push(state.ctm),
            "Q" => state.ctm = stack.pop().unwrap_or(Matrix::IDENTITY),
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
                        font.as_ref().and_then(|f| fonts.get(f)),
                        &mut glyphs,
                    );
                }
            }
            "TJ" => {
                let font = state.font.clone();
                let font = font.as_ref().and_then(|f| fonts.get(f));
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
            _ => {}
        }
    }
    glyphs
}

/// A page's glyphs as lines of text, top to bottom; wide gaps become `\t` (cells).
fn layout(mut glyphs: Vec<Glyph>) -> String {
    glyphs.retain(|g| g.size > 0.5 && g.x.is_finite() && g.y.is_finite());
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if (line[0].y - g.y).abs() < line[0].size.min(g.size) * 0.45 => line.push(g),
            _ => lines.push(vec![g]),
        }
    }
    let mut out = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut previous: Option<&Glyph> = None;
        for g in &line {
            if let Some(p) = previous {
                let gap = g.x - (p.x + p.width);
                let size = p.size.max(g.size);
                if gap > size * 1.8 {
                    out.push('\t');
                } else if gap > size * 0.3 {
                    out.push(' ');
                }
            }
            out.push(g.ch);
            previous = Some(g);
        }
        out.push('\n');
    }
    out
}

/// The text layer of a PDF, page by page. `Ok(None)`: the PDF has no text (a scan).
/// A PDF library panic on hostile input is caught and becomes this file's error.
pub fn text_of(bytes: &[u8], limits: PdfLimits) -> Result<Option<String>, IngestError> {
    std::panic::catch_unwind(|| read_text(bytes, limits)).unwrap_or_else(|_| {
        Err(IngestError::Corrupt(
            "the PDF could not be read (malformed structure)".into(),
        ))
    })
}

fn read_text(bytes: &[u8], limits: PdfLimits) -> Result<Option<String>, IngestError> {
    let started = std::time::Instant::now();
    let pdf = Pdf::load_mem(bytes)
        .map_err(|e| IngestError::Corrupt(format!("not a readable PDF: {e}")))?;
    if pdf.objects.len() > limits.max_objects {
        return Err(IngestError::Limit(format!(
            "{} PDF objects, more than {}",
            pdf.objects.len(),
            limits.max_objects
        )));
    }
    let pages = pdf.get_pages();
    if pages.len() > limits.max_pages {
        return Err(IngestError::Limit(format!(
            "{} pages, more than {}",
            pages.len(),
            limits.max_pages
        )));
    }
    let mut text = String::new();
    for (n, (_, page)) in pages.into_iter().enumerate() {
        // Checked between pages: one page's content is bounded by the file size limit.
        if started.elapsed().as_secs() >= limits.max_seconds {
            return Err(IngestError::Limit(format!(
                "reading the PDF took over {} s (stopped at page {})",
                limits.max_seconds,
                n + 1
            )));
        }
        text.push_str(&layout(page_glyphs(&pdf, page)));
    }
    if text.chars().filter(|c| !c.is_whitespace()).count() < 20 {
        return Ok(None);
    }
    Ok(Some(text))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let text = layout(vec![
            g('规', 10.0, 700.0),
            g('章', 20.0, 700.5),
            g('0', 100.0, 700.0),
            g('1', 200.0, 699.8),
            g('标', 10.0, 720.0),
        ]);
        assert_eq!(text, "标\n规章\t0\t1\n");
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(
            text_of(b"%PDF-1.7\n garbage", DEFAULT_LIMITS),
            Err(IngestError::Corrupt(_))
        ));
    }
}
