//! Runner for the `kzg/` vectors: not written yet, so every suite is reported unsupported.

use std::path::Path;

use super::SuiteReport;

/// Runs every `kzg` suite under `dir`.
pub fn run(dir: &Path) -> Vec<SuiteReport> {
    super::unsupported_children(dir, "kzg")
}
