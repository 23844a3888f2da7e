//! `cargo xtask soak --blocks N`: the adversarial soak.
//!
//! One devnet in this process (fast blocks, ephemeral ports, a data dir),
//! every misbehaviour switch cycling ([`faults`]), a native light client
//! syncing with a witness ([`client`]), DA sampling and uploads with the
//! `aloft` CLI ([`work`]). Afterwards it checks: no panic anywhere (a panic
//! hook counts this process's, exit 101 counts the CLI's); no adopted head
//! differs from the honest chain (the witness's block, which only lies at
//! equivocation heights, where a head must not be adopted); every rejection
//! and dropped peer has a reason; every acknowledged upload downloads
//! byte-identical; the client's kept records and the process's memory stay
//! bounded. Prints one JSON line and exits 1 if a check failed.
//!
//! An example rather than a test: it runs for minutes and is not part of
//! `cargo xtask test`.

mod client;
mod faults;
mod work;

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aloft_devnet::Devnet;
use aloft_light_client::client::{Checkpoint, MAX_REJECTIONS, parse_light_block};
use serde_json::{Value, json};

static PANICS: AtomicU64 = AtomicU64::new(0);

struct Args {
    blocks: u64,
    block_ms: u64,
    aloft: PathBuf,
    dir: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        blocks: 2000,
        block_ms: 50,
        aloft: PathBuf::from("target/release/aloft"),
        dir: std::env::temp_dir().join(format!("aloft-soak-{}", std::process::id())),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--blocks" => a.blocks = value()?.parse().map_err(|e| format!("--blocks: {e}"))?,
            "--block-ms" => a.block_ms = value()?.parse().map_err(|e| format!("--block-ms: {e}"))?,
            "--aloft" => a.aloft = value()?.into(),
            "--dir" => a.dir = value()?.into(),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn put(agent: &ureq::Agent, control: &str, name: &str, value: &Value) -> Result<(), String> {
    let mut resp = agent
        .put(format!("{control}/switches/{name}"))
        .send_json(value)
        .map_err(|e| format!("PUT {name}: {e}"))?;
    if resp.status() != 200 {
        return Err(format!("PUT {name} = {value}: {}", resp.body_mut().read_to_string().unwrap_or_default()));
    }
    Ok(())
}

fn head_height(http: &client::Http, headers: &str) -> Option<u64> {
    let body = http.get_bytes(&format!("{headers}/status")).ok()?;
    serde_json::from_slice::<Value>(&body).ok()?["latest_height"].as_u64()
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("soak: {e}\nusage: soak [--blocks N] [--block-ms MS] [--aloft PATH] [--dir DIR]");
            std::process::exit(2);
        }
    };
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::Relaxed);
        default_hook(info);
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("tokio");
    let report = runtime.block_on(soak(&args));
    let ok = report["ok"].as_bool() == Some(true);
    println!("{report}");
    let _ = std::fs::remove_dir_all(&args.dir);
    std::process::exit(if ok { 0 } else { 1 });
}

