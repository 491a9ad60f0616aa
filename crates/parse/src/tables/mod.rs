//! The table recogniser: finds each table in the cell stream, picks the layout whose
//! labels fit, matches row labels in order and fits the values after each label into the
//! row's cells.
//!
//! This module finds the tables' regions and layouts and chooses how each is read; `labels`
//! finds the rows' labels, `rows` reads a table row by row (`row_values`: the values after
//! one label; `tokens`: the stream's value tokens made cells), `lines` a table printed a row
//! a line, `sequence` a table printed as one run of numbers.

mod labels;
mod lines;
mod printed;
mod row_values;
mod rows;
mod sequence;
mod tokens;

use crate::layout::{distinct_anchors, layouts, TableLayout, IGNORED_CELL};
use crate::read::{CellRead, TableRead};
use crate::split::RowCheck;
use crate::stream::Stream;
use labels::match_rows;
use nianbao_model::{Doubt, Era, ReadMethod, TableId, BLANK_MAY_BE_ELSEWHERE};
use rows::read_rows;
use sequence::read_sequence;

// What the crate's other readers share with this one (values under their headers, tables in
// the form's order, the choice among cuts of run-together digits).
pub(crate) use printed::{blank_marks, is_chinese_numeral, is_han, is_mark, trailing_run_start};
pub(crate) use row_values::RowRead;
pub(crate) use rows::{amount_in_wan_yuan, header_before_in_yuan, header_in_yuan};
pub(crate) use tokens::{cells_in, push_cell_values, to_cell, value_runs};

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
    /// Why the reading of the cell is uncertain, if it is.
    /// Boxed: most cells have none, and cells are moved from reader to report.
    pub doubt: Option<Box<Doubt>>,
    pub method: ReadMethod,
}

/// What a reader notes on cells it read a way it cannot check: the note's words (shown by
/// `extract`) and the doubt that makes findings on the cells ask for review.
#[derive(Debug, Clone)]
pub(crate) struct Doubted {
    pub note: String,
    pub doubt: Doubt,
}

impl ReadCell {
    /// Notes that the cell was read as `doubted` says.
    pub(crate) fn doubted(&mut self, doubted: &Doubted) {
        self.recovered = Some(doubted.note.clone());
        self.doubt = Some(Box::new(doubted.doubt.clone()));
    }

