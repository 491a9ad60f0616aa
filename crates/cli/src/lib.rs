//! The `nianbao` command line, as a library so that tests run it in-process.
//!
//! `run` parses the arguments, runs a command and returns the exit code: for `audit`, 0 when
//! no finding reaches `--fail-on` (default: error), 1 when one does, 2 when nothing could be
//! audited or on usage errors.

mod batch;
mod config;
mod extract;
mod inputs;
mod output;
mod peers;
mod rules_cmd;
mod serve;
mod set_aside;
mod sink;
mod timing;
mod workbook;

pub use batch::first_pass_file;
pub use serve::CliPipeline;

use clap::{Parser, Subcommand, ValueEnum};
use nianbao_model::{Finding, Report, Severity};
use nianbao_parse::Figures;
use nianbao_plugin_api::{LoadedPlugin, PluginSpec};
use nianbao_rules::RuleSet;
use nianbao_scorecard::{
    audit_csv_rows, render_terminal_report, score, Audited, AuditedReport, Baseline,
    BaselineMatcher, RuleMeta, RuleScoring, Score, ScoringConfig, Summary, TerminalOptions,
};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "nianbao",
    version,
    about = "审查政府信息公开工作年度报告：勾稽关系、缺少的部分、格式与年度、正文与表格、发布日期"
)]
struct Cli {
    /// 在 stderr 输出更多日志（-v：info，-vv：debug）
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// 审查报告：表格勾稽关系、缺少的部分、格式与年度、正文与表格、发布日期，并评分
    Audit {
        /// 报告文件或文件夹（递归查找）
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 输出格式：terminal（问题及原文行）、json、csv、xlsx、html、sarif、junit、markdown
        #[arg(long, value_enum, default_value_t = AuditFormat::Terminal)]
        format: AuditFormat,
        /// 使用这些规则包代替内置规则（.toml 文件或其所在文件夹；可重复）
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
        /// 配置文件（默认：当前目录的 nianbao.toml，如有）
        #[arg(long)]
        config: Option<PathBuf>,
        /// 上一年度的报告（文件或文件夹），供跨年度规则比对；本身不审查
        #[arg(long)]
        previous: Vec<PathBuf>,
        /// 加载规则插件（动态库）；可重复。也可在 nianbao.toml 的 [[plugins]] 中配置
        #[arg(long = "plugin")]
        plugins: Vec<PathBuf>,
        /// 以前的 audit --format json 结果：标出新增、未变的问题，列出已修复的
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// 退出码为 1 的最低级别（error、warning、info、never）
        #[arg(long, value_enum, default_value_t = FailOn::Error)]
        fail_on: FailOn,
        /// 只有相对 --baseline 新增的问题（不低于 --fail-on）才使退出码为 1：供 CI 使用
        #[arg(long, requires = "baseline")]
        fail_on_new: bool,
        /// 每份报告只输出一行摘要（terminal 格式）
        #[arg(short, long)]
        quiet: bool,
        /// 输出写入此文件（原子写入），而不是标准输出
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 同时把这次审查作为一个批次存入工作台的数据库（SQLite 文件，见 nianbao serve）
        #[arg(long)]
        db: Option<PathBuf>,
        /// 审查后在 stderr 列出各阶段与最慢规则的用时（各线程合计）
        #[arg(long)]
        timing: bool,
        /// 没有文字层的 PDF（扫描件）及 PDF、DOCX、网页和 MHT 中可能是表格的图片用 OCR 识别（需安装 tesseract 及其中文模型、pdftoppm；每页数秒）
        #[arg(long)]
        ocr: bool,
    },
    /// 启动工作台：在浏览器中导入报告、查看排名与问题、审核问题、导出；审核结论存入数据库，重新审查后仍在
    Serve {
        /// 启动时导入并审查这些报告文件或文件夹（作为一个批次）
        paths: Vec<PathBuf>,
        /// 数据库文件（SQLite；上传的文件保存在它旁边的 NAME.files 文件夹）
        #[arg(long, default_value = "nianbao.db")]
        db: PathBuf,
        /// 监听地址；默认只允许本机访问。其他地址必须同时设 --token
        #[arg(long, default_value = "127.0.0.1:8470")]
        listen: std::net::SocketAddr,
        /// 登录令牌：监听本机以外的地址时必需
        #[arg(long)]
        token: Option<String>,
        /// 上传的单个文件的大小上限（MB）
        #[arg(long, default_value_t = 50)]
        max_upload_mb: usize,
        /// 使用这些规则包代替内置规则（.toml 文件或其所在文件夹；可重复）
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
        /// 配置文件（默认：当前目录的 nianbao.toml，如有）
        #[arg(long)]
        config: Option<PathBuf>,
        /// 加载规则插件（动态库）；可重复
        #[arg(long = "plugin")]
        plugins: Vec<PathBuf>,
    },
    /// 输出从报告中读出的内容：机关、年度、格式、各部分、每个表格单元格
    Extract {
        /// 报告文件或文件夹（递归查找）
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// 输出格式：json（每个单元格、读取方式、机关与年度的出处）、csv 或 xlsx（每份报告一行）
        #[arg(long, value_enum, default_value_t = ExtractFormat::Json)]
        format: ExtractFormat,
        /// 输出写入此文件（原子写入），而不是标准输出
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// 没有文字层的 PDF（扫描件）及 PDF、DOCX、网页和 MHT 中可能是表格的图片用 OCR 识别（需安装 tesseract 及其中文模型、pdftoppm；每页数秒）
        #[arg(long)]
        ocr: bool,
    },
    /// 列出、说明、测试规则包
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// 输出命令行补全脚本：nianbao completions bash > /etc/bash_completion.d/nianbao
    Completions {
        /// shell：bash、zsh、fish、powershell 或 elvish
        shell: clap_complete::Shell,
    },
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// 列出所有规则：编号、级别、类别、标题
    List {
        /// 列出这些规则包（代替内置规则）
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
    /// 说明一条规则：检查什么、依据、提示语
    Explain {
        /// 规则编号（如 T3.BALANCE）
        id: String,
        /// 在这些规则包中查找（代替内置规则）
        #[arg(long = "rules")]
        rules: Vec<PathBuf>,
    },
    /// 运行规则的测试用例：DIR/*.toml 与 DIR/fixtures/*.toml，或单个规则包 FILE.toml 与其旁边 fixtures/ 中的用例（默认：内置规则）
    Test {
        /// 规则包文件夹或单个规则包文件
        path: Option<PathBuf>,
    },
    /// 列出规则可用的单元格编号及其表格、行、列、适用格式
    Keys {
        /// 只列出包含此文字（编号或中文名称）的单元格
        pattern: Option<String>,
    },
    /// 列出规则类别
    Families,
    /// 列出规则种类：检查什么、字段、提示语可用的占位符
    Kinds,
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

/// The command line's definition (for completions and for tests of its help).
pub fn command() -> clap::Command {
    <Cli as clap::CommandFactory>::command()
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
            plugins,
            baseline,
            fail_on,
            fail_on_new,
            quiet,
            output,
            db,
            timing,
            ocr,
        } => {
            // Parsing's one-time set-up runs beside the loading of the rule packs, on one
            // of the threads that will parse: a regex serves the thread that searched with
            // it first from its own cache, any other thread through a shared, locked pool.
            // The audit does not wait for it: a pattern it has not compiled yet, the
            // audit's first parse compiles itself. Only a speed-up: should it fail, the
            // audit goes on.
            rayon::spawn(|| {
                let _ = std::panic::catch_unwind(nianbao_parse::warm_up);
            });
            let auditor = configured(&rules, config.as_deref(), &plugins);
            nianbao_rules::warm_up();
            let mut auditor = match auditor {
                Ok(a) => a,
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_TROUBLE;
                }
            };
            if timing {
                auditor.timing = Some(timing::Timing::new(&auditor.rules));
            }
            if let Err(e) = ask_for_ocr(ocr, &mut auditor.limits) {
                let _ = writeln!(err, "error: {e}");
                return EXIT_TROUBLE;
            }
            let baseline = match baseline.as_deref().map(Baseline::load).transpose() {
                Ok(b) => b,
                Err(e) => {
                    let _ = writeln!(err, "error: {e}");
                    return EXIT_TROUBLE;
                }
            };
            let color = output.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none();
            let how = AuditOutput {
                format,
                terminal: TerminalOptions { color, quiet },
                threshold: fail_on.threshold(),
                only_new: fail_on_new,
                db,
                config,
            };
            audit(
                &paths,
                &previous,
                &auditor,
                baseline.as_ref(),
                &how,
                output.as_deref(),
                out,
                err,
            )
        }
        Command::Extract {
            paths,
            format,
            output,
            ocr,
        } => {
            let mut auditor = extract::extraction_auditor();
            if let Err(e) = ask_for_ocr(ocr, &mut auditor.limits) {
                let _ = writeln!(err, "error: {e}");
                return EXIT_TROUBLE;
            }
            extract::extract(&paths, &auditor, format, output.as_deref(), out, err)
        }
        Command::Serve {
            paths,
            db,
            listen,
            token,
            max_upload_mb,
            rules,
            config,
            plugins,
        } => {
            let options = nianbao_workbench::Options {
                listen,
                token,
                max_file_bytes: max_upload_mb.saturating_mul(1 << 20),
                ..Default::default()
            };
            serve::serve(
                &paths,
                &db,
                options,
                (&rules, config.as_deref(), &plugins),
                out,
                err,
            )
        }
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut command(), "nianbao", out);
            EXIT_CLEAN
        }
        Command::Rules { command } => match command {
            RulesCommand::List { rules } => rules_cmd::list(&rules, out, err),
            RulesCommand::Explain { id, rules } => rules_cmd::explain(&id, &rules, out, err),
            RulesCommand::Test { path } => rules_cmd::test(path.as_deref(), out, err),
            RulesCommand::Keys { pattern } => rules_cmd::keys(pattern.as_deref(), out),
            RulesCommand::Families => rules_cmd::families(out),
            RulesCommand::Kinds => rules_cmd::kinds(out),
        },
    }
}

