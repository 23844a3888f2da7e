//! End-to-end tests of the `aloft` binary: each runs the built executable the
//! way a user or a script would. New CLI tests go in this file, one section per
//! subcommand, so the crate keeps a single integration-test binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn aloft(args: &[&std::ffi::OsStr]) -> Output {
    match Command::new(env!("CARGO_BIN_EXE_aloft"))
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(e) => panic!("cannot run aloft: {e}"),
    }
}

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/zgs")
}

// ---- aloft root ----

/// Every entry of `vectors/zgs/roots.json` (generated ones rebuilt into a temp
/// file when no file is listed) gives the listed root, length and nodes.
#[test]
fn root_matches_the_zgs_vectors() -> Result<(), Box<dyn std::error::Error>> {
    let list: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(vectors().join("roots.json"))?)?;
    assert!(!list.is_empty());
    for (i, entry) in list.iter().enumerate() {
        let path = match entry["file"].as_str() {
            Some(file) => vectors().join(file),
            None => {
                let rule = entry["generator"]
                    .as_str()
                    .ok_or("entry without file or generator")?;
                let size = entry["size"].as_u64().ok_or("entry without size")?;
                let mut bytes = Vec::new();
                aloft_light_client::conformance::zgs::generate(rule, size, |b| {
                    bytes.extend_from_slice(b)
                })?;
                let path =
                    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("zgs-generated-{i}.bin"));
                std::fs::write(&path, bytes)?;
                path
            }
        };
        let output = aloft(&["root".as_ref(), path.as_os_str()]);
        let stdout = String::from_utf8(output.stdout)?;
        assert!(
            output.status.success(),
            "{}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(stdout.lines().count(), 1, "exactly one JSON line: {stdout}");
        let got: Value = serde_json::from_str(&stdout)?;
        assert_eq!(got["root"], entry["root"], "{}", path.display());
        assert_eq!(got["length"], entry["length"], "{}", path.display());
        assert_eq!(got["nodes"], entry["nodes"], "{}", path.display());
        assert_eq!(
            got.as_object().map(|o| o.len()),
            Some(3),
            "only root, length and nodes: {stdout}"
        );
    }
    Ok(())
}

#[test]
fn root_of_an_empty_file_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("zgs-empty.bin");
    std::fs::write(&path, b"")?;
    let output = aloft(&["root".as_ref(), path.as_os_str()]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8(output.stderr)?.contains("is empty"));
    Ok(())
}

#[test]
fn root_of_a_missing_file_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let path = vectors().join("no-such-file.bin");
    let output = aloft(&["root".as_ref(), path.as_os_str()]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8(output.stderr)?.contains("cannot open"));
    Ok(())
}

#[test]
fn root_of_a_directory_is_an_error() -> Result<(), Box<dyn std::error::Error>> {
    let output = aloft(&["root".as_ref(), vectors().as_os_str()]);
    assert!(!output.status.success());
    assert!(String::from_utf8(output.stderr)?.contains("directory"));
    Ok(())
}

// ---- aloft headers verify ----

/// Starts a fast devnet on free ports in a background runtime; returns its
/// header API URL and the runtime (dropping it stops the devnet).
fn devnet() -> (String, tokio::runtime::Runtime, aloft_devnet::Devnet) {
    let rt = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let devnet = rt
        .block_on(aloft_devnet::Devnet::builder().ephemeral_ports().block_time_ms(30).spawn())
        .expect("the devnet starts");
    std::thread::sleep(std::time::Duration::from_millis(300));
    (devnet.headers_url(), rt, devnet)
}

/// GETs a JSON document over a raw socket (the tests need no HTTP client).
fn http_json(url: &str) -> Value {
    use std::io::{Read, Write};
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).expect("a path");
    let mut s = std::net::TcpStream::connect(host).expect("connect");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").expect("write");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    serde_json::from_str(raw.split_once("\r\n\r\n").expect("a body").1).expect("JSON")
}

