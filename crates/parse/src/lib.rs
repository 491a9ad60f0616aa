//! Parse: from a [`Document`] to the canonical [`Report`].
//!
//! The steps, each in its own module: organ, year and level from the title and the other
//! places pages name them ([`identity`]), dates ([`meta`]); part
//! headings are recognised by meaning, a table of contents told apart ([`sections`]); the
//! document becomes a cell stream ([`stream`]) in which the table recogniser ([`tables`])
//! finds 表二/表三/表四 or the pre-2019 统计指标表 with the layouts of `layouts.toml`, and
//! their own labels tell the template era; what is left is narrative, with its figures.

mod choose;
mod column_wraps;
mod figures;
mod grid;
mod headed_values;
mod identity;
mod layout;
mod meta;
mod over_columns;
mod read;
mod sections;
mod split;
mod stream;
mod table_order;
mod tables;
mod value;
mod words;
mod wrapped;

pub use layout::LayoutError;
pub use value::{read_cell, read_numbers, CellValue};

use nianbao_ingest::{Document, Format};
use nianbao_model::{
    Cell, Era, LineOrigin, Misnamed, Picture, ReadMethod, Report, Section, SectionId, StatPeriod,
    TableId, TableInfo, TextLine, UnplacedValue,
};
use read::TableRead;
use sections::Heading;
use stream::Stream;

/// Who published a document and on which year, without reading its tables: what a batch
/// needs to pair each report with the same organ's report of an earlier year.
pub fn identify(doc: &Document) -> Identified {
    let period = meta::stat_period(doc);
    identity::pairing(doc, period.as_ref())
}

/// A report's organ, its other names, and its year.
#[derive(Debug, Clone, Default)]
pub struct Identified {
    pub organ: Option<String>,
    pub aliases: Vec<String>,
    pub year: Option<i32>,
}

/// Builds what parsing compiles once per process (table layouts, the heading, identity and
/// date patterns) by parsing a small made-up report, as an audit does (without the
/// narrative's figures). The command line runs it on another thread while the rule packs
/// load.
pub fn warm_up() {
    const REPORT: &str = "某县人民政府2020年政府信息公开工作年度报告\n        本报告由某县人民政府办公室编制。\n        一、总体情况\n2020年，某县主动公开政府信息100条。\n        二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n        规章\t0\t0\t0\n        三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n        四、政府信息公开行政复议、行政诉讼情况\n        五、存在的主要问题及改进情况\n六、其他需要报告的事项\n某县人民政府办公室\n2021年1月20日\n";
    if let Ok(doc) = nianbao_ingest::from_bytes("warm-up.txt", REPORT.as_bytes()) {
        let _ = parse_reading(&doc, Figures::Skipped);
    }
}

/// Parses a document into a report. Parsing never fails: what cannot be found is absent
/// from the report, and the rules say what that means.
pub fn parse(doc: &Document) -> Report {
    parse_reading(doc, Figures::Read)
}

/// Whether parsing lists the figures the narrative states (`Report::figures`). No built-in
/// rule reads them; a plugin may (it is handed the whole report), and `parse` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figures {
    Read,
    Skipped,
}

/// Parses a document into a report, its narrative's figures read or not.
pub fn parse_reading(doc: &Document, figures: Figures) -> Report {
    let mut parsing = Parsing::begin(doc, figures);
    parsing.read_tables();
    parsing.finish()
}

/// A report being parsed, stage by stage: `begin` (identity, dates, part headings),
/// `read_grid_tables`, `read_text_tables` (the two are `read_tables`), `finish` (tables
/// stored, parts, narrative). A batch takes each stage over many documents before the
/// next, so that a stage's code and automata stay in the caches from one document to the
/// next; `parse_reading` runs them all on one.
pub struct Parsing<'d> {
    doc: &'d Document,
    figures: Figures,
    report: Report,
    headings: Vec<Heading>,
    tables: Vec<TableRead>,
}

