//! The iNFT requests of the wallet's own pages (wasm32 only): reads from
//! the `AgentNFT` contract and its logs, the receiver's access proof, and
//! the actions (mint, transfer, clone, authorize, revoke, delegate) that the
//! engine signs after the user approved them in the approval window.
//!
//! `background.js` passes `{op, …}` objects from extension pages only (the
//! `inft` message kind). The decisions are in `crate::inft` (sans-IO); here
//! are the fetches, the wait for the approval, the broadcast and the
//! receipt. A contract refusal (revert data, code 3) comes back to the page
//! as `{code: "contractRefused", name, message}` with the reason in words.

use std::rc::Rc;

use alloy_primitives::{Address, B256, Bytes, U256};
use js_sys::{Object, Promise, Reflect};
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::{
    Engine, Inner, describe, fill_random, flush, from_js, js_error, provider_error, to_js, wait,
};
use crate::commands::Outcome;
use crate::inft::abi::View;
use std::cell::RefCell;
use std::collections::HashMap;

use base64::Engine as _;

use crate::inft::agent::{self, AgentError, Description, Opening, Sealing};
use crate::inft::{Action, DataHash, TokenId, logs, proof, revert};
use crate::provider::ProviderError;
use crate::tx::{TxRequest, parse_quantity};
use crate::wallet::{Step, TxFill};

/// A failed JSON-RPC call, keeping the revert data the provider path drops.
struct RpcFail {
    code: String,
    message: String,
    name: Option<String>,
}

impl RpcFail {
    fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: message.into(),
            name: None,
        }
    }

    fn to_js(&self) -> JsValue {
        let o = js_error(&self.code, &self.message);
        if let Some(name) = &self.name {
            let _ = Reflect::set(&o, &"name".into(), &JsValue::from_str(name));
        }
        o
    }
}

impl From<ProviderError> for RpcFail {
    fn from(e: ProviderError) -> Self {
        Self::new("rpc", e.message)
    }
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &js_sys::Function, ms: i32) -> JsValue;
}

async fn sleep(ms: i32) {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(p).await;
}

async fn http(url: &str, body: Option<&Value>) -> Result<Value, RpcFail> {
    let init = Object::new();
    let fail = |e: JsValue| {
        RpcFail::new(
            "unreachable",
            format!("cannot reach {url}: {}", describe(&e)),
        )
    };
    if let Some(body) = body {
        let headers = Object::new();
        Reflect::set(&headers, &"content-type".into(), &"application/json".into()).map_err(fail)?;
        Reflect::set(&init, &"method".into(), &"POST".into()).map_err(fail)?;
        Reflect::set(&init, &"headers".into(), &headers).map_err(fail)?;
        Reflect::set(&init, &"body".into(), &body.to_string().into()).map_err(fail)?;
    }
    let response: web_sys::Response = JsFuture::from(super::global_fetch(url, &init))
        .await
        .and_then(|r| r.dyn_into())
        .map_err(fail)?;
    let status = response.status();
    let text = JsFuture::from(response.text().map_err(fail)?)
        .await
        .map_err(fail)?
        .as_string()
        .unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(RpcFail::new(
            "unreachable",
            format!("{url} answered HTTP {status}"),
        ));
    }
    serde_json::from_str(&text)
        .map_err(|e| RpcFail::new("rpc", format!("{url} sent a reply that is not JSON: {e}")))
}

async fn call(url: &str, method: &str, params: Value) -> Result<Value, RpcFail> {
    let reply = http(
        url,
        Some(&json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})),
    )
    .await?;
    if let Some(error) = reply.get("error") {
        let message = error
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the RPC reported an error");
        // Revert data: code 3 with `data`, as geth answers eth_call / eth_estimateGas.
        if let Some(data) = error
            .get("data")
            .and_then(Value::as_str)
            .and_then(|d| hex::decode(d.trim_start_matches("0x")).ok())
        {
            let e = revert::explain(&data);
            return Err(RpcFail {
                code: "contractRefused".into(),
                message: e.message,
                name: Some(e.name),
            });
        }
        return Err(RpcFail::new("rpc", format!("{method}: {message}")));
    }
    reply.get("result").cloned().ok_or_else(|| {
        RpcFail::new(
            "rpc",
            format!("{method}: a reply with neither result nor error"),
        )
    })
}

fn bytes_of(v: &Value, what: &str) -> Result<Vec<u8>, RpcFail> {
    v.as_str()
        .and_then(|s| hex::decode(s.trim_start_matches("0x")).ok())
        .ok_or_else(|| RpcFail::new("rpc", format!("the RPC's {what} is not hex")))
}

