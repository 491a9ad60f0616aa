//! A batch exported with its decisions: XLSX, HTML and JSON by the same renderers as
//! `nianbao audit`, each finding carrying its review.

use crate::db::{Batch, Db, Summary};
use nianbao_scorecard::{
    Audited, BatchFormat, HtmlFormat, JsonFormat, SpilledWorkbook, Standing, WorkbookRows,
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
/// their summaries for their scores (the order); for HTML their findings once more, for
/// what its head shows of every report (totals, the ranking, the histogram); then each
/// whole to be rendered (a workbook's rows are set aside until its sheets are written).
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
            // Rows set aside beside the database, where its files are kept.
            let dir = db.files_dir();
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut workbook = SpilledWorkbook::create_in(dir, true).map_err(|e| e.to_string())?;
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

/// A format's text written part by part, as `render_each` makes it whole: each report noted
/// (before any is rendered when `head_reads_all`, as HTML's head needs), rendered, its part
/// written between separators, then the tail.
fn write_rendered(
    db: &Db,
    batch: &Batch,
    ids: &[i64],
    format: &mut dyn BatchFormat,
    head_reads_all: bool,
    out: &mut dyn Write,
) -> Result<(), String> {
    let write =
        |out: &mut dyn Write, text: &str| out.write_all(text.as_bytes()).map_err(|e| e.to_string());
    if head_reads_all {
        for &id in ids {
            if let Some(r) = read(db, batch, id, Some(Summary::Findings))? {
                format.note(&r);
            }
        }
    }
    write(out, &format.frame(!ids.is_empty()).0)?;
    let mut any_part = false;
    for (index, r) in ids
        .iter()
        .filter_map(|&id| read(db, batch, id, None).transpose())
        .enumerate()
    {
        let r = r?;
        if !head_reads_all {
            format.note(&r);
        }
        let part = format.part(index, &r);
        if part.is_empty() {
            continue;
        }
        if any_part {
            write(out, format.separator())?;
        }
        any_part = true;
        write(out, &format.finish(&part))?;
    }
    write(out, &format.frame(any_part).1)
}
