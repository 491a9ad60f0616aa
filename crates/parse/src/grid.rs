//! The grid reader: tables whose rows and columns the format gives (HTML, DOCX, ruled PDFs,
//! pipe tables and tab rows whose rows all have every column). A table is found by its anchor in a grid (and continued by grids
//! that follow with its row labels); each row is matched to the layout by its label, each
//! value to a column by the header above it; a blank cell stays blank in its column, and a
//! value under no column of the form is kept as unplaced rather than moved to a neighbour.

use crate::layout::{
    distinct_anchors, layouts, most_like, Pattern, RowLayout, TableLayout, IGNORED_CELL,
};
use crate::read::{CellRead, TableRead, Unplaced};
use crate::split::RowCheck;
use crate::stream::{Kept, Stream};
use crate::tables::{choose_layout, is_han};
use crate::value::{is_money, read_cell, says_yuan, yuan_to_wan, CellValue};
use foldhash::{HashMap, HashMapExt};
use nianbao_ingest::{Document, Grid, GridCell, GridSource};
use nianbao_model::{Doubt, Era, ReadMethod, TableId, PLACED_IN_ORDER};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

/// Text as labels and headers are matched: whitespace dropped except between two digits
/// (one space). Runs between whitespace are copied whole; a text without whitespace (most
/// cells) is itself.
pub(crate) fn compact(text: &str) -> Cow<'_, str> {
    if nianbao_ingest::next_whitespace(text, 0).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    crate::stream::compacted(text, |kept| match kept {
        Kept::Text(range) => out.push_str(&text[range]),
        Kept::Space(_) => out.push(' '),
    });
    Cow::Owned(out)
}

/// The rows of one grid that belong to one table.
struct Part<'a> {
    grid: &'a Grid,
    rows: Range<usize>,
}

/// One table's parts, in document order (a table split over grids).
struct Assembled<'a> {
    id: TableId,
    parts: Vec<Part<'a>>,
}

const TABLES: [TableId; 4] = [TableId::T2, TableId::T3, TableId::T4, TableId::Old];

fn row_text(cells: &[&GridCell]) -> String {
    let cells: Vec<Cow<str>> = cells.iter().map(|c| compact(&c.text)).collect();
    cells.join("\t")
}

/// Whether table `id`'s anchor (any of its layouts') stands in `text`. The anchors are
/// gathered once: every grid of every report asks.
fn is_anchored(id: TableId, text: &str) -> bool {
    static ANCHORS: OnceLock<Vec<(TableId, Vec<&'static Pattern>)>> = OnceLock::new();
    let anchors = ANCHORS.get_or_init(|| {
        TABLES
            .iter()
            .map(|&id| {
                let of_table = layouts().iter().filter(|l| l.id == id);
                (id, distinct_anchors(of_table))
            })
            .collect()
    });
    anchors
        .iter()
        .find(|(of, _)| *of == id)
        .is_some_and(|(_, anchors)| anchors.iter().any(|a| a.is_match(text)))
}

/// The first row where each table's anchor stands in a grid, in row order.
fn anchors(grid: &Grid) -> Vec<(usize, TableId)> {
    let texts: Vec<String> = grid.rows().iter().map(|cells| row_text(cells)).collect();
    let mut found: Vec<(usize, TableId)> = TABLES
        .iter()
        .filter_map(|&id| Some((texts.iter().position(|t| is_anchored(id, t))?, id)))
        .collect();
    if found.is_empty() {
        // Header words broken over rows (a narrow column or a page break cuts 结果维持 into
        // 结果 / 维持): each column's text read down, then the grid's text read as one.
        let mut texts = columns_down(grid);
        texts.push(texts.concat());
        let id = TABLES
            .iter()
            .find(|&&id| texts.iter().any(|t| is_anchored(id, t)));
        found.extend(id.map(|&id| (0, id)));
    }
    found.sort();
    found
}

/// Each column's text read top to bottom (a merged cell once).
fn columns_down(grid: &Grid) -> Vec<String> {
    (0..grid.n_cols)
        .map(|c| {
            let mut text = String::new();
            let mut last: Option<*const GridCell> = None;
            for r in 0..grid.n_rows {
                if let Some(cell) = grid.covering(r, c) {
                    if last != Some(cell as *const GridCell) {
                        text.push_str(&compact(&cell.text));
                        last = Some(cell);
                    }
                }
            }
            text
        })
        .collect()
}

/// The table whose anchor stands in the lines right above a grid that has none, when the
/// grid holds a row of that table: a header a page break left at the foot of the page
/// before ("统计指标  单位  统计数" over a table that starts on the next page).
fn anchored_above(doc: &Document, grid: &Grid) -> Option<TableId> {
    const LINES_ABOVE: usize = 4;
    let start = grid.cells.iter().map(|c| c.start).min()?;
    let mut above: Vec<Cow<str>> = doc
        .text
        .get(..start)?
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(LINES_ABOVE)
        .map(compact)
        .collect();
    above.reverse();
    let above = above.join("\t");
    TABLES
        .iter()
        .copied()
        .find(|&id| is_anchored(id, &above) && continues(grid, id))
}

/// Whether a grid without an anchor goes on with a table: one of its rows has a label of
/// that table's rows.
fn continues(grid: &Grid, id: TableId) -> bool {
    let rows: Vec<&RowLayout> = layouts()
        .iter()
        .filter(|l| l.id == id)
        .flat_map(|l| &l.rows)
        .filter(|r| !r.cells.is_empty())
        .collect();
    grid.cells
        .iter()
        .filter(|c| matches!(value_of(&c.text), CellValue::Text))
        .any(|c| {
            let text = compact(&c.text);
            rows.iter().any(|r| r.label.is_match(&text))
        })
}

/// The tables of the document's aligned grids (the others are left to the stream reader,
/// which reads cells by their order).
fn assemble(doc: &Document) -> Vec<Assembled<'_>> {
    let mut out: Vec<Assembled> = Vec::new();
    for grid in doc.grids.iter().filter(|g| g.aligned) {
        let found = anchors(grid);
        if found.is_empty() {
            let whole = Part {
                grid,
                rows: 0..grid.n_rows,
            };
            match out.last_mut() {
                Some(last) if continues(grid, last.id) => last.parts.push(whole),
                _ => {
                    if let Some(id) = anchored_above(doc, grid) {
                        out.push(Assembled {
                            id,
                            parts: vec![whole],
                        });
                    }
                }
            }
            continue;
        }
        for (k, &(row, id)) in found.iter().enumerate() {
            // Rows above the first anchor are that table's headers.
            let from = if k == 0 { 0 } else { row };
            let to = found.get(k + 1).map_or(grid.n_rows, |next| next.0);
            let part = Part {
                grid,
                rows: from..to,
            };
            match out.last_mut() {
                Some(last) if k == 0 && last.id == id => last.parts.push(part),
                _ => out.push(Assembled {
                    id,
                    parts: vec![part],
                }),
            }
        }
    }
    out
}

/// A cell's value: notes in parentheses after a number ("55(含自然失效29件)") are notes.
fn value_of(text: &str) -> CellValue {
    let text = compact(text);
    match read_cell(&text) {
        CellValue::Text => match text.find('(') {
            Some(at) if at > 0 => match read_cell(&text[..at]) {
                CellValue::Number(v) => CellValue::Number(v),
                _ => CellValue::Text,
            },
            _ => CellValue::Text,
        },
        other => other,
    }
}

/// What a cell holds. Text lined up with spaces may put two columns' values in one cell
/// ("0 0", see [`one_word_a_cell`]): values still, not a label.
fn kind_of(cell: &GridCell, source: GridSource) -> CellValue {
    match value_of(&cell.text) {
        CellValue::Text if source == GridSource::SpacedText => {
            let mut words = cell.text.split_whitespace().map(value_of);
            let first = words.next();
            match (first, words.all(|w| !matches!(w, CellValue::Text))) {
                (Some(first), true) => first,
                _ => CellValue::Text,
            }
        }
        other => other,
    }
}

/// One row of a table as the reader sees it.
struct RowView<'a> {
    part: usize,
    row: usize,
    /// Where the row's first own cell starts in the document.
    start: usize,
    own_text: usize,
    /// Label cells' texts, left to right (merged group labels included).
    labels: Vec<String>,
    values: Vec<&'a GridCell>,
    /// Values at the end of the row's own label cell, with their places in the document:
    /// columns found from how laid-out text lines up may cut a row's first values into its
    /// label's column ("保护第三方合法权益 0 0" | "0" | "0 0" …).
    label_values: Vec<(&'a str, (usize, usize))>,
    has_number: bool,
}

impl RowView<'_> {
    fn has_number(&self) -> bool {
        self.has_number
    }

    fn has_values(&self) -> bool {
        self.values.iter().any(|c| !c.text.trim().is_empty())
    }

    /// Cells of this row (not merged from above) that hold words.
    fn text_cells(&self) -> usize {
        self.own_text
    }

    /// The label cells' words, units (条, 件, 万元) left out.
    fn label(&self) -> String {
        self.labels
            .iter()
            .filter(|l| !is_unit(l))
            .map(String::as_str)
            .collect()
    }

    /// The lowest label: the rightmost label cell holding words other than a unit.
    fn leaf(&self) -> String {
        self.labels
            .iter()
            .rev()
            .find(|l| !l.is_empty() && !is_unit(l))
            .cloned()
            .unwrap_or_default()
    }
}

/// A unit column's cell (条, 件, 人次, 万元): at most two characters, no digit.
fn is_unit(text: &str) -> bool {
    !text.is_empty() && text.chars().count() <= 2 && !text.chars().any(|c| c.is_ascii_digit())
}

