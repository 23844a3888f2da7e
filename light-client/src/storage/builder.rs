//! Streaming file roots: feed bytes in any slice sizes, get the root and the
//! submission nodes, holding one partial chunk and at most 64 subtree roots.
//!
//! The result is byte-exact with `ZgFile.merkleTree()` / `createSubmission()` of
//! 0g-ts-sdk (`src.ts/file/AbstractFile.ts`) and `core.MerkleTree` /
//! `Flow.CreateSubmission` of 0g-storage-client (`core/dataflow.go`,
//! `core/flow.go`). Those hash segment by segment and then build a tree over
//! segment roots; that equals the flat carry-up tree over all padded chunks
//! (a full segment is a complete height-10 subtree), which is what is built here.
//!
//! The flow, for both builders:
//! 1. `update` hashes every whole 256-byte chunk straight from the caller's
//!    slice and keeps a trailing partial chunk in a 256-byte buffer.
//! 2. `finish` zero-fills and hashes that partial chunk.
//! 3. It pads to the padded chunk count with whole zero subtrees.
//! 4. The stack now holds one complete subtree per set bit of the padded count:
//!    the submission nodes. Their right fold is the file root.

use serde::{Deserialize, Serialize};

use super::error::StorageError;
use super::hash;
use super::layout::{CHUNK_SIZE, padded_chunk_count};
use super::root::Root;
use super::stack::SubtreeStack;
use super::submission::{Submission, SubmissionNode};
use super::tree::FileTree;

/// What a file commits to: its root, byte length and flow submission nodes.
///
/// The JSON form is the one `aloft root` prints:
/// `{"root":"0x..","length":N,"nodes":[{"height":h,"root":"0x.."}]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCommitment {
    /// The file Merkle root (`ZgFile.merkleTree().rootHash()`), the file's id on 0G.
    pub root: Root,
    /// The file length in bytes, before any padding.
    pub length: u64,
    /// The submission nodes, largest first.
    pub nodes: Vec<SubmissionNode>,
}

impl FileCommitment {
    /// The commitment of an in-memory file; a shorthand for one [`FileRootBuilder::update`].
    pub fn of_bytes(data: &[u8]) -> Result<Self, StorageError> {
        let mut builder = FileRootBuilder::new();
        builder.update(data);
        builder.finish()
    }

    /// The flow contract submission for this file, with the given tags.
    pub fn submission(&self, tags: Vec<u8>) -> Submission {
        Submission {
            length: self.length,
            tags,
            nodes: self.nodes.clone(),
        }
    }
}

/// The shared state of both builders: bytes seen, the partial chunk and the stack.
#[derive(Clone, Debug)]
struct Accumulator {
    length: u64,
    partial: [u8; CHUNK_SIZE],
    partial_len: usize,
    stack: SubtreeStack,
}

impl Default for Accumulator {
    fn default() -> Self {
        Self {
            length: 0,
            partial: [0; CHUNK_SIZE],
            partial_len: 0,
            stack: SubtreeStack::default(),
        }
    }
}

impl Accumulator {
    fn update(&mut self, mut data: &[u8], mut segments: Option<&mut Vec<Root>>) {
        self.length = self.length.saturating_add(data.len() as u64);
        if self.partial_len > 0 {
            let take = (CHUNK_SIZE - self.partial_len).min(data.len());
            self.partial[self.partial_len..self.partial_len + take].copy_from_slice(&data[..take]);
            self.partial_len += take;
            data = &data[take..];
            if self.partial_len < CHUNK_SIZE {
                return;
            }
            let leaf = hash::leaf(&self.partial);
            self.stack.push_leaf(leaf, segments.as_deref_mut());
            self.partial_len = 0;
        }
        let mut chunks = data.chunks_exact(CHUNK_SIZE);
        for chunk in &mut chunks {
            // `chunks_exact` yields exactly CHUNK_SIZE bytes, so this conversion holds.
            if let Ok(chunk) = <&[u8; CHUNK_SIZE]>::try_from(chunk) {
                self.stack
                    .push_leaf(hash::leaf(chunk), segments.as_deref_mut());
            }
        }
        let rest = chunks.remainder();
        self.partial[..rest.len()].copy_from_slice(rest);
        self.partial_len = rest.len();
    }

