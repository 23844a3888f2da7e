//! The DA nodes' HTTP API (`docs/protocol.md`, "DA node HTTP API"): one
//! listener, node `i` under `/nodes/{i}`, each node applying its switches.

use std::sync::Arc;
use std::time::Duration;

use aloft_light_client::da::wire::{encode_cells_response, parse_samples_query};
use aloft_light_client::da::CommitmentList;
use aloft_light_client::kzg::Commitment;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::switches::{Corrupt, NodeSwitches};
use super::{DaBlock, DaNetwork};

type Net = State<Arc<DaNetwork>>;

/// A refusal: a status and a sentence (small, unlike a built `Response`).
type Refusal = (StatusCode, String);

fn refuse(status: StatusCode, msg: impl Into<String>) -> Refusal {
    (status, msg.into())
}

/// Applies node `node`'s switches: unknown node 404, offline 503, delay.
async fn gate(net: &DaNetwork, node: usize) -> Result<NodeSwitches, Refusal> {
    if node >= net.nodes {
        return Err(refuse(StatusCode::NOT_FOUND, format!("there are {} DA nodes; {node} is not one", net.nodes)));
    }
    let s = net.switches.node(node);
    if s.offline {
        return Err(refuse(StatusCode::SERVICE_UNAVAILABLE, format!("DA node {node} is offline (control switch)")));
    }
    if s.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(s.delay_ms)).await;
    }
    Ok(s)
}

fn summary(b: &DaBlock) -> serde_json::Value {
    json!({"height": b.height, "root": b.root, "blobs": b.commitments.len()})
}

/// The commitment list node `s` serves for `b`: the block's own, or the
/// `commitments` switch's lie about it.
fn served_commitments(b: &DaBlock, s: &NodeSwitches) -> Vec<Commitment> {
    s.commitments.and_then(|w| w.apply(b.height, &b.commitments)).unwrap_or_else(|| b.commitments.clone())
}

/// A block's summary as node `s` tells it: a node lying about the list
/// names the lie's root, so a client that believed summaries would be fooled.
fn served_summary(b: &DaBlock, s: &NodeSwitches) -> serde_json::Value {
    match s.commitments.and_then(|w| w.apply(b.height, &b.commitments)) {
        Some(lie) => {
            let root = aloft_light_client::da::commitments_root(&lie).unwrap_or(b.root);
            json!({"height": b.height, "root": root, "blobs": lie.len()})
        }
        None => summary(b),
    }
}

fn block_or_404(net: &DaNetwork, height: u64) -> Result<Arc<DaBlock>, Refusal> {
    net.block(height).ok_or_else(|| refuse(StatusCode::NOT_FOUND, format!("no DA block at height {height} (not sealed yet, or pruned)")))
}

async fn head(State(net): Net, Path(node): Path<usize>) -> Response {
    let switches = match gate(&net, node).await {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    match net.store.head() {
        Some(b) => Json(served_summary(&b, &switches)).into_response(),
        None => refuse(StatusCode::NOT_FOUND, "no DA block yet").into_response(),
    }
}

async fn block(State(net): Net, Path((node, height)): Path<(usize, u64)>) -> Response {
    let switches = match gate(&net, node).await {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    match block_or_404(&net, height) {
        Ok(b) => Json(served_summary(&b, &switches)).into_response(),
        Err(r) => r.into_response(),
    }
}

async fn commitments(State(net): Net, Path((node, height)): Path<(usize, u64)>) -> Response {
    let switches = match gate(&net, node).await {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    match block_or_404(&net, height) {
        Ok(b) => Json(CommitmentList { commitments: served_commitments(&b, &switches) }).into_response(),
        Err(r) => r.into_response(),
    }
}

#[derive(Deserialize)]
struct CellsQuery {
    samples: String,
}

async fn cells(State(net): Net, Path((node, height)): Path<(usize, u64)>, Query(q): Query<CellsQuery>) -> Response {
    let switches = match gate(&net, node).await {
        Ok(s) => s,
        Err(r) => return r.into_response(),
    };
    let b = match block_or_404(&net, height) {
        Ok(b) => b,
        Err(r) => return r.into_response(),
    };
    let samples = match parse_samples_query(&q.samples) {
        Ok(s) => s,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let mut records = Vec::with_capacity(samples.len());
    for s in &samples {
        let Some((cells, proofs)) = b.cells.get(usize::from(s.blob)) else {
            return refuse(StatusCode::BAD_REQUEST, format!("block {height} has {} blobs; {} is not one", b.cells.len(), s.blob)).into_response();
        };
        if switches.withhold.is_some_and(|w| w.covers(s.blob, s.cell)) {
            records.push(None);
            continue;
        }
        let c = usize::from(s.cell);
        let mut cell = cells[c].clone();
        let mut proof = proofs[c];
        match switches.corrupt {
            Corrupt::None => {}
            Corrupt::Cell => {
                let mut bytes = cell.as_bytes().to_vec();
                bytes[100] ^= 1;
                if let Ok(bad) = aloft_light_client::kzg::Cell::from_bytes(&bytes) {
                    cell = bad;
                }
            }
            Corrupt::Proof => proof = proofs[(c + 1) % proofs.len()],
        }
        records.push(Some((cell, proof)));
    }
    let refs: Vec<_> = records.iter().map(|r| r.as_ref().map(|(c, p)| (c, p))).collect();
    ([(header::CONTENT_TYPE, "application/octet-stream")], encode_cells_response(&refs)).into_response()
}

async fn submit(State(net): Net, body: axum::body::Bytes) -> Response {
    match net.submit(&body).await {
        Ok(b) => Json(summary(&b)).into_response(),
        Err(e) => refuse(StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

/// The DA nodes' router.
pub fn router(net: Arc<DaNetwork>) -> Router {
    Router::new()
        .route("/nodes/{node}/da/v1/head", get(head))
        .route("/nodes/{node}/da/v1/blocks/{height}", get(block))
        .route("/nodes/{node}/da/v1/blocks/{height}/commitments", get(commitments))
        .route("/nodes/{node}/da/v1/blocks/{height}/cells", get(cells))
        .route("/da/v1/blobs", post(submit))
        .layer(axum::extract::DefaultBodyLimit::max(aloft_light_client::da::packing::MAX_PAYLOAD_BYTES + 1024))
        .with_state(net)
        .layer(axum::middleware::from_fn(crate::rpc::cors))
}
