//! HTML: text in reading order, tables as grids (rowspan/colspan honoured) rendered as
//! tab-separated rows; scripts, styles and navigation dropped. A small tolerant tokenizer
//! rather than a DOM library, because every character must keep its byte offset in the
//! original page (html5ever-based crates do not expose source positions).

use crate::decode::Decoded;
use crate::document::{Document, Format, TextBuilder};
use crate::grid::{Grid, GridCell, GridSource};
use crate::IngestError;

/// Deeper nesting than this is refused (hostile input).
pub const MAX_DEPTH: usize = 512;

/// Elements whose content is never report text.
const SKIPPED: [&str; 9] = [
    "script", "style", "noscript", "template", "nav", "iframe", "svg", "object", "select",
];

/// Whether an element breaks lines: asked of every tag, most of them inline (font, span),
/// which a list searched in turn would compare with all thirty names.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "hr"
            | "dd"
            | "dt"
            | "dl"
            | "center"
            | "form"
            | "title"
            | "main"
            | "aside"
            | "figure"
            | "figcaption"
            | "address"
    )
}

/// Whether an element never holds what follows it: it has no content (`<br>`, `<img>`), or
/// a page may leave its end tag out, the next one closing it (`<p>`, `<td>`). Only the
/// others count towards how deep a page nests (a long page has thousands of these).
fn never_nests(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
    )
}

struct Cell {
    content: TextBuilder,
    rowspan: usize,
    colspan: usize,
    start: usize,
    /// A table inside: the outer table is layout, not data.
    has_table: bool,
}

#[derive(Default)]
struct Table {
    rows: Vec<Vec<Cell>>,
}

enum Frame {
    Table(Table),
    Cell(Cell),
}

struct Renderer {
    /// Whether data tables become grids too (not for a page's words alone).
    make_grids: bool,
    /// Whether pictures are kept with what they name, for OCR to read (`WebImage`).
    keep_images: bool,
    root: TextBuilder,
    frames: Vec<Frame>,
    skip_until: Option<String>,
    depth: usize,
}

impl Renderer {
    fn out(&mut self) -> &mut TextBuilder {
        for frame in self.frames.iter_mut().rev() {
            match frame {
                Frame::Cell(cell) => return &mut cell.content,
                Frame::Table(_) => continue,
            }
        }
        &mut self.root
    }

    fn text(&mut self, ch: char, at: usize) {
        if matches!(self.frames.last(), Some(Frame::Table(_))) {
            return; // stray text between rows
        }
        let out = self.out();
        if collapses(ch) {
            push_space(out, at);
        } else {
            out.push(ch, at);
        }
    }

    /// `text` of each char of a run of UTF-8 text without markup or entities, whose chars'
    /// original offsets are `base` plus their offsets in it: what `text` gives char by
    /// char, with the runs between whitespace copied whole.
    fn text_run(&mut self, run: &str, base: usize) {
        if matches!(self.frames.last(), Some(Frame::Table(_))) {
            return; // stray text between rows
        }
        let out = self.out();
        let mut from = 0;
        let mut at = 0;
        while let Some((space, ch)) = crate::scan::next_whitespace(run, at) {
            at = space + ch.len_utf8();
            if !collapses(ch) {
                continue; // normalised with the text around it
            }
            crate::document::plain_utf8(out, &run[from..space], base + from);
            push_space(out, base + space);
            from = at;
        }
        crate::document::plain_utf8(out, &run[from..], base + from);
    }

    /// A block ends: a new line, in a cell too (a data table's cell joins its lines with
    /// spaces when the table is written; a layout table's cell is page text).
    fn line_break(&mut self, at: usize) {
        let out = self.out();
        out.trim_end_spaces();
        if !(out.is_empty() || out.ends_with('\n')) {
            out.push_raw('\n', at);
        }
    }

    fn close_cell(&mut self) {
        if let Some(Frame::Cell(_)) = self.frames.last() {
            if let Some(Frame::Cell(cell)) = self.frames.pop() {
                if let Some(Frame::Table(table)) = self.frames.last_mut() {
                    if table.rows.is_empty() {
                        table.rows.push(Vec::new());
                    }
                    if let Some(row) = table.rows.last_mut() {
                        row.push(cell);
                    }
                }
            }
        }
    }

