//! Who a report is from, the same across years, and a stable fingerprint of a finding.

use crate::{Finding, Report};

/// Suffixes naming a place's government rather than one of its departments.
const GOVERNMENT: [&str; 5] = ["人民政府", "管理委员会", "管委会", "政府", "管委"];
/// What a place name ends with.
const PLACES: [&str; 11] = [
    "县",
    "区",
    "市",
    "旗",
    "州",
    "盟",
    "镇",
    "乡",
    "街道",
    "实验区",
    "开发区",
];

/// The organ as a key that stays the same across years and wordings: whitespace and a
/// year in front dropped; "兰陵县人民政府", "兰陵县政府" and "兰陵县" are one organ, and so
/// are "平潭综合实验区管委会" and "…管理委员会"; departments ("…人民政府办公室", "…局")
/// keep their full names.
pub fn organ_key(organ: &str) -> String {
    // Made at the name's size: collected char by char, it grew a few times a call.
    let mut key = String::with_capacity(organ.len());
    key.extend(organ.chars().filter(|c| !c.is_whitespace()));
    // A title's year sometimes stays glued to the organ: "2019年兰陵县人民政府".
    if let Some(rest) = key.split_once('年').and_then(|(y, rest)| {
        (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit())).then_some(rest)
    }) {
        key = rest.to_string();
    }
    for suffix in GOVERNMENT {
        if let Some(place) = key.strip_suffix(suffix) {
            if PLACES.iter().any(|p| place.ends_with(p)) {
                return place.to_string();
            }
        }
    }
    key
}

/// Characters a place name ends with, that may stand before an organ's own name
/// ("某市" in "某市教育委员会", "某县" in "某县某镇").
const PLACE_ENDS: [char; 7] = ['省', '市', '县', '区', '州', '旗', '盟'];

/// The kind of organ a key names, from its ending: "委员会" and "委" are one kind, and so
/// are "办公室" and "办"; a government's key (its place) is the place's kind.
fn organ_class(key: &str) -> String {
    if key.ends_with("委员会") || key.ends_with('委') {
        return "委".into();
    }
    if key.ends_with("办公室") || key.ends_with('办') {
        return "办".into();
    }
    key.chars().last().map(String::from).unwrap_or_default()
}

/// The place before an organ's own name and the rest: ("某市", "教育委员会"),
/// ("某县", "某镇"), ("", "市教委"). The place is the longest proper prefix ending with a
/// place character after at least one other (a lone "市" is a short form's level).
fn split_place(key: &str) -> (&str, &str) {
    let cut = key
        .char_indices()
        .filter(|(i, c)| *i > 0 && PLACE_ENDS.contains(c) && i + c.len_utf8() < key.len())
        .map(|(i, c)| i + c.len_utf8())
        .next_back()
        .unwrap_or(0);
    key.split_at(cut)
}

/// The organ's own name with a leading level character of a short form dropped
/// ("市教委" → "教委"), for comparing with the full name.
fn core_of(own: &str) -> (&str, Option<char>) {
    match own.chars().next() {
        Some(c) if PLACE_ENDS.contains(&c) && own.chars().count() > 2 => {
            (&own[c.len_utf8()..], Some(c))
        }
        _ => (own, None),
    }
}

/// Whether `short` can be read as an abbreviation of `long`: its characters in order,
/// the first ones equal ("教委" in "教育委员会", "发改委" in "发展和改革委员会").
fn abbreviates(short: &str, long: &str) -> bool {
    let mut long_chars = long.chars();
    let first_equal = short.chars().next() == long.chars().next();
    first_equal && short.chars().all(|c| long_chars.any(|l| l == c))
}

