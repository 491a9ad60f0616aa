//! Scorecards: a score per report from its findings' deductions, and renderers.

mod baseline;
mod html;
mod json;
mod junit;
mod markdown;
mod sarif;
mod table;
mod terminal;

pub use baseline::{compare as compare_with_baseline, Baseline, BaselineError, BaselineMatcher};
pub use html::html as render_html;
pub use json::{audit_json, extract_json, report_json, summary_json};
pub use junit::junit as render_junit;
pub use markdown::render_markdown;
pub use sarif::sarif as render_sarif;
pub use table::{audit_csv, audit_csv_rows, extract_csv, xlsx as render_xlsx, RuleMeta};
pub use terminal::{
    render_terminal, render_terminal_report, render_terminal_summary, TerminalOptions,
};

use nianbao_model::{Finding, Report, Severity};
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
}

impl AuditedReport {
    pub fn new(
        report: Report,
        findings: Vec<Finding>,
        score: Score,
        lines: Vec<String>,
    ) -> AuditedReport {
        let fingerprints = findings
            .iter()
            .map(|f| nianbao_model::fingerprint(&report, f))
            .collect();
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (i as u32 + 1, l))
            .collect();
        AuditedReport {
            report,
            findings,
            fingerprints,
            score,
            lines,
            baseline: Vec::new(),
            fixed: Vec::new(),
        }
    }

    /// Source line `number` (1-based), if kept.
    pub fn line(&self, number: u32) -> Option<&str> {
        self.lines.get(&number).map(String::as_str)
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

/// A baseline finding that is no longer reported.
#[derive(Debug, Clone, PartialEq)]
pub struct Fixed {
    pub fingerprint: String,
    pub rule: String,
    pub message: String,
    pub cells: Vec<String>,
}

/// 100 minus deductions: each rule's total capped at its `max_deduction`, each part's total
/// (一…六, or the findings of no part) capped as the scoring configuration says.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub value: f64,
    pub grade: String,
    /// (rule id, points deducted after the caps), in the order rules first fired.
    pub deductions: Vec<(String, f64)>,
}

/// How scores are made beyond the rules' own deductions (from `nianbao.toml [scoring]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoringConfig {
    /// Most points a part can lose, by part numeral ("三") or "其他" for findings of no part.
    pub part_caps: BTreeMap<String, f64>,
    /// Grade bands: (lowest score, grade), highest first.
    pub grades: Vec<(f64, String)>,
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
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
}

pub fn score(findings: &[Finding], caps: &BTreeMap<String, f64>, config: &ScoringConfig) -> Score {
    // Points per rule and part, then the rule caps, then the part caps.
    let mut by_rule: Vec<(String, f64)> = Vec::new();
    for f in findings {
        match by_rule.iter_mut().find(|(id, _)| *id == f.rule) {
            Some((_, points)) => *points += f.deduction,
            None => by_rule.push((f.rule.clone(), f.deduction)),
        }
    }
    for (id, points) in &mut by_rule {
        if let Some(cap) = caps.get(id) {
            *points = points.min(*cap);
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
    }
}

/// Counts over a batch.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Summary {
    pub files: usize,
    pub audited: usize,
    pub failed: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    /// Counts one more audited file.
    pub fn add(&mut self, r: &Audited) {
        self.files += 1;
        match &r.outcome {
            Ok(a) => {
                self.audited += 1;
                for f in &a.findings {
                    match f.severity {
                        Severity::Error => self.errors += 1,
                        Severity::Warning => self.warnings += 1,
                        Severity::Info => self.infos += 1,
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
        let caps = BTreeMap::from([("A".to_string(), 12.0)]);
        let s = score(&findings, &caps, &ScoringConfig::default());
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
}
