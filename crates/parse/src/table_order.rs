//! Tables whose labels and values are printed apart: text extracted from a PDF in reading
//! order (pdftotext without options, a crawler's PDF text) gives, page by page, the labels
//! of the rows the page holds and then their values, one a line. No value stands after its
//! label, so the row reader finds none; but the values come in the table's own order of
//! rows, in blocks: a row's cells one after the other, or a few rows together column by
//! column (the lines of one column's cells for those rows, a blank line, the next column's:
//! pdftotext's reading order for rows whose labels wrap). When the region's values are
//! exactly the table's cells, they are read in the form's order of rows, each block as its
//! paragraphs show it.
//!
//! Only for tables with a total in the last column: a reading in the wrong order puts
//! values under the wrong rows, and then the rows' totals do not add up. Where a block can
//! be read either way, the way more of its rows add up is taken; the reading is kept when
//! most rows add up, and its cells say how they were read (`Cell::doubt`): a finding on
//! them is the office's to check. 表四, one sequence of values, is read the same way by
//! `tables::sequence::read_sequence` when its values stand among its header's characters (printed a
//! char a line).

use crate::layout::{RowLayout, TableLayout, IGNORED_CELL};
use crate::split::RowCheck;
use crate::tables::{blank_marks, is_mark, trailing_run_start};
use crate::tables::{
    cells_in, holds, paragraph_starts, push_cell_values, to_cell, value_runs, ReadCell, Token,
};
use crate::value::{read_cell, trailing_numbers, CellValue};
use nianbao_model::{Doubt, IN_TABLE_ORDER};
use std::cmp::Ordering;

/// Rows that must add up (their total equal to the sum of the rest) for the reading to be
/// kept, as a share of the rows holding any value; or all but `ROWS_NOT_ADDING_UP` of them
/// (a report's own slips, in a table of few rows with values).
const ROWS_ADDING_UP: f64 = 0.75;
const ROWS_NOT_ADDING_UP: usize = 2;

/// The table's cells read in its order from the region's runs of values, or nothing when
/// the runs do not make the table's rows or the rows do not add up. `found` are the rows
/// whose labels the text prints (`tables::labels::match_rows`).
pub(crate) fn read_in_table_order(
    stream: &crate::stream::Stream,
    layout: &TableLayout,
    found: &[(usize, usize, usize)],
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    let Some(InOrder { keys, width, check }) = rows_in_order(layout, found) else {
        return Vec::new();
    };
    let (runs, _) = value_runs(stream, start, end, false);
    // A run shorter than a row may be no part of the table (a page number, a lone figure
    // of a note), or one column of a block of rows: read with it first, then without.
    // Either way the values must be the table's cells.
    let count = |short: bool| -> usize {
        runs.iter()
            .filter(|r| short || r.len() >= width)
            .map(Vec::len)
            .sum()
    };
    for short in [true, false] {
        if count(short) != keys.len() {
            continue;
        }
        let kept = runs.iter().filter(|r| short || r.len() >= width);
        let Some(values) = in_blocks(&paragraphs(stream, kept), width, keys.len(), check) else {
            continue;
        };
        if rows_add_up(&values, width, check) {
            return by_place(stream, &keys, values, start);
        }
    }
    let values = lines_values(stream, start, end, width, keys.len());
    match values {
        Some(values) if rows_add_up(&values, width, check) => {
            by_place(stream, &keys, values, start)
        }
        _ => Vec::new(),
    }
}

/// Every line's values, labels or not, in the order printed, when they are exactly `cells`
/// values: a browser's print of a page, its values set in the middle of tall cells, read
/// back by pdftotext's layout puts a row's values on the line of the next row's label, or
/// on a line of their own between its label's lines; the order of the values stays the
/// table's. A line of `width + 1` values whose first is a small whole number starts with
/// the item number of a label printed apart from it ("、其他" over "3 264 12 … 276"), and
/// a small whole number alone on a line is one ("、属于三类" over "开 5" over "内部事务信息
/// 0 0 …"); such numbers are left out when the values are then exactly the cells.
fn lines_values(
    stream: &crate::stream::Stream,
    start: usize,
    end: usize,
    width: usize,
    cells: usize,
) -> Option<Vec<Token>> {
    // Every line's values in one list, each line's end noted.
    let mut values: Vec<Token> = Vec::new();
    let mut line_ends: Vec<usize> = Vec::new();
    let mut line_start = start;
    for text in stream.text[start..end].split('\n') {
        for (cell, s) in cells_in(&stream.text, line_start, line_start + text.len()) {
            if !push_cell_values(cell, s, s + cell.len(), &mut values) {
                values.extend(trailing_values(cell, s, width));
            }
        }
        line_start += text.len() + 1;
        if line_ends.last() != Some(&values.len()) {
            line_ends.push(values.len());
        }
    }
    // The first value of each line that opens with an item number.
    let mut item_numbers: Vec<usize> = Vec::new();
    let mut from = 0;
    for &to in &line_ends {
        let len = to - from;
        if (len == 1 || len == width + 1) && values[from].may_be_item_number() {
            item_numbers.push(from);
        }
        from = to;
    }
    if values.len() == cells {
        return Some(values);
    }
    if item_numbers.is_empty() || values.len() - item_numbers.len() != cells {
        return None;
    }
    for &at in item_numbers.iter().rev() {
        values.remove(at);
    }
    Some(values)
}

