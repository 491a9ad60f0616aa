//! The table recogniser: finds each table in the cell stream, picks the layout whose
//! labels fit, matches row labels in order and fits the values after each label into the
//! row's cells.

use crate::layout::{distinct_anchors, layouts, Pattern, RowLayout, TableLayout, IGNORED_CELL};
use crate::read::{CellRead, TableRead};
use crate::split::{self, Group, Part, RowCheck};
use crate::stream::{ColumnPiece, Stream};
use crate::value::{read_cell, read_numbers, says_yuan, trailing_numbers, yuan_to_wan, CellValue};
use nianbao_model::{Era, ReadMethod, TableId, BLANK_MAY_BE_ELSEWHERE, PLACED_IN_ORDER};
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// A cell as read from the stream: the value and the stream range it was printed at.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadCell {
    pub key: &'static str,
    pub value: Option<f64>,
    pub raw: String,
    pub start: usize,
    pub end: usize,
    /// Set when the cell was cut out of digits that ran together: how, and whether other
    /// cuts fitted too.
    pub recovered: Option<String>,
    pub method: ReadMethod,
}

/// A table as found: which one, the era of its labels, its stream range and its cells.
#[derive(Debug)]
pub struct ReadTable {
    pub id: TableId,
    pub era: Option<Era>,
    pub start: usize,
    pub cells: Vec<ReadCell>,
}

impl ReadTable {
    /// The table with its ranges in the document text rather than the stream.
    pub fn in_document(self, stream: &Stream) -> TableRead {
        let last = self.cells.iter().map(|c| c.end).max().unwrap_or(self.start);
        let (start, end) = stream.doc_range(self.start, last);
        let cells = self
            .cells
            .into_iter()
            .map(|c| {
                let (start, end) = stream.doc_range(c.start, c.end);
                CellRead {
                    key: c.key,
                    value: c.value,
                    raw: c.raw,
                    start,
                    end,
                    recovered: c.recovered,
                    method: c.method,
                    alternative: None,
                }
            })
            .collect();
        TableRead {
            id: self.id,
            era: self.era,
            start,
            end,
            cells,
            unplaced: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    Number {
        value: f64,
        start: usize,
        end: usize,
    },
    Blank {
        start: usize,
        end: usize,
    },
}

impl Token {
    fn is_number(&self) -> bool {
        matches!(self, Token::Number { .. })
    }

    pub(crate) fn start(&self) -> usize {
        match self {
            Token::Number { start, .. } | Token::Blank { start, .. } => *start,
        }
    }

    pub(crate) fn end(&self) -> usize {
        match self {
            Token::Number { end, .. } | Token::Blank { end, .. } => *end,
        }
    }

    /// The amount it stands for in a sum: a blank counts as nothing.
    pub(crate) fn amount(&self) -> f64 {
        match self {
            Token::Number { value, .. } => *value,
            Token::Blank { .. } => 0.0,
        }
    }
}

/// Whether a row's last value is the sum of the others.
pub(crate) fn adds_up(row: &[Token]) -> bool {
    let Some((total, parts)) = row.split_last() else {
        return false;
    };
    (parts.iter().map(Token::amount).sum::<f64>() - total.amount()).abs() < 0.5
}

/// Whether a row meets its table's check: its total the sum of the rest (each group's,
/// 表四's), or its values never decreasing; never for a table without one.
pub(crate) fn holds(row: &[Token], check: RowCheck) -> bool {
    match check {
        RowCheck::Total => adds_up(row),
        RowCheck::GroupTotals(size) => {
            row.len().is_multiple_of(size) && row.chunks(size).all(adds_up)
        }
        RowCheck::Ascending => row.windows(2).all(|w| w[0].amount() <= w[1].amount()),
        RowCheck::None => false,
    }
}

/// Where a line of only whitespace stands between two of `values` (pdftotext's
/// paragraphs): the index of the value after each.
pub(crate) fn paragraph_starts(stream: &Stream, values: &[Token]) -> Vec<usize> {
    (1..values.len())
        .filter(|&i| {
            !stream
                .skipped_lines(values[i - 1].end(), values[i].start())
                .is_empty()
        })
        .collect()
}

/// Reads every table of the stream. `boundaries` are stream positions where a table
/// cannot continue (section headings); `year_era` breaks ties between layouts.
/// Tables in `skip` (read already, from a grid) are not looked for.
pub fn read_tables(
    stream: &Stream,
    boundaries: &[usize],
    year_era: Option<Era>,
    skip: &[TableId],
) -> Vec<ReadTable> {
    let mut tables = Vec::new();
    let mut after = 0;
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        if skip.contains(&id) {
            continue;
        }
        let candidates: Vec<&TableLayout> = layouts().iter().filter(|l| l.id == id).collect();
        let Some((start, end)) = region(stream, &candidates, after, boundaries) else {
            continue;
        };
        if let Some(table) = read_region(stream, &candidates, start, end, year_era) {
            after = table.start;
            tables.push(table);
        }
    }
    if !tables.iter().any(|t| t.id == TableId::T3)
        && !skip.contains(&TableId::T3)
        && !skip.contains(&TableId::Old)
    {
        let candidates: Vec<&TableLayout> =
            layouts().iter().filter(|l| l.id == TableId::Old).collect();
        if let Some((start, _)) = region(stream, &candidates, 0, &[]) {
            let end = stream.text.len();
            tables.extend(read_region(stream, &candidates, start, end, year_era));
        }
    }
    tables
}

/// From the table's anchor to the next anchor of a later table or the next boundary.
fn region(
    stream: &Stream,
    candidates: &[&TableLayout],
    after: usize,
    boundaries: &[usize],
) -> Option<(usize, usize)> {
    let start = distinct_anchors(candidates.iter().copied())
        .iter()
        .filter_map(|a| a.find_at(&stream.text, after))
        .map(|m| m.start())
        .min()?;
    let id = candidates[0].id;
    let later = layouts()
        .iter()
        .filter(|l| l.id > id && l.id != TableId::Old);
    let next_table = distinct_anchors(later)
        .iter()
        .filter_map(|a| a.find_at(&stream.text, start + 1))
        .map(|m| m.start())
        .min();
    let next_boundary = boundaries.iter().copied().find(|&b| b > start);
    let end = [next_table, next_boundary]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(stream.text.len());
    Some((start, end))
}

fn read_region(
    stream: &Stream,
    candidates: &[&TableLayout],
    start: usize,
    end: usize,
    year_era: Option<Era>,
) -> Option<ReadTable> {
    let text = &stream.text[start..end];
    let layout = choose_layout(candidates, text, year_era)?;
    let mut cells = if layout.sequence.is_empty() {
        by_rows_or_in_order(stream, layout, start, end)
    } else {
        read_sequence(stream, layout, start, end)
    };
    if cells.is_empty() {
        return None;
    }
    doubt_blanks_when_mostly_unread(layout, &mut cells);
    Some(ReadTable {
        id: layout.id,
        era: layout.era,
        start,
        cells,
    })
}

/// Blanks of a table whose cells were mostly not found (fewer than half: its labels not
/// where the reader looks, as in text extracted in reading order), or of which none has a
/// value (its labels found, its values printed before them): such a blank is a row found
/// with no value after it, and its value may well stand where the reading did not look.
/// It is doubted, so that no rule blames the report for it.
fn doubt_blanks_when_mostly_unread(layout: &TableLayout, cells: &mut [ReadCell]) {
    let wanted = layout
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .chain(&layout.sequence)
        .filter(|k| **k != IGNORED_CELL)
        .count();
    let valued = cells.iter().filter(|c| c.value.is_some()).count();
    if cells.len() * 2 >= wanted && valued > 0 {
        return;
    }
    let note = format!(
        "{} of the table's {wanted} cells found, {valued} with a value: {BLANK_MAY_BE_ELSEWHERE}",
        cells.len()
    );
    for cell in cells.iter_mut().filter(|c| c.value.is_none()) {
        cell.recovered.get_or_insert_with(|| note.clone());
    }
}

/// The rows read by their labels; or, when that reads fewer numbers than the table's
/// order does (labels and values printed apart), the cells read in the table's order.
fn by_rows_or_in_order(
    stream: &Stream,
    layout: &TableLayout,
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let numbers = |cells: &[ReadCell]| cells.iter().filter(|c| c.value.is_some()).count();
    let matches = match_rows(stream, layout, start, end);
    let by_rows = read_rows(stream, layout, &matches, start, end);
    let cells = layout.rows.iter().flat_map(|r| &r.cells);
    if numbers(&by_rows) >= cells.filter(|k| **k != IGNORED_CELL).count() {
        return by_rows; // every cell read
    }
    let in_order = crate::table_order::read_in_table_order(stream, layout, &matches, start, end);
    let read = match numbers(&in_order) > numbers(&by_rows) {
        true => in_order,
        false => by_rows,
    };
    let by_headers = crate::headed_values::read_by_headers(stream, layout, start, end);
    with_cells_by_headers(read, by_headers)
}

/// The cells read, each uncertain or valueless one replaced by the same cell read after
/// its column header when that found it.
fn with_cells_by_headers(mut read: Vec<ReadCell>, by_headers: Vec<ReadCell>) -> Vec<ReadCell> {
    for cell in by_headers {
        match read.iter_mut().find(|c| c.key == cell.key) {
            Some(own) if own.recovered.is_some() || own.value.is_none() => *own = cell,
            Some(_) => {}
            None => read.push(cell),
        }
    }
    read
}

/// The layout whose era markers occur most; ties go to the year's era, then to the first.
pub(crate) fn choose_layout<'a>(
    candidates: &[&'a TableLayout],
    text: &str,
    year_era: Option<Era>,
) -> Option<&'a TableLayout> {
    let score = |l: &TableLayout| l.markers.iter().filter(|m| m.is_match(text)).count();
    let best = candidates.iter().map(|l| score(l)).max()?;
    let tied: Vec<&&TableLayout> = candidates.iter().filter(|l| score(l) == best).collect();
    tied.iter()
        .find(|l| l.era.is_some() && l.era == year_era)
        .or(tied.first())
        .map(|l| **l)
}

/// A label may be printed after its item number ("2.", "3、", "1. "), which belongs to the
/// label, not to the digits of the cells before it: the match starts at the number.
fn with_item_number(text: &str, label_start: usize, floor: usize) -> usize {
    let before = &text[floor..label_start];
    let trimmed = before.trim_end_matches([' ', '\t']);
    let mut chars = trimmed.chars().rev();
    match (chars.next(), chars.next()) {
        (Some(mark @ ('.' | '、')), Some(d)) if d.is_ascii_digit() => {
            floor + trimmed.len() - mark.len_utf8() - d.len_utf8()
        }
        _ => label_start,
    }
}

/// Every match of a row's label in `haystack` from `start` on, by start: overlapping starts
/// matter ("2.其他…" vs "其他…"), so the search goes on from each start + 1.
fn label_matches(label: &Pattern, haystack: &str, start: usize) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut at = start;
    while let Some(m) = label.find_at(haystack, at) {
        found.push((m.start(), m.end()));
        at = m.start()
            + haystack[m.start()..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        if at >= haystack.len() {
            break;
        }
    }
    found
}

/// Matches row labels in order (a row may be missing; none is matched out of order).
/// Each label's occurrences are found once; then the earliest occurrence at or after the
/// current position among the rows still to come wins (ties: the row listed first).
fn match_rows(
    stream: &Stream,
    layout: &TableLayout,
    start: usize,
    end: usize,
) -> Vec<(usize, usize, usize)> {
    let text = &stream.text;
    let rows = &layout.rows;
    let haystack = &text[..end];
    let plain = layout.row_labels().occurrences(haystack, start, rows.len());
    let mut occurrences: Vec<Vec<(usize, usize)>> = rows
        .iter()
        .zip(plain)
        .map(|(row, plain)| {
            let matches = match row.label {
                Pattern::Texts { .. } => plain,
                Pattern::Regex(_) => label_matches(&row.label, haystack, start),
            };
            matches
                .into_iter()
                .map(|(s, e)| (with_item_number(haystack, s, start), e))
                .collect()
        })
        .collect();
    labels_around_values(stream, layout, haystack, start, &mut occurrences);
    let mut found = Vec::new();
    let mut pos = start;
    let mut next_row = 0;
    loop {
        let best = (next_row..rows.len())
            .filter_map(|i| first_from(&occurrences[i], pos).map(|m| (i, m)))
            .min_by_key(|&(i, (s, _))| (s, i));
        let Some((i, (s, e))) = best else { break };
        found.push((i, s, e));
        pos = e.max(pos + 1).min(end);
        next_row = i + 1;
        if pos >= end {
            break;
        }
    }
    found
}

