//! Comparing an audit with an earlier one (`--baseline OLD.json`): each finding is new or
//! unchanged, and what the baseline had for the same organ and year but is gone now is fixed.
//! Findings are matched by fingerprint (rule, organ, year, cells), never by position.

use crate::{Audited, BaselineStatus, Fixed};
use nianbao_model::organ_key;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: cannot read the baseline: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: not an audit in nianbao's JSON format: {reason}")]
    Format { path: String, reason: String },
}

/// One finding of the baseline.
#[derive(Debug, Clone)]
struct Old {
    owner: (String, Option<i64>),
    fixed: Fixed,
}

/// The findings of an earlier `audit --format json`.
#[derive(Debug, Default)]
pub struct Baseline {
    findings: Vec<Old>,
}

impl Baseline {
    pub fn load(path: &std::path::Path) -> Result<Baseline, BaselineError> {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Read {
            path: name.clone(),
            reason: e.to_string(),
        })?;
        Baseline::parse(&text).map_err(|reason| BaselineError::Format { path: name, reason })
    }

    pub fn parse(text: &str) -> Result<Baseline, String> {
        let audit: OldAudit = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let reports = audit.reports.ok_or("no \"reports\" list")?;
        let text_of = |v: &Option<Value>| v.as_ref().and_then(Value::as_str).map(str::to_string);
        let mut findings = Vec::new();
        for report in reports {
            let owner = (
                text_of(&report.organ)
                    .map(|o| organ_key(&o))
                    .unwrap_or_default(),
                report.year.as_ref().and_then(Value::as_i64),
            );
            for f in report.findings.into_iter().flatten() {
                let fingerprint =
                    text_of(&f.fingerprint).ok_or("a finding without \"fingerprint\"")?;
                let cells = match f.cells {
                    Some(Value::Array(cells)) => cells
                        .into_iter()
                        .filter_map(|c| c.as_str().map(str::to_string))
                        .collect(),
                    _ => Vec::new(),
                };
                findings.push(Old {
                    owner: owner.clone(),
                    fixed: Fixed {
                        fingerprint,
                        rule: text_of(&f.rule).unwrap_or_default(),
                        message: text_of(&f.message).unwrap_or_default(),
                        cells,
                    },
                });
            }
        }
        Ok(Baseline { findings })
    }
}

/// What a baseline is read for of an audit's JSON; the rest is skipped unread (a batch's
/// audit is tens of megabytes). Fields are values, read as leniently as the format was
/// written: a field of another type is as good as absent.
#[derive(serde::Deserialize)]
struct OldAudit {
    reports: Option<Vec<OldReport>>,
}

#[derive(serde::Deserialize)]
struct OldReport {
    organ: Option<Value>,
    year: Option<Value>,
    findings: Option<Vec<OldFinding>>,
}

#[derive(serde::Deserialize)]
struct OldFinding {
    fingerprint: Option<Value>,
    rule: Option<Value>,
    message: Option<Value>,
    cells: Option<Value>,
}

/// Compares reports one at a time, as a batch streams them: each finding is new or
/// unchanged (baseline findings are matched by fingerprint and each used once), and the
/// baseline's findings for the same organ and year that nothing matched are fixed.
pub struct BaselineMatcher<'a> {
    baseline: &'a Baseline,
    remaining: BTreeMap<&'a str, usize>,
    /// The baseline's findings of each organ and year, in the baseline's order.
    by_owner: HashMap<&'a (String, Option<i64>), Vec<usize>>,
}

