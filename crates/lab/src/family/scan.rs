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
/// Black and white is rendered grey without smoothing (type in solid black, shading grey)
/// and made black and white here ([`Picture::black_and_white`]).
fn scanner(layout: Layout) -> (&'static [&'static str], f64, &'static str) {
    match layout {
        Layout::ScanMono => (
            &["-gray", "-aa", "no", "-aaVector", "no", "-r", "300"],
            300.0,
            "pgm",
        ),
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
            "pgm" => Picture::black_and_white(&bytes),
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

    /// A grey PGM (`P5`, as `pdftoppm -gray` writes it, type unsmoothed) made black and
    /// white as a scanner's halftone mode makes it: each pixel black or white, and what
    /// that misses of its grey passed on to the pixels after it (Floyd–Steinberg), so that
    /// a shaded cell becomes a scatter of dots and type stays solid. Done here, not by
    /// `pdftoppm -mono`: its halftone screen is random, a different scatter each run, and
    /// a lab case must be the same each run.
    fn black_and_white(bytes: &[u8]) -> Option<Picture> {
        let (fields, start) = netpbm_header(bytes, 4)?;
        (fields[0] == "P5" && fields[3] == "255").then_some(())?;
        let (width, height): (u32, u32) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
        let (columns, rows) = (width as usize, height as usize);
        let grey = bytes.get(start..start + columns.checked_mul(rows)?)?;
        let row_bytes = columns.div_ceil(8);
        let mut data = vec![0u8; row_bytes * rows];
        // Sixteenths of grey owed to this row's and the next row's pixels, with a pixel to
        // spare on either side.
        let mut owed_here = vec![0i32; columns + 2];
        let mut owed_below = vec![0i32; columns + 2];
        for y in 0..rows {
            for x in 0..columns {
                let wanted = i32::from(grey[y * columns + x]) + owed_here[x + 1] / 16;
                let made = if wanted < 128 { 0 } else { 255 };
                if made == 0 {
                    data[y * row_bytes + x / 8] |= 0x80 >> (x % 8);
                }
                let missed = wanted - made;
                owed_here[x + 2] += missed * 7;
                owed_below[x] += missed * 3;
                owed_below[x + 1] += missed * 5;
                owed_below[x + 2] += missed;
            }
            std::mem::swap(&mut owed_here, &mut owed_below);
            owed_below.fill(0);
        }
        Some(Picture {
            width,
            height,
            jpeg_components: 0,
            data,
        })
    }
}

/// The first `count` fields of a binary Netpbm file's header (its magic number, then
/// numbers), each after white space, and where its data starts (after one more white
/// space).
pub(super) fn netpbm_header(bytes: &[u8], count: usize) -> Option<(Vec<&str>, usize)> {
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < count {
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
    Some((fields, at + 1))
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

    /// A PGM of `width` by `height` pixels, all of grey `grey`.
    fn pgm(width: usize, height: usize, grey: u8) -> Vec<u8> {
        let mut pgm = format!("P5\n{width} {height}\n255\n").into_bytes();
        pgm.extend(std::iter::repeat_n(grey, width * height));
        pgm
    }

    #[test]
    fn a_jpeg_and_a_pgm_are_sized_from_their_headers() {
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
        let mut pgm = b"P5\n10 2\n255\n".to_vec();
        pgm.extend([0u8; 10]);
        pgm.extend([255u8; 10]);
        let picture = Picture::black_and_white(&pgm).expect("a PGM");
        assert_eq!((picture.width, picture.height), (10, 2));
        assert_eq!(
            picture.data, b"\xff\xc0\x00\x00",
            "black 1, rows whole bytes"
        );
        pgm.pop();
        assert!(Picture::black_and_white(&pgm).is_none(), "truncated");
        assert!(
            Picture::black_and_white(b"P4\n1 1\n\x00").is_none(),
            "not grey"
        );
    }

    #[test]
    fn a_shaded_cell_becomes_a_scatter_of_dots_the_same_each_time() {
        let black =
            |picture: &Picture| -> u32 { picture.data.iter().map(|b| b.count_ones()).sum() };
        // Light shading (grey 204, a fifth of the way to black) is about a fifth black.
        let shaded = Picture::black_and_white(&pgm(80, 80, 204)).expect("a PGM");
        let share = f64::from(black(&shaded)) / 6_400.0;
        assert!((0.17..0.23).contains(&share), "{share}");
        let again = Picture::black_and_white(&pgm(80, 80, 204)).expect("a PGM");
        assert_eq!(shaded.data, again.data);
        assert_eq!(
            black(&Picture::black_and_white(&pgm(8, 8, 255)).unwrap()),
            0
        );
        assert_eq!(black(&Picture::black_and_white(&pgm(8, 8, 0)).unwrap()), 64);
    }

    #[test]
    fn a_scan_is_a_pdf_of_pictures_without_text() {
        let picture = Picture::black_and_white(&pgm(10, 2, 0)).expect("a PGM");
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
