//! Whose fault an arithmetic finding is. From all the equations of the report's tables, the
//! smallest change of cells that makes every equation hold is looked for — one cell, or two
//! neighbouring cells swapped. If such a repair touches a cell nianbao is not sure it read
//! right (another reading disagreed, other cuts of run-together digits fitted, columns found
//! only by alignment), the finding is 需复核: the reading may be at fault, and the finding
//! says which cell and what it may be. Otherwise the report is at fault, and the finding
//! says what would make the table add up (as Arelle reports the computed sum beside the
//! reported one). Blank cells of a table whose reading is doubted so are not blamed on
//! the report either.

use crate::kinds::sum::Equation;
use foldhash::HashMap;
use nianbao_model::{catalog, format_number, Family, Fault, Finding, Report};

const ARITHMETIC: [Family; 5] = [
    Family::Balance,
    Family::RowSum,
    Family::ColSum,
    Family::T4Sum,
    Family::OldSum,
];

/// Whether a finding is about a table that does not add up.
pub(crate) fn is_arithmetic(finding: &Finding) -> bool {
    ARITHMETIC.contains(&finding.family)
}

/// Values of the cells, some changed from the report's.
/// The values of the cells the equations hold, looked up once: the search below reads them
/// many times.
struct Known<'a> {
    values: HashMap<&'a str, Option<f64>>,
}

impl<'a> Known<'a> {
    fn new(report: &Report, equations: &[Equation<'a>]) -> Self {
        let values = equations
            .iter()
            .flat_map(|eq| eq.left.iter().chain(&eq.right))
            .map(|&k| (k, report.value(k).flatten()))
            .collect();
        Known { values }
    }

    /// As `Report::value`: `None` when absent, `Some(None)` when blank.
    fn value(&self, key: &str) -> Option<Option<f64>> {
        self.values.get(key).copied()
    }
}

struct Values<'a> {
    report: &'a Known<'a>,
    /// At most a few cells: a list is quicker to search than a map.
    changed: Vec<(&'a str, f64)>,
}

impl Values<'_> {
    /// `None`: printed blank (unknown).
    fn get(&self, key: &str) -> Option<f64> {
        match self.changed.iter().find(|(k, _)| *k == key) {
            Some((_, v)) => Some(*v),
            None => self.report.value(key).flatten(),
        }
    }
}

/// Whether an equation holds, or its blanks could make it hold (as the sum check judges).
fn holds(eq: &Equation, values: &Values) -> bool {
    // Each cell looked up once: its value adds to the side, or the side has a blank.
    let side = |keys: &[&str]| -> (f64, bool) {
        keys.iter()
            .fold((0.0, false), |(known, blank), k| match values.get(k) {
                Some(v) => (known + v, blank),
                None => (known, true),
            })
    };
    let ((l, lblank), (r, rblank)) = (side(&eq.left), side(&eq.right));
    let diff = r - l;
    diff.abs() <= eq.tolerance + 1e-9 || (diff > 0.0 && lblank) || (diff < 0.0 && rblank)
}

/// A change that makes the equations hold.
struct Repair<'a> {
    /// (cell, value it would have to be).
    cells: Vec<(&'a str, f64)>,
    /// Failing equations it mends.
    mends: usize,
}

/// The equations of a report, indexed by the cells they hold: a change is checked against
/// the equations of the changed cells only.
struct Equations<'e, 'a> {
    all: &'e [Equation<'a>],
    by_key: HashMap<&'a str, Vec<usize>>,
}

impl<'e, 'a> Equations<'e, 'a> {
    fn new(all: &'e [Equation<'a>]) -> Self {
        let mut by_key: HashMap<&'a str, Vec<usize>> = HashMap::default();
        for (i, eq) in all.iter().enumerate() {
            for &key in eq.left.iter().chain(&eq.right) {
                let list = by_key.entry(key).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Equations { all, by_key }
    }

    /// The equations holding any of `keys`, each once.
    fn touching(&self, keys: &[&str]) -> Vec<&'e Equation<'a>> {
        let mut indices: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.by_key.get(k))
            .flatten()
            .copied()
            .collect();
        indices.sort_unstable();
        indices.dedup();
        indices.into_iter().map(|i| &self.all[i]).collect()
    }
}

