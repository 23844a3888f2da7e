//! Web3 Secret Storage v3 ("keystore" JSON files), import and export.
//!
//! 1. Derive `dk` (32 bytes) from the password with the file's KDF: scrypt
//!    `{n, r, p, salt, dklen}` or PBKDF2-HMAC-SHA256 `{c, salt, dklen, prf}`.
//! 2. Check `mac == keccak256(dk[16..32] ‖ ciphertext)`; a mismatch means a
//!    wrong password (or a damaged file) and nothing is decrypted.
//! 3. AES-128-CTR with key `dk[0..16]` and the file's 16-byte IV gives the
//!    32-byte private key; if the file names an address, it must match.
//!
//! KDF parameters come from a file the user picked, so they are bounded
//! before any work: a hostile file must not make the wallet allocate
//! gigabytes (scrypt memory is `128·r·n` bytes) or spin for hours.
//! Export takes its salt, IV and UUID bytes from the caller (sans-IO).

use aes::cipher::{KeyIvInit, StreamCipher};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{KeyError, PrivateKey, keccak256};

type Aes128Ctr = ctr::Ctr128BE<aes::Aes128>;

/// Largest scrypt memory a file may ask for: 256 MiB (geth's "standard" n=2^18, r=8).
const MAX_SCRYPT_MEMORY: u64 = 256 << 20;
/// Most PBKDF2 rounds a file may ask for.
const MAX_PBKDF2_ROUNDS: u32 = 10_000_000;

/// Why a keystore file could not be imported or exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeystoreError {
    /// Not JSON, or not the v3 shape.
    #[error("the file is not a Web3 Secret Storage v3 keystore: {0}")]
    Format(String),
    /// A version other than 3.
    #[error("keystore version {0} is not supported (only version 3)")]
    Version(u64),
    /// A cipher other than aes-128-ctr.
    #[error("keystore cipher {0:?} is not supported (only aes-128-ctr)")]
    Cipher(String),
    /// A KDF other than scrypt or pbkdf2 with hmac-sha256.
    #[error("keystore key derivation {0:?} is not supported (scrypt, or pbkdf2 with hmac-sha256)")]
    Kdf(String),
    /// KDF parameters that are invalid or too costly to run here.
    #[error("keystore key-derivation parameters refused: {0}")]
    KdfParams(String),
    /// The MAC does not match: the password is wrong or the file damaged.
    #[error("wrong password for this keystore (its MAC does not match)")]
    WrongPassword,
    /// The decrypted key is not a valid secp256k1 key.
    #[error("the keystore decrypts to an invalid key: {0}")]
    Key(#[from] KeyError),
    /// The file's address field is not the key's address.
    #[error("the keystore's address field does not match its key")]
    AddressMismatch,
}

#[derive(Debug, Serialize, Deserialize)]
struct KeystoreFile {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    address: Option<String>,
    #[serde(alias = "Crypto")]
    crypto: CryptoSection,
    id: String,
    version: u64,
}

#[derive(Debug, Serialize, Deserialize)]
struct CryptoSection {
    cipher: String,
    cipherparams: CipherParams,
    ciphertext: String,
    kdf: String,
    kdfparams: serde_json::Value,
    mac: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct CipherParams {
    iv: String,
}

/// The KDF to use when exporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportKdf {
    /// scrypt with `n = 2^log_n`, `r`, `p`.
    Scrypt {
        /// log2 of the cost parameter n.
        log_n: u8,
        /// Block size.
        r: u32,
        /// Parallelism.
        p: u32,
    },
    /// PBKDF2-HMAC-SHA256 with `c` rounds.
    Pbkdf2 {
        /// Rounds.
        c: u32,
    },
}

impl ExportKdf {
    /// What the wallet writes by default: scrypt n = 2^17, r = 8, p = 1
    /// (128 MiB, the cost ethers and web3.js use).
    pub const DEFAULT: Self = ExportKdf::Scrypt { log_n: 17, r: 8, p: 1 };
}

