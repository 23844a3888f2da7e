//! One storage peer's JSON-RPC: 0G's `zgs_*` methods for whole segments and
//! Aloft's `aloft_*Shard` methods for erasure-coded shards
//! (`docs/protocol.md`, "Storage placement").
//!
//! [`PeerState::answer`] turns one JSON-RPC text into one answer; the HTTP
//! endpoint and the WebRTC data channels both call it, so the two transports
//! carry the same messages. Before storing anything a peer checks, in order:
//! 1. the root was submitted ([`SubmissionLog`]) and the message's `fileSize`
//!    is the submitted length;
//! 2. the segment's proof (or the shard's binding to it) verifies;
//! 3. the item is durably on disk; only then does it answer `null`.
//!
//! The control API's switches make a peer misbehave: `offline` (HTTP 503, no
//! WebRTC answers), `delay_ms` (waits before answering), `corrupt` (flips a
//! byte of every segment or shard it serves).

use std::sync::Arc;
use std::time::Duration;

use aloft_light_client::storage::{
    FileLayout, Root, SegmentIndex, SegmentWithProof, ShardIndex, ShardWithProof,
};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::store::{PeerStore, StoreError};
use super::submissions::SubmissionLog;
use crate::control::Switches;

/// A JSON-RPC error: code and sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct PeerError {
    /// -32602 bad params, -32601 no method, -32000 unknown root, -32001 coding
    /// mismatch, -32603 internal.
    pub code: i64,
    /// What went wrong.
    pub message: String,
}

impl PeerError {
    fn params(message: impl Into<String>) -> Self {
        Self { code: -32602, message: message.into() }
    }
}

/// Everything one peer needs to answer.
#[derive(Debug)]
pub struct PeerState {
    /// The peer's number, from 0.
    pub id: usize,
    /// How many storage peers the devnet runs.
    pub peers: usize,
    /// Its items.
    pub store: Arc<PeerStore>,
    /// Which roots were submitted.
    pub log: Arc<dyn SubmissionLog>,
    /// Misbehaviour switches.
    pub switches: Arc<Switches>,
    /// The address WebRTC sockets bind to (the peer's loopback address).
    pub webrtc_ip: std::net::IpAddr,
    /// The WebRTC connection tasks, aborted when the peer stops serving
    /// ([`crate::storage::webrtc::Connections`]).
    pub connections: crate::storage::webrtc::Connections,
}

fn param<T: DeserializeOwned>(params: &[Value], index: usize, what: &str) -> Result<T, PeerError> {
    let value = params
        .get(index)
        .cloned()
        .ok_or_else(|| PeerError::params(format!("missing argument {index} ({what})")))?;
    serde_json::from_value(value).map_err(|e| PeerError::params(format!("invalid argument {index} ({what}): {e}")))
}

impl PeerState {
    /// Whether the `offline` switch is on for this peer.
    pub fn offline(&self) -> bool {
        self.switches.storage_peer(self.id).is_some_and(|s| s.offline())
    }

