//! A report's cells by canonical key.

use crate::{catalog, Cell, Derived};
use serde::{Deserialize, Serialize};
use std::collections::btree_map::{BTreeMap, Entry};
use std::ops::Deref;

/// A report's cells by canonical key, in key order (the order they are written in). Rules
/// ask for a cell's value thousands of times a report: those lookups go through a hash
/// index built on first use and dropped by any change to the cells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cells {
    map: BTreeMap<String, Cell>,
    #[serde(skip)]
    index: Derived<Index>,
}

/// Each cell's value by its key's place in the catalogue (`None` where the report has no
/// such cell); `None` when a cell's key is not in the catalogue (only made-up reports have
/// one), and the tree is asked instead.
#[derive(Default)]
struct Index(Option<Vec<Option<Option<f64>>>>);

impl Index {
    fn of(map: &BTreeMap<String, Cell>) -> Index {
        let catalog = catalog();
        let mut values = vec![None; catalog.fields().len()];
        for (key, cell) in map {
            let Some(place) = catalog.place(key) else {
                return Index(None);
            };
            values[place] = Some(cell.value);
        }
        Index(Some(values))
    }
}

impl Cells {
    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::of(&self.map))
    }

    /// A cell's value: `None` when the cell was not read, `Some(None)` when it is blank.
    pub fn value(&self, key: &str) -> Option<Option<f64>> {
        match &self.index().0 {
            Some(values) => values.get(catalog().place(key)?).copied().flatten(),
            None => self.map.get(key).map(|c| c.value),
        }
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    pub fn insert(&mut self, key: String, cell: Cell) -> Option<Cell> {
        self.index = Derived::default();
        self.map.insert(key, cell)
    }

    pub fn entry(&mut self, key: String) -> Entry<'_, String, Cell> {
        self.index = Derived::default();
        self.map.entry(key)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Cell> {
        self.index = Derived::default();
        self.map.get_mut(key)
    }
}

/// Reading the cells is reading the tree; changing them goes through `Cells`'s methods,
/// which drop the index.
impl Deref for Cells {
    type Target = BTreeMap<String, Cell>;

    fn deref(&self) -> &Self::Target {
        &self.map
    }
}

impl FromIterator<(String, Cell)> for Cells {
    fn from_iter<I: IntoIterator<Item = (String, Cell)>>(cells: I) -> Cells {
        Cells {
            map: cells.into_iter().collect(),
            index: Derived::default(),
        }
    }
}

impl<'a> IntoIterator for &'a Cells {
    type Item = (&'a String, &'a Cell);
    type IntoIter = std::collections::btree_map::Iter<'a, String, Cell>;

    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: Option<f64>) -> Cell {
        Cell {
            value,
            raw: String::new(),
            span: crate::SourceSpan::default(),
            recovered: None,
            read: crate::ReadMethod::default(),
            alternative: None,
        }
    }

    #[test]
    fn lookups_follow_changes() {
        let mut cells = Cells::default();
        assert_eq!(cells.value("t3.granted.total"), None);
        cells.insert("t3.granted.total".into(), cell(Some(3.0)));
        assert_eq!(cells.value("t3.granted.total"), Some(Some(3.0)));
        if let Some(c) = cells.get_mut("t3.granted.total") {
            c.value = None;
        }
        assert_eq!(cells.value("t3.granted.total"), Some(None));
        cells
            .entry("t3.new.total".into())
            .or_insert(cell(Some(1.0)));
        assert!(cells.contains_key("t3.new.total"));
        assert!(!cells.contains_key("t3.new.natural"));
    }

    #[test]
    fn keys_outside_the_catalogue_are_looked_up_in_the_tree() {
        let mut cells: Cells = [("t3.granted.total".to_string(), cell(Some(2.0)))]
            .into_iter()
            .collect();
        cells.insert("made.up".into(), cell(Some(5.0)));
        assert_eq!(cells.value("made.up"), Some(Some(5.0)));
        assert_eq!(cells.value("t3.granted.total"), Some(Some(2.0)));
        assert_eq!(cells.value("t3.denied.total"), None);
    }
}
