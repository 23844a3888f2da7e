// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import "./IERC7857.sol";

/// The ERC-7857 transfer-validity verifier of the devnet.
///
/// An ownership proof counts only if the configured oracle signed it; an
/// access proof's signer is returned for the NFT to match against the
/// receiver or its delegate. Both are EIP-191 personal signatures over the
/// 66-character hex string of a keccak256 digest, as the 0G reference
/// verifier signs them:
///   access:    keccak256(dataHash ‖ targetPubkey ‖ nonce)
///   ownership: keccak256(dataHash ‖ sealedKey ‖ targetPubkey ‖ nonce)
/// Each nonce is spent once per calling contract (keccak256(abi.encode(nonce, msg.sender))).
contract AgentVerifier is IERC7857DataVerifier {
    address public immutable oracle;
    mapping(bytes32 => bool) public usedProofs;

    error InvalidDataHash();
    error InvalidAccessProof();
    error InvalidOwnershipProof();
    error UnsupportedOracleType();
    error ProofAlreadyUsed(bytes32 nonceKey);

    event ProofUsed(bytes32 indexed nonceKey);

    constructor(address _oracle) {
        oracle = _oracle;
    }

    function _personalDigest(bytes32 inner) private pure returns (bytes32) {
        return MessageHashUtils.toEthSignedMessageHash(bytes(Strings.toHexString(uint256(inner), 32)));
    }

    function _recover(bytes32 digest, bytes memory signature) private pure returns (address) {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        return err == ECDSA.RecoverError.NoError ? signer : address(0);
    }

    /// The address that signed an access proof (zero if none recovers).
    function accessSigner(AccessProof calldata p) public pure returns (address) {
        bytes32 inner = keccak256(abi.encodePacked(p.dataHash, p.targetPubkey, p.nonce));
        return _recover(_personalDigest(inner), p.proof);
    }

    /// Whether the configured oracle signed an ownership proof.
    function ownershipValid(OwnershipProof calldata p) public view returns (bool) {
        if (p.oracleType != OracleType.TEE) return false;
        bytes32 inner = keccak256(abi.encodePacked(p.dataHash, p.sealedKey, p.targetPubkey, p.nonce));
        address signer = _recover(_personalDigest(inner), p.proof);
        return signer != address(0) && signer == oracle;
    }

    function _spend(bytes memory nonce) private {
        bytes32 key = keccak256(abi.encode(nonce, msg.sender));
        if (usedProofs[key]) revert ProofAlreadyUsed(key);
        usedProofs[key] = true;
        emit ProofUsed(key);
    }

    function verifyTransferValidity(TransferValidityProof[] calldata _proofs)
        external
        returns (TransferValidityProofOutput[] memory outputs)
    {
        outputs = new TransferValidityProofOutput[](_proofs.length);
        for (uint256 i = 0; i < _proofs.length; i++) {
            TransferValidityProof calldata p = _proofs[i];
            if (p.accessProof.dataHash != p.ownershipProof.dataHash) revert InvalidDataHash();
            if (p.ownershipProof.oracleType != OracleType.TEE) revert UnsupportedOracleType();
            address assistant = accessSigner(p.accessProof);
            if (assistant == address(0)) revert InvalidAccessProof();
            if (!ownershipValid(p.ownershipProof)) revert InvalidOwnershipProof();
            _spend(p.accessProof.nonce);
            _spend(p.ownershipProof.nonce);
            outputs[i] = TransferValidityProofOutput({
                dataHash: p.accessProof.dataHash,
                sealedKey: p.ownershipProof.sealedKey,
                targetPubkey: p.ownershipProof.targetPubkey,
                wantedKey: p.accessProof.targetPubkey,
                accessAssistant: assistant,
                accessProofNonce: p.accessProof.nonce,
                ownershipProofNonce: p.ownershipProof.nonce
            });
        }
    }
}
