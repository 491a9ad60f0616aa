//! DOCX (Word, WPS): the body's paragraphs in order and its tables as grids (gridSpan,
//! vMerge honoured), rendered like every other format: lines, table rows as tab-separated
//! cells. Limits on the zip guard against bombs. Spans refer to the extracted text.

use crate::grid::{Grid, GridCell, GridSource};
use crate::zipped::{attr, Archive};
use crate::IngestError;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Limits on the zip container (hostile input).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ZipLimits {
    pub max_entries: usize,
    pub max_entry_bytes: u64,
    pub max_ratio: u64,
}

pub const DEFAULT_LIMITS: ZipLimits = ZipLimits {
    max_entries: 10_000,
    max_entry_bytes: 64 * 1024 * 1024,
    max_ratio: 200,
};

fn document_xml(archive: &mut Archive, limits: ZipLimits) -> Result<String, IngestError> {
    crate::zipped::entry_text(archive, "word/document.xml", limits)?
        .ok_or_else(|| IngestError::Corrupt("not a DOCX: no word/document.xml".into()))
}

/// Reads a chunk of another format that a DOCX's body holds (`w:altChunk`), given its
/// part's name and bytes: its text and tables.
pub(crate) type ChunkReader<'r> =
    &'r dyn Fn(&str, &[u8]) -> Result<(String, Vec<Grid>), IngestError>;

/// The parts `word/document.xml`'s relationships name, the relationships read when first
/// asked for: the pictures OCR reads ([`related_parts`]), the workbooks of embedded
/// spreadsheets, the chunks of other formats.
pub(crate) struct RelatedParts<'b> {
    archive: Archive<'b>,
    limits: ZipLimits,
    targets: Option<Vec<(String, String)>>,
    read_chunk: Option<ChunkReader<'b>>,
}

impl<'b> RelatedParts<'b> {
    fn new(archive: Archive<'b>, limits: ZipLimits) -> RelatedParts<'b> {
        RelatedParts {
            archive,
            limits,
            targets: None,
            read_chunk: None,
        }
    }

    /// The bytes of the part relationship `id` names, or `None` when it names no part in
    /// the archive (an image linked from outside it; no relationships at all).
    fn part(&mut self, id: &str) -> Result<Option<Vec<u8>>, IngestError> {
        Ok(self.named_part(id)?.map(|(_, bytes)| bytes))
    }

    /// The name and bytes of the part relationship `id` names ([`RelatedParts::part`]).
    fn named_part(&mut self, id: &str) -> Result<Option<(String, Vec<u8>)>, IngestError> {
        if self.targets.is_none() {
            let rels = "word/_rels/document.xml.rels";
            let targets = match crate::zipped::entry_text(&mut self.archive, rels, self.limits)? {
                Some(xml) => relationship_targets(&xml, "word")?,
                None => Vec::new(),
            };
            self.targets = Some(targets);
        }
        let targets = self.targets.as_deref().unwrap_or_default();
        let Some((_, part)) = targets.iter().find(|(i, _)| i == id) else {
            return Ok(None);
        };
        let part = part.clone();
        let bytes = crate::zipped::entry_bytes(&mut self.archive, &part, self.limits)?;
        Ok(bytes.map(|bytes| (part, bytes)))
    }

    /// The text and tables of the chunk of another format (`w:altChunk`) that relationship
    /// `id` names, when chunks are read and this one can be: one that cannot is left out,
    /// with a warning (Word would show it; what it holds is then not read).
    fn chunk(&mut self, id: &str) -> Option<(String, Vec<Grid>)> {
        let read_chunk = self.read_chunk?;
        let read = self.named_part(id).and_then(|part| match part {
            Some((name, bytes)) => read_chunk(&name, &bytes).map(Some),
            None => Ok(None),
        });
        read.unwrap_or_else(|e| {
            tracing::warn!(relationship = id, "chunk of another format not read: {e}");
            None
        })
    }

    /// The table an embedded object (relationship `id`) shows, when its part is a
    /// workbook that can be read ([`crate::xlsx::shown_table`]). A workbook that cannot
    /// be read leaves the object as the picture Word shows of it.
    fn embedded_table(&mut self, id: &str) -> Option<TableBuf> {
        let read = self.part(id).and_then(|bytes| match bytes {
            Some(bytes) => crate::xlsx::shown_table(&bytes, self.limits),
            None => Ok(None),
        });
        read.unwrap_or_else(|e| {
            tracing::warn!(relationship = id, "embedded object not read: {e}");
            None
        })
    }
}

/// A Word table's cell as read (DOCX and Word 97 documents alike): its text, the grid
/// columns it covers, whether it continues the cell above.
#[derive(Default)]
pub(crate) struct CellBuf {
    pub(crate) text: String,
    pub(crate) span: usize,
    /// vMerge continuation: the cell above covers this one.
    pub(crate) merged: bool,
}

#[derive(Default)]
pub(crate) struct TableBuf {
    pub(crate) rows: Vec<Vec<CellBuf>>,
}

/// What a DOCX's body holds: its text (paragraph per line, table rows as tab-separated
/// cells), its tables as grids (their ranges in that text), and where pictures stand in
/// the text (a paragraph outside tables holding an image: `a:blip`, or VML's
/// `v:imagedata`, which an embedded object such as a spreadsheet shows as).
#[derive(Debug, Default)]
pub struct DocxText {
    pub text: String,
    pub grids: Vec<Grid>,
    pub pictures: Vec<usize>,
    /// The images of those pictures, in order.
    pub images: Vec<Image>,
}

/// An image of a picture standing in a DOCX's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Where its picture stands in the text.
    pub at: usize,
    /// The relationship naming the part that holds it (`r:embed`, `r:id`).
    pub id: String,
    /// Its size on the page in inches (DrawingML's `wp:extent`), when given.
    pub inches: Option<(f64, f64)>,
    /// The share of the image cut off each side (left, top, right, bottom) where the file
    /// shows only part of it (a screenshot cropped to its table): DrawingML's `a:srcRect`,
    /// VML's `cropleft`…
    pub cropped: [f64; 4],
}

