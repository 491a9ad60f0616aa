//! Recovering cells from digits that ran together ("7000007" under seven columns).
//!
//! Every way to cut the printed digit groups into the expected number of cells is
//! enumerated (no part may start with 0 unless it is 0; a decimal point stays inside a
//! part); the table's own arithmetic keeps the splits that fit, and when several fit, a
//! plausibility cost (cells of a row tend to have similar magnitudes, a 0 is free) orders
//! them. Whoever picks among them records that more than one fitted.

/// A run of digits as printed, with where it starts in the stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub digits: String,
    pub start: usize,
    /// 1 for counts and 万元, 1/10000 for an amount printed in 元.
    pub factor: f64,
    /// A minus sign (or 减) printed before the group: its first part is negative (本年增/减
    /// run into the next cell: "-656" is -6 | 56).
    pub negative: bool,
}

/// One recovered cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub value: f64,
    pub start: usize,
    pub end: usize,
}

/// What the parts of one row must satisfy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RowCheck {
    /// The last part is the sum of the others (总计 columns).
    Total,
    /// Groups of `size` parts whose last is the sum of the rest (表四's three groups).
    GroupTotals(usize),
    /// Non-decreasing (本年度 ≤ 历年累计).
    Ascending,
    /// No arithmetic: plausibility only.
    None,
}

/// At most this many splits are looked at per row (hostile input cannot blow up).
const MAX_CANDIDATES: usize = 50_000;

/// Most combinations one call may build over all distributions. Real rows need a few
/// thousand; a hostile row of long digit runs (found by fuzzing) built millions and took
/// seconds per row.
const MAX_WORK: usize = 200_000;

/// A part as printed may keep thousands separators, in groups of three only ("5,433"; not
/// ",433" or "54,33").
pub(crate) fn valid_part(text: &str) -> bool {
    // Digits only (most parts): what the rules below say of them.
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return text.len() == 1 || (!text.is_empty() && !text.starts_with('0'));
    }
    if text.contains(',') {
        let (whole, _) = text.split_once('.').unwrap_or((text, ""));
        let mut groups = whole.split(',');
        let head_fits = groups
            .next()
            .is_some_and(|h| (1..=3).contains(&h.len()) && !h.starts_with('0'));
        return head_fits && groups.all(|g| g.len() == 3) && valid_part(&text.replace(',', ""));
    }
    if text.is_empty()
        || text.starts_with('.')
        || text.ends_with('.')
        || text.matches('.').count() > 1
    {
        return false;
    }
    !(text.len() > 1 && text.starts_with('0') && !text.starts_with("0."))
}

/// Ways to cut one group into `k` valid parts: the cut positions.
fn cuts(digits: &str, k: usize, out: &mut Vec<Vec<usize>>, limit: usize) {
    fn go(
        d: &str,
        from: usize,
        k: usize,
        acc: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
        limit: usize,
    ) {
        if out.len() >= limit {
            return;
        }
        if k == 1 {
            if valid_part(&d[from..]) {
                out.push(acc.clone());
            }
            return;
        }
        // The other k - 1 parts need a byte each at least.
        for end in from + 1..=d.len().saturating_sub(k - 1) {
            if !d.is_char_boundary(end) || !valid_part(&d[from..end]) {
                continue;
            }
            acc.push(end);
            go(d, end, k - 1, acc, out, limit);
            acc.pop();
        }
    }
    go(digits, 0, k, &mut Vec::new(), out, limit);
}

fn parts_of(group: &Group, cut: &[usize]) -> Vec<Part> {
    // Each part from a cut (or the start) to the next cut (or the end).
    let starts = std::iter::once(0).chain(cut.iter().copied());
    let ends = cut
        .iter()
        .copied()
        .chain(std::iter::once(group.digits.len()));
    let last = cut.len();
    starts
        .zip(ends)
        .enumerate()
        .map(|(i, (from, to))| {
            let text = &group.digits[from..to];
            // The unit printed after the digits ("…432.52元") belongs to the last part only.
            let factor = if i == last { group.factor } else { 1.0 };
            let sign = if i == 0 && group.negative { -1.0 } else { 1.0 };
            let number = match text.contains(',') {
                true => crate::value::decimal(&text.replace(',', "")),
                false => crate::value::decimal(text),
            };
            let value = number.unwrap_or(0.0) * factor * sign;
            Part {
                value: (value * 1e6).round() / 1e6,
                start: group.start + from,
                end: group.start + to,
            }
        })
        .collect()
}

