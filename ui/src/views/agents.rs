//! Agents: the iNFTs (ERC-7857) the wallet's first account owns, each with
//! its ownership verified by the light client, and a detail view (owner and
//! its verdict, delegate, data items with their files and hashes, authorized
//! users, sealed keys). Reads go through the worker's `agents` message
//! (`Engine.verifiedTokens`): the engine reads the token from the RPC and
//! the worker's header client proves its owner against a verified header, so
//! this view and the agents page (`inft.html`) show one verdict from one
//! rule. Minting, uploads, downloads and the actions (authorize, transfer,
//! clone) stay on the agents page: it hosts the WebRTC uploader, which needs
//! a full extension page.

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::components::{AddressView, EmptyState, ErrorBanner, Loading, VerifiedBadge, Verification};
use crate::format::address::Address;
use crate::platform;

/// One data item of a token, as the minter described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataItem {
    /// The name the minter gave (or the raw description).
    pub name: String,
    /// `(file name, bytes)` from the description.
    pub files: Vec<(String, u64)>,
    /// The ciphertext's 0G root.
    pub data_hash: String,
}

/// One owned agent, as the gallery and the detail show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCard {
    /// Token id, decimal.
    pub token_id: String,
    /// The name of its first data item.
    pub name: String,
    /// The first data item's hash (the ciphertext's 0G root).
    pub data_hash: String,
    /// Ownership checked by a state proof against a verified header.
    pub verified: bool,
    /// Why it is or is not verified, in a sentence.
    pub note: String,
    /// The owner the RPC reported.
    pub owner: Option<String>,
    /// Every data item.
    pub datas: Vec<DataItem>,
    /// Accounts authorized to use it (detail reads only).
    pub authorized: Vec<String>,
    /// The owner's delegate, if any (detail reads only).
    pub delegate: Option<String>,
    /// Sealed-key events addressed to the account (detail reads only).
    pub sealed_keys: usize,
}

fn engine_result(reply: &Value) -> Result<&Value, String> {
    if reply.get("ok") == Some(&Value::Bool(true)) {
        return reply.get("result").ok_or_else(|| "the engine's answer has no result".to_string());
    }
    let error = reply.get("error");
    Err(error
        .and_then(|e| e.get("message").and_then(Value::as_str).or_else(|| e.as_str()))
        .unwrap_or("the wallet engine did not answer")
        .to_string())
}

fn data_item(d: &Value) -> DataItem {
    let description = d.get("dataDescription").and_then(Value::as_str).unwrap_or_default();
    let parsed = serde_json::from_str::<Value>(description).ok();
    let name = parsed
        .as_ref()
        .and_then(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
        .unwrap_or_else(|| description.to_string());
    let files = parsed
        .as_ref()
        .and_then(|p| p.get("files").and_then(Value::as_array))
        .map(|fs| {
            fs.iter()
                .filter_map(|f| Some((f.get(0)?.as_str()?.to_string(), f.get(1)?.as_u64()?)))
                .collect()
        })
        .unwrap_or_default();
    let data_hash = d.get("dataHash").and_then(Value::as_str).unwrap_or_default().to_string();
    DataItem { name, files, data_hash }
}

impl AgentCard {
    /// Reads one token of the engine's answer.
    pub fn from_token(t: &Value) -> Result<AgentCard, String> {
        let token_id = t.get("tokenId").and_then(Value::as_str).ok_or("a token without an id")?.to_string();
        let datas: Vec<DataItem> = t.get("datas").and_then(Value::as_array).map(|ds| ds.iter().map(data_item).collect()).unwrap_or_default();
        let verified = t.get("verified") == Some(&Value::Bool(true));
        let note = t.get("verifiedNote").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| {
            if verified { "ownership checked by a state proof against a verified header".into() } else { "ownership not checked".into() }
        });
        let strings = |key: &str| -> Vec<String> {
            t.get(key).and_then(Value::as_array).map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
        };
        Ok(AgentCard {
            token_id,
            name: datas.first().map(|d| d.name.clone()).unwrap_or_default(),
            data_hash: datas.first().map(|d| d.data_hash.clone()).unwrap_or_default(),
            verified,
            note,
            owner: t.get("owner").and_then(Value::as_str).map(str::to_string),
            authorized: strings("authorizedUsers"),
            delegate: t.get("ownerDelegate").and_then(Value::as_str).map(str::to_string),
            sealed_keys: t.get("sealedKeys").and_then(Value::as_array).map_or(0, Vec::len),
            datas,
        })
    }

    /// Reads the engine's answer to `{op: "tokens"}`.
    pub fn list_from_reply(reply: &Value) -> Result<Vec<AgentCard>, String> {
        let list = engine_result(reply)?.as_array().ok_or("the engine's token list is not a list")?;
        list.iter().map(AgentCard::from_token).collect()
    }

    /// Reads the engine's answer to `{op: "token"}`.
    pub fn one_from_reply(reply: &Value) -> Result<AgentCard, String> {
        AgentCard::from_token(engine_result(reply)?)
    }
}

