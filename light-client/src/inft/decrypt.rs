//! The streaming decryptor.
//!
//! 1. The first 48 bytes are the header: magic, version and chunk size are
//!    checked, then the key commitment, so a wrong key is named before any
//!    chunk is tried.
//! 2. Ciphertext is buffered one chunk at a time; a full chunk is opened as a
//!    middle chunk only once a byte beyond it arrives, and the bytes left at
//!    `finish` are opened as the last chunk.
//! 3. The first plaintext is the manifest. Once it is read the envelope's exact
//!    length is known, so bytes beyond it are [`TrailingData`] at once and a
//!    short stream is [`Truncated`] at `finish`.
//! 4. A chunk that fails authentication is diagnosed on the failure path only:
//!    opening it with the other last-flag tells a cut stream ([`Truncated`]) or
//!    a last chunk followed by more ([`LastChunkNotLast`]); opening it at nearby
//!    positions tells [`Reordered`]; anything else is [`Tampered`].
//!
//! Plaintext is handed out per authenticated chunk. It is the sender's bytes,
//! but until `finish` succeeds the agent may be incomplete.
//!
//! [`TrailingData`]: EnvelopeError::TrailingData
//! [`Truncated`]: EnvelopeError::Truncated
//! [`LastChunkNotLast`]: EnvelopeError::LastChunkNotLast
//! [`Reordered`]: EnvelopeError::Reordered
//! [`Tampered`]: EnvelopeError::Tampered

use crate::storage::{FileCommitment, FileRootBuilder};

use super::error::EnvelopeError;
use super::format::{ChunkCipher, HEADER_LEN, Header, TAG_LEN, ciphertext_len};
use super::key::DataKey;
use super::manifest::Manifest;

/// How far from its position a failed chunk is looked for to report [`EnvelopeError::Reordered`].
const REORDER_WINDOW: u32 = 16;

/// Plaintext of one file, in order: append `bytes` to file number `file` of the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileBytes {
    /// Index into [`Manifest::files`].
    pub file: usize,
    /// The next bytes of that file.
    pub bytes: Vec<u8>,
}

/// What a successful `finish` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The agent's files.
    pub manifest: Manifest,
    /// The 0G commitment of the ciphertext that was read (compare `root` with the token's data hash).
    pub commitment: FileCommitment,
    /// The plaintext of the last chunk.
    pub last: Vec<FileBytes>,
}

/// Opens one envelope in constant memory (one chunk plus the manifest).
pub struct Decryptor {
    key: DataKey,
    header: Vec<u8>,
    cipher: Option<ChunkCipher>,
    /// Ciphertext bytes of a full chunk (plaintext size + tag).
    chunk: usize,
    plain_chunk: usize,
    buf: Vec<u8>,
    plain: Vec<u8>,
    index: u32,
    received: u64,
    expected: Option<u64>,
    manifest_buf: Vec<u8>,
    manifest: Option<Manifest>,
    file: usize,
    file_left: u64,
    root: FileRootBuilder,
    poisoned: bool,
}

impl Decryptor {
    /// A decryptor for an envelope sealed under `key`.
    pub fn new(key: DataKey) -> Self {
        Decryptor {
            key,
            header: Vec::with_capacity(HEADER_LEN),
            cipher: None,
            chunk: 0,
            plain_chunk: 0,
            buf: Vec::new(),
            plain: Vec::new(),
            index: 0,
            received: 0,
            expected: None,
            manifest_buf: Vec::new(),
            manifest: None,
            file: 0,
            file_left: 0,
            root: FileRootBuilder::new(),
            poisoned: false,
        }
    }

    /// The manifest, once its chunk(s) have been opened.
    pub fn manifest(&self) -> Option<&Manifest> {
        self.manifest.as_ref()
    }

    /// The envelope's total length, once the manifest is known.
    pub fn expected_len(&self) -> Option<u64> {
        self.expected
    }

    /// Ciphertext bytes pushed so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Takes the next ciphertext bytes; returns the plaintext of every chunk they completed.
    pub fn push(&mut self, data: &[u8]) -> Result<Vec<FileBytes>, EnvelopeError> {
        if self.poisoned {
            return Err(EnvelopeError::Poisoned);
        }
        let mut out = Vec::new();
        let result = self.push_inner(data, &mut out);
        self.poisoned = result.is_err();
        result.map(|()| out)
    }

    /// Opens the last chunk and checks that the envelope is complete.
    pub fn finish(mut self) -> Result<Opened, EnvelopeError> {
        if self.poisoned {
            return Err(EnvelopeError::Poisoned);
        }
        let least = |d: &Self| d.received.max(HEADER_LEN as u64) + if d.buf.is_empty() { TAG_LEN as u64 + 1 } else { 0 };
        if let Some(expected) = self.expected {
            if self.received < expected {
                return Err(EnvelopeError::Truncated { received: self.received, expected });
            }
        }
        if self.cipher.is_none() || self.buf.is_empty() {
            let expected = self.expected.unwrap_or_else(|| least(&self));
            return Err(EnvelopeError::Truncated { received: self.received, expected });
        }
        let mut last = Vec::new();
        self.open_chunk(true, &mut last)?;
        if self.plain.is_empty() {
            return Err(EnvelopeError::EmptyFinalChunk);
        }
        let Some(manifest) = self.manifest.take() else {
            return Err(EnvelopeError::BadManifest("the envelope ends inside the manifest"));
        };
        let commitment = self
            .root
            .finish()
            .map_err(|_| EnvelopeError::Truncated { received: 0, expected: HEADER_LEN as u64 })?;
        Ok(Opened { manifest, commitment, last })
    }

