//! The registry of rule kinds: each kind's fields and the placeholders its messages may use.
//! `rules kinds` prints it, the pack loader checks rules against it (an unknown kind or a
//! placeholder the kind does not fill is refused, naming the valid ones and the nearest).

// Each kind's check: one module per kind (or per kinds that share their reading), which
// `crate::check` dispatches a rule to.
pub(crate) mod blank_cells;
pub(crate) mod completeness;
pub(crate) mod cross_year;
pub(crate) mod deadline;
pub(crate) mod era_year;
pub(crate) mod expression;
pub(crate) mod misnamed;
pub mod narrative_order;
pub(crate) mod narrative_ratio;
pub(crate) mod narrative_sum;
pub(crate) mod no_date;
pub(crate) mod numbered;
pub(crate) mod overlap;
pub(crate) mod place_residue;
pub(crate) mod plan_year;
pub(crate) mod range;
pub(crate) mod required_sections;
pub(crate) mod required_tables;
pub(crate) mod required_text;
pub(crate) mod rule_power;
pub(crate) mod self_reference;
pub(crate) mod stale_year;
pub(crate) mod stat_period;
pub(crate) mod sum;
pub mod superseded;
pub(crate) mod text_table;
pub(crate) mod unidentified;
pub(crate) mod year_conflict;

/// One kind as a rule author sees it.
pub struct KindDoc {
    pub name: &'static str,
    pub summary: &'static str,
    /// Fields the kind needs.
    pub required: &'static [&'static str],
    /// Fields the kind may take.
    pub optional: &'static [&'static str],
    /// Placeholders its findings fill, besides the common ones.
    pub placeholders: &'static [&'static str],
}

/// Placeholders every finding fills.
pub const COMMON_PLACEHOLDERS: [&str; 3] = ["year", "era", "cells"];

const SUM_VARS: &[&str] = &[
    "reported",
    "computed",
    "difference",
    "total",
    "total_label",
    "col_label",
    "row",
    "col",
    "binding",
];
const OVERLAP_VARS: &[&str] = &["ratio", "threshold", "last_year"];

