//! Validator sets: BLS public keys with voting powers, in a canonical order,
//! and the hash headers commit to (`docs/protocol.md`, "Validator set").
//!
//! Keys are validated once when a set is decoded or built (KeyValidate, via
//! [`PublicKey::from_bytes`]), duplicates and zero powers are refused, and the
//! total power is bounded so that `3 × power` never overflows. The position
//! of a validator in the set is its bit in a commit's signer bitmap.
//!
//! Proofs of possession: aggregating keys is only safe when each key's owner
//! proved knowledge of its secret. The chain checks a proof of possession
//! when a key joins; the light client trusts a set only through a commit by
//! the previous set (the validator-hash chain), so it inherits that check
//! instead of repeating one pairing per key on every set change.

use sha2::{Digest, Sha256};

use super::codec::{DecodeError, Reader};
use super::types::{ValidatorAddress, ValidatorsHash, VotingPower};
use crate::bls::{G1_COMPRESSED_SIZE, PublicKey};

/// The validator-set format version.
pub const VALIDATOR_SET_VERSION: u8 = 1;

/// The most validators a set may hold.
pub const MAX_VALIDATORS: usize = 1024;

/// The largest total voting power (2^60), so power arithmetic never overflows.
pub const MAX_TOTAL_POWER: u64 = 1 << 60;

/// One validator: a validated BLS key and its power.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validator {
    /// The validator's public key.
    pub public_key: PublicKey,
    /// Its compressed encoding (kept for hashing and lookups).
    pub key_bytes: [u8; G1_COMPRESSED_SIZE],
    /// Its voting power (never zero).
    pub power: VotingPower,
}

impl Validator {
    /// A validator from a key and a power.
    pub fn new(public_key: PublicKey, power: VotingPower) -> Self {
        Self { key_bytes: public_key.to_bytes(), public_key, power }
    }

    /// The validator's address: the first 20 bytes of SHA-256 of its key.
    pub fn address(&self) -> ValidatorAddress {
        let digest: [u8; 32] = Sha256::digest(self.key_bytes).into();
        let mut out = [0u8; 20];
        out.copy_from_slice(&digest[..20]);
        ValidatorAddress(out)
    }
}

/// A validated validator set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidatorSet {
    validators: Vec<Validator>,
    total_power: u64,
}

impl ValidatorSet {
    /// Builds a set, applying the same checks as decoding.
    pub fn new(validators: Vec<Validator>) -> Result<Self, DecodeError> {
        if validators.is_empty() {
            return Err(DecodeError::EmptyValidatorSet);
        }
        if validators.len() > MAX_VALIDATORS {
            return Err(DecodeError::TooManyValidators { count: validators.len() as u64, max: MAX_VALIDATORS });
        }
        let mut total: u64 = 0;
        let mut seen = std::collections::BTreeMap::new();
        for (index, v) in validators.iter().enumerate() {
            if v.power.0 == 0 {
                return Err(DecodeError::ZeroPower { index });
            }
            total = total
                .checked_add(v.power.0)
                .filter(|t| *t <= MAX_TOTAL_POWER)
                .ok_or(DecodeError::PowerOverflow { max: MAX_TOTAL_POWER })?;
            if let Some(first) = seen.insert(v.key_bytes, index) {
                return Err(DecodeError::DuplicateValidator { first, second: index });
            }
        }
        Ok(Self { validators, total_power: total })
    }

    /// The validators, in set order (bitmap order).
    pub fn validators(&self) -> &[Validator] {
        &self.validators
    }

    /// How many validators.
    pub fn len(&self) -> usize {
        self.validators.len()
    }

    /// Never true for a validated set; here for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.validators.is_empty()
    }

    /// The sum of all voting powers.
    pub fn total_power(&self) -> u64 {
        self.total_power
    }

    /// Whether a validator with this address is in the set.
    pub fn contains_address(&self, address: &ValidatorAddress) -> bool {
        self.validators.iter().any(|v| v.address() == *address)
    }

    /// The canonical encoding: version, `u32` count, then per validator its
    /// 48-byte compressed key and `u64` power.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(5 + self.validators.len() * 56);
        out.push(VALIDATOR_SET_VERSION);
        out.extend_from_slice(&(self.validators.len() as u32).to_be_bytes());
        for v in &self.validators {
            out.extend_from_slice(&v.key_bytes);
            out.extend_from_slice(&v.power.0.to_be_bytes());
        }
        out
    }

    /// Decodes exactly one validator set.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        r.version("validator set", VALIDATOR_SET_VERSION)?;
        let count = r.u32("validator_set.count")? as usize;
        if count == 0 {
            return Err(DecodeError::EmptyValidatorSet);
        }
        if count > MAX_VALIDATORS {
            return Err(DecodeError::TooManyValidators { count: count as u64, max: MAX_VALIDATORS });
        }
        let mut validators = Vec::with_capacity(count);
        for index in 0..count {
            let key_bytes: [u8; G1_COMPRESSED_SIZE] = r.array("validator.public_key")?;
            let power = VotingPower(r.u64("validator.power")?);
            let public_key =
                PublicKey::from_bytes(&key_bytes).map_err(|source| DecodeError::BadPublicKey { index, source })?;
            validators.push(Validator { public_key, key_bytes, power });
        }
        r.finish("validator set")?;
        Self::new(validators)
    }

    /// The hash headers commit to: SHA-256 of the canonical encoding.
    pub fn hash(&self) -> ValidatorsHash {
        ValidatorsHash(Sha256::digest(self.encode()).into())
    }
}
