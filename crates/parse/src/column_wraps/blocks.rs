//! Rows printed column by column. `pdftotext -layout` sometimes prints a run of a table's
//! rows as blocks: each row's words, and any values beside them, on a line of its own;
//! then the rest of their values a column (or a few columns) at a time, a line for each row
//! in each block, each block right of the one before:
//!
//! ```text
//!   3.没有现成信息需要另行制作
//!   补正后申请内容仍不明确
//!                       ０ ０ ０ ０
//!                       ０ ０ ０ ０
//!                                 ０
//!                                 ０
//!                                     ００
//!                                     ００
//! ```
//!
//! A block may hold whole rows of values: two rows' labels, their item numbers run
//! together ("45．保护第三方合法权益" over "．属于三类内部事务信息"), then their values
//! lines. The stream puts each row's values back on its line, in the blocks' order, when
//! every row then adds up; its cells say how they were read (`BLOCKS_NOTE`).

use super::{
    adds_up, digits_only, is_mark, laid_out_without_tabs, words, zeros_apart, LinePlan, PutIn, Word,
};

/// How the cells of rows put back together from blocks say they were read.
pub(crate) const BLOCKS_NOTE: &str = "rows printed column by column (their values in blocks \
    under the rows' words, a line for each row) were put back together row by row";

/// Whether `line` may be a line of a block: indented, laid out, and only values (numbers or
/// blank marks).
pub(crate) fn may_be_block_line(line: &str) -> bool {
    line.starts_with("  ") && values_only(line) && laid_out_without_tabs(line)
}

fn values_only(line: &str) -> bool {
    let mut words = line.split_whitespace().peekable();
    words.peek().is_some() && words.all(|w| digits_only(w) || is_mark(w))
}

/// Plans each run of blocks among `lines`: the values of its blocks put in after its rows'
/// lines (`LinePlan::Values`), the blocks' lines left out; all of them `taken`.
pub(super) fn plan(lines: &[&str], plans: &mut [LinePlan], taken: &mut [bool]) {
    let mut k = 0;
    while k < lines.len() {
        let end = (k..lines.len())
            .find(|&j| !may_be_block_line(lines[j]))
            .unwrap_or(lines.len());
        if end == k {
            k += 1;
            continue;
        }
        if let Some(rows) = rows_of_blocks(lines, k, end, taken) {
            for (head, put_in) in rows {
                plans[head] = LinePlan::Values {
                    put_ins: vec![put_in],
                    note: Some(BLOCKS_NOTE),
                };
                taken[head] = true;
            }
            for j in k..end {
                plans[j] = LinePlan::Before(0);
                taken[j] = true;
            }
        }
        k = end;
    }
}

/// The rows' lines of the blocks `lines[from..to]` and what to put in after each, if those
/// lines are blocks: one or more, each of as many lines (at least two) starting in one
/// column, each right of the one before; under as many lines of the rows (not taken, with
/// words, ending left of the first block), each of which then adds up.
fn rows_of_blocks(
    lines: &[&str],
    from: usize,
    to: usize,
    taken: &[bool],
) -> Option<Vec<(usize, PutIn)>> {
    let line_words: Vec<Vec<Word>> = lines[from..to].iter().map(|line| words(line)).collect();
    let spans: Vec<(usize, usize)> = line_words
        .iter()
        .map(|words| {
            let first = words.first().map_or(0, |w| w.column);
            let last = words.last().map_or(0, |w| w.column + w.width);
            (first, last)
        })
        .collect();
    let rows = spans
        .iter()
        .take_while(|&&(start, _)| start == spans[0].0)
        .count();
    let blocks: Vec<&[(usize, usize)]> = spans.chunks(rows).collect();
    let is_block = |block: &[(usize, usize)]| {
        block.len() == rows && block.iter().all(|&(start, _)| start == block[0].0)
    };
    let right_of = |pair: &[&[(usize, usize)]]| {
        let end = pair[0].iter().map(|&(_, end)| end).max().unwrap_or(0);
        pair[1][0].0 > end
    };
    if rows < 2 || !blocks.iter().all(|b| is_block(b)) {
        return None;
    }
    if !blocks.windows(2).all(right_of) || from < rows {
        return None;
    }
    let first_column = spans[0].0;
    let heads = from - rows..from;
    let mut put_together = Vec::with_capacity(rows);
    for (i, head) in heads.enumerate() {
        let line = lines[head].trim_end();
        let ends_left = line.chars().count() < first_column;
        if taken[head] || line.trim().is_empty() || values_only(line) || !ends_left {
            return None;
        }
        let mut text = String::new();
        for block in 0..blocks.len() {
            let k = block * rows + i;
            let block_line = lines[from + k];
            for value in zeros_apart(block_line, &line_words[k]) {
                text.push(' ');
                text.push_str(&block_line[value.start..value.end]);
            }
        }
        let put_in = PutIn {
            at: line.len(),
            text,
        };
        if !adds_up(lines[head], std::slice::from_ref(&put_in)) {
            return None;
        }
        put_together.push((head, put_in));
    }
    Some(put_together)
}

#[cfg(test)]
mod tests {
    use super::super::tests::put_together;

    #[test]
    fn rows_printed_in_blocks_are_put_back_together_row_by_row() {
        let lines = [
            "      （四）无 1.本机关不掌握相关政府信息   0 0 0 0   0   00",
            "      法提供 2.没有现成信息需要另行制作",
            "             3.补正后申请内容仍不明确",
            "                                      3 1 0 0",
            "                                      0 0 0 0",
            "                                              2",
            "                                              0",
            "                                                  06",
            "                                                  00",
            "             1.信访举报投诉类申请        0 0 0 0   0   00",
        ];
        assert_eq!(
            put_together(&lines),
            [
                "（四）无 1.本机关不掌握相关政府信息 0 0 0 0 0 00",
                "法提供 2.没有现成信息需要另行制作 3 1 0 0 2 0 6",
                "3.补正后申请内容仍不明确 0 0 0 0 0 0 0",
                "",
                "",
                "",
                "",
                "",
                "",
                "1.信访举报投诉类申请 0 0 0 0 0 00",
            ]
        );
    }

    #[test]
    fn two_rows_labels_printed_before_their_values_lines_take_one_each() {
        let lines = [
            "      予公开 45．保护第三方合法权益",
            "            ．属于三类内部事务信息",
            "                                   1 0 0 0 0 01",
            "                                   3 0 0 1 0 04",
            "            6．属于四类过程性信息  0 0 0 0 0 00",
        ];
        assert_eq!(
            put_together(&lines),
            [
                "予公开 45．保护第三方合法权益 1 0 0 0 0 0 1",
                "．属于三类内部事务信息 3 0 0 1 0 0 4",
                "",
                "",
                "6．属于四类过程性信息 0 0 0 0 0 00",
            ]
        );
        // Values lines that do not add up as those rows' are left as they are.
        let mut unsummed = lines;
        unsummed[3] = "                                   3 0 0 1 0 05";
        assert_eq!(put_together(&unsummed)[3], "3 0 0 1 0 05");
    }
}
