//! The genesis contracts driven on the devnet's revm: every ERC-7857
//! function, the verifier's signature and nonce rules, and the flow's
//! submission rules (cross-checked against the light client's copy of them).

use alloy_primitives::{Address, B256, Bytes, U256, keccak256};
use alloy_signer::SignerSync;
use alloy_signer_local::PrivateKeySigner;
use alloy_consensus::Transaction as _;
use alloy_sol_types::{SolCall, SolError, SolEvent, sol};
use aloft_devnet::contracts::{self, Addresses};
use aloft_devnet::evm::chain::CallRequest;
use aloft_devnet::evm::{ExecutionLayer, Mining};

use crate::util::{account, eip1559};

sol! {
    enum OracleType { TEE, ZKP }
    struct AccessProof { bytes32 dataHash; bytes targetPubkey; bytes nonce; bytes proof; }
    struct OwnershipProof { OracleType oracleType; bytes32 dataHash; bytes sealedKey; bytes targetPubkey; bytes nonce; bytes proof; }
    struct TransferValidityProof { AccessProof accessProof; OwnershipProof ownershipProof; }
    struct IntelligentData { string dataDescription; bytes32 dataHash; }
    struct SubmissionNode { bytes32 root; uint256 height; }
    struct Submission { uint256 length; bytes tags; SubmissionNode[] nodes; }

    interface Nft {
        error ERC7857InvalidAuthorizedUser(address);
        error ERC7857AlreadyAuthorized();
        error ERC7857InvalidAssistant(address);
        error ERC7857EmptyProof();
        error ERC7857ProofCountMismatch();
        error ERC7857DataHashMismatch();
        error ERC7857AccessAssistantMismatch();
        error ERC7857WantedReceiverMismatch();
        error ERC7857NotAuthorized();
        error ERC721InsufficientApproval(address operator, uint256 tokenId);
        event PublishedSealedKey(address indexed _to, uint256 indexed _tokenId, bytes[] _sealedKeys);
        event Cloned(uint256 indexed _tokenId, uint256 indexed _newTokenId, address _from, address _to);
        event Authorization(address indexed _from, address indexed _to, uint256 indexed _tokenId);
        event AuthorizationRevoked(address indexed _from, address indexed _to, uint256 indexed _tokenId);
        event DelegateAccess(address indexed _user, address indexed _assistant);
        event Updated(uint256 indexed _tokenId, IntelligentData[] _oldDatas, IntelligentData[] _newDatas);
        function mint(IntelligentData[] iDatas, address to) returns (uint256);
        function update(uint256 tokenId, IntelligentData[] newDatas);
        function ownerOf(uint256 tokenId) returns (address);
        function verifier() returns (address);
        function supportsInterface(bytes4 id) returns (bool);
        function intelligentDatasOf(uint256 tokenId) returns (IntelligentData[]);
        function iTransferFrom(address from, address to, uint256 tokenId, TransferValidityProof[] proofs);
        function iCloneFrom(address from, address to, uint256 tokenId, TransferValidityProof[] proofs) returns (uint256);
        function authorizeUsage(uint256 tokenId, address user);
        function revokeAuthorization(uint256 tokenId, address user);
        function authorizedUsersOf(uint256 tokenId) returns (address[]);
        function delegateAccess(address assistant);
        function getDelegateAccess(address user) returns (address);
    }

    interface Verifier {
        error InvalidDataHash();
        error InvalidAccessProof();
        error InvalidOwnershipProof();
        error ProofAlreadyUsed(bytes32 nonceKey);
        function oracle() returns (address);
    }

    interface FlowContract {
        event Submit(address indexed sender, bytes32 indexed identity, uint256 submissionIndex, uint256 startPos, uint256 length, Submission submission);
        function submit(Submission submission) returns (uint256, bytes32, uint256, uint256);
        function valid(Submission submission) returns (bool);
        function numSubmissions() returns (uint256);
    }
}

struct Net {
    evm: ExecutionLayer,
    at: Addresses,
}

/// What a transaction did: success and logs, or the revert data.
enum Outcome {
    Ok(Vec<alloy_primitives::Log>),
    Reverted(Bytes),
}

impl Net {
    fn new() -> Self {
        let alloc: Vec<_> = (0..6).map(|i| (account(i).address(), U256::from(10u128.pow(22)))).collect();
        let evm = ExecutionLayer::open(31337, &alloc, &contracts::genesis_txs(None), None, Mining::Auto).unwrap();
        Self { evm, at: contracts::addresses() }
    }

