//! What a batch was audited with: recorded with the batch, and what its scores are
//! recomputed from when a reviewer decides.

use nianbao_scorecard::{RuleMeta, RuleScoring, ScoringConfig, ScoringMode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The rule packs, configuration, plugins and scoring of an audit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Setup {
    pub packs: Vec<PackRecord>,
    /// The configuration file that applied, if any, with its SHA-256.
    pub config: Option<String>,
    /// The plugins that ran: name and file.
    pub plugins: Vec<String>,
    pub rules: Vec<RuleRecord>,
    pub scoring: ScoringRecord,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PackRecord {
    pub name: String,
    pub version: String,
    pub file: String,
    pub sha256: String,
}

/// A rule as renderers and scores need it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleRecord {
    #[serde(flatten)]
    pub meta: RuleMeta,
    #[serde(flatten)]
    pub scoring: RuleScoring,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScoringRecord {
    pub strict: bool,
    pub part_caps: BTreeMap<String, f64>,
    pub grades: Vec<(f64, String)>,
}

impl Default for ScoringRecord {
    fn default() -> Self {
        ScoringRecord::from(&ScoringConfig::default())
    }
}

impl From<&ScoringConfig> for ScoringRecord {
    fn from(c: &ScoringConfig) -> Self {
        ScoringRecord {
            strict: c.mode == ScoringMode::Strict,
            part_caps: c.part_caps.clone(),
            grades: c.grades.clone(),
        }
    }
}

impl Setup {
    pub fn scoring(&self) -> ScoringConfig {
        ScoringConfig {
            mode: match self.scoring.strict {
                true => ScoringMode::Strict,
                false => ScoringMode::Conservative,
            },
            part_caps: self.scoring.part_caps.clone(),
            grades: self.scoring.grades.clone(),
        }
    }

    pub fn rule_scoring(&self) -> BTreeMap<String, RuleScoring> {
        self.rules
            .iter()
            .map(|r| (r.meta.id.clone(), r.scoring))
            .collect()
    }

    pub fn rule_meta(&self) -> Vec<RuleMeta> {
        self.rules.iter().map(|r| r.meta.clone()).collect()
    }

    /// A rule's title, or its id when the setup does not know it.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.rules
            .iter()
            .find(|r| r.meta.id == id)
            .map_or(id, |r| r.meta.title.as_str())
    }
}
