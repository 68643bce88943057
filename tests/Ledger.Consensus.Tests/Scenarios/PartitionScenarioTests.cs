using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>(c) 2|2: neither half has a quorum; (d) 3|1 with the proposer alone: the three go on, the one catches up.</summary>
public class PartitionScenarioTests
{
    private const long HealAtMs = 30_000;

    [Test]
    public void Two_two_partition_commits_nothing_until_it_heals([Range(0, 49)] int seed)
    {
        var random = new Random(seed);
        var groups = new[] { 0, 0, 1, 1 }.OrderBy(_ => random.Next()).ToArray();
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            Faults = new NetworkFaults { MaxDelayMs = 1 + random.Next(60), Partitions = [new Partition(0, HealAtMs, groups)] },
        };
        var (result, violations) = ScenarioRuns.Run(scenario);

        Assert.That(violations, Is.Empty);
        Assert.That(result.Nodes.SelectMany(n => n.CommitTimes).Min(), Is.GreaterThanOrEqualTo(HealAtMs), "a half without a quorum committed");
        Assert.That(result.ReachedTarget, Is.True);
    }

    [Test]
    public void Three_one_partition_with_the_proposer_alone([Range(0, 49)] int seed)
    {
        var keys = new FakeKeyRing(4);
        var proposer = ScenarioRuns.ProposerIndex(keys, 1, 0);
        var groups = Enumerable.Range(0, 4).Select(i => i == proposer ? 1 : 0).ToArray();
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            TargetHeight = 4,
            Faults = new NetworkFaults { MaxDelayMs = 1 + new Random(seed).Next(60), Partitions = [new Partition(0, HealAtMs, groups)] },
        };
        var (result, violations) = ScenarioRuns.Run(scenario, keys);

        Assert.That(violations, Is.Empty);
        var alone = result.Nodes[proposer];
        Assert.That(alone.CommitTimes.Where(t => t < HealAtMs), Is.Empty, "the isolated proposer committed alone");
        Assert.That(alone.Acknowledged.All(b => b.BySync), Is.True, "it catches up by block sync");
        foreach (var node in result.Nodes.Where(n => n.Index != proposer))
            Assert.That(node.CommitTimes.Count(t => t < HealAtMs), Is.GreaterThanOrEqualTo(3), $"{node.Name}: the majority side goes on without the proposer");
    }
}