    fn send(&self, from: &PrivateKeySigner, to: Address, data: Vec<u8>) -> Outcome {
        let nonce = self.evm.read().next_nonce(&from.address());
        let raw = eip1559(from, 31337, nonce, Some(to), U256::ZERO, data.into(), 2_000_000);
        let hash = self.evm.send_raw_transaction(&raw).unwrap();
        let chain = self.evm.read();
        let (block, index) = chain.transaction(&hash).unwrap();
        let receipt = &block.receipts[index];
        if receipt.envelope.status() {
            Outcome::Ok(receipt.envelope.logs().to_vec())
        } else {
            // Re-run as a call at the parent state to get the revert data.
            let req = CallRequest { from: Some(from.address()), to: Some(to), data: block.transactions[index].inner().input().clone(), ..Default::default() };
            match chain.call(block.header.number - 1, &req) {
                Err(aloft_devnet::evm::ChainError::Reverted { data, .. }) => Outcome::Reverted(data),
                other => panic!("failed transaction did not revert on replay: {other:?}"),
            }
        }
    }

    fn ok(&self, from: &PrivateKeySigner, to: Address, data: Vec<u8>) -> Vec<alloy_primitives::Log> {
        match self.send(from, to, data) {
            Outcome::Ok(logs) => logs,
            Outcome::Reverted(data) => panic!("reverted: {data}"),
        }
    }

    fn reverts(&self, from: &PrivateKeySigner, to: Address, data: Vec<u8>) -> Bytes {
        match self.send(from, to, data) {
            Outcome::Ok(_) => panic!("expected a revert"),
            Outcome::Reverted(data) => data,
        }
    }

    fn call<C: SolCall>(&self, to: Address, call: C) -> C::Return {
        let req = CallRequest { to: Some(to), data: call.abi_encode().into(), ..Default::default() };
        let chain = self.evm.read();
        let out = chain.call(chain.head().header.number, &req).unwrap();
        C::abi_decode_returns(&out.output).unwrap()
    }

    fn mint(&self, owner: &PrivateKeySigner, hashes: &[B256]) -> U256 {
        let datas = hashes.iter().map(|h| IntelligentData { dataDescription: "model".into(), dataHash: *h }).collect();
        let logs = self.ok(owner, self.at.agent_nft, Nft::mintCall { iDatas: datas, to: owner.address() }.abi_encode());
        U256::from_be_bytes(logs[0].topics()[3].0)
    }
}

/// EIP-191 signature over the 66-char hex of `inner`, as the verifier expects.
fn sign(signer: &PrivateKeySigner, inner: B256) -> Bytes {
    let text = format!("{inner:#x}");
    Bytes::from(signer.sign_message_sync(text.as_bytes()).unwrap().as_bytes().to_vec())
}

/// The uncompressed public key (X‖Y) of a signer.
fn pubkey(signer: &PrivateKeySigner) -> Bytes {
    let point = signer.credential().verifying_key().to_encoded_point(false);
    Bytes::from(point.as_bytes()[1..].to_vec())
}

struct ProofSpec<'a> {
    data_hash: B256,
    receiver_key: &'a PrivateKeySigner,
    access_signer: &'a PrivateKeySigner,
    oracle: &'a PrivateKeySigner,
    nonce: &'a [u8],
}

fn proof(p: ProofSpec<'_>) -> TransferValidityProof {
    let target = pubkey(p.receiver_key);
    let sealed = Bytes::from(b"sealed-key-for-receiver".to_vec());
    let access_nonce = Bytes::from([b"a".as_slice(), p.nonce].concat());
    let own_nonce = Bytes::from([b"o".as_slice(), p.nonce].concat());
    // The access proof names no wanted key (empty targetPubkey): the receiver takes the oracle's.
    let access_inner = keccak256([p.data_hash.as_slice(), &access_nonce].concat());
    let own_inner = keccak256([p.data_hash.as_slice(), &sealed, &target, &own_nonce].concat());
    TransferValidityProof {
        accessProof: AccessProof {
            dataHash: p.data_hash,
            targetPubkey: Bytes::new(),
            nonce: access_nonce,
            proof: sign(p.access_signer, access_inner),
        },
        ownershipProof: OwnershipProof {
            oracleType: OracleType::TEE,
            dataHash: p.data_hash,
            sealedKey: sealed,
            targetPubkey: target,
            nonce: own_nonce,
            proof: sign(p.oracle, own_inner),
        },
    }
}

fn assert_error<E: SolError>(data: &Bytes) {
    assert_eq!(&data[..4], E::SELECTOR, "expected {} but got {data}", E::SIGNATURE);
}

