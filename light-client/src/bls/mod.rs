//! IETF BLS signatures on BLS12-381, ciphersuite
//! `BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_`.
//!
//! This is the scheme Ethereum's consensus layer and 0G-style chains use for
//! validator votes: "minimal public key size" (48-byte G1 keys, 96-byte G2
//! signatures, in the ZCash compressed encoding), messages hashed to G2 by
//! RFC 9380, and proofs of possession so that keys may be aggregated. The
//! light client's main job with it is [`fast_aggregate_verify`]: one
//! aggregate signature by a committee over one block commitment.
//!
//! Design:
//! - **Validate once, at the edge.** [`PublicKey::from_bytes`] runs
//!   KeyValidate and [`Signature::from_bytes`] the subgroup check, so the
//!   types carry the guarantee and verification never repeats it. Everything
//!   that refuses input returns a typed [`BlsError`]; the verify functions
//!   answer `bool`, since "does not verify" is an ordinary outcome.
//! - **One final exponentiation per check.** Every verifier is a single
//!   multi-Miller loop followed by one final exponentiation.
//! - **Sans-IO.** No clock, no randomness: [`batch_verify`] takes its seed
//!   and [`SecretKey::key_gen`] its key material from the caller.
//! - **arkworks underneath**, pure Rust, so the same code runs native and in
//!   wasm32. Point encoding is done by hand (module `encoding`) for precise
//!   errors and cross-checked against arkworks in tests.
//!
//! Modules: `error` (the error enum), `encoding` (compressed points),
//! `hash_to_curve` (RFC 9380 to G2), `sswu` (its map with two
//! exponentiations instead of four), `keys`, `signature`, `verify`,
//! `aggregate`, `batch`, `pop` (proofs of possession).

mod aggregate;
mod batch;
mod encoding;
mod error;
mod hash_to_curve;
mod keys;
mod pop;
mod signature;
mod sswu;
mod verify;

pub use aggregate::{aggregate, aggregate_public_keys, aggregate_verify, fast_aggregate_verify};
pub use batch::{SignatureSet, batch_verify};
pub use encoding::{G1_COMPRESSED_SIZE, G2_COMPRESSED_SIZE};
pub use error::BlsError;
pub use hash_to_curve::{DST_POP, DST_SIGNATURE, hash_to_g2};
pub use keys::{PublicKey, SECRET_KEY_SIZE, SecretKey};
pub use pop::{pop_prove, pop_verify};
pub use signature::Signature;
pub use verify::verify;

/// G1 decoding where the identity is a legal point: KZG commitments and
/// proofs, and the conformance runner's own G1 checks.
pub(crate) use encoding::decode_g1;
#[cfg(feature = "conformance")]
pub(crate) use encoding::fq_bytes;
