//! The streaming encryptor.
//!
//! 1. `new` writes the header and queues the manifest as the first plaintext.
//! 2. `push` takes the files' bytes, concatenated in manifest order, in any
//!    slice sizes; whenever a full chunk is buffered *and more bytes follow*,
//!    it is sealed as a middle chunk (so the last chunk is never empty).
//! 3. `finish` checks that exactly the manifest's bytes were pushed, seals the
//!    buffered rest as the last chunk and returns the 0G commitment of every
//!    ciphertext byte written, which is the token's data hash.

use crate::storage::{FileCommitment, FileRootBuilder};

use super::error::EnvelopeError;
use super::format::{ChunkCipher, ChunkSize, Header, TAG_LEN, ciphertext_len};
use super::key::{DataKey, NoncePrefix};
use super::manifest::Manifest;

/// What `finish` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Encrypted {
    /// The 0G commitment of the ciphertext: `commitment.root` is the token's data hash.
    pub commitment: FileCommitment,
    /// The manifest that was encrypted.
    pub manifest: Manifest,
}

/// Encrypts one agent in constant memory (one chunk).
pub struct Encryptor {
    cipher: ChunkCipher,
    chunk: usize,
    chunk_size: ChunkSize,
    manifest: Manifest,
    /// Plaintext waiting for a chunk to fill; never more than one chunk.
    buf: Vec<u8>,
    next_index: u32,
    /// File bytes pushed (the manifest excluded).
    pushed: u64,
    /// Ciphertext produced but not yet handed out (the header and manifest chunks).
    pending: Vec<u8>,
    root: FileRootBuilder,
}

impl Encryptor {
    /// Starts an envelope for `manifest`'s files under `key`.
    ///
    /// `key` and `prefix` must come fresh from a CSPRNG for every envelope.
    pub fn new(key: &DataKey, prefix: NoncePrefix, chunk: ChunkSize, manifest: Manifest) -> Self {
        let header = Header { chunk, prefix, key_commitment: key.commitment() };
        let mut enc = Encryptor {
            cipher: ChunkCipher::new(key, &header),
            chunk: chunk.bytes(),
            chunk_size: chunk,
            buf: Vec::with_capacity(chunk.bytes() + TAG_LEN),
            next_index: 0,
            pushed: 0,
            pending: header.encode().to_vec(),
            root: FileRootBuilder::new(),
            manifest,
        };
        let encoded = enc.manifest.encode();
        let mut out = core::mem::take(&mut enc.pending);
        enc.absorb(&encoded, &mut out);
        enc.pending = out;
        enc
    }

    /// The envelope's total length, known before any byte is pushed (for
    /// progress bars and upload submissions).
    pub fn ciphertext_len(&self) -> u64 {
        ciphertext_len(self.manifest.plaintext_len(), self.chunk_size)
    }

    /// Encrypts the next file bytes, appending the ciphertext produced to `out`.
    pub fn push(&mut self, data: &[u8], out: &mut Vec<u8>) -> Result<(), EnvelopeError> {
        let expected = self.manifest.total_len();
        let pushed = self.pushed.saturating_add(data.len() as u64);
        if pushed > expected {
            return Err(EnvelopeError::TooMuchData { pushed, expected });
        }
        self.pushed = pushed;
        self.flush_pending(out);
        let start = out.len();
        self.absorb(data, out);
        self.root.update(&out[start..]);
        Ok(())
    }

    /// Seals the last chunk into `out` and returns the ciphertext's 0G commitment.
    pub fn finish(mut self, out: &mut Vec<u8>) -> Result<Encrypted, EnvelopeError> {
        let expected = self.manifest.total_len();
        if self.pushed != expected {
            return Err(EnvelopeError::TooLittleData { pushed: self.pushed, expected });
        }
        self.flush_pending(out);
        let mut last = core::mem::take(&mut self.buf);
        self.cipher.seal(self.next_index, true, &mut last);
        self.root.update(&last);
        out.extend_from_slice(&last);
        let commitment = self
            .root
            .finish()
            .map_err(|_| EnvelopeError::BadManifest("the envelope is empty"))?;
        Ok(Encrypted { commitment, manifest: self.manifest })
    }

    /// Hands out (and roots) the header and manifest chunks `new` produced.
    fn flush_pending(&mut self, out: &mut Vec<u8>) {
        if !self.pending.is_empty() {
            let pending = core::mem::take(&mut self.pending);
            self.root.update(&pending);
            out.extend_from_slice(&pending);
        }
    }

    /// Buffers `data`, sealing each full chunk into `sink` once a byte beyond it arrives.
    fn absorb(&mut self, mut data: &[u8], sink: &mut Vec<u8>) {
        while !data.is_empty() {
            if self.buf.len() == self.chunk {
                self.cipher.seal(self.next_index, false, &mut self.buf);
                sink.extend_from_slice(&self.buf);
                self.buf.clear();
                // The manifest plus 1 GiB is far below 2^32 chunks of 1 KiB.
                self.next_index = self.next_index.saturating_add(1);
            }
            let take = (self.chunk - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
    }
}
