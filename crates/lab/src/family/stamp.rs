//! PDFs as tools that rewrite pages leave them; the lab's PDF (LibreOffice's) is rewritten
//! in place. Seal-stamping and merging tools: each page's whole content moved into a form
//! XObject that the page draws (`q /NbPage Do Q`), its resources (fonts) the form's and no
//! longer the page's, and a red seal over the last page (a ring, words set along it, a
//! star). PDF printers printing
//! landscape: each page turned, its MediaBox landscape and /Rotate set, its content drawn
//! turned, so that it shows upright as before.

use crate::LabError;
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::path::Path;

/// Rewrites the PDF at `path` with every page's content drawn through a form.
pub fn stamp(path: &Path) -> Result<(), LabError> {
    let failed = |why: String| LabError::Converter(format!("{}: stamping: {why}", path.display()));
    let mut pdf = Document::load(path).map_err(|e| failed(e.to_string()))?;
    let pages: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    let last = pages.last().copied();
    for page in pages {
        wrap_page(&mut pdf, page, Some(page) == last).map_err(|e| failed(e.to_string()))?;
    }
    pdf.compress();
    pdf.save(path)
        .map_err(|e| LabError::Io(path.to_path_buf(), e))?;
    Ok(())
}

/// Rewrites the PDF at `path` with every page turned by `rotate` (90 or 270) and its
/// content drawn turned the other way: shown, it is the page it was.
pub fn turn(path: &Path, rotate: i64) -> Result<(), LabError> {
    let failed = |why: String| LabError::Converter(format!("{}: turning: {why}", path.display()));
    let mut pdf = Document::load(path).map_err(|e| failed(e.to_string()))?;
    for page in pdf.get_pages().into_values().collect::<Vec<_>>() {
        turn_page(&mut pdf, page, rotate).map_err(|e| failed(e.to_string()))?;
    }
    pdf.compress();
    pdf.save(path)
        .map_err(|e| LabError::Io(path.to_path_buf(), e))?;
    Ok(())
}

fn turn_page(pdf: &mut Document, page: ObjectId, rotate: i64) -> lopdf::Result<()> {
    // lopdf's as_float reads integers too.
    let size: Vec<f64> = match inherited(pdf, page, b"MediaBox") {
        Some(Object::Array(corners)) => corners
            .iter()
            .filter_map(|o| o.as_float().ok().map(f64::from))
            .collect(),
        _ => Vec::new(),
    };
    let (width, height) = match size[..] {
        [x0, y0, x1, y1] => ((x1 - x0).abs(), (y1 - y0).abs()),
        _ => (595.0, 842.0),
    };
    // The shown point (x, y) of the upright page is drawn where the turned page shows it.
    let matrix = match rotate {
        90 => [0.0, 1.0, -1.0, 0.0, height, 0.0],
        _ => [0.0, -1.0, 1.0, 0.0, 0.0, width],
    };
    let mut content = format!("q {} cm\n", matrix.map(|n| n.to_string()).join(" ")).into_bytes();
    content.extend(pdf.get_page_content(page)?);
    content.extend(b"\nQ");
    let contents = pdf.add_object(Stream::new(dictionary! {}, content));
    let dict = pdf.get_object_mut(page)?.as_dict_mut()?;
    dict.set("Contents", contents);
    dict.set(
        "MediaBox",
        vec![
            0.into(),
            0.into(),
            Object::Real(height as f32),
            Object::Real(width as f32),
        ],
    );
    dict.set("Rotate", rotate);
    Ok(())
}

