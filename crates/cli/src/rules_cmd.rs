//! `nianbao rules list | explain | test`.

use crate::{load_rules, EXIT_CLEAN, EXIT_FINDINGS, EXIT_TROUBLE};
use nianbao_rules::fixtures::run_fixtures;
use nianbao_rules::{Kind, Rule, RuleSet, BUILTIN_FIXTURES};
use std::io::Write;
use std::path::{Path, PathBuf};

fn rules_or_report(paths: &[PathBuf], err: &mut dyn Write) -> Option<RuleSet> {
    match load_rules(paths) {
        Ok(r) => Some(r),
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            None
        }
    }
}

pub fn list(paths: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(rules) = rules_or_report(paths, err) else {
        return EXIT_TROUBLE;
    };
    for pack in &rules.packs {
        let _ = writeln!(out, "# {} {} ({})", pack.name, pack.version, pack.file);
        for r in &pack.rules {
            let eras: Vec<&str> = r.eras.iter().map(|e| e.as_str()).collect();
            let _ = writeln!(
                out,
                "{:<28} {:<7} {:<16} {:<20} {}",
                r.id,
                r.severity.as_str(),
                r.family.as_str(),
                eras.join(","),
                r.title
            );
        }
    }
    EXIT_CLEAN
}

fn kind_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Sum { .. } => "sum",
        Kind::RequiredSections(_) => "required_sections",
        Kind::RequiredTables(_) => "required_tables",
        Kind::EraYear { .. } => "era_year",
        Kind::BlankCells(_) => "blank_cells",
        Kind::Range { .. } => "range",
        Kind::TextTable { .. } => "text_table",
        Kind::StaleYear(_) => "stale_year",
        Kind::Expression(_) => "expression",
        Kind::Deadline { .. } => "deadline",
        Kind::NoDate => "no_date",
        Kind::Unidentified => "unidentified",
        Kind::YearConflict => "year_conflict",
        Kind::NarrativeSum => "narrative_sum",
        Kind::NarrativeRatio => "narrative_ratio",
        Kind::NarrativeOrder { .. } => "narrative_order",
        Kind::PlanYear(_) => "plan_year",
        Kind::RuleMakingPower { .. } => "rule_making_power",
        Kind::SupersededBasis(_) => "superseded_basis",
        Kind::PlaceResidue { .. } => "place_residue",
        Kind::Completeness(_) => "completeness",
        Kind::NoTextLayer => "no_text_layer",
        Kind::OcrLayer => "ocr_layer",
        Kind::InAttachments => "in_attachments",
        Kind::Misnamed => "misnamed",
        Kind::StatPeriod => "stat_period",
        Kind::CrossYear { .. } => "cross_year",
        Kind::TextOverlap { .. } => "text_overlap",
        Kind::RequiredText { .. } => "required_text",
        Kind::SelfReference(_) => "self_reference",
        Kind::PeerOverlap { .. } => "peer_overlap",
        Kind::HeadingNumbers => "heading_numbers",
        Kind::Enumeration { .. } => "enumeration",
    }
}

fn explain_rule(r: &Rule, out: &mut dyn Write) {
    let eras: Vec<&str> = r.eras.iter().map(|e| e.as_str()).collect();
    let _ = writeln!(out, "{} — {}", r.id, r.title);
    let _ = writeln!(out, "  pack:       {}", r.pack);
    let _ = writeln!(out, "  family:     {}", r.family);
    let _ = writeln!(out, "  severity:   {}", r.severity);
    let _ = writeln!(out, "  kind:       {}", kind_name(&r.kind));
    let _ = writeln!(out, "  eras:       {}", eras.join(", "));
    if let Some((a, b)) = r.years {
        let _ = writeln!(out, "  years:      {a}–{b}");
    }
    let cap = r
        .max_deduction
        .map_or(String::new(), |c| format!(" (at most {c} per report)"));
    let _ = writeln!(out, "  deduction:  {}{cap}", r.deduction);
    let _ = writeln!(out, "  message:    {}", r.message);
    if let Some(legal) = &r.legal {
        let _ = writeln!(out, "  legal:      {legal}");
    }
    if let Some(doc) = &r.doc {
        let _ = writeln!(out, "\n  {doc}");
    }
    match &r.kind {
        Kind::Sum {
            left,
            right,
            tolerance,
            ..
        } => {
            let l: Vec<&str> = left.iter().map(|p| p.text.as_str()).collect();
            let rr: Vec<&str> = right.iter().map(|p| p.text.as_str()).collect();
            let _ = writeln!(
                out,
                "\n  checks:     Σ[{}] = Σ[{}] (tolerance {tolerance})",
                l.join(", "),
                rr.join(", ")
            );
        }
        Kind::TextTable {
            pattern,
            confidence,
            ..
        } => {
            let _ = writeln!(out, "\n  pattern:    {pattern}\n  confidence: {confidence}");
        }
        _ => {}
    }
}

pub fn explain(id: &str, paths: &[PathBuf], out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let Some(rules) = rules_or_report(paths, err) else {
        return EXIT_TROUBLE;
    };
    match rules.rule(id) {
        Some(r) => {
            explain_rule(r, out);
            EXIT_CLEAN
        }
        None => {
            let _ = writeln!(err, "error: no rule {id:?} (see `nianbao rules list`)");
            EXIT_TROUBLE
        }
    }
}

