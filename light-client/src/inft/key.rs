//! The secrets of an envelope: the 32-byte data key and the 7-byte nonce
//! prefix. Both come from the caller's CSPRNG (this crate draws no randomness).

use core::fmt;

use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// The domain separator of the key commitment in an envelope header.
const KEY_COMMITMENT_DOMAIN: &[u8] = b"aloft/inft/v1/key-commitment";

/// An AES-256-GCM data key. Zeroed on drop; `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey([u8; 32]);

impl DataKey {
    /// The length in bytes.
    pub const LEN: usize = 32;

    /// Wraps 32 bytes from a CSPRNG (or from an opened seal).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        DataKey(bytes)
    }

    /// The raw key, for sealing it to an owner.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// `SHA-256("aloft/inft/v1/key-commitment" ‖ key)`: written in the header so
    /// that a wrong key is told apart from tampered data before any chunk is
    /// tried, and so that one ciphertext cannot open under two keys.
    pub fn commitment(&self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(KEY_COMMITMENT_DOMAIN);
        h.update(self.0);
        h.finalize().into()
    }
}

impl TryFrom<&[u8]> for DataKey {
    type Error = usize;

    /// Refuses anything but 32 bytes; the error is the length given.
    fn try_from(bytes: &[u8]) -> Result<Self, usize> {
        <[u8; 32]>::try_from(bytes).map(DataKey).map_err(|_| bytes.len())
    }
}

impl Drop for DataKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(<secret>)")
    }
}

/// The 7 random bytes every chunk nonce of one envelope starts with.
///
/// Not secret, but it must be fresh for each envelope encrypted under a key;
/// since every envelope gets a fresh data key, a repeat is harmless in
/// practice, and the prefix still keeps chunks of different envelopes apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoncePrefix(pub [u8; 7]);

impl NoncePrefix {
    /// The length in bytes.
    pub const LEN: usize = 7;
}
