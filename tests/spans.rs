//! Findings point at the right line of the original file.

use serde_json::Value;
use suite::{nianbao, seed, seeds_dir};

fn findings(name: &str) -> Vec<Value> {
    let json = nianbao(&["audit", &seed(name), "--format", "json"]).json();
    json["reports"][0]["findings"].as_array().unwrap().clone()
}

fn line(name: &str, number: u64) -> String {
    let text = std::fs::read_to_string(seeds_dir().join(name)).unwrap();
    text.lines().nth(number as usize - 1).unwrap().to_string()
}

fn at(f: &Value) -> (u64, u64) {
    (
        f["span"]["line"].as_u64().unwrap(),
        f["span"]["column"].as_u64().unwrap(),
    )
}

#[test]
fn sum_findings_point_at_the_reported_total() {
    let name = "003_0eb612e351c75c5e.txt";
    let fs = findings(name);
    let partial = fs
        .iter()
        .find(|f| f["rule"] == "T3.ROW_SUM" && f["cells"][0] == "t3.partial.total")
        .unwrap();
    let (l, c) = at(partial);
    let text = line(name, l);
    assert!(text.contains("部分公开"), "{text}");
    // The column is the 总计 cell: the seventh number after the label.
    let cell: String = text.chars().skip(c as usize - 1).take(1).collect();
    assert_eq!(cell, "0");
    let balance = fs.iter().find(|f| f["rule"] == "T3.BALANCE").unwrap();
    assert!(line(name, at(balance).0).contains("本年新收"));
}

#[test]
fn text_and_blank_findings_point_at_their_lines() {
    let name = "002_ebe041415b5440fa.txt";
    let fs = findings(name);
    let other = fs
        .iter()
        .find(|f| f["rule"] == "OLD.TEXT.CHANNEL_OTHER")
        .unwrap();
    let (l, c) = at(other);
    let text: String = line(name, l).chars().skip(c as usize - 1).take(4).collect();
    assert_eq!(text, "2054");
    let name = "000_3a5e30b285f87727.txt";
    let blank = findings(name)
        .into_iter()
        .find(|f| f["rule"] == "CELL.BLANK")
        .unwrap();
    assert!(line(name, at(&blank).0).starts_with("其他对外管理服务事项"));
    let name = "004_1ad31af01008103e.txt";
    let stale = findings(name)
        .into_iter()
        .find(|f| f["rule"] == "TEXT.STALE_YEAR")
        .unwrap();
    let (l, c) = at(&stale);
    let text: String = line(name, l).chars().skip(c as usize - 1).take(9).collect();
    assert_eq!(text, "《宁陵县2020年");
}
