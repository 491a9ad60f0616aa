//! The cell stream: a stretch of the document as rows of cells, whatever the layout.
//!
//! Tab-separated rows, one cell per line and crawled text that runs cells together all
//! become one string in which cells are separated by `\t` and rows by `\n`, with the
//! whitespace inside a cell removed except between a number and the next ("结 果 维 持" →
//! "结果维持", "230 000023" and "42 +101" stay). Every byte of that string maps back to
//! the document.

use crate::column_wraps::{self, LinePlan, PutIn};
use nianbao_ingest::{Document, Line, PieceMap};
use std::ops::Range;

/// What a cell keeps of its text, compacted (see `compacted`).
pub(crate) enum Kept {
    /// A run of its text between whitespace, as a byte range.
    Text(std::ops::Range<usize>),
    /// One space standing for the whitespace at this offset, which separated two numbers.
    Space(usize),
}

/// A cell's text as streams and labels read it: whitespace dropped, but for one space
/// where it separated a digit from a number, signed or not, or an item number from a
/// number ("结 果 维 持" → "结果维持", "230 000023", "42 +101", "38 增106" and "1. 10"
/// stay). Hands `keep` what is kept, in order.
pub(crate) fn compacted(text: &str, mut keep: impl FnMut(Kept)) {
    let digit = |c: char| c.is_ascii_digit();
    // A signed number after a number ("42 +101 143", "62 -6 56", "38 增 106 144": 表二's
    // change) is a number of its own.
    let signed = |after: &str| {
        let unsigned = after.strip_prefix(['+', '-', '−']).unwrap_or(after);
        let unsigned = ["增加", "减少", "增", "减"]
            .iter()
            .find_map(|word| unsigned.strip_prefix(word))
            .map_or(unsigned, str::trim_start);
        unsigned.starts_with(digit)
    };
    // An item number in a column of its own before the row's values ("1.    10 0 0"): no
    // decimal point is followed by whitespace, so the value is not its fraction.
    let item_number = |before: &str| {
        before
            .strip_suffix(['.', '、'])
            .is_some_and(|number| number.ends_with(digit))
    };
    let mut run = 0;
    for (start, end) in nianbao_ingest::whitespace_runs(text) {
        keep(Kept::Text(run..start));
        let (before, after) = (&text[..start], &text[end..]);
        let between_numbers = before.ends_with(digit) && signed(after);
        let after_item_number = item_number(before) && after.starts_with(digit);
        if between_numbers || after_item_number {
            keep(Kept::Space(start));
        }
        run = end;
    }
    keep(Kept::Text(run..text.len()));
}

/// Chars of a stream line printed together in the document, and the columns they took
/// there (`Stream::column_pieces`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ColumnPiece {
    pub start: usize,
    pub end: usize,
    pub columns: (usize, usize),
}

impl ColumnPiece {
    pub fn overlaps(&self, other: &ColumnPiece) -> bool {
        self.columns.0 < other.columns.1 && other.columns.0 < self.columns.1
    }
}

pub struct Stream<'d> {
    pub text: String,
    /// The document's normalised text, where laid-out text's columns are (`column_pieces`).
    source: &'d str,
    /// Where each piece of `text` is in the document's normalised text: a cell's text
    /// between whitespace runs is copied, row and cell breaks (and a space between numbers)
    /// are put in.
    pieces: PieceMap,
    doc_end: usize,
    /// Where lines of only whitespace were left out: the stream's length then (the end of
    /// the line before), in order. One cell a line, an empty line may be a blank cell.
    skipped_lines: Vec<usize>,
    /// Whether the text was recognised by OCR (its labels may be misread).
    pub recognised: bool,
    /// Where the stream holds digits put in where the lines' columns did not tell (where
    /// their row adds up, or from rows printed column by column), and how their cells say
    /// so (`column_wraps::SUMMED_NOTE`, `column_wraps::blocks::BLOCKS_NOTE`).
    noted: Vec<(Range<usize>, &'static str)>,
}

