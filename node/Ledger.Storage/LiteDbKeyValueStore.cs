using System.Buffers.Binary;
using Ledger.Core;
using Ledger.Core.State;
using LiteDB;

namespace Ledger.Storage;

/// <summary>
/// The embedded default store: one LiteDB 5 file per node, one collection of <c>{ _id: key, v: value }</c>.
/// A batch is one LiteDB transaction: its pages go to LiteDB's log file (NAME-log.EXT) with a confirmation
/// mark on the last page, and a reopen replays only confirmed transactions, so a batch is all there or absent.
/// LiteDB writes those pages with plain write(2) calls and no fsync; this store fsyncs the log after each
/// batch (<see cref="LiteDbStoreOptions.SyncWrites"/>), so a batch is durable when <see cref="Write"/> returns.
/// Readers run on any thread, each on LiteDB's committed snapshot; one writer at a time.
/// </summary>
public sealed class LiteDbKeyValueStore : IKeyValueStore
{
    /// <summary>LiteDB refuses index keys over 1,023 bytes; chunk ids add 12 to a key.</summary>
    public const int MaxKeyBytes = 1000;

    private const string EntriesName = "kv";
    private const string LargeName = "large";
    private const string ChunksName = "chunks";
    private const string ValueField = "v";
    private const string ChunkedField = "c";
    private const string GenerationField = "g";
    private const string ChunkCountField = "n";
    private const int MaxChunkedReadAttempts = 100;
    private const int AbsentKeyCapacity = 65_536;

    private readonly LiteDbStoreOptions _options;
    private readonly string _path;
    private readonly string _logPath;
    private int _snapshots; // open snapshots, under _writeLock: while any is open, LiteDB never checkpoints
    private bool _logEntrySynced;
    private readonly FileStream _lockFile;
    private readonly LiteDatabase _database;
    private readonly ILiteCollection<BsonDocument> _entries;
    private readonly ILiteCollection<BsonDocument> _large;
    private readonly ILiteCollection<BsonDocument> _chunks;
    private readonly HashSet<byte[]> _chunkedKeys = new(ByteArrayComparer.Instance); // writer's view, under _writeLock
    private readonly Lock _writeLock = new();
    private readonly AbsentKeyCache _absent = new(AbsentKeyCapacity); // this store is the file's only writer (lock file)
    private volatile bool _disposed;

    public LiteDbKeyValueStore(string path) : this(new LiteDbStoreOptions(path))
    {
    }

    public LiteDbKeyValueStore(LiteDbStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChunkBytes < 1) throw new ArgumentOutOfRangeException(nameof(options), "ChunkBytes must be positive");
        _options = options;
        var path = Path.GetFullPath(options.Path);
        _path = path;
        _logPath = Path.Combine(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "-log" + Path.GetExtension(path));
        _lockFile = AcquireLock(path);
        try
        {
            _database = Open(path);
            try
            {
                _entries = _database.GetCollection(EntriesName);
                _large = _database.GetCollection(LargeName);
                _chunks = _database.GetCollection(ChunksName);
                if (_database.CheckpointSize != options.CheckpointPages) _database.CheckpointSize = options.CheckpointPages;
                CreateCollections();
                // Reading the (small) set of chunked keys also proves the file's collections are readable.
                foreach (var doc in _large.FindAll()) _chunkedKeys.Add(doc["_id"].AsBinary);
                _ = _entries.FindById(new BsonValue(Array.Empty<byte>()));
            }
            catch (Exception e) when (e is not LedgerException)
            {
                _database.Dispose();
                throw Corrupt(path, e);
            }
        }
        catch
        {
            _lockFile.Dispose();
            throw;
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        ThrowIfDisposed();
        var bytes = key.ToArray();
        if (_absent.Contains(bytes)) return null;
        var generation = _absent.Generation;
        var id = new BsonValue(bytes);
        var value = Guard(() => Read(id, _entries.FindById(id)));
        if (value is null) _absent.Remember(bytes, generation);
        return value;
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfDisposed();
        var upper = KeyRange.UpperBound(prefix);
        // One LiteDB query is one read transaction: the page is a consistent snapshot, copied out before
        // returning, so the caller holds no cursor while others write. BETWEEN is inclusive, so the bound
        // itself is dropped below. LiteDB orders binary _id values by unsigned bytes, shorter first.
        var query = upper is null
            ? Query.GTE("_id", new BsonValue(prefix))
            : Query.Between("_id", new BsonValue(prefix), new BsonValue(upper));
        return Guard(() =>
        {
            var result = new List<KeyValuePair<byte[], byte[]>>();
            foreach (var doc in _entries.Find(query))
            {
                var id = doc["_id"];
                var key = id.AsBinary;
                if (!key.AsSpan().StartsWith(prefix)) continue;
                var value = Read(id, doc);
                if (value is not null) result.Add(new KeyValuePair<byte[], byte[]>(key, value));
            }
            return result;
        });
    }

