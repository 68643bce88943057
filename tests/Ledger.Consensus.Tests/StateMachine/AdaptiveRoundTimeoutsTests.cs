using Ledger.Consensus.StateMachine;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>Round timeouts grow with heights that needed a round change and come back down after rounds complete.</summary>
public class AdaptiveRoundTimeoutsTests
{
    private static readonly ConsensusOptions Options = new() { ChainId = "t", BaseRoundTimeout = TimeSpan.FromSeconds(2), AdaptiveTimeoutDoublings = 3, TimeoutShrinkAfter = 2, MaxTimeoutDoublings = 10 };

    [Test]
    public void Starts_at_the_base_and_doubles_per_round_within_a_height()
    {
        var timeouts = new AdaptiveRoundTimeouts(Options);
        Assert.That(timeouts.For(0), Is.EqualTo(TimeSpan.FromSeconds(2)));
        Assert.That(timeouts.For(3), Is.EqualTo(TimeSpan.FromSeconds(16)));
    }

    [Test]
    public void Each_height_decided_after_a_failed_round_adds_one_doubling_up_to_the_cap()
    {
        var timeouts = new AdaptiveRoundTimeouts(Options);
        timeouts.Decided(2);
        Assert.That(timeouts.For(0), Is.EqualTo(TimeSpan.FromSeconds(4)));
        timeouts.Decided(1);
        timeouts.Decided(5);
        timeouts.Decided(1);
        Assert.That(timeouts.Doublings, Is.EqualTo(3), "capped at AdaptiveTimeoutDoublings");
        Assert.That(timeouts.For(0), Is.EqualTo(TimeSpan.FromSeconds(16)));
        Assert.That(timeouts.For(1), Is.EqualTo(TimeSpan.FromSeconds(32)));
    }

    [Test]
    public void Runs_of_heights_decided_in_round_zero_give_the_doublings_back()
    {
        var timeouts = new AdaptiveRoundTimeouts(Options);
        timeouts.Decided(1);
        timeouts.Decided(1);
        Assert.That(timeouts.Doublings, Is.EqualTo(2));
        timeouts.Decided(0);
        Assert.That(timeouts.Doublings, Is.EqualTo(2), "one quick height is not yet a run");
        timeouts.Decided(0);
        Assert.That(timeouts.Doublings, Is.EqualTo(1));
        timeouts.Decided(0);
        timeouts.Decided(1);
        Assert.That(timeouts.Doublings, Is.EqualTo(2), "a failed round resets the run");
        for (var i = 0; i < 10; i++) timeouts.Decided(0);
        Assert.That(timeouts.Doublings, Is.Zero);
        Assert.That(timeouts.For(0), Is.EqualTo(TimeSpan.FromSeconds(2)), "back at the base, never below");
    }

    [Test]
    public void Without_adaptation_every_height_starts_at_the_base()
    {
        var timeouts = new AdaptiveRoundTimeouts(Options with { AdaptiveTimeoutDoublings = 0 });
        timeouts.Decided(4);
        Assert.That(timeouts.For(0), Is.EqualTo(TimeSpan.FromSeconds(2)));
    }

    [Test]
    public void The_round_exponent_stays_within_MaxTimeoutDoublings()
    {
        var timeouts = new AdaptiveRoundTimeouts(Options with { MaxTimeoutDoublings = 4 });
        for (var i = 0; i < 3; i++) timeouts.Decided(1);
        Assert.That(timeouts.For(10), Is.EqualTo(TimeSpan.FromSeconds(32)));
    }
}
