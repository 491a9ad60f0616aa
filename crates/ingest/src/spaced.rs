//! Plain text whose tables are laid out with runs of spaces (what `pdftotext -layout` and
//! some crawlers write): each character becomes a glyph at its display column and line, and
//! the same alignment reader that finds PDF tables without ruling finds these, so a blank
//! cell stays blank in its column and a wrapped label joins its row.

use crate::document::Document;
use crate::grid::{Grid, GridCell, GridSource};
use crate::pdf::{aligned, Glyph};
use std::collections::HashMap;

/// Line pitch in units of one display column (a line is a little taller than a character).
const PITCH: f64 = 1.2;

/// Display columns a character takes: CJK and full-width forms two, others one.
fn width(ch: char) -> f64 {
    if (ch as u32) >= 0x2E80 {
        2.0
    } else {
        1.0
    }
}

/// Lines laid out in columns (and no tab): three runs of words apart by two spaces or more,
/// or two whose second is a number. A caption "图15  利用…" is not.
fn is_spaced(line: &str) -> bool {
    // Most lines are prose, without two spaces in a row: answered before splitting.
    let bytes = line.as_bytes();
    if memchr::memchr(b'\t', bytes).is_some() || memchr::memmem::find(bytes, b"  ").is_none() {
        return false;
    }
    let mut runs = line.split("  ").map(str::trim).filter(|r| !r.is_empty());
    let (Some(_), Some(second)) = (runs.next(), runs.next()) else {
        return false;
    };
    runs.next().is_some() || second.starts_with(|c: char| c.is_ascii_digit())
}

/// A page's number between two pages of a table ("-3-", "- 3 -", "第 3 页"; text
/// extracted from a PDF keeps them): no row of it. A bare number, or a signed one, is
/// not: it may be a row's value; nor are values in columns ("-3   -": -3 and a blank).
fn is_page_number(line: &str) -> bool {
    let text = line.trim_matches(|c: char| c.is_whitespace() || c == '\x0c');
    let is_dash = |c: char| matches!(c, '-' | '—' | '–');
    let number = |t: &str| {
        let t = t.strip_prefix(' ').unwrap_or(t);
        let t = t.strip_suffix(' ').unwrap_or(t);
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit())
    };
    let dashed = text
        .strip_prefix(is_dash)
        .and_then(|t| t.strip_suffix(is_dash))
        .is_some_and(number);
    let page = text
        .strip_prefix('第')
        .and_then(|t| t.strip_suffix('页'))
        .is_some_and(number);
    dashed || page
}

/// Lines this far from a spaced line may still belong to its table (a label wrapped over
/// several lines, header lines).
const REACH: usize = 8;

/// The grids of a plain-text document's space-aligned tables; cell ranges in its text.
/// Columns are counted on the file as decoded: normalising the text (full-width brackets
/// to ASCII) narrows characters the file's layout gave two columns.
///
/// Text laid out for a screen gives a Chinese character two columns; `pdftotext -layout`
/// often gives it one (it places characters by their position on the page, at a pitch of
/// its own). Read with the wrong width, labels run into the values' columns ("0计这一")
/// and two columns' numbers fall into one cell ("0 0"): such a reading is tried again
/// with one column a character, and the reading with fewer cells of words and a number,
/// then fewer cells of two numbers, is kept (the table reader takes "0 0" as values,
/// while a label run into a value loses both).
pub(crate) fn grids(doc: &Document) -> Vec<Grid> {
    let text = doc.text.as_str();
    // Lines as the document cuts them (a "\r" left at a line's end changes no answer of
    // is_spaced: it is trimmed with the runs).
    let lines: Vec<(usize, &str)> = crate::scan::line_ranges(text)
        .map(|(start, end, _)| (start, &text[start..end]))
        .collect();
    if lines.iter().filter(|(_, l)| is_spaced(l)).take(3).count() < 3 {
        return Vec::new();
    }
    let on_screen = grids_at(doc, &lines, 2.0);
    let misread = misread_cells(&on_screen);
    if misread == (0, 0) {
        return on_screen;
    }
    let by_position = grids_at(doc, &lines, 1.0);
    match misread_cells(&by_position) < misread {
        true => by_position,
        false => on_screen,
    }
}

