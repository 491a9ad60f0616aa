//! What a batch sets aside until the end: records (each report's part of a page, a
//! workbook's rows) in a temporary file, read back in the order they came. A workbook made
//! this way holds in memory only what its first sheet needs of each report.

use crate::{BatchFormat, Parts, WorkbookRows, WorkbookStream};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// Records set aside in a temporary file in a folder, removed when dropped (on Unix, as soon
/// as it is open: even a killed run leaves nothing).
pub struct Spill {
    path: PathBuf,
    writer: BufWriter<File>,
    parts: usize,
    /// Bytes written: where the next record starts.
    end: u64,
}

impl Spill {
    /// A new spill in `dir`, unique per call (several may be written at once).
    pub fn create_in(dir: &Path) -> std::io::Result<Spill> {
        static SPILLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SPILLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!(".nianbao-spill.{}-{n}.tmp", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| {
                let why = format!("cannot make a temporary file in {}: {e}", dir.display());
                std::io::Error::new(e.kind(), why)
            })?;
        #[cfg(unix)]
        let _ = std::fs::remove_file(&path);
        Ok(Spill {
            path,
            writer: BufWriter::new(file),
            parts: 0,
            end: 0,
        })
    }

    pub fn push(&mut self, record: &[u8]) -> std::io::Result<()> {
        self.writer
            .write_all(&(record.len() as u64).to_le_bytes())?;
        self.writer.write_all(record)?;
        self.parts += 1;
        self.end += 8 + record.len() as u64;
        Ok(())
    }

    /// Where the next record pushed will start, for `record_at`: the bytes written so far.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// The record that starts at `offset` (an `end()` before it was pushed); later pushes
    /// still go after the last record.
    pub fn record_at(&mut self, offset: u64) -> std::io::Result<Vec<u8>> {
        self.writer.flush()?;
        let file = self.writer.get_mut();
        file.seek(SeekFrom::Start(offset))?;
        let mut length = [0; 8];
        file.read_exact(&mut length)?;
        let length = usize::try_from(u64::from_le_bytes(length)).map_err(invalid)?;
        let mut record = vec![0; length];
        let read = file.read_exact(&mut record);
        file.seek(SeekFrom::End(0))?;
        read.map(|()| record)
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
}

impl Spill {
    /// Writes the parts of a batch format set aside here into `out` in the order they came,
    /// through `parts` (each as the format finishes it, its separator between two).
    pub fn write_parts(
        &mut self,
        out: &mut dyn Write,
        format: &dyn BatchFormat,
        parts: &mut Parts,
    ) -> std::io::Result<()> {
        for part in self.records()? {
            let part = part?;
            let text = std::str::from_utf8(&part).map_err(invalid)?;
            parts.write(out, format, text)?;
        }
        Ok(())
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub(crate) fn invalid(e: impl std::error::Error + Send + Sync + 'static) -> std::io::Error {
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

/// A workbook made report by report: each report's 报告 row kept for the ranking, its 问题
/// and 数据 rows set aside in two spills, the sheets written at the end (in
/// rust_xlsxwriter's low-memory mode) — memory stays flat in the batch's size.
pub struct SpilledWorkbook {
    stream: WorkbookStream,
    /// The audit's workbook (with 报告 and 问题), or an extraction's (数据 alone).
    with_findings: bool,
    findings: Spill,
    cells: Spill,
}

impl SpilledWorkbook {
    /// A workbook whose rows are set aside in `dir`.
    pub fn create_in(dir: &Path, with_findings: bool) -> std::io::Result<SpilledWorkbook> {
        Ok(SpilledWorkbook {
            stream: WorkbookStream::default(),
            with_findings,
            findings: Spill::create_in(dir)?,
            cells: Spill::create_in(dir)?,
        })
    }

    /// Adds a report's rows, in the order the reports are to be listed.
    pub fn add(&mut self, rows: WorkbookRows) -> std::io::Result<()> {
        let (findings, cells) = self.stream.note(rows);
        for row in findings.iter().filter(|_| self.with_findings) {
            self.findings.push(&row_record(row))?;
        }
        if let Some(row) = cells {
            self.cells.push(&row_record(&row))?;
        }
        Ok(())
    }

    /// The workbook's bytes.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        let mut findings = rows(&mut self.findings)?;
        let mut cells = rows(&mut self.cells)?;
        self.stream
            .finish(self.with_findings, &mut findings, &mut cells)
    }
}

/// The rows set aside in a spill, in the order they came.
fn rows(
    spill: &mut Spill,
) -> Result<impl Iterator<Item = Result<Vec<String>, String>> + '_, String> {
    let records = spill.records().map_err(|e| e.to_string())?;
    Ok(records.map(|record| {
        record
            .map_err(|e| e.to_string())
            .and_then(|r| record_row(&r))
    }))
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
        let mut spill = Spill::create_in(&std::env::temp_dir()).expect("a spill");
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

    #[test]
    fn a_record_is_read_back_where_it_starts_between_pushes() {
        let mut spill = Spill::create_in(&std::env::temp_dir()).expect("a spill");
        let records: Vec<Vec<u8>> = (0..20u8).map(|i| vec![i; usize::from(i) * 300]).collect();
        let mut starts = Vec::new();
        for (i, record) in records.iter().enumerate() {
            starts.push(spill.end());
            spill.push(record).expect("written");
            // A read between two pushes leaves the next push after the last record.
            let back = starts[i / 2];
            assert_eq!(spill.record_at(back).expect("read"), records[i / 2]);
        }
        for (start, record) in starts.iter().zip(&records).rev() {
            assert_eq!(&spill.record_at(*start).expect("read"), record);
        }
        let all: Vec<Vec<u8>> = spill
            .records()
            .expect("read")
            .map(|r| r.expect("a record"))
            .collect();
        assert_eq!(all, records);
    }
}
