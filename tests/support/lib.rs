//! Helpers shared by the end-to-end tests: paths of the shared reports, gold files, and
//! running the command line in-process.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// `../shared` next to the checkout (laid out for every developer and for CI).
/// `../shared` beside the checkout: the gold answers and reports the tests read. Its
/// absence stops a test with one line that says what to do, not a NotFound backtrace.
pub fn shared_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if !dir.join("gold").is_dir() {
        panic!(
            "{} not found: the tests read the gold answers and reports of ../shared beside the checkout \
             (put or link the shared folder there; see README, \"The two commands\")",
            dir.display()
        );
    }
    dir
}

pub fn seeds_dir() -> PathBuf {
    shared_dir().join("seeds")
}

/// The path a test passes to the CLI, relative to the package root (stable in snapshots).
pub fn seed(name: &str) -> String {
    format!("../shared/seeds/{name}")
}

/// All gold files, parsed.
pub fn golds() -> Vec<Value> {
    let dir = shared_dir().join("gold");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("shared/gold exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// Output of one CLI run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.stdout))
    }
}

/// Runs `nianbao ARGS…` in-process.
pub fn nianbao(args: &[&str]) -> Run {
    let mut argv = vec!["nianbao".to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = nianbao_cli::run(&argv, &mut out, &mut err);
    Run {
        code,
        stdout: String::from_utf8(out).unwrap(),
        stderr: String::from_utf8(err).unwrap(),
    }
}

/// A fresh empty folder under the system temp dir, unique to this call.
pub fn temp_dir(name: &str) -> PathBuf {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("nianbao-test-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// The audit JSON's report of the file whose path ends with `file`.
pub fn report_in<'a>(json: &'a Value, file: &str) -> &'a Value {
    json["reports"]
        .as_array()
        .and_then(|reports| {
            reports
                .iter()
                .find(|r| r["file"].as_str().is_some_and(|f| f.ends_with(file)))
        })
        .unwrap_or_else(|| panic!("no report of {file}"))
}

/// The rule of each of an audit JSON report's findings, in order.
pub fn finding_rules(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}