#[test]
fn erc7857_transfer_clone_authorize_and_delegate() {
    let net = Net::new();
    let nft = net.at.agent_nft;
    let (alice, bob, carol, assistant) = (account(0), account(1), account(2), account(3));
    let oracle = contracts::oracle_signer();
    let data_hash = keccak256("encrypted agent weights");

    assert_eq!(net.call(nft, Nft::verifierCall {}), net.at.verifier);
    assert_eq!(net.call(net.at.verifier, Verifier::oracleCall {}), oracle.address());
    assert!(net.call(nft, Nft::supportsInterfaceCall { id: [0x80, 0xac, 0x58, 0xcd].into() }), "ERC-721");

    let token = net.mint(&alice, &[data_hash]);
    assert_eq!(net.call(nft, Nft::ownerOfCall { tokenId: token }), alice.address());
    let datas = net.call(nft, Nft::intelligentDatasOfCall { tokenId: token });
    assert_eq!(datas[0].dataHash, data_hash);

    // authorizeUsage / authorizedUsersOf / revokeAuthorization, and their refusals.
    let logs = net.ok(&alice, nft, Nft::authorizeUsageCall { tokenId: token, user: carol.address() }.abi_encode());
    assert!(Nft::Authorization::decode_log_data(&logs[0].data).is_ok());
    assert_eq!(net.call(nft, Nft::authorizedUsersOfCall { tokenId: token }), vec![carol.address()]);
    assert_error::<Nft::ERC7857AlreadyAuthorized>(&net.reverts(&alice, nft, Nft::authorizeUsageCall { tokenId: token, user: carol.address() }.abi_encode()));
    assert_error::<Nft::ERC7857NotAuthorized>(&net.reverts(&bob, nft, Nft::authorizeUsageCall { tokenId: token, user: bob.address() }.abi_encode()));
    assert_error::<Nft::ERC7857InvalidAuthorizedUser>(&net.reverts(&alice, nft, Nft::revokeAuthorizationCall { tokenId: token, user: bob.address() }.abi_encode()));
    let logs = net.ok(&alice, nft, Nft::revokeAuthorizationCall { tokenId: token, user: carol.address() }.abi_encode());
    assert!(Nft::AuthorizationRevoked::decode_log_data(&logs[0].data).is_ok());
    assert!(net.call(nft, Nft::authorizedUsersOfCall { tokenId: token }).is_empty());

    // update by the owner only.
    let new_datas = vec![IntelligentData { dataDescription: "model v2".into(), dataHash: data_hash }];
    let logs = net.ok(&alice, nft, Nft::updateCall { tokenId: token, newDatas: new_datas.clone() }.abi_encode());
    assert!(Nft::Updated::decode_log_data(&logs[0].data).is_ok());
    net.reverts(&bob, nft, Nft::updateCall { tokenId: token, newDatas: new_datas }.abi_encode());

    // delegateAccess / getDelegateAccess.
    assert_error::<Nft::ERC7857InvalidAssistant>(&net.reverts(&bob, nft, Nft::delegateAccessCall { assistant: Address::ZERO }.abi_encode()));
    net.ok(&bob, nft, Nft::delegateAccessCall { assistant: assistant.address() }.abi_encode());
    assert_eq!(net.call(nft, Nft::getDelegateAccessCall { user: bob.address() }), assistant.address());

    let transfer = |from: &PrivateKeySigner, to: Address, proofs: Vec<TransferValidityProof>| {
        Nft::iTransferFromCall { from: from.address(), to, tokenId: token, proofs }.abi_encode()
    };
    let spec = |access_signer, oracle, nonce| ProofSpec { data_hash, receiver_key: &bob, access_signer, oracle, nonce };

    // Rejected: no proofs, an ownership proof not signed by the oracle, an access proof
    // signed by a stranger, a wrong data hash, a receiver key that is not the receiver's.
    assert_error::<Nft::ERC7857EmptyProof>(&net.reverts(&alice, nft, transfer(&alice, bob.address(), vec![])));
    let forged = proof(spec(&bob, &carol, b"1"));
    assert_error::<Verifier::InvalidOwnershipProof>(&net.reverts(&alice, nft, transfer(&alice, bob.address(), vec![forged])));
    let stranger = proof(spec(&carol, &oracle, b"2"));
    assert_error::<Nft::ERC7857AccessAssistantMismatch>(&net.reverts(&alice, nft, transfer(&alice, bob.address(), vec![stranger])));
    let wrong_hash = proof(ProofSpec { data_hash: keccak256("other"), ..spec(&bob, &oracle, b"3") });
    assert_error::<Nft::ERC7857DataHashMismatch>(&net.reverts(&alice, nft, transfer(&alice, bob.address(), vec![wrong_hash])));
    let wrong_key = proof(ProofSpec { receiver_key: &carol, ..spec(&bob, &oracle, b"4") });
    assert_error::<Nft::ERC7857WantedReceiverMismatch>(&net.reverts(&alice, nft, transfer(&alice, bob.address(), vec![wrong_key])));
    let two = vec![proof(spec(&bob, &oracle, b"5")), proof(spec(&bob, &oracle, b"6"))];
    assert_error::<Nft::ERC7857ProofCountMismatch>(&net.reverts(&alice, nft, transfer(&alice, bob.address(), two)));
    let good = proof(spec(&bob, &oracle, b"7"));
    assert_error::<Nft::ERC721InsufficientApproval>(&net.reverts(&carol, nft, transfer(&alice, bob.address(), vec![good.clone()])));

    // Accepted: signed by the receiver's delegate and the oracle; the sealed key is published.
    let by_assistant = proof(spec(&assistant, &oracle, b"8"));
    let logs = net.ok(&alice, nft, transfer(&alice, bob.address(), vec![by_assistant.clone()]));
    let sealed = logs.iter().find_map(|l| Nft::PublishedSealedKey::decode_log(l).ok()).expect("PublishedSealedKey");
    assert_eq!(sealed._to, bob.address());
    assert_eq!(sealed._sealedKeys[0].as_ref(), b"sealed-key-for-receiver");
    assert_eq!(net.call(nft, Nft::ownerOfCall { tokenId: token }), bob.address());

    // Replaying the same proof (same nonces) is refused even for a fresh transfer back.
    let replay = Nft::iTransferFromCall { from: bob.address(), to: bob.address(), tokenId: token, proofs: vec![by_assistant] };
    assert_error::<Verifier::ProofAlreadyUsed>(&net.reverts(&bob, nft, replay.abi_encode()));

    // iCloneFrom: bob clones to carol with carol's access proof; a new token with the same data.
    let to_carol = |nonce| ProofSpec { data_hash, receiver_key: &carol, access_signer: &carol, oracle: &oracle, nonce };
    let clone = Nft::iCloneFromCall { from: bob.address(), to: carol.address(), tokenId: token, proofs: vec![proof(to_carol(b"9"))] };
    assert_error::<Nft::ERC721InsufficientApproval>(&net.reverts(&alice, nft, clone.abi_encode()));
    let logs = net.ok(&bob, nft, clone.abi_encode());
    let cloned = logs.iter().find_map(|l| Nft::Cloned::decode_log(l).ok()).expect("Cloned");
    assert_eq!(net.call(nft, Nft::ownerOfCall { tokenId: cloned._newTokenId }), carol.address());
    assert_eq!(net.call(nft, Nft::ownerOfCall { tokenId: token }), bob.address(), "the original stays");
    assert_eq!(net.call(nft, Nft::intelligentDatasOfCall { tokenId: cloned._newTokenId })[0].dataHash, data_hash);
}

