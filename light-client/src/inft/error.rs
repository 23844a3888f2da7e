//! The one error type of the envelope: what was wrong with the files handed
//! to the encryptor, or with the ciphertext handed to the decryptor.

/// Why an envelope could not be written or opened.
///
/// When the decryptor returns one of these it has stopped: the plaintext it
/// returned before is authenticated chunk by chunk, but only a successful
/// [`Decryptor::finish`](super::Decryptor::finish) says the whole agent arrived.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EnvelopeError {
    /// The manifest lists no files.
    #[error("an agent needs at least one file")]
    NoFiles,
    /// More files than the format allows.
    #[error("{count} files is more than the {max} an agent may have")]
    TooManyFiles {
        /// Files given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A file name is empty, too long, or not a plain name.
    #[error("file name {name:?} is not allowed: {reason}")]
    BadFileName {
        /// The name (lossy UTF-8).
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Two files share a name.
    #[error("two files are named {name:?}")]
    DuplicateFileName {
        /// The name.
        name: String,
    },
    /// The files add up to more than 1 GiB.
    #[error("the files add up to {total} bytes, more than the {max} bytes an agent may have")]
    TooLarge {
        /// Total bytes.
        total: u64,
        /// The limit.
        max: u64,
    },
    /// More plaintext was pushed than the manifest announced.
    #[error("{pushed} bytes were pushed but the manifest lists {expected}")]
    TooMuchData {
        /// Bytes pushed so far.
        pushed: u64,
        /// What the manifest's lengths add up to.
        expected: u64,
    },
    /// `finish` came before all the files' bytes were pushed.
    #[error("only {pushed} of the {expected} bytes the manifest lists were pushed")]
    TooLittleData {
        /// Bytes pushed.
        pushed: u64,
        /// What the manifest's lengths add up to.
        expected: u64,
    },
    /// The chunk size is not a power of two from 1 KiB to 1 MiB.
    #[error("chunk size 2^{log2} is outside 2^10..=2^20 bytes")]
    BadChunkSize {
        /// The base-2 logarithm found.
        log2: u8,
    },
    /// The data does not start with the envelope magic.
    #[error("not an Aloft agent envelope (bad magic bytes)")]
    BadMagic,
    /// A version this code does not know.
    #[error("envelope version {0} is not supported (this code reads version 1)")]
    UnsupportedVersion(u8),
    /// The key does not match the header's key commitment.
    #[error("wrong key: the data key does not match the envelope's key commitment")]
    WrongKey,
    /// The ciphertext ends early: chunks (or part of one) are missing.
    #[error("the envelope is truncated: {received} bytes received, {expected} expected")]
    Truncated {
        /// Bytes received.
        received: u64,
        /// Bytes the manifest implies (or the least that could be valid, before the manifest is known).
        expected: u64,
    },
    /// Bytes follow the last chunk.
    #[error("{extra} bytes were appended after the envelope's last chunk ({expected} bytes)")]
    TrailingData {
        /// Bytes beyond the end.
        extra: u64,
        /// The envelope's length.
        expected: u64,
    },
    /// A chunk sits at the wrong position (chunks were reordered or swapped).
    #[error("chunk {position} is chunk {belongs_at} of this envelope: chunks were reordered")]
    Reordered {
        /// Where it was found.
        position: u32,
        /// Where it belongs.
        belongs_at: u32,
    },
    /// The last chunk of the envelope appears before the end.
    #[error("chunk {position} is marked last but more data follows")]
    LastChunkNotLast {
        /// Where it was found.
        position: u32,
    },
    /// A chunk failed authentication for any other reason: its bytes were
    /// changed, or it comes from another envelope.
    #[error("chunk {index} failed authentication: it was modified or comes from another envelope")]
    Tampered {
        /// The chunk's position.
        index: u32,
    },
    /// The authenticated manifest does not parse (written by a broken encoder).
    #[error("the manifest is malformed: {0}")]
    BadManifest(&'static str),
    /// The final chunk is empty, which no encoder writes.
    #[error("the final chunk is empty")]
    EmptyFinalChunk,
    /// The decryptor was used after it reported an error.
    #[error("the decryptor already failed and cannot continue")]
    Poisoned,
}
