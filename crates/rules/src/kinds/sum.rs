//! Kinds `sum` and `balance`: Σ left = Σ right over cell patterns (a total and its items),
//! one equation per binding of the patterns' variables. A blank is unknown: an equation is
//! only broken when no non-negative values of its blanks could make it hold.

use crate::check::{num, Draft};
use crate::keys::{Binding, KeyPattern};
use crate::pack::{Kind, Rule};
use nianbao_model::{catalog, Evidence, Fault, Finding, Report};

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
    if !crate::check::applies(rule, report) {
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
pub(crate) fn sums(
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
