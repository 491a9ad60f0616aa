//! Kind `narrative_sum`: an enumeration with a stated total whose parts do not add up to
//! it ("A类312条、B类147条…" against "共1,180条"; "网站公开802条+政务微博215条" against 1,107).
//!
//! A finding only when the enumeration is evidently the whole of its total:
//! - the total follows the parts ("A x1、B x2，合计X": the total of exactly those parts);
//! - the parts are joined with "+";
//! - the total comes first ("共X条，其中A x1、B x2…") and the parts end with a remainder
//!   (其他/其它/其余…) or are all classes (…类) of one classification.
//!
//! "共X条，其中A x1、B x2" alone names some of the parts, not all: no finding. Parts and
//! total must have one unit; an approximate figure (320余条) makes no sum.

use crate::check::Draft;
use crate::narrative::numbers::Quantity;
use crate::narrative::{introduces_total, re, Sentence};
use nianbao_model::{format_number, Evidence, Report};
use regex::Regex;
use std::sync::OnceLock;

/// One enumeration: its parts (indices into the sentence's quantities) and how they are
/// joined.
struct Run {
    parts: Vec<usize>,
    plus: bool,
    labels: Vec<String>,
}

pub(crate) fn narrative_sums(report: &Report, sentences: &[Sentence]) -> Vec<Draft> {
    sentences.iter().flat_map(|s| sums_in(report, s)).collect()
}

fn sums_in(report: &Report, sentence: &Sentence) -> Vec<Draft> {
    let text: &str = &sentence.text;
    let qs = sentence.quantities();
    // A sum takes two parts and a total beside them (`total_of`): most sentences have
    // fewer figures, and their labels need not be read.
    if qs.len() < 3 {
        return Vec::new();
    }
    let mut drafts = Vec::new();
    for run in runs(text, qs) {
        let Some((total, exhaustive)) = total_of(text, qs, &run) else {
            continue;
        };
        let parts: Vec<&Quantity> = run.parts.iter().map(|&i| &qs[i]).collect();
        if !exhaustive || parts.iter().any(|q| q.approximate) || qs[total].approximate {
            continue;
        }
        let sum: f64 = parts.iter().map(|q| q.value).sum();
        let decimals = parts
            .iter()
            .map(|q| q.decimals)
            .chain([qs[total].decimals])
            .max()
            .unwrap_or(0);
        // Whole numbers add up exactly; figures printed with decimals may each be rounded.
        let tolerance = match decimals {
            0 => 1e-9,
            d => 0.5 * 10f64.powi(-(d as i32)) * parts.len() as f64 + 1e-9,
        };
        if (sum - qs[total].value).abs() <= tolerance {
            continue;
        }
        let mut d = Draft::new();
        let first = parts[0].start.min(qs[total].start);
        d.span = sentence.span(report, first, qs[total].end.max(parts[parts.len() - 1].end));
        d.section = sentence.section;
        d.vars.insert("stated", format_number(qs[total].value));
        d.vars.insert("sum", format_number(sum));
        d.vars.insert("unit", qs[total].unit.to_string());
        let parts_named = match run.labels.len() {
            n if n > 4 => format!("{}等 {n} 项", run.labels[..3].join("、")),
            _ => run.labels.join("、"),
        };
        d.vars.insert("parts", parts_named);
        d.vars.insert("sentence", sentence.quote());
        d.evidence = Some(Evidence {
            reported: Some(qs[total].value),
            computed: Some(sum),
            text: Some(sentence.quote()),
            ..Evidence::default()
        });
        drafts.push(d);
    }
    drafts
}

/// The label a quantity is stated for: the words right before it, back to a separator.
fn label_before(text: &str, end: usize) -> Option<String> {
    let before = &text[..end];
    let start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| {
            matches!(
                c,
                '、' | '，' | ',' | '：' | ':' | '；' | ';' | '+' | '＋' | '（' | '('
            ) || c.is_ascii_digit()
        })
        .map_or(0, |(i, c)| i + c.len_utf8());
    let label = before[start..].trim();
    let label = label.strip_prefix("其中").unwrap_or(label).trim();
    let words = label.trim_start_matches(['和', '及', '以']);
    let fits = (1..=16).contains(&words.chars().count())
        && !["共", "合计", "总计", "累计", "全年"]
            .iter()
            .any(|w| words.contains(w));
    fits.then(|| words.to_string())
}

