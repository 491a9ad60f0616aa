//! SARIF 2.1.0 for code-scanning tools: rule metadata with help text, one result per
//! finding with its location and a stable fingerprint.
//!
//! The document is serialized from structs that borrow the audit's results (a batch of
//! 20,000 reports made a `serde_json::Value` tree of 800 MB for 60 MB of text). Fields are
//! declared in alphabetical order: the order a tree of sorted maps wrote them in, which
//! the files nianbao has written so far keep.

use crate::table::RuleMeta;
use crate::{Audited, BaselineStatus};
use nianbao_model::{Family, Finding};
use serde::Serialize;

fn level(s: &str) -> &'static str {
    match s {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

/// The whole document.
#[derive(Serialize)]
pub struct Sarif<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    invocations: [Invocation<'a>; 1],
    results: Vec<SarifResult<'a>>,
    tool: Tool<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification<'a>>,
}

/// A file that could not be audited.
#[derive(Serialize)]
struct Notification<'a> {
    level: &'static str,
    locations: [FileLocation; 1],
    message: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileLocation {
    physical_location: Physical,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Artifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

/// A file name as a SARIF artifact location: a relative path relative to `%SRCROOT%` (the
/// checkout, for code-scanning services to place it), an absolute one as a file URI; spaces
/// and % escaped.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

impl Artifact {
    fn of(path: &str) -> Artifact {
        let escaped = path
            .replace('\\', "/")
            .replace('%', "%25")
            .replace(' ', "%20");
        match escaped.starts_with('/') {
            true => Artifact {
                uri: format!("file://{escaped}"),
                uri_base_id: None,
            },
            false => Artifact {
                uri: escaped.trim_start_matches("./").to_string(),
                uri_base_id: Some("%SRCROOT%"),
            },
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_column: u32,
    start_line: u32,
}

/// `{"text": …}`, SARIF's message and description shape.
#[derive(Serialize)]
struct Text<'a> {
    text: std::borrow::Cow<'a, str>,
}

impl<'a> Text<'a> {
    fn of(text: impl Into<std::borrow::Cow<'a, str>>) -> Text<'a> {
        Text { text: text.into() }
    }
}

/// One finding.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline_state: Option<&'static str>,
    level: &'static str,
    locations: [FileLocation; 1],
    message: Text<'a>,
    partial_fingerprints: Fingerprints<'a>,
    properties: ResultProperties<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_locations: Option<[Related; 1]>,
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
}

#[derive(Serialize)]
struct Fingerprints<'a> {
    #[serde(rename = "nianbao/v1")]
    v1: &'a str,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    cells: &'a [String],
    family: &'a Family,
    fault: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    fault_reason: Option<&'a str>,
    section: Option<&'static str>,
}

/// The report a cross-report finding compared this one with.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Related {
    id: u32,
    message: Text<'static>,
    physical_location: Physical,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    information_uri: &'static str,
    name: &'static str,
    rules: Vec<Rule<'a>>,
    version: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    default_configuration: Configuration,
    full_description: Text<'a>,
    help: Text<'a>,
    id: &'a str,
    name: String,
    properties: RuleProperties<'a>,
    short_description: Text<'a>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    family: &'a str,
    tags: [&'a str; 1],
}

fn rule(r: &RuleMeta) -> Rule<'_> {
    let legal = r.legal.as_deref().map(|l| format!("依据: {l}"));
    let help = [r.doc.as_deref(), legal.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    let (full, help) = match help.is_empty() {
        true => (r.title.clone(), r.title.clone()),
        false => (format!("{}。{}", r.title, help), help),
    };
    Rule {
        default_configuration: Configuration {
            level: level(&r.severity),
        },
        full_description: Text::of(full),
        help: Text::of(help),
        id: &r.id,
        name: r.id.replace('.', "_"),
        properties: RuleProperties {
            family: &r.family,
            tags: [&r.family],
        },
        short_description: Text::of(r.title.as_str()),
    }
}

fn located(file: &str, region: Option<Region>) -> [FileLocation; 1] {
    [FileLocation {
        physical_location: Physical {
            artifact_location: Artifact::of(file),
            region,
        },
    }]
}

fn finding_result<'a>(
    file: &str,
    f: &'a Finding,
    fingerprint: &'a str,
    status: Option<BaselineStatus>,
    rule_index: Option<usize>,
) -> SarifResult<'a> {
    // A finding about the whole report (a missing part, no date) points at its start.
    let (line, column) = f
        .span
        .filter(|s| s.line > 0)
        .map_or((1, 1), |s| (s.line, s.column));
    SarifResult {
        baseline_state: status.map(|s| match s == BaselineStatus::New {
            true => "new",
            false => "unchanged",
        }),
        level: level(f.severity.as_str()),
        locations: located(
            file,
            Some(Region {
                start_column: column,
                start_line: line,
            }),
        ),
        message: Text::of(f.message.as_str()),
        partial_fingerprints: Fingerprints { v1: fingerprint },
        properties: ResultProperties {
            cells: &f.cells,
            family: &f.family,
            fault: f.fault.as_str(),
            fault_reason: f.fault_reason.as_deref(),
            section: f.section.map(|s| s.numeral()),
        },
        related_locations: f.compared_with().map(|other| {
            [Related {
                id: 1,
                message: Text::of("the report compared with"),
                physical_location: Physical {
                    artifact_location: Artifact::of(other),
                    region: None,
                },
            }]
        }),
        rule_id: &f.rule,
        rule_index,
    }
}

