//! Running the lab: make every case's file, read it back through the pipeline, compare
//! with the gold.

use crate::family::{self, Converter, Family, Layout};
use crate::form::Printer;
use crate::gold::{self, Gold, GoldFinding};
use crate::narrative;
use crate::rng::Rng;
use crate::values::ValueStyle;
use crate::words::Words;
use crate::LabError;
use nianbao_model::{Fault, Finding, Report, Severity};
use std::path::{Path, PathBuf};

/// What one run makes and reads.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder with `gold/` (the project's `../shared`).
    pub shared: PathBuf,
    /// Variants of every family for every gold report.
    pub variants: usize,
    pub seed: u64,
    pub families: Vec<Family>,
    /// Where the files are written (a fresh temporary folder when `None`, removed after).
    pub keep: Option<PathBuf>,
    /// Without LibreOffice, pandoc, pdftotext, qpdf or Chromium, the cases they write are
    /// an error rather than skipped.
    pub require_converters: bool,
}

/// What the pipeline read from one file.
pub struct ReadBack {
    pub report: Report,
    pub findings: Vec<Finding>,
}

/// What reads a file (named, as bytes) back: the real pipeline, or a test's broken one.
pub type Reader<'a> = dyn Fn(&str, &[u8]) -> Result<ReadBack, String> + Sync + 'a;

/// The real pipeline: ingest → parse → the built-in rules.
pub fn pipeline() -> Result<impl Fn(&str, &[u8]) -> Result<ReadBack, String> + Sync, LabError> {
    let rules = nianbao_rules::RuleSet::builtin().map_err(|e| LabError::Rules(e.to_string()))?;
    // Scans are read by OCR, as `nianbao audit --ocr` reads them; no other case has a PDF
    // without text, so no other case is read otherwise.
    let limits = nianbao_ingest::Limits {
        ocr: true,
        ..Default::default()
    };
    // A case is named by its file's path: a saved page's pictures are found beside it.
    Ok(move |name: &str, bytes: &[u8]| {
        let path = std::path::Path::new(name);
        let parsed = nianbao_cli::parse_file_bytes(path, bytes, &limits)?;
        let findings = rules.check_with(&parsed.report, nianbao_rules::Related::default());
        Ok(ReadBack {
            report: parsed.report,
            findings,
        })
    })
}

/// One case: a gold report in one layout, with its draws.
#[derive(Debug, Clone)]
pub struct Case {
    pub gold: String,
    pub family: Family,
    pub layout: Layout,
    pub variant: usize,
    pub style: Vec<&'static str>,
    pub file: PathBuf,
}

/// A cell read otherwise than the gold: `read` is `None` when the cell was not read at all.
#[derive(Debug, Clone)]
pub struct WrongCell {
    pub key: String,
    pub gold: Option<f64>,
    pub read: Option<Option<f64>>,
    /// Read (a value or blank) with no doubt on it (`Cell::doubt`): nothing tells whoever
    /// reads the report's figures that this one may be the reader's mistake. A cell not
    /// read at all is said (READ.INCOMPLETE), so never silent.
    pub silent: bool,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    /// The file could not be read at all.
    pub failure: Option<String>,
    pub cells: usize,
    pub right: usize,
    pub wrong: Vec<WrongCell>,
    /// Cells read that the gold does not have.
    pub extra: Vec<String>,
    pub era_right: bool,
    pub parts_right: bool,
    pub identity_right: bool,
    /// Organ, year and level as read ("organ|year|level").
    pub identity_read: String,
    /// Required table findings of the gold that were not reported.
    pub missing: Vec<String>,
    /// Error findings the gold does not list, blamed on the report, and blank-cell findings
    /// that blame it for cells it printed.
    pub false_errors: Vec<String>,
    /// Error findings the gold does not list that say the reading may be at fault (需复核):
    /// no accusation, but work for a person.
    pub reviews: Vec<String>,
}

#[derive(Debug)]
pub struct Summary {
    pub outcomes: Vec<Outcome>,
    /// Families that could not run here, with the reason.
    pub skipped: Vec<(Family, String)>,
    pub golds: usize,
    pub seed: u64,
    pub variants: usize,
}

