//! The wording variants real reports print instead of the official labels: ASCII or
//! full-width brackets, item marks, shortened and reworded labels, part headings numbered
//! and worded in several ways. Every variant here is one seen in real reports.

use crate::rng::Rng;

#[derive(Debug, Clone)]
pub struct Words {
    ascii_brackets: bool,
    /// What follows an item number: "1." "1、" "1．" "1. "
    item_mark: &'static str,
    short_partial: bool,
    short_law: bool,
    straight_quotes: bool,
    or_zhe: bool,
    normative_short: bool,
    fee_header_long: bool,
    /// How part headings are numbered: 0 "一、", 1 "一、 ", 2 "第一部分 ", 3 "一．"
    heading_style: usize,
    heading_titles: [usize; 6],
}

/// The titles real reports give each part (the official one first).
const PART_TITLES: [&[&str]; 6] = [
    &["总体情况", "总体情况概述"],
    &["主动公开政府信息情况"],
    &["收到和处理政府信息公开申请情况"],
    &[
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
    ],
    &[
        "存在的主要问题及改进情况",
        "政府信息公开工作存在的主要问题及改进情况",
        "存在的主要问题及改进措施",
    ],
    &["其他需要报告的事项"],
];

/// What real reports print after an item number.
const ITEM_MARKS: [&str; 5] = [".", ".", "、", "．", ". "];

const NUMERALS: [&str; 13] = [
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
];

impl Words {
    /// The official wording.
    pub fn official() -> Words {
        Words {
            ascii_brackets: false,
            item_mark: ".",
            short_partial: false,
            short_law: false,
            straight_quotes: false,
            or_zhe: false,
            normative_short: false,
            fee_header_long: false,
            heading_style: 0,
            heading_titles: [0; 6],
        }
    }

    pub fn random(rng: &mut Rng) -> Words {
        let mut titles = [0; 6];
        for (slot, options) in titles.iter_mut().zip(PART_TITLES) {
            *slot = rng.below(options.len());
        }
        Words {
            ascii_brackets: rng.chance(0.3),
            item_mark: ITEM_MARKS[rng.below(ITEM_MARKS.len())],
            short_partial: rng.chance(0.3),
            short_law: rng.chance(0.3),
            straight_quotes: rng.chance(0.2),
            or_zhe: rng.chance(0.2),
            normative_short: rng.chance(0.3),
            fee_header_long: rng.chance(0.3),
            heading_style: rng.below(4),
            heading_titles: titles,
        }
    }

    /// A row label or header as this report prints it.
    pub fn label(&self, official: &str) -> String {
        let mut text = official.to_string();
        if self.short_partial {
            text = text.replace("（区分处理的，只计这一情形，不计其他情形）", "");
        }
        if self.short_law {
            text = text.replace("其他法律行政法规禁止公开", "其他法律法规禁止公开");
        }
        if self.straight_quotes {
            text = text.replace(['“', '”'], "\"");
        }
        if self.or_zhe {
            text = text.replace("法人或其他组织", "法人或者其他组织");
        }
        if self.normative_short && text == "行政规范性文件" {
            text = "规范性文件".into();
        }
        if self.fee_header_long {
            text = text.replace("（单位：万元）", "（单位：万元，保留4位小数）");
        }
        text = self.item_number(&text);
        if self.ascii_brackets {
            text = text.replace('（', "(").replace('）', ")");
        }
        text
    }

    /// "1.属于国家秘密" with this report's item mark.
    fn item_number(&self, text: &str) -> String {
        let digits: String = text.chars().take_while(|c| c.is_ascii_digit()).collect();
        match text[digits.len()..].strip_prefix('.') {
            Some(rest) if !digits.is_empty() => format!("{digits}{}{rest}", self.item_mark),
            _ => text.to_string(),
        }
    }

    /// The heading of part `index` (0 = 一) printed as number `number` (parts a report
    /// leaves out are not counted).
    pub fn part_heading(&self, index: usize, number: usize) -> String {
        let title = PART_TITLES[index][self.heading_titles[index]];
        self.numbered(number, title)
    }

    /// A heading numbered in this report's style.
    pub fn numbered(&self, number: usize, title: &str) -> String {
        let numeral = NUMERALS[number.min(NUMERALS.len() - 1)];
        match self.heading_style {
            0 => format!("{numeral}、{title}"),
            1 => format!("{numeral}、 {title}"),
            2 => format!("第{numeral}部分 {title}"),
            _ => format!("{numeral}．{title}"),
        }
    }

    pub fn bracket(&self, text: &str) -> String {
        match self.ascii_brackets {
            true => text.replace('（', "(").replace('）', ")"),
            false => text.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_keep_the_meaning() {
        let mut words = Words::official();
        assert_eq!(words.label("1.属于国家秘密"), "1.属于国家秘密");
        words.item_mark = "、";
        words.ascii_brackets = true;
        words.short_partial = true;
        assert_eq!(words.label("1.属于国家秘密"), "1、属于国家秘密");
        assert_eq!(
            words.label("（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
            "(二)部分公开"
        );
        words.heading_style = 2;
        assert_eq!(words.part_heading(0, 0), "第一部分 总体情况");
    }
}
