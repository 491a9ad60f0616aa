//! Plugins through the real loader: the example plugin's findings in an audit, and every way
//! a library can break the contract. A library that cannot be loaded fails the run (exit 2:
//! checks that were asked for must not silently not run); a plugin that misbehaves on a
//! report is a clear error for that report, and the audit completes.

use serde_json::Value;
use std::path::PathBuf;
use suite::{nianbao, temp_dir};

/// Builds the example and the misbehaving test plugin; returns their library paths.
fn build_plugins() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let status = std::process::Command::new(env!("CARGO"))
        .args([
            "build",
            "--quiet",
            "-p",
            "nianbao-plugin-thin-five",
            "-p",
            "nianbao-plugin-misbehave",
        ])
        .current_dir(&root)
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let lib = |name: &str| {
        root.join("target/debug").join(format!(
            "{}nianbao_plugin_{name}{}",
            std::env::consts::DLL_PREFIX,
            std::env::consts::DLL_SUFFIX
        ))
    };
    (lib("thin_five"), lib("misbehave"))
}

/// Seed 004 with part 五 reduced to "无".
fn thin_report() -> PathBuf {
    let text =
        std::fs::read_to_string(suite::seeds_dir().join("004_1ad31af01008103e.txt")).unwrap();
    let (start, end) = (
        text.find("五、存在的主要问题及改进情况").unwrap(),
        text.find("六、其他需要报告的事项").unwrap(),
    );
    let dir = temp_dir("plugin-report");
    let path = dir.join("thin-five.txt");
    std::fs::write(
        &path,
        format!(
            "{}五、存在的主要问题及改进情况\n无\n{}",
            &text[..start],
            &text[end..]
        ),
    )
    .unwrap();
    path
}

fn findings(json: &Value) -> Vec<Value> {
    json["reports"][0]["findings"].as_array().unwrap().clone()
}

