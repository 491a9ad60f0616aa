//! The stream's value tokens between labels, fitted to a row's cells, and made cells.

use super::printed::{groups_in, without_note_after_label};
use super::{ReadCell, Token};
use crate::split::Group;
use crate::stream::Stream;
use crate::value::{read_cell, read_numbers, trailing_numbers, CellValue};
use nianbao_model::ReadMethod;

/// `label_end`: where the row's label ends; a cell not printed at all is placed on the
/// label's last character.
pub(crate) fn to_cell(
    stream: &Stream,
    key: &'static str,
    token: Option<Token>,
    label_end: usize,
) -> ReadCell {
    let fallback = stream.text[..label_end]
        .char_indices()
        .last()
        .map_or(label_end, |(i, _)| i);
    let (value, start, end) = match token {
        Some(Token::Number { value, start, end }) => (Some(value), start, end),
        Some(Token::Blank { start, end }) => (None, start, end),
        None => (None, fallback, fallback),
    };
    ReadCell {
        key,
        value,
        raw: stream.text[start..end].to_string(),
        start,
        end,
        recovered: None,
        doubt: None,
        method: ReadMethod::Stream,
    }
}

/// The value tokens after a label, row by row, until the row that completes `wanted`
/// numbers. Empty cells at the start of a later row are indentation (merged label
/// columns), except that a row of nothing but empty cells stands for one blank cell.
pub(super) fn value_tokens(
    stream: &Stream,
    from: usize,
    to: usize,
    before_label: bool,
    wanted: usize,
) -> Vec<Token> {
    let slice = without_note_after_label(&stream.text[from..to]);
    // The rows are taken as they come (a row past the one that completes the values is
    // never cut out); the last holds what precedes the next label in its own row:
    // indentation, when there are others.
    let mut rows = slice.split('\n').peekable();
    let mut row_start = from;
    // `wanted` may be "all of them" (`usize::MAX`): a row of a table holds a few dozen.
    let mut tokens = Vec::with_capacity(wanted.min(32));
    let mut numbers = 0;
    let mut row_index = 0;
    while let Some(row) = rows.next() {
        if before_label && row_index > 0 && rows.peek().is_none() {
            break;
        }
        let this_row = row_start;
        row_start += row.len() + 1;
        let mut cell_start = this_row;
        let mut seen_content = row_index == 0;
        // The row's tokens are pushed onto the others, from `row_from` on.
        let row_from = tokens.len();
        let mut all_empty = true;
        for (cell_index, cell) in row.split('\t').enumerate() {
            let (start, end) = (cell_start, cell_start + cell.len());
            cell_start = end + 1;
            let is_label_remainder = row_index == 0 && cell_index == 0;
            match read_cell(cell) {
                CellValue::Number(value) => {
                    seen_content = true;
                    all_empty = false;
                    tokens.push(Token::Number { value, start, end });
                }
                CellValue::Blank if cell.is_empty() && !seen_content => {}
                CellValue::Blank if is_label_remainder && cell.is_empty() => {}
                CellValue::Blank => {
                    if !cell.is_empty() {
                        all_empty = false;
                    }
                    tokens.push(Token::Blank { start, end });
                }
                CellValue::Text => {
                    seen_content = true;
                    all_empty = false;
                    let found = read_numbers(cell).unwrap_or_else(|| trailing_numbers(cell));
                    for (value, s, e) in found {
                        tokens.push(Token::Number {
                            value,
                            start: start + s,
                            end: start + e,
                        });
                    }
                }
            }
        }
        if row_index > 0 && all_empty && row.contains('\t') {
            tokens.truncate(row_from);
            tokens.push(Token::Blank {
                start: this_row,
                end: this_row,
            });
        }
        numbers += tokens[row_from..].iter().filter(|t| t.is_number()).count();
        if numbers >= wanted {
            break;
        }
        row_index += 1;
    }
    if before_label && numbers < wanted {
        if let Some(with_blanks) = with_empty_lines(stream, from, to, &tokens, wanted) {
            return with_blanks;
        }
    }
    tokens
}

