//! Reviewed snapshots of each seed's audit, as JSON and as the terminal shows it.

use suite::{file_name, nianbao, seed};

const SEEDS: [&str; 5] = [
    "000_3a5e30b285f87727.txt",
    "001_cbbc4f743fd32469.txt",
    "002_ebe041415b5440fa.txt",
    "003_0eb612e351c75c5e.txt",
    "004_1ad31af01008103e.txt",
];

#[test]
fn seed_audits_json() {
    for name in SEEDS {
        let run = nianbao(&["audit", &seed(name), "--format", "json"]);
        insta::assert_json_snapshot!(
            format!("audit_json_{}", file_name(name).replace(".txt", "")),
            run.json()
        );
    }
}

#[test]
fn seed_audits_terminal() {
    for name in SEEDS {
        let run = nianbao(&["audit", &seed(name)]);
        insta::assert_snapshot!(
            format!("audit_terminal_{}", file_name(name).replace(".txt", "")),
            run.stdout
        );
    }
}

/// The corpus audits (all formats), reviewed: a change in any reading or rule shows here.
#[test]
fn corpus_audits_json() {
    let corpus = suite::shared_dir().join("corpus");
    let mut files: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e != "tsv"))
        .collect();
    files.sort();
    assert!(files.len() >= 12);
    for path in files {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('.', "_");
        let run = nianbao(&[
            "audit",
            &format!(
                "../shared/corpus/{}",
                path.file_name().unwrap().to_string_lossy()
            ),
            "--format",
            "json",
        ]);
        insta::assert_json_snapshot!(format!("corpus_{name}"), run.json());
    }
}
