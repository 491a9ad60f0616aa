//! Kind `required_tables`: the tables a part must carry. A part that prints a table's
//! words and figures without nianbao reading them, or that holds a picture (a table may be
//! printed as one), is said to be the reading's fault.

use crate::check::{section_of_table, Draft};
use nianbao_model::{catalog, Fault, Picture, Report, SectionId, TableId};

/// A table is missing when its part is there without it (a missing part is its own finding).
pub(crate) fn missing_tables(report: &Report, ids: &[TableId]) -> Vec<Draft> {
    ids.iter()
        .filter(|id| report.table(**id).is_none())
        .filter_map(|id| {
            let section = section_of_table(*id);
            let span = match section {
                Some(s) => Some(report.section(s)?.span),
                None => None,
            };
            let mut d = Draft::new();
            d.section = section;
            d.span = span;
            d.vars.insert("table", id.name().to_string());
            if let Some(s) = section.filter(|s| printed_unread(report, *id, *s)) {
                d.fault = Fault::Reading;
                d.fault_reason = Some(format!(
                    "第{}部分印有{}的表头和数字，nianbao 未能读出该表（例如网页抓取时文字连在了一起），不能断定报告缺表",
                    s.numeral(),
                    id.name()
                ));
            } else if let Some(picture) = picture_in(report, section) {
                d.fault = Fault::Reading;
                d.fault_reason = Some(format!(
                    "{}有图片，{}可能以图片印出（nianbao 只在用 --ocr 时识别 PDF、Word（DOCX）文件和网页（含 MHT）中的图片，也未必读得出），不能断定报告缺表",
                    match section {
                        Some(s) => format!("第{}部分", s.numeral()),
                        None => "报告".to_string(),
                    },
                    id.name()
                ));
                d.span = d.span.or(Some(picture.span));
            }
            Some(d)
        })
        .collect()
}

/// The first picture in the part (anywhere in the report for a table of no part: the old
/// form's, printed after the parts).
fn picture_in(report: &Report, section: Option<SectionId>) -> Option<&Picture> {
    report
        .pictures
        .iter()
        .find(|p| section.is_none() || p.section == section)
}

/// Whether a part's text shows the table nianbao did not read: at least three of the
/// table's own row and column words (from the cell catalogue) and numbers beside them.
fn printed_unread(report: &Report, id: TableId, section: SectionId) -> bool {
    let cjk = |t: &str| -> String { t.chars().filter(|c| *c as u32 >= 0x4e00).collect() };
    let text: String = report
        .text
        .iter()
        .filter(|l| l.section == Some(section))
        .map(|l| l.text.as_str())
        .collect();
    let digits = text.chars().filter(|c| c.is_ascii_digit()).count();
    let prefix = id.key_prefix();
    let mut words: Vec<String> = catalog()
        .fields()
        .iter()
        .filter(|f| f.key.starts_with(prefix))
        .flat_map(|f| f.row.iter().chain(&f.col).map(|w| cjk(w)))
        .filter(|w| w.chars().count() >= 2)
        .collect();
    words.sort();
    words.dedup();
    let plain = cjk(&text);
    let printed = words.iter().filter(|w| plain.contains(w.as_str())).count();
    printed >= 3 && digits >= 5
}
