//! Part headings (一 … 六), recognised by meaning, and the table of contents.

use crate::words::Words;
use nianbao_ingest::Document;
use nianbao_model::SectionId;
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A heading line of one of the six parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Heading {
    pub id: SectionId,
    pub title: String,
    pub printed_number: Option<String>,
    /// Byte range of the heading line in the document text.
    pub start: usize,
    pub end: usize,
    pub in_toc: bool,
}

/// Longest line (in chars, whitespace removed) that can still be a heading.
const MAX_HEADING_CHARS: usize = 40;

fn numbering() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:第(?P<part>[一二三四五六七八九十]+)部分[、.,:]?|(?P<cn>[一二三四五六七八九十]+)[、.,]|(?P<paren>\([一二三四五六七八九十\d]+\))|(?P<arabic>[1-9])[、.,]?)")
            .expect("valid numbering pattern")
    })
}

fn title_patterns() -> &'static [(SectionId, Regex)] {
    static RE: OnceLock<Vec<(SectionId, Regex)>> = OnceLock::new();
    RE.get_or_init(|| {
        [
            (SectionId::One, r"^(总体情况|总体概况|工作概述|概述|基本情况|概况)"),
            (SectionId::Two, r"^(政府信息)?主动公开(政府信息)?(的)?(情况|工作情况|基本情况)?$|^主动公开政府信息"),
            (SectionId::Three, r"^(收到和处理|收到及处理|受理和处理|收到和办理|收到、处理)(政府信息公开)?申请|^依申请公开(政府信息)?(情况|工作情况|办理情况)?$"),
            (SectionId::Four, r"行政复议.{0,12}(行政诉讼|诉讼)|复议、诉讼"),
            (SectionId::Five, r"问题(及|和|与)(改进|整改)|^(政府信息公开工作)?存在的?(主要)?问题|^(主要)?问题和?改进|改进(情况|措施)$"),
            (SectionId::Six, r"^其他需要?报告的?事项|^其他事项$"),
        ]
        .into_iter()
        .map(|(id, p)| (id, Regex::new(p).expect("valid title pattern")))
        .collect()
    })
}

/// Every text a title pattern matches holds one of these words (kept in step with
/// `title_patterns`; a test checks the shortest title of each alternative): a line with
/// none of them is not asked.
const TITLE_WORDS: [&str; 9] = [
    "概",
    "情况",
    "主动公开",
    "申请",
    "复议",
    "诉讼",
    "问题",
    "改进",
    "其他",
];

/// `TITLE_WORDS` searched for at once.
fn title_words() -> &'static aho_corasick::AhoCorasick {
    static WORDS: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::new(TITLE_WORDS).expect("title words make a searcher")
    })
}

/// `text` without its whitespace: itself, trimmed, when it has none inside (most lines a
/// heading is looked for in; every one was copied).
fn compact(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    match nianbao_ingest::next_whitespace(text, 0) {
        None => Cow::Borrowed(text),
        Some(_) => Cow::Owned(nianbao_ingest::without_whitespace(text)),
    }
}

/// Whether `text` without its whitespace is `word` (no String built: every line is asked).
fn is_compact(text: &str, word: &str) -> bool {
    nianbao_ingest::is_without_whitespace(text, word)
}

/// The heading a line would be, if any; `previous` is the line before (a bare number on
/// its own line numbers the heading after it).
fn heading_of(line: &str, previous: Option<&str>) -> Option<(SectionId, String, Option<String>)> {
    // A row of a table ("行政复议⇥⇥行政诉讼") is not a heading; nor is a long line (checked
    // before anything is allocated: most lines are narrative).
    if memchr::memchr(b'\t', line.trim().as_bytes()).is_some()
        || line
            .chars()
            .filter(|c| !c.is_whitespace())
            .nth(MAX_HEADING_CHARS)
            .is_some()
    {
        return None;
    }
    let text = compact(line);
    if text.is_empty() || text.chars().count() > MAX_HEADING_CHARS || text.ends_with('。') {
        return None;
    }
    if !title_words().is_match(&*text) {
        return None;
    }
    let numbered = numbering().captures(&text).filter(|caps| {
        !text[caps.get(0).map_or(0, |m| m.end())..].starts_with(|c: char| c.is_ascii_digit())
    });
    let (number, title) = match numbered {
        Some(caps) => {
            let number = ["part", "cn", "arabic", "paren"]
                .iter()
                .find_map(|n| caps.name(n))
                .map(|m| m.as_str().to_string());
            (number, text[caps.get(0)?.end()..].to_string())
        }
        None => (None, text.into_owned()),
    };
    let number = number.or_else(|| {
        let prev = compact(previous?);
        (prev.len() == 1 && ('1'..='6').contains(&prev.chars().next()?)).then(|| prev.into_owned())
    });
    let (id, _) = title_patterns()
        .iter()
        .find(|(_, re)| re.is_match(&title))?;
    // "(一)主动公开情况" is a sub-part of 一; "(二)主动公开政府信息情况" numbers part 二.
    if let Some(paren) = number.as_deref().filter(|n| n.starts_with('(')) {
        if paren.trim_matches(|c| c == '(' || c == ')') != id.numeral() {
            return None;
        }
    }
    // An unnumbered line must be the title and nothing else.
    if number.is_none() && title.chars().count() > 24 {
        return None;
    }
    Some((*id, title, number))
}

