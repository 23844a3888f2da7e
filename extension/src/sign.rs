//! Message signatures: `personal_sign` (EIP-191) and `eth_signTypedData_v4`
//! (EIP-712).
//!
//! Both parse the page's params into a [`SignRequest`] first, so the
//! approval view can show exactly what will be signed, and the digest is
//! computed from that parsed form (never re-read from the page).
//!
//! - `personal_sign(data, address)`: `data` is hex bytes (`0x…`) or, if not
//!   valid hex, UTF-8 text as MetaMask accepts; the digest is
//!   `keccak256("\x19Ethereum Signed Message:\n" ‖ len ‖ data)`.
//! - `eth_signTypedData_v4(address, typedData)`: `typedData` is the JSON
//!   object or its string; the digest is EIP-712's
//!   `keccak256(0x1901 ‖ domainSeparator ‖ hashStruct(message))`, computed by
//!   alloy's EIP-712 implementation. A domain `chainId` that is not the
//!   selected chain is refused, as MetaMask does.

use alloy_dyn_abi::TypedData;
use alloy_primitives::{Address, B256};
use serde_json::Value;

use crate::keys::keccak256;
use crate::tx::parse_address;

/// Why a signature request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    /// The params do not have the method's shape.
    #[error("{0}")]
    Shape(&'static str),
    /// The typed data is not valid EIP-712.
    #[error("the typed data is not valid EIP-712: {0}")]
    TypedData(String),
    /// The domain names another chain.
    #[error("the typed data is for chain {domain}, but the wallet is on chain {selected}")]
    WrongChain {
        /// The domain's chain id.
        domain: u64,
        /// The selected chain id.
        selected: u64,
    },
}

/// What a page asked to sign, parsed.
#[derive(Debug, Clone, PartialEq)]
pub enum SignRequest {
    /// `personal_sign`.
    Personal {
        /// The signing account.
        address: Address,
        /// The message bytes.
        message: Vec<u8>,
    },
    /// `eth_signTypedData_v4`.
    TypedData {
        /// The signing account.
        address: Address,
        /// The typed data (boxed: it is large).
        data: Box<TypedData>,
    },
}

/// EIP-191 version 0x45 digest of `message`.
pub fn personal_digest(message: &[u8]) -> B256 {
    let mut buf = format!("\x19Ethereum Signed Message:\n{}", message.len()).into_bytes();
    buf.extend_from_slice(message);
    keccak256(buf)
}

impl SignRequest {
    /// Parses `personal_sign` params `[data, address]`.
    pub fn personal(params: &Value) -> Result<Self, SignError> {
        let shape = "personal_sign takes [message, address]";
        let p = params.as_array().filter(|p| p.len() >= 2).ok_or(SignError::Shape(shape))?;
        let text = p[0].as_str().ok_or(SignError::Shape(shape))?;
        let address = parse_address(&p[1], "address").map_err(|_| SignError::Shape(shape))?;
        let message = text
            .strip_prefix("0x")
            .and_then(|h| hex::decode(h).ok())
            .unwrap_or_else(|| text.as_bytes().to_vec());
        Ok(Self::Personal { address, message })
    }

    /// Parses `eth_signTypedData_v4` params `[address, typedData]`.
    pub fn typed_data(params: &Value, selected_chain: u64) -> Result<Self, SignError> {
        let shape = "eth_signTypedData_v4 takes [address, typedData]";
        let p = params.as_array().filter(|p| p.len() >= 2).ok_or(SignError::Shape(shape))?;
        let address = parse_address(&p[0], "address").map_err(|_| SignError::Shape(shape))?;
        let data: TypedData = match &p[1] {
            Value::String(s) => serde_json::from_str(s),
            v => serde_json::from_value(v.clone()),
        }
        .map_err(|e| SignError::TypedData(e.to_string()))?;
        if let Some(chain) = data.domain.chain_id {
            let chain: u64 = chain.try_into().map_err(|_| SignError::TypedData("chainId is too large".into()))?;
            if chain != selected_chain {
                return Err(SignError::WrongChain { domain: chain, selected: selected_chain });
            }
        }
        // Compute once now so an unhashable message is refused before any prompt.
        data.eip712_signing_hash().map_err(|e| SignError::TypedData(e.to_string()))?;
        Ok(Self::TypedData { address, data: Box::new(data) })
    }

