use crate::{Cells, Doubt};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where something is in the original file: byte range of the original bytes (whatever
/// their encoding) and the 1-based line and column (in characters) of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SourceSpan {
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub column: u32,
}

/// The template generation a report's tables follow (TEMPLATES.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Era {
    #[serde(rename = "pre2019")]
    Pre2019,
    #[serde(rename = "2019")]
    Y2019,
    #[serde(rename = "2021")]
    Y2021,
}

impl Era {
    /// The era a report on `year` must use.
    pub fn for_year(year: i32) -> Era {
        match year {
            ..=2018 => Era::Pre2019,
            2019 | 2020 => Era::Y2019,
            _ => Era::Y2021,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Era::Pre2019 => "pre2019",
            Era::Y2019 => "2019",
            Era::Y2021 => "2021",
        }
    }

    pub fn parse(text: &str) -> Option<Era> {
        match text {
            "pre2019" => Some(Era::Pre2019),
            "2019" => Some(Era::Y2019),
            "2021" => Some(Era::Y2021),
            _ => None,
        }
    }
}

impl fmt::Display for Era {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of organ published the report; it decides the legal deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    ProvincialGovernment,
    CityGovernment,
    CountyGovernment,
    Township,
    Department,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::ProvincialGovernment => "provincial_government",
            Level::CityGovernment => "city_government",
            Level::CountyGovernment => "county_government",
            Level::Township => "township",
            Level::Department => "department",
        }
    }

    pub fn parse(text: &str) -> Option<Level> {
        [
            Level::ProvincialGovernment,
            Level::CityGovernment,
            Level::CountyGovernment,
            Level::Township,
            Level::Department,
        ]
        .into_iter()
        .find(|l| l.as_str() == text)
    }

    /// A people's government (or a zone's 管委会 reporting as one), not a department.
    pub fn is_government(self) -> bool {
        !matches!(self, Level::Department)
    }
}

/// What a piece of the report's identity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityField {
    Organ,
    Year,
    Level,
}

/// Where a piece of identity was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentitySource {
    /// The report's title (one line, or split over up to three).
    Title,
    /// A short line right above or below a title that names no organ.
    TitleLine,
    /// The metadata block a government site prints above the text (发布机构, 名称).
    Metadata,
    /// "现公布XX20XX年政府信息公开工作年度报告".
    FirstSentence,
    /// The 落款 at the end: organ over the date.
    Signature,
    /// "本报告由XX编制".
    Compiler,
    /// The statistical period (统计期限) covering one whole year.
    StatPeriod,
    /// The years the overview opens its sentences with ("2021年，我县…").
    Overview,
    /// The organ's name (for the level).
    Name,
}

impl IdentitySource {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentitySource::Title => "title",
            IdentitySource::TitleLine => "title_line",
            IdentitySource::Metadata => "metadata",
            IdentitySource::FirstSentence => "first_sentence",
            IdentitySource::Signature => "signature",
            IdentitySource::Compiler => "compiler",
            IdentitySource::StatPeriod => "stat_period",
            IdentitySource::Overview => "overview",
            IdentitySource::Name => "name",
        }
    }
}

/// One source's reading of the organ, the year or the level, and whether it was chosen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityReading {
    pub field: IdentityField,
    pub source: IdentitySource,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<SourceSpan>,
    /// This reading is the report's value (or the same as it).
    #[serde(default)]
    pub agrees: bool,
    /// Why, when it is not obvious (the level's rule; why a reading was set aside).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A date as precise as the report prints it ("2020年1月" has no day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// The statistical period a report states ("统计期限自…起至…止").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatPeriod {
    /// The text as printed.
    pub text: String,
    /// Start and end when they could be read as dates.
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
    pub span: SourceSpan,
}

/// The six required parts of the 2019 and 2021 formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SectionId {
    #[serde(rename = "一")]
    One,
    #[serde(rename = "二")]
    Two,
    #[serde(rename = "三")]
    Three,
    #[serde(rename = "四")]
    Four,
    #[serde(rename = "五")]
    Five,
    #[serde(rename = "六")]
    Six,
}