    fn start_tag(&mut self, name: &str, attrs: &str, at: usize) {
        match name {
            "table" => {
                if let Some(Frame::Cell(cell)) = self.frames.last_mut() {
                    cell.has_table = true;
                }
                self.line_break(at);
                self.frames.push(Frame::Table(Table::default()));
            }
            "tr" => {
                self.close_cell();
                if let Some(Frame::Table(table)) = self.frames.last_mut() {
                    table.rows.push(Vec::new());
                }
            }
            "td" | "th" => {
                self.close_cell();
                if matches!(self.frames.last(), Some(Frame::Table(_))) {
                    self.frames.push(Frame::Cell(Cell {
                        content: TextBuilder::default(),
                        rowspan: attr_number(attrs, "rowspan"),
                        colspan: attr_number(attrs, "colspan"),
                        start: at,
                        has_table: false,
                    }));
                }
            }
            "img" => {
                let keep = self.keep_images;
                let out = self.out();
                out.picture();
                if let Some(src) = attr_value(attrs, "src").filter(|_| keep) {
                    let image = WebImage {
                        at: out.len(),
                        tag: at,
                        src: src.replace("&amp;", "&"),
                        inches: inches_of(attrs),
                    };
                    out.images.push(image);
                }
            }
            "a" => {
                if let Some(name) = attachment(attrs) {
                    self.out().attachments.push(name);
                }
            }
            _ if is_block(name) => self.line_break(at),
            _ => {}
        }
    }

    fn end_tag(&mut self, name: &str, at: usize) {
        match name {
            "td" | "th" => self.close_cell(),
            "tr" => self.close_cell(),
            "table" => {
                self.close_cell();
                // Close anything left open inside the table, then the table itself.
                while let Some(Frame::Cell(_)) = self.frames.last() {
                    self.close_cell();
                }
                if let Some(Frame::Table(table)) = self.frames.pop() {
                    self.finish_table(table, at);
                }
            }
            _ if is_block(name) => self.line_break(at),
            _ => {}
        }
    }

    /// A data table becomes a grid and tab-separated rows; a layout table (one holding
    /// tables) becomes its cells' content, one after another.
    fn finish_table(&mut self, table: Table, at: usize) {
        let layout = table.rows.iter().flatten().any(|c| c.has_table) || is_frame(&table);
        if layout {
            for cell in table.rows.iter().flatten() {
                let out = self.out();
                out.append(&cell.content);
                if !(out.is_empty() || out.ends_with('\n')) {
                    out.push_raw('\n', at);
                }
            }
            if let Some(Frame::Cell(cell)) = self.frames.last_mut() {
                cell.has_table = true;
            }
            return;
        }
        // Words alone need no grid: the cells' places are not worked out.
        let places = self.make_grids.then(|| place(&table));
        let mut grid = Grid::new(GridSource::Html);
        let out = self.out();
        out.trim_end_spaces();
        if !(out.is_empty() || out.ends_with('\n')) {
            out.push_raw('\n', at);
        }
        for (r, row) in table.rows.iter().enumerate() {
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    out.push_raw('\t', cell.start);
                }
                let start = out.len();
                append_flat(out, &cell.content);
                let end = out.len();
                let Some(places) = &places else { continue };
                grid.push(GridCell {
                    row: r,
                    col: places[r][i],
                    rows: cell.rowspan.min(table.rows.len() - r),
                    cols: cell.colspan,
                    text: out.text()[start..end].to_string(),
                    start,
                    end,
                    bbox: None,
                    rest: None,
                });
            }
            out.push_raw('\n', at);
        }
        if places.is_some() {
            grid.n_rows = grid.n_rows.max(table.rows.len());
            out.grids.push(grid);
        }
        if let Some(Frame::Cell(cell)) = self.frames.last_mut() {
            cell.has_table = true;
        }
    }
}

/// A cell's lines, at least, and the characters of one of them, that make it prose: a
/// form's cell holds a label or a figure, a few short lines at most.
const PROSE_LINES: usize = 3;
const PROSE_LINE_CHARS: usize = 60;

/// Whether a table without tables inside is a frame around a page's text rather than data
/// (a CMS wrapping an article whose tables are pictures): it has one cell only, or a cell
/// holding paragraphs of prose. Its cells' lines are then the page's, not one row's.
fn is_frame(table: &Table) -> bool {
    let mut cells = table.rows.iter().flatten();
    let one_cell = table.rows.iter().map(Vec::len).sum::<usize>() == 1;
    one_cell || cells.any(|cell| holds_prose(cell.content.text()))
}

