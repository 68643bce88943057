using Ledger.Consensus.Messages;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Core;

namespace Ledger.Consensus.Tests.StateMachine;

/// <summary>Messages from outsiders, badly signed, stale, early or malformed are dropped, counted by reason, and never stall the engine.</summary>
public class MessageDropTests
{
    [Test]
    public void Junk_is_dropped_and_counted_by_reason_and_a_valid_proposal_still_goes_through()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var proposer = h.ProposerOf(1, 0);
        var block = h.Block(1, 0);
        var good = h.Make.Proposal(proposer, 1, 0, block);

        var outsider = FakeKeyRing.Outsider("intruder");
        var payload = good.Payload.Encode();
        h.Receive(new SignedMessage(new SignedPayload(good.Payload, payload, outsider.ValidatorId, outsider.Sign(MessageSigning.SigningBytes(payload))), block.Bytes));
        var tampered = good.Bytes.ToArray();
        tampered[^1] ^= 1; // the last byte of the block: the signature covers the digest, the validator the bytes
        h.Receive(tampered);
        var forged = new SignedMessage(new SignedPayload(good.Payload, payload, good.Signer, new byte[32]), block.Bytes);
        h.Receive(forged);
        h.Receive(h.Make.Proposal(h.Others(proposer)[0], 1, 0, block));
        h.Receive(h.Make.Prepare(proposer, 1, 0, block.Hash).Bytes[..^3]);
        h.Receive(new SignedMessage(h.Make.Sign(proposer, good.Payload with { ChainId = "other-chain" }), block.Bytes));

        Assert.That(h.Dropped(ErrorCode.UnknownValidator), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.InvalidBlockHash), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.InvalidSignature), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.WrongProposer), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.Truncated), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.WrongChainId), Is.EqualTo(1));
        Assert.That(h.Transport.Broadcasts, Is.Empty);

        h.Receive(good);
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
    }

    [Test]
    public void Stale_height_and_far_future_messages_are_dropped()
    {
        var h = RoundFlowTests.NotProposer(3, 0);
        h.Start(3);
        h.Receive(h.Make.Prepare(h.Others()[0], 2, 0, FakeKeyRing.IdOf("old")));
        h.Receive(h.Make.Prepare(h.Others()[0], 3 + 9, 0, FakeKeyRing.IdOf("far")));
        h.Receive(h.Make.Prepare(h.Others()[0], 3, 17, FakeKeyRing.IdOf("far round")));

        Assert.That(h.Dropped(ErrorCode.StaleHeight), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.FutureTooFar), Is.EqualTo(2));
    }

    [Test]
    public void Proposal_for_a_later_round_without_a_valid_justification_is_dropped()
    {
        var h = RoundFlowTests.NotProposer(1, 1);
        h.Start();
        var proposer = h.ProposerOf(1, 1);
        var others = h.Others();
        var block = h.Block(1, 1, "new");

        var tooFew = others.Take(2).Select(v => h.Make.RoundChange(v, 1, 1).Signed).ToList();
        h.Receive(h.Make.Proposal(proposer, 1, 1, block, tooFew));

        var prepared = h.Make.Prepared(1, 0, h.Block(1, 0, "prepared"), others);
        var withPrepared = others.Select((v, i) => h.Make.RoundChange(v, 1, 1, i == 0 ? prepared : null).Signed).ToList();
        h.Receive(h.Make.Proposal(proposer, 1, 1, block, withPrepared, prepared.Prepares)); // ignores the prepared block

        var wrongRound = others.Select(v => h.Make.RoundChange(v, 1, 2).Signed).ToList();
        h.Receive(h.Make.Proposal(proposer, 1, 1, block, wrongRound));

        Assert.That(h.Dropped(ErrorCode.InvalidJustification), Is.EqualTo(3));
        Assert.That(h.Engine.Round, Is.EqualTo(0U));
        Assert.That(h.Sent(MessageType.Prepare), Is.Empty);
    }

    [Test]
    public void Round_change_with_an_unproven_prepared_claim_is_dropped()
    {
        var h = RoundFlowTests.NotProposer(1, 1);
        h.Start();
        var others = h.Others();
        var weak = h.Make.Prepared(1, 0, h.Block(1, 0), others[0], others[1]);
        h.Receive(h.Make.RoundChange(others[0], 1, 1, weak));
        Assert.That(h.Dropped(ErrorCode.InvalidPreparedCertificate), Is.EqualTo(1));
    }

    [Test]
    public void Future_height_messages_are_buffered_and_replayed_when_the_height_starts()
    {
        var h = RoundFlowTests.NotProposer(2, 0);
        h.Start();
        var proposer = h.ProposerOf(2, 0);
        var block = new FakeBlock(2, 0, "peer", h.Chain.HeadHash, []).ToProposed();
        h.Receive(h.Make.Proposal(proposer, 2, 0, block));
        Assert.That(h.Engine.Metrics.FutureBuffered, Is.EqualTo(1));
        Assert.That(h.Engine.HighestSeenHeight, Is.EqualTo(2UL));
        Assert.That(h.Sent(MessageType.Prepare), Is.Empty);

        h.Engine.Handle(new Events.NewHeight(2));
        Assert.That(h.Sent(MessageType.Prepare).Single().Payload.Digest, Is.EqualTo(block.Hash));
    }

    [Test]
    public void Two_conflicting_prepares_from_one_validator_become_evidence_and_a_repeat_does_not()
    {
        var h = RoundFlowTests.NotProposer(1, 0);
        h.Start();
        var byzantine = h.Others()[0];
        h.Receive(h.Make.Prepare(byzantine, 1, 0, FakeKeyRing.IdOf("a")));
        h.Receive(h.Make.Prepare(byzantine, 1, 0, FakeKeyRing.IdOf("a")));
        Assert.That(h.Engine.Equivocations, Is.Empty);

        h.Receive(h.Make.Prepare(byzantine, 1, 0, FakeKeyRing.IdOf("b")));
        var evidence = h.Engine.Equivocations.Single();
        Assert.That((evidence.Validator, evidence.Type), Is.EqualTo((h.Keys.Validators[byzantine], MessageType.Prepare)));
        Assert.That(evidence.First.Payload.Digest, Is.EqualTo(FakeKeyRing.IdOf("a")));
        Assert.That(evidence.Second.Payload.Digest, Is.EqualTo(FakeKeyRing.IdOf("b")));
        Assert.That(h.Engine.Metrics.Equivocations, Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.ConflictingMessage), Is.EqualTo(1));
        Assert.That(h.Dropped(ErrorCode.DuplicateMessage), Is.EqualTo(1));
    }
}
