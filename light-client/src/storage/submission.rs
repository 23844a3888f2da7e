//! The flow contract's submission: what an uploader sends on chain before the
//! segments, and the rules the contract checks it against.
//!
//! The struct is `Submission { uint length; bytes tags; SubmissionNode[] nodes }`
//! with `SubmissionNode { bytes32 root; uint height }` (0g-storage-contracts
//! `contracts/dataFlow/Submission.sol`; newer deployments wrap it as
//! `SubmissionData` inside `{data, submitter}`, which changes nothing here).
//! [`Submission::check`] mirrors `SubmissionLibrary.valid` so a client can refuse
//! what the contract would revert on before paying gas.

use serde::{Deserialize, Serialize};
use sha3::{Digest, Keccak256};

use super::error::StorageError;
use super::root::{Root, hex_bytes};

/// The contract's `MAX_DEPTH`: node heights must be below it.
const MAX_DEPTH: u32 = 64;
/// The contract's `MAX_LENGTH`: the first and last heights differ by less.
const MAX_LENGTH: u32 = 4;
/// The contract's `ENTRY_SIZE`: bytes per chunk.
const ENTRY_SIZE: u128 = 256;

/// One node of a submission: the Merkle root of `2^height` consecutive chunks.
///
/// Fields are listed height first to match `aloft root` and the conformance
/// vectors; JSON key order carries no meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionNode {
    /// `log2` of the chunks under this node.
    pub height: u32,
    /// The root of those chunks.
    pub root: Root,
}

/// A flow submission in the JSON form of the SDKs: `length` a number, `tags`
/// a `0x` hex string, `nodes` largest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    /// The file length in bytes.
    pub length: u64,
    /// Free-form tags stored with the submission.
    #[serde(with = "hex_bytes")]
    pub tags: Vec<u8>,
    /// The subtrees covering the padded file, largest first.
    pub nodes: Vec<SubmissionNode>,
}

impl Submission {
    /// The chunks the nodes cover: `sum(2^height)`.
    pub fn capacity(&self) -> u128 {
        self.nodes
            .iter()
            .map(|n| 1u128 << n.height.min(MAX_DEPTH))
            .sum()
    }

    /// The file root the nodes commit to: their right fold
    /// `H(n0, H(n1, ... H(n_{k-2}, n_{k-1})))`, as the flow contract computes
    /// the submission's digest. `None` without nodes.
    pub fn root(&self) -> Option<Root> {
        self.nodes
            .iter()
            .rev()
            .map(|n| n.root)
            .reduce(|right, left| super::hash::node(&left, &right))
    }

    /// Checks the rules of `SubmissionLibrary.valid` in the flow contract, in its order.
    pub fn check(&self) -> Result<(), StorageError> {
        let (Some(first), Some(last)) = (self.nodes.first(), self.nodes.last()) else {
            return Err(StorageError::InvalidSubmission("no nodes"));
        };
        if first.height < last.height || first.height - last.height >= MAX_LENGTH {
            return Err(StorageError::InvalidSubmission(
                "first and last node heights differ by 4 or more",
            ));
        }
        if first.height >= MAX_DEPTH {
            return Err(StorageError::InvalidSubmission(
                "a node height is 64 or more",
            ));
        }
        if self
            .nodes
            .windows(2)
            .any(|pair| pair[1].height >= pair[0].height)
        {
            return Err(StorageError::InvalidSubmission(
                "node heights are not strictly decreasing",
            ));
        }
        let capacity = self.capacity();
        let length = u128::from(self.length);
        if length > capacity * ENTRY_SIZE {
            return Err(StorageError::InvalidSubmission(
                "length exceeds what the nodes cover",
            ));
        }
        // The contract refuses more padding than 0G's rule produces: the data
        // must reach into the last `min_chunk` block of the capacity.
        let last_capacity = if capacity < (1 << MAX_LENGTH) {
            capacity - 1
        } else if self.nodes.len() == 1 {
            capacity - (capacity >> MAX_LENGTH)
        } else {
            capacity - (1u128 << (first.height + 1 - MAX_LENGTH))
        };
        if length <= last_capacity * ENTRY_SIZE {
            return Err(StorageError::InvalidSubmission(
                "more padding than the flow padding rule allows",
            ));
        }
        Ok(())
    }

