//! The sync state machine: from a trusted light block to a target height by
//! skipping verification, bisecting when a skip fails (CometBFT's
//! `VerifySkipping`). It is sans-IO: it says which height it needs next, the
//! caller fetches that light block from its source and feeds it back with
//! the current time.
//!
//! Flow:
//! 1. [`Syncer::new`] with the trusted block and the target height;
//!    [`Syncer::next`] answers [`Next::Fetch`]`(target)`.
//! 2. The caller feeds the block. The syncer verifies the highest pending
//!    block against the trusted one. On success it becomes trusted and the
//!    syncer retries the next pending (higher) block; on
//!    [`VerifyError::NotEnoughTrust`] it asks for the midpoint between the
//!    trusted height and that block (bisection) and keeps the block pending.
//! 3. Any other rejection ends the sync with [`SyncError::Rejected`], naming
//!    the height and the reason; the trusted state stays what was verified.
//! 4. [`Next::Done`] once the target is trusted.
//!
//! The number of pairing checks is counted ([`Syncer::commits_verified`]):
//! a failed skip costs none (see [`super::verify`]), so the count is the
//! number of hops in the chain of trust plus any commit that was checked
//! and found forged.

use super::light_block::LightBlock;
use super::types::{Height, Timestamp};
use super::verify::{VerifyError, VerifyOptions, verify};

/// What the syncer needs next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Fetch the light block at this height and [`Syncer::feed`] it.
    Fetch(Height),
    /// The target is trusted.
    Done,
}

/// Why a sync stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The target is below the trusted height (this client only syncs forwards).
    #[error("target height {target} is below the trusted height {trusted}")]
    TargetBelowTrusted {
        /// The trusted height.
        trusted: Height,
        /// The requested target.
        target: Height,
    },
    /// A block was fed that the syncer did not ask for.
    #[error("got the light block for height {got}, but height {expected} was asked for")]
    UnexpectedHeight {
        /// What was asked for (none if nothing was).
        expected: String,
        /// What was fed.
        got: Height,
    },
    /// A light block failed verification.
    #[error("header {height} rejected: {reason}")]
    Rejected {
        /// The rejected block's height.
        height: Height,
        /// Why.
        reason: VerifyError,
    },
    /// The syncer already stopped on an error and cannot continue.
    #[error("the sync already stopped on an error")]
    Stopped,
}

/// Skipping sync with bisection, one fetched light block at a time.
#[derive(Debug, Clone)]
pub struct Syncer {
    trusted: LightBlock,
    target: Height,
    /// Blocks fetched but not yet verified; the last is the lowest.
    pending: Vec<LightBlock>,
    waiting: Option<Height>,
    options: VerifyOptions,
    commits_verified: u32,
    failed: bool,
}

impl Syncer {
    /// A syncer from `trusted` up to `target`.
    pub fn new(trusted: LightBlock, target: Height, options: VerifyOptions) -> Result<Self, SyncError> {
        if target < trusted.height() {
            return Err(SyncError::TargetBelowTrusted { trusted: trusted.height(), target });
        }
        let waiting = (target > trusted.height()).then_some(target);
        Ok(Self { trusted, target, pending: Vec::new(), waiting, options, commits_verified: 0, failed: false })
    }

    /// What to do next.
    pub fn next(&self) -> Next {
        match self.waiting {
            Some(h) => Next::Fetch(h),
            None => Next::Done,
        }
    }

    /// The latest trusted block.
    pub fn trusted(&self) -> &LightBlock {
        &self.trusted
    }

    /// The target height.
    pub fn target(&self) -> Height {
        self.target
    }

    /// Pairing checks run so far.
    pub fn commits_verified(&self) -> u32 {
        self.commits_verified
    }

    /// Feeds the block asked for. Returns the blocks that became trusted, in
    /// ascending height order (possibly none, when it bisected).
    pub fn feed(&mut self, block: LightBlock, now: Timestamp) -> Result<Vec<LightBlock>, SyncError> {
        if self.failed {
            return Err(SyncError::Stopped);
        }
        if self.waiting != Some(block.height()) {
            return Err(SyncError::UnexpectedHeight {
                expected: self.waiting.map_or_else(|| "none".to_string(), |h| h.to_string()),
                got: block.height(),
            });
        }
        self.waiting = None;
        self.pending.push(block);
        let mut verified = Vec::new();
        while let Some(candidate) = self.pending.last() {
            match verify(&self.trusted, candidate, &self.options, now) {
                Ok(()) => {
                    self.commits_verified += 1;
                    let block = self.pending.pop().expect("the loop saw a pending block");
                    self.trusted = block.clone();
                    verified.push(block);
                }
                Err(VerifyError::NotEnoughTrust { .. }) => {
                    // Not adjacent (adjacent blocks never give this), so the gap is ≥ 2.
                    let (lo, hi) = (self.trusted.height().0, candidate.height().0);
                    self.waiting = Some(Height(lo + (hi - lo) / 2));
                    return Ok(verified);
                }
                Err(reason) => {
                    if matches!(reason, VerifyError::InvalidSignature { .. }) {
                        self.commits_verified += 1;
                    }
                    self.failed = true;
                    return Err(SyncError::Rejected { height: candidate.height(), reason });
                }
            }
        }
        Ok(verified)
    }
}
