//! Merkle-Patricia proof verification: walks a proof from the root along a
//! hashed key and says what the trie holds there: a value (inclusion) or
//! nothing (exclusion). Both verdicts are proofs; anything else is an error.
//!
//! The walk, per node:
//! 1. the node must be what its parent referenced: the keccak256 of its
//!    bytes for a 32-byte reference (always for the root), or the bytes
//!    themselves for a node under 32 bytes embedded in its parent;
//! 2. a branch (17 items) consumes one nibble of the key and follows that
//!    child; an empty child proves absence;
//! 3. an extension (2 items, even/odd flag 0/1) must be a prefix of the rest
//!    of the key, else absence is proven; a leaf (flag 2/3) must equal the
//!    rest of the key to give its value, else absence is proven;
//! 4. when the walk ends, no proof node may remain unused.

use sha3::{Digest, Keccak256};

use super::error::StateProofError;
use super::rlp::{self, Item};

/// keccak256 of the empty string's RLP (`0x80`): the root of an empty trie.
pub const EMPTY_ROOT: [u8; 32] = [
    0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0,
    0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21,
];

/// keccak256.
pub fn keccak(data: &[u8]) -> [u8; 32] {
    Keccak256::digest(data).into()
}

enum Reference<'a> {
    Hash([u8; 32]),
    Embedded(&'a [u8]),
}

/// What the trie holds at `key` (already hashed: 32 bytes, 64 nibbles).
pub fn verify<'p>(root: &[u8; 32], key: &[u8; 32], proof: &'p [Vec<u8>]) -> Result<Option<&'p [u8]>, StateProofError> {
    if *root == EMPTY_ROOT && (proof.is_empty() || proof == [vec![0x80]]) {
        return Ok(None);
    }
    let nibbles: Vec<u8> = key.iter().flat_map(|b| [b >> 4, b & 0x0f]).collect();
    let mut pos = 0usize;
    let mut reference = Reference::Hash(*root);
    let mut next = 0usize;
    loop {
        // Step 1: fetch the referenced node and check it is the one referenced.
        let node: &'p [u8] = match reference {
            Reference::Hash(hash) => {
                let node = proof.get(next).ok_or(StateProofError::Incomplete { nodes: proof.len() })?;
                if keccak(node) != hash {
                    return Err(StateProofError::HashMismatch { index: next });
                }
                next += 1;
                node
            }
            Reference::Embedded(raw) => {
                // Some provers also list embedded nodes; accept that copy if identical.
                if proof.get(next).is_some_and(|n| n.as_slice() == raw) {
                    next += 1;
                }
                raw
            }
        };
        let index = next.saturating_sub(1);
        let items = rlp::decode_list(node).map_err(|reason| StateProofError::Rlp { index, reason })?;
        let outcome = match items.len() {
            17 => {
                // Step 2: branch.
                let Some(&nibble) = nibbles.get(pos) else {
                    return Err(StateProofError::Value { what: "branch", reason: "value at a branch for a 32-byte key" });
                };
                pos += 1;
                child(&items[usize::from(nibble)], index)?
            }
            2 => {
                // Step 3: extension or leaf.
                let Item::Bytes(encoded_path) = items[0] else {
                    return Err(StateProofError::Rlp { index, reason: "node path is a list" });
                };
                let (is_leaf, path) = decode_path(encoded_path).map_err(|reason| StateProofError::Rlp { index, reason })?;
                let rest = &nibbles[pos..];
                if is_leaf {
                    if rest == path.as_slice() {
                        let Item::Bytes(value) = items[1] else {
                            return Err(StateProofError::Rlp { index, reason: "leaf value is a list" });
                        };
                        finish(proof, next)?;
                        return Ok(Some(value));
                    }
                    None
                } else if rest.starts_with(&path) && !path.is_empty() {
                    pos += path.len();
                    Some(child(&items[1], index)?.ok_or(StateProofError::Rlp { index, reason: "empty extension child" })?)
                } else {
                    None
                }
            }
            n => return Err(StateProofError::NodeShape { index, items: n }),
        };
        match outcome {
            Some(r) => reference = r,
            None => {
                finish(proof, next)?;
                return Ok(None);
            }
        }
    }
}

fn finish(proof: &[Vec<u8>], used: usize) -> Result<(), StateProofError> {
    if used < proof.len() { Err(StateProofError::TrailingNodes { extra: proof.len() - used }) } else { Ok(()) }
}

/// A branch or extension child: `None` for an empty slot.
fn child<'a>(item: &Item<'a>, index: usize) -> Result<Option<Reference<'a>>, StateProofError> {
    match *item {
        Item::Bytes([]) => Ok(None),
        Item::Bytes(h) if h.len() == 32 => {
            let mut hash = [0u8; 32];
            hash.copy_from_slice(h);
            Ok(Some(Reference::Hash(hash)))
        }
        Item::List { raw, .. } if raw.len() < 32 => Ok(Some(Reference::Embedded(raw))),
        _ => Err(StateProofError::Rlp { index, reason: "child reference is neither a hash nor an embedded node" }),
    }
}

/// Hex-prefix decoding: (is it a leaf, its nibbles).
fn decode_path(encoded: &[u8]) -> Result<(bool, Vec<u8>), &'static str> {
    let (&first, rest) = encoded.split_first().ok_or("empty node path")?;
    let flag = first >> 4;
    if flag > 3 {
        return Err("bad hex-prefix flag");
    }
    let odd = flag & 1 == 1;
    if !odd && first & 0x0f != 0 {
        return Err("even hex-prefix with a non-zero pad nibble");
    }
    let mut nibbles = Vec::with_capacity(rest.len() * 2 + 1);
    if odd {
        nibbles.push(first & 0x0f);
    }
    nibbles.extend(rest.iter().flat_map(|b| [b >> 4, b & 0x0f]));
    Ok((flag >= 2, nibbles))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A leaf node for the full 64-nibble `key`, as the only node of a trie.
    fn single_leaf(key: &[u8; 32], value: &[u8]) -> Vec<u8> {
        let mut path = vec![0x20];
        path.extend_from_slice(key);
        let mut payload = vec![0x80 + 33];
        payload.extend(&path);
        payload.push(0x80 + value.len() as u8);
        payload.extend(value);
        let mut node = vec![0xc0 + payload.len() as u8];
        node.extend(payload);
        node
    }

    #[test]
    fn empty_trie_proves_absence() {
        assert_eq!(verify(&EMPTY_ROOT, &[1; 32], &[]).unwrap(), None);
        assert_eq!(keccak(&[0x80]), EMPTY_ROOT);
    }

    #[test]
    fn single_leaf_inclusion_exclusion_and_tampering() {
        let key = [7u8; 32];
        let node = single_leaf(&key, b"hello");
        let root = keccak(&node);
        let proof = vec![node.clone()];
        assert_eq!(verify(&root, &key, &proof).unwrap(), Some(&b"hello"[..]));
        assert_eq!(verify(&root, &[8u8; 32], &proof).unwrap(), None);
        let mut bad = node.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert_eq!(verify(&root, &key, &[bad]), Err(StateProofError::HashMismatch { index: 0 }));
        assert!(matches!(verify(&root, &key, &[]), Err(StateProofError::Incomplete { .. })));
        assert!(matches!(verify(&root, &key, &[node.clone(), node]), Err(StateProofError::TrailingNodes { extra: 1 })));
    }
}
