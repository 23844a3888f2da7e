//! The devnet's DA nodes: they turn payloads into blobs, encode every blob's
//! 128 cells and proofs (EIP-7594, FK20 with the table built once at start),
//! keep them ([`store`]), and serve them over HTTP ([`http`]) and WebRTC data
//! channels ([`webrtc`]) as the light client samples them, each node
//! misbehaving on command ([`switches`]).
//!
//! One block cadence: DA blocks are consensus blocks. Payloads posted with
//! `POST /da/v1/blobs` (or generated every `block_interval_ms`) wait in a
//! queue; at every header height `h` the consensus producer calls
//! [`DaNetwork::seal`], which packs and encodes the queued payloads (up to
//! 32 blobs) into DA block `h` and returns its commitments root
//! (`aloft_light_client::da::da_root_for_blobs`), which header `h` carries.
//! A height with no payload is an empty DA block (root of the empty list),
//! answered by the nodes without being stored. A post is answered once its
//! block is sealed, with that block's height and root.
//!
//! 1. At start the ceremony setup loads and the FK20 table is precomputed on
//!    a plain thread, once per process (a few seconds); until it is ready
//!    queued payloads wait and heights are sealed empty, so consensus never
//!    stalls on the DA layer.
//! 2. All nodes serve one shared store from one listener under `/nodes/{i}`;
//!    what differs between nodes is their switches.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Once, OnceLock};
use std::time::Duration;

use aloft_light_client::da::{self, DaRoot, MAX_BLOBS_PER_BLOCK};
use aloft_light_client::kzg::{Blob, TrustedSetup};
use tokio::sync::{Notify, oneshot};

pub mod http;
pub mod store;
pub mod switches;
pub mod webrtc;

pub use store::{DaBlock, DaStore};
pub use switches::DaSwitches;

/// The Ethereum KZG ceremony setup (`vectors/kzg/trusted_setup.txt`), built in.
const CEREMONY_SETUP: &str = include_str!("../../../vectors/kzg/trusted_setup.txt");

/// How long a post waits for its block before giving up.
const POST_TIMEOUT: Duration = Duration::from_secs(120);

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
    /// No block took the payload in time (the producer is stopped or stuck).
    #[error("no block took the payload within {0:?}")]
    NotSealed(Duration),
}

/// A payload waiting for the next block, and who waits for its answer.
struct Queued {
    blobs: Vec<Blob>,
    reply: Option<oneshot::Sender<Result<Arc<DaBlock>, String>>>,
}

/// The DA nodes' shared state.
pub struct DaNetwork {
    /// How many nodes serve.
    pub nodes: usize,
    /// The blocks that carry blobs.
    pub store: DaStore,
    /// Per-node misbehaviour.
    pub switches: Arc<DaSwitches>,
    queue: std::sync::Mutex<VecDeque<Queued>>,
    /// The newest height sealed (blocks up to it exist, empty or not).
    sealed: AtomicU64,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for DaNetwork {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DaNetwork").field("nodes", &self.nodes).field("sealed", &self.sealed).finish_non_exhaustive()
    }
}

/// The full setup with its FK20 table, loaded once per process on a plain
/// thread (so a runtime shutting down never waits for it); `None` until ready.
fn setup_now() -> Option<Result<Arc<TrustedSetup>, DaError>> {
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
    SETUP.get().map(|s| s.clone().map_err(DaError::Kzg))
}

impl DaNetwork {
    /// A network over `store` with `nodes` nodes; `wake` is notified when a
    /// payload waits for a block.
    pub fn new(nodes: usize, store: DaStore, switches: Arc<DaSwitches>, wake: Arc<Notify>) -> Self {
        Self { nodes, store, switches, queue: Default::default(), sealed: AtomicU64::new(0), wake }
    }

