//! Scorecards: a score per report from its findings' deductions, and renderers.

mod baseline;
mod json;
mod markdown;
mod terminal;

pub use baseline::{compare as compare_with_baseline, Baseline, BaselineError};
pub use json::{audit_json, extract_json};
pub use markdown::render_markdown;
pub use terminal::{render_terminal, TerminalOptions};

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
    /// The file's lines (normalised text), for excerpts in renderers.
    pub lines: Vec<String>,
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

/// 100 minus deductions, each rule's total capped at its `max_deduction`.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    pub value: f64,
    /// (rule id, points deducted after the cap), in the order rules first fired.
    pub deductions: Vec<(String, f64)>,
}

pub fn score(findings: &[Finding], caps: &BTreeMap<String, f64>) -> Score {
    let mut deductions: Vec<(String, f64)> = Vec::new();
    for f in findings {
        match deductions.iter_mut().find(|(id, _)| *id == f.rule) {
            Some((_, points)) => *points += f.deduction,
            None => deductions.push((f.rule.clone(), f.deduction)),
        }
    }
    for (id, points) in &mut deductions {
        if let Some(cap) = caps.get(id) {
            *points = points.min(*cap);
        }
    }
    deductions.retain(|(_, p)| *p > 0.0);
    let total: f64 = deductions.iter().map(|(_, p)| p).sum();
    Score {
        value: (100.0 - total).max(0.0),
        deductions,
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

pub fn summarize(results: &[Audited]) -> Summary {
    let mut s = Summary {
        files: results.len(),
        ..Summary::default()
    };
    for r in results {
        match &r.outcome {
            Ok(a) => {
                s.audited += 1;
                for f in &a.findings {
                    match f.severity {
                        Severity::Error => s.errors += 1,
                        Severity::Warning => s.warnings += 1,
                        Severity::Info => s.infos += 1,
                    }
                }
            }
            Err(_) => s.failed += 1,
        }
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
        let s = score(&findings, &caps);
        assert_eq!(s.value, 86.0);
        assert_eq!(
            s.deductions,
            vec![("A".to_string(), 12.0), ("B".to_string(), 2.0)]
        );
    }
}