fn submission(length: u64, heights: &[u64]) -> Submission {
    Submission {
        length: U256::from(length),
        tags: Bytes::new(),
        nodes: heights.iter().map(|h| SubmissionNode { root: B256::repeat_byte(*h as u8), height: U256::from(*h) }).collect(),
    }
}

#[test]
fn flow_records_valid_submissions_and_refuses_what_0g_refuses() {
    let net = Net::new();
    let flow = net.at.flow;
    let alice = account(4);
    let ok = submission(256 * 20, &[4, 2]);
    let logs = net.ok(&alice, flow, FlowContract::submitCall { submission: ok.clone() }.abi_encode());
    let submit = FlowContract::Submit::decode_log(&logs[0]).unwrap();
    assert_eq!(submit.sender, alice.address());
    assert_eq!(submit.submissionIndex, U256::ZERO);
    assert_eq!(submit.length, U256::from(20));
    assert_eq!(submit.submission.nodes.len(), 2);
    assert_eq!(net.call(flow, FlowContract::numSubmissionsCall {}), U256::from(1));

    for bad in [submission(10, &[]), submission(256 * 64, &[5, 6]), submission(256 * 1100, &[10, 2]), submission(256 * 65, &[6]), submission(256, &[64])] {
        let data = net.reverts(&alice, flow, FlowContract::submitCall { submission: bad }.abi_encode());
        assert!(!data.is_empty());
    }

    // The contract and the light client agree on every small submission shape.
    use aloft_light_client::storage::{Root, Submission as LcSubmission, SubmissionNode as LcNode};
    for heights in [vec![0u64], vec![1, 0], vec![3], vec![4], vec![5, 3, 1], vec![6, 5, 4, 3], vec![7, 3], vec![2, 2]] {
        let capacity: u64 = heights.iter().map(|h| 1u64 << h).sum();
        for length in [1, capacity * 256 / 2, capacity * 256 - 255, capacity * 256, capacity * 256 + 1] {
            let s = submission(length, &heights);
            let contract = net.call(flow, FlowContract::validCall { submission: s.clone() });
            let lc = LcSubmission {
                length,
                tags: vec![],
                nodes: heights.iter().map(|h| LcNode { height: *h as u32, root: Root::ZERO }).collect(),
            };
            assert_eq!(contract, lc.check().is_ok(), "heights {heights:?} length {length}");
        }
    }
}
