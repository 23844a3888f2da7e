//! The envelope's fixed layout: header bytes, chunk sizes and chunk nonces.
//!
//! ```text
//! header (48 bytes) = magic "ALOFTAG" (7) ‖ version 0x01 (1) ‖ chunk_log2 (1)
//!                     ‖ nonce prefix (7) ‖ key commitment (32)
//! chunk i           = AES-256-GCM(key, nonce_i, aad = header, plaintext_i) ‖ tag (16)
//! nonce_i (12)      = prefix (7) ‖ i as u32 big-endian (4) ‖ last (1: 0x00 or 0x01)
//! ```
//! Every chunk but the last carries exactly `2^chunk_log2` plaintext bytes; the
//! last carries 1 to `2^chunk_log2`.

use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Tag};

use super::error::EnvelopeError;
use super::key::{DataKey, NoncePrefix};

/// The first 7 bytes of every envelope.
pub const MAGIC: [u8; 7] = *b"ALOFTAG";
/// The format version this code writes and reads.
pub const VERSION: u8 = 1;
/// Header length in bytes.
pub const HEADER_LEN: usize = 48;
/// AES-GCM tag length in bytes.
pub const TAG_LEN: usize = 16;

/// The plaintext bytes of a full chunk, a power of two from 1 KiB to 1 MiB.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkSize(u8);

impl ChunkSize {
    /// 64 KiB: what Aloft writes.
    pub const DEFAULT: ChunkSize = ChunkSize(16);

    /// The chunk size `2^log2`; refuses sizes outside 1 KiB..=1 MiB.
    pub fn from_log2(log2: u8) -> Result<Self, EnvelopeError> {
        if (10..=20).contains(&log2) {
            Ok(ChunkSize(log2))
        } else {
            Err(EnvelopeError::BadChunkSize { log2 })
        }
    }

    /// The base-2 logarithm stored in the header.
    pub fn log2(self) -> u8 {
        self.0
    }

    /// The size in bytes.
    pub fn bytes(self) -> usize {
        1usize << self.0
    }
}

impl Default for ChunkSize {
    fn default() -> Self {
        ChunkSize::DEFAULT
    }
}

/// The parsed header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub chunk: ChunkSize,
    pub prefix: NoncePrefix,
    pub key_commitment: [u8; 32],
}

impl Header {
    pub fn encode(&self) -> [u8; HEADER_LEN] {
        let mut out = [0u8; HEADER_LEN];
        out[..7].copy_from_slice(&MAGIC);
        out[7] = VERSION;
        out[8] = self.chunk.log2();
        out[9..16].copy_from_slice(&self.prefix.0);
        out[16..].copy_from_slice(&self.key_commitment);
        out
    }

    pub fn decode(bytes: &[u8; HEADER_LEN]) -> Result<Self, EnvelopeError> {
        if bytes[..7] != MAGIC {
            return Err(EnvelopeError::BadMagic);
        }
        if bytes[7] != VERSION {
            return Err(EnvelopeError::UnsupportedVersion(bytes[7]));
        }
        let chunk = ChunkSize::from_log2(bytes[8])?;
        let mut prefix = [0u8; 7];
        prefix.copy_from_slice(&bytes[9..16]);
        let mut key_commitment = [0u8; 32];
        key_commitment.copy_from_slice(&bytes[16..]);
        Ok(Header { chunk, prefix: NoncePrefix(prefix), key_commitment })
    }
}

/// The envelope length for `plaintext_len` bytes of manifest and files.
pub fn ciphertext_len(plaintext_len: u64, chunk: ChunkSize) -> u64 {
    let size = chunk.bytes() as u64;
    let chunks = plaintext_len.div_ceil(size).max(1);
    HEADER_LEN as u64 + plaintext_len + chunks * TAG_LEN as u64
}

/// AES-256-GCM keyed once, with the header as associated data of every chunk.
pub(crate) struct ChunkCipher {
    aead: Aes256Gcm,
    header: [u8; HEADER_LEN],
    prefix: NoncePrefix,
}

impl ChunkCipher {
    pub fn new(key: &DataKey, header: &Header) -> Self {
        ChunkCipher {
            aead: Aes256Gcm::new(GenericArray::from_slice(key.as_bytes())),
            header: header.encode(),
            prefix: header.prefix,
        }
    }

    fn nonce(&self, index: u32, last: bool) -> [u8; 12] {
        let mut n = [0u8; 12];
        n[..7].copy_from_slice(&self.prefix.0);
        n[7..11].copy_from_slice(&index.to_be_bytes());
        n[11] = u8::from(last);
        n
    }

    /// Encrypts `buf` in place and appends the tag.
    pub fn seal(&self, index: u32, last: bool, buf: &mut Vec<u8>) {
        let nonce = self.nonce(index, last);
        // Encryption only fails for inputs longer than GCM's 64 GiB limit; a chunk is at most 1 MiB.
        if let Ok(tag) =
            self.aead.encrypt_in_place_detached(GenericArray::from_slice(&nonce), &self.header, buf)
        {
            buf.extend_from_slice(&tag);
        }
    }

    /// Checks and decrypts `chunk` (ciphertext ‖ tag) into `out`; false if it does not authenticate.
    pub fn open(&self, index: u32, last: bool, chunk: &[u8], out: &mut Vec<u8>) -> bool {
        let Some(split) = chunk.len().checked_sub(TAG_LEN) else {
            return false;
        };
        let (body, tag) = chunk.split_at(split);
        out.clear();
        out.extend_from_slice(body);
        let nonce = self.nonce(index, last);
        let ok = self
            .aead
            .decrypt_in_place_detached(
                GenericArray::from_slice(&nonce),
                &self.header,
                out,
                Tag::from_slice(tag),
            )
            .is_ok();
        if !ok {
            out.clear();
        }
        ok
    }
}
