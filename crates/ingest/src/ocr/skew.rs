//! A scanned page set straight. Paper is seldom fed quite square: a page turned by one
//! degree moves a table's border by 40 pixels across an A4 page at 300 dpi, so no row of
//! pixels holds the border for long and no ruling is found; tesseract's lines, too, run
//! into each other. The page's slant is the one at which its rows of ink line up best (a
//! projection profile: ink counted along lines of that slant, and the squared differences
//! between neighbouring lines' counts summed, which the sharp edges of lines of text and
//! ruling make largest when they lie along the counted lines), and the page is turned
//! back by it.

use super::raster::{Gray, INK};

/// The steepest slant looked for, in degrees: a page fed by hand or held to a copier.
const MOST_DEGREES: f64 = 5.0;
/// Slants tried first, in degrees apart, then around the best of them.
const COARSE_STEP: f64 = 0.25;
const FINE_STEP: f64 = 0.01;
/// A slant smaller than this is left as it is (a page rendered from a PDF's own drawing
/// is square; turning it by a hair would only blur it).
const LEAST_DEGREES: f64 = 0.05;
/// A page is square unless its ink lines up this much better at its best slant than
/// square. A page of a few lines of text lines up about as well a tenth of a degree either
/// way (1.07 times better at its best, measured); a page a third of a degree askew, 1.5
/// times, and one with a table, ten times and more.
const LEAST_GAIN: f64 = 1.25;
/// Pixels of ink counted at most: a page's text and ruling are a few hundred thousand.
const MOST_POINTS: usize = 1_000_000;
/// Fewer pixels of ink than this tell no slant.
const LEAST_INK: usize = 500;

/// The page turned so that its lines run straight across, or the page as it is when it
/// is square, blank, or slanted more than `MOST_DEGREES`.
pub(crate) fn deskewed(page: Gray) -> Gray {
    let found = slant(&page);
    tracing::debug!(degrees = ?found, "a scanned page's slant");
    match found {
        Some(degrees) if degrees.abs() >= LEAST_DEGREES => turned(&page, degrees),
        _ => page,
    }
}

/// The slant of the page's lines in degrees, positive when they fall to the right (y
/// grows down the picture), found to `FINE_STEP`, or 0 when no slant lines them up
/// clearly better than none; `None` when the page has too little ink or its best slant is
/// at the edge of what is looked for.
pub(crate) fn slant(page: &Gray) -> Option<f64> {
    let ink = ink_points(page);
    if ink.len() < LEAST_INK {
        return None;
    }
    let rows = page.height as usize;
    let width = page.width as usize;
    let scored = |degrees: f64| (alignment(&ink, degrees, rows, width), degrees);
    let coarse_steps = (MOST_DEGREES / COARSE_STEP).round() as i32;
    let coarse: Vec<(u64, f64)> = (-coarse_steps..=coarse_steps)
        .map(|n| scored(f64::from(n) * COARSE_STEP))
        .collect();
    // Square is among the coarse slants (n = 0).
    let square = coarse.iter().find(|(_, degrees)| *degrees == 0.0)?.0.max(1);
    let (_, coarse) = best_of(coarse.into_iter())?;
    if coarse.abs() >= MOST_DEGREES {
        return None;
    }
    let fine_steps = (COARSE_STEP / FINE_STEP).round() as i32;
    let fine = (-fine_steps..=fine_steps).map(|n| scored(coarse + f64::from(n) * FINE_STEP));
    let (score, best) = best_of(fine)?;
    let gain = score as f64 / square as f64;
    Some(if gain >= LEAST_GAIN { best } else { 0.0 })
}

/// Of slants scored by how well they line the ink up, the best; of those that line it up
/// as well, the least.
fn best_of(scored: impl Iterator<Item = (u64, f64)>) -> Option<(u64, f64)> {
    scored.fold(None, |best, (score, degrees)| match best {
        Some((top, least)) if top > score || (top == score && least.abs() <= degrees.abs()) => best,
        _ => Some((score, degrees)),
    })
}

/// The page's ink: (column, row); at most about `MOST_POINTS`, evenly spread (a dark or
/// noisy scan is ink nearly everywhere).
fn ink_points(page: &Gray) -> Vec<(u32, u32)> {
    let mut points = Vec::new();
    for (y, row) in page.rows().enumerate() {
        for (x, &pixel) in row.iter().enumerate() {
            if pixel < INK {
                points.push((x as u32, y as u32));
            }
        }
    }
    let keep_every = points.len().div_ceil(MOST_POINTS).max(1);
    if keep_every > 1 {
        points = points.into_iter().step_by(keep_every).collect();
    }
    points
}

/// How well the ink lines up along lines of the slant `degrees`: the sum of the squared
/// differences between the counts of ink along neighbouring lines.
fn alignment(ink: &[(u32, u32)], degrees: f64, rows: usize, width: usize) -> u64 {
    let slope = degrees.to_radians().tan();
    // The lines' offsets at the left edge run from above the page to below it.
    let reach = (slope.abs() * width as f64).ceil() as usize + 1;
    let mut counts = vec![0u32; rows + 2 * reach];
    for &(x, y) in ink {
        let at = f64::from(y) - f64::from(x) * slope + reach as f64;
        if let Some(count) = counts.get_mut(at.round().max(0.0) as usize) {
            *count += 1;
        }
    }
    counts
        .windows(2)
        .map(|pair| u64::from(pair[0].abs_diff(pair[1])).pow(2))
        .sum()
}

