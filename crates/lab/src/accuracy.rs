//! Tallies of a run and ACCURACY.md: cells right / cells per family, per layout and per
//! value style, the floors CI holds the sample to, and the failing cells of the worst cases.

use crate::family::Family;
use crate::run::{Outcome, Summary};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Counts over a set of cases.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub cases: usize,
    pub cells: usize,
    pub right: usize,
    /// Cells read wrong with no doubt on them (`WrongCell::silent`).
    pub silent_wrong: usize,
    pub extra: usize,
    pub era_wrong: usize,
    pub parts_wrong: usize,
    pub identity_wrong: usize,
    pub false_error_cases: usize,
    /// Cases with an error the reader flags as its own doubt (需复核), not the report's fault.
    pub review_cases: usize,
    pub missing: usize,
    pub unreadable: usize,
}

impl Tally {
    pub fn add(&mut self, o: &Outcome) {
        self.cases += 1;
        self.cells += o.cells;
        self.right += o.right;
        self.silent_wrong += o.wrong.iter().filter(|w| w.silent).count();
        self.extra += o.extra.len();
        self.era_wrong += usize::from(!o.era_right);
        self.parts_wrong += usize::from(!o.parts_right);
        self.identity_wrong += usize::from(!o.identity_right);
        self.false_error_cases += usize::from(!o.false_errors.is_empty());
        self.review_cases += usize::from(!o.reviews.is_empty());
        self.missing += o.missing.len();
        self.unreadable += usize::from(o.failure.is_some());
    }

    /// Cells right / cells (1 when there are no cells).
    pub fn accuracy(&self) -> f64 {
        match self.cells {
            0 => 1.0,
            n => self.right as f64 / n as f64,
        }
    }
}

pub fn by_family(summary: &Summary) -> BTreeMap<Family, Tally> {
    let mut tallies: BTreeMap<Family, Tally> = BTreeMap::new();
    for o in &summary.outcomes {
        tallies.entry(o.case.family).or_default().add(o);
    }
    tallies
}

#[derive(serde::Deserialize)]
struct FloorsFile {
    floor: BTreeMap<String, f64>,
    max_false_error_cases: BTreeMap<String, usize>,
    max_silent_wrong_cells: BTreeMap<String, usize>,
    max_identity_wrong_cases: BTreeMap<String, usize>,
}

fn floors_file() -> FloorsFile {
    toml::from_str(include_str!("../floors.toml"))
        .expect("floors.toml is valid (tested by the lab's test)")
}

fn by_family_name<T: Copy>(map: &BTreeMap<String, T>) -> BTreeMap<Family, T> {
    map.iter()
        .filter_map(|(name, v)| Some((Family::parse(name)?, *v)))
        .collect()
}

/// The floors CI holds each family's sample to (`floors.toml`): cells right / cells.
pub fn floors() -> BTreeMap<Family, f64> {
    by_family_name(&floors_file().floor)
}

/// The most cases of each family's sample that may have a false error (`floors.toml`).
pub fn max_false_error_cases() -> BTreeMap<Family, usize> {
    by_family_name(&floors_file().max_false_error_cases)
}

/// The most cases of each family's sample whose identity may be read wrong (`floors.toml`).
pub fn max_identity_wrong_cases() -> BTreeMap<Family, usize> {
    by_family_name(&floors_file().max_identity_wrong_cases)
}

/// The most cells of each family's sample that may be read wrong with no doubt on them
/// (`floors.toml`).
pub fn max_silent_wrong_cells() -> BTreeMap<Family, usize> {
    by_family_name(&floors_file().max_silent_wrong_cells)
}

fn percent(tally: &Tally) -> String {
    format!("{:.2}%", tally.accuracy() * 100.0)
}

fn value(v: Option<f64>) -> String {
    v.map_or("blank".to_string(), nianbao_model::format_number)
}

