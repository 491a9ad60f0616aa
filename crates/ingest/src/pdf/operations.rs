//! A page's content stream read into lopdf's operations by hand: the grammar of lopdf
//! 0.34's `Content::decode`, rule for rule, without its parser combinators (which were 40%
//! of what reading a PDF cost: each operand tried against every kind of object in turn,
//! each failure an error built and dropped). Like lopdf's, the reading stops at the first
//! operation it cannot read and gives the operations before it. One difference: arrays and
//! dictionaries nested deeper than `MOST_NESTED` end the reading, where lopdf's recursion
//! would overflow the stack. A test holds the two to the same operations over real
//! content streams and thousands of damaged copies of them.

use lopdf::content::Operation;
use lopdf::{Dictionary, Object, StringFormat};

/// How deep literal strings nest in lopdf (`reader::MAX_BRACKET`).
const MOST_PARENTHESES: usize = 100;

/// How deep arrays and dictionaries may nest (a page's operands nest two or three deep).
const MOST_NESTED: usize = 256;

/// What is left of the input after a value, and the value.
type Read<'a, T> = Option<(&'a [u8], T)>;

/// The operations of a content stream, up to the first that cannot be read.
pub(crate) fn decode(data: &[u8]) -> Vec<Operation> {
    let mut rest = content_space(data);
    let mut operations = Vec::new();
    while let Some((after, operation)) = operation(rest) {
        operations.push(operation);
        rest = after;
    }
    operations
}

fn is_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\0' | b'\x0C')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

pub(super) fn is_regular(c: u8) -> bool {
    !is_whitespace(c) && !is_delimiter(c)
}

/// The input after its first `n` bytes that `keep` holds.
fn skip_while(input: &[u8], keep: impl Fn(u8) -> bool) -> &[u8] {
    let n = input.iter().take_while(|&&c| keep(c)).count();
    &input[n..]
}

/// Between operands and operations: spaces, tabs and line ends only.
fn content_space(input: &[u8]) -> &[u8] {
    skip_while(input, |c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Inside arrays and dictionaries: any white space and comments.
pub(super) fn space(input: &[u8]) -> &[u8] {
    let mut rest = input;
    loop {
        let after = skip_while(rest, is_whitespace);
        if after.len() < rest.len() {
            rest = after;
            continue;
        }
        match comment(rest) {
            Some(after) => rest = after,
            None => return rest,
        }
    }
}

fn eol(input: &[u8]) -> Option<&[u8]> {
    input
        .strip_prefix(b"\r\n")
        .or_else(|| input.strip_prefix(b"\n"))
        .or_else(|| input.strip_prefix(b"\r"))
}

/// A comment and the line end that closes it (one at the very end is no comment).
fn comment(input: &[u8]) -> Option<&[u8]> {
    let text = input.strip_prefix(b"%")?;
    eol(skip_while(text, |c| c != b'\r' && c != b'\n'))
}

fn operation(input: &[u8]) -> Read<'_, Operation> {
    let mut rest = input;
    while let Some(after) = comment(rest) {
        rest = after;
    }
    let mut operands = Vec::new();
    while let Some((after, operand)) = operand(rest) {
        operands.push(operand);
        rest = after;
    }
    let after = skip_while(rest, |c| {
        c.is_ascii_alphabetic() || matches!(c, b'*' | b'\'' | b'"')
    });
    let name = &rest[..rest.len() - after.len()];
    if name.is_empty() {
        return None;
    }
    let operator = std::str::from_utf8(name).ok()?.to_string();
    Some((content_space(after), Operation { operator, operands }))
}

fn operand(input: &[u8]) -> Read<'_, Object> {
    let (rest, object) = object(input, false, 0)?;
    Some((content_space(rest), object))
}

