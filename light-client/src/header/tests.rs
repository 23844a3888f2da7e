//! Tests of the header formats, verification, sync and fork detection.
//! Format tests pin golden vectors (the bytes of `docs/protocol.md`'s
//! examples); every rejection path of `verify` has a test named after it.

#![allow(clippy::unwrap_used)]

use super::devchain::{BlockSpec, ChainBuilder, Keyring, produce};
use super::*;
use crate::bls::SecretKey;

const DAY_MS: u64 = 24 * 3600 * 1000;

fn four() -> Vec<(u32, u64)> {
    vec![(0, 10), (1, 10), (2, 10), (3, 10)]
}

fn chain(len: u64) -> Vec<LightBlock> {
    ChainBuilder::new().build(len, &|_| four())
}

fn now_after(block: &LightBlock) -> Timestamp {
    Timestamp(block.time().0 + 1000)
}

/// Re-signs a block's header after `edit` with the given signers of its set.
fn resign(block: &LightBlock, keys: &mut Keyring, members: &[(u32, u64)], signers: &[usize], edit: impl FnOnce(&mut Header)) -> LightBlock {
    let mut b = block.clone();
    edit(&mut b.header);
    let secret: Vec<(usize, SecretKey)> = signers.iter().map(|p| (*p, keys.key(members[*p].0).clone())).collect();
    let refs: Vec<(usize, &SecretKey)> = secret.iter().map(|(p, k)| (*p, k)).collect();
    b.commit = Commit::sign(&b.header, Round(0), b.validators.len(), &refs).unwrap();
    b
}

mod formats {
    use super::*;

