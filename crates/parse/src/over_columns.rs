//! Columns found from how laid-out text lines up (a `SpacedText` grid) against the text's
//! own reading of the same table. Those columns are a heuristic, not the format's
//! structure: a browser's print sets a row's values apart from its label, wraps labels
//! round them and lets headers drift, so a row may fall across the wrong columns. Where
//! the two readings differ, the one the table's arithmetic bears out stands.

use crate::column_wraps::{self, LinePlan};
use crate::layout::{layouts, TableLayout, IGNORED_CELL};
use crate::read::{CellRead, TableRead};
use crate::split::RowCheck;
use nianbao_ingest::Document;
use nianbao_model::{Doubt, ReadMethod};

/// Whether the text's reading of a table in the form's order, every cell of it (values
/// exactly the cells, rows adding up), stands over columns found from how laid-out text
/// lines up: those columns place values by the nearest label, which a browser's print
/// sets apart from its values.
pub(crate) fn in_order_over_columns(grid: &TableRead, text: &TableRead) -> bool {
    let in_order = |c: &CellRead| c.doubt.as_deref() == Some(&Doubt::InTableOrder);
    grid.cells
        .iter()
        .all(|c| c.method == ReadMethod::TextColumns)
        && !text.cells.is_empty()
        && text.cells.iter().all(in_order)
        && grid
            .cells
            .iter()
            .all(|g| text.cells.iter().any(|t| t.key == g.key))
}

/// Whether the text's reading of a table stands over columns found from how laid-out text
/// lines up because the arithmetic bears it out: it reads every cell the columns read,
/// doubts none, and every row of it adds up, while some row of the columns' reading does
/// not, or is blank where the text read a value. (Rows read shifted by one add up each;
/// the row where the shift starts or ends does not.)
pub(crate) fn adding_up_over_columns(grid: &TableRead, text: &TableRead) -> bool {
    let from_columns = |c: &CellRead| c.method == ReadMethod::TextColumns;
    if !grid.cells.iter().all(from_columns)
        || text.cells.iter().any(|c| c.doubt.is_some())
        || !grid
            .cells
            .iter()
            .all(|g| text.cells.iter().any(|t| t.key == g.key))
    {
        return false;
    }
    let Some(layout) = layout_of(grid) else {
        return false;
    };
    if !matches!(layout.split, RowCheck::Total | RowCheck::GroupTotals(_)) {
        return false;
    }
    let (mut text_rows, mut columns_fail) = (0, false);
    for keys in rows(layout) {
        if keys.len() < 2 || keys.contains(&IGNORED_CELL) {
            continue;
        }
        let (by_text, by_columns) = (row_of(text, keys), row_of(grid, keys));
        if by_text.iter().all(Option::is_none) {
            continue;
        }
        if !adds_up(&by_text, layout.split) {
            return false;
        }
        text_rows += 1;
        columns_fail |= by_columns != by_text
            && (!adds_up(&by_columns, layout.split) || blank_where_printed(&by_columns, &by_text));
    }
    text_rows > 0 && columns_fail
}

/// Rows the columns misread, taken out of `grid` for the text's reading to fill as it
/// fills the cells the columns missed (doubted: read by the order of the values): rows the
/// columns read blank in every cell while the text reads printed values there, and rows
/// the text reads whole, undoubted and adding up while the columns' reading of them does
/// not add up or is blank where the text read a value. Columns found from how the text
/// lines up may hold a row in its label's cell ("行政许可 244 +35 2888" with the next
/// row's words and values) and leave its own cells empty, or take a row's values closer
/// than its spaces ("8 1 0 0 0") as one cell.
pub(crate) fn drop_rows_misread_by_columns(grid: &mut TableRead, text: &TableRead) {
    let Some(layout) = layout_read_by_columns(grid) else {
        return;
    };
    drop_rows(grid, layout, |grid, keys| {
        let from_columns = keys.iter().all(|k| {
            grid.cells
                .iter()
                .all(|c| c.key != *k || c.method == ReadMethod::TextColumns)
        });
        from_columns && misread_by_columns(text, grid, keys, layout.split)
    });
}

/// The layout of a table of which columns found from laid-out text read some cells.
fn layout_read_by_columns(grid: &TableRead) -> Option<&'static TableLayout> {
    let by_columns = grid
        .cells
        .iter()
        .any(|c| c.method == ReadMethod::TextColumns);
    by_columns.then(|| layout_of(grid)).flatten()
}

/// Takes out of `grid` the rows (their keys but the ignored cells) `drop` names.
fn drop_rows(
    grid: &mut TableRead,
    layout: &TableLayout,
    drop: impl Fn(&TableRead, &[&str]) -> bool,
) {
    for row in rows(layout) {
        let keys = kept_keys(row);
        if drop(grid, &keys) {
            grid.cells.retain(|c| !keys.contains(&c.key));
        }
    }
}

