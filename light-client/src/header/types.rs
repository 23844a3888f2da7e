//! Newtypes for everything a header names: a height is not a `u64` and a
//! hash is not a `[u8; 32]`, so the compiler keeps a validators hash from
//! being passed where a block hash belongs.
//!
//! Hashes print and parse as `0x`-prefixed lowercase hex (the form the
//! devnet's header API, the CLI and the JS API use) and serialise that way
//! with serde.

use core::fmt;
use core::str::FromStr;

/// Why a hex string could not be read as a hash or key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseHexError {
    /// The string is not hex (after an optional `0x`).
    #[error("not a hex string: {0}")]
    NotHex(String),
    /// The string holds the wrong number of bytes.
    #[error("expected {expected} bytes of hex, got {got}")]
    WrongLength {
        /// Bytes the value must have.
        expected: usize,
        /// Bytes the string held.
        got: usize,
    },
}

/// Decodes `0x`-prefixed (or bare) hex into exactly `N` bytes.
pub fn parse_hex_array<const N: usize>(s: &str) -> Result<[u8; N], ParseHexError> {
    let bytes = parse_hex(s)?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| ParseHexError::WrongLength { expected: N, got: bytes.len() })
}

/// Decodes `0x`-prefixed (or bare) hex of any length.
pub fn parse_hex(s: &str) -> Result<Vec<u8>, ParseHexError> {
    let body = s.strip_prefix("0x").unwrap_or(s);
    hex::decode(body).map_err(|e| ParseHexError::NotHex(e.to_string()))
}

macro_rules! hash_newtype {
    ($(#[$doc:meta])* $name:ident, $len:expr) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        pub struct $name(pub [u8; $len]);

        impl $name {
            /// Bytes in this value.
            pub const LEN: usize = $len;

            /// The raw bytes.
            pub fn as_bytes(&self) -> &[u8; $len] {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "0x{}", hex::encode(self.0))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self)
            }
        }

        impl FromStr for $name {
            type Err = ParseHexError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_hex_array::<$len>(s).map(Self)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

hash_newtype!(
    /// SHA-256 of a header's canonical encoding: the block's identity.
    BlockHash, 32
);
hash_newtype!(
    /// SHA-256 of a validator set's canonical encoding.
    ValidatorsHash, 32
);
hash_newtype!(
    /// The EVM state root after the block (Keccak-256 Merkle-Patricia trie root).
    StateRoot, 32
);
hash_newtype!(
    /// The root over the block's data-availability commitments.
    DaRoot, 32
);
hash_newtype!(
    /// A validator's address: the first 20 bytes of SHA-256 of its
    /// compressed BLS public key (the CometBFT convention, applied to BLS keys).
    ValidatorAddress, 20
);

impl StateRoot {
    /// The root of the empty Merkle-Patricia trie, `keccak256(rlp(""))`:
    /// the state root of a chain with no accounts.
    pub const EMPTY_TRIE: Self = Self([
        0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45, 0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48,
        0xe0, 0x1b, 0x99, 0x6c, 0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21,
    ]);
}

impl DaRoot {
    /// The root of a block with no DA commitments: SHA-256 of the empty string.
    pub const EMPTY: Self = Self([
        0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24, 0x27, 0xae,
        0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
    ]);
}

/// A block height. Height 1 is the first block; 0 is never a block height.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Height(pub u64);

impl Height {
    /// The next height, or `None` at `u64::MAX`.
    pub fn next(self) -> Option<Self> {
        self.0.checked_add(1).map(Self)
    }
}

impl fmt::Display for Height {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The chain a header belongs to: the devnet's EIP-155 chain id, so a
/// header of one chain can never verify on another.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ChainId(pub u64);

impl fmt::Display for ChainId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A block time: milliseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub u64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub fn millis(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ms", self.0)
    }
}

/// The consensus round in which a commit was made.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Round(pub u32);

/// A validator's voting power. Never zero inside a validator set.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct VotingPower(pub u64);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    #[test]
    fn hashes_print_and_parse_as_0x_hex() {
        let h = BlockHash([0xab; 32]);
        let s = h.to_string();
        assert_eq!(s, format!("0x{}", "ab".repeat(32)));
        assert_eq!(s.parse::<BlockHash>(), Ok(h));
        assert_eq!("ab".repeat(32).parse::<BlockHash>(), Ok(h));
        assert_eq!("0xabcd".parse::<BlockHash>(), Err(ParseHexError::WrongLength { expected: 32, got: 2 }));
        assert!(matches!("0xzz".parse::<BlockHash>(), Err(ParseHexError::NotHex(_))));
        assert_eq!(serde_json::to_string(&h).unwrap(), format!("\"{s}\""));
        assert_eq!(serde_json::from_str::<BlockHash>(&format!("\"{s}\"")).unwrap(), h);
    }

    #[test]
    fn the_empty_roots_are_what_they_say() {
        assert_eq!(DaRoot::EMPTY.0, <[u8; 32]>::from(Sha256::digest(b"")));
        // keccak256(0x80): the RLP of the empty string.
        use sha3::Keccak256;
        assert_eq!(StateRoot::EMPTY_TRIE.0, <[u8; 32]>::from(Keccak256::digest([0x80])));
    }
}
