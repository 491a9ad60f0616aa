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
    // Only the terms of the rows a trial changes are counted again.
    let mut running = Running::new(&penalty, &choice);
    let mut best = running.score(&choice);
    match total {
        Some(total) => {
            // Combination 0 is `choice`; each next one changes the first rows' splits, one
            // row most of the time.
            let mut trial = choice.clone();
            let mut changed = Vec::with_capacity(ambiguous.len());
            for combo in 0..total {
                let mut rest = combo;
                changed.clear();
                for (slot, &i) in ambiguous.iter().enumerate() {
                    let option = Some(rest % options[slot]);
                    if trial[i] != option {
                        trial[i] = option;
                        changed.push(i);
                    }
                    rest /= options[slot];
                }
                running.recount(&trial, &changed);
                let score = running.score(&trial);
                debug_assert_eq!(score.to_bits(), penalty.of(&trial).to_bits());
                if score < best - 1e-9 {
                    best = score;
                    choice.clone_from(&trial);
                }
            }
        }
        None => {
            // Each trial changes one row of `choice`, kept when it scores better and put
            // back otherwise.
            loop {
                let mut improved = false;
                for (slot, &i) in ambiguous.iter().enumerate() {
                    for option in 0..options[slot] {
                        let kept = choice[i];
                        choice[i] = Some(option);
                        running.recount(&choice, &[i]);
                        let score = running.score(&choice);
                        debug_assert_eq!(score.to_bits(), penalty.of(&choice).to_bits());
                        if score < best - 1e-9 {
                            best = score;
                            improved = true;
                        } else {
                            choice[i] = kept;
                            running.recount(&choice, &[i]);
                        }
                    }
                }
                if !improved {
                    break;
                }
            }
        }
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
    /// to row among rows alike. Counted whole, as the definition `Running` is held to.
    fn of(&self, choice: &[Option<usize>]) -> f64 {
        let (mut broken, mut mix) = (0, 0);
        for term in self.terms() {
            match term {
                Term::Alike(_) => mix += self.count(choice, term),
                _ => broken += self.count(choice, term),
            }
        }
        self.score(choice, broken, mix)
    }

    /// The score of `choice` given its counts of broken equations and of zero-mix.
    fn score(&self, choice: &[Option<usize>], broken: usize, mix: usize) -> f64 {
        let cost: f64 = choice
            .iter()
            .enumerate()
            .filter_map(|(read, chosen)| chosen.map(|i| self.costs[read][i]))
            .fold(0.0, |sum, c| sum + c);
        // Whole numbers: a sum of them is the same in any order.
        broken as f64 * 10.0 + cost + mix as f64
    }

    /// Every counted term of the penalty.
    fn terms(&self) -> impl Iterator<Item = Term> {
        let columns = (0..self.columns.len()).map(Term::Column);
        let totals = (0..self.parts.len()).map(Term::Total);
        columns
            .chain(totals)
            .chain((0..self.alike.len()).map(Term::Alike))
    }

    /// The rows whose splits a term's count depends on (with repeats).
    fn rows_of(&self, term: Term) -> Vec<usize> {
        let rows = |writers: &Writers| writers.iter().map(|&(read, _)| read).collect::<Vec<_>>();
        match term {
            Term::Column(c) => {
                let column = &self.columns[c];
                let sides = [
                    &column.processed,
                    &column.new,
                    &column.carried,
                    &column.forward,
                ];
                column.items.iter().chain(sides).flat_map(rows).collect()
            }
            Term::Total(t) => {
                let (total, parts) = &self.parts[t];
                std::iter::once(total).chain(parts).flat_map(rows).collect()
            }
            Term::Alike(a) => self.alike[a].clone(),
        }
    }

    /// A term's count under `choice`: its column's broken equations, whether its total is
    /// exceeded by its parts, or its rows' zero-mix.
    fn count(&self, choice: &[Option<usize>], term: Term) -> usize {
        match term {
            Term::Column(c) => self.column_broken(choice, &self.columns[c]),
            Term::Total(t) => usize::from(self.total_exceeded(choice, &self.parts[t])),
            Term::Alike(a) => self.alike_mix(choice, &self.alike[a]),
        }
    }

    /// Whether a total's parts, as far as they are printed, add up to more than it.
    fn total_exceeded(
        &self,
        choice: &[Option<usize>],
        (total, parts): &(Writers, Vec<Writers>),
    ) -> bool {
        let Some(total) = self.cell(choice, total) else {
            return false;
        };
        let sum: f64 = parts.iter().filter_map(|w| self.cell(choice, w)).sum();
        sum > total + 1e-6
    }

    /// A column's broken equations: （七）总计 against its items, 一 + 二 against 三 + 四.
    fn column_broken(&self, choice: &[Option<usize>], column: &Column) -> usize {
        let items: f64 = column
            .items
            .iter()
            .filter_map(|w| self.cell(choice, w))
            .sum();
        let Some(processed) = self.cell(choice, &column.processed) else {
            return 0;
        };
        let mut broken = usize::from((processed - items).abs() > 1e-6);
        if let (Some(n), Some(c), Some(f)) = (
            self.cell(choice, &column.new),
            self.cell(choice, &column.carried),
            self.cell(choice, &column.forward),
        ) {
            if (n + c - processed - f).abs() > 1e-6 {
                broken += 1;
            }
        }
        broken
    }

    /// Where some rows alike read a column as 0, the others most likely do too ("3960181"
    /// is 396,0,181 when its neighbours read 本年增/减 as 0): each non-zero cell in such a
    /// column costs one. A row of zeros says nothing about which column is usually zero.
    fn alike_mix(&self, choice: &[Option<usize>], rows: &[usize]) -> usize {
        // The chosen cut of each row that prints a non-zero cell; the columns are those of
        // the first such row.
        let shown = rows.iter().filter_map(|&read| {
            let parts = &self.reads[read].splits[choice[read]?];
            parts.iter().any(|p| p.value != 0.0).then_some(parts)
        });
        // Zeros counted by column in one walk over the rows (the search asks this of
        // every trial), on the stack for rows of up to 32 cells.
        let mut on_stack = [0usize; 32];
        let mut on_heap = Vec::new();
        let width = shown.clone().next().map_or(0, |first| first.len());
        let zeros: &mut [usize] = match width <= on_stack.len() {
            true => &mut on_stack[..width],
            false => {
                on_heap.resize(width, 0);
                &mut on_heap
            }
        };
        let mut count = 0;
        for parts in shown {
            count += 1;
            for (zeros, part) in zeros.iter_mut().zip(parts) {
                *zeros += usize::from(part.value == 0.0);
            }
        }
        if count < 2 {
            return 0;
        }
        zeros.iter().filter(|&&z| z > 0).map(|&z| count - z).sum()
    }
}

