//! Running one rule over one report.

use crate::expr::{self, Value};
use crate::keys::{Binding, KeyPattern};
use crate::lines::LinePattern;
use crate::narrative::Narrative;
use crate::pack::{Kind, Relation, Rule};
use crate::{numbering, similar, Related};
use nianbao_model::{
    catalog, format_number, Era, Evidence, Fault, Finding, Level, PartialDate, Report, SectionId,
    Severity, SourceSpan, TableId, TextLine,
};
use std::collections::BTreeMap;

/// Placeholder values for a rule's message template.
pub(crate) type Vars = BTreeMap<&'static str, String>;

/// The message: placeholders replaced by the finding's values, and cell keys in braces
/// (`{t3.new.total}`) by the report's value of that cell ("空白" when printed blank,
/// "未读出" when not read).
fn render(template: &str, vars: &Vars, report: &Report) -> String {
    let mut out = template.to_string();
    for (name, value) in vars {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    for name in crate::kinds::placeholders_in(template) {
        if catalog().get(name).is_some() {
            let value = match report.value(name) {
                Some(Some(v)) => num(v),
                Some(None) => "空白".to_string(),
                None => "未读出".to_string(),
            };
            out = out.replace(&format!("{{{name}}}"), &value);
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
    if matches!(rule.kind, Kind::NoTextLayer) {
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

pub fn check(rule: &Rule, report: &Report, related: Related, text: &Narrative) -> Vec<Finding> {
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
        } => sums(report, left, right, *tolerance, instances),
        Kind::RequiredSections(ids) => missing_sections(report, ids),
        Kind::RequiredTables(ids) => missing_tables(report, ids),
        Kind::EraYear { tables } => era_year(report, *tables),
        Kind::BlankCells(patterns) => blank_cells(report, patterns),
        Kind::Range { cells, min } => below_min(report, cells, *min),
        Kind::TextTable {
            pattern,
            cell,
            section,
            confidence,
            approximate_severity,
        } => text_table(
            report,
            text,
            pattern,
            cell,
            *section,
            confidence,
            *approximate_severity,
        ),
        Kind::StaleYear(pattern) => stale_years(report, text, pattern),
        Kind::Expression(e) => expression(report, previous, e),
        Kind::CrossYear {
            this,
            last,
            relation,
            pairs,
        } => match previous {
            Some(p) => {
                let pairs = pairs.get_or_init(|| year_pairs(this, last));
                cross_year(report, p, pairs, *relation)
            }
            None => Vec::new(),
        },
        Kind::TextOverlap { threshold } => match previous {
            Some(p) => text_overlap(report, p, *threshold),
            None => Vec::new(),
        },
        Kind::RequiredText { section, topics } => required_text(report, text, *section, topics),
        Kind::PeerOverlap { threshold } => match related.peer.filter(|p| is_peer(report, p)) {
            Some(p) => peer_overlap(report, p, *threshold),
            None => Vec::new(),
        },
        Kind::SelfReference(places) => self_references(report, places),
        Kind::HeadingNumbers => {
            numbering_drafts(numbering::broken_headings(&numbering::headings(report)))
        }
        Kind::Enumeration { not_after } => numbering_drafts(numbering::broken_enumerations(
            &numbering::enumeration(report, not_after),
        )),
        Kind::Deadline {
            government,
            department,
            before_2019,
        } => late(report, *government, *department, *before_2019),
        Kind::NoDate => no_date(report),
        Kind::Unidentified => unidentified(report),
        Kind::YearConflict => crate::year_conflict::year_conflict(report),
        Kind::NarrativeSum => crate::narrative_sum::narrative_sums(report, text.sentences(report)),
        Kind::NarrativeRatio => {
            crate::narrative_ratio::narrative_ratios(report, text.sentences(report))
        }
        Kind::NarrativeOrder { pairs, unless } => {
            crate::narrative_order::narrative_orders(report, text.sentences(report), pairs, unless)
        }
        Kind::PlanYear(future) => {
            crate::plan_year::plan_years(report, text.sentences(report), future)
        }
        Kind::RuleMakingPower { cells, levels } => {
            let keys: Vec<String> = cells
                .iter()
                .flat_map(|p| p.keys().iter().map(|k| k.to_string()))
                .collect();
            crate::rule_power::without_power(report, &keys, levels)
        }
        Kind::SupersededBasis(documents) => crate::superseded::superseded(report, text, documents),
        Kind::PlaceResidue { unless, own_work } => {
            crate::place_residue::residues(report, text.sentences(report), unless, own_work)
        }
        Kind::Completeness(tables) => crate::completeness::unread(report, tables),
        Kind::Misnamed => crate::misnamed::misnamed(report),
        Kind::NoTextLayer => {
            if report.no_text_layer {
                vec![Draft::new()]
            } else {
                Vec::new()
            }
        }
        Kind::StatPeriod => stat_period(report),
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

fn num(v: f64) -> String {
    format_number(v)
}

fn present(report: &Report, patterns: &[KeyPattern], binding: &Binding) -> Vec<&'static str> {
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

/// A sum rule's equations, one per binding of its variables: the keys on each side. They
/// depend only on the catalogue, so each rule works them out once.
pub(crate) type SumInstances = Vec<(Binding, &'static str, Vec<&'static str>, Vec<&'static str>)>;

fn sum_instances(left: &[KeyPattern], right: &[KeyPattern]) -> SumInstances {
    let mut seen: Vec<Binding> = Vec::new();
    let mut out = Vec::new();
    for (binding, key) in left[0].bindings() {
        if seen.contains(binding) {
            continue;
        }
        seen.push(binding.clone());
        let side = |patterns: &[KeyPattern]| -> Vec<&'static str> {
            let mut keys: Vec<&'static str> =
                patterns.iter().flat_map(|p| p.expand(binding)).collect();
            keys.dedup();
            keys
        };
        out.push((binding.clone(), *key, side(left), side(right)));
    }
    out
}

/// One equation of a report's tables, its cells those the report has.
pub(crate) struct Equation<'a> {
    pub left: Vec<&'a str>,
    pub right: Vec<&'a str>,
    pub tolerance: f64,
}

impl Equation<'_> {
    pub fn contains(&self, key: &str) -> bool {
        self.left.contains(&key) || self.right.contains(&key)
    }

    /// Whether a sum finding is about this equation (it names its cells, left then right).
    pub fn is_of(&self, finding: &Finding) -> bool {
        finding.cells.len() == self.left.len() + self.right.len()
            && self
                .left
                .iter()
                .chain(&self.right)
                .zip(&finding.cells)
                .all(|(a, b)| *a == b)
    }
}

/// The equations of a sum rule the report's cells let be checked: one per binding whose
/// total was read, leaving out the unread cells of other forms, none with an unread
/// expected cell.
pub(crate) fn equations<'a>(rule: &'a Rule, report: &Report) -> Vec<Equation<'a>> {
    let Kind::Sum {
        left,
        right,
        tolerance,
        instances,
    } = &rule.kind
    else {
        return Vec::new();
    };
    if !applies(rule, report) {
        return Vec::new();
    }
    let instances = instances.get_or_init(|| sum_instances(left, right));
    checkable(report, instances)
        .map(|(_, left, right, _)| Equation {
            left,
            right,
            tolerance: *tolerance,
        })
        .collect()
}

/// One instance of a sum as the report lets it be checked: the read cells of each side, and
/// the cells left out because they are absent.
type Checkable<'i> = (&'i Binding, Vec<&'static str>, Vec<&'static str>, Absent);

