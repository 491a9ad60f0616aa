//! Every output format, produced for the seeds and the corpus and read back: CSV parsed,
//! XLSX re-read, JUnit parsed, HTML escaped, Markdown and SARIF shaped as promised. (The
//! JSON and SARIF schemas are checked by scripts/check-formats.sh, run by CI.)

use quick_xml::events::Event;
use serde_json::Value;
use suite::{nianbao, shared_dir, temp_dir};

fn inputs() -> Vec<String> {
    vec![
        "samples".to_string(),
        shared_dir().join("corpus").display().to_string(),
    ]
}

fn audit(format: &str, extra: &[&str]) -> (i32, Vec<u8>) {
    let dir = temp_dir(&format!("format-{format}"));
    let target = dir.join(format!("out.{format}"));
    let inputs = inputs();
    let mut args: Vec<&str> = vec!["audit"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend(["--format", format, "-o", target.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let run = nianbao(&args);
    (run.code, std::fs::read(&target).unwrap())
}

fn json_audit() -> Value {
    let (_, bytes) = audit("json", &[]);
    serde_json::from_slice(&bytes).unwrap()
}

fn total_findings(json: &Value) -> usize {
    json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["findings"].as_array().map_or(0, Vec::len))
        .sum()
}

#[test]
fn csv_has_one_row_per_finding_and_opens_in_excel() {
    let (code, bytes) = audit("csv", &[]);
    assert_eq!(code, 1);
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel/WPS");
    let rows: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(rows.len() - 1, total_findings(&json_audit()));
    assert!(rows[0].contains("规则 rule"));
}

/// Reads every sheet of a workbook into rows of strings.
fn read_xlsx(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn xlsx_has_reports_findings_and_cells_and_reads_back() {
    let (_, bytes) = audit("xlsx", &[]);
    let sheets = read_xlsx(bytes);
    let names: Vec<&str> = sheets.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["报告", "问题", "数据"]);
    let json = json_audit();
    assert_eq!(
        sheets[0].1.len() - 1,
        json["reports"].as_array().unwrap().len()
    );
    assert_eq!(sheets[1].1.len() - 1, total_findings(&json));
    let hongze = sheets[0]
        .1
        .iter()
        .find(|r| r[0].ends_with("003_hongze_2023.pdf"))
        .unwrap();
    assert_eq!(hongze[1], "洪泽区人民政府");
    // 数据: the header names each key in Chinese; the Hongze row holds its 表三 total.
    let header = &sheets[2].1[0];
    let col = header
        .iter()
        .position(|h| h.ends_with("t3.new.total"))
        .unwrap();
    assert!(header[col].starts_with("表三"));
    let row = sheets[2]
        .1
        .iter()
        .find(|r| r[0].ends_with("003_hongze_2023.pdf"))
        .unwrap();
    assert_eq!(row[col], "21");
}

/// The workbook's rows are set aside as the batch goes and read back at the end: its 问题
/// sheet lists the findings of the JSON audit, in the same order, and its 报告 sheet the
/// reports by score.
#[test]
fn xlsx_rows_come_back_in_the_batch_order_the_json_has() {
    let (_, bytes) = audit("xlsx", &[]);
    let sheets = read_xlsx(bytes);
    let json = json_audit();
    let expected: Vec<(String, String, String)> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            let file = r["file"].as_str().unwrap().to_string();
            r["findings"].as_array().unwrap().iter().map(move |f| {
                (
                    file.clone(),
                    f["rule"].as_str().unwrap().to_string(),
                    f["message"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect();
    let listed: Vec<(String, String, String)> = sheets[1].1[1..]
        .iter()
        .filter(|row| !row[3].starts_with("FILE."))
        .map(|row| (row[0].clone(), row[3].clone(), row[8].clone()))
        .collect();
    assert!(expected.len() >= 30);
    assert_eq!(listed, expected);
    let scores: Vec<f64> = sheets[0].1[1..]
        .iter()
        .filter_map(|row| row[7].parse().ok())
        .collect();
    assert!(scores.len() >= 10);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn extract_tables_have_a_row_per_report_and_a_column_per_key() {
    let run = nianbao(&["extract", "samples", "--format", "csv"]);
    let rows: Vec<String> = run
        .stdout
        .trim_end()
        .split("\r\n")
        .map(str::to_string)
        .collect();
    assert_eq!(rows.len(), 6);
    assert_eq!(
        rows[0].split(',').count(),
        4 + nianbao_model::catalog().fields().len()
    );
    assert!(rows[0].contains("表三 （一）予以公开 / 总计 t3.granted.total"));
    let dir = temp_dir("extract-xlsx");
    let target = dir.join("cells.xlsx");
    assert_eq!(
        nianbao(&[
            "extract",
            "samples",
            "--format",
            "xlsx",
            "-o",
            target.to_str().unwrap()
        ])
        .code,
        0
    );
    let sheets = read_xlsx(std::fs::read(target).unwrap());
    assert_eq!(sheets.len(), 1);
    assert_eq!(sheets[0].1.len(), 6);
}

#[test]
fn junit_parses_with_a_failure_per_error_finding() {
    let (_, bytes) = audit("junit", &[]);
    let mut reader = quick_xml::Reader::from_reader(bytes.as_slice());
    let (mut suites, mut cases, mut failures) = (0, 0, 0);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => suites += 1,
                b"testcase" => cases += 1,
                b"failure" => failures += 1,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let json = json_audit();
    // Errors the report is at fault for fail; a possible misreading (需复核) does not.
    let errors = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .filter(|f| f["severity"] == "error" && f["fault"] == "report")
        .count();
    assert_eq!(suites, json["reports"].as_array().unwrap().len());
    assert_eq!(failures, errors);
    assert!(cases >= total_findings(&json));
    // With --fail-on warning, warnings fail too.
    let (_, strict) = audit("junit", &["--fail-on", "warning"]);
    let strict = String::from_utf8(strict).unwrap();
    assert_eq!(
        strict.matches("<failure").count(),
        errors + json["summary"]["warnings"].as_u64().unwrap() as usize
    );
}

#[test]
fn sarif_has_rules_results_and_fingerprints() {
    let (_, bytes) = audit("sarif", &[]);
    let sarif: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert!(run["tool"]["driver"]["rules"].as_array().unwrap().len() >= 30);
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), total_findings(&json_audit()));
    for r in results {
        assert!(
            r["partialFingerprints"]["nianbao/v1"]
                .as_str()
                .unwrap()
                .len()
                == 16
        );
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
        let rule = &run["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], r["ruleId"]);
    }
}

#[test]
fn html_is_self_contained_and_escapes_report_text() {
    let dir = temp_dir("html-escape");
    let seed =
        std::fs::read_to_string(suite::seeds_dir().join("002_ebe041415b5440fa.txt")).unwrap();
    // A report whose text and title carry markup (never read as the organ's name).
    let hostile = seed
        .replacen(
            "兰山区人民政府2018年",
            "兰山区<script>alert(1)</script>人民政府2018年",
            1,
        )
        .replacen(
            "其他方式公开政府信息数2054条",
            "其他方式公开政府信息数2054条<img src=x onerror=alert(2)>",
            1,
        );
    std::fs::write(dir.join("hostile.txt"), hostile).unwrap();
    let target = dir.join("report.html");
    nianbao(&[
        "audit",
        dir.join("hostile.txt").to_str().unwrap(),
        "--format",
        "html",
        "-o",
        target.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&target).unwrap();
    // One script, nianbao's own (filter and sort); the report's markup is text.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(
        !html.contains("<script>alert"),
        "markup from a report must be escaped"
    );
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no external resources"
    );
    let (_, full) = audit("html", &[]);
    let full = String::from_utf8(full).unwrap();
    assert!(full.contains("<table class=\"ranking\">"));
    assert_eq!(full.matches("<svg").count(), 2);
    // Severities in Chinese; the problem chart names rules by their titles; print styles.
    assert!(full.contains(">错误</span>") && !full.contains(">error</span>"));
    assert!(full.contains("最常见的问题（有该问题的报告数，不含需复核）"));
    assert!(full.contains("@media print"));
    // The bundled samples span years: a ranking per year.
    assert!(full.contains("<h3>2019 年度</h3>") && full.contains("<h3>2021 年度</h3>"));
}

/// Reports with the same score share a rank.
#[test]
fn html_ties_share_a_rank() {
    let dir = temp_dir("html-ties");
    let seed =
        std::fs::read_to_string(suite::seeds_dir().join("004_1ad31af01008103e.txt")).unwrap();
    for name in ["a.txt", "b.txt", "c.txt"] {
        std::fs::write(dir.join(name), &seed).unwrap();
    }
    let target = dir.join("out.html");
    nianbao(&[
        "audit",
        dir.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        target.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&target).unwrap();
    let ranking = &html[html.find("class=\"ranking\"").unwrap()..html.find("</table>").unwrap()];
    assert_eq!(
        ranking.matches("<tr><td class=\"n\">1</td>").count(),
        3,
        "{ranking}"
    );
}

#[test]
fn markdown_ranks_reports() {
    let (_, bytes) = audit("markdown", &[]);
    let md = String::from_utf8(bytes).unwrap();
    let ranking: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("|---"))
        .skip(1)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(
        ranking.len(),
        json_audit()["reports"].as_array().unwrap().len()
    );
    let scores: Vec<f64> = ranking
        .iter()
        .filter_map(|l| l.split('|').nth(5)?.trim().parse().ok())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "ranked by score: {scores:?}"
    );
}

/// One type per column: the era is text in every sheet (its "2019" is a template's name),
/// scores and years are numbers; the workbook has an autofilter on every sheet.
#[test]
fn xlsx_columns_have_one_type_and_every_sheet_a_filter() {
    use calamine::{Data, Reader, Xlsx};
    let (_, bytes) = audit("xlsx", &[]);
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
    for name in ["报告", "数据"] {
        let range = book.worksheet_range(name).unwrap();
        let header: Vec<String> = range
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let era = header.iter().position(|h| h.contains("era")).unwrap();
        let year = header.iter().position(|h| h.contains("year")).unwrap();
        let published = header.iter().position(|h| h == "发布日期 published");
        for row in range.rows().skip(1) {
            if let Some(p) = published {
                assert!(
                    matches!(row[p], Data::DateTime(_) | Data::Empty),
                    "{name}: published {:?}",
                    row[p]
                );
            }
            assert!(
                matches!(row[era], Data::String(_) | Data::Empty),
                "{name}: era {:?}",
                row[era]
            );
            assert!(
                matches!(row[year], Data::Float(_) | Data::Int(_) | Data::Empty),
                "{name}: year {:?}",
                row[year]
            );
        }
    }
    // Each sheet's XML carries its autofilter.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 1..=3 {
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name(&format!("xl/worksheets/sheet{i}.xml")).unwrap(),
            &mut xml,
        )
        .unwrap();
        assert!(xml.contains("<autoFilter"), "sheet{i} has no autofilter");
        assert!(xml.contains("<col "), "sheet{i} has no column widths");
    }
}
