//! `cargo xtask test`: every suite, in the order a failure is cheapest to find.
//!
//! 1. `setup` and `build` (a fresh machine gets everything it needs);
//! 2. native unit and integration tests (`cargo test --release --workspace`);
//! 3. the conformance vectors in `vectors/`;
//! 4. the contract artifacts against a fresh build by the pinned solc
//!    (`contracts/artifacts.test.mjs`), and viem, unchanged, against a devnet
//!    on ephemeral ports (`contracts/viem.test.mjs`);
//! 5. wasm-bindgen-tests in headless Chromium through `/usr/bin/chromedriver`;
//! 6. end-to-end journeys: Node's test runner drives `/usr/bin/chromium`
//!    (playwright-core) with the packaged extension, against the devnet.
//!
//! Every stage runs even when an earlier test stage failed, so one run shows
//! every failure. The last line is the total, `N passed, M failed`; the exit
//! status is non-zero on any failure.

use std::process::Command;

use crate::util::{self, Result, err, run_streaming, step};
use crate::{build, setup};

/// Pass and fail counts of one stage.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Tally {
    passed: usize,
    failed: usize,
}

impl Tally {
    /// Adds the counts a runner's summary line reports, if `line` is one.
    ///
    /// Understood: libtest's `test result: ok. 3 passed; 0 failed; ...` (also
    /// what wasm-bindgen-test-runner prints), Node's spec reporter `ℹ pass 3` /
    /// `ℹ fail 0` and TAP `# pass 3`, and the plain `3 passed, 0 failed`.
    fn absorb(&mut self, line: &str) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("test result: ") {
            self.passed += count_before(rest, " passed");
            self.failed += count_before(rest, " failed");
        } else if let Some(n) = node_count(line, "pass") {
            self.passed += n;
        } else if let Some(n) = node_count(line, "fail") {
            self.failed += n;
        } else if let Some((passed, failed)) = plain_total(line) {
            self.passed += passed;
            self.failed += failed;
        }
    }
}

/// Parses a line that is exactly `N passed, M failed` (with an optional
/// `word: ` before it and `, K skipped` after), the plain closing line.
fn plain_total(line: &str) -> Option<(usize, usize)> {
    let body = match line.split_once(": ") {
        Some((word, rest)) if !word.contains(' ') => rest,
        _ => line,
    };
    let (passed, rest) = body.split_once(" passed, ")?;
    let failed = rest.strip_suffix(" failed").or_else(|| rest.split_once(" failed, ").map(|(f, _)| f))?;
    Some((passed.parse().ok()?, failed.parse().ok()?))
}

fn count_before(text: &str, word: &str) -> usize {
    text.find(word)
        .and_then(|end| text[..end].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|digits| digits.parse().ok())
        .unwrap_or(0)
}

fn node_count(line: &str, what: &str) -> Option<usize> {
    let rest = line.strip_prefix("ℹ ").or_else(|| line.strip_prefix("# "))?;
    rest.strip_prefix(what)?.strip_prefix(' ')?.trim().parse().ok()
}

/// Runs one stage, echoing its output; a stage that fails without printing a
/// failure count (a compile error, a crash) counts as one failure.
fn stage(name: &str, cmd: &mut Command) -> Tally {
    step(name);
    let mut tally = Tally::default();
    let ok = match run_streaming(cmd, |line| tally.absorb(line)) {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("{name}: {e}");
            false
        }
    };
    if !ok && tally.failed == 0 {
        eprintln!("{name}: the stage failed before reporting any test result");
        tally.failed = 1;
    }
    if ok && tally.passed + tally.failed == 0 {
        eprintln!("{name}: the stage ran no test");
        tally.failed = 1;
    }
    println!("{name}: {} passed, {} failed", tally.passed, tally.failed);
    tally
}

/// Entry point of `cargo xtask test`.
pub fn run() -> Result {
    setup::run()?;
    build::run()?;
    let root = util::root();

    let mut stages = Vec::new();
    stages.push(stage(
        "test: native",
        util::cargo().args(["test", "--release", "--no-fail-fast", "--workspace", "--exclude", "aloft-wasm-tests"]),
    ));
    stages.push(stage(
        "test: conformance vectors",
        Command::new(root.join("target/release/aloft"))
            .args(["conformance", "--dir"])
            .arg(root.join("vectors"))
            .current_dir(&root),
    ));
    stages.push(stage(
        "test: contract artifacts, viem against the devnet",
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "artifacts.test.mjs", "viem.test.mjs"])
            .current_dir(root.join("contracts")),
    ));
    stages.push(stage(
        "test: wasm in headless Chromium",
        util::cargo()
            .args(["test", "--release", "--target", "wasm32-unknown-unknown", "-p", "aloft-wasm-tests"])
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    ));
    stages.push(stage(
        "test: end-to-end in headless Chromium",
        Command::new("node")
            .args(["--test", "--test-reporter=spec", "--test-concurrency=1"])
            .arg("tests/")
            .current_dir(root.join("wasm-tests/e2e"))
            .env("ALOFT_ROOT", &root),
    ));

    let total = stages.iter().fold(Tally::default(), |acc, t| Tally {
        passed: acc.passed + t.passed,
        failed: acc.failed + t.failed,
    });
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed == 0 { Ok(()) } else { Err(err(format!("{} test(s) failed", total.failed))) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(lines: &[&str]) -> Tally {
        let mut t = Tally::default();
        for line in lines {
            t.absorb(line);
        }
        t
    }

    #[test]
    fn reads_every_runner_summary() {
        let t = tally(&[
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 3 passed; 2 failed; 0 ignored",
            "ℹ pass 4",
            "ℹ fail 1",
            "# pass 2",
            "bls/verify                     ok: 20 passed, 0 failed",
            "104 passed, 0 failed",
            "e2e: 5 passed, 1 failed, 2 skipped",
        ]);
        assert_eq!(t, Tally { passed: 12 + 3 + 4 + 2 + 104 + 5, failed: 2 + 1 + 1 });
    }

    #[test]
    fn ignores_ordinary_output() {
        assert_eq!(tally(&["running 3 tests", "test foo ... ok", "ℹ tests 3"]), Tally::default());
    }
}
