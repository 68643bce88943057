using Ledger.Core;
using Ledger.Storage;

namespace Ledger.Chain;

/// <summary>
/// One waiter's registration for one tx's commit. Disposing it removes this waiter only: others waiting for the
/// same tx keep theirs (a client that gives up must not take the wake-up away from another that waits on).
/// </summary>
public sealed class CommitWait : IDisposable
{
    private readonly CommitNotifier _notifier;
    private readonly TaskCompletionSource<TxLocation> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal CommitWait(CommitNotifier notifier, Hash32 txId)
    {
        _notifier = notifier;
        TxId = txId;
    }

    public Hash32 TxId { get; }

    /// <summary>Completes with the tx's place when a block with it commits.</summary>
    public Task<TxLocation> Task => _completion.Task;

    internal void Complete(TxLocation location) => _completion.TrySetResult(location);

    public void Dispose() => _notifier.Forget(this);
}
