using Ledger.Core.Caching;
using Ledger.Core.State;

namespace Ledger.Storage;

/// <summary>
/// Keys a store found absent, so a key read again before it is written costs a set lookup, not an engine query.
/// A new tx's id and its (submitter, nonce) key are read absent at admission, again at execution and again at
/// commit; a new contract's keys are read absent by the chaincode just before the block writes them.
/// Exactly consistent with the store: a miss is remembered only if no write finished while it was read
/// (<see cref="Generation"/> taken before the read), and a write forgets its keys before it returns.
/// Bounded: the least recently used key makes room.
/// </summary>
internal sealed class AbsentKeyCache(int capacity)
{
    private readonly Lock _lock = new();
    private readonly LruCache<byte[], bool> _keys = new(capacity, ByteArrayComparer.Instance);
    private long _generation;

    /// <summary>Take this before reading the store; pass it to <see cref="Remember"/> with the key the read found absent.</summary>
    public long Generation
    {
        get
        {
            lock (_lock) return _generation;
        }
    }

    public bool Contains(byte[] key)
    {
        lock (_lock) return _keys.ContainsKey(key);
    }

    /// <summary>Remembers <paramref name="key"/> as absent, unless a write finished since <paramref name="generation"/>.</summary>
    public void Remember(byte[] key, long generation)
    {
        lock (_lock)
        {
            if (generation != _generation) return;
            _keys.Set(key, true);
        }
    }

    /// <summary>Called after every write, successful or not: its keys may exist now, and reads in flight may be stale.</summary>
    public void Forget(IEnumerable<byte[]> keys)
    {
        lock (_lock)
        {
            _generation++;
            foreach (var key in keys) _keys.Remove(key);
        }
    }
}
