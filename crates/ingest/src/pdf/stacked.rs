//! Numbers a narrow column of a table without ruling lines wrapped a few characters a
//! line ("4" / "8" / "4" stacked in a cell, "125" / "9"): the pieces are found in each
//! value column and joined into the numbers of the rows beside them, at the rows' middles
//! where single-line values or labels show them, else one per label line.

use super::aligned::{is_value, ColumnLine};

/// Numbers a narrow column wrapped one or two characters a line ("1" / "," / "2" / "5" /
/// "9" centred on one label line) become one line each. In a value column, a run of lines
/// about one line apart, each a short piece of a number, is cut into the numbers of the
/// rows beside it (see `join_run`).
pub(super) fn join_wrapped_values(
    lines: Vec<ColumnLine>,
    value_column: &[bool],
    leaf_start: f64,
) -> Vec<ColumnLine> {
    let label_ys: Vec<(f64, f64)> = lines
        .iter()
        .filter(|l| !value_column.get(l.col).copied().unwrap_or(false))
        .filter(|l| l.glyphs.iter().any(|g| g.x + g.width > leaf_start))
        .map(|l| (l.y, l.size))
        .collect();
    let centres = row_centres(&lines, value_column, &label_ys);
    let labels = LabelLines(label_ys);
    let (mut out, mut values): (Vec<ColumnLine>, Vec<ColumnLine>) =
        lines.into_iter().partition(|l| {
            !value_column.get(l.col).copied().unwrap_or(false) || !is_wrapped_piece(&l.text)
        });
    values.sort_by(|a, b| a.col.cmp(&b.col).then(a.y.total_cmp(&b.y)));
    let mut run: Vec<ColumnLine> = Vec::new();
    for line in values {
        let continues = run
            .last()
            .is_some_and(|p| p.col == line.col && line.y - p.y < line.size.max(p.size) * 2.0);
        if !continues {
            out.extend(join_run(std::mem::take(&mut run), &labels, &centres));
        }
        run.push(line);
    }
    out.extend(join_run(run, &labels, &centres));
    out
}

/// The baselines (and sizes) of the leaf label column's lines.
struct LabelLines(Vec<(f64, f64)>);

impl LabelLines {
    /// A label line stands on the line's baseline.
    fn beside(&self, l: &ColumnLine) -> bool {
        self.0.iter().any(|(y, size)| (y - l.y).abs() < size * 0.45)
    }

    /// How far the nearest label line is from `y`.
    fn distance(&self, y: f64) -> f64 {
        self.0
            .iter()
            .map(|(ly, _)| (ly - y).abs())
            .fold(f64::MAX, f64::min)
    }
}

/// Where rows certainly have their middle: a value standing alone in its column (no other
/// line of its column within two sizes, so it is no piece of a wrapped number), and
/// a label line alone in the leaf label column. Cells are centred in their rows, so a
/// number wrapped over several lines is centred there too.
fn row_centres(lines: &[ColumnLine], value_column: &[bool], label_ys: &[(f64, f64)]) -> Vec<f64> {
    let alone_in_column = |l: &ColumnLine| {
        !lines
            .iter()
            .any(|o| o.col == l.col && o.y != l.y && (o.y - l.y).abs() < l.size * ALONE_SIZES)
    };
    let mut centres: Vec<f64> = lines
        .iter()
        .filter(|l| value_column.get(l.col).copied().unwrap_or(false))
        .filter(|l| is_value(&l.text) && alone_in_column(l))
        .map(|l| l.y)
        .collect();
    centres.extend(
        label_ys
            .iter()
            .filter(|(y, size)| {
                !label_ys
                    .iter()
                    .any(|(o, _)| o != y && (o - y).abs() < size * 2.0)
            })
            .map(|(y, _)| *y),
    );
    centres.sort_by(f64::total_cmp);
    centres.dedup_by(|b, a| *b - *a < 2.0);
    centres
}

/// One or two characters of a number: digits and separators.
pub(super) fn is_number_piece(text: &str) -> bool {
    is_digits_of_at_most(text, 2)
}

/// A line of digits and separators short enough to be a line of a wrapped number: a
/// column a digit or two wide stacks them ("1" / "," / "2"), one three digits wide wraps
/// a fourth ("125" / "9"). Whether the lines of a run are one number or several rows' is
/// told by the rows beside them (`join_run`), not by their length.
pub(super) fn is_wrapped_piece(text: &str) -> bool {
    is_digits_of_at_most(text, PIECE_CHARS)
}

