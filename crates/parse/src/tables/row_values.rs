//! The values printed after a row's label, read into its cells: blank marks counted, and
//! digits run together ("898989") cut back into the row's cells by its arithmetic.

use super::printed::{
    blank_marks, groups_in, is_han, is_row_value_char, is_unit_char, only_values,
    to_end_of_values_line, without_item_number, ITEM_MARKS, MAX_ITEM_NUMBER,
};
use super::tokens::value_tokens;
use super::{adds_up, Token};
use crate::layout::TableLayout;
use crate::split::{self, Group, Part};
use crate::stream::Stream;
use nianbao_model::Doubt;

/// A run-together row's cells when it prints its blanks with a mark ("行政强制//775": two
/// blanks, then 775) and holds nothing else but digits, signs and units, or lines of
/// words without digits between them (the rest of a label wrapped round its values): each
/// mark on a line of values is a cell, and when marks and digit groups make the row's `n`
/// cells, no digits need cutting. A blank printed "——" is one mark when counting each
/// dash does not make `n`.
pub(super) fn with_blank_marks(
    piece: &str,
    piece_start: usize,
    groups: &[Group],
    n: usize,
) -> Option<Vec<Token>> {
    let values = values_lines(piece)?;
    let blanks = blank_marks(&values)
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

/// `piece` with its lines of words (no digit) blanked out, byte for byte, when every other
/// line holds only values; `None` when a line mixes words and digits.
fn values_lines(piece: &str) -> Option<std::borrow::Cow<'_, str>> {
    if piece.chars().all(is_row_value_char) {
        return Some(std::borrow::Cow::Borrowed(piece));
    }
    let mut values = String::with_capacity(piece.len());
    for line in piece.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        if body.chars().all(is_row_value_char) {
            values.push_str(line);
        } else if !body.bytes().any(|b| b.is_ascii_digit()) {
            values.extend(std::iter::repeat_n(' ', body.len()));
            values.push_str(&line[body.len()..]);
        } else {
            return None;
        }
    }
    Some(std::borrow::Cow::Owned(values))
}

