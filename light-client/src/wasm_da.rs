//! The DA part of the JavaScript API (wasm32 only): a [`DaSampler`] class
//! that drives the sans-IO [`crate::da::Sampler`] with the browser's fetch,
//! CSPRNG, clock and IndexedDB, and `reconstructPayload`.
//!
//! It works in a page and in a Web Worker (it uses only `fetch`,
//! `AbortSignal.timeout`, `crypto.getRandomValues`, `setTimeout` and
//! `indexedDB`, all on `globalThis`). Every error is a thrown `Error` with a
//! reason; nothing JavaScript passes can make it panic.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::da::wire::{SampleId, decode_cells_response, samples_query};
use crate::da::{Action, Availability, CommitmentList, DaRoot, Event, Height, PeerId, Sampler, SamplerConfig, reconstruct_blob, unpack};
use crate::kzg::{CELLS_PER_EXT_BLOB, VerifierSetup};

#[wasm_bindgen(module = "/src/wasm_da.js")]
extern "C" {
    #[wasm_bindgen(js_name = aloftFetchBytes)]
    fn fetch_bytes(url: &str, timeout_ms: f64) -> Promise;
    #[wasm_bindgen(js_name = aloftWithTimeout)]
    fn with_timeout(promise: &Promise, timeout_ms: f64, what: &str) -> Promise;
    #[wasm_bindgen(js_name = aloftSettle)]
    fn settle(promise: &Promise) -> Promise;
    #[wasm_bindgen(js_name = aloftRandomBytes)]
    fn random_bytes(n: u32) -> Uint8Array;
    #[wasm_bindgen(js_name = aloftSleep)]
    fn sleep(ms: f64) -> Promise;
    #[wasm_bindgen(js_name = aloftIdbGet)]
    fn idb_get(db: &str, key: &str) -> Promise;
    #[wasm_bindgen(js_name = aloftIdbPut)]
    fn idb_put(db: &str, key: &str, value: &str) -> Promise;
}

const STATE_KEY: &str = "sampler";

thread_local! {
    static VERIFIER: RefCell<Option<Rc<VerifierSetup>>> = const { RefCell::new(None) };
}

fn verifier() -> Result<Rc<VerifierSetup>, JsError> {
    VERIFIER.with(|v| {
        if let Some(s) = v.borrow().as_ref() {
            return Ok(s.clone());
        }
        let s = Rc::new(VerifierSetup::ceremony().map_err(|e| JsError::new(&format!("KZG verifier setup: {e}")))?);
        *v.borrow_mut() = Some(s.clone());
        Ok(s)
    })
}

fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(|e| JsError::new(&e.to_string()))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("internal: JSON round trip failed"))
}

fn js_message(e: &JsValue) -> String {
    e.as_string().or_else(|| js_sys::Reflect::get(e, &"message".into()).ok().and_then(|m| m.as_string())).unwrap_or_else(|| format!("{e:?}"))
}

fn js_err(e: JsValue) -> JsError {
    JsError::new(&js_message(&e))
}

fn parse_root(root: &str) -> Result<DaRoot, JsError> {
    DaRoot::from_hex(root).map_err(|e| JsError::new(&format!("root: {e}")))
}

fn check_height(height: f64) -> Result<Height, JsError> {
    if height.fract() != 0.0 || !(0.0..=9_007_199_254_740_991.0).contains(&height) {
        return Err(JsError::new(&format!("height must be a non-negative whole number, got {height}")));
    }
    Ok(Height(height as u64))
}

/// Options for [`DaSampler::open`], as a JSON-like object:
/// `{nodes: string[], targetConfidence?, requestTimeoutMs?, blockDeadlineMs?, maxSamplesPerRequest?, db?, transport?}`.
/// `transport` is a function `(node, path, timeoutMs) => Promise<Uint8Array>`
/// that GETs `path` (e.g. `/da/v1/blocks/7/commitments`) from DA node
/// `node` another way than `fetch`, e.g. over a WebRTC data channel
/// (`www/da/da-webrtc.js`); without it requests are HTTP.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Options {
    /// Checked from the object itself (JSON drops functions).
    #[serde(default)]
    #[allow(dead_code)]
    transport: Option<serde::de::IgnoredAny>,
    nodes: Vec<String>,
    target_confidence: Option<f64>,
    request_timeout_ms: Option<u64>,
    block_deadline_ms: Option<u64>,
    max_samples_per_request: Option<usize>,
    db: Option<String>,
}

