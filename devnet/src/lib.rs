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
//!    state root, persisted in the data directory;
//! 3. the EVM JSON-RPC endpoint ([`rpc`] + [`eth`], default `127.0.0.1:8545`);
//! 4. the control API ([`control`], default `127.0.0.1:8590`) whose switches
//!    make nodes misbehave;
//! 5. the BLS validators ([`validators`], [`producer`]): one block cadence
//!    for every layer — every `block_time_ms`, or at once when a transaction
//!    or a blob waits, the producer seals EVM block `h` and DA block `h`
//!    ([`contents::Layers`]) and the validators sign header `h` carrying
//!    their state root and DA root, on the header chain in [`header_chain`]
//!    (persisted in the data directory);
//! 6. the header API for light clients ([`headers`], default
//!    `127.0.0.1:26657`, HTTP and WebSocket, with a witness view at
//!    `/witness`).
//!
//! 7. the DA nodes ([`da`], default 8 under `127.0.0.1:8591/nodes/{i}`): blocks
//!    of blobs, their cells and proofs, served for sampling.
//! 8. the storage peers ([`storage`], default 6 on `127.0.0.1:8600`–`8605`),
//!    which accept erasure-coded shards of submitted files and serve them back,
//!    and the submission registry that stands in for the Flow contract's log
//!    (`POST /storage/submissions` on the control API).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use alloy_primitives::Address;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub mod config;
pub mod contents;
pub mod contracts;
pub mod control;
pub mod da;
pub mod eth;
pub mod evm;
pub mod genesis;
pub mod header_chain;
pub mod oracle;
pub mod headers;
pub mod producer;
pub mod rpc;
pub mod validators;
pub mod storage;
pub mod webrtc;

