//! The flat tables behind CSV and XLSX: reports, findings, extracted cells.

use crate::Audited;
use nianbao_model::{catalog, format_number};

/// Rule metadata for renderers that describe rules (SARIF, JUnit, HTML).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RuleMeta {
    pub id: String,
    pub title: String,
    pub family: String,
    pub severity: String,
    pub doc: Option<String>,
    pub legal: Option<String>,
}

pub const REPORT_HEADER: [&str; 13] = [
    "文件 file",
    "机关 organ",
    "层级",
    "level",
    "年度 year",
    "格式 era",
    "发布日期 published",
    "得分 score",
    "等级 grade",
    "错误 errors",
    "警告 warnings",
    "需复核 to review",
    "无法读取 unreadable",
];
pub const FINDING_HEADER: [&str; 17] = [
    "文件 file",
    "机关 organ",
    "年度 year",
    "规则 rule",
    "类别",
    "family",
    "级别",
    "severity",
    "说明 message",
    "提示 hint",
    "单元格 cells",
    "部分 section",
    "行 line",
    "列 column",
    "对比报告 compared_with",
    "归责 fault",
    "复核说明 fault_reason",
];

/// A level as the office reads it.
pub fn level_zh(level: nianbao_model::Level) -> &'static str {
    use nianbao_model::Level;
    match level {
        Level::ProvincialGovernment => "省级政府",
        Level::CityGovernment => "市级政府",
        Level::CountyGovernment => "县级政府",
        Level::Township => "乡镇（街道）",
        Level::Department => "政府部门",
    }
}

/// A severity as the office reads it.
pub fn severity_zh(severity: nianbao_model::Severity) -> &'static str {
    use nianbao_model::Severity;
    match severity {
        Severity::Error => "错误",
        Severity::Warning => "警告",
        Severity::Info => "提示",
    }
}

/// A family as the office reads it.
pub fn family_zh(family: nianbao_model::Family) -> &'static str {
    use nianbao_model::Family;
    match family {
        Family::Balance => "表三收支平衡",
        Family::RowSum => "行合计",
        Family::ColSum => "列合计",
        Family::T4Sum => "表四合计",
        Family::OldSum => "旧表合计",
        Family::MissingSection => "缺少部分",
        Family::MissingTable => "缺少表格",
        Family::EraMismatch => "格式与年度不符",
        Family::TextTable => "正文与表格不符",
        Family::BlankCell => "空白单元格",
        Family::Semantic => "内容与常理不符",
        Family::StaleYear => "沿用往年内容",
        Family::Numbering => "序号错误",
        Family::StatPeriod => "统计期限",
        Family::NoDate => "没有日期",
        Family::Late => "逾期公布",
        Family::Extraction => "读取限制",
    }
}

/// What to do about a finding: a possible misreading is checked against the original.
fn hint(f: &nianbao_model::Finding) -> String {
    match crate::review_note(f) {
        Some(note) => format!("请对照原文核对：{note}"),
        None => String::new(),
    }
}

/// One row per file, ranked: scored reports by score, then files that got no score, then
/// files that could not be read.
pub fn report_rows(results: &[Audited]) -> Vec<Vec<String>> {
    let mut ranked: Vec<&Audited> = results.iter().collect();
    ranked.sort_by(|a, b| crate::ranking_order(a, b));
    ranked
        .into_iter()
        .map(|r| match &r.outcome {
            Ok(a) => {
                let rep = &a.report;
                let count = |s| a.count(s).to_string();
                vec![
                    r.file.clone(),
                    rep.organ.clone().unwrap_or_default(),
                    rep.level
                        .map(|l| level_zh(l).to_string())
                        .unwrap_or_default(),
                    rep.level
                        .map(|l| l.as_str().to_string())
                        .unwrap_or_default(),
                    rep.year.map(|y| y.to_string()).unwrap_or_default(),
                    rep.era.map(|e| e.to_string()).unwrap_or_default(),
                    rep.published.map(|d| d.to_string()).unwrap_or_default(),
                    a.score.shown(),
                    match &a.score.unscored {
                        Some(why) => format!("{}：{why}", a.score.grade),
                        None => a.score.grade.clone(),
                    },
                    count(nianbao_model::Severity::Error),
                    count(nianbao_model::Severity::Warning),
                    a.to_review().to_string(),
                    String::new(),
                ]
            }
            Err(e) => {
                let mut row = vec![String::new(); REPORT_HEADER.len()];
                row[0] = r.file.clone();
                row[REPORT_HEADER.len() - 1] = e.clone();
                row
            }
        })
        .collect()
}

