//! Tables without ruling lines, as Camelot's stream mode and Tabula find them. Lines of
//! text that hold values mark a table; its header lines are the lines of words just above.
//! Columns are the gutters: x ranges where no glyph of the table's body stands, on any line.
//! Each column is then read on its own, line by line (a narrow column's label wraps on
//! baselines of its own, which the page's lines would mix with its neighbours'); every
//! line of values is a row, and each line of a label column joins the row of values it is
//! nearest to (values stand on a label's first line, or centred on its lines). A numbered
//! label line far from any values starts a row of its own: a row printed blank.

use super::content::Glyph;
use super::page::{line_text, lines};
use super::ruling::{RuledCell, RuledTable};
use super::stacked::{
    is_number_piece, is_printed_digit, is_wrapped_piece, join_wrapped_values, reads_as_one_number,
};

/// A table found by alignment: its boxes and the glyphs of each cell.
pub(crate) struct AlignedTable {
    pub table: RuledTable,
    pub cells: Vec<Vec<Glyph>>,
}

/// A page line: its glyphs, baseline (y-down) and size.
struct Line {
    glyphs: Vec<Glyph>,
    y: f64,
    size: f64,
    /// Runs of glyphs apart from each other by a wide gap, and which of them are values.
    runs: Vec<Vec<Glyph>>,
    run_is_value: Vec<bool>,
}

impl Line {
    fn new(glyphs: Vec<Glyph>, height: f64) -> Line {
        let (runs, run_is_value): (Vec<Vec<Glyph>>, Vec<bool>) =
            cut_at_gaps(&glyphs, |gap, size| gap > size * 1.8)
                .into_iter()
                .flat_map(value_runs)
                .unzip();
        Line {
            y: height - glyphs[0].y,
            size: glyphs.iter().map(|g| g.size).fold(0.0, f64::max),
            glyphs,
            runs,
            run_is_value,
        }
    }

    fn chunks(&self) -> &[Vec<Glyph>] {
        &self.runs
    }

    fn values(&self) -> usize {
        self.run_is_value.iter().filter(|v| **v).count()
    }

    /// Where the line's values begin.
    fn value_left(&self) -> Option<f64> {
        self.runs
            .iter()
            .zip(&self.run_is_value)
            .filter(|(_, v)| **v)
            .map(|(r, _)| r[0].x)
            .reduce(f64::min)
    }

    /// A line of values: two values, or one after words.
    fn has_values(&self) -> bool {
        let values = self.values();
        values >= 2 || (values == 1 && self.runs.len() >= 2 && !self.run_is_value[0])
    }

    /// Whether a glyph of the line ends right of `x` (by more than a point).
    fn reaches_past(&self, x: f64) -> bool {
        self.glyphs.iter().any(|g| g.x + g.width > x + 1.0)
    }

    /// A header line: words in two places or more, no values. Separators alone (",  ,")
    /// are the middle of numbers a narrow column wrapped, not words.
    fn is_header(&self) -> bool {
        self.runs.len() >= 2
            && self.values() == 0
            && !self
                .runs
                .iter()
                .all(|r| is_number_piece(&r.iter().map(|g| g.ch).collect::<String>()))
    }
}

/// Glyphs in order cut into runs where `cut(gap, size)` says the gap before a glyph is
/// wide enough.
fn cut_at_gaps(glyphs: &[Glyph], cut: impl Fn(f64, f64) -> bool) -> Vec<Vec<Glyph>> {
    let mut runs: Vec<Vec<Glyph>> = Vec::new();
    for g in glyphs {
        match runs.last_mut() {
            Some(run)
                if !cut(
                    g.x - (run[run.len() - 1].x + run[run.len() - 1].width),
                    g.size,
                ) =>
            {
                run.push(g.clone())
            }
            _ => runs.push(vec![g.clone()]),
        }
    }
    runs
}

/// A run and whether it is a value; a run that is words or a value followed by values, or
/// values that read as one ("０   ０   ０"), is cut into them: wide numbers in adjacent
/// columns ("２，１６２  ＋３，１５９"), a label that fills its column and the value after it,
/// or a row's single digits, leave a gutter narrower than the gap that separates runs. Only
/// gaps of a font size or more cut, wider than a space inside a number.
fn value_runs(run: Vec<Glyph>) -> Vec<(Vec<Glyph>, bool)> {
    let whole = is_value(&line_text(&run, false));
    let digit = |g: &Glyph| g.ch.is_ascii_digit() || ('０'..='９').contains(&g.ch);
    if !run.iter().any(digit) {
        return vec![(run, whole)];
    }
    // A number's digits touch: a gap of a font size inside a run of digits parts values
    // ("０   ０   ０": a row's zeros, full-width, closer than the gap between runs).
    let parts = cut_at_gaps(&run, |gap, size| gap >= size);
    if parts.len() < 2 {
        return vec![(run, whole)];
    }
    let values: Vec<bool> = parts
        .iter()
        .map(|p| is_value(&line_text(p, false)))
        .collect();
    let parted = match whole {
        true => values.iter().all(|v| *v) && parts.iter().all(|p| p.iter().any(digit)),
        false => values[1..].iter().all(|v| *v),
    };
    match parted {
        true => parts.into_iter().zip(values).collect(),
        false => vec![(run, whole)],
    }
}

/// A number as tables print them, or a placeholder for none.
pub(crate) fn is_value(text: &str) -> bool {
    // Most texts asked are labels: a char that no value or placeholder holds answers
    // without building anything.
    text.chars().all(may_be_in_value) && is_value_as_written(text)
}

/// Whether a char may be in a value or a placeholder (`is_value_as_written`'s chars).
fn may_be_in_value(c: char) -> bool {
    c.is_whitespace()
        || c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || matches!(
            c,
            '.' | ','
                | '．'
                | '，'
                | '增'
                | '减'
                | '+'
                | '-'
                | '−'
                | '＋'
                | '－'
                | '万'
                | '元'
                | '/'
                | '—'
                | '无'
                | '／'
        )
}

/// `is_value` by its definition.
fn is_value_as_written(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(
        t.as_str(),
        "/" | "—" | "——" | "-" | "--" | "无" | "／" | "－"
    ) {
        return true;
    }
    let t = t
        .trim_start_matches(['增', '减', '+', '-', '−', '＋', '－'])
        .trim_end_matches("万元")
        .trim_end_matches('元');
    !t.is_empty()
        && t.chars()
            .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
        && t.chars().all(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || matches!(c, '.' | ',' | '．' | '，')
        })
}

/// Where a group header stands over its columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupHeaders {
    /// Centred (a PDF): a header's columns are those whose middles it covers.
    Centred,
    /// At the left of its columns (text laid out with spaces): a header also spans the
    /// empty columns after it, and the empty header rows under it.
    LeftAligned,
}

/// The tables among glyphs that are in no ruled table; returns them and the glyphs left.
pub(crate) fn tables(
    glyphs: Vec<Glyph>,
    height: f64,
    groups: GroupHeaders,
) -> (Vec<AlignedTable>, Vec<Glyph>) {
    let page_lines: Vec<Line> = lines(glyphs)
        .into_iter()
        .map(|glyphs| Line::new(glyphs, height))
        .collect();
    let mut found = Vec::new();
    let mut used = vec![false; page_lines.len()];
    let mut i = 0;
    while i < page_lines.len() {
        if !page_lines[i].has_values() {
            i += 1;
            continue;
        }
        let (start, end) = extent(&page_lines, i, max_label_lines(groups));

        for segment in segments(&page_lines, start, end) {
            if let Some(t) = table(&page_lines, &segment, height, groups) {
                segment.iter().for_each(|&k| used[k] = true);
                found.push(t);
            }
        }
        i = end.max(i + 1);
    }
    let rest = page_lines
        .into_iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .flat_map(|(l, _)| l.glyphs)
        .collect();
    (found, rest)
}

/// Most lines without values a table runs on for. Laid-out text wraps a label a few
/// characters a line in a narrow label column with the values centred on it, which puts
/// up to this many lines between two rows' values. A PDF keeps 8: more read fewer cells of
/// the layout lab's borderless PDFs.
fn max_label_lines(groups: GroupHeaders) -> usize {
    match groups {
        GroupHeaders::Centred => 8,
        GroupHeaders::LeftAligned => 14,
    }
}

fn gap(a: &Line, b: &Line) -> f64 {
    (b.y - a.y).abs() / a.size.max(b.size).max(1.0)
}

/// Whether a line holds only pieces of numbers a narrow column wrapped, all of it from
/// `value_left` on (where a row's values begin).
fn is_number_piece_in(line: &Line, value_left: f64) -> bool {
    line.glyphs.iter().all(|g| g.x + 1.0 >= value_left)
        && line
            .runs
            .iter()
            .all(|r| is_wrapped_piece(&r.iter().map(|g| g.ch).collect::<String>()))
}

/// The lines of the table around the line of values at `first`: header lines above it,
/// then lines of values with the label lines among them, up to the last line of values and
/// the label lines right after it. Returns the range of lines.
fn extent(lines: &[Line], first: usize, max_label_lines: usize) -> (usize, usize) {
    let mut start = first;
    // The first lines of a label whose values are centred lower down, and the first digits
    // of a number a narrow column wrapped.
    let value_left = lines[first].value_left().unwrap_or(f64::MAX);
    let in_label_columns = |l: &Line| l.glyphs.iter().all(|g| g.x + g.width < value_left);
    let label_line = |l: &Line| l.chunks().len() == 1 && in_label_columns(l);
    while start > 0
        && start + 8 > first
        && (label_line(&lines[start - 1]) || is_number_piece_in(&lines[start - 1], value_left))
        && gap(&lines[start - 1], &lines[start]) < 1.8
    {
        start -= 1;
    }
    while start > 0 && lines[start - 1].is_header() && gap(&lines[start - 1], &lines[start]) < 3.0 {
        start -= 1;
    }
    let mut end = first + 1;
    let mut last_values = first;
    // Whether every line since the last values is in the label columns.
    let mut only_labels = true;
    while end < lines.len() {
        // A gap wider than a few lines, or more lines without values than wrapped labels
        // leave between two rows' values, ends the table. Lines in the label columns only
        // may run on twice as long: a long label in a very narrow column ("1．申请 / 人无
        // 正当 / …" four characters a line, its values centred on its sixth line).
        let line = &lines[end];
        let without_values = end - last_values;
        let one_label = only_labels && (in_label_columns(line) || line.has_values());
        let too_many = without_values > max_label_lines
            && !(one_label && without_values <= 2 * max_label_lines);
        let wide_gap = gap(&lines[end - 1], line) > 4.0;
        if (wide_gap && !row_under(&lines[last_values], line)) || too_many {
            break;
        }
        if line.has_values() {
            last_values = end;
            only_labels = true;
        } else {
            only_labels &= in_label_columns(line);
        }
        end += 1;
    }
    // Label lines right after the last values: the rest of its label, wrapped in the label
    // columns. A heading that follows runs over the values' columns or is numbered
    // (四、政府信息公开行政复议…).
    // And the last digits of a number a narrow column wrapped, centred on the last row.
    let last_left = lines[last_values].value_left().unwrap_or(f64::MAX);
    // A label wrapped over many lines keeps them all, its group column's chars beside its
    // first ones; a line with digits in more than one chunk is no label's rest.
    let label_rest = |l: &Line| {
        l.glyphs.iter().all(|g| g.x + g.width <= last_left)
            && !starts_item(&line_text(&l.glyphs, false))
            && (l.chunks().len() == 1 || !l.glyphs.iter().any(|g| g.ch.is_ascii_digit()))
    };
    let mut stop = last_values + 1;
    while stop < end
        && !lines[stop].has_values()
        && gap(&lines[stop - 1], &lines[stop]) < 1.8
        && ((stop - last_values <= max_label_lines && label_rest(&lines[stop]))
            || (stop - last_values <= 3 && is_number_piece_in(&lines[stop], last_left)))
    {
        stop += 1;
    }
    (start, stop)
}

/// Where a run of glyphs starts and ends, left to right.
fn run_span(run: &[Glyph]) -> Option<(f64, f64)> {
    Some((run.first()?.x, run.last().map(|g| g.x + g.width)?))
}

