//! The engine's journeys, natively: onboarding, connect, sign, send, lock.

use std::cell::Cell;
use std::rc::Rc;

use alloy_consensus::transaction::RlpEcdsaDecodableTx;
use serde_json::{Value, json};

use super::*;
use crate::keys::Signature;
use crate::sign::personal_digest;

const PHRASE: &str = "test test test test test test test test test test test junk";
const ACCOUNT0: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
const KEY0: &str = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DAPP: &str = "http://127.0.0.1:8590";
const PASSWORD: &str = "correct horse battery";

/// A deterministic byte source (tests only; the browser passes its CSPRNG).
fn counter_rng() -> Box<dyn FnMut(&mut [u8])> {
    let n = Rc::new(Cell::new(0u8));
    Box::new(move |buf: &mut [u8]| {
        for b in buf {
            n.set(n.get().wrapping_add(37));
            *b = n.get();
        }
    })
}

fn fresh() -> Wallet {
    Wallet::new(None, None, counter_rng()).expect("empty wallet").with_kdf_iterations(1000)
}

/// For the sibling module's tests (`own.rs`).
pub(super) fn imported_for_own() -> Wallet {
    imported()
}
pub(super) const ACCOUNT1_FOR_OWN: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

fn imported() -> Wallet {
    let mut w = fresh();
    w.command(Command::ImportMnemonic { phrase: PHRASE.into(), password: PASSWORD.into() }).expect("imports");
    w
}

fn req(method: &str, params: Value) -> Request {
    Request::from_json(&json!({"method": method, "params": params})).expect("request")
}

