//! Recovering a blob's 128 cells and proofs from any half of its cells (fulu
//! `recover_cells_and_kzg_proofs`, `recover_polynomialcoeff`,
//! `construct_vanishing_polynomial`).
//!
//! This is the spec's vanishing-polynomial method with FFTs: with `E` the
//! extended evaluations (zero where missing) and `Z` vanishing on the missing
//! points, `E * Z` equals `P * Z` on the domain, so one FFT round trip gives
//! `P * Z` in coefficient form, and dividing by `Z` over the coset `7 * H`
//! (where `Z` has no zeros) gives `P`. `Z` is built over the 128-point domain
//! and spread to 8192 points, because the 64 points of a cell form a coset
//! of the 64th roots of unity. Everything is `O(n log n)`.

use ark_bls12_381::Fr;
use ark_ff::{One, Zero};

use super::encoding::{bls_field_to_bytes, cell_to_coset_evals};
use super::fft::{Domain, bit_reverse_permute, reverse_bits};
use super::{
    BYTES_PER_BLOB, Blob, CELLS_PER_EXT_BLOB, Cell, CellIndex, FIELD_ELEMENTS_PER_BLOB, FIELD_ELEMENTS_PER_CELL, FIELD_ELEMENTS_PER_EXT_BLOB, KzgError, Proof,
    TrustedSetup,
};

/// `vanishing_polynomialcoeff`: `prod (X - x)` in coefficient form.
fn vanishing_polynomial(xs: &[Fr]) -> Vec<Fr> {
    let mut p = vec![Fr::one()];
    for x in xs {
        // Multiply by (X - x): shift up and subtract x times the old polynomial.
        p.push(Fr::zero());
        for i in (0..p.len()).rev() {
            let lower = if i > 0 { p[i - 1] } else { Fr::zero() };
            p[i] = lower - *x * p[i];
        }
    }
    p
}

/// `construct_vanishing_polynomial`: vanishes on every point of the missing cells.
fn construct_vanishing_polynomial(missing: &[usize]) -> Vec<Fr> {
    let small = Domain::new(CELLS_PER_EXT_BLOB);
    let xs: Vec<Fr> = missing.iter().map(|&c| small.roots[reverse_bits(c, CELLS_PER_EXT_BLOB)]).collect();
    let short = vanishing_polynomial(&xs);
    let mut full = vec![Fr::zero(); FIELD_ELEMENTS_PER_EXT_BLOB];
    for (i, c) in short.into_iter().enumerate() {
        full[i * FIELD_ELEMENTS_PER_CELL] = c;
    }
    full
}

/// Checks the spec's preconditions on the cells handed to recovery and
/// returns which cell indices are present.
fn check_recovery_input(cell_indices: &[CellIndex], cells: &[Cell]) -> Result<[bool; CELLS_PER_EXT_BLOB], KzgError> {
    if cell_indices.len() != cells.len() {
        return Err(KzgError::LengthMismatch { what: "cell indices and cells" });
    }
    if cells.len() < CELLS_PER_EXT_BLOB / 2 {
        return Err(KzgError::NotEnoughCells(cells.len()));
    }
    if cells.len() > CELLS_PER_EXT_BLOB {
        return Err(KzgError::TooManyCells(cells.len()));
    }
    let mut present = [false; CELLS_PER_EXT_BLOB];
    for c in cell_indices {
        if std::mem::replace(&mut present[c.as_usize()], true) {
            return Err(KzgError::DuplicateCellIndex(c.get()));
        }
    }
    if cell_indices.windows(2).any(|w| w[0] > w[1]) {
        return Err(KzgError::CellIndicesNotAscending);
    }
    Ok(present)
}

impl TrustedSetup {
    /// `recover_cells_and_kzg_proofs`: all 128 cells and proofs of a blob from
    /// at least 64 distinct cells of it, given in ascending index order as the
    /// spec requires. The cells are not
    /// checked against a commitment: verify them (or the result) first.
    pub fn recover_cells_and_kzg_proofs(&self, cell_indices: &[CellIndex], cells: &[Cell]) -> Result<(Vec<Cell>, Vec<Proof>), KzgError> {
        let present = check_recovery_input(cell_indices, cells)?;
        let evals = cells.iter().map(cell_to_coset_evals).collect::<Result<Vec<_>, _>>()?;
        let coeffs = recover_polynomialcoeff(&self.ext_domain, cell_indices, &evals, &present);
        Ok(self.compute_cells_and_kzg_proofs_polynomialcoeff(&coeffs))
    }
}

/// The blob itself (its 4096 field elements in blob order) from at least 64
/// distinct cells in ascending index order, with the same preconditions as
/// [`TrustedSetup::recover_cells_and_kzg_proofs`] but no setup: recovery is
/// pure field arithmetic, and only recomputing proofs needs the G1 points.
///
/// The cells are not checked here. A caller that first verifies them against
/// the blob's commitment (`verify_cell_kzg_proof_batch`) has checked the
/// result too: 64 verified cells are 4096 evaluations of the committed
/// polynomial, whose degree is below 4096, so they determine it uniquely.
pub fn recover_blob(cell_indices: &[CellIndex], cells: &[Cell]) -> Result<Blob, KzgError> {
    let present = check_recovery_input(cell_indices, cells)?;
    let evals = cells.iter().map(cell_to_coset_evals).collect::<Result<Vec<_>, _>>()?;
    let mut poly = recover_polynomialcoeff(&Domain::new(FIELD_ELEMENTS_PER_EXT_BLOB), cell_indices, &evals, &present);
    // Blob order is the evaluations over the 4096th roots of unity, bit-reversed.
    Domain::new(FIELD_ELEMENTS_PER_BLOB).fft(&mut poly);
    bit_reverse_permute(&mut poly);
    let mut bytes = Vec::with_capacity(BYTES_PER_BLOB);
    for x in &poly {
        bytes.extend_from_slice(&bls_field_to_bytes(x));
    }
    Blob::from_bytes(&bytes)
}

/// `recover_polynomialcoeff`: the blob polynomial's 4096 coefficients.
fn recover_polynomialcoeff(domain: &Domain, cell_indices: &[CellIndex], evals: &[Vec<Fr>], present: &[bool; CELLS_PER_EXT_BLOB]) -> Vec<Fr> {
    let mut extended = vec![Fr::zero(); FIELD_ELEMENTS_PER_EXT_BLOB];
    for (c, e) in cell_indices.iter().zip(evals) {
        let start = c.as_usize() * FIELD_ELEMENTS_PER_CELL;
        extended[start..start + FIELD_ELEMENTS_PER_CELL].copy_from_slice(e);
    }
    bit_reverse_permute(&mut extended);

    let missing: Vec<usize> = (0..CELLS_PER_EXT_BLOB).filter(|&c| !present[c]).collect();
    let zero_coeff = construct_vanishing_polynomial(&missing);
    let mut zero_eval = zero_coeff.clone();
    domain.fft(&mut zero_eval);

    // (E * Z) on the domain equals (P * Z); back to coefficients.
    for (e, z) in extended.iter_mut().zip(&zero_eval) {
        *e *= z;
    }
    domain.ifft(&mut extended);

    // Divide by Z over the coset, where Z has no zeros.
    domain.coset_fft(&mut extended);
    let mut zero_coset = zero_coeff;
    domain.coset_fft(&mut zero_coset);
    ark_ff::batch_inversion(&mut zero_coset);
    for (e, z) in extended.iter_mut().zip(&zero_coset) {
        *e *= z;
    }
    domain.coset_ifft(&mut extended);
    extended.truncate(FIELD_ELEMENTS_PER_BLOB);
    extended
}
