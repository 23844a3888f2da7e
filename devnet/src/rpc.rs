//! The EVM JSON-RPC endpoint, in the shapes wallets and dapps expect.
//!
//! The dispatcher ([`dispatch`]) is a plain function from a request to a
//! response, tested without sockets; [`router`] puts it behind HTTP with CORS
//! open, because the wallet's service worker and web pages call it from other
//! origins.
//!
//! Answered here: `web3_clientVersion`, `eth_chainId`, `net_version`,
//! `net_listening`, `eth_accounts`; every other `eth_*` method goes to the
//! execution layer ([`crate::eth`]).

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::control::Switches;
use crate::evm::ExecutionLayer;
use crate::genesis::Genesis;

/// What the RPC needs to answer.
#[derive(Debug)]
pub struct RpcState {
    /// The chain's genesis.
    pub genesis: Genesis,
    /// Misbehaviour switches, shared with the control API.
    pub switches: Arc<Switches>,
    /// The EVM and its blocks.
    pub evm: Arc<ExecutionLayer>,
}

/// A JSON-RPC 2.0 request.
#[derive(Debug, Deserialize)]
pub struct Request {
    /// Must be `"2.0"`.
    #[serde(default)]
    pub jsonrpc: Option<String>,
    /// Echoed back; absent for notifications.
    #[serde(default)]
    pub id: Option<Value>,
    /// The method name.
    pub method: String,
    /// Positional parameters.
    #[serde(default)]
    pub params: Option<Value>,
}

/// A JSON-RPC 2.0 error object.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RpcError {
    /// The code: -32700 parse, -32600 invalid request, -32601 no method, -32602 bad params.
    pub code: i64,
    /// What went wrong, in the words common clients expect.
    pub message: String,
    /// Extra data (the revert data of a reverted call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
}

impl RpcError {
    /// -32602: the parameters are wrong.
    pub fn invalid_params(message: impl Into<String>) -> Self {
        Self { code: -32602, message: message.into(), data: None }
    }

    /// -32000: the server refused (geth's code for state and pool errors).
    pub fn server(message: impl Into<String>) -> Self {
        Self { code: -32000, message: message.into(), data: None }
    }
}

/// Answers one request: `Ok(result)` or the error object.
pub fn dispatch(state: &RpcState, req: &Request) -> Result<Value, RpcError> {
    if req.jsonrpc.as_deref() != Some("2.0") {
        return Err(RpcError { code: -32600, message: "invalid request: jsonrpc must be \"2.0\"".into(), data: None });
    }
    let params = match &req.params {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.clone(),
        Some(_) => return Err(RpcError::invalid_params("params must be an array")),
    };
    let chain_id = state.genesis.chain_id;
    match req.method.as_str() {
        "web3_clientVersion" => Ok(json!(format!("aloft-devnet/{}", env!("CARGO_PKG_VERSION")))),
        "eth_chainId" => Ok(json!(format!("{chain_id:#x}"))),
        "net_version" => Ok(json!(chain_id.to_string())),
        "net_listening" => Ok(json!(true)),
        "eth_accounts" => Ok(json!(state.genesis.accounts.iter().map(|a| a.address).collect::<Vec<_>>())),
        other => crate::eth::dispatch(&state.evm, other, &params).unwrap_or_else(|| {
            Err(RpcError {
                code: -32601,
                message: format!("the method {other} does not exist/is not available"),
                data: None,
            })
        }),
    }
}

fn answer(state: &RpcState, body: Value) -> Option<Value> {
    let id = body.get("id").cloned();
    let request: Request = match serde_json::from_value(body) {
        Ok(r) => r,
        Err(e) => {
            return Some(json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32600, "message": format!("invalid request: {e}")}}));
        }
    };
    let id = request.id.clone()?;
    Some(match dispatch(state, &request) {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(error) => json!({"jsonrpc": "2.0", "id": id, "error": error}),
    })
}

async fn handle(State(state): State<Arc<RpcState>>, body: axum::body::Bytes) -> Response {
    if state.switches.rpc_offline() {
        return (StatusCode::SERVICE_UNAVAILABLE, "rpc offline (devnet switch rpc_offline)").into_response();
    }
    let delay = state.switches.rpc_delay_ms();
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let parsed: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return Json(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("parse error: {e}")}}))
                .into_response();
        }
    };
    match parsed {
        Value::Array(batch) if batch.is_empty() => {
            Json(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32600, "message": "empty batch"}}))
                .into_response()
        }
        Value::Array(batch) => {
            let mut answers = Vec::with_capacity(batch.len());
            for item in batch {
                let sends = is_send(&item);
                let proof = is_proof(&item);
                if let Some(mut v) = answer(&state, item) {
                    if proof {
                        lie(&state, &mut v);
                    }
                    if sends {
                        await_block(&state, &v).await;
                    }
                    answers.push(v);
                }
            }
            Json(Value::Array(answers)).into_response()
        }
        single => {
            let sends = is_send(&single);
            let proof = is_proof(&single);
            match answer(&state, single) {
                Some(mut v) => {
                    if proof {
                        lie(&state, &mut v);
                    }
                    if sends {
                        await_block(&state, &v).await;
                    }
                    Json(v).into_response()
                }
                None => StatusCode::NO_CONTENT.into_response(),
            }
        }
    }
}

