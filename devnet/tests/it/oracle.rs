//! The simulated-TEE transfer oracle end to end on a devnet: an agent is
//! encrypted, uploaded and minted with a sealed key; the oracle re-encrypts
//! it for the receiver; `iTransferFrom` accepts the oracle's proof on chain;
//! the receiver unseals and decrypts byte-identical files that the old key
//! cannot open; forged, replayed and wrong-receiver proofs are refused on
//! chain, and the oracle refuses a wrong key, a hash mismatch, a replayed
//! nonce and a wrong receiver key with its own errors.

use std::sync::Arc;

use alloy_consensus::Transaction as _;
use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::{SolCall, SolError, SolEvent, sol};
use aloft_devnet::Devnet;
use aloft_devnet::contracts;
use aloft_devnet::evm::ExecutionLayer;
use aloft_devnet::evm::chain::CallRequest;
use aloft_light_client::inft::{
    ChunkSize, DataKey, Decryptor, EnvelopeError, Encryptor, FileEntry, Manifest, NoncePrefix, PublicKey, SecretKey,
    open_data_key, seal_data_key,
};
use aloft_light_client::storage::{
    Coding, FileLayout, FileTree, Root, SEGMENT_SIZE, SegmentIndex, ShardIndex, ShardWithProof, reconstruct_segment,
};
use serde_json::{Value, json};

use crate::util::{account, eip1559};

sol! {
    enum OracleType { TEE, ZKP }
    struct AccessProof { bytes32 dataHash; bytes targetPubkey; bytes nonce; bytes proof; }
    struct OwnershipProof { OracleType oracleType; bytes32 dataHash; bytes sealedKey; bytes targetPubkey; bytes nonce; bytes proof; }
    struct TransferValidityProof { AccessProof accessProof; OwnershipProof ownershipProof; }
    struct IntelligentData { string dataDescription; bytes32 dataHash; }
    interface Nft {
        error ERC7857AccessAssistantMismatch();
        event PublishedSealedKey(address indexed _to, uint256 indexed _tokenId, bytes[] _sealedKeys);
        event Cloned(uint256 indexed _tokenId, uint256 indexed _newTokenId, address _from, address _to);
        function mint(IntelligentData[] iDatas, address to) returns (uint256);
        function update(uint256 tokenId, IntelligentData[] newDatas);
        function ownerOf(uint256 tokenId) returns (address);
        function intelligentDatasOf(uint256 tokenId) returns (IntelligentData[]);
        function iTransferFrom(address from, address to, uint256 tokenId, TransferValidityProof[] proofs);
        function iCloneFrom(address from, address to, uint256 tokenId, TransferValidityProof[] proofs) returns (uint256);
    }
    interface Verifier {
        error InvalidOwnershipProof();
        error ProofAlreadyUsed(bytes32 nonceKey);
    }
}

fn post(url: &str, body: &Value) -> Value {
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let mut res = agent.post(url).send_json(body).expect("request sent");
    let text = res.body_mut().with_config().limit(64 << 20).read_to_string().expect("body");
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}

