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

    let up = aloft_async(vec!["upload".into(), input.clone().into(), "--devnet".into(), control.clone().into()]).await;
    assert!(up.status.success(), "{}", String::from_utf8_lossy(&up.stderr));
    let answer: Value = serde_json::from_slice(&up.stdout)?;
    let root = answer["root"].as_str().ok_or("no root")?.to_string();
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
