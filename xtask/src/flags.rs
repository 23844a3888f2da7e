//! Command-line flags of `cargo xtask`, parsed once into [`Command`].

/// What `cargo xtask` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Print usage.
    Help,
    /// Install build needs.
    Setup,
    /// Build everything into `dist/`.
    Build,
    /// Run every test suite.
    Test,
    /// Run the conformance vectors.
    Conformance,
    /// Start the demo; with `headless`, run the scripted journey and exit.
    Demo {
        /// Run the journey in headless Chromium instead of serving for a person.
        headless: bool,
    },
    /// Run every fuzz target for `seconds` each.
    Fuzz {
        /// Seconds per target.
        seconds: u64,
    },
    /// The adversarial soak over `blocks` blocks of `block_ms` each.
    Soak {
        /// Blocks to run.
        blocks: u64,
        /// Block time in milliseconds.
        block_ms: u64,
    },
    /// Benchmarks against the baselines (`xtask/src/bench.rs`).
    Bench(crate::bench::Options),
    /// Write PNGs of every wallet view to `docs/screenshots/`.
    Screenshots,
}

/// Usage text.
pub const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup            install build needs (idempotent; fast when all is present)
  build            build native binaries, the verifier package and the extension into dist/
  test             setup + build + every test suite; the last line is `N passed, M failed`
  conformance      run the public conformance vectors (vectors/, or $ALOFT_VECTORS_DIR)
  demo [--headless] start the devnet and serve dist/www on 127.0.0.1:8080;
                   --headless runs the scripted journey and prints one JSON line
  fuzz [--seconds N] run every cargo-fuzz target in fuzz/ for N seconds (default 60)
  soak [--blocks N] [--block-ms MS]
                   the devnet with every fault switch cycling under light clients,
                   DA sampling and uploads (default 2000 blocks of 50 ms); one JSON line
  bench [--json FILE] [--quick]
                   Aloft vs its baselines natively and in headless Chromium: medians, ratios, targets
  screenshots      build, then write every wallet view as PNGs to docs/screenshots/
                   (popup 360x600 and full page, light and dark)";

/// Parses the arguments after `cargo xtask`.
pub fn parse(mut args: impl Iterator<Item = String>) -> Result<Command, String> {
    let Some(first) = args.next() else { return Ok(Command::Help) };
    let rest: Vec<String> = args.collect();
    let no_more = |command: Command| {
        if let Some(extra) = rest.first() {
            Err(format!("unexpected argument {extra:?}"))
        } else {
            Ok(command)
        }
    };
    match first.as_str() {
        "help" | "--help" | "-h" => Ok(Command::Help),
        "setup" => no_more(Command::Setup),
        "build" => no_more(Command::Build),
        "test" => no_more(Command::Test),
        "conformance" => no_more(Command::Conformance),
        "screenshots" => no_more(Command::Screenshots),
        "demo" => match rest.as_slice() {
            [] => Ok(Command::Demo { headless: false }),
            [flag] if flag == "--headless" => Ok(Command::Demo { headless: true }),
            _ => Err(format!("unexpected arguments to demo: {rest:?}")),
        },
        "fuzz" => Ok(Command::Fuzz { seconds: number(&rest, "--seconds", 60)? }),
        "soak" => {
            Ok(Command::Soak { blocks: number(&rest, "--blocks", 2000)?, block_ms: number(&rest, "--block-ms", 50)? })
        }
        "bench" => crate::bench::parse(&rest).map(Command::Bench),
        other => Err(format!("unknown command {other:?}")),
    }
}

/// The value of `--flag N` in `rest` (or `default`); other flags must be
/// known to the caller's command (`--seconds`, `--blocks`, `--block-ms`).
fn number(rest: &[String], flag: &str, default: u64) -> Result<u64, String> {
    let mut value = default;
    let mut it = rest.iter();
    while let Some(f) = it.next() {
        let v = it.next().ok_or_else(|| format!("{f} needs a number"))?;
        let n = v.parse().map_err(|_| format!("{f} takes a whole number, not {v:?}"))?;
        match f.as_str() {
            f if f == flag => value = n,
            "--seconds" | "--blocks" | "--block-ms" => {}
            other => return Err(format!("unexpected argument {other:?}")),
        }
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(s: &str) -> Result<Command, String> {
        parse(s.split_whitespace().map(String::from))
    }

    #[test]
    fn parses_commands_and_rejects_extras() {
        assert_eq!(parse_str(""), Ok(Command::Help));
        assert_eq!(parse_str("demo --headless"), Ok(Command::Demo { headless: true }));
        assert_eq!(parse_str("demo"), Ok(Command::Demo { headless: false }));
        assert!(parse_str("test --nope").is_err());
        assert_eq!(parse_str("screenshots"), Ok(Command::Screenshots));
        assert!(parse_str("screenshots extra").is_err());
        assert!(parse_str("frobnicate").is_err());
        assert_eq!(parse_str("fuzz --seconds 5"), Ok(Command::Fuzz { seconds: 5 }));
        assert_eq!(parse_str("soak --blocks 30"), Ok(Command::Soak { blocks: 30, block_ms: 50 }));
        assert!(parse_str("soak --blocks many").is_err());
    }
}
