//! The approval card: who asks (origin, with look-alike and HTTP warnings),
//! on which network, and what exactly (the account shared, the message or
//! typed data, or the transaction with its decoded call, value and fees).
//! It renders the engine's `currentApproval` view and decides nothing.

use leptos::prelude::*;
use serde_json::Value;

use crate::engine;
use crate::format::amount::format_units;

/// The card's title for a request type.
pub fn title(kind: &str) -> &'static str {
    match kind {
        "connect" => "Connect this site?",
        "sign" => "Sign this message?",
        "transaction" => "Send this transaction?",
        "addNetwork" => "Add this network?",
        "agentTransferProofs" => "Re-encrypt this agent for a transfer?",
        _ => "Request",
    }
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

fn wei(v: &Value, symbol: &str) -> String {
    engine::ether(v.as_str().unwrap_or_default(), symbol)
}

fn gwei(v: &Value) -> String {
    format!("{} gwei", format_units(v.as_str().unwrap_or("0"), 9, 4))
}

/// The rows `(term, value)` the card shows for a request's `detail`.
pub fn rows(detail: &Value, symbol: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut row = |t: &str, v: String| out.push((t.to_string(), v));
    match detail["type"].as_str().unwrap_or_default() {
        "connect" => {
            row("Account shared", text(&detail["account"]));
            row("The site may", "see this address and its balance, and ask you to sign or send".into());
        }
        "sign" => {
            row("Account", text(&detail["account"]));
            let content = &detail["content"];
            if content["kind"] == "message" {
                row("Message", content["text"].as_str().map(str::to_string).unwrap_or_else(|| text(&content["hex"])));
            } else {
                let domain = &content["domain"];
                row("Typed data", format!("{} for {}", text(&content["primaryType"]), domain["name"].as_str().unwrap_or("unnamed domain")));
                if !domain["chainId"].is_null() {
                    row("Domain chain", text(&domain["chainId"]));
                }
                if !domain["verifyingContract"].is_null() {
                    row("Contract", text(&domain["verifyingContract"]));
                }
                if let Some(fields) = content["message"].as_object() {
                    for (k, v) in fields {
                        row(&format!("· {k}"), text(v));
                    }
                }
            }
        }
        "transaction" => {
            row("From", text(&detail["from"]));
            row("To", detail["to"].as_str().map(str::to_string).unwrap_or_else(|| "new contract".into()));
            row("Value", wei(&detail["value"], symbol));
            let call = &detail["call"];
            match call["kind"].as_str() {
                Some("call") => {
                    row("Call", format!("{} {}", text(&call["standard"]), text(&call["function"])));
                    for arg in call["args"].as_array().into_iter().flatten() {
                        row(&format!("· {}", text(&arg["name"])), text(&arg["value"]));
                    }
                }
                Some("raw") => {
                    let data = text(&call["data"]);
                    let shown = if data.len() > 74 { format!("{}…", &data[..74]) } else { data };
                    row("Data (not decoded)", format!("{shown} — {}", text(&call["note"])));
                }
                _ => row("Call", "plain transfer, no data".into()),
            }
            row("Gas limit", text(&detail["gasLimit"]));
            row("Max fee per gas", gwei(&detail["maxFeePerGas"]));
            row("Priority fee", gwei(&detail["maxPriorityFeePerGas"]));
            row("Max total cost", wei(&detail["maxCost"], symbol));
            row("Nonce", text(&detail["nonce"]));
        }
        "addNetwork" => {
            let n = &detail["network"];
            row("Name", text(&n["name"]));
            row("Chain id", text(&n["chainId"]));
            row("RPC", text(&n["rpcUrl"]));
        }
        "agentTransferProofs" => {
            row("Request", text(&detail["summary"]));
            row("Agent", format!("#{}", text(&detail["tokenId"])));
            row("Owner", text(&detail["account"]));
            let own = if detail["receiverIsOwn"] == Value::Bool(true) { " (an account of this wallet)" } else { "" };
            row("Receiver", format!("{}{own}", text(&detail["to"])));
            row("Transfer oracle", text(&detail["oracle"]));
            row("Receiver's access proof", text(&detail["accessProof"]));
            row("The site gets", text(&detail["siteGets"]));
            row("Next", "the site asks you separately to send iTransferFrom with these proofs".into());
        }
        _ => row("Request", detail.to_string()),
    }
    out
}

/// Who asked, as the card's headline shows it.
pub fn origin_label(origin: &str) -> String {
    if origin == "aloft://wallet" { "Aloft (you, from the Send view)".into() } else { origin.to_string() }
}

