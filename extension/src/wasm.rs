//! The engine's bindings for the service worker (wasm32 only).
//!
//! `background.js` creates one [`Engine`] over what it read from storage
//! (state and sealed vault from IndexedDB, the session key from
//! `chrome.storage.session`) and a callback that carries out [`Effect`]s.
//! It then hands the engine every provider request, with the origin the
//! browser reported for its sender, and every command from the extension's
//! own pages. This module adds the two things the sans-IO [`Wallet`] cannot
//! do: fetches to the network's RPC and waiting for the user. Errors cross
//! into JS as plain objects `{ code, message }`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use futures_channel::oneshot;
use js_sys::{Function, JSON, Object, Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::approvals::ApprovalId;
use crate::commands::{Command, Outcome};
use crate::provider::{self, ProviderError, Request};
use crate::tx::{TxRequest, parse_quantity};
use crate::verified::{NotProven, Proven, ProvenAccount, reading};
use crate::wallet::{Step, TxFill, Wallet};

#[path = "wasm_inft.rs"]
mod inft;
#[path = "wasm_owners.rs"]
mod owners;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch`, present in pages and in service workers alike.
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(input: &str, init: &JsValue) -> Promise;
}

struct Inner {
    wallet: RefCell<Wallet>,
    on_effect: Function,
    waiting: RefCell<HashMap<ApprovalId, oneshot::Sender<Outcome>>>,
}

/// The wallet engine: one per service worker.
#[wasm_bindgen]
pub struct Engine {
    inner: Rc<Inner>,
}

fn fill_random(buf: &mut [u8]) {
    // The browser's CSPRNG (crypto.getRandomValues). It does not fail in a
    // service worker; if it ever did, signing on without randomness would be
    // worse than stopping, so this is the one deliberate panic.
    #[allow(clippy::expect_used)]
    getrandom::getrandom(buf).expect("crypto.getRandomValues is available in the service worker");
}

#[wasm_bindgen]
impl Engine {
    /// An engine over the stored `state` and `vault` (either may be
    /// `undefined`), resumed with `sessionKey` if the worker restarted while
    /// unlocked. `onEffect(effect)` carries out each effect and may return a
    /// promise; call [`Engine::flush`] once after construction.
    #[wasm_bindgen(constructor)]
    pub fn new(state: JsValue, vault: JsValue, session_key: Option<String>, on_effect: Function) -> Result<Engine, JsValue> {
        let state = from_js_opt(&state);
        let vault = from_js_opt(&vault);
        let mut wallet = Wallet::new(state.as_ref(), vault.as_ref(), Box::new(fill_random)).map_err(|e| js_error("corruptVault", &e.message))?;
        if let Some(key) = session_key {
            wallet.resume(&key);
        }
        Ok(Engine { inner: Rc::new(Inner { wallet: RefCell::new(wallet), on_effect, waiting: RefCell::new(HashMap::new()) }) })
    }

    /// The engine's version.
    #[wasm_bindgen(js_name = engineVersion)]
    pub fn engine_version() -> String {
        env!("CARGO_PKG_VERSION").to_string()
    }

    /// The selected network, `{ chainId, name, rpcUrl }`.
    pub fn network(&self) -> Result<JsValue, JsValue> {
        let w = self.inner.wallet.borrow();
        let n = w.network();
        to_js(&json!({"chainId": n.chain_id.to_hex(), "name": n.name, "rpcUrl": n.rpc_url}))
    }

    /// Carries out the effects queued so far.
    pub async fn flush(&self) -> Result<(), JsValue> {
        flush(&self.inner).await
    }

    /// The auto-lock alarm fired.
    #[wasm_bindgen(js_name = autoLock)]
    pub async fn auto_lock(&self) -> Result<(), JsValue> {
        self.inner.wallet.borrow_mut().auto_lock();
        flush(&self.inner).await
    }

    /// Handles one EIP-1193 request from `origin`. Resolves with the result,
    /// rejects with `{ code, message }`.
    pub async fn request(&self, origin: String, request: JsValue) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let request = from_js(&request).and_then(|v| Request::from_json(&v)).map_err(provider_error)?;
        let step = inner.wallet.borrow_mut().request(&origin, &request);
        flush(&inner).await?;
        let value = run_step(&inner, &origin, step).await.map_err(provider_error)?;
        to_js(&value)
    }

    /// Handles a command from an extension page (see `commands.rs`).
    /// Resolves with the reply, rejects with `{ code, message }`.
    pub async fn command(&self, command: JsValue) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let value = from_js(&command).map_err(provider_error)?;
        let command: Command =
            serde_json::from_value(value).map_err(|e| js_error("badCommand", &format!("unknown or malformed command: {e}")))?;
        let result = inner.wallet.borrow_mut().command(command);
        let outcome = match result {
            Ok((reply, done)) => {
                for (id, outcome) in done {
                    if let Some(tx) = inner.waiting.borrow_mut().remove(&id) {
                        let _ = tx.send(outcome);
                    }
                }
                Ok(reply)
            }
            Err(e) => Err(js_error(e.code, &e.message)),
        };
        flush(&inner).await?;
        to_js(&outcome?)
    }

    /// A send from the wallet's own Send view: `params` as for
    /// `eth_sendTransaction`. Fetches nonce and fees, queues the approval
    /// (origin `aloft://wallet`), and resolves with the transaction hash once
    /// approved and broadcast; rejects with `{ code, message }`.
    pub async fn send(&self, params: JsValue) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let params = from_js(&params).map_err(provider_error)?;
        let tx = inner.wallet.borrow().own_transaction(&params).map_err(|e| js_error(e.code, &e.message))?;
        let fill = prepare(&inner, &tx).await.map_err(provider_error)?;
        let (from, to, value) = (tx.from, tx.to, tx.value);
        let step = inner.wallet.borrow_mut().queue_own_transaction(tx, fill);
        flush(&inner).await?;
        let value = match step {
            Step::Wait(id) => broadcast_when_approved(&inner, id, (from, to, value)).await.map_err(provider_error)?,
            other => run_step(&inner, "aloft://wallet", other).await.map_err(provider_error)?,
        };
        to_js(&value)
    }

    /// This chain's transactions, newest first, after asking the RPC for the
    /// receipts of those still pending.
    pub async fn activity(&self) -> Result<JsValue, JsValue> {
        let inner = self.inner.clone();
        let (url, hashes) = {
            let w = inner.wallet.borrow();
            (w.network().rpc_url.clone(), w.awaiting_receipts())
        };
        for hash in hashes {
            if let Ok(receipt) = rpc_checked(&inner, &url, "eth_getTransactionReceipt", json!([hash])).await {
                inner.wallet.borrow_mut().record_receipt(&hash, &receipt);
            }
        }
        flush(&inner).await?;
        let activity = inner.wallet.borrow().activity();
        to_js(&activity)
    }

    /// Balances of the wallet's accounts on the selected network, each
    /// marked verified or unverified (see `verified.rs`). `prover` is the
    /// worker's light client: `prover(address)` resolves to the account
    /// proven against a verified header (`{height, balance}`, the verifier
    /// package's `VerifiedAccountAt`) or rejects with why it could not.
    /// The RPC's balance is then read at that same block and compared.
    #[wasm_bindgen(js_name = accountReadings)]
    pub async fn account_readings(&self, prover: Option<Function>) -> Result<JsValue, JsValue> {
        let (url, accounts) = {
            let w = self.inner.wallet.borrow();
            (w.network().rpc_url.clone(), w.unlocked_accounts())
        };
        let mut out = Vec::new();
        for a in accounts {
            let proven = match &prover {
                Some(f) => prove(f, &format!("{:#x}", a.address)).await,
                None => Err("the light client is not running".to_string()),
            };
            let block = match &proven {
                Ok(p) => json!(format!("{:#x}", p.height)),
                Err(_) => json!("latest"),
            };
            let balance = rpc_checked(&self.inner, &url, "eth_getBalance", json!([a.address, block])).await.map_err(provider_error)?;
            let balance = parse_quantity(&balance, "balance").map_err(|e| js_error("rpc", &e.to_string()))?;
            out.push(match proven {
                Ok(p) => reading(&Proven(p), a.address, balance),
                Err(why) => reading(&NotProven(why), a.address, balance),
            });
        }
        to_js(&serde_json::to_value(out).map_err(|e| js_error("internal", &e.to_string()))?)
    }
}

