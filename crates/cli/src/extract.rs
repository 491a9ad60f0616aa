//! `extract`: each file's cells, its parts and identity readings, written as the batch goes.

use crate::{batch, output, workbook, Auditor, ExtractFormat, EXIT_CLEAN, EXIT_TROUBLE};
use nianbao_rules::RuleSet;
use nianbao_scorecard::{
    extract_csv_header, extract_csv_rows, extract_entry_text, ScoringConfig, REPORTS_OPEN,
};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What reads files for `extract`: no rules, no plugins.
pub(crate) fn extraction_auditor() -> Auditor {
    Auditor {
        rules: RuleSet::default(),
        scoring: ScoringConfig::default(),
        plugins: Vec::new(),
        limits: nianbao_ingest::Limits::default(),
        plugin_errors: Default::default(),
        rule_scoring: Default::default(),
        timing: None,
    }
}

/// `extract`: each file's cells, written as the batch goes — JSON and CSV straight out, the
/// workbook's rows set aside until its sheet is written.
pub(crate) fn extract(
    paths: &[PathBuf],
    auditor: &Auditor,
    format: ExtractFormat,
    output: Option<&Path>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let target_name = output.map_or("stdout".to_string(), |p| p.display().to_string());
    let opened = output::Target::open(output, out).and_then(|target| {
        let sheets = match format {
            ExtractFormat::Xlsx => Some(workbook::StreamedWorkbook::create(output, false)?),
            _ => None,
        };
        Ok((target, sheets))
    });
    let (mut target, mut sheets) = match opened {
        Ok(opened) => opened,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write {target_name}: {e}");
            return EXIT_TROUBLE;
        }
    };
    let mut written = match format {
        ExtractFormat::Json => target.write_all(REPORTS_OPEN.as_bytes()),
        ExtractFormat::Csv => target.write_all(extract_csv_header().as_bytes()),
        ExtractFormat::Xlsx => Ok(()),
    };
    let (mut entries, mut readable) = (0, false);
    batch::run(paths, &[], auditor, err, &mut |chunk| {
        readable |= chunk.iter().any(|r| r.outcome.is_ok());
        if written.is_err() {
            return;
        }
        if let Some(sheets) = sheets.as_mut() {
            written = sheets.add(chunk);
            return;
        }
        let rendered: Vec<String> = chunk
            .into_par_iter()
            .map(|r| match format {
                ExtractFormat::Json => extract_entry_text(&r, "    "),
                _ => extract_csv_rows(std::slice::from_ref(&r)),
            })
            .collect();
        for text in rendered {
            let text = match format {
                ExtractFormat::Json if entries == 0 => format!("\n    {text}"),
                ExtractFormat::Json => format!(",\n    {text}"),
                _ => text,
            };
            entries += 1;
            if written.is_ok() {
                written = target.write_all(text.as_bytes());
            }
        }
    });
    let tail = match (format, sheets) {
        (ExtractFormat::Json, _) if entries == 0 => Ok(b"]\n}\n".to_vec()),
        (ExtractFormat::Json, _) => Ok(b"\n  ]\n}\n".to_vec()),
        (ExtractFormat::Xlsx, Some(sheets)) => sheets.finish(),
        _ => Ok(Vec::new()),
    };
    let tail = match tail {
        Ok(tail) => tail,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write the workbook: {e}");
            target.abandon();
            return EXIT_TROUBLE;
        }
    };
    let result = match written.and_then(|()| target.write_all(&tail)) {
        Ok(()) => target.commit(),
        Err(e) => {
            target.abandon();
            Err(e)
        }
    };
    if let Err(e) = result {
        let _ = writeln!(err, "error: cannot write {target_name}: {e}");
        return EXIT_TROUBLE;
    }
    match readable {
        true => EXIT_CLEAN,
        false => EXIT_TROUBLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractions_streamed_write_what_the_whole_batch_renders() {
        let results = crate::tests::audited_samples(&extraction_auditor());
        let samples = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../samples"));
        let whole_json = serde_json::to_string_pretty(&nianbao_scorecard::extract_json(&results))
            .expect("JSON")
            + "\n";
        for (format, whole) in [
            (ExtractFormat::Json, whole_json),
            (ExtractFormat::Csv, nianbao_scorecard::extract_csv(&results)),
        ] {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = extract(
                std::slice::from_ref(&samples),
                &extraction_auditor(),
                format,
                None,
                &mut out,
                &mut err,
            );
            assert_eq!(code, EXIT_CLEAN);
            assert!(whole.matches("平阴县人民政府").count() >= 1, "{format:?}");
            assert_eq!(String::from_utf8_lossy(&out), whole, "{format:?}");
        }
    }
}
