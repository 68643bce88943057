using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Chain;

/// <summary>
/// Wakes those waiting for a tx (by id) or for the next block. Waiters register before they look at the
/// store, so a commit between the look and the wait is never missed. Every waiter has its own registration
/// (<see cref="CommitWait"/>): one that times out and leaves does not remove another's.
/// </summary>
public sealed class CommitNotifier
{
    private readonly Dictionary<Hash32, List<CommitWait>> _transactions = new();
    private readonly Lock _waitersLock = new();
    private readonly Lock _lock = new();
    private TaskCompletionSource _nextBlock = New();

    /// <summary>
    /// Registers a waiter for the tx; its task completes with the tx's place when a block with it commits (it may
    /// have committed already: check after). The place comes with the wake-up, so a waiter need not look the tx
    /// up in the store again. Dispose the registration when done waiting.
    /// </summary>
    public CommitWait TransactionCommitted(Hash32 txId)
    {
        var wait = new CommitWait(this, txId);
        lock (_waitersLock)
        {
            if (!_transactions.TryGetValue(txId, out var waiters)) _transactions[txId] = waiters = new List<CommitWait>(1);
            waiters.Add(wait);
        }
        return wait;
    }

    /// <summary>Removes one waiter's registration (nothing if the tx committed meanwhile).</summary>
    public void Forget(CommitWait wait)
    {
        lock (_waitersLock)
        {
            if (!_transactions.TryGetValue(wait.TxId, out var waiters)) return;
            waiters.Remove(wait);
            if (waiters.Count == 0) _transactions.Remove(wait.TxId);
        }
    }

    /// <summary>How many waiters are registered (for tests and metrics).</summary>
    public int Waiting
    {
        get
        {
            lock (_waitersLock) return _transactions.Values.Sum(w => w.Count);
        }
    }

    /// <summary>A task that completes when the next block commits.</summary>
    public Task NextBlock()
    {
        lock (_lock) return _nextBlock.Task;
    }

    /// <summary>Block <paramref name="height"/> committed with <paramref name="txIds"/>, in block order.</summary>
    public void Committed(ulong height, IReadOnlyList<Hash32> txIds)
    {
        List<(CommitWait Wait, TxLocation Location)>? woken = null;
        lock (_waitersLock)
        {
            if (_transactions.Count > 0)
                for (var i = 0; i < txIds.Count; i++)
                    if (_transactions.Remove(txIds[i], out var waiters))
                        foreach (var wait in waiters) (woken ??= []).Add((wait, new TxLocation(height, i)));
        }
        if (woken is not null)
            foreach (var (wait, location) in woken) wait.Complete(location);
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