fn valid(equations: &Equations, changed: &[(&str, f64)], report: &Known) -> bool {
    let values = Values {
        report,
        changed: changed.to_vec(),
    };
    let keys: Vec<&str> = changed.iter().map(|(k, _)| *k).collect();
    equations
        .touching(&keys)
        .into_iter()
        .all(|eq| holds(eq, &values))
}

/// The single cells of `eq` whose change would mend it without breaking another equation.
fn single_repairs<'a>(
    eq: &Equation<'a>,
    equations: &Equations<'_, 'a>,
    failing: &[&Equation<'a>],
    report: &Known,
) -> Vec<Repair<'a>> {
    let values = Values {
        report,
        changed: Vec::new(),
    };
    let left: f64 = eq.left.iter().filter_map(|k| values.get(k)).sum();
    let right: f64 = eq.right.iter().filter_map(|k| values.get(k)).sum();
    let mut out = Vec::new();
    for (&key, on_left) in eq
        .left
        .iter()
        .map(|k| (k, true))
        .chain(eq.right.iter().map(|k| (k, false)))
    {
        let Some(now) = values.get(key) else { continue };
        let should = match on_left {
            true => now + (right - left),
            false => now + (left - right),
        };
        if should < -1e-9 || (now.fract() == 0.0 && should.fract().abs() > 1e-9) {
            continue;
        }
        let change = [(key, should)];
        if valid(equations, &change, report) {
            let mends = failing.iter().filter(|f| f.contains(key)).count();
            out.push(Repair {
                cells: change.to_vec(),
                mends,
            });
        }
    }
    out
}

/// The value `key` would need for `eq` to hold exactly, with `changed` applied; `None` when
/// it is blank or would have to be negative or fractional where the report prints whole
/// numbers.
fn mending(eq: &Equation, key: &str, values: &Values) -> Option<f64> {
    let now = values.get(key)?;
    let left: f64 = eq.left.iter().filter_map(|k| values.get(k)).sum();
    let right: f64 = eq.right.iter().filter_map(|k| values.get(k)).sum();
    let should = match eq.left.contains(&key) {
        true => now + (right - left),
        false => now + (left - right),
    };
    let whole = now.fract() == 0.0;
    (should >= -1e-9 && !(whole && should.fract().abs() > 1e-9)).then_some(should)
}

/// Cells of the larger side of `eq` that nianbao is unsure of, when none alone but all
/// together could make it hold by being less (three answers each cut from run-together
/// digits, each a digit too long): the cells, their sum and the sum that would mend.
fn jointly_mending<'a>(
    eq: &Equation<'a>,
    values: &Values,
    unsure: impl Fn(&str) -> bool,
) -> Option<(Vec<&'a str>, f64, f64)> {
    let sum = |keys: &[&str]| -> f64 { keys.iter().filter_map(|k| values.get(k)).sum() };
    let (left, right) = (sum(&eq.left), sum(&eq.right));
    let (larger, excess) = match right > left {
        true => (&eq.right, right - left),
        false => (&eq.left, left - right),
    };
    let keys: Vec<&str> = larger
        .iter()
        .copied()
        .filter(|k| unsure(k) && values.get(k).is_some())
        .collect();
    let now = sum(&keys);
    (keys.len() >= 2 && now + 1e-9 >= excess).then_some((keys, now, now - excess))
}

/// Two cells changed, each mending one failing equation, that make every equation hold
/// (a report with two slips, or a misread cell and its total).
fn pair_repairs<'a>(
    eq: &Equation<'a>,
    equations: &Equations<'_, 'a>,
    failing: &[&Equation<'a>],
    report: &Known,
) -> Vec<Repair<'a>> {
    let mut out = Vec::new();
    let base = Values {
        report,
        changed: Vec::new(),
    };
    for &first in eq.left.iter().chain(&eq.right) {
        let Some(v1) = mending(eq, first, &base) else {
            continue;
        };
        let after = Values {
            report,
            changed: vec![(first, v1)],
        };
        // Only equations that failed already or hold `first` can fail after its change.
        let mut candidates: Vec<&Equation> = failing.to_vec();
        for e in equations.touching(&[first]) {
            if !candidates.iter().any(|c| std::ptr::eq(*c, e)) {
                candidates.push(e);
            }
        }
        for other in candidates.into_iter().filter(|e| !holds(e, &after)) {
            for &second in other.left.iter().chain(&other.right) {
                if second == first {
                    continue;
                }
                let Some(v2) = mending(other, second, &after) else {
                    continue;
                };
                let change = [(first, v1), (second, v2)];
                if valid(equations, &change, report) {
                    out.push(Repair {
                        cells: change.to_vec(),
                        mends: 2,
                    });
                }
            }
        }
        if out.len() >= 8 {
            break;
        }
    }
    out
}

