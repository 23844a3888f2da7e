//! What the agents view asks the engine, and how it reads the answers.
//!
//! Reads go through the worker's `agents` message (`Engine.verifiedTokens`:
//! the engine reads the token from the RPC and the worker's header client
//! proves its owner against a BLS-verified header), so every view shows one
//! verdict from one rule. Actions are `inft` requests: the engine checks
//! them, explains refusals before any prompt, and asks the user in the
//! approval window. Input typed by the user is checked here first, so a typo
//! is named next to its field instead of coming back from the engine.

use serde_json::{Value, json};

use super::card::{AgentCard, engine_result};
use crate::format::address::Address;
use crate::platform;

/// A token id as typed: decimal digits, at most 78 (a `uint256`).
pub fn token_id(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.len() > 78 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{text}\" is not a token id: an agent's id is a whole number such as 0 or 12"));
    }
    let trimmed = text.trim_start_matches('0');
    Ok(if trimmed.is_empty() { "0".into() } else { trimmed.into() })
}

/// An address as typed, for `what` ("the receiver"): checksummed back.
pub fn address(text: &str, what: &str) -> Result<String, String> {
    Address::parse(text).map(|a| a.to_checksum()).map_err(|e| format!("{what} \"{}\" is not an address: {e}", text.trim()))
}

/// Transfer proofs as pasted: a JSON list of `{accessProof, ownershipProof}`
/// (one per data item), or one such object.
pub fn proofs(text: &str) -> Result<Value, String> {
    let value: Value = serde_json::from_str(text.trim()).map_err(|e| format!("the proofs are not JSON: {e}"))?;
    let list = match value {
        Value::Array(list) => list,
        one @ Value::Object(_) => vec![one],
        _ => return Err("the proofs are a list of {accessProof, ownershipProof} objects".into()),
    };
    if list.is_empty() {
        return Err("there are no proofs: ask the transfer oracle for them first".into());
    }
    if let Some(i) = list.iter().position(|p| p.get("accessProof").is_none() || p.get("ownershipProof").is_none()) {
        return Err(format!("proof {} needs both an accessProof and an ownershipProof", i + 1));
    }
    Ok(Value::Array(list))
}

/// A block number as the engine gives it: a number, or a `0x` or decimal string.
pub fn block_number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => match s.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16).ok(),
            None => s.parse().ok(),
        },
        _ => None,
    }
}

/// "authorize: done in block 12 (0xabc…)" from a send's answer; a clone
/// names its new agent ("clone: agent #5, done in block 12 (0xabc…)").
pub fn done_text(action: &str, answer: &Value) -> String {
    let block = answer.get("blockNumber").and_then(block_number);
    let hash = answer.get("hash").and_then(Value::as_str).unwrap_or_default();
    let new = answer.get("tokenId").and_then(Value::as_str).map(|id| format!(" agent #{id},")).unwrap_or_default();
    match block {
        Some(b) => format!("{action}:{new} done in block {b} ({hash})"),
        None => format!("{action}:{new} sent ({hash})"),
    }
}

/// An `inft` request to the engine; its refusal in the engine's words.
pub async fn inft(request: Value) -> Result<Value, String> {
    let reply = platform::send_to_engine(json!({"kind": "inft", "request": request})).await?;
    engine_result(&reply).cloned()
}

/// The agents `account` holds: those its Transfer logs name, and those it
/// imported by id (tokens with no log, such as the devnet's genesis agent),
/// each kept only while `account` owns it.
pub async fn tokens(account: &str) -> Result<Vec<AgentCard>, String> {
    let reply = platform::send_to_engine(json!({"kind": "agents", "request": {"op": "tokens", "account": account}})).await?;
    let mut cards = AgentCard::list_from_reply(&reply)?;
    for id in imported(account) {
        if cards.iter().any(|c| c.token_id == id) {
            continue;
        }
        match token(account, &id).await {
            Ok(card) if owned_by(&card, account) => cards.push(card),
            // Moved on or gone: it is no longer this account's to list.
            Ok(_) | Err(_) => {}
        }
    }
    Ok(cards)
}

/// One agent, read as `account` (which sealed keys are its own).
pub async fn token(account: &str, id: &str) -> Result<AgentCard, String> {
    let reply = platform::send_to_engine(json!({"kind": "agents", "request": {"op": "token", "tokenId": id, "account": account}})).await?;
    AgentCard::one_from_reply(&reply)
}

