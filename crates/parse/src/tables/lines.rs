//! A table printed a row a line: each line's values read by the label it starts with, and
//! the values floating between labelled lines placed by order.

use super::labels::{first_at, is_item_number, misread_line};
use super::printed::note_line;
use super::tokens::{fit, to_cell, value_tokens};
use super::{ReadCell, Token};
use crate::layout::{Pattern, RowLayout, TableLayout, IGNORED_CELL};
use crate::stream::Stream;
use crate::value::{read_cell, CellValue};
use nianbao_model::ReadMethod;

/// A line of a row-per-line table: its label's row (if the line has one) and its values.
struct LineRow {
    row: Option<usize>,
    /// Where the line starts in the stream.
    start: usize,
    label_end: usize,
    tokens: Vec<Token>,
}

/// Reads a row-per-line table line by line. A line's row is the last row label on it that
/// has cells; a line with values but no label (labels displaced by a PDF conversion) takes
/// the next unfilled row between its labelled neighbours, when as many such lines as such
/// rows lie between them; in recognised text, first the row between them its words are
/// most like, if any (a label OCR misread). Labels without values on their line are
/// ignored.
pub(super) fn read_lines(
    stream: &Stream,
    layout: &TableLayout,
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let lines = line_rows(stream, layout, start, end);
    let assigned = rows_in_order(stream, lines, layout, end);
    cells_of_lines(stream, layout, assigned, start, end)
}

/// The region's lines of values, each with the row its label (on the line, or alone on the
/// line above) names, if any.
fn line_rows(stream: &Stream, layout: &TableLayout, start: usize, end: usize) -> Vec<LineRow> {
    let mut lines: Vec<LineRow> = Vec::new();
    let mut offset = start;
    // A label on a line of its own, waiting for the line of values under it; an item number
    // on a line of its own ("3."), whose label is on the next line.
    let mut label_alone: Option<usize> = None;
    let mut number_alone: Option<usize> = None;
    // Plain labels' places found once for the region, not searched again on every line.
    let plain = layout
        .row_labels()
        .occurrences(&stream.text[..end], start, layout.rows.len());
    for line in stream.text[start..end].split('\n') {
        let line_end = offset + line.len();
        let search_from = number_alone.take().unwrap_or(offset);
        if is_item_number(line) {
            number_alone = Some(offset);
            offset = line_end + 1;
            continue;
        }
        let labels: Vec<(usize, usize)> = layout
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.cells.is_empty())
            .filter_map(|(i, r)| {
                let found = match r.label {
                    Pattern::Texts { .. } => first_at(&plain[i], search_from, line_end),
                    Pattern::Regex(_) => r
                        .label
                        .find_at(&stream.text[..line_end], search_from)
                        .map(|m| m.end()),
                };
                found.map(|label_end| (i, label_end.max(offset)))
            })
            .collect();
        let label = labels.into_iter().max_by_key(|&(_, e)| e);
        let from = label.map_or(offset, |(_, e)| e);
        let wanted = label.map_or(usize::MAX, |(i, _)| layout.rows[i].cells.len());
        let tokens = value_tokens(stream, from, line_end, false, wanted);
        let numbers = tokens.iter().filter(|t| t.is_number()).count();
        // A label's line counts with numbers, or with empty cells of a tab row.
        let labelled_row =
            label.is_some() && (numbers > 0 || (!tokens.is_empty() && line.contains('\t')));
        let row = match (label, label_alone) {
            (Some((i, _)), _) => Some(i),
            (None, waiting) if numbers > 0 => waiting,
            _ => None,
        };
        if labelled_row || numbers >= 2 || (row.is_some() && numbers > 0) {
            lines.push(LineRow {
                row,
                start: offset,
                label_end: from,
                tokens,
            });
            label_alone = None;
        } else if let Some((i, _)) = label {
            label_alone = Some(i);
        }
        offset = line_end + 1;
    }
    lines
}

/// Each row's line: the labelled lines, and the unlabelled lines between two labelled ones
/// given in order to the rows between them when they are as many as those rows. Unlabelled
/// lines that do not fit are left out (the rows they may belong to stay unread).
fn rows_in_order(
    stream: &Stream,
    lines: Vec<LineRow>,
    layout: &TableLayout,
    end: usize,
) -> Vec<(usize, LineRow)> {
    let mut assigned: Vec<(usize, LineRow)> = Vec::new();
    let labelled: Vec<usize> = lines.iter().filter_map(|l| l.row).collect();
    let mut pending: Vec<LineRow> = Vec::new();
    let mut previous: Option<usize> = None;
    for line in lines.into_iter().chain(std::iter::once(LineRow {
        row: Some(layout.rows.len()),
        start: end,
        label_end: end,
        tokens: Vec::new(),
    })) {
        let Some(row) = line.row else {
            pending.push(line);
            continue;
        };
        // Unlabelled lines between two labelled ones fill the rows between them in order.
        let mut gap: Vec<usize> = (previous.map_or(0, |p| p + 1)..row.min(layout.rows.len()))
            .filter(|i| !layout.rows[*i].cells.is_empty() && !labelled.contains(i))
            .collect();
        if stream.recognised {
            pending = misread_lines(stream, layout, pending, &mut gap, &mut assigned);
        }
        let usable: Vec<LineRow> = pending
            .drain(..)
            .filter(|l| {
                l.tokens.iter().filter(|t| t.is_number()).count() * 2
                    >= layout.rows[gap.first().copied().unwrap_or(0)].cells.len()
            })
            .collect();
        if !gap.is_empty() && gap.len() == usable.len() {
            assigned.extend(gap.into_iter().zip(usable));
        }
        if row < layout.rows.len() {
            previous = Some(row);
            assigned.push((row, line));
        }
    }
    assigned
}

