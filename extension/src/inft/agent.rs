//! An agent's files in and out of their encrypted envelope, inside the
//! engine, so that neither the data key nor the account key ever reaches a
//! page.
//!
//! Minting: [`Sealing`] wraps the light client's streaming `Encryptor`
//! under a fresh data key; the page pushes file bytes in slices and gets
//! ciphertext back (to upload), and at the end gets the ciphertext's 0G root
//! (the token's data hash) and the data key sealed (ECIES) to the owner's
//! own public key. That sealed key is written into the token's
//! `dataDescription` ([`Description`]): only the owner can open it, and it
//! travels with the token instead of living in one browser's storage.
//!
//! Reading: [`Opening`] unseals a data key with the account's key and
//! wraps the streaming `Decryptor`; the page pushes downloaded ciphertext and
//! gets file bytes back; `finish` checks the envelope was complete and that
//! its root is the data hash the token names.

use aloft_light_client::inft::{
    ChunkSize, DataKey, Decryptor, Encryptor, EnvelopeError, FileEntry, Manifest, NoncePrefix,
    PublicKey, SecretKey, open_data_key, seal_data_key,
};
use serde::{Deserialize, Serialize};

use super::abi::DataHash;
use crate::keys::PrivateKey;

/// Why an agent could not be sealed or opened, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// The envelope refused the bytes (tampered, truncated, wrong size…).
    #[error("the agent's encrypted data is not valid: {0}")]
    Envelope(String),
    /// The sealed key does not open with this account's key.
    #[error("this account cannot open the agent's data key: it was sealed to another key ({0})")]
    NotForThisAccount(String),
    /// The decrypted data is not what the token names.
    #[error("the downloaded data's root {got} is not the token's data hash {want}")]
    WrongRoot {
        /// Computed.
        got: String,
        /// On chain.
        want: String,
    },
    /// A key the wallet made does not work as an ECIES key (never expected).
    #[error("the account's public key cannot be used for sealing: {0}")]
    BadKey(String),
}

fn envelope(e: EnvelopeError) -> AgentError {
    AgentError::Envelope(e.to_string())
}

/// What the wallet writes into a minted token's `dataDescription`: a name
/// and the data key sealed to the minter. JSON, so other tools can read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    /// The agent's name as the user gave it.
    pub name: String,
    /// The files (name, length).
    pub files: Vec<(String, u64)>,
    /// The data key sealed to the owner (ECIES, 0x hex).
    pub sealed_key: String,
}

/// A mint in progress: plaintext in, ciphertext out.
pub struct Sealing {
    key: DataKey,
    encryptor: Encryptor,
    name: String,
    files: Vec<(String, u64)>,
}

/// A finished envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The ciphertext's 0G root.
    pub data_hash: DataHash,
    /// Its length.
    pub length: u64,
    /// The token's description (with the data key sealed to the owner).
    pub description: Description,
}

impl Sealing {
    /// Starts sealing `files` (name, length). `random` is 32 + 7 bytes from the CSPRNG.
    pub fn new(
        name: String,
        files: Vec<(String, u64)>,
        random: &[u8; 39],
    ) -> Result<Self, AgentError> {
        let entries = files
            .iter()
            .map(|(n, l)| FileEntry {
                name: n.clone(),
                length: *l,
            })
            .collect();
        let manifest = Manifest::new(entries).map_err(envelope)?;
        let mut k = [0u8; 32];
        k.copy_from_slice(&random[..32]);
        let key = DataKey::from_bytes(k);
        k.fill(0);
        let mut p = [0u8; 7];
        p.copy_from_slice(&random[32..]);
        let encryptor = Encryptor::new(&key, NoncePrefix(p), ChunkSize::DEFAULT, manifest);
        Ok(Self {
            key,
            encryptor,
            name,
            files,
        })
    }

    /// The ciphertext's total length.
    pub fn ciphertext_len(&self) -> u64 {
        self.encryptor.ciphertext_len()
    }

    /// Encrypts the next file bytes; returns the ciphertext produced.
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<u8>, AgentError> {
        let mut out = Vec::with_capacity(data.len() + 64);
        self.encryptor.push(data, &mut out).map_err(envelope)?;
        Ok(out)
    }

    /// Ends the envelope (the last ciphertext bytes are returned) and seals
    /// the data key to `owner` with the 48 random bytes given.
    pub fn finish(
        self,
        owner: &PrivateKey,
        random: &[u8; 48],
    ) -> Result<(Vec<u8>, Sealed), AgentError> {
        let mut out = Vec::new();
        let done = self.encryptor.finish(&mut out).map_err(envelope)?;
        let to = PublicKey::from_bytes(&owner.public_key())
            .map_err(|e| AgentError::BadKey(e.to_string()))?;
        let mut eph = [0u8; 32];
        eph.copy_from_slice(&random[..32]);
        let mut nonce = [0u8; 16];
        nonce.copy_from_slice(&random[32..]);
        let sealed = seal_data_key(&to, &self.key, &eph, &nonce)
            .map_err(|e| AgentError::BadKey(e.to_string()))?;
        eph.fill(0);
        Ok((
            out,
            Sealed {
                data_hash: DataHash(done.commitment.root.0.into()),
                length: done.commitment.length,
                description: Description {
                    name: self.name,
                    files: self.files,
                    sealed_key: format!("0x{}", hex::encode(sealed)),
                },
            },
        ))
    }
}

