//! KZG commitments over BLS12-381 with the Ethereum ceremony setup: EIP-4844
//! blob proofs and EIP-7594 cells, with exactly the semantics of the consensus
//! specs (deneb `polynomial-commitments.md`, fulu
//! `polynomial-commitments-sampling.md`), on arkworks.
//!
//! A blob is 4096 field elements (the evaluations of a polynomial of degree
//! < 4096 over the bit-reversed 4096th roots of unity). Its Reed–Solomon
//! extension ×2 is 8192 evaluations, split into 128 cells of 64, each with a
//! KZG multi-proof, so a light client can check random cells of many blobs in
//! one pairing check and anyone holding half the cells can rebuild the rest.
//!
//! The module is sans-IO: the caller supplies the setup text, and every
//! challenge is the spec's Fiat–Shamir hash, so no randomness is needed.
//!
//! - `setup`: [`TrustedSetup`] (prover and verifier) and the cheap
//!   [`VerifierSetup`].
//! - `types`: the byte newtypes [`Blob`], [`Cell`], [`CellIndex`],
//!   [`Commitment`], [`Proof`].
//! - `encoding`: canonical field elements and validated points.
//! - `fft`: roots of unity, bit reversal, FFTs.
//! - `eip4844`: commitments and point-evaluation proofs.
//! - `cells`, `fk20`: extension and all cell proofs.
//! - `cell_verify`: batch cell verification.
//! - `recovery`: rebuilding cells and proofs from half of them.
//! - `error`: [`KzgError`].

mod cell_verify;
mod cells;
mod eip4844;
mod encoding;
pub mod error;
mod fft;
mod fk20;
mod recovery;
pub mod setup;
pub mod types;

#[cfg(test)]
mod tests;

pub use cell_verify::compute_verify_cell_kzg_proof_batch_challenge;
pub use eip4844::compute_challenge;
pub use error::KzgError;
pub use recovery::recover_blob;
pub use setup::{CEREMONY_SETUP_SHA256, TrustedSetup, VerifierSetup};
/// The decoder of proofs and commitments, for the bench's `kzg16x32_part_*` rows.
#[cfg(feature = "bench")]
pub(crate) use encoding::bytes_to_g1 as decode_g1_point;
pub use types::{Blob, Cell, CellIndex, Commitment, FieldBytes, Proof};

/// Bytes in one encoded field element.
pub const BYTES_PER_FIELD_ELEMENT: usize = 32;
/// Field elements in a blob.
pub const FIELD_ELEMENTS_PER_BLOB: usize = 4096;
/// Bytes in a blob.
pub const BYTES_PER_BLOB: usize = FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT;
/// Field elements in a Reed–Solomon extended blob.
pub const FIELD_ELEMENTS_PER_EXT_BLOB: usize = 2 * FIELD_ELEMENTS_PER_BLOB;
/// Field elements in a cell.
pub const FIELD_ELEMENTS_PER_CELL: usize = 64;
/// Bytes in a cell.
pub const BYTES_PER_CELL: usize = FIELD_ELEMENTS_PER_CELL * BYTES_PER_FIELD_ELEMENT;
/// Cells in an extended blob.
pub const CELLS_PER_EXT_BLOB: usize = FIELD_ELEMENTS_PER_EXT_BLOB / FIELD_ELEMENTS_PER_CELL;
/// Bytes in a commitment (a compressed G1 point).
pub const BYTES_PER_COMMITMENT: usize = 48;
/// Bytes in a proof (a compressed G1 point).
pub const BYTES_PER_PROOF: usize = 48;
