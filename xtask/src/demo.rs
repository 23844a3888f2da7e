//! `cargo xtask demo [--headless]`.
//!
//! Without flags: builds, starts the devnet (state in `.aloft/devnet`), serves
//! `dist/www` on `127.0.0.1:8080` and tells a person how to load
//! `dist/extension`; runs until Ctrl-C.
//!
//! With `--headless`: builds, then runs the scripted user journey
//! (`wasm-tests/e2e/journey.mjs`) in headless Chromium. The journey starts its
//! own devnet and server, prints one JSON summary line (steps, each ok or its
//! error, timings) and exits 0 only when every step succeeded.

use std::process::Command;

use crate::util::{self, Result, err, exec, step};
use crate::{build, setup};

/// Entry point of `cargo xtask demo`.
pub fn run(headless: bool) -> Result {
    setup::run()?;
    build::run()?;
    let root = util::root();
    if headless {
        step("demo: scripted journey in headless Chromium");
        return exec(Command::new("node").arg("journey.mjs").current_dir(root.join("wasm-tests/e2e")).env("ALOFT_ROOT", &root))
            .map_err(|_| err("the journey failed (see its JSON line)"));
    }

    step("demo: devnet and site");
    let data_dir = root.join(".aloft/devnet");
    std::fs::create_dir_all(&data_dir)?;
    let mut devnet = Command::new(root.join("target/release/aloft-devnet"))
        .arg("--data-dir")
        .arg(&data_dir)
        .spawn()
        .map_err(|e| err(format!("could not start the devnet: {e}")))?;
    let mut server = Command::new("node")
        .arg("serve.mjs")
        .arg(root.join("dist/www"))
        .arg("127.0.0.1:8080")
        .current_dir(root.join("wasm-tests/e2e"))
        .spawn()
        .map_err(|e| err(format!("could not start the site server: {e}")))?;
    println!(
        "\nAloft demo\n\
         - site and verifier demo: http://127.0.0.1:8080/\n\
         - demo dapp:              http://127.0.0.1:8080/dapp/\n\
         - live header client:     http://127.0.0.1:8080/verifier/headers.html\n\
         - devnet header API:      http://127.0.0.1:26657/status (witness at /witness, WebSocket /subscribe)\n\
         - devnet JSON-RPC:        http://127.0.0.1:8545 (chain id 31337)\n\
         - devnet control API:     http://127.0.0.1:8590/switches\n\
         - wallet: open chrome://extensions, enable Developer mode, \"Load unpacked\" and pick\n  \
           {}\n\
         Ctrl-C stops everything.\n",
        root.join("dist/extension").display()
    );
    let status = devnet.wait()?;
    let _ = server.kill();
    if status.success() { Ok(()) } else { Err(err(format!("the devnet stopped: {status}"))) }
}