/// The rows of a table's parts: each row's values are the cells after the last cell that
/// holds words (its label); its labels, every cell covering the columns left of them
/// (merged group labels from rows above included).
fn views<'a>(parts: &[Part<'a>], doc_text: &str, recognised: bool) -> Vec<RowView<'a>> {
    let mut rows = Vec::new();
    for (p, part) in parts.iter().enumerate() {
        let grid = part.grid;
        let by_row = grid.rows();
        let own_of = |r: usize| by_row.get(r).map_or(&[][..], Vec::as_slice);
        let mut kinds_of: Vec<Vec<CellValue>> = part
            .rows
            .clone()
            .map(|r| own_of(r).iter().map(|c| kind_of(c, grid.source)).collect())
            .collect();
        // The first column a value (a number or a placeholder) stands in: the columns
        // left of it hold labels only.
        let values_start = part
            .rows
            .clone()
            .zip(&kinds_of)
            .flat_map(|(r, kinds)| own_of(r).iter().zip(kinds))
            .filter(|(c, k)| !matches!(k, CellValue::Text) && !c.text.trim().is_empty())
            .map(|(c, _)| c.col)
            .min()
            .unwrap_or(0);
        if recognised {
            for (r, kinds) in part.rows.clone().zip(kinds_of.iter_mut()) {
                misread_marks_blank(own_of(r), kinds, values_start);
            }
        }
        for (r, kinds) in part.rows.clone().zip(kinds_of.iter()) {
            let own = own_of(r);
            let words_end = own
                .iter()
                .zip(kinds)
                .filter(|(_, k)| matches!(k, CellValue::Text))
                .map(|(c, _)| c.col + c.cols)
                .max()
                .unwrap_or(0);
            // A label in the first of two label columns ("(七)总计" under the group
            // column) leaves the second empty: an empty label cell, not a blank value.
            let label_end = match words_end {
                0 => 0,
                end => end.max(values_start),
            };
            let mut labels: Vec<String> = Vec::new();
            let mut seen: Vec<*const GridCell> = Vec::new();
            for c in 0..label_end {
                if let Some(cell) = grid.covering(r, c) {
                    if !seen.contains(&(cell as *const GridCell)) {
                        seen.push(cell);
                        labels.push(compact(&cell.text).into_owned());
                    }
                }
            }
            let own_text = own
                .iter()
                .zip(kinds)
                .filter(|(c, k)| !c.text.trim().is_empty() && matches!(k, CellValue::Text))
                .count();
            let has_number = own
                .iter()
                .zip(kinds)
                .any(|(c, k)| c.col >= label_end && matches!(k, CellValue::Number(_)));
            let values = own.iter().copied().filter(|c| c.col >= label_end).collect();
            let label_values = match grid.source {
                GridSource::SpacedText => own
                    .iter()
                    .zip(kinds)
                    .filter(|(c, k)| c.col < label_end && matches!(k, CellValue::Text))
                    .map(|(c, _)| *c)
                    .max_by_key(|c| c.col)
                    .map_or_else(Vec::new, |cell| trailing_values(cell, doc_text)),
                _ => Vec::new(),
            };
            let start = own.iter().map(|c| c.start).min().unwrap_or(0);
            rows.push(RowView {
                part: p,
                row: r,
                start,
                own_text,
                labels,
                values,
                label_values,
                has_number,
            });
        }
    }
    rows
}

/// The most characters OCR reads a blank mark as ("sf;", "=", "Ff"): longer is words.
const MISREAD_MARK_CHARS: usize = 3;
/// Signs OCR reads a blank mark ("/", "—") as over a shaded cell, and the letters it reads
/// a slash's stroke as. Letters like digits ("o", "l", "S") are figures misread, not marks.
const MARK_SIGNS: &str = "/=~-—;:_";
const SLASH_LETTERS: &str = "fFJ";

/// In a row of values of recognised text, the cells in the values' columns that read as a
/// misread blank mark ("sf;", "Ff", "=", "一", [`is_misread_mark`]): blank, not the row's label
/// (which would leave the values before it out).
fn misread_marks_blank(cells: &[&GridCell], kinds: &mut [CellValue], values_start: usize) {
    let in_values = |c: &GridCell| c.col >= values_start;
    let has_number = cells
        .iter()
        .zip(kinds.iter())
        .any(|(c, k)| in_values(c) && matches!(k, CellValue::Number(_)));
    // A row of blanks only ("其他对外管理服务事项 一 一 一"): no words in the values'
    // columns (a header row has them).
    let only_marks = cells
        .iter()
        .zip(kinds.iter())
        .filter(|(c, _)| in_values(c))
        .all(|(c, k)| !matches!(k, CellValue::Text) || is_misread_mark(&c.text));
    let has_mark = cells
        .iter()
        .any(|c| in_values(c) && is_misread_mark(&c.text));
    if !(has_number || (only_marks && has_mark)) {
        return;
    }
    for (cell, kind) in cells.iter().zip(kinds.iter_mut()) {
        if in_values(cell) && matches!(kind, CellValue::Text) && is_misread_mark(&cell.text) {
            *kind = CellValue::Blank;
        }
    }
}

/// A few signs of a blank mark, or a slash's letters, and nothing else; or a dash read as
/// the character 一 ("一", "一一").
fn is_misread_mark(text: &str) -> bool {
    let text = text.trim();
    if !(1..=MISREAD_MARK_CHARS).contains(&text.chars().count()) {
        return false;
    }
    if text.chars().all(|c| c == '一') {
        return true;
    }
    let no_words = !text.chars().any(|c| is_han(c) || c.is_ascii_digit());
    let signs = text.chars().any(|c| MARK_SIGNS.contains(c));
    let letters = text.chars().all(|c| SLASH_LETTERS.contains(c));
    no_words && (signs || letters)
}

/// The values a label cell of one line ends with ("保护第三方合法权益 0 0": the two 0),
/// each with its place in `doc_text` (found backwards in the cell's range, else the
/// cell's range). A cell over lines may end with another row's values.
fn trailing_values<'a>(cell: &'a GridCell, doc_text: &str) -> Vec<(&'a str, (usize, usize))> {
    let ends_in_value = cell
        .text
        .split_whitespace()
        .next_back()
        .is_some_and(|last| !matches!(value_of(last), CellValue::Text));
    let one_line = ends_in_value
        && doc_text
            .get(cell.start..cell.end)
            .is_some_and(|text| !text.contains('\n'));
    if !one_line {
        return Vec::new();
    }
    let words: Vec<&str> = cell.text.split_whitespace().collect();
    let first_value = words
        .iter()
        .rposition(|w| matches!(value_of(w), CellValue::Text))
        .map_or(0, |k| k + 1);
    if first_value == 0 {
        return Vec::new();
    }
    let mut end = cell.end.min(doc_text.len());
    let mut found: Vec<(&str, (usize, usize))> = words[first_value..]
        .iter()
        .rev()
        .map(|&word| {
            let within = doc_text.get(cell.start..end).unwrap_or("");
            let span = match within.rfind(word) {
                Some(at) => (cell.start + at, cell.start + at + word.len()),
                None => (cell.start, cell.end),
            };
            end = span.0.max(cell.start);
            (word, span)
        })
        .collect();
    found.reverse();
    found
}

/// The layout row a label names: the rightmost label cell that names a row (group labels
/// are to its left), else all the label cells together; the first such row at or after
/// `next` in the layout's order, else the first not yet read.
fn match_row(layout: &TableLayout, labels: &[String], next: usize, done: &[bool]) -> Option<usize> {
    let candidates = |text: &str| -> Vec<usize> {
        let plain = layout.row_labels().rows_in(text, layout.rows.len());
        layout
            .rows
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                !r.cells.is_empty()
                    && match &r.label {
                        Pattern::Texts { .. } => plain[*i],
                        Pattern::Regex(re) => re.is_match(text),
                    }
            })
            .map(|(i, _)| i)
            .collect()
    };
    let found = labels
        .iter()
        .rev()
        .filter(|l| !l.is_empty())
        .map(|l| candidates(l))
        .find(|c| !c.is_empty())
        .unwrap_or_else(|| candidates(&labels.concat()));
    found
        .iter()
        .copied()
        .find(|&i| i >= next && !done[i])
        .or_else(|| found.iter().copied().find(|&i| !done[i]))
}

/// The column a header path names (`group.column` under `header_groups`).
fn column_name(layout: &TableLayout, path: &[String]) -> Option<String> {
    let (leaf_at, leaf) = path.iter().enumerate().rev().find(|(_, t)| !t.is_empty())?;
    let name = layout
        .headers
        .iter()
        .find(|(_, re)| re.is_match(leaf))
        .or_else(|| {
            let joined = path.concat();
            layout.headers.iter().find(|(_, re)| re.is_match(&joined))
        })?
        .0
        .clone();
    if layout.header_groups.is_empty() {
        return Some(name);
    }
    let above = path[..leaf_at].concat();
    let group = layout
        .header_groups
        .iter()
        .find(|(_, re)| re.is_match(&above))?;
    Some(format!("{}.{name}", group.0))
}

/// A header path (the header texts above a value, see `Headers::path`) by its place in
/// `Headers::paths`: a table's values stand under a few paths, each named once.
type PathId = usize;

/// The header rows above the data rows: consecutive runs, newest last.
#[derive(Default)]
struct Headers {
    runs: Vec<(usize, Vec<usize>)>,
    open: bool,
    /// Every header path met, each once.
    paths: Vec<Vec<String>>,
    /// The path above each (part, column) asked for under the runs as they are now.
    above: HashMap<(usize, usize), PathId>,
}

impl Headers {
    fn push(&mut self, part: usize, row: usize) {
        match self.runs.last_mut() {
            Some((p, rows)) if self.open && *p == part => rows.push(row),
            _ => self.runs.push((part, vec![row])),
        }
        self.open = true;
        self.above.clear();
    }

    /// `path`, by its id: worked out once for each column until a header row is added.
    fn path_id(&mut self, parts: &[Part], part: usize, col: usize) -> PathId {
        if let Some(&id) = self.above.get(&(part, col)) {
            return id;
        }
        let path = self.path(parts, part, col);
        let id = match self.paths.iter().position(|p| *p == path) {
            Some(id) => id,
            None => {
                self.paths.push(path);
                self.paths.len() - 1
            }
        };
        self.above.insert((part, col), id);
        id
    }

    fn close(&mut self) {
        self.open = false;
    }

    /// The header texts above column `col` of part `part`: from the newest run that has
    /// text there (runs of an earlier part only when this part has none and the earlier
    /// part's grid has as many columns).
    fn path(&self, parts: &[Part], part: usize, col: usize) -> Vec<String> {
        let own = self.runs.iter().any(|(p, _)| *p == part);
        let columns = parts[part].grid.n_cols;
        for (p, rows) in self.runs.iter().rev() {
            if (own && *p != part) || parts[*p].grid.n_cols != columns {
                continue;
            }
            let grid = parts[*p].grid;
            let mut path: Vec<String> = Vec::new();
            let mut seen: Vec<*const GridCell> = Vec::new();
            for &r in rows {
                if let Some(cell) = grid.covering(r, col) {
                    if !seen.contains(&(cell as *const GridCell)) {
                        seen.push(cell);
                        path.push(compact(&cell.text).into_owned());
                    }
                }
            }
            if path.iter().any(|t| !t.is_empty()) {
                return path;
            }
        }
        Vec::new()
    }
}