/// Samples blocks from DA nodes; state persists in IndexedDB.
#[wasm_bindgen]
pub struct DaSampler {
    sampler: Sampler,
    db: Option<String>,
    listeners: Vec<Function>,
    transport: Option<Function>,
}

#[wasm_bindgen]
impl DaSampler {
    /// Opens a sampler over `options.nodes` (DA node base URLs). With
    /// `options.db` (an IndexedDB database name) the previous state is
    /// restored from it and every change is saved to it.
    pub async fn open(options: JsValue) -> Result<DaSampler, JsError> {
        let text = js_sys::JSON::stringify(&options).map_err(|_| JsError::new("options must be an object"))?;
        let transport = match js_sys::Reflect::get(&options, &"transport".into()) {
            Ok(t) if t.is_undefined() || t.is_null() => None,
            Ok(t) => Some(t.dyn_into::<Function>().map_err(|_| {
                JsError::new("options.transport must be a function (node, path, timeoutMs) => Promise<Uint8Array>")
            })?),
            Err(_) => None,
        };
        let opts: Options = serde_json::from_str(&String::from(text)).map_err(|e| JsError::new(&format!("options: {e}")))?;
        if opts.nodes.is_empty() {
            return Err(JsError::new("options.nodes must list at least one DA node URL"));
        }
        for n in &opts.nodes {
            if !(n.starts_with("http://") || n.starts_with("https://")) {
                return Err(JsError::new(&format!("DA node {n:?} is not an http(s) URL")));
            }
        }
        let mut config = SamplerConfig::default();
        if let Some(t) = opts.target_confidence {
            config.target_confidence = t;
        }
        if let Some(t) = opts.request_timeout_ms {
            config.request_timeout_ms = t;
        }
        if let Some(t) = opts.block_deadline_ms {
            config.block_deadline_ms = t;
        }
        if let Some(m) = opts.max_samples_per_request {
            config.max_samples_per_request = m;
        }
        let mut sampler = Sampler::new(config.clone()).map_err(|e| JsError::new(&e.to_string()))?;
        if let Some(db) = &opts.db {
            let saved = JsFuture::from(idb_get(db, STATE_KEY)).await.map_err(js_err)?;
            if let Some(json) = saved.as_string() {
                // A state saved under other settings keeps its blocks and peers but takes the new settings.
                if let Ok(restored) = Sampler::from_json(&json) {
                    if restored.config() == &config {
                        sampler = restored;
                    }
                }
            }
        }
        verifier()?;
        for n in opts.nodes {
            sampler.add_peer(PeerId(n.trim_end_matches('/').to_string()));
        }
        Ok(DaSampler { sampler, db: opts.db, listeners: Vec::new(), transport })
    }

    /// Calls `callback(event)` for every event: `{event: "block", height,
    /// root, availability: {status, reason?}, confidence, blobs,
    /// samples_verified, samples_total, bytes_fetched, peers}` or `{event:
    /// "peer_dropped", peer, reason, peers}`.
    ///
    /// Listeners run while a `sampleHeight`/`sampleVerified` call still
    /// holds the sampler, so calling back into it from a listener throws
    /// ("recursive use of an object"). That is why every event carries
    /// `peers`, the standing of every node (as [`Self::peers`]) when it was
    /// delivered.
    pub fn subscribe(&mut self, callback: Function) {
        self.listeners.push(callback);
    }

    /// Samples block `height` whose verified header carries DA root `root`
    /// (`0x…`), until it is available or unavailable; resolves to its report.
    #[wasm_bindgen(js_name = sampleHeight)]
    pub async fn sample_height(&mut self, height: f64, root: &str) -> Result<JsValue, JsError> {
        let height = check_height(height)?;
        let root = parse_root(root)?;
        self.sample(height, root).await
    }