/// The values printed at the end of a text cell, after its words: numbers, and blank marks
/// run together with them when the spaces between them were lost ("予以公开——————14":
/// six blanks and 14). Two dashes are one blank ("——") when that makes a row of `width`.
fn trailing_values(cell: &str, start: usize, width: usize) -> Vec<Token> {
    // Most cells of words end in one: no search.
    let ends_in_value = cell
        .trim_end()
        .ends_with(|c: char| c.is_ascii_digit() || c == '元' || is_mark(c));
    if !ends_in_value {
        return Vec::new();
    }
    let is_value_char = |c: char| c.is_ascii_digit() || matches!(c, ' ' | ',' | '.') || is_mark(c);
    let from = trailing_run_start(cell, is_value_char);
    // A lone mark ends words as often ("（四）无" over "法提供").
    let marks = cell[from..].chars().filter(|&c| is_mark(c)).count();
    let has_digits = cell[from..].contains(|c: char| c.is_ascii_digit());
    if marks == 0 || (marks == 1 && !has_digits) {
        let numbers = trailing_numbers(cell).into_iter();
        let token = |(value, a, b)| Token::Number {
            value,
            start: start + a,
            end: start + b,
        };
        return numbers.map(token).collect();
    }
    // Numbers run from a digit to the next space or mark; each mark is a blank, or two
    // dashes are one when that makes the row.
    let piece = &cell[from..];
    let base = start + from;
    let is_separator = |c: char| c == ' ' || is_mark(c);
    let mut tokens = Vec::new();
    let mut at = base;
    for part in piece.split_inclusive(is_separator) {
        let word = part.trim_end_matches(is_separator);
        if let CellValue::Number(value) = read_cell(word) {
            let end = at + word.len();
            tokens.push(Token::Number {
                value,
                start: at,
                end,
            });
        }
        at += part.len();
    }
    let [each, paired] = blank_marks(piece);
    let numbers = tokens.len();
    let dashes_paired = numbers + each.len() > width && numbers + paired.len() == width;
    let blanks = if dashes_paired { paired } else { each };
    tokens.extend(blanks.into_iter().map(|(s, e)| Token::Blank {
        start: base + s,
        end: base + e,
    }));
    tokens.sort_by_key(Token::start);
    tokens
}

/// The runs' values cut where a blank line stands between two of them.
fn paragraphs<'r>(
    stream: &crate::stream::Stream,
    runs: impl Iterator<Item = &'r Vec<Token>>,
) -> Vec<Vec<Token>> {
    let mut paragraphs = Vec::new();
    for run in runs.filter(|r| !r.is_empty()) {
        let mut from = 0;
        for at in paragraph_starts(stream, run).into_iter().chain([run.len()]) {
            paragraphs.push(run[from..at].to_vec());
            from = at;
        }
    }
    paragraphs
}

/// A stretch of a table's values: read as printed, or a block of rows printed column by
/// column (`columns`, each a column's values top to bottom) or row by row (`printed`).
enum Piece {
    Printed(Vec<Token>),
    Block {
        printed: Vec<Token>,
        columns: Vec<Vec<Token>>,
    },
}

/// The paragraphs' values in the table's order of rows (`cells` of them, `width` a row), or
/// `None` when they are not that many. At the start of a row, a paragraph of `h` values
/// followed by paragraphs that make `width * h` values together, each a multiple of `h`
/// (columns pdftotext joined), is a block of `h` rows. The table's blocks are read column
/// by column unless more of their rows meet the check row by row (or as many, and every
/// block's paragraphs are a row long). Every other paragraph is read row by row.
fn in_blocks(
    paragraphs: &[Vec<Token>],
    width: usize,
    cells: usize,
    check: RowCheck,
) -> Option<Vec<Token>> {
    let pieces = pieces(paragraphs, width, cells)?;
    let meeting = |v: &[Token]| v.chunks(width).filter(|r| holds(r, check)).count();
    let (mut by_columns, mut by_rows, mut row_long) = (0, 0, true);
    for piece in &pieces {
        if let Piece::Block { printed, columns } = piece {
            by_columns += meeting(&row_by_row(columns));
            by_rows += meeting(printed);
            row_long &= columns.first().map_or(0, Vec::len) == width;
        }
    }
    let columns = match by_columns.cmp(&by_rows) {
        Ordering::Equal => !row_long,
        more => more == Ordering::Greater,
    };
    let mut values = Vec::with_capacity(cells);
    for piece in pieces {
        match piece {
            Piece::Block { columns: c, .. } if columns => values.extend(row_by_row(&c)),
            Piece::Block { printed: v, .. } | Piece::Printed(v) => values.extend(v),
        }
    }
    Some(values)
}

