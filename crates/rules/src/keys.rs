//! Cell-key patterns: `t3.{row}.total` binds `row` to one or more key segments,
//! `*` stands for exactly one segment (`t3.denied.*.natural`).

use nianbao_model::catalog;
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::{OnceLock, RwLock};

pub type Binding = BTreeMap<String, String>;

#[derive(Debug, Clone)]
pub struct KeyPattern {
    pub text: String,
    /// `None` for a plain key (no `*`, no `{name}`), matched by equality: most patterns are
    /// plain, and compiling a regex for each made loading the packs slow.
    regex: Option<Regex>,
    /// The catalogue keys the pattern matches with its bindings, computed once.
    bindings: OnceLock<Vec<(Binding, &'static str)>>,
    /// The catalogue keys the pattern matches, variables free, computed once.
    keys: OnceLock<Vec<&'static str>>,
}

/// Expansions of bound patterns ("t3.denied.*.natural" → its 8 keys), computed once per
/// process: they depend only on the catalogue.
fn expansion_cache() -> &'static RwLock<foldhash::HashMap<String, Vec<&'static str>>> {
    static CACHE: OnceLock<RwLock<foldhash::HashMap<String, Vec<&'static str>>>> = OnceLock::new();
    CACHE.get_or_init(|| RwLock::new(foldhash::HashMap::default()))
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
        if !text.contains(['*', '{']) {
            let pattern = KeyPattern {
                text: text.to_string(),
                regex: None,
                bindings: OnceLock::new(),
                keys: OnceLock::new(),
            };
            if pattern.catalog_matches().is_empty() {
                let keys = catalog().fields().iter().map(|f| f.key);
                return Err(format!(
                    "unknown cell key {text:?} (not in fields.toml; `nianbao rules keys` lists them){}",
                    crate::kinds::did_you_mean(text, keys)
                ));
            }
            return Ok(pattern);
        }
        let mut regex = String::from("^");
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if c == '{' {
                let close = rest
                    .find('}')
                    .ok_or_else(|| format!("{text:?}: '{{' without '}}'"))?;
                let name = &rest[1..close];
                if name.is_empty() || !name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(format!("{text:?}: bad variable name {name:?}"));
                }
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
        let regex = Regex::new(&regex).map_err(|e| format!("{text:?}: {e}"))?;
        let pattern = KeyPattern {
            text: text.to_string(),
            regex: Some(regex),
            bindings: OnceLock::new(),
            keys: OnceLock::new(),
        };
        if pattern.variables().is_empty() && pattern.catalog_matches().is_empty() {
            return Err(format!("unknown cell key {text:?} (not in fields.toml)"));
        }
        Ok(pattern)
    }

    /// The pattern's text before its first wildcard or variable: every key it names starts
    /// so, and testing that first spares the regex most of the catalogue.
    fn literal_prefix(&self) -> &str {
        let end = self.text.find(['*', '{']).unwrap_or(self.text.len());
        &self.text[..end]
    }

    pub fn variables(&self) -> Vec<String> {
        self.regex.as_ref().map_or_else(Vec::new, |r| {
            r.capture_names().flatten().map(str::to_string).collect()
        })
    }

    /// Catalogue keys this pattern (with variables free) matches.
    pub fn catalog_matches(&self) -> Vec<&'static str> {
        match &self.regex {
            None => catalog()
                .get(&self.text)
                .map(|f| f.key)
                .into_iter()
                .collect(),
            Some(regex) => catalog()
                .fields()
                .iter()
                .map(|f| f.key)
                .filter(|k| k.starts_with(self.literal_prefix()) && regex.is_match(k))
                .collect(),
        }
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
        let Some(regex) = &self.regex else {
            return self
                .catalog_matches()
                .into_iter()
                .map(|k| (Binding::new(), k))
                .collect();
        };
        let names = self.variables();
        catalog()
            .fields()
            .iter()
            .filter(|f| f.key.starts_with(self.literal_prefix()))
            .filter_map(|f| {
                let caps = regex.captures(f.key)?;
                let binding = names
                    .iter()
                    .filter_map(|n| caps.name(n).map(|m| (n.clone(), m.as_str().to_string())))
                    .collect();
                Some((binding, f.key))
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
            Ok(bound) => bound.catalog_matches(),
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

    #[test]
    fn unknown_keys_are_refused() {
        assert!(KeyPattern::new("t3.grantd.total").is_err());
        assert!(KeyPattern::new("t3.Granted").is_err());
        assert!(KeyPattern::new("t3.granted.total").is_ok());
    }
}
