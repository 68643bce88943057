using Ledger.Consensus.Messages;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;
using Ledger.Core.Blocks;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>
/// Proposer-based timestamps at the engine's port: a new proposal is judged on the validator's clock; a block re-proposed
/// with the PREPARE quorum of an earlier round keeps its original time and is told to the validator as a re-proposal,
/// so it is prepared however old its time has become.
/// </summary>
public class ProposalTimeTests
{
    private static readonly ProposalTiming Timing = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2));

    private static (EngineHarness Harness, Func<long, long> SetClock) Harness(Func<FakeKeyRing, int> pickMe)
    {
        long now = 0;
        var chain = new FakeChain("engine-under-test") { Timing = Timing, Clock = () => now };
        return (new EngineHarness(pickMe, chain: chain), t => now = t);
    }

    private static ProposedBlock BlockAt(EngineHarness h, ulong height, uint round, long time, string author = "peer") =>
        new FakeBlock(height, round, author, h.Chain.HeadHash, [], time).ToProposed();

    [Test]
    public void A_new_proposal_timely_on_this_clock_is_prepared()
    {
        var (h, setClock) = Harness(_ => RoundFlowTests.NotProposer(1, 0).Me);
        setClock(100_000);
        h.Start();
        var block = BlockAt(h, 1, 0, 100_000 - 2_400);
        h.Receive(h.Make.Proposal(h.ProposerOf(1, 0), 1, 0, block));
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
    }

    [Test]
    public void A_new_proposal_too_far_ahead_or_behind_this_clock_is_refused_as_untimely([Values(600, -2_600, 30_000, -30_000)] long offsetMs)
    {
        var (h, setClock) = Harness(_ => RoundFlowTests.NotProposer(1, 0).Me);
        setClock(100_000);
        h.Start();
        h.Receive(h.Make.Proposal(h.ProposerOf(1, 0), 1, 0, BlockAt(h, 1, 0, 100_000 + offsetMs)));
        Assert.That(h.Sent(MessageType.Prepare), Is.Empty);
        Assert.That(h.Dropped(ErrorCode.UntimelyProposal), Is.EqualTo(1));
    }

    [Test]
    public void A_prepared_block_reproposed_later_keeps_its_time_and_is_prepared_without_a_timeliness_check()
    {
        var (h, setClock) = Harness(_ => RoundFlowTests.NotProposer(1, 1).Me);
        setClock(100_000);
        h.Start();
        var others = h.Others();
        var block = BlockAt(h, 1, 0, 99_900, "round-0-proposer");
        var prepared = h.Make.Prepared(1, 0, block, others);
        setClock(100_000 + 60_000); // a minute later: the block's time is far outside the window now
        var rcs = others.Select(v => h.Make.RoundChange(v, 1, 1, prepared).Signed).ToList();
        h.Receive(h.Make.Proposal(h.ProposerOf(1, 1), 1, 1, block, rcs, prepared.Prepares));

        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
        Assert.That(h.Chain.ReproposalsAccepted, Is.EqualTo(1));
        Assert.That(FakeBlock.Parse(block.Bytes)!.Time, Is.EqualTo(99_900), "the block keeps its original time");
    }

    [Test]
    public void The_same_stale_block_proposed_as_new_in_a_later_round_is_refused()
    {
        var (h, setClock) = Harness(_ => RoundFlowTests.NotProposer(1, 1).Me);
        setClock(160_000);
        h.Start();
        var rcs = h.Others().Select(v => h.Make.RoundChange(v, 1, 1).Signed).ToList(); // nobody prepared
        h.Receive(h.Make.Proposal(h.ProposerOf(1, 1), 1, 1, BlockAt(h, 1, 0, 99_900), rcs));

        Assert.That(h.Sent(MessageType.Prepare), Is.Empty);
        Assert.That(h.Dropped(ErrorCode.UntimelyProposal), Is.EqualTo(1));
    }

    [Test]
    public void The_proposer_reproposing_a_prepared_block_sends_it_unchanged_with_its_old_time()
    {
        var (h, setClock) = Harness(_ => EngineHarness.IndexOfProposer(1, 1));
        setClock(100_000);
        h.Start();
        var others = h.Others();
        var block = BlockAt(h, 1, 0, 99_950, "old-proposer");
        var prepared = h.Make.Prepared(1, 0, block, others);
        setClock(150_000);
        h.Receive(h.Make.RoundChange(others[0], 1, 1, prepared));
        h.Receive(h.Make.RoundChange(others[1], 1, 1));

        var proposal = h.Sent(MessageType.Proposal).Single();
        Assert.That(proposal.Block, Is.EqualTo(block.Bytes));
        Assert.That(FakeBlock.Parse(proposal.Block!)!.Time, Is.EqualTo(99_950));
    }
}
