//! Plain text whose tables are laid out with runs of spaces (what `pdftotext -layout` and
//! some crawlers write): each character becomes a glyph at its display column and line, and
//! the same alignment reader that finds PDF tables without ruling finds these, so a blank
//! cell stays blank in its column and a wrapped label joins its row.

use crate::grid::{Grid, GridCell, GridSource};
use crate::pdf::{aligned, Glyph};
use std::collections::HashMap;

/// Line pitch in units of one display column (a line is a little taller than a character).
const PITCH: f64 = 1.2;

/// Display columns a character takes: CJK and full-width forms two, others one.
fn width(ch: char) -> f64 {
    if (ch as u32) >= 0x2E80 {
        2.0
    } else {
        1.0
    }
}

/// Lines with words apart by a run of two spaces or more (and no tab).
fn is_spaced(line: &str) -> bool {
    !line.contains('\t') && line.trim().contains("  ")
}

/// Lines this far from a spaced line may still belong to its table (a label wrapped over
/// several lines, header lines).
const REACH: usize = 8;

/// The grids of the document text's space-aligned tables; cell ranges in `text`.
pub(crate) fn grids(text: &str) -> Vec<Grid> {
    if text.lines().filter(|l| is_spaced(l)).take(3).count() < 3 {
        return Vec::new();
    }
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .scan(0, |at, piece| {
            let start = *at;
            *at += piece.len();
            Some((start, piece.trim_end_matches('\n')))
        })
        .collect();
    let height = (lines.len() as f64 + 1.0) * PITCH;
    let mut glyphs = Vec::new();
    let mut offset_of: HashMap<(usize, i64), usize> = HashMap::new();
    // Only the lines near spaced lines are looked at: prose is no table.
    let mut near = vec![false; lines.len()];
    for (n, (_, line)) in lines.iter().enumerate() {
        if is_spaced(line) {
            let from = n.saturating_sub(REACH);
            let to = (n + REACH + 1).min(lines.len());
            near[from..to].iter_mut().for_each(|x| *x = true);
        }
    }
    for (n, (start, line)) in lines.iter().enumerate() {
        if line.contains('\t') || !near[n] {
            continue;
        }
        let mut column = 0.0;
        for (i, ch) in line.char_indices() {
            let w = width(ch);
            if !ch.is_whitespace() {
                glyphs.push(Glyph {
                    ch,
                    x: column,
                    y: height - (n as f64 + 1.0) * PITCH,
                    width: w,
                    size: 1.0,
                });
                offset_of.insert((n, column as i64), start + i);
            }
            column += w;
        }
    }
    let (tables, _) = aligned::tables(glyphs, height);
    let locate = |g: &Glyph| {
        let n = ((height - g.y) / PITCH).round() as usize - 1;
        offset_of
            .get(&(n, g.x as i64))
            .map(|&at| (at, at + g.ch.len_utf8()))
    };
    tables
        .into_iter()
        .map(|t| {
            let mut grid = Grid::new(GridSource::SpacedText);
            // A blank cell sits where its row's first character is.
            let row_start: HashMap<usize, usize> = t
                .table
                .cells
                .iter()
                .zip(&t.cells)
                .filter_map(|(c, g)| {
                    Some((c.row, g.iter().filter_map(&locate).map(|r| r.0).min()?))
                })
                .fold(HashMap::new(), |mut m, (row, at)| {
                    let e = m.entry(row).or_insert(at);
                    *e = (*e).min(at);
                    m
                });
            for (cell, glyphs) in t.table.cells.iter().zip(t.cells) {
                let text: String = crate::pdf::lines_text(glyphs.clone());
                let ranges: Vec<(usize, usize)> = glyphs.iter().filter_map(&locate).collect();
                let at = row_start.get(&cell.row).copied().unwrap_or(0);
                let start = ranges.iter().map(|r| r.0).min().unwrap_or(at);
                let end = ranges.iter().map(|r| r.1).max().unwrap_or(at);
                grid.push(GridCell {
                    row: cell.row,
                    col: cell.col,
                    rows: cell.rows,
                    cols: cell.cols,
                    text,
                    start,
                    end,
                    bbox: None,
                });
            }
            grid.n_rows = grid.n_rows.max(t.table.ys.len().saturating_sub(1));
            grid
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_spaces_become_a_grid_with_blanks_in_place() {
        let text = "信息内容        制发    废止    有效\n\
                    行政规范        8               7\n\
                    性文件\n\
                    规章            0       0       0\n";
        let grids = grids(text);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        let cell = |r: usize, c: usize| g.covering(r, c).map(|x| x.text.clone());
        assert_eq!(cell(1, 0).as_deref(), Some("行政规范性文件"));
        assert_eq!(cell(1, 1).as_deref(), Some("8"));
        assert_eq!(cell(1, 2).as_deref(), Some(""));
        assert_eq!(cell(2, 3).as_deref(), Some("0"));
        let seven = g.covering(1, 3).unwrap();
        assert_eq!(&text[seven.start..seven.end], "7");
    }
}
