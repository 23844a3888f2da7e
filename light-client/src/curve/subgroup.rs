//! The G1 subgroup check, with plain double-and-add multiplications by `|x|`.
//!
//! Every KZG proof and commitment is checked to lie in G1 when decoded (512
//! proofs per 16×32 batch). The test is Scott's (eprint 2021/1130, §6), the
//! one arkworks uses: `P` is in G1 iff `φ(P) = −[x²]P`, with `φ(x, y) = (βx, y)`
//! and `x` the curve's 64-bit parameter. arkworks computes the second `[|x|]`
//! through its projective multiplication, which for G1 is the GLV method: it
//! decomposes the 64-bit scalar against the 255-bit group order and runs a
//! two-dimensional ladder, several times the cost of the 63 doublings and 5
//! additions `|x| = 0xd201000000010000` needs. The bench measured the
//! decoding of 512 proofs at 51.6 ms natively with arkworks' check against
//! 10.5 ms without any check. Same predicate, same early exit; equality with
//! arkworks is tested below on points in and out of the subgroup.

use ark_bls12_381::g1::BETA;
use ark_bls12_381::G1Affine;
use ark_ec::short_weierstrass::{Affine, Projective, SWCurveConfig};
use ark_ec::{AdditiveGroup, bls12::Bls12Config};
use ark_ff::{BitIteratorBE, Zero};

use super::bls12::Twin;

/// `[|x|]P` by double-and-add over the bits of `|x|`.
pub(crate) fn mul_by_abs_x<C: SWCurveConfig>(p: &Projective<C>) -> Projective<C> {
    let mut acc = Projective::<C>::zero();
    for bit in BitIteratorBE::without_leading_zeros(ark_bls12_381::Config::X) {
        acc.double_in_place();
        if bit {
            acc += p;
        }
    }
    acc
}

/// Whether `p`, a point on the curve, lies in the prime-order subgroup G1.
pub fn g1_in_subgroup(p: &G1Affine) -> bool {
    if super::fast() {
        in_g1(&<ark_bls12_381::g1::Config as Twin>::to_fast(p), super::fq32::from_ark(BETA))
    } else {
        in_g1(p, BETA)
    }
}

/// The test on either field; `beta` is [`BETA`] in that field.
fn in_g1<C: SWCurveConfig>(p: &Affine<C>, beta: C::BaseField) -> bool {
    if p.infinity {
        return true;
    }
    let projective = Projective::<C>::from(*p);
    let x_p = mul_by_abs_x(&projective);
    // Early out (§6): [x]P = P for a point off the subgroup; the check below
    // would accept nothing else wrongly, this only saves time.
    if x_p == projective {
        return false;
    }
    let minus_x2_p = -mul_by_abs_x(&x_p);
    let phi_p = Affine::<C>::new_unchecked(p.x * beta, p.y);
    debug_assert!(phi_p.is_on_curve());
    minus_x2_p == Projective::<C>::from(phi_p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{AffineRepr, CurveGroup};
    use ark_bls12_381::Fq;
    use ark_ff::{Field, PrimeField};
    use sha2::{Digest, Sha512};

    #[test]
    fn beta_is_a_cube_root_of_unity() {
        assert_eq!(BETA.pow([3u64]), Fq::ONE);
        assert_ne!(BETA, Fq::ONE);
    }

    #[test]
    fn agrees_with_arkworks_in_and_out_of_the_subgroup() {
        let mut off = 0;
        for i in 0u32..200 {
            let x = Fq::from_le_bytes_mod_order(&Sha512::digest(i.to_le_bytes()));
            let Some(p) = G1Affine::get_point_from_x_unchecked(x, i % 2 == 0) else { continue };
            let theirs = p.is_in_correct_subgroup_assuming_on_curve();
            assert_eq!(g1_in_subgroup(&p), theirs, "x = {x}");
            let twin = <ark_bls12_381::g1::Config as Twin>::to_fast(&p);
            assert_eq!(in_g1(&twin, super::super::fq32::from_ark(BETA)), theirs, "32-bit limbs, x = {x}");
            off += usize::from(!theirs);
            // Its cofactor-cleared multiple is in the subgroup.
            let q = p.clear_cofactor();
            assert!(g1_in_subgroup(&q) && q.is_in_correct_subgroup_assuming_on_curve());
            let r = (G1Affine::generator() * ark_bls12_381::Fr::from(i + 1)).into_affine();
            assert!(g1_in_subgroup(&r));
        }
        assert!(off > 50, "random curve points are almost never in G1");
        assert!(g1_in_subgroup(&G1Affine::zero()));
    }
}
