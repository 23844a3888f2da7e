//! Newtypes for the hashes and indices of 0G storage trees.
//!
//! 0G writes every hash as a `0x`-prefixed, lower-case hex string in JSON (Go's
//! `common.Hash`, the node's `H256`, ethers' hex strings in the TS SDK), so
//! [`Root`] does the same and refuses text without the prefix, as go-ethereum does.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::StorageError;

/// A node of a 0G storage Merkle tree: a chunk leaf, a segment root, a
/// submission node root or the file root. Always a Keccak-256 output.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Root(pub [u8; 32]);

impl Root {
    /// All zero bytes: what the Go client's `SegmentRoot` returns for no chunks.
    pub const ZERO: Root = Root([0; 32]);

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl From<[u8; 32]> for Root {
    fn from(bytes: [u8; 32]) -> Self {
        Root(bytes)
    }
}

impl From<Root> for [u8; 32] {
    fn from(root: Root) -> Self {
        root.0
    }
}

impl AsRef<[u8]> for Root {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut buf = [0u8; 64];
        // Encoding 32 bytes into 64 hex digits cannot fail; fall back to an
        // error rather than panic all the same.
        hex::encode_to_slice(self.0, &mut buf).map_err(|_| fmt::Error)?;
        f.write_str("0x")?;
        f.write_str(core::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Root({self})")
    }
}

impl FromStr for Root {
    type Err = StorageError;

    /// Parses `0x` followed by exactly 64 hex digits (either case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s
            .strip_prefix("0x")
            .ok_or_else(|| StorageError::InvalidHash(s.into()))?;
        let mut out = [0u8; 32];
        hex::decode_to_slice(digits, &mut out).map_err(|_| StorageError::InvalidHash(s.into()))?;
        Ok(Root(out))
    }
}

impl Serialize for Root {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Root {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The position of a segment (262,144 bytes) in a file, counted from 0.
///
/// In JSON it is a bare number, as in the node's `SegmentWithProof.index`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SegmentIndex(pub u64);

impl fmt::Display for SegmentIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<u64> for SegmentIndex {
    fn from(index: u64) -> Self {
        SegmentIndex(index)
    }
}

/// Hex `0x..` (de)serialisation of arbitrary bytes, for the submission's `tags`.
pub(crate) mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("0x{}", hex::encode(bytes)))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let digits = text
            .strip_prefix("0x")
            .ok_or_else(|| serde::de::Error::custom("hex bytes need a 0x prefix"))?;
        hex::decode(digits).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_hex_round_trip() -> Result<(), StorageError> {
        let text = "0xd397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5";
        let root: Root = text.parse()?;
        assert_eq!(root.to_string(), text);
        assert_eq!(root.0[0], 0xd3);
        Ok(())
    }

    #[test]
    fn root_rejects_bad_text() {
        for bad in [
            "d397b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5",
            "0x1234",
            "0xzz97b3b043d87fcd6fad1291ff0bfd16401c274896d8c63a923727f077b8e0b5",
            "",
        ] {
            assert!(
                matches!(bad.parse::<Root>(), Err(StorageError::InvalidHash(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn root_json_is_a_hex_string() -> Result<(), serde_json::Error> {
        let root = Root([0xab; 32]);
        let json = serde_json::to_string(&root)?;
        assert_eq!(json, format!("\"0x{}\"", "ab".repeat(32)));
        assert_eq!(serde_json::from_str::<Root>(&json)?, root);
        Ok(())
    }
}
