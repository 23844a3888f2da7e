//! The header client: the sans-IO [`crate::header`] state machines driven
//! over a [`Platform`] (fetch, clock, storage). The browser API
//! (`crate::wasm`) and the `aloft headers verify` command both run this one
//! driver, each with its own platform.
//!
//! Flow:
//! 1. [`HeaderClient::start`]: resume the trusted light block persisted under
//!    the storage key if it descends from the same checkpoint (no
//!    re-verification: it was verified before it was stored), otherwise
//!    fetch the checkpoint's light block and accept it only if it hashes to
//!    the checkpoint hash and hangs together.
//! 2. [`HeaderClient::sync_to`]: a [`Syncer`] from the trusted block,
//!    fetching from the primary source (`{rpc}/light_block/{height}`).
//! 3. The new head is cross-checked with the witness, if any, by a
//!    [`Detector`]. A conflict that verifies is kept as [`Evidence`] and the
//!    head is **not** adopted; a witness that lies is recorded as a rejection.
//! 4. The new trusted block is persisted, so a reload resumes from it;
//!    evidence and the newest rejections are persisted with it (`state`).
//!
//! Every rejection (height, kind, reason, source) is kept for the caller to
//! show, and persisted after the sync that found it, so a service-worker
//! restart does not hide what the client refused.

mod platform;
mod state;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

pub use platform::{Platform, PlatformError};
pub use state::PERSISTED_REJECTIONS;
use state::{decode_state, encode_state};

use crate::header::{
    BlockHash, DecodeError, Detector, Evidence, Header, Height, LightBlock, Next, ParseHexError, SyncError, Syncer,
    Timestamp, Verdict, VerifyError, VerifyOptions, parse_hex, validate_basic,
};

/// A trusted checkpoint: a height and the block hash there, obtained out of band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// The height.
    pub height: Height,
    /// The block hash at that height.
    pub hash: BlockHash,
}

impl FromStr for Checkpoint {
    type Err = ClientError;
    /// Parses `HEIGHT:HASH`, e.g. `120:0x3a…` (the hash as 64 hex digits).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = |why: String| ClientError::BadCheckpoint(format!("{s:?}: {why}"));
        let (h, hash) = s.split_once(':').ok_or_else(|| bad("expected HEIGHT:HASH".into()))?;
        let height: u64 = h.trim().parse().map_err(|_| bad(format!("{h:?} is not a height")))?;
        if height == 0 {
            return Err(bad("height 0 is not a block height".into()));
        }
        let hash: BlockHash = hash.trim().parse().map_err(|e: ParseHexError| bad(e.to_string()))?;
        Ok(Self { height: Height(height), hash })
    }
}

impl fmt::Display for Checkpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.height, self.hash)
    }
}

/// How to build a client.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL of the primary header API, e.g. `http://127.0.0.1:26657`.
    pub rpc: String,
    /// Base URL of a witness to cross-check heads with.
    pub witness: Option<String>,
    /// The root of trust.
    pub checkpoint: Checkpoint,
    /// Where the trusted state is persisted.
    pub storage_key: String,
    /// Verification settings.
    pub options: VerifyOptions,
}

/// Why the client refused or stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The checkpoint string does not parse.
    #[error("bad checkpoint {0}")]
    BadCheckpoint(String),
    /// The source's block at the checkpoint height has another hash.
    #[error("the block at checkpoint height {height} hashes to {served}, not the checkpoint's {expected}: this source is on another chain or lying")]
    CheckpointMismatch {
        /// The height.
        height: Height,
        /// The checkpoint hash.
        expected: BlockHash,
        /// What the source served.
        served: BlockHash,
    },
    /// The checkpoint's light block is inconsistent.
    #[error("the checkpoint's light block is inconsistent: {0}")]
    CheckpointInvalid(VerifyError),
    /// A request failed.
    #[error("{url}: {error}")]
    Fetch {
        /// What was fetched.
        url: String,
        /// Why it failed.
        error: PlatformError,
    },
    /// A source answered something that is not what was asked for.
    #[error("{url}: bad answer: {reason}")]
    BadResponse {
        /// What was fetched.
        url: String,
        /// What was wrong with it.
        reason: String,
    },
    /// Storage failed.
    #[error("storage: {0}")]
    Storage(PlatformError),
    /// A header from the primary failed verification.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// The witness serves a conflicting header that verifies: evidence was kept.
    #[error("fork detected at height {height}: the primary serves {primary}, the witness {witness}, and both verify; evidence kept, head not adopted")]
    ForkDetected {
        /// The height of the conflict.
        height: Height,
        /// The primary's block hash.
        primary: BlockHash,
        /// The witness's block hash.
        witness: BlockHash,
    },
    /// A header below the checkpoint was asked for.
    #[error("height {0} is below the checkpoint; this client only verifies forwards from it")]
    BelowCheckpoint(Height),
}

