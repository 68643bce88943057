using Ledger.Chain;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Blocks;
using Ledger.Core.Evidence;
using Ledger.Core.Governance;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Node.Sync;
using Ledger.Node.Tests.Governance;
using Ledger.Storage;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Sync;

/// <summary>
/// State sync on real chains (chaincode, state tree, executor, store) of four validators: a fresh store joins at a certified
/// block with exactly that block's state, follows by re-executing the blocks after it, serves proofs of them that the offline
/// verifier accepts (across a validator-set change before the join), refuses what it does not hold with a typed code, and
/// trusts no peer — a wrong node, an uncertified block, a stop half-way.
/// </summary>
public class StateSyncTests
{
    private const int Delay = 4;

    /// <summary>A chain of 4 validators with contracts before and after a fifth validator voted in (a schedule checkpoint).</summary>
    private static GovernanceChain Source(out List<Hash32> contractTxs)
    {
        var consortium = new TestConsortium(validators: 4);
        var c = new GovernanceChain(consortium, Delay);
        var newcomer = consortium.Party(consortium.ShenzhenCa, "shenzhen", Role.Validator, TestConsortium.Shenzhen);
        c.Keys.AddRange([.. consortium.Validators, newcomer]);
        contractTxs = [];
        Contracts(c, "A", 12, contractTxs);
        var at = c.Height + Delay + 4;
        c.Pass(new ProposeValidatorChangePayload { Change = ValidatorChange.Add, Name = "shenzhen", Certificate = newcomer.Certificate!.Der, EffectiveHeight = at });
        c.BlocksUntil(at + 1);
        Contracts(c, "B", 12, contractTxs);
        return c;
    }

    /// <summary>Registers <paramref name="count"/> contracts, four per block.</summary>
    private static void Contracts(GovernanceChain c, string prefix, int count, List<Hash32> txs)
    {
        var employer = c.Consortium.Employer;
        for (var i = 0; i < count; i++)
        {
            var id = $"GZ-{prefix}-{i:D4}";
            var envelope = c.Consortium.Transaction(c.Consortium.Register(id, Sm3.Hash(System.Text.Encoding.UTF8.GetBytes(id))), employer, [employer], expiresAt: c.Clock.GetUtcNow().AddMinutes(10));
            var submitted = c.Ledger.Submit(envelope.Encode());
            Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
            txs.Add(submitted.TxId!.Value);
            if (i % 4 == 3) c.Block();
        }
        c.Block();
    }

    private static StateSync Sync(GovernanceChain source, params IStateSyncPeer[] peers) =>
        new(source.Genesis, source.Consortium.GenesisBytes, peers, NullLogger.Instance) { BatchSize = 16 };

    private static Dictionary<string, string> FlatState(LedgerChain chain) =>
        chain.Store.ScanState([]).ToDictionary(e => Convert.ToHexString(e.Key), e => Convert.ToHexString(e.Value));

