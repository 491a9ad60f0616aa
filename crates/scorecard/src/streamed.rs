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
    let mut joined = Parts::default();
    for part in &parts {
        // Into memory: writing cannot fail.
        let _ = joined.write(&mut body, &*format, part);
    }
    let (head, tail) = format.frame(joined.any());
    head + &String::from_utf8_lossy(&body) + &tail
}

/// A format's body written part by part, in order: each part as the format finishes it,
/// its separator between two, empty parts left out — for the whole text, a spill copied
/// out, a body streamed as the batch goes.
#[derive(Default)]
pub struct Parts {
    any: bool,
}

impl Parts {
    pub fn write(
        &mut self,
        out: &mut dyn Write,
        format: &dyn BatchFormat,
        part: &str,
    ) -> std::io::Result<()> {
        if part.is_empty() {
            return Ok(());
        }
        if self.any {
            out.write_all(format.separator().as_bytes())?;
        }
        self.any = true;
        out.write_all(format.finish(part).as_bytes())
    }

    /// Whether a part was written: the frame's `any_part`.
    pub fn any(&self) -> bool {
        self.any
    }
}
