//! Batch verification of independent signatures.
//!
//! Checking n signatures one by one costs n final exponentiations. Instead,
//! each set is weighted by a random 64-bit scalar `r_i` and one check is made:
//! `∏ e(r_i·pk_i, H(m_i)) · e(−g1, Σ r_i·σ_i) = 1`. If any set is invalid,
//! the product is 1 with probability about 2^-64 over the choice of scalars,
//! so a `true` means every set is valid; a `false` says only that at least
//! one is not (verify them singly to find which).
//!
//! The crate draws no randomness, so the caller passes a 32-byte seed. The
//! scalars are SHA-256 in counter mode over the seed *and* every set in the
//! batch, so an attacker who does not know the seed cannot aim forgeries at
//! the weights, and even a known or reused seed (as in the conformance
//! runner) leaves the weights bound to the exact inputs, Fiat–Shamir style.
//! Scalars are 64 bits because the multiplications by them are the main cost
//! beyond the pairing itself; they are applied on the cheaper G1 side for keys.

use ark_bls12_381::{G1Projective, G2Projective};
use ark_ec::{AffineRepr, CurveGroup};
use sha2::{Digest, Sha256};

use super::hash_to_curve::{DST_SIGNATURE, hash_with_valid_dst};
use super::verify::{neg_g1_generator, pairing_product_is_one};
use super::{PublicKey, Signature};

/// Domain tag for the weight derivation, so it cannot collide with any other use of the seed.
const BATCH_DST: &[u8] = b"ALOFT-BLS-BATCH-WEIGHTS-V1";

/// One signature to check in a batch: `signature` by `public_key` on `message`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SignatureSet<'a> {
    /// The signer's validated key.
    pub public_key: PublicKey,
    /// The signed message.
    pub message: &'a [u8],
    /// The signature to check.
    pub signature: Signature,
}

impl<'a> SignatureSet<'a> {
    /// Bundles one signature with its key and message.
    pub fn new(public_key: PublicKey, message: &'a [u8], signature: Signature) -> Self {
        Self {
            public_key,
            message,
            signature,
        }
    }
}

impl<'a> From<(PublicKey, &'a [u8], Signature)> for SignatureSet<'a> {
    fn from((public_key, message, signature): (PublicKey, &'a [u8], Signature)) -> Self {
        Self {
            public_key,
            message,
            signature,
        }
    }
}

/// Derives one non-zero 64-bit weight per set from the seed and the sets.
fn weights(sets: &[SignatureSet<'_>], randomness: &[u8; 32]) -> Vec<u64> {
    let mut transcript = Sha256::new();
    transcript.update(BATCH_DST);
    transcript.update(randomness);
    transcript.update((sets.len() as u64).to_be_bytes());
    for set in sets {
        transcript.update(set.public_key.to_bytes());
        transcript.update(set.signature.to_bytes());
        transcript.update((set.message.len() as u64).to_be_bytes());
        transcript.update(set.message);
    }
    let key: [u8; 32] = transcript.finalize().into();

    let mut out = Vec::with_capacity(sets.len());
    let mut counter = 0u64;
    while out.len() < sets.len() {
        let mut block = Sha256::new();
        block.update(key);
        block.update(counter.to_be_bytes());
        let block: [u8; 32] = block.finalize().into();
        for chunk in block.chunks_exact(8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            // A zero weight would drop its set from the check; 1 is as good as any other.
            out.push(u64::from_be_bytes(word).max(1));
        }
        counter += 1;
    }
    out.truncate(sets.len());
    out
}

/// Checks every set at once with a random linear combination and a single
/// multi-pairing. `randomness` must be fresh and unpredictable to whoever
/// produced the signatures (for example 32 bytes from the platform's CSPRNG).
/// False for an empty batch.
pub fn batch_verify(sets: &[SignatureSet<'_>], randomness: &[u8; 32]) -> bool {
    if sets.is_empty() {
        return false;
    }
    let weights = weights(sets, randomness);

    let weighted_keys: Vec<G1Projective> = sets
        .iter()
        .zip(&weights)
        .map(|(set, w)| set.public_key.as_point().mul_bigint([*w]))
        .collect();
    let weighted_sig: G2Projective = sets
        .iter()
        .zip(&weights)
        .map(|(set, w)| set.signature.as_point().mul_bigint([*w]))
        .sum();

    let g1 = G1Projective::normalize_batch(&weighted_keys)
        .into_iter()
        .chain([neg_g1_generator()]);
    let g2 = sets
        .iter()
        .map(|set| hash_with_valid_dst(set.message, DST_SIGNATURE))
        .chain([weighted_sig.into_affine()]);
    pairing_product_is_one(g1, g2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::SecretKey;

    const SEED: [u8; 32] = [42; 32];

    fn signed(n: u8) -> Vec<(PublicKey, Vec<u8>, Signature)> {
        (1..=n)
            .map(|i| {
                let sk = SecretKey::from_bytes(&[i; 32]).expect("small constant keys are below r");
                let msg = vec![i; i as usize];
                let sig = sk.sign(&msg);
                (sk.public_key(), msg, sig)
            })
            .collect()
    }

    fn sets(items: &[(PublicKey, Vec<u8>, Signature)]) -> Vec<SignatureSet<'_>> {
        items
            .iter()
            .map(|(pk, m, s)| SignatureSet::new(*pk, m, *s))
            .collect()
    }

    #[test]
    fn valid_batch_passes() {
        let items = signed(5);
        assert!(batch_verify(&sets(&items), &SEED));
        assert!(batch_verify(&sets(&items[..1]), &[0; 32]));
    }

    #[test]
    fn empty_batch_fails() {
        assert!(!batch_verify(&[], &SEED));
    }

    #[test]
    fn one_bad_set_fails_the_batch() {
        let mut items = signed(4);
        items[2].1.push(0);
        assert!(!batch_verify(&sets(&items), &SEED));
    }

    #[test]
    fn swapped_signatures_that_sum_correctly_fail() {
        // σ1 + σ2 is unchanged if the two signatures are swapped between sets,
        // so a plain sum check would pass; the weights catch it.
        let mut items = signed(2);
        let (a, b) = (items[0].2, items[1].2);
        items[0].2 = b;
        items[1].2 = a;
        assert!(!batch_verify(&sets(&items), &SEED));
    }

    #[test]
    fn weights_are_nonzero_and_depend_on_seed_and_sets() {
        let items = signed(6);
        let s = sets(&items);
        let w1 = weights(&s, &SEED);
        assert_eq!(w1.len(), 6);
        assert!(w1.iter().all(|w| *w != 0));
        assert_ne!(w1, weights(&s, &[7; 32]));
        assert_ne!(w1[..5], weights(&s[..5], &SEED)[..]);
    }
}
