using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>The loaded nodes' network: every frame arrives after a random delay (no drops; the load is the fault here). Records when each block was first committed anywhere.</summary>
public sealed class OverloadNetwork(VirtualScheduler scheduler, Random random, OverloadScenario scenario)
{
    public List<LoadedNode> Nodes { get; } = [];

    /// <summary>Height → (virtual time it was first committed, its txs).</summary>
    public Dictionary<ulong, (long At, IReadOnlyList<string> Txs)> FirstCommits { get; } = [];

    public void Broadcast(int from, byte[] bytes)
    {
        foreach (var node in Nodes)
            if (node.Index != from) Deliver(() => node.ReceiveConsensus(bytes));
    }

    public void SendToValidator(int from, Hash32 validator, byte[] bytes)
    {
        foreach (var node in Nodes)
            if (node.Index != from && node.Engine.Height > 0 && Identity(node) == validator) Deliver(() => node.ReceiveConsensus(bytes));
    }

    public void Gossip(int from, string tx)
    {
        foreach (var node in Nodes)
            if (node.Index != from) Deliver(() => node.ReceiveTx(tx));
    }

    public void OnCommitted(CommittedBlock block, long now)
    {
        if (!FirstCommits.ContainsKey(block.Height)) FirstCommits[block.Height] = (now, block.Content.Txs);
    }

    public Func<LoadedNode, Hash32> Identity { get; set; } = _ => Hash32.Zero;

    private void Deliver(Action receive) => scheduler.After(random.Next(scenario.MinDelayMs, scenario.MaxDelayMs + 1), receive);
}
