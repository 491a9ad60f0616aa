//! Scorecards: a score per report from its findings' deductions, and renderers.

mod baseline;
mod html;
mod json;
mod junit;
mod markdown;
mod sarif;
mod spill;
mod streamed;
mod table;
mod terminal;

pub use baseline::{compare as compare_with_baseline, Baseline, BaselineError, BaselineMatcher};
pub use html::{html as render_html, HtmlFormat};
pub use json::{
    audit_json, extract_entry_text, extract_json, report_json, report_json_text, summary_json,
    summary_json_text, JsonFormat, REPORTS_OPEN,
};
pub use junit::{junit as render_junit, JunitFormat};
pub use markdown::{render_markdown, MarkdownFormat};
pub use sarif::{sarif as render_sarif, SarifFormat};
pub use spill::{record_row, row_record, Records, Spill, SpilledWorkbook};
pub use streamed::{render_whole, BatchFormat, Parts};
pub use table::{
    audit_csv, audit_csv_rows, extract_csv, extract_csv_header, extract_csv_rows, family_zh,
    level_zh, severity_zh, xlsx as render_xlsx, RuleMeta, WorkbookRows, WorkbookStream,
};
pub use terminal::{
    render_terminal, render_terminal_report, render_terminal_summary, TerminalOptions,
};

use nianbao_model::{Fault, Finding, Report, Severity};
use std::collections::BTreeMap;

/// One audited file: the report and its findings, or why it could not be audited.
#[derive(Debug)]
pub struct Audited {
    pub file: String,
    pub outcome: Result<AuditedReport, String>,
}

#[derive(Debug)]
pub struct AuditedReport {
    pub report: Report,
    pub findings: Vec<Finding>,
    /// Each finding's fingerprint (same order as `findings`).
    pub fingerprints: Vec<String>,
    pub score: Score,
    /// Source lines by number (1-based), for excerpts; a batch keeps only those that
    /// findings point at.
    pub lines: BTreeMap<u32, String>,
    /// Against a baseline: each finding's status (same order), and what is gone.
    pub baseline: Vec<BaselineStatus>,
    pub fixed: Vec<Fixed>,
    /// Reviewers' decisions (the workbench's), same order as `findings`; empty when the
    /// findings were not reviewed.
    pub reviews: Vec<Option<Review>>,
}

impl AuditedReport {
    pub fn new(
        report: Report,
        findings: Vec<Finding>,
        score: Score,
        lines: BTreeMap<u32, String>,
    ) -> AuditedReport {
        let fingerprints = nianbao_model::fingerprints(&report, &findings);
        AuditedReport {
            report,
            findings,
            fingerprints,
            score,
            lines,
            baseline: Vec::new(),
            fixed: Vec::new(),
            reviews: Vec::new(),
        }
    }

    /// Source line `number` (1-based), if kept.
    pub fn line(&self, number: u32) -> Option<&str> {
        self.lines.get(&number).map(String::as_str)
    }

    /// How many of its findings of `severity` the report is at fault for. A finding
    /// nianbao may have misread (需复核) is not the report's error: `to_review` counts it.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity && f.fault == Fault::Report)
            .count()
    }

    /// How many of its findings ask a person to check the reading first (需复核).
    pub fn to_review(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.fault == Fault::Reading)
            .count()
    }

    /// Its findings' indices as the scorecards list them: the report's own problems, then
    /// those to review (需复核), each in the order found.
    pub fn own_first(&self) -> impl Iterator<Item = usize> + '_ {
        let at =
            move |fault| (0..self.findings.len()).filter(move |&k| self.findings[k].fault == fault);
        at(Fault::Report).chain(at(Fault::Reading))
    }

    /// The reviewer's decision on finding `i`, if there is one.
    pub fn review(&self, i: usize) -> Option<&Review> {
        self.reviews.get(i).and_then(Option::as_ref)
    }

    /// The status of finding `i` against the baseline, if one was given.
    pub fn status(&self, i: usize) -> Option<BaselineStatus> {
        self.baseline.get(i).copied()
    }
}

