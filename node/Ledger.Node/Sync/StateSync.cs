using System.Diagnostics;
using Ledger.Chain;
using Ledger.Chain.Execution;
using Ledger.Chain.Governance;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Crypto;
using Ledger.Core.Genesis;
using Ledger.Core.Merkle;
using Ledger.Crypto;
using Ledger.Storage;
using Microsoft.Extensions.Logging;

namespace Ledger.Node.Sync;

/// <summary>
/// Fills an empty store from peers at a recent certified block instead of replaying every block from genesis:
/// <list type="number">
/// <item>the block at the target height, its commit certificate checked against the validator set of its height as it
/// derives from genesis (<see cref="CertifiedBlockVerifier"/>: the peer is never trusted for a set), its txs and receipts
/// against its header;</item>
/// <item>the state tree under the block's state root, walked from the root node by node, each record asked of a peer by
/// its hash and checked to hash to it (<see cref="StateTree.Check"/>) before it is stored — so the state is exactly the
/// certified one whatever the peers send, and a lying peer is dropped for the next;</item>
/// <item>the blocks below that changed the validator schedule (proofs of later heights cite them), each certified;</item>
/// <item>the block becomes the store's head (<see cref="BlockStore.FinishStateSync"/>); the node then follows from the next
/// height as any node, re-executing every block.</item>
/// </list>
/// Interrupted, it resumes: the store keeps the nodes written (each is named by its hash) and refuses to start a node
/// until a sync finishes. The history below the target is not fetched: the node answers <see cref="ErrorCode.HistoryNotHeld"/>
/// for it.
/// </summary>
public sealed class StateSync(GenesisDocument genesis, byte[] genesisBytes, IReadOnlyList<IStateSyncPeer> peers, ILogger logger)
{
    /// <summary>State-tree nodes asked per call (<c>GetStateNodes</c> takes at most 4,096).</summary>
    public int BatchSize { get; init; } = 4096;

    private readonly IHasher _hasher = Sm3Hasher.Instance;
    private int _turn;

    public async Task<StateSyncResult> RunAsync(BlockStore store, ulong? height, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (peers.Count == 0) throw new LedgerException(ErrorCode.MissingField, "a state sync needs at least one peer to fetch from (the config's peers or upstream)");
        if (store.Head is { Height: > 0 } head)
            throw new LedgerException(ErrorCode.BlockOutOfOrder, $"the data directory already holds the chain up to height {head.Height}: a state sync starts from an empty one");
        var started = Stopwatch.GetTimestamp();
        var validators = new ValidatorSets(genesis, _hasher);
        if (store.Head is null) LedgerChain.CommitGenesisBlock(store, genesis, genesisBytes, _hasher, validators.Genesis.Hash);

        var (peer, block, total) = await TargetAsync(height, cancellationToken).ConfigureAwait(false);
        var target = block.Header.Height;
        logger.LogInformation("State sync of {ChainId} to height {Height} (state root {Root}), certified block from {Peer}", genesis.ChainId, target, block.Header.StateRoot, peer.Name);

        store.BeginStateSync(block.Header.StateRoot);
        var walked = await WalkAsync(store, block.Header.StateRoot, cancellationToken).ConfigureAwait(false);
        var treeDone = Stopwatch.GetElapsedTime(started);

        // The schedule in the synced state names the blocks that changed it: proofs of later heights carry those blocks.
        validators.Refresh(store.OpenState());
        var verifier = Verifier(peer);
        var checkpoints = 0;
        foreach (var changed in validators.Schedule.ChangedAt.Where(c => c < target))
        {
            var checkpoint = await CertifiedBlockAsync(peer, verifier, changed, cancellationToken).ConfigureAwait(false);
            // A proof cites the block with the schedule proved under its state root: the path to that key in the older tree.
            await FetchPathAsync(store, checkpoint.Header.StateRoot, Core.Governance.GovernanceKeys.Schedule, cancellationToken).ConfigureAwait(false);
            store.StoreHistoricalBlock(checkpoint, BlockExecutor.IndexOfCommitted(checkpoint));
            checkpoints++;
        }

        store.FinishStateSync(block, total, BlockExecutor.IndexOfCommitted(block));
        var result = new StateSyncResult(target, block.Header.ComputeHash(_hasher), block.Header.StateRoot, walked.Entries, walked.Fetched, walked.Local,
            walked.Bytes, checkpoints, treeDone, Stopwatch.GetElapsedTime(started));
        logger.LogInformation("State sync done: height {Height}, {Entries} state entries, {Fetched} nodes fetched ({Bytes} bytes), {Local} already held, in {Elapsed} ms",
            target, result.Entries, result.NodesFetched, result.BytesFetched, result.NodesAlreadyHeld, (long)result.Elapsed.TotalMilliseconds);
        return result;
    }

