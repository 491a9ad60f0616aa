//! Cell-key patterns: `t3.{row}.total` binds `row` to one or more key segments,
//! `*` stands for exactly one segment (`t3.denied.*.natural`).

use nianbao_model::catalog;
use std::collections::BTreeMap;
use std::sync::{OnceLock, RwLock};

pub type Binding = BTreeMap<String, String>;

#[derive(Debug, Clone)]
pub struct KeyPattern {
    pub text: String,
    /// The pattern read into its pieces; `None` for a plain key (no `*`, no `{name}`),
    /// matched by equality.
    pieces: Option<Vec<Piece>>,
    /// The catalogue keys the pattern matches with its bindings, computed once.
    bindings: OnceLock<Vec<(Binding, &'static str)>>,
    /// The catalogue keys the pattern matches, variables free, computed once.
    keys: OnceLock<Vec<&'static str>>,
}

/// A piece of a key pattern. Matched by `matches`, which tries the ways a key can be cut in
/// the order a regex engine would for `*` = `[a-z0-9_]+` and `{name}` =
/// `[a-z0-9_]+(?:\.[a-z0-9_]+)*?` (the longest run of a segment's characters first, a
/// variable's fewest segments first): a variable binds what the regex captured. Matched by
/// hand because compiling and running a regex for each of the packs' patterns was over half
/// of loading the packs (and an eighth of auditing one file).
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Literal(String),
    /// `*`: one or more of a segment's characters.
    Wildcard,
    /// `{name}`: one or more whole segments, bound to the name.
    Variable(String),
}

/// Expansions of bound patterns ("t3.denied.*.natural" → its 8 keys), computed once per
/// process: they depend only on the catalogue.
fn expansion_cache() -> &'static RwLock<foldhash::HashMap<String, Vec<&'static str>>> {
    static CACHE: OnceLock<RwLock<foldhash::HashMap<String, Vec<&'static str>>>> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(foldhash::HashMap::default()))
}

fn is_segment_char(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'
}

/// The pieces of a pattern with `*` or `{name}`.
fn pieces_of(text: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '{' => {
                let close = rest
                    .find('}')
                    .ok_or_else(|| format!("{text:?}: '{{' without '}}'"))?;
                let name = &rest[1..close];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(format!("{text:?}: bad variable name {name:?}"));
                }
                if pieces.contains(&Piece::Variable(name.to_string())) {
                    return Err(format!("{text:?}: variable {name:?} named twice"));
                }
                end_literal(&mut pieces, &mut literal);
                pieces.push(Piece::Variable(name.to_string()));
                rest = &rest[close + 1..];
            }
            '*' => {
                end_literal(&mut pieces, &mut literal);
                pieces.push(Piece::Wildcard);
                rest = &rest[1..];
            }
            '}' => return Err(format!("{text:?}: '}}' without '{{'")),
            other => {
                literal.push(other);
                rest = &rest[other.len_utf8()..];
            }
        }
    }
    end_literal(&mut pieces, &mut literal);
    Ok(pieces)
}

/// Ends the literal read so far, if any, as a piece.
fn end_literal(pieces: &mut Vec<Piece>, literal: &mut String) {
    if !literal.is_empty() {
        pieces.push(Piece::Literal(std::mem::take(literal)));
    }
}

/// Whether `key` from `at` on is what `pieces[from..]` describe, each variable's value put
/// in `bound` at the variable's place. The first way found is the regex's.
fn matches(
    pieces: &[Piece],
    from: usize,
    key: &[u8],
    at: usize,
    bound: &mut [(usize, usize)],
) -> bool {
    let Some(piece) = pieces.get(from) else {
        return at == key.len();
    };
    match piece {
        Piece::Literal(text) => {
            key.get(at..)
                .is_some_and(|k| k.starts_with(text.as_bytes()))
                && matches(pieces, from + 1, key, at + text.len(), bound)
        }
        Piece::Wildcard => (1..=segment_run(key, at))
            .rev()
            .any(|len| matches(pieces, from + 1, key, at + len, bound)),
        Piece::Variable(_) => (1..=segment_run(key, at))
            .rev()
            .any(|len| more_segments(pieces, from, key, (at, at + len), bound)),
    }
}

/// A variable's value (`pieces[slot]`) read so far: the rest of the pattern is tried after
/// it first, then after one more segment, and so on.
fn more_segments(
    pieces: &[Piece],
    slot: usize,
    key: &[u8],
    (start, end): (usize, usize),
    bound: &mut [(usize, usize)],
) -> bool {
    bound[slot] = (start, end);
    if matches(pieces, slot + 1, key, end, bound) {
        return true;
    }
    key.get(end) == Some(&b'.')
        && (1..=segment_run(key, end + 1))
            .rev()
            .any(|len| more_segments(pieces, slot, key, (start, end + 1 + len), bound))
}

