namespace Ledger.Storage;

/// <summary>Where and how a node's LiteDB database is opened.</summary>
/// <param name="Path">The database file; LiteDB keeps its write-ahead log beside it as <c>NAME-log.EXT</c>.</param>
public sealed record LiteDbStoreOptions(string Path)
{
    /// <summary>
    /// Values longer than this are split over several documents (a LiteDB document holds at most ~15.9 MiB,
    /// a block may be 16 MiB). Below it, a value is one document.
    /// </summary>
    public int ChunkBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Log pages (8 KiB each) after which LiteDB copies its log into the data file on a commit. LiteDB's
    /// default is 1,000 (8 MiB); 0 leaves it to <see cref="IDisposable.Dispose"/>.
    /// </summary>
    public int CheckpointPages { get; init; } = 1000;

    /// <summary>
    /// fsync the log after every batch, so a batch survives a power cut, not only a killed process.
    /// </summary>
    public bool SyncWrites { get; init; } = true;
}
