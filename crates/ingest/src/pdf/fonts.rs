//! A page's fonts: what text each code of a string is (ToUnicode maps, the predefined CMaps
//! `codes` knows, a simple font's bytes) and how wide its glyph is. Each font is loaded
//! once a document.

use super::codes::Codes;
use super::content::{number, resolve};
use lopdf::{Dictionary, Document as Pdf, Object};
use std::collections::HashMap;

pub(super) struct Font {
    pub(super) codes: Codes,
    pub(super) vertical: bool,
    pub(super) to_unicode: HashMap<u32, String>,
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
pub(crate) struct Fonts(pub(super) HashMap<usize, Font>);

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

pub(super) fn load_font(pdf: &Pdf, dict: &Dictionary) -> Font {
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
    let codes = Codes::of(subtype, encoding);
    let composite = codes != Codes::OneByte;
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
    let mut default_width = if composite { 1000.0 } else { 500.0 };
    if composite {
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
        codes,
        vertical,
        to_unicode,
        widths,
        default_width,
    }
}

impl Font {
    /// A code's glyph width, in thousandths of the font size. A composite font's widths are
    /// by CID: through a CMap other than Identity only ASCII's CIDs are known here (the
    /// rest, CJK, take the default, full width; ASCII without an entry half of it).
    pub(super) fn width(&self, code: u32) -> f64 {
        match self.codes {
            Codes::Utf16 | Codes::Gb => match self.codes.ascii_cid(code) {
                Some(cid) => self.widths.get(cid).unwrap_or(self.default_width / 2.0),
                None => self.default_width,
            },
            Codes::OneByte | Codes::TwoBytes => self.widths.get(code).unwrap_or(self.default_width),
        }
    }
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
