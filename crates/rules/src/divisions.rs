//! China's administrative divisions at province, city and county level (GB/T 2260 codes as
//! the National Bureau of Statistics publishes them), vendored in `data/divisions.tsv` by
//! `scripts/update-divisions.sh`: which places are an organ's own and which are not.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/divisions.tsv");

pub struct Division {
    pub code: String,
    pub name: String,
    parent: Option<usize>,
}

pub struct Divisions {
    pub all: Vec<Division>,
    /// The divisions of each name (a fast hash: a text is looked up at each place name
    /// could end, several lengths back).
    by_name: foldhash::HashMap<String, Vec<usize>>,
    /// The characters names end with (省, 市, 县, 区 …) and the longest name in characters:
    /// a text is searched at those characters only, looking back at most that far, and
    /// looked up only where a name's first character is.
    endings: CharSet,
    firsts: CharSet,
    longest: usize,
}

/// A set of characters asked of every character of a text: a bit for each character of
/// the Basic Multilingual Plane (8 KiB), a sorted list for the rest.
struct CharSet {
    bmp: Vec<u64>,
    astral: Vec<char>,
}

impl CharSet {
    fn new(chars: impl Iterator<Item = char>) -> CharSet {
        let mut set = CharSet {
            bmp: vec![0; 0x10000 / 64],
            astral: Vec::new(),
        };
        for c in chars {
            match c as usize {
                n if n < 0x10000 => set.bmp[n / 64] |= 1 << (n % 64),
                _ => set.astral.push(c),
            }
        }
        set.astral.sort_unstable();
        set.astral.dedup();
        set
    }

    fn contains(&self, c: char) -> bool {
        match c as usize {
            n if n < 0x10000 => self.bmp[n / 64] & (1 << (n % 64)) != 0,
            _ => self.astral.binary_search(&c).is_ok(),
        }
    }
}

/// The vendored table, read once.
pub fn divisions() -> &'static Divisions {
    static DIVISIONS: OnceLock<Divisions> = OnceLock::new();
    DIVISIONS.get_or_init(|| Divisions::parse(TABLE))
}

