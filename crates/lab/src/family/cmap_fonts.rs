//! A PDF as Java report writers (iText and its kind) set Chinese: its text in a font that is
//! not embedded (`STSong-Light`), encoded by a predefined CMap — UCS-2 (`UniGB-UCS2-H`) or
//! GBK (`GBK-EUC-H`) — with no ToUnicode map. The lab's PDF (LibreOffice's, whose subset
//! fonts map their codes to text by ToUnicode) is rewritten in place: every such font
//! becomes an `STSong-Light` composite font, and every string shown in it is re-encoded.
//! Widths stay the original glyphs' (full width for CJK, each ASCII char's own by CID).

use crate::LabError;
use lopdf::content::Content;
use lopdf::{dictionary, Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use std::collections::BTreeMap;
use std::path::Path;

/// The predefined CMap the text is encoded by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmap {
    /// `UniGB-UCS2-H`: two bytes of UTF-16 a char.
    Ucs2,
    /// `GBK-EUC-H`: one byte for ASCII, two for GBK (a char beyond GBK in GB 18030's
    /// four bytes; reports hardly have one).
    Gbk,
}

impl Cmap {
    fn name(self) -> &'static str {
        match self {
            Cmap::Ucs2 => "UniGB-UCS2-H",
            Cmap::Gbk => "GBK-EUC-H",
        }
    }

    pub(super) fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Cmap::Ucs2 => text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect(),
            Cmap::Gbk => encoding_rs::GB18030.encode(text).0.into_owned(),
        }
    }

    /// The Adobe-GB1 CID of an ASCII char's glyph under this CMap.
    fn ascii_cid(self, c: char) -> Option<u32> {
        let code = c as u32;
        match (self, code) {
            (Cmap::Ucs2, 0x20..=0x7E) => Some(code - 0x1F),
            (Cmap::Gbk, 0x21..=0x7E) => Some(code - 0x21 + 814),
            (Cmap::Gbk, 0x20) => Some(7716),
            _ => None,
        }
    }
}

/// A font rewritten: each of its one-byte codes' text.
type Recoded = BTreeMap<u8, String>;

/// Rewrites the PDF at `path` with its fonts that have a ToUnicode map set as `cmap` says.
pub fn recode(path: &Path, cmap: Cmap) -> Result<(), LabError> {
    let failed = |why: String| LabError::Converter(format!("{}: recoding: {why}", path.display()));
    let mut pdf = Document::load(path).map_err(|e| failed(e.to_string()))?;
    let mut fonts: BTreeMap<ObjectId, Recoded> = BTreeMap::new();
    for (_, page) in pdf.get_pages() {
        recode_page(&mut pdf, page, cmap, &mut fonts).map_err(|e| failed(e.to_string()))?;
    }
    for (id, codes) in &fonts {
        let widths = pdf
            .get_dictionary(*id)
            .map(|font| widths_by_text(font, codes))
            .unwrap_or_default();
        let font = composite_font(&mut pdf, cmap, &widths);
        pdf.objects.insert(*id, Object::Dictionary(font));
    }
    pdf.compress();
    pdf.save(path)
        .map_err(|e| LabError::Io(path.to_path_buf(), e))?;
    Ok(())
}

/// The page's strings re-encoded, the fonts they are shown in (by name) found and noted in
/// `fonts` with their codes' text.
fn recode_page(
    pdf: &mut Document,
    page: ObjectId,
    cmap: Cmap,
    fonts: &mut BTreeMap<ObjectId, Recoded>,
) -> lopdf::Result<()> {
    let mut by_name: BTreeMap<Vec<u8>, ObjectId> = BTreeMap::new();
    for (name, dict) in pdf.get_page_fonts(page)? {
        let Some(id) = font_id(pdf, page, &name) else {
            continue;
        };
        if let std::collections::btree_map::Entry::Vacant(entry) = fonts.entry(id) {
            let Some(codes) = codes_text(pdf, dict) else {
                continue;
            };
            entry.insert(codes);
        }
        by_name.insert(name, id);
    }
    let mut content = Content::decode(&pdf.get_page_content(page)?)?;
    let mut current: Option<&Recoded> = None;
    for op in &mut content.operations {
        match op.operator.as_str() {
            "Tf" => {
                let name = op.operands.first().and_then(|o| o.as_name().ok());
                current = name
                    .and_then(|n| by_name.get(n))
                    .and_then(|id| fonts.get(id));
            }
            "Tj" | "'" | "\"" | "TJ" => {
                let Some(codes) = current else { continue };
                for operand in &mut op.operands {
                    recode_strings(operand, codes, cmap);
                }
            }
            _ => {}
        }
    }
    let encoded = content.encode()?;
    let stream = pdf.add_object(Stream::new(dictionary! {}, encoded));
    pdf.get_object_mut(page)?
        .as_dict_mut()?
        .set("Contents", stream);
    Ok(())
}