    // Golden vectors: the first block of `ChainBuilder::new()` with four
    // validators of power 10 (seed "test"), as documented in docs/protocol.md.
    const GOLDEN_HEADER: &str = include_str!("golden/header.hex");
    const GOLDEN_COMMIT: &str = include_str!("golden/commit.hex");
    const GOLDEN_VALIDATORS: &str = include_str!("golden/validators.hex");
    const GOLDEN_VOTE: &str = include_str!("golden/vote.hex");
    const GOLDEN_HASHES: &str = include_str!("golden/hashes.txt");

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s.trim()).unwrap()
    }

    #[test]
    fn golden_vectors_encode_and_decode() {
        let block = &chain(1)[0];
        if std::env::var_os("ALOFT_WRITE_GOLDEN").is_some() {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/header/golden");
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(format!("{dir}/header.hex"), hex::encode(block.header.encode()) + "\n").unwrap();
            std::fs::write(format!("{dir}/commit.hex"), hex::encode(block.commit.encode()) + "\n").unwrap();
            std::fs::write(format!("{dir}/validators.hex"), hex::encode(block.validators.encode()) + "\n").unwrap();
            std::fs::write(format!("{dir}/vote.hex"), hex::encode(block.commit.sign_bytes(block.header.chain_id)) + "\n").unwrap();
            std::fs::write(
                format!("{dir}/hashes.txt"),
                format!("block_hash {}\nvalidators_hash {}\n", block.hash(), block.validators.hash()),
            )
            .unwrap();
            return;
        }
        assert_eq!(hex::encode(block.header.encode()), GOLDEN_HEADER.trim());
        assert_eq!(hex::encode(block.commit.encode()), GOLDEN_COMMIT.trim());
        assert_eq!(hex::encode(block.validators.encode()), GOLDEN_VALIDATORS.trim());
        assert_eq!(hex::encode(block.commit.sign_bytes(block.header.chain_id)), GOLDEN_VOTE.trim());
        assert_eq!(
            GOLDEN_HASHES,
            format!("block_hash {}\nvalidators_hash {}\n", block.hash(), block.validators.hash())
        );
        assert_eq!(Header::decode(&unhex(GOLDEN_HEADER)).unwrap(), block.header);
        assert_eq!(Commit::decode(&unhex(GOLDEN_COMMIT)).unwrap(), block.commit);
        assert_eq!(ValidatorSet::decode(&unhex(GOLDEN_VALIDATORS)).unwrap(), block.validators);
        // The golden block verifies as the first hop from nothing but itself.
        validate_basic(block).unwrap();
    }

    #[test]
    fn header_layout_matches_the_documentation() {
        let h = &chain(1)[0].header;
        let bytes = h.encode();
        assert_eq!(bytes.len(), HEADER_SIZE);
        assert_eq!(HEADER_SIZE, 205);
        assert_eq!(bytes[0], 1);
        assert_eq!(&bytes[1..9], &31337u64.to_be_bytes());
        assert_eq!(&bytes[9..17], &1u64.to_be_bytes());
        assert_eq!(&bytes[17..25], &h.time.0.to_be_bytes());
        assert_eq!(&bytes[25..57], &[0u8; 32]);
        assert_eq!(&bytes[57..89], &h.validators_hash.0);
        assert_eq!(&bytes[89..121], &h.next_validators_hash.0);
        assert_eq!(&bytes[121..153], &h.state_root.0);
        assert_eq!(&bytes[153..185], &h.da_root.0);
        assert_eq!(&bytes[185..205], &h.proposer.0);
    }

    #[test]
    fn round_trips() {
        for block in chain(5) {
            assert_eq!(Header::decode(&block.header.encode()).unwrap(), block.header);
            assert_eq!(Commit::decode(&block.commit.encode()).unwrap(), block.commit);
            assert_eq!(ValidatorSet::decode(&block.validators.encode()).unwrap(), block.validators);
            assert_eq!(LightBlock::decode(&block.encode()).unwrap(), block);
        }
    }

    #[test]
    fn every_truncation_and_extension_is_refused() {
        let block = &chain(1)[0];
        let encoded = block.encode();
        for len in 0..encoded.len() {
            assert!(matches!(LightBlock::decode(&encoded[..len]), Err(DecodeError::Truncated { .. })), "length {len}");
        }
        let mut longer = encoded.clone();
        longer.push(0);
        assert_eq!(LightBlock::decode(&longer), Err(DecodeError::TrailingBytes { format: "light block", extra: 1 }));
        let mut header = block.header.encode().to_vec();
        header.push(7);
        assert_eq!(Header::decode(&header), Err(DecodeError::TrailingBytes { format: "header", extra: 1 }));
    }

    #[test]
    fn unknown_versions_are_refused() {
        let block = &chain(1)[0];
        let mut h = block.header.encode();
        h[0] = 2;
        assert_eq!(Header::decode(&h), Err(DecodeError::UnknownVersion { format: "header", got: 2, expected: 1 }));
        let mut c = block.commit.encode();
        c[0] = 0;
        assert_eq!(Commit::decode(&c), Err(DecodeError::UnknownVersion { format: "commit", got: 0, expected: 1 }));
        let mut v = block.validators.encode();
        v[0] = 9;
        assert!(matches!(ValidatorSet::decode(&v), Err(DecodeError::UnknownVersion { got: 9, .. })));
        let mut l = block.encode();
        l[0] = 3;
        assert!(matches!(LightBlock::decode(&l), Err(DecodeError::UnknownVersion { got: 3, .. })));
    }

    #[test]
    fn zero_heights_are_refused() {
        let block = &chain(1)[0];
        let mut h = block.header.encode();
        h[9..17].copy_from_slice(&0u64.to_be_bytes());
        assert_eq!(Header::decode(&h), Err(DecodeError::ZeroHeight { field: "header.height" }));
        let mut c = block.commit.encode();
        c[1..9].copy_from_slice(&0u64.to_be_bytes());
        assert_eq!(Commit::decode(&c), Err(DecodeError::ZeroHeight { field: "commit.height" }));
    }

    #[test]
    fn malformed_validator_sets_are_refused() {
        let set = &chain(1)[0].validators;
        let good = set.encode();
        // Empty.
        assert_eq!(ValidatorSet::decode(&[1, 0, 0, 0, 0]), Err(DecodeError::EmptyValidatorSet));
        // Too many.
        assert!(matches!(ValidatorSet::decode(&[1, 0, 0, 0x10, 0]), Err(DecodeError::TooManyValidators { count: 4096, .. })));
        // A key that is not a point (flip the x coordinate's last byte until it leaves the curve).
        let mut bad = good.clone();
        bad[5] = 0x80; // compressed flag only, x = 0...: not on the curve
        bad[6..53].fill(0);
        assert!(matches!(ValidatorSet::decode(&bad), Err(DecodeError::BadPublicKey { index: 0, .. })));
        // Zero power.
        let mut bad = good.clone();
        bad[53..61].fill(0);
        assert_eq!(ValidatorSet::decode(&bad), Err(DecodeError::ZeroPower { index: 0 }));
        // A repeated key.
        let mut bad = good.clone();
        let first = bad[5..53].to_vec();
        bad[61..109].copy_from_slice(&first);
        assert_eq!(ValidatorSet::decode(&bad), Err(DecodeError::DuplicateValidator { first: 0, second: 1 }));
        // Power overflow.
        let mut bad = good.clone();
        bad[53..61].copy_from_slice(&MAX_TOTAL_POWER.to_be_bytes());
        assert_eq!(ValidatorSet::decode(&bad), Err(DecodeError::PowerOverflow { max: MAX_TOTAL_POWER }));
    }

    #[test]
    fn malformed_commits_are_refused() {
        let commit = &chain(1)[0].commit;
        let good = commit.encode();
        // Bitmap of 4 bits: bits 4..8 of its byte must be zero.
        let at = 1 + 8 + 4 + 32 + 4;
        let mut bad = good.clone();
        bad[at] |= 0b0010_0000;
        assert_eq!(Commit::decode(&bad), Err(DecodeError::StrayBitmapBit { bit: 5, count: 4 }));
        // An absurd bitmap length.
        let mut bad = good.clone();
        bad[at - 4..at].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(matches!(Commit::decode(&bad), Err(DecodeError::LengthTooLarge { .. })));
        // A signature that is not a point.
        let mut bad = good.clone();
        let sig = bad.len() - 96;
        bad[sig] &= 0x7f;
        assert!(matches!(Commit::decode(&bad), Err(DecodeError::BadSignature(_))));
    }

    #[test]
    fn evidence_round_trips() {
        let blocks = chain(3);
        let mut keys = Keyring::new(b"test");
        let other = resign(&blocks[2], &mut keys, &four(), &[0, 1, 2, 3], |h| h.state_root = StateRoot([9; 32]));
        let ev = Evidence { common_height: Height(1), primary: blocks[2].clone(), witness: other };
        assert!(ev.is_conflict());
        assert_eq!(Evidence::decode(&ev.encode()).unwrap(), ev);
        let json = ev.to_json();
        assert_eq!(json["height"], 3);
        assert_eq!(json["common_height"], 1);
        let mut bad = ev.encode();
        bad[0] = 2;
        assert!(matches!(Evidence::decode(&bad), Err(DecodeError::UnknownVersion { .. })));
    }
}

