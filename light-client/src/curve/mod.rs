//! The pairing check every verifier ends in, and the other hot arithmetic of
//! BLS and KZG, each on the fastest field for the target it runs on.
//!
//! BLS signatures and KZG openings both reduce to "is this product of
//! pairings one?", after key sums (BLS), MSMs, subgroup checks and square
//! roots (KZG point decoding). Natively, arkworks' 64-bit limbs multiply
//! through the CPU's 64×64→128-bit instruction and are the fastest choice.
//! WebAssembly has no such instruction: arkworks' products become compiler-rt
//! `__multi3` calls. So on wasm32 (`fast()`) these run over [`bls12`], the same
//! curve rebuilt on the 32-bit-limb base field of [`fq32`]. Callers keep
//! `ark_bls12_381` points; crossing over ([`bls12::Twin`]) copies the same
//! bits.
//!
//! Measured (docs/benchmarks.md, session 6): a first try in session 4 made no
//! gain on the pairing because its `Fq2` product (arkworks asks the base field
//! for two sums of two products) cost four base products; with each sum fused
//! into one Montgomery pass it costs 2.8. In Chromium, FAV then takes 0.71×
//! and the 16×32 KZG check 0.72× of their time on arkworks' field (the bench's
//! interleaved `_field_ab` rows).
//!
//! Both paths compile on every target, so native tests hold the wasm path to
//! arkworks' answers and the browser tests run it for real.
//!
//! `affine_sum` adds many affine points with shared inversions (key
//! aggregation); `msm` is a Pippenger MSM whose buckets are summed the same
//! way (the KZG batch check); `subgroup` is the G1 membership test with
//! plain multiplications by the curve parameter (KZG point decoding);
//! `sqrt` square roots in Fq by a fixed-window exponentiation (point
//! decoding, hashing to G2); `g2_cofactor` the last step of hashing to G2;
//! `pairing` the Miller loop and final exponentiation on the twin (fewer
//! products than arkworks' generic code, same values); `inverse` the
//! twin's inversion, a binary GCD on 31-step approximations.
//!
//! Session 7 (docs/benchmarks.md): `pairing` and `inverse` took FAV from
//! 0.71× to about 0.62× of its time on arkworks' field in Chromium.

mod affine_sum;
pub mod bls12;
pub mod fq32;
mod g2_cofactor;
mod inverse;
mod msm;
mod pairing;
mod sqrt;
mod subgroup;

pub use g2_cofactor::clear_cofactor_g2;
pub use sqrt::sqrt_fq;
pub(crate) use sqrt::pow_p_plus_1_div_4;
pub use subgroup::g1_in_subgroup;

