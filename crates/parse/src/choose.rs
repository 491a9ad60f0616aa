//! Which split each run-together row of a table takes: the table's column arithmetic
//! decides where it can (表三), else the cheapest reading that treats rows alike (表二).
//!
//! The search tries up to tens of thousands of combinations, so what does not depend on
//! the combination (which cells each row fills, which rows are alike, each split's cost) is
//! worked out once, in a [`Penalty`], and each trial only adds up values.

use crate::layout::TableLayout;
use crate::split;
use crate::tables::RowRead;
use nianbao_model::TableId;
use std::collections::BTreeMap;

/// Which split each row takes (`None`: a row without splits). Small searches are
/// exhaustive; larger ones improve one row at a time until nothing improves.
pub(crate) fn choose_splits(layout: &TableLayout, reads: &[RowRead]) -> Vec<Option<usize>> {
    const EXHAUSTIVE: usize = 50_000;
    const OPTIONS: usize = 64;
    let mut choice: Vec<Option<usize>> = reads
        .iter()
        .map(|r| (!r.splits.is_empty()).then_some(0))
        .collect();
    let ambiguous: Vec<usize> = (0..reads.len())
        .filter(|&i| reads[i].splits.len() > 1)
        .collect();
    if ambiguous.is_empty() {
        return choice;
    }
    let options: Vec<usize> = ambiguous
        .iter()
        .map(|&i| reads[i].splits.len().min(OPTIONS))
        .collect();
    let total = options.iter().try_fold(1usize, |acc, &n| {
        acc.checked_mul(n).filter(|&t| t <= EXHAUSTIVE)
    });
    let penalty = Penalty::new(layout, reads);
    let mut best = penalty.of(&choice);
    match total {
        Some(total) => {
            let mut trial = choice.clone();
            for combo in 0..total {
                let mut rest = combo;
                for (slot, &i) in ambiguous.iter().enumerate() {
                    trial[i] = Some(rest % options[slot]);
                    rest /= options[slot];
                }
                let score = penalty.of(&trial);
                if score < best - 1e-9 {
                    best = score;
                    choice.clone_from(&trial);
                }
            }
        }
        None => loop {
            let mut improved = false;
            for (slot, &i) in ambiguous.iter().enumerate() {
                for option in 0..options[slot] {
                    let mut trial = choice.clone();
                    trial[i] = Some(option);
                    let score = penalty.of(&trial);
                    if score < best - 1e-9 {
                        best = score;
                        choice = trial;
                        improved = true;
                    }
                }
            }
            if !improved {
                break;
            }
        },
    }
    choice
}

/// A cell of the table as the rows fill it: the rows (and places in them) that print it,
/// in order — the last that has a value under a choice gives it.
type Writers = Vec<(usize, usize)>;

/// 表三's equations for one column: （七）总计 = its items; 一 + 二 = 三 + 四.
struct Column {
    items: Vec<Writers>,
    processed: Writers,
    new: Writers,
    carried: Writers,
    forward: Writers,
}

/// The rows of the table that are read with a split, and the rest's fixed values.
struct Penalty<'a> {
    reads: &'a [RowRead],
    /// The values of each row read without a split.
    fixed: Vec<Vec<f64>>,
    /// Each split's own cost (`split::cost`), by row and split.
    costs: Vec<Vec<f64>>,
    /// 表三's column equations; empty for other tables.
    columns: Vec<Column>,
    /// The layout's totals and their parts (`TableLayout::parts`), as writers.
    parts: Vec<(Writers, Vec<Writers>)>,
    /// Rows whose cells have the same column names, in row order: rows alike.
    alike: Vec<Vec<usize>>,
}

/// 表三's rows of items, which add up to （七）总计.
const T3_ITEM_ROWS: [&str; 6] = [
    "t3.granted.",
    "t3.partial.",
    "t3.denied.",
    "t3.unable.",
    "t3.ignored.",
    "t3.other.",
];

