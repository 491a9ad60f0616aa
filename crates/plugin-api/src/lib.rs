//! Rule plugins: checks too special for a TOML pack, shipped as shared libraries.
//!
//! **The ABI** (all `extern "C"`, nothing but plain data crosses):
//! 1. `nianbao_plugin_abi() -> u32` — called first; must return [`ABI_VERSION`].
//! 2. `nianbao_plugin_info() -> NbBuffer` — JSON [`PluginInfo`]: name, version, the API and
//!    data-schema versions it was built for, its rules.
//! 3. `nianbao_plugin_check(ptr, len, out: *mut NbBuffer) -> i32` — the [`Report`] as JSON
//!    in; JSON `[PluginFinding]` out (status 0), or an error message (status ≠ 0).
//! 4. `nianbao_plugin_free(NbBuffer)` — every buffer the plugin returned is freed by the
//!    plugin, by this call; the host never frees plugin memory and vice versa.
//!
//! A plugin author writes one function from `&Report` to findings and calls
//! [`export_plugin!`]; the macro generates the four functions and catches panics.

mod host;

pub use host::{LoadedPlugin, PluginError, PluginSpec};

use nianbao_model::{Family, Report, SectionId, Severity};
use serde::{Deserialize, Serialize};

/// Version of the calling convention; changes when the four functions change.
pub const ABI_VERSION: u32 = 1;
/// Version of the data crossing it (the Report JSON and the findings).
pub const SCHEMA_VERSION: u32 = 1;

/// Bytes owned by whoever allocated them.
#[repr(C)]
pub struct NbBuffer {
    pub ptr: *mut u8,
    pub len: usize,
    pub cap: usize,
}

impl NbBuffer {
    /// Hands a vector's memory across the boundary (to be given back to `free`).
    pub fn from_vec(mut bytes: Vec<u8>) -> NbBuffer {
        let buffer = NbBuffer {
            ptr: bytes.as_mut_ptr(),
            len: bytes.len(),
            cap: bytes.capacity(),
        };
        std::mem::forget(bytes);
        buffer
    }

    /// Takes back memory made by `from_vec` in this same library.
    ///
    /// # Safety
    /// `self` must come from `NbBuffer::from_vec` in this library and not be freed twice.
    pub unsafe fn into_vec(self) -> Vec<u8> {
        if self.ptr.is_null() {
            return Vec::new();
        }
        Vec::from_raw_parts(self.ptr, self.len, self.cap)
    }
}

/// What a plugin says about itself.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub abi_version: u32,
    pub schema_version: u32,
    pub rules: Vec<PluginRule>,
}

/// A rule a plugin provides (for listings, SARIF and scores).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PluginRule {
    pub id: String,
    pub title: String,
    pub family: Family,
    pub severity: Severity,
    #[serde(default)]
    pub deduction: f64,
}

/// A finding as a plugin reports it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PluginFinding {
    pub rule: String,
    pub message: String,
    #[serde(default)]
    pub cells: Vec<String>,
    #[serde(default)]
    pub section: Option<SectionId>,
    /// Defaults to the rule's.
    #[serde(default)]
    pub severity: Option<Severity>,
}

/// The plugin side of `check`, for the macro: decode, run, encode; errors as messages.
pub fn run_check(
    input: &[u8],
    check: fn(&Report) -> Vec<PluginFinding>,
) -> Result<Vec<u8>, String> {
    let report: Report = serde_json::from_slice(input).map_err(|e| format!("report JSON: {e}"))?;
    let findings = std::panic::catch_unwind(|| check(&report)).map_err(|p| {
        let what = p
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()));
        format!(
            "the plugin panicked: {}",
            what.unwrap_or_else(|| "no message".into())
        )
    })?;
    serde_json::to_vec(&findings).map_err(|e| e.to_string())
}

/// Exports a plugin: its name, version, rules and check function.
///
/// ```ignore
/// fn check(report: &Report) -> Vec<PluginFinding> { … }
/// nianbao_plugin_api::export_plugin!(name: "thin-five", version: "1.0", rules: rules(), check: check);
/// ```
#[macro_export]
macro_rules! export_plugin {
    (name: $name:expr, version: $version:expr, rules: $rules:expr, check: $check:path) => {
        #[no_mangle]
        pub extern "C" fn nianbao_plugin_abi() -> u32 {
            $crate::ABI_VERSION
        }

        #[no_mangle]
        pub extern "C" fn nianbao_plugin_info() -> $crate::NbBuffer {
            let info = std::panic::catch_unwind(|| $crate::PluginInfo {
                name: $name.to_string(),
                version: $version.to_string(),
                abi_version: $crate::ABI_VERSION,
                schema_version: $crate::SCHEMA_VERSION,
                rules: $rules,
            });
            let bytes = info
                .ok()
                .and_then(|i| serde_json::to_vec(&i).ok())
                .unwrap_or_default();
            $crate::NbBuffer::from_vec(bytes)
        }

        /// # Safety
        /// `input` must point to `len` readable bytes and `out` to writable memory.
        #[no_mangle]
        pub unsafe extern "C" fn nianbao_plugin_check(
            input: *const u8,
            len: usize,
            out: *mut $crate::NbBuffer,
        ) -> i32 {
            if input.is_null() || out.is_null() {
                return 2;
            }
            let bytes = std::slice::from_raw_parts(input, len);
            let (status, body) = match std::panic::catch_unwind(|| $crate::run_check(bytes, $check))
            {
                Ok(Ok(json)) => (0, json),
                Ok(Err(message)) => (1, message.into_bytes()),
                Err(_) => (1, b"the plugin panicked".to_vec()),
            };
            out.write($crate::NbBuffer::from_vec(body));
            status
        }

        /// # Safety
        /// `buffer` must come from this plugin and be freed once.
        #[no_mangle]
        pub unsafe extern "C" fn nianbao_plugin_free(buffer: $crate::NbBuffer) {
            drop(buffer.into_vec());
        }
    };
}