    /// The call data of `Flow.submit(Submission)`: the selector of
    /// `submit((uint256,bytes,(bytes32,uint256)[]))` and the struct in the
    /// Solidity ABI encoding. One implementation for every signer: the wallet
    /// engine, the CLI and (through the wasm API) web pages all send these bytes.
    pub fn flow_submit_calldata(&self) -> Vec<u8> {
        fn word(out: &mut Vec<u8>, value: u128) {
            out.extend_from_slice(&[0u8; 16]);
            out.extend_from_slice(&value.to_be_bytes());
        }
        let selector = Keccak256::digest(b"submit((uint256,bytes,(bytes32,uint256)[]))");
        let tags_words = self.tags.len().div_ceil(32);
        let mut out = Vec::with_capacity(4 + 32 * (6 + tags_words + 2 * self.nodes.len()));
        out.extend_from_slice(&selector[..4]);
        word(&mut out, 0x20); // the struct is dynamic: its offset
        word(&mut out, u128::from(self.length));
        word(&mut out, 0x60); // tags, after the struct's three head words
        word(&mut out, 0x80 + 32 * tags_words as u128); // nodes, after the tags
        word(&mut out, self.tags.len() as u128);
        out.extend_from_slice(&self.tags);
        out.resize(out.len() + (32 * tags_words - self.tags.len()), 0);
        word(&mut out, self.nodes.len() as u128);
        for node in &self.nodes {
            out.extend_from_slice(&node.root.0);
            word(&mut out, u128::from(node.height));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::FileCommitment;
    use crate::storage::layout::CHUNK_SIZE;

    #[test]
    fn every_commitment_makes_a_valid_submission() -> Result<(), StorageError> {
        for chunks in [1usize, 2, 3, 15, 16, 17, 79, 80, 1000, 1025, 3000] {
            for extra in [0, 1, 255] {
                let len = (chunks - 1) * CHUNK_SIZE + 1 + extra;
                let commitment = FileCommitment::of_bytes(&vec![9u8; len])?;
                let submission = commitment.submission(vec![]);
                submission.check()?;
                assert_eq!(submission.root(), Some(commitment.root));
            }
        }
        Ok(())
    }

    #[test]
    fn over_padded_and_malformed_submissions_are_refused() {
        let node = |height| SubmissionNode {
            height,
            root: Root::ZERO,
        };
        let bad = [
            Submission {
                length: 10,
                tags: vec![],
                nodes: vec![],
            },
            Submission {
                length: 256 * 64,
                tags: vec![],
                nodes: vec![node(5), node(6)],
            },
            Submission {
                length: 256 * 64,
                tags: vec![],
                nodes: vec![node(10), node(2)],
            },
            Submission {
                length: 256 * 65,
                tags: vec![],
                nodes: vec![node(6)],
            },
            // 20 chunks of data under a 64-chunk node: the rule pads to 20, not 64.
            Submission {
                length: 256 * 20,
                tags: vec![],
                nodes: vec![node(6)],
            },
        ];
        for submission in bad {
            assert!(
                matches!(submission.check(), Err(StorageError::InvalidSubmission(_))),
                "{submission:?}"
            );
        }
    }

    #[test]
    fn submission_json_shape() -> Result<(), serde_json::Error> {
        let submission = Submission {
            length: 83,
            tags: vec![0xab, 0x01],
            nodes: vec![SubmissionNode {
                height: 0,
                root: Root([1; 32]),
            }],
        };
        let json = serde_json::to_value(&submission)?;
        assert_eq!(json["tags"], "0xab01");
        assert_eq!(json["length"], 83);
        assert_eq!(json["nodes"][0]["height"], 0);
        assert_eq!(serde_json::from_value::<Submission>(json)?, submission);
        Ok(())
    }
}
