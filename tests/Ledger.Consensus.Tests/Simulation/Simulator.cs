using Ledger.Consensus.Tests.Fakes;

namespace Ledger.Consensus.Tests.Simulation;

/// <summary>Builds the nodes of a <see cref="Scenario"/> on one virtual clock and runs until the honest nodes reach the target height.</summary>
public static class Simulator
{
    public const string ChainId = "gd-labour-sim";

    public static SimulationResult Run(Scenario scenario, ISimKeys? keys = null)
    {
        keys ??= new FakeKeyRing(scenario.Validators);
        var random = new Random(scenario.Seed);
        var scheduler = new VirtualScheduler();
        var network = new SimNetwork(scheduler, random, scenario.Faults);
        var options = new ConsensusOptions { ChainId = ChainId, BaseRoundTimeout = TimeSpan.FromMilliseconds(scenario.BaseRoundTimeoutMs) };

        var identities = Enumerable.Range(0, scenario.Validators).Concat(scenario.Twinned).ToList();
        for (var i = 0; i < identities.Count; i++)
        {
            var validator = identities[i];
            var twinned = scenario.Twinned.Contains(validator);
            var signer = keys.SignerFor(keys.Validators[validator]);
            var node = new SimNode(i, $"node-{validator}{(i >= scenario.Validators ? "-twin" : "")}", signer, keys, options, network, scheduler,
                scenario.Timing, scenario.ClockSkewMs.GetValueOrDefault(validator))
            {
                Honest = !twinned && scenario.Equivocator != validator,
            };
            if (scenario.Equivocator == validator)
            {
                var index = i;
                node.Transport = () => new EquivocatingTransport(network, scheduler, index, signer, random);
            }
            network.Nodes.Add(node);
        }
        foreach (var node in network.Nodes)
            for (var t = 0; t < scenario.Transactions; t++) node.Chain.Submit($"tx-{t}");
        foreach (var crash in scenario.Crashes) Arm(crash, network.Nodes[crash.Instance], scheduler);
        foreach (var node in network.Nodes) scheduler.After(random.Next(0, 10), node.Start);

        var reached = scheduler.RunUntil(
            () => network.Nodes.Where(n => n.Honest && !n.Retired).All(n => n.Alive && n.Chain.Height >= scenario.TargetHeight),
            scenario.MaxVirtualMs);
        return new SimulationResult(scenario, network.Nodes, reached, scheduler.Now, scheduler.EventsRun, network.Sent, network.Dropped);
    }

    private static void Arm(CrashPlan crash, SimNode node, VirtualScheduler scheduler)
    {
        var armed = false;
        node.Chain.Committed += block =>
        {
            if (armed || block.Height < crash.AfterHeight) return;
            armed = true;
            scheduler.After(crash.DelayMs, () =>
            {
                node.Crash();
                if (crash.DowntimeMs is { } downtime) scheduler.After(downtime, node.Start);
                else node.Retired = true;
            });
        };
    }
}