pub fn sarif<'a>(results: &'a [Audited], rules: &'a [RuleMeta], version: &'a str) -> Sarif<'a> {
    let index = |id: &str| rules.iter().position(|r| r.id == id);
    let mut found = Vec::new();
    let mut notifications = Vec::new();
    for r in results {
        let a = match &r.outcome {
            Ok(a) => a,
            Err(e) => {
                notifications.push(Notification {
                    level: "error",
                    locations: located(&r.file, None),
                    message: Text::of(format!("{}: {e}", r.file)),
                });
                continue;
            }
        };
        for (i, f) in a.findings.iter().enumerate() {
            let fingerprint = a.fingerprints.get(i).map_or("", String::as_str);
            found.push(finding_result(
                &r.file,
                f,
                fingerprint,
                a.status(i),
                index(&f.rule),
            ));
        }
    }
    Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        runs: [Run {
            column_kind: "unicodeCodePoints",
            invocations: [Invocation {
                execution_successful: true,
                tool_execution_notifications: notifications,
            }],
            results: found,
            tool: Tool {
                driver: Driver {
                    information_uri: "https://example.invalid/nianbao",
                    name: "nianbao",
                    rules: rules.iter().map(rule).collect(),
                    version,
                },
            },
        }],
        version: "2.1.0",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_model::{Evidence, Fault, Report, SectionId, Severity, SourceSpan};
    use std::collections::BTreeMap;

    fn finding(rule: &str, full: bool) -> Finding {
        Finding {
            rule: rule.into(),
            family: Family::RowSum,
            severity: Severity::Warning,
            message: "正文 100% 与上年相同".into(),
            cells: vec!["t3.new.total".into()],
            section: full.then_some(SectionId::Three),
            span: full.then_some(SourceSpan {
                start: 10,
                end: 20,
                line: 3,
                column: 7,
            }),
            deduction: 2.0,
            evidence: full.then(|| Evidence {
                compared_with: Some("去年/某县 2022.txt".into()),
                ..Evidence::default()
            }),
            fault: if full { Fault::Reading } else { Fault::Report },
            fault_reason: full.then(|| "读取不确定".into()),
        }
    }

    /// What a batch of one audited report (one finding with every optional part, one
    /// without) and one unreadable file writes.
    fn written(rules: &[RuleMeta]) -> String {
        let findings = vec![finding("A.ONE", true), finding("B.TWO", false)];
        let score = crate::score(
            &findings,
            &BTreeMap::new(),
            &crate::ScoringConfig::default(),
        );
        let mut audited =
            crate::AuditedReport::new(Report::default(), findings, score, BTreeMap::new());
        audited.baseline = vec![BaselineStatus::New, BaselineStatus::Unchanged];
        let results = [
            Audited {
                file: "./报告 100%/甲.txt".into(),
                outcome: Ok(audited),
            },
            Audited {
                file: "/abs/乙.pdf".into(),
                outcome: Err("truncated".into()),
            },
        ];
        serde_json::to_string_pretty(&sarif(&results, rules, "9.9")).expect("serializes")
    }

    #[test]
    fn the_document_is_written_with_its_keys_in_order_as_a_tree_of_maps_wrote_it() {
        let rules = [RuleMeta {
            id: "A.ONE".into(),
            title: "标题".into(),
            family: "row_sum".into(),
            severity: "warning".into(),
            doc: Some("说明".into()),
            legal: Some("条例".into()),
        }];
        let text = written(&rules);
        // A `Value` sorts its keys: written again, the text is the same only if every
        // struct declares its fields in that order.
        let tree: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(
            serde_json::to_string_pretty(&tree).expect("serializes"),
            text
        );
        let result = &tree["runs"][0]["results"][0];
        assert_eq!(result["baselineState"], "new");
        assert_eq!(result["ruleIndex"], 0);
        assert_eq!(result["properties"]["fault_reason"], "读取不确定");
        assert_eq!(result["properties"]["section"], "三");
        assert_eq!(
            result["locations"][0]["physicalLocation"]["region"],
            serde_json::json!({"startColumn": 7, "startLine": 3})
        );
        assert_eq!(
            result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "去年/某县%202022.txt"
        );
        let bare = &tree["runs"][0]["results"][1];
        assert_eq!(bare["baselineState"], "unchanged");
        assert!(bare.get("ruleIndex").is_none() && bare.get("relatedLocations").is_none());
        assert_eq!(bare["properties"]["section"], serde_json::Value::Null);
        let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "报告%20100%25/甲.txt");
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let notice = &tree["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
        assert_eq!(
            notice["locations"][0]["physicalLocation"]["artifactLocation"],
            serde_json::json!({"uri": "file:///abs/乙.pdf"})
        );
        let rule = &tree["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["help"]["text"], "说明\n依据: 条例");
        assert_eq!(rule["fullDescription"]["text"], "标题。说明\n依据: 条例");
        assert_eq!(rule["name"], "A_ONE");
    }
}
