//! `aloft`: the native command-line face of Aloft, for scripts and power users.
//!
//! Every subcommand is a thin shell over `aloft-light-client`, so what the
//! CLI prints is exactly what the browser verifier would conclude.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod conformance;
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Root { file } => root::run(&file),
        Command::Conformance { dir } => conformance::run(&dir),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("aloft: {err:#}");
            ExitCode::FAILURE
        }
    }
}
