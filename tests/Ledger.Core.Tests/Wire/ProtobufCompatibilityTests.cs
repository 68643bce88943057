using Google.Protobuf;
using Ledger.Core.Blocks;
using Ledger.Core.Transactions;
using Ledger.TestKit;
using Schema = Ledger.Proto.V1;

namespace Ledger.Core.Tests.Wire;

/// <summary>The hand-written codec in Core and the schema in proto/ledger/v1 describe the same bytes.</summary>
public class ProtobufCompatibilityTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(0, 100);

    [TestCaseSource(nameof(Seeds))]
    public void Google_protobuf_writes_the_same_bytes_as_core(int seed)
    {
        var random = new RandomFormats(seed);

        var body = random.TxBody();
        var pbBody = new Schema.TxBody
        {
            ChainId = body.ChainId,
            Nonce = body.Nonce,
            ExpiresAt = body.ExpiresAt,
            Submitter = ByteString.CopyFrom(body.Submitter.ToArray()),
            Endorsers = { body.Endorsers.Select(e => new Schema.TxEndorser { Signer = ByteString.CopyFrom(e.Signer.ToArray()), Scope = (Schema.EndorsementScope)e.Scope }) },
        };
        // Random bytes are no payload message of the schema, so the payload is appended as the length-delimited field it
        // is on the wire (PayloadSchemaAgreementTests checks the typed payloads).
        var pbBodyBytes = pbBody.ToByteArray().Concat(LengthDelimited(body.PayloadField, body.Payload.ToArray())).ToArray();
        Assert.That(body.Encode(), Is.EqualTo(pbBodyBytes));

        var statement = random.Statement();
        var pbStatement = new Schema.ContractStatement
        {
            ChainId = statement.ChainId,
            ContractId = statement.ContractId,
            Version = statement.Version,
            DocumentHash = ByteString.CopyFrom(statement.DocumentHash.ToArray()),
            Action = (Schema.ContractAction)statement.Action,
            PayloadHash = ByteString.CopyFrom(statement.PayloadHash.ToArray()),
        };
        Assert.That(statement.Encode(), Is.EqualTo(pbStatement.ToByteArray()));

        var anchor = new Ledger.Core.Audit.AuditAnchorPayload { Sequence = (ulong)seed + 1, HeadHash = random.Statement().DocumentHash };
        var pbAnchor = new Schema.AuditAnchor { Sequence = anchor.Sequence, HeadHash = ByteString.CopyFrom(anchor.HeadHash.ToArray()) };
        Assert.That(anchor.Encode(), Is.EqualTo(pbAnchor.ToByteArray()));
        var anchorBody = anchor.CreateBody(body.ChainId, body.Nonce, body.ExpiresAt, body.Submitter);
        var pbAnchorBody = new Schema.TxBody
        {
            ChainId = body.ChainId, Nonce = body.Nonce, ExpiresAt = body.ExpiresAt, Submitter = pbBody.Submitter,
            Endorsers = { new Schema.TxEndorser { Signer = pbBody.Submitter, Scope = Schema.EndorsementScope.Body } },
            AuditAnchor = pbAnchor,
        };
        Assert.That(anchorBody.Encode(), Is.EqualTo(pbAnchorBody.ToByteArray()));
        Assert.That(Ledger.Core.Audit.AuditAnchorPayload.Decode(pbAnchor.ToByteArray()), Is.EqualTo(anchor));

        var envelope = TxEnvelope.Create(body, Enumerable.Range(0, 3).Select(_ => random.Endorsement()).ToArray());
        var pbEnvelope = Schema.TxEnvelope.Parser.ParseFrom(envelope.Encode());
        Assert.That(pbEnvelope.Body.ToByteArray(), Is.EqualTo(envelope.BodyBytes.ToArray()));
        Assert.That(pbEnvelope.ToByteArray(), Is.EqualTo(envelope.Encode()));
        Assert.That(TxEnvelope.Decode(pbEnvelope.ToByteArray()).Encode(), Is.EqualTo(envelope.Encode()));

        var block = random.Block();
        var pbBlock = Schema.Block.Parser.ParseFrom(block.Encode());
        Assert.That(pbBlock.ToByteArray(), Is.EqualTo(block.Encode()));
        Assert.That(pbBlock.Header.ToByteArray(), Is.EqualTo(block.Header.Encode()));

        var seal = Schema.SealPayload.Parser.ParseFrom(CommitSeal.SigningMessage("gd", 7, 2, block.Header.ComputeHash(Ledger.Crypto.Sm3Hasher.Instance)).AsSpan(CommitSeal.SigningPrefix.Length).ToArray());
        Assert.That(seal.Height, Is.EqualTo(7UL));
        Assert.That(seal.Round, Is.EqualTo(2U));
    }

    private static byte[] LengthDelimited(int field, byte[] value)
    {
        var output = new MemoryStream();
        var stream = new CodedOutputStream(output);
        stream.WriteTag(field, WireFormat.WireType.LengthDelimited);
        stream.WriteBytes(ByteString.CopyFrom(value));
        stream.Flush();
        return output.ToArray();
    }
}
