//! Values wrapped over two lines in a narrow column: a PDF's text in drawing order
//! (`pdftotext -raw`) prints a cell's lines one after the other, so a four-digit value in
//! a column two digits wide comes out as two lines ("12" / "59" for 1259), and its row
//! holds more values than cells. Two values each alone on its line, next to each other,
//! may be one; which pairs are is decided by the row's total: the pieces are joined when
//! exactly one choice of pairs makes the row add up.

use crate::stream::Stream;
use crate::tables::{adds_up, Token};
use crate::value::{read_cell, CellValue};

/// The most values a row may hold beyond its cells for wrapped ones to be looked for.
const MAX_WRAPPED: usize = 3;

/// How a joined row's cells say they were read.
pub(crate) const JOINED_NOTE: &str =
    "a value's digits wrapped over two lines in a narrow column were joined where the row adds up";

/// The row's `n` values with wrapped ones joined, when exactly one choice of pieces to join
/// makes the last value the sum of the others.
pub(crate) fn joined(stream: &Stream, tokens: &[Token], n: usize) -> Option<Vec<Token>> {
    let extra = tokens.len().checked_sub(n)?;
    if extra == 0 || extra > MAX_WRAPPED || n < 3 {
        return None;
    }
    let pairs: Vec<(usize, Token)> = (0..tokens.len() - 1)
        .filter_map(|i| Some((i, join(stream, &tokens[i], &tokens[i + 1])?)))
        .collect();
    let mut fitting = None;
    let mut count = 0;
    for_each_choice(pairs.len(), extra, &mut |chosen| {
        let picked: Vec<&(usize, Token)> = chosen.iter().map(|&c| &pairs[c]).collect();
        // Pairs may not share a piece.
        if picked.windows(2).any(|w| w[1].0 <= w[0].0 + 1) {
            return;
        }
        let row = with_joins(tokens, &picked);
        if adds_up(&row) {
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

/// Calls `each` with every choice of `k` of `0..n`, in increasing order.
fn for_each_choice(n: usize, k: usize, each: &mut impl FnMut(&[usize])) {
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

    /// The stream of a text and its numbers as tokens, in order.
    fn tokens_of(text: &str) -> (Vec<Token>, Vec<f64>) {
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
        let joined = joined(&stream, &tokens, 7).map(|row| row.iter().map(Token::amount).collect());
        (tokens, joined.unwrap_or_default())
    }

    #[test]
    fn a_value_wrapped_over_two_lines_is_joined_where_the_row_adds_up() {
        let (tokens, joined) = tokens_of("12\n59\n36 0 0 0 0\n12\n95\n");
        assert_eq!(tokens.len(), 9);
        assert_eq!(joined, [1259.0, 36.0, 0.0, 0.0, 0.0, 0.0, 1295.0]);
    }

    #[test]
    fn pieces_on_one_line_or_joins_that_fit_alike_are_left_as_they_are() {
        // Values side by side are values of their own.
        assert!(tokens_of("12 59\n36 0 0 0 0\n12 95\n").1.is_empty());
        // "1" "1" "0" "11" + five cells: 11 | 0 and 1 | 10 both make the row add up.
        assert!(tokens_of("1\n1\n0\n0 0 0 0\n11\n").1.is_empty());
        // A row that does not add up whichever pieces are joined.
        assert!(tokens_of("12\n59\n36 0 0 0 0\n12\n96\n").1.is_empty());
    }
}
