//! Batch verification of cells from many blobs with one pairing check (fulu
//! `verify_cell_kzg_proof_batch`, `verify_cell_kzg_proof_batch_impl`,
//! `compute_verify_cell_kzg_proof_batch_challenge`).
//!
//! This is the universal verification equation: with `r` hashed from every
//! input, `e(sum r^k proof_k, [s^64]) == e(RLC - RLI + RLP, [1])` where
//! `RLC = sum_i weight_i C_i`, `RLP = sum_k r^k h_k^64 proof_k` and `RLI`
//! commits to `sum_k r^k I_k(X)` for the cells' interpolation polynomials.
//! The interpolation term is computed as the spec suggests (the IDFT method):
//! the evaluations of all cells that share a cell index are combined first,
//! so there is one size-64 inverse FFT per distinct index, not per cell. The
//! G1 work is two MSMs (proofs alone; commitments, proofs and 64 setup points
//! together, both by [`crate::curve::msm`]) and the pairing is a single
//! two-term multi-pairing.

use std::collections::BTreeMap;

use ark_bls12_381::{Fr, G1Affine, G1Projective};
use crate::curve::{msm, pairing_product_is_one};
use ark_ec::CurveGroup;
use ark_ff::{One, Zero};

use super::encoding::{bls_field_to_bytes, bytes_to_g1, cell_to_coset_evals, hash_to_bls_field};
use super::fft::{bit_reverse_permute, powers};
use super::{
    CELLS_PER_EXT_BLOB, Cell, CellIndex, Commitment, FIELD_ELEMENTS_PER_BLOB, FIELD_ELEMENTS_PER_CELL, FieldBytes, KzgError, Proof,
    TrustedSetup, VerifierSetup,
};

/// The spec's `RANDOM_CHALLENGE_KZG_CELL_BATCH_DOMAIN`.
const RANDOM_CHALLENGE_KZG_CELL_BATCH_DOMAIN: &[u8; 16] = b"RCKZGCBATCH__V1_";

/// The batch's inputs once decoded and checked.
struct CellBatch<'a> {
    commitment_bytes: Vec<&'a Commitment>,
    commitments: Vec<G1Affine>,
    commitment_indices: Vec<usize>,
    cell_indices: &'a [CellIndex],
    cells: &'a [Cell],
    evals: Vec<Vec<Fr>>,
    proof_bytes: &'a [Proof],
    proofs: Vec<G1Affine>,
}

/// The transcript hash of `compute_verify_cell_kzg_proof_batch_challenge`.
/// Cells are hashed as their bytes, which equal `bls_field_to_bytes` of their
/// evaluations once those have been checked canonical.
fn batch_challenge(commitments: &[&Commitment], commitment_indices: &[usize], cell_indices: &[CellIndex], cells: &[Cell], proofs: &[Proof]) -> Fr {
    let n = cell_indices.len();
    let mut data = Vec::with_capacity(48 + commitments.len() * 48 + n * (16 + super::BYTES_PER_CELL + 48));
    data.extend_from_slice(RANDOM_CHALLENGE_KZG_CELL_BATCH_DOMAIN);
    data.extend_from_slice(&(FIELD_ELEMENTS_PER_BLOB as u64).to_be_bytes());
    data.extend_from_slice(&(FIELD_ELEMENTS_PER_CELL as u64).to_be_bytes());
    data.extend_from_slice(&(commitments.len() as u64).to_be_bytes());
    data.extend_from_slice(&(n as u64).to_be_bytes());
    for c in commitments {
        data.extend_from_slice(c.as_bytes());
    }
    for k in 0..n {
        data.extend_from_slice(&(commitment_indices[k] as u64).to_be_bytes());
        data.extend_from_slice(&cell_indices[k].get().to_be_bytes());
        data.extend_from_slice(cells[k].as_bytes());
        data.extend_from_slice(proofs[k].as_bytes());
    }
    hash_to_bls_field(&data)
}

/// `compute_verify_cell_kzg_proof_batch_challenge`: the Fiat–Shamir `r` of the
/// batch equation, for already-deduplicated `commitments` and
/// `commitment_indices` into them. The cells must hold canonical field
/// elements (the spec's `CosetEvals`); commitments and proofs are hashed as
/// bytes and not decoded.
pub fn compute_verify_cell_kzg_proof_batch_challenge(
    commitments: &[Commitment],
    commitment_indices: &[u64],
    cell_indices: &[CellIndex],
    cells: &[Cell],
    proofs: &[Proof],
) -> Result<FieldBytes, KzgError> {
    let n = cell_indices.len();
    if commitment_indices.len() != n || cells.len() != n || proofs.len() != n {
        return Err(KzgError::LengthMismatch { what: "commitment indices, cell indices, cells and proofs" });
    }
    let mut indices = Vec::with_capacity(n);
    for &i in commitment_indices {
        if i >= commitments.len() as u64 {
            return Err(KzgError::CommitmentIndexOutOfRange(i));
        }
        indices.push(i as usize);
    }
    for cell in cells {
        cell_to_coset_evals(cell)?;
    }
    let refs: Vec<&Commitment> = commitments.iter().collect();
    Ok(bls_field_to_bytes(&batch_challenge(&refs, &indices, cell_indices, cells, proofs)))
}

