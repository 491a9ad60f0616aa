//! The pages: plain HTML written here, every piece of report text escaped by `esc`.

pub mod batch;
mod heatmap;
pub mod home;
mod notice;
pub mod report;

pub use batch::ranking;
pub use heatmap::heatmap;
pub use home::{home, log, login};
pub use notice::notices;
pub use report::report;

use nianbao_model::Finding;
use nianbao_scorecard::{AuditedReport, Decision};

/// Text made safe for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A whole page: title, the navigation (with the batch's pages when there is one), body.
pub fn frame(title: &str, batch: Option<i64>, body: &str) -> String {
    let batch_links = batch
        .map(|b| {
            format!(
                r#"<a href="/batches/{b}">排名</a><a href="/batches/{b}/heatmap">热力图</a><a href="/batches/{b}/notices">整改通知</a>"#
            )
        })
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · nianbao 工作台</title>
<style>{CSS}</style></head>
<body><nav><a href="/" class="home">nianbao 工作台</a><a href="/import">导入报告</a>{batch_links}<a href="/log">审核记录</a></nav>
<main>{body}</main></body></html>"#,
        title = esc(title),
    )
}

const CSS: &str = r#"
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0;color:#222;background:#fafafa}
nav{background:#1f3a5f;padding:.6em 1em}nav a{color:#fff;margin-right:1.2em;text-decoration:none}nav a.home{font-weight:bold}
main{padding:1em 1.5em;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0;background:#fff}th,td{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
th{background:#eef2f7;font-weight:normal}tbody th{text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#b00020}.warning{color:#9a6700}.info{color:#555}.muted{color:#777}
.finding{border:1px solid #ddd;background:#fff;margin:.6em 0;padding:.5em .8em}
.finding.dismissed,.finding.misread{opacity:.6}.finding .meta{font-size:.9em;color:#555}
.badge{display:inline-block;padding:0 .4em;border-radius:3px;font-size:.85em;margin-left:.3em}
.badge.confirmed{background:#fde2e1}.badge.dismissed{background:#e6e6e6}.badge.misread{background:#e3ecfa}.badge.reading{background:#fff3c4}
.cell-report{background:#fde2e1}.cell-reading{background:#fff3c4}
pre.excerpt,pre.text{white-space:pre-wrap;background:#f4f4f4;padding:.4em;margin:.3em 0}
pre.text{max-height:40em;overflow:auto}mark{background:#ffd6d6}.flagged{background:#fff0f0}
form.inline{display:inline}form.review{margin-top:.4em}input,select,button{font:inherit}
.progress{background:#eef2f7;padding:.5em}.heat td{text-align:center;min-width:2.2em}.heat tbody th{white-space:nowrap}.heat thead th+th{writing-mode:vertical-rl;transform:rotate(180deg);font-size:.85em;padding:.4em .2em}
.prev{display:block;font-size:.8em;color:#777}
@media print{nav,form,.noprint{display:none}main{max-width:none}.notice{page-break-after:always}}
"#;

/// The decision's badge, or the 需复核 badge of a finding nianbao is not sure of.
pub fn badges(a: &AuditedReport, i: usize, finding: &Finding) -> String {
    let mut out = String::new();
    if finding.fault == nianbao_model::Fault::Reading {
        out.push_str(r#"<span class="badge reading">需复核</span>"#);
    }
    if let Some(r) = a.review(i) {
        out.push_str(&format!(
            r#"<span class="badge {}">{}</span>"#,
            r.decision.as_str(),
            r.decision.label()
        ));
    }
    out
}

/// Whether finding `i` still counts: not dismissed, not misread.
pub fn live(a: &AuditedReport, i: usize) -> bool {
    a.review(i)
        .is_none_or(|r| r.decision == Decision::Confirmed)
}

/// A number as the pages show it.
pub fn score_text(a: &AuditedReport) -> String {
    match a.score.value() {
        Some(_) => format!("{}（{}）", a.score.shown(), esc(&a.score.grade)),
        None => esc(&a.score.describe()),
    }
}

/// The value of an `<option>` list, `selected` marking the chosen one.
pub fn options(values: &[(String, String)], chosen: &str) -> String {
    values
        .iter()
        .map(|(v, label)| {
            let selected = if v == chosen { " selected" } else { "" };
            format!(
                r#"<option value="{}"{selected}>{}</option>"#,
                esc(v),
                esc(label)
            )
        })
        .collect()
}
