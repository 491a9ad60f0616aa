//! The README's rule walk-through, run as written: its pack and fixture are the files of
//! `rules/examples/`, its commands work on them, and every pack the README shows loads.

use suite::{nianbao, temp_dir};

const README: &str = include_str!("../README.md");

/// The bodies of the README's fenced blocks of one language.
fn blocks(language: &str) -> Vec<String> {
    let fence = format!("```{language}\n");
    let mut out = Vec::new();
    let mut rest = README;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let Some(end) = body.find("```") else { break };
        out.push(body[..end].to_string());
        rest = &body[end..];
    }
    out
}

#[test]
fn the_walk_through_files_are_the_ones_in_the_repo() {
    let toml = blocks("toml");
    for file in [
        "rules/examples/first-pack.toml",
        "rules/examples/fixtures/MY.GRANTED_WITHIN_RECEIVED.toml",
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            toml.contains(&text),
            "README no longer shows {file} as it is"
        );
    }
}

#[test]
fn every_pack_the_readme_shows_loads() {
    let packs: Vec<String> = blocks("toml")
        .into_iter()
        .filter(|b| b.starts_with("[pack]"))
        .collect();
    assert!(packs.len() >= 2);
    let dir = temp_dir("readme-packs");
    for (i, pack) in packs.iter().enumerate() {
        let file = dir.join(format!("pack{i}.toml"));
        std::fs::write(&file, pack).unwrap();
        let run = nianbao(&["rules", "list", "--rules", file.to_str().unwrap()]);
        assert_eq!(
            run.code, 0,
            "the README's pack #{i} does not load: {}",
            run.stderr
        );
    }
}

#[test]
fn the_walk_through_commands_run() {
    let commands: Vec<String> = blocks("sh")
        .iter()
        .flat_map(|b| b.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|l| l.starts_with("nianbao ") && l.contains("rules/examples/"))
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");
    for command in commands {
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let run = nianbao(&args);
        assert_eq!(
            run.code, 0,
            "`{command}` failed: {}{}",
            run.stdout, run.stderr
        );
    }
    let run = nianbao(&["rules", "test", "rules/examples/first-pack.toml"]);
    assert!(run.stdout.contains("2 passed, 0 failed"), "{}", run.stdout);
}

#[test]
fn the_number_of_built_in_rules_is_the_readmes() {
    let rules = nianbao_rules::RuleSet::builtin().unwrap().rules().count();
    assert!(
        README.contains(&format!("{rules} rules with")),
        "the README no longer says how many built-in rules there are ({rules})"
    );
}
