//! Proofs of possession.
//!
//! Adding public keys together is only safe when each key's owner has shown
//! it knows the secret; otherwise someone can publish `pk_evil − pk_victim`
//! and forge "joint" signatures (the rogue-key attack). The POP ciphersuite's
//! proof is a signature on the key's own encoding under a separate tag, so a
//! proof can never be confused with an ordinary signature. Check each
//! validator's proof once when its key is first learned, then aggregate freely.

use super::hash_to_curve::{DST_POP, hash_with_valid_dst};
use super::verify::{neg_g1_generator, pairing_product_is_one};
use super::{PublicKey, SecretKey, Signature};

/// Proves possession of `sk` (the IETF `PopProve`).
pub fn pop_prove(sk: &SecretKey) -> Signature {
    let h = hash_with_valid_dst(&sk.public_key().to_bytes(), DST_POP);
    Signature::from_point_unchecked((h * *sk.scalar()).into())
}

/// Checks a proof of possession for `pk` (the IETF `PopVerify`).
pub fn pop_verify(pk: &PublicKey, proof: &Signature) -> bool {
    let h = hash_with_valid_dst(&pk.to_bytes(), DST_POP);
    pairing_product_is_one([*pk.as_point(), neg_g1_generator()], [h, *proof.as_point()])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::verify;

    #[test]
    fn proof_round_trip_and_separation_from_signatures() {
        let sk = SecretKey::from_bytes(&[11; 32]).expect("small constant key is below r");
        let pk = sk.public_key();
        let proof = pop_prove(&sk);
        assert!(pop_verify(&pk, &proof));
        let other = SecretKey::from_bytes(&[12; 32]).expect("small constant key is below r");
        assert!(!pop_verify(&other.public_key(), &proof));
        // A proof is not a signature on the key bytes, and vice versa.
        assert!(!verify(&pk, &pk.to_bytes(), &proof));
        assert!(!pop_verify(&pk, &sk.sign(&pk.to_bytes())));
    }
}
