//! What lopdf follows recursively, measured before it does: a hostile file that nested
//! arrays and dictionaries thousands deep, chained its streams' lengths or a page's
//! parents tens of thousands long overflowed the stack, aborting the whole batch (no panic
//! to catch). Nesting and length chains are measured in the file's bytes before lopdf
//! reads them, a compressed object stream's nesting before lopdf parses its content, a
//! page's parents before lopdf looks up its fonts; past 256 the file is refused.

use super::operations;
use crate::IngestError;
use lopdf::{Document as Pdf, Object, ObjectId, Reader, Stream};

/// How deep arrays and dictionaries may nest in a PDF's objects (real files: a few levels;
/// lopdf's recursion overflowed a worker thread's stack at a thousand in a debug build).
pub(crate) const MOST_NESTED: usize = 256;

/// The PDF of these bytes, loaded by lopdf, or why not.
pub(crate) fn load(bytes: &[u8]) -> Result<Pdf, IngestError> {
    if deepest(bytes, MOST_NESTED) > MOST_NESTED {
        return Err(IngestError::Limit(format!(
            "PDF arrays or dictionaries nested more than {MOST_NESTED} deep"
        )));
    }
    if length_chain(bytes, MOST_NESTED) > MOST_NESTED {
        return Err(IngestError::Limit(format!(
            "PDF stream lengths that refer to one another more than {MOST_NESTED} deep"
        )));
    }
    // An encrypted file's object streams are opened once decrypted (`decrypt`).
    let encrypted = super::decrypt::may_be_encrypted(bytes);
    let filter = match encrypted {
        true => super::decrypt::keep_object_streams_closed,
        false => object_stream_not_too_deep,
    };
    let mut pdf = Reader {
        buffer: bytes,
        document: Pdf::new(),
    }
    .read(Some(filter))
    .map_err(|e| IngestError::Corrupt(format!("not a readable PDF: {e}")))?;
    if encrypted {
        super::decrypt::decrypt(&mut pdf)?;
    }
    Ok(pdf)
}

/// How long a page's chain of parents may be (lopdf's page tree walk stops at 256 levels;
/// its search of a page's inherited resources follows the chain recursively).
pub(crate) const MOST_PARENTS: usize = 256;

/// Whether the chain of a page's parents (`/Parent`, each node's) ends within `most`
/// nodes: lopdf follows it recursively for the page's fonts, and a hostile chain of
/// 100,000 overflowed the stack. A chain that comes back on itself ends (lopdf stops there
/// too).
pub(crate) fn parents_within(pdf: &Pdf, page: ObjectId, most: usize) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut node = pdf.get_dictionary(page).ok();
    while let Some(parent) = node
        .and_then(|n| n.get(b"Parent").ok())
        .and_then(|p| p.as_reference().ok())
    {
        if !seen.insert(parent) {
            return true;
        }
        if seen.len() > most {
            return false;
        }
        node = pdf.get_dictionary(parent).ok();
    }
    true
}

/// lopdf's filter of the objects it reads: an object stream whose content nests too deep is
/// left out before lopdf parses it (its objects are then missing, as a damaged file's are).
/// The object itself is kept in place (lopdf uses only whether something is returned).
fn object_stream_not_too_deep(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    if let Object::Stream(stream) = object {
        if stream.dict.type_is(b"ObjStm") && object_stream_too_deep(id, stream) {
            return None;
        }
    }
    Some((id, Object::Null))
}

/// Whether an object stream's objects nest deeper than lopdf's reading of them may
/// recurse. Its content is decompressed in place first, once: lopdf's `ObjectStream`
/// decompresses it too, and then finds nothing left to do.
pub(crate) fn object_stream_too_deep(id: ObjectId, stream: &mut Stream) -> bool {
    stream.decompress();
    let too_deep = deepest(&stream.content, MOST_NESTED) > MOST_NESTED;
    if too_deep {
        tracing::debug!(?id, "an object stream nested too deep left out");
    }
    too_deep
}

/// How deep arrays (`[`) and dictionaries (`<<`) nest in PDF syntax, comments, strings and
/// streams' data skipped; counted no further than past `most`. Each object starts again
/// from the top (after `endobj`), so a damaged object's unclosed bracket is not carried on.
pub(crate) fn deepest(bytes: &[u8], most: usize) -> usize {
    let (mut depth, mut deepest, mut at) = (0usize, 0usize, 0usize);
    while let Some(&byte) = bytes.get(at) {
        at = match byte {
            b'[' => {
                depth += 1;
                at + 1
            }
            b']' => {
                depth = depth.saturating_sub(1);
                at + 1
            }
            b'<' if bytes.get(at + 1) == Some(&b'<') => {
                depth += 1;
                at + 2
            }
            b'>' if bytes.get(at + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                at + 2
            }
            // A hexadecimal string.
            b'<' => memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |n| at + n + 1),
            b'(' => past_literal_string(bytes, at),
            b'%' => memchr::memchr2(b'\r', b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n),
            b's' if opens_stream(bytes, at) => {
                let data = at + b"stream".len();
                memchr::memmem::find(&bytes[data..], b"endstream")
                    .map_or(bytes.len(), |n| data + n + b"endstream".len())
            }
            b'e' if bytes[at..].starts_with(b"endobj") => {
                depth = 0;
                at + b"endobj".len()
            }
            _ => at + 1,
        };
        deepest = deepest.max(depth);
        if deepest > most {
            break;
        }
    }
    deepest
}

