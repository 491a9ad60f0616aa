//! The batch: every file audited on every core, results handed on in input order, memory
//! bounded whatever the batch size.
//!
//! Cross-year rules need each report's predecessor (same organ, an earlier year), peer rules
//! its peer (another organ's report of the same year with the most alike text). Rather
//! than keeping every report in memory, a first cheap pass identifies each file (organ and
//! year from its title) and, for peer rules, sketches its prose (`peers`); the audit pass
//! then reads a report's predecessor or peer again when it needs it, unless it was parsed in
//! the same chunk or kept from an earlier one (a bounded number of the reports later files
//! are expected to name). Files go through in chunks, each chunk on all cores, so at most a
//! chunk of reports is alive at once, besides those parsed before their turn and kept for
//! it (bounded): the PDF and DOCX files the first pass had to read whole, and the reports
//! later in the batch that an earlier chunk compared with. The other PDF, DOCX, Word 97 and
//! RTF files it read whole have their extraction set aside on disk (`set_aside`): their
//! documents are made again from it, not extracted twice. A result keeps no narrative and
//! only the source lines its findings point at. Each chunk is handed to the pool as one job
//! (`on_a_worker`); its results are handed on (rendered, written) by the calling thread
//! while the next chunk is audited.
//!
//! Within a chunk, reports are checked a thread's share (`TOGETHER`) at a time, each rule
//! over the group before the next, so that what a rule reads besides the report stays in
//! the processor's caches. A group whose check fails by a bug is checked again report by
//! report, so that only the file at fault becomes an error.

use crate::set_aside::Extractions;
use crate::timing::{timed, Stage, Timing};
use crate::{
    accepted, audited, check_report, check_reports, inputs, isolated, parse_document, peers,
    Auditor, Checked, Parsed,
};
use nianbao_ingest::Limits;
use nianbao_model::{organ_key, pairing_bucket, same_organ, Report};
use nianbao_parse::{Figures, Parsing};
use nianbao_rules::similar::Sketch;
use nianbao_rules::Related;
use nianbao_scorecard::Audited;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files per chunk and core: large enough to keep the cores busy, small enough to bound
/// memory. A chunk's reports are checked after all of them are parsed: the fewer there
/// are, the more of them are still in the processor's caches (measured: 32 a core is as
/// fast as 16 and faster than 64 or 128, see BENCHMARKS.md).
const CHUNK_PER_THREAD: usize = 32;

/// How far below a peer rule's threshold a sketch's estimate may be and still have the two
/// reports compared exactly.
const PEER_MARGIN: f64 = 0.2;

/// How much of a file identification reads: titles are at the top.
const IDENTIFY_BYTES: usize = 6 * 1024;

/// How many of the batch's first PDF and DOCX files the first pass parses whole and keeps
/// for the audit: their text is at no known place in their bytes, so identifying them
/// means extracting all of it, as long as parsing them (a 5-page PDF: 6.4 against 7.1 ms).
/// Kept, each is extracted once. So are web pages when peer rules want their prose
/// sketched: rendering a page for its words is most of the cost of reading it. The bounds
/// keep memory flat in a batch of thousands: a kept 5-page PDF (6 KB of text) takes about
/// 120 KB, 512 of them 60 MB; the bound on the text kept at a time (these and the reports
/// read early for an earlier chunk) stops long documents from filling it.
const KEPT_PARSED: usize = 512;
const KEPT_TEXT_BYTES: usize = 4 << 20;
/// Web pages keep at most half of it: a PDF kept saves ten times what a page does.
const KEPT_PAGE_TEXT_BYTES: usize = KEPT_TEXT_BYTES / 2;

/// How many files may be kept parsed at a time when a report later in the batch, read for
/// an earlier chunk that compares with it, is kept for its own chunk (a kept parse of a
/// 5 KB text report takes about 180 KB: 128 of them 23 MB). Asked and kept under one lock
/// (`Kept::keep_if_room`), so workers reading side by side keep no more.
const KEPT_READ_EARLY: usize = 128;

/// How many reports of earlier chunks are kept for the later files that name them as
/// their predecessor or peer (a batch of two years, one folder each: every report of the
/// second names one of the first). A kept report has no figures and no document.
const KEPT_EARLIER: usize = 512;

/// What the first pass knows of a file: its organ (as a key, with the keys of its other
/// names) and year and, when peer rules are on, a sketch of its prose.
struct Identity {
    organ: String,
    aliases: Vec<String>,
    year: i32,
    sketch: Option<Sketch>,
}

/// A file's parse kept for its chunk, with the text bytes `Kept::has_room` counted for it.
type KeptParse = (Result<Parsed, String>, usize);

/// Files parsed before their turn, by index, for their chunk to take: the PDF and DOCX
/// files the first pass read whole, and reports read early for an earlier chunk that
/// compares with them (`read_related_once`); and how much text is kept now.
#[derive(Default)]
struct Kept {
    parsed: Mutex<BTreeMap<usize, KeptParse>>,
    text_bytes: std::sync::atomic::AtomicUsize,
}

impl Kept {
    /// Whether a document of `text_bytes` of text may be kept, counting it in if so.
    fn has_room(&self, text_bytes: usize) -> bool {
        self.has_room_up_to(text_bytes, KEPT_TEXT_BYTES)
    }

    /// Whether less than `bound` bytes of text are kept: a document may still have room.
    fn below(&self, bound: usize) -> bool {
        self.text_bytes.load(std::sync::atomic::Ordering::Relaxed) < bound
    }

    /// `has_room` when no more than `bound` bytes of text may be kept with it.
    fn has_room_up_to(&self, text_bytes: usize, bound: usize) -> bool {
        use std::sync::atomic::Ordering;
        let before = self.text_bytes.fetch_add(text_bytes, Ordering::Relaxed);
        let room = before + text_bytes <= bound;
        if !room {
            self.text_bytes.fetch_sub(text_bytes, Ordering::Relaxed);
        }
        room
    }

