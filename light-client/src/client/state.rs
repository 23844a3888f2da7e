//! What the header client persists under its storage key, so a reload (a
//! page reload, a service-worker restart, the next CLI run) resumes where it
//! stopped and still shows what it found.
//!
//! Layout: a version byte, a `u32` part count, then `u32`-length-prefixed
//! parts:
//! 1. the checkpoint string (`HEIGHT:HASH`), so state from another root of
//!    trust is never resumed;
//! 2. the anchor (checkpoint) light block;
//! 3. the trusted light block;
//! 4. version 2 only: the rejections, JSON `{"total": n, "kept": [...]}`,
//!    the newest [`PERSISTED_REJECTIONS`] of them;
//! 5. each piece of fork evidence.
//!
//! Version 1 (written before rejections were kept) has no rejections part
//! and still loads, with no rejections. Anything malformed reads as nothing
//! stored: the client then starts again from its checkpoint, which is safe
//! because nothing here is trusted that the checkpoint does not vouch for
//! (the caller checks the anchor hashes to the checkpoint).

use super::{Checkpoint, MAX_REJECTIONS, Rejection};
use crate::header::{Evidence, Height, LightBlock};

/// The layout written now.
const STATE_VERSION: u8 = 2;
/// The layout without rejections, still read.
const STATE_VERSION_1: u8 = 1;

/// Rejections persisted (the newest). Fewer than the client keeps in memory:
/// enough to show what happened before a restart, while a hostile source
/// that serves bad headers forever cannot grow the stored state.
pub const PERSISTED_REJECTIONS: usize = 100;

/// Persisted state, decoded.
#[derive(Debug)]
pub(super) struct Stored {
    pub(super) checkpoint: String,
    pub(super) anchor: LightBlock,
    pub(super) trusted: LightBlock,
    pub(super) rejections: Vec<Rejection>,
    /// How many headers were rejected in all, including those not kept.
    pub(super) rejections_total: u64,
    pub(super) evidence: Vec<Evidence>,
}

