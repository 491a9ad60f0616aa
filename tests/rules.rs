//! Rule packs as a rule author meets them: fixtures, loading exactly the packs given,
//! adding a rule without recompiling, configuration, and precise errors for mistakes.

use serde_json::Value;
use std::path::{Path, PathBuf};
use suite::{nianbao, seed, temp_dir};

fn repo_rules() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules")
}

fn copy_rules(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(repo_rules()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

fn findings(args: &[&str]) -> Vec<Value> {
    let run = nianbao(args);
    run.json()["reports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().cloned().unwrap_or_default())
        .collect()
}

#[test]
fn every_builtin_rule_passes_its_fixtures_and_has_a_failing_one() {
    let run = nianbao(&["rules", "test"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let last = run.stdout.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    let passed: usize = last.split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 90, "{last}");
    let rules = nianbao(&["rules", "list"]).stdout;
    let ids = rules.lines().filter(|l| !l.starts_with('#')).count();
    assert!(ids >= 30, "{ids} rules");
}

#[test]
fn a_failing_fixture_fails_the_run() {
    let dir = temp_dir("fixture-fails");
    copy_rules(&dir);
    std::fs::create_dir_all(dir.join("fixtures")).unwrap();
    std::fs::write(
        dir.join("fixtures/T4.SUM.toml"),
        "rule = \"T4.SUM\"\n[[case]]\nname = \"wrongly expects a finding\"\nexpect = 1\nyear = 2021\ncells = { \"t4.review.upheld\" = 1, \"t4.review.total\" = 1 }\n",
    )
    .unwrap();
    let run = nianbao(&["rules", "test", dir.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("FAIL  T4.SUM"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("T3.ROW_SUM                   has no failing fixture"),
        "{}",
        run.stdout
    );
}

#[test]
fn rules_that_find_no_rule_are_an_error_not_a_clean_audit() {
    let empty = temp_dir("empty-rules");
    let run = nianbao(&[
        "audit",
        &seed("000_3a5e30b285f87727.txt"),
        "--rules",
        empty.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no rule pack found"), "{}", run.stderr);
}

#[test]
fn a_copy_of_the_rules_reports_exactly_what_the_default_does() {
    let dir = temp_dir("copied-rules");
    copy_rules(&dir);
    let seeds = suite::seeds_dir();
    let default = findings(&["audit", seeds.to_str().unwrap(), "--format", "json"]);
    let copied = findings(&[
        "audit",
        seeds.to_str().unwrap(),
        "--format",
        "json",
        "--rules",
        dir.to_str().unwrap(),
    ]);
    assert!(default.len() > 10);
    assert_eq!(default, copied);
}

#[test]
fn a_new_rule_file_fires_without_recompiling() {
    let dir = temp_dir("new-rule");
    copy_rules(&dir);
    std::fs::write(
        dir.join("local.toml"),
        r#"[pack]
name = "local"
version = "1"

[[rule]]
id = "LOCAL.FEW_APPLICATIONS"
title = "依申请公开数量很少"
family = "semantic"
severity = "warning"
kind = "expression"
eras = ["2019", "2021"]
when = "t3.new.total < 20"
message = "本年新收申请只有 {cells} 所示的少量申请"
"#,
    )
    .unwrap();
    let found = findings(&[
        "audit",
        &seed("003_0eb612e351c75c5e.txt"),
        "--format",
        "json",
        "--rules",
        dir.to_str().unwrap(),
    ]);
    let local: Vec<&Value> = found
        .iter()
        .filter(|f| f["rule"] == "LOCAL.FEW_APPLICATIONS")
        .collect();
    assert_eq!(local.len(), 1);
    assert_eq!(local[0]["cells"][0], "t3.new.total");
    assert!(
        found.iter().any(|f| f["rule"] == "T3.BALANCE"),
        "the copied packs still run"
    );
}

#[test]
fn configuration_disables_rules_and_changes_severities() {
    let dir = temp_dir("config");
    let config = dir.join("nianbao.toml");
    std::fs::write(
        &config,
        "[rules]\ndisable = [\"T3.ROW_SUM\"]\n[rules.severity]\n\"T3.BALANCE\" = \"warning\"\n",
    )
    .unwrap();
    let run = nianbao(&[
        "audit",
        &seed("003_0eb612e351c75c5e.txt"),
        "--format",
        "json",
        "--config",
        config.to_str().unwrap(),
    ]);
    let found = run.json()["reports"][0]["findings"]
        .as_array()
        .unwrap()
        .clone();
    assert!(!found.iter().any(|f| f["rule"] == "T3.ROW_SUM"));
    let balance = found.iter().find(|f| f["rule"] == "T3.BALANCE").unwrap();
    assert_eq!(balance["severity"], "warning");
    assert_eq!(run.code, 0, "no error left");
    std::fs::write(&config, "[rules]\ndisable = [\"T3.NOPE\"]\n").unwrap();
    let run = nianbao(&[
        "audit",
        &seed("003_0eb612e351c75c5e.txt"),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no rule \"T3.NOPE\""), "{}", run.stderr);
    std::fs::write(&config, "[rules]\ndisabel = []\n").unwrap();
    let run = nianbao(&[
        "audit",
        &seed("003_0eb612e351c75c5e.txt"),
        "--config",
        config.to_str().unwrap(),
    ]);
    assert!(
        run.stderr
            .contains("nianbao.toml:2:1: unknown field `disabel`"),
        "{}",
        run.stderr
    );
}

const HEADER: &str = "[pack]\nname = \"t\"\nversion = \"1\"\n\n";

fn rule(body: &str) -> String {
    format!("{HEADER}[[rule]]\nid = \"X.ONE\"\ntitle = \"t\"\nfamily = \"row_sum\"\nseverity = \"error\"\nmessage = \"m\"\n{body}")
}

/// Loads a pack text and returns the error printed.
fn load_error(name: &str, text: &str) -> String {
    let dir = temp_dir(&format!("bad-{name}"));
    let file = dir.join(format!("{name}.toml"));
    std::fs::write(&file, text).unwrap();
    let run = nianbao(&["rules", "list", "--rules", file.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{name}: {}", run.stdout);
    run.stderr.replace(&format!("{}", dir.display()), "DIR")
}

#[test]
fn mistakes_in_rule_files_give_precise_errors() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("syntax", format!("{HEADER}[[rule]\nid = 1\n"), "DIR/syntax.toml:5:7: "),
        ("unknown_field", rule("kind = \"sum\"\ntotal = \"t3.new.total\"\nitems = [\"t3.new.natural\"]\nseverty = \"x\"\n"), "DIR/unknown_field.toml:14:1: unknown field `severty`"),
        ("unknown_key", rule("kind = \"sum\"\ntotal = \"t3.new.totl\"\nitems = [\"t3.new.natural\"]\n"), "DIR/unknown_key.toml:12:9: unknown cell key \"t3.new.totl\""),
        ("unknown_item_key", rule("kind = \"sum\"\ntotal = \"t3.new.total\"\nitems = [\"t3.new.natural\", \"t3.nw.legal\"]\n"), "DIR/unknown_item_key.toml:13:28: unknown cell key \"t3.nw.legal\""),
        ("bad_regex", rule("kind = \"text_table\"\npattern = '收到(?P<value>\\d+'\ncell = \"t3.new.total\"\n"), "DIR/bad_regex.toml:12:11: bad pattern"),
        ("no_value_group", rule("kind = \"text_table\"\npattern = '收到(\\d+)件'\ncell = \"t3.new.total\"\n"), "DIR/no_value_group.toml:12:11: a text_table pattern needs a named group (?P<value>…)"),
        ("bad_expression", rule("kind = \"expression\"\nwhen = \"t3.new.total > > 1\"\n"), "DIR/bad_expression.toml:12:24: bad expression: expected a value, found '>'"),
        ("unknown_function", rule("kind = \"expression\"\nwhen = \"avg(t3.new.total) > 1\"\n"), "DIR/unknown_function.toml:12:9: bad expression: unknown function \"avg\""),
        ("unknown_kind", rule("kind = \"summ\"\n"), "DIR/unknown_kind.toml:11:8: unknown kind \"summ\""),
        ("nearest_key", rule("kind = \"sum\"\ntotal = \"t3.new.totl\"\nitems = [\"t3.new.natural\"]\n"), "did you mean \"t3.new.total\"?"),
        ("nearest_function", rule("kind = \"expression\"\nwhen = \"presnt(t3.new.total)\"\n"), "did you mean \"present\"?"),
        ("nearest_kind", rule("kind = \"blank_cell\"\ncells = [\"t3.new.total\"]\n"), "did you mean \"blank_cells\"?"),
        ("nearest_family", rule("kind = \"era_year\"\n").replace("row_sum", "rowsum"), "expected one of balance, row_sum"),
        ("when_not_a_condition", rule("kind = \"expression\"\nwhen = \"t3.new.total + 1\"\n"), "DIR/when_not_a_condition.toml:12:8: `when = \"t3.new.total + 1\"` is a number, not a condition"),
        ("unfilled_placeholder", rule("kind = \"era_year\"\n").replace("message = \"m\"", "message = \"{table} {reportd}\""), "the message uses {reportd}, which kind \"era_year\" does not fill — available: {year} {era} {cells} {table} {table_era} {expected_era}"),
        ("missing_field", rule("kind = \"sum\"\ntotal = \"t3.new.total\"\n"), "DIR/missing_field.toml:11:8: kind \"sum\" needs the field `items`"),
        ("unknown_family", rule("kind = \"era_year\"\n").replace("row_sum", "rowsum"), "DIR/unknown_family.toml:8:10: unknown family \"rowsum\""),
        ("unknown_severity", rule("kind = \"era_year\"\n").replace("\"error\"", "\"fatal\""), "DIR/unknown_severity.toml:9:12: unknown severity \"fatal\""),
        ("unknown_era", rule("kind = \"era_year\"\neras = [\"2019\", \"2022\"]\n"), "DIR/unknown_era.toml:12:17: unknown era \"2022\""),
        ("bad_id", rule("kind = \"era_year\"\n").replace("X.ONE", "row sum"), "DIR/bad_id.toml:6:6: rule id \"row sum\" must look like T3.ROW_SUM"),
        ("empty_place_word", rule("kind = \"self_reference\"\nlevels = [[\"县\", \"\"]]\n"), "DIR/empty_place_word.toml:11:8: levels and not_places hold words, not empty strings"),
        ("bad_threshold", rule("kind = \"peer_overlap\"\nthreshold = 1.5\n"), "DIR/bad_threshold.toml:11:8: threshold is a share above 0 and at most 1, not 1.5"),
        ("bad_section", format!("{HEADER}[[rule]]\nid = \"X.S\"\ntitle = \"t\"\nfamily = \"missing_section\"\nseverity = \"error\"\nmessage = \"m\"\nkind = \"required_sections\"\nsections = [\"一\", \"七\"]\n"), "DIR/bad_section.toml:12:18: unknown section \"七\""),
    ];
    for (name, text, expected) in &cases {
        let error = load_error(name, text);
        assert!(
            error.contains(expected),
            "{name}: expected {expected:?} in {error:?}"
        );
    }
    assert!(cases.len() >= 10);
}

#[test]
fn a_rule_author_can_look_up_keys_kinds_and_families() {
    let keys = nianbao(&["rules", "keys", "本年新收"]);
    assert_eq!(keys.code, 0);
    assert!(keys.stdout.contains("t3.new.total"), "{}", keys.stdout);
    assert!(!keys.stdout.contains("t3.granted.total"));
    let kinds = nianbao(&["rules", "kinds"]);
    assert!(kinds.stdout.contains("expression — "), "{}", kinds.stdout);
    assert!(kinds.stdout.contains("{t3.new.total}"));
    let families = nianbao(&["rules", "families"]);
    assert!(families.stdout.lines().any(|l| l == "row_sum"));
}

#[test]
fn cell_keys_in_a_message_print_their_values() {
    let dir = temp_dir("cell-placeholders");
    let pack = dir.join("p.toml");
    std::fs::write(
        &pack,
        rule("kind = \"expression\"\nwhen = \"t3.new.total >= 0\"\n")
            .replace(
                "message = \"m\"",
                "message = \"收到 {t3.new.total} 件，{t3.nonexistent.total}\"",
            )
            .replace("{t3.nonexistent.total}", ""),
    )
    .unwrap();
    let found = findings(&[
        "audit",
        &seed("000_3a5e30b285f87727.txt"),
        "--format",
        "json",
        "--rules",
        pack.to_str().unwrap(),
    ]);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("收到 51 件"),
        "{}",
        found[0]["message"]
    );
}

#[test]
fn one_pack_file_is_tested_with_its_own_fixtures() {
    let run = nianbao(&["rules", "test", "rules/semantics.toml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.starts_with("fixtures: rules/fixtures"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("NARR.SUM"));
    assert!(
        !run.stdout.contains("T3.ROW_SUM"),
        "only this pack's rules: {}",
        run.stdout
    );
}

#[test]
fn duplicate_ids_across_files_are_refused_with_both_places() {
    let dir = temp_dir("duplicate");
    std::fs::write(dir.join("a.toml"), rule("kind = \"era_year\"\n")).unwrap();
    std::fs::write(dir.join("b.toml"), rule("kind = \"no_date\"\n")).unwrap();
    let run = nianbao(&["rules", "list", "--rules", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    let b = dir.join("b.toml").display().to_string();
    let a = dir.join("a.toml").display().to_string();
    assert!(
        run.stderr
            .contains(&format!("{b}:6:6: rule id X.ONE is already defined in {a}")),
        "{}",
        run.stderr
    );
}

#[test]
fn explain_shows_what_a_rule_checks() {
    let run = nianbao(&["rules", "explain", "T3.BALANCE"]);
    assert_eq!(run.code, 0);
    assert!(
        run.stdout.contains(
            "Σ[t3.new.{col}, t3.carried.{col}] = Σ[t3.processed.{col}, t3.forward.{col}]"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("family:     balance"));
    assert_eq!(nianbao(&["rules", "explain", "NO.SUCH"]).code, 2);
}

/// Seed 004 (2021) rewritten as the same organ's 2022 report with 3 applications carried over.
fn next_year_of_004(dir: &Path) -> PathBuf {
    let text =
        std::fs::read_to_string(suite::seeds_dir().join("004_1ad31af01008103e.txt")).unwrap();
    let next = text
        .replacen(
            "办公室2021年政府信息公开工作年度报告",
            "办公室2022年政府信息公开工作年度报告",
            1,
        )
        .replace(
            "二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0",
            "二、上年结转政府信息公开申请数量\t3\t0\t0\t0\t0\t0\t3",
        );
    assert_ne!(text, next);
    let path = dir.join("ningling_2022.txt");
    std::fs::write(&path, next).unwrap();
    path
}

#[test]
fn cross_year_rules_run_on_the_same_organs_reports_in_a_batch_or_given_as_previous() {
    let dir = temp_dir("cross-year");
    let this_year = next_year_of_004(&dir);
    let last_year = suite::seeds_dir().join("004_1ad31af01008103e.txt");
    let rules_of = |args: &[&str]| -> Vec<Value> {
        let json = nianbao(args).json();
        let report = json["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["year"] == 2022)
            .unwrap()
            .clone();
        report["findings"].as_array().unwrap().clone()
    };
    let alone = rules_of(&["audit", this_year.to_str().unwrap(), "--format", "json"]);
    assert!(
        !alone
            .iter()
            .any(|f| f["rule"].as_str().unwrap().starts_with("YEAR.")),
        "{alone:?}"
    );
    for args in [
        vec![
            "audit",
            this_year.to_str().unwrap(),
            last_year.to_str().unwrap(),
            "--format",
            "json",
        ],
        vec![
            "audit",
            this_year.to_str().unwrap(),
            "--previous",
            last_year.to_str().unwrap(),
            "--format",
            "json",
        ],
    ] {
        let found = rules_of(&args);
        let carry: Vec<&Value> = found
            .iter()
            .filter(|f| f["rule"] == "YEAR.CARRY_OVER")
            .collect();
        let cells: Vec<&str> = carry
            .iter()
            .map(|f| f["cells"][0].as_str().unwrap())
            .collect();
        assert_eq!(
            cells,
            ["t3.carried.natural", "t3.carried.total"],
            "{args:?}"
        );
        assert!(
            found.iter().any(|f| f["rule"] == "YEAR.TEXT_OVERLAP"),
            "the text is last year's"
        );
    }
}
