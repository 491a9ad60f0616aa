//! The layout lab: every gold report of `shared/gold` written in the layouts real reports
//! come in (DOCX, PDF from DOCX by LibreOffice or from a CMS page by Chromium, CMS HTML,
//! converter Markdown, extracted and crawled text), each with seeded variation of wording and values, read back through the
//! real pipeline and compared cell by cell with its gold.
//!
//! The stages, one module each: [`gold`] loads the answers; [`form`] fills the official
//! tables; [`narrative`] writes the report around them; [`family`] writes the file;
//! [`run`] reads it back and compares; [`accuracy`] writes ACCURACY.md.

pub mod accuracy;
pub mod family;
pub mod form;
pub mod gold;
pub mod narrative;
pub mod rng;
pub mod run;
pub mod values;
pub mod words;

pub use family::{Family, Layout};
pub use run::{pipeline, run, Options, Outcome, ReadBack, Summary};

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum LabError {
    #[error("{path}: {source}", path = .0.display(), source = .1)]
    Io(PathBuf, std::io::Error),
    #[error("{path}: not a gold file: {why}", path = .0.display(), why = .1)]
    Gold(PathBuf, String),
    #[error("converting the lab's DOCX or web page: {0}")]
    Converter(String),
    #[error("{0}")]
    Rules(String),
}