fn holds_prose(text: &str) -> bool {
    // Most cells are one line: counted without looking at their characters.
    if memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1 < PROSE_LINES {
        return false;
    }
    let lines = text.lines().filter(|line| !line.trim().is_empty());
    lines.clone().count() >= PROSE_LINES
        && lines
            .map(|line| line.chars().count())
            .any(|chars| chars >= PROSE_LINE_CHARS)
}

/// Appends a data cell's text on one line: its lines joined by spaces, no space at either end
/// (nor two in a row). The runs between spaces and line ends are copied whole.
fn append_flat(out: &mut TextBuilder, from: &TextBuilder) {
    let text = from.text();
    let skip = text.len() - text.trim_start().len();
    let keep = skip + text.trim().len();
    let mut run = skip;
    for at in memchr::memchr2_iter(b' ', b'\n', &text.as_bytes()[skip..keep]) {
        let at = skip + at;
        // A space or line end after words is a space; after another, nothing.
        if run < at {
            out.append_range(from, run, at);
            if let Some(original) = from.original_offset(at) {
                out.push_raw(' ', original);
            }
        }
        run = at + 1;
    }
    out.append_range(from, run, keep);
}

/// Whitespace a page's text collapses (no-break and ideographic spaces are kept: they are
/// normalised like any other char).
fn collapses(ch: char) -> bool {
    ch.is_whitespace() && ch != '\u{a0}' && ch != '\u{3000}'
}

/// A run of collapsing whitespace: one space, unless the text is empty or already ends
/// with a space or a break.
fn push_space(out: &mut TextBuilder, at: usize) {
    if !(out.is_empty() || out.ends_with(' ') || out.ends_with('\n') || out.ends_with('\t')) {
        out.push_raw(' ', at);
    }
}

/// A picture of a page (`<img>`) that OCR may read when asked: where it stands in the
/// text, where its tag is in the page (what the text read in it points at), what it
/// names, and its size on the page in inches when the tag gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WebImage {
    pub at: usize,
    pub tag: usize,
    pub src: String,
    pub inches: Option<(f64, f64)>,
}

/// The value of a tag's attribute `name` (lowercase ASCII; in any case in the tag), its
/// quotes taken off; not a longer name ending in it (`data-src`).
fn attr_value<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name).map(|k| from + k) {
        from = found + name.len();
        let starts_word = lower[..found]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '/' || c == '"' || c == '\'');
        let Some(rest) = attrs[from..].trim_start().strip_prefix('=') else {
            continue;
        };
        if !starts_word {
            continue;
        }
        let rest = rest.trim_start();
        return match rest.chars().next()? {
            quote @ ('"' | '\'') => rest[1..].split(quote).next(),
            _ => rest.split(|c: char| c.is_whitespace() || c == '>').next(),
        };
    }
    None
}

/// A picture's size on its page, in inches, from its tag: its `width` and `height` (CSS
/// pixels, 96 an inch), else its style's (`width:453.6pt;height:226.8pt`, as Word writes).
/// `None` when either is missing or relative (a share of the page).
fn inches_of(attrs: &str) -> Option<(f64, f64)> {
    let style = attr_value(attrs, "style").unwrap_or("");
    let side = |name: &str| {
        attr_value(attrs, name)
            .and_then(|v| css_inches(v, "px"))
            .or_else(|| style_value(style, name).and_then(|v| css_inches(v, "")))
    };
    Some((side("width")?, side("height")?))
}

/// A declaration's value in a style attribute (`width: 12pt; height: 3pt`).
pub(crate) fn style_value<'a>(style: &'a str, property: &str) -> Option<&'a str> {
    style.split(';').find_map(|declaration| {
        let (key, value) = declaration.split_once(':')?;
        key.trim()
            .eq_ignore_ascii_case(property)
            .then_some(value.trim())
    })
}

/// A CSS length in inches; a bare number is in `bare_unit` (an attribute's pixels, and a
/// VML shape's), none in a page's style.
pub(crate) fn css_inches(value: &str, bare_unit: &str) -> Option<f64> {
    let value = value.trim();
    let number_end = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let number: f64 = value[..number_end].parse().ok()?;
    let unit = match value[number_end..].trim() {
        "" => bare_unit,
        unit => unit,
    };
    let per_inch = match unit.to_ascii_lowercase().as_str() {
        "px" => 96.0,
        "pt" => 72.0,
        "in" => 1.0,
        "cm" => 2.54,
        "mm" => 25.4,
        _ => return None,
    };
    (number > 0.0).then_some(number / per_inch)
}

