//! BIP-32 hierarchical derivation of private keys, and the BIP-44 Ethereum path.
//!
//! 1. Master key: HMAC-SHA512 with key `"Bitcoin seed"` over the BIP-39 seed;
//!    the left half is the key, the right half the chain code.
//! 2. Child `i` (CKDpriv): HMAC-SHA512 with the parent's chain code over
//!    `0x00 ‖ k ‖ ser32(i)` for hardened `i ≥ 2^31`, or over the compressed
//!    public key `‖ ser32(i)` otherwise; the child key is `IL + k mod n`.
//! 3. Accounts: `m/44'/60'/0'/0/i`, the path MetaMask, Hardhat and Anvil use,
//!    so the same phrase gives the same addresses everywhere.
//!
//! Only private derivation is needed: the wallet holds the seed while it is
//! unlocked, and no extended public key leaves it.

use hmac::{Hmac, Mac};
use k256::elliptic_curve::PrimeField;
use k256::elliptic_curve::sec1::ToEncodedPoint;
use k256::{NonZeroScalar, Scalar};
use sha2::Sha512;
use zeroize::{Zeroize, Zeroizing};

use super::PrivateKey;

/// Indices at or above this are hardened.
pub const HARDENED: u32 = 0x8000_0000;

/// Why a derivation failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DeriveError {
    /// The path is not `m/…` with decimal indices, `'` or `h` for hardened.
    #[error("derivation path {0:?} is not of the form m/44'/60'/0'/0/0")]
    BadPath(String),
    /// The HMAC output is not a valid key at this step (probability about
    /// 2^-127; BIP-32 says to use the next index).
    #[error("BIP-32 gives no valid key at index {0}; use the next index")]
    InvalidChild(u32),
}

/// An extended private key: key and chain code. Zeroed on drop.
#[derive(Clone)]
pub struct ExtendedKey {
    key: NonZeroScalar,
    chain_code: Zeroizing<[u8; 32]>,
}

impl Drop for ExtendedKey {
    fn drop(&mut self) {
        // NonZeroScalar has no Zeroize; overwrite it with one, the only
        // constant that is valid.
        self.key = NonZeroScalar::new(Scalar::ONE).expect("one is non-zero");
    }
}

type HmacSha512 = Hmac<Sha512>;

