use crate::decode::Decoded;
use crate::grid::Grid;
use crate::normalise::normalise_char;
use crate::pieces::PieceMap;
use crate::scan::{line_ranges, offset32, starts_char};
use nianbao_model::SourceSpan;

/// What kind of file the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Zip,
    /// An OLE compound file: a Word 97–2003 document (.doc) or WPS 文字 (.wps).
    Doc,
    /// Rich Text Format, whatever the file's extension (many .doc downloads are RTF).
    Rtf,
    /// A single file web page (MHT/MHTML): a web page inside a MIME archive.
    Mht,
    /// OFD (GB/T 33190), the Chinese fixed-layout format: a zip of XML pages.
    Ofd,
    /// One of Word's XML formats (Word 2003's, or Flat OPC), whatever the file's extension
    /// (web systems' "export to Word" writes them under a .doc name).
    WordXml,
}

impl Format {
    /// From magic bytes first, then from the extension and the first bytes.
    pub fn sniff(name: &str, bytes: &[u8]) -> Format {
        if bytes.starts_with(b"%PDF") {
            return Format::Pdf;
        }
        if bytes.starts_with(b"PK\x03\x04") {
            return match crate::ofd::is_ofd(name, bytes) {
                true => Format::Ofd,
                false => Format::Zip,
            };
        }
        if bytes.starts_with(&crate::doc::OLE_MAGIC) {
            return Format::Doc;
        }
        if bytes.starts_with(b"{\\rtf") {
            return Format::Rtf;
        }
        if crate::mht::is_mht(bytes) {
            return Format::Mht;
        }
        if crate::wordml::is_word_xml(bytes) {
            return Format::WordXml;
        }
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") || lower.ends_with(".shtml") {
            return Format::Html;
        }
        if lower.ends_with(".md") || lower.ends_with(".markdown") {
            return Format::Markdown;
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        if head.starts_with("<!doctype html") || head.starts_with("<html") {
            return Format::Html;
        }
        Format::Text
    }
}

impl Format {
    /// The extensions of the files nianbao reads as reports (in lower case), and the
    /// format each promises: what a batch picks from a folder.
    pub const EXTENSIONS: [(&'static str, Format); 15] = [
        ("txt", Format::Text),
        ("text", Format::Text),
        ("md", Format::Markdown),
        ("markdown", Format::Markdown),
        ("html", Format::Html),
        ("htm", Format::Html),
        ("shtml", Format::Html),
        ("mht", Format::Mht),
        ("mhtml", Format::Mht),
        ("pdf", Format::Pdf),
        ("docx", Format::Zip),
        ("doc", Format::Doc),
        ("wps", Format::Doc),
        ("rtf", Format::Rtf),
        ("ofd", Format::Ofd),
    ];

    /// The format a file's extension promises, if it names one nianbao reads.
    pub fn named(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.')?.1;
        Format::EXTENSIONS
            .iter()
            .find(|(e, _)| e.eq_ignore_ascii_case(extension))
            .map(|&(_, format)| format)
    }

    /// What the content is, for messages to the user.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Text => "纯文本",
            Format::Markdown => "Markdown 文本",
            Format::Html => "网页（HTML）",
            Format::Pdf => "PDF",
            Format::Zip => "ZIP/DOCX 文档",
            Format::Doc => "Word 97-2003 文档（DOC/WPS）",
            Format::Rtf => "RTF 文档",
            Format::Mht => "单一文件网页（MHT）",
            Format::Ofd => "OFD 版式文档",
            Format::WordXml => "Word XML 文档",
        }
    }

    /// A format of pages laid out (PDF, OFD): its text is read from where glyphs stand, its
    /// tables from their ruling.
    pub fn is_fixed_layout(self) -> bool {
        matches!(self, Format::Pdf | Format::Ofd)
    }
}

/// One line of the document text: byte range in [`Document::text`] (without the `\n`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
    /// 1-based index of the line in the document text.
    pub number: u32,
}

/// Where the original characters are: for line and column of any original byte offset.
#[derive(Debug, Default)]
struct SourceMap {
    /// The decoded file (a UTF-8 source's chars are counted in it; a web page's lines are
    /// quoted from it).
    text: String,
    chars: CharStarts,
    /// Original byte offsets where source lines start.
    line_starts: Vec<usize>,
}

/// Where each original char starts.
#[derive(Debug)]
enum CharStarts {
    /// The source is UTF-8 text starting at `base`: its chars are counted in it when asked,
    /// from a count kept every `BLOCK` bytes, instead of listing an offset for every char.
    Utf8 {
        base: usize,
        /// Chars before each `BLOCK`-byte block of the text, counted when first needed (a
        /// range longer than two blocks: most files never ask one).
        counts: std::sync::OnceLock<Vec<u32>>,
    },
    /// Another encoding's: the offset of every char, then of the end of the input.
    Listed(Vec<Offset>),
}

