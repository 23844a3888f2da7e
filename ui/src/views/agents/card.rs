//! An agent as the views show it, read from the engine's answers to the
//! `tokens` and `token` requests: one parser, so the gallery, the detail and
//! the actions agree on what a token says.

use serde_json::Value;

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

pub(super) fn engine_result(reply: &Value) -> Result<&Value, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
}
