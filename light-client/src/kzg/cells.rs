//! EIP-7594 cells: Reed–Solomon extension ×2 and all cell proofs (fulu
//! `compute_cells`, `compute_cells_and_kzg_proofs`,
//! `compute_cells_and_kzg_proofs_polynomialcoeff`, `polynomial_eval_to_coeff`).
//!
//! The extension is one size-8192 FFT of the blob's coefficients (cell `k`
//! is entries `64 k .. 64 k + 64` of the bit-reversed evaluations), and the
//! 128 proofs come from FK20 ([`super::fk20`]) rather than 128 separate
//! quotient commitments; both give exactly the spec's bytes.

use ark_bls12_381::{Fr, G1Projective};
use ark_ec::CurveGroup;
use ark_ff::Zero;

use super::encoding::{blob_to_polynomial, coset_evals_to_cell, g1_affine_to_bytes};
use super::fft::bit_reverse_permute;
use super::{Blob, Cell, FIELD_ELEMENTS_PER_CELL, FIELD_ELEMENTS_PER_EXT_BLOB, KzgError, Proof, TrustedSetup};

impl TrustedSetup {
    /// `polynomial_eval_to_coeff`: blob order (bit-reversed evaluations) to monomial coefficients.
    pub(crate) fn polynomial_eval_to_coeff(&self, mut poly: Vec<Fr>) -> Vec<Fr> {
        bit_reverse_permute(&mut poly);
        self.blob_domain.ifft(&mut poly);
        poly
    }

    /// The 128 cells of the extension of a polynomial given by its 4096 coefficients.
    fn cells_from_coeff(&self, coeffs: &[Fr]) -> Vec<Cell> {
        let mut ext = vec![Fr::zero(); FIELD_ELEMENTS_PER_EXT_BLOB];
        ext[..coeffs.len()].copy_from_slice(coeffs);
        self.ext_domain.fft(&mut ext);
        bit_reverse_permute(&mut ext);
        ext.chunks_exact(FIELD_ELEMENTS_PER_CELL).map(coset_evals_to_cell).collect()
    }

    /// `compute_cells_and_kzg_proofs_polynomialcoeff`.
    pub(crate) fn compute_cells_and_kzg_proofs_polynomialcoeff(&self, coeffs: &[Fr]) -> (Vec<Cell>, Vec<Proof>) {
        let cells = self.cells_from_coeff(coeffs);
        let proofs = G1Projective::normalize_batch(&self.fk20_table().prove(coeffs));
        let proofs = proofs.into_iter().map(|p| Proof(g1_affine_to_bytes(&p))).collect();
        (cells, proofs)
    }

    /// `compute_cells`: the 128 cells of the blob's extension, without proofs.
    pub fn compute_cells(&self, blob: &Blob) -> Result<Vec<Cell>, KzgError> {
        let coeffs = self.polynomial_eval_to_coeff(blob_to_polynomial(blob)?);
        Ok(self.cells_from_coeff(&coeffs))
    }

    /// `compute_cells_and_kzg_proofs`: the 128 cells of the blob's extension
    /// and their KZG multi-proofs, in cell-index order.
    pub fn compute_cells_and_kzg_proofs(&self, blob: &Blob) -> Result<(Vec<Cell>, Vec<Proof>), KzgError> {
        let coeffs = self.polynomial_eval_to_coeff(blob_to_polynomial(blob)?);
        Ok(self.compute_cells_and_kzg_proofs_polynomialcoeff(&coeffs))
    }
}
