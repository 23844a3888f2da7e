//! One block cadence: header `h` carries EVM block `h`'s state root and DA
//! block `h`'s commitments root; answers verify in the light client against
//! the verified header; a restart continues; an old-format directory is refused.

use alloy_primitives::{Address, Bytes, U256};
use aloft_devnet::Devnet;
use aloft_light_client::da::CommitmentList;
use aloft_light_client::header::{LightBlock, VerifyOptions, verify};
use aloft_light_client::state::{self, at_header};
use serde_json::{Value, json};

use crate::util::{account, eip1559, http, rpc};

fn hex(raw: &[u8]) -> String {
    format!("0x{}", ::hex::encode(raw))
}

/// The latest header height once it is at least `h`, polling for up to 20 s
/// (the producer seals on its own clock; CI machines are slower than ours).
async fn wait_for_header(devnet: &Devnet, h: u64) -> u64 {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let latest = latest_header(devnet).await;
        if latest >= h || std::time::Instant::now() > deadline {
            return latest;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Header `h` (waiting: the EVM block is sealed just before its header is signed).
async fn light_block(devnet: &Devnet, h: u64) -> LightBlock {
    wait_for_header(devnet, h).await;
    let (status, _, body) = http(&devnet.headers_url(), "GET", &format!("/light_block/{h}"), "").await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    let bytes = ::hex::decode(v["light_block"].as_str().unwrap().trim_start_matches("0x")).unwrap();
    LightBlock::decode(&bytes).unwrap()
}

async fn latest_header(devnet: &Devnet) -> u64 {
    let (_, _, body) = http(&devnet.headers_url(), "GET", "/status", "").await;
    serde_json::from_str::<Value>(&body).unwrap()["latest_height"].as_u64().unwrap()
}

fn number(v: &Value) -> u64 {
    u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap()
}

#[tokio::test]
async fn headers_carry_the_evm_state_root_and_proofs_verify_against_them() {
    let devnet = Devnet::builder().ephemeral_ports().block_time_ms(200).spawn().await.unwrap();
    let bob = Address::repeat_byte(0xb1);
    let raw = eip1559(&account(1), 31337, 0, Some(bob), U256::from(1234u64), Bytes::new(), 21_000);
    let sent = std::time::Instant::now();
    let hash = rpc(&devnet, "eth_sendRawTransaction", json!([hex(&raw)])).await;
    // Mine-on-demand: the receipt is there when the hash comes back.
    let receipt = rpc(&devnet, "eth_getTransactionReceipt", json!([hash])).await;
    assert_eq!(receipt["status"], json!("0x1"), "{receipt}");
    eprintln!("send → receipt: {:?}", sent.elapsed());
    let h = number(&receipt["blockNumber"]);

    // EVM block h is header h's block: same state root, signed by the validators.
    let block = light_block(&devnet, h).await;
    let parent = light_block(&devnet, h - 1).await;
    verify(&parent, &block, &VerifyOptions::default(), block.header.time).unwrap();
    let evm_block = rpc(&devnet, "eth_getBlockByNumber", json!([format!("{h:#x}"), false])).await;
    assert_eq!(evm_block["stateRoot"], json!(format!("0x{}", ::hex::encode(block.header.state_root.0))));
    assert_eq!(evm_block["transactions"], json!([hash]));
    assert!(latest_header(&devnet).await >= number(&rpc(&devnet, "eth_blockNumber", json!([])).await));

    // eth_getProof at h verifies against the header's root: bob's balance.
    let address = state::Address(bob.0.0);
    let req = at_header::proof_request(&block.header, &address, &[]);
    let (_, _, body) = http(&devnet.rpc_url(), "POST", "/", &req.to_string()).await;
    let account = at_header::verify_account_at(&block.header, &address, body.as_bytes()).unwrap();
    assert_eq!(account.account.balance.to_quantity(), "0x4d2");
    // Against the parent header (before the transfer) the same answer fails.
    assert!(at_header::verify_account_at(&parent.header, &address, body.as_bytes()).is_err());

    // Empty blocks keep coming with the interval.
    let later = latest_header(&devnet).await;
    assert!(wait_for_header(&devnet, later + 1).await > later, "interval blocks");
}

#[tokio::test]
async fn posted_blobs_land_in_the_next_header_and_their_list_verifies() {
    let devnet = Devnet::builder().ephemeral_ports().block_time_ms(300).da_blocks(1, 0).spawn().await.unwrap();
    let payload: Vec<u8> = (0..150_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let (status, _, body) = http_bytes(&format!("{}/da/v1/blobs", devnet.da_url()), &payload).await;
    assert_eq!(status, 200, "{body}");
    let posted: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(posted["blobs"], json!(2));
    let h = posted["height"].as_u64().unwrap();
    let header = light_block(&devnet, h).await.header;
    assert_eq!(json!(format!("0x{}", ::hex::encode(header.da_root.0))), posted["root"]);
    // The commitment list any node serves is proven by the header's root.
    let (_, _, list) = http(&devnet.da_url(), "GET", &format!("/nodes/3/da/v1/blocks/{h}/commitments"), "").await;
    let list: CommitmentList = serde_json::from_str(&list).unwrap();
    list.verify(&aloft_light_client::da::DaRoot(header.da_root.0)).unwrap();
    // An empty height has the empty list's root, served too.
    let empty = light_block(&devnet, h - 1).await.header;
    let (status, _, list) = http(&devnet.da_url(), "GET", &format!("/nodes/0/da/v1/blocks/{}/commitments", h - 1), "").await;
    assert_eq!(status, 200);
    let list: CommitmentList = serde_json::from_str(&list).unwrap();
    list.verify(&aloft_light_client::da::DaRoot(empty.da_root.0)).unwrap();
}

/// POSTs raw bytes (the util helper sends text).
async fn http_bytes(url: &str, body: &[u8]) -> (u16, String, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap();
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    (head.split_whitespace().nth(1).unwrap().parse().unwrap(), head.to_string(), body.to_string())
}

#[tokio::test]
async fn a_restart_continues_one_chain_and_an_old_format_dir_is_refused() {
    let dir = std::env::temp_dir().join(format!("aloft-cadence-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = Devnet::builder().ephemeral_ports().block_time_ms(100).data_dir(&dir).spawn().await.unwrap();
    let raw = eip1559(&account(2), 31337, 0, Some(Address::repeat_byte(2)), U256::from(9u64), Bytes::new(), 21_000);
    rpc(&first, "eth_sendRawTransaction", json!([hex(&raw)])).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = latest_header(&first).await;
    let kept = light_block(&first, before).await;
    first.shutdown().await;

    let second = Devnet::builder().ephemeral_ports().block_time_ms(100).data_dir(&dir).spawn().await.unwrap();
    assert_eq!(light_block(&second, before).await, kept);
    let next = wait_for_header(&second, before + 1).await;
    assert!(next > before, "no block after the restart: still at {next}, was {before}");
    for h in [before, next] {
        let header = light_block(&second, h).await.header;
        let evm = rpc(&second, "eth_getBlockByNumber", json!([format!("{h:#x}"), false])).await;
        assert_eq!(evm["stateRoot"], json!(format!("0x{}", ::hex::encode(header.state_root.0))), "height {h}");
    }
    assert_eq!(rpc(&second, "eth_getBalance", json!([Address::repeat_byte(2)])).await, json!("0x9"));
    second.shutdown().await;

    // Headers that do not carry the EVM's roots (the old separate cadences) are refused.
    std::fs::remove_file(dir.join("headers.bin")).unwrap();
    let err = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap_err();
    assert!(err.to_string().contains("older devnet"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
