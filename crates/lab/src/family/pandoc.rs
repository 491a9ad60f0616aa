//! Markdown and plain text as pandoc writes them from a Word file (`pandoc -f docx -t gfm`
//! or `-t plain`): Markdown with bold as `**`, backslash escapes, and tables as pipe tables
//! (merged cells flattened) or as HTML; plain text with tables as columns of spaces, merged
//! header cells lost and long labels wrapped below their values.

use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pandoc command, if installed.
pub fn pandoc() -> Option<PathBuf> {
    super::installed(&["pandoc"], "--version")
}

/// Converts each (DOCX, output) pair to pandoc's format `to`; the error names the first
/// file pandoc did not convert and what it said.
pub fn convert_all(pandoc: &Path, pairs: &[(PathBuf, PathBuf)], to: &str) -> Result<(), LabError> {
    super::all_on_two_workers(pairs, "pandoc did not convert", |_, (docx, output)| {
        convert(pandoc, docx, output, to)
    })
}

fn convert(pandoc: &Path, docx: &Path, written: &Path, to: &str) -> Result<(), String> {
    let mut command = Command::new(pandoc);
    command
        .args(["-f", "docx", "-t", to, "-o"])
        .arg(written)
        .arg(docx);
    super::run_writing(&mut command, docx, written)
}
