//! Block DA layout: how a header commits to a block's blobs
//! (`docs/protocol.md`, "Block DA layout").
//!
//! A block carries the KZG commitments of its blobs in blob-index order. The
//! header's **DA commitments root** is the SSZ `hash_tree_root` of that list
//! as `List[KZGCommitment, MAX_BLOB_COMMITMENTS_PER_BLOCK]` (4096), exactly
//! the value Ethereum's beacon block body commits to for
//! `blob_kzg_commitments`:
//!
//! 1. each commitment's leaf is `sha256(c[0..32] || c[32..48] || 0^16)`;
//! 2. the leaves are merkleized with SHA-256 into a tree of depth 12,
//!    padded with the zero-subtree hashes;
//! 3. the count is mixed in: `root = sha256(tree_root || le_u256(count))`.
//!
//! Mixing in the count makes a list and the same list with zero-leaves
//! appended different, so a server cannot hide or invent blobs.
//!
//! The client gets the commitment list from any DA node and checks it
//! against the root of a *verified* header by recomputing it
//! ([`CommitmentList::verify`]); a single commitment can also be proven with
//! a branch ([`CommitmentProof`]). The block producer calls
//! [`commitments_root`] (or [`da_root_for_blobs`]) for the header.

use sha2::{Digest, Sha256};

use crate::kzg::{Blob, Commitment, KzgError, TrustedSetup};

/// SSZ list limit for a block's commitments (Ethereum's `MAX_BLOB_COMMITMENTS_PER_BLOCK`).
pub const MAX_BLOB_COMMITMENTS_PER_BLOCK: usize = 4096;
/// Depth of the commitments tree: `log2(MAX_BLOB_COMMITMENTS_PER_BLOCK)`.
pub const COMMITMENTS_TREE_DEPTH: usize = 12;

/// A DA commitments root: the 32 bytes a header carries.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DaRoot(pub [u8; 32]);

impl DaRoot {
    /// `0x`-prefixed hex.
    pub fn to_hex(&self) -> String {
        format!("0x{}", hex::encode(self.0))
    }

    /// Parses 32 bytes of hex, with or without `0x`.
    pub fn from_hex(text: &str) -> Result<Self, LayoutError> {
        super::hexser::decode_array(text).map(Self).ok_or_else(|| LayoutError::BadHex(text.chars().take(80).collect()))
    }
}

impl core::fmt::Debug for DaRoot {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "DaRoot({})", self.to_hex())
    }
}