fn inline_heading() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:^|[。;\s\d])\s*(?P<n>[一二三四五六])、\s*(?P<title>总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议、行政诉讼情况|(?:政府信息公开工作)?存在的主要问题及改进情况|其他需要报告的事项)")
            .expect("valid inline heading pattern")
    })
}

/// Headings inside a long line (crawled pages run the whole body together): only the
/// official titles with their own numeral count.
fn inline_headings(doc: &Document, line: &nianbao_ingest::Line) -> Vec<Heading> {
    // Words each official title holds: a line with none of them has no heading.
    static OFFICIAL_TITLE_WORDS: Words = Words::new(&[
        "总体情况",
        "主动公开政府信息情况",
        "收到和处理政府信息公开申请情况",
        "行政复议",
        "存在的主要问题及改进情况",
        "其他需要报告的事项",
    ]);
    let text = doc.line_text(line);
    if !OFFICIAL_TITLE_WORDS.any_in(text) {
        return Vec::new();
    }
    inline_heading_matches(text)
        .filter_map(|caps| {
            let n = caps.name("n")?;
            let title = caps.name("title")?;
            let id = SectionId::from_numeral(n.as_str())?;
            let (_, re) = title_patterns().iter().find(|(i, _)| *i == id)?;
            re.is_match(title.as_str()).then(|| Heading {
                id,
                title: title.as_str().to_string(),
                printed_number: Some(n.as_str().to_string()),
                start: line.start + n.start(),
                end: line.start + title.end(),
                in_toc: false,
            })
        })
        .collect()
}

/// Bytes after a heading's numeral and its spaces that hold any official title (the
/// longest, 存在的主要问题及改进情况 with 政府信息公开工作 before it, is 60).
const INLINE_TITLE_BYTES: usize = 64;

/// The inline heading pattern's matches in a long line, as `captures_iter` finds them. A
/// match holds a numeral and "、": the pattern is tried only around each such pair, found
/// by memmem, from the char before the spaces ahead of the numeral (where the match may
/// start) to past where the longest title would end — not run over the whole line.
fn inline_heading_matches(text: &str) -> impl Iterator<Item = regex::Captures<'_>> + '_ {
    let mut searched_to = 0;
    memchr::memmem::find_iter(text.as_bytes(), "、".as_bytes()).filter_map(move |mark| {
        let numeral = text[..mark]
            .chars()
            .next_back()
            .filter(|c| matches!(c, '一' | '二' | '三' | '四' | '五' | '六'))?;
        let numeral_at = mark - numeral.len_utf8();
        if numeral_at < searched_to {
            return None;
        }
        let before = text[..numeral_at].trim_end_matches(char::is_whitespace);
        let from = before.char_indices().next_back().map_or(0, |(at, _)| at);
        let after_mark = &text[mark + "、".len()..];
        let title_at = text.len() - after_mark.trim_start().len();
        let mut until = (title_at + INLINE_TITLE_BYTES).min(text.len());
        while !text.is_char_boundary(until) {
            until -= 1;
        }
        let caps = inline_heading().captures_at(&text[..until], from)?;
        if caps.name("n")?.start() != numeral_at {
            return None;
        }
        searched_to = caps.get(0)?.end();
        Some(caps)
    })
}

/// All heading lines, with those of a table of contents marked.
pub fn find_headings(doc: &Document) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut previous: Option<&str> = None;
    let mut toc_open = false;
    let mut toc_seen: Vec<SectionId> = Vec::new();
    for line in doc.lines() {
        let text = doc.line_text(line);
        // Trimmed once: asking whether it is a heading trims nothing more.
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        if is_compact(trimmed, "目录") {
            toc_open = true;
            toc_seen.clear();
        } else if let Some((id, title, printed_number)) = heading_of(trimmed, previous)
            .or_else(|| doc.ocr_layer.then(|| misread_heading(trimmed))?)
        {
            if toc_open && toc_seen.contains(&id) {
                // The first part listed again: the body begins.
                toc_open = false;
            }
            if toc_open {
                toc_seen.push(id);
            }
            headings.push(Heading {
                id,
                title,
                printed_number,
                start: line.start,
                end: line.end,
                in_toc: toc_open,
            });
        } else if trimmed.chars().nth(MAX_HEADING_CHARS).is_some() {
            toc_open = false;
            headings.extend(inline_headings(doc, line));
        }
        previous = Some(text);
    }
    headings
}

