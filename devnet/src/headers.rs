//! The header API (default `http://127.0.0.1:26657`): what light clients
//! sync from. Every answer is JSON; binary formats travel as `0x` hex of the
//! encodings in `docs/protocol.md`.
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /status` | `chain_id`, `latest_height`, `latest_hash`, `latest_time`, `validators`, `block_time_ms` |
//! | `GET /light_block/{height\|latest}` | `height`, `hash`, `light_block` (encoded light block) |
//! | `GET /header/{height\|latest}` | `height`, `hash`, `header` (decoded), `encoded` |
//! | `GET /commit/{height\|latest}` | `height`, `block_hash`, `round`, `signers` (positions), `signature`, `encoded` |
//! | `GET /validators/{height\|latest}` | `height`, `hash`, `total_power`, `validators` (`address`, `public_key`, `power`), `encoded` |
//! | `GET /subscribe` (WebSocket) | one text message per new block: `{"height","hash","time"}`, the latest first |
//!
//! The same routes under `/witness/` are a second node, for clients to
//! cross-check against: it serves the honest chain except where validators
//! equivocated (`equivocate` switch). Errors: 400 for a height that does not
//! parse, 404 for one not produced yet, each with `{"error": "..."}`.

use std::sync::{Arc, Mutex};

use aloft_light_client::header::{BlockHash, Height, LightBlock, Timestamp};
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::sync::broadcast;

use crate::header_chain::{HeaderChain, View};

/// A new head, as announced to subscribers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Its height.
    pub height: Height,
    /// Its (honest) hash.
    pub hash: BlockHash,
    /// Its time.
    pub time: Timestamp,
}

/// The shared state behind the header API and the producer.
pub struct HeaderService {
    /// The chain.
    pub chain: Mutex<HeaderChain>,
    /// New heads.
    pub heads: broadcast::Sender<Head>,
    /// Milliseconds between blocks.
    pub block_time_ms: u64,
}

type Shared = (Arc<HeaderService>, View);

fn error(status: StatusCode, message: String) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Looks up a block by `{height|latest}` in a view; the error is the answer to send.
#[allow(clippy::result_large_err)]
fn block(service: &HeaderService, view: View, which: &str) -> Result<LightBlock, Response> {
    let mut chain = service
        .chain
        .lock()
        .map_err(|_| error(StatusCode::INTERNAL_SERVER_ERROR, "the chain is unavailable".into()))?;
    let height = if which == "latest" {
        chain.latest().ok_or_else(|| error(StatusCode::NOT_FOUND, "no block has been produced yet".into()))?
    } else {
        match which.parse::<u64>() {
            Ok(h) if h > 0 => Height(h),
            _ => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    format!("{which:?} is not a height: use a whole number ≥ 1 or \"latest\""),
                ));
            }
        }
    };
    chain.light_block(height, view).ok_or_else(|| {
        let latest = chain.latest().map_or(0, |h| h.0);
        error(StatusCode::NOT_FOUND, format!("no block at height {height} yet (latest is {latest})"))
    })
}

fn hex(bytes: &[u8]) -> String {
    format!("0x{}", hex::encode(bytes))
}

async fn status(State((service, view)): State<Shared>) -> Response {
    match block(&service, view, "latest") {
        Ok(b) => Json(json!({
            "chain_id": b.header.chain_id,
            "latest_height": b.height(),
            "latest_hash": b.hash(),
            "latest_time": b.time(),
            "validators": b.validators.len(),
            "block_time_ms": service.block_time_ms,
        }))
        .into_response(),
        Err(e) => e,
    }
}

async fn light_block(State((service, view)): State<Shared>, Path(which): Path<String>) -> Response {
    match block(&service, view, &which) {
        Ok(b) => Json(json!({ "height": b.height(), "hash": b.hash(), "light_block": hex(&b.encode()) })).into_response(),
        Err(e) => e,
    }
}

async fn header(State((service, view)): State<Shared>, Path(which): Path<String>) -> Response {
    match block(&service, view, &which) {
        Ok(b) => Json(json!({
            "height": b.height(),
            "hash": b.hash(),
            "header": b.header,
            "encoded": hex(&b.header.encode()),
        }))
        .into_response(),
        Err(e) => e,
    }
}

async fn commit(State((service, view)): State<Shared>, Path(which): Path<String>) -> Response {
    match block(&service, view, &which) {
        Ok(b) => Json(json!({
            "height": b.height(),
            "block_hash": b.commit.block_hash,
            "round": b.commit.round,
            "signers": b.commit.signers.signers().collect::<Vec<_>>(),
            "signature": hex(&b.commit.signature.to_bytes()),
            "encoded": hex(&b.commit.encode()),
        }))
        .into_response(),
        Err(e) => e,
    }
}

async fn validators(State((service, view)): State<Shared>, Path(which): Path<String>) -> Response {
    match block(&service, view, &which) {
        Ok(b) => {
            let list: Vec<Value> = b
                .validators
                .validators()
                .iter()
                .map(|v| json!({ "address": v.address(), "public_key": hex(&v.key_bytes), "power": v.power }))
                .collect();
            Json(json!({
                "height": b.height(),
                "hash": b.validators.hash(),
                "total_power": b.validators.total_power(),
                "validators": list,
                "encoded": hex(&b.validators.encode()),
            }))
            .into_response()
        }
        Err(e) => e,
    }
}

async fn subscribe(State((service, _)): State<Shared>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| feed(socket, service))
}

fn head_message(head: &Head) -> Message {
    Message::Text(json!({ "height": head.height, "hash": head.hash, "time": head.time }).to_string().into())
}

async fn feed(mut socket: WebSocket, service: Arc<HeaderService>) {
    let mut heads = service.heads.subscribe();
    let latest = service.chain.lock().ok().and_then(|mut c| {
        let h = c.latest()?;
        let b = c.honest(h)?;
        Some(Head { height: h, hash: b.hash(), time: b.time() })
    });
    if let Some(head) = latest {
        if socket.send(head_message(&head)).await.is_err() {
            return;
        }
    }
    loop {
        tokio::select! {
            head = heads.recv() => match head {
                Ok(head) => if socket.send(head_message(&head)).await.is_err() { return },
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(_)) => continue,
                _ => return,
            },
        }
    }
}

fn view_routes(service: Arc<HeaderService>, view: View) -> Router {
    Router::new()
        .route("/status", get(status))
        .route("/light_block/{which}", get(light_block))
        .route("/header/{which}", get(header))
        .route("/commit/{which}", get(commit))
        .route("/validators/{which}", get(validators))
        .route("/subscribe", get(subscribe))
        .with_state((service, view))
}

/// The HTTP router of the header API: the primary at `/`, a witness at `/witness/`.
pub fn router(service: Arc<HeaderService>) -> Router {
    view_routes(service.clone(), View::Primary)
        .nest("/witness", view_routes(service, View::Witness))
        .layer(axum::middleware::from_fn(crate::rpc::cors))
}
