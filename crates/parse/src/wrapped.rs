//! Values wrapped over two lines in a narrow column: a PDF's text in drawing order
//! (`pdftotext -raw`) prints a cell's lines one after the other, so a four-digit value in
//! a column two digits wide comes out as two lines ("12" / "59" for 1259), and its row
//! holds more values than cells. Two values each alone on its line, next to each other,
//! may be one; which pairs are is decided by the row's total (or each group's, 表四's): the
//! pieces are joined when exactly one choice of pairs makes the row add up.

use crate::stream::Stream;
use crate::tables::Token;
use crate::value::{read_cell, CellValue};

/// The most choices of pieces to join tried for one row (a row of 表四 with five of its
/// fifteen values wrapped has about twelve thousand; hostile input cannot make it more).
const MAX_CHOICES: usize = 20_000;

/// How a joined row's cells say they were read.
pub(crate) const JOINED_NOTE: &str =
    "a value's digits wrapped over two lines in a narrow column were joined where the row adds up";

/// The row's `n` values with wrapped ones joined, when exactly one choice of pieces to join
/// makes them add up as `check` asks (`adds_up`: the last is the sum of the others).
pub(crate) fn joined(
    stream: &Stream,
    tokens: &[Token],
    n: usize,
    check: impl Fn(&[Token]) -> bool,
) -> Option<Vec<Token>> {
    let extra = tokens.len().checked_sub(n)?;
    if extra == 0 || n < 3 {
        return None;
    }
    let pairs: Vec<(usize, Token)> = (0..tokens.len() - 1)
        .filter_map(|i| Some((i, join(stream, &tokens[i], &tokens[i + 1])?)))
        .collect();
    // Too few pairs to join (a row of values printed one a line is no wrapped row), or
    // too many ways to choose them.
    if !(1..=MAX_CHOICES).contains(&choices(pairs.len(), extra)) {
        return None;
    }
    let mut fitting = None;
    let mut count = 0;
    for_each_choice(pairs.len(), extra, &mut |chosen| {
        let picked: Vec<&(usize, Token)> = chosen.iter().map(|&c| &pairs[c]).collect();
        // Pairs may not share a piece.
        if picked.windows(2).any(|w| w[1].0 <= w[0].0 + 1) {
            return;
        }
        let row = with_joins(tokens, &picked);
        if check(&row) {
            count += 1;
            fitting = Some(row);
        }
    });
    (count == 1).then_some(fitting).flatten()
}

/// Two values as one, when each stands alone on its line, the second on the line after the
/// first's, both digits only.
fn join(stream: &Stream, first: &Token, second: &Token) -> Option<Token> {
    let (
        Token::Number {
            start: a, end: b, ..
        },
        Token::Number {
            start: c, end: d, ..
        },
    ) = (first, second)
    else {
        return None;
    };
    let text = &stream.text;
    let line_start = text[..*a].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[*d..].find('\n').map_or(text.len(), |i| d + i);
    let alone = text[line_start..*a].trim().is_empty()
        && text[*d..line_end].trim().is_empty()
        && text[*b..*c].trim().is_empty()
        && text[*b..*c].matches('\n').count() == 1;
    let (upper, lower) = (&text[*a..*b], &text[*c..*d]);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(alone && digits(upper) && digits(lower)) || upper.starts_with('0') {
        return None;
    }
    match read_cell(&format!("{upper}{lower}")) {
        CellValue::Number(value) => Some(Token::Number {
            value,
            start: *a,
            end: *d,
        }),
        _ => None,
    }
}

/// How many ways there are to choose `k` of `n` (saturating; 0 when `k > n`).
pub(crate) fn choices(n: usize, k: usize) -> usize {
    (0..k).fold(1usize, |ways, i| {
        ways.saturating_mul(n.saturating_sub(i)) / (i + 1)
    })
}

/// Calls `each` with every choice of `k` of `0..n`, in increasing order.
pub(crate) fn for_each_choice(n: usize, k: usize, each: &mut impl FnMut(&[usize])) {
    fn go(
        from: usize,
        n: usize,
        k: usize,
        chosen: &mut Vec<usize>,
        each: &mut impl FnMut(&[usize]),
    ) {
        if chosen.len() == k {
            each(chosen);
            return;
        }
        for i in from..n {
            // Too few left to fill the choice.
            if n - i < k - chosen.len() {
                break;
            }
            chosen.push(i);
            go(i + 1, n, k, chosen, each);
            chosen.pop();
        }
    }
    go(0, n, k, &mut Vec::with_capacity(k), each);
}

