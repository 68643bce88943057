using Google.Protobuf;
using Ledger.Consensus.Messages;
using Ledger.Consensus.Wal;
using Ledger.Core;
using Ledger.Core.Blocks;
using Schema = Ledger.Proto.V1;

namespace Ledger.Network.Tests;

/// <summary>
/// The consensus codecs of Ledger.Consensus (and the seal message of Ledger.Core) against Google.Protobuf's code
/// generated from proto/ledger/v1/consensus.proto and block.proto: byte for byte, both ways, for every message type
/// and shape the decoder accepts.
/// </summary>
public class ConsensusSchemaAgreementTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(0, 60);

    [TestCaseSource(nameof(Seeds))]
    public void Every_consensus_payload_shape_agrees_with_the_schema(int seed)
    {
        var g = new Generator(seed);
        foreach (var payload in new[] { g.Proposal(), g.Prepare(), g.Commit(), g.RoundChange(prepared: false), g.RoundChange(prepared: true) })
        {
            var schema = new Schema.QbftPayload
            {
                Type = (Schema.QbftMessageType)payload.Type,
                ChainId = payload.ChainId,
                Height = payload.Height,
                Round = payload.Round,
                Digest = Bytes(payload.Digest),
                CommitSeal = payload.CommitSeal is null ? ByteString.Empty : ByteString.CopyFrom(payload.CommitSeal),
                PreparedRound = payload.PreparedRound,
                PreparedDigest = Bytes(payload.PreparedDigest),
            };
            var core = payload.Encode();
            Assert.That(schema.ToByteArray(), Is.EqualTo(core), $"{payload.Type}: Google.Protobuf writes what Core writes");
            Assert.That(ConsensusPayload.Decode(schema.ToByteArray()).Encode(), Is.EqualTo(core), $"{payload.Type}: Core decodes Google.Protobuf's bytes");
            Assert.That(Schema.QbftPayload.Parser.ParseFrom(core).ToByteArray(), Is.EqualTo(core));
        }
    }

    [TestCaseSource(nameof(Seeds))]
    public void Signed_messages_certificates_and_wal_records_agree_with_the_schema(int seed)
    {
        var g = new Generator(seed);
        var prepares = Enumerable.Range(0, g.Random.Next(1, 5)).Select(_ => g.Signed(g.Prepare())).ToArray();
        var roundChanges = Enumerable.Range(0, g.Random.Next(1, 5)).Select(_ => g.Signed(g.RoundChange(prepared: g.Random.Next(2) == 0))).ToArray();
        var block = g.Bytes(g.Random.Next(1, 400));
        var messages = new[]
        {
            new SignedMessage(g.Signed(g.Proposal(round: 0)), block),
            new SignedMessage(g.Signed(g.Proposal(round: 3)), block, roundChanges, prepares),
            new SignedMessage(g.Signed(g.Prepare())),
            new SignedMessage(g.Signed(g.Commit())),
            new SignedMessage(g.Signed(g.RoundChange(prepared: false))),
            new SignedMessage(g.Signed(g.RoundChange(prepared: true)), block, prepares: prepares),
        };
        foreach (var message in messages)
        {
            var schema = new Schema.QbftSignedMessage
            {
                Payload = ByteString.CopyFrom(message.Signed.PayloadBytes),
                Signer = Bytes(message.Signer),
                Signature = ByteString.CopyFrom(message.Signed.Signature),
                Block = message.Block is null ? ByteString.Empty : ByteString.CopyFrom(message.Block),
            };
            schema.RoundChanges.AddRange(message.RoundChanges.Select(Signed));
            schema.Prepares.AddRange(message.Prepares.Select(Signed));
            Assert.That(schema.ToByteArray(), Is.EqualTo(message.Bytes), $"{message.Type}: Google.Protobuf writes what Consensus writes");
            Assert.That(SignedMessage.Decode(schema.ToByteArray()).Bytes, Is.EqualTo(message.Bytes));
            Assert.That(Schema.QbftSignedMessage.Parser.ParseFrom(message.Bytes).ToByteArray(), Is.EqualTo(message.Bytes));

            var own = WalRecord.Own(message);
            var schemaRecord = new Schema.QbftWalRecord { Kind = Schema.QbftWalRecordKind.OwnMessage, Height = message.Height, Message = schema.ToByteString() };
            Assert.That(schemaRecord.ToByteArray(), Is.EqualTo(own.Encode()));
            Assert.That(WalRecord.Decode(schemaRecord.ToByteArray()).Encode(), Is.EqualTo(own.Encode()));
        }

        var certificate = new PreparedCertificate((uint)g.Random.Next(0, 9), new ProposedBlock(g.Hash(), block), prepares);
        var schemaCertificate = new Schema.QbftPreparedCertificate
        {
            Round = certificate.Round, BlockHash = Bytes(certificate.Block.Hash), Block = ByteString.CopyFrom(block),
        };
        schemaCertificate.Prepares.AddRange(prepares.Select(Signed));
        Assert.That(schemaCertificate.ToByteArray(), Is.EqualTo(certificate.Encode()));
        Assert.That(PreparedCertificate.Decode(schemaCertificate.ToByteArray()).Encode(), Is.EqualTo(certificate.Encode()));

        var height = (ulong)g.Random.NextInt64(1, long.MaxValue);
        var prepared = WalRecord.PreparedAt(height, certificate);
        Assert.That(new Schema.QbftWalRecord { Kind = Schema.QbftWalRecordKind.Prepared, Height = height, Prepared = schemaCertificate.ToByteString() }.ToByteArray(), Is.EqualTo(prepared.Encode()));
        var completed = WalRecord.Completed(height);
        Assert.That(new Schema.QbftWalRecord { Kind = Schema.QbftWalRecordKind.HeightCompleted, Height = height }.ToByteArray(), Is.EqualTo(completed.Encode()));
        Assert.That(WalRecord.Decode(completed.Encode()), Is.EqualTo(completed));
    }

    [TestCaseSource(nameof(Seeds))]
    public void The_seal_message_is_the_prefix_and_a_seal_payload(int seed)
    {
        var g = new Generator(seed);
        var chainId = g.Text();
        var height = (ulong)g.Random.NextInt64(0, long.MaxValue);
        var round = (uint)g.Random.Next(0, 40);
        var hash = g.Hash();
        var schema = new Schema.SealPayload { ChainId = chainId, Height = height, Round = round, BlockHash = Bytes(hash) };
        var expected = "ledger/commit-seal/v1\n"u8.ToArray().Concat(schema.ToByteArray()).ToArray();
        Assert.That(CommitSeal.SigningMessage(chainId, height, round, hash), Is.EqualTo(expected));
    }

    [Test]
    public void Message_types_and_wal_kinds_have_the_values_of_consensus()
    {
        Assert.That(Enum.GetValues<MessageType>().Select(v => (int)v), Is.EqualTo(
            Schema.ConsensusReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("QbftMessageType").Values.Select(v => v.Number).Where(n => n != 0)));
        Assert.That(Enum.GetValues<WalRecordKind>().Select(v => (int)v), Is.EqualTo(
            Schema.ConsensusReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("QbftWalRecordKind").Values.Select(v => v.Number).Where(n => n != 0)));
        Assert.That(MessageSigning.Prefix.ToArray(), Is.EqualTo("ledger/qbft-message/v1\n"u8.ToArray()));
    }

    private static ByteString Bytes(Hash32? hash) => hash is { } h ? ByteString.CopyFrom(h.ToArray()) : ByteString.Empty;

    private static Schema.QbftSignedPayload Signed(SignedPayload p) => new()
    {
        Payload = ByteString.CopyFrom(p.PayloadBytes), Signer = Bytes(p.Signer), Signature = ByteString.CopyFrom(p.Signature),
    };

    /// <summary>Random payloads of every shape the decoder accepts; signatures are random bytes (only the codec is under test).</summary>
    private sealed class Generator(int seed)
    {
        public Random Random { get; } = new(seed);

        public byte[] Bytes(int length)
        {
            var bytes = new byte[length];
            Random.NextBytes(bytes);
            return bytes;
        }

        public Hash32 Hash() => new(Bytes(32));

        public string Text() => Random.Next(3) == 0 ? "广东劳动合同链" : $"chain-{Random.Next(1000)}";

        private ulong Height() => Random.Next(3) switch { 0 => 1, 1 => (ulong)Random.Next(2, 1000), _ => (ulong)Random.NextInt64(1, long.MaxValue) };

        private uint Round() => Random.Next(3) == 0 ? 0u : (uint)Random.Next(1, 200);

        public ConsensusPayload Proposal(uint? round = null) => new() { Type = MessageType.Proposal, ChainId = Text(), Height = Height(), Round = round ?? Round(), Digest = Hash() };

        public ConsensusPayload Prepare() => new() { Type = MessageType.Prepare, ChainId = Text(), Height = Height(), Round = Round(), Digest = Hash() };

        public ConsensusPayload Commit() => new() { Type = MessageType.Commit, ChainId = Text(), Height = Height(), Round = Round(), Digest = Hash(), CommitSeal = Bytes(Random.Next(64, 73)) };

        public ConsensusPayload RoundChange(bool prepared)
        {
            var round = (uint)Random.Next(1, 200);
            return new ConsensusPayload
            {
                Type = MessageType.RoundChange, ChainId = Text(), Height = Height(), Round = round,
                PreparedRound = prepared ? (uint)Random.Next(0, (int)round) : 0,
                PreparedDigest = prepared ? Hash() : null,
            };
        }

        public SignedPayload Signed(ConsensusPayload payload) => new(payload, payload.Encode(), Hash(), Bytes(Random.Next(64, 73)));
    }
}