/// The file name of the document a link's `href` names, when it is one
/// (`document::attachment_name`).
fn attachment(attrs: &str) -> Option<String> {
    crate::document::attachment_name(attr_value(attrs, "href")?)
}

fn attr_number(attrs: &str, name: &str) -> usize {
    // `name` is lowercase ASCII; found in any case without a lowercased copy of the tag,
    // from the places its first letter is (a CMS's cells carry long style attributes).
    let (bytes, name_bytes) = (attrs.as_bytes(), name.as_bytes());
    let Some(&first) = name_bytes.first() else {
        return 1;
    };
    let Some(i) = memchr::memchr2_iter(first, first.to_ascii_uppercase(), bytes).find(|&i| {
        bytes
            .get(i..i + name_bytes.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(name_bytes))
    }) else {
        return 1;
    };
    let rest = &attrs[i + name.len()..];
    let rest = rest
        .trim_start()
        .strip_prefix('=')
        .unwrap_or("")
        .trim_start()
        .trim_start_matches(['"', '\'']);
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .map_or(rest, |end| &rest[..end]);
    digits.parse::<usize>().unwrap_or(1).clamp(1, 1000)
}

/// The column each cell starts in, honouring the rowspans and colspans of the rows above.
fn place(table: &Table) -> Vec<Vec<usize>> {
    let mut taken: Vec<Vec<bool>> = vec![Vec::new(); table.rows.len()];
    let mut places = Vec::with_capacity(table.rows.len());
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        let mut starts = Vec::with_capacity(row.len());
        for cell in row {
            while taken[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            starts.push(c);
            for covered in taken.iter_mut().skip(r).take(cell.rowspan) {
                if covered.len() < c + cell.colspan {
                    covered.resize(c + cell.colspan, false);
                }
                covered[c..c + cell.colspan]
                    .iter_mut()
                    .for_each(|t| *t = true);
            }
            c += cell.colspan;
        }
        places.push(starts);
    }
    places
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "nbsp" => '\u{a0}',
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        "times" => '×',
        "ensp" | "emsp" | "thinsp" => ' ',
        _ => return None,
    })
}

/// A web page as a document: its text in reading order, its tables as grids, the page kept
/// for the source lines spans point at.
pub fn read(name: &str, decoded: Decoded, max_depth: usize) -> Result<Document, IngestError> {
    let root = render(&decoded, max_depth, Output::Grids)?;
    let mut doc = Document::build(name, Format::Html, decoded, root);
    doc.quote_source();
    Ok(doc)
}

/// A web page as a document, as `read` makes it, with the text `splice` sets in for the
/// page's pictures (`TextBuilder::images`): the ranges of the text OCR read become the
/// document's `recognised`.
pub(crate) fn read_with_pictures(
    name: &str,
    decoded: Decoded,
    max_depth: usize,
    splice: impl FnOnce(TextBuilder) -> (TextBuilder, Vec<std::ops::Range<usize>>),
) -> Result<Document, IngestError> {
    let root = render(&decoded, max_depth, Output::GridsAndImages)?;
    let (root, recognised) = splice(root);
    let mut doc = Document::build(name, Format::Html, decoded, root);
    doc.quote_source();
    doc.recognised = recognised;
    Ok(doc)
}

/// The page's text, what `read` gives as the document's text, without the rest of a
/// document (lines, the map back to the page's lines): for reading what a page says.
pub(crate) fn words(decoded: &Decoded, max_depth: usize) -> Result<String, IngestError> {
    Ok(render(decoded, max_depth, Output::Words)?.into_text())
}

/// What rendering a page keeps beside its text.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Output {
    /// The text alone (a page's words).
    Words,
    /// Its tables as grids.
    Grids,
    /// Its tables as grids and its pictures with what they name.
    GridsAndImages,
}

