//! `nianbao.toml`: the configuration a supervising office keeps next to its reports.
//!
//! ```toml
//! [rules]
//! disable = ["CELL.NEGATIVE"]          # rules switched off
//! [rules.severity]
//! "DATE.LATE" = "error"                # severities changed
//! ```

use nianbao_model::Severity;
use nianbao_rules::Config;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: RulesSection,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RulesSection {
    #[serde(default)]
    disable: Vec<String>,
    #[serde(default)]
    severity: BTreeMap<String, String>,
}

pub const DEFAULT_NAME: &str = "nianbao.toml";

/// The config file to use: the one given, else `nianbao.toml` in the working directory.
pub fn locate(given: Option<&Path>) -> Option<PathBuf> {
    match given {
        Some(p) => Some(p.to_path_buf()),
        None => Some(PathBuf::from(DEFAULT_NAME)).filter(|p| p.is_file()),
    }
}

pub fn load(path: &Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let file: File = toml::from_str(&text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        let before = &text[..at.min(text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        format!("{}:{line}:{column}: {}", path.display(), e.message().trim())
    })?;
    let mut severity = BTreeMap::new();
    for (id, s) in file.rules.severity {
        let parsed = Severity::parse(&s).ok_or_else(|| {
            format!(
                "{}: rule {id}: unknown severity {s:?} (error, warning, info)",
                path.display()
            )
        })?;
        severity.insert(id, parsed);
    }
    Ok(Config {
        disable: file.rules.disable,
        severity,
    })
}
