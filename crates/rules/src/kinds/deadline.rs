//! Kind `deadline`: published after the deadline for the report's year and the organ's level.

use crate::check::Draft;
use nianbao_model::{Level, PartialDate, Report};

fn deadline_for(
    report: &Report,
    year: i32,
    government: (u32, u32),
    department: (u32, u32),
    before_2019: (u32, u32),
) -> Option<(u32, u32)> {
    if year <= 2018 {
        return Some(before_2019);
    }
    match report.level? {
        Level::ProvincialGovernment | Level::CityGovernment | Level::CountyGovernment => {
            Some(government)
        }
        Level::Department => Some(department),
        Level::Township => None,
    }
}

pub(crate) fn late(
    report: &Report,
    government: (u32, u32),
    department: (u32, u32),
    before_2019: (u32, u32),
) -> Vec<Draft> {
    let (Some(year), Some(published)) = (report.year, report.published) else {
        return Vec::new();
    };
    let Some((month, day)) = deadline_for(report, year, government, department, before_2019) else {
        return Vec::new();
    };
    let deadline = PartialDate {
        year: year + 1,
        month: Some(month),
        day: Some(day),
    };
    let is_late = match (published.month, published.day) {
        (Some(m), Some(d)) => (published.year, m, d) > (deadline.year, month, day),
        (Some(m), None) => (published.year, m) > (deadline.year, month),
        _ => published.year > deadline.year,
    };
    if !is_late {
        return Vec::new();
    }
    let mut d = Draft::new();
    d.span = report.published_span;
    d.vars.insert("published", published.to_string());
    d.vars.insert("deadline", deadline.to_string());
    vec![d]
}
