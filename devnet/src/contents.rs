//! What goes into a block besides consensus data: the EVM state root and
//! the DA commitments root. One block cadence: at every header height `h`
//! the producer asks a [`BlockContents`] source to *seal* height `h`, and
//! header `h` carries the roots it returns.
//!
//! The devnet's source is [`Layers`]: it seals EVM block `h` (every pending
//! transaction; empty blocks too) and DA block `h` (the blobs queued for it),
//! so EVM block numbers are header heights and a light client can check
//! `eth_getProof` answers and DA commitment lists against BLS-verified
//! headers. [`EmptyContents`] (tests of the header chain alone) gives the
//! roots of an empty chain.
//!
//! [`Layers::reconcile`] runs on start: every stored header must carry the
//! state root of the EVM block of its height, or the data directory is
//! refused (it was made by a devnet whose EVM and header chain had separate
//! block cadences, or it is damaged); an EVM block sealed just before a
//! crash, whose header was not stored, gets its header now.

use std::sync::Arc;

use aloft_light_client::header::{DaRoot, Height, StateRoot, Timestamp};
use tokio::sync::Notify;

use crate::da::DaNetwork;
use crate::evm::ExecutionLayer;
use crate::header_chain::{Faults, HeaderChain};

/// Why a height could not be sealed, or the stored layers disagree.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ContentsError {
    /// The EVM block could not be stored.
    #[error("cannot store EVM block {height}: {reason}")]
    Evm {
        /// The height.
        height: u64,
        /// The cause.
        reason: String,
    },
    /// The EVM chain is not where the header chain expects it.
    #[error("EVM block {evm} was sealed for header height {height}: the EVM and the header chain disagree")]
    OutOfStep {
        /// The header height being sealed.
        height: u64,
        /// The EVM block that came out.
        evm: u64,
    },
    /// The data directory holds chains that do not belong together.
    #[error(
        "the data directory was made by an older devnet or is damaged ({why}); headers must carry the EVM state root of the same height since the one-block-cadence devnet: delete the directory or use another --data-dir"
    )]
    OldFormat {
        /// What disagrees.
        why: String,
    },
    /// The header chain could not store a header.
    #[error(transparent)]
    Chain(#[from] crate::header_chain::ChainError),
}

/// The source of each new block's state root and DA root.
pub trait BlockContents: Send + Sync + 'static {
    /// Seals block `height` (made at `time`) in the layers below consensus
    /// and returns the roots header `height` carries.
    fn seal(&self, height: Height, time: Timestamp) -> Result<(StateRoot, DaRoot), ContentsError>;

    /// Notified when something waits for a block (a transaction, a blob),
    /// so the producer makes one at once instead of at the next tick.
    fn wake(&self) -> Option<Arc<Notify>> {
        None
    }
}

/// No EVM state and no blobs: the empty-trie root
/// (`keccak256(rlp(""))`) and `SHA-256("")`, as the header tests use.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyContents;

impl BlockContents for EmptyContents {
    fn seal(&self, _: Height, _: Timestamp) -> Result<(StateRoot, DaRoot), ContentsError> {
        Ok((StateRoot::EMPTY_TRIE, DaRoot::EMPTY))
    }
}

/// The devnet's layers: the EVM and the DA network, sealed at every height.
#[derive(Debug, Clone)]
pub struct Layers {
    /// The execution layer.
    pub evm: Arc<ExecutionLayer>,
    /// The DA nodes.
    pub da: Arc<DaNetwork>,
    /// Shared by both: something waits for a block.
    pub wake: Arc<Notify>,
}

fn state_root(evm: &ExecutionLayer, height: u64) -> Option<StateRoot> {
    evm.state_root(height).map(|r| StateRoot(r.0))
}

fn da_root(da: &DaNetwork, height: u64) -> DaRoot {
    DaRoot(da.root(height).map_or_else(|| empty_da_root().0, |r| r.0))
}

/// The DA root of a block without blobs: the SSZ root of the empty list.
pub fn empty_da_root() -> DaRoot {
    DaRoot(aloft_light_client::da::commitments_root(&[]).expect("the empty list is within the limit").0)
}

impl Layers {
    /// Checks the stored header chain against the stored EVM chain (and
    /// gives an EVM block sealed just before a crash its header); then
    /// tells the DA network which heights exist.
    pub fn reconcile(&self, chain: &mut HeaderChain, now: Timestamp) -> Result<(), ContentsError> {
        let headers = chain.latest().map_or(0, |h| h.0);
        let evm = self.evm.head_number();
        if evm < headers {
            return Err(ContentsError::OldFormat {
                why: format!("{headers} headers but only {evm} EVM blocks"),
            });
        }
        if evm > headers + 1 {
            return Err(ContentsError::OldFormat {
                why: format!("{evm} EVM blocks but only {headers} headers (one EVM block per transaction?)"),
            });
        }
        for h in 1..=headers {
            let header = chain.honest(Height(h)).map(|b| b.header);
            let (Some(header), Some(root)) = (header, state_root(&self.evm, h)) else { continue };
            if header.state_root != root {
                return Err(ContentsError::OldFormat {
                    why: format!("header {h} carries state root {}, EVM block {h} has {}", hex(&header.state_root.0), hex(&root.0)),
                });
            }
        }
        self.da.set_sealed(evm);
        if evm == headers + 1 {
            let root = state_root(&self.evm, evm).unwrap_or(StateRoot::EMPTY_TRIE);
            chain.produce(now, root, da_root(&self.da, evm), Faults::default())?;
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", ::hex::encode(bytes))
}

impl BlockContents for Layers {
    fn seal(&self, height: Height, time: Timestamp) -> Result<(StateRoot, DaRoot), ContentsError> {
        let sealed = self.evm.head_number();
        if sealed == height.0 {
            // Sealed before, but its header could not be stored: the same roots again.
            let root = state_root(&self.evm, height.0).unwrap_or(StateRoot::EMPTY_TRIE);
            return Ok((root, da_root(&self.da, height.0)));
        }
        let expected = sealed + 1;
        if expected != height.0 {
            return Err(ContentsError::OutOfStep { height: height.0, evm: expected });
        }
        let summary = self
            .evm
            .seal_block(time.0 / 1000)
            .map_err(|e| ContentsError::Evm { height: height.0, reason: e.to_string() })?;
        if summary.number != height.0 {
            return Err(ContentsError::OutOfStep { height: height.0, evm: summary.number });
        }
        let da = DaRoot(self.da.seal(height.0).0);
        Ok((StateRoot(summary.state_root.0), da))
    }

    fn wake(&self) -> Option<Arc<Notify>> {
        Some(self.wake.clone())
    }
}
