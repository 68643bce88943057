using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Ledger.Storage.CrashWriter;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests.Crash;

/// <summary>
/// A real child process writes numbered batches to a LiteDB store and prints "committed N" after each Write
/// returns; the test kills it with SIGKILL at seeded random moments — during startup, while LiteDB replays its
/// log, mid-batch, mid-checkpoint — then reopens the file and checks: every acknowledged batch is there in full,
/// no batch is there in part, the file opens, and the next writer carries on from where the store stands.
/// </summary>
[NonParallelizable]
public class CrashSafetyTests
{
    // Small enough that the writer checkpoints every few batches and chunks its large value, so kills also
    // land inside checkpoints and inside chunked rewrites.
    private const int CheckpointPages = 32;
    private const int ChunkBytes = 2048;

    [Test]
    public Task Acknowledged_batches_survive_25_kills_and_none_is_left_partial() => Run(kills: 25, seed: 4711);

    [Test]
    [Category("Long")]
    [Explicit("about 3 minutes; run with --filter TestCategory=Long")]
    public Task Acknowledged_batches_survive_200_kills_and_none_is_left_partial() => Run(kills: 200, seed: 1033);

    private static async Task Run(int kills, int seed)
    {
        using var directory = new TempDirectory();
        var options = new LiteDbStoreOptions(directory.File("crash.db")) { CheckpointPages = CheckpointPages, ChunkBytes = ChunkBytes };
        var random = new Random(seed);
        long acknowledged = -1, verifiedUpTo = -1;
        int killedMidRun = 0, killedBeforeOpen = 0, unacknowledgedButPresent = 0;
        var stopwatch = Stopwatch.StartNew();

        for (var round = 0; round < kills; round++)
        {
            // Two kills in three come a random time after the store opened (mid-batch, mid-checkpoint), one a random
            // time after the process started (runtime startup, LiteDB's log replay, the first batches).
            var afterOpen = random.Next(3) != 0;
            var delay = TimeSpan.FromMilliseconds(afterOpen ? random.Next(0, 700) : random.Next(0, 600));
            var run = await CrashWriterRun.KillAsync([options.Path, options.CheckpointPages.ToString(System.Globalization.CultureInfo.InvariantCulture), options.ChunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                afterOpen ? "opened " : null, TimeSpan.FromSeconds(30), delay);
            Assert.That(run.ExitedByItself, Is.False, $"round {round}: the writer stopped by itself: {run.StdErr}");
            if (run.Opened is { } opened)
            {
                Assert.That(opened, Is.EqualTo(verifiedUpTo), $"round {round}: the writer opened the store at batch {opened}, the test last saw {verifiedUpTo}");
                if (run.Committed.Count > 0) killedMidRun++;
            }
            else
            {
                killedBeforeOpen++;
            }
            if (run.Committed.Count > 0)
            {
                Assert.That(run.Committed, Is.EqualTo(Enumerable.Range((int)verifiedUpTo + 1, run.Committed.Count).Select(n => (long)n)), "batches in sequence");
                acknowledged = run.Committed[^1];
            }

            using var store = new LiteDbKeyValueStore(options); // opens cleanly, or the test fails here
            var last = CrashBatch.Last(store.Get(CrashBatch.LastKey));
            Assert.That(last, Is.GreaterThanOrEqualTo(acknowledged), $"round {round}: batch {acknowledged} was acknowledged but the store ends at {last}");
            if (last > acknowledged) unacknowledgedButPresent++;
            VerifyBatches(store, from: Math.Max(0, verifiedUpTo - 1), last, $"round {round}");
            if (round % 5 == 4) VerifyCount(store, last, $"round {round}");
            verifiedUpTo = last;
            acknowledged = last; // what is in the store now is what the next writer must continue from
        }

        // Writing continues: one more batch through a fresh store, then a reopen.
        using (var store = new LiteDbKeyValueStore(options))
        {
            store.Write(CrashBatch.Build(verifiedUpTo + 1));
        }
        using (var store = new LiteDbKeyValueStore(options))
        {
            Assert.That(CrashBatch.Last(store.Get(CrashBatch.LastKey)), Is.EqualTo(verifiedUpTo + 1));
            VerifyBatches(store, 0, verifiedUpTo + 1, "final");
            VerifyCount(store, verifiedUpTo + 1, "final");
        }
        Assert.That(killedMidRun, Is.GreaterThan(kills / 4), "enough kills landed while batches were being written");
        await TestContext.Out.WriteLineAsync(
            $"{kills} kills in {stopwatch.Elapsed.TotalSeconds:F1} s: {verifiedUpTo + 1} batches committed, {killedMidRun} kills while writing, " +
            $"{killedBeforeOpen} before the store opened, {unacknowledgedButPresent} with a batch committed but not yet acknowledged");
    }

    private static void VerifyBatches(LiteDbKeyValueStore store, long from, long last, string when)
    {
        for (var n = from; n <= last; n++)
        {
            for (var i = 0; i < CrashBatch.KeysPerBatch; i++)
            {
                var value = store.Get(CrashBatch.Key(n, i));
                if (value is null || !value.AsSpan().SequenceEqual(CrashBatch.Value(n, i)))
                    Assert.Fail($"{when}: batch {n} (of {last}) key {i} is {(value is null ? "missing" : "wrong")}");
            }
        }
        // Nothing of a later batch: the one the kill interrupted must have left no key behind.
        for (var n = last + 1; n <= last + 3; n++)
        {
            for (var i = 0; i < CrashBatch.KeysPerBatch; i++)
            {
                if (store.Get(CrashBatch.Key(n, i)) is not null) Assert.Fail($"{when}: batch {n} is partly present after last = {last}");
            }
        }
        if (last >= 0)
            Assert.That(store.Get(CrashBatch.BigKey), Is.EqualTo(CrashBatch.BigValue(last)), $"{when}: the chunked value is batch {last}'s");
    }

    private static void VerifyCount(LiteDbKeyValueStore store, long last, string when) =>
        Assert.That(store.Scan(CrashBatch.KeyPrefix).Count(), Is.EqualTo((last + 1) * CrashBatch.KeysPerBatch), $"{when}: keys in the store");
}
