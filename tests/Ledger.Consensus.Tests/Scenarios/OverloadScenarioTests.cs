using System.Globalization;
using Ledger.Consensus.Tests.Simulation;

namespace Ledger.Consensus.Tests.Scenarios;

/// <summary>
/// The guangdong preset's 22 validators on a simulated network where every node is one loaded processor
/// (<see cref="LoadedNode"/>, about 100 tx/s of capacity): a minute offered twice what the network commits, then half of
/// it. What the node does about overload (consensus ahead of gossip, a bounded backlog, a pool bounded by the commit
/// window with retry hints, adaptive round timeouts) must bring finality back to what the same network gives at the
/// lower load alone, within a minute of the drop; the same run without it must not.
/// </summary>
public class OverloadScenarioTests
{
    private const long OverloadMs = 60_000;
    private const long AfterMs = 120_000;
    private static readonly LoadPhase[] OverloadThenHalf = [new(OverloadMs, 200), new(AfterMs, 50)];

    [Test]
    public void Twenty_two_validators_recover_normal_finality_within_a_minute_after_overload()
    {
        var calm = OverloadSimulator.Run(new OverloadScenario { Phases = [new(OverloadMs + AfterMs, 50)] });
        var normal = Window(calm);
        var calmP99 = OverloadResult.Percentile(normal, 0.99);
        TestContext.Out.WriteLine(calm.Summary(OverloadMs + 60_000, OverloadMs + AfterMs));

        var run = OverloadSimulator.Run(new OverloadScenario { Phases = OverloadThenHalf });
        TestContext.Out.WriteLine(run.Summary(OverloadMs + 60_000, OverloadMs + AfterMs));
        TestContext.Out.WriteLine("finality p99 (s) by offer time: " + run.Timeline());
        var recovered = Window(run);

        Assert.Multiple(() =>
        {
            Assert.That(calmP99, Is.LessThan(5_000), "the calm network itself finalises in seconds");
            Assert.That(run.ForkViolations(), Is.Empty);
            Assert.That(recovered.All(t => t.CommittedAt is not null), Is.True, "every tx offered from a minute after the drop commits");
            Assert.That(OverloadResult.Percentile(recovered, 0.99), Is.LessThanOrEqualTo(Math.Max(2 * calmP99, calmP99 + 1_000)),
                "finality p99 from a minute after the drop is back to the calm network's");
            Assert.That(run.Refusals, Is.GreaterThan(0), "the overload was refused with retry hints, not queued");
            Assert.That(run.OfferedBetween(0, OverloadMs).Count(t => t.CommittedAt is not null), Is.GreaterThan(0), "the network kept committing during the overload");
        });
    }

    [Test]
    public void Without_the_mitigations_the_same_overload_leaves_finality_broken_a_minute_after_the_drop()
    {
        var calmP99 = OverloadResult.Percentile(Window(OverloadSimulator.Run(new OverloadScenario { Phases = [new(OverloadMs + AfterMs, 50)], Mitigated = false })), 0.99);
        var run = OverloadSimulator.Run(new OverloadScenario { Phases = OverloadThenHalf, Mitigated = false });
        TestContext.Out.WriteLine(run.Summary(OverloadMs + 60_000, OverloadMs + AfterMs));
        TestContext.Out.WriteLine("finality p99 (s) by offer time: " + run.Timeline());
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calm p99 {calmP99:0} ms"));
        Assert.That(OverloadResult.Percentile(Window(run), 0.99), Is.GreaterThan(Math.Max(2 * calmP99, calmP99 + 1_000)),
            "the model shows the collapse the node had: otherwise the test above proves nothing");
    }

    /// <summary>Txs offered from a minute after the drop to the end of the lower load.</summary>
    private static IReadOnlyList<OverloadTx> Window(OverloadResult result) => result.OfferedBetween(OverloadMs + 60_000, OverloadMs + AfterMs);
}
