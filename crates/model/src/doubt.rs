//! Why nianbao is not sure it read a cell right: set by the reader where it takes a
//! reading it cannot check, told to the office (in Chinese) by every finding that rests on
//! the cell, so that the finding asks for review (需复核) instead of accusing the report.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a cell's reading is uncertain (`Cell::doubt`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Doubt {
    /// Another reading of the same file gave another value here (the text layer of a PDF
    /// against its ruled table); `read` is that value, `None` for blank.
    OtherReading { read: Option<f64> },
    /// No grid of the table gave the cell: it was read by the order of the values in the
    /// text.
    ByValueOrder,
    /// Cut out of digits that ran together (`printed`) as `taken`, when other cuts fit the
    /// table's arithmetic too (`others`, a few of them) or none does (`fits` false), or
    /// when the row has no arithmetic to check the one cut and the digits may be its
    /// values as printed, the other cells blank (`unchecked`).
    RunTogether {
        printed: String,
        taken: String,
        others: Vec<String>,
        fits: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        unchecked: bool,
    },
    /// A row's values were put in order from the first column without their columns
    /// showing: they may stand in other columns.
    PlacedInOrder(Placement),
    /// Most of the table's cells were not found: a blank may be a value printed where the
    /// reading did not look.
    BlankMayBeElsewhere { found: usize, wanted: usize },
    /// The table's labels and values were printed apart (text extracted in reading
    /// order): the value was taken by its place in the form's order of rows and columns.
    InTableOrder,
    /// Read from a PDF table without ruling lines, by where its text lines up.
    PdfAligned,
    /// Read from columns of plain text lined up with spaces.
    TextColumns,
    /// Read from a scan's text as OCR recognised it (nianbao's OCR or the file's own OCR
    /// layer): a digit may have been misread.
    Recognised,
    /// Read from a picture in a typed document (a table printed as a picture) as OCR
    /// recognised it: a digit may have been misread.
    RecognisedPicture,
}

/// Why a row's values were put in order (`Doubt::PlacedInOrder`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum Placement {
    /// Fewer values than cells, and no blank printed for the rest.
    FewerValues { values: usize, cells: usize },
    /// More values than cells: some are not the row's, or numbers were cut into digits.
    MoreValues { values: usize, cells: usize },
    /// Values left over beside the row, maybe digits of its cells wrapped over lines.
    WrappedDigits { values: usize },
    /// Row labels printed one after another, their values apart from them.
    LabelsApart { rows: usize },
    /// Digits that ran together and that no cut into the row's cells fits: read as printed.
    Uncut { printed: String, cells: usize },
    /// The table's header names a column twice or not at all.
    HeaderUnclear,
    /// The row does not add up as printed, but its digits cut another way (`cut`) do: the
    /// spaces between them may not be where its cells end (full-width digits of narrow
    /// columns set close together, a number wrapped apart).
    OtherCutAddsUp { printed: String, cut: String },
    /// A value printed with a leading zero ("03", "00"), in the row or the next: no count
    /// has one, so digits of two cells ran together (a number wrapped in a narrow column,
    /// its last digit set before the next row's first value).
    LeadingZero { printed: String },
}

