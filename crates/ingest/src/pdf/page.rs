//! A page as text: its lines outside tables top to bottom, each ruled table in its place as
//! rows of tab-separated cells (the lines inside a cell joined in reading order), recorded
//! as a grid; and a table broken over a page joined back into one.

use super::aligned;
use super::content::{Glyph, PageContent};
use super::ruling::{self, RuledCell, RuledTable};
use crate::grid::{CellBox, Grid, GridCell, GridSource};

/// A page's text and its tables, ranges in that text.
pub(crate) struct PageText {
    pub text: String,
    pub grids: Vec<Grid>,
    /// Nothing but page furniture (a page number) before the page's first table / after
    /// its last: a table may continue from the page before / onto the next.
    pub starts_with_table: bool,
    pub ends_with_table: bool,
    /// Where images that may be tables stand in `text`.
    pub pictures: Vec<usize>,
    /// The ranges of `text` laid out from words OCR read in the page's images.
    pub recognised: Vec<std::ops::Range<usize>>,
}

/// Glyphs grouped into lines by their baseline, top to bottom, each left to right.
pub(crate) fn lines(mut glyphs: Vec<Glyph>) -> Vec<Vec<Glyph>> {
    glyphs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if (line[0].y - g.y).abs() < line[0].size.min(g.size) * 0.45 => line.push(g),
            _ => lines.push(vec![g]),
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    lines
}

/// A line's text: a gap wider than a glyph becomes a space, a wide one a tab when `tabs`.
pub(crate) fn line_text(line: &[Glyph], tabs: bool) -> String {
    let mut out = String::new();
    let mut previous: Option<&Glyph> = None;
    for g in line {
        if let Some(p) = previous {
            let gap = g.x - (p.x + p.width);
            let size = p.size.max(g.size);
            if tabs && gap > size * 1.8 {
                out.push('\t');
            } else if gap > size * 0.3 {
                out.push(' ');
            }
        }
        out.push(g.ch);
        previous = Some(g);
    }
    out
}

/// A glyph that a line crosses through its middle was pushed over the line by text that
/// did not fit the cell above (Word and LibreOffice let a split row's text run over):
/// it belongs to the cell above.
fn overflowing_into(table: &RuledTable, cell: usize, g: &Glyph, height: f64) -> Option<usize> {
    let top = height - (g.y + g.size * 0.8);
    let bottom = height - (g.y - g.size * 0.2);
    let line = table.cells[cell].top;
    let at = (line - top) / (bottom - top);
    if !(0.15..=0.85).contains(&at) {
        return None;
    }
    let x = g.centre().0;
    table.cells.iter().position(|c| c.contains(x, line - 1.0))
}

/// What stands on a page, in reading order.
enum Item {
    /// A line's text and where it starts (x).
    Line(String, f64),
    Table(RuledTable, Vec<Vec<Glyph>>, GridSource),
    /// An image as wide as a table (`WIDE_PICTURE` of the page): it may be one.
    Picture,
}

/// An image this share of the page's width or wider may be a table printed as a picture
/// (a seal or a logo is narrower)...
const WIDE_PICTURE: f64 = 0.4;
/// ...and so may an image this share of the page's height or taller and a quarter as wide
/// (a long table shrunk to fit the page: one a metre long is a tenth of the page wide), but
/// not one lower than `LOW_PICTURE` (a rule, a banner).
const TALL_PICTURE: f64 = 0.4;
const LOW_PICTURE: f64 = 0.04;

/// Whether an image drawn in `picture` (left, bottom, right, top) on a page `width` by
/// `height` points may be a table printed as a picture.
pub(crate) fn may_be_table(picture: &[f64; 4], width: f64, height: f64) -> bool {
    let [x0, y0, x1, y1] = *picture;
    let (wide, high) = (x1 - x0, y1 - y0);
    high >= height * LOW_PICTURE
        && (wide >= width * WIDE_PICTURE
            || (high >= height * TALL_PICTURE && wide >= width * WIDE_PICTURE / 4.0))
}