/// The paragraphs cut into blocks of rows and values read as printed, when they hold
/// exactly `cells` values.
fn pieces(paragraphs: &[Vec<Token>], width: usize, cells: usize) -> Option<Vec<Piece>> {
    let mut pieces = Vec::new();
    let mut placed = 0usize;
    let mut i = 0;
    while i < paragraphs.len() {
        let height = paragraphs[i].len();
        let at_block = placed.is_multiple_of(width) && height > 1;
        let block = at_block
            .then(|| block_paragraphs(&paragraphs[i..], height, width))
            .flatten();
        let stairs = (at_block && block.is_none())
            .then(|| with_staircase(&paragraphs[i..], height, width))
            .flatten();
        let piece = match (block, stairs) {
            (Some(count), _) => {
                let block = &paragraphs[i..i + count];
                i += count;
                Piece::Block {
                    printed: block.concat(),
                    columns: columns_of(block, height),
                }
            }
            (None, Some((count, values))) => {
                i += count;
                Piece::Printed(values)
            }
            (None, None) => {
                i += 1;
                Piece::Printed(paragraphs[i - 1].clone())
            }
        };
        placed += match &piece {
            Piece::Block { printed, .. } | Piece::Printed(printed) => printed.len(),
        };
        if placed > cells {
            return None;
        }
        pieces.push(piece);
    }
    (placed == cells).then_some(pieces)
}

/// A block of `height` rows whose columns pdftotext printed in two parts, the rows below
/// it cut on a diagonal between them: the block's first columns; then, one value a
/// paragraph, the first `m` values of the next row, `m - 1` of the row after, … one of
/// the `m`-th (a tall block to the right, the header's, keeps the rest of those rows
/// after it); the block's other columns; then the rest of those `m` rows in the same
/// order. The paragraphs it takes and its rows' values in the table's order, when the
/// paragraphs make exactly that.
fn with_staircase(
    paragraphs: &[Vec<Token>],
    height: usize,
    width: usize,
) -> Option<(usize, Vec<Token>)> {
    let is_columns = |p: &Vec<Token>| p.len() > 1 && p.len().is_multiple_of(height);
    let mut k = 0;
    let mut columns: Vec<Vec<Token>> = Vec::new();
    let take_columns = |k: &mut usize, columns: &mut Vec<Vec<Token>>| {
        while *k < paragraphs.len() && is_columns(&paragraphs[*k]) && columns.len() < width {
            columns.extend(columns_of(&paragraphs[*k..=*k], height));
            *k += 1;
        }
    };
    let take_singles = |k: &mut usize, wanted: usize| {
        let mut singles = Vec::new();
        while *k < paragraphs.len() && paragraphs[*k].len() == 1 && singles.len() < wanted {
            singles.push(paragraphs[*k][0].clone());
            *k += 1;
        }
        singles
    };
    take_columns(&mut k, &mut columns);
    let left_columns = columns.len();
    let leading = take_singles(&mut k, usize::MAX);
    // `leading` is m + (m - 1) + … + 1 values, the diagonal no further right than the
    // columns printed before it.
    let m = (1..=left_columns).find(|m| m * (m + 1) / 2 == leading.len())?;
    take_columns(&mut k, &mut columns);
    if columns.len() != width {
        return None;
    }
    let rest = take_singles(&mut k, m * width - leading.len());
    if rest.len() != m * width - leading.len() {
        return None;
    }
    let mut values = row_by_row(&columns);
    let (mut leading, mut rest) = (leading.into_iter(), rest.into_iter());
    for row in 0..m {
        let first = m - row;
        values.extend(leading.by_ref().take(first));
        values.extend(rest.by_ref().take(width - first));
    }
    Some((k, values))
}

