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
        /// Bytes written since the disk was last asked to start writing them
        /// (`start_writing_back`).
        unwritten: usize,
    },
}

/// How much output is written between two requests that the system start putting it on
/// disk: the sync at the end then waits for the last few MiB only, not the whole output
/// (15 MiB of JSON for 5,000 reports took 13–14 ms to sync, the cores idle).
const WRITE_BACK_EVERY: usize = 4 << 20;

/// Asks the system to start writing the file's data to disk, without waiting for it. On
/// Linux, `POSIX_FADV_DONTNEED` starts the write-back of dirty pages and returns (pages
/// still being written stay cached); elsewhere nothing is asked, and the sync at the end
/// writes everything.
fn start_writing_back(file: &File) {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
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
            unwritten: 0,
        })
    }

    /// Finishes the output: flushes, and renames a file into place.
    pub fn commit(self) -> std::io::Result<()> {
        match self {
            Target::Stdout(out) => out.flush(),
            Target::File {
                temp, path, writer, ..
            } => {
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
            Target::File {
                writer, unwritten, ..
            } => {
                let written = writer.write(bytes)?;
                *unwritten += written;
                // Only a hint: should the flush fail, the commit's flush fails the same way.
                if *unwritten >= WRITE_BACK_EVERY && writer.flush().is_ok() {
                    start_writing_back(writer.get_ref());
                    *unwritten = 0;
                }
                Ok(written)
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_output_written_back_on_the_way_is_whole_once_committed() {
        let dir = std::env::temp_dir().join(format!("nianbao-output-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temporary folder");
        let path = dir.join("out.json");
        std::fs::write(&path, "the old output").expect("old output");
        // Pieces of uneven sizes past the write-back mark twice, each piece telling its place.
        let pieces: Vec<Vec<u8>> = (0..700u32)
            .map(|i| {
                let size = 1 + (i as usize * 7919) % 24_000;
                (0..size).map(|k| (i as usize + k) as u8).collect()
            })
            .collect();
        let expected: Vec<u8> = pieces.concat();
        assert!(expected.len() > 2 * WRITE_BACK_EVERY);
        let mut stdout = std::io::sink();
        let mut target = Target::open(Some(&path), &mut stdout).expect("opened");
        for piece in &pieces {
            target.write_all(piece).expect("written");
        }
        // Nothing shows at the target before the commit.
        assert_eq!(std::fs::read(&path).expect("read"), b"the old output");
        target.commit().expect("committed");
        assert!(std::fs::read(&path).expect("read") == expected);
        let left: Vec<_> = std::fs::read_dir(&dir).expect("listed").collect();
        assert_eq!(left.len(), 1, "only the output is left");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
