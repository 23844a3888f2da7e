//! `aloft`: the native command-line face of Aloft, for scripts and power users.
//!
//! Every subcommand is a thin shell over `aloft-light-client`, so what the
//! CLI prints is exactly what the browser verifier would conclude.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod conformance;
mod headers;
mod http;
mod root;

/// Aloft: a light client and wallet toolkit for a 0G-style modular AI chain.
#[derive(Parser)]
#[command(name = "aloft", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the 0G storage file root and submission nodes of FILE as one JSON object.
    Root {
        /// The file to hash; read in a stream, never whole into memory.
        file: PathBuf,
    },
    /// Run the public conformance vectors (BLS, KZG, 0G storage) in DIR.
    Conformance {
        /// A directory in the layout of the repository's `vectors/`.
        #[arg(long, default_value = "vectors")]
        dir: PathBuf,
    },
    /// Header light client.
    Headers {
        #[command(subcommand)]
        command: HeadersCommand,
    },
}

#[derive(Subcommand)]
enum HeadersCommand {
    /// Sync headers from a trusted checkpoint, verifying every commit on the way (skipping with
    /// bisection); print one JSON line per verified head.
    Verify {
        /// Base URL of the header API, e.g. http://127.0.0.1:26657.
        #[arg(long)]
        rpc: String,
        /// The trusted checkpoint, HEIGHT:HASH (the block hash as 0x + 64 hex digits).
        #[arg(long)]
        checkpoint: String,
        /// A second source to cross-check each new head with (fork detection),
        /// e.g. http://127.0.0.1:26657/witness.
        #[arg(long)]
        witness: Option<String>,
        /// Keep following the head instead of stopping once synced.
        #[arg(long)]
        follow: bool,
        /// Persist the trusted state in FILE so the next run resumes from it.
        #[arg(long)]
        state: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Root { file } => root::run(&file),
        Command::Conformance { dir } => conformance::run(&dir),
        Command::Headers { command: HeadersCommand::Verify { rpc, checkpoint, witness, follow, state } } => {
            headers::verify(headers::VerifyArgs { rpc, checkpoint, witness, follow, state })
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("aloft: {err:#}");
            ExitCode::FAILURE
        }
    }
}
