//! The layout lab's sample in CI: every gold report in two variants of every layout family,
//! read back through the pipeline; each family must read at least its floor
//! (`crates/lab/floors.toml`). LibreOffice and pandoc write some layouts from the lab's
//! DOCX, Chromium prints one from its web page: where one is missing, those families are skipped and say so, unless
//! NIANBAO_LAB_REQUIRE_CONVERTERS is set (CI sets it), where that is an error.

use nianbao_lab::accuracy::{self, Tally};
use nianbao_lab::{pipeline, run, Family, Options, ReadBack};

fn options(variants: usize, families: &[Family]) -> Options {
    Options {
        shared: suite::shared_dir(),
        variants,
        seed: 1,
        families: families.to_vec(),
        keep: None,
        require_converters: std::env::var_os("NIANBAO_LAB_REQUIRE_CONVERTERS").is_some(),
    }
}

/// What failed in a family, for the assertion message: its worst cases' wrong cells.
fn failures(summary: &nianbao_lab::Summary, family: Family) -> String {
    let mut lines = Vec::new();
    for o in summary.outcomes.iter().filter(|o| o.case.family == family) {
        if o.wrong.is_empty() && o.false_errors.is_empty() {
            continue;
        }
        let wrong: Vec<String> = o
            .wrong
            .iter()
            .take(5)
            .map(|w| format!("{} gold {:?} read {:?}", w.key, w.gold, w.read))
            .collect();
        lines.push(format!(
            "{}: {}/{} [{}] {}",
            o.case.file.display(),
            o.right,
            o.cells,
            wrong.join("; "),
            o.false_errors.join("; ")
        ));
    }
    lines.join("\n")
}

#[test]
fn every_family_of_the_sample_reads_at_its_floor() {
    let reader = pipeline().expect("built-in rules load");
    let summary = run(&options(2, &Family::ALL), &reader).expect("the lab runs");
    for (family, reason) in &summary.skipped {
        eprintln!(
            "layout lab: the {} family was skipped: {reason}",
            family.name()
        );
    }
    let tallies = accuracy::by_family(&summary);
    let floors = accuracy::floors();
    for family in Family::ALL {
        if summary.skipped.iter().any(|(f, _)| *f == family) {
            continue;
        }
        let tally: &Tally = tallies.get(&family).expect("every family ran");
        // Two variants of every family (a fifth of that of scans, rounded up) for each of
        // the gold reports.
        assert_eq!(
            tally.cases,
            family.variants(2) * summary.golds,
            "{}",
            family.name()
        );
        let floor = floors
            .get(&family)
            .copied()
            .expect("every family has a floor");
        assert!(
            tally.accuracy() >= floor,
            "{}: {:.3}% of cells, below the floor of {:.1}%:\n{}",
            family.name(),
            tally.accuracy() * 100.0,
            floor * 100.0,
            failures(&summary, family)
        );
        let most = accuracy::max_false_error_cases()[&family];
        assert!(
            tally.false_error_cases <= most,
            "{}: {} cases with an error the gold does not list (at most {most}):\n{}",
            family.name(),
            tally.false_error_cases,
            failures(&summary, family)
        );
        let most = accuracy::max_silent_wrong_cells()[&family];
        assert!(
            tally.silent_wrong <= most,
            "{}: {} cells read wrong with no doubt on them (at most {most}):\n{}",
            family.name(),
            tally.silent_wrong,
            silent_cells(&summary, family)
        );
        assert_eq!(
            (tally.era_wrong, tally.parts_wrong),
            (0, 0),
            "{}: era or parts",
            family.name()
        );
        let most = accuracy::max_identity_wrong_cases()[&family];
        assert!(
            tally.identity_wrong <= most,
            "{}: identity (organ, year, level) wrong in {} cases (at most {most})",
            family.name(),
            tally.identity_wrong
        );
    }
}