async fn soak(args: &Args) -> Value {
    let started = Instant::now();
    let _ = std::fs::remove_dir_all(&args.dir);
    std::fs::create_dir_all(args.dir.join("files")).expect("soak dir");
    let devnet = Devnet::builder()
        .ephemeral_ports()
        .block_time_ms(args.block_ms)
        .da_blocks(1, (args.block_ms * 10).max(500))
        .data_dir(args.dir.join("devnet"))
        .spawn()
        .await
        .expect("the devnet starts");
    let (headers, witness, control) = (devnet.headers_url(), devnet.witness_url(), devnet.control_url());
    let da_nodes = devnet.da_nodes();
    let http = client::Http::new();
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();

    // The checkpoint: block 1, read before any fault is switched on.
    let first = loop {
        if let Ok(body) = http.get_bytes(&format!("{headers}/light_block/1")) {
            break parse_light_block(&body).expect("block 1 parses");
        }
        tokio::time::sleep(Duration::from_millis(args.block_ms)).await;
    };
    let checkpoint = Checkpoint { height: first.height(), hash: first.hash() };

    let stop = Arc::new(AtomicBool::new(false));
    let tick = Duration::from_millis(args.block_ms);
    let client_thread = {
        let (headers, witness, stop) = (headers.clone(), witness.clone(), stop.clone());
        std::thread::spawn(move || client::run(headers, witness, checkpoint, tick, stop))
    };
    let load_thread = {
        let net = work::Net {
            aloft: args.aloft.clone(),
            control: control.clone(),
            da_nodes: da_nodes.clone(),
            da_head: format!("{}/da/v1/head", da_nodes[0]),
            headers: headers.clone(),
            checkpoint: checkpoint.to_string(),
        };
        let (dir, stop) = (args.dir.join("files"), stop.clone());
        std::thread::spawn(move || work::run_load(net, dir, stop))
    };

    let lanes = faults::lanes(da_nodes.len(), devnet.storage_urls().len());
    let window = if args.blocks >= 400 { 10 } else { 4 };
    let mut cycled: std::collections::BTreeMap<String, u64> = Default::default();
    let mut on: Vec<Option<String>> = vec![None; lanes.len()];
    let mut switch_errors = vec![];
    let (mut rss_mid, rss_start) = (0, rss_kib());
    let mut height = 1;
    let mut last_seen = Instant::now();
    while height < args.blocks {
        tokio::time::sleep(tick).await;
        match head_height(&http, &headers) {
            Some(h) => {
                height = h;
                last_seen = Instant::now();
            }
            None if last_seen.elapsed() > Duration::from_secs(30) => {
                switch_errors.push("the header API stopped answering for 30 s".to_string());
                break;
            }
            None => continue,
        }
        if rss_mid == 0 && height >= args.blocks / 2 {
            rss_mid = rss_kib();
        }
        for (i, lane) in lanes.iter().enumerate() {
            let want = faults::active(lane, height, window);
            if on[i].as_deref() == want.map(|f| f.name.as_str()) {
                continue;
            }
            if let Some(name) = on[i].take() {
                let f = lane.iter().find(|f| f.name == name).expect("a lane fault");
                if let Err(e) = put(&agent, &control, &f.name, &f.off) {
                    switch_errors.push(e);
                }
            }
            if let Some(f) = want {
                match put(&agent, &control, &f.name, &f.on) {
                    Ok(()) => {
                        *cycled.entry(f.name.clone()).or_default() += 1;
                        on[i] = Some(f.name.clone());
                    }
                    Err(e) => switch_errors.push(e),
                }
            }
        }
    }
    for lane in &lanes {
        for f in lane {
            if on.iter().flatten().any(|n| n == &f.name)
                && let Err(e) = put(&agent, &control, &f.name, &f.off)
            {
                switch_errors.push(e);
            }
        }
    }
    tokio::time::sleep(tick * 4).await;
    stop.store(true, Ordering::Relaxed);
    let client_log = tokio::task::spawn_blocking(move || client_thread.join()).await.expect("join");
    let work_log = tokio::task::spawn_blocking(move || load_thread.join()).await.expect("join");
    let rss_end = rss_kib();

    let (client_log, client_error) = match client_log {
        Ok(Ok(log)) => (log, None),
        Ok(Err(e)) => (client::ClientLog::default(), Some(e)),
        Err(_) => (client::ClientLog::default(), Some("the client thread panicked".to_string())),
    };
    let work_log = work_log.unwrap_or_else(|_| {
        let mut w = work::WorkLog::default();
        w.child_panics.push("the load thread panicked".into());
        w
    });

    // Every adopted head against the honest chain.
    let aloft = args.aloft.clone();
    let (control2, witness2) = (control.clone(), witness.clone());
    let verified = client_log.verified.clone();
    let acknowledged = work_log.acknowledged.clone();
    let out_dir = args.dir.join("files");
    let (accepted_bad, unreadable) = tokio::task::spawn_blocking(move || {
        let http = client::Http::new();
        let mut accepted_bad = vec![];
        for (h, hash) in &verified {
            match http.get_bytes(&format!("{witness2}/light_block/{}", h.0)).map(|b| parse_light_block(&b)) {
                Ok(Ok(honest)) if honest.hash() == *hash => {}
                other => accepted_bad.push(json!({"height": h.0, "witness": format!("{:?}", other.map(|b| b.map(|b| b.hash())))})),
            }
        }
        let mut unreadable = vec![];
        for (i, (file, root)) in acknowledged.iter().enumerate() {
            if let Err(e) = work::read_back(&aloft, &control2, root, file, &out_dir.join(format!("read-{i}.bin"))) {
                unreadable.push(e);
            }
        }
        (accepted_bad, unreadable)
    })
    .await
    .expect("checks");

    let mut rejected_by_kind: std::collections::BTreeMap<String, u64> = Default::default();
    for r in &client_log.rejections {
        *rejected_by_kind.entry(r.kind.clone()).or_default() += 1;
    }
    let without_reason = client_log.rejections.iter().filter(|r| r.reason.trim().is_empty() || r.kind.is_empty()).count()
        + work_log.da_dropped.iter().filter(|(_, reason)| reason.trim().is_empty()).count();
    let panics = PANICS.load(Ordering::Relaxed) + work_log.child_panics.len() as u64;
    let rss_growth = rss_end.saturating_sub(rss_mid.max(rss_start));
    let memory_bounded = client_log.rejections.len() <= MAX_REJECTIONS && rss_growth < 128 * 1024;
    let ok = panics == 0
        && client_error.is_none()
        && accepted_bad.is_empty()
        && unreadable.is_empty()
        && without_reason == 0
        && switch_errors.is_empty()
        && memory_bounded
        && !client_log.verified.is_empty()
        && height >= args.blocks;
    devnet.shutdown().await;
    json!({
        "ok": ok,
        "blocks": height,
        "block_ms": args.block_ms,
        "seconds": started.elapsed().as_secs(),
        "panics": panics,
        "switches_cycled": cycled.values().sum::<u64>(),
        "distinct_switches": cycled.len(),
        "switch_errors": switch_errors,
        "heads_verified": client_log.verified.len(),
        "highest_verified": client_log.verified.last().map(|(h, _)| h.0),
        "accepted_bad": accepted_bad,
        "rejections_total": client_log.rejections_total,
        "rejections_kept_by_kind": rejected_by_kind,
        "rejections_without_reason": without_reason,
        "evidence": client_log.evidence,
        "sync_errors": client_log.sync_errors.len(),
        "client_error": client_error,
        "da": {"available": work_log.da_available, "unavailable": work_log.da_unavailable,
               "errors": work_log.da_errors.len(), "not_ready": work_log.da_not_ready, "header_unverified": work_log.da_header_unverified, "peers_dropped": work_log.da_dropped.len(),
               "error_examples": work_log.da_errors.iter().take(3).collect::<Vec<_>>()},
        "uploads": {"acknowledged": work_log.acknowledged.len(), "failed": work_log.upload_failures.len(),
                    "readable": work_log.acknowledged.len() - unreadable.len(), "lost": unreadable,
                    "failure_examples": work_log.upload_failures.iter().take(3).collect::<Vec<_>>()},
        "memory": {"rss_start_kib": rss_start, "rss_mid_kib": rss_mid, "rss_end_kib": rss_end,
                   "client_rejections_kept": client_log.rejections.len(), "bounded": memory_bounded},
        "child_panics": work_log.child_panics,
    })
}
