//! The database: one SQLite file (WAL), its schema versioned by `PRAGMA user_version` with
//! the migrations in `migrations/`, and the uploaded files beside it, stored by content hash.

use crate::setup::Setup;
use nianbao_model::{organ_key, Finding, Report};
use nianbao_scorecard::{
    score_reviewed, unscored_reason, Audited, AuditedReport, Decision, Review, Score,
};
use rusqlite::{params, Connection, OptionalExtension};
use sha2::Digest;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The migrations, in order; the database's `user_version` is how many have run.
const MIGRATIONS: &[&str] = &[include_str!("../migrations/001_init.sql")];

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: 无法打开数据库（cannot open the database）: {reason}")]
    Open { path: String, reason: String },
    #[error("{path}: 数据库版本 {found} 比此 nianbao 支持的 {known} 新，请升级 nianbao")]
    TooNew {
        path: String,
        found: usize,
        known: usize,
    },
    #[error("数据库错误（database error）: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("{path}: 无法保存文件（cannot store the file）: {reason}")]
    Store { path: String, reason: String },
    #[error("数据库中的记录无法读取（a stored record cannot be read）: {0}")]
    Record(String),
}

/// The database and the folder of stored files.
pub struct Db {
    conn: Mutex<Connection>,
    files: PathBuf,
}

/// One import.
#[derive(Debug, Clone)]
pub struct Batch {
    pub id: i64,
    pub created: String,
    pub origin: String,
    pub running: bool,
    pub total: i64,
    pub done: i64,
    pub setup: Setup,
}

/// A stored report with what the pages need around it.
#[derive(Debug)]
pub struct StoredReport {
    pub id: i64,
    pub batch: i64,
    pub name: String,
    pub sha256: Option<String>,
    pub audited: Audited,
}

/// A decision as stored.
#[derive(Debug, Clone)]
pub struct StoredDecision {
    pub fingerprint: String,
    pub review: Review,
    pub rule: String,
    pub message: String,
}

/// One line of the decision log.
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub fingerprint: String,
    pub decision: String,
    pub reason: String,
    pub reviewer: String,
    pub decided: String,
    pub rule: String,
    pub organ: Option<String>,
    pub year: Option<i64>,
}

/// What a decision is about: the finding and whose report it is.
pub struct DecisionSubject<'a> {
    pub fingerprint: &'a str,
    pub rule: &'a str,
    pub message: &'a str,
    pub organ: Option<&'a str>,
    pub year: Option<i32>,
}

