using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>(b) The proposer crashes mid-height; restarted with its WAL it must not contradict itself, and nothing is lost.</summary>
public class CrashScenarioTests
{
    [Test]
    public void Proposer_crash_and_restart_with_wal_keeps_safety_and_catches_up([Range(0, 199)] int seed)
    {
        var keys = new FakeKeyRing(4);
        var random = new Random(seed);
        var proposer = ScenarioRuns.ProposerIndex(keys, 3, 0);
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            TargetHeight = 6,
            Faults = new NetworkFaults { DropRate = 0.05, DuplicateRate = 0.05, MaxDelayMs = 40, StableAfterMs = 20_000 },
            Crashes = [new CrashPlan(proposer, AfterHeight: 2, DelayMs: random.Next(0, 40), DowntimeMs: random.Next(200, 8_000))],
        };
        var (result, violations) = ScenarioRuns.Run(scenario, keys);

        Assert.That(violations, Is.Empty);
        Assert.That(ScenarioRuns.EvidenceAgainstHonest(result), Is.Empty, "the restarted proposer signed something conflicting");
        var crashed = result.Nodes[proposer];
        Assert.That(crashed.MetricsPerLife, Has.Count.EqualTo(2), "crashed once and restarted once");
        Assert.That(crashed.Chain.Height, Is.GreaterThanOrEqualTo(scenario.TargetHeight));
    }

    [Test]
    public void Proposer_crashed_for_good_leaves_three_that_keep_committing([Range(0, 49)] int seed)
    {
        var keys = new FakeKeyRing(4);
        var proposer = ScenarioRuns.ProposerIndex(keys, 2, 0);
        var scenario = new Scenario
        {
            Seed = seed,
            Validators = 4,
            TargetHeight = 8,
            Faults = new NetworkFaults { MaxDelayMs = 30 },
            Crashes = [new CrashPlan(proposer, AfterHeight: 1, DelayMs: new Random(seed).Next(0, 30), DowntimeMs: null)],
        };
        var (result, violations) = ScenarioRuns.Run(scenario, keys);

        Assert.That(violations, Is.Empty);
        Assert.That(result.Nodes.Where(n => n.Index != proposer).Sum(n => n.MetricsPerLife.Sum(m => m.Timeouts)), Is.GreaterThan(0),
            "the heights the dead validator should propose need a round change");
    }
}
