//! Signatures: G2 points in the prime-order subgroup.
//!
//! Unlike public keys, the identity is a legal signature value: it is what a
//! set of signatures that cancel out aggregates to, and the verify functions
//! simply answer `false` for it where it cannot be right. Parsing still does
//! the subgroup check (`signature_subgroup_check` of the IETF draft) once, so
//! verification never has to.

use core::fmt;

use ark_bls12_381::G2Affine;

use super::BlsError;
use super::encoding::{G2_COMPRESSED_SIZE, decode_g2, encode_g2};

/// A BLS signature (or an aggregate of several): a G2 point in the subgroup.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature(G2Affine);

impl Signature {
    /// Parses a 96-byte compressed signature: canonical flags and
    /// coordinates, on the curve, in the subgroup. The identity is accepted.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        decode_g2(bytes).map(Self)
    }

    /// Wraps a point after checking it is on the curve and in the subgroup.
    pub fn from_point(p: G2Affine) -> Result<Self, BlsError> {
        if !p.is_on_curve() {
            return Err(BlsError::NotOnCurve);
        }
        if !p.is_in_correct_subgroup_assuming_on_curve() {
            return Err(BlsError::NotInSubgroup);
        }
        Ok(Self(p))
    }

    /// Wraps a point this module computed from valid points, so already in the subgroup.
    pub(crate) fn from_point_unchecked(p: G2Affine) -> Self {
        Self(p)
    }

    /// The 96-byte compressed encoding.
    pub fn to_bytes(&self) -> [u8; G2_COMPRESSED_SIZE] {
        encode_g2(&self.0)
    }

    /// The underlying affine point.
    pub fn as_point(&self) -> &G2Affine {
        &self.0
    }
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Signature(0x{})", hex::encode(self.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::AffineRepr;

    #[test]
    fn identity_round_trips() {
        let inf = Signature::from_point(G2Affine::zero()).expect("identity is in the subgroup");
        let bytes = inf.to_bytes();
        assert_eq!(bytes[0], 0xc0);
        assert!(bytes[1..].iter().all(|b| *b == 0));
        assert_eq!(Signature::from_bytes(&bytes), Ok(inf));
    }

    #[test]
    fn debug_is_hex() {
        let inf = Signature::from_point(G2Affine::zero()).expect("identity is in the subgroup");
        assert!(format!("{inf:?}").starts_with("Signature(0xc000"));
    }
}
