namespace Ledger.Core.State;

/// <summary>
/// A state store in a sorted dictionary, with an ordered view of its contents. Used by tests and by the
/// chain as the per-tx overlay above a snapshot.
/// </summary>
public sealed class InMemoryStateStore : IStateStore
{
    private readonly SortedDictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);

    public int Count => _entries.Count;

    public IEnumerable<KeyValuePair<byte[], byte[]>> Entries => _entries;

    public byte[]? Get(ReadOnlySpan<byte> key) => _entries.TryGetValue(key.ToArray(), out var value) ? value : null;

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _entries[key.ToArray()] = value.ToArray();

    public void Delete(ReadOnlySpan<byte> key) => _entries.Remove(key.ToArray());
}
