//! The cell stream: a stretch of the document as rows of cells, whatever the layout.
//!
//! Tab-separated rows, one cell per line and crawled text that runs cells together all
//! become one string in which cells are separated by `\t` and rows by `\n`, with the
//! whitespace inside a cell removed except between two digits ("结 果 维 持" → "结果维持",
//! "230 000023" stays). Every byte of that string maps back to the document.

use nianbao_ingest::Document;

pub struct Stream {
    pub text: String,
    /// For every byte of `text`: the byte offset in the document's normalised text (32 bits
    /// as the document's own offsets; a text that long is refused long before).
    map: Vec<u32>,
    doc_end: usize,
}

impl Stream {
    /// The stream of the document's lines that overlap `from..to`.
    pub fn build(doc: &Document, from: usize, to: usize) -> Stream {
        let room = to.saturating_sub(from).min(doc.text.len());
        let mut stream = Stream {
            text: String::with_capacity(room),
            map: Vec::with_capacity(room),
            doc_end: to,
        };
        for line in doc.lines() {
            if line.end <= from || line.start >= to {
                continue;
            }
            let start = line.start.max(from);
            let end = line.end.min(to);
            let text = &doc.text[start..end];
            let mut tabs = memchr::memchr_iter(b'\t', text.as_bytes()).peekable();
            if tabs.peek().is_none() && text.trim().is_empty() {
                continue;
            }
            if !stream.text.is_empty() {
                stream.push('\n', start);
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
        self.text.push(ch);
        for _ in 0..ch.len_utf8() {
            self.map.push(nianbao_ingest::offset32(at));
        }
    }

    /// Appends a cell without the whitespace that does not separate two digits.
    fn push_compacted(&mut self, cell: &str, cell_start: usize) {
        let mut run = 0;
        for (offset, end) in nianbao_ingest::whitespace_runs(cell) {
            self.push_copied(&cell[run..offset], cell_start + run);
            let before = self.text.chars().last().filter(|_| offset > 0);
            let after = cell[end..].chars().next();
            if matches!((before, after), (Some(b), Some(a)) if b.is_ascii_digit() && a.is_ascii_digit())
            {
                self.push(' ', cell_start + offset);
            }
            run = end;
        }
        self.push_copied(&cell[run..], cell_start + run);
    }

    /// Appends text of the document that starts at `at`, each byte mapped to where its
    /// char starts.
    fn push_copied(&mut self, text: &str, at: usize) {
        self.text.push_str(text);
        nianbao_ingest::push_char_starts(&mut self.map, text, at);
    }

    /// The document offset of a stream position.
    pub fn doc_offset(&self, pos: usize) -> usize {
        if pos >= self.map.len() {
            return self.doc_end;
        }
        self.map[pos] as usize
    }

    /// The first stream position at or after a document offset.
    pub fn pos_of_doc(&self, offset: usize) -> usize {
        self.map.partition_point(|&at| (at as usize) < offset)
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
        (doc_start, doc_end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(text: &str) -> Stream {
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        Stream::build(&doc, 0, doc.text.len())
    }

    #[test]
    fn cells_rows_and_compaction() {
        let s = stream_of("结 果 维 持\t总 计\n\n一、本年新收\t230 000023\t27759.17695 万元\n");
        assert_eq!(
            s.text,
            "结果维持\t总计\n一、本年新收\t230 000023\t27759.17695万元"
        );
    }

    #[test]
    fn empty_cells_are_kept_blank_lines_are_not() {
        let s = stream_of("行政强制\t\t\t775\n\n\t\n");
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
    fn positions_map_back_to_the_document() {
        let text = "规章\t 1 \n";
        let s = stream_of(text);
        let at = s.text.find('1').unwrap();
        assert_eq!(&text[s.doc_offset(at)..s.doc_offset(at) + 1], "1");
    }
}