/// Caller-supplied randomness for an export.
#[derive(Debug, Clone, Copy)]
pub struct ExportRandomness {
    /// KDF salt.
    pub salt: [u8; 32],
    /// AES-CTR IV.
    pub iv: [u8; 16],
    /// Bytes of the file's UUID (made version 4 here).
    pub uuid: [u8; 16],
}

fn unhex(field: &str, text: &str) -> Result<Vec<u8>, KeystoreError> {
    let text = text.strip_prefix("0x").unwrap_or(text);
    hex::decode(text).map_err(|_| KeystoreError::Format(format!("{field} is not hex")))
}

fn param<'a>(params: &'a serde_json::Value, name: &str) -> Result<&'a serde_json::Value, KeystoreError> {
    params.get(name).ok_or_else(|| KeystoreError::KdfParams(format!("missing {name}")))
}

fn param_u64(params: &serde_json::Value, name: &str) -> Result<u64, KeystoreError> {
    param(params, name)?.as_u64().ok_or_else(|| KeystoreError::KdfParams(format!("{name} is not a positive integer")))
}

/// Runs the file's KDF, bounded.
fn derive(kdf: &str, params: &serde_json::Value, password: &[u8]) -> Result<Zeroizing<[u8; 32]>, KeystoreError> {
    let dklen = param_u64(params, "dklen")?;
    if dklen != 32 {
        return Err(KeystoreError::KdfParams(format!("dklen {dklen} (this wallet reads 32-byte keys)")));
    }
    let salt = unhex("salt", param(params, "salt")?.as_str().ok_or_else(|| KeystoreError::KdfParams("salt".into()))?)?;
    let mut dk = Zeroizing::new([0u8; 32]);
    match kdf {
        "scrypt" => {
            let n = param_u64(params, "n")?;
            let r = param_u64(params, "r")?;
            let p = param_u64(params, "p")?;
            if n < 2 || !n.is_power_of_two() {
                return Err(KeystoreError::KdfParams(format!("n = {n} is not a power of two above 1")));
            }
            let memory = 128u64.saturating_mul(r).saturating_mul(n);
            if r == 0 || p == 0 || p > 64 || memory > MAX_SCRYPT_MEMORY {
                return Err(KeystoreError::KdfParams(format!(
                    "scrypt n = {n}, r = {r}, p = {p} needs more than this wallet allows (256 MiB, p ≤ 64)"
                )));
            }
            let log_n = n.trailing_zeros() as u8;
            super::scrypt::scrypt(password, &salt, log_n, r as u32, p as u32, dk.as_mut())
                .map_err(|e| KeystoreError::KdfParams(e.into()))?;
        }
        "pbkdf2" => {
            let prf = param(params, "prf")?.as_str().unwrap_or_default();
            if prf != "hmac-sha256" {
                return Err(KeystoreError::Kdf(format!("pbkdf2 with {prf}")));
            }
            let c = param_u64(params, "c")?;
            if c == 0 || c > u64::from(MAX_PBKDF2_ROUNDS) {
                return Err(KeystoreError::KdfParams(format!("pbkdf2 c = {c} (1 to {MAX_PBKDF2_ROUNDS})")));
            }
            pbkdf2::pbkdf2_hmac::<Sha256>(password, &salt, c as u32, dk.as_mut());
        }
        other => return Err(KeystoreError::Kdf(other.to_string())),
    }
    Ok(dk)
}

fn mac(dk: &[u8; 32], ciphertext: &[u8]) -> [u8; 32] {
    let mut body = Vec::with_capacity(16 + ciphertext.len());
    body.extend_from_slice(&dk[16..]);
    body.extend_from_slice(ciphertext);
    keccak256(body).0
}

