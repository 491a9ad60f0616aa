//! The tables of the official forms, filled with a gold report's values: 表二 (2019 and
//! 2021 forms), 表三, 表四, the national 统计指标表 of 2014–2018 and Fujian's local 统计表.
//! Rows and labels come from the catalogue of canonical cells (`fields.toml`); the form's
//! arrangement (bands, multi-level headers, merged group labels) is the official one.

use crate::gold::Gold;
use crate::rng::Rng;
use crate::values::{is_money, ValueStyle};
use crate::words::Words;
use nianbao_model::{catalog, Era, FieldDef, TableId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A row label or a group label.
    Label,
    /// A column header, a band title, a note.
    Header,
    /// A cell of a canonical key (or of a column without one, such as 历年累计).
    Value,
}

/// One cell of the form where it starts; it covers `rows` × `cols` grid positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub row: usize,
    pub col: usize,
    pub rows: usize,
    pub cols: usize,
    pub kind: Kind,
    pub text: String,
    /// The canonical key of a value cell.
    pub key: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: TableId,
    pub n_rows: usize,
    pub n_cols: usize,
    /// Rows at the top that are column headers (repeated after a page break).
    pub header_rows: usize,
    /// Columns at the left that hold labels.
    pub label_cols: usize,
    pub cells: Vec<Cell>,
}

impl Table {
    fn new(id: TableId, n_cols: usize, label_cols: usize) -> Table {
        Table {
            id,
            n_rows: 0,
            n_cols,
            header_rows: 0,
            label_cols,
            cells: Vec::new(),
        }
    }

    /// Adds a cell at (row, col) of the row being built (`n_rows - 1`).
    fn put(&mut self, col: usize, rows: usize, cols: usize, kind: Kind, text: &str) {
        self.cells.push(Cell {
            row: self.n_rows - 1,
            col,
            rows,
            cols,
            kind,
            text: text.to_string(),
            key: None,
        });
    }

    fn put_value(&mut self, col: usize, cols: usize, key: &str, text: String) {
        self.cells.push(Cell {
            row: self.n_rows - 1,
            col,
            rows: 1,
            cols,
            kind: Kind::Value,
            text,
            key: Some(key.to_string()),
        });
    }

    fn next_row(&mut self) {
        self.n_rows += 1;
    }

    /// The cells starting in row `row`, left to right.
    pub fn row(&self, row: usize) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(move |c| c.row == row)
    }

    /// The cell covering grid position (row, col).
    pub fn covering(&self, row: usize, col: usize) -> Option<&Cell> {
        self.cells.iter().find(|c| {
            (c.row..c.row + c.rows).contains(&row) && (c.col..c.col + c.cols).contains(&col)
        })
    }

    /// Row `row` as a converter that writes one cell for a merged cell sees it: each cell
    /// starting in the row, left to right, and `None` once for each merged cell covering it
    /// from a row above (whatever its width).
    pub fn cells_once(&self, row: usize) -> Vec<Option<&Cell>> {
        let mut out = Vec::new();
        let mut col = 0;
        while col < self.n_cols {
            match self.covering(row, col) {
                Some(cell) => {
                    out.push((cell.row == row).then_some(cell));
                    col = cell.col + cell.cols;
                }
                None => col += 1,
            }
        }
        out
    }

    /// Row `row` a text for every column: a merged cell's in its first position, or
    /// (`filled`) in every position it covers; empty elsewhere.
    pub fn texts_by_column(&self, row: usize, filled: bool) -> Vec<&str> {
        (0..self.n_cols)
            .map(|col| match self.covering(row, col) {
                Some(cell) if filled || (cell.row == row && cell.col == col) => cell.text.as_str(),
                _ => "",
            })
            .collect()
    }

    /// The rows a page may break after without splitting a merged cell.
    pub fn breakable_after(&self, row: usize) -> bool {
        !self
            .cells
            .iter()
            .any(|c| c.row <= row && row + 1 < c.row + c.rows)
    }
}

/// How a report prints its cells: wording and values.
pub struct Printer<'a> {
    pub gold: &'a Gold,
    pub words: &'a Words,
    pub style: &'a ValueStyle,
}

