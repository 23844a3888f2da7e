//! `Flow.submit` as a signed transaction: how `aloft upload` registers a file
//! root on chain, so the storage peers (which learn roots only from the Flow
//! contract's `Submit` events) accept its segments.
//!
//! The call data and the EIP-1559 signing are the wallet engine's own
//! ([`aloft_extension::inft::abi::flow_submit`], [`Eip1559Tx::sign`]): the
//! CLI and the extension put the same bytes on the wire. This module only
//! fills in what a wallet asks the network for (chain id, pending nonce, gas
//! estimate, fees from the latest base fee), broadcasts with
//! `eth_sendRawTransaction` and polls `eth_getTransactionReceipt` until the
//! transaction is in a block (a reverted one is an error naming its hash).
//!
//! The key comes from `--key` or `ALOFT_KEY`; without one, the devnet's
//! documented funded account 0 (the standard test mnemonic) signs, and only
//! on the devnet's chain id, so a forgotten key never signs for a real chain.

use std::time::{Duration, Instant};

use alloy_primitives::{Address, B256, Bytes, U256};
use aloft_extension::keys::PrivateKey;
use aloft_extension::tx::{Eip1559Tx, parse_address, parse_quantity, suggest_fees};
use aloft_light_client::storage::Submission;
use anyhow::{Context, anyhow, bail};
use serde_json::{Value, json};

/// The devnet's chain id (`devnet/src/config.rs`).
pub const DEVNET_CHAIN_ID: u64 = 31337;

/// Account 0 of the standard test mnemonic `test test … junk`, funded in the
/// devnet's genesis (README, `devnet/src/genesis.rs`).
const DEVNET_DEV_KEY: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/// How long a submitted transaction may take to appear in a block.
const RECEIPT_DEADLINE: Duration = Duration::from_secs(60);

/// Where the signing key comes from.
#[derive(Clone, Debug, Default)]
pub enum KeySource {
    /// `--key` or `ALOFT_KEY`: 64 hex digits, `0x` optional.
    Given(String),
    /// None given: the devnet's funded dev key, on the devnet's chain only.
    #[default]
    DevnetDefault,
}

/// The EVM JSON-RPC endpoint and its Flow contract.
pub struct Chain {
    agent: ureq::Agent,
    rpc: String,
}

/// A mined `Flow.submit`.
#[derive(Clone, Debug)]
pub struct Submitted {
    /// The transaction hash.
    pub tx: B256,
    /// The block it is in.
    pub block: u64,
    /// The signer.
    pub from: Address,
}

impl Chain {
    /// The JSON-RPC endpoint at `rpc` (e.g. `http://127.0.0.1:8545`).
    pub fn new(rpc: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(30)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        Self { agent, rpc: rpc.trim_end_matches('/').to_string() }
    }

