//! Numbers a narrow column wrapped in laid-out text. A browser or an office suite breaks a
//! value wider than its column after the digits that fit (full-width digits take two
//! columns each: "２１" in a column one digit wide), and `pdftotext -layout` prints each of
//! its lines on a line of its own, in the same column, while the row's one-line values
//! and label stand on one line, centred on the row's height (rounded up). So a row two
//! lines tall prints the rest of its wrapped numbers under its values ("２ ０ ０ ０ ０ ０ ２"
//! over "１ … １" for 21 and 21), often beside its label's second line; a row three lines
//! tall prints a two-line number's pieces above and under its values line, nothing in
//! between ("６" / "０ ０ ２ ０ ４" / "４" for 64), and a three-line number's in all
//! three. The stream puts each number's pieces together on the values line, so that the
//! row holds its values and the other lines only the words of its label. A number's last
//! piece may be narrower than the others and centred or set right under them ("17" over
//! "0" for 170); so may the next row's only value under a wider one, which the row's total
//! tells apart.

use crate::split::{meets, RowCheck};
use crate::wrapped::{choices, for_each_choice};

mod blocks;
pub(crate) use blocks::may_be_block_line;
#[cfg(test)]
pub(crate) use blocks::BLOCKS_NOTE;

/// The most digits a piece of a wrapped number is taken to have on its line.
const MAX_PIECE_DIGITS: usize = 3;

/// The fewest numbers a row's values line ends with: a row of several cells. A line of
/// fewer numbers may hold pieces of the values line's wrapped numbers.
const MIN_VALUES: usize = 3;

/// The most ways of taking each column of pieces for a number of the values line, in
/// order, tried for one way of its lines of pieces (表四's fifteen values and five
/// columns of pieces: 3,003).
const MAX_IN_ORDER: usize = 5_000;

/// The fewest values of a row whose pieces may stand on a line of `MIN_VALUES` numbers
/// (`Shape::Values`): a row of 表三 or 表四, not one of 表二's three or four.
const MIN_VALUES_UNDER_THREE: usize = 7;

/// The most lines above or under a values line that hold pieces of its numbers.
const MAX_PIECE_LINES: usize = 2;

/// The most lines of words without digits between a values line and the lines of pieces
/// above it: a row's label wrapped in a cell of its own may print its lines between those
/// of a number in the next cell ("三、本年  ４" / "度办理结  一 予以公开" / "( )" /
/// "９ ０ …" for 49).
const MAX_LABEL_LINES: usize = 2;

/// What the stream does with a line of laid-out text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum LinePlan {
    /// The line as it is.
    Keep,
    /// Only the line's bytes before this offset: the rest are pieces of numbers another
    /// line holds.
    Before(usize),
    /// A values line with the pieces of its wrapped numbers put in, and how its cells say
    /// they were read when where the pieces stand did not tell which numbers they are
    /// (`SUMMED_NOTE`, `blocks::BLOCKS_NOTE`).
    Values {
        put_ins: Vec<PutIn>,
        note: Option<&'static str>,
    },
}

/// How the cells of a values line say they were read when its pieces were put in where the
/// row adds up, not where they stand (`LinePlan::Values`'s `note`).
pub(crate) const SUMMED_NOTE: &str = "a value's digits wrapped over lines in a narrow column \
    and printed apart from its line were put together where the row adds up";

/// Digits to put into a values line: at byte `at` (before a number's first char, after its
/// last, or in the whitespace between two numbers for one of its own).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PutIn {
    pub(crate) at: usize,
    pub(crate) text: String,
}

/// A word of a line (between spaces): its bytes, the column, in chars, it starts at, and
/// its width in chars.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    column: usize,
    width: usize,
}

impl Word {
    fn span(&self) -> (usize, usize) {
        (self.column, self.column + self.width)
    }
}

/// How the pieces of a number stand over each other.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Aligned {
    /// Each starts in the same column.
    Left,
    /// One's columns hold the other's: the number's last piece may be narrower, centred or
    /// set right under the others ("17" over "0" for 170). So does a row's only value
    /// under another row's wider one, so such pieces are taken only when the row then adds
    /// up.
    Nested,
}

impl Aligned {
    /// Whether the pieces at columns `a` and `b` (first, after the last) stand so.
    fn holds(self, a: (usize, usize), b: (usize, usize)) -> bool {
        match self {
            Aligned::Left => a.0 == b.0,
            Aligned::Nested => (a.0 <= b.0 && b.1 <= a.1) || (b.0 <= a.0 && a.1 <= b.1),
        }
    }
}

/// A way to put a row's pieces together: its lines of pieces (line, its pieces), in line
/// order.
type PieceLines<'w> = Vec<(usize, &'w Vec<Word>)>;

/// How a way to put a row's pieces together must stand.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fit {
    aligned: Aligned,
    stacked: Stacked,
    /// Whether pieces right of the values line's last number, in a column no number
    /// holds, may be that number's: `pdftotext -layout` squeezes a line of full-width
    /// digits to the left of where it prints a line of one or two, so a total's pieces
    /// stand past it ("２ ０ ０ ０ ０ ０２" over "１ … １", the 1s under 自然人 and 总计).
    /// Such pieces are taken only when the row then adds up.
    beyond_last: bool,
}

/// Which lines a number's pieces may stand on, among the lines a way to put a row's
/// pieces together takes (those lines are next to each other and to the values line).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Stacked {
    /// Lines next to each other and to the values line.
    Tight,
    /// Any of them: a number of fewer lines than its neighbours', centred on the row, may
    /// skip a line their pieces take ("1" / "29" / "" / "5" for 1295 beside "1" / "2" /
    /// "5" / "9" for 1259, full-width digits in a narrow column). Such pieces are taken
    /// only when the row then adds up.
    Loose,
}

fn words(line: &str) -> Vec<Word> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    for (column, (at, c)) in line.char_indices().enumerate() {
        if c.is_whitespace() {
            words.extend(current.take());
        } else if let Some(word) = current.as_mut() {
            word.end = at + c.len_utf8();
            word.width += 1;
        } else {
            current = Some(Word {
                start: at,
                end: at + c.len_utf8(),
                column,
                width: 1,
            });
        }
    }
    words.extend(current);
    words
}

