//! Headers, commits and validator sets, and the light client that verifies
//! them: CometBFT-style consensus with BLS12-381 aggregate commits.
//!
//! A block's validators each sign the same canonical vote bytes; the commit
//! carries one aggregate signature and a bitmap of who signed. A client
//! starts from a trusted checkpoint and follows the chain by verifying
//! commits: adjacent headers through the validator-hash chain, distant ones
//! by the CometBFT skipping rule, bisecting when a skip fails. A second
//! source (a witness) is cross-checked, and two verifiable conflicting
//! headers become [`Evidence`].
//!
//! Everything here is sans-IO: the caller passes `now`, fetches what
//! [`Syncer`] and [`Detector`] ask for and feeds it back.
//!
//! Modules, in the order a block flows through them:
//! - `types`: newtypes ([`Height`], [`BlockHash`], [`ChainId`], …);
//! - `codec`: the byte reader and [`DecodeError`];
//! - `block` ([`Header`]), `validators` ([`ValidatorSet`]), `commit`
//!   ([`Commit`], [`vote_sign_bytes`]), `light_block` ([`LightBlock`]):
//!   the formats of `docs/protocol.md`;
//! - `verify`: one block against a trusted one ([`verify`], [`VerifyError`]);
//! - `sync`: skipping sync with bisection ([`Syncer`]);
//! - `fork`: witness cross-checks and [`Evidence`];
//! - [`devchain`]: deterministic validator keys and chains, shared by the
//!   devnet (which produces blocks with it) and the tests.

mod block;
mod codec;
mod commit;
mod fork;
mod light_block;
mod sync;
pub mod devchain;
mod types;
mod validators;
mod verify;

pub use block::{HEADER_SIZE, HEADER_VERSION, Header};
pub use codec::DecodeError;
pub use commit::{COMMIT_VERSION, Commit, SignerBitmap, VOTE_SIZE, VOTE_TAG, vote_sign_bytes};
pub use fork::{Detector, EVIDENCE_VERSION, Evidence, Verdict};
pub use light_block::{LIGHT_BLOCK_VERSION, LightBlock};
pub use sync::{Next, SyncError, Syncer};
pub use types::{
    BlockHash, ChainId, DaRoot, Height, ParseHexError, Round, StateRoot, Timestamp, ValidatorAddress, ValidatorsHash,
    VotingPower, parse_hex, parse_hex_array,
};
pub use validators::{MAX_TOTAL_POWER, MAX_VALIDATORS, VALIDATOR_SET_VERSION, Validator, ValidatorSet};
pub use verify::{VerifyError, VerifyOptions, validate_basic, verify};

#[cfg(test)]
mod tests;
