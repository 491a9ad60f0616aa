//! Scanned reports: the lab's PDF (LibreOffice's) printed and scanned, as offices publish a
//! report signed and stamped on paper. Each page is rendered by poppler's `pdftoppm` as a
//! scanner would save it, and the pages are written back as a PDF of pictures only, with
//! no text: grey JPEG at 200 dpi (a document scanner's default), or black and white at
//! 300 dpi (a fax-like office scanner's); or grey, with each page fed a degree or two
//! askew, as paper seldom goes in square.

use super::Layout;
use crate::LabError;
use lopdf::{dictionary, Document, Object, ObjectId, Stream};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pdftoppm command, if installed.
pub fn pdftoppm() -> Option<PathBuf> {
    super::installed(&["pdftoppm"], "-v")
}

/// Rewrites each case's PDF (`file`) as its scan, in its layout's way; the error names the
/// first file that failed.
pub fn scan_all(program: &Path, cases: &[(PathBuf, Layout)]) -> Result<(), LabError> {
    super::all_on_two_workers(cases, "pdftoppm did not render", |_, (file, layout)| {
        scan(program, file, *layout)
    })
}

/// How a layout scans: pdftoppm's options, the resolution, and the pictures' file ending.
fn scanner(layout: Layout) -> (&'static [&'static str], f64, &'static str) {
    match layout {
        Layout::ScanMono => (&["-mono", "-r", "300"], 300.0, "pbm"),
        _ => (&["-gray", "-jpeg", "-r", "200"], 200.0, "jpg"),
    }
}

fn scan(program: &Path, file: &Path, layout: Layout) -> Result<(), String> {
    let (options, dpi, ending) = scanner(layout);
    let pages_dir = file.with_extension("pages");
    std::fs::create_dir_all(&pages_dir).map_err(|e| format!("{}: {e}", pages_dir.display()))?;
    let mut command = Command::new(program);
    command.args(options).arg(file).arg(pages_dir.join("page"));
    super::run_writing(&mut command, file, &pages_dir)?;
    let mut pages: Vec<(u32, PathBuf)> = std::fs::read_dir(&pages_dir)
        .map_err(|e| format!("{}: {e}", pages_dir.display()))?
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let number = path
                .file_stem()?
                .to_str()?
                .strip_prefix("page-")?
                .parse()
                .ok()?;
            Some((number, path))
        })
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(format!("{}: pdftoppm wrote no pages", file.display()));
    }
    let mut pictures = Vec::new();
    for (_, path) in &pages {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let picture = match ending {
            "pbm" => Picture::from_pbm(&bytes),
            _ => Picture::from_jpeg(bytes),
        };
        pictures.push(picture.ok_or_else(|| format!("{}: not a picture", path.display()))?);
    }
    let _ = std::fs::remove_dir_all(&pages_dir);
    let slant = match layout {
        Layout::ScanSkewed => slant_of(file),
        _ => 0.0,
    };
    let mut pdf = pdf_of_pictures(&pictures, dpi, slant);
    pdf.save(file)
        .map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(())
}

/// How far a case's pages are turned, in degrees: between 0.3 and 2 either way, told
/// by the file's name (the same each run), as far as a page fed by hand goes askew.
fn slant_of(file: &Path) -> f64 {
    // FNV-1a: a hash that stays the same from one build to the next.
    let name = file
        .file_name()
        .map(|n| n.as_encoded_bytes())
        .unwrap_or_default();
    let hash = name.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    });
    let share = (hash >> 11) as f64 / (1u64 << 53) as f64;
    let degrees = 0.3 + 1.7 * share;
    if hash & 1 == 0 {
        degrees
    } else {
        -degrees
    }
}

/// A page's picture as a PDF image takes it.
struct Picture {
    width: u32,
    height: u32,
    /// JPEG (`DCTDecode`) of this many components (pdftoppm writes even its grey pages
    /// in three), or, when 0, 1 bit a pixel, black 1.
    jpeg_components: u8,
    data: Vec<u8>,
}

impl Picture {
    /// A JPEG, its size read from its frame header (SOF0 to SOF2).
    fn from_jpeg(data: Vec<u8>) -> Option<Picture> {
        let mut at = 2;
        while at + 9 < data.len() {
            if data[at] != 0xFF {
                return None;
            }
            let marker = data[at + 1];
            let len = usize::from(u16::from_be_bytes([data[at + 2], data[at + 3]]));
            if (0xC0..=0xC2).contains(&marker) {
                let height = u32::from(u16::from_be_bytes([data[at + 5], data[at + 6]]));
                let width = u32::from(u16::from_be_bytes([data[at + 7], data[at + 8]]));
                let jpeg_components = *data.get(at + 9)?;
                return Some(Picture {
                    width,
                    height,
                    jpeg_components,
                    data,
                });
            }
            at += 2 + len;
        }
        None
    }