/// EMUs (DrawingML's unit) in an inch.
const EMU_PER_INCH: f64 = 914_400.0;

/// The text, tables and pictures of a DOCX body ([`DocxText`]). A table inside a table's
/// cell joins the cell's text and is no grid of its own. Of markup given two ways
/// (`mc:AlternateContent`: Word writes every text box once for new readers, once more as
/// VML in `mc:Fallback`), the first is read.
pub fn text_of(bytes: &[u8], limits: ZipLimits) -> Result<DocxText, IngestError> {
    text_with_chunks(bytes, limits, None)
}

/// [`text_of`], with each chunk of another format the body holds (`w:altChunk`: a web
/// page, single file web page, RTF or text, as web editors' "export to Word" and document
/// merges write one) read by `read_chunk` and set in where it stands.
pub(crate) fn text_with_chunks(
    bytes: &[u8],
    limits: ZipLimits,
    read_chunk: Option<ChunkReader>,
) -> Result<DocxText, IngestError> {
    let mut archive = crate::zipped::open(bytes, limits, "DOCX")?;
    let xml = document_xml(&mut archive, limits)?;
    let mut related = RelatedParts::new(archive, limits);
    related.read_chunk = read_chunk;
    body_text(&xml, "word/document.xml", Some(&mut related))
}