/// What the office reads: why the cell may have been misread.
impl fmt::Display for Doubt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Doubt::OtherReading { read } => match read {
                Some(value) => write!(
                    f,
                    "PDF/OFD 的文字层在此处读作 {}",
                    crate::format_number(*value)
                ),
                None => f.write_str("PDF/OFD 的文字层在此处为空白"),
            },
            Doubt::ByValueOrder => f.write_str("表格没有可依的网格，按文本中数值的先后读出"),
            Doubt::RunTogether {
                printed,
                taken,
                unchecked: true,
                ..
            } => write!(
                f,
                "由连在一起的数字“{printed}”切为 {taken}，本行没有可核对的算术：也可能就是印出的 {printed}，其余单元格为空"
            ),
            Doubt::RunTogether {
                printed,
                taken,
                others,
                fits: true,
                ..
            } => {
                write!(f, "由连在一起的数字“{printed}”切为 {taken}，另有切法")?;
                if let Some(other) = others.first() {
                    write!(f, "如 {other} ")?;
                }
                f.write_str("也符合表内算术")
            }
            Doubt::RunTogether {
                printed,
                taken,
                fits: false,
                ..
            } => write!(
                f,
                "由连在一起的数字“{printed}”切为 {taken}，没有一种切法符合本行算术，取了最可能的量级"
            ),
            // A row read as printed whose digits may belong to other cells.
            Doubt::PlacedInOrder(
                why @ (Placement::OtherCutAddsUp { .. } | Placement::LeadingZero { .. }),
            ) => write!(f, "{why}：按印出的样子读出，数值可能有误"),
            Doubt::PlacedInOrder(why) => {
                write!(f, "{why}：按顺序从第一列起放置，数值可能属于其他列")
            }
            Doubt::BlankMayBeElsewhere { found, wanted } => write!(
                f,
                "本表 {wanted} 个单元格只找到 {found} 个：空白处可能是印在未读到位置的数值"
            ),
            Doubt::InTableOrder => f.write_str(
                "文本按阅读顺序提取，表格的数值与标签分开印出，按表格式的行列顺序对位读出",
            ),
            Doubt::PdfAligned => {
                f.write_str("取自没有表格线的 PDF/OFD 表格，按文字对齐判断所在的列")
            }
            Doubt::TextColumns => f.write_str("取自以空格对齐的文本列，按对齐判断所在的列"),
            Doubt::Recognised => f.write_str("取自扫描件的文字识别结果，数字可能识别有误，请对照原件"),
            Doubt::RecognisedPicture => f.write_str(
                "取自文件中图片（以图片印出的表格）的文字识别结果，数字可能识别有误，请对照原件",
            ),
        }
    }
}

