//! Findings an office can trust: a cell that was not read is not taken for 0, a sum that
//! fails because nianbao may have misread a cell says so (需复核) instead of accusing the
//! report, the report's own errors say what would mend them, and files that are not reports
//! get no score and rank below every report.

use serde_json::Value;
use std::path::{Path, PathBuf};
use suite::{finding_rules, nianbao, seed, seeds_dir, shared_dir, temp_dir};

/// Seed 004 (2021 form, tab-separated tables) with three requests in row （六）3.其他, the
/// totals raised to match, so that the table adds up.
fn seed_with_other_requests() -> String {
    let text = std::fs::read_to_string(seeds_dir().join("004_1ad31af01008103e.txt")).unwrap();
    let replace = |text: &str, from: &str, to: &str| {
        assert_eq!(text.matches(from).count(), 1, "{from:?} once in the seed");
        text.replace(from, to)
    };
    let text = replace(
        &text,
        "\t3.其他\t0\t0\t0\t0\t0\t0\t0\t0",
        "\t3.其他\t3\t0\t0\t0\t0\t0\t0\t3",
    );
    let text = replace(
        &text,
        "(七) 总计\t\t14\t0\t0\t0\t0\t0\t0\t14",
        "(七) 总计\t\t17\t0\t0\t0\t0\t0\t0\t17",
    );
    replace(
        &text,
        "一、本年新收政府信息公开申请数量\t14\t0\t0\t0\t0\t0\t14",
        "一、本年新收政府信息公开申请数量\t17\t0\t0\t0\t0\t0\t17",
    )
}

fn audit_json(path: &Path) -> Value {
    nianbao(&["audit", path.to_str().unwrap(), "--format", "json"]).json()
}

fn findings(audit: &Value) -> Vec<Value> {
    audit["reports"][0]["findings"].as_array().unwrap().clone()
}

fn rules_of(findings: &[Value], prefix: &str) -> Vec<Value> {
    findings
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with(prefix))
        .cloned()
        .collect()
}

#[test]
fn a_row_that_was_not_read_is_not_summed_as_zero() {
    let dir = temp_dir("trust-absent");
    let whole = dir.join("whole.txt");
    let text = seed_with_other_requests();
    std::fs::write(&whole, &text).unwrap();
    // The table as printed adds up.
    let complete = findings(&audit_json(&whole));
    assert!(rules_of(&complete, "T3.").is_empty(), "{complete:?}");
    assert!(rules_of(&complete, "READ.").is_empty(), "{complete:?}");

    // Without the row (as when a reader misses it), the sums that need it are not checked
    // and one finding says which cells of 表三 could not be read.
    let line = text
        .lines()
        .find(|l| l.contains("\t3.其他\t3"))
        .unwrap()
        .to_string();
    let missing = dir.join("row-missing.txt");
    std::fs::write(&missing, text.replace(&format!("{line}\n"), "")).unwrap();
    let found = findings(&audit_json(&missing));
    assert!(
        rules_of(&found, "T3.").is_empty(),
        "no sum error for a row that was not read: {found:?}"
    );
    let incomplete = rules_of(&found, "READ.INCOMPLETE");
    assert_eq!(incomplete.len(), 1, "{found:?}");
    let finding = &incomplete[0];
    assert!(
        finding["message"].as_str().unwrap().contains("3.其他"),
        "{finding}"
    );
    assert!(finding["cells"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "t3.other.misc.natural"));
    assert_eq!(finding["fault"], "reading");
    assert_eq!(finding["deduction"], 0);
}

/// Reads, parses and checks a file with the built-in rules.
fn check(
    path: &Path,
    edit: impl FnOnce(&mut nianbao_model::Report),
) -> Vec<nianbao_model::Finding> {
    let doc = nianbao_ingest::read_path(path, &Default::default()).unwrap();
    let mut report = nianbao_parse::parse(&doc);
    edit(&mut report);
    nianbao_rules::RuleSet::builtin().unwrap().check(&report)
}