    /// Waits for the setup (async callers).
    pub async fn setup(&self) -> Result<Arc<TrustedSetup>, DaError> {
        loop {
            if let Some(s) = setup_now() {
                return s;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Queues `payload` for the next block and waits until a block holds it;
    /// returns that block.
    pub async fn submit(&self, payload: &[u8]) -> Result<Arc<DaBlock>, DaError> {
        let blobs = da::pack(payload)?;
        if blobs.len() > MAX_BLOBS_PER_BLOCK {
            return Err(DaError::TooManyBlobs(blobs.len()));
        }
        let (reply, answer) = oneshot::channel();
        self.queue.lock().unwrap_or_else(|p| p.into_inner()).push_back(Queued { blobs, reply: Some(reply) });
        self.wake.notify_one();
        match tokio::time::timeout(POST_TIMEOUT, answer).await {
            Ok(Ok(result)) => result.map_err(DaError::Kzg),
            _ => Err(DaError::NotSealed(POST_TIMEOUT)),
        }
    }

    /// Queues generated payloads (no one waits for them).
    pub fn enqueue(&self, payloads: Vec<Vec<u8>>) -> Result<(), DaError> {
        let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        for p in payloads {
            queue.push_back(Queued { blobs: da::pack(&p)?, reply: None });
        }
        Ok(())
    }

    /// Whether payloads wait for a block.
    pub fn has_queued(&self) -> bool {
        !self.queue.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
    }

    /// Makes DA block `height` from the queued payloads (as many as fit in
    /// 32 blobs; the rest wait for the next height) and returns its root.
    /// Blocking: encoding is CPU work, called on the producer's thread.
    /// A block that cannot be encoded is sealed empty and its posters get the error.
    pub fn seal(&self, height: u64) -> DaRoot {
        let mut taken = Vec::new();
        // Until the setup is loaded, payloads wait for a later height
        // (consensus never stalls on the DA layer).
        let setup = setup_now();
        if setup.is_some() {
            let mut queue = self.queue.lock().unwrap_or_else(|p| p.into_inner());
            let mut count = 0;
            while let Some(next) = queue.front() {
                if count + next.blobs.len() > MAX_BLOBS_PER_BLOCK {
                    break;
                }
                count += next.blobs.len();
                taken.extend(queue.pop_front());
            }
        }
        let empty = da::commitments_root(&[]).expect("the empty list is within the limit");
        let root = if taken.is_empty() {
            empty
        } else {
            let blobs: Vec<Blob> = taken.iter().flat_map(|q| q.blobs.iter().cloned()).collect();
            let made = setup
                .unwrap_or_else(|| Err(DaError::Kzg("the setup is not loaded".into())))
                .and_then(|setup| encode(&setup, height, &blobs))
                .and_then(|block| Ok(self.store.insert(block)?));
            let root = made.as_ref().map_or(empty, |b| b.root);
            for q in taken {
                if let Some(reply) = q.reply {
                    let _ = reply.send(made.as_ref().map(Arc::clone).map_err(|e| e.to_string()));
                }
            }
            if let Err(e) = &made {
                eprintln!("aloft-devnet: DA block {height} sealed empty: {e}");
            }
            root
        };
        self.sealed.store(height, Ordering::SeqCst);
        root
    }

    /// Records that blocks up to `height` exist (on start, from the header chain).
    pub fn set_sealed(&self, height: u64) {
        self.sealed.store(height, Ordering::SeqCst);
    }

    /// The root of sealed DA block `height`: stored, or the empty list's.
    pub fn root(&self, height: u64) -> Option<DaRoot> {
        self.block(height).map(|b| b.root)
    }

    /// DA block `height`: a stored block with blobs, an empty block for a
    /// sealed height without blobs, or `None` (not sealed yet, or pruned).
    pub fn block(&self, height: u64) -> Option<Arc<DaBlock>> {
        if let Some(b) = self.store.get(height) {
            return Some(b);
        }
        let sealed = self.sealed.load(Ordering::SeqCst);
        (height >= 1 && height <= sealed && height > self.store.pruned_through()).then(|| {
            Arc::new(DaBlock {
                height,
                root: da::commitments_root(&[]).expect("the empty list is within the limit"),
                commitments: Vec::new(),
                cells: Vec::new(),
            })
        })
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

/// Queues a block's worth of generated payloads every `interval_ms` until
/// dropped (with `interval_ms` 0 it only waits, so it never ends the devnet).
/// The next header height takes them.
pub async fn run_producer(net: Arc<DaNetwork>, blobs_per_block: usize, interval_ms: u64) {
    if interval_ms == 0 || blobs_per_block == 0 {
        return std::future::pending().await;
    }
    let every = Duration::from_millis(interval_ms);
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if net.has_queued() {
            continue;
        }
        let next = net.sealed.load(Ordering::SeqCst) + 1;
        let payloads = (0..blobs_per_block).map(|i| generated_payload(next, i)).collect();
        if let Err(e) = net.enqueue(payloads) {
            eprintln!("aloft-devnet: generated DA payloads refused: {e}");
        }
    }
}