/// The page's text with each byte's original offset, and its tables as grids.
pub(crate) fn render(
    decoded: &Decoded,
    max_depth: usize,
    output: Output,
) -> Result<TextBuilder, IngestError> {
    // The page is walked byte by byte: all markup is ASCII, so a byte that is one of its
    // characters is that character, never part of another.
    let text = decoded.text.as_str();
    let bytes = text.as_bytes();
    let mut offsets = crate::decode::Offsets::new(decoded);
    let mut r = Renderer {
        make_grids: output != Output::Words,
        keep_images: output == Output::GridsAndImages,
        root: TextBuilder::default(),
        frames: Vec::new(),
        skip_until: None,
        depth: 0,
    };
    let starts = |i: usize, s: &str| {
        bytes
            .get(i..i + s.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(s.as_bytes()))
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            if r.skip_until.is_some() {
                // Only a tag may end what is skipped.
                i = memchr::memchr(b'<', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                continue;
            }
            if let Some(base) = decoded.utf8_base.filter(|_| bytes[i] != b'&') {
                // Text up to the next tag or entity, in one go (UTF-8: offsets are linear).
                let end = memchr::memchr2(b'<', b'&', &bytes[i..]).map_or(bytes.len(), |k| i + k);
                r.text_run(&text[i..end], base + i);
                i = end;
                continue;
            }
            let Some(ch) = text[i..].chars().next() else {
                break;
            };
            let at = offsets.at(i);
            i += ch.len_utf8();
            if ch == '&' {
                // An entity's name ends with ';' within the next 12 chars.
                let end = text[i..]
                    .char_indices()
                    .take(12)
                    .find(|&(_, c)| c == ';')
                    .map(|(k, _)| i + k);
                if let Some((e, c)) = end.and_then(|e| entity(&text[i..e]).map(|c| (e, c))) {
                    r.text(c, at);
                    i = e + 1;
                    continue;
                }
            }
            r.text(ch, at);
            continue;
        }
        if starts(i, "<!--") {
            i = memchr::memmem::find(&bytes[i + 4..], b"-->")
                .map_or(bytes.len(), |k| i + 4 + k + 3);
            continue;
        }
        let Some(close) = memchr::memchr(b'>', &bytes[i + 1..]).map(|k| i + 1 + k) else {
            break;
        };
        let at = offsets.at(i);
        let inner = &text[i + 1..close];
        i = close + 1;
        if inner.starts_with('!') || inner.starts_with('?') {
            continue;
        }
        let end_tag = inner.starts_with('/');
        let body = inner.trim_start_matches('/');
        // The tag's name, lowercased only when it is not already (pages mostly are).
        let name = &body[..body.bytes().take_while(u8::is_ascii_alphanumeric).count()];
        let tag: std::borrow::Cow<str> = match name.bytes().any(|b| b.is_ascii_uppercase()) {
            true => name.to_ascii_lowercase().into(),
            false => name.into(),
        };
        if tag.is_empty() {
            continue;
        }
        if let Some(skipping) = &r.skip_until {
            if end_tag && *tag == **skipping {
                r.skip_until = None;
            }
            continue;
        }
        let self_closing = inner.ends_with('/');
        let nests = !(never_nests(&tag) || self_closing);
        if end_tag {
            if nests {
                r.depth = r.depth.saturating_sub(1);
            }
            r.end_tag(&tag, at);
        } else {
            if SKIPPED.contains(&&*tag) && !self_closing {
                r.skip_until = Some(tag.into_owned());
                continue;
            }
            r.depth += usize::from(nests);
            if r.depth > max_depth {
                return Err(IngestError::Limit(format!(
                    "HTML elements nested deeper than {max_depth}"
                )));
            }
            r.start_tag(&tag, &body[tag.len()..], at);
        }
    }
    while !r.frames.is_empty() {
        r.end_tag("table", decoded.end_offset());
    }
    let mut root = r.root;
    if !root.ends_with('\n') {
        root.push_raw('\n', decoded.end_offset());
    }
    Ok(root)
}

#[cfg(test)]
mod tests {
    use crate::document::TextBuilder;
    use crate::from_bytes;

    /// `append_flat` by its definition, char by char.
    fn append_flat_by_chars(out: &mut TextBuilder, from: &TextBuilder) {
        let text = from.text();
        let skip = text.len() - text.trim_start().len();
        let keep = skip + text.trim().len();
        let mut last = ' ';
        for (ch, at) in text[skip..keep].chars().zip(from.offsets_of(skip, keep)) {
            let ch = if ch == '\n' { ' ' } else { ch };
            if !(ch == ' ' && last == ' ') {
                out.push_raw(ch, at);
            }
            last = ch;
        }
    }