mod verification {
    use super::*;

    fn opts() -> VerifyOptions {
        VerifyOptions::default()
    }

    #[test]
    fn adjacent_and_skipping_accept_honest_blocks() {
        let blocks = chain(10);
        verify(&blocks[0], &blocks[1], &opts(), now_after(&blocks[9])).unwrap();
        verify(&blocks[0], &blocks[9], &opts(), now_after(&blocks[9])).unwrap();
    }

    #[test]
    fn trusted_state_expired() {
        let blocks = chain(2);
        let now = Timestamp(blocks[0].time().0 + 14 * DAY_MS);
        assert!(matches!(verify(&blocks[0], &blocks[1], &opts(), now), Err(VerifyError::TrustedStateExpired { .. })));
    }

    #[test]
    fn commit_for_another_height_or_block() {
        let blocks = chain(3);
        let now = now_after(&blocks[2]);
        let mut b = blocks[1].clone();
        b.commit = blocks[2].commit.clone();
        assert!(matches!(verify(&blocks[0], &b, &opts(), now), Err(VerifyError::CommitHeightMismatch { .. })));
        let mut b = blocks[1].clone();
        b.header.state_root = StateRoot([1; 32]);
        assert!(matches!(verify(&blocks[0], &b, &opts(), now), Err(VerifyError::CommitForOtherBlock { .. })));
    }

    #[test]
    fn validator_sets_that_do_not_match_the_header() {
        let blocks = chain(2);
        let other = ChainBuilder { seed: b"other".to_vec(), ..ChainBuilder::new() }.build(1, &|_| four());
        let now = now_after(&blocks[1]);
        let mut b = blocks[1].clone();
        b.validators = other[0].validators.clone();
        assert!(matches!(verify(&blocks[0], &b, &opts(), now), Err(VerifyError::ValidatorsHashMismatch { .. })));
        let mut b = blocks[1].clone();
        b.next_validators = other[0].validators.clone();
        assert!(matches!(verify(&blocks[0], &b, &opts(), now), Err(VerifyError::NextValidatorsHashMismatch { .. })));
    }

    #[test]
    fn bitmap_length_mismatch() {
        let blocks = chain(2);
        let mut b = blocks[1].clone();
        b.commit.signers = SignerBitmap::new(5);
        assert_eq!(
            verify(&blocks[0], &b, &opts(), now_after(&b)),
            Err(VerifyError::BitmapLengthMismatch { bitmap: 5, set: 4 })
        );
    }

