//! Secret and public keys.
//!
//! A [`PublicKey`] can only be built through KeyValidate (on the curve, in the
//! subgroup, not the identity), so every function taking one can skip those
//! checks: parse once, verify many times. It keeps the affine point, which is
//! what pairings and aggregation consume, rather than the bytes.
//!
//! A [`SecretKey`] never prints itself and wipes its scalar on drop. It is
//! made from 32 caller-given bytes or from caller-given key material through
//! the IETF `KeyGen`, because this crate draws no randomness of its own.

use core::fmt;

use ark_bls12_381::{Fr, G1Affine, G1Projective};
use ark_ec::{AffineRepr, PrimeGroup};
use ark_ff::{BigInt, PrimeField, Zero};
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::encoding::{G1_COMPRESSED_SIZE, decode_g1, encode_g1};
use super::hash_to_curve::{DST_SIGNATURE, hash_with_valid_dst};
use super::{BlsError, Signature};

/// Bytes in a serialised secret key.
pub const SECRET_KEY_SIZE: usize = 32;

/// A BLS secret key: a non-zero scalar below the group order r.
/// It has no `PartialEq`: comparing secrets is not something callers should need.
#[derive(Clone)]
pub struct SecretKey(Fr);

impl SecretKey {
    /// Reads a key from 32 big-endian bytes. Refuses zero and values not below r.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        if bytes.len() != SECRET_KEY_SIZE {
            return Err(BlsError::WrongLength {
                expected: SECRET_KEY_SIZE,
                got: bytes.len(),
            });
        }
        let mut limbs = [0u64; 4];
        for (i, chunk) in bytes.chunks_exact(8).enumerate() {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            limbs[3 - i] = u64::from_be_bytes(word);
            word.zeroize();
        }
        let scalar = Fr::from_bigint(BigInt::new(limbs));
        limbs.zeroize();
        let scalar = scalar.ok_or(BlsError::SecretKeyOutOfRange)?;
        if scalar.is_zero() {
            return Err(BlsError::ZeroSecretKey);
        }
        Ok(Self(scalar))
    }

    /// Derives a key from input keying material with the IETF BLS `KeyGen`
    /// (draft-irtf-cfrg-bls-signature-05, section 2.3; the same procedure as
    /// EIP-2333's `hkdf_mod_r`). `ikm` must hold at least 32 bytes of
    /// entropy; `key_info` may be empty.
    pub fn key_gen(ikm: &[u8], key_info: &[u8]) -> Result<Self, BlsError> {
        if ikm.len() < 32 {
            return Err(BlsError::KeyMaterialTooShort(ikm.len()));
        }
        // L = ceil(3 * ceil(log2(r)) / 16) = 48 bytes, so the reduction mod r is unbiased enough.
        const L: usize = 48;
        let mut salt: [u8; 32] = Sha256::digest(b"BLS-SIG-KEYGEN-SALT-").into();
        loop {
            let prk = hmac_sha256(&salt, &[ikm, &[0u8]]);
            let mut okm = [0u8; L];
            hkdf_expand(&prk, &[key_info, &(L as u16).to_be_bytes()], &mut okm);
            let scalar = Fr::from_be_bytes_mod_order(&okm);
            okm.zeroize();
            if !scalar.is_zero() {
                return Ok(Self(scalar));
            }
            salt = Sha256::digest(salt).into();
        }
    }

    /// The 32 big-endian bytes of the key. Handle with care.
    pub fn to_bytes(&self) -> [u8; SECRET_KEY_SIZE] {
        let limbs = self.0.into_bigint().0;
        let mut out = [0u8; SECRET_KEY_SIZE];
        for (i, chunk) in out.chunks_exact_mut(8).enumerate() {
            chunk.copy_from_slice(&limbs[3 - i].to_be_bytes());
        }
        out
    }

    /// The matching public key, `sk · g1`.
    pub fn public_key(&self) -> PublicKey {
        PublicKey((G1Projective::generator() * self.0).into())
    }

    /// Signs `msg` under the ciphersuite's signature tag: `sk · H(msg)`.
    pub fn sign(&self, msg: &[u8]) -> Signature {
        let h = hash_with_valid_dst(msg, DST_SIGNATURE);
        Signature::from_point_unchecked((h * self.0).into())
    }

    /// The scalar, for the proof-of-possession module.
    pub(crate) fn scalar(&self) -> &Fr {
        &self.0
    }
}

impl Drop for SecretKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<redacted>)")
    }
}

