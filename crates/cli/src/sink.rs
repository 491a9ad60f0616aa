//! Where an audit's results go, chunk by chunk: the output (a file written atomically, or
//! stdout) in the chosen format. A whole-batch format's body goes straight out when its head
//! needs nothing of the reports (JSON), else it is set aside in a spill until the head is
//! known; the workbook's rows go to its spilled sheets. After the first write error nothing
//! more is written, and the output is abandoned rather than left half written.

use crate::timing::{self, Stage, Timing};
use crate::{output, render_streamed, workbook, AuditFormat, AuditOutput};

use nianbao_scorecard::{
    audit_csv, render_terminal_summary, Audited, BatchFormat, HtmlFormat, JsonFormat, JunitFormat,
    MarkdownFormat, Parts, RuleMeta, SarifFormat, Spill, Summary,
};
use rayon::prelude::*;
use std::path::Path;

pub(crate) struct AuditSink<'a> {
    how: &'a AuditOutput,
    target: output::Target<'a>,
    /// The whole-batch format (JSON, SARIF, Markdown, JUnit, HTML), if the output is one.
    batch_format: Option<Box<dyn BatchFormat + 'a>>,
    /// The body set aside until the head is known.
    spill: Option<Spill>,
    /// The workbook's sheets.
    sheets: Option<workbook::StreamedWorkbook>,
    parts: Parts,
    reports_before: usize,
    write_error: Option<std::io::Error>,
}