    [Test]
    public async Task A_fresh_node_joins_at_a_certified_block_with_its_exact_state_then_follows_and_proves_what_comes_after()
    {
        var source = Source(out var before);
        var kv = new InMemoryKeyValueStore();
        var result = await Sync(source, new LocalStateSyncPeer("v0", source.Ledger)).RunAsync(new BlockStore(kv, Sm3Hasher.Instance), null, CancellationToken.None);

        Assert.That(result.Height, Is.EqualTo(source.Height));
        Assert.That(result.StateRoot, Is.EqualTo(source.Ledger.Head.Header.StateRoot));
        Assert.That(result.NodesFetched, Is.GreaterThan(result.Entries), "inner nodes and leaves, each asked by hash");
        Assert.That(result.Checkpoints, Is.EqualTo(1), "the block that scheduled the fifth validator");

        // The joined node: the same head, the same state entry for entry, and it knows where its history starts.
        var joined = new GovernanceChain(source.Consortium, Delay, kv);
        joined.Keys.AddRange(source.Keys);
        Assert.That(joined.Ledger.Head.Hash, Is.EqualTo(source.Ledger.Head.Hash));
        Assert.That(FlatState(joined.Ledger), Is.EqualTo(FlatState(source.Ledger)));
        Assert.That(result.Entries, Is.EqualTo(FlatState(source.Ledger).Count));
        Assert.That(joined.Ledger.GetChainInfo().HistoryFrom, Is.EqualTo(result.Height));
        Assert.That(joined.Ledger.GetChainInfo().TotalTransactions, Is.EqualTo(source.Ledger.GetChainInfo().TotalTransactions));
        Assert.That(joined.Sets.At(result.Height + 1).Count, Is.EqualTo(5), "the validator schedule came with the state");

        // It follows: the source's next blocks, re-executed here, give exactly their headers.
        var after = new List<Hash32>();
        Contracts(source, "C", 8, after);
        var followed = joined.SyncFrom(source);
        Assert.That(followed.IsValid, Is.True, followed.ToString());
        Assert.That(joined.Ledger.Head.Hash, Is.EqualTo(source.Ledger.Head.Hash));
        Assert.That(joined.Ledger.Store.StateRoot, Is.EqualTo(source.Ledger.Store.StateRoot));

        // Its proofs of what came after verify offline, the set derived from genesis through the checkpoint it fetched.
        var proof = joined.Ledger.GetEvidence(after[^1])!;
        var report = EvidenceVerifier.Verify(proof, source.Genesis);
        Assert.That(report.Result.IsValid, Is.True, report.Result.ToString());
        Assert.That(proof.ValidatorCheckpoints, Has.Count.EqualTo(1));

        // What it does not hold it says so, typed: a block below the join, a bundle whose events are older.
        Assert.That(joined.Ledger.GetTransaction(before[0]), Is.Null);
        var below = Assert.Throws<LedgerException>(() => joined.Ledger.GetBlock(1))!;
        Assert.That(below.Code, Is.EqualTo(ErrorCode.HistoryNotHeld));
        Assert.That(below.Message, Does.Contain($"height {result.Height}"));
        var bundle = Assert.Throws<LedgerException>(() => joined.Ledger.GetContractEvidence("GZ-A-0000", null))!;
        Assert.That(bundle.Code, Is.EqualTo(ErrorCode.HistoryNotHeld));
        Assert.That(Assert.Throws<LedgerException>(() => joined.Ledger.GetContractEvidence("GZ-C-0000", 2))!.Code, Is.EqualTo(ErrorCode.HistoryNotHeld), "a bundle at a height below the join");
        Assert.That(joined.Ledger.GetBlock(0), Is.Not.Null, "genesis is always held");
        Assert.That(joined.Ledger.GetContractEvidence("GZ-C-0007", null)!.Events, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_replayed_tx_from_before_the_join_is_left_out_by_the_joined_node_as_by_every_other()
    {
        var source = Source(out var before);
        var kv = new InMemoryKeyValueStore();
        await Sync(source, new LocalStateSyncPeer("v0", source.Ledger)).RunAsync(new BlockStore(kv, Sm3Hasher.Instance), null, CancellationToken.None);
        var joined = new GovernanceChain(source.Consortium, Delay, kv);

        // A proposer offering a tx committed before the join: the full node leaves it out (its index), the joined one too (its nonce).
        var old = source.Ledger.GetTransaction(before[0])!;
        var admitted = new Ledger.Chain.Admission.AdmittedTx[] { AdmittedOf(source, old.Envelope) };
        var executor = new Ledger.Chain.Execution.BlockExecutor(source.Consortium.ChainId, new Ledger.Chaincode.LabourContractChaincode(Ledger.Chaincode.LabourContractOptions.Guangdong), Sm3Hasher.Instance);
        var set = source.Sets.At(source.Height + 1);
        var atSource = executor.Execute(source.Ledger.Store, source.Ledger.Head, admitted, source.Ledger.Head.Header.Timestamp + 1000, set.Certificates[0].Id, 0, set.Hash);
        var atJoined = executor.Execute(joined.Ledger.Store, joined.Ledger.Head, admitted, source.Ledger.Head.Header.Timestamp + 1000, set.Certificates[0].Id, 0, set.Hash);
        Assert.That(atSource.Block.Transactions, Is.Empty);
        Assert.That(atJoined.Block.Transactions, Is.Empty);
        Assert.That(atJoined.BlockHash, Is.EqualTo(atSource.BlockHash));
    }

    private static Ledger.Chain.Admission.AdmittedTx AdmittedOf(GovernanceChain c, ReadOnlyMemory<byte> envelope)
    {
        var hasher = Sm3Hasher.Instance;
        var admission = new Ledger.Chain.Admission.TxAdmission(c.Consortium.ChainId, new Ledger.Chaincode.LabourContractChaincode(Ledger.Chaincode.LabourContractOptions.Guangdong),
            new Ledger.Chain.Admission.CertificateRegistry(c.Consortium.ChainValidator(), hasher), hasher, new Ledger.Chain.Admission.StoreReplayIndex(c.Ledger.Store));
        var verified = admission.VerifyForBlock(envelope, c.Clock.GetUtcNow());
        Assert.That(verified.Tx, Is.Not.Null, verified.Result.ToString());
        return verified.Tx!;
    }

    [Test]
    public async Task A_peer_serving_a_wrong_node_is_passed_over_and_a_sync_from_liars_alone_fails_and_leaves_the_store_refused()
    {
        var source = Source(out _);
        var honest = new LocalStateSyncPeer("honest", source.Ledger);
        var liar = new LyingPeer(honest);

        var kv = new InMemoryKeyValueStore();
        var result = await Sync(source, liar, honest).RunAsync(new BlockStore(kv, Sm3Hasher.Instance), null, CancellationToken.None);
        Assert.That(result.StateRoot, Is.EqualTo(source.Ledger.Head.Header.StateRoot));
        Assert.That(liar.Served, Is.GreaterThan(0), "the liar was asked and refused");
        Assert.That(FlatState(new GovernanceChain(source.Consortium, Delay, kv).Ledger), Is.EqualTo(FlatState(source.Ledger)));

        var alone = new InMemoryKeyValueStore();
        var failed = (await Assert.ThrowsAsync<LedgerException>(() => Sync(source, new LyingPeer(honest)).RunAsync(new BlockStore(alone, Sm3Hasher.Instance), null, CancellationToken.None)))!;
        Assert.That(failed.Code, Is.EqualTo(ErrorCode.StateNodeMismatch), failed.Message);
        var refused = Assert.Throws<LedgerException>(() => _ = new GovernanceChain(source.Consortium, Delay, alone))!;
        Assert.That(refused.Code, Is.EqualTo(ErrorCode.StateSyncUnfinished));
        Assert.That(refused.Message, Does.Contain("ledger node sync-state"));
    }

    [Test]
    public async Task A_block_its_height_set_did_not_certify_is_refused_before_anything_is_written()
    {
        var source = Source(out _);
        var kv = new InMemoryKeyValueStore();
        var thin = new ThinSealsPeer(new LocalStateSyncPeer("v0", source.Ledger));
        var refused = (await Assert.ThrowsAsync<LedgerException>(() => Sync(source, thin).RunAsync(new BlockStore(kv, Sm3Hasher.Instance), null, CancellationToken.None)))!;
        Assert.That(refused.Code, Is.EqualTo(ErrorCode.InsufficientSeals), refused.Message);
        var store = new BlockStore(kv, Sm3Hasher.Instance);
        Assert.That(store.UnfinishedStateSync, Is.Null, "no sync begun");
        Assert.That(store.Head!.Height, Is.EqualTo(0UL));
        Assert.That(new GovernanceChain(source.Consortium, Delay, kv).Height, Is.EqualTo(0UL), "the node can still replay from genesis");
    }

    [Test]
    public async Task An_interrupted_sync_resumes_with_the_nodes_it_holds_and_a_resumed_sync_toward_a_newer_root_keeps_no_stale_entry()
    {
        var source = Source(out _);
        var kv = new InMemoryKeyValueStore();
        using (var stop = new CancellationTokenSource())
        {
            var stopping = new StoppingPeer(new LocalStateSyncPeer("v0", source.Ledger), batches: 3, stop);
            await Assert.CatchAsync<OperationCanceledException>(() => Sync(source, stopping).RunAsync(new BlockStore(kv, Sm3Hasher.Instance), null, stop.Token));
        }
        Assert.That(new BlockStore(kv, Sm3Hasher.Instance).UnfinishedStateSync, Is.EqualTo(source.Ledger.Head.Header.StateRoot));

        // The chain moves on (contracts change state, so some entries of the old root are gone from the new one); the sync resumes toward the new head.
        Contracts(source, "D", 8, []);
        var result = await Sync(source, new LocalStateSyncPeer("v0", source.Ledger)).RunAsync(new BlockStore(kv, Sm3Hasher.Instance), null, CancellationToken.None);
        Assert.That(result.NodesAlreadyHeld, Is.GreaterThan(0), "nodes of the first attempt that the new tree shares were not fetched again");
        var joined = new GovernanceChain(source.Consortium, Delay, kv);
        Assert.That(joined.Ledger.Head.Hash, Is.EqualTo(source.Ledger.Head.Hash));
        Assert.That(FlatState(joined.Ledger), Is.EqualTo(FlatState(source.Ledger)));
    }

    [Test]
    public async Task A_store_that_holds_blocks_is_not_synced_over()
    {
        var source = Source(out _);
        var replayed = new GovernanceChain(source.Consortium, Delay);
        replayed.Keys.AddRange(source.Keys);
        replayed.Block();
        var refused = (await Assert.ThrowsAsync<LedgerException>(() => Sync(source, new LocalStateSyncPeer("v0", source.Ledger)).RunAsync(replayed.Ledger.Store, null, CancellationToken.None)))!;
        Assert.That(refused.Code, Is.EqualTo(ErrorCode.BlockOutOfOrder));
        Assert.That(refused.Message, Does.Contain("empty"));
    }

    /// <summary>Serves every block honestly and every leaf with one byte of its value changed.</summary>
    private sealed class LyingPeer(IStateSyncPeer inner) : IStateSyncPeer
    {
        public int Served;
        public string Name => "liar";
        public Task<(ulong Height, ulong TotalTransactions)> GetHeadAsync(CancellationToken c) => inner.GetHeadAsync(c);
        public Task<Block?> GetBlockAsync(ulong height, CancellationToken c) => inner.GetBlockAsync(height, c);
        public Task<BlockHeader?> GetHeaderAsync(ulong height, CancellationToken c) => inner.GetHeaderAsync(height, c);
        public Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken c) => inner.GetValidatorSetAsync(height, c);

        public async Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken c)
        {
            Interlocked.Increment(ref Served);
            var records = await inner.GetStateNodesAsync(hashes, c);
            return records.Select(r => r is { Length: > 70 } && r[0] == 0x00 ? [.. r[..^1], (byte)(r[^1] ^ 1)] : r).ToArray();
        }
    }