impl Db {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let shown = path.display().to_string();
        let open_error = |reason: String| DbError::Open {
            path: shown.clone(),
            reason,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_error(e.to_string()))?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(e.to_string()))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| open_error(e.to_string()))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        migrate(&conn, &shown)?;
        let stem = path
            .file_stem()
            .map_or("nianbao".into(), |s| s.to_string_lossy().into_owned());
        let files = path.with_file_name(format!("{stem}.files"));
        Ok(Db {
            conn: Mutex::new(conn),
            files,
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: SQLite rolled back.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The folder the uploaded files are stored in.
    pub fn files_dir(&self) -> &Path {
        &self.files
    }

    /// Stores files' bytes under their SHA-256 (each content once), keeping the extension
    /// of each name (which tells the reader the format): copied one by one, so that only
    /// one file's bytes are held at a time, then listed in one transaction (a commit a
    /// file, an fsync each, was most of an import's storing). Each file's hash and stored
    /// path, or why it was not stored.
    pub fn store_files(
        &self,
        files: impl IntoIterator<Item = (String, Result<Vec<u8>, String>)>,
    ) -> Result<Vec<StoredFile>, DbError> {
        let copied: Vec<(String, Result<FileCopy, String>)> = files
            .into_iter()
            .map(|(name, bytes)| {
                let copy = bytes.and_then(|b| self.copy_file(&name, &b).map_err(|e| e.to_string()));
                (name, copy)
            })
            .collect();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for copy in copied.iter().filter_map(|(_, c)| c.as_ref().ok()) {
            register_file(&tx, copy)?;
        }
        tx.commit()?;
        Ok(copied
            .into_iter()
            .map(|(name, copy)| StoredFile {
                name,
                stored: copy.map(|c| {
                    let path = self.files.join(&c.stored);
                    (c.sha256, path)
                }),
            })
            .collect())
    }

    /// A file copied into the database's folder (by its hash: once), not yet listed.
    fn copy_file(&self, name: &str, bytes: &[u8]) -> Result<FileCopy, DbError> {
        let sha256 = sha256_hex(bytes);
        let stored = format!("{sha256}.{}", safe_extension(name));
        let path = self.files.join(&stored);
        let store_error = |e: std::io::Error| DbError::Store {
            path: name.to_string(),
            reason: e.to_string(),
        };
        if !path.exists() {
            std::fs::create_dir_all(&self.files).map_err(store_error)?;
            // Written beside, then renamed: a stored file is whole or absent.
            let partial = self.files.join(format!(".{stored}.partial"));
            std::fs::write(&partial, bytes).map_err(store_error)?;
            std::fs::rename(&partial, &path).map_err(store_error)?;
        }
        Ok(FileCopy {
            sha256,
            size: bytes.len(),
            stored,
        })
    }

    /// Stores audited files of a batch from `first` on — each file copied into the
    /// database's folder when it can be read, then its result — in one transaction: one
    /// commit for all (a commit a file was most of `audit --db`'s time).
    pub fn add_audited(
        &self,
        batch: i64,
        first: usize,
        results: &[(&Path, &Audited)],
    ) -> Result<(), DbError> {
        let copies: Vec<Option<FileCopy>> = results
            .iter()
            .map(|(path, _)| {
                let bytes = std::fs::read(path).ok()?;
                self.copy_file(&path.display().to_string(), &bytes).ok()
            })
            .collect();
        let reports: Vec<NewReport> = results
            .iter()
            .zip(&copies)
            .enumerate()
            .map(|(k, ((_, audited), copy))| NewReport {
                position: first + k,
                name: &audited.file,
                sha256: copy.as_ref().map(|c| c.sha256.as_str()),
                audited,
            })
            .collect();
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for copy in copies.iter().flatten() {
            register_file(&tx, copy)?;
        }
        for report in &reports {
            insert_report(&tx, batch, report)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The stored path of a file by its hash.
    pub fn stored_file(&self, sha256: &str) -> Result<Option<PathBuf>, DbError> {
        let stored: Option<String> = self
            .conn()
            .query_row(
                "SELECT stored FROM files WHERE sha256 = ?1",
                [sha256],
                |r| r.get(0),
            )
            .optional()?;
        Ok(stored.map(|s| self.files.join(s)))
    }

    pub fn new_batch(&self, origin: &str, setup: &Setup, total: usize) -> Result<i64, DbError> {
        let setup = to_json(setup)?;
        let conn = self.conn();
        conn.execute(
            "INSERT INTO batches (created, origin, status, total, setup)
             VALUES (datetime('now'), ?1, 'running', ?2, ?3)",
            params![origin, total as i64, setup],
        )?;
        Ok(conn.last_insert_rowid())
    }

    pub fn finish_batch(&self, batch: i64) -> Result<(), DbError> {
        self.conn().execute(
            "UPDATE batches SET status = 'done',
                 total = (SELECT COUNT(*) FROM reports WHERE batch = ?1),
                 done = (SELECT COUNT(*) FROM reports WHERE batch = ?1)
             WHERE id = ?1",
            [batch],
        )?;
        Ok(())
    }

    /// Stores audited files of a batch, with their findings, in one transaction.
    pub fn add_reports(&self, batch: i64, reports: &[NewReport]) -> Result<(), DbError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for report in reports {
            insert_report(&tx, batch, report)?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn batches(&self) -> Result<Vec<Batch>, DbError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, created, origin, status, total, done, setup FROM batches ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([], batch_row)?;
        rows.map(|r| r.map_err(DbError::from).and_then(|b| b))
            .collect()
    }

    pub fn batch(&self, id: i64) -> Result<Option<Batch>, DbError> {
        let found = self
            .conn()
            .query_row(
                "SELECT id, created, origin, status, total, done, setup FROM batches WHERE id = ?1",
                [id],
                batch_row,
            )
            .optional()?;
        found.transpose()
    }

    /// Every report of a batch, in input order, with the current decisions and the scores
    /// they make.
    pub fn reports(&self, batch: &Batch) -> Result<Vec<StoredReport>, DbError> {
        self.report_ids(batch)?
            .into_iter()
            .filter_map(|id| self.batch_report(id, batch).transpose())
            .collect()
    }

    /// A batch's reports as one of its pages reads them, all at once (see `Summary`): a
    /// report's text, tables, cells and parts are never kept, so that a stored batch of
    /// thousands is listed in little memory.
    pub fn report_summaries(
        &self,
        batch: &Batch,
        summary: Summary,
    ) -> Result<Vec<StoredReport>, DbError> {
        let mut reports = Vec::new();
        for id in self.report_ids(batch)? {
            reports.extend(self.report_summary(id, batch, summary)?);
        }
        Ok(reports)
    }

    /// What the notices read: the reports with a confirmed finding, as `Summary::Findings`.
    pub fn notice_summaries(&self, batch: &Batch) -> Result<Vec<StoredReport>, DbError> {
        let mut reports = Vec::new();
        for id in self.report_ids(batch)? {
            let stored = self.report_summary(id, batch, Summary::Findings)?;
            reports.extend(stored.filter(|s| s.audited.outcome.as_ref().is_ok_and(has_confirmed)));
        }
        Ok(reports)
    }

    /// One report of a batch as a page or an export's ranking reads it (see `Summary`).
    pub fn report_summary(
        &self,
        id: i64,
        batch: &Batch,
        summary: Summary,
    ) -> Result<Option<StoredReport>, DbError> {
        let mut stored = self.report_in(id, Some(batch), Read::Summary(summary))?;
        if let Some(Ok(a)) = stored.as_mut().map(|s| &mut s.audited.outcome) {
            // Read until now: whether a report is scored may depend on them.
            a.report.tables = Vec::new();
            a.report.sections = Vec::new();
        }
        Ok(stored)
    }

    /// The ids of a batch's reports, in input order: to read them one at a time.
    pub fn report_ids(&self, batch: &Batch) -> Result<Vec<i64>, DbError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT id FROM reports WHERE batch = ?1 ORDER BY position")?;
        let rows = stmt.query_map([batch.id], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One report of a batch, as `reports` lists it.
    pub fn batch_report(&self, id: i64, batch: &Batch) -> Result<Option<StoredReport>, DbError> {
        self.report_in(id, Some(batch), Read::Whole)
    }

    /// One stored report, with the current decisions and the score they make.
    pub fn report(&self, id: i64) -> Result<Option<StoredReport>, DbError> {
        self.report_in(id, None, Read::Whole)
    }

    fn report_in(
        &self,
        id: i64,
        batch: Option<&Batch>,
        read: Read,
    ) -> Result<Option<StoredReport>, DbError> {
        type Row = (
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
        );
        // A summary's report comes without its text, cells, figures and identity readings,
        // emptied by SQLite (its JSON functions): they are never parsed.
        let row: Option<Row> = self
            .conn()
            .query_row(
                "SELECT batch, name, sha256, error, unscored,
                        CASE WHEN ?2 AND report IS NOT NULL
                             THEN json_set(report, '$.text', json('[]'), '$.cells', json('{}'),
                                           '$.figures', json('[]'), '$.identity', json('[]'),
                                           '$.unplaced', json('[]'), '$.toc', json('[]'))
                             ELSE report END,
                        CASE WHEN ?3 THEN lines END
                 FROM reports WHERE id = ?1",
                params![id, read != Read::Whole, read.details()],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .optional()?;
        let Some((batch_id, name, sha256, error, unscored, report, lines)) = row else {
            return Ok(None);
        };
        let outcome = match (error, report) {
            (Some(error), _) => Err(error),
            (None, None) => Err("没有保存读取结果".to_string()),
            (None, Some(report)) => {
                let owned;
                let batch = match batch {
                    Some(b) => b,
                    None => {
                        owned = self
                            .batch(batch_id)?
                            .ok_or_else(|| DbError::Record(format!("batch {batch_id}")))?;
                        &owned
                    }
                };
                let stored = StoredJson {
                    report: &report,
                    lines: lines.as_deref(),
                    unscored,
                };
                Ok(self.audited_report(id, batch, stored, read.details())?)
            }
        };
        Ok(Some(StoredReport {
            id,
            batch: batch_id,
            name: name.clone(),
            sha256,
            audited: Audited {
                file: name,
                outcome,
            },
        }))
    }

    /// A stored report with its findings (each `with_details`, or only what ranks it) and
    /// their decisions, scored.
    fn audited_report(
        &self,
        id: i64,
        batch: &Batch,
        stored: StoredJson,
        with_details: bool,
    ) -> Result<AuditedReport, DbError> {
        let report: Report = parse_json(stored.report)?;
        let lines: BTreeMap<u32, String> = match stored.lines {
            Some(l) => parse_json(l)?,
            None => BTreeMap::new(),
        };
        let unscored = stored.unscored;
        let (fingerprints, findings) = self.findings(id, with_details)?;
        let decisions = self.decisions_by_fingerprint(&fingerprints)?;
        let reviews: Vec<Option<Review>> = fingerprints
            .iter()
            .map(|f| decisions.get(f).cloned())
            .collect();
        let score = match unscored.or_else(|| unscored_reason(&report)) {
            Some(why) => Score::unscored(why),
            None => score_reviewed(
                &findings,
                &reviews,
                &batch.setup.rule_scoring(),
                &batch.setup.scoring(),
            ),
        };
        let mut audited = AuditedReport::new(report, findings, score, lines);
        audited.fingerprints = fingerprints;
        audited.reviews = reviews;
        Ok(audited)
    }

    /// A report's findings with their fingerprints, in order. Without details, a finding
    /// keeps what ranks and counts it (rule, severity, fault, deduction): its message,
    /// cells, span, evidence and fault's reason are emptied by SQLite, never parsed.
    fn findings(
        &self,
        report: i64,
        with_details: bool,
    ) -> Result<(Vec<String>, Vec<Finding>), DbError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT fingerprint,
                    CASE WHEN ?2 THEN finding
                         ELSE json_set(finding, '$.message', '', '$.cells', json('[]'),
                                       '$.span', json('null'), '$.evidence', json('null'),
                                       '$.fault_reason', json('null')) END
             FROM findings WHERE report = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map(params![report, with_details], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
        })?;
        let mut fingerprints = Vec::new();
        let mut findings = Vec::new();
        for row in rows {
            let (fingerprint, finding) = row?;
            fingerprints.push(fingerprint);
            findings.push(parse_json(&finding)?);
        }
        Ok((fingerprints, findings))
    }

    fn decisions_by_fingerprint(
        &self,
        fingerprints: &[String],
    ) -> Result<BTreeMap<String, Review>, DbError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT decision, reason, reviewer, decided FROM decisions WHERE fingerprint = ?1",
        )?;
        let mut found = BTreeMap::new();
        for f in fingerprints {
            if let Some(review) = stmt.query_row([f], review_row).optional()? {
                found.insert(f.clone(), review?);
            }
        }
        Ok(found)
    }

    /// The decisions on findings of one organ's report of one year (also those whose
    /// finding is no longer reported).
    pub fn decisions_of(
        &self,
        organ: Option<&str>,
        year: Option<i32>,
    ) -> Result<Vec<StoredDecision>, DbError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT decision, reason, reviewer, decided, fingerprint, rule, message FROM decisions
             WHERE organ_key IS ?1 AND year IS ?2 ORDER BY decided",
        )?;
        let rows = stmt.query_map(params![organ.map(organ_key), year], |r| {
            Ok((review_row(r)?, r.get(4)?, r.get(5)?, r.get(6)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (review, fingerprint, rule, message) = row?;
            out.push(StoredDecision {
                fingerprint,
                review: review?,
                rule,
                message,
            });
        }
        Ok(out)
    }

    /// Records a reviewer's decision on a finding (replacing an earlier one) and logs it.
    pub fn decide(
        &self,
        subject: &DecisionSubject,
        decision: Decision,
        reason: &str,
        reviewer: &str,
    ) -> Result<(), DbError> {
        let key = subject.organ.map(organ_key);
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        tx.execute(
            "INSERT INTO decisions (fingerprint, decision, reason, reviewer, decided, organ_key,
                                    year, rule, message)
             VALUES (?1, ?2, ?3, ?4, datetime('now'), ?5, ?6, ?7, ?8)
             ON CONFLICT (fingerprint) DO UPDATE SET decision = ?2, reason = ?3, reviewer = ?4,
                 decided = datetime('now')",
            params![
                subject.fingerprint,
                decision.as_str(),
                reason,
                reviewer,
                key,
                subject.year,
                subject.rule,
                subject.message
            ],
        )?;
        log(&tx, subject, decision.as_str(), reason, reviewer)?;
        tx.commit()?;
        Ok(())
    }

    /// Withdraws the decision on a finding (it is open again) and logs it.
    pub fn withdraw(&self, subject: &DecisionSubject, reviewer: &str) -> Result<(), DbError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let removed = tx.execute(
            "DELETE FROM decisions WHERE fingerprint = ?1",
            [subject.fingerprint],
        )?;
        if removed > 0 {
            log(&tx, subject, "withdrawn", "", reviewer)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Who decided what, newest first.
    pub fn log(&self, limit: usize) -> Result<Vec<LogEntry>, DbError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT fingerprint, decision, reason, reviewer, decided, rule, organ, year
             FROM decision_log ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(LogEntry {
                fingerprint: r.get(0)?,
                decision: r.get(1)?,
                reason: r.get(2)?,
                reviewer: r.get(3)?,
                decided: r.get(4)?,
                rule: r.get(5)?,
                organ: r.get(6)?,
                year: r.get(7)?,
            })
        })?;
        rows.collect::<Result<_, _>>().map_err(DbError::from)
    }

    /// The latest stored report of the same organ for the year before, if any.
    pub fn predecessor(&self, report: &Report) -> Result<Option<Report>, DbError> {
        let (Some(organ), Some(year)) = (report.organ.as_deref(), report.year) else {
            return Ok(None);
        };
        let found: Option<String> = self
            .conn()
            .query_row(
                "SELECT report FROM reports WHERE organ_key = ?1 AND year = ?2
                   AND report IS NOT NULL ORDER BY batch DESC, id DESC LIMIT 1",
                params![organ_key(organ), year - 1],
                |r| r.get(0),
            )
            .optional()?;
        found.map(|r| parse_json(&r)).transpose()
    }
}

