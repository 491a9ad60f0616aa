//! Imports: files are stored by content hash, then audited in the background as one batch;
//! each result is stored as it comes, so the batch's page shows progress.

use crate::db::{Db, DbError};
use crate::Workbench;
use nianbao_scorecard::Audited;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One file of an import: its name as the user knows it, and its stored copy or why there
/// is none.
pub struct Entry {
    pub name: String,
    pub stored: Result<(String, PathBuf), String>,
}

/// Imports uploaded files (already read into memory, within the limits) as a batch.
pub fn start_uploads(
    workbench: &Arc<Workbench>,
    files: Vec<(String, Result<Vec<u8>, String>)>,
) -> Result<i64, DbError> {
    let entries = files
        .into_iter()
        .map(|(name, bytes)| {
            let stored = match bytes {
                Ok(b) if b.is_empty() => Err("空文件（empty file）".to_string()),
                Ok(b) => workbench
                    .db
                    .store_file(&name, &b)
                    .map_err(|e| e.to_string()),
                Err(reason) => Err(reason),
            };
            Entry { name, stored }
        })
        .collect();
    start(workbench, "upload", entries)
}

/// Imports the report files under `paths` (files, or folders walked) as a batch.
pub fn start_paths(workbench: &Arc<Workbench>, paths: Vec<PathBuf>) -> Result<i64, DbError> {
    let (files, unreadable) = workbench.pipeline.files(&paths);
    let mut entries: Vec<Entry> = unreadable
        .into_iter()
        .map(|(path, reason)| Entry {
            name: path.display().to_string(),
            stored: Err(reason),
        })
        .collect();
    entries.extend(files.iter().map(|path| Entry {
        name: path.display().to_string(),
        stored: store_path(&workbench.db, path),
    }));
    start(workbench, "paths", entries)
}

fn store_path(db: &Db, path: &Path) -> Result<(String, PathBuf), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("无法读取（cannot read）: {e}"))?;
    db.store_file(&path.display().to_string(), &bytes)
        .map_err(|e| e.to_string())
}

fn start(workbench: &Arc<Workbench>, origin: &str, entries: Vec<Entry>) -> Result<i64, DbError> {
    let setup = workbench.pipeline.setup();
    let batch = workbench.db.new_batch(origin, &setup, entries.len())?;
    let workbench = Arc::clone(workbench);
    std::thread::spawn(move || {
        if let Err(e) = audit_entries(&workbench, batch, entries) {
            tracing::error!(batch, "the import stopped: {e}");
        }
        if let Err(e) = workbench.db.finish_batch(batch) {
            tracing::error!(batch, "cannot finish the batch: {e}");
        }
    });
    Ok(batch)
}

/// Audits the stored files (each distinct content once) and stores one result per entry.
fn audit_entries(workbench: &Workbench, batch: i64, entries: Vec<Entry>) -> Result<(), DbError> {
    let db = &workbench.db;
    // Entries by stored path, in order: the audit's results say which path they are of.
    let mut waiting: BTreeMap<String, VecDeque<usize>> = BTreeMap::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match &entry.stored {
            Ok((_, path)) => {
                let key = path.display().to_string();
                if !waiting.contains_key(&key) {
                    paths.push(path.clone());
                }
                waiting.entry(key).or_default().push_back(i);
            }
            Err(reason) => {
                let failed = Audited {
                    file: entry.name.clone(),
                    outcome: Err(reason.clone()),
                };
                db.add_report(batch, i, &entry.name, None, &failed)?;
            }
        }
    }
    let names: BTreeMap<String, String> = waiting
        .iter()
        .filter_map(|(path, idx)| Some((path.clone(), entries[*idx.front()?].name.clone())))
        .collect();
    let mut failure: Option<DbError> = None;
    if !paths.is_empty() {
        workbench.pipeline.audit(&paths, &mut |chunk| {
            for mut audited in chunk {
                let Some(indices) = waiting.get_mut(&audited.file) else {
                    continue;
                };
                let indices: Vec<usize> = indices.drain(..).collect();
                rename(&mut audited, &names);
                for i in indices {
                    let entry = &entries[i];
                    let sha = entry.stored.as_ref().ok().map(|(s, _)| s.as_str());
                    audited.file = entry.name.clone();
                    if let Err(e) = db.add_report(batch, i, &entry.name, sha, &audited) {
                        failure.get_or_insert(e);
                    }
                }
            }
        });
    }
    // A stored file the audit said nothing of (it should not happen) is still a row.
    for (path, indices) in waiting {
        for i in indices {
            let entry = &entries[i];
            let missing = Audited {
                file: entry.name.clone(),
                outcome: Err(format!("审查没有返回结果（no result for {path}）")),
            };
            db.add_report(batch, i, &entry.name, None, &missing)?;
        }
    }
    failure.map_or(Ok(()), Err)
}

/// Names the stored copies in a result as the user named the files.
fn rename(audited: &mut Audited, names: &BTreeMap<String, String>) {
    let Ok(a) = &mut audited.outcome else { return };
    if let Some(name) = names.get(&a.report.source) {
        a.report.source = name.clone();
    }
    for f in &mut a.findings {
        if let Some(e) = &mut f.evidence {
            if let Some(name) = e.compared_with.as_ref().and_then(|c| names.get(c)) {
                e.compared_with = Some(name.clone());
            }
        }
    }
}

/// Stores results of `nianbao audit --db` in `batch`, from position `first`: each file
/// copied into the database's folder (by content hash, for download), then its result; a
/// chunk of results in one transaction.
pub fn store_audited(
    db: &Db,
    batch: i64,
    first: usize,
    results: &[(PathBuf, &Audited)],
) -> Result<(), DbError> {
    let results: Vec<(&std::path::Path, &Audited)> = results
        .iter()
        .map(|(path, a)| (path.as_path(), *a))
        .collect();
    db.add_audited(batch, first, &results)
}
