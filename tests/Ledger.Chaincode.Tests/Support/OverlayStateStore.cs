using Ledger.Core.State;

namespace Ledger.Chaincode.Tests.Support;

/// <summary>The chain's per-tx snapshot, for tests: writes stay here until <see cref="Commit"/>.</summary>
public sealed class OverlayStateStore(IStateStore inner) : IStateStore
{
    private readonly SortedDictionary<byte[], byte[]?> _writes = new(ByteArrayComparer.Instance);

    public byte[]? Get(ReadOnlySpan<byte> key) =>
        _writes.TryGetValue(key.ToArray(), out var value) ? value : inner.Get(key);

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _writes[key.ToArray()] = value.ToArray();

    public void Delete(ReadOnlySpan<byte> key) => _writes[key.ToArray()] = null;

    public void Commit()
    {
        foreach (var (key, value) in _writes)
        {
            if (value is null) inner.Delete(key);
            else inner.Put(key, value);
        }
        _writes.Clear();
    }
}
