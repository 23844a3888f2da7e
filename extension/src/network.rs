//! Networks the wallet can talk to.
//!
//! The devnet is the default: it is what the demo and the tests run against,
//! and it is on loopback, so a fresh install works with nothing else running
//! but `cargo xtask demo`. Presets: 0G mainnet (chain 16661) and the 0G
//! Galileo testnet. Galileo's id is 16602: 0G's older docs say 16601, but
//! the current chain (viem's `zeroGTestnet`, BitGo's October 2025 change,
//! RPC providers' listings) answers 16602. Users add custom networks with
//! `wallet_addEthereumChain` (EIP-3085), validated by [`Network::from_eip3085`].

use serde::{Deserialize, Serialize};

/// An EIP-155 chain id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ChainId(pub u64);

impl ChainId {
    /// As EIP-1193's `eth_chainId` returns it: `0x`-prefixed hex, no leading zeros.
    pub fn to_hex(self) -> String {
        format!("{:#x}", self.0)
    }
}

/// A network the wallet can select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Network {
    /// EIP-155 chain id.
    pub chain_id: ChainId,
    /// Name shown to the user.
    pub name: String,
    /// The JSON-RPC endpoint read-only calls are forwarded to.
    pub rpc_url: String,
}

/// Why an EIP-3085 network description was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// A field is missing or malformed.
    #[error("wallet_addEthereumChain: {0}")]
    Field(String),
}

impl ChainId {
    /// Parses EIP-1193's hex form (`0x…`, no leading zeros, below 2^53 per EIP-3085).
    pub fn from_hex(text: &str) -> Option<Self> {
        let digits = text.strip_prefix("0x")?;
        if digits.is_empty() || digits.len() > 14 || (digits.len() > 1 && digits.starts_with('0')) {
            return None;
        }
        let id = u64::from_str_radix(digits, 16).ok()?;
        (id > 0 && id < (1 << 53)).then_some(Self(id))
    }
}

impl Network {
    /// 0G mainnet.
    pub fn zero_g_mainnet() -> Self {
        Self { chain_id: ChainId(16661), name: "0G Mainnet".into(), rpc_url: "https://evmrpc.0g.ai".into() }
    }

    /// 0G Galileo testnet (chain 16602; see the module doc).
    pub fn zero_g_galileo() -> Self {
        Self { chain_id: ChainId(16602), name: "0G Galileo Testnet".into(), rpc_url: "https://evmrpc-testnet.0g.ai".into() }
    }

    /// The networks a new wallet knows: the devnet first (selected), then 0G's.
    pub fn presets() -> Vec<Self> {
        vec![Self::devnet(), Self::zero_g_mainnet(), Self::zero_g_galileo()]
    }

    /// Reads `wallet_addEthereumChain`'s parameter object (EIP-3085).
    pub fn from_eip3085(params: &serde_json::Value) -> Result<Self, NetworkError> {
        let field = |m: &str| NetworkError::Field(m.to_string());
        let p = params.as_array().and_then(|a| a.first()).unwrap_or(params);
        let chain_id = p
            .get("chainId")
            .and_then(|c| c.as_str())
            .and_then(ChainId::from_hex)
            .ok_or_else(|| field("chainId must be 0x-hex without leading zeros, between 1 and 2^53"))?;
        let name = p.get("chainName").and_then(|n| n.as_str()).map(str::trim).unwrap_or_default();
        if name.is_empty() || name.len() > 64 || name.chars().any(char::is_control) {
            return Err(field("chainName must be 1 to 64 printable characters"));
        }
        let rpc_url = p
            .get("rpcUrls")
            .and_then(|u| u.as_array())
            .and_then(|u| u.first())
            .and_then(|u| u.as_str())
            .ok_or_else(|| field("rpcUrls must list at least one URL"))?;
        let scheme_ok = rpc_url.starts_with("https://")
            || rpc_url.starts_with("http://127.0.0.1")
            || rpc_url.starts_with("http://localhost");
        if !scheme_ok || rpc_url.len() > 2048 || rpc_url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(field("the RPC URL must be https (or http on loopback)"));
        }
        Ok(Self { chain_id, name: name.to_string(), rpc_url: rpc_url.to_string() })
    }

    /// The local devnet (`aloft-devnet` with its defaults).
    pub fn devnet() -> Self {
        Self { chain_id: ChainId(31337), name: "Aloft devnet".into(), rpc_url: "http://127.0.0.1:8545".into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_ids_print_as_eip1193_hex() {
        assert_eq!(ChainId(31337).to_hex(), "0x7a69");
        assert_eq!(ChainId(1).to_hex(), "0x1");
        assert_eq!(Network::devnet().chain_id.to_hex(), "0x7a69");
        assert_eq!(ChainId::from_hex("0x4115"), Some(ChainId(16661)));
        assert_eq!(Network::zero_g_galileo().chain_id.to_hex(), "0x40da");
        for bad in ["0x", "0x0", "0x01", "12", "0xzz", "0x20000000000000"] {
            assert_eq!(ChainId::from_hex(bad), None, "{bad}");
        }
    }

    #[test]
    fn eip3085_networks_are_validated() {
        let ok = serde_json::json!([{"chainId": "0x4115", "chainName": "0G", "rpcUrls": ["https://evmrpc.0g.ai"]}]);
        assert_eq!(Network::from_eip3085(&ok).expect("valid").chain_id, ChainId(16661));
        for bad in [
            serde_json::json!([{"chainName": "x", "rpcUrls": ["https://a"]}]),
            serde_json::json!([{"chainId": "0x5", "chainName": "", "rpcUrls": ["https://a"]}]),
            serde_json::json!([{"chainId": "0x5", "chainName": "x", "rpcUrls": []}]),
            serde_json::json!([{"chainId": "0x5", "chainName": "x", "rpcUrls": ["http://evil.example"]}]),
            serde_json::json!([{"chainId": "0x5", "chainName": "x", "rpcUrls": ["javascript:alert(1)"]}]),
        ] {
            assert!(Network::from_eip3085(&bad).is_err(), "{bad}");
        }
    }
}