/// A rejection as stored; `source` is checked back into `primary` or `witness`.
#[derive(serde::Serialize, serde::Deserialize)]
struct StoredRejection {
    height: Height,
    kind: String,
    reason: String,
    source: String,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredRejections {
    total: u64,
    kept: Vec<StoredRejection>,
}

/// Encodes the state (the newest [`PERSISTED_REJECTIONS`] rejections).
pub(super) fn encode_state(
    checkpoint: &Checkpoint,
    anchor: &LightBlock,
    trusted: &LightBlock,
    rejections: &[Rejection],
    rejections_total: u64,
    evidence: &[Evidence],
) -> Vec<u8> {
    let newest = &rejections[rejections.len().saturating_sub(PERSISTED_REJECTIONS)..];
    let stored = StoredRejections {
        total: rejections_total,
        kept: newest
            .iter()
            .map(|r| StoredRejection { height: r.height, kind: r.kind.clone(), reason: r.reason.clone(), source: r.source.into() })
            .collect(),
    };
    // Serializing plain strings and numbers cannot fail.
    let rejections = serde_json::to_vec(&stored).unwrap_or_default();
    let mut parts = vec![checkpoint.to_string().into_bytes(), anchor.encode(), trusted.encode(), rejections];
    parts.extend(evidence.iter().map(Evidence::encode));
    frame(STATE_VERSION, &parts)
}

/// The layout of every version: the version byte, the part count, then each
/// part with its length (big-endian `u32`s).
fn frame(version: u8, parts: &[Vec<u8>]) -> Vec<u8> {
    let mut out = vec![version];
    out.extend_from_slice(&(parts.len() as u32).to_be_bytes());
    for part in parts {
        out.extend_from_slice(&(part.len() as u32).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// Reads persisted state of either version; anything malformed reads as
/// nothing stored.
pub(super) fn decode_state(bytes: &[u8]) -> Option<Stored> {
    let (&version, rest) = bytes.split_first()?;
    let fixed = match version {
        STATE_VERSION_1 => 3,
        STATE_VERSION => 4,
        _ => return None,
    };
    let count = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
    let mut rest = &rest[4..];
    let mut parts = Vec::new();
    for _ in 0..count {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        parts.push(rest.get(4..4usize.checked_add(len)?)?);
        rest = &rest[4 + len..];
    }
    if !rest.is_empty() || parts.len() < fixed {
        return None;
    }
    let (rejections, rejections_total) = if version == STATE_VERSION { decode_rejections(parts[3])? } else { (Vec::new(), 0) };
    Some(Stored {
        checkpoint: String::from_utf8(parts[0].to_vec()).ok()?,
        anchor: LightBlock::decode(parts[1]).ok()?,
        trusted: LightBlock::decode(parts[2]).ok()?,
        rejections,
        rejections_total,
        evidence: parts[fixed..].iter().filter_map(|p| Evidence::decode(p).ok()).collect(),
    })
}

/// The rejections part: at most [`MAX_REJECTIONS`] kept (the newest), each
/// from a known source; the total is at least the number kept.
fn decode_rejections(part: &[u8]) -> Option<(Vec<Rejection>, u64)> {
    let stored: StoredRejections = serde_json::from_slice(part).ok()?;
    let skip = stored.kept.len().saturating_sub(MAX_REJECTIONS);
    let kept: Vec<Rejection> = stored
        .kept
        .into_iter()
        .skip(skip)
        .filter_map(|r| {
            let source = match r.source.as_str() {
                "primary" => "primary",
                "witness" => "witness",
                _ => return None,
            };
            Some(Rejection { height: r.height, kind: r.kind, reason: r.reason, source })
        })
        .collect();
    let total = stored.total.max(kept.len() as u64);
    Some((kept, total))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::header::devchain::ChainBuilder;

    fn chain() -> Vec<LightBlock> {
        ChainBuilder::new().build(5, &|_| (0..4).map(|i| (i, 10)).collect())
    }

    fn rejection(height: u64, source: &'static str) -> Rejection {
        Rejection {
            height: Height(height),
            kind: "invalid_signature".into(),
            reason: format!("the commit signature of block {height} does not verify"),
            source,
        }
    }

    fn checkpoint(block: &LightBlock) -> Checkpoint {
        Checkpoint { height: block.height(), hash: block.hash() }
    }

    /// The version-1 layout, as clients before rejections were persisted wrote it.
    fn encode_v1(checkpoint: &Checkpoint, anchor: &LightBlock, trusted: &LightBlock, evidence: &[Evidence]) -> Vec<u8> {
        let mut parts = vec![checkpoint.to_string().into_bytes(), anchor.encode(), trusted.encode()];
        parts.extend(evidence.iter().map(Evidence::encode));
        frame(STATE_VERSION_1, &parts)
    }

    #[test]
    fn state_round_trips_with_rejections_and_evidence() {
        let blocks = chain();
        let evidence = Evidence { common_height: Height(1), primary: blocks[3].clone(), witness: blocks[3].clone() };
        let rejections = vec![rejection(4, "primary"), rejection(5, "witness")];
        let bytes = encode_state(&checkpoint(&blocks[0]), &blocks[0], &blocks[2], &rejections, 7, std::slice::from_ref(&evidence));
        let stored = decode_state(&bytes).unwrap();
        assert_eq!(stored.checkpoint, checkpoint(&blocks[0]).to_string());
        assert_eq!(stored.anchor, blocks[0]);
        assert_eq!(stored.trusted, blocks[2]);
        assert_eq!(stored.rejections, rejections);
        assert_eq!(stored.rejections_total, 7);
        assert_eq!(stored.evidence, vec![evidence]);
    }

    #[test]
    fn only_the_newest_rejections_are_persisted() {
        let blocks = chain();
        let rejections: Vec<_> = (1..=MAX_REJECTIONS as u64).map(|h| rejection(h, "primary")).collect();
        let bytes = encode_state(&checkpoint(&blocks[0]), &blocks[0], &blocks[0], &rejections, 1000, &[]);
        let stored = decode_state(&bytes).unwrap();
        assert_eq!(stored.rejections.len(), PERSISTED_REJECTIONS);
        assert_eq!(stored.rejections, rejections[MAX_REJECTIONS - PERSISTED_REJECTIONS..]);
        assert_eq!(stored.rejections_total, 1000);
    }

    #[test]
    fn version_1_state_without_rejections_still_loads() {
        let blocks = chain();
        let evidence = Evidence { common_height: Height(1), primary: blocks[3].clone(), witness: blocks[3].clone() };
        let bytes = encode_v1(&checkpoint(&blocks[0]), &blocks[0], &blocks[4], std::slice::from_ref(&evidence));
        let stored = decode_state(&bytes).unwrap();
        assert_eq!(stored.trusted, blocks[4]);
        assert!(stored.rejections.is_empty());
        assert_eq!(stored.rejections_total, 0);
        assert_eq!(stored.evidence, vec![evidence]);
    }

    #[test]
    fn malformed_rejections_read_as_nothing_stored_and_unknown_sources_are_dropped() {
        let blocks = chain();
        let mut bytes = encode_state(&checkpoint(&blocks[0]), &blocks[0], &blocks[0], &[rejection(2, "primary")], 1, &[]);
        // Turn the stored source into one the client never writes.
        let at = bytes.windows(9).position(|w| w == b"\"primary\"").unwrap();
        bytes[at + 1..at + 8].copy_from_slice(b"outside");
        let stored = decode_state(&bytes).unwrap();
        assert!(stored.rejections.is_empty());
        assert_eq!(stored.rejections_total, 1);
        // A rejections part that is not JSON: nothing stored.
        let at = bytes.windows(9).position(|w| w == b"{\"total\":").unwrap();
        bytes[at] = b'!';
        assert!(decode_state(&bytes).is_none());
    }
}