/// A line that is only a page number ("- 3 -", "第 3 页", "3/5").
fn is_furniture(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let t = t.trim_matches(|c| matches!(c, '-' | '—' | '–' | '_'));
    let t = t.strip_prefix('第').unwrap_or(t);
    let t = t.strip_suffix('页').unwrap_or(t);
    !t.is_empty()
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '/' || c == '共' || c == '页')
}

/// Glyphs put into the cells of tables (by their centre; see [`overflowing_into`]), the
/// rest returned.
fn assign(
    tables: &[RuledTable],
    glyphs: Vec<Glyph>,
    height: f64,
) -> (Vec<Vec<Vec<Glyph>>>, Vec<Glyph>) {
    let mut in_cells: Vec<Vec<Vec<Glyph>>> = tables
        .iter()
        .map(|t| vec![Vec::new(); t.cells.len()])
        .collect();
    let mut free = Vec::new();
    for g in glyphs {
        let (x, y_up) = g.centre();
        let y = height - y_up;
        let cell = tables.iter().enumerate().find_map(|(t, table)| {
            if !table.contains(x, y) {
                return None;
            }
            let c = table.cells.iter().position(|c| c.contains(x, y))?;
            Some((t, overflowing_into(table, c, &g, height).unwrap_or(c)))
        });
        match cell {
            Some((t, c)) => in_cells[t][c].push(g),
            None => free.push(g),
        }
    }
    (in_cells, free)
}

fn line_items(glyphs: Vec<Glyph>, height: f64) -> Vec<(f64, Item)> {
    lines(glyphs)
        .into_iter()
        .map(|line| {
            (
                height - line[0].y,
                Item::Line(line_text(&line, true), line[0].x),
            )
        })
        .collect()
}

/// Whether a point (`y` down from the top of a page `height` high) is inside one of the
/// boxes (`PageContent::recognised`) whose words OCR read.
fn recognised_at(boxes: &[[f64; 4]], height: f64, x: f64, y: f64) -> bool {
    boxes
        .iter()
        .any(|&[x0, y0, x1, y1]| (x0..=x1).contains(&x) && (height - y1..=height - y0).contains(&y))
}

/// Where an item stands on the page (`y` down from the top), to tell whether OCR read it.
fn item_point(top: f64, item: &Item) -> Option<(f64, f64)> {
    match item {
        Item::Line(_, x) => Some((*x, top)),
        Item::Table(table, ..) => {
            let (left, right) = (table.xs.first()?, table.xs.last()?);
            Some(((left + right) / 2.0, (table.top() + table.bottom()) / 2.0))
        }
        Item::Picture => None,
    }
}

