// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";

/// ERC-7857 interfaces, with the struct and event shapes of the 0G reference
/// implementation (0g-agent-nft: IERC7857, IERC7857Cloneable,
/// IERC7857Metadata, IERC7857DataVerifier), so tools built for it work here.

enum OracleType {
    TEE,
    ZKP
}

/// Signed by the receiver (or its delegated access assistant): it can access `dataHash`.
struct AccessProof {
    bytes32 dataHash;
    bytes targetPubkey;
    bytes nonce;
    bytes proof;
}

/// Signed by the oracle: the data is owned by the sender and its key is sealed for the receiver.
struct OwnershipProof {
    OracleType oracleType;
    bytes32 dataHash;
    bytes sealedKey;
    bytes targetPubkey;
    bytes nonce;
    bytes proof;
}

struct TransferValidityProof {
    AccessProof accessProof;
    OwnershipProof ownershipProof;
}

struct TransferValidityProofOutput {
    bytes32 dataHash;
    bytes sealedKey;
    bytes targetPubkey;
    bytes wantedKey;
    address accessAssistant;
    bytes accessProofNonce;
    bytes ownershipProofNonce;
}

struct IntelligentData {
    string dataDescription;
    bytes32 dataHash;
}

interface IERC7857DataVerifier {
    function verifyTransferValidity(TransferValidityProof[] calldata _proofs)
        external
        returns (TransferValidityProofOutput[] memory);
}

interface IERC7857Metadata {
    function intelligentDatasOf(uint256 _tokenId) external view returns (IntelligentData[] memory);
}

interface IERC7857 is IERC721, IERC7857Metadata {
    error ERC7857InvalidAuthorizedUser(address);
    error ERC7857TooManyAuthorizedUsers();
    error ERC7857AlreadyAuthorized();
    error ERC7857InvalidAssistant(address);
    error ERC7857EmptyProof();
    error ERC7857ProofCountMismatch();
    error ERC7857DataHashMismatch();
    error ERC7857AccessAssistantMismatch();
    error ERC7857WantedReceiverMismatch();
    error ERC7857EncryptedPubKeyMismatch();
    error ERC7857NotAuthorized();

    event Updated(uint256 indexed _tokenId, IntelligentData[] _oldDatas, IntelligentData[] _newDatas);
    event Authorization(address indexed _from, address indexed _to, uint256 indexed _tokenId);
    event AuthorizationRevoked(address indexed _from, address indexed _to, uint256 indexed _tokenId);
    event PublishedSealedKey(address indexed _to, uint256 indexed _tokenId, bytes[] _sealedKeys);
    event DelegateAccess(address indexed _user, address indexed _assistant);

    function verifier() external view returns (IERC7857DataVerifier);
    function iTransferFrom(address _from, address _to, uint256 _tokenId, TransferValidityProof[] calldata _proofs)
        external;
    function authorizeUsage(uint256 _tokenId, address _user) external;
    function revokeAuthorization(uint256 _tokenId, address _user) external;
    function delegateAccess(address _assistant) external;
    function authorizedUsersOf(uint256 _tokenId) external view returns (address[] memory);
    function getDelegateAccess(address _user) external view returns (address);
}

interface IERC7857Cloneable is IERC7857Metadata {
    event Cloned(uint256 indexed _tokenId, uint256 indexed _newTokenId, address _from, address _to);

    function iCloneFrom(address _from, address _to, uint256 _tokenId, TransferValidityProof[] calldata _proofs)
        external
        returns (uint256 _newTokenId);
}
