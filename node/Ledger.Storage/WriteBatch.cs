using Ledger.Core.State;

namespace Ledger.Storage;

/// <summary>Puts and deletes to apply atomically; the last operation on a key wins. A null value is a delete.</summary>
public sealed class WriteBatch
{
    private readonly SortedDictionary<byte[], byte[]?> _operations = new(ByteArrayComparer.Instance);

    public int Count => _operations.Count;

    /// <summary>The operations in ascending key order (deterministic, whatever order they were added in).</summary>
    public IEnumerable<KeyValuePair<byte[], byte[]?>> Operations => _operations;

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _operations[key.ToArray()] = value.ToArray();

    public void Delete(ReadOnlySpan<byte> key) => _operations[key.ToArray()] = null;
}
