//! # aloft-devnet
//!
//! A native local network that speaks Aloft's protocols, for the demo, the
//! tests and the benchmarks: one process, every node in it, on loopback.
//!
//! It is a library handle first ([`Devnet::builder`]`...spawn()`), so tests,
//! the demo and benchmarks start and stop the same thing; the `aloft-devnet`
//! binary is a thin shell around it. It uses `aloft-light-client`'s types so
//! both sides share one definition of every wire format.
//!
//! What runs now:
//! 1. the genesis ([`genesis`]): funded accounts from the standard test
//!    mnemonic, kept in the data directory so a restart keeps the chain;
//! 2. the execution layer ([`evm`]): revm, blocks with a Merkle-Patricia
//!    state root, sealed as transactions arrive, persisted in the data
//!    directory;
//! 3. the EVM JSON-RPC endpoint ([`rpc`] + [`eth`], default `127.0.0.1:8545`);
//! 4. the control API ([`control`], default `127.0.0.1:8590`) whose switches
//!    make nodes misbehave;
//! 5. the storage peers ([`storage`], default 6 on `127.0.0.1:8600`–`8605`),
//!    which accept erasure-coded shards of submitted files and serve them back,
//!    and the submission registry that stands in for the Flow contract's log
//!    (`POST /storage/submissions` on the control API).
//!
//! Validators and DA nodes join as their issues land.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use alloy_primitives::Address;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub mod config;
pub mod contracts;
pub mod control;
pub mod eth;
pub mod evm;
pub mod genesis;
pub mod rpc;
pub mod storage;

pub use config::Config;
use control::Switches;
use genesis::Genesis;
use storage::flow_log::{EitherLog, FlowSubmissionLog};
use storage::submissions::{DevnetSubmissions, SubmissionLog};

