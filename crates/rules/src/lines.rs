//! Which lines of a report a rule's pattern matches, found by searching the lines joined
//! into one text rather than line by line: a search's setting up costs more than searching
//! a short line, and most lines hold nothing a pattern looks for (a search a line, for
//! each pattern of every text rule, was a tenth of the rules' time).

use nianbao_model::TextLine;
use regex::Regex;

/// A rule's pattern for lines, and whether searching joined lines finds every line it
/// matches: so when it asserts nothing about the text around a match (no `^`, `$`, `\b`),
/// for then a match inside a line is the same match inside the joined text.
#[derive(Debug, Clone)]
pub struct LinePattern {
    regex: Regex,
    context_free: bool,
}

impl LinePattern {
    pub fn new(pattern: &str) -> Result<LinePattern, regex::Error> {
        Regex::new(pattern).map(LinePattern::from)
    }

    pub fn regex(&self) -> &Regex {
        &self.regex
    }
}

impl From<Regex> for LinePattern {
    fn from(regex: Regex) -> LinePattern {
        let context_free = regex_syntax::Parser::new()
            .parse(regex.as_str())
            .is_ok_and(|hir| hir.properties().look_set().is_empty());
        LinePattern {
            regex,
            context_free,
        }
    }
}

/// The pattern as written.
impl std::fmt::Display for LinePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.regex.fmt(f)
    }
}

/// A report's lines as one text, each line followed by a line feed.
pub struct JoinedLines {
    text: String,
    /// Where each line starts in `text`, and, last, where the text ends.
    starts: Vec<usize>,
}

impl JoinedLines {
    pub fn of(lines: &[TextLine]) -> JoinedLines {
        let mut text = String::with_capacity(lines.iter().map(|l| l.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(lines.len() + 1);
        for line in lines {
            starts.push(text.len());
            text.push_str(&line.text);
            text.push('\n');
        }
        starts.push(text.len());
        JoinedLines { text, starts }
    }

    /// The lines joined, each followed by a line feed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Where each line starts in `text`, and, last, where the text ends.
    pub fn starts(&self) -> &[usize] {
        &self.starts
    }

    fn line(&self, index: usize) -> &str {
        &self.text[self.starts[index]..self.starts[index + 1] - 1]
    }

    /// The indices of the lines `pattern` matches (those whose text `is_match`), in order.
    ///
    /// A context-free pattern is searched in the joined text from a line's start: no line
    /// before the match's can match (its match would start earlier, and the search finds
    /// the leftmost match), and the match's line matches when the match ends within it;
    /// a match that runs on into the next line leaves its line to be asked on its own.
    pub fn matching<'a>(&'a self, pattern: &'a LinePattern) -> impl Iterator<Item = usize> + 'a {
        let count = self.starts.len() - 1;
        let mut next = 0;
        std::iter::from_fn(move || {
            if !pattern.context_free {
                let found = (next..count).find(|&i| pattern.regex.is_match(self.line(i)));
                next = found.map_or(count, |i| i + 1);
                return found;
            }
            while next < count {
                let found = pattern.regex.find_at(&self.text, self.starts[next])?;
                // The line holding the match's start: the first whose end is not before it.
                let line = next + self.starts[next + 1..].partition_point(|&s| s <= found.start());
                if line >= count {
                    return None;
                }
                let end = self.starts[line + 1] - 1;
                next = line + 1;
                if found.end() <= end || pattern.regex.is_match(self.line(line)) {
                    return Some(line);
                }
            }
            None
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::text_lines as lines;

    /// The lines each pattern matches, asked line by line: what `matching` must give.
    fn line_by_line(lines: &[TextLine], pattern: &LinePattern) -> Vec<usize> {
        (0..lines.len())
            .filter(|&i| pattern.regex().is_match(&lines[i].text))
            .collect()
    }

    #[test]
    fn patterns_asserting_context_are_asked_line_by_line() {
        for (pattern, context_free) in [
            (r"收到.{0,4}申请(?P<value>\d+)件", true),
            (r"[^》]{0,3}》", true),
            (r"^一、", false),
            (r"公开$", false),
            (r"\bOK\b", false),
            (r"(?m)^x", false),
        ] {
            let p = LinePattern::new(pattern).expect("valid");
            assert_eq!(p.context_free, context_free, "{pattern}");
        }
    }

    #[test]
    fn matching_lines_are_those_each_line_matches() {
        let texts = [
            "全年收到",
            "申请3件。收到公开申请4件",
            "",
            "《2022年工作要点》与《",
            "2021年》",
            "一、总体情况",
            "收到申请12件",
            "收到申请",
        ];
        let all = lines(&texts);
        let joined = JoinedLines::of(&all);
        let patterns = [
            r"收到.{0,4}申请(?P<value>\d+)件",
            r"收到[^。]{0,20}申请",
            r"《[^》]{0,30}?(?P<year>20\d{2})年[^》]{0,20}?》",
            r"[^》]{0,3}》",
            r"申请\d*",
            r"x*",
            r"\n",
            r"^收到",
            r"申请$",
            r"件",
        ];
        for pattern in patterns {
            let p = LinePattern::new(pattern).expect("valid");
            let found: Vec<usize> = joined.matching(&p).collect();
            assert_eq!(found, line_by_line(&all, &p), "{pattern}");
        }
    }

    #[test]
    fn matching_agrees_on_generated_lines() {
        // Lines of a few pieces that the patterns match whole, in part, or across lines.
        let pieces = [
            "收到", "申请", "3件", "件", "。", "《", "2021年", "》", "要点", "", "x",
        ];
        let patterns = [
            r"收到[^。]{0,6}?申请(?P<value>\d+)件",
            r"《[^》]{0,8}?(?P<year>20\d{2})年[^》]{0,4}?要点》",
            r"申请[\s\S]{0,3}件",
            r"x+",
        ];
        let compiled: Vec<LinePattern> = patterns
            .iter()
            .map(|p| LinePattern::new(p).expect("valid"))
            .collect();
        let mut next = crate::seeded_below(7);
        for _ in 0..5000 {
            let texts: Vec<String> = (0..next(6))
                .map(|_| (0..next(5)).map(|_| pieces[next(pieces.len())]).collect())
                .collect();
            let all = lines(&texts.iter().map(String::as_str).collect::<Vec<_>>());
            let joined = JoinedLines::of(&all);
            for p in &compiled {
                let found: Vec<usize> = joined.matching(p).collect();
                assert_eq!(found, line_by_line(&all, p), "{texts:?} {:?}", p.regex());
            }
        }
    }
}
