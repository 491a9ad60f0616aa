//! The way back from a text built in pieces to the offsets it was built from.
//!
//! A document's text is the file's decoded text copied run by run, with chars put in where
//! normalisation or markup changed them; a parser's stream is the document's text copied
//! cell by cell, with row and cell breaks put in. Every byte of a copied run maps to where
//! its char starts, at the same distance into the source as into the text; a char put in
//! maps, all its bytes, to one offset. So a piece's start in each is all the map keeps,
//! instead of an offset for every byte.

use crate::scan::offset32;

/// Where a piece of the text starts, in the text and in the source (32 bits: files are
/// refused long before 4 GiB, and past it offsets stop at the last one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Piece {
    at: u32,
    source: u32,
}

/// The pieces of a text, by start. A position's source offset is its piece's plus how far
/// into the piece its char starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PieceMap {
    pieces: Vec<Piece>,
}

impl PieceMap {
    /// Text from position `at` on comes from `source` on (a piece that continues the last
    /// one at the same distance is the last one).
    pub fn start(&mut self, at: usize, source: usize) {
        // A piece that got no text is replaced.
        while self.pieces.last().is_some_and(|p| p.at as usize >= at) {
            self.pieces.pop();
        }
        if let Some(last) = self.pieces.last() {
            let continued = last.source as usize + (at - last.at as usize);
            if continued == source {
                return;
            }
        }
        self.pieces.push(Piece {
            at: offset32(at),
            source: offset32(source),
        });
    }

    /// Forgets the pieces from text position `len` on (the text was cut there).
    pub fn truncate(&mut self, len: usize) {
        while self.pieces.last().is_some_and(|p| p.at as usize >= len) {
            self.pieces.pop();
        }
    }

    /// Appends the pieces of a text appended at position `at`.
    pub fn append(&mut self, other: &PieceMap, at: usize) {
        for piece in &other.pieces {
            self.start(at + piece.at as usize, piece.source as usize);
        }
    }

    /// Appends, at text position `at`, the pieces of `start..end` of the text `other` maps
    /// (`start` a char's start): each char there keeps its source offset.
    pub fn append_range(&mut self, other: &PieceMap, start: usize, end: usize, at: usize) {
        if start >= end {
            return;
        }
        let k = other.piece_index(start);
        let Some(first) = other.pieces.get(k) else {
            return;
        };
        // A position before the first piece maps as the first does (see `offset_in`).
        self.start(
            at,
            first.source as usize + start.saturating_sub(first.at as usize),
        );
        for piece in other.pieces[k + 1..]
            .iter()
            .take_while(|p| (p.at as usize) < end)
        {
            self.start(at + piece.at as usize - start, piece.source as usize);
        }
    }

    /// The index of the piece holding position `pos` (the first piece for positions
    /// before it).
    fn piece_index(&self, pos: usize) -> usize {
        self.pieces
            .partition_point(|p| p.at as usize <= pos)
            .saturating_sub(1)
    }

    /// The source offset of position `pos` of `text` (the text the pieces are of): where
    /// its char starts. `None` when no piece was recorded.
    pub fn offset(&self, text: &str, pos: usize) -> Option<usize> {
        self.offset_in(text, self.piece_index(pos), pos)
    }

    /// The source offsets of positions `first` and `second` (at or after `first`), found
    /// with one lookup and a walk on to the second (a span's start and last char are
    /// mostly in one piece).
    pub fn offset_pair(&self, text: &str, first: usize, second: usize) -> Option<(usize, usize)> {
        let mut k = self.piece_index(first);
        let at_first = self.offset_in(text, k, first)?;
        while self
            .pieces
            .get(k + 1)
            .is_some_and(|p| p.at as usize <= second)
        {
            k += 1;
        }
        Some((at_first, self.offset_in(text, k, second)?))
    }

    /// The source offset of position `pos` by piece `k` (the piece holding it).
    fn offset_in(&self, text: &str, k: usize, pos: usize) -> Option<usize> {
        let piece = self.pieces.get(k)?;
        let mut char_start = pos.min(text.len());
        while !text.is_char_boundary(char_start) {
            char_start -= 1;
        }
        Some(piece.source as usize + char_start.saturating_sub(piece.at as usize))
    }

    /// Whether each char of `text[start..end]`, and its end, maps to `source` plus its
    /// distance from `start`: the range copied as it is. A piece never continues the one
    /// before it (`start` merges them), so this is one piece's doing, told without walking
    /// its chars.
    pub fn copied_at(&self, text: &str, start: usize, end: usize, source: usize) -> bool {
        let k = self.piece_index(start);
        let Some(piece) = self.pieces.get(k) else {
            return false;
        };
        let linear = |p: &Piece, at: usize| {
            at >= p.at as usize && p.source as usize + (at - p.at as usize) == source + (at - start)
        };
        if !linear(piece, start) {
            return false;
        }
        // Later pieces the range reaches, its end included: each must go on at the same
        // distance (an end at the text's end maps by the last piece).
        let mut later = self.pieces[k + 1..]
            .iter()
            .take_while(|p| p.at as usize <= end);
        end <= text.len() && later.all(|p| linear(p, p.at as usize))
    }

