//! What kind of organ, from its name. The rules, in the order they are tried:
//!
//! 1. A township: the name ends with 镇/乡/苏木 (with or without 人民政府) or 街道(办事处).
//! 2. A government: the name ends with 人民政府/政府/管理委员会/管委会; its place decides the level:
//!    - 省, 自治区, and the four municipalities (北京市, 天津市, 上海市, 重庆市): provincial;
//!    - a zone (开发区, 新区, 实验区, 示范区, 园区) whose 管委会 reports as a government: county
//!      when the zone is named inside a city or county ("某市某开发区"), city otherwise;
//!    - 县, 区, 旗 (自治县, 自治旗 included): county;
//!    - 市, 州, 盟: city (a county-level 市 cannot be told from its name; both report by
//!      the same deadline).
//! 3. A department: the name ends with 局, 委员会, 委, 办公室, 办公厅, 办, 厅, 中心, 署, 院,
//!    部, 处, 站 — a government's 办公室 reporting for itself included.
//! 4. Anything else: unknown.
//!
//! A place named alone ("平阴县") stands for its government.

use nianbao_model::Level;

const MUNICIPALITIES: [&str; 4] = ["北京市", "天津市", "上海市", "重庆市"];
const ZONES: [&str; 6] = ["开发区", "新区", "实验区", "示范区", "园区", "高新区"];
const GOVERNMENT: [&str; 4] = ["人民政府", "政府", "管理委员会", "管委会"];
const DEPARTMENT: [&str; 13] = [
    "局",
    "委员会",
    "委",
    "办公室",
    "办公厅",
    "办",
    "厅",
    "中心",
    "署",
    "院",
    "部",
    "处",
    "站",
];

/// The level and the rule that gave it, or `None` when the name does not tell.
pub fn level_of(organ: &str) -> Option<(Level, &'static str)> {
    let township = ["镇", "乡", "苏木", "街道", "街道办事处"];
    let place = GOVERNMENT
        .iter()
        .find_map(|g| organ.strip_suffix(g))
        .unwrap_or(organ);
    if township.iter().any(|t| place.ends_with(t)) {
        return Some((
            Level::Township,
            "名称以镇、乡、苏木或街道结尾：乡镇（街道）",
        ));
    }
    // A place named alone ("平阴县") stands for its government.
    let bare_place = ["省", "市", "县", "区", "州", "旗", "盟"]
        .iter()
        .any(|p| organ.ends_with(p));
    if place.len() < organ.len() || bare_place {
        return government_level(place);
    }
    if DEPARTMENT.iter().any(|d| organ.ends_with(d)) {
        return Some((
            Level::Department,
            "名称以局、委、办、厅、中心等结尾：政府部门",
        ));
    }
    None
}

fn government_level(place: &str) -> Option<(Level, &'static str)> {
    if place.ends_with('省') || place.ends_with("自治区") || MUNICIPALITIES.contains(&place) {
        return Some((
            Level::ProvincialGovernment,
            "省、自治区、直辖市人民政府：省级",
        ));
    }
    if ZONES.iter().any(|z| place.ends_with(z)) {
        let inside = place
            .char_indices()
            .any(|(i, c)| i > 0 && (c == '市' || c == '县') && i + c.len_utf8() < place.len());
        return Some(match inside {
            true => (
                Level::CountyGovernment,
                "市县所辖开发区、新区的管委会：按县级政府",
            ),
            false => (
                Level::CityGovernment,
                "开发区、新区、实验区的管委会：按市级政府",
            ),
        });
    }
    match place.chars().last()? {
        '县' | '区' | '旗' => Some((Level::CountyGovernment, "县、区、旗人民政府：县级")),
        '市' | '州' | '盟' => Some((Level::CityGovernment, "市、州、盟人民政府：市级")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(organ: &str) -> Option<Level> {
        level_of(organ).map(|(l, _)| l)
    }

    #[test]
    fn every_rule() {
        assert_eq!(level("某某镇人民政府"), Some(Level::Township));
        assert_eq!(level("某县某乡"), Some(Level::Township));
        assert_eq!(level("某某街道办事处"), Some(Level::Township));
        assert_eq!(level("某某苏木人民政府"), Some(Level::Township));
        assert_eq!(level("某某省人民政府"), Some(Level::ProvincialGovernment));
        assert_eq!(
            level("某某自治区人民政府"),
            Some(Level::ProvincialGovernment)
        );
        assert_eq!(level("上海市人民政府"), Some(Level::ProvincialGovernment));
        assert_eq!(level("某某综合实验区管委会"), Some(Level::CityGovernment));
        assert_eq!(
            level("某市经济技术开发区管理委员会"),
            Some(Level::CountyGovernment)
        );
        assert_eq!(level("某某县人民政府"), Some(Level::CountyGovernment));
        assert_eq!(level("某市某区人民政府"), Some(Level::CountyGovernment));
        assert_eq!(level("某某自治县人民政府"), Some(Level::CountyGovernment));
        assert_eq!(level("某某旗人民政府"), Some(Level::CountyGovernment));
        assert_eq!(level("某某市人民政府"), Some(Level::CityGovernment));
        assert_eq!(level("某某自治州人民政府"), Some(Level::CityGovernment));
        assert_eq!(level("某某县人民政府办公室"), Some(Level::Department));
        assert_eq!(level("上海市人民政府办公厅"), Some(Level::Department));
        assert_eq!(level("某某县发展和改革局"), Some(Level::Department));
        assert_eq!(level("某市教育委员会"), Some(Level::Department));
        assert_eq!(level("某市政务服务中心"), Some(Level::Department));
        assert_eq!(level("某某县"), Some(Level::CountyGovernment));
        assert_eq!(level("某某公司"), None);
    }
}
