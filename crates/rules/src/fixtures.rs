//! Rule fixtures: small reports with the findings a rule must (or must not) give, written
//! by rule authors next to their packs (`fixtures/<RULE.ID>.toml`) and run by
//! `nianbao rules test` — the way Semgrep and Vale test rules, without any Rust.
//!
//! ```toml
//! rule = "T3.ROW_SUM"
//!
//! [[case]]
//! name = "总计 0 while 自然人 49"
//! expect = 1                       # findings of this rule
//! year = 2019
//! cells = { "t3.granted.natural" = 49, "t3.granted.total" = 0, "t3.granted.legal" = "blank" }
//! ```
//!
//! A case describes its report inline (year, era, level, published, sections, toc, pictures,
//! attachments, tables, cells, text lines) or names a report file (`file = "x.txt"`,
//! relative to the fixture).
//! Comparing rules read a second report, described the same way as `[case.previous]` (the
//! same organ's earlier report) or `[case.peer]` (another organ's report of the same year).

use crate::{Rule, RuleSet};
use nianbao_model::{
    Cell, Era, Level, PartialDate, Report, Section, SectionId, TableId, TableInfo, TextLine,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    rule: String,
    #[serde(rename = "case", default)]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum CellSpec {
    Number(f64),
    Word(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    expect: usize,
    /// Cells every finding of the rule must name (when it fires).
    #[serde(default)]
    expect_cells: Vec<String>,
    /// The severity every finding of the rule must have (when it fires).
    #[serde(default)]
    expect_severity: Option<String>,
    /// Whose fault every finding must say it is: "report" or "reading".
    #[serde(default)]
    expect_fault: Option<String>,
    #[serde(default)]
    file: Option<String>,
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    era: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    organ: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    sections: Option<Vec<String>>,
    #[serde(default)]
    toc: Vec<String>,
    /// Parts holding a picture, by numeral ("三"); "" for a picture before every part.
    #[serde(default)]
    pictures: Vec<String>,
    /// File names of the documents a web page links to.
    #[serde(default)]
    attachments: Vec<String>,
    #[serde(default)]
    tables: BTreeMap<String, String>,
    #[serde(default)]
    cells: BTreeMap<String, CellSpec>,
    #[serde(default)]
    text: Vec<String>,
    /// Where identity was read: [{ field = "year", source = "stat_period", value = "2021" }].
    #[serde(default)]
    identity: Vec<nianbao_model::IdentityReading>,
    /// A file without a text layer (a scanned PDF).
    #[serde(default)]
    no_text_layer: bool,
    /// A file whose text is a PDF's OCR layer (a scan with its recognised text).
    #[serde(default)]
    ocr_layer: bool,
    /// A file whose content is not what its name says: { extension = ".docx", content = "纯文本" }.
    #[serde(default)]
    misnamed: Option<nianbao_model::Misnamed>,
    /// The same organ's report on the year before, for cross-year rules.
    #[serde(default)]
    previous: Option<Box<Case>>,
    /// Another organ's report of the same year, for peer rules.
    #[serde(default)]
    peer: Option<Box<Case>>,
}

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub fixture: String,
    pub rule: String,
    pub case: String,
    /// `None` when the case passed; else what went wrong.
    pub failure: Option<String>,
    pub fires: bool,
}

/// All results of a fixtures run, and rules that have no failing fixture.
#[derive(Debug, Default)]
pub struct TestRun {
    pub results: Vec<CaseResult>,
    pub untested: Vec<String>,
}

impl TestRun {
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.failure.is_none()).count()
    }

    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }
}

/// Loads a report from a file named by a case (parsing lives in another crate).
pub type FileLoader<'a> = &'a dyn Fn(&Path) -> Result<Report, String>;

fn date(text: &str) -> Result<PartialDate, String> {
    let parts: Vec<&str> = text.split('-').collect();
    let num = |i: usize| {
        parts
            .get(i)
            .map(|p| p.parse::<u32>().map_err(|_| format!("bad date {text:?}")))
            .transpose()
    };
    Ok(PartialDate {
        year: num(0)?.ok_or_else(|| format!("bad date {text:?}"))? as i32,
        month: num(1)?,
        day: num(2)?,
    })
}

fn level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| {
        format!("unknown level {text:?}: expected provincial_government, city_government, county_government, township or department")
    })
}

fn section(text: &str) -> Result<SectionId, String> {
    SectionId::from_numeral(text).ok_or_else(|| format!("unknown section {text:?}"))
}

fn table(text: &str) -> Result<TableId, String> {
    match text {
        "t2" => Ok(TableId::T2),
        "t3" => Ok(TableId::T3),
        "t4" => Ok(TableId::T4),
        "old" => Ok(TableId::Old),
        other => Err(format!("unknown table {other:?}")),
    }
}

fn era(text: &str) -> Result<Era, String> {
    Era::parse(text).ok_or_else(|| format!("unknown era {text:?}"))
}