fn method(source: GridSource) -> ReadMethod {
    match source {
        GridSource::Html | GridSource::Word | GridSource::Markdown => ReadMethod::Grid,
        GridSource::TabText => ReadMethod::TextRows,
        GridSource::SpacedText => ReadMethod::TextColumns,
        GridSource::PdfRuled => ReadMethod::PdfRuled,
        GridSource::PdfAligned => ReadMethod::PdfAligned,
    }
}

/// Reads one table from its parts.
struct Reader<'a, 'l> {
    layout: &'l TableLayout,
    /// Whether the text was recognised by OCR (its labels may be misread).
    recognised: bool,
    doc_text: &'a str,
    parts: &'a [Part<'a>],
    headers: Headers,
    done: Vec<bool>,
    next: usize,
    rows: Vec<Placement<'a>>,
    cells: Placed,
    unplaced: Vec<Unplaced>,
    /// By header path: the column it names and whether it says its amounts are in 元,
    /// each worked out once (a column's cells share them, and naming one matches the
    /// layout's header patterns).
    names: HashMap<PathId, Option<String>>,
    in_yuan: HashMap<PathId, bool>,
}

/// The cells a reader has placed, with their keys in a set: whether a key is taken is
/// asked for every cell of every row (a search of the cells placed made 表三 thousands of
/// string comparisons).
#[derive(Default)]
struct Placed {
    cells: Vec<CellRead>,
    keys: foldhash::HashSet<&'static str>,
}

impl Placed {
    fn has(&self, key: &str) -> bool {
        self.keys.contains(key)
    }

    fn push(&mut self, cell: CellRead) {
        self.keys.insert(cell.key);
        self.cells.push(cell);
    }

    fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }
}

impl<'a, 'l> Reader<'a, 'l> {
    /// The column a header path names (see `column_name`).
    fn column(&mut self, path: PathId) -> Option<&str> {
        let (layout, paths) = (self.layout, &self.headers.paths);
        self.names
            .entry(path)
            .or_insert_with(|| column_name(layout, &paths[path]))
            .as_deref()
    }

    fn unplace(&mut self, row: &RowView<'a>, cells: &[&GridCell]) {
        self.unplace_cells(&row.label(), cells);
    }

    fn unplace_cells(&mut self, label: &str, cells: &[&GridCell]) {
        for cell in cells.iter().filter(|c| !c.text.trim().is_empty()) {
            self.unplace_text(label, &cell.text, (cell.start, cell.end));
        }
    }

    /// Printed text no cell of the table took, under the row labelled `label`.
    fn unplace_text(&mut self, label: &str, text: &str, (start, end): (usize, usize)) {
        self.unplaced.push(Unplaced {
            text: text.to_string(),
            row: Some(label.to_string()).filter(|l| !l.is_empty()),
            start,
            end,
        });
    }

    /// Whether a column's header says its amounts are in 元 (not 万元).
    fn in_yuan(&mut self, path: PathId) -> bool {
        let paths = &self.headers.paths;
        *self
            .in_yuan
            .entry(path)
            .or_insert_with(|| says_yuan(&paths[path].concat()))
    }

    /// Whether the header rows over part `part`, all its columns together, give amounts in
    /// 元 and name 万元 nowhere: laid-out text may set a row's label under the amount's
    /// header and its value under no header at all. When they name no unit, the header
    /// may stand above the grid, its lines too unlike the rows' to be taken into it
    /// ("本年收费金额" / "信息内容" / "（单位：元）"): the text before the row
    /// (`row_start`) tells.
    fn header_in_yuan(&mut self, part: usize, row_start: usize) -> bool {
        let mut header = String::new();
        for col in 0..self.parts[part].grid.n_cols {
            let path = self.headers.path_id(self.parts, part, col);
            header.extend(self.headers.paths[path].iter().map(String::as_str));
        }
        if header.contains('元') {
            return says_yuan(&header);
        }
        crate::tables::header_before_in_yuan(self.doc_text, row_start)
    }

    /// The cell `key` read from grid cell `cell` under header path `path`
    /// (`header_in_yuan`: `Placement`'s).
    fn cell(
        &mut self,
        key: &'static str,
        cell: &GridCell,
        path: PathId,
        (source, header_in_yuan): (GridSource, bool),
    ) -> CellRead {
        let span = (cell.start, cell.end);
        self.cell_of_text(key, &cell.text, span, path, (source, header_in_yuan))
    }

    /// The cell `key` read from `text`, printed at `span` under header path `path`.
    fn cell_of_text(
        &mut self,
        key: &'static str,
        text: &str,
        (start, end): (usize, usize),
        path: PathId,
        (source, header_in_yuan): (GridSource, bool),
    ) -> CellRead {
        let value = match value_of(text) {
            CellValue::Number(v) => {
                let own_unit = compact(text).ends_with('元');
                let unit_named = self.headers.paths[path].iter().any(|h| h.contains('元'));
                let in_yuan = match unit_named {
                    true => self.in_yuan(path),
                    false => header_in_yuan,
                };
                Some(match is_money(key) && in_yuan && !own_unit {
                    true => yuan_to_wan(v),
                    false => v,
                })
            }
            _ => None,
        };
        CellRead {
            key,
            value,
            raw: text.to_string(),
            start,
            end,
            recovered: None,
            doubt: None,
            method: method(source),
            alternative: None,
        }
    }

    /// Takes a row's values for layout row `index`, with the header path above each (the
    /// values are placed when the whole table is read: see [`Reader::place`]).
    fn emit(
        &mut self,
        index: usize,
        row: &RowView<'a>,
        values: &[&'a GridCell],
        source: &RowView<'a>,
    ) {
        self.done[index] = true;
        self.next = index + 1;
        let paths = values
            .iter()
            .map(|c| self.headers.path_id(self.parts, source.part, c.col))
            .collect();
        let money = self.layout.rows[index].cells.iter().any(|k| is_money(k));
        let header_in_yuan = money && self.header_in_yuan(source.part, source.start);
        self.rows.push(Placement {
            index,
            label: row.label(),
            values: values.to_vec(),
            label_values: source.label_values.clone(),
            paths,
            header_in_yuan,
            source: self.parts[source.part].grid.source,
        });
    }

    /// The rows of the form with cells still to read, from the next one up to `bound`: not
    /// those a row already read shows the form does not print (`not_with`).
    fn open_rows(&self, bound: usize) -> impl Iterator<Item = usize> + '_ {
        let rows = &self.layout.rows;
        (self.next..bound).filter(|&i| {
            !self.done[i]
                && !rows[i].cells.is_empty()
                && !rows[i].not_with.iter().any(|&other| self.done[other])
        })
    }

    /// The cell of layout row `index` a header path names.
    fn slot(&mut self, index: usize, path: PathId) -> Option<usize> {
        let layout: &'l TableLayout = self.layout;
        let name = self.column(path)?;
        layout.rows[index].cells.iter().position(|k| {
            *k != IGNORED_CELL && k.strip_suffix(name).is_some_and(|rest| rest.ends_with('.'))
        })
    }

    /// Whether the headers stand over the values: in most rows, the first value is under a
    /// header that names one of the row's cells. (A table whose header rows and data rows
    /// were laid out on different columns, as when a text table is pasted into Word, is read
    /// in order.)
    fn headers_fit(&mut self) -> bool {
        let firsts: Vec<(usize, PathId)> = self
            .rows
            .iter()
            .filter(|p| !p.values.is_empty())
            .map(|p| (p.index, p.paths[0]))
            .collect();
        let fitting = firsts
            .iter()
            .filter(|&&(index, path)| self.slot(index, path).is_some())
            .count();
        !firsts.is_empty() && fitting * 5 >= firsts.len() * 4
    }

    /// Puts every taken row's values into its cells: by the header above each value when the
    /// headers fit the table, else in order.
    fn place(&mut self) {
        let by_header = self.headers_fit();
        for placement in std::mem::take(&mut self.rows) {
            self.place_row(&placement, by_header);
        }
    }

    fn place_row(&mut self, p: &Placement<'a>, by_header: bool) {
        // The layout outlives the reader: its keys are borrowed, not copied.
        let layout: &'l TableLayout = self.layout;
        let keys = &layout.rows[p.index].cells;
        if p.source == GridSource::SpacedText {
            if let Some(words) = one_word_a_cell(p, keys.len()) {
                for (key, (word, span, path)) in keys.iter().zip(words) {
                    if *key == IGNORED_CELL || self.cells.has(key) {
                        continue;
                    }
                    let unit = (p.source, p.header_in_yuan);
                    let read = self.cell_of_text(key, word, span, path, unit);
                    self.cells.push(read);
                }
                return;
            }
        }
        let mut taken: Vec<Option<usize>> = vec![None; keys.len()];
        let mut left: Vec<&GridCell> = Vec::new();
        let by_header = by_header && {
            for (k, cell) in p.values.iter().enumerate() {
                match self.slot(p.index, p.paths[k]) {
                    Some(i) if taken[i].is_none() => taken[i] = Some(k),
                    Some(_) => {}
                    None => left.push(cell),
                }
            }
            !shifted_off_its_header(&taken, &p.values)
        };
        if !by_header {
            taken = in_order(&p.values, keys.len(), self.layout.total_last);
            left = (0..p.values.len())
                .filter(|k| !taken.contains(&Some(*k)))
                .map(|k| p.values[k])
                .collect();
        }
        // Cells a row in order leaves without a value were printed empty: blank. (A column
        // the headers do not have is not printed at all: not read.)
        let end = p.values.last().map_or(0, |c| c.end);
        for (key, slot) in keys.iter().zip(taken) {
            if *key == IGNORED_CELL || self.cells.has(key) {
                continue;
            }
            match slot {
                Some(k) => {
                    let unit = (p.source, p.header_in_yuan);
                    let read = self.cell(key, p.values[k], p.paths[k], unit);
                    self.cells.push(read);
                }
                None if !by_header && !p.values.is_empty() => self.cells.push(CellRead {
                    key,
                    value: None,
                    raw: String::new(),
                    start: end,
                    end,
                    recovered: None,
                    doubt: None,
                    method: method(p.source),
                    alternative: None,
                }),
                None => {}
            }
        }
        self.unplace_cells(&p.label, &left);
    }
}

/// Whether a row's values, one a cell of its row (empty cells at either end aside), all
/// fell under the headers of the cells a fixed number of places off theirs: tab rows
/// whose label cells vary in number with the label's depth (an empty cell written for a
/// label column merged from above, one cell for a label spanning columns) start their
/// values a column right or left of the header's. Such a row is read in order, not by
/// header.
fn shifted_off_its_header(taken: &[Option<usize>], values: &[&GridCell]) -> bool {
    let printed = |c: &&GridCell| !c.text.trim().is_empty();
    let first = values.iter().position(printed);
    let last = values.iter().rposition(printed);
    if first.zip(last).map(|(first, last)| last + 1 - first) != Some(taken.len()) {
        return false;
    }
    let mut offsets = taken
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.map(|k| i as isize - k as isize));
    let Some(first) = offsets.next() else {
        return false;
    };
    first != 0 && offsets.all(|d| d == first)
}

