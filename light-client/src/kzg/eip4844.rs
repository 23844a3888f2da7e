//! EIP-4844 blob commitments and point-evaluation proofs (deneb
//! `polynomial-commitments.md`: `blob_to_kzg_commitment`, `compute_kzg_proof`,
//! `compute_blob_kzg_proof`, `verify_kzg_proof`, `verify_blob_kzg_proof`,
//! `verify_blob_kzg_proof_batch`, `compute_challenge`).
//!
//! Blobs are polynomials in evaluation form over the bit-reversed size-4096
//! domain, so commitments are MSMs against the bit-reversed Lagrange points,
//! quotients are computed pointwise (with one batch inversion) and
//! evaluations off the domain use the barycentric formula.

use ark_bls12_381::{Fr, G1Affine, G1Projective, G2Affine};
use crate::curve::pairing_product_is_one;
use ark_ec::{AffineRepr, CurveGroup, VariableBaseMSM};
use ark_ff::{Field, One};

use super::encoding::{blob_to_polynomial, bls_field_to_bytes, bytes_to_bls_field, bytes_to_g1, g1_to_bytes, hash_to_bls_field};
use super::fft::powers;
use super::{Blob, Commitment, FIELD_ELEMENTS_PER_BLOB, FieldBytes, KzgError, Proof, TrustedSetup, VerifierSetup};

/// The spec's `FIAT_SHAMIR_PROTOCOL_DOMAIN`.
const FIAT_SHAMIR_PROTOCOL_DOMAIN: &[u8; 16] = b"FSBLOBVERIFY_V1_";
/// The spec's `RANDOM_CHALLENGE_KZG_BATCH_DOMAIN`.
const RANDOM_CHALLENGE_KZG_BATCH_DOMAIN: &[u8; 16] = b"RCKZGBATCH___V1_";

/// `compute_challenge`: the Fiat–Shamir evaluation point for a blob and its
/// commitment, hashed from the raw bytes (the commitment is not decoded).
pub fn compute_challenge(blob: &Blob, commitment: &Commitment) -> FieldBytes {
    bls_field_to_bytes(&challenge(blob, commitment))
}

fn challenge(blob: &Blob, commitment: &Commitment) -> Fr {
    let mut data = Vec::with_capacity(16 + 16 + blob.as_bytes().len() + 48);
    data.extend_from_slice(FIAT_SHAMIR_PROTOCOL_DOMAIN);
    data.extend_from_slice(&(FIELD_ELEMENTS_PER_BLOB as u128).to_be_bytes());
    data.extend_from_slice(blob.as_bytes());
    data.extend_from_slice(commitment.as_bytes());
    hash_to_bls_field(&data)
}

impl VerifierSetup {
    /// `evaluate_polynomial_in_evaluation_form`: the barycentric formula over
    /// the bit-reversed roots, or a direct lookup when `z` is one of them.
    pub(crate) fn evaluate_polynomial_in_evaluation_form(&self, poly: &[Fr], z: Fr) -> Fr {
        let roots = &self.domains.roots_brp;
        if let Some(i) = roots.iter().position(|w| *w == z) {
            return poly[i];
        }
        let mut inv: Vec<Fr> = roots.iter().map(|w| z - w).collect();
        ark_ff::batch_inversion(&mut inv);
        let sum: Fr = poly.iter().zip(roots).zip(&inv).map(|((p, w), d)| *p * w * d).sum();
        let width = Fr::from(roots.len() as u64);
        sum * (z.pow([roots.len() as u64]) - Fr::one()) * width.inverse().unwrap_or_default()
    }

    /// `verify_kzg_proof_impl`: `e(P - [y], -[1]) * e(proof, [s] - [z]) == 1`,
    /// evaluated as `e(P - [y] + z * proof, -[1]) * e(proof, [s]) == 1` so the
    /// scalar multiplications stay in G1.
    fn verify_kzg_proof_impl(&self, commitment: G1Affine, z: Fr, y: Fr, proof: G1Affine) -> bool {
        let lhs = commitment.into_group() - G1Affine::generator() * y + proof * z;
        pairing_product_is_one([lhs.into_affine(), proof], [-G2Affine::generator(), self.g2_s])
    }

