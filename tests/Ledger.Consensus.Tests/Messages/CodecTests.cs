using Ledger.Consensus.Messages;
using Ledger.Consensus.Tests.Fakes;
using Ledger.Consensus.Tests.StateMachine;
using Ledger.Consensus.Wal;
using Ledger.Core;
using Ledger.Core.Wire;

namespace Ledger.Consensus.Tests.Messages;

/// <summary>The signed encodings: one value has one encoding, and anything else is refused with a typed code.</summary>
public class CodecTests
{
    private static readonly MessageMaker Make = new(new FakeKeyRing(4), "chain");
    private static readonly ProposedBlock Block = new FakeBlock(3, 1, "a", Hash32.Zero, ["t1", "t2"]).ToProposed();

    private static IEnumerable<SignedMessage> Messages()
    {
        var prepared = Make.Prepared(3, 0, Block, 0, 1, 2);
        yield return Make.Proposal(0, 3, 0, Block);
        yield return Make.Proposal(1, 3, 1, Block, [Make.RoundChange(0, 3, 1, prepared).Signed, Make.RoundChange(2, 3, 1).Signed, Make.RoundChange(3, 3, 1).Signed], prepared.Prepares);
        yield return Make.Prepare(2, 3, 0, Block.Hash);
        yield return Make.Commit(3, 3, 0, Block.Hash);
        yield return Make.RoundChange(0, 3, 1);
        yield return Make.RoundChange(1, 3, 1, prepared);
    }

    [TestCaseSource(nameof(Messages))]
    public void Every_message_round_trips_to_the_same_bytes(SignedMessage message)
    {
        var decoded = SignedMessage.Decode(message.Bytes);
        Assert.That(decoded.Payload, Is.EqualTo(message.Payload).Using<ConsensusPayload>((a, b) => a.Encode().AsSpan().SequenceEqual(b.Encode())));
        Assert.That(decoded.Bytes, Is.EqualTo(message.Bytes));
        Assert.That(decoded.RoundChanges, Has.Count.EqualTo(message.RoundChanges.Count));
        Assert.That(decoded.Prepares, Has.Count.EqualTo(message.Prepares.Count));
        Assert.That(decoded.Block, Is.EqualTo(message.Block));
    }

    /// <summary>
    /// A cut inside a field is refused with a typed error; a cut between the repeated justifications of a proposal or a
    /// prepared round change leaves a shorter well-formed message, which must then be canonical (its validator refuses it).
    /// </summary>
    [TestCaseSource(nameof(Messages))]
    public void Every_truncation_is_refused_or_is_itself_canonical(SignedMessage message)
    {
        var refused = 0;
        for (var cut = 0; cut < message.Bytes.Length; cut++)
        {
            var bytes = message.Bytes[..cut];
            try
            {
                Assert.That(SignedMessage.Decode(bytes).Bytes, Is.EqualTo(bytes), $"cut at {cut}");
                Assert.That(message.RoundChanges.Count + message.Prepares.Count, Is.GreaterThan(0), $"only justifications can be cut off cleanly (cut at {cut})");
            }
            catch (LedgerException)
            {
                refused++;
            }
        }
        Assert.That(refused, Is.GreaterThanOrEqualTo(message.Bytes.Length - message.RoundChanges.Count - message.Prepares.Count));
    }