#[test]
fn headers_verify_syncs_from_a_checkpoint_and_prints_each_head() {
    let (base, _rt, _devnet) = devnet();
    let first = http_json(&format!("{base}/header/1"));
    let checkpoint = format!("1:{}", first["hash"].as_str().expect("a hash"));
    let witness = format!("{base}/witness");
    let out = aloft(&["headers".as_ref(), "verify".as_ref(), "--rpc".as_ref(), base.as_ref(), "--checkpoint".as_ref(), checkpoint.as_ref(), "--witness".as_ref(), witness.as_ref()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("JSON lines")).collect();
    assert_eq!(lines[0]["event"], "checkpoint");
    assert_eq!(lines[0]["height"], 1);
    let last = lines.last().expect("a verified head");
    assert_eq!(last["event"], "verified");
    assert!(last["height"].as_u64().expect("a height") > 1);
    assert!(last["commits_verified"].as_u64().expect("a count") <= 20);
    // The printed head is the block the devnet has at that height.
    let served = http_json(&format!("{base}/header/{}", last["height"]));
    assert_eq!(served["hash"], last["hash"]);
}

#[test]
fn headers_verify_refuses_bad_checkpoints_with_a_reason() {
    let (base, _rt, _devnet) = devnet();
    let cases = [
        ("12", "expected HEIGHT:HASH"),
        ("1:0x1234", "expected 32 bytes"),
        (&*format!("1:0x{}", "00".repeat(32)), "this source is on another chain or lying"),
    ];
    for (checkpoint, reason) in cases {
        let out = aloft(&["headers".as_ref(), "verify".as_ref(), "--rpc".as_ref(), base.as_ref(), "--checkpoint".as_ref(), checkpoint.as_ref()]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(reason), "{checkpoint}: {err}");
    }
    let out = aloft(&["headers".as_ref(), "verify".as_ref(), "--rpc".as_ref(), "ftp://x".as_ref(), "--checkpoint".as_ref(), format!("1:0x{}", "00".repeat(32)).as_ref()]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("only http:// URLs"));
}

// ---- aloft upload / aloft download ----

/// Runs `aloft` off the async runtime (the devnet serves on it meanwhile).
async fn aloft_async(args: Vec<std::ffi::OsString>) -> Output {
    tokio::task::spawn_blocking(move || {
        let refs: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        aloft(&refs)
    })
    .await
    .unwrap_or_else(|e| panic!("aloft task: {e}"))
}

async fn set_switch(control: &str, name: &str, on: bool) {
    let url = format!("{control}/switches/{name}");
    tokio::task::spawn_blocking(move || {
        let agent = ureq_agent();
        agent.put(&url).send(if on { "true" } else { "false" }).map(|_| ())
    })
    .await
    .unwrap_or_else(|e| panic!("switch task: {e}"))
    .unwrap_or_else(|e| panic!("cannot set switch: {e}"));
}

/// One JSON-RPC call to the devnet's EVM endpoint; its `result`.
async fn rpc_blocking(url: &str, method: &str, params: Value) -> Value {
    let (url, method) = (url.to_string(), method.to_string());
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    tokio::task::spawn_blocking(move || {
        let mut res = ureq_agent().post(&url).send_json(&body).unwrap_or_else(|e| panic!("{method}: {e}"));
        let answer: Value = res.body_mut().read_json().unwrap_or_else(|e| panic!("{method}: {e}"));
        answer["result"].clone()
    })
    .await
    .unwrap_or_else(|e| panic!("rpc task: {e}"))
}

fn ureq_agent() -> ureq::Agent {
    ureq::Agent::new_with_defaults()
}

/// Upload a file, read it back byte-identical with two peers offline and one
/// corrupt (which is named and avoided), restart the devnet on its data
/// directory and read it again; an unknown root is a clear error.
#[tokio::test(flavor = "multi_thread")]
async fn upload_then_download_through_faults_and_a_restart() -> Result<(), Box<dyn std::error::Error>> {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("aloft-cli-storage-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    let data: Vec<u8> = (0..5 * 262_144 + 12_345u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let input = tmp.join("in.bin");
    std::fs::write(&input, &data)?;
    let data_dir = tmp.join("devnet");
    let devnet = aloft_devnet::Devnet::builder().ephemeral_ports().data_dir(&data_dir).spawn().await?;
    let control = devnet.control_url();

    // A bad key is refused before anything is sent.
    let bad = aloft_async(vec![
        "upload".into(), input.clone().into(), "--devnet".into(), control.clone().into(),
        "--rpc".into(), devnet.rpc_url().into(), "--key".into(), "0x1234".into(),
    ])
    .await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("64 hexadecimal digits"), "{}", String::from_utf8_lossy(&bad.stderr));

    let up = aloft_async(vec!["upload".into(), input.clone().into(), "--devnet".into(), control.clone().into(), "--rpc".into(), devnet.rpc_url().into()]).await;
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let answer: Value = serde_json::from_slice(&up.stdout)?;
    let root = answer["root"].as_str().ok_or("no root")?.to_string();
    // The root went on chain: a mined Flow.submit from the devnet's account 0
    // whose Submit event names it, and nothing through the devnet registry.
    let tx = answer["submitTx"].as_str().ok_or("no submitTx")?.to_string();
    let receipt = rpc_blocking(&devnet.rpc_url(), "eth_getTransactionReceipt", serde_json::json!([tx])).await;
    assert_eq!(receipt["status"], "0x1", "{receipt}");
    assert_eq!(receipt["from"].as_str().map(str::to_ascii_lowercase), Some(format!("{:#x}", devnet.accounts()[0])));
    let flow = serde_json::to_value(aloft_devnet::contracts::addresses().flow)?;
    assert_eq!(receipt["to"].as_str().map(str::to_ascii_lowercase), flow.as_str().map(str::to_ascii_lowercase));
    assert!(receipt["logs"].as_array().is_some_and(|logs| logs.iter().any(|l| l["address"] == receipt["to"])), "{receipt}");
    assert!(devnet.submissions().all().is_empty(), "nothing went through the devnet registry");
    let progress = String::from_utf8(up.stderr)?;
    assert!(progress.contains("MiB/s") && progress.contains("ETA"), "{progress}");

    let download = |out: PathBuf, control: String| {
        aloft_async(vec!["download".into(), root.clone().into(), out.into(), "--devnet".into(), control.into()])
    };
    set_switch(&control, "storage_peer_1_offline", true).await;
    set_switch(&control, "storage_peer_4_offline", true).await;
    let out = tmp.join("out-two-offline.bin");
    let down = download(out.clone(), control.clone()).await;
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    assert!(std::fs::read(&out)? == data);

    set_switch(&control, "storage_peer_4_offline", false).await;
    set_switch(&control, "storage_peer_0_corrupt", true).await;
    let out = tmp.join("out-corrupt.bin");
    let down = download(out.clone(), control.clone()).await;
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    assert!(std::fs::read(&out)? == data);
    let summary: Value = serde_json::from_slice(&down.stdout)?;
    assert_eq!(summary["avoidedPeers"], serde_json::json!([0]));
    assert!(String::from_utf8(down.stderr)?.contains("avoiding storage peer 0"));

    devnet.shutdown().await;
    let devnet = aloft_devnet::Devnet::builder().ephemeral_ports().data_dir(&data_dir).spawn().await?;
    let out = tmp.join("out-restarted.bin");
    let down = download(out.clone(), devnet.control_url()).await;
    assert!(down.status.success(), "{}", String::from_utf8_lossy(&down.stderr));
    assert!(std::fs::read(&out)? == data);

    let unknown = format!("0x{}", "ab".repeat(32));
    let down = aloft_async(vec![
        "download".into(),
        unknown.into(),
        tmp.join("never.bin").into(),
        "--devnet".into(),
        devnet.control_url().into(),
    ])
    .await;
    assert!(!down.status.success());
    assert!(String::from_utf8(down.stderr)?.contains("never submitted"));
    devnet.shutdown().await;
    let _ = std::fs::remove_dir_all(&tmp);
    Ok(())
}

// ---- aloft seal / unseal ----

fn aloft_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_aloft"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn aloft");
    // A refusal may come before stdin is read (a bad public key): a closed pipe is fine.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("aloft output")
}