impl<'a> AuditSink<'a> {
    /// The sink of `how`'s format into `target` (the spill or sheets it needs made beside
    /// `output`), with what comes before the reports written. On an error the target is
    /// abandoned.
    pub fn new(
        target: output::Target<'a>,
        how: &'a AuditOutput,
        meta: &'a [RuleMeta],
        output: Option<&Path>,
    ) -> std::io::Result<AuditSink<'a>> {
        let batch_format: Option<Box<dyn BatchFormat + 'a>> = match how.format {
            AuditFormat::Json => Some(Box::new(JsonFormat::default())),
            AuditFormat::Sarif => Some(Box::new(SarifFormat::new(meta, env!("CARGO_PKG_VERSION")))),
            AuditFormat::Markdown => Some(Box::new(MarkdownFormat::default())),
            AuditFormat::Junit => Some(Box::new(JunitFormat::new(how.threshold))),
            AuditFormat::Html => Some(Box::new(HtmlFormat::new(meta))),
            _ => None,
        };
        // A spill for a batch format whose head reads every report, two for the workbook.
        let set_aside = (batch_format.is_some() && how.format != AuditFormat::Json)
            .then(|| output::spill_for(output))
            .transpose()
            .and_then(|spill| {
                let sheets = (how.format == AuditFormat::Xlsx)
                    .then(|| workbook::StreamedWorkbook::create(output, true))
                    .transpose()?;
                Ok((spill, sheets))
            });
        let (spill, sheets) = match set_aside {
            Ok(set_aside) => set_aside,
            Err(e) => {
                target.abandon();
                return Err(e);
            }
        };
        let head = match (&batch_format, &spill) {
            (Some(format), None) => Some(format.frame(true).0),
            _ if how.format == AuditFormat::Csv => Some(audit_csv(&[])),
            _ => None,
        };
        let mut sink = AuditSink {
            how,
            target,
            batch_format,
            spill,
            sheets,
            parts: Parts::default(),
            reports_before: 0,
            write_error: None,
        };
        if let Some(head) = head {
            sink.write(head.as_bytes());
        }
        Ok(sink)
    }

    /// Writes `bytes` to the output, unless a write failed before.
    fn write(&mut self, bytes: &[u8]) {
        write_unless_failed(&mut self.target, &mut self.write_error, bytes);
    }

    /// Notes a report for what the batch format's head or tail says of every report.
    pub fn note(&mut self, audited: &Audited) {
        if let Some(format) = self.batch_format.as_mut() {
            format.note(audited);
        }
    }

    /// A chunk's results: the workbook's rows, or each report rendered and written in input
    /// order. Rendering runs on every core too, and each result is dropped where it was
    /// rendered (freeing on this thread what the workers allocated costs both sides).
    pub fn take(&mut self, chunk: Vec<Audited>, timing: Option<&Timing>) {
        if let Some(sheets) = self.sheets.as_mut() {
            if self.write_error.is_none() {
                self.write_error = timing::timed(timing, Stage::Output, || sheets.add(chunk)).err();
            }
            return;
        }
        let (how, before) = (self.how, self.reports_before);
        let format = self.batch_format.as_deref();
        let rendered: Vec<String> = chunk
            .into_par_iter()
            .enumerate()
            .map(|(i, a)| {
                timing::timed(timing, Stage::Output, || match format {
                    Some(format) => format.part(before + i, &a),
                    None => render_streamed(how, &a),
                })
            })
            .collect();
        self.reports_before += rendered.len();
        timing::timed(timing, Stage::Output, || {
            for item in rendered {
                self.write_item(&item);
            }
        });
    }

    /// One report's rendered part: set aside, written as the batch format's next part, or
    /// written as it is.
    fn write_item(&mut self, item: &str) {
        if let Some(spill) = self.spill.as_mut() {
            if !item.is_empty() && self.write_error.is_none() {
                self.write_error = spill.push(item.as_bytes()).err();
            }
            return;
        }
        match self.batch_format.as_deref() {
            Some(format) if self.write_error.is_none() => {
                self.write_error = self.parts.write(&mut self.target, format, item).err();
            }
            Some(_) => {}
            None => self.write(item.as_bytes()),
        }
    }

    /// Writes what comes after the reports: a set-aside body with its head and tail, the JSON
    /// array's end, the terminal summary or the workbook. `Err`: the workbook could not be
    /// written (the caller then abandons the output).
    pub fn write_tail(&mut self, summary: &Summary) -> Result<(), String> {
        if let (Some(format), Some(spill)) = (self.batch_format.as_deref(), self.spill.as_mut()) {
            let (head, tail) = format.frame(spill.parts() > 0);
            write_unless_failed(&mut self.target, &mut self.write_error, head.as_bytes());
            if self.write_error.is_none() {
                self.write_error = spill
                    .write_parts(&mut self.target, format, &mut Parts::default())
                    .err();
            }
            write_unless_failed(&mut self.target, &mut self.write_error, tail.as_bytes());
        }
        self.spill = None;
        let tail: Vec<u8> = match self.how.format {
            AuditFormat::Json => self.batch_format.as_ref().map_or(Vec::new(), |json| {
                (json.frame(self.parts.any()).1 + "\n").into_bytes()
            }),
            AuditFormat::Csv
            | AuditFormat::Sarif
            | AuditFormat::Markdown
            | AuditFormat::Junit
            | AuditFormat::Html => Vec::new(),
            AuditFormat::Terminal => render_terminal_summary(summary).into_bytes(),
            AuditFormat::Xlsx => match self.sheets.take().map_or(Ok(Vec::new()), |s| s.finish()) {
                Ok(bytes) => bytes,
                Err(e) => return Err(format!("cannot write the workbook: {e}")),
            },
        };
        self.write(&tail);
        Ok(())
    }

    /// Commits the output (a file is renamed into place), or abandons it when a write failed.
    pub fn commit(self) -> std::io::Result<()> {
        match self.write_error {
            Some(e) => {
                self.target.abandon();
                Err(e)
            }
            None => self.target.commit(),
        }
    }

    /// Abandons the output.
    pub fn abandon(self) {
        self.target.abandon();
    }
}

/// Writes `bytes` to `target` unless a write failed before (`error` then holds why; after
/// the first error nothing more is written).
fn write_unless_failed(
    target: &mut output::Target,
    error: &mut Option<std::io::Error>,
    bytes: &[u8],
) {
    use std::io::Write;
    if error.is_none() {
        *error = target.write_all(bytes).err();
    }
}
