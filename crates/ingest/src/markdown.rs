//! Markdown (as converted from PDF): pipe-table rows become tab-separated rows and a grid
//! (each run of pipe rows one table), separator rows and emphasis markers go, heading
//! markers go; everything else is kept as text.

use crate::decode::Decoded;
use crate::document::{Document, Format, TextBuilder};
use crate::grid::{Grid, GridCell, GridSource};

pub fn read(name: &str, decoded: &Decoded) -> Document {
    let mut builder = TextBuilder::default();
    let chars: Vec<(char, usize)> = decoded.chars_with_offsets();
    let mut line_start = 0;
    let mut table: Option<Grid> = None;
    while line_start < chars.len() {
        let line_end = (line_start..chars.len())
            .find(|&i| matches!(chars[i].0, '\n' | '\r'))
            .unwrap_or(chars.len());
        let line = &chars[line_start..line_end];
        let end_offset = chars
            .get(line_end)
            .map_or_else(|| decoded.end_offset(), |c| c.1);
        write_line(&mut builder, line, &mut table);
        builder.push_raw('\n', end_offset);
        line_start = line_end + 1;
        if chars.get(line_end).is_some_and(|c| c.0 == '\r')
            && chars.get(line_start).is_some_and(|c| c.0 == '\n')
        {
            line_start += 1;
        }
    }
    if let Some(mut done) = table {
        done.check_rows_aligned();
        builder.grids.push(done);
    }
    Document::build(name, Format::Markdown, decoded, builder)
}

fn is_separator_row(text: &str) -> bool {
    let t = text.trim();
    t.starts_with('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

/// Writes one line; pipe rows go into `table`, any other line ends it.
fn write_line(builder: &mut TextBuilder, line: &[(char, usize)], table: &mut Option<Grid>) {
    let text: String = line.iter().map(|c| c.0).collect();
    let trimmed = text.trim_start();
    if is_separator_row(&text) {
        return;
    }
    if !trimmed.starts_with('|') {
        if let Some(mut done) = table.take() {
            done.check_rows_aligned();
            builder.grids.push(done);
        }
    }
    let skip = text.len() - trimmed.len();
    let mut chars: Vec<(char, usize)> = Vec::new();
    let mut byte = 0;
    for &(c, at) in line {
        if byte >= skip {
            chars.push((c, at));
        }
        byte += c.len_utf8();
    }
    if trimmed.starts_with('|') {
        let grid = table.get_or_insert_with(|| Grid::new(GridSource::Markdown));
        write_row(builder, &chars, grid);
    } else {
        let body = chars
            .iter()
            .skip_while(|c| c.0 == '#')
            .skip_while(|c| c.0 == ' ');
        write_inline(builder, body.copied().collect::<Vec<_>>().as_slice());
    }
}

/// "| a | b |" → "a\tb", each cell also a cell of the grid's next row.
fn write_row(builder: &mut TextBuilder, chars: &[(char, usize)], grid: &mut Grid) {
    let row = grid.n_rows;
    let inner = &chars[1..];
    let inner = match inner.iter().rposition(|c| c.0 == '|') {
        Some(last) if inner[last + 1..].iter().all(|c| c.0.is_whitespace()) => &inner[..last],
        _ => inner,
    };
    for (i, cell) in inner.split(|c| c.0 == '|').enumerate() {
        if i > 0 {
            builder.push_raw('\t', cell.first().map_or(0, |c| c.1));
        }
        let start = cell
            .iter()
            .position(|c| !c.0.is_whitespace())
            .unwrap_or(cell.len());
        let end = cell
            .iter()
            .rposition(|c| !c.0.is_whitespace())
            .map_or(start, |e| e + 1);
        let text_start = builder.len();
        write_inline(builder, &cell[start..end.max(start)]);
        grid.push(GridCell {
            row,
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
    grid.n_rows = row + 1;
}

/// Text without emphasis markers (`**`, `__`).
fn write_inline(builder: &mut TextBuilder, chars: &[(char, usize)]) {
    let mut i = 0;
    while i < chars.len() {
        let (c, at) = chars[i];
        let doubled = chars.get(i + 1).is_some_and(|n| n.0 == c);
        if (c == '*' || c == '_') && doubled {
            i += 2;
            continue;
        }
        builder.push(c, at);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::from_bytes;

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
