//! A table read row by row: each label's values fitted into its row's cells, values printed
//! before their labels or out of the rows' order put back, and what is left over noted.

use super::labels::{begins_label, item_number_len, words_before_values};
use super::lines::read_lines;
use super::printed::{groups_in, is_note_line, printed_values};
use super::row_values::{
    is_run_together, read_row, recovery_doubt, recovery_note, with_blank_marks, RowRead,
};
use super::tokens::{fit, to_cell, value_tokens};
use super::{Doubted, ReadCell, Token};
use crate::layout::{Pattern, RowLayout, TableLayout, IGNORED_CELL};
use crate::split::{Group, RowCheck};
use crate::stream::Stream;
use crate::value::{is_money, read_cell, says_yuan, yuan_to_wan, CellValue};
use nianbao_model::{Doubt, Placement, ReadMethod, PLACED_IN_ORDER};

/// The table's cells read row by row from the rows whose labels were found (`matches`,
/// `match_rows`'s).
pub(super) fn read_rows(
    stream: &Stream,
    layout: &TableLayout,
    matches: &[(usize, usize, usize)],
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let run_together = is_run_together(stream, layout, matches, end);
    if !run_together && rows_are_lines(stream, start, end) {
        return read_lines(stream, layout, start, end);
    }
    let mut reads = row_reads(stream, layout, matches, end, run_together);
    take_values_above_labels(stream, layout, &mut reads, run_together);
    let choice = crate::choose::choose_splits(layout, &reads);
    // Each row's value printed with a leading zero, if any: it doubts its row and the one
    // above (`leading_zero_note`).
    let zero_led: Vec<Option<&str>> = reads.iter().map(|r| zero_led(stream, r)).collect();
    // Made at its size: a table's cells are many, and grown they were copied each time.
    let cell_count = reads.iter().map(|r| layout.rows[r.row].cells.len()).sum();
    let mut cells = Vec::with_capacity(cell_count);
    for (k, (read, chosen)) in reads.iter().zip(choice).enumerate() {
        let row = &layout.rows[read.row];
        let row_cells_from = cells.len();
        match chosen {
            Some(index) => cut_cells(stream, row, read, index, &mut cells),
            None => {
                let before = k.checked_sub(1).map(|i| &reads[i]);
                let zero_led = zero_led[k].or(zero_led.get(k + 1).copied().flatten());
                let around = (before, zero_led);
                printed_cells(stream, layout, read, around, run_together, &mut cells)
            }
        }
        in_wan_yuan(stream, read, &mut cells[row_cells_from..]);
    }
    if let Some(doubted) = out_of_row_order(stream, layout, &reads, (start, end)) {
        for cell in &mut cells {
            cell.doubted_unless_noted(&doubted);
        }
    }
    cells
}

/// What follows each matched label that has cells, up to the next label (or the region's
/// end).
fn row_reads(
    stream: &Stream,
    layout: &TableLayout,
    matches: &[(usize, usize, usize)],
    end: usize,
    run_together: bool,
) -> Vec<RowRead> {
    let mut reads = Vec::with_capacity(matches.len());
    for (k, &found) in matches.iter().enumerate() {
        if layout.rows[found.0].cells.is_empty() {
            continue;
        }
        let next_label = matches.get(k + 1).map(|m| m.1);
        let slice_end = next_label.unwrap_or(end);
        let last = next_label.is_none();
        reads.push(read_row(
            stream,
            layout,
            found,
            slice_end,
            last,
            run_together,
        ));
    }
    reads
}

/// A row's cells from the cut of its run-together digits numbered `index`, each noting the
/// cut (and the others that fitted), pushed onto `cells`.
fn cut_cells(
    stream: &Stream,
    row: &RowLayout,
    read: &RowRead,
    index: usize,
    cells: &mut Vec<ReadCell>,
) {
    let note = recovery_note(read, index);
    let doubt = recovery_doubt(read, index);
    for (key, part) in row.cells.iter().zip(&read.splits[index]) {
        if *key == IGNORED_CELL {
            continue;
        }
        let mut cell = to_cell(
            stream,
            key,
            Some(Token::Number {
                value: part.value,
                start: part.start,
                end: part.end,
            }),
            read.label_end,
        );
        cell.recovered = Some(note.clone());
        cell.doubt = doubt.clone().map(Box::new);
        cell.method = ReadMethod::RunTogether;
        cells.push(cell);
    }
}

