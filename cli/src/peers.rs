//! A blocking JSON-RPC client for the devnet's storage peers, shared by
//! `aloft upload` and `aloft download`. (Roots are registered on chain by a
//! signed `Flow.submit`, [`crate::flow`]; the peers learn them from there.)

use std::time::Duration;

use aloft_light_client::storage::{Root, SegmentIndex, ShardIndex, ShardWithProof};
use anyhow::{Context, anyhow, bail};
use serde_json::{Value, json};

/// Talks to one devnet: its control API and its storage peers.
#[derive(Clone, Debug)]
pub struct Devnet {
    agent: ureq::Agent,
    /// The peers' URLs, in placement order.
    pub peers: Vec<String>,
}

/// How a peer call failed: the peer is unreachable or erred, or it refused.
#[derive(Debug)]
pub enum CallError {
    /// Connection refused, timeout, HTTP error (an offline peer answers 503).
    Unreachable(String),
    /// A JSON-RPC error answer: the peer refused the request.
    Refused {
        /// The JSON-RPC code.
        code: i64,
        /// The peer's sentence.
        message: String,
    },
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::Unreachable(why) => write!(f, "unreachable: {why}"),
            CallError::Refused { code, message } => write!(f, "refused ({code}): {message}"),
        }
    }
}

impl Devnet {
    /// Connects to the devnet whose control API is at `control`; asks it for
    /// the peers unless `peers` lists them.
    pub fn connect(control: &str, peers: Option<Vec<String>>) -> anyhow::Result<Self> {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(20)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        let control = control.trim_end_matches('/').to_string();
        let peers = match peers {
            Some(peers) => peers,
            None => {
                let mut res = agent
                    .get(&format!("{control}/storage/peers"))
                    .call()
                    .with_context(|| format!("cannot reach the devnet control API at {control}"))?;
                if res.status() != 200 {
                    bail!("{control}/storage/peers answered HTTP {}", res.status());
                }
                res.body_mut().read_json().context("the devnet's peer list is not JSON")?
            }
        };
        if peers.is_empty() {
            bail!("the devnet runs no storage peers");
        }
        Ok(Self { agent, peers })
    }

    /// One JSON-RPC call to peer `peer`.
    pub fn call(&self, peer: usize, method: &str, params: Value) -> Result<Value, CallError> {
        let url = self.peers.get(peer).ok_or_else(|| CallError::Unreachable(format!("no peer {peer}")))?;
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let mut res = self.agent.post(url).send_json(&body).map_err(|e| CallError::Unreachable(e.to_string()))?;
        if res.status() != 200 {
            let text = res.body_mut().read_to_string().unwrap_or_default();
            return Err(CallError::Unreachable(format!("HTTP {}: {text}", res.status())));
        }
        let mut answer: Value = res
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_json()
            .map_err(|e| CallError::Unreachable(format!("bad answer: {e}")))?;
        if let Some(error) = answer.get("error") {
            return Err(CallError::Refused {
                code: error["code"].as_i64().unwrap_or(0),
                message: error["message"].as_str().unwrap_or("no message").to_string(),
            });
        }
        Ok(answer["result"].take())
    }

    /// Uploads one shard to its peer.
    pub fn upload_shard(&self, peer: usize, shard: &ShardWithProof) -> Result<(), CallError> {
        self.call(peer, "aloft_uploadShard", json!([shard])).map(|_| ())
    }

    /// Downloads one shard; `Ok(None)` when the peer does not hold it.
    pub fn download_shard(
        &self,
        peer: usize,
        root: &Root,
        index: SegmentIndex,
        shard: ShardIndex,
    ) -> Result<Option<ShardWithProof>, CallError> {
        let result = self.call(peer, "aloft_downloadShard", json!([root, index, shard]))?;
        if result.is_null() {
            return Ok(None);
        }
        serde_json::from_value(result).map(Some).map_err(|e| CallError::Unreachable(format!("bad shard: {e}")))
    }

    /// The file length a peer reports for `root` (0G's `FileInfo.tx.size`).
    pub fn file_size(&self, root: &Root) -> anyhow::Result<u64> {
        let mut last = None;
        for peer in 0..self.peers.len() {
            match self.call(peer, "zgs_getFileInfo", json!([root])) {
                Ok(Value::Null) => bail!("root {root} was never submitted: no peer knows it"),
                Ok(info) => {
                    return info["tx"]["size"].as_u64().ok_or_else(|| anyhow!("peer {peer} sent a FileInfo without a size"));
                }
                Err(e) => last = Some(e),
            }
        }
        bail!("no storage peer answered: {}", last.map(|e| e.to_string()).unwrap_or_default())
    }
}