/// A row printed one cell a line with its blank cells as empty lines (a table an office
/// suite saved as text, or one pasted from a page): when the row's lines after its label,
/// empty ones counted, are exactly its cells, each empty line is a blank cell in its
/// place. Empty lines are only spacing otherwise (between rows, or more of them), and in a
/// row that prints no value at all (a label over one empty line, its single cell blank,
/// is spaced as every other row of a report may be).
fn with_empty_lines(
    stream: &Stream,
    from: usize,
    to: usize,
    tokens: &[Token],
    wanted: usize,
) -> Option<Vec<Token>> {
    let mut lines = stream.text[from..to].split('\n');
    // The rest of the label's line holds nothing; the last piece is the next label's line.
    if !lines.next()?.trim().is_empty() {
        return None;
    }
    let mut lines: Vec<&str> = lines.collect();
    lines.pop()?;
    let one_cell_each = lines
        .iter()
        .all(|l| !l.contains('\t') && l.split_whitespace().count() == 1);
    let empty = stream.skipped_lines(from, to);
    if !one_cell_each
        || lines.is_empty()
        || empty.is_empty()
        || tokens.len() != lines.len()
        || lines.len() + empty.len() != wanted
    {
        return None;
    }
    let mut cells = tokens.to_vec();
    cells.extend(empty.iter().map(|&at| Token::Blank { start: at, end: at }));
    cells.sort_by_key(Token::start);
    Some(cells)
}

/// Fits the tokens after a label into `n` cells (None = not printed at all).
pub(super) fn fit(tokens: Vec<Token>, n: usize, total_last: bool) -> Vec<Option<Token>> {
    let numbers: Vec<Token> = tokens.iter().filter(|t| t.is_number()).cloned().collect();
    let total_last = total_last && n > 1;
    if numbers.len() >= n {
        // Enough numbers: empty cells were layout; an extra number is an extra column,
        // which real reports insert before 总计.
        let mut chosen = numbers;
        if chosen.len() > n {
            let last = chosen.pop();
            chosen.truncate(if total_last { n - 1 } else { n });
            if total_last {
                chosen.extend(last);
            }
        }
        return chosen.into_iter().map(Some).collect();
    }
    let mut tokens = tokens;
    while tokens.len() > n && matches!(tokens.last(), Some(Token::Blank { .. })) {
        tokens.pop();
    }
    while tokens.len() > n && matches!(tokens.first(), Some(Token::Blank { .. })) {
        tokens.remove(0);
    }
    tokens.truncate(n);
    let mut cells: Vec<Option<Token>> = tokens.into_iter().map(Some).collect();
    if cells.len() < n {
        let right_align = total_last && matches!(cells.last(), Some(Some(t)) if t.is_number());
        let last = if right_align { cells.pop() } else { None };
        cells.resize(if right_align { n - 1 } else { n }, None);
        cells.extend(last);
    }
    cells
}

/// The region's values in runs, a run ending at a cell of text; and, when `digit_groups`
/// is asked, the digit groups of the last text cell holding any (crawled pages run the
/// header and the numbers together).
pub(crate) fn value_runs(
    stream: &Stream,
    start: usize,
    end: usize,
    digit_groups: bool,
) -> (Vec<Vec<Token>>, Vec<Group>) {
    let mut runs: Vec<Vec<Token>> = Vec::new();
    let mut run: Vec<Token> = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (cell, s) in cells_in(&stream.text, start, end) {
        if push_cell_values(cell, s, s + cell.len(), &mut run) {
            continue;
        }
        if digit_groups {
            let found = groups_in(cell, s);
            if !found.is_empty() {
                groups = found;
            }
        }
        runs.push(std::mem::take(&mut run));
    }
    runs.push(run);
    (runs, groups)
}

/// Each cell of the lines of `text[start..end]` (cells are cut at tabs) with where it
/// starts.
pub(crate) fn cells_in(
    text: &str,
    start: usize,
    end: usize,
) -> impl Iterator<Item = (&str, usize)> {
    let mut at = start;
    text[start..end].split(['\n', '\t']).map(move |cell| {
        let cell_start = at;
        at += cell.len() + 1;
        (cell, cell_start)
    })
}

/// Pushes the values a printed cell holds onto `into` (none for an empty cell); `false`
/// for a cell of words.
pub(crate) fn push_cell_values(
    text: &str,
    start: usize,
    end: usize,
    into: &mut Vec<Token>,
) -> bool {
    match read_cell(text) {
        CellValue::Number(value) => into.push(Token::Number { value, start, end }),
        CellValue::Blank if !text.is_empty() => into.push(Token::Blank { start, end }),
        CellValue::Blank => {}
        CellValue::Text => match read_numbers(text) {
            Some(numbers) => into.extend(numbers.into_iter().map(|(value, a, b)| Token::Number {
                value,
                start: start + a,
                end: start + b,
            })),
            None => return false,
        },
    }
    true
}
