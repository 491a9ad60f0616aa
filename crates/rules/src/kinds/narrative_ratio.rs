//! Kind `narrative_ratio`: a share stated of a total that the figures do not give
//! ("共1,180条，其中行政许可96条，占7.45%": 96 is 8.14% of 1,180). The base is the total
//! the sentence states before the part (共/共计/合计/总计/累计 and a figure of the same
//! unit); a sentence without one is not checked. The tolerance is one unit of the last
//! printed digit (7.45% → ±0.01), which allows both rounding and truncation.

use crate::check::Draft;
use crate::narrative::numbers::Quantity;
use crate::narrative::{introduces_total, re, Sentence};
use nianbao_model::{format_number, Evidence, Report};
use regex::Regex;
use std::sync::OnceLock;

pub(crate) fn narrative_ratios(report: &Report, sentences: &[Sentence]) -> Vec<Draft> {
    sentences
        .iter()
        .flat_map(|s| ratios_in(report, s))
        .collect()
}

fn ratios_in(report: &Report, sentence: &Sentence) -> Vec<Draft> {
    static SHARE: OnceLock<Regex> = OnceLock::new();
    // Between the part and its percentage: "，占", "，占总数的", "，占比".
    let share = re(
        &SHARE,
        r"^\s*[,，]?\s*(?:约)?占(?:比|总数|总量|全部|全年)?(?:的)?(?:比例)?(?:为|达)?\s*$",
    );
    let text: &str = &sentence.text;
    let qs = sentence.quantities();
    let mut drafts = Vec::new();
    for (i, pct) in qs.iter().enumerate().filter(|(_, q)| q.unit == "%") {
        let Some(part) = i.checked_sub(1).map(|p| &qs[p]) else {
            continue;
        };
        if part.unit == "%" || part.approximate || !share.is_match(&text[part.end..pct.start]) {
            continue;
        }
        let base = qs[..i - 1]
            .iter()
            .rev()
            .find(|q| q.unit == part.unit && introduces_total(&text[..q.start]));
        let Some(base) = base.filter(|b| b.value > 0.0 && !b.approximate) else {
            continue;
        };
        let computed = part.value / base.value * 100.0;
        let tolerance = 10f64.powi(-(pct.decimals as i32)) + 1e-9;
        if (computed - pct.value).abs() <= tolerance {
            continue;
        }
        drafts.push(draft(report, sentence, base, part, pct, computed));
    }
    drafts
}

fn draft(
    report: &Report,
    sentence: &Sentence,
    base: &Quantity,
    part: &Quantity,
    pct: &Quantity,
    computed: f64,
) -> Draft {
    let mut d = Draft::new();
    d.span = sentence.span(report, part.start, pct.end);
    d.section = sentence.section;
    let shown = format!("{:.*}", pct.decimals.max(1), computed);
    d.vars.insert(
        "part",
        format!("{}{}", format_number(part.value), part.unit),
    );
    d.vars.insert(
        "base",
        format!("{}{}", format_number(base.value), base.unit),
    );
    d.vars
        .insert("stated", format!("{}%", format_number(pct.value)));
    d.vars.insert("computed", format!("{shown}%"));
    d.vars.insert("sentence", sentence.quote());
    d.evidence = Some(Evidence {
        reported: Some(pct.value),
        computed: shown.parse().ok(),
        text: Some(sentence.quote()),
        ..Evidence::default()
    });
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(line: &str) -> usize {
        let report = crate::narrative::report_of(&[line]);
        narrative_ratios(&report, &crate::narrative::sentences(&report)).len()
    }

    #[test]
    fn shares_of_the_stated_total() {
        assert_eq!(
            count("全年共公开信息1,180条，其中行政许可96条，占7.45%。"),
            1
        );
        assert_eq!(
            count("全年共公开信息1,180条，其中行政许可96条，占8.14%。"),
            0
        );
        // Truncated rather than rounded: within one unit of the last digit.
        assert_eq!(count("共受理申请3件，其中当面申请2件，占66.6%。"), 0);
        assert_eq!(count("共受理申请3件，其中当面申请2件，占总数的67%。"), 0);
    }

    #[test]
    fn no_base_no_check() {
        assert_eq!(count("行政许可96条，占7.45%。"), 0);
        assert_eq!(count("全年公开信息同比增长12%，其中行政许可96条。"), 0);
    }
}