/// A header that failed verification, kept for display.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rejection {
    /// The header's height.
    pub height: Height,
    /// A stable short name for the reason (e.g. `invalid_signature`).
    pub kind: String,
    /// The reason, as a sentence.
    pub reason: String,
    /// `primary` or `witness`.
    pub source: &'static str,
}

/// A verified head, as reported to callers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifiedHead {
    /// The height.
    pub height: Height,
    /// The block hash.
    pub hash: BlockHash,
    /// The header.
    pub header: Header,
    /// Validators in the block's set.
    pub validators: usize,
    /// Signers in its commit.
    pub signers: usize,
}

impl VerifiedHead {
    /// The report for a verified block.
    pub fn of(block: &LightBlock) -> Self {
        Self {
            height: block.height(),
            hash: block.hash(),
            header: block.header.clone(),
            validators: block.validators.len(),
            signers: block.commit.signers.count(),
        }
    }
}

/// Verified blocks kept in memory for lookups by height.
const KEEP: usize = 512;

/// Rejections kept for display (the newest); older ones are only counted,
/// so a hostile RPC that serves bad headers forever cannot grow memory.
pub const MAX_REJECTIONS: usize = 256;

/// Distinct pieces of fork evidence kept (and persisted); one fork seen on
/// every sync is recorded once.
pub const MAX_EVIDENCE: usize = 64;

/// The header client.
pub struct HeaderClient<P: Platform> {
    platform: P,
    config: ClientConfig,
    anchor: LightBlock,
    trusted: LightBlock,
    verified: BTreeMap<Height, LightBlock>,
    commits_verified: u64,
    rejections: Vec<Rejection>,
    rejections_total: u64,
    evidence: Vec<Evidence>,
    resumed: bool,
}

impl<P: Platform> HeaderClient<P> {
    /// Starts from persisted state descending from `config.checkpoint`, or
    /// from the checkpoint itself.
    pub async fn start(platform: P, config: ClientConfig) -> Result<Self, ClientError> {
        let stored = platform.load(&config.storage_key).await.map_err(ClientError::Storage)?;
        let resumed = stored.as_deref().and_then(decode_state).filter(|s| {
            s.checkpoint == config.checkpoint.to_string()
                && s.anchor.hash() == config.checkpoint.hash
                && s.trusted.height() >= s.anchor.height()
        });
        let (anchor, trusted, rejections, rejections_total, evidence, resumed) = match resumed {
            Some(s) => (s.anchor, s.trusted, s.rejections, s.rejections_total, s.evidence, true),
            None => {
                let block = fetch_block(&platform, &config.rpc, config.checkpoint.height).await?;
                if block.hash() != config.checkpoint.hash {
                    return Err(ClientError::CheckpointMismatch {
                        height: config.checkpoint.height,
                        expected: config.checkpoint.hash,
                        served: block.hash(),
                    });
                }
                validate_basic(&block).map_err(ClientError::CheckpointInvalid)?;
                (block.clone(), block, Vec::new(), 0, Vec::new(), false)
            }
        };
        let mut verified = BTreeMap::new();
        verified.insert(anchor.height(), anchor.clone());
        verified.insert(trusted.height(), trusted.clone());
        let client = Self {
            platform,
            config,
            anchor,
            trusted,
            verified,
            commits_verified: 0,
            rejections,
            rejections_total,
            evidence,
            resumed,
        };
        client.persist().await?;
        Ok(client)
    }

    /// The latest trusted block.
    pub fn trusted(&self) -> &LightBlock {
        &self.trusted
    }

    /// Whether the client resumed from persisted state.
    pub fn resumed(&self) -> bool {
        self.resumed
    }