/// Whether `line`, after a gap wider than a table's rows leave, is still a row of the
/// table whose last line of values is `above`: a row of fewer values, each under one of
/// those, not far below (a browser's print spaces tall rows out, and `pdftotext -layout`
/// keeps the space as blank lines: "行政处罚  116  34  670761", three blank lines, "行政强制
/// 775" under the 670761). Alone, such a row's columns are not known; a row printing as
/// many values as the row above needs no columns but its own, and its own table keeps it
/// from columns that rows with labels apart from their item numbers blur ("2  、传真…").
fn row_under(above: &Line, line: &Line) -> bool {
    // A row opens with its label: a number first is its item number ("2   、传真申请数").
    let value_spans = |l: &Line| -> Vec<(f64, f64)> {
        l.runs
            .iter()
            .zip(&l.run_is_value)
            .skip(1)
            .filter(|(_, is_value)| **is_value)
            .filter_map(|(run, _)| run_span(run))
            .collect()
    };
    let (over, under) = (value_spans(above), value_spans(line));
    let stands_under = |&(left, right): &(f64, f64)| {
        over.iter()
            .any(|&(over_left, over_right)| left < over_right && over_left < right)
    };
    gap(above, line) <= 8.0
        && line.has_values()
        && under.len() < over.len()
        && under.iter().all(stands_under)
}

/// The table's lines (indices) cut where header lines follow lines of values: 表二's bands
/// each have their header and their own columns. A band's one-chunk title goes with it.
fn segments(lines: &[Line], start: usize, end: usize) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new()];
    // Where the band's values begin: a header has words there; a label wrapped over its
    // label columns has none.
    let mut value_left: Option<f64> = None;
    // Where the band's labels end: the right edge of its rows' labels.
    let mut label_right: Option<f64> = None;
    for k in start..end {
        let line = &lines[k];
        if let (Some(left), Some(right)) = (value_left, label_right) {
            if opens_header_in_pieces(lines, k, end, left, right) {
                // The band's title right above goes with it.
                let current = out.last_mut().expect("one segment at least");
                let title = current.last().copied().filter(|&l| {
                    let title = &lines[l];
                    title.chunks().len() == 1
                        && !title.has_values()
                        && gap(title, line) < 3.0
                        && title.reaches_past(right)
                });
                current.truncate(current.len() - usize::from(title.is_some()));
                out.push(title.into_iter().collect());
                value_left = None;
                label_right = None;
            }
        }
        let header = line.is_header()
            && value_left.is_some_and(|left| {
                line.chunks()
                    .iter()
                    .any(|c| c[c.len() - 1].x + c[c.len() - 1].width > left + 1.0)
            });
        if header {
            let current = out.last_mut().expect("one segment at least");
            // The new table's upper header lines (行政复议 … 行政诉讼 over 表四's columns) may
            // reach no further right than the last values did: header lines right above
            // this one go with it, and a one-chunk title above them.
            // Lines in the label columns only are the rest of the last row's label.
            let left = value_left.unwrap_or(f64::MAX);
            let over_values = |l: &Line| l.reaches_past(left);
            let mut carried: Vec<usize> = Vec::new();
            while let Some(&l) = current.last() {
                let next = carried.last().copied().unwrap_or(k);
                let above = &lines[l];
                let heading = above.is_header() || (!above.has_values() && over_values(above));
                if !heading || gap(above, &lines[next]) >= 1.8 || carried.len() == 3 {
                    break;
                }
                carried.extend(current.pop());
            }
            // Then its one-chunk title: any, right above the header; above header lines
            // carried, a numbered one or one reaching past the band's labels (the rest of
            // the last row's label is neither: "第二十条第（六）项" centred over the columns
            // is a title).
            if let Some(&l) = current.last() {
                let title = &lines[l];
                let numbered = starts_item(&line_text(&title.glyphs, false));
                let past_labels = label_right.is_some_and(|right| title.reaches_past(right));
                if title.chunks().len() == 1
                    && !title.has_values()
                    && (carried.is_empty() || numbered || past_labels)
                {
                    carried.extend(current.pop());
                }
            }
            carried.reverse();
            out.push(carried);
            value_left = None;
            label_right = None;
        }
        // The leftmost values of the band so far: a row that printed only its last column
        // (行政强制 … 775) does not hide the columns a following header stands over.
        if line.has_values() {
            value_left = match (value_left, line.value_left()) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if let Some(label) = line.runs.first().filter(|_| !line.run_is_value[0]) {
                let right = label.iter().map(|g| g.x + g.width).fold(f64::MIN, f64::max);
                label_right = Some(label_right.map_or(right, |r: f64| r.max(right)));
            }
        }
        if let Some(current) = out.last_mut() {
            current.push(k);
        }
    }
    out.retain(|s| s.iter().any(|&k| lines[k].has_values()));
    out
}

/// Whether line `k` opens a band whose header is printed in pieces, a line each, none a
/// header line of its own: words right of the band's labels, over its values' columns (a
/// header cell wrapped), then, before the band's first values, a line in the label columns
/// only ("信息内容", centred on the wrapped header). A label wrapped in a narrow column may
/// reach over the values' columns, but starts where labels start.
fn opens_header_in_pieces(
    lines: &[Line],
    k: usize,
    end: usize,
    value_left: f64,
    label_right: f64,
) -> bool {
    // Words, not digits: a row's values printed close together read as one run.
    let over_values = |l: &Line| {
        l.glyphs.iter().all(|g| g.x >= label_right)
            && l.reaches_past(value_left)
            && l.glyphs
                .iter()
                .any(|g| !is_printed_digit(g.ch) && !g.ch.is_whitespace())
    };
    let in_labels = |l: &Line| l.glyphs.iter().all(|g| g.x + g.width <= value_left);
    if lines[k].has_values() || !over_values(&lines[k]) {
        return false;
    }
    let mut label_seen = false;
    for j in k + 1..end {
        if lines[j].has_values() || gap(&lines[j - 1], &lines[j]) >= 3.0 {
            return label_seen && lines[j].has_values();
        }
        label_seen |= in_labels(&lines[j]);
    }
    false
}

/// Column boundaries: the middles of the gutters no glyph of the body lines covers. A word
/// of `words` that stands inside a gutter, touching no glyph, stands over a column of its
/// own there (one the body leaves blank).
fn columns(body: &[&Glyph], words: &[(f64, f64)]) -> Vec<f64> {
    let covered = covered_spans(body.iter().map(|g| (g.x, g.x + g.width)).collect());
    let in_gutters = words
        .iter()
        .copied()
        .filter(|&(a, b)| covered.iter().all(|&(x0, x1)| b + 1.0 < x0 || a > x1 + 1.0));
    let covered = covered_spans(covered.iter().copied().chain(in_gutters).collect());
    let Some(first) = covered.first() else {
        return Vec::new();
    };
    let mut xs = vec![first.0 - 2.0];
    xs.extend(covered.windows(2).map(|p| (p[0].1 + p[1].0) / 2.0));
    xs.push(covered[covered.len() - 1].1 + 2.0);
    xs
}

/// Spans (x0, x1) merged where they overlap or nearly touch, left to right.
fn covered_spans(mut spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut covered: Vec<(f64, f64)> = Vec::new();
    for (x0, x1) in spans {
        match covered.last_mut() {
            Some(last) if x0 <= last.1 + 1.0 => last.1 = last.1.max(x1),
            _ => covered.push((x0, x1)),
        }
    }
    covered
}

/// The header's words that may stand over columns of their own (`columns` takes those in
/// its gutters): those of lines with words in two places or more (a group title stands
/// alone on its line). Leaf headers wrapped to
/// different depths put "总计" on one line and "其他" on the next, so that no one line
/// shows every leaf column, and with blank cells printed as nothing the body does not
/// either.
fn leaf_header_words(header: &[&Line]) -> Vec<(f64, f64)> {
    header
        .iter()
        .filter(|l| l.chunks().len() >= 2)
        .flat_map(|l| l.chunks())
        .filter_map(|w| run_span(w))
        .collect()
}

/// Label columns that rows spanning them hide from the gutters (一、本年新收… runs over all
/// three of 表三's label columns): where lines that have words in two label columns leave a
/// gap between them, at the same place on two lines or more.
fn label_columns(body: &[&Line], label_end: f64) -> Vec<f64> {
    let mut gaps: Vec<(f64, f64)> = Vec::new();
    for line in body {
        let label: Vec<&Glyph> = line
            .glyphs
            .iter()
            .filter(|g| g.centre().0 < label_end)
            .collect();
        for pair in label.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            if b.x - (a.x + a.width) > a.size.max(b.size) * 0.6 {
                gaps.push((a.x + a.width, b.x));
            }
        }
    }
    // Gaps that overlap share a boundary: the middle of what they have in common.
    gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut found: Vec<f64> = Vec::new();
    let mut group: Option<((f64, f64), usize)> = None;
    for (from, to) in gaps {
        group = match group {
            Some(((a, b), n)) if from.max(a) + 1.0 < to.min(b) => {
                Some(((from.max(a), to.min(b)), n + 1))
            }
            Some(((a, b), n)) => {
                if n >= 2 {
                    found.push((a + b) / 2.0);
                }
                Some(((from, to), 1))
            }
            None => Some(((from, to), 1)),
        };
    }
    if let Some(((a, b), n)) = group {
        if n >= 2 {
            found.push((a + b) / 2.0);
        }
    }
    found
}

