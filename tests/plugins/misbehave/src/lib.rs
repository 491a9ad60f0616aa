//! A plugin that misbehaves on purpose, written against the raw ABI (no macro), as
//! NIANBAO_MISBEHAVE says when it is loaded or called: "abi" (wrong ABI version), "panic"
//! (panics in check, caught here at the boundary), "garbage" (returns non-JSON), "undeclared"
//! (a finding for a rule it does not declare), "figures" (a finding saying how many narrative
//! figures the report it was handed lists). Unset: a well-behaved plugin with no findings.

use nianbao_plugin_api::{NbBuffer, ABI_VERSION, SCHEMA_VERSION};

fn mode() -> String {
    std::env::var("NIANBAO_MISBEHAVE").unwrap_or_default()
}

#[no_mangle]
pub extern "C" fn nianbao_plugin_abi() -> u32 {
    if mode() == "abi" {
        ABI_VERSION + 41
    } else {
        ABI_VERSION
    }
}

#[no_mangle]
pub extern "C" fn nianbao_plugin_info() -> NbBuffer {
    let info = format!(
        r#"{{"name":"misbehave","version":"0","abi_version":{ABI_VERSION},"schema_version":{SCHEMA_VERSION},"rules":[{{"id":"PLUGIN.MISBEHAVE","title":"t","family":"semantic","severity":"info"}}]}}"#
    );
    NbBuffer::from_vec(info.into_bytes())
}

/// # Safety
/// `out` must be writable.
#[no_mangle]
pub unsafe extern "C" fn nianbao_plugin_check(
    input: *const u8,
    len: usize,
    out: *mut NbBuffer,
) -> i32 {
    // The host hands the report as `len` bytes of JSON at `input`.
    let report = std::slice::from_raw_parts(input, len);
    let result = std::panic::catch_unwind(|| match mode().as_str() {
        "figures" => {
            let field = b"\"approximate\":";
            let figures = report.windows(field.len()).filter(|w| w == field).count();
            format!(r#"[{{"rule":"PLUGIN.MISBEHAVE","message":"figures: {figures}"}}]"#)
                .into_bytes()
        }
        "panic" => panic!("deliberate panic"),
        "garbage" => b"\xff not json".to_vec(),
        "undeclared" => br#"[{"rule":"NOT.DECLARED","message":"m"}]"#.to_vec(),
        _ => b"[]".to_vec(),
    });
    let (status, body) = match result {
        Ok(body) => (0, body),
        Err(_) => (1, b"panicked".to_vec()),
    };
    out.write(NbBuffer::from_vec(body));
    status
}

/// # Safety
/// `buffer` must come from this library.
#[no_mangle]
pub unsafe extern "C" fn nianbao_plugin_free(buffer: NbBuffer) {
    drop(buffer.into_vec());
}
