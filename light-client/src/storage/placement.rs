//! Erasure-coded placement of segments on storage peers: each segment is cut
//! into `k` data shards, `m` parity shards are added with Reed-Solomon over
//! GF(2^8) (`reed-solomon-erasure`), and the `k + m` shards go to distinct
//! peers, so any `k` of them give the segment back. The default is 4 + 2 on 6
//! peers: any 4 peers are enough to read.
//!
//! `docs/protocol.md` ("Storage placement") is the normative description; in
//! short, for segment `i` of a file:
//! 1. `k` is a power of two, so data shard `j` is the contiguous chunk range
//!    `[j·c, (j+1)·c)` of the segment with `c = 1024 / k`: a subtree of the
//!    segment's Merkle tree. Its root (the *shard root*) is the node at height
//!    `log2 c`, and the segment root is the carry-up tree over the shard roots.
//! 2. Every shard has the same length `s = min(c, D) · 256` bytes, `D` being
//!    the segment's upload chunks; data shards are zero-filled to `s`; a data
//!    shard wholly past the data is all zeros.
//! 3. Parity shards are Reed-Solomon parity over the `k` zero-filled data shards.
//! 4. Shard `j` of segment `i` goes to peer `(i + j) mod n` ([`Placement`]),
//!    which spreads data and parity evenly and keeps the shards of a segment on
//!    distinct peers whenever `n ≥ k + m`.
//! 5. A shard travels as a [`ShardWithProof`]: the shard, the segment's 0G proof
//!    and the list of shard roots. A peer checks ([`ShardWithProof::verify`])
//!    that the shard roots fold to the proof's leaf, that the proof is segment
//!    `i` of the file root (the storage node's own checks), and, for a data
//!    shard, that the bytes hash to their shard root. A parity shard's bytes can
//!    only be checked once `k` shards are together: the reader does that
//!    ([`reconstruct_segment`]) and learns which shard, hence which peer, lied.

use reed_solomon_erasure::galois_8::ReedSolomon;
use serde::{Deserialize, Serialize};

use super::error::StorageError;
use super::hash;
use super::layout::{CHUNK_SIZE, FileLayout, SEGMENT_CHUNKS};
use super::proof::{SegmentProof, verify_segment, verify_segment_root};
use super::root::{Root, SegmentIndex};
use super::segment::segment_root_padded;
use super::tree::FileTree;
use super::upload::base64_bytes;

/// The most data shards a segment is cut into: one chunk per shard beyond that
/// would make every shard a single 256-byte chunk.
pub const MAX_DATA_SHARDS: usize = 64;
/// GF(2^8) Reed-Solomon allows at most 256 shards in all.
pub const MAX_TOTAL_SHARDS: usize = 256;

/// How many data and parity shards each segment is cut into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Coding {
    data: usize,
    parity: usize,
}

impl Default for Coding {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Coding {
    /// 4 data + 2 parity shards: any 4 of 6 peers can read.
    pub const DEFAULT: Coding = Coding { data: 4, parity: 2 };

    /// Checks the shape: `data` a power of two up to [`MAX_DATA_SHARDS`], at
    /// least one parity shard, at most [`MAX_TOTAL_SHARDS`] in all.
    pub fn new(data: usize, parity: usize) -> Result<Self, StorageError> {
        if data == 0 || !data.is_power_of_two() || data > MAX_DATA_SHARDS {
            return Err(StorageError::InvalidCoding(
                "data shards must be a power of two from 1 to 64",
            ));
        }
        if parity == 0 {
            return Err(StorageError::InvalidCoding("at least one parity shard is needed"));
        }
        if data + parity > MAX_TOTAL_SHARDS {
            return Err(StorageError::InvalidCoding("at most 256 shards in all"));
        }
        Ok(Self { data, parity })
    }

    /// Data shards per segment (`k`).
    pub fn data_shards(&self) -> usize {
        self.data
    }

    /// Parity shards per segment (`m`).
    pub fn parity_shards(&self) -> usize {
        self.parity
    }

    /// All shards per segment (`k + m`).
    pub fn total_shards(&self) -> usize {
        self.data + self.parity
    }

    /// Chunks per data shard of a full segment (`c = 1024 / k`).
    pub fn shard_chunks(&self) -> usize {
        SEGMENT_CHUNKS / self.data
    }

