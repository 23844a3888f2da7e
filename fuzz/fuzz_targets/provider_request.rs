//! `provider.request` arguments as a page passes them, through the whole
//! engine: a wallet unlocked with the devnet phrase and connected to one
//! origin takes the fuzzed request from that origin and from a stranger,
//! then renders the approval view (decoded calldata, typed data) and
//! refuses it. Nothing may panic; an unconnected origin never gets a prompt.
#![no_main]

use std::sync::OnceLock;

use aloft_extension::commands::{Command, Effect};
use aloft_extension::provider::Request;
use aloft_extension::wallet::{Step, TxFill, Wallet};
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

const PHRASE: &str = "test test test test test test test test test test test junk";
const DAPP: &str = "http://127.0.0.1:8590";
const STRANGER: &str = "https://evil.example";

fn rng() -> Box<dyn FnMut(&mut [u8])> {
    let mut n = 0u8;
    Box::new(move |buf: &mut [u8]| {
        for b in buf {
            n = n.wrapping_add(37);
            *b = n;
        }
    })
}

/// State, sealed vault and session key of an unlocked, connected wallet.
fn saved() -> &'static (Value, Value, String) {
    static SAVED: OnceLock<(Value, Value, String)> = OnceLock::new();
    SAVED.get_or_init(|| {
        let mut w = Wallet::new(None, None, rng()).expect("empty wallet");
        w.command(Command::ImportMnemonic { phrase: PHRASE.into(), password: "fuzz password".into() })
            .expect("imports");
        let connect = Request::from_json(&json!({"method": "eth_requestAccounts"})).expect("request");
        let Step::Wait(id) = w.request(DAPP, &connect) else { panic!("connect waits for approval") };
        w.command(Command::Resolve { id, approve: true }).expect("approves");
        let (mut state, mut vault, mut key) = (Value::Null, Value::Null, String::new());
        for effect in w.take_effects() {
            match effect {
                Effect::SaveState { state: s } => state = s,
                Effect::SaveVault { vault: Some(v) } => vault = serde_json::to_value(v).expect("vault json"),
                Effect::SessionKey { key: Some(k) } => key = k,
                _ => {}
            }
        }
        (state, vault, key)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else { return };
    let Ok(request) = Request::from_json(&value) else { return };
    let (state, vault, key) = saved();
    let mut w = Wallet::new(Some(state), Some(vault), rng()).expect("saved wallet reopens");
    assert!(w.resume(key), "session key reopens the vault");
    let may_prompt_strangers = matches!(
        request.method.as_str(),
        "eth_requestAccounts" | "wallet_requestPermissions" | "wallet_addEthereumChain"
    );
    match w.request(STRANGER, &request) {
        Step::Wait(_) if !may_prompt_strangers => panic!("an unconnected origin got a prompt for {}", request.method),
        Step::PrepareTransaction(_) => panic!("an unconnected origin got a transaction prepared"),
        _ => {}
    }
    let mut w = Wallet::new(Some(state), Some(vault), rng()).expect("saved wallet reopens");
    assert!(w.resume(key), "session key reopens the vault");
    let step = match w.request(DAPP, &request) {
        Step::PrepareTransaction(tx) => {
            let fill = TxFill { nonce: 7, gas: 21_000, base_fee: 1_000_000_000, tip: 1_000_000_000 };
            w.queue_transaction(DAPP, tx, fill)
        }
        other => other,
    };
    if let Step::Wait(id) = step {
        let _ = w.approval_view();
        let _ = w.command(Command::Resolve { id, approve: false });
    }
});
