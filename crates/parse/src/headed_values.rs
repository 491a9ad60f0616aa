//! Tables in parts whose values follow their column headers, not their row labels: text
//! extracted from a PDF in reading order gives 表二 part by part (a 第二十条 item), each
//! part's row labels, then a column header or a few headers and their values (a column's
//! cells top to bottom, or a few columns' row by row). A part's last column, at the
//! page's right, may come after later parts, behind a header of its own.
//!
//! A run of values is read only when it is exactly the cells of its headers' columns in
//! every row of one part: the first part in the form's order that lacks them, when its
//! item was printed last, or no part that fits was and it was read in part already (the
//! columns a page's right holds, printed after later parts), or several parts lack them
//! and as many runs alike are still to come (each part's in turn); values that may be either of
//! two parts' are not read, nor are later values for those columns. Several columns'
//! values are read row by row when printed as one paragraph or a paragraph a row, column
//! by column when a paragraph a column (blank lines between); when that cannot be told
//! (as many rows as columns), not at all.
//!
//! Only for tables whose rows nothing checks (表二): a table whose rows add up is read in
//! order only where they do (`table_order`). Every cell read this way is marked as read
//! by its place (`Cell::doubt`): a finding on it is the office's to check.

use crate::layout::{Pattern, TableLayout, IGNORED_CELL};
use crate::split::RowCheck;
use crate::stream::Stream;
use crate::tables::{
    amount_in_wan_yuan, cells_in, header_in_yuan, paragraph_starts, push_cell_values, to_cell,
    ReadCell, Token,
};
use nianbao_model::{Doubt, IN_TABLE_ORDER};

/// A part of the table: its item (a row without cells before its rows), its rows' keys
/// and its columns (the keys' last part), each column's values found or not yet.
struct Part<'l> {
    item: Option<&'l Pattern>,
    rows: Vec<&'l [&'static str]>,
    columns: Vec<&'static str>,
    read: Vec<bool>,
    /// Columns whose values may have been printed already but were not read (they might
    /// have been another part's): no later values are taken for them.
    doubtful: Vec<bool>,
}

/// Column headers and the values printed after them, and the part whose item was
/// printed last before them.
#[derive(Default)]
struct Group<'t> {
    headers: Vec<(&'static str, &'t str)>,
    values: Vec<Token>,
    current: Option<usize>,
}

impl Group<'_> {
    fn alike(&self, other: &Group) -> bool {
        self.values.len() == other.values.len()
            && self.headers.len() == other.headers.len()
            && self
                .headers
                .iter()
                .zip(&other.headers)
                .all(|(a, b)| a.0 == b.0)
    }
}

/// The cells of the table's parts read from runs of values after their column headers;
/// nothing for a table without headers or parts of uniform rows.
pub(crate) fn read_by_headers(
    stream: &Stream,
    layout: &TableLayout,
    start: usize,
    end: usize,
) -> Vec<ReadCell> {
    if layout.split != RowCheck::None || layout.headers.is_empty() {
        return Vec::new();
    }
    let mut parts = parts_of(layout);
    if parts.is_empty() {
        return Vec::new();
    }
    let groups = groups_in(stream, layout, &parts, start, end);
    (0..groups.len())
        .flat_map(|i| bind(stream, &mut parts, &groups, i))
        .collect()
}

/// The runs of values in the region, each with the headers printed before it.
fn groups_in<'t>(
    stream: &'t Stream,
    layout: &TableLayout,
    parts: &[Part],
    start: usize,
    end: usize,
) -> Vec<Group<'t>> {
    let mut groups = Vec::new();
    let mut pending = Group::default();
    for (text, s) in cells_in(&stream.text, start, end) {
        if push_cell_values(text, s, s + text.len(), &mut pending.values) {
            continue;
        }
        // Words end the values before them.
        let current = pending.current;
        if !pending.values.is_empty() {
            groups.push(std::mem::take(&mut pending));
            pending.current = current;
        }
        if let Some(k) = parts
            .iter()
            .position(|p| p.item.is_some_and(|i| i.is_match(text)))
        {
            pending.current = Some(k);
            pending.headers.clear();
        } else if let Some(column) = header_column(layout, parts, text) {
            pending.headers.push((column, text));
        }
    }
    if !pending.values.is_empty() {
        groups.push(pending);
    }
    groups
}

