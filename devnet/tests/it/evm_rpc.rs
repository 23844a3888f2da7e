//! Transactions over JSON-RPC: signing with alloy, sending raw, receipts,
//! the admission errors clients match on, state at past blocks, restarts,
//! and `eth_getProof` answers verified by the light client.

use alloy_primitives::{Address, Bytes, U256};
use aloft_devnet::Devnet;
use aloft_light_client::state::{self, ProofResponse, StateProofError, StateRoot};
use serde_json::{Value, json};

use crate::util::{account, eip1559, legacy, rpc, rpc_raw};

const ETHER: u128 = 1_000_000_000_000_000_000;

fn hex(raw: &[u8]) -> String {
    format!("0x{}", alloy_primitives::hex::encode(raw))
}

async fn error_message(devnet: &Devnet, raw: &[u8]) -> String {
    let answer = rpc_raw(devnet, "eth_sendRawTransaction", json!([hex(raw)])).await;
    assert_eq!(answer["error"]["code"], json!(-32000), "{answer}");
    answer["error"]["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_transfer_round_trips_and_bad_transactions_get_geths_messages() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let alice = account(0);
    let bob = Address::repeat_byte(0xb0);
    let raw = eip1559(&alice, 31337, 0, Some(bob), U256::from(ETHER), Bytes::new(), 21_000);
    let hash = rpc(&devnet, "eth_sendRawTransaction", json!([hex(&raw)])).await;

    let receipt = rpc(&devnet, "eth_getTransactionReceipt", json!([hash])).await;
    assert_eq!(receipt["status"], json!("0x1"));
    assert_eq!(receipt["gasUsed"], json!("0x5208"));
    // The producer sealed it into the next block (blocks come every second too).
    let mined = receipt["blockNumber"].clone();
    assert_eq!(receipt["from"], json!(alice.address().to_string().to_lowercase()));
    let number = |v: &Value| u64::from_str_radix(v.as_str().unwrap().trim_start_matches("0x"), 16).unwrap();
    assert!(number(&rpc(&devnet, "eth_blockNumber", json!([])).await) >= number(&mined));
    assert_eq!(rpc(&devnet, "eth_getBalance", json!([bob, "latest"])).await, json!("0xde0b6b3a7640000"));
    assert_eq!(rpc(&devnet, "eth_getBalance", json!([bob, "0x0"])).await, json!("0x0"), "state at genesis");
    assert_eq!(rpc(&devnet, "eth_getTransactionCount", json!([alice.address(), "latest"])).await, json!("0x1"));
    let tx = rpc(&devnet, "eth_getTransactionByHash", json!([hash])).await;
    assert_eq!(tx["type"], json!("0x2"));
    assert_eq!(tx["blockNumber"], mined);
    let block = rpc(&devnet, "eth_getBlockByNumber", json!([mined, false])).await;
    assert_eq!(block["transactions"], json!([hash]));
    let by_hash = rpc(&devnet, "eth_getBlockByHash", json!([block["hash"], true])).await;
    assert_eq!(by_hash["transactions"][0]["hash"], hash);
    let parent = format!("{:#x}", number(&mined) - 1);
    assert_eq!(block["parentHash"], rpc(&devnet, "eth_getBlockByNumber", json!([parent, false])).await["hash"]);
    assert_eq!(rpc(&devnet, "eth_getBlockByNumber", json!(["0x999999", false])).await, Value::Null);

    // A legacy EIP-155 transfer too.
    let raw = legacy(&alice, 31337, 1, bob, U256::from(1u64));
    rpc(&devnet, "eth_sendRawTransaction", json!([hex(&raw)])).await;

    let msg = error_message(&devnet, &eip1559(&alice, 31337, 0, Some(bob), U256::from(5u64), Bytes::new(), 21_000)).await;
    assert!(msg.starts_with("nonce too low"), "{msg}");
    let msg = error_message(&devnet, &eip1559(&alice, 31337, 9, Some(bob), U256::ZERO, Bytes::new(), 21_000)).await;
    assert!(msg.starts_with("nonce too high"), "{msg}");
    let msg = error_message(&devnet, &eip1559(&alice, 1, 2, Some(bob), U256::ZERO, Bytes::new(), 21_000)).await;
    assert_eq!(msg, "invalid chain id for signer: have 1 want 31337");
    let msg = error_message(&devnet, &eip1559(&alice, 31337, 2, Some(bob), U256::ZERO, Bytes::new(), 20_000)).await;
    assert_eq!(msg, "intrinsic gas too low: have 20000, want 21000");
    let broke = alloy_signer_local::PrivateKeySigner::random();
    let msg = error_message(&devnet, &eip1559(&broke, 31337, 0, Some(bob), U256::ZERO, Bytes::new(), 21_000)).await;
    assert!(msg.starts_with("insufficient funds for gas * price + value"), "{msg}");
    let msg = error_message(&devnet, &raw).await;
    assert_eq!(msg, "already known");
    let garbage = rpc_raw(&devnet, "eth_sendRawTransaction", json!(["0x02c0"])).await;
    assert_eq!(garbage["error"]["code"], json!(-32000), "{garbage}");
}

#[tokio::test]
async fn calls_estimates_fees_and_logs() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let contracts: Value = serde_json::from_str(&devnet.ready_line()).unwrap();
    let nft = contracts["contracts"]["agent_nft"].clone();
    // name() of the genesis agent NFT.
    let out = rpc(&devnet, "eth_call", json!([{"to": nft, "data": "0x06fdde03"}, "latest"])).await;
    let name = alloy_sol_types::SolValue::abi_decode(&hex_decode(&out)).map(|s: String| s).unwrap();
    assert_eq!(name, "Aloft Agents");
    // ownerOf(42) reverts with ERC721NonexistentToken(42): code 3 with the data.
    let call = "0x6352211e000000000000000000000000000000000000000000000000000000000000002a";
    let answer = rpc_raw(&devnet, "eth_call", json!([{"to": nft, "data": call}])).await;
    assert_eq!(answer["error"]["code"], json!(3), "{answer}");
    assert!(answer["error"]["data"].as_str().unwrap().starts_with("0x7e273289"), "{answer}");
    let gas = rpc(&devnet, "eth_estimateGas", json!([{"from": account(0).address(), "to": Address::ZERO, "value": "0x1"}])).await;
    assert_eq!(gas, json!("0x5208"));
    assert!(rpc(&devnet, "eth_gasPrice", json!([])).await.as_str().unwrap().starts_with("0x"));
    assert_eq!(rpc(&devnet, "eth_maxPriorityFeePerGas", json!([])).await, json!("0x3b9aca00"));
    let history = rpc(&devnet, "eth_feeHistory", json!(["0x4", "latest", [25.0, 75.0]])).await;
    // Up to 4 blocks back from the latest, and the base fee of the block after them.
    let rows = history["gasUsedRatio"].as_array().unwrap().len();
    assert!((1..=4).contains(&rows), "{history}");
    assert_eq!(history["baseFeePerGas"].as_array().unwrap().len(), rows + 1);
    let code = rpc(&devnet, "eth_getCode", json!([nft, "latest"])).await;
    assert!(code.as_str().unwrap().len() > 1000);
    // name is a short string: stored in slot 0 as left-aligned bytes with length*2.
    let slot0 = rpc(&devnet, "eth_getStorageAt", json!([nft, "0x0", "latest"])).await;
    assert!(slot0.as_str().unwrap().starts_with("0x416c6f6674204167656e7473"), "{slot0}");

    // Mint emits Transfer; eth_getLogs finds it by address and topic.
    let mint = mint_call(account(1).address());
    let raw = eip1559(&account(1), 31337, 0, Some(parse(&nft)), U256::ZERO, mint, 500_000);
    let hash = rpc(&devnet, "eth_sendRawTransaction", json!([hex(&raw)])).await;
    let receipt = rpc(&devnet, "eth_getTransactionReceipt", json!([hash])).await;
    assert_eq!(receipt["status"], json!("0x1"), "{receipt}");
    let transfer = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
    let logs = rpc(&devnet, "eth_getLogs", json!([{"fromBlock": "0x0", "toBlock": "latest", "address": nft, "topics": [transfer]}])).await;
    assert_eq!(logs.as_array().unwrap().len(), 1, "{logs}");
    assert_eq!(logs[0]["transactionHash"], hash);
    let none = rpc(&devnet, "eth_getLogs", json!([{"fromBlock": "0x0", "address": Address::ZERO}])).await;
    assert_eq!(none, json!([]));
}