pub(crate) fn compose(content: PageContent, page: u32) -> PageText {
    let (width, height) = (content.width, content.height);
    let pictures = content.pictures;
    let recognised = content.recognised;
    let glyphs: Vec<Glyph> = content
        .glyphs
        .into_iter()
        .filter(|g| g.size > 0.5 && g.x.is_finite() && g.y.is_finite() && g.width.is_finite())
        .collect();
    // Edges running over (nearly) the whole page are its frame or background, not ruling.
    let ruling: Vec<_> = content
        .segments
        .iter()
        .filter(|s| {
            (s.x1 - s.x0).abs() < content.width * 0.95 && (s.y1 - s.y0).abs() < height * 0.95
        })
        .copied()
        .collect();
    let ruled = ruling::tables(&ruling, height);
    let (in_ruled, free) = assign(&ruled, glyphs, height);
    let mut items: Vec<(f64, Item)> = Vec::new();
    let mut loose = Vec::new();
    for (table, cells) in ruled.into_iter().zip(in_ruled) {
        // A box with text in one cell, or a single column, is decoration, not a table. (One
        // row is a table: the header row a page break leaves at the foot of a page; and so
        // is a row of three ruled columns or more with text in one cell only, the rest of a
        // label a page break carried over, its values left on the page before.)
        let with_text = cells.iter().filter(|c| !c.is_empty()).count();
        let has_text = with_text >= 2 || (with_text == 1 && table.xs.len() >= 4);
        if has_text && table.xs.len() >= 3 {
            items.push((table.top(), Item::Table(table, cells, GridSource::PdfRuled)));
        } else {
            loose.extend(cells.into_iter().flatten());
        }
    }
    // Tables without lines among the text that is in no ruled table.
    let free: Vec<Glyph> = free.into_iter().chain(loose).collect();
    let (aligned, free) = aligned::tables(free, height, aligned::GroupHeaders::Centred);
    for t in aligned {
        items.push((
            t.table.top(),
            Item::Table(t.table, t.cells, GridSource::PdfAligned),
        ));
    }
    items.extend(line_items(free, height));
    items.extend(
        pictures
            .iter()
            .filter(|picture| may_be_table(picture, width, height))
            .map(|[.., top]| (height - top, Item::Picture)),
    );
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    let content_items: Vec<bool> = items
        .iter()
        .filter(|(_, item)| {
            !matches!(item, Item::Line(t, _) if is_furniture(t) ) && !matches!(item, Item::Picture)
        })
        .map(|(_, item)| matches!(item, Item::Table(..)))
        .collect();
    let mut out = PageText {
        text: String::new(),
        grids: Vec::new(),
        starts_with_table: content_items.first() == Some(&true),
        ends_with_table: content_items.last() == Some(&true),
        pictures: Vec::new(),
        recognised: Vec::new(),
    };
    for (top, item) in items {
        let start = out.text.len();
        let read_by_ocr = !recognised.is_empty()
            && item_point(top, &item)
                .is_some_and(|(x, y)| recognised_at(&recognised, height, x, y));
        match item {
            Item::Line(text, _) => {
                out.text.push_str(&text);
                out.text.push('\n');
            }
            Item::Table(table, cells, source) => {
                let grid = write_table(&mut out.text, &table, cells, page, source);
                out.grids.push(grid);
            }
            Item::Picture => out.pictures.push(out.text.len()),
        }
        if read_by_ocr {
            match out.recognised.last_mut() {
                Some(last) if last.end == start => last.end = out.text.len(),
                _ => out.recognised.push(start..out.text.len()),
            }
        }
    }
    out
}

/// Writes a table's rows (cells that start in the row, tab-separated) and returns its grid.
fn write_table(
    text: &mut String,
    table: &RuledTable,
    cells: Vec<Vec<Glyph>>,
    page: u32,
    source: GridSource,
) -> Grid {
    let mut grid = Grid::new(source);
    let rows = table.ys.len() - 1;
    let cell_lines: Vec<Vec<Vec<Glyph>>> = cells.into_iter().map(lines).collect();
    // Only a ruled table's boxes are its cells' (an aligned one's are its text's).
    let padding = match source {
        GridSource::PdfRuled => text_padding(table, &cell_lines),
        _ => None,
    };
    let mut by_row: Vec<Vec<(usize, Vec<Vec<Glyph>>)>> = vec![Vec::new(); rows];
    for (i, lines) in cell_lines.into_iter().enumerate() {
        by_row[table.cells[i].row].push((i, lines));
    }
    for row in by_row {
        if row.is_empty() {
            continue;
        }
        for (k, (i, lines)) in row.into_iter().enumerate() {
            if k > 0 {
                text.push('\t');
            }
            let cell = &table.cells[i];
            let own: String = lines.iter().map(|l| line_text(l, false)).collect();
            let start = text.len();
            text.push_str(own.trim());
            grid.push(GridCell {
                row: cell.row,
                col: cell.col,
                rows: cell.rows,
                cols: cell.cols,
                text: own.trim().to_string(),
                start,
                end: text.len(),
                bbox: Some(CellBox {
                    page,
                    x0: cell.x0,
                    top: cell.top,
                    x1: cell.x1,
                    bottom: cell.bottom,
                    last_line_full: padding.is_some_and(|p| last_line_full(cell, &lines, p)),
                }),
                rest: None,
            });
        }
        text.push('\n');
    }
    grid.n_rows = grid.n_rows.max(rows);
    grid
}

