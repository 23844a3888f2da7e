//! Field-element, blob, cell and point encodings (deneb `bytes_to_bls_field`,
//! `bls_field_to_bytes`, `hash_to_bls_field`, `validate_kzg_g1`,
//! `bytes_to_kzg_commitment`, `bytes_to_kzg_proof`, `blob_to_polynomial`;
//! fulu `cell_to_coset_evals`, `coset_evals_to_cell`).
//!
//! Every untrusted byte string becomes a typed value here and nowhere else, so
//! the canonicity and subgroup checks the specs require cannot be skipped by
//! a caller that forgets them.

use ark_bls12_381::{Fr, G1Affine, G1Projective, G2Affine};
use ark_ec::CurveGroup;
use ark_ff::{BigInt, PrimeField};
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use sha2::{Digest, Sha256};

use super::{BYTES_PER_FIELD_ELEMENT, Blob, Cell, FIELD_ELEMENTS_PER_BLOB, FIELD_ELEMENTS_PER_CELL, KzgError};

/// `bytes_to_bls_field`: a big-endian 32-byte integer that must be below the modulus.
pub(crate) fn bytes_to_bls_field(bytes: &[u8; 32]) -> Result<Fr, KzgError> {
    let mut limbs = [0u64; 4];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let start = 32 - 8 * (i + 1);
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[start..start + 8]);
        *limb = u64::from_be_bytes(word);
    }
    Fr::from_bigint(BigInt::new(limbs)).ok_or(KzgError::NonCanonicalFieldElement)
}

/// `bls_field_to_bytes`: the canonical big-endian encoding.
pub(crate) fn bls_field_to_bytes(x: &Fr) -> [u8; 32] {
    let limbs = x.into_bigint().0;
    let mut out = [0u8; 32];
    for (i, limb) in limbs.iter().enumerate() {
        let start = 32 - 8 * (i + 1);
        out[start..start + 8].copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// `hash_to_bls_field`: SHA-256, read big-endian, reduced modulo the scalar field.
pub(crate) fn hash_to_bls_field(data: &[u8]) -> Fr {
    Fr::from_be_bytes_mod_order(&Sha256::digest(data))
}

/// Decodes `n` consecutive 32-byte field elements, rejecting any that is not canonical.
fn bytes_to_field_elements(bytes: &[u8], out: &mut Vec<Fr>) -> Result<(), KzgError> {
    for chunk in bytes.chunks_exact(BYTES_PER_FIELD_ELEMENT) {
        let mut word = [0u8; 32];
        word.copy_from_slice(chunk);
        out.push(bytes_to_bls_field(&word)?);
    }
    Ok(())
}

/// `blob_to_polynomial`: the blob's 4096 evaluations, in the blob's (bit-reversed) order.
pub(crate) fn blob_to_polynomial(blob: &Blob) -> Result<Vec<Fr>, KzgError> {
    let mut poly = Vec::with_capacity(FIELD_ELEMENTS_PER_BLOB);
    bytes_to_field_elements(blob.as_bytes(), &mut poly)?;
    Ok(poly)
}

/// `cell_to_coset_evals`: a cell's 64 evaluations, in the cell's (bit-reversed) order.
pub(crate) fn cell_to_coset_evals(cell: &Cell) -> Result<Vec<Fr>, KzgError> {
    let mut evals = Vec::with_capacity(FIELD_ELEMENTS_PER_CELL);
    bytes_to_field_elements(cell.as_bytes(), &mut evals)?;
    Ok(evals)
}

/// `coset_evals_to_cell`: the canonical encoding of 64 evaluations.
pub(crate) fn coset_evals_to_cell(evals: &[Fr]) -> Cell {
    let mut bytes = Box::new([0u8; super::BYTES_PER_CELL]);
    for (chunk, x) in bytes.chunks_exact_mut(BYTES_PER_FIELD_ELEMENT).zip(evals) {
        chunk.copy_from_slice(&bls_field_to_bytes(x));
    }
    Cell::from(bytes)
}

/// `validate_kzg_g1` + `bytes_to_kzg_commitment` / `bytes_to_kzg_proof`: the
/// compressed ZCash encoding, the point at infinity allowed, otherwise on the
/// curve and in the prime-order subgroup.
///
/// This is the BLS module's G1 decoder (the same ZCash encoding): its square
/// root is one fixed-window exponentiation ([`crate::curve::sqrt_fq`]) and its
/// subgroup test [`crate::curve::g1_in_subgroup`], arkworks' test without its
/// GLV detour. The KZG vectors pass through it unchanged.
pub(crate) fn bytes_to_g1(bytes: &[u8; 48], what: &'static str) -> Result<G1Affine, KzgError> {
    crate::bls::decode_g1(&bytes[..]).map_err(|_| KzgError::InvalidG1Point { what })
}

/// The compressed encoding of a G1 point.
pub(crate) fn g1_to_bytes(p: &G1Projective) -> [u8; 48] {
    g1_affine_to_bytes(&p.into_affine())
}

/// The compressed encoding of a G1 point in affine form.
pub(crate) fn g1_affine_to_bytes(p: &G1Affine) -> [u8; 48] {
    let mut out = [0u8; 48];
    // Serialising a point into a buffer of exactly its compressed size cannot fail.
    let _ = p.serialize_compressed(&mut out[..]);
    out
}

/// Decodes a trusted-setup G1 point, with or without the subgroup check.
pub(crate) fn setup_g1(bytes: &[u8], checked: bool) -> Option<G1Affine> {
    if checked {
        G1Affine::deserialize_compressed(bytes).ok()
    } else {
        G1Affine::deserialize_compressed_unchecked(bytes).ok()
    }
}

/// Decodes a trusted-setup G2 point, with or without the subgroup check.
pub(crate) fn setup_g2(bytes: &[u8], checked: bool) -> Option<G2Affine> {
    if checked {
        G2Affine::deserialize_compressed(bytes).ok()
    } else {
        G2Affine::deserialize_compressed_unchecked(bytes).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ff::{One, Zero};

    #[test]
    fn field_round_trip_and_canonicity() {
        let x = -Fr::one();
        let bytes = bls_field_to_bytes(&x);
        assert_eq!(bytes_to_bls_field(&bytes), Ok(x));
        // The modulus itself is the smallest non-canonical value.
        let mut modulus = bls_field_to_bytes(&Fr::zero());
        let m = Fr::MODULUS.0;
        for (i, limb) in m.iter().enumerate() {
            modulus[32 - 8 * (i + 1)..32 - 8 * i].copy_from_slice(&limb.to_be_bytes());
        }
        assert_eq!(bytes_to_bls_field(&modulus), Err(KzgError::NonCanonicalFieldElement));
    }

    #[test]
    fn g1_rejects_bad_infinity() {
        let mut inf = [0u8; 48];
        inf[0] = 0xc0;
        assert!(bytes_to_g1(&inf, "proof").is_ok());
        inf[47] = 1;
        assert!(bytes_to_g1(&inf, "proof").is_err());
    }
}