    fn codec(&self) -> Result<ReedSolomon, StorageError> {
        ReedSolomon::new(self.data, self.parity)
            .map_err(|e| StorageError::Erasure(format!("{e:?}")))
    }
}

/// The position of a shard within its segment: `0..k` data, `k..k+m` parity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShardIndex(pub u16);

/// Which peer holds which shard (step 4 of the module flow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    coding: Coding,
    peers: usize,
}

impl Placement {
    /// Shards of `coding` over `peers` peers; refused when a segment's shards
    /// could not all sit on distinct peers.
    pub fn new(coding: Coding, peers: usize) -> Result<Self, StorageError> {
        if peers < coding.total_shards() {
            return Err(StorageError::InvalidCoding(
                "fewer peers than shards per segment: shards would share a peer",
            ));
        }
        Ok(Self { coding, peers })
    }

    /// The coding.
    pub fn coding(&self) -> Coding {
        self.coding
    }

    /// How many peers.
    pub fn peers(&self) -> usize {
        self.peers
    }

    /// The peer (0-based) that holds shard `shard` of segment `segment`.
    pub fn peer_of(&self, segment: SegmentIndex, shard: ShardIndex) -> usize {
        ((segment.0 % self.peers as u64) as usize + usize::from(shard.0)) % self.peers
    }

    /// The shard of segment `segment` that peer `peer` holds, if any.
    pub fn shard_on(&self, segment: SegmentIndex, peer: usize) -> Option<ShardIndex> {
        let start = (segment.0 % self.peers as u64) as usize;
        let shard = (peer + self.peers - start) % self.peers;
        (shard < self.coding.total_shards()).then_some(ShardIndex(shard as u16))
    }
}

/// The shard geometry of one segment (steps 1 and 2 of the module flow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShardShape {
    /// Chunks the segment uploads (`D`).
    pub data_chunks: usize,
    /// Leaves of the segment's tree, padding included (`P ≥ D`).
    pub padded_chunks: usize,
    /// Chunks per data shard of a full segment (`c`).
    pub shard_chunks: usize,
    /// Bytes of every shard of this segment (`s`).
    pub shard_len: usize,
    /// Shard roots of the segment (`ceil(P / c)`): data shards at or past this
    /// index cover only bytes past the tree and are all zeros.
    pub roots: usize,
}

impl ShardShape {
    /// The geometry of segment `index` of a file with `layout` under `coding`.
    pub fn new(coding: Coding, layout: &FileLayout, index: SegmentIndex) -> Result<Self, StorageError> {
        let data_chunks = layout.segment_upload_len(index)? / CHUNK_SIZE;
        // At most 1024, so the cast cannot truncate.
        let padded_chunks = layout.padded_segment_chunks(index) as usize;
        let shard_chunks = coding.shard_chunks();
        Ok(Self {
            data_chunks,
            padded_chunks,
            shard_chunks,
            shard_len: shard_chunks.min(data_chunks) * CHUNK_SIZE,
            roots: padded_chunks.div_ceil(shard_chunks),
        })
    }

    /// Upload bytes of the segment that data shard `j` carries: `(start, len)`.
    fn data_range(&self, j: usize) -> (usize, usize) {
        let start = (j * self.shard_chunks).min(self.data_chunks);
        let end = ((j + 1) * self.shard_chunks).min(self.data_chunks);
        (start * CHUNK_SIZE, (end - start) * CHUNK_SIZE)
    }

    /// Tree leaves under shard root `j` (`j < roots`).
    fn root_leaves(&self, j: usize) -> usize {
        ((j + 1) * self.shard_chunks).min(self.padded_chunks) - j * self.shard_chunks
    }

    /// The shard root of data shard `j` from its (zero-filled) bytes, after
    /// checking that bytes past its tree leaves are zero. `None` for a shard
    /// past the tree, which must be all zeros.
    fn shard_root(&self, j: usize, shard: &[u8]) -> Result<Option<Root>, StorageError> {
        let covered = if j < self.roots {
            self.root_leaves(j) * CHUNK_SIZE
        } else {
            0
        };
        let hashed = covered.min(shard.len());
        if shard[hashed..].iter().any(|b| *b != 0) {
            return Err(StorageError::ShardPaddingNotZero { shard: j as u16 });
        }
        if j >= self.roots {
            return Ok(None);
        }
        let zero_chunks = ((covered - hashed) / CHUNK_SIZE) as u64;
        Ok(Some(segment_root_padded(&shard[..hashed], zero_chunks)))
    }
}

