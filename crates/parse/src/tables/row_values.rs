//! The values printed after a row's label: digit groups, blank marks and notes told apart,
//! and digits run together ("898989") cut back into the row's cells by its arithmetic.

use super::tokens::value_tokens;
use super::{adds_up, Token};
use crate::layout::TableLayout;
use crate::split::{self, Group, Part};
use crate::stream::Stream;
use nianbao_model::Doubt;
use regex::Regex;
use std::sync::OnceLock;

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
pub(super) fn without_note_after_label(after_label: &str) -> std::borrow::Cow<'_, str> {
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

pub(super) fn digit_groups() -> &'static Regex {
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
pub(super) fn without_item_number(piece: &str) -> &str {
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
pub(super) fn groups_in(piece: &str, piece_start: usize) -> Vec<Group> {
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
pub(super) fn printed_values(text: &str) -> usize {
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
pub(super) fn is_row_value_char(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || is_mark(c)
        || ",.+-－−增减条件个项次人万元".contains(c)
}

/// A run-together row's cells when it prints its blanks with a mark ("行政强制//775": two
/// blanks, then 775) and holds nothing else but digits, signs and units: each mark is a
/// cell, and when marks and digit groups make the row's `n` cells, no digits need cutting.
/// A blank printed "——" is one mark when counting each dash does not make `n`.
pub(super) fn with_blank_marks(
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
pub(super) fn is_run_together(
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
    pub(super) label_start: usize,
    pub(super) label_end: usize,
    pub(super) tokens: Vec<Token>,
    /// Run-together digits: every fitting split, cheapest first.
    pub(crate) splits: Vec<Vec<Part>>,
    /// Whether the splits fit the row's arithmetic (else they are only the likeliest by
    /// magnitudes: the report's own sum may be wrong, or the cut is).
    pub(super) fit: bool,
    pub(super) printed: String,
    /// Whether values wrapped over two lines were joined (`wrapped`).
    pub(super) joined: bool,
    /// Values left before the next row's label that may be digits of its cells
    /// (`values_left_over`).
    pub(super) left_over: usize,
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
pub(super) fn splits_of(
    groups: &[split::Group],
    n: usize,
    check: split::RowCheck,
) -> (Vec<Vec<Part>>, bool) {
    let fitting = split::candidates(groups, n, check);
    if !fitting.is_empty() || check == split::RowCheck::None {
        return (fitting, true);
    }
    (split::candidates(groups, n, split::RowCheck::None), false)
}

/// A row as read from its values, between its label (`found`: the row, where its label
/// starts and ends) and `slice_end`: the next label, or the region's end when `last`.
pub(super) fn read_row(
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
pub(super) fn values_beyond_cells(
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

fn group_token(g: &Group) -> Token {
    let sign = if g.negative { -1.0 } else { 1.0 };
    let value = g.digits.replace(',', "").parse::<f64>().unwrap_or(0.0) * g.factor * sign;
    Token::Number {
        value: (value * 1e6).round() / 1e6,
        start: g.start,
        end: g.start + g.digits.len(),
    }
}

/// Why the cut numbered `index` of a row's run-together digits is uncertain: other cuts
/// fit too, or none fits the row's arithmetic. `None` when it is the only cut that fits.
pub(super) fn recovery_doubt(read: &RowRead, index: usize) -> Option<Doubt> {
    let values = |parts: &[Part]| {
        let mut text = String::new();
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                text.push('、');
            }
            nianbao_model::push_number(&mut text, part.value);
        }
        text
    };
    let others = read.splits.iter().enumerate().filter(|(i, _)| *i != index);
    (!read.fit || read.splits.len() > 1).then(|| Doubt::RunTogether {
        printed: read.printed.clone(),
        taken: values(&read.splits[index]),
        others: match read.fit {
            true => others.take(3).map(|(_, parts)| values(parts)).collect(),
            false => Vec::new(),
        },
        fits: read.fit,
    })
}

pub(super) fn recovery_note(read: &RowRead, index: usize) -> String {
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

/// The text inside a line that is only a note in parentheses.
pub(super) fn note_line(line: &str) -> Option<&str> {
    line.trim().strip_prefix('(')?.strip_suffix(')')
}

pub(super) fn is_note_line(line: &str) -> bool {
    note_line(line).is_some()
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

/// A line of nothing but a row's values.
pub(super) fn only_values(line: &str) -> bool {
    line.chars().all(is_row_value_char) && line.chars().any(|c| c.is_ascii_digit())
}
