//! The `nianbao` program itself (not `nianbao_cli::run` in a test's process): what only
//! its `main` decides, such as how it holds stdout and stderr.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// With debug logs on, threads other than the main one (parsing's warm-up, the batch's
/// workers) write to stderr: a `main` that held stderr locked hung for ever.
#[test]
fn logging_from_other_threads_does_not_hang_the_program() {
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["audit", samples, "-q", "-vv"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let started = Instant::now();
    let stderr = child.stderr.take().expect("stderr is piped");
    let log = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let status = loop {
        if let Some(status) = child.try_wait().expect("the program can be waited for") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("`nianbao audit -vv` still running after a minute: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let log = log.join().unwrap_or_default();
    assert!(status.code().is_some(), "{status:?}");
    assert!(log.contains("DEBUG"), "debug logs on stderr: {log}");
}
