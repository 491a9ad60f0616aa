//! The command line as a user meets it: exit codes, bad input, batches that go on.

use suite::{nianbao, seed, temp_dir};

#[test]
fn exit_code_is_1_with_errors_and_0_when_clean_of_them() {
    // Seed 003 has arithmetic errors; seed 001 only a warning.
    assert_eq!(
        nianbao(&["audit", &seed("003_0eb612e351c75c5e.txt")]).code,
        1
    );
    assert_eq!(
        nianbao(&["audit", &seed("001_cbbc4f743fd32469.txt")]).code,
        0
    );
    assert_eq!(
        nianbao(&[
            "audit",
            &seed("001_cbbc4f743fd32469.txt"),
            "--fail-on",
            "warning"
        ])
        .code,
        1
    );
}

#[test]
fn empty_and_binary_files_get_clear_errors_and_the_batch_goes_on() {
    let dir = temp_dir("bad-inputs");
    std::fs::write(dir.join("empty.txt"), b"").unwrap();
    std::fs::write(
        dir.join("binary.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 3, 255, 0, 7],
    )
    .unwrap();
    let good = dir.join("good.txt");
    std::fs::copy(suite::seeds_dir().join("001_cbbc4f743fd32469.txt"), &good).unwrap();
    let run = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]);
    let json = run.json();
    let reports = json["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 3);
    let by_name = |n: &str| suite::report_in(&json, n);
    assert_eq!(by_name("empty.txt")["error"], "文件为空");
    assert!(
        by_name("binary.txt")["error"]
            .as_str()
            .unwrap()
            .contains("二进制文件"),
        "{}",
        by_name("binary.txt")
    );
    assert_eq!(by_name("good.txt")["organ"], "平阴县人民政府");
    assert_eq!(json["summary"]["failed"], 2);
    assert_eq!(run.code, 0, "the good report audits clean of errors");
}

#[test]
fn nothing_auditable_exits_2_with_a_message() {
    let dir = temp_dir("no-reports");
    std::fs::write(dir.join("notes.csv"), "a,b\n").unwrap();
    let run = nianbao(&["audit", dir.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no report files found"),
        "{}",
        run.stderr
    );
    // The JSON of nothing is still a document, printed as serde_json prints it.
    let json = nianbao(&["audit", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json.code, 2);
    let parsed: serde_json::Value = serde_json::from_str(&json.stdout).expect("valid JSON");
    assert_eq!(
        json.stdout,
        serde_json::to_string_pretty(&parsed).unwrap() + "\n"
    );
    let only_empty = dir.join("empty.txt");
    std::fs::write(&only_empty, "").unwrap();
    let run = nianbao(&["audit", only_empty.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains("empty.txt: 文件为空"), "{}", run.stdout);
    let missing = nianbao(&["audit", "/no/such/report.txt"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stdout.contains("/no/such/report.txt"),
        "{}",
        missing.stdout
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(nianbao(&["audit"]).code, 2);
    assert_eq!(nianbao(&["frobnicate"]).code, 2);
}

#[test]
fn output_file_is_written_and_input_untouched() {
    let dir = temp_dir("output");
    let target = dir.join("audit.json");
    let source = suite::seeds_dir().join("003_0eb612e351c75c5e.txt");
    let before = std::fs::read(&source).unwrap();
    let run = nianbao(&[
        "audit",
        &seed("003_0eb612e351c75c5e.txt"),
        "--format",
        "json",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&target).unwrap()).unwrap();
    assert_eq!(written["summary"]["errors"], 3);
    assert_eq!(std::fs::read(&source).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn a_text_that_is_not_a_report_is_an_error_not_a_perfect_score() {
    let dir = temp_dir("not-a-report");
    let notes = dir.join("notes.md");
    std::fs::write(
        &notes,
        "# Meeting notes\n\nNothing about disclosure here.\n",
    )
    .unwrap();
    let run = nianbao(&["audit", notes.to_str().unwrap(), "--format", "json"]);
    assert_eq!(run.code, 2);
    let error = run.json()["reports"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("not recognised as an annual report"),
        "{error}"
    );
}

/// Every flag and argument of every command says what it is, and completions come from the
/// same definition.
#[test]
fn every_argument_is_described_and_completions_are_generated() {
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if !["help", "version"].contains(&id) && arg.get_help().is_none() {
                missing.push(format!("{path} {id}"));
            }
        }
        for sub in command.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {}", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&nianbao_cli::command(), "nianbao", &mut missing);
    assert!(missing.is_empty(), "without help: {missing:?}");
    let bash = suite::nianbao(&["completions", "bash"]);
    assert_eq!(bash.code, 0);
    assert!(bash.stdout.contains("audit") && bash.stdout.contains("--fail-on-new"));
}

#[test]
fn timing_lists_stages_and_rules_and_changes_no_finding() {
    let seeds = suite::seeds_dir();
    let seeds = seeds.to_str().unwrap();
    let plain = nianbao(&["audit", seeds, "--format", "json"]);
    let timed = nianbao(&["audit", seeds, "--format", "json", "--timing"]);
    assert_eq!(timed.code, plain.code);
    assert_eq!(timed.stdout, plain.stdout, "--timing changes no output");
    assert!(!plain.stderr.contains("timing"), "{}", plain.stderr);
    let report = &timed.stderr;
    assert!(report.contains("5 reports"), "{report}");
    for stage in [
        "first pass",
        "reading and parsing",
        "rules, plugins, score",
        "rendering",
    ] {
        assert!(report.contains(stage), "{stage}: {report}");
    }
    // Every rule listed once (the slowest by name, the rest counted), each that ran with
    // a time.
    let rules = nianbao(&["rules", "list"]).stdout;
    let listed: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with("slowest rules"))
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .filter(|id| rules.contains(id))
        .collect();
    assert_eq!(listed.len(), 20, "{report}");
    // What the narrative rules share is counted on its own line, not against the first
    // of them to ask for it; the seeds' narratives take time to read.
    let shared = report
        .lines()
        .find(|l| l.trim_start().starts_with("(narrative)"))
        .unwrap_or_else(|| panic!("a line for the narrative's sentences: {report}"));
    let ms: f64 = shared
        .split_whitespace()
        .nth(1)
        .and_then(|t| t.parse().ok())
        .expect("its time in ms");
    assert!(ms > 0.0, "{shared}");
    let more: usize = report
        .lines()
        .find_map(|l| l.split_once(" more rules:"))
        .and_then(|(n, _)| n.trim().parse().ok())
        .unwrap_or(0);
    let rule_lines = rules
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty());
    assert_eq!(listed.len() + more, rule_lines.count());
}

#[test]
fn timing_with_nothing_read_says_so() {
    let dir = temp_dir("timing-empty");
    let run = nianbao(&["audit", dir.to_str().unwrap(), "--timing"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no report was read"), "{}", run.stderr);
    assert!(!run.stderr.contains("slowest rules"), "{}", run.stderr);
}
