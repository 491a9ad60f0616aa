//! Audits across years on the Pingtan series of ../shared/corpus (平潭综合实验区 2011–2023,
//! every other year; 平潭县人民政府 2011 and 2012), and regression runs against a baseline.

use serde_json::Value;
use suite::{nianbao, report_in, seeds_dir, shared_dir, temp_dir};

fn year_findings(json: &Value) -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for r in json["reports"].as_array().unwrap() {
        let file = r["file"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        for f in r["findings"].as_array().into_iter().flatten() {
            let rule = f["rule"].as_str().unwrap();
            if rule.starts_with("YEAR.") {
                let cells = f["cells"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect();
                out.push((file.clone(), rule.to_string(), cells));
            }
        }
    }
    out.sort();
    out
}

/// What the data really show, checked by hand against the reports:
/// - 平潭县 2012 (047) repeats its 2011 report (039): parts 一 and 四 nearly word for word;
///   9 in 10 of its 8-character shingles are in the 2011 text.
/// - 平潭县 2012 received 21 applications (18 in person, 3 by e-mail) and answered 21 (17
///   granted), where 2011 had none: four figures from 0 to ≥ 17, worth a look.
/// - The zone's 2013 report (044) is its 2011 report (045, two years back) with the years and
///   figures changed: the introduction, 概述 (专项经费, 会议部署, 每月巡查), the forms of
///   disclosure (门户网站, 公众查阅点, 政务公开栏), the three problems (一是…三是) and most
///   improvement measures; 7 of its 33 sentences are identical even with their digits.
/// - Nothing else: the zone's other reports share under 35% with the one before; no two
///   consecutive 2019-form reports exist, so no carry-over (上年结转) can be compared.
#[test]
fn pingtan_series_shows_its_real_cross_year_findings() {
    let corpus = shared_dir().join("corpus");
    let json = nianbao(&["audit", corpus.to_str().unwrap(), "--format", "json"]).json();
    let found = year_findings(&json);
    let expected = vec![
        ("044_pingtan_2013.txt", "YEAR.TEXT_OVERLAP", vec![]),
        (
            "047_pingtanxian_2012.txt",
            "YEAR.JUMP",
            vec!["old.apply.answered"],
        ),
        (
            "047_pingtanxian_2012.txt",
            "YEAR.JUMP",
            vec!["old.apply.granted"],
        ),
        (
            "047_pingtanxian_2012.txt",
            "YEAR.JUMP",
            vec!["old.apply.in_person"],
        ),
        (
            "047_pingtanxian_2012.txt",
            "YEAR.JUMP",
            vec!["old.apply.received"],
        ),
        ("047_pingtanxian_2012.txt", "YEAR.TEXT_OVERLAP", vec![]),
    ];
    let expected: Vec<(String, String, Vec<String>)> = expected
        .into_iter()
        .map(|(f, r, c)| {
            (
                f.to_string(),
                r.to_string(),
                c.into_iter().map(str::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(found, expected);
    // The overlap figures, as reported.
    let overlap = |file: &str| -> f64 {
        let f = report_in(&json, file)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "YEAR.TEXT_OVERLAP")
            .unwrap();
        f["evidence"]["reported"].as_f64().unwrap()
    };
    assert!(overlap("047_pingtanxian_2012.txt") > 0.85);
    assert!(overlap("044_pingtan_2013.txt") > 0.75);
}

#[test]
fn the_same_organ_is_recognised_across_wordings() {
    // 2019年兰陵县人民政府 / 兰陵县政府 / 兰陵县人民政府 are one organ for cross-year rules.
    let dir = temp_dir("organ-identity");
    let seed = std::fs::read_to_string(seeds_dir().join("000_3a5e30b285f87727.txt")).unwrap();
    let next = seed
        .replacen("兰陵县人民政府\n", "兰陵县政府\n", 1)
        .replacen(
            "2019年政府信息公开工作年度报告",
            "2020年政府信息公开工作年度报告",
            1,
        );
    std::fs::write(dir.join("2020.txt"), next).unwrap();
    std::fs::write(dir.join("2019.txt"), seed).unwrap();
    let json = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]).json();
    let rules: Vec<String> = year_findings(&json).into_iter().map(|f| f.1).collect();
    assert!(
        rules.contains(&"YEAR.TEXT_OVERLAP".to_string()),
        "{rules:?}"
    );
    // 2019's 结转下年度 2 against 2020's 上年结转 0 (the copy kept 0): a carry-over break.
    assert!(rules.contains(&"YEAR.CARRY_OVER".to_string()), "{rules:?}");
    // Each names the report it was compared with.
    for f in report_in(&json, "2020.txt")["findings"].as_array().unwrap() {
        if f["rule"].as_str().unwrap().starts_with("YEAR.") {
            let other = f["evidence"]["compared_with"].as_str().unwrap_or_default();
            assert!(other.ends_with("2019.txt"), "{f}");
        }
    }
}

/// A report whose top does not tell its organ and year (a crawled page's navigation, one
/// line longer than what the batch's first pass reads of a file's top) is still paired with
/// its successor: the first pass then reads its words whole, as the audit does.
#[test]
fn a_report_whose_top_does_not_tell_is_still_paired() {
    let dir = temp_dir("late-identity");
    let seed = std::fs::read_to_string(seeds_dir().join("000_3a5e30b285f87727.txt")).unwrap();
    let navigation = "网站首页 政务公开 信息公开指南 信息公开目录 依申请公开 ".repeat(160);
    assert!(navigation.len() > 7 * 1024);
    let next = seed.replacen(
        "2019年政府信息公开工作年度报告",
        "2020年政府信息公开工作年度报告",
        1,
    );
    std::fs::write(dir.join("2019.txt"), format!("{navigation}\n{seed}")).unwrap();
    std::fs::write(dir.join("2020.txt"), next).unwrap();
    let json = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]).json();
    let compared = compared_with(&json, "2020.txt");
    assert!(!compared.is_empty(), "{json:#}");
    assert!(
        compared.iter().all(|c| c.ends_with("2019.txt")),
        "{compared:?}"
    );
}

