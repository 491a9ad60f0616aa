//! One self-contained HTML file: a ranking of all reports, a chart of the score
//! distribution and of the most frequent problems (inline SVG), then each report with its
//! findings and the source line, the cell marked. Everything that comes from a report or a
//! rule is escaped: a report containing `<script>` shows it as text.

use crate::junit::xml_escape as escape;
use crate::streamed::{render_whole, BatchFormat};
use crate::{Audited, Standing, Summary};
use nianbao_model::Fault;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}
th{background:#f3f3f3}td.n{text-align:right}.error{color:#b00020}.warning{color:#9a6700}.info{color:#0b6e99}
pre{background:#f8f8f8;padding:.5em;white-space:pre-wrap}mark{background:#ffd54f}section{margin-top:2em}
.charts{display:flex;gap:3em;flex-wrap:wrap}h1{font-size:1.6em}.grade{font-weight:bold}
th.sortable{cursor:pointer}input#filter{padding:.3em;width:20em}
@media print{input#filter,.noprint{display:none}section{page-break-before:always}a{color:inherit;text-decoration:none}}";

/// A small script for the ranking: a filter box and sortable columns. The page works and
/// prints without it.
const SCRIPT: &str = "document.addEventListener('DOMContentLoaded',function(){
var box=document.getElementById('filter');if(box){box.addEventListener('input',function(){var q=box.value.trim();
document.querySelectorAll('table.ranking tbody tr').forEach(function(tr){tr.style.display=(!q||tr.textContent.indexOf(q)>=0)?'':'none';});});}
document.querySelectorAll('table.ranking th.sortable').forEach(function(th){th.addEventListener('click',function(){
var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';
var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=a.cells[i]?a.cells[i].textContent:'',y=b.cells[i]?b.cells[i].textContent:'';
var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'zh');return asc?c:-c;});
rows.forEach(function(r){body.appendChild(r);});});});});";

