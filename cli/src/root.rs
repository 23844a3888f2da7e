//! `aloft root FILE`: placeholder until the storage module exists.

use std::path::Path;
use std::process::ExitCode;

/// Prints the file root of `file`.
pub fn run(_file: &Path) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the 0G storage module is not written yet")
}
