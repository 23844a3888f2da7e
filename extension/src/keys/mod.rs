//! Keys: where account secrets come from and what they can do.
//!
//! Every way a user brings a secret into the wallet ends in one type,
//! [`PrivateKey`]: a BIP-39 phrase ([`mnemonic`]) is expanded to a seed and
//! walked down the BIP-44 path `m/44'/60'/0'/0/i` ([`hd`]); a raw key is
//! parsed from hex; a Web3 Secret Storage v3 file is decrypted
//! ([`keystore`]). A [`PrivateKey`] signs 32-byte digests (RFC 6979, so no
//! randomness is needed) and knows its [`Address`].
//!
//! Secrets are zeroed on drop and never printed: `Debug` shows the address
//! only, and no error in this module carries secret bytes.

pub mod hd;
pub mod keystore;
pub mod mnemonic;
pub mod scrypt;

pub use alloy_primitives::{Address, B256};
use k256::ecdsa::{RecoveryId, SigningKey, VerifyingKey};
use sha3::{Digest, Keccak256};

/// keccak256 of `data`.
pub fn keccak256(data: impl AsRef<[u8]>) -> B256 {
    B256::from_slice(&Keccak256::digest(data.as_ref()))
}

/// Why a private key or signature could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The text is not 32 bytes of hex (64 hex digits, `0x` optional).
    #[error("a private key is 64 hexadecimal digits (32 bytes), optionally prefixed by 0x")]
    BadKeyEncoding,
    /// The 32 bytes are zero or not below the secp256k1 group order.
    #[error("the private key is out of range for secp256k1 (zero or not below the group order)")]
    OutOfRange,
    /// A signature that is not 65 bytes `r ‖ s ‖ v` with a valid `v`.
    #[error("a signature is 65 bytes r ‖ s ‖ v with v in {{0, 1, 27, 28}}")]
    BadSignature,
    /// The signature does not recover to any public key.
    #[error("the signature does not recover to a public key")]
    Unrecoverable,
}

/// A secp256k1 private key. Zeroed on drop; `Debug` prints the address only.
#[derive(Clone)]
pub struct PrivateKey(SigningKey);

impl PrivateKey {
    /// From 32 big-endian bytes.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        SigningKey::from_bytes(bytes.into()).map(Self).map_err(|_| KeyError::OutOfRange)
    }

    /// From hex (64 digits, `0x` optional, surrounding whitespace ignored).
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let text = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
        let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text, bytes.as_mut()).map_err(|_| KeyError::BadKeyEncoding)?;
        Self::from_bytes(&bytes)
    }

    /// The 32 big-endian bytes (wrap the result in `Zeroizing` if it is kept).
    pub fn to_bytes(&self) -> [u8; 32] {
        self.0.to_bytes().into()
    }

    /// The Ethereum address: the last 20 bytes of keccak256 of the
    /// uncompressed public key without its 0x04 prefix.
    pub fn address(&self) -> Address {
        address_of(self.0.verifying_key())
    }

    /// The uncompressed public key without its 0x04 prefix (64 bytes), the
    /// form ERC-7857 proofs carry as `targetPubkey`.
    pub fn public_key(&self) -> [u8; 64] {
        uncompressed(self.0.verifying_key())
    }

    /// Signs a 32-byte digest (RFC 6979 deterministic nonce, low-s).
    pub fn sign_digest(&self, digest: &B256) -> Signature {
        // A 32-byte prehash is always accepted by k256; the error arm is unreachable
        // in practice but kept typed rather than unwrapped.
        match self.0.sign_prehash_recoverable(digest.as_slice()) {
            Ok((sig, rec)) => {
                let bytes = sig.to_bytes();
                let mut r = [0u8; 32];
                let mut s = [0u8; 32];
                r.copy_from_slice(&bytes[..32]);
                s.copy_from_slice(&bytes[32..]);
                Signature { r, s, y_parity: rec.is_y_odd() }
            }
            Err(_) => Signature { r: [0; 32], s: [0; 32], y_parity: false },
        }
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PrivateKey(address {})", self.address())
    }
}

fn uncompressed(key: &VerifyingKey) -> [u8; 64] {
    let point = key.to_encoded_point(false);
    let mut out = [0u8; 64];
    out.copy_from_slice(&point.as_bytes()[1..]);
    out
}

fn address_of(key: &VerifyingKey) -> Address {
    let point = key.to_encoded_point(false);
    let hash = keccak256(&point.as_bytes()[1..]);
    Address::from_slice(&hash[12..])
}

