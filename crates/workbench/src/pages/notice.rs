//! 整改通知: for each organ, its confirmed problems with their excerpts, ready to print; the
//! deadline is left blank for the office to fill in.

use super::{esc, frame};
use crate::db::{Batch, StoredReport};
use nianbao_scorecard::{severity_zh, Decision};

pub fn notices(batch: &Batch, reports: &[StoredReport]) -> String {
    let mut body = String::from(
        "<h1 class=\"noprint\">整改通知</h1><p class=\"noprint muted\">每个机关一页，只列审核确认的问题；打印即可（导航与按钮不打印）。</p>",
    );
    let mut any = false;
    for r in reports {
        let Ok(a) = &r.audited.outcome else { continue };
        let confirmed: Vec<usize> = (0..a.findings.len())
            .filter(|&i| {
                a.review(i)
                    .is_some_and(|d| d.decision == Decision::Confirmed)
            })
            .collect();
        if confirmed.is_empty() {
            continue;
        }
        any = true;
        let organ = a.report.organ.as_deref().unwrap_or("（未识别机关）");
        let year = a
            .report
            .year
            .map(|y| format!("{y}年度"))
            .unwrap_or_default();
        body.push_str(&format!(
            "<section class=\"notice\"><h2>关于{year}政府信息公开工作年度报告问题的整改通知</h2><p>{}：</p><p>经审核，你单位{year}政府信息公开工作年度报告存在以下问题，请于＿＿＿＿年＿＿月＿＿日前完成整改并重新发布。</p><ol>",
            esc(organ),
            year = esc(&year)
        ));
        for i in confirmed {
            let f = &a.findings[i];
            let mut item = format!("<li>【{}】{}", severity_zh(f.severity), esc(&f.message));
            if let Some(span) = f.span.filter(|s| s.line > 0) {
                item.push_str(&format!("（第 {} 行）", span.line));
            }
            if let Some(line) = f.span.and_then(|s| a.line(s.line)) {
                item.push_str(&format!("<pre class=\"excerpt\">{}</pre>", esc(line)));
            }
            if let Some(reason) = a.review(i).map(|d| &d.reason).filter(|r| !r.is_empty()) {
                item.push_str(&format!(
                    "<div class=\"muted\">审核意见：{}</div>",
                    esc(reason)
                ));
            }
            item.push_str("</li>");
            body.push_str(&item);
        }
        body.push_str(&format!(
            "</ol><p>报告文件：{}</p><p style=\"text-align:right\">政务公开办<br>＿＿＿＿年＿＿月＿＿日</p></section>",
            esc(&r.name)
        ));
    }
    if !any {
        body.push_str("<p>还没有审核确认的问题：在报告页面把问题标为“确认”后，这里生成通知。</p>");
    }
    frame("整改通知", Some(batch.id), &body)
}
