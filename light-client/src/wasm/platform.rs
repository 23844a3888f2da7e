//! The browser's [`Platform`]: the global `fetch`, `Date.now` and IndexedDB,
//! through the small JS module `glue.js` (which uses `globalThis` only, so
//! pages and Web Workers both work).

use wasm_bindgen::prelude::*;

use crate::client::{Platform, PlatformError};

#[wasm_bindgen(module = "/src/wasm/glue.js")]
extern "C" {
    #[wasm_bindgen(catch, js_name = httpGet)]
    async fn http_get(url: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = nowMs)]
    fn now() -> f64;
    #[wasm_bindgen(catch, js_name = idbGet)]
    async fn idb_get(key: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_name = idbPut)]
    async fn idb_put(key: &str, value: &[u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = openSocket)]
    pub(crate) fn open_socket(url: &str, on_message: &Closure<dyn FnMut(String)>, on_close: &Closure<dyn FnMut()>) -> JsValue;
    #[wasm_bindgen(js_name = closeSocket)]
    pub(crate) fn close_socket(ws: &JsValue);
}

/// The message of a thrown JS value.
pub(crate) fn js_message(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

fn bytes(v: &JsValue) -> Option<Vec<u8>> {
    v.dyn_ref::<js_sys::Uint8Array>().map(js_sys::Uint8Array::to_vec)
}

/// fetch, Date.now and IndexedDB.
pub(crate) struct Browser;

impl Platform for Browser {
    async fn get(&self, url: &str) -> Result<Vec<u8>, PlatformError> {
        let v = http_get(url).await.map_err(|e| PlatformError(js_message(&e)))?;
        bytes(&v).ok_or_else(|| PlatformError("fetch gave no bytes".into()))
    }

    fn now_ms(&self) -> u64 {
        now().max(0.0) as u64
    }

    async fn load(&self, key: &str) -> Result<Option<Vec<u8>>, PlatformError> {
        let v = idb_get(key).await.map_err(|e| PlatformError(js_message(&e)))?;
        Ok(bytes(&v))
    }

    async fn store(&self, key: &str, value: &[u8]) -> Result<(), PlatformError> {
        idb_put(key, value).await.map(|_| ()).map_err(|e| PlatformError(js_message(&e)))
    }
}
