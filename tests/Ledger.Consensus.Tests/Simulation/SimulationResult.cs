namespace Ledger.Consensus.Tests.Simulation;

public sealed record SimulationResult(Scenario Scenario, IReadOnlyList<SimNode> Nodes, bool ReachedTarget, long VirtualMs, long Events, long MessagesSent, long MessagesDropped)
{
    public IEnumerable<SimNode> HonestNodes => Nodes.Where(n => n.Honest);
}
