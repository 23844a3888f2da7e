//! Light blocks: everything needed to verify one header on its own: the
//! header, its commit, the set that signed it and the set that signs next
//! (`docs/protocol.md`, "Light block"). It is what the devnet's header API
//! serves, what the sync state machine consumes, and what a client persists
//! as its trusted state.

use super::block::{HEADER_SIZE, Header};
use super::codec::{DecodeError, Reader, put_prefixed};
use super::commit::Commit;
use super::types::{BlockHash, Height, Timestamp};
use super::validators::{MAX_VALIDATORS, ValidatorSet};

/// The light-block format version.
pub const LIGHT_BLOCK_VERSION: u8 = 1;

/// The longest commit or validator-set encoding a light block may carry.
const MAX_PART: usize = 16 + MAX_VALIDATORS * 56 + 256;

/// A header with its commit and the validator sets it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightBlock {
    /// The header.
    pub header: Header,
    /// The commit for it.
    pub commit: Commit,
    /// The set whose hash is `header.validators_hash` (the signers).
    pub validators: ValidatorSet,
    /// The set whose hash is `header.next_validators_hash`.
    pub next_validators: ValidatorSet,
}

impl LightBlock {
    /// The header's height.
    pub fn height(&self) -> Height {
        self.header.height
    }

    /// The header's time.
    pub fn time(&self) -> Timestamp {
        self.header.time
    }

    /// The block hash.
    pub fn hash(&self) -> BlockHash {
        self.header.hash()
    }

    /// The canonical encoding: version, the 205-byte header, then the
    /// commit, the validator set and the next validator set, each with a
    /// `u32` length prefix.
    pub fn encode(&self) -> Vec<u8> {
        let commit = self.commit.encode();
        let validators = self.validators.encode();
        let next = self.next_validators.encode();
        let mut out = Vec::with_capacity(1 + HEADER_SIZE + 12 + commit.len() + validators.len() + next.len());
        out.push(LIGHT_BLOCK_VERSION);
        out.extend_from_slice(&self.header.encode());
        put_prefixed(&mut out, &commit);
        put_prefixed(&mut out, &validators);
        put_prefixed(&mut out, &next);
        out
    }

    /// Decodes exactly one light block. Its parts are decoded and validated
    /// one by one; whether they belong together is for verification to say.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        let block = Self::read(&mut r)?;
        r.finish("light block")?;
        Ok(block)
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        r.version("light block", LIGHT_BLOCK_VERSION)?;
        let header = Header::read(r)?;
        let commit = Commit::decode(r.prefixed("light_block.commit", MAX_PART)?)?;
        let validators_bytes = r.prefixed("light_block.validators", MAX_PART)?;
        let validators = ValidatorSet::decode(validators_bytes)?;
        let next_bytes = r.prefixed("light_block.next_validators", MAX_PART)?;
        // Most blocks keep their set: skip validating the same keys twice.
        let next_validators =
            if next_bytes == validators_bytes { validators.clone() } else { ValidatorSet::decode(next_bytes)? };
        Ok(Self { header, commit, validators, next_validators })
    }
}
