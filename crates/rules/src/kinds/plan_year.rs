//! Kind `plan_year`: the improvement plan dated with the report's own year or an earlier
//! one ("2017年，我们将……" in the 2017 report: a plan must be for the year after). Read in
//! part 五 (存在的主要问题及改进情况) and, in reports without the six parts, from a line
//! that opens the improvement part (改进, 下一步, 工作计划, 努力方向) on. A sentence counts
//! when it opens with the year ("2017年，", "在2017年，") and speaks of the future (the
//! rule's `pattern`: 将, 计划, 拟, 下一步 …).

use crate::check::Draft;
use crate::narrative::Sentence;
use nianbao_model::{Report, SectionId};
use regex::Regex;
use std::sync::OnceLock;

fn opening_year() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:在|于)?(?P<year>(?:19|20)\d{2})\s*年度?\s*[,，]")
            .expect("valid pattern")
    })
}

fn improvement_heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"改进|下一步|工作计划|工作打算|努力方向|工作思路").expect("valid pattern")
    })
}

/// The sentences of the improvement plan.
fn plan_sentences<'a, 'r>(report: &Report, all: &'a [Sentence<'r>]) -> Vec<&'a Sentence<'r>> {
    if report.has_section(SectionId::Five) {
        return all
            .iter()
            .filter(|s| s.section == Some(SectionId::Five))
            .collect();
    }
    // No part 五: from a short line that opens the improvement part.
    let start = all.iter().position(|s| {
        s.text.trim().chars().count() <= 30 && improvement_heading().is_match(&s.text)
    });
    match start {
        Some(at) => all.iter().skip(at).collect(),
        None => Vec::new(),
    }
}

pub(crate) fn plan_years(report: &Report, sentences: &[Sentence], future: &Regex) -> Vec<Draft> {
    let Some(year) = report.year else {
        return Vec::new();
    };
    plan_sentences(report, sentences)
        .into_iter()
        .filter_map(|s| {
            let caps = opening_year().captures(&s.text)?;
            let dated: i32 = caps["year"].parse().ok()?;
            let rest = &s.text[caps.get(0)?.end()..];
            if dated > year || !future.is_match(rest) {
                return None;
            }
            let mut d = Draft::new();
            let at = caps.name("year")?;
            d.span = s.span(report, at.start(), at.end());
            d.section = s.section;
            d.vars.insert("dated", dated.to_string());
            d.vars.insert("next", (year + 1).to_string());
            d.vars.insert("sentence", s.quote());
            d.evidence = Some(nianbao_model::Evidence {
                text: Some(s.quote()),
                ..Default::default()
            });
            Some(d)
        })
        .collect()
}
