//! Whole-batch formats written as the batch goes. Such a format opens with what needs every
//! report (totals, a ranking) but little of each; its body is one part per report. The
//! parts are made as the reports come and set aside (the cli spills them to a temporary
//! file), the little the head needs is noted, and the head and tail are written last: memory
//! stays flat in the batch's size.

use crate::Audited;
use std::borrow::Cow;

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
    match render_each(
        format,
        results.iter().map(Ok::<_, std::convert::Infallible>),
    ) {
        Ok(text) => text,
        Err(never) => match never {},
    }
}

/// The whole text of a format from reports read one after another (each dropped once its
/// part is made): only the parts' text stays. The first report that cannot be read stops it.
pub fn render_each<A: std::borrow::Borrow<Audited>, E>(
    format: &mut dyn BatchFormat,
    results: impl IntoIterator<Item = Result<A, E>>,
) -> Result<String, E> {
    let mut parts = Vec::new();
    for (index, r) in results.into_iter().enumerate() {
        let r = r?;
        format.note(r.borrow());
        let part = format.part(index, r.borrow());
        if !part.is_empty() {
            parts.push(part);
        }
    }
    let mut body = String::new();
    for part in &parts {
        if !body.is_empty() {
            body.push_str(format.separator());
        }
        body.push_str(&format.finish(part));
    }
    let (head, tail) = format.frame(!body.is_empty());
    Ok(head + &body + &tail)
}
