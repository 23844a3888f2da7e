//! Binary frames for shard messages on WebRTC data channels.
//!
//! Over JSON-RPC a shard's bytes travel as base64 inside a JSON text: a third
//! more bytes, and an encode, a string copy and a parse on each side. On a
//! data channel the shard's bytes are most of every message, so the uploader
//! and downloader send them raw in a binary message instead, with the rest of
//! the message (root, proof, shard roots, coding) as a small JSON header of
//! the same shape (`docs/protocol.md`, "Binary frames"):
//!
//! ```text
//! op: u8 | id: u32 BE | header length: u32 BE | header: JSON (UTF-8) | payload
//! ```
//!
//! - [`Op::UploadShard`]: header = a `ShardWithProof` without `data`
//!   ([`ShardHeader`]), payload = the shard bytes. Answered by the JSON-RPC
//!   text answer with the frame's `id`.
//! - [`Op::DownloadShard`]: header = the JSON params `[root, index, shard]`,
//!   no payload. Answered by a [`Op::Shard`] frame (header = [`ShardHeader`]
//!   or `null`, payload = the bytes), or by a JSON-RPC error text.
//!
//! Text messages keep carrying JSON-RPC (the fallback, and every other method).

use serde::{Deserialize, Serialize};

use super::placement::{ShardIndex, ShardWithProof};
use super::proof::SegmentProof;
use super::root::{Root, SegmentIndex};

/// Bytes before the header: op, id, header length.
pub const PREFIX: usize = 9;

/// The largest header accepted (a proof of a 2^64-chunk tree is ~4 KiB).
pub const MAX_HEADER: usize = 64 * 1024;

/// What a frame asks or answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Op {
    /// Store this shard (`aloft_uploadShard`).
    UploadShard = 1,
    /// Send me this shard (`aloft_downloadShard`).
    DownloadShard = 2,
    /// The answer to [`Op::DownloadShard`].
    Shard = 3,
}

impl Op {
    fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(Self::UploadShard),
            2 => Some(Self::DownloadShard),
            3 => Some(Self::Shard),
            _ => None,
        }
    }
}

/// Why bytes are not a frame.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Fewer than [`PREFIX`] bytes, or fewer than the header length says.
    #[error("binary frame truncated: {0} bytes")]
    Truncated(usize),
    /// The first byte names no operation.
    #[error("binary frame with unknown op {0}")]
    UnknownOp(u8),
    /// The header length is above [`MAX_HEADER`].
    #[error("binary frame header of {0} bytes is too long")]
    HeaderTooLong(usize),
    /// The header is not the JSON the op needs.
    #[error("binary frame header: {0}")]
    Header(String),
}

/// One decoded frame, borrowing the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    /// What it asks or answers.
    pub op: Op,
    /// The request id (answers carry the request's).
    pub id: u32,
    /// The JSON header.
    pub header: &'a [u8],
    /// The raw bytes after it.
    pub payload: &'a [u8],
}

impl<'a> Frame<'a> {
    /// Splits a binary message into its parts.
    pub fn decode(bytes: &'a [u8]) -> Result<Self, FrameError> {
        if bytes.len() < PREFIX {
            return Err(FrameError::Truncated(bytes.len()));
        }
        let op = Op::from_byte(bytes[0]).ok_or(FrameError::UnknownOp(bytes[0]))?;
        let id = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
        let header_len = u32::from_be_bytes([bytes[5], bytes[6], bytes[7], bytes[8]]) as usize;
        if header_len > MAX_HEADER {
            return Err(FrameError::HeaderTooLong(header_len));
        }
        let rest = &bytes[PREFIX..];
        if rest.len() < header_len {
            return Err(FrameError::Truncated(bytes.len()));
        }
        let (header, payload) = rest.split_at(header_len);
        Ok(Self { op, id, header, payload })
    }

    /// Builds a frame.
    pub fn encode(op: Op, id: u32, header: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(PREFIX + header.len() + payload.len());
        out.push(op as u8);
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&(header.len() as u32).to_be_bytes());
        out.extend_from_slice(header);
        out.extend_from_slice(payload);
        out
    }

    /// The shard of an [`Op::UploadShard`] or [`Op::Shard`] frame (`None`:
    /// a `null` header, the peer does not hold it).
    pub fn shard(&self) -> Result<Option<ShardWithProof>, FrameError> {
        let header: Option<ShardHeader> =
            serde_json::from_slice(self.header).map_err(|e| FrameError::Header(e.to_string()))?;
        Ok(header.map(|h| h.with_data(self.payload.to_vec())))
    }

    /// The `[root, index, shard]` of an [`Op::DownloadShard`] frame.
    pub fn download_params(&self) -> Result<(Root, SegmentIndex, ShardIndex), FrameError> {
        serde_json::from_slice(self.header).map_err(|e| FrameError::Header(e.to_string()))
    }
}