fn rpc(url: &str, method: &str, params: Value) -> Value {
    post(url, &json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
}

/// The agent's files: a config and a ~1.3 MiB "weights" file (six segments once encrypted).
fn agent() -> Vec<(String, Vec<u8>)> {
    let weights: Vec<u8> = (0..1_300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    vec![("agent.json".into(), br#"{"name":"test agent","temperature":0.2}"#.to_vec()), ("weights.bin".into(), weights)]
}

fn encrypt(files: &[(String, Vec<u8>)], key: &DataKey) -> Vec<u8> {
    let manifest =
        Manifest::new(files.iter().map(|(n, d)| FileEntry { name: n.clone(), length: d.len() as u64 }).collect()).unwrap();
    let mut enc = Encryptor::new(key, NoncePrefix([3; 7]), ChunkSize::DEFAULT, manifest);
    let mut out = Vec::new();
    for (_, d) in files {
        enc.push(d, &mut out).unwrap();
    }
    enc.finish(&mut out).unwrap();
    out
}

fn decrypt(ct: &[u8], key: DataKey) -> Result<Vec<(String, Vec<u8>)>, EnvelopeError> {
    let mut dec = Decryptor::new(key);
    let mut pieces = dec.push(ct)?;
    let opened = dec.finish()?;
    pieces.extend(opened.last);
    let mut files: Vec<(String, Vec<u8>)> = opened.manifest.files().iter().map(|f| (f.name.clone(), Vec::new())).collect();
    for p in pieces {
        files[p.file].1.extend_from_slice(&p.bytes);
    }
    Ok(files)
}

/// Submits and uploads `data` the way `aloft upload` does, over HTTP.
fn upload(devnet: &Devnet, data: &[u8]) -> Root {
    let tree = FileTree::of_bytes(data).unwrap();
    let answer = post(&format!("{}/storage/submissions", devnet.control_url()), &json!(tree.commitment().submission(vec![])));
    assert_eq!(answer["root"], json!(tree.root()), "{answer}");
    let urls = devnet.storage_urls();
    let layout = tree.layout().unwrap();
    for i in 0..layout.data_segments() {
        let range = layout.segment_file_range(SegmentIndex(i)).unwrap();
        let bytes = &data[range.start as usize..range.end as usize];
        for shard in tree.shards_with_proof(Coding::DEFAULT, SegmentIndex(i), bytes).unwrap() {
            let peer = (i as usize + usize::from(shard.shard.0)) % urls.len();
            let answer = rpc(&urls[peer], "aloft_uploadShard", json!([shard]));
            assert!(answer.get("error").is_none(), "{answer}");
        }
    }
    tree.root()
}

/// Downloads `root` from the peers over HTTP, every segment verified.
fn download(devnet: &Devnet, root: Root, size: u64) -> Vec<u8> {
    let urls = devnet.storage_urls();
    let layout = FileLayout::new(size).unwrap();
    let mut out = Vec::new();
    for i in 0..layout.data_segments() {
        let mut shards = vec![None; Coding::DEFAULT.total_shards()];
        let mut proof = None;
        for j in 0..Coding::DEFAULT.data_shards() {
            let peer = (i as usize + j) % urls.len();
            let answer = rpc(&urls[peer], "aloft_downloadShard", json!([root, i, j]));
            let shard: ShardWithProof = serde_json::from_value(answer["result"].clone()).expect("shard served");
            assert_eq!(shard.shard, ShardIndex(j as u16));
            proof = Some(shard.proof.clone());
            shards[j] = Some(shard.data);
        }
        let seg = reconstruct_segment(&root, size, SegmentIndex(i), Coding::DEFAULT, &proof.unwrap(), &shards).unwrap();
        let range = layout.segment_file_range(SegmentIndex(i)).unwrap();
        out.extend_from_slice(&seg.data[..(range.end - range.start) as usize]);
    }
    assert!(out.len() <= SEGMENT_SIZE * layout.data_segments() as usize);
    out
}

enum Outcome {
    Ok(Vec<alloy_primitives::Log>),
    Reverted(Bytes),
}

fn send(evm: &ExecutionLayer, from: &PrivateKeySigner, to: Address, data: Vec<u8>) -> Outcome {
    let nonce = evm.read().next_nonce(&from.address());
    let raw = eip1559(from, 31337, nonce, Some(to), U256::ZERO, data.into(), 3_000_000);
    let hash = evm.send_raw_transaction(&raw).unwrap();
    // The producer seals the transaction's block on its cadence (woken by the send).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while evm.read().transaction(&hash).is_none() {
        assert!(std::time::Instant::now() < deadline, "transaction {hash} was not mined within 30 s");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let chain = evm.read();
    let (block, index) = chain.transaction(&hash).unwrap();
    let receipt = &block.receipts[index];
    if receipt.envelope.status() {
        return Outcome::Ok(receipt.envelope.logs().to_vec());
    }
    let req = CallRequest { from: Some(from.address()), to: Some(to), data: block.transactions[index].inner().input().clone(), ..Default::default() };
    match chain.call(block.header.number - 1, &req) {
        Err(aloft_devnet::evm::ChainError::Reverted { data, .. }) => Outcome::Reverted(data),
        other => panic!("failed transaction did not revert on replay: {other:?}"),
    }
}

fn ok(evm: &ExecutionLayer, from: &PrivateKeySigner, to: Address, data: Vec<u8>) -> Vec<alloy_primitives::Log> {
    match send(evm, from, to, data) {
        Outcome::Ok(logs) => logs,
        Outcome::Reverted(d) => panic!("reverted: {d}"),
    }
}

fn reverts_with<E: SolError>(evm: &ExecutionLayer, from: &PrivateKeySigner, to: Address, data: Vec<u8>) {
    match send(evm, from, to, data) {
        Outcome::Ok(_) => panic!("expected {} but the transaction succeeded", E::SIGNATURE),
        Outcome::Reverted(d) => assert_eq!(&d[..4], E::SELECTOR, "expected {} but got {d}", E::SIGNATURE),
    }
}

fn view<C: SolCall>(evm: &ExecutionLayer, to: Address, call: C) -> C::Return {
    let req = CallRequest { to: Some(to), data: call.abi_encode().into(), ..Default::default() };
    let chain = evm.read();
    C::abi_decode_returns(&chain.call(chain.head().header.number, &req).unwrap().output).unwrap()
}

fn raw_pubkey(signer: &PrivateKeySigner) -> Bytes {
    Bytes::from(signer.credential().verifying_key().to_encoded_point(false).as_bytes()[1..].to_vec())
}

fn secret(signer: &PrivateKeySigner) -> SecretKey {
    SecretKey::from_bytes(signer.to_bytes().as_slice()).unwrap()
}

/// The receiver's access proof: EIP-191 over keccak256(dataHash ‖ targetPubkey(empty) ‖ nonce).
fn access(receiver: &PrivateKeySigner, data_hash: B256, nonce: &[u8]) -> Value {
    let inner = keccak256([data_hash.as_slice(), nonce].concat());
    let sig = receiver.sign_message_sync(format!("{inner:#x}").as_bytes()).unwrap();
    json!({"dataHash": data_hash, "targetPubkey": "0x", "nonce": Bytes::from(nonce.to_vec()), "proof": Bytes::from(sig.as_bytes().to_vec())})
}

fn sealed_to_oracle(oracle: &PublicKey, key: &DataKey, seed: u8) -> Bytes {
    Bytes::from(seal_data_key(oracle, key, &[seed; 32], &[seed; 16]).unwrap())
}

fn proof_of(answer: &Value) -> TransferValidityProof {
    let r = &answer["result"];
    assert!(r.is_object(), "oracle refused: {answer}");
    let a = &r["accessProof"];
    let o = &r["ownershipProof"];
    let b = |v: &Value| -> Bytes { v.as_str().unwrap().parse().unwrap() };
    let h = |v: &Value| -> B256 { v.as_str().unwrap().parse().unwrap() };
    assert_eq!(o["oracleType"], json!(0));
    TransferValidityProof {
        accessProof: AccessProof { dataHash: h(&a["dataHash"]), targetPubkey: b(&a["targetPubkey"]), nonce: b(&a["nonce"]), proof: b(&a["proof"]) },
        ownershipProof: OwnershipProof {
            oracleType: OracleType::TEE,
            dataHash: h(&o["dataHash"]),
            sealedKey: b(&o["sealedKey"]),
            targetPubkey: b(&o["targetPubkey"]),
            nonce: b(&o["nonce"]),
            proof: b(&o["proof"]),
        },
    }
}

fn error_of(answer: &Value) -> (i64, String) {
    (answer["error"]["code"].as_i64().unwrap_or(0), answer["error"]["message"].as_str().unwrap_or("").to_string())
}

#[tokio::test(flavor = "multi_thread")]
async fn oracle_transfer_and_clone_on_the_devnet() {
    let devnet = Arc::new(Devnet::builder().ephemeral_ports().spawn().await.unwrap());
    let d = devnet.clone();
    tokio::task::spawn_blocking(move || run(&d)).await.unwrap();
}

fn run(devnet: &Devnet) {
    let evm = devnet.evm().as_ref();
    let at = contracts::addresses();
    let nft = at.agent_nft;
    let (alice, bob, carol, dave) = (account(0), account(1), account(2), account(3));
    let oracle_url = devnet.oracle_url();

    // The oracle says what it is and which key to seal to.
    let info = rpc(&oracle_url, "aloft_oracleInfo", json!([]))["result"].clone();
    assert_eq!(info["simulated"], json!(true));
    assert_eq!(info["address"].as_str().unwrap().parse::<Address>().unwrap(), at.oracle);
    let oracle_key = PublicKey::from_bytes(&hex::decode(&info["publicKey"].as_str().unwrap()[2..]).unwrap()).unwrap();

    // Alice encrypts, uploads and mints; her key is sealed to her own public key.
    let files = agent();
    let k1 = DataKey::from_bytes([0x11; 32]);
    let ct1 = encrypt(&files, &k1);
    let root1 = upload(devnet, &ct1);
    let h1 = B256::from(root1.0);
    let logs = ok(evm, &alice, nft, Nft::mintCall { iDatas: vec![IntelligentData { dataDescription: "agent".into(), dataHash: h1 }], to: alice.address() }.abi_encode());
    let token = U256::from_be_bytes(logs[0].topics()[3].0);
    let alice_pub = PublicKey::from_bytes(&raw_pubkey(&alice)).unwrap();
    let alice_sealed = seal_data_key(&alice_pub, &k1, &[9; 32], &[9; 16]).unwrap();
    assert_eq!(open_data_key(&secret(&alice), &alice_sealed).unwrap(), k1);

    let request = |sealed: Bytes, receiver: &PrivateKeySigner, pubkey: Bytes, access: Value| {
        json!([{"tokenId": token.to_string(), "sealedKey": sealed, "receiver": receiver.address(), "receiverPubkey": pubkey, "accessProof": access}])
    };

    // The oracle refuses: a key that is not the data's, an access proof for other data,
    // a receiver key that is not the receiver's.
    let wrong = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &DataKey::from_bytes([0x22; 32]), 1), &bob, raw_pubkey(&bob), access(&bob, h1, b"n-wrong-key")));
    let (code, message) = error_of(&wrong);
    assert_eq!(code, -32010, "{wrong}");
    assert!(message.contains("wrong key"), "{message}");
    let mismatch = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &k1, 2), &bob, raw_pubkey(&bob), access(&bob, keccak256("other"), b"n-hash")));
    assert_eq!(error_of(&mismatch).0, -32011, "{mismatch}");
    let wrong_rx = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &k1, 3), &bob, raw_pubkey(&carol), access(&bob, h1, b"n-rx")));
    assert_eq!(error_of(&wrong_rx).0, -32014, "{wrong_rx}");
    let stranger = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &k1, 4), &bob, raw_pubkey(&bob), access(&carol, h1, b"n-stranger")));
    assert_eq!(error_of(&stranger).0, -32013, "{stranger}");

    // The oracle re-encrypts for Bob.
    let answer = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &k1, 5), &bob, raw_pubkey(&bob), access(&bob, h1, b"n-bob-1")));
    let proof = proof_of(&answer);
    let h2: B256 = answer["result"]["newDataHash"].as_str().unwrap().parse().unwrap();
    let len2 = answer["result"]["newLength"].as_u64().unwrap();
    assert_ne!(h2, h1);
    assert_eq!(proof.ownershipProof.nonce.as_ref(), h2.as_slice(), "the ownership nonce is the new root");
    // The same access nonce again is refused by the oracle.
    let replay = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &k1, 6), &bob, raw_pubkey(&bob), access(&bob, h1, b"n-bob-1")));
    assert_eq!(error_of(&replay).0, -32012, "{replay}");

    // On chain: a forged ownership proof and a proof for another receiver are refused.
    let transfer = |to: Address, proofs: Vec<TransferValidityProof>| Nft::iTransferFromCall { from: alice.address(), to, tokenId: token, proofs }.abi_encode();
    let mut forged = proof.clone();
    let inner = keccak256([h1.as_slice(), &forged.ownershipProof.sealedKey, &forged.ownershipProof.targetPubkey, &forged.ownershipProof.nonce].concat());
    forged.ownershipProof.proof = Bytes::from(carol.sign_message_sync(format!("{inner:#x}").as_bytes()).unwrap().as_bytes().to_vec());
    reverts_with::<Verifier::InvalidOwnershipProof>(evm, &alice, nft, transfer(bob.address(), vec![forged]));
    reverts_with::<Nft::ERC7857AccessAssistantMismatch>(evm, &alice, nft, transfer(dave.address(), vec![proof.clone()]));

    // The real proof is accepted; the sealed key is published for Bob.
    let logs = ok(evm, &alice, nft, transfer(bob.address(), vec![proof.clone()]));
    let published = logs.iter().find_map(|l| Nft::PublishedSealedKey::decode_log(l).ok()).expect("PublishedSealedKey");
    assert_eq!(published._to, bob.address());
    assert_eq!(view(evm, nft, Nft::ownerOfCall { tokenId: token }), bob.address());
    // Replaying it is refused on chain.
    reverts_with::<Verifier::ProofAlreadyUsed>(evm, &bob, nft, Nft::iCloneFromCall { from: bob.address(), to: bob.address(), tokenId: token, proofs: vec![proof.clone()] }.abi_encode());

    // Bob unseals, points the token at his copy, downloads and decrypts byte-identical files.
    let k2 = open_data_key(&secret(&bob), &published._sealedKeys[0]).unwrap();
    assert!(open_data_key(&secret(&alice), &published._sealedKeys[0]).is_err(), "Alice cannot unseal Bob's key");
    ok(evm, &bob, nft, Nft::updateCall { tokenId: token, newDatas: vec![IntelligentData { dataDescription: "agent".into(), dataHash: h2 }] }.abi_encode());
    let ct2 = download(devnet, Root(h2.0), len2);
    assert_eq!(decrypt(&ct2, k2.clone()).unwrap(), files);
    assert_eq!(decrypt(&ct2, k1.clone()).unwrap_err(), EnvelopeError::WrongKey, "the old key cannot open the new ciphertext");

    // Clone: Bob gives Carol an independent copy.
    let h2_access = access(&carol, h2, b"n-carol-1");
    let answer = rpc(&oracle_url, "aloft_oracleTransfer", request(sealed_to_oracle(&oracle_key, &k2, 7), &carol, raw_pubkey(&carol), h2_access));
    let clone_proof = proof_of(&answer);
    let h3: B256 = answer["result"]["newDataHash"].as_str().unwrap().parse().unwrap();
    let len3 = answer["result"]["newLength"].as_u64().unwrap();
    let logs = ok(evm, &bob, nft, Nft::iCloneFromCall { from: bob.address(), to: carol.address(), tokenId: token, proofs: vec![clone_proof] }.abi_encode());
    let cloned = logs.iter().find_map(|l| Nft::Cloned::decode_log(l).ok()).expect("Cloned");
    let published = logs.iter().find_map(|l| Nft::PublishedSealedKey::decode_log(l).ok()).expect("PublishedSealedKey");
    assert_eq!(view(evm, nft, Nft::ownerOfCall { tokenId: cloned._newTokenId }), carol.address());
    assert_eq!(view(evm, nft, Nft::ownerOfCall { tokenId: token }), bob.address());
    let k3 = open_data_key(&secret(&carol), &published._sealedKeys[0]).unwrap();
    let ct3 = download(devnet, Root(h3.0), len3);
    assert_eq!(decrypt(&ct3, k3).unwrap(), files);
    assert_eq!(decrypt(&ct3, k2).unwrap_err(), EnvelopeError::WrongKey);
}
