//! Helpers shared by the end-to-end tests: where the shared reports and gold files are.

use std::path::PathBuf;

/// `../shared` next to the checkout (laid out by CI and for every developer).
pub fn shared_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared")
}