/// Whether two organ keys name one organ in different words: equal; one with its place
/// in front ("某县某镇" and "某镇", "淮安市洪泽区" and "洪泽区"); or one a short form of the
/// other ("某市教委" and "某市教育委员会", "市教委" and "某市教育委员会"). The kinds must
/// agree, so "某县人民政府办公室" is never "某县人民政府".
pub fn same_organ(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if a.is_empty() || b.is_empty() || organ_class(a) != organ_class(b) {
        return false;
    }
    let (short, long) = match a.chars().count() < b.chars().count() {
        true => (a, b),
        false => (b, a),
    };
    if let Some(place) = long.strip_suffix(short) {
        if place.ends_with(PLACE_ENDS) && short.chars().count() >= 2 {
            return true;
        }
    }
    let (short_place, short_own) = split_place(short);
    let (long_place, long_own) = split_place(long);
    let (short_core, level) = core_of(short_own);
    let places_agree = match (short_place.is_empty(), level) {
        // "市教委": the long name's place must be of that level ("某市").
        (true, Some(level)) => long_place.ends_with(level),
        (true, None) => long_place.is_empty(),
        (false, _) => short_place == long_place,
    };
    places_agree
        && short_core.chars().count() < long_own.chars().count()
        && abbreviates(short_core, long_own)
}

/// A coarse key under which every name `same_organ` may pair is filed: the organ's kind
/// and the first character of its own name. A batch looks up the few keys of one bucket
/// instead of comparing every pair of organs.
pub fn pairing_bucket(key: &str) -> String {
    let (_, own) = split_place(key);
    let (core, _) = core_of(own);
    let first = core.chars().next().map(String::from).unwrap_or_default();
    format!("{}|{first}", organ_class(key))
}

/// The report's organ key, if it names an organ.
pub fn report_organ_key(report: &Report) -> Option<String> {
    report
        .organ
        .as_deref()
        .map(organ_key)
        .filter(|k| !k.is_empty())
}

/// FNV-1a, 64 bits: small, stable across platforms and versions (unlike std's hasher), fed
/// piece by piece.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, text: &str) -> &mut Fnv1a {
        for b in text.bytes() {
            self.0 = (self.0 ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        self
    }
}

/// The text a finding's fingerprint holds: what its evidence quotes, when the finding
/// names no cells or reads the narrative against a table (else its cells say where it is).
fn quoted_text(finding: &Finding) -> &str {
    finding
        .evidence
        .as_ref()
        .and_then(|e| e.text.as_deref())
        .filter(|_| finding.cells.is_empty() || finding.family == crate::Family::TextTable)
        .unwrap_or("")
}

/// A finding's identity across runs: rule, organ, year, the cells it names, its part and
/// the text it quotes — never its line or column, which move when a report is edited.
pub fn fingerprint(report: &Report, finding: &Finding) -> String {
    fingerprints(report, std::slice::from_ref(finding)).remove(0)
}