    /// Keeps a file's parse, whose `text_bytes` `has_room` counted in.
    fn put(&self, index: usize, parsed: Result<Parsed, String>, text_bytes: usize) {
        if let Ok(mut kept) = self.parsed.lock() {
            kept.insert(index, (parsed, text_bytes));
        }
    }

    /// Keeps a parse read early when fewer than `max_parses` are kept and its text has
    /// room; whether it was kept. Both are asked under the store's lock: readers in
    /// parallel cannot keep more than `max_parses` between them.
    fn keep_if_room(
        &self,
        index: usize,
        parsed: Parsed,
        text_bytes: usize,
        max_parses: usize,
    ) -> bool {
        let Ok(mut kept) = self.parsed.lock() else {
            return false;
        };
        let room = kept.len() < max_parses && self.has_room(text_bytes);
        if room {
            kept.insert(index, (Ok(parsed), text_bytes));
        }
        room
    }

    /// A kept parse, its room given back.
    fn take(&self, index: usize) -> Option<Result<Parsed, String>> {
        let (parsed, text_bytes) = self.parsed.lock().ok()?.remove(&index)?;
        self.text_bytes
            .fetch_sub(text_bytes, std::sync::atomic::Ordering::Relaxed);
        Some(parsed)
    }
}

/// Identifies a file, for pairing; `None` when it cannot be read or told. Plain text and
/// web pages are identified from their top, and read whole when the top does not tell (the
/// organ may only be in the 落款); PDF and DOCX, whose text is not at the top of their
/// bytes, are read whole (and, when `keep` is given, parsed and kept for the audit). A
/// sketch, when wanted, reads the file's words whole (and its top is then taken from them);
/// a web page then, when `keep` is given, is read as a PDF is.
fn identify(
    path: &Path,
    limits: &Limits,
    figures: Figures,
    sketch: bool,
    keep: Option<(usize, &Kept)>,
    extractions: Option<(usize, &Extractions)>,
) -> Option<Identity> {
    use nianbao_ingest::Format;
    let format = Format::named(&path.to_string_lossy());
    // A web page read whole for its sketch is rendered as its audit will render it: among
    // the batch's first files, parsed and kept like a PDF, it is rendered once, not twice.
    // Once the pages' room is full, a page's words alone are read, as before.
    let page_to_keep = sketch
        && format == Some(Format::Html)
        && keep.is_some_and(|(_, k)| k.below(KEPT_PAGE_TEXT_BYTES));
    let text_like =
        !page_to_keep && matches!(format, Some(Format::Text | Format::Markdown | Format::Html));
    let told = |known: &nianbao_parse::Identified| known.organ.is_some() && known.year.is_some();
    let (known, words) = match (text_like, sketch) {
        (true, false) => {
            let top =
                nianbao_parse::identify(&nianbao_ingest::read_prefix(path, IDENTIFY_BYTES).ok()?);
            let known = match told(&top) {
                true => top,
                false => nianbao_parse::identify(&nianbao_ingest::read_path(path, limits).ok()?),
            };
            (known, None)
        }
        (true, true) => {
            let words = nianbao_ingest::read_words(path, limits).ok()?;
            let mut top = IDENTIFY_BYTES.min(words.len());
            while !words.is_char_boundary(top) {
                top -= 1;
            }
            // The words are UTF-8 whatever the file's encoding: read as plain text.
            let of =
                |text: &str| nianbao_parse::identify(&nianbao_ingest::from_text("words.txt", text));
            let known = match of(&words[..top]) {
                known if told(&known) || top == words.len() => known,
                _ => of(&words),
            };
            (known, Some(words))
        }
        (false, _) => {
            // The extraction as bytes only when there is somewhere to set it aside.
            let (doc, extraction) = match extractions {
                Some(_) => nianbao_ingest::read_path_keeping_extraction(path, limits).ok()?,
                None => (nianbao_ingest::read_path(path, limits).ok()?, None),
            };
            let text_bytes = doc.text.len();
            let bound = match page_to_keep {
                true => KEPT_PAGE_TEXT_BYTES,
                false => KEPT_TEXT_BYTES,
            };
            let Some((index, kept)) = keep.filter(|(_, k)| k.has_room_up_to(text_bytes, bound))
            else {
                // Not kept: its extraction waits for its turn instead.
                if let (Some(extraction), Some((index, set_aside))) = (extraction, extractions) {
                    set_aside.put(index, &extraction);
                }
                return identified(nianbao_parse::identify(&doc), sketch.then_some(&doc.text));
            };
            // Parsed whole: the parse reads the same identity as `identify`.
            let report = nianbao_parse::parse_reading(&doc, figures);
            let known = nianbao_parse::Identified {
                organ: report.organ.clone(),
                aliases: report.organ_aliases.clone(),
                year: report.year,
            };
            let id = identified(known, sketch.then_some(&doc.text));
            kept.put(index, accepted(report, doc), text_bytes);
            return id;
        }
    };
    identified(known, words.as_deref())
}

/// What the batch's first pass reads of a file when peer rules are on (organ, year and a
/// sketch of its prose), without keeping it: whether the file could be told. For the
/// benches, which add it to the other stages' costs.
pub fn first_pass_file(path: &Path, limits: &Limits) -> bool {
    identify(path, limits, Figures::Skipped, true, None, None).is_some()
}

/// The first pass's identity of a file told by `known`, its prose sketched from `words`
/// when given. A file that cannot be paired (organ or year unknown) is not sketched.
fn identified(known: nianbao_parse::Identified, words: Option<&str>) -> Option<Identity> {
    let (organ, year) = (known.organ?, known.year?);
    Some(Identity {
        organ: organ_key(&organ),
        aliases: known.aliases.iter().map(|a| organ_key(a)).collect(),
        year,
        sketch: words.map(prose_sketch),
    })
}