/// A heading of a recognised text whose numbering OCR misread: "第" dropped before "六部分",
/// the numeral read as Latin junk or a dash ("7X5 其他需要报告的事项", "—.总体情况",
/// "第7部分…") or as another character ("入、…"), or a speck read as a character before it
/// ("和六、…": then only a numbered heading counts).
fn misread_heading(line: &str) -> Option<(SectionId, String, Option<String>)> {
    let mut chars = line.chars();
    let first = chars.next()?;
    let after_first = chars.as_str();
    if crate::tables::is_chinese_numeral(first) && after_first.starts_with("部分") {
        return heading_of(&format!("第{line}"), None);
    }
    if let Some(rest) = line.strip_prefix('第') {
        let number = rest.bytes().take_while(u8::is_ascii_graphic).count();
        if (1..=2).contains(&number) {
            if let Some(title) = rest[number..].strip_prefix("部分") {
                return heading_of(title, None);
            }
        }
    }
    if let Some(heading) = past_misread_number(line).and_then(|rest| heading_of(rest, None)) {
        return Some(heading);
    }
    if let Some(title) = after_first.strip_prefix(['、', '.', '．']) {
        // The numeral itself misread as another character ("六、" as "入、").
        return heading_of(title, None);
    }
    heading_of(after_first, None).filter(|(_, _, number)| number.is_some())
}

