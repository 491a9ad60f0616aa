//! A ruled table's cells read apart from their ruling: each cell's picture cut out and set
//! in a strip, the cells of a row side by side, wide white between them, and the rows one
//! under another. Read in place, a row's text runs into its neighbours' across what is
//! left of the lines; a lone digit cut out alone is read without context (tesseract reads a
//! "5" alone as "3"). Set in a line with its row, each cell's words stay apart and are read
//! as a line. Each line of words read in a cell is then put back where the cell is on the
//! page, its characters in the order tesseract read them.

use super::marks;
use super::raster::{Gray, INK};
use super::words::{self, Word};
use crate::pdf::Glyph;

/// White around the strip and between its rows (pixels): more than a line's spacing, so
/// that no line of text is read across two rows.
const MARGIN: u32 = 24;
const GAP: u32 = 48;
/// White between the cells of a row: a word's spacing many times over.
const COLUMN_GAP: u32 = 96;
/// A strip taller than this is cut into more than one (tesseract's pictures are bounded).
const MOST_HEIGHT: u32 = 24_000;
/// A cell with less ink than this is empty (what is left of a border, a speck).
const MIN_INK: usize = 12;
/// White kept around a cell's ink when it is cut out.
const PAD: u32 = 8;
/// Ink taller than this is more than one line of text (at 300 dpi a line of 10.5-point
/// text is about 44 pixels high, two with their spacing over 100): such a cell gets a row
/// of the strip to itself, since tesseract reads a line badly when a neighbour's lines
/// stand beside it at other heights.
const TALL: u32 = 80;

/// How many pixels a cell's box may be widened past a side its ink touches, towards its
/// ruling: less than the box is cut inside it (`CELL_INSET`).
const MOST_WIDENED: u32 = 3;

/// A box of the page in pixels: left, top, right, bottom (exclusive).
pub(crate) type PixelBox = [u32; 4];

/// A cell of a table to read: the row it starts on, as its table's place on the page and
/// the row's in the table (cells are set in rows by it), and its box.
#[derive(Debug, Clone)]
pub(crate) struct CellBox {
    pub row: (usize, usize),
    pub pixels: PixelBox,
}

/// One cell's picture in a strip: where it stands there, and where its top left came from.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    /// The cell's place among the cells the strip was made of.
    cell: usize,
    left: u32,
    top: u32,
    right: u32,
    bottom: u32,
    from_x: u32,
    from_y: u32,
}

impl Piece {
    fn contains(&self, (x, y): (f64, f64)) -> bool {
        x >= f64::from(self.left)
            && x < f64::from(self.right)
            && y >= f64::from(self.top)
            && y < f64::from(self.bottom)
    }
}

/// Cells set in rows, one picture for tesseract.
pub(crate) struct Strip {
    pub picture: Gray,
    pieces: Vec<Piece>,
    /// The cells of each of the strip's rows, by place among the cells it was made of.
    rows: Vec<Vec<usize>>,
}

/// The pictures of one row of cells, with each cell's place among the cells and where
/// its picture's top left is on the page.
type Row = Vec<(Gray, usize, (u32, u32))>;

impl Strip {
    /// The strips of the cells of `page` that have ink in them, a row of the strip for each
    /// row of the table they start on, in the order given.
    pub fn of_cells(page: &Gray, cells: &[CellBox]) -> Vec<Strip> {
        Strip::cut(page, cells, true)
    }

    /// The strip of one cell in its shades of grey, not made black and white: tesseract
    /// reads a character of many strokes (增) better so.
    pub fn of_cell_in_grey(page: &Gray, cell: &CellBox) -> Option<Strip> {
        Strip::cut(page, std::slice::from_ref(cell), false).pop()
    }

    fn cut(page: &Gray, cells: &[CellBox], binarize: bool) -> Vec<Strip> {
        // Rows of pieces: the table's row each starts, and whether one tall cell has it.
        let mut rows: Vec<((usize, usize), bool, Row)> = Vec::new();
        for (n, cell) in cells.iter().enumerate() {
            let [x0, y0, x1, y1] = cell.pixels;
            let whole = page.crop(x0, y0, x1, y1);
            let Some([ix0, iy0, ix1, iy1]) = whole.ink_box(MIN_INK) else {
                continue;
            };
            let (cx0, cy0) = (ix0.saturating_sub(PAD), iy0.saturating_sub(PAD));
            let mut picture = whole.crop(cx0, cy0, ix1 + PAD, iy1 + PAD);
            if binarize {
                picture = picture.binarized();
            }
            let from = (x0 + cx0, y0 + cy0);
            let tall = iy1 - iy0 > TALL;
            match rows.last_mut() {
                Some((row, false, pieces)) if *row == cell.row && !tall => {
                    pieces.push((picture, n, from))
                }
                _ => rows.push((cell.row, tall, vec![(picture, n, from)])),
            }
        }
        let mut strips = Vec::new();
        let mut taken: Vec<Row> = Vec::new();
        let mut height = MARGIN;
        for (.., row) in rows {
            let row_height = row.iter().map(|(p, ..)| p.height).max().unwrap_or(0);
            if height + row_height > MOST_HEIGHT && !taken.is_empty() {
                strips.push(Strip::of_rows(std::mem::take(&mut taken)));
                height = MARGIN;
            }
            height += row_height + GAP;
            taken.push(row);
        }
        if !taken.is_empty() {
            strips.push(Strip::of_rows(taken));
        }
        strips
    }

