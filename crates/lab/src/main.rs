//! `nianbao-lab`: writes every gold report in every layout family, reads each back through
//! nianbao's pipeline and reports cells right per family (optionally as ACCURACY.md).

use clap::{Parser, Subcommand};
use nianbao_lab::accuracy::{self, Provenance};
use nianbao_lab::{pipeline, run, Family, Options};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "nianbao-lab",
    about = "The layout lab: gold reports in real-world layouts, read back"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make the cases, read them back, print the accuracy per family.
    Run {
        /// Variants of every family for every gold report (CI's sample is 2; a release 20).
        #[arg(long, default_value_t = 20)]
        variants: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Only these families (docx, pdf, doc, rtf, html, markdown, text, pdftext, printtext, ofd, scan, pictures); all by default.
        #[arg(long = "family")]
        families: Vec<String>,
        /// The shared folder holding gold/.
        #[arg(long, default_value = "../shared")]
        shared: PathBuf,
        /// Write the accuracy report here (ACCURACY.md).
        #[arg(long)]
        write: Option<PathBuf>,
        /// Keep the generated files in this folder (otherwise a temporary one, removed).
        #[arg(long)]
        keep: Option<PathBuf>,
        /// Write every case's outcome here, one JSON object a line (wrong cells, false
        /// errors, missed findings).
        #[arg(long)]
        details: Option<PathBuf>,
        /// Fail when LibreOffice, pandoc, pdftotext or Chromium is missing instead of
        /// skipping the cases they write.
        #[arg(long)]
        require_converters: bool,
    },
}

fn main() -> ExitCode {
    let Command::Run {
        variants,
        seed,
        families,
        shared,
        write,
        keep,
        details,
        require_converters,
    } = Cli::parse().command;
    let families = match families.is_empty() {
        true => Family::ALL.to_vec(),
        false => match families.iter().map(|f| Family::parse(f).ok_or(f)).collect() {
            Ok(list) => list,
            Err(name) => {
                eprintln!("error: unknown family {name:?} (docx, pdf, doc, html, markdown, text)");
                return ExitCode::from(2);
            }
        },
    };
    let options = Options {
        shared,
        variants,
        seed,
        families,
        keep,
        require_converters,
    };
    let summary = match pipeline().and_then(|reader| run(&options, &reader)) {
        Ok(summary) => summary,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for (family, tally) in accuracy::by_family(&summary) {
        println!(
            "{:<9} {:>5} cases  {:>7} / {:<7} cells  {:>7.3}%  wrong with no doubt {}, false errors in {} cases, to review in {}, identity wrong in {}",
            family.name(),
            tally.cases,
            tally.right,
            tally.cells,
            tally.accuracy() * 100.0,
            tally.silent_wrong,
            tally.false_error_cases,
            tally.review_cases,
            tally.identity_wrong
        );
    }
    for (family, reason) in &summary.skipped {
        println!("{:<9} skipped: {reason}", family.name());
    }
    if let Some(path) = details {
        if let Err(e) = write_atomically(&path, accuracy::details(&summary).as_bytes()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if let Some(path) = write {
        let provenance = Provenance {
            command: format!(
                "cargo run --release -p nianbao-lab -- run --variants {variants} --seed {seed} --write {}",
                path.display()
            ),
            date: today(),
            commit: commit(),
        };
        let text = accuracy::markdown(&summary, &provenance);
        if let Err(e) = write_atomically(&path, text.as_bytes()) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

/// The commit the lab was built from, with "+changes" when the tree differs from it.
fn commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let Some(head) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".into();
    };
    match git(&["status", "--porcelain", "--untracked-files=no"]) {
        Some(changes) if !changes.is_empty() => format!("{head}+changes"),
        _ => head,
    }
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}