/// Asks the worker's light client for `address`; its answer is checked for
/// shape here (a malformed answer is a reason, not a verdict).
async fn prove(prover: &Function, address: &str) -> Result<ProvenAccount, String> {
    let promise = prover.call1(&JsValue::NULL, &JsValue::from_str(address)).map_err(|e| js_text(&e))?;
    let value = JsFuture::from(Promise::resolve(&promise)).await.map_err(|e| js_text(&e))?;
    let height = Reflect::get(&value, &"height".into()).ok().and_then(|h| h.as_f64()).filter(|h| *h >= 0.0 && h.fract() == 0.0);
    let balance = Reflect::get(&value, &"balance".into()).ok().and_then(|b| b.as_string());
    match (height, balance) {
        (Some(height), Some(balance)) => {
            let balance = parse_quantity(&json!(balance), "balance").map_err(|e| format!("the light client's answer: {e}"))?;
            Ok(ProvenAccount { height: height as u64, balance })
        }
        _ => Err("the light client's answer has no height or balance".into()),
    }
}

/// The message of a thrown JS value.
fn js_text(e: &JsValue) -> String {
    Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string()).or_else(|| e.as_string()).unwrap_or_else(|| "the light client failed".into())
}

async fn run_step(inner: &Rc<Inner>, origin: &str, step: Step) -> Result<Value, ProviderError> {
    match step {
        Step::Answer(value) => Ok(value),
        Step::Refuse(error) => Err(error),
        Step::Forward { url, body } => {
            let result = forward(&url, &body).await;
            let reachable = !matches!(&result, Err(e) if e.code == ProviderError::DISCONNECTED);
            inner.wallet.borrow_mut().note_reachable(reachable);
            let _ = flush(inner).await;
            result
        }
        Step::PrepareTransaction(tx) => {
            let fill = prepare(inner, &tx).await?;
            let (from, to, value) = (tx.from, tx.to, tx.value);
            let step = inner.wallet.borrow_mut().queue_transaction(origin, tx, fill);
            flush(inner).await.map_err(|e| internal(&describe(&e)))?;
            let Step::Wait(id) = step else { return Box::pin(run_step(inner, origin, step)).await };
            broadcast_when_approved(inner, id, (from, to, value)).await
        }
        Step::Wait(id) => outcome_result(wait(inner, id).await?),
        Step::CheckAgentTransfer(req) => inft::agent_transfer_proofs(inner, origin, req).await,
    }
}

