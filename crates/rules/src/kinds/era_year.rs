//! Kind `era_year`: the tables' form against the year's template.

use crate::check::{section_of_table, Draft};
use nianbao_model::{Era, Report};

pub(crate) fn era_year(report: &Report, per_table: bool) -> Vec<Draft> {
    let Some(year) = report.year else {
        return Vec::new();
    };
    let expected = Era::for_year(year);
    if !per_table {
        // The report's own form: the first table that shows one (表二, 表三, the old table).
        let Some(era) = report.era.filter(|e| *e != expected) else {
            return Vec::new();
        };
        let Some(t) = report.tables.iter().find(|t| t.era == Some(era)) else {
            return Vec::new();
        };
        let mut d = Draft::new();
        d.span = Some(t.span);
        d.vars.insert("table", t.id.name().to_string());
        d.vars.insert("table_era", era.to_string());
        d.vars.insert("expected_era", expected.to_string());
        return vec![d];
    }
    report
        .tables
        .iter()
        .filter(|t| {
            t.era
                .is_some_and(|e| e != expected && Some(e) != report.era)
        })
        .map(|t| {
            let mut d = Draft::new();
            d.span = Some(t.span);
            d.section = section_of_table(t.id);
            d.vars.insert("table", t.id.name().to_string());
            d.vars.insert(
                "table_era",
                t.era.map(|e| e.to_string()).unwrap_or_default(),
            );
            d.vars.insert("expected_era", expected.to_string());
            d
        })
        .collect()
}
