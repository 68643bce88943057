using Ledger.Consensus.Events;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Ports;
using Ledger.Consensus.Signing;
using Ledger.Core;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>
/// A validator restored from an old backup has lost its WAL but not its signing watermark: it never signs a second,
/// different message for a slot it signed before; and a validator that holds signing until it learns how far its peers
/// committed signs nothing at those heights.
/// </summary>
public class SigningWatermarkTests
{
    [Test]
    public void Restored_without_its_wal_a_validator_refuses_to_prepare_another_block_in_a_round_it_prepared()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var a = h.Block(1, 0, "a");
        h.Receive(h.Make.Proposal(proposer, 1, 0, a));
        Assert.That(h.Watermark.Highest, Is.EqualTo(new SigningPosition(1, 0, MessageType.Prepare, a.Hash)));

        h.RestoreWithoutWal();
        h.Start();
        var b = h.Block(1, 0, "b"); // an equivocating proposer's second block for the round
        h.Receive(h.Make.Proposal(proposer, 1, 0, b));
        foreach (var v in h.Others()) h.Receive(h.Make.Prepare(v, 1, 0, b.Hash));

        Assert.That(h.Transport.Broadcasts, Is.Empty, "no prepare, no commit for the other block");
        Assert.That(h.Dropped(ErrorCode.ConflictingSignatureRefused), Is.EqualTo(1), "the other block's proposal is not accepted: no commit for a block it did not prepare");
        Assert.That(h.Watermark.Highest, Is.EqualTo(new SigningPosition(1, 0, MessageType.Prepare, a.Hash)), "unchanged");
    }

    [Test]
    public void Restored_without_its_wal_a_validator_signs_the_identical_prepare_again()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var a = h.Block(1, 0, "a");
        h.Receive(h.Make.Proposal(proposer, 1, 0, a));

        h.RestoreWithoutWal();
        h.Start();
        h.Receive(h.Make.Proposal(proposer, 1, 0, a));
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(a.Hash), "nothing new is said");
        foreach (var v in h.Others()) h.Receive(h.Make.Prepare(v, 1, 0, a.Hash));
        Assert.That(h.Sent(MessageType.Commit).Single().Payload.Digest, Is.EqualTo(a.Hash), "and it goes on above the watermark");
        Assert.That(h.Engine.Metrics.ConflictingSignaturesRefused, Is.Zero);
    }

    [Test]
    public void Restored_proposer_does_not_propose_a_new_block_where_it_proposed_before_and_moves_on_by_round_change()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0));
        h.Start();
        var first = h.Sent(MessageType.Proposal).Single();

        h.Chain.Submit("a-tx-that-arrived-meanwhile"); // a block built now differs
        h.RestoreWithoutWal();
        h.Start();
        Assert.That(h.Sent(MessageType.Proposal), Is.Empty, "no second proposal for (1, 0)");
        Assert.That(h.Sent(MessageType.Prepare), Is.Empty, "no prepare for a block of its own below the watermark");
        Assert.That(h.Engine.Metrics.ConflictingSignaturesRefused, Is.GreaterThanOrEqualTo(1));

        h.Timeout(1, 0);
        var roundChange = h.Sent(MessageType.RoundChange).Single();
        Assert.That((roundChange.Height, roundChange.Round), Is.EqualTo((1UL, 1U)), "a later slot is signed as usual");
        Assert.That(h.Watermark.Highest!.Value.Round, Is.EqualTo(1U));
        Assert.That(first.Payload.Digest, Is.Not.Null);
    }

    [Test]
    public void Restored_at_an_older_height_a_validator_signs_nothing_at_or_below_what_it_signed()
    {
        var h = RoundFlowTests.NotProposer(2, 0);
        h.Watermark.Advance(new SigningPosition(3, 1, MessageType.Commit, Hash32.Parse(new string('c', 64))));
        h.Restart();
        h.Start(2);
        var proposer = h.ProposerOf(2, 0);
        h.Receive(h.Make.Proposal(proposer, 2, 0, h.Block(2, 0)));
        h.Timeout(2, 0);

        Assert.That(h.Transport.Broadcasts, Is.Empty);
        Assert.That(h.Engine.Metrics.ConflictingSignaturesRefused, Is.EqualTo(2), "the prepare and the round change");
    }

    [Test]
    public void The_watermark_is_on_disk_before_the_transport_sees_the_message_and_a_failed_write_sends_nothing()
    {
        var recording = new OrderRecordingWatermark();
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0), watermark: recording);
        recording.Transport = h.Transport;
        h.Start();
        Assert.That(recording.BroadcastsWhenAdvanced, Is.EqualTo(new[] { 0, 1 }), "the proposal, then the prepare: each recorded before it was sent");

        var failing = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0), watermark: new FailingWatermark());
        Assert.Throws<IOException>(() => failing.Start());
        Assert.That(failing.Transport.Broadcasts, Is.Empty);
        Assert.That(failing.Wal.ReadAll(), Is.Empty, "not even logged: nothing was signed");
    }

    [Test]
    public void A_held_validator_signs_nothing_until_released_then_proposes()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0), holdSigning: true);
        h.Start();
        Assert.That(h.Transport.Broadcasts, Is.Empty);
        Assert.That(h.Engine.SigningHeld, Is.True);
        Assert.That(h.Engine.Metrics.SignaturesHeld, Is.EqualTo(1));

        h.Engine.ReleaseSigning(0);
        Assert.That(h.Sent(MessageType.Proposal).Single().Height, Is.EqualTo(1UL));
        Assert.That(h.Sent(MessageType.Prepare), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_held_validator_prepares_and_commits_what_it_accepted_meanwhile_once_released()
    {
        var h = new EngineHarness(_ => Enumerable.Range(0, 4).First(i => i != EngineHarness.IndexOfProposer(1, 0)), holdSigning: true);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var block = h.Block(1, 0);
        h.Receive(h.Make.Proposal(proposer, 1, 0, block));
        foreach (var v in h.Others().Take(2)) h.Receive(h.Make.Prepare(v, 1, 0, block.Hash));
        Assert.That(h.Transport.Broadcasts, Is.Empty);

        h.Engine.ReleaseSigning(0);
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
        Assert.That(h.Sent(MessageType.Commit).Single().Payload.Digest, Is.EqualTo(block.Hash));
    }

    [Test]
    public void Released_below_the_peers_head_a_validator_signs_nothing_at_heights_they_committed()
    {
        var h = new EngineHarness(_ => EngineHarness.IndexOfProposer(1, 0), holdSigning: true);
        h.Start();
        h.Engine.ReleaseSigning(committedByPeers: 1);
        Assert.That(h.Engine.SigningHeld, Is.False);
        Assert.That(h.Engine.SigningFloor, Is.EqualTo(1UL));
        Assert.That(h.Transport.Broadcasts, Is.Empty, "height 1 is committed elsewhere: sync it, do not propose it again");
        h.Timeout(1, 0);
        Assert.That(h.Transport.Broadcasts, Is.Empty, "no round change at a committed height either");

        // Block sync imports height 1; at height 2 it signs again.
        h.Chain.Commit(1, 0, h.Block(1, 0), new Ledger.Core.Blocks.CommitCertificate { Height = 1, Round = 0, BlockHash = h.Block(1, 0).Hash, Seals = [] });
        h.Engine.Handle(new NewHeight(2));
        var proposer2 = h.ProposerOf(2, 0);
        if (proposer2 == h.Me) Assert.That(h.Sent(MessageType.Proposal).Single().Height, Is.EqualTo(2UL));
        else
        {
            h.Receive(h.Make.Proposal(proposer2, 2, 0, h.Block(2, 0)));
            Assert.That(h.Sent(MessageType.Prepare).Single().Height, Is.EqualTo(2UL));
        }
    }

    [Test]
    public void The_floor_only_rises()
    {
        var h = new EngineHarness(_ => 0);
        h.Engine.RaiseSigningFloor(7);
        h.Engine.RaiseSigningFloor(3);
        h.Engine.ReleaseSigning(2);
        Assert.That(h.Engine.SigningFloor, Is.EqualTo(7UL));
    }

    private sealed class OrderRecordingWatermark : ISigningWatermark
    {
        public Fakes.RecordingTransport? Transport { get; set; }

        public List<int> BroadcastsWhenAdvanced { get; } = [];

        public SigningPosition? Highest { get; private set; }

        public void Advance(SigningPosition position)
        {
            BroadcastsWhenAdvanced.Add(Transport!.Broadcasts.Count);
            Highest = position;
        }
    }

    private sealed class FailingWatermark : ISigningWatermark
    {
        public SigningPosition? Highest => null;

        public void Advance(SigningPosition position) => throw new IOException("disk full");
    }
}
