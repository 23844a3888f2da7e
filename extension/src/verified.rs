//! Verified reads: whether a balance or nonce shown to the user was checked.
//!
//! The service worker runs the light client (the verifier package's
//! `HeaderClient`): it syncs BLS-verified headers and proves each account
//! with `eth_getProof` against a verified header's state root. The engine
//! reads the balance the RPC reports *at that same block* and asks a
//! [`StateVerifier`] for the verdict: [`Proven`] marks it verified only when
//! the proof and the RPC agree, and says what disagreed otherwise;
//! [`NoVerifier`] (no light client, or it could not prove) keeps the RPC's
//! word marked unverified with the reason.

use alloy_primitives::{Address, U256};
use serde::Serialize;

/// The verdict on one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "camelCase")]
#[non_exhaustive]
pub enum Verification {
    /// Checked by a state proof against a verified header.
    Verified {
        /// The verified block number the proof is against.
        block: u64,
    },
    /// Shown as the RPC reported it.
    Unverified {
        /// Why it is not verified.
        reason: String,
    },
}

/// An account reading as the view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountReading {
    /// The account.
    pub address: Address,
    /// Its balance in wei, decimal.
    pub balance: String,
    /// Whether it was verified.
    pub verification: Verification,
}

/// Decides whether an account reading is verified.
pub trait StateVerifier {
    /// The verdict on `balance` of `address` as the RPC reported it.
    fn verify_balance(&self, address: Address, balance: U256) -> Verification;
}

/// The verifier used until the light client runs in the worker.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoVerifier;

impl StateVerifier for NoVerifier {
    fn verify_balance(&self, _address: Address, _balance: U256) -> Verification {
        Verification::Unverified { reason: "no verified header yet: the light client is not running".into() }
    }
}

/// An account proven by the light client: its balance in the state of the
/// EVM block of verified header `height`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenAccount {
    /// The verified header (= EVM block number) the proof is against.
    pub height: u64,
    /// The proven balance, wei.
    pub balance: U256,
}

/// The verdict against a light-client proof of the same block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proven(pub ProvenAccount);

impl StateVerifier for Proven {
    fn verify_balance(&self, _address: Address, balance: U256) -> Verification {
        let proven = &self.0;
        if proven.balance == balance {
            Verification::Verified { block: proven.height }
        } else {
            Verification::Unverified {
                reason: format!(
                    "the RPC says {balance} wei at block {}, but the state proof against verified header {} says {} wei",
                    proven.height, proven.height, proven.balance
                ),
            }
        }
    }
}

/// Unverified, with the light client's reason (it did not run or could not prove).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotProven(pub String);

impl StateVerifier for NotProven {
    fn verify_balance(&self, _address: Address, _balance: U256) -> Verification {
        Verification::Unverified { reason: format!("not verified: {}", self.0) }
    }
}

/// Builds the reading the view shows.
pub fn reading(verifier: &dyn StateVerifier, address: Address, balance: U256) -> AccountReading {
    AccountReading { address, balance: balance.to_string(), verification: verifier.verify_balance(address, balance) }
}

/// A token owner proven by the light client: the ERC-721 `_owners` slot
/// against the state root of verified header `height`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenOwner {
    /// The verified header the proof is against.
    pub height: u64,
    /// The proven owner.
    pub owner: Address,
}

/// The verdict on the owner the RPC reported for a token: verified only when
/// the light client proved the same owner; otherwise the reason.
pub fn owner_verdict(rpc_owner: Address, proven: Result<&ProvenOwner, &str>) -> Verification {
    match proven {
        Ok(p) if p.owner == rpc_owner => Verification::Verified { block: p.height },
        Ok(p) => Verification::Unverified {
            reason: format!("the RPC says {rpc_owner}, but verified header {} proves {}", p.height, p.owner),
        },
        Err(why) => Verification::Unverified { reason: format!("not verified: {why}") },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_is_verified_only_when_the_proof_names_it() {
        let alice = Address::repeat_byte(0xa1);
        let bob = Address::repeat_byte(0xb0);
        let proven = ProvenOwner { height: 9, owner: alice };
        assert_eq!(owner_verdict(alice, Ok(&proven)), Verification::Verified { block: 9 });
        let Verification::Unverified { reason } = owner_verdict(bob, Ok(&proven)) else { panic!("a different owner must not verify") };
        let lower = reason.to_lowercase();
        assert!(lower.starts_with("the rpc says 0xb0b0") && lower.contains("verified header 9 proves 0xa1a1"), "{reason}");
        assert_eq!(owner_verdict(alice, Err("no header API")), Verification::Unverified { reason: "not verified: no header API".into() });
    }

    #[test]
    fn balances_are_unverified_until_the_light_client_runs() {
        let r = reading(&NoVerifier, Address::ZERO, U256::from(5u8));
        assert_eq!(r.balance, "5");
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["verification"]["status"], "unverified");
    }

    #[test]
    fn a_balance_is_verified_only_when_the_proof_agrees() {
        let proven = Proven(ProvenAccount { height: 7, balance: U256::from(5u8) });
        assert_eq!(reading(&proven, Address::ZERO, U256::from(5u8)).verification, Verification::Verified { block: 7 });
        let Verification::Unverified { reason } = reading(&proven, Address::ZERO, U256::from(6u8)).verification else {
            panic!("a disagreeing RPC must not be verified")
        };
        assert_eq!(reason, "the RPC says 6 wei at block 7, but the state proof against verified header 7 says 5 wei");
        let json = serde_json::to_value(reading(&proven, Address::ZERO, U256::from(5u8))).expect("json");
        assert_eq!(json["verification"], serde_json::json!({"status": "verified", "block": 7}));
    }

    #[test]
    fn a_failed_proof_keeps_the_rpc_word_with_the_reason() {
        let r = reading(&NotProven("the header API did not answer".into()), Address::ZERO, U256::from(1u8));
        assert_eq!(r.verification, Verification::Unverified { reason: "not verified: the header API did not answer".into() });
    }
}
