//! Segment proofs in 0G's `{lemma, path}` form, and their verification.
//!
//! The JSON shape is the storage node's `FileProof` (0g-storage-node
//! `node/shared_types/src/lib.rs`): `{"lemma":["0x..",...],"path":[true,...]}`,
//! the `proof` field of `zgs_uploadSegment` and `zgs_downloadSegmentWithProof`.
//! `lemma` is `[segment root, siblings from the bottom up..., file root]`, or
//! just `[root]` for a one-segment file; `path[i]` is true when the node at
//! step `i` is a left child (its sibling is on the right).
//!
//! [`verify_segment`] runs the checks the node runs before it stores a segment
//! (`SegmentWithProof::validate` in `node/rpc/src/types.rs`), in this order:
//! 1. the file is not empty and the index names a data segment;
//! 2. the data has the exact size 0G expects for that index;
//! 3. the proof is well formed;
//! 4. the path encodes that index in a tree over the *padded* segments (the
//!    node's `FileProof::position`, which also refuses paths too long or too
//!    short; the Go and TS clients skip those two checks);
//! 5. the data, zero-extended to its padded segment, hashes to `lemma[0]`;
//! 6. the proof ends at the trusted root and chains to it;
//! 7. every sibling that covers only padding is the zero-subtree hash
//!    (`validate_rear_padding`), so a proof cannot hide data past the file's end.

use serde::{Deserialize, Serialize};

use super::error::StorageError;
use super::hash;
use super::layout::{CHUNK_SIZE, FileLayout, SEGMENT_HEIGHT};
use super::root::{Root, SegmentIndex};
use super::segment::segment_root_padded;

/// A Merkle proof that a segment root is a leaf of a file tree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SegmentProof {
    /// The leaf, then the siblings from the bottom up, then the root.
    pub lemma: Vec<Root>,
    /// One flag per sibling: true when the node on the route is a left child.
    pub path: Vec<bool>,
}

impl SegmentProof {
    /// Checks the shape: one hash and no path, or `path.len() + 2` hashes.
    pub fn check_format(&self) -> Result<(), StorageError> {
        let well_formed = if self.path.is_empty() {
            self.lemma.len() == 1
        } else {
            self.lemma.len() == self.path.len() + 2
        };
        if well_formed {
            Ok(())
        } else {
            Err(StorageError::MalformedProof {
                lemma: self.lemma.len(),
                path: self.path.len(),
            })
        }
    }

    /// The leaf the proof starts from.
    pub fn leaf(&self) -> Option<Root> {
        self.lemma.first().copied()
    }

    /// The root the proof ends at.
    pub fn root(&self) -> Option<Root> {
        self.lemma.last().copied()
    }

    /// The leaf index the path leads to in a carry-up tree of `leaves` leaves.
    ///
    /// Walking from the root, the left subtree of `n` leaves always holds
    /// `next_pow2(n) / 2` of them; a path that runs out of tree, or stops above
    /// a single leaf, is refused.
    pub fn position(&self, leaves: u64) -> Result<SegmentIndex, StorageError> {
        let mut remaining = leaves;
        let mut position = 0u64;
        for &is_left in self.path.iter().rev() {
            if remaining <= 1 {
                return Err(StorageError::ProofPathTooLong {
                    path: self.path.len(),
                    leaves,
                });
            }
            let left_size = remaining.next_power_of_two() / 2;
            if is_left {
                remaining = left_size;
            } else {
                position += left_size;
                remaining -= left_size;
            }
        }
        if remaining != 1 {
            return Err(StorageError::ProofPathTooShort {
                path: self.path.len(),
                leaves,
            });
        }
        Ok(SegmentIndex(position))
    }

    /// Whether hashing the leaf up the path gives the last lemma entry.
    fn chains(&self) -> bool {
        let (Some(mut acc), Some(root)) = (self.leaf(), self.root()) else {
            return false;
        };
        for (sibling, &is_left) in self.lemma[1..].iter().zip(&self.path) {
            acc = if is_left {
                hash::node(&acc, sibling)
            } else {
                hash::node(sibling, &acc)
            };
        }
        acc == root
    }