/// A row's cells from its values as printed, fitted to its cells, each noting why it may
/// stand in the wrong place when it may (`before`: the row read before it), pushed onto
/// `cells`.
fn printed_cells(
    stream: &Stream,
    layout: &TableLayout,
    read: &RowRead,
    (before, zero_led): (Option<&RowRead>, Option<&str>),
    run_together: bool,
    cells: &mut Vec<ReadCell>,
) {
    let row = &layout.rows[read.row];
    let n = row.cells.len();
    let fitted = fit(read.tokens.clone(), n, layout.total_last);
    let joined = read.joined.then(|| crate::wrapped::JOINED_NOTE.to_string());
    // Fewer groups of digits than cells in a run-together table, and no cut that fits: the
    // values are read as printed, but may be several run together.
    let uncut = (run_together && read.tokens.len() < n).then(|| Doubted {
        note: format!(
            "digits \"{}\" ran together and no cut into {n} cells fits the table: read as printed, {PLACED_IN_ORDER}",
            read.printed
        ),
        doubt: Doubt::PlacedInOrder(Placement::Uncut {
            printed: read.printed.clone(),
            cells: n,
        }),
    });
    let placed = (!run_together)
        .then(|| guessed_places(read, row))
        .flatten()
        .or_else(|| too_many_values(stream, read, row))
        .or_else(|| other_cut_adds_up(stream, layout, read))
        .or_else(|| leading_zero_note(zero_led))
        .or_else(|| left_over_note(read))
        .or_else(|| surplus_before_note(layout, before));
    for (key, token) in row.cells.iter().zip(fitted) {
        if *key != IGNORED_CELL {
            let put_in_note = token
                .as_ref()
                .and_then(|t| stream.put_in_note(t.start()..t.end()));
            let mut cell = to_cell(stream, key, token, read.label_end);
            if let Some(uncut) = &uncut {
                cell.doubted(uncut);
                cell.method = ReadMethod::RunTogether;
            } else if joined.is_some() {
                cell.recovered = joined.clone();
                cell.method = ReadMethod::RunTogether;
            } else if let Some(note) = put_in_note {
                cell.recovered = Some(note.to_string());
                cell.method = ReadMethod::RunTogether;
            } else if let Some(placed) = &placed {
                cell.doubted(placed);
            }
            cells.push(cell);
        }
    }
}

/// A row's amounts in 万元 when the header over it gives them in 元 (looked for only when
/// the row reads an amount).
fn in_wan_yuan(stream: &Stream, read: &RowRead, cells: &mut [ReadCell]) {
    if !cells.iter().any(|cell| is_money(cell.key)) {
        return;
    }
    if header_before_in_yuan(&stream.text, read.label_start) {
        cells
            .iter_mut()
            .for_each(|cell| amount_in_wan_yuan(cell, &stream.text));
    }
}

