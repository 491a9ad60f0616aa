//! Extractions the batch's first pass sets aside for the audit pass: a PDF, DOCX, Word 97
//! or RTF file read whole to be identified is not extracted again when its turn comes (a
//! PDF's content streams are most of what reading it costs), and memory stays flat: the
//! bytes wait in a spill, the temporary file the batch formats set their bodies aside in
//! (`nianbao_ingest::read_path_keeping_extraction`).

use nianbao_scorecard::Spill;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

/// The most bytes set aside in a batch (the lab's PDFs of three to five pages set aside
/// 28 KB each: about 19,000 of them); the temporary folder may be memory (/tmp on tmpfs).
/// Files beyond it are read again when their turn comes.
const MOST_BYTES: u64 = 512 << 20;

/// Extractions by the index of their file in the batch, in a spill made on first use and
/// removed when dropped. When the spill cannot be made or written, nothing more is set
/// aside: each file is then read again, as it would be without this.
pub(crate) struct Extractions {
    state: Mutex<State>,
    /// Where the spill is made.
    dir: PathBuf,
    most_bytes: u64,
}

enum State {
    /// Nothing set aside yet.
    Unmade,
    /// The spill, and where each file's extraction starts in it.
    Open(Spill, HashMap<usize, u64>),
    /// The spill could not be made or written: nothing is set aside.
    Failed,
}

impl Default for Extractions {
    fn default() -> Extractions {
        Extractions::in_dir(std::env::temp_dir(), MOST_BYTES)
    }
}

impl Extractions {
    /// Extractions of at most `most_bytes` in all, in a spill in `dir`.
    fn in_dir(dir: PathBuf, most_bytes: u64) -> Extractions {
        Extractions {
            state: Mutex::new(State::Unmade),
            dir,
            most_bytes,
        }
    }

    /// Sets aside the extraction of file `index`, if there is room.
    pub(crate) fn put(&self, index: usize, extraction: &[u8]) {
        let Ok(mut state) = self.state.lock() else {
            return;
        };
        if matches!(*state, State::Unmade) {
            *state = match Spill::create_in(&self.dir) {
                Ok(spill) => State::Open(spill, HashMap::new()),
                Err(e) => {
                    tracing::debug!(error = %e, "no temporary file for extractions");
                    State::Failed
                }
            };
        }
        let State::Open(spill, at) = &mut *state else {
            return;
        };
        let start = spill.end();
        if start + extraction.len() as u64 > self.most_bytes {
            return;
        }
        match spill.push(extraction) {
            Ok(()) => {
                at.insert(index, start);
            }
            Err(e) => {
                tracing::debug!(error = %e, "extractions no longer set aside");
                *state = State::Failed;
            }
        }
    }

    /// The extraction set aside for file `index`: for its own turn, and again for the
    /// audit of a report that compares with it after its turn.
    pub(crate) fn get(&self, index: usize) -> Option<Vec<u8>> {
        let mut state = self.state.lock().ok()?;
        let State::Open(spill, at) = &mut *state else {
            return None;
        };
        let start = *at.get(&index)?;
        spill
            .record_at(start)
            .inspect_err(|e| tracing::debug!(error = %e, "an extraction set aside unread"))
            .ok()
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
        // Each record takes 8 bytes of length besides: 68 + 90 > 150, 68 + 40 is not.
        let set_aside = Extractions::in_dir(std::env::temp_dir(), 150);
        set_aside.put(0, &[1; 60]);
        set_aside.put(1, &[2; 90]);
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
        assert!(matches!(
            *set_aside.state.lock().expect("not poisoned"),
            State::Failed
        ));
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