    /// <summary>Serves blocks with all but one seal cut off.</summary>
    private sealed class ThinSealsPeer(IStateSyncPeer inner) : IStateSyncPeer
    {
        public string Name => "thin";
        public Task<(ulong Height, ulong TotalTransactions)> GetHeadAsync(CancellationToken c) => inner.GetHeadAsync(c);
        public Task<BlockHeader?> GetHeaderAsync(ulong height, CancellationToken c) => inner.GetHeaderAsync(height, c);
        public Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken c) => inner.GetValidatorSetAsync(height, c);
        public Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken c) => inner.GetStateNodesAsync(hashes, c);

        public async Task<Block?> GetBlockAsync(ulong height, CancellationToken c)
        {
            var block = (await inner.GetBlockAsync(height, c))!;
            return new Block { Header = block.Header, Transactions = block.Transactions, Receipts = block.Receipts, Commit = block.Commit! with { Seals = block.Commit.Seals.Take(1).ToArray() } };
        }
    }

    /// <summary>Cancels the sync after it served <paramref name="batches"/> batches of nodes: a node stopped half-way.</summary>
    private sealed class StoppingPeer(IStateSyncPeer inner, int batches, CancellationTokenSource stop) : IStateSyncPeer
    {
        private int _served;
        public string Name => "stopping";
        public Task<(ulong Height, ulong TotalTransactions)> GetHeadAsync(CancellationToken c) => inner.GetHeadAsync(c);
        public Task<Block?> GetBlockAsync(ulong height, CancellationToken c) => inner.GetBlockAsync(height, c);
        public Task<BlockHeader?> GetHeaderAsync(ulong height, CancellationToken c) => inner.GetHeaderAsync(height, c);
        public Task<ValidatorSetProof?> GetValidatorSetAsync(ulong height, CancellationToken c) => inner.GetValidatorSetAsync(height, c);

        public Task<IReadOnlyList<byte[]?>> GetStateNodesAsync(IReadOnlyList<Hash32> hashes, CancellationToken c)
        {
            if (++_served > batches) stop.Cancel();
            c.ThrowIfCancellationRequested();
            return inner.GetStateNodesAsync(hashes, c);
        }
    }
}