/// Labels wrapped over lines, for rows found nowhere else. `pdftotext -layout` centres a
/// row's values on the lines of its label: a label over two lines has its values between
/// them ("(二)通过不同渠道和方式公开政" / "个 19475" / "府信息的情况"), one over three
/// beside the middle line ("(二)通过不同渠道" / "和方式公开政府信息  个  19475" / "的情况");
/// `pdftotext -raw` prints a narrow cell's lines one after another, its values after the
/// last or beside the first. Lines are joined around each line of values (the label ends
/// where the words before the values do), then each two to four lines of words in a row
/// (it ends where the match does, or before the values beside the first line), then
/// laid-out text column by column (`follow_columns`). A match must start in the first
/// line and cross the join, so rows whole on their lines are never joined.
fn labels_around_values(
    stream: &Stream,
    layout: &TableLayout,
    text: &str,
    start: usize,
    occurrences: &mut [Vec<(usize, usize)>],
) {
    let wanted = |row: usize| !layout.rows[row].cells.is_empty();
    if (0..occurrences.len()).all(|row| !wanted(row) || !occurrences[row].is_empty()) {
        return;
    }
    let lines: Vec<(usize, &str)> = nianbao_ingest::line_ranges(&text[start..])
        .map(|(from, to, _)| (start + from, &text[start + from..start + to]))
        .collect();
    let body = occurrences.iter().flatten().map(|&(s, _)| s).min();
    let lines = without_repeated_header(text, lines, (start, body.unwrap_or(start)));
    // The rows found nowhere else. Each takes every place its label is found at across
    // lines, not only the first: two rows may share a label (the old table's "县政府(开发
    // 区)及其部门" under 查阅点数 and again under 接待人数), each wrapped the same way.
    let missing: Vec<bool> = (0..occurrences.len())
        .map(|row| wanted(row) && occurrences[row].is_empty())
        .collect();
    // Looks for the rows found nowhere in `lines` joined, their label starting in the
    // first and ending in another; the label ends where line `values_after` does (its
    // values follow), or where the match does.
    let mut look_across = |lines: &[(usize, &str)], values_after: Option<usize>| {
        let mut joined = String::new();
        // Each line's piece: its start in `joined` and in the text, and its end in the text.
        let mut starts: Vec<(usize, usize, usize)> = Vec::with_capacity(lines.len());
        for (k, &(line_start, line)) in lines.iter().enumerate() {
            let indentation = line.len() - line.trim_start().len();
            let (piece, piece_start) = match k {
                0 => (line.trim_end(), line_start),
                _ => (line.trim(), line_start + indentation),
            };
            starts.push((joined.len(), piece_start, piece_start + piece.len()));
            joined.push_str(piece);
        }
        let join = starts.get(1).map_or(joined.len(), |&(at, _, _)| at);
        let first_start = lines[0].0;
        for (row, list) in occurrences.iter_mut().enumerate() {
            if !missing[row] {
                continue;
            }
            let Some((s, e)) = found_across(&layout.rows[row].label, &joined, join) else {
                continue;
            };
            let label_start = with_item_number(text, first_start + s, start);
            let label_end = match values_after {
                Some(k) => starts[k].2,
                None => {
                    let (piece_at, piece_start, _) = starts
                        .iter()
                        .copied()
                        .rev()
                        .find(|&(at, _, _)| at < e)
                        .unwrap_or((0, first_start, first_start));
                    piece_start + (e - piece_at)
                }
            };
            // The same label found again by another join of its lines is no other place.
            if !list.iter().any(|&(s, e)| s < label_end && label_start < e) {
                list.push((label_start, label_end));
            }
        }
    };
    // Whether each line is words, and the words before its values, asked once.
    let is_words: Vec<bool> = lines.iter().map(|&(_, line)| words(line)).collect();
    let heads: Vec<Option<&str>> = lines.iter().map(|&(_, l)| words_before_values(l)).collect();
    for (k, window) in lines.windows(3).enumerate() {
        let [first, (middle_start, middle), last] = *window else {
            continue;
        };
        if !(is_words[k] && is_words[k + 2]) {
            continue;
        }
        if only_values(middle) {
            look_across(&[first, last], Some(0));
        } else if let Some(head) = heads[k + 1] {
            // A label over three lines, its values beside the middle one.
            look_across(&[first, (middle_start, head), last], Some(1));
        }
    }
    // A label wrapped over two to four lines of words (a narrow column), its values after
    // its last line or beside its first; line by line, so that a label is found where it
    // starts ("5. 属于三" / "类内部事" / "务信息" is 属于三类内部事务 before it is 内部事务).
    for k in 0..lines.len() {
        for size in 2..=4.min(lines.len() - k) {
            let window = &lines[k..k + size];
            if !is_words[k + 1..k + size].iter().all(|&w| w) {
                break;
            }
            if is_words[k] {
                look_across(window, None);
            } else if let Some(head) = heads[k] {
                let mut joined = window.to_vec();
                joined[0].1 = head;
                look_across(&joined, Some(0));
            }
        }
    }
    follow_columns(stream, &lines, &heads, &mut look_across);
    for (list, _) in occurrences.iter_mut().zip(&missing).filter(|(_, &m)| m) {
        list.sort_unstable();
    }
    labels_cut_short(layout, &lines, &heads, occurrences);
}

/// The fewest lines of a table's header printed again that are taken for it.
const REPEATED_HEADER_LINES: usize = 3;

/// How many lines before a table's anchor may be its header's (the anchor, 勾稽关系 or
/// 申请人情况, is found a few lines down a header printed a piece a line).
const HEADER_LINES_BEFORE_ANCHOR: usize = 8;

/// The table's `lines` without its header printed again where a page break cut it: a run
/// of at least `REPEATED_HEADER_LINES` lines after the first row (`body`), each of them
/// words printed before it in the table (the header above the first row, and the lines of
/// it that stand before the table's anchor at `start`). A row's label the break cut
/// ("3.危及" / "“三安全" … header … "一稳定”") then reads as one wrapped over lines.
fn without_repeated_header<'t>(
    text: &'t str,
    lines: Vec<(usize, &'t str)>,
    (start, body): (usize, usize),
) -> Vec<(usize, &'t str)> {
    // A line of words, trimmed (a line with digits is never a header's).
    fn header_words(line: &str) -> Option<&str> {
        let line = line.trim();
        (!line.is_empty() && !line.bytes().any(|b| b.is_ascii_digit())).then_some(line)
    }
    // The header's lines: those above the first row, from a few lines before the table's
    // anchor (where its first lines may stand, the anchor being further down it).
    let from = text[..start.min(text.len())]
        .rmatch_indices('\n')
        .nth(HEADER_LINES_BEFORE_ANCHOR)
        .map_or(0, |(at, _)| at + 1);
    let before: HashSet<&str> = text[from..body.clamp(from, text.len())]
        .lines()
        .filter_map(header_words)
        .collect();
    let repeated = |&(at, line): &(usize, &str)| {
        at >= body && header_words(line).is_some_and(|w| before.contains(w))
    };
    let mut kept = Vec::with_capacity(lines.len());
    let mut k = 0;
    while k < lines.len() {
        let run = lines[k..].iter().take_while(|l| repeated(l)).count();
        if run >= REPEATED_HEADER_LINES {
            k += run;
            continue;
        }
        let next = k + run.max(1);
        kept.extend_from_slice(&lines[k..next]);
        k = next;
    }
    kept
}

/// The fewest chars a label cut short keeps for it to stand for its row.
const CUT_LABEL_CHARS: usize = 4;

/// Labels cut short: a page break between a label's lines, with the table's header printed
/// again between them ("7.属于行政执  6 0 0 0 0 0 6" … header … "法案卷"). The words
/// beside a row's values stand for a row found nowhere else when they begin its label, no
/// other row's label begins with them, and they are no row's whole label.
fn labels_cut_short(
    layout: &TableLayout,
    lines: &[(usize, &str)],
    heads: &[Option<&str>],
    occurrences: &mut [Vec<(usize, usize)>],
) {
    let rows = &layout.rows;
    let whole = |row: &RowLayout, words: &str| match &row.label {
        Pattern::Texts { alternatives, .. } => alternatives.iter().any(|a| a == words),
        Pattern::Regex(re) => re.is_match(words),
    };
    for (&(line_start, _), head) in lines.iter().zip(heads) {
        let Some(head) = head else {
            continue;
        };
        let head = head.trim_end();
        let indent = head.len() - head.trim_start().len();
        let words = &head[indent + item_number_len(head.trim_start()).unwrap_or(0)..];
        if words.chars().count() < CUT_LABEL_CHARS || rows.iter().any(|r| whole(r, words)) {
            continue;
        }
        let mut beginning = (0..rows.len()).filter(|&r| begins_label(&rows[r].label, words));
        let (Some(row), None) = (beginning.next(), beginning.next()) else {
            continue;
        };
        if !rows[row].cells.is_empty() && occurrences[row].is_empty() {
            occurrences[row].push((line_start + indent, line_start + head.len()));
        }
    }
}

/// Whether `words` begin one of a label's texts, long enough to stand for it
/// (`CUT_LABEL_CHARS`): the first line of a label a page break cut.
fn begins_label(label: &Pattern, words: &str) -> bool {
    let long_enough = words.chars().count() >= CUT_LABEL_CHARS;
    match label {
        Pattern::Texts { alternatives, .. } => {
            long_enough && alternatives.iter().any(|a| a.starts_with(words))
        }
        Pattern::Regex(_) => false,
    }
}

/// Laid-out text prints a group's label a few chars a line in a column of its own, left
/// of the rows' labels, on their lines ("度办  (三)不  1. 属于国家秘" / values / "理结
/// 予公开     密") or on lines of its own between them ("3.要求提供" / "公开出版  0 0" /
/// "（五" / "物"): a row's label is what is printed under its first piece, column by
/// column, over the next lines; lines with nothing in its columns are passed over.
/// Text not laid out (one line a cell, `pdftotext -raw`) has one piece a line, all in
/// one column: its lines are followed as they come.
fn follow_columns(
    stream: &Stream,
    lines: &[(usize, &str)],
    heads: &[Option<&str>],
    look_across: &mut impl FnMut(&[(usize, &str)], Option<usize>),
) {
    let laid_out = lines.iter().any(|&(at, _)| stream.laid_out(at));
    let walked: Vec<ColumnLine> = lines
        .iter()
        .zip(heads)
        .map(|(&(line_start, line), &head)| {
            let words = head.unwrap_or(line);
            ColumnLine {
                pieces: match laid_out {
                    true => column_pieces(stream, (line_start, words)),
                    false => one_column_piece(line_start, words),
                },
                only_values: only_values(line),
                beside: head.is_some(),
            }
        })
        .collect();
    for (k, first) in walked.iter().enumerate() {
        let (line_start, line) = lines[k];
        for &(top, text) in first.pieces.iter().rev() {
            let mut column = vec![(top.start, text)];
            // Values beside the piece: after the line's words, or right after the piece
            // (a group's label with an item number before it: "结予公2.其他法 0 0 0").
            let rest = line.get(top.end.saturating_sub(line_start)..).unwrap_or("");
            let mut values_after = (first.beside || only_values(rest)).then_some(0);
            // The label's columns so far: a wrapped label's lines are centred, each on its
            // own width.
            let mut reach = top;
            for line in walked.iter().skip(k + 1).take(COLUMN_LINES) {
                let mut under = line.pieces.iter().filter(|(p, _)| reach.overlaps(p));
                match (under.next(), under.next()) {
                    // Values with nothing in the label's columns: the label's values, its
                    // words beside them another column's (a group's label, "(三)不予公").
                    (None, _) if (line.only_values || line.beside) && values_after.is_none() => {
                        values_after = Some(column.len() - 1);
                        continue;
                    }
                    (None, _) if !line.beside && !line.only_values => continue,
                    (Some(&(piece, text)), None) if values_after.is_none() || !line.beside => {
                        column.push((piece.start, text));
                        reach.columns.0 = reach.columns.0.min(piece.columns.0);
                        reach.columns.1 = reach.columns.1.max(piece.columns.1);
                        if line.beside {
                            values_after = Some(column.len() - 1);
                        }
                    }
                    _ => break,
                }
                // Not laid out, the lines before any values were tried above.
                if laid_out || (!first.beside && values_after.is_some()) {
                    look_across(&column, values_after);
                }
            }
        }
    }
}

/// A line as `follow_columns` reads it: its pieces of words, and
/// whether it prints nothing but values, or values after its words.
struct ColumnLine<'a> {
    pieces: Vec<(ColumnPiece, &'a str)>,
    only_values: bool,
    beside: bool,
}

/// How many lines after a row label's first the label's column is followed over: a label
/// of four lines and two lines of a group's label between them.
const COLUMN_LINES: usize = 5;

/// The pieces of words of a stream line (`Stream::column_pieces`), with their text.
fn column_pieces<'a>(
    stream: &Stream,
    (start, line): (usize, &'a str),
) -> Vec<(ColumnPiece, &'a str)> {
    stream
        .column_pieces(start, start + line.len())
        .into_iter()
        .map(|p| (p, &line[p.start - start..p.end - start]))
        .filter(|(_, text)| words(text))
        .collect()
}

/// A line's words as one piece in a column every line shares (text not laid out).
fn one_column_piece(start: usize, line: &str) -> Vec<(ColumnPiece, &str)> {
    let piece = ColumnPiece {
        start,
        end: start + line.len(),
        columns: (0, usize::MAX),
    };
    match words(line) {
        true => vec![(piece, line)],
        false => Vec::new(),
    }
}

/// A line of nothing but a row's values.
fn only_values(line: &str) -> bool {
    line.chars().all(is_row_value_char) && line.chars().any(|c| c.is_ascii_digit())
}

/// Words, after an item number ("2. 其他法律行政").
fn words(line: &str) -> bool {
    // A sub-row's "其中：" may come before its item number ("其中：1.同意公开").
    let line = line.trim();
    let line = ["其中：", "其中:"]
        .iter()
        .find_map(|of_which| line.strip_prefix(of_which))
        .map_or(line, str::trim_start);
    let words = &line[item_number_len(line).unwrap_or(0)..];
    !words.trim().is_empty() && !words.chars().any(|c| c.is_ascii_digit())
}

/// The words of a line that opens with words and ends with values ("和方式公开政府信息  个
/// 19475", "5. 属于三 0 0 0 0 0 0 0").
fn words_before_values(line: &str) -> Option<&str> {
    let values_from = line
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_row_value_char(c))
        .last()
        .map_or(line.len(), |(at, _)| at);
    let (head, tail) = line.split_at(values_from);
    (tail.chars().any(|c| c.is_ascii_digit()) && words(head)).then_some(head)
}

/// Where `pattern` is found in `text` across byte `join` (starting before it, ending
/// after it): the match's start and end.
fn found_across(pattern: &Pattern, text: &str, join: usize) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(found) = pattern.find_at(text, at) {
        let (start, end) = (found.start(), found.end());
        if start >= join {
            return None;
        }
        if end > join {
            return Some((start, end));
        }
        at = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Text in parentheses is a note ("(不同渠道…计1条)"), never a cell.
fn without_notes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            // A note never runs over a line.
            '\n' => {
                depth = 0;
                out.push(c);
            }
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            // Keep byte positions: a note becomes spaces of the same length.
            _ if depth > 0 => out.extend(std::iter::repeat_n(' ', c.len_utf8())),
            _ => out.push(c),
        }
        if matches!(c, '(' | ')') {
            out.push(' ');
        }
    }
    out
}