    /// Samples block `height` against the DA root of its header as
    /// `client` (a `HeaderClient`) verified it (verifying the header now if
    /// needed): the commitment list any node serves must hash to that root,
    /// so no DA node, and no caller, supplies the root. Resolves to the
    /// block's report; throws if the header does not verify.
    #[wasm_bindgen(js_name = sampleVerified)]
    pub async fn sample_verified(&mut self, client: &crate::wasm::headers::HeaderClient, height: f64) -> Result<JsValue, JsError> {
        let h = check_height(height)?;
        let head = client.verified_header_for_da(h.0).await?;
        self.sample(h, DaRoot(head.header.da_root.0)).await
    }
}

impl DaSampler {
    /// GETs `path` from DA node `node`: over the caller's transport if one
    /// was given, else HTTP. Always a promise that settles within the
    /// timeout (a transport that throws, returns a plain value or never
    /// answers is wrapped).
    fn get(&self, node: &str, path: &str, timeout_ms: f64) -> Promise {
        let Some(transport) = &self.transport else {
            return fetch_bytes(&format!("{node}{path}"), timeout_ms);
        };
        match transport.call3(&JsValue::NULL, &node.into(), &path.into(), &timeout_ms.into()) {
            Ok(v) => with_timeout(&Promise::resolve(&v), timeout_ms, node),
            Err(e) => Promise::reject(&e),
        }
    }

