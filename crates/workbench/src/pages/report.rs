//! A report's page: its findings with their review, its tables redrawn from the cells (with
//! last year's values when that report is in the database), and its text with the finding
//! lines marked.

use super::{badges, esc, frame, live, score_text};
use crate::db::{Batch, StoredDecision, StoredReport};
use nianbao_model::{catalog, format_number, Fault, Finding, Report};
use nianbao_scorecard::{level_zh, severity_zh, AuditedReport, Decision};
use std::collections::{BTreeMap, BTreeSet};

/// What the report page shows besides the report.
pub struct Around<'a> {
    pub batch: &'a Batch,
    pub previous: Option<&'a Report>,
    pub decisions: &'a [StoredDecision],
    pub text: Result<Vec<String>, String>,
    /// The original file's bytes, to mark a finding's exact span where its offsets are
    /// those of the file (text formats).
    pub original: Option<Vec<u8>>,
    pub csrf: &'a str,
}

pub fn report(stored: &StoredReport, around: &Around) -> String {
    let a = match &stored.audited.outcome {
        Ok(a) => a,
        Err(reason) => {
            let body = format!(
                "<h1>{}</h1><p class=\"error\">无法读取：{}</p>{}",
                esc(&stored.name),
                esc(reason),
                download(stored)
            );
            return frame(&stored.name, Some(stored.batch), &body);
        }
    };
    let r = &a.report;
    let title = format!(
        "{} {}",
        r.organ.as_deref().unwrap_or("（未识别机关）"),
        r.year.map(|y| format!("{y}年度")).unwrap_or_default()
    );
    let mut body = format!("<h1>{}</h1>", esc(&title));
    body.push_str(&format!(
        r#"<p>得分 <b id="score">{}</b> · 层级 {} · 格式 {} · 发布 {} · 文件 {} {}</p>"#,
        score_text(a),
        r.level.map(level_zh).unwrap_or("未识别"),
        r.era.map(|e| e.as_str()).unwrap_or("—"),
        r.published
            .map(|d| d.to_string())
            .unwrap_or_else(|| "—".into()),
        esc(&stored.name),
        download(stored),
    ));
    body.push_str(&findings(stored, a, around));
    body.push_str(&resolved(a, around.decisions));
    body.push_str(&tables(a, around.previous));
    body.push_str(&text(a, &around.text, around.original.as_deref()));
    frame(&title, Some(around.batch.id), &body)
}

