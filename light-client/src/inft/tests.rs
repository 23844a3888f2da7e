//! Round trips, the committed test vectors and every tamper case of the envelope and the seal.

use super::*;
use crate::storage::FileCommitment;

const KEY: [u8; 32] = {
    let mut k = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        k[i] = i as u8;
        i += 1;
    }
    k
};
const PREFIX: NoncePrefix = NoncePrefix([0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6]);

fn key() -> DataKey {
    DataKey::from_bytes(KEY)
}

fn small() -> ChunkSize {
    ChunkSize::from_log2(10).expect("1 KiB is allowed")
}

fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

/// Encrypts `files` pushing `step` bytes at a time.
fn encrypt(files: &[(&str, Vec<u8>)], chunk: ChunkSize, prefix: NoncePrefix, step: usize) -> (Vec<u8>, Encrypted) {
    let manifest = Manifest::new(
        files.iter().map(|(n, d)| FileEntry { name: (*n).to_owned(), length: d.len() as u64 }).collect(),
    )
    .expect("valid manifest");
    let mut enc = Encryptor::new(&key(), prefix, chunk, manifest);
    let expected_len = enc.ciphertext_len();
    let mut out = Vec::new();
    let all: Vec<u8> = files.iter().flat_map(|(_, d)| d.clone()).collect();
    for piece in all.chunks(step.max(1)) {
        enc.push(piece, &mut out).expect("push");
    }
    let done = enc.finish(&mut out).expect("finish");
    assert_eq!(out.len() as u64, expected_len);
    (out, done)
}

/// Decrypts, pushing `step` bytes at a time; returns the files.
fn decrypt(ct: &[u8], key: DataKey, step: usize) -> Result<(Vec<Vec<u8>>, Opened), EnvelopeError> {
    let mut dec = Decryptor::new(key);
    let mut pieces = Vec::new();
    for piece in ct.chunks(step.max(1)) {
        pieces.extend(dec.push(piece)?);
    }
    let opened = dec.finish()?;
    pieces.extend(opened.last.clone());
    let mut files = vec![Vec::new(); opened.manifest.files().len()];
    for p in pieces {
        files[p.file].extend_from_slice(&p.bytes);
    }
    Ok((files, opened))
}