/// The cells of a family's cases read wrong with no doubt on them, a line a case.
fn silent_cells(summary: &nianbao_lab::Summary, family: Family) -> String {
    let lines: Vec<String> = summary
        .outcomes
        .iter()
        .filter(|o| o.case.family == family)
        .filter_map(|o| {
            let cells: Vec<String> = o
                .wrong
                .iter()
                .filter(|w| w.silent)
                .map(|w| format!("{} read {:?}, gold {:?}", w.key, w.read, w.gold))
                .collect();
            (!cells.is_empty()).then(|| format!("{}: {}", o.case.file.display(), cells.join("; ")))
        })
        .collect();
    lines.join("\n")
}

/// A reader that reads every 表三 value one column to the left of where it stands.
fn shifted(read: ReadBack) -> ReadBack {
    let mut report = read.report;
    let columns = nianbao_model::T3_COLUMNS;
    let keys: Vec<String> = report
        .cells
        .keys()
        .filter(|k| k.starts_with("t3."))
        .map(str::to_string)
        .collect();
    for key in keys {
        let Some((row, col)) = key.rsplit_once('.') else {
            continue;
        };
        let Some(i) = columns.iter().position(|c| *c == col) else {
            continue;
        };
        let right = columns.get(i + 1).map(|c| format!("{row}.{c}"));
        let value = right
            .and_then(|k| report.cells.get(&k).map(|c| c.value))
            .flatten();
        if let Some(cell) = report.cells.get_mut(&key) {
            cell.value = value;
        }
    }
    ReadBack {
        report,
        findings: read.findings,
    }
}

#[test]
fn a_reader_off_by_one_column_fails_the_lab() {
    let real = pipeline().expect("built-in rules load");
    let broken = |name: &str, bytes: &[u8]| real(name, bytes).map(shifted);
    let families = [Family::Html, Family::Markdown, Family::Text];
    let summary = run(&options(1, &families), &broken).expect("the lab runs");
    let floors = accuracy::floors();
    let most_silent = accuracy::max_silent_wrong_cells();
    for (family, tally) in accuracy::by_family(&summary) {
        assert!(
            tally.accuracy() < floors[&family],
            "{}: a reader off by one column still reads {:.1}% of cells",
            family.name(),
            tally.accuracy() * 100.0
        );
        // Its cells say nothing of the shift: wrong with no doubt on them.
        assert!(
            tally.silent_wrong > most_silent[&family],
            "{}: a reader off by one column leaves {} cells wrong with no doubt",
            family.name(),
            tally.silent_wrong
        );
    }
}

/// A reader that also blames the report for leaving blank the first cell of 表三 it read
/// a value in (as CELL.BLANK did for cells a misreading left blank).
fn blaming_a_printed_cell(read: ReadBack) -> ReadBack {
    let mut findings = read.findings;
    let printed = read
        .report
        .cells
        .iter()
        .find(|(k, c)| k.starts_with("t3.") && c.value.is_some())
        .map(|(k, _)| k.to_string());
    findings.extend(printed.map(|key| nianbao_model::Finding {
        rule: "CELL.BLANK".into(),
        family: nianbao_model::Family::BlankCell,
        severity: nianbao_model::Severity::Warning,
        message: "表三: 1 个应填数字的单元格为空".into(),
        cells: vec![key],
        section: None,
        span: None,
        deduction: 1.0,
        evidence: None,
        fault: nianbao_model::Fault::Report,
        fault_reason: None,
    }));
    ReadBack {
        report: read.report,
        findings,
    }
}

#[test]
fn a_blank_blamed_on_the_report_for_a_cell_it_printed_is_a_false_error() {
    let real = pipeline().expect("built-in rules load");
    let broken = |name: &str, bytes: &[u8]| real(name, bytes).map(blaming_a_printed_cell);
    let summary = run(&options(1, &[Family::Html]), &broken).expect("the lab runs");
    let tally = &accuracy::by_family(&summary)[&Family::Html];
    // Every 2019 and 2021 report's 表三 has a printed cell.
    assert!(tally.false_error_cases > 0, "no false blank counted");
    let told = summary
        .outcomes
        .iter()
        .flat_map(|o| &o.false_errors)
        .any(|e| e.starts_with("CELL.BLANK") && e.contains("printed: t3."));
    assert!(told, "the false error names the printed cell");
}