/// In recognised text, the unlabelled lines whose words name one of the `gap`'s rows as OCR
/// misread them (`misread_line`; a line after one so named, a row after its row): each is
/// assigned that row, which leaves the gap. The other lines are handed back.
fn misread_lines(
    stream: &Stream,
    layout: &TableLayout,
    pending: Vec<LineRow>,
    gap: &mut Vec<usize>,
    assigned: &mut Vec<(usize, LineRow)>,
) -> Vec<LineRow> {
    let mut left = Vec::new();
    let mut named: Option<usize> = None;
    for line in pending {
        let text = stream.text[line.start..]
            .split('\n')
            .next()
            .unwrap_or_default();
        let open: Vec<usize> = gap
            .iter()
            .copied()
            .filter(|&i| named.is_none_or(|n| i > n))
            .collect();
        match misread_line(layout, text, &open) {
            Some((row, _, _)) => {
                gap.retain(|&i| i != row);
                named = Some(row);
                assigned.push((row, line));
            }
            None => left.push(line),
        }
    }
    left
}

/// The cells of each row's line, fitted to the row's cells; a row one value short takes a
/// value lifted out of the table when its note names the row's column.
fn cells_of_lines(
    stream: &Stream,
    layout: &TableLayout,
    assigned: Vec<(usize, LineRow)>,
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let mut floating = floating_cells(stream, layout, start, end).into_iter();
    let mut cells = Vec::new();
    let mut done: Vec<usize> = Vec::new();
    for (row_index, line) in assigned {
        if done.contains(&row_index) {
            continue;
        }
        done.push(row_index);
        let row = &layout.rows[row_index];
        let fitted = fit(line.tokens.clone(), row.cells.len(), layout.total_last);
        let short = row.cells.len() >= 2 && fitted.iter().filter(|t| t.is_none()).count() == 1;
        let placed = match short {
            true => floating
                .next()
                .and_then(|f| place_floating(row, &line.tokens, f)),
            false => None,
        };
        if let Some((tokens, note)) = placed {
            for (key, token) in row.cells.iter().zip(tokens) {
                if *key == IGNORED_CELL {
                    continue;
                }
                let mut cell = to_cell(stream, key, Some(token), line.label_end);
                cell.recovered = Some(note.clone());
                cell.method = ReadMethod::Derived;
                cells.push(cell);
            }
            continue;
        }
        for (key, token) in row.cells.iter().zip(fitted) {
            if *key != IGNORED_CELL {
                cells.push(to_cell(stream, key, token, line.label_end));
            }
        }
    }
    cells
}

/// A value lifted out of its row, with the column its note names.
struct Floating {
    token: Token,
    column: String,
    printed: String,
}

/// Values a PDF conversion lifted above a row-per-line table: a line holding one number,
/// then a line that is only a note in parentheses naming a column (`note_columns`).
fn floating_cells(
    stream: &Stream,
    layout: &TableLayout,
    start: usize,
    end: usize,
) -> Vec<Floating> {
    if layout.note_columns.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut offset = start;
    let lines: Vec<(usize, &str)> = stream.text[start..end]
        .split('\n')
        .map(|line| {
            let at = offset;
            offset += line.len() + 1;
            (at, line)
        })
        .collect();
    for pair in lines.windows(2) {
        let [(at, value), (_, note)] = pair else {
            continue;
        };
        let (Some(inner), CellValue::Number(number)) = (note_line(note), read_cell(value)) else {
            continue;
        };
        let Some((_, column)) = layout
            .note_columns
            .iter()
            .find(|(re, _)| re.is_match(inner))
        else {
            continue;
        };
        let lead = value.len() - value.trim_start().len();
        found.push(Floating {
            token: Token::Number {
                value: number,
                start: at + lead,
                end: at + value.trim_end().len(),
            },
            column: column.clone(),
            printed: format!("{}({inner})", value.trim()),
        });
    }
    found
}

/// A row printed one value short with the lifted value put back: the value in the column its
/// note names, the row's own values in the others, in order.
fn place_floating(
    row: &RowLayout,
    tokens: &[Token],
    floating: Floating,
) -> Option<(Vec<Token>, String)> {
    let column = row
        .cells
        .iter()
        .position(|k| k.rsplit('.').next() == Some(floating.column.as_str()))?;
    let mut own = tokens.iter().filter(|t| t.is_number()).cloned();
    if tokens.iter().filter(|t| t.is_number()).count() + 1 != row.cells.len() {
        return None;
    }
    let mut floating_token = Some(floating.token);
    let placed: Option<Vec<Token>> = (0..row.cells.len())
        .map(|i| match i == column {
            true => floating_token.take(),
            false => own.next(),
        })
        .collect();
    let note = format!(
        "printed above the table as {}: its note names the column; the row's own values fill the others",
        floating.printed
    );
    placed.map(|p| (p, note))
}
