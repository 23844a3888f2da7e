//! The DA flow end to end over real cells and proofs, with simulated DA
//! nodes: honest, withholding, corrupt and silent.

use std::sync::OnceLock;

use super::wire::{SampleId, encode_cells_response};
use super::*;
use crate::kzg::{Cell, CellIndex, Commitment, Proof, TrustedSetup};

fn setup() -> &'static TrustedSetup {
    static SETUP: OnceLock<TrustedSetup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../vectors/kzg/trusted_setup.txt");
        let text = std::fs::read_to_string(path).expect("vectors/kzg/trusted_setup.txt is readable");
        TrustedSetup::from_ceremony_text(&text).expect("the ceremony setup loads")
    })
}

struct TestBlock {
    payloads: Vec<Vec<u8>>,
    commitments: Vec<Commitment>,
    root: DaRoot,
    cells: Vec<(Vec<Cell>, Vec<Proof>)>,
}

fn block(blobs: usize) -> &'static TestBlock {
    static BLOCK: OnceLock<TestBlock> = OnceLock::new();
    let b = BLOCK.get_or_init(|| {
        let payloads: Vec<Vec<u8>> = (0..3).map(|i| (0..50_000 + i * 1000).map(|j| (j * 31 + i * 7) as u8).collect()).collect();
        let blobs: Vec<_> = payloads.iter().map(|p| pack(p).unwrap().remove(0)).collect();
        let (commitments, root) = da_root_for_blobs(setup(), &blobs).unwrap();
        let cells = blobs.iter().map(|b| setup().compute_cells_and_kzg_proofs(b).unwrap()).collect();
        TestBlock { payloads, commitments, root, cells }
    });
    assert_eq!(blobs, 3);
    b
}

#[derive(Clone, Copy, PartialEq)]
enum Behaviour {
    Honest,
    /// Withholds cells `0..k` of one blob.
    Withhold { blob: u16, k: u8 },
    CorruptCell,
    CorruptProof,
    Silent,
    /// Serves honest cells but a commitment list with the first two swapped.
    WrongList,
}

fn serve(b: &TestBlock, behaviour: Behaviour, samples: &[SampleId]) -> Option<Vec<u8>> {
    let mut cells: Vec<Option<(Cell, Proof)>> = samples
        .iter()
        .map(|s| {
            let (cells, proofs) = &b.cells[usize::from(s.blob)];
            Some((cells[usize::from(s.cell)].clone(), proofs[usize::from(s.cell)]))
        })
        .collect();
    match behaviour {
        Behaviour::Honest | Behaviour::WrongList => {}
        Behaviour::Withhold { blob, k } => {
            for (s, c) in samples.iter().zip(cells.iter_mut()) {
                if s.blob == blob && s.cell < k {
                    *c = None;
                }
            }
        }
        Behaviour::CorruptCell => {
            if let Some(Some((cell, _))) = cells.first_mut() {
                let mut bytes = cell.as_bytes().to_vec();
                bytes[100] ^= 1;
                *cell = Cell::from_bytes(&bytes).unwrap();
            }
        }
        Behaviour::CorruptProof => {
            if cells.len() > 1 {
                let p0 = cells[0].as_ref().unwrap().1;
                let p1 = cells[1].as_ref().unwrap().1;
                cells[0].as_mut().unwrap().1 = p1;
                cells[1].as_mut().unwrap().1 = p0;
            }
        }
        Behaviour::Silent => return None,
    }
    let refs: Vec<Option<(&Cell, &Proof)>> = cells.iter().map(|c| c.as_ref().map(|(c, p)| (c, p))).collect();
    Some(encode_cells_response(&refs))
}

/// Runs the sampler against peers until the block settles; returns the time it took.
fn run(sampler: &mut Sampler, b: &TestBlock, behaviours: &[Behaviour], root: DaRoot) -> u64 {
    let verifier = setup().verifier();
    let list = serde_json::to_vec(&CommitmentList { commitments: b.commitments.clone() }).unwrap();
    let mut swapped = b.commitments.clone();
    swapped.swap(0, 1);
    let wrong_list = serde_json::to_vec(&CommitmentList { commitments: swapped }).unwrap();
    let mut now = 1_000;
    sampler.sample_block(Height(7), root, [42; 32], now);
    for _ in 0..200 {
        let actions = sampler.poll(now);
        for action in actions {
            match action {
                Action::FetchCommitments { request, peer, .. } => {
                    let i: usize = peer.0.parse().unwrap();
                    if behaviours[i] == Behaviour::Silent {
                        continue;
                    }
                    let body = if behaviours[i] == Behaviour::WrongList { &wrong_list } else { &list };
                    sampler.on_commitments(request, now, body).unwrap();
                }
                Action::FetchCells { request, peer, samples, .. } => {
                    let i: usize = peer.0.parse().unwrap();
                    if let Some(body) = serve(b, behaviours[i], &samples) {
                        sampler.on_cells(request, now, &body, verifier).unwrap();
                    }
                }
            }
        }
        if sampler.block(Height(7)).unwrap().availability != Availability::Pending {
            return now - 1_000;
        }
        now += 500;
    }
    panic!("the block never settled");
}

