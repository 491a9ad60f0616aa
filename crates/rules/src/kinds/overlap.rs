//! Kinds `text_overlap` and `peer_overlap`: the share of the narrative already in last
//! year's report, or in another organ's of the same year (character shingles compared
//! exactly, `crate::similar`).

use crate::check::Draft;
use crate::similar;
use nianbao_model::{Evidence, Report, TextLine};

/// The share of this year's text that is already in last year's.
pub(crate) fn text_overlap(report: &Report, previous: &Report, threshold: f64) -> Vec<Draft> {
    let Some((ratio, mut d)) = overlap(report, previous, threshold) else {
        return Vec::new();
    };
    d.vars.insert("ratio", format!("{:.0}%", ratio * 100.0));
    d.vars.insert(
        "last_year",
        previous.year.map(|y| y.to_string()).unwrap_or_default(),
    );
    d.vars
        .insert("threshold", format!("{:.0}%", threshold * 100.0));
    if let Some(e) = d.evidence.as_mut() {
        e.reported = Some((ratio * 1000.0).round() / 1000.0);
        e.computed = Some(threshold);
        e.compared_with = Some(previous.source.clone());
    }
    vec![d]
}

/// The narrative's shingles, worked out once per report.
fn shingles(report: &Report) -> &[u64] {
    report
        .narrative_shingles
        .get_or_init(|| similar::shingles(report.text.iter().map(|l| l.text.as_str())))
}

/// The share of the report's narrative also in `other`'s, when it reaches `threshold` (a
/// report of fewer than 50 shingles has too little text to judge), with a draft pointing at
/// the first line that is the other's text: where the copy shows.
fn overlap(report: &Report, other: &Report, threshold: f64) -> Option<(f64, Draft)> {
    let now = shingles(report);
    if now.len() < 50 {
        return None;
    }
    let theirs = shingles(other);
    let ratio = similar::contained(now, theirs);
    if ratio < threshold {
        return None;
    }
    let mut d = Draft::new();
    let copied = first_copied_line(report, theirs);
    let mut evidence = Evidence::default();
    if let Some(line) = copied {
        d.span = Some(line.span);
        d.section = line.section;
        evidence.text = Some(line.text.trim().chars().take(40).collect());
    }
    d.evidence = Some(evidence);
    Some((ratio, d))
}

/// How many Chinese characters make a sentence for `first_copied_line`.
const SENTENCE_CHARS: usize = 30;

/// The first line that starts a stretch of at least a sentence of Chinese (30 characters;
/// a title or a page's link line shares words with any report of its site), over a few
/// lines when they are short (a PDF's), that is the other text's: where the copy shows.
fn first_copied_line<'a>(report: &'a Report, theirs: &[u64]) -> Option<&'a TextLine> {
    let lines = &report.text;
    // Counted up to 30, all that is asked (a crawled page's body is one line of thousands).
    let chinese = |line: &TextLine| {
        line.text
            .chars()
            .filter(|c| ('\u{4E00}'..='\u{9FFF}').contains(c))
            .take(SENTENCE_CHARS)
            .count()
    };
    // A stretch of lines read as one text (shingles run on over line breaks).
    let copied = |stretch: &[TextLine]| {
        let own = similar::shingles(stretch.iter().map(|l| l.text.as_str()));
        similar::contained(&own, theirs) >= 0.8
    };
    (0..lines.len()).find_map(|i| {
        // The line itself is prose (not a title or a page header's "本地目录: …") and copied.
        let prose = lines[i].text.contains(['。', '，', '；', ',', ';']);
        let own = if prose { chinese(&lines[i]) } else { 0 };
        if own < 10 || !copied(&lines[i..=i]) {
            return None;
        }
        if own >= SENTENCE_CHARS {
            return Some(&lines[i]);
        }
        // Short lines (a PDF's): the stretch that first holds a sentence, each line's
        // characters counted once.
        let mut sum = own;
        let last = (i + 1..lines.len().min(i + 10)).find(|&j| {
            sum += chinese(&lines[j]);
            sum >= SENTENCE_CHARS
        })?;
        copied(&lines[i..=last]).then_some(&lines[i])
    })
}

/// Whether `other` is another organ's report of the same year (not the same organ under
/// another name: "某市教委" and "某市教育委员会" are one).
pub(crate) fn is_peer(report: &Report, other: &Report) -> bool {
    let same = match (
        nianbao_model::report_organ_key(report),
        nianbao_model::report_organ_key(other),
    ) {
        (Some(a), Some(b)) => nianbao_model::same_organ(&a, &b),
        (a, b) => a == b,
    };
    report.year.is_some() && other.year == report.year && !same
}

/// Another organ's report of the same year (found in the batch) sharing the narrative.
pub(crate) fn peer_overlap(report: &Report, peer: &Report, threshold: f64) -> Vec<Draft> {
    let Some((ratio, mut d)) = overlap(report, peer, threshold) else {
        return Vec::new();
    };
    let file = std::path::Path::new(&peer.source)
        .file_name()
        .map_or(peer.source.clone(), |f| f.to_string_lossy().into_owned());
    d.vars.insert("ratio", format!("{:.0}%", ratio * 100.0));
    d.vars
        .insert("threshold", format!("{:.0}%", threshold * 100.0));
    d.vars
        .insert("peer_organ", peer.organ.clone().unwrap_or_default());
    d.vars.insert("peer_file", file);
    if let Some(e) = d.evidence.as_mut() {
        e.reported = Some((ratio * 1000.0).round() / 1000.0);
        e.computed = Some(threshold);
        e.compared_with = Some(peer.source.clone());
    }
    vec![d]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(lines: &[&str]) -> Report {
        Report {
            text: crate::text_lines(lines),
            ..Report::default()
        }
    }

    fn copied_line(lines: &[&str], theirs: &[&str]) -> Option<usize> {
        let report = report(lines);
        let theirs = similar::shingles(theirs.iter().copied());
        let line = first_copied_line(&report, &theirs)?;
        report.text.iter().position(|l| std::ptr::eq(l, line))
    }

    #[test]
    fn the_copy_shows_at_the_first_copied_sentence() {
        let sentence = "本机关认真贯彻落实政府信息公开条例的各项要求，全面推进决策、执行、管理、服务、结果公开，取得了明显成效。";
        let long = sentence.repeat(40);
        let other = "今年我们完成了很多其他方面的工作，与上一年度的报告完全不同的一句话在这里。";
        // A title, a short sentence and a sentence of the other's: the copy is the third.
        assert_eq!(
            copied_line(&["标题", "简短一句。", sentence], &[sentence]),
            Some(2)
        );
        // A crawled page's body in one line of thousands of characters.
        assert_eq!(copied_line(&["标题", &long], &[&long]), Some(1));
        // Short lines (a PDF's) that make a sentence only together.
        let parts = [
            "本机关认真贯彻落实政府信息，",
            "公开条例的各项要求，全面推进，",
            "决策执行管理服务结果公开。",
        ];
        assert_eq!(copied_line(&parts, &parts), Some(0));
        // Nothing of the other's.
        assert_eq!(copied_line(&["标题", other], &[sentence]), None);
    }
}
