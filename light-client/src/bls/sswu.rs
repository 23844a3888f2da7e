//! RFC 9380's hash to G2 with fewer exponentiations than arkworks' generic map.
//!
//! The output is exactly `hash_to_curve` of suite `BLS12381G2_XMD:SHA-256_SSWU_RO_`
//! (the RFC vectors and an equality test against arkworks' `MapToCurveBasedHasher`
//! pin it). What differs is how the simplified SWU map finds its square root in
//! Fq2 = Fq[i]/(i² + 1), which is most of the time of hashing:
//!
//! 1. arkworks asks `is_square(gx1)` (one Fq exponentiation through the norm),
//!    then takes the square root by the complex method (a square root of the
//!    norm, a Legendre symbol and a square root of `δ = (a + √N)/2`: three
//!    more), and divides twice more. Four Fq exponentiations per map, two maps
//!    per message.
//! 2. Here, for `x = a + b·i`, one exponentiation `s = N(x)^((p+1)/4)` both
//!    decides squareness (`s² = N(x)`, else `s² = −N(x)` since `p ≡ 3 mod 4`)
//!    and, when `gx1` is not a square, gives a root of the norm of
//!    `gx2 = (Z·u²)³·gx1` for free: `N(Z) = 5` is a non-residue and `−5` a residue,
//!    so `√(N(gx2)) = N(Z·u²)·N(u)·√(−5)·s`.
//! 3. A second exponentiation `t = δ^((p+1)/4)` gives the root of whichever of
//!    `δ` and `δ' = a − δ` is the square: `δ·δ' = −(b/2)²` and `−1` is a
//!    non-residue, so exactly one is; if `t² = −δ`, then `√δ' = b/(2t)`.
//! 4. A message maps two field elements, and the two maps run side by side
//!    so that their inversions are shared: one for both maps' `gx1` and `x`
//!    divisions, one for the two `1/2t` of step 3, one for the isogeny's four
//!    denominators.
//!
//! Two exponentiations per map instead of four; three inversions per message
//! instead of ten (one costs about 90 base-field products in WASM).
//! Cofactor clearing is arkworks' method (the ψ-based one of Budroni–Pintore)
//! with its multiplications on the faster field ([`crate::curve::clear_cofactor_g2`]).

use std::sync::OnceLock;

use ark_bls12_381::{Fq, Fq2, G2Affine, g2};
use ark_ec::hashing::curve_maps::parity;
use ark_ec::hashing::curve_maps::swu::SWUConfig;
use ark_ec::hashing::curve_maps::wb::WBConfig;
use ark_ec::short_weierstrass::{Affine, SWCurveConfig};
use ark_ec::AffineRepr;
use ark_ff::field_hashers::{DefaultFieldHasher, HashToField};
use ark_ff::{Field, Zero};

use crate::curve::{batch_inverse_fq2, pow_p_plus_1_div_4};
#[cfg(test)]
use ark_ff::AdditiveGroup;
use sha2::Sha256;

/// The 3-isogenous curve E2' on which the SWU map lands.
type Iso = <g2::Config as WBConfig>::IsogenousCurve;

/// Constants derived once: `1/2` and `√(−5)` in Fq.
struct Constants {
    half: Fq,
    sqrt_minus_5: Fq,
}

fn constants() -> &'static Constants {
    static C: OnceLock<Constants> = OnceLock::new();
    C.get_or_init(|| {
        let half = Fq::from(2u8).inverse().unwrap_or_default();
        // −5 is a square mod p (tests check it), so this is its root.
        let sqrt_minus_5 = pow_p_plus_1_div_4(&-Fq::from(5u8));
        Constants { half, sqrt_minus_5 }
    })
}

/// The norm `a² + b²` of `a + b·i`.
fn norm(x: &Fq2) -> Fq {
    x.c0.square() + x.c1.square()
}

/// The first half of a square root of `x`, a square of Fq2, given a square
/// root `n` of its norm (step 3 of the module docs): the exponentiation.
/// The caller inverts [`HalfRoot::t`] (with the other map's) and finishes
/// with [`HalfRoot::finish`]. Any root will do: the caller fixes the sign.
enum HalfRoot {
    /// `x` in Fq: rare enough that arkworks' general root is fine.
    Done(Fq2),
    /// `t = δ^((p+1)/4)` and `b/2`; `t² = δ` or `t² = −δ`.
    Pending { t: Fq, half_b: Fq, t_is_root_of_delta: bool },
}

