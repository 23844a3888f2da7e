//! The world state: accounts, their storage and the contract codes, as plain
//! maps that revm reads through [`StateView`] and that blocks update with
//! [`WorldState::apply`].
//!
//! Every sealed block keeps its own [`WorldState`]; accounts sit behind
//! `Arc`s, so a block's state shares every account it did not touch with its
//! parent's and keeping the state at every past block stays cheap. That is
//! what lets `eth_call`, `eth_getBalance` and `eth_getProof` answer at any
//! block number.

use std::collections::{BTreeMap, HashMap};
use std::convert::Infallible;
use std::sync::Arc;

use alloy_primitives::{Address, B256, Bytes, KECCAK256_EMPTY, U256, keccak256};
use revm::DatabaseRef;
use revm::bytecode::Bytecode;
use revm::primitives::AddressMap;
use revm::state::{Account, AccountInfo};

/// One account as the state trie sees it, plus its storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    /// Its nonce.
    pub nonce: u64,
    /// Its balance in wei.
    pub balance: U256,
    /// keccak256 of its code ([`KECCAK256_EMPTY`] for none).
    pub code_hash: B256,
    /// Its non-zero storage slots.
    pub storage: BTreeMap<U256, U256>,
}

impl Default for AccountState {
    fn default() -> Self {
        Self { nonce: 0, balance: U256::ZERO, code_hash: KECCAK256_EMPTY, storage: BTreeMap::new() }
    }
}

/// Accounts and codes at one block.
#[derive(Debug, Clone, Default)]
pub struct WorldState {
    accounts: BTreeMap<Address, Arc<AccountState>>,
    codes: Arc<HashMap<B256, Bytes>>,
}

impl WorldState {
    /// An account, if it exists.
    pub fn account(&self, address: &Address) -> Option<&AccountState> {
        self.accounts.get(address).map(|a| a.as_ref())
    }

    /// Every existing account, in address order.
    pub fn accounts(&self) -> impl Iterator<Item = (&Address, &AccountState)> {
        self.accounts.iter().map(|(a, s)| (a, s.as_ref()))
    }

    /// A storage slot (zero when unset).
    pub fn storage(&self, address: &Address, slot: &U256) -> U256 {
        self.account(address).and_then(|a| a.storage.get(slot).copied()).unwrap_or(U256::ZERO)
    }

    /// The code of an account (empty for none).
    pub fn code(&self, address: &Address) -> Bytes {
        self.account(address).and_then(|a| self.codes.get(&a.code_hash).cloned()).unwrap_or_default()
    }

    /// Credits `amount` to `address`, creating the account (genesis funding).
    pub fn fund(&mut self, address: Address, amount: U256) {
        let account = Arc::make_mut(self.accounts.entry(address).or_default());
        account.balance = account.balance.saturating_add(amount);
    }

    /// Applies the accounts a transaction changed, as revm reports them.
    ///
    /// Follows what a client commits: untouched accounts are skipped; a
    /// self-destructed account and a touched empty one (EIP-161) are
    /// removed; a freshly created account starts from empty storage.
    pub fn apply(&mut self, changes: AddressMap<Account>) {
        for (address, account) in changes {
            if !account.is_touched() {
                continue;
            }
            if account.is_selfdestructed() || account.is_empty() {
                self.accounts.remove(&address);
                continue;
            }
            if let Some(code) = &account.info.code
                && account.info.code_hash != KECCAK256_EMPTY
                && !self.codes.contains_key(&account.info.code_hash)
            {
                Arc::make_mut(&mut self.codes).insert(account.info.code_hash, code.original_bytes());
            }
            let entry = Arc::make_mut(self.accounts.entry(address).or_default());
            if account.is_created() {
                entry.storage.clear();
            }
            entry.nonce = account.info.nonce;
            entry.balance = account.info.balance;
            entry.code_hash = account.info.code_hash;
            for (slot, value) in account.changed_storage_slots() {
                if value.present_value.is_zero() {
                    entry.storage.remove(slot);
                } else {
                    entry.storage.insert(*slot, value.present_value);
                }
            }
        }
    }
}

/// The state revm executes against: a world state plus the hashes of the
/// blocks before the one being executed (for `BLOCKHASH`).
#[derive(Debug)]
pub struct StateView<'a> {
    /// The state to read.
    pub state: &'a WorldState,
    /// Hashes of blocks `0..=n`, indexed by number.
    pub block_hashes: &'a [B256],
}

impl DatabaseRef for StateView<'_> {
    type Error = Infallible;

    fn basic_ref(&self, address: Address) -> Result<Option<AccountInfo>, Self::Error> {
        Ok(self.state.account(&address).map(|a| {
            let code = self.state.codes.get(&a.code_hash).map(|c| Bytecode::new_raw(c.clone()));
            AccountInfo { balance: a.balance, nonce: a.nonce, code_hash: a.code_hash, code, ..Default::default() }
        }))
    }

    fn code_by_hash_ref(&self, code_hash: B256) -> Result<Bytecode, Self::Error> {
        Ok(self.state.codes.get(&code_hash).map(|c| Bytecode::new_raw(c.clone())).unwrap_or_default())
    }

    fn storage_ref(&self, address: Address, index: U256) -> Result<U256, Self::Error> {
        Ok(self.state.storage(&address, &index))
    }

    fn block_hash_ref(&self, number: u64) -> Result<B256, Self::Error> {
        Ok(usize::try_from(number).ok().and_then(|n| self.block_hashes.get(n)).copied().unwrap_or_default())
    }
}

/// keccak256 of `code`, or [`KECCAK256_EMPTY`] for no code.
pub fn code_hash(code: &[u8]) -> B256 {
    if code.is_empty() { KECCAK256_EMPTY } else { keccak256(code) }
}
