//! Time spent in each rule of a rule set, summed over every report and thread that checks
//! with it (`nianbao audit --timing`): which rule makes a batch slow.
//!
//! Work rules share (the narrative split into sentences) is done by the first rule that
//! needs it and counted as that rule's.

use crate::{Rule, RuleSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Time added up from any number of threads.
#[derive(Default)]
pub struct Spent(AtomicU64);

impl Spent {
    pub fn add(&self, spent: Duration) {
        let nanos = u64::try_from(spent.as_nanos()).unwrap_or(u64::MAX);
        self.0.fetch_add(nanos, Ordering::Relaxed);
    }

    pub fn total(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }
}

/// Runs `work`, adding its time to `spent` when there is one (no clock is read otherwise).
pub fn timed<T>(spent: Option<&Spent>, work: impl FnOnce() -> T) -> T {
    match spent {
        None => work(),
        Some(spent) => {
            let started = Instant::now();
            let done = work();
            spent.add(started.elapsed());
            done
        }
    }
}

/// The time spent in each rule, by the rule's place in its set (`RuleSet::rules`), and in
/// attributing arithmetic findings to cells.
pub struct RuleTimes {
    rules: Vec<Spent>,
    attribution: Spent,
    narrative: Spent,
}

impl RuleTimes {
    /// Empty times for the rules of `rules` (only for checks with that set).
    pub fn new(rules: &RuleSet) -> RuleTimes {
        RuleTimes {
            rules: rules.rules().map(|_| Spent::default()).collect(),
            attribution: Spent::default(),
            narrative: Spent::default(),
        }
    }

    pub(crate) fn of_rule(&self, place: usize) -> Option<&Spent> {
        self.rules.get(place)
    }

    pub(crate) fn of_attribution(&self) -> &Spent {
        &self.attribution
    }

    pub(crate) fn of_narrative(&self) -> &Spent {
        &self.narrative
    }

    /// Each rule of `rules` (the set these times were made for) with its time, slowest
    /// first; of equal times, in the set's order.
    pub fn slowest<'a>(&self, rules: &'a RuleSet) -> Vec<(&'a Rule, Duration)> {
        let mut by_rule: Vec<(&Rule, Duration)> = rules
            .rules()
            .zip(&self.rules)
            .map(|(rule, spent)| (rule, spent.total()))
            .collect();
        by_rule.sort_by_key(|(_, spent)| std::cmp::Reverse(*spent));
        by_rule
    }

    /// Time spent attributing arithmetic findings to the cells that most likely caused them.
    pub fn attribution(&self) -> Duration {
        self.attribution.total()
    }

    /// Time spent splitting narratives into sentences and reading their quantities, which
    /// the narrative rules share.
    pub fn narrative(&self) -> Duration {
        self.narrative.total()
    }
}
