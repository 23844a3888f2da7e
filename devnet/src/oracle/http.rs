//! The oracle's JSON-RPC endpoint (`POST /`, CORS like the devnet's RPC):
//! `aloft_oracleInfo` (address, public key, and that it is simulated) and
//! `aloft_oracleTransfer` (one [`TransferRequest`](super::TransferRequest)).
//! Errors are JSON-RPC errors whose message is the [`OracleError`] sentence.

use std::sync::Arc;

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};

use super::{Oracle, OracleError, TransferRequest};

async fn handle(State(oracle): State<Arc<Oracle>>, body: axum::body::Bytes) -> Json<Value> {
    let request: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => return Json(json!({"jsonrpc": "2.0", "id": null, "error": {"code": -32700, "message": format!("parse error: {e}")}})),
    };
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let method = request.get("method").and_then(Value::as_str).unwrap_or_default().to_owned();
    let params = request.get("params").cloned().unwrap_or(Value::Null);
    let result = answer(&oracle, &method, params).await;
    Json(match result {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => json!({"jsonrpc": "2.0", "id": id, "error": {"code": e.code(), "message": e.to_string()}}),
    })
}

async fn answer(oracle: &Arc<Oracle>, method: &str, params: Value) -> Result<Value, OracleError> {
    match method {
        "aloft_oracleInfo" => {
            let key = oracle.public_key();
            Ok(json!({
                "address": oracle.address(),
                "publicKey": format!("0x{}", hex::encode(key.to_compressed())),
                "publicKeyUncompressed": format!("0x{}", hex::encode(key.to_uncompressed())),
                "oracleType": 0,
                "simulated": true,
                "attestation": null,
                "note": "SIMULATED TEE: an ordinary devnet process with a public key; no hardware isolation, no attestation",
            }))
        }
        "aloft_oracleTransfer" => {
            let first = match params {
                Value::Array(mut items) if items.len() == 1 => items.remove(0),
                _ => return Err(OracleError::BadRequest("params must be [request]".into())),
            };
            let req: TransferRequest =
                serde_json::from_value(first).map_err(|e| OracleError::BadRequest(e.to_string()))?;
            let oracle = oracle.clone();
            let done = tokio::task::spawn_blocking(move || oracle.transfer(&req))
                .await
                .map_err(|e| OracleError::Storage(format!("oracle task failed: {e}")))??;
            serde_json::to_value(done).map_err(|e| OracleError::Storage(e.to_string()))
        }
        other => Err(OracleError::BadRequest(format!("the method {other} does not exist"))),
    }
}

/// The oracle's routes.
pub fn router(oracle: Arc<Oracle>) -> Router {
    Router::new()
        .route("/", post(handle))
        .with_state(oracle)
        .layer(axum::middleware::from_fn(crate::rpc::cors))
}