    /// Step 7 of the module flow: siblings that lie wholly in the padding
    /// segments must be complete zero subtrees.
    fn check_rear_padding(
        &self,
        padded_segments: u64,
        data_segments: u64,
    ) -> Result<(), StorageError> {
        let mut remaining = padded_segments;
        let mut position = 0u64;
        for (from_top, &is_left) in self.path.iter().rev().enumerate() {
            let left_size = remaining.next_power_of_two() / 2;
            if !is_left {
                position += left_size;
                remaining -= left_size;
                continue;
            }
            remaining = left_size;
            // The sibling starts at `position + left_size`; past the data it is all padding.
            if position + left_size >= data_segments {
                let step = self.path.len() - 1 - from_top;
                let height = left_size.trailing_zeros() + SEGMENT_HEIGHT;
                let sibling = self.lemma.get(step + 1);
                if sibling != Some(&hash::zero_subtree(height as usize)) {
                    return Err(StorageError::PaddingNodeMismatch { step });
                }
            }
        }
        Ok(())
    }
}

/// Verifies that `data` is segment `index` of the file of `file_size` bytes
/// whose root is `root`, as the storage node does before storing it.
///
/// `data` is the segment as uploaded or downloaded: 262,144 bytes, or for the
/// last data segment the file's remainder rounded up to whole 256-byte chunks.
pub fn verify_segment(
    root: &Root,
    file_size: u64,
    index: SegmentIndex,
    data: &[u8],
    proof: &SegmentProof,
) -> Result<(), StorageError> {
    let layout = FileLayout::new(file_size)?;
    let expected = layout.segment_upload_len(index)?;
    if data.len() != expected {
        return Err(StorageError::SegmentSizeMismatch {
            index: index.0,
            expected,
            actual: data.len(),
        });
    }
    proof.check_format()?;

    let padded_segments = layout.padded_segments();
    let proven = proof.position(padded_segments)?;
    if proven != index {
        return Err(StorageError::PositionMismatch {
            expected: index.0,
            proven: proven.0,
        });
    }

    // `data` is whole chunks (checked above); the padded segment may extend it.
    let data_chunks = (data.len() / CHUNK_SIZE) as u64;
    let zero_chunks = layout
        .padded_segment_chunks(index)
        .saturating_sub(data_chunks);
    let computed = segment_root_padded(data, zero_chunks);
    check_leaf_and_root(root, &layout, computed, proof)
}

/// Verifies that `segment_root` is the root of segment `index` of the file of
/// `file_size` bytes whose root is `root`: steps 3 to 7 of the module flow,
/// for a caller that knows the segment root but not the segment's bytes (an
/// erasure-coded shard holder, see [`crate::storage::placement`]).
pub fn verify_segment_root(
    root: &Root,
    file_size: u64,
    index: SegmentIndex,
    segment_root: Root,
    proof: &SegmentProof,
) -> Result<(), StorageError> {
    let layout = FileLayout::new(file_size)?;
    layout.segment_upload_len(index)?;
    proof.check_format()?;
    let proven = proof.position(layout.padded_segments())?;
    if proven != index {
        return Err(StorageError::PositionMismatch {
            expected: index.0,
            proven: proven.0,
        });
    }
    check_leaf_and_root(root, &layout, segment_root, proof)
}