/// A row's cells as (first column, columns): columns a run of words crosses without a gap
/// (a label spanning label columns, its lines wrapped across them) are one cell.
fn spans_of(row: &[Vec<Glyph>], xs: &[f64]) -> Vec<(usize, usize)> {
    let mut glyphs: Vec<(usize, &Glyph)> = row
        .iter()
        .enumerate()
        .flat_map(|(c, cell)| cell.iter().map(move |g| (c, g)))
        .collect();
    glyphs.sort_by(|a, b| b.1.y.total_cmp(&a.1.y).then(a.1.x.total_cmp(&b.1.x)));
    let mut joined = vec![false; xs.len()];
    for pair in glyphs.windows(2) {
        let ((ca, a), (cb, b)) = (pair[0], pair[1]);
        let same_line = (a.y - b.y).abs() < a.size.min(b.size) * 0.45;
        let close = b.x - (a.x + a.width) < a.size.max(b.size) * 0.6;
        if same_line && close && cb > ca {
            (ca + 1..=cb).for_each(|k| joined[k] = true);
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (c, &continues) in joined.iter().enumerate().take(row.len()) {
        match out.last_mut() {
            Some(last) if continues => last.1 += 1,
            _ => out.push((c, 1)),
        }
    }
    out
}

fn column_of(xs: &[f64], x: f64) -> usize {
    xs.windows(2)
        .position(|w| x >= w[0] && x < w[1])
        .unwrap_or(if x < xs[0] { 0 } else { xs.len() - 2 })
}

/// Whether a label line starts a new label: an item number (1. 1、 （三） 三、).
fn starts_item(text: &str) -> bool {
    let t = text.trim_start();
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        return t[digits..].starts_with(['.', '、', '．']);
    }
    let numerals = "一二三四五六七八九十";
    // 第四部分 政府信息公开行政复议… : a part's heading.
    if let Some(rest) = t.strip_prefix('第') {
        let n = rest.chars().take_while(|c| numerals.contains(*c)).count();
        let after: String = rest.chars().skip(n).take(2).collect();
        if n > 0 && after == "部分" {
            return true;
        }
    }
    let inner = t.strip_prefix(['(', '（']).unwrap_or(t);
    let n = inner.chars().take_while(|c| numerals.contains(*c)).count();
    n > 0 && {
        let rest: String = inner.chars().skip(n).collect();
        rest.starts_with([')', '）', '、', '．', '.'])
    }
}

/// The row each column line belongs to. Values go to the row they stand on. Labels: when
/// a table puts its values on each label's first line (its numbered labels start on rows
/// of values), a label runs from its first line down to the next label's (a numbered line,
/// a line on the next row's values, a wide gap) and joins the row of its first line;
/// otherwise values are centred on their labels and each label line joins the nearest row.
/// Which of the two is told by the numbered labels of rows of values (`value_rows`): a
/// label printed blank is on the row it makes whichever way the table goes, and is not
/// counted.
fn label_rows(
    lines: &[ColumnLine],
    value_column: &[bool],
    anchors: &[f64],
    value_rows: &[f64],
    row_of: &dyn Fn(f64) -> usize,
) -> Vec<usize> {
    let near = |rows: &[f64], l: &ColumnLine| rows.iter().any(|a| (a - l.y).abs() < l.size * 0.45);
    let on_anchor = |l: &ColumnLine| near(anchors, l);
    let on_value_row = |l: &ColumnLine| near(value_rows, l);
    let numbered: Vec<&ColumnLine> = lines
        .iter()
        .filter(|l| !value_column[l.col] && starts_item(&l.text))
        .filter(|l| on_value_row(l) || !on_anchor(l))
        .collect();
    let on_first_line = numbered.len() >= 2
        && numbered.iter().filter(|l| on_value_row(l)).count() * 10 >= numbered.len() * 7;
    let mut rows: Vec<usize> = lines.iter().map(|l| row_of(l.y)).collect();
    let label_columns = (0..value_column.len()).filter(|&c| !value_column[c]);
    if !on_first_line {
        for col in label_columns {
            let own = column_lines(lines, col);
            settle_ties(lines, &own, anchors, &on_anchor, &mut rows);
        }
        return rows;
    }
    for col in label_columns {
        let own = column_lines(lines, col);
        let ends = label_ends(lines, &own);
        let mut block: Vec<usize> = Vec::new();
        let close = |block: &mut Vec<usize>, rows: &mut Vec<usize>| {
            if block.is_empty() {
                return;
            }
            let first_on = block.iter().copied().find(|&i| on_anchor(&lines[i]));
            let row = match first_on {
                Some(i) => row_of(lines[i].y),
                None => {
                    let mid = block.iter().map(|&i| lines[i].y).sum::<f64>() / block.len() as f64;
                    row_of(mid)
                }
            };
            block.iter().for_each(|&i| rows[i] = row);
            // A row of values inside the label's lines with no line of its own on it is a
            // row whose unnumbered label is centred on its values ("受理依申请公开信息总 /
            // 数"): the lines nearer it than the label's first row are its.
            if let Some(first) = first_on {
                let bottom = block.iter().map(|&i| lines[i].y).fold(f64::MIN, f64::max);
                let reach = lines[first].size * 0.45;
                let inner: Vec<f64> = anchors
                    .iter()
                    .copied()
                    .filter(|&a| a > lines[first].y + reach && a < bottom + reach)
                    .collect();
                for &i in block.iter().filter(|&&i| lines[i].y > lines[first].y) {
                    let y = lines[i].y;
                    // The nearest of them, if nearer than the label's first row.
                    let nearest = inner
                        .iter()
                        .copied()
                        .min_by(|a, b| (a - y).abs().total_cmp(&(b - y).abs()));
                    if let Some(a) = nearest.filter(|a| (a - y).abs() < (lines[first].y - y).abs())
                    {
                        rows[i] = row_of(a);
                    }
                }
            }
            block.clear();
        };
        for (j, &i) in own.iter().enumerate() {
            let l = &lines[i];
            // A line on a row of values starts a label when the label so far has its own
            // row: a line on one, or a row centred between its lines.
            let has_row = |block: &[usize]| {
                let top = lines[block[0]].y + l.size * 0.45;
                block.iter().any(|&k| on_anchor(&lines[k]))
                    || anchors.iter().any(|&a| a > top && a < l.y - l.size * 0.45)
            };
            // The top line of an unnumbered label centred on the next row ("受理依申请 /
            // 公开信息总 / 数"), after the last line of a label that has its row.
            let opens_centred = |p: usize| {
                !on_anchor(l)
                    && ends[p]
                    && has_row(&block)
                    && own
                        .get(j + 1)
                        .is_some_and(|&n| on_anchor(&lines[n]) && !starts_item(&lines[n].text))
            };
            let starts = match block.last() {
                None => true,
                Some(&p) => {
                    starts_item(&l.text)
                        || (l.y - lines[p].y) > l.size * 1.9
                        || (on_anchor(l) && has_row(&block))
                        || opens_centred(p)
                }
            };
            if starts {
                close(&mut block, &mut rows);
            }
            block.push(i);
        }
        close(&mut block, &mut rows);
    }
    rows
}

/// A label column's lines, from the top down.
fn column_lines(lines: &[ColumnLine], col: usize) -> Vec<usize> {
    let mut own: Vec<usize> = (0..lines.len()).filter(|&i| lines[i].col == col).collect();
    own.sort_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
    own
}

/// For every line (by index), whether it is the last line of a label, as far as its
/// column's lines (`own`) tell: a label wraps only when its line is full, so a line short
/// of the column's widest by more than two characters ends its label (line breaking rules
/// move a character or two to the next line: no line starts with "，" or "）").
fn label_ends(lines: &[ColumnLine], own: &[usize]) -> Vec<bool> {
    let right = |k: usize| {
        lines[k]
            .glyphs
            .iter()
            .map(|g| g.x + g.width)
            .fold(f64::MIN, f64::max)
    };
    let widest = own.iter().map(|&k| right(k)).fold(f64::MIN, f64::max);
    let char_width = own
        .iter()
        .flat_map(|&k| &lines[k].glyphs)
        .map(|g| g.width)
        .fold(0.0, f64::max);
    let mut ends = vec![false; lines.len()];
    for &k in own {
        ends[k] = right(k) < widest - 2.0 * char_width;
    }
    ends
}

/// With values centred on their labels, a label line halfway between two rows of values
/// (laid-out text puts lines on a grid, where that is common) is nearest to neither. A
/// short one is a label's last line: it goes with the upper row. A full one after a
/// line that ended a label opens the lower row's label, unless the lower row's line is a
/// numbered label's first. Other ties stay as the nearest row gave them: the lines do
/// not tell ("行政许可 / 其他对外 / 管理服务 / 事项").
fn settle_ties(
    lines: &[ColumnLine],
    own: &[usize],
    anchors: &[f64],
    on_anchor: &dyn Fn(&ColumnLine) -> bool,
    rows: &mut [usize],
) {
    let ends = label_ends(lines, own);
    for (j, &i) in own.iter().enumerate() {
        let l = &lines[i];
        let Some(below) = anchors.iter().position(|&a| a > l.y) else {
            continue;
        };
        let Some(above) = below.checked_sub(1) else {
            continue;
        };
        let (a, b) = (anchors[above], anchors[below]);
        let tie = ((l.y - a) - (b - l.y)).abs() < l.size * 0.1;
        if !tie || on_anchor(l) {
            continue;
        }
        let lower_line = own[j + 1..]
            .iter()
            .find(|&&k| lines[k].y >= b - l.size * 0.45)
            .filter(|&&k| (lines[k].y - b).abs() < l.size * 0.45);
        if ends[i] {
            rows[i] = above;
        } else if j.checked_sub(1).is_some_and(|k| ends[own[k]])
            && lower_line.is_some_and(|&k| !starts_item(&lines[k].text))
        {
            rows[i] = below;
        }
    }
}

/// Adds to `anchors` (the rows of values) the rows printed blank, and returns the labels of
/// the labels' column (`label_blocks`). A label of that column with no row of values along
/// it is a row of its own: printed blank, or the rest of a label a page break cut off. A
/// column of units (条, 件) between the labels and the values is not the labels' column; a
/// unit is printed on its row's line, so one with no value beside it is a row printed
/// blank. Columns with no line at all (a gutter found between labels and units) are none.
fn add_rows_printed_blank(
    anchors: &mut Vec<f64>,
    column_lines: &[ColumnLine],
    value_column: &[bool],
) -> Vec<Vec<usize>> {
    let is_label_column = |c: usize| !value_column[c] && column_lines.iter().any(|l| l.col == c);
    let last_label = (0..value_column.len()).rev().find(|&c| is_label_column(c));
    let units = last_label.filter(|&c| is_unit_column(column_lines, c, value_column));
    let leaf = match units {
        Some(u) => (0..u).rev().find(|&c| is_label_column(c)),
        None => last_label,
    };
    let nearest = |anchors: &[f64], y: f64| {
        anchors
            .iter()
            .map(|a| (a - y).abs())
            .fold(f64::MAX, f64::min)
    };
    for unit in column_lines.iter().filter(|l| Some(l.col) == units) {
        if nearest(anchors, unit.y) > unit.size * 0.45 {
            anchors.push(unit.y);
        }
    }
    let blocks = leaf.map_or_else(Vec::new, |c| label_blocks(column_lines, c));
    for block in &blocks {
        let first = block_ends(block, column_lines).0;
        let along = !rows_along(block, column_lines, anchors).is_empty();
        // Further than the next line: a label's line right under or over a row of values
        // (1.2 sizes in laid-out text, give or take the float's last bits) may be its.
        if !along && nearest(anchors, first.y) > first.size * 1.2 * (1.0 + 1e-9) {
            anchors.push(first.y);
        }
    }
    blocks
}

/// Whether label column `col` holds only units (条, 件, 万元): words of a few characters
/// on two lines or more, with a column of labels to its left.
fn is_unit_column(lines: &[ColumnLine], col: usize, value_column: &[bool]) -> bool {
    const UNIT_CHARS: usize = 3;
    let labels_left = (0..col).any(|c| !value_column[c]);
    let own: Vec<&str> = lines
        .iter()
        .filter(|l| l.col == col)
        .map(|l| l.text.trim())
        .collect();
    labels_left
        && own.len() >= 2
        && own
            .iter()
            .all(|t| t.chars().count() <= UNIT_CHARS && !t.chars().any(|c| c.is_ascii_digit()))
}

/// The labels of a label column, as runs of its lines (indices, top down): a numbered line
/// or a gap of two lines starts a label, lines without a number continue it. A line that
/// begins in the label column to the left ("（二）部分公" over both) is read from there, and
/// its pieces there belong to the label too.
fn label_blocks(lines: &[ColumnLine], col: usize) -> Vec<Vec<usize>> {
    let own = column_lines(lines, col);
    let mut blocks: Vec<Vec<usize>> = Vec::new();
    let mut last_y = f64::MIN;
    for i in own {
        let l = &lines[i];
        let pieces = pieces_to_the_left(lines, i);
        let text: String = pieces
            .iter()
            .rev()
            .chain(std::iter::once(&i))
            .map(|&k| lines[k].text.as_str())
            .collect();
        match blocks.last_mut() {
            Some(block) if !starts_item(&text) && l.y - last_y <= l.size * 1.9 => {
                block.push(i);
                block.extend(pieces);
            }
            _ => blocks.push(std::iter::once(i).chain(pieces).collect()),
        }
        last_y = l.y;
    }
    blocks
}

/// The lines of the columns left of line `i` on its baseline that run on into it without a
/// gap, nearest first.
fn pieces_to_the_left(lines: &[ColumnLine], i: usize) -> Vec<usize> {
    let mut pieces = Vec::new();
    let mut current = i;
    while let Some(left) = (0..lines.len()).find(|&k| {
        let (a, b) = (&lines[k], &lines[current]);
        a.col + 1 == b.col
            && (a.y - b.y).abs() < a.size.min(b.size) * 0.45
            && a.glyphs
                .last()
                .zip(b.glyphs.first())
                .is_some_and(|(end, start)| {
                    start.x - (end.x + end.width) < end.size.max(start.size) * 0.6
                })
    }) {
        pieces.push(left);
        current = left;
    }
    pieces
}

/// A label's top and bottom lines.
fn block_ends<'a>(block: &[usize], lines: &'a [ColumnLine]) -> (&'a ColumnLine, &'a ColumnLine) {
    let by_y = |a: &&usize, b: &&usize| lines[**a].y.total_cmp(&lines[**b].y);
    let first = block
        .iter()
        .min_by(by_y)
        .map_or(&lines[block[0]], |&i| &lines[i]);
    let last = block
        .iter()
        .max_by(by_y)
        .map_or(&lines[block[0]], |&i| &lines[i]);
    (first, last)
}

/// A label along which one row of values stands goes to that row whole: its first line
/// nearer the row above (a label wrapped over three lines, values on the middle one) or a
/// page break's rest of a label above it must not join another row.
fn keep_labels_whole(
    rows: &mut [usize],
    blocks: &[Vec<usize>],
    lines: &[ColumnLine],
    anchors: &[f64],
) {
    for block in blocks {
        if let [row] = rows_along(block, lines, anchors)[..] {
            block.iter().for_each(|&i| rows[i] = row);
        }
    }
}

/// The rows (indices into `anchors`) whose values stand along a label, from its top line
/// to its bottom one.
fn rows_along(block: &[usize], lines: &[ColumnLine], anchors: &[f64]) -> Vec<usize> {
    let (first, last) = block_ends(block, lines);
    let reach = first.size * 0.45;
    (0..anchors.len())
        .filter(|&r| anchors[r] >= first.y - reach && anchors[r] <= last.y + reach)
        .collect()
}

/// A header run split where a space between its words falls on a column boundary: the
/// sub-headers of narrow columns ("结果 结果 其他 尚未" over 表四's four columns) are one
/// run of words apart by less than a gutter, yet each stands over its own column.
fn split_at_columns<'a>(run: &'a [Glyph], xs: &[f64]) -> Vec<&'a [Glyph]> {
    let mut pieces = Vec::new();
    let mut from = 0;
    for k in 1..run.len() {
        let (a, b) = (&run[k - 1], &run[k]);
        let (gap_from, gap_to) = (a.x + a.width, b.x);
        let spaced = gap_to - gap_from > a.size.max(b.size) * 0.3;
        if spaced && xs.iter().any(|&x| x > gap_from && x < gap_to) {
            pieces.push(&run[from..k]);
            from = k;
        }
    }
    pieces.push(&run[from..]);
    pieces
}

