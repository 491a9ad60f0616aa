//! A PDF as seal-stamping and merging tools leave it: each page's whole content moved into a
//! form XObject that the page draws (`q /NbPage Do Q`), its resources (fonts) the form's and
//! no longer the page's, and a red seal stroked over the last page. The lab's PDF
//! (LibreOffice's) is rewritten in place.

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
    let dict = pdf.get_object_mut(page)?.as_dict_mut()?;
    dict.set("Contents", contents);
    dict.set("MediaBox", media_box);
    dict.set(
        "Resources",
        dictionary! { "XObject" => dictionary! { "NbPage" => form } },
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

/// A red ring, as an official seal is drawn over the 落款: curves only, no text.
fn seal_operations() -> Vec<Operation> {
    // A circle of radius 60 around (430, 160) as four Bézier quarters (k = 0.5523 r).
    let (cx, cy, r) = (430.0, 160.0, 60.0);
    let k = 0.5523 * r;
    let n = |v: f64| Object::Real(v as f32);
    let curve = |points: [f64; 6]| Operation::new("c", points.into_iter().map(n).collect());
    vec![
        Operation::new("q", vec![]),
        Operation::new("RG", vec![n(0.85), n(0.1), n(0.1)]),
        Operation::new("w", vec![n(3.0)]),
        Operation::new("m", vec![n(cx + r), n(cy)]),
        curve([cx + r, cy + k, cx + k, cy + r, cx, cy + r]),
        curve([cx - k, cy + r, cx - r, cy + k, cx - r, cy]),
        curve([cx - r, cy - k, cx - k, cy - r, cx, cy - r]),
        curve([cx + k, cy - r, cx + r, cy - k, cx + r, cy]),
        Operation::new("S", vec![]),
        Operation::new("Q", vec![]),
    ]
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

    #[test]
    fn the_page_draws_only_a_form_that_holds_its_content_and_fonts() {
        let dir = std::env::temp_dir().join(format!("nianbao-stamp-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("report.pdf");
        plain_pdf().save(&path).unwrap();
        stamp(&path).unwrap();
        let pdf = Document::load(&path).unwrap();
        let page = *pdf.get_pages().values().next().unwrap();
        let drawn = String::from_utf8_lossy(&pdf.get_page_content(page).unwrap()).into_owned();
        assert!(
            drawn.starts_with("q\n/NbPage Do\nQ") && !drawn.contains("Tj"),
            "{drawn}"
        );
        assert!(pdf.get_page_fonts(page).unwrap().is_empty());
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
        let _ = std::fs::remove_dir_all(&dir);
    }
}
