//! The engine's bindings for the service worker (wasm32 only).
//!
//! `background.js` creates one [`Engine`] and hands it every provider request
//! with the origin the browser reported for its sender. Errors cross into JS
//! as plain objects `{ code, message }`, which the in-page provider turns into
//! EIP-1193 `ProviderRpcError`s.

use js_sys::{JSON, Object, Promise, Reflect};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::network::Network;
use crate::provider::{self, Provider, ProviderError, Request, Route};

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, present in pages and in service workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &JsValue) -> Promise;
}

/// The wallet engine: one per service worker.
#[wasm_bindgen]
pub struct Engine {
    provider: Provider,
}

#[wasm_bindgen]
impl Engine {
    /// An engine on the default network (the devnet).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Engine {
        Engine { provider: Provider::new(Network::devnet()) }
    }

    /// The engine's version.
    #[wasm_bindgen(js_name = engineVersion)]
    pub fn engine_version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// The selected network, `{ chainId, name, rpcUrl }`.
    pub fn network(&self) -> Result<JsValue, JsValue> {
        let n = self.provider.network();
        to_js(&serde_json::json!({"chainId": n.chain_id.to_hex(), "name": n.name, "rpcUrl": n.rpc_url}))
    }

    /// Handles one EIP-1193 request from `origin`. Resolves with the result,
    /// rejects with `{ code, message }`.
    pub async fn request(&self, origin: String, request: JsValue) -> Result<JsValue, JsValue> {
        let request = from_js(&request).and_then(|v| Request::from_json(&v)).map_err(error_to_js)?;
        match self.provider.route(&origin, &request) {
            Route::Answer(value) => to_js(&value),
            Route::Refuse(error) => Err(error_to_js(error)),
            Route::Forward { url, body } => {
                let value = forward(&url, &body).await.map_err(error_to_js)?;
                to_js(&value)
            }
        }
    }
}

impl Default for Engine {
    fn default() -> Self {
        Self::new()
    }
}

async fn forward(url: &str, body: &Value) -> Result<Value, ProviderError> {
    let init = Object::new();
    let headers = Object::new();
    let set = |o: &Object, k: &str, v: &JsValue| Reflect::set(o, &JsValue::from_str(k), v).map(|_| ());
    let build = || -> Result<(), JsValue> {
        set(&headers, "content-type", &"application/json".into())?;
        set(&init, "method", &"POST".into())?;
        set(&init, "headers", &headers)?;
        set(&init, "body", &body.to_string().into())
    };
    build().map_err(|e| provider::unreachable(url, &describe(&e)))?;
    let response: web_sys::Response = JsFuture::from(global_fetch(url, &init))
        .await
        .and_then(|r| r.dyn_into())
        .map_err(|e| provider::unreachable(url, &describe(&e)))?;
    let status = response.status();
    let text = response.text().map_err(|e| provider::unreachable(url, &describe(&e)))?;
    let text = JsFuture::from(text).await.map_err(|e| provider::unreachable(url, &describe(&e)))?;
    let text = text.as_string().unwrap_or_default();
    provider::interpret_reply(status, text.as_bytes())
}

fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn from_js(value: &JsValue) -> Result<Value, ProviderError> {
    let text = JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| ProviderError { code: ProviderError::INVALID_REQUEST, message: "the request cannot be read as JSON".into() })?;
    serde_json::from_str(&text).map_err(|e| ProviderError {
        code: ProviderError::INVALID_REQUEST,
        message: format!("the request cannot be read as JSON: {e}"),
    })
}

fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    JSON::parse(&value.to_string())
}

fn error_to_js(error: ProviderError) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"code".into(), &JsValue::from_f64(error.code as f64));
    let _ = Reflect::set(&object, &"message".into(), &JsValue::from_str(&error.message));
    object.into()
}