impl Printer<'_> {
    fn value(&self, key: &str) -> String {
        self.style.print(key, self.gold.value(key).flatten())
    }

    fn header(&self, key: &str, text: &str) -> String {
        let text = match is_money(key) {
            true => self.style.money_header(text),
            false => text.to_string(),
        };
        self.words.label(&text)
    }
}

/// The tables a gold report has, in the order of the form.
pub fn tables(printer: &Printer, rng: &mut Rng) -> Vec<Table> {
    let gold = printer.gold;
    let mut tables = Vec::new();
    if gold.era == Era::Pre2019 {
        if gold.has_table("old.") {
            // The national form has no 电子邮件申请数: a report counting it is on the local form.
            let local_only = gold.value("old.apply.email").is_some();
            tables.push(match fujian_rows(gold) {
                Some(rows) if local_only || rng.chance(0.5) => fujian(printer, &rows, rng),
                _ => national(printer),
            });
        }
        return tables;
    }
    if gold.has_table("t2.") {
        tables.push(t2(printer));
    }
    if gold.has_table("t3.") {
        tables.push(t3(printer));
    }
    if gold.has_table("t4.") {
        tables.push(t4(printer));
    }
    tables
}

/// The catalogue's fields of one table in one era, in declaration order.
fn fields(prefix: &str, era: Era) -> Vec<&'static FieldDef> {
    catalog()
        .fields()
        .iter()
        .filter(|f| f.key.starts_with(prefix) && f.eras.iter().any(|e| e == era.as_str()))
        .collect()
}

/// The column header of a field in an era: the 2021 wording where it differs.
fn column_label(field: &FieldDef, era: Era) -> &str {
    match (era, field.col.as_slice()) {
        (Era::Y2021, [_, newer, ..]) => newer,
        (_, [first, ..]) => first,
        _ => "",
    }
}

/// Groups items by a key, keeping the order of first appearance.
fn grouped<T, K: PartialEq + Clone>(items: &[T], key: impl Fn(&T) -> K) -> Vec<(K, Vec<&T>)> {
    let mut groups: Vec<(K, Vec<&T>)> = Vec::new();
    for item in items {
        let k = key(item);
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, list)) => list.push(item),
            None => groups.push((k, vec![item])),
        }
    }
    groups
}

/// Column spans of `n` value columns over three grid columns.
fn spans(n: usize) -> Vec<usize> {
    match n {
        1 => vec![3],
        2 => vec![1, 2],
        _ => vec![1; n],
    }
}

/// 表二: a band per 第二十条 item — its title across the table, a header row
/// (信息内容 + the band's columns), then its rows.
fn t2(p: &Printer) -> Table {
    let era = p.gold.era;
    let all = fields("t2.", era);
    let mut table = Table::new(TableId::T2, 4, 1);
    // The bands in the order of the article's items (一, 五, 六, 八, 九), whatever order the
    // catalogue declares its fields in.
    let mut bands = grouped(&all, |f| f.row[0].clone());
    bands.sort_by_key(|(band, _)| {
        ["（一）", "（五）", "（六）", "（八）", "（九）"]
            .iter()
            .position(|item| band.contains(item))
    });
    for (band, band_fields) in bands {
        let band_fields: Vec<&FieldDef> = band_fields.into_iter().copied().collect();
        let columns = grouped(&band_fields, |f| column_label(f, era).to_string());
        let widths = spans(columns.len());
        table.next_row();
        table.put(0, 1, 4, Kind::Header, &p.words.label(&band));
        table.next_row();
        table.put(0, 1, 1, Kind::Header, "信息内容");
        let mut col = 1;
        for ((label, members), width) in columns.iter().zip(&widths) {
            table.put(
                col,
                1,
                *width,
                Kind::Header,
                &p.header(members[0].key, label),
            );
            col += width;
        }
        for (row_label, row_fields) in grouped(&band_fields, |f| f.row[1].clone()) {
            table.next_row();
            table.put(0, 1, 1, Kind::Label, &p.words.label(&row_label));
            let mut col = 1;
            for ((label, _), width) in columns.iter().zip(&widths) {
                if let Some(field) = row_fields.iter().find(|f| column_label(f, era) == label) {
                    table.put_value(col, *width, field.key, p.value(field.key));
                }
                col += width;
            }
        }
    }
    table
}

