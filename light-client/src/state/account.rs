//! Accounts and storage values proven against a state root: the trie
//! lookups with Ethereum's key hashing and record formats.
//!
//! The account trie is keyed by `keccak256(address)` and holds
//! `RLP([nonce, balance, storage_root, code_hash])`; an account's storage trie
//! is keyed by `keccak256(slot)` and holds `RLP(value)` for non-zero values.
//! A proven absence means an empty account or a zero slot.

use super::error::StateProofError;
use super::rlp;
use super::trie::{self, EMPTY_ROOT, keccak};
use super::types::{Address, CodeHash, StateRoot, StorageRoot, StorageSlot, Word};

/// keccak256 of empty code.
pub const EMPTY_CODE_HASH: [u8; 32] = [
    0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d, 0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6,
    0x53, 0xca, 0x82, 0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70,
];

/// An account as the state trie records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Account {
    /// Its nonce.
    pub nonce: u64,
    /// Its balance in wei.
    pub balance: Word,
    /// The root of its storage trie.
    pub storage_root: StorageRoot,
    /// keccak256 of its code.
    pub code_hash: CodeHash,
}

impl Account {
    /// What an account that does not exist looks like.
    pub const EMPTY: Self =
        Self { nonce: 0, balance: Word::ZERO, storage_root: StorageRoot(EMPTY_ROOT), code_hash: CodeHash(EMPTY_CODE_HASH) };

    fn decode(leaf: &[u8]) -> Result<Self, StateProofError> {
        let bad = |reason| StateProofError::Value { what: "account", reason };
        let items = rlp::decode_list(leaf).map_err(bad)?;
        let [nonce, balance, storage_root, code_hash] = items.as_slice() else {
            return Err(bad("an account has 4 fields"));
        };
        let nonce = Word(rlp::uint(nonce).map_err(bad)?).to_u64().ok_or(bad("nonce above 2^64"))?;
        let balance = Word(rlp::uint(balance).map_err(bad)?);
        let hash32 = |item: &rlp::Item<'_>| match item {
            rlp::Item::Bytes(b) if b.len() == 32 => {
                let mut h = [0u8; 32];
                h.copy_from_slice(b);
                Ok(h)
            }
            _ => Err(bad("storage root and code hash are 32 bytes")),
        };
        Ok(Self { nonce, balance, storage_root: StorageRoot(hash32(storage_root)?), code_hash: CodeHash(hash32(code_hash)?) })
    }
}

/// The account at `address` under `root` ([`Account::EMPTY`] if proven absent).
pub fn verify_account(root: &StateRoot, address: &Address, proof: &[Vec<u8>]) -> Result<Account, StateProofError> {
    match trie::verify(&root.0, &keccak(&address.0), proof)? {
        Some(leaf) => Account::decode(leaf),
        None => Ok(Account::EMPTY),
    }
}

/// The value of `slot` under an account's storage `root` (zero if proven absent).
pub fn verify_storage(root: &StorageRoot, slot: &StorageSlot, proof: &[Vec<u8>]) -> Result<Word, StateProofError> {
    let bad = |reason| StateProofError::Value { what: "storage value", reason };
    match trie::verify(&root.0, &keccak(&slot.0), proof)? {
        Some(leaf) => {
            let bytes = rlp::decode_bytes(leaf).map_err(bad)?;
            let value = Word(rlp::uint(&rlp::Item::Bytes(bytes)).map_err(bad)?);
            if value == Word::ZERO {
                return Err(bad("zero values are not stored"));
            }
            Ok(value)
        }
        None => Ok(Word::ZERO),
    }
}