fn two_files() -> Vec<(&'static str, Vec<u8>)> {
    vec![("agent.json", br#"{"name":"aloft","model":"demo"}"#.to_vec()), ("memory.bin", pattern(2500, 7))]
}

#[test]
fn round_trips_in_any_slice_sizes() {
    let cases: Vec<Vec<(&str, Vec<u8>)>> = vec![
        vec![("one", b"x".to_vec())],
        vec![("empty", Vec::new())],
        vec![("a", Vec::new()), ("b", pattern(1024 - 12, 1)), ("c", Vec::new())],
        two_files(),
        vec![("exact", pattern(3 * 1024 - 2 - 1 - 5 - 8, 3))],
        vec![("big", pattern(200_000, 9))],
    ];
    for files in cases {
        for step in [1, 7, 1024, 1040, 100_000] {
            let (ct, enc) = encrypt(&files, small(), PREFIX, step);
            assert_eq!(enc.commitment, FileCommitment::of_bytes(&ct).expect("root"));
            for dstep in [1, 13, 1040, 1 << 20] {
                let (got, opened) = decrypt(&ct, key(), dstep).expect("opens");
                assert_eq!(opened.commitment.root, enc.commitment.root);
                assert_eq!(opened.manifest, enc.manifest);
                for (g, (_, want)) in got.iter().zip(&files) {
                    assert_eq!(g, want);
                }
            }
        }
    }
}

#[test]
fn default_chunk_size_round_trips_megabytes() {
    let files = vec![("weights.bin", pattern(3 * 1024 * 1024 + 17, 5)), ("prompt.txt", b"be kind".to_vec())];
    let (ct, enc) = encrypt(&files, ChunkSize::DEFAULT, PREFIX, 65_000);
    assert_eq!(ct.len() as u64, ciphertext_len(enc.manifest.plaintext_len(), ChunkSize::DEFAULT));
    let (got, _) = decrypt(&ct, key(), 100_003).expect("opens");
    assert_eq!(got[0], files[0].1);
    assert_eq!(got[1], files[1].1);
}

/// The docs/protocol.md vector: one 5-byte file, every byte fixed.
#[test]
fn vector_single_file_is_byte_exact() {
    let (ct, enc) = encrypt(&[("a.txt", b"hello".to_vec())], small(), PREFIX, 5);
    let want = include_str!("golden/hello.hex").trim();
    assert_eq!(hex::encode(&ct), want);
    assert_eq!(enc.commitment.root.to_string(), include_str!("golden/hello.root").trim());
}

/// Two files over three 1 KiB chunks.
#[test]
fn vector_two_files_three_chunks_is_byte_exact() {
    let (ct, enc) = encrypt(&two_files(), small(), PREFIX, 100);
    assert_eq!(hex::encode(&ct), include_str!("golden/two-files.hex").trim());
    assert_eq!(enc.commitment.root.to_string(), include_str!("golden/two-files.root").trim());
}

fn three_chunk_ct() -> Vec<u8> {
    encrypt(&two_files(), small(), PREFIX, 4096).0
}

const FULL: usize = 1024 + 16;

fn chunk_range(i: usize) -> core::ops::Range<usize> {
    HEADER_LEN + i * FULL..HEADER_LEN + (i + 1) * FULL
}

#[test]
fn wrong_key_is_named_before_any_chunk() {
    let ct = three_chunk_ct();
    let err = decrypt(&ct, DataKey::from_bytes([9; 32]), 1000).expect_err("wrong key");
    assert_eq!(err, EnvelopeError::WrongKey);
}

#[test]
fn truncation_at_a_chunk_boundary() {
    let ct = three_chunk_ct();
    let cut = &ct[..chunk_range(1).end];
    let err = decrypt(cut, key(), 333).expect_err("truncated");
    assert_eq!(err, EnvelopeError::Truncated { received: cut.len() as u64, expected: ct.len() as u64 });
}

#[test]
fn truncation_inside_a_chunk_and_inside_the_header() {
    let ct = three_chunk_ct();
    for cut in [ct.len() - 1, ct.len() - 17, chunk_range(2).start + 3] {
        let err = decrypt(&ct[..cut], key(), 500).expect_err("truncated");
        assert_eq!(err, EnvelopeError::Truncated { received: cut as u64, expected: ct.len() as u64 });
    }
    for cut in [0, 1, HEADER_LEN - 1, HEADER_LEN] {
        let err = decrypt(&ct[..cut], key(), 500).expect_err("truncated");
        assert!(matches!(err, EnvelopeError::Truncated { .. }), "{cut}: {err:?}");
    }
}

#[test]
fn truncation_inside_a_multi_chunk_manifest() {
    // 40 files with 250-byte names: the manifest alone spans ten 1 KiB chunks.
    let names: Vec<String> = (0..40).map(|i| format!("{i:0>250}")).collect();
    let files: Vec<(&str, Vec<u8>)> = names.iter().map(|n| (n.as_str(), b"z".to_vec())).collect();
    let (ct, _) = encrypt(&files, small(), PREFIX, 64);
    let cut = &ct[..chunk_range(3).end];
    let err = decrypt(cut, key(), 64).expect_err("truncated");
    assert!(matches!(err, EnvelopeError::Truncated { received, .. } if received == cut.len() as u64), "{err:?}");
}

#[test]
fn reordered_chunks_are_named() {
    let mut ct = three_chunk_ct();
    let (a, b) = (ct[chunk_range(0)].to_vec(), ct[chunk_range(1)].to_vec());
    ct[chunk_range(0)].copy_from_slice(&b);
    ct[chunk_range(1)].copy_from_slice(&a);
    let err = decrypt(&ct, key(), 700).expect_err("reordered");
    assert_eq!(err, EnvelopeError::Reordered { position: 0, belongs_at: 1 });
}

#[test]
fn a_dropped_middle_chunk_is_named() {
    let ct = three_chunk_ct();
    let mut cut = ct[..chunk_range(1).start].to_vec();
    cut.extend_from_slice(&ct[chunk_range(1).end..]);
    // The last chunk now sits at position 1 and the envelope is one chunk short.
    let err = decrypt(&cut, key(), 700).expect_err("dropped");
    assert_eq!(err, EnvelopeError::Truncated { received: cut.len() as u64, expected: ct.len() as u64 });
    // In a longer envelope the chunk after the gap is met as a middle chunk at the wrong place.
    let (long, _) = encrypt(&[("f", pattern(6000, 2))], small(), PREFIX, 4096);
    let mut gap = long[..chunk_range(1).start].to_vec();
    gap.extend_from_slice(&long[chunk_range(1).end..]);
    let err = decrypt(&gap, key(), 700).expect_err("dropped");
    assert_eq!(err, EnvelopeError::Reordered { position: 1, belongs_at: 2 });
}

#[test]
fn a_chunk_swapped_in_from_another_envelope_is_tampered() {
    let ct = three_chunk_ct();
    let other = encrypt(&two_files(), small(), NoncePrefix([1; 7]), 4096).0;
    let mut mixed = ct.clone();
    mixed[chunk_range(1)].copy_from_slice(&other[chunk_range(1)]);
    assert_eq!(decrypt(&mixed, key(), 4096).expect_err("swapped"), EnvelopeError::Tampered { index: 1 });
}

#[test]
fn appended_bytes_are_named() {
    let ct = three_chunk_ct();
    let mut longer = ct.clone();
    longer.extend_from_slice(b"extra");
    let err = decrypt(&longer, key(), 1).expect_err("appended");
    assert_eq!(err, EnvelopeError::TrailingData { extra: 1, expected: ct.len() as u64 });
    let mut again = ct.clone();
    again.extend_from_slice(&ct[chunk_range(2).start..]);
    let err = decrypt(&again, key(), 100_000).expect_err("appended chunk");
    assert!(matches!(err, EnvelopeError::TrailingData { .. }), "{err:?}");
}

#[test]
fn a_last_chunk_before_the_end_is_named() {
    // One full 1 KiB chunk (12 manifest bytes + 1012 file bytes) is sealed as the last chunk;
    // bytes after it make the decryptor open it as a middle chunk.
    let (mut ct, _) = encrypt(&[("f", pattern(1012, 1))], small(), PREFIX, 4096);
    assert_eq!(ct.len(), HEADER_LEN + FULL);
    ct.extend_from_slice(&[0u8; 20]);
    let err = Decryptor::new(key()).push(&ct).expect_err("last chunk not last");
    assert_eq!(err, EnvelopeError::LastChunkNotLast { position: 0 });
}

#[test]
fn flipped_bits_are_tampered() {
    let ct = three_chunk_ct();
    for at in [chunk_range(0).start, chunk_range(1).start + 500, ct.len() - 1] {
        let mut bad = ct.clone();
        bad[at] ^= 0x01;
        let err = decrypt(&bad, key(), 999).expect_err("tampered");
        assert!(matches!(err, EnvelopeError::Tampered { .. }), "{at}: {err:?}");
    }
    // The nonce prefix is bound as associated data too.
    let mut bad = ct.clone();
    bad[9] ^= 0x80;
    assert_eq!(decrypt(&bad, key(), 999).expect_err("prefix"), EnvelopeError::Tampered { index: 0 });
}

#[test]
fn header_fields_are_checked() {
    let ct = three_chunk_ct();
    let mut bad = ct.clone();
    bad[0] = b'X';
    assert_eq!(decrypt(&bad, key(), 64).expect_err("magic"), EnvelopeError::BadMagic);
    let mut bad = ct.clone();
    bad[7] = 2;
    assert_eq!(decrypt(&bad, key(), 64).expect_err("version"), EnvelopeError::UnsupportedVersion(2));
    let mut bad = ct.clone();
    bad[8] = 30;
    assert_eq!(decrypt(&bad, key(), 64).expect_err("chunk"), EnvelopeError::BadChunkSize { log2: 30 });
    // Another valid chunk size breaks the commitment to the header.
    let mut bad = ct;
    bad[8] = 11;
    assert!(decrypt(&bad, key(), 64).is_err());
}

#[test]
fn a_failed_decryptor_stays_failed() {
    let mut ct = three_chunk_ct();
    ct[100] ^= 1;
    let mut dec = Decryptor::new(key());
    assert!(dec.push(&ct[..2000]).is_err());
    assert_eq!(dec.push(&ct[2000..]).expect_err("poisoned"), EnvelopeError::Poisoned);
}

#[test]
fn encryptor_checks_the_pushed_length() {
    let m = Manifest::new(vec![FileEntry { name: "a".into(), length: 4 }]).expect("manifest");
    let mut enc = Encryptor::new(&key(), PREFIX, small(), m.clone());
    let mut out = Vec::new();
    assert_eq!(enc.push(b"abcde", &mut out), Err(EnvelopeError::TooMuchData { pushed: 5, expected: 4 }));
    enc.push(b"ab", &mut out).expect("push");
    assert_eq!(enc.finish(&mut out).expect_err("short"), EnvelopeError::TooLittleData { pushed: 2, expected: 4 });
}

#[test]
fn manifest_rules() {
    let f = |name: &str, length| FileEntry { name: name.to_owned(), length };
    assert_eq!(Manifest::new(vec![]), Err(EnvelopeError::NoFiles));
    for name in ["", ".", "..", "a/b", "a\\b", "a\nb", &"x".repeat(256)] {
        assert!(matches!(Manifest::new(vec![f(name, 1)]), Err(EnvelopeError::BadFileName { .. })), "{name:?}");
    }
    assert!(matches!(Manifest::new(vec![f("a", 1), f("a", 2)]), Err(EnvelopeError::DuplicateFileName { .. })));
    assert!(matches!(
        Manifest::new(vec![f("a", MAX_TOTAL_LEN), f("b", 1)]),
        Err(EnvelopeError::TooLarge { .. })
    ));
    assert!(Manifest::new(vec![f("a", MAX_TOTAL_LEN)]).is_ok());
    let many: Vec<FileEntry> = (0..=MAX_FILES).map(|i| f(&i.to_string(), 0)).collect();
    assert!(matches!(Manifest::new(many), Err(EnvelopeError::TooManyFiles { .. })));
    assert_eq!(ChunkSize::from_log2(9), Err(EnvelopeError::BadChunkSize { log2: 9 }));
    assert_eq!(ChunkSize::from_log2(21), Err(EnvelopeError::BadChunkSize { log2: 21 }));
}

// ---- ECIES ----

fn sk(byte: u8) -> SecretKey {
    SecretKey::from_bytes(&[byte; 32]).expect("valid scalar")
}

#[test]
fn ecies_vector_is_byte_exact() {
    let receiver = sk(0x42).public_key();
    let sealed = seal_data_key(&receiver, &key(), &[0x07; 32], &[0x5a; 16]).expect("seal");
    assert_eq!(sealed.len(), SEALED_KEY_LEN);
    assert_eq!(hex::encode(&sealed), include_str!("golden/sealed-key.hex").trim());
    assert_eq!(open_data_key(&sk(0x42), &sealed).expect("open"), key());
}

#[test]
fn ecies_accepts_every_public_key_form() {
    let s = sk(0x42);
    let p = s.public_key();
    for form in [p.to_compressed().to_vec(), p.to_uncompressed().to_vec(), p.to_raw64().to_vec()] {
        let to = PublicKey::from_bytes(&form).expect("parses");
        let sealed = seal(&to, b"secret message", &[3; 32], &[4; 16]).expect("seal");
        assert_eq!(open(&s, &sealed).expect("open"), b"secret message");
    }
}

#[test]
fn ecies_errors_are_typed() {
    let s = sk(0x42);
    let sealed = seal_data_key(&s.public_key(), &key(), &[7; 32], &[1; 16]).expect("seal");
    assert_eq!(open_data_key(&sk(0x43), &sealed), Err(EciesError::WrongKeyOrCorrupt));
    let mut bad = sealed.clone();
    bad[SEALED_KEY_LEN - 1] ^= 1;
    assert_eq!(open_data_key(&s, &bad), Err(EciesError::WrongKeyOrCorrupt));
    assert_eq!(open_data_key(&s, &sealed[..96]), Err(EciesError::Truncated { len: 96, min: SEAL_OVERHEAD }));
    let mut bad = sealed.clone();
    bad[1] ^= 1;
    assert!(matches!(open_data_key(&s, &bad), Err(EciesError::BadEphemeralKey | EciesError::WrongKeyOrCorrupt)));
    bad[0] = 5;
    assert_eq!(open_data_key(&s, &bad), Err(EciesError::BadEphemeralKey));
    let short = seal(&s.public_key(), b"abc", &[7; 32], &[1; 16]).expect("seal");
    assert_eq!(open_data_key(&s, &short), Err(EciesError::NotADataKey { len: 3 }));
    assert_eq!(PublicKey::from_bytes(&[5; 33]), Err(EciesError::BadPublicKey { len: 33 }));
    assert_eq!(PublicKey::from_bytes(&[4; 10]), Err(EciesError::BadPublicKey { len: 10 }));
    assert_eq!(SecretKey::from_bytes(&[0; 32]).err(), Some(EciesError::BadSecretKey));
    assert_eq!(SecretKey::from_bytes(&[0xff; 32]).err(), Some(EciesError::BadSecretKey));
    assert_eq!(seal(&s.public_key(), b"x", &[0; 32], &[0; 16]), Err(EciesError::BadEphemeralSecret));
}
