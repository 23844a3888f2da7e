//! `Engine.verifiedTokens(request, prover)`: the iNFT reads (`tokens`,
//! `token`) with each token's owner checked by the worker's light client.
//!
//! The iNFT reads ask the RPC (`eth_call` `ownerOf`); `prover(contract,
//! tokenId, attempt)` is the worker's `HeaderClient.verifiedOwnerOf` (the
//! ERC-721 `_owners` slot proven with `eth_getProof` against a BLS-verified
//! header). The verdict is [`crate::verified::owner_verdict`]: verified only
//! when both name the same owner. A header is signed a moment after its
//! block, so a fresh mint or transfer can be one header ahead of the
//! verified head: a disagreement or a failed proof is asked again a few
//! times (the prover waits and syncs before each retry) before it is
//! reported. Every view that shows ownership (the Leptos agents view) asks
//! here, so the rule lives in one place.

use js_sys::{Function, Promise, Reflect};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{Engine, from_js, js_error, js_text, provider_error, to_js};
use crate::verified::{ProvenOwner, Verification, owner_verdict};

/// Asks before reporting a disagreement. The prover waits half a second
/// before each retry, so this gives the light client about ten seconds to
/// verify the block the RPC answered from (a token just moved is read from
/// the RPC's newest block, which a busy worker may not have verified yet).
const ATTEMPTS: u32 = 20;

/// Asks before reporting a failed proof. A token minted a moment ago is
/// proven not to exist at a verified head one header behind (the light
/// client throws for it), so failures are asked again too, for a shorter
/// while: a header API that is down should be said soon.
const FAILED_ATTEMPTS: u32 = 6;

#[wasm_bindgen]
impl Engine {
    /// `request` is an iNFT `tokens` or `token` read; the answer is the same
    /// with `verified`, `verifiedNote` and `verifiedBlock` on each token.
    #[wasm_bindgen(js_name = verifiedTokens)]
    pub async fn verified_tokens(&self, request: JsValue, prover: Option<Function>) -> Result<JsValue, JsValue> {
        let op = from_js(&request).map_err(provider_error)?.get("op").and_then(Value::as_str).map(str::to_string);
        if !matches!(op.as_deref(), Some("tokens" | "token")) {
            return Err(js_error("badRequest", "verifiedTokens takes an iNFT `tokens` or `token` read"));
        }
        let answer = from_js(&self.inft(request).await?).map_err(provider_error)?;
        let contract = from_js(&self.inft(to_js(&json!({"op": "contracts"}))?).await?).map_err(provider_error)?;
        let contract = contract.get("agentNft").and_then(Value::as_str).map(str::to_string);
        let mut answer = answer;
        match &mut answer {
            Value::Array(tokens) => {
                for t in tokens {
                    check(t, contract.as_deref(), prover.as_ref()).await;
                }
            }
            token @ Value::Object(_) => check(token, contract.as_deref(), prover.as_ref()).await,
            _ => return Err(js_error("internal", "the iNFT read answered neither a token nor a list")),
        }
        to_js(&answer)
    }
}

/// Sets the verdict on one token (`{tokenId, owner, …}`).
async fn check(token: &mut Value, contract: Option<&str>, prover: Option<&Function>) {
    let owner = token.get("owner").and_then(Value::as_str).and_then(|o| o.parse().ok());
    let id = token.get("tokenId").and_then(Value::as_str).map(str::to_string);
    let verdict = match (owner, id, contract, prover) {
        (None, ..) | (_, None, ..) => Verification::Unverified { reason: "the token has no owner or id to check".into() },
        (_, _, None, _) => Verification::Unverified { reason: "not verified: this network does not list its iNFT contract".into() },
        (_, _, _, None) => Verification::Unverified { reason: "not verified: the light client is not running".into() },
        (Some(owner), Some(id), Some(contract), Some(prover)) => {
            let mut verdict = Verification::Unverified { reason: "not verified".into() };
            let mut failures = 0;
            for attempt in 0..ATTEMPTS {
                let proven = prove(prover, contract, &id, attempt).await;
                verdict = owner_verdict(owner, proven.as_ref().map_err(String::as_str));
                failures += u32::from(proven.is_err());
                if matches!(verdict, Verification::Verified { .. }) || failures >= FAILED_ATTEMPTS {
                    break;
                }
            }
            verdict
        }
    };
    let (verified, note, block) = match verdict {
        Verification::Verified { block } => (true, format!("owner proven by a state proof against verified header {block}"), Some(block)),
        Verification::Unverified { reason } => (false, reason, None),
    };
    token["verified"] = json!(verified);
    token["verifiedNote"] = json!(note);
    token["verifiedBlock"] = json!(block);
}

/// One `prover(contract, tokenId, attempt)` call, its answer checked for shape.
async fn prove(prover: &Function, contract: &str, id: &str, attempt: u32) -> Result<ProvenOwner, String> {
    let promise = prover
        .call3(&JsValue::NULL, &JsValue::from_str(contract), &JsValue::from_str(id), &JsValue::from(attempt))
        .map_err(|e| js_text(&e))?;
    let value = JsFuture::from(Promise::resolve(&promise)).await.map_err(|e| js_text(&e))?;
    let height = Reflect::get(&value, &"height".into()).ok().and_then(|h| h.as_f64()).filter(|h| *h >= 0.0 && h.fract() == 0.0);
    let owner = Reflect::get(&value, &"owner".into()).ok().and_then(|o| o.as_string()).and_then(|o| o.parse().ok());
    match (height, owner) {
        (Some(height), Some(owner)) => Ok(ProvenOwner { height: height as u64, owner }),
        _ => Err("the light client's answer has no height or owner".into()),
    }
}
