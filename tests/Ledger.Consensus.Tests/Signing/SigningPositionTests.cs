using Ledger.Consensus.Messages;
using Ledger.Consensus.Signing;
using Ledger.Core;

namespace Ledger.Consensus.Tests.Signing;

/// <summary>The watermark rule on its own: only up, except the identical message again.</summary>
public class SigningPositionTests
{
    private static readonly Hash32 A = Hash32.Parse(new string('a', 64));
    private static readonly Hash32 B = Hash32.Parse(new string('b', 64));

    [Test]
    public void Anything_may_be_signed_by_a_key_that_never_signed()
    {
        Assert.That(SigningPosition.MayFollow(null, new SigningPosition(1, 0, MessageType.Prepare, A)).IsValid, Is.True);
    }

    [Test]
    public void Within_a_round_the_steps_go_round_change_proposal_prepare_commit()
    {
        var steps = new[] { MessageType.Commit, MessageType.RoundChange, MessageType.Prepare, MessageType.Proposal }
            .Select(t => new SigningPosition(5, 2, t, A)).Order().Select(p => p.Type);
        Assert.That(steps, Is.EqualTo(new[] { MessageType.RoundChange, MessageType.Proposal, MessageType.Prepare, MessageType.Commit }));
    }

    [Test]
    public void A_later_slot_may_follow_whatever_it_says()
    {
        var highest = new SigningPosition(5, 2, MessageType.Commit, A);
        Assert.That(SigningPosition.MayFollow(highest, new SigningPosition(5, 3, MessageType.RoundChange, Hash32.Zero)).IsValid, Is.True, "next round");
        Assert.That(SigningPosition.MayFollow(highest, new SigningPosition(6, 0, MessageType.Proposal, B)).IsValid, Is.True, "next height");
        Assert.That(SigningPosition.MayFollow(new SigningPosition(5, 2, MessageType.Prepare, A), new SigningPosition(5, 2, MessageType.Commit, A)).IsValid, Is.True, "next step");
    }

    [Test]
    public void The_same_slot_with_the_same_contents_may_be_signed_again()
    {
        var highest = new SigningPosition(5, 2, MessageType.Prepare, A);
        Assert.That(SigningPosition.MayFollow(highest, highest with { }).IsValid, Is.True);
        var roundChange = new SigningPosition(5, 3, MessageType.RoundChange, A, PreparedRound: 2);
        Assert.That(SigningPosition.MayFollow(roundChange, roundChange with { }).IsValid, Is.True);
    }

    [Test]
    public void The_same_slot_saying_something_else_is_refused_as_a_conflict()
    {
        var highest = new SigningPosition(5, 2, MessageType.Prepare, A);
        var verdict = SigningPosition.MayFollow(highest, highest with { Digest = B });
        Assert.That(verdict.Code, Is.EqualTo(ErrorCode.ConflictingSignatureRefused));
        var roundChange = new SigningPosition(5, 3, MessageType.RoundChange, A, PreparedRound: 2);
        Assert.That(SigningPosition.MayFollow(roundChange, roundChange with { PreparedRound = 1 }).Code, Is.EqualTo(ErrorCode.ConflictingSignatureRefused), "another prepared claim");
    }

    [Test]
    public void A_lower_slot_is_refused_even_with_the_same_digest()
    {
        var highest = new SigningPosition(5, 2, MessageType.Prepare, A);
        Assert.Multiple(() =>
        {
            Assert.That(SigningPosition.MayFollow(highest, new SigningPosition(5, 2, MessageType.Proposal, A)).Code, Is.EqualTo(ErrorCode.BelowSigningWatermark), "earlier step");
            Assert.That(SigningPosition.MayFollow(highest, new SigningPosition(5, 1, MessageType.Commit, A)).Code, Is.EqualTo(ErrorCode.BelowSigningWatermark), "earlier round");
            Assert.That(SigningPosition.MayFollow(highest, new SigningPosition(4, 9, MessageType.Commit, B)).Code, Is.EqualTo(ErrorCode.BelowSigningWatermark), "earlier height");
        });
    }

    [Test]
    public void A_round_change_names_its_prepared_block_and_round()
    {
        var payload = new ConsensusPayload { Type = MessageType.RoundChange, ChainId = "c", Height = 3, Round = 2, PreparedRound = 1, PreparedDigest = A };
        Assert.That(SigningPosition.Of(payload), Is.EqualTo(new SigningPosition(3, 2, MessageType.RoundChange, A, 1)));
        var none = payload with { PreparedRound = 0, PreparedDigest = null };
        Assert.That(SigningPosition.Of(none).Digest, Is.EqualTo(Hash32.Zero));
    }
}
