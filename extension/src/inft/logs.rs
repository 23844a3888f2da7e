//! What event logs say about an account's iNFTs.
//!
//! Listing "my tokens" without an indexer: `eth_getLogs` for ERC-721
//! `Transfer` events of the agent contract that name the account as
//! receiver gives every token it ever received; folding all `Transfer`s of
//! those tokens in chain order gives each one's last receiver. The caller
//! then confirms ownership with `ownerOf` (and, when a verified header is
//! at hand, with a storage proof), so a log answer that lies costs at most
//! a missing entry, never a false one. `PublishedSealedKey` events carry the
//! data keys sealed to a new owner: the receiver side reads them here.

use std::collections::BTreeMap;

use alloy_dyn_abi::DynSolType;
use alloy_primitives::{Address, B256, U256};
use serde_json::Value;

use super::abi::TokenId;
use crate::keys::keccak256;

/// topic0 of `Transfer(address,address,uint256)`.
pub fn transfer_topic() -> B256 {
    keccak256("Transfer(address,address,uint256)")
}

/// topic0 of `PublishedSealedKey(address,uint256,bytes[])`.
pub fn sealed_key_topic() -> B256 {
    keccak256("PublishedSealedKey(address,uint256,bytes[])")
}

/// An address as a 32-byte topic.
pub fn address_topic(a: Address) -> B256 {
    a.into_word()
}

/// Why a log could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LogError {
    /// A field is missing or malformed.
    #[error("an event log from the RPC is malformed: {0}")]
    Malformed(&'static str),
}

fn topics(log: &Value) -> Result<Vec<B256>, LogError> {
    log.get("topics")
        .and_then(Value::as_array)
        .ok_or(LogError::Malformed("topics"))?
        .iter()
        .map(|t| {
            t.as_str()
                .and_then(|s| s.parse::<B256>().ok())
                .ok_or(LogError::Malformed("topic"))
        })
        .collect()
}

fn quantity(log: &Value, field: &'static str) -> Result<u64, LogError> {
    let s = log
        .get(field)
        .and_then(Value::as_str)
        .ok_or(LogError::Malformed(field))?;
    u64::from_str_radix(s.trim_start_matches("0x"), 16).map_err(|_| LogError::Malformed(field))
}

fn data(log: &Value) -> Result<Vec<u8>, LogError> {
    let s = log
        .get("data")
        .and_then(Value::as_str)
        .ok_or(LogError::Malformed("data"))?;
    hex::decode(s.trim_start_matches("0x")).map_err(|_| LogError::Malformed("data"))
}

/// Each token's last receiver, from `Transfer` logs in any order.
pub fn last_receivers(logs: &[Value]) -> Result<BTreeMap<TokenId, Address>, LogError> {
    let mut seen = Vec::new();
    for log in logs {
        let t = topics(log)?;
        if t.len() != 4 || t[0] != transfer_topic() {
            continue;
        }
        let order = (quantity(log, "blockNumber")?, quantity(log, "logIndex")?);
        seen.push((
            order,
            TokenId(U256::from_be_bytes(t[3].0)),
            Address::from_word(t[2]),
        ));
    }
    seen.sort_by_key(|(o, _, _)| *o);
    Ok(seen.into_iter().map(|(_, id, to)| (id, to)).collect())
}

/// A `PublishedSealedKey` event: the keys sealed to `to` for `token`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedKeys {
    /// The new owner.
    pub to: Address,
    /// The token.
    pub token: TokenId,
    /// One sealed data key per intelligent data item.
    pub keys: Vec<Vec<u8>>,
    /// Where it happened (block number).
    pub block: u64,
    /// The transaction that published it (its calldata holds the proofs).
    pub tx: Option<B256>,
}

/// Reads the `PublishedSealedKey` events among `logs`.
pub fn sealed_keys(logs: &[Value]) -> Result<Vec<SealedKeys>, LogError> {
    let mut out = Vec::new();
    for log in logs {
        let t = topics(log)?;
        if t.len() != 3 || t[0] != sealed_key_topic() {
            continue;
        }
        let decoded = DynSolType::Array(Box::new(DynSolType::Bytes))
            .abi_decode(&data(log)?)
            .map_err(|_| LogError::Malformed("sealed keys"))?;
        let keys = decoded
            .as_array()
            .ok_or(LogError::Malformed("sealed keys"))?
            .iter()
            .map(|k| {
                k.as_bytes()
                    .map(<[u8]>::to_vec)
                    .ok_or(LogError::Malformed("sealed key"))
            })
            .collect::<Result<_, _>>()?;
        out.push(SealedKeys {
            to: Address::from_word(t[1]),
            token: TokenId(U256::from_be_bytes(t[2].0)),
            keys,
            block: quantity(log, "blockNumber")?,
            tx: log.get("transactionHash").and_then(Value::as_str).and_then(|h| h.parse().ok()),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_dyn_abi::DynSolValue;
    use serde_json::json;

    fn transfer(block: u64, index: u64, to: Address, id: u64) -> Value {
        json!({
            "topics": [transfer_topic(), B256::ZERO, address_topic(to), B256::from(U256::from(id))],
            "data": "0x", "blockNumber": format!("{block:#x}"), "logIndex": format!("{index:#x}"),
        })
    }

    #[test]
    fn the_last_transfer_wins_whatever_the_order() {
        let a = Address::repeat_byte(1);
        let b = Address::repeat_byte(2);
        let logs = vec![
            transfer(5, 0, b, 1),
            transfer(3, 0, a, 1),
            transfer(3, 1, a, 2),
        ];
        let owners = last_receivers(&logs).expect("reads");
        assert_eq!(owners[&TokenId(U256::from(1))], b);
        assert_eq!(owners[&TokenId(U256::from(2))], a);
        assert!(last_receivers(&[json!({"topics": "x"})]).is_err());
    }

    #[test]
    fn sealed_keys_decode() {
        let to = Address::repeat_byte(3);
        let body = DynSolValue::Array(vec![DynSolValue::Bytes(vec![1, 2, 3])]).abi_encode();
        let log = json!({
            "topics": [sealed_key_topic(), address_topic(to), B256::from(U256::from(4))],
            "data": format!("0x{}", hex::encode(body)), "blockNumber": "0x9", "logIndex": "0x0",
        });
        let got = sealed_keys(&[log]).expect("reads");
        assert_eq!(
            got,
            vec![SealedKeys {
                to,
                token: TokenId(U256::from(4)),
                keys: vec![vec![1, 2, 3]],
                block: 9,
                tx: None
            }]
        );
    }
}