    fn of_rows(rows: Vec<Row>) -> Strip {
        let mut pieces = Vec::new();
        let mut top = MARGIN;
        for row in &rows {
            let row_height = row.iter().map(|(p, ..)| p.height).max().unwrap_or(0);
            let mut left = MARGIN;
            for (picture, cell, (from_x, from_y)) in row {
                // Centred down the row, as a cell's text is set: one line with its neighbours.
                let piece_top = top + (row_height - picture.height) / 2;
                pieces.push(Piece {
                    cell: *cell,
                    left,
                    top: piece_top,
                    right: left + picture.width,
                    bottom: piece_top + picture.height,
                    from_x: *from_x,
                    from_y: *from_y,
                });
                left += picture.width + COLUMN_GAP;
            }
            top += row_height + GAP;
        }
        let row_cells = rows
            .iter()
            .map(|row| row.iter().map(|(_, cell, _)| *cell).collect())
            .collect();
        let width = pieces.iter().map(|p| p.right).max().unwrap_or(0) + MARGIN;
        let mut picture = Gray::blank(width, top + MARGIN);
        let pictures = rows.iter().flatten().map(|(p, ..)| p);
        for (cell, piece) in pictures.zip(&pieces) {
            picture.paste(cell, piece.left, piece.top);
        }
        Strip {
            picture,
            pieces,
            rows: row_cells,
        }
    }

    /// The cells of each row of two or more cells in which none of `lines` (read on this
    /// strip) was read: a line of the strip tesseract passed over. It does so now and then
    /// with a line as clear as its neighbours ("（七）总计 26 — … 26" between two it read),
    /// and reads it when it is read alone.
    pub fn rows_unread(&self, lines: &[CellLine]) -> Vec<Vec<usize>> {
        self.rows
            .iter()
            .filter(|row| row.len() >= 2 && !lines.iter().any(|l| row.contains(&l.cell)))
            .cloned()
            .collect()
    }

    /// The lines of words tesseract read on the strip, each line of a cell put back
    /// where the cell is on the page (pixels, y down), in the order read; a word in no
    /// cell (a speck in the white) is left out.
    pub fn cell_lines(&self, words: &[Word]) -> Vec<CellLine> {
        let mut lines: Vec<(usize, [u32; 3], CellLine)> = Vec::new();
        for word in words {
            let Some(at) = self.piece_of(word) else {
                continue;
            };
            let piece = self.pieces[at];
            let (dx, dy) = (
                f64::from(piece.from_x) - f64::from(piece.left),
                f64::from(piece.from_y) - f64::from(piece.top),
            );
            let on_page = Word {
                left: word.left + dx,
                top: word.top + dy,
                line_bottom: word.line_bottom + dy,
                ..word.clone()
            };
            match lines.last_mut() {
                Some((p, line, cell_line)) if *p == at && *line == word.line => {
                    cell_line.words.push(on_page)
                }
                _ => lines.push((
                    at,
                    word.line,
                    CellLine {
                        cell: piece.cell,
                        words: vec![on_page],
                    },
                )),
            }
        }
        lines.into_iter().map(|(.., line)| line).collect()
    }
}

impl Strip {
    /// The piece a word was read in: the one its middle is in, or else the one on its line
    /// its box overlaps most. Tesseract's box for a line's last character may reach past
    /// the character's ink into the white beyond ("数" of "主动公开信息数", its box twice
    /// as wide as the character, its middle outside the cell's picture).
    fn piece_of(&self, word: &Word) -> Option<usize> {
        let (_, y) = word.middle();
        let overlap = |p: &Piece| {
            let right = (word.left + word.width).min(f64::from(p.right));
            right - word.left.max(f64::from(p.left))
        };
        self.pieces
            .iter()
            .position(|p| p.contains(word.middle()))
            .or_else(|| {
                self.pieces
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| y >= f64::from(p.top) && y < f64::from(p.bottom))
                    .map(|(n, p)| (n, overlap(p)))
                    .filter(|&(_, overlap)| overlap > 0.0)
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(n, _)| n)
            })
    }
}

