//! BLS12-381 rebuilt over [`Fq`](super::fq32::Fq): the same curve, tower and
//! pairing as `ark_bls12_381`, only with the 32-bit-limb base field.
//!
//! arkworks fixes a curve's field type in its configs, so a faster field means
//! configs of our own. Every constant is taken from `ark_bls12_381` itself and
//! converted at compile time (the Montgomery bits are identical), so nothing
//! here is a second copy of the curve's parameters that could drift; the only
//! code of our own is the three cheap "multiply by the non-residue" shortcuts
//! that `ark_bls12_381` also specialises (by `−1` in `Fq2`, by `1 + u` in `Fq6`).
//!
//! Points are parsed and hashed with `ark_bls12_381` and cross over through
//! [`Twin`] for the hot arithmetic (pairings, sums, MSMs, subgroup checks).

use ark_bls12_381 as ark;
use ark_ec::bls12::{Bls12, Bls12Config};
use ark_ec::models::CurveConfig;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ff::AdditiveGroup;
use ark_ff::fields::models::fp2::{Fp2, Fp2Config};
use ark_ff::fields::models::fp6_3over2::{Fp6, Fp6Config};
use ark_ff::fields::models::fp12_2over3over2::Fp12Config;

use super::fq32::{Fq, from_ark, to_ark};

/// `Fq2 = Fq[u]/(u² + 1)`.
pub type Fq2 = Fp2<Fq2Config>;
/// `Fq6 = Fq2[v]/(v³ − (1 + u))`.
pub type Fq6 = Fp6<Fq6Config>;

const fn fq2(x: ark::Fq2) -> Fq2 {
    Fq2::new(from_ark(x.c0), from_ark(x.c1))
}

const fn fq_array<const K: usize>(x: &[ark::Fq]) -> [Fq; K] {
    let mut out = [Fq::ZERO; K];
    let mut i = 0;
    while i < K {
        out[i] = from_ark(x[i]);
        i += 1;
    }
    out
}

const fn fq2_array<const K: usize>(x: &[ark::Fq2]) -> [Fq2; K] {
    let mut out = [Fq2::ZERO; K];
    let mut i = 0;
    while i < K {
        out[i] = fq2(x[i]);
        i += 1;
    }
    out
}

const FROB_FP2_C1: [Fq; 2] = fq_array(<ark::Fq2Config as Fp2Config>::FROBENIUS_COEFF_FP2_C1);
const FROB_FP6_C1: [Fq2; 6] = fq2_array(<ark::Fq6Config as Fp6Config>::FROBENIUS_COEFF_FP6_C1);
const FROB_FP6_C2: [Fq2; 6] = fq2_array(<ark::Fq6Config as Fp6Config>::FROBENIUS_COEFF_FP6_C2);
const FROB_FP12_C1: [Fq2; 12] = fq2_array(<ark::Fq12Config as Fp12Config>::FROBENIUS_COEFF_FP12_C1);

/// The quadratic extension's config.
pub struct Fq2Config;

impl Fp2Config for Fq2Config {
    type Fp = Fq;
    const NONRESIDUE: Fq = from_ark(<ark::Fq2Config as Fp2Config>::NONRESIDUE);
    const FROBENIUS_COEFF_FP2_C1: &'static [Fq] = &FROB_FP2_C1;

    /// The non-residue is `−1`.
    #[inline(always)]
    fn mul_fp_by_nonresidue_in_place(fe: &mut Fq) -> &mut Fq {
        fe.neg_in_place()
    }

    /// `y − (−1)·x`.
    #[inline(always)]
    fn sub_and_mul_fp_by_nonresidue(y: &mut Fq, x: &Fq) {
        *y += x;
    }

    /// `(−1 + 1)·y + x`.
    #[inline(always)]
    fn mul_fp_by_nonresidue_plus_one_and_add(y: &mut Fq, x: &Fq) {
        *y = *x;
    }

    /// `−y + x`.
    #[inline(always)]
    fn mul_fp_by_nonresidue_and_add(y: &mut Fq, x: &Fq) {
        y.neg_in_place();
        *y += x;
    }
}

/// The cubic extension's config.
#[derive(Clone, Copy)]
pub struct Fq6Config;

impl Fp6Config for Fq6Config {
    type Fp2Config = Fq2Config;
    const NONRESIDUE: Fq2 = fq2(<ark::Fq6Config as Fp6Config>::NONRESIDUE);
    const FROBENIUS_COEFF_FP6_C1: &'static [Fq2] = &FROB_FP6_C1;
    const FROBENIUS_COEFF_FP6_C2: &'static [Fq2] = &FROB_FP6_C2;

    /// `(c0 + c1·u)(1 + u) = (c0 − c1) + (c0 + c1)·u`.
    #[inline(always)]
    fn mul_fp2_by_nonresidue_in_place(fe: &mut Fq2) -> &mut Fq2 {
        let c0 = fe.c0;
        fe.c0 -= &fe.c1;
        fe.c1 += &c0;
        fe
    }
}

/// The degree-12 extension's config.
#[derive(Clone, Copy)]
pub struct Fq12Config;

impl Fp12Config for Fq12Config {
    type Fp6Config = Fq6Config;
    const NONRESIDUE: Fq6 = {
        let n = <ark::Fq12Config as Fp12Config>::NONRESIDUE;
        Fq6::new(fq2(n.c0), fq2(n.c1), fq2(n.c2))
    };
    const FROBENIUS_COEFF_FP12_C1: &'static [Fq2] = &FROB_FP12_C1;
}

/// G1 over our base field.
pub struct G1Config;

