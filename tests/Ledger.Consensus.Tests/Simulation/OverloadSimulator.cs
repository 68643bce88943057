using Ledger.Consensus.Tests.Fakes;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>
/// Runs an <see cref="OverloadScenario"/> on one virtual clock: clients offer each phase's rate to validator 0 (as
/// <c>ledger bench</c> does to one node), a refused tx is offered again after the node's retry hint within the client's
/// budget, and each tx's finality is the time from its first offer to the first commit of a block holding it.
/// </summary>
public static class OverloadSimulator
{
    public static OverloadResult Run(OverloadScenario scenario)
    {
        var keys = new FakeKeyRing(scenario.Validators);
        var random = new Random(scenario.Seed);
        var scheduler = new VirtualScheduler();
        var network = new OverloadNetwork(scheduler, random, scenario);
        var options = new ConsensusOptions
        {
            ChainId = Simulator.ChainId,
            BaseRoundTimeout = TimeSpan.FromMilliseconds(scenario.BaseRoundTimeoutMs),
            StartRoundZeroTimerOnActivity = true,
            AdaptiveTimeoutDoublings = scenario.Mitigated ? new ConsensusOptions { ChainId = "x" }.AdaptiveTimeoutDoublings : 0,
        };
        var identities = new Dictionary<LoadedNode, Ledger.Core.Hash32>();
        for (var i = 0; i < scenario.Validators; i++)
        {
            var node = new LoadedNode(i, keys.SignerFor(keys.Validators[i]), keys, options, scenario, scheduler, network);
            identities[node] = keys.Validators[i];
            network.Nodes.Add(node);
        }
        network.Identity = n => identities[n];
        foreach (var node in network.Nodes) scheduler.After(random.Next(0, 10), node.Start);

        var offered = new Dictionary<string, long>();
        var gaveUp = new List<string>();
        long refusals = 0, maxDoublings = 0;
        var entry = network.Nodes[0];
        void Offer(string tx, long first)
        {
            var (accepted, retryAfter) = entry.Offer(tx);
            if (accepted) return;
            refusals++;
            if (scheduler.Now + retryAfter - first > scenario.ClientRetryBudgetMs) gaveUp.Add(tx);
            else scheduler.After(retryAfter, () => Offer(tx, first));
        }
        long start = 0;
        var number = 0;
        foreach (var phase in scenario.Phases)
        {
            var count = (int)(phase.DurationMs * phase.TxPerSecond / 1000);
            for (var k = 0; k < count; k++)
            {
                var tx = $"tx-{number++}";
                var at = start + (long)(k * 1000 / phase.TxPerSecond);
                scheduler.After(at, () =>
                {
                    offered[tx] = scheduler.Now;
                    Offer(tx, scheduler.Now);
                });
            }
            start += phase.DurationMs;
        }
        void Watch()
        {
            maxDoublings = Math.Max(maxDoublings, network.Nodes.Max(n => n.Engine.Metrics.TimeoutDoublings));
            scheduler.After(1_000, Watch);
        }
        scheduler.After(1_000, Watch);
        scheduler.RunUntil(() => false, scenario.TotalMs);

        var committedAt = new Dictionary<string, long>();
        foreach (var (_, (at, txs)) in network.FirstCommits)
            foreach (var tx in txs)
                committedAt.TryAdd(tx, at);
        var txResults = offered.Select(o => new OverloadTx(o.Key, o.Value, committedAt.TryGetValue(o.Key, out var c) ? c : null)).OrderBy(t => t.OfferedAt).ToList();
        return new OverloadResult(scenario, network.Nodes, txResults, refusals, gaveUp.Count, maxDoublings);
    }
}

/// <summary>One tx of a run: when it was first offered and when a block holding it was first committed (null: never).</summary>
public sealed record OverloadTx(string Id, long OfferedAt, long? CommittedAt)
{
    public long? FinalityMs => CommittedAt - OfferedAt;
}

public sealed record OverloadResult(OverloadScenario Scenario, IReadOnlyList<LoadedNode> Nodes, IReadOnlyList<OverloadTx> Txs, long Refusals, int GaveUp, long MaxTimeoutDoublings)
{
    /// <summary>Txs first offered in [fromMs, toMs).</summary>
    public IReadOnlyList<OverloadTx> OfferedBetween(long fromMs, long toMs) => Txs.Where(t => t.OfferedAt >= fromMs && t.OfferedAt < toMs).ToList();

    /// <summary>The p-quantile of finality of <paramref name="txs"/>, a tx never committed counting as infinitely late.</summary>
    public static double Percentile(IReadOnlyList<OverloadTx> txs, double p)
    {
        if (txs.Count == 0) return double.NaN;
        var sorted = txs.Select(t => t.FinalityMs is { } f ? (double)f : double.PositiveInfinity).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    public long Committed => Txs.Count(t => t.CommittedAt is not null);

    /// <summary>Every node's blocks agree with every other node's at each height both hold.</summary>
    public List<string> ForkViolations()
    {
        var violations = new List<string>();
        var reference = Nodes.MaxBy(n => n.Chain.Height)!.Chain.Blocks;
        foreach (var node in Nodes)
            for (var h = 0; h < node.Chain.Blocks.Count; h++)
                if (node.Chain.Blocks[h].Block.Hash != reference[h].Block.Hash) violations.Add($"node {node.Index} differs at height {h + 1}");
        return violations;
    }

    /// <summary>Finality p99 of the txs offered in each 10 s of the run: how the network went down and came back.</summary>
    public string Timeline() => string.Join(" ", Enumerable.Range(0, (int)(Scenario.TotalMs / 10_000))
        .Select(i => OfferedBetween(i * 10_000L, (i + 1) * 10_000L))
        .Select((w, i) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{i * 10}s:{(w.Count == 0 ? "-" : (Percentile(w, 0.99) / 1000).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))}")));

    public string Summary(long fromMs, long toMs)
    {
        var window = OfferedBetween(fromMs, toMs);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{(Scenario.Mitigated ? "mitigated" : "as before")}: offered {Txs.Count}, committed {Committed}, refusals {Refusals}, gave up {GaveUp}; " +
            $"height {Nodes.Max(n => n.Chain.Height)}, round changes {Nodes.Sum(n => n.Engine.Metrics.RoundChanges)}, max timeout doublings {MaxTimeoutDoublings}, " +
            $"signature checks saved {Nodes.Sum(n => n.Engine.Metrics.SignatureChecksSaved)}, gossip dropped {Nodes.Sum(n => n.GossipDropped)}, refused {Nodes.Sum(n => n.GossipRefused)}; " +
            $"txs offered in [{fromMs / 1000}, {toMs / 1000}) s: {window.Count}, committed {window.Count(t => t.CommittedAt is not null)}, finality p50 {Percentile(window, 0.5):0} ms, p99 {Percentile(window, 0.99):0} ms");
    }
}
