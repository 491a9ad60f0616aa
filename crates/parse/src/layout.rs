//! Table layouts, declared in `layouts.toml` (embedded) and compiled once.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::OnceLock;

use crate::split::RowCheck;
use nianbao_model::{Era, TableId};

const LAYOUTS_TOML: &str = include_str!("../layouts.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    table: Vec<RawLayout>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    id: String,
    era: String,
    anchor: String,
    #[serde(default)]
    markers: Vec<String>,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    total_last: bool,
    #[serde(default)]
    rows: Vec<RawRow>,
    #[serde(default)]
    sequence: Vec<String>,
    #[serde(default)]
    split: Option<String>,
    #[serde(default)]
    note_columns: Vec<[String; 2]>,
    #[serde(default)]
    headers: Vec<[String; 2]>,
    #[serde(default)]
    header_groups: Vec<[String; 2]>,
    #[serde(default)]
    parts: Vec<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    label: String,
    #[serde(default)]
    cells: Vec<String>,
    #[serde(default)]
    key: Option<String>,
    /// Labels of the table's other rows that a form printing this row does not print
    /// alongside it (信函、传真申请数 holds 传真申请数's count).
    #[serde(default)]
    not_with: Vec<String>,
}

/// One row of a layout: the label that finds it and the cells its values fill.
#[derive(Debug)]
pub struct RowLayout {
    pub label: Pattern,
    /// The catalogue's own copies of the keys (or `IGNORED_CELL`).
    pub cells: Vec<&'static str>,
    /// The label's Chinese characters as the form prints them (its first alternative's,
    /// without the pattern's syntax): what a label OCR misread is compared with.
    pub printed: Vec<char>,
    /// The rows a form that prints this row does not print (`not_with`, by index): once
    /// one of them is read, this row is not in the table being read.
    pub not_with: Vec<usize>,
}

/// How a row's label relates to the others' of its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowRelations {
    /// How many rows with cells have this label, this one included (the old table's
    /// "维持具体行政行为数" under 行政复议 and again under 被举报投诉).
    pub shared_by: usize,
    /// The rows with cells whose plain label holds this one's inside it ("同意公开答复数"
    /// in "不同意公开答复数"): this label is found inside theirs too.
    pub inside: Vec<usize>,
    /// Whether the label has more than one text (a later part of the printed label, such
    /// as 内部事务 or 另行制作, besides its start), or is a regex: found, the label may have
    /// begun before the match.
    pub may_begin_before_match: bool,
}

/// Each row's `RowRelations`, the rows' plain labels searched for in each other's with
/// `labels` (rows without cells relate to none).
fn relate(rows: &[RowLayout], labels: &RowLabels) -> Vec<RowRelations> {
    let key = |row: &RowLayout| match &row.label {
        Pattern::Texts { alternatives, .. } => alternatives.join("\n"),
        Pattern::Regex(regex) => format!("regex\n{}", regex.as_str()),
    };
    let keys: Vec<String> = rows.iter().map(key).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (row, key) in rows.iter().zip(&keys) {
        if !row.cells.is_empty() {
            *counts.entry(key).or_default() += 1;
        }
    }
    let mut relations: Vec<RowRelations> = rows
        .iter()
        .zip(&keys)
        .map(|(row, key)| RowRelations {
            shared_by: match row.cells.is_empty() {
                true => 0,
                false => counts[key.as_str()],
            },
            inside: Vec::new(),
            may_begin_before_match: may_begin_before_match(&row.label),
        })
        .collect();
    for (outer, row) in rows.iter().enumerate() {
        let Pattern::Texts { alternatives, .. } = &row.label else {
            continue;
        };
        if row.cells.is_empty() {
            continue;
        }
        for text in alternatives {
            for (inner, len) in labels.labels_in(text) {
                let wanted = rows.get(inner).is_some_and(|r| !r.cells.is_empty());
                if wanted
                    && inner != outer
                    && len < text.len()
                    && !relations[inner].inside.contains(&outer)
                {
                    relations[inner].inside.push(outer);
                }
            }
        }
    }
    relations
}

