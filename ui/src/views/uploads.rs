//! Uploads and downloads: files to and from the storage network.
//!
//! Uploading registers the file's root on chain (a `Flow.submit` the user
//! approves in the wallet's window), then sends it erasure-coded to the
//! storage peers over WebRTC; downloading fetches any 4 of 6 shards per
//! segment, verifies every segment against the root and offers the file.
//! WebRTC is not available to the service worker, so the bytes move in the
//! full-page wallet through its storage bridge
//! (`extension/static/storage-bridge.js`, [`platform::storage`]); the popup
//! only points there, since a popup closes when it loses focus. Unfinished
//! uploads (their progress is in IndexedDB) are listed: choosing the same
//! file again resumes without re-sending what the peers acknowledged.

use leptos::prelude::*;
use serde_json::Value;

use crate::app::{Surface, ctx};
use crate::components::{ErrorBanner, ProgressBar};
use crate::format::progress::Progress;
use crate::platform::{self, StorageArg, StorageFailure};

/// A file root as typed: `0x` and 64 hex digits.
pub fn is_root(text: &str) -> bool {
    text.len() == 66 && text.starts_with("0x") && text[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// An upload the peers have not fully acknowledged.
#[derive(Debug, Clone, PartialEq)]
pub struct Unfinished {
    /// The file root.
    pub root: String,
    /// The file's length in bytes.
    pub length: u64,
    /// Bytes the peers acknowledged.
    pub acknowledged: u64,
}

impl Unfinished {
    /// Reads the bridge's `unfinished()` answer.
    pub fn list(answer: &Value) -> Vec<Unfinished> {
        answer
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|u| {
                        Some(Unfinished {
                            root: u.get("root")?.as_str()?.to_string(),
                            length: u.get("length")?.as_u64()?,
                            acknowledged: u.get("bytesAcknowledged").and_then(Value::as_u64).unwrap_or(0),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `12.0 of 64.0 MiB acknowledged`.
    pub fn summary(&self) -> String {
        let mib = |b: u64| b as f64 / 1_048_576.0;
        format!("{:.1} of {:.1} MiB acknowledged", mib(self.acknowledged), mib(self.length))
    }
}

/// Where a transfer stands.
#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Running(Progress),
    Done(Value),
    Cancelled,
    Failed(String),
}

fn progress_of(phase: Phase) -> Progress {
    match phase {
        Phase::Running(p) => p,
        _ => Progress { done: 0, total: 0, elapsed_ms: 0, resumed: 0 },
    }
}

/// Runs one storage call, showing its progress and then its outcome in `phase`.
async fn transfer(phase: RwSignal<Phase>, method: &str, arg: StorageArg<'_>) {
    phase.set(Phase::Running(progress_of(Phase::Idle)));
    let answer = platform::storage(method, arg, move |report| {
        if let Some(p) = Progress::from_report(&report) {
            phase.set(Phase::Running(p));
        }
    })
    .await;
    phase.set(match answer {
        Ok(done) => Phase::Done(done),
        Err(StorageFailure { cancelled: true, .. }) => Phase::Cancelled,
        Err(StorageFailure { message, .. }) => Phase::Failed(message),
    });
}

/// The uploads and downloads view.
#[component]
pub fn UploadsView() -> impl IntoView {
    let wallet = ctx();
    view! {
        <section class="uploads" aria-labelledby="uploads-title">
            <h1 id="uploads-title">"Uploads"</h1>
            {match wallet.surface {
                Surface::Popup => view! {
                    <p>"Files move between this browser and the storage peers in the full-page wallet: a popup closes when it loses focus, and the transfer with it."</p>
                    <p><a class="button primary" id="open-uploads" href="wallet.html#/uploads" target="_blank" rel="noopener">"Open uploads in a tab"</a></p>
                }.into_any(),
                Surface::Page => view! { <UploadPanel/><DownloadPanel/> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn UploadPanel() -> impl IntoView {
    let phase = RwSignal::new(Phase::Idle);
    let chosen = RwSignal::new(false);
    let unfinished = RwSignal::new(Vec::<Unfinished>::new());
    let refresh = move || {
        leptos::task::spawn_local(async move {
            if let Ok(answer) = platform::storage("unfinished", StorageArg::Nothing, |_| {}).await {
                unfinished.set(Unfinished::list(&answer));
            }
        });
    };
    refresh();
    let running = move || matches!(phase.get(), Phase::Running(_));
    let start = move |_| {
        leptos::task::spawn_local(async move {
            transfer(phase, "upload", StorageArg::FileOf("upload-file")).await;
            refresh();
        });
    };
    let cancel = move |_| {
        leptos::task::spawn_local(async move {
            let _ = platform::storage("cancel", StorageArg::Nothing, |_| {}).await;
        });
    };
    view! {
        <section class="card upload" aria-labelledby="upload-title">
            <h2 id="upload-title">"Upload a file"</h2>
            <p class="muted">"The file's root goes on chain (you approve it), then its segments go to six storage peers, any four of which can give it back."</p>
            <label class="field" for="upload-file">
                <span class="field-label">"File"</span>
                <input type="file" id="upload-file" on:change=move |_| chosen.set(true) prop:disabled=running/>
            </label>
            <div class="actions">
                <button type="button" class="button primary" id="upload-start" on:click=start
                        prop:disabled=move || running() || !chosen.get()>"Upload"</button>
                <button type="button" class="button" id="upload-cancel" on:click=cancel
                        prop:disabled=move || !running()>"Cancel"</button>
            </div>
            {move || match phase.get() {
                Phase::Idle => ().into_any(),
                Phase::Running(_) => view! {
                    <ProgressBar label="Uploading" progress=Signal::derive(move || progress_of(phase.get()))/>
                }.into_any(),
                Phase::Done(done) => {
                    let root = done.get("root").and_then(Value::as_str).unwrap_or_default().to_string();
                    let skipped = done.get("skipped").and_then(Value::as_u64).unwrap_or(0);
                    let segments = done.get("segments").and_then(Value::as_u64).unwrap_or(0);
                    view! {
                        <p class="status" id="upload-done" role="status">
                            {format!("Stored: {segments} segments on the peers")}
                            {(skipped > 0).then(|| format!(" ({skipped} were already acknowledged and not sent again)"))}
                            ". Root: "<code id="upload-root">{root}</code>
                        </p>
                    }.into_any()
                }
                Phase::Cancelled => view! {
                    <p class="status" id="upload-cancelled" role="status">"Cancelled. Choose the same file and upload again to resume where it stopped."</p>
                }.into_any(),
                Phase::Failed(e) => view! {
                    <ErrorBanner what=format!("The upload failed: {e}.")
                                 todo="Check that the wallet is unlocked and the storage peers are reachable, then upload again: acknowledged segments are not sent twice."/>
                }.into_any(),
            }}
            <h3>"Unfinished uploads"</h3>
            {move || {
                let list = unfinished.get();
                if list.is_empty() {
                    view! { <p class="muted" id="unfinished-empty">"None."</p> }.into_any()
                } else {
                    view! {
                        <ul class="rows" id="unfinished">
                            {list.into_iter().map(|u| view! {
                                <li data-root=u.root.clone()>
                                    <code>{u.root.clone()}</code>" · "{u.summary()}
                                    <span class="muted">" · choose the same file and Upload to resume"</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[component]
fn DownloadPanel() -> impl IntoView {
    let phase = RwSignal::new(Phase::Idle);
    let root = RwSignal::new(String::new());
    let running = move || matches!(phase.get(), Phase::Running(_));
    let valid = move || is_root(root.get().trim());
    let start = move |_| {
        let wanted = root.get().trim().to_string();
        leptos::task::spawn_local(async move { transfer(phase, "download", StorageArg::Text(&wanted)).await });
    };
    view! {
        <section class="card download" aria-labelledby="download-title">
            <h2 id="download-title">"Download a file"</h2>
            <label class="field" for="download-root">
                <span class="field-label">"File root"</span>
                <input type="text" id="download-root" placeholder="0x…" spellcheck="false" autocomplete="off"
                       aria-describedby="download-hint"
                       on:input=move |ev| root.set(event_target_value(&ev)) prop:value=move || root.get()/>
            </label>
            <p class="muted" id="download-hint">
                {move || if root.get().trim().is_empty() || valid() {
                    "Every segment is checked against this root before it is written."
                } else {
                    "A file root is 0x followed by 64 hex digits."
                }}
            </p>
            <div class="actions">
                <button type="button" class="button primary" id="download-start" on:click=start
                        prop:disabled=move || running() || !valid()>"Download"</button>
            </div>
            {move || match phase.get() {
                Phase::Idle | Phase::Cancelled => ().into_any(),
                Phase::Running(_) => view! {
                    <ProgressBar label="Downloading" progress=Signal::derive(move || progress_of(phase.get()))/>
                }.into_any(),
                Phase::Done(done) => {
                    let url = done.get("url").and_then(Value::as_str).unwrap_or_default().to_string();
                    let length = done.get("length").and_then(Value::as_u64).unwrap_or(0);
                    let name = format!("{}.bin", done.get("root").and_then(Value::as_str).unwrap_or("file"));
                    view! {
                        <p class="status" role="status">
                            <a class="button" id="download-link" href=url download=name>
                                {format!("Save {length} bytes (every segment verified)")}
                            </a>
                        </p>
                    }.into_any()
                }
                Phase::Failed(e) => view! {
                    <ErrorBanner what=format!("The download failed: {e}.")
                                 todo="Check the root; if it is right, the peers holding the file may be offline: try again later."/>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn roots_are_0x_and_64_hex_digits() {
        assert!(is_root(&format!("0x{}", "aB".repeat(32))));
        assert!(!is_root("0x1234"));
        assert!(!is_root(&format!("0x{}", "g".repeat(64))));
        assert!(!is_root(&"a".repeat(66)));
    }

    #[test]
    fn unfinished_uploads_read_and_say_how_far() {
        let answer = json!([
            {"root": "0xab", "length": 64 * 1_048_576, "segments": 256, "acknowledged": 64, "bytesAcknowledged": 16 * 1_048_576},
            {"root": 3},
        ]);
        let list = Unfinished::list(&answer);
        assert_eq!(list, vec![Unfinished { root: "0xab".into(), length: 64 * 1_048_576, acknowledged: 16 * 1_048_576 }]);
        assert_eq!(list[0].summary(), "16.0 of 64.0 MiB acknowledged");
        assert!(Unfinished::list(&json!({"not": "a list"})).is_empty());
    }
}
