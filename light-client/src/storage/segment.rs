//! Segment roots: the Merkle root of the chunks of one segment.
//!
//! These are the leaves of the tree segment proofs walk, and what an uploader
//! or a downloader hashes per 256 KiB (0g-storage-client `core/dataflow.go`,
//! `SegmentRoot`; 0g-ts-sdk `AbstractFile.segmentRoot`; 0g-storage-node
//! `SegmentWithProof::calculate_segment_merkle_root`).

use super::hash;
use super::layout::CHUNK_SIZE;
use super::root::Root;
use super::stack::SubtreeStack;

/// The root over the chunks of `segment`, the last one zero-filled.
///
/// Any length works; a real segment is at most 262,144 bytes. No bytes give
/// [`Root::ZERO`], as the Go client's `SegmentRoot` returns for no chunks.
pub fn segment_root(segment: &[u8]) -> Root {
    segment_root_padded(segment, 0)
}

/// The root over the chunks of `segment` followed by `zero_chunks` all-zero
/// chunks: how the storage node hashes the last data segment when the padded
/// file extends it (`emptyChunksPadded` in the Go and TS clients).
pub fn segment_root_padded(segment: &[u8], zero_chunks: u64) -> Root {
    let mut stack = SubtreeStack::default();
    let mut chunks = segment.chunks_exact(CHUNK_SIZE);
    for chunk in &mut chunks {
        if let Ok(chunk) = <&[u8; CHUNK_SIZE]>::try_from(chunk) {
            stack.push_leaf(hash::leaf(chunk), None);
        }
    }
    if !chunks.remainder().is_empty() {
        stack.push_leaf(hash::leaf_zero_filled(chunks.remainder()), None);
    }
    let target = stack.leaves().saturating_add(zero_chunks);
    stack.pad_with_zeros(target, None);
    stack.root().unwrap_or(Root::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::layout::SEGMENT_SIZE;
    use crate::storage::{FileTree, SegmentIndex, StorageError};

    #[test]
    fn zero_padding_equals_appended_zero_chunks() {
        let data = [5u8; 3 * CHUNK_SIZE + 10];
        for zeros in [0usize, 1, 2, 5, 13, 1000] {
            let mut extended = data.to_vec();
            extended.resize((4 + zeros) * CHUNK_SIZE, 0);
            assert_eq!(
                segment_root_padded(&data, zeros as u64),
                segment_root(&extended),
                "zeros = {zeros}"
            );
        }
    }

    #[test]
    fn empty_segment_is_the_zero_hash() {
        assert_eq!(segment_root(&[]), Root::ZERO);
    }

    #[test]
    fn segment_roots_are_the_tree_leaves() -> Result<(), StorageError> {
        // 2 full segments and 3 chunks: 2051 chunks pad to 2304, so the last
        // padded segment has 256 chunks, 253 of them zeros.
        let data: Vec<u8> = (0..2 * SEGMENT_SIZE + 3 * CHUNK_SIZE)
            .map(|i| (i % 251) as u8)
            .collect();
        let tree = FileTree::of_bytes(&data)?;
        let roots = tree.segment_roots();
        assert_eq!(roots.len(), 3);
        assert_eq!(roots[0], segment_root(&data[..SEGMENT_SIZE]));
        assert_eq!(
            roots[1],
            segment_root(&data[SEGMENT_SIZE..2 * SEGMENT_SIZE])
        );
        assert_eq!(
            roots[2],
            segment_root_padded(&data[2 * SEGMENT_SIZE..], 253)
        );
        assert_eq!(tree.layout()?.padded_segment_chunks(SegmentIndex(2)), 256);
        Ok(())
    }
}