    [Test]
    public void Payload_fields_that_do_not_belong_to_the_type_are_malformed()
    {
        var digest = FakeKeyRing.IdOf("x");
        Assert.That(Code(new ConsensusPayload { Type = MessageType.RoundChange, ChainId = "c", Height = 1, Round = 1, Digest = digest }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.Prepare, ChainId = "c", Height = 1, Round = 0 }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.Prepare, ChainId = "c", Height = 1, Round = 0, Digest = digest, CommitSeal = [1] }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.Commit, ChainId = "c", Height = 1, Round = 0, Digest = digest }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.RoundChange, ChainId = "c", Height = 1, Round = 0 }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.RoundChange, ChainId = "c", Height = 1, Round = 2, PreparedRound = 2, PreparedDigest = digest }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.RoundChange, ChainId = "c", Height = 1, Round = 2, PreparedRound = 1 }), Is.EqualTo(ErrorCode.InvalidFieldValue));
        Assert.That(Code(new ConsensusPayload { Type = MessageType.Prepare, ChainId = "c", Height = 0, Round = 0, Digest = digest }), Is.EqualTo(ErrorCode.MissingField));
        Assert.That(Code(new ConsensusPayload { Type = (MessageType)9, ChainId = "c", Height = 1, Round = 0, Digest = digest }), Is.EqualTo(ErrorCode.InvalidFieldValue));
    }

    [Test]
    public void Non_canonical_and_reordered_encodings_are_refused()
    {
        var prepare = Make.Prepare(0, 1, 0, FakeKeyRing.IdOf("x"));
        var w = new ProtoWriter();
        w.WriteHash(2, prepare.Signer); // signer before payload
        w.WriteBytes(1, prepare.Signed.PayloadBytes);
        w.WriteBytes(3, prepare.Signed.Signature);
        Assert.That(Decode(w.ToArray()), Is.EqualTo(ErrorCode.FieldOutOfOrder));
        Assert.That(Decode([.. prepare.Bytes, 0x08, 0x01]), Is.EqualTo(ErrorCode.FieldOutOfOrder));
        Assert.That(Decode([.. prepare.Bytes, 0xF8, 0x03, 0x01]), Is.EqualTo(ErrorCode.UnknownField));
    }

    [Test]
    public void Shapes_that_do_not_fit_the_type_are_refused()
    {
        var prepare = Make.Prepare(0, 1, 0, Block.Hash);
        Assert.That(Decode(new SignedMessage(prepare.Signed, Block.Bytes).Bytes), Is.EqualTo(ErrorCode.InvalidFieldValue), "a prepare with a block");
        var proposal = Make.Proposal(0, 1, 1, Block, [Make.RoundChange(1, 1, 1).Signed]);
        Assert.That(Decode(new SignedMessage(proposal.Signed, Block.Bytes).Bytes), Is.EqualTo(ErrorCode.InvalidFieldValue), "a round-1 proposal without round changes");
        Assert.That(Decode(new SignedMessage(Make.RoundChange(0, 1, 1).Signed, Block.Bytes).Bytes), Is.EqualTo(ErrorCode.InvalidFieldValue), "an unprepared round change with a block");
    }

    [Test]
    public void Wal_records_round_trip()
    {
        var message = Make.Commit(1, 4, 2, Block.Hash);
        var prepared = Make.Prepared(4, 2, Block, 0, 1, 2);
        foreach (var record in new[] { WalRecord.Own(message), WalRecord.PreparedAt(4, prepared), WalRecord.Completed(4) })
        {
            var decoded = WalRecord.Decode(record.Encode());
            Assert.That((decoded.Kind, decoded.Height), Is.EqualTo((record.Kind, record.Height)));
            Assert.That(decoded.Encode(), Is.EqualTo(record.Encode()));
        }
        Assert.That(() => WalRecord.Decode(new WalRecord { Kind = WalRecordKind.OwnMessage, Height = 5, Message = message }.Encode()), Throws.InstanceOf<LedgerException>(), "height disagrees with the message");
    }

    private static ErrorCode Code(ConsensusPayload payload)
    {
        var w = new ProtoWriter();
        w.WriteUInt32(1, (uint)payload.Type);
        w.WriteString(2, payload.ChainId);
        w.WriteUInt64(3, payload.Height);
        w.WriteUInt32(4, payload.Round);
        if (payload.Digest is { } d) w.WriteHash(5, d);
        if (payload.CommitSeal is { } s) w.WriteBytes(6, s);
        w.WriteUInt32(7, payload.PreparedRound);
        if (payload.PreparedDigest is { } p) w.WriteHash(8, p);
        try
        {
            ConsensusPayload.Decode(w.ToArray());
            return ErrorCode.Ok;
        }
        catch (LedgerException e)
        {
            return e.Code;
        }
    }

    private static ErrorCode Decode(byte[] bytes)
    {
        try
        {
            SignedMessage.Decode(bytes);
            return ErrorCode.Ok;
        }
        catch (LedgerException e)
        {
            return e.Code;
        }
    }
}
