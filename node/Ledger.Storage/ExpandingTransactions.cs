using System.Collections;
using Ledger.Core;

namespace Ledger.Storage;

/// <summary>
/// A stored block's txs, each put back into its envelope (<see cref="StoredTransactions.Expand"/>) when first read: a lookup
/// that needs one tx of a block reads that tx's certificates, not those of every tx in it. Safe to read from many threads
/// (an envelope is a reference, published whole; two readers may both expand one tx, with the same result).
/// </summary>
internal sealed class ExpandingTransactions(IReadOnlyList<ReadOnlyMemory<byte>> stored, Func<Hash32, byte[]?> certificate) : IReadOnlyList<ReadOnlyMemory<byte>>
{
    private readonly byte[]?[] _expanded = new byte[]?[stored.Count];

    public int Count => stored.Count;

    public ReadOnlyMemory<byte> this[int index]
    {
        get
        {
            var tx = stored[index];
            if (!StoredTransactions.IsCompact(tx.Span)) return tx;
            return _expanded[index] ??= StoredTransactions.Expand(tx, certificate).ToArray();
        }
    }

    public IEnumerator<ReadOnlyMemory<byte>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