/// A sketch of a text's prose: its lines but those of table cells (tab-separated). It only
/// chooses which reports to compare; the rule compares the parsed narratives exactly.
fn prose_sketch(text: &str) -> Sketch {
    // Lines cut and tabs found by memchr (a vector at a time): every file is sketched. A
    // line's "\r" is left on it: it is no letter, and the sketch reads letters only.
    let lines = nianbao_ingest::line_ranges(text).map(|(start, end, _)| &text[start..end]);
    Sketch::of_lines(lines.filter(|l| memchr::memchr(b'\t', l.as_bytes()).is_none()))
}

/// Identifies every file; when `set_aside` is given, PDF and DOCX files among the first
/// `KEPT_PARSED` are parsed and kept there, and the extractions of the others read whole
/// set aside there.
fn identify_all(
    files: &[PathBuf],
    auditor: &Auditor,
    sketch: bool,
    set_aside: Option<(&Kept, &Extractions)>,
) -> Vec<Option<Identity>> {
    files
        .par_iter()
        .enumerate()
        .map(|(index, f)| {
            let keep = set_aside
                .filter(|_| index < KEPT_PARSED)
                .map(|(k, _)| (index, k));
            let extractions = set_aside.map(|(_, e)| (index, e));
            timed(auditor.timing.as_ref(), Stage::FirstPass, || {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    identify(
                        f,
                        &auditor.limits,
                        auditor.figures(),
                        sketch,
                        keep,
                        extractions,
                    )
                }))
                .ok()
                .flatten()
            })
        })
        .collect()
}

/// Where a report file is: its place in the batch (`None` for --previous files) and path.
#[derive(Clone)]
struct Place {
    index: Option<usize>,
    path: PathBuf,
}

/// For each organ (by key), the files of each year; and the organ keys filed under each
/// pairing bucket, to find the same organ under another name.
#[derive(Default)]
struct Years {
    by_organ: BTreeMap<String, BTreeMap<i32, Vec<Place>>>,
    buckets: BTreeMap<String, Vec<String>>,
}

fn add_years(files: &[PathBuf], ids: &[Option<Identity>], in_batch: bool, into: &mut Years) {
    for (i, (file, id)) in files.iter().zip(ids).enumerate() {
        let Some(id) = id else { continue };
        let place = Place {
            index: in_batch.then_some(i),
            path: file.clone(),
        };
        // A report is filed under each of its names, so another year's report that uses
        // only one of them finds it.
        for key in std::iter::once(&id.organ).chain(&id.aliases) {
            let years = into.by_organ.entry(key.clone()).or_default();
            if years.is_empty() {
                into.buckets
                    .entry(pairing_bucket(key))
                    .or_default()
                    .push(key.clone());
            }
            years.entry(id.year).or_default().push(place.clone());
        }
    }
}

/// The same organ's report of the latest earlier year; of several, the one nearest in input
/// order (a batch holding copies keeps each copy with its own predecessor). The organ is
/// looked up by its key and its other names' keys, then under other wordings of the same
/// name ("某市教委" for "某市教育委员会") — only when exactly one organ fits.
fn predecessor<'a>(
    years: &'a Years,
    organ: &str,
    aliases: &[String],
    year: i32,
    index: usize,
) -> Option<&'a Place> {
    let earlier = |key: &str| years.by_organ.get(key)?.range(..year).next_back();
    let exact = std::iter::once(organ)
        .chain(aliases.iter().map(String::as_str))
        .find_map(earlier);
    let (_, places) = match exact {
        Some(found) => found,
        None => {
            let mut fits: Vec<&String> = std::iter::once(organ)
                .chain(aliases.iter().map(String::as_str))
                .filter_map(|k| years.buckets.get(&pairing_bucket(k)))
                .flatten()
                .filter(|k| k.as_str() != organ && same_organ(k, organ) && earlier(k).is_some())
                .collect();
            fits.sort();
            fits.dedup();
            match fits.as_slice() {
                [only] => earlier(only)?,
                _ => return None,
            }
        }
    };
    places
        .iter()
        .min_by_key(|p| p.index.map_or(usize::MAX, |i| i.abs_diff(index)))
}

/// What the first pass found: predecessors by organ and year, and each batch file's peer.
#[derive(Default)]
struct Index {
    years: Years,
    peers: Vec<Option<usize>>,
    /// Files parsed before their turn (see `Kept`), by index, until their chunk takes them.
    kept: Kept,
    /// The extractions of the other files the first pass read whole, by index.
    extractions: Extractions,
    /// For each batch file, the last file the first pass expects to name it as its
    /// predecessor or peer (0: none; see `last_uses`).
    last_use: Vec<usize>,
}

/// Reports of earlier chunks that later files of the batch will compare with, by index.
type Earlier = BTreeMap<usize, Report>;

/// A report the audit of another needs: taken from the chunk when it was parsed there, or
/// from the earlier chunks' reports kept for it, else read again. One that fails (even by
/// a bug) is missing; the report being audited is not.
fn fetch<'a>(
    place: &Place,
    chunk: &'a [(usize, Result<Parsed, String>)],
    earlier: &'a Earlier,
    found: &Index,
    auditor: &Auditor,
) -> Option<Cow<'a, Report>> {
    let in_chunk = place
        .index
        .and_then(|i| chunk.iter().find(|(j, _)| *j == i))
        .and_then(|(_, r)| r.as_ref().ok())
        .map(|parsed| &parsed.report)
        .or_else(|| earlier.get(&place.index?));
    match in_chunk {
        Some(report) => Some(Cow::Borrowed(report)),
        None => read_again(place, found, auditor).map(Cow::Owned),
    }
}

/// A report another's audit compares with, read and parsed again (counted under
/// `Stage::ReadRelated`); `None` when that fails, even by a bug. Rules compare with its
/// cells and text; plugins see only the audited report, so its figures are not read.
fn read_again(place: &Place, found: &Index, auditor: &Auditor) -> Option<Report> {
    read_related(place, found, auditor, Figures::Skipped).map(|parsed| parsed.report)
}

