using System.Diagnostics.CodeAnalysis;

namespace Ledger.Core.Caching;

/// <summary>
/// A bounded map that evicts the least recently used entry when full, safe for concurrent use. Replaces the caches
/// that emptied themselves when a count was reached: those dropped the hot working set together with the cold, so a
/// burst of distinct keys (a flood of certificates, a large block) made every later hit a miss at once.
/// One lock around a dictionary and a recency list: every operation is O(1), and the work a cache saves here (an SM2
/// key parse, a certificate chain, a store read) is far larger than the lock.
/// </summary>
public sealed class LruCache<TKey, TValue> where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>> _entries;
    private readonly LinkedList<KeyValuePair<TKey, TValue>> _recency = new(); // most recently used first
    private long _evictions;

    public LruCache(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _entries = new Dictionary<TKey, LinkedListNode<KeyValuePair<TKey, TValue>>>(Math.Min(capacity, 1024), comparer);
    }

    public int Capacity { get; }

    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    /// <summary>Entries dropped to make room since the cache was made.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Looks a key up and, when found, marks it most recently used.</summary>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                Promote(node);
                value = node.Value.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>Adds or replaces the value of <paramref name="key"/>, as most recently used; evicts the least recently used entry when full.</summary>
    public void Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                node.Value = new KeyValuePair<TKey, TValue>(key, value);
                Promote(node);
            }
            else
            {
                Insert(key, value);
            }
        }
    }

    /// <summary>Adds the value only if the key is absent; answers the value now cached for the key.</summary>
    public TValue GetOrAdd(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                Promote(node);
                return node.Value.Value;
            }
            Insert(key, value);
            return value;
        }
    }

    public bool Remove(TKey key)
    {
        lock (_lock)
        {
            if (!_entries.Remove(key, out var node)) return false;
            _recency.Remove(node);
            return true;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _recency.Clear();
        }
    }

    private void Insert(TKey key, TValue value)
    {
        if (_entries.Count >= Capacity)
        {
            var oldest = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
            _evictions++;
        }
        _entries[key] = _recency.AddFirst(new KeyValuePair<TKey, TValue>(key, value));
    }

    private void Promote(LinkedListNode<KeyValuePair<TKey, TValue>> node)
    {
        if (node == _recency.First) return;
        _recency.Remove(node);
        _recency.AddFirst(node);
    }
}