/// Two cells of one row next to each other (…natural/commercial…) swapped.
fn swap_repairs<'a>(
    eq: &Equation<'a>,
    equations: &Equations<'_, 'a>,
    report: &Known,
) -> Vec<Repair<'a>> {
    let keys: Vec<&str> = eq.left.iter().chain(&eq.right).copied().collect();
    let mut out = Vec::new();
    for (i, a) in keys.iter().enumerate() {
        for b in &keys[i + 1..] {
            let (Some((row_a, _)), Some((row_b, _))) = (a.rsplit_once('.'), b.rsplit_once('.'))
            else {
                continue;
            };
            if row_a != row_b {
                continue;
            }
            let (Some(Some(va)), Some(Some(vb))) = (report.value(a), report.value(b)) else {
                continue;
            };
            if va == vb {
                continue;
            }
            let change = [(*a, vb), (*b, va)];
            if valid(equations, &change, report) {
                out.push(Repair {
                    cells: change.to_vec(),
                    mends: 1,
                });
            }
        }
    }
    out
}

fn describe(cells: &[(&str, f64)]) -> String {
    cells
        .iter()
        .map(|(k, v)| format!("{} 为 {}", catalog().label(k), format_number(*v)))
        .collect::<Vec<_>>()
        .join("、")
}

/// Sets `fault` and `fault_reason` on every arithmetic finding, and tells the report's
/// errors what would mend them.
pub(crate) fn attribute(report: &Report, all: &[Equation], findings: &mut [Finding]) {
    let known = &Known::new(report, all);
    let values = &Values {
        report: known,
        changed: Vec::new(),
    };
    let equations = &Equations::new(all);
    let failing: Vec<&Equation> = all.iter().filter(|eq| !holds(eq, values)).collect();
    for finding in findings.iter_mut().filter(|f| is_arithmetic(f)) {
        let Some(eq) = failing.iter().find(|eq| eq.is_of(finding)) else {
            // An arithmetic finding of no equation (an `expression` rule): it cannot be
            // repaired, but when one of its cells was read uncertainly it accuses no one.
            if let Some(first) = first_unsure(report, finding.cells.iter().map(String::as_str)) {
                accuse_no_one(finding, first);
            }
            continue;
        };
        let repairs = repairs_of(eq, equations, &failing, known);
        match misreading(report, eq, &repairs, values) {
            Some(why) => blame_reading(finding, why),
            None => tell_the_mend(report, eq, &repairs, finding),
        }
    }
}

/// The smallest changes that make the failing equation `eq` hold: of one cell, else two
/// neighbours swapped, else two cells.
fn repairs_of<'a>(
    eq: &Equation<'a>,
    equations: &Equations<'_, 'a>,
    failing: &[&Equation<'a>],
    known: &Known,
) -> Vec<Repair<'a>> {
    let mut repairs = single_repairs(eq, equations, failing, known);
    if repairs.is_empty() {
        repairs = swap_repairs(eq, equations, known);
    }
    if repairs.is_empty() {
        repairs = pair_repairs(eq, equations, failing, known);
    }
    repairs
}

