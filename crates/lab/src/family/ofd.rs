//! OFD (GB/T 33190), as offices' converters write it from a document: the lab's PDF
//! (LibreOffice's) written as an OFD by `tools/pdf2ofd.py`, which reads the PDF with
//! pdfminer.six, a reader independent of nianbao's, so that the OFD carries none of
//! nianbao's own reading. Each layout is one way converters set out the page (text objects
//! by runs or by chars, scaled objects, a template page, ruling stroked or filled).

use super::Layout;
use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The converter script, beside the lab's sources.
fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tools/pdf2ofd.py")
}

/// The Python that runs the converter (with pdfminer.six), if installed.
pub fn python() -> Option<PathBuf> {
    ["python3", "python"].iter().find_map(|name| {
        let ran = Command::new(name)
            .args(["-c", "import pdfminer"])
            .output()
            .ok()?;
        ran.status.success().then(|| PathBuf::from(name))
    })
}

/// Writes each case's OFD (`file`) from the PDF beside it, which it replaces, in its
/// layout's style; the error names the first file that failed.
pub fn convert_all(python: &Path, cases: &[(PathBuf, Layout)]) -> Result<(), LabError> {
    let script = script();
    super::all_on_two_workers(cases, "pdf2ofd.py did not convert", |_, (file, layout)| {
        let pdf = file.with_extension("pdf");
        let mut command = Command::new(python);
        command
            .arg(&script)
            .arg(layout.ofd_style().unwrap_or("runs"))
            .arg(&pdf)
            .arg(file);
        super::run_writing(&mut command, &pdf, file)?;
        std::fs::remove_file(&pdf).map_err(|e| format!("{}: {e}", pdf.display()))
    })
}