/// The score distribution: how many reports in each tenth of the scale.
fn histogram(bins: &[usize; 10]) -> String {
    let max = (*bins.iter().max().unwrap_or(&1)).max(1);
    let mut svg = String::from("<svg role=\"img\" aria-label=\"得分分布\" width=\"360\" height=\"180\" viewBox=\"0 0 360 180\">");
    for (i, n) in bins.iter().enumerate() {
        let h = (*n as f64 / max as f64 * 130.0).round();
        let x = 10 + i * 34;
        let _ = write!(svg, "<rect x=\"{x}\" y=\"{}\" width=\"28\" height=\"{h}\" fill=\"#4a78c2\"><title>{}–{}: {n}</title></rect>", 150.0 - h, i * 10, i * 10 + 9);
        let _ = write!(
            svg,
            "<text x=\"{}\" y=\"168\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            x + 14,
            i * 10
        );
        if *n > 0 {
            let _ = write!(
                svg,
                "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\">{n}</text>",
                x + 14,
                146.0 - h
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// The most frequent problems: how many reports have each, labelled with the rule's title.
fn top_rules(counts: &BTreeMap<String, usize>, rules: &[crate::table::RuleMeta]) -> String {
    let mut top: Vec<(&str, usize)> = counts.iter().map(|(r, n)| (r.as_str(), *n)).collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    top.truncate(10);
    let max = top.first().map_or(1, |t| t.1).max(1);
    let height = 20 + top.len() * 18;
    let mut svg = format!("<svg role=\"img\" aria-label=\"常见问题（报告数）\" width=\"560\" height=\"{height}\" viewBox=\"0 0 560 {height}\">");
    for (i, (rule, n)) in top.iter().enumerate() {
        let title = rules
            .iter()
            .find(|r| r.id == *rule)
            .map_or(*rule, |r| r.title.as_str());
        let w = (*n as f64 / max as f64 * 200.0).round();
        let y = 10 + i * 18;
        let _ = write!(
            svg,
            "<text x=\"0\" y=\"{}\" font-size=\"11\"><title>{}</title>{}</text>",
            y + 11,
            escape(rule),
            escape(&title.chars().take(22).collect::<String>())
        );
        let _ = write!(svg, "<rect x=\"300\" y=\"{y}\" width=\"{w}\" height=\"13\" fill=\"#c2704a\"/><text x=\"{}\" y=\"{}\" font-size=\"11\">{n} 份</text>", 305.0 + w, y + 11);
    }
    svg.push_str("</svg>");
    svg
}

/// The source line with the finding's column marked, escaped.
fn excerpt(line: &str, column: u32) -> String {
    let chars: Vec<char> = line
        .chars()
        .map(|c| if c == '\t' { '→' } else { c })
        .collect();
    let at = (column.saturating_sub(1) as usize).min(chars.len());
    let from = at.saturating_sub(40);
    let to = (at + 40).min(chars.len());
    let text = |a: usize, b: usize| escape(&chars[a..b].iter().collect::<String>());
    let marked = if at < to {
        format!("<mark>{}</mark>", text(at, at + 1))
    } else {
        String::new()
    };
    format!(
        "{}{}{}{}{}",
        if from > 0 { "…" } else { "" },
        text(from, at),
        marked,
        if at < to {
            text(at + 1, to)
        } else {
            String::new()
        },
        if to < chars.len() { "…" } else { "" }
    )
}

/// A link to a report's section, or its name when it is not in the batch.
fn report_link(file: &str, sections: &HashMap<String, usize>) -> String {
    match sections.get(file) {
        Some(i) => format!("<a href=\"#r{i}\">{}</a>", escape(file)),
        None => escape(file),
    }
}

/// The findings that compare two reports (copied text, a year's figures against the last),
/// in one table: a supervising office sees at once which reports go together.
fn comparisons(found: &[Comparison], sections: &HashMap<String, usize>) -> String {
    let mut rows = String::new();
    for c in found {
        let _ = writeln!(
            rows,
            "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
            report_link(&c.file, sections),
            escape(&c.rule),
            report_link(&c.other, sections),
            escape(&c.message)
        );
    }
    if rows.is_empty() {
        return String::new();
    }
    format!("<h2>报告间比对</h2>\n<table id=\"comparisons\"><thead><tr><th>报告</th><th>规则</th><th>对比报告</th><th>说明</th></tr></thead><tbody>\n{rows}</tbody></table>\n")
}

/// Competition ranks (1, 2, 2, 4) of scores in ranking order (highest first, the unscored
/// last): reports with the same score share a rank.
fn ranks(scores: &[Option<f64>]) -> Vec<Option<usize>> {
    let scored: Vec<f64> = scores.iter().flatten().copied().collect();
    scores
        .iter()
        .map(|s| {
            let s = (*s)?;
            Some(1 + scored.partition_point(|o| *o > s + 1e-9))
        })
        .collect()
}

/// A report's row of the ranking, noted as the report came: its rank is written in when
/// all are known.
struct RankRow {
    index: usize,
    standing: Standing,
    file: String,
    year: Option<i32>,
    score: Option<f64>,
    /// The row's cells after the rank's.
    cells: String,
}

impl RankRow {
    fn of(index: usize, r: &Audited) -> RankRow {
        let cells = match &r.outcome {
            Ok(a) if a.score.unscored.is_some() => format!(
                "<td><a href=\"#r{index}\">{}</a></td><td colspan=\"8\" class=\"warning\">{}：{}</td></tr>",
                escape(&r.file),
                crate::UNSCORED_GRADE,
                escape(a.score.unscored.as_deref().unwrap_or(""))
            ),
            Ok(a) => {
                format!(
                    "<td><a href=\"#r{index}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.1}</td><td class=\"grade\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                    escape(&r.file),
                    escape(a.report.organ.as_deref().unwrap_or("")),
                    a.report.year.map_or(String::new(), |y| y.to_string()),
                    a.report.era.map_or("", |e| e.as_str()),
                    a.score.value,
                    escape(&a.score.grade),
                    a.count(nianbao_model::Severity::Error),
                    a.count(nianbao_model::Severity::Warning),
                    a.to_review()
                )
            }
            Err(e) => format!(
                "<td>{}</td><td colspan=\"8\" class=\"error\">无法读取：{}</td></tr>",
                escape(&r.file),
                escape(e)
            ),
        };
        let report = r.outcome.as_ref().ok();
        RankRow {
            index,
            standing: Standing::of(r),
            file: r.file.clone(),
            year: report.and_then(|a| a.report.year),
            score: report.and_then(|a| a.score.value()),
            cells,
        }
    }
}

/// The ranking table of some reports, highest score first.
fn ranking(out: &mut String, rows: &[&RankRow]) {
    out.push_str("<table class=\"ranking\"><thead><tr><th>#</th><th class=\"sortable\">报告</th><th class=\"sortable\">机关</th><th class=\"sortable\">年度</th><th class=\"sortable\">格式</th><th class=\"sortable\">得分</th><th class=\"sortable\">等级</th><th class=\"sortable\">错误</th><th class=\"sortable\">警告</th><th class=\"sortable\">需复核</th></tr></thead><tbody>\n");
    let mut ranked: Vec<&RankRow> = rows.to_vec();
    ranked.sort_by(|a, b| {
        Standing::order((a.standing, &a.file), (b.standing, &b.file)).then(a.index.cmp(&b.index))
    });
    let scores: Vec<Option<f64>> = ranked.iter().map(|r| r.score).collect();
    for (row, rank) in ranked.iter().zip(ranks(&scores)) {
        let rank = rank.map_or("–".to_string(), |r| r.to_string());
        let _ = writeln!(out, "<tr><td class=\"n\">{rank}</td>{}", row.cells);
    }
    out.push_str("</tbody></table>\n");
}

/// A finding that compares its report with another.
struct Comparison {
    file: String,
    rule: String,
    other: String,
    message: String,
}

/// Marks where a link to another report goes in a report's section: the other's section
/// is known only when the batch is done. No escaped text holds this char (control chars are
/// dropped), and no file name does.
const LINK_MARK: char = '\0';

/// The HTML page as a batch format: what the head shows (totals, the charts, the ranking,
/// the comparisons) noted report by report, each report's section as it comes.
pub struct HtmlFormat<'a> {
    rules: &'a [crate::table::RuleMeta],
    summary: Summary,
    /// Scored reports in each tenth of the scale.
    bins: [usize; 10],
    /// For each rule, how many reports it found something in.
    rule_reports: BTreeMap<String, usize>,
    rows: Vec<RankRow>,
    comparisons: Vec<Comparison>,
    /// Each readable report's section (the last, for a file given twice).
    sections: HashMap<String, usize>,
}

impl<'a> HtmlFormat<'a> {
    pub fn new(rules: &'a [crate::table::RuleMeta]) -> HtmlFormat<'a> {
        HtmlFormat {
            rules,
            summary: Summary::default(),
            bins: [0; 10],
            rule_reports: BTreeMap::new(),
            rows: Vec::new(),
            comparisons: Vec::new(),
            sections: HashMap::new(),
        }
    }
}

impl BatchFormat for HtmlFormat<'_> {
    fn part(&self, index: usize, r: &Audited) -> String {
        section(index, r)
    }

    fn note(&mut self, r: &Audited) {
        let index = self.rows.len();
        self.summary.add(r);
        self.rows.push(RankRow::of(index, r));
        let Ok(a) = &r.outcome else { return };
        self.sections.insert(r.file.clone(), index);
        if let Some(value) = a.score.value() {
            self.bins[((value / 10.0) as usize).min(9)] += 1;
        }
        // The reports' problems: a finding nianbao may have misread is not one yet.
        let mut seen: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.fault == Fault::Report)
            .map(|f| f.rule.as_str())
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for rule in seen {
            *self.rule_reports.entry(rule.to_string()).or_default() += 1;
        }
        for f in &a.findings {
            if let Some(other) = f.compared_with() {
                self.comparisons.push(Comparison {
                    file: r.file.clone(),
                    rule: f.rule.clone(),
                    other: other.to_string(),
                    message: f.message.clone(),
                });
            }
        }
    }

    fn finish<'p>(&self, part: &'p str) -> Cow<'p, str> {
        if !part.contains(LINK_MARK) {
            return Cow::Borrowed(part);
        }
        // Marks come in pairs around the other report's file name.
        let mut out = String::with_capacity(part.len());
        for (i, piece) in part.split(LINK_MARK).enumerate() {
            match i % 2 {
                0 => out.push_str(piece),
                _ => out.push_str(&report_link(piece, &self.sections)),
            }
        }
        Cow::Owned(out)
    }

    fn frame(&self, _: bool) -> (String, String) {
        let s = &self.summary;
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>nianbao 审查结果</title><style>{STYLE}</style><script>{SCRIPT}</script></head><body>\n<h1>政府信息公开工作年度报告 审查结果</h1>\n<p>{} 份报告，{} 份已审（其中 {} 份无法评分），{} 份无法读取；{} 个错误，{} 个警告，{} 个提示；{} 个需复核（可能是读取有误，未计入错误、未扣分）。</p>\n",
            s.files, s.audited, s.unscored, s.failed, s.errors, s.warnings, s.infos, s.to_review
        );
        let _ = writeln!(out, "<div class=\"charts\"><figure><figcaption>得分分布</figcaption>{}</figure><figure><figcaption>最常见的问题（有该问题的报告数，不含需复核）</figcaption>{}</figure></div>", histogram(&self.bins), top_rules(&self.rule_reports, self.rules));
        out.push_str("<h2>排名</h2>\n<p class=\"noprint\"><input id=\"filter\" type=\"search\" placeholder=\"筛选：机关、文件、年度…\" aria-label=\"筛选\"></p>\n");
        // A batch of several years is ranked year by year: reports of one year compete
        // (files of no known year last).
        let mut years: BTreeMap<Option<i32>, Vec<&RankRow>> = BTreeMap::new();
        for row in &self.rows {
            years.entry(row.year).or_default().push(row);
        }
        let known_years = years.keys().filter(|y| y.is_some()).count();
        if known_years > 1 {
            for (year, group) in years.iter().rev() {
                let _ = writeln!(
                    out,
                    "<h3>{}</h3>",
                    year.map_or("年度未识别".to_string(), |y| format!("{y} 年度"))
                );
                ranking(&mut out, group);
            }
        } else {
            let all: Vec<&RankRow> = self.rows.iter().collect();
            ranking(&mut out, &all);
        }
        out.push_str(&comparisons(&self.comparisons, &self.sections));
        (out, "</body></html>\n".to_string())
    }
}

