using Ledger.Consensus.Events;
using Ledger.Consensus.Ports;

namespace Ledger.Node.Qbft;

/// <summary>Round timers: after the delay a <see cref="RoundTimeout"/> joins the driver's queue. Never cancelled; the engine ignores stale ones.</summary>
public sealed class TimerAdapter(Action<ConsensusEvent> enqueue, TimeProvider time, CancellationToken stopping) : ITimeoutScheduler
{
    public void Schedule(ulong height, uint round, TimeSpan after) =>
        _ = Task.Delay(after, time, stopping).ContinueWith(
            t => { if (!t.IsCanceled) enqueue(new RoundTimeout(height, round)); },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
