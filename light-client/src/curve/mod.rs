//! The pairing check every verifier ends in, with the fastest field
//! arithmetic for the target it runs on.
//!
//! BLS signatures and KZG openings both reduce to "is this product of
//! pairings one?". Natively, arkworks' 64-bit limbs multiply through the
//! CPU's 64×64→128-bit instruction and are the fastest choice. WebAssembly
//! has no such instruction: arkworks' products become compiler-rt calls, and
//! the Miller loop and final exponentiation spend most of their time there.
//! So on wasm32 the check runs over [`bls12`], the same curve rebuilt on the
//! 32-bit-limb base field of [`fq32`]. Callers keep `ark_bls12_381` points
//! (parsing, subgroup checks and hashing stay there); the conversion is a copy
//! of the same bits.
//!
//! Both paths are compiled on every target, so native tests hold the wasm
//! path to the arkworks answer (`tests` below) and the browser tests run it
//! for real.

pub mod bls12;
pub mod fq32;

use ark_bls12_381::{G1Affine, G2Affine};
use ark_ec::pairing::Pairing;
use ark_ff::One;

/// Whether `∏ e(g1[i], g2[i]) = 1`, with one multi-Miller loop and one final
/// exponentiation, on the backend that is fastest for this target.
pub fn pairing_product_is_one<I, J>(g1: I, g2: J) -> bool
where
    I: IntoIterator<Item = G1Affine>,
    J: IntoIterator<Item = G2Affine>,
{
    if cfg!(target_arch = "wasm32") {
        pairing_product_is_one_fq32(g1, g2)
    } else {
        pairing_product_is_one_ark(g1, g2)
    }
}

/// The check on `ark_bls12_381`'s own field (64-bit limbs).
pub fn pairing_product_is_one_ark<I, J>(g1: I, g2: J) -> bool
where
    I: IntoIterator<Item = G1Affine>,
    J: IntoIterator<Item = G2Affine>,
{
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
    let g1 = g1.into_iter().map(|p| bls12::g1_from_ark(&p));
    let g2 = g2.into_iter().map(|p| bls12::g2_from_ark(&p));
    let miller = bls12::Bls12_381::multi_miller_loop(g1, g2);
    bls12::Bls12_381::final_exponentiation(miller).is_some_and(|out| out.0.is_one())
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
    fn both_backends_accept_a_product_that_is_one() {
        // e(a·g1, b·g2) · e(−ab·g1, g2) = 1.
        for i in 0..4 {
            let (a, b) = (scalar(2 * i), scalar(2 * i + 1));
            let g1 = [
                (G1Affine::generator() * a).into_affine(),
                (G1Affine::generator() * -(a * b)).into_affine(),
            ];
            let g2 = [
                (G2Affine::generator() * b).into_affine(),
                G2Affine::generator(),
            ];
            assert!(pairing_product_is_one_ark(g1, g2));
            assert!(pairing_product_is_one_fq32(g1, g2));
            assert!(pairing_product_is_one(g1, g2));
        }
    }

    #[test]
    fn both_backends_refuse_a_product_that_is_not_one() {
        for i in 0..4 {
            let (a, b) = (scalar(10 + 2 * i), scalar(11 + 2 * i));
            let off = a * b + Fr::from(1u8);
            let g1 = [
                (G1Affine::generator() * a).into_affine(),
                (G1Affine::generator() * -off).into_affine(),
            ];
            let g2 = [
                (G2Affine::generator() * b).into_affine(),
                G2Affine::generator(),
            ];
            assert!(!pairing_product_is_one_ark(g1, g2));
            assert!(!pairing_product_is_one_fq32(g1, g2));
        }
    }

    #[test]
    fn the_target_group_values_are_identical() {
        let p = (G1Affine::generator() * scalar(99)).into_affine();
        let q = (G2Affine::generator() * scalar(98)).into_affine();
        let ours = bls12::Bls12_381::pairing(bls12::g1_from_ark(&p), bls12::g2_from_ark(&q)).0;
        let theirs = ark_bls12_381::Bls12_381::pairing(p, q).0;
        let flat = |f: [[[ark_ff::BigInt<6>; 2]; 3]; 2]| f;
        let ours = flat([ours.c0, ours.c1].map(|h| [h.c0, h.c1, h.c2].map(|e| [e.c0.0, e.c1.0])));
        let theirs =
            flat([theirs.c0, theirs.c1].map(|h| [h.c0, h.c1, h.c2].map(|e| [e.c0.0, e.c1.0])));
        assert_eq!(
            ours, theirs,
            "all twelve base-field coefficients, bit for bit"
        );
    }

    #[test]
    fn infinity_is_carried_over() {
        let zero = G1Affine::zero();
        assert!(bls12::g1_from_ark(&zero).infinity);
        // A pairing with the identity is one on both backends.
        assert!(pairing_product_is_one_fq32([zero], [G2Affine::generator()]));
        assert!(pairing_product_is_one_ark([zero], [G2Affine::generator()]));
    }
}