/// A related report read before its turn or after it (see `read_again`), parsed reading
/// its figures or not.
fn read_related(
    place: &Place,
    found: &Index,
    auditor: &Auditor,
    figures: Figures,
) -> Option<Parsed> {
    let timing = auditor.timing.as_ref();
    timed(timing, Stage::ReadRelated, || {
        if let Some(timing) = timing {
            timing.count_related_read();
        }
        std::panic::catch_unwind(|| {
            document_of(&place.path, place.index, found, auditor)
                .and_then(|doc| parse_document(doc, figures))
        })
        .ok()
        .and_then(Result::ok)
    })
}

/// What is kept of a report for the audits of others: all but its figures, which rules
/// never compare (the narrative's shingles, if worked out, come along: the text is the
/// same).
fn for_others(report: &Report) -> Report {
    Report {
        figures: Vec::new(),
        narrative_shingles: report.narrative_shingles.carried(),
        ..report.clone()
    }
}

/// How many of a chunk's reports are checked together, rule by rule (`check_reports`): a
/// thread's whole share, so that each rule's patterns stay in the caches over as many
/// reports as a chunk gives it (measured: the rules' time 8% less than eight at a time, 4%
/// less than sixteen; the reports are held for the chunk anyway).
const TOGETHER: usize = CHUNK_PER_THREAD;

/// The size of a chunk's groups: `TOGETHER`, or fewer in a chunk too small to give every
/// core a group (a batch of a few files still runs on every core).
fn group_size(chunk_len: usize) -> usize {
    let per_core = chunk_len.div_ceil(rayon::current_num_threads().max(1));
    TOGETHER.min(per_core).max(1)
}

/// The reports a chunk's report is compared with: its predecessor and its peer.
struct Relations<'a> {
    previous: Option<Cow<'a, Report>>,
    peer: Option<Cow<'a, Report>>,
}

impl Relations<'_> {
    fn related(&self) -> Related<'_> {
        Related {
            previous: self.previous.as_deref(),
            peer: self.peer.as_deref(),
        }
    }
}

/// What a chunk's checks share: the chunk itself, the reports kept from earlier chunks, the
/// batch's files and what the first pass found.
struct Around<'a> {
    chunk: &'a [(usize, Result<Parsed, String>)],
    earlier: &'a Earlier,
    files: &'a [PathBuf],
    found: &'a Index,
    auditor: &'a Auditor,
}

/// Checks a few of a chunk's reports together (`check_reports`). Should that fail by a bug,
/// each is checked alone, so that only the file at fault becomes an error.
fn check_group(
    items: &[(usize, Result<Parsed, String>)],
    paths: &[PathBuf],
    around: &Around,
) -> Vec<Result<Checked, String>> {
    let together = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let relations: Vec<Option<Relations>> = items
            .iter()
            .map(|(index, outcome)| Some(relations(outcome.as_ref().ok()?, *index, around)))
            .collect();
        let reports: Vec<(&Parsed, Related)> = items
            .iter()
            .zip(&relations)
            .filter_map(|((_, outcome), rel)| {
                Some((outcome.as_ref().ok()?, rel.as_ref()?.related()))
            })
            .collect();
        let mut checked = check_reports(&reports, around.auditor).into_iter();
        items
            .iter()
            .map(|(_, outcome)| match outcome {
                Err(e) => Err(e.clone()),
                Ok(_) => checked
                    .next()
                    .ok_or_else(|| "internal error: no result for a report checked".to_string()),
            })
            .collect::<Vec<_>>()
    }));
    together.unwrap_or_else(|_| {
        items
            .iter()
            .zip(paths)
            .map(|((index, outcome), file)| match outcome {
                Err(e) => Err(e.clone()),
                Ok(p) => isolated(file, || {
                    let relations = relations(p, *index, around);
                    Ok(check_report(p, relations.related(), around.auditor))
                }),
            })
            .collect()
    })
}

/// A parsed report's predecessor and peer, from the chunk, the reports kept from earlier
/// chunks, or read again.
fn relations<'a>(parsed: &Parsed, index: usize, around: &Around<'a>) -> Relations<'a> {
    let Around {
        chunk,
        earlier,
        files,
        found,
        auditor,
    } = *around;
    let (previous, peer) = related_places(parsed, index, found, files);
    Relations {
        previous: previous.and_then(|place| fetch(place, chunk, earlier, found, auditor)),
        peer: peer.and_then(|place| fetch(&place, chunk, earlier, found, auditor)),
    }
}

/// Where a parsed report's predecessor (by the parse's organ, other names and year) and
/// its peer (found by the first pass) are, when it has them.
fn related_places<'a>(
    parsed: &Parsed,
    index: usize,
    found: &'a Index,
    files: &[PathBuf],
) -> (Option<&'a Place>, Option<Place>) {
    let aliases: Vec<String> = parsed
        .report
        .organ_aliases
        .iter()
        .map(|a| organ_key(a))
        .collect();
    let previous = nianbao_model::report_organ_key(&parsed.report)
        .zip(parsed.report.year)
        .and_then(|(organ, year)| predecessor(&found.years, &organ, &aliases, year, index));
    let peer = found.peers.get(index).copied().flatten().and_then(|i| {
        Some(Place {
            index: Some(i),
            path: files.get(i)?.clone(),
        })
    });
    (previous, peer)
}

