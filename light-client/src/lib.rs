//! # aloft-light-client
//!
//! The verification core of Aloft: everything a wallet or a web page needs to
//! know the chain's state without trusting the server that answers it.
//!
//! This crate is **sans-IO**. It never reads a clock, draws randomness, opens a
//! socket or touches storage on its own: callers pass the time, random bytes
//! and fetched data in, and get verdicts back. That is what lets one crate run
//! unchanged in a browser tab, an extension's service worker, the native CLI
//! and the devnet (which uses the same types to *produce* what this crate
//! verifies, so both sides share one definition of every wire format).
//!
//! Modules:
//! - [`bls`]: IETF BLS signatures on BLS12-381 (ciphersuite
//!   `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`), on arkworks.
//! - [`curve`]: the pairing check every BLS and KZG verifier ends in.
//! - [`client`]: the header client, driving `header`'s state machines over
//!   one [`client::Platform`] trait (fetch, clock, storage).
//! - [`header`]: headers, commits, validator sets; verification, skipping
//!   sync with bisection, fork detection.
//! - [`kzg`]: KZG commitments and EIP-7594 cells over the Ethereum ceremony setup.
//! - [`da`]: data availability: payload packing, the block DA layout, the
//!   sampler and reconstruction.
//! - [`storage`]: the 0G storage file root, submission nodes and segment proofs.
//! - [`state`]: EIP-1186 account and storage proofs against a state root;
//!   verified balances, nonces and ERC-721 owners.
//! - [`conformance`] (feature `conformance`): runs the public conformance
//!   vectors (`vectors/`, or any directory of the same layout).
//! - [`bench`] (feature `bench`): the workloads and fixtures of `cargo xtask bench`.
//!
//! On `wasm32` the `wasm` module adds the JavaScript API that web apps embed.

pub mod bls;
pub mod client;
pub mod curve;
pub mod header;
pub mod inft;
pub mod da;
pub mod kzg;
pub mod state;
pub mod storage;
#[cfg(feature = "conformance")]
pub mod conformance;
#[cfg(feature = "bench")]
pub mod bench;

#[cfg(target_arch = "wasm32")]
mod wasm;
#[cfg(target_arch = "wasm32")]
mod wasm_da;

/// The crate version, as web apps see it through the JS API.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