/// A finding against the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineStatus {
    New,
    Unchanged,
}

impl BaselineStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            BaselineStatus::New => "new",
            BaselineStatus::Unchanged => "unchanged",
        }
    }
}

/// What a reviewer decided about a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The report is at fault: the finding stands (and is deducted even when nianbao had
    /// asked for review).
    Confirmed,
    /// Not a problem of the report (the office disagrees with the rule here).
    Dismissed,
    /// nianbao read the report wrong.
    Misread,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Confirmed, Decision::Dismissed, Decision::Misread];

    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Confirmed => "confirmed",
            Decision::Dismissed => "dismissed",
            Decision::Misread => "misread",
        }
    }

    pub fn parse(text: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            Decision::Confirmed => "确认",
            Decision::Dismissed => "驳回",
            Decision::Misread => "系 nianbao 误读",
        }
    }
}

/// A reviewer's decision on one finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub decision: Decision,
    pub reason: String,
    pub reviewer: String,
    /// When, as `YYYY-MM-DD HH:MM:SS` UTC.
    pub decided: String,
}

/// The score of reviewed findings: dismissed and misread findings cost nothing, confirmed
/// ones are the report's fault whatever nianbao had thought of its reading.
pub fn score_reviewed(
    findings: &[Finding],
    reviews: &[Option<Review>],
    rules: &BTreeMap<String, RuleScoring>,
    config: &ScoringConfig,
) -> Score {
    let kept: Vec<Finding> = findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| match reviews.get(i).and_then(Option::as_ref) {
            Some(r) if r.decision != Decision::Confirmed => None,
            Some(_) => Some(Finding {
                fault: Fault::Report,
                ..f.clone()
            }),
            None => Some(f.clone()),
        })
        .collect();
    score(&kept, rules, config)
}

/// A baseline finding that is no longer reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    pub fingerprint: String,
    pub rule: String,
    pub message: String,
    pub cells: Vec<String>,
}

/// 100 minus deductions: each rule's total capped at its `max_deduction`, each part's total
/// (一…六, or the findings of no part) capped as the scoring configuration says. A file
/// that cannot be judged as a report gets no score: `unscored` says why.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub value: f64,
    pub grade: String,
    /// (rule id, points deducted after the caps), in the order rules first fired.
    pub deductions: Vec<(String, f64)>,
    /// Why the file was not scored (no text layer, not a report).
    pub unscored: Option<String>,
}

/// The grade of a file that is not scored.
pub const UNSCORED_GRADE: &str = "无法评分";

impl Score {
    pub fn unscored(reason: String) -> Score {
        Score {
            value: 0.0,
            grade: UNSCORED_GRADE.to_string(),
            deductions: Vec::new(),
            unscored: Some(reason),
        }
    }

    /// The score, or `None` for a file that was not scored.
    pub fn value(&self) -> Option<f64> {
        self.unscored.is_none().then_some(self.value)
    }

    /// "得分 87.5（良好）", or "无法评分：why".
    pub fn describe(&self) -> String {
        match &self.unscored {
            Some(why) => format!("{UNSCORED_GRADE}：{why}"),
            None => format!("得分 {:.1}（{}）", self.value, self.grade),
        }
    }

    /// "87.5", or "无法评分".
    pub fn shown(&self) -> String {
        match self.value() {
            Some(v) => nianbao_model::format_number(v),
            None => UNSCORED_GRADE.to_string(),
        }
    }
}