/// See `RowRelations::may_begin_before_match`.
fn may_begin_before_match(label: &Pattern) -> bool {
    match label {
        Pattern::Texts { alternatives, .. } => alternatives.len() > 1,
        Pattern::Regex(_) => true,
    }
}

impl TableLayout {
    /// The rows' plain labels, searched for all at once.
    pub fn row_labels(&self) -> &RowLabels {
        self.row_labels.get_or_init(|| RowLabels::new(&self.rows))
    }

    /// How each row's label relates to the others' (worked out on first use).
    pub fn relations(&self) -> &[RowRelations] {
        self.relations
            .get_or_init(|| relate(&self.rows, self.row_labels()))
    }

    /// The rows' cells numbered for choosing between cuts of run-together digits.
    pub(crate) fn cell_numbers(&self) -> &crate::choose::CellNumbers {
        self.cell_numbers
            .get_or_init(|| crate::choose::CellNumbers::of(self))
    }
}

/// How to read one table of one era.
#[derive(Debug)]
pub struct TableLayout {
    pub id: TableId,
    /// `None` for tables the same in every era (表四).
    pub era: Option<Era>,
    pub anchor: Pattern,
    pub markers: Vec<Pattern>,
    pub total_last: bool,
    pub rows: Vec<RowLayout>,
    /// The rows' plain labels, found in one pass (built on first use).
    row_labels: OnceLock<RowLabels>,
    /// How each row's label relates to the others' (built on first use).
    relations: OnceLock<Vec<RowRelations>>,
    /// The rows' cells numbered for the split choice (built on first use).
    cell_numbers: OnceLock<crate::choose::CellNumbers>,
    /// Tables printed as one run of numbers in a fixed order.
    pub sequence: Vec<&'static str>,
    /// How run-together digits are cut back into this table's cells.
    pub split: RowCheck,
    /// For a cell printed above its table with a note ("55（含自然失效29件）"): the note
    /// pattern and the column (last part of the key) it names.
    pub note_columns: Vec<(Pattern, String)>,
    /// Column names by the header printed above them, in the order they are tried.
    pub headers: Vec<(String, Pattern)>,
    /// A level of header above the columns, prefixed to their names.
    pub header_groups: Vec<(String, Pattern)>,
    /// Totals and their parts (`[total, part, …]`): the parts never add up to more than
    /// the total. They decide between cuts of run-together digits that fit each row alike.
    pub parts: Vec<Vec<&'static str>>,
}

/// The column of a row that is read but not kept.
pub const IGNORED_CELL: &str = "_";

/// A layout's cell key as the catalogue's own copy (looked up by where it lies, not by its
/// text, when stored), or `IGNORED_CELL`; any other key is an error.
fn canonical(key: &str) -> Result<&'static str, LayoutError> {
    if key == IGNORED_CELL {
        return Ok(IGNORED_CELL);
    }
    nianbao_model::catalog()
        .get(key)
        .map(|field| field.key)
        .ok_or_else(|| LayoutError::Unknown {
            what: "cell key",
            value: key.to_string(),
        })
}

#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error("layouts.toml: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("layouts.toml: bad pattern {pattern:?}: {source}")]
    Pattern {
        pattern: String,
        source: regex::Error,
    },
    #[error("layouts.toml: unknown {what} {value:?}")]
    Unknown { what: &'static str, value: String },
    #[error("layouts.toml: parts [{list}]: {reason}")]
    Parts { list: String, reason: &'static str },
    #[error("layouts.toml: row {row:?}: not_with names {label:?}, which is not the label of another row of its table")]
    NotWith { row: String, label: String },
}

/// The Chinese characters of a label pattern's first alternative ("危及“?三安全一稳定|三安全一稳定"
/// prints 危及三安全一稳定; "(行政)?规范性文件", 行政规范性文件); inside a group, those of
/// every one of its alternatives ("(行政|部门)规章", 行政部门规章).
fn printed_characters(pattern: &str) -> Vec<char> {
    let (mut depth, mut escaped) = (0usize, false);
    let mut printed = Vec::new();
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => break,
            _ if crate::tables::is_han(c) => printed.push(c),
            _ => {}
        }
    }
    printed
}

