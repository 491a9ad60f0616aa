//! Rules: packs of checks declared in TOML, run over a [`Report`].
//!
//! Rust provides the rule *kinds* (sums, required parts, text against table, …, see
//! [`pack::Kind`]); every check itself is data in a pack. The built-in packs are the repo's
//! `rules/*.toml`, embedded in the binary; `RuleSet::load` reads others at run time.

mod check;
mod divisions;
pub mod expr;
mod fault;
pub mod fixtures;
pub mod keys;
pub mod kinds;
pub mod lines;
mod narrative;
pub mod numbering;
pub mod pack;
pub mod places;
pub mod similar;
pub mod timing;

/// Builds the tables rules read, once per process (the divisions of China), ahead of the
/// first report that needs them: a command line that audits one file does this beside the
/// loading of the packs.
pub fn warm_up() {
    let _ = divisions::divisions();
}

pub use pack::{Kind, Pack, PackError, Rule};

use nianbao_model::{Finding, Report};
use std::collections::BTreeMap;
use std::path::Path;

/// The built-in packs: (file name, TOML text), embedded from `rules/` at build time.
pub const BUILTIN_PACKS: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/builtin_packs.rs"));

/// The fixtures of the built-in packs (`rules/fixtures/*.toml`) and the report files they
/// name, embedded likewise.
pub const BUILTIN_FIXTURES: &[(&str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/builtin_fixtures.rs"));

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error(transparent)]
    Pack(#[from] PackError),
    #[error("{path}: cannot read: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{paths}: no rule pack found (a .toml file with a [pack] table and [[rule]] entries, or a folder of them)")]
    NoRules { paths: String },
    #[error("{file}:{line}:{column}: rule id {id} is already defined in {first}")]
    DuplicateId {
        id: String,
        file: String,
        line: usize,
        column: usize,
        first: String,
    },
}

/// The rules an audit runs, in pack order.
#[derive(Debug, Default)]
pub struct RuleSet {
    pub packs: Vec<Pack>,
}

impl RuleSet {
    /// The built-in packs.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::from_texts(
            BUILTIN_PACKS
                .iter()
                .map(|(f, t)| (f.to_string(), t.to_string())),
        )
    }

    /// Packs from files and folders (`*.toml` in a folder, sorted; not recursive).
    pub fn load(paths: &[impl AsRef<Path>]) -> Result<RuleSet, RuleError> {
        let mut texts = Vec::new();
        for path in paths {
            let path = path.as_ref();
            let io = |source| RuleError::Io {
                path: path.display().to_string(),
                source,
            };
            if path.is_dir() {
                let mut files: Vec<_> = std::fs::read_dir(path)
                    .map_err(io)?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                    .collect();
                files.sort();
                for file in files {
                    let text = std::fs::read_to_string(&file).map_err(|source| RuleError::Io {
                        path: file.display().to_string(),
                        source,
                    })?;
                    texts.push((file.display().to_string(), text));
                }
            } else {
                texts.push((
                    path.display().to_string(),
                    std::fs::read_to_string(path).map_err(io)?,
                ));
            }
        }
        let rules = RuleSet::from_texts(texts)?;
        // Rules asked for and none found: an audit of zero rules would look clean.
        if rules.rules().next().is_none() {
            let paths: Vec<String> = paths
                .iter()
                .map(|p| p.as_ref().display().to_string())
                .collect();
            return Err(RuleError::NoRules {
                paths: paths.join(", "),
            });
        }
        Ok(rules)
    }

    pub fn from_texts(
        texts: impl IntoIterator<Item = (String, String)>,
    ) -> Result<RuleSet, RuleError> {
        let mut packs: Vec<Pack> = Vec::new();
        let mut ids: BTreeMap<String, String> = BTreeMap::new();
        for (file, text) in texts {
            let pack = pack::load_pack(&file, &text)?;
            for rule in &pack.rules {
                if let Some(first) = ids.get(&rule.id) {
                    let at = text.find(&format!("\"{}\"", rule.id)).unwrap_or(0);
                    let before = &text[..at];
                    return Err(RuleError::DuplicateId {
                        id: rule.id.clone(),
                        file: file.clone(),
                        line: before.matches('\n').count() + 1,
                        column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                        first: first.clone(),
                    });
                }
                ids.insert(rule.id.clone(), file.clone());
            }
            packs.push(pack);
        }
        Ok(RuleSet { packs })
    }

    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.packs.iter().flat_map(|p| p.rules.iter())
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules().find(|r| r.id == id)
    }

    /// Every finding of every rule on one report, in rule order.
    pub fn check(&self, report: &Report) -> Vec<Finding> {
        self.check_with(report, Related::default())
    }

    /// As `check`, with the reports cross-year and peer rules compare it with.
    pub fn check_with(&self, report: &Report, related: Related) -> Vec<Finding> {
        self.check_timed(report, related, None)
    }

    /// As `check_with`, adding the time each rule takes to `times` (made for this set).
    pub fn check_timed(
        &self,
        report: &Report,
        related: Related,
        times: Option<&timing::RuleTimes>,
    ) -> Vec<Finding> {
        self.check_many(&[(report, related)], times)
            .pop()
            .unwrap_or_default()
    }

    /// The findings of several reports, each as `check_timed` gives them. Each rule is run
    /// over all of them before the next: what a rule reads besides the report (its regexes'
    /// state tables, its key patterns) is then still in the processor's caches for the next
    /// report (paired measurements: a sixth less time in the rules than report by report;
    /// in a whole batch within this machine's noise, see BENCHMARKS.md).
    pub fn check_many(
        &self,
        reports: &[(&Report, Related)],
        times: Option<&timing::RuleTimes>,
    ) -> Vec<Vec<Finding>> {
        let texts: Vec<narrative::Narrative> = reports.iter().map(|_| Default::default()).collect();
        if let Some(times) = times {
            // Timed, the work rules share is done first and counted on its own: otherwise
            // the first rule to ask for it would be charged for every rule.
            timing::timed(Some(times.of_narrative()), || {
                for ((report, _), text) in reports.iter().zip(&texts) {
                    self.read_narrative(report, text);
                }
            });
        }
        let mut findings: Vec<Vec<Finding>> = reports.iter().map(|_| Vec::new()).collect();
        for (place, rule) in self.rules().enumerate() {
            let spent = times.and_then(|t| t.of_rule(place));
            timing::timed(spent, || {
                for (((report, related), text), found) in
                    reports.iter().zip(&texts).zip(&mut findings)
                {
                    found.extend(check::check(rule, report, *related, text));
                }
            });
        }
        for ((report, _), found) in reports.iter().zip(&mut findings) {
            if found.iter().any(fault::is_arithmetic) {
                timing::timed(times.map(|t| t.of_attribution()), || {
                    let equations: Vec<kinds::sum::Equation> = self
                        .rules()
                        .flat_map(|rule| kinds::sum::equations(rule, report))
                        .collect();
                    fault::attribute(report, &equations, found);
                });
            }
            fault::doubt_blanks_beside_misreadings(found);
            if report.ocr_layer {
                fault::doubt_what_was_recognised(found);
            }
        }
        findings
    }

    /// The narrative's sentences and their quantities, as the rules that apply to the report
    /// will read them.
    fn read_narrative<'r>(&self, report: &'r Report, text: &narrative::Narrative<'r>) {
        let applying = || self.rules().filter(|r| check::applies(r, report));
        if !applying().any(|r| r.kind.reads_sentences()) {
            return;
        }
        let sentences = text.sentences(report);
        if applying().any(|r| r.kind.reads_quantities()) {
            for sentence in sentences {
                sentence.quantities();
            }
        }
    }

    /// Whether any rule reads the same organ's report of an earlier year.
    pub fn reads_previous(&self) -> bool {
        self.rules().any(|r| match &r.kind {
            Kind::Expression(e) => expr::uses_last(e),
            kind => kind.needs_previous(),
        })
    }

    /// The lowest threshold of the rules comparing a report with other organs' reports of
    /// its year, or `None` when no such rule is on (the batch then finds no peers).
    pub fn peer_threshold(&self) -> Option<f64> {
        self.rules()
            .filter_map(|r| match r.kind {
                Kind::PeerOverlap { threshold } => Some(threshold),
                _ => None,
            })
            .reduce(f64::min)
    }

    /// Applies a configuration: rules switched off, severities changed.
    pub fn configure(&mut self, config: &Config) -> Result<(), String> {
        for id in config.disable.iter().chain(config.severity.keys()) {
            if self.rule(id).is_none() {
                return Err(format!("no rule {id:?} in the packs"));
            }
        }
        for pack in &mut self.packs {
            pack.rules.retain(|r| !config.disable.contains(&r.id));
            for rule in &mut pack.rules {
                if let Some(severity) = config.severity.get(&rule.id) {
                    rule.severity = *severity;
                }
            }
        }
        Ok(())
    }
}

