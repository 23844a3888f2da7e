//! The browser, as the UI needs it: the clipboard, the engine's messages and
//! the theme preference. The one place with `cfg(target_arch)`: natively (for
//! tests of the pure modules) these do nothing and the engine is unreachable.

use serde_json::Value;

/// Copies text to the clipboard (best effort: the browser may refuse).
pub fn copy_text(text: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = text;
}

/// The URL's fragment (`#/status`), or empty.
pub fn fragment() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
    }
}

/// Calls `on_change` with the new fragment whenever it changes.
pub fn watch_fragment(on_change: impl Fn(String) + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let closure = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || on_change(fragment()));
        if let Some(window) = web_sys::window() {
            window.set_onhashchange(Some(closure.as_ref().unchecked_ref()));
        }
        // The shell lives as long as the page, and so does its listener.
        closure.forget();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = on_change;
}

/// Sends a message to the extension's service worker and waits for its
/// answer. Outside the extension (a plain page), says so.
pub async fn send_to_engine(message: Value) -> Result<Value, String> {
    #[cfg(target_arch = "wasm32")]
    {
        wasm::send(message).await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = message;
        Err("the wallet engine is only reachable inside the extension".into())
    }
}

/// Why the engine refused a command: its stable code and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineError {
    /// `wrongPassword`, `locked`, `badMnemonic`, … (or `unreachable`).
    pub code: String,
    /// What happened, for the user.
    pub message: String,
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Reads a `{ok, result}` / `{ok: false, error: {code, message}}` reply.
pub fn read_reply(reply: Result<Value, String>) -> Result<Value, EngineError> {
    let reply = reply.map_err(|message| EngineError { code: "unreachable".into(), message })?;
    if reply.get("ok") == Some(&Value::Bool(true)) {
        return Ok(reply.get("result").cloned().unwrap_or(Value::Null));
    }
    let error = reply.get("error");
    let code = error.and_then(|e| e.get("code")).map(|c| c.as_str().map_or_else(|| c.to_string(), str::to_string));
    let message = error.and_then(|e| e.get("message").and_then(Value::as_str).or_else(|| e.as_str()));
    Err(EngineError {
        code: code.unwrap_or_else(|| "internal".into()),
        message: message.unwrap_or("the wallet engine did not answer").to_string(),
    })
}

/// Sends a command (see `extension/src/commands.rs`) and returns its reply.
pub async fn command(command: Value) -> Result<Value, EngineError> {
    read_reply(send_to_engine(serde_json::json!({"kind": "command", "command": command})).await)
}

/// Sends a message of another kind (`readings`, `activity`, `send`).
pub async fn ask(kind: &str, params: Option<Value>) -> Result<Value, EngineError> {
    let mut message = serde_json::json!({"kind": kind});
    if let Some(p) = params {
        message["params"] = p;
    }
    read_reply(send_to_engine(message).await)
}

/// Closes this window (the approval window once nothing waits).
pub fn close_window() {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.close();
    }
}

/// Sets the URL's fragment (routes the app).
pub fn set_fragment(fragment: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(fragment);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = fragment;
}