    /// A binary PBM (`P4`), as `pdftoppm -mono` writes it: rows of bits, black 1.
    fn from_pbm(bytes: &[u8]) -> Option<Picture> {
        // "P4", width and height, each after white space; one white space ends the header.
        let mut fields = Vec::new();
        let mut at = 0;
        while fields.len() < 3 {
            while bytes.get(at)?.is_ascii_whitespace() {
                at += 1;
            }
            let len = bytes[at..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace())
                .count();
            fields.push(std::str::from_utf8(&bytes[at..at + len]).ok()?);
            at += len;
        }
        let (width, height): (u32, u32) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
        (fields[0] == "P4").then_some(())?;
        let start = at + 1;
        let row = (width as usize).div_ceil(8);
        let data = bytes.get(start..start + row * height as usize)?.to_vec();
        Some(Picture {
            width,
            height,
            jpeg_components: 0,
            data,
        })
    }
}

/// A PDF whose pages are the pictures, each drawn over the whole of a page of its size at
/// `dpi`, turned by `slant` degrees about the page's centre (a corner it leaves is
/// white), and nothing else.
fn pdf_of_pictures(pictures: &[Picture], dpi: f64, slant: f64) -> Document {
    let mut pdf = Document::with_version("1.5");
    let pages_id = pdf.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    for picture in pictures {
        let (width, height) = (
            f64::from(picture.width) * 72.0 / dpi,
            f64::from(picture.height) * 72.0 / dpi,
        );
        let colours = match picture.jpeg_components {
            1 => "DeviceGray",
            4 => "DeviceCMYK",
            _ => "DeviceRGB",
        };
        let image = match picture.jpeg_components {
            0 => {
                let mut stream = Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Image",
                        "Width" => picture.width, "Height" => picture.height,
                        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 1,
                        "Decode" => vec![1.into(), 0.into()],
                    },
                    picture.data.clone(),
                );
                let _ = stream.compress();
                stream
            }
            _ => Stream::new(
                dictionary! {
                    "Type" => "XObject", "Subtype" => "Image",
                    "Width" => picture.width, "Height" => picture.height,
                    "ColorSpace" => colours, "BitsPerComponent" => 8,
                    "Filter" => "DCTDecode",
                },
                picture.data.clone(),
            ),
        };
        let image_id = pdf.add_object(image);
        let content = format!("q {} cm /Scan Do Q", turned(width, height, slant));
        let content_id = pdf.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id: ObjectId = pdf.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(width as f32), Object::Real(height as f32)],
            "Resources" => dictionary! { "XObject" => dictionary! { "Scan" => image_id } },
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    pdf.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = pdf.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    pdf.trailer.set("Root", catalog);
    pdf
}

/// The matrix that draws an image (a unit square) over a page of `width` by `height`
/// points turned by `degrees` about the page's centre, as a `cm` operator's operands.
fn turned(width: f64, height: f64, degrees: f64) -> String {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (width / 2.0, height / 2.0);
    let (e, f) = (cx - (cx * cos - cy * sin), cy - (cx * sin + cy * cos));
    let numbers = [width * cos, width * sin, -height * sin, height * cos, e, f];
    let written: Vec<String> = numbers
        .iter()
        .map(|n| match format!("{n:.4}") {
            zero if zero.trim_start_matches('-') == "0.0000" => "0".to_string(),
            n => n.trim_end_matches('0').trim_end_matches('.').to_string(),
        })
        .collect();
    written.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_and_a_pbm_are_sized_from_their_headers() {
        // SOI, an APP0 of 4 bytes, SOF0 (precision 8, 3 x 2 pixels, one component).
        let jpeg = vec![
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00,
            0x02, 0x00, 0x03, 0x01, 0x01, 0x11, 0x00,
        ];
        let picture = Picture::from_jpeg(jpeg).expect("a frame header");
        assert_eq!(
            (picture.width, picture.height, picture.jpeg_components),
            (3, 2, 1)
        );
        let pbm = b"P4\n10 2\n\xff\xc0\x00\x00";
        let picture = Picture::from_pbm(pbm).expect("a PBM");
        assert_eq!((picture.width, picture.height), (10, 2));
        assert_eq!(picture.data, b"\xff\xc0\x00\x00");
        assert!(Picture::from_pbm(b"P4\n10 2\n\xff").is_none(), "truncated");
    }

    #[test]
    fn a_scan_is_a_pdf_of_pictures_without_text() {
        let picture = Picture::from_pbm(b"P4\n10 2\n\xff\xc0\x00\x00").expect("a PBM");
        let mut pdf = pdf_of_pictures(&[picture], 300.0, 0.0);
        let mut bytes = Vec::new();
        pdf.save_to(&mut bytes).expect("written");
        let read = Document::load_mem(&bytes).expect("read back");
        let pages = read.get_pages();
        assert_eq!(pages.len(), 1);
        let page = pages[&1];
        let content = read.get_page_content(page).expect("content");
        assert_eq!(
            String::from_utf8_lossy(&content),
            "q 2.4 0 0 0.48 0 0 cm /Scan Do Q"
        );
    }

    #[test]
    fn a_skewed_scan_turns_its_picture_about_the_pages_centre() {
        // A quarter turn of a 4 by 2 page: the picture's corners go round its centre (2, 1).
        assert_eq!(turned(4.0, 2.0, 90.0), "0 4 -2 0 3 -1");
        for name in ["a-scan-skewed-gray-200dpi-00.pdf", "b.pdf", "c.pdf"] {
            let slant = slant_of(Path::new(name));
            assert!((0.3..=2.0).contains(&slant.abs()), "{slant}");
            assert_eq!(slant, slant_of(Path::new(name)));
        }
    }
}
