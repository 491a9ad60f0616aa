//! `audit --format xlsx` as the batch goes: each report's rows of the workbook made on the
//! workers, the findings' and cells' rows set aside in spill files, the sheets written at the
//! end (in rust_xlsxwriter's low-memory mode) — memory stays flat in the batch's size.

use crate::output::{record_row, row_record, Spill};
use nianbao_scorecard::{Audited, WorkbookRows, WorkbookStream};
use rayon::prelude::*;
use std::path::Path;

pub struct StreamedWorkbook {
    stream: WorkbookStream,
    /// The audit's workbook (with 报告 and 问题), or an extraction's (数据 alone).
    with_findings: bool,
    findings: Spill,
    cells: Spill,
}

impl StreamedWorkbook {
    pub fn create(output: Option<&Path>, with_findings: bool) -> std::io::Result<StreamedWorkbook> {
        Ok(StreamedWorkbook {
            stream: WorkbookStream::default(),
            with_findings,
            findings: Spill::create(output)?,
            cells: Spill::create(output)?,
        })
    }

    /// Adds a chunk of the batch, in input order; its rows are made on every core.
    pub fn add(&mut self, chunk: Vec<Audited>) -> std::io::Result<()> {
        let rows: Vec<WorkbookRows> = chunk
            .into_par_iter()
            .map(|a| WorkbookRows::of(&a))
            .collect();
        for rows in rows {
            let (findings, cells) = self.stream.note(rows);
            for row in findings.iter().filter(|_| self.with_findings) {
                self.findings.push(&row_record(row))?;
            }
            if let Some(row) = cells {
                self.cells.push(&row_record(&row))?;
            }
        }
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        let mut findings = rows(&mut self.findings)?;
        let mut cells = rows(&mut self.cells)?;
        self.stream
            .finish(self.with_findings, &mut findings, &mut cells)
    }
}

/// The rows set aside in a spill, in the order they came.
fn rows(
    spill: &mut Spill,
) -> Result<impl Iterator<Item = Result<Vec<String>, String>> + '_, String> {
    let records = spill.records().map_err(|e| e.to_string())?;
    Ok(records.map(|record| {
        record
            .map_err(|e| e.to_string())
            .and_then(|r| record_row(&r))
    }))
}
