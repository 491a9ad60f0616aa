//! Embeds the repo's `rules/*.toml` as the built-in packs.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../rules");
    embed(&dir, "builtin_packs.rs", &["toml"]);
    // Fixtures and the small report files some of them name.
    embed(
        &dir.join("fixtures"),
        "builtin_fixtures.rs",
        &["toml", "txt", "md"],
    );
}

/// Writes `OUT_DIR/target`: a slice of (file name, include_str!(file)) for the files of
/// `dir` with one of the `extensions`.
fn embed(dir: &std::path::Path, target: &str, extensions: &[&str]) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| {
        p.extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
    });
    files.sort();
    let mut out = String::from("&[\n");
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        out.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            file.display().to_string()
        ));
    }
    out.push(']');
    let path = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join(target);
    std::fs::write(path, out).expect("write the embedded file list");
}