fn digits_only(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// "2．", "3、", "二、": a row label's item number.
fn opens_with_item_number(word: &str) -> bool {
    let number = word
        .trim_start_matches(|c: char| c.is_ascii_digit() || crate::tables::is_chinese_numeral(c));
    number.len() < word.len() && number.starts_with(['.', '、', '．'])
}

/// A blank cell's mark among a row's values ("无", "/", "—").
fn is_mark(text: &str) -> bool {
    !text.is_empty() && text.chars().all(crate::tables::is_mark)
}

/// A laid-out line as the plan reads it.
enum Shape {
    /// It ends with at least `MIN_VALUES` values (numbers or blank marks), after any words:
    /// these values; and, when they are `MIN_VALUES` numbers of a few digits each after
    /// words, those numbers as pieces and whether the words open with an item number.
    Values(Vec<Word>, Option<(Vec<Word>, bool)>),
    /// It ends with fewer numbers of a few digits each, after words that may open with an
    /// item number: the numbers, where the first starts, and whether the words do.
    Pieces(Vec<Word>, usize, bool),
    /// Anything else (an empty line, a line of values with other words among them).
    Other,
}

fn shape(line: &str) -> Shape {
    let words = words(line);
    let text = |w: &Word| &line[w.start..w.end];
    let has_digit = |w: &Word| text(w).bytes().any(|b| b.is_ascii_digit());
    let trailing = |value: &dyn Fn(&str) -> bool| {
        words
            .iter()
            .rposition(|w| !value(text(w)))
            .map_or(0, |k| k + 1)
    };
    let values_from = trailing(&|t| digits_only(t) || is_mark(t));
    let numbers_from = trailing(&digits_only);
    let numbers = &words[numbers_from..];
    let short = numbers.iter().all(|w| w.end - w.start <= MAX_PIECE_DIGITS);
    let words_before = &words[..numbers_from];
    let numbered = words_before.iter().any(|w| opens_with_item_number(text(w)));
    // Digits among the words other than an item number's: no label's line.
    let other_digits = words_before
        .iter()
        .any(|w| has_digit(w) && !opens_with_item_number(text(w)));
    if words.len() - values_from >= MIN_VALUES {
        // The line of a number four lines tall ("５ ６  ９" under "２ ３ ０ ０ ０ ０２" for
        // 1259, 36 and 1295), or three numbers' first line beside a label's, may be
        // pieces of a row of many values (`MIN_VALUES_UNDER_THREE`) when the row then
        // adds up.
        let three_pieces = numbers.len() == MIN_VALUES && short && !other_digits;
        let pieces =
            (three_pieces && laid_out_without_tabs(line)).then(|| (numbers.to_vec(), numbered));
        return Shape::Values(zeros_apart(line, &words[values_from..]), pieces);
    }
    match numbers.first() {
        Some(first) if short && !other_digits && may_end_with_pieces(line) => {
            Shape::Pieces(numbers.to_vec(), first.start, numbered)
        }
        _ => Shape::Other,
    }
}

/// The values `words` of `line` with the zeros that open a number apart: no number is
/// printed with a leading zero, so "02" is a 0 run together with the next cell's 2
/// (full-width digits squeezed together by `pdftotext -layout`), each a value of its own.
fn zeros_apart(line: &str, words: &[Word]) -> Vec<Word> {
    let mut apart = Vec::with_capacity(words.len());
    for &word in words {
        let mut rest = word;
        while digits_only(&line[rest.start..rest.end])
            && rest.width > 1
            && line[rest.start..].starts_with('0')
        {
            apart.push(Word {
                end: rest.start + 1,
                width: 1,
                ..rest
            });
            rest = Word {
                start: rest.start + 1,
                column: rest.column + 1,
                width: rest.width - 1,
                ..rest
            };
        }
        apart.push(rest);
    }
    apart
}

/// `numbers` as they are, then with their last number's digits parted after the first,
/// the second, … (two values run together, the cell before's and the last's).
fn last_split<'a>(line: &'a str, numbers: &'a [Word]) -> impl Iterator<Item = Vec<Word>> + 'a {
    let last = numbers
        .last()
        .copied()
        .filter(|w| digits_only(&line[w.start..w.end]));
    let parts = last.map_or(0, |w| w.width);
    (0..parts.max(1)).filter_map(move |at| {
        let mut split = numbers.to_vec();
        if at > 0 {
            let last = split.pop()?;
            split.push(Word {
                end: last.start + at,
                width: at,
                ..last
            });
            split.push(Word {
                start: last.start + at,
                column: last.column + at,
                width: last.width - at,
                ..last
            });
        }
        Some(split)
    })
}

/// A space put in between two values a line prints run together (`zeros_apart`,
/// `last_split`).
fn spaces_between(numbers: &[Word]) -> impl Iterator<Item = PutIn> + '_ {
    numbers
        .windows(2)
        .filter(|pair| pair[0].end == pair[1].start)
        .map(|pair| PutIn {
            at: pair[1].start,
            text: " ".to_string(),
        })
}

fn laid_out(line: &str) -> bool {
    memchr::memmem::find(line.as_bytes(), b"  ").is_some()
}

fn laid_out_without_tabs(line: &str) -> bool {
    laid_out(line) && memchr::memchr(b'\t', line.as_bytes()).is_none()
}

/// Whether a line may be one of pieces (`Shape::Pieces`), asked of its end only (every
/// line of a stream is asked): laid out, no tab, and ending with one or two numbers of a
/// few digits each, read back from the end until a char that is no digit or space.
pub(crate) fn may_end_with_pieces(line: &str) -> bool {
    let bytes = line.as_bytes();
    let (mut numbers, mut digits) = (0, 0);
    let mut at = bytes.len();
    while let Some(&b) = at.checked_sub(1).and_then(|i| bytes.get(i)) {
        match b {
            b'0'..=b'9' => digits += 1,
            b' ' if digits > 0 => {
                numbers += 1;
                digits = 0;
            }
            b' ' => {}
            _ => break,
        }
        if digits > MAX_PIECE_DIGITS || numbers >= MIN_VALUES {
            return false;
        }
        at -= 1;
    }
    // Digits at the line's start end a number; digits after a char of a word do not.
    if digits > 0 && at == 0 {
        numbers += 1;
    }
    (1..MIN_VALUES).contains(&numbers) && laid_out_without_tabs(line)
}

