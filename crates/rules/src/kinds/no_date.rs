//! Kind `no_date`: no publication date found.

use crate::check::Draft;
use nianbao_model::Report;

pub(crate) fn no_date(report: &Report) -> Vec<Draft> {
    if report.published.is_some() {
        return Vec::new();
    }
    vec![Draft::new()]
}