/// Every case's outcome as a line of JSON, for looking into what a family gets wrong.
pub fn details(summary: &Summary) -> String {
    let mut out = String::new();
    for o in &summary.outcomes {
        let wrong: Vec<serde_json::Value> = o
            .wrong
            .iter()
            .map(|w| serde_json::json!({"key": w.key, "gold": w.gold, "read": w.read.map(|v| v.map_or("blank".to_string(), nianbao_model::format_number)).unwrap_or_else(|| "absent".into()), "silent": w.silent}))
            .collect();
        let line = serde_json::json!({
            "file": o.case.file.file_name().map(|f| f.to_string_lossy().into_owned()),
            "gold": o.case.gold,
            "family": o.case.family.name(),
            "layout": o.case.layout.name(),
            "style": o.case.style,
            "cells": o.cells,
            "right": o.right,
            "wrong": wrong,
            "extra": o.extra,
            "identity_right": o.identity_right,
            "identity_read": o.identity_read,
            "false_errors": o.false_errors,
            "reviews": o.reviews,
            "missing": o.missing,
            "failure": o.failure,
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// Where and when a run was made, for the heading of ACCURACY.md.
pub struct Provenance {
    pub command: String,
    pub date: String,
    pub commit: String,
}

pub fn markdown(summary: &Summary, provenance: &Provenance) -> String {
    let mut out = String::new();
    let families = by_family(summary);
    let total = summary.outcomes.iter().fold(Tally::default(), |mut t, o| {
        t.add(o);
        t
    });
    let _ = writeln!(
        out,
        "# Layout lab: how well nianbao reads each layout family\n"
    );
    let _ = writeln!(
        out,
        "Written by `{}` on {} at commit {} (seed {}, {} gold reports × {} variants of every family).\n",
        provenance.command, provenance.date, provenance.commit, summary.seed, summary.golds, summary.variants
    );
    let _ = writeln!(
        out,
        "Every gold report of `../shared/gold` is written as a complete report (title, parts, the official \
         tables with their labels and real-world wording variants, 落款) in each layout family, with seeded \
         variation of layout and of how values are printed, then read back through the real pipeline \
         (ingest → parse → rules). *Cells* counts the gold's cells read exactly (blank stays blank, 0 stays 0); \
         *cells wrong, no doubt* counts cells read as a value or blank other than the gold's with no doubt on them: \
         nothing warns whoever uses the figure that the reading may be wrong (a cell not read at all is \
         reported as unread, so never counted); \
         *false errors* counts cases with an error finding the gold does not list that blames the report, or a blank-cell finding that blames it for a cell it printed; \
         *to review* counts cases whose only such errors say the reading may be at fault (需复核). The generator is \
         `crates/lab` (`cargo run --release -p nianbao-lab -- run --help`); CI runs a sample of two variants \
         per family and gold report against the floors of `crates/lab/floors.toml`. The bar is 99.5% of \
         cells in every family; a family's floor below it is the figure the reader reaches today.\n"
    );
    for (family, reason) in &summary.skipped {
        let _ = writeln!(out, "**{} skipped:** {reason}.\n", family.name());
    }
    let _ = writeln!(out, "## Families\n");
    let _ = writeln!(out, "| family | cases | cells right / cells | accuracy | floor | cells wrong, no doubt | extra cells | era wrong | parts wrong | organ/year wrong | cases with a false error | cases to review | required findings missed | unreadable |");
    let _ = writeln!(
        out,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    );
    let floors = floors();
    for (family, t) in &families {
        let floor = floors
            .get(family)
            .map_or("—".to_string(), |f| format!("{:.1}%", f * 100.0));
        let _ = writeln!(
            out,
            "| {} | {} | {} / {} | {} | {floor} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            family.name(),
            t.cases,
            t.right,
            t.cells,
            percent(t),
            t.silent_wrong,
            t.extra,
            t.era_wrong,
            t.parts_wrong,
            t.identity_wrong,
            t.false_error_cases,
            t.review_cases,
            t.missing,
            t.unreadable
        );
    }
    let _ = writeln!(
        out,
        "| **all** | {} | {} / {} | {} | | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        total.cases,
        total.right,
        total.cells,
        percent(&total),
        total.silent_wrong,
        total.extra,
        total.era_wrong,
        total.parts_wrong,
        total.identity_wrong,
        total.false_error_cases,
        total.review_cases,
        total.missing,
        total.unreadable
    );
    let _ = writeln!(out, "## Layouts\n");
    let _ = writeln!(
        out,
        "| family | layout | cases | cells right / cells | accuracy | cases with a false error | cases to review |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|");
    let mut layouts: BTreeMap<(Family, &str), Tally> = BTreeMap::new();
    for o in &summary.outcomes {
        layouts
            .entry((o.case.family, o.case.layout.name()))
            .or_default()
            .add(o);
    }
    for ((family, layout), t) in &layouts {
        let _ = writeln!(
            out,
            "| {} | {layout} | {} | {} / {} | {} | {} | {} |",
            family.name(),
            t.cases,
            t.right,
            t.cells,
            percent(t),
            t.false_error_cases,
            t.review_cases
        );
    }
    let _ = writeln!(out, "\n## Value styles\n");
    let _ = writeln!(out, "How values were printed (each case draws one of each kind). Accuracy of the cases printed that way, all families together and per family:\n");
    let mut styles: BTreeMap<&str, BTreeMap<Family, Tally>> = BTreeMap::new();
    for o in &summary.outcomes {
        for tag in &o.case.style {
            styles
                .entry(tag)
                .or_default()
                .entry(o.case.family)
                .or_default()
                .add(o);
        }
    }
    let names: Vec<&str> = families.keys().map(|f| f.name()).collect();
    let _ = writeln!(out, "| style | all | {} |", names.join(" | "));
    let _ = writeln!(out, "|---|---:|{}", "---:|".repeat(names.len()));
    for (tag, per_family) in &styles {
        let all = per_family.values().fold(Tally::default(), |mut a, t| {
            a.cases += t.cases;
            a.cells += t.cells;
            a.right += t.right;
            a
        });
        let cells: Vec<String> = families
            .keys()
            .map(|f| per_family.get(f).map_or("—".to_string(), percent))
            .collect();
        let _ = writeln!(out, "| {tag} | {} | {} |", percent(&all), cells.join(" | "));
    }
    let _ = writeln!(out, "\n## Worst cases\n");
    let _ = writeln!(out, "Per family, the cases with the most wrong cells or a false error; `read —` is a cell not read at all.\n");
    for family in families.keys() {
        let mut cases: Vec<&Outcome> = summary
            .outcomes
            .iter()
            .filter(|o| o.case.family == *family)
            .filter(|o| !o.wrong.is_empty() || !o.false_errors.is_empty() || !o.missing.is_empty())
            .collect();
        cases.sort_by_key(|o| std::cmp::Reverse((o.wrong.len(), o.false_errors.len())));
        if cases.is_empty() {
            let _ = writeln!(
                out,
                "### {}\n\nEvery case read exactly, no false error.\n",
                family.name()
            );
            continue;
        }
        let _ = writeln!(out, "### {}\n", family.name());
        for o in cases.iter().take(4) {
            let file = o
                .case
                .file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- `{file}` ({}): {} / {} cells{}",
                o.case.style.join(", "),
                o.right,
                o.cells,
                o.failure
                    .as_ref()
                    .map_or(String::new(), |f| format!(" — unreadable: {f}"))
            );
            for w in o.wrong.iter().take(12) {
                let read = match w.read {
                    None => "—".to_string(),
                    Some(v) => value(v),
                };
                let _ = writeln!(out, "  - `{}`: gold {}, read {read}", w.key, value(w.gold));
            }
            if o.wrong.len() > 12 {
                let _ = writeln!(out, "  - … and {} more", o.wrong.len() - 12);
            }
            for e in &o.false_errors {
                let _ = writeln!(out, "  - false error: {e}");
            }
            for e in &o.reviews {
                let _ = writeln!(out, "  - to review: {e}");
            }
            for m in &o.missing {
                let _ = writeln!(out, "  - missed: {m}");
            }
        }
        let _ = writeln!(out);
    }
    out
}
