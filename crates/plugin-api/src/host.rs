//! The host side: load a plugin library (checking an optional sha256 pin), shake hands,
//! call it. Every failure is an error for that plugin; the audit goes on without it.
//! Libraries are never unloaded during a run (their memory and code may still be in use).

use crate::{NbBuffer, PluginFinding, PluginInfo, ABI_VERSION, SCHEMA_VERSION};
use libloading::{Library, Symbol};
use nianbao_model::Report;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("{path}: cannot read: {reason}")]
    Read { path: String, reason: String },
    #[error("{path}: sha256 is {actual}, the configuration pins {expected}")]
    Pin {
        path: String,
        expected: String,
        actual: String,
    },
    #[error("{path}: not a loadable library: {reason}")]
    Load { path: String, reason: String },
    #[error("{path}: not a nianbao plugin (no {symbol} symbol)")]
    Symbol { path: String, symbol: &'static str },
    #[error("{path}: built for plugin ABI {found}, this nianbao speaks {expected}")]
    Abi {
        path: String,
        found: u32,
        expected: u32,
    },
    #[error("{path}: plugin info unreadable: {reason}")]
    Info { path: String, reason: String },
    #[error("plugin {name}: {reason}")]
    Check { name: String, reason: String },
}

/// A plugin to load: where, and the sha256 it must have (if pinned).
#[derive(Debug, Clone, PartialEq)]
pub struct PluginSpec {
    pub path: PathBuf,
    pub sha256: Option<String>,
}

type AbiFn = unsafe extern "C" fn() -> u32;
type InfoFn = unsafe extern "C" fn() -> NbBuffer;
type CheckFn = unsafe extern "C" fn(*const u8, usize, *mut NbBuffer) -> i32;
type FreeFn = unsafe extern "C" fn(NbBuffer);

/// A loaded plugin; its library stays loaded for the rest of the process.
pub struct LoadedPlugin {
    pub path: PathBuf,
    pub info: PluginInfo,
    library: &'static Library,
}

impl std::fmt::Debug for LoadedPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoadedPlugin")
            .field("path", &self.path)
            .field("info", &self.info)
            .finish()
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Copies a plugin-owned buffer and hands it back to the plugin to free.
fn take(buffer: NbBuffer, free: &Symbol<FreeFn>) -> Vec<u8> {
    let bytes = if buffer.ptr.is_null() || buffer.len == 0 {
        Vec::new()
    } else {
        // SAFETY: the plugin promises ptr..ptr+len is readable until it is freed below.
        unsafe { std::slice::from_raw_parts(buffer.ptr, buffer.len).to_vec() }
    };
    // SAFETY: the buffer came from this plugin and is freed exactly once.
    unsafe { free(buffer) };
    bytes
}

impl LoadedPlugin {
    pub fn load(spec: &PluginSpec) -> Result<LoadedPlugin, PluginError> {
        let path = spec.path.display().to_string();
        let bytes = std::fs::read(&spec.path).map_err(|e| PluginError::Read {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        if let Some(expected) = &spec.sha256 {
            let actual = sha256_hex(&bytes);
            if !actual.eq_ignore_ascii_case(expected.trim()) {
                return Err(PluginError::Pin {
                    path,
                    expected: expected.clone(),
                    actual,
                });
            }
        }
        // SAFETY: loading runs the library's initialisers; plugins are only loaded from
        // paths the user gave explicitly (and, if pinned, with the expected contents).
        let library = unsafe { Library::new(&spec.path) }.map_err(|e| PluginError::Load {
            path: path.clone(),
            reason: e.to_string(),
        })?;
        let library: &'static Library = Box::leak(Box::new(library));
        let symbol = |name: &'static str| PluginError::Symbol {
            path: path.clone(),
            symbol: name,
        };
        // SAFETY: the symbol types are those of the ABI (see the crate docs).
        let abi: Symbol<AbiFn> = unsafe { library.get(b"nianbao_plugin_abi\0") }
            .map_err(|_| symbol("nianbao_plugin_abi"))?;
        // SAFETY: as above; the handshake takes no arguments and returns a plain u32.
        let found = unsafe { abi() };
        if found != ABI_VERSION {
            return Err(PluginError::Abi {
                path,
                found,
                expected: ABI_VERSION,
            });
        }
        let info_fn: Symbol<InfoFn> = unsafe { library.get(b"nianbao_plugin_info\0") }
            .map_err(|_| symbol("nianbao_plugin_info"))?;
        let free: Symbol<FreeFn> = unsafe { library.get(b"nianbao_plugin_free\0") }
            .map_err(|_| symbol("nianbao_plugin_free"))?;
        let _: Symbol<CheckFn> = unsafe { library.get(b"nianbao_plugin_check\0") }
            .map_err(|_| symbol("nianbao_plugin_check"))?;
        // SAFETY: info returns a buffer the plugin owns; `take` copies and frees it.
        let info_bytes = take(unsafe { info_fn() }, &free);
        let info: PluginInfo =
            serde_json::from_slice(&info_bytes).map_err(|e| PluginError::Info {
                path: path.clone(),
                reason: e.to_string(),
            })?;
        if info.abi_version != ABI_VERSION || info.schema_version != SCHEMA_VERSION {
            return Err(PluginError::Info {
                path,
                reason: format!("built for API {} / schema {}, this nianbao has {ABI_VERSION} / {SCHEMA_VERSION}", info.abi_version, info.schema_version),
            });
        }
        Ok(LoadedPlugin {
            path: spec.path.clone(),
            info,
            library,
        })
    }

    /// Runs the plugin on a report.
    pub fn check(&self, report: &Report) -> Result<Vec<PluginFinding>, PluginError> {
        let fail = |reason: String| PluginError::Check {
            name: self.info.name.clone(),
            reason,
        };
        let input = serde_json::to_vec(report).map_err(|e| fail(e.to_string()))?;
        // SAFETY: symbols checked at load; the library is never unloaded.
        let (check, free): (Symbol<CheckFn>, Symbol<FreeFn>) = unsafe {
            (
                self.library
                    .get(b"nianbao_plugin_check\0")
                    .map_err(|e| fail(e.to_string()))?,
                self.library
                    .get(b"nianbao_plugin_free\0")
                    .map_err(|e| fail(e.to_string()))?,
            )
        };
        let mut out = NbBuffer {
            ptr: std::ptr::null_mut(),
            len: 0,
            cap: 0,
        };
        // SAFETY: input is valid for its length during the call; out is ours to write.
        let status = unsafe { check(input.as_ptr(), input.len(), &mut out) };
        let bytes = take(out, &free);
        if status != 0 {
            return Err(fail(String::from_utf8_lossy(&bytes).into_owned()));
        }
        let findings: Vec<PluginFinding> =
            serde_json::from_slice(&bytes).map_err(|e| fail(format!("invalid findings: {e}")))?;
        let known: Vec<&str> = self.info.rules.iter().map(|r| r.id.as_str()).collect();
        if let Some(f) = findings.iter().find(|f| !known.contains(&f.rule.as_str())) {
            return Err(fail(format!(
                "finding for rule {:?}, which the plugin does not declare",
                f.rule
            )));
        }
        Ok(findings)
    }

    /// Path helper for messages.
    pub fn file(&self) -> &Path {
        &self.path
    }
}
