//! The JSON outputs of `audit` and `extract`.

use crate::{summarize, Audited, AuditedReport};
use nianbao_model::{catalog, Era, Finding, SectionId};
use serde::{Serialize, Serializer};
use serde_json::{json, Map, Value};

/// A number as the outputs print it: whole numbers without a decimal point.
struct Num(f64);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.fract() == 0.0 && self.0.abs() < 9e15 {
            true => serializer.serialize_i64(self.0 as i64),
            false => serializer.serialize_f64(self.0),
        }
    }
}

// The audit's entries are written straight from these (no tree of values built first).
// Their fields are in the order of their names, the order the JSON has always had.

/// One entry of an audit's `reports`: a report's findings and score, or why it could not be
/// read.
#[derive(Serialize)]
#[serde(untagged)]
pub enum ReportEntry<'a> {
    Audited(AuditedEntry<'a>),
    Failed { error: &'a str, file: &'a str },
}

#[derive(Serialize)]
pub struct AuditedEntry<'a> {
    deductions: Vec<DeductionEntry<'a>>,
    era: Option<&'static str>,
    file: &'a str,
    findings: Vec<FindingEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<Vec<FixedEntry<'a>>>,
    grade: &'a str,
    level: Option<&'static str>,
    organ: &'a Option<String>,
    published: Option<String>,
    score: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unscored: Option<&'a str>,
    year: Option<i32>,
}

#[derive(Serialize)]
struct DeductionEntry<'a> {
    points: Num,
    rule: &'a str,
}

#[derive(Serialize)]
struct FixedEntry<'a> {
    cells: &'a [String],
    fingerprint: &'a str,
    message: &'a str,
    rule: &'a str,
}

#[derive(Serialize)]
struct FindingEntry<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<&'static str>,
    cells: &'a [String],
    deduction: Num,
    #[serde(skip_serializing_if = "Option::is_none")]
    evidence: Option<EvidenceEntry<'a>>,
    family: &'a nianbao_model::Family,
    fault: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fault_reason: Option<&'a str>,
    fingerprint: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<ReviewEntry<'a>>,
    rule: &'a str,
    section: Option<&'static str>,
    severity: &'a nianbao_model::Severity,
    span: Option<SpanEntry>,
}

#[derive(Serialize)]
struct SpanEntry {
    column: u32,
    end: usize,
    line: u32,
    start: usize,
}

#[derive(Serialize)]
struct ReviewEntry<'a> {
    decided: &'a str,
    decision: &'static str,
    reason: &'a str,
    reviewer: &'a str,
}

#[derive(Serialize)]
struct EvidenceEntry<'a> {
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    blank: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    compared_with: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    computed: Option<Num>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    contributors: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    reported: Option<Num>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

fn finding_entry<'a>(
    f: &'a Finding,
    fingerprint: &'a str,
    status: Option<crate::BaselineStatus>,
    review: Option<&'a crate::Review>,
) -> FindingEntry<'a> {
    FindingEntry {
        baseline: status.map(|s| s.as_str()),
        cells: &f.cells,
        deduction: Num(f.deduction),
        evidence: f.evidence.as_ref().map(|e| EvidenceEntry {
            blank: &e.blank,
            compared_with: e.compared_with.as_deref(),
            computed: e.computed.map(Num),
            contributors: &e.contributors,
            reported: e.reported.map(Num),
            text: e.text.as_deref(),
        }),
        family: &f.family,
        fault: f.fault.as_str(),
        fault_reason: f.fault_reason.as_deref(),
        fingerprint,
        message: &f.message,
        review: review.map(|r| ReviewEntry {
            decided: &r.decided,
            decision: r.decision.as_str(),
            reason: &r.reason,
            reviewer: &r.reviewer,
        }),
        rule: &f.rule,
        section: f.section.map(|s| s.numeral()),
        severity: &f.severity,
        span: f.span.map(|s| SpanEntry {
            column: s.column,
            end: s.end,
            line: s.line,
            start: s.start,
        }),
    }
}

fn head(file: &str, a: &AuditedReport) -> Map<String, Value> {
    let r = &a.report;
    let mut m = Map::new();
    m.insert("file".into(), json!(file));
    m.insert("organ".into(), json!(r.organ));
    m.insert("level".into(), json!(r.level.map(|l| l.as_str())));
    m.insert("year".into(), json!(r.year));
    m.insert("era".into(), json!(r.era.map(|e| e.as_str())));
    m.insert(
        "published".into(),
        json!(r.published.map(|d| d.to_string())),
    );
    m
}

