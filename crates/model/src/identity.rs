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
    let mut key: String = organ.chars().filter(|c| !c.is_whitespace()).collect();
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

/// The report's organ key, if it names an organ.
pub fn report_organ_key(report: &Report) -> Option<String> {
    report
        .organ
        .as_deref()
        .map(organ_key)
        .filter(|k| !k.is_empty())
}

/// FNV-1a, 64 bits: small, stable across platforms and versions (unlike std's hasher).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A finding's identity across runs: rule, organ, year, the cells it names, its part and
/// the text it quotes — never its line or column, which move when a report is edited.
pub fn fingerprint(report: &Report, finding: &Finding) -> String {
    let mut cells = finding.cells.clone();
    cells.sort();
    let text = finding
        .evidence
        .as_ref()
        .and_then(|e| e.text.as_deref())
        .filter(|_| finding.cells.is_empty() || finding.family == crate::Family::TextTable)
        .unwrap_or("");
    let key = format!(
        "{}|{}|{}|{}|{}|{}",
        finding.rule,
        report_organ_key(report).unwrap_or_default(),
        report.year.map(|y| y.to_string()).unwrap_or_default(),
        cells.join(","),
        finding.section.map(|s| s.numeral()).unwrap_or(""),
        text
    );
    format!("{:016x}", fnv1a(&key))
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