/// The fingerprints of a report's findings (`fingerprint`), its organ's key and year worked
/// out once: the hash of "rule|organ|year|cells, sorted, joined by commas|part|quoted text".
pub fn fingerprints(report: &Report, findings: &[Finding]) -> Vec<String> {
    let organ = report_organ_key(report).unwrap_or_default();
    let year = report.year.map(|y| y.to_string()).unwrap_or_default();
    findings
        .iter()
        .map(|finding| {
            let mut cells: Vec<&str> = finding.cells.iter().map(String::as_str).collect();
            cells.sort_unstable();
            let text = quoted_text(finding);
            let mut hash = Fnv1a::new();
            hash.write(&finding.rule)
                .write("|")
                .write(&organ)
                .write("|");
            hash.write(&year).write("|");
            for (i, cell) in cells.iter().enumerate() {
                hash.write(if i == 0 { "" } else { "," }).write(cell);
            }
            let part = finding.section.map(|s| s.numeral()).unwrap_or("");
            hash.write("|").write(part).write("|").write(text);
            format!("{:016x}", hash.0)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organ_variants_are_one_organ() {
        assert_eq!(organ_key("兰陵县人民政府"), "兰陵县");
        assert_eq!(organ_key("兰陵县政府"), "兰陵县");
        assert_eq!(organ_key("2019年兰陵县人民政府"), "兰陵县");
        assert_eq!(
            organ_key("平潭综合实验区管委会"),
            organ_key("平潭综合实验区管理委员会")
        );
        assert_eq!(organ_key("宁陵县人民政府办公室"), "宁陵县人民政府办公室");
        assert_ne!(
            organ_key("平潭县人民政府"),
            organ_key("平潭综合实验区管委会")
        );
    }

    #[test]
    fn full_and_short_names_are_one_organ() {
        let pairs = [
            ("某市教委", "某市教育委员会"),
            ("市教委", "某市教育委员会"),
            ("某市发改委", "某市发展和改革委员会"),
            ("某县人社局", "某县人力资源和社会保障局"),
            ("某县某镇", "某镇"),
            ("淮安市洪泽区", "洪泽区"),
        ];
        for (a, b) in pairs {
            assert!(same_organ(a, b), "{a} / {b}");
            assert!(same_organ(b, a), "{b} / {a}");
            assert_eq!(pairing_bucket(a), pairing_bucket(b), "{a} / {b}");
        }
        let apart = [
            ("某县", "某县人民政府办公室"),
            ("某县教育局", "某县公安局"),
            ("县教委", "某市教育委员会"),
            ("某市教委", "另市教育委员会"),
            ("甲县某镇", "乙县某镇"),
            ("某市卫健委", "某市教育委员会"),
        ];
        for (a, b) in apart {
            assert!(!same_organ(a, b), "{a} / {b}");
        }
    }

    /// The fingerprint as it was first written: the fields formatted into one text, hashed.
    fn fingerprint_by_definition(report: &Report, finding: &Finding) -> String {
        let mut cells = finding.cells.clone();
        cells.sort();
        let text = quoted_text(finding);
        let key = format!(
            "{}|{}|{}|{}|{}|{}",
            finding.rule,
            report_organ_key(report).unwrap_or_default(),
            report.year.map(|y| y.to_string()).unwrap_or_default(),
            cells.join(","),
            finding.section.map(|s| s.numeral()).unwrap_or(""),
            text
        );
        let mut hash = Fnv1a::new();
        hash.write(&key);
        format!("{:016x}", hash.0)
    }

    #[test]
    fn fingerprints_hash_the_fields_as_first_written() {
        let reports = [
            Report::default(),
            Report {
                organ: Some("兰陵县人民政府".into()),
                year: Some(2019),
                ..Report::default()
            },
        ];
        let finding = |cells: &[&str], text: Option<&str>, family, section| Finding {
            rule: "T3.ROW_SUM".into(),
            family,
            severity: crate::Severity::Error,
            message: "m".into(),
            cells: cells.iter().map(|c| c.to_string()).collect(),
            section,
            span: None,
            deduction: 5.0,
            evidence: text.map(|t| crate::Evidence {
                text: Some(t.into()),
                ..Default::default()
            }),
            fault: Default::default(),
            fault_reason: None,
        };
        let findings = [
            finding(&[], None, crate::Family::RowSum, None),
            finding(
                &["t3.b", "t3.a", "t2.c"],
                Some("引文"),
                crate::Family::RowSum,
                None,
            ),
            finding(&["t3.a"], Some("引文"), crate::Family::TextTable, None),
            finding(
                &[],
                Some("引文"),
                crate::Family::Semantic,
                Some(crate::SectionId::Two),
            ),
        ];
        for report in &reports {
            let expected: Vec<String> = findings
                .iter()
                .map(|f| fingerprint_by_definition(report, f))
                .collect();
            assert_eq!(fingerprints(report, &findings), expected);
            assert_eq!(fingerprint(report, &findings[1]), expected[1]);
        }
    }

    #[test]
    fn fingerprints_ignore_positions() {
        let report = Report {
            organ: Some("兰陵县人民政府".into()),
            year: Some(2019),
            ..Report::default()
        };
        let mut f = Finding {
            rule: "T3.ROW_SUM".into(),
            family: crate::Family::RowSum,
            severity: crate::Severity::Error,
            message: "m".into(),
            cells: vec!["t3.granted.total".into(), "t3.granted.natural".into()],
            section: None,
            span: None,
            deduction: 5.0,
            evidence: None,
            fault: Default::default(),
            fault_reason: None,
        };
        let a = fingerprint(&report, &f);
        f.span = Some(crate::SourceSpan {
            start: 9,
            end: 10,
            line: 81,
            column: 24,
        });
        f.message = "other words".into();
        f.cells.reverse();
        assert_eq!(fingerprint(&report, &f), a);
        f.rule = "T3.COL_SUM".into();
        assert_ne!(fingerprint(&report, &f), a);
        assert_eq!(a.len(), 16);
    }
}