/// A recoverable secp256k1 signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// `r`, big-endian.
    pub r: [u8; 32],
    /// `s`, big-endian, in the lower half of the order.
    pub s: [u8; 32],
    /// Whether the nonce point's y is odd (the recovery id).
    pub y_parity: bool,
}

impl Signature {
    /// The 65-byte `r ‖ s ‖ v` form with `v = 27 + y_parity`, as `personal_sign`
    /// and `eth_signTypedData_v4` return it.
    pub fn to_rsv(&self) -> [u8; 65] {
        let mut out = [0u8; 65];
        out[..32].copy_from_slice(&self.r);
        out[32..64].copy_from_slice(&self.s);
        out[64] = 27 + u8::from(self.y_parity);
        out
    }

    /// Parses `r ‖ s ‖ v` (v in 0, 1, 27 or 28).
    pub fn from_rsv(bytes: &[u8]) -> Result<Self, KeyError> {
        if bytes.len() != 65 {
            return Err(KeyError::BadSignature);
        }
        let y_parity = match bytes[64] {
            0 | 27 => false,
            1 | 28 => true,
            _ => return Err(KeyError::BadSignature),
        };
        let mut r = [0u8; 32];
        let mut s = [0u8; 32];
        r.copy_from_slice(&bytes[..32]);
        s.copy_from_slice(&bytes[32..64]);
        Ok(Self { r, s, y_parity })
    }

    /// The address whose key made this signature over `digest` (ecrecover).
    pub fn recover(&self, digest: &B256) -> Result<Address, KeyError> {
        self.recover_key(digest).map(|k| address_of(&k))
    }

    /// The public key (64 bytes, no 0x04 prefix) that made this signature over `digest`.
    pub fn recover_public_key(&self, digest: &B256) -> Result<[u8; 64], KeyError> {
        self.recover_key(digest).map(|k| uncompressed(&k))
    }

    fn recover_key(&self, digest: &B256) -> Result<VerifyingKey, KeyError> {
        let mut rs = [0u8; 64];
        rs[..32].copy_from_slice(&self.r);
        rs[32..].copy_from_slice(&self.s);
        let sig = k256::ecdsa::Signature::from_slice(&rs).map_err(|_| KeyError::BadSignature)?;
        let rec = RecoveryId::new(self.y_parity, false);
        VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, rec).map_err(|_| KeyError::Unrecoverable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Account 0 of the standard test mnemonic (Hardhat/Anvil), a public test key.
    const KEY0: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

    #[test]
    fn raw_key_import_gives_the_known_address() {
        let key = PrivateKey::from_hex(&format!("0x{KEY0}\n")).expect("valid key");
        assert_eq!(key.address().to_checksum(None), "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
        assert_eq!(hex::encode(key.to_bytes()), KEY0);
        assert!(!format!("{key:?}").contains(KEY0), "Debug never prints the secret");
    }

    #[test]
    fn bad_raw_keys_are_refused_with_the_reason() {
        assert_eq!(PrivateKey::from_hex("0x1234").unwrap_err(), KeyError::BadKeyEncoding);
        assert_eq!(PrivateKey::from_hex(&"zz".repeat(32)).unwrap_err(), KeyError::BadKeyEncoding);
        assert_eq!(PrivateKey::from_hex(&"00".repeat(32)).unwrap_err(), KeyError::OutOfRange);
        assert_eq!(PrivateKey::from_hex(&"ff".repeat(32)).unwrap_err(), KeyError::OutOfRange);
    }

    #[test]
    fn signatures_recover_to_the_signer() {
        let key = PrivateKey::from_hex(KEY0).expect("valid key");
        let digest = keccak256(b"aloft");
        let sig = key.sign_digest(&digest);
        assert_eq!(sig.recover(&digest), Ok(key.address()));
        let parsed = Signature::from_rsv(&sig.to_rsv()).expect("round trip");
        assert_eq!(parsed, sig);
        assert_ne!(parsed.recover(&keccak256(b"other")), Ok(key.address()));
        assert_eq!(Signature::from_rsv(&[0u8; 64]).unwrap_err(), KeyError::BadSignature);
        let mut bad_v = sig.to_rsv();
        bad_v[64] = 29;
        assert_eq!(Signature::from_rsv(&bad_v).unwrap_err(), KeyError::BadSignature);
    }
}