/// The table's parts, each the rows after a row without cells; none when a part's rows
/// differ in their columns.
fn parts_of(layout: &TableLayout) -> Vec<Part<'_>> {
    let mut parts: Vec<Part> = Vec::new();
    let mut item = None;
    for row in &layout.rows {
        if row.cells.is_empty() {
            item = Some(&row.label);
            continue;
        }
        let columns: Vec<&'static str> = row.cells.iter().map(|k| column_of(k)).collect();
        match (item.take(), parts.last_mut()) {
            (None, Some(part)) if part.columns == columns => part.rows.push(&row.cells),
            (None, Some(_)) => return Vec::new(),
            (item, _) => parts.push(Part {
                item,
                rows: vec![&row.cells],
                read: vec![false; columns.len()],
                doubtful: vec![false; columns.len()],
                columns,
            }),
        }
    }
    parts
}

fn column_of(key: &'static str) -> &'static str {
    key.rsplit('.').next().unwrap_or(key)
}

/// The column a header names (the first of the layout's headers it matches), when a part
/// has that column.
fn header_column(layout: &TableLayout, parts: &[Part], text: &str) -> Option<&'static str> {
    let (name, _) = layout.headers.iter().find(|(_, p)| p.is_match(text))?;
    parts
        .iter()
        .flat_map(|p| p.columns.iter().copied())
        .find(|c| c == name)
}

/// The pending values as the cells of their headers' columns in the part they fit, row by
/// row; nothing when no part fits them exactly, or more than one might.
fn bind(stream: &Stream, parts: &mut [Part], groups: &[Group], at: usize) -> Vec<ReadCell> {
    let pending = &groups[at];
    let current = pending.current;
    let k = pending.headers.len();
    let fits = |p: &Part| {
        let places: Option<Vec<usize>> = pending
            .headers
            .iter()
            .map(|(c, _)| p.columns.iter().position(|own| own == c))
            .collect();
        places.is_some_and(|places| {
            let distinct = (1..places.len()).all(|i| !places[..i].contains(&places[i]));
            let unread = places.iter().all(|&i| !p.read[i] && !p.doubtful[i]);
            distinct && unread && p.rows.len() * k == pending.values.len()
        })
    };
    if k == 0 {
        return Vec::new();
    }
    let fitting: Vec<usize> = (0..parts.len()).filter(|&i| fits(&parts[i])).collect();
    // The first part that lacks the columns, when it is the part whose item was printed
    // last, or that part lacks none of them and this one was read in part already. A
    // column printed after a later part's item may be either part's: not read.
    let Some(&p) = fitting.first() else {
        return Vec::new();
    };
    let current_fits = current.is_some_and(|c| fitting.contains(&c));
    // Several parts lacking them and as many such runs still to come: each part's in turn.
    let alike = groups[at..].iter().filter(|g| g.alike(pending)).count();
    let one_a_part = fitting.len() > 1 && alike == fitting.len();
    let chosen = one_a_part
        || match current_fits {
            true => current == Some(p),
            false => parts[p].read.contains(&true),
        };
    if !chosen {
        for &i in &fitting {
            let part = &mut parts[i];
            for (column, _) in &pending.headers {
                if let Some(place) = part.columns.iter().position(|c| c == column) {
                    part.doubtful[place] = true;
                }
            }
        }
        return Vec::new();
    }
    let part = &mut parts[p];
    let rows = part.rows.len();
    let paragraphs = paragraph_starts(stream, &pending.values);
    let Some(by_rows) = printed_row_by_row(&paragraphs, k, rows) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    for (r, row) in part.rows.iter().enumerate() {
        for (j, (column, header)) in pending.headers.iter().enumerate() {
            let Some(place) = part.columns.iter().position(|c| c == column) else {
                continue;
            };
            if row[place] == IGNORED_CELL {
                continue;
            }
            let at = if by_rows { r * k + j } else { j * rows + r };
            let token = pending.values[at].clone();
            let mut cell = to_cell(stream, row[place], Some(token.clone()), token.start());
            cell.recovered = Some(IN_TABLE_ORDER.to_string());
            cell.doubt = Some(Box::new(Doubt::InTableOrder));
            if header_in_yuan(header) {
                amount_in_wan_yuan(&mut cell, &stream.text);
            }
            cells.push(cell);
        }
    }
    for (column, _) in &pending.headers {
        if let Some(place) = part.columns.iter().position(|c| c == column) {
            part.read[place] = true;
        }
    }
    cells
}