/// How many paragraphs from the first make a block of `height` rows: `width * height`
/// values, each paragraph a whole number of columns.
fn block_paragraphs(paragraphs: &[Vec<Token>], height: usize, width: usize) -> Option<usize> {
    let mut values = 0;
    for (count, paragraph) in paragraphs.iter().enumerate() {
        if !paragraph.len().is_multiple_of(height) {
            return None;
        }
        values += paragraph.len();
        if values == width * height {
            return Some(count + 1);
        }
        if values > width * height {
            return None;
        }
    }
    None
}

/// A block's columns from its paragraphs of `height` values each column: a paragraph of
/// several columns (pdftotext joins narrow ones) gives a row's values of them, then the
/// next row's.
fn columns_of(paragraphs: &[Vec<Token>], height: usize) -> Vec<Vec<Token>> {
    let mut columns = Vec::new();
    for paragraph in paragraphs {
        let count = paragraph.len() / height;
        for column in 0..count {
            let values = (0..height).map(|row| paragraph[row * count + column].clone());
            columns.push(values.collect());
        }
    }
    columns
}

/// A block's values row by row from its columns.
fn row_by_row(columns: &[Vec<Token>]) -> Vec<Token> {
    let height = columns.first().map_or(0, Vec::len);
    (0..height)
        .flat_map(|row| columns.iter().map(move |column| column[row].clone()))
        .collect()
}

