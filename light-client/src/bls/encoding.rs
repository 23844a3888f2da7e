//! The ZCash / Ethereum compressed point encoding, written out by hand.
//!
//! arkworks' `ark-bls12-381` implements the same format, but it folds every
//! failure into `SerializationError::InvalidData`, silently ignores trailing
//! bytes when handed a longer slice, and hides which of the many rules
//! (flags, canonical coordinates, on curve, subgroup) was broken. Decoding
//! here checks each rule in turn so callers get a precise [`BlsError`], and
//! the y-coordinate's sign is chosen by this module's own lexicographic rule
//! so the result does not depend on how arkworks orders field elements. The
//! tests cross-check both directions against arkworks.
//!
//! The format: the x coordinate in big-endian (for G2, `x.c1` then `x.c0`),
//! with the three top bits of the first byte used as flags: bit 7 says
//! "compressed" (always set here), bit 6 "point at infinity" (then every other
//! bit must be zero), bit 5 "y is the lexicographically larger of y and -y".

use ark_bls12_381::{Fq, Fq2, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInt, Field, PrimeField, Zero};

use super::BlsError;

/// Bytes in a compressed G1 point (a public key).
pub const G1_COMPRESSED_SIZE: usize = 48;
/// Bytes in a compressed G2 point (a signature).
pub const G2_COMPRESSED_SIZE: usize = 96;
/// Bytes in one base-field element.
const FQ_SIZE: usize = 48;

const FLAG_COMPRESSED: u8 = 0x80;
const FLAG_INFINITY: u8 = 0x40;
const FLAG_LARGEST: u8 = 0x20;
const FLAG_MASK: u8 = 0xe0;

/// The flags read from the first byte of an encoding.
struct Flags {
    infinity: bool,
    largest: bool,
}

/// Reads and checks the flag bits; `rest_is_zero` tells whether every bit
/// after the flags is zero, which an infinity encoding requires.
fn read_flags(first: u8, rest_is_zero: bool) -> Result<Flags, BlsError> {
    if first & FLAG_COMPRESSED == 0 {
        return Err(BlsError::NotCompressed);
    }
    let infinity = first & FLAG_INFINITY != 0;
    let largest = first & FLAG_LARGEST != 0;
    if infinity && (largest || !rest_is_zero) {
        return Err(BlsError::InvalidFlags);
    }
    Ok(Flags { infinity, largest })
}

/// Decodes 48 big-endian bytes (flags already cleared) as a canonical field element.
fn fq_from_be(bytes: &[u8; FQ_SIZE]) -> Result<Fq, BlsError> {
    let mut limbs = [0u64; 6];
    for (i, chunk) in bytes.chunks_exact(8).enumerate() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        // The most significant word comes first in the bytes, last in the limbs.
        limbs[5 - i] = u64::from_be_bytes(word);
    }
    Fq::from_bigint(BigInt::new(limbs)).ok_or(BlsError::NonCanonical)
}

/// Encodes a field element as 48 big-endian bytes.
fn fq_to_be(x: &Fq) -> [u8; FQ_SIZE] {
    let limbs = x.into_bigint().0;
    let mut out = [0u8; FQ_SIZE];
    for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
        chunk.copy_from_slice(&limbs[5 - i].to_be_bytes());
    }
    out
}

/// Whether `y` is the larger of `y` and `-y`, comparing as integers in `[0, p)`.
fn fq_is_largest(y: &Fq) -> bool {
    y.into_bigint() > (-*y).into_bigint()
}

/// Whether `y` is the larger of `y` and `-y` in the ZCash order for Fq2:
/// compare the `c1` parts, and only if they are equal (that is, zero) the `c0` parts.
fn fq2_is_largest(y: &Fq2) -> bool {
    if y.c1.is_zero() {
        fq_is_largest(&y.c0)
    } else {
        fq_is_largest(&y.c1)
    }
}

/// Copies a 48-byte window out of `bytes`, clearing the flag bits when asked.
fn window(bytes: &[u8], index: usize, clear_flags: bool) -> [u8; FQ_SIZE] {
    let mut out = [0u8; FQ_SIZE];
    out.copy_from_slice(&bytes[index * FQ_SIZE..(index + 1) * FQ_SIZE]);
    if clear_flags {
        out[0] &= !FLAG_MASK;
    }
    out
}