impl<'d> Parsing<'d> {
    /// The report's identity, dates and part headings.
    pub fn begin(doc: &'d Document, figures: Figures) -> Parsing<'d> {
        let mut report = Report {
            source: doc.name.clone(),
            no_text_layer: !doc.has_text,
            ocr_layer: doc.ocr_layer,
            misnamed: doc.misnamed().map(|(extension, format)| Misnamed {
                extension,
                content: format.describe().to_string(),
            }),
            ..Report::default()
        };
        read_meta(doc, &mut report);
        let headings = sections::find_headings(doc);
        report.toc = headings.iter().filter(|h| h.in_toc).map(|h| h.id).collect();
        Parsing {
            doc,
            figures,
            report,
            headings,
            tables: Vec::new(),
        }
    }

    /// The statistical tables, from the document's grids and its text.
    pub fn read_tables(&mut self) {
        self.read_grid_tables();
        self.read_text_tables();
    }

    /// The statistical tables the document's grids give.
    pub fn read_grid_tables(&mut self) {
        let year_era = self.report.year.map(Era::for_year);
        self.tables = grid::read_tables(self.doc, year_era);
    }

    /// The statistical tables read from the document's text, but those its grids gave
    /// whole (`read_grid_tables` first), combined with them.
    pub fn read_text_tables(&mut self) {
        let doc = self.doc;
        let year_era = self.report.year.map(Era::for_year);
        let mut from_grids = std::mem::take(&mut self.tables);
        for table in &mut from_grids {
            over_columns::drop_rows_with_wrapped_numbers(table, doc);
        }
        // A table a grid gave whole needs no reading by order, but in a PDF, whose text is
        // read both ways to compare, and where columns found from laid-out text read a
        // row blank.
        let complete: Vec<TableId> = match doc.format.is_fixed_layout() {
            true => Vec::new(),
            false => from_grids
                .iter()
                .filter(|t| grid::is_complete(t) && !over_columns::columns_want_the_text(t))
                .map(|t| t.id)
                .collect(),
        };
        let from_stream = match [TableId::T2, TableId::T3, TableId::T4]
            .iter()
            .all(|id| complete.contains(id))
        {
            // Grids gave every table of the form whole: nothing is left to read by order.
            true => Vec::new(),
            false => tables_by_order(doc, &body(&self.headings), year_era, &complete),
        };
        self.tables = combine(from_grids, from_stream, doc.format);
    }

    /// The report: its tables stored, its parts and its narrative.
    pub fn finish(self) -> Report {
        let Parsing {
            doc,
            figures,
            mut report,
            headings,
            tables,
        } = self;
        report.era = report_era(&tables).or(report.year.map(Era::for_year));
        let body = body(&headings);
        let table_ranges = store_tables(doc, tables, &mut report);
        bridge_other_rows(&mut report);
        if report.ocr_layer {
            doubt_what_was_recognised(&mut report.cells);
        } else if !doc.recognised.is_empty() {
            doubt_what_pictures_gave(doc, &mut report.cells);
        }
        report.sections = sections_of(doc, &body, &report);
        read_narrative(doc, &body, &table_ranges, figures, &mut report);
        report.pictures = pictures(doc, &body);
        // A report published as pictures (a site's page of its page images, a Word file of
        // pasted scans) is a scan: nothing of it can be read, and no part is missing from it.
        report.no_text_layer |= !report.pictures.is_empty() && report.has_no_body();
        for name in &doc.attachments {
            if !report.attachments.contains(name) {
                report.attachments.push(name.clone());
            }
        }
        report
    }
}

/// A scan's cells were recognised, not read: each that has no other doubt gets that one,
/// so that a finding resting on it asks for the original to be checked and says which
/// value would mend it.
fn doubt_what_was_recognised(cells: &mut nianbao_model::Cells) {
    for cell in cells.values_mut() {
        if cell.doubt().is_none() {
            cell.doubt = Some(Box::new(nianbao_model::Doubt::Recognised));
        }
    }
}

/// The cells read from text OCR read in pictures (tables printed as pictures in a typed
/// document): each that has no other doubt gets that one.
fn doubt_what_pictures_gave(doc: &Document, cells: &mut nianbao_model::Cells) {
    // Cells point at the original's bytes, which the text's need not be (a full-width
    // sign normalised is shorter).
    let read: Vec<nianbao_model::SourceSpan> = doc
        .recognised
        .iter()
        .map(|r| doc.span(r.start, r.end))
        .collect();
    for cell in cells.values_mut() {
        let (start, end) = (cell.span.start, cell.span.end.max(cell.span.start + 1));
        let in_picture = read.iter().any(|r| r.start < end && start < r.end);
        if cell.doubt().is_none() && in_picture {
            cell.doubt = Some(Box::new(nianbao_model::Doubt::RecognisedPicture));
        }
    }
}

/// The document's pictures, each in the part whose heading is the last before it. A picture
/// stands where the text after it starts: one on a line of its own, at the start of the
/// next part's heading, is still in the part before.
fn pictures(doc: &Document, body: &[&Heading]) -> Vec<Picture> {
    doc.pictures
        .iter()
        .map(|&at| Picture {
            span: doc.span(at, at),
            section: body.iter().rfind(|h| h.start < at).map(|h| h.id),
        })
        .collect()
}

/// The part headings of the body (not of a table of contents).
fn body(headings: &[Heading]) -> Vec<&Heading> {
    headings.iter().filter(|h| !h.in_toc).collect()
}

/// The tables read from the text stream (cells in the order they are printed), but those
/// in `complete`.
fn tables_by_order(
    doc: &Document,
    body: &[&Heading],
    year_era: Option<Era>,
    complete: &[TableId],
) -> Vec<TableRead> {
    let stream = Stream::build(doc, 0, doc.text.len());
    // Tables end where a part begins: the first heading of each part in the body.
    let mut boundaries: Vec<usize> = SectionId::ALL
        .iter()
        .filter_map(|id| body.iter().find(|h| h.id == *id))
        .map(|h| stream.pos_of_doc(h.start))
        .collect();
    boundaries.sort_unstable();
    tables::read_tables(&stream, &boundaries, year_era, complete)
        .into_iter()
        .map(|t| t.in_document(&stream))
        .collect()
}

fn read_meta(doc: &Document, report: &mut Report) {
    let period = meta::stat_period(doc);
    let identity = identity::identify(doc, period.as_ref());
    report.title = identity.title;
    report.organ = identity.organ;
    report.organ_aliases = identity.aliases;
    report.year = identity.year;
    report.level = identity.level;
    report.identity = identity.readings;
    if let Some((date, start, end)) = meta::published(doc) {
        report.published = Some(date);
        report.published_span = Some(doc.span(start, end));
    }
    if let Some(found) = period {
        report.stat_period = Some(StatPeriod {
            span: doc.span(found.from, found.to),
            text: found.text,
            start: found.start,
            end: found.end,
        });
    }
}

/// The tables of the report: each read from its grid where the format gives one; the text
/// stream reads the tables no grid holds and the cells a grid's table did not read (the
/// pre-2019 统计指标表 only when there is no 表三). Where a PDF's ruled table and its text
/// read a cell differently, the grid's reading stands and the text's is kept beside it.
/// Columns found in laid-out text give way to the text's whole reading of the table when
/// it is read in the form's order, or when its rows add up and the columns' do not
/// (`over_columns`).
fn combine(grids: Vec<TableRead>, stream: Vec<TableRead>, format: Format) -> Vec<TableRead> {
    let compare = format.is_fixed_layout();
    // In a format that has its tables' geometry, a cell read by its order in the text is one
    // nianbao is not sure of.
    let by_order_is_doubtful = matches!(
        format,
        Format::Html
            | Format::Mht
            | Format::Zip
            | Format::Doc
            | Format::Rtf
            | Format::Pdf
            | Format::Ofd
            | Format::WordXml
    );
    let stream: Vec<TableRead> = match by_order_is_doubtful {
        true => stream.into_iter().map(doubted).collect(),
        false => stream,
    };
    // Each table is taken (moved, not copied) from the first reading of its id.
    let mut grids: Vec<Option<TableRead>> = grids.into_iter().map(Some).collect();
    let mut stream: Vec<Option<TableRead>> = stream.into_iter().map(Some).collect();
    let take = |tables: &mut Vec<Option<TableRead>>, id: TableId| {
        tables
            .iter_mut()
            .find(|t| t.as_ref().is_some_and(|t| t.id == id))
            .and_then(Option::take)
    };
    let mut out: Vec<TableRead> = Vec::new();
    for id in [TableId::T2, TableId::T3, TableId::T4, TableId::Old] {
        if id == TableId::Old && out.iter().any(|t| t.id == TableId::T3) {
            continue;
        }
        let from_text = take(&mut stream, id);
        let (grid, from_text) = match (take(&mut grids, id), from_text) {
            (Some(grid), Some(text))
                if over_columns::in_order_over_columns(&grid, &text)
                    || over_columns::adding_up_over_columns(&grid, &text) =>
            {
                (Some(text), None)
            }
            (grid, text) => (grid, text),
        };
        match grid {
            Some(mut table) => {
                if let Some(other) = from_text {
                    if compare {
                        note_other_readings(&mut table, &other);
                    }
                    table.start = table.start.min(other.start);
                    table.end = table.end.max(other.end);
                    over_columns::drop_rows_misread_by_columns(&mut table, &other);
                    // Columns found only from how text lines up read part of the table:
                    // the rest, read by order, may hold the values those columns missed.
                    let other = match table
                        .cells
                        .iter()
                        .any(|c| c.method == ReadMethod::TextColumns)
                    {
                        true => doubted(other),
                        false => other,
                    };
                    let missing: Vec<_> = other
                        .cells
                        .into_iter()
                        .filter(|c| !table.cells.iter().any(|t| t.key == c.key))
                        .collect();
                    table.cells.extend(missing);
                }
                out.push(table);
            }
            None => out.extend(from_text),
        }
    }
    out.sort_by_key(|t| t.start);
    out
}

/// A table read by order where the grid did not give the cells: each cell says so.
fn doubted(mut table: TableRead) -> TableRead {
    for cell in &mut table.cells {
        if cell.method == ReadMethod::Stream && cell.alternative.is_none() {
            cell.alternative = Some(
                "read by the order of the values in the text: no grid of the table gave this cell"
                    .into(),
            );
            cell.doubt = Some(Box::new(nianbao_model::Doubt::ByValueOrder));
        }
    }
    table
}

fn note_other_readings(table: &mut TableRead, other: &TableRead) {
    for cell in &mut table.cells {
        let Some(theirs) = other.cells.iter().find(|c| c.key == cell.key) else {
            continue;
        };
        if theirs.value != cell.value {
            let read = theirs
                .value
                .map_or("blank".to_string(), nianbao_model::format_number);
            cell.alternative = Some(format!("the PDF's text read {read} here"));
            cell.doubt = Some(Box::new(nianbao_model::Doubt::OtherReading {
                read: theirs.value,
            }));
        }
    }
}

/// Stores the cells and table extents; returns the document ranges the tables cover.
fn store_tables(
    doc: &Document,
    tables: Vec<TableRead>,
    report: &mut Report,
) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    // Grown once rather than doubling cell by cell (a cell is some 130 bytes, a report's
    // tables some 200 of them).
    report
        .cells
        .reserve(tables.iter().map(|t| t.cells.len()).sum());
    // A table's cells come mostly in the order of the text: each span counts on from the
    // one before.
    let mut spans = doc.span_cursor();
    for table in tables {
        ranges.push((table.start, table.end));
        report.tables.push(TableInfo {
            id: table.id,
            era: table.era,
            span: doc.span(table.start, table.end),
        });
        // Moved, not copied: the tables are not needed once their cells are stored.
        for cell in table.cells {
            let stored = Cell {
                value: cell.value,
                raw: cell.raw,
                span: spans.span(cell.start, cell.end),
                recovered: cell.recovered,
                read: cell.method,
                alternative: cell.alternative,
                doubt: cell.doubt,
            };
            report.cells.insert(cell.key, stored);
        }
        report
            .unplaced
            .extend(table.unplaced.into_iter().map(|u| UnplacedValue {
                table: table.id,
                text: u.text,
                row: u.row,
                span: doc.span(u.start, u.end),
            }));
    }
    ranges
}