/// How much of a label OCR misread must be the form's, in order: a share of the longer's
/// characters.
const LEAST_LIKENESS: f64 = 0.5;

/// Of the `candidates` (indices into `rows`), the row whose printed label the Chinese
/// characters of a label OCR `read` are most like, in order ([`common_in_order`] over the
/// longer's length): at least [`LEAST_LIKENESS`], and no other row as like it. A reading of
/// fewer than two Chinese characters names no row. A note in brackets read with the label
/// may be left out (the cell's "（不同方式回应同一热点或舆情计1次）"), or be the label's own
/// ("乡镇政府（街道办事处）"): whichever is more like the row counts.
pub(crate) fn most_like(read: &str, rows: &[RowLayout], candidates: &[usize]) -> Option<usize> {
    let is_han = |c: &char| crate::tables::is_han(*c);
    let whole: Vec<char> = read.chars().filter(is_han).collect();
    let bare: Vec<char> = without_notes(read).filter(is_han).collect();
    // Without a note left out, the bare reading is the whole one: measured once.
    let readings = match bare.len() < whole.len() {
        true => vec![whole, bare],
        false => vec![whole],
    };
    let likeness = |read: &[char], printed: &[char]| match read.len() < 2 {
        true => 0.0,
        false => {
            common_in_order(read, printed) as f64 / read.len().max(printed.len()).max(1) as f64
        }
    };
    let mut scored: Vec<(f64, usize)> = candidates
        .iter()
        .map(|&i| {
            let printed = &rows[i].printed;
            let best = readings
                .iter()
                .map(|r| likeness(r, printed))
                .fold(0.0, f64::max);
            (best, i)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    match scored.as_slice() {
        [(best, index), rest @ ..]
            if *best >= LEAST_LIKENESS && rest.first().is_none_or(|(next, _)| next < best) =>
        {
            Some(*index)
        }
        _ => None,
    }
}

/// Brackets OCR may read a note's as: a label's note ("（不同方式回应同一热点或舆情计1次）")
/// is printed in its cell, often read with "〈" for "（".
const OPENING: [char; 4] = ['(', '（', '〈', '《'];
const CLOSING: [char; 4] = [')', '）', '〉', '》'];
/// A bracketed stretch of this many Chinese characters or more is a note, not a numbering
/// ("（一）").
const NOTE_CHARS: usize = 4;

/// The characters of a label as read, but those of its notes in brackets.
fn without_notes(read: &str) -> impl Iterator<Item = char> + '_ {
    let chars: Vec<char> = read.chars().collect();
    let mut keep = vec![true; chars.len()];
    let mut at = 0;
    while let Some(open) = (at..chars.len()).find(|&i| OPENING.contains(&chars[i])) {
        let Some(close) = (open + 1..chars.len()).find(|&i| CLOSING.contains(&chars[i])) else {
            break;
        };
        let inside = &chars[open + 1..close];
        if inside.iter().filter(|&&c| crate::tables::is_han(c)).count() >= NOTE_CHARS {
            keep[open..=close].iter_mut().for_each(|k| *k = false);
        }
        at = close + 1;
    }
    chars
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(c, _)| c)
}

/// How many of `a`'s characters `b` holds in the same order, at most (the longest common
/// subsequence).
fn common_in_order(a: &[char], b: &[char]) -> usize {
    let mut above = vec![0usize; b.len() + 1];
    for &x in a {
        let mut here = vec![0usize; b.len() + 1];
        for (j, &y) in b.iter().enumerate() {
            here[j + 1] = match x == y {
                true => above[j] + 1,
                false => here[j].max(above[j + 1]),
            };
        }
        above = here;
    }
    above[b.len()]
}

fn regex(pattern: &str) -> Result<Pattern, LayoutError> {
    Pattern::new(pattern)
}