impl HalfRoot {
    fn start(x: &Fq2, n: Fq) -> HalfRoot {
        let c = constants();
        if x.c1.is_zero() {
            return HalfRoot::Done(x.sqrt().unwrap_or_default());
        }
        let half_b = x.c1 * c.half;
        let delta = (x.c0 + n) * c.half;
        let t = pow_p_plus_1_div_4(&delta);
        HalfRoot::Pending { t, half_b, t_is_root_of_delta: t.square() == delta }
    }

    /// The value to invert (zero when there is none: batch inversion skips it).
    fn t(&self) -> Fq {
        match self {
            HalfRoot::Done(_) => Fq::zero(),
            HalfRoot::Pending { t, .. } => *t,
        }
    }

    fn finish(&self, t_inv: Fq) -> Fq2 {
        match *self {
            HalfRoot::Done(y) => y,
            // √δ = t, and the imaginary part is b / 2t.
            HalfRoot::Pending { t, half_b, t_is_root_of_delta: true } => Fq2::new(t, half_b * t_inv),
            // t² = −δ: the square is δ' = −(b/2)²/δ, with root (b/2)/t.
            HalfRoot::Pending { t, half_b, t_is_root_of_delta: false } => Fq2::new(half_b * t_inv, t),
        }
    }
}

/// The simplified SWU map of RFC 9380 §6.6.2 onto E2' (with sgn0(y) =
/// sgn0(u)) for both of a message's field elements: the two maps' divisions
/// share one inversion and their square roots another (step 4).
fn map_to_iso(us: [Fq2; 2]) -> [Affine<Iso>; 2] {
    let c = constants();
    let (a, b, z) = (Iso::COEFF_A, Iso::COEFF_B, Iso::ZETA);
    struct Start {
        zeta_u2: Fq2,
        num_x1: Fq2,
        div2: Fq2,
        num_gx1: Fq2,
    }
    let starts = us.map(|u| {
        let zeta_u2 = z * u.square();
        let ta = zeta_u2.square() + zeta_u2;
        let num_x1 = b * (ta + Fq2::ONE);
        let div = a * if ta.is_zero() { z } else { -ta };
        let div2 = div.square();
        let num_gx1 = (num_x1.square() + a * div2) * num_x1 + b * div2 * div;
        (Start { zeta_u2, num_x1, div2, num_gx1 }, div2 * div)
    });
    // One inversion for both maps' gx1 = num_gx1 / div³ and x1 = num_x1 / div;
    // div ≠ 0 because A ≠ 0 and Z ≠ 0.
    let mut div3_inv = [starts[0].1, starts[1].1];
    batch_inverse_fq2(&mut div3_inv);
    let halves: [(Fq2, HalfRoot); 2] = core::array::from_fn(|i| {
        let (st, _) = &starts[i];
        let div_inv = div3_inv[i] * st.div2;
        let gx1 = st.num_gx1 * div3_inv[i];
        let alpha = norm(&gx1);
        let s = pow_p_plus_1_div_4(&alpha);
        if s.square() == alpha {
            (st.num_x1 * div_inv, HalfRoot::start(&gx1, s))
        } else {
            // gx1 is not a square; gx2 = (Z·u²)³·gx1 is, and its norm's root is
            // N(Z·u²)·N(u)·√(−5)·s.
            let gx2 = st.zeta_u2.square() * st.zeta_u2 * gx1;
            let n2 = norm(&st.zeta_u2) * norm(&us[i]) * c.sqrt_minus_5 * s;
            (st.zeta_u2 * st.num_x1 * div_inv, HalfRoot::start(&gx2, n2))
        }
    });
    // Fq elements, inverted as the real parts of Fq2 ones.
    let mut t_inv = [halves[0].1.t(), halves[1].1.t()].map(|t| Fq2::new(t, Fq::zero()));
    batch_inverse_fq2(&mut t_inv);
    let t_inv = t_inv.map(|t| t.c0);
    core::array::from_fn(|i| {
        let (x, half) = &halves[i];
        let y = half.finish(t_inv[i]);
        let y = if parity(&y) != parity(&us[i]) { -y } else { y };
        Affine::new_unchecked(*x, y)
    })
}