/// Whether a cell's text holds Chinese words and a number: digits that are not an item
/// number ("1. 属于国家秘密", "其中:1.网站公开", "(1)"), a date ("2012年度"), a count in
/// words ("计1条") or in a note in parentheses ("(不同渠道…计1条)", or the note's end on a
/// line of its own: "信息计1条)").
fn words_and_a_number(text: &str) -> bool {
    if !text.chars().any(|ch| width(ch) > 1.0) {
        return false;
    }
    let is_open = |ch: char| matches!(ch, '(' | '（');
    let is_close = |ch: char| matches!(ch, ')' | '）');
    // A closing bracket before any opening one ends a note begun on an earlier line.
    let note_end = match (text.find(is_open), text.find(is_close)) {
        (open, Some(close)) if open.is_none_or(|open| open > close) => close,
        _ => 0,
    };
    let mut depth = 0usize;
    let mut before = ' ';
    let mut chars = text[note_end..].chars().peekable();
    while let Some(ch) = chars.next() {
        if is_open(ch) {
            depth += 1;
        } else if is_close(ch) {
            depth = depth.saturating_sub(1);
        } else if ch.is_ascii_digit() && depth == 0 {
            while chars.next_if(char::is_ascii_digit).is_some() {}
            let after = chars.peek().copied().unwrap_or(' ');
            let item = matches!(after, '.' | '、' | '．') || is_open(before);
            let date = matches!(after, '年' | '月' | '日');
            let count = "条件个项次人".contains(after);
            if !item && !date && !count {
                return true;
            }
        }
        before = ch;
    }
    false
}

/// Signs of columns read with the wrong character width: cells holding words and a
/// number ("0计这一": a label run into its value's column), then cells holding two numbers
/// or more ("0 0").
fn misread_cells(grids: &[Grid]) -> (usize, usize) {
    let mixed = grids
        .iter()
        .flat_map(|g| &g.cells)
        .filter(|c| words_and_a_number(&c.text))
        .count();
    (mixed, numbers_run_together(grids))
}

/// How many cells hold two numbers or more ("0 0"): columns read apart from their values.
fn numbers_run_together(grids: &[Grid]) -> usize {
    grids
        .iter()
        .flat_map(|g| &g.cells)
        .filter(|c| {
            c.text
                .split_whitespace()
                .filter(|w| w.starts_with(|ch: char| ch.is_ascii_digit()))
                .nth(1)
                .is_some()
        })
        .count()
}

/// The grids of the lines, a wide character (Chinese, full-width) taking `wide` columns,
/// each page's (after a form feed: `pdftotext` starts a page so) found apart: a page is
/// laid out on its own, so the columns of a table a page break split need not line up
/// with those above the break (blank columns packed narrower, the values of one column
/// where another's stand on the page before).
fn grids_at(doc: &Document, lines: &[(usize, &str)], wide: f64) -> Vec<Grid> {
    lines
        .chunk_by(|_, (_, next)| !next.starts_with('\x0c'))
        .flat_map(|page| page_grids_at(doc, page, wide))
        .collect()
}