    /// Appends the source offsets of the chars of `text[start..end]` to `out`, piece by
    /// piece: what `pieces_between` is held to, and the offsets the text's builders test.
    #[cfg(test)]
    pub fn extend_char_offsets(&self, text: &str, start: usize, end: usize, out: &mut Vec<usize>) {
        let mut k = self.piece_index(start);
        let mut from = start;
        while from < end {
            let Some(piece) = self.pieces.get(k) else {
                return;
            };
            let until = self
                .pieces
                .get(k + 1)
                .map_or(end, |p| (p.at as usize).clamp(from, end));
            // Pieces start at chars; a position before the first maps as the first does.
            let base = (piece.source as usize + from).saturating_sub(piece.at as usize);
            // Char starts told byte by byte, without decoding the chars.
            for (i, &b) in text.as_bytes()[from..until].iter().enumerate() {
                if crate::scan::starts_char(b) {
                    out.push(base + i);
                }
            }
            from = until;
            k += 1;
        }
    }

    /// The pieces of `text[start..end]` (`start` a char's start), as (position from
    /// `start`, source offset): the first at 0, then each piece starting within, and last
    /// the end's offset at `end - start`. A char's offset is its piece's plus its distance
    /// from the piece's start, as `extend_char_offsets` gives it.
    pub fn pieces_between(&self, text: &str, start: usize, end: usize) -> Vec<(u32, u32)> {
        let k = self.piece_index(start);
        let Some(first) = self.pieces.get(k) else {
            return Vec::new();
        };
        // The pieces starting before `end` (pieces are in text order), counted first so
        // that the list is made at its size.
        let rest = &self.pieces[k + 1..];
        let within = &rest[..rest.partition_point(|p| (p.at as usize) < end)];
        let mut pieces = Vec::with_capacity(within.len() + 2);
        pieces.push((
            0,
            offset32((first.source as usize + start).saturating_sub(first.at as usize)),
        ));
        pieces.extend(
            within
                .iter()
                .map(|p| (offset32(p.at as usize - start), p.source)),
        );
        if let Some(end_offset) = self.offset(text, end) {
            if end == start {
                pieces.clear(); // an empty range's end is its start
            }
            pieces.push((offset32(end - start), offset32(end_offset)));
        }
        pieces
    }