/// 表三: three header rows (申请人情况 / 自然人, 法人或其他组织, 总计 / the five kinds of
/// 法人), then a row per item, its group labels merged down the rows they cover.
fn t3(p: &Printer) -> Table {
    let era = p.gold.era;
    let all = fields("t3.", era);
    let rows = grouped(&all, |f| f.row.clone());
    let mut table = Table::new(TableId::T3, 10, 3);
    table.next_row();
    table.put(
        0,
        3,
        3,
        Kind::Header,
        &p.words
            .bracket("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
    );
    table.put(3, 1, 7, Kind::Header, "申请人情况");
    table.next_row();
    table.put(3, 2, 1, Kind::Header, "自然人");
    table.put(4, 1, 5, Kind::Header, &p.words.label("法人或其他组织"));
    table.put(9, 2, 1, Kind::Header, "总计");
    table.next_row();
    for (k, name) in [
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
    ]
    .iter()
    .enumerate()
    {
        table.put(4 + k, 1, 1, Kind::Header, name);
    }
    table.header_rows = 3;
    let paths: Vec<&Vec<String>> = rows.iter().map(|(path, _)| path).collect();
    for (i, (path, row_fields)) in rows.iter().enumerate() {
        table.next_row();
        let run = |level: usize| {
            paths[i..]
                .iter()
                .take_while(|p| p.len() > level + 1 && p[..=level] == path[..=level])
                .count()
        };
        let starts = |level: usize| i == 0 || paths[i - 1].get(..=level) != path.get(..=level);
        match path.len() {
            1 => table.put(0, 1, 3, Kind::Label, &p.words.label(&path[0])),
            2 => {
                if starts(0) {
                    table.put(0, run(0), 1, Kind::Label, &p.words.label(&path[0]));
                }
                table.put(1, 1, 2, Kind::Label, &p.words.label(&path[1]));
            }
            _ => {
                if starts(0) {
                    table.put(0, run(0), 1, Kind::Label, &p.words.label(&path[0]));
                }
                if starts(1) {
                    table.put(1, run(1), 1, Kind::Label, &p.words.label(&path[1]));
                }
                table.put(2, 1, 1, Kind::Label, &p.words.label(&path[2]));
            }
        }
        for (k, field) in row_fields.iter().enumerate() {
            table.put_value(3 + k, 1, field.key, p.value(field.key));
        }
    }
    table
}

/// 表四: 行政复议 and 行政诉讼 (未经复议直接起诉, 复议后起诉) over one row of fifteen.
fn t4(p: &Printer) -> Table {
    let all = fields("t4.", p.gold.era);
    let mut table = Table::new(TableId::T4, 15, 0);
    table.next_row();
    table.put(0, 1, 5, Kind::Header, "行政复议");
    table.put(5, 1, 10, Kind::Header, "行政诉讼");
    table.next_row();
    let groups = grouped(&all, |f| f.row.clone());
    for (k, field) in groups[0].1.iter().enumerate() {
        table.put(k, 2, 1, Kind::Header, &field.col[0]);
    }
    for (g, (path, _)) in groups.iter().enumerate().skip(1) {
        let label = path.last().map_or("", String::as_str);
        table.put(5 * g, 1, 5, Kind::Header, label);
    }
    table.next_row();
    for (g, (_, members)) in groups.iter().enumerate().skip(1) {
        for (k, field) in members.iter().enumerate() {
            table.put(5 * g + k, 1, 1, Kind::Header, &field.col[0]);
        }
    }
    table.header_rows = 3;
    table.next_row();
    for (k, field) in all.iter().enumerate() {
        table.put_value(k, 1, field.key, p.value(field.key));
    }
    table
}

/// The unit a 统计指标 is counted in.
fn unit_of(label: &str, key: &str) -> &'static str {
    if is_money(key) {
        return "万元";
    }
    [
        ("信息数", "条"),
        ("稿件", "条"),
        ("次数", "次"),
        ("事件数", "次"),
        ("舆情数", "次"),
        ("人数", "人"),
        ("人员数", "人"),
        ("份数", "份"),
        ("期数", "期"),
        ("申请数", "件"),
        ("答复数", "件"),
        ("办结数", "件"),
        ("数量", "件"),
        ("文件数", "件"),
    ]
    .iter()
    .find(|(word, _)| label.contains(word))
    .map_or("个", |(_, unit)| unit)
}