/// A frame carrying `shard` (`None`: the `null` answer).
pub fn shard_frame(op: Op, id: u32, shard: Option<&ShardWithProof>) -> Vec<u8> {
    match shard {
        Some(shard) => {
            let header = serde_json::to_vec(&ShardHeader::of(shard)).unwrap_or_default();
            Frame::encode(op, id, &header, &shard.data)
        }
        None => Frame::encode(op, id, b"null", &[]),
    }
}

/// A `ShardWithProof` without its bytes: the JSON header of a shard frame.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ShardHeader {
    /// The file root.
    pub root: Root,
    /// The segment index.
    pub index: SegmentIndex,
    /// Which shard of the segment.
    pub shard: ShardIndex,
    /// The segment's 0G proof.
    pub proof: SegmentProof,
    /// The shard roots of the segment's data shards.
    pub shard_roots: Vec<Root>,
    /// The file length in bytes.
    pub file_size: u64,
    /// Data shards per segment.
    pub data_shards: u16,
    /// Parity shards per segment.
    pub parity_shards: u16,
}

impl ShardHeader {
    /// Everything of `shard` but its bytes.
    pub fn of(shard: &ShardWithProof) -> Self {
        Self {
            root: shard.root,
            index: shard.index,
            shard: shard.shard,
            proof: shard.proof.clone(),
            shard_roots: shard.shard_roots.clone(),
            file_size: shard.file_size,
            data_shards: shard.data_shards,
            parity_shards: shard.parity_shards,
        }
    }

    /// The shard with `data` as its bytes.
    pub fn with_data(self, data: Vec<u8>) -> ShardWithProof {
        ShardWithProof {
            root: self.root,
            index: self.index,
            shard: self.shard,
            data,
            proof: self.proof,
            shard_roots: self.shard_roots,
            file_size: self.file_size,
            data_shards: self.data_shards,
            parity_shards: self.parity_shards,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Coding, FileTreeBuilder};

    fn shard() -> ShardWithProof {
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i * 7) as u8).collect();
        let mut builder = FileTreeBuilder::new();
        builder.update(&bytes);
        let tree = builder.finish().expect("tree");
        let coding = Coding::new(4, 2).expect("coding");
        let mut shards = tree.shards_with_proof(coding, SegmentIndex(1), &bytes[262_144..]).expect("shards");
        shards.swap_remove(2)
    }

    #[test]
    fn a_shard_round_trips_and_its_json_form_agrees() {
        let s = shard();
        let frame = shard_frame(Op::UploadShard, 0xdead_beef, Some(&s));
        let decoded = Frame::decode(&frame).expect("frame");
        assert_eq!((decoded.op, decoded.id), (Op::UploadShard, 0xdead_beef));
        assert_eq!(decoded.payload, &s.data[..]);
        let back = decoded.shard().expect("header").expect("a shard");
        assert_eq!(back, s);
        back.verify().expect("still verifies");
        // The header is the JSON-RPC message without `data`, key for key.
        let mut json = serde_json::to_value(&s).expect("json");
        json.as_object_mut().expect("object").remove("data");
        assert_eq!(serde_json::from_slice::<serde_json::Value>(decoded.header).expect("header json"), json);
        assert!(frame.len() < serde_json::to_vec(&s).expect("json").len() * 4 / 5, "raw bytes beat base64");
    }

    #[test]
    fn null_answers_and_download_params_decode() {
        let none = shard_frame(Op::Shard, 7, None);
        assert_eq!(Frame::decode(&none).expect("frame").shard().expect("null"), None);
        let params = br#"["0x0101010101010101010101010101010101010101010101010101010101010101", 3, 5]"#;
        let frame = Frame::encode(Op::DownloadShard, 9, params, &[]);
        let (root, index, shard) = Frame::decode(&frame).expect("frame").download_params().expect("params");
        assert_eq!((root, index, shard), (Root([1; 32]), SegmentIndex(3), ShardIndex(5)));
    }

    #[test]
    fn malformed_frames_are_refused_with_a_reason() {
        assert_eq!(Frame::decode(&[1, 0, 0]), Err(FrameError::Truncated(3)));
        assert_eq!(Frame::decode(&[9, 0, 0, 0, 0, 0, 0, 0, 0]), Err(FrameError::UnknownOp(9)));
        assert_eq!(Frame::decode(&[1, 0, 0, 0, 0, 0, 0, 0, 5, b'{']), Err(FrameError::Truncated(10)));
        assert_eq!(Frame::decode(&[1, 0, 0, 0, 0, 0, 2, 0, 0]), Err(FrameError::HeaderTooLong(131_072)));
        let bad = Frame::encode(Op::UploadShard, 1, b"{\"root\":1}", &[0; 4]);
        assert!(matches!(Frame::decode(&bad).expect("frame").shard(), Err(FrameError::Header(_))));
        let extra = Frame::encode(Op::UploadShard, 1, b"{\"data\":\"AA==\"}", &[]);
        assert!(matches!(Frame::decode(&extra).expect("frame").shard(), Err(FrameError::Header(_))));
    }
}
