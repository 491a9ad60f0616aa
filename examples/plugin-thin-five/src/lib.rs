//! An example nianbao plugin: part 五 (存在的主要问题及改进情况) that is "无" or too short to
//! name a problem and a measure. Build: `cargo build --release -p nianbao-plugin-thin-five`,
//! then `nianbao audit reports/ --plugin target/release/libnianbao_plugin_thin_five.so`.

use nianbao_model::{Family, Report, SectionId, Severity};
use nianbao_plugin_api::{export_plugin, PluginFinding, PluginRule};

/// Fewer characters than this cannot say what went wrong and what will change.
const MIN_CHARS: usize = 60;

fn rules() -> Vec<PluginRule> {
    vec![PluginRule {
        id: "PLUGIN.THIN_FIVE".into(),
        title: "第五部分「存在的主要问题及改进情况」没有实质内容".into(),
        family: Family::Semantic,
        severity: Severity::Warning,
        deduction: 2.0,
    }]
}

fn check(report: &Report) -> Vec<PluginFinding> {
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
