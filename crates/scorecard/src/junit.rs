//! JUnit XML for CI dashboards: a test suite per report, a failing test case per finding at
//! or above the threshold (others pass), an error case for a file that could not be read.

use crate::Audited;
use nianbao_model::Severity;
use std::fmt::Write;

pub fn xml_escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&apos;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

/// `threshold`: the lowest severity that fails a case (like `--fail-on`).
pub fn junit(results: &[Audited], threshold: Option<Severity>) -> String {
    let mut suites = String::new();
    let (mut total, mut failed, mut errors) = (0, 0, 0);
    for r in results {
        let name = xml_escape(&r.file);
        match &r.outcome {
            Err(e) => {
                errors += 1;
                total += 1;
                let _ = write!(
                    suites,
                    "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"read\" classname=\"{name}\"><error message=\"{}\"/></testcase>\n  </testsuite>\n",
                    xml_escape(e)
                );
            }
            Ok(a) => {
                let fails = |f: &nianbao_model::Finding| crate::fails(f, threshold);
                let n_fail = a.findings.iter().filter(|f| fails(f)).count();
                let cases = a.findings.len().max(1);
                total += cases;
                failed += n_fail;
                let _ = writeln!(suites, "  <testsuite name=\"{name}\" tests=\"{cases}\" failures=\"{n_fail}\" errors=\"0\">");
                if a.findings.is_empty() {
                    let _ = writeln!(
                        suites,
                        "    <testcase name=\"audit\" classname=\"{name}\"/>"
                    );
                }
                for (i, f) in a.findings.iter().enumerate() {
                    let at = f
                        .span
                        .map_or(String::new(), |s| format!(":{}:{}", s.line, s.column));
                    // Under --baseline, a finding the baseline did not have says so in its name.
                    let new = match a.status(i) {
                        Some(crate::BaselineStatus::New) => " [new]",
                        _ => "",
                    };
                    let case = format!("{}{at}{new}", f.rule);
                    let compared = f
                        .compared_with()
                        .map_or(String::new(), |other| format!(" 对比报告: {other}"));
                    let compared = match crate::review_note(f) {
                        Some(note) => format!("{compared} [{note}]"),
                        None => compared,
                    };
                    if fails(f) {
                        let _ = writeln!(
                            suites,
                            "    <testcase name=\"{}\" classname=\"{name}\"><failure type=\"{}\" message=\"{}\">{}</failure></testcase>",
                            xml_escape(&case),
                            f.severity,
                            xml_escape(&f.message),
                            xml_escape(&format!("{}{compared}", f.cells.join(" ")))
                        );
                    } else {
                        let _ = writeln!(suites, "    <testcase name=\"{}\" classname=\"{name}\"><system-out>{}</system-out></testcase>", xml_escape(&case), xml_escape(&format!("{}{compared}", f.message)));
                    }
                }
                let _ = writeln!(suites, "  </testsuite>");
            }
        }
    }
    format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nianbao\" tests=\"{total}\" failures=\"{failed}\" errors=\"{errors}\">\n{suites}</testsuites>\n")
}
