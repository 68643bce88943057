using Ledger.Consensus.Ports;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>Round timers on the virtual clock, tied to one life of the node (a crash voids them).</summary>
public sealed class SimTimeouts(SimNode node, VirtualScheduler scheduler, int epoch) : ITimeoutScheduler
{
    public void Schedule(ulong height, uint round, TimeSpan after) =>
        scheduler.After((long)after.TotalMilliseconds, () => node.Timeout(height, round, epoch));
}
