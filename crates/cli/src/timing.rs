//! `audit --timing`: where a batch's time goes — each stage's and each rule's, summed over
//! the threads that did the work — written to stderr after the audit. For rule authors (a
//! pattern that backtracks shows at the top) and for whoever makes nianbao faster.

use nianbao_rules::timing::{RuleTimes, Spent};
use nianbao_rules::RuleSet;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The stages of a batch, in the order a report goes through them.
#[derive(Clone, Copy)]
pub(crate) enum Stage {
    /// Identifying every file (and sketching its prose) to pair reports.
    FirstPass,
    /// Reading, decoding and parsing a report.
    ReadParse,
    /// Reading a predecessor or peer for a chunk it is not in (one later in the batch, or one
    /// let go of).
    ReadRelated,
    /// Rules, plugins and the score.
    Check,
    /// Rendering the results and writing them out.
    Output,
}

const STAGES: [(Stage, &str); 5] = [
    (
        Stage::FirstPass,
        "first pass: identity, prose sketch (识别与配对)",
    ),
    (Stage::ReadParse, "reading and parsing (读取与解析)"),
    (
        Stage::ReadRelated,
        "related reports read for another's chunk (为比对另读上年/同类报告)",
    ),
    (Stage::Check, "rules, plugins, score (规则与评分)"),
    (Stage::Output, "rendering and writing the results (输出)"),
];

/// How many rules the report lists.
const SLOWEST_SHOWN: usize = 20;

pub(crate) struct Timing {
    pub(crate) rules: RuleTimes,
    stages: [Spent; STAGES.len()],
    reports: AtomicU64,
    /// Predecessors and peers read for a chunk they are not in (`Stage::ReadRelated`).
    related_reads: AtomicU64,
    /// Files whose parse their chunk found done (`Stage::ReadParse`): by the first pass, or
    /// for an earlier chunk that compared with them.
    parsed_early: AtomicU64,
}

impl Timing {
    pub(crate) fn new(rules: &RuleSet) -> Timing {
        Timing {
            rules: RuleTimes::new(rules),
            stages: Default::default(),
            reports: AtomicU64::new(0),
            related_reads: AtomicU64::new(0),
            parsed_early: AtomicU64::new(0),
        }
    }

    pub(crate) fn add(&self, stage: Stage, spent: Duration) {
        self.stages[stage as usize].add(spent);
    }

    pub(crate) fn count_report(&self) {
        self.reports.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_related_read(&self) {
        self.related_reads.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_parsed_early(&self) {
        self.parsed_early.fetch_add(1, Ordering::Relaxed);
    }

    /// How many files their chunk found parsed.
    pub(crate) fn parsed_early(&self) -> u64 {
        self.parsed_early.load(Ordering::Relaxed)
    }

    /// How many predecessors and peers were read for a chunk they are not in.
    pub(crate) fn related_reads(&self) -> u64 {
        self.related_reads.load(Ordering::Relaxed)
    }

    /// The stages' and the slowest rules' times, with `wall` the audit's elapsed time.
    pub(crate) fn write(&self, rules: &RuleSet, wall: Duration, err: &mut dyn Write) {
        let reports = self.reports.load(Ordering::Relaxed);
        if reports == 0 {
            let _ = writeln!(err, "用时 timing: no report was read");
            return;
        }
        let per_report = |d: Duration| d.as_secs_f64() * 1e6 / reports as f64;
        let _ = writeln!(
            err,
            "用时 timing: {reports} report{}, {:.2} s wall; each piece of work's time, summed over threads",
            if reports == 1 { "" } else { "s" },
            wall.as_secs_f64()
        );
        for (stage, name) in STAGES {
            let spent = self.stages[stage as usize].total();
            let count = match stage {
                Stage::ReadRelated => format!(": {} reports", self.related_reads()),
                Stage::ReadParse => format!(": {} parsed before their turn", self.parsed_early()),
                _ => String::new(),
            };
            let _ = writeln!(
                err,
                "  {:>9.1} ms {:>8.1} µs/report  {name}{count}",
                ms(spent),
                per_report(spent)
            );
        }
        let slowest = self.rules.slowest(rules);
        let total: Duration = slowest.iter().map(|(_, d)| *d).sum::<Duration>()
            + self.rules.attribution()
            + self.rules.narrative();
        let share = |d: Duration| 100.0 * d.as_secs_f64() / total.as_secs_f64().max(1e-12);
        let _ = writeln!(
            err,
            "slowest rules (share of all rules' time, {:.1} ms):",
            ms(total)
        );
        for (rule, spent) in slowest.iter().take(SLOWEST_SHOWN) {
            let title: String = rule.title.chars().take(24).collect();
            let _ = writeln!(
                err,
                "  {:<24} {:>9.1} ms {:>5.1}% {:>8.1} µs/report  {title}",
                rule.id,
                ms(*spent),
                share(*spent),
                per_report(*spent)
            );
        }
        let shared = [
            (
                "(narrative)",
                self.rules.narrative(),
                "(sentences and quantities the narrative rules share)",
            ),
            (
                "(attribution)",
                self.rules.attribution(),
                "(faults of arithmetic findings)",
            ),
        ];
        for (name, spent, what) in shared {
            let _ = writeln!(
                err,
                "  {:<24} {:>9.1} ms {:>5.1}% {:>8.1} µs/report  {what}",
                name,
                ms(spent),
                share(spent),
                per_report(spent)
            );
        }
        if slowest.len() > SLOWEST_SHOWN {
            let rest: Duration = slowest[SLOWEST_SHOWN..].iter().map(|(_, d)| *d).sum();
            let _ = writeln!(
                err,
                "  {} more rules: {:.1} ms, {:.1}%",
                slowest.len() - SLOWEST_SHOWN,
                ms(rest),
                share(rest)
            );
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Runs `work`, adding its time to `stage` when timing is on.
pub(crate) fn timed<T>(timing: Option<&Timing>, stage: Stage, work: impl FnOnce() -> T) -> T {
    nianbao_rules::timing::timed(timing.map(|t| &t.stages[stage as usize]), work)
}