/// The text, tables and pictures of the WordprocessingML `xml` (the part named `part`, for
/// errors): a DOCX's `word/document.xml`, or a Word XML file's body
/// ([`crate::wordml`]). The objects embedded in it are read from their workbooks when
/// `related` gives the parts its relationships name.
pub(crate) fn body_text(
    xml: &str,
    part: &str,
    mut related: Option<&mut RelatedParts>,
) -> Result<DocxText, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut grids = Vec::new();
    let mut tables: Vec<TableBuf> = Vec::new();
    let mut in_text = false;
    let mut paragraph = String::new();
    // Depth inside an element whose content is not the body's text ([`unread`]).
    let mut unread_depth = 0usize;
    // The text so far of paragraphs holding the one being read (a text box's paragraphs
    // sit inside the paragraph they are anchored in): each is a line of its own.
    let mut outer_paragraphs: Vec<String> = Vec::new();
    // For each run being read (a text box's runs sit inside the run anchoring it): whether
    // its properties hide it (`w:vanish`: neither shown nor printed, so not read, as
    // `w:delText` is not). The paragraph mark's own `w:vanish` (in `w:pPr`) hides no text,
    // nor does one a tracked change of formatting had before (`w:rPrChange`).
    let mut runs_hidden = HiddenRuns::default();
    // Tables nested deeper than `MOST_NESTED_TABLES` inside the tables being read: their
    // cells' text joins the deepest cell read.
    let mut untracked_tables = 0usize;
    let mut other_properties = 0usize;
    let mut pictures = Vec::new();
    let mut images = Vec::new();
    // The images of the paragraph being read (their `at` set when it ends), and the size
    // the last drawing gave.
    let mut images_in_paragraph: Vec<Image> = Vec::new();
    let mut extent = None;
    // The embedded objects (`w:object`) of the paragraph being read: each one's
    // relationship (`o:OLEObject`'s `r:id`) and the range of its images (the picture Word
    // shows of it) among the paragraph's.
    let mut objects_in_paragraph: Vec<EmbeddedObject> = Vec::new();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| IngestError::Corrupt(format!("{part}: {e}")))?;
        let inside_unread = unread_depth > 0;
        match &event {
            Event::Start(_) if inside_unread => unread_depth += 1,
            Event::End(_) if inside_unread => unread_depth -= 1,
            Event::Start(e) if unread(e) => {
                unread_depth = 1;
                continue;
            }
            _ => {}
        }
        if inside_unread && !matches!(event, Event::Eof) {
            continue;
        }
        match event {
            Event::Start(e) if e.local_name().as_ref() == b"p" => {
                outer_paragraphs.push(std::mem::take(&mut paragraph));
            }
            Event::Start(e) if matches!(e.local_name().as_ref(), b"pPr" | b"rPrChange") => {
                other_properties += 1;
            }
            Event::Start(e) if e.local_name().as_ref() == b"r" => runs_hidden.open(),
            Event::Start(e) if e.local_name().as_ref() == b"object" && !runs_hidden.any() => {
                objects_in_paragraph.push(EmbeddedObject {
                    id: String::new(),
                    at: paragraph.len(),
                    images: images_in_paragraph.len()..usize::MAX,
                })
            }
            Event::Start(e) if e.local_name().as_ref() == b"tbl" => {
                match tables.len() < MOST_NESTED_TABLES {
                    true => tables.push(TableBuf::default()),
                    false => untracked_tables += 1,
                }
            }
            Event::Start(e) | Event::Empty(e) => {
                let name = e.local_name();
                match name.as_ref() {
                    name if untracked_tables > 0 && is_table_structure(name) => {}
                    b"tr" => {
                        if let Some(t) = tables.last_mut() {
                            t.rows.push(Vec::new());
                        }
                    }
                    b"tc" => {
                        if let Some(row) = tables.last_mut().and_then(|t| t.rows.last_mut()) {
                            row.push(CellBuf {
                                span: 1,
                                ..CellBuf::default()
                            });
                        }
                    }
                    b"gridSpan" => {
                        if let Some(cell) = tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            cell.span = attr(&e, b"val")
                                .and_then(|v| v.parse().ok())
                                .unwrap_or(1)
                                .clamp(1, 64);
                        }
                    }
                    // `vmerge` in Word 2003's XML.
                    b"vMerge" | b"vmerge" => {
                        if let Some(cell) = tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            cell.merged = attr(&e, b"val").as_deref() != Some("restart");
                        }
                    }
                    b"vanish" if other_properties == 0 => {
                        let on =
                            !matches!(attr(&e, b"val").as_deref(), Some("0" | "false" | "off"));
                        runs_hidden.hide_innermost(on);
                    }
                    _ if runs_hidden.any() => {}
                    // VML's object, or ECMA-376's `w:objectEmbed` beside a DrawingML picture.
                    b"OLEObject" | b"objectEmbed" => {
                        if let Some(object) = objects_in_paragraph.last_mut() {
                            object.id = attr(&e, b"id").unwrap_or_default();
                        }
                    }
                    b"altChunk" => {
                        let id = attr(&e, b"id").unwrap_or_default();
                        if let Some(chunk) = related.as_deref_mut().and_then(|r| r.chunk(&id)) {
                            let cell = tables
                                .last_mut()
                                .and_then(|t| t.rows.last_mut())
                                .and_then(|r| r.last_mut());
                            push_chunk(&mut out, &mut grids, cell, chunk);
                        }
                    }
                    b"extent" => extent = inches(&e),
                    b"shape" => extent = attr(&e, b"style").and_then(|s| vml_inches(&s)),
                    b"blip" | b"imagedata" => {
                        let id = attr(&e, b"embed").or_else(|| attr(&e, b"id"));
                        images_in_paragraph.push(Image {
                            at: 0,
                            id: id.unwrap_or_default(),
                            inches: extent.take(),
                            cropped: vml_cropped(&e),
                        });
                    }
                    b"srcRect" => {
                        if let Some(image) = images_in_paragraph.last_mut() {
                            image.cropped = drawing_cropped(&e);
                        }
                    }
                    b"t" => in_text = true,
                    // Not a paragraph's tab stops (`w:tabs` in its properties).
                    b"tab" if other_properties == 0 => paragraph.push('\t'),
                    b"br" | b"cr" => paragraph.push('\n'),
                    _ => {}
                }
            }
            Event::Text(t) if in_text => {
                let text = t
                    .unescape()
                    .map_err(|e| IngestError::Corrupt(format!("{part}: {e}")))?;
                paragraph.push_str(&text);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"object" => {
                    if let Some(object) = objects_in_paragraph
                        .last_mut()
                        .filter(|o| o.images.end == usize::MAX)
                    {
                        object.images.end = images_in_paragraph.len();
                    }
                }
                b"r" => {
                    runs_hidden.close();
                }
                b"pPr" | b"rPrChange" => other_properties = other_properties.saturating_sub(1),
                b"p" => {
                    let text = std::mem::take(&mut paragraph);
                    // A picture in a table's cell is no table printed as a picture.
                    let mut in_paragraph = std::mem::take(&mut images_in_paragraph);
                    let objects = std::mem::take(&mut objects_in_paragraph);
                    match tables
                        .last_mut()
                        .and_then(|t| t.rows.last_mut())
                        .and_then(|r| r.last_mut())
                    {
                        Some(cell) => {
                            if !cell.text.is_empty() {
                                cell.text.push(' ');
                            }
                            cell.text.push_str(&text.replace(['\t', '\n'], " "));
                        }
                        None => {
                            let embedded = match related.as_deref_mut() {
                                Some(related) => read_embedded(related, objects, &mut in_paragraph),
                                None => Vec::new(),
                            };
                            if !in_paragraph.is_empty() {
                                pictures.push(out.len());
                            }
                            images.extend(in_paragraph.into_iter().map(|image| Image {
                                at: out.len(),
                                ..image
                            }));
                            push_paragraph(&mut out, &mut grids, &text, embedded);
                        }
                    }
                    paragraph = outer_paragraphs.pop().unwrap_or_default();
                }
                b"tbl" if untracked_tables > 0 => untracked_tables -= 1,
                b"tbl" => {
                    if let Some(table) = tables.pop() {
                        let (text, mut grid) = render(&table);
                        match tables
                            .last_mut()
                            .and_then(|t| t.rows.last_mut())
                            .and_then(|r| r.last_mut())
                        {
                            Some(cell) => cell.text.push_str(&text.replace(['\t', '\n'], " ")),
                            None => {
                                grid.shift(out.len());
                                out.push_str(&text);
                                grids.push(grid);
                            }
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(DocxText {
        text: out,
        grids,
        pictures,
        images,
    })
}

/// How deep tables nest before a table inside is read as its cell's text only: a table's
/// text is copied into the cell holding it, so each level more would copy it again.
const MOST_NESTED_TABLES: usize = 16;

/// The runs being read, innermost last (a text box's runs sit inside the run anchoring
/// it): for each, whether its properties hide it, and whether a run around it is hidden,
/// so that asking whether any is takes one step however deep they nest.
#[derive(Default)]
struct HiddenRuns(Vec<(bool, bool)>);

impl HiddenRuns {
    fn open(&mut self) {
        let enclosing = self.any();
        self.0.push((false, enclosing));
    }

    fn close(&mut self) {
        self.0.pop();
    }

    fn hide_innermost(&mut self, hidden: bool) {
        if let Some((own, _)) = self.0.last_mut() {
            *own = hidden;
        }
    }

    /// Whether a run being read is hidden.
    fn any(&self) -> bool {
        self.0
            .last()
            .is_some_and(|&(own, enclosing)| own || enclosing)
    }
}

/// Whether an element lays out a table: its rows, cells and merges (`vmerge` in Word
/// 2003's XML).
fn is_table_structure(name: &[u8]) -> bool {
    matches!(name, b"tr" | b"tc" | b"gridSpan" | b"vMerge" | b"vmerge")
}

/// Whether an element's content is not the body's text: `mc:Fallback` (it repeats the
/// `mc:Choice` before it), and what Word 2003's XML writes inline where a DOCX has parts
/// of its own: headers and footers (`w:hdr`, `w:ftr`), notes (`w:footnote`, `w:endnote`),
/// comments (`aml:annotation` of type `Word.Comment`).
fn unread(e: &quick_xml::events::BytesStart) -> bool {
    match e.local_name().as_ref() {
        b"Fallback" | b"hdr" | b"ftr" | b"footnote" | b"endnote" => true,
        b"annotation" => attr(e, b"type").as_deref() == Some("Word.Comment"),
        _ => false,
    }
}

/// Writes a paragraph's text as a line, and the tables of the objects embedded in it
/// (each with where it stands in the text, in order) as tables: the text before each on a
/// line of its own.
pub(crate) fn push_paragraph(
    out: &mut String,
    grids: &mut Vec<Grid>,
    text: &str,
    tables: Vec<(usize, TableBuf)>,
) {
    let mut from = 0;
    for (at, table) in tables {
        let before = text.get(from..at).unwrap_or_default();
        if !before.trim().is_empty() {
            out.push_str(before);
            out.push('\n');
        }
        let (table_text, mut grid) = render(&table);
        grid.shift(out.len());
        out.push_str(&table_text);
        grids.push(grid);
        from = at.max(from);
    }
    out.push_str(text.get(from..).unwrap_or_default());
    out.push('\n');
}

/// Writes a chunk of another format's text and tables (`w:altChunk`) where it stands: on
/// lines of its own in the body, or joined to the text of the table's `cell` it stands in.
fn push_chunk(
    out: &mut String,
    grids: &mut Vec<Grid>,
    cell: Option<&mut CellBuf>,
    (text, chunk_grids): (String, Vec<Grid>),
) {
    if let Some(cell) = cell {
        crate::cell_rows::join_cell_text(&mut cell.text, text.trim());
        return;
    }
    if !(out.is_empty() || out.ends_with('\n')) {
        out.push('\n');
    }
    let start = out.len();
    grids.extend(chunk_grids.into_iter().map(|mut grid| {
        grid.shift(start);
        grid
    }));
    out.push_str(&text);
    if !out.ends_with('\n') {
        out.push('\n');
    }
}

/// An object embedded in a paragraph: its relationship, where it stands in the
/// paragraph's text, and its images among the paragraph's.
struct EmbeddedObject {
    id: String,
    at: usize,
    images: std::ops::Range<usize>,
}

/// The tables of a paragraph's embedded objects that could be read, each with where it
/// stands in the paragraph's text, in order; the images of those objects are taken out of
/// the paragraph's (they only picture the table).
fn read_embedded(
    related: &mut RelatedParts,
    objects: Vec<EmbeddedObject>,
    images: &mut Vec<Image>,
) -> Vec<(usize, TableBuf)> {
    let mut tables = Vec::new();
    for object in objects.into_iter().rev() {
        if object.id.is_empty() {
            continue;
        }
        if let Some(table) = related.embedded_table(&object.id) {
            let end = object.images.end.min(images.len());
            images.drain(object.images.start.min(end)..end);
            tables.push((object.at, table));
        }
    }
    tables.reverse();
    tables
}

/// The bytes of the parts `ids` name (relationships of `word/document.xml`), in order;
/// `None` for an id naming no part in the archive (an image linked from outside it).
pub fn related_parts(
    bytes: &[u8],
    limits: ZipLimits,
    ids: &[&str],
) -> Result<Vec<Option<Vec<u8>>>, IngestError> {
    let archive = crate::zipped::open(bytes, limits, "DOCX")?;
    let mut related = RelatedParts::new(archive, limits);
    ids.iter().map(|id| related.part(id)).collect()
}

/// The relationships of a `.rels` part to parts of the archive: each id with its target's
/// name in the archive (a target of `word/document.xml` is relative to `base`, `word/`).
pub(crate) fn relationship_targets(
    xml: &str,
    base: &str,
) -> Result<Vec<(String, String)>, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut targets = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                if attr(&e, b"TargetMode").as_deref() == Some("External") {
                    continue;
                }
                if let (Some(id), Some(target)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    targets.push((id, part_name(&target, base)));
                }
            }
            Ok(Event::Eof) => return Ok(targets),
            Ok(_) => {}
            Err(e) => return Err(IngestError::Corrupt(format!("document.xml.rels: {e}"))),
        }
    }
}

