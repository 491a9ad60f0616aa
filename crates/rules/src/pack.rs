//! Rule packs: TOML files of rules, validated on load with file:line:column errors.

use crate::expr::{self, Expr};
use crate::keys::KeyPattern;
use crate::lines::LinePattern;
use nianbao_model::{Era, Family, SectionId, Severity, TableId};
use regex::Regex;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct PackError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    pack: RawHeader,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: String,
    version: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    eras: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    years: Option<Spanned<Vec<i32>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub(crate) id: Spanned<String>,
    pub(crate) title: String,
    pub(crate) family: Spanned<String>,
    pub(crate) severity: Spanned<String>,
    pub(crate) message: String,
    pub(crate) kind: Spanned<String>,
    #[serde(default)]
    pub(crate) eras: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) years: Option<Spanned<Vec<i32>>>,
    #[serde(default)]
    pub(crate) deduction: Option<f64>,
    #[serde(default)]
    pub(crate) max_deduction: Option<f64>,
    #[serde(default)]
    pub(crate) legal: Option<String>,
    #[serde(default)]
    pub(crate) doc: Option<String>,
    // Kind-specific fields.
    #[serde(default)]
    pub(crate) total: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) items: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) left: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) right: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) tolerance: Option<f64>,
    #[serde(default)]
    pub(crate) sections: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) tables: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) cells: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) min: Option<f64>,
    #[serde(default)]
    pub(crate) pattern: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) cell: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) section: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) confidence: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) approximate_severity: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) when: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) government: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) department: Option<Spanned<String>>,
    #[serde(default)]
    before_2019: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) this: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) last: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) relation: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) factor: Option<f64>,
    #[serde(default)]
    pub(crate) threshold: Option<f64>,
    #[serde(default)]
    pub(crate) topics: Option<Vec<RawTopic>>,
    #[serde(default)]
    pub(crate) scope: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) max_gap: Option<i32>,
    #[serde(default)]
    pub(crate) advisory: Option<bool>,
    #[serde(default)]
    pub(crate) levels: Option<Vec<Vec<String>>>,
    #[serde(default)]
    pub(crate) not_places: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) not_after: Option<String>,
    #[serde(default)]
    pub(crate) pairs: Option<Vec<RawPair>>,
    #[serde(default)]
    pub(crate) unless: Option<Vec<String>>,
    #[serde(default)]
    pub(crate) organ_levels: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) documents: Option<Vec<RawDocument>>,
    #[serde(default)]
    pub(crate) own_work: Option<Vec<String>>,
}

/// A `narrative_order` pair: figures after `smaller` words never exceed those after `larger`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPair {
    pub(crate) smaller: Vec<String>,
    pub(crate) larger: Vec<String>,
}

/// A `superseded_basis` document: cited in reports on `from_year` or later, it is outdated.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawDocument {
    pub(crate) pattern: Spanned<String>,
    pub(crate) name: String,
    pub(crate) from_year: i32,
    pub(crate) replaced_by: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTopic {
    pub(crate) name: String,
    pub(crate) pattern: Spanned<String>,
}

/// How a cell relates to the same organ's report of the year before.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Relation {
    /// This year's cell must equal last year's (结转 carry-over).
    Equal,
    /// A finding when the value grows or shrinks by `factor` or more.
    Jump(f64),
}

