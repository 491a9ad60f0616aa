//! A batch exported with its decisions: XLSX, HTML and JSON by the same renderers as
//! `nianbao audit`, each finding carrying its review.

use crate::db::{Batch, Db};
use nianbao_scorecard::{render_each, xlsx_each, HtmlFormat, JsonFormat, Standing};

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

/// The batch's reports in ranking order, rendered. They are read twice, one at a time —
/// for their scores (the order), then to be rendered — so that a batch of thousands is
/// never in memory whole.
pub fn export(db: &Db, batch: &Batch, format: &ExportFormat) -> Result<Vec<u8>, String> {
    let ids = db.report_ids(batch).map_err(|e| e.to_string())?;
    let read = |id: i64| db.batch_report(id, batch).map_err(|e| e.to_string());
    let mut ranked: Vec<(Standing, String, usize, i64)> = Vec::new();
    for (k, id) in ids.into_iter().enumerate() {
        if let Some(r) = read(id)? {
            ranked.push((Standing::of(&r.audited), r.audited.file, k, id));
        }
    }
    ranked.sort_by(|a, b| Standing::order((a.0, &a.1), (b.0, &b.1)).then(a.2.cmp(&b.2)));
    // A report gone between the two reads is left out, as the first read leaves it out.
    let reports = ranked
        .iter()
        .filter_map(|&(.., id)| read(id).transpose())
        .map(|r| r.map(|stored| stored.audited));
    match format {
        ExportFormat::Xlsx => xlsx_each(reports, true),
        ExportFormat::Html => {
            let meta = batch.setup.rule_meta();
            render_each(&mut HtmlFormat::new(&meta), reports).map(String::into_bytes)
        }
        ExportFormat::Json => {
            render_each(&mut JsonFormat::default(), reports).map(String::into_bytes)
        }
    }
}