/// A heading's text past what OCR made of its numeral ("六、" read as "7X5", "一." as
/// "—."): one to four Latin letters, digits, signs or dashes, then the heading's Chinese.
/// `None` for anything else, and for a number of two digits or more (a year, a count:
/// "2021年度…" is a sentence).
fn past_misread_number(line: &str) -> Option<&str> {
    let junk = line
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_graphic() || matches!(c, '—' | '–' | '―' | '－'))
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let rest = line[junk..]
        .trim_start()
        .trim_start_matches(['、', '，', '．']);
    let prefix = &line[..junk];
    let a_number = prefix.len() >= 2 && prefix.bytes().all(|b| b.is_ascii_digit());
    (prefix.len() <= 4 && !a_number && rest.starts_with(crate::tables::is_han)).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_whose_numeral_ocr_misread_is_found_in_a_scan_only() {
        assert_eq!(
            past_misread_number("7X5 其他需要报告的事项"),
            Some("其他需要报告的事项")
        );
        assert_eq!(
            past_misread_number("/\\.其他需要报告的事项"),
            Some("其他需要报告的事项")
        );
        assert_eq!(past_misread_number("—.总体情况"), Some("总体情况"));
        assert_eq!(past_misread_number("—、总体情况"), Some("总体情况"));
        assert_eq!(past_misread_number("其他需要报告的事项"), None);
        assert_eq!(past_misread_number("2021年度其他需要报告的事项"), None);
        let text = "五、存在的主要问题及改进情况\n正文。\n7X5 其他需要报告的事项\n无。\n";
        assert_eq!(numerals_found(text, true), ["五", "六"]);
        assert_eq!(numerals_found(text, false), ["五"]);
    }

    /// The numerals of the headings found in `text`, read as recognised text or not.
    fn numerals_found(text: &str, ocr_layer: bool) -> Vec<&'static str> {
        let mut doc = nianbao_ingest::from_text("scan.txt", text);
        doc.ocr_layer = ocr_layer;
        find_headings(&doc).iter().map(|h| h.id.numeral()).collect()
    }

    #[test]
    fn a_part_heading_whose_di_ocr_dropped_is_found_in_a_scan_only() {
        let text = "第一部分总体情况\n正文。\n六部分其他需要报告的事项\n无。\n";
        assert_eq!(numerals_found(text, true), ["一", "六"]);
        assert_eq!(numerals_found(text, false), ["一"]);
        let numeral = |line: &str| misread_heading(line).map(|(id, _, _)| id.numeral());
        assert_eq!(numeral("第7部分其他需要报告的事项"), Some("六"));
        assert_eq!(numeral("和六、其他需要报告的事项"), Some("六"));
        assert_eq!(numeral("入、其他需要报告的事项"), Some("六"));
        assert_eq!(numeral("和其他需要报告的事项"), None, "a sentence's end");
        assert_eq!(misread_heading("六部分之一的数字"), None, "no title");
    }

    #[test]
    fn inline_headings_are_matched_as_the_whole_line_is() {
        let titles = [
            "总体情况",
            "主动公开政府信息情况",
            "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况",
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题及改进情况",
            "其他需要报告的事项",
        ];
        let numerals = ["一", "二", "三", "四", "五", "六", "七"];
        let before = ["", "。", ";", " ", "\u{3000}", "8", "。 \t ", "况", "一、"];
        let after = ["", " ", "\t\t", "　"];
        let mut line = String::from("正文，包括一、二、三类。");
        for (k, title) in titles.iter().cycle().take(40).enumerate() {
            line.push_str(before[k % before.len()]);
            line.push_str(numerals[k % numerals.len()]);
            line.push('、');
            line.push_str(after[k % after.len()]);
            line.push_str(title);
            line.push_str(["。正文", "", "其他", "二、"][k % 4]);
        }
        for start in (0..line.len())
            .filter(|&i| line.is_char_boundary(i))
            .step_by(5)
        {
            let text = &line[start..];
            let whole: Vec<_> = inline_heading()
                .captures_iter(text)
                .map(|c| {
                    (
                        c.name("n").unwrap().range(),
                        c.name("title").unwrap().range(),
                    )
                })
                .collect();
            let windowed: Vec<_> = inline_heading_matches(text)
                .map(|c| {
                    (
                        c.name("n").unwrap().range(),
                        c.name("title").unwrap().range(),
                    )
                })
                .collect();
            assert!(start > 0 || whole.len() >= 20, "{}", whole.len());
            assert_eq!(windowed, whole, "from {start}");
        }
    }

    fn headings(text: &str) -> Vec<(SectionId, bool, Option<String>)> {
        let doc = nianbao_ingest::from_bytes("t.txt", text.as_bytes()).unwrap();
        find_headings(&doc)
            .into_iter()
            .map(|h| (h.id, h.in_toc, h.printed_number))
            .collect()
    }

    #[test]
    fn numbered_titles_in_any_wording() {
        let h = headings("一、总体情况\n正文。\n二、主动公开政府信息情况\n五、政府信息公开工作存在的主要问题及改进措施\n六、其他需要报告事项\n");
        let ids: Vec<SectionId> = h.iter().map(|x| x.0).collect();
        assert_eq!(
            ids,
            [
                SectionId::One,
                SectionId::Two,
                SectionId::Five,
                SectionId::Six
            ]
        );
    }

    #[test]
    fn every_title_holds_a_title_word() {
        let shortest = [
            (SectionId::One, "总体情况 总体概况 工作概述 概述 基本情况 概况"),
            (SectionId::Two, "主动公开 政府信息主动公开 主动公开政府信息"),
            (SectionId::Three, "收到和处理申请 收到及处理申请 受理和处理申请 收到和办理申请 收到、处理申请 依申请公开"),
            (SectionId::Four, "行政复议行政诉讼 行政复议诉讼 复议、诉讼"),
            (SectionId::Five, "问题及改进 问题与整改 存在问题 问题改进 改进情况 改进措施"),
            (SectionId::Six, "其他需报告事项 其他事项"),
        ];
        for (id, titles) in shortest {
            let (_, pattern) = title_patterns().iter().find(|(i, _)| *i == id).unwrap();
            for title in titles.split(' ') {
                assert!(pattern.is_match(title), "{title} is a title of {id:?}");
                assert!(TITLE_WORDS.iter().any(|w| title.contains(w)), "{title}");
            }
        }
    }

    #[test]
    fn table_rows_are_not_headings() {
        let h = headings("一、本年新收政府信息公开申请数量\t51\n三、本年度办理结果\n四、结转下年度继续办理\t2\n(一)主动公开情况\n(二)依申请公开\n");
        assert!(h.is_empty(), "{h:?}");
    }

    #[test]
    fn bracketed_numbering_counts_when_it_is_the_part_number() {
        let h = headings("（一）总体情况\n（二）主动公开政府信息情况\n（六）其他需要报告的事项\n");
        let ids: Vec<SectionId> = h.iter().map(|x| x.0).collect();
        assert_eq!(ids, [SectionId::One, SectionId::Two, SectionId::Six]);
    }

    #[test]
    fn table_of_contents_is_told_apart_from_the_body() {
        let h = headings("目录\n1\n总体情况\n2\n主动公开政府信息情况\n6\n其他需要报告的事项\n1\n总体情况\n正文正文正文。\n5\n存在的主要问题及改进情况\n");
        assert_eq!(
            h,
            vec![
                (SectionId::One, true, Some("1".into())),
                (SectionId::Two, true, Some("2".into())),
                (SectionId::Six, true, Some("6".into())),
                (SectionId::One, false, Some("1".into())),
                (SectionId::Five, false, Some("5".into())),
            ]
        );
    }
}