pub use config::Config;
pub use contents::{BlockContents, EmptyContents, Layers};
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
    /// The chain could not be opened.
    #[error(transparent)]
    Chain(#[from] header_chain::ChainError),
    /// The layers' stored chains disagree (an old-format data directory).
    #[error(transparent)]
    Contents(#[from] contents::ContentsError),
    /// The DA block store could not be opened in the data directory.
    #[error("cannot open the DA block store: {0}")]
    DaStore(std::io::Error),
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
#[derive(Clone, Default)]
pub struct DevnetBuilder {
    config: Config,
}

impl std::fmt::Debug for DevnetBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevnetBuilder").field("config", &self.config).finish_non_exhaustive()
    }
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
        self.config.headers_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self.config.da_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self.config.storage_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self.config.oracle_addr = SocketAddr::from(([127, 0, 0, 1], 0));
        self
    }

    /// Milliseconds between blocks (tests go faster than the default second).
    pub fn block_time_ms(mut self, ms: u64) -> Self {
        self.config.block_time_ms = ms;
        self
    }

    /// Sets the DA block production: `blobs_per_block` generated blobs every
    /// `interval_ms` (0: blocks only on `POST /da/v1/blobs`).
    pub fn da_blocks(mut self, blobs_per_block: usize, interval_ms: u64) -> Self {
        self.config.da_blobs_per_block = blobs_per_block.clamp(1, aloft_light_client::da::MAX_BLOBS_PER_BLOCK);
        self.config.da_block_interval_ms = interval_ms;
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
        let evm = Arc::new(evm_for(&genesis, config.data_dir.as_deref(), evm::Mining::Producer)?);
        let switches = Arc::new(Switches::new(config.da_nodes, config.storage_peers));
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
        let peer_states: Vec<_> = peers.iter().map(|p| p.state.clone()).collect();
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

        let headers_listener = bind("header API", config.headers_addr).await?;
        let headers_addr = headers_listener.local_addr().map_err(|source| DevnetError::Bind {
            what: "header API",
            addr: config.headers_addr,
            source,
        })?;
        let schedule = validators::ValidatorSchedule::new(config.validator_seed.clone(), config.validators, config.rotate_every);
        let mut chain = header_chain::HeaderChain::open(
            aloft_light_client::header::ChainId(config.chain_id),
            schedule,
            config.data_dir.as_deref(),
        )?;
        // One block cadence: header h seals EVM block h and DA block h.
        let store = da::DaStore::open(config.data_dir.as_deref(), config.da_retain_blocks).map_err(DevnetError::DaStore)?;
        let da_net = Arc::new(da::DaNetwork::new(config.da_nodes, store, switches.da(), evm.wake()));
        let layers = Layers { evm: evm.clone(), da: da_net.clone(), wake: evm.wake() };
        layers.reconcile(&mut chain, aloft_light_client::header::Timestamp(producer::now_ms()))?;
        let contents: Arc<dyn BlockContents> = Arc::new(layers);
        let (heads, _) = tokio::sync::broadcast::channel(64);
        let service = Arc::new(headers::HeaderService {
            chain: std::sync::Mutex::new(chain),
            heads: heads.clone(),
            block_time_ms: config.block_time_ms,
        });
        // A first block before anyone can ask, so `/status` always answers.
        producer::produce_one(&service, contents.as_ref(), &switches);
        let producing = producer::run(
            service.clone(),
            contents,
            switches.clone(),
            std::time::Duration::from_millis(config.block_time_ms),
            heads,
        );
        let headers = headers::router(service);
        let da_listener = bind("DA nodes", config.da_addr).await?;
        let da_addr = da_listener.local_addr().map_err(|source| DevnetError::Bind { what: "DA nodes", addr: config.da_addr, source })?;
        let (da_router, da_channels) = da::webrtc::with_channels(da_net.clone(), da::http::router(da_net.clone()), da_addr.ip());
        // Load the setup and build the FK20 table now, off the async threads.
        let warm = da_net.clone();
        let producer = da::run_producer(da_net, config.da_blobs_per_block, config.da_block_interval_ms);

        let accounts = genesis.accounts.iter().map(|a| a.address).collect();
        let rpc = rpc::router(Arc::new(rpc::RpcState { genesis, switches: switches.clone(), evm: evm.clone() }));
        let peer_urls: Vec<String> = storage_addrs.iter().map(|a| format!("http://{a}")).collect();
        let control = control::router(switches)
            .merge(storage::submissions::router(submissions.clone()))
            .merge(storage::peers_router(peer_urls));
        let oracle_listener = bind("transfer oracle", config.oracle_addr).await?;
        let oracle_addr = oracle_listener.local_addr().map_err(|source| DevnetError::Bind { what: "transfer oracle", addr: config.oracle_addr, source })?;
        let oracle_storage = oracle::storage::PeerSet::new(peer_states, submissions.clone(), tokio::runtime::Handle::current());
        let oracle_router = oracle::router(Arc::new(oracle::Oracle::new(evm.clone(), oracle_storage)));
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            // The DA nodes' WebRTC connections close when the devnet stops.
            let _da_channels = da_channels;
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
            let headers = axum::serve(headers_listener, headers);
            let da = axum::serve(da_listener, da_router);
            let oracle = axum::serve(oracle_listener, oracle_router);
            let warm = async move {
                if let Err(e) = warm.setup().await {
                    eprintln!("aloft-devnet: the DA nodes cannot encode blobs: {e}");
                }
                std::future::pending::<()>().await
            };
            tokio::select! {
                r = headers => if let Err(e) = r { eprintln!("aloft-devnet: header API stopped: {e}") },
                _ = producing => {},
                r = da => if let Err(e) = r { eprintln!("aloft-devnet: DA nodes stopped: {e}") },
                r = oracle => if let Err(e) = r { eprintln!("aloft-devnet: transfer oracle stopped: {e}") },
                _ = warm => {}
                _ = producer => {}
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
            headers_addr,
            da_addr,
            oracle_addr,
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
pub(crate) fn evm_for(genesis: &Genesis, data_dir: Option<&std::path::Path>, mining: evm::Mining) -> Result<evm::ExecutionLayer, evm::EvmError> {
    let alloc: Vec<_> = genesis.accounts.iter().map(|a| (a.address, a.balance)).collect();
    let demo_owner = genesis.accounts.first().map(|a| a.address);
    evm::ExecutionLayer::open(genesis.chain_id, &alloc, &contracts::genesis_txs(demo_owner), data_dir, mining)
}

/// A running devnet. Dropping it stops every node.
#[derive(Debug)]
pub struct Devnet {
    config: Config,
    rpc_addr: SocketAddr,
    control_addr: SocketAddr,
    headers_addr: SocketAddr,
    da_addr: SocketAddr,
    oracle_addr: SocketAddr,
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

    /// The header API URL, e.g. `http://127.0.0.1:26657`.
    pub fn headers_url(&self) -> String {
        format!("http://{}", self.headers_addr)
    }

    /// The witness view of the header API.
    pub fn witness_url(&self) -> String {
        format!("http://{}/witness", self.headers_addr)
    }

    /// The DA listener's URL (`POST {da_url}/da/v1/blobs` submits a payload).
    pub fn da_url(&self) -> String {
        format!("http://{}", self.da_addr)
    }

    /// Every DA node's base URL, `{da_url}/nodes/{i}`.
    pub fn da_nodes(&self) -> Vec<String> {
        (0..self.config.da_nodes).map(|i| format!("{}/nodes/{i}", self.da_url())).collect()
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

    /// The simulated-TEE transfer oracle's JSON-RPC URL, e.g. `http://127.0.0.1:8592`.
    pub fn oracle_url(&self) -> String {
        format!("http://{}", self.oracle_addr)
    }

    /// One JSON line saying where everything is, printed by the binary when ready.
    pub fn ready_line(&self) -> String {
        serde_json::json!({
            "event": "ready",
            "chain_id": self.chain_id(),
            "rpc": self.rpc_url(),
            "control": self.control_url(),
            "headers": self.headers_url(),
            "witness": self.witness_url(),
            "da": self.da_url(),
            "da_nodes": self.da_nodes(),
            "storage": self.storage_urls(),
            "oracle": self.oracle_url(),
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