impl Default for CharStarts {
    fn default() -> CharStarts {
        CharStarts::Listed(Vec::new())
    }
}

impl CharStarts {
    /// How many chars start at original offsets in `from..to`, counting the end of the
    /// input as one (as if it were listed after the last char). UTF-8 counts only the
    /// bytes of the range: a line's column costs its line, not the file. `text` is the
    /// decoded source.
    fn between(&self, text: &str, from: usize, to: usize) -> usize {
        match self {
            CharStarts::Listed(offsets) => {
                let before = |at: usize| offsets.partition_point(|&c| (c as usize) < at);
                before(to).saturating_sub(before(from))
            }
            CharStarts::Utf8 { base, counts } => {
                let bytes = text.as_bytes();
                let (from, to) = (from.saturating_sub(*base), to.saturating_sub(*base));
                let past_end = |within: usize| usize::from(within > bytes.len());
                let (start, end) = (from.min(bytes.len()), to.min(bytes.len()));
                if start >= end {
                    return past_end(to).saturating_sub(past_end(from));
                }
                // A short range (most of a line) is counted as is; a long one from the
                // counts kept, the end of the input counted after the last char.
                if end - start <= 2 * BLOCK {
                    return char_count(&bytes[start..end]) + past_end(to) - past_end(from);
                }
                let before = |within: usize| {
                    let p = within.min(bytes.len());
                    let block = p / BLOCK;
                    let counts = counts.get_or_init(|| block_counts(text));
                    let counted = counts.get(block).map_or(0, |&c| c as usize);
                    counted + char_count(&bytes[block * BLOCK..p]) + past_end(within)
                };
                before(to).saturating_sub(before(from))
            }
        }
    }

    /// The first char start (or the end of the input) after original offset `at`.
    fn after(&self, text: &str, at: usize) -> Option<usize> {
        match self {
            CharStarts::Listed(offsets) => {
                let i = offsets.partition_point(|&c| c as usize <= at);
                offsets.get(i).map(|&c| c as usize)
            }
            CharStarts::Utf8 { base, .. } => {
                let Some(within) = at.checked_sub(*base) else {
                    return Some(*base);
                };
                (within < text.len()).then(|| {
                    let next = (within + 1..=text.len()).find(|&q| text.is_char_boundary(q));
                    base + next.unwrap_or(text.len())
                })
            }
        }
    }
}

/// Chars in UTF-8 bytes: the bytes that start one (a vector at a time).
fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| starts_char(b)).count()
}

/// Bytes between the char counts a UTF-8 source map keeps (a u32 every 32 bytes: an
/// eighth of the text's size, where an offset a char was four thirds of it).
const BLOCK: usize = 32;
const _: () = assert!(
    BLOCK <= u8::MAX as usize,
    "a block's chars are summed in a u8"
);

/// Chars before each `BLOCK`-byte block of a text.
fn block_counts(text: &str) -> Vec<u32> {
    let mut before = 0u32;
    let mut counts = Vec::with_capacity(text.len() / BLOCK + 1);
    for block in text.as_bytes().chunks(BLOCK) {
        counts.push(before);
        // Summed in bytes (a block has at most 32 chars): a vector at a time.
        let chars: u8 = block.iter().map(|&b| u8::from(starts_char(b))).sum();
        before = before.saturating_add(u32::from(chars));
    }
    counts.push(before);
    counts
}

