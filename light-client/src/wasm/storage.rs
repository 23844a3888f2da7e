//! The storage part of the JS API: file trees, shard messages and segment
//! reconstruction for the browser uploader and downloader
//! (`www/storage/aloft-storage.js`), which only moves bytes and keeps state.
//!
//! Shard messages cross as JSON text in the exact wire form of
//! `aloft_uploadShard` (`docs/protocol.md`), or as binary shard frames
//! ([`crate::storage::frame`]), so the page sends them on a data channel
//! without parsing them again.

use wasm_bindgen::prelude::*;

use crate::storage::frame::{Frame, Op, shard_frame};
use crate::storage::{
    Coding, FileTree, FileTreeBuilder, Placement, Root, SegmentIndex, SegmentProof, ShardIndex,
    ShardWithProof, reconstruct_segment,
};

fn err(context: &str, e: impl core::fmt::Display) -> JsError {
    JsError::new(&format!("{context}: {e}"))
}

fn coding(data: usize, parity: usize) -> Result<Coding, JsError> {
    Coding::new(data, parity).map_err(|e| err("coding", e))
}

/// Streams a file's bytes in (any slice sizes, e.g. `Blob.slice`s) and builds
/// its 0G tree in constant memory plus 64 bytes per 256 KiB segment.
#[wasm_bindgen(js_name = StorageTreeBuilder)]
#[derive(Default)]
pub struct StorageTreeBuilder {
    inner: FileTreeBuilder,
}

#[wasm_bindgen(js_class = StorageTreeBuilder)]
impl StorageTreeBuilder {
    /// A builder that has seen no bytes.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds the next bytes of the file.
    pub fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
    }

    /// The file's tree; throws for an empty file. The builder is consumed.
    pub fn finish(self) -> Result<StorageTree, JsError> {
        Ok(StorageTree { tree: self.inner.finish().map_err(|e| err("file", e))? })
    }
}

/// A file's root, submission and segment proofs.
#[wasm_bindgen(js_name = StorageTree)]
pub struct StorageTree {
    tree: FileTree,
}

#[wasm_bindgen(js_class = StorageTree)]
impl StorageTree {
    /// The file root, `0x` hex.
    pub fn root(&self) -> String {
        self.tree.root().to_string()
    }

    /// The file length in bytes.
    pub fn length(&self) -> f64 {
        self.tree.commitment().length as f64
    }

    /// Segments that carry file data.
    pub fn segments(&self) -> f64 {
        self.tree.layout().map(|l| l.data_segments()).unwrap_or(0) as f64
    }

    /// The flow submission as JSON (`{"length","tags","nodes"}`).
    #[wasm_bindgen(js_name = submissionJson)]
    pub fn submission_json(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.tree.commitment().submission(Vec::new())).map_err(|e| err("submission", e))
    }

    /// The call data of `Flow.submit` for this file (`0x` hex), for a page to
    /// send through the user's wallet (`eth_sendTransaction` with `to` the Flow
    /// contract): the root is registered on chain before any segment is sent.
    #[wasm_bindgen(js_name = flowSubmitCalldata)]
    pub fn flow_submit_calldata(&self) -> String {
        format!("0x{}", hex::encode(self.tree.commitment().submission(Vec::new()).flow_submit_calldata()))
    }

    /// The `data + parity` shard messages of segment `index` as JSON texts,
    /// given the segment's file bytes; shard `j` goes to peer `peerOf(index, j)`.
    #[wasm_bindgen(js_name = shardsJson)]
    pub fn shards_json(&self, index: f64, bytes: &[u8], data: usize, parity: usize) -> Result<Vec<String>, JsError> {
        let index = segment_index(index)?;
        let shards = self
            .tree
            .shards_with_proof(coding(data, parity)?, index, bytes)
            .map_err(|e| err("segment", e))?;
        shards.iter().map(|s| serde_json::to_string(s).map_err(|e| err("shard", e))).collect()
    }

    /// The same shards as binary upload frames (request id 0: the page writes
    /// its id big-endian at bytes 1..5 before sending), written one after
    /// another into `out`, a buffer the page reuses for every segment (so an
    /// upload of any size makes no new buffers per segment: V8 is slow to
    /// collect them). Returns each frame's length; a too-small `out` is an
    /// error naming the size needed.
    #[wasm_bindgen(js_name = shardFramesInto)]
    pub fn shard_frames_into(
        &self,
        index: f64,
        bytes: &[u8],
        data: usize,
        parity: usize,
        out: &js_sys::Uint8Array,
    ) -> Result<Vec<u32>, JsError> {
        let segment = segment_index(index)?;
        let shards = self
            .tree
            .shards_with_proof(coding(data, parity)?, segment, bytes)
            .map_err(|e| err("segment", e))?;
        let frames: Vec<Vec<u8>> = shards.iter().map(|s| shard_frame(Op::UploadShard, 0, Some(s))).collect();
        let needed: usize = frames.iter().map(Vec::len).sum();
        if needed > out.length() as usize {
            return Err(JsError::new(&format!(
                "the frame buffer holds {} bytes; segment {} needs {needed}",
                out.length(),
                segment.0
            )));
        }
        let mut at = 0u32;
        Ok(frames
            .iter()
            .map(|f| {
                let len = f.len() as u32;
                out.subarray(at, at + len).copy_from(f);
                at += len;
                len
            })
            .collect())
    }
}

