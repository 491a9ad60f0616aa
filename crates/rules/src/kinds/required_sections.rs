//! Kind `required_sections`: the parts 一…六 the body must have.

use crate::check::Draft;
use nianbao_model::{Report, SectionId};

pub(crate) fn missing_sections(report: &Report, ids: &[SectionId]) -> Vec<Draft> {
    ids.iter()
        .filter(|id| !report.has_section(**id))
        .map(|id| {
            let mut d = Draft::new();
            d.section = Some(*id);
            d.vars.insert("section", id.numeral().to_string());
            d.vars.insert("section_title", id.title().to_string());
            let toc = if report.toc.contains(id) {
                "（目录列有此部分，正文没有）"
            } else {
                ""
            };
            d.vars.insert("toc_note", toc.to_string());
            d
        })
        .collect()
}