/// A `data:` URL of `text` as JSON, for a download link.
pub fn json_data_url(text: &str) -> String {
    #[cfg(target_arch = "wasm32")]
    {
        format!("data:application/json;charset=utf-8,{}", String::from(js_sys::encode_uri_component(text)))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        format!("data:application/json;charset=utf-8,{}", text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replies_and_refusals_are_read() {
        assert_eq!(read_reply(Ok(json!({"ok": true, "result": [1]}))), Ok(json!([1])));
        let e = read_reply(Ok(json!({"ok": false, "error": {"code": "wrongPassword", "message": "wrong password"}}))).unwrap_err();
        assert_eq!((e.code.as_str(), e.message.as_str()), ("wrongPassword", "wrong password"));
        let e = read_reply(Ok(json!({"ok": false, "error": {"code": 4001, "message": "no"}}))).unwrap_err();
        assert_eq!(e.code, "4001");
        assert_eq!(read_reply(Err("gone".into())).unwrap_err().code, "unreachable");
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use js_sys::{Function, JSON, Promise, Reflect};
    use serde_json::Value;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;

    fn describe(e: &JsValue) -> String {
        e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| "unknown error".into())
    }

    fn to_json(v: &JsValue) -> Value {
        let text = JSON::stringify(v).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "null".into());
        serde_json::from_str(&text).unwrap_or(Value::Null)
    }

    pub async fn bridge(
        name: &str,
        method: &str,
        arg: super::StorageArg<'_>,
        mut on_progress: Box<dyn FnMut(Value)>,
    ) -> Result<Value, super::StorageFailure> {
        use super::{StorageArg, StorageFailure};
        let fail = |message: String| StorageFailure { cancelled: false, message };
        let global = js_sys::global();
        let bridge = Reflect::get(&global, &name.into())
            .ok()
            .filter(|b| !b.is_undefined())
            .ok_or_else(|| fail("moving files to and from the storage peers needs the full-page wallet: open Aloft in a tab".into()))?;
        let call: Function = Reflect::get(&bridge, &method.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| fail(format!("the storage bridge has no {method}")))?;
        let arg = match arg {
            StorageArg::Text(t) => JsValue::from_str(t),
            StorageArg::Nothing => JsValue::UNDEFINED,
            StorageArg::Json(value) => JSON::parse(&value.to_string()).map_err(|e| fail(describe(&e)))?,
            StorageArg::FileOf(id) => web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(id))
                .and_then(|input| Reflect::get(&input, &"files".into()).ok())
                .and_then(|files| Reflect::get(&files, &0.into()).ok())
                .unwrap_or(JsValue::UNDEFINED),
        };
        let progress = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| on_progress(to_json(&p)));
        let answer = match call.call2(&bridge, &arg, progress.as_ref()) {
            Ok(value) => match value.dyn_into::<Promise>() {
                Ok(promise) => JsFuture::from(promise).await,
                Err(value) => Ok(value),
            },
            Err(e) => Err(e),
        };
        drop(progress);
        answer.map(|v| to_json(&v)).map_err(|e| {
            let name = Reflect::get(&e, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
            StorageFailure { cancelled: name == "AbortError", message: describe(&e) }
        })
    }

    pub fn local_storage() -> Option<web_sys::Storage> {
        web_sys::window()?.local_storage().ok().flatten()
    }

    pub async fn send(message: Value) -> Result<Value, String> {
        let global = js_sys::global();
        let runtime = Reflect::get(&global, &"chrome".into())
            .and_then(|c| Reflect::get(&c, &"runtime".into()))
            .ok()
            .filter(|r| !r.is_undefined())
            .ok_or("this page is not part of the Aloft extension")?;
        let send: Function = Reflect::get(&runtime, &"sendMessage".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or("chrome.runtime.sendMessage is unavailable")?;
        let arg = JSON::parse(&message.to_string()).map_err(|e| describe(&e))?;
        let promise: Promise = send.call1(&runtime, &arg).map_err(|e| describe(&e))?.dyn_into().map_err(|e| describe(&e))?;
        let reply = JsFuture::from(promise).await.map_err(|e| describe(&e))?;
        let text = JSON::stringify(&reply).ok().and_then(|s| s.as_string()).unwrap_or_else(|| "null".into());
        serde_json::from_str(&text).map_err(|e| format!("the engine's answer is not JSON: {e}"))
    }
}

/// What a storage call is given.
#[derive(Debug, Clone, Copy)]
pub enum StorageArg<'a> {
    /// The file chosen in the `<input type="file">` with this id.
    FileOf(&'a str),
    /// A text, such as a file root.
    Text(&'a str),
    /// Nothing.
    Nothing,
    /// A JSON value (an object of named arguments).
    Json(&'a Value),
}

/// Why a storage call did not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageFailure {
    /// The user cancelled it.
    pub cancelled: bool,
    /// What happened, in the bridge's words.
    pub message: String,
}

/// Calls `window.aloftUploads.<method>(arg, onProgress)`, the full-page
/// wallet's storage bridge (`extension/static/storage-bridge.js`): uploads and
/// downloads need WebRTC, which the service worker does not have. Progress
/// reports reach `on_progress` as JSON; the answer comes back as JSON.
pub async fn storage(method: &str, arg: StorageArg<'_>, on_progress: impl FnMut(Value) + 'static) -> Result<Value, StorageFailure> {
    bridge("aloftUploads", method, arg, on_progress).await
}

/// Calls `window.aloftAgents.<method>(arg, onProgress)`, the full-page
/// wallet's agents bridge (`extension/static/agents-bridge.js`): minting and
/// decrypting agents move their ciphertext over WebRTC like uploads do.
pub async fn agents(method: &str, arg: StorageArg<'_>, on_progress: impl FnMut(Value) + 'static) -> Result<Value, StorageFailure> {
    bridge("aloftAgents", method, arg, on_progress).await
}

async fn bridge(name: &str, method: &str, arg: StorageArg<'_>, on_progress: impl FnMut(Value) + 'static) -> Result<Value, StorageFailure> {
    #[cfg(target_arch = "wasm32")]
    {
        wasm::bridge(name, method, arg, Box::new(on_progress)).await
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (name, method, arg, on_progress);
        Err(StorageFailure { cancelled: false, message: "storage runs in the browser".into() })
    }
}

/// The extension's `localStorage` entry `key` (extension pages share one
/// origin, so the popup and the tab see the same entries). For view
/// preferences only: nothing secret goes here.
pub fn local_get(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        wasm::local_storage()?.get_item(key).ok().flatten()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = key;
        None
    }
}

/// Sets the `localStorage` entry `key` (best effort: storage may be full or off).
pub fn local_set(key: &str, value: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(storage) = wasm::local_storage() {
        let _ = storage.set_item(key, value);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (key, value);
}

/// Milliseconds since the epoch, by the browser's clock.
pub fn now_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Date::now()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0.0, |d| d.as_millis() as f64)
    }
}

/// A `data:` URL holding `text` (percent-encoded), for a download link
/// that needs no object URL to revoke.
pub fn data_url(mime: &str, text: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod data_url_tests {
    #[test]
    fn data_urls_percent_encode_everything_else() {
        assert_eq!(super::data_url("application/json", "[{\"a\": 1}]\n"), "data:application/json;charset=utf-8,%5B%7B%22a%22%3A%201%7D%5D%0A");
        assert_eq!(super::data_url("text/plain", "é"), "data:text/plain;charset=utf-8,%C3%A9");
    }
}
