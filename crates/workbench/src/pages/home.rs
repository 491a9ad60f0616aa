//! The batches, the import form, the decision log and the login page.

use super::{esc, frame};
use crate::db::{Batch, LogEntry};

pub fn home(batches: &[Batch], csrf: &str, max_file_mb: usize) -> String {
    let mut body = String::from("<h1>批次</h1>");
    if batches.is_empty() {
        body.push_str("<p>还没有导入报告。</p>");
    } else {
        body.push_str("<table><thead><tr><th>批次</th><th>导入时间（UTC）</th><th>来源</th><th>文件</th><th>状态</th><th>规则包</th></tr></thead><tbody>");
        for b in batches {
            let packs: Vec<String> = b
                .setup
                .packs
                .iter()
                .map(|p| format!("{} {}", p.name, p.version))
                .collect();
            body.push_str(&format!(
                r#"<tr><td><a href="/batches/{id}">批次 {id}</a></td><td>{}</td><td>{}</td><td class="n">{}</td><td>{}</td><td>{}</td></tr>"#,
                esc(&b.created),
                origin_zh(&b.origin),
                b.total,
                match b.running {
                    true => format!("审查中 {}/{}", b.done, b.total),
                    false => "完成".into(),
                },
                esc(&packs.join("、")),
                id = b.id,
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str(&import_form(csrf, max_file_mb));
    frame("批次", batches.first().map(|b| b.id), &body)
}

fn origin_zh(origin: &str) -> &'static str {
    match origin {
        "upload" => "上传",
        "paths" => "命令行路径",
        "cli" => "nianbao audit --db",
        _ => "其他",
    }
}

pub fn import_form(csrf: &str, max_file_mb: usize) -> String {
    format!(
        r#"<h2>导入报告</h2><form id="import" method="post" action="/import" enctype="multipart/form-data"><input type="hidden" name="csrf" value="{csrf}"><p>文件：<input type="file" name="files" id="files" multiple accept=".txt,.md,.markdown,.html,.htm,.mht,.mhtml,.pdf,.ofd,.docx,.doc,.wps,.rtf"></p><p>或整个文件夹：<input type="file" name="files" id="folder" webkitdirectory multiple></p><p><button id="start-import">导入并审查</button> <span class="muted">每个文件不超过 {max_file_mb} MB；文件保存在数据库旁的文件夹里，按内容哈希命名。</span></p></form>"#,
        csrf = esc(csrf)
    )
}

pub fn log(entries: &[LogEntry]) -> String {
    let mut body = String::from("<h1>审核记录</h1>");
    if entries.is_empty() {
        body.push_str("<p>还没有审核记录。</p>");
        return frame("审核记录", None, &body);
    }
    body.push_str("<table><thead><tr><th>时间（UTC）</th><th>审核人</th><th>结论</th><th>理由</th><th>规则</th><th>机关</th><th>年度</th><th>指纹</th></tr></thead><tbody>");
    for e in entries {
        let decision =
            nianbao_scorecard::Decision::parse(&e.decision).map_or("撤销", |d| d.label());
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            esc(&e.decided),
            esc(&e.reviewer),
            decision,
            esc(&e.reason),
            esc(&e.rule),
            esc(e.organ.as_deref().unwrap_or("")),
            e.year.map(|y| y.to_string()).unwrap_or_default(),
            esc(&e.fingerprint)
        ));
    }
    body.push_str("</tbody></table>");
    frame("审核记录", None, &body)
}

pub fn login(failed: bool) -> String {
    let note = match failed {
        true => "<p class=\"error\">令牌不对。</p>",
        false => "",
    };
    let body = format!(
        r#"<h1>登录</h1>{note}<form method="post" action="/login"><p>令牌（启动时的 --token）：<input type="password" name="token" autofocus></p><p><button>登录</button></p></form>"#
    );
    frame("登录", None, &body)
}