/// Reads, once for the chunk, each batch report its files compare with that is neither in
/// the chunk nor kept from an earlier one (one later in the batch), into `earlier`, and
/// returns their places (`keep_for_later` lets go of them when no later file names them).
/// Without it every file naming such a report read and parsed it again: a hundred copies
/// of a 2017 report whose 2015 predecessor comes later in the batch parsed it a hundred
/// times. A report later in the batch is parsed as its own audit will parse it, and kept
/// for its chunk while there is room (`found.kept`): else it is parsed twice.
fn read_related_once(
    chunk: &[(usize, Result<Parsed, String>)],
    files: &[PathBuf],
    found: &Index,
    earlier: &mut Earlier,
    auditor: &Auditor,
) -> Vec<usize> {
    let chunk_end = chunk.last().map_or(0, |(i, _)| *i);
    let in_chunk = |i: usize| chunk.iter().any(|(j, _)| *j == i);
    let mut wanted: Vec<usize> = chunk
        .iter()
        .filter_map(|(index, outcome)| Some((*index, outcome.as_ref().ok()?)))
        .flat_map(|(index, parsed)| {
            let (previous, peer) = related_places(parsed, index, found, files);
            [previous.and_then(|p| p.index), peer.and_then(|p| p.index)]
        })
        .flatten()
        .filter(|&i| !in_chunk(i) && !earlier.contains_key(&i))
        .collect();
    wanted.sort_unstable();
    wanted.dedup();
    let read: Vec<(usize, Report)> = wanted
        .par_iter()
        // One that fails is left to `fetch`, which finds it missing.
        .filter_map(|&i| {
            let place = Place {
                index: Some(i),
                path: files.get(i)?.clone(),
            };
            let parsed = read_related(&place, found, auditor, auditor.figures())?;
            let report = for_others(&parsed.report);
            let text_bytes = parsed.doc.text.len();
            let later = i > chunk_end;
            if later {
                found
                    .kept
                    .keep_if_room(i, parsed, text_bytes, KEPT_READ_EARLY);
            }
            Some((i, report))
        })
        .collect();
    let places = read.iter().map(|(i, _)| *i).collect();
    earlier.extend(read);
    places
}

/// Identifies every file when cross-year or peer rules are on: predecessors by organ and
/// year (the batch's files and those under `previous`), peers among the batch's files.
fn first_pass(files: &[PathBuf], previous: &[PathBuf], auditor: &Auditor) -> Index {
    let reads_previous = auditor.rules.reads_previous();
    // A sketch may underestimate the share it only picks candidates for.
    let peer_bar = auditor
        .rules
        .peer_threshold()
        .map(|t| (t - PEER_MARGIN).max(0.0));
    let mut found = Index::default();
    // One file and no earlier years: nothing to pair it with.
    let alone = files.len() < 2 && previous.is_empty();
    if alone || (!reads_previous && peer_bar.is_none()) {
        return found;
    }
    let set_aside = Some((&found.kept, &found.extractions));
    let ids = identify_all(files, auditor, peer_bar.is_some(), set_aside);
    if reads_previous {
        let earlier = inputs::collect(previous).0;
        let earlier_ids = identify_all(&earlier, auditor, false, None);
        add_years(&earlier, &earlier_ids, false, &mut found.years);
        add_years(files, &ids, true, &mut found.years);
    }
    if let Some(bar) = peer_bar {
        let sketched: Vec<Option<peers::Sketched>> = ids
            .iter()
            .map(|id| {
                let id = id.as_ref()?;
                Some(peers::Sketched {
                    organ: &id.organ,
                    year: id.year,
                    sketch: id.sketch.as_ref()?,
                })
            })
            .collect();
        found.peers = timed(auditor.timing.as_ref(), Stage::FirstPass, || {
            peers::find(&sketched, bar)
        });
        tracing::info!(peers = found.peers.iter().flatten().count(), "peers found");
    }
    found.last_use = last_uses(&ids, &found);
    found
}

/// For each batch file, the last file expected to name it as its predecessor (by the first
/// pass's identities; the audit asks by the parse's, nearly always the same) or its peer; 0
/// when none. A file named from after it is kept from its own chunk until then; one named
/// from before it is kept, once read for an earlier chunk, until then.
fn last_uses(ids: &[Option<Identity>], found: &Index) -> Vec<usize> {
    let mut last = vec![0; ids.len()];
    for (i, id) in ids.iter().enumerate() {
        let Some(id) = id else { continue };
        let previous = predecessor(&found.years, &id.organ, &id.aliases, id.year, i)
            .and_then(|place| place.index);
        let peer = found.peers.get(i).copied().flatten();
        for j in [previous, peer].into_iter().flatten() {
            if let Some(uses) = last.get_mut(j).filter(|_| j != i) {
                *uses = (*uses).max(i);
            }
        }
    }
    last
}

/// Keeps (a copy of) each report of the chunk that a file after `next` will compare with,
/// while there is room, and lets go of those no file from `next` on needs.
fn keep_for_later(
    chunk: &[(usize, Result<Parsed, String>)],
    next: usize,
    found: &Index,
    earlier: &mut Earlier,
) {
    let needed = |j: usize| found.last_use.get(j).is_some_and(|&last| last >= next);
    earlier.retain(|&j, _| needed(j));
    for (index, outcome) in chunk {
        if !needed(*index) || earlier.len() >= KEPT_EARLIER {
            continue;
        }
        if let Ok(parsed) = outcome {
            earlier.insert(*index, for_others(&parsed.report));
        }
    }
}

/// Audits one chunk of the batch's files (`base` is the first one's index): parses them
/// all, then checks each while every report of the chunk is there to be compared with,
/// then moves each report into its result.
fn audit_chunk(
    group: &[PathBuf],
    base: usize,
    files: &[PathBuf],
    found: &Index,
    earlier: &mut Earlier,
    auditor: &Auditor,
) -> Vec<Audited> {
    let parsed = read_then_parse(group, base, found, auditor);
    let read_for_chunk = read_related_once(&parsed, files, found, earlier, auditor);
    let around = Around {
        chunk: &parsed,
        earlier,
        files,
        found,
        auditor,
    };
    let together = group_size(group.len());
    let checked: Vec<Result<Checked, String>> = parsed
        .par_chunks(together)
        .zip(group.par_chunks(together))
        .flat_map_iter(|(items, paths)| check_group(items, paths, &around))
        .collect();
    keep_for_later(&parsed, base + group.len(), found, earlier);
    // Reports read for this chunk stay while later files name them, within the bound.
    for place in read_for_chunk {
        if earlier.len() <= KEPT_EARLIER {
            break;
        }
        earlier.remove(&place);
    }
    parsed
        .into_par_iter()
        .zip(checked)
        .zip(group.par_iter())
        .map(|(((_, outcome), checked), file)| {
            let outcome = match (outcome, checked) {
                (Ok(p), Ok(checked)) => isolated(file, || Ok(audited(p.report, checked))),
                (_, Err(e)) => Err(e),
                (Err(e), Ok(_)) => Err(e),
            };
            Audited {
                file: file.display().to_string(),
                outcome,
            }
        })
        .collect()
}

