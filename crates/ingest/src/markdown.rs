//! Markdown (as converted from PDF or Word): pipe-table rows become tab-separated rows and
//! a grid (each run of pipe rows one table), separator rows and emphasis markers go,
//! heading markers go; a table written as HTML (converters such as pandoc write tables
//! with merged cells so) is read as a web page's table; everything else is kept as text.

use crate::decode::{Decoded, Offsets};
use crate::document::{Document, Format, TextBuilder};
use crate::grid::{Grid, GridCell, GridSource};

/// The decoded text and the original offset of each of its chars (asked in order).
struct Source<'a> {
    text: &'a str,
    offsets: Offsets<'a>,
}

impl Source<'_> {
    /// The original offset of the char starting at byte `at`.
    fn at(&mut self, at: usize) -> usize {
        self.offsets.at(at)
    }
}

pub fn read(name: &str, decoded: Decoded) -> Document {
    let mut builder = TextBuilder::default();
    let text = decoded.text.as_str();
    let mut source = Source {
        text,
        offsets: Offsets::new(&decoded),
    };
    let mut table: Option<Grid> = None;
    let html_tables = html_tables(text);
    // Chars before a byte position, counted on from the last one asked (blocks come in
    // order): what a fragment of a file in another encoding than UTF-8 needs.
    let mut counted = (0usize, 0usize);
    let mut chars_before = |at: usize| {
        counted.1 += text.get(counted.0..at).map_or(0, |t| t.chars().count());
        counted.0 = at;
        counted.1
    };
    let mut line_start = 0;
    while line_start < text.len() {
        // '\n' and '\r' end lines ("\r\n" once); both are single bytes.
        let line_end = memchr::memchr2(b'\n', b'\r', &text.as_bytes()[line_start..])
            .map_or(text.len(), |k| line_start + k);
        if let Some(block_end) = html_table_end(text, &html_tables, line_start) {
            let fragment = decoded.slice(line_start..block_end, || chars_before(line_start));
            if write_html_table(&mut builder, &fragment, &mut table) {
                line_start = next_line(text, block_end);
                continue;
            }
        }
        write_line(&mut builder, &mut source, line_start..line_end, &mut table);
        let end_offset = match line_end < text.len() {
            true => source.at(line_end),
            false => decoded.end_offset(),
        };
        builder.push_raw('\n', end_offset);
        line_start = line_end + 1;
        if text[line_end..].starts_with("\r\n") {
            line_start += 1;
        }
    }
    finish_pipe_table(&mut builder, &mut table);
    Document::build(name, Format::Markdown, decoded, builder)
}

/// HTML tables in the text: where each `<table` starts and where its matching `</table>`
/// ends (tables inside it counted), by start. One pass over the tags, whatever the text
/// holds (a table searched for its end from every line that opens one would cost the
/// square of a hostile file's length).
fn html_tables(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let opens = |at: usize| {
        bytes
            .get(at..at + 6)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"<table"))
            && bytes
                .get(at + 6)
                .is_some_and(|b| matches!(b, b'>' | b' ' | b'\t' | b'\n' | b'\r'))
    };
    let closes = |at: usize| {
        bytes
            .get(at..at + 8)
            .is_some_and(|b| b.eq_ignore_ascii_case(b"</table>"))
    };
    let mut open: Vec<usize> = Vec::new();
    let mut tables = Vec::new();
    for at in memchr::memchr_iter(b'<', bytes) {
        if opens(at) {
            open.push(at);
        } else if closes(at) {
            if let Some(start) = open.pop() {
                tables.push((start, at + 8));
            }
        }
    }
    tables.sort_unstable();
    tables
}

/// Where the HTML table starting the line at `start` ends, if the line starts one.
fn html_table_end(text: &str, tables: &[(usize, usize)], start: usize) -> Option<usize> {
    let first = start
        + text.as_bytes()[start..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
    let k = tables.binary_search_by_key(&first, |t| t.0).ok()?;
    Some(tables[k].1)
}

/// The start of the line after the one holding `at`.
fn next_line(text: &str, at: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &text.as_bytes()[at..]) {
        Some(k) if text[at + k..].starts_with("\r\n") => at + k + 2,
        Some(k) => at + k + 1,
        None => text.len(),
    }
}

/// Writes an HTML table block (a fragment of the decoded text, with its offsets) as a web
/// page's table: its rows as tab-separated lines and its grid; false, writing nothing,
/// when the block cannot be read as one.
fn write_html_table(builder: &mut TextBuilder, block: &Decoded, table: &mut Option<Grid>) -> bool {
    let Ok(rendered) =
        crate::html::render(block, crate::html::MAX_DEPTH, crate::html::Output::Grids)
    else {
        return false;
    };
    finish_pipe_table(builder, table);
    let shift = builder.len();
    builder.append_range(&rendered, 0, rendered.len());
    for mut grid in rendered.grids {
        grid.shift(shift);
        builder.grids.push(grid);
    }
    true
}

