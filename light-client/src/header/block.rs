//! The block header and its canonical encoding (`docs/protocol.md`, "Header").
//!
//! A header is fixed-size (205 bytes), so decoding needs no lengths and two
//! honest encoders can never disagree. Its hash, SHA-256 over those bytes,
//! is the block hash that commits sign and checkpoints name.

use sha2::{Digest, Sha256};

use super::codec::{DecodeError, Reader};
use super::types::{BlockHash, ChainId, DaRoot, Height, StateRoot, Timestamp, ValidatorAddress, ValidatorsHash};

/// The header format version this client reads and writes.
pub const HEADER_VERSION: u8 = 1;

/// Bytes in an encoded header.
pub const HEADER_SIZE: usize = 1 + 8 + 8 + 8 + 32 * 5 + 20;

/// A block header: what a light client verifies and then trusts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Header {
    /// The chain this block belongs to.
    pub chain_id: ChainId,
    /// The block's height (≥ 1).
    pub height: Height,
    /// The proposer's block time.
    pub time: Timestamp,
    /// Hash of the previous header; all zeros at height 1.
    pub parent_hash: BlockHash,
    /// Hash of the validator set that signs this block's commit.
    pub validators_hash: ValidatorsHash,
    /// Hash of the validator set that signs the next block's commit.
    pub next_validators_hash: ValidatorsHash,
    /// EVM state root after this block.
    pub state_root: StateRoot,
    /// Root over this block's DA commitments.
    pub da_root: DaRoot,
    /// Address of the validator that proposed the block.
    pub proposer: ValidatorAddress,
}

impl Header {
    /// The canonical encoding: version, then each field in declaration order,
    /// integers big-endian.
    pub fn encode(&self) -> [u8; HEADER_SIZE] {
        let mut out = [0u8; HEADER_SIZE];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(&[HEADER_VERSION]);
        put(&self.chain_id.0.to_be_bytes());
        put(&self.height.0.to_be_bytes());
        put(&self.time.0.to_be_bytes());
        put(&self.parent_hash.0);
        put(&self.validators_hash.0);
        put(&self.next_validators_hash.0);
        put(&self.state_root.0);
        put(&self.da_root.0);
        put(&self.proposer.0);
        out
    }

    /// Decodes exactly one header, refusing anything malformed.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let header = Self::read(&mut r)?;
        r.finish("header")?;
        Ok(header)
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.version("header", HEADER_VERSION)?;
        let chain_id = ChainId(r.u64("header.chain_id")?);
        let height = r.u64("header.height")?;
        if height == 0 {
            return Err(DecodeError::ZeroHeight { field: "header.height" });
        }
        Ok(Self {
            chain_id,
            height: Height(height),
            time: Timestamp(r.u64("header.time")?),
            parent_hash: BlockHash(r.array("header.parent_hash")?),
            validators_hash: ValidatorsHash(r.array("header.validators_hash")?),
            next_validators_hash: ValidatorsHash(r.array("header.next_validators_hash")?),
            state_root: StateRoot(r.array("header.state_root")?),
            da_root: DaRoot(r.array("header.da_root")?),
            proposer: ValidatorAddress(r.array("header.proposer")?),
        })
    }

    /// The block hash: SHA-256 of the canonical encoding.
    pub fn hash(&self) -> BlockHash {
        BlockHash(Sha256::digest(self.encode()).into())
    }
}