impl Divisions {
    fn parse(table: &str) -> Divisions {
        let mut all: Vec<Division> = Vec::new();
        let mut parents: Vec<String> = Vec::new();
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let mut fields = line.split('\t');
            let (Some(code), Some(name)) = (fields.next(), fields.next()) else {
                continue;
            };
            all.push(Division {
                code: code.to_string(),
                name: name.to_string(),
                parent: None,
            });
            parents.push(fields.next().unwrap_or("").to_string());
        }
        let by_code: std::collections::HashMap<String, usize> = all
            .iter()
            .enumerate()
            .map(|(i, d)| (d.code.clone(), i))
            .collect();
        for (i, parent) in parents.iter().enumerate() {
            all[i].parent = by_code.get(parent).copied();
        }
        // Placeholders (市辖区, 省直辖县级行政区划) and two-character names (城区, 郊区) are
        // not names a text uses for one place.
        let mut by_name: foldhash::HashMap<String, Vec<usize>> = Default::default();
        for (i, d) in all.iter().enumerate() {
            if !d.name.contains('辖') && d.name.chars().count() >= 3 {
                by_name.entry(d.name.clone()).or_default().push(i);
            }
        }
        let endings = CharSet::new(by_name.keys().filter_map(|n| n.chars().last()));
        let firsts = CharSet::new(by_name.keys().filter_map(|n| n.chars().next()));
        let longest = by_name.keys().map(|n| n.chars().count()).max().unwrap_or(0);
        Divisions {
            all,
            by_name,
            endings,
            firsts,
            longest,
        }
    }

    /// Every division name in `text`, left to right, the longest where names end at one
    /// place: (byte range, the divisions of that name).
    pub fn mentions<'a>(
        &'a self,
        text: &'a str,
    ) -> impl Iterator<Item = (usize, usize, &'a [usize])> + 'a {
        let mut taken_to = 0;
        let mut starts: Vec<usize> = Vec::new();
        text.char_indices()
            .filter(|&(_, c)| self.endings.contains(c))
            .filter_map(move |(at, c)| {
                let end = at + c.len_utf8();
                // Where the chars before this one start, nearest first: as far back as the
                // longest name, not before the last mention.
                starts.clear();
                starts.extend(
                    text[taken_to..at]
                        .char_indices()
                        .rev()
                        .take(self.longest.saturating_sub(1))
                        .map(|(i, _)| taken_to + i),
                );
                let may_start = |&&start: &&usize| {
                    text[start..]
                        .chars()
                        .next()
                        .is_some_and(|c| self.firsts.contains(c))
                };
                // The longest name ending here (three characters at least).
                let (start, divisions) = starts
                    .iter()
                    .skip(1)
                    .rev()
                    .filter(may_start)
                    .find_map(|&start| Some((start, self.by_name.get(&text[start..end])?)))?;
                taken_to = end;
                Some((start, end, divisions.as_slice()))
            })
    }

    fn ancestors(&self, mut at: usize) -> Vec<usize> {
        let mut out = Vec::new();
        while let Some(parent) = self.all[at].parent {
            out.push(parent);
            at = parent;
        }
        out
    }

    fn is_within(&self, at: usize, place: usize) -> bool {
        at == place || self.ancestors(at).contains(&place)
    }

    /// The divisions an organ's name places it in: each division named in it whose other
    /// named divisions are its ancestors ("淮安市洪泽区人民政府" → 洪泽区 of 淮安市). `None`
    /// when the name names no division.
    pub fn places_of(&self, organ: &str) -> Option<Vec<usize>> {
        let named: Vec<&[usize]> = self.mentions(organ).map(|(_, _, d)| d).collect();
        let (last, earlier) = named.split_last()?;
        let fits = |d: usize| {
            earlier
                .iter()
                .all(|group| group.iter().any(|&a| self.ancestors(d).contains(&a)))
        };
        let places: Vec<usize> = last.iter().copied().filter(|&d| fits(d)).collect();
        (!places.is_empty()).then_some(places)
    }

    /// Whether a division is one of the organ's places, above one (a parent) or under one
    /// (a child).
    pub fn is_related(&self, division: usize, places: &[usize]) -> bool {
        places
            .iter()
            .any(|&p| self.is_within(division, p) || self.is_within(p, division))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_organ_and_its_places() {
        let d = divisions();
        let places = d.places_of("淮安市洪泽区人民政府").expect("a place");
        assert_eq!(places.len(), 1);
        assert_eq!(d.all[places[0]].name, "洪泽区");
        let named = |text: &str| d.mentions(text).next().map(|(_, _, ds)| ds[0]).unwrap();
        assert!(d.is_related(named("江苏省"), &places));
        assert!(d.is_related(named("淮安市"), &places));
        assert!(!d.is_related(named("兰陵县"), &places));
        assert!(d.places_of("某某公司").is_none());
    }

    #[test]
    fn the_longest_name_ending_at_a_place_after_the_last_one() {
        let d = divisions();
        let names = |text: &str| -> Vec<String> {
            d.mentions(text)
                .map(|(s, e, _)| text[s..e].to_string())
                .collect()
        };
        assert_eq!(names("淮安市洪泽区人民政府"), ["淮安市", "洪泽区"]);
        assert_eq!(
            names("江苏省南京市和兰陵县"),
            ["江苏省", "南京市", "兰陵县"]
        );
        assert_eq!(names("某某公司"), Vec::<String>::new());
    }

    #[test]
    fn looking_up_only_where_a_name_may_start_finds_what_looking_everywhere_does() {
        let d = divisions();
        // Every name is looked up at every start, as far back as the longest name.
        let everywhere = |text: &str| -> Vec<(usize, usize)> {
            let mut found = Vec::new();
            let mut taken_to = 0;
            for (at, c) in text.char_indices() {
                let end = at + c.len_utf8();
                let starts: Vec<usize> = text[taken_to..at]
                    .char_indices()
                    .rev()
                    .take(d.longest - 1)
                    .map(|(i, _)| taken_to + i)
                    .collect();
                let longest = starts
                    .iter()
                    .skip(1)
                    .rev()
                    .find(|&&s| d.by_name.contains_key(&text[s..end]));
                if let Some(&start) = longest {
                    found.push((start, end));
                    taken_to = end;
                }
            }
            found
        };
        let names: Vec<&str> = d.all.iter().step_by(97).map(|x| x.name.as_str()).collect();
        let fillers = ["和", "的工作，", "", "人民政府", "市", "区县乡镇"];
        for (i, pair) in names.windows(3).enumerate() {
            let text = format!(
                "{}{}{}{}{}",
                pair[0],
                fillers[i % 6],
                pair[1],
                fillers[(i + 1) % 6],
                pair[2]
            );
            let ours: Vec<(usize, usize)> = d.mentions(&text).map(|(s, e, _)| (s, e)).collect();
            assert_eq!(ours, everywhere(&text), "{text}");
        }
    }
}
