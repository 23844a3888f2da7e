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
