//! `aloft headers verify`: syncs the header chain natively from a trusted
//! checkpoint, with the same client the browser runs
//! (`aloft_light_client::client`), and prints one JSON line per verified
//! head. The platform here is the blocking HTTP client in [`crate::http`],
//! the system clock, and an optional state file (so a second run resumes).

use std::future::Future;
use std::path::PathBuf;
use std::pin::pin;
use std::process::ExitCode;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aloft_light_client::client::{Checkpoint, ClientConfig, HeaderClient, Platform, PlatformError, VerifiedHead};
use aloft_light_client::header::VerifyOptions;
use anyhow::Context as _;

/// The CLI's platform for the header client (shared with `aloft da sample`).
pub(crate) struct Native {
    pub(crate) state: Option<PathBuf>,
}

impl Platform for Native {
    async fn get(&self, url: &str) -> Result<Vec<u8>, PlatformError> {
        crate::http::get(url).map_err(PlatformError)
    }
    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
    }
    async fn load(&self, _key: &str) -> Result<Option<Vec<u8>>, PlatformError> {
        let Some(path) = &self.state else { return Ok(None) };
        match std::fs::read(path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(PlatformError(format!("cannot read {}: {e}", path.display()))),
        }
    }
    async fn store(&self, _key: &str, value: &[u8]) -> Result<(), PlatformError> {
        let Some(path) = &self.state else { return Ok(()) };
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, value)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| PlatformError(format!("cannot write {}: {e}", path.display())))
    }
}

/// Drives a future whose IO is blocking: it is ready on first poll or after
/// blocking calls return, so a no-op waker suffices.
pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// The arguments of `aloft headers verify`.
pub struct VerifyArgs {
    pub rpc: String,
    pub checkpoint: String,
    pub witness: Option<String>,
    pub follow: bool,
    pub state: Option<PathBuf>,
}

fn line(event: &str, head: &VerifiedHead, commits: u64) -> String {
    serde_json::json!({
        "event": event,
        "height": head.height,
        "hash": head.hash,
        "time": head.header.time,
        "state_root": head.header.state_root,
        "da_root": head.header.da_root,
        "validators": head.validators,
        "signers": head.signers,
        "commits_verified": commits,
    })
    .to_string()
}

/// Runs `aloft headers verify`.
pub fn verify(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let checkpoint: Checkpoint = args.checkpoint.parse()?;
    let rpc = args.rpc.trim_end_matches('/').to_string();
    let config = ClientConfig {
        rpc: rpc.clone(),
        witness: args.witness.map(|w| w.trim_end_matches('/').to_string()),
        checkpoint,
        storage_key: "aloft-cli".into(),
        options: VerifyOptions::default(),
    };
    let mut client = block_on(HeaderClient::start(Native { state: args.state }, config))
        .with_context(|| format!("cannot start from checkpoint {checkpoint} at {rpc}"))?;
    let start = VerifiedHead::of(client.trusted());
    println!("{}", line(if client.resumed() { "resumed" } else { "checkpoint" }, &start, 0));
    loop {
        match block_on(client.sync_to_head()) {
            Ok(heads) => {
                for head in &heads {
                    println!("{}", line("verified", head, client.commits_verified()));
                }
            }
            Err(e) => {
                for ev in client.evidence() {
                    println!("{}", serde_json::json!({ "event": "evidence", "evidence": ev.to_json() }));
                }
                anyhow::bail!("{e}");
            }
        }
        if !args.follow {
            return Ok(ExitCode::SUCCESS);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