/// The families of findings a rendering of the gold's tables reproduces; findings about the
/// prose, dates and years are the real report's, not the lab's.
const TABLE_FAMILIES: [&str; 9] = [
    "balance",
    "row_sum",
    "col_sum",
    "t4_sum",
    "old_sum",
    "blank_cell",
    "missing_section",
    "missing_table",
    "era_mismatch",
];

pub fn run(options: &Options, reader: &Reader) -> Result<Summary, LabError> {
    let golds = gold::load_dir(&options.shared.join("gold"))?;
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let (dir, temporary) = match &options.keep {
        Some(dir) => (dir.clone(), false),
        None => {
            let n = RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let name = format!("nianbao-lab-{}-{n}", std::process::id());
            (std::env::temp_dir().join(name), true)
        }
    };
    std::fs::create_dir_all(&dir).map_err(|e| LabError::Io(dir.clone(), e))?;
    let result = run_in(options, reader, &golds, &dir);
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    result
}

fn run_in(
    options: &Options,
    reader: &Reader<'_>,
    golds: &[Gold],
    dir: &Path,
) -> Result<Summary, LabError> {
    let mut cases = Vec::new();
    for (index, gold) in golds.iter().enumerate() {
        for &family in &options.families {
            for variant in 0..family.variants(options.variants) {
                cases.push(make_case(gold, index, family, variant, options.seed, dir)?);
            }
        }
    }
    let mut made = Made {
        cases,
        skipped: Vec::new(),
    };
    made.convert_by_libreoffice(dir, options)?;
    made.convert_by_pandoc(dir, options)?;
    made.rewrite_by_the_lab(dir)?;
    made.picture_tables(dir, options)?;
    made.word_files_by_pandoc(dir, options)?;
    made.save_pages_with_pictures(dir)?;
    made.print_by_chromium(dir, options)?;
    made.encrypt_by_qpdf(options)?;
    made.extract_by_pdftotext(options)?;
    made.convert_to_ofd(options)?;
    made.scan_by_pdftoppm(options)?;
    let Made { cases, skipped } = made;
    // Read on two workers (a scan's OCR takes seconds), kept in the cases' order.
    let numbered: Vec<(usize, Case)> = cases.into_iter().enumerate().collect();
    let mut outcomes: Vec<(usize, Outcome)> = family::on_two_workers(&numbered, |_, (n, case)| {
        let gold = golds
            .iter()
            .find(|g| g.name == case.gold)
            .expect("every case is made from a gold");
        Some((*n, read_case(case.clone(), gold, reader)))
    });
    outcomes.sort_by_key(|(n, _)| *n);
    let outcomes = outcomes.into_iter().map(|(_, outcome)| outcome).collect();
    Ok(Summary {
        outcomes,
        skipped,
        golds: golds.len(),
        seed: options.seed,
        variants: options.variants,
    })
}

/// The cases made, and the families some of whose cases could not be written here.
struct Made {
    cases: Vec<Case>,
    skipped: Vec<(Family, String)>,
}

impl Made {
    /// Every family's layouts LibreOffice writes: each case's DOCX to its target.
    fn convert_by_libreoffice(&mut self, dir: &Path, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.converter(c.family) == Some(Converter::LibreOffice);
        for converted in Family::ALL {
            let cases: Vec<&Case> = self
                .cases
                .iter()
                .filter(|c| c.family == converted && by_it(c))
                .collect();
            if cases.is_empty() {
                continue;
            }
            let Some(soffice) = family::libreoffice::soffice() else {
                self.skip("LibreOffice (soffice)", options, |c| {
                    c.family == converted && by_it(c)
                })?;
                continue;
            };
            let mut targets: Vec<&str> = cases
                .iter()
                .map(|c| c.layout.libreoffice_target(c.family))
                .collect();
            targets.sort_unstable();
            targets.dedup();
            for to in targets {
                let docx: Vec<PathBuf> = cases
                    .iter()
                    .filter(|c| c.layout.libreoffice_target(c.family) == to)
                    .map(|c| lab_docx(dir, &c.file))
                    .collect();
                family::libreoffice::convert_all(&soffice, dir, &docx, to)?;
            }
        }
        Ok(())
    }