/// The genesis contracts, from the devnet's `GET /contracts` next to its RPC.
#[derive(Debug, Clone, Copy)]
struct Contracts {
    agent_nft: Address,
    verifier: Address,
    flow: Address,
    oracle: Address,
}

async fn contracts(rpc_url: &str) -> Result<Contracts, RpcFail> {
    let url = format!("{}/contracts", rpc_url.trim_end_matches('/'));
    let v = http(&url, None).await?;
    let a = v.get("addresses").ok_or_else(|| {
        RpcFail::new(
            "noContracts",
            "this network does not list its iNFT contracts",
        )
    })?;
    let get = |k: &str| -> Result<Address, RpcFail> {
        a.get(k)
            .and_then(Value::as_str)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| {
                RpcFail::new(
                    "noContracts",
                    format!("this network's contract list has no {k}"),
                )
            })
    };
    Ok(Contracts {
        agent_nft: get("agent_nft")?,
        verifier: get("verifier")?,
        flow: get("flow")?,
        oracle: get("oracle")?,
    })
}

async fn view(url: &str, to: Address, v: View) -> Result<Vec<u8>, RpcFail> {
    let data = format!("0x{}", hex::encode(v.call_data()));
    bytes_of(
        &call(url, "eth_call", json!([{"to": to, "data": data}, "latest"])).await?,
        "eth_call answer",
    )
}

fn abi_fail(e: impl std::fmt::Display) -> RpcFail {
    RpcFail::new("rpc", e.to_string())
}

#[derive(Deserialize)]
#[serde(tag = "op", rename_all = "camelCase", rename_all_fields = "camelCase")]
enum Request {
    Contracts,
    Tokens {
        account: Address,
    },
    Token {
        token_id: String,
        account: Option<Address>,
    },
    PublicKey {
        account: Address,
    },
    AccessProof {
        account: Address,
        data_hash: B256,
        #[serde(default)]
        target_pubkey: Option<Bytes>,
        #[serde(default)]
        nonce: Option<Bytes>,
    },
    Send {
        from: Address,
        #[serde(flatten)]
        action: Action,
    },
    MintBegin {
        account: Address,
        name: String,
        files: Vec<(String, u64)>,
    },
    MintPush {
        session: u32,
        data: String,
    },
    MintFinish {
        session: u32,
    },
    OpenBegin {
        account: Address,
        token_id: String,
        #[serde(default)]
        index: usize,
    },
    OpenPush {
        session: u32,
        data: String,
    },
    OpenFinish {
        session: u32,
    },
    OracleProof {
        from: Address,
        token_id: String,
        to: Address,
        #[serde(default)]
        index: usize,
        #[serde(default)]
        access_proof: Option<crate::inft::AccessProof>,
        #[serde(default)]
        receiver_pubkey: Option<Bytes>,
        #[serde(default)]
        oracle_url: Option<String>,
    },
    Claim {
        account: Address,
        token_id: String,
    },
}

enum Session {
    Mint(Sealing, Address),
    Open(Opening),
}

thread_local! {
    /// Envelopes in progress (their data keys stay here, never in a page).
    static SESSIONS: RefCell<(u32, HashMap<u32, Session>)> = RefCell::new((0, HashMap::new()));
}

fn new_session(s: Session) -> u32 {
    SESSIONS.with(|m| {
        let mut m = m.borrow_mut();
        m.0 = m.0.wrapping_add(1);
        let id = m.0;
        m.1.insert(id, s);
        id
    })
}

fn take_session(id: u32) -> Result<Session, RpcFail> {
    SESSIONS
        .with(|m| m.borrow_mut().1.remove(&id))
        .ok_or_else(|| RpcFail::new("noSession", "that encryption session ended or never began"))
}

fn put_session(id: u32, s: Session) {
    SESSIONS.with(|m| m.borrow_mut().1.insert(id, s));
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn unb64(text: &str) -> Result<Vec<u8>, RpcFail> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|e| RpcFail::new("badRequest", format!("the bytes are not base64: {e}")))
}

fn agent_fail(e: AgentError) -> RpcFail {
    RpcFail::new("agent", e.to_string())
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    fill_random(&mut b);
    b
}

