//! A Markdown scorecard: a ranking table, then each report's findings (with their status
//! against a baseline, and what was fixed). Report text is escaped for Markdown tables.

use crate::{summarize, Audited};
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

pub fn render_markdown(results: &[Audited]) -> String {
    let mut out = String::from("# nianbao 审查结果\n\n| 报告 | 机关 | 年度 | 格式 | 得分 | 错误 | 警告 |\n|---|---|---|---|---:|---:|---:|\n");
    let mut ranked: Vec<&Audited> = results.iter().collect();
    ranked.sort_by(|a, b| crate::ranking_order(a, b));
    for r in &ranked {
        match &r.outcome {
            Ok(a) => {
                let count = |s: nianbao_model::Severity| {
                    a.findings.iter().filter(|f| f.severity == s).count()
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    cell(&r.file),
                    cell(a.report.organ.as_deref().unwrap_or("")),
                    a.report.year.map_or(String::new(), |y| y.to_string()),
                    a.report.era.map_or("", |e| e.as_str()),
                    match a.score.unscored.as_deref() {
                        Some(why) => cell(&format!("{}：{why}", crate::UNSCORED_GRADE)),
                        None => format!("{:.1}", a.score.value),
                    },
                    count(nianbao_model::Severity::Error),
                    count(nianbao_model::Severity::Warning)
                );
            }
            Err(e) => {
                let _ = writeln!(
                    out,
                    "| {} | 无法读取：{} | | | | | |",
                    cell(&r.file),
                    cell(e)
                );
            }
        }
    }
    for r in results {
        let Ok(a) = &r.outcome else { continue };
        let _ = writeln!(out, "\n## {}\n", cell(&r.file));
        if a.findings.is_empty() && a.fixed.is_empty() {
            out.push_str("无问题。\n");
            continue;
        }
        let with_baseline = !a.baseline.is_empty();
        out.push_str(if with_baseline {
            "| 状态 | 级别 | 规则 | 说明 | 位置 |\n|---|---|---|---|---|\n"
        } else {
            "| 级别 | 规则 | 说明 | 位置 |\n|---|---|---|---|\n"
        });
        for (i, f) in a.findings.iter().enumerate() {
            let at = f
                .span
                .map_or(String::new(), |s| format!("{}:{}", s.line, s.column));
            let status = a
                .status(i)
                .map_or(String::new(), |s| format!("{} | ", s.as_str()));
            let compared = f.compared_with().map_or(String::new(), |other| {
                format!("（对比报告：{}）", cell(other))
            });
            let review =
                crate::review_note(f).map_or(String::new(), |n| format!("（{}）", cell(&n)));
            let _ = writeln!(
                out,
                "| {status}{} | `{}` | {}{compared}{review} | {} |",
                f.severity,
                f.rule,
                cell(&f.message),
                at
            );
        }
        for f in &a.fixed {
            let _ = writeln!(out, "| fixed | | `{}` | {} | |", f.rule, cell(&f.message));
        }
    }
    let s = summarize(results);
    let _ = writeln!(out, "\n{}", crate::terminal::summary_line(&s));
    out
}
