//! What the engine answers, as typed values the views show.
//!
//! The engine (extension crate) writes these shapes in `wallet.rs`,
//! `wallet/own.rs` and `verified.rs`; here they are read once, checked, and
//! turned into types, so a view never digs in raw JSON and a malformed
//! answer is one error with a reason instead of a blank field.

use serde::Deserialize;
use serde_json::Value;

use crate::format::address::Address;

/// A network as the engine lists it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkInfo {
    /// `0x` hex chain id.
    pub chain_id: String,
    /// Display name.
    pub name: String,
    /// RPC endpoint (only for the selected network).
    #[serde(default)]
    pub rpc_url: Option<String>,
}

impl NetworkInfo {
    /// The chain id as a number (0 if the engine sent garbage).
    pub fn chain_number(&self) -> u64 {
        u64::from_str_radix(self.chain_id.trim_start_matches("0x"), 16).unwrap_or(0)
    }

    /// The native token's symbol: 0G's chains use `0G`, others `ETH`.
    pub fn symbol(&self) -> &'static str {
        match self.chain_number() {
            16661 | 16602 => "0G",
            _ => "ETH",
        }
    }
}

/// An account entry.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AccountInfo {
    /// Its address, lower-case hex as the engine writes it.
    pub address: String,
    /// `{type: "hd", index}` or `{type: "imported", index}`.
    pub source: AccountSource,
}

/// Where an account's key comes from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum AccountSource {
    /// Derived from the phrase.
    Hd {
        /// `m/44'/60'/0'/0/index`.
        index: u32,
    },
    /// An imported key.
    Imported {
        /// Order of import.
        index: usize,
    },
}

impl AccountInfo {
    /// "Account 2" for HD accounts, "Imported 1" for imported keys.
    pub fn label(&self) -> String {
        match self.source {
            AccountSource::Hd { index } => format!("Account {}", index + 1),
            AccountSource::Imported { index } => format!("Imported {}", index + 1),
        }
    }

    /// The parsed address (`None` if the engine sent garbage).
    pub fn parsed(&self) -> Option<Address> {
        Address::parse(&self.address).ok()
    }
}

/// The engine's `status` command answer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletStatus {
    /// Is there a vault.
    pub initialized: bool,
    /// Is it open.
    pub unlocked: bool,
    /// The selected network.
    pub network: NetworkInfo,
    /// Every known network.
    pub networks: Vec<NetworkInfo>,
    /// Accounts (empty while locked).
    pub accounts: Vec<AccountInfo>,
    /// Idle minutes before auto-lock.
    pub auto_lock_minutes: f64,
    /// Requests waiting for the user.
    pub pending_approvals: usize,
}

impl WalletStatus {
    /// Reads a `status` reply.
    pub fn from_value(value: &Value) -> Result<Self, String> {
        serde_json::from_value(value.clone()).map_err(|e| format!("the engine's status cannot be read: {e}"))
    }

    /// `empty`, `locked` or `unlocked` (the shell's `data-state`).
    pub fn state_name(&self) -> &'static str {
        if !self.initialized {
            "empty"
        } else if self.unlocked {
            "unlocked"
        } else {
            "locked"
        }
    }
}

/// One balance, verified or not.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Reading {
    /// The account.
    pub address: String,
    /// Wei, decimal.
    pub balance: String,
    /// How it was checked.
    pub verification: ReadingCheck,
}

/// `verified.rs`'s verification.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "status", rename_all = "camelCase")]
pub enum ReadingCheck {
    /// Checked against a verified header at `block`.
    Verified {
        /// The block.
        block: u64,
    },
    /// The RPC's word, and why.
    Unverified {
        /// Why not verified.
        reason: String,
    },
}

/// One sent transaction.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ActivityEntry {
    /// Hash.
    pub hash: String,
    /// Sender.
    pub from: String,
    /// `sent`, `confirmed` or `failed`.
    pub status: String,
    /// Recipient.
    #[serde(default)]
    pub to: Option<String>,
    /// Wei, decimal.
    #[serde(default)]
    pub value: Option<String>,
    /// Block of the receipt.
    #[serde(default)]
    pub block: Option<u64>,
}

/// Reads a list answer (`readings`, `activity`).
pub fn list<T: for<'de> Deserialize<'de>>(value: &Value, what: &str) -> Result<Vec<T>, String> {
    serde_json::from_value(value.clone()).map_err(|e| format!("the engine's {what} cannot be read: {e}"))
}

/// Wei in decimal as ether text with a unit (exact, truncated at 6 digits).
pub fn ether(decimal_wei: &str, symbol: &str) -> String {
    if decimal_wei.is_empty() || !decimal_wei.bytes().all(|b| b.is_ascii_digit()) {
        return "unknown amount".into();
    }
    format!("{} {symbol}", crate::format::amount::format_units(decimal_wei, 18, 6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn status_readings_and_activity_are_read() {
        let status = json!({
            "initialized": true, "unlocked": false,
            "network": {"chainId": "0x7a69", "name": "Aloft devnet", "rpcUrl": "http://127.0.0.1:8545"},
            "networks": [{"chainId": "0x7a69", "name": "Aloft devnet"}, {"chainId": "0x4115", "name": "0G mainnet"}],
            "accounts": [], "autoLockMinutes": 15.0, "pendingApprovals": 0, "history": []
        });
        let s = WalletStatus::from_value(&status).expect("reads");
        assert_eq!(s.state_name(), "locked");
        assert_eq!(s.networks[1].symbol(), "0G");
        assert_eq!(s.network.chain_number(), 31337);
        assert!(WalletStatus::from_value(&json!({"initialized": true})).unwrap_err().contains("cannot be read"));
        let readings: Vec<Reading> = list(
            &json!([{"address": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "balance": "1500000000000000000",
                     "verification": {"status": "unverified", "reason": "no header"}}]),
            "balances",
        )
        .expect("reads");
        assert_eq!(ether(&readings[0].balance, "ETH"), "1.5 ETH");
        assert!(matches!(readings[0].verification, ReadingCheck::Unverified { .. }));
        assert_eq!(ether("0x12", "ETH"), "unknown amount");
        let account = AccountInfo { address: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".into(), source: AccountSource::Imported { index: 0 } };
        assert_eq!(account.label(), "Imported 1");
        assert!(account.parsed().is_some());
    }
}
