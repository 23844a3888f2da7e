//! `cargo xtask`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `setup`: install every build need on a fresh Debian machine, idempotently.
//! - `build`: native binaries, then the wasm crates through wasm-bindgen and
//!   wasm-opt into `dist/www/` (verifier package + site) and `dist/extension/`.
//! - `test`: setup, build, then native tests, conformance vectors, wasm tests in
//!   headless Chromium and end-to-end browser journeys; ends with the total.
//! - `conformance`: the public conformance vectors (or `ALOFT_VECTORS_DIR`).
//! - `bench [--json FILE] [--quick]`: Aloft vs its baselines (`bench`).
//! - `demo [--headless]`: the devnet, the site and the extension, for a person
//!   or for the scripted journey.
//! - `fuzz --seconds N`, `soak --blocks N`: hardening runs, not part of `test`.
//! - `screenshots`: every wallet view in headless Chromium against the devnet,
//!   as PNGs in `docs/screenshots/`.
//!
//! This crate has no dependencies on purpose: it is compiled before anything
//! is installed, and `setup` must stay fast when everything is present.

use std::process::ExitCode;

mod bench;
mod build;
mod conformance;
mod demo;
mod flags;
mod fuzz;
mod screenshots;
mod setup;
mod soak;
mod test;
mod util;

fn main() -> ExitCode {
    let command = match flags::parse(std::env::args().skip(1)) {
        Ok(command) => command,
        Err(message) => {
            eprintln!("xtask: {message}\n\n{}", flags::USAGE);
            return ExitCode::from(2);
        }
    };
    let result = match command {
        flags::Command::Help => {
            println!("{}", flags::USAGE);
            Ok(())
        }
        flags::Command::Setup => setup::run(),
        flags::Command::Build => setup::run().and_then(|()| build::run()),
        flags::Command::Test => test::run(),
        flags::Command::Conformance => conformance::run(),
        flags::Command::Demo { headless } => demo::run(headless),
        flags::Command::Fuzz { seconds } => fuzz::run(seconds),
        flags::Command::Soak { blocks, block_ms } => soak::run(blocks, block_ms),
        flags::Command::Bench(options) => bench::run(&options),
        flags::Command::Screenshots => screenshots::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: {err}");
            ExitCode::FAILURE
        }
    }
}
