//! PDFs "protected" as offices publish them: encrypted by qpdf with an owner password and
//! an empty user password (every reader opens them; copying or printing is forbidden), by
//! one of the standard security handler's methods: RC4 40 or 128 bits, AES-128 or AES-256,
//! the last also with its objects packed into object streams.

use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The qpdf command, if installed.
pub fn qpdf() -> Option<PathBuf> {
    super::installed(&["qpdf"], "--version")
}

/// qpdf's options for the encryption of a variant (the methods taken in turn).
fn options(variant: usize) -> Vec<&'static str> {
    let method: &[&str] = match variant % 5 {
        0 => &[
            "--allow-weak-crypto",
            "--encrypt",
            "",
            "nb-owner",
            "40",
            "--extract=n",
        ],
        1 => &[
            "--allow-weak-crypto",
            "--encrypt",
            "",
            "nb-owner",
            "128",
            "--use-aes=n",
            "--extract=n",
        ],
        2 => &[
            "--encrypt",
            "",
            "nb-owner",
            "128",
            "--use-aes=y",
            "--extract=n",
            "--print=none",
        ],
        3 => &[
            "--encrypt",
            "",
            "nb-owner",
            "256",
            "--extract=n",
            "--modify=none",
        ],
        _ => &[
            "--object-streams=generate",
            "--encrypt",
            "",
            "nb-owner",
            "256",
            "--extract=n",
        ],
    };
    let mut options = method.to_vec();
    options.push("--");
    options
}

/// Encrypts each (PDF, variant) in place; the error names the first PDF qpdf did not
/// encrypt and what it said.
pub fn encrypt_all(qpdf: &Path, pdfs: &[(PathBuf, usize)]) -> Result<(), LabError> {
    super::all_on_two_workers(pdfs, "qpdf did not encrypt", |_, (pdf, variant)| {
        encrypt(qpdf, pdf, *variant)
    })
}

fn encrypt(qpdf: &Path, pdf: &Path, variant: usize) -> Result<(), String> {
    let encrypted = pdf.with_extension("encrypted.pdf");
    let mut command = Command::new(qpdf);
    command.args(options(variant)).arg(pdf).arg(&encrypted);
    super::run_writing(&mut command, pdf, &encrypted)?;
    std::fs::rename(&encrypted, pdf).map_err(|e| format!("{}: {e}", pdf.display()))
}