impl SourceMap {
    fn new(decoded: Decoded) -> SourceMap {
        let mut line_starts = vec![decoded.start_offset()];
        if let Some(base) = decoded.utf8_base {
            // Line ends are single bytes: found without decoding a char.
            let bytes = decoded.text.as_bytes();
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    line_starts.push(base + i + 1);
                }
            }
            let counts = std::sync::OnceLock::new();
            return SourceMap {
                text: decoded.text,
                chars: CharStarts::Utf8 { base, counts },
                line_starts,
            };
        }
        let listed = decoded.listed();
        let mut chars = decoded.text.chars().zip(listed.iter().skip(1)).peekable();
        while let Some((ch, &next)) = chars.next() {
            let ends_line = ch == '\n' || (ch == '\r' && !matches!(chars.peek(), Some(('\n', _))));
            if ends_line {
                line_starts.push(next);
            }
        }
        let chars = CharStarts::Listed(narrowed(listed));
        SourceMap {
            text: decoded.text,
            chars,
            line_starts,
        }
    }

    /// Where the original char starting at `offset` ends.
    fn char_end(&self, offset: usize) -> usize {
        self.chars.after(&self.text, offset).unwrap_or(offset)
    }

    /// How many source chars start at original offsets in `from..to` (see
    /// `CharStarts::between`).
    fn chars_between(&self, from: usize, to: usize) -> usize {
        self.chars.between(&self.text, from, to)
    }

    fn line_column(&self, offset: usize) -> (u32, u32) {
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let line_start = self.line_starts[line - 1];
        let column = self.chars_between(line_start, offset) + 1;
        (line as u32, column as u32)
    }

    /// `line_column`, counted on from an earlier offset's (`last`: offset, line, column)
    /// when `offset` is at or after it on the same line (chars between add up).
    fn line_column_after(&self, offset: usize, last: Option<(usize, u32, u32)>) -> (u32, u32) {
        if let Some((at, line, column)) = last {
            let next_line = self.line_starts.get(line as usize);
            if at <= offset && next_line.is_none_or(|&next| offset < next) {
                return (line, column + self.chars_between(at, offset) as u32);
            }
        }
        self.line_column(offset)
    }
}

/// An original byte offset as a source map lists one for every char (see `offset32`).
type Offset = u32;

fn narrowed(offsets: &[usize]) -> Vec<Offset> {
    offsets.iter().map(|&at| offset32(at)).collect()
}

/// Extensions of the documents a page links to as attachments.
const ATTACHMENTS: [&str; 11] = [
    "pdf", "doc", "docx", "wps", "rtf", "ofd", "xls", "xlsx", "et", "zip", "rar",
];

/// The file name a link's target names, when it is a document (`ATTACHMENTS`): its path's
/// last part, the query and fragment dropped.
pub(crate) fn attachment_name(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next()?;
    let name = path.rsplit('/').next()?;
    let (_, extension) = name.rsplit_once('.')?;
    ATTACHMENTS
        .contains(&extension.to_ascii_lowercase().as_str())
        .then(|| name.to_string())
}

/// Builds the document text char by char, remembering each char's original offset.
#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    text: String,
    original: PieceMap,
    /// Tables rendered into the text, their ranges in `text`.
    pub grids: Vec<Grid>,
    /// Where pictures stand in `text` (`Document::pictures`).
    pub pictures: Vec<usize>,
    /// Documents the text links to (`Document::attachments`).
    pub attachments: Vec<String>,
    /// A web page's pictures with what they name, kept only for OCR to read them.
    pub images: Vec<crate::html::WebImage>,
}

impl TextBuilder {
    pub fn with_capacity(bytes: usize) -> TextBuilder {
        TextBuilder {
            text: String::with_capacity(bytes),
            original: PieceMap::default(),
            grids: Vec::new(),
            pictures: Vec::new(),
            attachments: Vec::new(),
            images: Vec::new(),
        }
    }

    /// A picture stands here (an image in a page or a Word file).
    pub fn picture(&mut self) {
        self.pictures.push(self.text.len());
    }

    /// Appends a source char in its parsing form (see `normalise_char`).
    pub fn push(&mut self, ch: char, at: usize) {
        if let Some(out) = normalise_char(ch) {
            self.push_raw(out, at);
        }
    }

    /// Appends text copied from a UTF-8 source whose first byte is at original offset
    /// `at`: each byte maps to where its char starts, as `push` would map it.
    pub fn push_copied(&mut self, text: &str, at: usize) {
        if !text.is_empty() {
            self.original.start(self.text.len(), at);
            self.text.push_str(text);
        }
    }

    /// Appends a char as is (layout: `\t`, `\n`).
    pub fn push_raw(&mut self, ch: char, at: usize) {
        self.original.start(self.text.len(), at);
        self.text.push(ch);
    }