fn segment_index(index: f64) -> Result<SegmentIndex, JsError> {
    if index.fract() != 0.0 || !(0.0..9.0e15).contains(&index) {
        return Err(JsError::new(&format!("segment index {index} is not a whole number")));
    }
    Ok(SegmentIndex(index as u64))
}

/// The peer (0-based) that holds shard `shard` of segment `index` among `peers`.
#[wasm_bindgen(js_name = storagePeerOf)]
pub fn storage_peer_of(index: f64, shard: u16, data: usize, parity: usize, peers: usize) -> Result<usize, JsError> {
    let placement = Placement::new(coding(data, parity)?, peers).map_err(|e| err("placement", e))?;
    Ok(placement.peer_of(segment_index(index)?, ShardIndex(shard)))
}

/// A downloaded shard, checked.
#[wasm_bindgen(js_name = CheckedShard)]
pub struct CheckedShard {
    shard: ShardWithProof,
}

#[wasm_bindgen(js_class = CheckedShard)]
impl CheckedShard {
    /// Its shard index.
    pub fn shard(&self) -> u16 {
        self.shard.shard.0
    }

}

/// Parses a shard message (JSON text) a peer served and checks it is shard
/// `shard` of segment `index` of `root` with this coding and size, bound to
/// the root; throws with the reason otherwise (the peer served corrupt data).
#[wasm_bindgen(js_name = checkShard)]
pub fn check_shard(
    json: &str,
    root: &str,
    file_size: f64,
    index: f64,
    shard: u16,
    data: usize,
    parity: usize,
) -> Result<CheckedShard, JsError> {
    let message: ShardWithProof = serde_json::from_str(json).map_err(|e| err("shard message", e))?;
    check(message, root, file_size, index, shard, data, parity)
}

/// [`check_shard`] for a binary answer frame (`Op::Shard`); `undefined`
/// when the peer answered that it does not hold the shard.
#[wasm_bindgen(js_name = checkShardFrame)]
pub fn check_shard_frame(
    frame: &[u8],
    root: &str,
    file_size: f64,
    index: f64,
    shard: u16,
    data: usize,
    parity: usize,
) -> Result<Option<CheckedShard>, JsError> {
    let frame = Frame::decode(frame).map_err(|e| err("shard frame", e))?;
    if frame.op != Op::Shard {
        return Err(JsError::new("the peer answered with a frame that is not a shard"));
    }
    match frame.shard().map_err(|e| err("shard frame", e))? {
        Some(message) => check(message, root, file_size, index, shard, data, parity).map(Some),
        None => Ok(None),
    }
}

