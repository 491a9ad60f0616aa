//! Kind `expression`: a condition over the report's cells (and last year's) that marks a
//! problem when true.

use crate::check::Draft;
use crate::expr::{self, Value};
use crate::pack::{Ctx, Kind, PackError, RawRule};
use nianbao_model::{Evidence, Report};

/// A `expression` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let when = ctx.need(&raw.when, "when", k)?;
    let e = ctx.expression(when)?;
    if !expr::is_condition(&e) {
        return Err(ctx.error(when.span(), format!(
            "`when = {:?}` is a number, not a condition: compare it (==, !=, <, >, <=, >=) or combine conditions with and / or / not",
            when.get_ref()
        )));
    }
    Ok(Kind::Expression(e))
}

pub(crate) fn expression(report: &Report, previous: Option<&Report>, e: &expr::Expr) -> Vec<Draft> {
    if expr::eval_with(e, report, previous) != Value::Bool(true) {
        return Vec::new();
    }
    let mut d = Draft::new();
    expr::cells_of(e, &mut d.cells);
    d.cells.dedup();
    d.span = d
        .cells
        .iter()
        .find_map(|k| report.cells.get(k))
        .map(|c| c.span);
    if let Some(p) = previous.filter(|_| expr::uses_last(e)) {
        d.evidence = Some(Evidence {
            compared_with: Some(p.source.clone()),
            ..Evidence::default()
        });
    }
    vec![d]
}
