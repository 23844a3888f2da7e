//! The sampler: a sans-IO state machine that decides, per block, which cells
//! to fetch from which DA node, checks what comes back, and says whether the
//! block's data is available and with what confidence.
//!
//! The caller owns all IO. Per block and per step:
//!
//! 1. [`Sampler::sample_block`] with the height, the DA root of a *verified*
//!    header, 32 bytes of fresh randomness from the platform's CSPRNG and the
//!    time. Peers never see or choose the samples before they are asked.
//! 2. [`Sampler::poll`] with the time returns [`Action`]s: fetch the
//!    commitment list, then fetch cells, spread over the live peers. It also
//!    expires requests older than the timeout and blocks past their deadline.
//! 3. The caller performs each action and reports the result with
//!    [`Sampler::on_commitments`], [`Sampler::on_cells`] or
//!    [`Sampler::on_failure`]. The commitment list is checked against the
//!    header's root; each cells response is checked with **one**
//!    `verify_cell_kzg_proof_batch` call. A peer that sends a list or a cell
//!    that does not verify is dropped at once; a peer that times out or
//!    errors loses score and is dropped when its score runs out.
//! 4. [`Sampler::drain_events`] returns block reports (available,
//!    unavailable, pending with the confidence reached) and dropped peers.
//!
//! A sample the peers do not have is retried at other peers; when
//! `max_attempts_per_sample` peers did not serve it, or no untried peer is
//! left, the sample is missing and the block is **unavailable** (an honest
//! network serves every cell of an available block). A block still pending
//! at its deadline is unavailable too.
//!
//! The state serialises (serde) so a page can keep it across reloads;
//! [`Sampler::resume`] forgets requests that were in flight when it was saved.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::confidence::{block_confidence, samples_per_blob};
use super::layout::{CommitmentList, DaRoot};
use super::wire::{SampleId, decode_cells_response};
use crate::kzg::{CELLS_PER_EXT_BLOB, Commitment, VerifierSetup};

/// A block height.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Height(pub u64);

/// A DA node, named by its base URL (e.g. `http://127.0.0.1:8591/nodes/0`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PeerId(pub String);

/// Names one request the sampler asked the caller to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RequestId(pub u64);

/// Tunables, with documented defaults.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SamplerConfig {
    /// Confidence at which a block counts as available (default 0.9999).
    pub target_confidence: f64,
    /// Most samples in one cells request (default 32).
    pub max_samples_per_request: usize,
    /// A request unanswered after this long has failed (default 4000 ms).
    pub request_timeout_ms: u64,
    /// A block still pending this long after it was added is unavailable (default 30000 ms).
    pub block_deadline_ms: u64,
    /// Peers that may fail to serve a sample before it counts as missing (default 3).
    pub max_attempts_per_sample: u32,
    /// Score a peer starts with; each timeout or error costs 1, and a peer at 0 is dropped (default 5).
    pub initial_peer_score: u32,
    /// Blocks kept in the state; the oldest finished ones are forgotten first (default 256).
    pub max_blocks: usize,
}

impl Default for SamplerConfig {
    fn default() -> Self {
        Self {
            target_confidence: 0.9999,
            max_samples_per_request: 32,
            request_timeout_ms: 4000,
            block_deadline_ms: 30_000,
            max_attempts_per_sample: 3,
            initial_peer_score: 5,
            max_blocks: 256,
        }
    }
}

/// Why the sampler refused a call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SamplerError {
    /// A configuration value is out of range.
    #[error("invalid sampler config: {0}")]
    Config(String),
    /// A result named a request the sampler is not waiting for (answered
    /// already, timed out, or never made).
    #[error("request {0:?} is not in flight")]
    UnknownRequest(RequestId),
    /// The saved state could not be read.
    #[error("cannot restore sampler state: {0}")]
    State(String),
}

/// A block's verdict.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Availability {
    /// Still sampling.
    Pending,
    /// Every sample verified; the target confidence is reached.
    Available,
    /// A sample could not be obtained from any peer, or the deadline passed.
    Unavailable {
        /// Why, in words.
        reason: String,
    },
}

