//! The narrative as sentences, and the quantities they state: what the narrative rules
//! (`narrative_sum`, `narrative_ratio`, `narrative_order`, `plan_year`) read.
//!
//! A sentence may run over several lines (a PDF wraps its paragraphs): lines of one part
//! are joined until a line ends a sentence, then split at 。！？; and at line ends that
//! close a paragraph.

pub mod numbers;

use nianbao_model::{Report, SectionId, SourceSpan, TextLine};
use std::borrow::Cow;

/// One sentence of the narrative and where its pieces are in the report's lines. A
/// sentence within one line (most: a web page's or a text file's paragraph is a line) is
/// that line's text, borrowed; one wrapped over lines (a PDF's) is their pieces joined.
pub struct Sentence<'r> {
    pub text: Cow<'r, str>,
    pub section: Option<SectionId>,
    /// The quantities it states, read once for every rule that needs them.
    quantities: std::cell::OnceCell<Vec<numbers::Quantity>>,
    /// (line index, byte offset in that line) of its first piece, at offset 0 of `text`.
    first: (usize, usize),
    /// (byte offset in `text`, line index, byte offset in that line) of each later piece.
    more: Vec<(usize, usize, usize)>,
}

impl Sentence<'_> {
    /// The quantities the sentence states, in order.
    pub fn quantities(&self) -> &[numbers::Quantity] {
        self.quantities
            .get_or_init(|| numbers::quantities(&self.text))
    }

    /// The source span of a byte range of the sentence (its start's line).
    pub fn span(&self, report: &Report, start: usize, end: usize) -> Option<SourceSpan> {
        let first = (0, self.first.0, self.first.1);
        let piece = self
            .more
            .iter()
            .rev()
            .find(|p| p.0 <= start)
            .unwrap_or(&first);
        let line = report.text.get(piece.1)?;
        let from = piece.2 + (start - piece.0);
        let to = (piece.2 + (end - piece.0)).min(line.text.len()).max(from);
        Some(line.span_of(from, to))
    }

    /// The sentence shortened for a message.
    pub fn quote(&self) -> String {
        const MAX: usize = 120;
        let text = self.text.trim();
        match text.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}…", &text[..cut]),
            None => text.to_string(),
        }
    }
}

/// A report's narrative as the rules read it, worked out once per check for every rule
/// that reads it: its sentences, and its lines joined for the rules' line patterns.
#[derive(Default)]
pub struct Narrative<'r> {
    sentences: std::cell::OnceCell<Vec<Sentence<'r>>>,
    lines: std::cell::OnceCell<crate::lines::JoinedLines>,
}

impl<'r> Narrative<'r> {
    pub fn sentences<'a>(&'a self, report: &'r Report) -> &'a [Sentence<'r>] {
        self.sentences.get_or_init(|| sentences(report))
    }

    /// The report's lines `pattern` matches, in order (its lines joined on first use).
    pub fn lines_matching<'a>(
        &'a self,
        report: &'a Report,
        pattern: &'a crate::lines::LinePattern,
    ) -> impl Iterator<Item = &'a TextLine> + 'a {
        let joined = self.joined(report);
        joined.matching(pattern).filter_map(|i| report.text.get(i))
    }

    /// The report's lines joined, each followed by a line feed (on first use).
    pub fn joined(&self, report: &Report) -> &crate::lines::JoinedLines {
        self.lines
            .get_or_init(|| crate::lines::JoinedLines::of(&report.text))
    }
}

/// A regex compiled once.
pub(crate) fn re(
    cell: &'static std::sync::OnceLock<regex::Regex>,
    pattern: &str,
) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(pattern).expect("valid pattern"))
}

/// Whether the text before a figure introduces it as a total ("共公开", "合计", "累计收到").
pub(crate) fn introduces_total(before: &str) -> bool {
    static TOTAL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    re(&TOTAL, r"(?:共|共计|合计|总计|累计|总共)[^，,。；;]{0,10}$").is_match(before)
}

/// The report's narrative, sentence by sentence.
pub fn sentences(report: &Report) -> Vec<Sentence<'_>> {
    let mut out = Vec::new();
    let mut current: Option<Sentence> = None;
    for (index, line) in report.text.iter().enumerate() {
        if current.as_ref().is_some_and(|c| c.section != line.section) {
            out.extend(current.take());
        }
        let mut from = 0;
        for (at, ch) in sentence_ends(&line.text) {
            let end = at + ch.len_utf8();
            push_piece(&mut current, line.section, index, &line.text, from, end);
            out.extend(current.take());
            from = end;
        }
        if from < line.text.len() {
            push_piece(
                &mut current,
                line.section,
                index,
                &line.text,
                from,
                line.text.len(),
            );
        }
        // A short line (under 30 chars) without a sentence end is a heading or a list
        // item: it ends here.
        if line.text.trim().chars().nth(29).is_none() {
            out.extend(current.take());
        }
    }
    out.extend(current);
    out.retain(|s| !s.text.trim().is_empty());
    out
}