/// Ends the pipe table being read, if any: its grid joins the document's.
fn finish_pipe_table(builder: &mut TextBuilder, table: &mut Option<Grid>) {
    if let Some(mut done) = table.take() {
        done.check_rows_aligned();
        builder.grids.push(done);
    }
}

fn is_separator_row(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Writes one line (a byte range of the text); pipe rows go into `table`, any other line
/// ends it.
fn write_line(
    builder: &mut TextBuilder,
    source: &mut Source,
    line: std::ops::Range<usize>,
    table: &mut Option<Grid>,
) {
    let text = &source.text[line.clone()];
    let trimmed = text.trim_start();
    if is_separator_row(text) {
        return;
    }
    if !trimmed.starts_with('|') {
        finish_pipe_table(builder, table);
    }
    let from = line.start + (text.len() - trimmed.len());
    if trimmed.starts_with('|') {
        let grid = table.get_or_insert_with(|| Grid::new(GridSource::Markdown));
        write_row(builder, source, from..line.end, grid);
    } else {
        let body = trimmed.trim_start_matches('#').trim_start_matches(' ');
        if body.find("![").is_some_and(|at| body[at..].contains("](")) {
            builder.picture();
        }
        // A link's target follows "](" up to ")": a document there is an attachment.
        for after in body.split("](").skip(1) {
            let target = after.split(')').next().unwrap_or_default();
            if let Some(name) = crate::document::attachment_name(target.trim()) {
                builder.attachments.push(name);
            }
        }
        write_inline(builder, source, line.end - body.len()..line.end);
    }
}

/// "| a | b |" → "a\tb", each cell also a cell of the grid's next row.
fn write_row(
    builder: &mut TextBuilder,
    source: &mut Source,
    row: std::ops::Range<usize>,
    grid: &mut Grid,
) {
    let row_index = grid.n_rows;
    // After the leading '|'; up to the last '|' when only whitespace follows it.
    let inner_start = row.start + 1;
    let inner = &source.text[inner_start..row.end];
    let inner_end = match inner.rfind('|') {
        Some(last) if inner[last + 1..].chars().all(char::is_whitespace) => inner_start + last,
        _ => row.end,
    };
    let mut cell_start = inner_start;
    for (i, piece) in cells_of(&source.text[inner_start..inner_end]).enumerate() {
        let cell = cell_start..cell_start + piece.len();
        cell_start = cell.end + 1;
        if i > 0 {
            // An empty cell has no char of its own: offset 0, as before.
            let at = match cell.is_empty() {
                true => 0,
                false => source.at(cell.start),
            };
            builder.push_raw('\t', at);
        }
        let content = piece.trim_start_matches(char::is_whitespace);
        let start = cell.end - content.len();
        let end = start + content.trim_end_matches(char::is_whitespace).len();
        let text_start = builder.len();
        write_inline(builder, source, start..end);
        grid.push(GridCell {
            row: row_index,
            col: i,
            rows: 1,
            cols: 1,
            text: builder.text()[text_start..].to_string(),
            start: text_start,
            end: builder.len(),
            bbox: None,
            rest: None,
        });
    }
    grid.n_rows = row_index + 1;
}

/// A row's cells: its text cut at each `|` but an escaped one (`\|` is a pipe in a cell).
fn cells_of(row: &str) -> impl Iterator<Item = &str> {
    let bytes = row.as_bytes();
    let mut from = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let mut at = from;
        while let Some(k) = memchr::memchr(b'|', &bytes[at..]) {
            let pipe = at + k;
            if pipe > 0 && bytes[pipe - 1] == b'\\' {
                at = pipe + 1;
                continue;
            }
            let cell = &row[from..pipe];
            from = pipe + 1;
            return Some(cell);
        }
        done = true;
        Some(&row[from..])
    })
}

/// Text without emphasis markers (`**`, `__`) and backslash escapes (converters write
/// `277591769\.5` lest the digits start a list, `\|` for a pipe in a cell).
fn write_inline(builder: &mut TextBuilder, source: &mut Source, range: std::ops::Range<usize>) {
    let text = &source.text[range.clone()];
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if (c == '*' || c == '_') && chars.peek().is_some_and(|&(_, n)| n == c) {
            chars.next();
            continue;
        }
        if c == '\\' {
            if let Some(&(k, escaped)) = chars.peek().filter(|(_, n)| n.is_ascii_punctuation()) {
                chars.next();
                builder.push(escaped, source.at(range.start + k));
                continue;
            }
        }
        builder.push(c, source.at(range.start + i));
    }
}

#[cfg(test)]
mod tests {
    use crate::from_bytes;

    #[test]
    fn links_to_documents_are_attachments() {
        let text = "附件：[年度报告](/uploads/P0201.pdf) 与 [目录](/list/index.html)\n";
        let doc = from_bytes("r.md", text.as_bytes()).unwrap();
        assert_eq!(doc.attachments, ["P0201.pdf"]);
    }