/// Decodes a compressed G1 point and checks it is on the curve and in the
/// subgroup. The point at infinity is accepted here; public keys reject it one
/// level up, in [`super::PublicKey::from_bytes`].
pub(crate) fn decode_g1(bytes: &[u8]) -> Result<G1Affine, BlsError> {
    if bytes.len() != G1_COMPRESSED_SIZE {
        return Err(BlsError::WrongLength {
            expected: G1_COMPRESSED_SIZE,
            got: bytes.len(),
        });
    }
    let x_bytes = window(bytes, 0, true);
    let flags = read_flags(bytes[0], x_bytes.iter().all(|b| *b == 0))?;
    if flags.infinity {
        return Ok(G1Affine::identity());
    }
    let x = fq_from_be(&x_bytes)?;
    // y² = x³ + 4; the root's sign is pinned below.
    let y = crate::curve::sqrt_fq(&(x.square() * x + Fq::from(4u8))).ok_or(BlsError::NotOnCurve)?;
    let p = G1Affine::new_unchecked(x, y);
    // Pin the sign of y by this module's own rule, whatever arkworks picked.
    let p = if fq_is_largest(&p.y) == flags.largest {
        p
    } else {
        -p
    };
    // Scott's test with plain multiplications by |x| (arkworks' takes a GLV detour).
    if !crate::curve::g1_in_subgroup(&p) {
        return Err(BlsError::NotInSubgroup);
    }
    Ok(p)
}

/// Decodes a compressed G2 point and checks it is on the curve and in the
/// subgroup. The point at infinity is accepted (it is a valid aggregate signature).
pub(crate) fn decode_g2(bytes: &[u8]) -> Result<G2Affine, BlsError> {
    if bytes.len() != G2_COMPRESSED_SIZE {
        return Err(BlsError::WrongLength {
            expected: G2_COMPRESSED_SIZE,
            got: bytes.len(),
        });
    }
    let c1_bytes = window(bytes, 0, true);
    let c0_bytes = window(bytes, 1, false);
    let rest_is_zero = c1_bytes.iter().chain(c0_bytes.iter()).all(|b| *b == 0);
    let flags = read_flags(bytes[0], rest_is_zero)?;
    if flags.infinity {
        return Ok(G2Affine::identity());
    }
    let x = Fq2::new(fq_from_be(&c0_bytes)?, fq_from_be(&c1_bytes)?);
    let p = G2Affine::get_point_from_x_unchecked(x, flags.largest).ok_or(BlsError::NotOnCurve)?;
    let p = if fq2_is_largest(&p.y) == flags.largest {
        p
    } else {
        -p
    };
    if !p.is_in_correct_subgroup_assuming_on_curve() {
        return Err(BlsError::NotInSubgroup);
    }
    Ok(p)
}

/// Encodes a G1 point in compressed form.
pub(crate) fn encode_g1(p: &G1Affine) -> [u8; G1_COMPRESSED_SIZE] {
    match p.xy() {
        None => {
            let mut out = [0u8; G1_COMPRESSED_SIZE];
            out[0] = FLAG_COMPRESSED | FLAG_INFINITY;
            out
        }
        Some((x, y)) => {
            let mut out = fq_to_be(&x);
            out[0] |= FLAG_COMPRESSED;
            if fq_is_largest(&y) {
                out[0] |= FLAG_LARGEST;
            }
            out
        }
    }
}

/// Encodes a G2 point in compressed form.
pub(crate) fn encode_g2(p: &G2Affine) -> [u8; G2_COMPRESSED_SIZE] {
    let mut out = [0u8; G2_COMPRESSED_SIZE];
    match p.xy() {
        None => out[0] = FLAG_COMPRESSED | FLAG_INFINITY,
        Some((x, y)) => {
            out[..FQ_SIZE].copy_from_slice(&fq_to_be(&x.c1));
            out[FQ_SIZE..].copy_from_slice(&fq_to_be(&x.c0));
            out[0] |= FLAG_COMPRESSED;
            if fq2_is_largest(&y) {
                out[0] |= FLAG_LARGEST;
            }
        }
    }
    out
}

