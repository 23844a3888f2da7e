//! One agent: what it is (owner and its verdict, data items, users,
//! delegate) and what its holder can do with it: download and decrypt its
//! files, authorize and revoke users, delegate access, have the transfer
//! oracle re-encrypt it for a receiver and then transfer or clone it, and,
//! on the receiving side, claim the copy sealed to this account.
//!
//! Every action is checked by the engine before anything is signed (a typo
//! or a refused proof is explained here, with no prompt) and approved by the
//! user in the wallet's window. What the view checks itself is only the
//! shape of what was typed.

use leptos::prelude::*;
use serde_json::{Value, json};

use super::card::AgentCard;
use super::mint::Moving;
use super::requests::{self, inft};
use crate::app::Surface;
use crate::components::{AddressView, ErrorBanner, Loading, ProgressBar, Verification, VerifiedBadge};
use crate::format::address::Address;
use crate::platform::{self, StorageArg};

fn badge_of(verified: bool) -> Verification {
    if verified { Verification::Verified } else { Verification::Unverified }
}

/// An address as a copyable, checksummed [`AddressView`]; other text as code.
pub fn address_or_text(text: &str) -> AnyView {
    match Address::parse(text) {
        Ok(a) => view! { <AddressView address=a/> }.into_any(),
        Err(_) => view! { <code>{text.to_string()}</code> }.into_any(),
    }
}

/// A decrypted file, ready to save.
#[derive(Debug, Clone, PartialEq)]
struct Decrypted {
    name: String,
    length: u64,
    url: String,
}