fn sampler_with(peers: usize) -> Sampler {
    let mut s = Sampler::new(SamplerConfig::default()).unwrap();
    for i in 0..peers {
        s.add_peer(PeerId(i.to_string()));
    }
    s
}

#[test]
fn honest_peers_bring_a_block_to_the_target_confidence() {
    let b = block(3);
    let mut s = sampler_with(4);
    run(&mut s, b, &[Behaviour::Honest; 4], b.root);
    let report = s.block(Height(7)).unwrap();
    assert_eq!(report.availability, Availability::Available);
    assert!(report.confidence >= 0.9999, "{report:?}");
    assert_eq!(report.samples_total, 3 * 13);
    assert_eq!(report.samples_verified, 3 * 13);
    assert!(s.peers().iter().all(|p| p.dropped.is_none()));
    let events = s.drain_events();
    assert!(matches!(events.last(), Some(Event::Block(r)) if r.availability == Availability::Available));
}

#[test]
fn withholding_51_percent_of_one_blob_makes_the_block_unavailable() {
    let b = block(3);
    let mut s = sampler_with(4);
    // Every node withholds the same 66 of blob 1's 128 cells (more than half).
    let took = run(&mut s, b, &[Behaviour::Withhold { blob: 1, k: 66 }; 4], b.root);
    let report = s.block(Height(7)).unwrap();
    assert!(matches!(report.availability, Availability::Unavailable { .. }), "{report:?}");
    assert!(took < SamplerConfig::default().block_deadline_ms, "decided by missing samples, not the deadline");
    // Withholding is not misbehaviour a peer can be blamed for alone.
    assert!(s.peers().iter().all(|p| p.dropped.is_none()));
}

#[test]
fn one_withholding_peer_does_not_make_an_available_block_unavailable() {
    let b = block(3);
    let mut s = sampler_with(4);
    let mut behaviours = [Behaviour::Honest; 4];
    behaviours[2] = Behaviour::Withhold { blob: 0, k: 128 };
    run(&mut s, b, &behaviours, b.root);
    assert_eq!(s.block(Height(7)).unwrap().availability, Availability::Available);
}

#[test]
fn corrupt_peers_are_dropped_and_the_block_still_verifies() {
    let b = block(3);
    for bad in [Behaviour::CorruptCell, Behaviour::CorruptProof] {
        let mut s = sampler_with(4);
        let mut behaviours = [Behaviour::Honest; 4];
        behaviours[1] = bad;
        run(&mut s, b, &behaviours, b.root);
        assert_eq!(s.block(Height(7)).unwrap().availability, Availability::Available);
        let peers = s.peers();
        assert!(peers[1].dropped.as_deref().unwrap_or("").contains("does not verify"), "{peers:?}");
        assert!(peers.iter().enumerate().all(|(i, p)| (i == 1) == p.dropped.is_some()));
        assert!(s.drain_events().iter().any(|e| matches!(e, Event::PeerDropped { peer, .. } if peer.0 == "1")));
    }
}

#[test]
fn silent_peers_time_out_and_others_serve() {
    let b = block(3);
    let mut s = sampler_with(4);
    let mut behaviours = [Behaviour::Honest; 4];
    behaviours[0] = Behaviour::Silent;
    behaviours[3] = Behaviour::Silent;
    run(&mut s, b, &behaviours, b.root);
    assert_eq!(s.block(Height(7)).unwrap().availability, Availability::Available);
}

#[test]
fn a_commitment_list_that_does_not_match_the_header_drops_the_peer() {
    let b = block(3);
    let mut s = sampler_with(2);
    let wrong_root = commitments_root(&b.commitments[..2]).unwrap();
    run(&mut s, b, &[Behaviour::Honest; 2], wrong_root);
    let report = s.block(Height(7)).unwrap();
    let Availability::Unavailable { reason } = &report.availability else { panic!("{report:?}") };
    assert_eq!(reason, "no peer served a commitment list that matches the header");
    assert!(s.peers().iter().all(|p| p.dropped.as_deref().is_some_and(|r| r.contains("does not match the header"))));
}

#[test]
fn a_peer_serving_a_swapped_list_is_dropped_with_the_reason_and_honest_peers_serve() {
    let b = block(3);
    // Height 7 over 3 peers: peer 1 is asked for the list first.
    let mut s = sampler_with(3);
    run(&mut s, b, &[Behaviour::Honest, Behaviour::WrongList, Behaviour::Honest], b.root);
    assert_eq!(s.block(Height(7)).unwrap().availability, Availability::Available);
    let peers = s.peers();
    let reason = peers[1].dropped.as_deref().expect("the lying peer is dropped");
    assert!(reason.contains("does not match the header") && reason.contains("hashes to"), "{reason}");
    assert!(peers[0].dropped.is_none() && peers[2].dropped.is_none());
}