impl<'d> Stream<'d> {
    /// The stream of the document's lines that overlap `from..to`.
    pub fn build(doc: &'d Document, from: usize, to: usize) -> Stream<'d> {
        let room = to.saturating_sub(from).min(doc.text.len());
        let mut stream = Stream {
            text: String::with_capacity(room),
            source: &doc.text,
            pieces: PieceMap::default(),
            doc_end: to,
            skipped_lines: Vec::new(),
            recognised: doc.was_recognised(from, to),
            noted: Vec::new(),
        };
        let lines = doc.lines();
        let first = lines.partition_point(|line| line.end <= from);
        let last = lines.partition_point(|line| line.start < to);
        let in_range = lines.get(first..last).unwrap_or_default();
        // Lines cut by the range are read as they are.
        let whole = |line: &Line| match line.start >= from && line.end <= to {
            true => &doc.text[line.start..line.end],
            false => "",
        };
        // Most ranges hold no line that may be pieces of wrapped numbers or of rows printed
        // in blocks: no plan is made.
        let plans = match in_range.iter().any(|line| {
            let line = whole(line);
            column_wraps::may_end_with_pieces(line) || column_wraps::may_be_block_line(line)
        }) {
            true => column_wraps::plan(&in_range.iter().map(whole).collect::<Vec<_>>()),
            false => Vec::new(),
        };
        for (k, line) in in_range.iter().enumerate() {
            let plan = plans.get(k).unwrap_or(&LinePlan::Keep);
            let start = line.start.max(from);
            let end = line.end.min(to);
            let text = &doc.text[start..end];
            let text = match plan {
                LinePlan::Before(keep) => &text[..*keep],
                _ => text,
            };
            let mut tabs = memchr::memchr_iter(b'\t', text.as_bytes()).peekable();
            if tabs.peek().is_none() && text.trim().is_empty() {
                stream.skipped_lines.push(stream.text.len());
                continue;
            }
            if !stream.text.is_empty() {
                stream.push('\n', start);
            }
            if let LinePlan::Values { put_ins, note } = plan {
                stream.push_put_together(text, start, put_ins, *note);
                continue;
            }
            // The cells between tabs, each tab kept in its place.
            let mut cell_from = 0;
            for tab in tabs {
                stream.push_compacted(&text[cell_from..tab], start + cell_from);
                stream.push('\t', start + tab);
                cell_from = tab + 1;
            }
            stream.push_compacted(&text[cell_from..], start + cell_from);
        }
        stream
    }

    fn push(&mut self, ch: char, at: usize) {
        self.pieces.start(self.text.len(), at);
        self.text.push(ch);
    }

    /// Appends a cell without the whitespace that does not separate two numbers.
    fn push_compacted(&mut self, cell: &str, cell_start: usize) {
        compacted(cell, |kept| match kept {
            Kept::Text(range) => self.push_copied(&cell[range.clone()], cell_start + range.start),
            Kept::Space(at) => self.push(' ', cell_start + at),
        });
    }

    /// Appends a values line with the pieces of its wrapped numbers put in
    /// (`column_wraps`), each mapped to the char it is put in before or after, and noted
    /// when the plan gives a `note`.
    fn push_put_together(
        &mut self,
        line: &str,
        line_start: usize,
        put_ins: &[PutIn],
        note: Option<&'static str>,
    ) {
        compacted(line, |kept| match kept {
            Kept::Text(range) => {
                // Put in before a char of the range: its start, or between values printed
                // run together.
                let mut copied = range.start;
                for put_in in put_ins.iter().filter(|p| range.contains(&p.at)) {
                    self.push_copied(&line[copied..put_in.at], line_start + copied);
                    self.push_put_in(&put_in.text, line_start + put_in.at, note);
                    copied = put_in.at;
                }
                self.push_copied(&line[copied..range.end], line_start + copied);
                let last = line[..range.end]
                    .chars()
                    .next_back()
                    .map_or(0, char::len_utf8);
                for put_in in put_ins.iter().filter(|p| p.at == range.end) {
                    self.push_put_in(&put_in.text, line_start + range.end - last, note);
                }
            }
            Kept::Space(at) => self.push(' ', line_start + at),
        });
    }

    fn push_put_in(&mut self, text: &str, at: usize, note: Option<&'static str>) {
        let from = self.text.len();
        for ch in text.chars() {
            self.push(ch, at);
        }
        if let Some(note) = note {
            self.noted.push((from..self.text.len(), note));
        }
    }

    /// How the cell read from `range` of the stream says it was read, when the range holds
    /// digits put in where the lines' columns did not tell (`LinePlan::Values`' `note`).
    pub(crate) fn put_in_note(&self, range: Range<usize>) -> Option<&'static str> {
        self.noted
            .iter()
            .find(|(put_in, _)| put_in.start < range.end && range.start < put_in.end)
            .map(|&(_, note)| note)
    }

    /// Appends text of the document that starts at `at`, each byte mapped to where its
    /// char starts.
    fn push_copied(&mut self, text: &str, at: usize) {
        if !text.is_empty() {
            self.pieces.start(self.text.len(), at);
            self.text.push_str(text);
        }
    }

