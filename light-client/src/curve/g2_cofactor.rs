//! Cofactor clearing on G2, the last step of hashing a message to G2.
//!
//! RFC 9380 clears the cofactor with `h_eff`, computed the Budroni–Pintore
//! way (eprint 2017/419, §4.1) with the endomorphism ψ (untwist, Frobenius,
//! twist): `[h_eff]P = [x²−x−1]P + [x−1]ψ(P) + ψ²(2P)`. arkworks does the same
//! on its own field; here the two multiplications by the curve parameter,
//! nearly all of the work, run on [`super::bls12`]'s 32-bit-limb twin where
//! that is faster (`super::fast()`). The answer is arkworks' (tests compare
//! on points in and out of G2).
//!
//! ψ on a Jacobian point is `(X̄·c₀, Ȳ·c₁, Z̄)`, the bar being the Frobenius
//! (conjugation in Fq2): conjugation is a field automorphism, so it commutes
//! with `x = X/Z²`, `y = Y/Z³`, and the twist's constants scale the affine
//! coordinates, `c₀ = 1/(1+u)^((p−1)/3)` and `c₁ = 1/(1+u)^((p−1)/2)`.

use std::sync::OnceLock;

use ark_bls12_381::{Fq, Fq2, G2Affine, G2Projective};
use ark_ec::AdditiveGroup;
use ark_ff::{BigInteger, Field, PrimeField};

use super::bls12::Twin;
use super::subgroup::mul_by_abs_x;

/// ψ's two constants.
struct Psi {
    c0: Fq2,
    c1: Fq2,
}

/// `(p − 1)/d` as little-endian limbs (`d` divides `p − 1`: 2 and 3 do).
fn p_minus_1_over(d: u64) -> Vec<u64> {
    let mut limbs = Fq::MODULUS;
    limbs.sub_with_borrow(&<Fq as PrimeField>::BigInt::from(1u64));
    let mut out = limbs.0;
    let mut rem: u128 = 0;
    for limb in out.iter_mut().rev() {
        let cur = (rem << 64) | u128::from(*limb);
        *limb = (cur / u128::from(d)) as u64;
        rem = cur % u128::from(d);
    }
    debug_assert_eq!(rem, 0);
    out.to_vec()
}

fn psi_constants() -> &'static Psi {
    static C: OnceLock<Psi> = OnceLock::new();
    C.get_or_init(|| {
        let one_plus_u = Fq2::new(Fq::ONE, Fq::ONE);
        let inv = |e: Vec<u64>| one_plus_u.pow(e).inverse().unwrap_or_default();
        Psi { c0: inv(p_minus_1_over(3)), c1: inv(p_minus_1_over(2)) }
    })
}

/// ψ(P) on Jacobian coordinates.
fn psi(p: &G2Projective) -> G2Projective {
    let c = psi_constants();
    let (mut x, mut y, mut z) = (p.x, p.y, p.z);
    x.conjugate_in_place();
    y.conjugate_in_place();
    z.conjugate_in_place();
    G2Projective::new_unchecked(x * c.c0, y * c.c1, z)
}

/// `[x]P`, `x` the (negative) curve parameter, on this target's field.
fn mul_by_x(p: &G2Projective) -> G2Projective {
    let abs = if super::fast() {
        <ark_bls12_381::g2::Config as Twin>::from_fast(&mul_by_abs_x(&<ark_bls12_381::g2::Config as Twin>::to_fast_projective(p)))
    } else {
        mul_by_abs_x(p)
    };
    -abs
}

/// `[h_eff]P`: a point of E2 into G2, as RFC 9380's `clear_cofactor`.
pub fn clear_cofactor_g2(p: &G2Projective) -> G2Affine {
    let x_p = mul_by_x(p);
    let psi_p = psi(p);
    let psi2_2p = psi(&psi(&p.double()));
    // [x](xP + ψP) = [x²]P + [x]ψ(P).
    let x2_p_x_psi_p = mul_by_x(&(x_p + psi_p));
    super::to_affine(&(psi2_2p + x2_p_x_psi_p - x_p - psi_p - p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::Fr;
    use ark_ec::AffineRepr;

    fn fq(i: u32) -> Fq {
        crate::curve::sample(i)
    }

    #[test]
    fn psi_acts_on_g2_as_multiplication_by_x() {
        // For P in G2, ψ(P) = [p]P = [x]P (p ≡ x mod r).
        for i in 1..4u64 {
            let p = G2Affine::generator() * Fr::from(i * 7919);
            assert_eq!(psi(&p), mul_by_x(&p));
        }
    }

    #[test]
    fn the_twin_multiplies_by_x_as_arkworks() {
        let p = G2Affine::generator() * Fr::from(424242u64) + G2Affine::generator();
        let twin = <ark_bls12_381::g2::Config as Twin>::to_fast_projective(&p);
        assert_eq!(<ark_bls12_381::g2::Config as Twin>::from_fast(&mul_by_abs_x(&twin)), mul_by_abs_x(&p));
    }

    #[test]
    fn clearing_equals_arkworks_on_and_off_the_subgroup() {
        let mut tried = 0;
        for i in 0u32..40 {
            let x = Fq2::new(fq(2 * i), fq(2 * i + 1));
            let Some(p) = G2Affine::get_point_from_x_unchecked(x, i % 2 == 0) else { continue };
            tried += 1;
            assert_eq!(clear_cofactor_g2(&p.into_group()), p.clear_cofactor(), "x = {x}");
        }
        assert!(tried > 10);
        assert_eq!(clear_cofactor_g2(&G2Projective::ZERO), G2Affine::identity());
        let g = G2Affine::generator();
        assert_eq!(clear_cofactor_g2(&g.into_group()), g.clear_cofactor());
    }
}
