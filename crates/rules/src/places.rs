//! Place words (县, 区, 镇 …) in an organ's name and in the way a report speaks of itself
//! (我县, 本区): the `self_reference` rule kind.
//!
//! A report may call itself by a place word of its own name or by a higher level's (a county
//! writes 我市 for the city it belongs to, 我省 for its province). A word of its own level or
//! below that its name does not carry (我县 in a 区's report, 我镇 in a 乡's) is text written
//! for another organ.

use memchr::memmem;
use std::sync::OnceLock;

/// The place words of a rule, each with its level (0 = highest), and the words that contain
/// a place character without naming a place (市场, 社区).
#[derive(Debug)]
pub struct Places {
    /// Longest first, so that 街道 is found before any one-character word.
    words: Vec<(String, usize)>,
    not_places: Vec<String>,
    /// The longest of both, in bytes.
    longest: usize,
}

/// A place word where a report speaks of itself: the word, its level and where it is in the
/// line (bytes of 我县 / 本县).
#[derive(Debug, PartialEq)]
pub struct SelfReference<'a> {
    pub word: &'a str,
    pub level: usize,
    pub range: std::ops::Range<usize>,
}

impl Places {
    pub fn new(levels: Vec<Vec<String>>, not_places: Vec<String>) -> Places {
        let mut words: Vec<(String, usize)> = levels
            .into_iter()
            .enumerate()
            .flat_map(|(level, words)| words.into_iter().map(move |w| (w, level)))
            .collect();
        words.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let longest = words
            .iter()
            .map(|(w, _)| w.len())
            .chain(not_places.iter().map(String::len))
            .max()
            .unwrap_or(0);
        Places {
            words,
            not_places,
            longest,
        }
    }

    /// The place word `text` starts with, unless it starts with a word that is not a place.
    fn word_at(&self, text: &str) -> Option<(&str, usize)> {
        if self.not_places.iter().any(|n| text.starts_with(n.as_str())) {
            return None;
        }
        self.words
            .iter()
            .find(|(w, _)| text.starts_with(w.as_str()))
            .map(|(w, level)| (w.as_str(), *level))
    }

    /// The place words of an organ's name (平潭综合实验区 → 区; 沭阳县发展和改革局 → 县).
    pub fn in_name<'a>(&'a self, name: &str) -> Vec<(&'a str, usize)> {
        let mut found = Vec::new();
        let mut rest = name;
        while let Some(c) = rest.chars().next() {
            let skip = self
                .not_places
                .iter()
                .find(|n| rest.starts_with(n.as_str()))
                .map(|n| n.len());
            if let Some(len) = skip {
                rest = &rest[len..];
                continue;
            }
            match self.word_at(rest) {
                Some((word, level)) => {
                    found.push((word, level));
                    rest = &rest[word.len()..];
                }
                None => rest = &rest[c.len_utf8()..],
            }
        }
        found
    }

    /// Where a line speaks of "our" or "this" place: 我县, 本区, 我街道.
    pub fn self_references<'a>(&'a self, line: &str) -> Vec<SelfReference<'a>> {
        let mut found = Vec::new();
        for at in selves_in(line) {
            let after = at + 3;
            if let Some((word, level)) = self.word_at(&line[after..]) {
                found.push(SelfReference {
                    word,
                    level,
                    range: at..after + word.len(),
                });
            }
        }
        found
    }

    /// Whether a self-reference of the line may run on past its end: a 我 or 本 with fewer
    /// bytes after it than the longest word (or word that is not a place) has. Else the
    /// line's self-references are those of the line with anything after it.
    pub fn may_run_on(&self, line: &str) -> bool {
        // Only the line's last bytes are looked at: a line is asked before it is searched.
        let from = (line.len() + 1).saturating_sub("我".len() + self.longest);
        line.as_bytes()
            .get(from..)
            .is_some_and(|tail| selves_in_bytes(tail).next().is_some())
    }

    /// Whether a report of the organ named `name` may call itself by `word` at `level`: a word
    /// of its name, or a level above the lowest one its name carries that the name does not
    /// fill with another word (a town of 某县 may not say 我区; a town named alone may). An
    /// organ whose name carries no place word (a ministry) is never judged.
    pub fn fits(&self, name_words: &[(&str, usize)], word: &str, level: usize) -> bool {
        let Some(lowest) = name_words.iter().map(|(_, l)| *l).max() else {
            return true;
        };
        name_words.iter().any(|(w, _)| *w == word)
            || (level < lowest && name_words.iter().all(|(_, l)| *l != level))
    }
}

/// Where 我 and 本 start in a line, in order.
fn selves_in(line: &str) -> impl Iterator<Item = usize> + '_ {
    selves_in_bytes(line.as_bytes())
}

