using System.Collections.ObjectModel;
using Ledger.Core.State;

namespace Ledger.Storage;

/// <summary>
/// A write buffer over committed state or over another overlay (Neo's cloned snapshot). Reads see this
/// overlay's own writes first, then the parent's; a delete shadows the parent. A block runs on an overlay
/// over the store, each tx on a child of it, merged into the block only if the tx succeeds. Not thread-safe:
/// one executor owns an overlay. Reads through to the store see the store as it is at the time of the read,
/// so open the block overlay after the previous block was committed.
/// </summary>
public sealed class StateOverlay : IStateStore
{
    private readonly IKeyValueStore? _store;
    private readonly byte[] _prefix = [];
    private readonly StateOverlay? _parent;
    private readonly SortedDictionary<byte[], byte[]?> _changes = new(ByteArrayComparer.Instance);
    private readonly ReadOnlyDictionary<byte[], byte[]?> _view;
    private bool _closed;

    /// <summary>An overlay over the entries of <paramref name="store"/> under <paramref name="prefix"/>.</summary>
    public StateOverlay(IKeyValueStore store, ReadOnlySpan<byte> prefix)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _prefix = prefix.ToArray();
        _view = new ReadOnlyDictionary<byte[], byte[]?>(_changes);
    }

    /// <summary>A child overlay: reads fall through to <paramref name="parent"/>, writes stay here until merged.</summary>
    public StateOverlay(StateOverlay parent)
    {
        _parent = parent ?? throw new ArgumentNullException(nameof(parent));
        _view = new ReadOnlyDictionary<byte[], byte[]?>(_changes);
    }

    /// <summary>This overlay's writes in ascending key order: a value, or null for a delete.</summary>
    public IReadOnlyDictionary<byte[], byte[]?> Changes
    {
        get
        {
            ThrowIfClosed();
            return _view;
        }
    }

    public StateOverlay? Parent => _parent;

    internal bool IsOver(IKeyValueStore store, ReadOnlySpan<byte> prefix) =>
        ReferenceEquals(_store, store) && _prefix.AsSpan().SequenceEqual(prefix);

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        var lookup = key.ToArray();
        for (var overlay = this; ; overlay = overlay._parent)
        {
            overlay.ThrowIfClosed();
            if (overlay._changes.TryGetValue(lookup, out var value))
                return value is null ? null : (byte[])value.Clone();
            if (overlay._parent is null)
                return overlay._store!.Get(overlay._prefix.Length == 0 ? lookup : KeyRange.Concat(overlay._prefix, lookup));
        }
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        ThrowIfClosed();
        _changes[key.ToArray()] = value.ToArray();
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        ThrowIfClosed();
        _changes[key.ToArray()] = null;
    }

    /// <summary>Applies this overlay's writes to its parent, in order, and closes this overlay.</summary>
    public void MergeInto(StateOverlay parent)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ThrowIfClosed();
        parent.ThrowIfClosed();
        if (!ReferenceEquals(parent, _parent))
            throw new InvalidOperationException("an overlay merges only into the overlay it was opened over");
        foreach (var (key, value) in _changes) parent._changes[key] = value;
        Close();
    }

    /// <summary>Adds this overlay's writes to <paramref name="batch"/>, each key under <paramref name="prefix"/>.</summary>
    public void CopyTo(WriteBatch batch, byte[] prefix)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfClosed();
        foreach (var (key, value) in _changes)
        {
            var full = KeyRange.Concat(prefix, key);
            if (value is null) batch.Delete(full);
            else batch.Put(full, value);
        }
    }

    /// <summary>Drops this overlay's writes; any later use of it throws.</summary>
    public void Discard() => Close();

    private void Close()
    {
        _changes.Clear();
        _closed = true;
    }

    private void ThrowIfClosed()
    {
        if (_closed) throw new InvalidOperationException("this state overlay was merged or discarded");
    }
}
