using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>
/// Twins (Bano et al. 2020): a validator's key runs on two instances with independent state, which is how a Byzantine
/// validator that signs everything twice looks. (f) Within the fault bound safety holds; (g) beyond it the checker must
/// see the fork, which shows the checker can fail.
/// </summary>
public class TwinsScenarioTests
{
    [TestCase(4, 1, 300)]
    [TestCase(7, 1, 200)]
    [TestCase(7, 2, 100)] // f = 2 pairs: still within the bound
    public void Twins_within_the_fault_bound_cannot_fork(int validators, int pairs, int seeds)
    {
        var conflicts = 0;
        for (var seed = 0; seed < seeds; seed++)
        {
            var random = new Random(seed);
            var twinned = Enumerable.Range(0, validators).OrderBy(_ => random.Next()).Take(pairs).ToArray();
            var scenario = new Scenario
            {
                Seed = seed,
                Validators = validators,
                Twinned = twinned,
                Faults = new NetworkFaults
                {
                    DropRate = random.NextDouble() * 0.1,
                    MaxDelayMs = 1 + random.Next(60),
                    StableAfterMs = 15_000,
                    Partitions = [RandomPartition(random, validators + pairs)],
                },
            };
            var (result, violations) = ScenarioRuns.Run(scenario);

            Assert.That(violations, Is.Empty, $"seed {seed}, twins of {string.Join(",", twinned)}");
            Assert.That(ScenarioRuns.EvidenceAgainstHonest(result), Is.Empty, $"seed {seed}");
            if (ScenarioRuns.AllEvidence(result).Any()) conflicts++;
        }
        TestContext.Out.WriteLine($"n={validators}: twins signed conflicting messages (evidence recorded) in {conflicts} of {seeds} seeds");
        Assert.That(conflicts, Is.GreaterThan(0), "the twins never conflicted: the scenario tested nothing");
    }

    [Test]
    public void Negative_control_twins_beyond_the_fault_bound_make_the_checker_report_a_fork()
    {
        const int seeds = 40;
        var forks = new List<string>();
        for (var seed = 0; seed < seeds; seed++)
        {
            var random = new Random(seed);
            var order = Enumerable.Range(0, 4).OrderBy(_ => random.Next()).ToArray();
            int[] twinned = [order[0], order[1]];
            // Instances 0..3 are the validators, 4 and 5 the twins of order[0] and order[1]. Each side holds one copy of
            // both twinned keys and one honest validator: three identities each, a quorum on both sides.
            var groups = new int[6];
            groups[order[2]] = 0;
            groups[order[3]] = 1;
            groups[order[0]] = 0;
            groups[order[1]] = 0;
            groups[4] = 1;
            groups[5] = 1;
            var scenario = new Scenario
            {
                Seed = seed,
                Validators = 4,
                Twinned = twinned,
                TargetHeight = 3,
                MaxVirtualMs = 120_000,
                Faults = new NetworkFaults { MaxDelayMs = 1 + random.Next(40), Partitions = [new Partition(0, 20_000 + random.Next(20_000), groups)] },
            };
            var (_, violations) = ScenarioRuns.Run(scenario);
            forks.AddRange(violations.Where(v => v.StartsWith("fork", StringComparison.Ordinal)).Select(v => $"seed {seed}: {v}"));
        }
        TestContext.Out.WriteLine($"{forks.Count} forks found in {seeds} seeds; first: {forks.FirstOrDefault()}");
        Assert.That(forks, Is.Not.Empty, "two twinned keys of four can sign two quorums; the checker must catch the fork");
    }

    private static Partition RandomPartition(Random random, int instances)
    {
        var groups = Enumerable.Range(0, instances).Select(_ => random.Next(2)).ToArray();
        return new Partition(0, random.Next(0, 20_000), groups);
    }
}