    /// Pairing checks (commit verifications) run by this client instance.
    pub fn commits_verified(&self) -> u64 {
        self.commits_verified
    }

    /// The newest rejected headers (at most [`MAX_REJECTIONS`]).
    pub fn rejections(&self) -> &[Rejection] {
        &self.rejections
    }

    /// How many headers were rejected in all, including those no longer kept.
    pub fn rejections_total(&self) -> u64 {
        self.rejections_total
    }

    /// Every piece of fork evidence found so far.
    pub fn evidence(&self) -> &[Evidence] {
        &self.evidence
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The primary's latest height (`{rpc}/status`).
    pub async fn head_height(&self) -> Result<Height, ClientError> {
        let url = format!("{}/status", self.config.rpc);
        let body = get(&self.platform, &url).await?;
        let json: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| ClientError::BadResponse { url: url.clone(), reason: e.to_string() })?;
        json["latest_height"]
            .as_u64()
            .filter(|h| *h > 0)
            .map(Height)
            .ok_or_else(|| ClientError::BadResponse { url, reason: "no latest_height".into() })
    }

    /// Syncs to the primary's head.
    pub async fn sync_to_head(&mut self) -> Result<Vec<VerifiedHead>, ClientError> {
        let head = self.head_height().await?;
        self.sync_to(head).await
    }

    /// Verifies up to `target` (no-op at or below the trusted height),
    /// cross-checks the new head with the witness, persists it. Returns
    /// every block verified on the way, ascending.
    /// A sync that fails after rejecting a header still persists the
    /// rejection (the trusted block is unchanged).
    pub async fn sync_to(&mut self, target: Height) -> Result<Vec<VerifiedHead>, ClientError> {
        if target <= self.trusted.height() {
            return Ok(Vec::new());
        }
        let rejected_before = self.rejections_total;
        let result = self.sync_to_inner(target).await;
        if result.is_err() && self.rejections_total != rejected_before {
            // The sync's own error is what the caller needs; a storage error
            // here only means the rejection is not kept across a restart.
            let _ = self.persist().await;
        }
        result
    }

    async fn sync_to_inner(&mut self, target: Height) -> Result<Vec<VerifiedHead>, ClientError> {
        let start = self.trusted.clone();
        let verified = self.run_syncer(start.clone(), target, "primary").await?;
        let head = verified.last().cloned().unwrap_or_else(|| start.clone());
        if let Some(witness) = self.config.witness.clone() {
            self.cross_check(&witness, start, head.clone()).await?;
        }
        for block in &verified {
            self.remember(block.clone());
        }
        self.trusted = head;
        self.persist().await?;
        Ok(verified.iter().map(VerifiedHead::of).collect())
    }

    /// A verified header at `height`: from memory, or verified now from the
    /// nearest verified block below it.
    pub async fn verified_header(&mut self, height: Height) -> Result<VerifiedHead, ClientError> {
        if height < self.anchor.height() {
            return Err(ClientError::BelowCheckpoint(height));
        }
        if let Some(b) = self.verified.get(&height) {
            return Ok(VerifiedHead::of(b));
        }
        if height > self.trusted.height() {
            self.sync_to(height).await?;
        } else {
            let below = self
                .verified
                .range(..height)
                .next_back()
                .map(|(_, b)| b.clone())
                .unwrap_or_else(|| self.anchor.clone());
            for block in self.run_syncer(below, height, "primary").await? {
                self.remember(block);
            }
        }
        self.verified
            .get(&height)
            .map(VerifiedHead::of)
            .ok_or_else(|| ClientError::BadResponse { url: self.config.rpc.clone(), reason: format!("height {height} was not verified") })
    }

    fn remember(&mut self, block: LightBlock) {
        self.verified.insert(block.height(), block);
        while self.verified.len() > KEEP {
            let lowest = *self.verified.keys().next().expect("non-empty");
            self.verified.remove(&lowest);
        }
    }

    async fn persist(&self) -> Result<(), ClientError> {
        let bytes = encode_state(
            &self.config.checkpoint,
            &self.anchor,
            &self.trusted,
            &self.rejections,
            self.rejections_total,
            &self.evidence,
        );
        self.platform.store(&self.config.storage_key, &bytes).await.map_err(ClientError::Storage)
    }

    fn now(&self) -> Timestamp {
        Timestamp(self.platform.now_ms())
    }