use ark_bls12_381::{Fq2, G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ec::short_weierstrass::{Affine, Projective};
use ark_ec::CurveGroup;
use ark_ff::{Field, One, Zero};
use bls12::Twin;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by the bench to time arkworks' field in the same page (`BenchWorkloads.useArkworksField`).
static ARKWORKS_FIELD: AtomicBool = AtomicBool::new(false);

/// Whether the arithmetic crosses over to the 32-bit-limb twin: on wasm32,
/// unless the bench asked for arkworks' field.
#[inline]
pub(crate) fn fast() -> bool {
    cfg!(target_arch = "wasm32") && !ARKWORKS_FIELD.load(Ordering::Relaxed)
}

/// Runs the hot arithmetic on arkworks' field even on wasm32, so a bench can
/// compare both fields in one run (feature `bench`; never in shipped builds).
#[cfg(feature = "bench")]
pub fn use_arkworks_field(on: bool) {
    ARKWORKS_FIELD.store(on, Ordering::Relaxed);
}

/// Whether `∏ e(g1[i], g2[i]) = 1`, with one multi-Miller loop and one final
/// exponentiation, on the field that is fastest for this target.
pub fn pairing_product_is_one<I, J>(g1: I, g2: J) -> bool
where
    I: IntoIterator<Item = G1Affine>,
    J: IntoIterator<Item = G2Affine>,
{
    if fast() { pairing_product_is_one_fq32(g1, g2) } else { pairing_product_is_one_ark(g1, g2) }
}

/// The check on `ark_bls12_381`'s own field (64-bit limbs).
pub fn pairing_product_is_one_ark<I, J>(g1: I, g2: J) -> bool
where
    I: IntoIterator<Item = G1Affine>,
    J: IntoIterator<Item = G2Affine>,
{
    let (g1, g2): (Vec<_>, Vec<_>) = (g1.into_iter().collect(), g2.into_iter().collect());
    // arkworks panics on lists of different lengths; a check refuses them.
    if g1.len() != g2.len() {
        return false;
    }
    let miller = ark_bls12_381::Bls12_381::multi_miller_loop(g1, g2);
    // `final_exponentiation` gives `None` only for a zero Miller-loop value,
    // which no product of pairings produces; treat it as "does not verify".
    ark_bls12_381::Bls12_381::final_exponentiation(miller).is_some_and(|out| out.0.is_one())
}

/// The check on [`bls12`] (32-bit limbs), after copying the points over.
pub fn pairing_product_is_one_fq32<I, J>(g1: I, g2: J) -> bool
where
    I: IntoIterator<Item = G1Affine>,
    J: IntoIterator<Item = G2Affine>,
{
    let g1: Vec<_> = g1.into_iter().map(|p| ark_bls12_381::g1::Config::to_fast(&p)).collect();
    let g2: Vec<_> = g2.into_iter().map(|q| ark_bls12_381::g2::Config::to_fast(&q)).collect();
    if g1.len() != g2.len() {
        return false;
    }
    let pairs: Vec<_> = g1.into_iter().zip(g2).collect();
    pairing::final_exponentiation(&pairing::multi_miller_loop(&pairs)).is_some_and(|out| out.is_one())
}

/// The multi-Miller loop of [`pairing_product_is_one`] alone, on this
/// target's path, as arkworks' `Fq12` (the bench's profile of a check).
#[cfg(feature = "bench")]
pub fn miller_loop(g1: &[G1Affine], g2: &[G2Affine]) -> ark_bls12_381::Fq12 {
    if fast() {
        let pairs: Vec<_> = g1.iter().zip(g2).map(|(p, q)| (ark_bls12_381::g1::Config::to_fast(p), ark_bls12_381::g2::Config::to_fast(q))).collect();
        pairing::fq12_to_ark(&pairing::multi_miller_loop(&pairs))
    } else {
        ark_bls12_381::Bls12_381::multi_miller_loop(g1.iter().copied(), g2.iter().copied()).0
    }
}

/// The final exponentiation of [`pairing_product_is_one`] alone, on this
/// target's path: whether it sends `f` to one.
#[cfg(feature = "bench")]
pub fn final_exponentiation_is_one(f: &ark_bls12_381::Fq12) -> bool {
    if fast() {
        pairing::final_exponentiation(&pairing::fq12_from_ark(f)).is_some_and(|out| out.is_one())
    } else {
        ark_bls12_381::Bls12_381::final_exponentiation(ark_ec::pairing::MillerLoopOutput(*f)).is_some_and(|out| out.0.is_one())
    }
}

/// A field element from a counter, through SHA-512: test inputs without an RNG.
#[cfg(test)]
pub(crate) fn sample<F: ark_ff::PrimeField>(i: u32) -> F {
    use sha2::{Digest, Sha512};
    F::from_le_bytes_mod_order(&Sha512::digest(i.to_le_bytes()))
}

/// The sum of `points` ([`affine_sum::sum_affine`]) on this target's field.
pub fn sum_affine<P: Twin>(points: &[Affine<P>]) -> Projective<P> {
    if fast() {
        let twins: Vec<_> = points.iter().map(P::to_fast).collect();
        P::from_fast(&affine_sum::sum_affine(&twins))
    } else {
        affine_sum::sum_affine(points)
    }
}

/// The affine form of `p`: one inversion, on the twin where that is faster
/// (`inverse`: a binary GCD about 2.5× arkworks' in Chromium).
pub fn to_affine<P: Twin>(p: &Projective<P>) -> Affine<P> {
    if fast() { P::from_fast_affine(&P::to_fast_projective(p).into_affine()) } else { p.into_affine() }
}

/// Inverts every nonzero element of `v` (zeros stay zero) with one base-field
/// inversion (Montgomery's trick), on the twin's inversion where that is
/// faster: arkworks' `batch_inversion` for the hashing code, which works on
/// `ark_bls12_381`'s field.
pub(crate) fn batch_inverse_fq2(v: &mut [Fq2]) {
    if fast() { batch_inverse_fq2_with(v, fq32::inverse_of_ark) } else { batch_inverse_fq2_with(v, |x| x.inverse()) }
}

/// [`batch_inverse_fq2`] with a given base-field inversion.
fn batch_inverse_fq2_with(v: &mut [Fq2], invert: impl Fn(&ark_bls12_381::Fq) -> Option<ark_bls12_381::Fq>) {
    let mut prefix = Vec::with_capacity(v.len());
    let mut acc = Fq2::ONE;
    for x in v.iter() {
        prefix.push(acc);
        if !x.is_zero() {
            acc *= x;
        }
    }
    // acc⁻¹ = conj(acc) / N(acc), N(a + bu) = a² + b².
    let norm = acc.c0.square() + acc.c1.square();
    let Some(norm_inv) = invert(&norm) else { return };
    let mut inv = Fq2::new(acc.c0 * norm_inv, -acc.c1 * norm_inv);
    for (x, before) in v.iter_mut().zip(prefix).rev() {
        if !x.is_zero() {
            let x_inv = inv * before;
            inv *= *x;
            *x = x_inv;
        }
    }
}

/// `Σ scalars[i]·bases[i]` ([`msm::msm`]) on this target's field.
pub fn msm<P: Twin>(bases: &[Affine<P>], scalars: &[P::ScalarField]) -> Projective<P> {
    if fast() {
        let twins: Vec<_> = bases.iter().map(P::to_fast).collect();
        P::from_fast(&msm::msm(&twins, scalars))
    } else {
        msm::msm(bases, scalars)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::Fr;
    use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};

    fn scalar(i: u32) -> Fr {
        sample(i)
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
            assert!(pairing_product_is_one_fq32(good, g2) && pairing_product_is_one_ark(good, g2));
            assert!(!pairing_product_is_one_fq32(bad, g2) && !pairing_product_is_one_ark(bad, g2));
        }
    }

    #[test]
    fn lists_of_different_lengths_are_refused_on_both_fields() {
        let g2 = [G2Affine::generator(), G2Affine::generator()];
        assert!(!pairing_product_is_one_fq32([G1Affine::zero()], g2));
        assert!(!pairing_product_is_one_ark([G1Affine::zero()], g2));
        assert!(pairing_product_is_one_fq32([G1Affine::zero(), G1Affine::zero()], g2));
        assert!(pairing_product_is_one_ark([G1Affine::zero(), G1Affine::zero()], g2));
    }

    #[test]
    fn a_pairing_with_the_identity_is_one() {
        assert!(pairing_product_is_one([G1Affine::zero()], [G2Affine::generator()]));
        assert!(pairing_product_is_one_fq32([G1Affine::zero()], [G2Affine::generator()]));
    }

    #[test]
    fn the_target_group_values_are_identical_on_both_fields() {
        let p = (G1Affine::generator() * scalar(99)).into_affine();
        let q = (G2Affine::generator() * scalar(98)).into_affine();
        let ours = bls12::Bls12_381::pairing(ark_bls12_381::g1::Config::to_fast(&p), ark_bls12_381::g2::Config::to_fast(&q)).0;
        let theirs = ark_bls12_381::Bls12_381::pairing(p, q).0;
        let ours = [ours.c0, ours.c1].map(|h| [h.c0, h.c1, h.c2].map(|e| [e.c0.0, e.c1.0]));
        let theirs = [theirs.c0, theirs.c1].map(|h| [h.c0, h.c1, h.c2].map(|e| [e.c0.0, e.c1.0]));
        assert_eq!(ours, theirs, "all twelve base-field coefficients, bit for bit");
    }

    #[test]
    fn batch_inversion_on_either_field_equals_arkworks() {
        let mut v: Vec<Fq2> = (0..9).map(|i| Fq2::new(sample(2 * i), sample(2 * i + 1))).collect();
        v[3] = Fq2::zero();
        v[5] = Fq2::new(sample(77), ark_bls12_381::Fq::zero());
        let mut theirs = v.clone();
        ark_ff::batch_inversion(&mut theirs);
        for invert in [fq32::inverse_of_ark as fn(&ark_bls12_381::Fq) -> Option<ark_bls12_381::Fq>, |x| x.inverse()] {
            let mut ours = v.clone();
            batch_inverse_fq2_with(&mut ours, invert);
            assert_eq!(ours, theirs);
        }
        let mut empty: [Fq2; 0] = [];
        batch_inverse_fq2(&mut empty);
    }

    #[test]
    fn affine_forms_on_the_twin_equal_arkworks() {
        use ark_bls12_381::G1Projective;
        for i in 0..4 {
            let p = G1Affine::generator() * scalar(500 + i) + G1Affine::generator();
            let q = G2Affine::generator() * scalar(600 + i) + G2Affine::generator();
            let twin1 = ark_bls12_381::g1::Config::to_fast_projective(&p).into_affine();
            let twin2 = ark_bls12_381::g2::Config::to_fast_projective(&q).into_affine();
            assert_eq!(ark_bls12_381::g1::Config::from_fast_affine(&twin1), p.into_affine());
            assert_eq!(ark_bls12_381::g2::Config::from_fast_affine(&twin2), q.into_affine());
            assert_eq!(to_affine(&p), p.into_affine());
        }
        let zero = ark_bls12_381::g1::Config::to_fast_projective(&G1Projective::zero()).into_affine();
        assert!(ark_bls12_381::g1::Config::from_fast_affine(&zero).infinity);
    }

    #[test]
    fn sums_and_msms_on_the_twin_equal_arkworks() {
        use ark_bls12_381::{G1Projective, G2Projective};
        let g1: Vec<G1Affine> = G1Projective::normalize_batch(&(0..40).map(|i| G1Affine::generator() * scalar(200 + i)).collect::<Vec<_>>());
        let g2: Vec<G2Affine> = G2Projective::normalize_batch(&(0..9).map(|i| G2Affine::generator() * scalar(300 + i)).collect::<Vec<_>>());
        let scalars: Vec<Fr> = (0..40).map(|i| scalar(400 + i)).collect();
        let twin1: Vec<_> = g1.iter().map(ark_bls12_381::g1::Config::to_fast).collect();
        let twin2: Vec<_> = g2.iter().map(ark_bls12_381::g2::Config::to_fast).collect();
        assert_eq!(ark_bls12_381::g1::Config::from_fast(&affine_sum::sum_affine(&twin1)), affine_sum::sum_affine(&g1));
        assert_eq!(ark_bls12_381::g2::Config::from_fast(&affine_sum::sum_affine(&twin2)), affine_sum::sum_affine(&g2));
        assert_eq!(ark_bls12_381::g1::Config::from_fast(&msm::msm(&twin1, &scalars)), msm::msm(&g1, &scalars));
        assert_eq!(sum_affine(&g1), g1.iter().map(|p| p.into_group()).sum::<G1Projective>());
        assert_eq!(msm(&g1, &scalars), G1Projective::msm_unchecked(&g1, &scalars));
    }
}
