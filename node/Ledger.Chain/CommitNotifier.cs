using System.Collections.Concurrent;
using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Chain;

/// <summary>
/// Wakes those waiting for a tx (by id) or for the next block. Waiters register before they look at the
/// store, so a commit between the look and the wait is never missed.
/// </summary>
public sealed class CommitNotifier
{
    private readonly ConcurrentDictionary<Hash32, TaskCompletionSource<TxLocation>> _transactions = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _nextBlock = New();

    /// <summary>
    /// A task that completes with the tx's place when a block with it commits (it may have committed already: check
    /// after). The place comes with the wake-up, so a waiter need not look the tx up in the store again.
    /// </summary>
    public Task<TxLocation> TransactionCommitted(Hash32 txId) =>
        _transactions.GetOrAdd(txId, _ => new TaskCompletionSource<TxLocation>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Forget(Hash32 txId) => _transactions.TryRemove(txId, out _);

    /// <summary>A task that completes when the next block commits.</summary>
    public Task NextBlock()
    {
        lock (_lock) return _nextBlock.Task;
    }

    /// <summary>Block <paramref name="height"/> committed with <paramref name="txIds"/>, in block order.</summary>
    public void Committed(ulong height, IReadOnlyList<Hash32> txIds)
    {
        for (var i = 0; i < txIds.Count; i++)
            if (_transactions.TryRemove(txIds[i], out var waiter)) waiter.TrySetResult(new TxLocation(height, i));
        TaskCompletionSource previous;
        lock (_lock)
        {
            previous = _nextBlock;
            _nextBlock = New();
        }
        previous.TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
