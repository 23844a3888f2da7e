//! `cargo xtask conformance`: the public conformance vectors.
//!
//! Runs `aloft conformance` (release build) on `vectors/`, or on the directory
//! named by `ALOFT_VECTORS_DIR` (same layout: `bls/`, `kzg/`, `zgs/`). The CLI
//! prints a line per suite and the total, and fails on any failed case or on
//! a directory with no vectors it can run.

use std::process::Command;

use crate::util::{self, Result, err, exec, step};

/// Entry point of `cargo xtask conformance`.
pub fn run() -> Result {
    let root = util::root();
    let dir = match std::env::var_os("ALOFT_VECTORS_DIR") {
        Some(dir) => std::path::PathBuf::from(dir),
        None => root.join("vectors"),
    };
    if !dir.is_dir() {
        return Err(err(format!("{} is not a directory", dir.display())));
    }
    step(&format!("conformance: {}", dir.display()));
    exec(util::cargo().args(["build", "--release", "-p", "aloft-cli"]))?;
    exec(Command::new(root.join("target/release/aloft")).arg("conformance").arg("--dir").arg(&dir))
        .map_err(|_| err("conformance vectors failed (see above)"))
}

