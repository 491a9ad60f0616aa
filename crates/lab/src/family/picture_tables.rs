//! Tables printed as pictures: the lab's web page with each of its tables replaced by a
//! picture of it, as offices paste a table's screenshot or scan into a report, then
//! printed to PDF by Chromium or made a Word file by pandoc. The file's prose is typed;
//! its tables are pictures only OCR can read.
//!
//! Each of the report's tables (inside a layout table framing the page or not) is printed
//! alone by Chromium on a page tall enough for it, rendered by
//! pdftoppm (grey JPEG or PNG, by layout) and cut to its ink; the page then shows the
//! picture at the page's width (or less, for a picture taller than a page).

use super::chromium;
use super::scan::netpbm_header;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The resolution the tables' pictures are rendered at: a screenshot's or a scanner's.
const DPI: u32 = 200;
/// White kept around a table's ink, in pixels.
const MARGIN: u32 = 12;

/// Replaces the tables of each lab page (`pages`: the page, and whether its pictures are
/// PNG) by pictures of them, written beside the page; the error names the first page that
/// failed.
pub fn picture_all(
    chromium: &Path,
    pdftoppm: &Path,
    dir: &Path,
    pages: &[(PathBuf, bool)],
) -> Result<(), crate::LabError> {
    super::all_on_two_workers(
        pages,
        "tables not made pictures in",
        |worker, (page, png)| {
            let profile = dir.join(format!("chromium-profile-{worker}"));
            picture_tables(chromium, pdftoppm, &profile, page, *png)
        },
    )
}

fn picture_tables(
    chromium: &Path,
    pdftoppm: &Path,
    profile: &Path,
    page: &Path,
    png: bool,
) -> Result<(), String> {
    let html = std::fs::read_to_string(page).map_err(|e| format!("{}: {e}", page.display()))?;
    let head_end = html
        .find("</head>")
        .ok_or_else(|| format!("{}: no </head>", page.display()))?;
    let mut out = String::with_capacity(html.len());
    let mut rest = &html[..];
    let mut number = 0;
    while let Some((before, table, after)) = next_table(rest) {
        out.push_str(before);
        number += 1;
        let stem = page.with_extension("").display().to_string();
        let alone = PathBuf::from(format!("{stem}-table-{number}.html"));
        let tall_page = "<style>@page{size:210mm 1200mm;margin:8mm}body{width:auto}</style>";
        let page_of_table = format!(
            "{}{tall_page}</head><body>{table}</body></html>",
            &html[..head_end]
        );
        std::fs::write(&alone, page_of_table).map_err(|e| format!("{}: {e}", alone.display()))?;
        let pdf = alone.with_extension("pdf");
        chromium::print(chromium, profile, &alone, &pdf)?;
        let picture = picture_of(pdftoppm, &pdf, png)?;
        let name = picture
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push_str(&format!(
            "<p><img src=\"{name}\" style=\"max-width:100%;max-height:250mm\"></p>"
        ));
        rest = after;
    }
    out.push_str(rest);
    if number == 0 {
        return Err(format!("{}: no table", page.display()));
    }
    std::fs::write(page, out).map_err(|e| format!("{}: {e}", page.display()))
}

/// The first `<table>…</table>` of `html` that holds no table (a report's table, not a
/// layout table framing the page): the text before it, the table, and the text after it.
fn next_table(html: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    loop {
        let start = from + html[from..].find("<table")?;
        let end = start + html[start..].find("</table>")? + "</table>".len();
        match html[start + 1..end].find("<table") {
            Some(inner) => from = start + 1 + inner,
            None => return Some((&html[..start], &html[start..end], &html[end..])),
        }
    }
}

/// The first page of `pdf` rendered grey at `DPI` and cut to its ink (with a margin), as
/// a JPEG or PNG beside it.
fn picture_of(pdftoppm: &Path, pdf: &Path, png: bool) -> Result<PathBuf, String> {
    let out = pdf.with_extension("");
    let resolution = DPI.to_string();
    let mut grey = Command::new(pdftoppm);
    grey.args(["-gray", "-singlefile", "-r", &resolution])
        .arg(pdf)
        .arg(&out);
    let pgm = out.with_extension("pgm");
    super::run_writing(&mut grey, pdf, &pgm)?;
    let bytes = std::fs::read(&pgm).map_err(|e| format!("{}: {e}", pgm.display()))?;
    let _ = std::fs::remove_file(&pgm);
    let [x0, y0, x1, y1] =
        ink_box(&bytes).ok_or_else(|| format!("{}: no ink on the page", pdf.display()))?;
    let (ending, format) = match png {
        true => ("png", "-png"),
        false => ("jpg", "-jpeg"),
    };
    let mut cut = Command::new(pdftoppm);
    cut.args(["-gray", "-singlefile", format, "-r", &resolution])
        .args(["-x", &x0.to_string(), "-y", &y0.to_string()])
        .args(["-W", &(x1 - x0).to_string(), "-H", &(y1 - y0).to_string()])
        .arg(pdf)
        .arg(&out);
    let picture = out.with_extension(ending);
    super::run_writing(&mut cut, pdf, &picture)?;
    Ok(picture)
}

/// The box (left, top, right, bottom, exclusive) of a grey PGM's ink, widened by
/// `MARGIN` within the picture.
fn ink_box(pgm: &[u8]) -> Option<[u32; 4]> {
    let (fields, start) = netpbm_header(pgm, 4)?;
    (fields[0] == "P5" && fields[3] == "255").then_some(())?;
    let (width, height): (usize, usize) = (fields[1].parse().ok()?, fields[2].parse().ok()?);
    let pixels = pgm.get(start..start + width.checked_mul(height)?)?;
    let (mut left, mut top, mut right, mut bottom) = (width, height, 0, 0);
    for (y, row) in pixels.chunks_exact(width.max(1)).enumerate() {
        for (x, _) in row.iter().enumerate().filter(|(_, &p)| p < 160) {
            (left, right) = (left.min(x), right.max(x + 1));
            (top, bottom) = (top.min(y), bottom.max(y + 1));
        }
    }
    if right <= left || bottom <= top {
        return None;
    }
    let margin = MARGIN as usize;
    let widen = |v: usize, up: bool, most: usize| match up {
        true => (v + margin).min(most),
        false => v.saturating_sub(margin),
    };
    let as_u32 = |v: usize| u32::try_from(v).ok();
    Some([
        as_u32(widen(left, false, width))?,
        as_u32(widen(top, false, height))?,
        as_u32(widen(right, true, width))?,
        as_u32(widen(bottom, true, height))?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reports_table_is_found_inside_the_layout_table_framing_it() {
        let html = "<p>a</p><table><tr><td><table><tr><td>1</td></tr></table></td></tr></table><p>b</p><table></table>";
        let (before, table, after) = next_table(html).unwrap();
        assert_eq!(before, "<p>a</p><table><tr><td>");
        assert_eq!(table, "<table><tr><td>1</td></tr></table>");
        assert_eq!(after, "</td></tr></table><p>b</p><table></table>");
        assert_eq!(next_table("<p>no table</p>"), None);
    }

    #[test]
    fn the_ink_box_is_the_dark_pixels_and_a_margin() {
        let (width, height) = (40usize, 30usize);
        let mut pgm = format!("P5\n{width} {height}\n255\n").into_bytes();
        let mut pixels = vec![255u8; width * height];
        pixels[15 * width + 20] = 0;
        pixels[16 * width + 22] = 100;
        pgm.extend(pixels);
        assert_eq!(ink_box(&pgm), Some([8, 3, 35, 29]));
    }
}
