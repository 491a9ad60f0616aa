//! A Markdown scorecard: a ranking table, then each report's findings (with their status
//! against a baseline, and what was fixed). Report text is escaped for Markdown tables.

use crate::streamed::{render_whole, BatchFormat};
use crate::{Audited, Standing, Summary};
use std::fmt::Write;

fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

const HEAD: &str = "# nianbao 审查结果\n\n| 报告 | 机关 | 年度 | 格式 | 得分 | 错误 | 警告 | 需复核 |\n|---|---|---|---|---:|---:|---:|---:|\n";

/// The Markdown scorecard as a batch format: the ranking's rows noted report by report,
/// each report's section as it comes.
#[derive(Default)]
pub struct MarkdownFormat {
    /// Each report's row of the ranking, with where it ranks.
    ranking: Vec<(Standing, String, String)>,
    summary: Summary,
}

impl BatchFormat for MarkdownFormat {
    fn part(&self, _: usize, r: &Audited) -> String {
        section(r)
    }

    fn note(&mut self, r: &Audited) {
        self.summary.add(r);
        self.ranking
            .push((Standing::of(r), r.file.clone(), ranking_row(r)));
    }

    fn frame(&self, _: bool) -> (String, String) {
        let mut order: Vec<&(Standing, String, String)> = self.ranking.iter().collect();
        order.sort_by(|a, b| Standing::order((a.0, &a.1), (b.0, &b.1)));
        let mut head = String::from(HEAD);
        order.iter().for_each(|(_, _, row)| head.push_str(row));
        let tail = format!("\n{}\n", crate::terminal::summary_line(&self.summary));
        (head, tail)
    }
}

pub fn render_markdown(results: &[Audited]) -> String {
    render_whole(&mut MarkdownFormat::default(), results)
}

/// A report's row of the ranking table.
fn ranking_row(r: &Audited) -> String {
    match &r.outcome {
        Ok(a) => {
            format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                cell(&r.file),
                cell(a.report.organ.as_deref().unwrap_or("")),
                a.report.year.map_or(String::new(), |y| y.to_string()),
                a.report.era.map_or("", |e| e.as_str()),
                match a.score.unscored.as_deref() {
                    Some(why) => cell(&format!("{}：{why}", crate::UNSCORED_GRADE)),
                    None => format!("{:.1}", a.score.value),
                },
                a.count(nianbao_model::Severity::Error),
                a.count(nianbao_model::Severity::Warning),
                a.to_review()
            )
        }
        Err(e) => format!(
            "| {} | 无法读取：{} | | | | | | |\n",
            cell(&r.file),
            cell(e)
        ),
    }
}

/// A readable report's section: its findings, with their status against a baseline, and
/// what was fixed.
fn section(r: &Audited) -> String {
    let Ok(a) = &r.outcome else {
        return String::new();
    };
    let mut out = format!("\n## {}\n\n", cell(&r.file));
    if a.findings.is_empty() && a.fixed.is_empty() {
        out.push_str("无问题。\n");
        return out;
    }
    let with_baseline = !a.baseline.is_empty();
    out.push_str(if with_baseline {
        "| 状态 | 级别 | 规则 | 说明 | 位置 |\n|---|---|---|---|---|\n"
    } else {
        "| 级别 | 规则 | 说明 | 位置 |\n|---|---|---|---|\n"
    });
    for i in a.own_first() {
        let f = &a.findings[i];
        let level = crate::level(f);
        let at = f
            .span
            .map_or(String::new(), |s| format!("{}:{}", s.line, s.column));
        let status = a
            .status(i)
            .map_or(String::new(), |s| format!("{} | ", s.as_str()));
        let compared = f.compared_with().map_or(String::new(), |other| {
            format!("（对比报告：{}）", cell(other))
        });
        let review = crate::review_note(f).map_or(String::new(), |n| format!("（{}）", cell(&n)));
        let _ = writeln!(
            out,
            "| {status}{level} | `{}` | {}{compared}{review} | {} |",
            f.rule,
            cell(&f.message),
            at
        );
    }
    for f in &a.fixed {
        let _ = writeln!(out, "| fixed | | `{}` | {} | |", f.rule, cell(&f.message));
    }
    out
}