    /// The Markdown and text layouts pandoc writes from the case's DOCX.
    fn convert_by_pandoc(&mut self, dir: &Path, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.converter(c.family) == Some(Converter::Pandoc);
        for (converted, to) in [(Family::Markdown, "gfm"), (Family::Text, "plain")] {
            let pairs: Vec<(PathBuf, PathBuf)> = self
                .cases
                .iter()
                .filter(|c| c.family == converted && by_it(c))
                .map(|c| (lab_docx(dir, &c.file), c.file.clone()))
                .collect();
            if pairs.is_empty() {
                continue;
            }
            match family::pandoc::pandoc() {
                Some(pandoc) => family::pandoc::convert_all(&pandoc, &pairs, "docx", to)?,
                None => self.skip("pandoc", options, |c| c.family == converted && by_it(c))?,
            }
        }
        Ok(())
    }

    /// The layouts the lab makes from a file written before: an RTF's text in its code page,
    /// a web page saved as a single file web page (MHT), a PDF's pages stamped, a PDF's
    /// fonts set by a predefined CMap (UCS-2 in even variants, GBK in odd ones), a PDF's
    /// pages turned (/Rotate 90 in even variants, 270 in odd ones), a Word 97 file's
    /// spreadsheet objects given their workbooks as Word keeps them.
    fn rewrite_by_the_lab(&mut self, dir: &Path) -> Result<(), LabError> {
        for case in self
            .cases
            .iter()
            .filter(|c| c.layout == Layout::DocEmbeddedSheets)
        {
            family::embedded_sheet::keep_workbooks_as_word(&case.file, &lab_docx(dir, &case.file))?;
        }
        for case in self.cases.iter().filter(|c| c.layout == Layout::PdfStamped) {
            family::stamp::stamp(&case.file)?;
        }
        for case in self
            .cases
            .iter()
            .filter(|c| c.layout == Layout::PdfCmapFonts)
        {
            let cmap = match case.variant % 2 {
                0 => family::cmap_fonts::Cmap::Ucs2,
                _ => family::cmap_fonts::Cmap::Gbk,
            };
            family::cmap_fonts::recode(&case.file, cmap)?;
        }
        for case in self.cases.iter().filter(|c| c.layout == Layout::PdfTurned) {
            family::stamp::turn(&case.file, [90, 270][case.variant % 2])?;
        }
        for case in self
            .cases
            .iter()
            .filter(|c| c.layout == Layout::RtfCodePage)
        {
            family::rtf::rewrite_in_code_page(&case.file)?;
        }
        for case in self
            .cases
            .iter_mut()
            .filter(|c| c.layout == Layout::HtmlArchive)
        {
            case.file = family::mht::archive(&case.file)?;
        }
        Ok(())
    }

    /// The PDFs Chromium prints from the cases' web pages (a text case's beside it, for
    /// pdftotext to lay out).
    fn print_by_chromium(&mut self, dir: &Path, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.converter(c.family) == Some(Converter::Chromium);
        let pages: Vec<(PathBuf, PathBuf)> = self
            .cases
            .iter()
            .filter(|c| by_it(c))
            .map(|c| (lab_page(dir, &c.file), c.file.with_extension("pdf")))
            .collect();
        if pages.is_empty() {
            return Ok(());
        }
        match family::chromium::chromium() {
            Some(program) => family::chromium::print_all(&program, dir, &pages),
            None => self.skip("Chromium (browser-print)", options, by_it),
        }
    }