    /// Steps 2 to 4 of the module flow; returns the commitment and leaves the
    /// stack padded.
    fn finish(
        &mut self,
        mut segments: Option<&mut Vec<Root>>,
    ) -> Result<FileCommitment, StorageError> {
        if self.length == 0 {
            return Err(StorageError::EmptyFile);
        }
        if self.partial_len > 0 {
            let leaf = hash::leaf_zero_filled(&self.partial[..self.partial_len]);
            self.stack.push_leaf(leaf, segments.as_deref_mut());
            self.partial_len = 0;
        }
        let padded = padded_chunk_count(self.stack.leaves());
        self.stack.pad_with_zeros(padded, segments.as_deref_mut());
        if let (Some(sink), Some(last)) = (segments, self.stack.partial_segment_root()) {
            sink.push(last);
        }
        let root = self.stack.root().ok_or(StorageError::EmptyFile)?;
        let nodes = self
            .stack
            .entries()
            .map(|(height, root)| SubmissionNode { height, root })
            .collect();
        Ok(FileCommitment {
            root,
            length: self.length,
            nodes,
        })
    }
}

/// Computes a file's [`FileCommitment`] from its bytes in a stream, in constant
/// memory (one 256-byte buffer and at most 64 hashes), for files of any size.
///
/// ```
/// use aloft_light_client::storage::FileRootBuilder;
///
/// let mut builder = FileRootBuilder::new();
/// builder.update(b"hello, ");
/// builder.update(b"0G");
/// let commitment = builder.finish().expect("not empty");
/// assert_eq!(commitment.length, 9);
/// assert_eq!(commitment.nodes.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct FileRootBuilder {
    acc: Accumulator,
}

impl FileRootBuilder {
    /// A builder that has seen no bytes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes of the file; slices may have any length.
    pub fn update(&mut self, data: &[u8]) {
        self.acc.update(data, None);
    }

    /// Bytes fed so far.
    pub fn len(&self) -> u64 {
        self.acc.length
    }

    /// Whether no bytes were fed yet.
    pub fn is_empty(&self) -> bool {
        self.acc.length == 0
    }

    /// The root, length and submission nodes; [`StorageError::EmptyFile`] when
    /// no bytes were fed, because 0G cannot store an empty file.
    pub fn finish(mut self) -> Result<FileCommitment, StorageError> {
        self.acc.finish(None)
    }
}

/// Like [`FileRootBuilder`], but also keeps every segment root (32 bytes per
/// 256 KiB) so that it can hand out segment proofs: what an uploader needs.
#[derive(Clone, Debug, Default)]
pub struct FileTreeBuilder {
    acc: Accumulator,
    segments: Vec<Root>,
}

impl FileTreeBuilder {
    /// A builder that has seen no bytes.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes of the file; slices may have any length.
    pub fn update(&mut self, data: &[u8]) {
        self.acc.update(data, Some(&mut self.segments));
    }

    /// Bytes fed so far.
    pub fn len(&self) -> u64 {
        self.acc.length
    }

    /// Whether no bytes were fed yet.
    pub fn is_empty(&self) -> bool {
        self.acc.length == 0
    }