    /// `verify_kzg_proof`: checks that `proof` opens `commitment` to `y` at `z`.
    /// Malformed inputs are errors; a wrong proof is `Ok(false)`.
    pub fn verify_kzg_proof(&self, commitment: &Commitment, z: &FieldBytes, y: &FieldBytes, proof: &Proof) -> Result<bool, KzgError> {
        let commitment = bytes_to_g1(commitment.as_bytes(), "commitment")?;
        let z = bytes_to_bls_field(z)?;
        let y = bytes_to_bls_field(y)?;
        let proof = bytes_to_g1(proof.as_bytes(), "proof")?;
        Ok(self.verify_kzg_proof_impl(commitment, z, y, proof))
    }

    /// `verify_blob_kzg_proof`: checks a blob against its commitment with the
    /// proof from `compute_blob_kzg_proof`.
    pub fn verify_blob_kzg_proof(&self, blob: &Blob, commitment: &Commitment, proof: &Proof) -> Result<bool, KzgError> {
        let commitment_point = bytes_to_g1(commitment.as_bytes(), "commitment")?;
        let poly = blob_to_polynomial(blob)?;
        let z = challenge(blob, commitment);
        let y = self.evaluate_polynomial_in_evaluation_form(&poly, z);
        let proof = bytes_to_g1(proof.as_bytes(), "proof")?;
        Ok(self.verify_kzg_proof_impl(commitment_point, z, y, proof))
    }

    /// `verify_blob_kzg_proof_batch`: many blobs, one pairing check
    /// (`verify_kzg_proof_batch` with the spec's random linear combination).
    pub fn verify_blob_kzg_proof_batch(&self, blobs: &[Blob], commitments: &[Commitment], proofs: &[Proof]) -> Result<bool, KzgError> {
        if blobs.len() != commitments.len() || blobs.len() != proofs.len() {
            return Err(KzgError::LengthMismatch { what: "blobs, commitments and proofs" });
        }
        let mut points = Vec::with_capacity(blobs.len());
        let mut zs = Vec::with_capacity(blobs.len());
        let mut ys = Vec::with_capacity(blobs.len());
        let mut proof_points = Vec::with_capacity(blobs.len());
        for ((blob, commitment), proof) in blobs.iter().zip(commitments).zip(proofs) {
            points.push(bytes_to_g1(commitment.as_bytes(), "commitment")?);
            let poly = blob_to_polynomial(blob)?;
            let z = challenge(blob, commitment);
            ys.push(self.evaluate_polynomial_in_evaluation_form(&poly, z));
            zs.push(z);
            proof_points.push(bytes_to_g1(proof.as_bytes(), "proof")?);
        }
        Ok(self.verify_kzg_proof_batch(commitments, &points, &zs, &ys, proofs, &proof_points))
    }

    /// `verify_kzg_proof_batch`: with `r` hashed from every input,
    /// `e(sum r^i proof_i, -[s]) * e(sum r^i (C_i - [y_i] + z_i proof_i), [1]) == 1`.
    fn verify_kzg_proof_batch(
        &self,
        commitment_bytes: &[Commitment],
        commitments: &[G1Affine],
        zs: &[Fr],
        ys: &[Fr],
        proof_bytes: &[Proof],
        proofs: &[G1Affine],
    ) -> bool {
        let n = commitments.len();
        let mut data = Vec::with_capacity(32 + n * (48 + 32 + 32 + 48));
        data.extend_from_slice(RANDOM_CHALLENGE_KZG_BATCH_DOMAIN);
        data.extend_from_slice(&(FIELD_ELEMENTS_PER_BLOB as u64).to_be_bytes());
        data.extend_from_slice(&(n as u64).to_be_bytes());
        for i in 0..n {
            data.extend_from_slice(commitment_bytes[i].as_bytes());
            data.extend_from_slice(&bls_field_to_bytes(&zs[i]));
            data.extend_from_slice(&bls_field_to_bytes(&ys[i]));
            data.extend_from_slice(proof_bytes[i].as_bytes());
        }
        let r_powers = powers(hash_to_bls_field(&data), n);
        let proof_lincomb = G1Projective::msm_unchecked(proofs, &r_powers);
        // One MSM for sum r^i C_i + sum r^i z_i proof_i - (sum r^i y_i) [1].
        let mut bases = Vec::with_capacity(2 * n + 1);
        bases.extend_from_slice(commitments);
        bases.extend_from_slice(proofs);
        bases.push(G1Affine::generator());
        let mut scalars = Vec::with_capacity(2 * n + 1);
        scalars.extend_from_slice(&r_powers);
        scalars.extend(r_powers.iter().zip(zs).map(|(r, z)| *r * z));
        scalars.push(-r_powers.iter().zip(ys).map(|(r, y)| *r * y).sum::<Fr>());
        let rhs = G1Projective::msm_unchecked(&bases, &scalars);
        pairing_product_is_one([proof_lincomb.into_affine(), rhs.into_affine()], [-self.g2_s, G2Affine::generator()])
    }
}

