//! The terminal scorecard: a summary line per report, then each finding with the source
//! line and a caret under the cell (rustc-style).

use crate::{summarize, Audited};
use nianbao_model::{Fault, Finding, Severity};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalOptions {
    pub color: bool,
    /// Only the summary line of each report.
    pub quiet: bool,
}

fn paint(text: &str, code: &str, on: bool) -> String {
    if on {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn severity_code(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Info => "1;36",
    }
}

/// A finding's colour: its severity's, or cyan when nianbao may have misread (需复核).
fn finding_code(f: &Finding) -> &'static str {
    match f.fault {
        Fault::Report => severity_code(f.severity),
        Fault::Reading => "1;36",
    }
}

/// Characters shown on each side of the column in an excerpt.
const WINDOW: usize = 30;

fn excerpt(
    out: &mut String,
    f: &Finding,
    file: &str,
    lines: &std::collections::BTreeMap<u32, String>,
    color: bool,
) {
    let Some(span) = f.span else { return };
    let _ = writeln!(
        out,
        "   {} {}:{}:{}",
        paint("-->", "1;34", color),
        file,
        span.line,
        span.column
    );
    let Some(line) = lines.get(&span.line) else {
        return;
    };
    // Tabs separate cells; show them as a visible arrow so columns stay aligned.
    let shown: String = line
        .chars()
        .map(|c| if c == '\t' { '→' } else { c })
        .collect();
    // Display columns, as a terminal draws them: CJK two, the arrow and ASCII one.
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    // Long narrative lines: show a window around the column.
    let chars: Vec<char> = shown.trim_end().chars().collect();
    let column = (span.column.saturating_sub(1) as usize).min(chars.len());
    let from = column.saturating_sub(WINDOW);
    let to = (column + WINDOW).min(chars.len());
    let lead = if from > 0 { "…" } else { "" };
    let tail = if to < chars.len() { "…" } else { "" };
    let window: String = chars[from..to].iter().collect();
    let before = format!("{lead}{}", chars[from..column].iter().collect::<String>());
    let number = span.line.to_string();
    let pad = " ".repeat(number.len());
    let _ = writeln!(out, "   {pad} |");
    let _ = writeln!(out, "   {number} | {lead}{window}{tail}");
    let _ = writeln!(
        out,
        "   {pad} | {}{}",
        " ".repeat(width(&before)),
        paint("^", finding_code(f), color)
    );
}

/// One report's part of the terminal scorecard.
pub fn render_terminal_report(r: &Audited, options: TerminalOptions) -> String {
    let mut out = String::new();
    let color = options.color;
    match &r.outcome {
        Err(e) => {
            let _ = writeln!(out, "{} {}: {}", paint("✗", "1;31", color), r.file, e);
        }
        Ok(a) => {
            let rep = &a.report;
            // A score that rests on a doubtful reading says so on the report's line, which is
            // all a quiet run prints.
            let to_review = match a.to_review() {
                0 => String::new(),
                n => paint(&format!(" · {n} 个需复核"), "1;36", color),
            };
            let _ = writeln!(
                out,
                "{} {} · {} · {} 年度 · {} 版格式 · {}{to_review}",
                paint("■", "1", color),
                r.file,
                rep.organ.as_deref().unwrap_or("（机关未识别）"),
                rep.year.map_or("?".to_string(), |y| y.to_string()),
                rep.era.map_or("?", |e| e.as_str()),
                match &a.score.unscored {
                    Some(_) => paint(&a.score.describe(), "1;33", color),
                    None => a.score.describe(),
                }
            );
            if options.quiet {
                // Against a baseline, what changed is what a quiet run is for.
                if !a.baseline.is_empty() || !a.fixed.is_empty() {
                    let new = (0..a.findings.len())
                        .filter(|&i| a.status(i) == Some(crate::BaselineStatus::New))
                        .count();
                    let _ = writeln!(out, "  新增 {new} 个问题, 已修复 {} 个", a.fixed.len());
                }
                return out;
            }
            for i in a.own_first() {
                let f = &a.findings[i];
                let label = format!("{}[{}]", crate::level(f), f.rule);
                let tag = match a.status(i) {
                    Some(crate::BaselineStatus::New) => paint("[new] ", "1;35", color),
                    _ => String::new(),
                };
                let _ = writeln!(
                    out,
                    "  {tag}{} {}",
                    paint(&label, finding_code(f), color),
                    f.message
                );
                if let Some(note) = crate::review_note(f) {
                    let _ = writeln!(out, "   {} {note}", paint("?", "1;36", color));
                }
                excerpt(&mut out, f, &r.file, &a.lines, color);
                if let Some(other) = f.compared_with() {
                    let _ = writeln!(out, "   {} 对比报告: {other}", paint("=", "1;34", color));
                }
            }
            for f in &a.fixed {
                let _ = writeln!(
                    out,
                    "  {} [{}] {}",
                    paint("[fixed]", "1;32", color),
                    f.rule,
                    f.message
                );
            }
            if a.findings.is_empty() {
                let _ = writeln!(out, "  {}", paint("无问题 (no findings)", "32", color));
            }
            let _ = writeln!(out);
        }
    }
    out
}

