//! Kind `stale_year`: the narrative citing an earlier year's plan or work points (copied
//! from an old report).

use crate::check::Draft;
use crate::lines::LinePattern;
use crate::narrative::Narrative;
use nianbao_model::{Evidence, Report};

pub(crate) fn stale_years(report: &Report, text: &Narrative, pattern: &LinePattern) -> Vec<Draft> {
    let Some(year) = report.year else {
        return Vec::new();
    };
    let mut drafts: Vec<Draft> = Vec::new();
    // Most lines name no year: found first without captures (see `text_table`).
    for line in text.lines_matching(report, pattern) {
        for caps in pattern.regex().captures_iter(&line.text) {
            let Some(y) = caps
                .name("year")
                .and_then(|y| y.as_str().parse::<i32>().ok())
            else {
                continue;
            };
            let whole = caps.get(0).map_or(0..0, |w| w.range());
            let text = line.text[whole.clone()].to_string();
            if y >= year || drafts.iter().any(|d| d.vars.get("text") == Some(&text)) {
                continue;
            }
            let mut d = Draft::new();
            d.span = Some(line.span_of(whole.start, whole.end));
            d.section = line.section;
            d.vars.insert("mentioned", y.to_string());
            d.vars.insert("text", text.clone());
            d.evidence = Some(Evidence {
                text: Some(text),
                ..Evidence::default()
            });
            drafts.push(d);
        }
    }
    drafts
}