/// How the stream prints each of `lines` (consecutive lines of a document): `Keep`, but for
/// rows printed column by column (`blocks`), and rows whose wrapped numbers' pieces stand
/// on lines next to their values line.
///
/// A values line takes the lines of pieces right above it (or over a few lines of its
/// label's words) and right under it (no more than `MAX_PIECE_LINES` each, as many under
/// as above or one more; those under do not open with an item number, which would be the
/// next row's label), the most that fit: every piece stands in a column where the values
/// line has a number, or where pieces above and under it meet (a number of its own), each
/// number's pieces on lines next to each other (or the row adds up), and no number put
/// together starts with 0. Lines of pieces a values line took are not the next one's.
pub(crate) fn plan(lines: &[&str]) -> Vec<LinePlan> {
    let mut plans = vec![LinePlan::Keep; lines.len()];
    let mut taken = vec![false; lines.len()];
    blocks::plan(lines, &mut plans, &mut taken);
    // Most ranges hold no line of pieces, which each line's end tells; only the lines near
    // those that may are read further.
    let mut near = vec![false; lines.len()];
    for (k, _) in lines
        .iter()
        .enumerate()
        .filter(|(_, l)| may_end_with_pieces(l))
    {
        let reach = MAX_PIECE_LINES + MAX_LABEL_LINES;
        let last = (k + reach).min(lines.len() - 1);
        near[k.saturating_sub(reach)..=last].fill(true);
    }
    if !near.contains(&true) {
        return plans;
    }
    let shapes: Vec<Shape> = lines
        .iter()
        .zip(&near)
        .map(|(line, &near)| match near {
            true => shape(line),
            false => Shape::Other,
        })
        .collect();
    for (m, shape) in shapes.iter().enumerate() {
        let Shape::Values(numbers, _) = shape else {
            continue;
        };
        if !laid_out(lines[m]) || taken[m] {
            continue;
        }
        let many_values = numbers.len() >= MIN_VALUES_UNDER_THREE;
        // A line of pieces no row took; under the values line, not the next row's label.
        let is_pieces = |k: usize, under: bool| match &shapes[k] {
            Shape::Pieces(_, _, numbered) => !(taken[k] || under && *numbered),
            Shape::Values(_, Some((_, numbered))) => {
                !(taken[k] || under && *numbered) && many_values
            }
            _ => false,
        };
        // The lines of pieces above (nearest first) and under.
        let above = lines_of_pieces_above(lines, m, |k| is_pieces(k, false));
        let under: Vec<usize> = (m + 1..lines.len().min(m + 1 + MAX_PIECE_LINES))
            .take_while(|&k| is_pieces(k, true))
            .collect();
        // A row two lines tall whose values line is its lower one prints the first
        // pieces above it and none under, beside its label's first words ("三、本年  ４"
        // over "…予以公开  ９ ０ …" for 49), or over lines of its label, on a line after
        // one without digits or of pieces the row before took. Pieces alone on their line,
        // or under another row's values or pieces no row took, may be theirs.
        let opens_row = |k: usize| {
            let words = match &shapes[k] {
                Shape::Pieces(_, first, _) => !lines[k][..*first].trim().is_empty(),
                _ => false,
            };
            (words || k + 1 < m)
                && k.checked_sub(1)
                    .is_none_or(|p| taken[p] || !lines[p].bytes().any(|b| b.is_ascii_digit()))
        };
        let above_only = under.is_empty() && above.first().is_some_and(|&k| opens_row(k));
        let tries = (1..=under.len())
            .rev()
            .flat_map(|u| [(u, u), (u - 1, u)])
            .chain(above_only.then_some((1, 0)))
            .filter(|&(a, _)| a <= above.len());
        // Each try's lines of pieces, in line order.
        let ways: Vec<PieceLines> = tries
            .map(|(a, u)| {
                let tops = above[..a].iter().rev();
                tops.chain(&under[..u])
                    .filter_map(|&k| match &shapes[k] {
                        Shape::Pieces(words, _, _) | Shape::Values(_, Some((words, _))) => {
                            Some((k, words))
                        }
                        _ => None,
                    })
                    .collect()
            })
            .collect();
        let fitting = |numbers, fit| fitting_ways(lines, m, numbers, &ways, fit);
        let adding_up = |(_, put_ins): &(_, Vec<PutIn>)| adds_up(lines[m], put_ins);
        let nested = |stacked, beyond_last| Fit {
            aligned: Aligned::Nested,
            stacked,
            beyond_last,
        };
        // Pieces past the last number, which may hold the cell before's value run
        // together with its own ("４７" for 4 and 70, the 0 under 总计).
        let beyond_last = || {
            last_split(lines[m], numbers).find_map(|numbers| {
                let fit = nested(Stacked::Tight, true);
                fitting_ways(lines, m, &numbers, &ways, fit).find(adding_up)
            })
        };
        let left = Fit {
            aligned: Aligned::Left,
            stacked: Stacked::Tight,
            beyond_last: false,
        };
        let by_columns = |way| (way, None);
        let by_sum = |way| (way, Some(SUMMED_NOTE));
        let Some(((piece_lines, put_ins), note)) = fitting(numbers, nested(Stacked::Tight, false))
            .find(adding_up)
            .or_else(|| fitting(numbers, nested(Stacked::Loose, false)).find(adding_up))
            .map(by_columns)
            .or_else(|| beyond_last().map(by_sum))
            .or_else(|| only_adding_up_in_order(lines, m, numbers, &ways).map(by_sum))
            .or_else(|| {
                let fitting = fitting(numbers, left).filter(|(piece_lines, _)| {
                    !piece_lines.iter().any(|&(k, _)| may_be_values(&shapes[k]))
                });
                first_adding_up(fitting, adding_up).map(by_columns)
            })
        else {
            continue;
        };
        for &(k, words) in piece_lines {
            if let Some(first) = words.first() {
                plans[k] = LinePlan::Before(first.start);
                taken[k] = true;
            }
        }
        plans[m] = LinePlan::Values { put_ins, note };
    }
    plans
}