    /// The lab pages whose tables become pictures (Chromium prints each table, pdftoppm
    /// renders it), before Chromium prints the pages.
    fn picture_tables(&mut self, dir: &Path, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.family == Family::Pictures;
        let pages: Vec<(PathBuf, bool)> = self
            .cases
            .iter()
            .filter(|c| by_it(c))
            .map(|c| (lab_page(dir, &c.file), c.layout.png_pictures()))
            .collect();
        if pages.is_empty() {
            return Ok(());
        }
        if nianbao_ingest::ocr::tools().is_err() {
            let program = "tesseract with its chi_sim model (tesseract-ocr-chi-sim)";
            return self.skip(program, options, by_it);
        }
        match (family::chromium::chromium(), family::scan::pdftoppm()) {
            (Some(chromium), Some(pdftoppm)) => {
                family::picture_tables::picture_all(&chromium, &pdftoppm, dir, &pages)
            }
            _ => self.skip("Chromium and pdftoppm (picture-tables)", options, by_it),
        }
    }

    /// The Word files pandoc writes from the cases' web pages (with the pictures beside them).
    fn word_files_by_pandoc(&mut self, dir: &Path, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.converter(c.family) == Some(Converter::PandocFromPage);
        let pairs: Vec<(PathBuf, PathBuf)> = self
            .cases
            .iter()
            .filter(|c| by_it(c))
            .map(|c| (lab_page(dir, &c.file), c.file.clone()))
            .collect();
        if pairs.is_empty() {
            return Ok(());
        }
        match family::pandoc::pandoc() {
            Some(pandoc) => family::pandoc::convert_all(&pandoc, &pairs, "html", "docx"),
            None => self.skip("pandoc", options, by_it),
        }
    }

    /// The web pages the lab saves with their pictures (a page and its folder, or an
    /// archive).
    fn save_pages_with_pictures(&mut self, dir: &Path) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.converter(c.family) == Some(Converter::SavedPage);
        let pages: Vec<(PathBuf, PathBuf)> = self
            .cases
            .iter()
            .filter(|c| by_it(c))
            .map(|c| (lab_page(dir, &c.file), c.file.clone()))
            .collect();
        family::saved_page::save_all(&pages)
    }

    /// The PDFs qpdf encrypts.
    fn encrypt_by_qpdf(&mut self, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout == Layout::PdfEncrypted;
        let pdfs: Vec<(PathBuf, usize)> = self
            .cases
            .iter()
            .filter(|c| by_it(c))
            .map(|c| (c.file.clone(), c.variant))
            .collect();
        if pdfs.is_empty() {
            return Ok(());
        }
        match family::qpdf::qpdf() {
            Some(program) => family::qpdf::encrypt_all(&program, &pdfs),
            None => self.skip("qpdf", options, by_it),
        }
    }

    /// The texts pdftotext extracts from the cases' PDFs.
    fn extract_by_pdftotext(&mut self, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.pdftotext().is_some();
        let pairs = self.files_and_layouts(by_it);
        if pairs.is_empty() {
            return Ok(());
        }
        match family::pdftotext::pdftotext() {
            Some(program) => family::pdftotext::extract_all(&program, &pairs),
            None => self.skip("pdftotext (poppler-utils)", options, by_it),
        }
    }

    /// The OFDs `pdf2ofd.py` writes from the cases' PDFs.
    fn convert_to_ofd(&mut self, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.layout.ofd_style().is_some();
        let pairs = self.files_and_layouts(by_it);
        if pairs.is_empty() {
            return Ok(());
        }
        match family::ofd::python() {
            Some(python) => family::ofd::convert_all(&python, &pairs),
            None => self.skip("Python 3 with pdfminer.six (OFD)", options, by_it),
        }
    }

    /// The scans pdftoppm renders from the cases' PDFs.
    fn scan_by_pdftoppm(&mut self, options: &Options) -> Result<(), LabError> {
        let by_it = |c: &Case| c.family == Family::Scan;
        let pairs = self.files_and_layouts(by_it);
        if pairs.is_empty() {
            return Ok(());
        }
        if nianbao_ingest::ocr::tools().is_err() {
            let program = "tesseract with its chi_sim model (tesseract-ocr-chi-sim)";
            return self.skip(program, options, by_it);
        }
        match family::scan::pdftoppm() {
            Some(program) => family::scan::scan_all(&program, &pairs),
            None => self.skip("pdftoppm (poppler-utils)", options, by_it),
        }
    }

    /// The file and layout of each case `by_it`: what a converter that writes a case's file
    /// from the one beside it is given.
    fn files_and_layouts(&self, by_it: impl Fn(&Case) -> bool) -> Vec<(PathBuf, Layout)> {
        self.cases
            .iter()
            .filter(|c| by_it(c))
            .map(|c| (c.file.clone(), c.layout))
            .collect()
    }

    /// Without the program that writes some of a family's cases (those `by_it`): an error
    /// when converters are required, otherwise those cases are left out and the family is
    /// said to be skipped.
    fn skip(
        &mut self,
        program: &str,
        options: &Options,
        by_it: impl Fn(&Case) -> bool,
    ) -> Result<(), LabError> {
        if options.require_converters {
            return Err(LabError::Converter(format!(
                "{program} is not installed; it is required here"
            )));
        }
        for family in Family::ALL {
            if self.cases.iter().any(|c| c.family == family && by_it(c)) {
                let reason = format!("{program} is not installed");
                self.skipped.push((family, reason));
            }
        }
        self.cases.retain(|c| !by_it(c));
        Ok(())
    }
}

