//! Minting an agent from its files: the engine encrypts them under a fresh
//! data key sealed to the minter, the ciphertext's root goes on chain (a
//! `Flow.submit` the user approves), the ciphertext goes to the storage
//! peers over WebRTC, and the mint itself is the second approval. The bytes
//! move through the agents bridge ([`platform::agents`]), so this panel is
//! only in the full-page wallet.

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::components::{ErrorBanner, ProgressBar};
use crate::format::progress::Progress;
use crate::platform::{self, StorageArg};

/// What a bridge progress report's stage is called on screen.
pub fn stage_label(stage: &str) -> &'static str {
    match stage {
        "encrypt" => "Encrypting in the wallet",
        "upload" => "Uploading the ciphertext to the storage peers",
        "download" => "Downloading the ciphertext (every segment checked against its root)",
        "decrypt" => "Decrypting in the wallet (every chunk's tag checked)",
        _ => "Working",
    }
}

/// A running bridge call: the stage's label and its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Moving {
    /// The stage, as [`stage_label`] names it.
    pub label: &'static str,
    /// How far it is.
    pub progress: Progress,
}

impl Moving {
    /// Before the first report.
    pub fn starting() -> Self {
        Moving { label: "Starting", progress: Progress { done: 0, total: 0, elapsed_ms: 0, resumed: 0 } }
    }

    /// Reads a bridge report (`{stage, done, total, elapsedMs}`).
    pub fn from_report(report: &Value) -> Option<Self> {
        let stage = report.get("stage").and_then(Value::as_str).unwrap_or_default();
        Some(Moving { label: stage_label(stage), progress: Progress::from_report(report)? })
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Phase {
    Idle,
    Running(Moving),
    Minted { token_id: String, block: Option<u64> },
    Failed(String),
}

/// The mint form. `account` mints; `on_minted` runs after a mint lands.
#[component]
pub fn MintPanel(#[prop(into)] account: Signal<String>, on_minted: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::from("my agent"));
    let chosen = RwSignal::new(false);
    let phase = RwSignal::new(Phase::Idle);
    let running = move || matches!(phase.get(), Phase::Running(_));
    let start = move |_| {
        let args = json!({"account": account.get_untracked(), "name": name.get_untracked(), "input": "mint-files"});
        phase.set(Phase::Running(Moving::starting()));
        leptos::task::spawn_local(async move {
            let answer = platform::agents("mint", StorageArg::Json(&args), move |report| {
                if let Some(m) = Moving::from_report(&report) {
                    phase.set(Phase::Running(m));
                }
            })
            .await;
            phase.set(match answer {
                Ok(done) => Phase::Minted {
                    token_id: done.get("tokenId").and_then(Value::as_str).unwrap_or("?").to_string(),
                    block: done.get("blockNumber").and_then(super::requests::block_number),
                },
                Err(e) => Phase::Failed(e.message),
            });
            if matches!(phase.get_untracked(), Phase::Minted { .. }) {
                on_minted.run(());
            }
        });
    };
    view! {
        <section class="card mint" aria-labelledby="mint-title">
            <h2 id="mint-title">"Mint an agent"</h2>
            <p class="muted">"Your agent's files are encrypted in the wallet under a key sealed to you; the ciphertext goes to the storage peers and the agent NFT points at its root. You approve two transactions: the root, then the mint."</p>
            <label class="field" for="mint-name">
                <span class="field-label">"Name"</span>
                <input type="text" id="mint-name" autocomplete="off" prop:disabled=running
                       on:input=move |ev| name.set(event_target_value(&ev)) prop:value=move || name.get()/>
            </label>
            <label class="field" for="mint-files">
                <span class="field-label">"Files"</span>
                <input type="file" id="mint-files" multiple on:change=move |_| chosen.set(true) prop:disabled=running/>
            </label>
            <div class="actions">
                <button type="button" class="button primary" id="mint-start" on:click=start
                        prop:disabled=move || running() || !chosen.get() || name.get().trim().is_empty()>
                    "Encrypt, upload and mint"
                </button>
            </div>
            {move || match phase.get() {
                Phase::Idle => ().into_any(),
                Phase::Running(m) => view! {
                    <ProgressBar label=m.label progress=Signal::derive(move || match phase.get() {
                        Phase::Running(m) => m.progress,
                        _ => Moving::starting().progress,
                    })/>
                }.into_any(),
                Phase::Minted { token_id, block } => view! {
                    <p class="status" id="mint-done" role="status" data-token-id=token_id.clone()>
                        {format!("Minted agent #{token_id}")}
                        {block.map(|b| format!(" in block {b}"))}
                        ". It is in your list below."
                    </p>
                }.into_any(),
                Phase::Failed(e) => view! {
                    <ErrorBanner what=format!("The agent was not minted: {e}.")
                                 todo="Check the files and that the storage peers are reachable, then mint again; nothing was minted, and an upload that stopped resumes."/>
                }.into_any(),
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bridge_reports_name_their_stage() {
        let m = Moving::from_report(&json!({"stage": "encrypt", "done": 5, "total": 10, "elapsedMs": 20})).expect("reads");
        assert_eq!(m.label, "Encrypting in the wallet");
        assert_eq!(m.progress.percent(), 50.0);
        assert_eq!(Moving::from_report(&json!({"stage": "upload", "done": 1, "total": 2})).map(|m| m.label), Some(stage_label("upload")));
        assert_eq!(Moving::from_report(&json!({"stage": "mystery", "done": 1, "total": 2})).map(|m| m.label), Some("Working"));
        assert_eq!(Moving::from_report(&json!({"stage": "encrypt"})), None);
    }
}