fn hex_decode(v: &Value) -> Vec<u8> {
    alloy_primitives::hex::decode(v.as_str().unwrap()).unwrap()
}

fn parse(v: &Value) -> Address {
    v.as_str().unwrap().parse().unwrap()
}

/// `mint([("agent", keccak("weights"))], to)`.
fn mint_call(to: Address) -> Bytes {
    use alloy_sol_types::{SolCall, sol};
    sol! {
        struct IntelligentData { string dataDescription; bytes32 dataHash; }
        function mint(IntelligentData[] iDatas, address to) returns (uint256);
    }
    let datas = vec![IntelligentData { dataDescription: "agent".into(), dataHash: alloy_primitives::keccak256("weights") }];
    mintCall { iDatas: datas, to }.abi_encode().into()
}

#[tokio::test]
async fn get_proof_answers_verify_in_the_light_client_and_lies_do_not() {
    let devnet = Devnet::builder().ephemeral_ports().spawn().await.unwrap();
    let ready: Value = serde_json::from_str(&devnet.ready_line()).unwrap();
    let nft = parse(&ready["contracts"]["agent_nft"]);
    let owner = account(2);
    let raw = eip1559(&owner, 31337, 0, Some(nft), U256::ZERO, mint_call(owner.address()), 500_000);
    rpc(&devnet, "eth_sendRawTransaction", json!([hex(&raw)])).await;

    let block = rpc(&devnet, "eth_getBlockByNumber", json!(["latest", false])).await;
    let root = StateRoot::from_hex("stateRoot", block["stateRoot"].as_str().unwrap()).unwrap();

    // A funded account, and an account that does not exist (exclusion proof).
    for (address, balance) in [(owner.address(), None), (Address::repeat_byte(0x77), Some("0"))] {
        let answer = rpc(&devnet, "eth_getProof", json!([address, [], "latest"])).await;
        let proof: ProofResponse = serde_json::from_value(answer).unwrap();
        let verified = proof.verify(&root, &state::Address(address.0.0)).unwrap();
        if let Some(b) = balance {
            assert_eq!(verified.account.balance.to_decimal(), b);
        } else {
            assert_eq!(verified.account.nonce, 1);
        }
    }

    // ownerOf(1) (token 0 is the genesis demo agent) from the `_owners` slot, proven.
    let token = state::Word::from_quantity("token", "0x1").unwrap();
    let slot = state::owner_slot(&token);
    let answer = rpc(&devnet, "eth_getProof", json!([nft, [slot.to_string()], "latest"])).await;
    let proof: ProofResponse = serde_json::from_value(answer.clone()).unwrap();
    let proven = state::verify_owner(&root, &state::Address(nft.0.0), &token, &proof).unwrap();
    assert_eq!(proven.0, owner.address().0.0);

    // A lying balance, a tampered node and a proof against an older root are refused.
    let mut lie = proof.clone();
    lie.balance = "0x1".into();
    assert!(matches!(lie.verify(&root, &state::Address(nft.0.0)), Err(StateProofError::Mismatch { .. })));
    let mut lie = proof.clone();
    lie.storage_proof[0].value = format!("0x{}", "11".repeat(20));
    assert!(state::verify_owner(&root, &state::Address(nft.0.0), &token, &lie).is_err());
    let mut tampered = proof.clone();
    let last = tampered.storage_proof[0].proof.len() - 1;
    let node = &mut tampered.storage_proof[0].proof[last];
    let flipped = if node.ends_with('0') { '1' } else { '0' };
    node.pop();
    node.push(flipped);
    assert!(matches!(
        state::verify_owner(&root, &state::Address(nft.0.0), &token, &tampered),
        Err(StateProofError::HashMismatch { .. })
    ));
    let genesis = rpc(&devnet, "eth_getBlockByNumber", json!(["earliest", false])).await;
    let old_root = StateRoot::from_hex("stateRoot", genesis["stateRoot"].as_str().unwrap()).unwrap();
    assert!(state::verify_owner(&old_root, &state::Address(nft.0.0), &token, &proof).is_err());

    // A proof at the genesis block verifies against the genesis root: token 1 did not
    // exist, and the demo agent (token 0) belonged to the first account.
    let answer = rpc(&devnet, "eth_getProof", json!([nft, [slot.to_string()], "earliest"])).await;
    let proof: ProofResponse = serde_json::from_value(answer).unwrap();
    assert!(matches!(
        state::verify_owner(&old_root, &state::Address(nft.0.0), &token, &proof),
        Err(StateProofError::NoOwner(_))
    ));
    let demo_slot = state::owner_slot(&state::Word::ZERO);
    let answer = rpc(&devnet, "eth_getProof", json!([nft, [demo_slot.to_string()], "0x0"])).await;
    let proof: ProofResponse = serde_json::from_value(answer).unwrap();
    let demo_owner = state::verify_owner(&old_root, &state::Address(nft.0.0), &state::Word::ZERO, &proof).unwrap();
    assert_eq!(demo_owner.0, account(0).address().0.0);
}

#[tokio::test]
async fn a_restart_keeps_blocks_and_state() {
    let dir = std::env::temp_dir().join(format!("aloft-evm-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let first = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap();
    let raw = eip1559(&account(3), 31337, 0, Some(Address::repeat_byte(1)), U256::from(7u64), Bytes::new(), 21_000);
    rpc(&first, "eth_sendRawTransaction", json!([hex(&raw)])).await;
    let head = rpc(&first, "eth_getBlockByNumber", json!(["latest", false])).await;
    first.shutdown().await;

    let second = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap();
    assert_eq!(rpc(&second, "eth_getBlockByNumber", json!([head["number"], false])).await, head);
    assert_eq!(rpc(&second, "eth_getBalance", json!([Address::repeat_byte(1)])).await, json!("0x7"));
    second.shutdown().await;

    // A damaged block file is refused, not silently forked from.
    let file = dir.join("blocks").join("000000000001.json");
    let text = std::fs::read_to_string(&file).unwrap().replace("\"timestamp\": ", "\"timestamp\": 1");
    std::fs::write(&file, text).unwrap();
    let err = Devnet::builder().ephemeral_ports().data_dir(&dir).spawn().await.unwrap_err();
    assert!(err.to_string().contains("does not replay"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