/// Why a table's values, read by their order in the text, may stand in rows not theirs:
/// row labels following one another with nothing between them, and the values of several
/// rows after the last of them or before the first, or spread over the table (text
/// extracted column by column, as `pdftotext` gives a table without `-layout`). Rows
/// printed with no value, the others' values each in place, are blank rows, not this.
/// Which row a value belongs to is not in the text, for these rows nor for the table's
/// others, which may have taken values not theirs: every row of the table is doubted.
fn out_of_row_order(
    stream: &Stream,
    layout: &TableLayout,
    reads: &[RowRead],
    (start, end): (usize, usize),
) -> Option<Doubted> {
    let groups = |from: usize, to: usize| {
        stream
            .text
            .get(from..to.max(from))
            .map_or(0, |text| groups_in(text, 0).len())
    };
    let cells = |k: usize| layout.rows[reads[k].row].cells.len().max(1);
    // Values printed in the table beyond the cells of the rows that took some (worked out
    // once, when a run of rows without values asks).
    let surplus = std::cell::OnceCell::new();
    let surplus = || {
        *surplus.get_or_init(|| {
            let slice_end = |k: usize| reads.get(k + 1).map_or(end, |r| r.label_start);
            let printed_in =
                |from: usize, to: usize| stream.text.get(from..to).map_or(0, printed_values);
            let printed = printed_in(start, reads[0].label_start)
                + (0..reads.len())
                    .map(|k| printed_in(reads[k].label_end, slice_end(k)))
                    .sum::<usize>();
            let with_values: usize = (0..reads.len())
                .filter(|&k| !reads[k].tokens.is_empty())
                .map(cells)
                .sum();
            printed.saturating_sub(with_values)
        })
    };
    // At least as many as the cells of rows first..=last, which took none (two or more:
    // one stray digit, a year in a note, is not a row's values).
    let values_elsewhere = |first: usize, last: usize| {
        let missing: usize = (first..=last).map(cells).sum();
        missing >= 2 && surplus() >= missing
    };
    let mut k = 0;
    while k < reads.len() {
        if !reads[k].tokens.is_empty() {
            k += 1;
            continue;
        }
        // A run of rows without values: first..last.
        let first = k;
        while k < reads.len() && reads[k].tokens.is_empty() {
            k += 1;
        }
        let last = k - 1;
        // After it, the next row holds two rows' worth or more; after two rows or more
        // without values, more than its own.
        let after = reads.get(k).is_some_and(|next| {
            let to = reads.get(k + 1).map_or(end, |r| r.label_start);
            let own = match last > first {
                true => cells(k) + 1,
                false => 2 * cells(k),
            };
            groups(next.label_end, to) >= own
        });
        // Before it, values no row took: beyond the row before's own.
        let before = {
            let (from, own) = match first.checked_sub(1) {
                Some(p) => (reads[p].label_end, cells(p)),
                None => (start, 0),
            };
            groups(from, reads[first].label_start) >= own + 2 * cells(first)
        };
        if after || before || values_elsewhere(first, last) {
            let rows = last - first + 1;
            return Some(Doubted {
                note: format!(
                    "{rows} row labels stand one after another without values, the values \
                     apart from them: {PLACED_IN_ORDER}"
                ),
                doubt: Doubt::PlacedInOrder(Placement::LabelsApart { rows }),
            });
        }
    }
    None
}

/// Why the values of a row read in order may not stand where they were put: fewer values
/// than the row's cells and no blank shown between them ("行政强制" with only its 775, each
/// blank cell a line of spaces the text dropped), so which columns they fill is a guess
/// (`fit`'s, from the first column, or the total last). `None` when every cell is accounted
/// for, or none has a value.
/// A row whose label has no value after it, when the text before the label holds a line
/// of only its item number and values after the previous row's own: a converter wrapped
/// the long label below the line of its number and values ("2.  0 0 0" over "申请人逾期未按
/// 收费通知…"). Those values are the row's, not the previous row's (which, in a table read as
/// run together, took every digit up to this label).
fn take_values_above_labels(
    stream: &Stream,
    layout: &TableLayout,
    reads: &mut [RowRead],
    run_together: bool,
) {
    for k in 1..reads.len() {
        if reads[k].tokens.iter().any(Token::is_number) {
            continue;
        }
        let n = layout.rows[reads[k].row].cells.len();
        let (from, to) = (reads[k - 1].label_end, reads[k].label_start);
        let Some(text) = stream.text.get(from..to) else {
            continue;
        };
        // The previous row's own values come first: only a later line may be this row's.
        let mut line_start = from;
        let mut seen_values = false;
        let mut found = None;
        for line in text.split('\n') {
            if seen_values {
                let label = &layout.rows[reads[k].row].label;
                if let Some(tokens) = values_after_item_number(stream, line_start, line, n, label) {
                    found = Some((line_start, tokens));
                }
            }
            seen_values |= line.bytes().any(|b| b.is_ascii_digit());
            line_start += line.len() + 1;
        }
        if let Some((line, tokens)) = found {
            reads[k].tokens = tokens;
            let before = &reads[k - 1];
            let found = (before.row, before.label_start, before.label_end);
            reads[k - 1] = read_row(stream, layout, found, line, false, run_together);
        }
    }
}