/// Why a parsed file cannot be judged as a report, if it cannot: a scan without text, or a
/// file with neither a statistical table nor two of the report's parts. A file whose
/// content is not what its name says is told so.
pub fn unscored_reason(report: &Report) -> Option<String> {
    let reason = if report.no_text_layer {
        "文件没有可读的文字（扫描件，或正文只有图片），无法读取其内容".to_string()
    } else if report.body_in_attachments() {
        format!(
            "网页正文没有报告内容，报告在附件中（{}）",
            report.attachments.join("、")
        )
    } else if report.ocr_layer {
        "文件是扫描件，文字取自 OCR 识别层，可能识别有误".to_string()
    } else if report.tables.is_empty() && report.sections.len() < 2 {
        format!(
            "未找到统计表格，正文部分标题仅 {} 个：不像一份年度报告",
            report.sections.len()
        )
    } else {
        return None;
    };
    Some(match &report.misnamed {
        Some(m) => format!("{reason}；{}", m.describe()),
        None => reason,
    })
}

/// What a finding says about whose fault it is, when nianbao's reading may be: "需复核：…".
pub fn review_note(finding: &Finding) -> Option<String> {
    (finding.fault == Fault::Reading).then(|| match &finding.fault_reason {
        Some(reason) => format!("{}：{reason}", Fault::Reading.label()),
        None => Fault::Reading.label().to_string(),
    })
}

/// A finding's level as the terminal and Markdown label it: its severity, or `review` when
/// nianbao may have misread it (it accuses no one).
pub fn level(finding: &Finding) -> &'static str {
    match finding.fault {
        Fault::Report => finding.severity.as_str(),
        Fault::Reading => "review",
    }
}

/// Whether a finding fails a run at `threshold` (`--fail-on`): one at least that severe that
/// the report is at fault for. A possible misreading is shown, but never fails a CI.
pub fn fails(finding: &Finding, threshold: Option<Severity>) -> bool {
    threshold.is_some_and(|t| finding.severity >= t) && finding.fault == Fault::Report
}

/// Where a result stands in a ranking: scored reports by score, then unscored files, then
/// files that could not be read; ties by file name.
pub fn ranking_order(a: &Audited, b: &Audited) -> std::cmp::Ordering {
    Standing::order((Standing::of(a), &a.file), (Standing::of(b), &b.file))
}

/// What ranks a report, with its file name.
#[derive(Debug, Clone, Copy)]
pub struct Standing {
    class: u8,
    value: f64,
}

impl Standing {
    pub fn of(r: &Audited) -> Standing {
        let (class, value) = match &r.outcome {
            Ok(a) => match a.score.value() {
                Some(v) => (0, v),
                None => (1, 0.0),
            },
            Err(_) => (2, 0.0),
        };
        Standing { class, value }
    }

    /// The scored first, highest first; then the unscored, then the unreadable; by file
    /// name among equals.
    pub fn order(a: (Standing, &str), b: (Standing, &str)) -> std::cmp::Ordering {
        a.0.class
            .cmp(&b.0.class)
            .then(b.0.value.total_cmp(&a.0.value))
            .then_with(|| a.1.cmp(b.1))
    }
}

/// Which findings cost points (`[scoring] mode`), as the provincial 考核细则 differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ScoringMode {
    /// Deducts for errors and warnings the report is at fault for, never for info findings
    /// or rules marked `advisory`.
    #[default]
    Conservative,
    /// Deducts for every finding the report is at fault for.
    Strict,
}

impl ScoringMode {
    pub fn parse(s: &str) -> Option<ScoringMode> {
        match s {
            "conservative" => Some(ScoringMode::Conservative),
            "strict" => Some(ScoringMode::Strict),
            _ => None,
        }
    }
}

/// What a rule says about scoring.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RuleScoring {
    /// Most points the rule's findings may cost one report.
    pub max_deduction: Option<f64>,
    /// Advice rather than a fault: not deducted in the conservative mode.
    pub advisory: bool,
}

