//! The DA nodes over HTTP, sampled by the light client's own sampler:
//! honest nodes give an available block, withholding on every node an
//! unavailable one, and corrupt nodes are dropped.

use aloft_devnet::Devnet;
use aloft_light_client::da::wire::samples_query;
use aloft_light_client::da::{Action, Availability, DaRoot, Height, PeerId, Sampler, SamplerConfig};
use aloft_light_client::kzg::VerifierSetup;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One HTTP/1.1 exchange; returns the status and the raw body.
async fn http(url: &str, method: &str, body: &[u8]) -> (u16, Vec<u8>) {
    let rest = url.trim_start_matches("http://");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    let head = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let status = String::from_utf8_lossy(&raw[..end]).split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, raw[end + 4..].to_vec())
}

async fn switch(devnet: &Devnet, name: &str, value: &str) {
    let (status, body) = http(&format!("{}/switches/{name}", devnet.control_url()), "PUT", value.as_bytes()).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

async fn sample(devnet: &Devnet, height: u64, root: DaRoot) -> Sampler {
    let verifier = VerifierSetup::ceremony().unwrap();
    let mut sampler = Sampler::new(SamplerConfig::default()).unwrap();
    for n in devnet.da_nodes() {
        sampler.add_peer(PeerId(n));
    }
    let start = std::time::Instant::now();
    let now = || start.elapsed().as_millis() as u64;
    sampler.sample_block(Height(height), root, [9; 32], now());
    while sampler.block(Height(height)).unwrap().availability == Availability::Pending {
        for action in sampler.poll(now()) {
            match action {
                Action::FetchCommitments { request, peer, height } => {
                    let (status, body) = http(&format!("{}/da/v1/blocks/{}/commitments", peer.0, height.0), "GET", b"").await;
                    assert_eq!(status, 200);
                    sampler.on_commitments(request, now(), &body).unwrap();
                }
                Action::FetchCells { request, peer, height, samples } => {
                    let url = format!("{}/da/v1/blocks/{}/cells?samples={}", peer.0, height.0, samples_query(&samples));
                    let (status, body) = http(&url, "GET", b"").await;
                    assert_eq!(status, 200);
                    sampler.on_cells(request, now(), &body, &verifier).unwrap();
                }
            }
        }
    }
    sampler
}

#[tokio::test]
async fn devnet_da_nodes_serve_cells_that_sample_as_expected() {
    let devnet = Devnet::builder().ephemeral_ports().da_blocks(1, 0).spawn().await.unwrap();
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i * 13) as u8).collect();
    let (status, body) = http(&format!("{}/da/v1/blobs", devnet.da_url()), "POST", &payload).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let block: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(block["blobs"], 2);
    let height = block["height"].as_u64().unwrap();
    let root = DaRoot::from_hex(block["root"].as_str().unwrap()).unwrap();

    let honest = sample(&devnet, height, root).await;
    assert_eq!(honest.block(Height(height)).unwrap().availability, Availability::Available);

    switch(&devnet, "da.all.withhold", r#"{"blob": 1, "fraction": 0.51}"#).await;
    let withheld = sample(&devnet, height, root).await;
    assert!(matches!(withheld.block(Height(height)).unwrap().availability, Availability::Unavailable { .. }));
    switch(&devnet, "da.all.withhold", "null").await;

    switch(&devnet, "da.4.corrupt", r#""cell""#).await;
    let corrupt = sample(&devnet, height, root).await;
    assert_eq!(corrupt.block(Height(height)).unwrap().availability, Availability::Available);
    let dropped: Vec<_> = corrupt.peers().into_iter().filter(|p| p.dropped.is_some()).map(|p| p.peer.0).collect();
    assert_eq!(dropped, vec![devnet.da_nodes()[4].clone()]);

    // Unknown heights, nodes and malformed sample lists are refused with a status.
    assert_eq!(http(&format!("{}/da/v1/blocks/999/commitments", devnet.da_nodes()[0]), "GET", b"").await.0, 404);
    assert_eq!(http(&format!("{}/nodes/8/da/v1/head", devnet.da_url()), "GET", b"").await.0, 404);
    assert_eq!(http(&format!("{}/da/v1/blocks/{height}/cells?samples=0.200", devnet.da_nodes()[0]), "GET", b"").await.0, 400);
    assert_eq!(http(&format!("{}/da/v1/blocks/{height}/cells?samples=5.1", devnet.da_nodes()[0]), "GET", b"").await.0, 400);
    switch(&devnet, "da.0.offline", "true").await;
    assert_eq!(http(&format!("{}/da/v1/head", devnet.da_nodes()[0]), "GET", b"").await.0, 503);
}

/// The DA root of header `height`, from the header API, checked: the light
/// block's commit verifies from its parent (polling up to 30 s for the header,
/// which is signed just after its DA block is sealed).
async fn verified_da_root(devnet: &Devnet, height: u64) -> DaRoot {
    use aloft_light_client::header::{LightBlock, VerifyOptions, verify};
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let fetch = |h: u64| async move {
        let (status, body) = http(&format!("{}/light_block/{h}", devnet.headers_url()), "GET", b"").await;
        (status == 200).then(|| {
            let v: Value = serde_json::from_slice(&body).unwrap();
            LightBlock::decode(&::hex::decode(v["light_block"].as_str().unwrap().trim_start_matches("0x")).unwrap()).unwrap()
        })
    };
    let block = loop {
        if let Some(b) = fetch(height).await {
            break b;
        }
        assert!(std::time::Instant::now() < deadline, "header {height} did not appear within 30 s");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let parent = fetch(height - 1).await.expect("the parent header exists");
    verify(&parent, &block, &VerifyOptions::default(), block.header.time).unwrap();
    DaRoot(block.header.da_root.0)
}

async fn post(devnet: &Devnet, payload: &[u8]) -> (u64, DaRoot) {
    let (status, body) = http(&format!("{}/da/v1/blobs", devnet.da_url()), "POST", payload).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let block: Value = serde_json::from_slice(&body).unwrap();
    (block["height"].as_u64().unwrap(), DaRoot::from_hex(block["root"].as_str().unwrap()).unwrap())
}

#[tokio::test]
async fn a_wrong_commitment_list_is_refused_against_the_verified_header() {
    let devnet = Devnet::builder().ephemeral_ports().da_blocks(1, 0).spawn().await.unwrap();
    let nodes = devnet.da_nodes();
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
    let (height, posted_root) = post(&devnet, &payload).await;
    let root = verified_da_root(&devnet, height).await;
    assert_eq!(root, posted_root, "header {height} carries the DA block's root");

    // Every node lies about this block: half drop a commitment, half swap two.
    for i in 0..nodes.len() {
        let lie = if i % 2 == 0 { "drop" } else { "swap" };
        switch(&devnet, &format!("da.{i}.commitments"), &format!(r#"{{"lie": "{lie}", "height": {height}}}"#)).await;
    }
    // A liar's summary names its lie's root, so a client that took roots from
    // DA nodes would sample the wrong list.
    let (_, body) = http(&format!("{}/da/v1/blocks/{height}", nodes[0]), "GET", b"").await;
    let told: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(told["blobs"], 1);
    assert_ne!(DaRoot::from_hex(told["root"].as_str().unwrap()).unwrap(), root);

    let lied = sample(&devnet, height, root).await;
    let report = lied.block(Height(height)).unwrap();
    let Availability::Unavailable { reason } = &report.availability else { panic!("{report:?}") };
    assert!(reason.contains("commitment list that matches the header"), "{reason}");
    let peers = lied.peers();
    assert!(peers.iter().all(|p| p.dropped.as_deref().is_some_and(|r| r.contains("does not match the header"))), "{peers:?}");

    // Another block is served honestly by the same nodes and still verifies.
    let (honest_height, _) = post(&devnet, &payload[..50_000]).await;
    let honest_root = verified_da_root(&devnet, honest_height).await;
    let honest = sample(&devnet, honest_height, honest_root).await;
    let report = honest.block(Height(honest_height)).unwrap();
    assert_eq!(report.availability, Availability::Available);
    assert!(report.confidence >= 0.9999);

    // With one honest node left, the liars asked are dropped with the reason
    // and the block is available from the honest one.
    let honest_node = (height as usize + 3) % nodes.len();
    switch(&devnet, &format!("da.{honest_node}.commitments"), "null").await;
    let mixed = sample(&devnet, height, root).await;
    assert_eq!(mixed.block(Height(height)).unwrap().availability, Availability::Available);
    for p in mixed.peers() {
        if p.peer.0 == nodes[honest_node] {
            assert!(p.dropped.is_none(), "{p:?}");
        } else if let Some(reason) = &p.dropped {
            assert!(reason.contains("does not match the header"), "{reason}");
        }
    }
    assert!(mixed.peers().iter().any(|p| p.dropped.is_some()), "the liars asked first were dropped");
    switch(&devnet, "da.all.commitments", "null").await;
    let (status, _) = http(&format!("{}/switches/da.all.commitments", devnet.control_url()), "PUT", br#"{"lie": "flip"}"#).await;
    assert_eq!(status, 400, "an unknown lie is refused");
}
