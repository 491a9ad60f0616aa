//! Who published a report, on which year, and what kind of organ it is: candidates from
//! every place real pages put them, each with where it was read, chosen by agreement.
//!
//! The organ is taken from the first of: the title, a short line next to a title that
//! names none, the first sentence, the 落款, the site's metadata block, the compiler line
//! ("本报告由…编制", often the government's office rather than the organ). Where another
//! source gives a fuller form of the same organ (the full name of a short one, the
//! government of a place named alone), the fuller is shown. The year is taken from the first
//! of: the title, the first sentence, the statistical period, the overview's sentences —
//! never the publication date. Every source's reading is kept, and whether it agrees.

mod level;
mod name;
mod sources;
mod title;

use nianbao_ingest::Document;
use nianbao_model::{organ_key, same_organ, IdentityField, IdentityReading, IdentitySource, Level};

/// How many non-empty lines at the top and at the end are read for identity.
const TOP_LINES: usize = 60;
const TAIL_LINES: usize = 12;
/// How many non-empty lines the overview's opening years are looked for in.
const OVERVIEW_LINES: usize = 200;

/// A non-empty line of the document (trimmed) and its byte range.
pub struct TopLine<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// One source's reading, with its byte range in the document text.
pub struct Candidate {
    field: IdentityField,
    source: IdentitySource,
    value: String,
    start: usize,
    end: usize,
}

impl Candidate {
    fn organ(source: IdentitySource, value: String, start: usize, end: usize) -> Candidate {
        Candidate {
            field: IdentityField::Organ,
            source,
            value,
            start,
            end,
        }
    }

    fn year(source: IdentitySource, value: &str, start: usize, end: usize) -> Candidate {
        Candidate {
            field: IdentityField::Year,
            source,
            value: value.to_string(),
            start,
            end,
        }
    }
}

/// What the report says of itself.
#[derive(Default)]
pub struct Identity {
    pub title: Option<String>,
    pub organ: Option<String>,
    pub aliases: Vec<String>,
    pub year: Option<i32>,
    pub level: Option<Level>,
    pub readings: Vec<IdentityReading>,
}

/// Reads the report's identity; `period` is its statistical period, when found.
pub fn identify(doc: &Document, period: Option<&crate::meta::FoundPeriod>) -> Identity {
    let (title, candidates) = read_candidates(doc, period);
    choose(doc, title.map(|t| t.text), candidates)
}

/// The report's organ, its other names and its year, as `identify` tells them, without the
/// readings and the level (a batch's first pass pairs reports by these alone).
pub fn pairing(doc: &Document, period: Option<&crate::meta::FoundPeriod>) -> crate::Identified {
    let (_, candidates) = read_candidates(doc, period);
    let told = told(doc, &candidates);
    crate::Identified {
        organ: told.organ,
        aliases: told.aliases,
        year: told.year,
    }
}

/// Every source's reading, and the title when there is one.
fn read_candidates(
    doc: &Document,
    period: Option<&crate::meta::FoundPeriod>,
) -> (Option<title::Title>, Vec<Candidate>) {
    // Every non-empty line, trimmed once.
    let non_empty: Vec<TopLine> = doc
        .lines()
        .iter()
        .map(|l| TopLine {
            text: doc.line_text(l).trim(),
            start: l.start,
            end: l.end,
        })
        .filter(|l| !l.text.is_empty())
        .collect();
    let lines = &non_empty[..non_empty.len().min(OVERVIEW_LINES)];
    let top = &lines[..lines.len().min(TOP_LINES)];
    let tail = &non_empty[non_empty.len().saturating_sub(TAIL_LINES)..];
    let title = title::find(top, doc.ocr_layer);
    let mut candidates = Vec::new();
    let body_from = title.as_ref().map_or(0, |t| t.end);
    if let Some(t) = &title {
        if let Some(organ) = t.organ() {
            let organ = expand_place(doc, organ);
            candidates.push(Candidate::organ(
                IdentitySource::Title,
                organ,
                t.start,
                t.end,
            ));
        }
        if let Some(year) = t.year() {
            candidates.push(Candidate::year(
                IdentitySource::Title,
                &year.to_string(),
                t.start,
                t.end,
            ));
        }
        candidates.extend(sources::title_lines(top, t));
    }
    candidates.extend(sources::first_sentence(&doc.text, body_from));
    candidates.extend(sources::signature(tail, doc.ocr_layer));
    candidates.extend(sources::metadata(&doc.text, top));
    candidates.extend(sources::compiler(&doc.text, body_from));
    candidates.extend(sources::stat_period(period));
    candidates.extend(sources::overview(lines));
    (title, candidates)
}

