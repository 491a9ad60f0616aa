//! Peers: for each report of a batch, the report of another organ and the same year whose
//! prose most likely holds its own (a township's report copied from its neighbour's).
//!
//! Comparing every pair exactly would need every text in memory; instead each report has a
//! 64-hash sketch of its prose, and reports sharing sketch hashes are candidates whose
//! sketches estimate how much of one is in the other. A hash found in very many sketches
//! (phrasing of the genre, or a template every township filled in) only offers the reports
//! nearest in input order, which keeps the work linear in the batch. The rule then compares
//! the two parsed narratives exactly.

use foldhash::{HashMap, HashMapExt};
use nianbao_rules::similar::Sketch;
use rayon::prelude::*;

/// A batch file the first pass could identify and sketch.
pub struct Sketched<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub sketch: &'a Sketch,
}

/// A sketch hash in more sketches than this (of one year) offers only the reports at most
/// `NEAREST` places away in input order (of distinct sketches).
const COMMON_HASH: usize = 200;
const NEAREST: usize = 16;

/// Sketch hashes two reports must share to be compared.
const MIN_SHARED: u32 = 2;

/// Files of one year with the same sketch (a batch may hold copies, and reports filled in
/// from one template differ only in figures, which a sketch does not read): compared once.
struct Class<'a> {
    sketch: &'a Sketch,
    members: Vec<usize>,
    /// The organ of every member, when they all have the same (copies of one report).
    one_organ: Option<&'a str>,
}

impl<'a> Class<'a> {
    fn new(files: &[Option<Sketched<'a>>], sketch: &'a Sketch, members: Vec<usize>) -> Class<'a> {
        let organ = |i: usize| files[i].as_ref().map(|f| f.organ);
        let first = members.first().and_then(|&i| organ(i));
        let one_organ = first.filter(|&o| members.iter().all(|&i| organ(i) == Some(o)));
        Class {
            sketch,
            members,
            one_organ,
        }
    }

    /// The member nearest to file `i` in input order (the earlier of two as near) whose
    /// organ is not `organ`. Members are walked outward from `i`'s place, so a class of
    /// thousands (a template every township filled in) costs a few steps a file, not a
    /// pass over the class.
    fn nearest_other(&self, files: &[Option<Sketched>], i: usize, organ: &str) -> Option<usize> {
        if self
            .one_organ
            .is_some_and(|o| nianbao_model::same_organ(o, organ))
        {
            return None;
        }
        let other = |j: usize| {
            files[j]
                .as_ref()
                .is_some_and(|f| !nianbao_model::same_organ(f.organ, organ))
        };
        let members = &self.members;
        // Members before `i` lie at `..at`, the rest (`i` itself included) at `at..`.
        let at = members.partition_point(|&j| j < i);
        let (mut left, mut right) = (at, at);
        loop {
            let before = left.checked_sub(1).map(|k| members[k]);
            let after = members.get(right).copied();
            // The member before, when it is at least as near as the one after (or there is
            // none after); else the one after, if any is left.
            let j = match before.filter(|&b| after.is_none_or(|a| i - b <= a - i)) {
                Some(b) => {
                    left -= 1;
                    b
                }
                None => {
                    right += 1;
                    after?
                }
            };
            if other(j) {
                return Some(j);
            }
        }
    }
}

/// For each file (by index), its peer: the file of another organ and the same year whose
/// prose holds the largest estimated share of its own, when that share reaches `bar`; of
/// equals, the nearest in input order.
pub fn find(files: &[Option<Sketched>], bar: f64) -> Vec<Option<usize>> {
    let mut by_year: HashMap<i32, HashMap<&Sketch, Vec<usize>>> = HashMap::new();
    for (i, file) in files.iter().enumerate() {
        if let Some(f) = file {
            by_year
                .entry(f.year)
                .or_default()
                .entry(f.sketch)
                .or_default()
                .push(i);
        }
    }
    let mut peers = vec![None; files.len()];
    for classes in by_year.into_values() {
        // In input order (members are), so that "nearest" below means nearest in the batch.
        let mut classes: Vec<Class> = classes
            .into_iter()
            .map(|(sketch, members)| Class::new(files, sketch, members))
            .collect();
        classes.sort_by_key(|c| c.members[0]);
        for (i, peer) in peers_of_year(files, &classes, bar) {
            peers[i] = Some(peer);
        }
    }
    peers
}