#[wasm_bindgen]
impl Engine {
    /// An iNFT request from the wallet's pages (`{op, …}`, see
    /// `wasm_inft.rs`). Resolves with the answer, rejects with
    /// `{ code, message, name? }`.
    pub async fn inft(&self, request: JsValue) -> Result<JsValue, JsValue> {
        let value = from_js(&request).map_err(provider_error)?;
        let request: Request = serde_json::from_value(value).map_err(|e| {
            js_error(
                "badRequest",
                &format!("unknown or malformed iNFT request: {e}"),
            )
        })?;
        let answer = handle(&self.inner, request).await.map_err(|e| e.to_js())?;
        to_js(&answer)
    }
}

async fn handle(inner: &Rc<Inner>, request: Request) -> Result<Value, RpcFail> {
    let url = inner.wallet.borrow().network().rpc_url.clone();
    let c = contracts(&url).await?;
    match request {
        Request::Contracts => Ok(
            json!({"agentNft": c.agent_nft, "verifier": c.verifier, "flow": c.flow, "oracle": c.oracle}),
        ),
        Request::Tokens { account } => tokens(&url, &c, account).await,
        Request::Token { token_id, account } => {
            let id = crate::inft::action::token_id(&token_id)
                .map_err(|e| RpcFail::new("badRequest", e.to_string()))?;
            token(&url, &c, id, account).await
        }
        Request::PublicKey { account } => {
            let w = inner.wallet.borrow();
            let key = w
                .account_key(account)
                .map_err(|e| RpcFail::new(e.code, e.message))?;
            Ok(json!(format!("0x{}", hex::encode(key.public_key()))))
        }
        Request::AccessProof {
            account,
            data_hash,
            target_pubkey,
            nonce,
        } => {
            let nonce = nonce.map(|n| n.to_vec()).unwrap_or_else(|| {
                let mut n = vec![0u8; 16];
                fill_random(&mut n);
                n
            });
            let w = inner.wallet.borrow();
            let key = w
                .account_key(account)
                .map_err(|e| RpcFail::new(e.code, e.message))?;
            let p = proof::sign_access(
                key,
                DataHash(data_hash),
                target_pubkey.map(|t| t.to_vec()).unwrap_or_default(),
                nonce,
            );
            Ok(
                json!({"proof": p, "publicKey": format!("0x{}", hex::encode(key.public_key())), "address": account}),
            )
        }
        Request::Send { from, action } => send(inner, &url, &c, from, action).await,
        Request::MintBegin {
            account,
            name,
            files,
        } => {
            inner
                .wallet
                .borrow()
                .account_key(account)
                .map_err(|e| RpcFail::new(e.code, e.message))?;
            let mut r = random::<39>();
            let s = Sealing::new(name, files, &r).map_err(agent_fail);
            r.fill(0);
            let s = s?;
            let length = s.ciphertext_len();
            Ok(
                json!({"session": new_session(Session::Mint(s, account)), "ciphertextLength": length}),
            )
        }
        Request::MintPush { session, data } => {
            let Session::Mint(mut s, owner) = take_session(session)? else {
                return Err(RpcFail::new("noSession", "not a mint session"));
            };
            let out = s.push(&unb64(&data)?).map_err(agent_fail)?;
            put_session(session, Session::Mint(s, owner));
            Ok(json!({"data": b64(&out)}))
        }
        Request::MintFinish { session } => {
            let Session::Mint(s, owner) = take_session(session)? else {
                return Err(RpcFail::new("noSession", "not a mint session"));
            };
            let w = inner.wallet.borrow();
            let key = w
                .account_key(owner)
                .map_err(|e| RpcFail::new(e.code, e.message))?;
            let (tail, sealed) = s.finish(key, &random::<48>()).map_err(agent_fail)?;
            Ok(json!({
                "data": b64(&tail),
                "dataHash": sealed.data_hash,
                "length": sealed.length,
                "dataDescription": serde_json::to_string(&sealed.description).map_err(abi_fail)?,
            }))
        }
        Request::OpenBegin {
            account,
            token_id,
            index,
        } => {
            let id = crate::inft::action::token_id(&token_id)
                .map_err(|e| RpcFail::new("badRequest", e.to_string()))?;
            let detail = token(&url, &c, id, Some(account)).await?;
            let (data_hash, sealed) = sealed_key_for(&detail, account, index)?;
            let w = inner.wallet.borrow();
            let key = w
                .account_key(account)
                .map_err(|e| RpcFail::new(e.code, e.message))?;
            let data_key = agent::unseal(key, &sealed).map_err(agent_fail)?;
            Ok(
                json!({"session": new_session(Session::Open(Opening::new(data_key, data_hash))), "dataHash": data_hash}),
            )
        }
        Request::OpenPush { session, data } => {
            let Session::Open(mut s) = take_session(session)? else {
                return Err(RpcFail::new("noSession", "not a read session"));
            };
            let out = s.push(&unb64(&data)?).map_err(agent_fail)?;
            let files = s.files();
            put_session(session, Session::Open(s));
            Ok(
                json!({"files": files, "chunks": out.iter().map(|(i, b)| json!([i, b64(b)])).collect::<Vec<_>>()}),
            )
        }
        Request::OracleProof { from, token_id, to, index, access_proof, receiver_pubkey, oracle_url } => {
            oracle_proof(inner, &url, &c, from, &token_id, to, index, access_proof, receiver_pubkey, oracle_url).await
        }
        Request::Claim { account, token_id } => claim(inner, &url, &c, account, &token_id).await,
        Request::OpenFinish { session } => {
            let Session::Open(s) = take_session(session)? else {
                return Err(RpcFail::new("noSession", "not a read session"));
            };
            let out = s.finish().map_err(agent_fail)?;
            Ok(json!({"chunks": out.iter().map(|(i, b)| json!([i, b64(b)])).collect::<Vec<_>>()}))
        }
    }
}

