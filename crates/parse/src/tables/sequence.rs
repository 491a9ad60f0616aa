//! Tables printed as one run of numbers (表四): the run's values read in the form's order.

use super::row_values::{recovery_doubt, recovery_note, splits_of, RowRead};
use super::tokens::{fit, to_cell, value_runs};
use super::{holds, ReadCell, Token};
use crate::layout::TableLayout;
use crate::split::{Group, RowCheck};
use crate::stream::Stream;
use nianbao_model::{Doubt, Placement, ReadMethod, PLACED_IN_ORDER};

/// Tables printed as one run of numbers (表四): the last run of values in the region.
pub(super) fn read_sequence(
    stream: &Stream,
    layout: &TableLayout,
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let n = layout.sequence.len();
    let (runs, groups) = value_runs(stream, start, end, true);
    let run = runs
        .iter()
        .rev()
        .find(|r| r.iter().filter(|t| t.is_number()).count() >= n.min(5));
    // Text extracted in reading order prints the values among the header's characters
    // (printed a char a line): no run holds them all, but the region's runs together hold
    // exactly the table's cells, in its order.
    let spread: Vec<Token> = runs.iter().flatten().cloned().collect();
    if run.is_none_or(|r| r.len() < n) && spread.len() == n && n > 1 {
        return crate::table_order::by_place(stream, &layout.sequence, spread, start);
    }
    // Only sums tell which digits to join.
    let sums = matches!(layout.split, RowCheck::Total | RowCheck::GroupTotals(_));
    let joined = run
        .filter(|r| sums && r.len() > n)
        .and_then(|r| crate::wrapped::joined(stream, r, n, |row| holds(row, layout.split)));
    let read = match (run, joined) {
        // Values wrapped a digit a line in narrow columns, joined where the groups add up.
        (_, Some(joined)) => SequenceRead {
            cells: joined.into_iter().map(Some).collect(),
            note: Some(crate::wrapped::JOINED_NOTE.to_string()),
            doubt: None,
            cut: true,
        },
        (Some(run), None) => match run_together_in(stream, run, n)
            .and_then(|groups| cut_groups(layout, &groups, start))
        {
            Some((read, true)) => read,
            _ => in_order(run, n),
        },
        (None, None) => match cut_groups(layout, &groups, start) {
            Some((read, _)) => read,
            None => return Vec::new(),
        },
    };
    layout
        .sequence
        .iter()
        .zip(read.cells)
        .map(|(key, token)| {
            let mut cell = to_cell(stream, key, token, start);
            if read.cut {
                cell.method = ReadMethod::RunTogether;
            }
            cell.recovered = read.note.clone();
            cell.doubt = read.doubt.clone().map(Box::new);
            cell
        })
        .collect()
}

/// A sequence's cells as read, and how: the note on them, the doubt it raises, and whether
/// they were cut or joined from digits.
struct SequenceRead {
    cells: Vec<Option<Token>>,
    note: Option<String>,
    doubt: Option<Doubt>,
    cut: bool,
}

/// A run's values in the table's order. Fewer values than cells, no blank shown for the
/// rest: which cells they fill is a guess (a table extracted out of order leaves its
/// values in several runs). More: some are not the table's, or its numbers were cut into
/// digits (a narrow column wrapped them a digit a line).
fn in_order(run: &[Token], n: usize) -> SequenceRead {
    let values = run.len();
    let no_blank = match values < n {
        true => ", no blank shown",
        false => "",
    };
    let note = (values != n).then(|| {
        format!("{values} values for the table's {n} cells in one run{no_blank}: {PLACED_IN_ORDER}")
    });
    let doubt = (values != n).then_some(Doubt::PlacedInOrder(match values < n {
        true => Placement::FewerValues { values, cells: n },
        false => Placement::MoreValues { values, cells: n },
    }));
    SequenceRead {
        cells: fit(run.to_vec(), n, false),
        note,
        doubt,
        cut: false,
    }
}

/// A run of fewer values than the table's `n` cells holding digits no number is printed
/// as ("00", "01": two cells' digits run together, as a narrow column's text leaves them):
/// its values as digit groups, for the table's arithmetic to cut.
fn run_together_in(stream: &Stream, run: &[Token], n: usize) -> Option<Vec<Group>> {
    let digits = |t: &Token| match t {
        Token::Number { start, end, .. } => stream.text.get(*start..*end),
        Token::Blank { .. } => None,
    };
    let printed: Vec<&str> = run.iter().map(digits).collect::<Option<_>>()?;
    let plain = printed
        .iter()
        .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    let run_together = printed.iter().any(|d| d.len() > 1 && d.starts_with('0'));
    (run.len() < n && plain && run_together).then(|| {
        run.iter()
            .zip(printed)
            .map(|(token, digits)| Group {
                digits: digits.to_string(),
                start: token.start(),
                factor: 1.0,
                negative: false,
            })
            .collect()
    })
}

/// The table's cells cut out of digit groups that ran together, by its arithmetic, and
/// whether the cut fits it; `None` when no cut makes its cells.
fn cut_groups(
    layout: &TableLayout,
    groups: &[Group],
    start: usize,
) -> Option<(SequenceRead, bool)> {
    if groups.is_empty() {
        return None;
    }
    let n = layout.sequence.len();
    let (splits, fit) = splits_of(groups, n, layout.split);
    let first = splits.first()?;
    let printed: Vec<&str> = groups.iter().map(|g| g.digits.as_str()).collect();
    let cells = first
        .iter()
        .map(|p| {
            Some(Token::Number {
                value: p.value,
                start: p.start,
                end: p.end,
            })
        })
        .collect();
    let read = RowRead {
        row: 0,
        label_start: start,
        label_end: start,
        tokens: Vec::new(),
        splits: splits.clone(),
        fit,
        unchecked: false,
        printed: printed.join(" "),
        joined: false,
        left_over: 0,
    };
    let sequence = SequenceRead {
        cells,
        note: Some(recovery_note(&read, 0)),
        doubt: recovery_doubt(&read, 0),
        cut: true,
    };
    Some((sequence, fit))
}
