//! Organ names as pages print them: what looks like one, and the page furniture around it
//! (breadcrumbs, site names, Markdown marks, labels) that is not part of it.

/// Endings of an organ's name, longest first where one ends another.
const ENDINGS: [&str; 27] = [
    "人民政府",
    "政府",
    "管理委员会",
    "管委会",
    "街道办事处",
    "办公室",
    "办公厅",
    "委员会",
    "委",
    "局",
    "厅",
    "办",
    "中心",
    "署",
    "院",
    "部",
    "处",
    "站",
    "街道",
    "镇",
    "乡",
    "苏木",
    "县",
    "区",
    "市",
    "旗",
    "盟",
];

/// Words of navigation, site furniture and titles: a line with one of them is not an
/// organ's name.
const NOT_NAMES: [&str; 22] = [
    "网站",
    "门户",
    "首页",
    "欢迎",
    "位置",
    "版权",
    "主办",
    "承办",
    "栏目",
    "年报",
    "报告",
    "信息公开",
    "目录",
    "索引",
    "日期",
    "时间",
    "点击",
    "浏览",
    "字号",
    "打印",
    "关闭",
    "分享",
];

/// Marks of a breadcrumb or a navigation path.
const BREADCRUMB: [&str; 10] = [
    "当前位置",
    "您的位置",
    "您现在的位置",
    "所在位置",
    "现在位置",
    ">",
    "»",
    "›",
    "→",
    "＞",
];

/// A line of a breadcrumb or navigation path ("当前位置: 首页 > 政务公开 > …").
pub fn is_breadcrumb(line: &str) -> bool {
    // The worded marks all hold 位置: most lines are searched for that and the arrows only.
    let arrows = line.contains(['>', '»', '›', '→', '＞']);
    arrows || (line.contains("位置") && BREADCRUMB.iter().any(|m| line.contains(m)))
}

/// The line without whitespace, Markdown marks (#, >, *, list dashes), surrounding
/// brackets and quotes, and a metadata label ("标题:", "名称:").
pub fn clean(line: &str) -> String {
    let marks: &[char] = &[
        '#', '*', '>', '-', '+', '_', '【', '】', '[', ']', '"', '“', '”', '「', '」', '《', '》',
        '|',
    ];
    let mut text = line.trim().trim_matches(marks).trim();
    for label in ["标题", "名称", "文件名称", "题名", "主题"] {
        if let Some(rest) = text.strip_prefix(label) {
            if rest.starts_with([':', '：', ' ', '\t', '\u{3000}']) {
                text = rest.trim_start_matches([':', '：', ' ', '\t', '\u{3000}']);
            }
        }
    }
    let mut compact = nianbao_ingest::without_whitespace(text);
    // Marks around words that spaces separated ("# 某县" → "某县" is done above; "某县 #").
    while compact.ends_with(marks) {
        compact.pop();
    }
    match compact.starts_with(marks) {
        true => compact.trim_start_matches(marks).to_string(),
        false => compact,
    }
}

/// Whether a cleaned text is an organ's name and nothing else: short, with an organ's
/// ending, without digits, punctuation or the words of navigation.
pub fn is_organ_name(text: &str) -> bool {
    let chars = text.chars().count();
    (2..=30).contains(&chars)
        && ENDINGS
            .iter()
            .any(|e| text.ends_with(e) && text.len() > e.len())
        && !text
            .chars()
            .any(|c| c.is_ascii_digit() || is_name_punctuation(c))
        && !not_names().is_match(text)
}

/// `NOT_NAMES` searched for at once.
fn not_names() -> &'static aho_corasick::AhoCorasick {
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::new(NOT_NAMES).expect("the words make a searcher")
    })
}

/// Punctuation no organ's name holds.
fn is_name_punctuation(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '；'
            | '：'
            | ','
            | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '！'
            | '？'
            | '、'
            | '('
            | ')'
            | '（'
            | '）'
            | '/'
    )
}

/// The name ends with a place's name alone ("平阴县", "平潭综合实验区"): the report names
/// its organ by its place.
pub fn is_place(name: &str) -> bool {
    ["县", "区", "市", "旗", "州", "盟", "镇", "乡", "省"]
        .iter()
        .any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn furniture_is_not_a_name() {
        assert!(is_breadcrumb("当前位置: 网站首页 -> 政务公开 -> 年度报告"));
        assert!(is_breadcrumb("首页 > 政府信息公开 > 某区"));
        assert_eq!(clean("# 某县人民政府"), "某县人民政府");
        assert_eq!(clean("**某县人民政府**"), "某县人民政府");
        assert_eq!(
            clean("标题: 某县2022年政府信息公开工作年度报告"),
            "某县2022年政府信息公开工作年度报告"
        );
        assert_eq!(
            clean(" 标题  某县2022年政府信息公开工作年度报告"),
            "某县2022年政府信息公开工作年度报告"
        );
        assert!(is_organ_name("某县某镇人民政府"));
        assert!(is_organ_name("某市教育委员会"));
        assert!(!is_organ_name("欢迎访问某区人民政府"));
        assert!(!is_organ_name("某县人民政府门户网站"));
        assert!(!is_organ_name("2020年1月"));
        assert!(!is_organ_name("政府信息公开"));
        assert!(!is_organ_name("区"));
    }
}