    /// The positions of the lines of only whitespace left out between `from` (included) and
    /// `to`: each where the line before them ends.
    pub(crate) fn skipped_lines(&self, from: usize, to: usize) -> &[usize] {
        let first = self.skipped_lines.partition_point(|&p| p < from);
        let last = self.skipped_lines.partition_point(|&p| p < to);
        &self.skipped_lines[first..last.max(first)]
    }

    /// The stream's text `from..to` (within a line) cut where the document printed two
    /// spaces or more, or a tab, between its chars: each piece's range in the stream and
    /// the columns it took in its line of the document, counted in chars (laid-out text
    /// gives every char a column). The document's line is read once; only the pieces'
    /// ends are mapped back to the stream.
    pub(crate) fn column_pieces(&self, from: usize, to: usize) -> Vec<ColumnPiece> {
        let (line_start, line_end) = self.doc_line(from);
        let mut pieces = Vec::new();
        let line = &self.source[line_start..line_end];
        let mut push = |doc: (usize, usize), columns: (usize, usize)| {
            for (doc, columns) in Self::group_piece_cut(line, doc, columns) {
                let start = self.pos_of_doc(line_start + doc.0).max(from);
                let end = self.pos_of_doc(line_start + doc.1).min(to);
                if start < end {
                    pieces.push(ColumnPiece {
                        start,
                        end,
                        columns,
                    });
                }
            }
        };
        // The piece being read: where it starts (byte, column) and ends so far.
        let mut piece: Option<((usize, usize), (usize, usize))> = None;
        let mut spaces = 0;
        for (column, (at, c)) in line.char_indices().enumerate() {
            if c.is_whitespace() {
                spaces += if c == '\t' { 2 } else { 1 };
                continue;
            }
            match piece.as_mut() {
                Some((_, end)) if spaces < 2 => *end = (at + c.len_utf8(), column + 1),
                _ => {
                    if let Some((start, end)) = piece {
                        push((start.0, end.0), (start.1, end.1));
                    }
                    piece = Some(((at, column), (at + c.len_utf8(), column + 1)));
                }
            }
            spaces = 0;
        }
        if let Some((start, end)) = piece {
            push((start.0, end.0), (start.1, end.1));
        }
        pieces
    }

    /// A piece's doc range and columns, cut where a few chars of group labels printed
    /// down columns to its left stand one space before a row's label ("（三 1.属于国家",
    /// "办 （三 1.属于国", "开 行政法规禁", "理 ）不 家秘密"): its first words while they are
    /// short (three chars or fewer, no digits) are pieces of their own, and so is the rest
    /// when it starts with a long word (four chars or more), a row's item number, or is
    /// the last word and more than a char; a word of four chars is a group's piece too
    /// when a numbered row's label follows it ("度办理结 （二）部分"). Else the piece stays
    /// whole (letter-spaced "三 四 五 六", "1. 属于国家").
    fn group_piece_cut(
        line: &str,
        (start, end): (usize, usize),
        (first, last): (usize, usize),
    ) -> Vec<((usize, usize), (usize, usize))> {
        const GROUP_PIECE_CHARS: usize = 3;
        const LABEL_CHARS: usize = 4;
        fn after_group_number(word: &str) -> Option<&str> {
            word.strip_prefix(['(', '（'])
                .map(|w| w.trim_start_matches(crate::tables::is_chinese_numeral))
                .and_then(|w| w.strip_prefix([')', '）']))
        }
        let has_digit = |word: &str| word.contains(|c: char| c.is_ascii_digit());
        // A group's item number ("(三)不") takes no room of its few chars.
        let is_short = |word: &str| {
            let chars = after_group_number(word).unwrap_or(word).chars().count();
            chars <= GROUP_PIECE_CHARS && !has_digit(word)
        };
        let is_item_number = |word: &str| {
            word.strip_suffix(['.', '、', '．'])
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        };
        // A group's piece of as many chars as a label's first word is one all the same
        // when a numbered row's label follows it ("度办理结 （二）部分").
        let before_numbered_row = |word: &str, next: Option<&&str>| {
            word.chars().count() <= LABEL_CHARS
                && !has_digit(word)
                && next.is_some_and(|n| after_group_number(n).is_some_and(|w| !w.is_empty()))
        };
        let mut cuts = Vec::new();
        let (mut at, mut column) = (start, first);
        let mut words = line[start..end].split(' ').peekable();
        while let Some(word) = words.next() {
            let chars = word.chars().count();
            let last_word = words.peek().is_none();
            let group_piece = is_short(word) || before_numbered_row(word, words.peek());
            if !group_piece || last_word {
                // A row's item number and its label's first chars ("（五）不 1. 信" over
                // "予处理 访举报投诉类申请") start the row's piece however short they are.
                let numbered = !last_word && is_item_number(word);
                let long = chars >= LABEL_CHARS || (last_word && chars > 1) || numbered;
                if !long || cuts.is_empty() {
                    break;
                }
                cuts.push(((at, end), (column, last)));
                return cuts;
            }
            cuts.push(((at, at + word.len()), (column, column + chars)));
            at += word.len() + 1;
            column += chars + 1;
        }
        vec![((start, end), (first, last))]
    }