/// Why `eq` may fail because nianbao misread a cell, if it may: a cell it is unsure of that
/// a repair goes through (every equation then holds), or that alone would make this
/// equation hold (others may fail for other misreadings of the same table); or cells it is
/// unsure of that only together could. First a one-cell repair, then one cell of this
/// equation, then a repair of two cells; among equals the smallest value, since digits
/// wrongly run together make values too large.
fn misreading(
    report: &Report,
    eq: &Equation,
    repairs: &[Repair],
    values: &Values,
) -> Option<String> {
    let doubt_of = |key: &str| report.cells.get(key).and_then(|c| c.doubt());
    let through_repair = repairs.iter().flat_map(|r| {
        let rank = if r.cells.len() == 1 { 0 } else { 2 };
        r.cells
            .iter()
            .filter_map(move |(k, v)| doubt_of(k).map(|why| (rank, *k, *v, why, "各项均平衡")))
    });
    let in_equation = eq.left.iter().chain(&eq.right).filter_map(|k| {
        let why = doubt_of(k)?;
        mending(eq, k, values).map(|v| (1, *k, v, why, "本式平衡"))
    });
    let misread = through_repair
        .chain(in_equation)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.2.total_cmp(&b.2)));
    if let Some((_, key, value, why, mends)) = misread {
        let read = report
            .value(key)
            .flatten()
            .map_or("空白".to_string(), format_number);
        return Some(format!(
            "{} 读作 {read}，但读取不确定（{why}）；若为 {}，则{mends}",
            catalog().label(key),
            format_number(value)
        ));
    }
    let (keys, now, should) = jointly_mending(eq, values, |k| doubt_of(k).is_some())?;
    let first = keys[0];
    Some(format!(
        "{} 等 {} 个单元格合计读作 {}，但读取均不确定（如 {}）；若合计为 {}，则本式平衡",
        catalog().label(first),
        keys.len(),
        format_number(now),
        doubt_of(first)
            .map(|why| why.to_string())
            .unwrap_or_default(),
        format_number(should)
    ))
}

/// The report's error: its message says what would mend the table (the repair that mends
/// the most failing equations; on a tie, the one through the equation's own total). With
/// no repair, it accuses no one when a cell of the equation was read uncertainly.
fn tell_the_mend(report: &Report, eq: &Equation, repairs: &[Repair], finding: &mut Finding) {
    let total = eq.left.first().copied().unwrap_or("");
    let best = repairs
        .iter()
        .max_by_key(|r| (r.mends, r.cells.iter().any(|(k, _)| *k == total)));
    let Some(repair) = best else {
        if let Some(first) = first_unsure(report, eq.left.iter().chain(&eq.right).copied()) {
            accuse_no_one(finding, first);
        }
        return;
    };
    let hint = format!("若 {}，则各项均平衡", describe(&repair.cells));
    finding.message = format!("{}（{hint}）", finding.message);
    // The kind may already doubt its reading (a component it did not read).
    finding.fault_reason = Some(match finding.fault {
        Fault::Reading => {
            finding.deduction = 0.0;
            match &finding.fault_reason {
                Some(why) => format!("{why}；{hint}"),
                None => hint,
            }
        }
        Fault::Report => hint,
    });
}

/// The finding rests on a cell read uncertainly (`first`, as `first_unsure` names it).
fn accuse_no_one(finding: &mut Finding, first: String) {
    blame_reading(
        finding,
        format!("涉及读取不确定的单元格，如 {first}；不能断定是报告的错误"),
    )
}

/// Blank cells of a table whose reading another finding already doubts (a sum blamed on the
/// reading, cells not read): a table whose values were misplaced shows blanks where the
/// report printed figures, so its blanks accuse no one either.
pub(crate) fn doubt_blanks_beside_misreadings(findings: &mut [Finding]) {
    let accused_blanks = |f: &Finding| f.family == Family::BlankCell && f.fault == Fault::Report;
    if !findings.iter().any(accused_blanks) {
        return;
    }
    // A cell's table as CELL.BLANK groups its blanks: the catalogue's.
    let table = |key: &str| catalog().get(key).map(|f| f.table.as_str());
    let doubted: Vec<(&str, String)> = findings
        .iter()
        .filter(|f| f.fault == Fault::Reading && f.family != Family::BlankCell)
        .flat_map(|f| {
            f.cells
                .iter()
                .filter_map(|k| Some((table(k)?, f.rule.clone())))
        })
        .collect();
    for finding in findings.iter_mut().filter(|f| accused_blanks(f)) {
        let beside = finding
            .cells
            .iter()
            .find_map(|k| doubted.iter().find(|(t, _)| Some(*t) == table(k)));
        if let Some((_, rule)) = beside {
            let why = format!(
                "同一表格的读取有疑问（见 {rule}）；空白可能是读取所致，不能断定是报告漏填"
            );
            blame_reading(finding, why);
        }
    }
}

