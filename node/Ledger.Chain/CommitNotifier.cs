using System.Collections.Concurrent;
using Ledger.Core;

namespace Ledger.Chain;

/// <summary>
/// Wakes those waiting for a tx (by id) or for the next block. Waiters register before they look at the
/// store, so a commit between the look and the wait is never missed.
/// </summary>
public sealed class CommitNotifier
{
    private readonly ConcurrentDictionary<Hash32, TaskCompletionSource> _transactions = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _nextBlock = New();

    /// <summary>A task that completes when a block with this tx commits (it may have committed already: check after).</summary>
    public Task TransactionCommitted(Hash32 txId) => _transactions.GetOrAdd(txId, _ => New()).Task;

    public void Forget(Hash32 txId) => _transactions.TryRemove(txId, out _);

    /// <summary>A task that completes when the next block commits.</summary>
    public Task NextBlock()
    {
        lock (_lock) return _nextBlock.Task;
    }

    public void Committed(IEnumerable<Hash32> txIds)
    {
        foreach (var id in txIds)
            if (_transactions.TryRemove(id, out var waiter)) waiter.TrySetResult();
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
