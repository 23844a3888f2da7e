//! iNFT agent metadata: the encrypted envelope an ERC-7857 token points at,
//! and the ECIES seal that hands its data key to an owner.
//!
//! An agent (settings, prompts, memory, weights: one or many files, up to
//! 1 GiB) is encrypted under a fresh 32-byte data key, uploaded to 0G storage,
//! and the token's `dataHash` is the 0G file root of the ciphertext. Only the
//! data key travels with the token, sealed to the owner's secp256k1 key; the
//! transfer oracle re-encrypts under a new key for each new owner.
//!
//! In order:
//! 1. [`Manifest`]: the file names and lengths, encrypted as the first
//!    plaintext bytes so the decryptor knows the exact ciphertext length.
//! 2. [`Encryptor`]: push plaintext (the files concatenated in manifest
//!    order), get ciphertext out chunk by chunk; `finish` returns the 0G
//!    [`FileCommitment`](crate::storage::FileCommitment) of the ciphertext.
//! 3. [`Decryptor`]: push ciphertext in any slice sizes, get authenticated
//!    plaintext out per file; `finish` proves nothing was cut off.
//! 4. [`seal`] / [`open`]: ECIES to a secp256k1 public key in the byte format of
//!    the `ecies` crate and the `eciesjs` package (default configuration).
//!
//! The envelope is the STREAM construction (Hoang, Reyhanitabar, Rogaway,
//! Vizár 2015, as used by age and Tink) over AES-256-GCM: chunk `i`'s nonce is
//! `prefix ‖ i ‖ last`, so a chunk moved, dropped, repeated or taken from
//! another envelope fails authentication, and the last-chunk flag makes a
//! stream cut at a chunk boundary fail too. The header (with a key
//! commitment) is every chunk's associated data. The byte layout is in
//! `docs/protocol.md`, "iNFT metadata envelope".
//!
//! Like the rest of the crate this module is sans-IO: it draws no
//! randomness. Callers pass the data key, the nonce prefix and the ECIES
//! ephemeral secret and nonce from their CSPRNG; the test vectors fix them.
//! Memory stays constant: one chunk of plaintext or ciphertext and the
//! manifest are all that is held, whatever the total size.

mod decrypt;
mod ecies;
mod encrypt;
mod error;
mod format;
mod key;
mod manifest;
#[cfg(test)]
mod tests;

pub use decrypt::{Decryptor, FileBytes, Opened};
pub use ecies::{
    EciesError, PublicKey, SEALED_KEY_LEN, SEAL_OVERHEAD, SecretKey, open, open_data_key, seal,
    seal_data_key,
};
pub use encrypt::{Encrypted, Encryptor};
pub use error::EnvelopeError;
pub use format::{ChunkSize, HEADER_LEN, MAGIC, TAG_LEN, ciphertext_len};
pub use key::{DataKey, NoncePrefix};
pub use manifest::{FileEntry, MAX_FILES, MAX_NAME_LEN, MAX_TOTAL_LEN, Manifest};