/// Digits and separators only, one to `most` of them (surrounding spaces aside).
fn is_digits_of_at_most(text: &str, most: usize) -> bool {
    let t = text.trim();
    (1..=most).contains(&t.chars().count()) && t.chars().all(is_printed_digit)
}

/// The longest line a wrapped number is taken to have: a narrow column wraps "６７０，７６"
/// over "１", a wider one 表二's amount "７５３９．４４３２５" over "２" (full-width digits
/// and separators take two digits' room). Longer lines are whole values.
const PIECE_CHARS: usize = 16;

/// How far (in font sizes) a value is from any other line of its column to stand alone,
/// a row's middle: a wrapped number's lines are about 1.2 sizes apart, and rows with
/// cell padding less than 2 (1.9 in the layout lab's borderless tables).
const ALONE_SIZES: f64 = 1.5;

/// A digit or a separator as a page prints it: full-width forms are normalised later.
pub(super) fn is_printed_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c) || ",.，．".contains(c)
}

/// One run of a value column's short lines, joined into one line per row. The rows are
/// found from the centres of rows beside the run (`cuts_on_centres`), else from the label
/// lines beside it, one row per label line (`cuts_on_label_lines`); a run no cut reads as
/// numbers stays as it was.
fn join_run(run: Vec<ColumnLine>, labels: &LabelLines, centres: &[f64]) -> Vec<ColumnLine> {
    if run.len() < 2 {
        return run;
    }
    let Some(groups) =
        cuts_on_centres(&run, labels, centres).or_else(|| cuts_on_label_lines(&run, labels))
    else {
        return run;
    };
    let mut lines: Vec<Option<ColumnLine>> = run.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for (from, to, y) in groups {
        let pieces: Vec<ColumnLine> = lines[from..to].iter_mut().flat_map(Option::take).collect();
        let Some(first) = pieces.first() else {
            continue;
        };
        out.push(ColumnLine {
            col: first.col,
            y,
            size: first.size,
            text: pieces.iter().map(|l| l.text.trim()).collect(),
            glyphs: pieces.into_iter().flat_map(|l| l.glyphs).collect(),
        });
    }
    out
}

/// Whether lines `a..b` of a run read as one number.
fn reads_as_number(run: &[ColumnLine], a: usize, b: usize) -> bool {
    let text: String = run[a..b].iter().map(|l| l.text.trim()).collect();
    reads_as_one_number(&text)
}

/// Pieces of a number joined read as one: digits, separators in threes, no leading zero.
pub(super) fn reads_as_one_number(text: &str) -> bool {
    let t = ascii_number(text);
    let leading_zero = t.len() > 1 && t.starts_with('0') && !t.starts_with("0.");
    reads_grouped(&t) && !leading_zero
}

/// A number's pieces joined as ASCII: full-width digits and separators, no spaces.
fn ascii_number(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '，' => ',',
            '．' => '.',
            c => c,
        })
        .collect()
}

/// A value whose thousands separators, if any, group its digits in threes.
fn reads_grouped(ascii: &str) -> bool {
    is_value(ascii) && grouped_in_threes(ascii)
}

