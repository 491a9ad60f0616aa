//! Markdown and plain text as pandoc writes them from a Word file (`pandoc -f docx -t gfm`
//! or `-t plain`): Markdown with bold as `**`, backslash escapes, and tables as pipe tables
//! (merged cells flattened) or as HTML; plain text with tables as columns of spaces, merged
//! header cells lost and long labels wrapped below their values. Also a Word file from the
//! lab's web page whose tables are pictures (`picture_tables`), the pictures in it.

use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pandoc command, if installed.
pub fn pandoc() -> Option<PathBuf> {
    super::installed(&["pandoc"], "--version")
}

/// Converts each (input, output) pair from pandoc's format `from` to its format `to`
/// (pictures an input links to are looked for beside it); the error names the first file
/// pandoc did not convert and what it said.
pub fn convert_all(
    pandoc: &Path,
    pairs: &[(PathBuf, PathBuf)],
    from: &str,
    to: &str,
) -> Result<(), LabError> {
    super::all_on_two_workers(pairs, "pandoc did not convert", |_, (input, output)| {
        convert(pandoc, input, output, from, to)
    })
}

fn convert(
    pandoc: &Path,
    input: &Path,
    written: &Path,
    from: &str,
    to: &str,
) -> Result<(), String> {
    let mut command = Command::new(pandoc);
    command.args(["-f", from, "-t", to, "-o"]).arg(written);
    if let Some(folder) = input.parent() {
        command.arg("--resource-path").arg(folder);
    }
    command.arg(input);
    super::run_writing(&mut command, input, written)
}