/// The segment root implied by a list of shard roots: their carry-up tree.
pub fn fold_shard_roots(roots: &[Root]) -> Option<Root> {
    let mut level = roots.to_vec();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [left, right] => hash::node(left, right),
                [single] => *single,
                _ => Root::ZERO,
            })
            .collect();
    }
    level.first().copied()
}

/// The `k + m` shards of one segment and the shard roots that bind them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodedSegment {
    /// Shards in order: data `0..k`, then parity.
    pub shards: Vec<Vec<u8>>,
    /// The shard roots of the data shards inside the tree (step 1).
    pub shard_roots: Vec<Root>,
}

/// Cuts and erasure-codes one segment, given as uploaded (its exact upload
/// length, see [`FileLayout::segment_upload_len`]).
pub fn encode_segment(
    coding: Coding,
    layout: &FileLayout,
    index: SegmentIndex,
    segment: &[u8],
) -> Result<EncodedSegment, StorageError> {
    let shape = ShardShape::new(coding, layout, index)?;
    let expected = shape.data_chunks * CHUNK_SIZE;
    if segment.len() != expected {
        return Err(StorageError::SegmentSizeMismatch {
            index: index.0,
            expected,
            actual: segment.len(),
        });
    }
    let mut shards = Vec::with_capacity(coding.total_shards());
    let mut shard_roots = Vec::with_capacity(shape.roots);
    for j in 0..coding.data_shards() {
        let (start, len) = shape.data_range(j);
        let mut shard = vec![0u8; shape.shard_len];
        shard[..len].copy_from_slice(&segment[start..start + len]);
        if let Some(root) = shape.shard_root(j, &shard)? {
            shard_roots.push(root);
        }
        shards.push(shard);
    }
    shards.resize(coding.total_shards(), vec![0u8; shape.shard_len]);
    coding
        .codec()?
        .encode(&mut shards)
        .map_err(|e| StorageError::Erasure(format!("{e:?}")))?;
    Ok(EncodedSegment { shards, shard_roots })
}

/// One shard with what binds it to the file root: Aloft's upload and download
/// object for erasure-coded storage, shaped like 0G's `SegmentWithProof`
/// (camelCase JSON, base64 `data`) with the shard fields added.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardWithProof {
    /// The file root.
    pub root: Root,
    /// The segment index.
    pub index: SegmentIndex,
    /// Which shard of the segment.
    pub shard: ShardIndex,
    /// The shard's bytes.
    #[serde(with = "base64_bytes")]
    pub data: Vec<u8>,
    /// The segment's 0G proof: its leaf is the segment root.
    pub proof: SegmentProof,
    /// The shard roots of the segment's data shards.
    pub shard_roots: Vec<Root>,
    /// The file length in bytes.
    pub file_size: u64,
    /// Data shards per segment (`k`).
    pub data_shards: u16,
    /// Parity shards per segment (`m`).
    pub parity_shards: u16,
}

impl ShardWithProof {
    /// The coding this shard was made with, checked.
    pub fn coding(&self) -> Result<Coding, StorageError> {
        Coding::new(usize::from(self.data_shards), usize::from(self.parity_shards))
    }