/// Whether a line taken for pieces may be a row's values (`Shape::Values`): such a way is
/// taken only when the row adds up.
fn may_be_values(shape: &Shape) -> bool {
    matches!(shape, Shape::Values(..))
}

/// The lines of pieces (`is_pieces`) right above values line `m`, nearest first: no more
/// than `MAX_PIECE_LINES`, and no more than `MAX_LABEL_LINES` lines of words without digits
/// among them.
fn lines_of_pieces_above(
    lines: &[&str],
    m: usize,
    is_pieces: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut above = Vec::new();
    let mut label_lines = 0;
    for k in (0..m).rev() {
        if above.len() == MAX_PIECE_LINES {
            break;
        }
        if is_pieces(k) {
            above.push(k);
        } else if label_lines < MAX_LABEL_LINES && is_label_line(lines[k]) {
            label_lines += 1;
        } else {
            break;
        }
    }
    above
}

/// A line of words without digits (a label's, or its part's).
fn is_label_line(line: &str) -> bool {
    !line.trim().is_empty() && !line.bytes().any(|b| b.is_ascii_digit())
}

/// Of the ways to put pieces into a values line that fit (most lines first), the first
/// whose row adds up, else the first. Between two rows' values lines, a line of pieces may
/// be the lower one's first or the upper one's last ("12" / "36 0 0 0 0" / "59" / "17" /
/// "15 0 0 4 0" / "0" for 1259 and 170): taking it for the upper row makes 125917, which
/// its total does not bear out.
fn first_adding_up<T>(
    fitting: impl Iterator<Item = T>,
    adding_up: impl Fn(&T) -> bool,
) -> Option<T> {
    let mut first = None;
    for way in fitting {
        if adding_up(&way) {
            return Some(way);
        }
        first.get_or_insert(way);
    }
    first
}

/// Whether values line `line` with `put_ins` put in adds up as a row of 表三 (its last
/// value the sum of the others) or of 表四 (each group of five so) does; blank marks are 0.
fn adds_up(line: &str, put_ins: &[PutIn]) -> bool {
    let line = with_put_ins(line, put_ins);
    let words: Vec<&str> = line.split_whitespace().collect();
    let value = |word: &str| match digits_only(word) {
        true => word.parse::<f64>().ok(),
        false => is_mark(word).then_some(0.0),
    };
    let from = words
        .iter()
        .rposition(|w| value(w).is_none())
        .map_or(0, |k| k + 1);
    let values: Vec<f64> = words[from..].iter().filter_map(|w| value(w)).collect();
    let check = match values.len() {
        15 => RowCheck::GroupTotals(5),
        _ => RowCheck::Total,
    };
    values.len() >= MIN_VALUES && meets(&values, &|v: &f64| *v, check)
}

/// The digits to put into values line `m` (its values `numbers`) from the pieces of
/// `piece_lines` (line, its pieces; in line order), if they fit (see `plan`).
fn put_together(
    lines: &[&str],
    m: usize,
    numbers: &[Word],
    piece_lines: &[(usize, &Vec<Word>)],
    fit: Fit,
    in_order: Option<&[usize]>,
) -> Option<Vec<PutIn>> {
    let Fit {
        aligned, stacked, ..
    } = fit;
    let mut put_ins: Vec<PutIn> = spaces_between(numbers).collect();
    let columns = piece_columns(piece_lines, aligned);
    for (i, &column) in columns.iter().enumerate() {
        let own = match in_order {
            Some(owners) => Some(numbers.get(*owners.get(i)?)?),
            None => only(numbers.iter().filter(|w| aligned.holds(w.span(), column)))?,
        };
        let own = match own {
            None if fit.beyond_last => last_beyond(numbers, &columns, column, aligned),
            own => own,
        };
        // A blank's mark is no number's piece.
        if own.is_some_and(|w| !digits_only(&lines[m][w.start..w.end])) {
            return None;
        }
        let (above, under) = pieces_in_column(lines, m, piece_lines, column, (aligned, stacked))?;
        let first = match (above.is_empty(), own) {
            (false, _) => above.as_str(),
            (true, Some(w)) => &lines[m][w.start..w.end],
            (true, None) => return None,
        };
        if first.starts_with('0') {
            return None;
        }
        match own {
            Some(w) => {
                if !above.is_empty() {
                    put_ins.push(PutIn {
                        at: w.start,
                        text: above,
                    });
                }
                if !under.is_empty() {
                    put_ins.push(PutIn {
                        at: w.end,
                        text: under,
                    });
                }
            }
            // Pieces above and under a line with no number there: a number of its own.
            None if under.is_empty() => return None,
            None => put_ins.push(number_of_its_own(numbers, column, above + &under)),
        }
    }
    put_ins.sort_by_key(|p| p.at);
    Some(put_ins)
}

/// The ways of `ways` whose pieces fit values line `m` (its values `numbers`) as `fit`
/// says, each with the digits to put in, tried one after the other as they are asked for.
fn fitting_ways<'w: 'n, 'n>(
    lines: &'n [&'n str],
    m: usize,
    numbers: &'n [Word],
    ways: &'w [PieceLines<'w>],
    fit: Fit,
) -> impl Iterator<Item = (&'w PieceLines<'w>, Vec<PutIn>)> + 'n {
    ways.iter().filter_map(move |piece_lines| {
        let put_ins = put_together(lines, m, numbers, piece_lines, fit, None)?;
        Some((piece_lines, put_ins))
    })
}

