//! The JSON-RPC endpoint and control API over HTTP, as a wallet reaches them.

use aloft_devnet::Devnet;
use serde_json::{Value, json};
use crate::util::http;

async fn rpc(devnet: &Devnet, body: Value) -> Value {
    let (status, _, body) = http(&devnet.rpc_url(), "POST", "/", &body.to_string()).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn chain_id_batch_and_cors() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let answer = rpc(&devnet, json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []})).await;
    assert_eq!(answer, json!({"jsonrpc": "2.0", "id": 1, "result": "0x7a69"}));

    let batch = rpc(
        &devnet,
        json!([
            {"jsonrpc": "2.0", "id": 1, "method": "net_version"},
            {"jsonrpc": "2.0", "id": 2, "method": "eth_accounts"},
        ]),
    )
    .await;
    assert_eq!(batch[0]["result"], json!("31337"));
    assert_eq!(batch[1]["result"].as_array().unwrap().len(), 10);

    let (status, head, _) = http(&devnet.rpc_url(), "OPTIONS", "/", "").await;
    assert_eq!(status, 204);
    assert!(head.to_ascii_lowercase().contains("access-control-allow-origin: *"), "{head}");

    let (_, _, body) = http(&devnet.rpc_url(), "POST", "/", "{not json").await;
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["code"], json!(-32700));
}

#[tokio::test]
async fn control_switch_takes_the_rpc_offline_and_back() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let control = devnet.control_url();
    let (status, _, body) = http(&control, "PUT", "/switches/rpc_offline", "true").await;
    assert_eq!(status, 200, "{body}");
    let (status, _, _) = http(&devnet.rpc_url(), "POST", "/", r#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#).await;
    assert_eq!(status, 503);

    let (status, _, body) = http(&control, "PUT", "/switches/no_such_switch", "true").await;
    assert_eq!(status, 400);
    assert!(body.contains("no switch named"), "{body}");

    http(&control, "PUT", "/switches/rpc_offline", "false").await;
    let answer = rpc(&devnet, json!({"jsonrpc": "2.0", "id": 7, "method": "eth_blockNumber"})).await;
    // The first header is made at start, sealing EVM block 1 with it.
    let number = answer["result"].as_str().unwrap();
    assert!(number.starts_with("0x") && number != "0x0", "a fresh devnet has sealed block 1: {answer}");
}

#[tokio::test]
async fn a_restart_on_the_same_data_dir_keeps_the_chain() {
    let dir = std::env::temp_dir().join(format!("aloft-devnet-it-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap();
    let accounts = first.accounts().to_vec();
    first.shutdown().await;
    let second = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap();
    assert_eq!(second.accounts(), accounts.as_slice());
    assert!(dir.join("genesis.json").is_file());
    second.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}
