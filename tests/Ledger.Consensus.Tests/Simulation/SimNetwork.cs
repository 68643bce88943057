using Ledger.Core;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>Carries bytes between simulated instances through the fault model. Partitions are checked at send and at delivery.</summary>
public sealed class SimNetwork
{
    private readonly VirtualScheduler _scheduler;
    private readonly Random _random;
    private readonly NetworkFaults _faults;

    public SimNetwork(VirtualScheduler scheduler, Random random, NetworkFaults faults)
    {
        _scheduler = scheduler;
        _random = random;
        _faults = faults;
    }

    public List<SimNode> Nodes { get; } = [];

    public long Sent { get; private set; }

    public long Dropped { get; private set; }

    public bool Connected(int a, int b) => !_faults.Partitions.Any(p => p.Separates(a, b, _scheduler.Now));

    public void Broadcast(int from, byte[] bytes)
    {
        foreach (var node in Nodes)
            if (node.Index != from) Deliver(from, node.Index, bytes);
    }

    /// <summary>To every instance holding the validator's key (two, for a twinned identity).</summary>
    public void SendToValidator(int from, Hash32 validator, byte[] bytes)
    {
        foreach (var node in Nodes)
            if (node.Index != from && node.Identity == validator) Deliver(from, node.Index, bytes);
    }

    public void Deliver(int from, int to, byte[] bytes)
    {
        Sent++;
        if (!Connected(from, to) || (_scheduler.Now < _faults.StableAfterMs && _random.NextDouble() < _faults.DropRate))
        {
            Dropped++;
            return;
        }
        var copies = _random.NextDouble() < _faults.DuplicateRate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            _scheduler.After(_random.Next(_faults.MinDelayMs, _faults.MaxDelayMs + 1), () =>
            {
                if (Connected(from, to)) Nodes[to].Receive(bytes);
                else Dropped++;
            });
        }
    }
}