/// How scores are made beyond the rules' own deductions (from `nianbao.toml [scoring]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringConfig {
    pub mode: ScoringMode,
    /// Most points a part can lose, by part numeral ("三") or "其他" for findings of no part.
    pub part_caps: BTreeMap<String, f64>,
    /// Grade bands: (lowest score, grade), highest first.
    pub grades: Vec<(f64, String)>,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            mode: ScoringMode::default(),
            part_caps: BTreeMap::new(),
            grades: vec![
                (90.0, "优秀".into()),
                (80.0, "良好".into()),
                (60.0, "合格".into()),
                (0.0, "不合格".into()),
            ],
        }
    }
}

impl ScoringConfig {
    pub fn grade(&self, value: f64) -> String {
        self.grades
            .iter()
            .find(|(low, _)| value + 1e-9 >= *low)
            .map(|(_, g)| g.clone())
            .unwrap_or_default()
    }

    /// Whether a finding costs points: never when the reading may be at fault; in the
    /// conservative mode not for info findings or advisory rules either.
    pub fn deducts(&self, finding: &Finding, rule: RuleScoring) -> bool {
        if finding.fault == Fault::Reading {
            return false;
        }
        match self.mode {
            ScoringMode::Strict => true,
            ScoringMode::Conservative => finding.severity != Severity::Info && !rule.advisory,
        }
    }
}

/// The score of a report from its findings; `rules` holds what each rule says about
/// scoring (rules not in it have no cap and are not advisory).
pub fn score(
    findings: &[Finding],
    rules: &BTreeMap<String, RuleScoring>,
    config: &ScoringConfig,
) -> Score {
    let rule = |id: &str| rules.get(id).copied().unwrap_or_default();
    // Points per rule and part, then the rule caps, then the part caps.
    let mut by_rule: Vec<(String, f64)> = Vec::new();
    for f in findings.iter().filter(|f| config.deducts(f, rule(&f.rule))) {
        match by_rule.iter_mut().find(|(id, _)| *id == f.rule) {
            Some((_, points)) => *points += f.deduction,
            None => by_rule.push((f.rule.clone(), f.deduction)),
        }
    }
    for (id, points) in &mut by_rule {
        if let Some(cap) = rule(id).max_deduction {
            *points = points.min(cap);
        }
    }
    let part_of = |id: &str| -> String {
        findings
            .iter()
            .find(|f| f.rule == id)
            .and_then(|f| f.section)
            .map_or("其他".to_string(), |s| s.numeral().to_string())
    };
    let mut part_left: BTreeMap<String, f64> = config.part_caps.clone();
    for (id, points) in &mut by_rule {
        if let Some(left) = part_left.get_mut(&part_of(id)) {
            *points = points.min(*left);
            *left -= *points;
        }
    }
    by_rule.retain(|(_, p)| *p > 0.0);
    let total: f64 = by_rule.iter().map(|(_, p)| p).sum();
    let value = (100.0 - total).max(0.0);
    Score {
        value,
        grade: config.grade(value),
        deductions: by_rule,
        unscored: None,
    }
}

/// Counts over a batch.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub audited: usize,
    pub failed: usize,
    /// Audited files that got no score (not a report, no text layer).
    pub unscored: usize,
    /// Those files and why, in the order they came: the terminal lists them last.
    pub unscored_files: Vec<(String, String)>,
    /// Findings the reports are at fault for, by severity.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Findings that may be nianbao's misreading (需复核), whatever their severity.
    pub to_review: usize,
}

impl Summary {
    /// Counts one more audited file.
    pub fn add(&mut self, r: &Audited) {
        self.files += 1;
        match &r.outcome {
            Ok(a) => {
                self.audited += 1;
                if let Some(why) = &a.score.unscored {
                    self.unscored += 1;
                    self.unscored_files.push((r.file.clone(), why.clone()));
                }
                for f in &a.findings {
                    match (f.fault, f.severity) {
                        (Fault::Reading, _) => self.to_review += 1,
                        (Fault::Report, Severity::Error) => self.errors += 1,
                        (Fault::Report, Severity::Warning) => self.warnings += 1,
                        (Fault::Report, Severity::Info) => self.infos += 1,
                    }
                }
            }
            Err(_) => self.failed += 1,
        }
    }
}

