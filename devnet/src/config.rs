//! Devnet configuration: raw TOML in, one validated [`Config`] out.
//!
//! Everything has a documented default ([`DEFAULT_TOML`]), so an empty file
//! or no file at all gives the standard devnet. The rest of the devnet only
//! ever sees [`Config`], never the raw input.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

/// The defaults, as a commented TOML file (`aloft-devnet --print-config`).
pub const DEFAULT_TOML: &str = r#"# Aloft devnet configuration. Every key is optional; these are the defaults.

# EIP-155 chain id of the devnet's EVM (31337, as Hardhat and Anvil use for local chains).
chain_id = 31337

[rpc]
# EVM JSON-RPC (what wallets and dapps talk to). CORS is open for the extension and pages.
addr = "127.0.0.1:8545"

[control]
# Control API: switch node misbehaviours on and off (GET/PUT /switches).
addr = "127.0.0.1:8590"

[validators]
# BLS validators producing blocks (1 to 150).
count = 4
# Validator keys derive from this seed (KeyGen of SHA-256(seed || index)); anyone can recompute them.
seed = "aloft-devnet"
# Milliseconds between blocks (tests use less).
block_time_ms = 1000
# Every this many blocks one validator leaves the set and the next key joins (0: the set never changes).
rotate_every = 100

[headers]
# Header API for light clients: HTTP (status, light_block, header, commit, validators) and
# WebSocket (/subscribe); a witness view of the same chain under /witness.
addr = "127.0.0.1:26657"
[da]
# DA nodes: one HTTP listener, node i under /nodes/{i} (docs/protocol.md, "DA node HTTP API").
addr = "127.0.0.1:8591"
# How many DA nodes serve (each with its own control switches da.{i}.*).
nodes = 8
# Blobs of generated payloads per block (1..=32); POST /da/v1/blobs adds blocks on demand.
blobs_per_block = 2
# Milliseconds between generated blocks; 0 makes blocks only on POST /da/v1/blobs.
block_interval_ms = 4000
# Blocks kept in memory and in --data-dir; older ones are deleted.
retain_blocks = 64

[storage]
# Storage peers (0G-style JSON-RPC over HTTP and WebRTC data channels). Peer i
# listens on the port of `addr` plus i: 8600 to 8605 by default. 0 runs none.
peers = 6
addr = "127.0.0.1:8600"

[genesis]
# Funded accounts: the first `accounts` of m/44'/60'/0'/0/i under this mnemonic
# (the standard test mnemonic, as Hardhat and Anvil use).
mnemonic = "test test test test test test test test test test test junk"
accounts = 10
# Balance of each funded account, in ether.
balance_ether = 10000

[oracle]
# The ERC-7857 transfer oracle: a SIMULATED TEE (no attestation), JSON-RPC on POST /.
addr = "127.0.0.1:8592"
"#;