impl CurveConfig for G1Config {
    type BaseField = Fq;
    type ScalarField = ark::Fr;
    const COFACTOR: &'static [u64] = <ark::g1::Config as CurveConfig>::COFACTOR;
    const COFACTOR_INV: ark::Fr = <ark::g1::Config as CurveConfig>::COFACTOR_INV;
}

impl SWCurveConfig for G1Config {
    const COEFF_A: Fq = from_ark(<ark::g1::Config as SWCurveConfig>::COEFF_A);
    const COEFF_B: Fq = from_ark(<ark::g1::Config as SWCurveConfig>::COEFF_B);
    const GENERATOR: Affine<Self> = {
        let g = <ark::g1::Config as SWCurveConfig>::GENERATOR;
        Affine::new_unchecked(from_ark(g.x), from_ark(g.y))
    };

    /// `a = 0`.
    #[inline(always)]
    fn mul_by_a(_: Fq) -> Fq {
        Fq::ZERO
    }
}

/// G2 over our quadratic extension.
pub struct G2Config;

impl CurveConfig for G2Config {
    type BaseField = Fq2;
    type ScalarField = ark::Fr;
    const COFACTOR: &'static [u64] = <ark::g2::Config as CurveConfig>::COFACTOR;
    const COFACTOR_INV: ark::Fr = <ark::g2::Config as CurveConfig>::COFACTOR_INV;
}

impl SWCurveConfig for G2Config {
    const COEFF_A: Fq2 = fq2(<ark::g2::Config as SWCurveConfig>::COEFF_A);
    const COEFF_B: Fq2 = fq2(<ark::g2::Config as SWCurveConfig>::COEFF_B);
    const GENERATOR: Affine<Self> = {
        let g = <ark::g2::Config as SWCurveConfig>::GENERATOR;
        Affine::new_unchecked(fq2(g.x), fq2(g.y))
    };

    /// `a = 0`.
    #[inline(always)]
    fn mul_by_a(_: Fq2) -> Fq2 {
        Fq2::ZERO
    }
}

/// The pairing's parameters, all from `ark_bls12_381`.
pub struct Config;

impl Bls12Config for Config {
    const X: &'static [u64] = <ark::Config as Bls12Config>::X;
    const X_IS_NEGATIVE: bool = <ark::Config as Bls12Config>::X_IS_NEGATIVE;
    const TWIST_TYPE: ark_ec::bls12::TwistType = <ark::Config as Bls12Config>::TWIST_TYPE;
    type Fp = Fq;
    type Fp2Config = Fq2Config;
    type Fp6Config = Fq6Config;
    type Fp12Config = Fq12Config;
    type G1Config = G1Config;
    type G2Config = G2Config;
}

/// BLS12-381 with the 32-bit-limb base field.
pub type Bls12_381 = Bls12<Config>;

/// An `ark_bls12_381` curve and its twin here: points cross by copying bits.
pub trait Twin: SWCurveConfig {
    /// The same curve over the 32-bit-limb field.
    type Fast: SWCurveConfig<ScalarField = Self::ScalarField>;
    /// The twin of an affine point.
    fn to_fast(p: &Affine<Self>) -> Affine<Self::Fast>;
    /// The twin of a projective point.
    fn to_fast_projective(p: &Projective<Self>) -> Projective<Self::Fast>;
    /// The arkworks point of a projective twin.
    fn from_fast(p: &Projective<Self::Fast>) -> Projective<Self>;
    /// The arkworks point of an affine twin.
    fn from_fast_affine(p: &Affine<Self::Fast>) -> Affine<Self>;
}

const fn fq2_to_ark(x: &Fq2) -> ark::Fq2 {
    ark::Fq2::new(to_ark(&x.c0), to_ark(&x.c1))
}

impl Twin for ark::g1::Config {
    type Fast = G1Config;

    #[inline]
    fn to_fast(p: &ark::G1Affine) -> Affine<G1Config> {
        Affine { x: from_ark(p.x), y: from_ark(p.y), infinity: p.infinity }
    }

    #[inline]
    fn to_fast_projective(p: &ark::G1Projective) -> Projective<G1Config> {
        Projective::new_unchecked(from_ark(p.x), from_ark(p.y), from_ark(p.z))
    }

    #[inline]
    fn from_fast(p: &Projective<G1Config>) -> ark::G1Projective {
        ark::G1Projective::new_unchecked(to_ark(&p.x), to_ark(&p.y), to_ark(&p.z))
    }

    #[inline]
    fn from_fast_affine(p: &Affine<G1Config>) -> ark::G1Affine {
        ark::G1Affine { x: to_ark(&p.x), y: to_ark(&p.y), infinity: p.infinity }
    }
}

impl Twin for ark::g2::Config {
    type Fast = G2Config;

    #[inline]
    fn to_fast(p: &ark::G2Affine) -> Affine<G2Config> {
        Affine { x: fq2(p.x), y: fq2(p.y), infinity: p.infinity }
    }

    #[inline]
    fn to_fast_projective(p: &ark::G2Projective) -> Projective<G2Config> {
        Projective::new_unchecked(fq2(p.x), fq2(p.y), fq2(p.z))
    }

    #[inline]
    fn from_fast(p: &Projective<G2Config>) -> ark::G2Projective {
        ark::G2Projective::new_unchecked(fq2_to_ark(&p.x), fq2_to_ark(&p.y), fq2_to_ark(&p.z))
    }

    #[inline]
    fn from_fast_affine(p: &Affine<G2Config>) -> ark::G2Affine {
        ark::G2Affine { x: fq2_to_ark(&p.x), y: fq2_to_ark(&p.y), infinity: p.infinity }
    }
}
