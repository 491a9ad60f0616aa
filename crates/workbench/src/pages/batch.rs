//! A batch's ranking: filters, ties sharing a rank, unscored and unreadable files last.

use super::{esc, frame, live, options, score_text};
use crate::db::{Batch, StoredReport};
use nianbao_model::{Fault, Severity};
use nianbao_scorecard::{level_zh, AuditedReport};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The ranking's filters and order, from the query string.
#[derive(Debug, Default, Deserialize)]
pub struct RankingQuery {
    pub year: Option<String>,
    pub level: Option<String>,
    pub grade: Option<String>,
    pub rule: Option<String>,
    pub fault: Option<String>,
    pub organ: Option<String>,
    pub sort: Option<String>,
}

impl RankingQuery {
    fn get(field: &Option<String>) -> &str {
        field.as_deref().unwrap_or("")
    }

    fn keeps(&self, r: &StoredReport) -> bool {
        let Ok(a) = &r.audited.outcome else {
            // Unreadable files are shown unless a filter asks about reports.
            return [
                &self.year,
                &self.level,
                &self.grade,
                &self.rule,
                &self.fault,
            ]
            .iter()
            .all(|f| Self::get(f).is_empty());
        };
        let report = &a.report;
        let wanted = |f: &Option<String>, have: String| {
            let f = Self::get(f);
            f.is_empty() || f == have
        };
        wanted(
            &self.year,
            report.year.map(|y| y.to_string()).unwrap_or_default(),
        ) && wanted(
            &self.level,
            report
                .level
                .map(|l| l.as_str().to_string())
                .unwrap_or_default(),
        ) && wanted(&self.grade, a.score.grade.clone())
            && (Self::get(&self.rule).is_empty()
                || has_live(a, |f| f.rule == Self::get(&self.rule)))
            && match Self::get(&self.fault) {
                "" => true,
                "report" => has_live(a, |f| f.fault == Fault::Report),
                "reading" => has_live(a, |f| f.fault == Fault::Reading),
                _ => true,
            }
            && (Self::get(&self.organ).is_empty()
                || report
                    .organ
                    .as_deref()
                    .is_some_and(|o| o.contains(Self::get(&self.organ))))
    }
}

fn has_live(a: &AuditedReport, what: impl Fn(&nianbao_model::Finding) -> bool) -> bool {
    a.findings
        .iter()
        .enumerate()
        .any(|(i, f)| live(a, i) && what(f))
}

fn count(a: &AuditedReport, severity: Severity) -> usize {
    a.findings
        .iter()
        .enumerate()
        .filter(|(i, f)| live(a, *i) && f.severity == severity && f.fault == Fault::Report)
        .count()
}

fn open_reviews(a: &AuditedReport) -> usize {
    a.findings
        .iter()
        .enumerate()
        .filter(|(i, f)| f.fault == Fault::Reading && a.review(*i).is_none())
        .count()
}

/// The page of a batch: its progress while it runs, then its ranking.
pub fn ranking(batch: &Batch, reports: &[StoredReport], query: &RankingQuery) -> String {
    let mut body = format!(
        "<h1>批次 {} <span class=\"muted\">{} 导入</span></h1>",
        batch.id,
        esc(&batch.created)
    );
    if batch.running {
        body.push_str(&format!(
            r#"<p class="progress" id="progress">审查中：{} / {} 份 <meta http-equiv="refresh" content="2"></p>"#,
            batch.done, batch.total
        ));
    }
    body.push_str(&setup_line(batch));
    body.push_str(&filters(batch, reports, query));
    let mut shown: Vec<&StoredReport> = reports.iter().filter(|r| query.keeps(r)).collect();
    shown.sort_by(|a, b| nianbao_scorecard::ranking_order(&a.audited, &b.audited));
    match RankingQuery::get(&query.sort) {
        "organ" => shown.sort_by_key(|r| organ_of(r)),
        "year" => shown.sort_by_key(|r| std::cmp::Reverse(year_of(r))),
        "findings" => shown.sort_by_key(|r| std::cmp::Reverse(live_count(r))),
        _ => {}
    }
    let ranks = ranks(&shown);
    body.push_str(&format!(
        r#"<p>{} 份（共 {} 份）。<a href="/batches/{id}/export.xlsx">导出 XLSX</a> · <a href="/batches/{id}/export.html">导出 HTML</a> · <a href="/batches/{id}/export.json">导出 JSON</a></p>"#,
        shown.len(),
        reports.len(),
        id = batch.id
    ));
    body.push_str(
        r#"<table id="ranking"><thead><tr><th>名次</th><th>机关</th><th>年度</th><th>层级</th><th>得分</th><th>错误</th><th>警告</th><th>待复核</th><th>文件</th></tr></thead><tbody>"#,
    );
    for r in &shown {
        body.push_str(&row(r, ranks.get(&r.id).copied()));
    }
    body.push_str("</tbody></table>");
    frame(&format!("批次 {}", batch.id), Some(batch.id), &body)
}