/// How many parts each group can give: at least 1, at most its digit count.
fn distributions(groups: &[Group], n: usize) -> Vec<Vec<usize>> {
    fn go(groups: &[Group], n: usize, acc: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        let Some((first, rest)) = groups.split_first() else {
            if n == 0 {
                out.push(acc.clone());
            }
            return;
        };
        let max = first
            .digits
            .chars()
            .filter(|c| c.is_ascii_digit())
            .count()
            .min(n.saturating_sub(rest.len()));
        for k in 1..=max {
            acc.push(k);
            go(rest, n - k, acc, out);
            acc.pop();
        }
    }
    let mut out = Vec::new();
    go(groups, n, &mut Vec::new(), &mut out);
    out
}

fn satisfies(parts: &[Part], check: RowCheck) -> bool {
    meets(parts, &|p: &Part| p.value, check)
}

/// Whether a row's `items`, each worth `value`, meet `check` (no check: always).
pub(crate) fn meets<T>(items: &[T], value: &impl Fn(&T) -> f64, check: RowCheck) -> bool {
    let near = |a: f64, b: f64| (a - b).abs() < 1e-6;
    match check {
        RowCheck::Total => match items.split_last() {
            Some((last, rest)) => near(value(last), rest.iter().map(value).sum()),
            None => false,
        },
        RowCheck::GroupTotals(size) => items.chunks(size).all(|g| meets(g, value, RowCheck::Total)),
        RowCheck::Ascending => items
            .windows(2)
            .all(|w| value(&w[0]) <= value(&w[1]) + 1e-9),
        RowCheck::None => true,
    }
}

/// Similar magnitudes are likelier than wildly different ones; zeros are free.
pub fn cost(parts: &[Part]) -> f64 {
    let lengths = parts
        .iter()
        .filter(|p| p.value != 0.0)
        .map(|p| p.value.abs().max(1.0).log10().floor() + 1.0);
    let n = lengths.clone().count();
    if n < 2 {
        return 0.0;
    }
    let mean = lengths.clone().sum::<f64>() / n as f64;
    lengths.map(|l| (l - mean).powi(2)).sum::<f64>() / n as f64
}

/// Every split of `groups` into `n` parts that satisfies `check`, cheapest first.
pub fn candidates(groups: &[Group], n: usize, check: RowCheck) -> Vec<Vec<Part>> {
    if n != groups.len() {
        return searched(groups, n, check);
    }
    // A part a group (the most common row: its values printed apart): the only split,
    // when every group is a part as printed.
    if !groups.iter().all(|g| valid_part(&g.digits)) {
        return Vec::new();
    }
    let parts: Vec<Part> = groups.iter().flat_map(|g| parts_of(g, &[])).collect();
    match satisfies(&parts, check) {
        true => vec![parts],
        false => Vec::new(),
    }
}

/// `candidates`, by trying every way each group can be cut: the combinations of the
/// groups' cuts in order (the first group's cut changing slowest), at most
/// `MAX_CANDIDATES` of them a distribution, each checked as it is made and kept only when
/// it fits: most do not, and a row of one long run has thousands.
fn searched(groups: &[Group], n: usize, check: RowCheck) -> Vec<Vec<Part>> {
    let mut found: Vec<Vec<Part>> = Vec::new();
    let mut work = 0;
    let mut trial: Vec<Part> = Vec::with_capacity(n);
    for distribution in distributions(groups, n) {
        if work >= MAX_WORK {
            tracing::debug!(n, "split search stopped at its work limit");
            break;
        }
        let per_group = cut_each(groups, &distribution);
        let options: Vec<usize> = per_group.iter().map(Vec::len).collect();
        work += combinations_built(&options);
        let mut choice = vec![0; per_group.len()];
        for _ in 0..combinations_taken(&options) {
            trial.clear();
            for (cuts, &i) in per_group.iter().zip(&choice) {
                trial.extend_from_slice(&cuts[i]);
            }
            if satisfies(&trial, check) {
                found.push(trial.clone());
            }
            next_combination(&mut choice, &options);
        }
        if found.len() >= MAX_CANDIDATES {
            break;
        }
    }
    // Cheapest first; of equal cost, in the order found (a stable sort).
    let mut scored: Vec<(f64, Vec<Part>)> = found.into_iter().map(|c| (cost(&c), c)).collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().map(|(_, c)| c).collect()
}

/// Each group's cuts into its number of parts (`distribution`), as the parts they give.
fn cut_each(groups: &[Group], distribution: &[usize]) -> Vec<Vec<Vec<Part>>> {
    groups
        .iter()
        .zip(distribution)
        .map(|(g, &k)| {
            let mut cs = Vec::new();
            cuts(&g.digits, k, &mut cs, MAX_CANDIDATES);
            cs.iter().map(|c| parts_of(g, c)).collect()
        })
        .collect()
}

