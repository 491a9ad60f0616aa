//! The layout families: how one composed report is written as a file. Each family has its
//! layouts (the variants real reports show); every case also draws its own options.

pub mod chromium;
pub mod cmap_fonts;
pub mod docx;
pub mod embedded_sheet;
mod html;
pub mod html_chunk;
pub mod libreoffice;
mod markdown;
pub mod mht;
pub mod ofd;
pub mod pandoc;
pub mod pdftotext;
pub mod picture_tables;
pub mod qpdf;
pub mod rtf;
pub mod saved_page;
pub mod scan;
pub mod stamp;
mod text;
pub mod word_xml;

use crate::narrative::Composed;
use crate::rng::Rng;
use embedded_sheet::SheetStyle;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Family {
    Docx,
    Pdf,
    /// Word 97–2003 (.doc): the DOCX converted by LibreOffice.
    Doc,
    /// RTF, as web systems and WPS export Word files: the DOCX converted by LibreOffice.
    Rtf,
    Html,
    Markdown,
    Text,
    /// Text extracted from the lab's PDF (LibreOffice's) by poppler's pdftotext, as
    /// offices and crawlers extract reports published as PDF.
    PdfText,
    /// The laid-out text (`pdftotext -layout`) of a report page a browser printed to PDF:
    /// a crawler's or an office's text of a report saved from the web.
    PrintText,
    /// OFD (GB/T 33190), the Chinese fixed-layout format offices publish beside PDF: the
    /// lab's PDF written as an OFD.
    Ofd,
    /// A scanned report: the lab's PDF as pictures of its pages, no text (read by OCR).
    Scan,
    /// A typed report whose tables are pictures (screenshots or scans pasted in): the lab's
    /// web page with each table replaced by a picture of it, printed by Chromium or made a
    /// Word file by pandoc (read by OCR).
    Pictures,
}