/// The object of the font the page names `name` (its resources' or its parents').
fn font_id(pdf: &Document, page: ObjectId, name: &[u8]) -> Option<ObjectId> {
    let (own, inherited) = pdf.get_page_resources(page).ok()?;
    let inherited = inherited
        .into_iter()
        .filter_map(|id| pdf.get_dictionary(id).ok());
    own.into_iter().chain(inherited).find_map(|resources| {
        let fonts = resources.get_deref(b"Font", pdf).ok()?.as_dict().ok()?;
        fonts.get(name).ok()?.as_reference().ok()
    })
}

/// A simple font's codes and their text, by its ToUnicode map; `None` for a font without
/// one (or a composite font: LibreOffice writes simple subsets).
fn codes_text(pdf: &Document, font: &Dictionary) -> Option<Recoded> {
    if font.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0".as_slice()) {
        return None;
    }
    let stream = font.get_deref(b"ToUnicode", pdf).ok()?.as_stream().ok()?;
    let data = stream
        .decompressed_content()
        .unwrap_or(stream.content.clone());
    Some(to_unicode(&String::from_utf8_lossy(&data)))
}

/// The one-byte codes a ToUnicode map's `bfchar` and `bfrange` sections give text
/// (LibreOffice writes `bfchar` only; the lab reads no other writer's maps).
fn to_unicode(cmap: &str) -> Recoded {
    let hex = |token: &str| -> Option<Vec<u8>> {
        let digits = token.trim_start_matches('<').trim_end_matches('>');
        (0..digits.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(digits.get(i..i + 2)?, 16).ok())
            .collect()
    };
    // A one-byte code.
    let byte = |token: &str| match hex(token).as_deref() {
        Some(&[b]) => Some(b),
        _ => None,
    };
    let text = |bytes: &[u8]| {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        String::from_utf16(&units).ok()
    };
    let mut codes = Recoded::new();
    let mut section = "";
    let mut tokens: Vec<&str> = Vec::new();
    for token in cmap.split_whitespace() {
        match token {
            "beginbfchar" | "beginbfrange" => (section, tokens) = (token, Vec::new()),
            "endbfchar" => {
                for pair in tokens.chunks(2) {
                    let to = pair.get(1).and_then(|t| hex(t));
                    if let (Some(code), Some(text)) = (byte(pair[0]), to.and_then(|t| text(&t))) {
                        codes.insert(code, text);
                    }
                }
                section = "";
            }
            "endbfrange" => {
                for triple in tokens.chunks(3) {
                    let [first, last, to] = triple else { continue };
                    let (Some(first), Some(last)) = (byte(first), byte(last)) else {
                        continue;
                    };
                    let start = hex(to)
                        .and_then(|t| text(&t))
                        .and_then(|t| t.chars().next());
                    let Some(start) = start else { continue };
                    for (n, code) in (first..=last).enumerate() {
                        if let Some(c) = char::from_u32(start as u32 + n as u32) {
                            codes.insert(code, c.to_string());
                        }
                    }
                }
                section = "";
            }
            _ if !section.is_empty() => tokens.push(token),
            _ => {}
        }
    }
    codes
}

/// Each string of an operand (a string, or an array of strings and positions) re-encoded.
fn recode_strings(operand: &mut Object, codes: &Recoded, cmap: Cmap) {
    match operand {
        Object::String(bytes, format) => {
            let text: String = bytes
                .iter()
                .filter_map(|b| codes.get(b))
                .map(String::as_str)
                .collect();
            *bytes = cmap.encode(&text);
            *format = StringFormat::Hexadecimal;
        }
        Object::Array(items) => {
            for item in items {
                recode_strings(item, codes, cmap);
            }
        }
        _ => {}
    }
}

