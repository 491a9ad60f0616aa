//! Kind `year_conflict`: the title names one year and the body consistently reports
//! another — the first sentence, the statistical period, the overview's sentences. At
//! least two of them must agree on the other year and none may name the title's: one stray
//! year is a typo, not a report on the wrong year. The report's year stays the title's;
//! the finding says that the body disagrees, instead of choosing silently.

use crate::check::Draft;
use nianbao_model::{IdentityField, IdentitySource, Report};

const BODY: [IdentitySource; 3] = [
    IdentitySource::FirstSentence,
    IdentitySource::StatPeriod,
    IdentitySource::Overview,
];

fn source_name(source: IdentitySource) -> &'static str {
    match source {
        IdentitySource::FirstSentence => "开头一句",
        IdentitySource::StatPeriod => "统计期限",
        IdentitySource::Overview => "总体情况",
        _ => "正文",
    }
}

pub(crate) fn year_conflict(report: &Report) -> Vec<Draft> {
    let years = report
        .identity
        .iter()
        .filter(|r| r.field == IdentityField::Year);
    let Some(title) = years.clone().find(|r| r.source == IdentitySource::Title) else {
        return Vec::new();
    };
    let body: Vec<_> = years.filter(|r| BODY.contains(&r.source)).collect();
    let Some(first) = body.first() else {
        return Vec::new();
    };
    let consistent = body.iter().all(|r| r.value == first.value);
    if body.len() < 2 || !consistent || first.value == title.value {
        return Vec::new();
    }
    let mut d = Draft::new();
    d.span = title.span;
    d.vars.insert("title_year", title.value.clone());
    d.vars.insert("body_year", first.value.clone());
    let sources: Vec<&str> = body.iter().map(|r| source_name(r.source)).collect();
    d.vars.insert("sources", sources.join("、"));
    vec![d]
}