impl VerifierSetup {
    /// `verify_cell_kzg_proof_batch`: checks that every `cells[k]` is cell
    /// `cell_indices[k]` of the blob committed to by `commitments[k]`, with
    /// `proofs[k]`; the entries may come from any number of blobs (repeat the
    /// commitment for each of a blob's cells). Malformed inputs are errors; a
    /// wrong cell or proof is `Ok(false)`. An empty batch is `Ok(true)`.
    pub fn verify_cell_kzg_proof_batch(
        &self,
        commitments: &[Commitment],
        cell_indices: &[CellIndex],
        cells: &[Cell],
        proofs: &[Proof],
    ) -> Result<bool, KzgError> {
        let n = cells.len();
        if commitments.len() != n || cell_indices.len() != n || proofs.len() != n {
            return Err(KzgError::LengthMismatch { what: "commitments, cell indices, cells and proofs" });
        }
        // Deduplicate commitments in first-occurrence order.
        let mut position: BTreeMap<&Commitment, usize> = BTreeMap::new();
        let mut commitment_bytes = Vec::new();
        let mut commitment_indices = Vec::with_capacity(n);
        for c in commitments {
            let next = commitment_bytes.len();
            let i = *position.entry(c).or_insert(next);
            if i == next {
                commitment_bytes.push(c);
            }
            commitment_indices.push(i);
        }
        let points = commitment_bytes.iter().map(|c| bytes_to_g1(c.as_bytes(), "commitment")).collect::<Result<Vec<_>, _>>()?;
        let evals = cells.iter().map(cell_to_coset_evals).collect::<Result<Vec<_>, _>>()?;
        let proof_points = proofs.iter().map(|p| bytes_to_g1(p.as_bytes(), "proof")).collect::<Result<Vec<_>, _>>()?;
        if n == 0 {
            return Ok(true);
        }
        Ok(self.verify_cell_kzg_proof_batch_impl(&CellBatch {
            commitment_bytes,
            commitments: points,
            commitment_indices,
            cell_indices,
            cells,
            evals,
            proof_bytes: proofs,
            proofs: proof_points,
        }))
    }

    /// `verify_cell_kzg_proof_batch_impl`.
    fn verify_cell_kzg_proof_batch_impl(&self, b: &CellBatch<'_>) -> bool {
        let n = b.cell_indices.len();
        let d = &self.domains;
        let r = batch_challenge(&b.commitment_bytes, &b.commitment_indices, b.cell_indices, b.cells, b.proof_bytes);
        let r_powers = powers(r, n);

        // LL = sum_k r^k proofs[k].
        let ll: G1Projective = msm(&b.proofs, &r_powers);

        // weights[i] = sum of r^k over the cells of commitment i.
        let mut weights = vec![Fr::zero(); b.commitments.len()];
        for (k, &i) in b.commitment_indices.iter().enumerate() {
            weights[i] += r_powers[k];
        }

        // sum_k r^k I_k(X): combine cells per index, then one IDFT per index.
        let mut aggregated = vec![Fr::zero(); CELLS_PER_EXT_BLOB * FIELD_ELEMENTS_PER_CELL];
        let mut used = [false; CELLS_PER_EXT_BLOB];
        for ((cell_index, evals), r_k) in b.cell_indices.iter().zip(&b.evals).zip(&r_powers) {
            let c = cell_index.as_usize();
            used[c] = true;
            let row = &mut aggregated[c * FIELD_ELEMENTS_PER_CELL..(c + 1) * FIELD_ELEMENTS_PER_CELL];
            for (acc, e) in row.iter_mut().zip(evals) {
                *acc += *r_k * e;
            }
        }
        let mut interpolation = vec![Fr::zero(); FIELD_ELEMENTS_PER_CELL];
        for c in (0..CELLS_PER_EXT_BLOB).filter(|&c| used[c]) {
            // Cell order is bit-reversed over the coset h_c * <w_64>; in natural
            // order the IDFT gives J(X) = I(h_c X), so I's coefficient i is J's times h_c^-i.
            let mut v = aggregated[c * FIELD_ELEMENTS_PER_CELL..(c + 1) * FIELD_ELEMENTS_PER_CELL].to_vec();
            bit_reverse_permute(&mut v);
            d.cell_domain.ifft(&mut v);
            let mut scale = Fr::one();
            for (acc, coeff) in interpolation.iter_mut().zip(&v) {
                *acc += *coeff * scale;
                scale *= d.coset_shift_inv[c];
            }
        }

        // RL = RLC - RLI + RLP as one MSM.
        let mut bases = Vec::with_capacity(b.commitments.len() + n + FIELD_ELEMENTS_PER_CELL);
        bases.extend_from_slice(&b.commitments);
        bases.extend_from_slice(&b.proofs);
        bases.extend_from_slice(&self.g1_monomial_cell);
        let mut scalars = weights;
        scalars.extend(b.cell_indices.iter().zip(&r_powers).map(|(c, r)| *r * d.coset_shift_pow_n[c.as_usize()]));
        scalars.extend(interpolation.iter().map(|x| -*x));
        let rl: G1Projective = msm(&bases, &scalars);

        pairing_product_is_one([ll.into_affine(), rl.into_affine()], [self.g2_s_pow_n, -self.g2_one])
    }
}

impl TrustedSetup {
    /// See [`VerifierSetup::verify_cell_kzg_proof_batch`].
    pub fn verify_cell_kzg_proof_batch(
        &self,
        commitments: &[Commitment],
        cell_indices: &[CellIndex],
        cells: &[Cell],
        proofs: &[Proof],
    ) -> Result<bool, KzgError> {
        self.verifier.verify_cell_kzg_proof_batch(commitments, cell_indices, cells, proofs)
    }
}