/// The values after a label, its note blanked (byte for byte) when the note opens right
/// after the label and runs over lines: `pdftotext -raw` prints a cell's lines one after
/// another ("(一)主动公开" / "政府信息数(不" / "同渠道和方式公" / "开相同信息计1" /
/// "条)"), and the note's "1" is no value. Only a note closed within `NOTE_CHARS`
/// characters whose lines print no values (`is_note_text`): laid-out text prints a row's
/// values beside or between its label's lines ("专职人员数(不包   人   42").
fn without_note_after_label(after_label: &str) -> std::borrow::Cow<'_, str> {
    const NOTE_CHARS: usize = 40;
    let open = after_label.len() - after_label.trim_start_matches([' ', '\t']).len();
    if !after_label[open..].starts_with('(') {
        return std::borrow::Cow::Borrowed(after_label);
    }
    let mut depth = 0usize;
    let mut close = None;
    for (at, c) in after_label[open..].char_indices().take(NOTE_CHARS) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + at + 1);
                    break;
                }
            }
            _ => {}
        }
    }
    let Some(end) = close else {
        return std::borrow::Cow::Borrowed(after_label);
    };
    let note = &after_label[open..end];
    if !note.contains('\n') || !note.split('\n').all(is_note_text) {
        return std::borrow::Cow::Borrowed(after_label);
    }
    let blanked: String = note
        .chars()
        .map(|c| match c {
            '\n' => "\n".to_string(),
            _ => " ".repeat(c.len_utf8()),
        })
        .collect();
    std::borrow::Cow::Owned(format!(
        "{}{blanked}{}",
        &after_label[..open],
        &after_label[end..]
    ))
}

/// A line of a note, which states a count in words ("计 1 条") but prints no values: at
/// most one group of digits, none right after a unit ("人 42").
fn is_note_text(line: &str) -> bool {
    let mut groups = 0;
    let mut before = ' ';
    let mut last_word = ' ';
    for c in line.chars() {
        if opens_digit_group(before, c) {
            groups += 1;
            if "条件个项次人元".contains(last_word) {
                return false;
            }
        }
        if !c.is_whitespace() {
            last_word = c;
        }
        before = c;
    }
    groups <= 1
}

fn digit_groups() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Thousands separators bind only groups of three: "19,4751." is 19,475 then the
        // next row's item number 1. The separators stay in the group: where the digits of
        // two cells ran together ("215,433": 21 | 5,433) they say where a cut may fall.
        // More than three digits before a separator ("4252,697") are digits of two cells
        // run together (425 | 2,697): one group, for the cutting to sort out.
        Regex::new(
            r"(?:\d{1,3}(?:,\d{3})+|\d{4,}(?:,\d{3})+(?-u:\b)|\d+)(?:\.\d+)?(?P<unit>万元|元)?",
        )
        .expect("valid digit group pattern")
    })
}

/// A row's piece of run-together text up to the item number of a label after it
/// ("00 000003.危及…": the 3 numbers the next label, it is no cell). Item numbers are 1 to
/// 20, so a 0 before the mark takes the digit before it too ("10、").
fn without_item_number(piece: &str) -> &str {
    if !piece.contains(['.', '．', '、']) {
        return piece;
    }
    let chars: Vec<(usize, char)> = piece.char_indices().collect();
    for k in 1..chars.len().saturating_sub(1) {
        let (at, digit) = chars[k - 1];
        let (mark, next) = (chars[k].1, chars[k + 1].1);
        if !digit.is_ascii_digit() || !matches!(mark, '.' | '．' | '、') || next.is_ascii_digit()
        {
            continue;
        }
        if !is_han(next) {
            continue;
        }
        let tens = k >= 2 && digit == '0' && matches!(chars[k - 2].1, '1' | '2');
        return &piece[..if tens { chars[k - 2].0 } else { at }];
    }
    piece
}

/// The last row's piece of a run-together table, up to the end of the line its first
/// digits are on: what follows is no cell of the table (the 落款's "2012年1月13日" after
/// "行政申诉数件02,087" was read as a third number, and 02,087 went uncut).
fn to_end_of_values_line(piece: &str) -> &str {
    let Some(first_digit) = piece.find(|c: char| c.is_ascii_digit()) else {
        return piece;
    };
    match piece[first_digit..].find('\n') {
        Some(end) => &piece[..first_digit + end],
        None => piece,
    }
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Digit groups printed in a piece of run-together text, with their stream positions.
fn groups_in(piece: &str, piece_start: usize) -> Vec<Group> {
    let plain = without_notes(piece);
    // Only the matches are searched for (the regex's fast path): the unit, when there is
    // one, is where the match ends (digits hold no 元).
    digit_groups()
        .find_iter(&plain)
        .map(|m| {
            let unit = ["万元", "元"].into_iter().find(|u| m.as_str().ends_with(u));
            let digits_end = m.end() - unit.map_or(0, str::len);
            let factor = match unit {
                Some("元") => 1.0 / 10_000.0,
                _ => 1.0,
            };
            let negative = plain[..m.start()]
                .chars()
                .next_back()
                .is_some_and(|c| matches!(c, '-' | '－' | '−' | '–' | '减'));
            Group {
                digits: plain[m.start()..digits_end].to_string(),
                start: piece_start + m.start(),
                factor,
                negative,
            }
        })
        .collect()
}

/// How many values a table's text prints: groups of digits and words of blank marks
/// ("无", "/", "—"), notes in parentheses left out.
fn printed_values(text: &str) -> usize {
    let mut count = 0;
    let mut depth = 0usize;
    for word in text.split_whitespace() {
        if depth == 0 && word.chars().all(|c| is_mark(c) || c == '-') {
            count += 1;
            continue;
        }
        let mut before = ' ';
        for c in word.chars() {
            match c {
                '(' | '（' => depth += 1,
                ')' | '）' => depth = depth.saturating_sub(1),
                _ if depth == 0 && c.is_ascii_digit() => {
                    count += usize::from(opens_digit_group(before, c));
                }
                _ => {}
            }
            before = c;
        }
    }
    count
}

/// Whether `c`, after `before`, is the first digit of a number ("16,485.62" is one).
fn opens_digit_group(before: char, c: char) -> bool {
    c.is_ascii_digit() && !before.is_ascii_digit() && !matches!(before, ',' | '.')
}

/// A blank mark among a row's values.
fn is_mark(c: char) -> bool {
    matches!(c, '/' | '／' | '—' | '无')
}

/// What a row's values are printed with: digits, blank marks, signs, units and spaces.
fn is_row_value_char(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || is_mark(c)
        || ",.+-－−增减条件个项次人万元".contains(c)
}

/// A run-together row's cells when it prints its blanks with a mark ("行政强制//775": two
/// blanks, then 775) and holds nothing else but digits, signs and units: each mark is a
/// cell, and when marks and digit groups make the row's `n` cells, no digits need cutting.
/// A blank printed "——" is one mark when counting each dash does not make `n`.
fn with_blank_marks(
    piece: &str,
    piece_start: usize,
    groups: &[Group],
    n: usize,
) -> Option<Vec<Token>> {
    if !piece.chars().all(is_row_value_char) {
        return None;
    }
    let marks: Vec<(usize, usize)> = piece
        .char_indices()
        .filter(|(_, c)| is_mark(*c))
        .map(|(i, c)| (i, i + c.len_utf8()))
        .collect();
    // The dashes two by two: "——" as one blank.
    let mut paired: Vec<(usize, usize)> = Vec::new();
    for &(start, end) in &marks {
        let dash = piece[start..end] == *"—";
        match paired.last_mut() {
            Some(last) if dash && last.1 == start && piece[last.0..last.1] == *"—" => {
                last.1 = end
            }
            _ => paired.push((start, end)),
        }
    }
    let blanks = [marks, paired]
        .into_iter()
        .find(|b| !b.is_empty() && b.len() + groups.len() == n)?;
    let mut tokens: Vec<Token> = groups.iter().map(group_token).collect();
    tokens.extend(blanks.into_iter().map(|(start, end)| Token::Blank {
        start: piece_start + start,
        end: piece_start + end,
    }));
    tokens.sort_by_key(Token::start);
    Some(tokens)
}

/// A table is run together when numbers sit in its labels' own text rather than in cells
/// of their own: a row whose text after the label holds fewer digit groups than the row
/// has cells ("规章000"), or rows following each other on one line with their numbers
/// ("主动公开信息数 条 425 1516 其中：1.网站公开 条 418 1509"). A PDF row "不掌握 10 0 0 0 0 0
/// 10" is merely spaced.
fn is_run_together(
    stream: &Stream,
    layout: &TableLayout,
    matches: &[(usize, usize, usize)],
) -> bool {
    matches.iter().enumerate().any(|(k, &(row, _, label_end))| {
        let cells = layout.rows[row].cells.len();
        let next = matches.get(k + 1);
        let next_start = next.map_or(stream.text.len(), |m| m.1).max(label_end);
        let between = &stream.text[label_end..next_start];
        let own = &between[..between.find(['\t', '\n']).unwrap_or(between.len())];
        let groups = groups_in(own, label_end).len();
        let same_line_row =
            next.is_some_and(|m| !layout.rows[m.0].cells.is_empty()) && !between.contains('\n');
        cells > 0 && groups > 0 && (groups < cells || same_line_row)
    })
}

/// One row as read, before the cells of ambiguous rows are chosen.
pub(crate) struct RowRead {
    /// The row's index in its layout.
    pub(crate) row: usize,
    label_start: usize,
    label_end: usize,
    tokens: Vec<Token>,
    /// Run-together digits: every fitting split, cheapest first.
    pub(crate) splits: Vec<Vec<Part>>,
    /// Whether the splits fit the row's arithmetic (else they are only the likeliest by
    /// magnitudes: the report's own sum may be wrong, or the cut is).
    fit: bool,
    printed: String,
    /// Whether values wrapped over two lines were joined (`wrapped`).
    joined: bool,
    /// Values left before the next row's label that may be digits of its cells
    /// (`values_left_over`).
    left_over: usize,
}

impl RowRead {
    /// The values of its number tokens, in order (a row read without a split).
    pub(crate) fn numbers(&self) -> Vec<f64> {
        self.tokens
            .iter()
            .filter_map(|t| match t {
                Token::Number { value, .. } => Some(*value),
                _ => None,
            })
            .collect()
    }
}

/// Every split of a run-together row that fits its arithmetic, cheapest first; when none
/// does (the report's total is off, or nothing can be cut right), every split, likeliest
/// first, and false.
fn splits_of(groups: &[split::Group], n: usize, check: split::RowCheck) -> (Vec<Vec<Part>>, bool) {
    let fitting = split::candidates(groups, n, check);
    if !fitting.is_empty() || check == split::RowCheck::None {
        return (fitting, true);
    }
    (split::candidates(groups, n, split::RowCheck::None), false)
}

/// A row as read from its values, between its label (`found`: the row, where its label
/// starts and ends) and `slice_end`: the next label, or the region's end when `last`.
fn read_row(
    stream: &Stream,
    layout: &TableLayout,
    found: (usize, usize, usize),
    slice_end: usize,
    last: bool,
    run_together: bool,
) -> RowRead {
    let (row_index, label_start, label_end) = found;
    let n = layout.rows[row_index].cells.len();
    if !run_together {
        let tokens = value_tokens(stream, label_end, slice_end, !last, n);
        let (joined, left_over) =
            values_beyond_cells(stream, layout, &tokens, (label_end, slice_end), last);
        return RowRead {
            row: row_index,
            label_start,
            label_end,
            joined: joined.is_some(),
            tokens: joined.unwrap_or(tokens),
            splits: Vec::new(),
            fit: true,
            printed: String::new(),
            left_over,
        };
    }
    let piece = &stream.text[label_end..slice_end];
    let piece = match last {
        true => to_end_of_values_line(piece),
        false => piece,
    };
    let piece = without_item_number(piece);
    let groups = groups_in(piece, label_end);
    let printed: Vec<&str> = groups.iter().map(|g| g.digits.as_str()).collect();
    let marked = (groups.len() < n)
        .then(|| with_blank_marks(piece, label_end, &groups, n))
        .flatten();
    let (splits, fit) = if groups.len() < n && !groups.is_empty() && marked.is_none() {
        splits_of(&groups, n, layout.split)
    } else {
        (Vec::new(), true)
    };
    let tokens = marked.unwrap_or_else(|| groups.iter().map(group_token).collect());
    RowRead {
        row: row_index,
        label_start,
        label_end,
        tokens,
        splits,
        fit,
        printed: printed.join(" "),
        joined: false,
        left_over: 0,
    }
}

/// A total-last row's values up to the next row's label, read once when its cells leave
/// something to explain: when they do not add up, the row with wrapped digits joined where
/// that makes it add up (`wrapped_joined`); else how many values it leaves that may be
/// digits of its cells (`values_left_over`).
fn values_beyond_cells(
    stream: &Stream,
    layout: &TableLayout,
    tokens: &[Token],
    (from, to): (usize, usize),
    last: bool,
) -> (Option<Vec<Token>>, usize) {
    if !layout.total_last || tokens.len() < 3 {
        return (None, 0);
    }
    let adds = adds_up(tokens);
    // Most rows add up with no digit after their values: nothing more is read.
    let after = tokens.last().map_or(from, Token::end).clamp(from, to);
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let digit_after = stream
        .text
        .get(after..to)
        .is_some_and(|rest| rest.contains(digit));
    if adds && !digit_after {
        return (None, 0);
    }
    let all = value_tokens(stream, from, to, !last, usize::MAX);
    if !adds {
        if let Some(joined) = wrapped_joined(stream, &all, from, tokens.len()) {
            return (Some(joined), 0);
        }
    }
    let left_over = match digit_after {
        true => values_left_over(stream, tokens, &all, adds),
        false => 0,
    };
    (None, left_over)
}

/// A row's `n` values with those wrapped over two lines joined (`wrapped`), if any, from
/// `all` the values up to the next label (from `from`) of a row that does not add up.
fn wrapped_joined(stream: &Stream, all: &[Token], from: usize, n: usize) -> Option<Vec<Token>> {
    // Digits the values leave out ("1," of "1," / "25" / "9": a number with thousands
    // wrapped over three lines) would make any join a wrong one.
    let mut at = from;
    for token in all {
        let between = stream.text.get(at..token.start()).unwrap_or_default();
        if between.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        at = token.end();
    }
    crate::wrapped::joined(stream, all, n, adds_up)
}

/// The table's cells read row by row from the rows whose labels were found (`matches`,
/// `match_rows`'s).
fn read_rows(
    stream: &Stream,
    layout: &TableLayout,
    matches: &[(usize, usize, usize)],
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let run_together = is_run_together(stream, layout, matches);
    if !run_together && rows_are_lines(stream, start, end) {
        return read_lines(stream, layout, start, end);
    }
    let mut reads = Vec::new();
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
    take_values_above_labels(stream, layout, &mut reads, run_together);
    let choice = crate::choose::choose_splits(layout, &reads);
    let mut cells = Vec::new();
    for (k, (read, chosen)) in reads.iter().zip(choice).enumerate() {
        let row = &layout.rows[read.row];
        let row_cells_from = cells.len();
        match chosen {
            Some(index) => {
                let note = recovery_note(read, index);
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
                    cell.method = ReadMethod::RunTogether;
                    cells.push(cell);
                }
            }
            None => {
                let n = row.cells.len();
                let fitted = fit(read.tokens.clone(), n, layout.total_last);
                let joined = read.joined.then(|| crate::wrapped::JOINED_NOTE.to_string());
                // Fewer groups of digits than cells in a run-together table, and no cut
                // that fits: the values are read as printed, but may be several run together.
                let uncut = (run_together && read.tokens.len() < n).then(|| {
                    format!(
                        "digits \"{}\" ran together and no cut into {n} cells fits the table: read as printed, {PLACED_IN_ORDER}",
                        read.printed
                    )
                });
                let placed = (!run_together)
                    .then(|| guessed_places(read, row))
                    .flatten()
                    .or_else(|| too_many_values(stream, read, row))
                    .or_else(|| left_over_note(read))
                    .or_else(|| surplus_before_note(layout, k.checked_sub(1).map(|i| &reads[i])));
                for (key, token) in row.cells.iter().zip(fitted) {
                    if *key != IGNORED_CELL {
                        let mut cell = to_cell(stream, key, token, read.label_end);
                        if uncut.is_some() {
                            cell.recovered = uncut.clone();
                            cell.method = ReadMethod::RunTogether;
                        } else if joined.is_some() {
                            cell.recovered = joined.clone();
                            cell.method = ReadMethod::RunTogether;
                        } else if placed.is_some() {
                            cell.recovered = placed.clone();
                        }
                        cells.push(cell);
                    }
                }
            }
        }
        // Only amounts are converted: the header is looked for in rows that read one.
        let amounts = cells[row_cells_from..]
            .iter()
            .any(|cell| cell.key.ends_with(".amount"));
        let mut near = read.label_start.saturating_sub(240);
        while !stream.text.is_char_boundary(near) {
            near += 1;
        }
        if amounts && header_in_yuan(&stream.text[near..read.label_start]) {
            cells[row_cells_from..]
                .iter_mut()
                .for_each(|cell| amount_in_wan_yuan(cell, &stream.text));
        }
    }
    if let Some(note) = out_of_row_order(stream, layout, &reads, (start, end)) {
        for cell in &mut cells {
            cell.recovered.get_or_insert_with(|| note.clone());
        }
    }
    cells
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
) -> Option<String> {
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
            return Some(format!(
                "{} row labels stand one after another without values, the values apart \
                 from them: {PLACED_IN_ORDER}",
                last - first + 1
            ));
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

fn guessed_places(read: &RowRead, row: &RowLayout) -> Option<String> {
    let numbers = read.tokens.iter().filter(|t| t.is_number()).count();
    let wanted = row.cells.iter().filter(|k| **k != IGNORED_CELL).count();
    (numbers > 0 && numbers < wanted && read.tokens.len() < row.cells.len())
        .then(|| format!("{wanted} cells, {numbers} printed, no blank shown: {PLACED_IN_ORDER}"))
}

/// Why the values of a row read in order may not be its own: more of them than its cells
/// and one more (a subtotal column the form does not have is dropped by `fit`), or as many
/// as its cells or one more, printed partly a value a line and partly several to a line: a
/// narrow column wrapped a number a digit a line ("4" "7" for 47, then "1 0 0 0 0"), and
/// the row took digits, not numbers.
fn too_many_values(stream: &Stream, read: &RowRead, row: &RowLayout) -> Option<String> {
    let numbers: Vec<usize> = read
        .tokens
        .iter()
        .filter(|t| t.is_number())
        .map(Token::start)
        .collect();
    let n = row.cells.len();
    // How many values each line holds, line after line.
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
        per_line.contains(&1) && per_line.iter().any(|&count| count > 1)
    };
    let wanted = numbers.len() > n + 1 || (numbers.len() >= n && uneven());
    wanted.then(|| format!("{} values for {n} cells: {PLACED_IN_ORDER}", numbers.len()))
}