/// The one way to put pieces into values line `m` whose row adds up when each column of
/// pieces, left to right, is a number's of the line in the same order, whatever their
/// columns: `pdftotext -layout` may print a line of full-width digits left of its header
/// and its pieces ("６ １ ０ ０ ０ ０ ６" two columns left of "１ … ２" for 61 1 … 62).
fn only_adding_up_in_order<'w>(
    lines: &[&str],
    m: usize,
    numbers: &[Word],
    ways: &'w [PieceLines<'w>],
) -> Option<(&'w PieceLines<'w>, Vec<PutIn>)> {
    let fit = Fit {
        aligned: Aligned::Nested,
        stacked: Stacked::Tight,
        beyond_last: false,
    };
    // The way found last, with its row; whether another made another row.
    let mut found: Option<(&PieceLines, Vec<PutIn>, String)> = None;
    let mut ambiguous = false;
    for piece_lines in ways {
        let columns = piece_columns(piece_lines, fit.aligned);
        if choices(numbers.len(), columns.len()) > MAX_IN_ORDER {
            continue;
        }
        for_each_choice(numbers.len(), columns.len(), &mut |owners| {
            if !squeezed_under(numbers, &columns, owners) {
                return;
            }
            let Some(put_ins) = put_together(lines, m, numbers, piece_lines, fit, Some(owners))
            else {
                return;
            };
            if !adds_up(lines[m], &put_ins) {
                return;
            }
            let row = with_put_ins(lines[m], &put_ins);
            ambiguous |= found.as_ref().is_some_and(|(_, _, seen)| *seen != row);
            found = Some((piece_lines, put_ins, row));
        });
    }
    let (piece_lines, put_ins, _) = found.filter(|_| !ambiguous)?;
    Some((piece_lines, put_ins))
}

/// Whether the numbers `owners` (indexes into `numbers`) stand as a line squeezed to the
/// left of the columns of pieces they take would: each no further right than its pieces,
/// and no further from the one before than its pieces are from theirs. Zeros under a row
/// whose first value is its total fit it anywhere ("3 0 0 0 0 0 3" over the next row's
/// "0 0": 30 … 30), but not where those zeros stand.
fn squeezed_under(numbers: &[Word], columns: &[(usize, usize)], owners: &[usize]) -> bool {
    let placed: Vec<(usize, usize)> = owners
        .iter()
        .zip(columns)
        .filter_map(|(&n, &(column, _))| Some((numbers.get(n)?.column, column)))
        .collect();
    placed.iter().all(|&(number, piece)| number <= piece)
        && placed
            .windows(2)
            .all(|pair| pair[1].0 - pair[0].0 <= pair[1].1 - pair[0].1)
}

/// The values line's last number, when `column` stands right of it, no other column of
/// pieces does, and none is that number's own.
fn last_beyond<'w>(
    numbers: &'w [Word],
    columns: &[(usize, usize)],
    column: (usize, usize),
    aligned: Aligned,
) -> Option<&'w Word> {
    let last = numbers.last()?;
    let held = columns.iter().any(|&c| aligned.holds(last.span(), c));
    let past = |c: &(usize, usize)| c.0 >= last.span().1;
    let only_past = columns.iter().filter(|c| past(c)).count() == 1;
    (past(&column) && only_past && !held).then_some(last)
}

/// The columns (first, after the last) the pieces of `piece_lines` stand in, pieces standing
/// over each other as `aligned` says sharing one.
fn piece_columns(piece_lines: &[(usize, &Vec<Word>)], aligned: Aligned) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = piece_lines
        .iter()
        .flat_map(|(_, words)| words.iter().map(Word::span))
        .collect();
    // Wider first among those starting together, so that a column is its widest piece.
    spans.sort_unstable_by_key(|&(from, to)| (from, std::cmp::Reverse(to)));
    let mut columns: Vec<(usize, usize)> = Vec::new();
    for span in spans {
        match columns.last() {
            Some(&last) if aligned.holds(last, span) => {}
            _ => columns.push(span),
        }
    }
    columns
}

/// The one item of `items`, `Some(None)` when there is none, `None` when there are more.
fn only<T>(mut items: impl Iterator<Item = T>) -> Option<Option<T>> {
    let first = items.next();
    match items.next() {
        Some(_) => None,
        None => Some(first),
    }
}

/// The digits of the pieces in `column` above values line `m` and under it, top to bottom,
/// when the lines holding them stand as `stacked` says.
fn pieces_in_column(
    lines: &[&str],
    m: usize,
    piece_lines: &[(usize, &Vec<Word>)],
    column: (usize, usize),
    (aligned, stacked): (Aligned, Stacked),
) -> Option<(String, String)> {
    let (mut above, mut under) = (String::new(), String::new());
    let mut held: Vec<usize> = vec![m];
    for &(k, words) in piece_lines {
        if let Some(w) = only(words.iter().filter(|w| aligned.holds(w.span(), column)))? {
            held.push(k);
            let into = if k < m { &mut above } else { &mut under };
            into.push_str(&lines[k][w.start..w.end]);
        }
    }
    held.sort_unstable();
    // Pieces over lines of a label (`MAX_LABEL_LINES`) are not: they are taken only when
    // the row then adds up. A row's own value beside its label may stand over the next
    // row's label ("(一)予以公开  14" / "(二)部分公开…" / "0 … 0").
    let next_to_each_other = held.windows(2).all(|p| p[0] + 1 == p[1]);
    (stacked == Stacked::Loose || next_to_each_other).then_some((above, under))
}

/// `line` with `put_ins` put in.
fn with_put_ins(line: &str, put_ins: &[PutIn]) -> String {
    let mut text = line.to_string();
    for put_in in put_ins.iter().rev() {
        text.insert_str(put_in.at, &put_in.text);
    }
    text
}

