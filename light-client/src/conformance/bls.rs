//! Runner for the `bls/` vectors: not written yet, so every suite is reported unsupported.

use std::path::Path;

use super::SuiteReport;

/// Runs every `bls` suite under `dir`.
pub fn run(dir: &Path) -> Vec<SuiteReport> {
    super::unsupported_children(dir, "bls")
}