/// Decrypts a v3 keystore file with `password`.
pub fn import(json: &str, password: &str) -> Result<PrivateKey, KeystoreError> {
    let file: KeystoreFile = serde_json::from_str(json).map_err(|e| KeystoreError::Format(e.to_string()))?;
    if file.version != 3 {
        return Err(KeystoreError::Version(file.version));
    }
    let c = &file.crypto;
    if c.cipher != "aes-128-ctr" {
        return Err(KeystoreError::Cipher(c.cipher.clone()));
    }
    let iv = unhex("iv", &c.cipherparams.iv)?;
    let iv: [u8; 16] = iv.try_into().map_err(|_| KeystoreError::Format("the IV is not 16 bytes".into()))?;
    let ciphertext = unhex("ciphertext", &c.ciphertext)?;
    if ciphertext.len() != 32 {
        return Err(KeystoreError::Format("the ciphertext is not 32 bytes (one secp256k1 key)".into()));
    }
    let expected_mac = unhex("mac", &c.mac)?;
    let dk = derive(&c.kdf, &c.kdfparams, password.as_bytes())?;
    // Not secret-dependent timing in any useful sense: the MAC is public and
    // the attacker who holds the file can compute this comparison offline.
    if mac(&dk, &ciphertext)[..] != expected_mac[..] {
        return Err(KeystoreError::WrongPassword);
    }
    let mut plain = Zeroizing::new([0u8; 32]);
    plain.copy_from_slice(&ciphertext);
    let mut cipher = Aes128Ctr::new(dk[..16].into(), &iv.into());
    cipher.apply_keystream(plain.as_mut());
    let key = PrivateKey::from_bytes(&plain)?;
    if let Some(address) = &file.address {
        let stated = unhex("address", address)?;
        if stated[..] != key.address()[..] {
            return Err(KeystoreError::AddressMismatch);
        }
    }
    Ok(key)
}

fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let h = hex::encode(bytes);
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// Encrypts `key` into a v3 keystore file under `password`.
pub fn export(key: &PrivateKey, password: &str, kdf: ExportKdf, random: &ExportRandomness) -> Result<String, KeystoreError> {
    let salt = hex::encode(random.salt);
    let (name, params) = match kdf {
        ExportKdf::Scrypt { log_n, r, p } => {
            if log_n >= 64 {
                return Err(KeystoreError::KdfParams(format!("scrypt log_n = {log_n}")));
            }
            ("scrypt", serde_json::json!({"dklen": 32, "n": 1u64 << log_n, "r": r, "p": p, "salt": salt}))
        }
        ExportKdf::Pbkdf2 { c } => ("pbkdf2", serde_json::json!({"dklen": 32, "c": c, "prf": "hmac-sha256", "salt": salt})),
    };
    let dk = derive(name, &params, password.as_bytes())?;
    let mut ciphertext = key.to_bytes();
    let mut cipher = Aes128Ctr::new(dk[..16].into(), &random.iv.into());
    cipher.apply_keystream(&mut ciphertext);
    let file = KeystoreFile {
        address: Some(hex::encode(key.address())),
        crypto: CryptoSection {
            cipher: "aes-128-ctr".into(),
            cipherparams: CipherParams { iv: hex::encode(random.iv) },
            ciphertext: hex::encode(ciphertext),
            kdf: name.into(),
            kdfparams: params,
            mac: hex::encode(mac(&dk, &ciphertext)),
        },
        id: uuid_v4(random.uuid),
        version: 3,
    };
    serde_json::to_string(&file).map_err(|e| KeystoreError::Format(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The two test vectors of the Web3 Secret Storage Definition (ethereum wiki;
    // also go-ethereum accounts/keystore/testdata/v3_test_vector.json).
    const PBKDF2_VECTOR: &str = r#"{
        "crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": "6087dab2f9fdbbfaddc31a909735c1e6"},
            "ciphertext": "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46",
            "kdf": "pbkdf2",
            "kdfparams": {"c": 262144, "dklen": 32, "prf": "hmac-sha256", "salt": "ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
            "mac": "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},
        "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6", "version": 3}"#;
    const SCRYPT_VECTOR: &str = r#"{
        "crypto": {"cipher": "aes-128-ctr", "cipherparams": {"iv": "83dbcc02d8ccb40e466191a123791e0e"},
            "ciphertext": "d172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c",
            "kdf": "scrypt",
            "kdfparams": {"dklen": 32, "n": 262144, "p": 8, "r": 1, "salt": "ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19"},
            "mac": "2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097"},
        "id": "3198bc9c-6672-5ab3-d995-4942343ae5b6", "version": 3}"#;
    const VECTOR_KEY: &str = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d";

    #[test]
    fn spec_vectors_decrypt() {
        for vector in [PBKDF2_VECTOR, SCRYPT_VECTOR] {
            let key = import(vector, "testpassword").expect("the spec vector decrypts");
            assert_eq!(hex::encode(key.to_bytes()), VECTOR_KEY);
            assert_eq!(import(vector, "wrong").unwrap_err(), KeystoreError::WrongPassword);
        }
    }

    #[test]
    fn export_round_trips_with_both_kdfs() {
        let key = PrivateKey::from_hex(VECTOR_KEY).expect("valid key");
        let random = ExportRandomness { salt: [1; 32], iv: [2; 16], uuid: [3; 16] };
        for kdf in [ExportKdf::Scrypt { log_n: 10, r: 8, p: 1 }, ExportKdf::Pbkdf2 { c: 1000 }] {
            let json = export(&key, "hunter2", kdf, &random).expect("exports");
            assert!(!json.contains(VECTOR_KEY), "the key is not in the file in clear");
            let back = import(&json, "hunter2").expect("imports");
            assert_eq!(back.address(), key.address());
            assert_eq!(import(&json, "hunter3").unwrap_err(), KeystoreError::WrongPassword);
            let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
            assert_eq!(parsed["version"], 3);
            assert_eq!(parsed["id"], "03030303-0303-4303-8303-030303030303");
        }
    }

    #[test]
    fn pbkdf2_export_matches_the_spec_vector_byte_for_byte() {
        let key = PrivateKey::from_hex(VECTOR_KEY).expect("valid key");
        let mut salt = [0u8; 32];
        hex::decode_to_slice("ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd", &mut salt).expect("hex");
        let mut iv = [0u8; 16];
        hex::decode_to_slice("6087dab2f9fdbbfaddc31a909735c1e6", &mut iv).expect("hex");
        let json = export(&key, "testpassword", ExportKdf::Pbkdf2 { c: 262144 }, &ExportRandomness { salt, iv, uuid: [0; 16] })
            .expect("exports");
        let parsed: serde_json::Value = serde_json::from_str(&json).expect("JSON");
        assert_eq!(parsed["crypto"]["ciphertext"], "5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46");
        assert_eq!(parsed["crypto"]["mac"], "517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2");
    }

    #[test]
    fn hostile_or_broken_files_are_refused_before_any_work() {
        let swap = |from: &str, to: &str| PBKDF2_VECTOR.replace(from, to);
        assert!(matches!(import("{", "x"), Err(KeystoreError::Format(_))));
        assert_eq!(import(&swap("\"version\": 3", "\"version\": 1"), "x").unwrap_err(), KeystoreError::Version(1));
        assert!(matches!(import(&swap("aes-128-ctr", "aes-128-cbc"), "x"), Err(KeystoreError::Cipher(_))));
        assert!(matches!(import(&swap("hmac-sha256", "hmac-sha512"), "x"), Err(KeystoreError::Kdf(_))));
        assert!(matches!(import(&swap("262144", "4294967295"), "x"), Err(KeystoreError::KdfParams(_))));
        let huge_scrypt = SCRYPT_VECTOR.replace("\"n\": 262144", "\"n\": 1073741824");
        assert!(matches!(import(&huge_scrypt, "x"), Err(KeystoreError::KdfParams(_))));
        let not_pow2 = SCRYPT_VECTOR.replace("\"n\": 262144", "\"n\": 1000");
        assert!(matches!(import(&not_pow2, "x"), Err(KeystoreError::KdfParams(_))));
        assert!(matches!(import(&swap("6087dab2", "6087"), "x"), Err(KeystoreError::Format(_))));
        let wrong_address = PBKDF2_VECTOR.replacen("{", r#"{"address": "0000000000000000000000000000000000000001","#, 1);
        assert_eq!(import(&wrong_address, "testpassword").unwrap_err(), KeystoreError::AddressMismatch);
        // Errors never carry the password.
        assert!(!import(PBKDF2_VECTOR, "s3cret-pw").unwrap_err().to_string().contains("s3cret-pw"));
    }
}