/// Whether `columns` columns' values for `rows` rows, cut into paragraphs where
/// `paragraphs` say, were printed row by row (`Some(true)`), column by column
/// (`Some(false)`), or either (`None`).
fn printed_row_by_row(paragraphs: &[usize], columns: usize, rows: usize) -> Option<bool> {
    if columns == 1 || rows == 1 || paragraphs.is_empty() {
        return Some(true);
    }
    let evenly = |size: usize| {
        paragraphs.len() + 1 == columns * rows / size
            && paragraphs
                .iter()
                .enumerate()
                .all(|(i, &at)| at == (i + 1) * size)
    };
    match (evenly(columns), evenly(rows)) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::stream::Stream;
    use crate::tables::{read_tables, ReadCell};
    use nianbao_model::{Doubt, Era, TableId};

    fn read_t2(text: &str, era: Era) -> Vec<ReadCell> {
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).expect("text");
        let stream = Stream::build(&doc, 0, doc.text.len());
        read_tables(&stream, &[], Some(era), &[])
            .into_iter()
            .filter(|t| t.id == TableId::T2)
            .flat_map(|t| t.cells)
            .collect()
    }

    fn value(cells: &[ReadCell], key: &str) -> Option<f64> {
        cells.iter().find(|c| c.key == key).and_then(|c| c.value)
    }

    /// 2021's 表二 as pdftotext prints it in reading order: each part's labels, then its
    /// headers and their values; the first part's last column after a later part.
    fn extracted_2021(first_part_values: &str) -> String {
        format!(
            "二、主动公开政府信息情况\n信息内容\n规章\n规范性文件\n\n第二十条第（一）项\n\
             {first_part_values}\n\n信息内容\n行政许可\n第二十条第（五）项\n本年处理决定数量\n250\n\n\
             信息内容\n行政处罚\n行政强制\n第二十条第（六）项\n本年处理决定数量\n1300\n45\n\n\
             现行有效件数\n20\n\n65\n第二十条第（八）项\n本年收费金额（单位：元）\n12,345\n\n\
             信息内容\n行政事业性收费\n三、收到和处理政府信息公开申请情况\n"
        )
    }

    #[test]
    fn values_after_their_column_headers_are_read_into_their_part() {
        let text = extracted_2021("本年制发件数\n本年废止件数\n3\n1\n12\n4");
        let cells = read_t2(&text, Era::Y2021);
        let expected = [
            ("t2.rules.made", 3.0),
            ("t2.rules.repealed", 1.0),
            ("t2.normative.made", 12.0),
            ("t2.normative.repealed", 4.0),
            ("t2.license.decisions", 250.0),
            ("t2.penalty.decisions", 1300.0),
            ("t2.coercion.decisions", 45.0),
            ("t2.rules.in_force", 20.0),
            ("t2.normative.in_force", 65.0),
            ("t2.fee.amount", 1.2345),
        ];
        for (key, want) in expected {
            assert_eq!(value(&cells, key), Some(want), "{key}");
        }
        let marked = cells
            .iter()
            .filter(|c| c.doubt.as_deref() == Some(&Doubt::InTableOrder));
        assert_eq!(marked.count(), cells.len(), "every cell read by its place");
    }

    fn by_header(cells: &[ReadCell], key: &str) -> bool {
        cells
            .iter()
            .any(|c| c.key == key && c.doubt.as_deref() == Some(&Doubt::InTableOrder))
    }

    #[test]
    fn columns_printed_a_paragraph_each_are_read_column_by_column() {
        let headers = "本年制发件数\n本年废止件数\n现行有效件数\n";
        let text = extracted_2021(&format!("{headers}3\n12\n\n1\n4\n\n7\n9"));
        let cells = read_t2(&text, Era::Y2021);
        assert_eq!(value(&cells, "t2.rules.repealed"), Some(1.0));
        assert_eq!(value(&cells, "t2.normative.made"), Some(12.0));
        assert_eq!(value(&cells, "t2.normative.in_force"), Some(9.0));
        // As many rows as columns, a paragraph of two each: either way; not read.
        let square = extracted_2021("本年制发件数\n本年废止件数\n3\n1\n\n12\n4");
        let cells = read_t2(&square, Era::Y2021);
        assert!(
            !by_header(&cells, "t2.rules.repealed"),
            "2×2 in two paragraphs"
        );
    }

    /// 2019's 表二, its parts 五 and 六 of two rows each.
    fn extracted_2019(decisions_of_five_after_six: bool) -> String {
        let five_decisions = "处理决定数量\n143\n144\n";
        let mut text = String::from(
            "二、主动公开政府信息情况\n信息内容\n规章\n规范性文件\n信息内容\n行政许可\n其他对外管理服务事项\n\
             信息内容\n行政处罚\n行政强制\n\n第二十条第（一）项\n本年新制作数量\n本年新公开数量\n0\n0\n9\n9\n\
             第二十条第（五）项\n上一年项目数量\n本年增/减\n42\n101\n38\n106\n\n",
        );
        if !decisions_of_five_after_six {
            text.push_str(five_decisions);
        }
        text.push_str("第二十条第（六）项\n上一年项目数量\n本年增/减\n140\n7\n62\n-6\n\n");
        if decisions_of_five_after_six {
            text.push_str(five_decisions);
        }
        text.push_str(
            "行政事业性收费\n第二十条第（八）项\n上一年项目数量\n25\n\n信息内容\n政府集中采购\n\
             第二十条第（九）项\n采购项目数量\n646\n\n对外公开总数量\n0\n11\n\n处理决定数量\n147\n56\n\n\
             本年增/减\n1\n采购总金额（万元）\n16485.62 万元\n三、收到和处理政府信息公开申请情况\n",
        );
        text
    }

    #[test]
    fn a_column_printed_after_later_parts_goes_to_the_first_part_lacking_it() {
        let cells = read_t2(&extracted_2019(false), Era::Y2019);
        let expected = [
            ("t2.normative.new_published", 9.0),
            ("t2.normative.total_published", 11.0),
            ("t2.other_service.delta", 106.0),
            ("t2.license.decisions", 143.0),
            ("t2.coercion.delta", -6.0),
            ("t2.penalty.decisions", 147.0),
            ("t2.coercion.decisions", 56.0),
            ("t2.fee.prev_items", 25.0),
            ("t2.fee.delta", 1.0),
            ("t2.procurement.items", 646.0),
            ("t2.procurement.amount", 16485.62),
        ];
        for (key, want) in expected {
            assert_eq!(value(&cells, key), Some(want), "{key}");
        }
    }

    #[test]
    fn a_column_that_may_be_either_parts_is_read_only_when_the_runs_tell() {
        // 143 144 after 六's item, and later 147 56: a run for each part lacking the
        // column, read in the form's order.
        let cells = read_t2(&extracted_2019(true), Era::Y2019);
        assert_eq!(value(&cells, "t2.license.decisions"), Some(143.0));
        assert_eq!(value(&cells, "t2.coercion.decisions"), Some(56.0));
        // Without the second run, 143 144 may be 五's or 六's: neither is guessed.
        let one_run = extracted_2019(true).replace("处理决定数量\n147\n56\n\n", "");
        let cells = read_t2(&one_run, Era::Y2019);
        for key in [
            "t2.license.decisions",
            "t2.penalty.decisions",
            "t2.coercion.decisions",
        ] {
            assert!(!by_header(&cells, key), "{key} read by its header");
        }
        assert_eq!(value(&cells, "t2.coercion.delta"), Some(-6.0));
        // More such runs than parts: none of them is read, the first nor the later ones.
        let three_runs =
            extracted_2019(true).replace("本年增/减\n1\n", "处理决定数量\n1\n2\n\n本年增/减\n1\n");
        let cells = read_t2(&three_runs, Era::Y2019);
        for key in ["t2.license.decisions", "t2.penalty.decisions"] {
            assert!(!by_header(&cells, key), "{key} read by its header");
        }
        assert!(
            by_header(&cells, "t2.fee.delta"),
            "a column only one part has"
        );
    }
}
