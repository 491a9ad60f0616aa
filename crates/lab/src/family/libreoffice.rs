//! Word reports as offices publish them besides DOCX: the lab's DOCX files converted by
//! LibreOffice (`soffice --headless --convert-to pdf`, `doc` for Word 97–2003 files, the
//! format many offices still attach, or `rtf`, as web systems export Word files). LibreOffice starts slowly and tires over long
//! batches (one process stopped after about 250 files), so files go in chunks, two
//! processes at a time (each with a profile of its own), and a file a chunk missed is
//! tried once more on its own.

use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

const CHUNK: usize = 40;

/// The LibreOffice command, if installed.
pub fn soffice() -> Option<PathBuf> {
    super::installed(&["soffice", "libreoffice"], "--version")
}

/// Converts the `docx` files to the format of extension `to`, into `dir` (a file of `dir`
/// converted to `docx` must come from elsewhere: it would be its own output); the error
/// names what LibreOffice said about the files it did not convert.
pub fn convert_all(soffice: &Path, dir: &Path, docx: &[PathBuf], to: &str) -> Result<(), LabError> {
    let chunks: Vec<&[PathBuf]> = docx.chunks(CHUNK).collect();
    let said: Vec<String> = super::on_two_workers(&chunks, |worker, chunk| {
        let profile = dir.join(format!("lo-profile-{worker}"));
        Some(convert(soffice, &profile, dir, chunk, to))
    });
    let mut last_words = said.join("\n");
    let profile = dir.join("lo-profile-retry");
    // `to` is an extension, or one with the filter to use ("txt:Text (encoded):UTF8").
    let extension = to.split(':').next().unwrap_or(to);
    let converted = |source: &PathBuf| match source.file_stem() {
        Some(stem) => dir.join(stem).with_extension(extension).exists(),
        None => false,
    };
    for file in docx.iter().filter(|d| !converted(d)) {
        last_words = convert(soffice, &profile, dir, std::slice::from_ref(file), to);
    }
    let missing: Vec<&PathBuf> = docx.iter().filter(|d| !converted(d)).collect();
    match missing.first() {
        None => Ok(()),
        Some(first) => Err(LabError::Converter(format!(
            "LibreOffice did not convert {} of {} files to {to} (first: {}); it said: {}",
            missing.len(),
            docx.len(),
            first.display(),
            last_words.trim()
        ))),
    }
}

/// One LibreOffice run over `files`; what it printed on stderr.
fn convert(soffice: &Path, profile: &Path, dir: &Path, files: &[PathBuf], to: &str) -> String {
    // The profile's URL must hold an absolute path: LibreOffice waits forever on
    // `file://target/…` (a `--keep` folder given relative).
    let profile = std::path::absolute(profile).unwrap_or_else(|_| profile.to_path_buf());
    let output = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
        .arg(dir)
        .args(files)
        .output();
    match output {
        Ok(o) => String::from_utf8_lossy(&o.stderr).into_owned(),
        Err(e) => format!("cannot run {}: {e}", soffice.display()),
    }
}
