//! The batch: every file audited on every core, results handed on in input order, memory
//! bounded whatever the batch size.
//!
//! Cross-year rules need each report's predecessor (same organ, an earlier year). Rather
//! than keeping every report in memory, a first cheap pass identifies each file (organ and
//! year from its title); the audit pass then reads a report's predecessor again when it
//! needs it, unless it was parsed in the same chunk. Files go through in chunks, each chunk
//! on all cores, so at most a chunk of reports is alive at once; a result keeps no
//! narrative and only the source lines its findings point at.

use crate::{audit_report, inputs, isolated, parse_file, Auditor, Parsed};
use nianbao_model::organ_key;
use nianbao_scorecard::{Audited, AuditedReport};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Files per chunk and core: large enough to keep the cores busy, small enough to bound memory.
const CHUNK_PER_THREAD: usize = 64;

/// How much of a file identification reads: titles are at the top.
const IDENTIFY_BYTES: usize = 6 * 1024;

/// Organ and year of a file, for pairing; `None` when it cannot be read or told. Formats
/// whose text is not at the top of the bytes (PDF, DOCX) are read whole.
fn identify(path: &Path, limits: &nianbao_ingest::Limits) -> Option<(String, i32)> {
    let text_like = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["txt", "text", "md", "markdown", "html", "htm"].contains(&e.to_ascii_lowercase().as_str())
    });
    let doc = if text_like {
        nianbao_ingest::read_prefix(path, IDENTIFY_BYTES).ok()?
    } else {
        nianbao_ingest::read_path(path, limits).ok()?
    };
    let (organ, year) = nianbao_parse::identify(&doc);
    Some((organ_key(&organ?), year?))
}

/// Where a report file is: its place in the batch (`None` for --previous files) and path.
#[derive(Clone)]
struct Place {
    index: Option<usize>,
    path: PathBuf,
}

/// For each organ, the files of each year.
type Years = BTreeMap<String, BTreeMap<i32, Vec<Place>>>;

fn index_years(
    files: &[PathBuf],
    in_batch: bool,
    limits: &nianbao_ingest::Limits,
    into: &mut Years,
) {
    let ids: Vec<Option<(String, i32)>> = files
        .par_iter()
        .map(|f| {
            std::panic::catch_unwind(|| identify(f, limits))
                .ok()
                .flatten()
        })
        .collect();
    for (i, (file, id)) in files.iter().zip(ids).enumerate() {
        if let Some((organ, year)) = id {
            let place = Place {
                index: in_batch.then_some(i),
                path: file.clone(),
            };
            into.entry(organ)
                .or_default()
                .entry(year)
                .or_default()
                .push(place);
        }
    }
}

/// The same organ's report of the latest earlier year; of several, the one nearest in input
/// order (a batch holding copies keeps each copy with its own predecessor).
fn predecessor<'a>(years: &'a Years, organ: &str, year: i32, index: usize) -> Option<&'a Place> {
    let (_, places) = years.get(organ)?.range(..year).next_back()?;
    places
        .iter()
        .min_by_key(|p| p.index.map_or(usize::MAX, |i| i.abs_diff(index)))
}

/// Checks a parsed report; its predecessor comes from the chunk when it is there, else it is
/// read again.
fn check_one(
    parsed: &Parsed,
    index: usize,
    chunk: &[(usize, Result<Parsed, String>)],
    years: &Years,
    auditor: &Auditor,
) -> AuditedReport {
    let place = nianbao_model::report_organ_key(&parsed.report)
        .zip(parsed.report.year)
        .and_then(|(organ, year)| predecessor(years, &organ, year, index));
    let from_chunk = place
        .and_then(|p| p.index)
        .and_then(|i| chunk.iter().find(|(j, _)| *j == i))
        .and_then(|(_, r)| r.as_ref().ok())
        .map(|p| &p.report);
    let reread = match (place, from_chunk) {
        (Some(p), None) => parse_file(&p.path, &auditor.limits).ok().map(|p| p.report),
        _ => None,
    };
    audit_report(parsed, from_chunk.or(reread.as_ref()), auditor)
}

/// Audits every report file under `paths` (reports under `previous` only serve as earlier
/// years) and hands the results to `sink` chunk by chunk, in input order. A file that fails, even by a bug,
/// becomes an error entry and the batch goes on.
pub fn run(
    paths: &[PathBuf],
    previous: &[PathBuf],
    auditor: &Auditor,
    err: &mut dyn Write,
    sink: &mut dyn FnMut(Vec<Audited>),
) {
    let (files, input_errors) = inputs::collect(paths);
    let unreadable: Vec<Audited> = input_errors
        .into_iter()
        .map(|e| Audited {
            file: e.path.display().to_string(),
            outcome: Err(e.reason),
        })
        .collect();
    if !unreadable.is_empty() {
        sink(unreadable);
    }
    if files.is_empty() {
        let _ = writeln!(
            err,
            "error: no report files found (looked for .txt, .md, .html, .pdf, .docx)"
        );
        return;
    }
    let mut years = Years::new();
    if auditor.rules.reads_previous() {
        index_years(
            &inputs::collect(previous).0,
            false,
            &auditor.limits,
            &mut years,
        );
        index_years(&files, true, &auditor.limits, &mut years);
    }
    let progress = std::io::stderr().is_terminal() && files.len() > 1;
    let chunk = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
    for (n, group) in files.chunks(chunk).enumerate() {
        let base = n * chunk;
        // Parse the chunk, then check it: predecessors found in the chunk are not read twice.
        let parsed: Vec<(usize, Result<Parsed, String>)> = group
            .par_iter()
            .enumerate()
            .map(|(k, file)| {
                (
                    base + k,
                    isolated(file, || parse_file(file, &auditor.limits)),
                )
            })
            .collect();
        let results: Vec<Audited> = parsed
            .par_iter()
            .zip(group.par_iter())
            .map(|((index, outcome), file)| {
                let outcome = match outcome {
                    Err(e) => Err(e.clone()),
                    Ok(p) => isolated(file, || Ok(check_one(p, *index, &parsed, &years, auditor))),
                };
                Audited {
                    file: file.display().to_string(),
                    outcome,
                }
            })
            .collect();
        for result in &results {
            if let Err(e) = &result.outcome {
                tracing::info!(file = %result.file, "not audited: {e}");
            }
        }
        sink(results);
        if progress {
            eprint!(
                "\r审查中 {}/{}",
                (n * chunk + group.len()).min(files.len()),
                files.len()
            );
        }
    }
    if progress {
        eprint!("\r\x1b[K");
    }
}