/// One row per finding; a file that could not be read gets one row saying why, so a
/// spreadsheet of findings never silently drops it.
pub fn finding_rows(results: &[Audited]) -> Vec<Vec<String>> {
    let reviewed = any_review(results);
    let width = finding_header(results).len();
    let mut rows: Vec<Vec<String>> = Vec::new();
    for r in results {
        let a = match &r.outcome {
            Ok(a) => a,
            Err(reason) => {
                rows.push(unreadable_row(&r.file, reason));
                continue;
            }
        };
        if let Some(why) = &a.score.unscored {
            rows.push(unscored_row(&r.file, why));
        }
        for (i, f) in a.findings.iter().enumerate() {
            rows.push(vec![
                r.file.clone(),
                a.report.organ.clone().unwrap_or_default(),
                a.report.year.map(|y| y.to_string()).unwrap_or_default(),
                f.rule.clone(),
                family_zh(f.family).to_string(),
                f.family.to_string(),
                severity_zh(f.severity).to_string(),
                f.severity.to_string(),
                f.message.clone(),
                hint(f),
                f.cells.join(" "),
                f.section
                    .map(|s| s.numeral().to_string())
                    .unwrap_or_default(),
                f.span.map(|s| s.line.to_string()).unwrap_or_default(),
                f.span.map(|s| s.column.to_string()).unwrap_or_default(),
                f.compared_with().unwrap_or_default().to_string(),
                f.fault.label().to_string(),
                f.fault_reason.clone().unwrap_or_default(),
            ]);
            if reviewed {
                let review = a.review(i);
                let row = rows.last_mut().expect("just pushed");
                row.push(
                    review
                        .map(|r| r.decision.label())
                        .unwrap_or_default()
                        .into(),
                );
                row.push(review.map(|r| r.reason.clone()).unwrap_or_default());
                row.push(review.map(|r| r.reviewer.clone()).unwrap_or_default());
            }
        }
    }
    for row in &mut rows {
        row.resize(width, String::new());
    }
    rows
}

/// Whether any finding of the results was reviewed (the workbench's exports): the findings
/// then get the review's columns.
fn any_review(results: &[Audited]) -> bool {
    results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok())
        .any(|a| a.reviews.iter().any(Option::is_some))
}

/// The findings' header: with the review's columns when there are reviews.
pub fn finding_header(results: &[Audited]) -> Vec<String> {
    finding_header_with(any_review(results))
}

fn finding_header_with(reviews: bool) -> Vec<String> {
    let mut header: Vec<String> = FINDING_HEADER.map(String::from).to_vec();
    if reviews {
        header.extend(REVIEW_HEADER.map(String::from));
    }
    header
}

pub const REVIEW_HEADER: [&str; 3] = ["审核结论 review", "审核理由 reason", "审核人 reviewer"];

/// The findings row of a file that was read but not scored: pseudo-rule FILE.UNSCORED.
fn unscored_row(file: &str, reason: &str) -> Vec<String> {
    let mut row = vec![String::new(); FINDING_HEADER.len()];
    row[0] = file.to_string();
    row[3] = "FILE.UNSCORED".to_string();
    row[6] = severity_zh(nianbao_model::Severity::Warning).to_string();
    row[7] = "warning".to_string();
    row[8] = format!("{}：{reason}", crate::UNSCORED_GRADE);
    row
}

/// The findings row of a file that could not be read: pseudo-rule FILE.UNREADABLE, an error.
fn unreadable_row(file: &str, reason: &str) -> Vec<String> {
    let mut row = vec![String::new(); FINDING_HEADER.len()];
    row[0] = file.to_string();
    row[3] = "FILE.UNREADABLE".to_string();
    row[6] = severity_zh(nianbao_model::Severity::Error).to_string();
    row[7] = "error".to_string();
    row[8] = format!("无法读取：{reason}");
    row
}

