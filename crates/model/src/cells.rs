//! A report's cells by canonical key.

use crate::{catalog, Cell};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A report's cells by canonical key, read and written in key order. A cell of a catalogue
/// key is found by its key's place in the catalogue: rules ask for a cell's value thousands
/// of times a report, and a place is found without comparing keys. The cells themselves
/// are kept side by side, as many as were read (a report fills about 130 of the
/// catalogue's 300 places, and a batch keeps every report for its whole-batch formats).
/// Cells of other keys (only made-up reports have them) are kept by key.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    /// By catalogue place: where its cell is in `placed`, plus one (0: no cell). Empty
    /// until the first catalogue cell is stored.
    slot_of_place: Vec<u16>,
    placed: Vec<Cell>,
    others: BTreeMap<String, Cell>,
}

impl Cells {
    /// A cell's value: `None` when the cell was not read, `Some(None)` when it is blank.
    #[inline]
    pub fn value(&self, key: &str) -> Option<Option<f64>> {
        self.get(key).map(|c| c.value)
    }

    #[inline]
    pub fn get(&self, key: &str) -> Option<&Cell> {
        match catalog().place(key) {
            Some(place) => self.placed.get(self.slot(place)?),
            None => self.others.get(key),
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Cell> {
        match catalog().place(key) {
            Some(place) => {
                let slot = self.slot(place)?;
                self.placed.get_mut(slot)
            }
            None => self.others.get_mut(key),
        }
    }

    /// Where the cell of a catalogue place is in `placed`, if there is one.
    fn slot(&self, place: usize) -> Option<usize> {
        let slot = *self.slot_of_place.get(place)?;
        (slot > 0).then(|| usize::from(slot) - 1)
    }

    #[inline]
    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Makes room for `additional` more cells (a report's tables are stored all at once).
    pub fn reserve(&mut self, additional: usize) {
        self.placed.reserve(additional);
    }

    /// Stores a cell, returning the one it replaces.
    pub fn insert(&mut self, key: &str, cell: Cell) -> Option<Cell> {
        let Some(place) = catalog().place(key) else {
            return self.others.insert(key.to_string(), cell);
        };
        if let Some(slot) = self.slot(place) {
            return Some(std::mem::replace(&mut self.placed[slot], cell));
        }
        if self.slot_of_place.is_empty() {
            self.slot_of_place = vec![0; catalog().fields().len()];
        }
        self.placed.push(cell);
        // At most one cell a place: the count fits the catalogue's size, far below u16's.
        self.slot_of_place[place] = u16::try_from(self.placed.len()).unwrap_or(u16::MAX);
        None
    }

    /// Stores a cell unless one of its key is stored already.
    pub fn insert_if_absent(&mut self, key: &str, cell: Cell) {
        if !self.contains_key(key) {
            self.insert(key, cell);
        }
    }

    pub fn len(&self) -> usize {
        self.placed.len() + self.others.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cells in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Cell)> + '_ {
        let catalog = catalog();
        let placed = catalog.places_in_key_order().iter().filter_map(move |&p| {
            let cell = self.placed.get(self.slot(p)?)?;
            Some((catalog.fields()[p].key, cell))
        });
        let others = self.others.iter().map(|(k, c)| (k.as_str(), c));
        InKeyOrder {
            a: placed.peekable(),
            b: others.peekable(),
        }
    }

    /// Every cell, to change, in no order.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Cell> + '_ {
        self.placed.iter_mut().chain(self.others.values_mut())
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(k, _)| k)
    }
}

