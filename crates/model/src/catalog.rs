//! The catalogue of canonical cell keys (a copy of `shared/spec/fields.toml`, embedded).

use std::sync::OnceLock;

#[cfg(test)]
const FIELDS_TOML: &str = include_str!("../fields.toml");

/// 表三's applicant columns, the last part of its canonical keys (`t3.granted.natural`):
/// 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他 — summed by the 总计 column.
pub const T3_APPLICANTS: [&str; 6] = [
    "natural",
    "commercial",
    "research",
    "social",
    "legal",
    "other_org",
];

/// 表三's columns: the applicants, then 总计.
pub const T3_COLUMNS: [&str; 7] = [
    T3_APPLICANTS[0],
    T3_APPLICANTS[1],
    T3_APPLICANTS[2],
    T3_APPLICANTS[3],
    T3_APPLICANTS[4],
    T3_APPLICANTS[5],
    "total",
];

/// One canonical table cell as declared in `fields.toml`.
#[derive(Debug, Clone)]
pub struct FieldDef {
    /// The catalogue's own copy of the key (see `CellCatalog::place`).
    pub key: &'static str,
    pub table: String,
    pub row: Vec<String>,
    pub col: Vec<String>,
    pub eras: Vec<String>,
}

/// One field as build.rs writes it from `fields.toml`.
struct RawField {
    key: &'static str,
    table: &'static str,
    row: &'static [&'static str],
    col: &'static [&'static str],
    eras: &'static [&'static str],
}

include!(concat!(env!("OUT_DIR"), "/fields.rs"));

/// All canonical keys, in declaration order, with lookup by key.
#[derive(Debug)]
pub struct CellCatalog {
    fields: Vec<FieldDef>,
    index: foldhash::HashMap<&'static str, usize>,
    /// The catalogue's keys, one after another in one text: the keys it hands out
    /// (`fields`, `keys_for`; rules keep those) are slices of it.
    keys_text: &'static str,
    /// For each byte of `keys_text`, the place of the key that starts there (`NOT_A_START`
    /// elsewhere): a key the catalogue handed out is placed by where it lies, without
    /// hashing its text.
    by_offset: Vec<u16>,
    /// The places, ordered by their keys' text.
    in_key_order: Vec<usize>,
}

const NOT_A_START: u16 = u16::MAX;

impl CellCatalog {
    fn build() -> Self {
        // Made once per process and kept for its life, as the catalogue is.
        let keys_text: &'static str = Box::leak(
            FIELDS
                .iter()
                .map(|f| f.key)
                .collect::<String>()
                .into_boxed_str(),
        );
        let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        let mut by_offset = vec![NOT_A_START; keys_text.len()];
        let mut start = 0;
        let mut fields = Vec::with_capacity(FIELDS.len());
        for (place, f) in FIELDS.iter().enumerate() {
            let end = start + f.key.len();
            if let (Some(slot), Ok(place)) = (by_offset.get_mut(start), u16::try_from(place)) {
                *slot = place;
            }
            fields.push(FieldDef {
                key: &keys_text[start..end],
                table: f.table.to_string(),
                row: strings(f.row),
                col: strings(f.col),
                eras: strings(f.eras),
            });
            start = end;
        }
        let index = fields.iter().enumerate().map(|(i, f)| (f.key, i)).collect();
        let mut in_key_order: Vec<usize> = (0..fields.len()).collect();
        in_key_order.sort_by_key(|&p| fields[p].key);
        CellCatalog {
            fields,
            index,
            keys_text,
            by_offset,
            in_key_order,
        }
    }

    pub fn get(&self, key: &str) -> Option<&FieldDef> {
        self.place(key).map(|i| &self.fields[i])
    }

    /// A key's place in the catalogue (its index in `fields`), if it is a canonical key.
    #[inline]
    pub fn place(&self, key: &str) -> Option<usize> {
        // The catalogue's own copy of a key, where a key starts in its text and of that
        // key's length, is that key.
        let offset = (key.as_ptr() as usize).wrapping_sub(self.keys_text.as_ptr() as usize);
        let own = self
            .by_offset
            .get(offset)
            .filter(|&&p| p != NOT_A_START)
            .map(|&p| usize::from(p))
            .filter(|&p| self.fields.get(p).is_some_and(|f| f.key.len() == key.len()));
        own.or_else(|| self.index.get(key).copied())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.place(key).is_some()
    }

    pub fn fields(&self) -> &[FieldDef] {
        &self.fields
    }

    /// The places of the keys, ordered by the keys' text.
    pub fn places_in_key_order(&self) -> &[usize] {
        &self.in_key_order
    }

    /// Keys that exist in the given era (`"pre2019"`, `"2019"`, `"2021"`) and whose key starts
    /// with `prefix` (e.g. `"t3."`), in declaration order.
    pub fn keys_for(&self, era: &str, prefix: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| f.key.starts_with(prefix) && f.eras.iter().any(|e| e == era))
            .map(|f| f.key)
            .collect()
    }

    /// A short human label for a key: its last row label and column label, e.g.
    /// `予以公开 / 总计`.
    pub fn label(&self, key: &str) -> String {
        match self.get(key) {
            Some(f) => {
                let row = f.row.last().map(String::as_str).unwrap_or("");
                let col = f.col.last().map(String::as_str).unwrap_or("");
                format!("{} {row} / {col}", f.table)
            }
            None => key.to_string(),
        }
    }
}

/// The embedded catalogue, compiled from `fields.toml` by build.rs.
#[inline]
pub fn catalog() -> &'static CellCatalog {
    static CATALOG: OnceLock<CellCatalog> = OnceLock::new();
    CATALOG.get_or_init(CellCatalog::build)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_placed_by_its_text_whether_or_not_it_is_the_catalogues_copy() {
        let c = catalog();
        for (i, field) in c.fields().iter().enumerate() {
            let own = field.key;
            let copy = own.to_string();
            assert_eq!(c.place(own), Some(i), "{own}");
            assert_eq!(c.place(&copy), Some(i), "{own}");
            // A slice at the same address but shorter is another text.
            let short = &own[..own.len() - 1];
            assert_eq!(c.place(short), c.index.get(short).copied(), "{short}");
            // A slice from inside the catalogue's text but not where a key starts.
            let inner = &own[1..];
            assert_eq!(c.place(inner), c.index.get(inner).copied(), "{inner}");
            // The text from this key to the next: starts where this one does, longer.
            let start = own.as_ptr() as usize - c.keys_text.as_ptr() as usize;
            let longer = &c.keys_text[start..(start + own.len() + 1).min(c.keys_text.len())];
            assert_eq!(c.place(longer), c.index.get(longer).copied(), "{longer}");
        }
        assert_eq!(c.place("t9.no.such"), None);
    }

    #[test]
    fn embedded_catalogue_has_every_table() {
        let c = catalog();
        assert_eq!(c.fields().len(), 302);
        assert!(c.contains("t3.granted.total"));
        assert!(c.contains("old.training.trainees"));
        assert_eq!(c.keys_for("2021", "t3.").len(), 25 * 7);
        assert_eq!(c.keys_for("2019", "t3.").len(), 23 * 7);
        assert_eq!(c.keys_for("2019", "t4.").len(), 15);
    }

    #[test]
    fn copy_matches_shared_spec_when_present() {
        let shared = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/spec/fields.toml"
        );
        if let Ok(text) = std::fs::read_to_string(shared) {
            assert_eq!(
                text, FIELDS_TOML,
                "crates/model/fields.toml drifted from shared/spec"
            );
        }
    }
}