/// Every finding on a report read from a PDF's OCR layer, except those about the file
/// itself: what the text says was recognised from page images, and a misrecognised digit
/// or word makes a table not add up, a part look missing or a date look late.
pub(crate) fn doubt_what_was_recognised(findings: &mut [Finding]) {
    let on_the_text = |f: &Finding| f.fault == Fault::Report && f.family != Family::Extraction;
    for finding in findings.iter_mut().filter(|f| on_the_text(f)) {
        blame_reading(finding, OCR_LAYER.to_string());
    }
}

/// Why a finding on an OCR layer's text accuses no one.
const OCR_LAYER: &str = "文字取自扫描件的 OCR 识别层，可能识别有误；请对照原件核对";

/// The first of `keys` read uncertainly, as a finding names it: "label（why）".
fn first_unsure<'k>(report: &Report, keys: impl IntoIterator<Item = &'k str>) -> Option<String> {
    keys.into_iter().find_map(|k| {
        let why = report.cells.get(k)?.doubt()?;
        Some(format!("{}（{why}）", catalog().label(k)))
    })
}

/// The finding may be nianbao's misreading, not the report's error: no deduction, and why.
fn blame_reading(finding: &mut Finding, why: String) {
    finding.fault = Fault::Reading;
    finding.deduction = 0.0;
    finding.fault_reason = Some(why);
}

#[cfg(test)]
mod tests {
    use crate::RuleSet;
    use nianbao_model::{format_number, Cell, Doubt, Era, Fault, Placement, ReadMethod, Report};

    /// A cell read `read`, with the reader's doubt if any.
    fn cell(value: Option<f64>, read: ReadMethod, doubt: Option<Doubt>) -> Cell {
        Cell {
            raw: value.map(format_number).unwrap_or_default(),
            read,
            doubt: doubt.map(Box::new),
            ..Cell::of_value(value)
        }
    }

    /// The doubt of a cell cut from "242363" as 24 and 2363, another cut fitting too.
    fn other_cut_fits() -> Doubt {
        Doubt::RunTogether {
            printed: "242363".into(),
            taken: "24、2363".into(),
            others: vec!["2、42363".into()],
            fits: true,
            unchecked: false,
        }
    }

    /// A 2019-form report of 2019 with no cells yet.
    fn report_2019() -> Report {
        Report {
            year: Some(2019),
            era: Some(Era::Y2019),
            ..Report::default()
        }
    }

    /// The CELL.BLANK findings of a report.
    fn blank_findings(report: &Report) -> Vec<nianbao_model::Finding> {
        RuleSet::builtin()
            .expect("built-in rules")
            .check_with(report, Default::default())
            .into_iter()
            .filter(|f| f.rule == "CELL.BLANK")
            .collect()
    }

    /// 申请答复数 21 read plainly; its three parts 17, 24 and 22, read `read`.
    fn answers(read: ReadMethod, doubt: Option<Doubt>) -> Report {
        let mut report = Report {
            year: Some(2012),
            era: Some(Era::Pre2019),
            ..Report::default()
        };
        let mut put = |key: &str, value: f64, read, doubt: Option<Doubt>| {
            report.cells.insert(key, cell(Some(value), read, doubt));
        };
        put("old.apply.answered", 21.0, ReadMethod::TextRows, None);
        put("old.apply.granted", 17.0, read, doubt.clone());
        put("old.apply.partial", 24.0, read, doubt.clone());
        put("old.apply.denied", 22.0, read, doubt);
        report
    }

