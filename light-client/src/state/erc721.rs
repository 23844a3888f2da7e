//! Verified ERC-721 ownership: `ownerOf(tokenId)` read from the contract's
//! storage through a proof, instead of asking the RPC to run the call.
//!
//! With the standard OpenZeppelin ERC-721 layout, `_owners` is the mapping
//! at slot 2 (after `_name` and `_symbol`), so the owner of `tokenId` lives
//! at `keccak256(pad32(tokenId) ‖ pad32(2))`, as an address in the low 20
//! bytes of the word. Aloft's own agent NFT keeps that layout.

use super::eip1186::ProofResponse;
use super::error::StateProofError;
use super::trie::keccak;
use super::types::{Address, StateRoot, StorageSlot, Word};

/// The `_owners` mapping slot of OpenZeppelin's ERC-721 (and Aloft's agent NFT).
pub const OZ_OWNERS_SLOT: u64 = 2;

/// The storage slot of `mapping[key]` for a mapping at `mapping_slot`:
/// `keccak256(pad32(key) ‖ pad32(mapping_slot))`.
pub fn mapping_slot(key: &Word, mapping_slot: u64) -> StorageSlot {
    let mut preimage = [0u8; 64];
    preimage[..32].copy_from_slice(&key.0);
    preimage[56..].copy_from_slice(&mapping_slot.to_be_bytes());
    StorageSlot(keccak(&preimage))
}

/// The slot holding the owner of `token_id` in an OpenZeppelin-layout ERC-721.
pub fn owner_slot(token_id: &Word) -> StorageSlot {
    mapping_slot(token_id, OZ_OWNERS_SLOT)
}

/// Verifies an `eth_getProof(contract, [owner_slot(token_id)])` answer and
/// returns the proven owner; a token with no owner is an error.
pub fn verify_owner(
    root: &StateRoot,
    contract: &Address,
    token_id: &Word,
    answer: &ProofResponse,
) -> Result<Address, StateProofError> {
    let verified = answer.verify(root, contract)?;
    let slot = owner_slot(token_id);
    let word = verified.slot(&slot).ok_or_else(|| StateProofError::MissingSlot(Word(slot.0).to_quantity()))?;
    if word.0[..12].iter().any(|b| *b != 0) {
        return Err(StateProofError::Value { what: "owner slot", reason: "high 12 bytes of an address slot are not zero" });
    }
    if word == Word::ZERO {
        return Err(StateProofError::NoOwner(token_id.to_decimal()));
    }
    let mut address = [0u8; 20];
    address.copy_from_slice(&word.0[12..]);
    Ok(Address(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_slot_of_token_1_is_the_known_value() {
        // keccak256(abi.encode(uint256(1), uint256(2))), as solc computes `_owners[1]`.
        let slot = owner_slot(&Word::from_quantity("t", "0x1").unwrap());
        assert_eq!(slot.to_string(), "0xe90b7bceb6e7df5418fb78d8ee546e97c83a08bbccc01a0644d599ccd2a7c2e0");
    }
}
