//! EIP-1559 transactions: from a dapp's `eth_sendTransaction` object to the
//! signed bytes `eth_sendRawTransaction` takes.
//!
//! 1. [`TxRequest::from_json`] validates what the page sent (`from`, `to`,
//!    `value`, `data`/`input`, optional `gas`, `nonce`, fee fields). Legacy
//!    `gasPrice` is accepted as a cap for both EIP-1559 fee fields.
//! 2. The engine fills what is missing from the network (nonce from
//!    `eth_getTransactionCount(from, "pending")`, gas from `eth_estimateGas`,
//!    fees from the latest block's base fee and `eth_maxPriorityFeePerGas`,
//!    see [`suggest_fees`]) and builds a complete [`Eip1559Tx`].
//! 3. After approval, [`Eip1559Tx::sign`] hashes
//!    `keccak256(0x02 ‖ rlp([chain_id, nonce, max_priority_fee_per_gas,
//!    max_fee_per_gas, gas_limit, to, value, data, access_list]))`, signs it,
//!    and returns `0x02 ‖ rlp([…, y_parity, r, s])`.

use alloy_primitives::{Address, B256, Bytes, U256};
use alloy_rlp::{Encodable, Header};
use serde_json::Value;

use crate::keys::{PrivateKey, keccak256};

/// Why a transaction request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TxError {
    /// The params are not `[ { …transaction… } ]`.
    #[error("eth_sendTransaction takes one transaction object")]
    Shape,
    /// A field is malformed.
    #[error("transaction field {field}: {reason}")]
    Field {
        /// The field name.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// An RPC reply needed to complete the transaction is malformed.
    #[error("the network's answer to {0} is not usable")]
    Rpc(&'static str),
}

/// A transaction as a dapp asked for it (fields it left out are `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxRequest {
    /// The sender (must be an account the origin may use).
    pub from: Address,
    /// The recipient; `None` creates a contract.
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Call data.
    pub data: Bytes,
    /// Gas limit, if the dapp set one.
    pub gas: Option<u64>,
    /// Nonce, if the dapp set one.
    pub nonce: Option<u64>,
    /// EIP-1559 fee cap, if set.
    pub max_fee_per_gas: Option<u128>,
    /// EIP-1559 tip, if set.
    pub max_priority_fee_per_gas: Option<u128>,
}

fn field_err(field: &'static str, reason: impl Into<String>) -> TxError {
    TxError::Field { field, reason: reason.into() }
}

/// Parses a `0x` quantity (no leading zeros required, as wallets accept).
pub fn parse_quantity(value: &Value, field: &'static str) -> Result<U256, TxError> {
    let text = value.as_str().ok_or_else(|| field_err(field, "must be a 0x-prefixed hex string"))?;
    let digits = text.strip_prefix("0x").ok_or_else(|| field_err(field, "must start with 0x"))?;
    if digits.is_empty() || digits.len() > 64 {
        return Err(field_err(field, "must have 1 to 64 hex digits"));
    }
    U256::from_str_radix(digits, 16).map_err(|_| field_err(field, "is not hexadecimal"))
}

fn small<T: TryFrom<U256>>(v: U256, field: &'static str) -> Result<T, TxError> {
    T::try_from(v).map_err(|_| field_err(field, "is too large"))
}

/// Parses a 20-byte hex address (any case; the checksum is not required).
pub fn parse_address(value: &Value, field: &'static str) -> Result<Address, TxError> {
    let text = value.as_str().ok_or_else(|| field_err(field, "must be a hex address"))?;
    let digits = text.strip_prefix("0x").ok_or_else(|| field_err(field, "must start with 0x"))?;
    let mut bytes = [0u8; 20];
    hex::decode_to_slice(digits, &mut bytes).map_err(|_| field_err(field, "must be 20 bytes of hex"))?;
    Ok(Address::from(bytes))
}