fn migrate(conn: &Connection, shown: &str) -> Result<(), DbError> {
    let version: usize = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            path: shown.to_string(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    Ok(())
}

fn log(
    tx: &rusqlite::Transaction,
    subject: &DecisionSubject,
    decision: &str,
    reason: &str,
    reviewer: &str,
) -> Result<(), DbError> {
    tx.execute(
        "INSERT INTO decision_log (fingerprint, decision, reason, reviewer, decided, rule, organ, year)
         VALUES (?1, ?2, ?3, ?4, datetime('now'), ?5, ?6, ?7)",
        params![
            subject.fingerprint,
            decision,
            reason,
            reviewer,
            subject.rule,
            subject.organ,
            subject.year
        ],
    )?;
    Ok(())
}

type BatchResult = Result<Batch, DbError>;

/// What a batch's page reads of its reports: never their text, cells, figures or identity
/// readings.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Summary {
    /// For the ranking and the heatmap: who, which year, the score, and of each finding
    /// what ranks and counts it (rule, severity, fault, deduction, decision).
    Ranking,
    /// For the notices: the findings whole and the source lines they point at.
    Findings,
}

/// How much of a stored report to read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    Whole,
    Summary(Summary),
}

impl Read {
    /// Whether the source lines and each finding's message, cells, span and evidence are
    /// read.
    fn details(self) -> bool {
        self != Read::Summary(Summary::Ranking)
    }
}