async fn tokens(url: &str, c: &Contracts, account: Address) -> Result<Value, RpcFail> {
    let filter = |topics: Value| json!([{"address": c.agent_nft, "fromBlock": "0x0", "toBlock": "latest", "topics": topics}]);
    let received = call(
        url,
        "eth_getLogs",
        filter(json!([
            logs::transfer_topic(),
            null,
            logs::address_topic(account)
        ])),
    )
    .await?;
    let received: Vec<Value> = serde_json::from_value(received).map_err(abi_fail)?;
    let candidates = logs::last_receivers(&received).map_err(abi_fail)?;
    let mut out = Vec::new();
    for id in candidates.keys() {
        // The logs only suggest; ownerOf decides (a token moved on is dropped).
        let owner = match view(url, c.agent_nft, View::OwnerOf(*id)).await {
            Ok(data) => View::OwnerOf(*id).address(&data).map_err(abi_fail)?,
            Err(e) if e.code == "contractRefused" => continue,
            Err(e) => return Err(e),
        };
        if owner != account {
            continue;
        }
        let datas = View::IntelligentDatasOf(*id)
            .datas(&view(url, c.agent_nft, View::IntelligentDatasOf(*id)).await?)
            .map_err(abi_fail)?;
        out.push(json!({
            "tokenId": id.to_string(),
            "owner": owner,
            "datas": datas,
            "verified": false,
            "verifiedNote": "ownership read from the RPC (eth_call), not yet checked against a verified header",
        }));
    }
    Ok(json!(out))
}