impl TxRequest {
    /// Validates `eth_sendTransaction`'s params (`[tx]`).
    pub fn from_params(params: &Value) -> Result<Self, TxError> {
        let tx = params.as_array().and_then(|a| a.first()).filter(|t| t.is_object()).ok_or(TxError::Shape)?;
        let from = parse_address(tx.get("from").ok_or_else(|| field_err("from", "is required"))?, "from")?;
        let to = match tx.get("to") {
            None | Some(Value::Null) => None,
            Some(v) => Some(parse_address(v, "to")?),
        };
        let value = match tx.get("value") {
            None | Some(Value::Null) => U256::ZERO,
            Some(v) => parse_quantity(v, "value")?,
        };
        let data = match tx.get("data").or_else(|| tx.get("input")) {
            None | Some(Value::Null) => Bytes::new(),
            Some(v) => {
                let text = v.as_str().ok_or_else(|| field_err("data", "must be hex"))?;
                let digits = text.strip_prefix("0x").ok_or_else(|| field_err("data", "must start with 0x"))?;
                Bytes::from(hex::decode(digits).map_err(|_| field_err("data", "must be whole bytes of hex"))?)
            }
        };
        if to.is_none() && data.is_empty() {
            return Err(field_err("to", "is required unless data deploys a contract"));
        }
        let opt = |name: &'static str| -> Result<Option<U256>, TxError> {
            match tx.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => parse_quantity(v, name).map(Some),
            }
        };
        let gas = opt("gas")?.or(opt("gasLimit")?).map(|g| small::<u64>(g, "gas")).transpose()?;
        let nonce = opt("nonce")?.map(|n| small::<u64>(n, "nonce")).transpose()?;
        let gas_price = opt("gasPrice")?.map(|g| small::<u128>(g, "gasPrice")).transpose()?;
        let max_fee = opt("maxFeePerGas")?.map(|g| small::<u128>(g, "maxFeePerGas")).transpose()?.or(gas_price);
        let tip = opt("maxPriorityFeePerGas")?.map(|g| small::<u128>(g, "maxPriorityFeePerGas")).transpose()?.or(gas_price);
        if let (Some(cap), Some(tip)) = (max_fee, tip)
            && tip > cap
        {
            return Err(field_err("maxPriorityFeePerGas", "is above maxFeePerGas"));
        }
        Ok(Self { from, to, value, data, gas, nonce, max_fee_per_gas: max_fee, max_priority_fee_per_gas: tip })
    }
}

/// EIP-1559 fees from the latest base fee and the node's suggested tip:
/// `max_fee = 2·base_fee + tip` (stays valid through six full blocks).
pub fn suggest_fees(base_fee: u128, tip: u128) -> (u128, u128) {
    (base_fee.saturating_mul(2).saturating_add(tip), tip)
}

/// A complete EIP-1559 (type 2) transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eip1559Tx {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Sender's nonce.
    pub nonce: u64,
    /// Tip per gas.
    pub max_priority_fee_per_gas: u128,
    /// Fee cap per gas.
    pub max_fee_per_gas: u128,
    /// Gas limit.
    pub gas_limit: u64,
    /// Recipient (`None`: contract creation).
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Call data.
    pub data: Bytes,
}

impl Eip1559Tx {
    fn fields_length(&self) -> usize {
        self.chain_id.length()
            + self.nonce.length()
            + self.max_priority_fee_per_gas.length()
            + self.max_fee_per_gas.length()
            + self.gas_limit.length()
            + self.to.map_or(1, |a| a.length())
            + self.value.length()
            + self.data.length()
            + 1 // empty access list
    }

    fn encode_fields(&self, out: &mut Vec<u8>) {
        self.chain_id.encode(out);
        self.nonce.encode(out);
        self.max_priority_fee_per_gas.encode(out);
        self.max_fee_per_gas.encode(out);
        self.gas_limit.encode(out);
        match self.to {
            Some(to) => to.encode(out),
            None => out.push(alloy_rlp::EMPTY_STRING_CODE),
        }
        self.value.encode(out);
        self.data.encode(out);
        out.push(alloy_rlp::EMPTY_LIST_CODE);
    }

    /// The hash that is signed.
    pub fn signing_hash(&self) -> B256 {
        let mut out = vec![0x02];
        Header { list: true, payload_length: self.fields_length() }.encode(&mut out);
        self.encode_fields(&mut out);
        keccak256(out)
    }

