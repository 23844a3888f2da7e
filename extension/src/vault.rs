//! The vault: every secret the wallet holds, encrypted at rest.
//!
//! 1. The password goes through PBKDF2-HMAC-SHA256 with 600,000 rounds (the
//!    OWASP 2023 figure MetaMask also uses) and a fresh 32-byte salt, giving
//!    a 256-bit [`VaultKey`].
//! 2. The [`Secrets`] (recovery phrase, number of derived accounts, imported
//!    raw keys) are serialised and sealed with AES-256-GCM under a fresh
//!    12-byte IV. The stored record is MetaMask's shape,
//!    `{data, iv, salt, keyMetadata: {algorithm, params: {iterations}}}`,
//!    base64 fields, `data` = ciphertext ‖ 16-byte tag.
//! 3. Unlocking re-derives the key from the salt in the record; a wrong
//!    password fails the GCM tag and is reported as [`VaultError::WrongPassword`],
//!    never as anything that depends on the plaintext.
//!
//! ## Where things live (the security argument)
//!
//! - The sealed record is the only copy of the secrets on disk; it goes to
//!   IndexedDB in the service worker's origin (`chrome-extension://<id>`),
//!   which no page or content script can open. Nothing secret is written to
//!   `chrome.storage.local` or `localStorage`.
//! - While unlocked, the clear secrets live only in the engine's memory.
//!   The browser stops idle service workers after ~30 s, and the wallet must
//!   stay unlocked across that until auto-lock, without the password or
//!   clear keys on disk. So the derived [`VaultKey`] (not the password, not
//!   a key of any account) is kept in `chrome.storage.session`: held in
//!   memory by the browser, never written to disk, cleared when the browser
//!   exits or the extension reloads, and set to `TRUSTED_CONTEXTS` so
//!   content scripts cannot read it. After a restart the worker reads the
//!   sealed record from IndexedDB and the key from the session to reopen it.
//!   Locking (by the user or the `chrome.alarms` auto-lock) removes the key
//!   from the session and drops the clear secrets from memory.
//! - Changing the password re-derives with a new salt and re-seals; the old
//!   record is replaced in the same write.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// PBKDF2 rounds for new vaults.
pub const KDF_ITERATIONS: u32 = 600_000;
/// The fewest rounds a stored vault may claim (a tampered record must not
/// weaken the derivation).
pub const MIN_KDF_ITERATIONS: u32 = 600_000;
/// The most rounds a stored record may ask for.
const MAX_KDF_ITERATIONS: u32 = 10_000_000;

/// Why the vault could not be opened or sealed. No variant carries secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The password does not open the vault.
    #[error("wrong password")]
    WrongPassword,
    /// The stored record is not a vault this wallet wrote.
    #[error("the stored vault is damaged or not an Aloft vault: {0}")]
    Corrupt(String),
    /// Passwords must have at least 8 characters.
    #[error("the password must have at least 8 characters")]
    WeakPassword,
}

/// A 256-bit AES-GCM key derived from the password. Zeroed on drop.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct VaultKey([u8; 32]);

impl std::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKey(..)")
    }
}

impl VaultKey {
    /// PBKDF2-HMAC-SHA256(password, salt, iterations).
    pub fn derive(password: &str, salt: &[u8], iterations: u32) -> Self {
        let mut key = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), salt, iterations, &mut key);
        Self(key)
    }

    /// The raw key, for the memory-only session store (base64).
    pub fn to_session(&self) -> Zeroizing<String> {
        Zeroizing::new(B64.encode(self.0))
    }

    /// Back from the session store.
    pub fn from_session(text: &str) -> Result<Self, VaultError> {
        let bytes = Zeroizing::new(B64.decode(text).map_err(|_| VaultError::Corrupt("session key".into()))?);
        let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| VaultError::Corrupt("session key length".into()))?;
        Ok(Self(key))
    }
}