/// The files the cross-year findings of the report in `file` name as compared with.
fn compared_with<'a>(json: &'a Value, file: &str) -> Vec<&'a str> {
    report_in(json, file)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("YEAR."))
        .filter_map(|f| f["evidence"]["compared_with"].as_str())
        .collect()
}

/// Last year's report under the organ's full name, this year's under its short one (and the
/// other way round): one organ. Another organ of the same city and kind is not.
#[test]
fn full_and_short_names_pair_across_years() {
    let seed = std::fs::read_to_string(seeds_dir().join("004_1ad31af01008103e.txt")).unwrap();
    let named = |organ: &str, year: i32| {
        seed.replace("宁陵县人民政府办公室", organ).replace(
            "2021年政府信息公开工作年度报告",
            &format!("{year}年政府信息公开工作年度报告"),
        )
    };
    let pairs = [
        ("某市教育委员会", "某市教委", true),
        ("某市教委", "某市教育委员会", true),
        ("某市卫生健康委员会", "某市教委", false),
    ];
    for (n, (last, this, paired)) in pairs.into_iter().enumerate() {
        let dir = temp_dir(&format!("short-names-{n}"));
        std::fs::write(dir.join("last.txt"), named(last, 2021)).unwrap();
        std::fs::write(dir.join("this.txt"), named(this, 2022)).unwrap();
        let json = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]).json();
        let compared = compared_with(&json, "this.txt");
        assert_eq!(
            !compared.is_empty(),
            paired,
            "{last} (2021) / {this} (2022): {compared:?}"
        );
        assert!(compared.iter().all(|c| c.ends_with("last.txt")));
    }
}

fn audit_json(path: &str, extra: &[&str]) -> Value {
    let mut args = vec!["audit", path, "--format", "json"];
    args.extend_from_slice(extra);
    nianbao(&args).json()
}

