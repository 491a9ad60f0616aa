//! The gold files of `shared/gold`: what a correct audit of each real report reads and finds.

use crate::LabError;
use nianbao_model::Era;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFinding {
    pub family: String,
    pub severity: String,
    #[serde(default)]
    pub cells: Vec<String>,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct RawGold {
    source: String,
    organ: String,
    #[serde(default)]
    level: Option<String>,
    year: i32,
    era: String,
    #[serde(default)]
    sections: Option<BTreeMap<String, bool>>,
    cells: BTreeMap<String, Option<f64>>,
    #[serde(default)]
    findings: Vec<GoldFinding>,
}

/// One gold file.
#[derive(Debug, Clone)]
pub struct Gold {
    /// The file stem ("003_hongze_2023"): names the cases made from it.
    pub name: String,
    pub source: String,
    pub organ: String,
    pub level: Option<String>,
    pub year: i32,
    pub era: Era,
    /// Which of the parts 一…六 the report has (2019 and 2021 eras).
    pub sections: Option<BTreeMap<String, bool>>,
    /// Canonical key → value (`None`: printed blank).
    pub cells: BTreeMap<String, Option<f64>>,
    pub findings: Vec<GoldFinding>,
}

impl Gold {
    pub fn has_table(&self, prefix: &str) -> bool {
        self.cells.keys().any(|k| k.starts_with(prefix))
    }

    pub fn value(&self, key: &str) -> Option<Option<f64>> {
        self.cells.get(key).copied()
    }

    /// Whether part `numeral` (一…六) is in the report; reports of eras without the six
    /// parts have them all in the lab's rendering.
    pub fn has_section(&self, numeral: &str) -> bool {
        self.sections
            .as_ref()
            .is_none_or(|s| s.get(numeral).copied().unwrap_or(false))
    }
}

pub fn load(path: &Path) -> Result<Gold, LabError> {
    let text = std::fs::read_to_string(path).map_err(|e| LabError::Io(path.into(), e))?;
    let raw: RawGold =
        serde_json::from_str(&text).map_err(|e| LabError::Gold(path.into(), e.to_string()))?;
    let era = Era::parse(&raw.era)
        .ok_or_else(|| LabError::Gold(path.into(), format!("unknown era {:?}", raw.era)))?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Gold {
        name,
        source: raw.source,
        organ: raw.organ,
        level: raw.level,
        year: raw.year,
        era,
        sections: raw.sections,
        cells: raw.cells,
        findings: raw.findings,
    })
}

/// Every gold file of a folder, in name order.
pub fn load_dir(dir: &Path) -> Result<Vec<Gold>, LabError> {
    let entries = std::fs::read_dir(dir).map_err(|e| LabError::Io(dir.into(), e))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths.iter().map(|p| load(p)).collect()
}
