//! Crash safety with a real process kill: the `aloft-devnet` binary is
//! SIGKILLed while a writer uploads erasure-coded shards to its storage
//! peers, then restarted on the same data directory. Every shard a peer
//! acknowledged is served intact, nothing served fails its proof, and every
//! header block served before the kill is served again with the same hash.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aloft_light_client::storage::{Coding, FileTree, SEGMENT_SIZE, SegmentIndex, ShardWithProof};
use serde_json::{Value, json};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .new_agent()
}

fn post(url: &str, body: &Value) -> Result<Value, String> {
    let mut res = agent().post(url).send_json(body).map_err(|e| e.to_string())?;
    let text = res.body_mut().read_to_string().map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{e}: {text}"))
}

fn get(url: &str) -> Value {
    let mut res = agent().get(url).call().expect("GET");
    serde_json::from_str(&res.body_mut().read_to_string().expect("body")).expect("JSON")
}

/// A base port with `n` free ports after it.
fn free_ports(n: u16) -> u16 {
    for base in (21_000u16..60_000).step_by(97).map(|b| b + (std::process::id() % 89) as u16) {
        let held: Vec<_> = (0..n).map_while(|i| TcpListener::bind(("127.0.0.1", base + i)).ok()).collect();
        if held.len() == n as usize {
            return base;
        }
    }
    panic!("no free ports");
}

struct Node {
    config: PathBuf,
    dir: PathBuf,
}

impl Node {
    fn start(&self) -> Child {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aloft-devnet"))
            .arg("--config")
            .arg(&self.config)
            .arg("--data-dir")
            .arg(&self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the devnet binary starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("ready line");
        assert!(line.contains("\"ready\""), "{line}");
        child
    }
}

fn shards(tree: &FileTree, data: &[u8], segments: u64) -> Vec<ShardWithProof> {
    (0..segments)
        .flat_map(|i| {
            let start = i as usize * SEGMENT_SIZE;
            let end = (start + SEGMENT_SIZE).min(data.len());
            tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(i), &data[start..end]).expect("shards")
        })
        .collect()
}

fn write_config(path: &Path, base: u16) {
    let text = format!(
        "[rpc]\naddr = \"127.0.0.1:{}\"\n[control]\naddr = \"127.0.0.1:{}\"\n[headers]\naddr = \"127.0.0.1:{}\"\n\
         [da]\naddr = \"127.0.0.1:{}\"\n[validators]\nblock_time_ms = 50\n[storage]\naddr = \"127.0.0.1:{}\"\n",
        base,
        base + 1,
        base + 2,
        base + 3,
        base + 4
    );
    std::fs::write(path, text).expect("config");
}

#[test]
fn a_killed_devnet_loses_no_acknowledged_shard_or_header_and_serves_nothing_corrupt() {
    let dir = std::env::temp_dir().join(format!("aloft-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let base = free_ports(10);
    let node = Node { config: dir.join("devnet.toml"), dir: dir.join("data") };
    write_config(&node.config, base);
    let (control, headers) = (format!("http://127.0.0.1:{}", base + 1), format!("http://127.0.0.1:{}", base + 2));
    let peer = move |i: usize| format!("http://127.0.0.1:{}", base + 4 + i as u16);

    let mut child = node.start();
    let segments = 24u64;
    let data: Vec<u8> = (0..segments as usize * SEGMENT_SIZE - 777).map(|i| (i as u32).wrapping_mul(2_654_435_761).rotate_left(7) as u8).collect();
    let tree = FileTree::of_bytes(&data).unwrap();
    let answer = post(&format!("{control}/storage/submissions"), &json!(tree.commitment().submission(vec![]))).unwrap();
    assert_eq!(answer["root"], json!(tree.root()));
    let all = shards(&tree, &data, segments);

    // The writer: one shard after another until the devnet is gone.
    let acked = Arc::new(Mutex::new(Vec::<usize>::new()));
    let gone = Arc::new(AtomicBool::new(false));
    let writer = {
        let (all, acked, gone) = (all.clone(), acked.clone(), gone.clone());
        std::thread::spawn(move || {
            for (n, shard) in all.iter().enumerate() {
                let url = peer((shard.index.0 as usize + shard.shard.0 as usize) % 6);
                match post(&url, &json!({"jsonrpc": "2.0", "id": 1, "method": "aloft_uploadShard", "params": [shard]})) {
                    Ok(a) if a.get("error").is_none() => acked.lock().unwrap().push(n),
                    Ok(a) => panic!("a healthy peer refused shard {n}: {a}"),
                    Err(_) => {
                        gone.store(true, Ordering::Relaxed);
                        return;
                    }
                }
            }
        })
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let latest = get(&format!("{headers}/status"))["latest_height"].as_u64().expect("a height");
    let served: Vec<Value> = (1..=latest).map(|h| get(&format!("{headers}/light_block/{h}"))["hash"].clone()).collect();
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
    writer.join().expect("the writer never saw a refusal");
    let acked = acked.lock().unwrap().clone();
    assert!(gone.load(Ordering::Relaxed) && acked.len() < all.len(), "the kill landed mid-upload ({} of {})", acked.len(), all.len());

    let mut child = node.start();
    let mut served_after = 0;
    for (n, shard) in all.iter().enumerate() {
        let url = peer((shard.index.0 as usize + shard.shard.0 as usize) % 6);
        let answer = post(&url, &json!({"jsonrpc": "2.0", "id": 1, "method": "aloft_downloadShard", "params": [tree.root(), shard.index, shard.shard]}))
            .expect("the restarted peer answers");
        let result = &answer["result"];
        if result.is_null() {
            assert!(!acked.contains(&n), "acknowledged shard {n} (segment {}, shard {}) was lost", shard.index.0, shard.shard.0);
            continue;
        }
        let got: ShardWithProof = serde_json::from_value(result.clone()).expect("a shard object");
        got.verify().unwrap_or_else(|e| panic!("shard {n} served after the restart fails its proof: {e}"));
        assert_eq!(got.data, shard.data, "shard {n} served with other bytes");
        served_after += 1;
    }
    assert!(served_after >= acked.len());
    for (h, hash) in served.iter().enumerate() {
        let again = get(&format!("{headers}/light_block/{}", h + 1));
        assert_eq!(&again["hash"], hash, "block {} changed across the crash", h + 1);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