fn make_case(
    gold: &Gold,
    index: usize,
    family: Family,
    variant: usize,
    seed: u64,
    dir: &Path,
) -> Result<Case, LabError> {
    let layouts = family.layouts();
    let layout = layouts[(variant + index) % layouts.len()];
    let mut rng = Rng::for_parts(seed, &[&gold.name, family.name(), &variant.to_string()]);
    let words = Words::random(&mut rng);
    let style = ValueStyle::random(&mut rng);
    let printer = Printer {
        gold,
        words: &words,
        style: &style,
    };
    // The title's arrangement and the page furniture draw from their own stream, so that
    // varying them leaves the tables of every case as they were.
    let mut arrangement = Rng::for_parts(
        seed,
        &[&gold.name, family.name(), &variant.to_string(), "identity"],
    );
    let composed = narrative::compose(&printer, &mut rng, &mut arrangement);
    let bytes = family::render(&composed, family, layout, &mut rng);
    let stem = format!(
        "{}-{}-{}-{variant:02}",
        gold.name,
        family.name(),
        layout.name()
    );
    let file = dir.join(format!("{stem}.{}", layout.extension(family)));
    let written = match layout.converter(family) {
        Some(Converter::Chromium | Converter::PandocFromPage | Converter::SavedPage) => {
            lab_page(dir, &file)
        }
        Some(_) => lab_docx(dir, &file),
        None => file.clone(),
    };
    if let Some(folder) = written.parent() {
        std::fs::create_dir_all(folder).map_err(|e| LabError::Io(folder.to_path_buf(), e))?;
    }
    std::fs::write(&written, bytes).map_err(|e| LabError::Io(written.clone(), e))?;
    Ok(Case {
        gold: gold.name.clone(),
        family,
        layout,
        variant,
        style: style.tags(),
        file,
    })
}

/// The lab's DOCX that LibreOffice or pandoc converts into a case's `file`: in a folder of its own,
/// so that a DOCX saved again does not overwrite its source.
fn lab_docx(dir: &Path, file: &Path) -> PathBuf {
    let name = file.file_stem().map(PathBuf::from).unwrap_or_default();
    dir.join("lab-docx").join(name).with_extension("docx")
}

/// The lab's web page that Chromium prints into a case's `file`.
fn lab_page(dir: &Path, file: &Path) -> PathBuf {
    let name = file.file_stem().map(PathBuf::from).unwrap_or_default();
    dir.join("lab-page").join(name).with_extension("html")
}