/// The longest chain of objects whose `/Length` is another object with an indirect
/// `/Length`, counted no further than past `most`: lopdf reads a stream whose length is
/// another object by reading that object, recursively, and a hostile file chaining 50,000
/// overflowed the stack (a real file's lengths are numbers, or objects holding one). Found
/// in the bytes as they are: an object is the last `N G obj` before its `/Length`.
fn length_chain(bytes: &[u8], most: usize) -> usize {
    let headers: Vec<(usize, u32)> = memchr::memmem::find_iter(bytes, b"obj")
        .filter_map(|at| Some((at, object_number(bytes, at)?)))
        .collect();
    let mut refers: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    for at in memchr::memmem::find_iter(bytes, b"/Length") {
        let Some(target) = indirect_length(&bytes[at + b"/Length".len()..]) else {
            continue;
        };
        let owner = headers.partition_point(|&(header, _)| header < at);
        if let Some(&(_, owner)) = owner.checked_sub(1).and_then(|i| headers.get(i)) {
            refers.insert(owner, target);
        }
    }
    let mut longest = 0;
    for &start in refers.keys() {
        let (mut steps, mut node) = (0, start);
        while let Some(&next) = refers.get(&node) {
            steps += 1;
            if steps > most {
                return steps;
            }
            node = next;
        }
        longest = longest.max(steps);
    }
    longest
}

/// The number of the object whose header's keyword `obj` is at `at` ("12 0 obj").
fn object_number(bytes: &[u8], at: usize) -> Option<u32> {
    let before = &bytes[..at];
    let trim = |b: &[u8]| {
        b.len()
            - b.iter()
                .rev()
                .take_while(|c| c.is_ascii_whitespace())
                .count()
    };
    let digits_end = |b: &[u8]| b.len() - b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    let spaced = trim(before);
    let generation = digits_end(&before[..spaced]);
    if spaced == before.len() || generation == spaced {
        return None;
    }
    let spaced = trim(&before[..generation]);
    let number = digits_end(&before[..spaced]);
    if spaced == generation || number == spaced {
        return None;
    }
    std::str::from_utf8(&before[number..spaced])
        .ok()?
        .parse()
        .ok()
}

/// The object an indirect length refers to: " 12 0 R" after `/Length`, read as lopdf
/// reads a reference (spaces and comments between); none after a longer name (`/Length1`).
fn indirect_length(after: &[u8]) -> Option<u32> {
    if after.first().is_some_and(|&c| operations::is_regular(c)) {
        return None;
    }
    match operations::reference(operations::space(after))? {
        (_, Object::Reference((id, _))) => Some(id),
        _ => None,
    }
}

/// Whether the keyword `stream` starts at `at` (not the end of `endstream`), its data
/// after the line end that follows it.
fn opens_stream(bytes: &[u8], at: usize) -> bool {
    let keyword = bytes[at..].starts_with(b"stream");
    let before = at
        .checked_sub(1)
        .and_then(|b| bytes.get(b))
        .is_none_or(|&c| c.is_ascii_whitespace() || c == b'>');
    let after = bytes.get(at + b"stream".len());
    keyword && before && matches!(after, Some(b'\r' | b'\n'))
}

