//! A rendered page as grey pixels, and its ruling lines found among them: rows (and
//! columns) of dark pixels longer than any stroke of a character, as a scanner or a
//! printer leaves a table's borders.

use crate::pdf::Segment;

/// Pixels darker than this are ink.
pub(super) const INK: u8 = 160;
/// Pixels lighter than this are paper; grey beside a ruling line, up to this many pixels
/// from it, is the line's edge.
const PAPER: u8 = 224;
const HALO: u32 = 3;
/// A gap of this many light pixels or fewer does not break a line (a scan's line is not
/// solid everywhere).
const MOST_GAP: u32 = 3;

/// A grey picture, one byte a pixel, row after row from the top.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gray {
    pub width: u32,
    pub height: u32,
    pixels: Vec<u8>,
}

/// A line of ink one pixel thick: along row `at` from column `from` to `to` (exclusive), or
/// down column `at` from row `from` to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Run {
    pub horizontal: bool,
    pub at: u32,
    pub from: u32,
    pub to: u32,
}

impl Run {
    /// The run as a segment of the page in points, y up (a PDF's default space), the
    /// picture's pixels `scale` points each.
    pub fn segment(&self, scale: f64, height: u32) -> Segment {
        let (at, from, to) = (
            f64::from(self.at) + 0.5,
            f64::from(self.from),
            f64::from(self.to),
        );
        let height = f64::from(height);
        match self.horizontal {
            true => Segment {
                x0: from * scale,
                y0: (height - at) * scale,
                x1: to * scale,
                y1: (height - at) * scale,
            },
            false => Segment {
                x0: at * scale,
                y0: (height - from) * scale,
                x1: at * scale,
                y1: (height - to) * scale,
            },
        }
    }
}

impl Gray {
    /// A binary PGM (`P5`, 8 bits), as `pdftoppm -gray` writes; `None` for anything else.
    pub fn from_pgm(bytes: &[u8]) -> Option<Gray> {
        let mut fields = Vec::new();
        let mut at = 2;
        if bytes.get(..2)? != b"P5" {
            return None;
        }
        while fields.len() < 3 {
            match *bytes.get(at)? {
                b'#' => at += bytes.get(at..)?.iter().position(|&b| b == b'\n')?,
                b if b.is_ascii_whitespace() => at += 1,
                _ => {
                    let len = bytes[at..]
                        .iter()
                        .take_while(|b| b.is_ascii_digit())
                        .count();
                    let field = std::str::from_utf8(&bytes[at..at + len]).ok()?;
                    fields.push(field.parse::<u32>().ok()?);
                    at += len;
                }
            }
        }
        let (width, height, max) = (fields[0], fields[1], fields[2]);
        // One whitespace byte ends the header.
        let start = at + 1;
        let len = usize::try_from(u64::from(width) * u64::from(height)).ok()?;
        let pixels = bytes.get(start..start.checked_add(len)?)?.to_vec();
        (max == 255 && width > 0 && height > 0).then_some(Gray {
            width,
            height,
            pixels,
        })
    }

    /// A picture of `width` by `height` pixels, row after row from the top; `None` when
    /// `pixels` is not that many.
    pub fn from_pixels(width: u32, height: u32, pixels: Vec<u8>) -> Option<Gray> {
        let len = u64::from(width) * u64::from(height);
        (width > 0 && height > 0 && pixels.len() as u64 == len).then_some(Gray {
            width,
            height,
            pixels,
        })
    }

    pub fn to_pgm(&self) -> Vec<u8> {
        let mut out = format!("P5\n{} {}\n255\n", self.width, self.height).into_bytes();
        out.extend_from_slice(&self.pixels);
        out
    }

    pub fn blank(width: u32, height: u32) -> Gray {
        Gray {
            width,
            height,
            pixels: vec![255; (width * height) as usize],
        }
    }

    pub fn at(&self, x: u32, y: u32) -> u8 {
        self.pixels[y as usize * self.width as usize + x as usize]
    }

    /// The picture's rows of pixels, from the top.
    pub fn rows(&self) -> impl Iterator<Item = &[u8]> {
        self.pixels.chunks_exact(self.width as usize)
    }

    pub fn set(&mut self, x: u32, y: u32, value: u8) {
        let width = self.width as usize;
        if x < self.width && y < self.height {
            self.pixels[y as usize * width + x as usize] = value;
        }
    }

