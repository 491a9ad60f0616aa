//! Words a parser asks many lines for, their searchers built once (`str::contains` builds
//! one a call).

use memchr::memmem::Finder;
use std::sync::OnceLock;

/// A list of a few words, searched for one after another with memmem finders built on first
/// use: over long lines this beats one Aho-Corasick pass (measured +1.8% of a batch's
/// instructions when these moved to one); the longer word lists asked of short texts
/// (`sections`' title words, `name`'s navigation words) are Aho-Corasick searchers.
pub(crate) struct Words {
    words: &'static [&'static str],
    finders: OnceLock<Vec<Finder<'static>>>,
}

impl Words {
    pub(crate) const fn new(words: &'static [&'static str]) -> Words {
        Words {
            words,
            finders: OnceLock::new(),
        }
    }

    fn finders(&self) -> &[Finder<'static>] {
        self.finders
            .get_or_init(|| self.words.iter().map(Finder::new).collect())
    }

    /// Whether `text` holds any of the words.
    pub(crate) fn any_in(&self, text: &str) -> bool {
        self.finders()
            .iter()
            .any(|f| f.find(text.as_bytes()).is_some())
    }

    /// Where any of the words starts in `text`, in order.
    pub(crate) fn starts_in(&self, text: &str) -> Vec<usize> {
        let mut starts: Vec<usize> = self
            .finders()
            .iter()
            .flat_map(|f| f.find_iter(text.as_bytes()))
            .collect();
        starts.sort_unstable();
        starts
    }
}

#[cfg(test)]
mod tests {
    use super::Words;

    #[test]
    fn any_word_is_found_as_contains_finds_it() {
        static WORDS: Words = Words::new(&["机构", "来源"]);
        for text in [
            "",
            "发布机构：某县",
            "信息来源",
            "来",
            "机关",
            "某县人民政府",
        ] {
            let contains = ["机构", "来源"].iter().any(|w| text.contains(w));
            assert_eq!(WORDS.any_in(text), contains, "{text}");
        }
    }

    #[test]
    fn every_start_of_any_word_is_found_in_order() {
        static WORDS: Words = Words::new(&["发布", "印发"]);
        let text = "印发布告，发布";
        let expected = vec![0, 3, 15];
        assert_eq!(WORDS.starts_in(text), expected);
        assert_eq!(WORDS.starts_in("报告"), Vec::<usize>::new());
    }
}