/// One counted term of a [`Penalty`], by its place in the penalty's lists.
#[derive(Clone, Copy)]
enum Term {
    Column(usize),
    Total(usize),
    Alike(usize),
}

/// A penalty's term counts under a choice, kept up to date as rows change their split:
/// only the terms of the rows changed are counted again. Its score is `Penalty::of`'s.
struct Running<'p, 'a> {
    penalty: &'p Penalty<'a>,
    terms: Vec<Term>,
    counts: Vec<usize>,
    /// For each row, the terms (by index in `terms`) that read it.
    terms_of_row: Vec<Vec<usize>>,
    broken: usize,
    mix: usize,
    /// The terms to count again for the current change (kept to reuse its room).
    stale: Vec<usize>,
}

impl<'p, 'a> Running<'p, 'a> {
    fn new(penalty: &'p Penalty<'a>, choice: &[Option<usize>]) -> Running<'p, 'a> {
        let terms: Vec<Term> = penalty.terms().collect();
        let mut terms_of_row = vec![Vec::new(); choice.len()];
        for (t, &term) in terms.iter().enumerate() {
            for read in penalty.rows_of(term) {
                if let Some(list) = terms_of_row.get_mut(read) {
                    if list.last() != Some(&t) {
                        list.push(t);
                    }
                }
            }
        }
        let mut running = Running {
            penalty,
            counts: vec![0; terms.len()],
            terms,
            terms_of_row,
            broken: 0,
            mix: 0,
            stale: Vec::new(),
        };
        for t in 0..running.terms.len() {
            running.set(choice, t);
        }
        running
    }

