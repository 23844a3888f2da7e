//! `aloft-devnet`: starts every devnet node in this process on loopback.
//!
//! Prints one JSON line (`{"event":"ready",...}`) when every endpoint listens,
//! then runs until Ctrl-C or SIGTERM.

use std::path::PathBuf;
use std::process::ExitCode;

use aloft_devnet::{Config, Devnet};
use clap::Parser;

/// A local Aloft network: EVM JSON-RPC, control API, storage peers, and (as
/// they land) BLS validators and DA nodes.
#[derive(Parser)]
#[command(name = "aloft-devnet", version, about)]
struct Args {
    /// TOML configuration (see --print-config for every key and its default).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Keep state here so it survives restarts (default: in memory only).
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// Override the JSON-RPC address, e.g. 127.0.0.1:8545.
    #[arg(long)]
    rpc_addr: Option<std::net::SocketAddr>,
    /// Override the control API address, e.g. 127.0.0.1:8590.
    #[arg(long)]
    control_addr: Option<std::net::SocketAddr>,
    /// Override the header API address, e.g. 127.0.0.1:26657.
    #[arg(long)]
    headers_addr: Option<std::net::SocketAddr>,
    /// Override the milliseconds between blocks.
    #[arg(long)]
    block_time_ms: Option<u64>,
    /// Override the number of validators (1 to 150).
    #[arg(long)]
    validators: Option<u32>,
    /// Override the DA nodes' address, e.g. 127.0.0.1:8591.
    #[arg(long)]
    da_addr: Option<std::net::SocketAddr>,
    /// Override the DA block interval in milliseconds (0: blocks only on POST /da/v1/blobs).
    #[arg(long)]
    da_block_interval_ms: Option<u64>,
    /// Override where storage peer 0 listens (peer i: the port plus i), e.g. 127.0.0.1:8600.
    #[arg(long)]
    storage_addr: Option<std::net::SocketAddr>,
    /// Override where the simulated-TEE transfer oracle listens, e.g. 127.0.0.1:8592.
    #[arg(long)]
    oracle_addr: Option<std::net::SocketAddr>,
    /// Override how many storage peers run.
    #[arg(long)]
    storage_peers: Option<usize>,
    /// Print the default configuration, documented, and exit.
    #[arg(long)]
    print_config: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.print_config {
        print!("{}", aloft_devnet::config::DEFAULT_TOML);
        return ExitCode::SUCCESS;
    }
    match start(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("aloft-devnet: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn start(args: Args) -> anyhow::Result<()> {
    let mut config = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("cannot read config {}: {e}", path.display()))?;
            Config::from_toml(&text)?
        }
        None => Config::default(),
    };
    if let Some(addr) = args.rpc_addr {
        config.rpc_addr = addr;
    }
    if let Some(addr) = args.da_addr {
        config.da_addr = addr;
    }
    if let Some(ms) = args.da_block_interval_ms {
        config.da_block_interval_ms = ms;
    }
    if let Some(addr) = args.control_addr {
        config.control_addr = addr;
    }
    if let Some(addr) = args.headers_addr {
        config.headers_addr = addr;
    }
    if let Some(ms) = args.block_time_ms {
        anyhow::ensure!((10..=60_000).contains(&ms), "--block-time-ms {ms} must be between 10 and 60000");
        config.block_time_ms = ms;
    }
    if let Some(n) = args.validators {
        anyhow::ensure!((1..=150).contains(&n), "--validators {n} must be between 1 and 150");
        config.validators = n;
    }
    if let Some(addr) = args.storage_addr {
        config.storage_addr = addr;
    }
    if let Some(addr) = args.oracle_addr {
        config.oracle_addr = addr;
    }
    if let Some(peers) = args.storage_peers {
        config.storage_peers = peers;
    }
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async move {
        let mut builder = Devnet::builder().config(config);
        if let Some(dir) = args.data_dir {
            builder = builder.data_dir(dir);
        }
        let devnet = builder.spawn().await?;
        println!("{}", devnet.ready_line());
        let ctrl_c = tokio::signal::ctrl_c();
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            _ = ctrl_c => {},
            _ = term.recv() => {},
        }
        devnet.shutdown().await;
        Ok(())
    })
}
