//! `aloft da sample --height H`: samples one block from DA nodes with the
//! same sans-IO sampler the browser uses, requests in parallel on threads,
//! and prints the block's report as one JSON line.
//!
//! Until headers carry the DA root (the header client's branch), the root
//! comes from `--root` or, marked `"root_source": "da-node"`, from the first
//! DA node that names one; sampling then proves availability of the data
//! behind *that* root.

use std::time::{Duration, Instant};

use aloft_light_client::da::wire::samples_query;
use aloft_light_client::da::{Action, Availability, DaRoot, Event, Height, PeerId, Sampler, SamplerConfig};
use aloft_light_client::kzg::VerifierSetup;
use anyhow::{Context, anyhow};

use crate::http;

/// Options of `aloft da sample`.
pub struct SampleArgs {
    /// The block height.
    pub height: u64,
    /// DA node base URLs.
    pub nodes: Vec<String>,
    /// The header's DA root, if known.
    pub root: Option<String>,
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
    let (root, source) = match &args.root {
        Some(r) => (DaRoot::from_hex(r)?, "argument"),
        None => {
            let mut found = None;
            for n in &nodes {
                if let Ok(body) = http::get_with_timeout(&format!("{n}/da/v1/blocks/{}", args.height), timeout) {
                    let v: serde_json::Value = serde_json::from_slice(&body).context("block summary is not JSON")?;
                    if let Some(r) = v.get("root").and_then(|r| r.as_str()) {
                        found = Some(DaRoot::from_hex(r)?);
                        break;
                    }
                }
            }
            (found.ok_or_else(|| anyhow!("no DA node knows height {}", args.height))?, "da-node")
        }
    };
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
            "root_source": source,
            "elapsed_ms": now(),
            "dropped_peers": dropped,
        })
    );
    Ok(if available { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::from(2) })
}
