//! A blank's mark told by its shape, without tesseract: a cell whose ink is one thin
//! straight stroke leaning right is a "/". Tesseract reads a lone slash badly: beside the
//! other cells of its row the Chinese model reads it as "/1", "F" or "Ff", the digits model
//! runs a row of them together ("0/-0"), and a table of "/" blanks (the columns of 表三 a
//! report has no applicants in) then reads as a table of ones.

use super::raster::{Gray, INK};

/// Fewer pixels of ink than this are a speck, not a stroke; a speck beside the stroke
/// (a JPEG's noise) is let be.
const LEAST_STROKE: usize = 12;
const MOST_SPECK: usize = 3;
/// How much longer than thick the stroke is at least (the spread of its ink along its
/// axis against across it): a "/" is 7.7 to 21 times in the fonts tried (DejaVu's and Noto's
/// CJK, upright and italic, 20 to 60 pixels high); an italic "I" or ")" is
/// 5, and a "1" with its flag or foot, a "7" or two slashes are not one straight stroke.
const LEAST_ELONGATION: f64 = 6.5;
/// The stroke's lean from the horizontal, in degrees: a slash's is 61 to 76 in those fonts,
/// a full-width "／" 45; an italic "I" or ")" leans 78 to 82, a "1", an "l" or a "|" stands
/// upright, a dash lies flat, and a backslash leans the other way.
const LEAN: (f64, f64) = (40.0, 77.0);

/// Whether the ink of `cell` (a cell's picture, its ruling erased) is one "/".
pub(crate) fn is_slash(cell: &Gray) -> bool {
    let inked: Vec<(u32, u32)> = (0..cell.height)
        .flat_map(|y| (0..cell.width).map(move |x| (x, y)))
        .filter(|&(x, y)| cell.at(x, y) < INK)
        .collect();
    if inked.len() < LEAST_STROKE {
        return false;
    }
    let stroke = largest_part(cell, &inked);
    if inked.len() - stroke.len() > MOST_SPECK || stroke.len() < LEAST_STROKE {
        return false;
    }
    leans_right(&stroke)
}

/// Whether the pixels lie along one thin straight line leaning right ("/": up to the right,
/// so down to the left in the picture's rows, which count from the top).
fn leans_right(pixels: &[(u32, u32)]) -> bool {
    let n = pixels.len() as f64;
    let mean = |f: fn(&(u32, u32)) -> f64| pixels.iter().map(f).sum::<f64>() / n;
    let (mx, my) = (mean(|p| f64::from(p.0)), mean(|p| f64::from(p.1)));
    let (mut xx, mut yy, mut xy) = (0.0, 0.0, 0.0);
    for &(x, y) in pixels {
        let (dx, dy) = (f64::from(x) - mx, f64::from(y) - my);
        xx += dx * dx;
        yy += dy * dy;
        xy += dx * dy;
    }
    // The spreads along and across the ink's axis (the covariance's eigenvalues).
    let half_sum = (xx + yy) / 2.0;
    let root = (((xx - yy) / 2.0).powi(2) + xy * xy).sqrt();
    let (along, across) = (half_sum + root, (half_sum - root).max(f64::EPSILON));
    if (along / across).sqrt() < LEAST_ELONGATION {
        return false;
    }
    // The axis's angle from the horizontal (0 to 90 degrees); rows count down, so along
    // "/" x falls as y rises.
    let lean = (0.5 * (2.0 * xy).atan2(xx - yy)).to_degrees().abs();
    xy < 0.0 && (LEAN.0..=LEAN.1).contains(&lean)
}

