//! Kind `required_text`: topics a part must cover (part 一 of the 2021 form: 主动公开 …
//! 监督保障).

use crate::check::Draft;
use crate::lines::LinePattern;
use crate::narrative::Narrative;
use crate::pack::{section_id, Ctx, Kind, PackError, RawRule};
use nianbao_model::{Report, SectionId};

/// A `required_text` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let section = section_id(ctx, ctx.need(&raw.section, "section", k)?)?;
    let topics = ctx
        .need(&raw.topics, "topics", k)?
        .iter()
        .map(|t| Ok((t.name.clone(), ctx.line_pattern(&t.pattern)?)))
        .collect::<Result<_, PackError>>()?;
    Ok(Kind::RequiredText { section, topics })
}

/// Topics a part must cover (e.g. 一 in the 2021 format: 主动公开 … 监督保障).
pub(crate) fn required_text(
    report: &Report,
    text: &Narrative,
    section: SectionId,
    topics: &[(String, LinePattern)],
) -> Vec<Draft> {
    let in_section = |l: &nianbao_model::TextLine| l.section == Some(section);
    if !report.text.iter().any(in_section) {
        return Vec::new();
    }
    let missing: Vec<&str> = topics
        .iter()
        .filter(|(_, pattern)| !text.lines_matching(report, pattern).any(in_section))
        .map(|(name, _)| name.as_str())
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut d = Draft::new();
    d.section = Some(section);
    d.span = report.section(section).map(|s| s.span);
    d.vars.insert("section", section.numeral().to_string());
    d.vars.insert("missing", missing.join("、"));
    vec![d]
}