    /// The checks a peer runs before storing the shard (step 5 of the module flow).
    pub fn verify(&self) -> Result<(), StorageError> {
        let coding = self.coding()?;
        let layout = FileLayout::new(self.file_size)?;
        let shape = ShardShape::new(coding, &layout, self.index)?;
        let j = usize::from(self.shard.0);
        if j >= coding.total_shards() {
            return Err(StorageError::ShardIndexOutOfRange {
                shard: self.shard.0,
                shards: coding.total_shards(),
            });
        }
        if self.data.len() != shape.shard_len {
            return Err(StorageError::ShardSizeMismatch {
                shard: self.shard.0,
                expected: shape.shard_len,
                actual: self.data.len(),
            });
        }
        if self.shard_roots.len() != shape.roots {
            return Err(StorageError::ShardRootCount {
                expected: shape.roots,
                actual: self.shard_roots.len(),
            });
        }
        let segment_root = fold_shard_roots(&self.shard_roots).unwrap_or(Root::ZERO);
        verify_segment_root(&self.root, self.file_size, self.index, segment_root, &self.proof)?;
        if j < coding.data_shards() {
            if let Some(computed) = shape.shard_root(j, &self.data)? {
                if computed != self.shard_roots[j] {
                    return Err(StorageError::ShardRootMismatch {
                        shard: self.shard.0,
                        computed,
                        proven: self.shard_roots[j],
                    });
                }
            }
        }
        Ok(())
    }
}

impl FileTree {
    /// The `k + m` shard messages of segment `index`, given the segment's file
    /// bytes (the last may end mid-chunk).
    pub fn shards_with_proof(
        &self,
        coding: Coding,
        index: SegmentIndex,
        file_bytes: &[u8],
    ) -> Result<Vec<ShardWithProof>, StorageError> {
        let segment = self.segment_with_proof(index, file_bytes)?;
        let layout = self.layout()?;
        let encoded = encode_segment(coding, &layout, index, &segment.data)?;
        Ok(encoded
            .shards
            .into_iter()
            .enumerate()
            .map(|(j, data)| ShardWithProof {
                root: segment.root,
                index,
                shard: ShardIndex(j as u16),
                data,
                proof: segment.proof.clone(),
                shard_roots: encoded.shard_roots.clone(),
                file_size: segment.file_size,
                data_shards: coding.data_shards() as u16,
                parity_shards: coding.parity_shards() as u16,
            })
            .collect())
    }
}

/// A segment rebuilt from shards, and the shards found not to match it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reconstructed {
    /// The segment as uploaded (its exact upload length), verified against the root.
    pub data: Vec<u8>,
    /// Shards that were given but differ from the verified segment's shards:
    /// their peers served corrupt data.
    pub bad_shards: Vec<ShardIndex>,
}

/// Rebuilds segment `index` from any `k` good shards and verifies it against
/// `root` with `proof` (the segment's 0G proof).
///
/// `shards[j]` is shard `j` if it was fetched. Sets of `k` given shards are
/// tried, data shards first, until one rebuilds a segment that verifies; then
/// every given shard is compared with the re-encoded segment, so a peer that
/// served a wrong shard is named even when its shard was not needed.
pub fn reconstruct_segment(
    root: &Root,
    file_size: u64,
    index: SegmentIndex,
    coding: Coding,
    proof: &SegmentProof,
    shards: &[Option<Vec<u8>>],
) -> Result<Reconstructed, StorageError> {
    let layout = FileLayout::new(file_size)?;
    let shape = ShardShape::new(coding, &layout, index)?;
    let k = coding.data_shards();
    let n = coding.total_shards();
    let present: Vec<usize> = (0..n.min(shards.len()))
        .filter(|&j| shards[j].as_ref().is_some_and(|s| s.len() == shape.shard_len))
        .collect();
    if present.len() < k {
        return Err(StorageError::NotEnoughShards {
            needed: k,
            given: present.len(),
        });
    }
    let codec = coding.codec()?;
    let upload_len = shape.data_chunks * CHUNK_SIZE;
    let mut combo: Vec<usize> = (0..k).collect();
    loop {
        let mut work: Vec<Option<Vec<u8>>> = vec![None; n];
        for &c in &combo {
            let j = present[c];
            work[j] = shards[j].clone();
        }
        if codec.reconstruct(&mut work).is_ok() {
            let mut segment = Vec::with_capacity(k * shape.shard_len);
            for shard in work.iter().take(k).flatten() {
                segment.extend_from_slice(shard);
            }
            let tail_is_zero = segment.get(upload_len..).is_some_and(|t| t.iter().all(|b| *b == 0));
            segment.truncate(upload_len);
            if tail_is_zero && verify_segment(root, file_size, index, &segment, proof).is_ok() {
                let bad_shards = present
                    .iter()
                    .filter(|&&j| shards[j].as_ref() != work[j].as_ref())
                    .map(|&j| ShardIndex(j as u16))
                    .collect();
                return Ok(Reconstructed { data: segment, bad_shards });
            }
        }
        if !next_combination(&mut combo, present.len()) {
            return Err(StorageError::Unrecoverable { index: index.0 });
        }
    }
}