#[test]
fn a_sum_broken_by_a_misread_run_together_cell_is_for_review_not_the_reports_error() {
    // Pingtan 2021 as a crawler saved it: each row's digits run together ("270020130").
    let path: PathBuf = shared_dir().join("corpus/031_pingtan_2021.txt");
    let arithmetic = |f: &&nianbao_model::Finding| f.rule.starts_with("T3.");
    let as_read = check(&path, |_| {});
    assert!(as_read.iter().filter(arithmetic).count() == 0);

    // The row 予以公开 was cut as 27,0,0,2,0,1,30 with another cut possible; inject a
    // one-digit misreading of its first cell (27 → 7).
    let key = "t3.granted.natural";
    let misread = check(&path, |report| {
        let cell = report.cells.get_mut(key).unwrap();
        assert!(
            cell.doubt().is_some(),
            "the cell was recovered with other cuts possible"
        );
        assert_eq!(cell.value, Some(27.0));
        cell.value = Some(7.0);
    });
    let broken: Vec<_> = misread.iter().filter(arithmetic).collect();
    assert!(
        !broken.is_empty(),
        "the misreading breaks a sum: {misread:?}"
    );
    for f in broken {
        assert_eq!(f.fault, nianbao_model::Fault::Reading, "{f:?}");
        assert_eq!(f.deduction, 0.0);
        let reason = f.fault_reason.as_deref().unwrap_or_default();
        assert!(
            reason.contains("读作 7") && reason.contains("若为 27"),
            "{reason}"
        );
        // Why the cell is doubted, in the office's words: the digits it was cut from.
        assert!(reason.contains("由连在一起的数字“"), "{reason}");
    }

    // The same slip in a cell read from a clean column is the report's error.
    let seed_path = seeds_dir().join("004_1ad31af01008103e.txt");
    let slipped = check(&seed_path, |report| {
        let cell = report.cells.get_mut("t3.new.natural").unwrap();
        assert!(cell.doubt().is_none());
        cell.value = Some(4.0);
    });
    let broken: Vec<_> = slipped.iter().filter(arithmetic).collect();
    assert!(!broken.is_empty());
    assert!(broken
        .iter()
        .all(|f| f.fault == nianbao_model::Fault::Report));
}

#[test]
fn the_seeds_arithmetic_errors_are_the_reports_with_the_repair_that_mends_them() {
    let expect = [
        (
            "000_3a5e30b285f87727.txt",
            "若 表三 （一）予以公开 / 总计 为 49，则各项均平衡",
        ),
        (
            "003_0eb612e351c75c5e.txt",
            "若 表三 （七）总计 / 总计 为 1、表三 （二）部分公开（区分处理的，只计这一情形，不计其他情形） / 总计 为 1，则各项均平衡",
        ),
    ];
    for (name, hint) in expect {
        let audit = nianbao(&["audit", &seed(name), "--format", "json"]).json();
        let sums: Vec<Value> = findings(&audit)
            .into_iter()
            .filter(|f| f["rule"].as_str().unwrap().starts_with("T3."))
            .collect();
        assert!(!sums.is_empty(), "{name}");
        for f in &sums {
            assert_eq!(f["fault"], "report", "{name}: {f}");
            assert!(f["deduction"].as_f64().unwrap() > 0.0, "{name}: {f}");
        }
        assert!(
            sums.iter()
                .any(|f| f["message"].as_str().unwrap().contains(hint)),
            "{name}: no finding says {hint:?}: {sums:?}"
        );
    }
}

/// A batch: a seed report, a two-line text renamed .docx, and a scan without text.
fn batch_with_non_reports() -> (PathBuf, [String; 3]) {
    let dir = temp_dir("trust-unscored");
    let fake = dir.join("renamed.docx");
    std::fs::write(&fake, "2021年度政府信息公开工作年度报告\n一、总体情况\n").unwrap();
    let scan = dir.join("scan.pdf");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/scanned.pdf"),
        &scan,
    )
    .unwrap();
    let report = dir.join("report.txt");
    std::fs::copy(seeds_dir().join("004_1ad31af01008103e.txt"), &report).unwrap();
    let files = [report, fake, scan].map(|p| p.display().to_string());
    (dir, files)
}