pub fn html(results: &[Audited], rules: &[crate::table::RuleMeta]) -> String {
    render_whole(&mut HtmlFormat::new(rules), results)
}

/// Finding `k` of a report, with its source line and what it was compared with: its
/// severity, or 需复核 when nianbao may have misread it.
fn finding(out: &mut String, r: &Audited, a: &crate::AuditedReport, k: usize) {
    let f = &a.findings[k];
    let status = match a.status(k) {
        Some(crate::BaselineStatus::New) => " [new]",
        _ => "",
    };
    let (class, label) = match f.fault {
        Fault::Report => (f.severity.as_str(), crate::table::severity_zh(f.severity)),
        Fault::Reading => ("info", Fault::Reading.label()),
    };
    let _ = write!(
        out,
        "<div><p><span class=\"{class}\">{label}</span> <code>{}</code>{status} {}</p>",
        escape(&f.rule),
        escape(&f.message)
    );
    if let Some(note) = crate::review_note(f) {
        let _ = write!(out, "<p class=\"info\">{}</p>", escape(&note));
    }
    if let Some(review) = a.review(k) {
        let _ = write!(
            out,
            "<p class=\"review\">审核：{}（{}，{}）{}</p>",
            review.decision.label(),
            escape(&review.reviewer),
            escape(&review.decided),
            escape(&review.reason)
        );
    }
    if let Some(span) = f.span {
        if let Some(line) = a.line(span.line) {
            let _ = write!(
                out,
                "<pre>{}:{}:{}  {}</pre>",
                escape(&r.file),
                span.line,
                span.column,
                excerpt(line, span.column)
            );
        }
    }
    if let Some(other) = f.compared_with() {
        // A name holding the mark itself cannot be marked; it is shown unlinked.
        let link = match other.contains(LINK_MARK) {
            true => escape(other),
            false => format!("{LINK_MARK}{other}{LINK_MARK}"),
        };
        let _ = write!(out, "<p>对比报告：{link}</p>");
    }
    out.push_str("</div>\n");
}

