//! Agents: the iNFTs (ERC-7857) the wallet's first account owns, each with
//! its verified/unverified badge, and a way to the agents page where they
//! are minted, opened, authorized and transferred (`inft.html`: that page
//! hosts the WebRTC uploader, which needs a full extension page).

use leptos::prelude::*;
use serde_json::{Value, json};

use crate::components::{EmptyState, ErrorBanner, Loading, VerifiedBadge, Verification};
use crate::platform;

/// One owned agent, as the gallery shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentCard {
    /// Token id, decimal.
    pub token_id: String,
    /// The name the minter gave (from the data description), or the raw description.
    pub name: String,
    /// The first data item's hash (the ciphertext's 0G root).
    pub data_hash: String,
    /// Ownership checked by a state proof against a verified header.
    pub verified: bool,
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

impl AgentCard {
    /// Reads the engine's answer to `{op: "tokens"}`.
    pub fn list_from_reply(reply: &Value) -> Result<Vec<AgentCard>, String> {
        let list = engine_result(reply)?.as_array().ok_or("the engine's token list is not a list")?;
        list.iter()
            .map(|t| {
                let token_id = t.get("tokenId").and_then(Value::as_str).ok_or("a token without an id")?.to_string();
                let first = t.get("datas").and_then(|d| d.get(0));
                let description = first.and_then(|d| d.get("dataDescription")).and_then(Value::as_str).unwrap_or_default();
                let name = serde_json::from_str::<Value>(description)
                    .ok()
                    .and_then(|d| d.get("name").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_else(|| description.to_string());
                let data_hash = first.and_then(|d| d.get("dataHash")).and_then(Value::as_str).unwrap_or_default().to_string();
                Ok(AgentCard { token_id, name, data_hash, verified: t.get("verified") == Some(&Value::Bool(true)) })
            })
            .collect()
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

async fn load() -> Result<Vec<AgentCard>, String> {
    let status = platform::send_to_engine(json!({"kind": "command", "command": {"cmd": "status"}})).await?;
    let account = first_account(&status)?;
    let reply = platform::send_to_engine(json!({"kind": "inft", "request": {"op": "tokens", "account": account}})).await?;
    AgentCard::list_from_reply(&reply)
}

/// The agents gallery.
#[component]
pub fn AgentsView() -> impl IntoView {
    let (cards, set_cards) = signal(None::<Result<Vec<AgentCard>, String>>);
    leptos::task::spawn_local(async move {
        set_cards.set(Some(load().await));
    });
    move || match cards.get() {
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
            <ul class="agents">
                {list.into_iter().map(|c| {
                    let state = if c.verified { Verification::Verified } else { Verification::Unverified };
                    view! {
                        <li data-token-id=c.token_id.clone()>
                            <strong>{format!("#{} · {}", c.token_id, c.name)}</strong>" "
                            <VerifiedBadge state=state/>
                            <code class="muted">{c.data_hash.clone()}</code>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p><a href="inft.html">"Open the agents page"</a></p>
        }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lists_read_and_errors_are_words() {
        let reply = json!({"ok": true, "result": [{
            "tokenId": "3", "verified": false,
            "datas": [{"dataDescription": "{\"name\":\"helper\",\"files\":[],\"sealedKey\":\"0x\"}", "dataHash": "0xab"}],
        }]});
        let cards = AgentCard::list_from_reply(&reply).expect("reads");
        assert_eq!(cards, vec![AgentCard { token_id: "3".into(), name: "helper".into(), data_hash: "0xab".into(), verified: false }]);
        let plain = json!({"ok": true, "result": [{"tokenId": "4", "datas": [{"dataDescription": "raw text", "dataHash": "0x01"}], "verified": true}]});
        assert_eq!(AgentCard::list_from_reply(&plain).expect("reads")[0].name, "raw text");
        let err = json!({"ok": false, "error": {"code": "rpc", "message": "cannot reach the RPC"}});
        assert_eq!(AgentCard::list_from_reply(&err), Err("cannot reach the RPC".into()));
        assert!(AgentCard::list_from_reply(&json!({"ok": true, "result": [{}]})).is_err());
    }

    #[test]
    fn the_first_account_needs_an_unlocked_wallet() {
        let ok = json!({"ok": true, "result": {"unlocked": true, "accounts": [{"address": "0xf39f"}]}});
        assert_eq!(first_account(&ok), Ok("0xf39f".into()));
        let locked = json!({"ok": true, "result": {"unlocked": false, "accounts": []}});
        assert!(first_account(&locked).unwrap_err().contains("locked"));
    }
}
