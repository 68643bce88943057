namespace Ledger.Storage;

/// <summary>Where and how a node's RocksDB database is opened.</summary>
/// <param name="Path">The database directory (RocksDB keeps its SST files, write-ahead log, manifest and LOCK in it).</param>
public sealed record RocksDbStoreOptions(string Path)
{
    /// <summary>
    /// fsync the write-ahead log before a batch is acknowledged, so a batch survives a power cut, not only a killed
    /// process (RocksDB's <c>WriteOptions.sync</c>).
    /// </summary>
    public bool SyncWrites { get; init; } = true;

    /// <summary>
    /// The LRU cache of uncompressed data, index and filter blocks. Bounded, so the store's memory does not grow with
    /// history; index and filter blocks live in it too (not pinned outside it).
    /// </summary>
    public long BlockCacheBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>
    /// Memtable size before it is flushed to an SST file. Two may exist at once (one being flushed), so the store's
    /// write buffer memory is at most about twice this.
    /// </summary>
    public long WriteBufferBytes { get; init; } = 32L * 1024 * 1024;
}