/// The first account, from the engine's `status` command answer.
pub fn first_account(reply: &Value) -> Result<String, String> {
    let status = engine_result(reply)?;
    if status.get("unlocked") != Some(&Value::Bool(true)) {
        return Err("the wallet is locked: unlock it to see your agents".into());
    }
    status
        .get("accounts")
        .and_then(|a| a.get(0))
        .and_then(|a| a.get("address"))
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| "the wallet has no account yet".into())
}

async fn account() -> Result<String, String> {
    first_account(&platform::send_to_engine(json!({"kind": "command", "command": {"cmd": "status"}})).await?)
}

async fn load() -> Result<Vec<AgentCard>, String> {
    let account = account().await?;
    let reply = platform::send_to_engine(json!({"kind": "agents", "request": {"op": "tokens", "account": account}})).await?;
    AgentCard::list_from_reply(&reply)
}

async fn load_one(token_id: String) -> Result<AgentCard, String> {
    let account = account().await?;
    let reply = platform::send_to_engine(json!({"kind": "agents", "request": {"op": "token", "tokenId": token_id, "account": account}})).await?;
    AgentCard::one_from_reply(&reply)
}

fn badge_of(verified: bool) -> Verification {
    if verified { Verification::Verified } else { Verification::Unverified }
}

fn address_or_text(text: &str) -> AnyView {
    match Address::parse(text) {
        Ok(a) => view! { <AddressView address=a/> }.into_any(),
        Err(_) => view! { <code>{text.to_string()}</code> }.into_any(),
    }
}

/// The detail of one agent.
#[component]
fn AgentDetail(token_id: String, on_close: Callback<()>) -> impl IntoView {
    let (detail, set_detail) = signal(None::<Result<AgentCard, String>>);
    let id = token_id.clone();
    leptos::task::spawn_local(async move {
        set_detail.set(Some(load_one(id).await));
    });
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
                        <dd>{c.sealed_keys}</dd>
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
                    <h3>"Authorized users"</h3>
                    {if c.authorized.is_empty() {
                        view! { <p class="muted" id="agent-users-empty">"Nobody else may use this agent."</p> }.into_any()
                    } else {
                        view! { <ul class="rows" id="agent-users">{c.authorized.iter().map(|u| view! { <li>{address_or_text(u)}</li> }).collect_view()}</ul> }.into_any()
                    }}
                    <p class="muted">"Download and decrypt, authorize, transfer and clone on the agents page."</p>
                }.into_any(),
            }}
            <div class="actions">
                <button type="button" class="button" id="agent-back" on:click=move |_| on_close.run(())>"Back to the list"</button>
                <a class="button" href="inft.html">"Open on the agents page"</a>
            </div>
        </section>
    }
}