/// One entry of an audit's `reports`.
pub fn report_json(r: &Audited) -> ReportEntry<'_> {
    let a = match &r.outcome {
        Ok(a) => a,
        Err(e) => {
            return ReportEntry::Failed {
                error: e,
                file: &r.file,
            }
        }
    };
    let report = &a.report;
    let findings = a.findings.iter().enumerate();
    let has_baseline = !a.baseline.is_empty() || !a.fixed.is_empty();
    ReportEntry::Audited(AuditedEntry {
        deductions: a
            .score
            .deductions
            .iter()
            .map(|(id, p)| DeductionEntry {
                points: Num(*p),
                rule: id,
            })
            .collect(),
        era: report.era.map(|e| e.as_str()),
        file: &r.file,
        findings: findings
            .map(|(i, f)| finding_entry(f, &a.fingerprints[i], a.status(i), a.review(i)))
            .collect(),
        fixed: has_baseline.then(|| {
            a.fixed
                .iter()
                .map(|f| FixedEntry {
                    cells: &f.cells,
                    fingerprint: &f.fingerprint,
                    message: &f.message,
                    rule: &f.rule,
                })
                .collect()
        }),
        grade: &a.score.grade,
        level: report.level.map(|l| l.as_str()),
        organ: &report.organ,
        published: report.published.map(|d| d.to_string()),
        score: a.score.value().map(Num),
        unscored: a.score.unscored.as_deref(),
        year: report.year,
    })
}

/// One entry of an audit's `reports` as pretty-printed JSON (two spaces a level) whose lines
/// after the first start with `margin`: written in place inside the enclosing document.
pub fn report_json_text(r: &Audited, margin: &str) -> String {
    pretty_in_place(&report_json(r), margin)
}

/// A value pretty-printed as serde_json does (two spaces a level), every line after the
/// first starting with `margin`: the text it has inside an enclosing document.
pub(crate) fn pretty_in_place(value: &impl Serialize, margin: &str) -> String {
    let mut out = Vec::new();
    let mut writer = serde_json::Serializer::with_formatter(
        &mut out,
        IndentedPretty {
            margin: margin.as_bytes(),
            level: 0,
            has_value: false,
        },
    );
    match value.serialize(&mut writer) {
        // serde_json writes UTF-8 only.
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// serde_json's `PrettyFormatter` with every line after the first starting with a margin.
struct IndentedPretty<'a> {
    margin: &'a [u8],
    level: usize,
    has_value: bool,
}

impl IndentedPretty<'_> {
    fn new_line<W: ?Sized + std::io::Write>(&self, w: &mut W, comma: bool) -> std::io::Result<()> {
        w.write_all(if comma { b",\n" } else { b"\n" })?;
        w.write_all(self.margin)?;
        (0..self.level).try_for_each(|_| w.write_all(b"  "))
    }

    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, mark: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(mark)
    }

    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, mark: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.new_line(w, false)?;
        }
        w.write_all(mark)
    }
}

impl serde_json::ser::Formatter for IndentedPretty<'_> {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, !first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.new_line(w, !first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// An audit's JSON as a batch format (the workbench's export): its reports one by one, the
/// summary at the end — the text `audit_json` pretty-prints to.
#[derive(Default)]
pub struct JsonFormat {
    summary: crate::Summary,
}

impl crate::BatchFormat for JsonFormat {
    fn part(&self, _: usize, r: &Audited) -> String {
        format!("\n    {}", report_json_text(r, "    "))
    }

    fn separator(&self) -> &'static str {
        ","
    }

    fn note(&mut self, r: &Audited) {
        self.summary.add(r);
    }

    fn frame(&self, any_part: bool) -> (String, String) {
        let close = if any_part { "\n  ]" } else { "]" };
        let summary = summary_json_text(&self.summary);
        (
            REPORTS_OPEN.to_string(),
            format!("{close},\n  \"summary\": {summary}\n}}"),
        )
    }
}

/// How an audit's or extraction's JSON opens: its list of reports.
pub const REPORTS_OPEN: &str = "{\n  \"reports\": [";

/// An audit's `summary` as it stands in the pretty-printed document, one level in.
pub fn summary_json_text(s: &crate::Summary) -> String {
    serde_json::to_string_pretty(&summary_json(s))
        .unwrap_or_default()
        .replace('\n', "\n  ")
}

/// An audit's `summary`.
pub fn summary_json(s: &crate::Summary) -> Value {
    json!({"files": s.files, "audited": s.audited, "unscored": s.unscored, "failed": s.failed, "errors": s.errors, "warnings": s.warnings, "infos": s.infos, "to_review": s.to_review})
}

