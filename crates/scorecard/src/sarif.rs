//! SARIF 2.1.0 for code-scanning tools: rule metadata with help text, one result per
//! finding with its location and a stable fingerprint.

use crate::table::RuleMeta;
use crate::Audited;

use serde_json::{json, Value};

fn level(s: &str) -> &'static str {
    match s {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

/// A file name as a SARIF artifact location: a relative path relative to `%SRCROOT%` (the
/// checkout, for code-scanning services to place it), an absolute one as a file URI; spaces
/// and % escaped.
fn artifact(path: &str) -> Value {
    let escaped = path
        .replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20");
    match escaped.starts_with('/') {
        true => json!({"uri": format!("file://{escaped}")}),
        false => json!({"uri": escaped.trim_start_matches("./"), "uriBaseId": "%SRCROOT%"}),
    }
}

pub fn sarif(results: &[Audited], rules: &[RuleMeta], version: &str) -> Value {
    let index = |id: &str| rules.iter().position(|r| r.id == id);
    let rule_json: Vec<Value> = rules
        .iter()
        .map(|r| {
            let help = [r.doc.as_deref(), r.legal.as_deref().map(|l| format!("依据: {l}")).as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
            json!({
                "id": r.id,
                "name": r.id.replace('.', "_"),
                "shortDescription": {"text": r.title},
                "fullDescription": {"text": if help.is_empty() { r.title.clone() } else { format!("{}。{}", r.title, help) }},
                "help": {"text": if help.is_empty() { r.title.clone() } else { help }},
                "defaultConfiguration": {"level": level(&r.severity)},
                "properties": {"family": r.family, "tags": [r.family]},
            })
        })
        .collect();
    let mut out = Vec::new();
    let mut notifications = Vec::new();
    for r in results {
        let a = match &r.outcome {
            Ok(a) => a,
            Err(e) => {
                notifications.push(json!({
                    "level": "error",
                    "message": {"text": format!("{}: {e}", r.file)},
                    "locations": [{"physicalLocation": {"artifactLocation": artifact(&r.file)}}],
                }));
                continue;
            }
        };
        for (i, f) in a.findings.iter().enumerate() {
            // A finding about the whole report (a missing part, no date) points at its start.
            let (line, column) = f
                .span
                .filter(|s| s.line > 0)
                .map_or((1, 1), |s| (s.line, s.column));
            let location = json!({"physicalLocation": {
                "artifactLocation": artifact(&r.file),
                "region": {"startLine": line, "startColumn": column},
            }});
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity.as_str()),
                "message": {"text": f.message},
                "locations": [location],
                "partialFingerprints": {"nianbao/v1": a.fingerprints[i]},
                "properties": {"cells": f.cells, "section": f.section.map(|s| s.numeral()), "family": f.family, "fault": f.fault.as_str()},
            });
            if let Some(reason) = &f.fault_reason {
                result["properties"]["fault_reason"] = json!(reason);
            }
            if let Some(k) = index(&f.rule) {
                result["ruleIndex"] = json!(k);
            }
            if let Some(other) = f.compared_with() {
                result["relatedLocations"] = json!([{
                    "id": 1,
                    "physicalLocation": {"artifactLocation": artifact(other)},
                    "message": {"text": "the report compared with"},
                }]);
            }
            if let Some(status) = a.status(i) {
                result["baselineState"] = json!(if status == crate::BaselineStatus::New {
                    "new"
                } else {
                    "unchanged"
                });
            }
            out.push(result);
        }
    }

    json!({
        "version": "2.1.0",
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "runs": [{
            "tool": {"driver": {
                "name": "nianbao",
                "version": version,
                "informationUri": "https://example.invalid/nianbao",
                "rules": rule_json,
            }},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": true, "toolExecutionNotifications": notifications}],
            "results": out,
        }]
    })
}