/// 表三 （六）其他处理 is one row in the 2019 form and three (1 逾期不补正, 2 逾期未缴费,
/// 3 其他) in the 2021 form. When a report's 表三 is printed on the other form than the
/// report, the cells of the report's form are derived where that is exact: the 2019 row is
/// the sum of the three; the three are 0 when the one row is 0 (counts are never negative).
/// Derived cells say so in `recovered`, and are as doubtful as the cells they come from.
fn bridge_other_rows(report: &mut Report) {
    const PARTS: [&str; 3] = ["no_correction", "no_fee", "misc"];
    let t3_era = report.table(TableId::T3).and_then(|t| t.era);
    let other_form = matches!(
        (report.era, t3_era),
        (Some(Era::Y2021), Some(Era::Y2019)) | (Some(Era::Y2019), Some(Era::Y2021))
    );
    // Most reports print 表三 on their own form: no key is worked out for them.
    if !other_form {
        return;
    }
    for col in nianbao_model::T3_COLUMNS {
        let one = format!("t3.other.{col}");
        let parts: Vec<String> = PARTS
            .iter()
            .map(|p| format!("t3.other.{p}.{col}"))
            .collect();
        match (report.era, t3_era) {
            (Some(Era::Y2021), Some(Era::Y2019)) => {
                let Some(cell) = report.cells.get(&one).cloned() else {
                    continue;
                };
                if cell.value == Some(0.0) {
                    for key in &parts {
                        let mut derived = cell.clone();
                        derived.recovered = Some("derived: （六）其他处理 is printed as one row (2019 form) of 0, so each of its 2021 sub-rows is 0".into());
                        derived.read = nianbao_model::ReadMethod::Derived;
                        derived.doubt = cell.doubt().cloned().map(Box::new);
                        report.cells.insert_if_absent(key, derived);
                    }
                }
            }
            (Some(Era::Y2019), Some(Era::Y2021)) => {
                let values: Option<Vec<f64>> =
                    parts.iter().map(|k| report.value(k).flatten()).collect();
                let (Some(values), Some(first)) = (values, report.cells.get(&parts[0]).cloned())
                else {
                    continue;
                };
                let doubt = parts
                    .iter()
                    .find_map(|k| report.cells.get(k)?.doubt().cloned());
                let mut derived = first;
                derived.value = Some(values.iter().sum());
                derived.doubt = doubt.map(Box::new);
                derived.recovered =
                    Some("derived: sum of the three 2021 sub-rows of （六）其他处理".into());
                derived.read = nianbao_model::ReadMethod::Derived;
                report.cells.insert_if_absent(&one, derived);
            }
            _ => {}
        }
    }
}