    pub fn ends_with(&self, ch: char) -> bool {
        self.text.ends_with(ch)
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends another builder's text (and its grids, moved to where the text lands).
    pub fn append(&mut self, other: &TextBuilder) {
        let at = self.text.len();
        self.original.append(&other.original, at);
        self.text.push_str(&other.text);
        self.grids.extend(other.grids.iter().cloned().map(|mut g| {
            g.shift(at);
            g
        }));
        self.pictures.extend(other.pictures.iter().map(|p| p + at));
        self.attachments.extend(other.attachments.iter().cloned());
        self.images
            .extend(other.images.iter().cloned().map(|mut image| {
                image.at += at;
                image
            }));
    }

    /// Appends `start..end` of another builder's text (char boundaries), each char with
    /// its original offset there.
    pub fn append_range(&mut self, other: &TextBuilder, start: usize, end: usize) {
        self.original
            .append_range(&other.original, start, end, self.text.len());
        self.text.push_str(&other.text[start..end]);
    }

    /// The original offset of a position of the text so far.
    pub fn original_offset(&self, pos: usize) -> Option<usize> {
        self.original.offset(&self.text, pos)
    }

    /// Byte length of the text so far.
    pub fn len(&self) -> usize {
        self.text.len()
    }

    /// Each byte's original offset, for tests that compare two ways of building.
    #[cfg(test)]
    pub(crate) fn originals(&self) -> Vec<Option<usize>> {
        (0..self.text.len())
            .map(|pos| self.original.offset(&self.text, pos))
            .collect()
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text alone, the offsets dropped.
    pub(crate) fn into_text(self) -> String {
        self.text
    }

    /// Original offsets of the chars of `start..end`.
    #[cfg(test)]
    pub(crate) fn offsets_of(&self, start: usize, end: usize) -> Vec<usize> {
        let mut offsets = Vec::new();
        self.original
            .extend_char_offsets(&self.text, start, end, &mut offsets);
        offsets
    }

    /// Removes trailing spaces (not newlines or tabs).
    pub fn trim_end_spaces(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        self.original.truncate(self.text.len());
    }
}

/// A report's text, normalised for parsing, with the way back to the original bytes.
#[derive(Debug)]
pub struct Document {
    pub name: String,
    pub format: Format,
    pub encoding: &'static str,
    /// The text the parser reads; lines end with `\n`, table cells are separated by `\t`.
    pub text: String,
    /// The tables whose rows and columns the format gives, their cells' ranges in `text`
    /// (where each table is also rendered as lines of tab-separated cells).
    pub grids: Vec<Grid>,
    /// False for a PDF without a text layer (a scan): nothing in it is machine-readable.
    pub has_text: bool,
    /// Where pictures stand in `text`, in order: images of a web page, a Word file or a
    /// PDF's pages. A table printed as a picture is not read; where one stands, a table
    /// found missing may be in it.
    pub pictures: Vec<usize>,
    /// The file names of documents a web page links to (PDF, Word, WPS, OFD, spreadsheets,
    /// archives): a page may give the report only as such an attachment.
    pub attachments: Vec<String>,
    /// The text is a PDF's OCR layer, drawn invisible over the scan of each page or under
    /// it: recognised from images, so any character or digit of it may be misread.
    pub ocr_layer: bool,
    /// The ranges of the text OCR read in pictures of a typed document (tables printed as
    /// pictures): any character or digit in them may be misread.
    pub recognised: Vec<std::ops::Range<usize>>,
    /// Whether the text is a rendering of the file whose lines are not the file's (HTML):
    /// excerpts then show the file's own lines, from the source map's copy of it.
    quotes_source: bool,
    lines: Vec<Line>,
    /// The original byte offset of every position of `text`, and of its end.
    original: PieceMap,
    source: SourceMap,
}

impl Document {
    /// Whether OCR read any of the text from `start` to `end`: the document is a scan's
    /// OCR layer, or the text is of a picture OCR read (`recognised`).
    pub fn was_recognised(&self, start: usize, end: usize) -> bool {
        self.ocr_layer
            || self
                .recognised
                .iter()
                .any(|r| r.start < end.max(start + 1) && start < r.end)
    }

    /// When the content is not what the file's name says (text named `.docx`): the
    /// extension and what the content was read as.
    pub fn misnamed(&self) -> Option<(String, Format)> {
        let promised = Format::named(&self.name)?;
        // Markdown is text; a text file holding Markdown is not misnamed either way.
        let text_like = |f| matches!(f, Format::Text | Format::Markdown);
        // Word opens RTF, DOCX and web pages (single-file ones too) under a .doc name as its
        // own: web systems' "export to Word" and WPS write such files, and offices publish
        // them so.
        let word_opens = promised == Format::Doc
            && matches!(
                self.format,
                Format::Rtf | Format::Zip | Format::Html | Format::Mht | Format::WordXml
            );
        if promised == self.format || (text_like(promised) && text_like(self.format)) || word_opens
        {
            return None;
        }
        let extension = self.name.rsplit_once('.').map_or("", |(_, e)| e);
        Some((format!(".{extension}"), self.format))
    }

    pub(crate) fn build(
        name: &str,
        format: Format,
        decoded: Decoded,
        builder: TextBuilder,
    ) -> Document {
        let TextBuilder {
            text,
            mut original,
            grids,
            pictures,
            attachments,
            images: _,
        } = builder;
        original.start(text.len(), decoded.end_offset());
        let lines = split_lines(&text);
        Document {
            name: name.to_string(),
            format,
            encoding: decoded.encoding,
            text,
            grids,
            pictures,
            attachments,
            has_text: true,
            ocr_layer: false,
            recognised: Vec::new(),
            quotes_source: false,
            lines,
            original,
            source: SourceMap::new(decoded),
        }
    }

    /// A document whose pages carry no text (a scanned PDF).
    pub(crate) fn without_text(name: &str, format: Format) -> Document {
        let decoded = Decoded::from_text(String::new(), "none");
        let mut doc = Document::build(name, format, decoded, TextBuilder::default());
        doc.has_text = false;
        doc
    }

    /// Plain text: every char kept (normalised), line endings to `\n`.
    pub(crate) fn plain(name: &str, format: Format, decoded: Decoded) -> Document {
        let mut builder = TextBuilder::with_capacity(decoded.text.len());
        if let Some(base) = decoded.utf8_base {
            plain_utf8(&mut builder, &decoded.text, base);
            return Document::build(name, format, decoded, builder);
        }
        let mut chars = decoded
            .text
            .chars()
            .zip(decoded.listed().iter().copied())
            .peekable();
        while let Some((ch, at)) = chars.next() {
            if ch == '\r' {
                // "\r\n" and a lone "\r" both end a line; the "\n" starts where "\r" does.
                if matches!(chars.peek(), Some(('\n', _))) {
                    chars.next();
                }
                builder.push_raw('\n', at);
            } else {
                builder.push(ch, at);
            }
        }
        Document::build(name, format, decoded, builder)
    }

    /// Text extracted from a container (DOCX, PDF) with the grids found in it, their
    /// ranges given in the extracted text: kept char for char like plain text.
    pub(crate) fn extracted(
        name: &str,
        format: Format,
        text: String,
        encoding: &'static str,
        mut grids: Vec<Grid>,
        pictures: &[usize],
    ) -> Document {
        let decoded = Decoded::from_text(text, encoding);
        let mut doc = Document::plain(name, format, decoded);
        doc.pictures = pictures
            .iter()
            .map(|&at| doc.original.first_at_or_after(&doc.text, at))
            .collect();
        // The extracted text's offsets are the document's "original" ones, in order; the
        // cells' text becomes the document's (normalised) text.
        for grid in &mut grids {
            grid.remap(|at| doc.original.first_at_or_after(&doc.text, at));
            for cell in &mut grid.cells {
                cell.text = doc.text[cell.start..cell.end].to_string();
                if let Some(rest) = cell.rest.and_then(|(s, e)| doc.text.get(s..e)) {
                    cell.text.push_str(rest);
                }
            }
        }
        doc.grids = grids;
        doc
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    pub fn line_text(&self, line: &Line) -> &str {
        &self.text[line.start..line.end]
    }

    /// Quotes the decoded file's own lines in excerpts (see `source_line`).
    pub(crate) fn quote_source(&mut self) {
        self.quotes_source = true;
    }

    /// Line `number` (1-based) as the file has it — the line a span's `line` refers to.
    pub fn source_line(&self, number: u32) -> Option<&str> {
        let index = number.checked_sub(1)? as usize;
        match self.quotes_source {
            true => self
                .source
                .text
                .split('\n')
                .nth(index)
                .map(|l| l.trim_end_matches('\r')),
            false => self.lines.get(index).map(|l| self.line_text(l)),
        }
    }

    /// The decoded file the document was read from.
    pub(crate) fn source_text(&self) -> &str {
        &self.source.text
    }

    /// When every char of the decoded file is at this plus its byte offset (the file was
    /// UTF-8, or the text has no bytes of its own): see `Decoded::utf8_base`.
    pub(crate) fn source_utf8_base(&self) -> Option<usize> {
        match self.source.chars {
            CharStarts::Utf8 { base, .. } => Some(base),
            CharStarts::Listed(_) => None,
        }
    }

    /// The index of the source char that starts at an original offset, if one does (for
    /// sources whose offsets are listed; a UTF-8 source's is counted from its start).
    pub(crate) fn source_char_at(&self, original: usize) -> Option<usize> {
        let source = &self.source;
        (source.chars_between(original, original + 1) > 0)
            .then(|| source.chars_between(0, original))
    }

    /// Whether each char of the text's `start..end`, and its end, is at `original` plus its
    /// offset in the range — the range copied from UTF-8 as it is. Told from the pieces
    /// the range falls in (see `PieceMap::copied_at`).
    pub fn copied_at(&self, start: usize, end: usize, original: usize) -> bool {
        let (Some(_), Ok(_)) = (self.text.get(start..end), u32::try_from(original)) else {
            return false;
        };
        self.original.copied_at(&self.text, start, end, original)
    }

    /// The original byte offset of a position of the text.
    pub fn original_offset(&self, pos: usize) -> usize {
        // A document's map has its end's offset, so it is never empty.
        self.original
            .offset(&self.text, pos.min(self.text.len()))
            .unwrap_or(0)
    }

    /// The original byte offsets of two positions, the second at or after the first.
    fn original_offset_pair(&self, first: usize, second: usize) -> (usize, usize) {
        let len = self.text.len();
        self.original
            .offset_pair(&self.text, first.min(len), second.min(len))
            .unwrap_or((0, 0))
    }

    /// Where the chars of the text's `start..end` come from, piece by piece (see
    /// `PieceMap::pieces_between`).
    pub fn original_pieces(&self, start: usize, end: usize) -> Vec<(u32, u32)> {
        self.original.pieces_between(&self.text, start, end)
    }

    /// The span, in the original file, of a byte range of the text.
    pub fn span(&self, start: usize, end: usize) -> SourceSpan {
        self.span_cursor().span(start, end)
    }

    /// Spans of ranges asked one after another, as [`Document::span`] gives them; cheaper
    /// when each starts at or after the one before on its line (a table's cells).
    pub fn span_cursor(&self) -> SpanCursor<'_> {
        SpanCursor {
            doc: self,
            last: None,
        }
    }

    /// The original byte range of a byte range of the text.
    fn original_range(&self, start: usize, end: usize) -> (usize, usize) {
        // A range that does not fall on chars (a caller's bug) is narrowed to those it
        // holds rather than failing the file.
        let end = self.text.floor_char_boundary(end);
        // The end is where the range's last char ends in the original, which is not always
        // where the next char of the text starts (markup dropped in between).
        let last_char = self.text[..end].char_indices().last().map(|(i, _)| i);
        let last_char = last_char.filter(|&i| i >= start && end > start);
        let (start, last) = self.original_offset_pair(start, last_char.unwrap_or(start));
        let end = match last_char {
            Some(_) => self.source.char_end(last),
            None => start,
        };
        (start, end.max(start))
    }
}

/// See [`Document::span_cursor`]: the last span's start is kept, so that a start later on
/// the same line counts its column on from there, not from the line's start (a row of a
/// table is one long line in text and web pages).
pub struct SpanCursor<'d> {
    doc: &'d Document,
    /// The last span's original start, line and column.
    last: Option<(usize, u32, u32)>,
}

impl SpanCursor<'_> {
    pub fn span(&mut self, start: usize, end: usize) -> SourceSpan {
        let (start, end) = self.doc.original_range(start, end);
        let (line, column) = self.doc.source.line_column_after(start, self.last);
        self.last = Some((start, line, column));
        SourceSpan {
            start,
            end,
            line,
            column,
        }
    }
}

