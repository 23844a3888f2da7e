//! # aloft-wasm-tests
//!
//! Browser tests, kept out of the crates they test so those stay free of
//! test-only dependencies:
//!
//! - `tests/web.rs`: wasm-bindgen-tests that run in headless Chromium
//!   (`cargo xtask test` runs them through `/usr/bin/chromedriver`, with the
//!   flags in `webdriver.json`). One binary: add new browser tests there.
//! - `e2e/`: end-to-end journeys in Node (playwright-core) that load the
//!   packaged extension and pages from a local server against the devnet.