/// The font's glyph widths by the text of their codes (one char each).
fn widths_by_text(font: &Dictionary, codes: &Recoded) -> BTreeMap<char, f64> {
    // lopdf's as_float reads integers too.
    let number = |o: &Object| o.as_float().ok().map(f64::from);
    let first = font.get(b"FirstChar").ok().and_then(number).unwrap_or(0.0) as usize;
    let Ok(widths) = font.get(b"Widths").and_then(Object::as_array) else {
        return BTreeMap::new();
    };
    widths
        .iter()
        .enumerate()
        .filter_map(|(n, w)| {
            let code = u8::try_from(first + n).ok()?;
            let mut chars = codes.get(&code)?.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Some((c, number(w)?)),
                _ => None,
            }
        })
        .collect()
}

/// An `STSong-Light` font encoded by `cmap`, not embedded, with the ASCII chars' widths.
pub(super) fn composite_font(
    pdf: &mut Document,
    cmap: Cmap,
    widths: &BTreeMap<char, f64>,
) -> Dictionary {
    let mut w: Vec<Object> = Vec::new();
    for (&c, &width) in widths {
        if let Some(cid) = cmap.ascii_cid(c) {
            w.push(Object::Integer(cid.into()));
            w.push(Object::Array(vec![Object::Real(width as f32)]));
        }
    }
    let descriptor = pdf.add_object(dictionary! {
        "Type" => "FontDescriptor", "FontName" => "STSong-Light", "Flags" => 6,
        "FontBBox" => vec![(-25).into(), (-254).into(), 1000.into(), 880.into()],
        "ItalicAngle" => 0, "Ascent" => 880, "Descent" => -120, "CapHeight" => 880, "StemV" => 93,
    });
    let descendant = pdf.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "CIDFontType0", "BaseFont" => "STSong-Light",
        "CIDSystemInfo" => dictionary! {
            "Registry" => Object::string_literal("Adobe"),
            "Ordering" => Object::string_literal("GB1"),
            "Supplement" => 4,
        },
        "FontDescriptor" => descriptor, "DW" => 1000, "W" => w,
    });
    dictionary! {
        "Type" => "Font", "Subtype" => "Type0",
        "BaseFont" => Object::Name(format!("STSong-Light-{}", cmap.name()).into_bytes()),
        "Encoding" => Object::Name(cmap.name().as_bytes().to_vec()),
        "DescendantFonts" => vec![descendant.into()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_to_unicode_map_gives_each_code_its_text() {
        let cmap = "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n2 beginbfchar\n<01> <5170>\n<02> <0032>\nendbfchar\n1 beginbfrange\n<10> <12> <0041>\nendbfrange";
        let codes = to_unicode(cmap);
        let read: Vec<(u8, &str)> = codes.iter().map(|(c, t)| (*c, t.as_str())).collect();
        assert_eq!(
            read,
            [(1, "兰"), (2, "2"), (0x10, "A"), (0x11, "B"), (0x12, "C")]
        );
    }

    #[test]
    fn strings_are_re_encoded_by_the_cmap() {
        let codes: Recoded = [(1, "兰".to_string()), (2, "2".to_string())].into();
        let mut shown = Object::Array(vec![
            Object::string_literal(vec![1, 2]),
            Object::Integer(-20),
        ]);
        recode_strings(&mut shown, &codes, Cmap::Ucs2);
        let Object::Array(items) = &shown else {
            unreachable!()
        };
        assert_eq!(
            items[0],
            Object::String(vec![0x51, 0x70, 0x00, 0x32], StringFormat::Hexadecimal)
        );
        assert_eq!(items[1], Object::Integer(-20));
        let mut gbk = Object::string_literal(vec![1, 2]);
        recode_strings(&mut gbk, &codes, Cmap::Gbk);
        assert_eq!(
            gbk,
            Object::String(vec![0xC0, 0xBC, b'2'], StringFormat::Hexadecimal)
        );
    }
}
