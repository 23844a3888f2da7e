//! The state root and EIP-1186 proofs: Merkle-Patricia tries over the world
//! state, built with `alloy-trie`.
//!
//! The account trie maps `keccak256(address)` to
//! `RLP([nonce, balance, storage_root, code_hash])`; each account's storage
//! trie maps `keccak256(slot)` to `RLP(value)` for its non-zero slots. This
//! is Ethereum's layout, so the roots and proofs here are what any EIP-1186
//! verifier (the light client's `state` module among them) checks.
//!
//! The tries are rebuilt from the maps when asked: a devnet's state is small
//! and this keeps the state itself a plain map.

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use alloy_rlp::Encodable;
use alloy_trie::proof::ProofRetainer;
use alloy_trie::{EMPTY_ROOT_HASH, HashBuilder, Nibbles, TrieAccount};

use super::state::{AccountState, WorldState};

/// The root of an account's storage trie.
pub fn storage_root(account: &AccountState) -> B256 {
    storage_trie(account, None).0
}

/// The root of the account trie: the block's state root.
pub fn state_root(state: &WorldState) -> B256 {
    account_trie(state, None).0
}

/// An account's entry in the state trie.
pub fn trie_account(account: &AccountState) -> TrieAccount {
    TrieAccount {
        nonce: account.nonce,
        balance: account.balance,
        storage_root: storage_root(account),
        code_hash: account.code_hash,
    }
}

/// The proof nodes for one key, root first.
pub type ProofNodes = Vec<Bytes>;

/// EIP-1186 proof of `address` (present or absent) in `state`, and of each of
/// `slots` in its storage. Returns the account proof and one proof per slot.
pub fn prove(state: &WorldState, address: &Address, slots: &[U256]) -> (ProofNodes, Vec<ProofNodes>) {
    let (_, account_proof) = account_trie(state, Some(keccak256(address)));
    let empty = AccountState::default();
    let account = state.account(address).unwrap_or(&empty);
    let storage_proofs = slots
        .iter()
        .map(|slot| storage_trie(account, Some(keccak256(slot.to_be_bytes::<32>()))).1)
        .collect();
    (account_proof, storage_proofs)
}

fn account_trie(state: &WorldState, target: Option<B256>) -> (B256, ProofNodes) {
    let mut leaves: Vec<(B256, Vec<u8>)> = state
        .accounts()
        .map(|(address, account)| {
            let mut rlp = Vec::new();
            trie_account(account).encode(&mut rlp);
            (keccak256(address), rlp)
        })
        .collect();
    leaves.sort_unstable_by_key(|leaf| leaf.0);
    build(leaves, target)
}

fn storage_trie(account: &AccountState, target: Option<B256>) -> (B256, ProofNodes) {
    let mut leaves: Vec<(B256, Vec<u8>)> = account
        .storage
        .iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|(slot, value)| {
            let mut rlp = Vec::new();
            value.encode(&mut rlp);
            (keccak256(slot.to_be_bytes::<32>()), rlp)
        })
        .collect();
    leaves.sort_unstable_by_key(|leaf| leaf.0);
    build(leaves, target)
}

/// Builds a trie over sorted `(hashed key, value)` leaves; with a target,
/// also returns the nodes on the path to it (an inclusion or exclusion proof).
fn build(leaves: Vec<(B256, Vec<u8>)>, target: Option<B256>) -> (B256, ProofNodes) {
    let Some(target) = target else {
        let mut hb = HashBuilder::default();
        for (key, value) in &leaves {
            hb.add_leaf(Nibbles::unpack(key), value);
        }
        return (if leaves.is_empty() { EMPTY_ROOT_HASH } else { hb.root() }, Vec::new());
    };
    let path = Nibbles::unpack(target);
    let mut hb = HashBuilder::default().with_proof_retainer(ProofRetainer::new(vec![path]));
    for (key, value) in &leaves {
        hb.add_leaf(Nibbles::unpack(key), value);
    }
    let root = hb.root();
    let proof = hb.take_proof_nodes().matching_nodes_sorted(&path).into_iter().map(|(_, node)| node).collect();
    (root, proof)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_trie::proof::verify_proof;

    fn state() -> WorldState {
        let mut s = WorldState::default();
        for i in 1..=40u8 {
            s.fund(Address::repeat_byte(i), U256::from(i) * U256::from(1_000_000u64));
        }
        s
    }

    #[test]
    fn empty_state_has_the_empty_root() {
        assert_eq!(state_root(&WorldState::default()), EMPTY_ROOT_HASH);
    }

    #[test]
    fn the_root_matches_alloy_tries_reference_computation() {
        let s = state();
        let expected = alloy_trie::root::state_root_unhashed(s.accounts().map(|(a, acc)| (*a, trie_account(acc))));
        assert_eq!(state_root(&s), expected);
    }

    #[test]
    fn proofs_verify_for_present_and_absent_accounts() {
        let s = state();
        let root = state_root(&s);
        for address in [Address::repeat_byte(7), Address::repeat_byte(0xee)] {
            let (proof, _) = prove(&s, &address, &[]);
            let expected = s.account(&address).map(|a| {
                let mut rlp = Vec::new();
                trie_account(a).encode(&mut rlp);
                rlp
            });
            verify_proof(root, Nibbles::unpack(keccak256(address)), expected, &proof).unwrap();
        }
    }
}
