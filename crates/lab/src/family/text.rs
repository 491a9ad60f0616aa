//! Plain text as reports reach an office after extraction or crawling: tab rows, one cell
//! per line, columns laid out with runs of spaces (wrapped labels, values centred on them),
//! item numbers on a line of their own, and crawled pages whose cells ran together.

use super::Layout;
use crate::form::{Kind, Table};
use crate::narrative::{Block, Composed};
use crate::rng::Rng;

pub const LAYOUTS: &[Layout] = &[
    Layout::TextTabs,
    Layout::TextTabsPadded,
    Layout::TextTabsGrid,
    Layout::TextCellPerLine,
    Layout::TextSpaces,
    Layout::TextSubrowNumber,
    Layout::TextRunTogether,
    Layout::TextPandoc,
    Layout::TextLibreOffice,
];

pub fn render(report: &Composed, layout: Layout, rng: &mut Rng) -> String {
    let covered_as_tabs = rng.chance(0.5);
    let mut out = String::new();
    for block in &report.blocks {
        match block {
            Block::Heading(t) | Block::Paragraph(t) => {
                out.push_str(t);
                out.push('\n');
            }
            Block::PageTop(lines) | Block::Title(lines) => {
                for line in lines {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Block::Signature(lines) => {
                for line in lines {
                    out.push_str(&" ".repeat(rng.between(20, 40)));
                    out.push_str(line);
                    out.push('\n');
                }
            }
            Block::Table(table) => out.push_str(&match layout {
                Layout::TextCellPerLine => cell_per_line(table),
                Layout::TextSpaces => spaces(table, rng),
                Layout::TextSubrowNumber => tab_rows(table, covered_as_tabs, true),
                Layout::TextRunTogether => run_together(table, rng),
                Layout::TextTabsPadded => padded(&tab_rows(table, true, false)),
                Layout::TextTabsGrid => every_column(table, rng.chance(0.5)),
                _ => tab_rows(table, covered_as_tabs, false),
            }),
        }
        if rng.chance(0.6) {
            out.push('\n');
        }
    }
    out
}

/// Rows of tab-separated cells. Positions a merged cell covers from a row above are left
/// out, or kept as empty cells (`covered_as_tabs`), as converters do either.
fn tab_rows(table: &Table, covered_as_tabs: bool, number_lines: bool) -> String {
    let mut out = String::new();
    for r in 0..table.n_rows {
        let mut cells: Vec<&str> = Vec::new();
        let mut labels: Vec<bool> = Vec::new();
        for cell in table.cells_once(r) {
            match cell {
                Some(cell) => {
                    cells.push(&cell.text);
                    labels.push(cell.kind == Kind::Label);
                }
                None if covered_as_tabs => {
                    cells.push("");
                    labels.push(false);
                }
                None => {}
            }
        }
        let numbered = (0..cells.len()).position(|i| labels[i] && item_number(cells[i]).is_some());
        match numbered.filter(|_| number_lines) {
            Some(at) => {
                let (number, label) = item_number(cells[at]).unwrap_or(("", cells[at]));
                if at > 0 {
                    out.push_str(&cells[..at].join("\t"));
                    out.push('\n');
                }
                out.push_str(number);
                out.push('\n');
                out.push_str(label);
                out.push('\n');
                out.push_str(&cells[at + 1..].join("\t"));
            }
            None => out.push_str(&cells.join("\t")),
        }
        out.push('\n');
    }
    out
}

/// Tab rows with a cell for every column: a merged cell's text in its first position and
/// the positions it covers empty, or (`filled`, as a sheet whose merged cells were split
/// and filled) its text in every position it covers.
fn every_column(table: &Table, filled: bool) -> String {
    let mut out = String::new();
    for r in 0..table.n_rows {
        out.push_str(&table.texts_by_column(r, filled).join("\t"));
        out.push('\n');
    }
    out
}

/// Tab rows each padded with empty cells at its end to the widest row's count of cells.
fn padded(rows: &str) -> String {
    let tabs = |line: &str| line.matches('\t').count();
    let widest = rows.lines().map(tabs).max().unwrap_or(0);
    rows.lines()
        .map(|line| format!("{line}{}\n", "\t".repeat(widest - tabs(line))))
        .collect()
}

/// "3.其他" → ("3.", "其他").
fn item_number(text: &str) -> Option<(&str, &str)> {
    let digits = text.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let mark = text[digits..].chars().next()?;
    if !matches!(mark, '.' | '、' | '．') {
        return None;
    }
    let split = digits + mark.len_utf8();
    let rest = text[split..].trim_start();
    (!rest.is_empty()).then(|| (&text[..split], rest))
}

/// Every cell on a line of its own; an empty cell is a line holding a space.
fn cell_per_line(table: &Table) -> String {
    let mut out = String::new();
    for cell in &table.cells {
        out.push_str(if cell.text.is_empty() {
            " "
        } else {
            &cell.text
        });
        out.push('\n');
    }
    out
}

/// The whole table on one line, cells run together as crawlers flatten a page; now and then
/// a space survives between two cells.
fn run_together(table: &Table, rng: &mut Rng) -> String {
    let mut out = String::new();
    for cell in &table.cells {
        if !out.is_empty() && cell.kind == Kind::Value && rng.chance(0.1) {
            out.push(' ');
        }
        out.push_str(&cell.text);
    }
    out.push('\n');
    out
}

fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// Text cut into lines of at most `limit` display columns.
fn wrap(text: &str, limit: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for ch in text.chars() {
        let line = lines.last_mut().expect("one line at least");
        if !line.is_empty() && width(line) + width(&ch.to_string()) > limit {
            lines.push(String::new());
        }
        lines.last_mut().expect("one line at least").push(ch);
    }
    lines
}

/// Columns laid out with spaces, as `pdftotext -layout` prints a ruled table: long labels
/// wrapped in their column, values centred on the lines of their row (or on the first
/// line), merged group labels centred over the rows they cover.
fn spaces(table: &Table, rng: &mut Rng) -> String {
    let gap = rng.between(2, 4);
    let centred = rng.chance(0.6);
    let label_cap = rng.between(8, 22);
    let mut widths = vec![1usize; table.n_cols];
    for cell in table.cells.iter().filter(|c| c.cols == 1) {
        let cap = if cell.kind == Kind::Value {
            14
        } else {
            label_cap
        };
        widths[cell.col] = widths[cell.col].max(width(&cell.text).min(cap));
    }
    let span_width = |col: usize, cols: usize| -> usize {
        widths[col..col + cols].iter().sum::<usize>() + gap * (cols - 1)
    };
    let wrapped: Vec<Vec<String>> = table
        .cells
        .iter()
        .map(|c| wrap(&c.text, span_width(c.col, c.cols)))
        .collect();
    // Height of each grid row: its one-row cells' lines; a merged cell stretches its last row.
    let mut heights = vec![1usize; table.n_rows];
    for (cell, lines) in table.cells.iter().zip(&wrapped) {
        if cell.rows == 1 {
            heights[cell.row] = heights[cell.row].max(lines.len());
        }
    }
    for (cell, lines) in table.cells.iter().zip(&wrapped) {
        let covered: usize = heights[cell.row..cell.row + cell.rows].iter().sum();
        if lines.len() > covered {
            heights[cell.row + cell.rows - 1] += lines.len() - covered;
        }
    }
    let tops: Vec<usize> = heights
        .iter()
        .scan(0, |top, h| {
            let at = *top;
            *top += h;
            Some(at)
        })
        .collect();
    let total: usize = heights.iter().sum();
    let mut page: Vec<Vec<Option<(String, usize)>>> = vec![vec![None; table.n_cols]; total];
    for (cell, lines) in table.cells.iter().zip(&wrapped) {
        let top = tops[cell.row];
        let height: usize = heights[cell.row..cell.row + cell.rows].iter().sum();
        let first = match centred || cell.rows > 1 {
            true => top + (height - lines.len()) / 2,
            false => top,
        };
        for (k, line) in lines.iter().enumerate() {
            page[first + k][cell.col] = Some((line.clone(), cell.cols));
        }
    }
    let mut out = String::new();
    for line in page {
        let mut text = String::new();
        let mut c = 0;
        while c < table.n_cols {
            let (piece, cols) = line[c].clone().unwrap_or_default();
            let cols = cols.max(1);
            let w = span_width(c, cols);
            text.push_str(&piece);
            text.push_str(&" ".repeat(w.saturating_sub(width(&piece)) + gap));
            c += cols;
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_numbers_split_from_their_labels() {
        assert_eq!(item_number("3.其他"), Some(("3.", "其他")));
        assert_eq!(item_number("12、重复申请"), Some(("12、", "重复申请")));
        assert_eq!(item_number("其他"), None);
        assert_eq!(wrap("一二三四五", 4), vec!["一二", "三四", "五"]);
    }

    #[test]
    fn padded_rows_end_with_empty_cells_to_the_widest() {
        assert_eq!(
            padded("一、\t甲\t1\n\t\t乙\t2\n"),
            "一、\t甲\t1\t\n\t\t乙\t2\n"
        );
    }
}