/// Everything secret: what the vault seals.
#[derive(Clone, Default, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct Secrets {
    /// The BIP-39 phrase, if the wallet was created or imported from one.
    pub mnemonic: Option<String>,
    /// How many accounts `m/44'/60'/0'/0/i` are in use (i < this).
    pub hd_accounts: u32,
    /// Imported raw keys, hex.
    pub imported: Vec<String>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets(mnemonic: {}, hd_accounts: {}, imported: {})", self.mnemonic.is_some(), self.hd_accounts, self.imported.len())
    }
}

/// The sealed record, as stored (MetaMask's vault shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SealedVault {
    /// base64(ciphertext ‖ tag).
    pub data: String,
    /// base64 of the 12-byte GCM IV.
    pub iv: String,
    /// base64 of the 32-byte PBKDF2 salt.
    pub salt: String,
    /// How the key is derived.
    pub key_metadata: KeyMetadata,
}

/// The KDF description stored with the vault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyMetadata {
    /// Always `"PBKDF2"`.
    pub algorithm: String,
    /// `{ iterations }`.
    pub params: KdfParams,
}

/// PBKDF2 parameters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Rounds.
    pub iterations: u32,
}

impl SealedVault {
    fn salt(&self) -> Result<Vec<u8>, VaultError> {
        let salt = B64.decode(&self.salt).map_err(|_| VaultError::Corrupt("salt is not base64".into()))?;
        if salt.len() < 16 {
            return Err(VaultError::Corrupt("salt is shorter than 16 bytes".into()));
        }
        Ok(salt)
    }

    /// The key `password` derives for this record (runs the KDF). A record
    /// claiming fewer than `min_iterations` rounds is refused.
    pub fn derive_key(&self, password: &str, min_iterations: u32) -> Result<VaultKey, VaultError> {
        if self.key_metadata.algorithm != "PBKDF2" {
            return Err(VaultError::Corrupt(format!("unknown key derivation {:?}", self.key_metadata.algorithm)));
        }
        let iterations = self.key_metadata.params.iterations;
        if !(min_iterations..=MAX_KDF_ITERATIONS).contains(&iterations) {
            return Err(VaultError::Corrupt(format!("{iterations} PBKDF2 rounds is outside the accepted range")));
        }
        Ok(VaultKey::derive(password, &self.salt()?, iterations))
    }

    /// Opens the record with an already derived key (after a worker restart).
    pub fn open(&self, key: &VaultKey) -> Result<Secrets, VaultError> {
        let iv = B64.decode(&self.iv).map_err(|_| VaultError::Corrupt("iv is not base64".into()))?;
        if iv.len() != 12 {
            return Err(VaultError::Corrupt("iv is not 12 bytes".into()));
        }
        let data = B64.decode(&self.data).map_err(|_| VaultError::Corrupt("data is not base64".into()))?;
        let cipher = Aes256Gcm::new((&key.0).into());
        let plain = Zeroizing::new(
            cipher.decrypt(Nonce::from_slice(&iv), data.as_slice()).map_err(|_| VaultError::WrongPassword)?,
        );
        serde_json::from_slice(&plain).map_err(|_| VaultError::Corrupt("the decrypted vault is not readable".into()))
    }

    /// Opens the record with the password: returns the key (for the session
    /// store) and the secrets.
    pub fn unlock(&self, password: &str, min_iterations: u32) -> Result<(VaultKey, Secrets), VaultError> {
        let key = self.derive_key(password, min_iterations)?;
        let secrets = self.open(&key)?;
        Ok((key, secrets))
    }

    /// Seals `secrets` under `key` (same salt and KDF as `like`, fresh IV).
    pub fn reseal(like: &SealedVault, key: &VaultKey, secrets: &Secrets, iv: [u8; 12]) -> Result<Self, VaultError> {
        seal_with(key, secrets, iv, like.salt.clone(), like.key_metadata.params.iterations)
    }
}

/// Seals `secrets` under a key derived from `password` with `salt`.
pub fn seal(password: &str, secrets: &Secrets, salt: [u8; 32], iv: [u8; 12], iterations: u32) -> Result<(VaultKey, SealedVault), VaultError> {
    if password.chars().count() < 8 {
        return Err(VaultError::WeakPassword);
    }
    let key = VaultKey::derive(password, &salt, iterations);
    let sealed = seal_with(&key, secrets, iv, B64.encode(salt), iterations)?;
    Ok((key, sealed))
}

