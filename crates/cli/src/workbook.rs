//! `audit --format xlsx` as the batch goes: each report's rows of the workbook made on the
//! workers and handed to a `SpilledWorkbook` (rows set aside in spill files next to the
//! output, the sheets written at the end) — memory stays flat in the batch's size.

use nianbao_scorecard::{Audited, SpilledWorkbook, WorkbookRows};
use rayon::prelude::*;
use std::path::Path;

pub struct StreamedWorkbook(SpilledWorkbook);

impl StreamedWorkbook {
    pub fn create(output: Option<&Path>, with_findings: bool) -> std::io::Result<StreamedWorkbook> {
        let dir = crate::output::spill_dir(output);
        SpilledWorkbook::create_in(&dir, with_findings).map(StreamedWorkbook)
    }

    /// Adds a chunk of the batch, in input order; its rows are made on every core.
    pub fn add(&mut self, chunk: Vec<Audited>) -> std::io::Result<()> {
        let rows: Vec<WorkbookRows> = chunk
            .into_par_iter()
            .map(|a| WorkbookRows::of(&a))
            .collect();
        rows.into_iter().try_for_each(|rows| self.0.add(rows))
    }

    /// The workbook's bytes.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.0.finish()
    }
}
