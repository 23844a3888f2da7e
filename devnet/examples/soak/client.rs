//! The native light client under soak: the same `HeaderClient` the browser
//! and `aloft headers verify` run, over blocking HTTP, in its own thread. It
//! syncs to the head once per block and keeps what it verified, what it
//! rejected (with reasons) and which syncs failed.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aloft_light_client::client::{Checkpoint, ClientConfig, HeaderClient, Platform, PlatformError, Rejection};
use aloft_light_client::header::{BlockHash, Height, VerifyOptions};

/// Blocking HTTP with a timeout, so an offline or slow RPC fails a sync
/// instead of hanging it.
pub struct Http(pub ureq::Agent);

impl Http {
    pub fn new() -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(3)))
            .build()
            .new_agent();
        Self(agent)
    }

    /// GET `url`; non-200 answers are errors with their status and text.
    pub fn get_bytes(&self, url: &str) -> Result<Vec<u8>, String> {
        let mut resp = self.0.get(url).call().map_err(|e| format!("GET {url}: {e}"))?;
        let status = resp.status().as_u16();
        let body = resp.body_mut().with_config().limit(16 << 20).read_to_vec().map_err(|e| format!("GET {url}: {e}"))?;
        if status != 200 {
            return Err(format!("GET {url}: HTTP {status}: {}", String::from_utf8_lossy(&body)));
        }
        Ok(body)
    }
}

impl Platform for Http {
    async fn get(&self, url: &str) -> Result<Vec<u8>, PlatformError> {
        self.get_bytes(url).map_err(PlatformError)
    }
    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as u64)
    }
    async fn load(&self, _key: &str) -> Result<Option<Vec<u8>>, PlatformError> {
        Ok(None)
    }
    async fn store(&self, _key: &str, _value: &[u8]) -> Result<(), PlatformError> {
        Ok(())
    }
}

/// Drives a future whose IO is blocking (ready on first poll or after the
/// blocking call returns).
pub fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// What the client did during the soak.
#[derive(Debug, Default)]
pub struct ClientLog {
    /// Every head it adopted, in order.
    pub verified: Vec<(Height, BlockHash)>,
    /// Rejected headers (the client's own record, bounded).
    pub rejections: Vec<Rejection>,
    /// Rejections the client counted in all.
    pub rejections_total: u64,
    /// Fork evidence produced.
    pub evidence: usize,
    /// Syncs that failed, with their error.
    pub sync_errors: Vec<String>,
}

/// Syncs from `checkpoint` until `stop`, once every `tick`.
pub fn run(headers: String, witness: String, checkpoint: Checkpoint, tick: Duration, stop: Arc<AtomicBool>) -> Result<ClientLog, String> {
    let config = ClientConfig {
        rpc: headers,
        witness: Some(witness),
        checkpoint,
        storage_key: "soak".into(),
        options: VerifyOptions::default(),
    };
    let mut client = block_on(HeaderClient::start(Http::new(), config)).map_err(|e| e.to_string())?;
    let mut log = ClientLog::default();
    while !stop.load(Ordering::Relaxed) {
        match block_on(client.sync_to_head()) {
            Ok(heads) => log.verified.extend(heads.into_iter().map(|h| (h.height, h.hash))),
            Err(e) => log.sync_errors.push(e.to_string()),
        }
        std::thread::sleep(tick);
    }
    log.rejections = client.rejections().to_vec();
    log.rejections_total = client.rejections_total();
    log.evidence = client.evidence().len();
    Ok(log)
}