fn seal_with(key: &VaultKey, secrets: &Secrets, iv: [u8; 12], salt: String, iterations: u32) -> Result<SealedVault, VaultError> {
    let plain = Zeroizing::new(serde_json::to_vec(secrets).map_err(|e| VaultError::Corrupt(e.to_string()))?);
    let cipher = Aes256Gcm::new((&key.0).into());
    let data = cipher
        .encrypt(Nonce::from_slice(&iv), plain.as_slice())
        .map_err(|_| VaultError::Corrupt("AES-GCM refused to encrypt".into()))?;
    Ok(SealedVault {
        data: B64.encode(data),
        iv: B64.encode(iv),
        salt,
        key_metadata: KeyMetadata { algorithm: "PBKDF2".into(), params: KdfParams { iterations } },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHRASE: &str = "test test test test test test test test test test test junk";

    fn secrets() -> Secrets {
        Secrets { mnemonic: Some(PHRASE.into()), hd_accounts: 2, imported: vec!["11".repeat(32)] }
    }

    #[test]
    fn seal_and_unlock_round_trip_with_the_real_cost() {
        let (key, sealed) = seal("correct horse", &secrets(), [7; 32], [9; 12], KDF_ITERATIONS).expect("seals");
        assert_eq!(sealed.key_metadata.params.iterations, 600_000);
        let json = serde_json::to_string(&sealed).expect("json");
        assert!(json.contains("\"keyMetadata\"") && json.contains("\"data\"") && json.contains("\"iv\"") && json.contains("\"salt\""));
        assert!(!json.contains("test test") && !json.contains(&"11".repeat(32)), "nothing secret in clear");
        let (key2, opened) = sealed.unlock("correct horse", MIN_KDF_ITERATIONS).expect("opens");
        assert_eq!(key2, key);
        assert_eq!(opened.mnemonic.as_deref(), Some(PHRASE));
        assert_eq!(opened.hd_accounts, 2);
        assert_eq!(sealed.unlock("wrong horse!", MIN_KDF_ITERATIONS).unwrap_err(), VaultError::WrongPassword);
        // After a worker restart: the key from the session store opens it.
        let back = VaultKey::from_session(&key.to_session()).expect("session key");
        assert_eq!(back.clone(), key);
        assert_eq!(sealed.open(&back).expect("opens").imported.len(), 1);
    }

    #[test]
    fn reseal_keeps_the_password_and_tampering_is_caught() {
        let (key, sealed) = seal("password1", &secrets(), [1; 32], [2; 12], 1000).expect("seals");
        let mut more = secrets();
        more.hd_accounts = 3;
        let resealed = SealedVault::reseal(&sealed, &key, &more, [3; 12]).expect("reseals");
        assert_eq!(resealed.unlock("password1", 1000).expect("opens").1.hd_accounts, 3);
        let mut tampered = resealed.clone();
        let mut data = B64.decode(&tampered.data).expect("b64");
        data[0] ^= 1;
        tampered.data = B64.encode(data);
        assert_eq!(tampered.unlock("password1", 1000).unwrap_err(), VaultError::WrongPassword);
        let mut bad_iv = resealed.clone();
        bad_iv.iv = "AAAA".into();
        assert!(matches!(bad_iv.unlock("password1", 1000), Err(VaultError::Corrupt(_))));
        let mut bad_kdf = resealed;
        bad_kdf.key_metadata.algorithm = "argon2".into();
        assert!(matches!(bad_kdf.unlock("password1", 1000), Err(VaultError::Corrupt(_))));
        assert!(matches!(sealed.unlock("password1", MIN_KDF_ITERATIONS), Err(VaultError::Corrupt(_))), "too few rounds");
        assert_eq!(seal("short", &secrets(), [1; 32], [2; 12], 1000).unwrap_err(), VaultError::WeakPassword);
    }
}