/// How many of a segment's characters `key` has from `at` on.
fn segment_run(key: &[u8], at: usize) -> usize {
    key.get(at..)
        .map_or(0, |k| k.iter().take_while(|b| is_segment_char(**b)).count())
}

impl KeyPattern {
    pub fn new(text: &str) -> Result<KeyPattern, String> {
        let valid = text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._*{}".contains(c));
        if !valid || text.is_empty() {
            return Err(format!(
                "{text:?} is not a cell key pattern (letters, digits, '.', '_', '*', '{{name}}')"
            ));
        }
        let pieces = match text.contains(['*', '{', '}']) {
            true => Some(pieces_of(text)?),
            false => None,
        };
        let pattern = KeyPattern {
            text: text.to_string(),
            pieces,
            bindings: OnceLock::new(),
            keys: OnceLock::new(),
        };
        if pattern.variables().is_empty() {
            let keys = pattern.catalog_matches();
            if keys.is_empty() {
                return Err(match pattern.pieces {
                    None => format!(
                        "unknown cell key {text:?} (not in fields.toml; `nianbao rules keys` lists them){}",
                        crate::kinds::did_you_mean(text, catalog().fields().iter().map(|f| f.key))
                    ),
                    Some(_) => format!("unknown cell key {text:?} (not in fields.toml)"),
                });
            }
            // Found while checking the pattern: kept for `keys`.
            let _ = pattern.keys.set(keys);
        }
        Ok(pattern)
    }

    /// The pattern's text before its first wildcard or variable: every key it names starts
    /// so, and testing that first spares the matching most of the catalogue.
    fn literal_prefix(&self) -> &str {
        let end = self.text.find(['*', '{']).unwrap_or(self.text.len());
        &self.text[..end]
    }