fn setup_line(batch: &Batch) -> String {
    let packs: Vec<String> = batch
        .setup
        .packs
        .iter()
        .map(|p| {
            format!(
                r#"<span title="sha256 {}">{} {}</span>"#,
                esc(&p.sha256),
                esc(&p.name),
                esc(&p.version)
            )
        })
        .collect();
    let mut line = format!(r#"<p class="muted">规则包：{}"#, packs.join("、"));
    if let Some(config) = &batch.setup.config {
        line.push_str(&format!("；配置：{}", esc(config)));
    }
    if !batch.setup.plugins.is_empty() {
        line.push_str(&format!("；插件：{}", esc(&batch.setup.plugins.join("、"))));
    }
    line.push_str("</p>");
    line
}

fn organ_of(r: &StoredReport) -> String {
    r.audited
        .outcome
        .as_ref()
        .ok()
        .and_then(|a| a.report.organ.clone())
        .unwrap_or_else(|| "\u{10FFFF}".into())
}

fn year_of(r: &StoredReport) -> Option<i32> {
    r.audited.outcome.as_ref().ok().and_then(|a| a.report.year)
}

fn live_count(r: &StoredReport) -> usize {
    r.audited
        .outcome
        .as_ref()
        .map_or(0, |a| (0..a.findings.len()).filter(|i| live(a, *i)).count())
}

/// Competition ranks ("1, 2, 2, 4") by score over the scored reports shown.
fn ranks(shown: &[&StoredReport]) -> std::collections::BTreeMap<i64, usize> {
    let mut scored: Vec<(i64, f64)> = shown
        .iter()
        .filter_map(|r| {
            let value = r.audited.outcome.as_ref().ok()?.score.value()?;
            Some((r.id, value))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    let mut out = std::collections::BTreeMap::new();
    for (i, (id, value)) in scored.iter().enumerate() {
        let rank = match i {
            0 => 1,
            _ if (scored[i - 1].1 - value).abs() < 1e-9 => out[&scored[i - 1].0],
            _ => i + 1,
        };
        out.insert(*id, rank);
    }
    out
}

fn row(r: &StoredReport, rank: Option<usize>) -> String {
    let rank = rank.map_or("—".to_string(), |n| n.to_string());
    match &r.audited.outcome {
        Ok(a) => format!(
            r#"<tr><td class="n">{rank}</td><td><a href="/reports/{id}">{organ}</a></td><td>{year}</td><td>{level}</td><td>{score}</td><td class="n">{errors}</td><td class="n">{warnings}</td><td class="n">{open}</td><td class="muted">{name}</td></tr>"#,
            id = r.id,
            organ = esc(a.report.organ.as_deref().unwrap_or("（未识别机关）")),
            year = a.report.year.map(|y| y.to_string()).unwrap_or_default(),
            level = a.report.level.map(level_zh).unwrap_or(""),
            score = score_text(a),
            errors = count(a, Severity::Error),
            warnings = count(a, Severity::Warning),
            open = open_reviews(a),
            name = esc(&r.name),
        ),
        Err(reason) => format!(
            r#"<tr class="unreadable"><td class="n">—</td><td colspan="7"><a href="/reports/{id}">无法读取</a>：{reason}</td><td class="muted">{name}</td></tr>"#,
            id = r.id,
            reason = esc(reason),
            name = esc(&r.name),
        ),
    }
}

fn filters(batch: &Batch, reports: &[StoredReport], query: &RankingQuery) -> String {
    let audited: Vec<&AuditedReport> = reports
        .iter()
        .filter_map(|r| r.audited.outcome.as_ref().ok())
        .collect();
    let distinct = |f: &dyn Fn(&AuditedReport) -> Option<String>| -> BTreeSet<String> {
        audited.iter().filter_map(|a| f(a)).collect()
    };
    let any = || ("".to_string(), "全部".to_string());
    let with_any =
        |set: BTreeSet<(String, String)>| std::iter::once(any()).chain(set).collect::<Vec<_>>();
    let years = with_any(
        distinct(&|a| a.report.year.map(|y| y.to_string()))
            .into_iter()
            .map(|y| (y.clone(), y))
            .collect(),
    );
    let levels = with_any(
        audited
            .iter()
            .filter_map(|a| a.report.level)
            .map(|l| (l.as_str().to_string(), level_zh(l).to_string()))
            .collect(),
    );
    let grades = with_any(
        distinct(&|a| Some(a.score.grade.clone()))
            .into_iter()
            .map(|g| (g.clone(), g))
            .collect(),
    );
    let rules = with_any(
        audited
            .iter()
            .flat_map(|a| a.findings.iter().map(|f| f.rule.clone()))
            .map(|id| (id.clone(), format!("{id} {}", batch.setup.title(&id))))
            .collect(),
    );
    let faults = vec![
        any(),
        ("report".into(), "报告问题".into()),
        ("reading".into(), "需复核".into()),
    ];
    let sorts = vec![
        ("".into(), "得分".into()),
        ("organ".into(), "机关".into()),
        ("year".into(), "年度".into()),
        ("findings".into(), "问题数".into()),
    ];
    let get = RankingQuery::get;
    format!(
        r#"<form method="get" class="filters">年度 <select name="year">{}</select> 层级 <select name="level">{}</select> 等级 <select name="grade">{}</select> 规则 <select name="rule">{}</select> 归责 <select name="fault">{}</select> 机关 <input name="organ" value="{}" size="10"> 排序 <select name="sort">{}</select> <button>筛选</button></form>"#,
        options(&years, get(&query.year)),
        options(&levels, get(&query.level)),
        options(&grades, get(&query.grade)),
        options(&rules, get(&query.rule)),
        options(&faults, get(&query.fault)),
        esc(get(&query.organ)),
        options(&sorts, get(&query.sort)),
    )
}