fn read_case(case: Case, gold: &Gold, reader: &Reader) -> Outcome {
    let mut outcome = Outcome {
        cells: gold.cells.len(),
        right: 0,
        wrong: Vec::new(),
        extra: Vec::new(),
        era_right: false,
        parts_right: false,
        identity_right: false,
        identity_read: String::new(),
        missing: Vec::new(),
        false_errors: Vec::new(),
        reviews: Vec::new(),
        failure: None,
        case,
    };
    let name = outcome.case.file.to_string_lossy().into_owned();
    let read = std::fs::read(&outcome.case.file)
        .map_err(|e| e.to_string())
        .and_then(|bytes| reader(&name, &bytes));
    let read = match read {
        Ok(read) => read,
        Err(e) => {
            outcome.failure = Some(e);
            outcome.wrong = gold
                .cells
                .iter()
                .map(|(k, v)| WrongCell {
                    key: k.clone(),
                    gold: *v,
                    read: None,
                    silent: false,
                })
                .collect();
            return outcome;
        }
    };
    compare(&mut outcome, gold, &read);
    outcome
}

fn same(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * b.abs().max(1.0),
        _ => false,
    }
}

fn compare(outcome: &mut Outcome, gold: &Gold, read: &ReadBack) {
    let report = &read.report;
    for (key, expected) in &gold.cells {
        let got = report.value(key);
        match got {
            Some(value) if same(value, *expected) => outcome.right += 1,
            _ => outcome.wrong.push(WrongCell {
                key: key.clone(),
                gold: *expected,
                read: got,
                silent: report.cells.get(key).is_some_and(|c| c.doubt().is_none()),
            }),
        }
    }
    outcome.extra = report
        .cells
        .keys()
        .filter(|k| !gold.cells.contains_key(*k))
        .map(str::to_string)
        .collect();
    outcome.era_right = report.era == Some(gold.era);
    outcome.parts_right = match &gold.sections {
        Some(sections) => sections.iter().all(|(numeral, present)| {
            let found = report.sections.iter().any(|s| s.id.numeral() == numeral);
            found == *present
        }),
        None => true,
    };
    outcome.identity_right = report.year == Some(gold.year)
        && report.organ.as_deref() == Some(gold.organ.as_str())
        && gold
            .level
            .as_deref()
            .is_none_or(|l| report.level.map(|r| r.as_str()) == Some(l));
    outcome.identity_read = format!(
        "{}|{}|{}",
        report.organ.as_deref().unwrap_or("?"),
        report.year.map_or("?".to_string(), |y| y.to_string()),
        report.level.map_or("?", |l| l.as_str())
    );
    for wanted in gold
        .findings
        .iter()
        .filter(|f| !f.optional && TABLE_FAMILIES.contains(&f.family.as_str()))
    {
        if !read.findings.iter().any(|f| matches(f, wanted)) {
            outcome.missing.push(describe(wanted));
        }
    }
    for finding in read
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
    {
        if !gold.findings.iter().any(|g| matches(finding, g)) {
            let line = format!("{} {}", finding.rule, finding.message);
            match finding.fault {
                Fault::Report => outcome.false_errors.push(line),
                Fault::Reading => outcome.reviews.push(line),
            }
        }
    }
    // A blank the report did not leave, blamed on it: a warning, but it deducts, and it is
    // as false an accusation as an error.
    for finding in read
        .findings
        .iter()
        .filter(|f| f.family == nianbao_model::Family::BlankCell && f.fault == Fault::Report)
    {
        let printed: Vec<&str> = finding
            .cells
            .iter()
            .filter(|k| matches!(gold.cells.get(k.as_str()), Some(Some(_))))
            .map(String::as_str)
            .collect();
        if !printed.is_empty() {
            outcome.false_errors.push(format!(
                "{} {} (printed: {})",
                finding.rule,
                finding.message,
                printed.join(", ")
            ));
        }
    }
}

fn describe(finding: &GoldFinding) -> String {
    match &finding.section {
        Some(s) => format!("{} (part {s})", finding.family),
        None => format!("{} ({})", finding.family, finding.cells.join(", ")),
    }
}

/// Same family, and naming one of the gold's cells or its section when it names any.
fn matches(finding: &Finding, gold: &GoldFinding) -> bool {
    if finding.family.to_string() != gold.family {
        return false;
    }
    let section = finding.section.map(|s| s.numeral().to_string());
    (gold.cells.is_empty() && gold.section.is_none())
        || gold.cells.iter().any(|c| finding.cells.contains(c))
        || (gold.section.is_some() && section == gold.section)
}