    fn call(&self, method: &str, params: Value) -> anyhow::Result<Value> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let mut res = self
            .agent
            .post(&self.rpc)
            .send_json(&body)
            .with_context(|| format!("cannot reach the JSON-RPC endpoint {}", self.rpc))?;
        let text = res.body_mut().read_to_string().unwrap_or_default();
        if res.status() != 200 {
            bail!("{} answered HTTP {} to {method}: {text}", self.rpc, res.status());
        }
        let mut answer: Value = serde_json::from_str(&text).with_context(|| format!("the answer to {method} is not JSON"))?;
        if let Some(error) = answer.get("error") {
            let message = error["message"].as_str().unwrap_or("no message");
            bail!("{method} was refused: {message}");
        }
        Ok(answer["result"].take())
    }

    fn quantity(&self, method: &str, params: Value) -> anyhow::Result<U256> {
        let v = self.call(method, params)?;
        parse_quantity(&v, "result").map_err(|e| anyhow!("the answer to {method} is not a quantity: {e}"))
    }

    /// The Flow contract's address, from the devnet's `GET /contracts`.
    pub fn flow_address(&self) -> anyhow::Result<Address> {
        let url = format!("{}/contracts", self.rpc);
        let mut res = self.agent.get(&url).call().with_context(|| format!("cannot reach {url}"))?;
        if res.status() != 200 {
            bail!("{url} answered HTTP {}: is this an Aloft devnet?", res.status());
        }
        let answer: Value = res.body_mut().read_json().with_context(|| format!("{url} did not answer JSON"))?;
        parse_address(&answer["addresses"]["flow"], "flow").map_err(|e| anyhow!("{url} names no Flow contract: {e}"))
    }

    /// Signs `Flow.submit(submission)` with the key from `key`, sends it and
    /// waits for its receipt.
    pub fn submit(&self, submission: &Submission, key: &KeySource) -> anyhow::Result<Submitted> {
        let chain_id = u64::try_from(self.quantity("eth_chainId", json!([]))?).map_err(|_| anyhow!("the chain id is too large"))?;
        let key = match key {
            KeySource::Given(hex) => PrivateKey::from_hex(hex).map_err(|e| anyhow!("--key/ALOFT_KEY: {e}"))?,
            KeySource::DevnetDefault if chain_id == DEVNET_CHAIN_ID => {
                PrivateKey::from_hex(DEVNET_DEV_KEY).map_err(|e| anyhow!("the devnet dev key: {e}"))?
            }
            KeySource::DevnetDefault => {
                bail!("chain {chain_id} is not the devnet ({DEVNET_CHAIN_ID}): pass the submitting account's key with --key or ALOFT_KEY")
            }
        };
        let flow = self.flow_address()?;
        let from = key.address();
        let data = Bytes::from(aloft_extension::inft::abi::flow_submit(submission));
        let call = json!({"from": from, "to": flow, "data": data});
        let nonce = self.quantity("eth_getTransactionCount", json!([from, "pending"]))?;
        let gas = self.quantity("eth_estimateGas", json!([call]))?;
        let latest = self.call("eth_getBlockByNumber", json!(["latest", false]))?;
        let base_fee = parse_quantity(&latest["baseFeePerGas"], "baseFeePerGas").unwrap_or(U256::ZERO);
        let tip = self.quantity("eth_maxPriorityFeePerGas", json!([]))?;
        let (max_fee, tip) = suggest_fees(base_fee.saturating_to(), tip.saturating_to());
        let tx = Eip1559Tx {
            chain_id,
            nonce: nonce.saturating_to(),
            max_priority_fee_per_gas: tip,
            max_fee_per_gas: max_fee,
            // 20% over the estimate, as wallets do.
            gas_limit: gas.saturating_to::<u64>().saturating_mul(6) / 5,
            to: Some(flow),
            value: U256::ZERO,
            data,
        };
        let (raw, hash) = tx.sign(&key);
        let sent = self.call("eth_sendRawTransaction", json!([raw]))?;
        if sent.as_str().map(str::to_ascii_lowercase) != Some(format!("{hash:#x}")) {
            bail!("the node answered {sent} for transaction {hash:#x}");
        }
        let started = Instant::now();
        loop {
            let receipt = self.call("eth_getTransactionReceipt", json!([hash]))?;
            if !receipt.is_null() {
                let block = parse_quantity(&receipt["blockNumber"], "blockNumber")
                    .map_err(|e| anyhow!("receipt of {hash:#x}: {e}"))?
                    .saturating_to();
                if receipt["status"] != json!("0x1") {
                    bail!("Flow.submit {hash:#x} reverted in block {block}: the contract refused the submission");
                }
                return Ok(Submitted { tx: hash, block, from });
            }
            if started.elapsed() > RECEIPT_DEADLINE {
                bail!("Flow.submit {hash:#x} is not in a block after {}s", RECEIPT_DEADLINE.as_secs());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_key_is_the_devnet_account_zero() {
        let key = PrivateKey::from_hex(DEVNET_DEV_KEY).expect("key");
        assert_eq!(format!("{:#x}", key.address()), "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266");
    }
}
