//! Rules × organs: how many live findings each rule has in each report of the batch.

use super::{esc, frame, live};
use crate::db::{Batch, StoredReport};
use std::collections::BTreeMap;

pub fn heatmap(batch: &Batch, reports: &[StoredReport]) -> String {
    // Live findings per report and rule.
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut rows: Vec<(&StoredReport, String, BTreeMap<&str, usize>)> = Vec::new();
    for r in reports {
        let Ok(a) = &r.audited.outcome else { continue };
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let live_findings = a.findings.iter().enumerate().filter(|(i, _)| live(a, *i));
        for (_, f) in live_findings {
            *counts.entry(f.rule.as_str()).or_default() += 1;
            *rules.entry(f.rule.clone()).or_default() += 1;
        }
        let organ = a.report.organ.clone().unwrap_or_else(|| r.name.clone());
        let label = match a.report.year {
            Some(y) => format!("{organ} {y}"),
            None => organ,
        };
        rows.push((r, label, counts));
    }
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let mut columns: Vec<(&String, &usize)> = rules.iter().collect();
    columns.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let mut body = format!(
        "<h1>热力图：规则 × 机关</h1><p class=\"muted\">每格为该报告中该规则的问题数（驳回、误读的不计）；共 {} 份报告，{} 条规则有问题。</p>",
        rows.len(),
        columns.len()
    );
    body.push_str("<table class=\"heat\"><thead><tr><th>机关</th>");
    for (rule, total) in &columns {
        body.push_str(&format!(
            r#"<th title="{} — {} 处">{}</th>"#,
            esc(batch.setup.title(rule)),
            total,
            esc(rule)
        ));
    }
    body.push_str("</tr></thead><tbody>");
    for (r, label, counts) in &rows {
        body.push_str(&format!(
            r#"<tr><th><a href="/reports/{}">{}</a></th>"#,
            r.id,
            esc(label)
        ));
        for (rule, _) in &columns {
            let n = counts.get(rule.as_str()).copied().unwrap_or(0);
            let shade = match n {
                0 => String::new(),
                n => format!(
                    r#" style="background:rgba(200,30,30,{:.2})""#,
                    (0.2 + 0.2 * n as f64).min(0.9)
                ),
            };
            let shown = if n == 0 { String::new() } else { n.to_string() };
            body.push_str(&format!("<td{shade}>{shown}</td>"));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table>");
    frame("热力图", Some(batch.id), &body)
}
