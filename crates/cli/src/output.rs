//! Where output goes: stdout, or a file written atomically — streamed into a temporary file
//! next to the target, renamed over it at the end — so a reader never sees half a
//! scorecard and a failed run never leaves a broken one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

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
        // Unique per write: several outputs may be written at once (threads, processes).
        static WRITES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        let writer = BufWriter::new(File::create(&temp)?);
        Ok(Target::File {
            temp,
            path: path.to_path_buf(),
            writer,
        })
    }

    pub fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Target::Stdout(out) => out.write_all(bytes),
            Target::File { writer, .. } => writer.write_all(bytes),
        }
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
                result
            }
        }
    }

    /// Abandons a file output: the temporary file goes, the target is untouched.
    pub fn abandon(self) {
        if let Target::File { temp, writer, .. } = self {
            drop(writer);
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// Writes a whole output at once (atomically, as above).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut sink = std::io::sink();
    let mut target = Target::open(Some(path), &mut sink)?;
    match target.write(bytes) {
        Ok(()) => target.commit(),
        Err(e) => {
            target.abandon();
            Err(e)
        }
    }
}