impl SectionId {
    pub const ALL: [SectionId; 6] = [
        SectionId::One,
        SectionId::Two,
        SectionId::Three,
        SectionId::Four,
        SectionId::Five,
        SectionId::Six,
    ];

    pub fn numeral(self) -> &'static str {
        ["一", "二", "三", "四", "五", "六"][self.index()]
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_numeral(text: &str) -> Option<SectionId> {
        SectionId::ALL.into_iter().find(|s| s.numeral() == text)
    }

    /// The official title, for messages.
    pub fn title(self) -> &'static str {
        [
            "总体情况",
            "主动公开政府信息情况",
            "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况",
            "存在的主要问题及改进情况",
            "其他需要报告的事项",
        ][self.index()]
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.numeral())
    }
}

/// A picture in the report (an image of a web page or a Word file, an image a PDF draws as
/// wide as a table). nianbao does not read pictures, and a table may be printed as one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Picture {
    pub span: SourceSpan,
    /// The part it stands in, when known.
    pub section: Option<SectionId>,
}

/// A part of the report found in its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub id: SectionId,
    /// The heading as printed, or empty when the part was recognised by its table only.
    pub title: String,
    /// The number printed before the title ("一", "5", …), if any.
    pub printed_number: Option<String>,
    pub span: SourceSpan,
    /// True when no heading was found and the part counts as present because its table is.
    pub by_table: bool,
}

/// The statistical tables of the formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TableId {
    /// 表二 主动公开政府信息情况
    T2,
    /// 表三 收到和处理政府信息公开申请情况
    T3,
    /// 表四 行政复议、行政诉讼情况
    T4,
    /// pre-2019 统计指标表
    Old,
}

impl TableId {
    pub fn key_prefix(self) -> &'static str {
        match self {
            TableId::T2 => "t2.",
            TableId::T3 => "t3.",
            TableId::T4 => "t4.",
            TableId::Old => "old.",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            TableId::T2 => "表二",
            TableId::T3 => "表三",
            TableId::T4 => "表四",
            TableId::Old => "统计指标表",
        }
    }
}

/// A table found in the report, with the era its own labels point to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInfo {
    pub id: TableId,
    pub era: Option<Era>,
    pub span: SourceSpan,
}

/// How a cell's value was read: from where it stands in a table whose rows and columns the
/// format gives, or from its order in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ReadMethod {
    /// By row and column from a grid: an HTML or DOCX table, a pipe table.
    Grid,
    /// By row and column from plain text's tab-separated rows.
    TextRows,
    /// By row and column from a PDF table's ruling lines.
    PdfRuled,
    /// By row and column from a PDF table's text alignment (no ruling).
    PdfAligned,
    /// By row and column from plain text whose columns are lined up with spaces.
    TextColumns,
    /// By its order among the values after its row's label.
    #[default]
    Stream,
    /// Cut out of digits that ran together, by the table's arithmetic.
    RunTogether,
    /// Derived from other cells (a row printed on another form), or put back from where a
    /// conversion moved it.
    Derived,
}

impl ReadMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ReadMethod::Grid => "grid",
            ReadMethod::TextRows => "text_rows",
            ReadMethod::PdfRuled => "pdf_ruled",
            ReadMethod::PdfAligned => "pdf_aligned",
            ReadMethod::TextColumns => "text_columns",
            ReadMethod::Stream => "stream",
            ReadMethod::RunTogether => "run_together",
            ReadMethod::Derived => "derived",
        }
    }
}

/// One canonical cell: its value (`None` = printed blank, distinct from 0) and where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    pub value: Option<f64>,
    /// The cell as printed ("增3159", "99365万元", "").
    pub raw: String,
    pub span: SourceSpan,
    /// Set when the cell was recovered from digits that ran together: how, and whether
    /// other readings fitted too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<String>,
    /// How the value was read.
    #[serde(default)]
    pub read: ReadMethod,
    /// Another reading of the same cell that was not taken (the text of a PDF read another
    /// way than its ruled table), for whoever judges a finding on this cell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
    /// Why the reader is not sure of this cell, when it took a reading it could not check
    /// (`Cell::doubt` adds the doubts its read method implies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doubt: Option<Box<Doubt>>,
}

