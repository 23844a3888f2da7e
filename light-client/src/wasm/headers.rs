//! The header client for web apps: `HeaderClient.create({rpc, checkpoint,
//! witness?, storageKey?})`, then `syncToHead()`, `subscribe(cb)`,
//! `verifiedHeader(height)`, `state()`, `rejections()`, `evidence()`.
//!
//! It is the native driver (`crate::client`) over the browser platform. All
//! input from JS is checked and refused with a thrown `Error` that says
//! what was wrong; results cross as plain JS objects (via JSON), typed by
//! the TypeScript declarations below.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use wasm_bindgen::prelude::*;

use super::lock::AsyncLock;
use super::platform::{Browser, close_socket, js_message, open_socket};
use crate::client::{self, Checkpoint, ClientConfig, ClientError, VerifiedHead};
use crate::header::{Height, VerifyOptions};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Options of HeaderClient.create. */
export interface HeaderClientOptions {
  /** Base URL of the header API, e.g. "http://127.0.0.1:26657". */
  rpc: string;
  /** Trusted checkpoint "HEIGHT:0xHASH", obtained out of band. */
  checkpoint: string;
  /** A second source to cross-check new heads with (fork detection). */
  witness?: string;
  /** IndexedDB key of the persisted trusted state (default "headers:" + rpc). */
  storageKey?: string;
  /** Trusting period in ms (default 14 days). */
  trustingPeriodMs?: number;
  /** Allowed clock drift in ms (default 10 s). */
  maxClockDriftMs?: number;
  /** EVM JSON-RPC URL for verified state reads (verifiedAccount, verifiedOwnerOf). */
  evmRpc?: string;
}
/** A verified header. */
export interface VerifiedHead {
  height: number;
  hash: string;
  header: {
    chain_id: number; height: number; time: number; parent_hash: string;
    validators_hash: string; next_validators_hash: string; state_root: string;
    da_root: string; proposer: string;
  };
  validators: number;
  signers: number;
}
/** A header that failed verification. */
export interface Rejection { height: number; kind: string; reason: string; source: "primary" | "witness"; }
/** The client's state. */
export interface HeaderClientState {
  checkpoint: string; resumed: boolean; head: VerifiedHead; commitsVerified: number;
  rejections: Rejection[]; evidence: number;
}
/** A validator of the trusted set. */
export interface ValidatorInfo { address: string; publicKey: string; power: number; }
/** What subscribe's callback receives. */
export type HeaderEvent =
  | { type: "head"; head: VerifiedHead; commitsVerified: number }
  | { type: "rejected"; rejection: Rejection }
  | { type: "evidence"; evidence: any }
  | { type: "progress"; target: number }
  | { type: "error"; message: string };
"#;

pub(super) struct Shared {
    rpc: String,
    /// The EVM JSON-RPC for verified state reads.
    pub(super) evm_rpc: Option<String>,
    lock: AsyncLock,
    client: RefCell<Option<client::HeaderClient<Browser>>>,
    socket: RefCell<Option<Socket>>,
    pending: Cell<u64>,
    pumping: Cell<bool>,
    /// What the getters report; refreshed after every operation, so they
    /// answer even while a sync runs.
    snapshot: RefCell<Snapshot>,
}

#[derive(Default)]
struct Snapshot {
    state: serde_json::Value,
    rejections: serde_json::Value,
    evidence: serde_json::Value,
    validators: serde_json::Value,
}

impl Snapshot {
    fn of(c: &client::HeaderClient<Browser>) -> Self {
        let validators = c
            .trusted()
            .validators
            .validators()
            .iter()
            .map(|v| {
                serde_json::json!({
                    "address": v.address(),
                    "publicKey": format!("0x{}", hex::encode(v.key_bytes)),
                    "power": v.power.0,
                })
            })
            .collect();
        Self {
            state: serde_json::json!({
                "checkpoint": c.config().checkpoint.to_string(),
                "resumed": c.resumed(),
                "head": VerifiedHead::of(c.trusted()),
                "commitsVerified": c.commits_verified(),
                "rejections": c.rejections(),
                "evidence": c.evidence().len(),
            }),
            rejections: serde_json::to_value(c.rejections()).unwrap_or_default(),
            evidence: serde_json::Value::Array(c.evidence().iter().map(|e| e.to_json()).collect()),
            validators: serde_json::Value::Array(validators),
        }
    }
}

struct Socket {
    ws: JsValue,
    _on_message: Closure<dyn FnMut(String)>,
    _on_close: Closure<dyn FnMut()>,
}

/// A header light client running in this page or worker.
#[wasm_bindgen]
pub struct HeaderClient {
    pub(super) shared: Rc<Shared>,
}

pub(super) fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|s| js_sys::JSON::parse(&s).ok())
        .unwrap_or(JsValue::NULL)
}

