//! The pairing check every verifier ends in: BLS signatures and KZG openings
//! both reduce to "is this product of pairings one?", answered here with one
//! multi-Miller loop and one final exponentiation.
//!
//! One place for it, because it is the hot path of every check and the place
//! a faster backend would go. One was tried and measured (session notes in
//! `docs/benchmarks.md`): BLS12-381 rebuilt on a 32-bit-limb base field, since
//! wasm32 has no 64×64→128-bit multiply and arkworks' limb products become
//! compiler-rt `__multi3` calls. It multiplied twice as fast in isolation but
//! the whole two-pair check was no faster in Chromium (4.1 ms against 3.9 ms
//! for arkworks, same bench run): V8 inlines the small `__multi3` and the
//! Miller loop's time is not only products. So arkworks' field stays.
//!
//! `affine_sum` adds many affine points with shared inversions (key
//! aggregation); `msm` is a Pippenger MSM whose buckets are summed the same
//! way (the KZG batch check); `subgroup` is the G1 membership test with
//! plain multiplications by the curve parameter (KZG point decoding);
//! `sqrt` square roots in Fq by a fixed-window exponentiation (point
//! decoding, hashing to G2).

mod affine_sum;
mod msm;
mod sqrt;
mod subgroup;

pub use affine_sum::sum_affine;
pub use msm::msm;
pub use sqrt::sqrt_fq;
pub(crate) use sqrt::pow_p_plus_1_div_4;
pub use subgroup::g1_in_subgroup;

use ark_bls12_381::{Bls12_381, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ff::One;

/// Whether `∏ e(g1[i], g2[i]) = 1`, with one multi-Miller loop and one final
/// exponentiation.
pub fn pairing_product_is_one<I, J>(g1: I, g2: J) -> bool
where
    I: IntoIterator<Item = G1Affine>,
    J: IntoIterator<Item = G2Affine>,
{
    let miller = Bls12_381::multi_miller_loop(g1, g2);
    // `final_exponentiation` gives `None` only for a zero Miller-loop value,
    // which no product of pairings produces; treat it as "does not verify".
    Bls12_381::final_exponentiation(miller).is_some_and(|out| out.0.is_one())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::Fr;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_ff::PrimeField;
    use sha2::{Digest, Sha512};

    fn scalar(i: u32) -> Fr {
        Fr::from_le_bytes_mod_order(&Sha512::digest(i.to_le_bytes()))
    }

    #[test]
    fn a_product_that_is_one_is_accepted_and_one_that_is_not_is_refused() {
        // e(a·g1, b·g2) · e(−ab·g1, g2) = 1, and not with −(ab + 1).
        for i in 0..3 {
            let (a, b) = (scalar(2 * i), scalar(2 * i + 1));
            let g2 = [(G2Affine::generator() * b).into_affine(), G2Affine::generator()];
            let good = [(G1Affine::generator() * a).into_affine(), (G1Affine::generator() * -(a * b)).into_affine()];
            let bad = [good[0], (G1Affine::generator() * -(a * b + Fr::from(1u8))).into_affine()];
            assert!(pairing_product_is_one(good, g2));
            assert!(!pairing_product_is_one(bad, g2));
        }
    }

    #[test]
    fn a_pairing_with_the_identity_is_one() {
        assert!(pairing_product_is_one([G1Affine::zero()], [G2Affine::generator()]));
    }
}
