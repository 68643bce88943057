using Ledger.Core;
using RocksDbSharp;

namespace Ledger.Storage;

/// <summary>
/// The second engine (issue 18): RocksDB, a log-structured merge tree. A batch is one RocksDB write batch, written to the
/// write-ahead log (fsynced before <see cref="Write"/> returns when <see cref="RocksDbStoreOptions.SyncWrites"/>) and then
/// to the memtable; on reopen RocksDB replays the log and drops a torn last record (<c>kPointInTimeRecovery</c>), so a
/// batch is all there or absent. Values are compressed per block (Zstandard), keys are
/// prefix-compressed within a block, and a Bloom filter per SST file answers most reads of absent keys without touching
/// a data block. RocksDB takes its own LOCK file, so a second store on the same directory is refused.
/// </summary>
public sealed class RocksDbKeyValueStore : IKeyValueStore
{
    private readonly RocksDb _db;
    private readonly WriteOptions _writeOptions;
    private readonly string _path;
    // Readers hold it shared, Dispose exclusively: a native handle must never be used after it is freed.
    private readonly ReaderWriterLockSlim _lifetime = new(LockRecursionPolicy.SupportsRecursion);
    private readonly Lock _writeLock = new();
    private bool _disposed;

    public RocksDbKeyValueStore(string path) : this(new RocksDbStoreOptions(path))
    {
    }

    public RocksDbKeyValueStore(RocksDbStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = Path.GetFullPath(options.Path);
        if (File.Exists(_path))
            throw new LedgerException(StorageErrors.Corrupt, $"the database {_path} is a file; a RocksDB store is a directory");
        Directory.CreateDirectory(_path);
        var table = new BlockBasedTableOptions()
            .SetBlockSize(16 * 1024)
            .SetFormatVersion(5)
            .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
            .SetWholeKeyFiltering(true)
            .SetBlockCache(Cache.CreateLru((ulong)options.BlockCacheBytes))
            .SetCacheIndexAndFilterBlocks(true)
            .SetPinL0FilterAndIndexBlocksInCache(true);
        var db = new DbOptions()
            .SetCreateIfMissing(true)
            .SetParanoidChecks(true)
            .SetWalRecoveryMode(Recovery.PointInTime)
            .SetBlockBasedTableFactory(table)
            .SetCompression(Compression.Zstd)
            .SetWriteBufferSize((ulong)options.WriteBufferBytes)
            .SetMaxWriteBufferNumber(2)
            .SetLevelCompactionDynamicLevelBytes(true)
            .IncreaseParallelism(2)
            .SetKeepLogFileNum(3)
            .SetMaxLogFileSize(4 * 1024 * 1024);
        _writeOptions = new WriteOptions().SetSync(options.SyncWrites);
        try
        {
            _db = RocksDb.Open(db, _path);
        }
        catch (RocksDbException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            throw new LedgerException(StorageErrors.Locked, $"the database {_path} is in use by another process (or another store in this one)", e);
        }
        catch (RocksDbException e)
        {
            throw new LedgerException(StorageErrors.Corrupt, $"the database {_path} is corrupt or not a RocksDB database ({e.Message})", e);
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return _db.Get(key);
            }
            catch (RocksDbException e)
            {
                throw new LedgerException(StorageErrors.Corrupt, $"the database {_path} failed: {e.Message}", e);
            }
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // An iterator reads one implicit snapshot; the entries are copied out before returning, so the caller holds
            // no native cursor while others write (as the LiteDB store does).
            var result = new List<KeyValuePair<byte[], byte[]>>();
            var upper = KeyRange.UpperBound(prefix);
            var read = new ReadOptions();
            if (upper is not null) read.SetIterateUpperBound(upper);
            try
            {
                using var iterator = _db.NewIterator(null, read);
                for (iterator.Seek(prefix); iterator.Valid(); iterator.Next())
                {
                    var key = iterator.Key();
                    if (!key.AsSpan().StartsWith(prefix)) break;
                    result.Add(new KeyValuePair<byte[], byte[]>(key, iterator.Value()));
                }
            }
            catch (RocksDbException e)
            {
                throw new LedgerException(StorageErrors.Corrupt, $"the database {_path} failed: {e.Message}", e);
            }
            GC.KeepAlive(read);
            return result;
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    public void Write(WriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (batch.Count == 0) return;
            using var native = new RocksDbSharp.WriteBatch();
            foreach (var (key, value) in batch.Operations)
            {
                if (value is null) native.Delete(key);
                else native.Put(key, value);
            }
            lock (_writeLock)
            {
                try
                {
                    _db.Write(native, _writeOptions);
                }
                catch (RocksDbException e)
                {
                    throw new LedgerException(StorageErrors.Corrupt, $"the database {_path} failed to write: {e.Message}", e);
                }
            }
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    /// <summary>A RocksDB property of the default column family (e.g. <c>rocksdb.total-sst-files-size</c>), for measurements.</summary>
    public string? Property(string name)
    {
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _db.GetProperty(name);
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    /// <summary>
    /// A consistent copy of the store as of the last batch written, in <paramref name="directory"/> (which must not exist; on
    /// the same file system, so the immutable table files are hard links, not copies): RocksDB's checkpoint, taken between
    /// two batches, so it holds whole blocks only. Opening it is opening a store. The online backup streams it.
    /// </summary>
    public void Checkpoint(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (Directory.Exists(directory) || File.Exists(directory)) throw new IOException($"{directory} already exists: a checkpoint goes into a new directory");
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (_writeLock)
            {
                using var checkpoint = _db.Checkpoint();
                checkpoint.Save(directory);
            }
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    /// <summary>Compacts the whole key range now (RocksDB does it in the background anyway); for measurements of settled size.</summary>
    public void Compact()
    {
        _lifetime.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _db.CompactRange((byte[]?)null, null);
        }
        finally
        {
            _lifetime.ExitReadLock();
        }
    }

    public void Dispose()
    {
        _lifetime.EnterWriteLock();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
        }
        finally
        {
            _lifetime.ExitWriteLock();
        }
    }
}