/// What the caller should fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `GET {peer}/da/v1/blocks/{height}/commitments`; answer with [`Sampler::on_commitments`].
    FetchCommitments {
        /// The request.
        request: RequestId,
        /// From whom.
        peer: PeerId,
        /// Which block.
        height: Height,
    },
    /// `GET {peer}/da/v1/blocks/{height}/cells?samples=…`; answer with [`Sampler::on_cells`].
    FetchCells {
        /// The request.
        request: RequestId,
        /// From whom.
        peer: PeerId,
        /// Which block.
        height: Height,
        /// The samples, in the order the response must follow.
        samples: Vec<SampleId>,
    },
}

/// A block's state as the caller shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlockReport {
    /// The height.
    pub height: Height,
    /// The header's DA root.
    pub root: DaRoot,
    /// The verdict.
    pub availability: Availability,
    /// `1 - max_b miss(verified_b)`, the confidence reached so far.
    pub confidence: f64,
    /// Blobs in the block (once the commitment list is known).
    pub blobs: Option<usize>,
    /// Samples verified.
    pub samples_verified: usize,
    /// Samples drawn.
    pub samples_total: usize,
    /// Response bytes fetched for this block (commitment list and cells).
    pub bytes_fetched: u64,
}

/// Something the caller may want to show or log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// A block's report changed.
    Block(BlockReport),
    /// A peer was dropped and will not be asked again.
    PeerDropped {
        /// The peer.
        peer: PeerId,
        /// Why.
        reason: String,
    },
}