/// Group headers printed at the left of their columns (text laid out with spaces:
/// `行政复议` over five columns, `行政诉讼` over ten): a header word with nothing after it
/// in its row spans the following columns up to the next word, as far as the header rows
/// below have words there (an empty column below is a header merged downwards).
fn widen_group_headers(
    cells: &mut Vec<RuledCell>,
    glyphs: &mut Vec<Vec<Glyph>>,
    header_rows: usize,
    xs: &[f64],
) {
    let worded = |cells: &[RuledCell], glyphs: &[Vec<Glyph>], row: usize, col: usize| {
        cells
            .iter()
            .zip(glyphs)
            .any(|(c, g)| c.row == row && !g.is_empty() && (c.col..c.col + c.cols).contains(&col))
    };
    let mut swallowed: Vec<usize> = Vec::new();
    for r in 0..header_rows.saturating_sub(1) {
        let mut order: Vec<usize> = (0..cells.len()).filter(|&i| cells[i].row == r).collect();
        order.sort_by_key(|&i| cells[i].col);
        for (k, &i) in order.iter().enumerate() {
            if glyphs[i].is_empty() || swallowed.contains(&i) {
                continue;
            }
            for &next in &order[k + 1..] {
                let col = cells[next].col;
                let below = (r + 1..header_rows).any(|b| worded(cells, glyphs, b, col));
                if !glyphs[next].is_empty() || cells[next].cols != 1 || !below {
                    break;
                }
                swallowed.push(next);
                cells[i].cols += 1;
                cells[i].x1 = xs[col + 1];
            }
        }
    }
    // A header word over nothing in the header rows below it (结果维持 of 行政复议, where
    // 行政诉讼 has a row of sub-headers) spans those rows too.
    for i in 0..cells.len() {
        if glyphs[i].is_empty() || swallowed.contains(&i) {
            continue;
        }
        let (col, cols) = (cells[i].col, cells[i].cols);
        while cells[i].row + cells[i].rows < header_rows {
            let below = cells[i].row + cells[i].rows;
            let under: Vec<usize> = (0..cells.len())
                .filter(|&j| cells[j].row == below && cells[j].col >= col)
                .filter(|&j| cells[j].col + cells[j].cols <= col + cols)
                .collect();
            let covered: usize = under.iter().map(|&j| cells[j].cols).sum();
            if covered != cols || under.iter().any(|&j| !glyphs[j].is_empty()) {
                break;
            }
            cells[i].bottom = under
                .iter()
                .map(|&j| cells[j].bottom)
                .fold(cells[i].bottom, f64::max);
            swallowed.extend(under);
            cells[i].rows += 1;
        }
    }
    swallowed.sort_unstable();
    swallowed.dedup();
    for i in swallowed.into_iter().rev() {
        cells.remove(i);
        glyphs.remove(i);
    }
}

/// One column's glyphs on one baseline.
pub(super) struct ColumnLine {
    pub col: usize,
    pub y: f64,
    pub size: f64,
    pub glyphs: Vec<Glyph>,
    pub text: String,
}

/// For each value line, how many columns have a value line on its baseline (within 0.45
/// of its size; its own column included). Each line looks only at the lines near its
/// baseline (sorted by baseline), not at every line of the table.
fn columns_beside(lines: &[&ColumnLine]) -> Vec<usize> {
    let mut by_y: Vec<usize> = (0..lines.len()).collect();
    by_y.sort_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
    let ys: Vec<f64> = by_y.iter().map(|&i| lines[i].y).collect();
    lines
        .iter()
        .map(|l| {
            let reach = l.size * 0.45;
            // A window wider than the reach; the test itself is the one that decides.
            let window = reach.abs() * 2.0 + 1.0;
            let from = ys.partition_point(|&y| y < l.y - window);
            let to = ys.partition_point(|&y| y <= l.y + window);
            let near = by_y[from..to.max(from)]
                .iter()
                .map(|&i| lines[i])
                .filter(|o| (o.y - l.y).abs() < reach);
            let mut seen = 0u64;
            let mut wide = std::collections::BTreeSet::new();
            for o in near {
                match o.col < 64 {
                    true => seen |= 1 << o.col,
                    false => {
                        wide.insert(o.col);
                    }
                }
            }
            seen.count_ones() as usize + wide.len()
        })
        .collect()
}

/// The table of a segment of page lines: its header and body lines, the columns from their
/// gutters, each column's lines, the rows from the lines of values (and the numbered label
/// lines printed blank), then the boxes: the header's rows, then the body's.
fn table(
    page: &[Line],
    segment: &[usize],
    height: f64,
    groups: GroupHeaders,
) -> Option<AlignedTable> {
    let (header, body) = header_and_body(page, segment)?;
    let body_glyphs: Vec<&Glyph> = body.iter().flat_map(|l| &l.glyphs).collect();
    let xs = column_edges(&header, &body, &body_glyphs)?;
    let n_cols = xs.len() - 1;
    let column_lines = lines_by_column(&body, &xs, height);
    let value_column = value_columns(&column_lines, n_cols);
    // The leaf label column: the last one left of the values.
    let first_value = value_column.iter().position(|v| *v).unwrap_or(n_cols);
    let leaf_start = xs[first_value.saturating_sub(1).min(n_cols - 1)];
    // Only a PDF draws a number a character a line; laid-out text keeps its digits on one.
    let column_lines = match groups {
        GroupHeaders::Centred => join_wrapped_values(column_lines, &value_column, leaf_start),
        GroupHeaders::LeftAligned => column_lines,
    };
    let value_rows = value_rows(&column_lines, &value_column, groups);
    let mut anchors = value_rows.clone();
    let blocks = add_rows_printed_blank(&mut anchors, &column_lines, &value_column);
    anchors.sort_by(f64::total_cmp);
    if anchors.is_empty() {
        return None;
    }
    let mut out = Boxes::default();
    header_cells(&mut out, &header, &body_glyphs, &xs);
    if groups == GroupHeaders::LeftAligned {
        widen_group_headers(&mut out.cells, &mut out.glyphs, header.len(), &xs);
    }
    let rows = BodyRows {
        anchors: &anchors,
        value_rows: &value_rows,
        blocks: &blocks,
        value_column: &value_column,
    };
    body_cells(&mut out, column_lines, &rows, &xs, header.len());
    let Boxes {
        cells,
        glyphs,
        mut ys,
    } = out;
    // No row starts above the one before it.
    for i in 1..ys.len() {
        ys[i] = ys[i].max(ys[i - 1]);
    }
    Some(AlignedTable {
        table: RuledTable { xs, ys, cells },
        cells: glyphs,
    })
}

/// A table's boxes as they are made, row after row: each cell, its glyphs, and each row's
/// top (then the last row's bottom).
#[derive(Default)]
struct Boxes {
    cells: Vec<RuledCell>,
    glyphs: Vec<Vec<Glyph>>,
    ys: Vec<f64>,
}

/// The segment's header lines and body lines. Header lines have words over the values'
/// columns; lines above the values with words in the label columns only are a label's
/// first lines, and a lone value the start of a number.
fn header_and_body<'p>(
    page: &'p [Line],
    segment: &[usize],
) -> Option<(Vec<&'p Line>, Vec<&'p Line>)> {
    let first_values = segment.iter().position(|&k| page[k].has_values())?;
    let value_left = page[segment[first_values]].value_left().unwrap_or(f64::MAX);
    let header_end = segment[..first_values]
        .iter()
        .rposition(|&k| {
            let l = &page[k];
            l.values() == 0
                && (l.is_header() || l.glyphs.iter().any(|g| g.x + g.width >= value_left))
        })
        .map_or(0, |k| k + 1);
    let header: Vec<&Line> = segment[..header_end].iter().map(|&k| &page[k]).collect();
    let body: Vec<&Line> = segment[header_end..].iter().map(|&k| &page[k]).collect();
    Some((header, body))
}

/// The columns' edges: the gutters of the body, and of the header's last line (its words
/// stand over the leaf columns, which a body whose cells are mostly blank does not show),
/// then the label columns left of the first column of values, where spanning rows hide
/// them. `None` for fewer than two columns.
fn column_edges(header: &[&Line], body: &[&Line], body_glyphs: &[&Glyph]) -> Option<Vec<f64>> {
    // When the leaf headers wrap, the last line holds only the ends of some ("组织  机构"):
    // the line with the most words stands over the leaf columns too (a group header has
    // fewer).
    let leaf_header = header.last().map_or(&[][..], |l| &l.glyphs[..]);
    let widest_header = header
        .iter()
        .rev()
        .max_by_key(|l| l.chunks().len())
        .filter(|l| l.chunks().len() > header.last().map_or(0, |last| last.chunks().len()))
        .map_or(&[][..], |l| &l.glyphs[..]);
    let gutter_glyphs: Vec<&Glyph> = body_glyphs
        .iter()
        .copied()
        .chain(leaf_header)
        .chain(widest_header)
        .collect();
    let mut xs = columns(&gutter_glyphs, &leaf_header_words(header));
    if xs.len() < 3 {
        return None;
    }
    let values_from = (0..xs.len() - 1).find(|&c| {
        let inside: Vec<&&Glyph> = body_glyphs
            .iter()
            .filter(|g| column_of(&xs, g.centre().0) == c)
            .collect();
        let lines_in = lines(inside.iter().map(|g| (**g).clone()).collect());
        let values = lines_in
            .iter()
            .filter(|l| is_value(&line_text(l, false)))
            .count();
        !lines_in.is_empty() && values * 2 > lines_in.len()
    });
    if let Some(c) = values_from.filter(|&c| c > 0) {
        let label_end = xs[c];
        let left = xs[0];
        let inner = label_columns(body, label_end);
        xs.extend(inner.into_iter().filter(|&x| x > left && x < label_end));
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|b, a| *b - *a < 2.0);
    }
    Some(xs)
}

/// Each column's lines, by baseline within the column.
fn lines_by_column(body: &[&Line], xs: &[f64], height: f64) -> Vec<ColumnLine> {
    let n_cols = xs.len() - 1;
    let mut by_column: Vec<Vec<Glyph>> = vec![Vec::new(); n_cols];
    for g in body.iter().flat_map(|l| &l.glyphs) {
        by_column[column_of(xs, g.centre().0)].push(g.clone());
    }
    let mut column_lines: Vec<ColumnLine> = Vec::new();
    for (col, glyphs) in by_column.into_iter().enumerate() {
        for line in lines(glyphs) {
            column_lines.push(ColumnLine {
                col,
                y: height - line[0].y,
                size: line.iter().map(|g| g.size).fold(0.0, f64::max),
                text: line_text(&line, false),
                glyphs: line,
            });
        }
    }
    column_lines
}

/// Value columns: most of their lines are values. Their baselines are the rows.
fn value_columns(column_lines: &[ColumnLine], n_cols: usize) -> Vec<bool> {
    (0..n_cols)
        .map(|c| {
            let own: Vec<&ColumnLine> = column_lines.iter().filter(|l| l.col == c).collect();
            let values = own.iter().filter(|l| is_value(&l.text)).count();
            !own.is_empty() && values * 2 > own.len()
        })
        .collect()
}