/// The TOML file as written: every field optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    chain_id: Option<u64>,
    rpc: Option<RawListen>,
    control: Option<RawListen>,
    storage: Option<RawStorage>,
    genesis: Option<RawGenesis>,
    validators: Option<RawValidators>,
    headers: Option<RawListen>,
    da: Option<RawDa>,
    oracle: Option<RawListen>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawValidators {
    count: Option<u32>,
    seed: Option<String>,
    block_time_ms: Option<u64>,
    rotate_every: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDa {
    addr: Option<String>,
    nodes: Option<usize>,
    blobs_per_block: Option<usize>,
    block_interval_ms: Option<u64>,
    retain_blocks: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStorage {
    peers: Option<usize>,
    addr: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawListen {
    addr: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGenesis {
    mnemonic: Option<String>,
    accounts: Option<u32>,
    balance_ether: Option<u64>,
}

/// A validated devnet configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Where the JSON-RPC server listens (port 0: any free port).
    pub rpc_addr: SocketAddr,
    /// Where the control API listens.
    pub control_addr: SocketAddr,
    /// How many storage peers run.
    pub storage_peers: usize,
    /// Where storage peer 0 listens; peer i uses the port plus i (port 0: any free ports).
    pub storage_addr: SocketAddr,
    /// Mnemonic of the funded accounts.
    pub mnemonic: String,
    /// How many accounts are funded.
    pub accounts: u32,
    /// Balance of each, in ether.
    pub balance_ether: u64,
    /// Where the header API listens.
    pub headers_addr: SocketAddr,
    /// How many validators.
    pub validators: u32,
    /// The validator key seed.
    pub validator_seed: String,
    /// Milliseconds between blocks.
    pub block_time_ms: u64,
    /// Blocks between validator-set changes (0: never).
    pub rotate_every: u64,
    /// Where the DA nodes listen.
    pub da_addr: SocketAddr,
    /// How many DA nodes serve.
    pub da_nodes: usize,
    /// Blobs per generated block.
    pub da_blobs_per_block: usize,
    /// Milliseconds between generated blocks (0: only on submission).
    pub da_block_interval_ms: u64,
    /// Blocks kept.
    pub da_retain_blocks: usize,
    /// Where the simulated-TEE transfer oracle listens (`devnet/src/oracle`).
    pub oracle_addr: SocketAddr,
    /// Where state is kept; `None` keeps it in memory only.
    pub data_dir: Option<PathBuf>,
}

/// Why a configuration was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file is not valid TOML or has unknown keys.
    #[error("the devnet config is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    /// An address does not parse as `ip:port`.
    #[error("{field} = {value:?} is not an address like 127.0.0.1:8545")]
    Addr {
        /// Which key.
        field: &'static str,
        /// What it held.
        value: String,
    },
    /// A value is out of its range.
    #[error("{0}")]
    Range(String),
}

impl Default for Config {
    fn default() -> Self {
        Self::from_raw(RawConfig::default()).expect("the built-in defaults are valid")
    }
}

impl Config {
    /// Parses and validates a TOML file's text.
    pub fn from_toml(text: &str) -> Result<Self, ConfigError> {
        Self::from_raw(toml::from_str(text)?)
    }

    /// Validates raw input, filling in defaults.
    pub fn from_raw(raw: RawConfig) -> Result<Self, ConfigError> {
        let addr = |field: &'static str, given: Option<String>, default: &str| {
            let value = given.unwrap_or_else(|| default.to_string());
            value.parse::<SocketAddr>().map_err(|_| ConfigError::Addr { field, value })
        };
        let genesis = raw.genesis.unwrap_or_default();
        let chain_id = raw.chain_id.unwrap_or(31337);
        if chain_id == 0 {
            return Err(ConfigError::Range("chain_id must not be 0".into()));
        }
        let accounts = genesis.accounts.unwrap_or(10);
        if !(1..=1000).contains(&accounts) {
            return Err(ConfigError::Range(format!("genesis.accounts = {accounts} must be between 1 and 1000")));
        }
        let v = raw.validators.unwrap_or_default();
        let validators = v.count.unwrap_or(4);
        if !(1..=150).contains(&validators) {
            return Err(ConfigError::Range(format!("validators.count = {validators} must be between 1 and 150")));
        }
        let block_time_ms = v.block_time_ms.unwrap_or(1000);
        if !(10..=60_000).contains(&block_time_ms) {
            return Err(ConfigError::Range(format!(
                "validators.block_time_ms = {block_time_ms} must be between 10 and 60000"
            )));
        }
        let validator_seed = v.seed.unwrap_or_else(|| "aloft-devnet".into());
        if validator_seed.is_empty() {
            return Err(ConfigError::Range("validators.seed must not be empty".into()));
        }
        let da = raw.da.unwrap_or_default();
        let da_nodes = da.nodes.unwrap_or(8);
        if !(1..=64).contains(&da_nodes) {
            return Err(ConfigError::Range(format!("da.nodes = {da_nodes} must be between 1 and 64")));
        }
        let da_blobs_per_block = da.blobs_per_block.unwrap_or(2);
        if !(1..=aloft_light_client::da::MAX_BLOBS_PER_BLOCK).contains(&da_blobs_per_block) {
            return Err(ConfigError::Range(format!("da.blobs_per_block = {da_blobs_per_block} must be between 1 and 32")));
        }
        let da_retain_blocks = da.retain_blocks.unwrap_or(64);
        if da_retain_blocks == 0 {
            return Err(ConfigError::Range("da.retain_blocks must be at least 1".into()));
        }
        let storage = raw.storage.unwrap_or_default();
        let storage_peers = storage.peers.unwrap_or(6);
        if storage_peers > 64 {
            return Err(ConfigError::Range(format!("storage.peers = {storage_peers} must be at most 64")));
        }
        let storage_addr = addr("storage.addr", storage.addr, "127.0.0.1:8600")?;
        if storage_addr.port() != 0 && usize::from(storage_addr.port()) + storage_peers > 65_536 {
            return Err(ConfigError::Range("storage.addr leaves no room for every peer's port".into()));
        }
        Ok(Self {
            headers_addr: addr("headers.addr", raw.headers.and_then(|r| r.addr), "127.0.0.1:26657")?,
            validators,
            validator_seed,
            block_time_ms,
            rotate_every: v.rotate_every.unwrap_or(100),
            da_addr: addr("da.addr", da.addr, "127.0.0.1:8591")?,
            da_nodes,
            da_blobs_per_block,
            da_block_interval_ms: da.block_interval_ms.unwrap_or(4000),
            da_retain_blocks,
            chain_id,
            storage_peers,
            storage_addr,
            rpc_addr: addr("rpc.addr", raw.rpc.and_then(|r| r.addr), "127.0.0.1:8545")?,
            control_addr: addr("control.addr", raw.control.and_then(|r| r.addr), "127.0.0.1:8590")?,
            mnemonic: genesis
                .mnemonic
                .unwrap_or_else(|| "test test test test test test test test test test test junk".into()),
            accounts,
            balance_ether: genesis.balance_ether.unwrap_or(10_000),
            oracle_addr: addr("oracle.addr", raw.oracle.and_then(|r| r.addr), "127.0.0.1:8592")?,
            data_dir: None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_defaults_are_the_defaults() {
        assert_eq!(Config::from_toml(DEFAULT_TOML).unwrap(), Config::default());
        assert_eq!(Config::from_toml("").unwrap(), Config::default());
    }

    #[test]
    fn bad_input_is_refused_with_the_key_named() {
        let err = Config::from_toml("[rpc]\naddr = \"localhost\"").unwrap_err();
        assert!(err.to_string().contains("rpc.addr"), "{err}");
        assert!(Config::from_toml("chain_idd = 5").is_err());
        assert!(Config::from_toml("chain_id = 0").is_err());
        assert!(Config::from_toml("[genesis]\naccounts = 0").is_err());
        assert!(Config::from_toml("[validators]\ncount = 151").is_err());
        assert!(Config::from_toml("[validators]\ncount = 0").is_err());
        assert!(Config::from_toml("[validators]\nblock_time_ms = 1").is_err());
        assert!(Config::from_toml("[validators]\nseed = \"\"").is_err());
        let c = Config::from_toml("[validators]\ncount = 150\nblock_time_ms = 100").unwrap();
        assert_eq!((c.validators, c.block_time_ms), (150, 100));
        assert!(Config::from_toml("[da]\nblobs_per_block = 33").is_err());
        assert!(Config::from_toml("[da]\nnodes = 0").is_err());
        assert!(Config::from_toml("[storage]\npeers = 65").is_err());
        assert!(Config::from_toml("[storage]\naddr = \"127.0.0.1:65535\"").is_err());
        assert_eq!(Config::from_toml("[storage]\npeers = 0").unwrap().storage_peers, 0);
    }
}
