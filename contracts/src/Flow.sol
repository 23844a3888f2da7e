// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// A 0G storage flow contract reduced to what a devnet needs: it validates a
/// file submission with the rules of 0g-storage-contracts'
/// `SubmissionLibrary.valid`, appends it to the flow, and emits `Submit` with
/// the same signature as 0G's `IFlow`, so storage clients and indexers that
/// watch 0G's flow read this one. Mining, epochs and fees are left out.

struct SubmissionNode {
    bytes32 root;
    uint256 height;
}

struct Submission {
    uint256 length;
    bytes tags;
    SubmissionNode[] nodes;
}

contract Flow {
    uint256 constant MAX_DEPTH = 64;
    uint256 constant ENTRY_SIZE = 256;
    uint256 constant MAX_LENGTH = 4;

    struct Record {
        bytes32 digest;
        uint256 startPos;
        uint256 length;
        address sender;
    }

    Record[] private _records;
    /// Entries (256-byte sectors) appended so far.
    uint256 public flowLength;

    event Submit(
        address indexed sender,
        bytes32 indexed identity,
        uint256 submissionIndex,
        uint256 startPos,
        uint256 length,
        Submission submission
    );

    function size(Submission calldata s) public pure returns (uint256 total) {
        for (uint256 i = 0; i < s.nodes.length; i++) {
            total += 1 << s.nodes[i].height;
        }
    }

    /// `SubmissionLibrary.valid`, rule for rule (including its checked subtraction).
    function valid(Submission calldata s) public pure returns (bool) {
        uint256 n = s.nodes.length;
        if (n == 0) return false;
        if (s.nodes[0].height - s.nodes[n - 1].height >= MAX_LENGTH) return false;
        if (s.nodes[0].height >= MAX_DEPTH) return false;
        for (uint256 i = 0; i + 1 < n; i++) {
            if (s.nodes[i + 1].height >= s.nodes[i].height) return false;
        }
        uint256 capacity = size(s);
        if (s.length > capacity * ENTRY_SIZE) return false;
        uint256 lastCapacity;
        if (capacity < (1 << MAX_LENGTH)) {
            lastCapacity = capacity - 1;
        } else if (n == 1) {
            lastCapacity = capacity - (capacity >> MAX_LENGTH);
        } else {
            lastCapacity = capacity - (1 << (s.nodes[0].height - MAX_LENGTH + 1));
        }
        return s.length > lastCapacity * ENTRY_SIZE;
    }

    function digest(Submission calldata s) public pure returns (bytes32) {
        return keccak256(abi.encode(s.nodes));
    }

    function submit(Submission calldata submission) external returns (uint256, bytes32, uint256, uint256) {
        require(valid(submission), "Invalid submission");
        bytes32 identity = digest(submission);
        uint256 index = _records.length;
        uint256 startPos = flowLength;
        uint256 entries = size(submission);
        flowLength = startPos + entries;
        _records.push(Record(identity, startPos, submission.length, msg.sender));
        emit Submit(msg.sender, identity, index, startPos, entries, submission);
        return (index, identity, startPos, entries);
    }

    function numSubmissions() external view returns (uint256) {
        return _records.length;
    }

    function submissionAt(uint256 index)
        external
        view
        returns (bytes32 identity, uint256 startPos, uint256 length, address sender)
    {
        Record storage r = _records[index];
        return (r.digest, r.startPos, r.length, r.sender);
    }
}
