//! Tables from ruling lines, as pdfplumber and Camelot's lattice mode find them: the
//! horizontal and vertical edges of a page, snapped and joined; lines that cross form a
//! table; the distinct positions of its lines cut it into elementary cells; neighbouring
//! elementary cells with no line between them are one (merged) cell.

use super::content::Segment;

/// Lines closer than this (points) are one line; ends closer than this meet.
const TOLERANCE: f64 = 2.5;

/// A line after snapping: `at` is y for a horizontal line, x for a vertical one; it runs
/// from `from` to `to` along the other axis. Coordinates are y-down from the page top.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Line {
    at: f64,
    from: f64,
    to: f64,
}

/// A cell of a ruled table: its place in the table's elementary grid and its box.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RuledCell {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    pub x0: f64,
    pub top: f64,
    pub x1: f64,
    pub bottom: f64,
}

impl RuledCell {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x0 && x <= self.x1 && y >= self.top && y <= self.bottom
    }
}

/// A ruled table: its column and row boundaries and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RuledTable {
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
    pub cells: Vec<RuledCell>,
}

impl RuledTable {
    pub fn top(&self) -> f64 {
        self.ys.first().copied().unwrap_or(0.0)
    }

    pub fn bottom(&self) -> f64 {
        self.ys.last().copied().unwrap_or(0.0)
    }

    pub fn contains(&self, x: f64, y: f64) -> bool {
        let (Some(&x0), Some(&x1)) = (self.xs.first(), self.xs.last()) else {
            return false;
        };
        x >= x0 && x <= x1 && y >= self.top() && y <= self.bottom()
    }
}

/// Most elementary cells one table may have (hostile input: thousands of crossing lines).
const MAX_ELEMENTARY: usize = 100_000;

/// The ruled tables of a page, top to bottom. `height` turns PDF's y-up into y-down.
pub(crate) fn tables(segments: &[Segment], height: f64) -> Vec<RuledTable> {
    let mut horizontal = Vec::new();
    let mut vertical = Vec::new();
    for s in segments {
        let (y0, y1) = (height - s.y0, height - s.y1);
        if (s.y0 - s.y1).abs() < 0.5 {
            horizontal.push(Line {
                at: (y0 + y1) / 2.0,
                from: s.x0.min(s.x1),
                to: s.x0.max(s.x1),
            });
        } else if (s.x0 - s.x1).abs() < 0.5 {
            vertical.push(Line {
                at: (s.x0 + s.x1) / 2.0,
                from: y0.min(y1),
                to: y0.max(y1),
            });
        }
    }
    let horizontal = snap(horizontal);
    let vertical = snap(vertical);
    let mut found: Vec<RuledTable> = components(&horizontal, &vertical)
        .into_iter()
        .filter_map(|(h, v)| table(&h, &v))
        .collect();
    found.sort_by(|a, b| a.top().total_cmp(&b.top()));
    found
}

fn crosses(h: &Line, v: &Line) -> bool {
    v.at >= h.from - TOLERANCE
        && v.at <= h.to + TOLERANCE
        && h.at >= v.from - TOLERANCE
        && h.at <= v.to + TOLERANCE
}

/// Lines at (nearly) the same position are one position; overlapping or touching lines
/// at one position are one line.
fn snap(mut lines: Vec<Line>) -> Vec<Line> {
    lines.retain(|l| {
        l.to - l.from > 0.5 && l.at.is_finite() && l.from.is_finite() && l.to.is_finite()
    });
    lines.sort_by(|a, b| a.at.total_cmp(&b.at));
    let mut groups: Vec<Vec<Line>> = Vec::new();
    for line in lines {
        match groups.last_mut() {
            Some(group) if line.at - group[0].at <= TOLERANCE => group.push(line),
            _ => groups.push(vec![line]),
        }
    }
    let mut out = Vec::new();
    for mut group in groups {
        let at = group.iter().map(|l| l.at).sum::<f64>() / group.len() as f64;
        group.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut current: Option<Line> = None;
        for l in group {
            current = match current {
                Some(c) if l.from <= c.to + TOLERANCE => Some(Line {
                    to: c.to.max(l.to),
                    ..c
                }),
                Some(c) => {
                    out.push(c);
                    Some(Line { at, ..l })
                }
                None => Some(Line { at, ..l }),
            };
        }
        out.extend(current);
    }
    out
}

