namespace Ledger.Consensus.Tests.Simulation;

/// <summary>A virtual clock and its event queue: actions run in (time, insertion) order, so a seed gives one schedule.</summary>
public sealed class VirtualScheduler
{
    private readonly PriorityQueue<Action, (long Time, long Sequence)> _queue = new();
    private long _sequence;

    public long Now { get; private set; }

    public long EventsRun { get; private set; }

    public void After(long delayMs, Action action) => _queue.Enqueue(action, (Now + Math.Max(0, delayMs), _sequence++));

    /// <summary>Runs events until <paramref name="done"/> holds or the virtual deadline passes; returns whether it is done.</summary>
    public bool RunUntil(Func<bool> done, long deadlineMs)
    {
        while (!done())
        {
            if (!_queue.TryDequeue(out var action, out var at) || at.Time > deadlineMs) return false;
            Now = at.Time;
            EventsRun++;
            action();
        }
        return true;
    }
}