    #[test]
    fn unknown_proposer() {
        let blocks = chain(2);
        let mut keys = Keyring::new(b"test");
        let b = resign(&blocks[1], &mut keys, &four(), &[0, 1, 2, 3], |h| h.proposer = ValidatorAddress([7; 20]));
        assert!(matches!(verify(&blocks[0], &b, &opts(), now_after(&b)), Err(VerifyError::UnknownProposer(_))));
    }

    #[test]
    fn wrong_chain() {
        let blocks = chain(2);
        let other = ChainBuilder { chain_id: ChainId(1), ..ChainBuilder::new() }.build(2, &|_| four());
        assert_eq!(
            verify(&blocks[0], &other[1], &opts(), now_after(&blocks[1])),
            Err(VerifyError::WrongChain { expected: ChainId(31337), got: ChainId(1) })
        );
    }

    #[test]
    fn not_newer() {
        let blocks = chain(2);
        assert!(matches!(verify(&blocks[1], &blocks[0], &opts(), now_after(&blocks[1])), Err(VerifyError::NotNewer { .. })));
        assert!(matches!(verify(&blocks[1], &blocks[1], &opts(), now_after(&blocks[1])), Err(VerifyError::NotNewer { .. })));
    }

    #[test]
    fn non_monotonic_time() {
        let blocks = chain(3);
        let mut keys = Keyring::new(b"test");
        let t = blocks[0].time();
        let b = resign(&blocks[2], &mut keys, &four(), &[0, 1, 2, 3], |h| h.time = t);
        assert!(matches!(verify(&blocks[0], &b, &opts(), now_after(&blocks[2])), Err(VerifyError::NonMonotonicTime { .. })));
    }

    #[test]
    fn from_the_future() {
        let blocks = chain(2);
        let now = Timestamp(blocks[1].time().0 - 11_000);
        assert!(matches!(verify(&blocks[0], &blocks[1], &opts(), now), Err(VerifyError::FromTheFuture { .. })));
        // Within the drift is fine.
        let now = Timestamp(blocks[1].time().0 - 9_000);
        verify(&blocks[0], &blocks[1], &opts(), now).unwrap();
    }

    #[test]
    fn validator_set_chain_broken() {
        // The header's set is signed by itself, but is not what the trusted header announced.
        let blocks = chain(2);
        let forged = ChainBuilder { seed: b"forger".to_vec(), ..ChainBuilder::new() }.build(2, &|_| four());
        let mut keys = Keyring::new(b"forger");
        let mut b = forged[1].clone();
        b = resign(&b, &mut keys, &four(), &[0, 1, 2, 3], |h| h.parent_hash = blocks[0].hash());
        assert!(matches!(verify(&blocks[0], &b, &opts(), now_after(&b)), Err(VerifyError::ValidatorSetChainBroken { .. })));
    }

    #[test]
    fn parent_hash_mismatch() {
        let blocks = chain(2);
        let mut keys = Keyring::new(b"test");
        let b = resign(&blocks[1], &mut keys, &four(), &[0, 1, 2, 3], |h| h.parent_hash = BlockHash([3; 32]));
        assert!(matches!(verify(&blocks[0], &b, &opts(), now_after(&b)), Err(VerifyError::ParentHashMismatch { .. })));
    }

    #[test]
    fn not_enough_trust_when_the_set_changed_too_much() {
        // Set of keys 0..4 until height 5, then keys 3..7: one trusted validator of four signs.
        let blocks = ChainBuilder::new().build(6, &|h| {
            if h.0 < 5 { four() } else { vec![(3, 10), (4, 10), (5, 10), (6, 10)] }
        });
        assert_eq!(
            verify(&blocks[0], &blocks[5], &opts(), now_after(&blocks[5])),
            Err(VerifyError::NotEnoughTrust { signed: 10, total: 40 })
        );
        // With two of four trusted validators still signing, the skip is allowed.
        let blocks = ChainBuilder::new().build(6, &|h| {
            if h.0 < 5 { four() } else { vec![(2, 10), (3, 10), (5, 10), (6, 10)] }
        });
        verify(&blocks[0], &blocks[5], &opts(), now_after(&blocks[5])).unwrap();
    }

