//! The header API over HTTP, as light clients reach it: every answer decodes
//! with the light client's own decoders and verifies, and the fault switches
//! change what is served.

#![allow(clippy::unwrap_used)]

use aloft_devnet::Devnet;
use aloft_light_client::client::parse_light_block;
use aloft_light_client::header::{Height, Timestamp, VerifyOptions, verify};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn get(base: &str, path: &str) -> (u16, Vec<u8>) {
    let rest = base.trim_start_matches("http://");
    let (host, prefix) = rest.split_once('/').map_or((rest, String::new()), |(h, p)| (h, format!("/{p}")));
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let request = format!("GET {prefix}{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw[split + 4..].to_vec())
}

async fn json(base: &str, path: &str) -> Value {
    let (status, body) = get(base, path).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    serde_json::from_slice(&body).unwrap()
}

/// Polls for up to 30 s (the devnet seals on its own clock; CI machines are slow).
async fn wait_for(base: &str, height: u64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if json(base, "/status").await["latest_height"].as_u64().unwrap() >= height {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the devnet did not reach height {height}");
}

async fn block(base: &str, h: u64) -> aloft_light_client::header::LightBlock {
    let (status, body) = get(base, &format!("/light_block/{h}")).await;
    assert_eq!(status, 200);
    parse_light_block(&body).unwrap()
}

fn now() -> Timestamp {
    Timestamp(aloft_devnet::producer::now_ms())
}

#[tokio::test]
async fn blocks_are_produced_served_and_verify() {
    let devnet = Devnet::builder().ephemeral_ports().block_time_ms(30).spawn().await.unwrap();
    let base = devnet.headers_url();
    wait_for(&base, 4).await;
    let status = json(&base, "/status").await;
    assert_eq!(status["chain_id"], 31337);
    assert_eq!(status["validators"], 4);
    let (b1, b3) = (block(&base, 1).await, block(&base, 3).await);
    verify(&b1, &b3, &VerifyOptions::default(), now()).unwrap();
    let header = json(&base, "/header/3").await;
    assert_eq!(header["hash"], b3.hash().to_string());
    assert_eq!(header["header"]["parent_hash"], block(&base, 2).await.hash().to_string());
    let commit = json(&base, "/commit/3").await;
    assert_eq!(commit["signers"], serde_json::json!([0, 1, 2, 3]));
    let validators = json(&base, "/validators/3").await;
    assert_eq!(validators["hash"], b3.header.validators_hash.to_string());
    assert_eq!(validators["validators"].as_array().unwrap().len(), 4);
    // The witness agrees on honest blocks.
    assert_eq!(block(&devnet.witness_url(), 3).await, b3);
    // Bad heights are refused with a reason.
    let (status, body) = get(&base, "/light_block/x").await;
    assert_eq!(status, 400, "{}", String::from_utf8_lossy(&body));
    let (status, _) = get(&base, "/light_block/0").await;
    assert_eq!(status, 400);
    let (status, body) = get(&base, "/light_block/999999").await;
    assert_eq!(status, 404);
    assert!(String::from_utf8_lossy(&body).contains("no block at height 999999"));
}

async fn switch(devnet: &Devnet, name: &str, on: bool) {
    let host = devnet.control_url();
    let host = host.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let body = if on { "true" } else { "false" };
    let request = format!(
        "PUT /switches/{name} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
}

#[tokio::test]
async fn fault_switches_change_what_is_served() {
    let devnet = Devnet::builder().ephemeral_ports().block_time_ms(30).spawn().await.unwrap();
    let base = devnet.headers_url();
    wait_for(&base, 2).await;
    for (name, expect) in [
        ("bad_signatures", "invalid_signature"),
        ("sub_quorum", "insufficient_voting_power"),
        ("lying_rpc", "validator_set_chain_broken"),
    ] {
        switch(&devnet, name, true).await;
        let from = json(&base, "/status").await["latest_height"].as_u64().unwrap();
        wait_for(&base, from + 2).await;
        switch(&devnet, name, false).await;
        // The block after the switch went on, checked from its honest parent.
        let h = from + 2;
        let trusted = block(&devnet.witness_url(), h - 1).await;
        let served = block(&base, h).await;
        let err = verify(&trusted, &served, &VerifyOptions::default(), now()).unwrap_err();
        assert_eq!(err.kind(), expect, "{name}: {err}");
    }
    switch(&devnet, "equivocate", true).await;
    let from = json(&base, "/status").await["latest_height"].as_u64().unwrap();
    wait_for(&base, from + 2).await;
    switch(&devnet, "equivocate", false).await;
    let h = from + 2;
    let trusted = block(&base, h - 1).await;
    let (primary, witness) = (block(&base, h).await, block(&devnet.witness_url(), h).await);
    assert_ne!(primary.hash(), witness.hash());
    verify(&trusted, &primary, &VerifyOptions::default(), now()).unwrap();
    // The witness's block hangs off the same parent and is signed by the same validators.
    verify(&trusted, &witness, &VerifyOptions::default(), now()).unwrap();
    assert_eq!(primary.height(), Height(h));
}

#[tokio::test]
async fn a_restart_on_the_same_data_dir_continues_the_chain() {
    let dir = std::env::temp_dir().join(format!("aloft-headers-it-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let devnet = Devnet::builder().ephemeral_ports().block_time_ms(20).data_dir(&dir).spawn().await.unwrap();
    wait_for(&devnet.headers_url(), 5).await;
    devnet.shutdown().await;
    let first = tokio::fs::read(dir.join("headers.bin")).await.unwrap();
    let devnet = Devnet::builder().ephemeral_ports().block_time_ms(20).data_dir(&dir).spawn().await.unwrap();
    let base = devnet.headers_url();
    let height = json(&base, "/status").await["latest_height"].as_u64().unwrap();
    assert!(height >= 5);
    let stored = tokio::fs::read(dir.join("headers.bin")).await.unwrap();
    assert!(stored.starts_with(&first), "the old chain is kept");
    // Across the restart, the chain verifies link by link.
    wait_for(&base, height + 2).await;
    let mut trusted = block(&base, 1).await;
    for h in 2..=height + 2 {
        let next = block(&base, h).await;
        verify(&trusted, &next, &VerifyOptions::default(), now()).unwrap();
        trusted = next;
    }
    drop(devnet);
    let _ = std::fs::remove_dir_all(&dir);
}
