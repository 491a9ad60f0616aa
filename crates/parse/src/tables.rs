//! The table recogniser: finds each table in the cell stream, picks the layout whose
//! labels fit, matches row labels in order and fits the values after each label into the
//! row's cells.

use crate::layout::{layouts, RowLayout, TableLayout};
use crate::stream::Stream;
use crate::value::{read_cell, CellValue};
use nianbao_model::{Era, TableId};

/// A cell as read from the stream: the value and the stream range it was printed at.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadCell {
    pub key: String,
    pub value: Option<f64>,
    pub raw: String,
    pub start: usize,
    pub end: usize,
}

/// A table as found: which one, the era of its labels, its stream range and its cells.
#[derive(Debug)]
pub struct ReadTable {
    pub id: TableId,
    pub era: Option<Era>,
    pub start: usize,
    pub cells: Vec<ReadCell>,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
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
}

/// Reads every table of the stream. `boundaries` are stream positions where a table
/// cannot continue (section headings); `year_era` breaks ties between layouts.
pub fn read_tables(stream: &Stream, boundaries: &[usize], year_era: Option<Era>) -> Vec<ReadTable> {
    let mut tables = Vec::new();
    let mut after = 0;
    for id in [TableId::T2, TableId::T3, TableId::T4] {
        let candidates: Vec<&TableLayout> = layouts().iter().filter(|l| l.id == id).collect();
        let Some((start, end)) = region(stream, &candidates, after, boundaries) else {
            continue;
        };
        if let Some(table) = read_region(stream, &candidates, start, end, year_era) {
            after = table.start;
            tables.push(table);
        }
    }
    if !tables.iter().any(|t| t.id == TableId::T3) {
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
    let anchor = candidates.first()?.anchor.find_at(&stream.text, after)?;
    let start = anchor.start();
    let id = candidates[0].id;
    let next_table = layouts()
        .iter()
        .filter(|l| l.id > id && l.id != TableId::Old)
        .filter_map(|l| l.anchor.find_at(&stream.text, anchor.end()))
        .map(|m| m.start())
        .min();
    let next_boundary = boundaries.iter().copied().find(|&b| b > start);
    let end = [next_table, next_boundary, Some(stream.text.len())]
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
    let cells = if layout.sequence.is_empty() {
        read_rows(stream, layout, start, end)
    } else {
        read_sequence(stream, layout, start, end)
    };
    if cells.is_empty() {
        return None;
    }
    Some(ReadTable {
        id: layout.id,
        era: layout.era,
        start,
        cells,
    })
}

/// The layout whose era markers occur most; ties go to the year's era, then to the first.
fn choose_layout<'a>(
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

/// Matches row labels in order (a row may be missing; none is matched out of order).
fn match_rows(
    text: &str,
    rows: &[RowLayout],
    start: usize,
    end: usize,
) -> Vec<(usize, usize, usize)> {
    let haystack = &text[..end];
    let mut found = Vec::new();
    let mut pos = start;
    let mut next_row = 0;
    loop {
        let best = (next_row..rows.len())
            .filter_map(|i| rows[i].label.find_at(haystack, pos).map(|m| (i, m)))
            .min_by_key(|(i, m)| (m.start(), *i));
        let Some((i, m)) = best else { break };
        found.push((i, m.start(), m.end()));
        pos = m.end().max(pos + 1).min(end);
        next_row = i + 1;
        if pos >= end {
            break;
        }
    }
    found
}

fn read_rows(stream: &Stream, layout: &TableLayout, start: usize, end: usize) -> Vec<ReadCell> {
    let matches = match_rows(&stream.text, &layout.rows, start, end);
    let mut cells = Vec::new();
    for (k, &(row_index, _, label_end)) in matches.iter().enumerate() {
        let row = &layout.rows[row_index];
        if row.cells.is_empty() {
            continue;
        }
        let next_label = matches.get(k + 1).map(|m| m.1);
        let slice_end = next_label.unwrap_or(end);
        let tokens = value_tokens(
            stream,
            label_end,
            slice_end,
            next_label.is_some(),
            row.cells.len(),
        );
        let fitted = fit(tokens, row.cells.len(), layout.total_last);
        for (key, token) in row.cells.iter().zip(fitted) {
            cells.push(to_cell(stream, key, token, label_end));
        }
    }
    cells
}

/// `label_end`: where the row's label ends; a cell not printed at all is placed on the
/// label's last character.
fn to_cell(stream: &Stream, key: &str, token: Option<Token>, label_end: usize) -> ReadCell {
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
        key: key.to_string(),
        value,
        raw: stream.text[start..end].to_string(),
        start,
        end,
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
    let slice = &stream.text[from..to];
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
    tokens
}

/// Fits the tokens after a label into `n` cells (None = not printed at all).
fn fit(tokens: Vec<Token>, n: usize, total_last: bool) -> Vec<Option<Token>> {
    let numbers: Vec<Token> = tokens.iter().filter(|t| t.is_number()).cloned().collect();
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

/// Tables printed as one run of numbers (表四): the last run of values in the region.
fn read_sequence(stream: &Stream, layout: &TableLayout, start: usize, end: usize) -> Vec<ReadCell> {
    let mut runs: Vec<Vec<Token>> = vec![Vec::new()];
    let mut offset = start;
    for row in stream.text[start..end].split('\n') {
        let mut cell_start = offset;
        for cell in row.split('\t') {
            let (s, e) = (cell_start, cell_start + cell.len());
            cell_start = e + 1;
            match read_cell(cell) {
                CellValue::Number(value) => runs.last_mut().into_iter().for_each(|r| {
                    r.push(Token::Number {
                        value,
                        start: s,
                        end: e,
                    })
                }),
                CellValue::Blank if !cell.is_empty() => runs
                    .last_mut()
                    .into_iter()
                    .for_each(|r| r.push(Token::Blank { start: s, end: e })),
                CellValue::Blank => {}
                CellValue::Text => runs.push(Vec::new()),
            }
        }
        offset += row.len() + 1;
    }
    let n = layout.sequence.len();
    let Some(run) = runs
        .iter()
        .rev()
        .find(|r| r.iter().filter(|t| t.is_number()).count() >= n.min(5))
    else {
        return Vec::new();
    };
    let fitted = fit(run.clone(), n, false);
    layout
        .sequence
        .iter()
        .zip(fitted)
        .map(|(key, token)| to_cell(stream, key, token, start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Vec<ReadTable> {
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        let stream = Stream::build(&doc, 0, doc.text.len());
        read_tables(&stream, &[], Some(Era::Y2019))
    }

    fn value(tables: &[ReadTable], key: &str) -> Option<Option<f64>> {
        tables
            .iter()
            .flat_map(|t| &t.cells)
            .find(|c| c.key == key)
            .map(|c| c.value)
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
    }

    #[test]
    fn era_from_labels_not_year() {
        let t = read("第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0\n行政规范性文件\t8\t0\t8\n");
        assert_eq!(t[0].era, Some(Era::Y2021));
        assert_eq!(value(&t, "t2.normative.in_force"), Some(Some(8.0)));
    }
}