impl<'a> BaselineMatcher<'a> {
    pub fn new(baseline: &'a Baseline) -> BaselineMatcher<'a> {
        let mut remaining = BTreeMap::new();
        let mut by_owner: HashMap<&(String, Option<i64>), Vec<usize>> = HashMap::new();
        for (i, old) in baseline.findings.iter().enumerate() {
            *remaining.entry(old.fixed.fingerprint.as_str()).or_default() += 1;
            by_owner.entry(&old.owner).or_default().push(i);
        }
        BaselineMatcher {
            baseline,
            remaining,
            by_owner,
        }
    }

    pub fn apply(&mut self, audited: &mut Audited) {
        let Ok(a) = &mut audited.outcome else { return };
        let remaining = &mut self.remaining;
        a.baseline = a
            .fingerprints
            .iter()
            .map(|fp| match remaining.get_mut(fp.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    BaselineStatus::Unchanged
                }
                _ => BaselineStatus::New,
            })
            .collect();
        let owner = (
            a.report.organ.as_deref().map(organ_key).unwrap_or_default(),
            a.report.year.map(i64::from),
        );
        // What this report leaves of its organ's and year's findings is used up for good
        // (counts only fall): another report of the same organ and year finds none.
        let owned = self.by_owner.remove(&owner).unwrap_or_default();
        for old in owned.iter().map(|&i| &self.baseline.findings[i]) {
            if let Some(n) = remaining
                .get_mut(old.fixed.fingerprint.as_str())
                .filter(|n| **n > 0)
            {
                *n -= 1;
                a.fixed.push(old.fixed.clone());
            }
        }
    }
}

/// Marks every finding new or unchanged and lists each report's fixed ones.
pub fn compare(results: &mut [Audited], baseline: &Baseline) {
    let mut matcher = BaselineMatcher::new(baseline);
    for audited in results.iter_mut() {
        matcher.apply(audited);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditedReport, Score};
    use nianbao_model::Report;

    fn audited(organ: &str, fingerprints: &[&str]) -> Audited {
        let report = Report {
            organ: Some(organ.to_string()),
            year: Some(2023),
            ..Report::default()
        };
        let mut a = AuditedReport::new(
            report,
            Vec::new(),
            Score::unscored(String::new()),
            BTreeMap::new(),
        );
        a.fingerprints = fingerprints.iter().map(|f| f.to_string()).collect();
        Audited {
            file: format!("{organ}.txt"),
            outcome: Ok(a),
        }
    }

    #[test]
    fn each_baseline_finding_is_matched_or_fixed_once() {
        // What a baseline reads of an audit, among fields it skips and a failed file.
        let baseline = Baseline::parse(
            r#"{"reports": [
                {"organ": "甲县人民政府", "year": 2023, "score": 90, "findings": [
                    {"fingerprint": "a", "rule": "R1", "message": "m1", "cells": ["t3.x"],
                     "span": {"line": 3}},
                    {"fingerprint": "b", "rule": "R2", "message": "m2"},
                    {"fingerprint": "c", "rule": "R3", "message": "m3"}]},
                {"organ": "乙县人民政府", "year": 2023, "findings": [
                    {"fingerprint": "d", "rule": "R4", "message": "m4"}]},
                {"file": "bad.txt", "error": "unreadable"}],
              "summary": {"files": 3}}"#,
        )
        .expect("an audit's JSON");
        let mut results = [
            audited("甲县人民政府", &["b", "d"]),
            audited("甲县人民政府", &["a"]),
            audited("乙县人民政府", &[]),
        ];
        compare(&mut results, &baseline);
        let seen = |r: &Audited| {
            let a = r.outcome.as_ref().expect("read");
            let fixed: Vec<&str> = a.fixed.iter().map(|f| f.rule.as_str()).collect();
            (a.baseline.clone(), fixed.join(","))
        };
        use BaselineStatus::{New, Unchanged};
        // 乙's "d" matches wherever it is found; 甲's unmatched ones are fixed by the first
        // report of 甲 and 2023, and are gone for the second.
        assert_eq!(
            seen(&results[0]),
            (vec![Unchanged, Unchanged], "R1,R3".into())
        );
        assert_eq!(seen(&results[1]), (vec![New], String::new()));
        assert_eq!(seen(&results[2]), (vec![], String::new()));
        assert_eq!(
            results[0]
                .outcome
                .as_ref()
                .map(|a| a.fixed[0].cells.clone()),
            Ok(vec!["t3.x".to_string()])
        );
        assert!(Baseline::parse(r#"{"reports": [{"findings": [{"rule": "R"}]}]}"#).is_err());
        assert!(Baseline::parse(r#"{"summary": {}}"#).is_err());
    }
}
