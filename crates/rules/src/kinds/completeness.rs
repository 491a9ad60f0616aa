//! Kind `completeness`: the cells a table's form has that were not read. Checks that need
//! them are not made (absent is not 0); this finding says which, so that a person can read
//! them off the report. It is nianbao's limit, not the report's fault.

use crate::check::Draft;
use nianbao_model::{catalog, Fault, Report, TableId};

/// How many unread cells a message names before "…".
const NAMED: usize = 6;

pub(crate) fn unread(report: &Report, tables: &[TableId]) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for &id in tables {
        let Some(table) = report.table(id) else {
            continue;
        };
        let missing: Vec<&str> = catalog()
            .fields()
            .iter()
            .map(|f| f.key)
            .filter(|k| k.starts_with(id.key_prefix()))
            .filter(|k| !report.cells.contains_key(k) && report.expects(k))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let mut named: Vec<String> = missing
            .iter()
            .take(NAMED)
            .map(|k| catalog().label(k))
            .collect();
        if missing.len() > NAMED {
            named.push("…".into());
        }
        let mut d = Draft::new();
        d.cells = missing.iter().map(|k| k.to_string()).collect();
        d.span = Some(table.span);
        d.vars.insert("table", id.name().to_string());
        d.vars.insert("count", missing.len().to_string());
        d.vars.insert("unread", named.join("；"));
        d.fault = Fault::Reading;
        d.fault_reason = Some(format!(
            "{}有 {} 个单元格未能读出，是 nianbao 的读取所限，不是报告的问题",
            id.name(),
            missing.len()
        ));
        drafts.push(d);
    }
    drafts
}