/// HMAC-SHA256 over the concatenation of `parts` (RFC 2104), for `KeyGen`'s HKDF.
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block_key = [0u8; BLOCK];
    if key.len() > BLOCK {
        block_key[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block_key[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(block_key.map(|b| b ^ 0x36));
    for part in parts {
        inner.update(part);
    }
    let inner_hash = inner.finalize();
    let mut outer = Sha256::new();
    outer.update(block_key.map(|b| b ^ 0x5c));
    outer.update(inner_hash);
    block_key.zeroize();
    outer.finalize().into()
}

/// HKDF-Expand with SHA-256 (RFC 5869) of `info` (given in parts) into `out`.
fn hkdf_expand(prk: &[u8; 32], info: &[&[u8]], out: &mut [u8]) {
    let mut previous: [u8; 32] = [0; 32];
    for (i, chunk) in out.chunks_mut(32).enumerate() {
        let counter = [i as u8 + 1];
        let prev: &[u8] = if i == 0 { &[] } else { &previous };
        let mut parts: [&[u8]; 4] = [prev, &[], &[], &counter];
        // `info` has at most two parts here (key_info and the length).
        for (slot, part) in parts[1..3].iter_mut().zip(info) {
            *slot = part;
        }
        previous = hmac_sha256(prk, &parts);
        chunk.copy_from_slice(&previous[..chunk.len()]);
    }
    previous.zeroize();
}

/// A validated BLS public key: a G1 point in the subgroup, never the identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(G1Affine);

impl PublicKey {
    /// Parses a 48-byte compressed key and runs KeyValidate on it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, BlsError> {
        Self::from_point(decode_g1(bytes)?)
    }

    /// Wraps a point after checking it is a valid key (KeyValidate).
    pub fn from_point(p: G1Affine) -> Result<Self, BlsError> {
        if p.is_zero() {
            return Err(BlsError::InfinityPublicKey);
        }
        if !p.is_on_curve() {
            return Err(BlsError::NotOnCurve);
        }
        if !p.is_in_correct_subgroup_assuming_on_curve() {
            return Err(BlsError::NotInSubgroup);
        }
        Ok(Self(p))
    }

    /// Wraps a point this module computed from valid keys (a sum of subgroup
    /// points), so already on the curve and in the subgroup.
    pub(crate) fn from_point_unchecked(p: G1Affine) -> Self {
        Self(p)
    }

    /// The 48-byte compressed encoding.
    pub fn to_bytes(&self) -> [u8; G1_COMPRESSED_SIZE] {
        encode_g1(&self.0)
    }

    /// The underlying affine point.
    pub fn as_point(&self) -> &G1Affine {
        &self.0
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(0x{})", hex::encode(self.to_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::str::FromStr;

    const R_HEX: &str = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

    #[test]
    fn secret_key_round_trips() {
        let bytes = hex::decode("263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3")
            .expect("constant hex");
        let sk = SecretKey::from_bytes(&bytes).expect("valid key");
        assert_eq!(sk.to_bytes().as_slice(), bytes.as_slice());
    }

    #[test]
    fn secret_key_rejects_zero_and_out_of_range() {
        let err = |b: &[u8]| SecretKey::from_bytes(b).err();
        assert_eq!(err(&[0u8; 32]), Some(BlsError::ZeroSecretKey));
        let r = hex::decode(R_HEX).expect("constant hex");
        assert_eq!(err(&r), Some(BlsError::SecretKeyOutOfRange));
        assert_eq!(err(&[0xff; 32]), Some(BlsError::SecretKeyOutOfRange));
        let mut r_minus_1 = r.clone();
        r_minus_1[31] -= 1;
        assert_eq!(err(&r_minus_1), None);
        assert_eq!(
            err(&[1u8; 31]),
            Some(BlsError::WrongLength {
                expected: 32,
                got: 31
            })
        );
    }

    #[test]
    fn debug_does_not_print_the_key() {
        let sk = SecretKey::from_bytes(&[7u8; 32]).expect("valid key");
        let shown = format!("{sk:?}");
        assert!(!shown.contains("0707"));
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn public_key_matches_known_vector() {
        // From the upstream test suite: this secret key signs the public
        // `sign` vectors, and its key appears in the verify vectors.
        let sk = SecretKey::from_bytes(
            &hex::decode("263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3")
                .expect("constant hex"),
        )
        .expect("valid key");
        assert_eq!(
            hex::encode(sk.public_key().to_bytes()),
            "a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d067c0618f6e5a7f79a"
        );
    }

    #[test]
    fn public_key_rejects_infinity() {
        let mut inf = [0u8; 48];
        inf[0] = 0xc0;
        assert_eq!(
            PublicKey::from_bytes(&inf),
            Err(BlsError::InfinityPublicKey)
        );
        assert_eq!(
            PublicKey::from_point(G1Affine::zero()),
            Err(BlsError::InfinityPublicKey)
        );
    }

    #[test]
    fn public_key_round_trips_and_debug_is_hex() {
        let pk = SecretKey::from_bytes(&[9u8; 32])
            .expect("valid key")
            .public_key();
        assert_eq!(PublicKey::from_bytes(&pk.to_bytes()), Ok(pk));
        assert!(format!("{pk:?}").starts_with("PublicKey(0x"));
    }

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn key_gen_matches_eip2333_master_key() {
        // EIP-2333 test case 0: derive_master_SK(seed) is KeyGen(seed, "").
        let seed = hex::decode(
            "c55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
        )
        .expect("constant hex");
        let sk = SecretKey::key_gen(&seed, b"").expect("long enough seed");
        let expected = Fr::from_str(
            "6083874454709270928345386274498605044986640685124978867557563392430687146096",
        )
        .expect("constant decimal");
        assert!(sk.0 == expected);
        assert!(matches!(
            SecretKey::key_gen(&seed[..31], b""),
            Err(BlsError::KeyMaterialTooShort(31))
        ));
    }
}
