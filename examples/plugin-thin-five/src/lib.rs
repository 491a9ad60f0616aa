//! An example nianbao plugin with two rules: part 五 (存在的主要问题及改进情况) that is "无" or
//! too short to name a problem and a measure; and a province's deduction formula ("表三每发现
//! 1行总计与各项之和不符，扣0.2分") computed on the report's own cells. Build: `cargo build --release -p nianbao-plugin-thin-five`,
//! then `nianbao audit reports/ --plugin target/release/libnianbao_plugin_thin_five.so`.

use nianbao_model::{Family, Report, SectionId, Severity};
use nianbao_plugin_api::{export_plugin, PluginFinding, PluginRule};

/// Fewer characters than this cannot say what went wrong and what will change.
const MIN_CHARS: usize = 60;

/// Points per 表三 row whose 总计 is not the sum of its applicant columns (the province's rule).
const POINTS_PER_ROW: f64 = 0.2;

fn rules() -> Vec<PluginRule> {
    vec![
        PluginRule {
            id: "PLUGIN.THIN_FIVE".into(),
            title: "第五部分「存在的主要问题及改进情况」没有实质内容".into(),
            family: Family::Semantic,
            severity: Severity::Warning,
            deduction: 2.0,
        },
        PluginRule {
            id: "PLUGIN.PROVINCE_T3_ROWS".into(),
            title: "省考核细则：表三每行总计与各项之和不符，每处扣0.2分".into(),
            family: Family::RowSum,
            severity: Severity::Info,
            deduction: 0.0,
        },
    ]
}

fn check(report: &Report) -> Vec<PluginFinding> {
    let mut found = thin_five(report);
    found.extend(province_t3_rows(report));
    found
}

/// The province's formula: count 表三 rows whose printed 总计 differs from its columns.
fn province_t3_rows(report: &Report) -> Vec<PluginFinding> {
    let mut rows: Vec<String> = Vec::new();
    for key in report
        .cells
        .keys()
        .filter(|k| k.starts_with("t3.") && k.ends_with(".total"))
    {
        let row = &key[..key.len() - ".total".len()];
        let Some(Some(total)) = report.value(key) else {
            continue;
        };
        let parts: Option<Vec<f64>> = nianbao_model::T3_APPLICANTS
            .iter()
            .map(|c| report.value(&format!("{row}.{c}")).flatten())
            .collect();
        if parts.is_some_and(|p| (p.iter().sum::<f64>() - total).abs() > 1e-9) {
            rows.push(key.to_string());
        }
    }
    if rows.is_empty() {
        return Vec::new();
    }
    let points = rows.len() as f64 * POINTS_PER_ROW;
    vec![PluginFinding {
        rule: "PLUGIN.PROVINCE_T3_ROWS".into(),
        message: format!(
            "按省考核细则，表三 {} 行总计与各项之和不符，扣 {points:.1} 分",
            rows.len()
        ),
        cells: rows,
        section: Some(SectionId::Three),
        severity: None,
    }]
}

fn thin_five(report: &Report) -> Vec<PluginFinding> {
    let Some(five) = report.section(SectionId::Five) else {
        return Vec::new();
    };
    let text: String = report
        .text
        .iter()
        .filter(|l| l.section == Some(SectionId::Five) && l.span.start > five.span.start)
        .map(|l| l.text.trim())
        .collect();
    let chars = text.chars().filter(|c| !c.is_whitespace()).count();
    if chars >= MIN_CHARS && text.trim() != "无" {
        return Vec::new();
    }
    vec![PluginFinding {
        rule: "PLUGIN.THIN_FIVE".into(),
        message: format!("第五部分只有 {chars} 个字，未写明存在的问题和改进措施"),
        cells: Vec::new(),
        section: Some(SectionId::Five),
        severity: None,
    }]
}

export_plugin!(name: "thin-five", version: "1.0.0", rules: rules(), check: check);