/// Cells of a sum's sides that were not read though the report's form may have them (a
/// pre-2019 statistics table: each province had its own rows).
#[derive(Default)]
struct Absent {
    left: Vec<&'static str>,
    right: Vec<&'static str>,
}

/// The instances of a sum the report lets be checked, with the read cells of each side: the
/// total was read, and no cell the table's form has was left unread (the completeness rule
/// says which; absent is not 0). Cells of other forms that are absent are left out.
fn checkable<'i>(
    report: &'i Report,
    instances: &'i SumInstances,
) -> impl Iterator<Item = Checkable<'i>> + 'i {
    // Each key is looked up once: a sum's instances are many and its sides long.
    let side = move |keys: &[&'static str]| -> Option<(Vec<&'static str>, Vec<&'static str>)> {
        let (mut read, mut unread) = (Vec::with_capacity(keys.len()), Vec::new());
        for &key in keys {
            if report.cells.contains_key(key) {
                read.push(key);
            } else if report.expects(key) {
                // A cell the table's form has was left unread: the sum cannot be checked.
                return None;
            } else if key.starts_with("old.") {
                // The national tables have one form per era: a cell of another era's form
                // is absent because the form has none. The pre-2019 statistics tables had
                // a form per province: an unread cell there may be one this report's has.
                unread.push(key);
            }
        }
        Some((read, unread))
    };
    instances
        .iter()
        .filter(move |(_, total, _, _)| report.cells.contains_key(total))
        .filter_map(move |(binding, _, l, r)| {
            let ((left, absent_left), (right, absent_right)) = (side(l)?, side(r)?);
            let absent = Absent {
                left: absent_left,
                right: absent_right,
            };
            Some((binding, left, right, absent))
        })
        .filter(|(_, l, r, _): &Checkable| !l.is_empty() && !r.is_empty())
}