/// The 3-isogeny from E2' to E2 (RFC 9380 appendix E.3) of both mapped
/// points, with their four denominators inverted together.
fn isogeny(ps: [Affine<Iso>; 2]) -> [G2Affine; 2] {
    let map = <g2::Config as WBConfig>::ISOGENY_MAP;
    let horner = |coeffs: &[Fq2], x: Fq2| coeffs.iter().rev().fold(Fq2::zero(), |acc, k| acc * x + k);
    let xs = ps.map(|p| p.xy().map(|(x, _)| x).unwrap_or_default());
    let mut den = [0, 1, 2, 3].map(|k| {
        if ps[k / 2].infinity {
            return Fq2::zero();
        }
        horner(if k % 2 == 0 { map.x_map_denominator } else { map.y_map_denominator }, xs[k / 2])
    });
    batch_inverse_fq2(&mut den);
    core::array::from_fn(|i| match ps[i].xy() {
        None => G2Affine::identity(),
        Some((x, y)) => G2Affine::new_unchecked(
            horner(map.x_map_numerator, x) * den[2 * i],
            horner(map.y_map_numerator, x) * y * den[2 * i + 1],
        ),
    })
}

/// RFC 9380 `hash_to_curve` onto G2 with `expand_message_xmd` over SHA-256
/// (`dst` must be non-empty; the caller checks).
pub(crate) fn hash_to_g2(msg: &[u8], dst: &[u8]) -> G2Affine {
    let us: [Fq2; 2] = <DefaultFieldHasher<Sha256, 128> as HashToField<Fq2>>::new(dst).hash_to_field::<2>(msg);
    let [q0, q1] = isogeny(map_to_iso(us));
    crate::curve::clear_cofactor_g2(&(q0 + q1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::hashing::HashToCurve;
    use ark_ec::hashing::curve_maps::wb::WBMap;
    use ark_ec::hashing::map_to_curve_hasher::{MapToCurve, MapToCurveBasedHasher};

    #[test]
    fn the_constants_are_what_the_derivation_needs() {
        let c = constants();
        assert_eq!(c.sqrt_minus_5.square(), -Fq::from(5u8));
        assert_eq!(c.half.double(), Fq::ONE);
        assert_eq!(norm(&Iso::ZETA), Fq::from(5u8));
        assert!(Fq::from(5u8).sqrt().is_none(), "N(Z) = 5 must be a non-residue");
    }

    #[test]
    fn the_map_equals_arkworks_on_many_field_elements() {
        for i in 0..200 {
            let u = match i {
                0 => Fq2::zero(),
                1 => Fq2::new(Fq::from(7u8), Fq::zero()),
                2 => Fq2::new(Fq::zero(), Fq::from(7u8)),
                _ => Fq2::new(fq(2 * i), fq(2 * i + 1)),
            };
            // Paired with another element, in both orders (the two maps share inversions).
            let other = Fq2::new(fq(1000 + i), fq(2000 + i));
            let theirs = WBMap::<g2::Config>::map_to_curve(u).expect("total map");
            assert_eq!(isogeny(map_to_iso([u, other]))[0], theirs, "u = {u}, first");
            assert_eq!(isogeny(map_to_iso([other, u]))[1], theirs, "u = {u}, second");
        }
    }

    #[test]
    fn hashing_equals_arkworks_for_many_messages() {
        let dst = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
        let theirs =
            MapToCurveBasedHasher::<ark_bls12_381::G2Projective, DefaultFieldHasher<Sha256, 128>, WBMap<g2::Config>>::new(dst).expect("valid tag");
        for len in 0..64usize {
            let msg: Vec<u8> = (0..len).map(|i| (i * 31 + len) as u8).collect();
            assert_eq!(hash_to_g2(&msg, dst), theirs.hash(&msg).expect("total map"), "{len}-byte message");
        }
    }

    fn fq(i: u32) -> Fq {
        crate::curve::sample(i)
    }
}
