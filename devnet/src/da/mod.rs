//! The devnet's DA nodes: they turn payloads into blobs, encode every blob's
//! 128 cells and proofs (EIP-7594, FK20 with the table built once at start),
//! keep them ([`store`]), and serve them over HTTP ([`http`]) as the light
//! client samples them, each node misbehaving on command ([`switches`]).
//!
//! 1. At start the ceremony setup loads and the FK20 table is precomputed on
//!    a plain thread, once per process (a few seconds); blocks wait for it.
//! 2. Every `block_interval_ms` (if non-zero) a block of `blobs_per_block`
//!    generated payloads is made; `POST /da/v1/blobs` makes a block of the
//!    posted payload at once.
//! 3. Each block's commitments root is `aloft_light_client::da::commitments_root`,
//!    the value a header will carry once the header producer takes it from here.
//!
//! All nodes serve one shared store from one listener under `/nodes/{i}`;
//! what differs between nodes is their switches.

use std::sync::{Arc, Once, OnceLock};

use aloft_light_client::da::{self, MAX_BLOBS_PER_BLOCK};
use aloft_light_client::kzg::TrustedSetup;
use tokio::sync::Mutex;

pub mod http;
pub mod store;
pub mod switches;

pub use store::{DaBlock, DaStore};
pub use switches::DaSwitches;

/// The Ethereum KZG ceremony setup (`vectors/kzg/trusted_setup.txt`), built in.
const CEREMONY_SETUP: &str = include_str!("../../../vectors/kzg/trusted_setup.txt");

/// Why a DA block could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DaError {
    /// The payload could not be packed.
    #[error(transparent)]
    Packing(#[from] da::PackingError),
    /// The blobs need more room than a block has.
    #[error("{0} blobs exceed the {MAX_BLOBS_PER_BLOCK}-blob block limit")]
    TooManyBlobs(usize),
    /// KZG encoding failed.
    #[error("encoding failed: {0}")]
    Kzg(String),
    /// The block could not be stored.
    #[error("cannot store the DA block: {0}")]
    Io(#[from] std::io::Error),
}

/// The DA nodes' shared state.
#[derive(Debug)]
pub struct DaNetwork {
    /// How many nodes serve.
    pub nodes: usize,
    /// The blocks.
    pub store: DaStore,
    /// Per-node misbehaviour.
    pub switches: Arc<DaSwitches>,
    producing: Mutex<()>,
}

impl DaNetwork {
    /// A network over `store` with `nodes` nodes.
    pub fn new(nodes: usize, store: DaStore, switches: Arc<DaSwitches>) -> Self {
        Self { nodes, store, switches, producing: Mutex::new(()) }
    }

    /// The full setup with its FK20 table, loaded once per process on a
    /// plain thread (so a runtime shutting down never waits for it).
    pub async fn setup(&self) -> Result<Arc<TrustedSetup>, DaError> {
        static SETUP: OnceLock<Result<Arc<TrustedSetup>, String>> = OnceLock::new();
        static START: Once = Once::new();
        START.call_once(|| {
            std::thread::spawn(|| {
                let setup = TrustedSetup::from_ceremony_text(CEREMONY_SETUP).map(|s| {
                    s.precompute_cell_proofs();
                    Arc::new(s)
                });
                let _ = SETUP.set(setup.map_err(|e| e.to_string()));
            });
        });
        loop {
            if let Some(s) = SETUP.get() {
                return s.clone().map_err(DaError::Kzg);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Makes the next block from `payloads` (each packed into its own blobs).
    pub async fn produce(&self, payloads: Vec<Vec<u8>>) -> Result<Arc<DaBlock>, DaError> {
        let setup = self.setup().await?;
        let mut blobs = Vec::new();
        for p in &payloads {
            blobs.extend(da::pack(p)?);
        }
        if blobs.len() > MAX_BLOBS_PER_BLOCK {
            return Err(DaError::TooManyBlobs(blobs.len()));
        }
        let _guard = self.producing.lock().await;
        let height = self.store.head().map_or(1, |b| b.height + 1);
        // Encode on a plain thread: a runtime shutting down never waits for it.
        let (done, result) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let _ = done.send(encode(&setup, height, &blobs));
        });
        let block = result.await.map_err(|e| DaError::Kzg(e.to_string()))??;
        Ok(self.store.insert(block)?)
    }
}

/// Commitments, DA root, and every blob's cells and proofs.
fn encode(setup: &TrustedSetup, height: u64, blobs: &[aloft_light_client::kzg::Blob]) -> Result<DaBlock, DaError> {
    let (commitments, root) = da::da_root_for_blobs(setup, blobs).map_err(|e| DaError::Kzg(e.to_string()))?;
    let cells = blobs
        .iter()
        .map(|b| setup.compute_cells_and_kzg_proofs(b))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DaError::Kzg(e.to_string()))?;
    Ok(DaBlock { height, root, commitments, cells })
}

/// A generated payload for blob `index` of the block after `height`:
/// pseudo-random bytes (xorshift) that fill most of one blob.
pub fn generated_payload(height: u64, index: usize) -> Vec<u8> {
    let mut x = height.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (index as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
    (0..100_000)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// Produces a block of generated payloads every `interval_ms` until dropped
/// (with `interval_ms` 0 it only waits, so it never ends the devnet).
pub async fn run_producer(net: Arc<DaNetwork>, blobs_per_block: usize, interval_ms: u64) {
    if interval_ms == 0 || blobs_per_block == 0 {
        return std::future::pending().await;
    }
    let mut tick = tokio::time::interval(std::time::Duration::from_millis(interval_ms));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let next = net.store.head().map_or(1, |b| b.height + 1);
        let payloads = (0..blobs_per_block).map(|i| generated_payload(next, i)).collect();
        if let Err(e) = net.produce(payloads).await {
            eprintln!("aloft-devnet: DA block production failed: {e}");
        }
    }
}
