//! `cargo xtask screenshots`: builds, then runs `wasm-tests/e2e/screenshots.mjs`,
//! which starts the devnet, the site and headless Chromium with the packaged
//! extension, walks every wallet view (onboarding, unlock, home, send,
//! receive, approvals of each kind, settings, key pages, light client in sync
//! and after rejected headers and a fork, agents gallery and detail) and
//! writes `docs/screenshots/<view>-<popup|page>-<light|dark>.png`. The run
//! binds the devnet's default ports, so it holds `/tmp/aloft-e2e.lock` (only
//! while shooting, not while building).


use crate::util::{self, Result, err, exec, step};
use crate::{build, setup};

/// Entry point of `cargo xtask screenshots`.
pub fn run() -> Result {
    setup::run()?;
    build::run()?;
    let root = util::root();
    step("screenshots: every view in headless Chromium against the devnet");
    let mut node = util::node_under_e2e_lock();
    exec(
        node.arg("screenshots.mjs")
            .arg(root.join("docs/screenshots"))
            .current_dir(root.join("wasm-tests/e2e"))
            .env("ALOFT_ROOT", &root),
    )
    .map_err(|_| err("the screenshots run failed (see above)"))
}
