//! ECIES on secp256k1 in the byte format of the `ecies` Rust crate and the
//! `eciesjs` npm package with their default configuration, so keys sealed
//! here open there and back (tested against `eciesjs` in
//! `wasm-tests/e2e/tests/ecies.test.mjs`).
//!
//! Sealing to a receiver public key `P` (eciesjs `src/index.ts`,
//! `src/keys/PrivateKey.ts` `encapsulate`, `src/utils/hash.ts`,
//! `src/utils/symmetric.ts`, `src/config.ts`):
//! 1. an ephemeral secret `e` (from the caller's CSPRNG), `E = e·G`;
//! 2. the shared point `S = e·P`;
//! 3. `k = HKDF-SHA256(ikm = E ‖ S, salt = none, info = none, 32 bytes)`, with
//!    both points **uncompressed** (65 bytes each; `isHkdfKeyCompressed = false`);
//! 4. AES-256-GCM under `k` with a **16-byte** nonce (`symmetricNonceLength = 16`)
//!    and no associated data;
//! 5. output `E` uncompressed (65, `isEphemeralKeyCompressed = false`) ‖ nonce (16)
//!    ‖ tag (16) ‖ ciphertext.
//!
//! The receiver key may be given compressed (33 bytes), uncompressed (65), or
//! as Ethereum's raw 64 bytes (the `targetPubkey` of ERC-7857 proofs).

use core::fmt;

use aes_gcm::aead::consts::U16;
use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::aes::Aes256;
use aes_gcm::{AesGcm, Tag};
use hkdf::Hkdf;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{NonZeroScalar, ProjectivePoint};
use sha2::Sha256;
use zeroize::Zeroize;

use super::key::DataKey;

/// AES-256-GCM with eciesjs's 16-byte nonce.
type Aes256Gcm16 = AesGcm<Aes256, U16>;

const EPHEMERAL_LEN: usize = 65;
const NONCE_LEN: usize = 16;
const TAG_LEN: usize = 16;
/// Bytes a seal adds to its plaintext: ephemeral key, nonce and tag.
pub const SEAL_OVERHEAD: usize = EPHEMERAL_LEN + NONCE_LEN + TAG_LEN;
/// The length of a sealed 32-byte data key.
pub const SEALED_KEY_LEN: usize = SEAL_OVERHEAD + DataKey::LEN;

/// Why a seal could not be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EciesError {
    /// The public key is not a secp256k1 point in 33-, 64- or 65-byte form.
    #[error("not a secp256k1 public key ({len} bytes; expected a point in 33-byte compressed, 65-byte uncompressed or 64-byte raw form)")]
    BadPublicKey {
        /// Bytes given.
        len: usize,
    },
    /// The secret key is not 32 bytes in `1..n`.
    #[error("not a secp256k1 secret key (expected 32 bytes, a scalar from 1 to n-1)")]
    BadSecretKey,
    /// The ephemeral secret drawn by the caller is not a valid scalar (draw again).
    #[error("the ephemeral secret is not a valid scalar; draw new random bytes")]
    BadEphemeralSecret,
    /// The sealed bytes are shorter than a seal of zero bytes.
    #[error("the sealed data is truncated: {len} bytes, a seal has at least {min}")]
    Truncated {
        /// Bytes given.
        len: usize,
        /// The least a seal can be.
        min: usize,
    },
    /// The seal's ephemeral key is not a curve point.
    #[error("the sealed data is corrupt: its ephemeral public key is not a secp256k1 point")]
    BadEphemeralKey,
    /// Authentication failed: sealed to another key, or modified.
    #[error("cannot open: the data was sealed to a different key, or it was modified")]
    WrongKeyOrCorrupt,
    /// The opened plaintext is not a 32-byte data key.
    #[error("the sealed plaintext is {len} bytes, not a 32-byte data key")]
    NotADataKey {
        /// Plaintext bytes.
        len: usize,
    },
}

/// A secp256k1 public key (a valid curve point, not the identity).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey(k256::PublicKey);

impl PublicKey {
    /// Parses 33 (compressed), 65 (uncompressed, `0x04` first) or 64 raw `x ‖ y` bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EciesError> {
        let bad = EciesError::BadPublicKey { len: bytes.len() };
        let key = if bytes.len() == 64 {
            let mut full = [0u8; 65];
            full[0] = 4;
            full[1..].copy_from_slice(bytes);
            k256::PublicKey::from_sec1_bytes(&full)
        } else {
            k256::PublicKey::from_sec1_bytes(bytes)
        };
        key.map(PublicKey).map_err(|_| bad)
    }

    /// The 65-byte uncompressed form.
    pub fn to_uncompressed(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out.copy_from_slice(self.0.to_encoded_point(false).as_bytes());
        out
    }

    /// The 33-byte compressed form.
    pub fn to_compressed(&self) -> [u8; 33] {
        let mut out = [0u8; 33];
        out.copy_from_slice(self.0.to_encoded_point(true).as_bytes());
        out
    }

    /// The 64 raw bytes `x ‖ y`: ERC-7857's `targetPubkey`, whose keccak256 gives the address.
    pub fn to_raw64(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(&self.to_uncompressed()[1..]);
        out
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey(0x{})", hex::encode(self.to_compressed()))
    }
}