/// `Document::plain`'s text when each char's original offset is `base` plus its offset in
/// `text`: the runs of chars normalisation keeps are copied whole. What `push` of each char
/// gives, but that "\r" ends a line.
pub(crate) fn plain_utf8(builder: &mut TextBuilder, text: &str, base: usize) {
    let bytes = text.as_bytes();
    let mut run = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Only a char starting with one of these bytes may be one normalisation changes.
        if !may_change(bytes[at]) {
            at = next_may_change(bytes, at);
            continue;
        }
        let Some(ch) = text[at..].chars().next() else {
            break;
        };
        let next = at + ch.len_utf8();
        if ch != '\r' && normalise_char(ch) == Some(ch) {
            at = next;
            continue;
        }
        builder.push_copied(&text[run..at], base + run);
        run = next;
        if ch == '\r' {
            // "\r\n" and a lone "\r" both end a line; the "\n" starts where "\r" does.
            if bytes.get(next) == Some(&b'\n') {
                run += 1;
            }
            builder.push_raw('\n', base + at);
        } else {
            builder.push(ch, base + at);
        }
        at = run;
    }
    builder.push_copied(&text[run..], base + run);
}

/// The first position from `from` on whose byte `may_change`, or the end: eight bytes at a
/// time, each word tested for the flagged bytes at once (no byte waits for the one before,
/// as it does in a loop that steps a char at a time).
fn next_may_change(bytes: &[u8], from: usize) -> usize {
    use crate::scan::word::{equal, ONES};
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        // 0xE2 and 0xE3 differ in their lowest bit only.
        let marks =
            equal(word, b'\r') | equal(word, 0xC2) | equal(word | ONES, 0xE3) | equal(word, 0xEF);
        if marks != 0 {
            return at + (marks.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..]
        .iter()
        .position(|&b| may_change(b))
        .unwrap_or(bytes.len() - at)
}

/// Whether a char whose UTF-8 starts with `byte` may be `\r` or one `normalise_char`
/// changes or drops (U+00A0 and U+00AD, U+2000–U+206F, CJK radicals U+2E80–U+2FDF,
/// U+3000, strokes U+31C0–U+31EF, compatibility ideographs U+F900–U+FAFF, U+FEFF,
/// U+FF01–U+FF5E; a test checks every char).
fn may_change(byte: u8) -> bool {
    MAY_CHANGE[byte as usize]
}

/// `may_change` as a table.
const MAY_CHANGE: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = matches!(i as u8, b'\r' | 0xC2 | 0xE2 | 0xE3 | 0xEF);
        i += 1;
    }
    table
};

