//! Tables as grids: every cell where it starts, how many rows and columns it covers, its
//! text and where that text is in the document. Formats that know their columns (HTML,
//! DOCX, pipe tables, ruled PDFs) give grids; `parse` reads a table's cells by their row and
//! column from them instead of by their order in the text.

/// Where a grid's rows and columns come from (and so how far its columns can be trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GridSource {
    /// `<table>` with rowspan and colspan.
    Html,
    /// A Word table: DOCX's `w:tbl` with gridSpan and vMerge, or a Word 97 document's rows
    /// with their cells' boundaries and vertical merges.
    Word,
    /// Pipe-table rows: one cell per column, merged cells repeated or left empty.
    Markdown,
    /// Lines of tab-separated cells.
    TabText,
    /// Plain text whose columns are laid out with runs of spaces: columns where its text
    /// lines up (a cell's range runs from its first character to its last).
    SpacedText,
    /// A PDF table found by its ruling lines.
    PdfRuled,
    /// A PDF table without lines, its columns found where its text lines up.
    PdfAligned,
}

impl GridSource {
    pub fn as_str(self) -> &'static str {
        match self {
            GridSource::Html => "html",
            GridSource::Word => "word",
            GridSource::Markdown => "markdown",
            GridSource::TabText => "tab_text",
            GridSource::SpacedText => "spaced_text",
            GridSource::PdfRuled => "pdf_ruled",
            GridSource::PdfAligned => "pdf_aligned",
        }
    }
}

/// A box on a PDF page, in points, y growing downwards from the top of the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellBox {
    pub page: u32,
    pub x0: f64,
    pub top: f64,
    pub x1: f64,
    pub bottom: f64,
    /// The cell's last line of text leaves no room for one more of its glyphs: the text
    /// may go on below the cell's box (a page break cut the row). Ruled tables only.
    pub last_line_full: bool,
}

/// One cell where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct GridCell {
    pub row: usize,
    pub col: usize,
    /// Rows and columns the cell covers (1 unless merged).
    pub rows: usize,
    pub cols: usize,
    /// The cell's text (lines inside a cell joined).
    pub text: String,
    /// Byte range of the cell's text in [`crate::Document::text`]: the text itself, or for
    /// spaced text, from its first character to its last.
    pub start: usize,
    pub end: usize,
    /// Where the cell is on its page (PDF).
    pub bbox: Option<CellBox>,
    /// The rest of the cell's text elsewhere in the text: the last digits of a number a page
    /// break cut, which open the next page (PDF).
    pub rest: Option<(usize, usize)>,
}

impl GridCell {
    pub fn covers(&self, row: usize, col: usize) -> bool {
        (self.row..self.row + self.rows).contains(&row)
            && (self.col..self.col + self.cols).contains(&col)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub source: GridSource,
    pub n_rows: usize,
    pub n_cols: usize,
    /// Whether a cell's column index is the same column in every row. Tab rows and pipe
    /// rows are when every row has as many cells (positions a merged cell covers kept
    /// empty); when rows have different counts, a writer left such positions out, or a
    /// converter cut rows up, and only the order of cells within a row is known.
    pub aligned: bool,
    /// Cells in row-major order of where they start.
    pub cells: Vec<GridCell>,
    /// The cell covering each position (row-major), made on first use.
    index: std::sync::OnceLock<Vec<Option<u32>>>,
}

impl Grid {
    pub fn new(source: GridSource) -> Grid {
        Grid {
            source,
            n_rows: 0,
            n_cols: 0,
            aligned: true,
            cells: Vec::new(),
            index: std::sync::OnceLock::new(),
        }
    }

    /// Marks rows of cells in order (tab or pipe rows) aligned only if there are two rows or
    /// more, each as long as the longest.
    pub(crate) fn check_rows_aligned(&mut self) {
        let n = self.n_cols;
        self.aligned = self.n_rows >= 2 && self.rows().iter().all(|cells| cells.len() == n);
    }

    /// The cells of each row (those starting in it), in order: one pass over the cells
    /// rather than one a row.
    pub fn rows(&self) -> Vec<Vec<&GridCell>> {
        // Each row's list made at its size: counted first, not grown cell by cell.
        let mut counts = vec![0usize; self.n_rows];
        for cell in &self.cells {
            if let Some(n) = counts.get_mut(cell.row) {
                *n += 1;
            }
        }
        let mut rows: Vec<Vec<&GridCell>> = counts.into_iter().map(Vec::with_capacity).collect();
        for cell in &self.cells {
            if let Some(row) = rows.get_mut(cell.row) {
                row.push(cell);
            }
        }
        rows
    }

    /// Adds a cell, growing the grid to hold it.
    pub fn push(&mut self, cell: GridCell) {
        self.n_rows = self.n_rows.max(cell.row + cell.rows);
        self.n_cols = self.n_cols.max(cell.col + cell.cols);
        self.cells.push(cell);
        self.index = std::sync::OnceLock::new();
    }

    /// The cell covering (row, col), if any.
    pub fn covering(&self, row: usize, col: usize) -> Option<&GridCell> {
        if row >= self.n_rows || col >= self.n_cols {
            return None;
        }
        let index = self.index.get_or_init(|| {
            let mut index = vec![None; self.n_rows * self.n_cols];
            for (i, c) in self.cells.iter().enumerate() {
                for r in c.row..(c.row + c.rows).min(self.n_rows) {
                    for k in c.col..(c.col + c.cols).min(self.n_cols) {
                        // The first cell placed at a position keeps it.
                        index[r * self.n_cols + k].get_or_insert(i as u32);
                    }
                }
            }
            index
        });
        index[row * self.n_cols + col].map(|i| &self.cells[i as usize])
    }