/// How an audit is rendered.
struct AuditOutput {
    format: AuditFormat,
    terminal: TerminalOptions,
    threshold: Option<Severity>,
    /// Only findings new against the baseline fail the run.
    only_new: bool,
    /// Also store the batch in this workbench database.
    db: Option<PathBuf>,
    /// The configuration file given (recorded with the stored batch).
    config: Option<PathBuf>,
}

/// A report in a format of rows or lines written straight out as the batch goes (the
/// batch formats, JSON among them, render their parts themselves).
fn render_streamed(how: &AuditOutput, audited: &Audited) -> String {
    match how.format {
        AuditFormat::Csv => audit_csv_rows(std::slice::from_ref(audited)),
        _ => render_terminal_report(audited, how.terminal),
    }
}

/// Runs an audit and writes it, report by report as the batch goes (memory stays bounded):
/// terminal, JSON and CSV straight out; SARIF's, Markdown's, JUnit's and HTML's bodies and
/// the workbook's rows set aside in spill files until their heads are known.
#[allow(clippy::too_many_arguments)]
fn audit(
    paths: &[PathBuf],
    previous: &[PathBuf],
    auditor: &Auditor,
    baseline: Option<&Baseline>,
    how: &AuditOutput,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    // The clock is read only for --timing.
    let started = auditor.timing.as_ref().map(|_| std::time::Instant::now());
    let target_name = output.map_or("stdout".to_string(), |p| p.display().to_string());
    let target = match output::Target::open(output, out) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write {target_name}: {e}");
            return EXIT_TROUBLE;
        }
    };
    let mut stored = match how.db.as_deref() {
        Some(path) => match serve::StoredBatch::open(path, auditor, how.config.as_deref()) {
            Ok(s) => Some(s),
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_TROUBLE;
            }
        },
        None => None,
    };
    let mut matcher = baseline.map(BaselineMatcher::new);
    let mut summary = Summary::default();
    let mut failing = false;
    let meta = rule_meta(auditor);
    let mut sink = match sink::AuditSink::new(target, how, &meta, output) {
        Ok(sink) => sink,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write {target_name}: {e}");
            return EXIT_TROUBLE;
        }
    };
    let timing = auditor.timing.as_ref();
    batch::run(paths, previous, auditor, err, &mut |mut chunk: Vec<
        Audited,
    >| {
        for audited in chunk.iter_mut() {
            if let Some(m) = matcher.as_mut() {
                m.apply(audited);
            }
            summary.add(audited);
            if let (Ok(a), Some(t)) = (&audited.outcome, how.threshold) {
                let new = |i: usize| a.status(i) == Some(nianbao_scorecard::BaselineStatus::New);
                failing |= a.findings.iter().enumerate().any(|(i, f)| {
                    nianbao_scorecard::fails(f, Some(t)) && (!how.only_new || new(i))
                });
            }
            sink.note(audited);
        }
        if let Some(s) = stored.as_mut() {
            s.add(&chunk);
        }
        sink.take(chunk, timing);
    });
    let tail_started = timing.map(|_| std::time::Instant::now());
    if let Err(e) = sink.write_tail(&summary) {
        let _ = writeln!(err, "error: {e}");
        sink.abandon();
        return EXIT_TROUBLE;
    }
    if let (Some(timing), Some(tail_started)) = (timing, tail_started) {
        timing.add(timing::Stage::Output, tail_started.elapsed());
    }
    if let Ok(errors) = auditor.plugin_errors.lock() {
        for e in errors.iter() {
            let _ = writeln!(err, "error: {e}");
        }
    }
    if let Err(e) = sink.commit() {
        let _ = writeln!(err, "error: cannot write {target_name}: {e}");
        return EXIT_TROUBLE;
    }
    if let Some(stored) = stored {
        if !stored.finish(err) {
            return EXIT_TROUBLE;
        }
    }
    if let (Some(timing), Some(started)) = (&auditor.timing, started) {
        timing.write(&auditor.rules, started.elapsed(), err);
    }
    if summary.audited == 0 {
        EXIT_TROUBLE
    } else if failing {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => tracing::Level::WARN,
        1 => tracing::Level::INFO,
        _ => tracing::Level::DEBUG,
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .without_time()
        .try_init();
}