fn download(stored: &StoredReport) -> String {
    match &stored.sha256 {
        Some(_) => format!(r#"<a href="/reports/{}/file">下载原文件</a>"#, stored.id),
        None => String::new(),
    }
}

fn findings(stored: &StoredReport, a: &AuditedReport, around: &Around) -> String {
    if a.findings.is_empty() {
        return "<h2>问题</h2><p>没有发现问题。</p>".into();
    }
    let mut out = format!("<h2>问题（{} 条）</h2>", a.findings.len());
    for (i, f) in a.findings.iter().enumerate() {
        out.push_str(&finding(stored, a, i, f, around));
    }
    out
}

fn finding(
    stored: &StoredReport,
    a: &AuditedReport,
    i: usize,
    f: &Finding,
    around: &Around,
) -> String {
    let decided = a.review(i).map_or("", |r| r.decision.as_str());
    let fingerprint = &a.fingerprints[i];
    let mut out = format!(
        r#"<div class="finding {decided}" id="f-{fingerprint}" data-fingerprint="{fingerprint}"><div><b class="{sev}">{sev_zh}</b> <code>{rule}</code> {title}{badges}</div><div class="message">{message}</div>"#,
        sev = f.severity.as_str(),
        sev_zh = severity_zh(f.severity),
        rule = esc(&f.rule),
        title = esc(around.batch.setup.title(&f.rule)),
        badges = badges(a, i, f),
        message = esc(&f.message),
    );
    let mut meta = Vec::new();
    if let Some(span) = f.span.filter(|s| s.line > 0) {
        meta.push(format!(
            r##"<a href="#L{0}">第 {0} 行第 {1} 列</a>"##,
            span.line, span.column
        ));
    }
    if !f.cells.is_empty() {
        meta.push(format!("单元格 {}", esc(&f.cells.join(" "))));
    }
    if let Some(reason) = &f.fault_reason {
        meta.push(format!("{}：{}", f.fault.label(), esc(reason)));
    }
    if !meta.is_empty() {
        out.push_str(&format!(r#"<div class="meta">{}</div>"#, meta.join(" · ")));
    }
    if let Some(line) = f.span.and_then(|s| a.line(s.line)) {
        out.push_str(&format!(r#"<pre class="excerpt">{}</pre>"#, esc(line)));
    }
    out.push_str(&review_form(stored, a, i, around.csrf));
    out.push_str("</div>");
    out
}

fn review_form(stored: &StoredReport, a: &AuditedReport, i: usize, csrf: &str) -> String {
    let fingerprint = &a.fingerprints[i];
    let mut out = String::new();
    if let Some(r) = a.review(i) {
        out.push_str(&format!(
            r#"<div class="meta decided">审核：{}（{}，{}）{}</div>"#,
            r.decision.label(),
            esc(&r.reviewer),
            esc(&r.decided),
            match r.reason.is_empty() {
                true => String::new(),
                false => format!("：{}", esc(&r.reason)),
            }
        ));
    }
    let choices: String = Decision::ALL
        .iter()
        .map(|d| {
            let selected = a.review(i).is_some_and(|r| r.decision == *d);
            format!(
                r#"<option value="{}"{}>{}</option>"#,
                d.as_str(),
                if selected { " selected" } else { "" },
                d.label()
            )
        })
        .collect();
    // Nothing is chosen for the reviewer: a finding is never confirmed by a stray click.
    let prompt = match a.review(i) {
        Some(_) => "",
        None => r#"<option value="" disabled selected>审核结论…</option>"#,
    };
    out.push_str(&format!(
        r#"<form class="review" method="post" action="/findings/{fingerprint}/review"><input type="hidden" name="csrf" value="{csrf}"><input type="hidden" name="report" value="{report}"><select name="decision" required>{prompt}{choices}</select> 理由 <input name="reason" size="30"> 审核人 <input name="reviewer" size="8" required> <button name="action" value="decide">保存</button>{withdraw}</form>"#,
        csrf = esc(csrf),
        report = stored.id,
        withdraw = match a.review(i) {
            Some(_) => r#" <button name="action" value="withdraw" formnovalidate>撤销</button>"#,
            None => "",
        },
    ));
    out
}

/// Decisions on this organ's report of this year whose finding is no longer reported.
fn resolved(a: &AuditedReport, decisions: &[StoredDecision]) -> String {
    let current: BTreeSet<&str> = a.fingerprints.iter().map(String::as_str).collect();
    let gone: Vec<&StoredDecision> = decisions
        .iter()
        .filter(|d| !current.contains(d.fingerprint.as_str()))
        .collect();
    if gone.is_empty() {
        return String::new();
    }
    let mut out =
        "<h2>已解决</h2><p class=\"muted\">这些问题曾经审核过，本次审查不再出现。</p><ul>"
            .to_string();
    for d in gone {
        out.push_str(&format!(
            "<li><code>{}</code> {}（{}：{}，{}）</li>",
            esc(&d.rule),
            esc(&d.message),
            d.review.decision.label(),
            esc(&d.review.reviewer),
            esc(&d.review.decided)
        ));
    }
    out.push_str("</ul>");
    out
}

/// The statistical tables as read, cell by cell: flagged cells coloured by whose fault the
/// finding is, last year's value under this year's.
fn tables(a: &AuditedReport, previous: Option<&Report>) -> String {
    let r = &a.report;
    let mut flagged: BTreeMap<&str, Fault> = BTreeMap::new();
    for (i, f) in a.findings.iter().enumerate().filter(|(i, _)| live(a, *i)) {
        for cell in &f.cells {
            let fault = match a.review(i) {
                Some(_) => Fault::Report,
                None => f.fault,
            };
            let entry = flagged.entry(cell.as_str()).or_insert(fault);
            if fault == Fault::Report {
                *entry = Fault::Report;
            }
        }
    }
    // Fields of the catalogue this report has, grouped by table, in catalogue order.
    let mut by_table: Vec<(&str, Vec<&nianbao_model::FieldDef>)> = Vec::new();
    for field in catalog()
        .fields()
        .iter()
        .filter(|f| r.cells.contains_key(f.key))
    {
        match by_table.iter_mut().find(|(t, _)| *t == field.table) {
            Some((_, fields)) => fields.push(field),
            None => by_table.push((field.table.as_str(), vec![field])),
        }
    }
    if by_table.is_empty() {
        return "<h2>表格</h2><p>没有读出表格。</p>".into();
    }
    let mut out = "<h2>表格（按读出的单元格重绘）</h2>".to_string();
    if previous.is_some() {
        out.push_str("<p class=\"muted\">灰色小字为上一年度报告的同一单元格。</p>");
    }
    for (table, fields) in by_table {
        out.push_str(&table_html(table, &fields, a, previous, &flagged));
    }
    out
}

fn table_html(
    table: &str,
    fields: &[&nianbao_model::FieldDef],
    a: &AuditedReport,
    previous: Option<&Report>,
    flagged: &BTreeMap<&str, Fault>,
) -> String {
    // Rows in catalogue order, each with its columns; consecutive rows with the same
    // columns make one block (表二's parts have different columns).
    let mut rows: Vec<(String, Vec<&nianbao_model::FieldDef>)> = Vec::new();
    for f in fields {
        let row = f.row.join(" / ");
        match rows.iter_mut().find(|(r, _)| *r == row) {
            Some((_, cells)) => cells.push(f),
            None => rows.push((row, vec![f])),
        }
    }
    let columns = |cells: &[&nianbao_model::FieldDef]| -> Vec<String> {
        cells
            .iter()
            .map(|f| f.col.last().cloned().unwrap_or_default())
            .collect()
    };
    let mut out = format!("<h3>{}</h3>", esc(table));
    let mut current: Option<Vec<String>> = None;
    for (row, cells) in &rows {
        let cols = columns(cells);
        if current.as_ref() != Some(&cols) {
            if current.is_some() {
                out.push_str("</tbody></table>");
            }
            out.push_str("<table class=\"cells\"><thead><tr><th></th>");
            for c in &cols {
                out.push_str(&format!("<th>{}</th>", esc(c)));
            }
            out.push_str("</tr></thead><tbody>");
            current = Some(cols);
        }
        out.push_str(&format!("<tr><th>{}</th>", esc(row)));
        for f in cells {
            out.push_str(&cell_html(f.key, a, previous, flagged));
        }
        out.push_str("</tr>");
    }
    if current.is_some() {
        out.push_str("</tbody></table>");
    }
    out
}

fn cell_html(
    key: &str,
    a: &AuditedReport,
    previous: Option<&Report>,
    flagged: &BTreeMap<&str, Fault>,
) -> String {
    let cell = a.report.cells.get(key);
    let shown = cell.map_or(String::new(), |c| match c.value {
        Some(v) => format_number(v),
        None => c.raw.clone(),
    });
    let class = match flagged.get(key) {
        Some(Fault::Report) => " cell-report",
        Some(Fault::Reading) => " cell-reading",
        None => "",
    };
    let before = previous
        .and_then(|p| p.cells.get(key))
        .map(|c| c.value.map(format_number).unwrap_or_else(|| c.raw.clone()))
        .map(|v| format!(r#"<span class="prev">{}</span>"#, esc(&v)))
        .unwrap_or_default();
    format!(
        r#"<td class="n{class}" title="{key}">{}{before}</td>"#,
        esc(&shown),
        key = esc(key)
    )
}

/// The report's text with the lines findings point at marked (and anchored): the finding's
/// own characters where its span can be checked against the file, else the whole line.
fn text(a: &AuditedReport, lines: &Result<Vec<String>, String>, original: Option<&[u8]>) -> String {
    let lines = match lines {
        Ok(lines) => lines,
        Err(reason) => {
            return format!(
                "<h2>原文</h2><p class=\"muted\">无法显示原文：{}</p>",
                esc(reason)
            )
        }
    };
    // Per line: the char ranges to mark, or None to mark the whole line (a span that could
    // not be checked against the file).
    let mut marks: BTreeMap<u32, Option<Vec<(usize, usize)>>> = BTreeMap::new();
    let live_spans = a
        .findings
        .iter()
        .enumerate()
        .filter(|(i, _)| live(a, *i))
        .filter_map(|(_, f)| f.span.filter(|s| s.line > 0));
    for span in live_spans {
        let line = lines.get(span.line as usize - 1).map(String::as_str);
        let exact = line.and_then(|l| checked_range(l, span, original?));
        let entry = marks.entry(span.line).or_insert_with(|| Some(Vec::new()));
        match (entry.as_mut(), exact) {
            (Some(ranges), Some(range)) => ranges.push(range),
            _ => *entry = None,
        }
    }
    let mut out = "<h2>原文</h2><pre class=\"text\">".to_string();
    for (n, line) in lines.iter().enumerate() {
        let n = n as u32 + 1;
        match marks.get(&n) {
            None => out.push_str(&format!("<span id=\"L{n}\">{}</span>\n", esc(line))),
            Some(None) => out.push_str(&format!("<mark id=\"L{n}\">{}</mark>\n", esc(line))),
            Some(Some(ranges)) => out.push_str(&format!(
                "<span id=\"L{n}\" class=\"flagged\">{}</span>\n",
                marked(line, ranges)
            )),
        }
    }
    out.push_str("</pre>");
    out
}

/// The span's characters in the line (start, count), when the file's bytes at the span are
/// UTF-8 and stand at the span's column.
fn checked_range(
    line: &str,
    span: nianbao_model::SourceSpan,
    original: &[u8],
) -> Option<(usize, usize)> {
    let text = std::str::from_utf8(original.get(span.start..span.end)?).ok()?;
    let count = text.chars().count();
    let start = (span.column as usize).checked_sub(1)?;
    let here: String = line.chars().skip(start).take(count).collect();
    (count > 0 && here == text).then_some((start, count))
}

/// A line with char ranges wrapped in <mark>.
fn marked(line: &str, ranges: &[(usize, usize)]) -> String {
    let inside = |i: usize| ranges.iter().any(|&(s, n)| i >= s && i < s + n);
    let mut out = String::new();
    let mut open = false;
    for (i, c) in line.chars().enumerate() {
        if inside(i) != open {
            out.push_str(if open { "</mark>" } else { "<mark>" });
            open = !open;
        }
        out.push_str(&esc(&c.to_string()));
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::SourceSpan;

    #[test]
    fn a_span_is_marked_only_where_the_file_has_it() {
        let file = "标题\n一、本年新收\t8\t9\n".as_bytes();
        let line = "一、本年新收\t8\t9";
        let nine = file.len() - 2;
        let span = |column, start, end| SourceSpan {
            line: 2,
            column,
            start,
            end,
        };
        assert_eq!(
            checked_range(line, span(10, nine, nine + 1), file),
            Some((9, 1))
        );
        // Offsets that are not the file's (a PDF's extracted text): no exact mark.
        assert_eq!(checked_range(line, span(9, nine, nine + 1), file), None);
        assert_eq!(checked_range(line, span(10, 0, 400), file), None);
        assert_eq!(marked("a<b>c", &[(1, 3)]), "a<mark>&lt;b&gt;</mark>c");
    }
}
