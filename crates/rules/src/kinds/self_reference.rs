//! Kind `self_reference`: the narrative calling itself by a place word that is not the
//! organ's (某县 in a city's report: copied from another organ's).

use crate::check::Draft;
use crate::pack::{Ctx, Kind, PackError, RawRule};
use nianbao_model::{Evidence, Report};

/// A `self_reference` rule's options, read from its pack (errors point at the TOML).
pub(crate) fn from_toml(ctx: &Ctx, raw: &RawRule) -> Result<Kind, PackError> {
    let k = &raw.kind;
    let levels = ctx.need(&raw.levels, "levels", k)?.clone();
    if levels.iter().all(|l| l.is_empty()) {
        return Err(ctx.error(k.span(), "levels needs at least one place word"));
    }
    let not_places = raw.not_places.clone().unwrap_or_default();
    // An empty word would match before every character.
    if levels
        .iter()
        .flatten()
        .chain(&not_places)
        .any(|w| w.is_empty())
    {
        return Err(ctx.error(
            k.span(),
            "levels and not_places hold words, not empty strings",
        ));
    }
    Ok(Kind::SelfReference(crate::places::Places::new(
        levels, not_places,
    )))
}

/// One finding per place word the report wrongly calls itself by, at its first use.
pub(crate) fn self_references(report: &Report, places: &crate::places::Places) -> Vec<Draft> {
    let Some(organ) = &report.organ else {
        return Vec::new();
    };
    let name_words = places.in_name(organ);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut counts: Vec<usize> = Vec::new();
    for (k, line) in report.text.iter().enumerate() {
        // A line may break inside the word (a PDF's 我 / 县): the next line's start is read
        // too, when a word could run on into it; the evidence's context always reads it.
        let with_next = || {
            let next = report.text.get(k + 1).map_or("", |n| n.text.trim_start());
            let carry: String = next.chars().take(2).collect();
            format!("{}{carry}", line.text)
        };
        let with_next = std::cell::LazyCell::new(with_next);
        let joined: &str = match places.may_run_on(&line.text) {
            true => &with_next,
            false => &line.text,
        };
        for found in places.self_references(joined) {
            if found.range.start >= line.text.len()
                || places.fits(&name_words, found.word, found.level)
            {
                continue;
            }
            let text = &joined[found.range.clone()];
            let in_line = found.range.start..found.range.end.min(line.text.len());
            if let Some(i) = drafts
                .iter()
                .position(|d| d.vars.get("text").map(String::as_str) == Some(text))
            {
                counts[i] += 1;
                continue;
            }
            let mut d = Draft::new();
            d.span = Some(line.span_of(in_line.start, in_line.end));
            d.section = line.section;
            d.vars.insert("organ", organ.clone());
            d.vars.insert("text", text.to_string());
            d.evidence = Some(Evidence {
                text: Some(around(&with_next, found.range.clone(), 24)),
                ..Evidence::default()
            });
            drafts.push(d);
            counts.push(1);
        }
    }
    for (d, n) in drafts.iter_mut().zip(counts) {
        d.vars.insert("count", n.to_string());
    }
    drafts
}

/// The text of `range` with up to `context` characters either side (a crawled page can be
/// one line of thousands of characters).
fn around(line: &str, range: std::ops::Range<usize>, context: usize) -> String {
    let start = line[..range.start]
        .char_indices()
        .rev()
        .nth(context.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    let end = line[range.end..]
        .char_indices()
        .nth(context)
        .map_or(line.len(), |(i, _)| range.end + i);
    line[start..end].to_string()
}