/// Cuts a run into numbers, each centred on a row centre, a centre to a number, in order;
/// a line beside its own label line may stay a number of its own. Each cut with the
/// baseline of its row; None when some line fits neither.
fn cuts_on_centres(
    run: &[ColumnLine],
    labels: &LabelLines,
    centres: &[f64],
) -> Option<Vec<(usize, usize, f64)>> {
    const LONGEST: usize = 12;
    let size = run.iter().map(|l| l.size).fold(1.0, f64::max);
    let (top, bottom) = (run[0].y - size * 2.0, run[run.len() - 1].y + size * 2.0);
    let centres: Vec<f64> = centres
        .iter()
        .copied()
        .filter(|c| (top..=bottom).contains(c))
        .collect();
    let (n, m) = (run.len(), centres.len());
    // best[i][j]: the least cost of lines i.. with centres j.. free, and the first cut.
    let mut best: Vec<Vec<Option<(f64, usize, bool)>>> = vec![vec![None; m + 1]; n + 1];
    best[n].fill(Some((0.0, n, false)));
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            let mut choice: Option<(f64, usize, bool)> = None;
            let mut consider =
                |cost: f64, end: usize, uses_centre: bool, rest: Option<(f64, usize, bool)>| {
                    if let Some((r, _, _)) = rest {
                        if choice.is_none_or(|(c, _, _)| cost + r < c) {
                            choice = Some((cost + r, end, uses_centre));
                        }
                    }
                };
            if j < m {
                // Centre j has no number in this column (a blank cell).
                consider(0.0, i, false, best[i][j + 1]);
                for e in (i + 1)..=(i + LONGEST).min(n) {
                    if !reads_as_number(run, i, e) {
                        continue;
                    }
                    let middle = (run[i].y + run[e - 1].y) / 2.0;
                    let off = (middle - centres[j]).abs() / size;
                    // A row holds its number: none of its lines is nearer another row.
                    let within = |l: &ColumnLine| {
                        let own = (l.y - centres[j]).abs();
                        centres.iter().all(|c| (l.y - c).abs() >= own)
                    };
                    if off <= 0.6 && run[i..e].iter().all(within) {
                        consider(off, e, true, best[e][j + 1]);
                    }
                }
            }
            if labels.beside(&run[i]) && reads_as_number(run, i, i + 1) {
                // A small tie-breaker: a number centred on a row is likelier than its
                // pieces each happening to stand beside a label line.
                consider(0.3, i + 1, false, best[i + 1][j]);
            }
            best[i][j] = choice;
        }
    }
    let mut groups = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n {
        let (_, end, uses_centre) = best[i][j]?;
        if end == i {
            j += 1;
            continue;
        }
        if uses_centre {
            groups.push((i, end, centres[j]));
            j += 1;
        } else {
            groups.push((i, end, run[i].y));
        }
        i = end;
    }
    Some(groups)
}

/// Cuts a run into one group per label line beside it: the cuts are those where every
/// group reads as a number (thousands separators in threes), its label line nearest its
/// middle; each cut with the baseline of its label line. A run whose lines each have their
/// own label line stays as it is (None).
fn cuts_on_label_lines(
    run: &[ColumnLine],
    label_lines: &LabelLines,
) -> Option<Vec<(usize, usize, f64)>> {
    let labels: Vec<usize> = (0..run.len())
        .filter(|&i| label_lines.beside(&run[i]))
        .collect();
    // A group's lines stand nearer its label line than any other: a value centred on a
    // two-line label between label lines is its own row's, not a piece of the next one.
    let nearest_is = |k: usize, own: usize| {
        let d = (run[k].y - run[own].y).abs();
        d <= label_lines.distance(run[k].y) + run[k].size * 0.25
    };
    if labels.is_empty() || labels.len() == run.len() {
        return None;
    }
    let reads = |a: usize, b: usize| reads_as_number(run, a, b);
    // best[j][b]: the least cost of groups j.. when group j starts at line b, and its end.
    let k = labels.len();
    let mut best: Vec<Vec<Option<(f64, usize)>>> = vec![vec![None; run.len() + 1]; k + 1];
    best[k][run.len()] = Some((0.0, run.len()));
    for j in (0..k).rev() {
        let starts = if j == 0 {
            0..=0
        } else {
            (labels[j - 1] + 1)..=labels[j]
        };
        for b in starts {
            let ends = if j + 1 == k {
                run.len()..=run.len()
            } else {
                (labels[j] + 1)..=labels[j + 1]
            };
            let mut choice: Option<(f64, usize)> = None;
            for e in ends {
                let Some((rest, _)) = best[j + 1][e] else {
                    continue;
                };
                if !reads(b, e) || !(b..e).all(|i| nearest_is(i, labels[j])) {
                    continue;
                }
                let middle = (b + e - 1) as f64 / 2.0;
                let cost = rest + (labels[j] as f64 - middle).abs();
                if choice.is_none_or(|(c, _)| cost < c) {
                    choice = Some((cost, e));
                }
            }
            best[j][b] = choice;
        }
    }
    let mut groups = Vec::new();
    let mut at = 0;
    for (j, row) in best.iter().take(k).enumerate() {
        let (_, end) = row[at]?;
        groups.push((at, end, run[labels[j]].y));
        at = end;
    }
    Some(groups)
}

/// Thousands separators, if any, split the integer part in groups of three.
fn grouped_in_threes(text: &str) -> bool {
    let whole = text.split('.').next().unwrap_or("");
    let mut groups = whole.split(',');
    let head = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    rest.is_empty()
        || ((1..=3).contains(&head.chars().count()) && rest.iter().all(|g| g.chars().count() == 3))
}