/// An object where an operand (`in_array` false) or an array's or dictionary's item may
/// be: lopdf tries null, true and false, a reference (items only), a real, an integer, a
/// name, a literal string, a hexadecimal string, an array and a dictionary, in that order.
fn object(input: &[u8], in_array: bool, depth: usize) -> Read<'_, Object> {
    if let Some(rest) = input.strip_prefix(b"null") {
        return Some((rest, Object::Null));
    }
    if let Some(rest) = input.strip_prefix(b"true") {
        return Some((rest, Object::Boolean(true)));
    }
    if let Some(rest) = input.strip_prefix(b"false") {
        return Some((rest, Object::Boolean(false)));
    }
    if in_array {
        if let Some(found) = reference(input) {
            return Some(found);
        }
    }
    if let Some((rest, value)) = real(input) {
        return Some((rest, Object::Real(value)));
    }
    if let Some((rest, value)) = integer(input) {
        return Some((rest, Object::Integer(value)));
    }
    match input.first()? {
        b'/' => name(input).map(|(rest, name)| (rest, Object::Name(name))),
        b'(' => literal_string(input).map(|(rest, s)| (rest, Object::string_literal(s))),
        b'<' => hexadecimal_string(input).or_else(|| {
            let (rest, dict) = dictionary(input, depth)?;
            Some((rest, Object::Dictionary(dict)))
        }),
        b'[' => array(input, depth).map(|(rest, items)| (rest, Object::Array(items))),
        _ => None,
    }
}

/// An array's or dictionary's item and the space after it.
fn item(input: &[u8], depth: usize) -> Read<'_, Object> {
    let (rest, object) = object(input, true, depth)?;
    Some((space(rest), object))
}

fn digits(input: &[u8]) -> usize {
    input.iter().take_while(|c| c.is_ascii_digit()).count()
}

fn sign(input: &[u8]) -> usize {
    usize::from(matches!(input.first(), Some(b'+' | b'-')))
}

/// The text of `input[..end]` read as a number, and the input after it.
fn parsed<T: std::str::FromStr>(input: &[u8], end: usize) -> Read<'_, T> {
    let value = std::str::from_utf8(&input[..end]).ok()?.parse().ok()?;
    Some((&input[end..], value))
}

/// A sign, then digits, a point and maybe more digits, or a point and digits.
fn real(input: &[u8]) -> Read<'_, f32> {
    let signed = sign(input);
    let body = &input[signed..];
    let whole = digits(body);
    let after_point = body.get(whole..)?.strip_prefix(b".")?;
    let fraction = digits(after_point);
    if whole == 0 && fraction == 0 {
        return None;
    }
    parsed(input, signed + whole + 1 + fraction)
}

fn integer(input: &[u8]) -> Read<'_, i64> {
    let signed = sign(input);
    match digits(&input[signed..]) {
        0 => None,
        n => parsed(input, signed + n),
    }
}

/// An indirect reference: "12 0 R", spaces (and comments) between.
pub(super) fn reference(input: &[u8]) -> Read<'_, Object> {
    let unsigned = |input| match digits(input) {
        0 => None,
        n => Some(n),
    };
    let (rest, id) = parsed::<u32>(input, unsigned(input)?)?;
    let rest = space(rest);
    let (rest, generation) = parsed::<u16>(rest, unsigned(rest)?)?;
    let rest = space(rest).strip_prefix(b"R")?;
    Some((rest, Object::Reference((id, generation))))
}

fn hex_value(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).map(|v| v as u8)
}

/// "/Name", each "#xx" one byte; a "#" not followed by two hex digits ends it.
fn name(input: &[u8]) -> Read<'_, Vec<u8>> {
    let mut rest = input.strip_prefix(b"/")?;
    let mut name = Vec::new();
    loop {
        match rest {
            [b'#', high, low, after @ ..] => match (hex_value(*high), hex_value(*low)) {
                (Some(high), Some(low)) => {
                    name.push(high << 4 | low);
                    rest = after;
                }
                _ => break,
            },
            [c, after @ ..] if *c != b'#' && is_regular(*c) => {
                name.push(*c);
                rest = after;
            }
            _ => break,
        }
    }
    Some((rest, name))
}

fn literal_string(input: &[u8]) -> Read<'_, Vec<u8>> {
    let rest = input.strip_prefix(b"(")?;
    let (rest, text) = inside_parentheses(rest, MOST_PARENTHESES);
    Some((rest.strip_prefix(b")")?, text))
}

/// A literal string's bytes up to its closing parenthesis: runs of plain bytes, escapes,
/// line ends as they are, and parentheses nested at most `depth` deep, kept.
fn inside_parentheses(input: &[u8], depth: usize) -> (&[u8], Vec<u8>) {
    let mut text = Vec::new();
    let mut rest = input;
    loop {
        let after = skip_while(rest, |c| !matches!(c, b'(' | b')' | b'\\' | b'\r' | b'\n'));
        if after.len() < rest.len() {
            text.extend_from_slice(&rest[..rest.len() - after.len()]);
            rest = after;
            continue;
        }
        match rest.first() {
            Some(b'\\') => match escape(&rest[1..]) {
                Some((after, byte)) => {
                    text.extend(byte);
                    rest = after;
                }
                None => break,
            },
            Some(b'\r' | b'\n') => {
                let after = eol(rest).unwrap_or(&rest[1..]);
                text.extend_from_slice(&rest[..rest.len() - after.len()]);
                rest = after;
            }
            Some(b'(') if depth > 0 => {
                let (after, nested) = inside_parentheses(&rest[1..], depth - 1);
                let Some(after) = after.strip_prefix(b")") else {
                    break;
                };
                text.push(b'(');
                text.extend_from_slice(&nested);
                text.push(b')');
                rest = after;
            }
            _ => break,
        }
    }
    (rest, text)
}