/// A batch file's document, for its turn or for the audit of a report that compares with
/// it: made from its extraction when the first pass set it aside, else read.
fn document_of(
    file: &Path,
    index: Option<usize>,
    found: &Index,
    auditor: &Auditor,
) -> Result<nianbao_ingest::Document, String> {
    let set_aside = index.and_then(|i| found.extractions.get(i));
    match set_aside.and_then(|e| nianbao_ingest::from_extraction(&file.to_string_lossy(), &e)) {
        Some(doc) => {
            crate::fail_point("parse", &doc.name);
            Ok(doc)
        }
        None => crate::read_document(file, &auditor.limits),
    }
}

/// The chunk's files read, then parsed: each stage over the chunk's files before the next
/// (reading; identity and part headings; tables from grids; tables from the text; the
/// rest), so that what each stage's code reads (decoders, automata, tables) stays in the
/// caches from one file to the next. A report parsed early (`Index::kept`) is taken as it
/// is.
fn read_then_parse(
    group: &[PathBuf],
    base: usize,
    found: &Index,
    auditor: &Auditor,
) -> Vec<(usize, Result<Parsed, String>)> {
    let timing = auditor.timing.as_ref();
    let read: Vec<Result<Read, String>> = group
        .par_iter()
        .enumerate()
        .map(|(k, file)| {
            if let Some(timing) = timing {
                timing.count_report();
            }
            isolated(file, || {
                timed(timing, Stage::ReadParse, || {
                    match found.kept.take(base + k) {
                        Some(parsed) => {
                            if let Some(timing) = timing {
                                timing.count_parsed_early();
                            }
                            parsed.map(Read::Parsed)
                        }
                        None => {
                            document_of(file, Some(base + k), found, auditor).map(Read::Document)
                        }
                    }
                })
            })
        })
        .collect();
    // Each stage on the documents the stage before left (`None` for the rest).
    let figures = auditor.figures();
    let begun: Vec<Result<Option<Parsing>, String>> = read
        .par_iter()
        .zip(group.par_iter())
        .map(|(read, file)| match read {
            Ok(Read::Document(doc)) => parse_stage(file, timing, || Parsing::begin(doc, figures)),
            _ => Ok(None),
        })
        .collect();
    let tabled = next_stage(begun, group, timing, |mut parsing: Parsing| {
        parsing.read_grid_tables();
        parsing
    });
    let tabled = next_stage(tabled, group, timing, |mut parsing: Parsing| {
        parsing.read_text_tables();
        parsing
    });
    let reports = next_stage(tabled, group, timing, Parsing::finish);
    read.into_par_iter()
        .zip(reports)
        .enumerate()
        .map(|(k, (read, report))| {
            let parsed = match (read, report) {
                (Err(e), _) | (_, Err(e)) => Err(e),
                (Ok(Read::Parsed(parsed)), _) => Ok(parsed),
                (Ok(Read::Document(doc)), Ok(Some(report))) => crate::accepted(report, doc),
                (Ok(Read::Document(_)), Ok(None)) => Err("internal error: not parsed".into()),
            };
            (base + k, parsed)
        })
        .collect()
}

/// Runs `work` on one of the pool's threads, this thread waiting. A chunk's stages go one
/// after another: handed over from a thread outside the pool, each was injected into it,
/// waited for, and the pool's threads slept between stages and had to be woken; on a
/// worker, the thread goes straight on to the next stage and the others, still looking for
/// work, take their shares. (The chunk's results are sent from outside the pool: a worker
/// waiting for the output to take them would leave the output's rendering, which runs in
/// the pool, no thread to run on when the pool has one.)
fn on_a_worker<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    rayon::scope(|_| work())
}

/// `stage` on what the stage before left of each file (`None`: a file no stage is for).
fn next_stage<A: Send, B: Send>(
    states: Vec<Result<Option<A>, String>>,
    group: &[PathBuf],
    timing: Option<&Timing>,
    stage: impl Fn(A) -> B + Sync + Send,
) -> Vec<Result<Option<B>, String>> {
    states
        .into_par_iter()
        .zip(group.par_iter())
        .map(|(state, file)| match state {
            Ok(Some(state)) => parse_stage(file, timing, || stage(state)),
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        })
        .collect()
}

/// One stage of parsing a file, timed, a panic in it the file's error.
fn parse_stage<T>(
    file: &Path,
    timing: Option<&Timing>,
    work: impl FnOnce() -> T,
) -> Result<Option<T>, String> {
    isolated(file, || {
        timed(timing, Stage::ReadParse, || Ok(Some(work())))
    })
}

