using Ledger.Core.State;

namespace Ledger.Storage;

/// <summary>
/// A key-value store in a sorted dictionary: for tests and for nodes that keep nothing on disk. Writes take
/// an exclusive lock, reads a shared one; a scan returns a copy, so a caller can iterate while others write.
/// </summary>
public sealed class InMemoryKeyValueStore : IKeyValueStore
{
    private readonly SortedDictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private bool _disposed;

    public int Count
    {
        get
        {
            EnterRead();
            try { return _entries.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var lookup = key.ToArray();
        EnterRead();
        try { return _entries.TryGetValue(lookup, out var value) ? (byte[])value.Clone() : null; }
        finally { _lock.ExitReadLock(); }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(byte[] prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var result = new List<KeyValuePair<byte[], byte[]>>();
        EnterRead();
        try
        {
            // SortedDictionary has no seek: a linear walk that stops past the prefix. Fine for tests and small nodes.
            foreach (var (key, value) in _entries)
            {
                var order = KeyRange.CompareToPrefix(key, prefix);
                if (order < 0) continue;
                if (order > 0) break;
                result.Add(new KeyValuePair<byte[], byte[]>((byte[])key.Clone(), (byte[])value.Clone()));
            }
        }
        finally { _lock.ExitReadLock(); }
        return result;
    }

    public void Write(WriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lock.EnterWriteLock();
        try
        {
            // The batch's operations are already copies, so nothing a caller still holds can change them.
            foreach (var (key, value) in batch.Operations)
            {
                if (value is null) _entries.Remove(key);
                else _entries[key] = value;
            }
        }
        finally { _lock.ExitWriteLock(); }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _lock.Dispose();
    }

    private void EnterRead()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _lock.EnterReadLock();
    }
}