/// A line of words tesseract read in one cell, placed on the page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CellLine {
    /// The cell's place among the cells the strip was made of.
    pub cell: usize,
    pub words: Vec<Word>,
}

impl CellLine {
    /// The line's text (`words::joined`).
    pub fn text(&self) -> String {
        words::joined(&self.words)
    }

    /// The line's glyphs (`words::run_glyphs`).
    pub fn glyphs(&self, scale: f64, height: f64) -> Vec<Glyph> {
        words::run_glyphs(&self.words, scale, height)
    }
}

/// The line of a cell whose ink is one "/" ([`marks::is_slash`]), read without tesseract:
/// the slash where its ink is on the page. `page` is the page as it came, its ruling not
/// erased: a slash in a cell with no padding touches its ruling, and the erasing takes its
/// foot with the line's edge.
pub(crate) fn lone_slash(page: &Gray, cell: &CellBox, n: usize) -> Option<CellLine> {
    let [x0, y0, x1, y1] = widened(page, cell.pixels);
    let whole = page.crop(x0, y0, x1, y1);
    let [ix0, iy0, ix1, iy1] = whole.ink_box(MIN_INK)?;
    if !marks::is_slash(&whole.crop(ix0, iy0, ix1, iy1)) {
        return None;
    }
    let (top, bottom) = (f64::from(y0 + iy0), f64::from(y0 + iy1));
    let slash = Word {
        text: "/".to_string(),
        line: [0; 3],
        left: f64::from(x0 + ix0),
        top,
        width: f64::from(ix1 - ix0),
        line_bottom: bottom,
        line_height: bottom - top,
        confidence: 100.0,
    };
    Some(CellLine {
        cell: n,
        words: vec![slash],
    })
}

/// The cell's box widened past each side its ink touches by the ink joined to it, up to
/// `MOST_WIDENED`: a "/" in a cell with no padding touches its ruling, and cut at the box
/// it is a shorter stroke. Ink along more than half a side (or a row or column past it) is
/// a ruling's, and is not followed.
fn widened(page: &Gray, [x0, y0, x1, y1]: PixelBox) -> PixelBox {
    let (x1, y1) = (x1.min(page.width), y1.min(page.height));
    if x1 <= x0 || y1 <= y0 {
        return [x0, y0, x1, y1];
    }
    let ink = |x: Option<u32>, y: Option<u32>| match (x, y) {
        (Some(x), Some(y)) if x < page.width && y < page.height => page.at(x, y) < INK,
        _ => false,
    };
    let (across, down) = (x1 - x0, y1 - y0);
    let left = reach(down, |step, i| ink(x0.checked_sub(step), Some(y0 + i)));
    let right = reach(down, |step, i| ink(Some(x1 - 1 + step), Some(y0 + i)));
    let top = reach(across, |step, i| ink(Some(x0 + i), y0.checked_sub(step)));
    let bottom = reach(across, |step, i| ink(Some(x0 + i), Some(y1 - 1 + step)));
    [x0 - left, y0 - top, x1 + right, y1 + bottom]
}

