//! Reconstruction: a blob, and so a payload, from any half of its cells,
//! checked against the blob's commitment (`docs/protocol.md`,
//! "Reconstruction").
//!
//! 1. The cells (at least 64 distinct, in any order) are verified against
//!    the commitment with one `verify_cell_kzg_proof_batch` call.
//! 2. [`crate::kzg::recover_blob`] rebuilds the blob: 64 verified cells are
//!    4096 evaluations of the committed polynomial (degree below 4096), so
//!    the blob they determine is the committed one; no full setup is needed.
//! 3. [`super::packing::unpack`] turns the blobs back into the payload.

use crate::kzg::{Blob, CELLS_PER_EXT_BLOB, Cell, CellIndex, Commitment, KzgError, Proof, VerifierSetup, recover_blob};

/// Why a blob could not be rebuilt.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReconstructError {
    /// Fewer than 64 distinct cells.
    #[error("reconstruction needs 64 distinct cells, got {0}")]
    NotEnoughCells(usize),
    /// The cells do not verify against the commitment.
    #[error("the cells do not verify against the blob's commitment")]
    BadCells,
    /// A cell, proof or commitment is malformed.
    #[error(transparent)]
    Kzg(#[from] KzgError),
}

/// Rebuilds the blob committed to by `commitment` from cells with proofs.
pub fn reconstruct_blob(verifier: &VerifierSetup, commitment: &Commitment, cells: &[(CellIndex, Cell, Proof)]) -> Result<Blob, ReconstructError> {
    let mut sorted: Vec<&(CellIndex, Cell, Proof)> = cells.iter().collect();
    sorted.sort_by_key(|(i, _, _)| *i);
    sorted.dedup_by_key(|(i, _, _)| *i);
    if sorted.len() < CELLS_PER_EXT_BLOB / 2 {
        return Err(ReconstructError::NotEnoughCells(sorted.len()));
    }
    let indices: Vec<CellIndex> = sorted.iter().map(|(i, _, _)| *i).collect();
    let cells: Vec<Cell> = sorted.iter().map(|(_, c, _)| c.clone()).collect();
    let proofs: Vec<Proof> = sorted.iter().map(|(_, _, p)| *p).collect();
    let commitments = vec![*commitment; cells.len()];
    if !verifier.verify_cell_kzg_proof_batch(&commitments, &indices, &cells, &proofs)? {
        return Err(ReconstructError::BadCells);
    }
    Ok(recover_blob(&indices, &cells)?)
}