    pub fn variables(&self) -> Vec<String> {
        self.pieces
            .iter()
            .flatten()
            .filter_map(|p| match p {
                Piece::Variable(name) => Some(name.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether the pattern names `key`, and with what value of each variable (by the
    /// variable's place among the pieces).
    fn match_key(&self, key: &str) -> Option<Vec<(usize, usize)>> {
        let Some(pieces) = &self.pieces else {
            return (key == self.text).then(Vec::new);
        };
        if !key.starts_with(self.literal_prefix()) {
            return None;
        }
        let mut bound = vec![(0, 0); pieces.len()];
        matches(pieces, 0, key.as_bytes(), 0, &mut bound).then_some(bound)
    }

    /// Catalogue keys this pattern (with variables free) matches.
    pub fn catalog_matches(&self) -> Vec<&'static str> {
        match &self.pieces {
            None => catalog()
                .get(&self.text)
                .map(|f| f.key)
                .into_iter()
                .collect(),
            Some(_) => self
                .candidates()
                .filter(|k| self.match_key(k).is_some())
                .collect(),
        }
    }

    /// The catalogue keys that start with the pattern's literal prefix, in the catalogue's
    /// order: the keys sorted by text hold them side by side.
    fn candidates(&self) -> impl Iterator<Item = &'static str> {
        let catalog = catalog();
        let (fields, in_key_order) = (catalog.fields(), catalog.places_in_key_order());
        let prefix = self.literal_prefix();
        let first = in_key_order.partition_point(|&p| fields[p].key < prefix);
        let mut places: Vec<usize> = in_key_order[first..]
            .iter()
            .copied()
            .take_while(|&p| fields[p].key.starts_with(prefix))
            .collect();
        places.sort_unstable();
        places.into_iter().map(move |p| fields[p].key)
    }

    /// The catalogue keys this pattern names (its variables free), computed once.
    pub fn keys(&self) -> &[&'static str] {
        self.keys.get_or_init(|| self.catalog_matches())
    }

    /// The variable bindings under which this pattern names a catalogue key.
    pub fn bindings(&self) -> &[(Binding, &'static str)] {
        self.bindings.get_or_init(|| self.compute_bindings())
    }

    fn compute_bindings(&self) -> Vec<(Binding, &'static str)> {
        let Some(pieces) = &self.pieces else {
            return self
                .catalog_matches()
                .into_iter()
                .map(|k| (Binding::new(), k))
                .collect();
        };
        self.candidates()
            .filter_map(|key| {
                let bound = self.match_key(key)?;
                let binding = pieces
                    .iter()
                    .zip(bound)
                    .filter_map(|(piece, (start, end))| match piece {
                        Piece::Variable(name) => Some((name.clone(), key[start..end].to_string())),
                        _ => None,
                    })
                    .collect();
                Some((binding, key))
            })
            .collect()
    }

    /// Catalogue keys named once the variables are bound (wildcards expanded).
    pub fn expand(&self, binding: &Binding) -> Vec<&'static str> {
        // Without variables there is nothing to bind: the pattern's own keys.
        if !self.text.contains('{') {
            return self.keys().to_vec();
        }
        let mut text = self.text.clone();
        for (name, value) in binding {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        if let Some(keys) = expansion_cache()
            .read()
            .ok()
            .and_then(|c| c.get(&text).cloned())
        {
            return keys;
        }
        let keys = match KeyPattern::new(&text) {
            Ok(bound) => bound.keys().to_vec(),
            Err(_) => Vec::new(),
        };
        if let Ok(mut cache) = expansion_cache().write() {
            cache.insert(text, keys.clone());
        }
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_bind_multi_segment_rows() {
        let p = KeyPattern::new("t3.{row}.total").unwrap();
        let rows: Vec<String> = p.bindings().iter().map(|(b, _)| b["row"].clone()).collect();
        assert!(rows.contains(&"denied.secret".to_string()));
        assert!(rows.contains(&"new".to_string()));
        let items = KeyPattern::new("t3.denied.*.{col}").unwrap();
        let mut b = Binding::new();
        b.insert("col".into(), "natural".into());
        assert_eq!(items.expand(&b).len(), 8);
    }

    /// The regex a pattern once compiled to: what the pieces must match and bind as.
    fn as_regex(text: &str) -> regex::Regex {
        let mut regex = String::from("^");
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c == '{' {
                let close = rest.find('}').unwrap();
                let name = &rest[1..close];
                regex.push_str(&format!("(?P<{name}>[a-z0-9_]+(?:\\.[a-z0-9_]+)*?)"));
                rest = &rest[close + 1..];
            } else {
                match c {
                    '*' => regex.push_str("[a-z0-9_]+"),
                    '.' => regex.push_str("\\."),
                    other => regex.push(other),
                }
                rest = &rest[c.len_utf8()..];
            }
        }
        regex.push('$');
        regex::Regex::new(&regex).unwrap()
    }

    /// Patterns made from the catalogue's keys: a segment, two segments, the rest of a
    /// segment after '_', or everything after the first segment made a wildcard or a
    /// variable, and variables side by side.
    fn patterns_from_catalog() -> Vec<String> {
        let mut patterns = std::collections::BTreeSet::new();
        for field in catalog().fields() {
            let segments: Vec<&str> = field.key.split('.').collect();
            for i in 0..segments.len() {
                for with in ["*", "{v}"] {
                    let mut s = segments.clone();
                    s[i] = with;
                    patterns.insert(s.join("."));
                }
                if let Some((head, _)) = segments[i].split_once('_') {
                    let mut s: Vec<String> = segments.iter().map(|x| x.to_string()).collect();
                    s[i] = format!("{head}_*");
                    patterns.insert(s.join("."));
                }
                if i + 1 < segments.len() {
                    for with in [&["{a}", "{b}"][..], &["{a}"], &["*", "{b}"], &["{a}", "*"]] {
                        let mut s: Vec<&str> = segments[..i].to_vec();
                        s.extend(with);
                        s.extend(&segments[i + 2..]);
                        patterns.insert(s.join("."));
                    }
                }
            }
            patterns.insert(format!("{}.{{rest}}", segments[0]));
        }
        patterns.into_iter().collect()
    }

    #[test]
    fn pieces_match_and_bind_as_the_regex_did() {
        let patterns = patterns_from_catalog();
        assert!(patterns.len() > 500, "{}", patterns.len());
        let mut bound = 0;
        for text in &patterns {
            let Ok(pattern) = KeyPattern::new(text) else {
                continue;
            };
            let regex = as_regex(text);
            for field in catalog().fields() {
                let expected = regex.captures(field.key).map(|caps| {
                    pattern
                        .variables()
                        .iter()
                        .map(|n| (n.clone(), caps[n.as_str()].to_string()))
                        .collect::<Binding>()
                });
                let got = pattern.bindings().iter().find(|(_, k)| *k == field.key);
                assert_eq!(
                    got.map(|(b, _)| b.clone()),
                    expected,
                    "{text} on {}",
                    field.key
                );
                bound += usize::from(got.is_some_and(|(b, _)| !b.is_empty()));
            }
        }
        assert!(bound > 1000, "{bound}");
    }

    #[test]
    fn a_variable_takes_the_fewest_segments_a_wildcard_the_most_chars() {
        let p = KeyPattern::new("t3.{row}.{col}").unwrap();
        let (binding, _) = p
            .bindings()
            .iter()
            .find(|(_, k)| *k == "t3.denied.secret.natural")
            .unwrap();
        assert_eq!(binding["row"], "denied");
        assert_eq!(binding["col"], "secret.natural");
        assert!(KeyPattern::new("t3.{row}.{row}").is_err());
        assert!(KeyPattern::new("t3.granted}").is_err());
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(KeyPattern::new("t3.grantd.total").is_err());
        assert!(KeyPattern::new("t3.Granted").is_err());
        assert!(KeyPattern::new("t3.granted.total").is_ok());
    }
}
