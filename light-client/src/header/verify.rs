//! Verifying one light block against a trusted one: the CometBFT light-client
//! rules, on BLS aggregate commits.
//!
//! In order (cheap checks first, so a block that cannot pass never costs a
//! pairing):
//! 1. the trusted block is still within the trusting period at `now`;
//! 2. the new block hangs together: the commit is for this header, the
//!    validator sets hash to what the header names, the bitmap covers the
//!    set, the proposer is in it;
//! 3. same chain, a greater height, a strictly later time, and a time no
//!    further ahead of `now` than the allowed clock drift;
//! 4. **adjacent** (height + 1): the header's validators hash equals the
//!    trusted header's next-validators hash and its parent hash is the
//!    trusted block's hash. **Skipping**: validators of the trusted next set
//!    holding at least 1/3 of its power are among the signers (so at least
//!    one honest validator the client already trusts vouches for the block,
//!    if fewer than 1/3 of that set is faulty);
//! 5. signers hold more than 2/3 of the new set's power;
//! 6. one `fast_aggregate_verify` over the signers' keys: one hash to G2 and
//!    one pairing check per commit.
//!
//! Step 4's trust check is bookkeeping, not cryptography: once step 6 shows
//! every bitmap signer signed, the trusted validators among them are known.
//! That is why a failed skip ([`VerifyError::NotEnoughTrust`], which the
//! sync answers with bisection) costs no pairing.

use std::collections::BTreeSet;

use super::light_block::LightBlock;
use super::types::{BlockHash, ChainId, Height, Timestamp, ValidatorsHash};
use crate::bls::{self, PublicKey};

/// Verification settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyOptions {
    /// How long a verified header may serve as a root of trust, in ms.
    /// Must be shorter than the chain's unbonding period.
    pub trusting_period_ms: u64,
    /// How far a header's time may run ahead of the caller's clock, in ms.
    pub max_clock_drift_ms: u64,
}

impl Default for VerifyOptions {
    /// Two weeks of trust (CometBFT's default, below a three-week unbonding
    /// period) and ten seconds of clock drift (CometBFT allows ten).
    fn default() -> Self {
        Self { trusting_period_ms: 14 * 24 * 3600 * 1000, max_clock_drift_ms: 10_000 }
    }
}

