//! Extractions the batch's first pass sets aside for the audit pass: a PDF, DOCX, Word 97
//! or RTF file read whole to be identified is not extracted again when its turn comes (a
//! PDF's content streams are most of what reading it costs), and memory stays flat: the
//! bytes wait in a temporary file (`nianbao_ingest::read_path_keeping_extraction`).

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::PathBuf;
use std::sync::Mutex;

/// The most bytes set aside in a batch (the lab's PDFs of three to five pages set aside
/// 28 KB each: about 19,000 of them); the temporary folder may be memory (/tmp on tmpfs).
/// Files beyond it are read again when their turn comes.
const MOST_BYTES: u64 = 512 << 20;

/// Extractions by the index of their file in the batch, in a temporary file made on first
/// use and removed when dropped. When the file cannot be made or written, nothing more is
/// set aside: each file is then read again, as it would be without this.
pub(crate) struct Extractions {
    store: Mutex<Option<Store>>,
    failed: std::sync::atomic::AtomicBool,
    /// Where the temporary file is made.
    dir: PathBuf,
    most_bytes: u64,
}

impl Default for Extractions {
    fn default() -> Extractions {
        Extractions::in_dir(std::env::temp_dir(), MOST_BYTES)
    }
}

struct Store {
    file: File,
    path: PathBuf,
    len: u64,
    /// Where each file's extraction is: offset and length.
    at: HashMap<usize, (u64, usize)>,
}

impl Extractions {
    /// Extractions of at most `most_bytes` in all, in a temporary file in `dir`.
    fn in_dir(dir: PathBuf, most_bytes: u64) -> Extractions {
        Extractions {
            store: Mutex::new(None),
            failed: std::sync::atomic::AtomicBool::new(false),
            dir,
            most_bytes,
        }
    }

    /// Sets aside the extraction of file `index`, if there is room.
    pub(crate) fn put(&self, index: usize, extraction: &[u8]) {
        use std::sync::atomic::Ordering;
        if self.failed.load(Ordering::Relaxed) {
            return;
        }
        let Ok(mut store) = self.store.lock() else {
            return;
        };
        if store.is_none() {
            match Store::create(&self.dir) {
                Ok(made) => *store = Some(made),
                Err(e) => {
                    tracing::debug!(error = %e, "no temporary file for extractions");
                    self.failed.store(true, Ordering::Relaxed);
                    return;
                }
            }
        }
        let Some(open) = store.as_mut() else {
            return;
        };
        if open.len + extraction.len() as u64 > self.most_bytes {
            return;
        }
        match open.append(extraction) {
            Ok(offset) => {
                open.at.insert(index, (offset, extraction.len()));
            }
            Err(e) => {
                tracing::debug!(error = %e, "extractions no longer set aside");
                self.failed.store(true, Ordering::Relaxed);
            }
        }
    }

    /// The extraction set aside for file `index`: for its own turn, and again for the
    /// audit of a report that compares with it after its turn.
    pub(crate) fn get(&self, index: usize) -> Option<Vec<u8>> {
        let mut store = self.store.lock().ok()?;
        let open = store.as_mut()?;
        let (offset, len) = *open.at.get(&index)?;
        open.read(offset, len)
            .inspect_err(|e| tracing::debug!(error = %e, "an extraction set aside unread"))
            .ok()
    }
}

impl Store {
    fn create(dir: &std::path::Path) -> std::io::Result<Store> {
        static MADE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!(".nianbao-extractions.{}-{n}.tmp", std::process::id());
        let path = dir.join(name);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        // On Unix the name goes at once: even a killed run leaves nothing behind.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        Ok(Store {
            file,
            path,
            len: 0,
            at: HashMap::new(),
        })
    }

    fn append(&mut self, bytes: &[u8]) -> std::io::Result<u64> {
        let offset = self.len;
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.write_all(bytes)?;
        self.len += bytes.len() as u64;
        Ok(offset)
    }

    fn read(&mut self, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
        let mut bytes = vec![0; len];
        self.file.seek(SeekFrom::Start(offset))?;
        self.file.read_exact(&mut bytes)?;
        Ok(bytes)
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractions_come_back_as_they_were_set_aside() {
        let set_aside = Extractions::default();
        assert_eq!(set_aside.get(0), None);
        let records: Vec<Vec<u8>> = (0..50u8).map(|i| vec![i; usize::from(i) * 37]).collect();
        for (i, record) in records.iter().enumerate().rev() {
            set_aside.put(i, record);
        }
        for (i, record) in records.iter().enumerate() {
            assert_eq!(set_aside.get(i).as_ref(), Some(record), "{i}");
            assert_eq!(set_aside.get(i).as_ref(), Some(record), "{i} again");
        }
        assert_eq!(set_aside.get(records.len()), None);
    }

    #[test]
    fn past_the_bound_nothing_more_is_set_aside() {
        let set_aside = Extractions::in_dir(std::env::temp_dir(), 100);
        set_aside.put(0, &[1; 60]);
        set_aside.put(1, &[2; 60]);
        set_aside.put(2, &[3; 40]);
        assert_eq!(set_aside.get(0), Some(vec![1; 60]));
        assert_eq!(set_aside.get(1), None, "no room left for it");
        assert_eq!(set_aside.get(2), Some(vec![3; 40]), "room for it");
    }

    #[test]
    fn without_a_temporary_file_nothing_is_set_aside() {
        let nowhere = std::env::temp_dir()
            .join("nianbao-no-such-folder")
            .join("below");
        let set_aside = Extractions::in_dir(nowhere, MOST_BYTES);
        set_aside.put(0, &[1; 10]);
        assert_eq!(set_aside.get(0), None);
        assert!(set_aside.failed.load(std::sync::atomic::Ordering::Relaxed));
    }

    #[test]
    fn the_temporary_file_is_gone_with_the_extractions() {
        let dir = std::env::temp_dir().join(format!("nianbao-set-aside-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let set_aside = Extractions::in_dir(dir.clone(), MOST_BYTES);
        set_aside.put(0, &[1; 10]);
        assert_eq!(set_aside.get(0), Some(vec![1; 10]));
        drop(set_aside);
        let left = std::fs::read_dir(&dir).expect("the folder").count();
        std::fs::remove_dir_all(&dir).ok();
        assert_eq!(left, 0);
    }
}