#[test]
fn plugins_are_loaded_run_scored_and_broken_ones_rejected() {
    let (example, misbehave) = build_plugins();
    let report = thin_report();
    let report = report.to_str().unwrap();
    let example = example.to_str().unwrap();
    let misbehave = misbehave.to_str().unwrap();

    // The example plugin's finding appears, named, scored, in every format.
    let without = nianbao(&["audit", report, "--format", "json"]).json();
    let run = nianbao(&["audit", report, "--format", "json", "--plugin", example]);
    let with = run.json();
    let plugin: Vec<Value> = findings(&with)
        .into_iter()
        .filter(|f| f["rule"] == "PLUGIN.THIN_FIVE")
        .collect();
    assert_eq!(plugin.len(), 1, "{}", run.stderr);
    assert_eq!(plugin[0]["section"], "五");
    assert_eq!(plugin[0]["family"], "semantic");
    assert!(plugin[0]["message"]
        .as_str()
        .unwrap()
        .contains("[plugin thin-five]"));
    assert_eq!(
        with["reports"][0]["score"].as_f64().unwrap(),
        without["reports"][0]["score"].as_f64().unwrap() - 2.0
    );
    let sarif: Value = serde_json::from_str(
        &nianbao(&["audit", report, "--format", "sarif", "--plugin", example]).stdout,
    )
    .unwrap();
    assert!(sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "PLUGIN.THIN_FIVE"));
    // A report with a substantive part 五 gets nothing from it.
    let seed = nianbao(&[
        "audit",
        &suite::seed("004_1ad31af01008103e.txt"),
        "--format",
        "json",
        "--plugin",
        example,
    ])
    .json();
    assert!(!findings(&seed)
        .iter()
        .any(|f| f["rule"] == "PLUGIN.THIN_FIVE"));

    // A library built for another ABI cannot be loaded: the run fails, nothing is audited.
    std::env::set_var("NIANBAO_MISBEHAVE", "abi");
    let run = nianbao(&[
        "audit", report, "--format", "json", "--plugin", misbehave, "--plugin", example,
    ]);
    std::env::remove_var("NIANBAO_MISBEHAVE");
    assert!(
        run.stderr
            .contains("built for plugin ABI 42, this nianbao speaks 1"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 2, "a plugin that cannot be loaded fails the run");
    assert!(run.stdout.is_empty(), "no scorecard without the plugin");

    // Plugins that misbehave while checking: a clear error each, and the audit (with the
    // good plugin) completes.
    let cases: [(&str, &str); 3] = [
        ("panic", "plugin misbehave: panicked"),
        ("garbage", "plugin misbehave: invalid findings"),
        ("undeclared", "which the plugin does not declare"),
    ];
    for (mode, message) in cases {
        std::env::set_var("NIANBAO_MISBEHAVE", mode);
        let run = nianbao(&[
            "audit", report, "--format", "json", "--plugin", misbehave, "--plugin", example,
        ]);
        std::env::remove_var("NIANBAO_MISBEHAVE");
        assert!(run.stderr.contains(message), "{mode}: {}", run.stderr);
        assert_eq!(
            run.code, 0,
            "{mode}: the audit completes (only warnings remain)"
        );
        assert!(
            findings(&run.json())
                .iter()
                .any(|f| f["rule"] == "PLUGIN.THIN_FIVE"),
            "{mode}: the good plugin still ran"
        );
    }
    // A plugin is handed the whole report, the narrative's figures too (the audit skips
    // reading them when no plugin is loaded: no rule reads them).
    std::env::set_var("NIANBAO_MISBEHAVE", "figures");
    let run = nianbao(&["audit", report, "--format", "json", "--plugin", misbehave]);
    std::env::remove_var("NIANBAO_MISBEHAVE");
    let told: Vec<Value> = findings(&run.json())
        .into_iter()
        .filter(|f| f["rule"] == "PLUGIN.MISBEHAVE")
        .collect();
    assert_eq!(told.len(), 1, "{}", run.stderr);
    let count: usize = told[0]["message"]
        .as_str()
        .and_then(|m| m.rsplit("figures: ").next())
        .and_then(|n| {
            n.trim_end_matches(|c: char| !c.is_ascii_digit())
                .parse()
                .ok()
        })
        .expect("a count of figures");
    assert!(count > 10, "{}", told[0]["message"]);

    // An ordinary system library and a file that is no library at all.
    let system = [
        "/lib/x86_64-linux-gnu/libz.so.1",
        "/usr/lib/x86_64-linux-gnu/libz.so.1",
        "/lib/x86_64-linux-gnu/libm.so.6",
    ]
    .into_iter()
    .find(|p| std::path::Path::new(p).exists())
    .expect("a system library");
    let run = nianbao(&["audit", report, "--format", "json", "--plugin", system]);
    assert!(
        run.stderr
            .contains("not a nianbao plugin (no nianbao_plugin_abi symbol)"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 2);
    let run = nianbao(&["audit", report, "--format", "json", "--plugin", report]);
    assert!(
        run.stderr.contains("not a loadable library"),
        "{}",
        run.stderr
    );
    assert_eq!(run.code, 2);
}

#[test]
fn a_sha256_pin_in_the_configuration_is_enforced() {
    let (example, _) = build_plugins();
    let bytes = std::fs::read(&example).unwrap();
    let digest = {
        use std::fmt::Write;
        // The expected digest is computed here independently of nianbao's own code.
        let out = std::process::Command::new("sha256sum")
            .arg(&example)
            .output()
            .expect("sha256sum");
        let text = String::from_utf8(out.stdout).unwrap();
        let mut s = String::new();
        let _ = write!(s, "{}", text.split_whitespace().next().unwrap());
        s
    };
    assert_eq!(digest.len(), 64);
    assert!(!bytes.is_empty());
    let dir = temp_dir("plugin-pin");
    let report = thin_report();
    // Audits the report with the example plugin pinned to `pin`.
    let audit_pinned = |pin: &str| {
        let config = dir.join("nianbao.toml");
        let plugin = example.display().to_string();
        std::fs::write(
            &config,
            format!("[[plugins]]\npath = {plugin:?}\nsha256 = \"{pin}\"\n"),
        )
        .unwrap();
        nianbao(&[
            "audit",
            report.to_str().unwrap(),
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
        ])
    };
    let fires = |run: &suite::Run| {
        findings(&run.json())
            .iter()
            .any(|f| f["rule"] == "PLUGIN.THIN_FIVE")
    };
    let run = audit_pinned(&digest);
    assert!(fires(&run), "{}", run.stderr);
    let run = audit_pinned(&"0".repeat(64));
    assert!(
        run.stderr.contains("the configuration pins"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.code, 2,
        "a plugin that fails its pin is not run, and the run fails"
    );
}
