using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>
/// Proposer-based timestamps on the simulated network, with skewed virtual clocks: a proposer whose clock is 30 s fast or
/// slow never gets a block committed (the others refuse its proposals as untimely, the round changes and an honest
/// proposer commits); validators whose clocks differ by less than the precision commit every block at height 1's round 0.
/// </summary>
public class ClockSkewScenarioTests
{
    private static readonly ProposalTiming Timing = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));

    [Test]
    public void A_proposer_30_s_off_never_gets_its_block_committed_and_honest_proposers_commit([Values(-30_000, 30_000)] long skewMs, [Range(0, 9)] int seed)
    {
        var keys = new FakeKeyRing(4);
        var skewed = ScenarioRuns.ProposerIndex(keys, 1, 0);
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            TargetHeight = 8,
            Faults = new NetworkFaults { MaxDelayMs = 1 + new Random(seed).Next(60) },
            Timing = Timing,
            ClockSkewMs = new Dictionary<int, long> { [skewed] = skewMs },
        };
        var (result, violations) = ScenarioRuns.Run(scenario, keys);

        Assert.That(violations, Is.Empty);
        Assert.That(result.ReachedTarget, Is.True);
        var skewedName = result.Nodes[skewed].Name;
        var blocks = result.Nodes.Where(n => n.Index != skewed).SelectMany(n => n.Chain.Blocks).ToList();
        Assert.That(blocks.Select(b => b.Content.Author), Has.None.EqualTo(skewedName), "a block of the skewed proposer was committed");
        Assert.That(result.Nodes.Where(n => n.Index != skewed).Sum(n => n.MetricsPerLife.Sum(m => m.Dropped(ErrorCode.UntimelyProposal))), Is.GreaterThan(0),
            "the honest validators refused its proposals as untimely");
        Assert.That(result.Nodes[0].Chain.Blocks[0].Certificate.Round, Is.GreaterThan(0U), "height 1 was decided after a round change");
    }

    [Test]
    public void Honest_clocks_within_the_precision_commit_without_a_refusal([Range(0, 9)] int seed)
    {
        var random = new Random(seed);
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            TargetHeight = 8,
            Faults = new NetworkFaults { MaxDelayMs = 1 + random.Next(60) },
            Timing = Timing,
            // Pairwise within the precision: each clock within ±precision/2 of the virtual one.
            ClockSkewMs = Enumerable.Range(0, 4).ToDictionary(i => i, _ => (long)random.Next(-250, 251)),
        };
        var (result, violations) = ScenarioRuns.Run(scenario);

        Assert.That(violations, Is.Empty);
        Assert.That(result.ReachedTarget, Is.True);
        Assert.That(result.Nodes.Sum(n => n.MetricsPerLife.Sum(m => m.Dropped(ErrorCode.UntimelyProposal))), Is.Zero);
        var times = result.Nodes[0].Chain.Blocks.Select(b => b.Content.Time).ToList();
        Assert.That(times, Is.Ordered.Ascending);
        Assert.That(times.Distinct().Count(), Is.EqualTo(times.Count), "block time strictly increases");
    }
}