fn json_to_js(value: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

pub(super) fn err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

fn string_field(options: &JsValue, name: &str, required: bool) -> Result<Option<String>, JsError> {
    let v = js_sys::Reflect::get(options, &JsValue::from_str(name)).map_err(|e| err(js_message(&e)))?;
    if v.is_undefined() || v.is_null() {
        return if required { Err(err(format!("options.{name} is required"))) } else { Ok(None) };
    }
    v.as_string().map(Some).ok_or_else(|| err(format!("options.{name} must be a string")))
}

fn number_field(options: &JsValue, name: &str) -> Result<Option<u64>, JsError> {
    let v = js_sys::Reflect::get(options, &JsValue::from_str(name)).map_err(|e| err(js_message(&e)))?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    match v.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9_007_199_254_740_991.0 => Ok(Some(n as u64)),
        _ => Err(err(format!("options.{name} must be a whole number of milliseconds"))),
    }
}

pub(super) fn height_arg(height: f64) -> Result<Height, JsError> {
    if height >= 1.0 && height.fract() == 0.0 && height <= 9_007_199_254_740_991.0 {
        Ok(Height(height as u64))
    } else {
        Err(err(format!("height must be a whole number ≥ 1, not {height}")))
    }
}

fn http_url(name: &str, url: String) -> Result<String, JsError> {
    if url.starts_with("http://") || url.starts_with("https://") {
        Ok(url.trim_end_matches('/').to_string())
    } else {
        Err(err(format!("options.{name} must be an http:// or https:// URL, not {url:?}")))
    }
}

impl Shared {
    /// Runs `op` with the client moved out, under the lock.
    pub(super) async fn with<T>(
        &self,
        op: impl AsyncFnOnce(&mut client::HeaderClient<Browser>) -> T,
    ) -> Result<T, JsError> {
        let _guard = self.lock.lock().await;
        let mut c = self.client.borrow_mut().take().ok_or_else(|| err("the client is closed"))?;
        let out = op(&mut c).await;
        *self.snapshot.borrow_mut() = Snapshot::of(&c);
        *self.client.borrow_mut() = Some(c);
        Ok(out)
    }
}

#[wasm_bindgen]
impl HeaderClient {
    /// Starts a client from a trusted checkpoint, or resumes the state
    /// persisted in IndexedDB for the same checkpoint (without
    /// re-verifying what was verified before).
    pub async fn create(#[wasm_bindgen(unchecked_param_type = "HeaderClientOptions")] options: JsValue) -> Result<HeaderClient, JsError> {
        if !options.is_object() {
            return Err(err("HeaderClient.create takes an options object {rpc, checkpoint, witness?, storageKey?}"));
        }
        let rpc = http_url("rpc", string_field(&options, "rpc", true)?.unwrap_or_default())?;
        let witness = string_field(&options, "witness", false)?.map(|w| http_url("witness", w)).transpose()?;
        let checkpoint: Checkpoint = string_field(&options, "checkpoint", true)?.unwrap_or_default().parse().map_err(err)?;
        let evm_rpc = string_field(&options, "evmRpc", false)?.map(|u| http_url("evmRpc", u)).transpose()?;
        let storage_key = string_field(&options, "storageKey", false)?.unwrap_or_else(|| format!("headers:{rpc}"));
        let mut opts = VerifyOptions::default();
        if let Some(ms) = number_field(&options, "trustingPeriodMs")? {
            opts.trusting_period_ms = ms;
        }
        if let Some(ms) = number_field(&options, "maxClockDriftMs")? {
            opts.max_clock_drift_ms = ms;
        }
        let config = ClientConfig { rpc, witness, checkpoint, storage_key, options: opts };
        let client = client::HeaderClient::start(Browser, config).await.map_err(err)?;
        let snapshot = RefCell::new(Snapshot::of(&client));
        let rpc = client.config().rpc.clone();
        Ok(HeaderClient {
            shared: Rc::new(Shared {
                rpc,
                evm_rpc,
                lock: AsyncLock::default(),
                client: RefCell::new(Some(client)),
                socket: RefCell::new(None),
                pending: Cell::new(0),
                pumping: Cell::new(false),
                snapshot,
            }),
        })
    }

    /// Verifies up to the source's latest header; returns the new head.
    /// Throws with the reason when a header is rejected or a fork is found
    /// (see `rejections()` and `evidence()`).
    #[wasm_bindgen(js_name = syncToHead, unchecked_return_type = "VerifiedHead")]
    pub async fn sync_to_head(&self) -> Result<JsValue, JsError> {
        self.shared
            .with(async |c| c.sync_to_head().await.map(|_| to_js(&VerifiedHead::of(c.trusted()))))
            .await?
            .map_err(err)
    }

    /// Verifies up to `height`; returns the new head.
    #[wasm_bindgen(js_name = syncTo, unchecked_return_type = "VerifiedHead")]
    pub async fn sync_to(&self, height: f64) -> Result<JsValue, JsError> {
        let height = height_arg(height)?;
        self.shared
            .with(async |c| c.sync_to(height).await.map(|_| to_js(&VerifiedHead::of(c.trusted()))))
            .await?
            .map_err(err)
    }