/// The values of a line that is an item number ("2." "2、"; the reading stream may have
/// closed the space after it: "2.0 0 0") followed by exactly `n` values only: spaced, or
/// run together with blanks printed as marks ("2.0无无无无无0"). The item number may keep
/// the first words of the row's `label` when a page break cut it ("5.要求行政机 0 0 0 …",
/// its last words after the table's header printed again).
fn values_after_item_number(
    stream: &Stream,
    line_start: usize,
    line: &str,
    n: usize,
    label: &Pattern,
) -> Option<Vec<Token>> {
    let trimmed = line.trim_start();
    let mut skip = line.len() - trimmed.len() + item_number_len(trimmed)?;
    if let Some(head) = words_before_values(&line[skip..]) {
        if begins_label(label, head.trim()) {
            skip += head.len();
        }
    }
    let rest = &line[skip..];
    let start = line_start + skip;
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.len() == n
        && words
            .iter()
            .all(|w| !matches!(read_cell(w), CellValue::Text))
    {
        return Some(value_tokens(
            stream,
            start,
            line_start + line.len(),
            false,
            n,
        ));
    }
    with_blank_marks(rest, start, &groups_in(rest, start), n)
}

fn guessed_places(read: &RowRead, row: &RowLayout) -> Option<Doubted> {
    let numbers = read.tokens.iter().filter(|t| t.is_number()).count();
    let wanted = row.cells.iter().filter(|k| **k != IGNORED_CELL).count();
    (numbers > 0 && numbers < wanted && read.tokens.len() < row.cells.len()).then(|| Doubted {
        note: format!("{wanted} cells, {numbers} printed, no blank shown: {PLACED_IN_ORDER}"),
        doubt: Doubt::PlacedInOrder(Placement::FewerValues {
            values: numbers,
            cells: wanted,
        }),
    })
}

/// Why the values of a row read in order may not be its own: more of them than its cells
/// and one more (a subtotal column the form does not have is dropped by `fit`), one more
/// whose first stands inside the label's words (`first_inside_words`), or as many
/// as its cells or one more, printed partly a value a line and partly several to a line, or
/// on lines holding fewer values than the first: a narrow column wrapped a number a digit
/// a line ("4" "7" for 47, then "1 0 0 0 0"; "５ ０ ０ ０ ０ ０５" then "１ １" for 51 and
/// 51), and the row took digits, not numbers.
fn too_many_values(stream: &Stream, read: &RowRead, row: &RowLayout) -> Option<Doubted> {
    let numbers: Vec<usize> = read
        .tokens
        .iter()
        .filter(|t| t.is_number())
        .map(Token::start)
        .collect();
    let n = row.cells.len();
    // How many values each line holds, line after line: a value a line and several to a
    // line, or later lines holding fewer values than the first (the rest of numbers a
    // narrow column wrapped: "５ ０ ０ ０ ０ ０５" / "１ １").
    let uneven = || {
        let mut per_line: Vec<usize> = Vec::new();
        for (k, &start) in numbers.iter().enumerate() {
            let same_line = k > 0
                && stream
                    .text
                    .get(numbers[k - 1]..start)
                    .is_some_and(|between| !between.contains('\n'));
            match (same_line, per_line.last_mut()) {
                (true, Some(count)) => *count += 1,
                _ => per_line.push(1),
            }
        }
        let first = per_line.first().copied().unwrap_or(0);
        (per_line.contains(&1) && per_line.iter().any(|&count| count > 1))
            || per_line.iter().skip(1).any(|&count| count < first)
    };
    let wanted = numbers.len() > n + 1
        || (numbers.len() >= n && uneven())
        || (numbers.len() == n + 1 && first_inside_words(stream, read));
    wanted.then(|| Doubted {
        note: format!("{} values for {n} cells: {PLACED_IN_ORDER}", numbers.len()),
        doubt: Doubt::PlacedInOrder(Placement::MoreValues {
            values: numbers.len(),
            cells: n,
        }),
    })
}