/// Whether the columns' reading of a row (`keys`) is wrong where the text's is read (see
/// `drop_rows_misread_by_columns`).
fn misread_by_columns(text: &TableRead, grid: &TableRead, keys: &[&str], check: RowCheck) -> bool {
    let (by_columns, by_text) = (row_of(grid, keys), row_of(text, keys));
    let printed = by_text.iter().any(|v| matches!(v, Some(Some(_))));
    if !printed || !by_text.iter().all(Option::is_some) {
        return false;
    }
    if by_columns.iter().all(|v| matches!(v, None | Some(None))) {
        return true;
    }
    let undoubted = keys
        .iter()
        .all(|k| text.cells.iter().all(|c| c.key != *k || c.doubt.is_none()));
    keys.len() >= 2
        && undoubted
        && by_columns != by_text
        && adds_up(&by_text, check)
        && (!adds_up(&by_columns, check) || blank_where_printed(&by_columns, &by_text))
}

/// Whether columns found from how laid-out text lines up read some row of the table blank
/// in every cell, or not adding up: the text's own reading is wanted beside them, as it
/// may hold the row (`drop_rows_misread_by_columns`).
pub(crate) fn columns_want_the_text(table: &TableRead) -> bool {
    let Some(layout) = layout_read_by_columns(table) else {
        return false;
    };
    let from_columns = |key: &&str| {
        table
            .cells
            .iter()
            .any(|c| c.key == *key && c.method == ReadMethod::TextColumns)
    };
    rows(layout).any(|row| {
        let keys = kept_keys(row);
        if keys.is_empty() || !keys.iter().all(from_columns) {
            return false;
        }
        let by_columns = row_of(table, &keys);
        by_columns.iter().all(|v| matches!(v, Some(None)))
            || keys.len() >= 2
                && matches!(layout.split, RowCheck::Total | RowCheck::GroupTotals(_))
                && !adds_up(&by_columns, layout.split)
    })
}

/// Rows whose values line a narrow column wrapped numbers over, taken out of `grid` for the
/// text's reading to fill (doubted, as it fills what columns found from laid-out text
/// missed). Columns found from how the text lines up read the values line alone and leave
/// the pieces above or under it ("５ ０ … ５" over "１ … １" for 51) in a row of their own
/// that no label names: 5 and 5 add up as 51 and 51 do, so the arithmetic cannot tell. The
/// text's reading puts the pieces into their numbers (`column_wraps`).
pub(crate) fn drop_rows_with_wrapped_numbers(grid: &mut TableRead, doc: &Document) {
    let Some(layout) = layout_read_by_columns(grid) else {
        return;
    };
    let lines = doc.lines();
    let first = lines.partition_point(|l| l.end <= grid.start);
    let last = lines.partition_point(|l| l.start < grid.end);
    let in_table = lines.get(first..last).unwrap_or_default();
    let texts: Vec<&str> = in_table.iter().map(|l| doc.line_text(l)).collect();
    let wrapped: Vec<(usize, usize)> = column_wraps::plan(&texts)
        .iter()
        .zip(in_table)
        .filter(|(plan, _)| matches!(plan, LinePlan::Values { .. }))
        .map(|(_, line)| (line.start, line.end))
        .collect();
    if wrapped.is_empty() {
        return;
    }
    let on_wrapped_line = |c: &CellRead| {
        c.method == ReadMethod::TextColumns
            && wrapped.iter().any(|&(s, e)| (s..e).contains(&c.start))
    };
    drop_rows(grid, layout, |grid, keys| {
        grid.cells
            .iter()
            .any(|c| keys.contains(&c.key) && on_wrapped_line(c))
    });
}