/// The era the tables' labels point to: 表二 is the most telling, then 表三.
fn report_era(tables: &[TableRead]) -> Option<Era> {
    [TableId::T2, TableId::T3, TableId::Old]
        .iter()
        .find_map(|id| tables.iter().find(|t| t.id == *id).and_then(|t| t.era))
}

/// Parts present in the body: by heading, or by their table when the heading is missing.
fn sections_of(doc: &Document, body: &[&Heading], report: &Report) -> Vec<Section> {
    let mut found: Vec<Section> = Vec::new();
    for id in SectionId::ALL {
        if let Some(h) = body.iter().find(|h| h.id == id) {
            found.push(Section {
                id,
                title: h.title.clone(),
                printed_number: h.printed_number.clone(),
                span: doc.span(h.start, h.end),
                by_table: false,
            });
            continue;
        }
        let table = match id {
            SectionId::Two => report.table(TableId::T2),
            SectionId::Three => report.table(TableId::T3),
            SectionId::Four => report.table(TableId::T4),
            _ => None,
        };
        if let Some(table) = table {
            found.push(Section {
                id,
                title: String::new(),
                printed_number: None,
                span: table.span,
                by_table: true,
            });
        }
    }
    found.sort_by_key(|s| s.span.start);
    found
}

/// Narrative: every stretch of text outside the tables (crawled pages put a table and the
/// text around it on one line), with its part and figures.
fn read_narrative(
    doc: &Document,
    body: &[&Heading],
    tables: &[(usize, usize)],
    figures: Figures,
    report: &mut Report,
) {
    let mut pieces = Vec::new();
    for line in doc.lines() {
        outside(line.start, line.end, tables, &mut pieces);
        for &(start, end) in &pieces {
            let text = &doc.text[start..end];
            if text.trim().is_empty() {
                continue;
            }
            let section = body.iter().rfind(|h| h.start <= start).map(|h| h.id);
            if figures == Figures::Read {
                let span_of = |s: usize, e: usize| doc.span(start + s, start + e);
                report.figures.extend(figures::figures_in(text, span_of));
            }
            let span = doc.span(start, end);
            let origin = line_origin(doc, start, text, span.start);
            report.text.push(TextLine {
                text: text.to_string(),
                span,
                section,
                origin,
            });
        }
    }
}

