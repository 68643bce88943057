using Ledger.Core.Blocks;
using Ledger.Core.Transactions;
using Ledger.TestKit;

namespace Ledger.Core.Tests.Wire;

public class RoundTripTests
{
    private static IEnumerable<int> Seeds => Enumerable.Range(0, 200);

    [TestCaseSource(nameof(Seeds))]
    public void Every_format_decodes_to_what_was_encoded_and_re_encodes_to_the_same_bytes(int seed)
    {
        var random = new RandomFormats(seed);

        var envelope = random.Envelope();
        var envelopeBytes = envelope.Encode();
        var decodedEnvelope = TxEnvelope.Decode(envelopeBytes);
        Assert.That(decodedEnvelope.Encode(), Is.EqualTo(envelopeBytes));
        Assert.That(decodedEnvelope.BodyBytes.ToArray(), Is.EqualTo(envelope.BodyBytes.ToArray()));
        Assert.That(decodedEnvelope.Body.Nonce, Is.EqualTo(envelope.Body.Nonce));
        Assert.That(decodedEnvelope.Body.PayloadField, Is.EqualTo(envelope.Body.PayloadField));
        Assert.That(decodedEnvelope.Body.Payload.ToArray(), Is.EqualTo(envelope.Body.Payload.ToArray()));
        Assert.That(decodedEnvelope.Endorsements.Select(e => e.Signature.ToArray()), Is.EqualTo(envelope.Endorsements.Select(e => e.Signature.ToArray())));
        Assert.That(decodedEnvelope.Endorsements.Select(e => e.Scope), Is.EqualTo(envelope.Endorsements.Select(e => e.Scope)));

        var statement = random.Statement();
        Assert.That(ContractStatement.Decode(statement.Encode()), Is.EqualTo(statement));

        var header = random.Header();
        Assert.That(BlockHeader.Decode(header.Encode()), Is.EqualTo(header));

        var receipt = random.Receipt();
        Assert.That(Receipt.Decode(receipt.Encode()), Is.EqualTo(receipt));

        var commit = random.Commit();
        Assert.That(CommitCertificate.Decode(commit.Encode()), Is.EqualTo(commit));

        var block = random.Block();
        var blockBytes = block.Encode();
        var decodedBlock = Block.Decode(blockBytes);
        Assert.That(decodedBlock.Encode(), Is.EqualTo(blockBytes));
        Assert.That(decodedBlock.Header, Is.EqualTo(block.Header));
        Assert.That(decodedBlock.Commit, Is.EqualTo(block.Commit));
    }

    [Test]
    public void A_statement_signing_message_is_prefixed_so_it_cannot_pass_for_a_tx_body()
    {
        var statement = new RandomFormats(1).Statement();
        var message = statement.SigningMessage();
        Assert.That(message.AsSpan().StartsWith(ContractStatement.SigningPrefix), Is.True);
        var ex = Assert.Throws<LedgerException>(() => TxBody.Decode(message));
        Assert.That(ex!.Code, Is.Not.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Seal_message_binds_chain_height_round_and_hash()
    {
        var hash = new RandomFormats(2).Hash();
        var baseline = CommitSeal.SigningMessage("gd", 10, 0, hash);
        Assert.That(CommitSeal.SigningMessage("gd2", 10, 0, hash), Is.Not.EqualTo(baseline));
        Assert.That(CommitSeal.SigningMessage("gd", 11, 0, hash), Is.Not.EqualTo(baseline));
        Assert.That(CommitSeal.SigningMessage("gd", 10, 1, hash), Is.Not.EqualTo(baseline));
        Assert.That(CommitSeal.SigningMessage("gd", 10, 0, new RandomFormats(3).Hash()), Is.Not.EqualTo(baseline));
    }
}