/// A stored report's columns as they were read.
struct StoredJson<'a> {
    report: &'a str,
    lines: Option<&'a str>,
    unscored: Option<String>,
}

fn has_confirmed(a: &AuditedReport) -> bool {
    a.reviews
        .iter()
        .flatten()
        .any(|r| r.decision == nianbao_scorecard::Decision::Confirmed)
}

/// A file of an import: its name as the user knows it, and its stored copy's hash and path
/// or why there is none.
pub struct StoredFile {
    pub name: String,
    pub stored: Result<(String, PathBuf), String>,
}

/// An audited file to store: its place in the batch, its name as the user knows it, the
/// hash of its stored copy.
#[derive(Clone, Copy)]
pub struct NewReport<'a> {
    pub position: usize,
    pub name: &'a str,
    pub sha256: Option<&'a str>,
    pub audited: &'a Audited,
}

/// A file copied into the database's folder.
struct FileCopy {
    sha256: String,
    size: usize,
    stored: String,
}

/// Lists a copied file (once: by its hash).
fn register_file(conn: &Connection, copy: &FileCopy) -> Result<(), DbError> {
    conn.prepare_cached("INSERT OR IGNORE INTO files (sha256, size, stored) VALUES (?1, ?2, ?3)")?
        .execute(params![copy.sha256, copy.size as i64, copy.stored])?;
    Ok(())
}

