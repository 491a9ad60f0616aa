//! Which files a batch audits: files as named, folders walked recursively.

use std::path::{Path, PathBuf};

/// Extensions a report can have; other files inside folders (manifests, images) are skipped.
const REPORT_EXTENSIONS: [&str; 9] = [
    "txt", "text", "md", "markdown", "html", "htm", "pdf", "docx", "doc",
];

/// An input that could not even be listed.
#[derive(Debug)]
pub struct InputError {
    pub path: PathBuf,
    pub reason: String,
}

/// Files to audit, in a stable order (named files first, as named; each folder sorted).
pub fn collect(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<InputError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut files, &mut errors, &mut Vec::new()),
            Ok(_) => files.push(path.clone()),
            Err(e) => errors.push(InputError {
                path: path.clone(),
                reason: e.to_string(),
            }),
        }
    }
    (files, errors)
}

fn is_report(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase());
    ext.is_some_and(|e| REPORT_EXTENSIONS.contains(&e.as_str()))
}

/// Walks a folder; `visiting` holds the canonical folders on the current path, so a
/// symlink loop is entered once and not followed forever.
fn walk(
    dir: &Path,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<InputError>,
    visiting: &mut Vec<PathBuf>,
) {
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if visiting.contains(&canonical) {
        return;
    }
    visiting.push(canonical);
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(InputError {
                path: dir.to_path_buf(),
                reason: e.to_string(),
            });
            visiting.pop();
            return;
        }
    };
    let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    children.sort();
    for child in children {
        let hidden = child
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if child.is_dir() {
            walk(&child, files, errors, visiting);
        } else if is_report(&child) {
            files.push(child);
        }
    }
    visiting.pop();
}
