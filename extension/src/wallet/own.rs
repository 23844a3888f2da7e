//! What the wallet's own pages do beyond commands: send from the Send view,
//! follow sent transactions to their receipts, and tell pages when the
//! network's RPC stops or starts answering.
//!
//! - **Own sends** go through the same approval queue as a dapp's
//!   `eth_sendTransaction`, under the internal origin [`Origin::own_wallet`]
//!   (which no browser sender can have: `Origin::parse` only accepts http(s)),
//!   so the user sees the same decoded view and fees before anything is signed.
//! - **Activity**: [`Wallet::awaiting_receipts`] names the hashes still `sent`
//!   on the selected chain; the worker fetches their receipts and hands them
//!   to [`Wallet::record_receipt`].
//! - **EIP-1193 `disconnect`/`connect`**: "the Provider becomes disconnected
//!   from all chains" is, for Aloft, the selected network's RPC not answering.
//!   [`Wallet::note_reachable`] emits `disconnect` (a `ProviderRpcError` with
//!   code 4900) to every page once when that starts, and `connect` with the
//!   chain id once when it answers again.

use serde_json::{Value, json};

use super::{TxFill, Wallet, err, Step};
use crate::commands::CommandError;
use crate::origin::Origin;
use crate::provider::ProviderError;
use crate::tx::TxRequest;

impl Wallet {
    /// Checks a Send view's transaction (`{from, to, value}` as
    /// `eth_sendTransaction` params) before the worker fetches its fees.
    pub fn own_transaction(&self, params: &Value) -> Result<TxRequest, CommandError> {
        self.require_unlocked()?;
        let tx = TxRequest::from_params(params).map_err(|e| err("badTransaction", e.to_string()))?;
        if !self.state.accounts.iter().any(|a| a.address == tx.from) {
            return Err(err("noAccount", format!("{} is not an account of this wallet", tx.from)));
        }
        if tx.to.is_none() {
            return Err(err("badTransaction", "a send needs a recipient"));
        }
        Ok(tx)
    }

    /// Queues a checked own transaction for approval.
    pub fn queue_own_transaction(&mut self, tx: TxRequest, fill: TxFill) -> Step {
        if self.unlocked.is_none() || !self.state.accounts.iter().any(|a| a.address == tx.from) {
            return Step::Refuse(ProviderError::new(ProviderError::UNAUTHORIZED, "the wallet is locked"));
        }
        self.queue_checked_transaction(Origin::own_wallet(), tx, fill)
    }

    /// Hashes of this chain's transactions that have no receipt yet.
    pub fn awaiting_receipts(&self) -> Vec<String> {
        let chain = self.state.selected;
        self.state.history.iter().filter(|h| h.chain_id == chain && h.status == "sent").map(|h| h.hash.clone()).collect()
    }

    /// Records what an `eth_getTransactionReceipt` answer says about `hash`
    /// (`null`: still pending, nothing changes). A receipt without a readable
    /// status or block is ignored rather than guessed.
    pub fn record_receipt(&mut self, hash: &str, receipt: &Value) {
        let status = match receipt.get("status").and_then(Value::as_str) {
            Some("0x1") => "confirmed",
            Some("0x0") => "failed",
            _ => return,
        };
        let block = receipt.get("blockNumber").and_then(Value::as_str).and_then(|b| u64::from_str_radix(b.trim_start_matches("0x"), 16).ok());
        let Some(entry) = self.state.history.iter_mut().find(|h| h.hash.eq_ignore_ascii_case(hash)) else { return };
        entry.status = status.into();
        entry.block = block;
        self.save_state();
    }

    /// This chain's history, newest first, for the Home view.
    pub fn activity(&self) -> Value {
        let chain = self.state.selected;
        json!(self.state.history.iter().rev().filter(|h| h.chain_id == chain).collect::<Vec<_>>())
    }