impl serde::Serialize for DaRoot {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for DaRoot {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = <String as serde::Deserialize>::deserialize(d)?;
        Self::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// Why a commitment list or proof was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LayoutError {
    /// More commitments than a block may carry.
    #[error("{0} commitments exceed the block limit of {max}", max = super::MAX_BLOBS_PER_BLOCK)]
    TooManyCommitments(usize),
    /// The list does not hash to the header's root.
    #[error("the commitment list hashes to {computed:?}, not to the header's {expected:?}")]
    RootMismatch {
        /// The header's root.
        expected: DaRoot,
        /// What the list gives.
        computed: DaRoot,
    },
    /// A branch has the wrong number of siblings.
    #[error("a commitment proof needs {COMMITMENTS_TREE_DEPTH} siblings, got {0}")]
    BadBranchLength(usize),
    /// A proof's index is not below its count.
    #[error("index {index} is not below the commitment count {count}")]
    IndexOutOfRange {
        /// The index.
        index: u64,
        /// The count.
        count: u64,
    },
    /// Hex text that is not 32 bytes.
    #[error("not 32 bytes of hex: {0:?}")]
    BadHex(String),
    /// Computing commitments failed.
    #[error(transparent)]
    Kzg(#[from] KzgError),
}

type Node = [u8; 32];

fn hash_pair(a: &Node, b: &Node) -> Node {
    let mut h = Sha256::new();
    h.update(a);
    h.update(b);
    h.finalize().into()
}

/// `hash_tree_root(Bytes48)`: two chunks, the second zero-padded.
fn commitment_leaf(c: &Commitment) -> Node {
    let mut second = [0u8; 32];
    second[..16].copy_from_slice(&c.as_bytes()[32..]);
    let mut first = [0u8; 32];
    first.copy_from_slice(&c.as_bytes()[..32]);
    hash_pair(&first, &second)
}

/// `zero_hashes[i]`: the root of a depth-`i` subtree of zero chunks.
fn zero_hashes() -> [Node; COMMITMENTS_TREE_DEPTH + 1] {
    let mut z = [[0u8; 32]; COMMITMENTS_TREE_DEPTH + 1];
    for i in 0..COMMITMENTS_TREE_DEPTH {
        z[i + 1] = hash_pair(&z[i], &z[i]);
    }
    z
}

/// `mix_in_length`: the count as a little-endian uint256.
fn mix_in_length(root: &Node, count: u64) -> DaRoot {
    let mut len = [0u8; 32];
    len[..8].copy_from_slice(&count.to_le_bytes());
    DaRoot(hash_pair(root, &len))
}

/// Every level of the tree over `leaves`, from the leaves up (only the
/// non-zero prefix of each level is stored).
fn levels(leaves: Vec<Node>) -> Vec<Vec<Node>> {
    let zero = zero_hashes();
    let mut out = vec![leaves];
    for depth in 0..COMMITMENTS_TREE_DEPTH {
        let below = &out[depth];
        let next = below.chunks(2).map(|pair| hash_pair(&pair[0], pair.get(1).unwrap_or(&zero[depth]))).collect();
        out.push(next);
    }
    out
}

/// The DA commitments root of a block's commitment list.
pub fn commitments_root(commitments: &[Commitment]) -> Result<DaRoot, LayoutError> {
    if commitments.len() > super::MAX_BLOBS_PER_BLOCK {
        return Err(LayoutError::TooManyCommitments(commitments.len()));
    }
    let levels = levels(commitments.iter().map(commitment_leaf).collect());
    let top = levels[COMMITMENTS_TREE_DEPTH].first().copied().unwrap_or(zero_hashes()[COMMITMENTS_TREE_DEPTH]);
    Ok(mix_in_length(&top, commitments.len() as u64))
}

/// For the block producer: the commitments of `blobs` and their DA root.
pub fn da_root_for_blobs(setup: &TrustedSetup, blobs: &[Blob]) -> Result<(Vec<Commitment>, DaRoot), LayoutError> {
    if blobs.len() > super::MAX_BLOBS_PER_BLOCK {
        return Err(LayoutError::TooManyCommitments(blobs.len()));
    }
    let commitments = blobs.iter().map(|b| setup.blob_to_kzg_commitment(b)).collect::<Result<Vec<_>, _>>()?;
    let root = commitments_root(&commitments)?;
    Ok((commitments, root))
}

/// A block's commitment list as a DA node serves it; its proof against the
/// header is the root it hashes to.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CommitmentList {
    /// The commitments in blob-index order.
    #[serde(with = "super::hexser::commitments")]
    pub commitments: Vec<Commitment>,
}

impl CommitmentList {
    /// Checks the list against a verified header's DA root.
    pub fn verify(&self, expected: &DaRoot) -> Result<(), LayoutError> {
        let computed = commitments_root(&self.commitments)?;
        if &computed != expected {
            return Err(LayoutError::RootMismatch { expected: *expected, computed });
        }
        Ok(())
    }
}

/// A Merkle branch proving one commitment of a block against its DA root
/// (for a client that wants a single blob without the whole list).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitmentProof {
    /// The blob index.
    pub index: u64,
    /// How many commitments the block has (mixed into the root).
    pub count: u64,
    /// Sibling hashes from the leaf level up, `COMMITMENTS_TREE_DEPTH` of them.
    pub branch: Vec<[u8; 32]>,
}

