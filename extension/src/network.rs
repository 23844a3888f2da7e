//! Networks the wallet can talk to.
//!
//! The devnet is the default: it is what the demo and the tests run against,
//! and it is on loopback, so a fresh install works with nothing else running
//! but `cargo xtask demo`.

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

impl Network {
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
    }
}