    public void Write(WriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var (key, _) in batch.Operations) CheckKey(key);
        lock (_writeLock)
        {
            ThrowIfDisposed();
            if (batch.Count == 0) return;
            var added = new List<byte[]>();
            var removed = new List<byte[]>();
            try
            {
                WriteLocked(batch, added, removed);
            }
            finally
            {
                // Even a failed write may have changed a key (LiteDB's commit is not known to be all-or-nothing
                // to us when it throws): forget every key of the batch.
                _absent.Forget(batch.Operations.Select(o => o.Key));
            }
            foreach (var key in removed) _chunkedKeys.Remove(key);
            foreach (var key in added) _chunkedKeys.Add(key);
            if (_options.SyncWrites) SyncLog();
        }
    }

    /// <summary>One LiteDB transaction for the batch; the caller holds the write lock.</summary>
    private void WriteLocked(WriteBatch batch, List<byte[]> added, List<byte[]> removed)
    {
        Guard(() =>
        {
            // LiteDB binds a transaction to the calling thread; every operation below joins it.
            if (!_database.BeginTrans()) throw new InvalidOperationException("a LiteDB transaction is already open on this thread");
            try
            {
                // Keys in a batch are distinct, so the order of operations does not matter: the inline puts
                // go to LiteDB as one bulk insert and one bulk upsert (one snapshot and index service instead of
                // one per key). A key the absent-key cache holds is not in the file (this is its only writer, and
                // the cache forgets a key only after a write), so it is inserted without the upsert's lookup.
                var inline = new List<BsonDocument>(batch.Count);
                var fresh = new List<BsonDocument>(batch.Count);
                foreach (var (key, value) in batch.Operations)
                {
                    var id = new BsonValue(key);
                    if (_chunkedKeys.Contains(key))
                    {
                        DeleteChunks(id);
                        removed.Add(key);
                    }
                    if (value is null)
                    {
                        _entries.Delete(id);
                    }
                    else if (value.Length > _options.ChunkBytes)
                    {
                        WriteChunks(id, value);
                        added.Add(key);
                    }
                    else
                    {
                        var doc = new BsonDocument { ["_id"] = id, [ValueField] = new BsonValue(value) };
                        (_absent.Contains(key) ? fresh : inline).Add(doc);
                    }
                }
                if (fresh.Count > 0) _entries.Insert(fresh);
                if (inline.Count > 0) _entries.Upsert(inline);
                if (!_database.Commit()) throw new InvalidOperationException("LiteDB had no transaction to commit");
            }
            catch
            {
                _database.Rollback();
                throw;
            }
            return 0;
        });
    }

    /// <summary>
    /// A consistent copy of the database as of the last committed batch, read while writers go on: under the write
    /// lock, checkpoints are switched off (LiteDB's CHECKPOINT pragma 0) and the log is checkpointed into the data file,
    /// which from then on holds exactly the committed batches and no later write touches it — LiteDB writes the data
    /// file only in a checkpoint; new batches go to the log. The stream reads that file up to its length at the
    /// freeze; disposing it switches checkpoints back on once no other snapshot is open. The copy is a complete LiteDB
    /// file on its own (no log needed); its pragma says 0, which a store that opens it resets.
    /// <paramref name="whileFrozen"/> runs under the write lock just after the freeze (no batch in between): what it
    /// reads from this store is what the copy holds.
    /// </summary>
    public Stream OpenSnapshot(Action? whileFrozen = null)
    {
        long length;
        lock (_writeLock)
        {
            ThrowIfDisposed();
            Guard(() =>
            {
                if (_database.CheckpointSize != 0) _database.CheckpointSize = 0;
                _database.Checkpoint();
                return 0;
            });
            _snapshots++;
            try
            {
                // The checkpoint wrote and fsynced the data file; its length now is the copy's length.
                length = new FileInfo(_path).Length;
                whileFrozen?.Invoke();
            }
            catch
            {
                EndSnapshotLocked();
                throw;
            }
        }
        try
        {
            var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16, FileOptions.SequentialScan);
            return new SnapshotStream(file, length, EndSnapshot);
        }
        catch
        {
            EndSnapshot();
            throw;
        }
    }

    private void EndSnapshot()
    {
        lock (_writeLock) EndSnapshotLocked();
    }

    private void EndSnapshotLocked()
    {
        if (--_snapshots > 0 || _disposed) return;
        // The next commit over the threshold checkpoints the log that grew meanwhile.
        Guard(() =>
        {
            if (_database.CheckpointSize != _options.CheckpointPages) _database.CheckpointSize = _options.CheckpointPages;
            return 0;
        });
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            // Dispose checkpoints the log into the data file (and fsyncs it) before closing.
            _database.Dispose();
            _lockFile.Dispose();
        }
    }

    /// <summary>
    /// Creates the collections before any reader can race their creation: LiteDB 5.0.21 fails (and closes the
    /// engine) when a collection is read while another transaction creates it (litedb-org/LiteDB#2792).
    /// </summary>
    private void CreateCollections()
    {
        foreach (var name in new[] { EntriesName, LargeName, ChunksName })
        {
            if (_database.CollectionExists(name)) continue;
            var collection = _database.GetCollection(name);
            var probe = new BsonValue(new byte[] { 0xFF, 0xFF });
            if (!_database.BeginTrans()) throw new InvalidOperationException("a LiteDB transaction is already open on this thread");
            collection.Insert(new BsonDocument { ["_id"] = probe });
            collection.Delete(probe);
            _database.Commit();
        }
    }

    private static FileStream AcquireLock(string path)
    {
        try
        {
            // LiteDB's own file sharing maps to a shared flock on Linux, so two processes could both open one
            // file for writing. An exclusive lock on a side file keeps one store per database.
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException e)
        {
            throw new LedgerException(StorageErrors.Locked, $"the database {path} is in use by another process (or another store in this one)", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new LedgerException(StorageErrors.Locked, $"the database {path} cannot be opened: {e.Message}", e);
        }
    }

    private static LiteDatabase Open(string path)
    {
        var connection = new ConnectionString
        {
            Filename = path,
            Connection = ConnectionType.Direct,
            Upgrade = false,
            AutoRebuild = false, // a rebuild may drop what it cannot read: never silently, not for a ledger
        };
        try
        {
            return new LiteDatabase(connection);
        }
        catch (IOException e)
        {
            throw new LedgerException(StorageErrors.Locked, $"the database {path} cannot be opened: {e.Message}", e);
        }
        catch (Exception e) when (e is not LedgerException)
        {
            throw Corrupt(path, e);
        }
    }

    private static LedgerException Corrupt(string path, Exception e) =>
        new(StorageErrors.Corrupt, $"the database {path} is corrupt or not a LiteDB 5 file ({e.Message})", e);

    private static void CheckKey(byte[] key)
    {
        if (key.Length > MaxKeyBytes)
            throw new LedgerException(StorageErrors.KeyTooLong, $"a key of {key.Length} bytes; this store takes at most {MaxKeyBytes}");
    }

    /// <summary>The value an entry document holds, inline or in chunks.</summary>
    private byte[]? Read(BsonValue id, BsonDocument? doc)
    {
        for (var attempt = 0; attempt < MaxChunkedReadAttempts; attempt++)
        {
            if (doc is null) return null;
            if (doc.TryGetValue(ValueField, out var inline)) return inline.AsBinary;
            var value = ReadChunks(id);
            if (value is not null) return value;
            // The value was rewritten between our reads (a new generation of chunks): read it again.
            doc = _entries.FindById(id);
        }
        throw new LedgerException(StorageErrors.Corrupt, $"the chunks of key {Convert.ToHexStringLower(id.AsBinary)} are missing");
    }

    private byte[]? ReadChunks(BsonValue id)
    {
        var large = _large.FindById(id);
        if (large is null) return null;
        var generation = large[GenerationField].AsInt64;
        var count = large[ChunkCountField].AsInt32;
        var parts = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var chunk = _chunks.FindById(ChunkId(id.AsBinary, generation, i));
            if (chunk is null) return null;
            parts.Add(chunk[ValueField].AsBinary);
        }
        var value = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(value, offset);
            offset += part.Length;
        }
        return value;
    }

    private void WriteChunks(BsonValue id, byte[] value)
    {
        // A fresh generation: a reader that found the old chunk list never mixes old and new chunks.
        var generation = Random.Shared.NextInt64();
        var count = (value.Length + _options.ChunkBytes - 1) / _options.ChunkBytes;
        for (var i = 0; i < count; i++)
        {
            var part = value.AsSpan(i * _options.ChunkBytes, Math.Min(_options.ChunkBytes, value.Length - i * _options.ChunkBytes)).ToArray();
            _chunks.Insert(new BsonDocument { ["_id"] = ChunkId(id.AsBinary, generation, i), [ValueField] = new BsonValue(part) });
        }
        _large.Upsert(new BsonDocument { ["_id"] = id, [GenerationField] = generation, [ChunkCountField] = count });
        _entries.Upsert(new BsonDocument { ["_id"] = id, [ChunkedField] = true });
    }

    private void DeleteChunks(BsonValue id)
    {
        var large = _large.FindById(id);
        if (large is null) return;
        var generation = large[GenerationField].AsInt64;
        var count = large[ChunkCountField].AsInt32;
        for (var i = 0; i < count; i++) _chunks.Delete(ChunkId(id.AsBinary, generation, i));
        _large.Delete(id);
    }

    private static BsonValue ChunkId(byte[] key, long generation, int index)
    {
        var id = new byte[key.Length + 12];
        key.CopyTo(id, 0);
        BinaryPrimitives.WriteInt64BigEndian(id.AsSpan(key.Length), generation);
        BinaryPrimitives.WriteInt32BigEndian(id.AsSpan(key.Length + 8), index);
        return new BsonValue(id);
    }

    /// <summary>
    /// fsync of LiteDB's log file. fsync acts on the file, not on the descriptor, so a read-only handle
    /// beside LiteDB's own writer flushes the pages LiteDB just wrote.
    /// </summary>
    private void SyncLog()
    {
        try
        {
            using var handle = File.OpenHandle(_logPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.FlushToDisk(handle);
        }
        catch (FileNotFoundException)
        {
            // No log: the commit went through a checkpoint, which wrote and fsynced the data file itself.
            _logEntrySynced = false;
            return;
        }
        // A log file LiteDB (re)created since the last sync is reachable after a power cut only once its directory
        // entry is on disk too.
        if (!_logEntrySynced)
        {
            DirectorySync.Flush(Path.GetDirectoryName(_logPath)!);
            _logEntrySynced = true;
        }
    }

    private T Guard<T>(Func<T> operation)
    {
        try
        {
            return operation();
        }
        catch (Exception e) when (e is not (LedgerException or ObjectDisposedException or OutOfMemoryException))
        {
            // LiteDB reports damaged pages with whatever its parser hit (LiteException, casts, ranges).
            throw new LedgerException(StorageErrors.Corrupt, $"the database {_options.Path} failed: {e.Message}", e);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
