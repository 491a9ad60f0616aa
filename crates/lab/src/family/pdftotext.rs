//! Text extracted from a PDF by poppler's `pdftotext`, as offices and crawlers extract
//! reports published as PDF: laid out in spaces (`-layout`) or in reading order. The PDF
//! is LibreOffice's rendering of the lab's DOCX.

use super::Layout;
use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pdftotext command, if installed.
pub fn pdftotext() -> Option<PathBuf> {
    super::installed(&["pdftotext"], "-v")
}

/// Extracts each case's text (`file`, a `.txt`) from the PDF beside it, which it replaces,
/// with its layout's options; the error names the first file that failed.
pub fn extract_all(program: &Path, cases: &[(PathBuf, Layout)]) -> Result<(), LabError> {
    super::all_on_two_workers(cases, "pdftotext did not extract", |_, (file, layout)| {
        extract(program, file, layout.pdftotext().unwrap_or_default())
    })
}

fn extract(program: &Path, text: &Path, options: &[&str]) -> Result<(), String> {
    let pdf = text.with_extension("pdf");
    let mut command = Command::new(program);
    command
        .args(options)
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg(text);
    super::run_writing(&mut command, &pdf, text)?;
    std::fs::remove_file(&pdf).map_err(|e| format!("{}: {e}", pdf.display()))
}