/// How many of `all` the values before the next row's label stand beyond a row's
/// `tokens` when they may be digits of its cells that wrapped over lines or a page break
/// ("4 0 0 0 0 0 0" … "9" for 49): any, when the row does not add up (no join of wrapped
/// digits mended it); two or more on lines of nothing but values when it `adds` up ("2 0 0
/// 0 0 0 2" … "3 3" for 23 and 23), not a page's number alone.
fn values_left_over(stream: &Stream, tokens: &[Token], all: &[Token], adds: bool) -> usize {
    let extra: Vec<&Token> = all
        .iter()
        .skip(tokens.len())
        .filter(|t| t.is_number())
        .collect();
    if extra.is_empty() || !adds {
        return extra.len();
    }
    let line_of = |at: usize| {
        let text = &stream.text;
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        &text[start..end]
    };
    let on_value_lines = extra.iter().all(|t| only_values(line_of(t.start())));
    match extra.len() >= 2 && on_value_lines {
        true => extra.len(),
        false => 0,
    }
}

/// Why the values read for a row may not be its own: values left before the next row's
/// label may be digits of its cells (`values_left_over`).
fn left_over_note(read: &RowRead) -> Option<String> {
    (read.left_over > 0).then(|| {
        format!(
            "{} more values stand before the next row, maybe digits of its cells wrapped over lines: {PLACED_IN_ORDER}",
            read.left_over
        )
    })
}

/// Why the values read for a row may not be all its own: the row before left values
/// before this row's label (`values_left_over`), or took more than its cells and one
/// more: some may be digits of this row's cells printed above its line (numbers wrapped
/// a digit a line, stacked over and under the row's line).
fn surplus_before_note(layout: &TableLayout, before: Option<&RowRead>) -> Option<String> {
    let before = before?;
    let numbers = before.tokens.iter().filter(|t| t.is_number()).count();
    let surplus = numbers.saturating_sub(layout.rows[before.row].cells.len() + 1);
    let left = before.left_over.max(surplus);
    (left > 0).then(|| {
        format!(
            "{left} values stand between the row before and this one, maybe digits of its cells wrapped over lines: {PLACED_IN_ORDER}"
        )
    })
}

/// Whether the header over a row says its amounts are in 元: the text after the last
/// "金额" before the row's label ("本年收费金额(单位：元)"), when it is near.
pub(crate) fn header_in_yuan(before_label: &str) -> bool {
    let Some(at) = before_label.rfind("金额") else {
        return false;
    };
    let header = &before_label[at..];
    header.chars().count() <= 40 && says_yuan(header)
}

/// An amount read in 元 under a 元 header, as 万元 (a figure printing its own unit was
/// converted by it already).
pub(crate) fn amount_in_wan_yuan(cell: &mut ReadCell, text: &str) {
    let own_unit = cell.raw.contains('元')
        || text
            .get(cell.end..)
            .is_some_and(|after| after.starts_with('元') || after.starts_with("万元"));
    if !cell.key.ends_with(".amount") || own_unit {
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

/// The text inside a line that is only a note in parentheses.
fn note_line(line: &str) -> Option<&str> {
    line.trim().strip_prefix('(')?.strip_suffix(')')
}

fn is_note_line(line: &str) -> bool {
    note_line(line).is_some()
}

/// A line that is only an item number: "3." "3、".
fn is_item_number(line: &str) -> bool {
    let t = line.trim();
    item_number_len(t) == Some(t.len())
}

/// The length of the item number ("3." "3、" "3．") the text starts with, if it does.
fn item_number_len(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let mark = text[digits..]
        .chars()
        .next()
        .filter(|c| matches!(c, '.' | '、' | '．'))?;
    (digits > 0).then(|| digits + mark.len_utf8())
}

/// The end of the first of a label's occurrences (by start) that starts at `from` or later
/// and ends by `until`: what searching `text[..until]` from `from` finds, as no plain
/// label holds a line break.
fn first_at(occurrences: &[(usize, usize)], from: usize, until: usize) -> Option<usize> {
    first_from(occurrences, from).and_then(|(_, e)| (e <= until).then_some(e))
}

/// The first of a label's occurrences (start, end), by start, that starts at `from` or later.
fn first_from(occurrences: &[(usize, usize)], from: usize) -> Option<(usize, usize)> {
    let k = occurrences.partition_point(|&(s, _)| s < from);
    occurrences.get(k).copied()
}

/// A line of a row-per-line table: its label's row (if the line has one) and its values.
struct LineRow {
    row: Option<usize>,
    label_end: usize,
    tokens: Vec<Token>,
}

/// Reads a row-per-line table line by line. A line's row is the last row label on it that
/// has cells; a line with values but no label (labels displaced by a PDF conversion) takes
/// the next unfilled row between its labelled neighbours, when as many such lines as such
/// rows lie between them. Labels without values on their line are ignored.
fn read_lines(stream: &Stream, layout: &TableLayout, start: usize, end: usize) -> Vec<ReadCell> {
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
                label_end: from,
                tokens,
            });
            label_alone = None;
        } else if let Some((i, _)) = label {
            label_alone = Some(i);
        }
        offset = line_end + 1;
    }
    let mut assigned: Vec<(usize, LineRow)> = Vec::new();
    let labelled: Vec<usize> = lines.iter().filter_map(|l| l.row).collect();
    let mut pending: Vec<LineRow> = Vec::new();
    let mut previous: Option<usize> = None;
    for line in lines.into_iter().chain(std::iter::once(LineRow {
        row: Some(layout.rows.len()),
        label_end: end,
        tokens: Vec::new(),
    })) {
        let Some(row) = line.row else {
            pending.push(line);
            continue;
        };
        // Unlabelled lines between two labelled ones fill the rows between them in order.
        let gap: Vec<usize> = (previous.map_or(0, |p| p + 1)..row.min(layout.rows.len()))
            .filter(|i| !layout.rows[*i].cells.is_empty() && !labelled.contains(i))
            .collect();
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

fn group_token(g: &Group) -> Token {
    let sign = if g.negative { -1.0 } else { 1.0 };
    let value = g.digits.replace(',', "").parse::<f64>().unwrap_or(0.0) * g.factor * sign;
    Token::Number {
        value: (value * 1e6).round() / 1e6,
        start: g.start,
        end: g.start + g.digits.len(),
    }
}

fn recovery_note(read: &RowRead, index: usize) -> String {
    use std::fmt::Write;
    let push_values = |note: &mut String, parts: &[Part]| {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                note.push(',');
            }
            nianbao_model::push_number(note, part.value);
        }
    };
    let mut note = format!("cut from run-together digits \"{}\" as ", read.printed);
    push_values(&mut note, &read.splits[index]);
    if !read.fit {
        // `Cell::doubt` looks for "no cut": these cells are not to be accused.
        let _ = write!(
            note,
            "; no cut into {} cells fits the row's arithmetic, this one has the likeliest magnitudes",
            read.splits[index].len()
        );
        return note;
    }
    if read.splits.len() > 1 {
        let _ = write!(note, "; {} splits fit, others: ", read.splits.len());
        let others = read.splits.iter().enumerate().filter(|(i, _)| *i != index);
        for (k, (_, parts)) in others.take(3).enumerate() {
            if k > 0 {
                note.push_str(" | ");
            }
            push_values(&mut note, parts);
        }
    }
    note
}

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
        method: ReadMethod::Stream,
    }
}