/// The report a case describes.
fn build(case: &Case, dir: &Path, loader: FileLoader) -> Result<Report, String> {
    let mut report = match &case.file {
        Some(file) => loader(&dir.join(file))?,
        None => Report::default(),
    };
    if let Some(y) = case.year {
        report.year = Some(y);
    }
    report.no_text_layer |= case.no_text_layer;
    report.ocr_layer |= case.ocr_layer;
    report.identity.extend(case.identity.iter().cloned());
    if case.misnamed.is_some() {
        report.misnamed = case.misnamed.clone();
    }
    report.era = match &case.era {
        Some(e) => Some(era(e)?),
        None => report.era.or(report.year.map(Era::for_year)),
    };
    if let Some(l) = &case.level {
        report.level = Some(level(l)?);
    }
    if let Some(o) = &case.organ {
        report.organ = Some(o.clone());
    }
    if let Some(p) = &case.published {
        report.published = Some(date(p)?);
    }
    if let Some(sections) = &case.sections {
        report.sections = sections
            .iter()
            .map(|s| {
                Ok(Section {
                    id: section(s)?,
                    title: String::new(),
                    printed_number: None,
                    span: Default::default(),
                    by_table: false,
                })
            })
            .collect::<Result<_, String>>()?;
    }
    for s in &case.toc {
        report.toc.push(section(s)?);
    }
    report.attachments.extend(case.attachments.iter().cloned());
    for s in &case.pictures {
        report.pictures.push(nianbao_model::Picture {
            span: Default::default(),
            section: match s.as_str() {
                "" => None,
                numeral => Some(section(numeral)?),
            },
        });
    }
    for (id, e) in &case.tables {
        report.tables.push(TableInfo {
            id: table(id)?,
            era: Some(era(e)?),
            span: Default::default(),
        });
    }
    let catalog = nianbao_model::catalog();
    for (key, spec) in &case.cells {
        if !catalog.contains(key) {
            return Err(format!("unknown cell key {key:?}"));
        }
        let value = match spec {
            CellSpec::Number(n) => Some(*n),
            CellSpec::Word(w) if w == "blank" => None,
            CellSpec::Word(w) => {
                return Err(format!(
                    "cell {key}: {w:?} is neither a number nor \"blank\""
                ))
            }
        };
        report.cells.insert(key, Cell::of_value(value));
    }
    for (i, line) in case.text.iter().enumerate() {
        let mut span = nianbao_model::SourceSpan {
            line: i as u32 + 1,
            column: 1,
            ..Default::default()
        };
        span.start = case.text[..i].iter().map(|l| l.len() + 1).sum();
        span.end = span.start + line.len();
        report.text.push(TextLine {
            text: line.clone(),
            span,
            section: None,
            origin: nianbao_model::LineOrigin::Copied,
        });
    }
    Ok(report)
}

fn run_case(
    rules: &RuleSet,
    rule: &Rule,
    case: &Case,
    dir: &Path,
    loader: FileLoader,
) -> Result<bool, String> {
    let report = build(case, dir, loader)?;
    let related_case =
        |c: &Option<Box<Case>>| c.as_deref().map(|p| build(p, dir, loader)).transpose();
    let (previous, peer) = (related_case(&case.previous)?, related_case(&case.peer)?);
    let related = crate::Related {
        previous: previous.as_ref(),
        peer: peer.as_ref(),
    };
    let findings: Vec<_> = rules
        .check_with(&report, related)
        .into_iter()
        .filter(|f| f.rule == rule.id)
        .collect();
    if findings.len() != case.expect {
        let got: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        return Err(format!(
            "expected {} finding(s), got {}: {got:?}",
            case.expect,
            findings.len()
        ));
    }
    for f in &findings {
        if let Some(missing) = case.expect_cells.iter().find(|c| !f.cells.contains(c)) {
            return Err(format!("finding does not name {missing}: {:?}", f.cells));
        }
        if let Some(fault) = case
            .expect_fault
            .as_deref()
            .filter(|want| *want != fault_name(f.fault))
        {
            return Err(format!(
                "expected fault {fault}, got {}",
                fault_name(f.fault)
            ));
        }
        if let Some(severity) = case
            .expect_severity
            .as_deref()
            .filter(|s| *s != f.severity.as_str())
        {
            return Err(format!("expected severity {severity}, got {}", f.severity));
        }
    }
    Ok(case.expect > 0)
}

fn fault_name(fault: nianbao_model::Fault) -> &'static str {
    match fault {
        nianbao_model::Fault::Report => "report",
        nianbao_model::Fault::Reading => "reading",
    }
}

/// Fixture files: (path, text).
pub fn run_fixtures(
    rules: &RuleSet,
    fixtures: &[(PathBuf, String)],
    loader: FileLoader,
) -> TestRun {
    let mut run = TestRun::default();
    let mut failing_tested: Vec<String> = Vec::new();
    for (path, text) in fixtures {
        let name = path.display().to_string();
        let dir = path.parent().unwrap_or(Path::new("."));
        let file: FixtureFile = match toml::from_str(text) {
            Ok(f) => f,
            Err(e) => {
                run.results.push(CaseResult {
                    fixture: name,
                    rule: String::new(),
                    case: String::new(),
                    failure: Some(format!("cannot read fixture: {e}")),
                    fires: false,
                });
                continue;
            }
        };
        let Some(rule) = rules.rule(&file.rule) else {
            run.results.push(CaseResult {
                fixture: name,
                rule: file.rule.clone(),
                case: String::new(),
                failure: Some(format!("no rule {:?} in the packs", file.rule)),
                fires: false,
            });
            continue;
        };
        for case in &file.cases {
            let (failure, fires) = match run_case(rules, rule, case, dir, loader) {
                Ok(fires) => (None, fires),
                Err(e) => (Some(e), false),
            };
            if fires {
                failing_tested.push(rule.id.clone());
            }
            run.results.push(CaseResult {
                fixture: name.clone(),
                rule: rule.id.clone(),
                case: case.name.clone(),
                failure,
                fires,
            });
        }
    }
    run.untested = rules
        .rules()
        .map(|r| r.id.clone())
        .filter(|id| !failing_tested.contains(id))
        .collect();
    run
}