/// Whether a row's first value is digits inside its words ("(四)无2另行制作 0 0 …": a
/// label's item number a converter set among its wrapped words), which may be no value:
/// then its one value more than cells is no subtotal column to drop.
fn first_inside_words(stream: &Stream, read: &RowRead) -> bool {
    let Some(first) = read.tokens.iter().find(|t| t.is_number()) else {
        return false;
    };
    let text = &stream.text;
    let before = text
        .get(..first.start())
        .and_then(|t| t.chars().next_back());
    let after = text.get(first.end()..).and_then(|t| t.chars().next());
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphabetic() && !c.is_ascii());
    word(before) && word(after)
}

/// Why a row that does not add up as printed may be misread: its values, as many as its
/// cells and all whole, are digits that cut another way make a row that adds up ("６４０ ０
/// ２ ０ ４ ７      ０" is 64 0 0 2 0 4 70 in a print whose narrow columns set full-width
/// digits of neighbouring cells as close as those of one number, and wrapped 70 apart).
/// The stream keeps no columns to tell the cuts apart, so the row is doubted, not cut.
fn other_cut_adds_up(stream: &Stream, layout: &TableLayout, read: &RowRead) -> Option<Doubted> {
    let n = layout.rows[read.row].cells.len();
    let numbers: Vec<&Token> = read.tokens.iter().filter(|t| t.is_number()).collect();
    if !layout.total_last || n < 3 || numbers.len() != n || read.tokens.len() != n {
        return None;
    }
    let printed: Vec<&str> = numbers
        .iter()
        .map(|t| stream.text.get(t.start()..t.end()).unwrap_or(""))
        .collect();
    let whole = printed
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let as_printed: Vec<Token> = numbers.into_iter().cloned().collect();
    if !whole || super::adds_up(&as_printed) {
        return None;
    }
    let digits = Group {
        digits: printed.concat(),
        start: as_printed[0].start(),
        factor: 1.0,
        negative: false,
    };
    let fitting = crate::split::candidates(&[digits], n, RowCheck::Total);
    let cut = fitting.first()?;
    let cut: Vec<String> = cut
        .iter()
        .map(|p| nianbao_model::format_number(p.value))
        .collect();
    let printed = printed.join(" ");
    Some(Doubted {
        note: format!(
            "\"{printed}\" does not add up, but cut as {} it does: {READ_AS_PRINTED}",
            cut.join(" ")
        ),
        doubt: Doubt::PlacedInOrder(Placement::OtherCutAddsUp {
            printed,
            cut: cut.join("、"),
        }),
    })
}

/// How the note of a row read as printed ends when its digits may belong to other cells.
pub(super) const READ_AS_PRINTED: &str = "read as printed; the values may be wrong";

/// Why a row's values may not be its own: a value printed with a leading zero ("03",
/// "00"), in the row or in the next one (`zero_led`, `zero_led`'s of either). No count has
/// one: a narrow column wrapped a number ("１" over "０" for 10) and its last digit ran into
/// the next row's first value ("０３"), or a cell's 0 ran into its neighbour's ("００").
fn leading_zero_note(zero_led: Option<&str>) -> Option<Doubted> {
    let printed = zero_led?.to_string();
    Some(Doubted {
        note: format!(
            "\"{printed}\" starts with 0, digits of two cells run together: {READ_AS_PRINTED}"
        ),
        doubt: Doubt::PlacedInOrder(Placement::LeadingZero { printed }),
    })
}

/// The first of a row's values printed with a leading zero, as printed.
fn zero_led<'s>(stream: &'s Stream, read: &RowRead) -> Option<&'s str> {
    let numbers = read.tokens.iter().filter(|t| t.is_number());
    numbers
        .filter_map(|t| stream.text.get(t.start()..t.end()))
        .find(|raw| {
            raw.len() >= 2 && raw.starts_with('0') && raw.bytes().all(|b| b.is_ascii_digit())
        })
}

