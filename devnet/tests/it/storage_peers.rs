//! Storage peers over HTTP: submissions gate uploads, proofs are checked,
//! acknowledged shards survive a restart, switches make peers misbehave.

use aloft_devnet::Devnet;
use aloft_light_client::storage::{Coding, FileTree, SEGMENT_SIZE, SegmentIndex, ShardWithProof};
use serde_json::{Value, json};

fn post(url: &str, body: &Value) -> (u16, Value) {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut res = agent.post(url).send_json(body).expect("request sent");
    let status = res.status().as_u16();
    let text = res.body_mut().read_to_string().unwrap_or_default();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

fn rpc(url: &str, method: &str, params: Value) -> Value {
    let (status, answer) = post(url, &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}));
    assert_eq!(status, 200, "{answer}");
    answer
}

fn file(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i as u32).wrapping_mul(2_654_435_761).rotate_left(9) as u8).collect()
}

fn submit(devnet: &Devnet, tree: &FileTree) {
    let (status, answer) =
        post(&format!("{}/storage/submissions", devnet.control_url()), &json!(tree.commitment().submission(vec![])));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["root"], json!(tree.root()));
}

fn shards(tree: &FileTree, data: &[u8], index: u64) -> Vec<ShardWithProof> {
    let start = index as usize * SEGMENT_SIZE;
    let end = (start + SEGMENT_SIZE).min(data.len());
    tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(index), &data[start..end]).expect("shards")
}

