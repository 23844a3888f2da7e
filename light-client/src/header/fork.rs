//! Fork detection: cross-checking a verified head with a second source (a
//! witness), and the evidence two conflicting verified headers make.
//!
//! Flow (sans-IO, like [`super::sync`]):
//! 1. After verifying a head from the primary source, start a [`Detector`]
//!    with the block it was verified from (the common root of trust) and the
//!    verified head; it asks the witness for the same height.
//! 2. Same hash: [`Verdict::Agree`]. Different hash: the detector verifies
//!    the witness's block from the common root (skipping and bisecting,
//!    fetching from the witness).
//! 3. If it verifies, two headers at one height both carry more than 2/3 of
//!    a validator set's signatures and a trusted third vouches for both:
//!    validators equivocated, and [`Verdict::Fork`] carries the
//!    [`Evidence`]. If it does not, the witness lied:
//!    [`Verdict::WitnessFaulty`] with the reason.

use super::codec::{DecodeError, Reader, put_prefixed};
use super::light_block::LightBlock;
use super::sync::{Next, SyncError, Syncer};
use super::types::{BlockHash, Height, Timestamp};
use super::verify::VerifyOptions;

/// The evidence format version.
pub const EVIDENCE_VERSION: u8 = 1;

/// Two verifiable, conflicting light blocks at one height, and the trusted
/// height both were verified from. Kept by clients and exportable (bytes
/// or JSON) so it can be submitted to the chain or shown to a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    /// The trusted height both blocks were verified from.
    pub common_height: Height,
    /// The block the primary source served.
    pub primary: LightBlock,
    /// The conflicting block the witness served.
    pub witness: LightBlock,
}

impl Evidence {
    /// The height of the conflict.
    pub fn height(&self) -> Height {
        self.primary.height()
    }

    /// The canonical encoding: version, `u64` common height, then the
    /// primary's and the witness's light blocks, each with a `u32` length prefix.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![EVIDENCE_VERSION];
        out.extend_from_slice(&self.common_height.0.to_be_bytes());
        put_prefixed(&mut out, &self.primary.encode());
        put_prefixed(&mut out, &self.witness.encode());
        out
    }

    /// Decodes exactly one piece of evidence (its blocks are decoded, not
    /// re-verified; [`Evidence::is_conflict`] checks their shape).
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let mut r = Reader::new(bytes);
        r.version("evidence", EVIDENCE_VERSION)?;
        let common_height = Height(r.u64("evidence.common_height")?);
        let primary = LightBlock::decode(r.prefixed("evidence.primary", 1 << 20)?)?;
        let witness = LightBlock::decode(r.prefixed("evidence.witness", 1 << 20)?)?;
        r.finish("evidence")?;
        Ok(Self { common_height, primary, witness })
    }

    /// Whether the two blocks are at one height of one chain and differ.
    pub fn is_conflict(&self) -> bool {
        let (p, w) = (&self.primary.header, &self.witness.header);
        p.chain_id == w.chain_id && p.height == w.height && p.hash() != w.hash()
    }

    /// A JSON summary with the full encoding in hex, for people and exports.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": "light_client_attack",
            "height": self.height(),
            "common_height": self.common_height,
            "primary": { "hash": self.primary.hash(), "header": self.primary.header },
            "witness": { "hash": self.witness.hash(), "header": self.witness.header },
            "encoded": format!("0x{}", hex::encode(self.encode())),
        })
    }
}

/// What the cross-check concluded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Verdict {
    /// The witness serves the same block.
    Agree,
    /// The witness serves a different block that verifies too.
    Fork(Evidence),
    /// The witness serves a different block that does not verify.
    WitnessFaulty(SyncError),
}

/// Cross-checks one verified head against a witness.
#[derive(Debug, Clone)]
pub struct Detector {
    common: LightBlock,
    primary: LightBlock,
    syncer: Option<Syncer>,
    options: VerifyOptions,
}

impl Detector {
    /// Starts a cross-check of `primary` (verified from `common`).
    pub fn new(common: LightBlock, primary: LightBlock, options: VerifyOptions) -> Self {
        Self { common, primary, syncer: None, options }
    }

    /// The witness height to fetch next.
    pub fn next(&self) -> Height {
        match &self.syncer {
            Some(s) => match s.next() {
                Next::Fetch(h) => h,
                Next::Done => self.primary.height(),
            },
            None => self.primary.height(),
        }
    }

    /// Feeds the witness's block at [`Detector::next`]'s height. Returns a
    /// verdict, or `None` when it needs another block from the witness.
    pub fn feed(&mut self, block: LightBlock, now: Timestamp) -> Option<Verdict> {
        if self.syncer.is_none() {
            if block.height() == self.primary.height() && block.hash() == self.primary.hash() {
                return Some(Verdict::Agree);
            }
            match Syncer::new(self.common.clone(), self.primary.height(), self.options) {
                Ok(s) => self.syncer = Some(s),
                Err(e) => return Some(Verdict::WitnessFaulty(e)),
            }
        }
        let syncer = self.syncer.as_mut()?;
        if let Err(e) = syncer.feed(block, now) {
            return Some(Verdict::WitnessFaulty(e));
        }
        match syncer.next() {
            Next::Fetch(_) => None,
            Next::Done => {
                let witness = syncer.trusted().clone();
                if witness.hash() == self.primary.hash() {
                    Some(Verdict::Agree)
                } else {
                    Some(Verdict::Fork(Evidence {
                        common_height: self.common.height(),
                        primary: self.primary.clone(),
                        witness,
                    }))
                }
            }
        }
    }

    /// The hash the primary served, for messages.
    pub fn primary_hash(&self) -> BlockHash {
        self.primary.hash()
    }
}