/// The largest of the parts of ink `inked` (pixels touching, corners too).
fn largest_part(cell: &Gray, inked: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let width = cell.width as usize;
    let mut seen = vec![false; width * cell.height as usize];
    let mut largest: Vec<(u32, u32)> = Vec::new();
    for &start in inked {
        if seen[start.1 as usize * width + start.0 as usize] {
            continue;
        }
        let mut part = Vec::new();
        let mut stack = vec![start];
        seen[start.1 as usize * width + start.0 as usize] = true;
        while let Some((x, y)) = stack.pop() {
            part.push((x, y));
            for (nx, ny) in neighbours(cell, x, y) {
                let at = ny as usize * width + nx as usize;
                if !seen[at] && cell.at(nx, ny) < INK {
                    seen[at] = true;
                    stack.push((nx, ny));
                }
            }
        }
        if part.len() > largest.len() {
            largest = part;
        }
    }
    largest
}

/// The pixels around (`x`, `y`) that are in the picture.
fn neighbours(cell: &Gray, x: u32, y: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
    (-1i64..=1)
        .flat_map(|dy| (-1i64..=1).map(move |dx| (dx, dy)))
        .filter(|&d| d != (0, 0))
        .filter_map(move |(dx, dy)| {
            let (nx, ny) = (i64::from(x) + dx, i64::from(y) + dy);
            (nx >= 0 && ny >= 0 && nx < i64::from(cell.width) && ny < i64::from(cell.height))
                .then_some((nx as u32, ny as u32))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stroke `thick` pixels wide from (`x0`, `y0`) to (`x1`, `y1`).
    fn stroke(cell: &mut Gray, (x0, y0): (f64, f64), (x1, y1): (f64, f64), thick: u32) {
        let steps = 200;
        for s in 0..=steps {
            let t = f64::from(s) / f64::from(steps);
            let (x, y) = (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t);
            for d in 0..thick {
                cell.set(x as u32 + d, y as u32, 0);
            }
        }
    }

    #[test]
    fn a_slash_is_told_by_its_shape() {
        let mut cell = Gray::blank(30, 50);
        stroke(&mut cell, (20.0, 5.0), (8.0, 44.0), 3);
        assert!(is_slash(&cell));
        cell.set(2, 2, 0); // a speck beside it
        assert!(is_slash(&cell));
    }

    #[test]
    fn a_full_width_slash_is_one_too() {
        let mut cell = Gray::blank(50, 50);
        stroke(&mut cell, (44.0, 4.0), (4.0, 44.0), 3);
        assert!(is_slash(&cell));
    }

    #[test]
    fn upright_flat_backward_or_bent_strokes_and_two_slashes_are_not_one_slash() {
        let upright = |cell: &mut Gray| stroke(cell, (14.0, 5.0), (14.0, 44.0), 3);
        let mut one = Gray::blank(30, 50);
        upright(&mut one);
        assert!(!is_slash(&one), "an l or a |");
        stroke(&mut one, (14.0, 5.0), (6.0, 13.0), 3); // a 1's flag
        stroke(&mut one, (6.0, 44.0), (24.0, 44.0), 3); // and its foot
        assert!(!is_slash(&one), "a 1");
        let mut dash = Gray::blank(40, 20);
        stroke(&mut dash, (4.0, 10.0), (34.0, 10.0), 3);
        assert!(!is_slash(&dash), "a dash");
        let mut backslash = Gray::blank(30, 50);
        stroke(&mut backslash, (8.0, 5.0), (20.0, 44.0), 3);
        assert!(!is_slash(&backslash), "a backslash");
        let mut seven = Gray::blank(30, 50);
        stroke(&mut seven, (4.0, 5.0), (24.0, 5.0), 3);
        stroke(&mut seven, (24.0, 5.0), (10.0, 44.0), 3);
        assert!(!is_slash(&seven), "a 7");
        let mut two = Gray::blank(40, 50);
        stroke(&mut two, (16.0, 5.0), (6.0, 44.0), 3);
        stroke(&mut two, (34.0, 5.0), (24.0, 44.0), 3);
        assert!(!is_slash(&two), "two slashes");
        assert!(!is_slash(&Gray::blank(30, 50)), "no ink");
    }
}