/// What follows a backslash: up to three octal digits (overflow ignored), a line end (a
/// line continued: nothing), a letter of \n \r \t \b \f, or any byte as itself.
fn escape(input: &[u8]) -> Read<'_, Option<u8>> {
    let octal = input
        .iter()
        .take(3)
        .take_while(|c| (b'0'..=b'7').contains(*c))
        .count();
    if octal > 0 {
        let value = input[..octal]
            .iter()
            .fold(0u16, |v, &c| v * 8 + u16::from(c - b'0'));
        return Some((&input[octal..], Some(value as u8)));
    }
    if let Some(after) = eol(input) {
        return Some((after, None));
    }
    let (&c, after) = input.split_first()?;
    let byte = match c {
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'b' => b'\x08',
        b'f' => b'\x0C',
        other => other,
    };
    Some((after, Some(byte)))
}

/// "<4E 6F>": hex digits, white space between; an odd last digit is the high half.
fn hexadecimal_string(input: &[u8]) -> Read<'_, Object> {
    let mut rest = input.strip_prefix(b"<")?;
    let mut bytes: Vec<u8> = Vec::new();
    let mut high_half = true;
    loop {
        let after_space = skip_while(rest, is_whitespace);
        let Some(value) = after_space.first().and_then(|&c| hex_value(c)) else {
            break;
        };
        match (high_half, bytes.last_mut()) {
            (false, Some(last)) => *last |= value,
            _ => bytes.push(value << 4),
        }
        high_half = !high_half;
        rest = &after_space[1..];
    }
    let rest = skip_while(rest, is_whitespace).strip_prefix(b">")?;
    Some((rest, Object::String(bytes, StringFormat::Hexadecimal)))
}

fn array(input: &[u8], depth: usize) -> Read<'_, Vec<Object>> {
    if depth >= MOST_NESTED {
        return None;
    }
    let mut rest = space(input.strip_prefix(b"[")?);
    let mut items = Vec::new();
    while let Some((after, item)) = item(rest, depth + 1) {
        items.push(item);
        rest = after;
    }
    Some((rest.strip_prefix(b"]")?, items))
}

