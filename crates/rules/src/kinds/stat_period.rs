//! Kind `stat_period`: the statistics period not the report's whole year, or unreadable.

use crate::check::Draft;
use nianbao_model::{PartialDate, Report};

pub(crate) fn stat_period(report: &Report) -> Vec<Draft> {
    let (Some(period), Some(year)) = (&report.stat_period, report.year) else {
        return Vec::new();
    };
    let problem = match (period.start, period.end) {
        (Some(s), Some(e)) => {
            let jan1 = PartialDate {
                year,
                month: Some(1),
                day: Some(1),
            };
            let dec31 = PartialDate {
                year,
                month: Some(12),
                day: Some(31),
            };
            if s == jan1 && e == dec31 {
                return Vec::new();
            }
            format!("统计期限 {s} 至 {e} 不是 {year} 年全年")
        }
        _ => "统计期限无法读成日期".to_string(),
    };
    let mut d = Draft::new();
    d.span = Some(period.span);
    d.vars.insert("problem", problem);
    d.vars.insert("text", period.text.clone());
    vec![d]
}
