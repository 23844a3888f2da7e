//! `eth_getProof` answers (EIP-1186), checked field by field against a
//! state root: the account proof must prove exactly the balance, nonce,
//! code hash and storage hash the answer claims, and each storage proof the
//! value it claims. An RPC that lies in any field, or sends a tampered
//! proof, is refused.

use serde::Deserialize;

use super::account::{Account, verify_account, verify_storage};
use super::error::StateProofError;
use super::types::{Address, CodeHash, StateRoot, StorageRoot, StorageSlot, Word, hex_bytes};

/// An `eth_getProof` result as JSON-RPC sends it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProofResponse {
    /// The address.
    pub address: String,
    /// Claimed balance (quantity).
    pub balance: String,
    /// Claimed nonce (quantity).
    pub nonce: String,
    /// Claimed code hash.
    pub code_hash: String,
    /// Claimed storage root.
    pub storage_hash: String,
    /// Account trie nodes, root first.
    pub account_proof: Vec<String>,
    /// One entry per requested slot.
    #[serde(default)]
    pub storage_proof: Vec<StorageProofResponse>,
}

/// One slot of an `eth_getProof` result.
#[derive(Debug, Clone, Deserialize)]
pub struct StorageProofResponse {
    /// The slot, as requested (any length up to 32 bytes).
    pub key: String,
    /// Claimed value (quantity).
    pub value: String,
    /// Storage trie nodes, root first.
    pub proof: Vec<String>,
}

/// What a verified answer proves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedAccount {
    /// The address.
    pub address: Address,
    /// The account (empty if it does not exist).
    pub account: Account,
    /// Each proven slot and its value, in the answer's order.
    pub storage: Vec<(StorageSlot, Word)>,
}

impl VerifiedAccount {
    /// The proven value of `slot`, if the answer covered it.
    pub fn slot(&self, slot: &StorageSlot) -> Option<Word> {
        self.storage.iter().find(|(s, _)| s == slot).map(|(_, v)| *v)
    }
}

fn nodes(field: &'static str, proof: &[String]) -> Result<Vec<Vec<u8>>, StateProofError> {
    proof.iter().map(|n| hex_bytes(field, n)).collect()
}

fn slot_key(s: &str) -> Result<StorageSlot, StateProofError> {
    let w = Word::from_quantity("storageProof.key", s)?;
    Ok(StorageSlot(w.0))
}

fn check<T: PartialEq + core::fmt::Display>(field: &'static str, claimed: T, proven: T) -> Result<(), StateProofError> {
    if claimed == proven {
        Ok(())
    } else {
        Err(StateProofError::Mismatch { field, claimed: claimed.to_string(), proven: proven.to_string() })
    }
}

impl ProofResponse {
    /// Verifies the whole answer for `address` against `root`.
    pub fn verify(&self, root: &StateRoot, address: &Address) -> Result<VerifiedAccount, StateProofError> {
        let answered = Address::from_hex("address", &self.address)?;
        if answered != *address {
            return Err(StateProofError::WrongAddress { asked: address.to_string(), answered: answered.to_string() });
        }
        let account = verify_account(root, address, &nodes("accountProof", &self.account_proof)?)?;
        let nonce = Word::from_quantity("nonce", &self.nonce)?;
        check("nonce", nonce.to_quantity(), Word(u64_word(account.nonce)).to_quantity())?;
        check("balance", Word::from_quantity("balance", &self.balance)?.to_quantity(), account.balance.to_quantity())?;
        let empty = account == Account::EMPTY;
        // Geth answers a missing account with a zero code hash and storage hash; accept
        // those only when the proof shows the account does not exist.
        let code_hash = CodeHash::from_hex("codeHash", &self.code_hash)?;
        if !(empty && code_hash.0 == [0; 32]) {
            check("codeHash", code_hash, account.code_hash)?;
        }
        let storage_hash = StorageRoot::from_hex("storageHash", &self.storage_hash)?;
        if !(empty && storage_hash.0 == [0; 32]) {
            check("storageHash", storage_hash, account.storage_root)?;
        }
        let storage = self
            .storage_proof
            .iter()
            .map(|sp| {
                let slot = slot_key(&sp.key)?;
                let value = verify_storage(&account.storage_root, &slot, &nodes("storageProof.proof", &sp.proof)?)?;
                let claimed = Word::from_quantity("storageProof.value", &sp.value)?;
                check("storage value", claimed.to_quantity(), value.to_quantity())?;
                Ok((slot, value))
            })
            .collect::<Result<_, StateProofError>>()?;
        Ok(VerifiedAccount { address: *address, account, storage })
    }
}

fn u64_word(n: u64) -> [u8; 32] {
    let mut w = [0u8; 32];
    w[24..].copy_from_slice(&n.to_be_bytes());
    w
}