    /// The commitment and the tree over the (padded) segment roots.
    pub fn finish(mut self) -> Result<FileTree, StorageError> {
        let commitment = self.acc.finish(Some(&mut self.segments))?;
        Ok(FileTree::new(commitment, self.segments))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::layout::{SEGMENT_SIZE, chunk_count};

    /// A reference root built the way 0g-ts-sdk does: hash every padded chunk,
    /// then reduce level by level, carrying an odd last node up unchanged.
    fn reference_root(data: &[u8]) -> Root {
        let chunks = chunk_count(data.len() as u64);
        let padded = padded_chunk_count(chunks) as usize;
        let mut level: Vec<Root> = (0..padded)
            .map(|i| {
                let start = (i * CHUNK_SIZE).min(data.len());
                let end = ((i + 1) * CHUNK_SIZE).min(data.len());
                hash::leaf_zero_filled(&data[start..end])
            })
            .collect();
        while level.len() > 1 {
            level = level
                .chunks(2)
                .map(|pair| {
                    if pair.len() == 2 {
                        hash::node(&pair[0], &pair[1])
                    } else {
                        pair[0]
                    }
                })
                .collect();
        }
        level[0]
    }

    fn pattern(len: usize) -> Vec<u8> {
        // Distinct chunks, so a leaf-order bug changes the root.
        (0..len)
            .map(|i| (i as u64).wrapping_mul(2_654_435_761).rotate_right(13) as u8)
            .collect()
    }

    #[test]
    fn matches_the_reference_tree() -> Result<(), StorageError> {
        for len in [
            1,
            255,
            256,
            257,
            511,
            512,
            513,
            4097,
            20_182,
            SEGMENT_SIZE - 1,
            SEGMENT_SIZE + 1,
        ] {
            let data = pattern(len);
            let commitment = FileCommitment::of_bytes(&data)?;
            assert_eq!(commitment.root, reference_root(&data), "len = {len}");
            assert_eq!(commitment.length, len as u64);
        }
        Ok(())
    }

    #[test]
    fn nodes_are_the_subtrees_of_the_padded_data() -> Result<(), StorageError> {
        let data = pattern(20_182);
        let commitment = FileCommitment::of_bytes(&data)?;
        let heights: Vec<u32> = commitment.nodes.iter().map(|n| n.height).collect();
        assert_eq!(heights, vec![6, 4]);
        // Node 0 covers chunks 0..64, node 1 chunks 64..80 (79 data chunks + 1 zero).
        let first = reference_root(&data[..64 * CHUNK_SIZE]);
        assert_eq!(commitment.nodes[0].root, first);
        let mut second = data[64 * CHUNK_SIZE..].to_vec();
        second.resize(16 * CHUNK_SIZE, 0);
        assert_eq!(commitment.nodes[1].root, reference_root(&second));
        assert_eq!(
            commitment.root,
            hash::node(&commitment.nodes[0].root, &commitment.nodes[1].root)
        );
        Ok(())
    }

    #[test]
    fn streaming_equals_one_shot_for_many_splits() -> Result<(), StorageError> {
        let data = pattern(3 * SEGMENT_SIZE / 2 + 77);
        let one_shot = FileCommitment::of_bytes(&data)?;
        for step in [
            1usize,
            3,
            7,
            100,
            255,
            256,
            257,
            1000,
            4096,
            65_537,
            SEGMENT_SIZE,
        ] {
            let mut builder = FileRootBuilder::new();
            for part in data.chunks(step) {
                builder.update(part);
            }
            assert_eq!(builder.finish()?, one_shot, "step = {step}");
        }
        // Irregular splits, including empty slices.
        let mut builder = FileRootBuilder::new();
        let mut offset = 0;
        let mut i = 0usize;
        while offset < data.len() {
            let step = (i * 7919 % 3001).min(data.len() - offset);
            builder.update(&data[offset..offset + step]);
            offset += step;
            i += 1;
        }
        assert_eq!(builder.finish()?, one_shot);
        Ok(())
    }

    #[test]
    fn empty_input_is_refused() {
        assert_eq!(
            FileRootBuilder::new().finish(),
            Err(StorageError::EmptyFile)
        );
        let mut builder = FileRootBuilder::new();
        builder.update(&[]);
        assert_eq!(builder.finish(), Err(StorageError::EmptyFile));
        assert!(FileTreeBuilder::new().finish().is_err());
    }

    #[test]
    fn commitment_json_shape() -> Result<(), Box<dyn std::error::Error>> {
        let commitment = FileCommitment::of_bytes(&[1, 2, 3])?;
        let json = serde_json::to_string(&commitment)?;
        let root = commitment.root.to_string();
        assert_eq!(
            json,
            format!(r#"{{"root":"{root}","length":3,"nodes":[{{"height":0,"root":"{root}"}}]}}"#)
        );
        assert_eq!(serde_json::from_str::<FileCommitment>(&json)?, commitment);
        Ok(())
    }
}
