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
        other => Err(format!("unknown command {other:?}")),
    }
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
    }
}
