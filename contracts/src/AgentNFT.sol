// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import "./IERC7857.sol";

/// An ERC-7857 agent NFT on OpenZeppelin's ERC-721.
///
/// Storage keeps OpenZeppelin's layout first (`_name` 0, `_symbol` 1,
/// `_owners` 2, ...), so a light client reads `ownerOf(id)` from slot
/// keccak256(pad32(id) ‖ pad32(2)) with a storage proof.
///
/// Minting is open (this is a devnet contract): anyone mints to anyone.
/// Transfers with data (`iTransferFrom`) and clones (`iCloneFrom`) need a
/// transfer-validity proof per intelligent data item, checked by the
/// verifier; plain ERC-721 transfers move the token without its data keys.
contract AgentNFT is ERC721, IERC7857, IERC7857Cloneable {
    uint256 public constant MAX_AUTHORIZED_USERS = 100;

    IERC7857DataVerifier private immutable _verifier;
    mapping(uint256 => IntelligentData[]) private _datas;
    mapping(uint256 => address[]) private _authorizedUsers;
    mapping(address => address) private _accessAssistants;
    uint256 public nextTokenId;

    event Minted(uint256 indexed _tokenId, address indexed _creator, address indexed _owner);

    constructor(string memory name_, string memory symbol_, IERC7857DataVerifier verifier_) ERC721(name_, symbol_) {
        _verifier = verifier_;
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, IERC165) returns (bool) {
        return interfaceId == type(IERC7857).interfaceId || interfaceId == type(IERC7857Cloneable).interfaceId
            || interfaceId == type(IERC7857Metadata).interfaceId || super.supportsInterface(interfaceId);
    }

    function verifier() external view returns (IERC7857DataVerifier) {
        return _verifier;
    }

    function mint(IntelligentData[] calldata iDatas, address to) external returns (uint256 tokenId) {
        tokenId = nextTokenId++;
        for (uint256 i = 0; i < iDatas.length; i++) {
            _datas[tokenId].push(iDatas[i]);
        }
        _safeMint(to, tokenId);
        emit Minted(tokenId, msg.sender, to);
    }

    function update(uint256 tokenId, IntelligentData[] calldata newDatas) external {
        if (ownerOf(tokenId) != msg.sender) revert ERC721InvalidOwner(msg.sender);
        IntelligentData[] memory old = _datas[tokenId];
        delete _datas[tokenId];
        for (uint256 i = 0; i < newDatas.length; i++) {
            _datas[tokenId].push(newDatas[i]);
        }
        emit Updated(tokenId, old, newDatas);
    }

    function intelligentDatasOf(uint256 tokenId)
        external
        view
        override(IERC7857Metadata)
        returns (IntelligentData[] memory)
    {
        _requireOwned(tokenId);
        return _datas[tokenId];
    }

    /// Checks the proofs for moving `tokenId`'s data from `from` to `to`; returns the sealed keys.
    function _proofCheck(address from, address to, uint256 tokenId, TransferValidityProof[] calldata proofs)
        private
        returns (bytes[] memory sealedKeys)
    {
        if (to == address(0)) revert ERC721InvalidReceiver(to);
        if (_ownerOf(tokenId) != from) revert ERC721InvalidSender(from);
        if (proofs.length == 0) revert ERC7857EmptyProof();
        TransferValidityProofOutput[] memory out = _verifier.verifyTransferValidity(proofs);
        IntelligentData[] storage datas = _datas[tokenId];
        if (out.length != datas.length) revert ERC7857ProofCountMismatch();
        sealedKeys = new bytes[](out.length);
        for (uint256 i = 0; i < out.length; i++) {
            if (out[i].dataHash != datas[i].dataHash) revert ERC7857DataHashMismatch();
            if (out[i].accessAssistant != to && out[i].accessAssistant != _accessAssistants[to]) {
                revert ERC7857AccessAssistantMismatch();
            }
            if (out[i].wantedKey.length == 0) {
                if (_pubKeyToAddress(out[i].targetPubkey) != to) revert ERC7857WantedReceiverMismatch();
            } else if (keccak256(out[i].wantedKey) != keccak256(out[i].targetPubkey)) {
                revert ERC7857EncryptedPubKeyMismatch();
            }
            sealedKeys[i] = out[i].sealedKey;
        }
    }

    function _pubKeyToAddress(bytes memory pubKey) private pure returns (address) {
        if (pubKey.length != 64) return address(0);
        return address(uint160(uint256(keccak256(pubKey))));
    }

    function iTransferFrom(address from, address to, uint256 tokenId, TransferValidityProof[] calldata proofs)
        external
    {
        bytes[] memory sealedKeys = _proofCheck(from, to, tokenId, proofs);
        // Owner, approval and operator rights are checked by transferFrom.
        transferFrom(from, to, tokenId);
        delete _authorizedUsers[tokenId];
        emit PublishedSealedKey(to, tokenId, sealedKeys);
    }

    function iCloneFrom(address from, address to, uint256 tokenId, TransferValidityProof[] calldata proofs)
        external
        returns (uint256 newTokenId)
    {
        _checkAuthorized(_ownerOf(tokenId), msg.sender, tokenId);
        bytes[] memory sealedKeys = _proofCheck(from, to, tokenId, proofs);
        newTokenId = nextTokenId++;
        IntelligentData[] storage datas = _datas[tokenId];
        for (uint256 i = 0; i < datas.length; i++) {
            _datas[newTokenId].push(datas[i]);
        }
        _safeMint(to, newTokenId);
        emit Cloned(tokenId, newTokenId, from, to);
        emit PublishedSealedKey(to, newTokenId, sealedKeys);
    }

    function authorizeUsage(uint256 tokenId, address user) external {
        if (ownerOf(tokenId) != msg.sender) revert ERC7857NotAuthorized();
        if (user == address(0)) revert ERC7857InvalidAuthorizedUser(user);
        address[] storage users = _authorizedUsers[tokenId];
        if (users.length >= MAX_AUTHORIZED_USERS) revert ERC7857TooManyAuthorizedUsers();
        for (uint256 i = 0; i < users.length; i++) {
            if (users[i] == user) revert ERC7857AlreadyAuthorized();
        }
        users.push(user);
        emit Authorization(msg.sender, user, tokenId);
    }

    function revokeAuthorization(uint256 tokenId, address user) external {
        if (ownerOf(tokenId) != msg.sender) revert ERC7857NotAuthorized();
        address[] storage users = _authorizedUsers[tokenId];
        for (uint256 i = 0; i < users.length; i++) {
            if (users[i] == user) {
                users[i] = users[users.length - 1];
                users.pop();
                emit AuthorizationRevoked(msg.sender, user, tokenId);
                return;
            }
        }
        revert ERC7857InvalidAuthorizedUser(user);
    }

    function authorizedUsersOf(uint256 tokenId) external view returns (address[] memory) {
        _requireOwned(tokenId);
        return _authorizedUsers[tokenId];
    }

    function delegateAccess(address assistant) external {
        if (assistant == address(0)) revert ERC7857InvalidAssistant(assistant);
        _accessAssistants[msg.sender] = assistant;
        emit DelegateAccess(msg.sender, assistant);
    }

    function getDelegateAccess(address user) external view returns (address) {
        return _accessAssistants[user];
    }
}