/// How many pixels past a side of `len` pixels the ink touching it goes on, joined pixel
/// to pixel, up to `MOST_WIDENED` and short of a ruling: `ink(step, i)` tells whether the
/// side's `i`th pixel, `step` pixels out (0 is the side itself), is ink.
fn reach(len: u32, ink: impl Fn(u32, u32) -> bool) -> u32 {
    // A line of ink along more than half the side is a ruling's, not a character's.
    let along_side = |step: u32| (0..len).filter(|&i| ink(step, i)).count() * 2 > len as usize;
    let mut touching: Vec<bool> = (0..len).map(|i| ink(0, i)).collect();
    if !touching.contains(&true) || along_side(0) {
        return 0;
    }
    let mut reached = 0;
    for step in 1..=MOST_WIDENED {
        let joined = |i: u32| {
            let (from, to) = (i.saturating_sub(1), (i + 1).min(len - 1));
            (from..=to).any(|j| touching[j as usize])
        };
        let next: Vec<bool> = (0..len).map(|i| ink(step, i) && joined(i)).collect();
        if !next.contains(&true) || along_side(step) {
            break;
        }
        touching = next;
        reached = step;
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inked(width: u32, height: u32) -> Gray {
        let mut page = Gray::blank(width, height);
        for y in 0..height {
            for x in 0..width {
                page.set(x, y, 0);
            }
        }
        page
    }

    fn word(text: &str, left: f64, line_bottom: f64, line: u32) -> Word {
        Word {
            text: text.into(),
            line: [1, 1, line],
            left,
            top: line_bottom - 30.0,
            width: 20.0 * text.chars().count() as f64,
            line_bottom,
            line_height: 30.0,
            confidence: 90.0,
        }
    }

    #[test]
    fn a_box_is_widened_past_a_side_a_characters_ink_touches_but_not_along_a_line() {
        let mut page = Gray::blank(100, 60);
        for i in 0..30 {
            // a "/" two pixels thick, its foot running out of the box's left side
            page.set(30 - i / 3, 10 + i, 0);
            page.set(31 - i / 3, 10 + i, 0);
        }
        let [x0, y0, x1, y1] = widened(&page, [22, 5, 60, 55]);
        assert_eq!([x0, y0, x1, y1], [21, 5, 60, 55]);
        for y in 0..60 {
            page.set(19, y, 0); // the ruling the slash touches, its box cut 3 pixels in
        }
        assert_eq!(widened(&page, [22, 5, 60, 55])[0], 21);
        page.set(20, 38, 0); // the slash's foot on the ruling's edge
        assert_eq!(widened(&page, [22, 5, 60, 55])[0], 20);
        for y in 0..60 {
            page.set(20, y, 0); // a ruling two pixels thick: not followed into
        }
        assert_eq!(widened(&page, [22, 5, 60, 55])[0], 21);
        let mut lined = Gray::blank(100, 60);
        for y in 0..60 {
            lined.set(21, y, 0);
            lined.set(22, y, 0); // what is left of a ruling, along the whole side
        }
        // (Its ends may lengthen the box along it, by what is inside the box already.)
        assert_eq!(widened(&lined, [22, 5, 60, 55])[0], 22);
    }

    #[test]
    fn a_cell_of_one_slash_touching_its_ruling_is_read_as_a_slash() {
        let mut page = Gray::blank(100, 60);
        for y in 0..60 {
            page.set(18, y, 0); // the cell's left ruling
            page.set(19, y, 0);
        }
        for i in 0..30 {
            page.set(30 - i / 3, 10 + i, 0);
            page.set(31 - i / 3, 10 + i, 0);
            page.set(32 - i / 3, 10 + i, 0);
        }
        let cell = CellBox {
            row: (0, 0),
            pixels: [23, 4, 60, 56],
        };
        let line = lone_slash(&page, &cell, 7).expect("a slash");
        assert_eq!((line.cell, line.text()), (7, "/".to_string()));
        let slash = &line.words[0];
        assert_eq!(
            (slash.left, slash.top, slash.line_bottom),
            (21.0, 10.0, 40.0)
        );
        let mut upright = Gray::blank(100, 60);
        for y in 10..40 {
            upright.set(40, y, 0);
            upright.set(41, y, 0);
        }
        assert!(lone_slash(&upright, &cell, 7).is_none());
    }

    #[test]
    fn a_rows_cells_are_cut_to_their_ink_and_set_side_by_side() {
        let mut page = Gray::blank(1000, 1000);
        page.paste(&inked(60, 30), 100, 300); // a label
        page.paste(&inked(20, 30), 500, 300); // its value
        page.paste(&inked(20, 120), 600, 260); // a header of lines down its cell
        page.paste(&inked(20, 30), 500, 600); // the next row's value
        let cells = [
            CellBox {
                row: (0, 0),
                pixels: [90, 290, 200, 350],
            },
            CellBox {
                row: (0, 0),
                pixels: [490, 280, 530, 360],
            },
            CellBox {
                row: (0, 0),
                pixels: [700, 280, 800, 360],
            }, // empty
            CellBox {
                row: (0, 0),
                pixels: [590, 250, 630, 390],
            },
            CellBox {
                row: (0, 1),
                pixels: [490, 590, 530, 640],
            },
        ];
        let strips = Strip::of_cells(&page, &cells);
        assert_eq!(strips.len(), 1);
        let pieces = &strips[0].pieces;
        let cut: Vec<(usize, u32, u32, u32, u32)> = pieces
            .iter()
            .map(|p| (p.cell, p.left, p.top, p.right - p.left, p.bottom - p.top))
            .collect();
        // Each cut PAD pixels around its ink; the value beside its label; the tall header
        // on a row of its own; the empty cell left out.
        let (label, value, tall) = (60 + 2 * PAD, 20 + 2 * PAD, 120 + 2 * PAD);
        let high = 30 + 2 * PAD;
        let second = MARGIN + high + GAP;
        let third = second + tall + GAP;
        assert_eq!(
            cut,
            [
                (0, MARGIN, MARGIN, label, high),
                (1, MARGIN + label + COLUMN_GAP, MARGIN, value, high),
                (3, MARGIN, second, value, tall),
                (4, MARGIN, third, value, high),
            ]
        );
        assert_eq!(strips[0].picture.height, third + high + GAP + MARGIN);
        assert_eq!((pieces[0].from_x, pieces[0].from_y), (100 - PAD, 300 - PAD));
    }

    #[test]
    fn a_row_of_cells_none_of_whose_words_were_read_is_unread() {
        let mut page = Gray::blank(1000, 1000);
        let mut cells = Vec::new();
        for (row, y) in [(0, 100), (1, 300), (2, 500)] {
            for x in [100, 400] {
                page.paste(&inked(20, 30), x, y);
                cells.push(CellBox {
                    row: (0, row),
                    pixels: [x - 10, y - 10, x + 40, y + 50],
                });
            }
        }
        // A cell alone on its row, read as nothing too: a speck, not a row passed over.
        page.paste(&inked(20, 30), 100, 700);
        cells.push(CellBox {
            row: (0, 3),
            pixels: [90, 690, 140, 750],
        });
        let strips = Strip::of_cells(&page, &cells);
        let strip = &strips[0];
        let line = |cell| CellLine {
            cell,
            words: vec![word("0", 0.0, 0.0, 1)],
        };
        // Words read in one cell of the first row and both of the third.
        let lines = [line(1), line(4), line(5)];
        assert_eq!(strip.rows_unread(&lines), [vec![2, 3]]);
        assert_eq!(strip.rows_unread(&[]).len(), 3);
    }

    #[test]
    fn words_read_in_a_cell_are_put_back_in_the_order_read() {
        let mut page = Gray::blank(1000, 1000);
        page.paste(&inked(60, 30), 100, 300);
        let strips = Strip::of_cells(
            &page,
            &[CellBox {
                row: (0, 0),
                pixels: [90, 290, 250, 350],
            }],
        );
        let strip = &strips[0];
        // Tesseract's boxes for "废止" and "件数" overlap; a speck outside any cell.
        let (x, bottom) = (f64::from(MARGIN + PAD), f64::from(MARGIN + PAD) + 30.0);
        let mut words = vec![
            word("废止", x, bottom, 1),
            word("件数", x + 20.0, bottom, 1),
        ];
        words.push(word("·", 2.0, 5.0, 2));
        let lines = strip.cell_lines(&words);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].cell, 0);
        // One point a pixel, the page 1,000 pixels high.
        let glyphs = lines[0].glyphs(1.0, 1000.0);
        let text: String = glyphs.iter().map(|g| g.ch).collect();
        assert_eq!(text, "废止件数");
        // Spread over where the words stand: 60 pixels from the ink's left.
        assert_eq!(glyphs[0].x, 100.0);
        assert_eq!(glyphs[3].x, 100.0 + 45.0);
        assert!(glyphs
            .iter()
            .all(|g| g.y == 1000.0 - 330.0 && g.size == 30.0));
    }

    /// A line's last character whose box tesseract drew past the ink, its middle in the
    /// white between two cells, is the cell's it overlaps most; a word in the white on no
    /// cell's line stays out.
    #[test]
    fn a_word_whose_box_runs_past_its_cell_is_that_cells() {
        let mut page = Gray::blank(1000, 1000);
        page.paste(&inked(60, 30), 100, 300);
        page.paste(&inked(20, 30), 500, 300);
        let cells = [
            CellBox {
                row: (0, 0),
                pixels: [90, 290, 250, 350],
            },
            CellBox {
                row: (0, 0),
                pixels: [490, 290, 530, 350],
            },
        ];
        let strip = &Strip::of_cells(&page, &cells)[0];
        let (x, bottom) = (f64::from(MARGIN + PAD), f64::from(MARGIN + PAD) + 30.0);
        let label_right = x + 60.0 + f64::from(PAD);
        let mut last = word("数", label_right - 10.0, bottom, 1);
        last.width = 40.0;
        assert!(
            last.middle().0 > label_right,
            "its middle past the cell's picture"
        );
        let words = [word("信息", x, bottom, 1), last, word("·", x, 5.0, 2)];
        let lines = strip.cell_lines(&words);
        let read: Vec<(usize, String)> = lines.iter().map(|l| (l.cell, l.text())).collect();
        assert_eq!(read, [(0, "信息数".to_string())]);
    }
}
