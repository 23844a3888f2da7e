//! Data availability: how blocks carry blobs and how a light client convinces
//! itself, by sampling, that a block's data can be obtained by anyone
//! (`docs/protocol.md`, sections "Payload packing" to "DA node HTTP API").
//!
//! In the order data flows:
//! 1. [`packing`]: a payload becomes canonical blobs (31 bytes per field element).
//! 2. [`layout`]: a block's blob commitments and the DA root its header carries.
//! 3. [`wire`]: the DA nodes' request and response formats.
//! 4. [`confidence`]: how many samples give what confidence.
//! 5. [`sampler`]: the sans-IO sampling state machine.
//! 6. [`reconstruct`]: a blob from half its cells, checked against its commitment.
//!
//! The cryptography (commitments, cells, proofs, recovery) is [`crate::kzg`].

pub mod confidence;
mod hexser;
pub mod layout;
pub mod packing;
pub mod reconstruct;
pub mod sampler;
pub mod wire;

#[cfg(test)]
mod tests;

pub use layout::{CommitmentList, CommitmentProof, DaRoot, LayoutError, commitments_root, da_root_for_blobs};
pub use packing::{PackingError, pack, unpack};
pub use reconstruct::{ReconstructError, reconstruct_blob};
pub use sampler::{Action, Availability, BlockReport, Event, Height, PeerId, RequestId, Sampler, SamplerConfig, SamplerError};
pub use wire::SampleId;

/// The most blobs a block carries (Aloft's cap; the SSZ list limit is larger).
pub const MAX_BLOBS_PER_BLOCK: usize = 32;