impl<'a> Penalty<'a> {
    fn new(layout: &TableLayout, reads: &'a [RowRead]) -> Penalty<'a> {
        let fixed = reads.iter().map(RowRead::numbers).collect();
        let costs = reads
            .iter()
            .map(|r| r.splits.iter().map(|s| split::cost(s)).collect())
            .collect();
        let mut writers: BTreeMap<&str, Writers> = BTreeMap::new();
        let mut shapes: BTreeMap<Vec<&str>, Vec<usize>> = BTreeMap::new();
        for (index, read) in reads.iter().enumerate() {
            let row = &layout.rows[read.row];
            for (place, key) in row.cells.iter().enumerate() {
                writers.entry(*key).or_default().push((index, place));
            }
            if !read.splits.is_empty() {
                let shape = row
                    .cells
                    .iter()
                    .map(|k| k.rsplit('.').next().unwrap_or(""))
                    .collect();
                shapes.entry(shape).or_default().push(index);
            }
        }
        let columns = match layout.id {
            TableId::T3 => t3_columns(&writers),
            _ => Vec::new(),
        };
        let parts = layout
            .parts
            .iter()
            .filter_map(|list| list.split_first())
            .map(|(total, parts)| {
                let of = |key: &str| writers_of(&writers, key);
                (of(total), parts.iter().map(|k| of(k)).collect())
            })
            .collect();
        Penalty {
            reads,
            fixed,
            costs,
            columns,
            parts,
            alike: shapes.into_values().filter(|rows| rows.len() > 1).collect(),
        }
    }

    /// The value the row `read` gives its `place`th cell under `choice`.
    fn value(&self, choice: &[Option<usize>], read: usize, place: usize) -> Option<f64> {
        match choice[read] {
            Some(i) => self.reads[read].splits[i].get(place).map(|p| p.value),
            None => self.fixed[read].get(place).copied(),
        }
    }

    fn cell(&self, choice: &[Option<usize>], writers: &Writers) -> Option<f64> {
        writers
            .iter()
            .rev()
            .find_map(|&(read, place)| self.value(choice, read, place))
    }

    /// Lower is better: broken column equations and totals exceeded by their parts (10
    /// each), then plausibility: each row's cost, and columns whose zeros differ from row
    /// to row among rows alike.
    fn of(&self, choice: &[Option<usize>]) -> f64 {
        let cost: f64 = choice
            .iter()
            .enumerate()
            .filter_map(|(read, chosen)| chosen.map(|i| self.costs[read][i]))
            .fold(0.0, |sum, c| sum + c);
        let broken = self.broken_columns(choice) + self.exceeded_totals(choice);
        broken as f64 * 10.0 + cost + self.zero_mix(choice)
    }

    /// Totals whose parts, as far as they are printed, add up to more than them.
    fn exceeded_totals(&self, choice: &[Option<usize>]) -> usize {
        self.parts
            .iter()
            .filter(|(total, parts)| {
                let Some(total) = self.cell(choice, total) else {
                    return false;
                };
                let sum: f64 = parts.iter().filter_map(|w| self.cell(choice, w)).sum();
                sum > total + 1e-6
            })
            .count()
    }

    fn broken_columns(&self, choice: &[Option<usize>]) -> usize {
        let mut broken = 0;
        for column in &self.columns {
            let items: f64 = column
                .items
                .iter()
                .filter_map(|w| self.cell(choice, w))
                .sum();
            let Some(processed) = self.cell(choice, &column.processed) else {
                continue;
            };
            if (processed - items).abs() > 1e-6 {
                broken += 1;
            }
            if let (Some(n), Some(c), Some(f)) = (
                self.cell(choice, &column.new),
                self.cell(choice, &column.carried),
                self.cell(choice, &column.forward),
            ) {
                if (n + c - processed - f).abs() > 1e-6 {
                    broken += 1;
                }
            }
        }
        broken
    }

    /// Where some rows alike read a column as 0, the others most likely do too ("3960181"
    /// is 396,0,181 when its neighbours read 本年增/减 as 0): each non-zero cell in such a
    /// column costs one. A row of zeros says nothing about which column is usually zero.
    fn zero_mix(&self, choice: &[Option<usize>]) -> f64 {
        let mut mix = 0.0;
        for rows in &self.alike {
            // The chosen cut of each row that prints a non-zero cell, walked once a column
            // (the search asks this of every trial: nothing is collected).
            let shown = rows.iter().filter_map(|&read| {
                let parts = &self.reads[read].splits[choice[read]?];
                parts.iter().any(|p| p.value != 0.0).then_some(parts)
            });
            let Some(first) = shown.clone().next() else {
                continue;
            };
            let count = shown.clone().count();
            if count < 2 {
                continue;
            }
            for col in 0..first.len() {
                let zeros = shown
                    .clone()
                    .filter(|parts| parts.get(col).is_some_and(|p| p.value == 0.0))
                    .count();
                if zeros > 0 {
                    mix += (count - zeros) as f64;
                }
            }
        }
        mix
    }
}

/// The rows (and places) that print a cell; none when no row of the table has it.
fn writers_of(writers: &BTreeMap<&str, Writers>, key: &str) -> Writers {
    writers.get(key).cloned().unwrap_or_default()
}

fn t3_columns(writers: &BTreeMap<&str, Writers>) -> Vec<Column> {
    let of = |key: String| writers_of(writers, &key);
    nianbao_model::T3_COLUMNS
        .iter()
        .map(|col| {
            let suffix = format!(".{col}");
            Column {
                items: writers
                    .iter()
                    .filter(|(k, _)| {
                        k.ends_with(&suffix) && T3_ITEM_ROWS.iter().any(|r| k.starts_with(r))
                    })
                    .map(|(_, w)| w.clone())
                    .collect(),
                processed: of(format!("t3.processed.{col}")),
                new: of(format!("t3.new.{col}")),
                carried: of(format!("t3.carried.{col}")),
                forward: of(format!("t3.forward.{col}")),
            }
        })
        .collect()
}
