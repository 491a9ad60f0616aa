//! A web page's pictures read by OCR, when asked for: a table a CMS page shows as a
//! screenshot. A picture is found where the page names it (`<img src>`): inside the page
//! itself (a `data:` address), in a single file web page's parts, or in a file beside a
//! saved page (in its folder or below, never above). What OCR reads in it is set into the
//! page's text before the paragraph it stands in, each character pointing at the picture's
//! tag, and marked recognised.

use super::pasted_pictures::{read_pasted, Pasted};
use crate::document::{Document, Format, TextBuilder};
use crate::html::WebImage;
use crate::mht::{percent_decoded, Archive};
use crate::pdf::PdfText;
use crate::Limits;
use std::ops::Range;
use std::path::Path;

/// Where a page's pictures are found besides the page itself.
pub(crate) enum PictureFiles<'a> {
    /// The page was a file: the folder it is in, when it is known (not for bytes given
    /// without a file, such as an upload).
    Page { folder: Option<&'a Path> },
    /// The page is a single file web page's: its parts.
    Archive(&'a Archive<'a>),
}

impl PictureFiles<'_> {
    /// The bytes of the picture `src` names; `None` when it is not found here or is past
    /// the file size limit.
    fn bytes(&self, src: &str, limits: &Limits) -> Option<Vec<u8>> {
        if let Some(bytes) = data_address(src) {
            return Some(bytes);
        }
        let bytes = match self {
            PictureFiles::Page { folder } => beside(folder.as_ref()?, src, limits)?,
            PictureFiles::Archive(archive) => archive.picture(src)?,
        };
        (bytes.len() as u64 <= limits.max_file_bytes).then_some(bytes)
    }
}

/// The bytes a `data:` address holds in base64.
fn data_address(src: &str) -> Option<Vec<u8>> {
    let rest = src.trim().strip_prefix("data:")?;
    let (kind, payload) = rest.split_once(',')?;
    if !kind.to_ascii_lowercase().ends_with(";base64") {
        return None;
    }
    crate::mht::base64_decoded(payload.as_bytes()).ok()
}

/// The file a saved page's picture names (`src` relative to the page's `folder`, as a
/// browser saving a page writes it), read within the size limit; `None` for an address
/// elsewhere, an absolute path, or a path out of the folder.
fn beside(folder: &Path, src: &str, limits: &Limits) -> Option<Vec<u8>> {
    let src = src.split(['?', '#']).next().unwrap_or(src);
    let src = percent_decoded(src);
    if src.contains(':') || src.starts_with(['/', '\\']) {
        return None;
    }
    let mut path = folder.to_path_buf();
    for part in src.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            part => path.push(part),
        }
    }
    // A link through the folder may not lead out of it.
    let (real, folder) = (path.canonicalize().ok()?, folder.canonicalize().ok()?);
    if !real.starts_with(&folder) || !real.is_file() {
        return None;
    }
    crate::read_bytes(&real, limits).ok()
}

/// A page's pictures looked for at most, in its order: a page shows a few dozen (icons,
/// photos, tables), and each is looked up among an archive's parts in turn.
const MOST_PICTURES_LOOKED_UP: usize = 200;

/// The page's text (`root`, as rendering it keeps its pictures) with what OCR reads in its
/// pictures set in where they stand, and the ranges of that text. A picture OCR could not
/// read leaves the text as it was, and so does a failure to run OCR at all (logged, naming
/// the file `name`).
pub(crate) fn with_pictures_read(
    mut root: TextBuilder,
    files: &PictureFiles,
    limits: &Limits,
    name: &str,
) -> (TextBuilder, Vec<Range<usize>>) {
    let images = std::mem::take(&mut root.images);
    if images.is_empty() {
        return (root, Vec::new());
    }
    let looked_up = images.iter().enumerate().take(MOST_PICTURES_LOOKED_UP);
    let pasted = looked_up.filter_map(|(number, image)| {
        let bytes = files.bytes(&image.src, limits);
        if bytes.is_none() {
            tracing::debug!(file = name, picture = %shortened(&image.src), "picture not found");
        }
        Some(Pasted {
            at: number,
            name: &image.src,
            bytes: bytes?,
            inches: image.inches,
            cropped: [0.0; 4],
        })
    });
    match read_pasted(pasted) {
        Ok(read) if read.is_empty() => (root, Vec::new()),
        Ok(read) => spliced(root, &images, read),
        Err(e) => {
            tracing::warn!(file = name, "pictures not read by OCR: {e}");
            (root, Vec::new())
        }
    }
}

