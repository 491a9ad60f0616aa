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
    let stderr = child.stderr.take().expect("stderr is piped");
    let log = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let status = wait_a_minute(&mut child, "`nianbao audit -vv`");
    let log = log.join().unwrap_or_default();
    assert!(status.code().is_some(), "{status:?}");
    assert!(log.contains("DEBUG"), "debug logs on stderr: {log}");
}

/// The program's exit, or a failure naming `what` when it is still running after a minute:
/// it hangs.
fn wait_a_minute(child: &mut std::process::Child, what: &str) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("the program can be waited for") {
            return status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("{what} still running after a minute: it hangs");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `copies` copies of every sample report into `folder`.
fn copy_samples(copies: usize, folder: &std::path::Path) {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    for copy in 0..copies {
        for sample in std::fs::read_dir(&samples).unwrap() {
            let sample = sample.unwrap().path();
            let name = format!("{copy}-{}", sample.file_name().unwrap().to_string_lossy());
            std::fs::copy(&sample, folder.join(name)).unwrap();
        }
    }
}

/// A batch of several chunks on a pool of one thread (a one-core machine): the chunks are
/// audited on the pool's thread and rendered on it too, so the audit must never hold it
/// while waiting for the output to take a chunk (it did, and the program hung).
#[test]
fn a_batch_on_one_thread_does_not_hang() {
    let work = std::env::temp_dir().join(format!("nianbao-one-thread-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    // Chunks of 32 files a thread: 120 files make four.
    copy_samples(20, &work);
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["audit", "--format", "json", "-q"])
        .arg(&work)
        .env("RAYON_NUM_THREADS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let status = wait_a_minute(&mut child, "`nianbao audit` on one thread");
    let _ = std::fs::remove_dir_all(&work);
    assert!(matches!(status.code(), Some(0 | 1)), "{status:?}");
}

/// Ctrl-C in the middle of a batch: the output's temporary file is removed, the target is
/// not made, and the program says it was interrupted (130, as a shell reports SIGINT).
#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_nothing_beside_its_output() {
    let work = std::env::temp_dir().join(format!("nianbao-interrupted-{}", std::process::id()));
    let (inputs, outputs) = (work.join("in"), work.join("out"));
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::create_dir_all(&outputs).unwrap();
    // Enough reports that the batch is still running when the signal comes.
    copy_samples(60, &inputs);
    let target = outputs.join("audit.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nianbao"))
        .args(["audit", "--format", "json", "-q", "-o"])
        .arg(&target)
        .arg(&inputs)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let started = Instant::now();
    let in_outputs = || std::fs::read_dir(&outputs).unwrap().count();
    while in_outputs() == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "finished before its output appeared"
        );
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "no output after a minute"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(sent.success());
    let status = child.wait().expect("the program can be waited for");
    let left: Vec<_> = std::fs::read_dir(&outputs)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    let _ = std::fs::remove_dir_all(&work);
    assert_eq!(status.code(), Some(130), "{status:?}");
    assert!(left.is_empty(), "left beside the output: {left:?}");
}

/// A bug that one file sets off (a debug build's fail point) costs only that file, in
/// parsing as in checking, though reports are checked a few at a time: the others of its
/// group are audited as without it.
#[test]
#[cfg(debug_assertions)]
fn a_bug_in_one_file_costs_only_that_file() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples");
    let sample = std::fs::read_dir(&samples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "txt"))
        .expect("a text sample");
    for stage in ["PARSE", "CHECK"] {
        let work =
            std::env::temp_dir().join(format!("nianbao-fail-point-{stage}-{}", std::process::id()));
        std::fs::create_dir_all(&work).unwrap();
        let names = ["a.txt", "b.txt", "c-boom.txt", "d.txt", "e.txt"];
        for name in names {
            std::fs::copy(&sample, work.join(name)).unwrap();
        }
        let output = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(["audit", "--format", "json", "-q"])
            .arg(&work)
            .env(format!("NIANBAO_DEBUG_PANIC_{stage}"), "boom")
            .stderr(Stdio::null())
            .output()
            .expect("the program runs");
        let results: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON on stdout");
        let results = results["reports"].as_array().expect("one entry a file");
        assert_eq!(results.len(), names.len(), "{stage}");
        for entry in results {
            let file = entry["file"].as_str().unwrap_or_default();
            let error = entry["error"].as_str().unwrap_or_default();
            match file.contains("boom") {
                true => assert!(error.contains("internal error"), "{stage} {file}: {entry}"),
                false => assert!(entry.get("error").is_none(), "{stage} {file}: {entry}"),
            }
        }
        std::fs::remove_dir_all(&work).unwrap();
    }
}

/// OCR asked for (`--ocr`, or `ocr = true` in the configuration) where its programs are not
/// installed: one clear error before any file is read, saying what to install, not a batch
/// of files each failing.
#[test]
fn ocr_without_its_programs_is_one_clear_error() {
    let nowhere = std::env::temp_dir().join(format!("nianbao-empty-path-{}", std::process::id()));
    std::fs::create_dir_all(&nowhere).expect("an empty folder");
    let config = nowhere.join("nianbao.toml");
    std::fs::write(&config, "[limits]\nocr = true\n").expect("a configuration");
    let config = config.to_str().expect("a UTF-8 path");
    let samples = concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples");
    let asked: [&[&str]; 4] = [
        &["audit", "--ocr", samples],
        &["extract", "--ocr", samples],
        &["audit", "--config", config, samples],
        &["serve", "--config", config, "--db", "unused.db", samples],
    ];
    for args in asked {
        let ran = Command::new(env!("CARGO_BIN_EXE_nianbao"))
            .args(args)
            .env("PATH", &nowhere)
            .current_dir(&nowhere)
            .stdin(Stdio::null())
            .output()
            .expect("the program runs");
        let stderr = String::from_utf8_lossy(&ran.stderr);
        assert_eq!(ran.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("OCR needs `pdftoppm`")
                && stderr.contains("apt-get install poppler-utils"),
            "{args:?}: {stderr}"
        );
        assert!(ran.stdout.is_empty(), "{args:?}: nothing audited");
        assert!(
            !nowhere.join("unused.db").exists(),
            "{args:?}: no database made"
        );
    }
    let _ = std::fs::remove_dir_all(&nowhere);
}
