//! Peers: for each report of a batch, the report of another organ and the same year whose
//! prose most likely holds its own (a township's report copied from its neighbour's).
//!
//! Comparing every pair exactly would need every text in memory; instead each report has a
//! 64-hash sketch of its prose, and reports sharing sketch hashes are candidates whose
//! sketches estimate how much of one is in the other. A hash found in very many sketches
//! (phrasing of the genre, or a template every township filled in) only offers the reports
//! nearest in input order, which keeps the work linear in the batch. The rule then compares
//! the two parsed narratives exactly.

use nianbao_rules::similar::Sketch;
use rayon::prelude::*;
use std::collections::HashMap;

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

/// Files of one year with the same sketch (a batch may hold copies): compared once.
struct Class<'a> {
    sketch: &'a Sketch,
    members: Vec<usize>,
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
            .map(|(sketch, members)| Class { sketch, members })
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
                    candidates.iter().find_map(|(_, d)| {
                        classes[*d]
                            .members
                            .iter()
                            .filter(|&&j| {
                                files[j]
                                    .as_ref()
                                    .is_some_and(|f| !nianbao_model::same_organ(f.organ, organ))
                            })
                            .min_by_key(|&&j| (j.abs_diff(i), j))
                            .map(|&j| (i, j))
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect()
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