/// How a cell's note ends when the reader put a row's values in order without seeing
/// which columns they stand in (fewer values than cells, no blank shown); its doubt is
/// `Doubt::PlacedInOrder`.
pub const PLACED_IN_ORDER: &str =
    "placed in order from the first column; they may stand in other columns";

/// How a blank cell's note ends when most of its table's cells were not found: the row's
/// value may stand where the reading did not look; its doubt is
/// `Doubt::BlankMayBeElsewhere`.
pub const BLANK_MAY_BE_ELSEWHERE: &str =
    "a blank may be a value printed where the reading did not find it";

/// A cell's note when the reader took its value by its place in the form's order, its
/// table's labels and values printed apart; its doubt is `Doubt::InTableOrder`.
pub const IN_TABLE_ORDER: &str = "read by its place in the form's order of rows and columns: \
the table's values were printed apart from their labels (text extracted in reading order)";

impl Cell {
    /// A cell of this value and nothing else known of it (no printed text, no place, read
    /// the default way): what rule fixtures and tests state.
    pub fn of_value(value: Option<f64>) -> Cell {
        Cell {
            value,
            raw: String::new(),
            span: SourceSpan::default(),
            recovered: None,
            read: ReadMethod::default(),
            alternative: None,
            doubt: None,
        }
    }

    /// Why nianbao is not sure it read this cell right, if it is not: the reader's doubt
    /// (another reading disagreed, other cuts of run-together digits fitted too, values put
    /// in order without their columns showing, …), or columns found only from how its
    /// text lines up.
    pub fn doubt(&self) -> Option<&Doubt> {
        static PDF_ALIGNED: Doubt = Doubt::PdfAligned;
        static TEXT_COLUMNS: Doubt = Doubt::TextColumns;
        match (&self.doubt, self.read) {
            (Some(doubt), _) => Some(doubt),
            (None, ReadMethod::PdfAligned) => Some(&PDF_ALIGNED),
            (None, ReadMethod::TextColumns) => Some(&TEXT_COLUMNS),
            _ => None,
        }
    }
}

/// A value printed in a table where no column or row of the form is: kept as printed, not
/// guessed into a neighbouring cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnplacedValue {
    pub table: TableId,
    pub text: String,
    /// The row's label, when it has one.
    pub row: Option<String>,
    pub span: SourceSpan,
}

/// A number the narrative states, with the words right before it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: f64,
    pub unit: String,
    /// "320余条": an approximate figure.
    pub approximate: bool,
    pub context: String,
    pub span: SourceSpan,
}

/// One line of narrative (non-table) text, for rules that read the text.
///
/// Its JSON (what plugins are handed and the workbench stores) lists the original offset
/// of every char when the line is not its file's bytes (`offsets`), as it always has;
/// parsing keeps where the line's pieces come from instead (`LineOrigin::Pieces`), a few
/// entries a line rather than one a char.
#[derive(Debug, Clone, Deserialize)]
#[serde(from = "TextLineJson")]
pub struct TextLine {
    pub text: String,
    pub span: SourceSpan,
    /// The part the line belongs to, when known.
    pub section: Option<SectionId>,
    /// Where the line's chars are in the file.
    pub origin: LineOrigin,
}

/// Where a narrative line's chars are in the file.
#[derive(Debug, Clone, Default)]
pub enum LineOrigin {
    /// The line is the file's own bytes, in UTF-8, from its span's start on.
    #[default]
    Copied,
    /// (byte position in the line, original offset) of each piece, by position: the
    /// first at 0, the last at the line's end (the end's offset). A char is as far from
    /// its piece's original offset as from the piece's start (a run copied as it is, or a
    /// char put in for another: a full-width comma narrowed).
    Pieces(Vec<(u32, u32)>),
    /// The original offset of every char, and of the end (a line read from JSON).
    Chars(Vec<usize>),
}

/// `TextLine` as JSON: the original offset of every char and of the end, or none when
/// the line is its file's bytes.
#[derive(Serialize, Deserialize)]
struct TextLineJson {
    text: String,
    span: SourceSpan,
    section: Option<SectionId>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    offsets: Vec<usize>,
}

