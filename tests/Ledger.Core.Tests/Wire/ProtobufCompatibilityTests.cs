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
        };
        // The schema names payload fields 16..22; others are left to later schema versions.
        var payload = ByteString.CopyFrom(body.Payload.Span);
        switch (body.PayloadField)
        {
            case 16: pbBody.RegisterContract = payload; break;
            case 17: pbBody.SignContract = payload; break;
            case 18: pbBody.ChangeContract = payload; break;
            case 19: pbBody.RenewContract = payload; break;
            case 20: pbBody.DissolveContract = payload; break;
            case 21: pbBody.TerminateContract = payload; break;
            case 22: pbBody.UploadPaperContract = payload; break;
            default: body = new TxBody { ChainId = body.ChainId, Nonce = body.Nonce, ExpiresAt = body.ExpiresAt, Submitter = body.Submitter, PayloadField = 16, Payload = body.Payload }; pbBody.RegisterContract = payload; break;
        }
        Assert.That(body.Encode(), Is.EqualTo(pbBody.ToByteArray()));

        var statement = random.Statement();
        var pbStatement = new Schema.ContractStatement
        {
            ChainId = statement.ChainId,
            ContractId = statement.ContractId,
            Version = statement.Version,
            DocumentHash = ByteString.CopyFrom(statement.DocumentHash.ToArray()),
            Action = (Schema.ContractAction)statement.Action,
        };
        Assert.That(statement.Encode(), Is.EqualTo(pbStatement.ToByteArray()));

        var anchor = new Ledger.Core.Audit.AuditAnchorPayload { Sequence = (ulong)seed + 1, HeadHash = random.Statement().DocumentHash };
        var pbAnchor = new Schema.AuditAnchor { Sequence = anchor.Sequence, HeadHash = ByteString.CopyFrom(anchor.HeadHash.ToArray()) };
        Assert.That(anchor.Encode(), Is.EqualTo(pbAnchor.ToByteArray()));
        var anchorBody = anchor.CreateBody(body.ChainId, body.Nonce, body.ExpiresAt, body.Submitter);
        var pbAnchorBody = new Schema.TxBody { ChainId = body.ChainId, Nonce = body.Nonce, ExpiresAt = body.ExpiresAt, Submitter = pbBody.Submitter, AuditAnchor = pbAnchor.ToByteString() };
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
}
