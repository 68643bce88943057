namespace Ledger.Storage;

/// <summary>
/// The storage contract every engine implements (Neo's IStore, kept tiny): point reads, ordered prefix
/// scans, and atomic batches. A node writes one batch per block — block, indexes, state and head together —
/// so a crash leaves either the whole block or none of it.
/// </summary>
public interface IKeyValueStore : IDisposable
{
    byte[]? Get(ReadOnlySpan<byte> key);

    /// <summary>Entries whose key starts with <paramref name="prefix"/>, in ascending unsigned byte order.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix);

    /// <summary>Applies every put and delete of the batch, or none of them; durable when it returns.</summary>
    void Write(WriteBatch batch);
}
