//! Where each row's label is: the layout's labels matched in order, and found again across
//! wrapped lines, repeated headers and laid-out columns when they are not whole on a line.

use super::printed::{
    is_row_value_char, is_unit_char, only_values, trailing_run_start, ITEM_MARKS,
};
use crate::layout::{most_like, Pattern, RowLayout, TableLayout};
use crate::stream::{ColumnPiece, Stream};
use crate::value::{read_cell, CellValue};
use std::collections::HashSet;

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
pub(super) fn label_matches(label: &Pattern, haystack: &str, start: usize) -> Vec<(usize, usize)> {
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
pub(super) fn match_rows(
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
    labels_begun_beside_values(layout, haystack, start, &mut occurrences);
    let mut found = Vec::new();
    let mut pos = start;
    let mut next_row = 0;
    loop {
        let best = (next_row..rows.len())
            .filter_map(|i| first_from(&occurrences[i], pos).map(|m| (i, m)))
            .min_by_key(|&(i, (s, _))| (s, i));
        let Some((i, (s, e))) = best else { break };
        let e = match after_bare_mark(text, s) {
            true => past_split_item_number(text, e),
            false => e,
        };
        found.push((i, s, e));
        pos = e.max(pos + 1).min(end);
        next_row = i + 1;
        if pos >= end {
            break;
        }
    }
    misread_rows(stream, layout, &mut found);
    found
}

/// In recognised text, the rows whose labels OCR misread ("1.属于国家秘aR",
/// "3.fER “=k全一稳定”"), which no pattern finds: between two rows found, a line of words
/// and values is taken for the row of the form between them that one of its words is most
/// like ([`most_like`]), in order. Typed text is not guessed at; its cells keep the doubt
/// every recognised cell has.
fn misread_rows(stream: &Stream, layout: &TableLayout, found: &mut Vec<(usize, usize, usize)>) {
    if !stream.recognised {
        return;
    }
    let mut misread = Vec::new();
    for pair in found.windows(2) {
        let ((above, _, from), (below, to, _)) = (pair[0], pair[1]);
        let mut open: Vec<usize> = (above + 1..below)
            .filter(|&i| !layout.rows[i].cells.is_empty())
            .collect();
        let Some(gap) = stream.text.get(from..to) else {
            continue;
        };
        // The rest of the first line holds the values of the row above, if it has cells (a
        // group's label may stand on the line of its first row: "(三)不予公开 1.属于…").
        let mut line_start = match layout.rows[above].cells.is_empty() {
            true => from,
            false => match gap.find('\n') {
                Some(first_break) => from + first_break + 1,
                None => continue,
            },
        };
        for line in stream.text[line_start..to].split_inclusive('\n') {
            if let Some((row, start, end)) = misread_line(layout, line, &open) {
                misread.push((row, line_start + start, line_start + end));
                open.retain(|&i| i > row);
            }
            line_start += line.len();
        }
    }
    if !misread.is_empty() {
        found.extend(misread);
        found.sort_by_key(|&(_, start, _)| start);
    }
}

/// The row of `open` a line's words before its first value name, read as OCR misread
/// them: the rightmost word of two Chinese characters or more like one (the words before
/// it are group labels), with its range in the line. OCR may read a blank mark as letters
/// ("sf;"), so only the first value ends the words, and a number must follow them.
pub(super) fn misread_line(
    layout: &TableLayout,
    line: &str,
    open: &[usize],
) -> Option<(usize, usize, usize)> {
    let words: Vec<(usize, &str)> = line
        .split_whitespace()
        .map(|word| (word.as_ptr() as usize - line.as_ptr() as usize, word))
        .collect();
    let kinds: Vec<CellValue> = words.iter().map(|(_, word)| read_cell(word)).collect();
    let first_value = kinds.iter().position(|k| !matches!(k, CellValue::Text))?;
    if !kinds[first_value..]
        .iter()
        .any(|k| matches!(k, CellValue::Number(_)))
    {
        return None;
    }
    words[..first_value].iter().rev().find_map(|&(at, word)| {
        let row = most_like(word, &layout.rows, open)?;
        Some((row, at, at + word.len()))
    })
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
    // Rows sharing a label each want a place of their own, and a place inside another
    // row's longer label is none of this row's: a row is found nowhere else when its label
    // is found at fewer places of its own than there are rows of that label.
    let relations = layout.relations();
    let found_nowhere = |row: usize, occurrences: &[Vec<(usize, usize)>]| {
        let related = &relations[row];
        let own = |&&(s, e): &&(usize, usize)| {
            !related.inside.iter().any(|&other| {
                occurrences[other]
                    .iter()
                    .any(|&(os, oe)| os <= s && e <= oe && oe - os > e - s)
            })
        };
        wanted(row) && occurrences[row].iter().filter(own).count() < related.shared_by
    };
    if (0..occurrences.len()).all(|row| !found_nowhere(row, occurrences)) {
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
        .map(|row| found_nowhere(row, occurrences))
        .collect();
    // Looks for the rows found nowhere in `lines` joined, their label starting in the
    // first and ending in another; the label ends where line `values_after` does (its
    // values follow), or where the match does.
    let mut look_across = |lines: &[(usize, &str)], values_after: Option<usize>| {
        let mut joined = String::with_capacity(lines.iter().map(|(_, l)| l.len()).sum());
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
                Some(k) => past_item_number(text, starts[k].2),
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
    let heads: Vec<Option<&str>> = lines
        .iter()
        .map(|&(_, l)| label_words_before_values(l, layout))
        .collect();
    // An item number in a column of its own may stand alone on a line between its label's
    // halves ("政府公报公" / "1." / "条 0" / "开政府信息数", "、属于行政执" / "7" / "法案卷
    // 0 0 …"): such lines are passed over.
    let unnumbered: Vec<usize> = (0..lines.len())
        .filter(|&k| !is_item_number(lines[k].1) && !is_split_item_number(&lines, k))
        .collect();
    for window in unnumbered.windows(3) {
        let [k, m, l] = *window else {
            continue;
        };
        if !(is_words[k] && is_words[l]) {
            continue;
        }
        let (first, (middle_start, middle), last) = (lines[k], lines[m], lines[l]);
        if only_values(middle) {
            look_across(&[first, last], Some(0));
        } else if let Some(head) = heads[m] {
            // A label over three lines, its values beside the middle one.
            look_across(&[first, (middle_start, head), last], Some(1));
        }
    }
    // A label wrapped over two to four lines of words (a narrow column), its values after
    // its last line or beside its first or its last ("2. 同意" / "公开答复数  件 28"); line
    // by line, so that a label is found where it starts ("5. 属于三" / "类内部事" /
    // "务信息" is 属于三类内部事务 before it is 内部事务).
    for (i, &k) in unnumbered.iter().enumerate() {
        for size in 2..=4.min(unnumbered.len() - i) {
            let taken = &unnumbered[i..i + size];
            let mut lines_taken = [(0, ""); 4];
            for (slot, &j) in lines_taken.iter_mut().zip(taken) {
                *slot = lines[j];
            }
            let window = &mut lines_taken[..size];
            let last = taken[size - 1];
            if !taken[1..size - 1].iter().all(|&j| is_words[j]) {
                break;
            }
            if !is_words[last] {
                // Its last line's words before the values that follow them.
                if let (true, Some(head)) = (is_words[k], heads[last]) {
                    window[size - 1].1 = head;
                    look_across(window, Some(size - 1));
                }
                break;
            }
            if is_words[k] {
                look_across(window, None);
            } else if let Some(head) = heads[k] {
                window[0].1 = head;
                look_across(window, Some(0));
            }
        }
    }
    follow_columns(stream, &lines, &heads, &mut look_across);
    for (list, _) in occurrences.iter_mut().zip(&missing).filter(|(_, &m)| m) {
        list.sort_unstable();
    }
    labels_cut_short(layout, &lines, &heads, occurrences);
}

/// Labels begun beside their values. Laid-out text centres a row's values on its label's
/// lines, so a label over two lines may print its values beside its first words ("予公开
/// 5.属于  1 0 0 0 0 0 1" over "三类内部事务信息"); a shorter text of the label found in
/// the second line alone (内部事务) would leave those values to the row before. A row found
/// in a line of words is found on the line before instead when that line's words before
/// its values begin the label, the two lines joined (or, if not, with a group's label
/// printed a piece a line at their start left out: "（四）无 2．没有现成信  0 0 …" over
/// "法提供 息需要另行制作").
/// Only a label of more than one text is found after its start so
/// (`may_begin_before_match`).
fn labels_begun_beside_values(
    layout: &TableLayout,
    text: &str,
    start: usize,
    occurrences: &mut [Vec<(usize, usize)>],
) {
    let relations = layout.relations();
    for (row, list) in occurrences.iter_mut().enumerate() {
        let label = &layout.rows[row].label;
        if layout.rows[row].cells.is_empty() || !relations[row].may_begin_before_match {
            continue;
        }
        let mut moved = false;
        for occurrence in list.iter_mut() {
            if let Some(earlier) = begun_on_line_before(layout, label, text, start, *occurrence) {
                *occurrence = earlier;
                moved = true;
            }
        }
        if moved {
            list.sort_unstable();
        }
    }
}

/// Where a label found at `found` in a line of words begins on the line before, beside
/// values: the label's start there and the end of the words before the values.
fn begun_on_line_before(
    layout: &TableLayout,
    label: &Pattern,
    text: &str,
    floor: usize,
    (found_start, _): (usize, usize),
) -> Option<(usize, usize)> {
    // The line's ends, looked for no further than a digit (most labels are found on a line
    // of values, and a crawled page's table may be one long line).
    let stop = |b: u8| b == b'\n' || b.is_ascii_digit();
    let line_start = text[..found_start].bytes().rposition(stop)?;
    let line_end = text[found_start..]
        .bytes()
        .position(stop)
        .map_or(text.len(), |at| found_start + at);
    let digit_at = |at: usize| text.as_bytes().get(at).is_some_and(u8::is_ascii_digit);
    if digit_at(line_start) || digit_at(line_end) {
        return None;
    }
    let line_start = line_start + 1;
    let line = &text[line_start..line_end];
    if line_start <= floor + 1 || !words(line) {
        return None;
    }
    let before_start = text[..line_start - 1]
        .rfind('\n')
        .map_or(0, |at| at + 1)
        .max(floor);
    let before = text.get(before_start..line_start - 1)?;
    let head = label_words_before_values(before, layout)?.trim_end();
    let across = |rest: &str| {
        let mut joined = String::with_capacity(head.len() + rest.len());
        joined.push_str(head);
        joined.push_str(rest);
        found_across(label, &joined, head.len())
    };
    let rest = line.trim();
    let (label_start, _) = across(rest).or_else(|| {
        let after_piece = without_group_piece(layout, rest);
        (after_piece.len() < rest.len()).then(|| across(after_piece))?
    })?;
    Some((
        with_item_number(text, before_start + label_start, floor),
        past_item_number(text, before_start + head.len()),
    ))
}

/// `line` without the piece of a group's label it may open with ("法提供" of 无法提供,
/// printed a piece a line left of its rows' labels): the longest of at least two chars
/// that a label of a row without cells holds.
fn without_group_piece<'l>(layout: &TableLayout, line: &'l str) -> &'l str {
    let in_a_group = |piece: &str| {
        layout.rows.iter().any(|row| match &row.label {
            Pattern::Texts { alternatives, .. } if row.cells.is_empty() => {
                alternatives.iter().any(|a| a.contains(piece))
            }
            _ => false,
        })
    };
    // Each end after two chars or more: a char's start, or the line's end.
    let ends = line.char_indices().map(|(at, _)| at).chain([line.len()]);
    let piece_end = ends
        .skip(2)
        .take_while(|&end| in_a_group(&line[..end]))
        .last();
    &line[piece_end.unwrap_or(0)..]
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
pub(super) fn begins_label(label: &Pattern, words: &str) -> bool {
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
                only_values: only_values(line) && !is_item_number(line),
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
            let values_beside = only_values(rest) && !is_item_number(rest);
            let mut values_after = (first.beside || values_beside).then_some(0);
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

/// Where a label's line ends when it ends at `at`, or past the item number that alone
/// follows it on the line ("同意    2."): the number is in a column of its own, no value.
fn past_item_number(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let line_rest = &rest[..rest.find('\n').unwrap_or(rest.len())];
    match is_item_number(line_rest) {
        true => at + line_rest.trim_end().len(),
        false => at,
    }
}

/// Words, after an item number ("2. 其他法律行政").
pub(super) fn words(line: &str) -> bool {
    // A sub-row's "其中：" may come before its item number ("其中：1.同意公开").
    let line = line.trim();
    let line = ["其中：", "其中:"]
        .iter()
        .find_map(|of_which| line.strip_prefix(of_which))
        .map_or(line, str::trim_start);
    let words = &line[item_number_len(line).unwrap_or(0)..];
    !words.trim().is_empty() && !digit_outside_notes(words)
}

/// Whether `text` has an ASCII digit outside parentheses: a label's note counts in words
/// ("（不同渠道和方式公开相同信息计1条）"), values do not stand in one. Nor is a row's
/// item number a value where a group's label stands before it on the line ("(六)其
/// 1.申请人无正当理由逾期不补": laid-out text puts the group's column left of the rows').
pub(super) fn digit_outside_notes(text: &str) -> bool {
    let mut depth = 0usize;
    let mut chars = text.char_indices();
    let mut before: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            c if c.is_ascii_digit() && depth == 0 => {
                let Some(len) = inner_item_number(&text[at..], before) else {
                    return true;
                };
                chars.nth(text[at..at + len].chars().count() - 2);
            }
            _ => {}
        }
        before = Some(c);
    }
    false
}

/// The length of an item number inside a line ("1." of "其1.申请人"): after words, not
/// digits, and followed by words, not digits ("3.5").
fn inner_item_number(text: &str, before: Option<char>) -> Option<usize> {
    let len = item_number_len(text)?;
    let after = text[len..].chars().next()?;
    let words_around = before.is_some_and(|b| !b.is_ascii_digit() && !b.is_whitespace())
        && !after.is_ascii_digit()
        && !after.is_whitespace();
    words_around.then_some(len)
}

/// `words_before_values`, but a unit's character run into the words before the values is
/// kept as their last when the two characters stand together in one of the table's labels:
/// "政查询事项0 0 0" (the end of 行政查询事项, wrapped over two lines) has its 事项, while
/// "微博微信回应次130" has the unit 次 after its words.
fn label_words_before_values<'l>(line: &'l str, layout: &TableLayout) -> Option<&'l str> {
    let run_start = trailing_run_start(line, is_row_value_char);
    let before = line[..run_start].chars().next_back();
    let unit = line[run_start..]
        .chars()
        .next()
        .filter(|&c| is_unit_char(c));
    let values_from = match before.zip(unit) {
        Some((before, unit)) if !before.is_whitespace() && in_a_label(layout, before, unit) => {
            run_start + unit.len_utf8()
        }
        _ => run_start,
    };
    words_before_values_from(line, values_from)
}