#[tokio::test(flavor = "multi_thread")]
async fn peers_refuse_unsubmitted_roots_and_bad_proofs() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let urls = devnet.storage_urls();
    assert_eq!(urls.len(), 6);
    let data = file(SEGMENT_SIZE + 1000);
    let tree = FileTree::of_bytes(&data).unwrap();
    let messages = shards(&tree, &data, 0);
    let url = urls[0].clone();
    let m0 = messages[0].clone();
    let answer = tokio::task::spawn_blocking(move || rpc(&url, "aloft_uploadShard", json!([m0]))).await.unwrap();
    assert_eq!(answer["error"]["code"], json!(-32000), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("never submitted"), "{answer}");
    let url = urls[0].clone();
    let root = tree.root();
    let info = tokio::task::spawn_blocking(move || rpc(&url, "zgs_getFileInfo", json!([root]))).await.unwrap();
    assert_eq!(info["result"], Value::Null);

    submit(&devnet, &tree);
    let url = urls[0].clone();
    let mut forged = messages[0].clone();
    forged.data[10] ^= 1;
    let answer = tokio::task::spawn_blocking(move || rpc(&url, "aloft_uploadShard", json!([forged]))).await.unwrap();
    assert_eq!(answer["error"]["code"], json!(-32602), "{answer}");
    assert!(answer["error"]["message"].as_str().unwrap().contains("shard refused"), "{answer}");

    let url = urls[1].clone();
    let mut wrong_size = messages[1].clone();
    wrong_size.file_size += 1;
    let answer = tokio::task::spawn_blocking(move || rpc(&url, "aloft_uploadShard", json!([wrong_size]))).await.unwrap();
    assert!(answer["error"]["message"].as_str().unwrap().contains("submitted length"), "{answer}");

    // A whole 0G segment in the node's own shape is checked and kept too.
    let url = urls[2].clone();
    let segment = tree.segment_with_proof(SegmentIndex(1), &data[SEGMENT_SIZE..]).unwrap();
    let answer = tokio::task::spawn_blocking(move || {
        let up = rpc(&url, "zgs_uploadSegment", json!([segment]));
        let down = rpc(&url, "zgs_downloadSegmentWithProof", json!([root, 1]));
        (up, down)
    })
    .await
    .unwrap();
    assert_eq!(answer.0["result"], Value::Null, "{}", answer.0);
    let back: aloft_light_client::storage::SegmentWithProof = serde_json::from_value(answer.1["result"].clone()).unwrap();
    back.verify().unwrap();
    devnet.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn acknowledged_shards_survive_a_restart_and_corrupt_peers_are_caught() {
    let dir = std::env::temp_dir().join(format!("aloft-devnet-storage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let devnet = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap();
    let data = file(2 * SEGMENT_SIZE + 4321);
    let tree = FileTree::of_bytes(&data).unwrap();
    submit(&devnet, &tree);
    let urls = devnet.storage_urls();
    let all: Vec<Vec<ShardWithProof>> = (0..3).map(|i| shards(&tree, &data, i)).collect();
    let upload_urls = urls.clone();
    tokio::task::spawn_blocking(move || {
        for (i, segment) in all.iter().enumerate() {
            for (j, shard) in segment.iter().enumerate() {
                let peer = (i + j) % 6;
                let answer = rpc(&upload_urls[peer], "aloft_uploadShard", json!([shard]));
                assert_eq!(answer["result"], Value::Null, "{answer}");
            }
        }
    })
    .await
    .unwrap();
    devnet.shutdown().await;

    let devnet = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap();
    let urls = devnet.storage_urls();
    let control = devnet.control_url();
    let root = tree.root();
    tokio::task::spawn_blocking(move || {
        let info = rpc(&urls[0], "zgs_getFileInfo", json!([root]));
        assert_eq!(info["result"]["uploadedSegNum"], json!(3), "{info}");
        assert_eq!(info["result"]["finalized"], json!(true));
        assert_eq!(info["result"]["tx"]["size"], json!(data.len()));
        for i in 0..3u64 {
            for j in 0..6u64 {
                let peer = ((i + j) % 6) as usize;
                let answer = rpc(&urls[peer], "aloft_downloadShard", json!([root, i, j]));
                let shard: ShardWithProof = serde_json::from_value(answer["result"].clone()).unwrap();
                shard.verify().unwrap();
            }
        }
        // Corrupt switch: data shards then fail their own check.
        let agent = ureq::Agent::new_with_defaults();
        agent.put(&format!("{control}/switches/storage_peer_0_corrupt")).send_json(json!(true)).unwrap();
        let answer = rpc(&urls[0], "aloft_downloadShard", json!([root, 0, 0]));
        let shard: ShardWithProof = serde_json::from_value(answer["result"].clone()).unwrap();
        assert!(shard.verify().is_err());
        // Offline switch: 503.
        agent.put(&format!("{control}/switches/storage_peer_1_offline")).send_json(json!(true)).unwrap();
        let (status, _) = post(&urls[1], &json!({"jsonrpc": "2.0", "id": 1, "method": "zgs_getStatus"}));
        assert_eq!(status, 503);
    })
    .await
    .unwrap();
    devnet.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

mod on_chain {
    use alloy_primitives::{B256, U256};
    use alloy_sol_types::{SolCall, sol};

    sol! {
        struct SubmissionNode { bytes32 root; uint256 height; }
        struct Submission { uint256 length; bytes tags; SubmissionNode[] nodes; }
        function submit(Submission submission) returns (uint256, bytes32, uint256, uint256);
    }

    /// `Flow.submit(submission)` calldata for the light client's submission.
    pub fn submit_call(s: &aloft_light_client::storage::Submission) -> Vec<u8> {
        submitCall {
            submission: Submission {
                length: U256::from(s.length),
                tags: s.tags.clone().into(),
                nodes: s
                    .nodes
                    .iter()
                    .map(|n| SubmissionNode { root: B256::from(n.root.0), height: U256::from(n.height) })
                    .collect(),
            },
        }
        .abi_encode()
    }
}

/// A root submitted with a real transaction to the genesis Flow contract is
/// accepted by the peers (they read the `Submit` event), with no registry entry.
#[tokio::test(flavor = "multi_thread")]
async fn roots_submitted_to_the_flow_contract_are_accepted() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let data = file(70_000);
    let tree = FileTree::of_bytes(&data).unwrap();
    let messages = shards(&tree, &data, 0);
    let urls = devnet.storage_urls();
    let first = messages[0].clone();
    let url = urls[0].clone();
    let refused = tokio::task::spawn_blocking(move || rpc(&url, "aloft_uploadShard", json!([first]))).await.unwrap();
    assert_eq!(refused["error"]["code"], json!(-32000), "{refused}");

    let alice = crate::util::account(0);
    let input = on_chain::submit_call(&tree.commitment().submission(vec![]));
    let flow = aloft_devnet::contracts::addresses().flow;
    let raw = crate::util::eip1559(&alice, 31337, 0, Some(flow), alloy_primitives::U256::ZERO, input.into(), 1_000_000);
    let hash = crate::util::rpc(&devnet, "eth_sendRawTransaction", json!([format!("0x{}", hex_encode(&raw))])).await;
    let receipt = crate::util::rpc(&devnet, "eth_getTransactionReceipt", json!([hash])).await;
    assert_eq!(receipt["status"], json!("0x1"), "{receipt}");
    assert!(devnet.submissions().all().is_empty(), "nothing went through the registry");

    let root = tree.root();
    tokio::task::spawn_blocking(move || {
        for (j, shard) in messages.iter().enumerate() {
            let answer = rpc(&urls[j], "aloft_uploadShard", json!([shard]));
            assert_eq!(answer["result"], Value::Null, "{answer}");
        }
        let info = rpc(&urls[0], "zgs_getFileInfo", json!([root]));
        assert_eq!(info["result"]["tx"]["seq"], json!(0), "{info}");
        assert_eq!(info["result"]["tx"]["size"], json!(70_000));
    })
    .await
    .unwrap();
    devnet.shutdown().await;
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
