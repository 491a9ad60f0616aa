//! A whole report around the tables: title, the parts with their headings and prose, the
//! 落款. The prose is neutral and agrees with the tables (where it states a figure, it is the
//! gold's), so that whatever the audit reports beyond the gold is the reader's doing.

use crate::form::{self, Printer, Table};
use crate::gold::Gold;
use crate::rng::Rng;
use nianbao_model::{format_number, Era, TableId};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// What a web page prints above the report: a breadcrumb, a column header, the
    /// metadata block naming the portal's publisher (not always the organ).
    PageTop(Vec<String>),
    /// The title, on one line or several.
    Title(Vec<String>),
    Heading(String),
    Paragraph(String),
    Table(Table),
    /// The 落款: organ and date, right-aligned on the page.
    Signature(Vec<String>),
}

/// The report: its blocks, in reading order.
#[derive(Debug, Clone)]
pub struct Composed {
    pub title: String,
    pub organ: String,
    /// The publication date as printed in the 落款.
    pub date: String,
    pub blocks: Vec<Block>,
}

/// The report of `printer`'s gold; `arrangement` draws how its title and page top are laid
/// out.
pub fn compose(printer: &Printer, rng: &mut Rng, arrangement: &mut Rng) -> Composed {
    let gold = printer.gold;
    let year = format!(
        "{}{}",
        gold.year,
        if rng.below(3) == 0 { "年度" } else { "年" }
    );
    let title = format!("{}{year}政府信息公开工作年度报告", gold.organ);
    let date = format!("{}年1月{}日", gold.year + 1, rng.between(6, 20));
    let mut tables = form::tables(printer, rng);
    let mut blocks = vec![
        Block::PageTop(page_top(arrangement)),
        Block::Title(title_lines(&gold.organ, &year, arrangement)),
    ];
    match gold.era {
        Era::Pre2019 => pre2019(printer, &mut tables, &mut blocks),
        _ => six_parts(printer, &mut tables, &mut blocks),
    }
    blocks.push(Block::Signature(vec![gold.organ.clone(), date.clone()]));
    Composed {
        title,
        organ: gold.organ.clone(),
        date,
        blocks,
    }
}

/// The title as real reports arrange it: one line; the organ on a cover line above or on a
/// line below; split after the year or inside the phrase; or no organ at all (only the
/// 落款 names it).
fn title_lines(organ: &str, year: &str, rng: &mut Rng) -> Vec<String> {
    let phrase = "政府信息公开工作年度报告";
    match rng.below(7) {
        0 | 1 => vec![format!("{organ}{year}{phrase}")],
        2 => vec![organ.to_string(), format!("{year}{phrase}")],
        3 => vec![format!("{year}{phrase}"), organ.to_string()],
        4 => vec![format!("{organ}{year}"), phrase.to_string()],
        5 => vec![
            format!("{organ}{year}政府信息公开"),
            "工作年度报告".to_string(),
        ],
        _ => vec![format!("{year}{phrase}")],
    }
}

/// Lines a web page prints above a report; none, some or all of them.
fn page_top(rng: &mut Rng) -> Vec<String> {
    let separator = *rng.pick(&[" > ", " -> ", " » ", ">"]);
    let mut lines = Vec::new();
    if rng.chance(0.5) {
        lines.push(["当前位置：网站首页", "政务公开", "政府信息公开年报"].join(separator));
    }
    if rng.chance(0.3) {
        lines.push("政府信息公开".to_string());
    }
    if rng.chance(0.4) {
        // A portal republishing the report: its publisher is not the organ.
        lines.push("索引号：000000-2024-00001  发布机构：某市人民政府办公室".to_string());
    }
    lines
}

fn take(tables: &mut Vec<Table>, id: TableId) -> Option<Table> {
    let at = tables.iter().position(|t| t.id == id)?;
    Some(tables.remove(at))
}

fn figure(gold: &Gold, key: &str) -> Option<String> {
    gold.value(key).flatten().map(format_number)
}

fn period(year: i32) -> String {
    format!("本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。")
}