/// The page turned about its centre so that lines slanted by `degrees` run straight
/// across; each pixel is its source's neighbours weighed by nearness, white beyond the page.
fn turned(page: &Gray, degrees: f64) -> Gray {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (width, height) = (page.width, page.height);
    let (cx, cy) = (f64::from(width) / 2.0, f64::from(height) / 2.0);
    let mut out = Gray::blank(width, height);
    for y in 0..height {
        let dy = f64::from(y) + 0.5 - cy;
        for x in 0..width {
            let dx = f64::from(x) + 0.5 - cx;
            let source_x = cx + dx * cos - dy * sin - 0.5;
            let source_y = cy + dx * sin + dy * cos - 0.5;
            out.set(x, y, sampled(page, source_x, source_y));
        }
    }
    out
}

/// The grey at a point between pixels, from the four around it (white off the page).
fn sampled(page: &Gray, x: f64, y: f64) -> u8 {
    let (left, top) = (x.floor(), y.floor());
    let (fx, fy) = (x - left, y - top);
    let pixel = |px: f64, py: f64| -> f64 {
        if px < 0.0 || py < 0.0 || px >= f64::from(page.width) || py >= f64::from(page.height) {
            255.0
        } else {
            f64::from(page.at(px as u32, py as u32))
        }
    };
    let upper = pixel(left, top) * (1.0 - fx) + pixel(left + 1.0, top) * fx;
    let lower = pixel(left, top + 1.0) * (1.0 - fx) + pixel(left + 1.0, top + 1.0) * fx;
    (upper * (1.0 - fy) + lower * fy).round().clamp(0.0, 255.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::raster::{ruling, Run};

    /// A page with a table of four rows and three columns and a few lines of "text"
    /// (dashes), drawn slanted by `degrees` (positive: falling to the right).
    fn slanted_page(degrees: f64) -> Gray {
        let (width, height) = (1_600u32, 1_200u32);
        let mut page = Gray::blank(width, height);
        let slope = degrees.to_radians().tan();
        let mut ink = |x: f64, y: f64| {
            let fall = (x - f64::from(width) / 2.0) * slope;
            let (px, py) = (x.round(), (y + fall).round());
            if px >= 0.0 && py >= 0.0 {
                page.set(px as u32, py as u32, 0);
            }
        };
        let (left, right, top, bottom) = (200.0, 1_400.0, 500.0, 1_000.0);
        for row in 0..=4 {
            let y = top + f64::from(row) * (bottom - top) / 4.0;
            for thick in 0..3 {
                let mut x = left;
                while x <= right {
                    ink(x, y + f64::from(thick));
                    x += 0.5;
                }
            }
        }
        for column in 0..=3 {
            let x = left + f64::from(column) * (right - left) / 3.0;
            for thick in 0..3 {
                let mut y = top;
                while y <= bottom + 2.0 {
                    // A line down slants the other way: x moves as y does.
                    ink(x + f64::from(thick) - (y - top) * slope, y);
                    y += 0.5;
                }
            }
        }
        for line in 0..5 {
            let y = 150.0 + f64::from(line) * 60.0;
            for word in 0..30 {
                let x0 = 200.0 + f64::from(word) * 40.0;
                for stroke in 0..24 {
                    for thick in 0..4 {
                        ink(x0 + f64::from(stroke), y + f64::from(thick) * 6.0);
                    }
                }
            }
        }
        page
    }

    #[test]
    fn a_pages_slant_is_found_to_a_fiftieth_of_a_degree() {
        for degrees in [-2.3, -1.0, -0.4, 0.6, 1.5, 3.0] {
            let found = slant(&slanted_page(degrees)).expect("a slant");
            assert!(
                (found - degrees).abs() <= 0.03,
                "{degrees}° found as {found}°"
            );
        }
        assert_eq!(slant(&slanted_page(0.0)), Some(0.0));
    }

    #[test]
    fn a_square_or_blank_page_is_left_as_it_is() {
        let square = slanted_page(0.0);
        assert_eq!(deskewed(square.clone()), square);
        let blank = Gray::blank(300, 200);
        assert_eq!(slant(&blank), None);
        assert_eq!(deskewed(blank.clone()), blank);
        // A page inked all over: its points thinned out, and no slant lines them up.
        let dark = Gray::from_pgm(&[b"P5\n1200 1000\n255\n".as_slice(), &[0; 1_200_000]].concat())
            .expect("a picture");
        assert_eq!(ink_points(&dark).len(), 600_000);
        assert_eq!(slant(&dark), Some(0.0));
    }

    #[test]
    fn a_slanted_tables_ruling_is_found_once_the_page_is_turned_back() {
        let slanted = slanted_page(1.2);
        let whole_width = |runs: &[Run]| {
            runs.iter()
                .filter(|r| r.horizontal && r.to - r.from > 1_100)
                .count()
        };
        assert_eq!(whole_width(&ruling(&slanted, 300.0)), 0);
        let straight = deskewed(slanted);
        let after = ruling(&straight, 300.0);
        let across: Vec<_> = after.iter().filter(|r| r.horizontal).collect();
        // Each of the five borders, three pixels thick, found at least once, across the
        // table's whole width.
        let mut rows: Vec<u32> = across
            .iter()
            .filter(|r| r.to - r.from > 1_100)
            .map(|r| r.at / 20)
            .collect();
        rows.dedup();
        assert_eq!(rows.len(), 5, "{across:?}");
        let down = after
            .iter()
            .filter(|r| !r.horizontal && r.to - r.from > 450);
        assert!(down.count() >= 4);
    }
}