impl Family {
    pub const ALL: [Family; 12] = [
        Family::Docx,
        Family::Pdf,
        Family::Doc,
        Family::Rtf,
        Family::Html,
        Family::Markdown,
        Family::Text,
        Family::PdfText,
        Family::PrintText,
        Family::Ofd,
        Family::Scan,
        Family::Pictures,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::Docx => "docx",
            Family::Pdf => "pdf",
            Family::Doc => "doc",
            Family::Rtf => "rtf",
            Family::Html => "html",
            Family::Markdown => "markdown",
            Family::Text => "text",
            Family::PdfText => "pdftext",
            Family::PrintText => "printtext",
            Family::Ofd => "ofd",
            Family::Scan => "scan",
            Family::Pictures => "pictures",
        }
    }

    pub fn parse(text: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|f| f.name() == text)
    }

    pub fn layouts(self) -> &'static [Layout] {
        match self {
            Family::Docx => &[
                Layout::DocxPortrait,
                Layout::DocxNarrowLabels,
                Layout::DocxLandscape,
                Layout::DocxResaved,
                Layout::DocxEmbeddedSheets,
                Layout::DocxEmbeddedSheetsResaved,
                Layout::DocxWord2003Xml,
                Layout::DocxFlatOpc,
                Layout::DocxHtmlChunk,
            ],
            Family::Pdf => &[
                Layout::PdfPortrait,
                Layout::PdfNarrowLabels,
                Layout::PdfPageBreak,
                Layout::PdfLandscape,
                Layout::PdfBorderless,
                Layout::PdfBrowserPrint,
                Layout::PdfStamped,
                Layout::PdfCmapFonts,
                Layout::PdfTurned,
                Layout::PdfEncrypted,
            ],
            Family::Doc => &[
                Layout::DocPortrait,
                Layout::DocNarrowLabels,
                Layout::DocBorderless,
                Layout::DocEmbeddedSheets,
                Layout::DocEmbeddedSheetsXls,
            ],
            Family::Rtf => &[
                Layout::RtfPortrait,
                Layout::RtfNarrowLabels,
                Layout::RtfCodePage,
            ],
            Family::Html => html::LAYOUTS,
            Family::Markdown => markdown::LAYOUTS,
            Family::Text => text::LAYOUTS,
            Family::PdfText => &[
                Layout::PdftextLayout,
                Layout::PdftextRaw,
                Layout::PdftextStream,
            ],
            Family::PrintText => &[Layout::PrinttextBrowserPrint],
            Family::Ofd => &[
                Layout::OfdRuns,
                Layout::OfdChars,
                Layout::OfdScaled,
                Layout::OfdTemplate,
                Layout::OfdPoints,
            ],
            Family::Scan => &[Layout::ScanGray, Layout::ScanMono, Layout::ScanSkewed],
            Family::Pictures => &[
                Layout::PicturesJpeg,
                Layout::PicturesPng,
                Layout::PicturesDocxJpeg,
                Layout::PicturesDocxPng,
                Layout::PicturesPageJpeg,
                Layout::PicturesMhtPng,
            ],
        }
    }

    /// The variants of each gold report a run makes of the family when asked for
    /// `variants`: all of them, but a fifth of them (rounded up) of scans, which OCR reads
    /// at ten seconds a report.
    pub fn variants(self, variants: usize) -> usize {
        match self {
            Family::Scan | Family::Pictures => variants.div_ceil(5),
            _ => variants,
        }
    }

    /// The file's extension.
    pub fn extension(self) -> &'static str {
        match self {
            Family::Docx => "docx",
            Family::Pdf | Family::Scan | Family::Pictures => "pdf",
            Family::Doc => "doc",
            Family::Rtf => "rtf",
            Family::Html => "html",
            Family::Markdown => "md",
            Family::Text | Family::PdfText | Family::PrintText => "txt",
            Family::Ofd => "ofd",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Layout {
    DocxPortrait,
    DocxNarrowLabels,
    DocxLandscape,
    /// The lab's DOCX opened and saved again by LibreOffice: another writer's XML.
    DocxResaved,
    /// Every table inserted as an Excel (or WPS 表格) object: a workbook embedded in the
    /// file, which Word shows as a picture.
    DocxEmbeddedSheets,
    /// Those objects' file saved again by LibreOffice: its own workbooks (`oleObject1.xlsx`)
    /// and pictures of them.
    DocxEmbeddedSheetsResaved,
    /// The lab's DOCX body as WordprocessingML 2003, under a `.doc` name, as web systems'
    /// "export to Word" writes it from a template (`word_xml`).
    DocxWord2003Xml,
    /// The lab's DOCX parts as a Flat OPC package, Word's "XML Document" (`.xml`).
    DocxFlatOpc,
    /// The lab's web page as the body of a DOCX, a chunk of another format
    /// (`w:altChunk`), as web editors' "export to Word" writes it (`html_chunk`).
    DocxHtmlChunk,
    PdfPortrait,
    PdfNarrowLabels,
    PdfPageBreak,
    PdfLandscape,
    PdfBorderless,
    /// The lab's web page (a CMS's) printed to PDF by Chromium, as offices save a report
    /// published on a page.
    PdfBrowserPrint,
    /// The lab's PDF as seal-stamping and merging tools leave it: each page's content (and
    /// fonts) moved into a form XObject the page draws, a seal stroked over the last page.
    PdfStamped,
    /// The lab's PDF with its text in a font that is not embedded (`STSong-Light`),
    /// encoded by a predefined CMap (UCS-2 or GBK) without ToUnicode, as Java report
    /// writers set Chinese.
    PdfCmapFonts,
    /// The lab's PDF as a PDF printer prints pages turned to landscape: each page's
    /// MediaBox landscape, /Rotate 90 (even variants) or 270 (odd), its content drawn turned
    /// so that it shows upright.
    PdfTurned,
    /// The lab's PDF encrypted by qpdf with an owner password and an empty user password,
    /// as offices protect reports against copying (RC4 or AES, 40 to 256 bits).
    PdfEncrypted,
    DocPortrait,
    DocNarrowLabels,
    DocBorderless,
    /// The DOCX of docx/embedded-sheets saved as Word 97 by LibreOffice, each object's
    /// storage then given its workbook as Word 2007 and later keep an Excel worksheet
    /// object: XLSX in a `Package` stream.
    DocEmbeddedSheets,
    /// That Word 97 file as LibreOffice writes it: each object's storage keeps an Excel 97
    /// workbook (a `Workbook` stream, BIFF8), as Excel 97 objects and WPS's are kept.
    DocEmbeddedSheetsXls,
    RtfPortrait,
    RtfNarrowLabels,
    RtfCodePage,
    HtmlCms,
    HtmlStyled,
    HtmlLayoutTable,
    /// The lab's DOCX exported as a web page by LibreOffice: an office suite's HTML.
    HtmlOffice,
    /// That page saved as Word saves a single file web page (MHT, GBK, quoted-printable).
    HtmlArchive,
    /// A CMS's page whose editor stripped the tables' rowspan and colspan: each merged cell
    /// one plain cell, the rows under it shorter.
    HtmlSpansStripped,
    MdPlaceholder,
    MdHeaderRow,
    MdSplitLabels,
    /// The lab's DOCX converted by pandoc: Markdown with HTML tables.
    MdPandoc,
    /// Pipe tables from an HTML-to-Markdown converter that ignores rowspan and colspan: a
    /// cell for each merged cell, rows padded at their end to the table's width.
    MdSpansDropped,
    TextTabs,
    /// Tab rows padded at their end to the widest row's count of cells, as a site's page
    /// saved as text gives them: rows under a deeper label, with more label cells, start
    /// their values further right than rows under a label that spans label columns.
    TextTabsPadded,
    /// Tab rows with a cell for every column of the table, a merged cell's text in its
    /// first and empty cells for the rest, as a spreadsheet copies a table.
    TextTabsGrid,
    TextCellPerLine,
    TextSpaces,
    TextSubrowNumber,
    TextRunTogether,
    /// The lab's DOCX converted to plain text by pandoc: tables as columns of spaces.
    TextPandoc,
    /// The lab's DOCX saved as text by LibreOffice: each table cell a line, blank ones empty.
    TextLibreOffice,
    /// The lab's PDF (LibreOffice's) as poppler's `pdftotext -layout` extracts it: the page
    /// laid out in spaces.
    PdftextLayout,
    /// The same extracted in content order (`pdftotext` without options): a table column
    /// by column.
    PdftextRaw,
    /// The same extracted in the order the page's text was drawn (`pdftotext -raw`): a
    /// table row by row, a cell's wrapped lines one after another.
    PdftextStream,
    /// The lab's web page (a CMS's) printed by Chromium, its text laid out by pdftotext.
    PrinttextBrowserPrint,
    /// The lab's PDF as an OFD of a text object for each run of chars on a baseline, each
    /// char's step given; ruling stroked.
    OfdRuns,
    /// The same, a text object for each char (the PDF of narrow labels).
    OfdChars,
    /// Runs drawn at twice their size, scaled back by their objects' CTM, steps of one
    /// size compressed ("g 5 3.5"), parts named from the archive's root (a landscape PDF).
    OfdScaled,
    /// Runs, ruling as thin filled rectangles, a template page under every page (a PDF
    /// whose 表三 a page break splits).
    OfdTemplate,
    /// A text object for each char as print drivers write it: its code in points, placed
    /// by a CTM scaling points to millimetres (tables without ruling).
    OfdPoints,
    /// Each page scanned in grey at 200 dpi, saved as JPEG.
    ScanGray,
    /// Each page scanned in black and white at 300 dpi.
    ScanMono,
    /// Each page scanned in grey at 200 dpi, fed a degree or two askew.
    ScanSkewed,
    /// Each table a grey JPEG at 200 dpi, as a scanner or a screenshot tool saves it.
    PicturesJpeg,
    /// Each table a grey PNG at 200 dpi.
    PicturesPng,
    /// The page with its tables as JPEGs made a Word file by pandoc (each picture as wide
    /// as the text, its size given in the file).
    PicturesDocxJpeg,
    /// The same with PNGs.
    PicturesDocxPng,
    /// The page with its tables as JPEGs saved as a browser saves a page whole: the page,
    /// and its pictures in a folder beside it (their size not given in the page).
    PicturesPageJpeg,
    /// The page with its tables as PNGs in a single file web page (MHT), as Word saves one.
    PicturesMhtPng,
}

/// What `work(worker, item)` gives for each of `items`, on two threads (the machine's
/// cores; converters are separate processes), worker 0 taking the even items, 1 the odd:
/// the results of worker 0, then of worker 1.
pub(crate) fn on_two_workers<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(usize, &T) -> Option<R> + Sync,
) -> Vec<R> {
    std::thread::scope(|scope| {
        let work = &work;
        let workers: Vec<_> = (0..2)
            .map(|worker| {
                scope.spawn(move || {
                    items
                        .iter()
                        .skip(worker)
                        .step_by(2)
                        .filter_map(|item| work(worker, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

/// Runs `work(worker, item)` on every item on two workers (`on_two_workers`); when some
/// fail, an error saying how many, after what the program did not do ("pandoc did not
/// convert"), and the first failure's message.
pub(crate) fn all_on_two_workers<T: Sync>(
    items: &[T],
    did_not: &str,
    work: impl Fn(usize, &T) -> Result<(), String> + Sync,
) -> Result<(), crate::LabError> {
    let failures: Vec<String> = on_two_workers(items, |worker, item| work(worker, item).err());
    match failures.first() {
        None => Ok(()),
        Some(first) => Err(crate::LabError::Converter(format!(
            "{did_not} {} of {} files; first: {first}",
            failures.len(),
            items.len()
        ))),
    }
}

/// Runs `command`, a converter that writes `written` from `input`: an error naming `input`
/// when it cannot be run, or fails, or writes nothing (with what it said).
pub(crate) fn run_writing(
    command: &mut std::process::Command,
    input: &std::path::Path,
    written: &std::path::Path,
) -> Result<(), String> {
    let program = std::path::Path::new(command.get_program())
        .display()
        .to_string();
    let output = command
        .output()
        .map_err(|e| format!("{}: cannot run {program}: {e}", input.display()))?;
    match output.status.success() && written.exists() {
        true => Ok(()),
        false => Err(format!(
            "{}: {}",
            input.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        )),
    }
}

/// The first of `names` that runs here (`version` is the option that asks its version).
pub(crate) fn installed(names: &[&str], version: &str) -> Option<std::path::PathBuf> {
    names.iter().find_map(|name| {
        let found = std::process::Command::new(name)
            .arg(version)
            .output()
            .ok()?;
        found
            .status
            .success()
            .then(|| std::path::PathBuf::from(name))
    })
}

/// A program the lab has write a case's file from its DOCX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Converter {
    LibreOffice,
    Pandoc,
    /// Headless Chromium, printing the lab's web page to PDF.
    Chromium,
    /// pandoc, writing a Word file from the lab's web page.
    PandocFromPage,
    /// The lab itself, saving its web page with its pictures (`saved_page`).
    SavedPage,
}

impl Layout {
    /// What writes the case's file from the lab's DOCX, if anything does: LibreOffice
    /// (PDF, DOC, RTF, and the DOCX it saves again and the web page it exports) or pandoc;
    /// or from the lab's web page: Chromium.
    pub fn converter(self, family: Family) -> Option<Converter> {
        if matches!(
            self,
            Layout::PdfBrowserPrint
                | Layout::PrinttextBrowserPrint
                | Layout::PicturesJpeg
                | Layout::PicturesPng
        ) {
            return Some(Converter::Chromium);
        }
        if matches!(self, Layout::PicturesDocxJpeg | Layout::PicturesDocxPng) {
            return Some(Converter::PandocFromPage);
        }
        if matches!(self, Layout::PicturesPageJpeg | Layout::PicturesMhtPng) {
            return Some(Converter::SavedPage);
        }
        if matches!(
            family,
            Family::Pdf | Family::Doc | Family::Rtf | Family::Ofd | Family::Scan
        ) || matches!(
            self,
            Layout::DocxResaved
                | Layout::DocxEmbeddedSheetsResaved
                | Layout::HtmlOffice
                | Layout::HtmlArchive
                | Layout::TextLibreOffice
                | Layout::PdftextLayout
                | Layout::PdftextRaw
                | Layout::PdftextStream
        ) {
            return Some(Converter::LibreOffice);
        }
        matches!(self, Layout::MdPandoc | Layout::TextPandoc).then_some(Converter::Pandoc)
    }

    pub fn converted(self, family: Family) -> bool {
        self.converter(family).is_some()
    }

    /// What LibreOffice converts the case's DOCX to: the family's format, text in UTF-8
    /// (LibreOffice's own choice is the locale's code page), or a PDF that pdftotext
    /// extracts.
    pub fn libreoffice_target(self, family: Family) -> &'static str {
        match self {
            Layout::TextLibreOffice => "txt:Text (encoded):UTF8",
            Layout::PdftextLayout | Layout::PdftextRaw | Layout::PdftextStream => "pdf",
            _ if matches!(family, Family::Ofd | Family::Scan) => "pdf",
            _ => family.extension(),
        }
    }

    /// pdftotext's options when the case's text is extracted from a PDF.
    pub fn pdftotext(self) -> Option<&'static [&'static str]> {
        match self {
            Layout::PdftextLayout | Layout::PrinttextBrowserPrint => Some(&["-layout"]),
            Layout::PdftextRaw => Some(&[]),
            Layout::PdftextStream => Some(&["-raw"]),
            _ => None,
        }
    }

    /// The style `pdf2ofd.py` writes the case's OFD in.
    pub fn ofd_style(self) -> Option<&'static str> {
        match self {
            Layout::OfdRuns => Some("runs"),
            Layout::OfdChars => Some("chars"),
            Layout::OfdScaled => Some("scaled"),
            Layout::OfdTemplate => Some("template"),
            Layout::OfdPoints => Some("points"),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Layout::DocxPortrait
            | Layout::PdfPortrait
            | Layout::DocPortrait
            | Layout::RtfPortrait => "portrait",
            Layout::DocxNarrowLabels
            | Layout::PdfNarrowLabels
            | Layout::DocNarrowLabels
            | Layout::RtfNarrowLabels => "narrow-labels",
            Layout::DocxLandscape | Layout::PdfLandscape => "landscape",
            Layout::RtfCodePage => "gbk-bytes",
            Layout::DocxResaved => "resaved",
            Layout::DocxEmbeddedSheets | Layout::DocEmbeddedSheets => "embedded-sheets",
            Layout::DocEmbeddedSheetsXls => "embedded-sheets-xls",
            Layout::DocxEmbeddedSheetsResaved => "embedded-sheets-resaved",
            Layout::DocxWord2003Xml => "word-2003-xml",
            Layout::DocxFlatOpc => "flat-opc",
            Layout::DocxHtmlChunk => "html-chunk",
            Layout::PdfPageBreak => "page-break",
            Layout::PdfBorderless | Layout::DocBorderless => "borderless",
            Layout::PdfBrowserPrint | Layout::PrinttextBrowserPrint => "browser-print",
            Layout::PdfStamped => "stamped",
            Layout::PdfCmapFonts => "cmap-fonts",
            Layout::PdfTurned => "turned",
            Layout::PdfEncrypted => "encrypted",
            Layout::HtmlCms => "cms",
            Layout::HtmlStyled => "styled",
            Layout::HtmlLayoutTable => "layout-table",
            Layout::HtmlOffice => "office-export",
            Layout::HtmlArchive => "mht-word",
            Layout::HtmlSpansStripped => "spans-stripped",
            Layout::MdPlaceholder => "placeholder-headers",
            Layout::MdHeaderRow => "header-row",
            Layout::MdSplitLabels => "split-labels",
            Layout::MdPandoc => "pandoc-gfm",
            Layout::MdSpansDropped => "spans-dropped",
            Layout::TextTabs => "tabs",
            Layout::TextTabsPadded => "tabs-padded",
            Layout::TextTabsGrid => "tabs-grid",
            Layout::TextCellPerLine => "cell-per-line",
            Layout::TextSpaces => "spaces",
            Layout::TextSubrowNumber => "subrow-number",
            Layout::TextRunTogether => "run-together",
            Layout::TextPandoc => "pandoc-plain",
            Layout::TextLibreOffice => "libreoffice-txt",
            Layout::PdftextLayout => "layout",
            Layout::PdftextRaw => "reading-order",
            Layout::PdftextStream => "stream",
            Layout::OfdRuns => "runs",
            Layout::OfdChars => "chars",
            Layout::OfdScaled => "scaled",
            Layout::OfdTemplate => "template",
            Layout::OfdPoints => "points",
            Layout::ScanGray => "gray-200dpi",
            Layout::ScanMono => "mono-300dpi",
            Layout::ScanSkewed => "skewed-gray-200dpi",
            Layout::PicturesJpeg => "pdf-jpeg",
            Layout::PicturesPng => "pdf-png",
            Layout::PicturesDocxJpeg => "docx-jpeg",
            Layout::PicturesDocxPng => "docx-png",
            Layout::PicturesPageJpeg => "page-jpeg",
            Layout::PicturesMhtPng => "mht-png",
        }
    }

    /// Whether the layout's pictures are PNG (else JPEG).
    pub fn png_pictures(self) -> bool {
        matches!(
            self,
            Layout::PicturesPng | Layout::PicturesDocxPng | Layout::PicturesMhtPng
        )
    }

    /// The case's file's extension: its family's, but for the Word files and web pages of
    /// the family of pictures.
    pub fn extension(self, family: Family) -> &'static str {
        match self {
            Layout::PicturesDocxJpeg | Layout::PicturesDocxPng => "docx",
            Layout::PicturesPageJpeg => "html",
            Layout::PicturesMhtPng => "mht",
            Layout::DocxWord2003Xml => "doc",
            Layout::DocxFlatOpc => "xml",
            _ => family.extension(),
        }
    }
}

/// The DOCX options of a DOCX layout, or of one LibreOffice converts (PDF, DOC, RTF).
fn docx_options(layout: Layout, rng: &mut Rng) -> docx::DocxOptions {
    let mut options = docx::DocxOptions::random(rng);
    match layout {
        Layout::DocxNarrowLabels
        | Layout::PdfNarrowLabels
        | Layout::DocNarrowLabels
        | Layout::RtfNarrowLabels
        | Layout::OfdChars => {
            options.label_share = 0.12 + rng.below(10) as f64 / 100.0;
            // Word files keep a tracked deletion's text and hidden text, which must not be
            // read (a PDF prints what the page shows).
            let printed = matches!(layout, Layout::PdfNarrowLabels | Layout::OfdChars);
            options.tracked_deletion = !printed;
            options.hidden_text = !printed;
        }
        Layout::DocxLandscape | Layout::PdfLandscape | Layout::OfdScaled => {
            options.landscape = true
        }
        Layout::DocxEmbeddedSheets => options.sheets = Some(SheetStyle::random(rng)),
        Layout::DocxEmbeddedSheetsResaved
        | Layout::DocEmbeddedSheets
        | Layout::DocEmbeddedSheetsXls => options.sheets = Some(SheetStyle::random(rng).bare()),
        Layout::PdfPageBreak | Layout::OfdTemplate => {
            options.push_table_three = Some(rng.between(3, 30))
        }
        Layout::PdfBorderless | Layout::DocBorderless | Layout::OfdPoints => {
            options.borders = false
        }
        Layout::DocxWord2003Xml | Layout::DocxFlatOpc => {
            options.tracked_deletion = rng.chance(0.5);
            options.hidden_text = rng.chance(0.5);
        }
        _ => {}
    }
    options
}

/// The file of a case (or the DOCX LibreOffice converts into it, or the web page Chromium
/// prints: `Layout::converted`).
pub fn render(report: &Composed, family: Family, layout: Layout, rng: &mut Rng) -> Vec<u8> {
    if layout.converter(family) == Some(Converter::Chromium) && family != Family::Pictures {
        return page_to_print(report, rng);
    }
    match family {
        Family::Docx if layout == Layout::DocxHtmlChunk => {
            let page = [Layout::HtmlCms, Layout::HtmlStyled][rng.below(2)];
            let page = html::render(report, page, rng);
            html_chunk::render(&page, html_chunk::ChunkStyle::random(rng))
        }
        Family::Docx if matches!(layout, Layout::DocxWord2003Xml | Layout::DocxFlatOpc) => {
            let options = docx_options(layout, rng);
            let style = word_xml::WordXmlStyle::random(rng);
            let parts = docx::parts(report, &options);
            match layout {
                Layout::DocxWord2003Xml => {
                    let document = parts.iter().find(|(name, _)| name == "word/document.xml");
                    let document = document.map(|(_, b)| String::from_utf8_lossy(b));
                    word_xml::word_2003(&document.unwrap_or_default(), style)
                }
                _ => word_xml::flat_opc(&parts, style),
            }
        }
        Family::Docx
        | Family::Pdf
        | Family::Doc
        | Family::Rtf
        | Family::PdfText
        | Family::Ofd
        | Family::Scan => docx::render(report, &docx_options(layout, rng)),
        Family::Pictures => {
            // A CMS's page, its article framed by a layout table or not when the page is
            // saved (what frames it is read from its markup); printed or made a Word file
            // (whose pictures would then stand in a table's cell, not read), not framed.
            let pages = [Layout::HtmlCms, Layout::HtmlStyled, Layout::HtmlLayoutTable];
            let saved = matches!(layout, Layout::PicturesPageJpeg | Layout::PicturesMhtPng);
            let pages = match saved {
                true => &pages[..],
                false => &pages[..2],
            };
            let page = pages[rng.below(pages.len())];
            chromium::with_print_style(&html::render(report, page, rng), rng).into_bytes()
        }
        _ if layout.converted(family) => docx::render(report, &docx_options(layout, rng)),
        Family::Html => html::render(report, layout, rng).into_bytes(),
        Family::Markdown => markdown::render(report, layout, rng).into_bytes(),
        Family::Text => text::render(report, layout, rng).into_bytes(),
        Family::PrintText => page_to_print(report, rng),
    }
}

/// A CMS's page, with or without a layout table and inline styles, styled for print.
fn page_to_print(report: &Composed, rng: &mut Rng) -> Vec<u8> {
    let page = [Layout::HtmlCms, Layout::HtmlStyled, Layout::HtmlLayoutTable];
    let page = page[rng.below(page.len())];
    let page = html::render(report, page, rng);
    chromium::with_print_style(&page, rng).into_bytes()
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    #[test]
    fn a_converter_that_cannot_run_or_writes_nothing_is_an_error_naming_its_input() {
        let input = Path::new("case.docx");
        let nowhere = std::env::temp_dir().join("nianbao-lab-never-written.txt");
        let missing = super::run_writing(
            &mut Command::new("nianbao-no-such-program"),
            input,
            &nowhere,
        );
        assert!(
            missing
                .as_ref()
                .is_err_and(|e| e.starts_with("case.docx: cannot run nianbao-no-such-program")),
            "{missing:?}"
        );
        let silent = super::run_writing(&mut Command::new("true"), input, &nowhere);
        assert_eq!(silent, Err("case.docx: ".to_string()));
        let written = std::env::temp_dir();
        assert_eq!(
            super::run_writing(&mut Command::new("true"), input, &written),
            Ok(())
        );
    }
}
