//! All 128 cell proofs of a blob at once with FK20 (Feist–Khovratovich,
//! "Fast amortized KZG proofs"), instead of the spec's per-cell
//! `compute_kzg_proof_multi_impl` (128 MSMs of ~4000 points).
//!
//! The proof for cell `k` commits to `q_k = f / (X^64 - c_k)` with
//! `c_k = coset_shift_for_cell(k)^64`. Splitting `f` into 64 chunks
//! `f = sum_m X^(64 m) F_m` gives
//! `[q_k(s)] = sum_t c_k^t H_t` with
//! `H_t = sum_i sum_(m > t) f_(64 m + i) [s^(64 (m - 1 - t) + i)]`.
//! Since the `c_k` are the 128th roots of unity (in bit-reversed order),
//! the proofs are one size-128 FFT over G1 of the vector `H`. Each `H`
//! is a sum over `i < 64` of Toeplitz products, done as circulant
//! convolutions: the FFTs of the setup columns are precomputed once per
//! setup ([`Fk20Table`]), and per blob the work is 64 scalar FFTs, 128
//! MSMs of 64 points and two G1 FFTs of size 128.

use ark_bls12_381::{Fr, G1Affine, G1Projective};
use ark_ec::{CurveGroup, VariableBaseMSM};
use ark_ff::Zero;

use super::fft::{Domain, bit_reverse_permute};
use super::{CELLS_PER_EXT_BLOB, FIELD_ELEMENTS_PER_BLOB, FIELD_ELEMENTS_PER_CELL};

/// Number of coefficient chunks (and of Toeplitz rows): 4096 / 64.
const CHUNKS: usize = FIELD_ELEMENTS_PER_BLOB / FIELD_ELEMENTS_PER_CELL;
/// The circulant size: twice the number of chunks.
const CIRCULANT: usize = 2 * CHUNKS;

/// The setup-dependent FK20 precomputation: for every frequency `u < 128`,
/// the 64 points `FFT_128(S^(i))[u]` where `S^(i)_d = [s^(64 d + i)]`.
pub(crate) struct Fk20Table {
    columns: Vec<Vec<G1Affine>>,
    domain: Domain,
}

impl Fk20Table {
    pub(crate) fn new(g1_monomial: &[G1Affine]) -> Self {
        let domain = Domain::new(CIRCULANT);
        let mut transformed: Vec<Vec<G1Projective>> = Vec::with_capacity(FIELD_ELEMENTS_PER_CELL);
        for i in 0..FIELD_ELEMENTS_PER_CELL {
            let mut s = vec![G1Projective::zero(); CIRCULANT];
            for (d, slot) in s.iter_mut().take(CHUNKS).enumerate() {
                *slot = g1_monomial[d * FIELD_ELEMENTS_PER_CELL + i].into();
            }
            domain.fft(&mut s);
            transformed.push(s);
        }
        let columns = (0..CIRCULANT)
            .map(|u| {
                let col: Vec<G1Projective> = transformed.iter().map(|s| s[u]).collect();
                G1Projective::normalize_batch(&col)
            })
            .collect();
        Self { columns, domain }
    }

    /// The 128 cell proofs (in cell order) of the polynomial with these 4096 coefficients.
    pub(crate) fn prove(&self, coeffs: &[Fr]) -> Vec<G1Projective> {
        // Reversed chunk residues: abar^(i)_j = f_(64 (CHUNKS - 1 - j) + i), then their FFTs.
        let mut spectra: Vec<Vec<Fr>> = Vec::with_capacity(FIELD_ELEMENTS_PER_CELL);
        for i in 0..FIELD_ELEMENTS_PER_CELL {
            let mut a = vec![Fr::zero(); CIRCULANT];
            for (j, slot) in a.iter_mut().take(CHUNKS).enumerate() {
                *slot = coeffs[(CHUNKS - 1 - j) * FIELD_ELEMENTS_PER_CELL + i];
            }
            self.domain.fft(&mut a);
            spectra.push(a);
        }
        // Pointwise products summed over i: one MSM per frequency.
        let mut conv: Vec<G1Projective> = self
            .columns
            .iter()
            .enumerate()
            .map(|(u, col)| {
                let scalars: Vec<Fr> = spectra.iter().map(|a| a[u]).collect();
                G1Projective::msm_unchecked(col, &scalars)
            })
            .collect();
        self.domain.ifft(&mut conv);
        // H_t = conv[CHUNKS - 2 - t] for t <= CHUNKS - 2, zero above.
        let mut h = vec![G1Projective::zero(); CIRCULANT];
        for (t, slot) in h.iter_mut().take(CHUNKS - 1).enumerate() {
            *slot = conv[CHUNKS - 2 - t];
        }
        self.domain.fft(&mut h);
        bit_reverse_permute(&mut h);
        debug_assert_eq!(h.len(), CELLS_PER_EXT_BLOB);
        h
    }
}