    /// The same, unless the cell has a note already.
    pub(crate) fn doubted_unless_noted(&mut self, doubted: &Doubted) {
        if self.recovered.is_none() {
            self.doubted(doubted);
        }
    }
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
                    doubt: c.doubt,
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
    pub(crate) fn is_number(&self) -> bool {
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

    /// Whether it may be a row label's item number printed apart from the label: a whole
    /// number from 1 to 20.
    pub(crate) fn may_be_item_number(&self) -> bool {
        let item_numbers = 1.0..=f64::from(printed::MAX_ITEM_NUMBER);
        matches!(self, Token::Number { value, .. } if value.fract() == 0.0 && item_numbers.contains(value))
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
    let doubted = Doubted {
        note: format!(
            "{} of the table's {wanted} cells found, {valued} with a value: {BLANK_MAY_BE_ELSEWHERE}",
            cells.len()
        ),
        doubt: Doubt::BlankMayBeElsewhere {
            found: cells.len(),
            wanted,
        },
    };
    for cell in cells.iter_mut().filter(|c| c.value.is_none()) {
        cell.doubted_unless_noted(&doubted);
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
    // Each candidate scored once: its markers are searched over the whole text.
    let scores: Vec<usize> = candidates
        .iter()
        .map(|l| l.markers.iter().filter(|m| m.is_match(text)).count())
        .collect();
    let best = *scores.iter().max()?;
    let tied: Vec<&TableLayout> = candidates
        .iter()
        .zip(&scores)
        .filter(|(_, score)| **score == best)
        .map(|(l, _)| *l)
        .collect();
    tied.iter()
        .find(|l| l.era.is_some() && l.era == year_era)
        .or(tied.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use super::{labels::*, printed::*, row_values::*, tokens::*};
    use crate::column_wraps::{BLOCKS_NOTE, SUMMED_NOTE};
    use crate::layout::Pattern;
    use nianbao_model::PLACED_IN_ORDER;

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

    /// Laid-out text of a browser's print: a label wrapped over two lines, one cell's value
    /// beside its first line and the others' beside its second. The columns, not the
    /// lines, give the cells' order.
    #[test]
    fn values_of_a_row_staggered_over_its_label_lines_are_read_by_column() {
        let header = "      第二十条第（五）项\n\
                      信息内容         上一年项目数量        本年增/减              处理决定数量\n";
        let staggered = "      行政许可         244            增35                2888\n\
                         \x20     其他对外管                       增219\n\
                         \x20     理服务事项        1565                              60732\n";
        let t = read(&format!("{header}{staggered}"));
        assert_eq!(value(&t, "t2.license.prev_items"), Some(Some(244.0)));
        assert_eq!(value(&t, "t2.other_service.prev_items"), Some(Some(1565.0)));
        assert_eq!(value(&t, "t2.other_service.delta"), Some(Some(219.0)));
        assert_eq!(value(&t, "t2.other_service.decisions"), Some(Some(60732.0)));
        // Values on a line that starts under the label are no cells beside the line
        // before's: the order they were printed in stands.
        let wrapped = "      行政许可         244            增35                2888\n\
                       \x20     其他对外管理服务事项    1565\n\
                       增219        60732\n\
                       \x20     第二十条第（六）项\n\
                       信息内容         上一年项目数量        本年增/减              处理决定数量\n\
                       \x20     行政处罚         140            增7                 147\n";
        let t = read(&format!("{header}{wrapped}"));
        assert_eq!(value(&t, "t2.other_service.delta"), Some(Some(219.0)));
        assert_eq!(value(&t, "t2.other_service.decisions"), Some(Some(60732.0)));
    }

    /// The table's last row, its amount wrapped under its line ("135  万元" over
    /// "7,539.443252"): its values end where the table does, not with the report, whose
    /// later numbers made the row look run together ("135" was cut into 1 and 35).
    #[test]
    fn the_last_rows_values_end_with_the_table() {
        let t = read(
            "第二十条第（八）项\n信息内容 上一年项目数量 本年增/减\n行政事业性收费 35 0\n\
             第二十条第（九）项\n信息内容     采购项目数量          采购总金额（万元）\n\
             政府集中采购      135                    万元\n\
             \x20                             7,539.443252\n\
             三、收到和处理政府信息公开申请情况\n\
             一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n",
        );
        assert_eq!(value(&t, "t2.procurement.items"), Some(Some(135.0)));
        assert_eq!(value(&t, "t2.procurement.amount"), Some(Some(7539.443252)));
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

    /// A narrow value column wrapped 19475 after four digits, in laid-out text: the "5" on
    /// the line under the row's value may be its digit (or a page's number); the row and
    /// the next one, which it stands before, are doubted.
    #[test]
    fn a_one_value_row_with_digits_on_the_line_under_it_is_doubted() {
        let text = "(一)主动公开政府信息数 条 1947\n5\n其中：主动公开规范性文件数 件 8\n\
                    制发规范性文件总数 个 8\n";
        let t = old_table(text);
        for key in ["old.active.total", "old.active.normative"] {
            let read = cell(&t, key).expect("read");
            let note = read.recovered.as_deref().unwrap_or_default();
            assert!(note.ends_with(PLACED_IN_ORDER), "{key}: {note}");
        }
        // The "5" beside the label's second line.
        let beside = text.replace(
            "条 1947\n5\n",
            "条 1947\n不同渠道和方式公开相同信息计1条)          5\n",
        );
        let t = old_table(&beside);
        let read = cell(&t, "old.active.total").expect("read");
        let note = read.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{read:?}");
        let t = old_table(&text.replace("1947\n5\n", "19475\n"));
        let read = cell(&t, "old.active.total").expect("read");
        assert_eq!(
            (read.value, read.recovered.as_deref()),
            (Some(19475.0), None)
        );
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

    /// A group's label left of a row's on the row's first line, before its item number
    /// ("(六)其 1.申请人…" / "他处理 正、…"): the item number is no value, so the line's
    /// words lead to the row's values and its label is followed down its column.
    #[test]
    fn a_row_label_numbered_after_a_groups_label_on_its_line_is_found() {
        let t = read_laid_out_t3(
            "\x20           5.要求行政机关确认或重新出\n\
             \x20           具已获取信息          3               3\n\
             \x20      (六)其 1.申请人无正当理由逾期不补 2                2\n\
             \x20      他处理 正、行政机关不再处理其政府信\n\
             \x20               息公开申请\n\
             \x20               2.申请人逾期未按收费通知要\n\
             \x20               求缴纳费用、行政机关不再处理 1                       1\n",
        );
        assert_eq!(value(&t, "t3.other.no_correction.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.no_correction.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.other.no_fee.total"), Some(Some(1.0)));
        // A number after words and before digits is a value, not an item number.
        assert!(labels::digit_outside_notes("合计3.5"));
        assert!(!labels::digit_outside_notes("(六)其1.申请人"));
    }

    /// A row's item number printed apart from its mark and its label ("、属于行政执" / "7" /
    /// "法案卷 2 0 …"), and a row's item number and first char one space after a group's
    /// label ("（五）不 1. 信" / "予处理 访举报投诉类申请"): the label is found all the same.
    #[test]
    fn a_label_around_its_item_number_is_found() {
        let t = read_laid_out_t3(
            "\x20                 6、属于四类过\n\
             \x20                 程性信息            0 0   0  0   0   0 0\n\
             \x20                    、属于行政执\n\
             \x20                        7\n\
             \x20                   法案卷             2 0   0 0 0  0 2\n\
             \x20                   8、属于行政查询事项      0 0   0 0 0  0 0\n",
        );
        assert_eq!(value(&t, "t3.denied.enforcement.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.enforcement.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.query.total"), Some(Some(0.0)));
        // The number under a line that opens with the mark is no value of the row, whose
        // values follow it: not 3 for 自然人.
        let t = read_laid_out_t3(
            "三、本      （一）予以公开             —    —   —   —   —   —   21\n\
             \x20            、本机关不\n\
             \x20              1\n\
             \x20                           0   0   0   0   0   0   0\n\
             \x20          掌握相关政府信息\n\
             \n\
             （四）无       2   、没有现成信息需\n\
             \x20                           0   0   0   0   0   0   0\n\
             \x20法提供            要另行制作\n\
             \n\
             \x20              、补正后申请\n\
             \x20              3\n\
             \x20                           0   0   0   0   0   0   0\n\
             \x20              内容仍不明确\n",
        );
        assert_eq!(value(&t, "t3.unable.not_held.natural"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.unable.unclear.natural"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.unable.unclear.total"), Some(Some(0.0)));
        let t = old_table(
            "(一)主动公开政府信息数 条 19475\n\
             \x20     三 申请答复数\n\
             \x20    ( )          件   0\n\
             \x20 2   、同意公开答复数     件   0\n\
             \x20       、同意\n\
             \x20         3\n\
             \x20                  件   5\n\
             \x20     部分公开答复数\n\
             \x20 4   、不同意公开答复数    件   0\n",
        );
        assert_eq!(value(&t, "old.apply.partial"), Some(Some(5.0)));
        let t = read_laid_out_t3(
            "\x20         3. 补正\n\
             \x20         后申请内容仍不明确      0 0 0 0 0 0 0\n\
             \x20    （五）不 1. 信           1 0 0 0 0 0 1\n\
             \x20    予处理 访举报投诉类申请\n\
             \x20         2. 重复申请        0 0 0 0 0 0 0\n",
        );
        assert_eq!(value(&t, "t3.ignored.petition.natural"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.ignored.petition.total"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.ignored.repeat.total"), Some(Some(0.0)));
    }

    /// A group's label four chars a line, one space before a numbered row's label
    /// ("度办理结 （二）部分" over "果    公开（区分处理的，…"): its chars are a column of
    /// their own, and the row's label is followed down its column.
    #[test]
    fn a_numbered_label_after_a_four_char_group_piece_is_found() {
        let t = read_laid_out_t3(
            "三、本年 （一）予以公开     21   0   0   0   0   0  21\n\
             度办理结 （二）部分         3   0   0   0   0   0   3\n\
             果    公开（区分处理的，只计这一情形，\n\
             不计其他情形）\n\
             \x20    1．属于国家秘密      0   0   0   0   0   0   0\n",
        );
        assert_eq!(value(&t, "t3.partial.natural"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.partial.total"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.denied.secret.total"), Some(Some(0.0)));
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

    /// Two rows sharing a label, the first wrapped around its value, the second whole on
    /// its line: the second's place is not the first's, which is found across its lines.
    #[test]
    fn a_row_wrapped_whose_label_another_row_prints_whole_takes_its_own_place() {
        let t = old_table(
            "四、行政复议数量    件 51\n\
             （一）维持具体    个 47\n行政行为数\n\
             （二）被依法纠错数    个 4\n\
             （三）其他情形数    个 0\n\
             六、被举报投诉数量    件 0\n\
             （一）维持具体行政行为数    个 0\n\
             （二）被纠错数    个 0\n\
             （三）其他情形数    个 0\n",
        );
        assert_eq!(value(&t, "old.review.upheld"), Some(Some(47.0)));
        assert_eq!(value(&t, "old.review.corrected"), Some(Some(4.0)));
        assert_eq!(value(&t, "old.complaint.upheld"), Some(Some(0.0)));
    }

    /// A row wrapped around its value whose label is found whole only inside another row's
    /// ("同意公开答复数" in "不同意公开答复数") is looked for across its lines.
    #[test]
    fn a_row_wrapped_whose_label_is_inside_another_rows_takes_its_own_place() {
        let t = old_table(
            "（三）申请答复数    件 67\n\
             1. 属于已主动公开范围数    件 0\n\
             2. 同意\n公开答复数    件 28\n\
             3. 同意部分公开答复数    件 12\n\
             4. 不同意公开答复数    件 27\n",
        );
        assert_eq!(value(&t, "old.apply.granted"), Some(Some(28.0)));
        assert_eq!(value(&t, "old.apply.partial"), Some(Some(12.0)));
        assert_eq!(value(&t, "old.apply.denied"), Some(Some(27.0)));
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

    /// A browser's print laid out by `pdftotext -layout`: the item number, in a column of
    /// its own, centred on a line between the label's halves or after the first; the
    /// label's note, digits and all, on its last line.
    #[test]
    fn a_label_cut_by_its_item_number_and_value_lines_is_found() {
        let t = old_table(
            "        （一）主\n                  条    2122\n\
             \x20  动公开政府信息数（不同渠道和方式公开相同信息计1条）\n\
             \x20  （二）通过不同渠道和方式公开政府信息的情况\n\
             \x20        政府公报公\n        1.\n                  条     0\n        开政府信息数\n\
             \x20  2.   政府网站公开政府信息数       条    2122\n\
             三、依申请公开情况\n（一）收到申请数          件   0\n\
             （三）申请答复数          件   0\n2.   同意公开答复数      件   0\n\
             \x20   同意    3.\n                  件   0\n 部分公开答复数\n\
             \x20    4.   不同意公开\n                  件   0\n          答复数\n",
        );
        assert_eq!(value(&t, "old.active.total"), Some(Some(2122.0)));
        assert_eq!(value(&t, "old.channels.gazette"), Some(Some(0.0)));
        assert_ne!(value(&t, "old.channels.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.channels.website"), Some(Some(2122.0)));
        assert_eq!(value(&t, "old.apply.partial"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.apply.denied"), Some(Some(0.0)));
        // The item number after the label's first half is no value of the row.
        let text = "附表：统计表\n   指标名称       计量单位      年度\n\
                    \x20                         2011    历年累计\n\
                    \x20    对申请的答复数        条   0     0\n\
                    \x20其中：1.同意公开答复数       条   0    510\n\
                    \x20       同意 2.\n                    条   0   5,186\n\
                    \x20    部分公开答复数\n\
                    \x20    3.   否决公开答复数   条   0   4,908\n";
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        let stream = Stream::build(&doc, 0, doc.text.len());
        let t = read_tables(&stream, &[], Some(Era::Pre2019), &[]);
        assert_eq!(value(&t, "old.apply.granted"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.apply.partial"), Some(Some(0.0)));
        assert_eq!(value(&t, "old.apply.denied"), Some(Some(0.0)));
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
            let doubt = cell(tables, key).and_then(|c| c.doubt.clone());
            assert!(
                matches!(
                    doubt.as_deref(),
                    Some(Doubt::PlacedInOrder(_) | Doubt::InTableOrder)
                ),
                "{key}: {doubt:?}"
            );
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

    /// 表二's rows have no arithmetic: a run of digits as many as the row's cells ("775"
    /// for 上一年项目数量, 本年增/减, 处理决定数量) is cut one digit a cell, but that is
    /// a guess (775 alone, the others blank, is as likely), so the cells are doubted.
    /// Digits no number starts with ("00") cut one way only, and are not.
    #[test]
    fn a_cut_no_arithmetic_checks_is_doubted_unless_it_is_the_only_reading() {
        let t = read(
            "第二十条第（六）项信息内容上一年项目数量本年增/减处理决定数量\
             行政处罚116增34670761行政强制775\
             第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费00",
        );
        let coercion = cell(&t, "t2.coercion.decisions").unwrap();
        assert_eq!(coercion.value, Some(5.0));
        assert!(
            matches!(
                coercion.doubt.as_deref(),
                Some(Doubt::RunTogether {
                    unchecked: true,
                    ..
                })
            ),
            "{coercion:?}"
        );
        let note = coercion.recovered.as_deref().unwrap_or_default();
        assert!(note.contains("may be its values as printed"), "{note}");
        let fee = cell(&t, "t2.fee.prev_items").unwrap();
        assert_eq!(fee.value, Some(0.0));
        assert!(fee.doubt.is_none(), "{fee:?}");
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
        // A header wrapped over lines: "金" cut from "额", or "万" from "元".
        let t = read(&(prefix.replace("收费金额", "收费金\n额") + " 77,302,800"));
        assert_eq!(value(&t, "t2.fee.amount"), Some(Some(7730.28)));
        let t = read(&(prefix.replace("单位：元", "单位：万\n元，保留4位小数") + " 7730.28"));
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
    fn a_label_begun_beside_its_values_is_found_there_not_on_its_next_line() {
        // 属于三类内部事务信息 over two lines, its values beside its first words; 内部事务
        // alone, on the second line, is also one of the label's texts.
        let t = read(
            "三、收到和处理政府信息公开申请情况\n申请人情况\n\
             （三）不 4.保护第三方合法权益   0 0 0 0 0 0 0\n\
             予公开 5.属于                   1 0 0 0 0 0 1\n\
             \x20      三类内部事务信息\n\
             \x20      6.属于四类过程性信息   0 0 0 0 0 0 0\n",
        );
        for (key, value) in [
            ("t3.denied.third_party.total", 0.0),
            ("t3.denied.internal.natural", 1.0),
            ("t3.denied.internal.total", 1.0),
            ("t3.denied.process.total", 0.0),
        ] {
            let read = cell(&t, key).expect("read");
            assert_eq!((read.value, &read.doubt), (Some(value), &None), "{key}");
        }
        // 没有现成信息需要另行制作 so, a piece of its group's label (（四）无法提供) at the
        // start of its second line; the texts are 没有现成信息 and 另行制作.
        let t = read(
            "三、收到和处理政府信息公开申请情况\n申请人情况\n\
             \x20      1.本机关不掌握相关政府信息 0 0 0 0 0 0 0\n\
             （四）无 2.没有现成信    4 0 1 0 0 0 5\n\
             法提供   息需要另行制作\n\
             \x20      3.补正后申请内容仍不明确 0 0 0 0 0 0 0\n",
        );
        for (key, value) in [
            ("t3.unable.not_held.total", 0.0),
            ("t3.unable.create.natural", 4.0),
            ("t3.unable.create.total", 5.0),
            ("t3.unable.unclear.total", 0.0),
        ] {
            let read = cell(&t, key).expect("read");
            assert_eq!((read.value, &read.doubt), (Some(value), &None), "{key}");
        }
    }

    #[test]
    fn rows_printed_column_by_column_are_read_row_by_row_when_they_add_up() {
        // `pdftotext -layout` printed two rows' labels, then their values a block of
        // columns at a time: the first four columns, the fifth, then the last two run
        // together.
        let blocks = |last: &str| {
            let pad = |n: usize, s: &str| format!("{}{s}\n", " ".repeat(n));
            format!(
                "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                 （四）无 1.本机关不掌握相关政府信息   3 0 0 0   0   03\n\
                 法提供 2.没有现成信息需要另行制作\n       3.补正后申请内容仍不明确\n{}{}{}{}{}{}\
                 （五）不 1.信访举报投诉类申请 0 0 0 0 0 0 0\n",
                pad(36, "12 1 0 0"),
                pad(36, "2 0 0 0"),
                pad(46, "2"),
                pad(46, "0"),
                pad(50, "015"),
                pad(50, last),
            )
        };
        let t = read(&blocks("02"));
        for (key, value) in [
            ("t3.unable.create.natural", 12.0),
            ("t3.unable.create.commercial", 1.0),
            ("t3.unable.create.legal", 2.0),
            ("t3.unable.create.total", 15.0),
            ("t3.unable.unclear.natural", 2.0),
            ("t3.unable.unclear.total", 2.0),
        ] {
            let read = cell(&t, key).expect("read");
            assert_eq!(read.value, Some(value), "{key}");
            assert_eq!(read.recovered.as_deref(), Some(BLOCKS_NOTE), "{key}");
        }
        let not_held = cell(&t, "t3.unable.not_held.total").expect("read");
        assert_eq!(not_held.value, Some(3.0));
        // When a row would not add up, the blocks are not taken for rows: the second row
        // reads both rows' values, and doubts them.
        let t = read(&blocks("03"));
        let unclear = cell(&t, "t3.unable.unclear.total").expect("read");
        assert_ne!(unclear.recovered.as_deref(), Some(BLOCKS_NOTE));
        assert!(unclear.doubt.is_some(), "{unclear:?}");
    }

    #[test]
    fn a_row_whose_next_line_holds_fewer_values_is_doubted_unless_it_then_adds_up() {
        // A browser's narrow cells wrapped 51 and 51 after their first digit, and the
        // other column's 0 ran into the total's 5 ("０５"): the row reads seven values and
        // one more, on two lines, the second holding two, printed right of the first.
        let read_wrapped = |first: &str, last: &str| {
            let wrapped = format!("{}{first}{}{last}", " ".repeat(38), " ".repeat(18));
            read(&format!(
                "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                 一、本年新收政府信息公开申请数量       ５ ０ ０ ０ ０ ０５\n{wrapped}\n\
                 二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n"
            ))
        };
        // Put together in order, the row adds up (51 … 51) only one way: that is taken,
        // and said.
        let t = read_wrapped("１", "１");
        for key in ["t3.new.natural", "t3.new.total"] {
            let read = cell(&t, key).expect("read");
            assert_eq!(read.value, Some(51.0), "{key}");
            assert_eq!(read.recovered.as_deref(), Some(SUMMED_NOTE), "{key}");
        }
        assert_eq!(cell(&t, "t3.new.other_org").expect("read").value, Some(0.0));
        // 51 … 52 does not add up: which digits are whose is not in the text.
        let t = read_wrapped("１", "２");
        let total = cell(&t, "t3.new.total").expect("read");
        let note = total.recovered.as_deref().unwrap_or_default();
        assert!(note.ends_with(PLACED_IN_ORDER), "{note}");
        // A row on one line stands as read.
        let carried = cell(&t, "t3.carried.total").expect("read");
        assert_eq!(carried.recovered, None);
    }

    #[test]
    fn an_item_number_printed_apart_from_its_mark_among_the_values_is_no_value() {
        // Laid-out text of a narrow label cell: "、要求行" on a line of its own, the item
        // number "5" at the head of the values' line, the label's rest under it.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 51 0 0 0 0 0 51\n\
                    4、无正当理由大量反复申请 0 0 0 0 0 0 0\n\
                    、要求行\n5   ０  ０ ０ ０ ０ ０ ０\n政机关确认或重\n新出具已获取信\n息\n\
                    （六）其他处理 0 0 0 0 0 0 0\n";
        let t = read(text);
        let natural = cell(&t, "t3.ignored.confirm.natural").expect("read");
        assert_eq!(natural.value, Some(0.0));
        // With its number beside its mark, a first value is a value.
        let t = read(&text.replace("、要求行\n5   ０", "5、要求行\n3   ０"));
        let natural = cell(&t, "t3.ignored.confirm.natural").expect("read");
        assert_eq!(natural.value, Some(3.0));
    }

    #[test]
    fn an_item_number_inside_a_broken_labels_words_is_no_value() {
        // Laid-out text of narrow label cells, full-width digits of neighbouring cells run
        // together ("０１"): 2's item number printed between the group label's words and its
        // own label's rest ("（四）无 2另行制作"), one value more than the row's cells.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 １ ０ ０ ０ ０ ０１\n\
                    1、本机关不掌握相关政府信息 ０ ０ ０ ０ ０ ０ ０\n\
                    、没有现成信息需要\n\
                    （四）无 2另行制作   ３ ０ ０ ０ ０ ０ ３\n\
                    法提供 3、补正后申请内容仍不明确 ０ ０ ０ ０ ０ ０ ０\n";
        let t = read(text);
        let natural = cell(&t, "t3.unable.create.natural").expect("read");
        assert_eq!(
            (natural.value, natural.recovered.as_deref()),
            (Some(3.0), None)
        );
        let total = cell(&t, "t3.unable.create.total").expect("read");
        assert_eq!(total.value, Some(3.0));
    }

    #[test]
    fn a_row_that_adds_up_cut_another_way_is_doubted() {
        // A browser's print read back by pdftotext: full-width digits of narrow neighbouring
        // cells set as close as one number's ("６４" and "０" read "６４０"), 70 wrapped apart.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量    ６４０ ０ ２ ０ ４ ７      ０\n\
                    二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0\n";
        let t = read(text);
        let natural = cell(&t, "t3.new.natural").expect("read");
        // Read as printed, for the office to check against the cut that adds up.
        assert_eq!(natural.value, Some(640.0));
        let note = natural.recovered.as_deref().unwrap_or_default();
        assert!(note.contains("cut as 64 0 0 2 0 4 70"), "{note}");
        assert!(note.ends_with(rows::READ_AS_PRINTED), "{note}");
        // A row that does not add up however it is cut stands as read: the report's slip.
        let t = read(&text.replace("７      ０", "７      ９"));
        let natural = cell(&t, "t3.new.natural").expect("read");
        assert_eq!(
            (natural.value, natural.recovered.as_deref()),
            (Some(640.0), None)
        );
        // Nor is a row that adds up as printed doubted.
        let t = read(&text.replace("６４０ ０ ２ ０ ４ ７      ０", "６４ ０ ２ ０ ４ ０ ７０"));
        let total = cell(&t, "t3.new.total").expect("read");
        assert_eq!(
            (total.value, total.recovered.as_deref()),
            (Some(70.0), None)
        );
    }

    /// An item number alone on its line between the halves of its label, the values
    /// between them too, is no value of the row.
    #[test]
    fn an_item_number_alone_between_a_labels_halves_is_no_value() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 5 / / / / / 5\n\
                    1.属于国家秘密 0 / / / / / 0\n\
                    其他法律行政\n2.\n3 / / / / / 3\n法规禁止公开\n\
                    3.危及“三安全一稳定” 0 / / / / / 0\n";
        let t = read(text);
        let value = |key: &str| cell(&t, key).and_then(|c| c.value);
        assert_eq!(value("t3.denied.law.natural"), Some(3.0));
        assert_eq!(value("t3.denied.law.total"), Some(3.0));
        assert_eq!(value("t3.denied.law.commercial"), None);
        // Its blanks are the marks on its line of values, the label's words between them
        // no part of it: the row is read whole, undoubted.
        let doubt = cell(&t, "t3.denied.law.natural").and_then(|c| c.doubt.clone());
        assert_eq!(doubt, None);
    }

    /// `pdftotext -layout` of a narrow table: a label's note wraps round its row's values
    /// ("(区分处理的,只计这一情" / values / "形,不计其他情形)"), a row's item number opens the
    /// line under its first words ("6."), and two cells' digits run together ("00").
    #[test]
    fn values_inside_a_wrapped_note_and_beside_a_numbers_line_are_the_rows() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n\
                    (二)部分公开(区分处理的,只计这一情 1 0 0 0 0 0 1\n\
                    形,不计其他情形)\n\
                    (三)不予公开 1.属于国家秘密 0 0 0 0 0 00\n\
                    属于四类过程性信息 0 0\n\
                    6. 2 0 0 0 2\n\
                    属于行政执法案卷 0 0 0 0 0 0 0\n";
        let t = read(text);
        let value = |key: &str| cell(&t, key).and_then(|c| c.value);
        assert_eq!(value("t3.partial.natural"), Some(1.0));
        assert_eq!(value("t3.partial.total"), Some(1.0));
        assert_eq!(value("t3.denied.secret.total"), Some(0.0));
        assert_eq!(value("t3.denied.process.research"), Some(2.0));
        assert_eq!(value("t3.denied.process.total"), Some(2.0));
        assert_eq!(value("t3.denied.process.social"), Some(0.0));
    }

    /// A label's item number set inside its wrapped words ("(四)无2另行制作") in a table read
    /// as run together (a row printed one value): the row's one value more than cells is no
    /// subtotal column, and the row is doubted, not fitted.
    #[test]
    fn a_number_inside_a_rows_words_doubts_its_row_unless_it_is_an_item_number() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n\
                    三、本年度办理结果(一)予以公开 5\n\
                    1.本机关不掌握相关政府信息 0 0 0 0 0 0 0\n\
                    、没有现成信息需要\n\
                    (四)无2另行制作 0 0 0 0 0 0 0\n\
                    3.补正后申请内容仍不明确 0 0 0 0 0 0 0\n";
        // 2, between the label's words, is the row's item number.
        let t = read(text);
        let natural = cell(&t, "t3.unable.create.natural").expect("read");
        assert_eq!((natural.value, natural.doubt.as_deref()), (Some(0.0), None));
        // 25 is no item number: eight values for seven cells, the row doubted.
        let t = read(&text.replace("无2另", "无25另"));
        let doubt = |key: &str| cell(&t, key).and_then(|c| c.doubt.clone());
        assert!(
            matches!(
                doubt("t3.unable.create.natural").as_deref(),
                Some(Doubt::PlacedInOrder(nianbao_model::Placement::MoreValues {
                    values: 8,
                    cells: 7
                }))
            ),
            "{:?}",
            doubt("t3.unable.create.natural")
        );
        assert_eq!(doubt("t3.unable.not_held.natural"), None);
    }

    /// A label wrapped over two lines whose last word ends in a unit's character ("8.属于行"
    /// over "政查询事项 2 0 0 0 0 0 2"): 项 is the label's, and the label is found across
    /// the lines; a unit run into a label's words ("4.微博微信回应次130") stays a unit.
    #[test]
    fn a_wrapped_label_ending_in_a_units_character_is_found() {
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 5 0 0 0 0 0 5\n\
                    7.属于行政执法案卷 1 0 0 0 0 0 1\n\
                    8.属于行\n\
                    政查询事项 2 0 0 0 0 0 2\n\
                    1.本机关不掌握相关政府信息 0 0 0 0 0 0 0\n";
        let t = read(text);
        assert_eq!(value(&t, "t3.denied.query.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.query.total"), Some(Some(2.0)));
    }

    #[test]
    fn an_open_notes_values_ending_its_line_are_kept() {
        // Two values or more end the line: the row's; one run into the note is the note's.
        let kept = without_notes("(区分处理的,只计这一情0 0 1\n形)");
        assert!(kept.starts_with("     "), "{kept}");
        assert!(kept.contains("0 0 1\n"), "{kept}");
        let note = without_notes("(不同渠道和方式公开相同信息计1\n条)2");
        assert!(!note.contains('1'), "{note}");
    }

    /// 表四's run with two cells' digits run together ("00": no number is printed so) is
    /// cut where its three groups add up, not placed in order.
    #[test]
    fn table_four_run_together_is_cut_by_its_groups() {
        let t = read(
            "四、行政复议、行政诉讼\n行政复议\t行政诉讼\n\
             0 0 0 0 00 2 0 0 20 0 0 0 0\n",
        );
        assert_eq!(value(&t, "t4.review.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "t4.suit_direct.corrected"), Some(Some(2.0)));
        assert_eq!(value(&t, "t4.suit_direct.total"), Some(Some(2.0)));
        assert_eq!(value(&t, "t4.suit_after.total"), Some(Some(0.0)));
    }

    #[test]
    fn a_value_with_a_leading_zero_doubts_its_row_and_the_row_above() {
        // A narrow column wrapped 10 ("１" over "０"); its 0 ran into the next row's 3.
        let text = "三、收到和处理政府信息公开申请情况\n申请人情况\n\
                    一、本年新收政府信息公开申请数量 13 0 0 0 0 0 13\n\
                    1.本机关不掌握相关政府信息 １ ０ ０ ０ ０ ０ １０\n\
                    2.没有现成信息需要另行制作 ０３ ０ ０ ０ ０ ０３\n\
                    3.补正后申请内容仍不明确 0 0 0 0 0 0 0\n";
        let t = read(text);
        let note = |key: &str| cell(&t, key).and_then(|c| c.recovered.clone());
        let not_held = note("t3.unable.not_held.natural").unwrap_or_default();
        assert!(not_held.contains("\"03\" starts with 0"), "{not_held}");
        // The row holding it is doubted too (here as digits that ran together).
        assert!(note("t3.unable.create.natural").is_some());
        for key in ["t3.new.natural", "t3.unable.unclear.natural"] {
            assert_eq!(note(key), None, "{key}");
        }
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

    /// The tables of a text of the 2021 forms, recognised by OCR or typed.
    fn read_recognised(text: &str, recognised: bool) -> Vec<ReadTable> {
        let mut doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        doc.ocr_layer = recognised;
        let stream = Stream::build(&doc, 0, doc.text.len());
        read_tables(&stream, &[], Some(Era::Y2021), &[])
    }

    /// 表二's 第二十条第（五）项 and （六）项 as a scan's text, `label` on 行政处罚's row,
    /// recognised by OCR or typed.
    fn penalties_in_text(label: &str, recognised: bool) -> Vec<ReadTable> {
        let text = format!(
            "二、主动公开政府信息情况\n第二十条第（五）项\n信息内容\t本年处理决定数量\n\
             行政许可\t120\n第二十条第（六）项\n信息内容\t本年处理决定数量\n\
             {label}\t4119\n行政强制\t195\n"
        );
        read_recognised(&text, recognised)
    }

    #[test]
    fn a_label_ocr_misread_between_two_rows_found_names_the_row_between_most_like_it() {
        for misread in ["行政处aR", "行政处", "1.行政处苟"] {
            let t = penalties_in_text(misread, true);
            assert_eq!(
                value(&t, "t2.penalty.decisions"),
                Some(Some(4119.0)),
                "{misread}"
            );
            assert_eq!(value(&t, "t2.license.decisions"), Some(Some(120.0)));
            assert_eq!(value(&t, "t2.coercion.decisions"), Some(Some(195.0)));
        }
        // Typed text is not guessed at; nor are words like no row between, or like none.
        assert_ne!(
            value(
                &penalties_in_text("行政处aR", false),
                "t2.penalty.decisions"
            ),
            Some(Some(4119.0))
        );
        for unlike in ["合计金额", "其他", "处"] {
            let t = penalties_in_text(unlike, true);
            assert_ne!(
                value(&t, "t2.penalty.decisions"),
                Some(Some(4119.0)),
                "{unlike}"
            );
        }
    }

    /// 表三 as OCR read a black-and-white scan: blank marks over shading read as letters
    /// ("sf;", "Ff"), two labels misread ("属于国家秘aR", "fER“=k全一稳定”"), a row a line.
    fn applications_recognised(recognised: bool) -> Vec<ReadTable> {
        let rows = [
            "一、本年新收政府信息公开申请数量\t26\t/\tsf;\tJf\tf\t/\t26",
            "二、上年结转政府信息公开申请数量\t0\t/;\tsf;\tF;\tFf\t/\t0",
            "本年度办理结果\t(一)予以公开\t20\t/\t/\tFf\tf\t/\t20",
            "(二)部分公开\t1\t/\tFJ\tFJ\tFJ\tFf\t1",
            "(三)不予公开\t1.属于国家秘aR\t3\t/;\tsf;\tFf\tfF\t/\t3",
            "2.其他法律行政法规禁止公开\t0\t/;\tsf;\tFf\tFf\t/\t0",
            "3.fER“=k全一稳定”\t2\t/;\tsf;\tFf\tFf\t/\t2",
            "4.保护第三方合法权益\t0\t/;\tsf;\tFf\tFf\t/\t0",
            "5.属于三类内部事务信息\t0\t/;\tsf;\tFf\tFf\t/\t0",
            "6.属于四类过程性信息\t0\t/\t/\t/\t/\t/\t0",
        ];
        let text = format!(
            "三、收到和处理政府信息公开申请情况\n\
             (本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)\t申请人情况\n\
             自然人\t法人或其他组织\t其他\t总计\n\
             商业企业\t科研机构\t社会公益组织\t法律服务机构\n{}\n",
            rows.join("\n")
        );
        read_recognised(&text, recognised)
    }

    #[test]
    fn a_line_whose_label_ocr_misread_is_the_row_between_its_neighbours_most_like_it() {
        let t = applications_recognised(true);
        assert_eq!(value(&t, "t3.denied.secret.natural"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.denied.secret.total"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.denied.safety.natural"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.denied.law.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "t3.partial.total"), Some(Some(1.0)));
        // Typed text is not guessed at.
        let typed = applications_recognised(false);
        assert_ne!(value(&typed, "t3.denied.secret.natural"), Some(Some(3.0)));
    }
}
