using Ledger.Core;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests.Stores;

public class LiteDbKeyValueStoreTests : KeyValueStoreContract
{
    private TempDirectory? _directory;

    private string DatabasePath => _directory!.File("node.db");

    protected override IKeyValueStore CreateStore()
    {
        _directory = new TempDirectory();
        return new LiteDbKeyValueStore(DatabasePath);
    }

    [TearDown]
    public void DeleteDirectory() => _directory?.Dispose();

    private LiteDbKeyValueStore Reopen(LiteDbStoreOptions? options = null)
    {
        CloseStore();
        return new LiteDbKeyValueStore(options ?? new LiteDbStoreOptions(DatabasePath));
    }

    [Test]
    public void A_snapshot_is_the_store_at_the_freeze_while_writes_go_on_and_checkpoints_resume_after()
    {
        // A small checkpoint threshold, so that writes during the copy would checkpoint if the freeze let them.
        CloseStore();
        using var store = new LiteDbKeyValueStore(new LiteDbStoreOptions(DatabasePath) { CheckpointPages = 2 });
        for (var i = 0; i < 200; i++) Write(store, (byte)i, 1);
        var seenWhileFrozen = -1;
        var copyPath = _directory!.File("copy.db");
        using (var snapshot = store.OpenSnapshot(() => seenWhileFrozen = store.Get([0x00, 199])![0]))
        {
            // Writes after the freeze: new values, new keys, many pages — none may reach the copy.
            for (var i = 0; i < 200; i++) Write(store, (byte)i, 2);
            for (var i = 0; i < 50; i++) Write(store, (byte)i, 3, prefix: 0x01);
            Assert.That(File.Exists(copyPath), Is.False);
            using var copy = File.Create(copyPath);
            snapshot.CopyTo(copy);
        }
        Assert.That(seenWhileFrozen, Is.EqualTo(1));
        using (var copied = new LiteDbKeyValueStore(copyPath))
        {
            Assert.That(copied.Scan([0x00]).Select(e => e.Value[0]).Distinct(), Is.EqualTo(new byte[] { 1 }), "the copy holds the values at the freeze");
            Assert.That(copied.Scan([0x00]).Count(), Is.EqualTo(200));
            Assert.That(copied.Scan([0x01]), Is.Empty, "and no key written after it");
        }
        // The live store has everything, and checkpoints again: after more writes its log is folded back into the file.
        Assert.That(store.Scan([0x00]).Select(e => e.Value[0]).Distinct(), Is.EqualTo(new byte[] { 2 }));
        Assert.That(store.Scan([0x01]).Count(), Is.EqualTo(50));
        var logPath = _directory.File("node-log.db");
        for (var i = 0; i < 50; i++) Write(store, (byte)i, 4);
        Assert.That(File.Exists(logPath) ? new FileInfo(logPath).Length : 0, Is.LessThan(3 * 8192 * 4), "checkpoints resumed after the snapshot");
    }

    private static void Write(LiteDbKeyValueStore store, byte key, byte value, byte prefix = 0x00)
    {
        var batch = new WriteBatch();
        batch.Put([prefix, key], Enumerable.Repeat(value, 2000).ToArray());
        store.Write(batch);
    }

    [Test]
    public void Entries_survive_closing_and_reopening_the_file()
    {
        Put(Bytes.Of(0xFF, 0x00), Bytes.Of(1));
        Put(Bytes.Of(0x00, 0xFF), Bytes.Of(2));
        Put(Bytes.Of(0x80), Bytes.Of(3));
        var batch = new WriteBatch();
        batch.Delete(Bytes.Of(0x80));
        Store.Write(batch);
        using var reopened = Reopen();
        Assert.That(reopened.Scan([]).Select(e => Bytes.Hex(e.Key) + "=" + Bytes.Hex(e.Value)), Is.EqualTo(new[] { "00ff=02", "ff00=01" }));
    }