fn split_lines(text: &str) -> Vec<Line> {
    line_ranges(text)
        .enumerate()
        .map(|(number, (start, end, _))| Line {
            start,
            end,
            number: number as u32 + 1,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::from_bytes;

    #[test]
    fn spans_point_into_the_original_bytes_and_lines() {
        let text = "标题\r\n规章\t０\t１\r\n";
        let doc = from_bytes("t.txt", text.as_bytes()).unwrap();
        assert_eq!(doc.text, "标题\n规章\t0\t1\n");
        let one = doc.text.find('1').unwrap();
        let span = doc.span(one, one + 1);
        assert_eq!((span.line, span.column), (2, 6));
        assert_eq!(&text.as_bytes()[span.start..span.end], "１".as_bytes());
    }

    #[test]
    fn a_span_ending_inside_a_char_holds_the_chars_before_it() {
        let doc = from_bytes("t.txt", "规章 量".as_bytes()).unwrap();
        let inside = doc.text.find('量').unwrap() + 1;
        let span = doc.span(0, inside);
        assert_eq!((span.start, span.end), (0, "规章 ".len()));
        assert_eq!(doc.span(inside, inside + 1).line, 1);
    }

    #[test]
    fn utf8_text_copied_run_by_run_maps_as_char_by_char() {
        use super::{Document, Format};
        let text = "标题\r\n规章\t０\u{200B}１\rA\u{3000}b\r\n\r";
        let decoded = crate::Decoded::from_text(text.to_string(), "UTF-8");
        let copied = Document::plain("t.txt", Format::Text, decoded.clone());
        let by_char = Document::plain("t.txt", Format::Text, decoded.with_listed_offsets());
        assert_eq!(copied.text, by_char.text);
        for pos in 0..=copied.text.len() + 1 {
            assert_eq!(
                copied.original_offset(pos),
                by_char.original_offset(pos),
                "{pos}"
            );
        }
        for (start, end) in [(0, 3), (7, 13), (14, 16), (17, 20)] {
            assert_eq!(copied.span(start, end), by_char.span(start, end));
        }
    }

    #[test]
    fn a_span_cursor_gives_what_span_gives_in_any_order() {
        // UTF-8 with a BOM, CRLF and lone CR line ends, full-width and zero-width chars
        // (dropped or narrowed: the text's offsets are not the file's), a long tab row,
        // GB18030 (char offsets listed), and a web page (markup dropped between cells).
        let mut gbk = encoding_rs::GB18030
            .encode("规章\t一\t二三\r\n本年\t４５\t6")
            .0
            .into_owned();
        gbk.extend_from_slice("\r\nabc".as_bytes());
        let row = "行政许可\t１２\t0\t３４５\t".repeat(20);
        let page = "<p>标题</p><table><tr><td>规章</td><td>１</td><td>２</td></tr></table>";
        let sources: [(&str, &[u8]); 4] = [
            (
                "t.txt",
                "\u{FEFF}标题\r\n规章 ０\u{200B}1\rA\u{3000}b\r\n纯文本一行\n末".as_bytes(),
            ),
            ("t.txt", row.as_bytes()),
            ("g.txt", &gbk),
            ("p.html", page.as_bytes()),
        ];
        let mut seeded = 7u64;
        let mut next = |n: usize| {
            seeded = seeded
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seeded >> 33) as usize % n.max(1)
        };
        for (name, bytes) in sources {
            let doc = from_bytes(name, bytes).unwrap();
            let len = doc.text.len();
            let mut cursor = doc.span_cursor();
            let mut at = 0;
            for _ in 0..400 {
                // Mostly forward, as a table's cells come; now and then back or beyond.
                at = match next(10) {
                    0 => next(len + 2),
                    _ => (at + next(12)).min(len + 1),
                };
                let end = at + next(8);
                assert_eq!(
                    cursor.span(at, end),
                    doc.span(at, end),
                    "{name} {at}..{end}"
                );
            }
        }
    }

    #[test]
    fn copied_at_tells_ranges_whose_chars_sit_at_their_own_offsets() {
        let mut gbk = encoding_rs::GB18030.encode("规章\r\n一二三").0.into_owned();
        gbk.extend_from_slice("\r\nabc".as_bytes());
        let sources: [&[u8]; 3] = [
            "标题\r\n规章 ０\u{200B}1\rA\u{3000}b\r\n纯文本一行\n末".as_bytes(),
            "\u{FEFF}主动公开\t１２\n依申请".as_bytes(),
            &gbk,
        ];
        for bytes in sources {
            let doc = crate::from_bytes("t.txt", bytes).unwrap();
            let len = doc.text.len();
            let boundaries: Vec<usize> = (0..=len)
                .filter(|&i| doc.text.is_char_boundary(i))
                .collect();
            for &start in &boundaries {
                for &end in boundaries.iter().filter(|&&e| e >= start) {
                    for original in [doc.original_offset(start), doc.original_offset(start) + 1] {
                        // By its definition: every char start of the range, and its end.
                        let expected = doc.text[start..end]
                            .char_indices()
                            .map(|(i, _)| i)
                            .chain(std::iter::once(end - start))
                            .all(|i| doc.original_offset(start + i) == original + i);
                        assert_eq!(
                            doc.copied_at(start, end, original),
                            expected,
                            "{start}..{end}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn utf8_source_map_answers_as_the_listed_one() {
        use super::{Document, Format};
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        // Several of the map's blocks, chars across their edges, and a line long enough
        // to be counted from them.
        let text = "标题\r\n规章 ０\u{200B}1\rA\u{3000}b\r\n\r末".repeat(6) + &"长行a".repeat(40);
        bytes.extend_from_slice(text.as_bytes());
        let decoded = crate::decode::decode_with_hint(&bytes, None).unwrap();
        assert_eq!(decoded.utf8_base, Some(3));
        let found = Document::plain("t.txt", Format::Text, decoded.clone());
        let listed = Document::plain("t.txt", Format::Text, decoded.with_listed_offsets());
        for at in 0..=bytes.len() + 2 {
            let (a, b) = (&found.source, &listed.source);
            assert_eq!(a.line_column(at), b.line_column(at), "line/column at {at}");
            assert_eq!(a.char_end(at), b.char_end(at), "char end at {at}");
            assert_eq!(found.source_char_at(at), listed.source_char_at(at), "{at}");
        }
    }

    #[test]
    fn every_char_normalisation_changes_starts_with_a_byte_looked_at() {
        let mut buf = [0u8; 4];
        for ch in (0..=0x10FFFF).filter_map(char::from_u32) {
            if ch == '\r' || crate::normalise::normalise_char(ch) != Some(ch) {
                let first = ch.encode_utf8(&mut buf).as_bytes()[0];
                assert!(super::may_change(first), "{:?} (U+{:04X})", ch, ch as u32);
            }
        }
    }

    #[test]
    fn the_next_byte_that_may_change_is_found_a_word_at_a_time_as_one_at_a_time() {
        // Every flagged byte and its neighbours (0xE1, 0xE4, 0x0C, 0xEE…), at every place in
        // a word and across words.
        let pieces = [
            "\r", "\u{a0}", "\u{3000}", "。", "，", "\u{2000}", "\u{feff}",
        ];
        let others = ["a", "\u{c}", "\u{1000}", "中", "\u{e000}", "é"];
        let mut text = String::new();
        for (i, piece) in pieces.iter().cycle().take(60).enumerate() {
            text.push_str(&others[i % others.len()].repeat(i % 11));
            text.push_str(piece);
        }
        let bytes = text.as_bytes();
        for from in 0..=bytes.len() {
            let expected = (from..bytes.len())
                .find(|&i| super::may_change(bytes[i]))
                .unwrap_or(bytes.len());
            assert_eq!(super::next_may_change(bytes, from), expected, "{from}");
        }
    }

    #[test]
    fn lone_carriage_returns_end_lines_too() {
        let doc = from_bytes("t.txt", "a\rb\r\nc\n".as_bytes()).unwrap();
        assert_eq!(doc.text, "a\nb\nc\n");
        let c = doc.text.find('c').unwrap();
        assert_eq!(doc.span(c, c + 1).line, 3);
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(matches!(
            from_bytes("e.txt", b" \n"),
            Err(crate::IngestError::Empty)
        ));
        assert!(matches!(
            from_bytes(
                "b.bin",
                &[0x00, 0x9F, 0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x13]
            ),
            Err(crate::IngestError::Binary(_) | crate::IngestError::UnknownEncoding { .. })
        ));
    }
}
