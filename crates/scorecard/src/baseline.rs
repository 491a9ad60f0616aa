//! Comparing an audit with an earlier one (`--baseline OLD.json`): each finding is new or
//! unchanged, and what the baseline had for the same organ and year but is gone now is fixed.
//! Findings are matched by fingerprint (rule, organ, year, cells), never by position.

use crate::{Audited, BaselineStatus, Fixed};
use nianbao_model::organ_key;
use serde_json::Value;
use std::collections::BTreeMap;

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
        let json: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let reports = json["reports"].as_array().ok_or("no \"reports\" list")?;
        let mut findings = Vec::new();
        for report in reports {
            let owner = (
                report["organ"].as_str().map(organ_key).unwrap_or_default(),
                report["year"].as_i64(),
            );
            for f in report["findings"].as_array().into_iter().flatten() {
                let fingerprint = f["fingerprint"]
                    .as_str()
                    .ok_or("a finding without \"fingerprint\"")?;
                findings.push(Old {
                    owner: owner.clone(),
                    fixed: Fixed {
                        fingerprint: fingerprint.to_string(),
                        rule: f["rule"].as_str().unwrap_or_default().to_string(),
                        message: f["message"].as_str().unwrap_or_default().to_string(),
                        cells: f["cells"]
                            .as_array()
                            .into_iter()
                            .flatten()
                            .filter_map(|c| c.as_str().map(str::to_string))
                            .collect(),
                    },
                });
            }
        }
        Ok(Baseline { findings })
    }
}

/// Compares reports one at a time, as a batch streams them: each finding is new or
/// unchanged (baseline findings are matched by fingerprint and each used once), and the
/// baseline's findings for the same organ and year that nothing matched are fixed.
pub struct BaselineMatcher<'a> {
    baseline: &'a Baseline,
    remaining: BTreeMap<&'a str, usize>,
}

impl<'a> BaselineMatcher<'a> {
    pub fn new(baseline: &'a Baseline) -> BaselineMatcher<'a> {
        let mut remaining = BTreeMap::new();
        for old in &baseline.findings {
            *remaining.entry(old.fixed.fingerprint.as_str()).or_default() += 1;
        }
        BaselineMatcher {
            baseline,
            remaining,
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
        for old in self.baseline.findings.iter().filter(|o| o.owner == owner) {
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
