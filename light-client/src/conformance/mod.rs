//! Runs the public conformance vectors against this crate.
//!
//! The layout is the one of `vectors/` at the repository root (copied, with
//! attribution, from the upstream suites named in `vectors/README.md`):
//!
//! - `bls/<handler>/*.json` — ethereum/bls12-381-tests
//! - `kzg/<function>/kzg-mainnet/<case>/data.yaml` with `kzg/trusted_setup.txt`
//!   — consensus-specs KZG tests as copied by c-kzg-4844
//! - `zgs/roots.json` — 0G storage file roots and submissions
//!
//! Any directory with the same layout can be run instead (`ALOFT_VECTORS_DIR`
//! in `cargo xtask conformance`). Each suite reports one [`SuiteReport`] per
//! function or handler. A suite whose directory exists but whose code is not
//! written yet is reported as [`SuiteStatus::Unsupported`], never as passed.

use std::path::{Path, PathBuf};

pub mod bls;
pub mod kzg;
pub mod zgs;

/// What happened to one suite (one handler or function of one upstream set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuiteStatus {
    /// Every case was run.
    Ran,
    /// The directory holds vectors this crate does not implement yet.
    Unsupported,
}

/// One failed case, with why.
#[derive(Debug, Clone)]
pub struct CaseFailure {
    /// The case file or folder, relative to the vectors directory.
    pub case: PathBuf,
    /// What differed: expected against got, or why the case could not be read.
    pub reason: String,
}

/// The outcome of one suite.
#[derive(Debug, Clone)]
pub struct SuiteReport {
    /// `family/function`, e.g. `bls/fast_aggregate_verify`.
    pub name: String,
    /// Ran or not supported.
    pub status: SuiteStatus,
    /// Cases that matched their expected output.
    pub passed: usize,
    /// Cases that did not, with reasons.
    pub failures: Vec<CaseFailure>,
}

impl SuiteReport {
    /// A report for a suite that ran.
    pub fn ran(name: impl Into<String>) -> Self {
        Self { name: name.into(), status: SuiteStatus::Ran, passed: 0, failures: Vec::new() }
    }

    /// A report for a suite this crate cannot run yet.
    pub fn unsupported(name: impl Into<String>) -> Self {
        Self { name: name.into(), status: SuiteStatus::Unsupported, passed: 0, failures: Vec::new() }
    }

    /// Records one case's outcome.
    pub fn record(&mut self, case: &Path, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.passed += 1,
            Err(reason) => self.failures.push(CaseFailure { case: case.to_path_buf(), reason }),
        }
    }
}

/// Runs every suite found under `dir`. Families that are absent are skipped;
/// the caller decides whether an empty result is an error.
pub fn run_all(dir: &Path) -> Vec<SuiteReport> {
    let mut reports = Vec::new();
    if dir.join("bls").is_dir() {
        reports.extend(bls::run(&dir.join("bls")));
    }
    if dir.join("kzg").is_dir() {
        reports.extend(kzg::run(&dir.join("kzg")));
    }
    if dir.join("zgs").is_dir() {
        reports.extend(zgs::run(&dir.join("zgs")));
    }
    reports
}

/// Directory entries in name order, so reports are stable; unreadable entries are skipped.
pub(crate) fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

pub(crate) fn file_name(p: &Path) -> String {
    p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Decodes a `0x`-prefixed (or bare) hex string.
pub(crate) fn unhex(s: &str) -> Result<Vec<u8>, String> {
    hex::decode(s.strip_prefix("0x").unwrap_or(s)).map_err(|e| format!("bad hex {s:?}: {e}"))
}