/// The chars of a text that end a sentence (。！？；!?;), with their offsets, told by their
/// bytes: the rest of the text is skipped eight bytes at a time, without decoding it.
fn sentence_ends(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let found = next_end_byte(bytes, at)?;
        // An ASCII byte or a lead byte (0xE3, 0xEF): always where a char starts.
        let (ch, len) = match (bytes[found], bytes.get(found + 1..found + 3)) {
            (b'!', _) => ('!', 1),
            (b'?', _) => ('?', 1),
            (b';', _) => (';', 1),
            (0xE3, Some([0x80, 0x82])) => ('。', 3),
            (0xEF, Some([0xBC, 0x81])) => ('！', 3),
            (0xEF, Some([0xBC, 0x9F])) => ('？', 3),
            (0xEF, Some([0xBC, 0x9B])) => ('；', 3),
            // Another char of U+3000–U+3FFF or U+F000–U+FFFF (、，：…).
            _ => {
                at = found + 3;
                continue;
            }
        };
        at = found + len;
        return Some((found, ch));
    })
}

/// The first position from `from` on whose byte is '!', '?', ';', 0xE3 or 0xEF (the first
/// byte of every sentence end), eight bytes at a time.
fn next_end_byte(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // Marks the bytes of `word` equal to `byte` (exact for the lowest marked one).
    let equal = |word: u64, byte: u8| {
        let x = word ^ (ONES * u64::from(byte));
        x.wrapping_sub(ONES) & !x & (ONES << 7)
    };
    let is_end_byte = |b: u8| matches!(b, b'!' | b'?' | b';' | 0xE3 | 0xEF);
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_le_bytes(chunk);
        let marks = equal(word, b'!')
            | equal(word, b'?')
            | equal(word, b';')
            | equal(word, 0xE3)
            | equal(word, 0xEF);
        if marks != 0 {
            return Some(at + (marks.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    Some(at + bytes.get(at..)?.iter().position(|&b| is_end_byte(b))?)
}

fn push_piece<'r>(
    current: &mut Option<Sentence<'r>>,
    section: Option<SectionId>,
    line: usize,
    text: &'r str,
    from: usize,
    to: usize,
) {
    let piece = &text[from..to];
    match current {
        None => {
            *current = Some(Sentence {
                text: Cow::Borrowed(piece),
                section,
                quantities: Default::default(),
                first: (line, from),
                more: Vec::new(),
            })
        }
        Some(sentence) => {
            sentence.more.push((sentence.text.len(), line, from));
            sentence.text.to_mut().push_str(piece);
        }
    }
}

/// A report of narrative lines, one per entry, for the narrative rules' tests.
#[cfg(test)]
pub(crate) fn report_of(lines: &[&str]) -> Report {
    let mut report = Report::default();
    let mut at = 0;
    for (i, line) in lines.iter().enumerate() {
        report.text.push(nianbao_model::TextLine {
            text: line.to_string(),
            span: SourceSpan {
                start: at,
                end: at + line.len(),
                line: i as u32 + 1,
                column: 1,
            },
            section: None,
            origin: nianbao_model::LineOrigin::Copied,
        });
        at += line.len() + 1;
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENDS: [char; 7] = ['。', '！', '？', '；', '!', '?', ';'];

    #[test]
    fn every_sentence_end_is_found_and_nothing_else() {
        // Chars whose bytes look like an end's in part: 、，：（“ start with 0xE3 or 0xEF,
        // ｜ is U+FF5C, 〃 U+3003; each end is put at every place of a word of eight bytes.
        let others = ["公", "、", "，", "：", "（", "“", "｜", "〃", "a", "开"];
        for end in ENDS {
            for n in 0..20 {
                let before: String = (0..n).map(|i| others[(i * 3 + n) % others.len()]).collect();
                let text = format!("{before}{end}信息a，{end}");
                let expected: Vec<(usize, char)> = text
                    .char_indices()
                    .filter(|(_, c)| ENDS.contains(c))
                    .collect();
                assert_eq!(sentence_ends(&text).collect::<Vec<_>>(), expected, "{text}");
                assert_eq!(expected.len(), 2);
            }
        }
    }

    #[test]
    fn sentences_join_wrapped_lines_and_split_at_ends() {
        let report = report_of(&[
            "全年共公开信息1,180条，其中A类312条、B类147条，以上信息均在门户网站公开，方便群众查",
            "阅。下一步，我们将继续努力。",
            "二、主动公开",
        ]);
        let found = sentences(&report);
        let texts: Vec<&str> = found.iter().map(|s| s.text.as_ref()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
        assert!(texts[0].ends_with("方便群众查阅。"));
        assert_eq!(texts[1], "下一步，我们将继续努力。");
        let span = found[1].span(&report, 0, 3).unwrap();
        assert_eq!((span.line, span.column), (2, 3));
        let span = found[0].span(&report, 0, 3).unwrap();
        assert_eq!((span.line, span.column), (1, 1));
        // The wrapped sentence's second piece ("阅。") is the next line's start; the one-line
        // sentences are their lines' text, borrowed.
        let wrapped_at = report.text[0].text.len();
        let span = found[0].span(&report, wrapped_at, wrapped_at + 3).unwrap();
        assert_eq!((span.line, span.column), (2, 1));
        assert!(matches!(found[0].text, std::borrow::Cow::Owned(_)));
        assert!(matches!(found[1].text, std::borrow::Cow::Borrowed(_)));
    }
}
