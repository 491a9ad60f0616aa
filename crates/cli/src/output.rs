//! Where output goes: stdout, or a file written atomically — streamed into a temporary file
//! next to the target, renamed over it at the end — so a reader never sees half a
//! scorecard and a failed run never leaves a broken one.

use nianbao_scorecard::BatchFormat;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
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

/// The body of a whole-batch format, set aside until its head can be written: each report's
/// part as a record (its length, then its text) in a temporary file next to the output (in
/// the system's temporary folder for stdout), removed when dropped (on Unix, as soon as it is
/// open).
pub struct Spill {
    path: PathBuf,
    writer: BufWriter<File>,
    parts: usize,
}

impl Spill {
    pub fn create(output: Option<&Path>) -> std::io::Result<Spill> {
        let dir = match output.and_then(Path::parent) {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            Some(_) => PathBuf::from("."),
            None => std::env::temp_dir(),
        };
        let path = temporary_path(&dir, "nianbao-body");
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                let why = format!("cannot make a temporary file in {}: {e}", dir.display());
                std::io::Error::new(e.kind(), why)
            })?;
        // Unix keeps an open file that has no name: gone even if the run is killed.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        Ok(Spill {
            path,
            writer: BufWriter::new(file),
            parts: 0,
        })
    }

    pub fn push(&mut self, record: &[u8]) -> std::io::Result<()> {
        self.writer
            .write_all(&(record.len() as u64).to_le_bytes())?;
        self.writer.write_all(record)?;
        self.parts += 1;
        Ok(())
    }

    /// How many records were set aside.
    pub fn parts(&self) -> usize {
        self.parts
    }

    /// The records set aside, in the order they came.
    pub fn records(&mut self) -> std::io::Result<Records<'_>> {
        self.writer.flush()?;
        let file = self.writer.get_mut();
        file.seek(SeekFrom::Start(0))?;
        Ok(Records {
            reader: std::io::BufReader::new(file),
            left: self.parts,
        })
    }

    /// Writes the parts of a batch format into the target in the order they came, each as
    /// the format finishes it, its separator between two.
    pub fn copy_into(
        &mut self,
        target: &mut Target,
        format: &dyn BatchFormat,
    ) -> std::io::Result<()> {
        for (n, part) in self.records()?.enumerate() {
            let part = part?;
            let text = std::str::from_utf8(&part).map_err(invalid)?;
            if n > 0 {
                target.write(format.separator().as_bytes())?;
            }
            target.write(format.finish(text).as_bytes())?;
        }
        Ok(())
    }
}

fn invalid(e: impl std::error::Error + Send + Sync + 'static) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, e)
}

/// Reads back a spill's records.
pub struct Records<'a> {
    reader: std::io::BufReader<&'a mut File>,
    left: usize,
}

impl Iterator for Records<'_> {
    type Item = std::io::Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        self.left = self.left.checked_sub(1)?;
        let mut read = || {
            let mut length = [0; 8];
            self.reader.read_exact(&mut length)?;
            let length = usize::try_from(u64::from_le_bytes(length)).map_err(invalid)?;
            let mut record = vec![0; length];
            self.reader.read_exact(&mut record)?;
            Ok(record)
        };
        Some(read())
    }
}

/// A row of strings as one record: each value's length, then its bytes.
pub fn row_record(row: &[String]) -> Vec<u8> {
    let mut record = Vec::with_capacity(row.iter().map(|v| v.len() + 4).sum());
    for value in row {
        record.extend_from_slice(&(value.len() as u32).to_le_bytes());
        record.extend_from_slice(value.as_bytes());
    }
    record
}

/// The row a record holds.
pub fn record_row(record: &[u8]) -> Result<Vec<String>, String> {
    let mut row = Vec::new();
    let mut rest = record;
    while let Some((length, after)) = rest.split_first_chunk::<4>() {
        let length = u32::from_le_bytes(*length) as usize;
        let value = after.get(..length).ok_or("a row set aside is cut short")?;
        row.push(String::from_utf8(value.to_vec()).map_err(|e| e.to_string())?);
        rest = &after[length..];
    }
    match rest.is_empty() {
        true => Ok(row),
        false => Err("a row set aside is cut short".to_string()),
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_set_aside_read_back_as_they_were_in_order() {
        let rows = [
            vec!["报告.txt".to_string(), String::new(), "12".to_string()],
            vec![],
            vec!["\u{0}\n,|\"".to_string(), "平阴县人民政府".repeat(300)],
        ];
        let mut spill = Spill::create(None).expect("a spill in the temporary folder");
        for row in &rows {
            spill.push(&row_record(row)).expect("written");
        }
        let path = spill.path.clone();
        let read: Vec<Vec<String>> = spill
            .records()
            .expect("read back")
            .map(|r| record_row(&r.expect("a record")).expect("a row"))
            .collect();
        assert_eq!(read, rows);
        assert!(record_row(&row_record(&rows[2])[..10]).is_err());
        drop(spill);
        assert!(!path.exists(), "the spill is removed");
    }
}