    /// Signs and returns the raw transaction (`0x02 ‖ rlp(…)`) and its hash.
    pub fn sign(&self, key: &PrivateKey) -> (Bytes, B256) {
        let sig = key.sign_digest(&self.signing_hash());
        let r = U256::from_be_bytes(sig.r);
        let s = U256::from_be_bytes(sig.s);
        let y = sig.y_parity;
        let payload = self.fields_length() + y.length() + r.length() + s.length();
        let mut out = vec![0x02];
        Header { list: true, payload_length: payload }.encode(&mut out);
        self.encode_fields(&mut out);
        y.encode(&mut out);
        r.encode(&mut out);
        s.encode(&mut out);
        let hash = keccak256(&out);
        (Bytes::from(out), hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_consensus::transaction::RlpEcdsaDecodableTx;
    use serde_json::json;

    const KEY0: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    fn tx(to: Option<Address>, data: &[u8]) -> Eip1559Tx {
        Eip1559Tx {
            chain_id: 31337,
            nonce: 7,
            max_priority_fee_per_gas: 1_000_000_000,
            max_fee_per_gas: 3_000_000_000,
            gas_limit: 21_000,
            to,
            value: U256::from(10u64).pow(U256::from(18u64)),
            data: Bytes::copy_from_slice(data),
        }
    }

    /// Cross-checked with an independent implementation (alloy-consensus):
    /// it decodes our bytes, gets our fields and hash, and recovers our signer.
    #[test]
    fn signed_bytes_decode_in_alloy_and_recover_the_sender() {
        let key = PrivateKey::from_hex(KEY0).expect("key");
        let to = Address::from([0x11; 20]);
        for t in [tx(Some(to), &[]), tx(Some(to), &[0xa9, 0x05, 0x9c, 0xbb, 0, 1]), tx(None, &[0x60, 0x80])] {
            let (raw, hash) = t.sign(&key);
            assert_eq!(raw[0], 0x02);
            let mut slice = &raw[1..];
            let decoded = alloy_consensus::TxEip1559::rlp_decode_signed(&mut slice).expect("alloy decodes it");
            assert!(slice.is_empty());
            assert_eq!(decoded.tx().chain_id, t.chain_id);
            assert_eq!(decoded.tx().nonce, t.nonce);
            assert_eq!(decoded.tx().gas_limit, t.gas_limit);
            assert_eq!(decoded.tx().max_fee_per_gas, t.max_fee_per_gas);
            assert_eq!(decoded.tx().value, t.value);
            assert_eq!(decoded.tx().input, t.data);
            assert_eq!(decoded.tx().to.to().copied(), t.to);
            assert_eq!(*decoded.hash(), hash);
            assert_eq!(decoded.signature_hash(), t.signing_hash());
            assert_eq!(decoded.recover_signer().expect("recovers"), key.address());
        }
    }

    #[test]
    fn dapp_requests_are_validated() {
        let from = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
        let ok = TxRequest::from_params(&json!([{"from": from, "to": from, "value": "0xde0b6b3a7640000", "gas": "0x5208"}]))
            .expect("valid");
        assert_eq!(ok.value, U256::from(10u64).pow(U256::from(18u64)));
        assert_eq!(ok.gas, Some(21000));
        assert_eq!(ok.nonce, None);
        let legacy = TxRequest::from_params(&json!([{"from": from, "to": from, "gasPrice": "0x10"}])).expect("valid");
        assert_eq!((legacy.max_fee_per_gas, legacy.max_priority_fee_per_gas), (Some(16), Some(16)));
        let bad = |tx: Value| TxRequest::from_params(&json!([tx])).unwrap_err();
        assert!(matches!(bad(json!({"to": from})), TxError::Field { field: "from", .. }));
        assert!(matches!(bad(json!({"from": "0x12", "to": from})), TxError::Field { field: "from", .. }));
        assert!(matches!(bad(json!({"from": from, "to": from, "value": "12"})), TxError::Field { field: "value", .. }));
        assert!(matches!(bad(json!({"from": from})), TxError::Field { field: "to", .. }));
        assert!(matches!(bad(json!({"from": from, "to": from, "data": "0xabc"})), TxError::Field { field: "data", .. }));
        assert!(matches!(
            bad(json!({"from": from, "to": from, "maxFeePerGas": "0x1", "maxPriorityFeePerGas": "0x2"})),
            TxError::Field { field: "maxPriorityFeePerGas", .. }
        ));
        assert_eq!(TxRequest::from_params(&json!("x")).unwrap_err(), TxError::Shape);
        assert_eq!(suggest_fees(10, 2), (22, 2));
    }
}
