//! Runner for the `zgs/` vectors: not written yet, so every suite is reported unsupported.

use std::path::Path;

use super::SuiteReport;

/// Runs every `zgs` suite under `dir`.
pub fn run(_dir: &Path) -> Vec<SuiteReport> {
    vec![SuiteReport::unsupported("zgs/roots")]
}