    async fn run_syncer(&mut self, from: LightBlock, target: Height, source: &'static str) -> Result<Vec<LightBlock>, ClientError> {
        let mut syncer = Syncer::new(from, target, self.config.options)?;
        let mut verified = Vec::new();
        while let Next::Fetch(h) = syncer.next() {
            let block = fetch_block(&self.platform, &self.config.rpc, h).await?;
            let before = syncer.commits_verified();
            let result = syncer.feed(block, self.now());
            self.commits_verified += u64::from(syncer.commits_verified() - before);
            match result {
                Ok(mut blocks) => verified.append(&mut blocks),
                Err(e) => {
                    if let SyncError::Rejected { height, reason } = &e {
                        self.reject(*height, reason, source);
                    }
                    return Err(e.into());
                }
            }
        }
        Ok(verified)
    }

    fn reject(&mut self, height: Height, reason: &VerifyError, source: &'static str) {
        self.record(Rejection { height, kind: reason.kind().to_string(), reason: reason.to_string(), source });
    }

    /// Keeps a rejection, dropping the oldest beyond [`MAX_REJECTIONS`].
    fn record(&mut self, rejection: Rejection) {
        self.rejections_total += 1;
        if self.rejections.len() >= MAX_REJECTIONS {
            self.rejections.remove(0);
        }
        self.rejections.push(rejection);
    }

    async fn cross_check(&mut self, witness: &str, common: LightBlock, head: LightBlock) -> Result<(), ClientError> {
        let mut detector = Detector::new(common, head.clone(), self.config.options);
        loop {
            let block = match fetch_block(&self.platform, witness, detector.next()).await {
                Ok(b) => b,
                Err(e) => {
                    // An unreachable or garbled witness cannot vouch either way; the
                    // head stands on the primary's verified commit alone.
                    self.record(Rejection {
                        height: detector.next(),
                        kind: "witness_unavailable".into(),
                        reason: e.to_string(),
                        source: "witness",
                    });
                    return Ok(());
                }
            };
            match detector.feed(block, self.now()) {
                None => continue,
                Some(Verdict::Agree) => return Ok(()),
                Some(Verdict::WitnessFaulty(e)) => {
                    if let SyncError::Rejected { height, reason } = &e {
                        self.reject(*height, reason, "witness");
                    }
                    return Ok(());
                }
                Some(Verdict::Fork(evidence)) => {
                    let err = ClientError::ForkDetected {
                        height: evidence.height(),
                        primary: evidence.primary.hash(),
                        witness: evidence.witness.hash(),
                    };
                    self.record(Rejection {
                        height: evidence.height(),
                        kind: "fork_detected".into(),
                        reason: err.to_string(),
                        source: "witness",
                    });
                    let known = self.evidence.iter().any(|e| e.encode() == evidence.encode());
                    if !known && self.evidence.len() < MAX_EVIDENCE {
                        self.evidence.push(evidence);
                        // Evidence is kept across restarts with the trusted state.
                        self.persist().await?;
                    }
                    return Err(err);
                }
            }
        }
    }
}

async fn get<P: Platform>(platform: &P, url: &str) -> Result<Vec<u8>, ClientError> {
    platform.get(url).await.map_err(|error| ClientError::Fetch { url: url.to_string(), error })
}

/// Fetches and decodes `{base}/light_block/{height}`; checks it is that height.
pub async fn fetch_block<P: Platform>(platform: &P, base: &str, height: Height) -> Result<LightBlock, ClientError> {
    let url = format!("{base}/light_block/{height}");
    let body = get(platform, &url).await?;
    let bad = |reason: String| ClientError::BadResponse { url: url.clone(), reason };
    let block = parse_light_block(&body).map_err(bad)?;
    if block.height() != height {
        return Err(bad(format!("asked for height {height}, got {}", block.height())));
    }
    Ok(block)
}

/// Reads the header API's light-block answer: `{"light_block": "0x…", …}`.
pub fn parse_light_block(body: &[u8]) -> Result<LightBlock, String> {
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let hex = json["light_block"].as_str().ok_or("no light_block field")?;
    let bytes = parse_hex(hex).map_err(|e| e.to_string())?;
    LightBlock::decode(&bytes).map_err(|e: DecodeError| e.to_string())
}

#[cfg(test)]
mod tests;
