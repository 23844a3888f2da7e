//! EIP-1193 request routing: what the wallet answers itself, what it forwards
//! to the network's RPC, and what it refuses, with EIP-1193 error codes.
//!
//! Sans-IO: [`Provider::route`] returns a [`Route`]; when it is
//! [`Route::Forward`], the caller sends the JSON-RPC body and hands the reply
//! to [`interpret_reply`]. Both halves are tested here without a network.
//!
//! Only read-only methods are forwarded. Anything that signs, reveals
//! accounts or changes wallet state is answered by the wallet itself, and a
//! method the wallet does not know is refused with 4200 rather than passed to
//! an RPC that might do something unexpected with it.

use serde::Serialize;
use serde_json::{Value, json};

use crate::network::Network;

/// An EIP-1193 / JSON-RPC error as the page sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message} (code {code})")]
pub struct ProviderError {
    /// EIP-1193 code (4001, 4100, 4200, 4900, 4901, 4902) or JSON-RPC code.
    pub code: i64,
    /// What happened and, where it helps, what to do.
    pub message: String,
}

impl ProviderError {
    /// EIP-1193 4001: the user rejected the request.
    pub const USER_REJECTED: i64 = 4001;
    /// EIP-1193 4100: the origin or account is not authorized.
    pub const UNAUTHORIZED: i64 = 4100;
    /// EIP-1193 4901: not connected to the requested chain.
    pub const CHAIN_DISCONNECTED: i64 = 4901;
    /// EIP-1193 / EIP-3326 4902: unrecognized chain id.
    pub const UNRECOGNIZED_CHAIN: i64 = 4902;
    /// EIP-1193 4200: the provider does not support the method.
    pub const UNSUPPORTED_METHOD: i64 = 4200;
    /// EIP-1193 4900: the provider is disconnected from all chains.
    pub const DISCONNECTED: i64 = 4900;
    /// JSON-RPC -32600: the request object is not valid.
    pub const INVALID_REQUEST: i64 = -32600;
    /// JSON-RPC -32602: invalid method parameters.
    pub const INVALID_PARAMS: i64 = -32602;
    /// JSON-RPC -32603: internal error (here: the RPC answered nonsense).
    pub const INTERNAL: i64 = -32603;

    /// An error with `code` and `message`.
    pub fn new(code: i64, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

/// A parsed EIP-1193 request: `{ method, params? }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The method name.
    pub method: String,
    /// Parameters: an array, an object, or absent (empty array).
    pub params: Value,
}

impl Request {
    /// Validates a request object as a page passes it to `provider.request`.
    pub fn from_json(value: &Value) -> Result<Self, ProviderError> {
        let object = value.as_object().ok_or_else(|| {
            ProviderError::new(ProviderError::INVALID_REQUEST, "the request must be an object like { method, params }")
        })?;
        let method = match object.get("method") {
            Some(Value::String(m)) if !m.is_empty() => m.clone(),
            _ => {
                return Err(ProviderError::new(
                    ProviderError::INVALID_REQUEST,
                    "the request's method must be a non-empty string",
                ));
            }
        };
        let params = match object.get("params") {
            None | Some(Value::Null) => Value::Array(Vec::new()),
            Some(p @ (Value::Array(_) | Value::Object(_))) => p.clone(),
            Some(_) => {
                return Err(ProviderError::new(
                    ProviderError::INVALID_PARAMS,
                    "the request's params must be an array or an object",
                ));
            }
        };
        Ok(Self { method, params })
    }
}

/// What to do with a request.
#[derive(Debug, Clone, PartialEq)]
pub enum Route {
    /// Answer the page with this result now.
    Answer(Value),
    /// Send this JSON-RPC body to the network's RPC and interpret the reply.
    Forward {
        /// The RPC endpoint.
        url: String,
        /// The JSON-RPC 2.0 request body.
        body: Value,
    },
    /// Refuse with this error.
    Refuse(ProviderError),
}

/// Methods that only read chain state, safe to forward to the selected RPC.
const READ_ONLY: &[&str] = &[
    "eth_blockNumber",
    "eth_call",
    "eth_estimateGas",
    "eth_feeHistory",
    "eth_gasPrice",
    "eth_getBalance",
    "eth_getBlockByHash",
    "eth_getBlockByNumber",
    "eth_getCode",
    "eth_getLogs",
    "eth_getProof",
    "eth_getStorageAt",
    "eth_getTransactionByHash",
    "eth_getTransactionCount",
    "eth_getTransactionReceipt",
    "eth_maxPriorityFeePerGas",
    "web3_clientVersion",
];

/// The provider's state: for now, the selected network.
#[derive(Debug, Clone)]
pub struct Provider {
    network: Network,
}

impl Provider {
    /// A provider on `network`.
    pub fn new(network: Network) -> Self {
        Self { network }
    }

    /// The selected network.
    pub fn network(&self) -> &Network {
        &self.network
    }

