//! Any text (UTF-8 input, so the fuzzer explores report-shaped text): parse it into a Report
//! and run every built-in rule on it, never panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static nianbao_rules::RuleSet {
    static RULES: OnceLock<nianbao_rules::RuleSet> = OnceLock::new();
    RULES.get_or_init(|| nianbao_rules::RuleSet::builtin().expect("built-in rules load"))
}

fuzz_target!(|text: &str| {
    if let Ok(doc) = nianbao_ingest::from_bytes("fuzz.txt", text.as_bytes()) {
        let report = nianbao_parse::parse(&doc);
        let _ = rules().check(&report);
    }
});