#[test]
fn files_that_are_not_reports_get_no_score_and_rank_last_everywhere() {
    let (dir, [report, fake, scan]) = batch_with_non_reports();
    // In the batch, the non-reports come first: every ranking must still put them last.
    let args = |format: &str| -> Vec<String> {
        ["audit", &fake, &scan, &report, "--format", format]
            .map(String::from)
            .to_vec()
    };
    let run = |format: &str| {
        let args = args(format);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        nianbao(&args)
    };

    let json = run("json").json();
    let by_file = |file: &str| {
        json["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["file"] == file)
            .unwrap()
            .clone()
    };
    for file in [&fake, &scan] {
        let r = by_file(file);
        assert_eq!(r["score"], Value::Null, "{r}");
        assert_eq!(r["grade"], "无法评分");
        assert!(r["unscored"].as_str().is_some_and(|s| !s.is_empty()));
    }
    assert!(by_file(&fake)["unscored"]
        .as_str()
        .unwrap()
        .contains("文件名为 .docx，内容却是纯文本"));
    assert!(by_file(&scan)["unscored"]
        .as_str()
        .unwrap()
        .contains("扫描件"));
    assert!(finding_rules(&by_file(&fake)).contains(&"FILE.MISNAMED".to_string()));
    assert!(by_file(&report)["score"].as_f64().is_some());
    assert_eq!(json["summary"]["unscored"], 2);

    // HTML ranking: the report first, the two unscored files after it.
    let html = run("html").stdout;
    let ranking = &html[html.find("class=\"ranking\"").unwrap()..html.find("</table>").unwrap()];
    assert_order(ranking, &[&report, &fake], "HTML");
    assert_order(ranking, &[&report, &scan], "HTML");
    assert!(ranking.matches("无法评分").count() == 2, "{ranking}");
    assert!(html.contains("其中 2 份无法评分"));

    // XLSX sheet 报告: ranked, the unscored rows last and saying so.
    let output = dir.join("audit.xlsx");
    let mut xlsx_args = args("xlsx");
    xlsx_args.extend(["--output".to_string(), output.display().to_string()]);
    let xlsx_args: Vec<&str> = xlsx_args.iter().map(String::as_str).collect();
    nianbao(&xlsx_args);
    let rows = sheet_rows(&output, "报告");
    let files: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(files[0], report, "{rows:?}");
    assert!(rows[2..].iter().all(|r| r[7] == "无法评分"), "{rows:?}");

    // CSV of findings: each unscored file gets a row saying so.
    let csv = run("csv").stdout;
    for file in [&fake, &scan] {
        assert!(
            csv.lines()
                .any(|l| l.starts_with(file.as_str()) && l.contains("FILE.UNSCORED")),
            "{csv}"
        );
    }

    // Terminal: no score shown for them, and the count in the closing line.
    let terminal = run("terminal").stdout;
    for line in terminal.lines().filter(|l| l.starts_with('■')) {
        let unscored = line.contains(fake.as_str()) || line.contains(scan.as_str());
        assert_eq!(line.contains("无法评分"), unscored, "{line}");
        assert_eq!(line.contains("得分"), !unscored, "{line}");
    }
    assert!(terminal.contains("其中 2 份无法评分"), "{terminal}");
    // …and after every report, the files that got no score, listed with their reasons.
    let close = &terminal[terminal.rfind('■').unwrap()..];
    let listed = &close[close.find("无法评分:\n").expect("a closing list")..];
    assert_order(listed, &[&fake, &scan], "terminal");
    assert!(!listed.contains(report.as_str()), "{listed}");
}

fn assert_order(text: &str, files: &[&str], what: &str) {
    let at: Vec<usize> = files
        .iter()
        .map(|f| {
            text.find(f)
                .unwrap_or_else(|| panic!("{what}: {f} missing"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{what}: order of {files:?}"
    );
}

fn sheet_rows(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn the_scoring_mode_decides_whether_info_findings_cost_points() {
    let dir = temp_dir("trust-modes");
    let report = seed("004_1ad31af01008103e.txt");
    // Seed 004 cites a document of the year before (TEXT.STALE_YEAR, a warning of 2 points);
    // the office makes that rule info.
    let score_with = |mode: Option<&str>| {
        let config = dir.join(format!("{}.toml", mode.unwrap_or("default")));
        let scoring = mode.map_or(String::new(), |m| format!("[scoring]\nmode = \"{m}\"\n"));
        let text = format!("[rules.severity]\n\"TEXT.STALE_YEAR\" = \"info\"\n{scoring}");
        std::fs::write(&config, text).unwrap();
        let run = nianbao(&[
            "audit",
            &report,
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
        ]);
        let json = run.json();
        let report = &json["reports"][0];
        assert!(findings(&json)
            .iter()
            .any(|f| f["rule"] == "TEXT.STALE_YEAR" && f["severity"] == "info"));
        report["score"].as_f64().unwrap()
    };
    let as_warning = nianbao(&["audit", &report, "--format", "json"]).json()["reports"][0]["score"]
        .as_f64()
        .unwrap();
    let default = score_with(None);
    assert_eq!(
        default,
        score_with(Some("conservative")),
        "conservative is the default"
    );
    assert_eq!(
        default,
        as_warning + 2.0,
        "conservative: an info finding costs nothing"
    );
    assert_eq!(
        score_with(Some("strict")),
        as_warning,
        "strict: it costs its points"
    );

    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[scoring]\nmode = \"lenient\"\n").unwrap();
    let run = nianbao(&["audit", &report, "--config", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown mode \"lenient\""),
        "{}",
        run.stderr
    );
}

/// How many findings of a JSON report are at `fault` (and of `severity`, when given).
fn count_at(report: &Value, fault: &str, severity: Option<&str>) -> usize {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["fault"] == fault && severity.is_none_or(|s| f["severity"] == s))
        .count()
}

#[test]
fn findings_to_review_are_counted_apart_from_the_reports_errors_everywhere() {
    // Pingtan county 2012 (old form) has a sum nianbao may have misread; seed 000 has the
    // report's own arithmetic errors.
    let dir = temp_dir("trust-counts");
    let files = [
        shared_dir()
            .join("corpus/047_pingtanxian_2012.txt")
            .display()
            .to_string(),
        seed("000_3a5e30b285f87727.txt"),
    ];
    let run = |format: &str, extra: &[&str]| {
        let mut args = vec!["audit", &files[0], &files[1], "--format", format];
        args.extend(extra);
        nianbao(&args)
    };
    let json = run("json", &[]).json();
    let reports = json["reports"].as_array().unwrap();
    let sum =
        |fault, severity| -> usize { reports.iter().map(|r| count_at(r, fault, severity)).sum() };
    let (errors, to_review) = (sum("report", Some("error")), sum("reading", None));
    assert!(to_review >= 1, "the batch has a finding to review: {json}");
    assert!(errors >= 1, "and errors of the reports' own: {json}");
    assert_eq!(json["summary"]["errors"], errors);
    assert_eq!(json["summary"]["warnings"], sum("report", Some("warning")));
    assert_eq!(json["summary"]["to_review"], to_review);

    let terminal = run("terminal", &[]).stdout;
    // Each report's line (all a quiet run prints) says how many of its findings are to review.
    for r in reports {
        let file = r["file"].as_str().unwrap();
        let line = terminal
            .lines()
            .find(|l| l.starts_with(&format!("■ {file} ")))
            .unwrap();
        let n = count_at(r, "reading", None);
        assert_eq!(line.ends_with(&format!(" · {n} 个需复核")), n > 0, "{line}");
    }
    let close = terminal.lines().last().unwrap();
    assert!(close.contains(&format!("; {errors} 个错误,")), "{close}");
    assert!(close.contains(&format!("{to_review} 个需复核")), "{close}");
    // Each finding to review is labelled so, after the report's own findings: in the
    // terminal as review[RULE], in HTML folded under a line that counts them.
    let reviewed: Vec<&str> = reports
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .filter(|f| f["fault"] == "reading")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in &reviewed {
        let shown = terminal.find(&format!("  review[{rule}] ")).unwrap();
        let own = terminal[..shown].rfind('■').unwrap();
        assert!(
            !terminal[shown..]
                .split('■')
                .next()
                .unwrap()
                .contains("  error["),
            "the report's own errors come before those to review"
        );
        assert!(own < shown);
    }
    let html = run("html", &[]).stdout;
    assert!(html.contains(&format!("{errors} 个错误")));
    assert!(html.contains(&format!("{to_review} 个需复核")));
    assert!(html.contains("<th class=\"sortable\">需复核</th>"));
    let folded = html.find("<details class=\"to-review\"><summary>").unwrap();
    let folded = &html[folded..folded + html[folded..].find("</details>").unwrap()];
    assert!(
        folded.contains(&format!("{to_review} 个需复核")),
        "{folded}"
    );
    for rule in &reviewed {
        let badge = format!("<span class=\"info\">需复核</span> <code>{rule}</code>");
        assert!(folded.contains(&badge), "{folded}");
    }
    // A report whose findings are all to review says it showed no problem of its own.
    let only_to_review = reports
        .iter()
        .filter(|r| count_at(r, "reading", None) > 0 && count_at(r, "report", None) == 0);
    assert_eq!(
        html.matches("<p>未发现报告本身的问题。</p>").count(),
        only_to_review.count()
    );

    // SARIF: a finding to review is a note for code scanning, the report's errors errors.
    let sarif = run("sarif", &[]).json();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let levels = |fault: &str| -> Vec<&str> {
        results
            .iter()
            .filter(|r| r["properties"]["fault"] == fault)
            .map(|r| r["level"].as_str().unwrap())
            .collect()
    };
    assert_eq!(levels("reading").len(), to_review);
    assert!(levels("reading").iter().all(|l| *l == "note"));
    assert_eq!(
        levels("report").iter().filter(|l| **l == "error").count(),
        errors
    );

    // Each report's row: its errors and warnings at the report's fault, then those to review.
    let markdown = run("markdown", &[]).stdout;
    for rule in &reviewed {
        assert!(
            markdown.contains(&format!("| review | `{rule}` |")),
            "{markdown}"
        );
    }
    let output = dir.join("audit.xlsx");
    run("xlsx", &["--output", output.to_str().unwrap()]);
    let sheet = sheet_rows(&output, "报告");
    let column = |name: &str| sheet[0].iter().position(|h| h == name).unwrap();
    for r in reports {
        let counts = [
            count_at(r, "report", Some("error")),
            count_at(r, "report", Some("warning")),
            count_at(r, "reading", None),
        ];
        let file = r["file"].as_str().unwrap();
        let row = markdown
            .lines()
            .find(|l| l.starts_with(&format!("| {file} |")))
            .unwrap();
        let shown = format!("| {} | {} | {} |", counts[0], counts[1], counts[2]);
        assert!(row.ends_with(&shown), "{row} should end {shown}");
        let row = sheet.iter().find(|row| row[0] == file).unwrap();
        let cell = |name: &str| row[column(name)].parse::<usize>().unwrap();
        assert_eq!(
            [
                cell("错误 errors"),
                cell("警告 warnings"),
                cell("需复核 to review")
            ],
            counts,
            "{row:?}"
        );
    }
}
