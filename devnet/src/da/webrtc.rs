//! DA nodes over WebRTC data channels, on the devnet's shared connection
//! machinery ([`crate::webrtc`], the one the storage peers use).
//!
//! Signaling: `POST /nodes/{i}/webrtc` with the page's SDP offer, the SDP
//! answer back. On the channel every message is a JSON-RPC 2.0 request for a
//! `GET` of the node's HTTP API (`docs/protocol.md`, "DA node HTTP API"):
//! `{"jsonrpc":"2.0","id":N,"method":"da_get","params":["/da/v1/blocks/H/cells?samples=…"]}`.
//! The answer carries the HTTP body in base64, `{"jsonrpc":"2.0","id":N,"result":"…"}`,
//! or `{"jsonrpc":"2.0","id":N,"error":{"code":STATUS,"message":"…"}}` for a
//! status other than 200. The request runs through the node's HTTP router
//! in-process, so the answers, and every switch (offline, slow, corrupt,
//! withhold, wrong commitments), are the same on both transports.

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine as _;
use serde_json::{Value, json};
use tower::ServiceExt as _;

use super::DaNetwork;
use crate::webrtc::{ChannelService, Connections, MAX_CONNECTIONS, Message, Reply};

/// The largest answer body sent over a channel: its base64 stays under the
/// 256 KiB data-channel message limit.
const MAX_BODY: usize = 180 * 1024;

/// One DA node as a data-channel service.
pub struct DaNode {
    node: usize,
    net: Arc<DaNetwork>,
    http: Router,
    connections: Connections,
}

impl ChannelService for DaNode {
    fn label(&self) -> String {
        format!("DA node {}", self.node)
    }
    fn offline(&self) -> bool {
        self.net.switches.node(self.node).offline
    }
    /// Text and binary messages alike are JSON-RPC texts to a DA node.
    async fn answer(self: Arc<Self>, message: Message) -> Option<Reply> {
        Some(Reply::Text(self.answer_text(&message.data).await.to_string().into_bytes()))
    }
    fn connections(&self) -> &Connections {
        &self.connections
    }
}

