//! Kind `place_residue`: places named in the text that are neither the organ's own place nor
//! above or under it — left over from the report it was copied from ("在某省某县日报开设专
//! 栏" in another county's report). The organ's place is read from its name against the
//! vendored divisions (`divisions.rs`); an organ whose name names no division is not checked.
//!
//! Not counted: places inside 《》 (titles of laws and documents), sentences with one of the
//! rule's `unless` words (对口支援, 协作, 考察, 学习 …: other places by design), and names
//! shared with one of the organ's own places. A place in a sentence about the organ's own
//! work (one of the rule's `own_work` words: 我县, 本局 …) is a warning; elsewhere info.

use crate::check::Draft;
use crate::divisions::divisions;
use nianbao_model::{Report, Severity};

pub(crate) fn residues(
    report: &Report,
    sentences: &[crate::narrative::Sentence],
    unless: &[String],
    own_work: &[String],
) -> Vec<Draft> {
    let Some(organ) = report.organ.as_deref() else {
        return Vec::new();
    };
    let table = divisions();
    let Some(places) = table.places_of(organ) else {
        return Vec::new();
    };
    let mut drafts: Vec<Draft> = Vec::new();
    let mut reported: Vec<usize> = Vec::new();
    for sentence in sentences {
        let text: &str = &sentence.text;
        // Asked only of sentences naming a foreign place (most name none).
        let excused = std::cell::OnceCell::new();
        for (start, end, named) in table.mentions(text) {
            let foreign = named.iter().all(|&d| !table.is_related(d, &places));
            if !foreign || in_title(text, start) || named.iter().any(|d| reported.contains(d)) {
                continue;
            }
            if *excused.get_or_init(|| unless.iter().any(|w| text.contains(w.as_str()))) {
                break;
            }
            reported.extend(named);
            let mut d = Draft::new();
            d.span = sentence.span(report, start, end);
            d.section = sentence.section;
            let own = own_work.iter().any(|w| text.contains(w.as_str()));
            d.severity = Some(if own {
                Severity::Warning
            } else {
                Severity::Info
            });
            d.vars.insert("place", text[start..end].to_string());
            d.vars.insert("organ", organ.to_string());
            d.vars.insert("sentence", sentence.quote());
            d.evidence = Some(nianbao_model::Evidence {
                text: Some(sentence.quote()),
                ..Default::default()
            });
            drafts.push(d);
        }
    }
    drafts
}

/// Whether byte `at` is inside 《…》.
fn in_title(text: &str, at: usize) -> bool {
    let before = &text[..at];
    match (before.rfind('《'), before.rfind('》')) {
        (Some(open), Some(close)) => open > close,
        (Some(_), None) => true,
        _ => false,
    }
}