impl fmt::Display for Placement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placement::FewerValues { values, cells } => {
                write!(
                    f,
                    "本行应有 {cells} 个单元格，只印出 {values} 个数值且未标出空白"
                )
            }
            Placement::MoreValues { values, cells } if values > cells => {
                write!(f, "本行读到 {values} 个数值，多于其 {cells} 个单元格")
            }
            // As many values as cells, some a line each and some several to a line.
            Placement::MoreValues { values, .. } => write!(
                f,
                "本行的 {values} 个数值分印在几行，可能有窄列中换行印出的数字"
            ),
            Placement::WrappedDigits { values } => {
                write!(f, "本行旁多出 {values} 个数值，可能是窄列中换行印出的数字")
            }
            Placement::LabelsApart { rows } if *rows > 1 => {
                write!(f, "{rows} 个行标签接连印出，数值与标签分开")
            }
            Placement::LabelsApart { .. } => f.write_str("行标签与数值分开印出"),
            Placement::Uncut { printed, cells } if printed.trim().is_empty() => {
                write!(f, "表中数字连写，本行没有可分成 {cells} 格的数字")
            }
            Placement::Uncut { printed, cells } => write!(
                f,
                "数字“{printed}”连在一起，没有切法能分成 {cells} 格，按原样读出"
            ),
            Placement::HeaderUnclear => f.write_str("表头重复或缺少某一列的名称"),
            Placement::LeadingZero { printed } => write!(
                f,
                "数值“{printed}”以 0 开头，可能是窄列中换行的数字与相邻单元格的数字连在一起"
            ),
            Placement::OtherCutAddsUp { printed, cut } => write!(
                f,
                "本行数字“{printed}”之间的空格未必是列的分界，切为 {cut} 则本行相加相符"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One doubt of every kind, placements too.
    fn every_doubt() -> Vec<Doubt> {
        let placements = [
            Placement::FewerValues {
                values: 1,
                cells: 3,
            },
            Placement::MoreValues {
                values: 9,
                cells: 7,
            },
            Placement::MoreValues {
                values: 7,
                cells: 7,
            },
            Placement::LabelsApart { rows: 1 },
            Placement::Uncut {
                printed: String::new(),
                cells: 3,
            },
            Placement::WrappedDigits { values: 2 },
            Placement::LabelsApart { rows: 4 },
            Placement::Uncut {
                printed: "2700201".into(),
                cells: 7,
            },
            Placement::HeaderUnclear,
            Placement::OtherCutAddsUp {
                printed: "640 0 2 0 4 7 0".into(),
                cut: "64、0、0、2、0、4、70".into(),
            },
            Placement::LeadingZero {
                printed: "03".into(),
            },
        ];
        let run_together = |fits| Doubt::RunTogether {
            printed: "242363".into(),
            taken: "24、2363".into(),
            others: vec!["2、42363".into()],
            fits,
            unchecked: false,
        };
        let mut every = vec![
            Doubt::OtherReading { read: Some(12.0) },
            Doubt::OtherReading { read: None },
            Doubt::ByValueOrder,
            run_together(true),
            run_together(false),
            Doubt::RunTogether {
                printed: "775".into(),
                taken: "7、7、5".into(),
                others: Vec::new(),
                fits: true,
                unchecked: true,
            },
            Doubt::BlankMayBeElsewhere {
                found: 20,
                wanted: 175,
            },
            Doubt::InTableOrder,
            Doubt::PdfAligned,
            Doubt::TextColumns,
            Doubt::Recognised,
            Doubt::RecognisedPicture,
        ];
        every.extend(placements.into_iter().map(Doubt::PlacedInOrder));
        every
    }

    /// Offices read the reasons of 需复核 findings: in Chinese, with the figures that make
    /// them checkable.
    #[test]
    fn every_doubt_is_told_in_chinese() {
        for doubt in every_doubt() {
            let told = doubt.to_string();
            // "PDF" and "OFD" are what offices call them too.
            assert!(
                !told
                    .replace("PDF", "")
                    .replace("OFD", "")
                    .chars()
                    .any(|c| c.is_ascii_alphabetic()),
                "{doubt:?}: {told}"
            );
            assert!(told.chars().count() >= 10, "{doubt:?}: {told}");
            // Nothing quoted that is not there, no count that contradicts itself.
            assert!(!told.contains("“”"), "{doubt:?}: {told}");
            assert!(!told.contains("1 个行标签"), "{doubt:?}: {told}");
            if let Doubt::PlacedInOrder(Placement::MoreValues { values, cells }) = &doubt {
                assert_eq!(told.contains("多于"), values > cells, "{told}");
            }
            // A row read as printed was not placed in order.
            if let Doubt::PlacedInOrder(
                Placement::OtherCutAddsUp { .. } | Placement::LeadingZero { .. },
            ) = &doubt
            {
                assert!(!told.contains("按顺序"), "{told}");
            }
        }
        let cut = every_doubt()[3].to_string();
        assert!(cut.contains("“242363”") && cut.contains("24、2363") && cut.contains("2、42363"));
        // A cut no arithmetic checked claims no arithmetic.
        let guess = every_doubt()[5].to_string();
        assert!(
            guess.contains("没有可核对的算术") && !guess.contains("符合"),
            "{guess}"
        );
    }

    /// A doubt stored before `unchecked` was added reads as checked; a checked one is
    /// stored as it was.
    #[test]
    fn a_run_together_doubt_without_unchecked_reads_as_checked() {
        let old = r#"{"kind":"run_together","printed":"242363","taken":"24、2363","others":[],"fits":true}"#;
        let doubt: Doubt = serde_json::from_str(old).unwrap();
        assert!(matches!(
            doubt,
            Doubt::RunTogether {
                unchecked: false,
                ..
            }
        ));
        assert_eq!(serde_json::to_string(&doubt).unwrap(), old);
    }

    /// Stored reports keep their cells' doubts (the workbench keeps reports as JSON).
    #[test]
    fn doubts_survive_json() {
        for doubt in every_doubt() {
            let json = serde_json::to_string(&doubt).unwrap();
            assert_eq!(
                serde_json::from_str::<Doubt>(&json).unwrap(),
                doubt,
                "{json}"
            );
        }
    }
}