/// A word of a row: its text, its place in the document and the header path over it.
type PrintedWord<'c> = (&'c str, (usize, usize), PathId);

/// A row of text laid out with spaces whose words are exactly its `n` cells' values (a
/// number or a blank mark each): the words in order, each with its place and the header
/// path over it. Such a row needs no header to place its values, and its columns, found
/// only from how the text lines up, may be wrong: `pdftotext -layout` places a value by
/// where it stands on the page but packs a Chinese header's characters one column each,
/// so headers drift off their columns and two columns' values share a cell ("0 0"), or
/// the first values fall in the label's column. Those are taken only when the value
/// cells alone are not the row.
fn one_word_a_cell<'c>(p: &Placement<'c>, n: usize) -> Option<Vec<PrintedWord<'c>>> {
    let words: Vec<PrintedWord> = p
        .values
        .iter()
        .zip(&p.paths)
        .flat_map(|(cell, &path)| {
            let span = (cell.start, cell.end);
            cell.text.split_whitespace().map(move |w| (w, span, path))
        })
        .collect();
    let values_only = |words: &[PrintedWord]| {
        words
            .iter()
            .all(|(w, _, _)| !matches!(value_of(w), CellValue::Text))
    };
    if words.len() == n && values_only(&words) {
        return Some(words);
    }
    let first_path = *p.paths.first()?;
    let with_label: Vec<PrintedWord> = p
        .label_values
        .iter()
        .map(|&(w, span)| (w, span, first_path))
        .chain(words)
        .collect();
    (!p.label_values.is_empty() && with_label.len() == n && values_only(&with_label))
        .then_some(with_label)
}

/// A row of the table taken for a row of the form, its values not yet placed.
struct Placement<'a> {
    index: usize,
    label: String,
    values: Vec<&'a GridCell>,
    /// Values the row's label cell ends with (`RowView::label_values`).
    label_values: Vec<(&'a str, (usize, usize))>,
    /// The header path above each value.
    paths: Vec<PathId>,
    /// For a row of money: whether its header rows, all columns together, give amounts in
    /// 元 and name no other unit (for a value whose own column header names none).
    header_in_yuan: bool,
    source: GridSource,
}

/// Which value (by index) goes into each of `n` cells when no header names them: in order
/// when the counts agree; empty cells at the ends dropped when there are too many, the last
/// value kept for a total column (`total_last`).
fn in_order(values: &[&GridCell], n: usize, total_last: bool) -> Vec<Option<usize>> {
    let mut chosen: Vec<usize> = (0..values.len()).collect();
    while chosen.len() > n {
        let empty = |&i: &usize| values[i].text.trim().is_empty();
        if chosen.last().is_some_and(empty) {
            chosen.pop();
        } else if chosen.first().is_some_and(empty) {
            chosen.remove(0);
        } else {
            break;
        }
    }
    if chosen.len() > n {
        let last = chosen.pop();
        chosen.truncate(if total_last && n > 0 { n - 1 } else { n });
        if total_last {
            chosen.extend(last);
        }
    }
    let mut out: Vec<Option<usize>> = chosen.iter().copied().map(Some).collect();
    if out.len() < n {
        let last_is_number = chosen
            .last()
            .is_some_and(|&i| matches!(value_of(&values[i].text), CellValue::Number(_)));
        let last = match total_last && last_is_number && n > 1 {
            true => out.pop(),
            false => None,
        };
        out.resize(if last.is_some() { n - 1 } else { n }, None);
        out.extend(last);
    }
    out
}

/// Reads the rows of an assembled table.
fn read_rows<'a>(reader: &mut Reader<'a, '_>, rows: &[RowView<'a>]) {
    let layout = reader.layout;
    // A row whose label names nothing yet (the first half of a wrapped label, or a label on
    // a row of its own above its values), and a row of values whose label named nothing.
    let mut pending: Option<&RowView> = None;
    let mut unmatched: Option<&RowView> = None;
    // The last row of values taken, and the row of the form it was taken for.
    let mut above: Option<(&RowView, usize)> = None;
    for row in rows {
        let own = match_row(layout, &row.labels, reader.next, &reader.done);
        let header_words = row.text_cells() >= 2 || between_header_words(reader, row);
        if !row.has_values() && own.is_none() && header_words {
            // Words across the columns and no row of the form: a header row. A row of values
            // waiting for the rest of its label waits on: a page break may repeat the
            // header in the middle of a row.
            reader.headers.push(row.part, row.row);
            flush(reader, pending.take());
            // A header starts a band: no label runs on from the row above it.
            above = None;
            continue;
        }
        if row.has_values() {
            reader.headers.close();
            if let Some(u) = unmatched.take() {
                place_unnamed(reader, u, own);
            }
            match (own, pending.take()) {
                (Some(index), p) => {
                    // A pending label of the same row was its first line, not a row of its own.
                    let same = p.is_some_and(|p| {
                        match_row(layout, &p.labels, reader.next, &reader.done) == Some(index)
                    });
                    if !same {
                        flush(reader, p);
                    }
                    reader.emit(index, row, &row.values, row);
                    above = Some((row, index));
                }
                (None, Some(p)) => match joined_label(layout, reader, p, row) {
                    Some(index) => {
                        reader.emit(index, row, &row.values, row);
                        above = Some((row, index));
                    }
                    None => unmatched = Some(row),
                },
                (None, None) => match above.and_then(|a| carried_label(reader, a, row)) {
                    Some(index) => {
                        reader.emit(index, row, &row.values, row);
                        above = Some((row, index));
                    }
                    None => unmatched = Some(row),
                },
            }
        } else {
            if let Some(u) = unmatched.take() {
                match joined_label(layout, reader, u, row) {
                    Some(index) => {
                        reader.emit(index, u, &u.values, u);
                        continue;
                    }
                    None => place_unnamed(reader, u, own),
                }
            }
            flush(reader, pending.take());
            pending = Some(row);
        }
    }
    flush(reader, pending);
    if let Some(u) = unmatched {
        place_unnamed(reader, u, None);
    }
}

/// A row of values whose label named no row of the form: in recognised text, the row its
/// label is most like ([`misread_label`]; `before`: the row of the form the next row of
/// values names, if it does); else its values are set aside, unplaced.
fn place_unnamed<'a>(reader: &mut Reader<'a, '_>, row: &RowView<'a>, before: Option<usize>) {
    match misread_label(reader, row, before).or_else(|| only_row_between(reader, before)) {
        Some(index) => reader.emit(index, row, &row.values, row),
        None => reader.unplace(row, &row.values),
    }
}

/// How many rows of the form a misread label may name at either end of those it may be
/// ([`misread_candidates`]).
const MISREAD_REACH: usize = 3;

/// In recognised text, the row of the form a label OCR misread names ("属于国家秘aR",
/// "行政处" with its 罚 lost): of the rows it may be, the one whose printed label it is
/// most like, when no other is as like it. Its cells keep the doubt every recognised cell
/// has.
fn misread_label(reader: &Reader, row: &RowView, before: Option<usize>) -> Option<usize> {
    if !reader.recognised {
        return None;
    }
    most_like(
        &row.leaf(),
        &reader.layout.rows,
        &misread_candidates(reader, before),
    )
}

