//! Reports copied between organs within one batch, on real reports: the Pingtan zone's 2011
//! report (corpus 045) is the county's (039) with a few words changed — it still says 我县
//! ("目前，我县在政府信息公开工作的开展中，仍存在一些不足") and 县政府安排了…专项经费.

use serde_json::Value;
use suite::{nianbao, seeds_dir, shared_dir, temp_dir};

/// (file name, rule, message) of the findings of the given rules, sorted.
fn findings_of(json: &Value, rules: &[&str]) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for r in json["reports"].as_array().unwrap() {
        let file = r["file"].as_str().unwrap().rsplit('/').next().unwrap();
        for f in r["findings"].as_array().into_iter().flatten() {
            let rule = f["rule"].as_str().unwrap();
            if rules.contains(&rule) {
                let message = f["message"].as_str().unwrap().to_string();
                out.push((file.to_string(), rule.to_string(), message));
            }
        }
    }
    out.sort();
    out
}

/// (file, rule) of each of `findings_of`'s findings.
fn file_and_rule(found: &[(String, String, String)]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|(f, r, _)| (f.as_str(), r.as_str()))
        .collect()
}

/// The first finding of `rule` in the report whose file name ends with `file`.
fn finding<'a>(json: &'a Value, file: &str, rule: &str) -> &'a Value {
    suite::report_in(json, file)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} in {file}"))
}

fn audit(dir: &std::path::Path, extra: &[&str]) -> Value {
    let mut args = vec!["audit", dir.to_str().unwrap(), "--format", "json"];
    args.extend(extra);
    let run = nianbao(&args);
    assert!(run.code < 2, "{}", run.stderr);
    run.json()
}

fn corpus(name: &str) -> std::path::PathBuf {
    shared_dir().join("corpus").join(name)
}

#[test]
fn the_zones_2011_report_copied_from_the_countys_is_found_in_a_batch_of_the_corpus() {
    let json = audit(&shared_dir().join("corpus"), &[]);
    let found = findings_of(&json, &["BATCH.PEER_OVERLAP", "SEM.SELF_REFERENCE"]);
    // Both reports of the pair are flagged, each naming the other; the self-reference tells
    // which one was written for someone else. No other report of the corpus (2011–2025,
    // four organs) has a peer.
    assert_eq!(
        file_and_rule(&found),
        vec![
            ("039_pingtanxian_2011.txt", "BATCH.PEER_OVERLAP"),
            ("045_pingtan_2011.txt", "BATCH.PEER_OVERLAP"),
            ("045_pingtan_2011.txt", "SEM.SELF_REFERENCE"),
        ]
    );
    assert!(
        found[0].2.contains("平潭综合实验区管委会") && found[0].2.contains("045_pingtan_2011.txt")
    );
    assert!(
        found[1].2.contains("平潭县人民政府") && found[1].2.contains("039_pingtanxian_2011.txt")
    );
    // The shares are the narratives' own, one-sided: 86% of the zone's text is the county's.
    let share = |file: &str| -> f64 {
        finding(&json, file, "BATCH.PEER_OVERLAP")["evidence"]["reported"]
            .as_f64()
            .unwrap()
    };
    assert!((0.85..0.95).contains(&share("045_pingtan_2011.txt")));
    assert!((0.85..0.95).contains(&share("039_pingtanxian_2011.txt")));
}