/// The baselines of the rows that print values. A baseline where values stand in two value
/// columns or more is a row; a value alone on its line near such a row is the rest of a
/// number a narrow column wrapped.
fn value_rows(
    column_lines: &[ColumnLine],
    value_column: &[bool],
    groups: GroupHeaders,
) -> Vec<f64> {
    let value_lines: Vec<&ColumnLine> = column_lines
        .iter()
        .filter(|l| value_column[l.col] && is_value(&l.text))
        .collect();
    let needed = value_column.iter().filter(|v| **v).count().min(2);
    let beside = columns_beside(&value_lines);
    let mut anchors: Vec<f64> = Vec::new();
    let on_rows = value_lines.iter().zip(&beside);
    for (l, _) in on_rows.clone().filter(|(_, &b)| b >= needed) {
        if !anchors.iter().any(|&a| (a - l.y).abs() < l.size * 0.45) {
            anchors.push(l.y);
        }
    }
    // Laid-out text never wraps a number: there a lone value on its own line is its own row
    // (行政强制 with only its 处理决定数量 printed), however close to the row above.
    let wrapped_reach = match groups {
        GroupHeaders::Centred => 1.7,
        GroupHeaders::LeftAligned => 0.45,
    };
    // It is no rest when its column on that row is empty, or when the two do not read as
    // one number (670,761 over 775: 行政强制's own row).
    let labelled = |y: f64, size: f64| {
        column_lines
            .iter()
            .any(|o| !value_column[o.col] && (o.y - y).abs() < size * 0.45)
    };
    let rest_of_number = |l: &ColumnLine, row: f64| {
        if (row - l.y).abs() < l.size * 0.45 {
            return true;
        }
        // Each with a label line of its own: two rows (行政处罚 over 行政强制, which prints
        // only its last value). A number's rest beside its label's rest is read apart then;
        // where that happens (表三's narrow columns) the table's sums say so.
        if labelled(l.y, l.size) && labelled(row, l.size) {
            return false;
        }
        let Some(start) = value_lines
            .iter()
            .find(|o| o.col == l.col && (o.y - row).abs() < o.size * 0.45)
        else {
            return false;
        };
        let (upper, lower) = if start.y < l.y {
            (*start, l)
        } else {
            (l, *start)
        };
        reads_as_one_number(&format!("{}{}", upper.text.trim(), lower.text.trim()))
    };
    for (l, _) in on_rows.filter(|(_, &b)| b < needed) {
        let near = anchors
            .iter()
            .copied()
            .find(|&a| (a - l.y).abs() < l.size * wrapped_reach);
        if !near.is_some_and(|row| rest_of_number(l, row)) {
            anchors.push(l.y);
        }
    }
    anchors
}

/// The header rows' cells. A run of words is over the columns whose body text's middle it
/// covers (headers are wider than the numbers under them), or over the column of its
/// middle.
fn header_cells(out: &mut Boxes, header: &[&Line], body_glyphs: &[&Glyph], xs: &[f64]) {
    let n_cols = xs.len() - 1;
    let middles: Vec<f64> = (0..n_cols)
        .map(|c| {
            let inside = body_glyphs
                .iter()
                .filter(|g| column_of(xs, g.centre().0) == c);
            let (lo, hi) = inside.fold((f64::MAX, f64::MIN), |(lo, hi), g| {
                (lo.min(g.x), hi.max(g.x + g.width))
            });
            if lo <= hi {
                (lo + hi) / 2.0
            } else {
                (xs[c] + xs[c + 1]) / 2.0
            }
        })
        .collect();
    let Boxes { cells, glyphs, ys } = out;
    for (r, line) in header.iter().enumerate() {
        ys.push(line.y - line.size);
        let mut taken = vec![false; n_cols];
        for chunk in line.chunks().iter().flat_map(|c| split_at_columns(c, xs)) {
            let (x0, x1) = (
                chunk[0].x,
                chunk[chunk.len() - 1].x + chunk[chunk.len() - 1].width,
            );
            let covered: Vec<usize> = (0..n_cols)
                .filter(|&c| middles[c] >= x0 && middles[c] <= x1)
                .collect();
            let (from, to) = match (covered.first(), covered.last()) {
                (Some(&a), Some(&b)) => (a, b),
                _ => {
                    let c = column_of(xs, (x0 + x1) / 2.0);
                    (c, c)
                }
            };
            if taken[from..=to].iter().any(|t| *t) {
                if let Some(i) = cells
                    .iter()
                    .position(|c| c.row == r && (c.col..c.col + c.cols).contains(&from))
                {
                    glyphs[i].extend(chunk.iter().cloned());
                }
                continue;
            }
            taken[from..=to].iter_mut().for_each(|t| *t = true);
            cells.push(RuledCell {
                row: r,
                col: from,
                rows: 1,
                cols: to - from + 1,
                x0: xs[from],
                top: line.y - line.size,
                x1: xs[to + 1],
                bottom: line.y,
            });
            glyphs.push(chunk.to_vec());
        }
        for c in (0..n_cols).filter(|&c| !taken[c]) {
            cells.push(RuledCell {
                row: r,
                col: c,
                rows: 1,
                cols: 1,
                x0: xs[c],
                top: line.y - line.size,
                x1: xs[c + 1],
                bottom: line.y,
            });
            glyphs.push(Vec::new());
        }
    }
}

/// What the body's rows are made of: their baselines (sorted; rows printed blank included),
/// those of the rows that print values, the blocks of label lines `add_rows_printed_blank`
/// kept together, and which columns hold values.
struct BodyRows<'a> {
    anchors: &'a [f64],
    value_rows: &'a [f64],
    blocks: &'a [Vec<usize>],
    value_column: &'a [bool],
}