/// A label or header pattern of `layouts.toml`. Plain text and alternatives of plain text
/// (`公开总|总数`, `第二十条第\(一\)项`: nine patterns in ten) are found by substring search;
/// the rest is a regex. Compiling a regex costs tens of microseconds, which every run of
/// nianbao paid for each of the file's 250 patterns before it read a single report.
#[derive(Debug)]
pub enum Pattern {
    /// Alternatives, in the pattern's order, searched for all at once (one pass over the
    /// text, leftmost match first and, at one place, the first alternative).
    Texts {
        alternatives: Vec<String>,
        /// Built on first use: most patterns serve only in `RowLabels`, and building every
        /// one at start would cost a one-file run milliseconds.
        searcher: OnceLock<AhoCorasick>,
    },
    Regex(Regex),
}

/// The row labels of a table that are plain text, searched for all at once: for each
/// row, every place one of its alternatives starts, with the first-listed alternative
/// there — what searching for the row's pattern from each match + 1 finds.
#[derive(Debug)]
pub struct RowLabels {
    searcher: AhoCorasick,
    /// For each of the searcher's patterns: its row and its place among the row's
    /// alternatives.
    owners: Vec<(usize, usize)>,
}

impl RowLabels {
    fn new(rows: &[RowLayout]) -> RowLabels {
        let mut texts: Vec<&str> = Vec::new();
        let mut owners = Vec::new();
        for (row, layout) in rows.iter().enumerate() {
            if let Pattern::Texts { alternatives, .. } = &layout.label {
                for (k, text) in alternatives.iter().enumerate() {
                    texts.push(text);
                    owners.push((row, k));
                }
            }
        }
        let searcher = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&texts)
            .expect("a table's labels make a searcher");
        RowLabels { searcher, owners }
    }

    /// Every row's plain label found in `text`, overlapping: the row and the match's length.
    fn labels_in<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        self.searcher
            .find_overlapping_iter(text)
            .map(|m| (self.owners[m.pattern().as_usize()].0, m.len()))
    }

    /// Which rows' plain labels occur in `text` (false for rows whose label is a regex).
    pub fn rows_in(&self, text: &str, rows: usize) -> Vec<bool> {
        let mut found = vec![false; rows];
        for m in self.searcher.find_overlapping_iter(text) {
            let (row, _) = self.owners[m.pattern().as_usize()];
            if let Some(seen) = found.get_mut(row) {
                *seen = true;
            }
        }
        found
    }

    /// For each row (empty for rows whose label is a regex): the (start, end) of its label's
    /// matches in `text[from..]`, by start.
    pub fn occurrences(&self, text: &str, from: usize, rows: usize) -> Vec<Vec<(usize, usize)>> {
        // (start, alternative, end) by row; at one start the first alternative counts.
        let mut found: Vec<Vec<(usize, usize, usize)>> = vec![Vec::new(); rows];
        let input = aho_corasick::Input::new(text).range(from.min(text.len())..);
        for m in self.searcher.find_overlapping_iter(input) {
            let (row, alternative) = self.owners[m.pattern().as_usize()];
            if let Some(list) = found.get_mut(row) {
                list.push((m.start(), alternative, m.end()));
            }
        }
        found
            .into_iter()
            .map(|mut list| {
                list.sort_unstable();
                list.dedup_by_key(|&mut (start, _, _)| start);
                list.into_iter().map(|(s, _, e)| (s, e)).collect()
            })
            .collect()
    }
}

/// The layouts' anchors, each written the same way once (the eras of a table often share
/// one: searching it again finds the same).
pub fn distinct_anchors<'a>(layouts: impl Iterator<Item = &'a TableLayout>) -> Vec<&'a Pattern> {
    let mut anchors: Vec<&Pattern> = Vec::new();
    for layout in layouts {
        if !anchors.iter().any(|a| a.same_as(&layout.anchor)) {
            anchors.push(&layout.anchor);
        }
    }
    anchors
}

/// Where a pattern was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    start: usize,
    end: usize,
}