/// A table is run together when numbers sit in its labels' own text rather than in cells
/// of their own: a row whose text after the label holds fewer digit groups than the row
/// has cells ("规章000") and no more before the next row's label, or rows following each
/// other on one line with their numbers ("主动公开信息数 条 425 1516 其中：1.网站公开 条 418
/// 1509"). A PDF row "不掌握 10 0 0 0 0 0 10" is merely spaced, and a row whose label wraps
/// round its values ("(区分处理的,只计这1 0 0 0" / "一情形,不计其他情形)0 0 1") printed whole.
/// The last row's values end with the table's region, at `end`.
pub(super) fn is_run_together(
    stream: &Stream,
    layout: &TableLayout,
    matches: &[(usize, usize, usize)],
    end: usize,
) -> bool {
    matches.iter().enumerate().any(|(k, &(row, _, label_end))| {
        let cells = layout.rows[row].cells.len();
        let next = matches.get(k + 1);
        let next_start = next.map_or(end, |m| m.1).max(label_end);
        let between = &stream.text[label_end..next_start];
        let own = &between[..between.find(['\t', '\n']).unwrap_or(between.len())];
        let groups = groups_in(own, label_end).len();
        let same_line_row =
            next.is_some_and(|m| !layout.rows[m.0].cells.is_empty()) && !between.contains('\n');
        // A label wrapped round its values prints them on two lines, all of them apart.
        let too_few = || groups < cells && groups_in(between, label_end).len() != cells;
        cells > 0 && groups > 0 && (same_line_row || too_few())
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
    /// Whether the one cut found is a guess: the row has no arithmetic to check it, and its
    /// digits may as well be fewer values than cells, as printed, the rest blank ("775" for
    /// 上一年项目数量, 本年增/减 and 处理决定数量: 7, 7, 5, or 775 alone).
    pub(super) unchecked: bool,
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
        let mut tokens = value_tokens(stream, label_end, slice_end, !last, n);
        if item_number_among_values(stream, label_start, &tokens, n) {
            tokens.remove(0);
        }
        let tokens = in_column_order(stream, label_end, tokens, n);
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
            unchecked: false,
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
    let mut groups = groups_in(piece, label_end);
    if groups.len() == n + 1 && item_number_inside_words(&stream.text, &groups[0]) {
        groups.remove(0);
    }
    let printed: Vec<&str> = groups.iter().map(|g| g.digits.as_str()).collect();
    let marked = (groups.len() < n)
        .then(|| with_blank_marks(piece, label_end, &groups, n))
        .flatten();
    let (splits, fit) = if groups.len() < n && !groups.is_empty() && marked.is_none() {
        splits_of(&groups, n, layout.split)
    } else {
        (Vec::new(), true)
    };
    let unchecked = layout.split == split::RowCheck::None
        && splits.len() == 1
        && groups.iter().all(|g| split::valid_part(&g.digits));
    let tokens = marked.unwrap_or_else(|| groups.iter().map(group_token).collect());
    RowRead {
        row: row_index,
        label_start,
        label_end,
        tokens,
        splits,
        fit,
        unchecked,
        printed: printed.join(" "),
        joined: false,
        left_over: 0,
    }
}

/// A row's `n` values printed on two lines or more of laid-out text, put in the order of
/// their columns: a converter may print one cell's value beside the label's first line and
/// the others' beside its second ("其他对外  增106" over "管理服务事项  38  144": the 38
/// stands left of the 增106, and is the first cell). Only when no two values share a
/// column and all stand right of where the label ends: values under one another, or a
/// line that starts under the label, are no cells of one row side by side.
fn in_column_order(stream: &Stream, label_end: usize, tokens: Vec<Token>, n: usize) -> Vec<Token> {
    let Some(columns) = staggered_columns(stream, label_end, &tokens, n) else {
        return tokens;
    };
    let mut by_column: Vec<(usize, Token)> = columns.into_iter().zip(tokens).collect();
    by_column.sort_by_key(|&(column, _)| column);
    by_column.into_iter().map(|(_, token)| token).collect()
}

/// The columns where a row's `tokens` start, when they are its `n` values on several
/// laid-out lines, apart and right of the label, and not in their columns' order.
fn staggered_columns(
    stream: &Stream,
    label_end: usize,
    tokens: &[Token],
    n: usize,
) -> Option<Vec<usize>> {
    let (first, last) = (tokens.first()?, tokens.last()?);
    let one_line = stream
        .text
        .get(first.start()..last.end())
        .is_none_or(|between| !between.contains('\n'));
    if tokens.len() != n || n < 2 || one_line {
        return None;
    }
    let label_column = stream.text[..label_end]
        .char_indices()
        .next_back()
        .and_then(|(at, _)| stream.column(at))
        .map_or(0, |column| column + 1);
    let mut spans = Vec::with_capacity(n);
    for token in tokens {
        let (start, end) = (token.start(), token.end());
        if start >= end || !stream.laid_out(start) {
            return None;
        }
        let column = stream.column(start)?;
        spans.push((
            column,
            column + stream.text.get(start..end)?.chars().count(),
        ));
    }
    let mut sorted = spans.clone();
    sorted.sort_unstable();
    let apart = sorted.windows(2).all(|pair| pair[0].1 <= pair[1].0);
    let reordered = sorted != spans;
    (apart && reordered && sorted[0].0 >= label_column)
        .then(|| spans.into_iter().map(|(start, _)| start).collect())
}

/// A total-last row's values up to the next row's label, read once when its cells leave
/// something to explain: when they do not add up, the row with wrapped digits joined where
/// that makes it add up (`wrapped_joined`); else how many values it leaves that may be
/// digits of its cells (`values_left_over`). Another row, with no sum to weigh, leaves
/// the digits alone on the line under it (`digits_under`).
pub(super) fn values_beyond_cells(
    stream: &Stream,
    layout: &TableLayout,
    tokens: &[Token],
    (from, to): (usize, usize),
    last: bool,
) -> (Option<Vec<Token>>, usize) {
    if !layout.total_last || tokens.len() < 3 {
        return (None, digits_under(stream, tokens, to));
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

/// Whether the first of a row's values is its label's item number, printed apart from its
/// "、" (laid-out text of a narrow cell: "、要求行" over "5   ０ ０ ０ ０ ０ ０ ０"): the
/// label opens with the mark and no number, one value more than the row's `n` cells
/// follows, and the first is a small whole number at the start of its line.
fn item_number_among_values(
    stream: &Stream,
    label_start: usize,
    tokens: &[Token],
    n: usize,
) -> bool {
    let text = &stream.text;
    let before = text[..label_start].trim_end_matches([' ', '\n']);
    let Some(before_mark) = before.strip_suffix(ITEM_MARKS) else {
        return false;
    };
    // A number before the mark on its own line (the line before ends another row).
    let numbered = before_mark
        .rsplit('\n')
        .next()
        .is_some_and(|line| line.trim_end().ends_with(|c: char| c.is_ascii_digit()));
    let numbers = tokens.iter().filter(|t| t.is_number()).count();
    let Some(first) = tokens.first() else {
        return false;
    };
    let line_opens = text[..first.start()].ends_with('\n');
    !numbered && numbers == n + 1 && line_opens && first.may_be_item_number()
}

/// Whether a group of digits is an item number printed inside the words of its label's
/// broken lines, not a value: a whole number of 1 to `MAX_ITEM_NUMBER` set between two
/// characters of words (laid-out text of a narrow label cell: "、没有现成信息需要" over
/// "（四）无 2另行制作  ０ ０ …", the stream's "…需要\n(四)无2另行制作0 0 …").
fn item_number_inside_words(text: &str, group: &Group) -> bool {
    let end = group.start + group.digits.len();
    let before = text[..group.start].chars().next_back();
    let after = text.get(end..).and_then(|rest| rest.chars().next());
    let word = |c: Option<char>| c.is_some_and(|c| is_han(c) && !is_unit_char(c));
    let number = group
        .digits
        .parse::<u32>()
        .is_ok_and(|v| (1..=MAX_ITEM_NUMBER).contains(&v));
    !group.negative && number && word(before) && word(after)
}

/// 1 when the line right under a row's last value ends with a few digits, before `to` (the
/// next row's label): maybe the rest of a number a narrow column wrapped ("１９４７" over
/// "５" for 19475, the "５" alone or beside the label's second line, which the stream
/// prints with no space between: "…计1条)5"; not after a unit, "个92", which is a row's
/// value), maybe a page's number; else 0. (The stream keeps no columns to tell which.)
fn digits_under(stream: &Stream, tokens: &[Token], to: usize) -> usize {
    let text = &stream.text;
    let Some(last) = tokens.iter().rev().find(|t| t.is_number()) else {
        return 0;
    };
    let Some(next_start) = text[last.end()..].find('\n').map(|i| last.end() + i + 1) else {
        return 0;
    };
    let next_end = text[next_start..]
        .find('\n')
        .map_or(text.len(), |i| next_start + i);
    let line = text[next_start..next_end].trim_end();
    let before = line.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = line.len() - before.len();
    // "个92": an unnamed row's value after its unit, no piece.
    let after_unit = before.chars().next_back().is_some_and(is_unit_char);
    usize::from(next_end <= to && (1..=3).contains(&digits) && !after_unit)
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
        push_values(&mut text, parts, '、');
        text
    };
    let others = read.splits.iter().enumerate().filter(|(i, _)| *i != index);
    (!read.fit || read.splits.len() > 1 || read.unchecked).then(|| Doubt::RunTogether {
        printed: read.printed.clone(),
        taken: values(&read.splits[index]),
        others: match read.fit {
            true => others.take(3).map(|(_, parts)| values(parts)).collect(),
            false => Vec::new(),
        },
        fits: read.fit,
        unchecked: read.unchecked,
    })
}

/// How the cut numbered `index` of a row's run-together digits was made, for `extract`'s
/// notes (in English, as the notes are): the cut, and the others that fitted or that none
/// fitted.
pub(super) fn recovery_note(read: &RowRead, index: usize) -> String {
    use std::fmt::Write;
    let mut note = format!("cut from run-together digits \"{}\" as ", read.printed);
    push_values(&mut note, &read.splits[index], ',');
    if !read.fit {
        let _ = write!(
            note,
            "; no cut into {} cells fits the row's arithmetic, this one has the likeliest magnitudes",
            read.splits[index].len()
        );
        return note;
    }
    if read.unchecked {
        let _ = write!(
            note,
            "; no arithmetic checks the row, and \"{}\" may be its values as printed, the other cells blank",
            read.printed
        );
    }
    if read.splits.len() > 1 {
        let _ = write!(note, "; {} splits fit, others: ", read.splits.len());
        let others = read.splits.iter().enumerate().filter(|(i, _)| *i != index);
        for (k, (_, parts)) in others.take(3).enumerate() {
            if k > 0 {
                note.push_str(" | ");
            }
            push_values(&mut note, parts, ',');
        }
    }
    note
}

/// Appends the values of a cut's parts to `out`, `separator` between them.
fn push_values(out: &mut String, parts: &[Part], separator: char) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        nianbao_model::push_number(out, part.value);
    }
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
