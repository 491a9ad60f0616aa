//! Kind `misnamed`: the file's content is not what its name says (a text file named
//! `.docx`). nianbao reads it as what it is; the office should know it was not given the
//! file it thinks.

use crate::check::Draft;
use nianbao_model::Report;

pub(crate) fn misnamed(report: &Report) -> Vec<Draft> {
    let Some(m) = &report.misnamed else {
        return Vec::new();
    };
    let mut d = Draft::new();
    d.vars.insert("extension", m.extension.clone());
    d.vars.insert("content", m.content.clone());
    vec![d]
}