/// A peer's standing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerReport {
    /// The peer.
    pub peer: PeerId,
    /// Remaining score.
    pub score: u32,
    /// Why it was dropped, if it was.
    pub dropped: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum SampleStatus {
    Pending,
    InFlight(RequestId),
    Verified,
    Missing,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Sample {
    id: SampleId,
    status: SampleStatus,
    /// Peers that did not serve it (withheld, failed or timed out).
    failed_at: Vec<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Block {
    root: DaRoot,
    seed: [u8; 32],
    started_ms: u64,
    #[serde(with = "super::hexser::option_commitments")]
    commitments: Option<Vec<Commitment>>,
    commitments_request: Option<RequestId>,
    commitments_failed_at: Vec<usize>,
    samples: Vec<Sample>,
    availability: Availability,
    bytes_fetched: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
enum RequestKind {
    Commitments,
    Cells(Vec<usize>),
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Request {
    peer: usize,
    height: Height,
    kind: RequestKind,
    deadline_ms: u64,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Peer {
    id: PeerId,
    score: u32,
    dropped: Option<String>,
}

/// The sampler's whole state (see the module docs for the flow).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sampler {
    config: SamplerConfig,
    peers: Vec<Peer>,
    blocks: BTreeMap<Height, Block>,
    requests: BTreeMap<RequestId, Request>,
    next_request: u64,
    #[serde(skip)]
    events: Vec<Event>,
}

/// A SHA-256 counter-mode stream over the caller's seed: deterministic for a
/// seed, so a saved state redraws nothing, and as unpredictable as the seed.
struct SeedStream {
    seed: [u8; 32],
    counter: u64,
    buffer: [u8; 32],
    used: usize,
}

impl SeedStream {
    fn new(seed: [u8; 32]) -> Self {
        Self { seed, counter: 0, buffer: [0; 32], used: 32 }
    }

    fn next_u32(&mut self) -> u32 {
        if self.used + 4 > 32 {
            let mut h = Sha256::new();
            h.update(b"aloft-da-samples-v1");
            h.update(self.seed);
            h.update(self.counter.to_be_bytes());
            self.buffer = h.finalize().into();
            self.counter += 1;
            self.used = 0;
        }
        let mut word = [0u8; 4];
        word.copy_from_slice(&self.buffer[self.used..self.used + 4]);
        self.used += 4;
        u32::from_be_bytes(word)
    }

    /// Uniform in `0..n` by rejection (no modulo bias).
    fn below(&mut self, n: u32) -> u32 {
        let zone = u32::MAX - (u32::MAX % n);
        loop {
            let x = self.next_u32();
            if x < zone {
                return x % n;
            }
        }
    }
}

/// `n` distinct cell indices per blob, uniformly drawn (partial Fisher–Yates).
fn draw_samples(seed: [u8; 32], blobs: usize, per_blob: u32) -> Vec<SampleId> {
    let mut stream = SeedStream::new(seed);
    let mut out = Vec::with_capacity(blobs * per_blob as usize);
    for blob in 0..blobs {
        let mut cells: Vec<u8> = (0..CELLS_PER_EXT_BLOB as u8).collect();
        for i in 0..(per_blob as usize).min(CELLS_PER_EXT_BLOB) {
            let j = i + stream.below((CELLS_PER_EXT_BLOB - i) as u32) as usize;
            cells.swap(i, j);
            out.push(SampleId { blob: blob as u16, cell: cells[i] });
        }
    }
    out
}

impl Sampler {
    /// A sampler with no peers and no blocks.
    pub fn new(config: SamplerConfig) -> Result<Self, SamplerError> {
        if !(config.target_confidence > 0.0 && config.target_confidence < 1.0) {
            return Err(SamplerError::Config(format!("target_confidence {} must be above 0 and below 1", config.target_confidence)));
        }
        if config.max_samples_per_request == 0 || config.max_samples_per_request > super::wire::MAX_SAMPLES_PER_REQUEST {
            return Err(SamplerError::Config(format!(
                "max_samples_per_request must be 1 to {}",
                super::wire::MAX_SAMPLES_PER_REQUEST
            )));
        }
        if config.max_attempts_per_sample == 0 || config.initial_peer_score == 0 || config.max_blocks == 0 {
            return Err(SamplerError::Config("max_attempts_per_sample, initial_peer_score and max_blocks must be positive".into()));
        }
        Ok(Self { config, peers: Vec::new(), blocks: BTreeMap::new(), requests: BTreeMap::new(), next_request: 0, events: Vec::new() })
    }

    /// Restores a state saved with `serde_json`, forgetting in-flight requests.
    pub fn from_json(json: &str) -> Result<Self, SamplerError> {
        let mut s: Self = serde_json::from_str(json).map_err(|e| SamplerError::State(e.to_string()))?;
        Self::new(s.config.clone())?;
        s.resume();
        Ok(s)
    }

    /// The state as JSON (what a page keeps in IndexedDB).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Forgets every request in flight (after a reload nobody will answer
    /// them); their samples are asked again on the next poll, with no peer
    /// blamed.
    pub fn resume(&mut self) {
        self.requests.clear();
        for block in self.blocks.values_mut() {
            block.commitments_request = None;
            for s in &mut block.samples {
                if matches!(s.status, SampleStatus::InFlight(_)) {
                    s.status = SampleStatus::Pending;
                }
            }
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SamplerConfig {
        &self.config
    }

    /// Adds a DA node to ask (a dropped or known peer is left as it is).
    pub fn add_peer(&mut self, peer: PeerId) {
        if !self.peers.iter().any(|p| p.id == peer) {
            self.peers.push(Peer { id: peer, score: self.config.initial_peer_score, dropped: None });
        }
    }

    /// Every peer and its standing.
    pub fn peers(&self) -> Vec<PeerReport> {
        self.peers.iter().map(|p| PeerReport { peer: p.id.clone(), score: p.score, dropped: p.dropped.clone() }).collect()
    }

    /// Starts sampling a block whose header (and so `root`) is verified.
    /// `seed` must be fresh CSPRNG output; nothing happens for a known height.
    pub fn sample_block(&mut self, height: Height, root: DaRoot, seed: [u8; 32], now_ms: u64) {
        if self.blocks.contains_key(&height) {
            return;
        }
        self.blocks.insert(
            height,
            Block {
                root,
                seed,
                started_ms: now_ms,
                commitments: None,
                commitments_request: None,
                commitments_failed_at: Vec::new(),
                samples: Vec::new(),
                availability: Availability::Pending,
                bytes_fetched: 0,
            },
        );
        self.prune();
        self.report(height);
    }

    /// The report of one block.
    pub fn block(&self, height: Height) -> Option<BlockReport> {
        self.blocks.get(&height).map(|b| Self::block_report(height, b))
    }

    /// Reports of every block kept, lowest height first.
    pub fn blocks(&self) -> Vec<BlockReport> {
        self.blocks.iter().map(|(h, b)| Self::block_report(*h, b)).collect()
    }

    /// Events since the last call.
    pub fn drain_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The next requests to make; also expires timed-out requests and
    /// blocks past their deadline.
    pub fn poll(&mut self, now_ms: u64) -> Vec<Action> {
        let expired: Vec<RequestId> = self.requests.iter().filter(|(_, r)| r.deadline_ms <= now_ms).map(|(id, _)| *id).collect();
        for id in expired {
            let _ = self.on_failure(id, now_ms, "timed out");
        }
        let heights: Vec<Height> = self.blocks.keys().copied().collect();
        let mut actions = Vec::new();
        for height in heights {
            self.check_deadline(height, now_ms);
            self.plan_block(height, now_ms, &mut actions);
        }
        actions
    }

    /// Reports a commitment list response (the raw JSON body).
    pub fn on_commitments(&mut self, request: RequestId, now_ms: u64, body: &[u8]) -> Result<(), SamplerError> {
        let req = self.take_request(request)?;
        let Some(block) = self.blocks.get_mut(&req.height) else { return Ok(()) };
        block.commitments_request = None;
        block.bytes_fetched += body.len() as u64;
        let checked = serde_json::from_slice::<CommitmentList>(body)
            .map_err(|e| format!("unreadable commitment list: {e}"))
            .and_then(|list| list.verify(&block.root).map(|()| list).map_err(|e| e.to_string()));
        match checked {
            Ok(list) => {
                if block.commitments.is_none() && block.availability == Availability::Pending {
                    let per_blob = samples_per_blob(self.config.target_confidence);
                    block.samples = draw_samples(block.seed, list.commitments.len(), per_blob)
                        .into_iter()
                        .map(|id| Sample { id, status: SampleStatus::Pending, failed_at: Vec::new() })
                        .collect();
                    block.commitments = Some(list.commitments);
                    self.settle(req.height);
                }
            }
            Err(reason) => {
                block.commitments_failed_at.push(req.peer);
                self.drop_peer(req.peer, format!("served a commitment list for height {} that does not match the header: {reason}", req.height.0));
                // With no peer left to ask, the block is unavailable for this reason.
                self.settle(req.height);
            }
        }
        let _ = now_ms;
        self.report(req.height);
        Ok(())
    }

    /// Reports a cells response (the raw binary body). Every served cell is
    /// checked in one `verify_cell_kzg_proof_batch` call.
    pub fn on_cells(&mut self, request: RequestId, now_ms: u64, body: &[u8], verifier: &VerifierSetup) -> Result<(), SamplerError> {
        let req = self.take_request(request)?;
        let RequestKind::Cells(indices) = req.kind else {
            return Err(SamplerError::UnknownRequest(request));
        };
        let Some(block) = self.blocks.get_mut(&req.height) else { return Ok(()) };
        let Some(commitments) = block.commitments.as_ref() else { return Ok(()) };
        block.bytes_fetched += body.len() as u64;
        let verdict = decode_cells_response(body, indices.len()).map_err(|e| e.to_string()).and_then(|records| {
            let mut batch = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            let mut served = Vec::new();
            for (&i, record) in indices.iter().zip(records) {
                if let Some((cell, proof)) = record {
                    let id = block.samples[i].id;
                    let commitment = commitments.get(usize::from(id.blob)).ok_or("sample names a blob the block lacks")?;
                    batch.0.push(*commitment);
                    batch.1.push(id.cell_index());
                    batch.2.push(cell);
                    batch.3.push(proof);
                    served.push(i);
                }
            }
            match verifier.verify_cell_kzg_proof_batch(&batch.0, &batch.1, &batch.2, &batch.3) {
                Ok(true) => Ok(served),
                Ok(false) => Err("a cell or proof does not verify against the block's commitments".to_string()),
                Err(e) => Err(format!("malformed cell or proof: {e}")),
            }
        });
        match verdict {
            Ok(served) => {
                for &i in &indices {
                    let sample = &mut block.samples[i];
                    if served.contains(&i) {
                        sample.status = SampleStatus::Verified;
                    } else {
                        sample.status = SampleStatus::Pending;
                        sample.failed_at.push(req.peer);
                    }
                }
                self.settle(req.height);
            }
            Err(reason) => {
                for &i in &indices {
                    block.samples[i].status = SampleStatus::Pending;
                    block.samples[i].failed_at.push(req.peer);
                }
                self.drop_peer(req.peer, format!("height {}: {reason}", req.height.0));
                self.settle(req.height);
            }
        }
        let _ = now_ms;
        self.report(req.height);
        Ok(())
    }

    /// Reports that a request failed (network error, HTTP error, timeout).
    pub fn on_failure(&mut self, request: RequestId, now_ms: u64, reason: &str) -> Result<(), SamplerError> {
        let req = self.take_request(request)?;
        if let Some(block) = self.blocks.get_mut(&req.height) {
            match &req.kind {
                RequestKind::Commitments => {
                    block.commitments_request = None;
                    block.commitments_failed_at.push(req.peer);
                }
                RequestKind::Cells(indices) => {
                    for &i in indices {
                        block.samples[i].status = SampleStatus::Pending;
                        block.samples[i].failed_at.push(req.peer);
                    }
                }
            }
        }
        let peer = &mut self.peers[req.peer];
        peer.score = peer.score.saturating_sub(1);
        if peer.score == 0 && peer.dropped.is_none() {
            self.drop_peer(req.peer, format!("too many failed requests (last: {reason})"));
        }
        self.settle(req.height);
        let _ = now_ms;
        self.report(req.height);
        Ok(())
    }

    fn take_request(&mut self, request: RequestId) -> Result<Request, SamplerError> {
        let req = self.requests.remove(&request).ok_or(SamplerError::UnknownRequest(request))?;
        if let Some(block) = self.blocks.get_mut(&req.height) {
            if let RequestKind::Cells(indices) = &req.kind {
                for &i in indices {
                    if block.samples[i].status == SampleStatus::InFlight(request) {
                        block.samples[i].status = SampleStatus::Pending;
                    }
                }
            }
        }
        Ok(req)
    }

    fn drop_peer(&mut self, peer: usize, reason: String) {
        let p = &mut self.peers[peer];
        if p.dropped.is_none() {
            p.dropped = Some(reason.clone());
            p.score = 0;
            self.events.push(Event::PeerDropped { peer: p.id.clone(), reason });
        }
    }

    fn live_peers(&self) -> Vec<usize> {
        (0..self.peers.len()).filter(|&i| self.peers[i].dropped.is_none()).collect()
    }

    /// Decides a pending block once its samples allow it: missing samples
    /// make it unavailable, all verified make it available.
    fn settle(&mut self, height: Height) {
        let live = self.live_peers();
        let max_attempts = self.config.max_attempts_per_sample as usize;
        let Some(block) = self.blocks.get_mut(&height) else { return };
        if block.availability != Availability::Pending {
            return;
        }
        if block.commitments.is_none() {
            if live.iter().all(|p| block.commitments_failed_at.contains(p)) && block.commitments_request.is_none() {
                block.availability = Availability::Unavailable { reason: "no peer served a commitment list that matches the header".into() };
            }
            return;
        }
        let mut missing = 0;
        for s in &mut block.samples {
            if s.status == SampleStatus::Pending
                && (s.failed_at.len() >= max_attempts || live.iter().all(|p| s.failed_at.contains(p)))
            {
                s.status = SampleStatus::Missing;
            }
            if s.status == SampleStatus::Missing {
                missing += 1;
            }
        }
        if missing > 0 {
            block.availability = Availability::Unavailable { reason: format!("{missing} sampled cells were not served by any peer asked") };
        } else if block.samples.iter().all(|s| s.status == SampleStatus::Verified) {
            block.availability = Availability::Available;
        }
    }

    fn check_deadline(&mut self, height: Height, now_ms: u64) {
        let deadline = self.config.block_deadline_ms;
        let Some(block) = self.blocks.get_mut(&height) else { return };
        if block.availability == Availability::Pending && now_ms.saturating_sub(block.started_ms) >= deadline {
            let left = block.samples.iter().filter(|s| s.status != SampleStatus::Verified).count();
            block.availability = Availability::Unavailable { reason: format!("sampling deadline passed with {left} samples unverified") };
            self.report(height);
        }
    }

    fn plan_block(&mut self, height: Height, now_ms: u64, actions: &mut Vec<Action>) {
        let live = self.live_peers();
        let deadline_ms = now_ms + self.config.request_timeout_ms;
        let per_request = self.config.max_samples_per_request;
        let Some(block) = self.blocks.get_mut(&height) else { return };
        if block.availability != Availability::Pending || live.is_empty() {
            if block.availability == Availability::Pending && live.is_empty() {
                block.availability = Availability::Unavailable { reason: "every DA peer has been dropped".into() };
                self.report(height);
            }
            return;
        }
        if block.commitments.is_none() {
            if block.commitments_request.is_some() {
                return;
            }
            let start = (height.0 as usize) % live.len();
            let Some(&peer) = live.iter().cycle().skip(start).take(live.len()).find(|p| !block.commitments_failed_at.contains(p)) else {
                return;
            };
            let request = RequestId(self.next_request);
            self.next_request += 1;
            block.commitments_request = Some(request);
            self.requests.insert(request, Request { peer, height, kind: RequestKind::Commitments, deadline_ms });
            actions.push(Action::FetchCommitments { request, peer: self.peers[peer].id.clone(), height });
            return;
        }
        // Spread pending samples over live peers they have not failed at,
        // rotating the starting peer per sample so load is even.
        let mut by_peer: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (i, s) in block.samples.iter().enumerate() {
            if s.status != SampleStatus::Pending {
                continue;
            }
            let start = (i + s.failed_at.len()) % live.len();
            if let Some(&peer) = live.iter().cycle().skip(start).take(live.len()).find(|p| !s.failed_at.contains(p)) {
                by_peer.entry(peer).or_default().push(i);
            }
        }
        for (peer, indices) in by_peer {
            for chunk in indices.chunks(per_request) {
                let request = RequestId(self.next_request);
                self.next_request += 1;
                for &i in chunk {
                    block.samples[i].status = SampleStatus::InFlight(request);
                }
                let samples = chunk.iter().map(|&i| block.samples[i].id).collect();
                self.requests.insert(request, Request { peer, height, kind: RequestKind::Cells(chunk.to_vec()), deadline_ms });
                actions.push(Action::FetchCells { request, peer: self.peers[peer].id.clone(), height, samples });
            }
        }
    }

    fn block_report(height: Height, b: &Block) -> BlockReport {
        let blobs = b.commitments.as_ref().map(Vec::len);
        let mut verified = vec![0u32; blobs.unwrap_or(0)];
        for s in &b.samples {
            if s.status == SampleStatus::Verified {
                if let Some(v) = verified.get_mut(usize::from(s.id.blob)) {
                    *v += 1;
                }
            }
        }
        let confidence = if blobs.is_some() { block_confidence(&verified) } else { 0.0 };
        BlockReport {
            height,
            root: b.root,
            availability: b.availability.clone(),
            confidence,
            blobs,
            samples_verified: verified.iter().map(|v| *v as usize).sum(),
            samples_total: b.samples.len(),
            bytes_fetched: b.bytes_fetched,
        }
    }

    fn report(&mut self, height: Height) {
        if let Some(r) = self.block(height) {
            self.events.push(Event::Block(r));
        }
    }

    fn prune(&mut self) {
        while self.blocks.len() > self.config.max_blocks {
            let oldest = self
                .blocks
                .iter()
                .find(|(_, b)| b.availability != Availability::Pending)
                .or_else(|| self.blocks.iter().next())
                .map(|(h, _)| *h);
            let Some(h) = oldest else { break };
            self.blocks.remove(&h);
            self.requests.retain(|_, r| r.height != h);
        }
    }
}