/// Opens a sealed data key with an account's key.
pub fn unseal(account: &PrivateKey, sealed: &[u8]) -> Result<DataKey, AgentError> {
    let secret = SecretKey::from_bytes(&zeroize::Zeroizing::new(account.to_bytes())[..])
        .map_err(|e| AgentError::BadKey(e.to_string()))?;
    open_data_key(&secret, sealed).map_err(|e| AgentError::NotForThisAccount(e.to_string()))
}

/// A read in progress: ciphertext in, file bytes out.
pub struct Opening {
    decryptor: Decryptor,
    want: DataHash,
}

impl Opening {
    /// Starts reading the envelope whose root must be `want`.
    pub fn new(key: DataKey, want: DataHash) -> Self {
        Self {
            decryptor: Decryptor::new(key),
            want,
        }
    }

    /// The next ciphertext bytes; returns `(file index, bytes)` in order.
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<(usize, Vec<u8>)>, AgentError> {
        Ok(self
            .decryptor
            .push(data)
            .map_err(envelope)?
            .into_iter()
            .map(|f| (f.file, f.bytes))
            .collect())
    }

    /// The files (name, length), once known.
    pub fn files(&self) -> Option<Vec<(String, u64)>> {
        self.decryptor.manifest().map(|m| {
            m.files()
                .iter()
                .map(|f| (f.name.clone(), f.length))
                .collect()
        })
    }

    /// Checks completeness and the root; returns the last file bytes.
    pub fn finish(self) -> Result<Vec<(usize, Vec<u8>)>, AgentError> {
        let opened = self.decryptor.finish().map_err(envelope)?;
        let got = DataHash(opened.commitment.root.0.into());
        if got != self.want {
            return Err(AgentError::WrongRoot {
                got: format!("{:#x}", got.0),
                want: format!("{:#x}", self.want.0),
            });
        }
        Ok(opened.last.into_iter().map(|f| (f.file, f.bytes)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(b: u8) -> PrivateKey {
        PrivateKey::from_bytes(&[b; 32]).expect("key")
    }

    fn seal_agent(files: &[(&str, Vec<u8>)], owner: &PrivateKey) -> (Vec<u8>, Sealed) {
        let meta = files
            .iter()
            .map(|(n, b)| (n.to_string(), b.len() as u64))
            .collect();
        let mut s = Sealing::new("agent".into(), meta, &[7; 39]).expect("starts");
        let mut ct = Vec::new();
        for (_, bytes) in files {
            for piece in bytes.chunks(10_000) {
                ct.extend(s.push(piece).expect("push"));
            }
        }
        let total = s.ciphertext_len();
        let (tail, sealed) = s.finish(owner, &[9; 48]).expect("finish");
        ct.extend(tail);
        assert_eq!(ct.len() as u64, total);
        assert_eq!(sealed.length, total);
        (ct, sealed)
    }

    fn open_agent(
        ct: &[u8],
        sealed: &Sealed,
        who: &PrivateKey,
    ) -> Result<Vec<Vec<u8>>, AgentError> {
        let key_bytes =
            hex::decode(sealed.description.sealed_key.trim_start_matches("0x")).expect("hex");
        let key = unseal(who, &key_bytes)?;
        let mut o = Opening::new(key, sealed.data_hash);
        let mut files = vec![Vec::new(); sealed.description.files.len()];
        for piece in ct.chunks(77_777) {
            for (i, b) in o.push(piece)? {
                files[i].extend(b);
            }
        }
        for (i, b) in o.finish()? {
            files[i].extend(b);
        }
        Ok(files)
    }

    #[test]
    fn the_owner_reads_back_every_byte() {
        let owner = account(3);
        let a: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
        let b = b"system prompt".to_vec();
        let (ct, sealed) = seal_agent(
            &[("weights.bin", a.clone()), ("prompt.txt", b.clone())],
            &owner,
        );
        assert_eq!(open_agent(&ct, &sealed, &owner).expect("opens"), vec![a, b]);
    }

    #[test]
    fn another_account_a_cut_and_a_wrong_root_are_refused_in_words() {
        let owner = account(3);
        let (ct, sealed) = seal_agent(&[("a", vec![1; 100_000])], &owner);
        let e = open_agent(&ct, &sealed, &account(4)).unwrap_err();
        assert!(matches!(e, AgentError::NotForThisAccount(_)), "{e}");
        let e = open_agent(&ct[..ct.len() - 10], &sealed, &owner).unwrap_err();
        assert!(matches!(e, AgentError::Envelope(_)), "{e}");
        let mut other = sealed.clone();
        other.data_hash = DataHash(alloy_primitives::B256::repeat_byte(1));
        let e = open_agent(&ct, &other, &owner).unwrap_err();
        assert!(e.to_string().contains("not the token's data hash"), "{e}");
    }
}
