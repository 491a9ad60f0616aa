//! Tables given as rows of cells, each row with its cells' boundaries and merge flags, as
//! Word 97 documents and RTF give them: the grid's columns are the boundaries of all rows
//! together, and each cell covers the columns between its own. The rows then go through
//! DOCX's rendering, so that every Word format gives the same text and grids.

use crate::docx::{render, CellBuf, TableBuf};
use crate::grid::Grid;

/// Cell boundaries (in twips) closer than this are one grid column boundary: rows of one
/// table drawn by hand rarely line up to the twip.
const BOUNDARY_TOLERANCE: i32 = 20;

/// A row's cells: their boundaries (twips, one more than the cells) and, per cell, its
/// horizontal and vertical merge flags.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct RowDefinition {
    pub(crate) bounds: Vec<i32>,
    /// 2: the cell is merged into the one before it (Word 6's way of merging).
    pub(crate) horizontal: Vec<u8>,
    /// 1: the cell continues the one above it; 3: it starts a vertical merge.
    pub(crate) vertical: Vec<u8>,
}

/// A table row as read: its cells' text and its definition, when the row's end mark has
/// one.
pub(crate) struct RawRow {
    pub(crate) cells: Vec<String>,
    pub(crate) definition: Option<RowDefinition>,
}

/// Adds a paragraph's text to a cell's, a space between them (a cell is one line of the
/// text: its tabs and line breaks become spaces).
pub(crate) fn join_cell_text(cell: &mut String, text: &str) {
    let text = text.replace(['\t', '\n'], " ");
    if text.trim().is_empty() {
        return;
    }
    if !cell.is_empty() {
        cell.push(' ');
    }
    cell.push_str(&text);
}

/// Writes the rows read so far as a table (text and grid), if any.
pub(crate) fn finish_table(rows: &mut Vec<RawRow>, out: &mut String, grids: &mut Vec<Grid>) {
    if rows.is_empty() {
        return;
    }
    let table = table_of(std::mem::take(rows));
    let (text, mut grid) = render(&table);
    grid.shift(out.len());
    out.push_str(&text);
    grids.push(grid);
}

/// The rows as a grid's cells: each cell covers the grid columns between its boundaries
/// (the boundaries of all rows together make the columns); a row without a definition
/// that fits its cells gives a column a cell.
fn table_of(rows: Vec<RawRow>) -> TableBuf {
    let mut all: Vec<i32> = rows
        .iter()
        .filter_map(|r| r.definition.as_ref())
        .flat_map(|d| d.bounds.iter().copied())
        .collect();
    all.sort_unstable();
    let mut columns: Vec<i32> = Vec::new();
    for b in all {
        if columns
            .last()
            .is_none_or(|&last| b - last > BOUNDARY_TOLERANCE)
        {
            columns.push(b);
        }
    }
    let column_of = |b: i32| columns.partition_point(|&c| c + BOUNDARY_TOLERANCE < b);
    let rows = rows
        .into_iter()
        .map(|row| {
            let fits = row
                .definition
                .as_ref()
                .filter(|d| d.bounds.len() == row.cells.len() + 1);
            let mut cells: Vec<CellBuf> = Vec::new();
            for (i, text) in row.cells.into_iter().enumerate() {
                let (span, horizontal, vertical) = match fits {
                    Some(d) => (
                        column_of(d.bounds[i + 1]).saturating_sub(column_of(d.bounds[i])),
                        d.horizontal.get(i).copied().unwrap_or(0),
                        d.vertical.get(i).copied().unwrap_or(0),
                    ),
                    None => (1, 0, 0),
                };
                match (horizontal, cells.last_mut()) {
                    (2, Some(previous)) => {
                        previous.span += span;
                        join_cell_text(&mut previous.text, &text);
                    }
                    _ => cells.push(CellBuf {
                        text,
                        span: span.max(1),
                        merged: vertical == 1,
                    }),
                }
            }
            cells
        })
        .collect();
    TableBuf { rows }
}

/// The test table every Word format's reader builds: "三、结果" over two rows beside
/// "(一)予以公开" | "8", then "(二)部分公开" across the two columns right of it.
#[cfg(test)]
pub(crate) fn assert_merged_test_table(text: &str, grids: &[Grid]) {
    assert_eq!(grids.len(), 1);
    let group = grids[0].covering(1, 0).unwrap();
    assert_eq!((group.text.as_str(), group.rows), ("三、结果", 2));
    let merged = grids[0].covering(1, 2).unwrap();
    assert_eq!(
        (merged.text.as_str(), merged.col, merged.cols),
        ("(二)部分公开", 1, 2)
    );
    assert_eq!(&text[merged.start..merged.end], "(二)部分公开");
}