#[test]
fn a_comparing_finding_names_the_other_report_in_every_output() {
    let dir = temp_dir("peers-sarif");
    std::fs::copy(corpus("039_pingtanxian_2011.txt"), dir.join("county.txt")).unwrap();
    std::fs::copy(corpus("045_pingtan_2011.txt"), dir.join("zone.txt")).unwrap();
    let json = audit(&dir, &[]);
    let peer = finding(&json, "zone.txt", "BATCH.PEER_OVERLAP");
    let compared = peer["evidence"]["compared_with"].as_str().unwrap();
    assert_eq!(compared, dir.join("county.txt").to_str().unwrap());
    let run = nianbao(&["audit", dir.to_str().unwrap(), "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let related: Vec<(String, String)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "BATCH.PEER_OVERLAP")
        .map(|r| {
            let uri = |v: &Value| {
                let uri = v["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap();
                uri.rsplit('/').next().unwrap().to_string()
            };
            (uri(&r["locations"][0]), uri(&r["relatedLocations"][0]))
        })
        .collect();
    assert_eq!(
        related,
        vec![
            ("county.txt".to_string(), "zone.txt".to_string()),
            ("zone.txt".to_string(), "county.txt".to_string()),
        ]
    );
    // The HTML scorecard links each to the other's section (county.txt is the first, r0).
    let html = nianbao(&["audit", dir.to_str().unwrap(), "--format", "html"]).stdout;
    let county = dir.join("county.txt").display().to_string();
    assert!(
        html.contains(&format!("对比报告：<a href=\"#r0\">{county}</a>")),
        "{html}"
    );
    // And lists the pair in its table of comparisons, each linked to its section.
    let table = html
        .split("<table id=\"comparisons\">")
        .nth(1)
        .and_then(|t| t.split("</table>").next())
        .unwrap_or_else(|| panic!("no comparisons table: {html}"));
    assert_eq!(table.matches("BATCH.PEER_OVERLAP").count(), 2, "{table}");
    assert!(
        table.contains(&format!("<a href=\"#r0\">{county}</a>")),
        "{table}"
    );
    // The findings CSV (and the workbook's 问题 sheet) has a column for it.
    let csv = nianbao(&["audit", dir.to_str().unwrap(), "--format", "csv"]).stdout;
    let header = csv.lines().next().unwrap();
    assert!(header.contains(",对比报告 compared_with,"), "{header}");
    let zone = dir.join("zone.txt").display().to_string();
    let row = csv
        .lines()
        .find(|l| l.starts_with(&zone) && l.contains("BATCH.PEER_OVERLAP"))
        .unwrap();
    assert!(row.contains(&format!(",{county},")), "{row}");
    let junit = nianbao(&["audit", dir.to_str().unwrap(), "--format", "junit"]).stdout;
    assert!(junit.contains(&format!("对比报告: {county}")), "{junit}");
    let markdown = nianbao(&["audit", dir.to_str().unwrap(), "--format", "markdown"]).stdout;
    assert!(
        markdown.contains(&format!("（对比报告：{county}）")),
        "{markdown}"
    );
    let terminal = nianbao(&["audit", dir.to_str().unwrap()]).stdout;
    assert!(
        terminal.contains(&format!("= 对比报告: {county}")),
        "{terminal}"
    );
}

#[test]
fn copies_of_one_organ_are_not_peers_and_each_report_names_its_nearest_peer() {
    let dir = temp_dir("peers");
    // The county's report twice (a batch may hold a report twice), the zone's between them,
    // and the five seeds (other organs, 2019-2021, their own texts) with a copy of one.
    std::fs::copy(corpus("039_pingtanxian_2011.txt"), dir.join("a_county.txt")).unwrap();
    std::fs::copy(corpus("045_pingtan_2011.txt"), dir.join("b_zone.txt")).unwrap();
    std::fs::copy(corpus("039_pingtanxian_2011.txt"), dir.join("c_county.txt")).unwrap();
    for entry in std::fs::read_dir(seeds_dir()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::copy(
        seeds_dir().join("001_cbbc4f743fd32469.txt"),
        dir.join("001_again.txt"),
    )
    .unwrap();
    let json = audit(&dir, &[]);
    let found = findings_of(&json, &["BATCH.PEER_OVERLAP"]);
    let named: Vec<(&str, &str)> = found
        .iter()
        .map(|(file, _, message)| {
            let peer = message
                .split('（')
                .nth(1)
                .unwrap()
                .split('）')
                .next()
                .unwrap();
            (file.as_str(), peer)
        })
        .collect();
    assert_eq!(
        named,
        vec![
            ("a_county.txt", "b_zone.txt"),
            ("b_zone.txt", "a_county.txt"),
            ("c_county.txt", "b_zone.txt"),
        ]
    );
}

#[test]
fn the_peer_rule_can_be_switched_off() {
    let dir = temp_dir("peers-off");
    std::fs::copy(corpus("039_pingtanxian_2011.txt"), dir.join("county.txt")).unwrap();
    std::fs::copy(corpus("045_pingtan_2011.txt"), dir.join("zone.txt")).unwrap();
    let config = dir.join("nianbao.toml");
    std::fs::write(&config, "[rules]\ndisable = [\"BATCH.PEER_OVERLAP\"]\n").unwrap();
    let json = audit(&dir, &["--config", config.to_str().unwrap()]);
    assert!(findings_of(&json, &["BATCH.PEER_OVERLAP"]).is_empty());
    let json = audit(&dir, &[]);
    assert_eq!(findings_of(&json, &["BATCH.PEER_OVERLAP"]).len(), 2);
}

/// The zone's report as a web page wrapped every 23 characters (lines break inside words,
/// 我 / 县 among them) against the county's as crawled text: the same findings.
#[test]
fn a_copy_is_found_across_formats_and_line_wrapping() {
    let dir = temp_dir("peers-formats");
    std::fs::copy(corpus("039_pingtanxian_2011.txt"), dir.join("county.txt")).unwrap();
    let text = std::fs::read_to_string(corpus("045_pingtan_2011.txt")).unwrap();
    let mut page = String::from("<html><head><meta charset=\"utf-8\"></head><body>\n");
    for line in text.lines() {
        let chars: Vec<char> = line.chars().collect();
        for piece in chars.chunks(23) {
            let piece: String = piece.iter().collect();
            let escaped = piece
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            page.push_str(&format!("<p>{escaped}</p>\n"));
        }
    }
    page.push_str("</body></html>\n");
    assert!(
        page.contains("<p>") && page.contains("我</p>\n<p>县"),
        "the test wraps inside 我县"
    );
    std::fs::write(dir.join("zone.html"), page).unwrap();
    let json = audit(&dir, &[]);
    let found = findings_of(&json, &["BATCH.PEER_OVERLAP", "SEM.SELF_REFERENCE"]);
    assert_eq!(
        file_and_rule(&found),
        vec![
            ("county.txt", "BATCH.PEER_OVERLAP"),
            ("zone.html", "BATCH.PEER_OVERLAP"),
            ("zone.html", "SEM.SELF_REFERENCE"),
        ]
    );
    assert!(found[0].2.contains("zone.html") && found[1].2.contains("county.txt"));
    // Each points at where its copied prose starts (not at a title or a page header): a line
    // of the report's own text.
    let county_text = std::fs::read_to_string(corpus("039_pingtanxian_2011.txt")).unwrap();
    for (file, source) in [("zone.html", &text), ("county.txt", &county_text)] {
        let finding = finding(&json, file, "BATCH.PEER_OVERLAP");
        assert!(finding["span"]["line"].as_u64().unwrap() > 1, "{finding}");
        let excerpt = finding["evidence"]["text"].as_str().unwrap();
        assert!(excerpt.chars().count() >= 20, "{excerpt}");
        // Excerpts are of the text as read (full-width punctuation normalised).
        let letters = |t: &str| -> String { t.chars().filter(|c| c.is_alphanumeric()).collect() };
        assert!(letters(source).contains(&letters(excerpt)), "{excerpt}");
    }
}