/// In recognised text, the one row of the form with cells still to read before row
/// `before`, which the next row of values names, when there is exactly one: a label OCR
/// could not read at all ("(一) FUAR" for 予以公开, "3.其" for 其他) stands between its
/// neighbours. Its cells keep the doubt every recognised cell has.
fn only_row_between(reader: &Reader, before: Option<usize>) -> Option<usize> {
    let bound = before.filter(|_| reader.recognised)?;
    let mut open = reader.open_rows(bound);
    match (open.next(), open.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The rows of the form a misread label may name: the first few with cells still to read,
/// and, when the next row of values names row `before`, the few just before it.
fn misread_candidates(reader: &Reader, before: Option<usize>) -> Vec<usize> {
    let open: Vec<usize> = reader.open_rows(reader.layout.rows.len()).collect();
    let mut candidates: Vec<usize> = open.iter().copied().take(MISREAD_REACH).collect();
    if let Some(bound) = before.filter(|&b| b >= reader.next) {
        candidates.retain(|&i| i < bound);
        let above: Vec<usize> = open.into_iter().filter(|&i| i < bound).collect();
        for &i in &above[above.len().saturating_sub(MISREAD_REACH)..] {
            if !candidates.contains(&i) {
                candidates.push(i);
            }
        }
    }
    candidates
}

/// Whether a row of words only stands inside the header being read, each of its words
/// over a column of values with header words left and right of it: a column's header
/// centred lower than its neighbours' wrapped ones ("其他" beside "商业企 / 业") is read
/// as a row of its own. (The rest of a label a page break cut, under a repeated header,
/// stands over the labels.)
fn between_header_words(reader: &Reader, row: &RowView) -> bool {
    let Some((part, band)) = reader.headers.runs.last() else {
        return false;
    };
    if !reader.headers.open || *part != row.part || row.has_values() {
        return false;
    }
    let grid = reader.parts[row.part].grid;
    let words = grid.cells.iter().filter(|c| !c.text.trim().is_empty());
    let header: Vec<&GridCell> = words.clone().filter(|c| band.contains(&c.row)).collect();
    let holds_numbers = |col: usize| {
        grid.cells
            .iter()
            .any(|c| c.col == col && matches!(value_of(&c.text), CellValue::Number(_)))
    };
    let mut own = words.filter(|c| c.row == row.row).peekable();
    own.peek().is_some()
        && own.all(|w| {
            holds_numbers(w.col)
                && header.iter().any(|h| h.col + h.cols <= w.col)
                && header.iter().any(|h| h.col >= w.col + w.cols)
        })
}

/// The row of the form a label broken over two rows names: the two lowest label cells
/// joined ("1.信访举" + "报投诉类申请"), else all their label cells in order.
fn joined_label(
    layout: &TableLayout,
    reader: &Reader,
    first: &RowView,
    second: &RowView,
) -> Option<usize> {
    let attempts = [
        vec![first.leaf() + &second.leaf()],
        vec![first.label() + &second.label()],
    ];
    attempts
        .iter()
        .find_map(|labels| match_row(layout, labels, reader.next, &reader.done))
}

/// The row of the form a row of values names when the first line of its label went to the
/// row above (laid-out text whose values are centred on their labels: "行政许可 / 其他对外 /
/// 管理服务 ... / 事项" read as "行政许可其他对外" and "管理服务事项"): the shortest end
/// of the label above that, moved to the front of this one, names a later row of the form
/// while what is left above still names its own.
fn carried_label(reader: &Reader, above: (&RowView, usize), row: &RowView) -> Option<usize> {
    let (above, above_index) = above;
    let layout = reader.layout;
    let (upper, own) = (above.leaf(), row.leaf());
    if own.is_empty() {
        return None;
    }
    upper
        .char_indices()
        .rev()
        .filter(|&(at, _)| at > 0)
        .map(|(at, _)| upper.split_at(at))
        .filter(|(_, moved)| moved.chars().count() <= MAX_CARRIED_CHARS)
        .find_map(|(kept, moved)| {
            let index = match_row(
                layout,
                &[format!("{moved}{own}")],
                reader.next,
                &reader.done,
            )?;
            let still_named = layout.rows[above_index].label.is_match(kept);
            (index > above_index && still_named).then_some(index)
        })
}

/// Most characters of a label's first line carried down (a label column a few characters
/// wide).
const MAX_CARRIED_CHARS: usize = 12;

/// A label-only row that names a row of the form is that row, printed blank.
fn flush<'a>(reader: &mut Reader<'a, '_>, pending: Option<&RowView<'a>>) {
    let Some(p) = pending else { return };
    if let Some(index) = match_row(reader.layout, &p.labels, reader.next, &reader.done) {
        reader.emit(index, p, &p.values, p);
    }
}

/// Tables printed as one run of values under a header (表四): every value of the rows with
/// numbers, by its header or in order.
fn read_sequence<'a>(reader: &mut Reader<'a, '_>, rows: &[RowView<'a>], doc_text: &str) {
    let layout = reader.layout;
    let keys = &layout.sequence;
    let mut values: Vec<(&RowView, &GridCell)> = Vec::new();
    for row in rows {
        if row.has_number() {
            values.extend(row.values.iter().map(|c| (row, *c)));
        } else if row.text_cells() >= 1 && values.is_empty() {
            reader.headers.push(row.part, row.row);
        }
    }
    let paths: Vec<PathId> = values
        .iter()
        .map(|(row, c)| reader.headers.path_id(reader.parts, row.part, c.col))
        .collect();
    let names: Vec<Option<String>> = paths
        .iter()
        .map(|&p| reader.column(p).map(str::to_string))
        .collect();
    let by_header: Vec<Option<usize>> = names
        .iter()
        .map(|n| {
            let n = n.as_ref()?;
            keys.iter()
                .position(|k| k.strip_suffix(n.as_str()).is_some_and(|k| k.ends_with('.')))
        })
        .collect();
    let named = by_header.iter().flatten().count();
    let cells: Vec<&GridCell> = values.iter().map(|v| v.1).collect();
    let by_key = |slots: &[Option<usize>]| {
        let mut texts = vec![None; keys.len()];
        for (cell, slot) in cells.iter().zip(slots) {
            if let Some(&i) = slot.as_ref() {
                texts[i] = Some(cell.text.as_str());
            }
        }
        texts
    };
    // Headers centred over their groups as a converter pleases may name a group's first
    // column under the group before it: with every value printed, the order they are
    // printed in is taken when its groups add up and the headers' do not. Values that
    // share a cell ("0 0 0": columns closer than the text's spaces tell) count one by one.
    let words = value_words(&cells, doc_text);
    if words.len() == keys.len() {
        let texts: Vec<Option<&str>> = words.iter().map(|w| Some(w.1)).collect();
        let headers_fit = named * 2 >= keys.len() && groups_add_up(&by_key(&by_header), layout);
        if groups_add_up(&texts, layout) && !headers_fit {
            read_in_printed_order(reader, &values, &paths, &words, None);
            return;
        }
        // Headers that name a column twice, leave a value unnamed or name a cell holding
        // several values cannot place every value printed (laid-out text's spans drawn
        // across the wrong columns, columns closer than its spaces): the order they are
        // printed in can, as a reading to review.
        if cells.len() != words.len() || !names_each_once(&by_header) {
            let note = format!("the header names a column twice or not at all: {PLACED_IN_ORDER}");
            let doubt = Doubt::PlacedInOrder(nianbao_model::Placement::HeaderUnclear);
            read_in_printed_order(reader, &values, &paths, &words, Some((note, doubt)));
            return;
        }
    }
    let slots: Vec<Option<usize>> = match named * 2 >= keys.len() {
        true => by_header,
        false => {
            let order = in_order(&cells, keys.len(), false);
            let mut slots = vec![None; cells.len()];
            for (i, k) in order.into_iter().enumerate() {
                if let Some(k) = k {
                    slots[k] = Some(i);
                }
            }
            slots
        }
    };
    for (k, (row, cell)) in values.iter().enumerate() {
        match slots[k] {
            Some(i) if !reader.cells.has(keys[i]) => {
                let source = reader.parts[row.part].grid.source;
                let read = reader.cell(keys[i], cell, paths[k], (source, false));
                reader.cells.push(read);
            }
            _ => reader.unplace(row, &[cell]),
        }
    }
}

/// Whether every value is named a key of its own.
fn names_each_once(by_header: &[Option<usize>]) -> bool {
    let mut named: Vec<usize> = by_header.iter().flatten().copied().collect();
    named.sort_unstable();
    named.dedup();
    named.len() == by_header.len()
}

/// A sequence's values one by one (`value_words`), each the key of its place, with `note`
/// saying how they were read.
fn read_in_printed_order(
    reader: &mut Reader,
    values: &[(&RowView, &GridCell)],
    paths: &[PathId],
    words: &[(usize, &str, (usize, usize))],
    note: Option<(String, Doubt)>,
) {
    let keys = &reader.layout.sequence;
    for (i, &(k, text, span)) in words.iter().enumerate() {
        let (row, _) = values[k];
        match reader.cells.has(keys[i]) {
            false => {
                let source = reader.parts[row.part].grid.source;
                let mut read = reader.cell_of_text(keys[i], text, span, paths[k], (source, false));
                if let Some((note, doubt)) = &note {
                    read.recovered = Some(note.clone());
                    read.doubt = Some(Box::new(doubt.clone()));
                }
                reader.cells.push(read);
            }
            true => reader.unplace_text(&row.label(), text, span),
        }
    }
}

/// Whether each group of a sequence's keys (`RowCheck::GroupTotals`) holds a number in
/// every key and its last is the sum of the others: `texts` are the keys' cells' texts.
fn groups_add_up(texts: &[Option<&str>], layout: &TableLayout) -> bool {
    let RowCheck::GroupTotals(size) = layout.split else {
        return false;
    };
    let number = |text: &str| match value_of(text) {
        CellValue::Number(v) => Some(v),
        _ => None,
    };
    size > 1
        && texts.len() == layout.sequence.len()
        && texts.chunks(size).all(|group| {
            let group: Option<Vec<f64>> = group.iter().map(|t| t.and_then(number)).collect();
            group.and_then(|g| {
                let (total, parts) = g.split_last()?;
                Some((parts.iter().sum::<f64>() - total).abs() < 1e-6)
            }) == Some(true)
        })
}

/// The values of the cells one by one, a cell's words apart when it holds several
/// numbers ("0 0 0"): the cell's index, the value's text and where it is in the document
/// (a word not found in the cell's text there takes the cell's place).
fn value_words<'c>(
    cells: &[&'c GridCell],
    doc_text: &str,
) -> Vec<(usize, &'c str, (usize, usize))> {
    let mut words = Vec::new();
    for (k, cell) in cells.iter().enumerate() {
        let several = cell.text.split_whitespace().nth(1).is_some()
            && cell
                .text
                .split_whitespace()
                .all(|w| matches!(value_of(w), CellValue::Number(_)));
        if !several {
            words.push((k, cell.text.as_str(), (cell.start, cell.end)));
            continue;
        }
        let printed = doc_text.get(cell.start..cell.end).unwrap_or("");
        let mut from = 0;
        for word in cell.text.split_whitespace() {
            let span = match printed[from..].find(word) {
                Some(at) => {
                    from += at + word.len();
                    (cell.start + from - word.len(), cell.start + from)
                }
                None => (cell.start, cell.end),
            };
            words.push((k, word, span));
        }
    }
    words
}

fn read_assembled(doc: &Document, table: &Assembled, year_era: Option<Era>) -> Option<TableRead> {
    let ranges: Vec<(usize, usize)> = table
        .parts
        .iter()
        .flat_map(|p| p.grid.cells.iter().filter(|c| p.rows.contains(&c.row)))
        .map(|c| (c.start, c.end))
        .collect();
    let start = ranges.iter().map(|r| r.0).min()?;
    let end = ranges.iter().map(|r| r.1).max()?;
    let candidates: Vec<&TableLayout> = layouts().iter().filter(|l| l.id == table.id).collect();
    let text = Stream::build(doc, start, end).text;
    let layout = choose_layout(&candidates, &text, year_era)?;
    let recognised = doc.was_recognised(start, end);
    let rows = views(&table.parts, &doc.text, recognised);
    let mut reader = Reader {
        layout,
        recognised,
        doc_text: &doc.text,
        parts: &table.parts,
        headers: Headers::default(),
        done: vec![false; layout.rows.len()],
        next: 0,
        rows: Vec::new(),
        cells: Placed::default(),
        unplaced: Vec::new(),
        names: HashMap::new(),
        in_yuan: HashMap::new(),
    };
    if layout.sequence.is_empty() {
        read_rows(&mut reader, &rows);
        reader.place();
    } else {
        read_sequence(&mut reader, &rows, &doc.text);
    }
    if reader.cells.is_empty() {
        return None;
    }
    Some(TableRead {
        id: layout.id,
        era: layout.era,
        start,
        end,
        cells: reader.cells.cells,
        unplaced: reader.unplaced,
    })
}

/// Whether a table read from a grid has every cell of its layout. The keys read are
/// looked up in a set: asking each of 表三's hundred keys of the hundred cells read was
/// five thousand string comparisons a table.
pub fn is_complete(table: &TableRead) -> bool {
    let read: foldhash::HashSet<&str> = table.cells.iter().map(|c| c.key).collect();
    layouts()
        .iter()
        .filter(|l| l.id == table.id && l.era == table.era)
        .any(|l| {
            l.rows
                .iter()
                .flat_map(|r| &r.cells)
                .chain(&l.sequence)
                .filter(|k| **k != IGNORED_CELL)
                .all(|k| read.contains(k))
        })
}