/// How near a table's text comes to its cells' sides: the least gap between a line and
/// its cell's side over the table (a line that wrapped comes as near as the padding
/// lets it). `None` when no cell has text.
fn text_padding(table: &RuledTable, cell_lines: &[Vec<Vec<Glyph>>]) -> Option<f64> {
    let gaps = table
        .cells
        .iter()
        .zip(cell_lines)
        .flat_map(|(cell, lines)| {
            lines.iter().filter_map(|line| {
                let (first, last) = (line.first()?, line.last()?);
                Some((first.x - cell.x0).min(cell.x1 - (last.x + last.width)))
            })
        });
    gaps.map(|gap| gap.max(0.0)).min_by(f64::total_cmp)
}

/// Whether a cell's last line leaves no room for one more glyph like its last, the
/// table's padding kept on both sides: the line wrapped, and the text may go on below
/// (a page break cut the row; see `finish_cut_row`).
fn last_line_full(cell: &RuledCell, lines: &[Vec<Glyph>], padding: f64) -> bool {
    let Some((first, last)) = lines.last().and_then(|l| Some((l.first()?, l.last()?))) else {
        return false;
    };
    let room = cell.x1 - cell.x0 - 2.0 * padding;
    let used = last.x + last.width - first.x;
    used + last.width > room - 0.5
}

/// Column boundaries closer than this (points) are one.
const SAME_X: f64 = 3.0;

fn boundaries(grid: &Grid) -> Vec<f64> {
    let mut xs: Vec<f64> = grid
        .cells
        .iter()
        .filter_map(|c| c.bbox)
        .flat_map(|b| [b.x0, b.x1])
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|b, a| *b - *a <= SAME_X);
    xs
}

/// Whether row `row` of a table's second part repeats the first part's row: the same cells
/// at the same columns, each with the text of the first part's or the start of it (a
/// repeated header cell too small for its text on the new page shows only its start).
fn repeats(second: &Grid, first: &Grid, row: usize) -> bool {
    let theirs: Vec<&GridCell> = first.row(row).collect();
    let ours: Vec<&GridCell> = second.row(row).collect();
    ours.len() == theirs.len()
        && ours.iter().any(|c| !c.text.is_empty())
        && ours.iter().zip(&theirs).all(|(a, b)| {
            // Where the cells stand on their pages: a part's column indices count only the
            // column lines that part has.
            let same_place = match (a.bbox, b.bbox) {
                (Some(x), Some(y)) => {
                    (x.x0 - y.x0).abs() <= SAME_X && (x.x1 - y.x1).abs() <= SAME_X
                }
                _ => a.col == b.col && a.cols == b.cols,
            };
            same_place && (a.text == b.text || (!a.text.is_empty() && b.text.starts_with(&a.text)))
        })
}

