//! Measures what one password guess against a stolen vault costs with this
//! code natively: one `VaultKey::derive` (PBKDF2-HMAC-SHA256, the vault's
//! iteration count) plus the failed AES-GCM open, repeated, median printed
//! as one JSON line. For docs/security.md ("Vault strength"); the same
//! measurement in Chromium is `node wasm-tests/e2e/kdf-cost.mjs`.
//!
//!   cargo run --release -p aloft-extension --example kdf_cost [-- RUNS]

use std::time::Instant;

use aloft_extension::vault::{self, KDF_ITERATIONS, Secrets};

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(7).max(1);
    let secrets = Secrets::default();
    let (_, sealed) = vault::seal("correct horse battery", &secrets, [7u8; 32], [9u8; 12], KDF_ITERATIONS)
        .expect("seals");
    let mut times = Vec::with_capacity(runs);
    for i in 0..runs {
        let start = Instant::now();
        let refused = sealed.unlock(&format!("wrong guess {i}"), KDF_ITERATIONS).is_err();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(refused, "a wrong password opened the vault");
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{}",
        serde_json::json!({
            "where": "native",
            "iterations": KDF_ITERATIONS,
            "runs": runs,
            "median_ms": (median * 10.0).round() / 10.0,
            "min_ms": (times[0] * 10.0).round() / 10.0,
            "max_ms": (times[runs - 1] * 10.0).round() / 10.0,
            "guesses_per_second_per_core": (1000.0 / median * 10.0).round() / 10.0,
        })
    );
}
