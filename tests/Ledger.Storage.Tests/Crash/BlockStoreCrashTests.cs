using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Ledger.Crypto;
using Ledger.Storage.CrashWriter;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests.Crash;

/// <summary>
/// A real child process commits certified blocks through <see cref="BlockStore.Commit"/> (block, tx / document / contract
/// indexes, state, state tree, root and head in one batch) on each engine and prints "committed H" once Commit returns; the
/// test kills it with SIGKILL at seeded random moments — mid-commit, mid-checkpoint or compaction, during start-up — then
/// reopens the store as a node does and checks: the head is at or past every acknowledged block, every block from genesis to
/// the head is readable (its txs byte for byte, certificates put back from the store's table) and chains to its parent, every tx is found by id, document hash and contract, the state tree's root
/// is the head's, and nothing of a later block is there.
/// </summary>
[NonParallelizable]
public class BlockStoreCrashTests
{
    [TestCase("litedb")]
    [TestCase("rocksdb")]
    public Task Acknowledged_blocks_survive_12_kills_mid_commit(string engine) => Run(engine, kills: 12, seed: 18);

    [TestCase("litedb")]
    [TestCase("rocksdb")]
    [Category("Long")]
    [Explicit("a few minutes per engine; run with --filter TestCategory=Long")]
    public Task Acknowledged_blocks_survive_120_kills_mid_commit(string engine) => Run(engine, kills: 120, seed: 1018);

    private static async Task Run(string engine, int kills, int seed)
    {
        using var directory = new TempDirectory();
        var path = directory.File(engine == "litedb" ? "ledger.db" : "ledger.rocksdb");
        var random = new Random(seed);
        long acknowledged = -1, verifiedUpTo = -1;
        var killedWhileCommitting = 0;
        var clock = Stopwatch.StartNew();
        for (var round = 0; round < kills; round++)
        {
            // Three kills in four come a random time after this run's first commit (mid-commit, mid-checkpoint or compaction),
            // one a random time after the process started (runtime start-up, the engine's log replay, the first commit).
            var afterCommit = random.Next(4) != 0;
            var delay = TimeSpan.FromMilliseconds(random.Next(0, afterCommit ? 400 : 700));
            var run = await CrashWriterRun.KillAsync(["blocks", engine, path, CheckpointPages.ToString(CultureInfo.InvariantCulture)],
                afterCommit ? "committed " : null, TimeSpan.FromSeconds(120), delay);
            Assert.That(run.ExitedByItself, Is.False, $"round {round}: the writer stopped by itself: {run.StdErr}");
            if (run.Opened is { } opened)
                Assert.That(opened, Is.EqualTo(verifiedUpTo), $"round {round}: the writer opened at block {opened}, the test last saw {verifiedUpTo}");
            if (run.Committed.Count > 0)
            {
                killedWhileCommitting++;
                Assert.That(run.Committed, Is.EqualTo(Enumerable.Range((int)verifiedUpTo + 1, run.Committed.Count).Select(n => (long)n)), "blocks in sequence");
                acknowledged = run.Committed[^1];
            }
            using (var kv = CrashBlocks.Open(engine, path, CheckpointPages))
            {
                var store = new BlockStore(kv, Sm3Hasher.Instance); // opens as a node would, or the test fails here
                var head = store.Head is { } h ? (long)h.Height : -1;
                Assert.That(head, Is.GreaterThanOrEqualTo(acknowledged), $"round {round}: block {acknowledged} was acknowledged but the head is {head}");
                Verify(store, from: Math.Max(0, verifiedUpTo - 1), head, $"round {round}");
                verifiedUpTo = head;
                acknowledged = head;
            }
        }
        using (var kv = CrashBlocks.Open(engine, path, CheckpointPages))
        {
            var store = new BlockStore(kv, Sm3Hasher.Instance);
            Verify(store, 0, verifiedUpTo, "final, every block");
            CrashBlocks.Commit(store, (ulong)(verifiedUpTo + 1)); // and the chain goes on from there
        }
        Assert.That(verifiedUpTo, Is.GreaterThanOrEqualTo(kills / 2), "blocks were committed between the kills");
        Assert.That(killedWhileCommitting, Is.GreaterThanOrEqualTo(kills / 4), "enough kills landed while blocks were being committed");
        await TestContext.Out.WriteLineAsync($"{engine}: {kills} kills in {clock.Elapsed.TotalSeconds:F1} s, {verifiedUpTo + 1} blocks committed, {killedWhileCommitting} kills while committing");
    }

    /// <summary>Small, so LiteDB's writer checkpoints every few blocks and kills land inside checkpoints too.</summary>
    private const int CheckpointPages = 64;

    private static void Verify(BlockStore store, long from, long head, string when)
    {
        for (var height = (ulong)from; (long)height <= head; height++)
        {
            var block = store.GetBlock(height);
            if (block is null) Assert.Fail($"{when}: block {height} of {head} is missing");
            if (height > 0 && block!.Header.PrevHash != store.GetBlock(height - 1)!.Header.ComputeHash(Sm3Hasher.Instance))
                Assert.Fail($"{when}: block {height} does not chain to block {height - 1}");
            for (var i = 0; i < (int)block!.Header.TxCount; i++)
            {
                var id = CrashBlocks.TxId(height, i);
                if (!block.Transactions[i].Span.SequenceEqual(CrashBlocks.Tx(height, i))) Assert.Fail($"{when}: tx {height}/{i} does not read back as committed");
                if (store.FindTransaction(id) is not { } location || location.Height != height || location.Index != i)
                    Assert.Fail($"{when}: tx {height}/{i} is not indexed at its block");
                if (!store.FindByDocumentHash(CrashBlocks.Document(height, i)).Contains(id)) Assert.Fail($"{when}: document {height}/{i} is not indexed");
                if (store.ContractTransactions(CrashBlocks.ContractId(height, i)).Count != 1) Assert.Fail($"{when}: contract {height}/{i} is not indexed");
            }
        }
        if (head >= 0)
        {
            Assert.That(store.StateRoot, Is.EqualTo(store.Head!.Header.StateRoot), $"{when}: the stored state root is the head's");
            var counter = store.OpenState().Get(CrashBlocks.CounterKey);
            Assert.That(counter is null ? -1 : (long)BitConverter.ToUInt64(counter), Is.EqualTo(head), $"{when}: the state is the head's");
        }
        var next = (ulong)(head + 1);
        Assert.That(store.GetBlock(next), Is.Null, $"{when}: block {next} is past the head");
        Assert.That(store.FindTransaction(CrashBlocks.TxId(next, 0)), Is.Null, $"{when}: a tx of block {next} (not committed) is indexed");
    }
}