/// The peers found among one year's classes, as (file, peer) pairs.
fn peers_of_year(files: &[Option<Sketched>], classes: &[Class], bar: f64) -> Vec<(usize, usize)> {
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (c, class) in classes.iter().enumerate() {
        for h in class.sketch.hashes() {
            postings.entry(*h).or_default().push(c);
        }
    }
    classes
        .par_iter()
        .enumerate()
        .flat_map_iter(|(c, class)| {
            let candidates = candidates(c, class, classes, &postings, bar);
            class
                .members
                .iter()
                .filter_map(|&i| {
                    let organ = files[i].as_ref()?.organ;
                    Some((i, best_peer(files, classes, &candidates, i, organ)?))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// File `i`'s peer among the candidate classes (best first): of the classes with the
/// highest share that hold a file of another organ, that file nearest to `i` in input
/// order (the earlier of two as near) — a township's neighbour in the batch, not the
/// first of a thousand that filled in the same template.
fn best_peer(
    files: &[Option<Sketched>],
    classes: &[Class],
    candidates: &[(f64, usize)],
    i: usize,
    organ: &str,
) -> Option<usize> {
    let mut best: Option<(f64, usize)> = None;
    for &(share, d) in candidates {
        if best.is_some_and(|(top, _)| share < top) {
            break;
        }
        let Some(j) = classes[d].nearest_other(files, i, organ) else {
            continue;
        };
        if best.is_none_or(|(_, b)| (j.abs_diff(i), j) < (b.abs_diff(i), b)) {
            best = Some((share, j));
        }
    }
    best.map(|(_, j)| j)
}

/// Classes whose sketch holds at least `bar` of this one's (the class itself, at 100%,
/// included), best first.
fn candidates(
    c: usize,
    class: &Class,
    classes: &[Class],
    postings: &HashMap<u64, Vec<usize>>,
    bar: f64,
) -> Vec<(f64, usize)> {
    let mut shared: HashMap<usize, u32> = HashMap::new();
    for h in class.sketch.hashes() {
        let Some(list) = postings.get(h) else {
            continue;
        };
        let offered = match list.len() <= COMMON_HASH {
            true => &list[..],
            false => {
                // Lists are in class order.
                let from = list.partition_point(|d| *d + NEAREST < c);
                let to = list.partition_point(|d| *d <= c + NEAREST);
                &list[from..to]
            }
        };
        for d in offered {
            *shared.entry(*d).or_default() += 1;
        }
    }
    let mut found: Vec<(f64, usize)> = vec![(1.0, c)];
    found.extend(
        shared
            .into_iter()
            .filter(|&(d, n)| d != c && n >= MIN_SHARED)
            .filter_map(|(d, _)| Some((class.sketch.contained_in(classes[d].sketch)?, d)))
            .filter(|(share, _)| *share >= bar),
    );
    found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(from: usize, count: usize) -> Sketch {
        let lines: Vec<String> = (from..from + count)
            .map(|i| {
                (0..12)
                    .filter_map(|k| char::from_u32(0x4E00 + ((i * 7 + k) * 13) as u32 % 20000))
                    .collect()
            })
            .collect();
        Sketch::of_lines(lines.iter().map(String::as_str))
    }

    /// The nearest member of another organ, as its definition says: the least distance in
    /// input order, then the earlier.
    fn nearest_by_definition(
        files: &[Option<Sketched>],
        members: &[usize],
        i: usize,
        organ: &str,
    ) -> Option<usize> {
        members
            .iter()
            .copied()
            .filter(|&j| {
                files[j]
                    .as_ref()
                    .is_some_and(|f| !nianbao_model::same_organ(f.organ, organ))
            })
            .min_by_key(|&j| (j.abs_diff(i), j))
    }

    #[test]
    fn the_nearest_member_of_another_organ_is_found_walking_out_from_the_file() {
        let text = sketch(0, 50);
        let organs = ["甲镇", "乙镇", "某县甲镇", "丙镇"];
        // Organs in runs and alone, "某县甲镇" the same organ as "甲镇"; some files missing.
        let files: Vec<Option<Sketched>> = (0..40)
            .map(|i| {
                (i % 7 != 3).then(|| Sketched {
                    organ: organs[(i / 3 + i / 11) % organs.len()],
                    year: 2020,
                    sketch: &text,
                })
            })
            .collect();
        let member_sets: [Vec<usize>; 3] = [
            (0..40).filter(|i| files[*i].is_some()).collect(),
            (0..40)
                .filter(|i| i % 5 == 1 && files[*i].is_some())
                .collect(),
            vec![2, 9, 10],
        ];
        for members in member_sets {
            let class = Class::new(&files, &text, members.clone());
            for i in (0..40).filter(|i| files[*i].is_some()) {
                for organ in organs {
                    assert_eq!(
                        class.nearest_other(&files, i, organ),
                        nearest_by_definition(&files, &members, i, organ),
                        "file {i}, organ {organ}, members {members:?}"
                    );
                }
            }
        }
        // Copies of one organ's report offer that organ nothing, without a walk.
        let copies = Class::new(&files, &text, vec![0, 1, 2]);
        assert_eq!(copies.one_organ, Some("甲镇"));
        assert_eq!(copies.nearest_other(&files, 1, "某县甲镇"), None);
        assert_eq!(copies.nearest_other(&files, 1, "乙镇"), Some(1));
    }

    #[test]
    fn of_equally_alike_reports_the_nearest_is_the_peer() {
        let text = sketch(0, 50);
        let organs = ["甲镇", "乙镇", "丙镇", "丁镇", "戊镇"];
        let files: Vec<Option<Sketched>> = organs
            .iter()
            .map(|organ| {
                Some(Sketched {
                    organ,
                    year: 2020,
                    sketch: &text,
                })
            })
            .collect();
        // One class a file (a template's copies differ in their organ's name), all alike.
        let classes: Vec<Class> = (0..files.len())
            .map(|i| Class::new(&files, &text, vec![i]))
            .collect();
        let all_alike: Vec<(f64, usize)> = (0..files.len()).map(|d| (1.0, d)).collect();
        let peer = |i: usize| best_peer(&files, &classes, &all_alike, i, organs[i]);
        assert_eq!(
            (0..files.len()).map(peer).collect::<Vec<_>>(),
            [Some(1), Some(0), Some(1), Some(2), Some(3)]
        );
        // A more alike report is the peer however far it is.
        let one_better = [(1.0, 0), (0.9, 3), (0.9, 4)];
        assert_eq!(best_peer(&files, &classes, &one_better, 4, "戊镇"), Some(0));
    }

    #[test]
    fn a_copy_by_another_organ_of_the_same_year_is_a_peer() {
        let (text, other, copy) = (sketch(0, 300), sketch(5000, 300), sketch(0, 300));
        let file = |organ, year, sketch| {
            Some(Sketched {
                organ,
                year,
                sketch,
            })
        };
        let files = vec![
            file("平潭县", 2011, &text),
            file("某县", 2011, &other),
            file("平潭综合实验区", 2011, &copy),
            file("平潭县", 2011, &copy),
            file("平潭综合实验区", 2012, &text),
            None,
        ];
        let peers = find(&files, 0.3);
        // The nearest file of another organ with the same text; never its own organ, another
        // year or an unrelated text.
        assert_eq!(peers, vec![Some(2), None, Some(3), Some(2), None, None]);
    }
}
