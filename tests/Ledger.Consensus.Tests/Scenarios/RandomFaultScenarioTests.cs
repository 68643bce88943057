using System.Diagnostics;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.Simulation;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>(a) Random drops, delays, duplicates and reorders, a different schedule per seed.</summary>
public class RandomFaultScenarioTests
{
    [TestCase(4, 1000)]
    [TestCase(7, 1000)]
    [TestCase(4, 20_000, Category = "Long")]
    [TestCase(7, 10_000, Category = "Long")]
    public void Every_seed_is_safe_and_live_under_random_faults(int validators, int seeds)
    {
        var stopwatch = Stopwatch.StartNew();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        long maxVirtualMs = 0, totalRoundChanges = 0;
        Parallel.For(0, seeds, new ParallelOptions { MaxDegreeOfParallelism = 2 }, seed =>
        {
            var faults = NetworkFaults.Random(new Random(seed * 7919 + validators));
            var scenario = new Scenario { Seed = seed, Validators = validators, Faults = faults };
            var keys = new FakeKeyRing(validators);
            var result = Simulator.Run(scenario, keys);
            var violations = SafetyChecker.Check(result, keys);
            if (!result.ReachedTarget) violations.Add("did not reach the target height");
            if (violations.Count > 0) failures.Add($"seed {seed} ({faults}): {string.Join("; ", violations)}");
            InterlockedMax(ref maxVirtualMs, result.VirtualMs);
            Interlocked.Add(ref totalRoundChanges, result.Nodes.Sum(n => n.MetricsPerLife.Sum(m => m.RoundChanges)));
        });
        TestContext.Out.WriteLine($"n={validators}: {seeds} seeds in {stopwatch.Elapsed.TotalSeconds:F1} s; longest run {maxVirtualMs / 1000.0:F1} virtual s; {totalRoundChanges} round changes in all");
        Assert.That(failures, Is.Empty, string.Join("\n", failures.Take(10)));
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long seen;
        while (value > (seen = Interlocked.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