/// A chunk's file as its first stage leaves it.
// Held a chunk's files at a time, and moved once: the variants' sizes do not matter.
#[allow(clippy::large_enum_variant)]
enum Read {
    Document(nianbao_ingest::Document),
    /// Parsed early, while the first pass identified it.
    Parsed(Parsed),
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
        let extensions: Vec<String> = nianbao_ingest::Format::EXTENSIONS
            .iter()
            .map(|(e, _)| format!(".{e}"))
            .collect();
        let _ = writeln!(
            err,
            "error: 没有找到报告文件（查找 {}） — no report files found",
            extensions.join("、")
        );
        return;
    }
    let found = first_pass(&files, previous, auditor);
    let progress = std::io::stderr().is_terminal() && files.len() > 1;
    let chunk = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
    let mut done = 0;
    let mut deliver = |n: usize, results: Vec<Audited>| {
        for result in &results {
            if let Err(e) = &result.outcome {
                tracing::info!(file = %result.file, "not audited: {e}");
            }
        }
        done += results.len();
        // The progress line goes before anything is printed to the same terminal.
        if progress && n > 0 {
            eprint!("\r\x1b[K");
        }
        sink(results);
        if progress {
            eprint!("\r审查中 {}/{}", done, files.len());
        }
    };
    if files.len() <= chunk {
        // One chunk: nothing to overlap its output with.
        let mut earlier = Earlier::new();
        let results = on_a_worker(|| audit_chunk(&files, 0, &files, &found, &mut earlier, auditor));
        deliver(0, results);
    } else {
        // A thread audits the chunks while this one hands each finished chunk to the sink
        // (rendering, writing): the cores do not wait for the output. Two chunks wait at
        // most: the output's pauses (asking the disk to write, a slow terminal) then seldom
        // stop the audit (one was 1.6% slower over twenty alternated batches, the peak
        // memory the same). Each chunk is audited on one of the pool's threads
        // (`on_a_worker`).
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Audited>>(2);
            let (files, found) = (&files, &found);
            scope.spawn(move || {
                let mut earlier = Earlier::new();
                for (n, group) in files.chunks(chunk).enumerate() {
                    let results = on_a_worker(|| {
                        audit_chunk(group, n * chunk, files, found, &mut earlier, auditor)
                    });
                    if send.send(results).is_err() {
                        break;
                    }
                }
            });
            for (n, results) in receive.into_iter().enumerate() {
                deliver(n, results);
            }
        });
    }
    if progress {
        eprint!("\r\x1b[K");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chunk is cut into a group a core, a whole group (`TOGETHER`) at most, so that a
    /// batch of a few files still runs on every core.
    #[test]
    fn every_core_gets_a_group() {
        let two_cores = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("a pool");
        two_cores.install(|| {
            assert_eq!(group_size(64), 32);
            assert_eq!(group_size(100), 32);
            assert_eq!(group_size(17), 9);
            assert_eq!(group_size(8), 4);
            assert_eq!(group_size(3), 2);
            assert_eq!(group_size(1), 1);
        });
    }

    /// PDF and DOCX files of the repository's fixtures (one scanned, without text, one a
    /// scan's OCR layer), and a web page of ../shared's corpus (kept when its prose is
    /// sketched).
    fn fixtures() -> Vec<PathBuf> {
        let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures"));
        let corpus = PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/corpus"
        ));
        [
            "seed000.docx",
            "seed003.docx",
            "scanned.pdf",
            "ocr-layer.pdf",
        ]
        .iter()
        .map(|name| dir.join(name))
        .chain([corpus.join("009_shuyang-fgj_2023.html")])
        .collect()
    }

    #[test]
    fn a_file_the_first_pass_keeps_is_the_file_parsed_and_identified_as_without() {
        let auditor = crate::configured(&[], None, &[]).expect("the built-in rules load");
        let kept = Kept::default();
        for (index, file) in fixtures().iter().enumerate() {
            let (limits, figures) = (&auditor.limits, auditor.figures());
            let alone = identify(file, limits, figures, true, None, None);
            let keeping = identify(file, limits, figures, true, Some((index, &kept)), None);
            let fields = |id: &Option<Identity>| {
                id.as_ref()
                    .map(|i| (i.organ.clone(), i.aliases.clone(), i.year, i.sketch.clone()))
            };
            assert_eq!(fields(&keeping), fields(&alone), "{}", file.display());
            let taken = kept.take(index).expect("kept");
            let fresh = crate::parse_file_reading(file, &auditor.limits, auditor.figures());
            let report = |p: &Result<Parsed, String>| {
                p.as_ref()
                    .map(|p| serde_json::to_string(&p.report).expect("serializes"))
                    .map_err(Clone::clone)
            };
            assert_eq!(report(&taken), report(&fresh), "{}", file.display());
            assert!(kept.take(index).is_none(), "taken once");
        }
        assert!(fixtures().iter().any(|f| identify(
            f,
            &auditor.limits,
            auditor.figures(),
            false,
            None,
            None
        )
        .is_some()));
    }

    #[test]
    fn a_file_whose_extraction_waits_is_the_file_read_again() {
        let auditor = crate::configured(&[], None, &[]).expect("the built-in rules load");
        let found = Index::default();
        let (limits, figures) = (&auditor.limits, auditor.figures());
        for (index, file) in fixtures().iter().enumerate() {
            let alone = identify(file, limits, figures, true, None, None);
            let setting_aside = identify(
                file,
                limits,
                figures,
                true,
                None,
                Some((index, &found.extractions)),
            );
            let fields = |id: &Option<Identity>| {
                id.as_ref()
                    .map(|i| (i.organ.clone(), i.aliases.clone(), i.year, i.sketch.clone()))
            };
            assert_eq!(fields(&setting_aside), fields(&alone), "{}", file.display());
            let extracts = !file.to_string_lossy().ends_with(".html");
            assert_eq!(
                found.extractions.get(index).is_some(),
                extracts,
                "{}",
                file.display()
            );
            let in_turn = document_of(file, Some(index), &found, &auditor).expect("readable");
            let read = crate::read_document(file, limits).expect("readable");
            assert_eq!(
                format!("{in_turn:?}"),
                format!("{read:?}"),
                "{}",
                file.display()
            );
        }
    }

    #[test]
    fn a_report_a_later_chunk_compares_with_is_kept_until_then() {
        let text = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/001_cbbc4f743fd32469.txt"
        ))
        .expect("a sample");
        let parsed = |i: usize| (i, crate::parse_bytes(&format!("{i}.txt"), &text));
        let found = Index {
            // File 0 is named by file 5, file 1 by none, file 2 by file 3 (its own chunk).
            last_use: vec![5, 0, 3, 0, 0, 0],
            ..Index::default()
        };
        let mut earlier = Earlier::new();
        keep_for_later(&[parsed(0), parsed(1)], 2, &found, &mut earlier);
        assert_eq!(earlier.keys().copied().collect::<Vec<_>>(), [0]);
        assert!(earlier[&0].figures.is_empty() && !earlier[&0].text.is_empty());
        keep_for_later(&[parsed(2), parsed(3)], 4, &found, &mut earlier);
        assert_eq!(earlier.keys().copied().collect::<Vec<_>>(), [0]);
        keep_for_later(&[parsed(4), parsed(5)], 6, &found, &mut earlier);
        assert!(earlier.is_empty(), "no file after the batch needs it");
    }

    #[test]
    fn a_report_files_of_an_earlier_chunk_name_is_read_once() {
        let sample = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../samples/001_cbbc4f743fd32469.txt"
        );
        let text = std::fs::read_to_string(sample).expect("a sample");
        // The same organ's report of the year before (its title's year), named last: in
        // the last chunk, after every copy that names it as predecessor.
        let predecessor = text.replacen("2019年", "2018年", 1);
        assert_ne!(predecessor, text);
        let dir = std::env::temp_dir().join(format!("nianbao-read-once-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder");
        let chunk = CHUNK_PER_THREAD * rayon::current_num_threads().max(1);
        for i in 0..chunk + 2 {
            std::fs::write(dir.join(format!("a{i:03}.txt")), &text).expect("written");
        }
        std::fs::write(dir.join("z.txt"), &predecessor).expect("written");
        let mut auditor = crate::configured(&[], None, &[]).expect("the built-in rules load");
        auditor.timing = Some(crate::timing::Timing::new(&auditor.rules));
        let mut results = Vec::new();
        run(
            std::slice::from_ref(&dir),
            &[],
            &auditor,
            &mut std::io::sink(),
            &mut |done| results.extend(done),
        );
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(results.len(), chunk + 3);
        let compared = results
            .iter()
            .filter_map(|a| a.outcome.as_ref().ok())
            .filter(|r| {
                r.findings.iter().any(|f| {
                    f.evidence.as_ref().is_some_and(|e| {
                        e.compared_with
                            .as_deref()
                            .is_some_and(|c| c.ends_with("z.txt"))
                    })
                })
            })
            .count();
        assert!(
            compared > chunk,
            "the copies were compared with z.txt: {compared}"
        );
        // Read once for the first chunk, and kept for the last, which takes it parsed.
        let reads = auditor.timing.as_ref().map(|t| t.related_reads());
        assert_eq!(reads, Some(1));
        let parsed_early = auditor.timing.as_ref().map(|t| t.parsed_early());
        assert_eq!(parsed_early, Some(1));
    }

    #[test]
    fn a_file_is_used_last_by_the_last_file_naming_it() {
        let id = |organ: &str, year: i32| {
            Some(Identity {
                organ: organ.into(),
                aliases: Vec::new(),
                year,
                sketch: None,
            })
        };
        let files: Vec<PathBuf> = (0..5).map(|i| PathBuf::from(format!("{i}.txt"))).collect();
        let ids = vec![
            id("甲县", 2022),
            id("乙县", 2022),
            id("甲县", 2023),
            None,
            id("乙县", 2023),
        ];
        let mut found = Index::default();
        add_years(&files, &ids, true, &mut found.years);
        // File 1 is file 0's peer; a peer named before it is read as it comes.
        found.peers = vec![Some(1), Some(0), None, None, None];
        assert_eq!(last_uses(&ids, &found), [2, 4, 0, 0, 0]);
        // File 1's peer is file 3, after it: file 3, read for file 1's chunk, is kept until
        // file 1 is checked.
        found.peers = vec![Some(1), Some(3), None, None, None];
        assert_eq!(last_uses(&ids, &found), [2, 4, 0, 1, 0]);
    }

    #[test]
    fn the_kept_text_is_bounded() {
        let kept = Kept::default();
        assert!(kept.has_room(KEPT_TEXT_BYTES - 10));
        assert!(!kept.has_room(11));
        assert!(kept.has_room(10));
        assert!(!kept.has_room(1));
        // A kept file taken gives its room back.
        kept.put(7, Err("kept".into()), 10);
        assert!(kept.take(7).is_some());
        assert!(kept.has_room(10));
        assert!(!kept.has_room(1));
    }

    #[test]
    fn web_pages_leave_half_of_the_room_to_other_documents() {
        let kept = Kept::default();
        assert!(kept.has_room_up_to(KEPT_PAGE_TEXT_BYTES - 10, KEPT_PAGE_TEXT_BYTES));
        assert!(kept.below(KEPT_PAGE_TEXT_BYTES));
        assert!(!kept.has_room_up_to(11, KEPT_PAGE_TEXT_BYTES));
        assert!(kept.has_room_up_to(10, KEPT_PAGE_TEXT_BYTES));
        assert!(!kept.below(KEPT_PAGE_TEXT_BYTES));
        // Taken, that page gives its room back.
        kept.put(9, Err("page".into()), 10);
        assert!(kept.take(9).is_some());
        // What a page could not take, a PDF still can; then neither can.
        assert!(kept.has_room(KEPT_TEXT_BYTES - KEPT_PAGE_TEXT_BYTES));
        assert!(!kept.has_room_up_to(1, KEPT_PAGE_TEXT_BYTES));
        assert!(kept.has_room(10));
        assert!(!kept.has_room(1));
    }

    #[test]
    fn parallel_readers_keep_no_more_parses_than_the_bound() {
        let kept = Kept::default();
        let parsed = || Parsed {
            report: Report::default(),
            doc: nianbao_ingest::from_text("a.txt", "某县人民政府"),
        };
        let kept_now: usize = (0..64usize)
            .into_par_iter()
            .map(|i| usize::from(kept.keep_if_room(i, parsed(), 1, 5)))
            .sum();
        assert_eq!(kept_now, 5);
        assert_eq!(kept.parsed.lock().map(|k| k.len()).ok(), Some(5));
        // Text without room is not kept, however few parses are.
        let roomy = Kept::default();
        assert!(!roomy.keep_if_room(0, parsed(), KEPT_TEXT_BYTES + 1, 5));
        assert!(roomy.keep_if_room(1, parsed(), KEPT_TEXT_BYTES, 5));
    }
}