impl From<TextLineJson> for TextLine {
    fn from(json: TextLineJson) -> TextLine {
        let origin = match json.offsets.is_empty() {
            true => LineOrigin::Copied,
            false => LineOrigin::Chars(json.offsets),
        };
        TextLine {
            text: json.text,
            span: json.span,
            section: json.section,
            origin,
        }
    }
}

impl Serialize for TextLine {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let offsets = self.char_offsets();
        let mut line = serializer.serialize_struct("TextLine", 4)?;
        line.serialize_field("text", &self.text)?;
        line.serialize_field("span", &self.span)?;
        line.serialize_field("section", &self.section)?;
        match offsets.is_empty() {
            true => line.skip_field("offsets")?,
            false => line.serialize_field("offsets", &offsets)?,
        }
        line.end()
    }
}

/// Lines are equal when they say the same and map to the same offsets, however kept.
impl PartialEq for TextLine {
    fn eq(&self, other: &TextLine) -> bool {
        self.text == other.text
            && self.span == other.span
            && self.section == other.section
            && self.char_offsets() == other.char_offsets()
    }
}

impl TextLine {
    /// The span of a byte range of `text`.
    pub fn span_of(&self, start: usize, end: usize) -> SourceSpan {
        let (start_at, end_at) = (start.min(self.text.len()), end.min(self.text.len()));
        let char_start = self.text[..start_at].chars().count();
        // Counted on from the start: a long line (a web page's) is not counted twice.
        let char_end = match self.text.get(start_at..end_at) {
            Some(between) => char_start + between.chars().count(),
            None => self.text[..end_at].chars().count(),
        };
        SourceSpan {
            start: self.original(start, start_at, char_start),
            end: self.original(end, end_at, char_end),
            line: self.span.line,
            column: self.span.column + char_start as u32,
        }
    }

    /// The original offset of position `byte` of the text (`at` within the text, the
    /// `chars`-th char).
    fn original(&self, byte: usize, at: usize, chars: usize) -> usize {
        let listed = match &self.origin {
            LineOrigin::Copied => None,
            LineOrigin::Pieces(pieces) => {
                let k = pieces.partition_point(|p| p.0 as usize <= at);
                let piece = k.checked_sub(1).and_then(|k| pieces.get(k));
                piece.map(|&(from, source)| source as usize + (at - from as usize))
            }
            LineOrigin::Chars(offsets) => offsets.get(chars).copied(),
        };
        listed.unwrap_or(self.span.start + byte)
    }

    /// The original offset of every char and of the end, or none when the line is its
    /// file's bytes: the line's JSON form.
    pub fn char_offsets(&self) -> Vec<usize> {
        match &self.origin {
            LineOrigin::Copied => Vec::new(),
            LineOrigin::Chars(offsets) => offsets.clone(),
            LineOrigin::Pieces(_) => {
                let starts = self.text.char_indices().map(|(at, _)| at);
                starts
                    .chain(std::iter::once(self.text.len()))
                    .enumerate()
                    .map(|(chars, at)| self.original(at, at, chars))
                    .collect()
            }
        }
    }
}