async fn token(
    url: &str,
    c: &Contracts,
    id: TokenId,
    account: Option<Address>,
) -> Result<Value, RpcFail> {
    let owner = View::OwnerOf(id)
        .address(&view(url, c.agent_nft, View::OwnerOf(id)).await?)
        .map_err(abi_fail)?;
    let datas = View::IntelligentDatasOf(id)
        .datas(&view(url, c.agent_nft, View::IntelligentDatasOf(id)).await?)
        .map_err(abi_fail)?;
    let users = View::AuthorizedUsersOf(id)
        .addresses(&view(url, c.agent_nft, View::AuthorizedUsersOf(id)).await?)
        .map_err(abi_fail)?;
    let delegate = View::GetDelegateAccess(owner)
        .address(&view(url, c.agent_nft, View::GetDelegateAccess(owner)).await?)
        .map_err(abi_fail)?;
    let token_topic = B256::from(id.0);
    let to_topic = account
        .map(|a| json!(logs::address_topic(a)))
        .unwrap_or(Value::Null);
    let sealed = call(
        url,
        "eth_getLogs",
        json!([{"address": c.agent_nft, "fromBlock": "0x0", "toBlock": "latest", "topics": [logs::sealed_key_topic(), to_topic, token_topic]}]),
    )
    .await?;
    let sealed: Vec<Value> = serde_json::from_value(sealed).map_err(abi_fail)?;
    let sealed = logs::sealed_keys(&sealed).map_err(abi_fail)?;
    Ok(json!({
        "tokenId": id.to_string(),
        "owner": owner,
        "datas": datas,
        "authorizedUsers": users,
        "ownerDelegate": (!delegate.is_zero()).then_some(delegate),
        "sealedKeys": sealed.iter().map(|s| json!({
            "to": s.to, "block": s.block, "tx": s.tx,
            "keys": s.keys.iter().map(|k| format!("0x{}", hex::encode(k))).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "verified": false,
    }))
}

async fn send(
    inner: &Rc<Inner>,
    url: &str,
    c: &Contracts,
    from: Address,
    action: Action,
) -> Result<Value, RpcFail> {
    let what = action.name();
    let data = action
        .call_data(from)
        .map_err(|e| RpcFail::new("badRequest", e.to_string()))?;
    let hex_data = format!("0x{}", hex::encode(&data));
    // The chain's EVM runs the call first: a refusal is explained before anything is signed.
    let target = if action.is_flow() { c.flow } else { c.agent_nft };
    let gas = call(
        url,
        "eth_estimateGas",
        json!([{"from": from, "to": target, "data": hex_data}]),
    )
    .await
    .map_err(|mut e| {
        if e.code == "contractRefused" {
            e.message = format!("the {what} was refused by the contract: {}", e.message);
        }
        e
    })?;
    let quantity = |v: &Value, what: &'static str| -> Result<u128, RpcFail> {
        parse_quantity(v, what)
            .ok()
            .and_then(|q| u128::try_from(q).ok())
            .ok_or_else(|| RpcFail::new("rpc", format!("the RPC's {what} is not a quantity")))
    };
    let gas = quantity(&gas, "gas estimate")? as u64;
    let nonce = quantity(
        &call(url, "eth_getTransactionCount", json!([from, "pending"])).await?,
        "nonce",
    )? as u64;
    let block = call(url, "eth_getBlockByNumber", json!(["latest", false])).await?;
    let base_fee = block
        .get("baseFeePerGas")
        .map(|b| quantity(b, "base fee"))
        .transpose()?
        .unwrap_or(0);
    let tip = match call(url, "eth_maxPriorityFeePerGas", json!([])).await {
        Ok(v) => quantity(&v, "priority fee")?,
        Err(_) => 1_000_000_000,
    };
    let req = TxRequest {
        from,
        to: Some(target),
        value: U256::ZERO,
        data: data.into(),
        // Headroom over the estimate: the state may move between estimate and inclusion.
        gas: Some(gas.saturating_add(gas / 4)),
        nonce: None,
        max_fee_per_gas: None,
        max_priority_fee_per_gas: None,
    };
    let step = inner
        .wallet
        .borrow_mut()
        .queue_wallet_transaction(
            req,
            TxFill {
                nonce,
                gas,
                base_fee,
                tip,
            },
        )
        .map_err(|e| RpcFail::new(e.code, e.message))?;
    flush(inner)
        .await
        .map_err(|e| RpcFail::new("internal", describe(&e)))?;
    let Step::Wait(id) = step else {
        return Err(RpcFail::new(
            "internal",
            "the transaction was not queued for approval",
        ));
    };
    let raw = match wait(inner, id).await? {
        Outcome::Broadcast { raw, .. } => raw,
        Outcome::Error { message, .. } => {
            return Err(RpcFail::new(
                "rejected",
                format!("the {what} was not sent: {message}"),
            ));
        }
        Outcome::Answer(_) => {
            return Err(RpcFail::new(
                "internal",
                "the approval answered without a signed transaction",
            ));
        }
    };
    let hash = call(url, "eth_sendRawTransaction", json!([raw])).await?;
    let hash_text = hash.as_str().unwrap_or_default().to_string();
    inner.wallet.borrow_mut().record_sent(&hash_text, from, Some(target), U256::ZERO);
    flush(inner)
        .await
        .map_err(|e| RpcFail::new("internal", describe(&e)))?;
    // Wait for the receipt (blocks may come on a cadence).
    let mut receipt = Value::Null;
    for _ in 0..120 {
        receipt = call(url, "eth_getTransactionReceipt", json!([hash_text])).await?;
        if !receipt.is_null() {
            break;
        }
        sleep(250).await;
    }
    if receipt.is_null() {
        return Err(RpcFail::new(
            "timeout",
            format!("the {what} {hash_text} was sent but no receipt came within 30 s"),
        ));
    }
    if receipt.get("status").and_then(Value::as_str) != Some("0x1") {
        return Err(RpcFail::new(
            "reverted",
            format!("the {what} {hash_text} was mined but reverted"),
        ));
    }
    let receipt_logs: Vec<Value> = receipt
        .get("logs")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(abi_fail)?
        .unwrap_or_default();
    // A mint or clone names its new token in the Transfer from the zero address.
    let minted = logs::last_receivers(&receipt_logs)
        .map_err(abi_fail)?
        .keys()
        .next()
        .filter(|_| matches!(action, Action::Mint { .. } | Action::Clone { .. }))
        .map(|id| id.to_string());
    Ok(
        json!({"hash": hash_text, "status": "success", "blockNumber": receipt.get("blockNumber"), "tokenId": minted}),
    )
}

/// The data hash and the sealed key `account` should open for data item
/// `index` of a token: the newest key the contract published to it (after
/// a transfer or clone), else the key the minter sealed into the
/// description.
fn sealed_key_for(
    detail: &Value,
    account: Address,
    index: usize,
) -> Result<(DataHash, Vec<u8>), RpcFail> {
    let datas = detail
        .get("datas")
        .and_then(Value::as_array)
        .ok_or_else(|| RpcFail::new("rpc", "the token has no data list"))?;
    let item = datas
        .get(index)
        .ok_or_else(|| RpcFail::new("badRequest", format!("the token has no data item {index}")))?;
    let data_hash: DataHash =
        serde_json::from_value(item.get("dataHash").cloned().unwrap_or_default())
            .map_err(abi_fail)?;
    let published = detail
        .get("sealedKeys")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter().rev().find(|s| {
                s.get("to")
                    .and_then(Value::as_str)
                    .and_then(|a| a.parse::<Address>().ok())
                    == Some(account)
            })
        })
        .and_then(|s| {
            s.get("keys")
                .and_then(|k| k.get(index))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
    let from_description = || {
        item.get("dataDescription")
            .and_then(Value::as_str)
            .and_then(|d| serde_json::from_str::<Description>(d).ok())
            .map(|d| d.sealed_key)
    };
    let sealed = published.or_else(from_description).ok_or_else(|| {
        RpcFail::new("noKey", "no data key for this account: the token's key was never sealed to it (not minted by it, nor transferred or cloned to it)")
    })?;
    let bytes = hex::decode(sealed.trim_start_matches("0x"))
        .map_err(|_| RpcFail::new("noKey", "the sealed key is not hex"))?;
    Ok((data_hash, bytes))
}

/// The devnet's transfer oracle (docs/protocol.md, "Transfer oracle").
const DEFAULT_ORACLE: &str = crate::inft::site_transfer::DEVNET_ORACLE;

/// `aloft_agentTransferProofs` from a connected site (`crate::inft::site_transfer`):
/// the token is read and checked (it exists, the site's account owns it, a
/// data key is sealed to that account) before the approval window opens;
/// once the user approved, the oracle is asked for every data item, as the
/// agents view's `oracleProof` request does. Errors are EIP-1193 errors.
pub(super) async fn agent_transfer_proofs(
    inner: &Rc<Inner>,
    origin: &str,
    req: crate::inft::site_transfer::TransferProofsRequest,
) -> Result<Value, ProviderError> {
    use crate::inft::site_transfer::check_token;
    let internal = |e: RpcFail| ProviderError::new(ProviderError::INTERNAL, e.message);
    let url = inner.wallet.borrow().network().rpc_url.clone();
    let c = contracts(&url).await.map_err(internal)?;
    let detail = match token(&url, &c, req.token_id, Some(req.from)).await {
        Ok(d) => d,
        Err(e) if e.code == "contractRefused" => {
            return Err(ProviderError::new(
                ProviderError::INVALID_PARAMS,
                format!("agent #{} does not exist on this network: {}", req.token_id, e.message),
            ));
        }
        Err(e) => return Err(internal(e)),
    };
    let owner: Address = serde_json::from_value(detail.get("owner").cloned().unwrap_or_default())
        .map_err(|e| internal(abi_fail(e)))?;
    let items = detail.get("datas").and_then(Value::as_array).map_or(0, Vec::len);
    let keyed = (0..items).filter(|&i| sealed_key_for(&detail, req.from, i).is_ok()).count();
    check_token(&req, owner, items, keyed)?;
    let step = inner.wallet.borrow_mut().queue_agent_transfer_proofs(origin, req.clone());
    flush(inner).await.map_err(|e| ProviderError::new(ProviderError::INTERNAL, describe(&e)))?;
    let id = match step {
        Step::Wait(id) => id,
        Step::Refuse(e) => return Err(e),
        _ => return Err(ProviderError::new(ProviderError::INTERNAL, "the request was not queued")),
    };
    match wait(inner, id).await? {
        Outcome::Answer(_) => {}
        Outcome::Error { code, message } => return Err(ProviderError { code, message }),
        Outcome::Broadcast { .. } => return Err(ProviderError::new(ProviderError::INTERNAL, "a signed transaction reached the wrong request")),
    }
    let mut proofs = Vec::new();
    let mut new_hashes = Vec::new();
    let token_id = req.token_id.to_string();
    for index in 0..items {
        // The token read above is the one checked and approved: not read again.
        let answer = oracle_proof_for(inner, &detail, req.token_id, req.from, req.to, index, req.access_proof.clone(), None, None)
            .await
            .map_err(|e| {
                let code = if e.code == "noAccessProof" { ProviderError::INVALID_PARAMS } else { ProviderError::INTERNAL };
                ProviderError::new(code, e.message)
            })?;
        // Checked into the ABI's shape, so the site gets every field.
        let these: Vec<crate::inft::TransferProof> = serde_json::from_value(answer["proofs"].clone())
            .map_err(|e| ProviderError::new(ProviderError::INTERNAL, format!("the transfer oracle's proofs do not read: {e}")))?;
        proofs.extend(these);
        new_hashes.push(answer["newDataHash"].clone());
    }
    Ok(json!({
        "tokenId": token_id,
        "from": req.from,
        "to": req.to,
        "proofs": proofs,
        "newDataHash": new_hashes.first().cloned().unwrap_or(Value::Null),
        "newDataHashes": new_hashes,
    }))
}

/// Asks the transfer oracle for the proofs of moving data item `index` of a
/// token from `from` to `to`, reading the token first ([`oracle_proof_for`]).
#[allow(clippy::too_many_arguments)]
async fn oracle_proof(
    inner: &Rc<Inner>,
    url: &str,
    c: &Contracts,
    from: Address,
    token_id: &str,
    to: Address,
    index: usize,
    access_proof: Option<crate::inft::AccessProof>,
    receiver_pubkey: Option<Bytes>,
    oracle_url: Option<String>,
) -> Result<Value, RpcFail> {
    let id = crate::inft::action::token_id(token_id).map_err(|e| RpcFail::new("badRequest", e.to_string()))?;
    let detail = token(url, c, id, Some(from)).await?;
    oracle_proof_for(inner, &detail, id, from, to, index, access_proof, receiver_pubkey, oracle_url).await
}

/// The oracle's proofs for data item `index` of a token already read as
/// `from` (`detail`, from [`token`]): the engine opens `from`'s data key,
/// seals it to the oracle's key, and sends it with the receiver's access
/// proof (signed here when the receiver is one of this wallet's accounts).
/// The receiver's public key is recovered from its access proof.
#[allow(clippy::too_many_arguments)]
async fn oracle_proof_for(
    inner: &Rc<Inner>,
    detail: &Value,
    id: TokenId,
    from: Address,
    to: Address,
    index: usize,
    access_proof: Option<crate::inft::AccessProof>,
    receiver_pubkey: Option<Bytes>,
    oracle_url: Option<String>,
) -> Result<Value, RpcFail> {
    let oracle_url = oracle_url.unwrap_or_else(|| DEFAULT_ORACLE.to_string());
    let (data_hash, sealed) = sealed_key_for(detail, from, index)?;
    let info = call(&oracle_url, "aloft_oracleInfo", json!([])).await?;
    let oracle_key = info
        .get("publicKey")
        .and_then(Value::as_str)
        .and_then(|k| hex::decode(k.trim_start_matches("0x")).ok())
        .and_then(|k| aloft_light_client::inft::PublicKey::from_bytes(&k).ok())
        .ok_or_else(|| RpcFail::new("oracle", "the transfer oracle did not give a usable public key"))?;
    let (access, sealed_for_oracle) = {
        let w = inner.wallet.borrow();
        let key = w.account_key(from).map_err(|e| RpcFail::new(e.code, e.message))?;
        let data_key = agent::unseal(key, &sealed).map_err(agent_fail)?;
        let access = match access_proof {
            Some(p) => p,
            None => {
                let receiver = w.account_key(to).map_err(|_| {
                    RpcFail::new("noAccessProof", "the receiver is not an account of this wallet: paste the receiver's access proof")
                })?;
                proof::sign_access(receiver, DataHash(data_hash.0), Vec::new(), random::<16>().to_vec())
            }
        };
        let sealed = aloft_light_client::inft::seal_data_key(&oracle_key, &data_key, &random::<32>(), &random::<16>())
            .map_err(|e| RpcFail::new("oracle", format!("cannot seal the data key to the oracle: {e}")))?;
        (access, sealed)
    };
    let receiver_pubkey = match receiver_pubkey {
        Some(k) => k.to_vec(),
        None => match proof::access_signer(&access) {
            Ok((who, pubkey)) if who == to => pubkey.to_vec(),
            _ => return Err(RpcFail::new("noReceiverKey", "the access proof is not signed by the receiver: give the receiver's public key")),
        },
    };
    let request = json!({
        "tokenId": id.to_string(),
        "dataIndex": index,
        "sealedKey": format!("0x{}", hex::encode(&sealed_for_oracle)),
        "receiver": to,
        "receiverPubkey": format!("0x{}", hex::encode(&receiver_pubkey)),
        "accessProof": access,
    });
    let answer = call(&oracle_url, "aloft_oracleTransfer", json!([request])).await.map_err(|mut e| {
        e.code = "oracleRefused".into();
        e.message = format!("the transfer oracle refused: {}", e.message.trim_start_matches("aloft_oracleTransfer: "));
        e
    })?;
    Ok(json!({
        "proofs": [{"accessProof": answer.get("accessProof"), "ownershipProof": answer.get("ownershipProof")}],
        "newDataHash": answer.get("newDataHash"),
        "newLength": answer.get("newLength"),
    }))
}

/// The receiver's side after a transfer or clone: the contract keeps the
/// old data hash, so the new owner points the token at the ciphertext the
/// oracle re-encrypted for it (its root is the ownership proof's nonce in
/// the transfer's calldata) and records its sealed key in the description.
async fn claim(inner: &Rc<Inner>, url: &str, c: &Contracts, account: Address, token_id: &str) -> Result<Value, RpcFail> {
    let id = crate::inft::action::token_id(token_id).map_err(|e| RpcFail::new("badRequest", e.to_string()))?;
    let detail = token(url, c, id, Some(account)).await?;
    let owner: Address = serde_json::from_value(detail.get("owner").cloned().unwrap_or_default()).map_err(abi_fail)?;
    if owner != account {
        return Err(RpcFail::new("notOwner", format!("{account} does not own agent #{id}")));
    }
    let event = detail
        .get("sealedKeys")
        .and_then(Value::as_array)
        .and_then(|l| l.last())
        .ok_or_else(|| RpcFail::new("noKey", "no data key was published to this account for this agent (no transfer or clone to it)"))?;
    let tx = event.get("tx").and_then(Value::as_str).ok_or_else(|| RpcFail::new("rpc", "the sealed-key event names no transaction"))?;
    let tx = call(url, "eth_getTransactionByHash", json!([tx])).await?;
    let input = bytes_of(tx.get("input").unwrap_or(&Value::Null), "transaction input")?;
    let nonces = crate::inft::abi::ownership_nonces(&input)
        .ok_or_else(|| RpcFail::new("noKey", "the sealed key was published by a call that is neither iTransferFrom nor iCloneFrom"))?;
    let keys = event.get("keys").and_then(Value::as_array).cloned().unwrap_or_default();
    let old: Vec<crate::inft::IntelligentData> = serde_json::from_value(detail.get("datas").cloned().unwrap_or_default()).map_err(abi_fail)?;
    if nonces.len() != old.len() || keys.len() != old.len() {
        return Err(RpcFail::new("noKey", "the transfer's proofs do not match the agent's data items"));
    }
    let mut datas = Vec::new();
    for ((item, nonce), key) in old.iter().zip(&nonces).zip(&keys) {
        if nonce.len() != 32 {
            return Err(RpcFail::new("noKey", "the oracle's nonce is not a 32-byte data hash"));
        }
        let (name, files) = match serde_json::from_str::<Description>(&item.data_description) {
            Ok(d) => (d.name, d.files),
            Err(_) => (item.data_description.clone(), Vec::new()),
        };
        let description = Description { name, files, sealed_key: key.as_str().unwrap_or_default().to_string() };
        datas.push(crate::inft::IntelligentData {
            data_description: serde_json::to_string(&description).map_err(abi_fail)?,
            data_hash: DataHash(B256::from_slice(nonce)),
        });
    }
    if datas.iter().zip(&old).all(|(n, o)| n.data_hash == o.data_hash) {
        return Ok(json!({"claimed": false, "note": "the agent already points at this account's data"}));
    }
    let action = Action::Update { token_id: id.to_string(), datas };
    let mut out = send(inner, url, c, account, action).await?;
    out["claimed"] = json!(true);
    Ok(out)
}