impl Found {
    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }
}

/// The alternatives of a pattern that is plain text, `|` and escaped punctuation only.
fn plain_alternatives(pattern: &str) -> Option<Vec<String>> {
    let mut alternatives = vec![String::new()];
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        let current = alternatives.last_mut()?;
        match c {
            '\\' => match chars.next() {
                Some(e) if "().[]{}|?*+^$\\-/".contains(e) => current.push(e),
                _ => return None,
            },
            '|' => alternatives.push(String::new()),
            // A line break stays a regex: plain labels are found within one line.
            c if ".^$?*+()[]{}\n".contains(c) => return None,
            c => current.push(c),
        }
    }
    alternatives
        .iter()
        .all(|a| !a.is_empty())
        .then_some(alternatives)
}

/// The searcher of plain alternatives: leftmost match first and, at one place, the first
/// alternative, as a regex would choose. Plain texts always make a searcher (the automaton
/// is small: a contiguous NFA, no DFA to build).
fn texts_searcher<'a>(cell: &'a OnceLock<AhoCorasick>, alternatives: &[String]) -> &'a AhoCorasick {
    cell.get_or_init(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(alternatives)
            .expect("plain texts make a searcher")
    })
}

impl Pattern {
    /// Whether two patterns are written the same (and so find the same).
    pub fn same_as(&self, other: &Pattern) -> bool {
        match (self, other) {
            (
                Pattern::Texts {
                    alternatives: a, ..
                },
                Pattern::Texts {
                    alternatives: b, ..
                },
            ) => a == b,
            (Pattern::Regex(a), Pattern::Regex(b)) => a.as_str() == b.as_str(),
            _ => false,
        }
    }

    fn new(pattern: &str) -> Result<Pattern, LayoutError> {
        if let Some(alternatives) = plain_alternatives(pattern) {
            return Ok(Pattern::Texts {
                alternatives,
                searcher: OnceLock::new(),
            });
        }
        Regex::new(pattern)
            .map(Pattern::Regex)
            .map_err(|source| LayoutError::Pattern {
                pattern: pattern.to_string(),
                source,
            })
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Texts {
                alternatives,
                searcher,
            } => texts_searcher(searcher, alternatives).is_match(text),
            Pattern::Regex(r) => r.is_match(text),
        }
    }

    /// The leftmost match starting at byte `at` or later (at one place, the first
    /// alternative, as a regex would choose).
    pub fn find_at(&self, text: &str, at: usize) -> Option<Found> {
        match self {
            Pattern::Texts {
                alternatives,
                searcher,
            } => {
                let found = texts_searcher(searcher, alternatives)
                    .find(aho_corasick::Input::new(text).range(at.min(text.len())..))?;
                Some(Found {
                    start: found.start(),
                    end: found.end(),
                })
            }
            Pattern::Regex(r) => r.find_at(text, at).map(|m| Found {
                start: m.start(),
                end: m.end(),
            }),
        }
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::*;

    #[test]
    fn plain_patterns_need_no_regex_and_find_as_one_would() {
        let plain = |p: &str| matches!(Pattern::new(p), Ok(Pattern::Texts { .. }));
        assert!(plain("予以公开"));
        assert!(plain("公开总|总数"));
        assert!(plain(r"第二十条第\(一\)项"));
        assert!(!plain(r"增.{0,2}减"));
        assert!(!plain(r"^其他$"));
        assert!(!plain(r"其他处理[\t\n ]*\d+"));
        assert!(!plain("其他\n处理"));
        let text = "一、总数 二、公开总数";
        for pattern in ["公开总|总数", "总数|公开总", r"第二十条第\(一\)项|总数"]
        {
            let ours = Pattern::new(pattern).expect("pattern");
            let regex = Regex::new(pattern).expect("regex");
            for at in [0, 1, 3, 9, 10, 12] {
                let theirs = regex.find_at(text, at).map(|m| (m.start(), m.end()));
                let found = ours.find_at(text, at).map(|f| (f.start(), f.end()));
                assert_eq!(found, theirs, "{pattern} at {at}");
            }
            assert_eq!(ours.is_match(text), regex.is_match(text));
        }
    }
}