impl CommitmentProof {
    /// The branch for `commitments[index]`.
    pub fn new(commitments: &[Commitment], index: usize) -> Result<Self, LayoutError> {
        if commitments.len() > super::MAX_BLOBS_PER_BLOCK {
            return Err(LayoutError::TooManyCommitments(commitments.len()));
        }
        if index >= commitments.len() {
            return Err(LayoutError::IndexOutOfRange { index: index as u64, count: commitments.len() as u64 });
        }
        let zero = zero_hashes();
        let levels = levels(commitments.iter().map(commitment_leaf).collect());
        let branch = (0..COMMITMENTS_TREE_DEPTH).map(|d| *levels[d].get((index >> d) ^ 1).unwrap_or(&zero[d])).collect();
        Ok(Self { index: index as u64, count: commitments.len() as u64, branch })
    }

    /// Checks that `commitment` is entry `index` of a `count`-long list with root `root`.
    pub fn verify(&self, commitment: &Commitment, root: &DaRoot) -> Result<(), LayoutError> {
        if self.branch.len() != COMMITMENTS_TREE_DEPTH {
            return Err(LayoutError::BadBranchLength(self.branch.len()));
        }
        if self.index >= self.count || self.count > super::MAX_BLOBS_PER_BLOCK as u64 {
            return Err(LayoutError::IndexOutOfRange { index: self.index, count: self.count });
        }
        let mut node = commitment_leaf(commitment);
        for (d, sibling) in self.branch.iter().enumerate() {
            node = if (self.index >> d) & 1 == 0 { hash_pair(&node, sibling) } else { hash_pair(sibling, &node) };
        }
        let computed = mix_in_length(&node, self.count);
        if &computed != root {
            return Err(LayoutError::RootMismatch { expected: *root, computed });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commitments(n: usize) -> Vec<Commitment> {
        (0..n).map(|i| Commitment([i as u8 + 1; 48])).collect()
    }

    #[test]
    fn empty_list_root_is_the_ssz_one() {
        // hash_tree_root of an empty List[Bytes48, 4096]: zero subtree of depth 12, length 0.
        let z = zero_hashes();
        assert_eq!(commitments_root(&[]).unwrap(), mix_in_length(&z[12], 0));
        // zero_hashes[1] is the well-known sha256(0^64).
        assert_eq!(hex::encode(z[1]), "f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a92759fb4b");
    }

    #[test]
    fn the_root_commits_to_every_commitment_and_the_count() {
        let list = commitments(5);
        let root = commitments_root(&list).unwrap();
        CommitmentList { commitments: list.clone() }.verify(&root).unwrap();
        let mut tampered = list.clone();
        tampered[3].0[47] ^= 1;
        assert!(matches!(CommitmentList { commitments: tampered }.verify(&root), Err(LayoutError::RootMismatch { .. })));
        let mut dropped = list.clone();
        dropped.pop();
        assert!(CommitmentList { commitments: dropped }.verify(&root).is_err());
        let mut reordered = list.clone();
        reordered.swap(0, 1);
        assert!(CommitmentList { commitments: reordered }.verify(&root).is_err());
        // A trailing all-zero commitment changes the root through the count.
        let mut padded = list.clone();
        padded.push(Commitment([0; 48]));
        assert_ne!(commitments_root(&padded).unwrap(), root);
        assert!(matches!(commitments_root(&commitments(33)), Err(LayoutError::TooManyCommitments(33))));
    }

    #[test]
    fn branches_prove_single_commitments_and_refuse_tampering() {
        for n in [1, 2, 3, 7, 32] {
            let list = commitments(n);
            let root = commitments_root(&list).unwrap();
            for i in 0..n {
                let proof = CommitmentProof::new(&list, i).unwrap();
                proof.verify(&list[i], &root).unwrap();
                let other = list[(i + 1) % n];
                if n > 1 {
                    assert!(proof.verify(&other, &root).is_err());
                }
                let mut bad = proof.clone();
                bad.count += 1;
                assert!(bad.verify(&list[i], &root).is_err());
                let mut bad = proof.clone();
                bad.branch[0][0] ^= 1;
                assert!(bad.verify(&list[i], &root).is_err());
                let mut bad = proof.clone();
                bad.branch.pop();
                assert_eq!(bad.verify(&list[i], &root), Err(LayoutError::BadBranchLength(11)));
            }
        }
        assert!(CommitmentProof::new(&commitments(2), 2).is_err());
    }
}