fn code(step: Step) -> i64 {
    match step {
        Step::Refuse(e) => e.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn wait_id(step: Step) -> ApprovalId {
    match step {
        Step::Wait(id) => id,
        other => panic!("expected an approval, got {other:?}"),
    }
}

fn resolve(w: &mut Wallet, id: &ApprovalId, approve: bool) -> Outcome {
    let (_, mut done) = w.command(Command::Resolve { id: id.clone(), approve }).expect("resolves");
    assert_eq!(done.len(), 1);
    done.remove(0).1
}

fn connect(w: &mut Wallet) {
    let id = wait_id(w.request(DAPP, &req("eth_requestAccounts", json!([]))));
    assert_eq!(resolve(w, &id, true), Outcome::Answer(json!([ACCOUNT0])));
}

#[test]
fn create_needs_the_confirmation_words() {
    let mut w = fresh();
    let (reply, _) = w.command(Command::NewMnemonic).expect("new phrase");
    let phrase: Vec<String> = reply["phrase"].as_str().expect("phrase").split(' ').map(String::from).collect();
    assert_eq!(phrase.len(), 12);
    let positions: Vec<usize> = serde_json::from_value(reply["confirm"].clone()).expect("positions");
    assert_eq!(positions.len(), 3);
    let wrong: Vec<(usize, String)> = positions.iter().map(|p| (*p, "zoo".to_string())).collect();
    let e = w.command(Command::ConfirmMnemonic { words: wrong, password: PASSWORD.into() }).unwrap_err();
    assert_eq!(e.code, "confirmMismatch");
    assert!(!w.is_unlocked());
    let right: Vec<(usize, String)> = positions.iter().map(|p| (*p, phrase[p - 1].to_uppercase())).collect();
    let short = w.command(Command::ConfirmMnemonic { words: right.clone(), password: "short".into() }).unwrap_err();
    assert_eq!(short.code, "weakPassword");
    let (status, _) = w.command(Command::ConfirmMnemonic { words: right, password: PASSWORD.into() }).expect("creates");
    assert_eq!(status["unlocked"], true);
    assert_eq!(status["accounts"].as_array().map(Vec::len), Some(1));
    let effects = w.take_effects();
    assert!(effects.iter().any(|e| matches!(e, Effect::SaveVault { vault: Some(_) })));
    assert!(effects.iter().any(|e| matches!(e, Effect::SessionKey { key: Some(_) })));
    // Nothing persisted in clear holds the phrase.
    for e in effects.iter().filter(|e| !matches!(e, Effect::SessionKey { .. })) {
        let text = serde_json::to_string(e).expect("json");
        assert!(!text.contains(&phrase.join(" ")), "{text}");
    }
}

#[test]
fn import_reports_bad_words_and_gives_the_known_account() {
    let mut w = fresh();
    let e = w.command(Command::ImportMnemonic { phrase: PHRASE.replace("junk", "junkk"), password: PASSWORD.into() }).unwrap_err();
    assert_eq!(e.code, "badMnemonic");
    assert!(e.message.contains("word 12"), "{}", e.message);
    let (status, _) = w.command(Command::ImportMnemonic { phrase: PHRASE.into(), password: PASSWORD.into() }).expect("imports");
    assert_eq!(status["accounts"][0]["address"], ACCOUNT0);
    let (added, _) = w.command(Command::AddAccount).expect("adds");
    assert_eq!(added["address"], "0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
}

#[test]
fn unconnected_origins_are_refused_before_any_prompt() {
    let mut w = imported();
    w.take_effects();
    assert_eq!(w.request(DAPP, &req("eth_accounts", json!([]))), Step::Answer(json!([])));
    let calls = [
        req("personal_sign", json!(["0x68656c6c6f", ACCOUNT0])),
        req("eth_signTypedData_v4", json!([ACCOUNT0, "{}"])),
        req("eth_sendTransaction", json!([{"from": ACCOUNT0, "to": ACCOUNT0, "value": "0x1"}])),
    ];
    for call in &calls {
        assert_eq!(code(w.request(DAPP, call)), 4100, "{}", call.method);
    }
    assert!(!w.take_effects().iter().any(|e| matches!(e, Effect::OpenApproval)), "no window opened");
    assert_eq!(code(w.request("chrome-extension://x", &req("eth_accounts", json!([])))), 4100);
}

#[test]
fn connect_reject_then_approve_and_replay() {
    let mut w = imported();
    let id = wait_id(w.request(DAPP, &req("eth_requestAccounts", json!([]))));
    assert!(w.take_effects().contains(&Effect::OpenApproval));
    let view = w.approval_view();
    assert_eq!(view["origin"], DAPP);
    assert!(view["originWarning"].as_str().is_some_and(|s| s.contains("IP address")));
    assert_eq!(view["detail"]["type"], "connect");
    assert!(matches!(resolve(&mut w, &id, false), Outcome::Error { code: 4001, .. }));
    assert_eq!(w.command(Command::Resolve { id: id.clone(), approve: true }).unwrap_err().code, "replayed");
    let stale = ApprovalId::from_random([9; 16]);
    assert_eq!(w.command(Command::Resolve { id: stale, approve: true }).unwrap_err().code, "stale");
    connect(&mut w);
    assert!(w.take_effects().iter().any(|e| matches!(e, Effect::Emit { event, .. } if event == "accountsChanged")));
    assert_eq!(w.request(DAPP, &req("eth_accounts", json!([]))), Step::Answer(json!([ACCOUNT0])));
    let Step::Answer(perms) = w.request(DAPP, &req("wallet_getPermissions", json!([]))) else { panic!("answer") };
    assert_eq!(perms[0]["parentCapability"], "eth_accounts");
    assert_eq!(perms[0]["caveats"][0]["value"], json!([ACCOUNT0]));
    // Connected already: no second prompt.
    assert_eq!(w.request(DAPP, &req("eth_requestAccounts", json!([]))), Step::Answer(json!([ACCOUNT0])));
    assert_eq!(w.request(DAPP, &req("wallet_revokePermissions", json!([{"eth_accounts": {}}]))), Step::Answer(Value::Null));
    assert_eq!(w.request(DAPP, &req("eth_accounts", json!([]))), Step::Answer(json!([])));
}

#[test]
fn personal_sign_and_typed_data_recover_to_the_account() {
    let mut w = imported();
    connect(&mut w);
    let id = wait_id(w.request(DAPP, &req("personal_sign", json!(["0x48656c6c6f", ACCOUNT0]))));
    assert_eq!(w.approval_view()["detail"]["content"]["text"], "Hello");
    let Outcome::Answer(sig) = resolve(&mut w, &id, true) else { panic!("signature") };
    let bytes = hex::decode(sig.as_str().expect("hex").trim_start_matches("0x")).expect("hex");
    let recovered = Signature::from_rsv(&bytes).and_then(|s| s.recover(&personal_digest(b"Hello"))).expect("recovers");
    assert_eq!(format!("{recovered:#x}"), ACCOUNT0);

    let typed = json!({
        "types": {"EIP712Domain": [{"name": "name", "type": "string"}, {"name": "chainId", "type": "uint256"}],
                  "Greeting": [{"name": "text", "type": "string"}]},
        "primaryType": "Greeting",
        "domain": {"name": "Aloft", "chainId": 31337},
        "message": {"text": "hi"}
    });
    let id = wait_id(w.request(DAPP, &req("eth_signTypedData_v4", json!([ACCOUNT0, typed.to_string()]))));
    let Outcome::Answer(sig) = resolve(&mut w, &id, true) else { panic!("signature") };
    let bytes = hex::decode(sig.as_str().expect("hex").trim_start_matches("0x")).expect("hex");
    let data: alloy_dyn_abi::TypedData = serde_json::from_value(typed).expect("typed");
    let digest = data.eip712_signing_hash().expect("hash");
    assert_eq!(format!("{:#x}", Signature::from_rsv(&bytes).and_then(|s| s.recover(&digest)).expect("recovers")), ACCOUNT0);
}

#[test]
fn send_transaction_is_prepared_approved_and_signed() {
    let mut w = imported();
    connect(&mut w);
    let call = req("eth_sendTransaction", json!([{"from": ACCOUNT0, "to": "0x70997970c51812dc3a010c7d01b50e0d17dc79c8", "value": "0xde0b6b3a7640000"}]));
    let Step::PrepareTransaction(tx) = w.request(DAPP, &call) else { panic!("prepare") };
    let id = wait_id(w.queue_transaction(DAPP, tx, TxFill { nonce: 3, gas: 21000, base_fee: 1_000_000_000, tip: 1_000_000 }));
    let view = w.approval_view();
    assert_eq!(view["detail"]["type"], "transaction");
    assert_eq!(view["detail"]["value"], "1000000000000000000");
    assert_eq!(view["detail"]["maxFeePerGas"], "2001000000");
    assert_eq!(view["detail"]["call"]["kind"], "transfer");
    let Outcome::Broadcast { raw, hash } = resolve(&mut w, &id, true) else { panic!("broadcast") };
    let raw = hex::decode(raw.trim_start_matches("0x")).expect("hex");
    let signed = alloy_consensus::TxEip1559::rlp_decode_signed(&mut &raw[1..]).expect("decodes");
    assert_eq!(format!("{:#x}", signed.hash()), hash);
    assert_eq!(signed.tx().nonce, 3);
    assert_eq!(signed.tx().chain_id, 31337);
    assert_eq!(format!("{:#x}", signed.recover_signer().expect("recovers")), ACCOUNT0);
    // Wrong chain in the request: 4901.
    let other_chain = req("eth_sendTransaction", json!([{"from": ACCOUNT0, "to": ACCOUNT0, "chainId": "0x1"}]));
    assert_eq!(code(w.request(DAPP, &other_chain)), 4901);
}

#[test]
fn agent_transfer_proofs_need_a_connected_owner_then_the_users_approval() {
    let mut w = imported();
    let ask = req("aloft_agentTransferProofs", json!([{"tokenId": "4", "to": ACCOUNT1_FOR_OWN}]));
    // Not connected: 4100 before the params are even read.
    assert_eq!(code(w.request(DAPP, &ask)), 4100);
    assert_eq!(code(w.request(DAPP, &req("aloft_agentTransferProofs", json!([])))), 4100);
    connect(&mut w);
    assert_eq!(code(w.request(DAPP, &req("aloft_agentTransferProofs", json!([{"tokenId": "4"}])))), -32602);
    let Step::CheckAgentTransfer(checked) = w.request(DAPP, &ask) else { panic!("check the token first") };
    assert_eq!(format!("{:#x}", checked.from), ACCOUNT0, "the owner is the site's account");
    let id = wait_id(w.queue_agent_transfer_proofs(DAPP, checked.clone()));
    let view = w.approval_view();
    assert_eq!(view["detail"]["type"], "agentTransferProofs");
    assert_eq!(view["detail"]["receiverIsOwn"], false, "the second account is not added yet");
    assert!(view["detail"]["summary"].as_str().expect("summary").starts_with("Re-encrypt agent #4 for 0x7099"));
    assert!(matches!(resolve(&mut w, &id, false), Outcome::Error { code: 4001, .. }));
    let id = wait_id(w.queue_agent_transfer_proofs(DAPP, checked.clone()));
    assert_eq!(resolve(&mut w, &id, true), Outcome::Answer(json!({"approved": true})));
    // Another origin cannot queue it for this account.
    assert_eq!(code(w.queue_agent_transfer_proofs("https://other.example", checked)), 4100);
}

#[test]
fn lock_unlock_and_resume_after_a_worker_restart() {
    let mut w = imported();
    connect(&mut w);
    let effects = w.take_effects();
    let session = effects.iter().find_map(|e| match e {
        Effect::SessionKey { key: Some(k) } => Some(k.clone()),
        _ => None,
    });
    let state = effects.iter().rev().find_map(|e| match e {
        Effect::SaveState { state } => Some(state.clone()),
        _ => None,
    });
    let vault = effects.iter().rev().find_map(|e| match e {
        Effect::SaveVault { vault: Some(v) } => Some(serde_json::to_value(v).expect("json")),
        _ => None,
    });
    // A new worker over the stored state, vault and session key is unlocked.
    let mut restarted = Wallet::new(state.as_ref(), vault.as_ref(), counter_rng()).expect("loads").with_kdf_iterations(1000);
    assert!(restarted.resume(&session.expect("session key")));
    assert!(
        !restarted.take_effects().iter().any(|e| matches!(e, Effect::AutoLock { .. } | Effect::Emit { .. })),
        "a restart does not extend the auto-lock deadline"
    );
    assert_eq!(restarted.request(DAPP, &req("eth_accounts", json!([]))), Step::Answer(json!([ACCOUNT0])));
    // A key that does not open the vault leaves it locked and clears the session.
    let mut wrong = Wallet::new(state.as_ref(), vault.as_ref(), counter_rng()).expect("loads");
    assert!(!wrong.resume(&crate::vault::VaultKey::derive("x", b"salt salt salt salt", 1).to_session()));
    assert!(wrong.take_effects().contains(&Effect::SessionKey { key: None }));

    w.auto_lock();
    let effects = w.take_effects();
    assert!(effects.contains(&Effect::SessionKey { key: None }));
    assert!(effects.contains(&Effect::Emit { origin: Some(DAPP.into()), event: "accountsChanged".into(), data: json!([]) }));
    assert_eq!(w.request(DAPP, &req("eth_accounts", json!([]))), Step::Answer(json!([])));
    // Requests while locked still queue; approving needs the password first.
    let id = wait_id(w.request(DAPP, &req("personal_sign", json!(["0x00", ACCOUNT0]))));
    assert_eq!(w.approval_view()["locked"], true);
    assert_eq!(w.command(Command::Resolve { id: id.clone(), approve: true }).unwrap_err().code, "locked");
    assert_eq!(w.command(Command::Unlock { password: "wrong password".into() }).unwrap_err().code, "wrongPassword");
    w.command(Command::Unlock { password: PASSWORD.into() }).expect("unlocks");
    assert!(matches!(resolve(&mut w, &id, true), Outcome::Answer(_)));
    // Change password: the old one stops working.
    w.command(Command::ChangePassword { old: PASSWORD.into(), new: "a new password".into() }).expect("changes");
    w.command(Command::Lock).expect("locks");
    assert_eq!(w.command(Command::Unlock { password: PASSWORD.into() }).unwrap_err().code, "wrongPassword");
    w.command(Command::Unlock { password: "a new password".into() }).expect("unlocks");
    assert_eq!(w.command(Command::SetAutoLock { minutes: 0.1 }).unwrap_err().code, "badValue");
    w.take_effects();
    w.command(Command::SetAutoLock { minutes: 1.0 }).expect("sets");
    assert!(w.take_effects().contains(&Effect::AutoLock { minutes: Some(1.0) }));
}

#[test]
fn networks_switch_add_and_refuse_unknown_chains() {
    let mut w = imported();
    assert_eq!(code(w.request(DAPP, &req("wallet_switchEthereumChain", json!([{"chainId": "0x5"}])))), 4902);
    w.take_effects();
    assert_eq!(w.request(DAPP, &req("wallet_switchEthereumChain", json!([{"chainId": "0x4115"}]))), Step::Answer(Value::Null));
    assert!(w.take_effects().contains(&Effect::Emit { origin: None, event: "chainChanged".into(), data: json!("0x4115") }));
    assert_eq!(w.request(DAPP, &req("eth_chainId", json!([]))), Step::Answer(json!("0x4115")));
    let add = req("wallet_addEthereumChain", json!([{"chainId": "0x5", "chainName": "Five", "rpcUrls": ["https://five.example"]}]));
    let id = wait_id(w.request(DAPP, &add));
    assert_eq!(w.approval_view()["detail"]["network"]["name"], "Five");
    assert_eq!(resolve(&mut w, &id, true), Outcome::Answer(Value::Null));
    assert_eq!(w.request(DAPP, &req("eth_chainId", json!([]))), Step::Answer(json!("0x5")));
    let Step::Forward { url, .. } = w.request(DAPP, &req("eth_blockNumber", json!([]))) else { panic!("forward") };
    assert_eq!(url, "https://five.example");
}

#[test]
fn keys_import_and_keystore_export_round_trip() {
    let mut w = imported();
    let e = w.command(Command::ImportPrivateKey { key: KEY0.into() }).unwrap_err();
    assert_eq!(e.code, "duplicate");
    let (added, _) = w.command(Command::ImportPrivateKey { key: "11".repeat(32) }).expect("imports");
    let address = added["address"].as_str().expect("address").to_string();
    let (file, _) = w
        .command(Command::ExportKeystore { address: address.clone(), wallet_password: PASSWORD.into(), password: "file password".into() })
        .expect("exports");
    let text = file["keystore"].as_str().expect("json");
    assert!(!text.contains(&"11".repeat(32)));
    let back = crate::keys::keystore::import(text, "file password").expect("imports");
    assert_eq!(format!("{:#x}", back.address()), address);
    let e = w
        .command(Command::ExportKeystore { address, wallet_password: "not it at all".into(), password: "file password".into() })
        .unwrap_err();
    assert_eq!(e.code, "wrongPassword");
    // The imported key survives a lock/unlock (it is in the sealed vault).
    w.command(Command::Lock).expect("locks");
    let (status, _) = w.command(Command::Unlock { password: PASSWORD.into() }).expect("unlocks");
    assert_eq!(status["accounts"].as_array().map(Vec::len), Some(2));
}

#[test]
fn damaged_state_falls_back_without_touching_the_vault() {
    let w = Wallet::new(Some(&json!({"networks": [], "selected": "x"})), None, counter_rng()).expect("loads");
    assert_eq!(w.network().chain_id, crate::network::ChainId(31337));
    let odd = json!({"networks": [{"chain_id": 5, "name": "Five", "rpc_url": "https://five.example"}], "selected": 9,
        "accounts": [], "permissions": {}, "autoLockMinutes": 5.0});
    let w = Wallet::new(Some(&odd), None, counter_rng()).expect("loads");
    assert_eq!(w.network().chain_id, crate::network::ChainId(5));
    assert_eq!(Wallet::new(None, Some(&json!({"data": 1})), counter_rng()).err().map(|e| e.code), Some("corruptVault"));
}

#[test]
fn onboarding_from_a_raw_key_or_a_keystore_makes_a_wallet_of_that_account() {
    let mut w = fresh();
    let e = w.command(Command::OnboardPrivateKey { key: "zz".into(), password: PASSWORD.into() }).unwrap_err();
    assert_eq!(e.code, "badKey");
    let (status, _) = w.command(Command::OnboardPrivateKey { key: format!("0x{KEY0}"), password: PASSWORD.into() }).expect("creates");
    assert_eq!(status["accounts"][0]["address"], ACCOUNT0);
    assert_eq!(w.command(Command::AddAccount).unwrap_err().code, "noMnemonic");
    w.command(Command::Lock).expect("locks");
    let (status, _) = w.command(Command::Unlock { password: PASSWORD.into() }).expect("unlocks");
    assert_eq!(status["accounts"].as_array().map(Vec::len), Some(1), "only the imported key");
    // A keystore exported from it onboards a second, fresh wallet.
    let (file, _) = w
        .command(Command::ExportKeystore { address: ACCOUNT0.into(), wallet_password: PASSWORD.into(), password: "file password".into() })
        .expect("exports");
    let json = file["keystore"].as_str().expect("text").to_string();
    let mut other = fresh();
    let wrong = Command::OnboardKeystore { json: json.clone(), keystore_password: "nope nope".into(), password: PASSWORD.into() };
    assert_eq!(other.command(wrong).unwrap_err().code, "wrongPassword");
    assert!(!other.command(Command::Status).expect("status").0["initialized"].as_bool().unwrap_or(true), "nothing created on error");
    let (status, _) = other
        .command(Command::OnboardKeystore { json, keystore_password: "file password".into(), password: PASSWORD.into() })
        .expect("creates");
    assert_eq!(status["accounts"][0]["address"], ACCOUNT0);
}
