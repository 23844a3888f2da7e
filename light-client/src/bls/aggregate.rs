//! Aggregation, and verification of aggregates.
//!
//! Aggregates are sums of points. In the proof-of-possession ciphersuite,
//! every key has proven knowledge of its secret (see [`super::pop_verify`]),
//! which is what makes it safe to add keys together and verify many signers
//! on one message with a single two-pair pairing check
//! ([`fast_aggregate_verify`], the light client's hot path for commits). Keys
//! stay affine and are summed pairwise with shared inversions
//! ([`crate::curve::sum_affine`]), about 6 field products per key instead of
//! the 11 of a mixed addition.

use ark_ec::CurveGroup;
use ark_ff::Zero;

use crate::curve::sum_affine;

use super::hash_to_curve::{DST_SIGNATURE, hash_with_valid_dst};
use super::verify::{neg_g1_generator, pairing_product_is_one, verify};
use super::{BlsError, PublicKey, Signature};

/// Adds signatures together (the IETF `Aggregate`). The result may be the
/// identity. An empty list is refused with [`BlsError::EmptyInput`].
pub fn aggregate(signatures: &[Signature]) -> Result<Signature, BlsError> {
    if signatures.is_empty() {
        return Err(BlsError::EmptyInput);
    }
    let points: Vec<_> = signatures.iter().map(|s| *s.as_point()).collect();
    let sum = sum_affine(&points);
    // A sum of subgroup points stays in the subgroup.
    Ok(Signature::from_point_unchecked(sum.into_affine()))
}

/// Adds public keys together (the IETF `AggregatePKs`, followed by the
/// KeyValidate that `FastAggregateVerify` applies to the sum). Refuses an
/// empty list ([`BlsError::EmptyInput`]) and a sum that is the identity
/// ([`BlsError::InfinityPublicKey`]), since no signature can be checked
/// against it.
pub fn aggregate_public_keys(keys: &[PublicKey]) -> Result<PublicKey, BlsError> {
    if keys.is_empty() {
        return Err(BlsError::EmptyInput);
    }
    let points: Vec<_> = keys.iter().map(|k| *k.as_point()).collect();
    let sum = sum_affine(&points);
    if sum.is_zero() {
        return Err(BlsError::InfinityPublicKey);
    }
    // The rest of KeyValidate holds by construction: every key passed it when
    // parsed, and a sum of points of the prime-order subgroup stays on the
    // curve and in the subgroup. Re-checking cost a scalar multiplication per
    // commit for nothing.
    Ok(PublicKey::from_point_unchecked(crate::curve::to_affine(&sum)))
}

/// Checks that `sig` aggregates signatures by every key in `keys` on the one
/// message `msg` (the IETF `FastAggregateVerify`). Every key must have had
/// its proof of possession checked beforehand; this function cannot tell.
/// False for an empty key list.
pub fn fast_aggregate_verify(keys: &[PublicKey], msg: &[u8], sig: &Signature) -> bool {
    match aggregate_public_keys(keys) {
        Ok(aggregate_key) => verify(&aggregate_key, msg, sig),
        Err(_) => false,
    }
}

/// Checks that `sig` aggregates a signature by `keys[i]` on `messages[i]` for
/// every `i` (the IETF `AggregateVerify`; the POP ciphersuite does not need
/// the messages to be distinct). False for empty or mismatched lists.
pub fn aggregate_verify(keys: &[PublicKey], messages: &[&[u8]], sig: &Signature) -> bool {
    if keys.is_empty() || keys.len() != messages.len() {
        return false;
    }
    let g1 = keys
        .iter()
        .map(|k| *k.as_point())
        .chain([neg_g1_generator()]);
    let g2 = messages
        .iter()
        .map(|m| hash_with_valid_dst(m, DST_SIGNATURE))
        .chain([*sig.as_point()]);
    pairing_product_is_one(g1, g2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bls::SecretKey;

    fn keys(n: u8) -> Vec<SecretKey> {
        (1..=n)
            .map(|i| SecretKey::from_bytes(&[i; 32]).expect("small constant keys are below r"))
            .collect()
    }

    #[test]
    fn empty_inputs_are_refused() {
        assert_eq!(aggregate(&[]), Err(BlsError::EmptyInput));
        assert_eq!(aggregate_public_keys(&[]), Err(BlsError::EmptyInput));
        let sig = keys(1)[0].sign(b"m");
        assert!(!fast_aggregate_verify(&[], b"m", &sig));
        assert!(!aggregate_verify(&[], &[], &sig));
    }

    #[test]
    fn fast_aggregate_round_trip_and_tampering() {
        let sks = keys(4);
        let pks: Vec<PublicKey> = sks.iter().map(SecretKey::public_key).collect();
        let sigs: Vec<Signature> = sks.iter().map(|k| k.sign(b"commit")).collect();
        let agg = aggregate(&sigs).expect("non-empty");
        assert!(fast_aggregate_verify(&pks, b"commit", &agg));
        assert!(!fast_aggregate_verify(&pks, b"commjt", &agg));
        assert!(!fast_aggregate_verify(&pks[..3], b"commit", &agg));
        let partial = aggregate(&sigs[..3]).expect("non-empty");
        assert!(!fast_aggregate_verify(&pks, b"commit", &partial));
        // Order of keys does not matter.
        let mut shuffled = pks.clone();
        shuffled.reverse();
        assert!(fast_aggregate_verify(&shuffled, b"commit", &agg));
    }

    #[test]
    fn keys_that_cancel_are_refused() {
        let pk = keys(1)[0].public_key();
        let neg = PublicKey::from_point(-*pk.as_point()).expect("−pk is a valid key");
        assert_eq!(
            aggregate_public_keys(&[pk, neg]),
            Err(BlsError::InfinityPublicKey)
        );
    }

    #[test]
    fn aggregate_verify_distinct_and_repeated_messages() {
        let sks = keys(3);
        let pks: Vec<PublicKey> = sks.iter().map(SecretKey::public_key).collect();
        let msgs: [&[u8]; 3] = [b"a", b"b", b"a"];
        let sigs: Vec<Signature> = sks.iter().zip(msgs).map(|(k, m)| k.sign(m)).collect();
        let agg = aggregate(&sigs).expect("non-empty");
        assert!(aggregate_verify(&pks, &msgs, &agg));
        assert!(!aggregate_verify(&pks, &[b"a", b"b", b"c"], &agg));
        assert!(!aggregate_verify(&pks, &msgs[..2], &agg));
        assert!(!aggregate_verify(&pks[..2], &msgs[..2], &agg));
    }
}