/// The built-in packs, or exactly the packs given.
pub fn load_rules(paths: &[PathBuf]) -> Result<RuleSet, nianbao_rules::RuleError> {
    if paths.is_empty() {
        RuleSet::builtin()
    } else {
        RuleSet::load(paths)
    }
}

/// What renderers need to know of the rules and plugin rules.
pub(crate) fn rule_meta(auditor: &Auditor) -> Vec<RuleMeta> {
    let plugin_rules = auditor.plugins.iter().flat_map(|p| {
        p.info.rules.iter().map(move |r| RuleMeta {
            id: r.id.clone(),
            title: r.title.clone(),
            family: r.family.to_string(),
            severity: r.severity.to_string(),
            doc: Some(format!("Rule of plugin {} {}", p.info.name, p.info.version)),
            legal: None,
        })
    });
    let mut meta: Vec<RuleMeta> = auditor
        .rules
        .rules()
        .map(|r| RuleMeta {
            id: r.id.clone(),
            title: r.title.clone(),
            family: r.family.to_string(),
            severity: r.severity.to_string(),
            doc: r.doc.clone(),
            legal: r.legal.clone(),
        })
        .collect();
    meta.extend(plugin_rules);
    meta
}

/// What an audit runs: the rule packs (with the configuration applied), the plugins, and
/// the scoring.
pub struct Auditor {
    pub rules: RuleSet,
    pub scoring: ScoringConfig,
    pub plugins: Vec<LoadedPlugin>,
    /// What one input file may cost (`[limits]` in nianbao.toml).
    pub limits: nianbao_ingest::Limits,
    /// Plugin failures during the run, reported once each at the end.
    pub plugin_errors: std::sync::Mutex<std::collections::BTreeSet<String>>,
    /// What each rule says about scoring, read off `rules` when first asked (every report
    /// is scored with it).
    rule_scoring: std::sync::OnceLock<BTreeMap<String, RuleScoring>>,
    /// Each stage's and rule's time, when asked for (`audit --timing`).
    timing: Option<timing::Timing>,
}

