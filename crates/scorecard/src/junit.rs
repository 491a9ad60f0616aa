//! JUnit XML for CI dashboards: a test suite per report, a failing test case per finding at
//! or above the threshold (others pass), an error case for a file that could not be read.

use crate::streamed::{render_whole, BatchFormat};
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

/// JUnit as a batch format: a report's suite as it comes, the totals noted for the head.
/// `threshold`: the lowest severity that fails a case (like `--fail-on`).
pub struct JunitFormat {
    threshold: Option<Severity>,
    /// Cases, failures and errors over all the suites.
    totals: Counts,
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
}

impl JunitFormat {
    pub fn new(threshold: Option<Severity>) -> JunitFormat {
        JunitFormat {
            threshold,
            totals: Counts::default(),
        }
    }

    /// A report's suite's counts: a case per finding (one for none), failing at or above
    /// the threshold; one erring case for a file that could not be read.
    fn counts(&self, r: &Audited) -> Counts {
        match &r.outcome {
            Err(_) => Counts {
                tests: 1,
                failures: 0,
                errors: 1,
            },
            Ok(a) => Counts {
                tests: a.findings.len().max(1),
                failures: a
                    .findings
                    .iter()
                    .filter(|f| crate::fails(f, self.threshold))
                    .count(),
                errors: 0,
            },
        }
    }
}

impl BatchFormat for JunitFormat {
    fn part(&self, _: usize, r: &Audited) -> String {
        let name = xml_escape(&r.file);
        let Counts {
            tests, failures, ..
        } = self.counts(r);
        let a = match &r.outcome {
            Err(e) => {
                return format!(
                    "  <testsuite name=\"{name}\" tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase name=\"read\" classname=\"{name}\"><error message=\"{}\"/></testcase>\n  </testsuite>\n",
                    xml_escape(e)
                );
            }
            Ok(a) => a,
        };
        let mut suite = format!(
            "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n"
        );
        if a.findings.is_empty() {
            let _ = writeln!(suite, "    <testcase name=\"audit\" classname=\"{name}\"/>");
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
            if crate::fails(f, self.threshold) {
                let _ = writeln!(
                    suite,
                    "    <testcase name=\"{}\" classname=\"{name}\"><failure type=\"{}\" message=\"{}\">{}</failure></testcase>",
                    xml_escape(&case),
                    f.severity,
                    xml_escape(&f.message),
                    xml_escape(&format!("{}{compared}", f.cells.join(" ")))
                );
            } else {
                let _ = writeln!(suite, "    <testcase name=\"{}\" classname=\"{name}\"><system-out>{}</system-out></testcase>", xml_escape(&case), xml_escape(&format!("{}{compared}", f.message)));
            }
        }
        suite.push_str("  </testsuite>\n");
        suite
    }

    fn note(&mut self, r: &Audited) {
        let counts = self.counts(r);
        self.totals.tests += counts.tests;
        self.totals.failures += counts.failures;
        self.totals.errors += counts.errors;
    }

    fn frame(&self, _: bool) -> (String, String) {
        let Counts {
            tests,
            failures,
            errors,
        } = self.totals;
        (
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"nianbao\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n"),
            "</testsuites>\n".to_string(),
        )
    }
}

/// `threshold`: the lowest severity that fails a case (like `--fail-on`).
pub fn junit(results: &[Audited], threshold: Option<Severity>) -> String {
    render_whole(&mut JunitFormat::new(threshold), results)
}