/// The 2019 and 2021 formats: the six parts, those the gold report lacks left out (and
/// the others numbered on, as such reports do).
fn six_parts(p: &Printer, tables: &mut Vec<Table>, blocks: &mut Vec<Block>) {
    let gold = p.gold;
    let year = gold.year;
    blocks.push(Block::Paragraph(format!(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和政府信息公开工作年度报告格式的要求编制。{}本报告电子版可在{}门户网站下载。",
        period(year),
        gold.organ
    )));
    let applications = match figure(gold, "t3.new.total") {
        Some(n) => format!("全年共收到政府信息公开申请{n}件，均依法依规办理。"),
        None => "依法依规办理政府信息公开申请，做到件件有回复。".to_string(),
    };
    let parts: [Vec<Block>; 6] = [
        vec![
            Block::Paragraph(format!(
                "{year}年，{}认真贯彻落实《条例》，坚持以公开为常态、不公开为例外，持续推进政务公开工作。",
                gold.organ
            )),
            Block::Paragraph(p.words.bracket("（一）主动公开。通过门户网站及时发布政策文件、工作动态和重点领域信息。")),
            Block::Paragraph(p.words.bracket(&format!("（二）依申请公开。{applications}"))),
            Block::Paragraph(p.words.bracket("（三）政府信息管理。严格落实信息发布审核制度，动态更新政府信息公开目录。")),
            Block::Paragraph(p.words.bracket("（四）政府信息公开平台建设。加强政府网站和政务新媒体管理，提升平台服务能力。")),
            Block::Paragraph(p.words.bracket("（五）监督保障。将政务公开纳入年度考核，加强业务培训和督促检查。")),
        ],
        take(tables, TableId::T2).map(Block::Table).into_iter().collect(),
        take(tables, TableId::T3).map(Block::Table).into_iter().collect(),
        take(tables, TableId::T4).map(Block::Table).into_iter().collect(),
        vec![
            Block::Paragraph("政府信息公开工作仍存在一些不足：一是公开内容的深度有待加强；二是政策解读的形式较为单一。".into()),
            Block::Paragraph(format!(
                "{}年，将从以下方面改进：一是加强重点领域信息公开；二是丰富政策解读形式；三是加强业务培训。",
                year + 1
            )),
        ],
        vec![Block::Paragraph(match gold.era {
            Era::Y2021 => format!("{year}年度未收取信息处理费。无其他需要报告的事项。"),
            _ => "无其他需要报告的事项。".to_string(),
        })],
    ];
    let mut number = 0;
    for (index, body) in parts.into_iter().enumerate() {
        if !gold.has_section(["一", "二", "三", "四", "五", "六"][index]) {
            continue;
        }
        blocks.push(Block::Heading(p.words.part_heading(index, number)));
        number += 1;
        blocks.extend(body);
    }
}

/// Reports before 2019: the customary outline, the statistics table at the end.
fn pre2019(p: &Printer, tables: &mut Vec<Table>, blocks: &mut Vec<Block>) {
    let gold = p.gold;
    let year = gold.year;
    blocks.push(Block::Paragraph(format!(
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求，由{}编制。{}",
        gold.organ,
        period(year)
    )));
    let active = match figure(gold, "old.active.total") {
        Some(n) => format!("全年主动公开政府信息{n}条。"),
        None => String::new(),
    };
    let received = match figure(gold, "old.apply.received") {
        Some(n) => format!("全年共受理政府信息公开申请{n}件。"),
        None => String::new(),
    };
    let parts = [
        (
            "概述",
            format!(
                "{year}年，{}认真贯彻落实《条例》，扎实推进政府信息公开工作。",
                gold.organ
            ),
        ),
        (
            "主动公开政府信息情况",
            format!("{active}主要通过门户网站公开政府信息。"),
        ),
        (
            "依申请公开政府信息情况",
            format!("{received}均在规定期限内答复。"),
        ),
        (
            "政府信息公开的收费及减免情况",
            "本年度未收取政府信息公开相关费用。".to_string(),
        ),
        (
            "因政府信息公开申请行政复议、提起行政诉讼的情况",
            "相关情况见附表。".to_string(),
        ),
        (
            "政府信息公开工作存在的主要问题及改进情况",
            format!("{}年，将进一步规范政府信息公开工作。", year + 1),
        ),
    ];
    for (number, (heading, text)) in parts.into_iter().enumerate() {
        blocks.push(Block::Heading(p.words.numbered(number, heading)));
        blocks.push(Block::Paragraph(text));
    }
    if let Some(table) = take(tables, TableId::Old) {
        blocks.push(Block::Paragraph(format!(
            "附表：{}{year}年政府信息公开工作统计表",
            gold.organ
        )));
        blocks.push(Block::Table(table));
    }
}
