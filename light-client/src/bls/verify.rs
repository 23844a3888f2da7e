//! Single-signature verification and the pairing check everything else uses.
//!
//! A signature `σ` on `m` under `pk` is valid when `e(pk, H(m)) = e(g1, σ)`.
//! Written as `e(pk, H(m)) · e(−g1, σ) = 1`, both pairings share one Miller
//! loop and one final exponentiation (the costly, fixed part), which is
//! about half the work of computing two pairings and comparing them. The
//! aggregate and batch checks are the same equation with more pairs.

use ark_bls12_381::G1Affine;
use ark_ec::AffineRepr;

use super::hash_to_curve::{DST_SIGNATURE, hash_with_valid_dst};
use super::{PublicKey, Signature};

pub(crate) use crate::curve::pairing_product_is_one;

/// `−g1`, the fixed partner of the signature in every check.
pub(crate) fn neg_g1_generator() -> G1Affine {
    -G1Affine::generator()
}

/// Checks `sig` on `msg` under `pk` (the IETF `Verify` for the POP
/// ciphersuite). The key and the signature were validated when parsed, so
/// this only hashes the message and runs the pairing check.
pub fn verify(pk: &PublicKey, msg: &[u8], sig: &Signature) -> bool {
    let h = hash_with_valid_dst(msg, DST_SIGNATURE);
    pairing_product_is_one([*pk.as_point(), neg_g1_generator()], [h, *sig.as_point()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::SecretKey;

    fn key(seed: u8) -> SecretKey {
        SecretKey::from_bytes(&[seed; 32]).expect("small constant keys are below r")
    }

    #[test]
    fn sign_then_verify() {
        let sk = key(1);
        let sig = sk.sign(b"hello");
        assert!(verify(&sk.public_key(), b"hello", &sig));
    }

    #[test]
    fn tampering_is_detected() {
        let sk = key(2);
        let sig = sk.sign(b"hello");
        assert!(!verify(&sk.public_key(), b"hellp", &sig));
        assert!(!verify(&key(3).public_key(), b"hello", &sig));
        assert!(!verify(&sk.public_key(), b"hello", &key(3).sign(b"hello")));
        // Flipping the sign bit gives `−σ`, still a valid point but the wrong one.
        let mut bytes = sig.to_bytes();
        bytes[0] ^= 0x20;
        let neg = Signature::from_bytes(&bytes).expect("−σ is a valid point");
        assert!(!verify(&sk.public_key(), b"hello", &neg));
    }

    #[test]
    fn identity_signature_never_verifies() {
        let inf = Signature::from_point(ark_bls12_381::G2Affine::zero()).expect("identity");
        assert!(!verify(&key(4).public_key(), b"hello", &inf));
    }

    #[test]
    fn signature_bytes_round_trip() {
        let sig = key(5).sign(b"m");
        assert_eq!(Signature::from_bytes(&sig.to_bytes()), Ok(sig));
    }
}