/// Why the values read for a row may not be its own: values left before the next row's
/// label may be digits of its cells (`values_left_over`).
fn left_over_note(read: &RowRead) -> Option<Doubted> {
    (read.left_over > 0).then(|| Doubted {
        note: format!(
            "{} more values stand before the next row, maybe digits of its cells wrapped over lines: {PLACED_IN_ORDER}",
            read.left_over
        ),
        doubt: Doubt::PlacedInOrder(Placement::WrappedDigits {
            values: read.left_over,
        }),
    })
}

/// Why the values read for a row may not be all its own: the row before left values
/// before this row's label (`values_left_over`), or took more than its cells and one
/// more: some may be digits of this row's cells printed above its line (numbers wrapped
/// a digit a line, stacked over and under the row's line).
fn surplus_before_note(layout: &TableLayout, before: Option<&RowRead>) -> Option<Doubted> {
    let before = before?;
    let numbers = before.tokens.iter().filter(|t| t.is_number()).count();
    let surplus = numbers.saturating_sub(layout.rows[before.row].cells.len() + 1);
    let left = before.left_over.max(surplus);
    (left > 0).then(|| Doubted {
        note: format!(
            "{left} values stand between the row before and this one, maybe digits of its cells wrapped over lines: {PLACED_IN_ORDER}"
        ),
        doubt: Doubt::PlacedInOrder(Placement::WrappedDigits { values: left }),
    })
}

/// Whether the header over a row says its amounts are in 元: the text after the last
/// "金额" before the row's label ("本年收费金额(单位：元)"), when it is near. Spaces and
/// line breaks are no part of it: a wrapped header may cut "金" from "额" or "万" from
/// "元", and laid-out text indents its lines.
pub(crate) fn header_in_yuan(before_label: &str) -> bool {
    let words: String = before_label
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let Some(at) = words.rfind("金额") else {
        return false;
    };
    let header = &words[at..];
    header.chars().count() <= 40 && says_yuan(header)
}

/// How far before a row its amounts' header may stand.
const HEADER_BEFORE_BYTES: usize = 240;

/// Whether the header in the `HEADER_BEFORE_BYTES` of `text` before byte `at` (a row's
/// label, or a grid row's first cell) gives amounts in 元 (`header_in_yuan`).
pub(crate) fn header_before_in_yuan(text: &str, at: usize) -> bool {
    let mut near = at.saturating_sub(HEADER_BEFORE_BYTES);
    while near < at && !text.is_char_boundary(near) {
        near += 1;
    }
    text.get(near..at).is_some_and(header_in_yuan)
}

/// An amount read in 元 under a 元 header, as 万元 (a figure printing its own unit was
/// converted by it already).
pub(crate) fn amount_in_wan_yuan(cell: &mut ReadCell, text: &str) {
    let own_unit = cell.raw.contains('元')
        || text
            .get(cell.end..)
            .is_some_and(|after| after.starts_with('元') || after.starts_with("万元"));
    if !is_money(cell.key) || own_unit {
        return;
    }
    if let Some(v) = cell.value.as_mut() {
        *v = yuan_to_wan(*v);
    }
}

/// Whether the table prints each row on a line of its own (tab rows, grids, pipe tables):
/// more lines hold several numbers than hold exactly one.
fn rows_are_lines(stream: &Stream, start: usize, end: usize) -> bool {
    let (mut several, mut one) = (0, 0);
    let lines: Vec<&str> = stream.text[start..end].split('\n').collect();
    for (k, line) in lines.iter().enumerate() {
        let numbers = line
            .split('\t')
            .filter(|c| matches!(read_cell(c), CellValue::Number(_)))
            .count();
        // A value over a note line is a cell lifted out of its row (see `floating_cells`).
        let lifted = lines.get(k + 1).is_some_and(|next| is_note_line(next));
        match numbers {
            0 => {}
            1 if lifted => {}
            1 => one += 1,
            _ => several += 1,
        }
    }
    several > 0 && several >= one
}
