//! A binary counter of complete subtrees: the constant-memory core of every
//! 0G root computation in this module.
//!
//! 0G's trees carry an odd last node up a level unchanged instead of pairing
//! it with a copy or a zero (0g-ts-sdk `NHMerkleTree.build`; 0g-storage-node
//! `merkle_light` link nodes). For such a tree over `n` leaves, the root's left
//! child is the complete subtree of the first `next_pow2(n) / 2` leaves, and its
//! right child is the same kind of tree over the rest. Unrolled, the root is a
//! right fold over the complete subtrees of the binary decomposition of `n`:
//! `H(S_a, H(S_b, ... H(S_y, S_z)))` with heights `a > b > ... > z`.
//!
//! So a stack of at most 64 complete subtree roots, merged like carries in a
//! binary counter as leaves arrive, is all the state needed. For a padded file
//! its entries are exactly the flow submission nodes.

use super::hash::{self, MAX_HEIGHT};
use super::layout::SEGMENT_HEIGHT;
use super::root::Root;

/// Complete subtrees of strictly decreasing height, left to right.
#[derive(Clone, Debug)]
pub(crate) struct SubtreeStack {
    roots: [Root; MAX_HEIGHT],
    heights: [u8; MAX_HEIGHT],
    len: usize,
    /// Leaves (chunks) covered so far.
    leaves: u64,
}

impl Default for SubtreeStack {
    fn default() -> Self {
        Self {
            roots: [Root::ZERO; MAX_HEIGHT],
            heights: [0; MAX_HEIGHT],
            len: 0,
            leaves: 0,
        }
    }
}

impl SubtreeStack {
    /// Leaves covered so far.
    pub(crate) fn leaves(&self) -> u64 {
        self.leaves
    }

    /// The complete subtrees, largest first, as `(height, root)`.
    pub(crate) fn entries(&self) -> impl DoubleEndedIterator<Item = (u32, Root)> + '_ {
        self.heights[..self.len]
            .iter()
            .zip(&self.roots[..self.len])
            .map(|(h, r)| (u32::from(*h), *r))
    }

    /// Appends one leaf hash.
    #[inline]
    pub(crate) fn push_leaf(&mut self, leaf: Root, segments: Option<&mut Vec<Root>>) {
        self.push_aligned(0, leaf, segments);
    }

    /// Appends a complete subtree of `2^height` leaves. The leaf count so far must
    /// be a multiple of `2^height`, which every caller here guarantees; it keeps
    /// the stack a binary counter. When `segments` is given, each full segment's
    /// root is recorded as it completes.
    pub(crate) fn push_aligned(
        &mut self,
        height: u32,
        root: Root,
        mut segments: Option<&mut Vec<Root>>,
    ) {
        debug_assert!(self.leaves.trailing_zeros() >= height, "unaligned subtree");
        if let Some(sink) = segments.as_deref_mut() {
            if height == SEGMENT_HEIGHT {
                sink.push(root);
            } else if height > SEGMENT_HEIGHT {
                // Only the padding pushes subtrees above a segment, and those are
                // all zeros: each of their segments is the zero segment.
                let copies = 1usize << (height - SEGMENT_HEIGHT).min(usize::BITS - 1);
                sink.extend(core::iter::repeat_n(
                    hash::zero_subtree(SEGMENT_HEIGHT as usize),
                    copies,
                ));
            }
        }
        self.leaves = self.leaves.wrapping_add(1u64 << height.min(63));
        let mut height = height;
        let mut root = root;
        while self.len > 0 && u32::from(self.heights[self.len - 1]) == height {
            self.len -= 1;
            root = hash::node(&self.roots[self.len], &root);
            height += 1;
            if height == SEGMENT_HEIGHT {
                if let Some(sink) = segments.as_deref_mut() {
                    sink.push(root);
                }
            }
        }
        // A u64 leaf count has at most 64 set bits, so the stack cannot overflow.
        if self.len < MAX_HEIGHT {
            self.roots[self.len] = root;
            self.heights[self.len] = height as u8;
            self.len += 1;
        }
    }

    /// Appends zero-chunk leaves until `target` leaves are covered, as whole
    /// zero subtrees: `O(log^2 n)` hashes at most instead of one per chunk.
    pub(crate) fn pad_with_zeros(&mut self, target: u64, mut segments: Option<&mut Vec<Root>>) {
        while self.leaves < target {
            let remaining = target - self.leaves;
            let align = if self.leaves == 0 {
                63
            } else {
                self.leaves.trailing_zeros()
            };
            let fit = 63 - remaining.leading_zeros();
            let height = align.min(fit);
            self.push_aligned(
                height,
                hash::zero_subtree(height as usize),
                segments.as_deref_mut(),
            );
        }
    }

    /// The root of the carry-up tree over all leaves so far: the right fold of
    /// the entries. `None` before the first leaf.
    pub(crate) fn root(&self) -> Option<Root> {
        Self::fold(self.entries())
    }

    /// The root over the entries below a full segment: the last, partial
    /// segment of the padded data. `None` when the data ends on a segment boundary.
    pub(crate) fn partial_segment_root(&self) -> Option<Root> {
        Self::fold(self.entries().filter(|(h, _)| *h < SEGMENT_HEIGHT))
    }

    fn fold(entries: impl DoubleEndedIterator<Item = (u32, Root)>) -> Option<Root> {
        entries
            .rev()
            .map(|(_, r)| r)
            .reduce(|right, left| hash::node(&left, &right))
    }
}
