//! Where output goes: stdout, or a file written atomically — streamed into a temporary file
//! next to the target, renamed over it at the end — so a reader never sees half a
//! scorecard and a failed run never leaves a broken one.

use nianbao_scorecard::Spill;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A temporary file's path in `dir`, unique per call: several outputs may be written at once
/// (threads, processes).
fn temporary_path(dir: &Path, name: &str) -> PathBuf {
    static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()))
}

/// The temporary files of the outputs this process is writing: removed if it is interrupted.
static WRITING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

fn writing() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    WRITING.lock().unwrap_or_else(|p| p.into_inner())
}

fn done_writing(temp: &Path) {
    writing().retain(|t| t != temp);
}

/// From the first output file on, a run interrupted by Ctrl-C, SIGTERM or SIGHUP removes
/// the temporary files of the outputs it was writing, then exits with 128 + the signal's
/// number (as a shell reports it): each target is left as it was, with nothing beside it.
/// (Spills need no help: on Unix they have no name once open.) The workbench writes no
/// output file, and shuts down by itself on Ctrl-C.
fn clean_up_when_interrupted() {
    static WATCHING: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    WATCHING.get_or_init(|| {
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            match signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
                Ok(mut signals) => {
                    std::thread::spawn(move || {
                        if let Some(signal) = signals.forever().next() {
                            for temp in writing().drain(..) {
                                let _ = std::fs::remove_file(temp);
                            }
                            std::process::exit(128 + signal);
                        }
                    });
                }
                Err(e) => tracing::warn!("cannot watch for Ctrl-C: {e}"),
            }
        }
    });
}

pub enum Target<'a> {
    Stdout(&'a mut dyn Write),
    File {
        temp: PathBuf,
        path: PathBuf,
        writer: BufWriter<File>,
    },
}

impl<'a> Target<'a> {
    pub fn open(path: Option<&Path>, stdout: &'a mut dyn Write) -> std::io::Result<Target<'a>> {
        let Some(path) = path else {
            return Ok(Target::Stdout(stdout));
        };
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        clean_up_when_interrupted();
        let temp = temporary_path(dir, name);
        // Listed before it exists: an interruption in between finds nothing to remove.
        writing().push(temp.clone());
        let writer = match File::create(&temp) {
            Ok(file) => BufWriter::new(file),
            Err(e) => {
                done_writing(&temp);
                return Err(e);
            }
        };
        Ok(Target::File {
            temp,
            path: path.to_path_buf(),
            writer,
        })
    }

    /// Finishes the output: flushes, and renames a file into place.
    pub fn commit(self) -> std::io::Result<()> {
        match self {
            Target::Stdout(out) => out.flush(),
            Target::File { temp, path, writer } => {
                let result = writer
                    .into_inner()
                    .map_err(|e| e.into_error())
                    .and_then(|file| file.sync_all())
                    .and_then(|()| std::fs::rename(&temp, &path));
                if result.is_err() {
                    let _ = std::fs::remove_file(&temp);
                }
                done_writing(&temp);
                result
            }
        }
    }

    /// Abandons a file output: the temporary file goes, the target is untouched.
    pub fn abandon(self) {
        if let Target::File { temp, writer, .. } = self {
            drop(writer);
            let _ = std::fs::remove_file(&temp);
            done_writing(&temp);
        }
    }
}

impl Write for Target<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Target::Stdout(out) => out.write(bytes),
            Target::File { writer, .. } => writer.write(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Target::Stdout(out) => out.flush(),
            Target::File { writer, .. } => writer.flush(),
        }
    }
}

/// The body of a whole-batch format, set aside until its head can be written: each report's
/// part as a record in a temporary file next to the output (in the system's temporary
/// folder for stdout).
pub fn spill_for(output: Option<&Path>) -> std::io::Result<Spill> {
    Spill::create_in(&spill_dir(output))
}

/// Where an output's spills go: next to it, or in the system's temporary folder for stdout.
pub fn spill_dir(output: Option<&Path>) -> PathBuf {
    match output.and_then(Path::parent) {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        Some(_) => PathBuf::from("."),
        None => std::env::temp_dir(),
    }
}