fn read_fixtures(fixtures: &Path) -> std::io::Result<Vec<(PathBuf, String)>> {
    if !fixtures.is_dir() {
        return Ok(Vec::new());
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixtures)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|f| std::fs::read_to_string(&f).map(|t| (f, t)))
        .collect()
}

/// The rule a fixture file is for (its `rule = "…"`), if it says.
fn fixture_rule(text: &str) -> Option<String> {
    let value: toml::Value = toml::from_str(text).ok()?;
    value.get("rule")?.as_str().map(str::to_string)
}

pub fn test(path: Option<&Path>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    // A pack file is tested with the fixtures of its own rules in fixtures/ next to it.
    let one_pack = path.filter(|p| p.is_file());
    let dir = path.map(|p| match one_pack {
        Some(file) => file.parent().unwrap_or(Path::new(".")).to_path_buf(),
        None => p.to_path_buf(),
    });
    let dir = dir.as_deref();
    if let Some(d) = dir {
        let _ = writeln!(out, "fixtures: {}", d.join("fixtures").display());
    }
    let (rules, fixtures) = match dir {
        None => (
            RuleSet::builtin().map_err(|e| e.to_string()),
            Ok(BUILTIN_FIXTURES
                .iter()
                .filter(|(n, _)| n.ends_with(".toml"))
                .map(|(n, t)| (PathBuf::from("rules/fixtures").join(n), t.to_string()))
                .collect()),
        ),
        Some(d) => (
            RuleSet::load(&[one_pack.unwrap_or(d)]).map_err(|e| e.to_string()),
            read_fixtures(&d.join("fixtures")).map_err(|e| e.to_string()),
        ),
    };
    let (rules, mut fixtures) = match (rules, fixtures) {
        (Ok(r), Ok(f)) => (r, f),
        (Err(e), _) | (_, Err(e)) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_TROUBLE;
        }
    };
    if one_pack.is_some() {
        fixtures.retain(|(_, text)| fixture_rule(text).is_some_and(|id| rules.rule(&id).is_some()));
    }
    // Built-in fixtures read the report files embedded with them; others read the disk.
    let loader = |path: &Path| match dir {
        Some(_) => crate::parse_file(path, &nianbao_ingest::Limits::default()).map(|p| p.report),
        None => {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            let (_, text) = BUILTIN_FIXTURES
                .iter()
                .find(|(n, _)| *n == name)
                .ok_or_else(|| format!("{name}: not among the embedded fixture files"))?;
            crate::parse_bytes(name, text.as_bytes()).map(|p| p.report)
        }
    };
    let run = run_fixtures(&rules, &fixtures, &loader);
    for r in &run.results {
        match &r.failure {
            None => {
                let _ = writeln!(out, "ok    {:<28} {}", r.rule, r.case);
            }
            Some(why) => {
                let _ = writeln!(
                    out,
                    "FAIL  {:<28} {} ({}): {why}",
                    r.rule, r.case, r.fixture
                );
            }
        }
    }
    for id in &run.untested {
        let _ = writeln!(
            out,
            "FAIL  {id:<28} has no failing fixture (a case with expect ≥ 1)"
        );
    }
    let failed = run.failed() + run.untested.len();
    let _ = writeln!(out, "{} passed, {} failed", run.passed(), failed);
    if failed == 0 {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }
}

pub fn keys(pattern: Option<&str>, out: &mut dyn Write) -> i32 {
    for f in nianbao_model::catalog().fields() {
        let text = format!(
            "{} {} {} {}",
            f.key,
            f.table,
            f.row.join("/"),
            f.col.join("/")
        );
        if pattern.is_some_and(|p| !text.contains(p)) {
            continue;
        }
        let _ = writeln!(
            out,
            "{:<40} {}  {} × {}  [{}]",
            f.key,
            f.table,
            f.row.join(" / "),
            f.col.join(" | "),
            f.eras.join(", ")
        );
    }
    EXIT_CLEAN
}

pub fn families(out: &mut dyn Write) -> i32 {
    for f in nianbao_model::Family::ALL {
        let _ = writeln!(out, "{}", f.as_str());
    }
    EXIT_CLEAN
}

pub fn kinds(out: &mut dyn Write) -> i32 {
    use nianbao_rules::kinds::{COMMON_PLACEHOLDERS, KINDS};
    let braces = |names: &[&str]| {
        names
            .iter()
            .map(|n| format!("{{{n}}}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for k in KINDS {
        let _ = writeln!(out, "{} — {}", k.name, k.summary);
        if !k.required.is_empty() {
            let _ = writeln!(out, "  needs:        {}", k.required.join(", "));
        }
        if !k.optional.is_empty() {
            let _ = writeln!(out, "  may take:     {}", k.optional.join(", "));
        }
        let _ = writeln!(out, "  placeholders: {}", braces(k.placeholders));
    }
    let _ = writeln!(
        out,
        "\nEvery message may also use {} and any cell key in braces ({{t3.new.total}}), which prints the cell's value.",
        braces(&COMMON_PLACEHOLDERS)
    );
    EXIT_CLEAN
}