    /// The pixels of the box from (`x0`, `y0`) to (`x1`, `y1`), exclusive, cut to the picture.
    pub fn crop(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> Gray {
        let (x1, y1) = (x1.min(self.width), y1.min(self.height));
        let (width, height) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
        let mut out = Gray::blank(width, height);
        for y in 0..height {
            let start = (y0 + y) as usize * self.width as usize + x0 as usize;
            let row = &self.pixels[start..start + width as usize];
            let at = y as usize * width as usize;
            out.pixels[at..at + width as usize].copy_from_slice(row);
        }
        out
    }

    /// Sets `piece` into the picture with its top left at (`x`, `y`).
    pub fn paste(&mut self, piece: &Gray, x: u32, y: u32) {
        for py in 0..piece.height {
            for px in 0..piece.width {
                self.set(x + px, y + py, piece.at(px, py));
            }
        }
    }

    /// Whites out the box from (`x0`, `y0`) to (`x1`, `y1`), exclusive.
    pub fn whiten(&mut self, x0: u32, y0: u32, x1: u32, y1: u32) {
        for y in y0..y1.min(self.height) {
            for x in x0..x1.min(self.width) {
                self.set(x, y, 255);
            }
        }
    }

    /// The box around the picture's ink (left, top, right, bottom, exclusive) when it has
    /// `least` pixels of ink or more.
    pub fn ink_box(&self, least: usize) -> Option<[u32; 4]> {
        let (mut count, mut found) = (0, [u32::MAX, u32::MAX, 0, 0]);
        for y in 0..self.height {
            for x in 0..self.width {
                if self.at(x, y) < INK {
                    count += 1;
                    found = [
                        found[0].min(x),
                        found[1].min(y),
                        found[2].max(x + 1),
                        found[3].max(y + 1),
                    ];
                }
            }
        }
        (count >= least).then_some(found)
    }

    /// The picture in black and white: a shaded cell's grey ground becomes white.
    pub fn binarized(mut self) -> Gray {
        for p in &mut self.pixels {
            *p = if *p < INK { 0 } else { 255 };
        }
        self
    }

    /// Whites out a run's pixels, so that OCR does not read the line as a letter, and the
    /// grey beside them up to `HALO` pixels either side: a scan's line has soft edges, and
    /// a page turned straight blurs them, which left beside a figure read as ")".
    pub fn erase(&mut self, run: &Run) {
        let across_len = match run.horizontal {
            true => self.height,
            false => self.width,
        };
        for along in run.from..run.to {
            let pixel = |across: u32| match run.horizontal {
                true => (along, across),
                false => (across, along),
            };
            let (x, y) = pixel(run.at);
            self.set(x, y, 255);
            let before = (1..=HALO).map_while(|d| run.at.checked_sub(d));
            self.whiten_while_grey(before.map(pixel));
            let after = (1..=HALO)
                .map(|d| run.at + d)
                .take_while(|&a| a < across_len);
            self.whiten_while_grey(after.map(pixel));
        }
    }

    /// Whites out `pixels` in turn up to the first that is paper.
    fn whiten_while_grey(&mut self, pixels: impl Iterator<Item = (u32, u32)>) {
        for (x, y) in pixels {
            if self.at(x, y) >= PAPER {
                break;
            }
            self.set(x, y, 255);
        }
    }
}

/// The runs of ink of a page that are ruling: nine twentieths of an inch across (a cell is
/// wider; a title's 26-point characters are not), a fifth down (10.5-point text is a
/// seventh of an inch high), solid, and meeting a run of the other direction, as a table's
/// lines meet (a title's characters have strokes as long down, which meet nothing that
/// long across).
pub(crate) fn ruling(page: &Gray, dpi: f64) -> Vec<Run> {
    let across = Lines::of(page, true, (dpi * 0.45) as u32);
    let down = Lines::of(page, false, (dpi / 5.0) as u32);
    let mut across_kept = across.mended(&down);
    let mut down_kept = down.mended(&across);
    down_kept.retain(|v| across_kept.iter().any(|h| meet(h, v)));
    across_kept.retain(|h| down_kept.iter().any(|v| meet(h, v)));
    across_kept.extend(down_kept);
    across_kept
}

/// The runs of at least some length along the page's rows (or columns) that may be
/// ruling: those solid on one row, and those of two rows together, where a thin line
/// spreads over two rows, as a page turned straight leaves it: their greys take turns
/// passing the mark of ink, or share it.
struct Lines {
    solid: Vec<Run>,
    pairs: Vec<Run>,
}

impl Lines {
    fn of(page: &Gray, horizontal: bool, least: u32) -> Lines {
        let (along, count) = match horizontal {
            true => (page.width, page.height),
            false => (page.height, page.width),
        };
        let grey = |at: u32, i: u32| match horizontal {
            true => page.at(i, at),
            false => page.at(at, i),
        };
        let run = |at, from, to| Run {
            horizontal,
            at,
            from,
            to,
        };
        let mut lines = Lines {
            solid: Vec::new(),
            pairs: Vec::new(),
        };
        for at in 0..count {
            runs_along(
                along,
                |i| grey(at, i) < INK,
                least,
                |from, to| lines.solid.push(run(at, from, to)),
            );
        }
        for at in 0..count.saturating_sub(1) {
            // Either row ink, or the two as dark together as one pixel of ink and one of
            // paper (a line on the seam between them, half its grey on each).
            let ink = |i| {
                let (one, next) = (grey(at, i), grey(at + 1, i));
                one < INK || next < INK || u16::from(one) + u16::from(next) < u16::from(INK) + 255
            };
            // Each row holds its share of the line: the paper beside a line is no half of it.
            let share =
                |row: u32, from: u32, to: u32| (from..to).filter(|&i| grey(row, i) < INK).count();
            runs_along(along, ink, least, |from, to| {
                let quarter = (to - from) as usize / 4;
                if share(at, from, to) >= quarter && share(at + 1, from, to) >= quarter {
                    lines.pairs.push(run(at, from, to));
                }
            });
        }
        lines
    }