    /// Decides what to do with `request` from `origin` (the browser's sender
    /// origin; it will key per-origin permissions).
    pub fn route(&self, _origin: &str, request: &Request) -> Route {
        match request.method.as_str() {
            "eth_chainId" => Route::Answer(json!(self.network.chain_id.to_hex())),
            "net_version" => Route::Answer(json!(self.network.chain_id.0.to_string())),
            // No account is exposed to any origin until the wallet has keys and
            // the user has connected that origin.
            "eth_accounts" => Route::Answer(json!([])),
            m if READ_ONLY.contains(&m) => Route::Forward {
                url: self.network.rpc_url.clone(),
                body: json!({"jsonrpc": "2.0", "id": 1, "method": m, "params": request.params}),
            },
            m => Route::Refuse(ProviderError::new(
                ProviderError::UNSUPPORTED_METHOD,
                format!("Aloft does not support the method {m}"),
            )),
        }
    }
}

/// Turns the RPC's HTTP reply into the page's answer.
///
/// `status` is the HTTP status, `body` the raw reply. The RPC is not trusted
/// to be well-formed: anything that is not a JSON-RPC answer becomes a
/// -32603 error that names the problem, and an unreachable or failing RPC
/// becomes 4900 (disconnected).
pub fn interpret_reply(status: u16, body: &[u8]) -> Result<Value, ProviderError> {
    if !(200..300).contains(&status) {
        return Err(ProviderError::new(
            ProviderError::DISCONNECTED,
            format!("the network's RPC answered HTTP {status}; is the node running?"),
        ));
    }
    let reply: Value = serde_json::from_slice(body).map_err(|e| {
        ProviderError::new(ProviderError::INTERNAL, format!("the network's RPC sent a reply that is not JSON: {e}"))
    })?;
    if let Some(error) = reply.get("error") {
        let code = error.get("code").and_then(Value::as_i64).unwrap_or(ProviderError::INTERNAL);
        let message = error.get("message").and_then(Value::as_str).unwrap_or("the RPC reported an error").to_string();
        return Err(ProviderError { code, message });
    }
    reply.get("result").cloned().ok_or_else(|| {
        ProviderError::new(ProviderError::INTERNAL, "the network's RPC sent a reply with neither result nor error")
    })
}

/// The error for an RPC that could not be reached at all.
pub fn unreachable(url: &str, cause: &str) -> ProviderError {
    ProviderError::new(ProviderError::DISCONNECTED, format!("cannot reach the network's RPC at {url}: {cause}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(request: Value) -> Route {
        let provider = Provider::new(Network::devnet());
        match Request::from_json(&request) {
            Ok(r) => provider.route("https://dapp.example", &r),
            Err(e) => Route::Refuse(e),
        }
    }

    #[test]
    fn chain_id_is_answered_locally() {
        assert_eq!(route(json!({"method": "eth_chainId"})), Route::Answer(json!("0x7a69")));
        assert_eq!(route(json!({"method": "net_version", "params": []})), Route::Answer(json!("31337")));
    }

    #[test]
    fn no_origin_sees_accounts_before_connecting() {
        assert_eq!(route(json!({"method": "eth_accounts"})), Route::Answer(json!([])));
    }

    #[test]
    fn read_only_methods_go_to_the_rpc() {
        let r = route(json!({"method": "eth_getBalance", "params": ["0x01", "latest"]}));
        let Route::Forward { url, body } = r else { panic!("expected a forward, got {r:?}") };
        assert_eq!(url, "http://127.0.0.1:8545");
        assert_eq!(body["method"], json!("eth_getBalance"));
        assert_eq!(body["params"], json!(["0x01", "latest"]));
    }

    #[test]
    fn unknown_and_malformed_requests_are_refused_with_their_codes() {
        let code = |r: Route| match r {
            Route::Refuse(e) => e.code,
            other => panic!("expected a refusal, got {other:?}"),
        };
        assert_eq!(code(route(json!({"method": "eth_sign"}))), 4200);
        assert_eq!(code(route(json!({"method": "debug_traceTransaction"}))), 4200);
        assert_eq!(code(route(json!("eth_chainId"))), -32600);
        assert_eq!(code(route(json!({"method": ""}))), -32600);
        assert_eq!(code(route(json!({"method": 5}))), -32600);
        assert_eq!(code(route(json!({"method": "eth_getBalance", "params": "0x1"}))), -32602);
    }

    #[test]
    fn rpc_replies_are_checked_not_trusted() {
        assert_eq!(interpret_reply(200, br#"{"jsonrpc":"2.0","id":1,"result":"0x5"}"#), Ok(json!("0x5")));
        let err = interpret_reply(200, br#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"header not found"}}"#)
            .unwrap_err();
        assert_eq!((err.code, err.message.as_str()), (-32000, "header not found"));
        assert_eq!(interpret_reply(503, b"offline").unwrap_err().code, 4900);
        assert_eq!(interpret_reply(200, b"<html>").unwrap_err().code, -32603);
        assert_eq!(interpret_reply(200, br#"{"jsonrpc":"2.0","id":1}"#).unwrap_err().code, -32603);
    }
}
