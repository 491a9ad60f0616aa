//! Kind `unidentified`: the report's year or organ not found.

use crate::check::Draft;
use nianbao_model::Report;

/// Without its year the report cannot be matched to a template era or a deadline, and
/// without its organ it cannot be filed or compared with last year: say so, never score it
/// silently as perfect.
pub(crate) fn unidentified(report: &Report) -> Vec<Draft> {
    let missing: Vec<&str> = [
        report.year.is_none().then_some("年度"),
        report.organ.is_none().then_some("发布机关"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() || report.no_text_layer {
        return Vec::new();
    }
    let mut d = Draft::new();
    d.vars.insert("missing", missing.join("、"));
    vec![d]
}