fn table_id(text: &str) -> Result<TableId, LayoutError> {
    match text {
        "t2" => Ok(TableId::T2),
        "t3" => Ok(TableId::T3),
        "t4" => Ok(TableId::T4),
        "old" => Ok(TableId::Old),
        _ => Err(LayoutError::Unknown {
            what: "table id",
            value: text.to_string(),
        }),
    }
}

fn compile(raw: RawLayout) -> Result<TableLayout, LayoutError> {
    let era = match raw.era.as_str() {
        "any" => None,
        other => Some(Era::parse(other).ok_or_else(|| LayoutError::Unknown {
            what: "era",
            value: other.to_string(),
        })?),
    };
    let rows = raw
        .rows
        .iter()
        .map(|row| {
            let cells = match &row.key {
                Some(prefix) => raw
                    .columns
                    .iter()
                    .map(|c| canonical(&format!("{prefix}.{c}")))
                    .collect::<Result<_, _>>()?,
                None => row
                    .cells
                    .iter()
                    .map(|k| canonical(k))
                    .collect::<Result<_, _>>()?,
            };
            Ok(RowLayout {
                label: regex(&row.label)?,
                cells,
                printed: printed_characters(&row.label),
                not_with: not_with(row, &raw.rows)?,
            })
        })
        .collect::<Result<Vec<_>, LayoutError>>()?;
    let sequence = raw
        .sequence
        .iter()
        .map(|k| canonical(k))
        .collect::<Result<_, _>>()?;
    Ok(TableLayout {
        id: table_id(&raw.id)?,
        era,
        anchor: regex(&raw.anchor)?,
        markers: raw
            .markers
            .iter()
            .map(|m| regex(m))
            .collect::<Result<_, _>>()?,
        total_last: raw.total_last,
        row_labels: OnceLock::new(),
        relations: OnceLock::new(),
        cell_numbers: OnceLock::new(),
        sequence,
        split: split_check(raw.split.as_deref())?,
        note_columns: raw
            .note_columns
            .iter()
            .map(|[pattern, column]| Ok((regex(pattern)?, column.clone())))
            .collect::<Result<_, LayoutError>>()?,
        headers: named(&raw.headers)?,
        header_groups: named(&raw.header_groups)?,
        parts: parts(&raw.parts, &rows)?,
        rows,
    })
}

/// The rows `row` names in `not_with`, by index among the table's `rows`: each the one other
/// row with that label.
fn not_with(row: &RawRow, rows: &[RawRow]) -> Result<Vec<usize>, LayoutError> {
    row.not_with
        .iter()
        .map(|label| {
            let mut named = rows
                .iter()
                .enumerate()
                .filter(|(_, other)| other.label == *label && !std::ptr::eq(*other, row));
            match (named.next(), named.next()) {
                (Some((index, _)), None) => Ok(index),
                _ => Err(LayoutError::NotWith {
                    row: row.label.clone(),
                    label: label.clone(),
                }),
            }
        })
        .collect()
}

/// The `parts` lists as catalogue keys, each a total and at least one part, all of them
/// cells of the table's rows.
fn parts(lists: &[Vec<String>], rows: &[RowLayout]) -> Result<Vec<Vec<&'static str>>, LayoutError> {
    let in_rows = |key: &str| rows.iter().any(|r| r.cells.contains(&key));
    lists
        .iter()
        .map(|list| {
            let refuse = |reason| LayoutError::Parts {
                list: list.join(", "),
                reason,
            };
            if list.len() < 2 {
                return Err(refuse("a total and at least one part are needed"));
            }
            list.iter()
                .map(|key| match canonical(key)? {
                    k if k != IGNORED_CELL && in_rows(k) => Ok(k),
                    _ => Err(refuse("every key must be a cell of the table's rows")),
                })
                .collect()
        })
        .collect()
}

