using Ledger.Core;
using Ledger.Storage.Tests.Support;

namespace Ledger.Storage.Tests.Stores;

/// <summary>The store contract on RocksDB, and what is particular to a directory-based engine.</summary>
public class RocksDbKeyValueStoreTests : KeyValueStoreContract
{
    private TempDirectory? _directory;

    private string DatabasePath => _directory!.File("ledger.rocksdb");

    protected override IKeyValueStore CreateStore()
    {
        _directory = new TempDirectory();
        return new RocksDbKeyValueStore(DatabasePath);
    }

    [TearDown]
    public void DeleteDirectory() => _directory?.Dispose();

    private RocksDbKeyValueStore Reopen()
    {
        CloseStore();
        return new RocksDbKeyValueStore(DatabasePath);
    }

    [Test]
    public void Entries_and_deletes_survive_closing_and_reopening()
    {
        var batch = new WriteBatch();
        for (var i = 0; i < 256; i++) batch.Put([0x01, (byte)i], new byte[100 + i]);
        Store.Write(batch);
        var deletes = new WriteBatch();
        deletes.Delete([0x01, 7]);
        Store.Write(deletes);
        using var reopened = Reopen();
        Assert.That(reopened.Get([0x01, 8]), Has.Length.EqualTo(108));
        Assert.That(reopened.Get([0x01, 7]), Is.Null);
        Assert.That(reopened.Scan([0x01]).Count(), Is.EqualTo(255), "256 keys, one deleted");
    }

    [Test]
    public void A_value_of_the_largest_block_size_is_stored()
    {
        var value = new byte[16 * 1024 * 1024];
        new Random(3).NextBytes(value);
        Put(Bytes.Of(9), value);
        using var reopened = Reopen();
        Assert.That(reopened.Get(Bytes.Of(9)), Is.EqualTo(value));
    }

    [Test]
    public void A_second_store_on_the_same_directory_is_refused_while_the_first_is_open()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        var refusal = Assert.Throws<LedgerException>(() => new RocksDbKeyValueStore(DatabasePath).Dispose());
        Assert.That(refusal.Message, Does.Contain("in use"));
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageLocked));
        Assert.That(Store.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(1)), "the first store keeps working");
        using var reopened = Reopen();
        Assert.That(reopened.Get(Bytes.Of(1)), Is.EqualTo(Bytes.Of(1)), "and the directory opens once it is closed");
    }

    [Test]
    public void A_directory_whose_manifest_is_damaged_is_refused_as_corrupt()
    {
        Put(Bytes.Of(1), Bytes.Of(1));
        CloseStore();
        var current = File.ReadAllText(Path.Combine(DatabasePath, "CURRENT")).Trim();
        var manifest = Path.Combine(DatabasePath, current);
        var bytes = File.ReadAllBytes(manifest);
        new Random(5).NextBytes(bytes.AsSpan(0, Math.Min(64, bytes.Length)));
        File.WriteAllBytes(manifest, bytes);
        var refusal = Assert.Throws<LedgerException>(() => new RocksDbKeyValueStore(DatabasePath).Dispose());
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
        Assert.That(refusal.Message, Does.Contain(DatabasePath));
    }

    [Test]
    public void A_path_that_is_a_file_is_refused()
    {
        CloseStore();
        Directory.CreateDirectory(_directory!.Path);
        var file = _directory.File("plain");
        File.WriteAllBytes(file, [1, 2, 3]);
        var refusal = Assert.Throws<LedgerException>(() => new RocksDbKeyValueStore(file).Dispose());
        Assert.That(refusal.Code, Is.EqualTo(ErrorCode.StorageCorrupt));
    }
}