/// Steps 5 to 7: the leaf, the root, the chain and the rear padding.
fn check_leaf_and_root(
    root: &Root,
    layout: &FileLayout,
    computed: Root,
    proof: &SegmentProof,
) -> Result<(), StorageError> {
    let (Some(leaf), Some(proven_root)) = (proof.leaf(), proof.root()) else {
        return Err(StorageError::MalformedProof {
            lemma: 0,
            path: proof.path.len(),
        });
    };
    if leaf != computed {
        return Err(StorageError::SegmentRootMismatch {
            computed,
            proven: leaf,
        });
    }
    if proven_root != *root {
        return Err(StorageError::RootMismatch {
            expected: *root,
            proven: proven_root,
        });
    }
    if !proof.chains() {
        return Err(StorageError::ProofHashMismatch);
    }
    proof.check_rear_padding(layout.padded_segments(), layout.data_segments())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::FileTree;
    use crate::storage::layout::SEGMENT_SIZE;

    fn file(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u32).wrapping_mul(0x9e37_79b9).rotate_left(7) as u8)
            .collect()
    }

    /// The segment as uploaded: its file bytes, zero-filled to whole chunks.
    fn upload(
        data: &[u8],
        layout: &FileLayout,
        index: SegmentIndex,
    ) -> Result<Vec<u8>, StorageError> {
        let range = layout.segment_file_range(index)?;
        let mut segment = data[range.start as usize..range.end as usize].to_vec();
        segment.resize(layout.segment_upload_len(index)?, 0);
        Ok(segment)
    }

    #[test]
    fn round_trip_for_every_segment() -> Result<(), StorageError> {
        // Sizes chosen for: one segment; a partial last segment; a last data
        // segment extended by padding chunks; a carried-up odd segment (5
        // segments); a single-chunk last segment.
        for len in [
            100,
            SEGMENT_SIZE,
            SEGMENT_SIZE + 1,
            2 * SEGMENT_SIZE + 3 * CHUNK_SIZE,
            5 * SEGMENT_SIZE,
            9 * SEGMENT_SIZE + 1,
        ] {
            let data = file(len);
            let tree = FileTree::of_bytes(&data)?;
            let layout = tree.layout()?;
            for i in 0..layout.data_segments() {
                let index = SegmentIndex(i);
                let proof = tree.proof(index)?;
                let segment = upload(&data, &layout, index)?;
                verify_segment(&tree.root(), len as u64, index, &segment, &proof)?;
            }
        }
        Ok(())
    }

    #[test]
    fn one_segment_file_has_root_only_proof() -> Result<(), StorageError> {
        let data = file(1000);
        let tree = FileTree::of_bytes(&data)?;
        let proof = tree.proof(SegmentIndex(0))?;
        assert_eq!(
            proof,
            SegmentProof {
                lemma: vec![tree.root()],
                path: vec![]
            }
        );
        Ok(())
    }

    #[test]
    fn padding_segments_are_proven_zero() -> Result<(), StorageError> {
        // 2^15 + 1 chunks pad to 36 segments, of which 33 hold data: the proof
        // of segment 32 has siblings that are whole padding segments.
        let len = 32 * SEGMENT_SIZE + 1;
        let data = file(len);
        let tree = FileTree::of_bytes(&data)?;
        let layout = tree.layout()?;
        assert_eq!((layout.data_segments(), layout.padded_segments()), (33, 36));
        let index = SegmentIndex(32);
        let proof = tree.proof(index)?;
        assert_eq!(proof.lemma[1], hash::zero_subtree(SEGMENT_HEIGHT as usize));
        assert_eq!(
            proof.lemma[2],
            hash::zero_subtree(SEGMENT_HEIGHT as usize + 1)
        );
        let segment = upload(&data, &layout, index)?;
        assert_eq!(segment.len(), CHUNK_SIZE);
        verify_segment(&tree.root(), len as u64, index, &segment, &proof)
    }

    #[test]
    fn tampering_is_rejected_with_the_right_error() -> Result<(), StorageError> {
        let len = 5 * SEGMENT_SIZE - 1000;
        let data = file(len);
        let tree = FileTree::of_bytes(&data)?;
        let layout = tree.layout()?;
        let root = tree.root();
        let index = SegmentIndex(1);
        let proof = tree.proof(index)?;
        let segment = upload(&data, &layout, index)?;
        let size = len as u64;

        let mut flipped = segment.clone();
        flipped[17] ^= 1;
        assert!(matches!(
            verify_segment(&root, size, index, &flipped, &proof),
            Err(StorageError::SegmentRootMismatch { .. })
        ));

        assert!(matches!(
            verify_segment(&root, size, index, &segment[1..], &proof),
            Err(StorageError::SegmentSizeMismatch { .. })
        ));

        assert!(matches!(
            verify_segment(&root, size, SegmentIndex(9), &segment, &proof),
            Err(StorageError::SegmentIndexOutOfRange {
                index: 9,
                segments: 5
            })
        ));

        let other = upload(&data, &layout, SegmentIndex(2))?;
        assert_eq!(
            verify_segment(&root, size, SegmentIndex(2), &other, &proof),
            Err(StorageError::PositionMismatch {
                expected: 2,
                proven: 1
            })
        );

        let mut wrong_root = root;
        wrong_root.0[0] ^= 1;
        assert!(matches!(
            verify_segment(&wrong_root, size, index, &segment, &proof),
            Err(StorageError::RootMismatch { .. })
        ));

        let mut bad_sibling = proof.clone();
        bad_sibling.lemma[1].0[5] ^= 0x80;
        assert_eq!(
            verify_segment(&root, size, index, &segment, &bad_sibling),
            Err(StorageError::ProofHashMismatch)
        );

        let mut short = proof.clone();
        short.lemma.pop();
        assert!(matches!(
            verify_segment(&root, size, index, &segment, &short),
            Err(StorageError::MalformedProof { .. })
        ));

        let mut too_long = proof.clone();
        too_long.path.push(true);
        too_long.lemma.insert(1, Root::ZERO);
        assert!(matches!(
            verify_segment(&root, size, index, &segment, &too_long),
            Err(StorageError::ProofPathTooLong { .. })
        ));

        let mut too_short = proof.clone();
        too_short.path.remove(0);
        too_short.lemma.remove(1);
        assert!(matches!(
            verify_segment(&root, size, index, &segment, &too_short),
            Err(StorageError::ProofPathTooShort { .. })
        ));

        assert_eq!(
            verify_segment(&root, 0, index, &segment, &proof),
            Err(StorageError::EmptyFile)
        );
        Ok(())
    }

    #[test]
    fn carried_leaf_has_a_shorter_path() -> Result<(), StorageError> {
        // Five segments: leaf 4 is carried up twice, so its proof has one step.
        let data = file(5 * SEGMENT_SIZE);
        let tree = FileTree::of_bytes(&data)?;
        let proof = tree.proof(SegmentIndex(4))?;
        assert_eq!(proof.path, vec![false]);
        assert_eq!(proof.position(5)?, SegmentIndex(4));
        assert_eq!(tree.proof(SegmentIndex(0))?.path, vec![true, true, true]);
        Ok(())
    }

    #[test]
    fn rear_padding_siblings_must_be_zero_subtrees() {
        // A tree of 4 padded segments with 1 data segment: the proof for segment 0
        // has siblings [segment 1, segments 2..4], both pure padding.
        let zero_segment = hash::zero_subtree(SEGMENT_HEIGHT as usize);
        let zero_pair = hash::zero_subtree(SEGMENT_HEIGHT as usize + 1);
        let leaf = Root([7; 32]);
        let root = hash::node(&hash::node(&leaf, &zero_segment), &zero_pair);
        let good = SegmentProof {
            lemma: vec![leaf, zero_segment, zero_pair, root],
            path: vec![true, true],
        };
        assert_eq!(good.check_rear_padding(4, 1), Ok(()));
        let forged_sibling = Root([1; 32]);
        let forged_root = hash::node(&hash::node(&leaf, &forged_sibling), &zero_pair);
        let forged = SegmentProof {
            lemma: vec![leaf, forged_sibling, zero_pair, forged_root],
            path: vec![true, true],
        };
        assert!(forged.chains());
        assert_eq!(
            forged.check_rear_padding(4, 1),
            Err(StorageError::PaddingNodeMismatch { step: 0 })
        );
    }

    #[test]
    fn proof_json_matches_the_node_shape() -> Result<(), Box<dyn std::error::Error>> {
        let proof = SegmentProof {
            lemma: vec![Root([1; 32]), Root([2; 32]), Root([3; 32])],
            path: vec![false],
        };
        let json = serde_json::to_string(&proof)?;
        assert_eq!(
            json,
            format!(
                r#"{{"lemma":["0x{}","0x{}","0x{}"],"path":[false]}}"#,
                "01".repeat(32),
                "02".repeat(32),
                "03".repeat(32)
            )
        );
        assert_eq!(serde_json::from_str::<SegmentProof>(&json)?, proof);
        Ok(())
    }
}