    [Test]
    public void Values_larger_than_a_chunk_round_trip_through_overwrite_delete_and_reopen()
    {
        CloseStore();
        var options = new LiteDbStoreOptions(DatabasePath) { ChunkBytes = 1000 };
        var random = new Random(7);
        byte[] Value(int length)
        {
            var value = new byte[length];
            random.NextBytes(value);
            return value;
        }
        var big = Value(3500);
        var bigger = Value(5001);
        var small = Value(10);
        using (var store = new LiteDbKeyValueStore(options))
        {
            var batch = new WriteBatch();
            batch.Put(Bytes.Of(1), big);
            batch.Put(Bytes.Of(2), Value(2000));
            batch.Put(Bytes.Of(3), Value(1000)); // exactly one chunk's worth stays inline
            store.Write(batch);
            Assert.That(store.Get(Bytes.Of(1)), Is.EqualTo(big));

            batch = new WriteBatch();
            batch.Put(Bytes.Of(1), bigger);   // chunked over chunked
            batch.Put(Bytes.Of(2), small);    // inline over chunked
            store.Write(batch);
            using (Assert.EnterMultipleScope())
            {
                Assert.That(store.Get(Bytes.Of(1)), Is.EqualTo(bigger));
                Assert.That(store.Get(Bytes.Of(2)), Is.EqualTo(small));
                Assert.That(store.Scan([]).Select(e => e.Value.Length), Is.EqualTo(new[] { 5001, 10, 1000 }));
            }
        }
        using (var store = new LiteDbKeyValueStore(options))
        {
            Assert.That(store.Get(Bytes.Of(1)), Is.EqualTo(bigger));
            var batch = new WriteBatch();
            batch.Delete(Bytes.Of(1));
            batch.Put(Bytes.Of(2), big); // chunked over inline
            store.Write(batch);
        }
        using (var store = new LiteDbKeyValueStore(options))
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(store.Get(Bytes.Of(1)), Is.Null);
                Assert.That(store.Get(Bytes.Of(2)), Is.EqualTo(big));
                Assert.That(store.Scan([]).Select(e => Bytes.Hex(e.Key)), Is.EqualTo(new[] { "02", "03" }));
            }
        }
    }

    [Test]
    public void A_value_of_the_largest_block_size_is_stored()
    {
        // 16 MiB is more than one LiteDB document can hold (~15.9 MiB): the store must split it.
        var value = new byte[Core.Wire.EncodingLimits.MaxBlockBytes];
        new Random(3).NextBytes(value);
        Put(Bytes.Of(0x62, 1), value);
        using var reopened = Reopen();
        Assert.That(reopened.Get(Bytes.Of(0x62, 1)), Is.EqualTo(value));
    }

    [Test]
    public void A_batch_with_a_key_too_long_is_refused_and_writes_nothing()
    {
        var batch = new WriteBatch();
        batch.Put(Bytes.Of(1), Bytes.Of(1));
        batch.Put(new byte[LiteDbKeyValueStore.MaxKeyBytes + 1], Bytes.Of(2));
        batch.Put(Bytes.Of(0xFF), Bytes.Of(3));
        var refusal = Assert.Throws<LedgerException>(() => Store.Write(batch));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal.Code, Is.EqualTo(ErrorCode.Oversize));
            Assert.That(Store.Scan([]), Is.Empty);
        }
        Put(new byte[LiteDbKeyValueStore.MaxKeyBytes], Bytes.Of(4));
        Assert.That(Store.Get(new byte[LiteDbKeyValueStore.MaxKeyBytes]), Is.EqualTo(Bytes.Of(4)));
    }

    [Test]
    public void A_file_that_is_not_a_database_is_refused_with_one_clear_message()
    {
        CloseStore();
        var garbage = new byte[8192 * 4];
        new Random(11).NextBytes(garbage);
        File.WriteAllBytes(DatabasePath, garbage);
        var refusal = Assert.Throws<LedgerException>(() => new LiteDbKeyValueStore(DatabasePath).Dispose());
        Assert.That(refusal.Message, Does.Contain(DatabasePath).And.Contain("corrupt"));
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
    }

    [Test]
    public void A_database_whose_header_page_is_damaged_is_refused()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        CloseStore();
        using (var file = new FileStream(DatabasePath, FileMode.Open, FileAccess.Write))
        {
            file.Write(new byte[64]); // the header's signature ("** This is a LiteDB file **") is gone
        }
        var refusal = Assert.Throws<LedgerException>(() => new LiteDbKeyValueStore(DatabasePath).Dispose());
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
    }

    [Test]
    public void A_second_store_on_the_same_file_is_refused_while_the_first_is_open()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        var refusal = Assert.Throws<LedgerException>(() => new LiteDbKeyValueStore(DatabasePath).Dispose());
        Assert.That(refusal.Message, Does.Contain("in use"));
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageLocked));
        Assert.That(Store.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(1)), "the first store keeps working");
        using var reopened = Reopen();
        Assert.That(reopened.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(1)), "and the file opens once it is closed");
    }

    [Test]
    public void A_batch_is_in_the_log_file_when_write_returns()
    {
        // What the crash test relies on: a committed batch is in LiteDB's log (not only in memory) before
        // any checkpoint has copied it into the data file.
        CloseStore();
        using var store = new LiteDbKeyValueStore(new LiteDbStoreOptions(DatabasePath) { CheckpointPages = 0 });
        var logPath = _directory!.File("node-log.db");
        var before = File.Exists(logPath) ? new FileInfo(logPath).Length : 0;
        var batch = new WriteBatch();
        batch.Put(Bytes.Of(1), new byte[20_000]);
        store.Write(batch);
        Assert.That(new FileInfo(logPath).Length, Is.GreaterThan(before + 20_000));
    }

    [Test]
    public void Reading_a_fresh_store_while_its_first_batch_commits_does_not_break_it()
    {
        // LiteDB 5.0.21 throws "page type must be collection page" and closes the engine when a collection is
        // read while another transaction creates it (litedb-org/LiteDB#2792); the store creates them on open.
        CloseStore();
        for (var round = 0; round < 25; round++)
        {
            using var store = new LiteDbKeyValueStore(_directory!.File($"fresh-{round}.db"));
            using var started = new CountdownEvent(2);
            var done = 0;
            var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            {
                started.Signal();
                while (Volatile.Read(ref done) == 0)
                {
                    store.Get(Bytes.Of(1));
                    _ = store.Scan(Bytes.Of(1)).Count();
                }
            })).ToArray();
            started.Wait();
            var batch = new WriteBatch();
            for (var i = 0; i < 200; i++) batch.Put(Bytes.Of(1, i), new byte[100]);
            store.Write(batch);
            Volatile.Write(ref done, 1);
            Assert.DoesNotThrow(() => Task.WaitAll(readers), $"round {round}");
            Assert.That(store.Scan(Bytes.Of(1)).Count(), Is.EqualTo(200), $"round {round}");
        }
    }
}