/// Inserts one audited file of a batch, with its findings, and counts it done.
fn insert_report(tx: &Connection, batch: i64, report: &NewReport) -> Result<(), DbError> {
    let NewReport {
        position,
        name,
        sha256,
        audited,
    } = *report;
    match &audited.outcome {
        Err(reason) => {
            tx.prepare_cached(
                "INSERT INTO reports (batch, position, name, sha256, error)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![batch, position as i64, name, sha256, reason])?;
        }
        Ok(a) => {
            let r = &a.report;
            tx.prepare_cached(
                "INSERT INTO reports (batch, position, name, sha256, organ, organ_key, year,
                                      level, unscored, report, lines)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
            .execute(params![
                batch,
                position as i64,
                name,
                sha256,
                r.organ,
                r.organ.as_deref().map(organ_key),
                r.year,
                r.level.map(|l| l.as_str()),
                a.score.unscored,
                to_json(r)?,
                to_json(&a.lines)?,
            ])?;
            let id = tx.last_insert_rowid();
            let mut insert_finding = tx.prepare_cached(
                "INSERT INTO findings (report, position, fingerprint, rule, finding)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for (i, f) in a.findings.iter().enumerate() {
                insert_finding.execute(params![
                    id,
                    i as i64,
                    a.fingerprints[i],
                    f.rule,
                    to_json(f)?
                ])?;
            }
        }
    }
    tx.prepare_cached("UPDATE batches SET done = MIN(total, done + 1) WHERE id = ?1")?
        .execute([batch])?;
    Ok(())
}

fn batch_row(r: &rusqlite::Row) -> rusqlite::Result<BatchResult> {
    let setup: String = r.get(6)?;
    let status: String = r.get(3)?;
    let batch = |setup| Batch {
        id: r.get(0).unwrap_or_default(),
        created: r.get(1).unwrap_or_default(),
        origin: r.get(2).unwrap_or_default(),
        running: status == "running",
        total: r.get(4).unwrap_or_default(),
        done: r.get(5).unwrap_or_default(),
        setup,
    };
    Ok(parse_json(&setup).map(batch))
}

fn review_row(r: &rusqlite::Row) -> rusqlite::Result<Result<Review, DbError>> {
    let decision: String = r.get(0)?;
    let Some(decision) = Decision::parse(&decision) else {
        return Ok(Err(DbError::Record(format!("decision {decision}"))));
    };
    Ok(Ok(Review {
        decision,
        reason: r.get(1)?,
        reviewer: r.get(2)?,
        decided: r.get(3)?,
    }))
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, DbError> {
    serde_json::from_str(text).map_err(|e| DbError::Record(e.to_string()))
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Record(e.to_string()))
}

/// The SHA-256 of some bytes, in hex: the name of a stored file, the digest of a
/// configuration recorded with a batch.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The extension of an uploaded name, as a stored file's: letters and digits only, short;
/// `bin` when there is none. It tells the reader the format, nothing else.
fn safe_extension(name: &str) -> String {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match !ext.is_empty() && ext.len() <= 8 && ext.chars().all(|c| c.is_ascii_alphanumeric()) {
        true => ext,
        false => "bin".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_of_stored_files_are_tame() {
        assert_eq!(safe_extension("报告.PDF"), "pdf");
        assert_eq!(safe_extension("a.tar.gz"), "gz");
        assert_eq!(safe_extension("x.<script>"), "bin");
        assert_eq!(safe_extension("noext"), "bin");
        assert_eq!(safe_extension("../../etc/passwd"), "bin");
    }

    #[test]
    fn a_new_database_is_migrated_and_reopens() {
        let dir = std::env::temp_dir().join(format!("nianbao-db-{}", std::process::id()));
        let path = dir.join("w.db");
        let db = Db::open(&path).expect("opens");
        let id = db.new_batch("cli", &Setup::default(), 0).expect("batch");
        drop(db);
        let db = Db::open(&path).expect("reopens");
        assert_eq!(db.batch(id).expect("reads").map(|b| b.id), Some(id));
        let _ = std::fs::remove_dir_all(dir);
    }
}
