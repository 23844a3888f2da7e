//! The devnet's execution layer: an EVM (revm, Prague rules) with blocks,
//! receipts, a Merkle-Patricia state root per block, and persistence.
//!
//! Layers, bottom up:
//! - [`state`]: the world state as maps, and revm's view of it;
//! - [`trie`]: the state root and EIP-1186 proofs (`alloy-trie`);
//! - [`tx`]: decoding and admission checks with geth's error messages;
//! - [`chain`]: sealed blocks, the pool, [`chain::Chain::seal_block`], calls;
//! - [`store`]: blocks on disk, replayed on restart;
//! - this module: [`ExecutionLayer`], the thread-safe handle the JSON-RPC
//!   server and the block producer share.
//!
//! The consensus block producer (`crate::producer`) calls
//! [`ExecutionLayer::seal_block`] at every header height (pending
//! transactions → receipts and a new state root), so EVM block `h` is the
//! block header `h` signs ([`Mining::Producer`]). A transaction arriving wakes
//! the producer ([`ExecutionLayer::wake`]) and the JSON-RPC server waits for
//! its block ([`ExecutionLayer::wait_mined`]), so a receipt is ready when
//! `eth_sendRawTransaction` returns, as with Anvil's automine. Without a
//! producer ([`Mining::Auto`], for tests of the EVM alone) a block is sealed
//! per transaction at once.

use std::path::Path;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use alloy_primitives::{Address, B256, Bytes, U256};

pub mod chain;
pub mod state;
pub mod store;
pub mod trie;
pub mod tx;

pub use chain::{BlockSummary, CallRequest, Chain, ChainError, GenesisTx, SealedBlock};
use store::{BlockStore, StoreError, StoredBlock};
pub use tx::TxError;

/// When blocks are sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mining {
    /// One block per accepted transaction, at once.
    Auto,
    /// Only when [`ExecutionLayer::seal_block`] is called (by a producer or a timer).
    Manual,
    /// By the consensus producer, once per header height; an accepted
    /// transaction wakes it ([`ExecutionLayer::wake`]).
    Producer,
}

/// Why the execution layer could not start or move on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvmError {
    /// The genesis could not be built.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The block store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored block does not rebuild to what was stored.
    #[error("stored block {number} does not replay: {reason} (the data directory is from another build or damaged)")]
    Replay {
        /// The block.
        number: u64,
        /// What differed.
        reason: String,
    },
}

/// The shared handle: the chain behind a lock, plus where blocks go.
#[derive(Debug)]
pub struct ExecutionLayer {
    chain: RwLock<Chain>,
    store: Option<BlockStore>,
    mining: Mining,
    /// The newest sealed block number, for [`ExecutionLayer::wait_mined`].
    sealed: tokio::sync::watch::Sender<u64>,
    /// Notified when a transaction waits for a block.
    wake: Arc<tokio::sync::Notify>,
}

/// Why `eth_sendRawTransaction` failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SubmitError {
    /// Refused at admission.
    #[error(transparent)]
    Tx(#[from] TxError),
    /// Accepted, but the block could not be stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ExecutionLayer {
    /// Builds the genesis and, with a data directory, replays the stored blocks.
    pub fn open(
        chain_id: u64,
        alloc: &[(Address, U256)],
        genesis_txs: &[GenesisTx],
        data_dir: Option<&Path>,
        mining: Mining,
    ) -> Result<Self, EvmError> {
        let mut chain = Chain::genesis(chain_id, alloc, genesis_txs)?;
        let store = data_dir.map(BlockStore::open).transpose()?;
        if let Some(store) = &store {
            for stored in store.load()? {
                let txs = stored
                    .transactions
                    .iter()
                    .map(|raw| tx::decode(raw, chain_id))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| EvmError::Replay { number: stored.number, reason: e.to_string() })?;
                let summary = chain.replay_block(txs, stored.timestamp);
                if summary.hash != stored.hash || summary.number != stored.number {
                    return Err(EvmError::Replay {
                        number: stored.number,
                        reason: format!("stored hash {}, rebuilt {}", stored.hash, summary.hash),
                    });
                }
            }
        }
        let (sealed, _) = tokio::sync::watch::channel(chain.head().header.number);
        Ok(Self { chain: RwLock::new(chain), store, mining, sealed, wake: Arc::default() })
    }

    /// Reads the chain.
    pub fn read(&self) -> RwLockReadGuard<'_, Chain> {
        self.chain.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Chain> {
        self.chain.write().unwrap_or_else(|p| p.into_inner())
    }

    /// Admits a raw transaction; with [`Mining::Auto`] seals it into a block.
    pub fn send_raw_transaction(&self, raw: &[u8]) -> Result<B256, SubmitError> {
        let mut chain = self.write();
        let hash = chain.submit(raw)?;
        match self.mining {
            Mining::Auto => {
                self.seal_locked(&mut chain, now())?;
            }
            Mining::Producer => self.wake.notify_one(),
            Mining::Manual => {}
        }
        Ok(hash)
    }

    /// What the block producer waits on: notified when a transaction is
    /// waiting for a block.
    pub fn wake(&self) -> Arc<tokio::sync::Notify> {
        self.wake.clone()
    }

    /// Waits until transaction `hash` has left the pool (mined, or dropped
    /// by the block that would have held it), at most `timeout`. Returns
    /// whether it left in time.
    pub async fn wait_mined(&self, hash: B256, timeout: Duration) -> bool {
        let mut sealed = self.sealed.subscribe();
        let waiting = async {
            loop {
                if self.read().pending_transaction(&hash).is_none() {
                    return;
                }
                if sealed.changed().await.is_err() {
                    return;
                }
            }
        };
        tokio::time::timeout(timeout, waiting).await.is_ok()
    }

    /// The newest block's number.
    pub fn head_number(&self) -> u64 {
        self.read().head().header.number
    }

    /// Seals the pending transactions into the next block and stores it.
    pub fn seal_block(&self, timestamp: u64) -> Result<BlockSummary, StoreError> {
        let mut chain = self.write();
        self.seal_locked(&mut chain, timestamp)
    }

    fn seal_locked(&self, chain: &mut Chain, timestamp: u64) -> Result<BlockSummary, StoreError> {
        let summary = chain.seal_block(timestamp);
        if let Some(store) = &self.store {
            let block = chain.head();
            store.save(&StoredBlock {
                number: summary.number,
                timestamp: summary.timestamp,
                hash: summary.hash,
                state_root: summary.state_root,
                transactions: block.transactions.iter().map(|t| Bytes::from(tx::encode(t))).collect(),
            })?;
        }
        self.sealed.send_replace(summary.number);
        Ok(summary)
    }

    /// The state root of block `number`, for the header producer.
    pub fn state_root(&self, number: u64) -> Option<B256> {
        self.read().block(number).map(|b| b.header.state_root)
    }
}

/// Seconds since the Unix epoch (the devnet is native; the light client never calls this).
pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