/// `selves_in` of a line's bytes, or of its last bytes: each word searched for with
/// memmem and the two lists merged. One scan for their common lead byte (0xE6) stopped at
/// every char of U+6000–U+6FFF, a sixteenth of Chinese text: five times slower.
fn selves_in_bytes(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    static WORDS: OnceLock<[memmem::Finder<'static>; 2]> = OnceLock::new();
    let [wo, ben] = WORDS.get_or_init(|| [memmem::Finder::new("我"), memmem::Finder::new("本")]);
    let mut wo = wo.find_iter(bytes).peekable();
    let mut ben = ben.find_iter(bytes).peekable();
    std::iter::from_fn(move || match (wo.peek(), ben.peek()) {
        (Some(a), Some(b)) if b < a => ben.next(),
        (Some(_), _) => wo.next(),
        (None, _) => ben.next(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places() -> Places {
        let levels = [
            vec!["省", "自治区"],
            vec!["市", "州", "盟", "地区"],
            vec!["县", "区", "旗"],
            vec!["乡", "镇", "街道"],
        ];
        Places::new(
            levels
                .iter()
                .map(|l| l.iter().map(|w| w.to_string()).collect())
                .collect(),
            ["市场", "城市", "区域", "社区", "乡镇", "镇街"]
                .iter()
                .map(|w| w.to_string())
                .collect(),
        )
    }

    #[test]
    fn the_place_words_of_organ_names() {
        let p = places();
        assert_eq!(p.in_name("平潭综合实验区"), vec![("区", 2)]);
        assert_eq!(
            p.in_name("淮安市洪泽区人民政府"),
            vec![("市", 1), ("区", 2)]
        );
        assert_eq!(p.in_name("沭阳县市场监督管理局"), vec![("县", 2)]);
        assert_eq!(p.in_name("广西壮族自治区人民政府"), vec![("自治区", 0)]);
        assert_eq!(p.in_name("南山街道办事处"), vec![("街道", 3)]);
        assert!(p.in_name("国家税务总局").is_empty());
    }

    #[test]
    fn a_line_without_our_or_this_has_no_self_reference() {
        let p = places();
        for line in [
            "我县主动公开",
            "本区",
            "全年本",
            "按时报送。",
            "截止我",
            "總",
            "",
        ] {
            let found = !p.self_references(&format!("{line}县")).is_empty();
            let may_refer_to_self = selves_in(line).next().is_some();
            assert!(may_refer_to_self || !found, "{line}");
            assert_eq!(may_refer_to_self, line.contains(['我', '本']));
        }
    }

    #[test]
    fn a_line_that_cannot_run_on_has_the_self_references_it_has_with_the_next_line() {
        let p = places();
        let pieces = [
            "我", "本", "县", "区", "街", "道", "市", "场", "自治", "镇", "。", "x",
        ];
        let mut next = crate::seeded_below(11);
        let (mut alone, mut run_on) = (0, 0);
        for _ in 0..20_000 {
            let (line_pieces, carry_pieces) = (1 + next(8), next(3));
            let mut piece =
                |n: usize| -> String { (0..n).map(|_| pieces[next(pieces.len())]).collect() };
            let (line, carry) = (piece(line_pieces), piece(carry_pieces));
            let joined = format!("{line}{carry}");
            let in_line: Vec<SelfReference> = p
                .self_references(&joined)
                .into_iter()
                .filter(|r| r.range.start < line.len())
                .collect();
            if p.may_run_on(&line) {
                run_on += 1;
                continue;
            }
            alone += 1;
            assert_eq!(p.self_references(&line), in_line, "{line:?} + {carry:?}");
        }
        assert!(alone > 1000 && run_on > 1000, "{alone} {run_on}");
        assert!(p.may_run_on("在我"));
        assert!(p.may_run_on("我街"));
        assert!(!p.may_run_on("我县今年主动公开"));
    }

    #[test]
    fn selves_are_where_each_our_and_this_starts_in_order() {
        let pieces = [
            "我",
            "本",
            "我本",
            "本我",
            "县",
            "扶",
            "戒",
            "x",
            "。",
            " ",
            "我县本区",
        ];
        let mut next = crate::seeded_below(5);
        for _ in 0..5_000 {
            let line: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            let by_char: Vec<usize> = line
                .char_indices()
                .filter(|&(_, c)| c == '我' || c == '本')
                .map(|(at, _)| at)
                .collect();
            assert_eq!(selves_in(&line).collect::<Vec<_>>(), by_char, "{line:?}");
        }
    }

    #[test]
    fn self_references_skip_words_that_are_not_places() {
        let p = places();
        let line = "目前，我县在本区域和本市场内，各镇街与本镇";
        let found: Vec<&str> = p.self_references(line).iter().map(|r| r.word).collect();
        assert_eq!(found, vec!["县", "镇"]);
        let first = &p.self_references(line)[0];
        assert_eq!(&line[first.range.clone()], "我县");
        assert_eq!("我".as_bytes(), [0xE6, 0x88, 0x91]);
        assert_eq!("本".as_bytes(), [0xE6, 0x9C, 0xAC]);
    }

    #[test]
    fn a_report_may_name_itself_or_a_higher_level_but_not_a_sibling_or_lower_one() {
        let p = places();
        let zone = p.in_name("平潭综合实验区");
        assert!(p.fits(&zone, "区", 2));
        assert!(p.fits(&zone, "市", 1));
        assert!(!p.fits(&zone, "县", 2));
        assert!(!p.fits(&zone, "镇", 3));
        let township = p.in_name("城关乡人民政府");
        assert!(p.fits(&township, "县", 2));
        assert!(!p.fits(&township, "镇", 3));
        // A town named with its county may not speak of 我区; it may of its city.
        let town = p.in_name("某某县城关镇人民政府");
        assert!(p.fits(&town, "县", 2));
        assert!(!p.fits(&town, "区", 2));
        assert!(p.fits(&town, "市", 1));
        let district = p.in_name("淮安市洪泽区人民政府");
        assert!(!p.fits(&district, "县", 2));
        assert!(!p.fits(&district, "州", 1));
        assert!(p.fits(&p.in_name("国家税务总局"), "县", 2));
    }
}