/// Every table read from the document's grids, in document order.
pub fn read_tables(doc: &Document, year_era: Option<Era>) -> Vec<TableRead> {
    assemble(doc)
        .iter()
        .filter_map(|t| read_assembled(doc, t, year_era))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacting_copies_runs_as_filtering_chars_would() {
        // Whitespace dropped char by char, a space kept between two digits.
        let by_chars = |text: &str| -> String {
            let mut out = String::new();
            let mut pending = false;
            for ch in text.chars() {
                if ch.is_whitespace() {
                    pending = !out.is_empty();
                    continue;
                }
                if pending && ch.is_ascii_digit() && out.ends_with(|c: char| c.is_ascii_digit()) {
                    out.push(' ');
                }
                pending = false;
                out.push(ch);
            }
            out
        };
        for text in [
            "",
            " ",
            "1 2",
            "1  \u{3000}2 ",
            "a 1",
            "1 a",
            " 12 34\t5",
            "行政 复议\n1 0",
            "0 0 0",
        ] {
            assert_eq!(compact(text), by_chars(text), "{text:?}");
        }
    }

    fn read(name: &str, text: &str) -> Vec<TableRead> {
        let doc = nianbao_ingest::from_bytes(name, text.as_bytes()).unwrap();
        read_tables(&doc, Some(Era::Y2021))
    }

    fn value(tables: &[TableRead], key: &str) -> Option<Option<f64>> {
        tables
            .iter()
            .flat_map(|t| &t.cells)
            .find(|c| c.key == key)
            .map(|c| c.value)
    }

    /// The tables of an HTML page of the 2021 forms, its text recognised by OCR or typed.
    fn read_html(html: &str, recognised: bool) -> Vec<TableRead> {
        read_html_of(Era::Y2021, html, recognised)
    }

    /// The tables of an HTML page of `era`'s forms, its text recognised by OCR or typed.
    fn read_html_of(era: Era, html: &str, recognised: bool) -> Vec<TableRead> {
        let mut doc = nianbao_ingest::from_bytes("t.html", html.as_bytes()).unwrap();
        doc.ocr_layer = recognised;
        read_tables(&doc, Some(era))
    }

    /// 表二's 第二十条第（六）项 with `label` on 行政处罚's row, as OCR read it or as typed.
    fn penalties_read(label: &str, recognised: bool) -> Vec<TableRead> {
        let html = format!(
            "<table><tr><td colspan=2>第二十条第（六）项</td></tr>\
             <tr><td>信息内容</td><td>本年处理决定数量</td></tr>\
             <tr><td>{label}</td><td>4119</td></tr>\
             <tr><td>行政强制</td><td>195</td></tr></table>"
        );
        read_html(&html, recognised)
    }

    #[test]
    fn a_label_ocr_misread_names_the_next_row_most_like_it() {
        for misread in ["行政处", "行政处苟", "行政处aR"] {
            let tables = penalties_read(misread, true);
            assert_eq!(
                value(&tables, "t2.penalty.decisions"),
                Some(Some(4119.0)),
                "{misread}"
            );
            assert_eq!(value(&tables, "t2.coercion.decisions"), Some(Some(195.0)));
        }
        // Typed text is not guessed at.
        let typed = penalties_read("行政处", false);
        assert_eq!(value(&typed, "t2.penalty.decisions"), None);
        // As like 行政处罚 as 行政强制, or like neither: no row.
        for unlike in ["行政", "合计金额", "处"] {
            let tables = penalties_read(unlike, true);
            assert_eq!(value(&tables, "t2.penalty.decisions"), None, "{unlike}");
        }
    }

    /// 表二's 第二十条第（五）项 and （六）项 with `first` and `second` on 行政处罚's and
    /// 行政强制's rows, as OCR read it.
    fn licences_then_penalties(first: &str, second: &str) -> Vec<TableRead> {
        let html = format!(
            "<table><tr><td colspan=2>第二十条第（五）项</td></tr>\
             <tr><td>信息内容</td><td>本年处理决定数量</td></tr>\
             <tr><td>行政许可</td><td>120</td></tr>\
             <tr><td colspan=2>第二十条第（六）项</td></tr>\
             <tr><td>信息内容</td><td>本年处理决定数量</td></tr>\
             <tr><td>{first}</td><td>4119</td></tr>\
             <tr><td>{second}</td><td>195</td></tr></table>"
        );
        read_html(&html, true)
    }

    #[test]
    fn a_blank_mark_ocr_read_as_letters_is_blank_not_the_rows_label() {
        let read = |mark: &str, recognised: bool| {
            let html = format!(
                "<table><tr><td colspan=4>第二十条第（一）项</td></tr>\
                 <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td>\
                 <td>现行有效件数</td></tr>\
                 <tr><td>规章</td><td>5</td><td>{mark}</td><td>7</td></tr>\
                 <tr><td>行政规范性文件</td><td>8</td><td>0</td><td>18</td></tr></table>"
            );
            read_html(&html, recognised)
        };
        for mark in ["sf;", "Ff", "=", "一"] {
            let tables = read(mark, true);
            assert_eq!(value(&tables, "t2.rules.made"), Some(Some(5.0)), "{mark}");
            assert_eq!(value(&tables, "t2.rules.repealed"), Some(None), "{mark}");
            assert_eq!(
                value(&tables, "t2.rules.in_force"),
                Some(Some(7.0)),
                "{mark}"
            );
        }
        // A row of blanks only.
        let html = "<table><tr><td colspan=4>第二十条第（一）项</td></tr>\
            <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>\
            <tr><td>规章</td><td>一</td><td>=</td><td>一</td></tr>\
            <tr><td>行政规范性文件</td><td>8</td><td>0</td><td>18</td></tr></table>";
        let blanks = read_html(html, true);
        assert_eq!(value(&blanks, "t2.rules.made"), Some(None));
        assert_eq!(value(&blanks, "t2.rules.in_force"), Some(None));
        assert_eq!(value(&blanks, "t2.normative.in_force"), Some(Some(18.0)));
        // Words stay words, and a letter like a digit is no mark; typed text is not guessed
        // at.
        assert_ne!(value(&read("合计", true), "t2.rules.made"), Some(Some(5.0)));
        assert_ne!(value(&read("o", true), "t2.rules.repealed"), Some(None));
        assert_ne!(value(&read("Ff", false), "t2.rules.made"), Some(Some(5.0)));
    }

    #[test]
    fn a_label_ocr_could_not_read_is_the_one_row_left_before_the_next_named() {
        // Nothing of 行政处罚 left, and the row after it named: the one row between.
        let tables = licences_then_penalties("FUAR", "行政强制");
        assert_eq!(value(&tables, "t2.penalty.decisions"), Some(Some(4119.0)));
        assert_eq!(value(&tables, "t2.coercion.decisions"), Some(Some(195.0)));
        // Two rows unread, the next named not known: which is which is not known.
        let tables = licences_then_penalties("FUAR", "PUA");
        assert_eq!(value(&tables, "t2.penalty.decisions"), None);
        assert_eq!(value(&tables, "t2.coercion.decisions"), None);
        // Rows before it unread: the rows it may be are more than one.
        let tables = penalties_read("FUAR", true);
        assert_eq!(value(&tables, "t2.penalty.decisions"), None);
        // Typed text is not guessed at.
        let typed = penalties_read("FUAR", false);
        assert_eq!(value(&typed, "t2.penalty.decisions"), None);
    }

    #[test]
    fn a_row_the_form_does_not_print_beside_one_read_is_not_the_row_left_between() {
        // Fujian's old 统计表, its 信函申请数 label unread: 信函、传真申请数 stands between
        // 网上申请数 and 其它形式申请数 in the layout too, but not in a form that prints
        // 传真申请数 on a row of its own.
        let read = |fax_row: &str| {
            let html = format!(
                "<table><tr><td>指标名称</td><td>计量单位</td><td>本年度</td><td>历年累计</td></tr>\
                 <tr><td>受理依申请公开信息总数</td><td>条</td><td>9</td><td>40</td></tr>\
                 <tr><td>1、当面申请数</td><td>条</td><td>1</td><td>5</td></tr>{fax_row}\
                 <tr><td>4、网上申请数</td><td>条</td><td>3</td><td>10</td></tr>\
                 <tr><td>5. (SRR IB</td><td>条</td><td>2</td><td>8</td></tr>\
                 <tr><td>6、其它形式申请数</td><td>条</td><td>0</td><td>2</td></tr></table>"
            );
            read_html_of(Era::Pre2019, &html, true)
        };
        let fax = "<tr><td>2、传真申请数</td><td>条</td><td>3</td><td>7</td></tr>";
        let tables = read(fax);
        assert_eq!(value(&tables, "old.apply.fax"), Some(Some(3.0)));
        assert_eq!(value(&tables, "old.apply.letter"), Some(Some(2.0)));
        assert_eq!(value(&tables, "old.apply.other"), Some(Some(0.0)));
        // Without 传真申请数 read, the form may print either row: neither is guessed.
        let tables = read("");
        assert_eq!(value(&tables, "old.apply.letter"), None);
        assert_eq!(value(&tables, "old.apply.other"), Some(Some(0.0)));
    }

    #[test]
    fn a_count_under_a_header_in_yuan_stays_a_count() {
        // A header over both columns gives the unit (columns found in laid-out text put
        // both headers over both values alike); only the amount is money, in 元 and so
        // converted to 万元.
        let html = "<table><tr><td colspan=3>第二十条第（九）项</td></tr>\
            <tr><td rowspan=2>信息内容</td><td colspan=2>（单位：元）</td></tr>\
            <tr><td>采购项目数量</td><td>采购总金额</td></tr>\
            <tr><td>政府集中采购</td><td>135</td><td>75394432.52</td></tr></table>";
        let t = read("t.html", html);
        assert_eq!(value(&t, "t2.procurement.items"), Some(Some(135.0)));
        let amount = value(&t, "t2.procurement.amount")
            .flatten()
            .unwrap_or_default();
        assert!((amount - 7539.443252).abs() < 1e-6, "{amount}");
    }

    #[test]
    fn an_amount_under_no_header_takes_the_unit_its_header_rows_give() {
        // Laid-out text set the row's label under the amount's header, its value under no
        // header at all.
        let html = "<table><tr><td colspan=3>第二十条第（八）项</td></tr>\
            <tr><td>信息内容</td><td>本年收费金额（单位：元）</td><td></td></tr>\
            <tr><td></td><td>行政事业性收费</td><td>77302800</td></tr></table>";
        let amount = value(&read("t.html", html), "t2.fee.amount").flatten();
        assert_eq!(amount, Some(7730.28));
        // Header rows that name 万元 anywhere leave the amount as printed.
        let in_wan = html.replace("（单位：元）", "（单位：万元）");
        let amount = value(&read("t.html", &in_wan), "t2.fee.amount").flatten();
        assert_eq!(amount, Some(77302800.0));
    }

    /// Laid-out text whose header lines, each a piece of its own, columns found from how
    /// the text lines up left out of their grid: the header above the row tells the unit.
    #[test]
    fn an_amount_under_a_header_above_its_grid_takes_its_unit() {
        let header = "第二十条第（八）项\n                 本年收费金额\n     信息内容\n\
                      \x20                （单位：元）\n\n";
        let row = "    行政事业性收费         77302800\n";
        let amount = |header: &str| {
            let text = format!("{header}{row}");
            let doc = crate::tests::with_spaced_grid(&text, &[&["行政事业性收费", "77302800"]]);
            value(&read_tables(&doc, Some(Era::Y2021)), "t2.fee.amount").flatten()
        };
        assert_eq!(amount(header), Some(7730.28));
        assert_eq!(amount(&header.replace("元", "万元")), Some(77302800.0));
    }

    #[test]
    fn compacting_keeps_spaces_between_digits_only() {
        assert_eq!(compact("结 果 维 持"), "结果维持");
        assert_eq!(compact("21 0  3"), "21 0 3");
        assert_eq!(compact(" (一) 予以公开 "), "(一)予以公开");
    }

    #[test]
    fn a_table_whose_header_stands_above_its_grid_is_that_table() {
        // The header line left at the foot of the page before, the rows in a grid of
        // their own: no anchor in the grid, and no table before it to go on with.
        let html = "<p>附表：政府信息公开工作统计表</p><p>统计指标 单位 统计数</p>\
            <table><tr><td>主动公开政府信息数</td><td>条</td><td>19475</td></tr>\
            <tr><td>收到申请数</td><td>件</td><td>21</td></tr></table>";
        let doc = nianbao_ingest::from_bytes("r.html", html.as_bytes()).unwrap();
        let t = read_tables(&doc, Some(Era::Pre2019));
        assert_eq!(value(&t, "old.active.total"), Some(Some(19475.0)));
        assert_eq!(value(&t, "old.apply.received"), Some(Some(21.0)));
        // Without a header above, a grid of labels alone is no table of the form.
        let bare = html.replace("统计指标 单位 统计数", "");
        let doc = nianbao_ingest::from_bytes("r.html", bare.as_bytes()).unwrap();
        assert!(read_tables(&doc, Some(Era::Pre2019)).is_empty());
    }

    #[test]
    fn html_blanks_stay_in_their_columns() {
        let html = "<table>\
            <tr><td rowspan=3 colspan=3>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=7>申请人情况</td></tr>\
            <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>\
            <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\
            <tr><td colspan=3>一、本年新收政府信息公开申请数量</td><td>3</td><td>&nbsp;</td><td></td><td>1</td><td>4</td><td>&nbsp;</td><td>8</td></tr>\
            </table>";
        let t = read("r.html", html);
        assert_eq!(value(&t, "t3.new.natural"), Some(Some(3.0)));
        assert_eq!(value(&t, "t3.new.commercial"), Some(None));
        assert_eq!(value(&t, "t3.new.research"), Some(None));
        assert_eq!(value(&t, "t3.new.social"), Some(Some(1.0)));
        assert_eq!(value(&t, "t3.new.legal"), Some(Some(4.0)));
        assert_eq!(value(&t, "t3.new.other_org"), Some(None));
        assert_eq!(value(&t, "t3.new.total"), Some(Some(8.0)));
        assert_eq!(t[0].cells[0].method, ReadMethod::Grid);
    }

    #[test]
    fn tab_rows_whose_values_start_off_their_header_are_read_in_order() {
        // Tab rows as some sites' pages give them: a label column merged from the row above
        // is an empty cell, a label spanning two columns one cell, so the rows of one depth
        // of label start their values a column right or left of the header's columns.
        let shallow = "一、\t本年新收政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6\t\n\
            二、\t上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\t\n";
        let deep = "三、本年度办理结果\t（三）不予公开\t1.属于国家秘密\t2\t0\t0\t0\t0\t0\t2\n\
            \t\t2.其他法律行政法规禁止公开\t0\t0\t1\t0\t0\t0\t1\n\
            \t\t3.危及“三安全一稳定”\t0\t0\t0\t0\t0\t0\t0\n\
            \t\t4.保护第三方合法权益\t0\t0\t0\t3\t0\t0\t3\n\
            \t\t5.属于三类内部事务信息\t0\t0\t0\t0\t0\t0\t0\n\
            \t\t6.属于四类过程性信息\t0\t0\t0\t0\t0\t0\t0\n\
            \t\t7.属于行政执法案卷\t0\t0\t0\t0\t0\t0\t0\n\
            \t\t8.属于行政查询事项\t0\t0\t0\t0\t0\t0\t0\n";
        let heading = "三、收到和处理政府信息公开申请情况\n";
        let note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
        let kinds = "自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他";
        // The header over the shallow rows' values (the deep ones a column right of it),
        // then over the deep rows' (the shallow ones a column left).
        let headers = [
            format!("{note}\t\t申请人情况\t\t\t\t\t\t总计\t\n\t\t{kinds}\t\t\n"),
            format!("{note}\t\t\t申请人情况\t\t\t\t\t\t总计\n\t\t\t{kinds}\t\n"),
        ];
        for header in headers {
            let text = format!("{heading}{header}{shallow}{deep}");
            let t = read("t.txt", &text);
            for (key, expected) in [
                ("t3.new.natural", 5.0),
                ("t3.new.commercial", 1.0),
                ("t3.new.total", 6.0),
                ("t3.denied.secret.natural", 2.0),
                ("t3.denied.secret.commercial", 0.0),
                ("t3.denied.secret.total", 2.0),
                ("t3.denied.law.research", 1.0),
                ("t3.denied.law.total", 1.0),
                ("t3.denied.third_party.social", 3.0),
                ("t3.denied.third_party.total", 3.0),
            ] {
                assert_eq!(value(&t, key), Some(Some(expected)), "{key} in {text}");
            }
        }
        let cells = |texts: &[&str]| -> Vec<GridCell> {
            texts
                .iter()
                .map(|t| GridCell {
                    row: 0,
                    col: 0,
                    rows: 1,
                    cols: 1,
                    text: t.to_string(),
                    start: 0,
                    end: 0,
                    bbox: None,
                    rest: None,
                })
                .collect()
        };
        let (three, four) = (cells(&["1", "2", "3"]), cells(&["", "1", "2", "3"]));
        let (three, four): (Vec<&GridCell>, Vec<&GridCell>) =
            (three.iter().collect(), four.iter().collect());
        // Only a row off its header by one offset throughout is read in order.
        assert!(shifted_off_its_header(&[None, Some(0), Some(1)], &three));
        assert!(shifted_off_its_header(&[Some(2), Some(3), None], &four));
        assert!(!shifted_off_its_header(
            &[Some(0), Some(1), Some(2)],
            &three
        ));
        assert!(!shifted_off_its_header(&[None, Some(0), Some(2)], &three));
        assert!(!shifted_off_its_header(&[None, None, None], &three));
        assert!(!shifted_off_its_header(&[None, Some(0)], &three));
    }

    #[test]
    fn a_header_word_on_a_row_of_its_own_is_header() {
        // A borderless PDF's header, each line a row, a word a cell: "其他", centred on the
        // two lines of its neighbours' wrapped headers, on a line between them; then the
        // rest of a label a page break cut, under the repeated header: no header word.
        let row = |cells: &[&str]| {
            let cells: String = cells.iter().map(|c| format!("<td>{c}</td>")).collect();
            format!("<tr>{cells}</tr>")
        };
        let html = "<table>\
            <tr><td rowspan=4 colspan=2>（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td><td colspan=7>申请人情况</td></tr>\
            <tr><td rowspan=3>自然人</td><td></td><td></td><td>法人或其他组织</td><td></td><td></td><td rowspan=3>总计</td></tr>"
            .to_string()
            + &row(&["商业企", "科研机", "社会公", "法律服", ""])
            + &row(&["", "", "", "", "其他"])
            + &row(&["", "", "", "业", "构", "益组织", "务机构", "", ""])
            + &row(&["", "一、本年新收政府信息公开申请数量", "3", "0", "0", "1", "4", "2", "10"])
            + &row(&["(五)不予处理", "1.信访举报投", "5", "0", "0", "0", "0", "0", "5"])
            + &row(&["项之和）", "", "自然人", "商业企", "科研机", "社会公", "法律服", "", "总计"])
            + &row(&["", "诉类申请", "", "", "", "", "", "", ""])
            + &row(&["", "2.重复申请", "1", "0", "0", "0", "0", "0", "1"])
            + "</table>";
        let t = read("r.html", &html);
        assert_eq!(value(&t, "t3.new.legal"), Some(Some(4.0)));
        assert_eq!(value(&t, "t3.new.other_org"), Some(Some(2.0)));
        assert_eq!(value(&t, "t3.new.total"), Some(Some(10.0)));
        assert_eq!(value(&t, "t3.ignored.petition.natural"), Some(Some(5.0)));
        assert_eq!(value(&t, "t3.ignored.repeat.total"), Some(Some(1.0)));
    }

    #[test]
    fn a_label_in_the_first_label_column_leaves_the_second_empty_not_blank() {
        // The end of 表三 on a page of its own, its blank columns not printed: the leaf
        // label column holds "3.其他"; "(七)总计" stands in the group column, the leaf
        // column empty beside it. Its values are 26 and 26, not a blank and then two.
        let mut grid = Grid::new(GridSource::PdfAligned);
        let rows: [[&str; 4]; 2] = [["", "3.其他", "0", "0"], ["(七)总计", "", "26", "26"]];
        for (row, texts) in rows.iter().enumerate() {
            for (col, text) in texts.iter().enumerate() {
                grid.push(GridCell {
                    row,
                    col,
                    rows: 1,
                    cols: 1,
                    text: text.to_string(),
                    start: 0,
                    end: 0,
                    bbox: None,
                    rest: None,
                });
            }
        }
        let parts = [Part {
            grid: &grid,
            rows: 0..2,
        }];
        let views = views(&parts, "", false);
        let values: Vec<&str> = views[1].values.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(values, ["26", "26"]);
        assert_eq!(views[1].label(), "(七)总计");
        let values: Vec<&str> = views[0].values.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(values, ["0", "0"]);
    }

    #[test]
    fn a_label_whose_first_line_went_to_the_row_above_names_its_row() {
        // Laid-out text read "行政许可 / 其他对外 / 管理服务 ... / 事项" as the rows
        // "行政许可其他对外" and "管理服务事项"; "管理服务事项" names no row of the form.
        let table = |upper: &str, lower: &str| {
            format!(
                "<table><tr><td>第二十条第（五）项</td></tr>\
                 <tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>\
                 <tr><td>{upper}</td><td>396</td><td>0</td><td>181</td></tr>\
                 <tr><td>{lower}</td><td>10</td><td>0</td><td>153</td></tr></table>"
            )
        };
        let t = read("r.html", &table("行政许可其他对外", "管理服务事项"));
        assert_eq!(value(&t, "t2.license.decisions"), Some(Some(181.0)));
        assert_eq!(value(&t, "t2.other_service.prev_items"), Some(Some(10.0)));
        assert_eq!(value(&t, "t2.other_service.decisions"), Some(Some(153.0)));
        // Only a row taken for a row of the form gives a label's start away, and not over
        // a header row (a band of its own).
        let t = read("r.html", &table("其他对外", "管理服务事项"));
        assert_eq!(value(&t, "t2.other_service.decisions"), None);
        let header = "<tr><td>信息内容</td><td>上一年项目数量</td><td>本年增/减</td><td>处理决定数量</td></tr>";
        let banded = table("行政许可其他对外", "管理服务事项").replace(
            "<tr><td>管理服务事项",
            &format!("{header}<tr><td>管理服务事项"),
        );
        let t = read("r.html", &banded);
        assert_eq!(value(&t, "t2.license.decisions"), Some(Some(181.0)));
        assert_eq!(value(&t, "t2.other_service.decisions"), None);
    }

    #[test]
    fn a_value_under_no_header_is_unplaced() {
        let html = "<table><tr><td>第二十条第（一）项</td></tr>\
            <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td><td>备注</td></tr>\
            <tr><td>规章</td><td>1</td><td>0</td><td>5</td><td>2</td></tr></table>";
        let t = read("r.html", html);
        assert_eq!(value(&t, "t2.rules.made"), Some(Some(1.0)));
        assert_eq!(value(&t, "t2.rules.in_force"), Some(Some(5.0)));
        assert_eq!(t[0].unplaced.len(), 1);
        assert_eq!(t[0].unplaced[0].text, "2");
    }

    #[test]
    fn placeholder_headers_read_in_order_and_split_labels_join() {
        let md = "| 数据1 | 数据2 | 数据3 | 数据4 |\n|---|---|---|---|\n\
            | 第二十条第（一）项 | | | |\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n\
            | 规章 | 0 | 0 | 0 |\n| 行政规范 | | | |\n| 性文件 | 8 | 1 | 7 |\n";
        let t = read("r.md", md);
        assert_eq!(value(&t, "t2.normative.made"), Some(Some(8.0)));
        assert_eq!(value(&t, "t2.normative.in_force"), Some(Some(7.0)));
        let md = "| 数据1 | 数据2 |\n|---|---|\n| 第二十条第（五）项 | |\n| 信息内容 | 数据 |\n| 行政许可 | |\n| | 550 |\n";
        assert_eq!(
            value(&read("r.md", md), "t2.license.decisions"),
            Some(Some(550.0))
        );
    }

    #[test]
    fn table_four_by_its_two_level_header() {
        let html = "<table><tr><td colspan=5>行政复议</td><td colspan=10>行政诉讼</td></tr>\
            <tr><td rowspan=2>结果维持</td><td rowspan=2>结果纠正</td><td rowspan=2>其他结果</td><td rowspan=2>尚未审结</td><td rowspan=2>总计</td>\
            <td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr><tr>"
            .to_string()
            + &"<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>".repeat(2)
            + "</tr><tr>"
            + &(1..=15).map(|i| format!("<td>{i}</td>")).collect::<String>()
            + "</tr></table>";
        let t = read("r.html", &html);
        assert_eq!(value(&t, "t4.review.upheld"), Some(Some(1.0)));
        assert_eq!(value(&t, "t4.suit_direct.total"), Some(Some(10.0)));
        assert_eq!(value(&t, "t4.suit_after.pending"), Some(Some(14.0)));
    }

    /// 表四 laid out by pdftotext, its groups' names centred over their columns as the
    /// converter pleased (the layout lab's): the headers put the direct suits' first value
    /// under 行政复议. Every value is printed, a cell each, and in the printed order every
    /// group adds up: that order is read.
    #[test]
    fn a_sequence_whose_headers_break_its_sums_is_read_in_order_when_that_adds_up() {
        let t = read(
            "t4.txt",
            "第四部分 政府信息公开行政复议、行政诉讼情况
          行政复议                                   行政诉讼
                                  未经复议直接起诉                          复议后起诉
结果   结果    其他    尚未
                       总计   结果    结果   其他   尚未            结果       结果    其他   尚未
维持   纠正    结果    审结                              总计                                总计
                            维持    纠正   结果   审结            维持       纠正    结果   审结
1    0     2      0     3    12    0    0    0   12        0        0     0    0   0
",
        );
        assert_eq!(value(&t, "t4.review.total"), Some(Some(3.0)));
        assert_eq!(value(&t, "t4.suit_direct.upheld"), Some(Some(12.0)));
        assert_eq!(value(&t, "t4.suit_direct.total"), Some(Some(12.0)));
        assert_eq!(value(&t, "t4.suit_after.total"), Some(Some(0.0)));
        // Narrow columns: three values in one cell of the spaced grid, counted one by one.
        let t = read(
            "t4.txt",
            "第四部分 政府信息公开行政复议、行政诉讼情况
         行政复议                           行政诉讼
                             未经复议直接起诉                 复议后起诉
结    结    其     尚
                         结    结 其  尚        结       结   其  尚
果    果    他     未   总
                         果    果 他  未    总   果       果   他  未    总
维    纠    结     审   计
                         维    纠 结  审    计   维       纠   结  审    计
持    正    果     结
                         持    正 果  结        持       正   果  结
24   5    10    2   41   5    0  0  0   5   1       0   0   0   1
",
        );
        assert_eq!(value(&t, "t4.review.total"), Some(Some(41.0)));
        assert_eq!(value(&t, "t4.suit_direct.upheld"), Some(Some(5.0)));
        assert_eq!(value(&t, "t4.suit_direct.pending"), Some(Some(0.0)));
        assert_eq!(value(&t, "t4.suit_direct.total"), Some(Some(5.0)));
        assert_eq!(value(&t, "t4.suit_after.upheld"), Some(Some(1.0)));
    }

    /// A report whose groups do not add up, its header drawn across the wrong columns: the
    /// spans name "维持" of 复议后起诉 under 未经复议直接起诉 too. Every value printed, they
    /// are read in the order printed, each saying its place is a guess.
    #[test]
    fn a_sequence_whose_headers_name_a_column_twice_is_read_in_printed_order() {
        let t = read(
            "t4.txt",
            "四、政府信息公开行政复议、行政诉讼情况
          行政复议                                       行政诉讼
                                未经复议直接起诉                          复议后起诉
结果   结果    其他    尚未
                      总计   结果   结果    其他       尚未         结果    结果   其他       尚未
维持   纠正    结果    审结                                  总计                            总计
                           维持   纠正   结果       审结         维持    纠正   结果       审结
7    2     0     0    0     0    0     0        0    0     3     0    0        0    0
",
        );
        assert_eq!(value(&t, "t4.review.upheld"), Some(Some(7.0)));
        assert_eq!(value(&t, "t4.review.total"), Some(Some(0.0)));
        assert_eq!(value(&t, "t4.suit_direct.upheld"), Some(Some(0.0)));
        assert_eq!(value(&t, "t4.suit_after.upheld"), Some(Some(3.0)));
        let cells: Vec<&CellRead> = t.iter().flat_map(|t| &t.cells).collect();
        assert_eq!(cells.len(), 15);
        assert!(cells.iter().all(|c| c
            .recovered
            .as_deref()
            .is_some_and(|n| n.ends_with(PLACED_IN_ORDER))));
        let unclear = Doubt::PlacedInOrder(nianbao_model::Placement::HeaderUnclear);
        assert!(cells.iter().all(|c| c.doubt.as_deref() == Some(&unclear)));
    }

    #[test]
    fn spaced_rows_with_a_value_a_cell_read_in_order_whatever_the_headers() {
        // `pdftotext -layout` puts a value where it stands on the page but packs a header
        // one column a character: the columns found drift off the headers, and two
        // columns' values may share a cell.
        let text = "二.主动公开政府信息情况
   信息内容       本年新制作数量  本年新公开数量    对外公开总数量
    规章             0       0           0
  规范性文件            9       9          11
   信息内容       上一年项目数量   本年增/减      处理决定数量
   行政处罚          140       7         147
   行政强制   62          6          68
";
        let doc = crate::tests::with_spaced_grid(
            text,
            &[
                &[
                    "信息内容",
                    "本年新制作数量",
                    "本年新公开数量",
                    "对外公开总数量",
                    "",
                ],
                &["规章", "0 0", "0", "", ""],
                &["规范性文件", "9 9", "11", "", ""],
                &[
                    "信息内容",
                    "上一年项目数量",
                    "本年增/减",
                    "处理决定数量",
                    "",
                ],
                &["行政处罚", "", "140", "7", "147"],
                // The row's first value fell in its label's column.
                &["行政强制 62", "6", "68", "", ""],
            ],
        );
        let t = read_tables(&doc, Some(Era::Y2021));
        let row = |label: &str, keys: [&str; 3]| -> Vec<Option<Option<f64>>> {
            keys.iter()
                .map(|k| value(&t, &format!("t2.{label}.{k}")))
                .collect()
        };
        let published = ["new_made", "new_published", "total_published"];
        let items = ["prev_items", "delta", "decisions"];
        let read = |values: [f64; 3]| values.map(|v| Some(Some(v))).to_vec();
        assert_eq!(row("rules", published), read([0.0, 0.0, 0.0]));
        assert_eq!(row("normative", published), read([9.0, 9.0, 11.0]));
        assert_eq!(row("penalty", items), read([140.0, 7.0, 147.0]));
        assert_eq!(row("coercion", items), read([62.0, 6.0, 68.0]));
        let cells = t.iter().flat_map(|t| &t.cells);
        assert!(
            cells.clone().count() == 12
                && cells.clone().all(|c| c.method == ReadMethod::TextColumns)
        );
    }
}