    #[test]
    fn a_cell_is_flattened_as_char_by_char() {
        const PIECES: [&str; 12] = [
            "规章",
            " ",
            "\n",
            "  ",
            "１２",
            "a",
            "\t",
            "\u{3000}",
            "政府信息",
            "\r",
            "7",
            " \n ",
        ];
        for (i, content) in crate::test_strings::made_of(&PIECES, 10, 20_000)
            .iter()
            .enumerate()
        {
            // A cell's text as a page gives it: chars normalised, some copied in runs, and
            // markup or entities skipped between them.
            let mut cell = TextBuilder::default();
            let mut at = 100;
            for (k, ch) in content.chars().enumerate() {
                if (i + k) % 3 == 0 {
                    at += 5;
                }
                cell.push(ch, at);
                at += ch.len_utf8();
            }
            let mut ours = TextBuilder::default();
            let mut theirs = TextBuilder::default();
            for out in [&mut ours, &mut theirs] {
                out.push_raw('x', 0);
            }
            super::append_flat(&mut ours, &cell);
            append_flat_by_chars(&mut theirs, &cell);
            assert_eq!(ours.text(), theirs.text(), "{content:?}");
            assert_eq!(ours.originals(), theirs.originals(), "{content:?}");
        }
    }

    /// The elements that break lines, as a list.
    const BLOCKS: [&str; 30] = [
        "p",
        "div",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "section",
        "article",
        "header",
        "footer",
        "blockquote",
        "pre",
        "hr",
        "dd",
        "dt",
        "dl",
        "center",
        "form",
        "title",
        "main",
        "aside",
        "figure",
        "figcaption",
        "address",
    ];

    #[test]
    fn the_block_elements_are_the_listed_ones() {
        for name in BLOCKS {
            assert!(super::is_block(name), "{name}");
        }
        for name in [
            "", "td", "tr", "table", "span", "font", "b", "a", "P", "divx", "h7",
        ] {
            assert!(!super::is_block(name), "{name}");
        }
    }

    #[test]
    fn tag_names_in_any_case() {
        let upper = "<DIV>一</Div><SCRIPT>x</Script><Table><TR><TD>规章</td><td>1</TD></tr></TABLE><P>二</P>";
        let lower = upper.to_ascii_lowercase();
        let text = |page: &str| from_bytes("t.html", page.as_bytes()).unwrap().text;
        assert_eq!(text(upper), text(&lower));
        assert_eq!(text(upper), "一\n规章\t1\n二\n");
    }

    #[test]
    fn a_run_of_text_renders_as_its_chars_one_by_one() {
        let renderer = || super::Renderer {
            make_grids: true,
            keep_images: false,
            root: crate::document::TextBuilder::default(),
            frames: Vec::new(),
            skip_until: None,
            depth: 0,
        };
        let runs = [
            "  政府信息\u{a0} 公开\u{3000}\u{3000}工作  ",
            "\n\t规章，（一）１２３\u{200b}件\r\n 总计 ",
            "a\u{a0}\u{a0}b \u{2003}c\u{2028}d",
            "",
            " ",
        ];
        for (k, run) in runs.iter().enumerate() {
            let (mut bulk, mut single) = (renderer(), renderer());
            // Something before the run, or nothing.
            if k % 2 == 0 {
                bulk.root.push_raw('x', 0);
                single.root.push_raw('x', 0);
            }
            bulk.text_run(run, 100);
            for (i, ch) in run.char_indices() {
                single.text(ch, 100 + i);
            }
            assert_eq!(bulk.root.text(), single.root.text(), "{run:?}");
            assert_eq!(bulk.root.originals(), single.root.originals(), "{run:?}");
        }
    }