/// Maximal enumerations: quantities of one unit, each after its own label, joined by 、, +,
/// a comma, 和 or 及.
fn runs(text: &str, qs: &[Quantity]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let mut current: Option<Run> = None;
    for (i, q) in qs.iter().enumerate() {
        let label = label_before(text, q.start);
        let joined = current.as_ref().and_then(|run| {
            let last = &qs[*run.parts.last()?];
            let gap = &text[last.end..q.start];
            let separator = gap.trim_start().chars().next()?;
            let plus = separator == '+' || separator == '＋';
            let fits = last.unit == q.unit
                && matches!(separator, '、' | '，' | ',' | '+' | '＋' | '和' | '及')
                && label.is_some();
            fits.then_some(plus)
        });
        match (joined, current.as_mut()) {
            (Some(plus), Some(run)) => {
                run.parts.push(i);
                run.plus |= plus;
                run.labels.push(label.unwrap_or_default());
            }
            _ => {
                out.extend(current.take().filter(|r| r.parts.len() >= 2));
                current = label.map(|l| Run {
                    parts: vec![i],
                    plus: false,
                    labels: vec![l],
                });
            }
        }
    }
    out.extend(current.filter(|r| r.parts.len() >= 2));
    out
}

/// The run's stated total (an index into the quantities) and whether the run is evidently
/// all of it.
fn total_of(text: &str, qs: &[Quantity], run: &Run) -> Option<(usize, bool)> {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    static BEFORE: OnceLock<Regex> = OnceLock::new();
    let after = re(
        &AFTER,
        r"^\s*[,，]?\s*(?:以上)?(?:合计|共计|总计|总共|共|=|＝)\s*(?:为|达)?\s*$",
    );
    let before = re(&BEFORE, r"(?:其中|包括|分别为|[:：])");
    let first = *run.parts.first()?;
    let last = *run.parts.last()?;
    let unit = &qs[first].unit;
    // "A x1、B x2，合计X": the total of exactly these parts.
    if let Some(next) = qs.get(last + 1).filter(|q| &q.unit == unit) {
        if after.is_match(&text[qs[last].end..next.start]) {
            return Some((last + 1, true));
        }
    }
    // "共X条，其中A x1、B x2…".
    let previous = first.checked_sub(1)?;
    let total = &qs[previous];
    let gap = &text[total.end..qs[first].start];
    if &total.unit != unit || !before.is_match(gap) || !introduces_total(&text[..total.start]) {
        return None;
    }
    let remainder = run.labels.last().is_some_and(|l| {
        ["其他", "其它", "其余", "剩余"]
            .iter()
            .any(|w| l.contains(w))
    });
    let classes = run.labels.iter().all(|l| l.ends_with('类'));
    Some((previous, run.plus || remainder || classes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(line: &str) -> usize {
        let report = crate::narrative::report_of(&[line]);
        narrative_sums(&report, &crate::narrative::sentences(&report)).len()
    }

    #[test]
    fn parts_against_their_total() {
        assert_eq!(
            count("全年共公开信息1,180条，其中A类312条、B类147条、C类521条、D类225条。"),
            1
        );
        assert_eq!(
            count("全年共公开信息1,205条，其中A类312条、B类147条、C类521条、D类225条。"),
            0
        );
        assert_eq!(
            count("通过门户网站公开802条、政务微博公开215条，合计1,107条。"),
            1
        );
        assert_eq!(
            count("通过门户网站公开802条、政务微博公开215条，合计1,017条。"),
            0
        );
        assert_eq!(count("共发布1,107条：网站公开802条+政务微博215条。"), 1);
        assert_eq!(
            count("共发布信息500条，其中政策文件120条、人事信息80条、其他信息290条。"),
            1
        );
    }

    #[test]
    fn no_finding_without_evident_exhaustiveness() {
        // Some of the parts, not all: "其中" alone.
        assert_eq!(
            count("全年共公开信息1,180条，其中政策文件312条、规划计划147条。"),
            0
        );
        // Approximate parts; mixed units.
        assert_eq!(count("网站公开800余条、微博215条，合计1,107条。"), 0);
        assert_eq!(count("召开会议3次、发布信息215条，合计220条。"), 0);
    }
}