/// What a rule checks; the body of each kind.
#[derive(Debug)]
pub enum Kind {
    /// Σleft = Σright for every binding of the patterns' variables.
    Sum {
        left: Vec<KeyPattern>,
        right: Vec<KeyPattern>,
        tolerance: f64,
        /// The equations per binding, worked out on first use.
        instances: std::sync::OnceLock<crate::kinds::sum::SumInstances>,
    },
    RequiredSections(Vec<SectionId>),
    RequiredTables(Vec<TableId>),
    /// `tables: false`: the report's form against its year; `true`: each table whose form
    /// differs from the report's own (one part on another form).
    EraYear {
        tables: bool,
    },
    BlankCells(Vec<KeyPattern>),
    Range {
        cells: Vec<KeyPattern>,
        min: f64,
    },
    TextTable {
        pattern: LinePattern,
        cell: Expr,
        section: Option<SectionId>,
        confidence: String,
        approximate_severity: Severity,
    },
    StaleYear(LinePattern),
    Expression(Expr),
    Deadline {
        government: (u32, u32),
        department: (u32, u32),
        before_2019: (u32, u32),
    },
    NoDate,
    /// The report's year or organ could not be read.
    Unidentified,
    /// The title's year against the year the body consistently reports.
    YearConflict,
    /// An enumeration's parts against the total the sentence states.
    NarrativeSum,
    /// A stated share against the part and the total the sentence states.
    NarrativeRatio,
    /// Figures of one sentence that one can never exceed the other of.
    NarrativeOrder {
        pairs: Vec<crate::kinds::narrative_order::OrderedPair>,
        unless: Vec<String>,
    },
    /// The improvement plan dated with the report's own year or earlier; `pattern` says
    /// the sentence speaks of the future.
    PlanYear(Regex),
    /// 规章 made or in force reported by an organ of a level that cannot make them.
    RuleMakingPower {
        cells: Vec<KeyPattern>,
        levels: Vec<nianbao_model::Level>,
    },
    /// Citations of documents that no longer applied to the report's year.
    SupersededBasis(Vec<crate::kinds::superseded::Superseded>),
    /// Places named in the text that are not the organ's own, above or under it.
    PlaceResidue {
        unless: Vec<String>,
        own_work: Vec<String>,
    },
    /// Cells a table's form has that were not read: checks on them were not made.
    Completeness(Vec<TableId>),
    StatPeriod,
    /// The file has no text layer (a scanned PDF).
    NoTextLayer,
    /// The file's text is a PDF's OCR layer (a scan with its recognised text).
    OcrLayer,
    /// A web page that gives the report only as attachments (`Report::body_in_attachments`).
    InAttachments,
    /// The file's content is not what its extension says.
    Misnamed,
    /// Needs last year's report of the same organ.
    CrossYear {
        this: KeyPattern,
        last: KeyPattern,
        relation: Relation,
        /// Each of this year's keys with last year's key under the same binding: they
        /// depend only on the catalogue, worked out once.
        pairs: std::sync::OnceLock<Vec<(&'static str, &'static str)>>,
    },
    /// Share of this year's narrative already in last year's (0–1).
    TextOverlap {
        threshold: f64,
    },
    /// The body speaks of itself by a place word its organ's name does not carry, at the
    /// organ's level or below (我县 in a 区's report): text written for another organ.
    SelfReference(crate::places::Places),
    /// Share of the narrative also in another organ's report of the same year (0–1): the
    /// batch finds the most alike one.
    PeerOverlap {
        threshold: f64,
    },
    /// Headings (一、二、…) of the narrative out of count.
    HeadingNumbers,
    /// Enumerations (一是、二是 …) that skip or repeat a number; a numeral after a character
    /// of `not_after` ends a word (统一是) and is no item.
    Enumeration {
        not_after: String,
    },
    /// Topics a part's text must mention.
    RequiredText {
        section: SectionId,
        topics: Vec<(String, LinePattern)>,
    },
}

impl Kind {
    pub fn needs_previous(&self) -> bool {
        matches!(self, Kind::CrossYear { .. } | Kind::TextOverlap { .. })
    }

    /// Whether the kind reads the narrative as sentences (split once per check for all).
    pub fn reads_sentences(&self) -> bool {
        self.reads_quantities() || matches!(self, Kind::PlanYear(_) | Kind::PlaceResidue { .. })
    }

    /// Whether it reads the quantities the sentences state (read once per sentence).
    pub fn reads_quantities(&self) -> bool {
        matches!(
            self,
            Kind::NarrativeSum | Kind::NarrativeRatio | Kind::NarrativeOrder { .. }
        )
    }
}

/// A rule ready to run.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub family: Family,
    pub severity: Severity,
    pub message: String,
    pub eras: Vec<Era>,
    pub years: Option<(i32, i32)>,
    pub deduction: f64,
    pub max_deduction: Option<f64>,
    pub legal: Option<String>,
    pub doc: Option<String>,
    pub pack: String,
    pub kind: Kind,
    /// For rules reading last year's report: how many years back it may be (default 1).
    pub max_gap: i32,
    /// Advice rather than a fault: the conservative scoring mode deducts nothing for it.
    pub advisory: bool,
}

/// A loaded pack.
#[derive(Debug)]
pub struct Pack {
    pub name: String,
    pub version: String,
    pub description: Option<String>,
    pub file: String,
    /// SHA-256 of the pack's text (hex), so that a batch records exactly which rules ran.
    pub sha256: String,
    pub rules: Vec<Rule>,
}

pub(crate) struct Ctx<'a> {
    file: &'a str,
    text: &'a str,
}