/// Encodes a base-field element as 48 big-endian bytes (for the hash-to-curve vectors).
#[cfg(any(test, feature = "conformance"))]
pub(crate) fn fq_bytes(x: &Fq) -> [u8; FQ_SIZE] {
    fq_to_be(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_bls12_381::{Fr, G1Projective, G2Projective};
    use ark_ec::{CurveGroup, PrimeGroup};
    use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

    fn g1_points() -> Vec<G1Affine> {
        (1u64..20)
            .map(|k| (G1Projective::generator() * Fr::from(k * 7919 + 3)).into_affine())
            .chain([G1Affine::identity()])
            .collect()
    }

    fn g2_points() -> Vec<G2Affine> {
        (1u64..20)
            .map(|k| (G2Projective::generator() * Fr::from(k * 7919 + 3)).into_affine())
            .chain([G2Affine::identity()])
            .collect()
    }

    #[test]
    fn g1_matches_arkworks_both_ways() {
        for p in g1_points() {
            let ours = encode_g1(&p);
            let mut theirs = Vec::new();
            p.serialize_compressed(&mut theirs)
                .expect("serialising to a Vec cannot fail");
            assert_eq!(ours.as_slice(), theirs.as_slice());
            assert_eq!(decode_g1(&ours), Ok(p));
            assert_eq!(G1Affine::deserialize_compressed(&ours[..]).ok(), Some(p));
        }
    }

    #[test]
    fn g2_matches_arkworks_both_ways() {
        for p in g2_points() {
            let ours = encode_g2(&p);
            let mut theirs = Vec::new();
            p.serialize_compressed(&mut theirs)
                .expect("serialising to a Vec cannot fail");
            assert_eq!(ours.as_slice(), theirs.as_slice());
            assert_eq!(decode_g2(&ours), Ok(p));
            assert_eq!(G2Affine::deserialize_compressed(&ours[..]).ok(), Some(p));
        }
    }

    #[test]
    fn flipping_the_sign_flag_negates() {
        for p in g1_points().into_iter().take(5) {
            let mut b = encode_g1(&p);
            b[0] ^= FLAG_LARGEST;
            assert_eq!(decode_g1(&b), Ok(-p));
        }
        for p in g2_points().into_iter().take(5) {
            let mut b = encode_g2(&p);
            b[0] ^= FLAG_LARGEST;
            assert_eq!(decode_g2(&b), Ok(-p));
        }
    }

    #[test]
    fn rejects_wrong_lengths() {
        let p = encode_g1(&G1Affine::generator());
        assert_eq!(
            decode_g1(&p[..47]),
            Err(BlsError::WrongLength {
                expected: 48,
                got: 47
            })
        );
        let mut long = p.to_vec();
        long.push(0);
        assert_eq!(
            decode_g1(&long),
            Err(BlsError::WrongLength {
                expected: 48,
                got: 49
            })
        );
        assert!(matches!(
            decode_g2(&[0u8; 95]),
            Err(BlsError::WrongLength { .. })
        ));
    }

    #[test]
    fn rejects_bad_flags() {
        let mut p = encode_g1(&G1Affine::generator());
        p[0] &= !FLAG_COMPRESSED;
        assert_eq!(decode_g1(&p), Err(BlsError::NotCompressed));
        let mut inf = [0u8; 48];
        inf[0] = 0xe0;
        assert_eq!(decode_g1(&inf), Err(BlsError::InvalidFlags));
        inf[0] = 0xc0;
        inf[47] = 1;
        assert_eq!(decode_g1(&inf), Err(BlsError::InvalidFlags));
        let mut inf2 = [0u8; 96];
        inf2[0] = 0xc0;
        inf2[95] = 1;
        assert_eq!(decode_g2(&inf2), Err(BlsError::InvalidFlags));
    }

    #[test]
    fn rejects_non_canonical_x() {
        // The modulus p itself, with the compression flag set.
        let p_hex = "1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
        let mut b = [0u8; 48];
        hex::decode_to_slice(p_hex, &mut b).expect("constant hex");
        b[0] |= FLAG_COMPRESSED;
        assert_eq!(decode_g1(&b), Err(BlsError::NonCanonical));
        let mut b2 = [0u8; 96];
        b2[0] = FLAG_COMPRESSED;
        b2[48..].copy_from_slice(&window(&b, 0, true));
        assert_eq!(decode_g2(&b2), Err(BlsError::NonCanonical));
    }

    #[test]
    fn rejects_points_outside_the_subgroup() {
        // Search small x until one lands on the curve: almost surely outside
        // the subgroup, since the cofactor is large.
        let mut found_g1 = false;
        for x in 1u64..200 {
            if let Some(p) = G1Affine::get_point_from_x_unchecked(Fq::from(x), false) {
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    assert_eq!(decode_g1(&encode_g1(&p)), Err(BlsError::NotInSubgroup));
                    found_g1 = true;
                    break;
                }
            }
        }
        assert!(found_g1);
        let mut found_g2 = false;
        for x in 1u64..200 {
            let x = Fq2::new(Fq::from(x), Fq::from(1u64));
            if let Some(p) = G2Affine::get_point_from_x_unchecked(x, false) {
                if !p.is_in_correct_subgroup_assuming_on_curve() {
                    assert_eq!(decode_g2(&encode_g2(&p)), Err(BlsError::NotInSubgroup));
                    found_g2 = true;
                    break;
                }
            }
        }
        assert!(found_g2);
    }

    #[test]
    fn rejects_x_off_the_curve() {
        let mut rejected = false;
        for x in 1u64..50 {
            if G1Affine::get_point_from_x_unchecked(Fq::from(x), false).is_none() {
                let mut b = fq_to_be(&Fq::from(x));
                b[0] |= FLAG_COMPRESSED;
                assert_eq!(decode_g1(&b), Err(BlsError::NotOnCurve));
                rejected = true;
            }
        }
        assert!(rejected);
    }
}