/// The page's content and resources moved into a form the page draws.
fn wrap_page(pdf: &mut Document, page: ObjectId, seal: bool) -> lopdf::Result<()> {
    let content = pdf.get_page_content(page)?;
    let media_box = inherited(pdf, page, b"MediaBox")
        .unwrap_or_else(|| vec![0.into(), 0.into(), 595.into(), 842.into()].into());
    let resources =
        inherited(pdf, page, b"Resources").unwrap_or(Object::Dictionary(dictionary! {}));
    let form = pdf.add_object(Stream::new(
        dictionary! {
            "Type" => "XObject",
            "Subtype" => "Form",
            "BBox" => media_box.clone(),
            "Resources" => resources,
        },
        content,
    ));
    let mut drawing = vec![
        Operation::new("q", vec![]),
        Operation::new("Do", vec![Object::Name(b"NbPage".to_vec())]),
        Operation::new("Q", vec![]),
    ];
    if seal {
        drawing.extend(seal_operations());
    }
    let drawing = Content {
        operations: drawing,
    }
    .encode()?;
    let contents = pdf.add_object(Stream::new(dictionary! {}, drawing));
    let seal_font =
        super::cmap_fonts::composite_font(pdf, super::cmap_fonts::Cmap::Ucs2, &Default::default());
    let seal_font = pdf.add_object(seal_font);
    let dict = pdf.get_object_mut(page)?.as_dict_mut()?;
    dict.set("Contents", contents);
    dict.set("MediaBox", media_box);
    dict.set(
        "Resources",
        dictionary! {
            "XObject" => dictionary! { "NbPage" => form },
            "Font" => dictionary! { "NbSeal" => seal_font },
        },
    );
    Ok(())
}

/// An entry of the page or, when it has none, of the nearest parent that has it.
fn inherited(pdf: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut node = pdf.get_dictionary(page).ok();
    for _ in 0..32 {
        let dict = node?;
        if let Ok(value) = dict.get(key) {
            return Some(value.clone());
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|id| pdf.get_dictionary(id))
            .ok();
    }
    None
}

/// The words around a seal's ring.
const SEAL_WORDS: &str = "政务公开专用章";

