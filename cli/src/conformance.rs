//! `aloft conformance --dir DIR`: one line per suite, then the total.
//!
//! Exit status is non-zero when any case failed or when DIR holds no vectors
//! at all (an empty run must never look like a pass). Suites this build cannot
//! run yet are listed as "not yet supported" and counted in neither total.

use std::path::Path;
use std::process::ExitCode;

use aloft_light_client::conformance::{SuiteStatus, run_all};

/// Runs every suite in `dir` and prints the report.
pub fn run(dir: &Path) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        anyhow::bail!("{} is not a directory of conformance vectors", dir.display());
    }
    let reports = run_all(dir);
    let (mut passed, mut failed, mut unsupported) = (0usize, 0usize, 0usize);
    for report in &reports {
        match report.status {
            SuiteStatus::Unsupported => {
                unsupported += 1;
                println!("{:<58} not yet supported", report.name);
            }
            SuiteStatus::Ran => {
                passed += report.passed;
                failed += report.failures.len();
                let verdict = if report.failures.is_empty() { "ok" } else { "FAILED" };
                println!(
                    "{:<58} {verdict}: {} passed, {} failed",
                    report.name,
                    report.passed,
                    report.failures.len()
                );
                for failure in &report.failures {
                    println!("    {}: {}", failure.case.display(), failure.reason);
                }
            }
        }
    }
    if passed + failed == 0 {
        println!("conformance: no vectors this build can run were found in {}", dir.display());
        println!("0 passed, 0 failed");
        return Ok(ExitCode::FAILURE);
    }
    if unsupported > 0 {
        println!("({unsupported} suites not yet supported)");
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
