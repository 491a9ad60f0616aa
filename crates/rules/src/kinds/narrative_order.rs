//! Kind `narrative_order`: two figures of one sentence where one can never exceed the other
//! ("受理86件，办结93件": more closed than received). The pairs are the rule's: `larger`
//! words and `smaller` words, each right before its figure; a sentence with an `unless`
//! word (结转: cases carried over from last year may be closed this year) is not checked.

use crate::check::Draft;
use crate::narrative::Sentence;
use crate::pack::{Ctx, Kind, PackError, RawRule};
use nianbao_model::{format_number, Evidence, Report};

/// A `narrative_order` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let pairs = ctx.need(&raw.pairs, "pairs", k)?;
    if pairs.iter().any(|p| {
        p.smaller.iter().chain(&p.larger).any(|w| w.is_empty())
            || p.smaller.is_empty()
            || p.larger.is_empty()
    }) {
        return Err(ctx.error(
            k.span(),
            "every pair needs non-empty words in `smaller` and `larger`",
        ));
    }
    let pairs = pairs
        .iter()
        .map(|p| crate::kinds::narrative_order::OrderedPair {
            smaller: p.smaller.clone(),
            larger: p.larger.clone(),
        })
        .collect();
    Ok(Kind::NarrativeOrder {
        pairs,
        unless: raw.unless.clone().unwrap_or_default(),
    })
}

/// One ordered pair of the rule: a figure after a `smaller` word is at most the figure after
/// a `larger` word of the same sentence and unit.
#[derive(Debug, Clone)]
pub struct OrderedPair {
    pub smaller: Vec<String>,
    pub larger: Vec<String>,
}

/// How far before its figure a word may stand ("办结" … "93件").
const WORD_REACH: usize = 12;

pub(crate) fn narrative_orders(
    report: &Report,
    sentences: &[Sentence],
    pairs: &[OrderedPair],
    unless: &[String],
) -> Vec<Draft> {
    // A sentence without two figures has no pair out of order: the `unless` words are asked
    // of those with (a few of a report's sentences).
    sentences
        .iter()
        .filter(|s| s.quantities().len() >= 2)
        .filter(|s| !unless.iter().any(|w| s.text.contains(w.as_str())))
        .flat_map(|s| pairs.iter().filter_map(move |p| out_of_order(report, s, p)))
        .collect()
}

/// The figure right after one of `words` (the nearest word within reach before it).
fn figure_after(
    sentence: &Sentence,
    words: &[String],
) -> Option<(f64, &'static str, usize, usize, String)> {
    sentence.quantities().iter().find_map(|q| {
        let before = &sentence.text[..q.start];
        let reach = before
            .char_indices()
            .rev()
            .nth(WORD_REACH - 1)
            .map_or(0, |(i, _)| i);
        let window = &before[reach..];
        let word = words.iter().find(|w| window.contains(w.as_str()))?;
        (!q.approximate && q.unit != "%").then(|| (q.value, q.unit, q.start, q.end, word.clone()))
    })
}

fn out_of_order(report: &Report, sentence: &Sentence, pair: &OrderedPair) -> Option<Draft> {
    let (large, large_unit, large_start, _, large_word) = figure_after(sentence, &pair.larger)?;
    let (small, small_unit, _, small_end, small_word) = figure_after(sentence, &pair.smaller)?;
    if small <= large || small_unit != large_unit {
        return None;
    }
    let mut d = Draft::new();
    d.span = sentence.span(report, large_start, small_end);
    d.section = sentence.section;
    d.vars.insert(
        "larger",
        format!("{large_word}{}{large_unit}", format_number(large)),
    );
    d.vars.insert(
        "smaller",
        format!("{small_word}{}{small_unit}", format_number(small)),
    );
    d.vars.insert("sentence", sentence.quote());
    d.evidence = Some(Evidence {
        reported: Some(small),
        computed: Some(large),
        text: Some(sentence.quote()),
        ..Evidence::default()
    });
    Some(d)
}