fn dictionary(input: &[u8], depth: usize) -> Read<'_, Dictionary> {
    if depth >= MOST_NESTED {
        return None;
    }
    let mut rest = space(input.strip_prefix(b"<<")?);
    let mut dict = Dictionary::new();
    while let Some((after_key, key)) = name(rest) {
        let Some((after, value)) = item(space(after_key), depth + 1) else {
            break;
        };
        dict.set(key, value);
        rest = after;
    }
    Some((rest.strip_prefix(b">>")?, dict))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Content;

    /// lopdf's reading of the same bytes.
    fn lopdf(data: &[u8]) -> Vec<Operation> {
        Content::decode(data).map_or_else(|_| Vec::new(), |c| c.operations)
    }

    fn same(data: &[u8]) -> bool {
        let (ours, theirs) = (decode(data), lopdf(data));
        format!("{ours:?}") == format!("{theirs:?}")
    }

    /// Content streams that reach every rule of the grammar, and the ways each can fail.
    const CASES: &[&[u8]] = &[
        b"",
        b"   \n",
        b"q 1 0 0 1 72 720 cm BT /F1 12 Tf (Hello) Tj ET Q",
        b"BT\r\n/F2 9.5 Tf\r10 -2.25 Td [(A) -120 (B) 33.5 <0041 0042>] TJ\nET",
        b"0.5 g 0 0 100 50 re f* 1 w 0 0 m 100 0 l S",
        b"(a\\(b\\)c) Tj (nest (in (deep)) ) Tj (oct \\101\\1011\\7 \\8) Tj",
        b"(line\\\ncontinued\\\r\nand \\n\\r\\t\\b\\f\\\\) Tj (raw\r\nbreak\rhere) Tj",
        b"<4E 6F\x0c7>Tj <> Tj < a B c > Tj <zz> Tj",
        b"/Name#20with#41hex /Bad#zz Do",
        b"/ Do /#4 Do",
        b"% a comment\nq\n%another\r\nQ % trailing\n",
        b"q % no line end",
        b"q %c\n Q",
        b"<< /MCID 3 /Type /Span /A [1 0 R 2 true null] /D << /X (y) >> >> BDC EMC",
        b"/OC /oc1 BDC [1 2 % c\n 3] 4 d EMC",
        b"1. .5 -.5 +3 -0 +.25 5.e 12 13 cm",
        b"99999999999999999999 0 Td q",
        b"- 1 Td",
        b". Tj",
        b"nullx truey falsez T*",
        b"1 2 ' (a) \" * Q",
        b"[ 1 0 R ] TJ [1 0 R 5] TJ [4294967296 0 R] TJ [1 65536 R] TJ",
        b"(unclosed Tj Q",
        b"(deep ((((((((((((x)))))))))))) Tj",
        b"[(a) [(b) [(c)]]] TJ",
        b"<< /K >> BDC <</A 1/B<</C 2>>>>BDC",
        b"\x00q Q",
        b"q\x00Q",
        b"5 \xe4\xb8\xad Tj",
        b"BI /W 2 /H 2 /BPC 8 /CS /G ID \x00\xff\x10\x20 EI Q",
    ];

    #[test]
    fn operations_are_lopdfs() {
        for case in CASES {
            assert!(same(case), "{:?}", String::from_utf8_lossy(case));
        }
    }

    #[test]
    fn parentheses_nest_as_deep_as_lopdfs_allow() {
        for depth in [98, 99, 100, 101, 102] {
            let mut case = b"(".to_vec();
            case.extend(std::iter::repeat_n(b'(', depth));
            case.extend(std::iter::repeat_n(b')', depth + 1));
            case.extend(b" Tj Q");
            assert!(same(&case), "{depth}");
        }
    }

    #[test]
    fn nesting_past_the_bound_ends_the_reading() {
        let mut deep = b"q ".to_vec();
        deep.extend(std::iter::repeat_n(b'[', MOST_NESTED + 1));
        deep.extend(std::iter::repeat_n(b']', MOST_NESTED + 1));
        deep.extend(b" TJ Q");
        let read = decode(&deep);
        assert_eq!(read.len(), 1, "the q before it");
        assert_eq!(read[0].operator, "q");
    }

    /// The content streams of ../shared's PDF and the test fixture's.
    fn real_streams() -> Vec<Vec<u8>> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let files = [
            dir.join("../shared/corpus/003_hongze_2023.pdf"),
            dir.join("tests/fixtures/scanned.pdf"),
        ];
        let mut streams = Vec::new();
        for file in files {
            let pdf = lopdf::Document::load(&file).expect("a PDF");
            for page in pdf.get_pages().values() {
                streams.push(pdf.get_page_content(*page).expect("a content stream"));
            }
        }
        streams
    }

    #[test]
    fn real_content_streams_and_damaged_copies_read_as_lopdf_reads_them() {
        let streams = real_streams();
        assert!(streams.iter().any(|s| s.len() > 10_000));
        // A fixed sequence of pseudo-random numbers (a 64-bit LCG).
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |below: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize % below.max(1)
        };
        // Bytes that matter to the grammar, to damage a stream with.
        let tokens: &[u8] = b"()<>[]{}/%\\#\r\n\t \x00\x0c.+-0179aFzRTjnulltruefalse";
        for stream in &streams {
            assert!(same(stream));
            for _ in 0..1500 {
                let mut damaged = stream.clone();
                let at = next(damaged.len());
                // One to three changes close together, then the stretch around them (a
                // reading stops at its first damage: the whole stream would hide the rest).
                for _ in 0..1 + next(3) {
                    let near = (at + next(40)).min(damaged.len() - 1);
                    match next(3) {
                        0 => damaged[near] = tokens[next(tokens.len())],
                        1 => damaged.insert(near, tokens[next(tokens.len())]),
                        _ => {
                            damaged.remove(near);
                        }
                    }
                }
                let start = at.saturating_sub(next(600));
                let end = (at + next(600)).min(damaged.len());
                let window = &damaged[start.min(end)..end];
                assert!(same(window), "{:?}", String::from_utf8_lossy(window));
            }
        }
    }
}