    /// The account asked to sign.
    pub fn address(&self) -> Address {
        match self {
            Self::Personal { address, .. } | Self::TypedData { address, .. } => *address,
        }
    }

    /// The digest to sign.
    pub fn digest(&self) -> Result<B256, SignError> {
        match self {
            Self::Personal { message, .. } => Ok(personal_digest(message)),
            Self::TypedData { data, .. } => data.eip712_signing_hash().map_err(|e| SignError::TypedData(e.to_string())),
        }
    }

    /// What the approval view shows: the text (or hex) of a message, or the
    /// typed data's domain, primary type and message.
    pub fn display(&self) -> Value {
        match self {
            Self::Personal { message, .. } => match std::str::from_utf8(message) {
                Ok(text) => serde_json::json!({"kind": "message", "text": text}),
                Err(_) => serde_json::json!({"kind": "message", "hex": format!("0x{}", hex::encode(message))}),
            },
            Self::TypedData { data, .. } => serde_json::json!({
                "kind": "typedData",
                "primaryType": data.primary_type,
                "domain": data.domain,
                "message": data.message,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::{PrivateKey, Signature};
    use serde_json::json;

    /// The example of EIP-712 itself (Example.js in the EIP): its digest, and
    /// the signature by the key keccak256("cow").
    #[test]
    fn eip712_spec_example() {
        let typed = json!({
            "types": {
                "EIP712Domain": [
                    {"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                    {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}
                ],
                "Person": [{"name": "name", "type": "string"}, {"name": "wallet", "type": "address"}],
                "Mail": [{"name": "from", "type": "Person"}, {"name": "to", "type": "Person"}, {"name": "contents", "type": "string"}]
            },
            "primaryType": "Mail",
            "domain": {"name": "Ether Mail", "version": "1", "chainId": 1, "verifyingContract": "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
            "message": {
                "from": {"name": "Cow", "wallet": "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                "to": {"name": "Bob", "wallet": "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                "contents": "Hello, Bob!"
            }
        });
        let key = PrivateKey::from_bytes(&keccak256(b"cow").0).expect("key");
        assert_eq!(key.address().to_checksum(None), "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
        let as_string = json!([format!("{:#x}", key.address()), typed.to_string()]);
        let req = SignRequest::typed_data(&as_string, 1).expect("valid typed data");
        let digest = req.digest().expect("hashes");
        assert_eq!(format!("{digest:#x}"), "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2");
        let sig = key.sign_digest(&digest);
        assert_eq!(hex::encode(sig.r), "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d");
        assert_eq!(hex::encode(sig.s), "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562");
        assert_eq!(sig.to_rsv()[64], 28);
        assert_eq!(Signature::from_rsv(&sig.to_rsv()).and_then(|s| s.recover(&digest)), Ok(key.address()));
        // The same data for another chain is refused before any prompt.
        assert_eq!(
            SignRequest::typed_data(&json!(["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", typed]), 31337).unwrap_err(),
            SignError::WrongChain { domain: 1, selected: 31337 }
        );
        assert!(matches!(
            SignRequest::typed_data(&json!(["0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826", "{\"types\": 1}"]), 1),
            Err(SignError::TypedData(_))
        ));
    }

    #[test]
    fn personal_sign_hashes_per_eip191() {
        // ethers' documented hashMessage("Hello World").
        assert_eq!(
            format!("{:#x}", personal_digest(b"Hello World")),
            "0xa1de988600a42c4b4ab089b619297c17d53cffae5d5120d82d8a92d0bb3b78f2"
        );
        let addr = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
        let hexed = SignRequest::personal(&json!(["0x48656c6c6f20576f726c64", addr])).expect("valid");
        let texted = SignRequest::personal(&json!(["Hello World", addr])).expect("valid");
        assert_eq!(hexed, texted);
        assert_eq!(hexed.display(), json!({"kind": "message", "text": "Hello World"}));
        assert!(matches!(SignRequest::personal(&json!(["0x00"])), Err(SignError::Shape(_))));
        assert!(matches!(SignRequest::personal(&json!(["hi", "nope"])), Err(SignError::Shape(_))));
    }
}