/// Groups of lines connected by crossings.
fn components(horizontal: &[Line], vertical: &[Line]) -> Vec<(Vec<Line>, Vec<Line>)> {
    let n = horizontal.len() + vertical.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, h) in horizontal.iter().enumerate() {
        for (j, v) in vertical.iter().enumerate() {
            if crosses(h, v) {
                let (a, b) = (
                    root(&mut parent, i),
                    root(&mut parent, horizontal.len() + j),
                );
                parent[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Line>, Vec<Line>)> = Default::default();
    for (i, h) in horizontal.iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in vertical.iter().enumerate() {
        groups
            .entry(root(&mut parent, horizontal.len() + j))
            .or_default()
            .1
            .push(*v);
    }
    groups.into_values().collect()
}

/// Sorted distinct positions, those within the tolerance taken as one.
fn positions(lines: &[Line]) -> Vec<f64> {
    let mut at: Vec<f64> = lines.iter().map(|l| l.at).collect();
    at.sort_by(f64::total_cmp);
    at.dedup_by(|b, a| *b - *a <= TOLERANCE);
    at
}

/// Whether a line at `at` runs over `from..to` (its ends within the tolerance).
fn ruled(lines: &[Line], at: f64, from: f64, to: f64) -> bool {
    lines.iter().any(|l| {
        (l.at - at).abs() <= TOLERANCE && l.from <= from + TOLERANCE && l.to >= to - TOLERANCE
    })
}

/// A table cut by a page break often has no line where it is cut: its vertical lines run on
/// past the last horizontal one (or start before the first). The cut is a border.
fn with_cut_borders(horizontal: &[Line], vertical: &[Line]) -> Vec<Line> {
    let mut lines = horizontal.to_vec();
    let (Some(first), Some(last)) = (
        horizontal.iter().map(|l| l.at).min_by(f64::total_cmp),
        horizontal.iter().map(|l| l.at).max_by(f64::total_cmp),
    ) else {
        return lines;
    };
    let from = vertical.iter().map(|l| l.at).fold(f64::MAX, f64::min);
    let to = vertical.iter().map(|l| l.at).fold(f64::MIN, f64::max);
    let ends = |past: &dyn Fn(&Line) -> Option<f64>| {
        let reach: Vec<f64> = vertical.iter().filter_map(past).collect();
        (reach.len() >= 2).then(|| reach.iter().sum::<f64>() / reach.len() as f64)
    };
    if let Some(at) = ends(&|v| (v.to > last + TOLERANCE).then_some(v.to)) {
        lines.push(Line { at, from, to });
    }
    if let Some(at) = ends(&|v| (v.from < first - TOLERANCE).then_some(v.from)) {
        lines.push(Line { at, from, to });
    }
    lines
}

fn table(horizontal: &[Line], vertical: &[Line]) -> Option<RuledTable> {
    let horizontal = &snap(with_cut_borders(horizontal, vertical));
    let xs = positions(vertical);
    let ys = positions(horizontal);
    if xs.len() < 2 || ys.len() < 2 || (xs.len() - 1) * (ys.len() - 1) > MAX_ELEMENTARY {
        return None;
    }
    let (cols, rows) = (xs.len() - 1, ys.len() - 1);
    let index = |r: usize, c: usize| r * cols + c;
    let mut parent: Vec<usize> = (0..rows * cols).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for r in 0..rows {
        for c in 0..cols {
            if c + 1 < cols && !ruled(vertical, xs[c + 1], ys[r], ys[r + 1]) {
                let (a, b) = (
                    root(&mut parent, index(r, c)),
                    root(&mut parent, index(r, c + 1)),
                );
                parent[a] = b;
            }
            if r + 1 < rows && !ruled(horizontal, ys[r + 1], xs[c], xs[c + 1]) {
                let (a, b) = (
                    root(&mut parent, index(r, c)),
                    root(&mut parent, index(r + 1, c)),
                );
                parent[a] = b;
            }
        }
    }
    // Each merged group's extent in rows and columns.
    let mut extent: std::collections::BTreeMap<usize, (usize, usize, usize, usize, usize)> =
        Default::default();
    for r in 0..rows {
        for c in 0..cols {
            let g = root(&mut parent, index(r, c));
            let e = extent.entry(g).or_insert((r, c, r, c, 0));
            *e = (e.0.min(r), e.1.min(c), e.2.max(r), e.3.max(c), e.4 + 1);
        }
    }
    let mut cells: Vec<RuledCell> = extent
        .into_values()
        .filter(|&(r0, c0, r1, c1, _)| {
            // A cell has lines left and right, and above or below it; only where a page
            // break cuts the table may both be missing. Space outside an irregular table
            // lacks them.
            let top = ruled(horizontal, ys[r0], xs[c0], xs[c1 + 1]);
            let bottom = ruled(horizontal, ys[r1 + 1], xs[c0], xs[c1 + 1]);
            let at_edge = r0 == 0 || r1 + 1 == rows;
            ruled(vertical, xs[c0], ys[r0], ys[r1 + 1])
                && ruled(vertical, xs[c1 + 1], ys[r0], ys[r1 + 1])
                && (top || bottom || at_edge)
        })
        .map(|(r0, c0, r1, c1, _)| RuledCell {
            row: r0,
            col: c0,
            rows: r1 - r0 + 1,
            cols: c1 - c0 + 1,
            x0: xs[c0],
            top: ys[r0],
            x1: xs[c1 + 1],
            bottom: ys[r1 + 1],
        })
        .collect();
    if cells.len() < 2 {
        return None;
    }
    cells.sort_by_key(|c| (c.row, c.col));
    Some(RuledTable { xs, ys, cells })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f64, x0: f64, x1: f64) -> Segment {
        Segment {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }

    fn v(x: f64, y0: f64, y1: f64) -> Segment {
        Segment {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    #[test]
    fn a_grid_with_a_merged_header() {
        // y-up page of height 100: rows at y 90, 80, 70; columns at x 0, 10, 20.
        let segments = [
            h(90.0, 0.0, 20.0),
            h(80.0, 0.0, 20.0),
            h(70.0, 0.0, 20.0),
            v(0.0, 70.0, 90.0),
            v(20.0, 70.0, 90.0),
            // The middle line stops at the header: the header spans both columns.
            v(10.0, 70.0, 80.0),
        ];
        let tables = tables(&segments, 100.0);
        assert_eq!(tables.len(), 1);
        let t = &tables[0];
        assert_eq!((t.xs.len(), t.ys.len()), (3, 3));
        assert_eq!(t.cells.len(), 3);
        let header = &t.cells[0];
        assert_eq!(
            (header.row, header.col, header.rows, header.cols),
            (0, 0, 1, 2)
        );
        assert_eq!((header.top, header.bottom), (10.0, 20.0));
        assert!(t.cells[2].contains(15.0, 25.0));
    }

    #[test]
    fn nearby_and_broken_lines_snap_together() {
        let segments = [
            h(90.0, 0.0, 12.0),
            h(90.4, 11.0, 20.0),
            h(70.0, 0.0, 20.0),
            v(0.2, 70.0, 90.0),
            v(10.0, 70.5, 89.6),
            v(20.0, 70.0, 90.0),
        ];
        let t = &tables(&segments, 100.0)[0];
        assert_eq!(t.cells.len(), 2);
        assert_eq!(
            (t.cells[1].col, t.cells[1].rows, t.cells[1].cols),
            (1, 1, 1)
        );
    }

    #[test]
    fn a_table_cut_by_a_page_break_keeps_its_open_row() {
        // Vertical lines run 10 points below the last horizontal line.
        let segments = [
            h(90.0, 0.0, 20.0),
            h(80.0, 0.0, 20.0),
            v(0.0, 70.0, 90.0),
            v(10.0, 70.0, 90.0),
            v(20.0, 70.0, 90.0),
        ];
        let t = &tables(&segments, 100.0)[0];
        assert_eq!(t.ys.len(), 3);
        assert_eq!(t.cells.len(), 4);
        assert_eq!(t.bottom(), 30.0);
    }

    #[test]
    fn lone_lines_are_no_table() {
        assert!(tables(&[h(50.0, 0.0, 100.0), h(40.0, 0.0, 100.0)], 100.0).is_empty());
    }
}