/// The value tokens after a label, row by row, until the row that completes `wanted`
/// numbers. Empty cells at the start of a later row are indentation (merged label
/// columns), except that a row of nothing but empty cells stands for one blank cell.
fn value_tokens(
    stream: &Stream,
    from: usize,
    to: usize,
    before_label: bool,
    wanted: usize,
) -> Vec<Token> {
    let slice = without_note_after_label(&stream.text[from..to]);
    let mut rows: Vec<(usize, &str)> = Vec::new();
    let mut offset = from;
    for piece in slice.split('\n') {
        rows.push((offset, piece));
        offset += piece.len() + 1;
    }
    // The last row holds what precedes the next label in its own row: indentation.
    if before_label && rows.len() > 1 {
        rows.pop();
    }
    let mut tokens = Vec::new();
    for (row_index, (row_start, row)) in rows.into_iter().enumerate() {
        let mut cell_start = row_start;
        let mut seen_content = row_index == 0;
        let mut row_tokens = Vec::new();
        let mut all_empty = true;
        for (cell_index, cell) in row.split('\t').enumerate() {
            let (start, end) = (cell_start, cell_start + cell.len());
            cell_start = end + 1;
            let is_label_remainder = row_index == 0 && cell_index == 0;
            match read_cell(cell) {
                CellValue::Number(value) => {
                    seen_content = true;
                    all_empty = false;
                    row_tokens.push(Token::Number { value, start, end });
                }
                CellValue::Blank if cell.is_empty() && !seen_content => {}
                CellValue::Blank if is_label_remainder && cell.is_empty() => {}
                CellValue::Blank => {
                    if !cell.is_empty() {
                        all_empty = false;
                    }
                    row_tokens.push(Token::Blank { start, end });
                }
                CellValue::Text => {
                    seen_content = true;
                    all_empty = false;
                    let numbers = read_numbers(cell).unwrap_or_else(|| trailing_numbers(cell));
                    for (value, s, e) in numbers {
                        row_tokens.push(Token::Number {
                            value,
                            start: start + s,
                            end: start + e,
                        });
                    }
                }
            }
        }
        if row_index > 0 && all_empty && row.contains('\t') {
            row_tokens = vec![Token::Blank {
                start: row_start,
                end: row_start,
            }];
        }
        tokens.extend(row_tokens);
        if tokens.iter().filter(|t| t.is_number()).count() >= wanted {
            break;
        }
    }
    let numbers = tokens.iter().filter(|t| t.is_number()).count();
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
fn fit(tokens: Vec<Token>, n: usize, total_last: bool) -> Vec<Option<Token>> {
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

/// Tables printed as one run of numbers (表四): the last run of values in the region.
fn read_sequence(stream: &Stream, layout: &TableLayout, start: usize, end: usize) -> Vec<ReadCell> {
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
    let (cells, note): (Vec<Option<Token>>, Option<String>) = match (run, joined) {
        // Values wrapped a digit a line in narrow columns, joined where the groups add up.
        (_, Some(joined)) => (
            joined.into_iter().map(Some).collect(),
            Some(crate::wrapped::JOINED_NOTE.to_string()),
        ),
        // Fewer values than cells, no blank shown for the rest: which cells they fill is a
        // guess (a table extracted out of order leaves its values in several runs). More:
        // some are not the table's, or its numbers were cut into digits (a narrow column
        // wrapped them a digit a line).
        (Some(run), None) => {
            let no_blank = match run.len() < n {
                true => ", no blank shown",
                false => "",
            };
            let note = (run.len() != n).then(|| {
                format!(
                    "{} values for the table's {n} cells in one run{no_blank}: {PLACED_IN_ORDER}",
                    run.len()
                )
            });
            (fit(run.clone(), n, false), note)
        }
        (None, None) if !groups.is_empty() => {
            let (splits, fit) = splits_of(&groups, n, layout.split);
            let Some(first) = splits.first() else {
                return Vec::new();
            };
            let printed: Vec<&str> = groups.iter().map(|g| g.digits.as_str()).collect();
            let read = RowRead {
                row: 0,
                label_start: start,
                label_end: start,
                tokens: Vec::new(),
                splits: splits.clone(),
                fit,
                printed: printed.join(" "),
                joined: false,
                left_over: 0,
            };
            let tokens = first
                .iter()
                .map(|p| {
                    Some(Token::Number {
                        value: p.value,
                        start: p.start,
                        end: p.end,
                    })
                })
                .collect();
            (tokens, Some(recovery_note(&read, 0)))
        }
        (None, None) => return Vec::new(),
    };
    layout
        .sequence
        .iter()
        .zip(cells)
        .map(|(key, token)| {
            let mut cell = to_cell(stream, key, token, start);
            if note
                .as_deref()
                .is_some_and(|n| !n.ends_with(PLACED_IN_ORDER))
            {
                cell.method = ReadMethod::RunTogether;
            }
            cell.recovered = note.clone();
            cell
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_values_are_joined_unless_digits_are_left_out() {
        let layout = layouts()
            .iter()
            .find(|l| l.id == TableId::T3 && l.era == Some(Era::Y2021))
            .expect("2021 表三");
        // A row's values up to the next row's label.
        let joined = |values: &str| {
            let text = format!("{values}二、上年结转政府信息公开申请数量\n");
            let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).expect("text");
            let stream = Stream::build(&doc, 0, doc.text.len());
            let end = stream.text.find('二').expect("label");
            let tokens = value_tokens(&stream, 0, end, true, 7);
            values_beyond_cells(&stream, layout, &tokens, (0, end), false)
                .0
                .map(|row| row.iter().map(Token::start).count())
        };
        assert_eq!(joined("12\n59\n36 0 0 0 0\n12\n95\n"), Some(7));
        // "1,259" over three lines: "25" and "9" joined would add up, without the "1,".
        assert_eq!(joined("1,\n25\n9\n36 0 0 0 0\n1,\n29\n5\n"), None);
    }

    #[test]
    fn digit_groups_read_off_the_match_as_the_pattern_captures_them() {
        let piece = "规章12,3455元 1,234.5万元 -7 0.5元 4252,697 19,4751.其他";
        let by_captures: Vec<(String, usize, f64)> = digit_groups()
            .captures_iter(piece)
            .filter_map(|caps| {
                let m = caps.get(0)?;
                let unit = caps.name("unit");
                let end = unit.map_or(m.end(), |u| u.start());
                let factor = match unit.map(|u| u.as_str()) {
                    Some("元") => 1.0 / 10_000.0,
                    _ => 1.0,
                };
                Some((piece[m.start()..end].to_string(), m.start(), factor))
            })
            .collect();
        let read: Vec<(String, usize, f64)> = groups_in(piece, 0)
            .into_iter()
            .map(|g| (g.digits, g.start, g.factor))
            .collect();
        assert!(by_captures.len() >= 5, "{by_captures:?}");
        assert_eq!(read, by_captures);
    }

    fn read(text: &str) -> Vec<ReadTable> {
        read_as("t.txt", text)
    }

    fn read_as(name: &str, text: &str) -> Vec<ReadTable> {
        let doc = nianbao_ingest::from_bytes(name, text.as_bytes()).unwrap();
        let stream = Stream::build(&doc, 0, doc.text.len());
        read_tables(&stream, &[], Some(Era::Y2019), &[])
    }

    #[test]
    fn all_row_labels_at_once_find_what_each_label_finds() {
        for layout in layouts() {
            // Every label's alternatives run together twice, so that they overlap and repeat.
            let mut text = String::from("表");
            for row in &layout.rows {
                if let Pattern::Texts { alternatives, .. } = &row.label {
                    for alternative in alternatives {
                        text.push_str(alternative);
                        text.push_str("2.");
                    }
                }
            }
            // Which rows a label text names, as a grid cell is asked.
            for row in &layout.rows {
                if let Pattern::Texts { alternatives, .. } = &row.label {
                    for probe in alternatives.iter().map(String::as_str).chain(["", "其他"]) {
                        let named = layout.row_labels().rows_in(probe, layout.rows.len());
                        for (other, is_named) in layout.rows.iter().zip(named) {
                            if matches!(other.label, Pattern::Texts { .. }) {
                                assert_eq!(is_named, other.label.is_match(probe), "{probe}");
                            }
                        }
                    }
                }
            }
            let text = text.repeat(2);
            for from in [0, 3, text.len() / 2] {
                let all = layout
                    .row_labels()
                    .occurrences(&text, from, layout.rows.len());
                for (row, found) in layout.rows.iter().zip(&all) {
                    if matches!(row.label, Pattern::Texts { .. }) {
                        assert_eq!(found, &label_matches(&row.label, &text, from));
                    }
                }
            }
        }
    }

    #[test]
    fn a_label_looked_up_in_a_line_is_what_searching_the_line_finds() {
        for layout in layouts() {
            // Labels two to a line, each after a number, so that lines cut some apart.
            let mut text = String::from("表\n");
            let plain = layout.rows.iter().filter_map(|r| match &r.label {
                Pattern::Texts { alternatives, .. } => Some(alternatives),
                Pattern::Regex(_) => None,
            });
            for (k, alternative) in plain.flatten().enumerate() {
                text.push_str(alternative);
                text.push_str(if k % 2 == 0 { " 3 " } else { " 4\n" });
            }
            let all = layout.row_labels().occurrences(&text, 0, layout.rows.len());
            let mut offset = 0;
            for line in text.split('\n') {
                let line_end = offset + line.len();
                for (row, found) in layout.rows.iter().zip(&all) {
                    if !matches!(row.label, Pattern::Texts { .. }) {
                        continue;
                    }
                    for from in [offset, offset + line.len() / 2] {
                        let searched = row.label.find_at(&text[..line_end], from);
                        assert_eq!(first_at(found, from, line_end), searched.map(|m| m.end()));
                    }
                }
                offset = line_end + 1;
            }
        }
    }

    fn cell<'a>(tables: &'a [ReadTable], key: &str) -> Option<&'a ReadCell> {
        tables.iter().flat_map(|t| &t.cells).find(|c| c.key == key)
    }

    fn value(tables: &[ReadTable], key: &str) -> Option<Option<f64>> {
        cell(tables, key).map(|c| c.value)
    }

    #[test]
    fn printed_values_count_numbers_and_blank_marks_not_notes() {
        assert_eq!(printed_values("42 38\n增 101 16,485.62万元 -6"), 5);
        assert_eq!(printed_values("无\n/ — 0 ——\n5(含自然失效29件)"), 6);
        assert_eq!(printed_values("第二十条 信息内容 无其他"), 0);
    }

    /// pdftotext -raw prints a row's cells one space apart; 表二's change may carry its
    /// sign ("+101", "-6").
    #[test]
    fn signed_changes_one_space_apart_are_read() {
        let t = read(
            "第二十条第（五）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n\
             行政许可 42 +101 143\n其他对外管理服务事项 38 +106 144\n\
             第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n\
             行政处罚 140 +7 147\n行政强制 62 -6 56\n",
        );
        assert_eq!(value(&t, "t2.license.delta"), Some(Some(101.0)));
        assert_eq!(value(&t, "t2.license.decisions"), Some(Some(143.0)));
        assert_eq!(value(&t, "t2.other_service.prev_items"), Some(Some(38.0)));
        assert_eq!(value(&t, "t2.coercion.delta"), Some(Some(-6.0)));
        assert_eq!(value(&t, "t2.coercion.decisions"), Some(Some(56.0)));
        // The sign as a word ("增 106", "减6"), a label wrapped around its values.
        let t = read(
            "第二十条第（五）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n\
             行政许可 42 增 101 143\n其他对外管理服务事\n 38 增 106 144\n项\n\
             第二十条第（六）项\n信息内容 上一年项目数量 本年增/减 处理决定数量\n\
             行政处罚 140 增加 7 147\n行政强制 62 减6 56\n",
        );
        assert_eq!(value(&t, "t2.license.delta"), Some(Some(101.0)));
        assert_eq!(value(&t, "t2.other_service.prev_items"), Some(Some(38.0)));
        assert_eq!(value(&t, "t2.other_service.delta"), Some(Some(106.0)));
        assert_eq!(value(&t, "t2.other_service.decisions"), Some(Some(144.0)));
        assert_eq!(value(&t, "t2.penalty.delta"), Some(Some(7.0)));
        assert_eq!(value(&t, "t2.coercion.delta"), Some(Some(-6.0)));
    }

    fn old_table(rows: &str) -> Vec<ReadTable> {
        let text =
            format!("附表：政府信息公开工作统计表\n统计指标 单位 统计数\n一、主动公开情况\n{rows}");
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        let stream = Stream::build(&doc, 0, doc.text.len());
        read_tables(&stream, &[], Some(Era::Pre2019), &[])
    }

    /// `pdftotext -raw` prints a narrow cell's lines one after another: a label over two or
    /// three lines of words, then its unit and value.
    #[test]
    fn a_label_wrapped_over_lines_of_words_is_found() {
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             (二)通过不同渠道和方式公开政\n府信息的情况\n个 19475\n\
             1．政府公报公开政府信息数 条 0\n2．政府网站公开\n政府信息数\n条 11807\n",
        );
        assert_eq!(value(&t, "old.channels.total"), Some(Some(19475.0)));
        assert_eq!(value(&t, "old.channels.gazette"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.channels.website"), Some(Some(11807.0)));
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             (二)通过不同渠\n道和方式公开政府\n信息的情况\n个 19475\n\
             1．政府公报公开政府信息数 条 0\n",
        );
        assert_eq!(value(&t, "old.channels.total"), Some(Some(19475.0)));
        // `pdftotext -layout`: three lines, the values beside the middle one.
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             (二)通过不同渠道\n和方式公开政府信息     个    19475\n     的情况\n\
             1．政府公报公开政府信息数 条 0\n",
        );
        assert_eq!(value(&t, "old.channels.total"), Some(Some(19475.0)));
        assert_eq!(value(&t, "old.channels.gazette"), Some(Some(0.0)));
    }

    /// A sub-row's label wrapped after "其中：" and its item number ("其中：1.同意公开" /
    /// "答复数" / "件 28"): its first line is words like any other.
    #[test]
    fn a_label_opening_with_of_which_and_its_number_is_joined() {
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n二、依申请公开情况\n\
             (三)申请答复数 件 226\n其中：1.同意公开\n答复数\n件 28\n\
             2.同意部分公开答\n复数\n件 12\n",
        );
        assert_eq!(value(&t, "old.apply.answered"), Some(Some(226.0)));
        assert_eq!(value(&t, "old.apply.granted"), Some(Some(28.0)));
        assert_eq!(value(&t, "old.apply.partial"), Some(Some(12.0)));
    }

    /// `pdftotext -raw`'s narrow columns: a label over four lines, and one whose values
    /// come right after its first line.
    #[test]
    fn a_label_over_four_lines_or_its_values_beside_its_first_is_found() {
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             其中：主动公开规 件 8\n范性文件数\n\
             制发规范性文件总数 个 8\n\
             (二)通过不\n同渠道和方\n式公开政府\n信息的情况\n个 19475\n\
             1．政府公报公开政府信息数 条 0\n",
        );
        assert_eq!(value(&t, "old.active.normative"), Some(Some(8.0)));
        assert_eq!(value(&t, "old.normative_issued"), Some(Some(8.0)));
        assert_eq!(value(&t, "old.channels.total"), Some(Some(19475.0)));
        assert_eq!(value(&t, "old.channels.gazette"), Some(Some(0.0)));
        // A label is found where it starts: 属于三类内部事务 here, not 内部事务 in the
        // two lines after its values.
        let t = read(
            "申请人情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n\
             （三）不予公开 1. 属于国家秘密 0 0 0 0 0 0 0\n\
             2. 其他法律行政法规禁止公开 1 0 0 0 0 0 1\n\
             3. 危及“三安全一稳定” 0 0 0 0 0 0 0\n4. 保护第三方合法权益 0 0 0 0 0 0 0\n\
             5. 属于三 2 0 0 0 0 0 2\n类内部事\n务信息\n\
             6. 属于四类过程性信息 0 0 0 0 0 0 0\n",
        );
        assert_eq!(value(&t, "t3.denied.internal.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.internal.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.process.total"), Some(Some(0.0)));
    }

    /// A laid-out 表三 whose header and first row are followed by `rows`.
    fn read_laid_out_t3(rows: &str) -> Vec<ReadTable> {
        read(&format!(
            "                          申请人情况\n\
             一、本年新收政府信息公开申请数量     21     0    0   0    0    0    21\n{rows}"
        ))
    }

    /// `pdftotext -layout`'s 表三: the rows' labels share their lines with the group's
    /// label, printed a few chars a line in a column of its own to their left.
    #[test]
    fn a_label_beside_a_group_label_is_joined_by_its_columns() {
        let t = read_laid_out_t3(
            "三、     (一)予以公开       0       0    0   0    0    0    0\n\
             本年     (二)部分公开       4       0    0   0    0    0    4\n\
             度办  (三)不  1. 属于国家秘\n\
             \x20                    1       0    0   0    0    0    1\n\
             理结 予公开        密\n\
             \x20果        2. 其他法律行\n\
             \x20         政法规禁止公     0       0    0   0    0    0    0\n\
             \x20             开\n\
             \x20         3. 危及“三安全一稳定”   2   0    0   0    0    0    2\n",
        );
        assert_eq!(value(&t, "t3.denied.secret.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.denied.secret.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.denied.safety.total"), Some(Some(2.0)));
        // The group's label on lines of its own, between a row label's lines.
        let t = read_laid_out_t3(
            "\x20      1.信访举报\n\
             \x20       投诉类申     0     0     0   0    0    0    0\n\
             \x20         请\n\
             \x20      2.重复申请    0     0     0   0    0    0    0\n\
             \x20      3.要求提供\n\
             \x20       公开出版     3     0     0   0    0    0    3\n\
             \x20 （五\n\
             \x20         物\n\
             \x20 ）不\n\
             \x20      4.无正当理\n\
             \x20 予处\n\
             \x20       由大量反     1     0     0   0    0    0    1\n\
             \x20  理\n\
             \x20        复申请\n",
        );
        assert_eq!(value(&t, "t3.ignored.publication.total"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.ignored.excessive.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.ignored.repeat.total"), Some(Some(0.0)));
    }

    /// The group's label one space before its rows' labels ("（三 1.属于国家", "开 行政法
    /// 规禁"): its chars are a column of their own all the same.
    #[test]
    fn a_group_label_one_space_before_the_rows_labels_is_no_part_of_them() {
        let t = read_laid_out_t3(
            "三  （一）予以公开      ２７   ０    ０   ２    ０    １    ３０\n\
             、  （二）部分公开       ５   ０    ０   ０    ０    ０     ５\n\
             本  （三 1.属于国家\n\
             \x20               １    ０    ０   ０    ０    ０    １\n\
             年  ）不    秘密\n\
             度  予公 2.其他法律\n\
             办   开 行政法规禁     ４    ０    ０   ０    ０    ０    ４\n\
             理       止公开\n\
             结      3.危及\"三\n\
             果      安全一稳     ０    ０    ０   ０    ０    ０    ０\n\
             \x20         定\"\n",
        );
        assert_eq!(value(&t, "t3.denied.secret.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.denied.secret.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.denied.law.natural"), Some(Some(4.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(4.0)));
        assert_eq!(value(&t, "t3.denied.safety.total"), Some(Some(0.0)));
        // Values beside a row label's first line, the group's chars before it on that
        // line; the label's last lines further right (a page's own widths).
        let t = read_laid_out_t3(
            "理 ）不   家秘密\n\
             结 予公 2．其他法   0    0    0    0    0      0   0\n\
             果  开  律行政法\n\
             \x20      规禁止公\n\
             \x20         开\n\
             \x20       3．危及\n\
             \x20      “三安全    2    0    0    0   0    0    2\n\
             \x20      一稳定”\n",
        );
        assert_eq!(value(&t, "t3.denied.law.natural"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.denied.safety.total"), Some(Some(2.0)));
        // Two columns of group labels, a char and two a line, one space apart.
        let t = read(
            "                          申请人情况\n\
             一、本年新收政府信息\n\
             \x20            51   0    0    0     0      0   51\n\
             \x20 公开申请数量\n\
             三  （一）予以公开   49   0    0    0     0      0   0\n\
             、  （二）部分公开\n\
             本 （区分处理的，只\n\
             \x20            0    0    0    0     0      0   0\n\
             年 计这一情形，不计\n\
             度   其他情形）\n\
             办 （三 1．属于国\n\
             \x20            3    0    0    0     0      0   3\n\
             理 ）不   家秘密\n\
             结 予公 2．其他法   0    0    0    0     0      0   0\n\
             果  开  律行政法\n",
        );
        assert_eq!(value(&t, "t3.denied.secret.natural"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.denied.secret.total"), Some(Some(3.0)));
        // The group's label on the values' line, the row's label around it.
        let t = read_laid_out_t3(
            "\x20             3. 危及“三安全一稳\n\
             \x20                            0        0     0   0   0     0       0\n\
             \x20                     定”\n\
             \x20             4. 保护第三方合法权\n\
             \x20    (三)不予公                  2        0     0   0   0     0       2\n\
             \x20                     益\n\
             \x20       开\n\
             \x20             5. 属于三类内部事务\n\
             \x20                            1        0     0   0   0     0       1\n\
             \x20                     信息\n",
        );
        assert_eq!(value(&t, "t3.denied.third_party.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.third_party.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.internal.total"), Some(Some(1.0)));
    }

    /// A page break between a label's lines, the table's header printed again between
    /// them: the words beside the values stand for the one row whose label they begin.
    #[test]
    fn a_label_cut_short_by_a_page_break_is_its_row() {
        let table = |cut: &str| {
            read(&format!(
                "申请人情况\n一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n\
                 6.属于四类过程性信息 0 0 0 0 0 0 0\n\
                 7.{cut} 6 0 0 0 0 0 6\n\
                 (本列数据的勾稽关系为：第一项\n加第二项之和，等于第三项加第\n四项之和)\n\
                 申请人情况\n自然\n人\n法案卷\n\
                 8.属于行政查询事项 2 0 0 0 0 0 2\n"
            ))
        };
        let t = table("属于行政执");
        assert_eq!(value(&t, "t3.denied.enforcement.natural"), Some(Some(6.0)));
        assert_eq!(value(&t, "t3.denied.enforcement.total"), Some(Some(6.0)));
        assert_eq!(value(&t, "t3.denied.query.total"), Some(Some(2.0)));
        // Words that begin two rows' labels stand for neither.
        let t = table("属于行政");
        assert_eq!(value(&t, "t3.denied.enforcement.total"), None);
        assert_eq!(value(&t, "t3.denied.query.total"), Some(Some(2.0)));
    }

    /// 表三's header as `pdftotext -raw` prints it at the top of each page of the table.
    const RAW_T3_HEADER: &str =
        "(本列数据的勾稽关\n系为:第一项加第二\n申请人情况\n自然\n人\n总计\n";

    /// `pdftotext -raw`: a row broken by a page break, its label's last line on the next
    /// page after the table's header printed again ("3.危及" / "“三安全" / values … header …
    /// "一稳定”"). Without the header the label reads as one wrapped around its values.
    #[test]
    fn a_label_broken_by_a_repeated_header_is_its_row() {
        let header = RAW_T3_HEADER;
        let table = |repeated: &str| {
            read(&format!(
                "{header}一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n\
                 2.其他法\n律法规禁\n止公开\n0 0 0 0 0 0 0\n\
                 3.危及\n“三安全\n5 0 0 0 0 0 5\n{repeated}一稳定”\n\
                 4.保护第\n三方合法\n权益\n2 0 0 0 0 0 2\n"
            ))
        };
        let t = table(header);
        assert_eq!(value(&t, "t3.denied.safety.natural"), Some(Some(5.0)));
        assert_eq!(value(&t, "t3.denied.safety.total"), Some(Some(5.0)));
        assert_eq!(value(&t, "t3.denied.third_party.total"), Some(Some(2.0)));
        // Two lines of the header are no header printed again: the label stays cut.
        let t = table("申请人情况\n自然\n");
        assert_eq!(value(&t, "t3.denied.safety.total"), None);
        assert_eq!(value(&t, "t3.denied.third_party.total"), Some(Some(2.0)));
    }

    /// `pdftotext -raw`: a label cut by a page break keeps its first words beside its
    /// values ("5．要求行政机 0 0 0 …"); its last ones, after the table's header printed
    /// again, are found as the row's label with no value after them.
    #[test]
    fn values_beside_a_cut_label_before_the_repeated_header_are_its_row() {
        let header = RAW_T3_HEADER;
        // The table with `cut` the words beside the values of the cut row.
        let table = |cut: &str| {
            read(&format!(
                "{header}一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21\n\
                 4．无正当理由\n大量反复申请\n1 0 0 0 0 0 1\n\
                 5．{cut} 2 0 0 0 0 0 2\n{header}关确认或重新\n出具已获取信\n息\n\
                 （六）其他处理 3 0 0 0 0 0 3\n"
            ))
        };
        let t = table("要求行政机");
        assert_eq!(value(&t, "t3.ignored.excessive.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.ignored.confirm.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.ignored.confirm.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.total"), Some(Some(3.0)));
        // Words beside the values that begin no label of the row are not taken for it.
        let t = table("要求提供公");
        assert_ne!(value(&t, "t3.ignored.confirm.total"), Some(Some(2.0)));
    }

    /// Two rows sharing a label, each wrapped around its value: each is its own row.
    #[test]
    fn rows_sharing_a_wrapped_label_take_a_place_each() {
        let t = old_table(
            "十、设置政府信息查阅点数    个     92\n\
             （一）县政府（开发区）及其部\n                  个      6\n           门\n\
             （二）乡镇政府（街道办事处）    个      86\n\
             十一、查阅点接待人数    人    5695\n\
             （一）县政府（开发区）及其部\n                  个    2541\n           门\n\
             （二）乡镇政府（街道办事处）    个    3154\n",
        );
        assert_eq!(value(&t, "old.reading_points.county"), Some(Some(6.0)));
        assert_eq!(value(&t, "old.reading_points.township"), Some(Some(86.0)));
        assert_eq!(value(&t, "old.visitors.county"), Some(Some(2541.0)));
        assert_eq!(value(&t, "old.visitors.township"), Some(Some(3154.0)));
    }

    /// A note wrapped with its label ("计 1 条") holds no value of the row; a value printed
    /// beside a note's first line (laid-out text) is the row's.
    #[test]
    fn a_note_over_lines_after_its_label_is_no_value() {
        let t = old_table(
            "(一)主动公开\n政府信息数(不\n同渠道和方式公\n开相同信息计 1\n条)\n条 2,122\n\
             1．政府公报公开政府信息数 条 0\n",
        );
        assert_eq!(value(&t, "old.active.total"), Some(Some(2122.0)));
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             1．政府公报公开政府信息数 条 0\n\
             三、机构建设和保障经费情况\n\
             1. 专职人员数(不包   人    42\n括政府公报及政府网\n 站工作人员数)\n\
             2. 兼职人员数   人    84\n",
        );
        assert_eq!(value(&t, "old.org.staff_full"), Some(Some(42.0)));
        assert_eq!(value(&t, "old.org.staff_part"), Some(Some(84.0)));
    }

    /// `pdftotext -layout`'s old statistics table: a label wrapped over two lines with
    /// its unit and value centred between them.
    #[test]
    fn a_label_cut_by_its_value_line_is_found() {
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             (二)通过不同渠道和方式公开政\n     个    19475\n       府信息的情况\n\
             1．政府公报公开政府信息数 条 0\n2．政府网站公开政府信息数 条 11807\n",
        );
        assert_eq!(value(&t, "old.channels.total"), Some(Some(19475.0)));
        assert_eq!(value(&t, "old.channels.gazette"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.channels.website"), Some(Some(11807.0)));
        // The first part led by its item number.
        let t = read(
            "申请人情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n\
             （三）不予公开 1. 属于国家秘密 0 0 0 0 0 0 0\n\
             2. 其他法律行政\n1 0 0 0 0 0 1\n法规禁止公开\n\
             3. 危及“三安全一稳定” 0 0 0 0 0 0 0\n",
        );
        assert_eq!(value(&t, "t3.denied.law.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(1.0)));
        // The item number of a label found across its value line is the label's, not a
        // value of the row above (pdftotext -layout's 表三, the lab's seed 004).
        let t = read(
            "申请人情况\n\
             \x20   一、本年新收政府信息公开申请数量           14   0    0   0   0        0   14\n\
             \x20   二、上年结转政府信息公开申请数量            0   0    0   0   0        0    0\n\
             三、本年         (一)予以公开           无    无   无     无    无      无   14\n\
             度办理结 (二)部分公开(区分处理的，只计这一\n\
             \x20                              0    0    0     0     0    0   0\n\
             \x20 果        情形，不计其他情形)\n\
             \x20     (三)不予公开      1. 属于国家秘密   0    0    0     0     0    0   0\n\
             \x20               2. 其他法律行政法规\n\
             \x20                              0    0    0     0     0    0   0\n\
             \x20                     禁止公开\n\
             \x20               3. 危及“三安全一稳\n\
             \x20                              0    0    0     0     0    0   0\n\
             \x20                      定”\n\
             \x20               4. 保护第三方合法权\n\
             \x20                              0    0    0     0     0    0   0\n\
             \x20                       益\n",
        );
        assert_eq!(value(&t, "t3.denied.secret.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(0.0)));
        // Two rows, each whole on its line around a value line, are not joined.
        let t = read(
            "第二十条第（五）项\n信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n\
             行政许可\n42 101 143\n其他对外管理服务事项\n38 106 144\n",
        );
        assert_eq!(value(&t, "t2.license.decisions"), Some(Some(143.0)));
        assert_eq!(value(&t, "t2.other_service.prev_items"), Some(Some(38.0)));
    }

    /// pandoc's plain text of 表三's last rows: a long label wrapped below its item number
    /// and values ("2.  2 0 0" over "申请人逾期未按收费通知…"), `lines` above them, each
    /// row's values as `values` prints its first and last (the others 0 or a blank).
    fn wrapped_label_rows(lines: &str, values: &dyn Fn(u32) -> String) -> Vec<ReadTable> {
        let pad = " ".repeat(20);
        read(&format!(
            "三、收到和处理政府信息公开申请情况\n\
             一、本年新收政府信息公开申请数量{pad}{}\n\n{lines}\
             （六）其他处理   1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请{pad}{}\n\n\
             {pad}2.{pad}{}\n\
             {pad}申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\n\n\
             {pad}3. 其他{pad}{}\n",
            values(9),
            values(1),
            values(2),
            values(3)
        ))
    }

    fn zeros_between(k: u32) -> String {
        format!("{k}   0   0   0   0   0   {k}")
    }

    #[test]
    fn values_a_converter_left_above_their_wrapped_label_are_the_labels() {
        let t = wrapped_label_rows("", &zeros_between);
        assert_eq!(value(&t, "t3.other.no_correction.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.other.no_fee.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.no_fee.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.misc.total"), Some(Some(3.0)));
    }

    /// The same where blanks printed "/" make the table read as run together: the row
    /// before the wrapped label took its values as well (14 digits for 7 cells).
    #[test]
    fn values_above_a_wrapped_label_in_a_table_read_as_run_together() {
        let marks = format!(
            "三、本年度办理结果   （一）予以公开{}/   /   /   /   /   /   9\n\n",
            " ".repeat(20)
        );
        let t = wrapped_label_rows(&marks, &zeros_between);
        assert_eq!(value(&t, "t3.granted.natural"), Some(None));
        assert_eq!(value(&t, "t3.granted.total"), Some(Some(9.0)));
        assert_eq!(value(&t, "t3.other.no_correction.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.other.no_correction.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.other.no_fee.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.no_fee.total"), Some(Some(2.0)));
    }

    /// And where the blanks are printed "无" (a word of the labels too: "申请人无正当理由"),
    /// in full-width digits: the wrapped row's values and the row before it are each read
    /// from their own line.
    #[test]
    fn values_above_a_wrapped_label_with_blanks_printed_as_marks() {
        let full_width = |k: u32| char::from_u32('０' as u32 + k).unwrap_or('０');
        let t = wrapped_label_rows("", &|k| {
            let k = full_width(k);
            format!("{k}   无   无   无   无   无   {k}")
        });
        assert_eq!(value(&t, "t3.other.no_correction.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.other.no_correction.commercial"), Some(None));
        assert_eq!(value(&t, "t3.other.no_correction.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.other.no_fee.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.no_fee.research"), Some(None));
        assert_eq!(value(&t, "t3.other.no_fee.total"), Some(Some(2.0)));
    }

    /// Each of `keys` was read and says it was placed in order, not sure of its row (or
    /// read after its column's header, by its place in the form).
    fn assert_placed_in_order(tables: &[ReadTable], keys: &[&str]) {
        for key in keys {
            let note = cell(tables, key).and_then(|c| c.recovered.clone());
            let placed = note.as_deref().is_some_and(|n| {
                n.ends_with(PLACED_IN_ORDER) || n == nianbao_model::IN_TABLE_ORDER
            });
            assert!(placed, "{key}: {note:?}");
        }
    }

    /// Text extracted column by column (pdftotext without -layout): the labels one after
    /// another, then each column's values. Read by order they fill rows not theirs; every
    /// cell of the table says so.
    #[test]
    fn a_table_given_column_by_column_is_doubted() {
        let t = read(
            "第二十条第（一）项\n信息内容\n规章\n规范性文件\n本年新制作数量\n0\n1\n\
             本年新公开数量\n0\n1\n对外公开总数量\n0\n1\n",
        );
        assert_placed_in_order(&t, &["t2.rules.new_made", "t2.normative.total_published"]);
        // The values before the labels, as the columns' headers and values come first.
        let t = read(
            "第二十条第（一）项\n本年新制作数量\n本年新公开数量\n对外公开总数量\n0\n0\n0\n1\n1\n1\n\
             信息内容\n规章\n规范性文件\n第二十条第（五）项\n上一年项目数量\n2162\n行政许可\n—\n",
        );
        assert_placed_in_order(&t, &["t2.rules.new_made", "t2.license.prev_items"]);
        // The labels stacked, the values spread over the rows after them and their
        // headers (no row after holds two rows' worth).
        let t = read(
            "第二十条第（一）项\n规章\n规范性文件\n行政许可\n其他对外管理服务事项\n行政处罚\n\
             上一年项目数量\n42\n38\n行政强制\n140\n62\n增 101\n增 106\n本年增/减\n143\n144\n\
             增7\n减6\n147\n56\n0\n0\n9\n9\n0\n11\n\
             第二十条第（八）项\n行政事业性收费\n25\n1\n",
        );
        assert_placed_in_order(&t, &["t2.rules.new_made", "t2.coercion.prev_items"]);
        // One row's labels alone, its values and the next row's first ones before it.
        let t = read(
            "第二十条第（一）项\n本年新制作数量\n本年新公开数量\n0\n0\n9\n9\n\
             信息内容\n规章\n规范性文件\n对外公开总数量\n0\n11\n",
        );
        assert_placed_in_order(&t, &["t2.rules.new_made"]);
        // Blank marks are values printed too.
        let t = read(
            "第二十条第（一）项\n信息内容\n规章\n规范性文件\n本年新制作数量\n无\n0\n\
             本年新公开数量\n无\n9\n对外公开总数量\n无\n11\n",
        );
        assert_placed_in_order(&t, &["t2.rules.new_made"]);
        // After two rows without values, the next holds more values than its cells.
        let t = read("第二十条第（一）项\n规章\n规范性文件\n行政许可\n42 101 143 0\n");
        assert_placed_in_order(&t, &["t2.rules.new_made", "t2.license.prev_items"]);
        // A number wrapped a digit a line in a narrow column (pdftotext -raw: "1" "2" for
        // 12, then a line of the other cells): more values than the row's cells and a
        // subtotal's.
        let t = read(
            "第二十条第（五）项\n信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n\
             行政许可\n1\n2\n0 0 0\n",
        );
        assert_placed_in_order(&t, &["t2.license.prev_items", "t2.license.decisions"]);
        // As many values as cells, but a value a line, then several to a line: digits.
        let t = read(
            "第二十条第（五）项\n信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n\
             行政许可\n4\n7 0\n4\n7\n",
        );
        assert_placed_in_order(&t, &["t2.license.prev_items"]);
        // Rows printed with no value at all, the others' values each in place: blank.
        let t = read(
            "第二十条第（一）项\n规章\n规范性文件\n第二十条第（五）项\n行政许可\n42\n101\n143\n\
             其他对外管理服务事项\n38\n106\n144\n",
        );
        assert_eq!(
            cell(&t, "t2.rules.new_made").map(|c| (c.value, c.recovered.clone())),
            Some((None, None))
        );
        assert_eq!(value(&t, "t2.license.decisions"), Some(Some(143.0)));
        // Rows in order are not doubted.
        let t = read("第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n规范性文件\t1\t1\t1\n");
        assert_eq!(
            cell(&t, "t2.rules.new_made").map(|c| c.recovered.clone()),
            Some(None)
        );
    }

    /// A table saved as text by an office suite (or pasted from a page): one cell a line,
    /// blank cells as empty lines, which place the values after them.
    #[test]
    fn one_cell_a_line_with_blanks_as_empty_lines() {
        let t = read(
            "第二十条第（六）项\n信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n\
             行政处罚\n116\n\n670761\n行政强制\n\n \n775\n\
             第二十条第（八）项\n信息内容\n上一年项目数量\n本年增/减\n行政事业性收费\n29\n-3\n",
        );
        assert_eq!(value(&t, "t2.penalty.prev_items"), Some(Some(116.0)));
        assert_eq!(value(&t, "t2.penalty.delta"), Some(None));
        assert_eq!(value(&t, "t2.penalty.decisions"), Some(Some(670761.0)));
        assert_eq!(value(&t, "t2.coercion.prev_items"), Some(None));
        assert_eq!(value(&t, "t2.coercion.decisions"), Some(Some(775.0)));
        assert_eq!(value(&t, "t2.fee.prev_items"), Some(Some(29.0)));
    }

    #[test]
    fn tab_rows_with_blank_cells_and_signs() {
        let t = read(
            "第二十条第（五）项\n信息内容\t上一年项目数量\t本年增/减\t处理决定数量\n\
             行政许可\t2162\t增3159\t246509\n其他对外管理服务事项\t\t\t\n\
             第二十条第（六）项\n行政处罚\t116\t减34\t670761\n行政强制\t\t\t775\n",
        );
        assert_eq!(value(&t, "t2.license.delta"), Some(Some(3159.0)));
        assert_eq!(value(&t, "t2.other_service.prev_items"), Some(None));
        assert_eq!(value(&t, "t2.other_service.decisions"), Some(None));
        assert_eq!(value(&t, "t2.penalty.delta"), Some(Some(-34.0)));
        assert_eq!(value(&t, "t2.coercion.prev_items"), Some(None));
        assert_eq!(value(&t, "t2.coercion.decisions"), Some(Some(775.0)));
    }

    /// A PDF conversion lifted the two-line cells (value over note) out of 表二's rows to
    /// above the table; each row came out one value short.
    #[test]
    fn cells_lifted_above_the_table_go_back_to_the_column_their_note_names() {
        let lifted = |first: &str, second: &str| {
            read_as(
                "t.md",
                &format!(
                    "第二十条第（一）项\n{first}\n{second}\n\
                     | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n\
                     | 规章 | 7 | 40 |\n| 行政规范性文件 | 12 | 300 |\n\n\
                     第二十条第（五）项\n| 行政许可 | 0 |\n"
                ),
            )
        };
        let t = lifted("5\n（含自然失效 2 件）", "9\n（其中修订 3 件）");
        // 规章: 5 was repealed, so 7 and 40 are made and in force.
        assert_eq!(value(&t, "t2.rules.made"), Some(Some(7.0)));
        assert_eq!(value(&t, "t2.rules.repealed"), Some(Some(5.0)));
        assert_eq!(value(&t, "t2.rules.in_force"), Some(Some(40.0)));
        // 规范性文件: 9 were made (3 of them revisions), 12 repealed, 300 in force.
        assert_eq!(value(&t, "t2.normative.made"), Some(Some(9.0)));
        assert_eq!(value(&t, "t2.normative.repealed"), Some(Some(12.0)));
        assert_eq!(value(&t, "t2.normative.in_force"), Some(Some(300.0)));
        let cell = cell(&t, "t2.rules.repealed").unwrap();
        assert!(cell
            .recovered
            .as_deref()
            .unwrap()
            .contains("5(含自然失效2件)"));
        // A note that names no column leaves the rows as printed, the gap blank.
        let t = lifted("5\n（见附件）", "9\n（见附件）");
        assert_eq!(value(&t, "t2.rules.made"), Some(Some(7.0)));
        assert_eq!(value(&t, "t2.rules.repealed"), Some(None));
        assert_eq!(value(&t, "t2.normative.repealed"), Some(None));
    }

    #[test]
    fn one_cell_per_line() {
        let t = read("\t第二十条第（一）项\n\t信息内容\n\t本年新制作数量\n\t本年新\n公开数量\n\t对外公开\n总数量\n\t规章\n\t0\n\t0 \n\t0\n\t规范性文件\n\t9\n\t9\n\t11\n");
        assert_eq!(value(&t, "t2.normative.new_made"), Some(Some(9.0)));
        assert_eq!(value(&t, "t2.normative.total_published"), Some(Some(11.0)));
        assert_eq!(value(&t, "t2.rules.new_published"), Some(Some(0.0)));
    }

    #[test]
    fn blank_applicant_cells_right_align_the_total() {
        let t = read("本年新收政府信息公开申请数量\t14\t0\t0\t0\t0\t0\t14\n三、本年度办理\t(一) 予以公开\t\t\t\t\t\t14\n");
        assert_eq!(value(&t, "t3.granted.natural"), Some(None));
        assert_eq!(value(&t, "t3.granted.other_org"), Some(None));
        assert_eq!(value(&t, "t3.granted.total"), Some(Some(14.0)));
    }

    #[test]
    fn an_extra_empty_column_before_the_total_is_dropped() {
        let t = read("本年新收\t14\t0\t0\t0\t0\t0\t14\n(七) 总计\t\t14\t0\t0\t0\t0\t0\t0\t14\n");
        assert_eq!(value(&t, "t3.processed.natural"), Some(Some(14.0)));
        assert_eq!(value(&t, "t3.processed.other_org"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.processed.total"), Some(Some(14.0)));
    }

    #[test]
    fn leading_tabs_vary_row_to_row() {
        let t = read("一、本年新收政府信息公开申请数量\t\t8\t0\t0\t0\t0\t1\t9\t\n\t(二) 部分公开\t1\t0\t0\t0\t0\t0\t0\t\n4. 无正当理由大量反复申请\t\t0\t0\t0\t0\t0\t0\t0\t\n");
        assert_eq!(value(&t, "t3.new.other_org"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.new.total"), Some(Some(9.0)));
        assert_eq!(value(&t, "t3.partial.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.ignored.excessive.total"), Some(Some(0.0)));
    }

    #[test]
    fn table_four_as_one_run_of_fifteen() {
        let t = read("本年新收\t1\t0\t0\t0\t0\t0\t1\n四、行政复议、行政诉讼\n行政复议\t行政诉讼\n结果 维持\t结果 纠正\t其他 结果\t尚 未 审 结\t总 计\n24\t5\t10\t2\t41\t5\t0\t0\t0\t5\t1\t0\t0\t0\t1\n");
        assert_eq!(value(&t, "t4.review.upheld"), Some(Some(24.0)));
        assert_eq!(value(&t, "t4.review.total"), Some(Some(41.0)));
        assert_eq!(value(&t, "t4.suit_after.total"), Some(Some(1.0)));
        // A whole run is sure of its places.
        let upheld = cell(&t, "t4.review.upheld").map(|c| c.recovered.clone());
        assert_eq!(upheld, Some(None));
    }

    /// 表四 extracted out of order (pdftotext without -layout): its values come in runs
    /// between header characters, the last of them five values. They are read in order,
    /// and the table's cells say so; the blanks after them are no sure blanks.
    #[test]
    fn table_four_in_runs_of_values_is_doubted() {
        let t = read(
            "四、行政复议、行政诉讼\n行政复议\n结\n果\n维\n持\n11\n1\n8\n0\n20\n\
             未经复议直接起诉\n结\n果\n0\n0\n1\n0\n1\n",
        );
        assert_placed_in_order(&t, &["t4.review.upheld", "t4.suit_after.total"]);
        // A run longer than the table: 10 wrapped a digit a line in a narrow column
        // (pdftotext -raw), sixteen values for fifteen cells.
        let t = read(
            "四、行政复议、行政诉讼\n行政复议\n结\n果\n维\n持\n总\n计\n\
             1\n0\n1 0 0 0 0 0 0 0 0 5 0 0 0 0\n",
        );
        assert_placed_in_order(&t, &["t4.review.upheld", "t4.suit_after.total"]);
    }

    #[test]
    fn era_from_labels_not_year() {
        let t = read("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t8\t0\t8\n");
        assert_eq!(t[0].era, Some(Era::Y2021));
        assert_eq!(value(&t, "t2.normative.in_force"), Some(Some(8.0)));
    }

    #[test]
    fn a_separator_after_four_digits_joins_two_cells_digits() {
        let digits = |text: &str| -> Vec<String> {
            groups_in(text, 0).into_iter().map(|g| g.digits).collect()
        };
        // 425 this year and 2,697 in all, run together: one group to cut, not 4252 | 697.
        assert_eq!(digits("条4252,697其中"), ["4252,697"]);
        assert_eq!(digits("19,4751."), ["19,475", "1"]);
        assert_eq!(digits("2019,2020"), ["2019", "2020"]);
    }

    #[test]
    fn run_together_cells_are_recovered_by_arithmetic() {
        let text = "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件898989\
                    第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可3960181其他对外管理服务事项100153\
                    三、收到和处理政府信息公开申请情况（本列数据的勾稽关系）一、本年新收政府信息公开申请数量230 000023\
                    二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开7000007（七）总计23 0 00 0 023\
                    四、结转下年度继续办理 0 0 00 00 0 四、行政复议结果维持结果纠正其他结果尚未审结总计10203120001200000";
        let t = read(text);
        assert_eq!(value(&t, "t2.normative.new_published"), Some(Some(89.0)));
        assert_eq!(value(&t, "t2.license.prev_items"), Some(Some(396.0)));
        assert_eq!(value(&t, "t2.license.delta"), Some(Some(0.0)));
        assert_eq!(value(&t, "t2.other_service.decisions"), Some(Some(153.0)));
        assert_eq!(value(&t, "t3.new.natural"), Some(Some(23.0)));
        assert_eq!(value(&t, "t3.new.total"), Some(Some(23.0)));
        assert_eq!(value(&t, "t3.processed.total"), Some(Some(23.0)));
        assert_eq!(value(&t, "t3.forward.other_org"), Some(Some(0.0)));
        assert_eq!(value(&t, "t4.review.total"), Some(Some(3.0)));
        assert_eq!(value(&t, "t4.suit_direct.upheld"), Some(Some(12.0)));
        let recovered = cell(&t, "t3.new.total").unwrap();
        assert!(recovered
            .recovered
            .as_deref()
            .unwrap()
            .contains("\"230 000023\""));
    }

    #[test]
    fn a_run_together_row_whose_total_is_off_is_cut_by_magnitudes_and_doubted() {
        // The report's own row is wrong (49 in one column, 0 in its total): no cut fits
        // the row's arithmetic, so the likeliest is read (49,0,0,0,0,0,0), not the whole
        // group into the total, and the cells say nianbao is not sure.
        let text = "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系）一、本年新收政府信息公开申请数量4900000\
                    49二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开49000000\
                    （七）总计49000049四、结转下年度继续办理0000000";
        let t = read(text);
        assert_eq!(value(&t, "t3.granted.natural"), Some(Some(49.0)));
        assert_eq!(value(&t, "t3.granted.total"), Some(Some(0.0)));
        let cell = cell(&t, "t3.granted.total").unwrap();
        let note = cell.recovered.as_deref().unwrap_or_default();
        assert!(note.contains("no cut"), "{note}");
    }

    #[test]
    fn an_amount_under_a_yuan_header_is_read_in_wan_yuan() {
        let prefix = "第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章00 0\
                      行政规范性文件05 5第二十条第（五）项信息内容本年处理决定数量行政许可550\
                      第二十条第（八）项信息内容本年收费金额（单位：元）行政事业性收费";
        let t = read(&format!("{prefix} 77,302,800"));
        assert_eq!(value(&t, "t2.fee.amount"), Some(Some(7730.28)));
        // A figure printing its own unit is converted once.
        let t = read(&format!("{prefix} 242523110.82元"));
        assert_eq!(value(&t, "t2.fee.amount"), Some(Some(24252.311082)));
        let t = read(&(prefix.replace("单位：元", "单位：万元") + " 7730.28"));
        assert_eq!(value(&t, "t2.fee.amount"), Some(Some(7730.28)));
    }

    #[test]
    fn a_minus_sign_before_run_together_digits_stays_with_their_first_cell() {
        let t = read(
            "第二十条第（一）项信息内容本年新制作数量本年新公开数量对外公开总数量规章000规范性文件898989\
             第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量行政处罚140+7147行政强制62 -656",
        );
        assert_eq!(value(&t, "t2.coercion.prev_items"), Some(Some(62.0)));
        assert_eq!(value(&t, "t2.coercion.delta"), Some(Some(-6.0)));
        assert_eq!(value(&t, "t2.coercion.decisions"), Some(Some(56.0)));
    }

    #[test]
    fn the_next_labels_item_number_is_no_cell() {
        assert_eq!(without_item_number("00 000003.危及\""), "00 00000");
        assert_eq!(without_item_number("0000 00010、要求"), "0000 000");
        assert_eq!(
            without_item_number("25627759.17695万元"),
            "25627759.17695万元"
        );
        assert_eq!(without_item_number("4,119行政强制"), "4,119行政强制");
        let t = read(
            "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系）一、本年新收政府信息公开申请数量230 000023\
             二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开7000007\
             （三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00 000003.危及\"三安全一稳定\"0000000",
        );
        assert_eq!(value(&t, "t3.denied.law.natural"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(0.0)));
    }

    #[test]
    fn two_column_local_tables_keep_the_year_column() {
        let t = read("附件 指标名称计量单位2011年度历年累计主动公开信息数条4251516其中：1.网站公开条41815092.政府公报公开条77受理依申请公开信息总数条00");
        assert_eq!(value(&t, "old.active.total"), Some(Some(425.0)));
        assert_eq!(value(&t, "old.channels.website"), Some(Some(418.0)));
        assert_eq!(value(&t, "old.channels.gazette"), Some(Some(7.0)));
        assert_eq!(value(&t, "old.apply.received"), Some(Some(0.0)));
    }

    #[test]
    fn values_put_in_order_without_their_columns_are_doubted() {
        // A cell a line, blank cells printed as nothing (not even an empty line): 行政强制
        // shows only its 775, which is put in the first column; the reading says it is
        // unsure. (With its blanks as empty lines it is placed: see
        // `one_cell_a_line_with_blanks_as_empty_lines`.)
        let text = "第二十条第（六）项\n信息内容\n上一年项目数量\n本年增/减\n处理决定数量\n\
                    行政处罚\n116\n+34\n670761\n行政强制\n775\n第二十条第（八）项\n";
        let t = read(text);
        let placed = cell(&t, "t2.coercion.prev_items").expect("read");
        assert_eq!(placed.value, Some(775.0));
        let note = placed.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
        // A row that shows all its values is sure of them.
        let whole = cell(&t, "t2.penalty.decisions").expect("read");
        assert_eq!(whole.recovered, None);
    }

    #[test]
    fn run_together_digits_too_few_for_their_cells_are_placed_in_doubt() {
        // "00" for seven cells, blanks printed as nothing: no cut makes seven cells, the
        // 0s are put by guess, and the note says so (CELL.BLANK then blames no one).
        let text = "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系）\
                    一、本年新收政府信息公开申请数量2626二、上年结转政府信息公开申请数量00\
                    三、本年度办理结果（一）予以公开2626（二）部分公开00";
        let t = read(text);
        let partial = cell(&t, "t3.partial.total").expect("read");
        let note = partial.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
    }

    #[test]
    fn run_together_digits_too_many_for_their_cells_are_placed_in_doubt() {
        // A narrow column printed a digit a line ("1" "，" "2" "5" "9" for 1,259), in a
        // table read as run together (a row with its digits run together on its line):
        // more groups than cells, the surplus dropped by guess, and the note says so.
        let digits = |value: &str| value.chars().map(|c| format!("{c}\n")).collect::<String>();
        let text = format!(
            "三、收到和处理政府信息公开申请情况（本列数据的勾稽关系）\n申请人情况\n\
             一、本年新收政府信息公开申请数量\n{}{}0 0 0 0\n{}\
             二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n\
             三、本年度办理结果（一）予以公开2626\n",
            digits("1,259"),
            digits("36"),
            digits("1,295"),
        );
        let t = read(&text);
        let new_total = cell(&t, "t3.new.total").expect("read");
        let note = new_total.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
        // The next row's seven values are doubted too: the digits the row before took
        // beyond its cells may be some of its own, printed above its line.
        let carried = cell(&t, "t3.carried.total").expect("read");
        let note = carried.recovered.as_deref().unwrap_or_default();
        assert_eq!(carried.value, Some(0.0));
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
    }

    #[test]
    fn a_row_not_adding_up_with_values_left_before_the_next_is_doubted() {
        // 49 wrapped a digit a line, its "9" after the rest of the row: no join of the
        // eight values makes the row add up, and which is whose is not in the text.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 51 0 0 0 0 0 51\n\
                    二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n\
                    三、本年度办理结果 （一）予以公开 4 0 0 0 0 0 0\n9\n\
                    （二）部分公开 2 0 0 0 0 0 2\n";
        let t = read(text);
        let granted = cell(&t, "t3.granted.natural").expect("read");
        let note = granted.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
        // The next row too (the "9" may be its digit, printed above its line); a row
        // that adds up with nothing left over stands as read.
        let partial = cell(&t, "t3.partial.total").expect("read");
        let note = partial.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
        let carried = cell(&t, "t3.carried.total").expect("read");
        assert_eq!(
            (carried.value, carried.recovered.as_deref()),
            (Some(0.0), None)
        );
        let t = read(&text.replace("\n9\n", "\n"));
        let granted = cell(&t, "t3.granted.natural").expect("read");
        assert_eq!(
            (granted.value, granted.recovered.as_deref()),
            (Some(4.0), None)
        );
        // 23 and 23 wrapped after their first digits, the row adding up as read: two
        // values left on a line of their own are doubted, a page's number alone is not.
        let wrapped = text.replace("4 0 0 0 0 0 0\n9\n", "2 0 0 0 0 0 2\n3 3\n");
        let t = read(&wrapped);
        let granted = cell(&t, "t3.granted.total").expect("read");
        let note = granted.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
        let numbered = text.replace("4 0 0 0 0 0 0\n9\n", "2 0 0 0 0 0 2\n3\n");
        let t = read(&numbered);
        let granted = cell(&t, "t3.granted.total").expect("read");
        assert_eq!(
            (granted.value, granted.recovered.as_deref()),
            (Some(2.0), None)
        );
    }

    #[test]
    fn a_blank_of_a_table_mostly_not_found_is_doubted() {
        // Text in reading order: the labels of two rows, the table's values elsewhere.
        let t = read(
            "三、收到和处理政府信息公开申请情况\n申请人情况\n\
             一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n",
        );
        let new_total = cell(&t, "t3.new.total").expect("found");
        assert_eq!(new_total.value, None);
        let note = new_total.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(BLANK_MAY_BE_ELSEWHERE), "{note}");
        assert_eq!(
            cell(&t, "t3.carried.total").and_then(|c| c.recovered.clone()),
            None
        );
        // Every row's label found, none with a value (the values printed before them).
        let t = read(
            "8 0 18\n第二十条第（一）项\n信息内容\n规章\n规范性文件\n第二十条第（五）项\n\
             行政许可\n其他对外管理服务事项\n第二十条第（六）项\n行政处罚\n行政强制\n\
             第二十条第（八）项\n行政事业性收费\n",
        );
        let table = t.iter().find(|t| t.id == TableId::T2).expect("表二");
        assert!(table.cells.len() >= 10, "{:?}", table.cells);
        for blank in &table.cells {
            assert_eq!(blank.value, None);
            let note = blank.recovered.as_deref().unwrap_or_default();
            assert!(note.ends_with(BLANK_MAY_BE_ELSEWHERE), "{note}");
        }
    }

    #[test]
    fn blanks_printed_with_a_mark_are_cells_of_a_run_together_row() {
        // 行政强制 prints two blanks as "/" and its 775: three cells, nothing to cut (it was
        // cut 7 | 7 | 5); a blank printed "——" is one cell.
        let text = "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量\
                    行政处罚116增34670761行政强制//775\
                    第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费——减3";
        let t = read_as("t.txt", text);
        assert_eq!(value(&t, "t2.coercion.prev_items"), Some(None));
        assert_eq!(value(&t, "t2.coercion.delta"), Some(None));
        assert_eq!(value(&t, "t2.coercion.decisions"), Some(Some(775.0)));
        assert_eq!(value(&t, "t2.fee.prev_items"), Some(None));
        assert_eq!(value(&t, "t2.fee.delta"), Some(Some(-3.0)));
    }

    #[test]
    fn the_last_run_together_row_ends_with_its_line() {
        // The table's last row, then the 落款: its date is no cell, and 02,087 is cut into
        // 本年度 0 and 历年累计 2,087, not read whole for want of a cut.
        let t = read(
            "附件 指标名称计量单位2011年度历年累计主动公开信息数条4254,567\
             行政诉讼数件02,130行政申诉数件02,087\n\n平潭县人民政府\n2012年1月13日",
        );
        assert_eq!(value(&t, "old.suit.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.complaint.total"), Some(Some(0.0)));
    }

    #[test]
    fn parts_decide_cuts_that_fit_every_row_alike() {
        // "同意部分公开答复数条242363" is 2 | 42363 or 24 | 2363 (both 本年度 ≤ 历年累计);
        // only 17 + 2 + 2 keeps 申请答复数 21 at least the sum of its parts.
        let t = read(
            "附件 指标名称计量单位2012年度历年累计主动公开信息数条 20268764\
             受理依申请公开信息总数条 21 21其中：1.当面申请数条1850022.传真申请数条06075\
             3.电子邮件申请数条 3 3对申请的答复数条 21 21其中：1.同意公开答复数条17669\
             2.同意部分公开答复数条2423633.否决公开答复数条22567行政复议数件00",
        );
        assert_eq!(value(&t, "old.apply.in_person"), Some(Some(18.0)));
        assert_eq!(value(&t, "old.apply.granted"), Some(Some(17.0)));
        assert_eq!(value(&t, "old.apply.partial"), Some(Some(2.0)));
        assert_eq!(value(&t, "old.apply.denied"), Some(Some(2.0)));
    }
}