    async fn sample(&mut self, height: Height, root: DaRoot) -> Result<JsValue, JsError> {
        if let Some(r) = self.sampler.block(height) {
            if r.root != root {
                return Err(JsError::new(&format!("height {} was sampled under another root {:?}", height.0, r.root)));
            }
        }
        let seed: [u8; 32] = random_bytes(32).to_vec().try_into().map_err(|_| JsError::new("crypto.getRandomValues gave too few bytes"))?;
        self.sampler.sample_block(height, root, seed, now_ms());
        let verifier = verifier()?;
        let timeout = self.sampler.config().request_timeout_ms as f64;
        loop {
            let actions = self.sampler.poll(now_ms());
            self.flush().await?;
            let report = self.sampler.block(height).ok_or_else(|| JsError::new("the block was pruned while sampling"))?;
            if report.availability != Availability::Pending {
                return to_js(&report);
            }
            if actions.is_empty() {
                JsFuture::from(sleep(50.0)).await.map_err(js_err)?;
                continue;
            }
            // Every request of this round in parallel, each with its own timeout.
            let promises = Array::new();
            for a in &actions {
                let (peer, path) = match a {
                    Action::FetchCommitments { peer, height, .. } => (peer, format!("/da/v1/blocks/{}/commitments", height.0)),
                    Action::FetchCells { peer, height, samples, .. } => {
                        (peer, format!("/da/v1/blocks/{}/cells?samples={}", height.0, samples_query(samples)))
                    }
                };
                promises.push(&settle(&self.get(&peer.0, &path, timeout)));
            }
            let results = JsFuture::from(Promise::all(&promises)).await.map_err(js_err)?;
            let results = Array::from(&results);
            for (i, a) in actions.iter().enumerate() {
                let r = results.get(i as u32);
                let ok = js_sys::Reflect::get(&r, &"ok".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
                let now = now_ms();
                let outcome = if ok {
                    let bytes = js_sys::Reflect::get(&r, &"value".into()).map(|v| Uint8Array::new(&v).to_vec()).unwrap_or_default();
                    match a {
                        Action::FetchCommitments { request, .. } => self.sampler.on_commitments(*request, now, &bytes),
                        Action::FetchCells { request, .. } => self.sampler.on_cells(*request, now, &bytes, &verifier),
                    }
                } else {
                    let reason = js_sys::Reflect::get(&r, &"error".into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
                    let request = match a {
                        Action::FetchCommitments { request, .. } | Action::FetchCells { request, .. } => *request,
                    };
                    self.sampler.on_failure(request, now, &reason)
                };
                // A request may have expired meanwhile; that is not an error for the caller.
                let _ = outcome;
            }
        }
    }

}

#[wasm_bindgen]
impl DaSampler {
    /// The report of every block kept, lowest height first.
    pub fn blocks(&self) -> Result<JsValue, JsError> {
        to_js(&self.sampler.blocks())
    }

    /// The report of one block, or `null`.
    pub fn block(&self, height: f64) -> Result<JsValue, JsError> {
        let h = check_height(height)?;
        match self.sampler.block(h) {
            Some(r) => to_js(&r),
            None => Ok(JsValue::NULL),
        }
    }

    /// Every DA node and its standing: `{peer, score, dropped}`.
    pub fn peers(&self) -> Result<JsValue, JsError> {
        to_js(&self.sampler.peers())
    }

    /// Delivers pending events and saves the state.
    async fn flush(&mut self) -> Result<(), JsError> {
        let events: Vec<Event> = self.sampler.drain_events();
        if events.is_empty() {
            return Ok(());
        }
        if let Some(db) = &self.db {
            JsFuture::from(idb_put(db, STATE_KEY, &self.sampler.to_json())).await.map_err(js_err)?;
        }
        let peers = to_js(&self.sampler.peers())?;
        for e in &events {
            let value = to_js(e)?;
            js_sys::Reflect::set(&value, &JsValue::from_str("peers"), &peers).map_err(js_err)?;
            for l in &self.listeners {
                // A listener that throws must not stop sampling.
                let _ = l.call1(&JsValue::NULL, &value);
            }
        }
        Ok(())
    }
}

/// Fetches the commitment list of block `height` from the first of `nodes`
/// that serves one matching `root`, then at least 64 cells of each blob in
/// `blobs` (in order), verifies them against the commitment (one batch per
/// blob), rebuilds the blobs and unpacks the payload they carry.
#[wasm_bindgen(js_name = reconstructPayload)]
pub async fn reconstruct_payload(nodes: Vec<String>, height: f64, root: &str, blobs: Vec<u32>, timeout_ms: f64) -> Result<Uint8Array, JsError> {
    let height = check_height(height)?;
    let root = parse_root(root)?;
    if nodes.is_empty() || blobs.is_empty() {
        return Err(JsError::new("nodes and blobs must not be empty"));
    }
    let verifier = verifier()?;
    let mut commitments = None;
    for n in &nodes {
        let url = format!("{}/da/v1/blocks/{}/commitments", n.trim_end_matches('/'), height.0);
        let Ok(bytes) = JsFuture::from(fetch_bytes(&url, timeout_ms)).await else { continue };
        let Ok(list) = serde_json::from_slice::<CommitmentList>(&Uint8Array::new(&bytes).to_vec()) else { continue };
        if list.verify(&root).is_ok() {
            commitments = Some(list.commitments);
            break;
        }
    }
    let commitments = commitments.ok_or_else(|| JsError::new("no DA node served a commitment list matching the root"))?;
    let mut rebuilt = Vec::new();
    for &blob in &blobs {
        let commitment = commitments.get(blob as usize).ok_or_else(|| JsError::new(&format!("block has {} blobs; {blob} is not one", commitments.len())))?;
        let samples: Vec<SampleId> = (0..CELLS_PER_EXT_BLOB as u8).map(|cell| SampleId { blob: blob as u16, cell }).collect();
        let mut last_error = String::from("no node answered");
        let mut done = None;
        for n in &nodes {
            let url = format!("{}/da/v1/blocks/{}/cells?samples={}", n.trim_end_matches('/'), height.0, samples_query(&samples));
            let bytes = match JsFuture::from(fetch_bytes(&url, timeout_ms)).await {
                Ok(b) => Uint8Array::new(&b).to_vec(),
                Err(e) => {
                    last_error = js_message(&e);
                    continue;
                }
            };
            let records = match decode_cells_response(&bytes, samples.len()) {
                Ok(r) => r,
                Err(e) => {
                    last_error = e.to_string();
                    continue;
                }
            };
            let served: Vec<_> = samples.iter().zip(records).filter_map(|(s, r)| r.map(|(c, p)| (s.cell_index(), c, p))).collect();
            match reconstruct_blob(&verifier, commitment, &served) {
                Ok(b) => {
                    done = Some(b);
                    break;
                }
                Err(e) => last_error = format!("{n}: {e}"),
            }
        }
        rebuilt.push(done.ok_or_else(|| JsError::new(&format!("blob {blob}: {last_error}")))?);
    }
    let payload = unpack(&rebuilt).map_err(|e| JsError::new(&format!("unpacking: {e}")))?;
    Ok(Uint8Array::from(payload.as_slice()))
}
