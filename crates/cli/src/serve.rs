//! `nianbao serve`: the workbench with this command line's pipeline, and `audit --db`.

use crate::{batch, inputs, rule_meta, Auditor};
use nianbao_scorecard::Audited;
use nianbao_workbench::setup::{PackRecord, RuleRecord, ScoringRecord};
use nianbao_workbench::{Db, Pipeline, Setup, Workbench};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Most lines of a report the report page shows.
const MAX_TEXT_LINES: u32 = 50_000;

/// The audit as the workbench runs it.
pub struct CliPipeline {
    pub auditor: Auditor,
    pub config: Option<PathBuf>,
}

impl CliPipeline {
    /// The pipeline of the given rule packs (built-in when none), configuration file and
    /// plugins, as `serve` builds it.
    pub fn new(
        rules: &[PathBuf],
        config: Option<&Path>,
        plugins: &[PathBuf],
    ) -> Result<CliPipeline, String> {
        let mut auditor = crate::configured(rules, config, plugins)?;
        crate::ask_for_ocr(false, &mut auditor.limits)?;
        Ok(CliPipeline {
            auditor,
            config: config.map(Path::to_path_buf),
        })
    }
}

impl Pipeline for CliPipeline {
    fn setup(&self) -> Setup {
        setup_of(&self.auditor, self.config.as_deref())
    }

    fn files(&self, paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
        let (files, errors) = inputs::collect(paths);
        (
            files,
            errors.into_iter().map(|e| (e.path, e.reason)).collect(),
        )
    }

    fn audit(&self, paths: &[PathBuf], sink: &mut dyn FnMut(Vec<Audited>)) {
        batch::run(paths, &[], &self.auditor, &mut std::io::sink(), sink);
    }

    fn text(&self, path: &Path) -> Result<Vec<String>, String> {
        let doc =
            nianbao_ingest::read_path(path, &self.auditor.limits).map_err(|e| e.to_string())?;
        Ok((1..=MAX_TEXT_LINES)
            .map_while(|n| doc.source_line(n).map(str::to_string))
            .collect())
    }
}

/// What an audit runs with, as a batch records it.
pub fn setup_of(auditor: &Auditor, config: Option<&Path>) -> Setup {
    let packs = auditor
        .rules
        .packs
        .iter()
        .map(|p| PackRecord {
            name: p.name.clone(),
            version: p.version.clone(),
            file: p.file.clone(),
            sha256: p.sha256.clone(),
        })
        .collect();
    let scoring = auditor.rule_scoring();
    let rules = rule_meta(auditor)
        .into_iter()
        .map(|meta| RuleRecord {
            scoring: scoring.get(&meta.id).copied().unwrap_or_default(),
            meta,
        })
        .collect();
    let config = crate::config::locate(config).map(|p| {
        let digest = std::fs::read(&p)
            .map(|bytes| nianbao_workbench::sha256_hex(&bytes))
            .unwrap_or_default();
        format!("{} (sha256 {digest})", p.display())
    });
    Setup {
        packs,
        config,
        plugins: auditor
            .plugins
            .iter()
            .map(|p| format!("{} ({})", p.info.name, p.path.display()))
            .collect(),
        rules,
        scoring: ScoringRecord::from(&auditor.scoring),
    }
}

/// Runs the workbench: opens the database, imports `paths` if any, serves until Ctrl+C.
pub fn serve(
    paths: &[PathBuf],
    db: &Path,
    options: nianbao_workbench::Options,
    (rules, config, plugins): (&[PathBuf], Option<&Path>, &[PathBuf]),
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let started = CliPipeline::new(rules, config, plugins).and_then(|pipeline| {
        let db = Db::open(db).map_err(|e| e.to_string())?;
        Workbench::new(db, Arc::new(pipeline), options).map_err(|e| e.to_string())
    });
    let workbench = match started {
        Ok(w) => w,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return crate::EXIT_TROUBLE;
        }
    };
    if !paths.is_empty() {
        match nianbao_workbench::import_paths(&workbench, paths.to_vec()) {
            Ok(batch) => {
                let _ = writeln!(
                    err,
                    "导入批次 {batch}：在后台审查 {} 个路径下的报告",
                    paths.len()
                );
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return crate::EXIT_TROUBLE;
            }
        }
    }
    let served = nianbao_workbench::serve(workbench, |addr| {
        let _ = writeln!(out, "工作台已启动：http://{addr}/ （按 Ctrl+C 停止）");
        let _ = out.flush();
    });
    match served {
        Ok(()) => crate::EXIT_CLEAN,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            crate::EXIT_TROUBLE
        }
    }
}

/// `audit --db`: the batch stored as it streams by.
pub struct StoredBatch {
    db: Db,
    path: PathBuf,
    batch: i64,
    next: usize,
    error: Option<String>,
}

impl StoredBatch {
    pub fn open(path: &Path, auditor: &Auditor, config: Option<&Path>) -> Result<Self, String> {
        let db = Db::open(path).map_err(|e| e.to_string())?;
        let batch = db
            .new_batch("cli", &setup_of(auditor, config), 0)
            .map_err(|e| e.to_string())?;
        Ok(StoredBatch {
            db,
            path: path.to_path_buf(),
            batch,
            next: 0,
            error: None,
        })
    }

    pub fn add(&mut self, chunk: &[Audited]) {
        if self.error.is_some() {
            return;
        }
        let items: Vec<(PathBuf, &Audited)> =
            chunk.iter().map(|a| (PathBuf::from(&a.file), a)).collect();
        if let Err(e) = nianbao_workbench::store_audited(&self.db, self.batch, self.next, &items) {
            self.error = Some(e.to_string());
        }
        self.next += chunk.len();
    }

    /// Closes the batch and says where it is; false when storing failed.
    pub fn finish(self, err: &mut dyn Write) -> bool {
        let finished = self.db.finish_batch(self.batch).map_err(|e| e.to_string());
        match self.error.or(finished.err()) {
            Some(e) => {
                let _ = writeln!(
                    err,
                    "error: {}: 批次没有完整存入数据库：{e}",
                    self.path.display()
                );
                false
            }
            None => {
                let _ = writeln!(
                    err,
                    "已存入 {} 的批次 {}（nianbao serve --db {} 查看）",
                    self.path.display(),
                    self.batch,
                    self.path.display()
                );
                true
            }
        }
    }
}
