//! `nianbao.toml`: the configuration a supervising office keeps next to its reports.
//!
//! ```toml
//! [rules]
//! disable = ["CELL.NEGATIVE"]          # rules switched off
//! [rules.severity]
//! "DATE.LATE" = "error"                # severities changed
//! [scoring]
//! mode = "conservative"                # or "strict": also deduct info and advisory rules
//! part_caps = { "三" = 20 }            # at most 20 points off for part 三
//! grades = [[90, "优秀"], [75, "良好"], [60, "合格"], [0, "不合格"]]
//! [limits]                             # what one input file may cost
//! file_mb = 64                         # also text_mb, line_kb, html_depth, pdf_pages,
//!                                      # pdf_objects, pdf_seconds, docx_entries,
//!                                      # docx_entry_mb, docx_ratio
//! ocr = true                           # scanned PDFs read by OCR, as `--ocr` asks
//! ```

use nianbao_ingest::Limits;
use nianbao_model::Severity;
use nianbao_plugin_api::PluginSpec;
use nianbao_rules::Config;
use nianbao_scorecard::{ScoringConfig, ScoringMode};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rules: RulesSection,
    #[serde(default)]
    scoring: ScoringSection,
    #[serde(default)]
    plugins: Vec<PluginEntry>,
    #[serde(default)]
    limits: LimitsSection,
}

/// `[limits]`: what one input file may cost; each one left out keeps its default.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LimitsSection {
    file_mb: Option<u64>,
    text_mb: Option<u64>,
    line_kb: Option<u64>,
    html_depth: Option<usize>,
    pdf_pages: Option<usize>,
    pdf_objects: Option<usize>,
    pdf_seconds: Option<u64>,
    docx_entries: Option<usize>,
    docx_entry_mb: Option<u64>,
    docx_ratio: Option<u64>,
    /// Scanned PDFs read by OCR (tesseract; about ten seconds a report) in `audit` and
    /// the workbench, as `--ocr` asks.
    ocr: Option<bool>,
}

impl LimitsSection {
    fn apply(&self, to: &mut Limits) {
        const MB: u64 = 1024 * 1024;
        let mb = |n: u64| n.saturating_mul(MB);
        if let Some(n) = self.file_mb {
            to.max_file_bytes = mb(n);
        }
        if let Some(n) = self.text_mb {
            to.max_text_bytes = usize::try_from(mb(n)).unwrap_or(usize::MAX);
        }
        if let Some(n) = self.line_kb {
            to.max_line_bytes = usize::try_from(n.saturating_mul(1024)).unwrap_or(usize::MAX);
        }
        if let Some(n) = self.html_depth {
            to.max_html_depth = n;
        }
        if let Some(n) = self.pdf_pages {
            to.pdf.max_pages = n;
        }
        if let Some(n) = self.pdf_objects {
            to.pdf.max_objects = n;
        }
        if let Some(n) = self.pdf_seconds {
            to.pdf.max_seconds = n;
        }
        if let Some(n) = self.docx_entries {
            to.zip.max_entries = n;
        }
        if let Some(n) = self.docx_entry_mb {
            to.zip.max_entry_bytes = mb(n);
        }
        if let Some(n) = self.docx_ratio {
            to.zip.max_ratio = n;
        }
        if let Some(ocr) = self.ocr {
            to.ocr = ocr;
        }
    }
}

/// `[[plugins]] path = "…", sha256 = "…"` (the pin is optional).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PluginEntry {
    path: PathBuf,
    #[serde(default)]
    sha256: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ScoringSection {
    /// "conservative" (the default) or "strict".
    #[serde(default)]
    mode: Option<String>,
    /// Most points a part can lose: { "三" = 20, "其他" = 10 }.
    #[serde(default)]
    part_caps: BTreeMap<String, f64>,
    /// Grade bands, highest first: [[90, "优秀"], [80, "良好"], [60, "合格"], [0, "不合格"]].
    #[serde(default)]
    grades: Vec<(f64, String)>,
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

/// What a configuration file says.
pub struct Loaded {
    pub rules: Config,
    pub scoring: ScoringConfig,
    pub plugins: Vec<PluginSpec>,
    pub limits: Limits,
}

pub fn load(path: &Path) -> Result<Loaded, String> {
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
    let mode = match file.scoring.mode.as_deref() {
        None => ScoringMode::default(),
        Some(m) => ScoringMode::parse(m).ok_or_else(|| {
            format!(
                "{}: [scoring] mode: unknown mode {m:?} (conservative, strict)",
                path.display()
            )
        })?,
    };
    let mut scoring = ScoringConfig {
        mode,
        part_caps: file.scoring.part_caps,
        ..ScoringConfig::default()
    };
    let parts = ["一", "二", "三", "四", "五", "六", "其他"];
    if let Some(bad) = scoring
        .part_caps
        .keys()
        .find(|k| !parts.contains(&k.as_str()))
    {
        return Err(format!(
            "{}: [scoring] part_caps: unknown part {bad:?} (一 … 六, 其他)",
            path.display()
        ));
    }
    if !file.scoring.grades.is_empty() {
        let mut grades = file.scoring.grades;
        grades.sort_by(|a, b| b.0.total_cmp(&a.0));
        scoring.grades = grades;
    }
    let mut limits = Limits::default();
    file.limits.apply(&mut limits);
    // A relative plugin path is relative to the configuration file.
    let base = path.parent().unwrap_or(Path::new("."));
    let plugins = file
        .plugins
        .into_iter()
        .map(|p| PluginSpec {
            path: base.join(p.path),
            sha256: p.sha256,
        })
        .collect();
    Ok(Loaded {
        rules: Config {
            disable: file.rules.disable,
            severity,
        },
        scoring,
        plugins,
        limits,
    })
}
