//! Whole-batch formats written as the batch goes. Such a format opens with what needs every
//! report (totals, a ranking) but little of each; its body is one part per report. The
//! parts are made as the reports come and set aside (the cli spills them to a temporary
//! file), the little the head needs is noted, and the head and tail are written last: memory
//! stays flat in the batch's size.

use crate::Audited;
use std::borrow::Cow;
use std::io::Write;

pub trait BatchFormat: Sync {
    /// One report's part of the body ("" for none); `index`: the report's place in the
    /// batch. Reads nothing else: runs on any worker.
    fn part(&self, index: usize, r: &Audited) -> String;

    /// Written between two non-empty parts.
    fn separator(&self) -> &'static str {
        ""
    }

    /// Notes what the head and tail need of a report; called in input order.
    fn note(&mut self, r: &Audited);

    /// A part as written, once every report has been noted: what it could not know when
    /// it was made (which later reports can be linked to) filled in.
    fn finish<'p>(&self, part: &'p str) -> Cow<'p, str> {
        Cow::Borrowed(part)
    }

    /// The text before the body and the text after it, once every report has been noted.
    /// `any_part`: whether some report's part was not empty.
    fn frame(&self, any_part: bool) -> (String, String);
}

/// The whole text of a format with all the reports in hand: what the streamed parts and
/// frame make.
pub fn render_whole(format: &mut dyn BatchFormat, results: &[Audited]) -> String {
    let parts: Vec<String> = results
        .iter()
        .enumerate()
        .map(|(index, r)| {
            format.note(r);
            format.part(index, r)
        })
        .collect();
    let mut body = Vec::new();
    let mut writer = PartWriter::new(&mut body);
    for part in &parts {
        // Into memory: writing cannot fail.
        let _ = writer.write(&*format, part);
    }
    let (head, tail) = format.frame(writer.any());
    head + &String::from_utf8_lossy(&body) + &tail
}

/// Writes a format's body part by part, in order: each as the format finishes it, its
/// separator between two, empty parts left out — for the whole text, a spill copied out,
/// an export streamed.
pub struct PartWriter<'a> {
    out: &'a mut dyn Write,
    any: bool,
}

impl<'a> PartWriter<'a> {
    pub fn new(out: &'a mut dyn Write) -> PartWriter<'a> {
        PartWriter { out, any: false }
    }

    pub fn write(&mut self, format: &dyn BatchFormat, part: &str) -> std::io::Result<()> {
        if part.is_empty() {
            return Ok(());
        }
        if self.any {
            self.out.write_all(format.separator().as_bytes())?;
        }
        self.any = true;
        self.out.write_all(format.finish(part).as_bytes())
    }

    /// Writes what is not a part (a head, a tail) as it is.
    pub fn write_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }

    /// Whether a part was written: the frame's `any_part`.
    pub fn any(&self) -> bool {
        self.any
    }
}