/// Everything nianbao knows about one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Report {
    /// The file as the user named it.
    pub source: String,
    pub title: Option<String>,
    pub organ: Option<String>,
    /// Other names the report gives its organ ("以下简称市教委"), for pairing across years.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub organ_aliases: Vec<String>,
    pub level: Option<Level>,
    /// The year reported on.
    pub year: Option<i32>,
    /// Where organ, year and level were read, and what each source said.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identity: Vec<IdentityReading>,
    /// The era the tables' own labels point to (falls back to the year's era without tables).
    pub era: Option<Era>,
    pub published: Option<PartialDate>,
    pub published_span: Option<SourceSpan>,
    pub stat_period: Option<StatPeriod>,
    /// Parts found in the body (not in a table of contents), in document order.
    pub sections: Vec<Section>,
    /// Parts listed in a table of contents, if the report has one.
    pub toc: Vec<SectionId>,
    pub tables: Vec<TableInfo>,
    pub cells: Cells,
    /// Values printed in a table outside every cell of the form.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unplaced: Vec<UnplacedValue>,
    pub figures: Vec<Figure>,
    pub text: Vec<TextLine>,
    /// Pictures in the report, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pictures: Vec<Picture>,
    /// File names of the documents a web page links to (PDF, Word, WPS, OFD, …), each once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<String>,
    /// True when the file had no text to read (a scanned PDF), or its body is pictures and
    /// hardly any text (a page of the report's page images): its tables are not
    /// machine-readable, which is a finding, not a table of zeros.
    #[serde(default)]
    pub no_text_layer: bool,
    /// True when the text is a PDF's OCR layer (text drawn invisible over the scan of each
    /// page, or under it): recognised from images, any of it may be misread, so nothing
    /// found in it accuses the report.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub ocr_layer: bool,
    /// The content is not what the file's name says (text named `.docx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misnamed: Option<Misnamed>,
    /// The narrative's shingles, worked out by the text-overlap rules on first use: a
    /// report is compared with its predecessor, its successor and its peers.
    #[serde(skip)]
    pub narrative_shingles: Derived<Vec<u64>>,
}

/// A value worked out from a report on first use and kept with it. It is not part of what
/// the report says: never serialized, equal to any other, and empty in a clone (a clone may
/// be changed).
#[derive(Default)]
pub struct Derived<T>(std::sync::OnceLock<T>);

impl<T> Derived<T> {
    pub fn get_or_init(&self, work: impl FnOnce() -> T) -> &T {
        self.0.get_or_init(work)
    }
}

impl<T: Clone> Derived<T> {
    /// A copy holding the value if it was worked out: for a copy of a report whose text is
    /// not changed (a clone starts empty).
    pub fn carried(&self) -> Derived<T> {
        let copy = std::sync::OnceLock::new();
        if let Some(value) = self.0.get() {
            let _ = copy.set(value.clone());
        }
        Derived(copy)
    }
}

impl<T> Clone for Derived<T> {
    fn clone(&self) -> Self {
        Derived(std::sync::OnceLock::new())
    }
}

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<T> fmt::Debug for Derived<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Derived")
    }
}

/// A file whose extension promises another format than its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Misnamed {
    /// ".docx"
    pub extension: String,
    /// What it was read as: "纯文本".
    pub content: String,
}

impl Misnamed {
    pub fn describe(&self) -> String {
        format!(
            "文件名为 {}，内容却是{}（按{}读取）",
            self.extension, self.content, self.content
        )
    }
}

/// Fewer of the narrative's chars than this, with no part or table, and a report's body is
/// not in its text (a page's title, dates and links are a few dozen).
pub const MOST_CHARS_OF_NO_BODY: usize = 300;

impl Report {
    /// Whether the text holds no body of a report: no part heading, no table, and fewer
    /// than `MOST_CHARS_OF_NO_BODY` chars of narrative.
    pub fn has_no_body(&self) -> bool {
        let chars = || self.text.iter().flat_map(|l| l.text.chars());
        self.sections.is_empty()
            && self.tables.is_empty()
            && chars()
                .filter(|c| !c.is_whitespace())
                .take(MOST_CHARS_OF_NO_BODY)
                .count()
                < MOST_CHARS_OF_NO_BODY
    }

    /// Whether the report is a web page that gives the report only as attachments: it links
    /// to documents and has no body of its own (not a scan: `no_text_layer`).
    pub fn body_in_attachments(&self) -> bool {
        !self.no_text_layer && !self.attachments.is_empty() && self.has_no_body()
    }

    pub fn has_section(&self, id: SectionId) -> bool {
        self.sections.iter().any(|s| s.id == id)
    }

    pub fn section(&self, id: SectionId) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn table(&self, id: TableId) -> Option<&TableInfo> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The value of a cell: `None` when the cell is absent, `Some(None)` when printed blank.
    #[inline]
    pub fn value(&self, key: &str) -> Option<Option<f64>> {
        self.cells.value(key)
    }