/// Shows one request (the engine's approval view).
#[component]
pub fn ApprovalCard(
    /// The engine's `currentApproval` answer.
    approval: Value,
) -> impl IntoView {
    let detail = approval["detail"].clone();
    let kind = detail["type"].as_str().unwrap_or_default().to_string();
    let network = &approval["network"];
    let chain = u64::from_str_radix(network["chainId"].as_str().unwrap_or("0").trim_start_matches("0x"), 16).unwrap_or(0);
    let symbol = engine::NetworkInfo { chain_id: network["chainId"].as_str().unwrap_or_default().into(), name: String::new(), rpc_url: None }.symbol();
    let warning = approval["originWarning"].as_str().map(|w| format!("Check the address: {w}"));
    let queued = approval["queued"].as_u64().unwrap_or(1);
    let origin = approval["origin"].as_str().unwrap_or_default().to_string();
    let detail_json = serde_json::to_string_pretty(&detail).unwrap_or_default();
    view! {
        <article class="approval-card card" data-approval-type=kind.clone() aria-labelledby="approval-title">
            <h1 id="approval-title">{title(&kind)}</h1>
            <p class="approval-from">"From "<strong id="approval-origin">{origin_label(&origin)}</strong>
               " on "<span id="approval-network">{format!("{} ({chain})", network["name"].as_str().unwrap_or_default())}</span></p>
            {warning.map(|w| view! { <p id="approval-origin-warning" class="warning" role="alert">{w}</p> })}
            {(queued > 1).then(|| view! { <p id="approval-queue" class="muted">{format!("{} more request(s) waiting after this one", queued - 1)}</p> })}
            <dl id="approval-summary" class="facts">
                {rows(&detail, symbol).into_iter().map(|(t, v)| view! { <dt>{t}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            <details><summary>"Details (as the engine sees them)"</summary><pre id="approval-detail">{detail_json}</pre></details>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_decoded_transfer_shows_its_call_value_and_fees() {
        let detail = json!({
            "type": "transaction", "from": "0xf39f", "to": "0x7099", "value": "10000000000000000", "nonce": 3, "gasLimit": 21000,
            "maxFeePerGas": "2000000000", "maxPriorityFeePerGas": "1000000000", "maxCost": "10042000000000000",
            "call": {"kind": "call", "standard": "ERC-20", "function": "transfer", "args": [{"name": "to", "value": "0x1111"}, {"name": "amount", "value": "5"}]}
        });
        let rows = rows(&detail, "ETH");
        let find = |t: &str| rows.iter().find(|(k, _)| k == t).map(|(_, v)| v.clone()).unwrap_or_default();
        assert_eq!(find("Value"), "0.01 ETH");
        assert_eq!(find("Call"), "ERC-20 transfer");
        assert_eq!(find("· amount"), "5");
        assert_eq!(find("Max fee per gas"), "2 gwei");
        assert_eq!(find("Max total cost"), "0.010042 ETH");
        assert_eq!(title("transaction"), "Send this transaction?");
        assert_eq!(origin_label("aloft://wallet"), "Aloft (you, from the Send view)");
    }

    #[test]
    fn an_agent_transfer_request_says_what_the_site_gets() {
        let detail = json!({"type": "agentTransferProofs", "summary": "Re-encrypt agent #3 for 0x7099 through the transfer oracle; the site gets the proofs, not the key.",
            "tokenId": "3", "account": "0xf39f", "to": "0x7099", "receiverIsOwn": true, "oracle": "http://127.0.0.1:8592",
            "accessProof": "signed by Aloft", "siteGets": "the transfer proofs, never the key"});
        let rows = rows(&detail, "ETH");
        let find = |t: &str| rows.iter().find(|(k, _)| k == t).map(|(_, v)| v.clone()).unwrap_or_default();
        assert!(find("Request").starts_with("Re-encrypt agent #3 for 0x7099"));
        assert_eq!(find("Agent"), "#3");
        assert_eq!(find("Receiver"), "0x7099 (an account of this wallet)");
        assert_eq!(title("agentTransferProofs"), "Re-encrypt this agent for a transfer?");
    }

    #[test]
    fn typed_data_names_its_type_domain_and_fields() {
        let detail = json!({"type": "sign", "account": "0xf39f", "content": {"kind": "typedData", "primaryType": "Note",
            "domain": {"name": "Aloft demo", "chainId": 31337}, "message": {"text": "hi"}}});
        let rows = rows(&detail, "ETH");
        assert!(rows.contains(&("Typed data".into(), "Note for Aloft demo".into())));
        assert!(rows.contains(&("· text".into(), "hi".into())));
    }
}