/// The archive name of a target of a part in folder `base`: an absolute one without its
/// `/`, a relative one under `base` with its `..` resolved.
fn part_name(target: &str, base: &str) -> String {
    let mut parts: Vec<&str> = match target.strip_prefix('/') {
        Some(_) => Vec::new(),
        None => vec![base],
    };
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            piece => parts.push(piece),
        }
    }
    parts.join("/")
}

/// The shares of a DrawingML image cut off (`a:srcRect`'s `l`, `t`, `r`, `b`, in
/// thousandths of a per cent); a negative share (white added) cuts nothing.
fn drawing_cropped(e: &quick_xml::events::BytesStart) -> [f64; 4] {
    let share = |name: &[u8]| {
        let value = attr(e, name).and_then(|v| v.parse::<f64>().ok());
        value.map_or(0.0, |v| (v / 100_000.0).clamp(0.0, 1.0))
    };
    [share(b"l"), share(b"t"), share(b"r"), share(b"b")]
}

/// The shares of a VML image cut off (`cropleft`, `croptop`, `cropright`,
/// `cropbottom`: a fraction, or sixty-five-thousand-five-hundred-thirty-sixths with `f`).
fn vml_cropped(e: &quick_xml::events::BytesStart) -> [f64; 4] {
    let share = |name: &[u8]| {
        let value = attr(e, name).unwrap_or_default();
        let share = match value.strip_suffix('f') {
            Some(units) => units.parse::<f64>().map(|u| u / 65_536.0),
            None => value.parse::<f64>(),
        };
        share.map_or(0.0, |v| v.clamp(0.0, 1.0))
    };
    [
        share(b"cropleft"),
        share(b"croptop"),
        share(b"cropright"),
        share(b"cropbottom"),
    ]
}