/// The tokens with each picked pair (the index of its first piece, the joined value) in
/// place of its two pieces.
fn with_joins(tokens: &[Token], picked: &[&(usize, Token)]) -> Vec<Token> {
    let mut row = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let mut next = picked.iter().peekable();
    while let Some(token) = tokens.get(i) {
        match next.peek() {
            Some((at, joined)) if *at == i => {
                row.push(joined.clone());
                next.next();
                i += 2;
            }
            _ => {
                row.push(token.clone());
                i += 1;
            }
        }
    }
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tables::adds_up;

    /// How many numbers the text holds, and its `n` values with wrapped ones joined where
    /// they add up as `check` asks (empty when they are not).
    fn read(text: &str, n: usize, check: impl Fn(&[Token]) -> bool) -> (usize, Vec<f64>) {
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).expect("text");
        let stream = Stream::build(&doc, 0, doc.text.len());
        let mut tokens = Vec::new();
        let mut at = 0;
        for word in stream.text.split(|c: char| c.is_whitespace()) {
            if let CellValue::Number(value) = read_cell(word) {
                tokens.push(Token::Number {
                    value,
                    start: at,
                    end: at + word.len(),
                });
            }
            at += word.len() + 1;
        }
        let joined = joined(&stream, &tokens, n, check)
            .map(|row| row.iter().map(Token::amount).collect())
            .unwrap_or_default();
        (tokens.len(), joined)
    }

    /// A row of 表三: seven cells, the last the total.
    fn row_of_seven(text: &str) -> (usize, Vec<f64>) {
        read(text, 7, adds_up)
    }

    /// 表四: three groups of five, each with its total last.
    fn groups(row: &[Token]) -> bool {
        row.chunks(5).all(adds_up)
    }

    #[test]
    fn a_value_wrapped_over_two_lines_is_joined_where_the_row_adds_up() {
        let (count, joined) = row_of_seven("12\n59\n36 0 0 0 0\n12\n95\n");
        assert_eq!(count, 9);
        assert_eq!(joined, [1259.0, 36.0, 0.0, 0.0, 0.0, 0.0, 1295.0]);
    }

    #[test]
    fn pieces_on_one_line_or_joins_that_fit_alike_are_left_as_they_are() {
        // Values side by side are values of their own.
        assert!(row_of_seven("12 59\n36 0 0 0 0\n12 95\n").1.is_empty());
        // "1" "1" "0" "11" + five cells: 11 | 0 and 1 | 10 both make the row add up.
        assert!(row_of_seven("1\n1\n0\n0 0 0 0\n11\n").1.is_empty());
        // A row that does not add up whichever pieces are joined.
        assert!(row_of_seven("12\n59\n36 0 0 0 0\n12\n96\n").1.is_empty());
    }

    #[test]
    fn groups_that_each_add_up_decide_the_joins() {
        // 表四 in drawing order: 11 and 20 of the first group wrapped a digit a line ("1" /
        // "1", "2" / "0"); the "1" on the line of "1 8 0" is a value of its own.
        let text = "1\n1\n1 8 0\n2\n0\n0 0 1 0 1\n0 0 0 0 0\n";
        assert_eq!(
            read(text, 15, groups).1,
            [11.0, 1.0, 8.0, 0.0, 20.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        );
        // The whole row's total would not have told: its last value is no sum.
        assert!(read(text, 15, adds_up).1.is_empty());
        // Five of fifteen wrapped; "5" / "5" / "5" is 5 then 55, not 55 then 5.
        let text = "4\n0\n0\n1\n0\n5\n5\n5\n2 0 4 6\n1\n2\n6 0 9 7\n2\n2\n";
        assert_eq!(
            read(text, 15, groups).1,
            [40.0, 0.0, 10.0, 5.0, 55.0, 2.0, 0.0, 4.0, 6.0, 12.0, 6.0, 0.0, 9.0, 7.0, 22.0]
        );
    }

    #[test]
    fn every_choice_is_made_once_and_none_of_too_many() {
        let mut made = Vec::new();
        for_each_choice(4, 2, &mut |c| made.push(c.to_vec()));
        assert_eq!(made, [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
        let mut count = 0;
        for_each_choice(40, 60, &mut |_| count += 1);
        assert_eq!(count, 0);
        // A row of values a line, far more than its cells: no pieces to join.
        let column: String = (0..90).map(|i| format!("{}\n", i % 7)).collect();
        assert!(row_of_seven(&column).1.is_empty());
    }

    #[test]
    fn choices_are_counted_without_overflow() {
        assert_eq!(choices(19, 5), 11_628);
        assert_eq!(choices(3, 5), 0);
        assert_eq!(choices(5, 0), 1);
        assert!(choices(10_000, 9) > MAX_CHOICES);
    }
}
