//! The one error type of the storage module.
//!
//! Each variant names what the caller handed in that 0G would refuse, in the
//! same order the storage node checks things before it stores a segment
//! (0glabs/0g-storage-node `node/rpc/src/types.rs`, `SegmentWithProof::validate`).

use super::root::Root;

/// Why a file could not be committed to, or why a segment proof was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    /// The file has no bytes. 0G cannot store it: the Go client refuses to open
    /// it (`core/file.go`, `ErrFileEmpty`), the storage node rejects it
    /// ("file is empty"), and the flow contract rejects a submission with no nodes.
    #[error("the file is empty; 0G storage cannot commit to zero bytes")]
    EmptyFile,

    /// The segment index is at or past the number of data segments of the file.
    #[error("segment {index} is out of range: the file has {segments} data segments")]
    SegmentIndexOutOfRange {
        /// The index asked for.
        index: u64,
        /// How many segments carry file data (padding segments are never uploaded).
        segments: u64,
    },

    /// The segment's byte length is not the one 0G expects for its index: every
    /// segment but the last is 262,144 bytes, the last is the remainder rounded up
    /// to whole 256-byte chunks.
    #[error("segment {index} has {actual} bytes, expected {expected}")]
    SegmentSizeMismatch {
        /// The segment index.
        index: u64,
        /// The length 0G requires.
        expected: usize,
        /// The length that was given.
        actual: usize,
    },

    /// The proof's shape is impossible: `lemma` must hold exactly one hash when
    /// `path` is empty, and `path.len() + 2` hashes otherwise.
    #[error("malformed proof: {lemma} lemma hashes for {path} path steps")]
    MalformedProof {
        /// Hashes in `lemma`.
        lemma: usize,
        /// Steps in `path`.
        path: usize,
    },

    /// The proof has more steps than the tree over this many segments is deep
    /// along its route.
    #[error("proof path of {path} steps is too long for a tree of {leaves} segments")]
    ProofPathTooLong {
        /// Steps in `path`.
        path: usize,
        /// Leaves (padded segments) of the file's tree.
        leaves: u64,
    },

    /// The proof stops before it reaches a single segment.
    #[error("proof path of {path} steps is too short for a tree of {leaves} segments")]
    ProofPathTooShort {
        /// Steps in `path`.
        path: usize,
        /// Leaves (padded segments) of the file's tree.
        leaves: u64,
    },

    /// The left/right flags of the path lead to another segment than the one claimed.
    #[error("proof is for segment {proven}, not segment {expected}")]
    PositionMismatch {
        /// The segment index the caller claimed.
        expected: u64,
        /// The segment index the path encodes.
        proven: u64,
    },

    /// The segment data does not hash to the leaf the proof starts from.
    #[error("segment data hashes to {computed}, but the proof is for leaf {proven}")]
    SegmentRootMismatch {
        /// The Merkle root of the given segment data.
        computed: Root,
        /// `lemma[0]` of the proof.
        proven: Root,
    },

    /// The proof ends at another file root than the one trusted.
    #[error("proof ends at root {proven}, expected file root {expected}")]
    RootMismatch {
        /// The trusted file root.
        expected: Root,
        /// The last hash of `lemma`.
        proven: Root,
    },

    /// Hashing the leaf up along the path does not give the proof's root: a
    /// sibling hash or a flag was altered.
    #[error("proof hashes do not chain from the segment to the root")]
    ProofHashMismatch,

    /// A sibling that covers only padding segments is not the all-zero subtree
    /// hash, so the proof would commit to data the file does not have.
    #[error("proof step {step} covers only padding but is not the zero-subtree hash")]
    PaddingNodeMismatch {
        /// The path step, counted from the leaf (0 is the leaf's sibling).
        step: usize,
    },

    /// A submission breaks a rule the flow contract enforces (`SubmissionLibrary.valid`).
    #[error("invalid submission: {0}")]
    InvalidSubmission(&'static str),

    /// Text that should be a 32-byte `0x`-prefixed hex hash is not.
    #[error("invalid 32-byte hex hash {0:?}")]
    InvalidHash(String),

    /// The erasure coding is not one Aloft's placement supports.
    #[error("invalid erasure coding: {0}")]
    InvalidCoding(&'static str),

    /// The shard index is past the segment's data and parity shards.
    #[error("shard {shard} is out of range: a segment has {shards} shards")]
    ShardIndexOutOfRange {
        /// The shard asked for.
        shard: u16,
        /// Shards per segment.
        shards: usize,
    },

    /// A shard does not have the length the placement gives its segment.
    #[error("shard {shard} has {actual} bytes, expected {expected}")]
    ShardSizeMismatch {
        /// The shard.
        shard: u16,
        /// The length the layout requires.
        expected: usize,
        /// The length given.
        actual: usize,
    },

    /// The list of shard roots has the wrong length for the segment.
    #[error("expected {expected} shard roots, got {actual}")]
    ShardRootCount {
        /// Shard roots of the segment's tree.
        expected: usize,
        /// Shard roots given.
        actual: usize,
    },

    /// A data shard does not hash to its shard root.
    #[error("data shard {shard} hashes to {computed}, but the shard roots say {proven}")]
    ShardRootMismatch {
        /// The shard.
        shard: u16,
        /// The root of the given bytes.
        computed: Root,
        /// The shard root it was bound to.
        proven: Root,
    },

    /// A data shard has non-zero bytes where the placement puts only zero fill.
    #[error("data shard {shard} has non-zero bytes in its zero fill")]
    ShardPaddingNotZero {
        /// The shard.
        shard: u16,
    },

    /// Fewer shards than data shards were given, so the segment cannot be rebuilt.
    #[error("{given} shards given, {needed} needed to rebuild the segment")]
    NotEnoughShards {
        /// Data shards per segment.
        needed: usize,
        /// Usable shards given.
        given: usize,
    },

    /// No set of the given shards rebuilds a segment that verifies: too many are corrupt.
    #[error("segment {index} cannot be rebuilt from the given shards: too many are corrupt")]
    Unrecoverable {
        /// The segment.
        index: u64,
    },

    /// The Reed-Solomon codec refused its input.
    #[error("erasure coding failed: {0}")]
    Erasure(String),
}
