//! Kind `rule_making_power`: 规章 reported as made or in force by an organ that has no
//! power to make them. Under the 立法法 (art. 91, 93) only the State Council's departments
//! and the people's governments of provinces, autonomous regions, municipalities, 设区的市
//! and 自治州 make 规章. A township or a county government cannot, nor can the departments
//! of a county or township (a department named by its place: 某县…局, 某市某区…办公室).
//! Departments of a city or a province are not judged (their government may make 规章 they
//! draft and publish; a government's 办公厅 often reports them), nor an organ whose level is
//! unknown. A city's government is judged by the divisions table: a county-level city
//! (a 6-digit code: 昆山市) has no power; a 设区的市, or a city the table does not know, is
//! not judged.

use crate::check::Draft;
use crate::pack::{Ctx, Kind, PackError, RawRule};
use nianbao_model::{format_number, Level, Report};

/// A `rule_making_power` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let levels = ctx
        .need(&raw.organ_levels, "organ_levels", k)?
        .iter()
        .map(|l| {
            nianbao_model::Level::parse(l.get_ref()).ok_or_else(|| {
                ctx.error(l.span(), format!("unknown level {:?} (provincial_government, city_government, county_government, township, department)", l.get_ref()))
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Kind::RuleMakingPower {
        cells: ctx.patterns(ctx.need(&raw.cells, "cells", k)?)?,
        levels,
    })
}

/// Whether a department belongs to a county or a township: the last place character of
/// its name (before its last two) is 县, 区, 旗, 镇 or 乡. "某市市场监督管理局" reads as a
/// city's (市场's 市): when the name is unclear, no finding.
fn is_county_or_township_department(organ: &str) -> bool {
    let chars: Vec<char> = organ.chars().collect();
    let head = &chars[..chars.len().saturating_sub(2)];
    head.iter()
        .rev()
        .find(|c| "省市县区州旗盟镇乡".contains(**c))
        .is_some_and(|c| "县区旗镇乡".contains(*c))
}

/// A city every division of whose name is county-level (县级市).
fn is_county_level_city(organ: &str) -> bool {
    let table = crate::divisions::divisions();
    table
        .places_of(organ)
        .is_some_and(|places| places.iter().all(|&p| table.all[p].code.len() == 6))
}

pub(crate) fn without_power(report: &Report, cells: &[String], levels: &[Level]) -> Vec<Draft> {
    let (Some(level), Some(organ)) = (report.level, report.organ.as_deref()) else {
        return Vec::new();
    };
    let judged = match level {
        Level::Department => is_county_or_township_department(organ),
        Level::CityGovernment => is_county_level_city(organ),
        _ => true,
    };
    if !levels.contains(&level) || !judged {
        return Vec::new();
    }
    let made: Vec<(&String, f64)> = cells
        .iter()
        .filter_map(|k| Some((k, report.value(k)??)))
        .filter(|(_, v)| *v > 0.0)
        .collect();
    let Some((first, _)) = made.first() else {
        return Vec::new();
    };
    let mut d = Draft::new();
    d.cells = made.iter().map(|(k, _)| (*k).clone()).collect();
    d.span = report.cells.get(first.as_str()).map(|c| c.span);
    let values: Vec<String> = made.iter().map(|(_, v)| format_number(*v)).collect();
    d.vars.insert("values", values.join("、"));
    d.vars.insert("organ", organ.to_string());
    vec![d]
}