    /// <summary>The block to sync to, certified, from the first peer that has it, with the chain's tx count at it.</summary>
    private async Task<(IStateSyncPeer Peer, Block Block, ulong Total)> TargetAsync(ulong? height, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < peers.Count; attempt++)
        {
            var peer = CurrentPeer;
            try
            {
                var (head, headTotal) = await peer.GetHeadAsync(cancellationToken).ConfigureAwait(false);
                var target = height ?? head;
                if (target == 0) throw new LedgerException(ErrorCode.UnknownBlock, "the chain holds genesis only: start the node, it has nothing to sync");
                if (target > head) throw new LedgerException(ErrorCode.UnknownBlock, $"{peer.Name} is at height {head}, below the height {target} asked");
                var block = await CertifiedBlockAsync(peer, Verifier(peer), target, cancellationToken).ConfigureAwait(false);
                // The chain's tx count at the target: the peer's count at its head less the txs of the blocks above (a statistic).
                var total = headTotal;
                for (var h = target + 1; h <= head; h++)
                    total -= (await peer.GetHeaderAsync(h, cancellationToken).ConfigureAwait(false))?.TxCount ?? 0;
                return (peer, block, total);
            }
            catch (Exception e) when (e is not OperationCanceledException && !IsRefusalOfUs(e))
            {
                last = e;
                _turn++;
                logger.LogWarning("State sync: {Peer} could not give a certified block: {Reason}", peer.Name, e.Message);
            }
        }
        throw last is LedgerException ledger ? ledger : new LedgerException(ErrorCode.UpstreamUnavailable, $"no peer gave a certified block to sync to: {last?.Message}");
    }

    /// <summary>The block at <paramref name="height"/> from <paramref name="peer"/>, refused unless certified and whole.</summary>
    private async Task<Block> CertifiedBlockAsync(IStateSyncPeer peer, CertifiedBlockVerifier verifier, ulong height, CancellationToken cancellationToken)
    {
        var block = await peer.GetBlockAsync(height, cancellationToken).ConfigureAwait(false)
            ?? throw new LedgerException(ErrorCode.UnknownBlock, $"{peer.Name} has no block {height}");
        if (block.Header.Height != height) throw new LedgerException(ErrorCode.InvalidBlockHash, $"{peer.Name} answered block {block.Header.Height} for height {height}");
        var commit = block.Commit ?? throw new LedgerException(ErrorCode.InsufficientSeals, $"{peer.Name}'s block {height} has no commit certificate");
        var checkedBlock = await verifier.VerifyAsync(block.Header, commit, cancellationToken).ConfigureAwait(false);
        if (!checkedBlock.Result.IsValid)
            throw new LedgerException(checkedBlock.Result.Code, $"{peer.Name}'s block {height} is not certified: {checkedBlock.Result.Reason}");
        var txRoot = MerkleTree.Root(_hasher, block.Transactions.Select(t => MerkleTree.LeafHash(_hasher, t.Span)).ToArray());
        var receiptsRoot = MerkleTree.Root(_hasher, block.Receipts.Select(r => MerkleTree.LeafHash(_hasher, r.Encode())).ToArray());
        if (txRoot != block.Header.TxRoot || receiptsRoot != block.Header.ReceiptsRoot || block.Transactions.Count != block.Header.TxCount || block.Receipts.Count != block.Transactions.Count)
            throw new LedgerException(ErrorCode.InvalidBlockHash, $"{peer.Name}'s block {height} carries txs or receipts its certified header does not name");
        return block;
    }

    private CertifiedBlockVerifier Verifier(IStateSyncPeer peer) => new(genesis, (h, c) => peer.GetValidatorSetAsync(h, c));

    private readonly record struct Walked(long Entries, long Fetched, long Local, long Bytes);

    /// <summary>
    /// Every node under <paramref name="root"/>, level by level: from the store when it holds it (a resumed sync), otherwise
    /// from a peer, checked against its hash, then stored with its leaf's flat-state entry.
    /// </summary>
    private async Task<Walked> WalkAsync(BlockStore store, Hash32 root, CancellationToken cancellationToken)
    {
        long entries = 0, fetched = 0, local = 0, bytes = 0;
        var frontier = new Queue<Hash32>();
        if (root != SparseMerkleTree.EmptyHash) frontier.Enqueue(root);
        var lastReport = Stopwatch.GetTimestamp();
        while (frontier.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new List<Hash32>(Math.Min(BatchSize, frontier.Count));
            while (batch.Count < BatchSize && frontier.TryDequeue(out var next)) batch.Add(next);

            var nodes = new StateNode[batch.Count];
            var missing = new List<int>();
            for (var i = 0; i < batch.Count; i++)
            {
                if (store.StateTree.TryLoad(batch[i]) is { } held) nodes[i] = store.StateTree.Check(batch[i], held);
                else missing.Add(i);
            }
            local += batch.Count - missing.Count;
            if (missing.Count > 0)
            {
                var records = await FetchAsync(store, missing.Select(i => batch[i]).ToArray(), cancellationToken).ConfigureAwait(false);
                for (var j = 0; j < missing.Count; j++)
                {
                    nodes[missing[j]] = records[j];
                    bytes += records[j].Record.Length;
                }
                fetched += missing.Count;
            }
            // Local leaves too: a sync resumed toward another root started the flat state again.
            store.WriteStateNodes(nodes);
            foreach (var node in nodes)
            {
                if (node.IsLeaf)
                {
                    entries++;
                    continue;
                }
                if (node.Left != SparseMerkleTree.EmptyHash) frontier.Enqueue(node.Left);
                if (node.Right != SparseMerkleTree.EmptyHash) frontier.Enqueue(node.Right);
            }
            if (Stopwatch.GetElapsedTime(lastReport) > TimeSpan.FromSeconds(10))
            {
                lastReport = Stopwatch.GetTimestamp();
                logger.LogInformation("State sync: {Entries} state entries so far, {Fetched} nodes fetched, {Pending} nodes pending", entries, fetched, frontier.Count);
            }
        }
        return new Walked(entries, fetched, local, bytes);
    }

    /// <summary>The nodes from <paramref name="root"/> down the path of <paramref name="key"/> (to its leaf, or where it is absent), each checked.</summary>
    private async Task FetchPathAsync(BlockStore store, Hash32 root, byte[] key, CancellationToken cancellationToken)
    {
        var keyHash = SparseMerkleTree.KeyHash(_hasher, key);
        var path = new List<StateNode>();
        var node = root;
        for (var depth = 0; node != SparseMerkleTree.EmptyHash && depth <= SparseMerkleTree.MaxDepth; depth++)
        {
            var held = store.StateTree.TryLoad(node);
            var checkedNode = held is not null ? store.StateTree.Check(node, held) : (await FetchAsync(store, [node], cancellationToken).ConfigureAwait(false))[0];
            path.Add(checkedNode);
            if (checkedNode.IsLeaf) break;
            node = keyHash.Bit(depth) == 1 ? checkedNode.Right : checkedNode.Left;
        }
        store.WriteProofNodes(path);
    }

    /// <summary>The records of <paramref name="hashes"/>, each checked; a peer that errs or sends a wrong record is passed over for the next.</summary>
    private async Task<StateNode[]> FetchAsync(BlockStore store, Hash32[] hashes, CancellationToken cancellationToken)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 2 * peers.Count; attempt++)
        {
            var peer = CurrentPeer;
            try
            {
                var records = await peer.GetStateNodesAsync(hashes, cancellationToken).ConfigureAwait(false);
                var nodes = new StateNode[hashes.Length];
                // The hashing is the work here: spread over the cores.
                Parallel.For(0, hashes.Length, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                {
                    var record = records[i] ?? throw new LedgerException(ErrorCode.StateNodeMismatch, $"{peer.Name} does not hold state-tree node {hashes[i]}");
                    nodes[i] = store.StateTree.Check(hashes[i], record);
                });
                return nodes;
            }
            catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is LedgerException refused)
            {
                last = refused;
                _turn++;
                logger.LogWarning("State sync: {Peer} failed a batch of {Count} nodes: {Reason}; asking another peer", peer.Name, hashes.Length, refused.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException && !IsRefusalOfUs(e))
            {
                last = e;
                _turn++;
                logger.LogWarning("State sync: {Peer} failed a batch of {Count} nodes: {Reason}; asking another peer", peer.Name, hashes.Length, e.Message);
            }
        }
        throw last is LedgerException { Code: ErrorCode.StateNodeMismatch } mismatch
            ? mismatch
            : new LedgerException(ErrorCode.UpstreamUnavailable, $"no peer served {hashes.Length} state-tree nodes: {last?.Message}");
    }

    /// <summary>The peer asked now: the same one while it answers well, the next after it fails.</summary>
    private IStateSyncPeer CurrentPeer => peers[_turn % peers.Count];

    /// <summary>A peer that refuses us (not a validator or observer of its chain) refuses us whichever peer we ask: stop at once.</summary>
    private static bool IsRefusalOfUs(Exception e) =>
        e is Client.LedgerClientException { Status: global::Grpc.Core.StatusCode.PermissionDenied or global::Grpc.Core.StatusCode.Unauthenticated };
}

/// <summary>What a state sync did: where it joined, how much it moved, how long the tree and the whole took.</summary>
public sealed record StateSyncResult(
    ulong Height,
    Hash32 BlockHash,
    Hash32 StateRoot,
    long Entries,
    long NodesFetched,
    long NodesAlreadyHeld,
    long BytesFetched,
    int Checkpoints,
    TimeSpan TreeElapsed,
    TimeSpan Elapsed);
