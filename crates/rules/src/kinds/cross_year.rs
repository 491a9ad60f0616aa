//! Kind `cross_year`: this year's cells against last year's report (二、上年结转 = last
//! year's 四、结转下年度; jumps of × factor).

use crate::check::{num, Draft};
use crate::keys::KeyPattern;
use crate::pack::{Ctx, Kind, PackError, RawRule, Relation};
use nianbao_model::{catalog, Evidence, Report};
use toml::Spanned;

/// A `cross_year` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let pattern = |field: &Option<Spanned<String>>, name: &str| -> Result<KeyPattern, PackError> {
        let f = ctx.need(field, name, k)?;
        KeyPattern::new(f.get_ref()).map_err(|m| ctx.error(f.span(), m))
    };
    let relation = ctx.need(&raw.relation, "relation", k)?;
    let relation = match relation.get_ref().as_str() {
        "equal" => Relation::Equal,
        "jump" => Relation::Jump(raw.factor.unwrap_or(5.0)),
        other => {
            return Err(ctx.error(
                relation.span(),
                format!("unknown relation {other:?} (equal, jump)"),
            ))
        }
    };
    Ok(Kind::CrossYear {
        this: pattern(&raw.this, "this")?,
        last: pattern(&raw.last, "last")?,
        relation,
        pairs: std::sync::OnceLock::new(),
    })
}

/// This year's keys, each with last year's key under the same binding (the first, when
/// the binding leaves several).
pub(crate) fn year_pairs(
    this: &KeyPattern,
    last: &KeyPattern,
) -> Vec<(&'static str, &'static str)> {
    this.bindings()
        .iter()
        .filter_map(|(binding, key)| Some((*key, *last.expand(binding).first()?)))
        .collect()
}

/// This year's cells against last year's: 二、上年结转 = last 四、结转下年度; jumps of ×factor.
pub(crate) fn cross_year(
    report: &Report,
    previous: &Report,
    pairs: &[(&'static str, &'static str)],
    relation: Relation,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    for &(key, last_key) in pairs {
        let Some(Some(now)) = report.value(key) else {
            continue;
        };
        let Some(Some(before)) = previous.value(last_key) else {
            continue;
        };
        let broken = match relation {
            Relation::Equal => (now - before).abs() > 1e-9,
            Relation::Jump(factor) => {
                let (lo, hi) = if now < before {
                    (now, before)
                } else {
                    (before, now)
                };
                hi >= 10.0 && hi >= lo.max(1.0) * factor
            }
        };
        if !broken {
            continue;
        }
        let mut d = Draft::new();
        d.cells = vec![key.to_string()];
        d.span = report.cells.get(key).map(|c| c.span);
        d.vars.insert("label", catalog().label(key));
        d.vars.insert("last_label", catalog().label(last_key));
        d.vars.insert("value", num(now));
        d.vars.insert("last_value", num(before));
        d.vars.insert(
            "last_year",
            previous.year.map(|y| y.to_string()).unwrap_or_default(),
        );
        d.evidence = Some(Evidence {
            reported: Some(now),
            computed: Some(before),
            contributors: vec![format!("last:{last_key}")],
            compared_with: Some(previous.source.clone()),
            ..Evidence::default()
        });
        drafts.push(d);
    }
    drafts
}
