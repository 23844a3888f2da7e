//! `aloft`: the native command-line face of Aloft, for scripts and power users.
//!
//! Every subcommand is a thin shell over `aloft-light-client`, so what the
//! CLI prints is exactly what the browser verifier would conclude.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod conformance;
mod da;
mod headers;
mod http;
mod download;
mod flow;
mod peers;
mod progress;
mod root;
mod seal;
mod upload;
mod workers;

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
    /// Data availability: `aloft da sample --height H`.
    Da {
        #[command(subcommand)]
        command: DaCommand,
    },
    /// Submit FILE and upload it erasure-coded to the devnet's storage peers;
    /// prints its root as JSON, with progress on stderr.
    Upload {
        /// The file to upload; read in a stream.
        file: PathBuf,
        #[command(flatten)]
        net: NetArgs,
    },
    /// Download the file named ROOT from any k storage peers into OUT,
    /// verifying every segment against ROOT.
    Download {
        /// The file root, 0x and 64 hex digits.
        root: String,
        /// Where to write the file (via OUT.part, renamed when complete).
        out: PathBuf,
        #[command(flatten)]
        net: NetArgs,
    },
    /// ECIES-seal stdin to a secp256k1 public key (eciesjs format); sealed bytes to stdout.
    Seal {
        /// The receiver's public key in hex: 33 bytes compressed, 65 uncompressed or 64 raw.
        #[arg(long = "to", value_name = "PUBKEY")]
        to: String,
    },
    /// Open an ECIES seal from stdin with a secret key; the plaintext to stdout.
    Unseal {
        /// A file holding the secp256k1 secret key: 64 hex digits (optional 0x) or 32 raw bytes.
        #[arg(long = "key", value_name = "FILE")]
        key: PathBuf,
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

#[derive(Subcommand)]
enum DaCommand {
    /// Sample block H from DA nodes until the target confidence; print the report as JSON.
    /// Exit status 0 if available, 2 if unavailable, 3 if header H does not verify.
    Sample {
        /// The block height.
        #[arg(long)]
        height: u64,
        /// A DA node base URL (repeat for several); default: the devnet's 8 nodes.
        #[arg(long = "node")]
        nodes: Vec<String>,
        /// Base URL of the header API; header H is verified from the checkpoint and its DA root
        /// is the only root sampled against.
        #[arg(long, default_value = "http://127.0.0.1:26657")]
        rpc: String,
        /// The trusted checkpoint, HEIGHT:HASH; default: block 1 as the header API serves it
        /// (trust on first use).
        #[arg(long)]
        checkpoint: Option<String>,
        /// Persist the header client's trusted state in FILE so the next run resumes from it.
        #[arg(long)]
        state: Option<PathBuf>,
        /// Target confidence.
        #[arg(long, default_value_t = 0.9999)]
        target: f64,
        /// Per-request timeout in milliseconds.
        #[arg(long, default_value_t = 4000)]
        timeout_ms: u64,
    },
}

/// Where the devnet is and how to spread the shards.
#[derive(clap::Args)]
struct NetArgs {
    /// The devnet's control API (it lists the storage peers).
    #[arg(long, default_value = "http://127.0.0.1:8590")]
    devnet: String,
    /// The EVM JSON-RPC endpoint `aloft upload` sends its signed `Flow.submit` to.
    #[arg(long, default_value = "http://127.0.0.1:8545")]
    rpc: String,
    /// The submitting account's private key (64 hex digits); default: the
    /// devnet's funded account 0, on the devnet's chain only.
    #[arg(long, env = "ALOFT_KEY", hide_env_values = true)]
    key: Option<String>,
    /// Storage peer URLs in placement order, comma-separated (default: ask the devnet).
    #[arg(long, value_delimiter = ',')]
    peers: Option<Vec<String>>,
    /// Data shards per segment (a power of two).
    #[arg(long, default_value_t = 4)]
    data_shards: usize,
    /// Parity shards per segment.
    #[arg(long, default_value_t = 2)]
    parity_shards: usize,
    /// Segments in flight at once.
    #[arg(long, default_value_t = 8)]
    jobs: usize,
    /// Tries per shard against an unreachable peer.
    #[arg(long, default_value_t = 5)]
    retries: u32,
}

impl NetArgs {
    fn options(self) -> anyhow::Result<upload::Options> {
        let coding = aloft_light_client::storage::Coding::new(self.data_shards, self.parity_shards)?;
        Ok(upload::Options {
            control: self.devnet,
            rpc: self.rpc,
            key: self.key.map_or(flow::KeySource::DevnetDefault, flow::KeySource::Given),
            peers: self.peers,
            coding,
            jobs: self.jobs,
            retries: self.retries.max(1),
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Root { file } => root::run(&file),
        Command::Upload { file, net } => net.options().and_then(|o| upload::run(&file, &o)),
        Command::Download { root, out, net } => net.options().and_then(|o| download::run(&root, &out, &o)),
        Command::Conformance { dir } => conformance::run(&dir),
        Command::Seal { to } => seal::seal(&to),
        Command::Unseal { key } => seal::unseal(&key),
        Command::Headers { command: HeadersCommand::Verify { rpc, checkpoint, witness, follow, state } } => {
            headers::verify(headers::VerifyArgs { rpc, checkpoint, witness, follow, state })
        }
        Command::Da { command: DaCommand::Sample { height, nodes, rpc, checkpoint, state, target, timeout_ms } } => {
            let nodes = if nodes.is_empty() { (0..8).map(|i| format!("http://127.0.0.1:8591/nodes/{i}")).collect() } else { nodes };
            da::sample(da::SampleArgs { height, nodes, rpc, checkpoint, state, target, timeout_ms })
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
