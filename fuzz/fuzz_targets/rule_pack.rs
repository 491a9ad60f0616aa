//! Any TOML text as a rule pack: it loads or gives an error, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = nianbao_rules::pack::load_pack("fuzz.toml", text);
});
