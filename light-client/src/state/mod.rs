//! Verified state: EIP-1186 (`eth_getProof`) answers checked against a
//! state root taken from a verified header, so balances, nonces, storage and
//! ERC-721 ownership are known without trusting the RPC that answered.
//!
//! Layers: [`rlp`] (strict decoding of trie nodes) → [`trie`] (Merkle-Patricia
//! proof walk: inclusion and exclusion) → [`account`] (account records and
//! storage values under Ethereum's key hashing) → [`eip1186`] (whole answers,
//! every claimed field checked) → [`erc721`] (`ownerOf` from the `_owners`
//! slot) → [`at_header`] (the request for a verified header's EVM block, and
//! its answer checked against that header's state root). Sans-IO like the
//! rest of the crate: callers fetch, this verifies.

pub mod account;
pub mod at_header;
pub mod eip1186;
pub mod erc721;
pub mod error;
pub mod rlp;
pub mod trie;
pub mod types;

pub use account::{Account, verify_account, verify_storage};
pub use eip1186::{ProofResponse, StorageProofResponse, VerifiedAccount};
pub use erc721::{owner_slot, verify_owner};
pub use error::StateProofError;
pub use types::{Address, CodeHash, StateRoot, StorageRoot, StorageSlot, Word};