/// Why a light block was rejected. Each variant says what was wrong in
/// terms a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The trusted header is older than the trusting period: its validators
    /// may have unbonded and could sign anything without penalty.
    #[error("the trusted header at height {height} expired at {expired_at} ms (now {now} ms); start again from a fresh checkpoint")]
    TrustedStateExpired {
        /// The trusted height.
        height: Height,
        /// When its trust ended.
        expired_at: u64,
        /// The caller's time.
        now: u64,
    },
    /// The commit is for another height than the header.
    #[error("the commit is for height {commit}, the header is at height {header}")]
    CommitHeightMismatch {
        /// The header's height.
        header: Height,
        /// The commit's height.
        commit: Height,
    },
    /// The commit signs another block than this header.
    #[error("the commit signs block {signed}, but the header hashes to {header}")]
    CommitForOtherBlock {
        /// The header's hash.
        header: BlockHash,
        /// The hash in the commit.
        signed: BlockHash,
    },
    /// The validator set served with the header is not the one it names.
    #[error("the validator set served hashes to {served}, but the header names {expected}")]
    ValidatorsHashMismatch {
        /// What the header names.
        expected: ValidatorsHash,
        /// What the served set hashes to.
        served: ValidatorsHash,
    },
    /// The next validator set served with the header is not the one it names.
    #[error("the next validator set served hashes to {served}, but the header names {expected}")]
    NextValidatorsHashMismatch {
        /// What the header names.
        expected: ValidatorsHash,
        /// What the served set hashes to.
        served: ValidatorsHash,
    },
    /// The signer bitmap does not cover the validator set exactly.
    #[error("the signer bitmap covers {bitmap} validators, the set has {set}")]
    BitmapLengthMismatch {
        /// Bits in the bitmap.
        bitmap: usize,
        /// Validators in the set.
        set: usize,
    },
    /// The proposer is not a validator of the block.
    #[error("the proposer {0} is not in the block's validator set")]
    UnknownProposer(super::types::ValidatorAddress),
    /// The header is for another chain.
    #[error("the header is for chain {got}, the client follows chain {expected}")]
    WrongChain {
        /// The trusted chain.
        expected: ChainId,
        /// The header's chain.
        got: ChainId,
    },
    /// The header is not above the trusted height.
    #[error("height {got} is not above the trusted height {trusted}")]
    NotNewer {
        /// The trusted height.
        trusted: Height,
        /// The header's height.
        got: Height,
    },
    /// The header's time does not move forward.
    #[error("the header time {got} ms is not after the trusted header's time {trusted} ms")]
    NonMonotonicTime {
        /// The trusted header's time.
        trusted: u64,
        /// The new header's time.
        got: u64,
    },
    /// The header claims a time too far in the future.
    #[error("the header time {got} ms is more than {drift} ms ahead of now ({now} ms)")]
    FromTheFuture {
        /// The header's time.
        got: u64,
        /// The caller's time.
        now: u64,
        /// The allowed drift.
        drift: u64,
    },
    /// Adjacent header whose validator set is not the one the trusted
    /// header announced: the validator-hash chain is broken.
    #[error("the header's validators hash {got} is not the trusted header's next-validators hash {expected}: the validator set did not come from the trusted chain")]
    ValidatorSetChainBroken {
        /// The trusted header's next-validators hash.
        expected: ValidatorsHash,
        /// The header's validators hash.
        got: ValidatorsHash,
    },
    /// Adjacent header whose parent is not the trusted block.
    #[error("the header's parent hash {got} is not the trusted block {expected}")]
    ParentHashMismatch {
        /// The trusted block's hash.
        expected: BlockHash,
        /// The header's parent hash.
        got: BlockHash,
    },
    /// Skipping: validators the client trusts hold less than 1/3 of the
    /// trusted set's power among the signers, so this block cannot be
    /// reached in one step (the sync bisects).
    #[error("validators the client trusts signed only {signed} of {total} power (at least 1/3 needed to skip)")]
    NotEnoughTrust {
        /// Trusted power that signed.
        signed: u64,
        /// The trusted next set's total power.
        total: u64,
    },
    /// Signers hold 2/3 of the block's validator power or less.
    #[error("signers hold {signed} of {total} voting power; more than 2/3 is needed")]
    InsufficientVotingPower {
        /// Power that signed.
        signed: u64,
        /// The set's total power.
        total: u64,
    },
    /// The aggregate signature does not verify under the signers' keys.
    #[error("the aggregate signature does not verify for the {signers} signers in the bitmap")]
    InvalidSignature {
        /// How many signers the bitmap names.
        signers: usize,
    },
}

impl VerifyError {
    /// A stable, short name for the error (used by the JS API and the page).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TrustedStateExpired { .. } => "trusted_state_expired",
            Self::CommitHeightMismatch { .. } => "commit_height_mismatch",
            Self::CommitForOtherBlock { .. } => "commit_for_other_block",
            Self::ValidatorsHashMismatch { .. } => "validators_hash_mismatch",
            Self::NextValidatorsHashMismatch { .. } => "next_validators_hash_mismatch",
            Self::BitmapLengthMismatch { .. } => "bitmap_length_mismatch",
            Self::UnknownProposer(_) => "unknown_proposer",
            Self::WrongChain { .. } => "wrong_chain",
            Self::NotNewer { .. } => "not_newer",
            Self::NonMonotonicTime { .. } => "non_monotonic_time",
            Self::FromTheFuture { .. } => "from_the_future",
            Self::ValidatorSetChainBroken { .. } => "validator_set_chain_broken",
            Self::ParentHashMismatch { .. } => "parent_hash_mismatch",
            Self::NotEnoughTrust { .. } => "not_enough_trust",
            Self::InsufficientVotingPower { .. } => "insufficient_voting_power",
            Self::InvalidSignature { .. } => "invalid_signature",
        }
    }
}

