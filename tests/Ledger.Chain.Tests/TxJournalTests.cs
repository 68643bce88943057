using Ledger.Chain.Journal;
using Ledger.Core;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit.Network;

namespace Ledger.Chain.Tests;

public class TxJournalTests
{
    private static readonly TestConsortium Consortium = new();
    private static int _contract;
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ledger-journal-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string JournalPath => Path.Combine(_dir.FullName, "tx.journal");

    private static TxEnvelope Register(DateTimeOffset? expiresAt = null)
    {
        var n = Interlocked.Increment(ref _contract);
        return Consortium.Transaction(Consortium.Register($"GZ-JOURNAL-{n}", Sm3.Hash(BitConverter.GetBytes(n))), Consortium.Employer, [Consortium.Employer], expiresAt: expiresAt);
    }

    private static JournalEntry Entry(int i, long? expiresAt = null)
    {
        var bytes = new byte[100 + i % 50];
        BitConverter.GetBytes(i).CopyTo(bytes, 0);
        return new JournalEntry(Sm3.Hash(bytes), expiresAt ?? DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds(), bytes);
    }

    [Test]
    public async Task Concurrent_appends_share_fsyncs_and_all_come_back_after_reopening()
    {
        var entries = Enumerable.Range(0, 400).Select(i => Entry(i)).ToArray();
        using (var journal = new TxJournal(JournalPath))
        {
            await Task.WhenAll(entries.Select(e => Task.Run(() => journal.AppendAsync(e))));
            Assert.That(journal.Count, Is.EqualTo(400));
            Assert.That(journal.Writes, Is.LessThan(400), "group commit: concurrent appends share writes");
            TestContext.Out.WriteLine($"400 entries in {journal.Writes} writes");
        }
        using var reopened = new TxJournal(JournalPath);
        var recovered = reopened.Recover();
        Assert.That(recovered.Select(r => Sm3.Hash(r.Span)), Is.EquivalentTo(entries.Select(e => e.TxId)));
    }

    [Test]
    public async Task Committed_entries_are_compacted_away_and_expired_ones_dropped()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var big = Enumerable.Range(0, 80).Select(i => new JournalEntry(Sm3.Hash(BitConverter.GetBytes(i)), now + 3_600_000, new byte[64 * 1024])).ToArray();
        using (var journal = new TxJournal(JournalPath))
        {
            foreach (var entry in big) await journal.AppendAsync(entry);
            Assert.That(new FileInfo(JournalPath).Length, Is.GreaterThan(80 * 64 * 1024));
            journal.Committed(big.Take(78).Select(e => e.TxId).ToArray());
            var soon = DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeMilliseconds();
            var expired = new JournalEntry(Sm3.Hash("expired"u8), soon, new byte[10]);
            await journal.AppendAsync(expired);
            Assert.That(journal.Count, Is.EqualTo(3));
            // Compaction runs on the writer after the commit: wait for the file to shrink.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((journal.Compactions == 0 || new FileInfo(JournalPath).Length > 3 * 64 * 1024 + 1024) && DateTime.UtcNow < deadline) await Task.Delay(20);
            Assert.That(new FileInfo(JournalPath).Length, Is.LessThan(3 * 64 * 1024 + 1024), "the committed entries' bytes are gone");
            Assert.That(journal.Compactions, Is.GreaterThan(0));
            while (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() <= soon) await Task.Delay(20);
            journal.Reset([big[78], big[79], expired]);
            Assert.That(journal.Count, Is.EqualTo(2), "an expired entry is dropped at compaction");
        }
        using var reopened = new TxJournal(JournalPath);
        Assert.That(reopened.Recover().Select(r => r.Length), Is.EqualTo(new[] { 64 * 1024, 64 * 1024 }));
    }

    [Test]
    public async Task A_torn_final_write_is_cut_and_damage_before_the_end_refuses_to_open()
    {
        using (var journal = new TxJournal(JournalPath))
        {
            await journal.AppendAsync(Entry(1));
            await journal.AppendAsync(Entry(2));
            await journal.AppendAsync(Entry(3));
        }
        var bytes = File.ReadAllBytes(JournalPath);
        File.WriteAllBytes(JournalPath, bytes[..^20]);
        using (var torn = new TxJournal(JournalPath))
            Assert.That(torn.Recover(), Has.Count.EqualTo(2), "the torn last write is dropped, the others kept");

        var damaged = bytes.ToArray();
        damaged[8 + 10] ^= 0x20;
        File.WriteAllBytes(JournalPath, damaged);
        using var corrupt = new TxJournal(JournalPath);
        var e = Assert.Throws<AppendLogCorruptException>(() => corrupt.Recover());
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
        Assert.That(e.Message, Does.Contain("tx.journal").And.Contain("record 0"));
    }

    [Test]
    public void A_node_that_stops_after_acknowledging_gets_its_txs_back_and_commits_them()
    {
        var store = new InMemoryKeyValueStore();
        var acknowledged = new List<Hash32>();
        var committedEarlier = Register();
        var expiring = Register(expiresAt: DateTimeOffset.UtcNow.AddSeconds(5));
        using (var journal = new TxJournal(JournalPath))
        {
            var chain = new SoloChain(Consortium, store: store, journal: journal);
            chain.Commit(committedEarlier);
            for (var i = 0; i < 20; i++)
            {
                var result = chain.Submit(Register());
                Assert.That(result.Accepted, Is.True, result.Result.ToString());
                acknowledged.Add(result.TxId!.Value);
            }
            Assert.That(chain.Submit(expiring).Accepted, Is.True);
            Assert.That(chain.Chain.Journaled, Is.EqualTo(21), "committed txs leave the journal");
            // The "crash": the pool is gone with the process; only the store and the journal remain.
        }
        // The committed one is still in the file (no compaction was due): a restart must not admit it again.
        while (DateTimeOffset.UtcNow < DateTimeOffset.FromUnixTimeMilliseconds(expiring.Body.ExpiresAt).AddMilliseconds(50)) Thread.Sleep(20);

        using var restartedJournal = new TxJournal(JournalPath);
        var restarted = new SoloChain(Consortium, store: store, journal: restartedJournal);
        var (admitted, dropped) = restarted.Chain.RecoverJournal();
        Assert.That(admitted, Is.EqualTo(20), "every acknowledged tx is back in the pool");
        Assert.That(dropped, Is.EqualTo(2), "the expired one and the one committed before the crash are dropped");
        Assert.That(restarted.Chain.Recovered.Select(r => r.TxId), Is.EquivalentTo(acknowledged));
        Assert.That(restarted.Producer.ProduceBlock(), Is.Not.Null);
        foreach (var id in acknowledged) Assert.That(restarted.Chain.GetTransaction(id), Is.Not.Null);
        Assert.That(restarted.Chain.Journaled, Is.Zero, "committed txs leave the journal");
    }
}