    #[test]
    fn insufficient_voting_power() {
        let blocks = chain(2);
        let mut keys = Keyring::new(b"test");
        // Two of four (1/2): a real aggregate signature, but too little power.
        let b = resign(&blocks[1], &mut keys, &four(), &[0, 2], |_| {});
        assert_eq!(
            verify(&blocks[0], &b, &opts(), now_after(&b)),
            Err(VerifyError::InsufficientVotingPower { signed: 20, total: 40 })
        );
        // Exactly 2/3 is not enough either.
        let blocks = ChainBuilder::new().build(2, &|_| vec![(0, 10), (1, 10), (2, 10)]);
        let b = resign(&blocks[1], &mut keys, &[(0, 10), (1, 10), (2, 10)], &[0, 1], |_| {});
        assert_eq!(
            verify(&blocks[0], &b, &opts(), now_after(&b)),
            Err(VerifyError::InsufficientVotingPower { signed: 20, total: 30 })
        );
    }

    #[test]
    fn invalid_signature() {
        let blocks = chain(3);
        // A valid signature by the right keys, over another block.
        let mut b = blocks[1].clone();
        b.commit.signature = blocks[2].commit.signature;
        assert_eq!(verify(&blocks[0], &b, &opts(), now_after(&b)), Err(VerifyError::InvalidSignature { signers: 4 }));
        // A bitmap claiming a signer that did not sign.
        let mut keys = Keyring::new(b"test");
        let mut b = resign(&blocks[1], &mut keys, &four(), &[0, 1, 2], |_| {});
        b.commit.signers.set(3);
        assert_eq!(verify(&blocks[0], &b, &opts(), now_after(&b)), Err(VerifyError::InvalidSignature { signers: 4 }));
    }

    #[test]
    fn errors_explain_themselves() {
        let e = VerifyError::InsufficientVotingPower { signed: 20, total: 40 };
        assert_eq!(e.to_string(), "signers hold 20 of 40 voting power; more than 2/3 is needed");
        assert_eq!(e.kind(), "insufficient_voting_power");
    }
}

mod syncing {
    use super::*;

    fn sync(trusted: &LightBlock, blocks: &[LightBlock], target: Height) -> Result<Syncer, SyncError> {
        let now = now_after(blocks.last().unwrap());
        let mut s = Syncer::new(trusted.clone(), target, VerifyOptions::default())?;
        while let Next::Fetch(h) = s.next() {
            s.feed(blocks[(h.0 - 1) as usize].clone(), now)?;
        }
        Ok(s)
    }

    /// Four validators; at heights 201, 401, 601 and 801 half of the set is
    /// replaced (keys 2e..2e+4 in epoch e), so two changes apart no trusted
    /// validator is left and the sync must bisect.
    fn rotating(h: Height) -> Vec<(u32, u64)> {
        let e = ((h.0 - 1) / 200) as u32;
        (0..4).map(|i| (2 * e + i, 10 + u64::from(i))).collect()
    }

    #[test]
    fn skipping_over_1000_headers_with_4_set_changes_verifies_at_most_20_commits() {
        let blocks = ChainBuilder::new().build(1000, &rotating);
        let s = sync(&blocks[0], &blocks, Height(1000)).unwrap();
        assert_eq!(s.trusted(), &blocks[999]);
        let commits = s.commits_verified();
        println!("skipping sync over 1000 headers with 4 set changes: {commits} commits verified");
        assert!(commits <= 20, "{commits} commits verified");
        assert!(commits >= 4, "a chain with no trusted overlap across two changes needs intermediate hops; got {commits}");
        // Restart from the persisted trusted state: the head is one commit away.
        let persisted = LightBlock::decode(&blocks[899].encode()).unwrap();
        let s = sync(&persisted, &blocks, Height(1000)).unwrap();
        assert_eq!(s.commits_verified(), 1);
    }

    #[test]
    fn bisection_finds_the_intermediate_header() {
        let blocks = ChainBuilder::new().build(9, &|h| {
            if h.0 < 5 { four() } else { vec![(3, 10), (4, 10), (5, 10), (6, 10)] }
        });
        let mut s = Syncer::new(blocks[0].clone(), Height(9), VerifyOptions::default()).unwrap();
        let now = now_after(&blocks[8]);
        assert_eq!(s.next(), Next::Fetch(Height(9)));
        assert_eq!(s.feed(blocks[8].clone(), now).unwrap(), vec![]);
        assert_eq!(s.next(), Next::Fetch(Height(5)));
        assert_eq!(s.feed(blocks[4].clone(), now).unwrap(), vec![]);
        assert_eq!(s.next(), Next::Fetch(Height(3)));
        let v = s.feed(blocks[2].clone(), now).unwrap();
        assert_eq!(v, vec![blocks[2].clone()]);
        assert_eq!(s.next(), Next::Fetch(Height(4)));
        // 4 → 5 is adjacent (hash chain), then 5 → 9 shares the new set.
        let v = s.feed(blocks[3].clone(), now).unwrap();
        assert_eq!(v.iter().map(LightBlock::height).collect::<Vec<_>>(), vec![Height(4), Height(5), Height(9)]);
        assert_eq!(s.next(), Next::Done);
        assert_eq!(s.commits_verified(), 4);
    }

