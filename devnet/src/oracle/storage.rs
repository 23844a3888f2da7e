//! The oracle's storage client: fetches a file from the devnet's storage
//! peers and uploads one, through the peers' own JSON-RPC methods
//! (`aloft_downloadShard`, `aloft_uploadShard`; called in-process, so every
//! check a remote uploader meets applies), and submits new roots to the
//! devnet's submission registry, the path `aloft upload` takes.
//!
//! Downloads follow `aloft download` (`cli/src/download.rs`): per segment,
//! shards from their placement peers until `k` verify, then
//! [`reconstruct_segment`] checks the rebuilt segment against the root.
//! Memory is one segment at a time.

use std::sync::Arc;

use aloft_light_client::storage::{
    Coding, FileLayout, FileTree, Placement, Root, SegmentIndex, ShardIndex, ShardWithProof, reconstruct_segment,
};
use serde_json::{Value, json};

use super::error::OracleError;
use crate::storage::peer::PeerState;
use crate::storage::submissions::DevnetSubmissions;

/// The devnet's storage peers as the oracle reaches them.
#[derive(Debug, Clone)]
pub struct PeerSet {
    peers: Vec<Arc<PeerState>>,
    registry: Arc<DevnetSubmissions>,
    runtime: tokio::runtime::Handle,
}

impl PeerSet {
    /// The peers in placement order, the registry new roots are submitted to,
    /// and the runtime their (async) JSON-RPC handlers run on.
    pub fn new(peers: Vec<Arc<PeerState>>, registry: Arc<DevnetSubmissions>, runtime: tokio::runtime::Handle) -> Self {
        PeerSet { peers, registry, runtime }
    }

    /// One JSON-RPC call to peer `i`, from a blocking thread.
    fn call(&self, i: usize, method: &str, params: Vec<Value>) -> Result<Value, OracleError> {
        let peer = self.peers.get(i).ok_or_else(|| OracleError::Storage(format!("no storage peer {i}")))?;
        if peer.offline() {
            return Err(OracleError::Storage(format!("storage peer {i} is offline")));
        }
        self.runtime
            .block_on(peer.dispatch(method, params))
            .map_err(|e| OracleError::Storage(format!("storage peer {i} refused {method}: {} (code {})", e.code, e.message)))
    }

    /// The submitted length of `root`, from any peer's submission log.
    pub fn file_size(&self, root: &Root) -> Result<u64, OracleError> {
        let peer = self.peers.first().ok_or_else(|| OracleError::Storage("the devnet runs no storage peers".into()))?;
        peer.log.submitted(root).map(|r| r.size()).ok_or(OracleError::DataNotFound(*root))
    }

    /// Streams the bytes of `root` to `sink`, segment by segment, each verified against the root.
    pub fn fetch(&self, root: &Root, mut sink: impl FnMut(&[u8]) -> Result<(), OracleError>) -> Result<u64, OracleError> {
        let size = self.file_size(root)?;
        let layout = FileLayout::new(size).map_err(|e| OracleError::Storage(e.to_string()))?;
        for i in 0..layout.data_segments() {
            let index = SegmentIndex(i);
            let data = self.segment(root, &layout, index)?;
            let range = layout.segment_file_range(index).map_err(|e| OracleError::Storage(e.to_string()))?;
            let len = (range.end - range.start) as usize;
            sink(data.get(..len).ok_or_else(|| OracleError::Storage(format!("segment {i} is short")))?)?;
        }
        Ok(size)
    }

    fn segment(&self, root: &Root, layout: &FileLayout, index: SegmentIndex) -> Result<Vec<u8>, OracleError> {
        let n = self.peers.len();
        let mut coding: Option<Coding> = None;
        let mut shards: Vec<Option<Vec<u8>>> = Vec::new();
        let mut have = 0;
        let mut proof = None;
        let mut reasons = Vec::new();
        // Shard j of segment i lives on peer (i + j) mod n (docs/protocol.md, "Storage placement").
        for j in 0..n {
            if coding.is_some_and(|c| have >= c.data_shards() || j >= c.total_shards()) {
                break;
            }
            let peer = (index.0 as usize + j) % n;
            let j = ShardIndex(j as u16);
            let answer = match self.call(peer, "aloft_downloadShard", vec![json!(root), json!(index), json!(j)]) {
                Ok(Value::Null) => continue,
                Ok(v) => v,
                Err(e) => {
                    reasons.push(e.to_string());
                    continue;
                }
            };
            let Ok(shard) = serde_json::from_value::<ShardWithProof>(answer) else { continue };
            let Ok(c) = shard.coding() else { continue };
            let fits = usize::from(j.0) < c.total_shards() && shard.root == *root && shard.index == index && shard.shard == j && shard.file_size == layout.size();
            if !fits || coding.is_some_and(|have| have != c) || shard.verify().is_err() {
                reasons.push(format!("peer {peer} served a bad shard {}", j.0));
                continue;
            }
            coding = Some(c);
            shards.resize(c.total_shards(), None);
            shards[usize::from(j.0)] = Some(shard.data);
            have += 1;
            proof.get_or_insert(shard.proof);
        }
        let (Some(c), Some(proof)) = (coding, proof) else {
            return Err(OracleError::Storage(format!("segment {} of {root}: no peer served a shard ({})", index.0, reasons.join("; "))));
        };
        reconstruct_segment(root, layout.size(), index, c, &proof, &shards)
            .map(|r| r.data)
            .map_err(|e| OracleError::Storage(format!("segment {} of {root}: {e}", index.0)))
    }

    /// Submits `tree`'s root to the registry and uploads `read(index)`'s bytes erasure-coded.
    pub fn upload(
        &self,
        tree: &FileTree,
        mut read: impl FnMut(std::ops::Range<u64>) -> Result<Vec<u8>, OracleError>,
    ) -> Result<(), OracleError> {
        let placement = Placement::new(Coding::DEFAULT, self.peers.len())
            .map_err(|e| OracleError::Storage(format!("{e}: the devnet has {} storage peers", self.peers.len())))?;
        self.registry
            .submit(tree.commitment().submission(Vec::new()))
            .map_err(|e| OracleError::Storage(format!("submission refused: {e}")))?;
        let layout = tree.layout().map_err(|e| OracleError::Storage(e.to_string()))?;
        for i in 0..layout.data_segments() {
            let index = SegmentIndex(i);
            let range = layout.segment_file_range(index).map_err(|e| OracleError::Storage(e.to_string()))?;
            let bytes = read(range)?;
            let shards = tree
                .shards_with_proof(placement.coding(), index, &bytes)
                .map_err(|e| OracleError::Storage(e.to_string()))?;
            for shard in shards {
                let peer = placement.peer_of(index, shard.shard);
                self.call(peer, "aloft_uploadShard", vec![json!(shard)])?;
            }
        }
        Ok(())
    }
}