    /// Counts again the terms of `rows`, whose splits `choice` has changed.
    fn recount(&mut self, choice: &[Option<usize>], rows: &[usize]) {
        self.stale.clear();
        for &read in rows {
            self.stale.extend(&self.terms_of_row[read]);
        }
        self.stale.sort_unstable();
        self.stale.dedup();
        let stale = std::mem::take(&mut self.stale);
        for &t in &stale {
            self.set(choice, t);
        }
        self.stale = stale;
    }

    fn set(&mut self, choice: &[Option<usize>], t: usize) {
        let term = self.terms[t];
        let count = self.penalty.count(choice, term);
        let sum = match term {
            Term::Alike(_) => &mut self.mix,
            _ => &mut self.broken,
        };
        *sum = *sum - self.counts[t] + count;
        self.counts[t] = count;
    }

    fn score(&self, choice: &[Option<usize>]) -> f64 {
        self.penalty.score(choice, self.broken, self.mix)
    }
}

/// The rows (and places) that print a cell; none when no row of the table has it.
fn writers_of(writers: &BTreeMap<&str, Writers>, key: &str) -> Writers {
    writers.get(key).cloned().unwrap_or_default()
}

fn t3_columns(writers: &BTreeMap<&str, Writers>) -> Vec<Column> {
    let of = |row: &str, col: &str| writers_of(writers, &format!("t3.{row}.{col}"));
    let mut columns: Vec<Column> = nianbao_model::T3_COLUMNS
        .iter()
        .map(|col| Column {
            items: Vec::new(),
            processed: of("processed", col),
            new: of("new", col),
            carried: of("carried", col),
            forward: of("forward", col),
        })
        .collect();
    // One walk over the keys, in order: an item row's cell joins its column's items.
    for (key, writers) in writers {
        if !T3_ITEM_ROWS.iter().any(|r| key.starts_with(r)) {
            continue;
        }
        let column = key
            .rsplit_once('.')
            .and_then(|(_, col)| nianbao_model::T3_COLUMNS.iter().position(|c| *c == col));
        if let Some(column) = column {
            columns[column].items.push(writers.clone());
        }
    }
    columns
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 表三's columns by their definition: for each column, the item rows' cells ending in
    /// its name, in key order.
    fn t3_columns_by_definition(writers: &BTreeMap<&str, Writers>) -> Vec<Vec<Writers>> {
        nianbao_model::T3_COLUMNS
            .iter()
            .map(|col| {
                writers
                    .iter()
                    .filter(|(k, _)| {
                        k.ends_with(&format!(".{col}"))
                            && T3_ITEM_ROWS.iter().any(|r| k.starts_with(r))
                    })
                    .map(|(_, w)| w.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn t3_columns_take_each_item_row_s_cells_in_key_order() {
        let layouts = crate::layout::layouts()
            .iter()
            .filter(|l| l.id == TableId::T3);
        let mut checked = 0;
        for layout in layouts {
            // Each cell written by its row and place, as reading the table gives them.
            let mut writers: BTreeMap<&str, Writers> = BTreeMap::new();
            for (index, row) in layout.rows.iter().enumerate() {
                for (place, key) in row.cells.iter().enumerate() {
                    writers.entry(*key).or_default().push((index, place));
                }
            }
            let columns = t3_columns(&writers);
            let items: Vec<Vec<Writers>> = columns.iter().map(|c| c.items.clone()).collect();
            assert_eq!(
                items,
                t3_columns_by_definition(&writers),
                "{:?}",
                layout.era
            );
            assert!(columns
                .iter()
                .all(|c| !c.processed.is_empty() && c.items.len() >= 6));
            checked += 1;
        }
        assert!(checked >= 2, "{checked}");
    }
}