fn hmac512(key: &[u8], parts: &[&[u8]]) -> Zeroizing<[u8; 64]> {
    let mut mac = HmacSha512::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    let mut out = Zeroizing::new([0u8; 64]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    out
}

fn split(i: &[u8; 64], index: u32) -> Result<(Scalar, Zeroizing<[u8; 32]>), DeriveError> {
    let mut left = [0u8; 32];
    left.copy_from_slice(&i[..32]);
    let scalar: Option<Scalar> = Scalar::from_repr(left.into()).into();
    left.zeroize();
    let scalar = scalar.ok_or(DeriveError::InvalidChild(index))?;
    let mut chain = Zeroizing::new([0u8; 32]);
    chain.copy_from_slice(&i[32..]);
    Ok((scalar, chain))
}

impl ExtendedKey {
    /// The master key of a BIP-39 (or any 16–64 byte) seed.
    pub fn master(seed: &[u8]) -> Result<Self, DeriveError> {
        let i = hmac512(b"Bitcoin seed", &[seed]);
        let (scalar, chain_code) = split(&i, 0)?;
        let key = Option::from(NonZeroScalar::new(scalar)).ok_or(DeriveError::InvalidChild(0))?;
        Ok(Self { key, chain_code })
    }

    /// Child `index` (hardened when `index >= HARDENED`).
    pub fn child(&self, index: u32) -> Result<Self, DeriveError> {
        let k = Zeroizing::new(self.key.to_repr());
        let i = if index >= HARDENED {
            hmac512(self.chain_code.as_ref(), &[&[0u8], k.as_slice(), &index.to_be_bytes()])
        } else {
            let public = (k256::ProjectivePoint::GENERATOR * *self.key).to_affine().to_encoded_point(true);
            hmac512(self.chain_code.as_ref(), &[public.as_bytes(), &index.to_be_bytes()])
        };
        let (tweak, chain_code) = split(&i, index)?;
        let key = Option::from(NonZeroScalar::new(tweak + *self.key)).ok_or(DeriveError::InvalidChild(index))?;
        Ok(Self { key, chain_code })
    }

    /// Walks `path` (`m/44'/60'/0'/0/0`; `'` or `h` marks hardened).
    pub fn derive_path(&self, path: &str) -> Result<Self, DeriveError> {
        let bad = || DeriveError::BadPath(path.to_string());
        let mut parts = path.split('/');
        if parts.next() != Some("m") {
            return Err(bad());
        }
        let mut key = self.clone();
        for part in parts {
            let (digits, hardened) = match part.strip_suffix('\'').or_else(|| part.strip_suffix('h')) {
                Some(d) => (d, true),
                None => (part, false),
            };
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let index: u32 = digits.parse().map_err(|_| bad())?;
            if index >= HARDENED {
                return Err(bad());
            }
            key = key.child(if hardened { index | HARDENED } else { index })?;
        }
        Ok(key)
    }

    /// The private key at this node.
    pub fn private_key(&self) -> PrivateKey {
        PrivateKey(k256::ecdsa::SigningKey::from(self.key))
    }

    /// The chain code (for tests against the BIP-32 vectors).
    pub fn chain_code(&self) -> &[u8; 32] {
        &self.chain_code
    }
}

/// The BIP-44 path of Ethereum account `index`: `m/44'/60'/0'/0/index`.
pub fn ethereum_path(index: u32) -> String {
    format!("m/44'/60'/0'/0/{index}")
}

/// The private key of Ethereum account `index` under `seed`.
pub fn ethereum_account(seed: &[u8], index: u32) -> Result<PrivateKey, DeriveError> {
    if index >= HARDENED {
        return Err(DeriveError::BadPath(format!("m/44'/60'/0'/0/{index}")));
    }
    Ok(ExtendedKey::master(seed)?.derive_path("m/44'/60'/0'/0")?.child(index)?.private_key())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::mnemonic::Mnemonic;

    /// BIP-32 test vector 1 (bitcoin/bips bip-0032.mediawiki): private key and
    /// chain code along m/0'/1/2'/2/1000000000.
    #[test]
    fn bip32_test_vector_1() {
        let seed = hex::decode("000102030405060708090a0b0c0d0e0f").expect("hex");
        let rows = [
            ("m", "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35", "873dff81c02f525623fd1fe5167eac3a55a049de3d314bb42ee227ffed37d508"),
            ("m/0'", "edb2e14f9ee77d26dd93b4ecede8d16ed408ce149b6cd80b0715a2d911a0afea", "47fdacbd0f1097043b78c63c20c34ef4ed9a111d980047ad16282c7ae6236141"),
            ("m/0'/1", "3c6cb8d0f6a264c91ea8b5030fadaa8e538b020f0a387421a12de9319dc93368", "2a7857631386ba23dacac34180dd1983734e444fdbf774041578e9b6adb37c19"),
            ("m/0'/1/2h", "cbce0d719ecf7431d88e6a89fa1483e02e35092af60c042b1df2ff59fa424dca", "04466b9cc8e161e966409ca52986c584f07e9dc81f735db683c3ff6ec7b1503f"),
            ("m/0'/1/2'/2", "0f479245fb19a38a1954c5c7c0ebab2f9bdfd96a17563ef28a6a4b1a2a764ef4", "cfb71883f01676f587d023cc53a35bc7f88f724b1f8c2892ac1275ac822a3edd"),
            ("m/0'/1/2'/2/1000000000", "471b76e389e528d6de6d816857e012c5455051cad6660850e58372a6c3e6e7c8", "c783e67b921d2beb8f6b389cc646d7263b4145701dadd2161548a8b078e65e9e"),
        ];
        let master = ExtendedKey::master(&seed).expect("valid seed");
        for (path, key, chain) in rows {
            let node = master.derive_path(path).expect("valid path");
            assert_eq!(hex::encode(node.private_key().to_bytes()), key, "{path} key");
            assert_eq!(hex::encode(node.chain_code()), chain, "{path} chain code");
        }
    }

    /// The standard test mnemonic gives the accounts Hardhat and Anvil fund.
    #[test]
    fn bip44_ethereum_accounts_of_the_test_mnemonic() {
        let mnemonic = Mnemonic::parse("test test test test test test test test test test test junk").expect("valid");
        let seed = mnemonic.seed("").expect("ascii");
        let expected = [
            ("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
            ("0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
        ];
        for (i, (address, key)) in expected.into_iter().enumerate() {
            let account = ethereum_account(seed.as_ref(), i as u32).expect("derives");
            assert_eq!(account.address().to_checksum(None), address);
            assert_eq!(hex::encode(account.to_bytes()), key);
        }
        assert_eq!(ethereum_path(3), "m/44'/60'/0'/0/3");
    }

    #[test]
    fn bad_paths_are_refused() {
        let master = ExtendedKey::master(&[7u8; 32]).expect("valid seed");
        for path in ["", "44'/60'", "m/", "m/x", "m/-1", "m/2147483648", "m/1''", "n/0"] {
            assert_eq!(master.derive_path(path).err(), Some(DeriveError::BadPath(path.into())), "{path}");
        }
    }
}