fn named(pairs: &[[String; 2]]) -> Result<Vec<(String, Pattern)>, LayoutError> {
    pairs
        .iter()
        .map(|[name, pattern]| Ok((name.clone(), regex(pattern)?)))
        .collect()
}

fn split_check(text: Option<&str>) -> Result<RowCheck, LayoutError> {
    match text {
        None | Some("none") => Ok(RowCheck::None),
        Some("total") => Ok(RowCheck::Total),
        Some("ascending") => Ok(RowCheck::Ascending),
        Some(other) => match other.strip_prefix("groups:").and_then(|n| n.parse().ok()) {
            Some(size) if size > 1 => Ok(RowCheck::GroupTotals(size)),
            _ => Err(LayoutError::Unknown {
                what: "split",
                value: other.to_string(),
            }),
        },
    }
}

pub fn load(text: &str) -> Result<Vec<TableLayout>, LayoutError> {
    let file: LayoutFile = toml::from_str(text)?;
    file.table.into_iter().map(compile).collect()
}

/// The embedded layouts; valid by construction (tested).
pub fn layouts() -> &'static [TableLayout] {
    static LAYOUTS: OnceLock<Vec<TableLayout>> = OnceLock::new();
    LAYOUTS.get_or_init(|| load(LAYOUTS_TOML).expect("embedded layouts.toml is valid (tested)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misread_labels_note_in_brackets_does_not_count() {
        let table = load(
            "[[table]]\nid='old'\nera='pre2019'\nanchor='x'\n\
             rows=[{label='回应公众关注热点或重大舆情数', cells=['old.response.hotspots']}, \
             {label='参加或举办新闻发布会总次数', cells=['old.response.press_conf']}]",
        )
        .unwrap();
        let rows = &table[0].rows;
        let like = |read: &str| most_like(read, rows, &[0, 1]);
        // "重大舆情数" misread, and the cell's note read with it.
        let read = "(一)回应公众关注热点或SARK〈不同方式回应同一热点或舆情计1次)";
        assert_eq!(like(read), Some(0));
        // Brackets the label has itself count.
        let table = load(
            "[[table]]\nid='old'\nera='pre2019'\nanchor='x'\n\
             rows=[{label='乡镇政府\\(街道办事处\\)', cells=['old.visitors.township']}]",
        )
        .unwrap();
        assert_eq!(
            most_like("(=)乡镇政府(8道办事处)", &table[0].rows, &[0]),
            Some(0)
        );
        assert_eq!(
            without_notes("(一)回应热点（注）").collect::<String>(),
            "(一)回应热点（注）"
        );
        // The note alone names nothing.
        assert_eq!(like("〈不同方式回应同一热点或舆情计1次)"), None);
    }

    #[test]
    fn common_characters_in_order_are_the_longest_common_subsequence() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(
            common_in_order(&chars("属于国家秘"), &chars("属于国家秘密")),
            5
        );
        assert_eq!(
            common_in_order(&chars("全一稳定"), &chars("危及三安全一稳定")),
            4
        );
        assert_eq!(
            common_in_order(&chars("定稳一全"), &chars("危及三安全一稳定")),
            1
        );
        assert_eq!(common_in_order(&chars("部分人"), &chars("部分公开")), 2);
        assert_eq!(common_in_order(&[], &chars("部分公开")), 0);
    }

    #[test]
    fn a_labels_printed_characters_are_its_first_alternatives() {
        let printed = |p: &str| printed_characters(p).into_iter().collect::<String>();
        assert_eq!(
            printed("危及“?三安全一稳定|三安全一稳定"),
            "危及三安全一稳定"
        );
        assert_eq!(printed("(行政)?规范性文件"), "行政规范性文件");
        assert_eq!(printed("第二十条第\\(八\\)项"), "第二十条第八项");
        assert_eq!(printed("(行政|部门)规章|规章"), "行政部门规章");
        assert_eq!(printed("3[.、]\n?其他"), "其他");
    }

    #[test]
    fn embedded_layouts_compile_and_name_known_cells() {
        let all = load(LAYOUTS_TOML).unwrap();
        assert_eq!(all.len(), 7);
        let t3_2021 = all
            .iter()
            .find(|l| l.id == TableId::T3 && l.era == Some(Era::Y2021))
            .unwrap();
        let keys: usize = t3_2021.rows.iter().map(|r| r.cells.len()).sum();
        assert_eq!(keys, 25 * 7);
    }

    /// Each row's relations as comparing every two rows' labels tells.
    #[test]
    fn rows_relate_as_their_labels_compared_two_by_two() {
        let texts = |row: &RowLayout| match &row.label {
            Pattern::Texts { alternatives, .. } => alternatives.clone(),
            Pattern::Regex(_) => Vec::new(),
        };
        let mut related = 0;
        for layout in load(LAYOUTS_TOML).unwrap() {
            let rows = &layout.rows;
            let with_cells = |r: &usize| !rows[*r].cells.is_empty();
            for (r, relations) in layout.relations().iter().enumerate() {
                if rows[r].cells.is_empty() {
                    continue;
                }
                let shared_by = (0..rows.len())
                    .filter(with_cells)
                    .filter(|&o| rows[o].label.same_as(&rows[r].label))
                    .count();
                let own = texts(&rows[r]);
                let mut inside: Vec<usize> = (0..rows.len())
                    .filter(with_cells)
                    .filter(|&o| o != r)
                    .filter(|&o| {
                        texts(&rows[o]).iter().any(|t| {
                            own.iter()
                                .any(|a| t.len() > a.len() && t.contains(a.as_str()))
                        })
                    })
                    .collect();
                let mut found = relations.inside.clone();
                inside.sort_unstable();
                found.sort_unstable();
                assert_eq!((relations.shared_by, found), (shared_by, inside), "row {r}");
                related += usize::from(shared_by > 1 || !relations.inside.is_empty());
            }
        }
        // The old table's shared and nested labels are among them.
        assert!(related >= 4, "{related}");
    }

    #[test]
    fn unknown_cell_keys_are_refused() {
        let bad =
            "[[table]]\nid='t2'\nera='2019'\nanchor='x'\nrows=[{label='规章', cells=['t2.nope']}]";
        assert!(matches!(
            load(bad),
            Err(LayoutError::Unknown {
                what: "cell key",
                ..
            })
        ));
    }

    #[test]
    fn parts_must_be_cells_of_the_table() {
        let table = "[[table]]\nid='old'\nera='pre2019'\nanchor='x'\n\
                     rows=[{label='答复', cells=['old.apply.answered']}, {label='同意', cells=['old.apply.granted']}]\n";
        let with = |parts: &str| load(&format!("{table}parts=[{parts}]"));
        let ok = with("['old.apply.answered', 'old.apply.granted']").unwrap();
        assert_eq!(ok[0].parts, [["old.apply.answered", "old.apply.granted"]]);
        // A key of the catalogue but not of this table, and a total without parts.
        for bad in [
            "['old.apply.answered', 'old.apply.denied']",
            "['old.apply.answered']",
        ] {
            assert!(matches!(with(bad), Err(LayoutError::Parts { .. })), "{bad}");
        }
    }

    #[test]
    fn not_with_names_another_row_of_the_table() {
        let with = |not_with: &str| {
            load(&format!(
                "[[table]]\nid='old'\nera='pre2019'\nanchor='x'\n\
                 rows=[{{label='传真申请数', cells=['old.apply.fax']}}, \
                 {{label='信函、传真申请数', cells=['_'], not_with=[{not_with}]}}]"
            ))
        };
        let ok = with("'传真申请数'").unwrap();
        assert_eq!(ok[0].rows[1].not_with, [0]);
        assert!(ok[0].rows[0].not_with.is_empty());
        // A label no row has, or the row's own.
        for bad in ["'信函申请数'", "'信函、传真申请数'"] {
            assert!(
                matches!(with(bad), Err(LayoutError::NotWith { .. })),
                "{bad}"
            );
        }
    }
}
