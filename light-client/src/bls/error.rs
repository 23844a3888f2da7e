//! The one error type of the BLS module.
//!
//! Every way a caller's bytes or arguments can be refused has its own variant,
//! named for what the caller got wrong rather than for what arkworks reported,
//! so a wallet can tell a user "this key is the point at infinity" instead of
//! "invalid data". Verification itself never errors: a signature that does not
//! verify is a plain `false`, because "invalid" is an expected answer there.

/// Why a key, signature or argument was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BlsError {
    /// The byte string has the wrong length for what it should encode
    /// (32 bytes for a secret key, 48 for a public key, 96 for a signature).
    #[error("expected {expected} bytes, got {got}")]
    WrongLength {
        /// The length this encoding must have.
        expected: usize,
        /// The length that was given.
        got: usize,
    },
    /// The point was not in compressed form: the top bit of the first byte
    /// (the compression flag) is clear. Only compressed encodings are accepted.
    #[error("point is not in compressed form (compression flag clear)")]
    NotCompressed,
    /// The flag bits are inconsistent: the infinity flag is set together with
    /// the sign flag, or the infinity flag is set but the coordinate bytes are
    /// not all zero.
    #[error("inconsistent encoding flags or non-zero bytes in an infinity encoding")]
    InvalidFlags,
    /// A coordinate is not below the field modulus, so the encoding is not the
    /// canonical one for any point.
    #[error("coordinate is not a canonical field element (not below the modulus)")]
    NonCanonical,
    /// The x coordinate has no matching y: the bytes do not describe a point
    /// on the curve.
    #[error("point is not on the curve")]
    NotOnCurve,
    /// The point is on the curve but not in the prime-order subgroup, so it
    /// cannot be a public key or a signature.
    #[error("point is not in the prime-order subgroup")]
    NotInSubgroup,
    /// The public key is the point at infinity (the identity), which every
    /// message "verifies" against and so is never a valid key. Also returned
    /// when public keys aggregate to the identity.
    #[error("public key is the point at infinity")]
    InfinityPublicKey,
    /// The secret key is zero, which would make the public key the identity.
    #[error("secret key is zero")]
    ZeroSecretKey,
    /// The secret key is not below the group order r, so it is not the
    /// canonical encoding of a scalar.
    #[error("secret key is not below the group order")]
    SecretKeyOutOfRange,
    /// An input that must hold at least one item was empty: a list of
    /// signatures or keys to aggregate, or a hash-to-curve domain tag.
    #[error("empty input")]
    EmptyInput,
    /// Two lists that must pair up item by item have different lengths.
    #[error("length mismatch: {left} items against {right}")]
    LengthMismatch {
        /// The length of the first list.
        left: usize,
        /// The length of the second list.
        right: usize,
    },
    /// Key generation was given too little input keying material; RFC 9380's
    /// companion BLS draft requires at least 32 bytes of entropy.
    #[error("key material too short: need at least 32 bytes, got {0}")]
    KeyMaterialTooShort(usize),
}
