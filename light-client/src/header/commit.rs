//! Commits: one aggregate BLS signature by the validators that voted for a
//! block, and which validators those were (`docs/protocol.md`, "Commit",
//! "Vote sign bytes").
//!
//! Every validator signs the same canonical vote bytes (chain id, height,
//! round, block hash, and no per-validator timestamp), which is what lets the
//! signatures aggregate into one: checking a commit is then one key
//! aggregation over the signers in the bitmap, one hash to G2 and one
//! pairing check, however many validators signed.

use super::block::Header;
use super::codec::{DecodeError, Reader};
use super::types::{BlockHash, ChainId, Height, Round};
use crate::bls::{self, BlsError, G2_COMPRESSED_SIZE, SecretKey, Signature};

/// The commit format version.
pub const COMMIT_VERSION: u8 = 1;

/// The domain tag that starts every vote's sign bytes.
pub const VOTE_TAG: &[u8; 18] = b"aloft/precommit/v1";

/// Bytes in a vote's sign bytes.
pub const VOTE_SIZE: usize = 18 + 8 + 8 + 4 + 32;

/// The canonical bytes every validator signs for a block: the tag, the chain
/// id, the height, the round and the block hash.
pub fn vote_sign_bytes(chain_id: ChainId, height: Height, round: Round, block_hash: &BlockHash) -> [u8; VOTE_SIZE] {
    let mut out = [0u8; VOTE_SIZE];
    out[..18].copy_from_slice(VOTE_TAG);
    out[18..26].copy_from_slice(&chain_id.0.to_be_bytes());
    out[26..34].copy_from_slice(&height.0.to_be_bytes());
    out[34..38].copy_from_slice(&round.0.to_be_bytes());
    out[38..].copy_from_slice(&block_hash.0);
    out
}

/// Which validators of a set signed: bit `i` is validator `i`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerBitmap {
    len: usize,
    bytes: Vec<u8>,
}

impl SignerBitmap {
    /// A bitmap over `len` validators with no bit set.
    pub fn new(len: usize) -> Self {
        Self { len, bytes: vec![0; len.div_ceil(8)] }
    }

    /// The number of validators it covers.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it covers no validators.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Marks validator `i` as a signer; ignored past the end.
    pub fn set(&mut self, i: usize) {
        if i < self.len {
            self.bytes[i / 8] |= 1 << (i % 8);
        }
    }

    /// Whether validator `i` signed.
    pub fn get(&self, i: usize) -> bool {
        i < self.len && self.bytes[i / 8] & (1 << (i % 8)) != 0
    }

    /// The signers' positions, ascending.
    pub fn signers(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len).filter(|i| self.get(*i))
    }

    /// How many validators signed.
    pub fn count(&self) -> usize {
        self.bytes.iter().map(|b| b.count_ones() as usize).sum()
    }
}

/// A commit for one block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The block's height.
    pub height: Height,
    /// The round the block was committed in.
    pub round: Round,
    /// The hash of the header the validators voted for.
    pub block_hash: BlockHash,
    /// Which validators of the block's set signed.
    pub signers: SignerBitmap,
    /// The aggregate of their signatures over [`vote_sign_bytes`].
    pub signature: Signature,
}

impl Commit {
    /// Signs `header` with the given validators (`(position, key)` pairs) and
    /// aggregates: what a devnet or a test produces. `set_len` is the size of
    /// the block's validator set. Refuses an empty signer list.
    pub fn sign(header: &Header, round: Round, set_len: usize, signers: &[(usize, &SecretKey)]) -> Result<Self, BlsError> {
        let block_hash = header.hash();
        let msg = vote_sign_bytes(header.chain_id, header.height, round, &block_hash);
        if signers.is_empty() {
            return Err(BlsError::EmptyInput);
        }
        let mut bitmap = SignerBitmap::new(set_len);
        // Every signer signs the same message, so the aggregate Σ skᵢ·H(m)
        // equals (Σ skᵢ)·H(m): one hash and one multiplication for the lot.
        let mut sum = ark_bls12_381::Fr::from(0u64);
        for (i, key) in signers {
            bitmap.set(*i);
            sum += key.scalar();
        }
        let point = bls::hash_to_g2(&msg, bls::DST_SIGNATURE)? * sum;
        let signature = Signature::from_point_unchecked(ark_ec::CurveGroup::into_affine(point));
        Ok(Self { height: header.height, round, block_hash, signers: bitmap, signature })
    }

    /// The bytes the signers signed, for `chain_id`.
    pub fn sign_bytes(&self, chain_id: ChainId) -> [u8; VOTE_SIZE] {
        vote_sign_bytes(chain_id, self.height, self.round, &self.block_hash)
    }

    /// The canonical encoding: version, height, round, block hash, `u32`
    /// bitmap length in bits, the bitmap bytes, the 96-byte signature.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + 8 + 4 + 32 + 4 + self.signers.bytes.len() + G2_COMPRESSED_SIZE);
        out.push(COMMIT_VERSION);
        out.extend_from_slice(&self.height.0.to_be_bytes());
        out.extend_from_slice(&self.round.0.to_be_bytes());
        out.extend_from_slice(&self.block_hash.0);
        out.extend_from_slice(&(self.signers.len as u32).to_be_bytes());
        out.extend_from_slice(&self.signers.bytes);
        out.extend_from_slice(&self.signature.to_bytes());
        out
    }

    /// Decodes exactly one commit.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        r.version("commit", COMMIT_VERSION)?;
        let height = r.u64("commit.height")?;
        if height == 0 {
            return Err(DecodeError::ZeroHeight { field: "commit.height" });
        }
        let round = Round(r.u32("commit.round")?);
        let block_hash = BlockHash(r.array("commit.block_hash")?);
        let len = r.u32("commit.signers.len")? as usize;
        if len > super::validators::MAX_VALIDATORS {
            return Err(DecodeError::LengthTooLarge {
                field: "commit.signers.len",
                len: len as u64,
                max: super::validators::MAX_VALIDATORS,
            });
        }
        let bytes = r.take("commit.signers", len.div_ceil(8))?.to_vec();
        // Bits past `len` in the last byte must be zero, so each bitmap has one encoding.
        if let Some(last) = bytes.last() {
            let used = len - (bytes.len() - 1) * 8;
            if used < 8 && last >> used != 0 {
                let bit = (bytes.len() - 1) * 8 + used + (last >> used).trailing_zeros() as usize;
                return Err(DecodeError::StrayBitmapBit { bit, count: len });
            }
        }
        let signature = Signature::from_bytes(r.take("commit.signature", G2_COMPRESSED_SIZE)?)
            .map_err(DecodeError::BadSignature)?;
        r.finish("commit")?;
        Ok(Self { height: Height(height), round, block_hash, signers: SignerBitmap { len, bytes }, signature })
    }
}