/// One row per report, one column per canonical key; the header gives each key's Chinese
/// label and the key. Blank cells are empty, absent cells too (the table was not there).
pub fn cell_rows(results: &[Audited]) -> (Vec<String>, Vec<Vec<String>>) {
    let keys: Vec<&str> = catalog().fields().iter().map(|f| f.key).collect();
    let mut header = vec![
        "文件 file".to_string(),
        "机关 organ".to_string(),
        "年度 year".to_string(),
        "格式 era".to_string(),
    ];
    header.extend(keys.iter().map(|k| format!("{} {k}", catalog().label(k))));
    let rows = results
        .iter()
        .filter_map(|r| r.outcome.as_ref().ok().map(|a| (r, a)))
        .map(|(r, a)| {
            let mut row = vec![
                r.file.clone(),
                a.report.organ.clone().unwrap_or_default(),
                a.report.year.map(|y| y.to_string()).unwrap_or_default(),
                a.report.era.map(|e| e.to_string()).unwrap_or_default(),
            ];
            row.extend(keys.iter().map(|k| {
                a.report
                    .value(k)
                    .flatten()
                    .map(format_number)
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    (header, rows)
}

/// RFC 4180 CSV (the `csv` crate's writer) with a UTF-8 BOM, which Excel and WPS need to
/// read Chinese correctly; an empty header writes the rows alone.
pub fn csv(header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    let header = Some(header).filter(|h| !h.is_empty());
    for row in header.into_iter().chain(rows.iter().map(Vec::as_slice)) {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(row);
    }
    let bytes = writer.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&bytes))
}

/// CSV rows (no header) of findings, for streaming.
pub fn audit_csv_rows(results: &[Audited]) -> String {
    let header: Vec<String> = Vec::new();
    let text = csv(&header, &finding_rows(results));
    text.trim_start_matches('\u{feff}').to_string()
}

pub fn audit_csv(results: &[Audited]) -> String {
    let header: Vec<String> = FINDING_HEADER.iter().map(|s| s.to_string()).collect();
    csv(&header, &finding_rows(results))
}

/// CSV rows (no header) of extracted cells, for streaming.
pub fn extract_csv_rows(results: &[Audited]) -> String {
    let header: Vec<String> = Vec::new();
    let text = csv(&header, &cell_rows(results).1);
    text.trim_start_matches('\u{feff}').to_string()
}

/// The header of extracted cells' CSV (with its BOM), for streaming.
pub fn extract_csv_header() -> String {
    csv(&cell_rows(&[]).0, &[])
}

pub fn extract_csv(results: &[Audited]) -> String {
    let (header, rows) = cell_rows(results);
    csv(&header, &rows)
}

/// A date as printed ("2020-01-22", "2020-01", "2020") as a spreadsheet date and the
/// format that shows it as precisely as it was printed.
fn spreadsheet_date(text: &str) -> Option<(rust_xlsxwriter::ExcelDateTime, &'static str)> {
    let parts: Vec<u16> = text
        .split('-')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    let (year, month, day, format) = match parts.as_slice() {
        [y, m, d] => (*y, *m as u8, *d as u8, "yyyy-mm-dd"),
        [y, m] => (*y, *m as u8, 1, "yyyy-mm"),
        [y] => (*y, 1, 1, "yyyy"),
        _ => return None,
    };
    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day).ok()?;
    Some((date, format))
}

/// A sheet's columns, learned row by row as the rows come: how wide each one's widest value
/// is as a spreadsheet draws it (CJK two), and whether every value it has is a number.
#[derive(Debug, Default, Clone)]
pub struct SheetShape {
    widest: Vec<usize>,
    /// Columns with a value that is not a number.
    not_numeric: Vec<bool>,
    rows: u32,
}

impl SheetShape {
    pub fn add(&mut self, row: &[String]) {
        if self.widest.len() < row.len() {
            self.widest.resize(row.len(), 0);
            self.not_numeric.resize(row.len(), false);
        }
        for (c, value) in row.iter().enumerate() {
            self.widest[c] =
                self.widest[c].max(unicode_width::UnicodeWidthStr::width(value.as_str()));
            self.not_numeric[c] |= !value.is_empty() && value.parse::<f64>().is_err();
        }
        self.rows += 1;
    }

    /// A column's width in characters: its widest value or header, within bounds.
    fn width(&self, header: &str, column: usize) -> f64 {
        let widest = self.widest.get(column).copied().unwrap_or(0);
        (widest.max(unicode_width::UnicodeWidthStr::width(header)) + 2).clamp(6, 60) as f64
    }

    /// Whether a column holds numbers: every value it has is one, and it is not a code
    /// that looks like one (the era "2019" is a template's name).
    fn numeric(&self, header: &str, column: usize) -> bool {
        !header.contains("era") && !self.not_numeric.get(column).copied().unwrap_or(false)
    }
}

/// One sheet of a workbook: its rows (in order, as many as its shape counted) and their
/// shape.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub header: Vec<String>,
    pub shape: &'a SheetShape,
    /// Columns kept in view with the header.
    pub frozen_columns: u16,
    pub rows: &'a mut dyn Iterator<Item = Result<Vec<String>, String>>,
}

/// A workbook of sheets, each with its header frozen, an autofilter, columns as wide as
/// their content and one type per column. Each sheet is written in "low memory" mode: a
/// row goes to a temporary file once the next is begun, only the distinct strings stay in
/// memory.
pub fn workbook(sheets: Vec<Sheet>) -> Result<Vec<u8>, String> {
    // rust_xlsxwriter opens each sheet's temporary file in the system's temporary folder
    // and panics when it cannot: a folder it cannot write in is told first, and any other
    // panic of the writer is an error too.
    temporary_files_can_be_made_in(&std::env::temp_dir())?;
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write_workbook(sheets)))
        .unwrap_or_else(|_| Err("the workbook writer failed (see the message above)".to_string()))
}

