//! Kind `blank_cells`: cells printed blank where the form wants a number.

use crate::check::{present, Draft};
use crate::keys::{Binding, KeyPattern};
use nianbao_model::{catalog, Evidence, Fault, Report};
use std::collections::BTreeMap;

pub(crate) fn blank_cells(report: &Report, patterns: &[KeyPattern]) -> Vec<Draft> {
    // By table, and why the blank may be the reading's (a value of the cell's row was
    // placed uncertainly, and the blank may be where it stands; or the blank itself was
    // read uncertainly).
    let mut by_table: BTreeMap<(&str, Option<String>), Vec<String>> = BTreeMap::new();
    // Looked for once, at the first blank: most reports leave none.
    let mut placed: Option<Vec<(&str, &nianbao_model::Doubt)>> = None;
    for key in present(report, patterns, &Binding::new()) {
        if report.value(key) == Some(None) {
            let table = catalog().get(key).map_or("", |f| f.table.as_str());
            let row = key.rsplit_once('.').map_or(key, |(row, _)| row);
            let beside = placed
                .get_or_insert_with(|| placed_in_order(report))
                .iter()
                .find(|(r, _)| *r == row)
                .map(|(_, why)| {
                    format!("同一行的数值位置读取不确定（{why}）；空白处可能就是该数值所在的列，不能断定是报告漏填")
                })
                .or_else(|| {
                    let why = report.cells.get(key)?.doubt()?;
                    Some(format!("该单元格读作空白并不确定（{why}）；不能断定是报告漏填"))
                });
            by_table
                .entry((table, beside))
                .or_default()
                .push(key.to_string());
        }
    }
    by_table
        .into_iter()
        .map(|((table, beside), cells)| {
            let mut d = Draft::new();
            if let Some(why) = beside {
                d.fault = Fault::Reading;
                d.fault_reason = Some(why);
            }
            d.span = report.cells.get(&cells[0]).map(|c| c.span);
            d.vars.insert("table", table.to_string());
            d.vars.insert("count", cells.len().to_string());
            d.vars.insert(
                "labels",
                cells
                    .iter()
                    .take(6)
                    .map(|k| catalog().label(k))
                    .collect::<Vec<_>>()
                    .join("；"),
            );
            d.evidence = Some(Evidence {
                blank: cells.clone(),
                ..Evidence::default()
            });
            d.cells = cells;
            d
        })
        .collect()
}

/// The rows (keys but their last part) with a value the reader put in order, not by its
/// column, and why: their blanks may be where those values stand. Most reports have none.
fn placed_in_order(report: &Report) -> Vec<(&str, &nianbao_model::Doubt)> {
    report
        .cells
        .iter()
        .filter_map(|(key, cell)| {
            let why = cell.doubt.as_deref()?;
            let placed =
                cell.value.is_some() && matches!(why, nianbao_model::Doubt::PlacedInOrder(_));
            let (row, _) = key.rsplit_once('.')?;
            placed.then_some((row, why))
        })
        .collect()
}
