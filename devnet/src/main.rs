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
    /// Override where storage peer 0 listens (peer i: the port plus i), e.g. 127.0.0.1:8600.
    #[arg(long)]
    storage_addr: Option<std::net::SocketAddr>,
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
    if let Some(addr) = args.control_addr {
        config.control_addr = addr;
    }
    if let Some(addr) = args.storage_addr {
        config.storage_addr = addr;
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