    fn push_inner(&mut self, mut data: &[u8], out: &mut Vec<FileBytes>) -> Result<(), EnvelopeError> {
        self.received = self.received.saturating_add(data.len() as u64);
        self.check_trailing()?;
        self.root.update(data);
        if self.cipher.is_none() {
            let take = (HEADER_LEN - self.header.len()).min(data.len());
            self.header.extend_from_slice(&data[..take]);
            data = &data[take..];
            let Ok(bytes) = <&[u8; HEADER_LEN]>::try_from(self.header.as_slice()) else {
                return Ok(());
            };
            let header = Header::decode(bytes)?;
            if header.key_commitment != self.key.commitment() {
                return Err(EnvelopeError::WrongKey);
            }
            self.plain_chunk = header.chunk.bytes();
            self.chunk = self.plain_chunk + TAG_LEN;
            self.buf = Vec::with_capacity(self.chunk);
            self.plain = Vec::with_capacity(self.chunk);
            self.cipher = Some(ChunkCipher::new(&self.key, &header));
        }
        while !data.is_empty() {
            if self.buf.len() == self.chunk {
                self.open_chunk(false, out)?;
            }
            let take = (self.chunk - self.buf.len()).min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
        }
        Ok(())
    }

    fn check_trailing(&self) -> Result<(), EnvelopeError> {
        match self.expected {
            Some(expected) if self.received > expected => {
                Err(EnvelopeError::TrailingData { extra: self.received - expected, expected })
            }
            _ => Ok(()),
        }
    }

    /// Opens the buffered chunk at the current index and routes its plaintext.
    fn open_chunk(&mut self, last: bool, out: &mut Vec<FileBytes>) -> Result<(), EnvelopeError> {
        let Some(cipher) = self.cipher.as_ref() else {
            return Err(EnvelopeError::Truncated { received: self.received, expected: HEADER_LEN as u64 });
        };
        let index = self.index;
        if !cipher.open(index, last, &self.buf, &mut self.plain) {
            return Err(self.diagnose(cipher, index, last));
        }
        self.buf.clear();
        self.index = index.checked_add(1).ok_or(EnvelopeError::Tampered { index })?;
        let plain = core::mem::take(&mut self.plain);
        let routed = self.route(&plain, out);
        self.plain = plain;
        routed
    }

    /// Names why chunk `index` failed (the failure path only).
    fn diagnose(&self, cipher: &ChunkCipher, index: u32, last: bool) -> EnvelopeError {
        let mut scratch = Vec::new();
        if cipher.open(index, !last, &self.buf, &mut scratch) {
            return if last {
                // A middle chunk where the stream ended: chunks after it were cut off.
                let expected = self.expected.unwrap_or(self.received + TAG_LEN as u64 + 1);
                EnvelopeError::Truncated { received: self.received, expected }
            } else {
                EnvelopeError::LastChunkNotLast { position: index }
            };
        }
        let from = index.saturating_sub(REORDER_WINDOW);
        let to = index.saturating_add(REORDER_WINDOW);
        for j in (from..=to).filter(|&j| j != index) {
            for flag in [false, true] {
                if cipher.open(j, flag, &self.buf, &mut scratch) {
                    return EnvelopeError::Reordered { position: index, belongs_at: j };
                }
            }
        }
        EnvelopeError::Tampered { index }
    }

    /// Sends plaintext to the manifest until it is complete, then to the files in order.
    fn route(&mut self, mut plain: &[u8], out: &mut Vec<FileBytes>) -> Result<(), EnvelopeError> {
        if self.manifest.is_none() {
            let room = Manifest::MAX_ENCODED_LEN.saturating_sub(self.manifest_buf.len());
            self.manifest_buf.extend_from_slice(&plain[..room.min(plain.len())]);
            match Manifest::decode_prefix(&self.manifest_buf)? {
                None => {
                    if room < plain.len() {
                        return Err(EnvelopeError::BadManifest("it does not end within its size limit"));
                    }
                    return Ok(());
                }
                Some((manifest, used)) => {
                    let already = self.manifest_buf.len() - plain.len().min(room);
                    plain = &plain[used - already..];
                    let chunk = super::format::ChunkSize::from_log2(self.plain_chunk.trailing_zeros() as u8)?;
                    self.expected = Some(ciphertext_len(manifest.plaintext_len(), chunk));
                    self.file = 0;
                    self.file_left = manifest.files().first().map_or(0, |f| f.length);
                    self.manifest = Some(manifest);
                    self.manifest_buf = Vec::new();
                    self.check_trailing()?;
                }
            }
        }
        let Some(manifest) = self.manifest.as_ref() else { return Ok(()) };
        while !plain.is_empty() {
            while self.file_left == 0 {
                self.file += 1;
                match manifest.files().get(self.file) {
                    Some(f) => self.file_left = f.length,
                    None => return Err(EnvelopeError::BadManifest("more data than its files' lengths")),
                }
            }
            let take = (self.file_left.min(plain.len() as u64)) as usize;
            out.push(FileBytes { file: self.file, bytes: plain[..take].to_vec() });
            self.file_left -= take as u64;
            plain = &plain[take..];
        }
        Ok(())
    }
}