    #[test]
    fn text_blocks_and_tables_with_spans() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><nav>首页 | 政务公开</nav>\
            <p>一、总体情况</p><p>正文&nbsp;文字</p><table><tr><td rowspan=\"2\">三、结果</td><td>(一)予以公开</td><td>26</td><td>&nbsp;</td></tr>\
            <tr><td>(二)部分公开</td><td>0</td><td>0</td></tr></table><script>var x='<p>';</script><p>完</p></body></html>";
        let doc = from_bytes("r.html", html.as_bytes()).unwrap();
        assert_eq!(
            doc.text,
            "T\n一、总体情况\n正文 文字\n三、结果\t(一)予以公开\t26\t\n(二)部分公开\t0\t0\n完\n"
        );
        let grid = &doc.grids[0];
        let group = grid.covering(1, 0).unwrap();
        assert_eq!(
            (group.text.as_str(), group.row, group.rows),
            ("三、结果", 0, 2)
        );
        let zero = grid.covering(1, 2).unwrap();
        assert_eq!(&doc.text[zero.start..zero.end], "0");
        assert_eq!(grid.covering(0, 3).unwrap().text, "");
        let at = doc.text.find("26").unwrap();
        let span = doc.span(at, at + 2);
        assert_eq!(&html[span.start..span.end], "26");
        // Excerpts show the page's own line, where the span's line and column point.
        let multi = "<p>一、总体情况</p>\n<table>\n<tr><td>规章</td><td>7</td></tr>\n</table>";
        let doc = from_bytes("m.html", multi.as_bytes()).unwrap();
        let at = doc.text.find('7').unwrap();
        let span = doc.span(at, at + 1);
        assert_eq!(span.line, 3);
        assert_eq!(
            doc.source_line(span.line),
            Some("<tr><td>规章</td><td>7</td></tr>")
        );
    }

    #[test]
    fn spans_are_read_in_any_case() {
        use super::attr_number;
        assert_eq!(attr_number(r#" ROWSPAN="2" class="规章""#, "rowspan"), 2);
        assert_eq!(attr_number(" class='表' colspan = '3'", "colspan"), 3);
        assert_eq!(attr_number(" Colspan=0", "colspan"), 1);
        assert_eq!(attr_number(" width=100", "colspan"), 1);
    }

    /// `attr_number` as first written: every window of the attributes compared.
    fn attr_number_by_windows(attrs: &str, name: &str) -> usize {
        let Some(i) = attrs
            .as_bytes()
            .windows(name.len())
            .position(|w| w.eq_ignore_ascii_case(name.as_bytes()))
        else {
            return 1;
        };
        let rest = attrs[i + name.len()..]
            .trim_start()
            .strip_prefix('=')
            .unwrap_or("")
            .trim_start();
        let digits: String = rest
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        digits.parse::<usize>().unwrap_or(1).clamp(1, 1000)
    }

    #[test]
    fn spans_are_read_as_every_window_reads_them() {
        use super::attr_number;
        const PIECES: [&str; 18] = [
            "rowspan",
            "ROWSPAN",
            "RowSpan",
            "colspan",
            "rowspa",
            "=",
            " ",
            "\"",
            "'",
            "2",
            "13",
            "0",
            "99999999999999999999",
            "class",
            "规章",
            "r",
            "c",
            "x",
        ];
        let mut spans = 0;
        for attrs in crate::test_strings::made_of(&PIECES, 8, 50_000) {
            for name in ["rowspan", "colspan"] {
                let expected = attr_number_by_windows(&attrs, name);
                spans += usize::from(expected > 1);
                assert_eq!(attr_number(&attrs, name), expected, "{attrs:?} {name}");
            }
        }
        assert!(spans > 100, "the strings hold spans: {spans}");
    }

    #[test]
    fn pages_in_another_encoding_read_and_point_as_utf8_ones() {
        let page = "<html><head><meta charset=\"gbk\"><!-- 注释 --></head><body>\
            <p>一、总体情况&amp;说明</p><table><tr><td>规章</td><td>26</td></tr></table></body></html>";
        let (gbk, _, _) = encoding_rs::GB18030.encode(page);
        let page = page.replace("gbk", "utf-8");
        let utf8 = from_bytes("u.html", page.as_bytes()).unwrap();
        let other = from_bytes("g.html", &gbk).unwrap();
        assert_eq!(other.text, utf8.text);
        assert_eq!(other.text, "一、总体情况&说明\n规章\t26\n");
        for word in ["总体", "规章", "26", "说明"] {
            let at = other.text.find(word).unwrap();
            let span = other.span(at, at + word.len());
            let (original, _, _) = encoding_rs::GB18030.decode(&gbk[span.start..span.end]);
            assert_eq!(original, word);
            let span = utf8.span(at, at + word.len());
            assert_eq!(&page[span.start..span.end], word);
        }
    }

    /// Links to documents are attachments by their file name; links to pages are not.
    #[test]
    fn links_to_documents_are_attachments() {
        let page = "<p>附件：<a href=\"/uploads/2022/P0201.PDF?t=1\">报告.pdf</a> \
            <A class=x HREF='/doc/报告.docx'>x</A> <a href=/files/t.ofd>y</a> \
            <a href=\"/list/index.html\">返回</a> <a name=top>顶部</a></p>";
        let doc = from_bytes("p.html", page.as_bytes()).unwrap();
        assert_eq!(doc.attachments, ["P0201.PDF", "报告.docx", "t.ofd"]);
    }

    /// An image stands where the text after it starts, in a layout table's cell too; one in a
    /// data table's cell is no table printed as a picture.
    #[test]
    fn pictures_stand_where_their_image_is() {
        let page = "<p>二、主动公开</p><p><img src=t2.png></p><p>三、申请</p>\
            <table><tr><td><table><tr><td>a</td><td>1</td></tr></table><p><IMG SRC=t3.png></p>\
            <p>四、复议</p></td></tr></table><table><tr><td><img src=icon.png>b</td><td>2</td></tr></table>";
        let doc = from_bytes("p.html", page.as_bytes()).unwrap();
        let at = |words: &str| doc.text.find(words).unwrap();
        assert_eq!(
            doc.pictures,
            [at("三、申请"), at("四、复议")],
            "{:?}",
            doc.text
        );
    }

    /// A table of one cell, or one whose cell holds paragraphs of prose, frames the page's
    /// text (an article whose tables are pictures); a form's cells, even of several short
    /// lines, stay a table.
    #[test]
    fn a_table_framing_the_pages_text_keeps_its_lines() {
        let para = "本机关认真贯彻落实条例，坚持以公开为常态、不公开为例外，持续推进政务公开工作，\
                    加强政策解读，回应社会关切，各项工作取得积极成效，全年无行政复议和行政诉讼案件。";
        let framed = [
            format!("<table><tr><td><p>一、总体情况</p><p>{para}</p><p><img src=t.png></p><p>二、主动公开</p></td></tr></table>"),
            format!("<table><tr><td>导航<br>首页</td><td><p>一、总体情况</p><p>{para}</p><p>二、主动公开</p></td></tr></table>"),
        ];
        for page in &framed {
            let doc = from_bytes("f.html", page.as_bytes()).unwrap();
            assert!(doc.text.contains("一、总体情况\n"), "{:?}", doc.text);
            assert!(doc.text.contains("\n二、主动公开\n"), "{:?}", doc.text);
            assert!(doc.grids.is_empty());
        }
        let form = "<table><tr><td>本年新收<br>政府信息<br>公开申请数量</td><td>3</td></tr>\
                    <tr><td>其他</td><td>0</td></tr></table>";
        let doc = from_bytes("t.html", form.as_bytes()).unwrap();
        assert_eq!(doc.text, "本年新收 政府信息 公开申请数量\t3\n其他\t0\n");
        assert_eq!(doc.grids.len(), 1);
    }

    /// A long page's line breaks, pictures and paragraphs whose end tag is left out nest
    /// nothing: thousands of them are no page nested too deep; elements that nest are.
    #[test]
    fn only_elements_that_nest_count_towards_the_depth() {
        let long = format!(
            "<p>一、总体情况{}<p>二、主动公开<ul>{}</ul>",
            "<br>说明<img src=a.png><meta name=x>".repeat(super::MAX_DEPTH + 10),
            "<li>项".repeat(super::MAX_DEPTH + 10)
        );
        let doc = from_bytes("long.html", long.as_bytes()).unwrap();
        assert!(doc.text.contains("\n二、主动公开\n"));
        let deep = format!(
            "{}年报{}",
            "<div>".repeat(super::MAX_DEPTH + 1),
            "</div>".repeat(super::MAX_DEPTH + 1)
        );
        let err = from_bytes("deep.html", deep.as_bytes()).unwrap_err();
        assert!(err.to_string().contains("nested deeper"), "{err}");
        let closed = format!("{}年报", "<div></div>".repeat(super::MAX_DEPTH + 1));
        assert!(from_bytes("closed.html", closed.as_bytes()).is_ok());
    }

    #[test]
    fn layout_tables_give_their_content_and_inner_tables_stay_tables() {
        let html = "<table><tr><td><p>标题</p><table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>";
        let doc = from_bytes("r.html", html.as_bytes()).unwrap();
        assert_eq!(doc.text, "标题\n规章\t0\n");
        assert_eq!(doc.grids.len(), 1);
        let zero = doc.grids[0].covering(0, 1).unwrap();
        assert_eq!(&doc.text[zero.start..zero.end], "0");
    }
}