    /// The first position of `text` (or its length) whose source offset is `offset` or
    /// more, for a text whose offsets grow along it.
    pub fn first_at_or_after(&self, text: &str, offset: usize) -> usize {
        // The first piece whose last char maps at or after the offset (pieces hold at
        // least a char, but for one at the text's end).
        let last_maps_before = |k: usize| {
            let piece = self.pieces[k];
            let end = self.pieces.get(k + 1).map_or(text.len(), |p| p.at as usize);
            let mut last = end.saturating_sub(1).max(piece.at as usize);
            while !text.is_char_boundary(last) {
                last -= 1;
            }
            piece.source as usize + last.saturating_sub(piece.at as usize) < offset
        };
        let (mut low, mut high) = (0, self.pieces.len());
        while low < high {
            let middle = (low + high) / 2;
            match last_maps_before(middle) {
                true => low = middle + 1,
                false => high = middle,
            }
        }
        let Some(piece) = self.pieces.get(low) else {
            return text.len();
        };
        let (at, source) = (piece.at as usize, piece.source as usize);
        if source >= offset {
            return at.min(text.len());
        }
        // Past a char that starts before the offset.
        let mut pos = (at + (offset - source)).min(text.len());
        while !text.is_char_boundary(pos) {
            pos += 1;
        }
        pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text built from pieces, with the per-byte offsets a map of every byte would keep.
    struct Built {
        text: String,
        map: PieceMap,
        every_byte: Vec<usize>,
    }

    impl Built {
        fn new() -> Built {
            Built {
                text: String::new(),
                map: PieceMap::default(),
                every_byte: Vec::new(),
            }
        }

        fn copy(&mut self, text: &str, source: usize) {
            self.map.start(self.text.len(), source);
            for (i, ch) in text.char_indices() {
                self.every_byte
                    .extend(std::iter::repeat_n(source + i, ch.len_utf8()));
            }
            self.text.push_str(text);
        }

        fn put(&mut self, ch: char, source: usize) {
            self.map.start(self.text.len(), source);
            self.every_byte
                .extend(std::iter::repeat_n(source, ch.len_utf8()));
            self.text.push(ch);
        }
    }

    /// Copied runs, chars put in (one continuing its run, one not), a full-width char
    /// narrowed, in source order.
    fn built() -> Built {
        let mut b = Built::new();
        b.copy("规章 1", 0);
        b.put('\t', 8);
        b.copy("结果", 9);
        b.put('(', 15);
        b.copy("维持2", 18);
        b.put('\n', 26);
        b.put('\n', 28);
        b.copy("x", 29);
        b.put('A', 31);
        b
    }

    #[test]
    fn every_position_maps_as_a_map_of_every_byte_would() {
        let b = built();
        for pos in 0..b.text.len() {
            assert_eq!(b.map.offset(&b.text, pos), Some(b.every_byte[pos]), "{pos}");
            for second in pos..b.text.len() {
                let pair = (b.every_byte[pos], b.every_byte[second]);
                assert_eq!(b.map.offset_pair(&b.text, pos, second), Some(pair));
            }
        }
        let starts: Vec<usize> = b.text.char_indices().map(|(i, _)| i).collect();
        for (k, &from) in starts.iter().enumerate() {
            let looked_up: Vec<usize> = starts[k..].iter().map(|&i| b.every_byte[i]).collect();
            let ends = starts.iter().copied().chain([b.text.len()]);
            for (j, to) in ends.enumerate().skip(k) {
                let mut extended = vec![7];
                b.map.extend_char_offsets(&b.text, from, to, &mut extended);
                assert_eq!(extended[1..], looked_up[..j - k], "{from}..{to}");
            }
        }
    }

    #[test]
    fn the_pieces_of_a_range_map_each_char_and_the_end_as_the_map_does() {
        let b = built();
        let bounds: Vec<usize> = (0..=b.text.len())
            .filter(|&i| b.text.is_char_boundary(i))
            .collect();
        for &from in &bounds {
            for &to in bounds.iter().filter(|&&to| to >= from) {
                let pieces = b.map.pieces_between(&b.text, from, to);
                // A position maps by the last piece at or before it (as `TextLine` reads
                // a line's pieces).
                let by_pieces = |at: usize| {
                    let k = pieces.partition_point(|p| p.0 as usize <= at) - 1;
                    pieces[k].1 as usize + (at - pieces[k].0 as usize)
                };
                for (i, _) in b.text[from..to].char_indices() {
                    assert_eq!(by_pieces(i), b.every_byte[from + i], "{from}..{to} at {i}");
                }
                let end = b.map.offset(&b.text, to);
                assert_eq!(Some(by_pieces(to - from)), end, "{from}..{to}");
                assert!(pieces.windows(2).all(|w| w[0].0 < w[1].0), "{pieces:?}");
            }
        }
    }

    #[test]
    fn a_copied_range_is_told_as_by_each_of_its_chars() {
        let b = built();
        let bounds: Vec<usize> = (0..=b.text.len())
            .filter(|&i| b.text.is_char_boundary(i))
            .collect();
        let mut every = b.every_byte.clone();
        every.push(32);
        let mut map = b.map.clone();
        map.start(b.text.len(), 32);
        for &start in &bounds {
            for &end in bounds.iter().filter(|&&e| e >= start) {
                for source in [every[start], every[start] + 1] {
                    let expected = b.text[start..end]
                        .char_indices()
                        .map(|(i, _)| i)
                        .chain([end - start])
                        .all(|i| every[start + i] == source + i);
                    let told = map.copied_at(&b.text, start, end, source);
                    assert_eq!(told, expected, "{start}..{end} at {source}");
                }
            }
        }
    }

    #[test]
    fn an_offset_finds_the_first_position_at_or_after_it() {
        let b = built();
        for offset in 0..40 {
            let first = b.every_byte.partition_point(|&o| o < offset);
            assert_eq!(b.map.first_at_or_after(&b.text, offset), first, "{offset}");
        }
    }

    #[test]
    fn a_cut_and_an_appended_text_keep_their_offsets() {
        let mut b = built();
        let cut = b.text.find('\n').unwrap();
        b.text.truncate(cut);
        b.map.truncate(cut);
        b.put(' ', 40);
        let tail = built();
        let at = b.text.len();
        b.map.append(&tail.map, at);
        b.text.push_str(&tail.text);
        for pos in 0..b.text.len() {
            let expected = match pos {
                p if p < cut => b.every_byte[p],
                p if p == cut => 40,
                p => tail.every_byte[p - at],
            };
            assert_eq!(b.map.offset(&b.text, pos), Some(expected), "{pos}");
        }
    }
}