/// Σleft = Σright. A blank is unknown: the equation is only broken when no non-negative
/// values of the blanks could make it hold.
fn sums(
    report: &Report,
    left: &[KeyPattern],
    right: &[KeyPattern],
    tolerance: f64,
    instances: &std::sync::OnceLock<SumInstances>,
) -> Vec<Draft> {
    let mut drafts = Vec::new();
    let instances = instances.get_or_init(|| sum_instances(left, right));
    for (binding, l, r, absent) in checkable(report, instances) {
        // The sum of a side's read values, and whether one of its cells is printed blank:
        // nothing is collected for the sums that hold (most).
        let side = |keys: &[&str]| {
            let mut has_blank = false;
            let known: f64 = keys
                .iter()
                .filter_map(|k| {
                    let value = report.value(k);
                    has_blank |= value == Some(None);
                    value.flatten()
                })
                .sum();
            (known, has_blank)
        };
        let ((lsum, left_blank), (rsum, right_blank)) = (side(&l), side(&r));
        let diff = rsum - lsum;
        let fits = diff.abs() <= tolerance + 1e-9
            || (diff > 0.0 && left_blank)
            || (diff < 0.0 && right_blank);
        if fits {
            continue;
        }
        let blank_cells = |keys: &[&str]| -> Vec<String> {
            keys.iter()
                .filter(|k| report.value(k) == Some(None))
                .map(|k| k.to_string())
                .collect()
        };
        let (lblank, rblank) = (blank_cells(&l), blank_cells(&r));
        let mut d = Draft::new();
        d.cells = l.iter().chain(r.iter()).map(|k| k.to_string()).collect();
        d.span = report.cells.get(l[0]).map(|c| c.span);
        d.vars.insert("reported", num(lsum));
        d.vars.insert("computed", num(rsum));
        d.vars.insert("difference", num(lsum - rsum));
        d.vars.insert("total", l[0].to_string());
        d.vars.insert("total_label", catalog().label(l[0]));
        let column = catalog().get(l[0]).and_then(|f| f.col.last().cloned());
        d.vars.insert("col_label", column.unwrap_or_default());
        for (name, value) in binding {
            let name: &'static str = match name.as_str() {
                "row" => "row",
                "col" => "col",
                _ => "binding",
            };
            d.vars.insert(name, value.clone());
        }
        // A cell nianbao did not read on the short side could be what is missing: the
        // report's form may not have it, or nianbao missed it. Not an accusation.
        let short_side = if diff > 0.0 {
            &absent.left
        } else {
            &absent.right
        };
        if !short_side.is_empty() {
            d.fault = Fault::Reading;
            let labels: Vec<String> = short_side.iter().map(|k| catalog().label(k)).collect();
            d.fault_reason = Some(format!(
                "未读到 {}：表中若有此项，差额可能就在这里",
                labels.join("、")
            ));
        }
        let mut blank = lblank;
        blank.extend(rblank);
        // Cells cut out of run-together digits: say how, and whether other cuts fitted.
        let recovered: Vec<String> = l
            .iter()
            .chain(r.iter())
            .filter_map(|k| Some(format!("{k}: {}", report.cells.get(k)?.recovered.as_ref()?)))
            .collect();
        d.evidence = Some(Evidence {
            reported: Some(lsum),
            computed: Some(rsum),
            contributors: r.iter().map(|k| k.to_string()).collect(),
            blank,
            text: (!recovered.is_empty()).then(|| recovered.join("; ")),
            compared_with: None,
        });
        drafts.push(d);
    }
    drafts
}

