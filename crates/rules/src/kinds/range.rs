//! Kind `range`: cells below a minimum (negative counts).

use crate::check::{num, present, Draft};
use crate::keys::{Binding, KeyPattern};
use nianbao_model::{catalog, Report};

pub(crate) fn below_min(report: &Report, patterns: &[KeyPattern], min: f64) -> Vec<Draft> {
    present(report, patterns, &Binding::new())
        .into_iter()
        .filter_map(|key| {
            let value = report.value(key).flatten()?;
            (value < min).then(|| {
                let mut d = Draft::new();
                d.span = report.cells.get(key).map(|c| c.span);
                d.vars.insert("value", num(value));
                d.vars.insert("label", catalog().label(key));
                d.cells = vec![key.to_string()];
                d
            })
        })
        .collect()
}
