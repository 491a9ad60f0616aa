use crate::report::{SectionId, SourceSpan};
use serde::{Deserialize, Serialize};
use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of problem (the names of `shared/gold/README.md`), independent of rule ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Balance,
    RowSum,
    ColSum,
    T4Sum,
    OldSum,
    MissingSection,
    MissingTable,
    EraMismatch,
    TextTable,
    BlankCell,
    Semantic,
    StaleYear,
    Numbering,
    StatPeriod,
    NoDate,
    Late,
    /// How the file could be read: cells nianbao could not read (its own limit, not the
    /// report's fault), a file that is not what its name says.
    Extraction,
}

impl Family {
    pub const ALL: [Family; 17] = [
        Family::Balance,
        Family::RowSum,
        Family::ColSum,
        Family::T4Sum,
        Family::OldSum,
        Family::MissingSection,
        Family::MissingTable,
        Family::EraMismatch,
        Family::TextTable,
        Family::BlankCell,
        Family::Semantic,
        Family::StaleYear,
        Family::Numbering,
        Family::StatPeriod,
        Family::NoDate,
        Family::Late,
        Family::Extraction,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Balance => "balance",
            Family::RowSum => "row_sum",
            Family::ColSum => "col_sum",
            Family::T4Sum => "t4_sum",
            Family::OldSum => "old_sum",
            Family::MissingSection => "missing_section",
            Family::MissingTable => "missing_table",
            Family::EraMismatch => "era_mismatch",
            Family::TextTable => "text_table",
            Family::BlankCell => "blank_cell",
            Family::Semantic => "semantic",
            Family::StaleYear => "stale_year",
            Family::Numbering => "numbering",
            Family::StatPeriod => "stat_period",
            Family::NoDate => "no_date",
            Family::Late => "late",
            Family::Extraction => "extraction",
        }
    }

    pub fn parse(text: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.as_str() == text)
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Numbers behind a finding, in the manner of XBRL calculation inconsistencies: what the
/// report says, what its parts add up to, which parts and which of them were blank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Evidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub computed: Option<f64>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub contributors: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub blank: Vec<String>,
    /// Free text: the matched sentence of a text rule, the stale mention, …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The other report a comparing rule read (last year's, or another organ's of the same
    /// year), as the user named its file.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub compared_with: Option<String>,
}

/// Whose fault a finding is: the report's (act on it), or nianbao's reading may be at fault
/// (需复核: a person checks the cells before anyone acts on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Fault {
    #[default]
    Report,
    Reading,
}

impl Fault {
    pub fn as_str(self) -> &'static str {
        match self {
            Fault::Report => "report",
            Fault::Reading => "reading",
        }
    }

    /// How an office reads it.
    pub fn label(self) -> &'static str {
        match self {
            Fault::Report => "报告问题",
            Fault::Reading => "需复核",
        }
    }
}

/// One problem found in one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule id, e.g. `T3.ROW_SUM`.
    pub rule: String,
    pub family: Family,
    pub severity: Severity,
    pub message: String,
    /// Canonical cell keys involved.
    pub cells: Vec<String>,
    pub section: Option<SectionId>,
    pub span: Option<crate::report::SourceSpan>,
    /// Points deducted from the report's score.
    pub deduction: f64,
    pub evidence: Option<Evidence>,
    /// Whose fault it is, and why, when that had to be worked out (an arithmetic finding's
    /// smallest repair; a reading nianbao is not sure of).
    #[serde(default)]
    pub fault: Fault,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault_reason: Option<String>,
}

impl Finding {
    pub fn span_or_default(&self) -> SourceSpan {
        self.span.unwrap_or_default()
    }

    /// The other report a comparing rule read (last year's, another organ's), if any.
    pub fn compared_with(&self) -> Option<&str> {
        self.evidence.as_ref()?.compared_with.as_deref()
    }
}