fn decrypted(answer: &Value) -> Vec<Decrypted> {
    answer
        .as_array()
        .map(|files| {
            files
                .iter()
                .filter_map(|f| {
                    Some(Decrypted {
                        name: f.get("name")?.as_str()?.to_string(),
                        length: f.get("length")?.as_u64()?,
                        url: f.get("url")?.as_str()?.to_string(),
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What the last action came to.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    None,
    Waiting(String),
    Done(String),
    Failed { action: String, message: String },
}

/// Sends one `inft` request to the engine: `waiting` is shown meanwhile,
/// then what `done` makes of the answer, or the refusal; `what` names the
/// request on screen. A request that could not be built (a typo in a field)
/// is shown as refused without reaching the engine.
fn start(
    outcome: RwSignal<Outcome>,
    what: String,
    waiting: String,
    request: Result<Value, String>,
    done: impl FnOnce(Value) -> String + 'static,
) {
    let request = match request {
        Ok(r) => r,
        Err(message) => return outcome.set(Outcome::Failed { action: what, message }),
    };
    outcome.set(Outcome::Waiting(waiting));
    leptos::task::spawn_local(async move {
        outcome.set(match inft(request).await {
            Ok(answer) => Outcome::Done(done(answer)),
            Err(message) => Outcome::Failed { action: what, message },
        });
    });
}

/// An address field with the button that acts on it (authorize, delegate).
#[component]
fn AddressAction(
    /// The input's id.
    id: &'static str,
    /// The field's label.
    label: &'static str,
    /// The button's id.
    button_id: &'static str,
    /// The button's text.
    button: &'static str,
    /// The typed address.
    value: RwSignal<String>,
    /// Another action is running.
    busy: Signal<bool>,
    /// The button was pressed.
    on_submit: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="field-row">
            <label class="field" for=id>
                <span class="field-label">{label}</span>
                <input type="text" id=id placeholder="0x…" spellcheck="false" autocomplete="off"
                       on:input=move |ev| value.set(event_target_value(&ev)) prop:value=move || value.get()/>
            </label>
            <button type="button" class="button" id=button_id on:click=move |_| on_submit.run(())
                    prop:disabled=move || busy.get() || value.get().trim().is_empty()>{button}</button>
        </div>
    }
}

/// The detail of agent `token_id`, as `account` sees it.
#[component]
pub fn AgentDetail(
    /// The account acting.
    #[prop(into)]
    account: Signal<String>,
    /// The agent.
    token_id: String,
    /// Popup or tab (decrypting needs the tab).
    surface: Surface,
    /// Back to the list.
    on_close: Callback<()>,
    /// After an action changed the chain (the list may differ now).
    on_changed: Callback<()>,
) -> impl IntoView {
    let detail = RwSignal::new(None::<Result<AgentCard, String>>);
    let outcome = RwSignal::new(Outcome::None);
    let moving = RwSignal::new(None::<Moving>);
    let files = RwSignal::new(Vec::<Decrypted>::new());
    let user = RwSignal::new(String::new());
    let assistant = RwSignal::new(String::new());
    let receiver = RwSignal::new(String::new());
    let proofs_text = RwSignal::new(String::new());
    let id = StoredValue::new(token_id.clone());

    let reload = move || {
        leptos::task::spawn_local(async move {
            let read = requests::token(&account.get_untracked(), &id.get_value()).await;
            detail.set(Some(read));
        });
    };
    reload();
    let busy = move || matches!(outcome.get(), Outcome::Waiting(_)) || moving.get().is_some();

    // Runs one action; after it the detail is read again and the list told.
    let run = move |what: String, request: Result<Value, String>| {
        let waiting = format!("{what}: waiting for your approval in the wallet's window…");
        start(outcome, what.clone(), waiting, request, move |answer| {
            reload();
            on_changed.run(());
            // A claim with nothing to do says so in a note; a send says where it landed.
            answer.get("note").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| requests::done_text(&what, &answer))
        });
    };
    let send = move |action: &'static str, fields: Result<Value, String>| {
        let request = fields.map(|mut f| {
            f["op"] = json!("send");
            f["from"] = json!(account.get_untracked());
            f["action"] = json!(action);
            f["tokenId"] = json!(id.get_value());
            f
        });
        run(action.to_string(), request);
    };
    let authorize = move |()| send("authorize", requests::address(&user.get_untracked(), "the user").map(|u| json!({"user": u})));
    let revoke = move |u: String| send("revoke", Ok(json!({"user": u})));
    let delegate = move |()| send("delegate", requests::address(&assistant.get_untracked(), "the assistant").map(|a| json!({"assistant": a})));
    let move_to = move |action: &'static str| {
        let fields = requests::address(&receiver.get_untracked(), "the receiver")
            .and_then(|to| Ok(json!({"to": to, "proofs": requests::proofs(&proofs_text.get_untracked())?})));
        send(action, fields);
    };
    let ask_oracle = move |_| {
        let request = requests::address(&receiver.get_untracked(), "the receiver")
            .map(|to| json!({"op": "oracleProof", "from": account.get_untracked(), "tokenId": id.get_value(), "to": to}));
        let waiting = "asking the transfer oracle to re-encrypt the agent for the receiver…".to_string();
        start(outcome, "oracle request".into(), waiting, request, move |answer| {
            proofs_text.set(answer.get("proofs").map(Value::to_string).unwrap_or_default());
            let hash = answer.get("newDataHash").and_then(Value::as_str).unwrap_or("?");
            format!("The oracle re-encrypted the agent for the receiver (new data hash {hash}). Transfer or clone it now.")
        });
    };
    let claim = move |_| run("claim".into(), Ok(json!({"op": "claim", "account": account.get_untracked(), "tokenId": id.get_value()})));
    let decrypt = move |_| {
        let args = json!({"account": account.get_untracked(), "tokenId": id.get_value(), "index": 0});
        files.set(Vec::new());
        outcome.set(Outcome::None);
        moving.set(Some(Moving::starting()));
        leptos::task::spawn_local(async move {
            let answer = platform::agents("decrypt", StorageArg::Json(&args), move |report| {
                if let Some(m) = Moving::from_report(&report) {
                    moving.set(Some(m));
                }
            })
            .await;
            moving.set(None);
            match answer {
                Ok(list) => files.set(decrypted(&list)),
                Err(e) => outcome.set(Outcome::Failed { action: "decrypt".into(), message: e.message }),
            }
        });
    };

    view! {
        <section class="card agent-detail" aria-labelledby="agent-detail-title" data-token-id=token_id.clone()>
            <h2 id="agent-detail-title">{format!("Agent #{token_id}")}</h2>
            {move || match detail.get() {
                None => view! { <Loading what="the agent"/> }.into_any(),
                Some(Err(e)) => view! {
                    <ErrorBanner what=format!("This agent could not be read: {e}.") todo="Go back to the list and open it again; if it was just transferred, it may no longer be yours."/>
                }.into_any(),
                Some(Ok(c)) => view! {
                    <dl class="facts">
                        <dt>"Owner"</dt>
                        <dd id="agent-owner">{c.owner.as_deref().map(address_or_text)}</dd>
                        <dt>"Ownership"</dt>
                        <dd id="agent-verified" title=c.note.clone()><VerifiedBadge state=badge_of(c.verified)/>" "<span class="muted" id="agent-note">{c.note.clone()}</span></dd>
                        <dt>"Delegate"</dt>
                        <dd id="agent-delegate">{c.delegate.clone().unwrap_or_else(|| "none".into())}</dd>
                        <dt>"Sealed keys for you"</dt>
                        <dd id="agent-sealed-keys">{c.sealed_keys}</dd>
                    </dl>
                    <h3>"Data"</h3>
                    <ul class="rows" id="agent-datas">
                        {c.datas.iter().map(|d| view! {
                            <li>
                                <strong>{d.name.clone()}</strong>
                                <p class="muted">{d.files.iter().map(|(n, l)| format!("{n}: {l} B")).collect::<Vec<_>>().join(", ")}</p>
                                <code class="wrap" title="data hash: the 0G storage root of the encrypted data">{d.data_hash.clone()}</code>
                            </li>
                        }).collect_view()}
                    </ul>
                    {(c.sealed_keys > 0).then(|| view! {
                        <p>
                            <button type="button" class="button" id="agent-claim" on:click=claim prop:disabled=busy>
                                "Received this agent? Point it at the copy sealed to you"
                            </button>
                        </p>
                    })}
                    <h3>"Authorized users"</h3>
                    {if c.authorized.is_empty() {
                        view! { <p class="muted" id="agent-users-empty">"Nobody else may use this agent."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="rows" id="agent-users">
                                {c.authorized.iter().map(|u| {
                                    let who = u.clone();
                                    view! {
                                        <li data-user=u.to_ascii_lowercase()>
                                            {address_or_text(u)}" "
                                            <button type="button" class="button agent-revoke" prop:disabled=busy
                                                    aria-label=format!("Revoke {u}") on:click=move |_| revoke(who.clone())>"Revoke"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                }.into_any(),
            }}
            <AddressAction id="agent-authorize-user" label="Authorize a user" button_id="agent-authorize" button="Authorize"
                           value=user busy=Signal::derive(busy) on_submit=Callback::new(authorize)/>
            <AddressAction id="agent-assistant" label="Delegate your access to" button_id="agent-delegate-submit" button="Delegate"
                           value=assistant busy=Signal::derive(busy) on_submit=Callback::new(delegate)/>

            <h3>"Files"</h3>
            {match surface {
                Surface::Popup => view! {
                    <p class="muted">"Downloading and decrypting runs in the full-page wallet."</p>
                    <p><a class="button" href="wallet.html#/agents" target="_blank" rel="noopener">"Open agents in a tab"</a></p>
                }.into_any(),
                Surface::Page => view! {
                    <div class="actions">
                        <button type="button" class="button" id="agent-decrypt" on:click=decrypt prop:disabled=busy>"Download and decrypt"</button>
                    </div>
                }.into_any(),
            }}
            {move || moving.get().map(|m| view! {
                <ProgressBar label=m.label progress=Signal::derive(move || moving.get().map(|m| m.progress).unwrap_or(Moving::starting().progress))/>
            })}
            {move || {
                let list = files.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="rows" id="agent-files">
                        {list.into_iter().map(|f| view! {
                            <li>
                                <a class="button" href=f.url.clone() download=f.name.clone() data-length=f.length.to_string()>
                                    {format!("Save {} ({} B, decrypted and checked)", f.name, f.length)}
                                </a>
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}

            <h3>"Transfer or clone"</h3>
            <p class="muted">"The transfer oracle re-encrypts the agent's data for the receiver and signs proofs of it; the contract checks them. A transfer hands the agent over; a clone mints the receiver a copy and you keep yours."</p>
            <label class="field" for="agent-receiver">
                <span class="field-label">"Receiver"</span>
                <input type="text" id="agent-receiver" placeholder="0x…" spellcheck="false" autocomplete="off"
                       on:input=move |ev| receiver.set(event_target_value(&ev)) prop:value=move || receiver.get()/>
            </label>
            <div class="actions">
                <button type="button" class="button" id="agent-ask-oracle" on:click=ask_oracle
                        prop:disabled=move || busy() || receiver.get().trim().is_empty()>"Get proofs from the transfer oracle"</button>
            </div>
            <label class="field" for="agent-proofs">
                <span class="field-label">"Proofs (from the oracle, or pasted: the oracle's ownership proof and the receiver's access proof, JSON)"</span>
                <textarea id="agent-proofs" rows="4" spellcheck="false"
                          on:input=move |ev| proofs_text.set(event_target_value(&ev)) prop:value=move || proofs_text.get()></textarea>
            </label>
            <div class="actions">
                <button type="button" class="button primary" id="agent-transfer" on:click=move |_| move_to("transfer")
                        prop:disabled=move || busy() || proofs_text.get().trim().is_empty()>"Transfer"</button>
                <button type="button" class="button" id="agent-clone" on:click=move |_| move_to("clone")
                        prop:disabled=move || busy() || proofs_text.get().trim().is_empty()>"Clone"</button>
            </div>

            {move || match outcome.get() {
                Outcome::None => ().into_any(),
                Outcome::Waiting(text) | Outcome::Done(text) => view! { <p class="status" id="agent-action-status" role="status">{text}</p> }.into_any(),
                Outcome::Failed { action, message } => view! {
                    <div id="agent-action-error">
                        <ErrorBanner what=format!("The {action} was not done: {}.", message.trim_end_matches('.')) todo="Fix what the message names and try again."/>
                    </div>
                }.into_any(),
            }}
            <div class="actions">
                <button type="button" class="button" id="agent-back" on:click=move |_| on_close.run(())>"Back to the list"</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decrypted_files_keep_name_length_and_url() {
        let answer = json!([{"name": "a.bin", "length": 12, "url": "blob:x"}, {"name": "broken"}]);
        assert_eq!(decrypted(&answer), vec![Decrypted { name: "a.bin".into(), length: 12, url: "blob:x".into() }]);
        assert!(decrypted(&json!({"not": "a list"})).is_empty());
    }
}