/// Equal when they hold the same cells under the same keys, whatever order they were
/// stored in.
impl PartialEq for Cells {
    fn eq(&self, other: &Cells) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

/// Two iterators of cells, each in key order, merged in key order.
struct InKeyOrder<A: Iterator, B: Iterator> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<'c, A, B> Iterator for InKeyOrder<A, B>
where
    A: Iterator<Item = (&'c str, &'c Cell)>,
    B: Iterator<Item = (&'c str, &'c Cell)>,
{
    type Item = (&'c str, &'c Cell);

    fn next(&mut self) -> Option<Self::Item> {
        match (self.a.peek(), self.b.peek()) {
            (Some((ka, _)), Some((kb, _))) if kb < ka => self.b.next(),
            (Some(_), _) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }
}

impl FromIterator<(String, Cell)> for Cells {
    fn from_iter<I: IntoIterator<Item = (String, Cell)>>(cells: I) -> Cells {
        let mut all = Cells::default();
        for (key, cell) in cells {
            all.insert(&key, cell);
        }
        all
    }
}

/// Written as a map from key to cell, in key order (as a `BTreeMap` of them is).
impl Serialize for Cells {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for Cells {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Cells, D::Error> {
        let map = BTreeMap::<String, Cell>::deserialize(deserializer)?;
        Ok(map.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: Option<f64>) -> Cell {
        Cell::of_value(value)
    }

    #[test]
    fn lookups_follow_changes() {
        let mut cells = Cells::default();
        assert_eq!(cells.value("t3.granted.total"), None);
        assert!(cells.is_empty());
        cells.insert("t3.granted.total", cell(Some(3.0)));
        assert_eq!(cells.value("t3.granted.total"), Some(Some(3.0)));
        if let Some(c) = cells.get_mut("t3.granted.total") {
            c.value = None;
        }
        assert_eq!(cells.value("t3.granted.total"), Some(None));
        cells.insert_if_absent("t3.new.total", cell(Some(1.0)));
        cells.insert_if_absent("t3.new.total", cell(Some(2.0)));
        assert_eq!(cells.value("t3.new.total"), Some(Some(1.0)));
        assert!(!cells.contains_key("t3.new.natural"));
        assert_eq!(cells.len(), 2);
        assert!(cells.insert("t3.new.total", cell(None)).is_some());
        assert_eq!(cells.len(), 2);
    }

    #[test]
    fn cells_stored_in_another_order_are_the_same_cells() {
        let stored = |keys: &[&str]| -> Cells {
            let mut cells = Cells::default();
            for key in keys {
                cells.insert(key, cell(Some(key.len() as f64)));
            }
            cells
        };
        let one = stored(&["t3.granted.total", "made.up", "t3.new.total"]);
        let other = stored(&["t3.new.total", "t3.granted.total", "made.up"]);
        assert_eq!(one, other);
        let mut changed = other.clone();
        changed.insert("t3.new.total", cell(None));
        assert_ne!(one, changed);
        assert_ne!(one, stored(&["t3.granted.total", "made.up"]));
    }

    #[test]
    fn keys_outside_the_catalogue_are_kept_too() {
        let mut cells: Cells = [("t3.granted.total".to_string(), cell(Some(2.0)))]
            .into_iter()
            .collect();
        cells.insert("made.up", cell(Some(5.0)));
        assert_eq!(cells.value("made.up"), Some(Some(5.0)));
        assert_eq!(cells.value("t3.granted.total"), Some(Some(2.0)));
        assert_eq!(cells.value("t3.denied.total"), None);
        assert_eq!(cells.len(), 2);
    }

    #[test]
    fn cells_are_listed_and_written_in_key_order_as_a_tree_lists_them() {
        let keys = [
            "t3.granted.total",
            "zz.made.up",
            "t2.rules.made",
            "a.made.up",
            "t4.review.total",
            "t3.new.natural",
            "t3.granted",
        ];
        let cells: Cells = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), cell(Some(i as f64))))
            .collect();
        let tree: BTreeMap<String, Cell> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), cell(Some(i as f64))))
            .collect();
        let listed: Vec<&str> = cells.keys().collect();
        let expected: Vec<&str> = tree.keys().map(String::as_str).collect();
        assert_eq!(listed, expected);
        let written = serde_json::to_string(&cells).expect("cells serialize");
        assert_eq!(
            written,
            serde_json::to_string(&tree).expect("a tree serializes")
        );
        let read: Cells = serde_json::from_str(&written).expect("cells deserialize");
        assert_eq!(read, cells);
    }
}
