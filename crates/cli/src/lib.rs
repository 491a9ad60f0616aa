//! The `nianbao` command line, as a library so that tests run it in-process.
//!
//! `run` parses the arguments, runs a command and returns the exit code: for `audit`, 0 when
//! no finding reaches `--fail-on` (default: error), 1 when one does, 2 when nothing could be
//! audited or on usage errors.

mod config;
mod inputs;
mod output;
mod rules_cmd;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao_model::{report_organ_key, Report, Severity};
use nianbao_rules::RuleSet;
use nianbao_scorecard::{
    audit_csv, audit_json, compare_with_baseline, extract_csv, extract_json, render_html,
    render_junit, render_markdown, render_sarif, render_terminal, render_xlsx, score, Audited,
    AuditedReport, Baseline, RuleMeta, ScoringConfig, TerminalOptions,
};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "nianbao",
    version,
    about = "Audit Chinese government information-disclosure annual reports (政府信息公开工作年度报告)"
)]
struct Cli {
    /// More log output on stderr (-v: info, -vv: debug).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check reports: tables that do not add up, missing parts, wrong template, text against tables, dates.
    Audit {
        /// Report files or folders (searched recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = AuditFormat::Terminal)]
        format: AuditFormat,
        /// Rule packs to use instead of the built-in ones (a .toml file or a folder of them; repeatable).
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
        /// Configuration file (default: ./nianbao.toml if present).
        #[arg(long)]
        config: Option<PathBuf>,
        /// Last year's reports (files or folders) for cross-year rules; not audited themselves.
        #[arg(long)]
        previous: Vec<PathBuf>,
        /// An earlier `audit --format json`: mark findings new or unchanged, list the fixed ones.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Lowest severity that makes the exit code 1.
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// Only the summary line of each report (terminal format).
        #[arg(short, long)]
        quiet: bool,
        /// Write the output to this file (atomically) instead of stdout.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Print what nianbao reads from reports: organ, year, era, parts and every table cell.
    Extract {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// List, explain and test rule packs.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// Every rule: id, severity, family, title.
    List {
        /// Packs to list instead of the built-in ones.
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
    /// Everything about one rule.
    Explain {
        id: String,
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
    /// Run the rules' fixtures: DIR/*.toml packs with DIR/fixtures/*.toml (default: the built-in ones).
    Test { dir: Option<PathBuf> },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
enum AuditFormat {
    Terminal,
    Json,
    Csv,
    Xlsx,
    Html,
    Sarif,
    Junit,
    Markdown,
}
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
enum ExtractFormat {
    Json,
    Csv,
    Xlsx,
}
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_TROUBLE: i32 = 2;

/// Runs the command line; `args[0]` is the program name.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = write!(err, "{e}");
            return if e.use_stderr() {
                EXIT_TROUBLE
            } else {
                EXIT_CLEAN
            };
        }
    };
    init_logging(cli.verbose);
    match cli.command {
        Command::Audit {
            paths,
            format,
            rules,
            config,
            previous,
            baseline,
            fail_on,
            quiet,
            output,
        } => {
            let auditor = match configured(&rules, config.as_deref()) {
                Ok(r) => r,
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_TROUBLE;
                }
            };
            let baseline = match baseline.as_deref().map(Baseline::load).transpose() {
                Ok(b) => b,
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_TROUBLE;
                }
            };
            let mut results = audit_paths(&paths, &previous, &auditor, err);
            if let Some(baseline) = &baseline {
                compare_with_baseline(&mut results, baseline);
            }
            let rules_meta = rule_meta(&auditor.rules);
            let text: Vec<u8> = match format {
                AuditFormat::Json => pretty(&audit_json(&results)).into_bytes(),
                AuditFormat::Markdown => render_markdown(&results).into_bytes(),
                AuditFormat::Csv => audit_csv(&results).into_bytes(),
                AuditFormat::Html => render_html(&results).into_bytes(),
                AuditFormat::Sarif => pretty(&render_sarif(
                    &results,
                    &rules_meta,
                    env!("CARGO_PKG_VERSION"),
                ))
                .into_bytes(),
                AuditFormat::Junit => render_junit(&results, fail_on.threshold()).into_bytes(),
                AuditFormat::Xlsx => match render_xlsx(&results, true) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let _ = writeln!(err, "error: cannot write the workbook: {e}");
                        return EXIT_TROUBLE;
                    }
                },
                AuditFormat::Terminal => {
                    let color = output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none();
                    render_terminal(&results, TerminalOptions { color, quiet }).into_bytes()
                }
            };
            if let Err(code) = emit(&text, output.as_deref(), out, err) {
                return code;
            }
            exit_code(&results, fail_on.threshold())
        }
        Command::Extract {
            paths,
            format,
            output,
        } => {
            let auditor = Auditor {
                rules: RuleSet::default(),
                scoring: ScoringConfig::default(),
            };
            let results = audit_paths(&paths, &[], &auditor, err);
            let bytes = match format {
                ExtractFormat::Json => pretty(&extract_json(&results)).into_bytes(),
                ExtractFormat::Csv => extract_csv(&results).into_bytes(),
                ExtractFormat::Xlsx => match render_xlsx(&results, false) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        let _ = writeln!(err, "error: cannot write the workbook: {e}");
                        return EXIT_TROUBLE;
                    }
                },
            };
            if let Err(code) = emit(&bytes, output.as_deref(), out, err) {
                return code;
            }
            if results.iter().any(|r| r.outcome.is_ok()) {
                EXIT_CLEAN
            } else {
                EXIT_TROUBLE
            }
        }
        Command::Rules { command } => match command {
            RulesCommand::List { rules } => rules_cmd::list(&rules, out, err),
            RulesCommand::Explain { id, rules } => rules_cmd::explain(&id, &rules, out, err),
            RulesCommand::Test { dir } => rules_cmd::test(dir.as_deref(), out, err),
        },
    }
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(level))
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