/// The receiver used below: secret key 0x42.., public key derived by the library.
fn seal_keys(dir: &Path) -> (PathBuf, String) {
    let secret = [0x42u8; 32];
    let path = dir.join("receiver.key");
    std::fs::write(&path, format!("0x{}\n", hex::encode(secret))).expect("write key");
    let public = aloft_light_client::inft::SecretKey::from_bytes(&secret).expect("key").public_key();
    (path, hex::encode(public.to_compressed()))
}

#[test]
fn seal_then_unseal_round_trips_and_refuses_bad_input() {
    let dir = std::env::temp_dir().join(format!("aloft-seal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (key_file, public) = seal_keys(&dir);
    let key_arg = key_file.to_str().expect("utf-8 path");
    let data = [7u8; 32];
    let sealed = aloft_stdin(&["seal", "--to", &public], &data);
    assert!(sealed.status.success(), "{}", String::from_utf8_lossy(&sealed.stderr));
    assert_eq!(sealed.stdout.len(), 129);
    let opened = aloft_stdin(&["unseal", "--key", key_arg], &sealed.stdout);
    assert!(opened.status.success(), "{}", String::from_utf8_lossy(&opened.stderr));
    assert_eq!(opened.stdout, data);

    let bad_pub = aloft_stdin(&["seal", "--to", "0x1234"], &data);
    assert!(!bad_pub.status.success() && bad_pub.stdout.is_empty());
    assert!(String::from_utf8_lossy(&bad_pub.stderr).contains("bad public key"));

    let other = dir.join("other.key");
    std::fs::write(&other, hex::encode([0x43u8; 32])).expect("write key");
    let wrong = aloft_stdin(&["unseal", "--key", other.to_str().expect("utf-8")], &sealed.stdout);
    assert!(!wrong.status.success() && wrong.stdout.is_empty());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("sealed to a different key"));

    let cut = aloft_stdin(&["unseal", "--key", key_arg], &sealed.stdout[..50]);
    assert!(!cut.status.success() && cut.stdout.is_empty());
    assert!(String::from_utf8_lossy(&cut.stderr).contains("truncated"));

    let bad_key = dir.join("bad.key");
    std::fs::write(&bad_key, "not a key").expect("write");
    let refused = aloft_stdin(&["unseal", "--key", bad_key.to_str().expect("utf-8")], &sealed.stdout);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("bad key file"));
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- aloft da sample ----

/// PUTs a JSON switch value off the async runtime.
async fn put_switch(control: &str, name: &str, value: &'static str) {
    let url = format!("{control}/switches/{name}");
    tokio::task::spawn_blocking(move || ureq_agent().put(&url).send(value).map(|_| ()))
        .await
        .unwrap_or_else(|e| panic!("switch task: {e}"))
        .unwrap_or_else(|e| panic!("cannot set switch: {e}"));
}

/// `aloft da sample` takes the DA root only from the header it verified:
/// an honest block is available; when every DA node serves a wrong
/// commitment list for a block, the block is unavailable, every node asked
/// is dropped with the reason, and the header's root is what was used.
#[tokio::test(flavor = "multi_thread")]
async fn da_sample_uses_the_verified_header_root_and_refuses_wrong_lists() -> Result<(), Box<dyn std::error::Error>> {
    let devnet = aloft_devnet::Devnet::builder().ephemeral_ports().da_blocks(1, 0).spawn().await?;
    let (headers, control, da) = (devnet.headers_url(), devnet.control_url(), devnet.da_url());
    let post = |bytes: Vec<u8>| {
        let url = format!("{da}/da/v1/blobs");
        tokio::task::spawn_blocking(move || -> Result<Value, String> {
            let body = ureq_agent().post(&url).send(&bytes[..]).map_err(|e| e.to_string())?.body_mut().read_to_string().map_err(|e| e.to_string())?;
            serde_json::from_str(&body).map_err(|e| e.to_string())
        })
    };
    let block = post((0..150_000u32).map(|i| (i * 3) as u8).collect()).await??;
    let height = block["height"].as_u64().ok_or("a height")?;
    let mut args: Vec<std::ffi::OsString> = ["da", "sample", "--rpc", &headers, "--height", &height.to_string()].iter().map(Into::into).collect();
    for n in devnet.da_nodes() {
        args.extend(["--node".into(), n.into()]);
    }
    // Honest: available, against the verified header's root.
    let out = aloft_async(args.clone()).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout)?;
    assert_eq!(report["report"]["availability"]["status"], "available", "{report}");
    assert_eq!(report["header"]["da_root"], block["root"]);
    assert_eq!(report["report"]["root"], block["root"]);

    // Every node lies about this block's list: unavailable, with the reason.
    put_switch(&control, "da.all.commitments", r#"{"lie": "drop"}"#).await;
    let out = aloft_async(args.clone()).await;
    put_switch(&control, "da.all.commitments", "null").await;
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout)?;
    let reason = report["report"]["availability"]["reason"].as_str().ok_or("a reason")?;
    assert!(reason.contains("commitment list that matches the header"), "{report}");
    let dropped = report["dropped_peers"].as_array().ok_or("dropped peers")?;
    assert_eq!(dropped.len(), devnet.da_nodes().len());
    assert!(dropped.iter().all(|d| d["reason"].as_str().is_some_and(|r| r.contains("does not match the header"))), "{report}");

    // A height the header API does not have yet: no claim, exit 3.
    let mut far = args.clone();
    let at = far.iter().position(|a| a == "--height").ok_or("--height")? + 1;
    far[at] = "1000000".into();
    let out = aloft_async(far).await;
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not verify"));
    Ok(())
}
