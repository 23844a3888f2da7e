//! The byte reader behind every header-format decoder, and the one error type
//! for malformed bytes.
//!
//! All formats are fixed-order, big-endian, with explicit lengths (see
//! `docs/protocol.md`). The reader never panics: every read that runs past
//! the end is a [`DecodeError::Truncated`] naming the field, and every
//! decoder ends with [`Reader::finish`] so trailing bytes are refused too.

use crate::bls::BlsError;

/// Why bytes were refused as a header, commit, validator set, light block or
/// piece of evidence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The bytes end in the middle of a field.
    #[error("{field}: needs {needed} bytes, only {remaining} left")]
    Truncated {
        /// The field being read.
        field: &'static str,
        /// Bytes the field needs.
        needed: usize,
        /// Bytes that were left.
        remaining: usize,
    },
    /// Bytes follow the end of a complete encoding.
    #[error("{format}: {extra} unexpected bytes after the end")]
    TrailingBytes {
        /// Which format.
        format: &'static str,
        /// How many bytes were left over.
        extra: usize,
    },
    /// The version byte is not one this client reads.
    #[error("{format}: unknown format version {got} (this client reads version {expected})")]
    UnknownVersion {
        /// Which format.
        format: &'static str,
        /// The version byte found.
        got: u8,
        /// The version this client reads.
        expected: u8,
    },
    /// A height field is 0, which is never a block height.
    #[error("{field}: height 0 is not a block height")]
    ZeroHeight {
        /// Which field.
        field: &'static str,
    },
    /// A validator's public key does not decode (KeyValidate failed).
    #[error("validator {index}: public key: {source}")]
    BadPublicKey {
        /// Position in the set.
        index: usize,
        /// Why the key was refused.
        source: BlsError,
    },
    /// The commit's aggregate signature does not decode.
    #[error("commit signature: {0}")]
    BadSignature(BlsError),
    /// A validator set with no validators.
    #[error("the validator set is empty")]
    EmptyValidatorSet,
    /// More validators than this client accepts.
    #[error("{count} validators; at most {max} are accepted")]
    TooManyValidators {
        /// The count in the encoding.
        count: u64,
        /// The limit.
        max: usize,
    },
    /// A validator with zero voting power.
    #[error("validator {index} has zero voting power")]
    ZeroPower {
        /// Position in the set.
        index: usize,
    },
    /// Two validators share one public key.
    #[error("validators {first} and {second} have the same public key")]
    DuplicateValidator {
        /// The earlier position.
        first: usize,
        /// The later position.
        second: usize,
    },
    /// The voting powers add up to more than the allowed total.
    #[error("the total voting power exceeds {max}")]
    PowerOverflow {
        /// The limit.
        max: u64,
    },
    /// The signer bitmap has a bit set past the last validator.
    #[error("signer bitmap: bit {bit} is set but the set has only {count} validators")]
    StrayBitmapBit {
        /// The first stray bit.
        bit: usize,
        /// The bitmap's declared length in bits.
        count: usize,
    },
    /// A length prefix larger than anything this format can hold.
    #[error("{field}: length {len} exceeds the limit of {max}")]
    LengthTooLarge {
        /// Which field.
        field: &'static str,
        /// The declared length.
        len: u64,
        /// The limit.
        max: usize,
    },
}

/// Reads fields off the front of a byte slice.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes }
    }

    pub(crate) fn take(&mut self, field: &'static str, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.bytes.len() < n {
            return Err(DecodeError::Truncated { field, needed: n, remaining: self.bytes.len() });
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self, field: &'static str) -> Result<[u8; N], DecodeError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(field, N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, DecodeError> {
        Ok(self.array::<1>(field)?[0])
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, DecodeError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn u64(&mut self, field: &'static str) -> Result<u64, DecodeError> {
        Ok(u64::from_be_bytes(self.array(field)?))
    }

    /// Reads the version byte and refuses any other than `expected`.
    pub(crate) fn version(&mut self, format: &'static str, expected: u8) -> Result<(), DecodeError> {
        let got = self.u8("version")?;
        if got != expected {
            return Err(DecodeError::UnknownVersion { format, got, expected });
        }
        Ok(())
    }

    /// Reads a `u32` length prefix and that many bytes.
    pub(crate) fn prefixed(&mut self, field: &'static str, max: usize) -> Result<&'a [u8], DecodeError> {
        let len = self.u32(field)? as usize;
        if len > max {
            return Err(DecodeError::LengthTooLarge { field, len: len as u64, max });
        }
        self.take(field, len)
    }

    /// Refuses anything left over.
    pub(crate) fn finish(self, format: &'static str) -> Result<(), DecodeError> {
        if self.bytes.is_empty() {
            Ok(())
        } else {
            Err(DecodeError::TrailingBytes { format, extra: self.bytes.len() })
        }
    }
}

/// Appends a `u32` length prefix and the bytes.
pub(crate) fn put_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    // Callers only pass encodings bounded far below 4 GiB.
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}