/// A red seal, as an official one is set over the 落款: a ring, its words along the inside
/// of its top, each turned to follow it, and a star in its middle, in font /NbSeal.
fn seal_operations() -> Vec<Operation> {
    // A circle of radius 60 around (430, 160) as four Bézier quarters (k = 0.5523 r).
    let (cx, cy, r) = (430.0, 160.0, 60.0);
    let k = 0.5523 * r;
    let n = |v: f64| Object::Real(v as f32);
    let curve = |points: [f64; 6]| Operation::new("c", points.into_iter().map(n).collect());
    let show = |text: &str| {
        let bytes = super::cmap_fonts::Cmap::Ucs2.encode(text);
        Operation::new(
            "Tj",
            vec![Object::String(bytes, lopdf::StringFormat::Hexadecimal)],
        )
    };
    let mut operations = vec![
        Operation::new("q", vec![]),
        Operation::new("RG", vec![n(0.85), n(0.1), n(0.1)]),
        Operation::new("rg", vec![n(0.85), n(0.1), n(0.1)]),
        Operation::new("w", vec![n(3.0)]),
        Operation::new("m", vec![n(cx + r), n(cy)]),
        curve([cx + r, cy + k, cx + k, cy + r, cx, cy + r]),
        curve([cx - k, cy + r, cx - r, cy + k, cx - r, cy]),
        curve([cx - r, cy - k, cx - k, cy - r, cx, cy - r]),
        curve([cx + k, cy - r, cx + r, cy - k, cx + r, cy]),
        Operation::new("S", vec![]),
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![Object::Name(b"NbSeal".to_vec()), n(14.0)]),
    ];
    let words: Vec<char> = SEAL_WORDS.chars().collect();
    let (inner, half) = (r - 18.0, 7.0);
    for (i, c) in words.iter().enumerate() {
        let along = (160.0 - 140.0 * i as f64 / (words.len() - 1) as f64).to_radians();
        let turn = along - std::f64::consts::FRAC_PI_2;
        let (x, y) = (
            cx + inner * along.cos() - half * turn.cos(),
            cy + inner * along.sin() - half * turn.sin(),
        );
        let matrix = [turn.cos(), turn.sin(), -turn.sin(), turn.cos(), x, y];
        operations.push(Operation::new("Tm", matrix.into_iter().map(n).collect()));
        operations.push(show(&c.to_string()));
    }
    operations.push(Operation::new(
        "Tm",
        [1.0, 0.0, 0.0, 1.0, cx - 8.0, cy - 6.0]
            .into_iter()
            .map(n)
            .collect(),
    ));
    operations.push(show("★"));
    operations.extend([Operation::new("ET", vec![]), Operation::new("Q", vec![])]);
    operations
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF of LibreOffice's shape: resources and media box on the page tree.
    fn plain_pdf() -> Document {
        let mut pdf = Document::with_version("1.5");
        let font = pdf.add_object(dictionary! {
            "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        });
        let content = b"BT /F1 12 Tf 72 700 Td (Report) Tj ET".to_vec();
        let contents = pdf.add_object(Stream::new(dictionary! {}, content));
        let pages = pdf.new_object_id();
        let page = pdf.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages, "Contents" => contents,
        });
        pdf.objects.insert(
            pages,
            Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
                "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            }),
        );
        let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
        pdf.trailer.set("Root", catalog);
        pdf
    }

    /// `plain_pdf` written, rewritten by `rewrite`, and read back.
    fn rewritten(name: &str, rewrite: impl Fn(&Path) -> Result<(), LabError>) -> Document {
        let dir = std::env::temp_dir().join(format!("nianbao-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("report.pdf");
        plain_pdf().save(&path).unwrap();
        rewrite(&path).unwrap();
        let pdf = Document::load(&path).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
        pdf
    }

    #[test]
    fn the_page_draws_only_a_form_that_holds_its_content_and_fonts() {
        let pdf = rewritten("stamp", stamp);
        let page = *pdf.get_pages().values().next().unwrap();
        let drawn = String::from_utf8_lossy(&pdf.get_page_content(page).unwrap()).into_owned();
        // The form, then the seal (the page is the last): its words in its own font.
        assert!(drawn.starts_with("q\n/NbPage Do\nQ"), "{drawn}");
        let fonts: Vec<Vec<u8>> = pdf.get_page_fonts(page).unwrap().into_keys().collect();
        assert_eq!(fonts, [b"NbSeal".to_vec()]);
        let form = pdf
            .get_dictionary(page)
            .and_then(|p| p.get_deref(b"Resources", &pdf))
            .and_then(Object::as_dict)
            .and_then(|r| r.get_deref(b"XObject", &pdf))
            .and_then(Object::as_dict)
            .and_then(|x| x.get_deref(b"NbPage", &pdf))
            .and_then(Object::as_stream)
            .unwrap();
        let inside = form.decompressed_content().unwrap_or(form.content.clone());
        assert_eq!(inside, b"BT /F1 12 Tf 72 700 Td (Report) Tj ET");
        assert!(form.dict.get_deref(b"Resources", &pdf).is_ok());
    }

    #[test]
    fn a_turned_page_is_landscape_turned_back_by_its_rotation() {
        let pdf = rewritten("turn", |path| turn(path, 90));
        let page = pdf
            .get_dictionary(*pdf.get_pages().values().next().unwrap())
            .unwrap();
        assert_eq!(page.get(b"Rotate").and_then(Object::as_i64).unwrap(), 90);
        let corners: Vec<f32> = page
            .get(b"MediaBox")
            .and_then(Object::as_array)
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert_eq!(corners, [0.0, 0.0, 842.0, 595.0]);
        let id = *pdf.get_pages().values().next().unwrap();
        let drawn = String::from_utf8_lossy(&pdf.get_page_content(id).unwrap()).into_owned();
        assert!(drawn.starts_with("q 0 1 -1 0 842 0 cm\nBT"), "{drawn}");
    }
}
