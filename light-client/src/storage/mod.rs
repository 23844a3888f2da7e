//! 0G storage: file roots, flow submissions and segment proofs, byte-exact with
//! the official clients.
//!
//! A file on 0G is named by its Merkle root. Anyone holding the bytes can
//! recompute it, so a wallet can check that what a storage node returns is the
//! file it asked for without trusting the node. The rules come from, and are
//! tested against, 0glabs/0g-storage-client (`core/`), 0glabs/0g-ts-sdk
//! (`src.ts/file/`), 0glabs/0g-storage-node (`common/merkle_tree`,
//! `shared_types`, `node/rpc/src/types.rs`) and 0glabs/0g-storage-contracts
//! (`Submission.sol`); each module names the file it matches.
//!
//! In order:
//! 1. [`layout`]: 256-byte chunks, 1024-chunk segments, 0G's flow padding.
//! 2. `hash`: `keccak256(chunk)` leaves, `keccak256(left || right)` nodes.
//! 3. `stack`: the constant-memory binary counter every root here is built on.
//! 4. [`FileRootBuilder`]: stream bytes in, get the [`FileCommitment`] (root,
//!    length, submission nodes) out; [`FileTreeBuilder`] also keeps segment
//!    roots and yields a [`FileTree`] that hands out proofs.
//! 5. [`segment_root`]: the root of one segment, for uploaders and downloaders.
//! 6. [`SegmentProof`] and [`verify_segment`]: the `{lemma, path}` proof and the
//!    checks a storage node runs on it.
//! 7. [`Submission`]: the flow contract's struct and its validity rules.
//! 8. [`SegmentWithProof`]: the upload/download object of `zgs_uploadSegment`.
//! 9. [`placement`]: erasure-coded shards of each segment across peers
//!    ([`ShardWithProof`], [`reconstruct_segment`]).
//!
//! Everything works over byte slices and never does I/O: the caller reads the
//! file and feeds it in, so the same code runs natively and in a browser.

mod builder;
mod error;
mod hash;
pub mod frame;
pub mod layout;
pub mod placement;
mod proof;
mod root;
mod segment;
mod stack;
mod submission;
mod tree;
mod upload;

pub use builder::{FileCommitment, FileRootBuilder, FileTreeBuilder};
pub use error::StorageError;
pub use layout::{CHUNK_SIZE, FileLayout, SEGMENT_CHUNKS, SEGMENT_SIZE};
pub use placement::{
    Coding, EncodedSegment, Placement, Reconstructed, ShardIndex, ShardShape, ShardWithProof,
    encode_segment, reconstruct_segment,
};
pub use proof::{SegmentProof, verify_segment, verify_segment_root};
pub use root::{Root, SegmentIndex};
pub use segment::{segment_root, segment_root_padded};
pub use submission::{Submission, SubmissionNode};
pub use tree::FileTree;
pub use upload::SegmentWithProof;