/// Where a literal string that opens at `at` ends: its parentheses balanced, a backslash
/// escaping the byte after it.
fn past_literal_string(bytes: &[u8], at: usize) -> usize {
    let mut open = 0usize;
    let mut i = at;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\\' => i += 1,
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_is_counted_outside_strings_comments_and_streams() {
        assert_eq!(deepest(b"", 256), 0);
        assert_eq!(deepest(b"<< /A [1 [2] << /B 3 >>] >>", 256), 3);
        assert_eq!(deepest(b"(((([[[[ \\) ]]])))) <[[[[> % [[[[\n [", 256), 1);
        let stream = b"<< /Length 8 >>\nstream\n[[[[[[[[\nendstream\nendobj";
        assert_eq!(deepest(stream, 256), 1);
        // `endstream` is not a stream that opens.
        assert_eq!(deepest(b"endstream\n[[", 256), 2);
        // Each object from the top.
        assert_eq!(deepest(b"1 0 obj [[[ endobj 2 0 obj [[ endobj", 256), 3);
        // Counting stops past the bound.
        assert_eq!(deepest(&b"[".repeat(10_000), 256), 257);
    }

    fn dictionary(entries: Vec<(&str, Object)>) -> Object {
        let mut dict = lopdf::Dictionary::new();
        for (key, value) in entries {
            dict.set(key, value);
        }
        Object::Dictionary(dict)
    }

    #[test]
    fn an_object_stream_nested_too_deep_is_left_out_before_lopdf_parses_it() {
        // Written by hand: lopdf's writer leaves object streams out.
        let nest = [b"[".repeat(100_000), b"]".repeat(100_000)].concat();
        let content = [&b"9 0 "[..], &nest].concat();
        let mut pdf = b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".to_vec();
        let stream_at = pdf.len();
        let head = format!(
            "2 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Length {} >>\nstream\n",
            content.len()
        );
        pdf.extend(head.as_bytes());
        pdf.extend(&content);
        pdf.extend(b"\nendstream\nendobj\n");
        let xref = pdf.len();
        let table = format!(
            "xref\n0 3\n0000000000 65535 f \n{:010} 00000 n \n{stream_at:010} 00000 n \n\
             trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            b"%PDF-1.5\n".len()
        );
        pdf.extend(table.as_bytes());
        // Read without it (lopdf's recursion into it overflowed the stack).
        let read = load(&pdf).expect("the rest of the file read");
        assert!(!read.objects.contains_key(&(9, 0)));
        assert!(!read.objects.contains_key(&(2, 0)));
        assert!(read.objects.contains_key(&(1, 0)));
    }

    #[test]
    fn a_page_whose_parents_go_on_too_long_is_told() {
        let chain = |length: u32, cycle: bool| {
            let mut pdf = Pdf::with_version("1.5");
            let page = dictionary(vec![("Parent", Object::Reference((4, 0)))]);
            pdf.objects.insert((3, 0), page);
            for i in 0..length {
                let parent = match (i + 1 < length, cycle) {
                    (true, _) => vec![("Parent", Object::Reference((i + 5, 0)))],
                    (false, true) => vec![("Parent", Object::Reference((4, 0)))],
                    (false, false) => Vec::new(),
                };
                pdf.objects.insert((i + 4, 0), dictionary(parent));
            }
            pdf
        };
        let most = MOST_PARENTS as u32;
        assert!(parents_within(&chain(10, false), (3, 0), MOST_PARENTS));
        assert!(parents_within(&chain(most, false), (3, 0), MOST_PARENTS));
        assert!(!parents_within(
            &chain(most + 1, false),
            (3, 0),
            MOST_PARENTS
        ));
        assert!(parents_within(&chain(10, true), (3, 0), MOST_PARENTS));
    }

    #[test]
    fn lengths_that_refer_to_one_another_are_counted() {
        let chain = |n: u32| -> Vec<u8> {
            let mut pdf = Vec::new();
            for i in 0..n {
                let object = format!(
                    "{} 0 obj\n<< /Length {} 0 R >>\nstream\nq\nendstream\nendobj\n",
                    i + 4,
                    i + 5
                );
                pdf.extend(object.as_bytes());
            }
            pdf.extend(format!("{} 0 obj\n2\nendobj\n", n + 4).as_bytes());
            pdf
        };
        assert_eq!(length_chain(&chain(1), 256), 1);
        assert_eq!(length_chain(&chain(40), 256), 40);
        assert_eq!(length_chain(&chain(1000), 256), 257);
        // Lengths that are numbers, or a font's /Length1, are no chain.
        let plain = b"4 0 obj\n<< /Length 2 /Length1 5 0 R >>\nstream\nq\nendstream\nendobj";
        assert_eq!(length_chain(plain, 256), 0);
        assert_eq!(object_number(b"12 0 obj", 5), Some(12));
        assert_eq!(object_number(b"endobj", 3), None);
        assert_eq!(indirect_length(b" 7 0 R"), Some(7));
        assert_eq!(indirect_length(b"1 7 0 R"), None);
        assert_eq!(indirect_length(b"%c\n7 %c\n0 R"), Some(7));
    }

    #[test]
    fn a_pdf_nested_too_deep_is_refused_before_lopdf_reads_it() {
        let pdf = |depth: usize| {
            let nest = [b"[".repeat(depth), b"]".repeat(depth)].concat();
            [&b"%PDF-1.4\n1 0 obj\n<< /X "[..], &nest, b" >>\nendobj\n"].concat()
        };
        assert!(matches!(load(&pdf(100_000)), Err(IngestError::Limit(_))));
        // Within the bound it is lopdf's to read (this one has no cross-reference table).
        assert!(matches!(load(&pdf(10)), Err(IngestError::Corrupt(_))));
    }
}