impl Ctx<'_> {
    pub(crate) fn error(&self, span: Range<usize>, message: impl Into<String>) -> PackError {
        let before = &self.text[..span.start.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        PackError {
            file: self.file.to_string(),
            line,
            column,
            message: message.into(),
        }
    }

    pub(crate) fn need<'v, T>(
        &self,
        value: &'v Option<T>,
        what: &str,
        kind: &Spanned<String>,
    ) -> Result<&'v T, PackError> {
        value.as_ref().ok_or_else(|| {
            self.error(
                kind.span(),
                format!("kind {:?} needs the field `{what}`", kind.get_ref()),
            )
        })
    }

    pub(crate) fn patterns(&self, list: &[Spanned<String>]) -> Result<Vec<KeyPattern>, PackError> {
        list.iter()
            .map(|p| KeyPattern::new(p.get_ref()).map_err(|m| self.error(p.span(), m)))
            .collect()
    }

    pub(crate) fn regex(&self, p: &Spanned<String>) -> Result<Regex, PackError> {
        Regex::new(p.get_ref()).map_err(|e| self.error(p.span(), format!("bad pattern: {e}")))
    }

    /// A pattern the rule asks of each line of the text.
    pub(crate) fn line_pattern(&self, p: &Spanned<String>) -> Result<LinePattern, PackError> {
        self.regex(p).map(LinePattern::from)
    }

    /// The rule's line pattern, which must name a group `group` (what the kind reads).
    pub(crate) fn pattern_naming(
        &self,
        raw: &RawRule,
        kind: &Spanned<String>,
        group: &str,
    ) -> Result<LinePattern, PackError> {
        let written = self.need(&raw.pattern, "pattern", kind)?;
        let pattern = self.line_pattern(written)?;
        if !pattern
            .regex()
            .capture_names()
            .flatten()
            .any(|n| n == group)
        {
            let message = format!(
                "a {} pattern needs a named group (?P<{group}>…)",
                kind.get_ref()
            );
            return Err(self.error(written.span(), message));
        }
        Ok(pattern)
    }

    pub(crate) fn expression(&self, p: &Spanned<String>) -> Result<Expr, PackError> {
        expr::parse(p.get_ref()).map_err(|e| {
            // The span covers the quoted string; +1 steps over the opening quote.
            let at = p.span().start + 1 + e.offset;
            self.error(at..at, format!("bad expression: {}", e.message))
        })
    }

    pub(crate) fn severity(&self, s: &Spanned<String>) -> Result<Severity, PackError> {
        Severity::parse(s.get_ref()).ok_or_else(|| {
            self.error(
                s.span(),
                format!(
                    "unknown severity {:?} (error, warning, info){}",
                    s.get_ref(),
                    crate::kinds::did_you_mean(s.get_ref(), ["error", "warning", "info"])
                ),
            )
        })
    }

    pub(crate) fn month_day(
        &self,
        s: &Option<Spanned<String>>,
        default: (u32, u32),
    ) -> Result<(u32, u32), PackError> {
        let Some(s) = s else { return Ok(default) };
        let parsed = s
            .get_ref()
            .split_once('-')
            .and_then(|(m, d)| Some((m.parse().ok()?, d.parse().ok()?)));
        match parsed {
            Some((m, d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => Ok((m, d)),
            _ => Err(self.error(
                s.span(),
                format!("{:?} is not a month-day like \"03-31\"", s.get_ref()),
            )),
        }
    }

    fn eras(&self, list: &Option<Vec<Spanned<String>>>) -> Result<Option<Vec<Era>>, PackError> {
        list.as_ref()
            .map(|l| {
                l.iter()
                    .map(|e| {
                        Era::parse(e.get_ref()).ok_or_else(|| {
                            self.error(
                                e.span(),
                                format!("unknown era {:?} (pre2019, 2019, 2021)", e.get_ref()),
                            )
                        })
                    })
                    .collect()
            })
            .transpose()
    }

    fn years(&self, y: &Option<Spanned<Vec<i32>>>) -> Result<Option<(i32, i32)>, PackError> {
        match y {
            None => Ok(None),
            Some(s) => match s.get_ref().as_slice() {
                [a, b] if a <= b => Ok(Some((*a, *b))),
                _ => Err(self.error(s.span(), "years must be [first, last]")),
            },
        }
    }
}

pub(crate) fn section_id(ctx: &Ctx, s: &Spanned<String>) -> Result<SectionId, PackError> {
    SectionId::from_numeral(s.get_ref()).ok_or_else(|| {
        ctx.error(
            s.span(),
            format!("unknown section {:?} (一 … 六)", s.get_ref()),
        )
    })
}

/// A rule's `threshold`: a share above 0 and at most 1 (default one half).
fn share(ctx: &Ctx, raw: &RawRule, kind: &Spanned<String>) -> Result<f64, PackError> {
    match raw.threshold.unwrap_or(0.5) {
        t if t > 0.0 && t <= 1.0 => Ok(t),
        t => Err(ctx.error(
            kind.span(),
            format!("threshold is a share above 0 and at most 1, not {t}"),
        )),
    }
}

fn table_ids(ctx: &Ctx, tables: &[Spanned<String>]) -> Result<Vec<TableId>, PackError> {
    tables
        .iter()
        .map(|t| match t.get_ref().as_str() {
            "t2" => Ok(TableId::T2),
            "t3" => Ok(TableId::T3),
            "t4" => Ok(TableId::T4),
            "old" => Ok(TableId::Old),
            other => Err(ctx.error(
                t.span(),
                format!("unknown table {other:?} (t2, t3, t4, old)"),
            )),
        })
        .collect()
}

fn kind_of(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let tolerance = raw.tolerance.unwrap_or(0.0);
    Ok(match k.get_ref().as_str() {
        "sum" => Kind::Sum {
            instances: std::sync::OnceLock::new(),
            left: vec![KeyPattern::new(ctx.need(&raw.total, "total", k)?.get_ref())
                .map_err(|m| ctx.error(raw.total.as_ref().map_or(k.span(), |t| t.span()), m))?],
            right: ctx.patterns(ctx.need(&raw.items, "items", k)?)?,
            tolerance,
        },
        "balance" => Kind::Sum {
            instances: std::sync::OnceLock::new(),
            left: ctx.patterns(ctx.need(&raw.left, "left", k)?)?,
            right: ctx.patterns(ctx.need(&raw.right, "right", k)?)?,
            tolerance,
        },
        "required_sections" => Kind::RequiredSections(
            ctx.need(&raw.sections, "sections", k)?
                .iter()
                .map(|s| section_id(ctx, s))
                .collect::<Result<_, _>>()?,
        ),
        "required_tables" => {
            Kind::RequiredTables(table_ids(ctx, ctx.need(&raw.tables, "tables", k)?)?)
        }
        "completeness" => Kind::Completeness(table_ids(ctx, ctx.need(&raw.tables, "tables", k)?)?),
        "era_year" => Kind::EraYear {
            tables: match raw.scope.as_ref().map(|s| s.get_ref().as_str()) {
                None | Some("report") => false,
                Some("tables") => true,
                Some(other) => {
                    let span = raw.scope.as_ref().map_or(k.span(), |s| s.span());
                    return Err(
                        ctx.error(span, format!("unknown scope {other:?} (report, tables)"))
                    );
                }
            },
        },
        "blank_cells" => Kind::BlankCells(ctx.patterns(ctx.need(&raw.cells, "cells", k)?)?),
        "range" => Kind::Range {
            cells: ctx.patterns(ctx.need(&raw.cells, "cells", k)?)?,
            min: raw.min.unwrap_or(0.0),
        },
        "text_table" => crate::kinds::text_table::from_toml(ctx, raw)?,
        "stale_year" => {
            let pattern = ctx.pattern_naming(raw, k, "year")?;
            Kind::StaleYear(pattern)
        }
        "expression" => crate::kinds::expression::from_toml(ctx, raw)?,
        "deadline" => Kind::Deadline {
            government: ctx.month_day(&raw.government, (3, 31))?,
            department: ctx.month_day(&raw.department, (1, 31))?,
            before_2019: ctx.month_day(&raw.before_2019, (3, 31))?,
        },
        "no_date" => Kind::NoDate,
        "unidentified" => Kind::Unidentified,
        "year_conflict" => Kind::YearConflict,
        "narrative_sum" => Kind::NarrativeSum,
        "narrative_ratio" => Kind::NarrativeRatio,
        "narrative_order" => crate::kinds::narrative_order::from_toml(ctx, raw)?,
        "plan_year" => Kind::PlanYear(ctx.regex(ctx.need(&raw.pattern, "pattern", k)?)?),
        "rule_making_power" => crate::kinds::rule_power::from_toml(ctx, raw)?,
        "place_residue" => Kind::PlaceResidue {
            unless: raw.unless.clone().unwrap_or_default(),
            own_work: raw.own_work.clone().unwrap_or_default(),
        },
        "superseded_basis" => crate::kinds::superseded::from_toml(ctx, raw)?,
        "no_text_layer" => Kind::NoTextLayer,
        "ocr_layer" => Kind::OcrLayer,
        "in_attachments" => Kind::InAttachments,
        "misnamed" => Kind::Misnamed,
        "cross_year" => crate::kinds::cross_year::from_toml(ctx, raw)?,
        "text_overlap" => Kind::TextOverlap {
            threshold: share(ctx, raw, k)?,
        },
        "peer_overlap" => Kind::PeerOverlap {
            threshold: share(ctx, raw, k)?,
        },
        "required_text" => crate::kinds::required_text::from_toml(ctx, raw)?,
        "stat_period" => Kind::StatPeriod,
        "heading_numbers" => Kind::HeadingNumbers,
        "enumeration" => Kind::Enumeration {
            not_after: raw.not_after.clone().unwrap_or_default(),
        },
        "self_reference" => crate::kinds::self_reference::from_toml(ctx, raw)?,
        other => {
            let names = crate::kinds::KINDS.iter().map(|k| k.name);
            return Err(ctx.error(
                k.span(),
                format!(
                    "unknown kind {other:?} — expected one of {} (see `nianbao rules kinds`){}",
                    names.clone().collect::<Vec<_>>().join(", "),
                    crate::kinds::did_you_mean(other, names)
                ),
            ));
        }
    })
}

/// Refuses a message placeholder the rule's kind does not fill, naming the ones it does.
/// Cell keys in braces (`{t3.new.total}`) are always allowed: they print the cell's value.
fn check_placeholders(ctx: &Ctx, r: &RawRule) -> Result<(), PackError> {
    let Some(kind) = crate::kinds::kind_doc(r.kind.get_ref()) else {
        return Ok(()); // the kind's own error says more
    };
    let available: Vec<&str> = crate::kinds::COMMON_PLACEHOLDERS
        .iter()
        .chain(kind.placeholders)
        .copied()
        .collect();
    for name in crate::kinds::placeholders_in(&r.message) {
        if available.contains(&name) || nianbao_model::catalog().get(name).is_some() {
            continue;
        }
        return Err(ctx.error(
            r.kind.span(),
            format!(
                "rule {}: the message uses {{{name}}}, which kind {:?} does not fill — available: {}, or a cell key such as {{t3.new.total}} (its value){}",
                r.id.get_ref(),
                kind.name,
                available.iter().map(|a| format!("{{{a}}}")).collect::<Vec<_>>().join(" "),
                crate::kinds::did_you_mean(name, available.iter().copied())
            ),
        ));
    }
    Ok(())
}

/// Parses and validates one pack file.
pub fn load_pack(file: &str, text: &str) -> Result<Pack, PackError> {
    let ctx = Ctx { file, text };
    let raw: RawPack = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        ctx.error(span, e.message().trim().to_string())
    })?;
    let pack_eras = ctx.eras(&raw.pack.eras)?;
    let pack_years = ctx.years(&raw.pack.years)?;
    let id_pattern = Regex::new(r"^[A-Z][A-Z0-9]*(\.[A-Z0-9_]+)+$").expect("valid id pattern");
    let mut rules = Vec::new();
    for r in &raw.rule {
        if !id_pattern.is_match(r.id.get_ref()) {
            return Err(ctx.error(
                r.id.span(),
                format!(
                    "rule id {:?} must look like T3.ROW_SUM (capitals, dot-separated)",
                    r.id.get_ref()
                ),
            ));
        }
        let family = Family::parse(r.family.get_ref()).ok_or_else(|| {
            let names = Family::ALL.map(|f| f.as_str());
            ctx.error(
                r.family.span(),
                format!(
                    "unknown family {:?} — expected one of {}{}",
                    r.family.get_ref(),
                    names.join(", "),
                    crate::kinds::did_you_mean(r.family.get_ref(), names)
                ),
            )
        })?;
        check_placeholders(&ctx, r)?;
        let eras = ctx
            .eras(&r.eras)?
            .or(pack_eras.clone())
            .unwrap_or_else(|| vec![Era::Pre2019, Era::Y2019, Era::Y2021]);
        rules.push(Rule {
            id: r.id.get_ref().clone(),
            title: r.title.clone(),
            family,
            severity: ctx.severity(&r.severity)?,
            message: r.message.clone(),
            eras,
            years: ctx.years(&r.years)?.or(pack_years),
            deduction: r.deduction.unwrap_or(0.0),
            max_deduction: r.max_deduction,
            legal: r.legal.clone(),
            doc: r.doc.clone(),
            pack: raw.pack.name.clone(),
            kind: kind_of(&ctx, r)?,
            max_gap: r.max_gap.unwrap_or(1).max(1),
            advisory: r.advisory.unwrap_or(false),
        });
    }
    Ok(Pack {
        name: raw.pack.name,
        version: raw.pack.version,
        description: raw.pack.description,
        file: file.to_string(),
        sha256: sha256_hex(text),
        rules,
    })
}

fn sha256_hex(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