/// Advances `combo` (strictly increasing indices below `n`) to the next
/// combination in lexicographic order; false after the last.
fn next_combination(combo: &mut [usize], n: usize) -> bool {
    let k = combo.len();
    for i in (0..k).rev() {
        if combo[i] < n - k + i {
            combo[i] += 1;
            for j in i + 1..k {
                combo[j] = combo[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::layout::SEGMENT_SIZE;

    fn file(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| (i as u32).wrapping_mul(0x9e37_79b9).rotate_left(11) as u8)
            .collect()
    }

    fn segment_bytes(data: &[u8], i: u64) -> &[u8] {
        let start = (i as usize * SEGMENT_SIZE).min(data.len());
        let end = (start + SEGMENT_SIZE).min(data.len());
        &data[start..end]
    }

    #[test]
    fn coding_shapes_are_checked() {
        assert!(Coding::new(4, 2).is_ok());
        assert!(Coding::new(8, 4).is_ok());
        assert!(Coding::new(3, 2).is_err());
        assert!(Coding::new(0, 2).is_err());
        assert!(Coding::new(4, 0).is_err());
        assert!(Coding::new(128, 2).is_err());
        assert!(Placement::new(Coding::DEFAULT, 5).is_err());
    }

    #[test]
    fn placement_puts_each_segment_on_distinct_peers_and_rotates() -> Result<(), StorageError> {
        for peers in [6, 7, 9] {
            let placement = Placement::new(Coding::DEFAULT, peers)?;
            let mut load = vec![0usize; peers];
            for s in 0..60u64 {
                let mut seen = std::collections::BTreeSet::new();
                for j in 0..6u16 {
                    let peer = placement.peer_of(SegmentIndex(s), ShardIndex(j));
                    assert!(seen.insert(peer));
                    assert_eq!(placement.shard_on(SegmentIndex(s), peer), Some(ShardIndex(j)));
                    load[peer] += 1;
                }
            }
            // 60 segments × 6 shards spread evenly enough over the peers.
            let (min, max) = (load.iter().min(), load.iter().max());
            assert!(max.zip(min).is_some_and(|(a, b)| a - b <= 6), "{load:?}");
        }
        Ok(())
    }

    #[test]
    fn every_shard_verifies_and_any_k_rebuild() -> Result<(), StorageError> {
        // One chunk; a partial segment shorter than a shard; a full segment; a
        // last segment extended by padding chunks; many segments.
        for (len, coding) in [
            (10, Coding::DEFAULT),
            (3 * CHUNK_SIZE + 7, Coding::DEFAULT),
            (SEGMENT_SIZE, Coding::DEFAULT),
            (2 * SEGMENT_SIZE + 300 * CHUNK_SIZE + 1, Coding::DEFAULT),
            (5 * SEGMENT_SIZE + 77, Coding::new(8, 3)?),
            (SEGMENT_SIZE + 1, Coding::new(1, 1)?),
        ] {
            let data = file(len);
            let tree = FileTree::of_bytes(&data)?;
            let layout = tree.layout()?;
            for i in 0..layout.data_segments() {
                let index = SegmentIndex(i);
                let bytes = segment_bytes(&data, i);
                let messages = tree.shards_with_proof(coding, index, bytes)?;
                assert_eq!(messages.len(), coding.total_shards());
                for m in &messages {
                    m.verify()?;
                }
                let expected = tree.segment_with_proof(index, bytes)?.data;
                // Drop every possible set of m shards; the rest rebuild it.
                let n = coding.total_shards();
                let mut dropped: Vec<usize> = (0..coding.parity_shards()).collect();
                loop {
                    let shards: Vec<Option<Vec<u8>>> = (0..n)
                        .map(|j| (!dropped.contains(&j)).then(|| messages[j].data.clone()))
                        .collect();
                    let rebuilt = reconstruct_segment(
                        &tree.root(), len as u64, index, coding, &messages[0].proof, &shards,
                    )?;
                    assert_eq!(rebuilt.data, expected, "len {len} segment {i} dropped {dropped:?}");
                    assert!(rebuilt.bad_shards.is_empty());
                    if !next_combination(&mut dropped, n) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    #[test]
    fn tampered_shards_are_refused_by_peers() -> Result<(), StorageError> {
        let data = file(3 * SEGMENT_SIZE);
        let tree = FileTree::of_bytes(&data)?;
        let messages = tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(1), segment_bytes(&data, 1))?;

        let mut flipped = messages[2].clone();
        flipped.data[100] ^= 1;
        assert!(matches!(flipped.verify(), Err(StorageError::ShardRootMismatch { .. })));

        let mut short = messages[0].clone();
        short.data.pop();
        assert!(matches!(short.verify(), Err(StorageError::ShardSizeMismatch { .. })));

        let mut roots = messages[4].clone();
        roots.shard_roots[0].0[0] ^= 1;
        assert!(matches!(roots.verify(), Err(StorageError::SegmentRootMismatch { .. })));

        let mut other_root = messages[5].clone();
        other_root.root.0[3] ^= 1;
        assert!(matches!(other_root.verify(), Err(StorageError::RootMismatch { .. })));

        let mut moved = messages[1].clone();
        moved.index = SegmentIndex(2);
        assert!(matches!(moved.verify(), Err(StorageError::PositionMismatch { .. })));

        let mut out_of_range = messages[1].clone();
        out_of_range.shard = ShardIndex(6);
        assert!(matches!(out_of_range.verify(), Err(StorageError::ShardIndexOutOfRange { .. })));

        let mut coding = messages[1].clone();
        coding.data_shards = 3;
        assert!(matches!(coding.verify(), Err(StorageError::InvalidCoding(_))));
        Ok(())
    }

    #[test]
    fn a_corrupt_shard_is_named_and_routed_around() -> Result<(), StorageError> {
        let len = 2 * SEGMENT_SIZE + 5000;
        let data = file(len);
        let tree = FileTree::of_bytes(&data)?;
        let index = SegmentIndex(0);
        let messages = tree.shards_with_proof(Coding::DEFAULT, index, segment_bytes(&data, 0))?;
        let expected = tree.segment_with_proof(index, segment_bytes(&data, 0))?.data;
        for bad in 0..6usize {
            let mut shards: Vec<Option<Vec<u8>>> = messages.iter().map(|m| Some(m.data.clone())).collect();
            if let Some(shard) = shards[bad].as_mut() {
                shard[7] ^= 0x40;
            }
            let rebuilt =
                reconstruct_segment(&tree.root(), len as u64, index, Coding::DEFAULT, &messages[0].proof, &shards)?;
            assert_eq!(rebuilt.data, expected);
            assert_eq!(rebuilt.bad_shards, vec![ShardIndex(bad as u16)]);
        }
        // Four shards, one of them corrupt: nothing verifies, and it says so.
        let mut shards: Vec<Option<Vec<u8>>> = messages.iter().map(|m| Some(m.data.clone())).collect();
        shards[1] = None;
        shards[2] = None;
        if let Some(shard) = shards[4].as_mut() {
            shard[0] ^= 1;
        }
        assert_eq!(
            reconstruct_segment(&tree.root(), len as u64, index, Coding::DEFAULT, &messages[0].proof, &shards),
            Err(StorageError::Unrecoverable { index: 0 })
        );
        shards[4] = None;
        assert_eq!(
            reconstruct_segment(&tree.root(), len as u64, index, Coding::DEFAULT, &messages[0].proof, &shards),
            Err(StorageError::NotEnoughShards { needed: 4, given: 3 })
        );
        Ok(())
    }

    #[test]
    fn shard_json_shape() -> Result<(), Box<dyn std::error::Error>> {
        let data = file(1000);
        let tree = FileTree::of_bytes(&data)?;
        let messages = tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(0), &data)?;
        let json = serde_json::to_value(&messages[5])?;
        for key in ["root", "index", "shard", "data", "proof", "shardRoots", "fileSize", "dataShards", "parityShards"] {
            assert!(json.get(key).is_some(), "{key} missing in {json}");
        }
        assert_eq!(serde_json::from_value::<ShardWithProof>(json)?, messages[5]);
        Ok(())
    }
}