/// An address short enough for a log line (a `data:` one holds the whole picture).
fn shortened(src: &str) -> &str {
    let end = src.char_indices().nth(80).map_or(src.len(), |(at, _)| at);
    &src[..end]
}

/// The page's text with each text read (`read`: the picture's number among `images`, what
/// was read) set in where its picture stands, on lines of its own; each character of it
/// points at the picture's tag. The page's tables, pictures and links move past it.
fn spliced(
    root: TextBuilder,
    images: &[WebImage],
    read: Vec<(usize, PdfText)>,
) -> (TextBuilder, Vec<Range<usize>>) {
    let mut inserts: Vec<(&WebImage, Document)> = read
        .into_iter()
        .filter_map(|(number, piece)| {
            let image = images.get(number)?;
            let text = Document::extracted("", Format::Zip, piece.text, "UTF-8", piece.grids, &[]);
            Some((image, text))
        })
        .filter(|(image, _)| root.text().is_char_boundary(image.at))
        .collect();
    inserts.sort_by_key(|(image, _)| image.at);
    let mut out = TextBuilder::with_capacity(root.len());
    let mut recognised = Vec::new();
    // Where each text set in was put in the page's text, and how long it made it.
    let mut added: Vec<(usize, usize)> = Vec::new();
    let mut copied = 0;
    for (image, read) in inserts {
        out.append_range(&root, copied, image.at);
        let before = out.len();
        if !(out.is_empty() || out.ends_with('\n')) {
            out.push_raw('\n', image.tag);
        }
        let start = out.len();
        for ch in read.text.chars() {
            out.push_raw(ch, image.tag);
        }
        if !out.ends_with('\n') {
            out.push_raw('\n', image.tag);
        }
        recognised.push(start..out.len());
        out.grids.extend(read.grids.into_iter().map(|mut grid| {
            grid.shift(start);
            grid
        }));
        // The page's own line break after the picture is the read text's last.
        copied = match root.text().as_bytes().get(image.at) {
            Some(b'\n') => image.at + 1,
            _ => image.at,
        };
        added.push((image.at, out.len() - before - (copied - image.at)));
    }
    out.append_range(&root, copied, root.len());
    // A position of the page's text moved past the text set in before it (and at it, but
    // for a picture's, which stands where the text read in it starts).
    let moved = |p: usize, at_too: bool| {
        let before = added
            .iter()
            .filter(|(at, _)| *at < p || (at_too && *at == p));
        p + before.map(|(_, len)| len).sum::<usize>()
    };
    let TextBuilder {
        grids,
        pictures,
        attachments,
        ..
    } = root;
    let mut page_grids: Vec<_> = grids
        .into_iter()
        .map(|mut grid| {
            grid.remap(|p| moved(p, true));
            grid
        })
        .collect();
    page_grids.append(&mut out.grids);
    page_grids.sort_by_key(|grid| grid.cells.first().map(|cell| cell.start));
    out.grids = page_grids;
    out.pictures = pictures.into_iter().map(|p| moved(p, false)).collect();
    out.attachments = attachments;
    (out, recognised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Decoded;
    use crate::html::{render, Output};

    fn rendered(page: &str) -> TextBuilder {
        let decoded = Decoded::from_text(page.to_string(), "UTF-8");
        render(&decoded, crate::html::MAX_DEPTH, Output::GridsAndImages).unwrap()
    }

    /// A picture is found inside the page, or in its folder or below; never above it, at
    /// an absolute path, or at an address elsewhere.
    #[test]
    fn a_pictures_file_is_found_in_the_pages_folder_only() {
        let root =
            std::env::temp_dir().join(format!("nianbao-web-pictures-{}", std::process::id()));
        let folder = root.join("saved");
        std::fs::create_dir_all(folder.join("页面_files")).unwrap();
        std::fs::write(folder.join("页面_files").join("t 1.png"), b"inside").unwrap();
        std::fs::write(root.join("secret.png"), b"outside").unwrap();
        let limits = Limits::default();
        let files = PictureFiles::Page {
            folder: Some(&folder),
        };
        let found = |src: &str| files.bytes(src, &limits);
        assert_eq!(found("页面_files/t 1.png").as_deref(), Some(&b"inside"[..]));
        assert_eq!(
            found("./%E9%A1%B5%E9%9D%A2_files/t%201.png?v=2").as_deref(),
            Some(&b"inside"[..])
        );
        assert_eq!(
            found("页面_files\\t 1.png").as_deref(),
            Some(&b"inside"[..])
        );
        for elsewhere in [
            "../secret.png",
            "页面_files/../../secret.png",
            "/etc/passwd",
            "C:/secret.png",
            "http://example.com/t.png",
            "页面_files",
        ] {
            assert_eq!(found(elsewhere), None, "{elsewhere}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("secret.png"), folder.join("link.png")).unwrap();
            assert_eq!(found("link.png"), None, "a link out of the folder");
        }
        let small = Limits {
            max_file_bytes: 3,
            ..Limits::default()
        };
        assert_eq!(files.bytes("页面_files/t 1.png", &small), None);
        let upload = PictureFiles::Page { folder: None };
        assert_eq!(upload.bytes("页面_files/t 1.png", &limits), None);
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn a_data_address_holds_its_picture() {
        let files = PictureFiles::Page { folder: None };
        let limits = Limits::default();
        assert_eq!(
            files
                .bytes("data:image/png;base64,aW5z aWRl", &limits)
                .as_deref(),
            Some(&b"inside"[..])
        );
        assert_eq!(files.bytes("data:image/png,inside", &limits), None);
    }

    /// Only with its pictures kept does rendering name them; one in a data table's cell is
    /// dropped with the cell's other pictures.
    #[test]
    fn a_pages_pictures_are_kept_with_their_tags_and_sizes() {
        let page =
            "<p>一、总体</p><p><img alt=x data-src=lazy.png SRC='a.png' width=600 height=300></p>\
            <p>二、主动</p><table><tr><td><img src=icon.png></td><td>2</td></tr></table>\
            <div><img src=\"b.jpg?x=1&amp;y=2\" style=\"width:453.6pt;height:226.8pt\"></div>";
        let root = rendered(page);
        let srcs: Vec<&str> = root.images.iter().map(|i| i.src.as_str()).collect();
        assert_eq!(srcs, ["a.png", "b.jpg?x=1&y=2"]);
        assert_eq!(root.images[0].inches, Some((6.25, 3.125)));
        let (wide, high) = root.images[1].inches.unwrap();
        assert!((wide - 6.3).abs() < 1e-9 && (high - 3.15).abs() < 1e-9);
        assert_eq!(root.images[0].tag, page.find("<img alt").unwrap());
        assert_eq!(root.images[0].at, root.text().find("二、主动").unwrap());
        let decoded = Decoded::from_text(page.to_string(), "UTF-8");
        let plain = render(&decoded, crate::html::MAX_DEPTH, Output::Grids).unwrap();
        assert!(plain.images.is_empty());
        assert_eq!(plain.text(), root.text());
    }

    /// The text read in a picture is set in where it stands, on lines of its own, pointing
    /// at the picture's tag; the page's tables, pictures and the rest of its text move past it.
    #[test]
    fn text_read_in_a_picture_is_set_in_where_it_stands() {
        let page = "<p>一、总体</p><p>见下表<img src=t.png></p><table><tr><td>规章</td><td>１</td></tr></table>";
        let root = rendered(page);
        let images = root.images.clone();
        let mut grid = crate::grid::Grid::new(crate::grid::GridSource::PdfRuled);
        let read_text = "规范性文件\t３\n";
        grid.push(crate::grid::GridCell {
            row: 0,
            col: 1,
            rows: 1,
            cols: 1,
            text: "３".to_string(),
            start: read_text.find('３').unwrap(),
            end: read_text.find('３').unwrap() + '３'.len_utf8(),
            bbox: None,
            rest: None,
        });
        let piece = PdfText {
            text: read_text.to_string(),
            grids: vec![grid],
            ..PdfText::default()
        };
        let (out, recognised) = spliced(root, &images, vec![(0, piece)]);
        assert_eq!(out.text(), "一、总体\n见下表\n规范性文件\t3\n规章\t1\n");
        let read_at = out.text().find("规范性").unwrap();
        let read_end = out.text().find("规章").unwrap();
        assert_eq!(
            recognised,
            vec![std::ops::Range {
                start: read_at,
                end: read_end
            }]
        );
        let tag = page.find("<img").unwrap();
        assert_eq!(out.original_offset(read_at + 3), Some(tag));
        let cells: Vec<&str> = out
            .grids
            .iter()
            .flat_map(|g| g.cells.iter().map(|c| &out.text()[c.start..c.end]))
            .collect();
        assert_eq!(cells, ["3", "规章", "1"]);
        assert_eq!(out.pictures, [out.text().find("\n规范性").unwrap()]);
        let one = out.text().rfind('1').unwrap();
        assert_eq!(out.original_offset(one), Some(page.find('１').unwrap()));
    }
}
