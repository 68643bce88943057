using Ledger.Storage;

namespace Ledger.Benchmarks.Store;

/// <summary>
/// A pass-through <see cref="IKeyValueStore"/> that keeps the logical bytes (key + value) live in the store per key prefix
/// (the first byte, <see cref="BlockStoreKeys"/>), so the engine's own overhead is the file size over this. Every prefix but
/// state ('s') and meta ('m') is write-once; those two are tracked per key (by a 64-bit hash of the key).
/// </summary>
internal sealed class CountingStore(IKeyValueStore inner) : IKeyValueStore
{
    private IKeyValueStore _inner = inner;

    private readonly long[] _bytes = new long[256];
    private readonly long[] _keys = new long[256];
    private readonly Dictionary<ulong, int> _overwritable = [];

    /// <summary>The engine underneath; replaced when the benchmark closes and reopens it (the counts carry over).</summary>
    public IKeyValueStore Inner
    {
        get => _inner;
        set => _inner = value;
    }

    public (long Keys, long Bytes) Of(byte prefix)
    {
        lock (_bytes) return (_keys[prefix], _bytes[prefix]);
    }

    public long TotalBytes
    {
        get
        {
            lock (_bytes) return _bytes.Sum();
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key) => _inner.Get(key);

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix) => _inner.Scan(prefix);

    public void Write(WriteBatch batch)
    {
        _inner.Write(batch);
        lock (_bytes)
        {
            foreach (var (key, value) in batch.Operations)
            {
                if (key.Length == 0) continue;
                var prefix = key[0];
                var size = value is null ? 0 : key.Length + value.Length;
                if (prefix is BlockStoreKeys.State or BlockStoreKeys.Meta)
                {
                    var id = Fnv1a64(key);
                    if (_overwritable.TryGetValue(id, out var old))
                    {
                        _bytes[prefix] -= old;
                        _keys[prefix]--;
                    }
                    if (value is null)
                    {
                        _overwritable.Remove(id);
                        continue;
                    }
                    _overwritable[id] = size;
                }
                else if (value is null)
                {
                    continue; // never happens for the write-once prefixes
                }
                _bytes[prefix] += size;
                _keys[prefix]++;
            }
        }
    }

    public void Dispose() => _inner.Dispose();

    private static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