/// Whether a file can be made in a folder (the system's temporary folder: the workbook's
/// sheets are written there first).
fn temporary_files_can_be_made_in(dir: &std::path::Path) -> Result<(), String> {
    let probe = dir.join(format!(".nianbao-probe-{}", std::process::id()));
    let made = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(&probe);
    let _ = std::fs::remove_file(&probe);
    made.map(drop).map_err(|e| {
        format!(
            "the workbook's sheets are written to the temporary folder {} first, which cannot be written to: {e}",
            dir.display()
        )
    })
}

fn write_workbook(sheets: Vec<Sheet>) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let (header, shape) = (&sheet.header, sheet.shape);
        let ws = book.add_worksheet_with_low_memory();
        ws.set_name(sheet.name).map_err(|e| e.to_string())?;
        for (c, h) in header.iter().enumerate() {
            ws.set_column_width(c as u16, shape.width(h, c))
                .map_err(|e| e.to_string())?;
        }
        ws.set_freeze_panes(1, sheet.frozen_columns)
            .map_err(|e| e.to_string())?;
        if !header.is_empty() {
            ws.autofilter(0, 0, shape.rows, header.len() as u16 - 1)
                .map_err(|e| e.to_string())?;
        }
        for (c, h) in header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)
                .map_err(|e| e.to_string())?;
        }
        let numeric: Vec<bool> = header
            .iter()
            .enumerate()
            .map(|(c, h)| shape.numeric(h, c))
            .collect();
        // Publication dates are dates, shown as precisely as the report printed them.
        let dates: Vec<bool> = header.iter().map(|h| h == REPORT_HEADER[6]).collect();
        for (r, row) in sheet.rows.enumerate() {
            for (c, v) in row?.iter().enumerate() {
                let (r, c16) = (r as u32 + 1, c as u16);
                if v.is_empty() {
                    continue;
                }
                let is_date = dates.get(c).copied().unwrap_or(false);
                let date = is_date.then(|| spreadsheet_date(v)).flatten();
                let written = match (date, v.parse::<f64>()) {
                    (Some((date, shown)), _) => {
                        let format = Format::new().set_num_format(shown);
                        ws.write_datetime_with_format(r, c16, &date, &format)
                    }
                    (None, Ok(n)) if numeric.get(c).copied().unwrap_or(false) => {
                        ws.write_number(r, c16, n)
                    }
                    _ => ws.write_string(r, c16, v),
                };
                written.map_err(|e| e.to_string())?;
            }
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// One report's rows of the audit's workbook, made on any worker.
pub struct WorkbookRows {
    standing: crate::Standing,
    file: String,
    report: Vec<String>,
    findings: Vec<Vec<String>>,
    cells: Option<Vec<String>>,
    reviewed: bool,
}

impl WorkbookRows {
    pub fn of(r: &Audited) -> WorkbookRows {
        let one = std::slice::from_ref(r);
        WorkbookRows {
            standing: crate::Standing::of(r),
            file: r.file.clone(),
            report: report_rows(one).pop().unwrap_or_default(),
            findings: finding_rows(one),
            cells: cell_rows(one).1.pop(),
            reviewed: any_review(one),
        }
    }
}

/// The audit's workbook made as the batch goes: each report's row of 报告 kept (they are
/// ranked at the end), the rows of 问题 and 数据 handed back to be set aside, each sheet's
/// shape learned.
#[derive(Default)]
pub struct WorkbookStream {
    reports: Vec<(crate::Standing, String, Vec<String>)>,
    shapes: [SheetShape; 3],
    reviewed: bool,
}

impl WorkbookStream {
    /// Notes a report's rows; gives back its findings' rows and its cells' row.
    pub fn note(&mut self, rows: WorkbookRows) -> (Vec<Vec<String>>, Option<Vec<String>>) {
        self.shapes[0].add(&rows.report);
        rows.findings.iter().for_each(|row| self.shapes[1].add(row));
        if let Some(cells) = &rows.cells {
            self.shapes[2].add(cells);
        }
        self.reviewed |= rows.reviewed;
        self.reports.push((rows.standing, rows.file, rows.report));
        (rows.findings, rows.cells)
    }

    /// The workbook, from the rows set aside, in the order they were handed back; an
    /// extraction's (without `with_findings`) has the 数据 sheet alone.
    pub fn finish(
        mut self,
        with_findings: bool,
        findings: &mut dyn Iterator<Item = Result<Vec<String>, String>>,
        cells: &mut dyn Iterator<Item = Result<Vec<String>, String>>,
    ) -> Result<Vec<u8>, String> {
        self.reports
            .sort_by(|a, b| crate::Standing::order((a.0, &a.1), (b.0, &b.1)));
        let mut reports = self.reports.into_iter().map(|(_, _, row)| Ok(row));
        let mut sheets = Vec::new();
        if with_findings {
            sheets.push(Sheet {
                name: "报告",
                header: REPORT_HEADER.map(String::from).to_vec(),
                shape: &self.shapes[0],
                frozen_columns: 0,
                rows: &mut reports,
            });
            sheets.push(Sheet {
                name: "问题",
                header: finding_header_with(self.reviewed),
                shape: &self.shapes[1],
                frozen_columns: 0,
                rows: findings,
            });
        }
        sheets.push(Sheet {
            name: "数据",
            header: cell_rows(&[]).0,
            shape: &self.shapes[2],
            frozen_columns: 2,
            rows: cells,
        });
        workbook(sheets)
    }
}

/// A workbook: 报告 (reports with scores), 问题 (findings), 数据 (extracted cells); 数据
/// keeps its file and organ columns in view. Made as the audit's streamed workbook is, its
/// rows kept in memory.
pub fn xlsx(results: &[Audited], with_findings: bool) -> Result<Vec<u8>, String> {
    let mut stream = WorkbookStream::default();
    let (mut findings, mut cells) = (Vec::new(), Vec::new());
    for r in results {
        let (report_findings, report_cells) = stream.note(WorkbookRows::of(r));
        findings.extend(report_findings);
        cells.extend(report_cells);
    }
    stream.finish(
        with_findings,
        &mut findings.into_iter().map(Ok),
        &mut cells.into_iter().map(Ok),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_temporary_folder_that_cannot_be_written_to_is_named() {
        assert!(super::temporary_files_can_be_made_in(&std::env::temp_dir()).is_ok());
        let missing = std::env::temp_dir().join("nianbao-no-such-folder/below");
        let error = super::temporary_files_can_be_made_in(&missing).unwrap_err();
        assert!(error.contains("nianbao-no-such-folder"), "{error}");
    }

    #[test]
    fn printed_dates_become_spreadsheet_dates() {
        assert_eq!(
            super::spreadsheet_date("2022-02-08").map(|d| d.1),
            Some("yyyy-mm-dd")
        );
        assert_eq!(
            super::spreadsheet_date("2020-01").map(|d| d.1),
            Some("yyyy-mm")
        );
        assert!(super::spreadsheet_date("二〇二〇年").is_none());
    }
}