/// The second part of a table a page break cut, joined to the first: when both span the same
/// width and the second's column lines are the first's. Header rows the second part repeats
/// are dropped. `None` when the two are not one table.
pub(crate) fn join_continued(first: &Grid, second: &Grid) -> Option<Grid> {
    if first.source != second.source {
        return None;
    }
    let (a, b) = (boundaries(first), boundaries(second));
    let (Some(a0), Some(a1), Some(b0), Some(b1)) = (a.first(), a.last(), b.first(), b.last())
    else {
        return None;
    };
    if (a0 - b0).abs() > SAME_X || (a1 - b1).abs() > SAME_X {
        return None;
    }
    let shared = b
        .iter()
        .filter(|x| a.iter().any(|y| (*x - y).abs() <= SAME_X))
        .count();
    if shared * 5 < b.len() * 4 {
        return None;
    }
    let repeated = (0..second.n_rows.min(first.n_rows))
        .take_while(|&r| repeats(second, first, r))
        .count();
    let mut xs: Vec<f64> = a.iter().chain(&b).copied().collect();
    xs.sort_by(f64::total_cmp);
    xs.dedup_by(|b, a| *b - *a <= SAME_X);
    let column = |x: f64| {
        xs.iter()
            .enumerate()
            .min_by(|p, q| (p.1 - x).abs().total_cmp(&(q.1 - x).abs()))
            .map_or(0, |(i, _)| i)
    };
    let mut joined = Grid::new(first.source);
    let placed = |cell: &GridCell, row: usize| {
        let mut cell = cell.clone();
        if let Some(b) = cell.bbox {
            cell.col = column(b.x0);
            cell.cols = column(b.x1).saturating_sub(cell.col).max(1);
        }
        cell.row = row;
        cell
    };
    for cell in &first.cells {
        joined.push(placed(cell, cell.row));
    }
    let offset = first.n_rows;
    let opening: Vec<GridCell> = second
        .cells
        .iter()
        .filter(|c| c.row == repeated)
        .map(|c| placed(c, offset))
        .collect();
    // A row the page break cut in two: its first line's digits end the last row here.
    let finished = finish_cut_row(&mut joined, offset - 1, &opening);
    let skip = repeated + usize::from(finished);
    for cell in second.cells.iter().filter(|c| c.row >= skip) {
        joined.push(placed(cell, offset + cell.row - skip));
    }
    joined.n_rows = joined
        .n_rows
        .max(offset + second.n_rows.saturating_sub(skip));
    Some(joined)
}

/// Word lets a table row break across pages: what did not fit above the break opens the
/// next page in a row of its own — the last digits of numbers that wrapped in their narrow
/// cells ("26" | "4" is 264), or the rest of a long label ("(二)乡镇政府(街道办事处)" |
/// "门户网站"), or both. When the second part's opening row holds only such pieces, each
/// under a cell of the first part's last row, they end those cells. Returns whether it did.
fn finish_cut_row(joined: &mut Grid, last_row: usize, opening: &[GridCell]) -> bool {
    let pieces: Vec<&GridCell> = opening.iter().filter(|c| !c.text.is_empty()).collect();
    let digits = |t: &str| t.chars().all(super::stacked::is_printed_digit);
    let above = |cell: &GridCell| {
        joined.cells.iter().position(|t| {
            t.row + t.rows == last_row + 1
                && t.col == cell.col
                && t.cols == cell.cols
                && !t.text.is_empty()
        })
    };
    let number_rest =
        |c: &GridCell| digits(&c.text) && above(c).is_some_and(|i| digits(&joined.cells[i].text));
    // Rests of labels: words under the last row's labels, left of its first value, none
    // numbered (a group label cut with its sub-label: "理" | "补正、行政机关…").
    let first_value = joined
        .cells
        .iter()
        .filter(|t| t.row + t.rows == last_row + 1 && !t.text.is_empty() && digits(&t.text))
        .map(|t| t.col)
        .min()
        .unwrap_or(usize::MAX);
    let label_rest = |c: &GridCell| {
        c.col + c.cols <= first_value
            && !digits(&c.text)
            && !starts_a_row(&c.text)
            && above(c).is_some_and(|i| !digits(&joined.cells[i].text))
    };
    // A label's rest and numbers' rests together look like a row of its own with an
    // unnumbered label ("行政强制 | 4" under "行政处罚 | 15"): they are rests only when
    // every cell they would end had its last line full (known of ruled tables only).
    let ended_full = |c: &GridCell| {
        above(c).is_some_and(|i| joined.cells[i].bbox.is_some_and(|b| b.last_line_full))
    };
    let rests = pieces.iter().all(|c| number_rest(c))
        || pieces.iter().all(|c| label_rest(c))
        || pieces
            .iter()
            .all(|c| (number_rest(c) || label_rest(c)) && ended_full(c));
    if pieces.is_empty() || !rests {
        return false;
    }
    let targets: Vec<Option<usize>> = pieces.iter().map(|p| above(p)).collect();
    for (piece, target) in pieces.into_iter().zip(targets) {
        if let Some(i) = target {
            let target = &mut joined.cells[i];
            target.text.push_str(&piece.text);
            target.rest = Some((piece.start, piece.end));
            // A group label merged over rows below goes on over them.
            target.rows += piece.rows - 1;
        }
    }
    true
}

