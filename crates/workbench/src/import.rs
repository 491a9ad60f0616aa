//! Imports: files are stored by content hash, then audited in the background as one batch;
//! results are stored a chunk at a time as they come, so the batch's page shows progress.

use crate::db::{Db, DbError, NewReport, StoredFile};
use crate::Workbench;
use nianbao_scorecard::Audited;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Imports uploaded files (already read into memory, within the limits) as a batch.
pub fn start_uploads(
    workbench: &Arc<Workbench>,
    files: Vec<(String, Result<Vec<u8>, String>)>,
) -> Result<i64, DbError> {
    let files = files.into_iter().map(|(name, bytes)| {
        let bytes = bytes.and_then(|b| match b.is_empty() {
            true => Err("空文件（empty file）".to_string()),
            false => Ok(b),
        });
        (name, bytes)
    });
    let entries = workbench.db.store_files(files)?;
    start(workbench, "upload", entries)
}

/// Imports the report files under `paths` (files, or folders walked) as a batch.
pub fn start_paths(workbench: &Arc<Workbench>, paths: Vec<PathBuf>) -> Result<i64, DbError> {
    let (files, unreadable) = workbench.pipeline.files(&paths);
    let mut entries: Vec<StoredFile> = unreadable
        .into_iter()
        .map(|(path, reason)| StoredFile {
            name: path.display().to_string(),
            stored: Err(reason),
        })
        .collect();
    let read = files
        .iter()
        .map(|path| (path.display().to_string(), read(path)));
    entries.extend(workbench.db.store_files(read)?);
    start(workbench, "paths", entries)
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("无法读取（cannot read）: {e}"))
}

fn start(
    workbench: &Arc<Workbench>,
    origin: &str,
    entries: Vec<StoredFile>,
) -> Result<i64, DbError> {
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

/// Audits the stored files (each distinct content once) and stores one result per entry,
/// a chunk of results in one transaction (the batch's page shows progress chunk by chunk).
fn audit_entries(
    workbench: &Workbench,
    batch: i64,
    entries: Vec<StoredFile>,
) -> Result<(), DbError> {
    let db = &workbench.db;
    let entries = &entries;
    // Entries by stored path, in order: the audit's results say which path they are of.
    let mut waiting: BTreeMap<String, VecDeque<usize>> = BTreeMap::new();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut failed: Vec<(usize, Audited)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match &entry.stored {
            Ok((_, path)) => {
                let key = path.display().to_string();
                if !waiting.contains_key(&key) {
                    paths.push(path.clone());
                }
                waiting.entry(key).or_default().push_back(i);
            }
            Err(reason) => failed.push((i, unaudited(entry, reason.clone()))),
        }
    }
    store(db, batch, entries, failed.iter().map(|(i, a)| (*i, a)))?;
    let names: BTreeMap<String, String> = waiting
        .iter()
        .filter_map(|(path, idx)| Some((path.clone(), entries[*idx.front()?].name.clone())))
        .collect();
    let mut failure: Option<DbError> = None;
    if !paths.is_empty() {
        workbench.pipeline.audit(&paths, &mut |chunk| {
            let mut placed: Vec<(Vec<usize>, Audited)> = Vec::new();
            for mut audited in chunk {
                let Some(indices) = waiting.get_mut(&audited.file) else {
                    continue;
                };
                let indices: Vec<usize> = indices.drain(..).collect();
                rename(&mut audited, &names);
                placed.push((indices, audited));
            }
            // The same content given twice: its result for each.
            let each = placed
                .iter()
                .flat_map(|(indices, audited)| indices.iter().map(move |&i| (i, audited)));
            if let Err(e) = store(db, batch, entries, each) {
                failure.get_or_insert(e);
            }
        });
    }
    // A stored file the audit said nothing of (it should not happen) is still a row.
    let mut missing: Vec<(usize, Audited)> = Vec::new();
    for (path, indices) in waiting {
        for i in indices {
            let reason = format!("审查没有返回结果（no result for {path}）");
            missing.push((i, unaudited(&entries[i], reason)));
        }
    }
    store(db, batch, entries, missing.iter().map(|(i, a)| (*i, a)))?;
    failure.map_or(Ok(()), Err)
}

/// An entry's result when it was not audited.
fn unaudited(entry: &StoredFile, reason: String) -> Audited {
    Audited {
        file: entry.name.clone(),
        outcome: Err(reason),
    }
}

/// Stores results, each at its entry's place and under its name, in one transaction.
fn store<'a>(
    db: &Db,
    batch: i64,
    entries: &'a [StoredFile],
    results: impl Iterator<Item = (usize, &'a Audited)>,
) -> Result<(), DbError> {
    let reports: Vec<NewReport> = results
        .map(|(i, audited)| NewReport {
            position: i,
            name: &entries[i].name,
            sha256: entries[i].stored.as_ref().ok().map(|(s, _)| s.as_str()),
            audited,
        })
        .collect();
    match reports.is_empty() {
        true => Ok(()),
        false => db.add_reports(batch, &reports),
    }
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