pub fn audit_json(results: &[Audited]) -> Value {
    json!({
        "reports": results.iter().map(report_json).collect::<Vec<_>>(),
        "summary": summary_json(&summarize(results)),
    })
}

/// Where organ, year and level were read: each source's reading, whether it agrees with
/// the chosen value, and why where it is not obvious.
fn identity_json(report: &nianbao_model::Report) -> Value {
    let readings = report.identity.iter().map(|r| {
        let mut m = Map::new();
        m.insert("field".into(), json!(r.field));
        m.insert("source".into(), json!(r.source.as_str()));
        m.insert("value".into(), json!(r.value));
        if let Some(span) = r.span {
            m.insert("line".into(), json!(span.line));
            m.insert("column".into(), json!(span.column));
        }
        m.insert("agrees".into(), json!(r.agrees));
        if let Some(note) = &r.note {
            m.insert("note".into(), json!(note));
        }
        Value::Object(m)
    });
    Value::Array(readings.collect())
}

/// What `extract --format json` lists of one file: its cells, how each was read, its parts
/// and identity readings; or why it could not be read.
pub fn extract_entry(r: &Audited) -> Value {
    match &r.outcome {
        Ok(a) => {
            let report = &a.report;
            let mut m = head(&r.file, a);
            let sections = match report.era {
                Some(Era::Y2019 | Era::Y2021) => {
                    let map: Map<String, Value> = SectionId::ALL
                        .iter()
                        .map(|id| (id.numeral().to_string(), json!(report.has_section(*id))))
                        .collect();
                    Value::Object(map)
                }
                _ => Value::Null,
            };
            m.insert("sections".into(), sections);
            // Cells in catalogue order, so that the output reads like the tables.
            let cells: Map<String, Value> = catalog()
                .fields()
                .iter()
                .filter_map(|f| {
                    let cell = report.cells.get(f.key)?;
                    Some((f.key.to_string(), json!(cell.value.map(Num))))
                })
                .collect();
            m.insert("cells".into(), Value::Object(cells));
            // How each cell was read, what else it could have been, and values no cell took.
            let read: Map<String, Value> = report
                .cells
                .iter()
                .map(|(k, c)| (k.to_string(), json!(c.read.as_str())))
                .collect();
            m.insert("read".into(), Value::Object(read));
            let notes: Map<String, Value> = report
                .cells
                .iter()
                .filter_map(|(k, c)| {
                    let note = [c.recovered.as_deref(), c.alternative.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join("; ");
                    (!note.is_empty()).then(|| (k.to_string(), json!(note)))
                })
                .collect();
            m.insert("notes".into(), Value::Object(notes));
            let unplaced: Vec<Value> = report
                .unplaced
                .iter()
                .map(|u| {
                    json!({"table": u.table.name(), "text": u.text, "row": u.row,
                           "line": u.span.line, "column": u.span.column})
                })
                .collect();
            m.insert("unplaced".into(), Value::Array(unplaced));
            m.insert("organ_aliases".into(), json!(report.organ_aliases));
            m.insert("identity".into(), identity_json(report));
            // Only when so: every cell was recognised from a scan's page images.
            if report.ocr_layer {
                m.insert("ocr_layer".into(), json!(true));
            }
            Value::Object(m)
        }
        Err(e) => json!(ReportEntry::Failed {
            error: e,
            file: &r.file,
        }),
    }
}

/// One entry of an extraction's `reports`, pretty-printed in place (see `pretty_in_place`).
pub fn extract_entry_text(r: &Audited, margin: &str) -> String {
    pretty_in_place(&extract_entry(r), margin)
}

pub fn extract_json(results: &[Audited]) -> Value {
    json!({ "reports": results.iter().map(extract_entry).collect::<Vec<_>>() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BaselineStatus, Decision, Fixed, Review, Score};
    use nianbao_model::{Evidence, Family, Fault, Report, Severity, SourceSpan};

    fn finding(deduction: f64, evidence: Option<Evidence>) -> Finding {
        Finding {
            rule: "T3.ROW_SUM".into(),
            family: Family::RowSum,
            severity: Severity::Error,
            message: "行 \"合计\"\n不等".into(),
            cells: vec!["t3.granted.total".into(), "t3.granted.natural".into()],
            section: Some(SectionId::Three),
            span: Some(SourceSpan {
                start: 10,
                end: 14,
                line: 3,
                column: 5,
            }),
            deduction,
            evidence,
            fault: Fault::Reading,
            fault_reason: Some("cut from digits".into()),
        }
    }

    fn audited() -> Vec<Audited> {
        let every = Evidence {
            reported: Some(12.0),
            computed: Some(11.5),
            contributors: vec!["t3.granted.natural".into()],
            blank: vec!["t3.granted.other_org".into()],
            text: Some("共12件".into()),
            compared_with: Some("2022.txt".into()),
        };
        let report = Report {
            organ: Some("某县人民政府".into()),
            year: Some(2023),
            ..Report::default()
        };
        let score = Score {
            value: 97.5,
            grade: "优秀".into(),
            deductions: vec![("T3.ROW_SUM".into(), 2.5)],
            unscored: None,
        };
        let findings = vec![
            finding(2.5, Some(every)),
            finding(1.0, Some(Evidence::default())),
            finding(0.0, None),
        ];
        let mut full = AuditedReport::new(report, findings, score, Default::default());
        full.baseline = vec![
            BaselineStatus::New,
            BaselineStatus::Unchanged,
            BaselineStatus::New,
        ];
        full.fixed = vec![Fixed {
            fingerprint: "abc".into(),
            rule: "T2.TOTAL".into(),
            message: "gone".into(),
            cells: vec![],
        }];
        full.reviews = vec![
            Some(Review {
                decision: Decision::Misread,
                reason: "PDF".into(),
                reviewer: "王".into(),
                decided: "2026-12-01 10:00:00".into(),
            }),
            None,
        ];
        let plain = AuditedReport::new(
            Report::default(),
            vec![],
            Score::unscored("no text".into()),
            Default::default(),
        );
        vec![
            Audited {
                file: "a.txt".into(),
                outcome: Ok(full),
            },
            Audited {
                file: "b.pdf".into(),
                outcome: Ok(plain),
            },
            Audited {
                file: "c.pdf".into(),
                outcome: Err("truncated".into()),
            },
        ]
    }

    fn keys(value: &Value) -> Vec<&str> {
        value
            .as_object()
            .map(|m| m.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    #[test]
    fn entries_are_written_as_their_tree_of_values_pretty_prints_indented() {
        for a in audited() {
            let tree = serde_json::to_value(report_json(&a)).expect("an entry is JSON");
            let pretty = serde_json::to_string_pretty(&tree).expect("a tree prints");
            // A tree's keys come out sorted: the entry's fields are in that order.
            assert_eq!(report_json_text(&a, ""), pretty, "{}", a.file);
            assert_eq!(
                report_json_text(&a, "    "),
                pretty.replace('\n', "\n    "),
                "{}",
                a.file
            );
        }
    }

    #[test]
    fn entries_name_every_field() {
        let all = audited();
        let full = serde_json::to_value(report_json(&all[0])).expect("JSON");
        assert_eq!(
            keys(&full),
            [
                "deductions",
                "era",
                "file",
                "findings",
                "fixed",
                "grade",
                "level",
                "organ",
                "published",
                "score",
                "year"
            ]
        );
        assert_eq!(
            keys(&full["findings"][0]),
            [
                "baseline",
                "cells",
                "deduction",
                "evidence",
                "family",
                "fault",
                "fault_reason",
                "fingerprint",
                "message",
                "review",
                "rule",
                "section",
                "severity",
                "span"
            ]
        );
        assert_eq!(
            keys(&full["findings"][0]["evidence"]),
            [
                "blank",
                "compared_with",
                "computed",
                "contributors",
                "reported",
                "text"
            ]
        );
        assert_eq!(keys(&full["findings"][1]["evidence"]), Vec::<&str>::new());
        assert_eq!(
            keys(&full["findings"][0]["review"]),
            ["decided", "decision", "reason", "reviewer"]
        );
        assert_eq!(full["findings"][0]["deduction"], json!(2.5));
        assert_eq!(full["findings"][1]["deduction"], json!(1));
        assert!(full["findings"][2].get("evidence").is_none());
        assert!(full["findings"][2].get("review").is_none());
        assert_eq!(full["score"], json!(97.5));
        let unscored = serde_json::to_value(report_json(&all[1])).expect("JSON");
        assert_eq!(unscored["score"], Value::Null);
        assert_eq!(unscored["unscored"], json!("no text"));
        assert!(unscored.get("fixed").is_none());
        let failed = serde_json::to_value(report_json(&all[2])).expect("JSON");
        assert_eq!(failed, json!({"file": "c.pdf", "error": "truncated"}));
    }

    #[test]
    fn the_streamed_audit_json_is_what_audit_json_pretty_prints_to() {
        let all = audited();
        for results in [&all[..], &all[..1], &[]] {
            let streamed = crate::render_whole(&mut JsonFormat::default(), results);
            let whole = serde_json::to_string_pretty(&audit_json(results)).expect("JSON");
            assert_eq!(streamed, whole);
        }
    }
}
