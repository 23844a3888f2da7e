//! Byte-level newtypes for the spec's custom types (`Blob`, `KZGCommitment`,
//! `KZGProof`, `Cell`, `CellIndex`).
//!
//! Only lengths (and the cell-index range) are checked when one of these is
//! built. The cryptographic checks — canonical field elements, points on the
//! curve and in the subgroup — run inside the functions that consume them,
//! because the specs define them there (public methods "accept raw bytes and
//! perform the required cryptographic normalisation"), and because a verifier
//! should pay for decoding only what it actually uses.

use super::{BYTES_PER_BLOB, BYTES_PER_CELL, BYTES_PER_COMMITMENT, BYTES_PER_PROOF, CELLS_PER_EXT_BLOB, KzgError};

fn boxed_array<const N: usize>(bytes: &[u8], what: &'static str) -> Result<Box<[u8; N]>, KzgError> {
    if bytes.len() != N {
        return Err(KzgError::WrongLength { what, expected: N, got: bytes.len() });
    }
    bytes
        .to_vec()
        .into_boxed_slice()
        .try_into()
        .map_err(|_| KzgError::WrongLength { what, expected: N, got: bytes.len() })
}

fn array<const N: usize>(bytes: &[u8], what: &'static str) -> Result<[u8; N], KzgError> {
    bytes.try_into().map_err(|_| KzgError::WrongLength { what, expected: N, got: bytes.len() })
}

/// A blob: 4096 big-endian 32-byte field elements (131072 bytes), heap-allocated.
#[derive(Clone, PartialEq, Eq)]
pub struct Blob(Box<[u8; BYTES_PER_BLOB]>);

impl Blob {
    /// Wraps exactly `BYTES_PER_BLOB` bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KzgError> {
        boxed_array(bytes, "blob").map(Self)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; BYTES_PER_BLOB] {
        &self.0
    }
}

impl From<Box<[u8; BYTES_PER_BLOB]>> for Blob {
    fn from(bytes: Box<[u8; BYTES_PER_BLOB]>) -> Self {
        Self(bytes)
    }
}

impl core::fmt::Debug for Blob {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Blob(0x{}..)", hex::encode(&self.0[..8]))
    }
}

/// A cell: 64 big-endian 32-byte field elements (2048 bytes), heap-allocated.
#[derive(Clone, PartialEq, Eq)]
pub struct Cell(Box<[u8; BYTES_PER_CELL]>);

impl Cell {
    /// Wraps exactly `BYTES_PER_CELL` bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KzgError> {
        boxed_array(bytes, "cell").map(Self)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; BYTES_PER_CELL] {
        &self.0
    }

}

impl From<Box<[u8; BYTES_PER_CELL]>> for Cell {
    fn from(bytes: Box<[u8; BYTES_PER_CELL]>) -> Self {
        Self(bytes)
    }
}

impl core::fmt::Debug for Cell {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Cell(0x{}..)", hex::encode(&self.0[..8]))
    }
}

/// A KZG commitment as it travels: 48 bytes of a compressed G1 point, not yet validated.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Commitment(pub [u8; BYTES_PER_COMMITMENT]);

impl Commitment {
    /// Wraps exactly 48 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KzgError> {
        array(bytes, "commitment").map(Self)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; BYTES_PER_COMMITMENT] {
        &self.0
    }
}

impl core::fmt::Debug for Commitment {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Commitment(0x{})", hex::encode(self.0))
    }
}

/// A KZG proof as it travels: 48 bytes of a compressed G1 point, not yet validated.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Proof(pub [u8; BYTES_PER_PROOF]);

impl Proof {
    /// Wraps exactly 48 bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, KzgError> {
        array(bytes, "proof").map(Self)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; BYTES_PER_PROOF] {
        &self.0
    }
}

impl core::fmt::Debug for Proof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Proof(0x{})", hex::encode(self.0))
    }
}

/// The index of a cell in an extended blob; always below `CELLS_PER_EXT_BLOB`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellIndex(u8);

impl CellIndex {
    /// Checks the spec's validation `x < CELLS_PER_EXT_BLOB`.
    pub fn new(index: u64) -> Result<Self, KzgError> {
        if index < CELLS_PER_EXT_BLOB as u64 {
            Ok(Self(index as u8))
        } else {
            Err(KzgError::CellIndexOutOfRange(index))
        }
    }

    /// The index as a `u64`, the spec's `uint64`.
    pub fn get(self) -> u64 {
        u64::from(self.0)
    }

    /// The index `index mod 128`, for callers that hold an index already
    /// known to be in range in a byte.
    pub fn from_low_bits(index: u8) -> Self {
        Self(index % CELLS_PER_EXT_BLOB as u8)
    }

    pub(crate) fn as_usize(self) -> usize {
        usize::from(self.0)
    }
}

/// A field element as it travels: 32 big-endian bytes (the spec's `Bytes32`).
pub type FieldBytes = [u8; 32];