/// Why the devnet could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DevnetError {
    /// The configuration was refused.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The genesis could not be derived or loaded.
    #[error(transparent)]
    Genesis(#[from] genesis::GenesisError),
    /// The execution layer could not start (genesis contracts, stored blocks).
    #[error(transparent)]
    Evm(#[from] evm::EvmError),
    /// A storage peer could not start.
    #[error(transparent)]
    Storage(#[from] storage::PeersError),
    /// The submission registry could not be opened.
    #[error(transparent)]
    Submissions(#[from] storage::submissions::SubmitError),
    /// A port could not be bound.
    #[error("cannot listen on {addr} for the {what}: {source} (is another devnet running?)")]
    Bind {
        /// Which endpoint.
        what: &'static str,
        /// Where.
        addr: SocketAddr,
        /// The cause.
        source: std::io::Error,
    },
}

/// Configures a devnet before it starts.
#[derive(Debug, Clone, Default)]
pub struct DevnetBuilder {
    config: Config,
}

impl DevnetBuilder {
    /// Starts from a validated configuration.
    pub fn config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Listens on any free loopback ports (for tests that run side by side).
    pub fn ephemeral_ports(mut self) -> Self {
        self.config.rpc_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self.config.control_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self.config.storage_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self
    }

    /// Runs `peers` storage peers instead of the configured number.
    pub fn storage_peers(mut self, peers: usize) -> Self {
        self.config.storage_peers = peers;
        self
    }

    /// Keeps state in `dir` so it survives restarts.
    pub fn data_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.config.data_dir = Some(dir.into());
        self
    }

    /// Starts every node; returns once all are listening.
    pub async fn spawn(self) -> Result<Devnet, DevnetError> {
        let config = self.config;
        let genesis = match &config.data_dir {
            Some(dir) => Genesis::load_or_create(dir, &config)?,
            None => Genesis::from_config(&config)?,
        };
        let evm = Arc::new(evm_for(&genesis, config.data_dir.as_deref())?);
        let switches = Arc::new(Switches::with_storage_peers(config.storage_peers));
        let submissions = Arc::new(match &config.data_dir {
            Some(dir) => DevnetSubmissions::open(&dir.join("storage"))?,
            None => DevnetSubmissions::in_memory(),
        });
        // Peers accept roots submitted to the Flow contract on the chain, and
        // roots recorded in the devnet registry (the stand-in for clients that
        // cannot sign a transaction yet).
        let flow_log = FlowSubmissionLog::new(evm.clone(), contracts::addresses().flow);
        let log: Arc<dyn SubmissionLog> = Arc::new(EitherLog(vec![Arc::new(flow_log), submissions.clone()]));
        let peers = storage::bind(
            config.storage_peers,
            config.storage_addr,
            config.data_dir.as_deref(),
            log,
            switches.clone(),
        )
        .await?;
        let storage_addrs: Vec<SocketAddr> = peers.iter().map(|p| p.addr).collect();
        let bind = |what, addr| async move {
            TcpListener::bind(addr).await.map_err(|source| DevnetError::Bind { what, addr, source })
        };
        let rpc_listener = bind("JSON-RPC endpoint", config.rpc_addr).await?;
        let control_listener = bind("control API", config.control_addr).await?;
        let rpc_addr = rpc_listener.local_addr().map_err(|source| DevnetError::Bind {
            what: "JSON-RPC endpoint",
            addr: config.rpc_addr,
            source,
        })?;
        let control_addr = control_listener.local_addr().map_err(|source| DevnetError::Bind {
            what: "control API",
            addr: config.control_addr,
            source,
        })?;

        let accounts = genesis.accounts.iter().map(|a| a.address).collect();
        let rpc = rpc::router(Arc::new(rpc::RpcState { genesis, switches: switches.clone(), evm: evm.clone() }));
        let peer_urls: Vec<String> = storage_addrs.iter().map(|a| format!("http://{a}")).collect();
        let control = control::router(switches)
            .merge(storage::submissions::router(submissions.clone()))
            .merge(storage::peers_router(peer_urls));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let mut peer_tasks = tokio::task::JoinSet::new();
            for peer in peers {
                let id = peer.state.id;
                peer_tasks.spawn(async move {
                    if let Err(e) = peer.serve().await {
                        eprintln!("aloft-devnet: storage peer {id} stopped: {e}");
                    }
                });
            }
            let rpc = axum::serve(rpc_listener, rpc);
            let control = axum::serve(control_listener, control);
            tokio::select! {
                r = rpc => if let Err(e) = r { eprintln!("aloft-devnet: JSON-RPC server stopped: {e}") },
                r = control => if let Err(e) = r { eprintln!("aloft-devnet: control API stopped: {e}") },
                _ = stopped => {}
            }
            peer_tasks.shutdown().await;
        });
        Ok(Devnet {
            config,
            rpc_addr,
            control_addr,
            storage_addrs,
            submissions,
            accounts,
            evm,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// The execution layer for a genesis: its accounts funded, the genesis
/// contracts deployed, the stored blocks (if any) replayed.
pub(crate) fn evm_for(genesis: &Genesis, data_dir: Option<&std::path::Path>) -> Result<evm::ExecutionLayer, evm::EvmError> {
    let alloc: Vec<_> = genesis.accounts.iter().map(|a| (a.address, a.balance)).collect();
    let demo_owner = genesis.accounts.first().map(|a| a.address);
    evm::ExecutionLayer::open(genesis.chain_id, &alloc, &contracts::genesis_txs(demo_owner), data_dir, evm::Mining::Auto)
}

/// A running devnet. Dropping it stops every node.
#[derive(Debug)]
pub struct Devnet {
    config: Config,
    rpc_addr: SocketAddr,
    control_addr: SocketAddr,
    storage_addrs: Vec<SocketAddr>,
    submissions: Arc<DevnetSubmissions>,
    accounts: Vec<Address>,
    evm: Arc<evm::ExecutionLayer>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Devnet {
    /// A builder with the documented defaults.
    pub fn builder() -> DevnetBuilder {
        DevnetBuilder::default()
    }

    /// The JSON-RPC URL, e.g. `http://127.0.0.1:8545`.
    pub fn rpc_url(&self) -> String {
        format!("http://{}", self.rpc_addr)
    }

    /// The control API URL.
    pub fn control_url(&self) -> String {
        format!("http://{}", self.control_addr)
    }

    /// The storage peers' URLs, in peer order (the placement's peer numbers).
    pub fn storage_urls(&self) -> Vec<String> {
        self.storage_addrs.iter().map(|a| format!("http://{a}")).collect()
    }

    /// The submission registry standing in for the Flow contract's log.
    pub fn submissions(&self) -> &Arc<DevnetSubmissions> {
        &self.submissions
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.config.chain_id
    }

    /// The funded accounts, in derivation order.
    pub fn accounts(&self) -> &[Address] {
        &self.accounts
    }

    /// The execution layer (for a block producer, or tests that seal blocks).
    pub fn evm(&self) -> &Arc<evm::ExecutionLayer> {
        &self.evm
    }

    /// One JSON line saying where everything is, printed by the binary when ready.
    pub fn ready_line(&self) -> String {
        serde_json::json!({
            "event": "ready",
            "chain_id": self.chain_id(),
            "rpc": self.rpc_url(),
            "control": self.control_url(),
            "storage": self.storage_urls(),
            "accounts": self.accounts,
            "contracts": contracts::addresses(),
        })
        .to_string()
    }

    /// Runs until the nodes stop (they stop only on error or [`Devnet::shutdown`]).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Stops every node and waits for them.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
