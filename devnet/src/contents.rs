//! What goes into a block besides consensus data: the EVM state root and
//! the DA commitments root. The block producer asks a [`BlockContents`]
//! source for both at every height, so the EVM and the DA layer (built in
//! parallel) plug in without the producer knowing them. Until they do,
//! [`EmptyContents`] gives the roots of an empty chain.

use aloft_light_client::header::{DaRoot, Height, StateRoot};

/// The source of each new block's state root and DA root.
pub trait BlockContents: Send + Sync + 'static {
    /// The EVM state root after executing block `height`.
    fn state_root(&self, height: Height) -> StateRoot;
    /// The root over block `height`'s DA commitments.
    fn da_root(&self, height: Height) -> DaRoot;
}

/// No EVM state and no blobs: the empty-trie root
/// (`keccak256(rlp(""))`) and the empty-list DA root (`SHA-256("")`), as
/// documented in `docs/protocol.md`.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmptyContents;

impl BlockContents for EmptyContents {
    fn state_root(&self, _: Height) -> StateRoot {
        StateRoot::EMPTY_TRIE
    }
    fn da_root(&self, _: Height) -> DaRoot {
        DaRoot::EMPTY
    }
}