/// How many of the combinations of `options` (each group's number of cuts) the search
/// takes: all of them, up to `MAX_CANDIDATES`.
fn combinations_taken(options: &[usize]) -> usize {
    options.iter().fold(1usize, |taken, &o| {
        taken.saturating_mul(o).min(MAX_CANDIDATES)
    })
}

/// The work a distribution counts against `MAX_WORK`: the combinations of the first
/// group, of the first two, and so on, each at most `MAX_CANDIDATES` (as many as building
/// them group by group would make).
fn combinations_built(options: &[usize]) -> usize {
    let mut built = 1usize;
    let mut work = 0;
    for &o in options {
        built = built.saturating_mul(o).min(MAX_CANDIDATES);
        work += built;
    }
    work
}

/// The next combination after `choice` in order, the last group's cut changing fastest.
fn next_combination(choice: &mut [usize], options: &[usize]) {
    for (i, &o) in choice.iter_mut().zip(options).rev() {
        *i += 1;
        if *i < o {
            return;
        }
        *i = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_a_group_is_the_search_s_only_split() {
        let pieces = ["0", "7", "12", "05", "1,205", "3.5", ".5", ",", "100", "9"];
        let mut seeded = crate::tests::seeded(3);
        let mut next = |n: usize| seeded() % n;
        let mut fitted = 0;
        for _ in 0..3000 {
            let texts: Vec<&str> = (0..next(6)).map(|_| pieces[next(pieces.len())]).collect();
            let mut gs = groups(&texts);
            if let Some(g) = gs.first_mut() {
                g.negative = next(4) == 0;
            }
            for check in [
                RowCheck::Total,
                RowCheck::GroupTotals(2),
                RowCheck::Ascending,
                RowCheck::None,
            ] {
                let found = candidates(&gs, gs.len(), check);
                fitted += found.len();
                assert_eq!(found, searched(&gs, gs.len(), check), "{texts:?} {check:?}");
            }
        }
        assert!(fitted > 1000, "{fitted}");
    }

    /// `searched` by its definition: every combination of the groups' cuts built, group
    /// by group, at most `MAX_CANDIDATES` at each step, then those that fit kept.
    fn searched_by_definition(groups: &[Group], n: usize, check: RowCheck) -> Vec<Vec<Part>> {
        let mut found: Vec<Vec<Part>> = Vec::new();
        let mut work = 0;
        for distribution in distributions(groups, n) {
            if work >= MAX_WORK {
                break;
            }
            let per_group = cut_each(groups, &distribution);
            let mut combos: Vec<Vec<Part>> = vec![Vec::new()];
            for options in &per_group {
                let mut next = Vec::new();
                for combo in &combos {
                    for option in options {
                        if next.len() >= MAX_CANDIDATES {
                            break;
                        }
                        let mut c = combo.clone();
                        c.extend(option.iter().cloned());
                        next.push(c);
                    }
                }
                work += next.len();
                combos = next;
            }
            found.extend(combos.into_iter().filter(|c| satisfies(c, check)));
            if found.len() >= MAX_CANDIDATES {
                break;
            }
        }
        let mut scored: Vec<(f64, Vec<Part>)> = found.into_iter().map(|c| (cost(&c), c)).collect();
        scored.sort_by(|a, b| a.0.total_cmp(&b.0));
        scored.into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn the_search_walks_the_combinations_its_definition_builds() {
        // Runs of digits (zeros among them: cuts a leading 0 forbids), cut into more parts
        // than groups, under every check; long runs reach the combination and work limits.
        let pieces = [
            "0",
            "7",
            "12",
            "05",
            "100",
            "270020130",
            "3.5",
            "1,205",
            "9",
        ];
        let mut seeded = crate::tests::seeded(11);
        let mut next = |n: usize| seeded() % n;
        let mut fitted = 0;
        for _ in 0..400 {
            let texts: Vec<String> = (0..1 + next(3))
                .map(|_| {
                    (0..1 + next(3))
                        .map(|_| pieces[next(pieces.len())])
                        .collect()
                })
                .collect();
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let mut gs = groups(&texts);
            if let Some(g) = gs.first_mut() {
                g.negative = next(4) == 0;
            }
            let digits: usize = texts.iter().map(|t| t.len()).sum();
            let n = gs.len() + next(digits.min(9) + 1);
            for check in [
                RowCheck::Total,
                RowCheck::GroupTotals(2),
                RowCheck::Ascending,
                RowCheck::None,
            ] {
                let found = searched(&gs, n, check);
                fitted += found.len();
                assert_eq!(
                    found,
                    searched_by_definition(&gs, n, check),
                    "{texts:?} {n} {check:?}"
                );
            }
        }
        assert!(fitted > 1000, "{fitted}");
    }

    #[test]
    fn a_hostile_row_stops_at_the_limits_as_building_it_would() {
        let long = "1".repeat(30);
        let gs = groups(&[&long, &long]);
        for n in [10, 20] {
            assert_eq!(
                searched(&gs, n, RowCheck::None),
                searched_by_definition(&gs, n, RowCheck::None)
            );
        }
    }

    fn groups(texts: &[&str]) -> Vec<Group> {
        let mut at = 0;
        texts
            .iter()
            .map(|t| {
                let g = Group {
                    negative: false,
                    digits: t.to_string(),
                    start: at,
                    factor: 1.0,
                };
                at += t.len() + 1;
                g
            })
            .collect()
    }

    fn values(parts: &[Part]) -> Vec<f64> {
        parts.iter().map(|p| p.value).collect()
    }

    /// Every way to cut `digits` into `k` valid parts, by brute force over all cut sets,
    /// in the order `cuts` gives them (lexicographic by cut positions).
    fn cuts_by_brute_force(digits: &str, k: usize) -> Vec<Vec<usize>> {
        let inner = digits.len().saturating_sub(1);
        let mut all: Vec<Vec<usize>> = (0u32..1 << inner)
            .map(|mask| (1..=inner).filter(|i| mask & (1 << (i - 1)) != 0).collect())
            .filter(|cut: &Vec<usize>| cut.len() + 1 == k)
            .filter(|cut: &Vec<usize>| {
                let bounds: Vec<usize> = std::iter::once(0)
                    .chain(cut.iter().copied())
                    .chain([digits.len()])
                    .collect();
                bounds.windows(2).all(|w| valid_part(&digits[w[0]..w[1]]))
            })
            .collect();
        all.sort();
        all
    }

    #[test]
    fn cuts_are_every_valid_cut_in_order() {
        for digits in [
            "7000007",
            "270020130",
            "1.5020",
            "5,43312",
            "0.50.5",
            "1000",
            "9",
        ] {
            for k in 1..=digits.len() + 1 {
                let mut found = Vec::new();
                cuts(digits, k, &mut found, MAX_CANDIDATES);
                assert_eq!(found, cuts_by_brute_force(digits, k), "{digits} into {k}");
            }
        }
    }

    #[test]
    fn digit_parts_are_valid_unless_a_leading_zero() {
        assert!(valid_part("0") && valid_part("10") && valid_part("0.5"));
        assert!(!valid_part("01") && !valid_part("") && !valid_part("5.") && !valid_part(".5"));
        assert!(valid_part("5,433") && !valid_part("54,33") && !valid_part(",433"));
    }

    #[test]
    fn a_row_total_decides_the_split() {
        let c = candidates(&groups(&["7000007"]), 7, RowCheck::Total);
        assert_eq!(c.len(), 1);
        assert_eq!(values(&c[0]), [7.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7.0]);
        // Printed spaces are boundaries too: "230 000023" = 23,0,0,0,0,0,23.
        let c = candidates(&groups(&["230", "000023"]), 7, RowCheck::Total);
        assert_eq!(values(&c[0]), [23.0, 0.0, 0.0, 0.0, 0.0, 0.0, 23.0]);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn ambiguous_rows_keep_every_fitting_split() {
        // Pingtan 2021 予以公开: 27,0,0,2,0,1,30 and 2,7,0,0,20,1,30 both fit the row total.
        let c = candidates(&groups(&["270020130"]), 7, RowCheck::Total);
        assert_eq!(c.len(), 2);
        assert!(c
            .iter()
            .any(|p| values(p) == [27.0, 0.0, 0.0, 2.0, 0.0, 1.0, 30.0]));
        assert!(c
            .iter()
            .any(|p| values(p) == [2.0, 7.0, 0.0, 0.0, 20.0, 1.0, 30.0]));
    }

    #[test]
    fn table_four_groups_and_ascending_columns() {
        let c = candidates(
            &groups(&["10203120001200000"]),
            15,
            RowCheck::GroupTotals(5),
        );
        assert_eq!(c.len(), 1);
        assert_eq!(
            values(&c[0])[..10],
            [1.0, 0.0, 2.0, 0.0, 3.0, 12.0, 0.0, 0.0, 0.0, 12.0]
        );
        let c = candidates(&groups(&["4251516"]), 2, RowCheck::Ascending);
        assert_eq!(values(&c[0]), [425.0, 1516.0]);
    }

    #[test]
    fn plausibility_prefers_similar_magnitudes_and_free_zeros() {
        let c = candidates(&groups(&["3960181"]), 3, RowCheck::None);
        assert_eq!(values(&c[0]), [396.0, 0.0, 181.0]);
        let c = candidates(&groups(&["898989"]), 3, RowCheck::None);
        assert_eq!(values(&c[0]), [89.0, 89.0, 89.0]);
    }
}
