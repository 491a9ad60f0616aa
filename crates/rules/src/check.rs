//! Running one rule over one report: the rule's kind (each in its own module of `crate::kinds`)
//! gives drafts, which become findings with the rule's message, severity and deduction.

use crate::keys::{Binding, KeyPattern};
use crate::narrative::Narrative;
use crate::pack::{Kind, Rule};
use crate::{kinds, numbering, Related};
use nianbao_model::{
    catalog, format_number, Evidence, Fault, Finding, Report, SectionId, Severity, SourceSpan,
    TableId,
};
use std::collections::BTreeMap;

/// Placeholder values for a rule's message template.
pub(crate) type Vars = BTreeMap<&'static str, String>;

/// The message: placeholders replaced by the finding's values, and cell keys in braces
/// (`{t3.new.total}`) by the report's value of that cell ("空白" when printed blank,
/// "未读出" when not read). Written in one pass over the template when that gives what
/// replacing each placeholder in turn gives (`render_by_replacing`, the definition): when
/// the template's braces pair up in order and no value holds a brace, no value put in can
/// make or complete a placeholder for a later replacement.
fn render(template: &str, vars: &Vars, report: &Report) -> String {
    let has_brace = |v: &String| v.contains(['{', '}']);
    if !braces_pair_up(template) || vars.values().any(has_brace) {
        return render_by_replacing(template, vars, report);
    }
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        out.push_str(&rest[..open]);
        match vars.get(name) {
            Some(value) => out.push_str(value),
            None => match catalog().get(name) {
                Some(_) => out.push_str(&cell_text(report, name)),
                None => out.push_str(&rest[open..open + close + 2]),
            },
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Whether the braces of `text` come in pairs, "{" then "}", none inside another.
fn braces_pair_up(text: &str) -> bool {
    let mut open = false;
    for b in text.bytes() {
        match (b, open) {
            (b'{', false) | (b'}', true) => open = !open,
            (b'{', true) | (b'}', false) => return false,
            _ => {}
        }
    }
    !open
}

/// A cell's value as a message quotes it.
fn cell_text(report: &Report, key: &str) -> String {
    match report.value(key) {
        Some(Some(v)) => num(v),
        Some(None) => "空白".to_string(),
        None => "未读出".to_string(),
    }
}

/// The message by its definition: each of the finding's values replaced in turn, then each
/// cell key the template names.
fn render_by_replacing(template: &str, vars: &Vars, report: &Report) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    for name in crate::kinds::placeholders_in(template) {
        if catalog().get(name).is_some() {
            out = out.replace(&format!("{{{name}}}"), &cell_text(report, name));
        }
    }
    out
}

/// A finding before its rule's message and metadata are applied.
pub(crate) struct Draft {
    pub vars: Vars,
    pub cells: Vec<String>,
    pub section: Option<SectionId>,
    pub span: Option<SourceSpan>,
    pub evidence: Option<Evidence>,
    pub severity: Option<Severity>,
    pub fault: Fault,
    pub fault_reason: Option<String>,
}

impl Draft {
    pub fn new() -> Draft {
        Draft {
            vars: Vars::new(),
            cells: Vec::new(),
            section: None,
            span: None,
            evidence: None,
            severity: None,
            fault: Fault::Report,
            fault_reason: None,
        }
    }
}

pub fn applies(rule: &Rule, report: &Report) -> bool {
    if report.no_text_layer {
        // Nothing was read: only the rules about the file itself apply.
        return matches!(rule.kind, Kind::NoTextLayer | Kind::Misnamed);
    }
    if report.body_in_attachments() {
        // The page only links to the report: nothing of it is here to check.
        return matches!(rule.kind, Kind::InAttachments | Kind::Misnamed);
    }
    if matches!(rule.kind, Kind::NoTextLayer | Kind::InAttachments) {
        return false;
    }
    let era_ok = match report.era {
        Some(era) => rule.eras.contains(&era),
        None => rule.eras.len() == 3,
    };
    let year_ok = match (rule.years, report.year) {
        (Some((first, last)), Some(year)) => (first..=last).contains(&year),
        (Some(_), None) => false,
        (None, _) => true,
    };
    era_ok && year_ok
}

pub fn check<'r>(
    rule: &Rule,
    report: &'r Report,
    related: Related,
    text: &Narrative<'r>,
) -> Vec<Finding> {
    if !applies(rule, report) {
        return Vec::new();
    }
    // Last year's report counts when it is at most `max_gap` years back.
    let previous = related.previous.filter(|p| match (report.year, p.year) {
        (Some(now), Some(then)) => (1..=rule.max_gap).contains(&(now - then)),
        _ => false,
    });
    if rule.kind.needs_previous() && previous.is_none() {
        return Vec::new();
    }
    let drafts = match &rule.kind {
        Kind::Sum {
            left,
            right,
            tolerance,
            instances,
        } => kinds::sum::sums(report, left, right, *tolerance, instances),
        Kind::RequiredSections(ids) => kinds::required_sections::missing_sections(report, ids),
        Kind::RequiredTables(ids) => kinds::required_tables::missing_tables(report, ids),
        Kind::EraYear { tables } => kinds::era_year::era_year(report, *tables),
        Kind::BlankCells(patterns) => kinds::blank_cells::blank_cells(report, patterns),
        Kind::Range { cells, min } => kinds::range::below_min(report, cells, *min),
        Kind::TextTable {
            pattern,
            cell,
            section,
            confidence,
            approximate_severity,
        } => kinds::text_table::text_table(
            report,
            text,
            pattern,
            cell,
            *section,
            confidence,
            *approximate_severity,
        ),
        Kind::StaleYear(pattern) => kinds::stale_year::stale_years(report, text, pattern),
        Kind::Expression(e) => kinds::expression::expression(report, previous, e),
        Kind::CrossYear {
            this,
            last,
            relation,
            pairs,
        } => match previous {
            Some(p) => {
                let pairs = pairs.get_or_init(|| kinds::cross_year::year_pairs(this, last));
                kinds::cross_year::cross_year(report, p, pairs, *relation)
            }
            None => Vec::new(),
        },
        Kind::TextOverlap { threshold } => match previous {
            Some(p) => kinds::overlap::text_overlap(report, p, *threshold),
            None => Vec::new(),
        },
        Kind::RequiredText { section, topics } => {
            kinds::required_text::required_text(report, text, *section, topics)
        }
        Kind::PeerOverlap { threshold } => {
            match related.peer.filter(|p| kinds::overlap::is_peer(report, p)) {
                Some(p) => kinds::overlap::peer_overlap(report, p, *threshold),
                None => Vec::new(),
            }
        }
        Kind::SelfReference(places) => kinds::self_reference::self_references(report, places),
        Kind::HeadingNumbers => kinds::numbered::numbering_drafts(numbering::broken_headings(
            &numbering::headings(report, text.joined(report)),
        )),
        Kind::Enumeration { not_after } => {
            kinds::numbered::numbering_drafts(numbering::broken_enumerations(
                &numbering::enumeration(report, text.joined(report), not_after),
            ))
        }
        Kind::Deadline {
            government,
            department,
            before_2019,
        } => kinds::deadline::late(report, *government, *department, *before_2019),
        Kind::NoDate => kinds::no_date::no_date(report),
        Kind::Unidentified => kinds::unidentified::unidentified(report),
        Kind::YearConflict => kinds::year_conflict::year_conflict(report),
        Kind::NarrativeSum => kinds::narrative_sum::narrative_sums(report, text.sentences(report)),
        Kind::NarrativeRatio => {
            kinds::narrative_ratio::narrative_ratios(report, text.sentences(report))
        }
        Kind::NarrativeOrder { pairs, unless } => {
            kinds::narrative_order::narrative_orders(report, text.sentences(report), pairs, unless)
        }
        Kind::PlanYear(future) => {
            kinds::plan_year::plan_years(report, text.sentences(report), future)
        }
        Kind::RuleMakingPower { cells, levels } => {
            let keys: Vec<String> = cells
                .iter()
                .flat_map(|p| p.keys().iter().map(|k| k.to_string()))
                .collect();
            kinds::rule_power::without_power(report, &keys, levels)
        }
        Kind::SupersededBasis(documents) => kinds::superseded::superseded(report, text, documents),
        Kind::PlaceResidue { unless, own_work } => {
            kinds::place_residue::residues(report, text.sentences(report), unless, own_work)
        }
        Kind::Completeness(tables) => kinds::completeness::unread(report, tables),
        Kind::Misnamed => kinds::misnamed::misnamed(report),
        Kind::NoTextLayer => match report.no_text_layer {
            true => vec![Draft::new()],
            false => Vec::new(),
        },
        Kind::OcrLayer => match report.ocr_layer {
            true => vec![Draft::new()],
            false => Vec::new(),
        },
        Kind::InAttachments => {
            let mut d = Draft::new();
            d.vars.insert("files", report.attachments.join("、"));
            vec![d]
        }
        Kind::StatPeriod => kinds::stat_period::stat_period(report),
    };
    drafts
        .into_iter()
        .map(|mut d| {
            d.vars.insert(
                "year",
                report.year.map(|y| y.to_string()).unwrap_or_default(),
            );
            d.vars
                .insert("era", report.era.map(|e| e.to_string()).unwrap_or_default());
            d.vars.insert("cells", d.cells.join(", "));
            let section = d
                .section
                .or_else(|| d.cells.first().and_then(|k| section_of_key(k)));
            Finding {
                rule: rule.id.clone(),
                family: rule.family,
                severity: d.severity.unwrap_or(rule.severity),
                message: render(&rule.message, &d.vars, report),
                cells: d.cells,
                section,
                span: d.span,
                // Nothing is deducted for what may be nianbao's misreading.
                deduction: match d.fault {
                    Fault::Report => rule.deduction,
                    Fault::Reading => 0.0,
                },
                evidence: d.evidence,
                fault: d.fault,
                fault_reason: d.fault_reason,
            }
        })
        .collect()
}

