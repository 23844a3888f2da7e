//! The contracts every devnet starts with, deployed at genesis at fixed
//! addresses: the ERC-7857 verifier, the agent NFT and the storage flow.
//!
//! Their creation bytecode and ABIs are the committed artifacts of
//! `contracts/` (built by a pinned solc, checked by `npm run check` there), so
//! the devnet builds without Node. They are deployed by
//! [`genesis_deployer`](crate::evm::chain::genesis_deployer) with nonces 0, 1,
//! 2, so their addresses follow from that account alone and are the same on
//! every devnet.
//!
//! After deploying, genesis mints one demo agent (token 0, [`DEMO_AGENT`]) to
//! the first funded account, so wallets and pages have an iNFT to show and
//! prove from block 0.
//!
//! The verifier trusts one oracle. On the devnet its key is public on
//! purpose ([`oracle_signer`], like the test mnemonic), so tests and demos
//! can produce ownership proofs.

use alloy_primitives::{Address, Bytes, keccak256};
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::SolValue;
use serde::Serialize;

use crate::evm::chain::{GenesisTx, genesis_deployer};

/// The data description of the demo agent minted at genesis.
pub const DEMO_AGENT: &str = "Aloft demo agent";

const VERIFIER_ARTIFACT: &str = include_str!("../../contracts/artifacts/AgentVerifier.json");
const NFT_ARTIFACT: &str = include_str!("../../contracts/artifacts/AgentNFT.json");
const FLOW_ARTIFACT: &str = include_str!("../../contracts/artifacts/Flow.json");

/// The agent NFT's name and symbol.
pub const NFT_NAME: &str = "Aloft Agents";
/// The agent NFT's symbol.
pub const NFT_SYMBOL: &str = "AGENT";

/// Where the genesis contracts live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Addresses {
    /// `AgentVerifier` (ERC-7857 transfer-validity verifier).
    pub verifier: Address,
    /// `AgentNFT` (ERC-7857 on ERC-721).
    pub agent_nft: Address,
    /// `Flow` (0G storage submissions).
    pub flow: Address,
    /// The oracle whose signatures the verifier accepts.
    pub oracle: Address,
}

/// The devnet oracle's key: keccak256("aloft devnet oracle"). Public; devnet only.
pub fn oracle_signer() -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&keccak256(b"aloft devnet oracle")).expect("a keccak digest is a valid secp256k1 key")
}

/// The genesis contracts' addresses.
pub fn addresses() -> Addresses {
    let deployer = genesis_deployer();
    Addresses {
        verifier: deployer.create(0),
        agent_nft: deployer.create(1),
        flow: deployer.create(2),
        oracle: oracle_signer().address(),
    }
}

/// The creation bytecode of a committed artifact.
pub fn bytecode(artifact: &str) -> Bytes {
    let json: serde_json::Value = serde_json::from_str(artifact).expect("committed artifacts are JSON");
    json["bytecode"].as_str().and_then(|s| s.parse().ok()).expect("committed artifacts carry hex bytecode")
}

/// The ABI of a genesis contract, by name (`AgentVerifier`, `AgentNFT`, `Flow`).
pub fn abi(name: &str) -> Option<serde_json::Value> {
    let artifact = match name {
        "AgentVerifier" => VERIFIER_ARTIFACT,
        "AgentNFT" => NFT_ARTIFACT,
        "Flow" => FLOW_ARTIFACT,
        _ => return None,
    };
    serde_json::from_str::<serde_json::Value>(artifact).ok().map(|j| j["abi"].clone())
}

/// The genesis transactions: the three deployments in order, then (with a
/// `demo_owner`) the mint of the demo agent to it.
pub fn genesis_txs(demo_owner: Option<Address>) -> Vec<GenesisTx> {
    let mut txs: Vec<GenesisTx> = deployments().into_iter().map(GenesisTx::Create).collect();
    if let Some(owner) = demo_owner {
        alloy_sol_types::sol! {
            struct IntelligentData { string dataDescription; bytes32 dataHash; }
            function mint(IntelligentData[] iDatas, address to) returns (uint256);
        }
        use alloy_sol_types::SolCall;
        let datas = vec![IntelligentData { dataDescription: DEMO_AGENT.into(), dataHash: keccak256(DEMO_AGENT) }];
        let data = mintCall { iDatas: datas, to: owner }.abi_encode().into();
        txs.push(GenesisTx::Call { to: addresses().agent_nft, data });
    }
    txs
}

/// The initcodes (bytecode ‖ constructor arguments) to run at genesis, in deployment order.
pub fn deployments() -> Vec<Bytes> {
    let a = addresses();
    let with_args = |artifact: &str, args: Vec<u8>| {
        let mut code = bytecode(artifact).to_vec();
        code.extend(args);
        Bytes::from(code)
    };
    vec![
        with_args(VERIFIER_ARTIFACT, a.oracle.abi_encode()),
        with_args(NFT_ARTIFACT, (NFT_NAME.to_string(), NFT_SYMBOL.to_string(), a.verifier).abi_encode_params()),
        with_args(FLOW_ARTIFACT, Vec::new()),
    ]
}