    /// Answers one JSON-RPC request text (single or batch); `None` for a
    /// notification or while the peer is offline.
    pub async fn answer(self: &Arc<Self>, body: &[u8]) -> Option<Value> {
        if !self.admit().await {
            return None;
        }
        let parsed: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                return Some(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("parse error: {e}")}}));
            }
        };
        match parsed {
            Value::Array(batch) => {
                let mut answers = Vec::with_capacity(batch.len());
                for item in batch {
                    if let Some(a) = self.answer_one(item).await {
                        answers.push(a);
                    }
                }
                Some(Value::Array(answers))
            }
            single => self.answer_one(single).await,
        }
    }

    async fn answer_one(self: &Arc<Self>, request: Value) -> Option<Value> {
        let id = request.get("id").cloned();
        let method = request.get("method").and_then(Value::as_str).map(str::to_string);
        let Some(method) = method.filter(|_| request.get("jsonrpc").and_then(Value::as_str) == Some("2.0")) else {
            return Some(json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32600, "message": "invalid request: needs jsonrpc \"2.0\" and a method"}}));
        };
        let id = id?;
        let params = match request.get("params") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(items)) => items.clone(),
            Some(_) => {
                return Some(json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32602, "message": "params must be an array"}}));
            }
        };
        Some(match self.dispatch(&method, params).await {
            Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
            Err(e) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": e.code, "message": e.message}}),
        })
    }

    /// Runs one method.
    pub async fn dispatch(self: &Arc<Self>, method: &str, params: Vec<Value>) -> Result<Value, PeerError> {
        match method {
            "zgs_getStatus" => Ok(json!({
                "connectedPeers": self.peers.saturating_sub(1),
                "logSyncHeight": 0,
                "logSyncBlock": Root::ZERO,
            })),
            "zgs_getFileInfo" => {
                let root: Root = param(&params, 0, "data root")?;
                Ok(self.file_info(&root))
            }
            "zgs_uploadSegment" => {
                let segment: SegmentWithProof = param(&params, 0, "SegmentWithProof")?;
                self.check_submitted(&segment.root, segment.file_size)?;
                let this = self.clone();
                self.blocking(move || {
                    segment.verify().map_err(|e| PeerError::params(format!("segment refused: {e}")))?;
                    this.store.put_segment(&segment).map_err(store_error)
                })
                .await?;
                Ok(Value::Null)
            }
            "zgs_downloadSegmentWithProof" => {
                let root: Root = param(&params, 0, "data root")?;
                let index: SegmentIndex = param(&params, 1, "segment index")?;
                let this = self.clone();
                let segment = self.blocking(move || this.store.segment(&root, index).map_err(store_error)).await?;
                Ok(match segment {
                    Some(mut segment) => {
                        self.maybe_corrupt(&mut segment.data);
                        json!(segment)
                    }
                    None => Value::Null,
                })
            }
            "aloft_uploadShard" => {
                let shard: ShardWithProof = param(&params, 0, "ShardWithProof")?;
                self.upload_shard(shard).await.map(|()| Value::Null)
            }
            "aloft_downloadShard" => {
                let root: Root = param(&params, 0, "data root")?;
                let index: SegmentIndex = param(&params, 1, "segment index")?;
                let shard: ShardIndex = param(&params, 2, "shard index")?;
                Ok(self.download_shard(root, index, shard).await?.map_or(Value::Null, |s| json!(s)))
            }
            other => Err(PeerError { code: -32601, message: format!("the method {other} does not exist/is not available") }),
        }
    }

    /// `aloft_uploadShard`: checks the root was submitted and the shard's
    /// proof, then stores it (shared by JSON-RPC and binary frames).
    pub async fn upload_shard(self: &Arc<Self>, shard: ShardWithProof) -> Result<(), PeerError> {
        self.check_submitted(&shard.root, shard.file_size)?;
        let this = self.clone();
        self.blocking(move || {
            shard.verify().map_err(|e| PeerError::params(format!("shard refused: {e}")))?;
            this.store.put_shard(&shard).map_err(store_error)
        })
        .await
    }

    /// `aloft_downloadShard`: the stored shard (corrupted if the switch says so).
    pub async fn download_shard(
        self: &Arc<Self>,
        root: Root,
        index: SegmentIndex,
        shard: ShardIndex,
    ) -> Result<Option<ShardWithProof>, PeerError> {
        let this = self.clone();
        let found = self.blocking(move || this.store.shard(&root, index, shard).map_err(store_error)).await?;
        Ok(found.map(|mut shard| {
            self.maybe_corrupt(&mut shard.data);
            shard
        }))
    }

    /// The `offline` and `slow` switches for one request: `false` while
    /// offline (no answer), else after the configured delay.
    pub async fn admit(&self) -> bool {
        if self.offline() {
            return false;
        }
        if let Some(delay) = self.switches.storage_peer(self.id).map(|s| s.delay_ms()).filter(|d| *d > 0) {
            tokio::time::sleep(Duration::from_millis(delay)).await;
        }
        true
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, PeerError> + Send + 'static,
    ) -> Result<T, PeerError> {
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| PeerError { code: -32603, message: format!("storage task failed: {e}") })?
    }

    fn maybe_corrupt(&self, data: &mut [u8]) {
        if self.switches.storage_peer(self.id).is_some_and(|s| s.corrupt()) {
            if let Some(byte) = data.get_mut(data.len() / 2) {
                *byte ^= 0x5a;
            }
        }
    }

    fn check_submitted(&self, root: &Root, file_size: u64) -> Result<(), PeerError> {
        let Some(record) = self.log.submitted(root) else {
            return Err(PeerError {
                code: -32000,
                message: format!("root {root} was never submitted to the flow contract; submit the file first"),
            });
        };
        if record.size() != file_size {
            return Err(PeerError::params(format!(
                "fileSize {file_size} differs from the submitted length {} of root {root}",
                record.size()
            )));
        }
        Ok(())
    }

    /// 0G's `FileInfo` for a submitted root, `null` otherwise.
    fn file_info(&self, root: &Root) -> Value {
        let Some(record) = self.log.submitted(root) else { return Value::Null };
        let held = self.store.segments_held(root);
        let segments = FileLayout::new(record.size()).map(|l| l.data_segments()).unwrap_or(0);
        // 0G's `merkleNodes` are `(depth, root)` pairs with depth = height + 1.
        let nodes: Vec<Value> = record.submission.nodes.iter().map(|n| json!([n.height + 1, n.root])).collect();
        json!({
            "tx": {
                "streamIds": [],
                "data": [],
                "dataMerkleRoot": record.root,
                "merkleNodes": nodes,
                "startEntryIndex": record.start_entry_index,
                "size": record.size(),
                "seq": record.seq,
            },
            "finalized": held as u64 >= segments,
            "isCached": false,
            "uploadedSegNum": held,
        })
    }
}

fn store_error(e: StoreError) -> PeerError {
    match e {
        StoreError::CodingMismatch { .. } => PeerError { code: -32001, message: e.to_string() },
        other => PeerError { code: -32603, message: other.to_string() },
    }
}

async fn handle(State(state): State<Arc<PeerState>>, body: axum::body::Bytes) -> Response {
    if state.offline() {
        return (StatusCode::SERVICE_UNAVAILABLE, format!("storage peer {} is offline (devnet switch)", state.id))
            .into_response();
    }
    match state.answer(&body).await {
        Some(v) => Json(v).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    }
}

/// The peer's JSON-RPC route: `POST /`.
pub fn routes() -> Router<Arc<PeerState>> {
    Router::new().route("/", post(handle)).layer(axum::extract::DefaultBodyLimit::max(4 << 20))
}
