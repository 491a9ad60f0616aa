//! Kind `text_table`: a figure the narrative states against the table cell it should equal.

use crate::check::{num, Draft};
use crate::expr::{self, Value};
use crate::lines::LinePattern;
use crate::narrative::Narrative;
use crate::pack::{section_id, Ctx, Kind, PackError, RawRule};
use nianbao_model::{catalog, Evidence, Fault, Report, SectionId, Severity};

/// A `text_table` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let pattern = ctx.pattern_naming(raw, k, "value")?;
    let confidence = raw
        .confidence
        .as_ref()
        .map(|c| c.get_ref().clone())
        .unwrap_or_else(|| "high".into());
    if !["high", "medium", "low"].contains(&confidence.as_str()) {
        let c = raw.confidence.as_ref().map_or(k.span(), |c| c.span());
        return Err(ctx.error(c, "confidence is high, medium or low"));
    }
    Ok(Kind::TextTable {
        pattern,
        cell: ctx.expression(ctx.need(&raw.cell, "cell", k)?)?,
        section: raw
            .section
            .as_ref()
            .map(|s| section_id(ctx, s))
            .transpose()?,
        confidence,
        approximate_severity: raw
            .approximate_severity
            .as_ref()
            .map(|s| ctx.severity(s))
            .transpose()?
            .unwrap_or(Severity::Info),
    })
}

pub(crate) fn text_table(
    report: &Report,
    text: &Narrative,
    pattern: &LinePattern,
    cell: &expr::Expr,
    section: Option<SectionId>,
    confidence: &str,
    approximate_severity: Severity,
) -> Vec<Draft> {
    let Value::Number(expected) = expr::eval(cell, report) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    expr::cells_of(cell, &mut cells);
    // A table cell nianbao read uncertainly: a disagreement may be its reading.
    let unsure = cells.iter().find_map(|k| {
        let why = report.cells.get(k)?.doubt()?;
        Some(format!(
            "{} 读取不确定（{why}）；不能断定是正文与表格不一致",
            catalog().label(k)
        ))
    });
    let mut drafts = Vec::new();
    // The lines it matches found first: setting up a search for captures costs an
    // allocation, and most lines do not match.
    for line in text
        .lines_matching(report, pattern)
        .filter(|l| section.is_none() || l.section == section)
    {
        for caps in pattern.regex().captures_iter(&line.text) {
            let Some(m) = caps.name("value") else {
                continue;
            };
            let Ok(value) = m.as_str().replace(',', "").parse::<f64>() else {
                continue;
            };
            if (value - expected).abs() < 1e-6 {
                continue;
            }
            let approximate = caps.name("approx").is_some_and(|a| !a.as_str().is_empty());
            let whole = caps.get(0).map_or(m.range(), |w| w.range());
            let mut d = Draft::new();
            d.span = Some(line.span_of(m.start(), m.end()));
            d.section = line.section;
            d.cells = cells.clone();
            d.severity = approximate.then_some(approximate_severity);
            d.vars.insert("value", num(value));
            d.vars.insert("expected", num(expected));
            d.vars.insert("text", line.text[whole.clone()].to_string());
            d.vars.insert("confidence", confidence.to_string());
            d.evidence = Some(Evidence {
                reported: Some(value),
                computed: Some(expected),
                text: Some(line.text[whole].to_string()),
                ..Evidence::default()
            });
            if let Some(why) = &unsure {
                d.fault = Fault::Reading;
                d.fault_reason = Some(why.clone());
            }
            drafts.push(d);
        }
    }
    drafts
}

#[cfg(test)]
mod tests {
    use crate::RuleSet;
    use nianbao_model::{Cell, Doubt, Era, Fault, ReadMethod, Report};

    fn report(read: ReadMethod, doubt: Option<Doubt>) -> Report {
        let mut report = Report {
            year: Some(2011),
            era: Some(Era::Pre2019),
            ..Report::default()
        };
        report.cells.insert(
            "old.active.total",
            Cell {
                raw: "4252".into(),
                read,
                doubt: doubt.map(Box::new),
                ..Cell::of_value(Some(4252.0))
            },
        );
        report.text = crate::text_lines(&["全年主动公开政府信息425条。"]);
        report
    }

    /// The text against a table cell cut from run-together digits with other cuts that fit:
    /// the disagreement may be the cut, so it accuses no one; a cell read plainly does.
    #[test]
    fn text_against_an_uncertain_cell_is_for_review() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let fault = |r: &Report| {
            rules
                .check_with(r, Default::default())
                .into_iter()
                .find(|f| f.rule == "OLD.TEXT.ACTIVE_TOTAL")
                .map(|f| f.fault)
        };
        let cut = Doubt::RunTogether {
            printed: "42525699".into(),
            taken: "4252、5699".into(),
            others: vec!["425、25699".into()],
            fits: true,
            unchecked: false,
        };
        assert_eq!(
            fault(&report(ReadMethod::RunTogether, Some(cut))),
            Some(Fault::Reading)
        );
        assert_eq!(
            fault(&report(ReadMethod::TextRows, None)),
            Some(Fault::Report)
        );
    }
}
