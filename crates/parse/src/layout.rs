//! Table layouts, declared in `layouts.toml` (embedded) and compiled once.

use regex::Regex;
use serde::Deserialize;
use std::sync::OnceLock;

use crate::split::RowCheck;
use nianbao_model::{Era, TableId};

const LAYOUTS_TOML: &str = include_str!("../layouts.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LayoutFile {
    table: Vec<RawLayout>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayout {
    id: String,
    era: String,
    anchor: String,
    #[serde(default)]
    markers: Vec<String>,
    #[serde(default)]
    columns: Vec<String>,
    #[serde(default)]
    total_last: bool,
    #[serde(default)]
    rows: Vec<RawRow>,
    #[serde(default)]
    sequence: Vec<String>,
    #[serde(default)]
    split: Option<String>,
    #[serde(default)]
    note_columns: Vec<[String; 2]>,
    #[serde(default)]
    headers: Vec<[String; 2]>,
    #[serde(default)]
    header_groups: Vec<[String; 2]>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRow {
    label: String,
    #[serde(default)]
    cells: Vec<String>,
    #[serde(default)]
    key: Option<String>,
}

/// One row of a layout: the label that finds it and the cells its values fill.
#[derive(Debug)]
pub struct RowLayout {
    pub label: Regex,
    pub cells: Vec<String>,
}

/// How to read one table of one era.
#[derive(Debug)]
pub struct TableLayout {
    pub id: TableId,
    /// `None` for tables the same in every era (表四).
    pub era: Option<Era>,
    pub anchor: Regex,
    pub markers: Vec<Regex>,
    pub total_last: bool,
    pub rows: Vec<RowLayout>,
    /// Tables printed as one run of numbers in a fixed order.
    pub sequence: Vec<String>,
    /// How run-together digits are cut back into this table's cells.
    pub split: RowCheck,
    /// For a cell printed above its table with a note ("55（含自然失效29件）"): the note
    /// pattern and the column (last part of the key) it names.
    pub note_columns: Vec<(Regex, String)>,
    /// Column names by the header printed above them, in the order they are tried.
    pub headers: Vec<(String, Regex)>,
    /// A level of header above the columns, prefixed to their names.
    pub header_groups: Vec<(String, Regex)>,
}

/// The column of a row that is read but not kept.
pub const IGNORED_CELL: &str = "_";

#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    #[error("layouts.toml: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("layouts.toml: bad pattern {pattern:?}: {source}")]
    Pattern {
        pattern: String,
        source: regex::Error,
    },
    #[error("layouts.toml: unknown {what} {value:?}")]
    Unknown { what: &'static str, value: String },
}

fn regex(pattern: &str) -> Result<Regex, LayoutError> {
    Regex::new(pattern).map_err(|source| LayoutError::Pattern {
        pattern: pattern.to_string(),
        source,
    })
}

fn table_id(text: &str) -> Result<TableId, LayoutError> {
    match text {
        "t2" => Ok(TableId::T2),
        "t3" => Ok(TableId::T3),
        "t4" => Ok(TableId::T4),
        "old" => Ok(TableId::Old),
        _ => Err(LayoutError::Unknown {
            what: "table id",
            value: text.to_string(),
        }),
    }
}

fn compile(raw: RawLayout) -> Result<TableLayout, LayoutError> {
    let era = match raw.era.as_str() {
        "any" => None,
        other => Some(Era::parse(other).ok_or_else(|| LayoutError::Unknown {
            what: "era",
            value: other.to_string(),
        })?),
    };
    let rows = raw
        .rows
        .iter()
        .map(|row| {
            let cells = match &row.key {
                Some(prefix) => raw
                    .columns
                    .iter()
                    .map(|c| format!("{prefix}.{c}"))
                    .collect(),
                None => row.cells.clone(),
            };
            Ok(RowLayout {
                label: regex(&row.label)?,
                cells,
            })
        })
        .collect::<Result<Vec<_>, LayoutError>>()?;
    let catalog = nianbao_model::catalog();
    for key in rows.iter().flat_map(|r| &r.cells).chain(&raw.sequence) {
        if key != IGNORED_CELL && !catalog.contains(key) {
            return Err(LayoutError::Unknown {
                what: "cell key",
                value: key.clone(),
            });
        }
    }
    Ok(TableLayout {
        id: table_id(&raw.id)?,
        era,
        anchor: regex(&raw.anchor)?,
        markers: raw
            .markers
            .iter()
            .map(|m| regex(m))
            .collect::<Result<_, _>>()?,
        total_last: raw.total_last,
        rows,
        sequence: raw.sequence,
        split: split_check(raw.split.as_deref())?,
        note_columns: raw
            .note_columns
            .iter()
            .map(|[pattern, column]| Ok((regex(pattern)?, column.clone())))
            .collect::<Result<_, LayoutError>>()?,
        headers: named(&raw.headers)?,
        header_groups: named(&raw.header_groups)?,
    })
}

fn named(pairs: &[[String; 2]]) -> Result<Vec<(String, Regex)>, LayoutError> {
    pairs
        .iter()
        .map(|[name, pattern]| Ok((name.clone(), regex(pattern)?)))
        .collect()
}

fn split_check(text: Option<&str>) -> Result<RowCheck, LayoutError> {
    match text {
        None | Some("none") => Ok(RowCheck::None),
        Some("total") => Ok(RowCheck::Total),
        Some("ascending") => Ok(RowCheck::Ascending),
        Some(other) => match other.strip_prefix("groups:").and_then(|n| n.parse().ok()) {
            Some(size) if size > 1 => Ok(RowCheck::GroupTotals(size)),
            _ => Err(LayoutError::Unknown {
                what: "split",
                value: other.to_string(),
            }),
        },
    }
}

pub fn load(text: &str) -> Result<Vec<TableLayout>, LayoutError> {
    let file: LayoutFile = toml::from_str(text)?;
    file.table.into_iter().map(compile).collect()
}

/// The embedded layouts; valid by construction (tested).
pub fn layouts() -> &'static [TableLayout] {
    static LAYOUTS: OnceLock<Vec<TableLayout>> = OnceLock::new();
    LAYOUTS.get_or_init(|| load(LAYOUTS_TOML).expect("embedded layouts.toml is valid (tested)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_layouts_compile_and_name_known_cells() {
        let all = load(LAYOUTS_TOML).unwrap();
        assert_eq!(all.len(), 7);
        let t3_2021 = all
            .iter()
            .find(|l| l.id == TableId::T3 && l.era == Some(Era::Y2021))
            .unwrap();
        let keys: usize = t3_2021.rows.iter().map(|r| r.cells.len()).sum();
        assert_eq!(keys, 25 * 7);
    }

    #[test]
    fn unknown_cell_keys_are_refused() {
        let bad =
            "[[table]]\nid='t2'\nera='2019'\nanchor='x'\nrows=[{label='规章', cells=['t2.nope']}]";
        assert!(matches!(
            load(bad),
            Err(LayoutError::Unknown {
                what: "cell key",
                ..
            })
        ));
    }
}