/// Waits for the user's decision on a queued transaction; on approval sends
/// the signed bytes and records the hash in the history.
async fn broadcast_when_approved(
    inner: &Rc<Inner>,
    id: ApprovalId,
    (from, to, value): (alloy_primitives::Address, Option<alloy_primitives::Address>, alloy_primitives::U256),
) -> Result<Value, ProviderError> {
    match wait(inner, id).await? {
        Outcome::Broadcast { raw, .. } => {
            let url = inner.wallet.borrow().network().rpc_url.clone();
            let hash = rpc_checked(inner, &url, "eth_sendRawTransaction", json!([raw])).await?;
            if let Some(h) = hash.as_str() {
                inner.wallet.borrow_mut().record_sent(h, from, to, value);
                flush(inner).await.map_err(|e| internal(&describe(&e)))?;
            }
            Ok(hash)
        }
        other => outcome_result(other),
    }
}

/// An RPC call that also tells the wallet whether the network answered
/// (EIP-1193 `disconnect`/`connect`, see `wallet/own.rs`).
async fn rpc_checked(inner: &Rc<Inner>, url: &str, method: &str, params: Value) -> Result<Value, ProviderError> {
    let result = rpc(url, method, params).await;
    let reachable = !matches!(&result, Err(e) if e.code == ProviderError::DISCONNECTED);
    inner.wallet.borrow_mut().note_reachable(reachable);
    let _ = flush(inner).await;
    result
}