/// The national 统计指标表 (2014–2018): 统计指标 | 单位 | 统计数, group rows without
/// values above the items they hold.
fn national(p: &Printer) -> Table {
    let mut table = Table::new(TableId::Old, 3, 2);
    table.next_row();
    table.put(0, 1, 1, Kind::Header, "统计指标");
    table.put(1, 1, 1, Kind::Header, "单位");
    table.put(2, 1, 1, Kind::Header, "统计数");
    table.header_rows = 1;
    let mut printed: Vec<Vec<String>> = Vec::new();
    for field in fields("old.", Era::Pre2019) {
        if p.gold.value(field.key).is_none() {
            continue;
        }
        for depth in 1..field.row.len() {
            let group = field.row[..depth].to_vec();
            let has_own_value = fields("old.", Era::Pre2019)
                .iter()
                .any(|f| f.row == group && p.gold.value(f.key).is_some());
            if !has_own_value && !printed.contains(&group) {
                table.next_row();
                table.put(0, 1, 1, Kind::Label, &p.words.label(&group[depth - 1]));
                table.put(1, 1, 1, Kind::Label, "");
                table.put(2, 1, 1, Kind::Value, "");
                printed.push(group);
            }
        }
        let label = field.row.last().map_or("", String::as_str);
        table.next_row();
        table.put(0, 1, 1, Kind::Label, &p.words.label(label));
        table.put(1, 1, 1, Kind::Label, unit_of(label, field.key));
        table.put_value(2, 1, field.key, p.value(field.key));
        printed.push(field.row.clone());
    }
    table
}

/// Fujian's local 统计表 (2008–2018): its rows, in order, with the wordings its years
/// used; a row with `first` opens a 其中 list, whose items are numbered.
struct LocalRow {
    key: &'static str,
    labels: &'static [&'static str],
    item: bool,
}

