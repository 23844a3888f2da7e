//! ERC-7857 agent NFTs ("iNFTs") from the wallet's side, sans-IO.
//!
//! The wallet's iNFT screens need four things the rest of the engine does
//! not: the calls of the genesis `AgentNFT` contract and its views
//! ([`abi`]), the receiver's access proof that an ERC-7857 transfer carries
//! ([`proof`]), which tokens an account holds and which sealed keys were
//! published to it, read from event logs ([`logs`]), and a revert from the
//! contract or its verifier turned into words a user can act on
//! ([`revert`]). [`action`] ties them into the requests the wallet's pages
//! send (mint, transfer, clone, authorize, revoke, delegate) and checks
//! them before anything is signed. [`site_transfer`] is the one iNFT request a
//! connected site may make (`aloft_agentTransferProofs`). The `wasm` side fetches, waits for the
//! user's approval and broadcasts; this module never does I/O.

pub mod abi;
pub mod action;
pub mod agent;
pub mod logs;
pub mod proof;
pub mod revert;
pub mod site_transfer;

pub use abi::{AccessProof, DataHash, IntelligentData, OwnershipProof, TokenId, TransferProof};
pub use action::{Action, ActionError};