/// The grids of one page's lines (see `grids_at`).
fn page_grids_at(doc: &Document, lines: &[(usize, &str)], wide: f64) -> Vec<Grid> {
    let columns = |ch: char| match width(ch) > 1.0 {
        true => wide,
        false => 1.0,
    };
    // The width of the source char at an original offset. UTF-8 text is the file itself:
    // its char is read there; other encodings' chars are listed by index once.
    let (source, utf8_base) = (doc.source_text(), doc.source_utf8_base());
    let listed_widths: Vec<f64> = match utf8_base {
        Some(_) => Vec::new(),
        None => source.chars().map(columns).collect(),
    };
    let source_width = |original: usize| -> Option<f64> {
        match utf8_base {
            Some(base) => {
                let rest = source.get(original.checked_sub(base)?..)?;
                rest.chars().next().map(columns)
            }
            None => listed_widths.get(doc.source_char_at(original)?).copied(),
        }
    };
    let width_at =
        |at: usize, ch: char| source_width(doc.original_offset(at)).unwrap_or_else(|| columns(ch));
    let height = (lines.len() as f64 + 1.0) * PITCH;
    let mut glyphs = Vec::new();
    // (line, column, text offset) of each glyph; in line and column order as they are made.
    let mut offset_of: Vec<(usize, i64, usize)> = Vec::new();
    // Only the lines near spaced lines are looked at: prose is no table.
    let mut near = vec![false; lines.len()];
    for (n, (_, line)) in lines.iter().enumerate() {
        if is_spaced(line) {
            let from = n.saturating_sub(REACH);
            let to = (n + REACH + 1).min(lines.len());
            near[from..to].iter_mut().for_each(|x| *x = true);
        }
    }
    for (n, (start, line)) in lines.iter().enumerate() {
        if !near[n] || memchr::memchr(b'\t', line.as_bytes()).is_some() || is_page_number(line) {
            continue;
        }
        let mut column = 0.0;
        for (i, ch) in line.char_indices() {
            let w = width_at(start + i, ch);
            if !ch.is_whitespace() {
                glyphs.push(Glyph {
                    ch,
                    x: column,
                    y: height - (n as f64 + 1.0) * PITCH,
                    width: w,
                    size: 1.0,
                });
                offset_of.push((n, column as i64, start + i));
            }
            column += w;
        }
    }
    let (tables, _) = aligned::tables(glyphs, height, aligned::GroupHeaders::LeftAligned);
    let locate = |g: &Glyph| {
        let n = ((height - g.y) / PITCH).round() as usize - 1;
        offset_of
            .binary_search_by_key(&(n, g.x as i64), |&(n, x, _)| (n, x))
            .ok()
            .map(|i| offset_of[i].2)
            .map(|at| (at, at + g.ch.len_utf8()))
    };
    tables
        .into_iter()
        .map(|t| {
            let mut grid = Grid::new(GridSource::SpacedText);
            // A blank cell sits where its row's first character is.
            let row_start: HashMap<usize, usize> = t
                .table
                .cells
                .iter()
                .zip(&t.cells)
                .filter_map(|(c, g)| {
                    Some((c.row, g.iter().filter_map(&locate).map(|r| r.0).min()?))
                })
                .fold(HashMap::new(), |mut m, (row, at)| {
                    let e = m.entry(row).or_insert(at);
                    *e = (*e).min(at);
                    m
                });
            for (cell, glyphs) in t.table.cells.iter().zip(t.cells) {
                let text: String = crate::pdf::lines_text(glyphs.clone());
                let ranges: Vec<(usize, usize)> = glyphs.iter().filter_map(&locate).collect();
                let at = row_start.get(&cell.row).copied().unwrap_or(0);
                let start = ranges.iter().map(|r| r.0).min().unwrap_or(at);
                let end = ranges.iter().map(|r| r.1).max().unwrap_or(at);
                grid.push(GridCell {
                    row: cell.row,
                    col: cell.col,
                    rows: cell.rows,
                    cols: cell.cols,
                    text,
                    start,
                    end,
                    bbox: None,
                    rest: None,
                });
            }
            grid.n_rows = grid.n_rows.max(t.table.ys.len().saturating_sub(1));
            grid
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of the cells of `cell`'s row from column `col` on, left to right, in the
    /// grid that holds it (each page has grids of its own).
    fn words_from<'g>(grids: &'g [Grid], cell: &GridCell, col: usize) -> Vec<&'g str> {
        let grid = grids
            .iter()
            .find(|g| g.cells.iter().any(|c| std::ptr::eq(c, cell)))
            .expect("a cell of the grids");
        let mut cells: Vec<&GridCell> = grid
            .cells
            .iter()
            .filter(|c| c.row == cell.row && c.col >= col)
            .collect();
        cells.sort_by_key(|c| c.col);
        cells
            .iter()
            .flat_map(|c| c.text.split_whitespace())
            .collect()
    }

    fn grids_of(text: &str) -> Vec<Grid> {
        let decoded = crate::decode::decode_with_hint(text.as_bytes(), None).unwrap();
        grids(&Document::plain("t.txt", crate::Format::Text, decoded))
    }

    /// A table whose first column holds full-width brackets (two columns each in the file).
    const FULL_WIDTH_TABLE: &str = "项目                自然人  法人  总计\n\
                                    （一）予以公开              7     7\n\
                                    三、不予公开        3             3\n\
                                    四、其他            1       0     1\n";

    #[test]
    fn full_width_brackets_keep_their_two_columns() {
        // （一） takes six columns in the file, though the text reads it as "(一)": counted
        // on the text, 7 would slide under 自然人 and the columns would run together.
        let text = FULL_WIDTH_TABLE;
        let g = &grids_of(text)[0];
        let row = |r: usize| -> Vec<String> {
            (1..4)
                .map(|c| g.covering(r, c).map_or("?".into(), |x| x.text.clone()))
                .collect()
        };
        assert_eq!(row(1), ["", "7", "7"]);
        assert_eq!(row(2), ["3", "", "3"]);
        assert_eq!(row(3), ["1", "0", "1"]);
    }

    #[test]
    fn a_gbk_file_keeps_its_full_width_columns_as_a_utf8_one_does() {
        // The widths of a file in another encoding are read from its decoded chars by
        // index, those of a UTF-8 file at their offsets: both give the same grid.
        let text = FULL_WIDTH_TABLE;
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let decoded = crate::decode::decode_with_hint(&gbk, Some(encoding_rs::GBK)).unwrap();
        assert!(decoded.utf8_base.is_none());
        let doc = Document::plain("t.txt", crate::Format::Text, decoded);
        let from_gbk = &grids(&doc)[0];
        let from_utf8 = &grids_of(text)[0];
        assert_eq!(rows_of(from_gbk), rows_of(from_utf8));
        assert_eq!(rows_of(from_gbk)[1], "(一)予以公开||7|7");
    }

    #[test]
    fn group_headers_printed_at_the_left_span_their_columns() {
        // 行政复议 stands over three columns, 行政诉讼 over six; 维持 纠正 总计 of 行政复议
        // have no row of sub-headers under them.
        let text = [
            "行政复议          行政诉讼",
            "维持  纠正  总计  直接起诉          复议后起诉",
            "                  维持  纠正  总计  维持  纠正  总计",
            "3     1     4     0     2     2     1     0     1\n",
        ]
        .join("\n");
        let g = &grids_of(&text)[0];
        let spans = |text: &str| -> Vec<(usize, usize, usize, usize)> {
            g.cells
                .iter()
                .filter(|c| c.text == text)
                .map(|c| (c.row, c.col, c.rows, c.cols))
                .collect()
        };
        assert_eq!(spans("行政复议"), [(0, 0, 1, 3)]);
        assert_eq!(spans("行政诉讼"), [(0, 3, 1, 6)]);
        assert_eq!(spans("直接起诉"), [(1, 3, 1, 3)]);
        assert_eq!(spans("复议后起诉"), [(1, 6, 1, 3)]);
        assert_eq!(spans("维持")[0], (1, 0, 2, 1));
        assert_eq!(g.covering(3, 2).map(|c| c.text.as_str()), Some("4"));
        assert_eq!(g.covering(3, 6).map(|c| c.text.as_str()), Some("1"));
    }

    /// 表三 as `pdftotext -layout` writes it (the lab's PDF of seed 001): labels wrapped
    /// over lines in narrow columns, values between a label's parts. Read with two columns
    /// a character, labels run into the values' columns ("本 (三 1、属于国 0"); with one
    /// column a character they do not, though more cells hold two values ("0 0"), which
    /// the table reader takes as values still.
    #[test]
    fn labels_run_into_values_choose_one_column_a_character() {
        let text = "三.收到和处理政府信息公开申请情况\n\
                    \x20                          申请人情况\n\
                    （本列数据的勾稽关系\n\
                    \x20                        法人或其他组织\n\
                    为：第一项加第二项之\n\
                    \x20             自然             社会  法律\n\
                    和,等于第三项加第四         商业   科研                 总计\n\
                    \x20              人             公益  服务   其他\n\
                    \x20  项之和）            企业   机构\n\
                    \x20                            组织  机构\n\
                    一、本年新收政府信息\n\
                    \x20             19   0    0   0    0    0    19\n\
                    \x20 公开申请数量\n\
                    二、上年结转政府信息\n\
                    \x20             0    0    0   0    0    0    0\n\
                    \x20 公开申请数量\n\
                    三  （一）予以公开    8    0    0   0    0    0    8\n\
                    、  （二）部分公开    1    0    0   0    0    0    1\n\
                    本 （三 1、属于国\n\
                    \x20             0    0    0   0    0    0    0\n\
                    年 ）不   家秘密\n\
                    度 予公 2、其他法\n\
                    办  开  律行政法\n\
                    \x20             0    0    0   0    0    0    0\n\
                    理     规禁止公\n\
                    结       开\n\
                    果      3、危    0    0    0   0    0    0    0\n\
                    \x20     及\"三安全\n\
                    \x0c      一稳定\"\n\
                    \x20    4、保护第\n\
                    \x20     三方合法   0   0   0   0   0   0   0\n\
                    \x20       权益\n\
                    \x20    5、属于三\n\
                    \x20     类内部事   0   0   0   0   0   0   0\n\
                    \x20      务信息\n\
                    \x20    6、属于四\n\
                    \x20     类过程性   0   0   0   0   0   0   0\n\
                    \x20       信息\n\
                    \x20    7、属于行\n\
                    \x20     政执法案   0   0   0   0   0   0   0\n\
                    \x20        卷\n\
                    \x20    8、属于行\n\
                    \x20     政查询事   0   0   0   0   0   0   0\n\
                    \x20        项\n";
        let grids = grids_of(text);
        let cells = || grids.iter().flat_map(|g| &g.cells);
        let mixed: Vec<&str> = cells()
            .filter(|c| words_and_a_number(&c.text))
            .map(|c| c.text.as_str())
            .collect();
        assert!(mixed.is_empty(), "{mixed:?}");
        let first = cells()
            .find(|c| c.text.starts_with("19"))
            .expect("the row of 19");
        assert_eq!(
            words_from(&grids, first, first.col),
            ["19", "0", "0", "0", "0", "0", "19"]
        );
    }

    /// `pdftotext -layout` lays out each page on its own (the lab's text of gold report 009
    /// from the 表三 heading to 表四's values): the 表三 there leaves its organisations'
    /// columns blank, and the next pages pack its two columns of values closer and set
    /// 表四's values where the first page has gutters. Read as one page, 自然人, 商业企
    /// and three more headers ran into one cell over the 26s, which were read as 商业企业's.
    #[test]
    fn each_page_of_a_table_over_a_page_break_has_its_own_columns() {
        let text = include_str!("../../../tests/fixtures/pdftext-t3-over-pages.txt");
        assert_eq!(text.matches('\x0c').count(), 2);
        let grids = grids_of(text);
        let cell = |text: &str| {
            grids
                .iter()
                .flat_map(|g| &g.cells)
                .find(|c| c.text == text)
                .unwrap_or_else(|| panic!("no cell {text:?}"))
        };
        let (natural, first_value) = (cell("自然人"), cell("26"));
        assert_eq!(natural.col, first_value.col);
        assert_ne!(cell("商业企").col, natural.col);
    }

    #[test]
    fn page_numbers_are_no_rows_but_values_are() {
        for page in ["-3-", "  - 3 -", "— 12 —", "第 3 页", "\x0c  -3-"] {
            assert!(is_page_number(page), "{page:?}");
        }
        for values in ["3", "-6", "0   0   0", "  10    0", "-3   -", "3-"] {
            assert!(!is_page_number(values), "{values:?}");
        }
    }

    /// pdftotext -layout's text of ../shared's Hongze PDF across a page break: the page's
    /// number ("-3-") stood in the first row of the next page and took it for a label's.
    #[test]
    fn a_page_number_between_two_pages_of_a_table_is_no_cell() {
        let text = "一、本年新收政府信息公开申请数量                             21    0      0     0   0   0     21\n\
                    二、上年结转政府信息公开申请数量                              0    0      0     0   0   0     0\n\
                    \x20                 （一）予以公开                     0    0      0     0   0   0     0\n\
                    \x20                 （二）部分公开（区分处理的，只计这一情 形，不\n\
                    \x20                 计其他情形）\n\
                    \x20                                             4    0      0     0   0   0     4\n\
                    \x20                           1.属于国家秘密         1     0      0     0   0   0     1\n\
                    \x20三 、本 年 度办 理 结果\n\
                    \n\
                    \n\
                    \n\
                    \n\
                    \x20                           2.其他法律行政止公开      0     0      0     0   0   0     0\n\
                    \x20                           3.危及“三安全一稳定”     0     0      0     0   0   0     0\n\
                    \x20                           4.保护第三方合法权益      0     0      0     0   0   0     0\n\
                    \x20                 （三）不予公开\n\
                    \x20                           5.属于三类内部事务信息     0     0      0     0   0   0     0\n\
                    \x20                           6.属于四类过程性信息      1     0      0     0   0   0     1\n\
                    \x20                           7.属于行政执法案卷       1     0      0     0   0   0     1\n\
                    \x20                           8.属于行政查询事项       0     0      0     0   0   0     0\n\
                    \x20                           1.本机关不掌握相关政府信息   10    0      0     0   0   0     10\n\
                    \x20                 （四）无法提供\n\
                    \x20                           2.没有现成信息需要另行制作   3     0      0     0   0   0     3\n\
                    \n\
                    \x20                                                                       -3-\n\
                    \x0c                 3.补正后申请内容仍不明确         0    0   0   0    0    0   0\n\
                    \x20                1.信访举报投诉类申请           1    0   0   0    0    0   1\n\
                    \x20                2.重复申请                0    0   0   0    0    0   0\n\
                    \x20                3.要求提供公开出版物           0    0   0   0    0    0   0\n";
        let grids = grids_of(text);
        let cells = || grids.iter().flat_map(|g| &g.cells);
        assert!(cells().all(|c| !c.text.contains("-3-")), "{grids:?}");
        let label = cells()
            .find(|c| c.text.contains("补正后"))
            .expect("the row");
        assert_eq!(words_from(&grids, label, label.col + 1), ["0"; 7]);
    }

    #[test]
    fn item_numbers_and_dates_are_words() {
        for words in [
            "1. 属于国家秘密",
            "其中:1.网站公开",
            "(1)当面申请",
            "2012年度",
        ] {
            assert!(!words_and_a_number(words), "{words}");
        }
        for mixed in ["0计这一", "2.其他法律法规禁止公0 0开", "本年新收 19"] {
            assert!(words_and_a_number(mixed), "{mixed}");
        }
    }

    /// pdftotext -layout giving each Chinese character one column: read with two, the
    /// values drift right of their headers and two land in one cell.
    #[test]
    fn a_layout_of_one_column_a_character_is_read_so() {
        let text = "二、主动公开政府信息情况\n\
                    \x20    信息内容          本年新制作数量      本年新公开数量                 对外公开总数量\n\
                    \x20      规章             0            0                       0\n\
                    \x20    规范性文件            1            2                       3\n\
                    \x20    行政许可             4            5                       6\n";
        let grids = grids_of(text);
        let cells: Vec<(usize, usize, &str)> = grids
            .iter()
            .flat_map(|g| &g.cells)
            .filter(|c| !c.text.is_empty())
            .map(|c| (c.row, c.col, c.text.as_str()))
            .collect();
        assert_eq!(numbers_run_together(&grids), 0, "{cells:?}");
        let row_of = |label: &str| {
            let (row, _, _) = cells.iter().find(|c| c.2 == label).copied().expect("label");
            let mut values: Vec<(usize, &str)> = cells
                .iter()
                .filter(|c| c.0 == row && c.2 != label)
                .map(|c| (c.1, c.2))
                .collect();
            values.sort();
            values.into_iter().map(|v| v.1).collect::<Vec<_>>()
        };
        assert_eq!(row_of("规范性文件"), ["1", "2", "3"]);
        assert_eq!(row_of("行政许可"), ["4", "5", "6"]);
        let header = cells
            .iter()
            .find(|c| c.2 == "本年新公开数量")
            .expect("header");
        let two = cells.iter().find(|c| c.2 == "2").expect("value");
        assert_eq!(header.1, two.1, "the value under its header: {cells:?}");
    }

    #[test]
    fn columns_of_spaces_become_a_grid_with_blanks_in_place() {
        let text = "信息内容        制发    废止    有效\n\
                    行政规范        8               7\n\
                    性文件\n\
                    规章            0       0       0\n";
        let grids = grids_of(text);
        assert_eq!(grids.len(), 1);
        let g = &grids[0];
        let cell = |r: usize, c: usize| g.covering(r, c).map(|x| x.text.clone());
        assert_eq!(cell(1, 0).as_deref(), Some("行政规范性文件"));
        assert_eq!(cell(1, 1).as_deref(), Some("8"));
        assert_eq!(cell(1, 2).as_deref(), Some(""));
        assert_eq!(cell(2, 3).as_deref(), Some("0"));
        let seven = g.covering(1, 3).unwrap();
        assert_eq!(&text[seven.start..seven.end], "7");
    }

    /// The text of every row of a grid, cells joined by "|".
    fn rows_of(g: &Grid) -> Vec<String> {
        (0..g.n_rows)
            .map(|r| {
                (0..g.n_cols)
                    .map(|c| g.covering(r, c).map_or("?".into(), |x| x.text.clone()))
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn a_label_centred_on_its_row_after_one_on_its_first_line_keeps_its_top_line() {
        // Values stand on a two-line label's first line and on a three-line label's middle
        // one: 受理依申请 is the top of the next label, not the rest of 2、政府公报公开
        // (whose last line is short: a label wraps only when its line is full), nor is
        // 其中：1、同 the rest of 对申请的答复数.
        let text = [
            "指标名称     计量单位  2017年度  历年累计",
            "主动公开信   条        2122      2122",
            "息数",
            "2、政府公报  条        0         4332",
            "公开",
            "受理依申请",
            "公开信息总   条        0         157",
            "数",
            "对申请的答   条        0         401",
            "复数",
            "其中：1、同",
            "意公开答复   条        0         2213",
            "数",
            "2、同意部分  条        0         5704",
            "公开答复数\n",
        ]
        .join("\n");
        let g = &grids_of(&text)[0];
        let rows = rows_of(g);
        assert_eq!(
            rows[1..],
            [
                "主动公开信息数|条|2122|2122",
                "2、政府公报公开|条|0|4332",
                "受理依申请公开信息总数|条|0|157",
                "对申请的答复数|条|0|401",
                "其中:1、同意公开答复数|条|0|2213",
                "2、同意部分公开答复数|条|0|5704",
            ]
        );
    }

    #[test]
    fn a_label_line_halfway_between_rows_goes_up_unless_it_opens_the_lower_label() {
        // Values centred on their labels. 危及国家安 is two lines under 涉及个人隐's row
        // and two above 经济安全和's: the short 私 above it ended the label before, so it
        // opens the next one. 情形, as far from 经济安全和's row as from 指政府信息's, is
        // short: a label's last line, it goes up.
        let text = [
            "信息内容      单位  数量",
            "涉及商业秘    个    0",
            "密",
            "涉及个人隐    个    0",
            "私",
            "危及国家安",
            "全公共安全",
            "经济安全和    个    0",
            "社会稳定的",
            "情形",
            "不是条例所",
            "指政府信息    个    20",
            "等\n",
        ]
        .join("\n");
        let g = &grids_of(&text)[0];
        assert_eq!(
            rows_of(g)[1..],
            [
                "涉及商业秘密|个|0",
                "涉及个人隐私|个|0",
                "危及国家安全公共安全经济安全和社会稳定的情形|个|0",
                "不是条例所指政府信息等|个|20",
            ]
        );
    }

    #[test]
    fn a_row_with_only_its_last_value_is_a_row_and_the_next_band_a_table() {
        // 行政强制 printed only its 处理决定数量, on the line right under 行政处罚's: laid-out
        // text never wraps a number, so it is a row of its own; the next band's header
        // stands over columns the 775 alone would hide, and starts the next table.
        let text = [
            "第二十条第（六）项",
            "信息内容      上一年项目数量    本年增/减    处理决定数量",
            "行政处罚      116               增34         670761",
            "行政强制                                     775",
            "第二十条第（八）项",
            "信息内容      上一年项目数量    本年增/减",
            "行政收费      29                减3\n",
        ]
        .join("\n");
        let grids = grids_of(&text);
        assert_eq!(grids.len(), 2, "{grids:?}");
        let first = rows_of(&grids[0]);
        assert!(
            first.contains(&"行政处罚|116|增34|670761".to_string()),
            "{first:?}"
        );
        assert!(first.contains(&"行政强制|||775".to_string()), "{first:?}");
        let second = rows_of(&grids[1]);
        assert!(
            second.contains(&"行政收费|29|减3".to_string()),
            "{second:?}"
        );
    }

    /// A browser's print spaces tall rows out, and `pdftotext -layout` keeps the space as
    /// blank lines: a row after three of them, its one value under the row above's last,
    /// is still the table's (alone, its 775 was read as the first column's). Values after
    /// the gap that stand under none of the table's are another table's.
    #[test]
    fn a_row_spaced_out_under_the_tables_values_is_still_its_row() {
        let rows = [
            "第二十条第（六）项",
            "",
            "信息内容      上一年项目数量    本年增/减    处理决定数量",
            "",
            "行政处罚      116               增34         670761",
            "",
            "",
            "",
            "行政强制                                     775",
        ];
        let grids = grids_of(&format!("{}\n", rows.join("\n")));
        assert_eq!(grids.len(), 1, "{grids:?}");
        let first = rows_of(&grids[0]);
        assert!(first.contains(&"行政强制|||775".to_string()), "{first:?}");
        let elsewhere = rows.join("\n").replace(
            "行政强制                                     775",
            "行政强制      7                                          775",
        );
        let grids = grids_of(&format!("{elsewhere}\n"));
        assert_eq!(grids.len(), 2, "{grids:?}");
        // Rows printing all their values stay tables of their own; an item number printed
        // apart from its label ("2   、传真申请数") is none of the row's values.
        let full_rows = [
            "2   、传真申请数             条    0     2732",
            "",
            "",
            "",
            "    受理申请总数             条   21     2737",
            "",
            "",
            "",
            "3   、电子邮件申请数         条    3      3",
        ];
        let grids = grids_of(&format!("{}\n", full_rows.join("\n")));
        assert_eq!(grids.len(), 3, "{grids:?}");
    }

    /// Asserts that the text's first grid has each of the rows (cells joined by "|").
    fn assert_rows(text: &str, expected: &[&str]) {
        let rows = rows_of(&grids_of(text)[0]);
        for row in expected {
            assert!(rows.contains(&row.to_string()), "{row} in {rows:?}");
        }
    }

    /// Rows of label, unit and value, each padded to its column as a layout tool prints
    /// them (CJK characters two columns wide); a row without unit or value is its label.
    fn laid_out(rows: &[(&str, &str, &str)]) -> String {
        let pad = |text: &str, to: usize| {
            let used: f64 = text.chars().map(width).sum();
            format!("{text}{}", " ".repeat(to.saturating_sub(used as usize)))
        };
        let mut out = String::new();
        for (label, unit, value) in rows {
            let line = match (unit.is_empty(), value.is_empty()) {
                (true, true) => label.to_string(),
                _ => format!("{}{}{value}", pad(label, 28), pad(unit, 8)),
            };
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    #[test]
    fn a_heading_over_a_unit_column_is_a_row_of_its_own() {
        // 单位 is the last column without numbers; the labels are the column left of it.
        // （二）… names no value: it is not the first lines of 1.政府公报…'s label.
        let text = laid_out(&[
            ("统计指标", "单位", "统计数"),
            ("（一）主动公开政府", "条", "2949"),
            ("信息数（不同渠道和", "", ""),
            ("方式公开相同信息计", "", ""),
            ("1条）", "", ""),
            ("（二）通过不同渠道", "", ""),
            ("和方式公开政府信息", "", ""),
            ("的情况", "", ""),
            ("1.政府公报公开政府", "条", "0"),
            ("信息数", "", ""),
            ("2.政府网站公开政府", "条", "2949"),
            ("信息数", "", ""),
        ]);
        assert_rows(
            &text,
            &[
                "(二)通过不同渠道和方式公开政府信息的情况||",
                "1.政府公报公开政府信息数|条|0",
                "2.政府网站公开政府信息数|条|2949",
            ],
        );
    }

    #[test]
    fn a_unit_without_a_value_marks_a_row_printed_blank() {
        // 专项经费 prints its unit and no amount, on its third line: a row of its own,
        // whole, though its first line is right under 兼职人员数's.
        let text = laid_out(&[
            ("统计指标", "单位", "统计数"),
            ("（三）从事政府信息公", "人", "126"),
            ("开工作人员数", "", ""),
            ("2. 兼职人员数", "人", "84"),
            ("（四）政府信息公开专", "", ""),
            ("项经费（不包括用于政", "", ""),
            ("府公报编辑管理及政府", "万元", " "),
            ("网站建设维护等方面的", "", ""),
            ("经费）", "", ""),
            ("十三、政府信息公开会", "", ""),
            ("议和培训情况", "", ""),
            ("（一）举办各类培训班", "个", "25"),
            ("数", "", ""),
        ]);
        let funds = "(四)政府信息公开专项经费(不包括用于政府公报编辑管理及政府网站建设维护等方面的经费)|万元|";
        assert_rows(&text, &[funds, "2. 兼职人员数|人|84"]);
    }

    #[test]
    fn units_on_lines_next_to_each_other_are_rows_next_to_each_other() {
        // Two rows printed blank, their units on the lines right over a row of values.
        let text = laid_out(&[
            ("统计指标", "单位", "统计数"),
            ("八、网站数", "个", "1"),
            ("九、政府公报发行量", "", ""),
            ("（一）公报发行期数", "期", " "),
            ("（二）公报发行总份数", "份", " "),
            ("十、设置政府信息查阅", "个", "92"),
            ("点数", "", ""),
            ("（一）县政府及其部门", "个", "6"),
        ]);
        assert_rows(
            &text,
            &[
                "(一)公报发行期数|期|",
                "(二)公报发行总份数|份|",
                "十、设置政府信息查阅点数|个|92",
            ],
        );
    }

    #[test]
    fn labels_centred_on_their_values_stay_centred_beside_headings_printed_blank() {
        // Values centred on two-line labels ("1、参加或举办新闻发布会" / "总次数"): the
        // headings with no value are on rows of their own, which says nothing of how the
        // labels of the rows of values stand.
        let text = laid_out(&[
            ("统计指标", "单位", "统计数"),
            ("二、回应解读情况", "", ""),
            ("（一）回应公众关注热点或重", "", ""),
            ("大舆情数（不同方式回应同一", "次", "750"),
            ("热点或舆情计1次）", "", ""),
            ("（二）通过不同渠道和方式回", "", ""),
            ("应解读的情况", "", ""),
            ("1、参加或举办新闻发布会", "", ""),
            ("", "次", "2"),
            ("总次数", "", ""),
            ("其中：主要负责同志参加新", "", ""),
            ("", "次", "1"),
            ("闻发布会次数", "", ""),
            ("2、政府网站在线访谈次数", "次", "13"),
        ]);
        assert_rows(
            &text,
            &[
                "1、参加或举办新闻发布会总次数|次|2",
                "其中:主要负责同志参加新闻发布会次数|次|1",
            ],
        );
    }

    #[test]
    fn a_part_heading_between_two_tables_is_no_label() {
        for heading in [
            "四．政府信息公开行政复议、行政诉讼情况",
            "第四部分 政府信息公开行政复议情况",
        ] {
            // The label column is wider than the heading: only its numbering tells them apart.
            let pad =
                |label: &str| format!("{label}{}", " ".repeat(50 - 2 * label.chars().count()));
            let text = [
                format!("{}自然人  法人  总计", pad("项目")),
                format!("{}1       0     1", pad("三、本年度办理结果")),
                format!("{}7       1     8", pad("四、结转下年度继续办理")),
                heading.to_string(),
                format!("{}{}", pad("行政复议"), "行政诉讼"),
                format!(
                    "维持      纠正      总计      {}维持      纠正      总计",
                    " ".repeat(20)
                ),
                format!(
                    "2         1         3         {}0         1         1\n",
                    " ".repeat(20)
                ),
            ]
            .join("\n");
            // The heading is the next table's title, not the rest of 结转's label.
            let first = rows_of(&grids_of(&text)[0]);
            assert!(
                first.contains(&"四、结转下年度继续办理|7|1|8".to_string()),
                "{heading}: {first:?}"
            );
            assert!(first.iter().all(|r| !r.contains("行政复议")), "{first:?}");
        }
    }
}