pub(crate) fn num(v: f64) -> String {
    format_number(v)
}

pub(crate) fn present(
    report: &Report,
    patterns: &[KeyPattern],
    binding: &Binding,
) -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = if binding.is_empty() {
        patterns
            .iter()
            .flat_map(|p| p.keys().iter().copied())
            .filter(|k| report.cells.contains_key(k))
            .collect()
    } else {
        patterns
            .iter()
            .flat_map(|p| p.expand(binding))
            .filter(|k| report.cells.contains_key(k))
            .collect()
    };
    keys.dedup();
    keys
}

/// The part a cell's table belongs to (表二 → 二 …).
fn section_of_key(key: &str) -> Option<SectionId> {
    match key.split('.').next()? {
        "t2" => Some(SectionId::Two),
        "t3" => Some(SectionId::Three),
        "t4" => Some(SectionId::Four),
        _ => None,
    }
}

pub(crate) fn section_of_table(id: TableId) -> Option<SectionId> {
    match id {
        TableId::T2 => Some(SectionId::Two),
        TableId::T3 => Some(SectionId::Three),
        TableId::T4 => Some(SectionId::Four),
        TableId::Old => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        crate::report_with_values(&[("t3.new.total", Some(12.0)), ("t2.rules.new_made", None)])
    }

    #[test]
    fn a_message_is_what_replacing_each_placeholder_in_turn_gives() {
        // Placeholders of values, of cells (read, blank, unread) and of nothing; braces
        // alone, doubled and nested; values that hold placeholders or braces.
        let pieces = [
            "{year}",
            "{ratio}",
            "{cells}",
            "{t3.new.total}",
            "{t2.rules.new_made}",
            "{t4.review.total}",
            "{unknown}",
            "{",
            "}",
            "{{",
            "}}",
            "{ratio",
            "year}",
            "文字",
            "，",
            "t3.new.total",
            "",
        ];
        let values = [
            "2022",
            "",
            "45%",
            "{ratio}",
            "{t3.new.total}",
            "}",
            "a{b",
            "ratio",
            "{",
            "表三",
        ];
        let names = ["year", "ratio", "cells", "era"];
        let report = report();
        let mut below = crate::seeded_below(11);
        let mut fast = 0;
        for _ in 0..20_000 {
            let mut template = String::new();
            for _ in 0..below(8) {
                template.push_str(pieces[below(pieces.len())]);
            }
            let mut vars = Vars::new();
            for name in names {
                if below(4) > 0 {
                    vars.insert(name, values[below(values.len())].to_string());
                }
            }
            let expected = render_by_replacing(&template, &vars, &report);
            assert_eq!(
                render(&template, &vars, &report),
                expected,
                "{template} {vars:?}"
            );
            let braced = vars.values().any(|v| v.contains(['{', '}']));
            fast += usize::from(braces_pair_up(&template) && !braced);
        }
        assert!(fast > 1_000, "only {fast} templates took the one pass");
    }

    #[test]
    fn braces_pair_up_only_in_order_and_unnested() {
        assert!(braces_pair_up("收到{a}件，{b}"));
        assert!(braces_pair_up("no braces"));
        assert!(!braces_pair_up("{{a}}"));
        assert!(!braces_pair_up("a}{b"));
        assert!(!braces_pair_up("{a"));
    }
}