impl Auditor {
    /// Whether the reports it audits need their narrative's figures: only plugins read them.
    pub(crate) fn figures(&self) -> Figures {
        match self.plugins.is_empty() {
            true => Figures::Skipped,
            false => Figures::Read,
        }
    }

    /// What each rule says about scoring.
    pub(crate) fn rule_scoring(&self) -> &BTreeMap<String, RuleScoring> {
        self.rule_scoring.get_or_init(|| {
            self.rules
                .rules()
                .map(|r| {
                    let terms = RuleScoring {
                        max_deduction: r.max_deduction,
                        advisory: r.advisory,
                    };
                    (r.id.clone(), terms)
                })
                .collect()
        })
    }
}

/// Turns OCR of scans on when asked (`--ocr`, or `ocr = true` in the configuration's
/// `[limits]`), once its programs are known to be there: a batch must not find out file by
/// file that it cannot do what was asked.
fn ask_for_ocr(asked: bool, limits: &mut nianbao_ingest::Limits) -> Result<(), String> {
    if asked || limits.ocr {
        nianbao_ingest::ocr::tools()?;
        limits.ocr = true;
    }
    Ok(())
}

/// The packs, plugins and scoring, with the configuration file (given, or ./nianbao.toml)
/// applied. A plugin that was asked for but cannot be loaded fails the run, as a broken rule
/// pack does: checks the user required must not silently not run.
fn configured(
    paths: &[PathBuf],
    config: Option<&Path>,
    plugin_paths: &[PathBuf],
) -> Result<Auditor, String> {
    let mut rules = load_rules(paths).map_err(|e| e.to_string())?;
    let mut scoring = ScoringConfig::default();
    let mut limits = nianbao_ingest::Limits::default();
    let mut specs: Vec<PluginSpec> = plugin_paths
        .iter()
        .map(|p| PluginSpec {
            path: p.clone(),
            sha256: None,
        })
        .collect();
    if let Some(path) = config::locate(config) {
        let loaded = config::load(&path)?;
        rules
            .configure(&loaded.rules)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        scoring = loaded.scoring;
        limits = loaded.limits;
        specs.extend(loaded.plugins);
    }
    let plugins = specs
        .iter()
        .map(|spec| LoadedPlugin::load(spec).map_err(|e| format!("plugin rejected: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Auditor {
        rules,
        scoring,
        plugins,
        limits,
        plugin_errors: Default::default(),
        rule_scoring: Default::default(),
        timing: None,
    })
}

/// A plugin's findings as findings of the audit, with the plugin's rule metadata.
fn plugin_findings(
    plugin: &LoadedPlugin,
    report: &Report,
    found: Vec<nianbao_plugin_api::PluginFinding>,
) -> Vec<nianbao_model::Finding> {
    found
        .into_iter()
        .filter_map(|f| {
            let rule = plugin.info.rules.iter().find(|r| r.id == f.rule)?;
            Some(nianbao_model::Finding {
                rule: f.rule.clone(),
                family: rule.family,
                severity: f.severity.unwrap_or(rule.severity),
                message: format!("{} [plugin {}]", f.message, plugin.info.name),
                cells: f.cells,
                section: f.section,
                span: f.section.and_then(|s| report.section(s)).map(|s| s.span),
                deduction: rule.deduction,
                evidence: None,
                fault: Default::default(),
                fault_reason: None,
            })
        })
        .collect()
}

/// A report read from a file, with the document (for excerpts of the lines findings
/// point at).
pub struct Parsed {
    pub report: Report,
    pub doc: nianbao_ingest::Document,
}

/// Runs one file's work so that a bug (a panic) in it becomes that file's error and the
/// batch goes on.
fn isolated<T>(file: &Path, work: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or_else(|panic| {
        let what = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("unknown");
        tracing::error!(file = %file.display(), "internal error: {what}");
        Err(format!(
            "internal error while reading this file (please report it): {what}"
        ))
    })
}

/// Reads and parses one file within `limits`.
pub fn parse_file(path: &Path, limits: &nianbao_ingest::Limits) -> Result<Parsed, String> {
    parse_file_reading(path, limits, Figures::Read)
}

/// Reads and parses one file within `limits`, the narrative's figures read or not (only
/// plugins read them).
pub(crate) fn parse_file_reading(
    path: &Path,
    limits: &nianbao_ingest::Limits,
    figures: Figures,
) -> Result<Parsed, String> {
    parse_document(read_document(path, limits)?, figures)
}

/// Reads one file within `limits` into a document (the first half of `parse_file_reading`).
pub(crate) fn read_document(
    path: &Path,
    limits: &nianbao_ingest::Limits,
) -> Result<nianbao_ingest::Document, String> {
    let doc = nianbao_ingest::read_path(path, limits).map_err(|e| e.to_string())?;
    fail_point("parse", &doc.name);
    Ok(doc)
}

/// Debug builds only: a bug at `stage` ("parse" or "check") of every file whose name holds
/// the value of `NIANBAO_DEBUG_PANIC_PARSE` or `NIANBAO_DEBUG_PANIC_CHECK`, so that tests
/// can see what one file's bug costs a batch (no release build reads these).
#[cfg(debug_assertions)]
pub(crate) fn fail_point(stage: &str, name: &str) {
    let variable = format!("NIANBAO_DEBUG_PANIC_{}", stage.to_uppercase());
    if std::env::var(variable).is_ok_and(|marker| !marker.is_empty() && name.contains(&marker)) {
        panic!("debug fail point: {stage} of {name}");
    }
}

#[cfg(not(debug_assertions))]
pub(crate) fn fail_point(_stage: &str, _name: &str) {}

/// Parses bytes already in memory; `name` names them in spans and messages.
pub fn parse_bytes(name: &str, bytes: &[u8]) -> Result<Parsed, String> {
    parse_bytes_limited(name, bytes, &nianbao_ingest::Limits::default())
}

/// `parse_bytes` within `limits` (which say, too, whether scans are read by OCR).
pub fn parse_bytes_limited(
    name: &str,
    bytes: &[u8],
    limits: &nianbao_ingest::Limits,
) -> Result<Parsed, String> {
    let doc = nianbao_ingest::from_bytes_limited(name, bytes, limits).map_err(|e| e.to_string())?;
    parse_document(doc, Figures::Read)
}

/// Parses the bytes of the file at `path` within `limits` (`nianbao_ingest::from_file_bytes`:
/// a saved web page's pictures are looked for beside it).
pub fn parse_file_bytes(
    path: &Path,
    bytes: &[u8],
    limits: &nianbao_ingest::Limits,
) -> Result<Parsed, String> {
    let doc = nianbao_ingest::from_file_bytes(path, bytes, limits).map_err(|e| e.to_string())?;
    parse_document(doc, Figures::Read)
}

fn parse_document(doc: nianbao_ingest::Document, figures: Figures) -> Result<Parsed, String> {
    let report = nianbao_parse::parse_reading(&doc, figures);
    accepted(report, doc)
}

/// A parsed document, unless it is not an annual report at all.
pub(crate) fn accepted(report: Report, doc: nianbao_ingest::Document) -> Result<Parsed, String> {
    if !report.no_text_layer
        && report.title.is_none()
        && report.year.is_none()
        && report.tables.is_empty()
    {
        let why = match report.ocr_layer {
            true => "不像一份年度报告：扫描件的 OCR 识别层中没有找到报告标题、年度或统计表，可能是识别有误（not recognised as an annual report in the scan's OCR text）",
            false => "不像一份年度报告：没有找到报告标题、年度或统计表（not recognised as an annual report）",
        };
        return Err(why.into());
    }
    Ok(Parsed { report, doc })
}

/// What checking a report found, before it joins the report in an [`AuditedReport`].
pub struct Checked {
    findings: Vec<nianbao_model::Finding>,
    score: Score,
    /// The source lines findings point at, by line number.
    lines: std::collections::BTreeMap<u32, String>,
}

/// Checks and scores a parsed report; `related` holds the reports cross-year and peer rules
/// compare it with.
pub fn check_report(
    parsed: &Parsed,
    related: nianbao_rules::Related,
    auditor: &Auditor,
) -> Checked {
    check_reports(&[(parsed, related)], auditor)
        .pop()
        .expect("one result a report")
}

/// Checks several parsed reports, each with the reports it is compared with: each rule
/// over all of them before the next (`RuleSet::check_many`).
pub fn check_reports(
    reports: &[(&Parsed, nianbao_rules::Related)],
    auditor: &Auditor,
) -> Vec<Checked> {
    let timing = auditor.timing.as_ref();
    timing::timed(timing, timing::Stage::Check, || {
        let of_rules: Vec<(&Report, nianbao_rules::Related)> = reports
            .iter()
            .map(|(parsed, related)| (&parsed.report, *related))
            .collect();
        let times = timing.map(|t| &t.rules);
        let findings = auditor.rules.check_many(&of_rules, times);
        reports
            .iter()
            .zip(findings)
            .map(|((parsed, _), findings)| checked(parsed, findings, auditor))
            .collect()
    })
}

/// A report's result from its rules' findings: the plugins' added, the score, the lines
/// findings point at.
fn checked(parsed: &Parsed, mut findings: Vec<Finding>, auditor: &Auditor) -> Checked {
    fail_point("check", &parsed.report.source);
    for plugin in &auditor.plugins {
        match plugin.check(&parsed.report) {
            Ok(found) => findings.extend(plugin_findings(plugin, &parsed.report, found)),
            Err(e) => {
                if let Ok(mut errors) = auditor.plugin_errors.lock() {
                    errors.insert(e.to_string());
                }
            }
        }
    }
    let score = match nianbao_scorecard::unscored_reason(&parsed.report) {
        Some(reason) => Score::unscored(reason),
        None => score(&findings, auditor.rule_scoring(), &auditor.scoring),
    };
    // Only the lines findings point at are kept (line numbers of the rendered text, which are
    // those of the file for text formats).
    let lines = findings
        .iter()
        .filter_map(|f| f.span.map(|s| s.line))
        .filter(|&n| n > 0)
        .map(|n| (n, parsed.doc.source_line(n).unwrap_or_default().to_string()))
        .collect();
    Checked {
        findings,
        score,
        lines,
    }
}

/// A checked report's result. It keeps everything but the narrative, which only rules
/// read: the report is moved in, not copied.
pub fn audited(report: Report, checked: Checked) -> AuditedReport {
    let report = Report {
        figures: Vec::new(),
        text: Vec::new(),
        narrative_shingles: Default::default(),
        ..report
    };
    AuditedReport::new(report, checked.findings, checked.score, checked.lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use nianbao_scorecard::{render_junit, render_markdown, render_sarif};

    /// A file that reads as no report says why; when its text is a scan's OCR layer, that the
    /// recognition may be why.
    #[test]
    fn a_non_report_is_refused_saying_whether_its_text_was_recognised() {
        let notes = "# Meeting notes\n\nNothing about disclosure here.\n";
        let refused = |ocr_layer: bool| {
            let doc = nianbao_ingest::from_bytes("notes.md", notes.as_bytes()).expect("read");
            let mut report = nianbao_parse::parse_reading(&doc, Figures::Read);
            report.ocr_layer = ocr_layer;
            accepted(report, doc).err().expect("refused")
        };
        assert!(!refused(false).contains("OCR"));
        assert!(refused(true).contains("OCR 识别层"), "{}", refused(true));
    }

    /// The samples audited as a batch, every result as the batch hands it on.
    pub(crate) fn audited_samples(auditor: &Auditor) -> Vec<Audited> {
        let samples = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples"));
        let mut results = Vec::new();
        batch::run(
            &[samples],
            &[],
            auditor,
            &mut std::io::sink(),
            &mut |chunk| results.extend(chunk),
        );
        results
    }

    /// The samples audited by `audit` into a file of this format in a folder of its own.
    fn audit_samples_to_file(auditor: &Auditor, format: AuditFormat) -> (PathBuf, Vec<u8>) {
        let samples = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples"));
        let dir = std::env::temp_dir().join(format!(
            "nianbao-streamed-{format:?}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder for the output");
        let how = AuditOutput {
            format,
            terminal: TerminalOptions::default(),
            threshold: None,
            only_new: false,
            db: None,
            config: None,
        };
        let target = dir.join("out");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        audit(
            &[samples],
            &[],
            auditor,
            None,
            &how,
            Some(&target),
            &mut out,
            &mut err,
        );
        let written = std::fs::read(&target).expect("the output is written");
        (dir, written)
    }

    #[test]
    fn formats_streamed_through_a_spill_write_what_the_whole_batch_renders() {
        let auditor = configured(&[], None, &[]).expect("the built-in rules load");
        let results = audited_samples(&auditor);
        let meta = rule_meta(&auditor);
        let formats = [
            (
                AuditFormat::Sarif,
                render_sarif(&results, &meta, env!("CARGO_PKG_VERSION")),
                "\"ruleId\"",
            ),
            (AuditFormat::Markdown, render_markdown(&results), "\n## "),
            (
                AuditFormat::Junit,
                render_junit(&results, None),
                "<testcase",
            ),
        ];
        for (format, whole, part) in formats {
            let (dir, written) = audit_samples_to_file(&auditor, format);
            assert!(whole.matches(part).count() >= 5, "{format:?}");
            assert_eq!(String::from_utf8_lossy(&written), whole, "{format:?}");
            // The spill is gone: the folder holds the output alone.
            let left: Vec<_> = std::fs::read_dir(&dir).expect("the folder").collect();
            assert_eq!(left.len(), 1, "{format:?}: {left:?}");
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}