/// The parts of `start..end` not covered by any of `ranges`, into `pieces` (emptied
/// first; kept by the caller from line to line, as most lines are one piece).
fn outside(start: usize, end: usize, ranges: &[(usize, usize)], pieces: &mut Vec<(usize, usize)>) {
    pieces.clear();
    pieces.push((start, end));
    for &(s, e) in ranges.iter().filter(|&&(s, e)| s < end && e > start) {
        let mut i = 0;
        while let Some(&(a, b)) = pieces.get(i) {
            if e <= a || s >= b {
                i += 1;
                continue;
            }
            // The range cuts this piece: what is left of it on each side replaces it.
            pieces.remove(i);
            for piece in [(a, s.max(a)), (e.min(b), b)] {
                if piece.0 < piece.1 {
                    pieces.insert(i, piece);
                    i += 1;
                }
            }
        }
    }
}

/// Where a line's chars are in the file: its pieces, or nothing when it is the file's
/// bytes from its span's start.
fn line_origin(doc: &Document, line_start: usize, text: &str, original_start: usize) -> LineOrigin {
    let line_end = line_start + text.len();
    match doc.copied_at(line_start, line_end, original_start) {
        true => LineOrigin::Copied,
        false => LineOrigin::Pieces(doc.original_pieces(line_start, line_end)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::{outside, parse, parse_reading, Figures};

    use nianbao_ingest::{Grid, GridCell, GridSource};
    use nianbao_model::ReadMethod;

    /// A report on `era` whose 表三 is printed on `t3_era`, with these cells.
    fn bridged(
        era: nianbao_model::Era,
        t3_era: nianbao_model::Era,
        cells: &[(String, f64)],
    ) -> nianbao_model::Report {
        use nianbao_model::{Cell, Report, TableId, TableInfo};
        let mut report = Report {
            era: Some(era),
            ..Report::default()
        };
        report.tables.push(TableInfo {
            id: TableId::T3,
            era: Some(t3_era),
            span: Default::default(),
        });
        for (key, value) in cells {
            let cell = Cell {
                raw: value.to_string(),
                read: ReadMethod::TextRows,
                ..Cell::of_value(Some(*value))
            };
            report.cells.insert(key, cell);
        }
        super::bridge_other_rows(&mut report);
        report
    }

    #[test]
    fn the_other_forms_rows_of_other_handling_are_derived_both_ways() {
        use nianbao_model::{Era, T3_COLUMNS};
        let col = T3_COLUMNS[0];
        let part = |p: &str| format!("t3.other.{p}.{col}");
        let one = format!("t3.other.{col}");
        // A 2021 report printing the 2019 row as 0: each 2021 sub-row is 0.
        let r = bridged(Era::Y2021, Era::Y2019, &[(one.clone(), 0.0)]);
        for p in ["no_correction", "no_fee", "misc"] {
            assert_eq!(r.value(&part(p)), Some(Some(0.0)), "{p}");
            assert_eq!(
                r.cells.get(&part(p)).map(|c| c.read),
                Some(ReadMethod::Derived)
            );
        }
        // A 2019 report printing the three 2021 sub-rows: the one row is their sum.
        let three: Vec<(String, f64)> = [("no_correction", 1.0), ("no_fee", 2.0), ("misc", 4.0)]
            .iter()
            .map(|(p, v)| (part(p), *v))
            .collect();
        let r = bridged(Era::Y2019, Era::Y2021, &three);
        assert_eq!(r.value(&one), Some(Some(7.0)));
        // On its own form, nothing is derived.
        let r = bridged(Era::Y2019, Era::Y2019, &three);
        assert_eq!(r.value(&one), None);
        let r = bridged(Era::Y2021, Era::Y2021, &[(one.clone(), 0.0)]);
        assert_eq!(r.value(&part("misc")), None);
    }

    /// A table OCR read in a picture of a typed report is read as recognised text (a
    /// misread label named by the row most like it) and its cells carry that doubt; the
    /// typed table beside it does not.
    #[test]
    fn cells_read_from_a_picture_carry_their_doubt() {
        let html = "<p>平阴县人民政府2021年政府信息公开工作年度报告</p>\
            <p>二、主动公开政府信息情况</p>\
            <table><tr><td colspan=2>第二十条第（一）项</td></tr>\
            <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>\
            <tr><td>规章</td><td>3</td><td>0</td><td>5</td></tr></table>\
            <table><tr><td colspan=2>第二十条第（六）项</td></tr>\
            <tr><td>信息内容</td><td>本年处理决定数量</td></tr>\
            <tr><td>行政处aR</td><td>4119</td></tr><tr><td>行政强制</td><td>195</td></tr></table>";
        let mut doc = nianbao_ingest::from_bytes("r.html", html.as_bytes()).unwrap();
        let from = doc.text.rfind("第二十条").unwrap();
        let picture = from..doc.text.len();
        doc.recognised = vec![picture];
        let report = parse(&doc);
        let doubt = |key: &str| report.cells.get(key).and_then(|c| c.doubt().cloned());
        assert_eq!(report.value("t2.penalty.decisions"), Some(Some(4119.0)));
        assert_eq!(
            doubt("t2.penalty.decisions"),
            Some(nianbao_model::Doubt::RecognisedPicture)
        );
        assert_eq!(report.value("t2.rules.made"), Some(Some(3.0)));
        assert_eq!(doubt("t2.rules.made"), None);
    }

    #[test]
    fn a_line_outside_tables_is_what_no_table_covers() {
        type Ranges<'a> = &'a [(usize, usize)];
        let cases: [(Ranges, Ranges); 6] = [
            (&[], &[(0, 10)]),
            (&[(12, 20)], &[(0, 10)]),
            (&[(2, 4), (6, 8)], &[(0, 2), (4, 6), (8, 10)]),
            (&[(6, 8), (2, 4)], &[(0, 2), (4, 6), (8, 10)]),
            (&[(2, 6), (4, 8)], &[(0, 2), (8, 10)]),
            (&[(0, 3), (8, 30), (5, 6)], &[(3, 5), (6, 8)]),
        ];
        let mut pieces = vec![(99, 100)];
        for (tables, expected) in cases {
            outside(0, 10, tables, &mut pieces);
            assert_eq!(pieces, expected, "{tables:?}");
        }
        outside(0, 10, &[(0, 10)], &mut pieces);
        assert!(pieces.is_empty());
    }

    /// Numbers drawn the same every run from `state` (a linear congruential generator):
    /// the tests' generated inputs.
    pub(crate) fn seeded(mut state: u64) -> impl FnMut() -> usize {
        move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize
        }
    }

    /// Checks a matcher written by hand against the regex it replaces: on `count` texts
    /// of at most `max_pieces` pieces drawn from `pieces` (the same every run), `found`
    /// answers as `expected` (the regex) does, and more than `min_matched` of the texts
    /// match, so that the pieces exercise the matcher.
    pub(crate) fn assert_same_as_regex<T: PartialEq + std::fmt::Debug>(
        pieces: &[&str],
        (count, max_pieces, min_matched): (usize, usize, usize),
        expected: impl Fn(&str) -> Option<T>,
        found: impl Fn(&str) -> Option<T>,
    ) {
        let mut next = seeded(7);
        let mut matched = 0;
        for _ in 0..count {
            let text: String = (0..next() % (max_pieces + 1))
                .map(|_| pieces[next() % pieces.len()])
                .collect();
            let want = expected(&text);
            matched += usize::from(want.is_some());
            assert_eq!(found(&text), want, "{text}");
        }
        assert!(matched > min_matched, "only {matched} texts match");
    }

    /// A document of `text` whose one grid, found from how the text lines up, has these
    /// rows (a cell's span is where its text first stands after the previous cell's).
    pub(crate) fn with_spaced_grid(text: &str, rows: &[&[&str]]) -> nianbao_ingest::Document {
        let mut doc = nianbao_ingest::from_bytes("r.txt", text.as_bytes()).unwrap();
        let mut grid = Grid::new(GridSource::SpacedText);
        let mut at = 0;
        for (row, cells) in rows.iter().enumerate() {
            for (col, cell) in cells.iter().enumerate() {
                let first = cell.split_whitespace().next().unwrap_or("");
                let start = doc.text[at..].find(first).map_or(at, |i| at + i);
                at = start + first.len();
                grid.push(GridCell {
                    row,
                    col,
                    rows: 1,
                    cols: 1,
                    text: cell.to_string(),
                    start,
                    end: at,
                    bbox: None,
                    rest: None,
                });
            }
        }
        doc.grids = vec![grid];
        doc
    }

    #[test]
    fn cells_read_by_order_beside_columns_of_spaced_text_are_doubted() {
        // The columns found from how the text lines up took 规章's row only; the rows
        // they missed are read by order, and may hold what the columns misread.
        let text = "二.主动公开政府信息情况
                第二十条第(一)项
   信息内容       本年新制作数量  本年新公开数量    对外公开总数量
    规章             0       0           0
  规范性文件            9       9          11
                第二十条第(五)项
   信息内容       上一年项目数量   本年增/减      处理决定数量
   行政许可           42     101         143
";
        let rows: &[&[&str]] = &[
            &[
                "信息内容",
                "本年新制作数量",
                "本年新公开数量",
                "对外公开总数量",
            ],
            &["规章", "0", "0", "0"],
        ];
        let report = parse(&with_spaced_grid(text, rows));
        let rules = report.cells.get("t2.rules.new_made").unwrap();
        assert_eq!(rules.read, ReadMethod::TextColumns);
        let normative = report.cells.get("t2.normative.total_published").unwrap();
        assert_eq!(
            (normative.value, normative.read),
            (Some(11.0), ReadMethod::Stream)
        );
        assert_eq!(normative.doubt(), Some(&nianbao_model::Doubt::ByValueOrder));
    }

    #[test]
    fn a_table_read_whole_in_the_forms_order_stands_over_columns_of_spaced_text() {
        // A browser's print laid out by pdftotext: four rows' values each on the line of
        // the next row's label. Columns found from how the text lines up give each label
        // the values on its line; the values in the form's order, exactly its cells and
        // their rows adding up, are the table.
        use crate::table_order::tests::{laid_out_shifted, t3_keys, t3_rows};
        let rows = t3_rows();
        let text = laid_out_shifted(&rows, 12, 16);
        // The grid's cells as the document's text has them (full-width brackets normalised).
        let doc_text = nianbao_ingest::from_bytes("r.txt", text.as_bytes())
            .unwrap()
            .text;
        let lines: Vec<Vec<&str>> = doc_text
            .lines()
            .filter(|l| l.ends_with(|c: char| c.is_ascii_digit()))
            .map(|l| {
                let (label, values) = l.split_once("  ").unwrap_or(("", l));
                std::iter::once(label.trim())
                    .chain(values.split_whitespace())
                    .collect()
            })
            .collect();
        let grid_rows: Vec<&[&str]> = lines.iter().map(Vec::as_slice).collect();
        let report = parse(&with_spaced_grid(&text, &grid_rows));
        let read: Vec<Option<f64>> = t3_keys()
            .iter()
            .map(|k| report.cells.get(k).and_then(|c| c.value))
            .collect();
        let expected: Vec<Option<f64>> =
            rows.iter().flatten().map(|&v| Some(f64::from(v))).collect();
        assert_eq!(read, expected);
        let not_held = report.cells.get("t3.unable.not_held.total").unwrap();
        assert_eq!(not_held.doubt(), Some(&nianbao_model::Doubt::InTableOrder));
    }

    #[test]
    fn skipping_figures_changes_nothing_else() {
        for sample in ["000_3a5e30b285f87727.txt", "002_ebe041415b5440fa.txt"] {
            let path = format!("{}/../../samples/{sample}", env!("CARGO_MANIFEST_DIR"));
            let bytes = std::fs::read(&path).unwrap();
            let doc = nianbao_ingest::from_bytes(sample, &bytes).unwrap();
            let mut full = parse(&doc);
            assert!(!full.figures.is_empty(), "{sample} states figures");
            full.figures.clear();
            assert_eq!(parse_reading(&doc, Figures::Skipped), full, "{sample}");
        }
    }
}
