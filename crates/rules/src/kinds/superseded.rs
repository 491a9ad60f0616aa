//! Kind `superseded_basis`: the report cites, as its basis, a document that no longer
//! applied to the year it reports on — the 2007 regulation (国务院令第492号, replaced by
//! 国务院令第711号 in force 2019-05-15) or the 2019 trial format (国办公开办函〔2019〕60号,
//! replaced by 国办公开办函〔2021〕30号 from the reports on 2021). The documents are the
//! rule's list in TOML: a pattern, a name, and the first report year it no longer applies to.

use crate::check::Draft;
use crate::lines::LinePattern;
use crate::narrative::Narrative;
use crate::pack::{Ctx, Kind, PackError, RawRule};
use nianbao_model::Report;

/// A `superseded_basis` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let documents = ctx
        .need(&raw.documents, "documents", k)?
        .iter()
        .map(|d| {
            Ok(crate::kinds::superseded::Superseded {
                pattern: ctx.line_pattern(&d.pattern)?,
                name: d.name.clone(),
                from_year: d.from_year,
                replaced_by: d.replaced_by.clone(),
            })
        })
        .collect::<Result<_, PackError>>()?;
    Ok(Kind::SupersededBasis(documents))
}

/// A document of the rule's list.
#[derive(Debug, Clone)]
pub struct Superseded {
    pub pattern: LinePattern,
    pub name: String,
    /// Reports on this year and later must not cite it as their basis.
    pub from_year: i32,
    pub replaced_by: String,
}

pub(crate) fn superseded(
    report: &Report,
    text: &Narrative,
    documents: &[Superseded],
) -> Vec<Draft> {
    let Some(year) = report.year else {
        return Vec::new();
    };
    let mut drafts = Vec::new();
    for doc in documents.iter().filter(|d| year >= d.from_year) {
        let found = text
            .lines_matching(report, &doc.pattern)
            .find_map(|line| doc.pattern.regex().find(&line.text).map(|m| (line, m)));
        let Some((line, m)) = found else { continue };
        let mut d = Draft::new();
        d.span = Some(line.span_of(m.start(), m.end()));
        d.section = line.section;
        d.vars.insert("cited", m.as_str().to_string());
        d.vars.insert("document", doc.name.clone());
        d.vars.insert("replaced_by", doc.replaced_by.clone());
        d.evidence = Some(nianbao_model::Evidence {
            text: Some(line.text.trim().chars().take(120).collect()),
            ..Default::default()
        });
        drafts.push(d);
    }
    drafts
}
