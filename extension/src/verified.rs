//! Verified reads: whether a balance or nonce shown to the user was checked.
//!
//! The light client (header branch) will verify headers in the service
//! worker and `eth_getProof` account proofs against their state roots. Until
//! that lands, every value the wallet shows comes straight from the RPC and
//! is marked [`Verification::Unverified`] with the reason. The hook is
//! [`StateVerifier`]: the engine asks it about each account reading, and the
//! view shows its verdict next to the value; swapping [`NoVerifier`] for the
//! light client's verifier is the only change needed.

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

/// Builds the reading the view shows.
pub fn reading(verifier: &dyn StateVerifier, address: Address, balance: U256) -> AccountReading {
    AccountReading { address, balance: balance.to_string(), verification: verifier.verify_balance(address, balance) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balances_are_unverified_until_the_light_client_runs() {
        let r = reading(&NoVerifier, Address::ZERO, U256::from(5u8));
        assert_eq!(r.balance, "5");
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["verification"]["status"], "unverified");
    }
}