    /// The selected network's RPC answered (`true`) or could not be reached.
    pub fn note_reachable(&mut self, reachable: bool) {
        if reachable == self.reachable {
            return;
        }
        self.reachable = reachable;
        if reachable {
            let chain = self.network().chain_id.to_hex();
            self.emit(None, "connect", json!({"chainId": chain}));
        } else {
            let message = format!("Aloft cannot reach the RPC of {}", self.network().name);
            self.emit(None, "disconnect", json!({"code": ProviderError::DISCONNECTED, "message": message}));
        }
    }

    /// Whether the last RPC exchange succeeded.
    pub fn is_reachable(&self) -> bool {
        self.reachable
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::tests::{imported_for_own, ACCOUNT1_FOR_OWN};
    use crate::commands::{Command, Effect, Outcome};
    use crate::wallet::{Step, TxFill};

    const FILL: TxFill = TxFill { nonce: 0, gas: 21_000, base_fee: 1_000_000_000, tip: 1_000_000_000 };

    #[test]
    fn own_send_is_approved_like_a_dapp_send_and_followed_to_its_receipt() {
        let mut w = imported_for_own();
        let from = w.state.accounts[0].address;
        let params = json!([{"from": from, "to": ACCOUNT1_FOR_OWN, "value": "0x10"}]);
        let tx = w.own_transaction(&params).expect("valid send");
        let Step::Wait(id) = w.queue_own_transaction(tx, FILL) else { panic!("queued") };
        let view = w.approval_view();
        assert_eq!(view["origin"], "aloft://wallet");
        assert_eq!(view["originWarning"], serde_json::Value::Null);
        assert_eq!(view["detail"]["type"], "transaction");
        let (_, done) = w.command(Command::Resolve { id, approve: true }).expect("resolves");
        let Outcome::Broadcast { hash, .. } = &done[0].1 else { panic!("signed: {:?}", done[0].1) };
        w.record_sent(hash, from, Some(from), alloy_primitives::U256::from(16));
        assert_eq!(w.awaiting_receipts(), vec![hash.clone()]);
        w.record_receipt(hash, &serde_json::Value::Null);
        assert_eq!(w.awaiting_receipts().len(), 1, "no receipt yet: still sent");
        w.record_receipt(hash, &json!({"status": "0x1", "blockNumber": "0x2a"}));
        assert!(w.awaiting_receipts().is_empty());
        assert_eq!(w.activity()[0]["status"], "confirmed");
        assert_eq!(w.activity()[0]["block"], 42);
        assert_eq!(w.activity()[0]["value"], "16");
    }

    #[test]
    fn own_sends_are_checked() {
        let mut w = imported_for_own();
        assert_eq!(w.own_transaction(&json!([{"from": ACCOUNT1_FOR_OWN, "to": ACCOUNT1_FOR_OWN}])).unwrap_err().code, "noAccount");
        assert_eq!(w.own_transaction(&json!([{"from": "0x12"}])).unwrap_err().code, "badTransaction");
        w.command(Command::Lock).expect("locks");
        assert_eq!(w.own_transaction(&json!([{"from": ACCOUNT1_FOR_OWN, "to": ACCOUNT1_FOR_OWN}])).unwrap_err().code, "locked");
    }

    #[test]
    fn disconnect_4900_once_when_the_rpc_goes_away_and_connect_when_it_returns() {
        let mut w = imported_for_own();
        w.take_effects();
        w.note_reachable(true);
        assert!(w.take_effects().is_empty(), "no event while nothing changes");
        w.note_reachable(false);
        w.note_reachable(false);
        let effects = w.take_effects();
        assert_eq!(effects.len(), 1, "{effects:?}");
        let Effect::Emit { origin, event, data } = &effects[0] else { panic!("{effects:?}") };
        assert_eq!((origin, event.as_str(), &data["code"]), (&None, "disconnect", &json!(4900)));
        assert!(!w.is_reachable());
        w.note_reachable(true);
        let effects = w.take_effects();
        assert!(matches!(&effects[..], [Effect::Emit { event, data, .. }] if event == "connect" && data["chainId"] == "0x7a69"), "{effects:?}");
    }
}