/// A row's keys but the cells the form leaves out (`IGNORED_CELL`).
fn kept_keys(row: &[&'static str]) -> Vec<&'static str> {
    row.iter().copied().filter(|k| *k != IGNORED_CELL).collect()
}

/// A row's cells as a table read them: each read value (`None` blank), `None` if unread.
fn row_of(table: &TableRead, keys: &[&str]) -> Vec<Option<Option<f64>>> {
    keys.iter()
        .map(|k| table.cells.iter().find(|c| c.key == *k).map(|c| c.value))
        .collect()
}

/// A layout's rows' keys, and its values in sequence as one row (表四's fifteen).
fn rows(layout: &TableLayout) -> impl Iterator<Item = &[&'static str]> {
    let sequence = (!layout.sequence.is_empty()).then_some(layout.sequence.as_slice());
    layout
        .rows
        .iter()
        .map(|r| r.cells.as_slice())
        .chain(sequence)
}

/// The layout of a table read: of its id and era, the one whose rows hold its first key.
fn layout_of(table: &TableRead) -> Option<&'static TableLayout> {
    let first = table.cells.first()?.key;
    layouts().iter().find(|l| {
        l.id == table.id && l.era == table.era && rows(l).any(|keys| keys.contains(&first))
    })
}

/// Whether every cell of a row was read (a blank counts as 0) and the row meets `check`.
fn adds_up(row: &[Option<Option<f64>>], check: RowCheck) -> bool {
    let Some(values) = row
        .iter()
        .map(|v| v.map(|v| v.unwrap_or(0.0)))
        .collect::<Option<Vec<f64>>>()
    else {
        return false;
    };
    let meets = || crate::split::meets(&values, &|v: &f64| *v, check);
    match check {
        RowCheck::Total => meets(),
        RowCheck::GroupTotals(size) => values.len().is_multiple_of(size) && meets(),
        RowCheck::Ascending | RowCheck::None => false,
    }
}

/// Whether the columns read a blank (or nothing) where the text read a printed value.
fn blank_where_printed(
    by_columns: &[Option<Option<f64>>],
    by_text: &[Option<Option<f64>>],
) -> bool {
    by_columns
        .iter()
        .zip(by_text)
        .any(|(c, t)| matches!(t, Some(Some(_))) && !matches!(c, Some(Some(_))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::TableId;

    /// 表三's first two rows (each a row of values and its total) as `method` read them.
    fn table(method: ReadMethod, rows: &[&[Option<f64>]]) -> TableRead {
        let layout = layouts()
            .iter()
            .find(|l| l.id == TableId::T3)
            .expect("a layout of 表三");
        let cells = layout
            .rows
            .iter()
            .zip(rows)
            .flat_map(|(row, values)| row.cells.iter().zip(values.iter()))
            .map(|(&key, &value)| CellRead {
                key,
                value,
                raw: String::new(),
                start: 0,
                end: 0,
                recovered: None,
                doubt: None,
                method,
                alternative: None,
            })
            .collect();
        TableRead {
            id: TableId::T3,
            era: layout.era,
            start: 0,
            end: 0,
            cells,
            unplaced: Vec::new(),
        }
    }

    const FIRST: [Option<f64>; 7] = [Some(2.0), Some(0.0), None, None, None, None, Some(2.0)];
    const SECOND: [Option<f64>; 7] = [Some(3.0), Some(1.0), None, None, None, None, Some(4.0)];
    const NOTHING: [Option<f64>; 7] = [None; 7];

    #[test]
    fn a_row_whose_numbers_a_narrow_column_wrapped_is_left_to_the_text() {
        // 21 and 21 wrapped: "2 … 2" on the first row's line, "1 … 1" under it.
        let text = format!(
            "一、本年新收   2 0 0 0 0 0 2\n{}1{}1\n二、上年结转   3 1 0 0 0 0 4\n",
            " ".repeat(9),
            " ".repeat(11)
        );
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).expect("text");
        let second_line = doc.lines()[2].start;
        let mut grid = table(ReadMethod::TextColumns, &[&FIRST, &SECOND]);
        for cell in grid.cells.iter_mut().skip(7) {
            cell.start = second_line;
        }
        grid.end = doc.text.len();
        drop_rows_with_wrapped_numbers(&mut grid, &doc);
        let keys: Vec<&str> = grid.cells.iter().map(|c| c.key).collect();
        assert_eq!(keys.len(), 7, "{keys:?}");
        assert!(keys.iter().all(|k| k.starts_with("t3.carried")), "{keys:?}");
        // Read from the format's own structure, not from laid-out text: kept.
        let mut from_grid = table(ReadMethod::Grid, &[&FIRST, &SECOND]);
        from_grid.end = doc.text.len();
        drop_rows_with_wrapped_numbers(&mut from_grid, &doc);
        assert_eq!(from_grid.cells.len(), 14);
    }

    #[test]
    fn the_text_stands_where_the_columns_read_a_row_shifted() {
        let text = table(ReadMethod::Stream, &[&FIRST, &SECOND]);
        // The columns took the second row's values for the first, and none for the second.
        let shifted = table(ReadMethod::TextColumns, &[&SECOND, &NOTHING]);
        assert!(adding_up_over_columns(&shifted, &text));
        // Columns that read what the text reads, or another reading that adds up, stand.
        let same = table(ReadMethod::TextColumns, &[&FIRST, &SECOND]);
        assert!(!adding_up_over_columns(&same, &text));
        let other = table(ReadMethod::TextColumns, &[&SECOND, &FIRST]);
        assert!(!adding_up_over_columns(&other, &text));
    }

    #[test]
    fn a_row_the_columns_read_blank_where_the_text_reads_values_is_left_to_the_text() {
        let blank = [None; 7];
        let text = table(ReadMethod::Stream, &[&FIRST, &blank]);
        let mut grid = table(ReadMethod::TextColumns, &[&blank, &blank]);
        drop_rows_misread_by_columns(&mut grid, &text);
        // The first row is the text's to fill; the second, blank in both, stays.
        let first_key = text.cells[0].key;
        assert!(grid.cells.iter().all(|c| c.key != first_key));
        assert_eq!(grid.cells.len(), 7);
        // A row the columns read a value in stands.
        let mut grid = table(ReadMethod::TextColumns, &[&SECOND, &blank]);
        drop_rows_misread_by_columns(&mut grid, &text);
        assert_eq!(grid.cells.len(), 14);
    }

    #[test]
    fn a_row_the_columns_read_not_adding_up_is_left_to_the_text_that_adds_it_up() {
        // Values closer than their spaces, taken as one cell: one value read, the rest blank.
        let one = [None, None, Some(2.0), None, None, None, None];
        let grid = table(ReadMethod::TextColumns, &[&one, &FIRST]);
        assert!(columns_want_the_text(&grid));
        assert!(!columns_want_the_text(&table(
            ReadMethod::TextColumns,
            &[&FIRST, &SECOND]
        )));
        let text = table(ReadMethod::Stream, &[&FIRST, &FIRST]);
        let mut dropped = grid.clone();
        drop_rows_misread_by_columns(&mut dropped, &text);
        assert_eq!(dropped.cells.len(), 7);
        // The first row is the text's; the second, read alike by both, stays.
        let first_row: Vec<&str> = text.cells[..7].iter().map(|c| c.key).collect();
        assert!(dropped.cells.iter().all(|c| !first_row.contains(&c.key)));
        // Not when the text doubts the row, or its reading does not add up either.
        let mut doubted = text.clone();
        doubted.cells[0].doubt = Some(Box::new(Doubt::TextColumns));
        let mut kept = grid.clone();
        drop_rows_misread_by_columns(&mut kept, &doubted);
        assert_eq!(kept.cells.len(), 14);
        let off = [Some(2.0), Some(1.0), None, None, None, None, Some(2.0)];
        let mut kept = grid;
        drop_rows_misread_by_columns(&mut kept, &table(ReadMethod::Stream, &[&off, &FIRST]));
        assert_eq!(kept.cells.len(), 14);
    }

    /// 表四's fifteen values in sequence as `method` read them.
    fn fourth(method: ReadMethod, values: [Option<f64>; 15]) -> TableRead {
        let layout = layouts()
            .iter()
            .find(|l| l.id == TableId::T4)
            .expect("a layout of 表四");
        let mut read = table(method, &[]);
        read.id = TableId::T4;
        read.era = layout.era;
        read.cells = layout
            .sequence
            .iter()
            .zip(values)
            .map(|(&key, value)| CellRead {
                key,
                value,
                ..table(method, &[&FIRST]).cells[0].clone()
            })
            .collect();
        read
    }

    #[test]
    fn the_text_is_read_beside_columns_that_read_a_row_blank_and_fills_it() {
        let blank = fourth(ReadMethod::TextColumns, [None; 15]);
        assert!(columns_want_the_text(&blank));
        let mut values = [Some(0.0); 15];
        (values[0], values[4]) = (Some(1.0), Some(1.0));
        let read = fourth(ReadMethod::TextColumns, values);
        assert!(!columns_want_the_text(&read));
        // 表三 with one row blank.
        assert!(columns_want_the_text(&table(
            ReadMethod::TextColumns,
            &[&FIRST, &NOTHING]
        )));
        assert!(!columns_want_the_text(&table(
            ReadMethod::Stream,
            &[&FIRST, &NOTHING]
        )));
        // 表四's values in sequence are one row: the text's reading fills them.
        let text = fourth(ReadMethod::Stream, values);
        let mut grid = blank;
        drop_rows_misread_by_columns(&mut grid, &text);
        assert!(grid.cells.is_empty());
    }

    #[test]
    fn the_text_stands_only_adding_up_undoubted_over_columns_only() {
        let shifted = table(ReadMethod::TextColumns, &[&SECOND, &NOTHING]);
        let broken = [Some(3.0), Some(1.0), None, None, None, None, Some(5.0)];
        let text = table(ReadMethod::Stream, &[&FIRST, &broken]);
        assert!(!adding_up_over_columns(&shifted, &text));
        let mut text = table(ReadMethod::Stream, &[&FIRST, &SECOND]);
        text.cells[0].doubt = Some(Box::new(Doubt::TextColumns));
        assert!(!adding_up_over_columns(&shifted, &text));
        let text = table(ReadMethod::Stream, &[&FIRST, &SECOND]);
        let ruled = table(ReadMethod::Grid, &[&SECOND, &NOTHING]);
        assert!(!adding_up_over_columns(&ruled, &text));
    }
}