fn emit(
    text: &[u8],
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<(), i32> {
    let written = match output {
        Some(path) => output::write_atomically(path, text),
        None => out.write_all(text),
    };
    written.map_err(|e| {
        let target = output.map_or("stdout".to_string(), |p| p.display().to_string());
        let _ = writeln!(err, "error: cannot write {target}: {e}");
        EXIT_TROUBLE
    })
}

/// The built-in packs, or exactly the packs given.
pub fn load_rules(paths: &[PathBuf]) -> Result<RuleSet, nianbao_rules::RuleError> {
    if paths.is_empty() {
        RuleSet::builtin()
    } else {
        RuleSet::load(paths)
    }
}

/// What renderers need to know of the rules.
fn rule_meta(rules: &RuleSet) -> Vec<RuleMeta> {
    rules
        .rules()
        .map(|r| RuleMeta {
            id: r.id.clone(),
            title: r.title.clone(),
            family: r.family.to_string(),
            severity: r.severity.to_string(),
            doc: r.doc.clone(),
            legal: r.legal.clone(),
        })
        .collect()
}

/// What an audit runs: the rule packs (with the configuration applied) and the scoring.
pub struct Auditor {
    pub rules: RuleSet,
    pub scoring: ScoringConfig,
}

/// The packs and scoring, with the configuration file (given, or ./nianbao.toml) applied.
fn configured(paths: &[PathBuf], config: Option<&Path>) -> Result<Auditor, String> {
    let mut rules = load_rules(paths).map_err(|e| e.to_string())?;
    let mut scoring = ScoringConfig::default();
    if let Some(path) = config::locate(config) {
        let (config, score_config) = config::load(&path)?;
        rules
            .configure(&config)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        scoring = score_config;
    }
    Ok(Auditor { rules, scoring })
}

/// A report read from a file, with its lines for excerpts.
pub struct Parsed {
    pub report: Report,
    pub lines: Vec<String>,
}

/// Reads and parses one file.
pub fn parse_file(path: &Path) -> Result<Parsed, String> {
    let doc = nianbao_ingest::read_path(path, nianbao_ingest::DEFAULT_MAX_BYTES)
        .map_err(|e| e.to_string())?;
    parse_document(doc)
}

/// Parses bytes already in memory; `name` names them in spans and messages.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Parsed, String> {
    parse_document(nianbao_ingest::from_bytes(name, bytes).map_err(|e| e.to_string())?)
}

