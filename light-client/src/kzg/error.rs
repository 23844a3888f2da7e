//! The one error type of the KZG module.
//!
//! The consensus specs express every rejection as a failed `assert`; callers
//! of this module get a [`KzgError`] naming which check failed instead, so a
//! peer that sent a malformed cell can be told apart from a setup that failed
//! to load. A proof that is well formed but wrong is *not* an error: the
//! verification functions return `Ok(false)` for it, exactly as the spec
//! returns `False`.

/// Why a KZG operation refused its input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KzgError {
    /// A byte string had the wrong length for what it encodes.
    #[error("{what} must be {expected} bytes, got {got}")]
    WrongLength {
        /// What was being decoded (`"blob"`, `"cell"`, ...).
        what: &'static str,
        /// The length the spec requires.
        expected: usize,
        /// The length that was given.
        got: usize,
    },
    /// A 32-byte big-endian field element was not below the BLS12-381 scalar
    /// modulus (`bytes_to_bls_field`).
    #[error("field element is not canonical (not below the BLS12-381 scalar modulus)")]
    NonCanonicalFieldElement,
    /// A 48-byte G1 point (commitment or proof) did not decode to a point of
    /// the prime-order subgroup (`validate_kzg_g1`: bad flags, `x` not a
    /// coordinate of a curve point, or a point outside the subgroup).
    #[error("invalid G1 point for {what}")]
    InvalidG1Point {
        /// `"commitment"` or `"proof"`.
        what: &'static str,
    },
    /// A cell index was not below `CELLS_PER_EXT_BLOB` (128).
    #[error("cell index {0} is out of range (must be < 128)")]
    CellIndexOutOfRange(u64),
    /// A commitment index did not point into the list of commitments.
    #[error("commitment index {0} is out of range")]
    CommitmentIndexOutOfRange(u64),
    /// The parallel input lists of a batch call had different lengths.
    #[error("input lists have different lengths: {what}")]
    LengthMismatch {
        /// Which lists disagreed.
        what: &'static str,
    },
    /// `compute_verify_cell_kzg_proof_batch_challenge` was given a list of
    /// commitments with a duplicate in it.
    #[error("the list of commitments contains duplicates")]
    DuplicateCommitment,
    /// `recover_cells_and_kzg_proofs` was given the same cell index twice.
    #[error("cell index {0} is given more than once")]
    DuplicateCellIndex(u64),
    /// `recover_cells_and_kzg_proofs` requires its cell indices in ascending
    /// order (`assert cell_indices == sorted(cell_indices)`).
    #[error("cell indices are not in ascending order")]
    CellIndicesNotAscending,
    /// `recover_cells_and_kzg_proofs` needs at least half of the cells.
    #[error("recovery needs at least 64 of the 128 cells, got {0}")]
    NotEnoughCells(usize),
    /// `recover_cells_and_kzg_proofs` was given more cells than an extended blob has.
    #[error("got {0} cells, but an extended blob has only 128")]
    TooManyCells(usize),
    /// The trusted setup text could not be parsed or failed validation.
    #[error("invalid trusted setup: {0}")]
    InvalidTrustedSetup(String),
    /// `TrustedSetup::from_ceremony_text` was given text that is not the
    /// Ethereum ceremony file.
    #[error("trusted setup text is not the Ethereum KZG ceremony output (SHA-256 mismatch)")]
    NotCeremonySetup,
}
