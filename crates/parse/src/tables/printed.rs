//! What a row prints after its label, read as text: notes in parentheses, item numbers,
//! digit groups and blank marks. `row_values` reads a row's values from it, `tokens` a
//! table's, `labels` tells labels from values by it.

use crate::split::Group;
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// Text in parentheses is a note ("(不同渠道…计1条)"), never a cell. A note still open at
/// its line's end keeps the values that end the line: laid-out text prints a row's values
/// beside its label's first line, and a note that wraps onto the next line runs over them
/// ("(区分处理的,只计这一情0 0 0 0 0 0 0" / "形,不计其他情形)").
pub(super) fn without_notes(text: &str) -> Cow<'_, str> {
    // Most pieces hold no parenthesis: they are their own text.
    if memchr::memchr2(b'(', b')', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut depth = 0usize;
    let mut line_start = 0;
    for (at, c) in text.char_indices() {
        match c {
            // A note never runs over a line.
            '\n' => {
                if depth > 0 {
                    keep_values_ending(&mut out, &text[line_start..at], line_start);
                }
                depth = 0;
                out.push(c);
                line_start = at + 1;
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
    if depth > 0 {
        keep_values_ending(&mut out, &text[line_start..], line_start);
    }
    Cow::Owned(out)
}

/// Puts back into `out` (`line`'s text from `line_start` on, blanked) the values that end
/// the line: two groups of digits or more apart by spaces, the first maybe run into the
/// note's last word. A single number run into a note is the note's ("计1").
fn keep_values_ending(out: &mut String, line: &str, line_start: usize) {
    let run = trailing_run_start(line, |c| c.is_ascii_digit() || c == ' ');
    let values = &line[run..];
    if values.split_whitespace().nth(1).is_none() {
        return;
    }
    let from = line_start + run;
    out.replace_range(from..from + values.len(), values);
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
    if !piece.contains(ITEM_MARKS) {
        return piece;
    }
    let chars: Vec<(usize, char)> = piece.char_indices().collect();
    for k in 1..chars.len().saturating_sub(1) {
        let (at, digit) = chars[k - 1];
        let (mark, next) = (chars[k].1, chars[k + 1].1);
        if !digit.is_ascii_digit() || !ITEM_MARKS.contains(&mark) || next.is_ascii_digit() {
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
pub(super) fn to_end_of_values_line(piece: &str) -> &str {
    let Some(first_digit) = piece.find(|c: char| c.is_ascii_digit()) else {
        return piece;
    };
    match piece[first_digit..].find('\n') {
        Some(end) => &piece[..first_digit + end],
        None => piece,
    }
}

/// A CJK unified ideograph (the basic block).
pub(crate) fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// A Chinese numeral of an item or part number (一 to 十).
pub(crate) fn is_chinese_numeral(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Digit groups printed in a piece of run-together text, with their stream positions.
pub(super) fn groups_in(piece: &str, piece_start: usize) -> Vec<Group> {
    let plain = without_notes(piece);
    // Only the matches are searched for (the regex's fast path): the unit, when there is
    // one, is where the match ends (digits hold no 元).
    digit_groups()
        .find_iter(&plain)
        .filter(|m| !item_number_alone(&plain, m.start(), m.end()))
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

/// Whether the digits at `start..end` of `text` are an item number: alone on its line ("2."
/// between the halves of a label a converter wrapped round it and its values), or with
/// its mark followed by a space or the line's end ("6. 0 0 0 0 0", "属8.": laid-out text
/// puts a label's number on the line under or over its first words). No value. Digits
/// run into a label's number ("0 01.属于"), a number's point ("5.08") stay digits.
fn item_number_alone(text: &str, start: usize, end: usize) -> bool {
    // Most groups are followed by no item number's mark: their line is not looked at.
    let Some(mark) = text[end..]
        .chars()
        .next()
        .filter(|c| ITEM_MARKS.contains(c))
    else {
        return false;
    };
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |at| end + at);
    let after_mark = text[end + mark.len_utf8()..line_end].chars().next();
    let run_into = text[..start]
        .chars()
        .next_back()
        .is_some_and(|c| c.is_ascii_digit() || matches!(c, ',' | '.'));
    super::labels::is_item_number(&text[line_start..line_end])
        || !run_into && after_mark.is_none_or(char::is_whitespace)
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

/// Where the run of chars meeting `keep` that ends `text` starts (`text.len()` when its last
/// char does not).
pub(crate) fn trailing_run_start(text: &str, keep: impl Fn(char) -> bool) -> usize {
    text.char_indices()
        .rev()
        .take_while(|&(_, c)| keep(c))
        .last()
        .map_or(text.len(), |(at, _)| at)
}

/// The blank marks printed in `piece`, as byte ranges in it: each mark a blank, and the
/// same with dashes taken two by two ("——" as one blank). Which of the two a row prints
/// is told by the count of its cells.
pub(crate) fn blank_marks(piece: &str) -> [Vec<(usize, usize)>; 2] {
    let marks: Vec<(usize, usize)> = piece
        .char_indices()
        .filter(|(_, c)| is_mark(*c))
        .map(|(i, c)| (i, i + c.len_utf8()))
        .collect();
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
    [marks, paired]
}

/// A blank mark among a row's values.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c, '/' | '／' | '—' | '无')
}

/// The marks an item number ends with: "3." "3．" "3、".
pub(super) const ITEM_MARKS: [char; 3] = ['.', '．', '、'];

/// The largest item number a row's label is printed with (1 to this).
pub(super) const MAX_ITEM_NUMBER: u32 = 20;

/// A unit printed after a row's value (条, 件, 万元).
pub(super) fn is_unit_char(c: char) -> bool {
    "条件个项次人万元".contains(c)
}

/// What a row's values are printed with: digits, blank marks, signs, units and spaces.
pub(super) fn is_row_value_char(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || is_mark(c)
        || ",.+-－−增减".contains(c)
        || is_unit_char(c)
}

/// The text inside a line that is only a note in parentheses.
pub(super) fn note_line(line: &str) -> Option<&str> {
    line.trim().strip_prefix('(')?.strip_suffix(')')
}

pub(super) fn is_note_line(line: &str) -> bool {
    note_line(line).is_some()
}

/// A line of nothing but a row's values.
pub(super) fn only_values(line: &str) -> bool {
    line.chars().all(is_row_value_char) && line.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_become_spaces_of_their_length_and_a_text_without_one_is_itself() {
        // "(不同渠道)": a parenthesis a byte each, four characters of three bytes.
        let blanked = format!("计1条{}2条", " ".repeat(14));
        assert_eq!(without_notes("计1条(不同渠道)2条"), blanked);
        assert_eq!(without_notes("(注\n1)2"), "    \n1 2");
        for text in ["12 34 5", "主动公开 1,205 条", "", "一、二\n三"] {
            assert!(
                matches!(without_notes(text), Cow::Borrowed(t) if t == text),
                "{text}"
            );
        }
        for text in ["a(b)c", "(", ")", "计(12)\n(3"] {
            let plain = without_notes(text);
            assert_eq!(plain.len(), text.len(), "{text}");
            assert!(!plain.contains(['(', ')']), "{text}");
        }
    }
}