fn check(
    message: ShardWithProof,
    root: &str,
    file_size: f64,
    index: f64,
    shard: u16,
    data: usize,
    parity: usize,
) -> Result<CheckedShard, JsError> {
    let root: Root = root.parse().map_err(|e| err("root", e))?;
    let index = segment_index(index)?;
    let expected_coding = coding(data, parity)?;
    if message.root != root
        || message.index != index
        || message.shard != ShardIndex(shard)
        || message.file_size as f64 != file_size
        || message.coding().ok() != Some(expected_coding)
    {
        return Err(JsError::new("the peer answered with another shard than the one asked for"));
    }
    message.verify().map_err(|e| err("shard", e))?;
    Ok(CheckedShard { shard: message })
}

/// The checked shards of one segment, gathered for its rebuild. They stay in
/// WASM memory (the page holds a handle), so a download moves each shard's
/// bytes into JS memory never, and out of it once, as the rebuilt segment.
#[wasm_bindgen(js_name = SegmentShards)]
pub struct SegmentShards {
    coding: Coding,
    shards: Vec<Option<Vec<u8>>>,
    proof: Option<SegmentProof>,
}

#[wasm_bindgen(js_class = SegmentShards)]
impl SegmentShards {
    /// No shards yet, for a `data + parity` coding.
    #[wasm_bindgen(constructor)]
    pub fn new(data: usize, parity: usize) -> Result<SegmentShards, JsError> {
        let coding = coding(data, parity)?;
        Ok(Self { coding, shards: vec![None; coding.total_shards()], proof: None })
    }

    /// Takes a shard [`check_shard`] or [`check_shard_frame`] accepted (the JS
    /// object is spent).
    pub fn put(&mut self, checked: CheckedShard) {
        let ShardWithProof { shard, data, proof, .. } = checked.shard;
        if let Some(slot) = self.shards.get_mut(usize::from(shard.0)) {
            *slot = Some(data);
            self.proof.get_or_insert(proof);
        }
    }

    /// How many shards are held.
    pub fn count(&self) -> usize {
        self.shards.iter().filter(|s| s.is_some()).count()
    }

    /// Rebuilds segment `index` of `root` from the shards held and verifies
    /// it against the root; throws if they do not give a segment that verifies.
    pub fn rebuild(&self, root: &str, file_size: f64, index: f64) -> Result<RebuiltSegment, JsError> {
        let root: Root = root.parse().map_err(|e| err("root", e))?;
        let proof = self.proof.as_ref().ok_or_else(|| JsError::new("no shard of the segment is held"))?;
        if !(1.0..1.8e19).contains(&file_size) || file_size.fract() != 0.0 {
            return Err(JsError::new(&format!("file size {file_size} is not a positive whole number")));
        }
        let rebuilt = reconstruct_segment(&root, file_size as u64, segment_index(index)?, self.coding, proof, &self.shards)
            .map_err(|e| err("segment", e))?;
        Ok(RebuiltSegment { data: rebuilt.data, bad: rebuilt.bad_shards.iter().map(|s| s.0).collect() })
    }
}

/// A rebuilt, verified segment and the shards that disagreed with it.
#[wasm_bindgen(js_name = RebuiltSegment)]
pub struct RebuiltSegment {
    data: Vec<u8>,
    bad: Vec<u16>,
}

#[wasm_bindgen(js_class = RebuiltSegment)]
impl RebuiltSegment {
    /// Copies the segment's first `out.length` bytes (the segment as uploaded,
    /// zero-filled to whole chunks) into `out`, a buffer the page reuses.
    #[wasm_bindgen(js_name = copyTo)]
    pub fn copy_to(&self, out: &js_sys::Uint8Array) -> Result<(), JsError> {
        let n = out.length() as usize;
        let bytes = self.data.get(..n).ok_or_else(|| {
            JsError::new(&format!("asked for {n} bytes of a segment of {}", self.data.len()))
        })?;
        out.copy_from(bytes);
        Ok(())
    }

    /// Shard indices whose bytes were wrong: their peers served corrupt data.
    #[wasm_bindgen(js_name = badShards)]
    pub fn bad_shards(&self) -> Vec<u16> {
        self.bad.clone()
    }
}
