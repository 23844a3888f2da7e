//! The load beside the light client: DA sampling with `aloft da sample` and
//! uploads with `aloft upload`, as a user would run them, in a loop on their
//! own thread while faults cycle. An upload that exits 0 is acknowledged and
//! must be readable at the end; any child that panics (exit 101) counts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::Value;

/// What the load did.
#[derive(Debug, Default)]
pub struct WorkLog {
    pub da_available: u64,
    pub da_unavailable: u64,
    pub da_errors: Vec<String>,
    /// Samples skipped because the DA nodes had no block yet (setup warming).
    pub da_not_ready: u64,
    /// Samples refused because the header did not verify (header faults on).
    pub da_header_unverified: u64,
    /// Peers the sampler dropped, each with its reason.
    pub da_dropped: Vec<(String, String)>,
    /// Acknowledged uploads: file and root.
    pub acknowledged: Vec<(PathBuf, String)>,
    pub upload_failures: Vec<String>,
    pub child_panics: Vec<String>,
}

/// Where the devnet's services are.
pub struct Net {
    pub aloft: PathBuf,
    pub control: String,
    pub da_nodes: Vec<String>,
    pub da_head: String,
    /// The header API and the checkpoint `aloft da sample` verifies from.
    pub headers: String,
    pub checkpoint: String,
}

fn small_rng(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

/// Writes a file of `len` pseudo-random bytes.
pub fn write_file(path: &Path, len: usize, seed: &mut u64) -> std::io::Result<()> {
    let bytes: Vec<u8> = (0..len).map(|_| small_rng(seed) as u8).collect();
    std::fs::write(path, bytes)
}

fn run(cmd: &mut Command, log: &mut WorkLog) -> Option<(i32, String, String)> {
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) => {
            log.upload_failures.push(format!("cannot run {cmd:?}: {e}"));
            return None;
        }
    };
    let code = out.status.code().unwrap_or(-1);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if code == 101 || stderr.contains("panicked") {
        log.child_panics.push(format!("{cmd:?}: {stderr}"));
    }
    Some((code, stdout, stderr))
}

/// One DA sample of the newest DA block.
fn sample(net: &Net, http: &crate::client::Http, log: &mut WorkLog) {
    let head = match http.get_bytes(&net.da_head).map(|b| serde_json::from_slice::<Value>(&b)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return log.da_errors.push(format!("DA head is not JSON: {e}")),
        Err(e) if e.contains("no DA block yet") => return log.da_not_ready += 1,
        Err(e) => return log.da_errors.push(e),
    };
    let Some(height) = head.get("height").and_then(Value::as_u64) else {
        return log.da_errors.push(format!("DA head without a height: {head}"));
    };
    let mut cmd = Command::new(&net.aloft);
    cmd.args(["da", "sample", "--height", &height.to_string(), "--timeout-ms", "1500", "--rpc", &net.headers, "--checkpoint", &net.checkpoint]);
    for n in &net.da_nodes {
        cmd.args(["--node", n]);
    }
    let Some((code, stdout, stderr)) = run(&mut cmd, log) else { return };
    match code {
        0 => log.da_available += 1,
        2 => log.da_unavailable += 1,
        3 => return log.da_header_unverified += 1,
        _ => return log.da_errors.push(format!("da sample {height}: exit {code}: {}", stderr.trim())),
    }
    if let Ok(report) = serde_json::from_str::<Value>(stdout.trim()) {
        for d in report["dropped_peers"].as_array().into_iter().flatten() {
            log.da_dropped.push((d["peer"].to_string(), d["reason"].as_str().unwrap_or("").to_string()));
        }
    }
}

/// One upload of a fresh file; acknowledged if `aloft upload` exits 0.
fn upload(net: &Net, dir: &Path, n: usize, seed: &mut u64, log: &mut WorkLog) {
    let path = dir.join(format!("upload-{n}.bin"));
    let len = 1 + (small_rng(seed) % (600 * 1024)) as usize;
    if let Err(e) = write_file(&path, len, seed) {
        return log.upload_failures.push(format!("cannot write {}: {e}", path.display()));
    }
    let mut cmd = Command::new(&net.aloft);
    cmd.args(["upload"]).arg(&path).args(["--devnet", &net.control, "--retries", "3", "--jobs", "4"]);
    let Some((code, stdout, stderr)) = run(&mut cmd, log) else { return };
    if code != 0 {
        return log.upload_failures.push(format!("upload {n}: exit {code}: {}", stderr.lines().last().unwrap_or("")));
    }
    match serde_json::from_str::<Value>(stdout.lines().last().unwrap_or("")).ok().and_then(|v| v["root"].as_str().map(String::from)) {
        Some(root) => log.acknowledged.push((path, root)),
        None => log.upload_failures.push(format!("upload {n}: exit 0 without a root: {stdout}")),
    }
}

/// Runs samples and uploads until `stop`.
pub fn run_load(net: Net, dir: PathBuf, stop: Arc<AtomicBool>) -> WorkLog {
    let http = crate::client::Http::new();
    let mut log = WorkLog::default();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        sample(&net, &http, &mut log);
        upload(&net, &dir, n, &mut seed, &mut log);
        n += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    log
}

/// Downloads `root` into `out` and compares it with `original`.
pub fn read_back(aloft: &Path, control: &str, root: &str, original: &Path, out: &Path) -> Result<(), String> {
    let out_put = Command::new(aloft)
        .args(["download", root])
        .arg(out)
        .args(["--devnet", control])
        .output()
        .map_err(|e| format!("cannot run aloft download: {e}"))?;
    if !out_put.status.success() {
        return Err(format!("download {root}: {}", String::from_utf8_lossy(&out_put.stderr).trim()));
    }
    let (a, b) = (std::fs::read(original).map_err(|e| e.to_string())?, std::fs::read(out).map_err(|e| e.to_string())?);
    if a != b {
        return Err(format!("download {root}: {} bytes differ from the {} uploaded", b.len(), a.len()));
    }
    Ok(())
}
