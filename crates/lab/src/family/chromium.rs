//! Web pages printed to PDF by a browser, as offices save a report published on a CMS page
//! (and as crawlers archive pages): the lab's HTML page printed by headless Chromium. Its
//! PDF differs from LibreOffice's: another PDF writer (Skia), the browser's table layout
//! (digits wrapped inside narrow cells), and fonts whose text maps shared glyphs to CJK
//! radicals ("⼈⺠" for "人民").

use crate::rng::Rng;
use crate::LabError;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The Chromium command, if installed.
pub fn chromium() -> Option<PathBuf> {
    super::installed(
        &["chromium", "chromium-browser", "google-chrome"],
        "--version",
    )
}

/// The page with what changes how it prints: the site's fixed width (the browser shrinks
/// a wide page to the paper), the text's size (how often labels and digits wrap in their
/// cells) and the paper's orientation (A4, as offices print; headless Chromium's own is
/// Letter).
pub fn with_print_style(page: &str, rng: &mut Rng) -> String {
    let mut style = format!("body{{font-size:{}px}}", rng.between(12, 17));
    // Chromium shrinks a page at most 1.5 times to fit the paper: a wider site is cut at
    // the paper's edge, text lost.
    if rng.chance(0.5) {
        let width = 860 + 30 * rng.below(7);
        style.push_str(&format!("body{{width:{width}px;margin:0 auto}}"));
    }
    match rng.chance(0.25) {
        true => style.push_str("@page{size:A4 landscape}"),
        false => style.push_str("@page{size:A4}"),
    }
    page.replacen("</head>", &format!("<style>{style}</style>\n</head>"), 1)
}

/// Prints each page (`html`) to its PDF (`pdf`), two browsers at a time, each with a
/// profile of its own in `dir`; the error names the first page that failed.
pub fn print_all(program: &Path, dir: &Path, pages: &[(PathBuf, PathBuf)]) -> Result<(), LabError> {
    super::all_on_two_workers(pages, "Chromium did not print", |worker, (html, pdf)| {
        let profile = dir.join(format!("chromium-profile-{worker}"));
        print(program, &profile, html, pdf)
    })
}

pub(super) fn print(program: &Path, profile: &Path, html: &Path, pdf: &Path) -> Result<(), String> {
    // Chromium takes URLs and writes where it is told: both absolute.
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let output = Command::new(program)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
        ])
        .args(["--no-pdf-header-footer", "--disable-extensions"])
        .arg(format!("--user-data-dir={}", absolute(profile).display()))
        .arg(format!("--print-to-pdf={}", absolute(pdf).display()))
        .arg(format!("file://{}", absolute(html).display()))
        .output()
        .map_err(|e| format!("{}: cannot run {}: {e}", html.display(), program.display()))?;
    let printed = std::fs::metadata(pdf).is_ok_and(|m| m.len() > 0);
    if !(output.status.success() && printed) {
        let said = String::from_utf8_lossy(&output.stderr);
        return Err(format!("{}: {}", html.display(), said.trim()));
    }
    Ok(())
}