pub fn summarize(results: &[Audited]) -> Summary {
    let mut s = Summary::default();
    for r in results {
        s.add(r);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::Family;

    fn finding(rule: &str, deduction: f64) -> Finding {
        Finding {
            rule: rule.into(),
            family: Family::RowSum,
            severity: Severity::Error,
            message: String::new(),
            cells: vec![],
            section: None,
            span: None,
            deduction,
            evidence: None,
            fault: Default::default(),
            fault_reason: None,
        }
    }

    #[test]
    fn deductions_are_capped_per_rule() {
        let findings = vec![
            finding("A", 5.0),
            finding("A", 5.0),
            finding("A", 5.0),
            finding("B", 2.0),
        ];
        let rules = BTreeMap::from([(
            "A".to_string(),
            RuleScoring {
                max_deduction: Some(12.0),
                advisory: false,
            },
        )]);
        let s = score(&findings, &rules, &ScoringConfig::default());
        assert_eq!(s.value, 86.0);
        assert_eq!(s.grade, "良好");
        assert_eq!(
            s.deductions,
            vec![("A".to_string(), 12.0), ("B".to_string(), 2.0)]
        );
    }

    #[test]
    fn parts_are_capped_and_grades_banded() {
        let mut a = finding("A", 5.0);
        a.section = Some(nianbao_model::SectionId::Three);
        let mut b = finding("B", 5.0);
        b.section = Some(nianbao_model::SectionId::Three);
        let config = ScoringConfig {
            part_caps: BTreeMap::from([("三".to_string(), 7.0)]),
            ..ScoringConfig::default()
        };
        let s = score(&[a, b, finding("C", 40.0)], &BTreeMap::new(), &config);
        assert_eq!(
            s.deductions,
            vec![
                ("A".to_string(), 5.0),
                ("B".to_string(), 2.0),
                ("C".to_string(), 40.0)
            ]
        );
        assert_eq!(s.value, 53.0);
        assert_eq!(s.grade, "不合格");
    }

    #[test]
    fn modes_decide_what_costs_points() {
        let mut info = finding("INFO", 1.0);
        info.severity = Severity::Info;
        let advice = finding("ADVICE", 2.0);
        let mut misread = finding("MISREAD", 4.0);
        misread.fault = Fault::Reading;
        let error = finding("ERROR", 8.0);
        let findings = [info, advice, misread, error];
        let rules = BTreeMap::from([(
            "ADVICE".to_string(),
            RuleScoring {
                max_deduction: None,
                advisory: true,
            },
        )]);
        let conservative = score(&findings, &rules, &ScoringConfig::default());
        assert_eq!(conservative.value, 92.0);
        let strict = ScoringConfig {
            mode: ScoringMode::Strict,
            ..ScoringConfig::default()
        };
        // Strict deducts info and advisory findings too, never a possible misreading.
        assert_eq!(score(&findings, &rules, &strict).value, 89.0);
    }

    #[test]
    fn unscored_files_rank_below_every_scored_report_and_above_unreadable_ones() {
        let audited = |file: &str, score: Score| Audited {
            file: file.into(),
            outcome: Ok(AuditedReport::new(
                Report::default(),
                Vec::new(),
                score,
                BTreeMap::new(),
            )),
        };
        let scored = |v: f64| Score {
            value: v,
            grade: String::new(),
            deductions: Vec::new(),
            unscored: None,
        };
        let mut results = [
            Audited {
                file: "broken.pdf".into(),
                outcome: Err("truncated".into()),
            },
            audited("scan.pdf", Score::unscored("no text".into())),
            audited("low.txt", scored(12.0)),
            audited("high.txt", scored(95.0)),
        ];
        results.sort_by(ranking_order);
        let order: Vec<&str> = results.iter().map(|r| r.file.as_str()).collect();
        assert_eq!(order, ["high.txt", "low.txt", "scan.pdf", "broken.pdf"]);
    }
}