impl TrustedSetup {
    /// `blob_to_kzg_commitment`: the MSM of the blob against the bit-reversed Lagrange points.
    pub fn blob_to_kzg_commitment(&self, blob: &Blob) -> Result<Commitment, KzgError> {
        let poly = blob_to_polynomial(blob)?;
        Ok(Commitment(g1_to_bytes(&G1Projective::msm_unchecked(&self.g1_lagrange_brp, &poly))))
    }

    /// `compute_kzg_proof`: the proof that the blob's polynomial takes the
    /// returned value `y` at `z`.
    pub fn compute_kzg_proof(&self, blob: &Blob, z: &FieldBytes) -> Result<(Proof, FieldBytes), KzgError> {
        let poly = blob_to_polynomial(blob)?;
        let z = bytes_to_bls_field(z)?;
        let (proof, y) = self.compute_kzg_proof_impl(&poly, z);
        Ok((proof, bls_field_to_bytes(&y)))
    }

    /// `compute_blob_kzg_proof`: the proof at the blob's Fiat–Shamir challenge,
    /// for `verify_blob_kzg_proof`. The commitment is validated but not recomputed.
    pub fn compute_blob_kzg_proof(&self, blob: &Blob, commitment: &Commitment) -> Result<Proof, KzgError> {
        let _validated = bytes_to_g1(commitment.as_bytes(), "commitment")?;
        let poly = blob_to_polynomial(blob)?;
        let z = challenge(blob, commitment);
        Ok(self.compute_kzg_proof_impl(&poly, z).0)
    }

    /// `compute_kzg_proof_impl`: the quotient `(p(X) - y) / (X - z)` in
    /// evaluation form, committed against the Lagrange points.
    fn compute_kzg_proof_impl(&self, poly: &[Fr], z: Fr) -> (Proof, Fr) {
        let roots = &self.verifier.domains.roots_brp;
        let y = self.verifier.evaluate_polynomial_in_evaluation_form(poly, z);
        let mut quotient: Vec<Fr> = roots.iter().map(|w| *w - z).collect();
        // Zero denominators (z on the domain) are left alone by batch inversion.
        ark_ff::batch_inversion(&mut quotient);
        for (i, q) in quotient.iter_mut().enumerate() {
            if roots[i] == z {
                *q = compute_quotient_eval_within_domain(roots, z, poly, y);
            } else {
                *q *= poly[i] - y;
            }
        }
        let proof = G1Projective::msm_unchecked(&self.g1_lagrange_brp, &quotient);
        (Proof(g1_to_bytes(&proof)), y)
    }

    /// See [`VerifierSetup::verify_kzg_proof`].
    pub fn verify_kzg_proof(&self, commitment: &Commitment, z: &FieldBytes, y: &FieldBytes, proof: &Proof) -> Result<bool, KzgError> {
        self.verifier.verify_kzg_proof(commitment, z, y, proof)
    }

    /// See [`VerifierSetup::verify_blob_kzg_proof`].
    pub fn verify_blob_kzg_proof(&self, blob: &Blob, commitment: &Commitment, proof: &Proof) -> Result<bool, KzgError> {
        self.verifier.verify_blob_kzg_proof(blob, commitment, proof)
    }

    /// See [`VerifierSetup::verify_blob_kzg_proof_batch`].
    pub fn verify_blob_kzg_proof_batch(&self, blobs: &[Blob], commitments: &[Commitment], proofs: &[Proof]) -> Result<bool, KzgError> {
        self.verifier.verify_blob_kzg_proof_batch(blobs, commitments, proofs)
    }
}

/// `compute_quotient_eval_within_domain`: the quotient's value at the domain
/// point `z`, where the pointwise formula would divide by zero.
fn compute_quotient_eval_within_domain(roots: &[Fr], z: Fr, poly: &[Fr], y: Fr) -> Fr {
    let mut denominators: Vec<Fr> = roots.iter().map(|w| z * (z - w)).collect();
    ark_ff::batch_inversion(&mut denominators);
    roots
        .iter()
        .zip(poly)
        .zip(&denominators)
        .filter(|((w, _), _)| **w != z)
        .map(|((w, p), d)| (*p - y) * w * d)
        .sum()
}