    #[test]
    fn a_forged_block_stops_the_sync_with_its_height_and_reason() {
        let blocks = chain(20);
        let mut forged = blocks.clone();
        let mut keys = Keyring::new(b"test");
        forged[19] = resign(&blocks[19], &mut keys, &four(), &[0, 1], |_| {});
        match sync(&blocks[0], &forged, Height(20)) {
            Err(SyncError::Rejected { height, reason: VerifyError::InsufficientVotingPower { .. } }) => {
                assert_eq!(height, Height(20))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_forged_chain_signed_by_outsiders_is_rejected_at_the_hash_chain() {
        let blocks = chain(16);
        let liar = ChainBuilder { seed: b"forger".to_vec(), ..ChainBuilder::new() }.build(16, &|_| four());
        let mut served = blocks[..8].to_vec();
        served.extend_from_slice(&liar[8..]);
        match sync(&blocks[0], &served, Height(16)) {
            Err(SyncError::Rejected { height, reason: VerifyError::ValidatorSetChainBroken { .. } }) => {
                assert_eq!(height, Height(9))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn feeding_the_wrong_height_is_refused() {
        let blocks = chain(4);
        let mut s = Syncer::new(blocks[0].clone(), Height(4), VerifyOptions::default()).unwrap();
        assert!(matches!(s.feed(blocks[2].clone(), now_after(&blocks[3])), Err(SyncError::UnexpectedHeight { .. })));
        assert!(matches!(Syncer::new(blocks[3].clone(), Height(2), VerifyOptions::default()), Err(SyncError::TargetBelowTrusted { .. })));
        assert_eq!(Syncer::new(blocks[3].clone(), Height(4), VerifyOptions::default()).unwrap().next(), Next::Done);
    }
}

mod forks {
    use super::*;

    #[test]
    fn an_agreeing_witness() {
        let blocks = chain(10);
        let mut d = Detector::new(blocks[0].clone(), blocks[9].clone(), VerifyOptions::default());
        assert_eq!(d.next(), Height(10));
        assert_eq!(d.feed(blocks[9].clone(), now_after(&blocks[9])), Some(Verdict::Agree));
    }

    #[test]
    fn equivocation_becomes_evidence() {
        let blocks = chain(10);
        let mut keys = Keyring::new(b"test");
        // The same validators sign a second block at height 10.
        let conflicting = resign(&blocks[9], &mut keys, &four(), &[0, 1, 2, 3], |h| h.state_root = StateRoot([0xee; 32]));
        let mut d = Detector::new(blocks[0].clone(), blocks[9].clone(), VerifyOptions::default());
        match d.feed(conflicting.clone(), now_after(&blocks[9])) {
            Some(Verdict::Fork(ev)) => {
                assert_eq!(ev.height(), Height(10));
                assert_eq!(ev.common_height, Height(1));
                assert_eq!(ev.witness, conflicting);
                assert!(ev.is_conflict());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lying_witness_is_faulty_not_evidence() {
        let blocks = chain(10);
        let liar = ChainBuilder { seed: b"forger".to_vec(), ..ChainBuilder::new() }.build(10, &|_| four());
        let mut d = Detector::new(blocks[0].clone(), blocks[9].clone(), VerifyOptions::default());
        let now = now_after(&blocks[9]);
        let mut block = liar[9].clone();
        loop {
            match d.feed(block, now) {
                None => block = liar[(d.next().0 - 1) as usize].clone(),
                Some(Verdict::WitnessFaulty(SyncError::Rejected { .. })) => break,
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn produce_is_deterministic() {
        let mut a = Keyring::new(b"seed");
        let mut b = Keyring::new(b"seed");
        let spec = BlockSpec {
            chain_id: ChainId(5),
            height: Height(1),
            time: Timestamp(1),
            parent_hash: BlockHash::default(),
            state_root: StateRoot::EMPTY_TRIE,
            da_root: DaRoot::EMPTY,
        };
        assert_eq!(produce(&mut a, &spec, &four(), &four()), produce(&mut b, &spec, &four(), &four()));
    }
}
