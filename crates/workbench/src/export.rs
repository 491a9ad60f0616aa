//! A batch exported with its decisions: XLSX, HTML and JSON by the same renderers as
//! `nianbao audit`, each finding carrying its review.

use crate::db::{Batch, Db, Summary};
use nianbao_scorecard::{
    Audited, BatchFormat, HtmlFormat, JsonFormat, Parts, Spill, SpilledWorkbook, Standing,
    WorkbookRows,
};
use std::io::Write;

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

/// Writes the batch's reports in ranking order, rendered, into `out` as they are read: a
/// batch of thousands is never in memory whole. The reports are read one at a time: first
/// their summaries for their scores (the order), then each whole to be rendered (what must
/// wait for the end — an HTML page's body, a workbook's rows — set aside in spills).
pub fn export(
    db: &Db,
    batch: &Batch,
    format: &ExportFormat,
    out: &mut dyn Write,
) -> Result<(), String> {
    let ids = db.report_ids(batch).map_err(|e| e.to_string())?;
    let mut ranked: Vec<(Standing, String, usize, i64)> = Vec::new();
    for (k, id) in ids.into_iter().enumerate() {
        if let Some(r) = read(db, batch, id, Some(Summary::Ranking))? {
            ranked.push((Standing::of(&r), r.file, k, id));
        }
    }
    ranked.sort_by(|a, b| Standing::order((a.0, &a.1), (b.0, &b.1)).then(a.2.cmp(&b.2)));
    let ids: Vec<i64> = ranked.iter().map(|&(.., id)| id).collect();
    match format {
        ExportFormat::Xlsx => {
            let mut workbook =
                SpilledWorkbook::create_in(&spill_dir(db)?, true).map_err(|e| e.to_string())?;
            for &id in &ids {
                if let Some(r) = read(db, batch, id, None)? {
                    workbook
                        .add(WorkbookRows::of(&r))
                        .map_err(|e| e.to_string())?;
                }
            }
            out.write_all(&workbook.finish()?)
                .map_err(|e| e.to_string())
        }
        ExportFormat::Html => {
            let meta = batch.setup.rule_meta();
            let mut html = HtmlFormat::new(&meta);
            write_rendered(db, batch, &ids, &mut html, true, out)
        }
        ExportFormat::Json => {
            write_rendered(db, batch, &ids, &mut JsonFormat::default(), false, out)
        }
    }
}

/// A report of the batch, whole or as a `summary`; `None` when it is gone since it was
/// listed (a report gone between two reads is left out, as the first read leaves it out).
fn read(
    db: &Db,
    batch: &Batch,
    id: i64,
    summary: Option<Summary>,
) -> Result<Option<Audited>, String> {
    match summary {
        Some(summary) => db.report_summary(id, batch, summary),
        None => db.batch_report(id, batch),
    }
    .map(|r| r.map(|stored| stored.audited))
    .map_err(|e| e.to_string())
}

/// A format's text written as `render_whole` makes it: each report noted and rendered as
/// it is read. The parts go straight to `out` when the head needs nothing of them (JSON);
/// otherwise (HTML, whose head shows every report) they are set aside in a spill beside
/// the database until the head can be written.
fn write_rendered(
    db: &Db,
    batch: &Batch,
    ids: &[i64],
    format: &mut dyn BatchFormat,
    head_reads_all: bool,
    out: &mut dyn Write,
) -> Result<(), String> {
    let failed = |e: std::io::Error| e.to_string();
    let mut spill = match head_reads_all {
        true => Some(Spill::create_in(&spill_dir(db)?).map_err(failed)?),
        false => None,
    };
    if spill.is_none() {
        out.write_all(format.frame(true).0.as_bytes())
            .map_err(failed)?;
    }
    let mut parts = Parts::default();
    let reports = ids
        .iter()
        .filter_map(|&id| read(db, batch, id, None).transpose());
    for (index, r) in reports.enumerate() {
        let r = r?;
        format.note(&r);
        let part = format.part(index, &r);
        match spill.as_mut() {
            Some(spill) if !part.is_empty() => spill.push(part.as_bytes()).map_err(failed)?,
            Some(_) => {}
            None => parts.write(out, format, &part).map_err(failed)?,
        }
    }
    if let Some(spill) = spill.as_mut() {
        out.write_all(format.frame(spill.parts() > 0).0.as_bytes())
            .map_err(failed)?;
        spill.write_parts(out, format, &mut parts).map_err(failed)?;
    }
    let tail = format.frame(parts.any()).1;
    out.write_all(tail.as_bytes()).map_err(failed)
}

/// The folder an export sets things aside in: beside the database, where its files are kept.
fn spill_dir(db: &Db) -> Result<std::path::PathBuf, String> {
    let dir = db.files_dir();
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir.to_path_buf())
}