/// The RPC names `account` as the owner.
pub fn owned_by(card: &AgentCard, account: &str) -> bool {
    card.owner.as_deref().is_some_and(|o| o.eq_ignore_ascii_case(account))
}

fn imported_key(account: &str) -> String {
    format!("aloft-agents-imported-{}", account.to_ascii_lowercase())
}

/// Token ids `account` imported, as kept in the extension's local storage.
pub fn imported(account: &str) -> Vec<String> {
    platform::local_get(&imported_key(account))
        .and_then(|text| serde_json::from_str::<Vec<String>>(&text).ok())
        .unwrap_or_default()
}

/// Imports agent `id` into `account`'s gallery, after checking it owns it.
pub async fn import(account: &str, id: &str) -> Result<AgentCard, String> {
    let card = token(account, id).await?;
    if !owned_by(&card, account) {
        let owner = card.owner.as_deref().unwrap_or("nobody");
        return Err(format!("agent #{id} belongs to {owner}, not to this account"));
    }
    let mut ids = imported(account);
    if !ids.iter().any(|i| i == id) {
        ids.push(id.to_string());
        platform::local_set(&imported_key(account), &serde_json::to_string(&ids).unwrap_or_default());
    }
    Ok(card)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_ids_are_whole_numbers() {
        assert_eq!(token_id(" 12 "), Ok("12".into()));
        assert_eq!(token_id("000"), Ok("0".into()));
        assert_eq!(token_id("007"), Ok("7".into()));
        for bad in ["", "-1", "0x1", "1.5", &"9".repeat(79)] {
            assert!(token_id(bad).unwrap_err().contains("not a token id"), "{bad}");
        }
    }

    #[test]
    fn addresses_are_named_by_their_field() {
        assert_eq!(
            address("0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "the receiver"),
            Ok("0x70997970C51812dc3A010C7d01b50e0d17dc79C8".into())
        );
        let e = address("0x1234", "the receiver").unwrap_err();
        assert!(e.starts_with("the receiver \"0x1234\" is not an address"), "{e}");
    }

    #[test]
    fn proofs_are_a_list_of_both_halves() {
        let one = json!({"accessProof": {"a": 1}, "ownershipProof": {"o": 2}});
        assert_eq!(proofs(&one.to_string()), Ok(json!([one.clone()])));
        assert_eq!(proofs(&json!([one.clone(), one.clone()]).to_string()).map(|p| p.as_array().map(Vec::len)), Ok(Some(2)));
        assert!(proofs("{not json").unwrap_err().starts_with("the proofs are not JSON"));
        assert!(proofs("[]").unwrap_err().contains("ask the transfer oracle"));
        assert!(proofs("7").unwrap_err().contains("a list of"));
        assert_eq!(proofs(r#"[{"accessProof": {}}]"#), Err("proof 1 needs both an accessProof and an ownershipProof".into()));
    }

    #[test]
    fn sends_say_where_they_landed() {
        assert_eq!(done_text("authorize", &json!({"hash": "0xab", "blockNumber": "0x1a"})), "authorize: done in block 26 (0xab)");
        assert_eq!(done_text("revoke", &json!({"hash": "0xcd", "blockNumber": 7})), "revoke: done in block 7 (0xcd)");
        assert_eq!(done_text("clone", &json!({"hash": "0xef"})), "clone: sent (0xef)");
        assert_eq!(done_text("clone", &json!({"hash": "0xef", "blockNumber": "0x2", "tokenId": "5"})), "clone: agent #5, done in block 2 (0xef)");
        assert_eq!(done_text("transfer", &json!({"hash": "0xef", "blockNumber": 2, "tokenId": null})), "transfer: done in block 2 (0xef)");
        assert_eq!(block_number(&json!("12")), Some(12));
        assert_eq!(block_number(&json!("0xzz")), None);
    }

    #[test]
    fn ownership_compares_addresses_not_their_case() {
        let card = AgentCard::from_token(&json!({"tokenId": "0", "owner": "0xF39FD6E51AAD88F6F4CE6AB8827279CFFFB92266"})).expect("reads");
        assert!(owned_by(&card, "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"));
        assert!(!owned_by(&card, "0x70997970c51812dc3a010c7d01b50e0d17dc79c8"));
    }
}
