//! The manifest: which files an agent has, in order, and how long each is.
//!
//! It is the first plaintext of the envelope, so it is encrypted and
//! authenticated like the files, and once the decryptor has read it it knows
//! the exact envelope length (truncation and appended bytes are then named as
//! such). Encoding, all integers big-endian:
//!
//! ```text
//! count (u16, 1..=1024) ‖ count × ( name_len (u8, 1..=255) ‖ name (UTF-8) ‖ length (u64) )
//! ```

use super::error::EnvelopeError;

/// At most this many files per agent.
pub const MAX_FILES: usize = 1024;
/// A file name is at most this many UTF-8 bytes.
pub const MAX_NAME_LEN: usize = 255;
/// The files of an agent add up to at most 1 GiB.
pub const MAX_TOTAL_LEN: u64 = 1 << 30;

/// One file of an agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// A plain name: no path separators, no control characters, not `.` or `..`.
    pub name: String,
    /// Its length in bytes.
    pub length: u64,
}

/// The validated list of an agent's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    files: Vec<FileEntry>,
}

fn check_name(name: &str) -> Result<(), EnvelopeError> {
    let bad = |reason| Err(EnvelopeError::BadFileName { name: name.to_owned(), reason });
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.len() > MAX_NAME_LEN {
        return bad("it is longer than 255 bytes");
    }
    if name == "." || name == ".." {
        return bad("it is a relative path");
    }
    if name.contains(['/', '\\']) {
        return bad("it contains a path separator");
    }
    if name.chars().any(char::is_control) {
        return bad("it contains a control character");
    }
    Ok(())
}

impl Manifest {
    /// Checks the files: 1 to 1024 of them, plain unique names, at most 1 GiB in total.
    pub fn new(files: Vec<FileEntry>) -> Result<Self, EnvelopeError> {
        if files.is_empty() {
            return Err(EnvelopeError::NoFiles);
        }
        if files.len() > MAX_FILES {
            return Err(EnvelopeError::TooManyFiles { count: files.len(), max: MAX_FILES });
        }
        let mut total: u64 = 0;
        for (i, f) in files.iter().enumerate() {
            check_name(&f.name)?;
            if files[..i].iter().any(|g| g.name == f.name) {
                return Err(EnvelopeError::DuplicateFileName { name: f.name.clone() });
            }
            total = total.saturating_add(f.length);
        }
        if total > MAX_TOTAL_LEN {
            return Err(EnvelopeError::TooLarge { total, max: MAX_TOTAL_LEN });
        }
        Ok(Manifest { files })
    }

    /// The files, in envelope order.
    pub fn files(&self) -> &[FileEntry] {
        &self.files
    }

    /// The files' lengths added up.
    pub fn total_len(&self) -> u64 {
        self.files.iter().map(|f| f.length).sum()
    }

    /// The encoded manifest's length.
    pub fn encoded_len(&self) -> usize {
        2 + self.files.iter().map(|f| 1 + f.name.len() + 8).sum::<usize>()
    }

    /// All plaintext bytes of the envelope: the manifest and the files.
    pub fn plaintext_len(&self) -> u64 {
        self.encoded_len() as u64 + self.total_len()
    }

    /// The encoding of the module doc.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len());
        // `new` bounds the count by 1024 and each name by 255 bytes.
        out.extend_from_slice(&(self.files.len() as u16).to_be_bytes());
        for f in &self.files {
            out.push(f.name.len() as u8);
            out.extend_from_slice(f.name.as_bytes());
            out.extend_from_slice(&f.length.to_be_bytes());
        }
        out
    }

    /// Parses a manifest from the start of `bytes`: `Ok(None)` if more bytes
    /// are needed, else the manifest and how many bytes it took.
    pub(crate) fn decode_prefix(bytes: &[u8]) -> Result<Option<(Manifest, usize)>, EnvelopeError> {
        let Some(count) = bytes.get(..2) else { return Ok(None) };
        let count = usize::from(u16::from_be_bytes([count[0], count[1]]));
        let mut at = 2;
        let mut files = Vec::with_capacity(count.min(MAX_FILES));
        for _ in 0..count {
            let Some(&len) = bytes.get(at) else { return Ok(None) };
            let len = usize::from(len);
            let Some(name) = bytes.get(at + 1..at + 1 + len) else { return Ok(None) };
            let Some(length) = bytes.get(at + 1 + len..at + 9 + len) else { return Ok(None) };
            let name = core::str::from_utf8(name)
                .map_err(|_| EnvelopeError::BadManifest("a file name is not UTF-8"))?;
            let mut l = [0u8; 8];
            l.copy_from_slice(length);
            files.push(FileEntry { name: name.to_owned(), length: u64::from_be_bytes(l) });
            at += 9 + len;
            if files.len() > MAX_FILES {
                return Err(EnvelopeError::BadManifest("more than 1024 files"));
            }
        }
        let manifest = Manifest::new(files)
            .map_err(|_| EnvelopeError::BadManifest("it lists files no encoder accepts"))?;
        Ok(Some((manifest, at)))
    }

    /// The most bytes an encoded manifest can take.
    pub(crate) const MAX_ENCODED_LEN: usize = 2 + MAX_FILES * (1 + MAX_NAME_LEN + 8);
}
