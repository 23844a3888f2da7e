//! `aloft da sample --height H`: samples one block from DA nodes with the
//! same sans-IO sampler the browser uses, requests in parallel on threads,
//! and prints the block's report as one JSON line.
//!
//! The DA root comes only from header `H` as the native header client
//! ([`crate::headers`], the one `aloft headers verify` runs) verified it from
//! a checkpoint: no DA node and no argument supplies it, so availability is
//! only ever claimed for a BLS-verified header's commitments root. A node
//! whose commitment list does not hash to that root is dropped with the
//! reason; if none serves a matching list the block is unavailable.
//! Exit status: 0 available, 2 unavailable, 3 header `H` did not verify.

use std::time::{Duration, Instant};

use aloft_light_client::client::{self, Checkpoint, ClientConfig, HeaderClient, VerifiedHead};
use aloft_light_client::da::wire::samples_query;
use aloft_light_client::da::{Action, Availability, DaRoot, Event, Height, PeerId, Sampler, SamplerConfig};
use aloft_light_client::header::VerifyOptions;
use aloft_light_client::kzg::VerifierSetup;
use anyhow::{Context, anyhow};

use crate::headers::{Native, block_on};
use crate::http;

/// Options of `aloft da sample`.
pub struct SampleArgs {
    /// The block height.
    pub height: u64,
    /// DA node base URLs.
    pub nodes: Vec<String>,
    /// The header API base URL.
    pub rpc: String,
    /// The trusted checkpoint `HEIGHT:HASH`; `None`: block 1 as the API serves it (trust on first use).
    pub checkpoint: Option<String>,
    /// A file keeping the header client's trusted state between runs.
    pub state: Option<std::path::PathBuf>,
    /// Target confidence.
    pub target: f64,
    /// Per-request timeout.
    pub timeout_ms: u64,
}

fn seed() -> anyhow::Result<[u8; 32]> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| anyhow!("no OS randomness: {e}"))?;
    Ok(seed)
}

/// Runs the command.
pub fn sample(args: SampleArgs) -> anyhow::Result<std::process::ExitCode> {
    let timeout = Duration::from_millis(args.timeout_ms);
    let nodes: Vec<String> = args.nodes.iter().map(|n| n.trim_end_matches('/').to_string()).collect();
    let header = match verified_header(&args) {
        Ok(h) => h,
        Err(e) => {
            println!("{}", serde_json::json!({"height": args.height, "error": format!("header {} did not verify: {e:#}", args.height)}));
            eprintln!("aloft: header {} did not verify, so nothing is claimed about its data: {e:#}", args.height);
            return Ok(std::process::ExitCode::from(3));
        }
    };
    let root = DaRoot(header.header.da_root.0);
    let config = SamplerConfig { target_confidence: args.target, request_timeout_ms: args.timeout_ms, ..SamplerConfig::default() };
    let mut sampler = Sampler::new(config)?;
    for n in &nodes {
        sampler.add_peer(PeerId(n.clone()));
    }
    let verifier = VerifierSetup::ceremony()?;
    let start = Instant::now();
    let now = || start.elapsed().as_millis() as u64;
    let height = Height(args.height);
    sampler.sample_block(height, root, seed()?, now());
    let mut dropped = Vec::new();
    let report = loop {
        let actions = sampler.poll(now());
        let report = sampler.block(height).ok_or_else(|| anyhow!("block vanished"))?;
        if report.availability != Availability::Pending {
            break report;
        }
        if actions.is_empty() {
            std::thread::sleep(Duration::from_millis(20));
            continue;
        }
        let results: Vec<anyhow::Result<Vec<u8>>> = std::thread::scope(|s| {
            let handles: Vec<_> = actions
                .iter()
                .map(|a| {
                    let url = match a {
                        Action::FetchCommitments { peer, height, .. } => format!("{}/da/v1/blocks/{}/commitments", peer.0, height.0),
                        Action::FetchCells { peer, height, samples, .. } => {
                            format!("{}/da/v1/blocks/{}/cells?samples={}", peer.0, height.0, samples_query(samples))
                        }
                    };
                    s.spawn(move || http::get_with_timeout(&url, timeout).map_err(anyhow::Error::msg))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(anyhow!("request thread panicked")))).collect()
        });
        for (a, r) in actions.iter().zip(results) {
            let _ = match (a, r) {
                (Action::FetchCommitments { request, .. }, Ok(body)) => sampler.on_commitments(*request, now(), &body),
                (Action::FetchCells { request, .. }, Ok(body)) => sampler.on_cells(*request, now(), &body, &verifier),
                (Action::FetchCommitments { request, .. } | Action::FetchCells { request, .. }, Err(e)) => {
                    sampler.on_failure(*request, now(), &format!("{e:#}"))
                }
            };
        }
        for e in sampler.drain_events() {
            if let Event::PeerDropped { peer, reason } = e {
                dropped.push(serde_json::json!({"peer": peer, "reason": reason}));
            }
        }
    };
    let available = report.availability == Availability::Available;
    println!(
        "{}",
        serde_json::json!({
            "report": report,
            "header": {"height": header.height, "hash": header.hash, "da_root": header.header.da_root, "signers": header.signers, "validators": header.validators},
            "elapsed_ms": now(),
            "dropped_peers": dropped,
        })
    );
    Ok(if available { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::from(2) })
}

/// Header `args.height`, verified by the native header client from the
/// checkpoint (given, or block 1 as the header API serves it).
fn verified_header(args: &SampleArgs) -> anyhow::Result<VerifiedHead> {
    let rpc = args.rpc.trim_end_matches('/').to_string();
    let checkpoint: Checkpoint = match &args.checkpoint {
        Some(c) => c.parse()?,
        None => {
            let body = http::get(&format!("{rpc}/light_block/1")).map_err(|e| anyhow!("cannot read block 1 for a first-use checkpoint: {e}"))?;
            let first = client::parse_light_block(&body).map_err(|e| anyhow!("block 1 from {rpc}: {e}"))?;
            eprintln!("aloft: no --checkpoint given; trusting block 1 as {rpc} serves it ({})", first.hash());
            Checkpoint { height: first.height(), hash: first.hash() }
        }
    };
    let config = ClientConfig { rpc: rpc.clone(), witness: None, checkpoint, storage_key: "aloft-cli-da".into(), options: VerifyOptions::default() };
    let mut client = block_on(HeaderClient::start(Native { state: args.state.clone() }, config))
        .with_context(|| format!("cannot start from checkpoint {checkpoint} at {rpc}"))?;
    Ok(block_on(client.verified_header(aloft_light_client::header::Height(args.height)))?)
}