/// The counts of a batch in one line.
pub(crate) fn summary_line(s: &crate::Summary) -> String {
    let unscored = match s.unscored {
        0 => String::new(),
        n => format!("（其中 {n} 份无法评分）"),
    };
    let to_review = match s.to_review {
        0 => String::new(),
        n => format!("; {n} 个需复核（可能是读取有误，未计入错误）"),
    };
    format!(
        "{} 份报告, {} 份已审{unscored}, {} 份无法读取; {} 个错误, {} 个警告, {} 个提示{to_review}",
        s.files, s.audited, s.failed, s.errors, s.warnings, s.infos
    )
}

/// The close of the terminal scorecard: the files that got no score, below every report,
/// then the counts.
pub fn render_terminal_summary(s: &crate::Summary) -> String {
    let mut out = String::new();
    if !s.unscored_files.is_empty() {
        let _ = writeln!(out, "{}:", crate::UNSCORED_GRADE);
        for (file, why) in &s.unscored_files {
            let _ = writeln!(out, "  {file} — {why}");
        }
    }
    let _ = writeln!(out, "{}", summary_line(s));
    out
}

pub fn render_terminal(results: &[Audited], options: TerminalOptions) -> String {
    let mut out: String = results
        .iter()
        .map(|r| render_terminal_report(r, options))
        .collect();
    out.push_str(&render_terminal_summary(&summarize(results)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding_at(column: u32) -> Finding {
        Finding {
            rule: "T3.ROW_SUM".into(),
            family: nianbao_model::Family::RowSum,
            severity: Severity::Error,
            message: "m".into(),
            cells: Vec::new(),
            section: None,
            span: Some(nianbao_model::SourceSpan {
                start: 0,
                end: 1,
                line: 7,
                column,
            }),
            deduction: 0.0,
            evidence: None,
            fault: Default::default(),
            fault_reason: None,
        }
    }

    /// The caret stands under the character the column names, counted in display columns:
    /// CJK two, the tab arrow one.
    #[test]
    fn the_caret_is_under_its_character_on_cjk_and_tab_lines() {
        let lines = [(7, "本年新收\t自然人\t15\t3".to_string())]
            .into_iter()
            .collect();
        let mut out = String::new();
        // Column 10 is "15": 本年新收 (4 × 2) + → (1) + 自然人 (3 × 2) + → (1) = 16 columns before it.
        excerpt(&mut out, &finding_at(10), "f.txt", &lines, false);
        let shown: Vec<&str> = out.lines().collect();
        assert_eq!(shown[2], "   7 | 本年新收→自然人→15→3");
        let caret = shown[3].find('^').unwrap();
        let line_start = shown[2].find("本").unwrap();
        let before = &shown[2][line_start..shown[2].find("15").unwrap()];
        assert_eq!(
            caret - line_start,
            unicode_width::UnicodeWidthStr::width(before)
        );
        assert_eq!(caret - line_start, 16);
    }
}