    #[test]
    fn an_image_line_is_a_picture() {
        let text = "二、主动公开\n\n![表二](t2.png)\n\n三、申请 ![x] 不是图片\n";
        let doc = from_bytes("r.md", text.as_bytes()).unwrap();
        assert_eq!(
            doc.pictures,
            [doc.text.find("![表二").unwrap()],
            "{:?}",
            doc.text
        );
    }

    #[test]
    fn line_ends_emphasis_and_empty_cells_in_any_encoding() {
        let md =
            "# 标题 **一**\r\n| 项目 || __2__ |  \r| 规章 |  | 3 |\n|---|---|---|\r\n正文 *斜*";
        let utf8 = from_bytes("r.md", md.as_bytes()).unwrap();
        assert_eq!(utf8.text, "标题 一\n项目\t\t2\n规章\t\t3\n\n正文 *斜*\n");
        let (gbk, _, _) = encoding_rs::GBK.encode(md);
        let gbk = from_bytes("r.md", &gbk).unwrap();
        assert_eq!(gbk.text, utf8.text);
        let cells = |d: &crate::Document| -> Vec<(usize, usize, String)> {
            d.grids[0]
                .cells
                .iter()
                .map(|c| (c.row, c.col, c.text.clone()))
                .collect()
        };
        assert_eq!(cells(&gbk), cells(&utf8));
        // A char's span points at its bytes in either file.
        let at = utf8.text.find('3').unwrap();
        assert_eq!(
            &md[utf8.span(at, at + 1).start..utf8.span(at, at + 1).end],
            "3"
        );
    }

    #[test]
    fn html_tables_as_converters_write_them_are_grids() {
        // As pandoc writes a table with merged cells in GitHub Markdown.
        let md = "**二、主动公开**\n\n<table style=\"width:100%;\">\n<tbody>\n<tr>\n\
                  <td colspan=\"3\"><strong>第二十条第（一）项</strong></td>\n</tr>\n<tr>\n\
                  <td>规章</td>\n<td>22</td>\n<td>235</td>\n</tr>\n</tbody>\n</table>\n\n\
                  **三、收到申请**\n| 项目 | 数 |\n|---|---|\n| 新收 | 5 |\n";
        for bytes in [
            md.as_bytes().to_vec(),
            encoding_rs::GBK.encode(md).0.into_owned(),
        ] {
            let doc = from_bytes("r.md", &bytes).unwrap();
            assert_eq!(
                doc.text,
                "二、主动公开\n\n第二十条第(一)项\n规章\t22\t235\n\n三、收到申请\n项目\t数\n\n新收\t5\n"
            );
            assert_eq!(doc.grids.len(), 2);
            let heading = doc.grids[0].covering(0, 1).unwrap();
            assert_eq!((heading.col, heading.cols), (0, 3));
            let cell = doc.grids[0].covering(1, 2).unwrap();
            assert_eq!(&doc.text[cell.start..cell.end], "235");
            let span = doc.span(cell.start, cell.end);
            assert_eq!(span.line, 11);
            let original = String::from_utf8_lossy(&bytes[span.start..span.end]).into_owned();
            assert!(original == "235", "{original:?}");
        }
    }

    #[test]
    fn html_tables_pair_their_tags_nested_or_left_open() {
        let text = "<table>\n<tr><td><TABLE border=1><tr></tr></table></td></tr>\n</table>\n<table\n<tables>";
        let inner = text.find("<TABLE").unwrap();
        let inner_end = text.find("</table>").unwrap() + 8;
        let outer_end = text.rfind("</table>").unwrap() + 8;
        assert_eq!(
            super::html_tables(text),
            vec![(0, outer_end), (inner, inner_end)]
        );
    }

    #[test]
    fn backslash_escapes_are_what_they_escape() {
        let md = "| 政府集中采购 | 256 | 277591769\\.5 | a\\|b |\n|---|---|---|---|\n1\\. 第\\*一\\* 项 \\中\n";
        let doc = from_bytes("r.md", md.as_bytes()).unwrap();
        assert_eq!(
            doc.text,
            "政府集中采购\t256\t277591769.5\ta|b\n\n1. 第*一* 项 \\中\n"
        );
        assert_eq!(doc.grids[0].n_cols, 4);
        let at = doc.text.find(".5").unwrap();
        assert_eq!(
            &md[doc.span(at, at + 2).start..doc.span(at, at + 2).end],
            ".5"
        );
    }

    #[test]
    fn pipe_tables_become_tab_rows() {
        let md =
            "## 二、主动公开\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | **22** | 235 |\n";
        let doc = from_bytes("r.md", md.as_bytes()).unwrap();
        assert_eq!(
            doc.text,
            "二、主动公开\n信息内容\t本年制发件数\n\n规章\t22\t235\n"
        );
        let at = doc.text.find("235").unwrap();
        let span = doc.span(at, at + 3);
        assert_eq!((span.line, &md[span.start..span.end]), (4, "235"));
        let grid = &doc.grids[0];
        assert_eq!((grid.n_rows, grid.n_cols), (2, 3));
        let cell = grid.covering(1, 2).unwrap();
        assert_eq!(&doc.text[cell.start..cell.end], "235");
    }
}