/// The body rows' cells: every column line joins its row (see `label_rows`), and a row's
/// lines in a column make its cell, spanning the columns its text crosses.
fn body_cells(
    out: &mut Boxes,
    column_lines: Vec<ColumnLine>,
    rows: &BodyRows,
    xs: &[f64],
    header_rows: usize,
) {
    let n_cols = xs.len() - 1;
    let anchors = rows.anchors;
    let row_of = |y: f64| {
        anchors
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - y).abs().total_cmp(&(b.1 - y).abs()))
            .map_or(0, |(i, _)| i)
    };
    let mut line_rows = label_rows(
        &column_lines,
        rows.value_column,
        anchors,
        rows.value_rows,
        &row_of,
    );
    keep_labels_whole(&mut line_rows, rows.blocks, &column_lines, anchors);
    let mut body_cells: Vec<Vec<Vec<Glyph>>> = vec![vec![Vec::new(); n_cols]; anchors.len()];
    let mut extent: Vec<(f64, f64)> = anchors.iter().map(|&a| (a, a)).collect();
    for (l, r) in column_lines.into_iter().zip(line_rows) {
        extent[r] = (extent[r].0.min(l.y - l.size), extent[r].1.max(l.y));
        body_cells[r][l.col].extend(l.glyphs);
    }
    let Boxes { cells, glyphs, ys } = out;
    for (r, row) in body_cells.into_iter().enumerate() {
        let top = match r {
            0 => extent[0].0,
            _ => (extent[r - 1].1 + extent[r].0) / 2.0,
        };
        ys.push(top);
        let bottom = extent[r].1 + 1.0;
        let spans = spans_of(&row, xs);
        let mut row = row;
        for (c, cols) in spans {
            let cell: Vec<Glyph> = (c..c + cols)
                .flat_map(|k| std::mem::take(&mut row[k]))
                .collect();
            cells.push(RuledCell {
                row: header_rows + r,
                col: c,
                rows: 1,
                cols,
                x0: xs[c],
                top,
                x1: xs[c + cols],
                bottom,
            });
            glyphs.push(cell);
        }
    }
    ys.push(extent.last().map_or(0.0, |e| e.1 + 1.0));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_value_is_its_definition() {
        const PIECES: [&str; 24] = [
            "1", "23", "０", "9", ".", ",", "，", " ", "\u{3000}", "增", "减", "+", "-", "－",
            "万元", "元", "/", "—", "无", "／", "本", "a", "年", "件",
        ];
        let mut values = 0;
        for text in crate::test_strings::made_of(&PIECES, 6, 50_000) {
            let expected = is_value_as_written(&text);
            values += usize::from(expected);
            assert_eq!(is_value(&text), expected, "{text:?}");
        }
        assert!(values > 1_000, "the strings hold values: {values}");
    }

    fn words(y: f64, words: &[(f64, &str)]) -> Vec<Glyph> {
        words
            .iter()
            .flat_map(|&(x, w)| {
                w.chars().enumerate().map(move |(k, ch)| Glyph {
                    ch,
                    x: x + k as f64 * 10.0,
                    y,
                    width: 10.0,
                    size: 10.0,
                })
            })
            .collect()
    }

    /// The row whose first column reads `label`.
    fn row_labelled(t: &AlignedTable, label: &str) -> usize {
        (0..t.table.ys.len().saturating_sub(1))
            .find(|&r| text_of(t, r, 0) == label)
            .unwrap_or_else(|| panic!("no row {label}"))
    }

    fn text_of(t: &AlignedTable, row: usize, col: usize) -> String {
        let i = t
            .table
            .cells
            .iter()
            .position(|c| c.row == row && c.col == col)
            .unwrap();
        lines(t.cells[i].clone())
            .iter()
            .map(|l| line_text(l, false))
            .collect()
    }

    #[test]
    fn columns_from_gutters_a_wrapped_label_and_a_blank_in_its_column() {
        // A y-up page of height 200: a header, a label wrapped over two lines with its
        // values on its first line and a blank in the middle column, then a full row.
        let mut glyphs = words(
            190.0,
            &[
                (0.0, "信息内容"),
                (100.0, "制发"),
                (150.0, "废止"),
                (200.0, "有效"),
            ],
        );
        glyphs.extend(words(
            175.0,
            &[(0.0, "行政规范"), (100.0, "8"), (200.0, "7")],
        ));
        glyphs.extend(words(162.0, &[(0.0, "性文件")]));
        glyphs.extend(words(
            147.0,
            &[(0.0, "规章"), (100.0, "0"), (150.0, "0"), (200.0, "0")],
        ));
        let (found, rest) = tables(glyphs, 200.0, GroupHeaders::Centred);
        assert!(rest.is_empty());
        let t = &found[0];
        assert_eq!(t.table.xs.len(), 5);
        assert_eq!(text_of(t, 1, 0), "行政规范性文件");
        assert_eq!(text_of(t, 1, 1), "8");
        assert_eq!(text_of(t, 1, 2), "");
        assert_eq!(text_of(t, 1, 3), "7");
        assert_eq!(text_of(t, 0, 2), "废止");
    }

    #[test]
    fn numbers_a_narrow_column_wrapped_are_read_whole() {
        // "1,259" and "170" printed a character a line, centred on their labels; the rows
        // of single digits below keep their own labels and stay apart.
        let mut glyphs = words(195.0, &[(0.0, "项目"), (100.0, "自然人"), (160.0, "总计")]);
        let stacked = [
            (180.0, "1"),
            (165.0, ","),
            (150.0, "2"),
            (135.0, "5"),
            (120.0, "9"),
        ];
        let stacked_next = [(105.0, "1"), (90.0, "7"), (75.0, "0")];
        for (y, ch) in stacked.iter().chain(&stacked_next) {
            glyphs.extend(words(*y, &[(100.0, ch), (160.0, ch)]));
        }
        glyphs.extend(words(150.0, &[(0.0, "本年新收")]));
        glyphs.extend(words(90.0, &[(0.0, "上年结转")]));
        glyphs.extend(words(
            60.0,
            &[(0.0, "予以公开"), (100.0, "3"), (160.0, "3")],
        ));
        glyphs.extend(words(
            45.0,
            &[(0.0, "部分公开"), (100.0, "1"), (160.0, "1")],
        ));
        let (found, _) = tables(glyphs, 200.0, GroupHeaders::Centred);
        let t = &found[0];
        let row = |label: &str| row_labelled(t, label);
        assert_eq!(text_of(t, row("本年新收"), 1), "1,259");
        assert_eq!(text_of(t, row("本年新收"), 2), "1,259");
        assert_eq!(text_of(t, row("上年结转"), 1), "170");
        assert_eq!(text_of(t, row("予以公开"), 1), "3");
        assert_eq!(text_of(t, row("部分公开"), 1), "1");
    }

    #[test]
    fn numbers_wrapped_after_three_digits_are_joined_at_their_row() {
        // A column three digits wide: "1259" wraps as "125" over "9", centred on its row,
        // whose other values stand on one line between the two; rows under two font sizes
        // apart (cell padding) and three-digit values in the rows below.
        let mut glyphs = words(
            230.0,
            &[
                (0.0, "项目"),
                (100.0, "自然人"),
                (160.0, "企业"),
                (280.0, "总计"),
            ],
        );
        glyphs.extend(words(196.0, &[(100.0, "125"), (280.0, "129")]));
        glyphs.extend(words(
            190.0,
            &[(0.0, "一、本年新收"), (160.0, "36"), (220.0, "0")],
        ));
        glyphs.extend(words(184.0, &[(110.0, "9"), (290.0, "5")]));
        for (y, label, values) in [
            (171.0, "二、上年结转", ["170", "15", "4", "189"]),
            (152.0, "（一）予以公开", ["201", "5", "0", "206"]),
        ] {
            let mut row = vec![(0.0, label)];
            row.extend([100.0, 160.0, 220.0, 280.0].into_iter().zip(values));
            glyphs.extend(words(y, &row));
        }
        let (found, _) = tables(glyphs, 250.0, GroupHeaders::Centred);
        let t = &found[0];
        let row = |label: &str| row_labelled(t, label);
        assert_eq!(text_of(t, row("一、本年新收"), 1), "1259");
        assert_eq!(text_of(t, row("一、本年新收"), 2), "36");
        assert_eq!(text_of(t, row("一、本年新收"), 4), "1295");
        assert_eq!(text_of(t, row("二、上年结转"), 1), "170");
        assert_eq!(text_of(t, row("（一）予以公开"), 4), "206");
    }

    #[test]
    fn a_long_number_wrapped_around_the_last_row_is_read_whole() {
        // 表二's last band, one row: its amount wraps in a wide column ten characters a
        // line, "7539.44325" over "2", centred on the row's one line; the part's heading
        // follows well below.
        let mut glyphs = words(
            230.0,
            &[
                (0.0, "信息内容"),
                (100.0, "采购数量"),
                (200.0, "采购总金额"),
            ],
        );
        glyphs.extend(words(196.0, &[(200.0, "7539.44325")]));
        glyphs.extend(words(190.0, &[(0.0, "政府集中采购"), (100.0, "135")]));
        glyphs.extend(words(184.0, &[(245.0, "2")]));
        glyphs.extend(words(140.0, &[(0.0, "三、收到和处理政府信息公开申请情况")]));
        let (found, _) = tables(glyphs, 250.0, GroupHeaders::Centred);
        let t = &found[0];
        let row = row_labelled(t, "政府集中采购");
        assert_eq!(text_of(t, row, 1), "135");
        assert_eq!(text_of(t, row, 2), "7539.443252");
    }

    #[test]
    fn values_of_rows_labelled_left_of_the_leaf_column_are_no_pieces_of_one_number() {
        // 表三's last rows at the top of a page, rows a line apart: "(七)总计" and
        // "四、结转下年" stand left of the leaf labels, whose lines ("申请", the rest of a
        // label, and "3.其他") are the only ones beside the values; "0" / "26" / "0" must
        // not become one number "0260".
        let mut glyphs = words(230.0, &[(100.0, "申请")]);
        for (y, x, label, values) in [
            (217.0, 100.0, "3.其他", ["0", "0"]),
            (204.0, 0.0, "(七)总计", ["26", "26"]),
            (191.0, 0.0, "四、结转下年", ["0", "0"]),
        ] {
            glyphs.extend(words(
                y,
                &[(x, label), (250.0, values[0]), (350.0, values[1])],
            ));
        }
        let (found, _) = tables(glyphs, 250.0, GroupHeaders::Centred);
        let t = &found[0];
        let value = |label: &str| {
            let row = (0..t.table.ys.len().saturating_sub(1))
                .find(|&r| (0..2).any(|c| text_of(t, r, c) == label))
                .unwrap_or_else(|| panic!("no row {label}"));
            text_of(t, row, t.table.xs.len() - 3)
        };
        assert_eq!(value("3.其他"), "0");
        assert_eq!(value("(七)总计"), "26");
        assert_eq!(value("四、结转下年"), "0");
    }

    #[test]
    fn a_leaf_header_in_a_gutter_of_the_body_is_a_column_of_its_own() {
        // 表三's leaf headers wrapped to different depths: "总计" on the second line,
        // "其他" on the third, and neither on the line with the most words nor on the last;
        // blank cells printed as nothing, so only 自然人 and 总计 have values.
        let mut glyphs = words(
            230.0,
            &[
                (0.0, "(本列数据)"),
                (200.0, "自然"),
                (320.0, "社会"),
                (360.0, "法律"),
            ],
        );
        glyphs.extend(words(
            222.0,
            &[
                (0.0, "第一项"),
                (240.0, "商业"),
                (280.0, "科研"),
                (440.0, "总计"),
            ],
        ));
        glyphs.extend(words(
            214.0,
            &[
                (205.0, "人"),
                (320.0, "公益"),
                (360.0, "服务"),
                (400.0, "其他"),
            ],
        ));
        glyphs.extend(words(206.0, &[(240.0, "企业"), (280.0, "机构")]));
        glyphs.extend(words(
            196.0,
            &[(0.0, "一、本年新收"), (205.0, "26"), (445.0, "26")],
        ));
        glyphs.extend(words(
            186.0,
            &[(0.0, "二、上年结转"), (205.0, "0"), (445.0, "0")],
        ));
        let (found, _) = tables(glyphs, 250.0, GroupHeaders::Centred);
        let t = &found[0];
        let column_of_header = |word: &str| {
            (0..t.table.xs.len() - 1)
                .find(|&c| (0..4).any(|r| text_of(t, r, c) == word))
                .unwrap_or_else(|| panic!("no header {word}"))
        };
        let (other, total) = (column_of_header("其他"), column_of_header("总计"));
        assert_ne!(other, total);
        let row = row_labelled(t, "一、本年新收");
        assert_eq!(text_of(t, row, total), "26");
        assert_eq!(text_of(t, row, other), "");
    }

    #[test]
    fn wide_values_a_narrow_gutter_apart_are_values_not_a_header() {
        // "2,162" and "+3,159" fill their columns, a gutter of 1.5 font sizes apart:
        // narrower than what separates runs of words, so the line read as one run that is
        // no value, a header line; "246,509" wrapped over it and under it was cut in two,
        // its first line in the header, its last in the body.
        let mut glyphs = words(
            200.0,
            &[
                (0.0, "信息内容"),
                (100.0, "上年数"),
                (165.0, "增减"),
                (240.0, "决定数"),
            ],
        );
        glyphs.extend(words(182.0, &[(240.0, "246,50")]));
        glyphs.extend(words(
            175.0,
            &[(0.0, "行政许可"), (100.0, "2,162"), (165.0, "+3,159")],
        ));
        glyphs.extend(words(168.0, &[(265.0, "9")]));
        glyphs.extend(words(
            149.0,
            &[(0.0, "其他事项"), (100.0, "5"), (165.0, "+1"), (240.0, "7")],
        ));
        let (found, _) = tables(glyphs, 210.0, GroupHeaders::Centred);
        let t = &found[0];
        let row = row_labelled(t, "行政许可");
        assert_eq!(text_of(t, row, 1), "2,162");
        assert_eq!(text_of(t, row, 2), "+3,159");
        assert_eq!(text_of(t, row, 3), "246,509");
        assert_eq!(text_of(t, row_labelled(t, "其他事项"), 3), "7");
    }

    #[test]
    fn a_value_a_narrow_gutter_after_its_label_is_a_value() {
        // 表三 as a borderless PDF printed it (coordinates scaled to these glyphs): the
        // label fills its column and "26" follows 1.5 font sizes after it, so the line was
        // one run of words and one value, its values taken to begin at 总计; the header
        // lines over the columns between were then read as the body's, and the natural
        // person's 26 was lost.
        let lines: [(f64, &[(f64, &str)]); 9] = [
            (148.4, &[(345.0, "申请人情况")]),
            (
                134.3,
                &[(77.0, "(本列数据的勾稽关系为"), (335.0, "法人或其他组织")],
            ),
            (
                119.4,
                &[
                    (74.0, "第二项之和等于第三项"),
                    (249.0, "自然"),
                    (360.0, "社会"),
                    (397.0, "法律"),
                ],
            ),
            (112.2, &[(286.0, "商业"), (323.0, "科研"), (471.0, "总计")]),
            (
                105.0,
                &[
                    (147.0, "和)"),
                    (254.0, "人"),
                    (360.0, "公益"),
                    (397.0, "服务"),
                    (434.0, "其他"),
                ],
            ),
            (97.7, &[(286.0, "企业"), (323.0, "机构")]),
            (90.5, &[(360.0, "组织"), (397.0, "机构")]),
            (
                76.0,
                &[
                    (74.0, "一、本年新收政府信息公开申请数量"),
                    (249.0, "26"),
                    (471.0, "26"),
                ],
            ),
            (
                61.5,
                &[
                    (74.0, "二、上年结转政府信息公开申请数量"),
                    (254.0, "0"),
                    (476.0, "0"),
                ],
            ),
        ];
        let glyphs: Vec<Glyph> = lines.iter().flat_map(|(y, w)| words(*y, w)).collect();
        let (found, _) = tables(glyphs, 160.0, GroupHeaders::Centred);
        let t = &found[0];
        let values = |label: &str| -> Vec<String> {
            let row = row_labelled(t, label);
            (1..t.table.xs.len() - 1)
                .map(|c| text_of(t, row, c))
                .filter(|text| !text.is_empty())
                .collect()
        };
        assert_eq!(values("一、本年新收政府信息公开申请数量"), ["26", "26"]);
        assert_eq!(values("二、上年结转政府信息公开申请数量"), ["0", "0"]);
    }

    #[test]
    fn a_band_title_between_the_label_and_value_columns_opens_the_next_band() {
        // 表二's bands: "第二十条第六项" stands over the gutter between the labels and the
        // values, a line above the next band's header. It went with the band above, its
        // text in the last row's first value: "第二十条第六项 10".
        let mut glyphs = Vec::new();
        for (y, line) in [
            (200.0, &[(120.0, "第二十条第五项")][..]),
            (190.0, &[(175.0, "上一年数")]),
            (
                185.0,
                &[(20.0, "信息内容"), (260.0, "增减"), (320.0, "决定数")],
            ),
            (
                170.0,
                &[
                    (20.0, "行政许可"),
                    (180.0, "396"),
                    (265.0, "0"),
                    (325.0, "181"),
                ],
            ),
            (
                157.0,
                &[
                    (0.0, "其他对外管理服务事项"),
                    (182.0, "10"),
                    (265.0, "0"),
                    (325.0, "153"),
                ],
            ),
            (144.0, &[(100.0, "第二十条第六项")]),
            (131.0, &[(175.0, "上一年数")]),
            (
                126.0,
                &[(20.0, "信息内容"), (260.0, "增减"), (320.0, "决定数")],
            ),
            (
                111.0,
                &[
                    (20.0, "行政处罚"),
                    (185.0, "26"),
                    (265.0, "0"),
                    (325.0, "430"),
                ],
            ),
            (
                98.0,
                &[
                    (20.0, "行政强制"),
                    (185.0, "12"),
                    (265.0, "0"),
                    (325.0, "25"),
                ],
            ),
        ] {
            glyphs.extend(words(y, line));
        }
        let (found, _) = tables(glyphs, 210.0, GroupHeaders::Centred);
        assert_eq!(found.len(), 2);
        let t = &found[0];
        let row = row_labelled(t, "其他对外管理服务事项");
        assert_eq!(text_of(t, row, 1), "10");
        assert_eq!(text_of(t, row, 3), "153");
        let titled = (0..found[1].table.ys.len() - 1)
            .any(|r| (0..2).any(|c| text_of(&found[1], r, c).contains("第二十条第六项")));
        assert!(titled, "the title opens the second band");
    }

    #[test]
    fn leaf_headers_wrapped_still_give_their_columns_when_cells_are_blank() {
        // Laid-out text with blank cells printed as nothing: only 自然人 and 总计 print
        // values, and the header's last line holds only the wrapped ends "组织" and "机构".
        // From those and the body, 商业企业, 科研机构 and 其他 had no column.
        let mut glyphs = Vec::new();
        for (y, line) in [
            (200.0, &[(200.0, "申请人情况")][..]),
            (190.0, &[(260.0, "法人或其他组织")]),
            (
                180.0,
                &[
                    (200.0, "自然人"),
                    (260.0, "商业企业"),
                    (320.0, "科研机构"),
                    (380.0, "社会公益"),
                    (440.0, "法律服务"),
                    (500.0, "其他"),
                    (540.0, "总计"),
                ],
            ),
            (170.0, &[(380.0, "组织"), (440.0, "机构")]),
            (
                160.0,
                &[(0.0, "一、本年新收"), (200.0, "26"), (540.0, "26")],
            ),
            (150.0, &[(0.0, "二、上年结转"), (200.0, "0"), (540.0, "0")]),
        ] {
            glyphs.extend(words(y, line));
        }
        let (found, _) = tables(glyphs, 210.0, GroupHeaders::LeftAligned);
        let t = &found[0];
        assert_eq!(
            t.table.xs.len() - 1,
            8,
            "the label column and seven columns"
        );
        let row = row_labelled(t, "一、本年新收");
        assert_eq!(text_of(t, row, 1), "26");
        assert_eq!(text_of(t, row, 7), "26");
    }

    #[test]
    fn a_row_printing_only_its_last_value_is_a_row_of_its_own() {
        // 行政强制 prints only its 处理决定数量, a line under 行政处罚's: "670761" over
        // "775" read as one number that wrapped, and the two rows as one.
        let mut glyphs = Vec::new();
        for (y, line) in [
            (
                185.0,
                &[
                    (0.0, "信息内容"),
                    (100.0, "上一年项目数量"),
                    (230.0, "本年增/减"),
                    (320.0, "处理决定数量"),
                ][..],
            ),
            (
                170.0,
                &[
                    (0.0, "行政处罚"),
                    (120.0, "１１６"),
                    (230.0, "＋３４"),
                    (320.0, "６７０７６１"),
                ],
            ),
            (155.0, &[(0.0, "行政强制"), (335.0, "７７５")]),
        ] {
            glyphs.extend(words(y, line));
        }
        let (found, _) = tables(glyphs, 210.0, GroupHeaders::Centred);
        let t = &found[0];
        assert_eq!(text_of(t, row_labelled(t, "行政处罚"), 3), "６７０７６１");
        assert_eq!(text_of(t, row_labelled(t, "行政强制"), 3), "７７５");
    }

    #[test]
    fn digits_a_font_size_apart_are_values_of_their_own() {
        // A row's zeros printed full-width, each an em wide and 1.75 ems apart: closer than
        // the gap that parts runs, they read as one value "０００００００" and the line as no
        // line of values, its row then read blank.
        let zeros: Vec<Glyph> = (0..7)
            .map(|k| Glyph {
                ch: '０',
                x: 300.0 + 33.0 * k as f64,
                y: 100.0,
                width: 12.0,
                size: 12.0,
            })
            .collect();
        let line = Line::new(zeros, 200.0);
        assert_eq!(line.values(), 7);
        assert!(line.has_values());
        // A number's digits touch: one value.
        let number: Vec<Glyph> = "1,330"
            .chars()
            .enumerate()
            .map(|(k, ch)| Glyph {
                ch,
                x: 300.0 + 6.0 * k as f64,
                y: 100.0,
                width: 6.0,
                size: 12.0,
            })
            .collect();
        assert_eq!(Line::new(number, 200.0).values(), 1);
    }

    #[test]
    fn a_band_whose_header_wraps_on_lines_of_its_own_opens_a_table() {
        // 表二's fee band under the (六) band: its title centred over the columns, its
        // value column's header wrapped on two lines and "信息内容" on a line between them,
        // so no line is a header line. All of it went into one row of the band above:
        // "行政处罚行政强制信息内容行政事业性收费" beside "1,33054第二十条…5,949.08".
        let mut glyphs = Vec::new();
        for (y, line) in [
            (200.0, &[(100.0, "第二十条第六项")][..]),
            (186.0, &[(20.0, "信息内容"), (160.0, "本年处理决定数量")]),
            (172.0, &[(20.0, "行政处罚"), (190.0, "1,330")]),
            (158.0, &[(20.0, "行政强制"), (200.0, "54")]),
            (144.0, &[(100.0, "第二十条第八项")]),
            (132.0, &[(150.0, "本年收费金额（单位：万元）")]),
            (126.0, &[(20.0, "信息内容")]),
            (120.0, &[(190.0, "数）")]),
            (106.0, &[(0.0, "行政事业性收费"), (170.0, "5,949.08")]),
        ] {
            glyphs.extend(words(y, line));
        }
        let (found, _) = tables(glyphs, 210.0, GroupHeaders::Centred);
        assert_eq!(found.len(), 2);
        let above = &found[0];
        assert_eq!(text_of(above, row_labelled(above, "行政处罚"), 1), "1,330");
        assert_eq!(text_of(above, row_labelled(above, "行政强制"), 1), "54");
        let fee = &found[1];
        assert_eq!(
            text_of(fee, row_labelled(fee, "行政事业性收费"), 1),
            "5,949.08"
        );
        let titled = (0..fee.table.ys.len() - 1)
            .any(|r| (0..2).any(|c| text_of(fee, r, c).contains("第二十条第八项")));
        assert!(titled, "the title opens the fee band");
    }

    #[test]
    fn numbers_wrapped_beside_labels_wrapped_are_cut_at_row_centres() {
        // Word's cells centred in their rows: "484" over three lines and "47" over two, in a
        // column of stacked digits with no gap between the rows, beside labels wrapped over
        // two lines each; the single-line values of the other column mark each row's middle.
        // Above them two rows of one line each, whose digits continue the column's run.
        let mut glyphs = words(220.0, &[(0.0, "项目"), (100.0, "自然人"), (160.0, "法律")]);
        glyphs.extend(words(
            194.0,
            &[(0.0, "7、执法案卷"), (100.0, "0"), (160.0, "0")],
        ));
        glyphs.extend(words(
            182.0,
            &[(0.0, "8、查询事项"), (100.0, "5"), (160.0, "0")],
        ));
        for (y, ch) in [
            (170.0, "4"),
            (158.0, "8"),
            (146.0, "4"),
            (134.0, "4"),
            (122.0, "7"),
        ] {
            glyphs.extend(words(y, &[(100.0, ch)]));
        }
        glyphs.extend(words(164.0, &[(0.0, "1、本机关不")]));
        glyphs.extend(words(152.0, &[(0.0, "掌握")]));
        glyphs.extend(words(134.0, &[(0.0, "2、没有现成")]));
        glyphs.extend(words(122.0, &[(0.0, "信息")]));
        glyphs.extend(words(158.0, &[(160.0, "1")]));
        glyphs.extend(words(128.0, &[(160.0, "0")]));
        let (found, _) = tables(glyphs, 230.0, GroupHeaders::Centred);
        let t = &found[0];
        let row = |label: &str| row_labelled(t, label);
        assert_eq!(text_of(t, row("1、本机关不掌握"), 1), "484");
        assert_eq!(text_of(t, row("1、本机关不掌握"), 2), "1");
        assert_eq!(text_of(t, row("2、没有现成信息"), 1), "47");
        assert_eq!(text_of(t, row("2、没有现成信息"), 2), "0");
        assert_eq!(text_of(t, row("7、执法案卷"), 1), "0");
        assert_eq!(text_of(t, row("8、查询事项"), 1), "5");
    }

    #[test]
    fn a_lone_value_right_under_a_row_is_its_own_row_when_the_two_are_no_number() {
        // 行政强制 prints only its 处理决定数量, a line under 行政处罚's: 670,761 and 775
        // are two numbers (775 would not follow a thousands group), so two rows.
        let mut glyphs = words(
            190.0,
            &[
                (0.0, "信息内容"),
                (100.0, "上年"),
                (160.0, "增减"),
                (220.0, "决定"),
            ],
        );
        glyphs.extend(words(
            176.0,
            &[
                (0.0, "行政处罚"),
                (100.0, "116"),
                (160.0, "34"),
                (220.0, "670,761"),
            ],
        ));
        glyphs.extend(words(164.0, &[(0.0, "行政强制"), (220.0, "775")]));
        let (found, _) = tables(glyphs, 200.0, GroupHeaders::Centred);
        let t = &found[0];
        assert_eq!(text_of(t, 1, 3), "670,761");
        assert_eq!(text_of(t, 2, 0), "行政强制");
        assert_eq!(text_of(t, 2, 3), "775");
    }

    #[test]
    fn the_last_rows_label_wrapped_over_many_lines_beside_its_group_is_kept_whole() {
        // Laid-out text of a narrow label column: the last row's values on its label's
        // first line, the label's rest on six lines below, the group's chars beside the
        // first two, a few spaces to their left.
        let mut glyphs = words(195.0, &[(0.0, "项目"), (130.0, "自然人"), (190.0, "总计")]);
        glyphs.extend(words(
            180.0,
            &[(50.0, "2.重复申请"), (130.0, "1"), (190.0, "1")],
        ));
        glyphs.extend(words(
            165.0,
            &[
                (0.0, "(六"),
                (50.0, "1.申请人无"),
                (130.0, "3"),
                (190.0, "3"),
            ],
        ));
        glyphs.extend(words(150.0, &[(0.0, ")其"), (50.0, "正当理由")]));
        glyphs.extend(words(135.0, &[(0.0, "他处"), (50.0, "逾期不补")]));
        for (k, rest) in ["正、行政", "机关不再", "处理其政", "开申请"]
            .iter()
            .enumerate()
        {
            glyphs.extend(words(120.0 - 15.0 * k as f64, &[(50.0, rest)]));
        }
        let (found, _) = tables(glyphs, 200.0, GroupHeaders::Centred);
        let t = &found[0];
        let last = t.table.ys.len() - 2;
        let label: String = (0..2).map(|col| text_of(t, last, col)).collect();
        assert!(
            label.ends_with("处理其政开申请"),
            "the label's last lines are the row's: {label}"
        );
    }

    /// A label column four characters wide: each label's lines from `top` down, 15 apart,
    /// its values ("0" under each of two headers) on its line `on`.
    fn narrow_label(top: f64, label: &[&str], on: usize) -> Vec<Glyph> {
        let mut glyphs = Vec::new();
        for (k, line) in label.iter().enumerate() {
            let y = top - 15.0 * k as f64;
            match k == on {
                true => glyphs.extend(words(y, &[(0.0, line), (100.0, "0"), (160.0, "0")])),
                false => glyphs.extend(words(y, &[(0.0, line)])),
            }
        }
        glyphs
    }

    #[test]
    fn rows_whose_labels_wrap_over_ten_lines_are_one_table() {
        // 表三's 其他处理 in a very narrow label column: ten lines without values between
        // the two rows' values, all of them label lines.
        let mut glyphs = words(400.0, &[(0.0, "项目"), (100.0, "自然人"), (160.0, "总计")]);
        let rest = ["行政机关", "不再处理", "其政府信", "息公开申", "请"];
        let first = [&["1．申请", "人无正当", "理由逾期", "不补正、"][..], &rest].concat();
        glyphs.extend(narrow_label(385.0, &first, 3));
        let second = [
            &["2．申请", "人逾期未", "按收费通", "知要求缴", "纳费用、"][..],
            &rest,
        ]
        .concat();
        glyphs.extend(narrow_label(250.0, &second, 5));
        let (found, _) = tables(glyphs, 400.0, GroupHeaders::Centred);
        assert_eq!(found.len(), 1, "one table");
        let t = &found[0];
        assert_eq!(t.table.ys.len() - 1, 3, "header and two rows");
        assert_eq!(text_of(t, 2, 0), second.concat());
        assert_eq!(text_of(t, 2, 1), "0");
    }

    #[test]
    fn more_lines_without_values_than_a_label_wraps_over_end_the_table() {
        // Nine lines of prose, which runs over the values' columns; or ten lines, three of
        // them over the values' columns (a header repeated after a page break), the others
        // in the label column.
        let prose = "本机关认真贯彻落实条例要求";
        for (over_values, in_labels) in [(9, 0), (3, 7)] {
            let mut glyphs = words(400.0, &[(0.0, "项目"), (100.0, "自然人"), (160.0, "总计")]);
            glyphs.extend(words(
                385.0,
                &[(0.0, "1．规章"), (100.0, "0"), (160.0, "0")],
            ));
            let mut y = 385.0;
            for k in 0..over_values + in_labels {
                y -= 15.0;
                let text = if k < over_values {
                    prose
                } else {
                    "不再处理"
                };
                glyphs.extend(words(y, &[(0.0, text)]));
            }
            glyphs.extend(words(
                y - 15.0,
                &[(0.0, "2．规章"), (100.0, "0"), (160.0, "0")],
            ));
            let (found, _) = tables(glyphs, 400.0, GroupHeaders::Centred);
            let rows = found[0].table.ys.len() - 1;
            assert_eq!(rows, 2, "header and one row ({over_values}, {in_labels})");
        }
    }

    #[test]
    fn a_label_wrapped_over_three_lines_is_one_row_with_the_values_on_its_middle() {
        // "1.信访举报 / 投诉类申 / 请" with its values centred on the middle line: the
        // numbered first line is that row's, not a blank row of its own.
        let mut glyphs = words(195.0, &[(0.0, "项目"), (100.0, "自然人"), (160.0, "总计")]);
        glyphs.extend(words(
            180.0,
            &[(0.0, "3.补正后申请"), (100.0, "0"), (160.0, "0")],
        ));
        glyphs.extend(words(163.0, &[(0.0, "1.信访举报")]));
        glyphs.extend(words(
            148.0,
            &[(0.0, "投诉类申"), (100.0, "2"), (160.0, "2")],
        ));
        glyphs.extend(words(133.0, &[(0.0, "请")]));
        glyphs.extend(words(
            116.0,
            &[(0.0, "2.重复申请"), (100.0, "1"), (160.0, "1")],
        ));
        let (found, _) = tables(glyphs, 200.0, GroupHeaders::Centred);
        let t = &found[0];
        assert_eq!(t.table.ys.len() - 1, 4, "header and three rows");
        assert_eq!(text_of(t, 2, 0), "1.信访举报投诉类申请");
        assert_eq!(text_of(t, 2, 1), "2");
        assert_eq!(text_of(t, 3, 0), "2.重复申请");
    }

    #[test]
    fn a_label_begun_in_the_group_column_is_numbered_there_and_kept_whole() {
        // 表三's three label columns: "（二）部分公开（区分处理的…）" begins in the middle
        // column (where "（三）" stands upright below) and wraps over four lines of the
        // leaf column, its value centred on them; its number is read where it begins.
        let mut glyphs = words(215.0, &[(0.0, "结果"), (140.0, "自然人"), (200.0, "总计")]);
        let label_lines: [(f64, &[(f64, &str)]); 10] = [
            (200.0, &[(0.0, "三、"), (40.0, "（一）予以公开")]),
            (188.0, &[(40.0, "（二）部分公")]),
            (176.0, &[(0.0, "本年"), (40.0, "开（区分处理")]),
            (164.0, &[(40.0, "的，只计这一")]),
            (152.0, &[(0.0, "度办"), (40.0, "他情形）")]),
            (134.0, &[(0.0, "理结"), (40.0, "（"), (65.0, "1.属于")]),
            (122.0, &[(0.0, "果"), (40.0, "三"), (65.0, "国家秘密")]),
            (104.0, &[(40.0, "）"), (65.0, "2.其他")]),
            (92.0, &[(65.0, "法规")]),
            (80.0, &[(65.0, "3.危及")]),
        ];
        for (y, words_of_line) in label_lines {
            glyphs.extend(words(y, words_of_line));
        }
        for (y, v) in [
            (200.0, "8"),
            (170.0, "1"),
            (128.0, "0"),
            (98.0, "3"),
            (80.0, "4"),
        ] {
            glyphs.extend(words(y, &[(140.0, v), (200.0, v)]));
        }
        let (found, _) = tables(glyphs, 230.0, GroupHeaders::Centred);
        let t = &found[0];
        let value_col = t.table.xs.len() - 3;
        let label = |r: usize| -> String {
            let mut cells: Vec<(usize, String)> = t
                .table
                .cells
                .iter()
                .zip(&t.cells)
                .filter(|(c, _)| c.row == r && c.col < value_col && c.col > 0)
                .map(|(c, g)| {
                    let text = lines(g.clone())
                        .iter()
                        .map(|l| line_text(l, false))
                        .collect();
                    (c.col, text)
                })
                .collect();
            cells.sort();
            cells.into_iter().map(|(_, t)| t).collect()
        };
        let row = |v: &str| {
            (1..t.table.ys.len() - 1)
                .find(|&r| text_of(t, r, value_col) == v)
                .unwrap_or_else(|| panic!("no row of {v}"))
        };
        assert_eq!(label(row("8")), "（一）予以公开");
        assert!(
            label(row("1")).starts_with("（二）部分公"),
            "{}",
            label(row("1"))
        );
        assert!(label(row("1")).ends_with("他情形）"), "{}", label(row("1")));
        // A value centred on a two-line label, a line and a half over the next row's.
        assert!(
            label(row("3")).ends_with("2.其他法规"),
            "{}",
            label(row("3"))
        );
        assert!(label(row("4")).ends_with("3.危及"), "{}", label(row("4")));
    }

    #[test]
    fn an_unnumbered_label_centred_on_its_values_among_first_line_labels_is_its_rows() {
        // Numbered labels carry their values on their first line; "受理依申请公开信息总 /
        // 数" has none and its values stand between its two lines.
        let mut glyphs = words(
            205.0,
            &[(0.0, "指标名称"), (150.0, "本年"), (200.0, "累计")],
        );
        let rows: [(f64, &[(f64, &str)]); 6] = [
            (
                190.0,
                &[(0.0, "1、网站公开"), (150.0, "418"), (200.0, "6124")],
            ),
            (
                176.0,
                &[(0.0, "2、政府公报"), (150.0, "7"), (200.0, "4540")],
            ),
            (162.0, &[(0.0, "受理依申请公开")]),
            (156.0, &[(150.0, "0"), (200.0, "2225")]),
            (150.0, &[(0.0, "数")]),
            (136.0, &[(0.0, "1、当面申请"), (150.0, "0"), (200.0, "0")]),
        ];
        for (y, line) in rows {
            glyphs.extend(words(y, line));
        }
        glyphs.extend(words(
            122.0,
            &[(0.0, "2、传真申请"), (150.0, "0"), (200.0, "447")],
        ));
        let (found, _) = tables(glyphs, 220.0, GroupHeaders::Centred);
        let t = &found[0];
        assert_eq!(text_of(t, 2, 0), "2、政府公报");
        assert_eq!(text_of(t, 2, 1), "7");
        assert_eq!(text_of(t, 3, 0), "受理依申请公开数");
        assert_eq!(text_of(t, 3, 2), "2225");
    }

    #[test]
    fn sub_headers_of_narrow_columns_a_space_apart_stand_over_their_own_columns() {
        // 表四's narrow columns: "结果 结果 其他" one run of words (spaces narrower than a
        // gutter), each word over its own column of values.
        let mut glyphs = words(
            190.0,
            &[
                (0.0, "结果"),
                (24.0, "结果"),
                (48.0, "其他"),
                (100.0, "总计"),
            ],
        );
        glyphs.extend(words(
            178.0,
            &[(0.0, "维持"), (24.0, "纠正"), (48.0, "结果"), (100.0, "件")],
        ));
        glyphs.extend(words(
            164.0,
            &[(4.0, "1"), (28.0, "0"), (52.0, "2"), (104.0, "3")],
        ));
        let (found, _) = tables(glyphs, 200.0, GroupHeaders::Centred);
        let t = &found[0];
        assert_eq!(t.table.xs.len(), 5, "{:?}", t.table.xs);
        assert_eq!(text_of(t, 0, 1), "结果");
        assert_eq!(text_of(t, 0, 2), "其他");
        assert_eq!(text_of(t, 1, 2), "结果");
        assert_eq!(text_of(t, 2, 2), "2");
    }

    #[test]
    fn a_line_among_two_centred_rows_goes_to_the_nearer() {
        // Labels on their rows' first lines, but two unnumbered ones centred on their
        // values under 2.政府公报公开数: "其中：1、当面申请" is nearer the second's row than
        // the first's, both inside the block of lines that runs on from 2.政府公报公开数.
        let mut glyphs = words(205.0, &[(0.0, "项目"), (120.0, "本年"), (170.0, "累计")]);
        glyphs.extend(words(
            190.0,
            &[(0.0, "1.主动公开数"), (120.0, "7"), (170.0, "9")],
        ));
        glyphs.extend(words(
            175.0,
            &[(0.0, "2.政府公报公开数"), (120.0, "3"), (170.0, "4")],
        ));
        glyphs.extend(words(164.0, &[(0.0, "受理政府信息依申请")]));
        glyphs.extend(words(158.0, &[(120.0, "0"), (170.0, "128")]));
        glyphs.extend(words(152.0, &[(0.0, "公开总数")]));
        glyphs.extend(words(140.0, &[(0.0, "其中：1、当面申请")]));
        glyphs.extend(words(134.0, &[(120.0, "0"), (170.0, "1927")]));
        glyphs.extend(words(128.0, &[(0.0, "数")]));
        glyphs.extend(words(
            114.0,
            &[(0.0, "2.传真申请数"), (120.0, "0"), (170.0, "295")],
        ));
        let (found, _) = tables(glyphs, 220.0, GroupHeaders::Centred);
        let t = &found[0];
        let received = row_labelled(t, "受理政府信息依申请公开总数");
        assert_eq!(text_of(t, received, 2), "128");
        let in_person = row_labelled(t, "其中：1、当面申请数");
        assert_eq!(text_of(t, in_person, 2), "1927");
    }

    #[test]
    fn headings_printed_blank_do_not_make_centred_labels_first_line_ones() {
        // Two headings on rows of their own, and values centred on two-line labels: the
        // headings' numbered lines are on rows (they make them), which says nothing of how
        // the labels of rows of values stand. Read as first-line labels, "1.新闻发布会 /
        // 总次数 / 其中：负责同志参加 / 发布会次数" would all join the first row.
        let mut glyphs = words(205.0, &[(0.0, "项目"), (100.0, "本年"), (160.0, "累计")]);
        glyphs.extend(words(185.0, &[(0.0, "一、回应情况")]));
        glyphs.extend(words(170.0, &[(0.0, "(二)通过渠道")]));
        glyphs.extend(words(160.0, &[(0.0, "1.新闻发布会")]));
        glyphs.extend(words(152.0, &[(100.0, "2"), (160.0, "9")]));
        glyphs.extend(words(145.0, &[(0.0, "总次数")]));
        glyphs.extend(words(135.0, &[(0.0, "其中：负责同志参加")]));
        glyphs.extend(words(127.0, &[(100.0, "1"), (160.0, "5")]));
        glyphs.extend(words(120.0, &[(0.0, "发布会次数")]));
        glyphs.extend(words(
            105.0,
            &[(0.0, "2.在线访谈次数"), (100.0, "13"), (160.0, "40")],
        ));
        let (found, _) = tables(glyphs, 220.0, GroupHeaders::Centred);
        let t = &found[0];
        let first = row_labelled(t, "1.新闻发布会总次数");
        assert_eq!(text_of(t, first, 1), "2");
        let second = row_labelled(t, "其中：负责同志参加发布会次数");
        assert_eq!(text_of(t, second, 1), "1");
    }

    #[test]
    fn a_line_on_its_row_after_a_label_centred_on_the_row_above_starts_a_label() {
        // Labels on their rows' first lines, but one of two lines centred on its values;
        // "其中：…" under it, on its own row, is not its third line.
        let mut glyphs = words(205.0, &[(0.0, "项目"), (100.0, "本年"), (160.0, "累计")]);
        glyphs.extend(words(
            190.0,
            &[(0.0, "1.主动公开"), (100.0, "7"), (160.0, "9")],
        ));
        glyphs.extend(words(
            175.0,
            &[(0.0, "2.规范文件"), (100.0, "3"), (160.0, "4")],
        ));
        glyphs.extend(words(160.0, &[(0.0, "(一)信息(不")]));
        glyphs.extend(words(152.0, &[(100.0, "19"), (160.0, "20")]));
        glyphs.extend(words(145.0, &[(0.0, "同渠道)")]));
        glyphs.extend(words(
            135.0,
            &[(0.0, "其中：文件"), (100.0, "8"), (160.0, "8")],
        ));
        glyphs.extend(words(
            120.0,
            &[(0.0, "3.制发总数"), (100.0, "5"), (160.0, "6")],
        ));
        let (found, _) = tables(glyphs, 220.0, GroupHeaders::Centred);
        let t = &found[0];
        let centred = row_labelled(t, "(一)信息(不同渠道)");
        assert_eq!(text_of(t, centred, 1), "19");
        let under = row_labelled(t, "其中：文件");
        assert_eq!(text_of(t, under, 1), "8");
    }

    #[test]
    fn a_numbered_label_without_values_is_a_blank_row() {
        let mut glyphs = words(190.0, &[(0.0, "1.国家秘密"), (150.0, "3"), (200.0, "3")]);
        glyphs.extend(words(170.0, &[(0.0, "2.第三方")]));
        glyphs.extend(words(
            150.0,
            &[(0.0, "3.内部事务"), (150.0, "1"), (200.0, "1")],
        ));
        let (found, _) = tables(glyphs, 200.0, GroupHeaders::Centred);
        let t = &found[0];
        assert_eq!(text_of(t, 1, 0), "2.第三方");
        assert_eq!(text_of(t, 1, 1), "");
        assert_eq!(text_of(t, 2, 1), "1");
    }

    #[test]
    fn numbered_items_and_part_headings_start_items() {
        for numbered in [
            "一、本年新收",
            "（三）不予公开",
            "3．其他",
            "四．政府信息公开行政复议",
            "第四部分 政府信息公开行政复议",
        ] {
            assert!(starts_item(numbered), "{numbered}");
        }
        for label in ["行政处罚", "第二十条第（一）项", "四川省", "部分公开"] {
            assert!(!starts_item(label), "{label}");
        }
    }

    #[test]
    fn prose_is_no_table() {
        let mut glyphs = words(190.0, &[(0.0, "全年共收到申请21件，均已办结。")]);
        glyphs.extend(words(175.0, &[(0.0, "二〇二四年一月")]));
        assert!(tables(glyphs, 200.0, GroupHeaders::Centred).0.is_empty());
    }
}