#[test]
fn state_survives_a_reload_mid_sampling() {
    let b = block(3);
    let verifier = setup().verifier();
    let mut s = sampler_with(2);
    s.sample_block(Height(7), b.root, [1; 32], 0);
    let Action::FetchCommitments { request, .. } = s.poll(0).remove(0) else { panic!("commitments first") };
    s.on_commitments(request, 0, &serde_json::to_vec(&CommitmentList { commitments: b.commitments.clone() }).unwrap()).unwrap();
    let first = s.poll(0);
    let Action::FetchCells { request, samples, .. } = &first[0] else { panic!("cells next") };
    s.on_cells(*request, 0, &serve(b, Behaviour::Honest, samples).unwrap(), verifier).unwrap();
    let drawn: Vec<SampleId> = first.iter().flat_map(|a| if let Action::FetchCells { samples, .. } = a { samples.clone() } else { vec![] }).collect();

    let saved = s.to_json();
    let mut restored = Sampler::from_json(&saved).unwrap();
    let before = s.block(Height(7)).unwrap();
    assert_eq!(restored.block(Height(7)).unwrap(), before);
    // The other request was in flight when saved: its samples are asked again, the same ones.
    let again: Vec<SampleId> = restored.poll(10).iter().flat_map(|a| if let Action::FetchCells { samples, .. } = a { samples.clone() } else { vec![] }).collect();
    assert_eq!(again.len() + before.samples_verified, drawn.len());
    assert!(again.iter().all(|s| drawn.contains(s)));
    assert!(Sampler::from_json("{").is_err());
}

#[test]
fn samples_are_distinct_per_blob_and_depend_on_the_seed() {
    let b = block(3);
    let mut a = sampler_with(1);
    let mut c = sampler_with(1);
    let list = serde_json::to_vec(&CommitmentList { commitments: b.commitments.clone() }).unwrap();
    let draw = |s: &mut Sampler, seed| {
        s.sample_block(Height(1), b.root, seed, 0);
        let Action::FetchCommitments { request, .. } = s.poll(0).remove(0) else { panic!() };
        s.on_commitments(request, 0, &list).unwrap();
        s.poll(0).into_iter().flat_map(|a| if let Action::FetchCells { samples, .. } = a { samples } else { vec![] }).collect::<Vec<_>>()
    };
    let x = draw(&mut a, [1; 32]);
    let y = draw(&mut c, [2; 32]);
    assert_ne!(x, y);
    for blob in 0..3 {
        let mut cells: Vec<u8> = x.iter().filter(|s| s.blob == blob).map(|s| s.cell).collect();
        assert_eq!(cells.len(), 13);
        cells.sort();
        cells.dedup();
        assert_eq!(cells.len(), 13);
    }
}

#[test]
fn a_payload_is_rebuilt_from_exactly_half_of_its_cells() {
    let b = block(3);
    let verifier = setup().verifier();
    let (cells, proofs) = &b.cells[2];
    // Exactly 64 cells: every odd index, in descending order to show order does not matter.
    let half: Vec<(CellIndex, Cell, Proof)> =
        (0..128u8).rev().filter(|c| c % 2 == 1).map(|c| (CellIndex::from_low_bits(c), cells[usize::from(c)].clone(), proofs[usize::from(c)])).collect();
    assert_eq!(half.len(), 64);
    let blob = reconstruct_blob(verifier, &b.commitments[2], &half).unwrap();
    assert_eq!(unpack(&[blob]).unwrap(), b.payloads[2]);

    assert_eq!(reconstruct_blob(verifier, &b.commitments[2], &half[..63]), Err(ReconstructError::NotEnoughCells(63)));
    let mut bad = half.clone();
    bad[5].2 = bad[6].2;
    assert_eq!(reconstruct_blob(verifier, &b.commitments[2], &bad), Err(ReconstructError::BadCells));
    assert_eq!(reconstruct_blob(verifier, &b.commitments[1], &half), Err(ReconstructError::BadCells));
}

/// The bytes a client fetches for a full 32-blob block at the default
/// target: 32 × 13 cells with proofs plus the commitment list, under 1 MiB.
/// (The 32 blobs are one blob repeated, so the test needs one FK20 run;
/// sampling and verification do not care.)
#[test]
fn a_32_blob_block_reaches_the_target_under_one_mebibyte() {
    let b = block(3);
    let big = TestBlock {
        payloads: vec![b.payloads[0].clone(); 32],
        commitments: vec![b.commitments[0]; 32],
        root: commitments_root(&vec![b.commitments[0]; 32]).unwrap(),
        cells: vec![b.cells[0].clone(); 32],
    };
    let mut s = sampler_with(8);
    run(&mut s, &big, &[Behaviour::Honest; 8], big.root);
    let report = s.block(Height(7)).unwrap();
    assert_eq!(report.availability, Availability::Available);
    assert_eq!(report.samples_verified, 32 * 13);
    assert!(report.confidence >= 0.9999);
    // 416 served records of 2097 bytes, plus the commitment list JSON.
    assert!(report.bytes_fetched > 416 * 2097 && report.bytes_fetched < 1 << 20, "{} bytes", report.bytes_fetched);
}
