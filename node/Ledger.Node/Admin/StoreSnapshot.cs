using System.Formats.Tar;
using Ledger.Storage;

namespace Ledger.Node.Admin;

/// <summary>
/// A consistent copy of a node's store as of one committed block, for the online backup (<see cref="AdminEndpoints"/>):
/// LiteDB's file frozen while the node goes on committing, or a RocksDB checkpoint streamed as a tar of its files.
/// Disposing it ends the snapshot (the LiteDB file is released, the checkpoint directory deleted).
/// </summary>
public abstract class StoreSnapshot : IAsyncDisposable
{
    /// <summary>"litedb" (one file, <c>ledger.db</c>) or "rocksdb" (a tar of the <c>ledger.rocksdb</c> directory's files).</summary>
    public abstract string Engine { get; }

    /// <summary>The bytes <see cref="WriteToAsync"/> writes, when known before writing.</summary>
    public abstract long? Length { get; }

    public abstract Task WriteToAsync(Stream destination, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static StoreSnapshot Of(LiteDbKeyValueStore store) => new LiteDbSnapshot(store.OpenSnapshot());

    /// <summary>A checkpoint of <paramref name="store"/> in a new directory under <paramref name="dataDir"/> (the same file system: hard links).</summary>
    public static StoreSnapshot Of(RocksDbKeyValueStore store, string dataDir)
    {
        var directory = Path.Combine(dataDir, $"backup-{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}-{Environment.ProcessId}.rocksdb");
        try
        {
            store.Checkpoint(directory);
        }
        catch
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            throw;
        }
        return new RocksDbSnapshot(directory);
    }

    private sealed class LiteDbSnapshot(Stream file) : StoreSnapshot
    {
        public override string Engine => "litedb";
        public override long? Length => file.Length;
        public override Task WriteToAsync(Stream destination, CancellationToken cancellationToken) => file.CopyToAsync(destination, 1 << 16, cancellationToken);
        public override ValueTask DisposeAsync() => file.DisposeAsync();
    }

    /// <summary>The checkpoint's regular files, flat (RocksDB keeps no subdirectories), as a POSIX tar.</summary>
    private sealed class RocksDbSnapshot(string directory) : StoreSnapshot
    {
        public override string Engine => "rocksdb";
        public override long? Length => null;

        public override async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
        {
            await using var tar = new TarWriter(destination, TarEntryFormat.Pax, leaveOpen: true);
            foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
                await tar.WriteEntryAsync(path, Path.GetFileName(path), cancellationToken).ConfigureAwait(false);
        }

        public override ValueTask DisposeAsync()
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