    /// Whether the report's tables should have this cell: its table (表二, 表三, 表四) was
    /// read and the form the table is on has the cell. A cell expected but absent was not
    /// read, which is neither blank nor 0. The pre-2019 tables vary by place and year: none
    /// of their cells is expected.
    pub fn expects(&self, key: &str) -> bool {
        let id = match key.split('.').next() {
            Some("t2") => TableId::T2,
            Some("t3") => TableId::T3,
            Some("t4") => TableId::T4,
            _ => return false,
        };
        let Some(era) = self.table(id).and_then(|t| t.era.or(self.era)) else {
            return false;
        };
        crate::catalog()
            .get(key)
            .is_some_and(|f| f.eras.iter().any(|e| e == era.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::{Derived, LineOrigin, SourceSpan, TextLine};

    #[test]
    fn a_derived_value_is_dropped_by_a_clone_and_kept_by_a_carried_copy() {
        let worked_out: Derived<Vec<u64>> = Derived::default();
        assert!(
            worked_out.carried().0.get().is_none(),
            "nothing to carry yet"
        );
        worked_out.get_or_init(|| vec![1, 2]);
        assert!(worked_out.clone().0.get().is_none());
        assert_eq!(worked_out.carried().0.get(), Some(&vec![1, 2]));
    }

    fn line(origin: LineOrigin) -> TextLine {
        TextLine {
            text: "主动公开ab信息".to_string(),
            span: SourceSpan {
                start: 100,
                end: 120,
                line: 3,
                column: 2,
            },
            section: None,
            origin,
        }
    }

    #[test]
    fn a_line_in_json_lists_its_offsets_however_it_keeps_them() {
        let pieces = LineOrigin::Pieces(vec![(0, 200), (6, 210), (12, 214), (20, 222)]);
        let expected = [200, 203, 210, 213, 214, 215, 216, 219, 222];
        let by_pieces = line(pieces);
        let json = serde_json::to_value(&by_pieces).expect("serialize");
        assert_eq!(json["offsets"], serde_json::json!(expected));
        let read: TextLine = serde_json::from_value(json).expect("deserialize");
        assert!(matches!(&read.origin, LineOrigin::Chars(offsets) if offsets[..] == expected));
        assert_eq!(read, by_pieces);
        for (start, end) in [(0, 20), (3, 12), (12, 14), (14, 20)] {
            assert_eq!(read.span_of(start, end), by_pieces.span_of(start, end));
        }
        // A line that is its file's bytes lists none, and reads back so.
        let copied = line(LineOrigin::Copied);
        let json = serde_json::to_value(&copied).expect("serialize");
        assert!(json.get("offsets").is_none());
        let read: TextLine = serde_json::from_value(json).expect("deserialize");
        assert!(matches!(read.origin, LineOrigin::Copied));
    }

    #[test]
    fn a_span_of_part_of_a_line_counts_its_chars() {
        // "ab" is bytes 12..14, chars 4..6.
        let plain = line(LineOrigin::Copied).span_of(12, 14);
        assert_eq!((plain.start, plain.end, plain.column), (112, 114, 6));
        // Listed offsets (another encoding: two bytes a Chinese char) are read by char.
        let listed: Vec<usize> = vec![200, 202, 204, 206, 208, 209, 210, 212, 214];
        let span = line(LineOrigin::Chars(listed.clone())).span_of(12, 14);
        assert_eq!((span.start, span.end, span.column), (208, 210, 6));
        // The same offsets kept as pieces: a piece a Chinese char, "ab" copied as one, and
        // the end's offset last.
        let pieces = vec![
            (0, 200),
            (3, 202),
            (6, 204),
            (9, 206),
            (12, 208),
            (14, 210),
            (17, 212),
            (20, 214),
        ];
        let by_pieces = line(LineOrigin::Pieces(pieces));
        let span = by_pieces.span_of(12, 14);
        assert_eq!((span.start, span.end, span.column), (208, 210, 6));
        assert_eq!(by_pieces.char_offsets(), listed);
        // A reversed range keeps its ends.
        let reversed = line(LineOrigin::Copied).span_of(14, 12);
        assert_eq!(
            (reversed.start, reversed.end, reversed.column),
            (114, 112, 8)
        );
    }
}