fn error(id: &Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

impl DaNode {
    async fn answer_text(&self, message: &[u8]) -> Value {
        let request: Value = match serde_json::from_slice(message) {
            Ok(v) => v,
            Err(e) => return error(&Value::Null, -32700, format!("parse error: {e}")),
        };
        let id = request.get("id").cloned().unwrap_or(Value::Null);
        if request.get("method").and_then(Value::as_str) != Some("da_get") {
            return error(&id, -32601, "the only method is da_get");
        }
        let Some(path) = request.pointer("/params/0").and_then(Value::as_str) else {
            return error(&id, -32602, "params must be [path], e.g. [\"/da/v1/head\"]");
        };
        if !path.starts_with("/da/v1/") || path.contains("..") || path.contains('#') {
            return error(&id, -32602, format!("{path:?} is not a path of the DA node API"));
        }
        let uri = format!("/nodes/{}{path}", self.node);
        let Ok(req) = Request::builder().method(Method::GET).uri(&uri).body(Body::empty()) else {
            return error(&id, -32602, format!("{path:?} is not a valid path"));
        };
        let Ok(res) = self.http.clone().oneshot(req).await;
        let status = res.status();
        let body = match axum::body::to_bytes(res.into_body(), MAX_BODY).await {
            Ok(b) => b,
            Err(_) => return error(&id, 413, format!("the answer exceeds {MAX_BODY} bytes; ask for fewer samples")),
        };
        if status != StatusCode::OK {
            return error(&id, i64::from(status.as_u16()), String::from_utf8_lossy(&body).into_owned());
        }
        json!({"jsonrpc": "2.0", "id": id, "result": base64::engine::general_purpose::STANDARD.encode(&body)})
    }
}

/// Every node's channel service; dropping it closes their connections.
pub struct DaChannels {
    nodes: Vec<Arc<DaNode>>,
    ip: IpAddr,
}

impl Drop for DaChannels {
    fn drop(&mut self) {
        for n in &self.nodes {
            n.connections.abort_all();
        }
    }
}

async fn signal(State(channels): State<Arc<DaChannels>>, Path(node): Path<usize>, body: String) -> Response {
    let Some(service) = channels.nodes.get(node).cloned() else {
        return (StatusCode::NOT_FOUND, format!("there are {} DA nodes; {node} is not one", channels.nodes.len())).into_response();
    };
    crate::webrtc::signal(service, channels.ip, &body, MAX_CONNECTIONS * channels.nodes.len().max(1)).await
}

/// `http` (the DA nodes' HTTP router) with `POST /nodes/{i}/webrtc` added;
/// the [`DaChannels`] must live as long as the nodes serve (connections are
/// closed when it drops). `ip` is the address the nodes' UDP sockets bind.
pub fn with_channels(net: Arc<DaNetwork>, http: Router, ip: IpAddr) -> (Router, Arc<DaChannels>) {
    let nodes = (0..net.nodes)
        .map(|node| Arc::new(DaNode { node, net: net.clone(), http: http.clone(), connections: Connections::default() }))
        .collect();
    let channels = Arc::new(DaChannels { nodes, ip });
    let signaling = Router::new()
        .route("/nodes/{node}/webrtc", post(signal))
        .with_state(channels.clone())
        .layer(axum::middleware::from_fn(crate::rpc::cors));
    (http.merge(signaling), channels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::da::{DaStore, DaSwitches};

    fn node() -> (Arc<DaNode>, Arc<DaNetwork>) {
        let switches = Arc::new(DaSwitches::new(2));
        let net = Arc::new(DaNetwork::new(2, DaStore::open(None, 4).unwrap(), switches, Default::default()));
        let (_, channels) = with_channels(net.clone(), crate::da::http::router(net.clone()), [127, 0, 0, 1].into());
        (channels.nodes[1].clone(), net)
    }

    async fn ask(node: &DaNode, text: &str) -> Value {
        node.answer_text(text.as_bytes()).await
    }

    #[tokio::test]
    async fn channel_requests_go_through_the_http_api_and_bad_ones_get_json_rpc_errors() {
        let (node, net) = node();
        assert_eq!(ask(&node, "{").await["error"]["code"], -32700);
        assert_eq!(ask(&node, r#"{"jsonrpc":"2.0","id":1,"method":"zgs_getStatus","params":[]}"#).await["error"]["code"], -32601);
        assert_eq!(ask(&node, r#"{"jsonrpc":"2.0","id":2,"method":"da_get","params":[]}"#).await["error"]["code"], -32602);
        let outside = ask(&node, r#"{"jsonrpc":"2.0","id":3,"method":"da_get","params":["/switches/da.all.offline"]}"#).await;
        assert_eq!(outside["error"]["code"], -32602);
        // The HTTP API's own answers: no block yet is 404, with its sentence, under the request's id.
        let head = ask(&node, r#"{"jsonrpc":"2.0","id":4,"method":"da_get","params":["/da/v1/head"]}"#).await;
        assert_eq!(head["id"], 4);
        assert_eq!(head["error"]["code"], 404);
        assert_eq!(head["error"]["message"], "no DA block yet");
        let bad = ask(&node, r#"{"jsonrpc":"2.0","id":5,"method":"da_get","params":["/da/v1/blocks/1/cells?samples=0.200"]}"#).await;
        assert!(bad["error"]["code"] == 404 || bad["error"]["code"] == 400, "{bad}");
        // Switches apply: an offline node answers 503 on the channel too and refuses signaling.
        net.switches.set("1.offline", &json!(true)).unwrap();
        assert!(node.offline());
        assert_eq!(ask(&node, r#"{"jsonrpc":"2.0","id":6,"method":"da_get","params":["/da/v1/head"]}"#).await["error"]["code"], 503);
    }
}
