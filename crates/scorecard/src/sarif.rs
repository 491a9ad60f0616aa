//! SARIF 2.1.0 for code-scanning tools: rule metadata with help text, one result per
//! finding with its location and a stable fingerprint.
//!
//! The document is serialized from structs that borrow the audit's results (a batch of
//! 20,000 reports made a `serde_json::Value` tree of 800 MB for 60 MB of text). Fields are
//! declared in alphabetical order: the order a tree of sorted maps wrote them in, which
//! the files nianbao has written so far keep.

use crate::json::pretty_in_place;
use crate::streamed::{render_whole, BatchFormat};
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
struct Sarif<'a> {
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
        // A possible misreading (需复核) is a note to check, not the report's error: code
        // scanning shows it without flagging the report, as `--fail-on` passes it.
        level: match f.fault {
            nianbao_model::Fault::Report => level(f.severity.as_str()),
            nianbao_model::Fault::Reading => "note",
        },
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

/// SARIF as a batch format: each report's results as it comes, the document around them
/// (the files that could not be read, the rules) at the end.
pub struct SarifFormat<'a> {
    rules: &'a [RuleMeta],
    version: &'a str,
    /// The files that could not be audited, and why.
    unread: Vec<(String, String)>,
}

/// Where a result sits in the document: `runs[0].results[i]`, four levels in.
const RESULT_MARGIN: &str = "        ";

impl<'a> SarifFormat<'a> {
    pub fn new(rules: &'a [RuleMeta], version: &'a str) -> SarifFormat<'a> {
        SarifFormat {
            rules,
            version,
            unread: Vec::new(),
        }
    }
}

impl BatchFormat for SarifFormat<'_> {
    fn part(&self, _: usize, r: &Audited) -> String {
        let Ok(a) = &r.outcome else {
            return String::new();
        };
        let index = |id: &str| self.rules.iter().position(|rule| rule.id == id);
        let mut part = String::new();
        for (i, f) in a.findings.iter().enumerate() {
            let fingerprint = a.fingerprints.get(i).map_or("", String::as_str);
            let result = finding_result(&r.file, f, fingerprint, a.status(i), index(&f.rule));
            if !part.is_empty() {
                part.push(',');
            }
            part.push('\n');
            part.push_str(RESULT_MARGIN);
            part.push_str(&pretty_in_place(&result, RESULT_MARGIN));
        }
        part
    }

    fn separator(&self) -> &'static str {
        ","
    }

    fn note(&mut self, r: &Audited) {
        if let Err(e) = &r.outcome {
            self.unread.push((r.file.clone(), e.clone()));
        }
    }

    fn frame(&self, any_part: bool) -> (String, String) {
        let notifications = self
            .unread
            .iter()
            .map(|(file, e)| Notification {
                level: "error",
                locations: located(file, None),
                message: Text::of(format!("{file}: {e}")),
            })
            .collect();
        let document = Sarif {
            schema: "https://json.schemastore.org/sarif-2.1.0.json",
            runs: [Run {
                column_kind: "unicodeCodePoints",
                invocations: [Invocation {
                    execution_successful: true,
                    tool_execution_notifications: notifications,
                }],
                results: Vec::new(),
                tool: Tool {
                    driver: Driver {
                        information_uri: "https://example.invalid/nianbao",
                        name: "nianbao",
                        rules: self.rules.iter().map(rule).collect(),
                        version: self.version,
                    },
                },
            }],
            version: "2.1.0",
        };
        let mut text = serde_json::to_string_pretty(&document).unwrap_or_default();
        text.push('\n');
        // The results go where the empty list is: keys are written in order, and a quote
        // inside a string is escaped, so this is the run's own key.
        const EMPTY: &str = "\n      \"results\": []";
        let Some(at) = text.find(EMPTY) else {
            return (text, String::new());
        };
        let (head, rest) = text.split_at(at + EMPTY.len() - 1);
        let close = match any_part {
            true => "\n      ]",
            false => "]",
        };
        (head.to_string(), format!("{close}{}", &rest[1..]))
    }
}

/// The whole SARIF document of a batch, as `SarifFormat` streams it.
pub fn sarif(results: &[Audited], rules: &[RuleMeta], version: &str) -> String {
    render_whole(&mut SarifFormat::new(rules, version), results)
}
