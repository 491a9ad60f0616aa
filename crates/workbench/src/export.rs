//! A batch exported with its decisions: XLSX, HTML and JSON by the same renderers as
//! `nianbao audit`, each finding carrying its review.

use crate::db::{Batch, StoredReport};
use nianbao_scorecard::{audit_json, render_html, render_xlsx, Audited};

pub enum ExportFormat {
    Xlsx,
    Html,
    Json,
}

impl ExportFormat {
    pub fn parse(extension: &str) -> Option<ExportFormat> {
        match extension {
            "xlsx" => Some(ExportFormat::Xlsx),
            "html" => Some(ExportFormat::Html),
            "json" => Some(ExportFormat::Json),
            _ => None,
        }
    }

    pub fn content_type(&self) -> &'static str {
        match self {
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::Html => "text/html; charset=utf-8",
            ExportFormat::Json => "application/json",
        }
    }
}

/// The batch's reports in ranking order, rendered.
pub fn export(
    batch: &Batch,
    reports: Vec<StoredReport>,
    format: &ExportFormat,
) -> Result<Vec<u8>, String> {
    let mut results: Vec<Audited> = reports.into_iter().map(|r| r.audited).collect();
    results.sort_by(nianbao_scorecard::ranking_order);
    match format {
        ExportFormat::Xlsx => render_xlsx(&results, true),
        ExportFormat::Html => Ok(render_html(&results, &batch.setup.rule_meta()).into_bytes()),
        ExportFormat::Json => {
            serde_json::to_vec_pretty(&audit_json(&results)).map_err(|e| e.to_string())
        }
    }
}
