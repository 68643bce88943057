using Ledger.Core.State;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests.Stores;

/// <summary>The behaviour every <see cref="IKeyValueStore"/> engine must have; one subclass per engine.</summary>
public abstract class KeyValueStoreContract
{
    private IKeyValueStore? _store;

    protected IKeyValueStore Store => _store ?? throw new InvalidOperationException("no store");

    protected abstract IKeyValueStore CreateStore();

    [SetUp]
    public void OpenStore() => _store = CreateStore();

    [TearDown]
    public void CloseStore()
    {
        _store?.Dispose();
        _store = null;
    }

    protected void Put(byte[] key, byte[] value)
    {
        var batch = new WriteBatch();
        batch.Put(key, value);
        Store.Write(batch);
    }

    [Test]
    public void A_missing_key_reads_as_null() => Assert.That(Store.Get(Bytes.Of(1, 2, 3)), Is.Null);

    [Test]
    public void A_put_value_reads_back_including_an_empty_one()
    {
        Put(Bytes.Of(1), Bytes.Of(9, 8, 7));
        Put(Bytes.Of(2), []);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(9, 8, 7)));
            Assert.That(Store.Get(Bytes.Of(2)), Is.Empty.And.Not.Null);
        }
    }

    [Test]
    public void A_put_replaces_the_previous_value()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        Put(Bytes.Of(1), Bytes.Of(2, 2));
        Assert.That(Store.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(2, 2)));
    }

    [Test]
    public void A_delete_removes_the_key_and_leaves_its_neighbours()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        Put(Bytes.Of(1, 0), Bytes.Of(2));
        var batch = new WriteBatch();
        batch.Delete(Bytes.Of(1));
        batch.Delete(Bytes.Of(5)); // deleting a missing key is no error
        Store.Write(batch);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Get(Bytes.Of(1)), Is.Null);
            Assert.That(Store.Get(Bytes.Of(1, 0)), Is.EqualTo(Bytes.Of(2)));
            Assert.That(Store.Scan([]).Select(e => Bytes.Hex(e.Key)), Is.EqualTo(new[] { "0100" }));
        }
    }

    [Test]
    public void The_last_operation_on_a_key_in_a_batch_wins()
    {
        Put(Bytes.Of(3), Bytes.Of(3));
        var batch = new WriteBatch();
        batch.Put(Bytes.Of(1), Bytes.Of(1));
        batch.Delete(Bytes.Of(1));
        batch.Delete(Bytes.Of(2));
        batch.Put(Bytes.Of(2), Bytes.Of(22));
        batch.Put(Bytes.Of(3), Bytes.Of(30));
        batch.Put(Bytes.Of(3), Bytes.Of(31));
        Store.Write(batch);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Get(Bytes.Of(1)), Is.Null);
            Assert.That(Store.Get(Bytes.Of(2)), Is.EqualTo(Bytes.Of(22)));
            Assert.That(Store.Get(Bytes.Of(3)), Is.EqualTo(Bytes.Of(31)));
        }
    }

    [Test]
    public void A_batch_applies_every_put_and_delete()
    {
        for (var i = 0; i < 10; i++) Put(Bytes.Of(0x10, i), Bytes.Of(i));
        var batch = new WriteBatch();
        for (var i = 0; i < 10; i += 2) batch.Delete(Bytes.Of(0x10, i));
        for (var i = 0; i < 300; i++) batch.Put(Bytes.Of(0x20, i >> 8, i & 0xFF), Bytes.Of(i & 0xFF));
        Store.Write(batch);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Scan(Bytes.Of(0x10)).Select(e => e.Value[0]), Is.EqualTo(new byte[] { 1, 3, 5, 7, 9 }));
            Assert.That(Store.Scan(Bytes.Of(0x20)).Count(), Is.EqualTo(300));
        }
    }

    [Test]
    public void A_scan_returns_exactly_the_keys_with_the_prefix_in_unsigned_byte_order()
    {
        // Keys built from the bytes where signed and unsigned orders, and "shorter first", differ.
        byte[] edges = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF];
        var keys = new List<byte[]>();
        foreach (var a in edges)
        {
            keys.Add([a]);
            foreach (var b in edges)
            {
                keys.Add([a, b]);
                foreach (var c in new byte[] { 0x00, 0x80, 0xFF }) keys.Add([a, b, c]);
            }
        }
        var batch = new WriteBatch();
        foreach (var key in keys) batch.Put(key, key.Reverse().ToArray());
        Store.Write(batch);

        byte[][] prefixes = [[], [0x00], [0x7F], [0x80], [0xFF], [0xFF, 0xFF], [0x00, 0x00], [0x7F, 0x80], [0x80, 0x7F], [0xFE, 0xFF], [0x01, 0xFF, 0xFF], [0x42]];
        foreach (var prefix in prefixes)
        {
            var expected = keys.Where(k => k.AsSpan().StartsWith(prefix)).Order(ByteArrayComparer.Instance).Select(Bytes.Hex).ToArray();
            var scanned = Store.Scan(prefix).ToArray();
            Assert.That(scanned.Select(e => Bytes.Hex(e.Key)), Is.EqualTo(expected), $"prefix {Bytes.Hex(prefix)}");
            Assert.That(scanned.All(e => e.Value.SequenceEqual(e.Key.Reverse())), Is.True, $"values under prefix {Bytes.Hex(prefix)}");
        }
    }

    [Test]
    public void A_scan_matches_a_reference_over_random_keys()
    {
        var random = new Random(20240601);
        var reference = new SortedDictionary<byte[], byte[]>(ByteArrayComparer.Instance);
        for (var round = 0; round < 5; round++)
        {
            var batch = new WriteBatch();
            for (var i = 0; i < 200; i++)
            {
                var key = new byte[random.Next(1, 6)];
                random.NextBytes(key);
                key[0] = (byte)(key[0] % 4 * 0x55); // 0x00, 0x55, 0xAA, 0xFF: dense prefixes
                if (random.Next(4) == 0)
                {
                    batch.Delete(key);
                    reference.Remove(key);
                }
                else
                {
                    var value = new byte[random.Next(0, 40)];
                    random.NextBytes(value);
                    batch.Put(key, value);
                    reference[key] = value;
                }
            }
            Store.Write(batch);
        }
        foreach (var prefix in new byte[][] { [], [0x00], [0x55], [0xAA], [0xFF], [0xFF, 0x80] })
        {
            var expected = reference.Where(e => e.Key.AsSpan().StartsWith(prefix)).Select(e => Bytes.Hex(e.Key) + "=" + Bytes.Hex(e.Value));
            Assert.That(Store.Scan(prefix).Select(e => Bytes.Hex(e.Key) + "=" + Bytes.Hex(e.Value)), Is.EqualTo(expected), $"prefix {Bytes.Hex(prefix)}");
        }
    }

    [Test]
    public void A_scan_is_a_snapshot_the_caller_can_iterate_while_writing()
    {
        for (var i = 0; i < 20; i++) Put(Bytes.Of(7, i), Bytes.Of(i));
        var seen = new List<byte>();
        foreach (var (key, value) in Store.Scan(Bytes.Of(7)))
        {
            seen.Add(value[0]);
            var batch = new WriteBatch();
            batch.Delete(key);
            batch.Put(Bytes.Of(7, 100 + key[1]), Bytes.Of(200));
            Store.Write(batch);
        }
        using (Assert.EnterMultipleScope())
        {
            Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 20).Select(i => (byte)i)));
            Assert.That(Store.Scan(Bytes.Of(7)).Select(e => e.Key[1]), Is.EqualTo(Enumerable.Range(100, 20).Select(i => (byte)i)));
        }
    }

    [Test]
    public void Returned_arrays_are_copies()
    {
        Put(Bytes.Of(1), Bytes.Of(5));
        Store.Get(Bytes.Of(1))![0] = 6;
        var scanned = Store.Scan(Bytes.Of(1)).Single();
        scanned.Value[0] = 7;
        scanned.Key[0] = 8;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Store.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(5)));
            Assert.That(Store.Get(Bytes.Of(8)), Is.Null);
        }
    }

    [Test]
    public void Readers_never_see_part_of_a_batch()
    {
        // Every batch sets all 40 keys to the batch number. A reader's scan must find them all equal.
        const int keys = 40;
        const int batches = 150;
        WriteBatch Batch(int n)
        {
            var batch = new WriteBatch();
            for (var i = 0; i < keys; i++) batch.Put(Bytes.Of(0x50, i), BitConverter.GetBytes(n));
            return batch;
        }
        Store.Write(Batch(0));
        var done = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var scans = 0;
        using var started = new CountdownEvent(3);
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            var first = true;
            while (Volatile.Read(ref done) == 0)
            {
                var values = Store.Scan(Bytes.Of(0x50)).Select(e => BitConverter.ToInt32(e.Value)).ToArray();
                Interlocked.Increment(ref scans);
                if (first) started.Signal();
                first = false;
                if (values.Length != keys || values.Distinct().Count() != 1)
                    failures.Enqueue($"{values.Length} keys, values {string.Join(",", values.Distinct())}");
                var single = Store.Get(Bytes.Of(0x50, 7));
                if (single is null) failures.Enqueue("a point read found nothing");
            }
        })).ToArray();
        Assert.That(started.Wait(TimeSpan.FromSeconds(30)), Is.True, "readers started");
        for (var n = 1; n <= batches; n++) Store.Write(Batch(n));
        Volatile.Write(ref done, 1);
        Task.WaitAll(readers);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty);
            Assert.That(scans, Is.GreaterThan(0));
            Assert.That(Store.Scan(Bytes.Of(0x50)).Select(e => BitConverter.ToInt32(e.Value)), Is.All.EqualTo(batches));
        }
    }

    [Test]
    public void Point_reads_from_many_threads_see_whole_values_while_one_thread_writes()
    {
        // Values grow with each version and carry the version in every byte, so a torn read shows.
        var done = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0;
        using var started = new CountdownEvent(4);
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            var lastSeen = new int[16];
            var first = true;
            while (Volatile.Read(ref done) == 0)
            {
                Interlocked.Increment(ref reads);
                for (var k = 0; k < 16; k++)
                {
                    var value = Store.Get(Bytes.Of(0x60, k));
                    if (value is null) continue;
                    var version = value[0];
                    if (value.Length != version * 3 + 1 || value.Any(b => b != version)) failures.Enqueue($"torn value for key {k}");
                    if (version < lastSeen[k]) failures.Enqueue($"key {k} went back from {lastSeen[k]} to {version}");
                    lastSeen[k] = version;
                }
                if (first) started.Signal();
                first = false;
            }
        })).ToArray();
        Assert.That(started.Wait(TimeSpan.FromSeconds(30)), Is.True, "readers started");
        for (var version = 1; version < 120; version++)
        {
            var batch = new WriteBatch();
            for (var k = 0; k < 16; k++) batch.Put(Bytes.Of(0x60, k), Enumerable.Repeat((byte)version, version * 3 + 1).ToArray());
            Store.Write(batch);
        }
        Volatile.Write(ref done, 1);
        Task.WaitAll(readers);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(failures, Is.Empty);
            Assert.That(reads, Is.GreaterThan(0));
        }
    }

    [Test]
    public void A_key_read_as_missing_reads_its_value_once_written_and_missing_once_deleted()
    {
        var key = Bytes.Of(0x70, 1);
        Assert.That(Store.Get(key), Is.Null);
        Assert.That(Store.Get(key), Is.Null);
        Put(key, Bytes.Of(1));
        Assert.That(Store.Get(key), Is.EqualTo(Bytes.Of(1)));
        var batch = new WriteBatch();
        batch.Delete(key);
        Store.Write(batch);
        Assert.That(Store.Get(key), Is.Null);
        Put(key, Bytes.Of(2));
        Assert.That(Store.Get(key), Is.EqualTo(Bytes.Of(2)));
    }

    [Test]
    public void A_written_key_reads_back_when_write_returns_while_other_threads_read_it_as_missing()
    {
        // Readers keep reading keys before they are written; a miss remembered across a write would show here.
        const int keys = 150;
        var done = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(() =>
        {
            while (Volatile.Read(ref done) == 0)
                for (var k = 0; k < keys; k++) Store.Get(Bytes.Of(0x71, k));
        })).ToArray();
        var stale = new List<int>();
        for (var k = 0; k < keys; k++)
        {
            Put(Bytes.Of(0x71, k), Bytes.Of(k));
            if (Store.Get(Bytes.Of(0x71, k)) is null) stale.Add(k);
        }
        Volatile.Write(ref done, 1);
        Task.WaitAll(readers);
        Assert.That(stale, Is.Empty);
    }

    [Test]
    public void An_empty_batch_changes_nothing()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        Store.Write(new WriteBatch());
        Assert.That(Store.Scan([]).Select(e => Bytes.Hex(e.Key)), Is.EqualTo(new[] { "01" }));
    }

    [Test]
    public void A_disposed_store_refuses_writes()
    {
        Store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => Put(Bytes.Of(1), Bytes.Of(1)));
    }
}