/// The agents gallery, and the detail of the one opened.
#[component]
pub fn AgentsView() -> impl IntoView {
    let (cards, set_cards) = signal(None::<Result<Vec<AgentCard>, String>>);
    let open = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        set_cards.set(Some(load().await));
    });
    let close = Callback::new(move |()| open.set(None));
    move || {
        if let Some(id) = open.get() {
            return view! { <AgentDetail token_id=id on_close=close/> }.into_any();
        }
        match cards.get() {
            None => view! { <Loading what="your agents"/> }.into_any(),
            Some(Err(e)) => view! {
                <ErrorBanner what=format!("Your agents could not be listed: {e}.")
                             todo="Check that the wallet is unlocked and the network is reachable, then reopen this view."/>
            }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! {
                <EmptyState title="No agents yet" hint="Mint one from your agent's files on the agents page."/>
                <p><a href="inft.html">"Open the agents page"</a></p>
            }.into_any(),
            Some(Ok(list)) => view! {
                <ul class="agents rows">
                    {list.into_iter().map(|c| {
                        let id = c.token_id.clone();
                        view! {
                            <li data-token-id=c.token_id.clone() title=c.note.clone()>
                                <button type="button" class="link-button agent-open" on:click=move |_| open.set(Some(id.clone()))>
                                    <strong>{format!("#{} · {}", c.token_id, c.name)}</strong>
                                </button>" "
                                <VerifiedBadge state=badge_of(c.verified)/>
                                <code class="muted">{c.data_hash.clone()}</code>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <p><a href="inft.html">"Open the agents page"</a></p>
            }.into_any(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lists_read_and_errors_are_words() {
        let reply = json!({"ok": true, "result": [{
            "tokenId": "3", "verified": true, "verifiedNote": "owner proven by a state proof against verified header 8",
            "owner": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266",
            "datas": [{"dataDescription": "{\"name\":\"helper\",\"files\":[[\"a.bin\",12]],\"sealedKey\":\"0x\"}", "dataHash": "0xab"}],
        }]});
        let cards = AgentCard::list_from_reply(&reply).expect("reads");
        assert_eq!(cards.len(), 1);
        let c = &cards[0];
        assert_eq!((c.token_id.as_str(), c.name.as_str(), c.data_hash.as_str(), c.verified), ("3", "helper", "0xab", true));
        assert_eq!(c.note, "owner proven by a state proof against verified header 8");
        assert_eq!(c.datas[0].files, vec![("a.bin".to_string(), 12)]);
        assert_eq!(c.owner.as_deref(), Some("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
        let plain = json!({"ok": true, "result": [{"tokenId": "4", "datas": [{"dataDescription": "raw text", "dataHash": "0x01"}], "verified": false}]});
        let p = &AgentCard::list_from_reply(&plain).expect("reads")[0];
        assert_eq!((p.name.as_str(), p.note.as_str()), ("raw text", "ownership not checked"));
        assert!(p.datas[0].files.is_empty());
        let err = json!({"ok": false, "error": {"code": "rpc", "message": "cannot reach the RPC"}});
        assert_eq!(AgentCard::list_from_reply(&err), Err("cannot reach the RPC".into()));
        assert!(AgentCard::list_from_reply(&json!({"ok": true, "result": [{}]})).is_err());
    }

    #[test]
    fn a_detail_read_keeps_users_delegate_and_sealed_keys() {
        let reply = json!({"ok": true, "result": {
            "tokenId": "7", "owner": "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266", "verified": false,
            "verifiedNote": "not verified: the header API did not answer",
            "datas": [], "authorizedUsers": ["0x70997970c51812dc3a010c7d01b50e0d17dc79c8"],
            "ownerDelegate": null, "sealedKeys": [{"to": "0x01"}, {"to": "0x02"}],
        }});
        let c = AgentCard::one_from_reply(&reply).expect("reads");
        assert_eq!(c.authorized, vec!["0x70997970c51812dc3a010c7d01b50e0d17dc79c8".to_string()]);
        assert_eq!(c.delegate, None);
        assert_eq!(c.sealed_keys, 2);
        assert_eq!(c.name, "");
        assert!(!c.verified);
        assert!(c.note.contains("header API"));
    }

    #[test]
    fn the_first_account_needs_an_unlocked_wallet() {
        let ok = json!({"ok": true, "result": {"unlocked": true, "accounts": [{"address": "0xf39f"}]}});
        assert_eq!(first_account(&ok), Ok("0xf39f".into()));
        let locked = json!({"ok": true, "result": {"unlocked": false, "accounts": []}});
        assert!(first_account(&locked).unwrap_err().contains("locked"));
    }
}