/// Checks that a light block is internally consistent (step 2), with no
/// reference to a trusted state.
pub fn validate_basic(block: &LightBlock) -> Result<(), VerifyError> {
    let h = &block.header;
    if block.commit.height != h.height {
        return Err(VerifyError::CommitHeightMismatch { header: h.height, commit: block.commit.height });
    }
    let hash = h.hash();
    if block.commit.block_hash != hash {
        return Err(VerifyError::CommitForOtherBlock { header: hash, signed: block.commit.block_hash });
    }
    let served = block.validators.hash();
    if served != h.validators_hash {
        return Err(VerifyError::ValidatorsHashMismatch { expected: h.validators_hash, served });
    }
    let served = block.next_validators.hash();
    if served != h.next_validators_hash {
        return Err(VerifyError::NextValidatorsHashMismatch { expected: h.next_validators_hash, served });
    }
    if block.commit.signers.len() != block.validators.len() {
        return Err(VerifyError::BitmapLengthMismatch {
            bitmap: block.commit.signers.len(),
            set: block.validators.len(),
        });
    }
    if !block.validators.contains_address(&h.proposer) {
        return Err(VerifyError::UnknownProposer(h.proposer));
    }
    Ok(())
}

/// Verifies `untrusted` against `trusted` at time `now` (ms since the Unix
/// epoch, from the caller's clock). On success the caller may trust it.
pub fn verify(
    trusted: &LightBlock,
    untrusted: &LightBlock,
    options: &VerifyOptions,
    now: Timestamp,
) -> Result<(), VerifyError> {
    let expired_at = trusted.time().0.saturating_add(options.trusting_period_ms);
    if expired_at <= now.0 {
        return Err(VerifyError::TrustedStateExpired { height: trusted.height(), expired_at, now: now.0 });
    }
    validate_basic(untrusted)?;
    let (t, u) = (&trusted.header, &untrusted.header);
    if u.chain_id != t.chain_id {
        return Err(VerifyError::WrongChain { expected: t.chain_id, got: u.chain_id });
    }
    if u.height <= t.height {
        return Err(VerifyError::NotNewer { trusted: t.height, got: u.height });
    }
    if u.time <= t.time {
        return Err(VerifyError::NonMonotonicTime { trusted: t.time.0, got: u.time.0 });
    }
    if u.time.0 > now.0.saturating_add(options.max_clock_drift_ms) {
        return Err(VerifyError::FromTheFuture { got: u.time.0, now: now.0, drift: options.max_clock_drift_ms });
    }

    let signers = &untrusted.commit.signers;
    if t.height.next() == Some(u.height) {
        if u.validators_hash != t.next_validators_hash {
            return Err(VerifyError::ValidatorSetChainBroken { expected: t.next_validators_hash, got: u.validators_hash });
        }
        let trusted_hash = t.hash();
        if u.parent_hash != trusted_hash {
            return Err(VerifyError::ParentHashMismatch { expected: trusted_hash, got: u.parent_hash });
        }
    } else {
        let signing_keys: BTreeSet<&[u8; 48]> =
            signers.signers().map(|i| &untrusted.validators.validators()[i].key_bytes).collect();
        let trusted_set = &trusted.next_validators;
        let signed: u64 = trusted_set
            .validators()
            .iter()
            .filter(|v| signing_keys.contains(&v.key_bytes))
            .map(|v| v.power.0)
            .sum();
        // At least 1/3: 3·signed ≥ total (powers are bounded by 2^60, so no overflow).
        if signed * 3 < trusted_set.total_power() {
            return Err(VerifyError::NotEnoughTrust { signed, total: trusted_set.total_power() });
        }
    }

    let set = untrusted.validators.validators();
    let signed: u64 = signers.signers().map(|i| set[i].power.0).sum();
    let total = untrusted.validators.total_power();
    // More than 2/3: 3·signed > 2·total.
    if signed * 3 <= total * 2 {
        return Err(VerifyError::InsufficientVotingPower { signed, total });
    }

    let keys: Vec<PublicKey> = signers.signers().map(|i| set[i].public_key).collect();
    let msg = untrusted.commit.sign_bytes(u.chain_id);
    if !bls::fast_aggregate_verify(&keys, &msg, &untrusted.commit.signature) {
        return Err(VerifyError::InvalidSignature { signers: keys.len() });
    }
    Ok(())
}