/// A readable report's section: its score, deductions and findings with their source lines;
/// a link to a report compared with is marked, to be written when the batch is done.
fn section(index: usize, r: &Audited) -> String {
    let Ok(a) = &r.outcome else {
        return String::new();
    };
    let mut out = format!(
        "<section id=\"r{index}\"><h2>{}</h2><p>{} · {} 年度 · {} 版格式 · {}</p>\n",
        escape(&r.file),
        escape(a.report.organ.as_deref().unwrap_or("（机关未识别）")),
        a.report.year.map_or("?".to_string(), |y| y.to_string()),
        a.report.era.map_or("?", |e| e.as_str()),
        escape(&a.score.describe())
    );
    if !a.score.deductions.is_empty() {
        let items: Vec<String> = a
            .score
            .deductions
            .iter()
            .map(|(id, p)| format!("{} −{}", escape(id), nianbao_model::format_number(*p)))
            .collect();
        let _ = writeln!(out, "<p>扣分：{}</p>", items.join("，"));
    }
    if a.findings.is_empty() {
        out.push_str("<p>无问题。</p>");
    }
    // The report's own problems first; then, folded, what nianbao may have misread.
    let (own, to_review): (Vec<usize>, Vec<usize>) = a
        .own_first()
        .partition(|&k| a.findings[k].fault == Fault::Report);
    for &k in &own {
        finding(&mut out, r, a, k);
    }
    if !to_review.is_empty() {
        if own.is_empty() {
            out.push_str("<p>未发现报告本身的问题。</p>\n");
        }
        let _ = writeln!(
            out,
            "<details class=\"to-review\"><summary>{} 个需复核：nianbao 的读取可能有误，请对照原表核对后再作判断（未计入错误，未扣分）</summary>",
            to_review.len()
        );
        for &k in &to_review {
            finding(&mut out, r, a, k);
        }
        out.push_str("</details>\n");
    }
    for f in &a.fixed {
        let _ = writeln!(
            out,
            "<p>[fixed] <code>{}</code> {}</p>",
            escape(&f.rule),
            escape(&f.message)
        );
    }
    out.push_str("</section>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditedReport, Score};
    use nianbao_model::{Evidence, Family, Finding, Report, Severity};

    fn compared(other: &str) -> Finding {
        Finding {
            rule: "BATCH.PEER_OVERLAP".into(),
            family: Family::RowSum,
            severity: Severity::Warning,
            message: "雷同".into(),
            cells: vec![],
            section: None,
            span: None,
            deduction: 0.0,
            evidence: Some(Evidence {
                compared_with: Some(other.to_string()),
                ..Evidence::default()
            }),
            fault: Default::default(),
            fault_reason: None,
        }
    }

    fn readable(file: &str, findings: Vec<Finding>) -> Audited {
        Audited {
            file: file.into(),
            outcome: Ok(AuditedReport::new(
                Report::default(),
                findings,
                Score {
                    value: 90.0,
                    grade: "优秀".into(),
                    deductions: Vec::new(),
                    unscored: None,
                },
                BTreeMap::new(),
            )),
        }
    }

    #[test]
    fn a_section_links_to_reports_later_in_the_batch_once_the_batch_is_done() {
        let results = [
            readable(
                "a.txt",
                vec![
                    compared("c.txt"),
                    compared("b.txt"),
                    compared("elsewhere/<x>.txt"),
                ],
            ),
            Audited {
                file: "b.txt".into(),
                outcome: Err("无法读取".into()),
            },
            readable("c.txt", vec![compared("a.txt")]),
        ];
        let page = html(&results, &[]);
        let section = |id: &str| {
            let from = page.find(&format!("<section id=\"{id}\">")).unwrap();
            &page[from..from + page[from..].find("</section>").unwrap()]
        };
        let first = section("r0");
        assert!(
            first.contains("对比报告：<a href=\"#r2\">c.txt</a>"),
            "{first}"
        );
        // An unreadable report and one outside the batch have no section to link to.
        assert!(first.contains("对比报告：b.txt</p>"), "{first}");
        assert!(
            first.contains("对比报告：elsewhere/&lt;x&gt;.txt</p>"),
            "{first}"
        );
        assert!(section("r2").contains("对比报告：<a href=\"#r0\">a.txt</a>"));
        assert!(!page.contains(LINK_MARK));
        // The comparisons' table links both ends the same way.
        assert!(page.contains("<tr><td><a href=\"#r0\">a.txt</a></td><td><code>BATCH.PEER_OVERLAP</code></td><td><a href=\"#r2\">c.txt</a></td>"));
    }
}
