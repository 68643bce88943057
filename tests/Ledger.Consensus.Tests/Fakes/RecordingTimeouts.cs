using Ledger.Consensus.Ports;

namespace Ledger.Consensus.Tests.Fakes;

public sealed class RecordingTimeouts : ITimeoutScheduler
{
    public List<(ulong Height, uint Round, TimeSpan After)> Scheduled { get; } = [];

    public void Schedule(ulong height, uint round, TimeSpan after) => Scheduled.Add((height, round, after));
}