/// Other reports a rule may compare a report with.
#[derive(Debug, Default, Clone, Copy)]
pub struct Related<'a> {
    /// The same organ's latest earlier report (cross-year rules).
    pub previous: Option<&'a Report>,
    /// Another organ's report of the same year whose text is most like this one's (found by
    /// the batch; peer rules).
    pub peer: Option<&'a Report>,
}

/// What a `nianbao.toml` says about rules.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Config {
    pub disable: Vec<String>,
    pub severity: BTreeMap<String, nianbao_model::Severity>,
}

/// Whether a rule applies to a report (its eras and years).
pub fn applies(rule: &Rule, report: &Report) -> bool {
    check::applies(rule, report)
}

/// A report of these cells' values and nothing else: the tests' reports.
#[cfg(test)]
pub(crate) fn report_with_values(cells: &[(&str, Option<f64>)]) -> Report {
    let mut report = Report::default();
    for &(key, value) in cells {
        report
            .cells
            .insert(key, nianbao_model::Cell::of_value(value));
    }
    report
}

/// Narrative lines of these texts, copied as they are, at no place: the tests' lines.
#[cfg(test)]
pub(crate) fn text_lines(texts: &[&str]) -> Vec<nianbao_model::TextLine> {
    texts
        .iter()
        .map(|t| nianbao_model::TextLine {
            text: t.to_string(),
            span: Default::default(),
            section: None,
            origin: nianbao_model::LineOrigin::Copied,
        })
        .collect()
}

/// Numbers below `n` drawn the same every run from `state` (a linear congruential
/// generator): the tests' generated inputs.
#[cfg(test)]
pub(crate) fn seeded_below(mut state: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize % n
    }
}
