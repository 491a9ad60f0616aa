//! HTML as government CMSs publish reports: a site header and breadcrumb, the article in a
//! layout table or not, data tables with rowspan/colspan, `&nbsp;` in empty cells, labels
//! wrapped with `<br>` or set in `<p><span>` with inline styles, entities.

use super::Layout;
use crate::form::{Kind, Table};
use crate::narrative::{Block, Composed};
use crate::rng::Rng;

pub const LAYOUTS: &[Layout] = &[
    Layout::HtmlCms,
    Layout::HtmlStyled,
    Layout::HtmlLayoutTable,
    Layout::HtmlOffice,
    Layout::HtmlArchive,
    Layout::HtmlSpansStripped,
];

struct Style {
    styled: bool,
    entities: bool,
    nbsp: bool,
    th_headers: bool,
    /// Whether merged cells keep their rowspan and colspan (an editor that strips them
    /// leaves each merged cell one plain cell).
    spans: bool,
}

pub fn render(report: &Composed, layout: Layout, rng: &mut Rng) -> String {
    let style = Style {
        styled: layout == Layout::HtmlStyled || rng.chance(0.3),
        entities: rng.chance(0.5),
        nbsp: rng.chance(0.7),
        th_headers: layout == Layout::HtmlLayoutTable,
        spans: layout != Layout::HtmlSpansStripped,
    };
    let outer = layout == Layout::HtmlLayoutTable;
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n");
    out.push_str(&format!(
        "<title>{}_{}</title>\n",
        escape(&report.title, &style),
        escape(&report.organ, &style)
    ));
    out.push_str("<style>.content p{line-height:1.8em}</style>\n<script type=\"text/javascript\">var columnId = '1024';</script>\n</head>\n<body>\n");
    out.push_str("<div class=\"top\"><a href=\"/\">网站首页</a> | <a href=\"/zwgk/\">政务公开</a> | <a href=\"/hdjl/\">互动交流</a></div>\n");
    out.push_str("<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"/zwgk/\">政务公开</a> &gt; 政府信息公开年报</div>\n");
    if outer {
        out.push_str("<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr><td class=\"main\">\n");
    }
    for block in &report.blocks {
        match block {
            Block::PageTop(lines) => {
                // The breadcrumb is always on the page; the metadata block when given.
                for line in lines.iter().filter(|l| l.contains("发布机构")) {
                    out.push_str(&format!("<div class=\"meta\">{}</div>\n", escape(line, &style)));
                }
            }
            Block::Title(lines) => {
                let lines: Vec<String> = lines.iter().map(|l| escape(l, &style)).collect();
                out.push_str(&format!(
                    "<div class=\"title\"><h1 style=\"text-align:center\">{}</h1></div>\n<div class=\"content\">\n",
                    lines.join("<br/>")
                ));
            }
            Block::Heading(t) => out.push_str(&match rng.below(3) {
                0 => format!("<h3>{}</h3>\n", escape(t, &style)),
                1 => format!("<p style=\"text-indent:2em\"><strong>{}</strong></p>\n", escape(t, &style)),
                _ => format!("<p style=\"text-indent:2em\"><span style=\"font-family:黑体\">{}</span></p>\n", escape(t, &style)),
            }),
            Block::Paragraph(t) => out.push_str(&match style.styled {
                true => format!(
                    "<p style=\"text-indent:2em\"><span style=\"font-family:仿宋_GB2312;font-size:16pt\">{}</span></p>\n",
                    escape(t, &style)
                ),
                false => format!("<p>{}</p>\n", escape(t, &style)),
            }),
            Block::Signature(lines) => {
                for line in lines {
                    out.push_str(&format!("<p style=\"text-align:right\">{}</p>\n", escape(line, &style)));
                }
            }
            Block::Table(table) => out.push_str(&data_table(table, &style, rng)),
        }
    }
    out.push_str("</div>\n");
    if outer {
        out.push_str("</td></tr></table>\n");
    }
    out.push_str(&format!(
        "<div class=\"footer\">主办单位：{}</div>\n</body>\n</html>\n",
        escape(&report.organ, &style)
    ));
    out
}

fn escape(text: &str, style: &Style) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '“' if style.entities => out.push_str("&ldquo;"),
            '”' if style.entities => out.push_str("&rdquo;"),
            '、' if style.entities => out.push_str("&#12289;"),
            _ => out.push(ch),
        }
    }
    out
}

/// A label broken over lines with `<br>` at random places, as editors wrap long cells.
fn wrapped(text: &str, style: &Style, rng: &mut Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 10 || !rng.chance(0.4) {
        return escape(text, style);
    }
    let at = rng.between(4, chars.len() - 3);
    let (a, b): (String, String) = (chars[..at].iter().collect(), chars[at..].iter().collect());
    format!("{}<br/>{}", escape(&a, style), escape(&b, style))
}

fn data_table(table: &Table, style: &Style, rng: &mut Rng) -> String {
    let mut out = String::from(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" align=\"center\" style=\"border-collapse:collapse;width:600px\">\n<tbody>\n",
    );
    for r in 0..table.n_rows {
        out.push_str("<tr>");
        for cell in table.row(r) {
            let tag = match (cell.kind, style.th_headers) {
                (Kind::Header, true) => "th",
                _ => "td",
            };
            let mut attrs = String::new();
            if cell.rows > 1 && style.spans {
                attrs.push_str(&format!(" rowspan=\"{}\"", cell.rows));
            }
            if cell.cols > 1 && style.spans {
                attrs.push_str(&format!(" colspan=\"{}\"", cell.cols));
            }
            if style.styled {
                attrs.push_str(
                    " style=\"border:solid windowtext 1.0pt;padding:0cm 5.4pt\" valign=\"middle\"",
                );
            }
            let body = match cell.text.is_empty() {
                true if style.nbsp => "&nbsp;".to_string(),
                true => String::new(),
                false if cell.kind == Kind::Value => escape(&cell.text, style),
                false => wrapped(&cell.text, style, rng),
            };
            let body = match style.styled {
                true => format!("<p style=\"text-align:center\"><span style=\"font-size:10.5pt\">{body}</span></p>"),
                false => body,
            };
            out.push_str(&format!("<{tag}{attrs}>{body}</{tag}>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}