fn outcome_result(outcome: Outcome) -> Result<Value, ProviderError> {
    match outcome {
        Outcome::Answer(v) => Ok(v),
        Outcome::Error { code, message } => Err(ProviderError { code, message }),
        Outcome::Broadcast { .. } => Err(internal("a signed transaction reached the wrong request")),
    }
}

async fn wait(inner: &Rc<Inner>, id: ApprovalId) -> Result<Outcome, ProviderError> {
    let (tx, rx) = oneshot::channel();
    inner.waiting.borrow_mut().insert(id, tx);
    rx.await.map_err(|_| ProviderError::new(ProviderError::DISCONNECTED, "Aloft stopped while the request waited"))
}

/// Nonce, gas and fees for a transaction, from the selected network.
async fn prepare(inner: &Rc<Inner>, tx: &TxRequest) -> Result<TxFill, ProviderError> {
    let url = inner.wallet.borrow().network().rpc_url.clone();
    let quantity = |v: &Value, what: &'static str| -> Result<u128, ProviderError> {
        parse_quantity(v, what).ok().and_then(|q| u128::try_from(q).ok()).ok_or_else(|| internal(&format!("the RPC's {what} is not a quantity")))
    };
    let nonce = quantity(&rpc(&url, "eth_getTransactionCount", json!([tx.from, "pending"])).await?, "nonce")?;
    let gas = match tx.gas {
        Some(g) => g,
        None => {
            let call = json!({
                "from": tx.from,
                "to": tx.to,
                "value": format!("{:#x}", tx.value),
                "data": format!("0x{}", hex::encode(&tx.data)),
            });
            quantity(&rpc(&url, "eth_estimateGas", json!([call])).await?, "gas estimate")? as u64
        }
    };
    let block = rpc(&url, "eth_getBlockByNumber", json!(["latest", false])).await?;
    let base_fee = block.get("baseFeePerGas").map(|b| quantity(b, "base fee")).transpose()?.unwrap_or(0);
    // Nodes without eth_maxPriorityFeePerGas get a 1 gwei tip.
    let tip = match rpc(&url, "eth_maxPriorityFeePerGas", json!([])).await {
        Ok(v) => quantity(&v, "priority fee")?,
        Err(_) => 1_000_000_000,
    };
    Ok(TxFill { nonce: nonce as u64, gas, base_fee, tip })
}

async fn rpc(url: &str, method: &str, params: Value) -> Result<Value, ProviderError> {
    forward(url, &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})).await
}

async fn flush(inner: &Rc<Inner>) -> Result<(), JsValue> {
    let effects = inner.wallet.borrow_mut().take_effects();
    for effect in effects {
        let value = serde_json::to_value(&effect).map_err(|e| js_error("internal", &e.to_string()))?;
        let result = inner.on_effect.call1(&JsValue::NULL, &to_js(&value)?)?;
        if let Ok(promise) = result.dyn_into::<Promise>() {
            JsFuture::from(promise).await?;
        }
    }
    Ok(())
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

fn internal(message: &str) -> ProviderError {
    ProviderError::new(ProviderError::INTERNAL, message)
}

fn describe(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn from_js_opt(value: &JsValue) -> Option<Value> {
    if value.is_undefined() || value.is_null() { None } else { from_js(value).ok() }
}

fn from_js(value: &JsValue) -> Result<Value, ProviderError> {
    let text = JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| ProviderError::new(ProviderError::INVALID_REQUEST, "the request cannot be read as JSON"))?;
    serde_json::from_str(&text)
        .map_err(|e| ProviderError::new(ProviderError::INVALID_REQUEST, format!("the request cannot be read as JSON: {e}")))
}

fn to_js(value: &Value) -> Result<JsValue, JsValue> {
    JSON::parse(&value.to_string())
}

fn js_error(code: &str, message: &str) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"code".into(), &JsValue::from_str(code));
    let _ = Reflect::set(&object, &"message".into(), &JsValue::from_str(message));
    object.into()
}

fn provider_error(error: ProviderError) -> JsValue {
    let object = Object::new();
    let _ = Reflect::set(&object, &"code".into(), &JsValue::from_f64(error.code as f64));
    let _ = Reflect::set(&object, &"message".into(), &JsValue::from_str(&error.message));
    object.into()
}