/// A VML shape's size in inches, from its style ("width:415.3pt;height:300pt"; lengths
/// in pt, in, cm, mm or px, px when without a unit), read as a page's style is.
fn vml_inches(style: &str) -> Option<(f64, f64)> {
    let length = |name: &str| {
        let value = crate::html::style_value(style, name)?;
        crate::html::css_inches(value, "px")
    };
    Some((length("width")?, length("height")?))
}

/// A drawing's size in inches (`wp:extent`'s `cx` and `cy`, in EMUs).
fn inches(e: &quick_xml::events::BytesStart) -> Option<(f64, f64)> {
    let emu = |name: &[u8]| attr(e, name)?.parse::<f64>().ok().filter(|v| *v > 0.0);
    Some((emu(b"cx")? / EMU_PER_INCH, emu(b"cy")? / EMU_PER_INCH))
}

/// A table as tab rows (continuations of vertically merged cells left out, like rowspan)
/// and as a grid whose ranges are in those rows.
pub(crate) fn render(table: &TableBuf) -> (String, Grid) {
    // The grid column each cell starts in.
    let starts: Vec<Vec<usize>> = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .scan(0, |col, cell| {
                    let at = *col;
                    *col += cell.span;
                    Some(at)
                })
                .collect()
        })
        .collect();
    // A cell continues into the row below when that row has a vMerge continuation at its column.
    let continues = |r: usize, col: usize| {
        table.rows.get(r).is_some_and(|row| {
            row.iter()
                .zip(&starts[r])
                .any(|(cell, &at)| at == col && cell.merged)
        })
    };
    let mut text = String::new();
    let mut grid = Grid::new(GridSource::Word);
    for (r, row) in table.rows.iter().enumerate() {
        let mut first = true;
        for (cell, &col) in row.iter().zip(&starts[r]) {
            if cell.merged {
                continue;
            }
            if !first {
                text.push('\t');
            }
            first = false;
            let own = cell.text.trim();
            let start = text.len();
            text.push_str(own);
            let rows = 1
                + (r + 1..table.rows.len())
                    .take_while(|&below| continues(below, col))
                    .count();
            grid.push(GridCell {
                row: r,
                col,
                rows,
                cols: cell.span,
                text: own.to_string(),
                start,
                end: text.len(),
                bbox: None,
                rest: None,
            });
        }
        text.push('\n');
        grid.n_rows = grid.n_rows.max(r + 1);
    }
    (text, grid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn docx(document: &str) -> Vec<u8> {
        docx_with(&[("word/document.xml", document.as_bytes())])
    }

    fn docx_with(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
        buf.into_inner()
    }

    /// A DOCX whose body holds `chunk` (the part `word/afchunk.mht`, relationship
    /// `htmlChunk`) between two paragraphs, and another in a table's cell.
    fn docx_with_chunk(chunk: &[u8]) -> Vec<u8> {
        docx_with_chunk_named("afchunk.mht", chunk)
    }

    /// [`docx_with_chunk`], the chunk's part named `word/{name}`.
    fn docx_with_chunk_named(name: &str, chunk: &[u8]) -> Vec<u8> {
        let xml = r#"<w:document xmlns:w="x" xmlns:r="r"><w:body><w:p><w:r><w:t>标题</w:t></w:r></w:p>
            <w:altChunk r:id="htmlChunk"/><w:p><w:r><w:t>落款</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>格</w:t></w:r></w:p><w:altChunk r:id="htmlChunk"/></w:tc></w:tr></w:tbl>
            </w:body></w:document>"#;
        let rels = format!(
            r#"<Relationships><Relationship Id="htmlChunk" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/aFChunk" Target="/word/{name}"/></Relationships>"#
        );
        docx_with(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            (&format!("word/{name}"), chunk),
        ])
    }

    #[test]
    fn a_chunk_of_another_format_is_set_in_where_it_stands() {
        let read = |name: &str, bytes: &[u8]| {
            assert_eq!(name, "word/afchunk.mht");
            let text = String::from_utf8_lossy(bytes).into_owned();
            let mut grid = Grid::new(GridSource::Html);
            grid.push(GridCell {
                row: 0,
                col: 0,
                rows: 1,
                cols: 1,
                text: text.clone(),
                start: 0,
                end: text.len(),
                bbox: None,
                rest: None,
            });
            Ok((format!("{text}\n"), vec![grid]))
        };
        let bytes = docx_with_chunk("块".as_bytes());
        let found = text_with_chunks(&bytes, DEFAULT_LIMITS, Some(&read)).unwrap();
        assert_eq!(found.text, "标题\n块\n落款\n格 块\n");
        let cells: Vec<&str> = found
            .grids
            .iter()
            .map(|g| &found.text[g.cells[0].start..g.cells[0].end])
            .collect();
        assert_eq!(cells, ["块", "格 块"]);
        // Without a reader (or one that fails) the chunk is left out.
        assert_eq!(
            text_of(&bytes, DEFAULT_LIMITS).unwrap().text,
            "标题\n落款\n格\n"
        );
        let failing = |_: &str, _: &[u8]| Err(IngestError::Empty);
        let found = text_with_chunks(&bytes, DEFAULT_LIMITS, Some(&failing)).unwrap();
        assert_eq!(found.text, "标题\n落款\n格\n");
    }

    #[test]
    fn a_web_pages_chunk_is_read_as_a_page_with_its_table() {
        let page = "<html><body><p>一、总体情况</p><table><tr><td>项目</td><td>数量</td></tr>\
            <tr><td>收到申请</td><td>12</td></tr></table></body></html>";
        let mht = format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\n\
             Content-Type: text/html; charset=\"utf-8\"\r\nContent-Location: file:///C:/fake/document.html\r\n\r\n\
             {page}\r\n--b--\r\n"
        );
        let doc = crate::from_bytes("report.docx", &docx_with_chunk(mht.as_bytes())).unwrap();
        assert!(doc.text.starts_with("标题\n一、总体情况\n"), "{}", doc.text);
        let table = &doc.grids[0];
        assert_eq!((table.n_rows, table.n_cols), (2, 2));
        let last = &table.cells[3];
        assert_eq!(&doc.text[last.start..last.end], "12");
    }

    #[test]
    fn an_xhtml_chunk_is_a_page_and_other_markup_is_not_read() {
        let xhtml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
            <html xmlns=\"http://www.w3.org/1999/xhtml\"><body><table><tr><td>收到申请</td><td>12</td></tr>\
            </table></body></html>";
        let doc = crate::from_bytes(
            "a.docx",
            &docx_with_chunk_named("chunk1.xhtml", xhtml.as_bytes()),
        );
        let doc = doc.unwrap();
        let table = &doc.grids[0];
        assert_eq!((table.n_rows, table.n_cols), (1, 2));
        assert_eq!(&doc.text[table.cells[1].start..table.cells[1].end], "12");
        let other = "<?xml version=\"1.0\"?><data><row><count>12</count></row></data>";
        let doc = crate::from_bytes(
            "b.docx",
            &docx_with_chunk_named("chunk1.xml", other.as_bytes()),
        );
        assert_eq!(doc.unwrap().text, "标题\n落款\n格\n");
    }

    /// A paragraph holding an image (DrawingML's blip, VML's imagedata of an embedded
    /// object) is a picture where its text starts; an image in a table's cell or a hidden
    /// run is none.
    #[test]
    fn paragraphs_with_images_are_pictures() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>二、主动公开</w:t></w:r></w:p>
            <w:p><w:r><w:drawing><wp:inline><a:graphic><a:blip r:embed="rId5"/></a:graphic></wp:inline></w:drawing></w:r></w:p>
            <w:p><w:r><w:t>三、申请</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:drawing><a:blip r:embed="rId6"/></w:drawing></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:rPr><w:vanish/></w:rPr><w:drawing><a:blip r:embed="rId7"/></w:drawing></w:r><w:r><w:t>四、复议</w:t></w:r></w:p>
            <w:p><w:r><w:object><v:shape><v:imagedata r:id="rId8"/></v:shape></w:object></w:r><w:r><w:t>表</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let DocxText {
            text,
            pictures,
            images,
            ..
        } = text_of(&docx(xml), DEFAULT_LIMITS).unwrap();
        // The image's paragraph is an empty line before 三's.
        let lines_before = |words: &str| text.find(words).unwrap();
        assert_eq!(
            pictures,
            [lines_before("\n三"), lines_before("表")],
            "{text:?}"
        );
        let ids: Vec<(usize, &str)> = images.iter().map(|i| (i.at, i.id.as_str())).collect();
        assert_eq!(ids, [(pictures[0], "rId5"), (pictures[1], "rId8")]);
    }

    #[test]
    fn a_vml_shapes_size_is_read_from_its_style() {
        assert_eq!(
            vml_inches("position:absolute;width:432pt;height:1.5in"),
            Some((6.0, 1.5))
        );
        assert_eq!(vml_inches("width:96;height:254mm"), Some((1.0, 10.0)));
        assert_eq!(vml_inches("width:auto;height:2in"), None);
        assert_eq!(vml_inches("height:2in"), None);
    }

    /// A drawing's size is read from its extent (EMUs); the parts its images are in are
    /// found through the document's relationships, relative or absolute, but not outside
    /// the file.
    #[test]
    fn an_images_size_and_part_are_found() {
        let xml = r#"<w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:drawing><wp:inline><wp:extent cx="5486400" cy="914400"/><wp:effectExtent l="0"/>
            <a:graphic><a:blip r:embed="rId5"/></a:graphic></wp:inline></w:drawing></w:r></w:p>
            <w:p><w:r><w:drawing><a:blip r:embed="rId6"/></w:drawing></w:r></w:p>
            <w:p><w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><a:graphic><pic:blipFill><a:blip r:embed="rId7"/>
            <a:srcRect l="10000" t="-5000" r="25000" b="50000"/></pic:blipFill></a:graphic></wp:inline></w:drawing></w:r></w:p>
            <w:p><w:r><w:pict><v:shape style="width:432pt;height:216pt"><v:imagedata r:id="rId9" croptop="0.25" cropright="6554f"/></v:shape></w:pict></w:r></w:p>
            </w:body></w:document>"#;
        let rels = r#"<?xml version="1.0"?><Relationships xmlns="x">
            <Relationship Id="rId5" Type="image" Target="media/image1.png"/>
            <Relationship Id="rId6" Type="image" Target="/word/../media/b.jpeg"/>
            <Relationship Id="rId7" Type="image" Target="http://example.org/c.png" TargetMode="External"/>
            </Relationships>"#;
        let bytes = docx_with(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/image1.png", b"first"),
            ("media/b.jpeg", b"second"),
        ]);
        let found = text_of(&bytes, DEFAULT_LIMITS).unwrap();
        assert_eq!(found.images[0].inches, Some((6.0, 1.0)));
        assert_eq!(found.images[1].inches, None);
        assert_eq!(found.images[3].inches, Some((6.0, 3.0)));
        assert_eq!(found.images[0].cropped, [0.0; 4]);
        assert_eq!(found.images[2].cropped, [0.1, 0.0, 0.25, 0.5]);
        let vml = found.images[3].cropped;
        assert!(vml[1] == 0.25 && (vml[2] - 0.1).abs() < 1e-4, "{vml:?}");
        let ids: Vec<&str> = found.images.iter().map(|i| i.id.as_str()).collect();
        let parts = related_parts(&bytes, DEFAULT_LIMITS, &ids).unwrap();
        assert_eq!(
            parts,
            [
                Some(b"first".to_vec()),
                Some(b"second".to_vec()),
                None,
                None
            ]
        );
        let unrelated = related_parts(&docx(xml), DEFAULT_LIMITS, &ids).unwrap();
        assert_eq!(unrelated, [None, None, None, None]);
    }

    /// A spreadsheet embedded as an object is read from its workbook where it stands, as
    /// a table: its picture is then no picture of the text. An object whose workbook
    /// cannot be read (here a zip bomb) stays a picture, and the rest is read.
    #[test]
    fn an_embedded_workbook_is_read_as_a_table() {
        let object = |shape: &str, rel: &str| {
            format!(
                "<w:p><w:r><w:object w:dxaOrig=\"9000\" w:dyaOrig=\"3000\"><v:shape id=\"{shape}\" \
                 style=\"width:450pt;height:150pt\"><v:imagedata r:id=\"rIdPreview\"/></v:shape>\
                 <o:OLEObject Type=\"Embed\" ProgID=\"Excel.Sheet.12\" ShapeID=\"{shape}\" r:id=\"{rel}\"/>\
                 </w:object></w:r></w:p>"
            )
        };
        let xml = format!(
            "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>二、主动公开</w:t></w:r></w:p>{}{}\
             <w:p><w:r><w:t>三、收到和处理</w:t></w:r></w:p></w:body></w:document>",
            object("s1", "rIdSheet"),
            object("s2", "rIdOther"),
        );
        let rels = r#"<Relationships xmlns="x">
            <Relationship Id="rIdPreview" Type="image" Target="media/image1.emf"/>
            <Relationship Id="rIdSheet" Type="package" Target="embeddings/Microsoft_Excel_Worksheet.xlsx"/>
            <Relationship Id="rIdOther" Type="oleObject" Target="embeddings/oleObject1.bin"/>
            </Relationships>"#;
        let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>\
            <row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\"><v>5</v></c></row></sheetData>";
        let workbook = crate::xlsx::tests::xlsx(sheet, &["信息内容", "本年制发件数", "规章"], None);
        let bytes = docx_with(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/media/image1.emf", b"metafile"),
            ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", &workbook),
            (
                "word/embeddings/oleObject1.bin",
                &crate::xlsx::tests::bomb(),
            ),
        ]);
        let found = text_of(&bytes, DEFAULT_LIMITS).unwrap();
        assert_eq!(
            found.text,
            "二、主动公开\n信息内容\t本年制发件数\n规章\t5\n\n\n三、收到和处理\n"
        );
        assert_eq!(found.grids.len(), 1);
        let cells: Vec<&str> = found.grids[0]
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(cells, ["信息内容", "本年制发件数", "规章", "5"]);
        let first = found.grids[0].cells[0].start;
        assert_eq!(&found.text[first..first + "信息内容".len()], "信息内容");
        // The second object's picture stays: its workbook is refused.
        assert_eq!(
            found.pictures,
            [found.text.len() - "\n三、收到和处理\n".len()]
        );
        assert_eq!(found.images.len(), 1);

        // An object at the start of a heading's paragraph (as LibreOffice anchors one): its
        // table stands before the heading's text.
        let object_run = &object("s3", "rIdSheet")["<w:p><w:r>".len()..];
        let object_run = &object_run[..object_run.len() - "</w:p>".len()];
        let xml = format!(
            "<w:document xmlns:w=\"x\"><w:body><w:p><w:r>{object_run}<w:r><w:t>三、收到和处理</w:t></w:r></w:p>\
             </w:body></w:document>"
        );
        let bytes = docx_with(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/embeddings/Microsoft_Excel_Worksheet.xlsx", &workbook),
        ]);
        let found = text_of(&bytes, DEFAULT_LIMITS).unwrap();
        assert_eq!(
            found.text,
            "信息内容\t本年制发件数\n规章\t5\n三、收到和处理\n"
        );
        assert!(found.pictures.is_empty());
    }

    /// An object written the newer way: a DrawingML picture and `w:objectEmbed`.
    #[test]
    fn an_object_embedded_beside_a_drawing_is_read_too() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:object>
            <w:drawing><wp:inline><a:graphic><a:blip r:embed="rIdPreview"/></a:graphic></wp:inline></w:drawing>
            <w:objectEmbed w:drawAspect="content" r:id="rIdSheet" w:progId="Excel.Sheet.12"/>
            </w:object></w:r></w:p></w:body></w:document>"#;
        let rels = r#"<Relationships xmlns="x">
            <Relationship Id="rIdPreview" Type="image" Target="media/image1.emf"/>
            <Relationship Id="rIdSheet" Type="package" Target="embeddings/sheet.xlsx"/>
            </Relationships>"#;
        let sheet = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>5</v></c></row></sheetData>";
        let workbook = crate::xlsx::tests::xlsx(sheet, &["规章"], None);
        let bytes = docx_with(&[
            ("word/document.xml", xml.as_bytes()),
            ("word/_rels/document.xml.rels", rels.as_bytes()),
            ("word/embeddings/sheet.xlsx", &workbook),
        ]);
        let found = text_of(&bytes, DEFAULT_LIMITS).unwrap();
        assert_eq!(found.text, "规章\t5\n\n");
        assert!(found.pictures.is_empty() && found.images.is_empty());
    }

    #[test]
    fn paragraphs_and_merged_table_cells() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>
            <w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>三、结果</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>(一)予以公开</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>8</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>(二)部分公开</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            <w:p><w:r><w:t>完</w:t></w:r></w:p></w:body></w:document>"#;
        let DocxText { text, grids, .. } = text_of(&docx(xml), DEFAULT_LIMITS).unwrap();
        assert_eq!(
            text,
            "一、总体情况\n三、结果\t(一)予以公开\t8\n(二)部分公开\n完\n"
        );
        crate::cell_rows::assert_merged_test_table(&text, &grids);
    }

    #[test]
    fn hidden_runs_are_not_read_but_a_hidden_paragraph_mark_hides_nothing() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>
            <w:r><w:t>本报告</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>旧的</w:t><w:tab/></w:r>
            <w:r><w:rPr><w:vanish w:val="0"/><w:rPrChange><w:rPr><w:vanish/></w:rPr></w:rPrChange></w:rPr><w:t>依据</w:t></w:r>
            <w:r><w:rPr><w:vanish/></w:rPr><w:drawing><w:txbxContent><w:p><w:r><w:t>框内</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>
            <w:r><w:t>条例</w:t></w:r></w:p></w:body></w:document>"#;
        let text = text_of(&docx(xml), DEFAULT_LIMITS).unwrap().text;
        assert_eq!(text, "\n本报告依据条例\n");
    }

    #[test]
    fn tables_nested_past_the_limit_are_read_as_their_cells_text() {
        let depth = MOST_NESTED_TABLES + 4;
        let xml = format!(
            r#"<w:document xmlns:w="x"><w:body>{}<w:p><w:r><w:t>最深</w:t></w:r></w:p>{}
            <w:p><w:r><w:t>之后</w:t></w:r></w:p></w:body></w:document>"#,
            "<w:tbl><w:tr><w:tc>".repeat(depth),
            "</w:tc><w:tc><w:p><w:r><w:t>旁</w:t></w:r></w:p></w:tc></w:tr></w:tbl>".repeat(depth)
        );
        let DocxText { text, grids, .. } = text_of(&docx(&xml), DEFAULT_LIMITS).unwrap();
        assert_eq!(grids.len(), 1);
        let (outer, rest) = text.split_once('\n').expect(&text);
        assert!(outer.starts_with("最深"), "{outer}");
        assert_eq!(outer.matches('旁').count(), depth);
        assert_eq!(rest, "之后\n");
    }

    #[test]
    fn a_paragraphs_tab_stops_are_no_tabs_of_its_text() {
        let xml = r#"<w:document xmlns:w="x"><w:body><w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="840"/>
            <w:tab w:val="left" w:pos="1680"/></w:tabs></w:pPr><w:r><w:t>申请</w:t><w:tab/><w:t>12</w:t></w:r></w:p>
            </w:body></w:document>"#;
        let text = text_of(&docx(xml), DEFAULT_LIMITS).unwrap().text;
        assert_eq!(text, "申请\t12\n");
    }

    #[test]
    fn a_text_box_given_two_ways_is_read_once() {
        let text_box = |inner: &str| {
            format!("<w:txbxContent><w:p><w:r><w:t>{inner}</w:t></w:r></w:p></w:txbxContent>")
        };
        let xml = format!(
            r#"<w:document xmlns:w="x" xmlns:mc="m"><w:body><w:p><w:r><w:t>标题</w:t></w:r>
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>{}</w:drawing></mc:Choice>
            <mc:Fallback><w:pict>{}</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            <w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#,
            text_box("框内文字"),
            text_box("框内文字")
        );
        let text = text_of(&docx(&xml), DEFAULT_LIMITS).unwrap().text;
        // The box's paragraph is a line of its own, before the one it is anchored in.
        assert_eq!(text, "框内文字\n标题\n正文\n");
    }

    #[test]
    fn zip_bombs_and_non_docx_zips_are_refused() {
        let limits = ZipLimits {
            max_entries: 10,
            max_entry_bytes: 1000,
            max_ratio: 50,
        };
        let big = format!("<w:document>{}</w:document>", " ".repeat(100_000));
        assert!(matches!(
            text_of(&docx(&big), limits),
            Err(IngestError::Limit(_))
        ));
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("a.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"x").unwrap();
        zip.finish().unwrap();
        assert!(matches!(
            text_of(&buf.into_inner(), limits),
            Err(IngestError::Corrupt(_))
        ));
        assert!(matches!(
            text_of(b"PK\x03\x04 broken", limits),
            Err(IngestError::Corrupt(_))
        ));
    }
}
