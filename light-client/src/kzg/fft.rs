//! Roots of unity, bit-reversal permutation and radix-2 FFTs (deneb
//! `compute_roots_of_unity`, `reverse_bits`, `bit_reversal_permutation`;
//! fulu `fft_field`, `coset_fft_field`).
//!
//! One FFT routine serves both scalars and G1 points (FK20 needs FFTs over
//! group elements), so it is generic over [`FftElement`]. The roots are the
//! spec's: powers of `7^((r - 1) / n)` with 7 the `PRIMITIVE_ROOT_OF_UNITY`.

use core::ops::{Add, Mul, Sub};

use ark_bls12_381::{Fr, G1Projective};
use ark_ff::{Field, One, PrimeField};

/// The spec's `PRIMITIVE_ROOT_OF_UNITY`, also the coset shift of `coset_fft_field`.
pub(crate) const PRIMITIVE_ROOT_OF_UNITY: u64 = 7;

/// What an FFT can run over: a module over the scalar field.
pub(crate) trait FftElement: Copy + Add<Output = Self> + Sub<Output = Self> + Mul<Fr, Output = Self> {}
impl FftElement for Fr {}
impl FftElement for G1Projective {}

/// `reverse_bits`: `x` with its `log2(n)` low bits reversed; `n` is a power of two.
pub(crate) fn reverse_bits(x: usize, n: usize) -> usize {
    let bits = n.trailing_zeros();
    if bits == 0 { 0 } else { x.reverse_bits() >> (usize::BITS - bits) }
}

/// `bit_reversal_permutation`, in place; the length must be a power of two.
pub(crate) fn bit_reverse_permute<T>(v: &mut [T]) {
    let n = v.len();
    for i in 0..n {
        let j = reverse_bits(i, n);
        if i < j {
            v.swap(i, j);
        }
    }
}

/// A primitive `n`-th root of unity, `7^((r - 1) / n)`; `n` must divide `2^32`.
pub(crate) fn primitive_root(n: usize) -> Fr {
    let mut exp = Fr::MODULUS;
    // The modulus is odd, so subtracting one touches only the lowest limb.
    exp.0[0] -= 1;
    exp >>= n.trailing_zeros();
    Fr::from(PRIMITIVE_ROOT_OF_UNITY).pow(exp)
}

/// `compute_powers`: `[1, x, x^2, ..., x^(n-1)]`.
pub(crate) fn powers(x: Fr, n: usize) -> Vec<Fr> {
    let mut out = Vec::with_capacity(n);
    let mut acc = Fr::one();
    for _ in 0..n {
        out.push(acc);
        acc *= x;
    }
    out
}

/// A multiplicative subgroup of size `n` (a power of two) with its FFTs.
#[derive(Clone, Debug)]
pub(crate) struct Domain {
    /// `compute_roots_of_unity(n)`, in natural order.
    pub roots: Vec<Fr>,
    inv_roots: Vec<Fr>,
    n_inv: Fr,
}

impl Domain {
    pub(crate) fn new(n: usize) -> Self {
        let w = primitive_root(n);
        let roots = powers(w, n);
        let mut inv_roots = Vec::with_capacity(n);
        inv_roots.push(Fr::one());
        inv_roots.extend(roots[1..].iter().rev().copied());
        let n_inv = Fr::from(n as u64).inverse().unwrap_or_default();
        Self { roots, inv_roots, n_inv }
    }

    /// `fft_field(vals, roots)`: coefficients to evaluations, in place.
    pub(crate) fn fft<T: FftElement>(&self, vals: &mut [T]) {
        fft_in_place(vals, &self.roots);
    }

    /// `fft_field(vals, roots, inv=True)`: evaluations to coefficients, in place.
    pub(crate) fn ifft<T: FftElement>(&self, vals: &mut [T]) {
        fft_in_place(vals, &self.inv_roots);
        for v in vals.iter_mut() {
            *v = *v * self.n_inv;
        }
    }

    /// `coset_fft_field(vals, roots)`: evaluations over the coset `7 * H`.
    pub(crate) fn coset_fft(&self, vals: &mut [Fr]) {
        shift(vals, Fr::from(PRIMITIVE_ROOT_OF_UNITY));
        self.fft(vals);
    }

    /// `coset_fft_field(vals, roots, inv=True)`: back from the coset `7 * H`.
    pub(crate) fn coset_ifft(&self, vals: &mut [Fr]) {
        self.ifft(vals);
        shift(vals, Fr::from(PRIMITIVE_ROOT_OF_UNITY).inverse().unwrap_or_default());
    }
}

/// Multiplies `vals[i]` by `factor^i`.
fn shift(vals: &mut [Fr], factor: Fr) {
    let mut acc = Fr::one();
    for v in vals.iter_mut() {
        *v *= acc;
        acc *= factor;
    }
}

/// An iterative decimation-in-time radix-2 FFT; `roots[i] = w^i` for the
/// transform's generator `w`, and `roots.len() == vals.len()`.
fn fft_in_place<T: FftElement>(vals: &mut [T], roots: &[Fr]) {
    let n = vals.len();
    debug_assert_eq!(n, roots.len());
    bit_reverse_permute(vals);
    let mut len = 2;
    while len <= n {
        let half = len / 2;
        let step = n / len;
        for start in (0..n).step_by(len) {
            for j in 0..half {
                let u = vals[start + j];
                // Skipping the multiplication by 1 matters when T is a group element.
                let v = if j == 0 { vals[start + half] } else { vals[start + j + half] * roots[j * step] };
                vals[start + j] = u + v;
                vals[start + j + half] = u - v;
            }
        }
        len <<= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_have_exact_order() {
        let w = primitive_root(8192);
        assert_eq!(w.pow([8192u64]), Fr::one());
        assert_ne!(w.pow([4096u64]), Fr::one());
        assert_eq!(primitive_root(4096), w * w);
    }

    #[test]
    fn fft_round_trip_matches_naive_evaluation() {
        let d = Domain::new(16);
        let coeffs: Vec<Fr> = (0..16u64).map(|i| Fr::from(i * i + 3)).collect();
        let mut evals = coeffs.clone();
        d.fft(&mut evals);
        for (k, e) in evals.iter().enumerate() {
            let x = d.roots[k];
            let naive = coeffs.iter().rev().fold(Fr::from(0u64), |acc, c| acc * x + c);
            assert_eq!(*e, naive);
        }
        d.ifft(&mut evals);
        assert_eq!(evals, coeffs);
        d.coset_fft(&mut evals);
        d.coset_ifft(&mut evals);
        assert_eq!(evals, coeffs);
    }

    #[test]
    fn reverse_bits_small() {
        assert_eq!(reverse_bits(1, 8), 4);
        assert_eq!(reverse_bits(6, 8), 3);
        assert_eq!(reverse_bits(0, 1), 0);
    }
}
