//! `cargo xtask setup`: installs every build need on a fresh Debian machine.
//!
//! Each need is checked first and installed only when missing, so a second
//! run only looks (well under the 5 s budget):
//! 1. the `wasm32-unknown-unknown` target (rustup);
//! 2. Debian's `chromium` and `chromium-driver` (`apt-get`);
//! 3. `wasm-bindgen-cli` at exactly the `wasm-bindgen` version in Cargo.lock
//!    (installed without `--locked`: the registry here lacks one of its locked
//!    dependencies);
//! 4. the npm packages from `wasm-tests/e2e`'s committed lockfile: the
//!    browser-test harness (playwright-core) and binaryen's `wasm-opt`
//!    (Debian's binaryen 108 breaks wasm-bindgen's externref table; see
//!    `build.rs`);
//! 5. the npm packages from `contracts/`'s committed lockfile: the pinned
//!    `solc` and OpenZeppelin sources that rebuild the contract artifacts.

use std::path::Path;
use std::process::Command;

use crate::util::{self, Result, err, have, output, exec, step};

/// The Debian packages the build and the browser tests need, with a file each provides.
const DEBIAN: &[(&str, &str)] = &[
    ("chromium", "/usr/bin/chromium"),
    ("chromium-driver", "/usr/bin/chromedriver"),
];

/// Entry point of `cargo xtask setup`: installs whatever is missing.
pub fn run() -> Result {
    let started = std::time::Instant::now();
    step("setup");
    wasm_target()?;
    debian_packages()?;
    wasm_bindgen_cli()?;
    npm_packages()?;
    println!("setup: everything present ({:.1} s)", started.elapsed().as_secs_f64());
    Ok(())
}

fn wasm_target() -> Result {
    let installed = output(Command::new("rustup").args(["target", "list", "--installed"]))?;
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    println!("setup: installing the wasm32-unknown-unknown target");
    exec(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn debian_packages() -> Result {
    let missing: Vec<&str> =
        DEBIAN.iter().filter(|(_, file)| !Path::new(file).exists()).map(|(pkg, _)| *pkg).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("setup: installing Debian packages {}", missing.join(" "));
    let sudo = !is_root();
    let apt = |args: &[&str]| {
        let mut cmd = if sudo { Command::new("sudo") } else { Command::new("apt-get") };
        if sudo {
            cmd.arg("apt-get");
        }
        cmd.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    exec(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(&missing);
    exec(&mut install)
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false)
}

/// The `wasm-bindgen` version Cargo.lock resolved, which the CLI must equal.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(util::root().join("Cargo.lock"))
        .map_err(|e| err(format!("cannot read Cargo.lock: {e}")))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_string());
            }
        }
    }
    Err(err("Cargo.lock has no wasm-bindgen package"))
}

fn wasm_bindgen_cli() -> Result {
    let want = locked_wasm_bindgen_version()?;
    let have_version = if have("wasm-bindgen") {
        output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default()
    } else {
        String::new()
    };
    let runner_ok = have("wasm-bindgen-test-runner");
    if have_version.split_whitespace().nth(1) == Some(want.as_str()) && runner_ok {
        return Ok(());
    }
    println!("setup: installing wasm-bindgen-cli {want} (about 5 minutes, once per machine)");
    exec(util::cargo().args(["install", "wasm-bindgen-cli", "--version", &want]))
}

fn npm_packages() -> Result {
    npm_ci("wasm-tests/e2e", "the browser-test harness")?;
    npm_ci("contracts", "the pinned solc for the contracts")
}

/// `npm ci` in `rel` unless its lockfile is already installed (stamped by hash).
pub(crate) fn npm_ci(rel: &str, what: &str) -> Result {
    let dir = util::root().join(rel);
    let lock = std::fs::read(dir.join("package-lock.json"))
        .map_err(|e| err(format!("cannot read {rel}/package-lock.json: {e}")))?;
    let stamp_path = dir.join("node_modules/.aloft-installed");
    let want = format!("{:016x}", util::fnv1a(&lock));
    if std::fs::read_to_string(&stamp_path).map(|s| s.trim() == want).unwrap_or(false) {
        return Ok(());
    }
    if !have("npm") {
        return Err(err("npm is missing: install Node.js 20 or newer (Debian: apt-get install nodejs npm)"));
    }
    println!("setup: installing {what} (npm ci in {rel})");
    exec(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&dir))?;
    std::fs::write(stamp_path, want)?;
    Ok(())
}
