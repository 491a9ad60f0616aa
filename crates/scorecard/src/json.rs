//! The JSON outputs of `audit` and `extract`.

use crate::{summarize, Audited, AuditedReport};
use nianbao_model::{catalog, Era, Finding, SectionId};
use serde_json::{json, Map, Value};

fn number(v: f64) -> Value {
    if v.fract() == 0.0 && v.abs() < 9e15 {
        json!(v as i64)
    } else {
        json!(v)
    }
}

fn finding_json(
    f: &Finding,
    fingerprint: &str,
    status: Option<crate::BaselineStatus>,
    review: Option<&crate::Review>,
) -> Value {
    let mut out = json!({
        "rule": f.rule,
        "family": f.family,
        "severity": f.severity,
        "message": f.message,
        "cells": f.cells,
        "section": f.section.map(|s| s.numeral()),
        "span": f.span.map(|s| json!({"line": s.line, "column": s.column, "start": s.start, "end": s.end})),
        "deduction": number(f.deduction),
        "fingerprint": fingerprint,
        "fault": f.fault.as_str(),
    });
    if let Some(reason) = &f.fault_reason {
        out["fault_reason"] = json!(reason);
    }
    if let Some(status) = status {
        out["baseline"] = json!(status.as_str());
    }
    if let Some(r) = review {
        out["review"] = json!({
            "decision": r.decision.as_str(),
            "reason": r.reason,
            "reviewer": r.reviewer,
            "decided": r.decided,
        });
    }
    if let Some(e) = &f.evidence {
        let mut ev = Map::new();
        if let Some(r) = e.reported {
            ev.insert("reported".into(), number(r));
        }
        if let Some(c) = e.computed {
            ev.insert("computed".into(), number(c));
        }
        if !e.contributors.is_empty() {
            ev.insert("contributors".into(), json!(e.contributors));
        }
        if !e.blank.is_empty() {
            ev.insert("blank".into(), json!(e.blank));
        }
        if let Some(t) = &e.text {
            ev.insert("text".into(), json!(t));
        }
        if let Some(other) = &e.compared_with {
            ev.insert("compared_with".into(), json!(other));
        }
        out["evidence"] = Value::Object(ev);
    }
    out
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

fn error_entry(file: &str, error: &str) -> Value {
    json!({"file": file, "error": error})
}

/// One entry of an audit's `reports`.
pub fn report_json(r: &Audited) -> Value {
    match &r.outcome {
        Ok(a) => {
            let mut m = head(&r.file, a);
            m.insert("score".into(), a.score.value().map_or(Value::Null, number));
            m.insert("grade".into(), json!(a.score.grade));
            if let Some(why) = &a.score.unscored {
                m.insert("unscored".into(), json!(why));
            }
            let deductions = a
                .score
                .deductions
                .iter()
                .map(|(id, p)| json!({"rule": id, "points": number(*p)}));
            m.insert("deductions".into(), Value::Array(deductions.collect()));
            let findings = a
                .findings
                .iter()
                .enumerate()
                .map(|(i, f)| finding_json(f, &a.fingerprints[i], a.status(i), a.review(i)));
            m.insert("findings".into(), Value::Array(findings.collect()));
            if !a.baseline.is_empty() || !a.fixed.is_empty() {
                let fixed = a.fixed.iter().map(|f| json!({"rule": f.rule, "message": f.message, "cells": f.cells, "fingerprint": f.fingerprint}));
                m.insert("fixed".into(), Value::Array(fixed.collect()));
            }
            Value::Object(m)
        }
        Err(e) => error_entry(&r.file, e),
    }
}

/// An audit's `summary`.
pub fn summary_json(s: &crate::Summary) -> Value {
    json!({"files": s.files, "audited": s.audited, "unscored": s.unscored, "failed": s.failed, "errors": s.errors, "warnings": s.warnings, "infos": s.infos})
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

pub fn extract_json(results: &[Audited]) -> Value {
    let reports: Vec<Value> = results
        .iter()
        .map(|r| match &r.outcome {
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
                        Some((f.key.to_string(), cell.value.map_or(Value::Null, number)))
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
                Value::Object(m)
            }
            Err(e) => error_entry(&r.file, e),
        })
        .collect();
    json!({ "reports": reports })
}
