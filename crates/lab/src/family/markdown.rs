//! Markdown as PDF converters write it: pipe tables whose header row is a placeholder
//! (数据1 … 数据N) or empty or the table's first row, merged cells repeated or left empty,
//! and labels split from their values onto rows of their own.

use super::Layout;
use crate::form::{Kind, Table};
use crate::narrative::{Block, Composed};
use crate::rng::Rng;

pub const LAYOUTS: &[Layout] = &[
    Layout::MdPlaceholder,
    Layout::MdHeaderRow,
    Layout::MdSplitLabels,
    Layout::MdPandoc,
    Layout::MdSpansDropped,
];

pub fn render(report: &Composed, layout: Layout, rng: &mut Rng) -> String {
    let mut out = String::new();
    for block in &report.blocks {
        match block {
            Block::PageTop(lines) => {
                for line in lines {
                    out.push_str(&format!("{line}\n\n"));
                }
            }
            Block::Title(lines) => {
                for line in lines {
                    out.push_str(&format!("# {line}\n\n"));
                }
            }
            Block::Heading(t) => out.push_str(&match rng.below(3) {
                0 => format!("## {t}\n\n"),
                1 => format!("**{t}**\n\n"),
                _ => format!("{t}\n\n"),
            }),
            Block::Paragraph(t) => out.push_str(&format!("{t}\n\n")),
            Block::Signature(lines) => {
                for line in lines {
                    out.push_str(&format!("{line}\n\n"));
                }
            }
            Block::Table(table) => {
                out.push_str(&pipe_table(table, layout, rng));
                out.push('\n');
            }
        }
    }
    out
}

fn pipe_row(cells: &[String]) -> String {
    format!("| {} |\n", cells.join(" | "))
}

fn pipe_table(table: &Table, layout: Layout, rng: &mut Rng) -> String {
    let repeat_merged = rng.chance(0.4);
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in 0..table.n_rows {
        let row: Vec<String> = match layout {
            Layout::MdSpansDropped => spans_dropped(table, r),
            _ => table
                .texts_by_column(r, repeat_merged)
                .into_iter()
                .map(str::to_string)
                .collect(),
        };
        if layout == Layout::MdSplitLabels {
            rows.extend(split_label(table, r, row, rng));
        } else {
            rows.push(row);
        }
    }
    let header: Vec<String> = match layout {
        Layout::MdHeaderRow if !rows.is_empty() => rows.remove(0),
        _ if rng.chance(0.2) => vec![String::new(); table.n_cols],
        _ => (1..=table.n_cols).map(|i| format!("数据{i}")).collect(),
    };
    let mut out = pipe_row(&header);
    out.push_str(&pipe_row(&vec!["---".to_string(); table.n_cols]));
    for row in rows {
        out.push_str(&pipe_row(&row));
    }
    out
}

/// Row `r` as a converter that ignores rowspan and colspan writes it (an HTML-to-Markdown
/// converter's table rule): a cell for each merged cell that starts in the row, an empty
/// one for each that covers it from above, the row padded with empty cells to the
/// table's width.
fn spans_dropped(table: &Table, r: usize) -> Vec<String> {
    let mut row: Vec<String> = table
        .cells_once(r)
        .into_iter()
        .map(|cell| cell.map_or_else(String::new, |cell| cell.text.clone()))
        .collect();
    row.resize(table.n_cols.max(row.len()), String::new());
    row
}

/// A data row whose long label a converter put on a row of its own: either the whole label
/// above its values, or the label's first line above and the rest beside the values.
fn split_label(table: &Table, r: usize, row: Vec<String>, rng: &mut Rng) -> Vec<Vec<String>> {
    let has_values = table
        .row(r)
        .any(|c| c.kind == Kind::Value && !c.text.is_empty());
    let leaf = (0..table.label_cols).rev().find(|&c| {
        table
            .covering(r, c)
            .is_some_and(|x| x.row == r && x.col == c)
    });
    let Some(leaf) = leaf.filter(|_| has_values && rng.chance(0.5)) else {
        return vec![row];
    };
    let label: Vec<char> = row[leaf].chars().collect();
    if label.len() < 6 {
        return vec![row];
    }
    let mut above = vec![String::new(); row.len()];
    let mut below = row.clone();
    match rng.chance(0.5) {
        true => {
            above[..=leaf].clone_from_slice(&row[..=leaf]);
            below[..=leaf].iter_mut().for_each(|c| c.clear());
        }
        false => {
            let at = label.len() / 2;
            above[leaf] = label[..at].iter().collect();
            below[leaf] = label[at..].iter().collect();
        }
    }
    vec![above, below]
}