    /// The solid runs, and the runs of two rows where the solid runs that meet a line of
    /// `other` (the other direction's) leave a gap: a line broken there, whose pieces in
    /// between meet nothing and would be dropped. Where lines are whole nothing is added,
    /// so the cells' boxes do not move.
    fn mended(&self, other: &Lines) -> Vec<Run> {
        let others = || other.solid.iter().chain(&other.pairs);
        let touch = |a: &Run, b: &Run| match a.horizontal {
            true => meet(a, b),
            false => meet(b, a),
        };
        let meeting: Vec<Run> = self
            .solid
            .iter()
            .filter(|s| others().any(|o| touch(s, o)))
            .copied()
            .collect();
        let mut runs = self.solid.clone();
        runs.extend(self.pairs.iter().filter(|p| !covered(p, &meeting)));
        runs
    }
}

/// Whether the `solid` runs on a run's row and the rows beside it cover it end to end, but
/// for gaps of `MOST_GAP`.
fn covered(run: &Run, solid: &[Run]) -> bool {
    let mut near: Vec<&Run> = solid
        .iter()
        .filter(|s| s.at + 1 >= run.at && s.at <= run.at + 2)
        .filter(|s| s.to > run.from && s.from < run.to)
        .collect();
    near.sort_by_key(|s| s.from);
    let mut reached = run.from;
    for s in near {
        if s.from > reached + MOST_GAP {
            return false;
        }
        reached = reached.max(s.to);
    }
    reached + MOST_GAP >= run.to
}

/// Whether a run across and a run down cross or touch.
fn meet(across: &Run, down: &Run) -> bool {
    let near = |at: u32, from: u32, to: u32| at + MOST_GAP >= from && at <= to + MOST_GAP;
    near(across.at, down.from, down.to) && near(down.at, across.from, across.to)
}

/// Calls `found` with every run of ink of at least `least` pixels along a row or column
/// of `len` pixels, bridging gaps of up to `MOST_GAP`, and nine tenths ink or more: a row
/// through a line of text crosses strokes a few pixels apart, a ruling line is solid.
fn runs_along(len: u32, ink: impl Fn(u32) -> bool, least: u32, mut found: impl FnMut(u32, u32)) {
    // The run so far: its first and last ink, and how many of its pixels are ink.
    let mut current: Option<(u32, u32, u32)> = None;
    let mut close = |(from, last, inked): (u32, u32, u32)| {
        let len = last + 1 - from;
        if len >= least && inked * 10 >= len * 9 {
            found(from, last + 1);
        }
    };
    for i in 0..len {
        if !ink(i) {
            continue;
        }
        current = match current {
            Some((from, last, inked)) if i - last <= MOST_GAP + 1 => Some((from, i, inked + 1)),
            Some(run) => {
                close(run);
                Some((i, i, 1))
            }
            None => Some((i, i, 1)),
        };
    }
    if let Some(run) = current {
        close(run);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draw(page: &mut Gray, x0: u32, y0: u32, x1: u32, y1: u32) {
        for y in y0..y1 {
            for x in x0..x1 {
                page.set(x, y, 0);
            }
        }
    }

    #[test]
    fn a_table_border_is_ruling_and_a_character_stroke_is_not() {
        let mut page = Gray::blank(400, 300);
        draw(&mut page, 10, 20, 390, 22); // a border two pixels thick
        draw(&mut page, 50, 20, 51, 200); // a column's line
        draw(&mut page, 100, 100, 220, 101); // a stroke of a title's character (120 px)
        draw(&mut page, 200, 100, 201, 150); // a down stroke (50 px)
        draw(&mut page, 300, 60, 301, 140); // a long one that meets no line across
        draw(&mut page, 200, 250, 340, 251); // a long stroke across that meets no line down
        let runs = ruling(&page, 300.0);
        let across: Vec<_> = runs.iter().filter(|r| r.horizontal).collect();
        let down: Vec<_> = runs.iter().filter(|r| !r.horizontal).collect();
        assert_eq!(across.len(), 2, "{across:?}");
        assert!(across.iter().all(|r| r.from == 10 && r.to == 390));
        assert_eq!(down.len(), 1, "{down:?}");
        assert_eq!((down[0].at, down[0].from, down[0].to), (50, 20, 200));
    }

    #[test]
    fn a_line_with_small_breaks_is_one_run() {
        let mut page = Gray::blank(400, 100);
        draw(&mut page, 10, 5, 100, 6);
        draw(&mut page, 103, 5, 200, 6); // two light pixels between
        draw(&mut page, 210, 5, 390, 6); // nine: another line
        for x in [10, 210] {
            draw(&mut page, x, 0, x + 1, 5); // the lines down they meet, too short to count
        }
        let runs = ruling(&page, 300.0);
        let spans: Vec<(u32, u32)> = runs.iter().map(|r| (r.from, r.to)).collect();
        assert_eq!(spans, []);
        for x in [10, 210] {
            draw(&mut page, x, 0, x + 1, 90);
        }
        let runs = ruling(&page, 300.0);
        let spans: Vec<(u32, u32)> = runs
            .iter()
            .filter(|r| r.horizontal)
            .map(|r| (r.from, r.to))
            .collect();
        assert_eq!(spans, [(10, 200), (210, 390)]);
    }

    /// A page with a table's two lines down, at column 20 and at `end - 1`, and between
    /// them the one-pixel line at row 100 a page turned straight leaves: dark on row 100
    /// for `stretch` pixels, then on row 101, and so on, the other row grey.
    fn turned_line(end: u32, stretch: usize) -> Gray {
        let mut page = Gray::blank(end + 20, 200);
        for (n, x) in (20..end).step_by(stretch).enumerate() {
            let (dark, light) = if n % 2 == 0 { (100, 101) } else { (101, 100) };
            for x in x..x + stretch as u32 {
                page.set(x, dark, 90);
                page.set(x, light, 180);
            }
        }
        for x in [20, end - 1] {
            draw(&mut page, x, 10, x + 1, 190);
        }
        page
    }

    #[test]
    fn a_thin_line_spread_over_two_rows_is_one_run() {
        // Stretches of 60 pixels, none a run of its own.
        let across: Vec<(u32, u32, u32)> = ruling(&turned_line(680, 60), 300.0)
            .iter()
            .filter(|r| r.horizontal)
            .map(|r| (r.at, r.from, r.to))
            .collect();
        assert_eq!(across, [(100, 20, 680)]);
        // Stretches long enough to be runs of their own, the middle ones meeting no line
        // down: the line is still whole, and the paper above and below it no line.
        let whole: Vec<(u32, u32, u32)> = ruling(&turned_line(860, 210), 300.0)
            .iter()
            .filter(|r| r.horizontal && r.to - r.from > 800)
            .map(|r| (r.at, r.from, r.to))
            .collect();
        assert_eq!(whole, [(100, 20, 860)]);
        // A solid line's rows are its runs, not the paper beside them.
        let mut page = Gray::blank(700, 200);
        draw(&mut page, 20, 100, 680, 101);
        for x in [20, 679] {
            draw(&mut page, x, 10, x + 1, 190);
        }
        let across: Vec<u32> = ruling(&page, 300.0)
            .iter()
            .filter(|r| r.horizontal)
            .map(|r| r.at)
            .collect();
        assert_eq!(across, [100]);
    }

    #[test]
    fn a_row_through_a_line_of_text_is_no_ruling() {
        // Strokes of five pixels, three apart, across 400 pixels: gaps a line may have,
        // but less than nine tenths ink.
        let mut page = Gray::blank(420, 10);
        for x in (10..410).step_by(8) {
            draw(&mut page, x, 5, x + 5, 6);
        }
        assert_eq!(ruling(&page, 300.0), []);
    }

    #[test]
    fn an_erased_line_leaves_white_and_a_segment_in_points() {
        let mut page = Gray::blank(300, 300);
        draw(&mut page, 0, 150, 300, 151);
        draw(&mut page, 0, 0, 1, 300);
        let runs = ruling(&page, 300.0);
        assert_eq!(runs.len(), 2);
        for run in &runs {
            page.erase(run);
        }
        assert_eq!(page, Gray::blank(300, 300));
        // 300 pixels at 300 dpi is 72 points; row 150 is half way up.
        let s = runs[0].segment(72.0 / 300.0, 300);
        assert_eq!((s.x0, s.x1), (0.0, 72.0));
        assert!((s.y0 - 35.88).abs() < 0.01 && s.y0 == s.y1, "{s:?}");
    }

    #[test]
    fn a_lines_grey_edge_is_erased_with_it_and_ink_further_off_is_not() {
        let mut page = Gray::blank(300, 100);
        draw(&mut page, 0, 20, 300, 21); // the line
        for x in 0..300 {
            page.set(x, 19, 200); // its soft edges
            page.set(x, 21, 190);
            page.set(x, 22, 215);
        }
        draw(&mut page, 0, 0, 1, 100); // a line down to meet it
        draw(&mut page, 100, 10, 103, 17); // a stroke three pixels above the edge
        let runs = ruling(&page, 300.0);
        for run in runs.iter().filter(|r| r.horizontal) {
            page.erase(run);
        }
        for y in 19..=22 {
            assert_eq!(page.at(150, y), 255, "row {y}");
        }
        assert_eq!(page.at(101, 16), 0, "the stroke is kept");
    }

    #[test]
    fn a_shaded_cells_ink_is_boxed_and_its_ground_whitened() {
        let mut cell = Gray::blank(50, 40);
        cell.whiten(0, 0, 0, 0);
        for y in 0..40 {
            for x in 0..50 {
                cell.set(x, y, 210);
            }
        }
        assert_eq!(cell.ink_box(1), None);
        draw(&mut cell, 10, 12, 20, 30);
        assert_eq!(cell.ink_box(1), Some([10, 12, 20, 30]));
        assert_eq!(cell.ink_box(181), None, "180 pixels of ink");
        let bw = cell.binarized();
        assert_eq!((bw.at(0, 0), bw.at(10, 12)), (255, 0));
    }

    #[test]
    fn pgm_is_read_as_written_and_other_bytes_are_refused() {
        let mut page = Gray::blank(3, 2);
        page.set(1, 1, 7);
        assert_eq!(Gray::from_pgm(&page.to_pgm()), Some(page.clone()));
        let commented = b"P5\n# pdftoppm\n3 2\n255\n\xff\xff\xff\xff\x07\xff";
        assert_eq!(Gray::from_pgm(commented), Some(page));
        assert_eq!(Gray::from_pgm(b"P5\n3 2\n255\n\xff"), None, "truncated");
        assert_eq!(Gray::from_pgm(b"P6\n1 1\n255\n\xff\xff\xff"), None);
        assert_eq!(Gray::from_pgm(b"P5\n1 1\n65535\n\xff\xff"), None);
    }
}