/// The sources in the order they are believed for the organ.
const ORGAN_ORDER: [IdentitySource; 6] = [
    IdentitySource::Title,
    IdentitySource::TitleLine,
    IdentitySource::FirstSentence,
    IdentitySource::Signature,
    IdentitySource::Metadata,
    IdentitySource::Compiler,
];

/// The sources in the order they are believed for the year.
const YEAR_ORDER: [IdentitySource; 4] = [
    IdentitySource::Title,
    IdentitySource::FirstSentence,
    IdentitySource::StatPeriod,
    IdentitySource::Overview,
];

fn first_of<'a>(
    candidates: &'a [Candidate],
    field: IdentityField,
    order: &[IdentitySource],
) -> Option<&'a Candidate> {
    order.iter().find_map(|s| {
        candidates
            .iter()
            .find(|c| c.field == field && c.source == *s)
    })
}

/// What the candidates tell: the organ (in its fullest form) and where it was read, its
/// other names, the year.
struct Told {
    organ: Option<String>,
    organ_from: Option<IdentitySource>,
    aliases: Vec<String>,
    year: Option<i32>,
}

fn told(doc: &Document, candidates: &[Candidate]) -> Told {
    let chosen_organ = first_of(candidates, IdentityField::Organ, &ORGAN_ORDER);
    let organ = chosen_organ.map(|c| fullest(&c.value, candidates));
    let year = first_of(candidates, IdentityField::Year, &YEAR_ORDER)
        .and_then(|c| c.value.parse::<i32>().ok());
    Told {
        aliases: aliases(organ.as_deref(), candidates, &doc.text),
        organ,
        organ_from: chosen_organ.map(|c| c.source),
        year,
    }
}

fn choose(doc: &Document, title: Option<String>, candidates: Vec<Candidate>) -> Identity {
    let Told {
        organ,
        organ_from,
        aliases,
        year,
    } = told(doc, &candidates);
    let key = organ.as_deref().map(organ_key);
    let mut readings: Vec<IdentityReading> = candidates
        .iter()
        .map(|c| {
            let agrees = match c.field {
                IdentityField::Organ => key
                    .as_deref()
                    .is_some_and(|k| same_organ(k, &organ_key(&c.value))),
                _ => year.is_some_and(|y| c.value == y.to_string()),
            };
            let note = (c.source == IdentitySource::Compiler && !agrees)
                .then(|| "编制单位，不一定是报告的机关".to_string());
            IdentityReading {
                field: c.field,
                source: c.source,
                value: c.value.clone(),
                span: Some(doc.span(c.start, c.end)),
                agrees,
                note,
            }
        })
        .collect();
    let mut level = None;
    if let Some(organ) = &organ {
        let compiled_only = organ_from == Some(IdentitySource::Compiler);
        match level::level_of(organ) {
            // A government's office that only compiled the report may be reporting for the
            // government: the deadline differs, so the level is left unknown.
            Some((Level::Department, _)) if compiled_only && is_government_office(organ) => {
                readings.push(level_reading(
                    None,
                    "机关仅见于编制单位（政府办公室），无法判断是政府还是办公室的报告",
                ));
            }
            Some((l, rule)) => {
                level = Some(l);
                readings.push(level_reading(Some(l), rule));
            }
            None => readings.push(level_reading(None, "名称不足以判断机关层级")),
        }
    }
    Identity {
        title,
        organ,
        aliases,
        year,
        level,
        readings,
    }
}

fn level_reading(level: Option<Level>, rule: &str) -> IdentityReading {
    IdentityReading {
        field: IdentityField::Level,
        source: IdentitySource::Name,
        value: level.map_or("unknown", |l| l.as_str()).to_string(),
        span: None,
        agrees: level.is_some(),
        note: Some(rule.to_string()),
    }
}

fn is_government_office(organ: &str) -> bool {
    [
        "政府办公室",
        "政府办公厅",
        "管委会办公室",
        "管理委员会办公室",
    ]
    .iter()
    .any(|s| organ.ends_with(s))
}

/// The fullest form of the organ another source gives: the full name of a short one
/// ("市教委" → "某市教育委员会"). A place prefix alone does not make a name fuller
/// ("洪泽区人民政府" stays as the title prints it).
fn fullest(chosen: &str, candidates: &[Candidate]) -> String {
    let key = organ_key(chosen);
    let own_len = |k: &str| k.chars().count();
    candidates
        .iter()
        .filter(|c| c.field == IdentityField::Organ)
        .filter(|c| {
            let other = organ_key(&c.value);
            other != key
                && same_organ(&key, &other)
                && own_len(&other) > own_len(&key)
                && !other.ends_with(key.as_str())
        })
        .max_by_key(|c| c.value.chars().count())
        .map_or_else(|| chosen.to_string(), |c| c.value.clone())
}