fn is_proof(request: &Value) -> bool {
    request.get("method").and_then(Value::as_str) == Some("eth_getProof")
}

/// With the `lying_rpc` switch on, `eth_getProof` claims a balance one
/// ether higher than its proof shows (a light client must refuse it).
fn lie(state: &RpcState, answer: &mut Value) {
    if !state.switches.faults().has(crate::header_chain::Faults::LYING_RPC) {
        return;
    }
    if let Some(balance) = answer.pointer_mut("/result/balance") {
        let claimed = balance
            .as_str()
            .and_then(|b| u128::from_str_radix(b.trim_start_matches("0x"), 16).ok())
            .map_or(0, |b| b.saturating_add(1_000_000_000_000_000_000));
        *balance = json!(format!("{claimed:#x}"));
    }
}

fn is_send(request: &Value) -> bool {
    request.get("method").and_then(Value::as_str) == Some("eth_sendRawTransaction")
}

/// An accepted transaction is answered once the block producer has sealed
/// it (it is woken at once), so its receipt is there when the hash arrives,
/// as with Anvil's automine.
async fn await_block(state: &RpcState, answer: &Value) {
    let Some(hash) = answer.get("result").and_then(Value::as_str).and_then(|h| h.parse().ok()) else { return };
    state.evm.wait_mined(hash, Duration::from_secs(10)).await;
}

/// Adds the CORS headers every answer carries, and answers preflights.
pub(crate) async fn cors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = if req.method() == Method::OPTIONS {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, POST, PUT, OPTIONS"));
    h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("content-type"));
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    res
}

/// `GET /contracts`: the genesis contracts' addresses and ABIs.
async fn contracts() -> Response {
    let abis: serde_json::Map<String, Value> = ["AgentVerifier", "AgentNFT", "Flow"]
        .into_iter()
        .filter_map(|name| crate::contracts::abi(name).map(|abi| (name.to_string(), abi)))
        .collect();
    Json(json!({"addresses": crate::contracts::addresses(), "abis": abis})).into_response()
}

/// The HTTP router of the JSON-RPC endpoint (`POST /`) and `GET /contracts`.
pub fn router(state: Arc<RpcState>) -> Router {
    Router::new()
        .route("/", post(handle))
        .route("/contracts", axum::routing::get(contracts))
        .with_state(state)
        .layer(axum::middleware::from_fn(cors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn state() -> RpcState {
        let config = Config { accounts: 2, ..Config::default() };
        let genesis = Genesis::from_config(&config).unwrap();
        let evm = crate::evm_for(&genesis, None, crate::evm::Mining::Auto).unwrap();
        RpcState { genesis, switches: Arc::default(), evm: Arc::new(evm) }
    }

    fn call(method: &str, params: Value) -> Result<Value, RpcError> {
        let req: Request =
            serde_json::from_value(json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})).unwrap();
        dispatch(&state(), &req)
    }

    #[test]
    fn chain_id_and_net_version_agree() {
        assert_eq!(call("eth_chainId", json!([])).unwrap(), json!("0x7a69"));
        assert_eq!(call("net_version", json!([])).unwrap(), json!("31337"));
    }

    #[test]
    fn genesis_balances_are_served() {
        let s = state();
        let funded = s.genesis.accounts[0].address.to_string();
        let balance = call("eth_getBalance", json!([funded, "latest"])).unwrap();
        assert_eq!(balance, json!("0x21e19e0c9bab2400000"), "10,000 ether");
        let nobody = call("eth_getBalance", json!(["0x0000000000000000000000000000000000000001"])).unwrap();
        assert_eq!(nobody, json!("0x0"));
    }

    #[test]
    fn bad_requests_get_the_codes_clients_expect() {
        assert_eq!(call("eth_nope", json!([])).unwrap_err().code, -32601);
        assert_eq!(call("eth_getBalance", json!([])).unwrap_err().code, -32602);
        assert_eq!(call("eth_getBalance", json!(["0x12"])).unwrap_err().code, -32602);
        assert_eq!(call("eth_getBalance", json!([{"a": 1}])).unwrap_err().code, -32602);
        let future = call("eth_getBalance", json!(["0x0000000000000000000000000000000000000001", "0x5"]));
        assert_eq!(future.unwrap_err().message, "header not found");
        let no_version: Request = serde_json::from_value(json!({"id": 1, "method": "eth_chainId"})).unwrap();
        assert_eq!(dispatch(&state(), &no_version).unwrap_err().code, -32600);
    }

    #[test]
    fn notifications_get_no_answer_and_garbage_gets_an_error() {
        let s = state();
        assert!(answer(&s, json!({"jsonrpc": "2.0", "method": "eth_chainId"})).is_none());
        let bad = answer(&s, json!({"jsonrpc": "2.0", "id": 3, "method": 7})).unwrap();
        assert_eq!(bad["error"]["code"], json!(-32600));
        assert_eq!(bad["id"], json!(3));
    }
}
