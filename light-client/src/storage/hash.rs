//! The two hash rules of every 0G storage tree, and the all-zero subtrees.
//!
//! - A leaf is `keccak256(chunk)` over the whole 256-byte chunk, with no domain
//!   prefix (0g-storage-node `common/merkle_tree/src/lib.rs`, `RawLeafSha3Algorithm`;
//!   0g-storage-client `core/dataflow.go`, `SegmentRoot`; 0g-ts-sdk `NHMerkleTree.addLeaf`).
//! - An inner node is `keccak256(left || right)`.
//! - The subtree of `2^h` zero chunks has a fixed root, `ZERO_HASHES[h]` in
//!   0g-storage-node `common/append_merkle/src/merkle_tree.rs`. Padding is made of
//!   such subtrees, so the streaming builder pushes them whole instead of hashing
//!   zero chunks one by one.

use std::sync::OnceLock;

use sha3::{Digest, Keccak256};

use super::layout::CHUNK_SIZE;
use super::root::Root;

/// How many zero-subtree heights are tabled: a `u64` file has at most 2^56 chunks,
/// and the flow contract caps node heights below 64.
pub(crate) const MAX_HEIGHT: usize = 64;

/// The leaf hash of one full chunk.
#[inline]
pub(crate) fn leaf(chunk: &[u8; CHUNK_SIZE]) -> Root {
    let digest = Keccak256::digest(chunk);
    let mut out = [0u8; 32];
    out.copy_from_slice(&digest);
    Root(out)
}

/// The leaf hash of a chunk of at most 256 bytes, zero-filled to 256 as 0G does
/// with the last chunk of a file.
pub(crate) fn leaf_zero_filled(part: &[u8]) -> Root {
    let mut chunk = [0u8; CHUNK_SIZE];
    let len = part.len().min(CHUNK_SIZE);
    chunk[..len].copy_from_slice(&part[..len]);
    leaf(&chunk)
}

/// The parent of two nodes.
#[inline]
pub(crate) fn node(left: &Root, right: &Root) -> Root {
    let mut hasher = Keccak256::new();
    hasher.update(left.0);
    hasher.update(right.0);
    let mut out = [0u8; 32];
    out.copy_from_slice(&hasher.finalize());
    Root(out)
}

/// The root of a complete subtree of `2^height` zero chunks.
///
/// Heights at or above [`MAX_HEIGHT`] cannot occur for a `u64`-sized file; they
/// are clamped to the highest tabled height rather than panicking.
pub(crate) fn zero_subtree(height: usize) -> Root {
    static TABLE: OnceLock<[Root; MAX_HEIGHT]> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table = [Root::ZERO; MAX_HEIGHT];
        table[0] = leaf(&[0u8; CHUNK_SIZE]);
        for h in 1..MAX_HEIGHT {
            table[h] = node(&table[h - 1], &table[h - 1]);
        }
        table
    });
    table[height.min(MAX_HEIGHT - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_chunk_leaf_is_the_known_constant() -> Result<(), crate::storage::StorageError> {
        // The constant both 0g-storage-node (`ZERO_HASH`) and the Go client
        // (`EmptyChunkHash`) hard-code.
        let expected: Root =
            "0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5".parse()?;
        assert_eq!(leaf(&[0u8; CHUNK_SIZE]), expected);
        assert_eq!(zero_subtree(0), expected);
        assert_eq!(leaf_zero_filled(&[]), expected);
        Ok(())
    }

    #[test]
    fn zero_subtrees_chain() {
        for h in 1..MAX_HEIGHT {
            assert_eq!(
                zero_subtree(h),
                node(&zero_subtree(h - 1), &zero_subtree(h - 1))
            );
        }
    }

    #[test]
    fn zero_filled_leaf_pads_with_zeros() {
        let mut chunk = [0u8; CHUNK_SIZE];
        chunk[0] = 7;
        chunk[1] = 38;
        assert_eq!(leaf_zero_filled(&[7, 38]), leaf(&chunk));
    }
}