/// A number put together from pieces above and under a values line in a column where the
/// line has none: put in between the line's values, in its column's place.
fn number_of_its_own(numbers: &[Word], (column, _): (usize, usize), digits: String) -> PutIn {
    match numbers.iter().position(|w| w.column > column) {
        Some(0) => PutIn {
            at: numbers[0].start,
            text: digits + " ",
        },
        Some(j) => PutIn {
            at: numbers[j - 1].end,
            text: format!(" {digits}"),
        },
        None => PutIn {
            at: numbers.last().map_or(0, |w| w.end),
            text: format!(" {digits}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines as the stream would print them, numbers put together, whitespace runs one
    /// space.
    pub(super) fn put_together(lines: &[&str]) -> Vec<String> {
        plan(lines)
            .into_iter()
            .zip(lines)
            .map(|(plan, line)| {
                let text = match plan {
                    LinePlan::Keep => line.to_string(),
                    LinePlan::Before(keep) => line[..keep].to_string(),
                    LinePlan::Values { put_ins, .. } => with_put_ins(line, &put_ins),
                };
                text.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }

    fn spaced(pieces: &[(usize, &str)]) -> String {
        let mut line = String::new();
        for &(column, text) in pieces {
            let at = line.chars().count();
            line.push_str(&" ".repeat(column.saturating_sub(at)));
            line.push_str(text);
        }
        line
    }

    #[test]
    fn rests_under_the_numbers_they_continue_are_put_after_them() {
        // A row two lines tall: 21 and 21, the label's second line beside the rests.
        let upper = spaced(&[(4, "一、本年"), (20, "2 0 0"), (30, "0"), (34, "0 0 2")]);
        let lower = spaced(&[(2, "新收政府信息公开申请数量"), (20, "1"), (38, "1")]);
        let next = spaced(&[(2, "二、上年结转"), (20, "0 0 0"), (30, "0"), (34, "0 0 0")]);
        assert_eq!(
            put_together(&[&upper, &lower, &next]),
            [
                "一、本年 21 0 0 0 0 0 21",
                "新收政府信息公开申请数量",
                "二、上年结转 0 0 0 0 0 0 0"
            ]
        );
        // A line of nothing but a rest (表四's first value, 10).
        assert_eq!(
            put_together(&["  1 1 0 0 0 0 0 0 0 0 5 0 0 0 0", "  0"]),
            [
                "1 1 0 0 0 0 0 0 0 0 5 0 0 0 0".replacen('1', "10", 1),
                String::new()
            ]
        );
    }

    #[test]
    fn pieces_past_a_squeezed_values_line_are_its_last_numbers() {
        // Full-width digits squeezed together: 其他's 0 and the total's 2 run together, the
        // total's rest printed under 总计, right of the values line.
        let label = "一、本年新收政府信息公开申请数量";
        let upper = spaced(&[(2, label), (26, "2 0 0 0 0 02")]);
        let lower = spaced(&[(26, "1"), (45, "1")]);
        assert_eq!(
            put_together(&[&upper, &lower]),
            [format!("{label} 21 0 0 0 0 0 21"), String::new()]
        );
        // Four lines tall: 1259, 3 and 1262.
        let lines = [
            spaced(&[(25, "1"), (39, "1")]),
            spaced(&[(1, label), (25, "2 3 0 0 0 02")]),
            spaced(&[(25, "5"), (39, "6")]),
            spaced(&[(25, "9"), (39, "2")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines)[1],
            format!("{label} 1259 3 0 0 0 0 1262")
        );
        // 其他's 4 run together with the total's 7: 64 0 0 2 0 4 70.
        let upper = spaced(&[(2, label), (38, "6 0 0 2 0 47")]);
        let lower = spaced(&[(38, "4"), (57, "0")]);
        assert_eq!(
            put_together(&[&upper, &lower])[0],
            format!("{label} 64 0 0 2 0 4 70")
        );
        // A row whose first pieces stand beside its label, after the pieces the row
        // before took: 22 … 22, then 19 1 … 20.
        let lines = [
            spaced(&[(2, "三、本年 (一)予以公开"), (41, "2 0 0 0 0 02")]),
            spaced(&[(2, "度办理结"), (41, "2"), (59, "2")]),
            spaced(&[(2, "果 (二)部分公开"), (41, "1"), (59, "2")]),
            spaced(&[(41, "9 1 0 0 0 00")]),
            spaced(&[(6, "1.属于国家秘密"), (41, "0 0 0 0 0 00")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines)[..4],
            [
                "三、本年 (一)予以公开 22 0 0 0 0 0 22",
                "度办理结",
                "果 (二)部分公开",
                "19 1 0 0 0 0 20"
            ]
        );
        // Unless the row then adds up, pieces past it are no number's.
        let lower = spaced(&[(26, "1"), (45, "7")]);
        assert_eq!(put_together(&[&upper, &lower])[1], "1 7");
    }

    #[test]
    fn a_line_of_three_pieces_may_be_a_rows_when_the_row_then_adds_up() {
        // Four lines tall: 1259, 36 and 1295, the middle line under the values three
        // pieces; then 170, 15, 4 and 189, the first line beside the label's.
        let label = "一、本年新收政府信息公开申请数量";
        let lines = [
            spaced(&[(25, "1"), (39, "1")]),
            spaced(&[(1, label), (25, "2 3 0 0 0 02")]),
            spaced(&[(25, "5 6"), (39, "9")]),
            spaced(&[(25, "9"), (39, "5")]),
            spaced(&[(1, "二、上年结"), (25, "1 1"), (39, "1")]),
            spaced(&[(1, "转政府信息公开申请数量"), (25, "7 5 0 0 4 08")]),
            spaced(&[(25, "0"), (39, "9")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines),
            [
                String::new(),
                format!("{label} 1259 36 0 0 0 0 1295"),
                String::new(),
                String::new(),
                "二、上年结".to_string(),
                "转政府信息公开申请数量 170 15 0 0 4 0 189".to_string(),
                String::new()
            ]
        );
        // Three numbers are no pieces of a row of fewer than seven values (表二's rows
        // hold three or four, and three of a row may add up by chance).
        let lines = [
            spaced(&[(25, "1"), (39, "1")]),
            spaced(&[(1, "规章"), (25, "2 3 0 02")]),
            spaced(&[(25, "5 6"), (39, "9")]),
            spaced(&[(25, "9"), (39, "5")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[1], "规章 2 3 0 02");
    }

    #[test]
    fn pieces_over_a_values_line_printed_left_of_them_are_its_numbers_in_order() {
        // The values line two columns left of its pieces: 61 1 0 0 0 0 62.
        let upper = spaced(&[(6, "1.信访举报投诉类申请"), (23, "6 1 0 0 0 0 6")]);
        let lower = spaced(&[(6, "予处理"), (25, "1"), (39, "2")]);
        assert_eq!(
            put_together(&[&upper, &lower]),
            ["1.信访举报投诉类申请 61 1 0 0 0 0 62", "予处理"]
        );
        // 10 and 10 over any of six zeros and the total: no way is taken.
        let upper = spaced(&[(6, "1.信访举报投诉类申请"), (22, "0 0 0 0 0 0 0")]);
        let lower = spaced(&[(25, "1"), (39, "1")]);
        assert_eq!(
            put_together(&[&lower, &upper]),
            ["1 1", "1.信访举报投诉类申请 0 0 0 0 0 0 0"]
        );
        // The next row's zeros under a row whose first value is its total: 30 … 30 would
        // add up, but the zeros stand where the line's second and third numbers do.
        let upper = spaced(&[(12, "2.重复申请"), (23, "3 0 0 0 0 03")]);
        let lower = spaced(&[(14, ".要求提供公开出版"), (25, "0 0")]);
        assert_eq!(
            put_together(&[&upper, &lower]),
            ["2.重复申请 3 0 0 0 0 03", ".要求提供公开出版 0 0"]
        );
    }

    #[test]
    fn pieces_above_and_under_a_values_line_are_a_number_in_its_place() {
        // A row three lines tall: 64 and 70 in columns where the values line has none;
        // 22 and 25 beside a label over the lines above and under.
        let lines = [
            spaced(&[(20, "6"), (34, "7")]),
            spaced(&[(2, "一、本年新收"), (22, "0 0"), (28, "2"), (30, "0 4")]),
            spaced(&[(20, "4"), (34, "0")]),
            String::new(),
            spaced(&[(2, "1. 本机关不掌握相关"), (20, "2"), (34, "2")]),
            spaced(&[(22, "0 0"), (28, "0"), (30, "0 3")]),
            spaced(&[(4, "政府信息"), (20, "2"), (34, "5")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines),
            [
                "",
                "一、本年新收 64 0 0 2 0 4 70",
                "",
                "",
                "1. 本机关不掌握相关",
                "22 0 0 0 0 3 25",
                "政府信息"
            ]
        );
        // A number three lines tall: 105 over the values line's 0.
        let lines = [
            spaced(&[(20, "1")]),
            spaced(&[(2, "(七)总计"), (20, "0 0 0"), (30, "0 0 0 5")]),
            spaced(&[(20, "5")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[1], "(七)总计 105 0 0 0 0 0 5");
        // Blank cells' marks among the values.
        let lines = [
            spaced(&[(2, "一、本年新收"), (20, "2 无 无"), (30, "无 无 无 2")]),
            spaced(&[(4, "申请数量"), (20, "6"), (36, "6")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines),
            ["一、本年新收 26 无 无 无 无 无 26", "申请数量"]
        );
    }

    #[test]
    fn a_line_of_pieces_between_two_rows_goes_to_the_row_it_makes_add_up() {
        // 1259 and 1295 over and under 一's values line, 170 and 189 over and under 二's:
        // "17 18" also fits under 一 (125917, 129518), which its total does not bear out.
        let lines = [
            spaced(&[(24, "12"), (52, "12")]),
            spaced(&[(1, "一、本年新收"), (30, "36 0 0 0 0")]),
            spaced(&[(24, "59"), (52, "95")]),
            spaced(&[(24, "17"), (52, "18")]),
            spaced(&[(1, "二、上年结转"), (30, "15 0 0 4 0")]),
            spaced(&[(25, "0"), (53, "9")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let read = put_together(&lines);
        assert_eq!(read[1], "一、本年新收 1259 36 0 0 0 0 1295");
        assert_eq!(read[4], "二、上年结转 170 15 0 0 4 0 189");
        // 484 and 513: the last pieces set right, beside the label's second line.
        let lines = [
            spaced(&[(8, "1.本机关不掌握相"), (20, "48"), (44, "51")]),
            spaced(&[(25, "28 0 0 1 0")]),
            spaced(&[(11, "关政府信息"), (21, "4"), (45, "3")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[1], "484 28 0 0 1 0 513");
    }

    /// Full-width digits in a column one digit wide: 1259 over four lines beside 1295 over
    /// three, centred, so the total's last piece skips the line of 36's: put together
    /// because the row then adds up, and not when it would not.
    #[test]
    fn a_number_of_fewer_lines_may_skip_a_line_of_its_neighbours_pieces() {
        let lines = |total_on_values_line: &str| {
            [
                spaced(&[(33, "1"), (56, "1")]),
                spaced(&[
                    (1, "一、本年新收政府信息公开申请数量"),
                    (33, "2   3   0   0   0   0"),
                    (55, total_on_values_line),
                ]),
                spaced(&[(33, "5   6")]),
                spaced(&[(33, "9"), (56, "5")]),
            ]
        };
        let read = lines("29");
        let read: Vec<&str> = read.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&read)[1],
            "一、本年新收政府信息公开申请数量 1259 36 0 0 0 0 1295"
        );
        // With 28 for 29 no way adds up: the pieces next to each other are taken as before.
        let read = lines("28");
        let read: Vec<&str> = read.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&read)[1],
            "一、本年新收政府信息公开申请数量 25 36 0 0 0 0 28"
        );
    }

    #[test]
    fn a_rows_only_value_under_a_wider_one_is_no_piece_of_it() {
        // 表二's 行政强制 printed only its 775 (blanks left empty), centred under 行政处罚's
        // 670761: no total tells a piece from a value, and the columns do not start together.
        let lines = [
            spaced(&[(4, "行政处罚"), (18, "116"), (29, "34"), (44, "670761")]),
            spaced(&[(4, "行政强制"), (45, "775")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines),
            ["行政处罚 116 34 670761", "行政强制 775"]
        );
    }

    #[test]
    fn first_pieces_above_a_rows_lower_values_line_are_put_before_them() {
        // A row two lines tall, its values on its lower line: 49 and 49, the group label's
        // first words beside the 4s; the next row's values under it are no pieces.
        let lines = [
            spaced(&[(2, "三、本年"), (20, "4"), (34, "4")]),
            spaced(&[
                (2, "度办理结 (一)予以公开"),
                (20, "9 0 0"),
                (30, "0"),
                (34, "9"),
            ]),
            spaced(&[(6, "(二)部分公开"), (20, "0 0 0"), (30, "0"), (34, "0")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines),
            [
                "三、本年",
                "度办理结 (一)予以公开 49 0 0 0 49",
                "(二)部分公开 0 0 0 0 0"
            ]
        );
        // A piece alone on its line, two lines under the row it ends ("七 总计 … 4" over
        // "( )" over "9"), is no first piece of the next row's 2.
        let lines = [
            spaced(&[(2, "七 总计"), (20, "4 0 0"), (30, "0"), (34, "4")]),
            spaced(&[(4, "( )")]),
            spaced(&[(20, "9")]),
            spaced(&[(2, "四、结转下年度"), (20, "2 0 0"), (30, "0"), (34, "2")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[3], "四、结转下年度 2 0 0 0 2");
    }

    #[test]
    fn pieces_over_lines_of_a_label_are_taken_when_the_row_adds_up() {
        // A row's label wrapped in its cell prints its lines between the lines of the
        // numbers beside it: 49 and 49 over "七 总计" and "( )".
        let lines = [
            spaced(&[(2, "(六)其他处理"), (20, "0 0 0"), (30, "0"), (34, "0")]),
            String::new(),
            spaced(&[(20, "4"), (34, "4")]),
            spaced(&[(6, "七 总计")]),
            spaced(&[(6, "( )")]),
            spaced(&[(20, "9 0 0"), (30, "0"), (34, "9")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let read = put_together(&lines);
        assert_eq!(read[2], "");
        assert_eq!(read[5], "49 0 0 0 49");
        // A row's own value beside its label, over the next row's label: the next row does
        // not add up with it, so it is no piece ("14" over "0" is no 140).
        let lines = [
            spaced(&[(2, "(一)予以公开"), (34, "14")]),
            spaced(&[(2, "(二)部分公开(区分处理")]),
            spaced(&[(20, "0 0 0"), (30, "0"), (34, "0")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(
            put_together(&lines),
            ["(一)予以公开 14", "(二)部分公开(区分处理", "0 0 0 0 0"]
        );
        // No more than two lines of a label between.
        let lines = [
            spaced(&[(20, "4"), (34, "4")]),
            spaced(&[(6, "七")]),
            spaced(&[(6, "总计")]),
            spaced(&[(6, "( )")]),
            spaced(&[(20, "9 0 0"), (30, "0"), (34, "9")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[4], "9 0 0 0 9");
    }

    #[test]
    fn a_line_of_pieces_is_told_by_its_end() {
        assert!(may_end_with_pieces("  申请数量    6        16"));
        assert!(may_end_with_pieces("   0"));
        // Three numbers, a long one, one run into a word, a tab, no columns.
        assert!(!may_end_with_pieces("  规章   0 0 0"));
        assert!(!may_end_with_pieces("  条   1234"));
        assert!(!may_end_with_pieces("  计1条"));
        assert!(!may_end_with_pieces("  重复申请\t6"));
        assert!(!may_end_with_pieces("重复申请 6"));
    }

    #[test]
    fn other_lines_next_to_values_are_left_alone() {
        let upper = spaced(&[(2, "(七)总计"), (12, "2 0 0 0 0 0 2")]);
        let alone = |lower: &str| {
            let lines = [upper.as_str(), lower];
            put_together(&lines)
                == lines.map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        };
        // Digits off the numbers' columns, under a 0, too many, with words after them.
        assert!(alone(&spaced(&[(15, "1"), (26, "1")])));
        assert!(alone(&spaced(&[(14, "1")])));
        assert!(alone(&spaced(&[(12, "1234")])));
        assert!(alone(&spaced(&[(12, "1 名")])));
        assert!(!alone(&spaced(&[(12, "1")])));
        assert!(!alone(&spaced(&[(2, "度办理结"), (12, "1")])));
        // The next row: as many values, or its label opening with an item number.
        assert!(alone(&spaced(&[(2, "四、结转"), (12, "1 0 0 0 0 0 1")])));
        assert!(alone(&spaced(&[(2, "2.重复申请"), (12, "1")])));
        assert!(alone(&spaced(&[(2, "二、上年结转"), (12, "1")])));
        // Two values are too few to tell a rest from the next row's value; the item
        // number in a label is no value.
        assert_eq!(
            put_together(&["  规章   12 34", "       5"]),
            ["规章 12 34", "5"]
        );
        let lines = ["  3 、不予公开  条   2   2", "  行政复议数  件   0   0"];
        assert_eq!(put_together(&lines)[0], "3 、不予公开 条 2 2");
        // Single values of rows in one column round a label's wrapped line: no row's
        // pieces (a line of words is no values line).
        let lines = [
            spaced(&[(2, "不是《条例》所指政"), (30, "个 20")]),
            spaced(&[(2, "府信息")]),
            spaced(&[(2, "法律法规规定的其他情形"), (30, "个 7")]),
        ];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[1], "府信息");
        // A piece under a blank's mark.
        let marked = spaced(&[(2, "(七)总计"), (12, "2 无 0 0 0 0 2")]);
        let lines = [marked.as_str(), "              1"];
        assert_eq!(put_together(&lines)[1], "1");
        // Pieces above a values line with none under it.
        let lines = [spaced(&[(12, "1")]), upper.clone()];
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert_eq!(put_together(&lines)[0], "1");
    }
}
