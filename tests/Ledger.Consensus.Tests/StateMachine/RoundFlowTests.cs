using Ledger.Consensus.Messages;
using Ledger.Consensus.Wal;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>Besu-style: inject a proposal, votes or a timeout, assert on the messages sent and the timers set.</summary>
public class RoundFlowTests
{
    [Test]
    public void Proposer_of_round_0_broadcasts_its_block_and_its_prepare_and_sets_the_round_timer()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0));
        h.Start();

        var proposal = h.Sent(MessageType.Proposal).Single();
        Assert.That((proposal.Height, proposal.Round, proposal.Signer), Is.EqualTo((1UL, 0U, h.Keys.Validators[h.Me])));
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(proposal.Payload.Digest));
        Assert.That(h.Timeouts.Scheduled, Is.EqualTo(new[] { (1UL, 0U, EngineHarness.BaseTimeout) }));
        Assert.That(h.Wal.ReadAll().Select(r => r.Message?.Type), Is.EqualTo(new MessageType?[] { MessageType.Proposal, MessageType.Prepare }), "logged before sent");
    }

    [Test]
    public void Proposer_without_a_block_waits_for_transactions()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0));
        h.Chain.Ready = false;
        h.Start();
        Assert.That(h.Transport.Broadcasts, Is.Empty);

        h.Chain.Ready = true;
        h.Engine.Handle(new Events.TransactionsAvailable());
        Assert.That(h.Sent(MessageType.Proposal), Has.Count.EqualTo(1));
    }

    [Test]
    public void Validator_prepares_a_valid_proposal_then_commits_with_a_valid_seal_on_a_prepare_quorum()
    {
        var h = NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var block = h.Block(1, 0);

        h.Receive(h.Make.Proposal(proposer, 1, 0, block));
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
        Assert.That(h.Sent(MessageType.Commit), Is.Empty);

        h.Receive(h.Make.Prepare(proposer, 1, 0, block.Hash));
        Assert.That(h.Sent(MessageType.Commit), Is.Empty, "two of three prepares");
        h.Receive(h.Make.Prepare(h.Others(proposer)[0], 1, 0, block.Hash));

        var commit = h.Sent(MessageType.Commit).Single();
        Assert.That(commit.Payload.Digest, Is.EqualTo(block.Hash));
        Assert.That(h.SealVerifies(commit), Is.True);
        Assert.That(h.Wal.ReadAll().Any(r => r.Kind == WalRecordKind.Prepared && r.Prepared!.Block.Hash == block.Hash), Is.True, "prepared certificate logged before the commit");
    }

    [Test]
    public void Commit_quorum_decides_with_a_certificate_of_distinct_seals_and_starts_the_next_height()
    {
        var h = NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var block = h.Block(1, 0);
        h.Receive(h.Make.Proposal(proposer, 1, 0, block));
        foreach (var v in h.Others()) h.Receive(h.Make.Prepare(v, 1, 0, block.Hash));
        h.Receive(h.Make.Commit(proposer, 1, 0, block.Hash));
        h.Receive(h.Make.Commit(proposer, 1, 0, block.Hash)); // a duplicate does not count twice
        Assert.That(h.Chain.Height, Is.EqualTo(0UL));

        h.Receive(h.Make.Commit(h.Others(proposer)[0], 1, 0, block.Hash));

        var committed = h.Chain.Blocks.Single();
        Assert.That(committed.Block, Is.EqualTo(block));
        Assert.That(committed.Certificate.Seals.Select(s => s.Validator).Distinct().Count(), Is.EqualTo(3));
        Assert.That(h.Wal.ReadAll()[^1].Kind, Is.EqualTo(WalRecordKind.HeightCompleted));
        Assert.That(h.Engine.Height, Is.EqualTo(2UL));
        Assert.That(h.Engine.Metrics.HeightsCommitted, Is.EqualTo(1));
    }

    [Test]
    public void Round_timeout_sends_a_round_change_and_doubles_the_timer_and_a_stale_timeout_does_nothing()
    {
        var h = NotProposer(1, 1);
        h.Start();
        h.Timeout(1, 0);

        var rc = h.Sent(MessageType.RoundChange).Single();
        Assert.That((rc.Round, rc.Payload.IsPrepared), Is.EqualTo((1U, false)));
        Assert.That(h.Timeouts.Scheduled[^1], Is.EqualTo((1UL, 1U, 2 * EngineHarness.BaseTimeout)));

        h.Timeout(1, 0);
        Assert.That(h.Sent(MessageType.RoundChange), Has.Count.EqualTo(1));
        Assert.That(h.Engine.Round, Is.EqualTo(1U));
    }

    [Test]
    public void A_prepared_validator_carries_its_prepared_certificate_into_its_round_change()
    {
        var h = NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var block = h.Block(1, 0);
        h.Receive(h.Make.Proposal(proposer, 1, 0, block));
        foreach (var v in h.Others().Take(2)) h.Receive(h.Make.Prepare(v, 1, 0, block.Hash));
        h.Timeout(1, 0);

        var rc = h.Sent(MessageType.RoundChange).Single();
        Assert.That((rc.Payload.PreparedRound, rc.Payload.PreparedDigest), Is.EqualTo((0U, (Ledger.Core.Hash32?)block.Hash)));
        Assert.That(rc.Block, Is.EqualTo(block.Bytes));
        Assert.That(rc.Prepares, Has.Count.EqualTo(3));
    }

    [Test]
    public void New_proposer_reproposes_the_highest_prepared_block_with_its_justification()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 1));
        h.Start();
        var others = h.Others();
        var prepared = h.Make.Prepared(1, 0, h.Block(1, 0, "old-proposer"), others);
        h.Receive(h.Make.RoundChange(others[0], 1, 1, prepared));
        h.Receive(h.Make.RoundChange(others[1], 1, 1));
        Assert.That(h.Engine.Round, Is.EqualTo(1U), "f+1 round changes move it to round 1");

        var proposal = h.Sent(MessageType.Proposal).Single();
        Assert.That(proposal.Round, Is.EqualTo(1U));
        Assert.That(proposal.Payload.Digest, Is.EqualTo(prepared.Block.Hash), "the prepared block, not a new one");
        Assert.That(proposal.RoundChanges.Select(r => r.Signer).Distinct().Count(), Is.GreaterThanOrEqualTo(3));
        Assert.That(proposal.Prepares, Has.Count.EqualTo(3));
    }

    [Test]
    public void New_proposer_without_prepared_round_changes_proposes_its_own_block()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 1));
        h.Start();
        h.Timeout(1, 0);
        foreach (var v in h.Others().Take(2)) h.Receive(h.Make.RoundChange(v, 1, 1));

        var proposal = h.Sent(MessageType.Proposal).Single();
        Assert.That(Fakes.FakeBlock.Parse(proposal.Block!)!.Author, Is.EqualTo(h.Chain.Author));
        Assert.That(proposal.Prepares, Is.Empty);
    }

    [Test]
    public void F_plus_one_round_changes_for_higher_rounds_skip_to_the_lowest_of_them()
    {
        var h = NotProposer(1, 3);
        h.Start();
        var others = h.Others();
        h.Receive(h.Make.RoundChange(others[0], 1, 5));
        Assert.That(h.Engine.Round, Is.EqualTo(0U), "one validator alone cannot move the round");
        h.Receive(h.Make.RoundChange(others[1], 1, 3));

        Assert.That(h.Engine.Round, Is.EqualTo(3U));
        Assert.That(h.Sent(MessageType.RoundChange).Single().Round, Is.EqualTo(3U));
        Assert.That(h.Timeouts.Scheduled[^1], Is.EqualTo((1UL, 3U, 8 * EngineHarness.BaseTimeout)));
    }

    [Test]
    public void A_justified_proposal_for_a_later_round_moves_the_validator_there_and_is_prepared()
    {
        var h = NotProposer(1, 2);
        h.Start();
        var proposer = h.ProposerOf(1, 2);
        var rcs = h.Others().Select(v => h.Make.RoundChange(v, 1, 2).Signed).ToList();
        var block = h.Block(1, 2, "round-2");
        h.Receive(h.Make.Proposal(proposer, 1, 2, block, rcs));

        Assert.That(h.Engine.Round, Is.EqualTo(2U));
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
    }

    /// <summary>An engine that proposes neither round 0 nor <paramref name="round"/> of the height.</summary>
    internal static EngineHarness NotProposer(ulong height, uint round) =>
        new(_ => Enumerable.Range(0, 4).First(i => i != EngineHarness.IndexOfProposer(height, round) && i != EngineHarness.IndexOfProposer(height, 0)));
}
