//! The tree over a file's segment roots, kept in memory to hand out segment proofs.
//!
//! Uploaders send each segment with a proof that its root is leaf `i` of this
//! tree (0g-storage-client `core/merkle` `Tree.ProofAt`; 0g-ts-sdk
//! `NHMerkleTree.proofAt`). Its leaves are the segments of the *padded* data,
//! and an odd last node is carried up unchanged, so a carried node adds no
//! step to the proof: the path is shorter for such leaves.

use super::builder::{FileCommitment, FileTreeBuilder};
use super::error::StorageError;
use super::hash;
use super::layout::FileLayout;
use super::proof::SegmentProof;
use super::root::{Root, SegmentIndex};

/// A file's commitment plus every level of the tree over its segment roots:
/// about 64 bytes per 256 KiB segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileTree {
    commitment: FileCommitment,
    /// `levels[0]` are the padded segment roots; the last level is the file root.
    levels: Vec<Vec<Root>>,
}

impl FileTree {
    /// The tree of an in-memory file; a shorthand for one [`FileTreeBuilder::update`].
    pub fn of_bytes(data: &[u8]) -> Result<Self, StorageError> {
        let mut builder = FileTreeBuilder::new();
        builder.update(data);
        builder.finish()
    }

    /// Builds the levels above the given segment roots.
    pub(crate) fn new(commitment: FileCommitment, segment_roots: Vec<Root>) -> Self {
        let mut levels = vec![segment_roots];
        while let Some(level) = levels.last().filter(|level| level.len() > 1) {
            let next = level
                .chunks(2)
                .map(|pair| match pair {
                    [left, right] => hash::node(left, right),
                    [single] => *single,
                    _ => Root::ZERO,
                })
                .collect();
            levels.push(next);
        }
        debug_assert_eq!(
            levels.last().and_then(|l| l.first()),
            Some(&commitment.root)
        );
        Self { commitment, levels }
    }

    /// The file's root, length and submission nodes.
    pub fn commitment(&self) -> &FileCommitment {
        &self.commitment
    }

    /// The file root.
    pub fn root(&self) -> Root {
        self.commitment.root
    }

    /// The geometry of the file.
    pub fn layout(&self) -> Result<FileLayout, StorageError> {
        FileLayout::new(self.commitment.length)
    }

    /// Roots of every segment of the padded data, in order. Segments past
    /// [`FileLayout::data_segments`] hold only padding and are never uploaded.
    pub fn segment_roots(&self) -> &[Root] {
        self.levels.first().map(Vec::as_slice).unwrap_or_default()
    }

    /// The proof for segment `index`, in the `{lemma, path}` form 0G uses:
    /// `lemma = [segment root, siblings from the bottom up..., file root]`,
    /// `path[i]` true when the node at step `i` is a left child. A file of one
    /// segment gets `lemma = [root]` and no path.
    pub fn proof(&self, index: SegmentIndex) -> Result<SegmentProof, StorageError> {
        let leaves = self.segment_roots();
        let position = usize::try_from(index.0)
            .ok()
            .filter(|i| *i < leaves.len())
            .ok_or(StorageError::SegmentIndexOutOfRange {
                index: index.0,
                segments: leaves.len() as u64,
            })?;
        if leaves.len() == 1 {
            return Ok(SegmentProof {
                lemma: vec![self.root()],
                path: Vec::new(),
            });
        }
        let mut lemma = vec![leaves[position]];
        let mut path = Vec::new();
        let mut i = position;
        for level in &self.levels[..self.levels.len() - 1] {
            if i % 2 == 1 {
                lemma.push(level[i - 1]);
                path.push(false);
            } else if let Some(right) = level.get(i + 1) {
                lemma.push(*right);
                path.push(true);
            }
            // An even last node is carried up: no sibling, no step.
            i /= 2;
        }
        lemma.push(self.root());
        Ok(SegmentProof { lemma, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::layout::{CHUNK_SIZE, SEGMENT_SIZE};
    use crate::storage::{FileRootBuilder, segment_root_padded};

    #[test]
    fn tree_top_is_the_streamed_root() -> Result<(), StorageError> {
        for len in [
            1,
            300,
            SEGMENT_SIZE,
            SEGMENT_SIZE + CHUNK_SIZE,
            3 * SEGMENT_SIZE + 5,
            7 * SEGMENT_SIZE,
        ] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + i / 256) as u8).collect();
            let tree = FileTree::of_bytes(&data)?;
            assert_eq!(
                tree.levels.last().map(Vec::as_slice),
                Some(&[tree.root()][..])
            );
            let mut builder = FileRootBuilder::new();
            for part in data.chunks(10_000) {
                builder.update(part);
            }
            assert_eq!(tree.commitment(), &builder.finish()?, "len = {len}");
            // Segment roots recomputed one by one give the same leaves.
            let layout = tree.layout()?;
            for (i, root) in tree.segment_roots().iter().enumerate() {
                let start = (i * SEGMENT_SIZE).min(len);
                let end = ((i + 1) * SEGMENT_SIZE).min(len);
                let data_chunks = (end - start).div_ceil(CHUNK_SIZE) as u64;
                let padded = layout.padded_segment_chunks(SegmentIndex(i as u64));
                assert_eq!(
                    *root,
                    segment_root_padded(&data[start..end], padded - data_chunks)
                );
            }
        }
        Ok(())
    }

    #[test]
    fn proof_index_out_of_range() -> Result<(), StorageError> {
        let tree = FileTree::of_bytes(&[1; 10])?;
        assert!(matches!(
            tree.proof(SegmentIndex(1)),
            Err(StorageError::SegmentIndexOutOfRange { .. })
        ));
        Ok(())
    }
}