    /// The cells starting in `row`, left to right.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &GridCell> {
        self.cells.iter().filter(move |c| c.row == row)
    }

    /// The document range the grid's text covers.
    pub fn range(&self) -> Option<(usize, usize)> {
        let start = self.cells.iter().map(|c| c.start).min()?;
        let end = self.cells.iter().map(|c| c.end).max()?;
        Some((start, end))
    }

    /// Moves every text range by `by` bytes (the grid's text was placed after others).
    pub(crate) fn shift(&mut self, by: usize) {
        for cell in &mut self.cells {
            cell.start += by;
            cell.end += by;
            if let Some((start, end)) = &mut cell.rest {
                *start += by;
                *end += by;
            }
        }
    }

    /// Maps every text range through `map` (from the positions it was recorded in to the
    /// document's).
    pub(crate) fn remap(&mut self, map: impl Fn(usize) -> usize) {
        for cell in &mut self.cells {
            cell.start = map(cell.start);
            cell.end = map(cell.end).max(cell.start);
            cell.rest = cell
                .rest
                .map(|(start, end)| (map(start), map(end).max(map(start))));
        }
    }
}

/// Whether a run of tab lines is a table of rows: most lines hold two cells or more (one
/// cell per line behind a tab is a list of cells, not rows).
fn has_rows(grid: &Grid) -> bool {
    let rows_with_cells = grid
        .rows()
        .iter()
        .filter(|cells| cells.iter().filter(|c| !c.text.is_empty()).count() >= 2)
        .count();
    rows_with_cells >= 2 && rows_with_cells * 2 >= grid.n_rows
}

fn aligned(mut grid: Grid) -> Grid {
    grid.check_rows_aligned();
    grid
}

/// Lines of tab-separated cells in plain text: each run of such lines (blank lines inside
/// it allowed) whose lines are rows of cells is a grid of its cells in order. `text` is the
/// document text.
pub(crate) fn tab_grids(text: &str) -> Vec<Grid> {
    let mut grids = Vec::new();
    let mut current: Option<Grid> = None;
    for (start, end, _) in crate::scan::line_ranges(text) {
        let line = &text[start..end];
        if line.trim().is_empty() {
            continue;
        }
        if memchr::memchr(b'\t', line.as_bytes()).is_none() {
            grids.extend(current.take().filter(has_rows).map(aligned));
            continue;
        }
        let grid = current.get_or_insert_with(|| {
            let mut grid = Grid::new(GridSource::TabText);
            grid.cells.reserve(cells_in_run(text, start));
            grid
        });
        let row = grid.n_rows;
        let mut cell_start = start;
        for (col, cell) in line.split('\t').enumerate() {
            grid.push(GridCell {
                row,
                col,
                rows: 1,
                cols: 1,
                text: cell.trim().to_string(),
                start: cell_start,
                end: cell_start + cell.len(),
                bbox: None,
                rest: None,
            });
            cell_start += cell.len() + 1;
        }
        // A row of nothing but tabs still counts as a row.
        grid.n_rows = row + 1;
    }
    grids.extend(current.filter(has_rows).map(aligned));
    grids
}

/// How many cells the run of tab lines from `start` holds (tabs plus one a line, blank
/// lines passed over): a grid of tab rows is made at its size, its cells not copied as it
/// grows.
fn cells_in_run(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    crate::scan::line_ranges(rest)
        .map(|(from, to, _)| &rest[from..to])
        // Blank as `tab_grids` tells it.
        .filter(|line| !line.trim().is_empty())
        .map_while(|line| {
            let tabs = memchr::memchr_iter(b'\t', line.as_bytes()).count();
            (tabs > 0).then_some(tabs + 1)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_hold_what_each_row_is_asked_for() {
        let mut grid = Grid::new(GridSource::TabText);
        // Pushed out of row order, a cell spanning two rows among them.
        for (row, col, rows) in [(1, 0, 1), (0, 0, 2), (2, 1, 1), (0, 1, 1), (1, 1, 1)] {
            grid.push(GridCell {
                row,
                col,
                rows,
                cols: 1,
                text: format!("{row}{col}"),
                start: 0,
                end: 0,
                bbox: None,
                rest: None,
            });
        }
        let rows = grid.rows();
        assert_eq!(rows.len(), grid.n_rows);
        for (r, cells) in rows.iter().enumerate() {
            assert_eq!(cells, &grid.row(r).collect::<Vec<_>>(), "row {r}");
        }
    }

    #[test]
    fn tab_rows_become_ragged_grids() {
        let text = "标题\n规章\t0\t1\n\n行政规范性文件\t\t8\n正文\n\t规章\n\t0\n\t1\n";
        // The last three lines are one cell each behind a tab: no rows.
        let grids = tab_grids(text);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        assert_eq!((g.n_rows, g.n_cols), (2, 3));
        assert!(g.aligned);
        let blank = g.covering(1, 1).unwrap();
        assert_eq!(blank.text, "");
        let eight = g.covering(1, 2).unwrap();
        assert_eq!(&text[eight.start..eight.end], "8");
        // The run's cells counted ahead, as the grid is made at its size: the run from
        // 规章 holds its six cells; the one from \t规章, three lines of two.
        assert_eq!(
            cells_in_run(text, text.find("规章").unwrap()),
            g.cells.len()
        );
        assert_eq!(cells_in_run(text, text.find("\t规章").unwrap()), 6);
    }
}