    #[test]
    fn parts_that_only_together_could_mend_their_total_are_for_review_when_all_are_unsure() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let answered = |r: &Report| {
            rules
                .check_with(r, Default::default())
                .into_iter()
                .find(|f| f.rule == "OLD.SUM.APPLY_ANSWERED")
                .expect("the parts add up to more than the total")
        };
        let unsure = answered(&answers(ReadMethod::RunTogether, Some(other_cut_fits())));
        assert_eq!(unsure.fault, Fault::Reading);
        assert_eq!(unsure.deduction, 0.0);
        let reason = unsure.fault_reason.unwrap_or_default();
        assert!(
            reason.contains("3 个单元格合计读作 63") && reason.contains("若合计为 21"),
            "{reason}"
        );
        // Read plainly, the same parts are the report's error.
        assert_eq!(
            answered(&answers(ReadMethod::TextRows, None)).fault,
            Fault::Report
        );
    }

    #[test]
    fn blanks_of_a_table_whose_sums_are_for_review_accuse_no_one() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let blanks = |mut report: Report| {
            let blank = Cell {
                read: ReadMethod::TextRows,
                ..Cell::of_value(None)
            };
            report.cells.insert("old.apply.fax", blank);
            rules
                .check_with(&report, Default::default())
                .into_iter()
                .find(|f| f.rule == "OLD.CELL.BLANK")
                .expect("the blank cell is reported")
        };
        let beside_a_misreading = blanks(answers(ReadMethod::RunTogether, Some(other_cut_fits())));
        assert_eq!(beside_a_misreading.fault, Fault::Reading);
        assert_eq!(beside_a_misreading.deduction, 0.0);
        let reason = beside_a_misreading.fault_reason.unwrap_or_default();
        assert!(reason.contains("OLD.SUM.APPLY_ANSWERED"), "{reason}");
        // Beside a sum that is the report's error, a blank is the report's too.
        assert_eq!(
            blanks(answers(ReadMethod::TextRows, None)).fault,
            Fault::Report
        );
    }

    #[test]
    fn blanks_beside_a_value_put_in_order_accuse_no_one() {
        let mut report = report_2019();
        let mut put = |key: &str, value: Option<f64>, doubt: Option<Doubt>| {
            report
                .cells
                .insert(key, cell(value, ReadMethod::Stream, doubt));
        };
        // 行政强制 showed only its 775, put in its first column; its row's blanks may be
        // where the 775 stands. 其他对外管理服务事项 printed nothing: its blanks are sure.
        let placed = Doubt::PlacedInOrder(Placement::FewerValues {
            values: 1,
            cells: 3,
        });
        put("t2.coercion.prev_items", Some(775.0), Some(placed));
        put("t2.coercion.delta", None, None);
        put("t2.coercion.decisions", None, None);
        put("t2.other_service.prev_items", None, None);
        let blanks = blank_findings(&report);
        let unsure = blanks
            .iter()
            .find(|f| f.cells.contains(&"t2.coercion.decisions".to_string()))
            .expect("the row's blanks are reported");
        // 需复核, and nothing deducted for it.
        assert_eq!(unsure.fault, Fault::Reading);
        assert_eq!(unsure.deduction, 0.0);
        let sure = blanks
            .iter()
            .find(|f| f.cells.contains(&"t2.other_service.prev_items".to_string()))
            .expect("the empty row's blank is reported");
        assert_eq!(sure.fault, Fault::Report);
        assert!(!sure.cells.contains(&"t2.coercion.delta".to_string()));
    }

    /// A blank the reader is not sure of (read from columns of text lined up with spaces)
    /// is not the report's to answer for either; a sure blank beside it is.
    #[test]
    fn a_blank_read_uncertainly_is_to_review() {
        let mut report = report_2019();
        let mut put = |key: &str, read: ReadMethod| {
            report.cells.insert(key, cell(None, read, None));
        };
        put("t2.license.delta", ReadMethod::TextColumns);
        put("t2.penalty.delta", ReadMethod::Stream);
        let blanks = blank_findings(&report);
        let fault_of = |key: &str| {
            blanks
                .iter()
                .find(|f| f.cells.contains(&key.to_string()))
                .map(|f| (f.fault, f.deduction))
        };
        assert_eq!(fault_of("t2.license.delta"), Some((Fault::Reading, 0.0)));
        assert_eq!(
            fault_of("t2.penalty.delta").map(|f| f.0),
            Some(Fault::Report)
        );
    }
}