/// A secp256k1 secret key. Zeroed on drop by k256; `Debug` prints no secret.
#[derive(Clone)]
pub struct SecretKey(NonZeroScalar);

impl SecretKey {
    /// Parses 32 big-endian bytes in `1..n`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, EciesError> {
        let arr: [u8; 32] = bytes.try_into().map_err(|_| EciesError::BadSecretKey)?;
        Option::<NonZeroScalar>::from(NonZeroScalar::from_repr(arr.into()))
            .map(SecretKey)
            .ok_or(EciesError::BadSecretKey)
    }

    /// Its public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey(k256::PublicKey::from_secret_scalar(&self.0))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(<secret>)")
    }
}

/// HKDF-SHA256(E ‖ S) with both points uncompressed.
fn derive(ephemeral: &[u8; 65], shared: &ProjectivePoint) -> [u8; 32] {
    let mut ikm = [0u8; 130];
    ikm[..65].copy_from_slice(ephemeral);
    ikm[65..].copy_from_slice(shared.to_affine().to_encoded_point(false).as_bytes());
    let mut key = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's 8160-byte output limit.
    let _ = Hkdf::<Sha256>::new(None, &ikm).expand(&[], &mut key);
    ikm.zeroize();
    key
}

/// Seals `plaintext` to `to`. `ephemeral_secret` and `nonce` must come fresh
/// from a CSPRNG for every seal.
pub fn seal(
    to: &PublicKey,
    plaintext: &[u8],
    ephemeral_secret: &[u8; 32],
    nonce: &[u8; 16],
) -> Result<Vec<u8>, EciesError> {
    let e = SecretKey::from_bytes(ephemeral_secret).map_err(|_| EciesError::BadEphemeralSecret)?;
    let ephemeral = e.public_key().to_uncompressed();
    let shared = to.0.to_projective() * *e.0;
    let mut key = derive(&ephemeral, &shared);
    let aead = Aes256Gcm16::new(GenericArray::from_slice(&key));
    key.zeroize();
    let mut body = plaintext.to_vec();
    let tag = aead
        .encrypt_in_place_detached(GenericArray::from_slice(nonce), &[], &mut body)
        .map_err(|_| EciesError::WrongKeyOrCorrupt)?;
    let mut out = Vec::with_capacity(SEAL_OVERHEAD + body.len());
    out.extend_from_slice(&ephemeral);
    out.extend_from_slice(nonce);
    out.extend_from_slice(&tag);
    out.extend_from_slice(&body);
    Ok(out)
}

/// Opens a seal with the receiver's secret key.
pub fn open(secret: &SecretKey, sealed: &[u8]) -> Result<Vec<u8>, EciesError> {
    if sealed.len() < SEAL_OVERHEAD {
        return Err(EciesError::Truncated { len: sealed.len(), min: SEAL_OVERHEAD });
    }
    let (ephemeral, rest) = sealed.split_at(EPHEMERAL_LEN);
    let (nonce, rest) = rest.split_at(NONCE_LEN);
    let (tag, body) = rest.split_at(TAG_LEN);
    let point = k256::PublicKey::from_sec1_bytes(ephemeral).map_err(|_| EciesError::BadEphemeralKey)?;
    let mut eph = [0u8; 65];
    eph.copy_from_slice(point.to_encoded_point(false).as_bytes());
    let shared = point.to_projective() * *secret.0;
    let mut key = derive(&eph, &shared);
    let aead = Aes256Gcm16::new(GenericArray::from_slice(&key));
    key.zeroize();
    let mut out = body.to_vec();
    aead.decrypt_in_place_detached(GenericArray::from_slice(nonce), &[], &mut out, Tag::from_slice(tag))
        .map_err(|_| EciesError::WrongKeyOrCorrupt)?;
    Ok(out)
}

/// Seals a data key: the 129-byte `sealedKey` of an ERC-7857 ownership proof.
pub fn seal_data_key(
    to: &PublicKey,
    key: &DataKey,
    ephemeral_secret: &[u8; 32],
    nonce: &[u8; 16],
) -> Result<Vec<u8>, EciesError> {
    seal(to, key.as_bytes(), ephemeral_secret, nonce)
}

/// Opens a sealed data key.
pub fn open_data_key(secret: &SecretKey, sealed: &[u8]) -> Result<DataKey, EciesError> {
    let mut plain = open(secret, sealed)?;
    let key = DataKey::try_from(plain.as_slice()).map_err(|len| EciesError::NotADataKey { len });
    plain.zeroize();
    key
}
