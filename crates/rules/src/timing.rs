//! Time spent in each rule of a rule set, summed over every report and thread that checks
//! with it (`nianbao audit --timing`): which rule makes a batch slow.
//!
//! Work rules share (the narrative split into sentences) is done by the first rule that
//! needs it and counted as that rule's.

use crate::{Rule, RuleSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Nanoseconds spent in each rule, by the rule's place in its set (`RuleSet::rules`), and
/// in attributing arithmetic findings to cells.
pub struct RuleTimes {
    spent: Vec<AtomicU64>,
    attribution: AtomicU64,
}

impl RuleTimes {
    /// Empty times for the rules of `rules` (only for checks with that set).
    pub fn new(rules: &RuleSet) -> RuleTimes {
        RuleTimes {
            spent: rules.rules().map(|_| AtomicU64::new(0)).collect(),
            attribution: AtomicU64::new(0),
        }
    }

    pub(crate) fn add(&self, place: usize, spent: Duration) {
        if let Some(total) = self.spent.get(place) {
            total.fetch_add(nanos(spent), Ordering::Relaxed);
        }
    }

    pub(crate) fn add_attribution(&self, spent: Duration) {
        self.attribution.fetch_add(nanos(spent), Ordering::Relaxed);
    }

    /// Each rule of `rules` (the set these times were made for) with its time, slowest
    /// first; of equal times, in the set's order.
    pub fn slowest<'a>(&self, rules: &'a RuleSet) -> Vec<(&'a Rule, Duration)> {
        let mut by_rule: Vec<(&Rule, Duration)> = rules
            .rules()
            .zip(&self.spent)
            .map(|(rule, spent)| (rule, Duration::from_nanos(spent.load(Ordering::Relaxed))))
            .collect();
        by_rule.sort_by_key(|(_, spent)| std::cmp::Reverse(*spent));
        by_rule
    }

    /// Time spent attributing arithmetic findings to the cells that most likely caused them.
    pub fn attribution(&self) -> Duration {
        Duration::from_nanos(self.attribution.load(Ordering::Relaxed))
    }
}

fn nanos(spent: Duration) -> u64 {
    u64::try_from(spent.as_nanos()).unwrap_or(u64::MAX)
}