fn statuses(json: &Value) -> Vec<(String, String)> {
    json["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["baseline"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn breaking_one_cell_marks_exactly_its_findings_new() {
    let dir = temp_dir("baseline");
    let clean = seeds_dir().join("004_1ad31af01008103e.txt");
    let text = std::fs::read_to_string(&clean).unwrap();
    // 一、本年新收 自然人 14 → 15: the row no longer adds up, nor does the 自然人 column.
    let broken_text = text.replacen(
        "一、本年新收政府信息公开申请数量\t14\t",
        "一、本年新收政府信息公开申请数量\t15\t",
        1,
    );
    assert_ne!(text, broken_text);
    let broken = dir.join("broken.txt");
    std::fs::write(&broken, broken_text).unwrap();
    let baseline = dir.join("baseline.json");
    let clean_json = audit_json(clean.to_str().unwrap(), &[]);
    std::fs::write(&baseline, serde_json::to_string(&clean_json).unwrap()).unwrap();

    let against = audit_json(
        broken.to_str().unwrap(),
        &["--baseline", baseline.to_str().unwrap()],
    );
    let new: Vec<(String, String)> = statuses(&against)
        .into_iter()
        .filter(|(_, s)| s == "new")
        .collect();
    assert_eq!(
        new,
        [
            ("T3.BALANCE".to_string(), "new".to_string()),
            ("T3.ROW_SUM".to_string(), "new".to_string())
        ]
    );
    let unchanged = statuses(&against)
        .iter()
        .filter(|(_, s)| s == "unchanged")
        .count();
    assert_eq!(
        unchanged,
        clean_json["reports"][0]["findings"]
            .as_array()
            .unwrap()
            .len()
    );
    assert!(against["reports"][0]["fixed"]
        .as_array()
        .unwrap()
        .is_empty());
    let new_cells: Vec<&Value> = against["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["baseline"] == "new")
        .map(|f| &f["cells"][0])
        .collect();
    assert_eq!(new_cells, ["t3.new.natural", "t3.new.total"]);

    // The other way round: the repaired report lists both as fixed.
    let broken_baseline = dir.join("broken.json");
    std::fs::write(
        &broken_baseline,
        serde_json::to_string(&audit_json(broken.to_str().unwrap(), &[])).unwrap(),
    )
    .unwrap();
    let repaired = audit_json(
        clean.to_str().unwrap(),
        &["--baseline", broken_baseline.to_str().unwrap()],
    );
    let fixed: Vec<&str> = repaired["reports"][0]["fixed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(fixed, ["T3.BALANCE", "T3.ROW_SUM"]);
    assert!(statuses(&repaired).iter().all(|(_, s)| s == "unchanged"));

    // The terminal and Markdown renderings show it too.
    let terminal = nianbao(&[
        "audit",
        broken.to_str().unwrap(),
        "--baseline",
        baseline.to_str().unwrap(),
    ])
    .stdout;
    assert_eq!(terminal.matches("[new]").count(), 2, "{terminal}");
    let markdown = nianbao(&[
        "audit",
        clean.to_str().unwrap(),
        "--format",
        "markdown",
        "--baseline",
        broken_baseline.to_str().unwrap(),
    ])
    .stdout;
    assert_eq!(markdown.matches("| fixed |").count(), 2, "{markdown}");
    assert!(markdown.contains("| unchanged | warning |"), "{markdown}");
}

#[test]
fn a_bad_baseline_is_a_clear_error() {
    let dir = temp_dir("bad-baseline");
    let bad = dir.join("b.json");
    std::fs::write(&bad, "{\"reports\": 3}").unwrap();
    let run = nianbao(&[
        "audit",
        &suite::seed("004_1ad31af01008103e.txt"),
        "--baseline",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("b.json: not an audit in nianbao's JSON format"),
        "{}",
        run.stderr
    );
}

/// CI's view of a baseline: `--fail-on-new` stops a change only for what it broke, JUnit
/// names the new findings, SARIF places files relative to the checkout.
#[test]
fn ci_fails_only_on_new_findings() {
    let dir = temp_dir("fail-on-new");
    let text = std::fs::read_to_string(seeds_dir().join("004_1ad31af01008103e.txt")).unwrap();
    let broken = text.replacen(
        "一、本年新收政府信息公开申请数量\t14\t",
        "一、本年新收政府信息公开申请数量\t15\t",
        1,
    );
    let report = dir.join("report.txt");
    std::fs::write(&report, &broken).unwrap();
    let report = report.to_str().unwrap();
    // A baseline that already has the broken cells: nothing new, exit 0 despite the errors.
    let same = dir.join("same.json");
    std::fs::write(
        &same,
        nianbao(&["audit", report, "--format", "json"]).stdout,
    )
    .unwrap();
    let run = nianbao(&[
        "audit",
        report,
        "--baseline",
        same.to_str().unwrap(),
        "--fail-on-new",
        "-q",
    ]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(nianbao(&["audit", report, "-q"]).code, 1);
    // A baseline from before the break: the new errors fail the run, and JUnit names them.
    std::fs::write(dir.join("report.txt"), &text).unwrap();
    let before = dir.join("before.json");
    std::fs::write(
        &before,
        nianbao(&["audit", report, "--format", "json"]).stdout,
    )
    .unwrap();
    std::fs::write(dir.join("report.txt"), &broken).unwrap();
    let base = before.to_str().unwrap();
    let run = nianbao(&["audit", report, "--baseline", base, "--fail-on-new", "-q"]);
    assert_eq!(run.code, 1);
    let junit = nianbao(&["audit", report, "--baseline", base, "--format", "junit"]).stdout;
    assert!(
        junit.contains("T3.ROW_SUM") && junit.contains(" [new]\""),
        "{junit}"
    );
    // --fail-on-new without a baseline is a usage error.
    assert_eq!(nianbao(&["audit", report, "--fail-on-new"]).code, 2);
    let sarif = nianbao(&[
        "audit",
        "../shared/seeds/004_1ad31af01008103e.txt",
        "--format",
        "sarif",
    ])
    .json();
    let location =
        &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    assert_eq!(location["uri"], "../shared/seeds/004_1ad31af01008103e.txt");
}