    /// A verified header at `height` (≥ the checkpoint): from memory, or
    /// verified now.
    #[wasm_bindgen(js_name = verifiedHeader, unchecked_return_type = "VerifiedHead")]
    pub async fn verified_header(&self, height: f64) -> Result<JsValue, JsError> {
        let height = height_arg(height)?;
        self.shared.with(async |c| c.verified_header(height).await.map(|h| to_js(&h))).await?.map_err(err)
    }

    /// The client's state: head, checkpoint, whether it resumed, commits
    /// verified by this instance, rejections, evidence count.
    #[wasm_bindgen(unchecked_return_type = "HeaderClientState")]
    pub fn state(&self) -> JsValue {
        json_to_js(&self.shared.snapshot.borrow().state)
    }

    /// Every header rejected so far, with its reason.
    #[wasm_bindgen(unchecked_return_type = "Rejection[]")]
    pub fn rejections(&self) -> JsValue {
        json_to_js(&self.shared.snapshot.borrow().rejections)
    }

    /// Every piece of fork evidence found so far (JSON, with the encoded bytes).
    #[wasm_bindgen(unchecked_return_type = "any[]")]
    pub fn evidence(&self) -> JsValue {
        json_to_js(&self.shared.snapshot.borrow().evidence)
    }

    /// The validator set of the trusted head.
    #[wasm_bindgen(unchecked_return_type = "ValidatorInfo[]")]
    pub fn validators(&self) -> JsValue {
        json_to_js(&self.shared.snapshot.borrow().validators)
    }

    /// Follows new heads over the source's WebSocket (`{rpc}/subscribe`),
    /// verifying each; `callback` receives `HeaderEvent`s. Reconnects when
    /// the connection drops. Replaces any earlier subscription.
    pub fn subscribe(&self, #[wasm_bindgen(unchecked_param_type = "(event: HeaderEvent) => void")] callback: js_sys::Function) -> Result<(), JsError> {
        self.unsubscribe();
        let rpc = self.shared.rpc.clone();
        let url = format!("{}/subscribe", rpc.replacen("http", "ws", 1));
        let weak: Weak<Shared> = Rc::downgrade(&self.shared);
        let cb = callback.clone();
        let on_message = Closure::<dyn FnMut(String)>::new(move |text: String| {
            let Some(shared) = weak.upgrade() else { return };
            let height = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["height"].as_u64());
            let Some(height) = height else { return };
            shared.pending.set(shared.pending.get().max(height));
            if !shared.pumping.get() {
                shared.pumping.set(true);
                wasm_bindgen_futures::spawn_local(pump(shared, cb.clone()));
            }
        });
        let weak: Weak<Shared> = Rc::downgrade(&self.shared);
        let cb = callback;
        let on_close = Closure::<dyn FnMut()>::new(move || {
            if let Some(shared) = weak.upgrade() {
                if shared.socket.borrow().is_some() {
                    emit(&cb, serde_json::json!({"type": "error", "message": "the head subscription closed; reconnecting"}));
                }
            }
        });
        let ws = open_socket(&url, &on_message, &on_close);
        *self.shared.socket.borrow_mut() = Some(Socket { ws, _on_message: on_message, _on_close: on_close });
        Ok(())
    }

    /// Stops following new heads.
    pub fn unsubscribe(&self) {
        if let Some(socket) = self.shared.socket.borrow_mut().take() {
            close_socket(&socket.ws);
        }
    }
}

fn emit(callback: &js_sys::Function, event: serde_json::Value) {
    // A throwing callback is the page's problem, not the client's.
    let _ = callback.call1(&JsValue::NULL, &json_to_js(&event));
}

async fn pump(shared: Rc<Shared>, callback: js_sys::Function) {
    loop {
        let target = shared.pending.replace(0);
        if target == 0 {
            break;
        }
        emit(&callback, serde_json::json!({"type": "progress", "target": target}));
        let result = shared
            .with(async |c| {
                let before = (c.rejections().len(), c.evidence().len());
                let out = c.sync_to(Height(target)).await;
                let rejected: Vec<_> = c.rejections()[before.0..].to_vec();
                let evidence: Vec<_> = c.evidence()[before.1..].iter().map(|e| e.to_json()).collect();
                (out, rejected, evidence, c.commits_verified())
            })
            .await;
        let Ok((out, rejected, evidence, commits)) = result else { break };
        for r in rejected {
            emit(&callback, serde_json::json!({"type": "rejected", "rejection": r}));
        }
        for e in evidence {
            emit(&callback, serde_json::json!({"type": "evidence", "evidence": e}));
        }
        match out {
            Ok(heads) => {
                for head in heads {
                    emit(&callback, serde_json::json!({"type": "head", "head": head, "commitsVerified": commits}));
                }
            }
            Err(ClientError::Sync(_) | ClientError::ForkDetected { .. }) => {}
            Err(e) => emit(&callback, serde_json::json!({"type": "error", "message": e.to_string()})),
        }
    }
    shared.pumping.set(false);
}
