//! The genesis state: funded accounts derived from the configured mnemonic.
//!
//! Accounts are derived exactly as wallets derive them (BIP-39 seed,
//! BIP-32/BIP-44 path `m/44'/60'/0'/0/i`), so the standard test mnemonic gives
//! the same ten addresses Hardhat and Anvil fund, and a wallet that imports
//! the mnemonic sees its balance.
//!
//! With a data directory the genesis is written once to `genesis.json` and
//! read back on every later start, so a restart keeps the same chain.

use std::path::Path;

use alloy_primitives::{Address, U256};
use alloy_signer_local::{MnemonicBuilder, coins_bip39::English};
use serde::{Deserialize, Serialize};

use crate::config::Config;

/// One funded account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenesisAccount {
    /// Its address.
    pub address: Address,
    /// Its derivation path.
    pub path: String,
    /// Its balance in wei.
    pub balance: U256,
}

/// The chain's starting point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Genesis {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Funded accounts, in derivation order.
    pub accounts: Vec<GenesisAccount>,
}

/// Why the genesis could not be made or loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenesisError {
    /// The mnemonic is not a valid BIP-39 phrase.
    #[error("the genesis mnemonic cannot derive account {index}: {reason}")]
    Derive {
        /// Which account.
        index: u32,
        /// Why.
        reason: String,
    },
    /// `genesis.json` could not be read or written.
    #[error("genesis file {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// `genesis.json` is not a genesis.
    #[error("genesis file {path} is corrupt: {source}")]
    Corrupt {
        /// The file.
        path: String,
        /// The cause.
        source: serde_json::Error,
    },
    /// The data directory belongs to another chain.
    #[error(
        "the data directory holds chain {stored}, but the config says chain {configured}: use another --data-dir or remove it"
    )]
    ChainMismatch {
        /// What the directory holds.
        stored: u64,
        /// What the config asks for.
        configured: u64,
    },
}

impl Genesis {
    /// Derives the genesis the config describes.
    pub fn from_config(config: &Config) -> Result<Self, GenesisError> {
        let balance = U256::from(config.balance_ether) * U256::from(10u64).pow(U256::from(18u64));
        let accounts = (0..config.accounts)
            .map(|index| {
                let path = format!("m/44'/60'/0'/0/{index}");
                let signer = MnemonicBuilder::<English>::default()
                    .phrase(config.mnemonic.as_str())
                    .derivation_path(&path)
                    .and_then(|b| b.build())
                    .map_err(|e| GenesisError::Derive { index, reason: e.to_string() })?;
                Ok(GenesisAccount { address: signer.address(), path, balance })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { chain_id: config.chain_id, accounts })
    }

    /// Loads `genesis.json` from `dir`, or derives and writes it on first start.
    pub fn load_or_create(dir: &Path, config: &Config) -> Result<Self, GenesisError> {
        let file = dir.join("genesis.json");
        let path = file.display().to_string();
        match std::fs::read(&file) {
            Ok(bytes) => {
                let genesis: Self = serde_json::from_slice(&bytes)
                    .map_err(|source| GenesisError::Corrupt { path: path.clone(), source })?;
                if genesis.chain_id != config.chain_id {
                    return Err(GenesisError::ChainMismatch {
                        stored: genesis.chain_id,
                        configured: config.chain_id,
                    });
                }
                Ok(genesis)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let genesis = Self::from_config(config)?;
                let io = |source| GenesisError::Io { path: path.clone(), source };
                std::fs::create_dir_all(dir).map_err(io)?;
                let text = serde_json::to_vec_pretty(&genesis).expect("a genesis always serializes");
                // Write then rename, so a crash never leaves a half-written genesis.
                let tmp = dir.join("genesis.json.tmp");
                std::fs::write(&tmp, text).map_err(io)?;
                std::fs::File::open(&tmp).and_then(|f| f.sync_all()).map_err(io)?;
                std::fs::rename(&tmp, &file).map_err(io)?;
                Ok(genesis)
            }
            Err(source) => Err(GenesisError::Io { path, source }),
        }
    }

    /// The genesis balance of `address` (zero for any other account).
    pub fn balance_of(&self, address: &Address) -> U256 {
        self.accounts.iter().find(|a| &a.address == address).map(|a| a.balance).unwrap_or(U256::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_test_mnemonic_gives_the_well_known_first_account() {
        let genesis = Genesis::from_config(&Config::default()).unwrap();
        assert_eq!(genesis.accounts.len(), 10);
        // The first account of the standard test mnemonic, which Hardhat and Anvil also fund.
        assert_eq!(
            genesis.accounts[0].address.to_checksum(None),
            "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
        );
        assert_eq!(genesis.accounts[0].balance, U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18u64)));
    }

    #[test]
    fn a_data_dir_keeps_its_chain() {
        let dir = std::env::temp_dir().join(format!("aloft-genesis-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let config = Config { accounts: 2, ..Config::default() };
        let first = Genesis::load_or_create(&dir, &config).unwrap();
        let again = Genesis::load_or_create(&dir, &Config { accounts: 5, ..config.clone() }).unwrap();
        assert_eq!(first, again, "a restart reads the stored genesis");
        let other = Config { chain_id: 7, ..config };
        assert!(matches!(Genesis::load_or_create(&dir, &other), Err(GenesisError::ChainMismatch { .. })));
        std::fs::write(dir.join("genesis.json"), b"{not json").unwrap();
        assert!(matches!(Genesis::load_or_create(&dir, &Config::default()), Err(GenesisError::Corrupt { .. })));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