fn parse_document(doc: nianbao_ingest::Document) -> Result<Parsed, String> {
    let report = nianbao_parse::parse(&doc);
    if !report.no_text_layer
        && report.title.is_none()
        && report.year.is_none()
        && report.tables.is_empty()
    {
        return Err(
            "not recognised as an annual report: no report title, year or statistical table found"
                .into(),
        );
    }
    let lines = doc
        .lines()
        .iter()
        .map(|l| doc.line_text(l).to_string())
        .collect();
    Ok(Parsed { report, lines })
}

/// Checks and scores a parsed report.
pub fn audit_report(parsed: Parsed, previous: Option<&Report>, auditor: &Auditor) -> AuditedReport {
    let findings = auditor.rules.check_with_previous(&parsed.report, previous);
    let caps: BTreeMap<String, f64> = auditor
        .rules
        .rules()
        .filter_map(|r| Some((r.id.clone(), r.max_deduction?)))
        .collect();
    let score = score(&findings, &caps, &auditor.scoring);
    AuditedReport::new(parsed.report, findings, score, parsed.lines)
}

/// Audits every file under `paths`; reports under `previous` only serve as last year's.
/// A file that fails becomes an error entry and the batch goes on.
pub fn audit_paths(
    paths: &[PathBuf],
    previous: &[PathBuf],
    auditor: &Auditor,
    err: &mut dyn Write,
) -> Vec<Audited> {
    let (files, input_errors) = inputs::collect(paths);
    let mut results: Vec<Audited> = input_errors
        .into_iter()
        .map(|e| Audited {
            file: e.path.display().to_string(),
            outcome: Err(e.reason),
        })
        .collect();
    if files.is_empty() && results.is_empty() {
        let _ = writeln!(
            err,
            "error: no report files found (looked for .txt, .md, .html, .pdf, .docx)"
        );
    }
    let parsed: Vec<(PathBuf, Result<Parsed, String>)> = files
        .into_iter()
        .map(|f| {
            let p = parse_file(&f);
            (f, p)
        })
        .collect();
    let earlier: Vec<Report> = if previous.is_empty() {
        Vec::new()
    } else {
        inputs::collect(previous)
            .0
            .iter()
            .filter_map(|f| parse_file(f).ok())
            .map(|p| p.report)
            .collect()
    };
    // Each organ's reports by year, from the batch itself and from --previous; a report is
    // compared with the latest earlier one (rules say how many years back they accept).
    let mut by_organ: BTreeMap<String, BTreeMap<i32, Report>> = BTreeMap::new();
    let batch_reports = parsed
        .iter()
        .filter_map(|(_, p)| p.as_ref().ok())
        .map(|p| &p.report);
    for report in earlier.iter().chain(batch_reports) {
        if let (Some(organ), Some(year)) = (report_organ_key(report), report.year) {
            by_organ
                .entry(organ)
                .or_default()
                .entry(year)
                .or_insert_with(|| report.clone());
        }
    }
    let progress = std::io::stderr().is_terminal() && parsed.len() > 1;
    let total = parsed.len();
    for (done, (file, outcome)) in parsed.into_iter().enumerate() {
        if progress {
            eprint!("\r审查中 {}/{total}", done + 1);
        }
        let outcome = outcome.map(|p| {
            let last = report_organ_key(&p.report)
                .zip(p.report.year)
                .and_then(|(organ, year)| {
                    by_organ
                        .get(&organ)?
                        .range(..year)
                        .next_back()
                        .map(|(_, r)| r)
                });
            audit_report(p, last, auditor)
        });
        if let Err(e) = &outcome {
            tracing::info!(file = %file.display(), "not audited: {e}");
        }
        results.push(Audited {
            file: file.display().to_string(),
            outcome,
        });
    }
    if progress {
        eprint!("\r\x1b[K");
    }
    results
}

fn exit_code(results: &[Audited], threshold: Option<Severity>) -> i32 {
    if !results.iter().any(|r| r.outcome.is_ok()) {
        return EXIT_TROUBLE;
    }
    let failing = threshold.is_some_and(|t| {
        results
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok())
            .flat_map(|a| &a.findings)
            .any(|f| f.severity >= t)
    });
    if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}