/// Whether the two characters stand together in one of the table's labels.
fn in_a_label(layout: &TableLayout, first: char, second: char) -> bool {
    let pair: String = [first, second].iter().collect();
    layout.rows.iter().any(|row| match &row.label {
        Pattern::Texts { alternatives, .. } => alternatives.iter().any(|a| a.contains(&pair)),
        Pattern::Regex(_) => false,
    })
}

/// The words of a line that opens with words and ends with values ("和方式公开政府信息  个
/// 19475", "5. 属于三 0 0 0 0 0 0 0").
pub(super) fn words_before_values(line: &str) -> Option<&str> {
    words_before_values_from(line, trailing_run_start(line, is_row_value_char))
}

/// The words of `line` before `values_from`, when values follow them.
fn words_before_values_from(line: &str, values_from: usize) -> Option<&str> {
    let (head, tail) = line.split_at(values_from);
    // An item number after the words ("同意    3.") is in a column of its own, no value.
    let values = tail.chars().any(|c| c.is_ascii_digit()) && !is_item_number(tail);
    (values && words(head)).then_some(head)
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

/// The end of the first of a label's occurrences (by start) that starts at `from` or later
/// and ends by `until`: what searching `text[..until]` from `from` finds, as no plain
/// label holds a line break.
pub(super) fn first_at(occurrences: &[(usize, usize)], from: usize, until: usize) -> Option<usize> {
    first_from(occurrences, from).and_then(|(_, e)| (e <= until).then_some(e))
}

/// The first of a label's occurrences (start, end), by start, that starts at `from` or later.
fn first_from(occurrences: &[(usize, usize)], from: usize) -> Option<(usize, usize)> {
    let k = occurrences.partition_point(|&(s, _)| s < from);
    occurrences.get(k).copied()
}

/// A line that is only an item number: "3." "3、".
pub(super) fn is_item_number(line: &str) -> bool {
    let t = line.trim();
    item_number_len(t) == Some(t.len())
}

/// Whether line `k` is a row's item number printed apart from its mark: one or two digits
/// alone, under a line that opens with the mark ("、属于行政执" over "7").
fn is_split_item_number(lines: &[(usize, &str)], k: usize) -> bool {
    let above = k.checked_sub(1).map(|above| lines[above].1);
    is_bare_number(lines[k].1) && above.is_some_and(opens_with_mark)
}

/// Whether a line opens with an item number's mark, its number printed apart from it.
fn opens_with_mark(line: &str) -> bool {
    line.trim_start().starts_with(ITEM_MARKS)
}

/// Whether a line is one or two digits alone.
fn is_bare_number(line: &str) -> bool {
    let number = line.trim();
    (1..=2).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the label at `at` follows only an item number's mark on its line ("、补正后"),
/// its number printed apart from it. Looks back over the mark and spaces only: a stream's
/// line may be a whole page's text.
fn after_bare_mark(text: &str, at: usize) -> bool {
    let before = text[..at].trim_end_matches([' ', '\t']);
    before
        .strip_suffix(ITEM_MARKS)
        .map(|b| b.trim_end_matches([' ', '\t']))
        .is_some_and(|b| b.is_empty() || b.ends_with('\n'))
}

/// Where a label ends when it ends at `at` and its item number, printed apart from its
/// mark, stands alone on the next line ("、同意" / "3" / "件 0" / "部分公开答复数",
/// "、补正后申请" / "3" / "0 0 0 …"): past that number, which is no value of the row. The
/// rest of the label's line is words.
fn past_split_item_number(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or("");
    let Some(line_end) = rest.find('\n') else {
        return at;
    };
    if rest[..line_end].bytes().any(|b| b.is_ascii_digit()) {
        return at;
    }
    let next = &rest[line_end + 1..];
    let next_line = &next[..next.find('\n').unwrap_or(next.len())];
    match is_bare_number(next_line) {
        true => at + line_end + 1 + next_line.trim_end().len(),
        false => at,
    }
}

/// The length of the item number ("3." "3、" "3．") the text starts with, if it does.
pub(super) fn item_number_len(text: &str) -> Option<usize> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let mark = text[digits..]
        .chars()
        .next()
        .filter(|c| ITEM_MARKS.contains(c))?;
    (digits > 0).then(|| digits + mark.len_utf8())
}
