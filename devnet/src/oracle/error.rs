//! The oracle's one error type; each variant maps to a JSON-RPC error code
//! and its message is the sentence the wallet shows.

use aloft_light_client::inft::{EciesError, EnvelopeError};
use aloft_light_client::storage::Root;

/// Why the oracle refused (or failed) a transfer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OracleError {
    /// A request field is missing or malformed.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The token does not exist, or has no data at that index.
    #[error("token {token} has no intelligent data at index {index}")]
    NoSuchData {
        /// The token id (decimal).
        token: String,
        /// The data index asked for.
        index: usize,
    },
    /// The access proof names another data hash than the token's.
    #[error("data hash mismatch: the token's data hash is {token}, the request is for {given}")]
    HashMismatch {
        /// On chain.
        token: Root,
        /// In the request (access proof) or computed from the stored ciphertext.
        given: Root,
    },
    /// The access proof is not signed by the receiver or its delegate.
    #[error("invalid access proof: it is signed by {signer}, not by the receiver {receiver} or its delegate")]
    BadAccessProof {
        /// Who signed (zero address if nothing recovers).
        signer: String,
        /// The receiver.
        receiver: String,
    },
    /// The receiver public key is not the receiver's (or not the key its access proof wants).
    #[error("wrong receiver: {0}")]
    WrongReceiver(String),
    /// The access nonce was already used (by this oracle or on chain).
    #[error("replayed nonce: access proof nonce 0x{0} was already used")]
    ReplayedNonce(String),
    /// The sealed key does not open with the oracle's key, or does not open the data.
    #[error("wrong key: {0}")]
    WrongKey(String),
    /// The token's data is not in storage.
    #[error("data {0} was never submitted to storage")]
    DataNotFound(Root),
    /// The storage peers could not serve or store the data.
    #[error("storage: {0}")]
    Storage(String),
    /// The stored ciphertext is not a valid envelope under the key.
    #[error("the stored agent does not decrypt: {0}")]
    Envelope(#[from] EnvelopeError),
    /// A chain read failed.
    #[error("chain: {0}")]
    Chain(String),
}

impl OracleError {
    /// The JSON-RPC error code: -32602 bad request, -32010.. refusals, -32603 internal.
    pub fn code(&self) -> i64 {
        match self {
            OracleError::BadRequest(_) => -32602,
            OracleError::WrongKey(_) => -32010,
            OracleError::HashMismatch { .. } => -32011,
            OracleError::ReplayedNonce(_) => -32012,
            OracleError::BadAccessProof { .. } => -32013,
            OracleError::WrongReceiver(_) => -32014,
            OracleError::NoSuchData { .. } => -32015,
            OracleError::DataNotFound(_) => -32016,
            OracleError::Envelope(_) => -32017,
            OracleError::Storage(_) | OracleError::Chain(_) => -32603,
        }
    }

    pub(crate) fn from_ecies(e: EciesError) -> Self {
        OracleError::WrongKey(format!("the sealed key does not open with the oracle's key ({e})"))
    }
}