const FUJIAN: &[LocalRow] = &[
    LocalRow {
        key: "old.active.total",
        labels: &["主动公开信息数", "主动公开文件数"],
        item: false,
    },
    LocalRow {
        key: "old.channels.website",
        labels: &["网站公开", "政府网站公开数"],
        item: true,
    },
    LocalRow {
        key: "old.channels.gazette",
        labels: &["政府公报公开", "政府公报公开数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.received",
        labels: &["受理依申请公开信息总数", "受理政府信息依申请公开总数"],
        item: false,
    },
    LocalRow {
        key: "old.apply.in_person",
        labels: &["当面申请数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.fax",
        labels: &["传真申请数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.email",
        labels: &["电子邮件申请数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.online",
        labels: &["网上申请数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.letter",
        labels: &["信函申请数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.other",
        labels: &["其它形式申请数", "其他形式申请数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.answered",
        labels: &["对申请的答复数", "对申请的答复总数"],
        item: false,
    },
    LocalRow {
        key: "old.apply.granted",
        labels: &["同意公开答复数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.partial",
        labels: &["同意部分公开答复数"],
        item: true,
    },
    LocalRow {
        key: "old.apply.denied",
        labels: &["否决公开答复数", "不予公开答复数"],
        item: true,
    },
    LocalRow {
        key: "old.review.total",
        labels: &["行政复议数"],
        item: false,
    },
    LocalRow {
        key: "old.suit.total",
        labels: &["行政诉讼数"],
        item: false,
    },
    LocalRow {
        key: "old.complaint.total",
        labels: &["行政申诉数", "接受行政投诉、举报数"],
        item: false,
    },
];

/// The local table's rows for a gold report, when every cell it has is one of them.
fn fujian_rows(gold: &Gold) -> Option<Vec<&'static LocalRow>> {
    let rows: Vec<&LocalRow> = FUJIAN
        .iter()
        .filter(|r| gold.value(r.key).is_some())
        .collect();
    (rows.len() == gold.cells.len()).then_some(rows)
}

fn fujian(p: &Printer, rows: &[&LocalRow], rng: &mut Rng) -> Table {
    let mut table = Table::new(TableId::Old, 4, 2);
    table.next_row();
    table.put(0, 1, 1, Kind::Header, "指标名称");
    table.put(1, 1, 1, Kind::Header, "计量单位");
    table.put(2, 1, 1, Kind::Header, &format!("{}年度", p.gold.year));
    table.put(3, 1, 1, Kind::Header, "历年累计");
    table.header_rows = 1;
    let wording = rng.below(2);
    let mark = *rng.pick(&[".", "、"]);
    let mut item = 0;
    for row in rows {
        let label = row.labels[wording.min(row.labels.len() - 1)];
        let label = match row.item {
            true => {
                item += 1;
                let lead = if item == 1 { "其中：" } else { "" };
                format!("{lead}{item}{mark}{label}")
            }
            false => {
                item = 0;
                label.to_string()
            }
        };
        table.next_row();
        table.put(0, 1, 1, Kind::Label, &label);
        table.put(
            1,
            1,
            1,
            Kind::Label,
            if row.key.contains("apply")
                || row.key.contains("active")
                || row.key.contains("channels")
            {
                "条"
            } else {
                "件"
            },
        );
        table.put_value(2, 1, row.key, p.value(row.key));
        // 历年累计: this year's value and the years before (not in the gold, not read back).
        let this_year = p.gold.value(row.key).flatten().unwrap_or(0.0);
        let cumulative = this_year + (rng.below(4) * rng.below(3000)) as f64;
        table.put(3, 1, 1, Kind::Value, &p.style.print("", Some(cumulative)));
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn gold(era: Era, cells: &[(&str, Option<f64>)]) -> Gold {
        Gold {
            name: "t".into(),
            source: "t".into(),
            organ: "某县人民政府".into(),
            level: None,
            year: 2021,
            era,
            sections: None,
            cells: cells
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>(),
            findings: Vec::new(),
        }
    }

    #[test]
    fn table_three_has_its_rows_and_merged_group_labels() {
        let g = gold(Era::Y2021, &[("t3.new.total", Some(5.0))]);
        let (words, style) = (Words::official(), ValueStyle::plain());
        let p = Printer {
            gold: &g,
            words: &words,
            style: &style,
        };
        let t = tables(&p, &mut Rng::new(1)).remove(0);
        assert_eq!(t.id, TableId::T3);
        // 3 header rows + 25 rows of the 2021 form, 22 of them under 三、本年度办理结果.
        assert_eq!(t.n_rows, 3 + 25);
        let group = t
            .cells
            .iter()
            .find(|c| c.text == "三、本年度办理结果")
            .unwrap();
        assert_eq!(group.rows, 22);
        let total = t
            .cells
            .iter()
            .find(|c| c.key.as_deref() == Some("t3.new.total"))
            .unwrap();
        assert_eq!((total.col, total.text.as_str()), (9, "5"));
        assert_eq!(t.covering(10, 0).unwrap().text, "三、本年度办理结果");
        assert!(!t.breakable_after(10));
        assert!(t.breakable_after(t.n_rows - 2));
    }

    #[test]
    fn table_two_bands_span_single_columns() {
        let g = gold(Era::Y2021, &[("t2.license.decisions", Some(550.0))]);
        let (words, style) = (Words::official(), ValueStyle::plain());
        let p = Printer {
            gold: &g,
            words: &words,
            style: &style,
        };
        let t = t2(&p);
        let cell = t
            .cells
            .iter()
            .find(|c| c.key.as_deref() == Some("t2.license.decisions"))
            .unwrap();
        assert_eq!((cell.cols, cell.text.as_str()), (3, "550"));
    }
}