/// Whether a label starts a row of its own: numbered ("(二)", "3.", "十、", "第…"), or a
/// total or a "其中" line. The rest of a label a page break cut is none of these.
fn starts_a_row(label: &str) -> bool {
    label.trim_start().starts_with(|c: char| {
        "(（0123456789０１２３４５６７８９一二三四五六七八九十第其合总".contains(c)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid of one page from rows of cell texts, columns 50 points wide.
    fn page_grid(page: u32, rows: &[&[&str]]) -> Grid {
        let mut grid = Grid::new(crate::grid::GridSource::PdfRuled);
        let mut at = 0;
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                let x0 = 50.0 * c as f64;
                grid.push(GridCell {
                    row: r,
                    col: c,
                    rows: 1,
                    cols: 1,
                    text: text.to_string(),
                    start: at,
                    end: at + text.len(),
                    bbox: Some(CellBox {
                        page,
                        x0,
                        top: 20.0 * r as f64,
                        x1: x0 + 50.0,
                        bottom: 20.0 * r as f64 + 20.0,
                        last_line_full: false,
                    }),
                    rest: None,
                });
                at += text.len() + 1;
            }
        }
        grid
    }

    /// A ruled table of two cells (规章 | 3) with its top at `top` points from the top of a
    /// 842-point page, the text's baseline in its middle.
    fn ruled_row(top: f64) -> (Vec<Glyph>, Vec<super::super::Segment>) {
        let (bottom, height) = (top + 30.0, 842.0);
        let y = height - top - 20.0;
        let g = |ch, x: f64| Glyph {
            ch,
            x,
            y,
            width: 10.0,
            size: 10.0,
        };
        let segment = |x0: f64, top: f64, x1: f64, bottom: f64| super::super::Segment {
            x0,
            y0: height - bottom,
            x1,
            y1: height - top,
        };
        let mut segments: Vec<_> = [100.0, 200.0, 300.0]
            .map(|x| segment(x, top, x, bottom))
            .to_vec();
        segments.extend([top, bottom].map(|y| segment(100.0, y, 300.0, y)));
        (
            vec![g('规', 110.0), g('章', 120.0), g('3', 210.0)],
            segments,
        )
    }

    /// What OCR read in a picture's box is marked in the text, a typed table is not; a
    /// picture OCR read stays a picture, and so does a tall, narrower one (a long table
    /// shrunk to fit the page), but not a rule.
    #[test]
    fn what_ocr_read_in_a_picture_is_marked() {
        let (typed, typed_ruling) = ruled_row(100.0);
        let (read, read_ruling) = ruled_row(400.0);
        let picture = [50.0, 842.0 - 450.0, 310.0, 842.0 - 390.0];
        let content = PageContent {
            glyphs: typed.into_iter().chain(read).collect(),
            segments: typed_ruling.into_iter().chain(read_ruling).collect(),
            width: 595.0,
            height: 842.0,
            pictures: vec![picture, [0.0, 0.0, 595.0, 2.0], [10.0, 10.0, 70.0, 410.0]],
            recognised: vec![picture],
            ..PageContent::default()
        };
        let page = compose(content, 1);
        assert_eq!(page.text, "规章\t3\n规章\t3\n");
        assert_eq!(page.grids.len(), 2);
        let second_table = 9..18;
        assert_eq!(page.recognised, [second_table]);
        assert_eq!(page.pictures.len(), 2, "the rule is no picture");
    }

    #[test]
    fn digits_a_page_break_cut_off_end_their_numbers() {
        // 264 and 276 wrapped in their narrow cells; the row broke across the pages.
        let first = page_grid(3, &[&["项目", "自然人", "总计"], &["3.其他", "26", "27"]]);
        let second = page_grid(
            4,
            &[
                &["项目", "自然人", "总计"],
                &["", "4", "6"],
                &["总计", "1,139", "1,191"],
            ],
        );
        let joined = join_continued(&first, &second).expect("one table");
        let row = |r: usize| -> Vec<String> {
            (0..3)
                .map(|c| joined.covering(r, c).map_or("?".into(), |x| x.text.clone()))
                .collect()
        };
        assert_eq!(row(1), ["3.其他", "264", "276"]);
        assert_eq!(row(2), ["总计", "1,139", "1,191"]);
        assert_eq!(joined.n_rows, 3);
        // A row of its own on the next page is not such a rest.
        let second = page_grid(4, &[&["项目", "自然人", "总计"], &["总计", "4", "6"]]);
        let joined = join_continued(&first, &second).expect("one table");
        assert_eq!(joined.n_rows, 3);
    }

    #[test]
    fn the_rest_of_a_label_a_page_break_cut_ends_it() {
        let first = page_grid(4, &[&["项目", "单位", "数"], &["(二)乡镇政府", "个", "0"]]);
        let second = page_grid(5, &[&["门户网站", "", ""], &["十、查阅点数", "个", "92"]]);
        let joined = join_continued(&first, &second).expect("one table");
        let label = joined.covering(1, 0).map(|c| c.text.clone());
        assert_eq!(label.as_deref(), Some("(二)乡镇政府门户网站"));
        assert_eq!(joined.n_rows, 3);
        // A numbered row opening the page is a row.
        let second = page_grid(5, &[&["九、政府公报", "", ""], &["(一)期数", "期", "3"]]);
        let joined = join_continued(&first, &second).expect("one table");
        assert_eq!(joined.n_rows, 4);
    }

    #[test]
    fn a_group_label_cut_with_its_sub_label_ends_both_and_goes_on_over_its_rows() {
        // "(六)其他处理" merged over three rows, the break right after its first line:
        // the next page opens with "理" (still merged over the rows below) and the rest of
        // the sub-label, no values.
        let first = page_grid(
            4,
            &[
                &["", "项目", "自然人"],
                &["(六)其他处", "1.申请人逾期不", "0"],
            ],
        );
        let mut second = page_grid(
            5,
            &[
                &["理", "补正的", ""],
                &["", "2.逾期未缴费", "0"],
                &["", "3.其他", "0"],
            ],
        );
        second.cells.retain(|c| !(c.col == 0 && c.row > 0));
        second.cells[0].rows = 3;
        let joined = join_continued(&first, &second).expect("one table");
        let text = |r: usize, c: usize| joined.covering(r, c).map(|x| x.text.clone());
        assert_eq!(text(1, 1).as_deref(), Some("1.申请人逾期不补正的"));
        assert_eq!(text(1, 0).as_deref(), Some("(六)其他处理"));
        assert_eq!(
            text(3, 0).as_deref(),
            Some("(六)其他处理"),
            "the group goes on"
        );
        assert_eq!(text(2, 1).as_deref(), Some("2.逾期未缴费"));
        assert_eq!(joined.n_rows, 4);
    }

    #[test]
    fn a_repeated_header_is_found_where_it_stands_not_by_its_column_number() {
        // The first part has a column line the second lacks (a merged label cell split it),
        // so the second's column numbers are one less for the same places on the page.
        let first = page_grid(5, &[&["", "项目", "自然人"], &["三", "（七）总计", "6"]]);
        let mut second = page_grid(
            6,
            &[
                &["", "项目", "自然人"],
                &["", "", "3"],
                &["四", "结转", "1"],
            ],
        );
        for cell in second.cells.iter_mut().filter(|c| c.col > 0) {
            cell.col -= 1;
        }
        let joined = join_continued(&first, &second).expect("one table");
        let texts: Vec<&str> = joined.cells.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts.iter().filter(|t| **t == "项目").count(),
            1,
            "{texts:?}"
        );
        assert!(texts.contains(&"63"), "{texts:?}");
    }

    #[test]
    fn page_numbers_are_furniture() {
        assert!(is_furniture("- 3 -"));
        assert!(is_furniture("第 3 页"));
        assert!(is_furniture("3/5"));
        assert!(!is_furniture("三、收到和处理政府信息公开申请情况"));
    }
}
