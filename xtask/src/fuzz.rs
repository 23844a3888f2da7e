//! `cargo xtask fuzz --seconds N`: runs every `cargo fuzz` target in `fuzz/`
//! for N seconds each, starting from the committed seeds in
//! `fuzz/seeds/<target>/` (new inputs go to the ignored `fuzz/corpus/`).
//!
//! cargo-fuzz is installed when missing. libFuzzer needs nightly compiler
//! flags: the nightly toolchain is used when rustup has one, otherwise stable
//! with `RUSTC_BOOTSTRAP=1` (the same compiler, its unstable flags unlocked).
//! Targets build without a sanitizer (`-s none`): the code under test has no
//! `unsafe`, so the findings are panics, overflows (debug assertions are on),
//! timeouts and memory blow-ups, which libFuzzer catches on its own; this
//! also halves build time on small machines. A crash leaves its input in
//! `fuzz/artifacts/<target>/` and fails the command.

use std::process::Command;

use crate::util::{self, Result, err, step};

/// Longest input libFuzzer generates: a few KZG cells, a whole light block.
const MAX_LEN: u32 = 16_384;

fn targets() -> Result<Vec<String>> {
    let dir = util::root().join("fuzz/fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.strip_suffix(".rs")).map(String::from))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(err(format!("no fuzz targets in {}", dir.display())));
    }
    Ok(names)
}

/// `cargo [+nightly] fuzz`, in `fuzz/`.
fn cargo_fuzz() -> Command {
    let nightly = util::output(Command::new("rustup").args(["toolchain", "list"]))
        .map(|list| list.lines().any(|l| l.starts_with("nightly")))
        .unwrap_or(false);
    let mut cmd = Command::new("cargo");
    if nightly {
        cmd.arg("+nightly");
    } else {
        cmd.env("RUSTC_BOOTSTRAP", "1");
    }
    cmd.arg("fuzz").current_dir(util::root().join("fuzz"));
    cmd
}

fn ensure_cargo_fuzz() -> Result {
    if util::output(Command::new("cargo").args(["fuzz", "--version"])).is_ok() {
        return Ok(());
    }
    step("installing cargo-fuzz");
    util::exec(util::cargo().args(["install", "cargo-fuzz", "--locked"]))
}

/// Runs every target for `seconds` each.
pub fn run(seconds: u64) -> Result {
    ensure_cargo_fuzz()?;
    let targets = targets()?;
    step("building the fuzz targets");
    util::exec(cargo_fuzz().args(["build", "-s", "none", "--release"]))?;
    let root = util::root();
    let mut failed = vec![];
    for target in &targets {
        step(&format!("fuzzing {target} for {seconds} s"));
        let corpus = root.join("fuzz/corpus").join(target);
        let seeds = root.join("fuzz/seeds").join(target);
        std::fs::create_dir_all(&corpus)?;
        std::fs::create_dir_all(&seeds)?;
        let ok = cargo_fuzz()
            .args(["run", "-s", "none", "--release", target])
            .arg(&corpus)
            .arg(&seeds)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-max_len={MAX_LEN}"))
            .args(["-timeout=30", "-rss_limit_mb=2048", "-print_final_stats=1"])
            .status()
            .map_err(|e| err(format!("could not start cargo fuzz: {e}")))?
            .success();
        if !ok {
            failed.push(target.clone());
        }
    }
    println!("fuzz: {} targets, {} clean, failed: {failed:?}", targets.len(), targets.len() - failed.len());
    if failed.is_empty() {
        Ok(())
    } else {
        Err(err(format!("fuzz targets found crashes (inputs in fuzz/artifacts/): {failed:?}")))
    }
}