    /// Whether the document printed the line of stream position `pos` laid out: words or
    /// numbers two spaces or more apart, as in columns.
    pub(crate) fn laid_out(&self, pos: usize) -> bool {
        let (start, end) = self.doc_line(pos);
        let line = self.source[start..end].trim();
        memchr::memmem::find(line.as_bytes(), b"  ").is_some()
    }

    /// The column of stream position `pos` in its line of the document, counted in chars as
    /// laid-out text places them; `None` on a line with a tab, whose columns are cells.
    pub(crate) fn column(&self, pos: usize) -> Option<usize> {
        let (start, end) = self.doc_line(pos);
        let line = self.source.get(start..end)?;
        if memchr::memchr(b'\t', line.as_bytes()).is_some() {
            return None;
        }
        let at = self.doc_offset(pos).clamp(start, end);
        Some(self.source.get(start..at)?.chars().count())
    }

    /// The document's line holding stream position `pos`: its start and end offsets.
    fn doc_line(&self, pos: usize) -> (usize, usize) {
        let source = self.source.as_bytes();
        let at = self.doc_offset(pos).min(source.len());
        let start = memchr::memrchr(b'\n', &source[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &source[at..]).map_or(source.len(), |i| at + i);
        (start, end)
    }

    /// The document offset of a stream position: where its char starts in the document.
    pub fn doc_offset(&self, pos: usize) -> usize {
        match pos < self.text.len() {
            true => self.pieces.offset(&self.text, pos).unwrap_or(self.doc_end),
            false => self.doc_end,
        }
    }

    /// The first stream position at or after a document offset: the first whose
    /// `doc_offset` is `offset` or more (offsets grow along the stream).
    pub fn pos_of_doc(&self, offset: usize) -> usize {
        self.pieces.first_at_or_after(&self.text, offset)
    }

    /// The document range of a stream range.
    pub fn doc_range(&self, start: usize, end: usize) -> (usize, usize) {
        let doc_start = self.doc_offset(start);
        let doc_end = if end > start {
            let last = self.text[..end]
                .char_indices()
                .last()
                .map(|(i, c)| self.doc_offset(i) + c.len_utf8())
                .unwrap_or(doc_start);
            last.max(doc_start)
        } else {
            doc_start
        };
        // A char the stream put in (a row break, a space between numbers) or wrote shorter
        // than the document's ("(" for "（") ends inside the document's char: its end.
        (doc_start, self.source.ceil_char_boundary(doc_end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_in_the_document_falls_on_its_chars() {
        // Blank lines dropped, row breaks and spaces put in, full-width forms written short:
        // every stream range maps to a document range on char boundaries.
        let doc =
            document("统计数\n\n条\n\n2949\n\n六、被举报投诉数\n量\n（一）予以公开 ２ ０\t3\n");
        let stream = stream_of(&doc);
        let bounds: Vec<usize> = (0..=stream.text.len())
            .filter(|&i| stream.text.is_char_boundary(i))
            .collect();
        for (k, &start) in bounds.iter().enumerate() {
            for &end in &bounds[k..] {
                let (from, to) = stream.doc_range(start, end);
                assert!(doc.text.is_char_boundary(from), "{start}..{end} -> {from}");
                assert!(doc.text.is_char_boundary(to), "{start}..{end} -> {to}");
            }
        }
    }

    fn document(text: &str) -> Document {
        nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap()
    }

    fn stream_of(doc: &Document) -> Stream<'_> {
        Stream::build(doc, 0, doc.text.len())
    }

    #[test]
    fn cells_rows_and_compaction() {
        let doc = document("结 果 维 持\t总 计\n\n一、本年新收\t230 000023\t27759.17695 万元\n");
        let s = stream_of(&doc);
        assert_eq!(
            s.text,
            "结果维持\t总计\n一、本年新收\t230 000023\t27759.17695万元"
        );
        // An item number in a column of its own before the values is no integer part.
        let doc = document("本机关     1.         10 0 0\n2. 属于 3.5\n");
        assert_eq!(stream_of(&doc).text, "本机关1. 10 0 0\n2.属于3.5");
    }

    #[test]
    fn empty_cells_are_kept_blank_lines_are_not() {
        let doc = document("行政强制\t\t\t775\n\n\t\n");
        let s = stream_of(&doc);
        assert_eq!(s.text, "行政强制\t\t\t775\n\t");
    }

    #[test]
    fn every_char_maps_back_to_itself() {
        let text = "结 果 维 持\t总 计\n一、本年新收\t230 000023\t２7759.17 万元\n";
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        let s = Stream::build(&doc, 0, doc.text.len());
        // A row break maps to where the next row starts.
        for (pos, ch) in s.text.char_indices().filter(|&(_, c)| c != '\n') {
            for byte in pos..pos + ch.len_utf8() {
                let at = s.doc_offset(byte);
                assert!(doc.text[at..].starts_with(ch), "{ch} at {pos} maps to {at}");
            }
        }
    }

    #[test]
    fn a_document_offset_finds_the_first_position_mapped_at_or_after_it() {
        let text =
            "表\t 结 果 维 持\t总 计\n\n一、本年新收\t230 000023\t２7759.17 万元\n  \n其他\t\t8\n";
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        let starts = doc.text.char_indices().map(|(at, _)| at);
        for from in starts.step_by(7) {
            let s = Stream::build(&doc, from, doc.text.len());
            for offset in 0..doc.text.len() + 2 {
                let first = (0..s.text.len())
                    .find(|&pos| s.doc_offset(pos) >= offset)
                    .unwrap_or(s.text.len());
                assert_eq!(s.pos_of_doc(offset), first, "{offset} from {from}");
            }
        }
    }

    #[test]
    fn positions_map_back_to_the_document() {
        let text = "规章\t 1 \n";
        let doc = document(text);
        let s = stream_of(&doc);
        let at = s.text.find('1').unwrap();
        assert_eq!(&text[s.doc_offset(at)..s.doc_offset(at) + 1], "1");
    }

    /// A stream line's column pieces: their text and columns.
    fn pieces_of<'s>(s: &'s Stream, line: usize) -> Vec<(&'s str, (usize, usize))> {
        let (start, end, _) = nianbao_ingest::line_ranges(&s.text)
            .nth(line)
            .expect("a line");
        s.column_pieces(start, end)
            .into_iter()
            .map(|p| (&s.text[p.start..p.end], p.columns))
            .collect()
    }

    /// Laid-out text's pieces: two spaces or more (or a tab) apart in the document, with
    /// the columns they took there, whatever the stream made of the spaces.
    #[test]
    fn column_pieces_are_where_the_document_printed_them() {
        let doc =
            document("标题\n度办  (三)不  1. 属于国家秘\n理结 予公开        密\n规章\t 1 2\n");
        let s = stream_of(&doc);
        let pieces = |line: usize| pieces_of(&s, line);
        assert_eq!(
            pieces(1),
            [
                ("度办", (0, 2)),
                ("(三)不", (4, 8)),
                ("1.属于国家秘", (10, 18))
            ]
        );
        // The chars of two columns of group labels one space apart are two pieces.
        assert_eq!(
            pieces(2),
            [("理结", (0, 2)), ("予公开", (3, 6)), ("密", (14, 15))]
        );
        assert_eq!(pieces(3), [("规章", (0, 2)), ("1 2", (4, 7))]);
        // A group's label one space before a row's label is a piece of its own; short
        // words before a single char, or a first word with digits, stay whole.
        let doc = document(
            "标题\n本  (三 1.属于国家\n办   开 行政法规禁  0\n办 (三 1.属于国\n理 )不 家秘密\n\
             三 四 五 六  0\n1. 属于 国家\n果 (三)不 1、属于国家\n",
        );
        let s = stream_of(&doc);
        let pieces = |line: usize| pieces_of(&s, line);
        assert_eq!(
            pieces(1),
            [("本", (0, 1)), ("(三", (3, 5)), ("1.属于国家", (6, 12))]
        );
        assert_eq!(
            pieces(2),
            [
                ("办", (0, 1)),
                ("开", (4, 5)),
                ("行政法规禁", (6, 11)),
                ("0", (13, 14))
            ]
        );
    }
}
