// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title Checkpoints of a Ledger consortium chain, anchored on a chain its bureaus do not control.
/// @notice One checkpoint per (chain, height), written once by the anchoring account, in increasing height order,
///         so the record is an append-only log nobody (the writer included) can rewrite. Anyone can read it.
contract Checkpoints {
    struct Checkpoint {
        bytes32 blockHash;
        bytes32 validatorSetHash;
        bytes32 certificateHash; // SM3 of the commit certificate's bytes
        uint64 anchoredAtBlock;  // this (external) chain's block that took the checkpoint
        uint64 anchoredAtTime;   // and that block's timestamp, seconds
    }

    /// @notice The only account that may write; fixed at deployment. Without it anyone could squat a height
    ///         with a false checkpoint and the write-once rule would lock the true one out.
    address public immutable writer;

    mapping(bytes32 => mapping(uint64 => Checkpoint)) private _checkpoints;
    mapping(bytes32 => uint64[]) private _heights;

    event Anchored(
        bytes32 indexed chainKey,
        uint64 indexed height,
        bytes32 blockHash,
        bytes32 validatorSetHash,
        bytes32 certificateHash,
        string chainId
    );

    error NotWriter(address caller);
    error AlreadyAnchored(string chainId, uint64 height);
    error NotAfterLast(string chainId, uint64 height, uint64 last);
    error EmptyCheckpoint();

    constructor(address writer_) {
        writer = writer_;
    }

    /// @notice Key of a chain id in the maps and the event's topic: keccak256 of its UTF-8 bytes.
    function chainKey(string calldata chainId) public pure returns (bytes32) {
        return keccak256(bytes(chainId));
    }

    function anchor(
        string calldata chainId,
        uint64 height,
        bytes32 blockHash,
        bytes32 validatorSetHash,
        bytes32 certificateHash
    ) external {
        if (msg.sender != writer) revert NotWriter(msg.sender);
        if (blockHash == bytes32(0) || certificateHash == bytes32(0)) revert EmptyCheckpoint();
        bytes32 key = keccak256(bytes(chainId));
        if (_checkpoints[key][height].blockHash != bytes32(0)) revert AlreadyAnchored(chainId, height);
        uint64[] storage heights = _heights[key];
        if (heights.length > 0 && height <= heights[heights.length - 1])
            revert NotAfterLast(chainId, height, heights[heights.length - 1]);
        _checkpoints[key][height] = Checkpoint(
            blockHash, validatorSetHash, certificateHash, uint64(block.number), uint64(block.timestamp));
        heights.push(height);
        emit Anchored(key, height, blockHash, validatorSetHash, certificateHash, chainId);
    }

    /// @notice The checkpoint at exactly this height; all zero when there is none.
    function checkpointAt(string calldata chainId, uint64 height)
        external view
        returns (bytes32 blockHash, bytes32 validatorSetHash, bytes32 certificateHash, uint64 anchoredAtBlock, uint64 anchoredAtTime)
    {
        Checkpoint storage c = _checkpoints[keccak256(bytes(chainId))][height];
        return (c.blockHash, c.validatorSetHash, c.certificateHash, c.anchoredAtBlock, c.anchoredAtTime);
    }

    /// @notice The lowest anchored height at or above `height` (the checkpoint that covers it); found = false when
    ///         none is anchored yet.
    function coveringHeight(string calldata chainId, uint64 height) external view returns (bool found, uint64 anchored) {
        uint64[] storage heights = _heights[keccak256(bytes(chainId))];
        uint256 lo = 0;
        uint256 hi = heights.length;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (heights[mid] < height) lo = mid + 1; else hi = mid;
        }
        if (lo == heights.length) return (false, 0);
        return (true, heights[lo]);
    }

    /// @notice The highest anchored height; 0 when none.
    function lastHeight(string calldata chainId) external view returns (uint64) {
        uint64[] storage heights = _heights[keccak256(bytes(chainId))];
        return heights.length == 0 ? 0 : heights[heights.length - 1];
    }

    function count(string calldata chainId) external view returns (uint256) {
        return _heights[keccak256(bytes(chainId))].length;
    }
}