pub const KINDS: &[KindDoc] = &[
    KindDoc { name: "sum", summary: "Σ left = Σ right over cell patterns (a total and its items)", required: &["left", "right"], optional: &["tolerance"], placeholders: SUM_VARS },
    KindDoc { name: "balance", summary: "the 表三 balance 一+二 = 三（七）+ 四 per column", required: &["left", "right"], optional: &["tolerance"], placeholders: SUM_VARS },
    KindDoc { name: "required_sections", summary: "the parts 一…六 the body must have", required: &["sections"], optional: &[], placeholders: &["section", "section_title", "toc_note"] },
    KindDoc { name: "required_tables", summary: "the tables a part must carry", required: &["tables"], optional: &[], placeholders: &["table"] },
    KindDoc { name: "era_year", summary: "the tables' form against the year's template", required: &[], optional: &["tables"], placeholders: &["table", "table_era", "expected_era"] },
    KindDoc { name: "blank_cells", summary: "cells printed blank where the form wants a number", required: &["cells"], optional: &[], placeholders: &["table", "count", "labels"] },
    KindDoc { name: "range", summary: "cells below a minimum (negative counts)", required: &["cells"], optional: &["min"], placeholders: &["value", "label"] },
    KindDoc { name: "text_table", summary: "a figure the text states against a table cell", required: &["pattern", "cell"], optional: &["confidence", "approximate_severity"], placeholders: &["value", "expected", "text", "confidence"] },
    KindDoc { name: "stale_year", summary: "citations of an earlier year's documents", required: &["pattern"], optional: &[], placeholders: &["mentioned", "text"] },
    KindDoc { name: "expression", summary: "a condition over cells (and last(...) of last year's); cell keys in braces in the message print their values", required: &["when"], optional: &[], placeholders: &[] },
    KindDoc { name: "deadline", summary: "publication after the legal deadline of the organ's level", required: &[], optional: &["government", "department", "before_2019"], placeholders: &["published", "deadline"] },
    KindDoc { name: "no_date", summary: "no publication or signature date", required: &[], optional: &[], placeholders: &[] },
    KindDoc { name: "unidentified", summary: "no source names the organ or the year", required: &[], optional: &[], placeholders: &["missing"] },
    KindDoc { name: "year_conflict", summary: "the title's year against a body that consistently reports another", required: &[], optional: &[], placeholders: &["title_year", "body_year", "sources"] },
    KindDoc { name: "narrative_sum", summary: "an enumeration's parts against the total its sentence states", required: &[], optional: &[], placeholders: &["parts", "sum", "stated", "unit", "sentence"] },
    KindDoc { name: "narrative_ratio", summary: "a stated share against its part and total", required: &[], optional: &[], placeholders: &["part", "base", "stated", "computed", "sentence"] },
    KindDoc { name: "narrative_order", summary: "figures one of which can never exceed the other (办结 ≤ 受理)", required: &["pairs"], optional: &["unless"], placeholders: &["larger", "smaller", "sentence"] },
    KindDoc { name: "plan_year", summary: "the improvement plan dated with the report's year or earlier", required: &["pattern"], optional: &[], placeholders: &["dated", "next", "sentence"] },
    KindDoc { name: "rule_making_power", summary: "规章 reported by an organ that cannot make them", required: &["cells", "organ_levels"], optional: &[], placeholders: &["organ", "values"] },
    KindDoc { name: "superseded_basis", summary: "citations of documents that no longer applied to the report's year", required: &["documents"], optional: &[], placeholders: &["cited", "document", "replaced_by"] },
    KindDoc { name: "place_residue", summary: "places that are neither the organ's own nor above or under it", required: &[], optional: &["unless", "own_work"], placeholders: &["place", "organ", "sentence"] },
    KindDoc { name: "completeness", summary: "cells of a table's form that were not read (nianbao's limit)", required: &["tables"], optional: &[], placeholders: &["table", "count", "unread"] },
    KindDoc { name: "no_text_layer", summary: "a file without text (a scan)", required: &[], optional: &[], placeholders: &[] },
    KindDoc { name: "in_attachments", summary: "a web page that links to the report instead of holding it", required: &[], optional: &[], placeholders: &["files"] },
    KindDoc { name: "ocr_layer", summary: "a scan whose text is its OCR layer (findings on it accuse no one)", required: &[], optional: &[], placeholders: &[] },
    KindDoc { name: "misnamed", summary: "a file whose content is not what its name says", required: &[], optional: &[], placeholders: &["extension", "content"] },
    KindDoc { name: "stat_period", summary: "a statistical period that is not the whole year", required: &[], optional: &[], placeholders: &["problem", "text"] },
    KindDoc { name: "cross_year", summary: "a cell against last year's (equal, or a jump by factor)", required: &["this", "last", "relation"], optional: &["factor"], placeholders: &["label", "last_label", "value", "last_value", "last_year"] },
    KindDoc { name: "text_overlap", summary: "the share of the narrative already in last year's", required: &["threshold"], optional: &[], placeholders: OVERLAP_VARS },
    KindDoc { name: "required_text", summary: "topics a part must speak of", required: &["section", "topics"], optional: &[], placeholders: &["section", "missing"] },
    KindDoc { name: "self_reference", summary: "place words the organ's name does not carry (我县 in a 区's report)", required: &["levels"], optional: &["not_places"], placeholders: &["organ", "text", "count"] },
    KindDoc { name: "peer_overlap", summary: "the share of the narrative in another organ's report of the year", required: &["threshold"], optional: &[], placeholders: &["ratio", "threshold", "peer_organ", "peer_file"] },
    KindDoc { name: "heading_numbers", summary: "part numbers 一、二、… out of count", required: &[], optional: &["advisory"], placeholders: &["printed", "expected", "series"] },
    KindDoc { name: "enumeration", summary: "一是、二是 … skipped or repeated", required: &[], optional: &["not_after"], placeholders: &["printed", "expected", "series"] },
];

/// The kind of this name.
pub fn kind_doc(name: &str) -> Option<&'static KindDoc> {
    KINDS.iter().find(|k| k.name == name)
}

/// The choice nearest to `word` by edit distance, when near enough to be a typo.
pub fn nearest<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    choices
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// " — did you mean `x`?" when a choice is near, else nothing.
pub fn did_you_mean<'a>(word: &str, choices: impl IntoIterator<Item = &'a str>) -> String {
    nearest(word, choices).map_or(String::new(), |c| format!("; did you mean {c:?}?"))
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// The `{name}` placeholders of a message template.
pub fn placeholders_in(message: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = message;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        out.push(&after[..close]);
        rest = &after[close + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        assert_eq!(
            nearest("range", ["row_sum", "stat_period", "range_check"]),
            None
        );
        assert_eq!(
            nearest("blank_cell", KINDS.iter().map(|k| k.name)),
            Some("blank_cells")
        );
        assert_eq!(
            nearest("wraning", ["error", "warning", "info"]),
            Some("warning")
        );
        assert_eq!(placeholders_in("{a} and {b.c}"), vec!["a", "b.c"]);
    }
}