/// The other names of the organ: short names the report gives itself and other sources'
/// forms of the same organ.
fn aliases(organ: Option<&str>, candidates: &[Candidate], text: &str) -> Vec<String> {
    let Some(organ) = organ else {
        return Vec::new();
    };
    let key = organ_key(organ);
    let mut names: Vec<String> = candidates
        .iter()
        .filter(|c| c.field == IdentityField::Organ)
        .map(|c| c.value.clone())
        .chain(sources::short_names(text))
        .filter(|n| n != organ && organ_key(n) != key && same_organ(&key, &organ_key(n)))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// "平阴县" in a title stands for the organ the text calls "平阴县人民政府".
fn expand_place(doc: &Document, organ: String) -> String {
    if !name::is_place(&organ) {
        return organ;
    }
    let mut counts = [0usize; 3];
    let suffixes = ["人民政府", "管委会", "管理委员会"];
    // memmem's searcher: the whole text is searched (the standard library's took 0.5% of a
    // batch's time here).
    for at in memchr::memmem::find_iter(doc.text.as_bytes(), organ.as_bytes()) {
        let after = &doc.text[at + organ.len()..];
        if let Some(i) = suffixes.iter().position(|s| after.starts_with(s)) {
            counts[i] += 1;
        }
    }
    let best = (0..suffixes.len())
        .filter(|&i| counts[i] > 0)
        .max_by_key(|&i| (counts[i], usize::MAX - i));
    match best {
        Some(i) => format!("{organ}{}", suffixes[i]),
        None => organ,
    }
}

/// `lines` as top lines of a text that holds them one after another (tests).
#[cfg(test)]
pub(super) fn top_lines<'a>(lines: &[&'a str]) -> Vec<TopLine<'a>> {
    let mut at = 0;
    lines
        .iter()
        .map(|l| {
            let line = TopLine {
                text: l,
                start: at,
                end: at + l.len(),
            };
            at += l.len() + 1;
            line
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Organ, year and level of a small page written like a real one.
    fn identity_of(
        name: &str,
        page: &str,
    ) -> (Option<String>, Option<i32>, Option<Level>, Identity) {
        let doc = nianbao_ingest::from_bytes(name, page.as_bytes()).expect("readable");
        let period = crate::meta::stat_period(&doc);
        let found = identify(&doc, period.as_ref());
        // What a batch pairs by is what the report's identity says.
        let paired = pairing(&doc, period.as_ref());
        assert_eq!(
            (paired.organ, paired.aliases, paired.year),
            (found.organ.clone(), found.aliases.clone(), found.year)
        );
        (found.organ.clone(), found.year, found.level, found)
    }

    fn assert_identity(name: &str, page: &str, organ: &str, year: i32, level: Level) {
        let (o, y, l, _) = identity_of(name, page);
        assert_eq!(
            (o.as_deref(), y, l),
            (Some(organ), Some(year), Some(level)),
            "{page}"
        );
    }

    #[test]
    fn a_breadcrumb_is_not_the_organ() {
        let page = "当前位置: 网站首页 -> 政务公开 -> 某市某区\n\
                    2022年政府信息公开工作年度报告\n\
                    一、总体情况\n2022年，我区坚持…\n\
                    某市某区人民政府\n2023年1月20日\n";
        assert_identity(
            "a.txt",
            page,
            "某市某区人民政府",
            2022,
            Level::CountyGovernment,
        );
    }

    #[test]
    fn a_place_for_a_title_is_the_organ_the_text_names_most() {
        let doc =
            |text: &str| nianbao_ingest::from_bytes("a.txt", text.as_bytes()).expect("readable");
        let text = "平阴县2020年\n平阴县管委会、平阴县人民政府。平阴县人民政府平阴县";
        assert_eq!(expand_place(&doc(text), "平阴县".into()), "平阴县人民政府");
        let text = "平阴县管委会平阴县管委会，平阴县人民政府";
        assert_eq!(expand_place(&doc(text), "平阴县".into()), "平阴县管委会");
        assert_eq!(expand_place(&doc("平阴县。"), "平阴县".into()), "平阴县");
    }

    #[test]
    fn a_title_split_after_its_year() {
        let page =
            "某市人民政府2016年\n政府信息公开工作年度报告\n本报告由某市人民政府办公室编制。\n";
        assert_identity("a.txt", page, "某市人民政府", 2016, Level::CityGovernment);
    }

    #[test]
    fn a_page_header_is_not_glued_to_the_organ() {
        let page = "政府信息公开\n某市某区2016年政府信息公开工作年度报告\n一、总体情况\n";
        let (organ, year, level, _) = identity_of("a.txt", page);
        assert_eq!(organ.as_deref(), Some("某市某区"));
        assert_eq!((year, level), (Some(2016), Some(Level::CountyGovernment)));
        // With the government named in the text, the name is the government's.
        let page =
            "政府信息公开\n某市某区2016年政府信息公开工作年度报告\n某市某区人民政府认真贯彻…\n";
        assert_identity(
            "a.txt",
            page,
            "某市某区人民政府",
            2016,
            Level::CountyGovernment,
        );
    }

    #[test]
    fn the_organ_on_its_own_line_after_the_title() {
        let page =
            "2022年政府信息公开工作年度报告\n某县某镇人民政府\n（2023年1月10日）\n一、总体情况\n";
        assert_identity("a.txt", page, "某县某镇人民政府", 2022, Level::Township);
    }

    #[test]
    fn markdown_marks_are_not_part_of_the_name() {
        let page = "# 某县人民政府\n\n## 2022年政府信息公开工作年度报告\n\n一、总体情况\n";
        assert_identity("a.md", page, "某县人民政府", 2022, Level::CountyGovernment);
        let page = "#某县人民政府2022年政府信息公开工作年度报告\n";
        assert_identity("a.txt", page, "某县人民政府", 2022, Level::CountyGovernment);
    }

    #[test]
    fn the_full_name_beside_the_short_one() {
        let page = "索引号: 000-2022-001\n发布机构: 某市教育委员会\n发布日期: 2022-01-20\n\
                    市教委2021年政府信息公开工作年度报告\n一、总体情况\n";
        let (organ, year, level, found) = identity_of("a.txt", page);
        assert_eq!(organ.as_deref(), Some("某市教育委员会"));
        assert_eq!((year, level), (Some(2021), Some(Level::Department)));
        assert_eq!(found.aliases, vec!["市教委".to_string()]);
        // The short name stated in the text counts as well.
        let page = "某市教育委员会2021年政府信息公开工作年度报告\n\
                    某市教育委员会（以下简称“市教委”）根据《条例》编制本报告。\n";
        let (_, _, _, found) = identity_of("a.txt", page);
        assert_eq!(found.aliases, vec!["市教委".to_string()]);
    }

    #[test]
    fn a_web_page_with_navigation_and_a_metadata_table() {
        let page = "<html><body><div>欢迎访问某县人民政府门户网站</div>\
            <div>当前位置：首页 &gt; 政务公开 &gt; 政府信息公开年报</div>\
            <table><tr><td>索引号</td><td>001/2023-01</td><td>发布机构</td><td>某县人民政府办公室</td></tr>\
            <tr><td>名称</td><td colspan=3>某县某乡2022年政府信息公开工作年度报告</td></tr></table>\
            <h1>某县某乡2022年政府信息公开工作年度报告</h1><p>一、总体情况</p></body></html>";
        let (organ, year, level, found) = identity_of("a.html", page);
        assert_eq!(organ.as_deref(), Some("某县某乡"));
        assert_eq!((year, level), (Some(2022), Some(Level::Township)));
        // The portal's publisher is recorded as a source that disagrees.
        let portal = found
            .readings
            .iter()
            .find(|r| r.source == IdentitySource::Metadata)
            .expect("the metadata block read");
        assert!(!portal.agrees);
    }

    #[test]
    fn the_year_from_the_body_when_the_title_has_none() {
        let page = "某县人民政府\n政府信息公开工作年度报告\n\
                    根据要求，现公布某县人民政府2022年政府信息公开工作年度报告。\n";
        assert_identity("a.txt", page, "某县人民政府", 2022, Level::CountyGovernment);
        let page = "某县人民政府政府信息公开工作年度报告\n\
                    本报告中所列数据的统计期限自2021年1月1日起至2021年12月31日止。\n";
        assert_identity("a.txt", page, "某县人民政府", 2021, Level::CountyGovernment);
    }

    #[test]
    fn the_organ_from_the_signature_alone() {
        let page = "2022年度政府信息公开工作年度报告\n一、总体情况\n2022年，我局…\n\
                    某县市场监督管理局\n2023年1月18日\n";
        assert_identity("a.txt", page, "某县市场监督管理局", 2022, Level::Department);
    }

    #[test]
    fn the_publication_year_is_not_the_year() {
        let page = "发布日期: 2023-01-20\n某县人民政府\n政府信息公开工作年度报告\n";
        let (organ, year, _, _) = identity_of("a.txt", page);
        assert_eq!((organ.as_deref(), year), (Some("某县人民政府"), None));
    }

    #[test]
    fn an_office_that_only_compiled_the_report_gives_no_level() {
        let page = "2022年政府信息公开工作年度报告\n本报告由某县人民政府办公室编制。\n";
        let (organ, _, level, _) = identity_of("a.txt", page);
        assert_eq!(organ.as_deref(), Some("某县人民政府办公室"));
        assert_eq!(level, None);
    }
}
