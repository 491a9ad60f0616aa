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
#[derive(Debug, PartialEq)]
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
        let rows: Vec<(usize, bool)> = reads
            .iter()
            .map(|r| (r.row, !r.splits.is_empty()))
            .collect();
        let equations = Equations::of(layout.cell_numbers(), &rows);
        Penalty {
            reads,
            fixed,
            costs,
            columns: equations.columns,
            parts: equations.parts,
            alike: equations.alike,
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

/// What a penalty counts that depends only on which rows were read: 表三's column
/// equations, the totals and their parts, and the rows alike.
#[derive(Debug, PartialEq)]
struct Equations {
    columns: Vec<Column>,
    parts: Vec<(Writers, Vec<Writers>)>,
    alike: Vec<Vec<usize>>,
}

impl Equations {
    /// The equations over `rows`: each read row's index in its layout, and whether it was
    /// read with splits, in reading order.
    fn of(numbers: &CellNumbers, rows: &[(usize, bool)]) -> Equations {
        let mut writers: Vec<Writers> = vec![Vec::new(); numbers.count];
        let mut shapes: Vec<Vec<usize>> = vec![Vec::new(); numbers.shape_count];
        for (index, &(row, split)) in rows.iter().enumerate() {
            for (place, &cell) in numbers.rows[row].iter().enumerate() {
                writers[cell].push((index, place));
            }
            if split {
                shapes[numbers.shapes[row]].push(index);
            }
        }
        let of = |cell: Option<usize>| cell.map(|c| writers[c].clone()).unwrap_or_default();
        let columns = numbers
            .t3_columns
            .iter()
            .map(|column| Column {
                // Only the cells some row read (none is no equation term).
                items: column
                    .items
                    .iter()
                    .filter(|&&c| !writers[c].is_empty())
                    .map(|&c| writers[c].clone())
                    .collect(),
                processed: of(column.processed),
                new: of(column.new),
                carried: of(column.carried),
                forward: of(column.forward),
            })
            .collect();
        let parts = numbers
            .parts
            .iter()
            .map(|(total, parts)| (of(*total), parts.iter().map(|&p| of(p)).collect()))
            .collect();
        Equations {
            columns,
            parts,
            alike: shapes.into_iter().filter(|rows| rows.len() > 1).collect(),
        }
    }
}

/// A layout's cells numbered for the split choice, worked out once per layout: each
/// distinct key of its rows by its place in key order, so that which rows print a cell is
/// a list indexed by number instead of a map searched by key for every table read.
#[derive(Debug)]
pub(crate) struct CellNumbers {
    /// Each row's cells, by number.
    rows: Vec<Vec<usize>>,
    count: usize,
    /// Each row's shape (its cells' column names, the keys' last parts), numbered in the
    /// shapes' order: rows of one shape are alike.
    shapes: Vec<usize>,
    shape_count: usize,
    /// 表三's column equations (empty for other tables).
    t3_columns: Vec<ColumnCells>,
    /// The layout's totals and their parts (`None`: a key no row has).
    parts: Vec<(Option<usize>, Vec<Option<usize>>)>,
}

/// One column of 表三 by cell number: its item rows' cells in key order, and its four
/// other rows' cells.
#[derive(Debug)]
struct ColumnCells {
    items: Vec<usize>,
    processed: Option<usize>,
    new: Option<usize>,
    carried: Option<usize>,
    forward: Option<usize>,
}

impl CellNumbers {
    pub(crate) fn of(layout: &TableLayout) -> CellNumbers {
        let mut keys: Vec<&str> = layout
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().copied())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let number = |key: &str| keys.binary_search(&key).ok();
        // Every row's key is among `keys`: its place in them is its number.
        let rows = layout
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|k| keys.partition_point(|x| x < k))
                    .collect()
            })
            .collect();
        let shape_of = |cells: &[&'static str]| -> Vec<&'static str> {
            cells
                .iter()
                .map(|k| k.rsplit('.').next().unwrap_or(""))
                .collect()
        };
        let mut shapes: Vec<Vec<&str>> = layout.rows.iter().map(|r| shape_of(&r.cells)).collect();
        shapes.sort_unstable();
        shapes.dedup();
        // Likewise every row's shape is among `shapes`.
        let row_shapes = layout
            .rows
            .iter()
            .map(|r| {
                let shape = shape_of(&r.cells);
                shapes.partition_point(|s| *s < shape)
            })
            .collect();
        let t3_columns = match layout.id {
            TableId::T3 => nianbao_model::T3_COLUMNS
                .iter()
                .map(|col| {
                    let of = |row: &str| number(&format!("t3.{row}.{col}"));
                    ColumnCells {
                        items: t3_items(&keys, col),
                        processed: of("processed"),
                        new: of("new"),
                        carried: of("carried"),
                        forward: of("forward"),
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        let parts = layout
            .parts
            .iter()
            .filter_map(|list| list.split_first())
            .map(|(total, parts)| (number(total), parts.iter().map(|k| number(k)).collect()))
            .collect();
        CellNumbers {
            rows,
            count: keys.len(),
            shapes: row_shapes,
            shape_count: shapes.len(),
            t3_columns,
            parts,
        }
    }
}

/// The numbers of 表三's item rows' cells in `column`, in key order (`keys` sorted).
fn t3_items(keys: &[&str], column: &str) -> Vec<usize> {
    (0..keys.len())
        .filter(|&i| {
            T3_ITEM_ROWS.iter().any(|r| keys[i].starts_with(r))
                && keys[i].rsplit_once('.').is_some_and(|(_, c)| c == column)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// The equations by their definition: each key's writers in a map searched by key,
    /// 表三's items as the item rows' cells ending in the column's name, in key order.
    fn equations_by_definition(layout: &TableLayout, rows: &[(usize, bool)]) -> Equations {
        let mut writers: BTreeMap<&str, Writers> = BTreeMap::new();
        let mut shapes: BTreeMap<Vec<&str>, Vec<usize>> = BTreeMap::new();
        for (index, &(row, split)) in rows.iter().enumerate() {
            let cells = &layout.rows[row].cells;
            for (place, key) in cells.iter().enumerate() {
                writers.entry(*key).or_default().push((index, place));
            }
            if split {
                let shape = cells
                    .iter()
                    .map(|k| k.rsplit('.').next().unwrap_or(""))
                    .collect();
                shapes.entry(shape).or_default().push(index);
            }
        }
        let of = |key: &str| writers.get(key).cloned().unwrap_or_default();
        let columns = match layout.id {
            TableId::T3 => nianbao_model::T3_COLUMNS
                .iter()
                .map(|col| Column {
                    items: writers
                        .iter()
                        .filter(|(k, _)| {
                            k.ends_with(&format!(".{col}"))
                                && T3_ITEM_ROWS.iter().any(|r| k.starts_with(r))
                        })
                        .map(|(_, w)| w.clone())
                        .collect(),
                    processed: of(&format!("t3.processed.{col}")),
                    new: of(&format!("t3.new.{col}")),
                    carried: of(&format!("t3.carried.{col}")),
                    forward: of(&format!("t3.forward.{col}")),
                })
                .collect(),
            _ => Vec::new(),
        };
        let parts = layout
            .parts
            .iter()
            .filter_map(|list| list.split_first())
            .map(|(total, parts)| (of(total), parts.iter().map(|k| of(k)).collect()))
            .collect();
        Equations {
            columns,
            parts,
            alike: shapes.into_values().filter(|rows| rows.len() > 1).collect(),
        }
    }

    #[test]
    fn equations_by_cell_number_are_those_by_key() {
        let mut seeded = crate::tests::seeded(11);
        let mut next = |n: usize| seeded() % n.max(1);
        let (mut t3, mut alike, mut parts) = (0, 0, 0);
        for layout in crate::layout::layouts()
            .iter()
            .filter(|l| !l.rows.is_empty())
        {
            let numbers = CellNumbers::of(layout);
            for _ in 0..200 {
                // Some of the rows, in any order, now and then one twice, some with splits.
                let read: Vec<(usize, bool)> = (0..next(layout.rows.len() + 4))
                    .map(|_| (next(layout.rows.len()), next(3) > 0))
                    .collect();
                let by_number = Equations::of(&numbers, &read);
                assert_eq!(
                    by_number,
                    equations_by_definition(layout, &read),
                    "{:?} {:?} {read:?}",
                    layout.id,
                    layout.era
                );
                t3 += by_number
                    .columns
                    .iter()
                    .filter(|c| c.items.len() > 1)
                    .count();
                alike += by_number.alike.len();
                parts += by_number.parts.iter().filter(|p| !p.0.is_empty()).count();
            }
        }
        assert!(
            t3 > 100 && alike > 100 && parts > 100,
            "{t3} {alike} {parts}"
        );
    }

    #[test]
    fn t3_columns_hold_every_item_row() {
        let layouts = crate::layout::layouts()
            .iter()
            .filter(|l| l.id == TableId::T3);
        let mut checked = 0;
        for layout in layouts {
            let all: Vec<(usize, bool)> = (0..layout.rows.len()).map(|r| (r, false)).collect();
            let equations = Equations::of(layout.cell_numbers(), &all);
            assert!(
                equations
                    .columns
                    .iter()
                    .all(|c| !c.processed.is_empty() && c.items.len() >= 6),
                "{:?}",
                layout.era
            );
            checked += 1;
        }
        assert!(checked >= 2, "{checked}");
    }
}