/// The cells of `keys` read from `values` by their place, one after the other, each saying
/// so (`IN_TABLE_ORDER`); a column read but not kept (`IGNORED_CELL`) is left out.
pub(crate) fn by_place(
    stream: &crate::stream::Stream,
    keys: &[&'static str],
    values: Vec<Token>,
    start: usize,
) -> Vec<ReadCell> {
    keys.iter()
        .zip(values)
        .filter(|(key, _)| **key != IGNORED_CELL)
        .map(|(key, token)| {
            let mut cell = to_cell(stream, key, Some(token), start);
            cell.recovered = Some(IN_TABLE_ORDER.to_string());
            cell.doubt = Some(Box::new(Doubt::InTableOrder));
            cell
        })
        .collect()
}

/// The keys of a table read in order, a row's width and what its rows meet.
struct InOrder {
    keys: Vec<&'static str>,
    width: usize,
    check: RowCheck,
}

/// How a table is read in order, when every row of values holds as many cells and its
/// rows can be checked: a form's rows all, in the form's order, when the last column is
/// their total (表三); the rows whose labels the text prints, in its order, when a row's
/// values never decrease (本年度 ≤ 历年累计, the old tables whose rows vary by year).
fn rows_in_order(layout: &TableLayout, found: &[(usize, usize, usize)]) -> Option<InOrder> {
    let (rows, check): (Vec<&RowLayout>, RowCheck) = match layout.split {
        _ if layout.total_last => (layout.rows.iter().collect(), RowCheck::Total),
        RowCheck::Ascending => (
            found.iter().map(|m| &layout.rows[m.0]).collect(),
            RowCheck::Ascending,
        ),
        _ => return None,
    };
    let rows: Vec<&RowLayout> = rows.into_iter().filter(|r| !r.cells.is_empty()).collect();
    let width = rows.first()?.cells.len();
    let fewest = match check {
        RowCheck::Total => 3,
        _ => 2,
    };
    let uniform = width >= fewest && rows.iter().all(|r| r.cells.len() == width);
    uniform.then(|| InOrder {
        keys: rows.iter().flat_map(|r| r.cells.iter().copied()).collect(),
        width,
        check,
    })
}

/// Whether most rows holding a value meet the check.
fn rows_add_up(values: &[Token], width: usize, check: RowCheck) -> bool {
    let (mut rows, mut adding_up) = (0usize, 0usize);
    for row in values.chunks(width) {
        // All zero, or no part printed (blank marks and a total): nothing to tell by.
        let unprinted = |t: &Token| matches!(t, Token::Blank { .. });
        if row.iter().all(|t| t.amount() == 0.0) || row[..width - 1].iter().all(unprinted) {
            continue;
        }
        rows += 1;
        adding_up += usize::from(holds(row, check));
    }
    adding_up as f64 >= ROWS_ADDING_UP * rows as f64 || rows - adding_up <= ROWS_NOT_ADDING_UP
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::layout::layouts;
    use crate::stream::Stream;
    use crate::tables::{read_tables, ReadCell};
    use nianbao_model::{Doubt, Era, TableId, IN_TABLE_ORDER};

    /// 表三's row labels on the 2021 form, as a PDF's cells print them.
    const LABELS: [&str; 29] = [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
    ];

    /// Rows of values, seven a row, the last the sum of the others.
    fn rows(count: usize) -> Vec<[u32; 7]> {
        (0..count as u32)
            .map(|i| {
                let parts = [i % 5 + 1, (i * 3) % 4, 0, i % 2, 0, i % 3];
                let mut row = [0; 7];
                row[..6].copy_from_slice(&parts);
                row[6] = parts.iter().sum();
                row
            })
            .collect()
    }

    /// 表三's heading and column header as pdftotext prints them in reading order.
    const HEADER: &str =
        "三、收到和处理政府信息公开申请情况\n（本列数据的勾稽关系为：第一项加第二项之和，\
        等于第三项加第四项之和）\n申请人情况\n自然人\n法人或其他组织\n商业企业\n科研机构\n\
        社会公益组织\n法律服务机构\n其他\n总计\n";

    /// The table as pdftotext prints it in reading order: the header, then per page the
    /// labels of its rows and their values, one a line with a blank line between.
    fn extracted(values: &[u32], page_break_after_label: usize) -> String {
        let mut text = String::from(HEADER);
        // Label rows without cells (（三）不予公开 …) come before the page's break too.
        let value_rows_before = LABELS[..page_break_after_label]
            .iter()
            .filter(|l| {
                !["（三）", "（四）", "（五）", "（六）"]
                    .iter()
                    .any(|h| l.starts_with(h))
            })
            .count();
        let (first, rest) = values.split_at(value_rows_before * 7);
        for (labels, values) in [
            (&LABELS[..page_break_after_label], first),
            (&LABELS[page_break_after_label..], rest),
        ] {
            for label in labels {
                text.push_str(label);
                text.push('\n');
            }
            for value in values {
                text.push_str(&format!("\n{value}\n"));
            }
            text.push('\u{c}');
        }
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        text
    }

    /// The table as pdftotext prints it in reading order when some rows' labels wrap: all
    /// the labels, then the values block by block (`blocks`, rows a block), a block of one
    /// row a value a paragraph, a longer one column by column, a column's values on lines
    /// of their own and a blank line after them.
    fn extracted_in_blocks(rows: &[[u32; 7]], blocks: &[usize]) -> String {
        let mut text = String::from(HEADER);
        for label in LABELS {
            text.push_str(label);
            text.push('\n');
        }
        let mut from = 0;
        for &height in blocks {
            let block = &rows[from..from + height];
            from += height;
            for column in 0..7 {
                text.push('\n');
                for row in block {
                    text.push_str(&format!("{}\n", row[column]));
                }
            }
        }
        assert_eq!(from, rows.len(), "blocks cover the rows");
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        text
    }

    /// The cells of table `id` read from a text file's text.
    fn read_table(text: &str, id: TableId) -> Vec<ReadCell> {
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).expect("text");
        let stream = Stream::build(&doc, 0, doc.text.len());
        read_tables(&stream, &[], Some(Era::Y2021), &[])
            .into_iter()
            .filter(|t| t.id == id)
            .flat_map(|t| t.cells)
            .collect()
    }

    /// Rows of values for every row of 表三's 2021 form.
    pub(crate) fn t3_rows() -> Vec<[u32; 7]> {
        rows(t3_keys().len() / 7)
    }

    /// The values read, in order.
    fn values_read(cells: &[ReadCell]) -> Vec<Option<f64>> {
        cells.iter().map(|c| c.value).collect()
    }

    /// The rows' values, in order, as read.
    fn values_of(rows: &[[u32; 7]]) -> Vec<Option<f64>> {
        rows.iter().flatten().map(|&v| Some(f64::from(v))).collect()
    }

    /// Whether every cell says it was read by its place in the form's order.
    fn all_in_table_order(cells: &[ReadCell]) -> bool {
        cells
            .iter()
            .all(|c| c.doubt.as_deref() == Some(&Doubt::InTableOrder))
    }

    /// Whether no cell says it was read by its place in the form's order.
    fn none_in_table_order(cells: &[ReadCell]) -> bool {
        cells.iter().all(|c| {
            c.doubt.as_deref() != Some(&Doubt::InTableOrder)
                && c.recovered.as_deref() != Some(IN_TABLE_ORDER)
        })
    }

    pub(crate) fn t3_keys() -> Vec<&'static str> {
        let layout = layouts()
            .iter()
            .find(|l| l.id == TableId::T3 && l.era == Some(Era::Y2021))
            .expect("2021 表三");
        layout
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().copied())
            .collect()
    }

    #[test]
    fn values_printed_apart_from_their_labels_are_read_in_the_forms_order() {
        let keys = t3_keys();
        let rows = rows(keys.len() / 7);
        let values: Vec<u32> = rows.iter().flatten().copied().collect();
        let cells = read_table(&extracted(&values, 13), TableId::T3);
        let read: Vec<(&str, Option<f64>)> = cells.iter().map(|c| (c.key, c.value)).collect();
        let expected: Vec<(&str, Option<f64>)> = keys
            .iter()
            .zip(&values)
            .map(|(k, v)| (*k, Some(f64::from(*v))))
            .collect();
        assert_eq!(read, expected);
        assert!(all_in_table_order(&cells));
    }

    #[test]
    fn values_in_another_order_or_not_whole_rows_are_not_read_in_order() {
        let rows = t3_rows();
        // Column after column: the rows no longer add up.
        let by_columns: Vec<u32> = (0..7)
            .flat_map(|c| rows.iter().map(move |r| r[c]))
            .collect();
        // A page number printed with the values: a run that is not whole rows.
        let mut with_page_number: Vec<u32> = rows.iter().flatten().copied().collect();
        with_page_number.insert(13 * 7, 2);
        for values in [by_columns, with_page_number] {
            let cells = read_table(&extracted(&values, 13), TableId::T3);
            assert!(none_in_table_order(&cells), "{values:?}");
        }
    }

    #[test]
    fn rows_printed_a_few_together_column_by_column_are_read_by_their_columns() {
        let rows = t3_rows();
        let mut blocks = vec![1, 1, 2];
        blocks.extend(std::iter::repeat_n(1, rows.len() - 7));
        blocks.push(3);
        let cells = read_table(&extracted_in_blocks(&rows, &blocks), TableId::T3);
        assert_eq!(values_read(&cells), values_of(&rows));
        assert!(all_in_table_order(&cells));
    }

    /// Whether a label of `LABELS` heads a row of cells (not （三）不予公开 and the like).
    fn has_cells(label: &str) -> bool {
        !["（三）", "（四）", "（五）", "（六）"]
            .iter()
            .any(|h| label.starts_with(h))
    }

    /// The table as pdftotext lays out a browser's print of it: a row a line, its values
    /// after its label, except rows `from..to` (of those with cells), whose values stand
    /// centred in tall cells: each on the line of the next row's label, the last on a line
    /// of its own.
    pub(crate) fn laid_out_shifted(rows: &[[u32; 7]], from: usize, to: usize) -> String {
        let line = |row: &[u32; 7]| row.map(|v| v.to_string()).join("  ");
        let mut text = String::from(
            "三、收到和处理政府信息公开申请情况\n申请人情况\n\
             自然人  商业企业  科研机构  社会公益组织  法律服务机构  其他  总计\n",
        );
        let mut k = 0;
        for label in LABELS {
            text.push_str(label);
            if has_cells(label) {
                let shown = match k {
                    k if k < from || k >= to => Some(&rows[k]),
                    k if k > from => Some(&rows[k - 1]),
                    _ => None,
                };
                if let Some(row) = shown {
                    text.push_str(&format!("      {}", line(row)));
                }
                if k + 1 == to {
                    text.push_str(&format!("\n          {}", line(&rows[k])));
                }
                k += 1;
            }
            text.push('\n');
        }
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        text
    }

    #[test]
    fn values_set_below_their_labels_are_read_in_the_forms_order() {
        let rows = t3_rows();
        // 本机关不掌握相关政府信息 … 信访举报投诉类申请: rows 12 to 15 of those with cells.
        let text = laid_out_shifted(&rows, 12, 16);
        let cells = read_table(&text, TableId::T3);
        assert_eq!(values_read(&cells), values_of(&rows));
        assert!(all_in_table_order(&cells));
        // Item numbers printed apart from their labels: opening the last one's values'
        // line, and on a line of their own.
        let own_line = rows[15].map(|v| v.to_string()).join("  ");
        let apart = text
            .replace("1.信访举报投诉类申请", "、信访举报投诉类申请")
            .replace("4.保护第三方合法权益", "、保护第三方\n予公开 4\n合法权益")
            .replace(
                &format!("\n          {own_line}"),
                &format!("\n1         {own_line}"),
            );
        assert_ne!(apart, text);
        let cells = read_table(&apart, TableId::T3);
        assert_eq!(values_read(&cells), values_of(&rows));
        // Blanks printed as dashes, run together with the total once spaces were lost: a
        // dash a blank, or two ("——") when that makes the row's cells.
        let granted = rows[2].map(|v| v.to_string()).join("  ");
        for dashes in ["——————", "————————————"] {
            let marked = text.replace(
                &format!("（一）予以公开      {granted}"),
                &format!("（一）予以公开{dashes}{}", rows[2][6]),
            );
            assert_ne!(marked, text);
            let mut expected = values_of(&rows);
            expected[14..20].fill(None);
            assert_eq!(values_read(&read_table(&marked, TableId::T3)), expected);
        }
        // A value not printed (a blank left empty): which value is whose is not known, and
        // nothing is read by the form's order.
        let mut missing = rows.clone();
        missing[20][3] = 0;
        let shifted = laid_out_shifted(&missing, 12, 16);
        let text = shifted.replacen(
            &format!("{}  0  {}", missing[20][2], missing[20][4]),
            &format!("{}  {}", missing[20][2], missing[20][4]),
            1,
        );
        assert_ne!(text, shifted);
        assert!(none_in_table_order(&read_table(&text, TableId::T3)));
    }

    #[test]
    fn rows_a_paragraph_each_are_read_as_rows_not_as_a_blocks_columns() {
        let rows = t3_rows();
        // Seven rows of seven, a blank line after each: shaped as a block of seven rows
        // printed column by column too, but only read by rows do they add up.
        let mut text = String::from(HEADER);
        for label in LABELS {
            text.push_str(label);
            text.push('\n');
        }
        for row in &rows {
            text.push('\n');
            for value in row {
                text.push_str(&format!("{value}\n"));
            }
        }
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        let cells = read_table(&text, TableId::T3);
        assert_eq!(values_read(&cells), values_of(&rows));
    }

    #[test]
    fn a_report_with_few_rows_of_values_two_not_adding_up_is_still_read_in_order() {
        let keys = t3_keys();
        // Four rows with values, two of them the report's slips (a total left at 0).
        let count = keys.len() / 7;
        let mut rows = vec![[0; 7]; count];
        rows[0] = [8, 0, 0, 0, 0, 1, 9];
        rows[3] = [1, 0, 0, 0, 0, 0, 0];
        rows[count - 2] = [1, 0, 0, 0, 0, 0, 0];
        rows[count - 1] = [7, 0, 0, 0, 0, 1, 8];
        let values: Vec<u32> = rows.iter().flatten().copied().collect();
        let cells = read_table(&extracted(&values, 13), TableId::T3);
        let read: Vec<Option<f64>> = cells.iter().map(|c| c.value).collect();
        let expected: Vec<Option<f64>> = values.iter().map(|&v| Some(f64::from(v))).collect();
        assert_eq!(read, expected);
    }

    /// A Fujian 统计表 (本年度 and 历年累计, rows varying by year) as pdftotext prints it in
    /// reading order: the labels and units, then the values two rows at a time, the year's
    /// column and then the total to date, a blank line after each.
    fn old_table_in_blocks(rows: &[(&str, u32, u32)]) -> String {
        let mut text = String::from("附表：2015年政府信息公开工作统计表\n指标名称\n");
        for (label, _, _) in rows {
            text.push_str(&format!("{label}\n条\n"));
        }
        text.push_str("计量单位\n2015年度\n");
        for pair in rows.chunks(2) {
            for column in [0, 1] {
                for (_, year, to_date) in pair {
                    text.push_str(&format!("{}\n", [year, to_date][column]));
                }
                text.push('\n');
            }
        }
        text.push_str("历年累计\n平潭综合实验区管委会\n");
        text
    }

    #[test]
    fn an_old_table_of_the_rows_printed_is_read_two_rows_at_a_time() {
        let rows = [
            ("主动公开文件数", 120, 900),
            ("其中：1.政府网站公开数", 100, 700),
            ("2.政府公报公开数", 20, 200),
            ("受理政府信息依申请公开总数", 15, 80),
            ("其中：1.当面申请数", 5, 30),
            ("2.网上申请数", 10, 50),
        ];
        let doc = nianbao_ingest::from_bytes("t.txt", old_table_in_blocks(&rows).as_bytes())
            .expect("text");
        let stream = Stream::build(&doc, 0, doc.text.len());
        let cells: Vec<ReadCell> = read_tables(&stream, &[], Some(Era::Pre2019), &[])
            .into_iter()
            .filter(|t| t.id == TableId::Old)
            .flat_map(|t| t.cells)
            .collect();
        let read: Vec<(&str, Option<f64>)> = cells.iter().map(|c| (c.key, c.value)).collect();
        let keys = [
            "old.active.total",
            "old.channels.website",
            "old.channels.gazette",
            "old.apply.received",
            "old.apply.in_person",
            "old.apply.online",
        ];
        let expected: Vec<(&str, Option<f64>)> = keys
            .iter()
            .zip(&rows)
            .map(|(key, (_, year, _))| (*key, Some(f64::from(*year))))
            .collect();
        assert_eq!(read, expected);
        assert!(all_in_table_order(&cells));
    }

    /// 表三 in reading order as pdftotext prints a first block of three rows beside the
    /// header's tall block: the block's first two columns, its next three joined (a row's
    /// three values, then the next row's), the next four rows' first 4, 3, 2 and 1 values
    /// a paragraph each, a header's lines, the block's last two columns, then the rest of
    /// those four rows and every other row a value a paragraph.
    fn extracted_with_staircase(rows: &[[u32; 7]]) -> String {
        let mut text = String::from(HEADER);
        for label in LABELS {
            text.push_str(label);
            text.push('\n');
        }
        let paragraph = |text: &mut String, values: &[u32]| {
            text.push('\n');
            for value in values {
                text.push_str(&format!("{value}\n"));
            }
        };
        let block = &rows[..3];
        for column in 0..2 {
            let values: Vec<u32> = block.iter().map(|row| row[column]).collect();
            paragraph(&mut text, &values);
        }
        let joined: Vec<u32> = block.iter().flat_map(|row| row[2..5].to_vec()).collect();
        paragraph(&mut text, &joined);
        let stairs = &rows[3..7];
        for (k, row) in stairs.iter().enumerate() {
            for value in &row[..4 - k] {
                paragraph(&mut text, &[*value]);
            }
        }
        text.push_str("申请人情况\n其他\n总计\n");
        for column in 5..7 {
            let values: Vec<u32> = block.iter().map(|row| row[column]).collect();
            paragraph(&mut text, &values);
        }
        for (k, row) in stairs.iter().enumerate() {
            for value in &row[4 - k..] {
                paragraph(&mut text, &[*value]);
            }
        }
        for value in rows[7..].iter().flatten() {
            paragraph(&mut text, &[*value]);
        }
        text.push_str("四、政府信息公开行政复议、行政诉讼情况\n");
        text
    }

    #[test]
    fn a_block_beside_the_headers_block_and_the_rows_cut_on_a_diagonal_are_read() {
        let mut rows = t3_rows();
        // The joined columns' values differ by row and column: read column by column they
        // would not add up.
        rows[..3].copy_from_slice(&[
            [5, 1, 2, 0, 3, 1, 12],
            [4, 0, 0, 6, 0, 2, 12],
            [1, 2, 3, 4, 5, 6, 21],
        ]);
        let cells = read_table(&extracted_with_staircase(&rows), TableId::T3);
        assert_eq!(values_read(&cells), values_of(&rows));
        assert!(all_in_table_order(&cells));
    }

    /// 表四 as pdftotext prints it in reading order: its header's characters a line each,
    /// the values among them.
    fn extracted_t4(values: &[&str]) -> String {
        extracted_t4_under("四、政府信息公开行政复议、行政诉讼情况", values)
    }

    /// 表四 in reading order under the part's heading `heading`.
    fn extracted_t4_under(heading: &str, values: &[&str]) -> String {
        let mut text = format!("{heading}\n行政复议\n行政诉讼\n");
        for c in "结果维持结果纠正其他结果尚未审结总计".chars() {
            text.push_str(&format!("{c}\n"));
        }
        let (review, suits) = values.split_at(5.min(values.len()));
        for value in review {
            text.push_str(&format!("\n{value}\n"));
        }
        for (i, value) in suits.iter().enumerate() {
            if i % 5 == 1 {
                text.push_str("未经复议直接起诉\n结\n其\n尚\n果\n他\n未\n");
            }
            text.push_str(&format!("\n{value}\n"));
        }
        text.push_str("五、存在的主要问题及改进情况\n");
        text
    }

    #[test]
    fn a_sequence_spread_among_its_headers_characters_is_read_in_order() {
        let values: Vec<String> = (1..=15).map(|v| v.to_string()).collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let cells = read_table(&extracted_t4(&values), TableId::T4);
        let read: Vec<Option<f64>> = cells.iter().map(|c| c.value).collect();
        let expected: Vec<Option<f64>> = (1..=15).map(|v| Some(f64::from(v))).collect();
        assert_eq!(read, expected);
        assert!(all_in_table_order(&cells));
        // One value more than the table's cells: which is not the table's is unknown.
        let mut more = values.clone();
        more.push("16");
        let cells = read_table(&extracted_t4(&more), TableId::T4);
        assert!(none_in_table_order(&cells));
    }

    #[test]
    fn a_sequence_under_the_2021_forms_heading_is_read_from_its_header() {
        // The heading names 行政复议 and 行政诉讼 apart: the table is found by its header's
        // two cells, not by 未经复议直接起诉 after the first five values.
        let values: Vec<String> = (1..=15).map(|v| v.to_string()).collect();
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let heading = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况";
        let cells = read_table(&extracted_t4_under(heading, &values), TableId::T4);
        let read: Vec<Option<f64>> = cells.iter().map(|c| c.value).collect();
        let expected: Vec<Option<f64>> = (1..=15).map(|v| Some(f64::from(v))).collect();
        assert_eq!(read, expected);
    }
}