fn missing_sections(report: &Report, ids: &[SectionId]) -> Vec<Draft> {
    ids.iter()
        .filter(|id| !report.has_section(**id))
        .map(|id| {
            let mut d = Draft::new();
            d.section = Some(*id);
            d.vars.insert("section", id.numeral().to_string());
            d.vars.insert("section_title", id.title().to_string());
            let toc = if report.toc.contains(id) {
                "（目录列有此部分，正文没有）"
            } else {
                ""
            };
            d.vars.insert("toc_note", toc.to_string());
            d
        })
        .collect()
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

fn section_of_table(id: TableId) -> Option<SectionId> {
    match id {
        TableId::T2 => Some(SectionId::Two),
        TableId::T3 => Some(SectionId::Three),
        TableId::T4 => Some(SectionId::Four),
        TableId::Old => None,
    }
}

/// A table is missing when its part is there without it (a missing part is its own finding).
fn missing_tables(report: &Report, ids: &[TableId]) -> Vec<Draft> {
    ids.iter()
        .filter(|id| report.table(**id).is_none())
        .filter_map(|id| {
            let section = section_of_table(*id);
            let span = match section {
                Some(s) => Some(report.section(s)?.span),
                None => None,
            };
            let mut d = Draft::new();
            d.section = section;
            d.span = span;
            d.vars.insert("table", id.name().to_string());
            if let Some(s) = section.filter(|s| printed_unread(report, *id, *s)) {
                d.fault = Fault::Reading;
                d.fault_reason = Some(format!(
                    "第{}部分印有{}的表头和数字，nianbao 未能读出该表（例如网页抓取时文字连在了一起），不能断定报告缺表",
                    s.numeral(),
                    id.name()
                ));
            }
            Some(d)
        })
        .collect()
}

/// Whether a part's text shows the table nianbao did not read: at least three of the
/// table's own row and column words (from the cell catalogue) and numbers beside them.
fn printed_unread(report: &Report, id: TableId, section: SectionId) -> bool {
    let cjk = |t: &str| -> String { t.chars().filter(|c| *c as u32 >= 0x4e00).collect() };
    let text: String = report
        .text
        .iter()
        .filter(|l| l.section == Some(section))
        .map(|l| l.text.as_str())
        .collect();
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    let prefix = id.key_prefix();
    let mut words: Vec<String> = catalog()
        .fields()
        .iter()
        .filter(|f| f.key.starts_with(prefix))
        .flat_map(|f| f.row.iter().chain(&f.col).map(|w| cjk(w)))
        .filter(|w| w.chars().count() >= 2)
        .collect();
    words.sort();
    words.dedup();
    let plain = cjk(&text);
    let printed = words.iter().filter(|w| plain.contains(w.as_str())).count();
    printed >= 3 && digits >= 5
}

fn era_year(report: &Report, per_table: bool) -> Vec<Draft> {
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

fn blank_cells(report: &Report, patterns: &[KeyPattern]) -> Vec<Draft> {
    // By table, and why the blank may be the reading's (a value of the cell's row was
    // placed uncertainly, and the blank may be where it stands; or the blank itself was
    // read uncertainly).
    let mut by_table: BTreeMap<(&str, Option<String>), Vec<String>> = BTreeMap::new();
    // Looked for once, at the first blank: most reports leave none.
    let mut placed: Option<Vec<(&str, &str)>> = None;
    for key in present(report, patterns, &Binding::new()) {
        if report.value(key) == Some(None) {
            let table = catalog().get(key).map_or("", |f| f.table.as_str());
            let row = key.rsplit_once('.').map_or(key, |(row, _)| row);
            let beside = placed
                .get_or_insert_with(|| placed_in_order(report))
                .iter()
                .find(|(r, _)| *r == row)
                .map(|(_, why)| {
                    format!("同一行的数值位置读取不确定（{why}）；空白处可能就是该数值所在的列，不能断定是报告漏填")
                })
                .or_else(|| {
                    let why = report.cells.get(key)?.doubt()?;
                    Some(format!("该单元格读作空白并不确定（{why}）；不能断定是报告漏填"))
                });
            by_table
                .entry((table, beside))
                .or_default()
                .push(key.to_string());
        }
    }
    by_table
        .into_iter()
        .map(|((table, beside), cells)| {
            let mut d = Draft::new();
            if let Some(why) = beside {
                d.fault = Fault::Reading;
                d.fault_reason = Some(why);
            }
            d.span = report.cells.get(&cells[0]).map(|c| c.span);
            d.vars.insert("table", table.to_string());
            d.vars.insert("count", cells.len().to_string());
            d.vars.insert(
                "labels",
                cells
                    .iter()
                    .take(6)
                    .map(|k| catalog().label(k))
                    .collect::<Vec<_>>()
                    .join("；"),
            );
            d.evidence = Some(Evidence {
                blank: cells.clone(),
                ..Evidence::default()
            });
            d.cells = cells;
            d
        })
        .collect()
}

/// The rows (keys but their last part) with a value the reader put in order, not by its
/// column, and why: their blanks may be where those values stand. Most reports have none.
fn placed_in_order(report: &Report) -> Vec<(&str, &str)> {
    report
        .cells
        .iter()
        .filter_map(|(key, cell)| {
            let why = cell.recovered.as_deref()?;
            let placed = cell.value.is_some() && why.ends_with(nianbao_model::PLACED_IN_ORDER);
            let (row, _) = key.rsplit_once('.')?;
            placed.then_some((row, why))
        })
        .collect()
}

fn below_min(report: &Report, patterns: &[KeyPattern], min: f64) -> Vec<Draft> {
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

fn text_table(
    report: &Report,
    text: &Narrative,
    pattern: &LinePattern,
    cell: &expr::Expr,
    section: Option<SectionId>,
    confidence: &str,
    approximate_severity: Severity,
) -> Vec<Draft> {
    let Value::Number(expected) = expr::eval(cell, report) else {
        return Vec::new();
    };
    let mut cells = Vec::new();
    expr::cells_of(cell, &mut cells);
    // A table cell nianbao read uncertainly: a disagreement may be its reading.
    let unsure = cells.iter().find_map(|k| {
        let why = report.cells.get(k)?.doubt()?;
        Some(format!(
            "{} 读取不确定（{why}）；不能断定是正文与表格不一致",
            catalog().label(k)
        ))
    });
    let mut drafts = Vec::new();
    // The lines it matches found first: setting up a search for captures costs an
    // allocation, and most lines do not match.
    for line in text
        .lines_matching(report, pattern)
        .filter(|l| section.is_none() || l.section == section)
    {
        for caps in pattern.regex().captures_iter(&line.text) {
            let Some(m) = caps.name("value") else {
                continue;
            };
            let Ok(value) = m.as_str().replace(',', "").parse::<f64>() else {
                continue;
            };
            if (value - expected).abs() < 1e-6 {
                continue;
            }
            let approximate = caps.name("approx").is_some_and(|a| !a.as_str().is_empty());
            let whole = caps.get(0).map_or(m.range(), |w| w.range());
            let mut d = Draft::new();
            d.span = Some(line.span_of(m.start(), m.end()));
            d.section = line.section;
            d.cells = cells.clone();
            d.severity = approximate.then_some(approximate_severity);
            d.vars.insert("value", num(value));
            d.vars.insert("expected", num(expected));
            d.vars.insert("text", line.text[whole.clone()].to_string());
            d.vars.insert("confidence", confidence.to_string());
            d.evidence = Some(Evidence {
                reported: Some(value),
                computed: Some(expected),
                text: Some(line.text[whole].to_string()),
                ..Evidence::default()
            });
            if let Some(why) = &unsure {
                d.fault = Fault::Reading;
                d.fault_reason = Some(why.clone());
            }
            drafts.push(d);
        }
    }
    drafts
}

fn stale_years(report: &Report, text: &Narrative, pattern: &LinePattern) -> Vec<Draft> {
    let Some(year) = report.year else {
        return Vec::new();
    };
    let mut drafts: Vec<Draft> = Vec::new();
    // Most lines name no year: found first without captures (see `text_table`).
    for line in text.lines_matching(report, pattern) {
        for caps in pattern.regex().captures_iter(&line.text) {
            let Some(y) = caps
                .name("year")
                .and_then(|y| y.as_str().parse::<i32>().ok())
            else {
                continue;
            };
            let whole = caps.get(0).map_or(0..0, |w| w.range());
            let text = line.text[whole.clone()].to_string();
            if y >= year || drafts.iter().any(|d| d.vars.get("text") == Some(&text)) {
                continue;
            }
            let mut d = Draft::new();
            d.span = Some(line.span_of(whole.start, whole.end));
            d.section = line.section;
            d.vars.insert("mentioned", y.to_string());
            d.vars.insert("text", text.clone());
            d.evidence = Some(Evidence {
                text: Some(text),
                ..Evidence::default()
            });
            drafts.push(d);
        }
    }
    drafts
}

fn expression(report: &Report, previous: Option<&Report>, e: &expr::Expr) -> Vec<Draft> {
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

fn late(
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

fn no_date(report: &Report) -> Vec<Draft> {
    if report.published.is_some() {
        return Vec::new();
    }
    vec![Draft::new()]
}

/// Without its year the report cannot be matched to a template era or a deadline, and
/// without its organ it cannot be filed or compared with last year: say so, never score it
/// silently as perfect.
fn unidentified(report: &Report) -> Vec<Draft> {
    let missing: Vec<&str> = [
        report.year.is_none().then_some("年度"),
        report.organ.is_none().then_some("发布机关"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() || report.no_text_layer {
        return Vec::new();
    }
    let mut d = Draft::new();
    d.vars.insert("missing", missing.join("、"));
    vec![d]
}

/// One finding per place word the report wrongly calls itself by, at its first use.
fn self_references(report: &Report, places: &crate::places::Places) -> Vec<Draft> {
    let Some(organ) = &report.organ else {
        return Vec::new();
    };
    let name_words = places.in_name(organ);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for (k, line) in report.text.iter().enumerate() {
        if !crate::places::Places::may_refer_to_self(&line.text) {
            continue;
        }
        // A line may break inside the word (a PDF's 我 / 县): the next line's start is read too.
        let next = report.text.get(k + 1).map_or("", |n| n.text.trim_start());
        let carry: String = next.chars().take(2).collect();
        let joined = format!("{}{carry}", line.text);
        for found in places.self_references(&joined) {
            if found.range.start >= line.text.len()
                || places.fits(&name_words, found.word, found.level)
            {
                continue;
            }
            let text = &joined[found.range.clone()];
            let in_line = found.range.start..found.range.end.min(line.text.len());
            if let Some(i) = drafts
                .iter()
                .position(|d| d.vars.get("text").map(String::as_str) == Some(text))
            {
                counts[i] += 1;
                continue;
            }
            let mut d = Draft::new();
            d.span = Some(line.span_of(in_line.start, in_line.end));
            d.section = line.section;
            d.vars.insert("organ", organ.clone());
            d.vars.insert("text", text.to_string());
            d.evidence = Some(Evidence {
                text: Some(around(&joined, found.range.clone(), 24)),
                ..Evidence::default()
            });
            drafts.push(d);
            counts.push(1);
        }
    }
    for (d, n) in drafts.iter_mut().zip(counts) {
        d.vars.insert("count", n.to_string());
    }
    drafts
}

/// One finding per numbered item out of count: where it is, what was expected, the series.
fn numbering_drafts(broken: Vec<(numbering::Item, u32, String)>) -> Vec<Draft> {
    broken
        .into_iter()
        .map(|(item, expected, series)| {
            let mut d = Draft::new();
            d.span = Some(item.span);
            d.section = item.section;
            let marker: String = item.printed.chars().last().into_iter().collect();
            d.vars.insert("printed", item.printed.clone());
            d.vars.insert(
                "expected",
                format!("{}{marker}", numbering::chinese_numeral(expected)),
            );
            d.vars.insert("series", series.clone());
            d.evidence = Some(Evidence {
                text: Some(series),
                ..Evidence::default()
            });
            d
        })
        .collect()
}

/// The text of `range` with up to `context` characters either side (a crawled page can be
/// one line of thousands of characters).
fn around(line: &str, range: std::ops::Range<usize>, context: usize) -> String {
    let start = line[..range.start]
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let end = line[range.end..]
        .char_indices()
        .nth(context)
        .map_or(line.len(), |(i, _)| range.end + i);
    line[start..end].to_string()
}

fn stat_period(report: &Report) -> Vec<Draft> {
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

/// This year's keys, each with last year's key under the same binding (the first, when
/// the binding leaves several).
fn year_pairs(this: &KeyPattern, last: &KeyPattern) -> Vec<(&'static str, &'static str)> {
    this.bindings()
        .iter()
        .filter_map(|(binding, key)| Some((*key, *last.expand(binding).first()?)))
        .collect()
}

/// This year's cells against last year's: 二、上年结转 = last 四、结转下年度; jumps of ×factor.
fn cross_year(
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

/// The share of this year's text that is already in last year's.
fn text_overlap(report: &Report, previous: &Report, threshold: f64) -> Vec<Draft> {
    let Some((ratio, mut d)) = overlap(report, previous, threshold) else {
        return Vec::new();
    };
    d.vars.insert("ratio", format!("{:.0}%", ratio * 100.0));
    d.vars.insert(
        "last_year",
        previous.year.map(|y| y.to_string()).unwrap_or_default(),
    );
    d.vars
        .insert("threshold", format!("{:.0}%", threshold * 100.0));
    if let Some(e) = d.evidence.as_mut() {
        e.reported = Some((ratio * 1000.0).round() / 1000.0);
        e.computed = Some(threshold);
        e.compared_with = Some(previous.source.clone());
    }
    vec![d]
}

/// The narrative's shingles, worked out once per report.
fn shingles(report: &Report) -> &[u64] {
    report
        .narrative_shingles
        .get_or_init(|| similar::shingles(report.text.iter().map(|l| l.text.as_str())))
}

/// The share of the report's narrative also in `other`'s, when it reaches `threshold` (a
/// report of fewer than 50 shingles has too little text to judge), with a draft pointing at
/// the first line that is the other's text: where the copy shows.
fn overlap(report: &Report, other: &Report, threshold: f64) -> Option<(f64, Draft)> {
    let now = shingles(report);
    if now.len() < 50 {
        return None;
    }
    let theirs = shingles(other);
    let ratio = similar::contained(now, theirs);
    if ratio < threshold {
        return None;
    }
    let mut d = Draft::new();
    let copied = first_copied_line(report, theirs);
    let mut evidence = Evidence::default();
    if let Some(line) = copied {
        d.span = Some(line.span);
        d.section = line.section;
        evidence.text = Some(line.text.trim().chars().take(40).collect());
    }
    d.evidence = Some(evidence);
    Some((ratio, d))
}

/// The first line that starts a stretch of at least a sentence of Chinese (30 characters;
/// a title or a page's link line shares words with any report of its site), over a few
/// lines when they are short (a PDF's), that is the other text's: where the copy shows.
fn first_copied_line<'a>(report: &'a Report, theirs: &[u64]) -> Option<&'a TextLine> {
    let lines = &report.text;
    let chinese = |line: &TextLine| {
        line.text
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .count()
    };
    // A stretch of lines read as one text (shingles run on over line breaks).
    let copied = |stretch: &[TextLine]| {
        let own = similar::shingles(stretch.iter().map(|l| l.text.as_str()));
        similar::contained(&own, theirs) >= 0.8
    };
    (0..lines.len()).find_map(|i| {
        // The line itself is prose (not a title or a page header's "本地目录: …") and copied.
        let prose = lines[i].text.contains(['。', '，', '；', ',', ';']);
        let own = if prose { chinese(&lines[i]) } else { 0 };
        if own < 10 || !copied(&lines[i..=i]) {
            return None;
        }
        if own >= 30 {
            return Some(&lines[i]);
        }
        // Short lines (a PDF's): the stretch that first holds a sentence, each line's
        // characters counted once.
        let mut sum = own;
        let last = (i + 1..lines.len().min(i + 10)).find(|&j| {
            sum += chinese(&lines[j]);
            sum >= 30
        })?;
        copied(&lines[i..=last]).then_some(&lines[i])
    })
}

/// Whether `other` is another organ's report of the same year (not the same organ under
/// another name: "某市教委" and "某市教育委员会" are one).
fn is_peer(report: &Report, other: &Report) -> bool {
    let same = match (
        nianbao_model::report_organ_key(report),
        nianbao_model::report_organ_key(other),
    ) {
        (Some(a), Some(b)) => nianbao_model::same_organ(&a, &b),
        (a, b) => a == b,
    };
    report.year.is_some() && other.year == report.year && !same
}

/// Another organ's report of the same year (found in the batch) sharing the narrative.
fn peer_overlap(report: &Report, peer: &Report, threshold: f64) -> Vec<Draft> {
    let Some((ratio, mut d)) = overlap(report, peer, threshold) else {
        return Vec::new();
    };
    let file = std::path::Path::new(&peer.source)
        .file_name()
        .map_or(peer.source.clone(), |f| f.to_string_lossy().into_owned());
    d.vars.insert("ratio", format!("{:.0}%", ratio * 100.0));
    d.vars
        .insert("threshold", format!("{:.0}%", threshold * 100.0));
    d.vars
        .insert("peer_organ", peer.organ.clone().unwrap_or_default());
    d.vars.insert("peer_file", file);
    if let Some(e) = d.evidence.as_mut() {
        e.reported = Some((ratio * 1000.0).round() / 1000.0);
        e.computed = Some(threshold);
        e.compared_with = Some(peer.source.clone());
    }
    vec![d]
}

/// Topics a part must cover (e.g. 一 in the 2021 format: 主动公开 … 监督保障).
fn required_text(
    report: &Report,
    text: &Narrative,
    section: SectionId,
    topics: &[(String, LinePattern)],
) -> Vec<Draft> {
    let in_section = |l: &nianbao_model::TextLine| l.section == Some(section);
    if !report.text.iter().any(in_section) {
        return Vec::new();
    }
    let missing: Vec<&str> = topics
        .iter()
        .filter(|(_, pattern)| !text.lines_matching(report, pattern).any(in_section))
        .map(|(name, _)| name.as_str())
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    let mut d = Draft::new();
    d.section = Some(section);
    d.span = report.section(section).map(|s| s.span);
    d.vars.insert("section", section.numeral().to_string());
    d.vars.insert("missing", missing.join("、"));
    vec![d]
}

#[cfg(test)]
mod tests {
    use crate::RuleSet;
    use nianbao_model::{Cell, Era, Fault, ReadMethod, Report, TextLine};

    fn report(read: ReadMethod, recovered: Option<&str>) -> Report {
        let mut report = Report {
            year: Some(2011),
            era: Some(Era::Pre2019),
            ..Report::default()
        };
        report.cells.insert(
            "old.active.total".into(),
            Cell {
                value: Some(4252.0),
                raw: "4252".into(),
                span: Default::default(),
                recovered: recovered.map(str::to_string),
                read,
                alternative: None,
            },
        );
        report.text.push(TextLine {
            text: "全年主动公开政府信息425条。".into(),
            span: Default::default(),
            section: None,
            offsets: Vec::new(),
        });
        report
    }

    /// The text against a table cell cut from run-together digits with other cuts that fit:
    /// the disagreement may be the cut, so it accuses no one; a cell read plainly does.
    #[test]
    fn text_against_an_uncertain_cell_is_for_review() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let fault = |r: &Report| {
            rules
                .check_with(r, Default::default())
                .into_iter()
                .find(|f| f.rule == "OLD.TEXT.ACTIVE_TOTAL")
                .map(|f| f.fault)
        };
        let cut = "cut from run-together digits \"42525699\" as 4252,5699; 3 splits fit, others: 425,25699";
        assert_eq!(
            fault(&report(ReadMethod::RunTogether, Some(cut))),
            Some(Fault::Reading)
        );
        assert_eq!(
            fault(&report(ReadMethod::TextRows, None)),
            Some(Fault::Report)
        );
    }
}
