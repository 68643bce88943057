using Ledger.Core.Blocks;
using Ledger.Core.Transactions;
using Ledger.Core.Wire;
using Ledger.TestKit;

namespace Ledger.Core.Tests.Wire;

/// <summary>Malformed, truncated and oversize bytes give a typed <see cref="LedgerException"/>, never anything else.</summary>
public class MalformedInputTests
{
    private static readonly (string Name, Action<byte[]> Decode)[] Decoders =
    [
        ("TxEnvelope", b => TxEnvelope.Decode(b)),
        ("TxBody", b => TxBody.Decode(b)),
        ("Endorsement", b => Endorsement.Decode(b)),
        ("ContractStatement", b => ContractStatement.Decode(b)),
        ("BlockHeader", b => BlockHeader.Decode(b)),
        ("Receipt", b => Receipt.Decode(b)),
        ("CommitCertificate", b => CommitCertificate.Decode(b)),
        ("Block", b => Block.Decode(b)),
    ];

    private static ErrorCode? Outcome(Action<byte[]> decode, byte[] bytes)
    {
        try
        {
            decode(bytes);
            return null;
        }
        catch (LedgerException e)
        {
            return e.Code;
        }
        // Any other exception type escapes and fails the test.
    }

    [Test]
    public void Random_bytes_never_escape_as_anything_but_a_typed_error()
    {
        var random = new RandomFormats(42);
        var rejected = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = random.Bytes(random.Random.Next(0, 400));
            foreach (var (_, decode) in Decoders)
                if (Outcome(decode, bytes) is { } code && code != ErrorCode.Ok) rejected++;
        }
        Assert.That(rejected, Is.GreaterThan(100_000), "random bytes are almost always rejected");
    }

    [Test]
    public void A_truncation_is_a_typed_rejection_or_a_shorter_canonical_message()
    {
        // A cut exactly between two fields of a message whose later fields are optional is itself a valid,
        // different message; every other cut must be a typed rejection, and nothing else may escape.
        var random = new RandomFormats(7);
        var rejected = 0;
        var total = 0;
        for (var i = 0; i < 30; i++)
        {
            var samples = new (Func<byte[], byte[]> RoundTrip, byte[] Bytes)[]
            {
                (b => TxEnvelope.Decode(b).Encode(), random.Envelope().Encode()),
                (b => BlockHeader.Decode(b).Encode(), random.Header().Encode()),
                (b => Block.Decode(b).Encode(), random.Block().Encode()),
                (b => CommitCertificate.Decode(b).Encode(), random.Commit().Encode()),
            };
            foreach (var (roundTrip, bytes) in samples)
            {
                Assert.That(roundTrip(bytes), Is.EqualTo(bytes));
                for (var cut = 0; cut < bytes.Length; cut++)
                {
                    total++;
                    var truncated = bytes[..cut];
                    try
                    {
                        Assert.That(roundTrip(truncated), Is.EqualTo(truncated));
                    }
                    catch (LedgerException)
                    {
                        rejected++;
                    }
                }
            }
        }
        Assert.That(rejected, Is.GreaterThan(total * 9 / 10));
    }

    [Test]
    public void A_truncated_tx_envelope_is_always_rejected()
    {
        // A TxEnvelope's body is a required, length-prefixed field, and TxBody requires its payload last:
        // so no strict prefix of an envelope with at most its body is a valid envelope.
        var random = new RandomFormats(8);
        for (var i = 0; i < 50; i++)
        {
            var bytes = TxEnvelope.Create(random.TxBody(), []).Encode();
            for (var cut = 0; cut < bytes.Length; cut++)
                Assert.That(Outcome(b => TxEnvelope.Decode(b), bytes[..cut]), Is.Not.Null, $"cut at {cut} of {bytes.Length}");
        }
    }

    [Test]
    public void Single_byte_flips_are_rejected_or_decode_to_something_else()
    {
        var random = new RandomFormats(9);
        var envelope = random.Envelope().Encode();
        for (var i = 0; i < envelope.Length; i++)
        {
            for (var bit = 0; bit < 8; bit++)
            {
                var flipped = (byte[])envelope.Clone();
                flipped[i] ^= (byte)(1 << bit);
                try
                {
                    var decoded = TxEnvelope.Decode(flipped);
                    Assert.That(decoded.Encode(), Is.EqualTo(flipped), "whatever decodes re-encodes to the same bytes (canonical)");
                }
                catch (LedgerException)
                {
                }
            }
        }
    }

    [Test]
    public void Oversize_inputs_are_rejected_before_decoding()
    {
        var big = new byte[EncodingLimits.MaxTxBytes + 1];
        Assert.That(Outcome(b => TxEnvelope.Decode(b), big), Is.EqualTo(ErrorCode.Oversize));
        Assert.That(Outcome(b => TxBody.Decode(b), big), Is.EqualTo(ErrorCode.Oversize));
        Assert.That(Outcome(b => BlockHeader.Decode(b), new byte[EncodingLimits.MaxHeaderBytes + 1]), Is.EqualTo(ErrorCode.Oversize));
        Assert.That(Outcome(b => Block.Decode(b), new byte[EncodingLimits.MaxBlockBytes + 1]), Is.EqualTo(ErrorCode.Oversize));
    }

    [Test]
    public void Too_many_endorsements_are_rejected()
    {
        var random = new RandomFormats(10);
        var envelope = TxEnvelope.Create(random.TxBody(), Enumerable.Range(0, EncodingLimits.MaxEndorsements + 1).Select(_ => random.Endorsement()).ToArray());
        Assert.That(Outcome(b => TxEnvelope.Decode(b), envelope.Encode()), Is.EqualTo(ErrorCode.TooManyEndorsements));
    }

    [TestCase(new byte[] { 0x08, 0x80, 0x00 }, ErrorCode.NonCanonicalEncoding, TestName = "Rejects_a_padded_varint")]
    [TestCase(new byte[] { 0x08, 0x00 }, ErrorCode.NonCanonicalEncoding, TestName = "Rejects_an_explicit_default_value")]
    [TestCase(new byte[] { 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, ErrorCode.MalformedVarint, TestName = "Rejects_a_varint_over_64_bits")]
    [TestCase(new byte[] { 0x08, 0xFF }, ErrorCode.Truncated, TestName = "Rejects_a_cut_varint")]
    [TestCase(new byte[] { 0x12, 0x05, 0x01 }, ErrorCode.Truncated, TestName = "Rejects_a_length_past_the_end")]
    [TestCase(new byte[] { 0x0D, 0x00, 0x00, 0x00, 0x00 }, ErrorCode.WrongWireType, TestName = "Rejects_a_fixed32_wire_type")]
    [TestCase(new byte[] { 0x40, 0x01, 0x08, 0x01 }, ErrorCode.FieldOutOfOrder, TestName = "Rejects_fields_out_of_order")]
    [TestCase(new byte[] { 0x08, 0x01, 0x08, 0x02 }, ErrorCode.FieldOutOfOrder, TestName = "Rejects_a_repeated_singular_field")]
    [TestCase(new byte[] { 0xF8, 0x07, 0x01 }, ErrorCode.UnknownField, TestName = "Rejects_an_unknown_field")]
    [TestCase(new byte[] { 0x00 }, ErrorCode.UnknownField, TestName = "Rejects_field_zero")]
    public void Header_decoding_rejects_non_canonical_bytes_with_their_code(byte[] bytes, ErrorCode expected) =>
        Assert.That(Outcome(b => BlockHeader.Decode(b), bytes), Is.EqualTo(expected));

    [Test]
    public void Invalid_utf8_in_a_string_is_rejected()
    {
        byte[] bytes = [0x0A, 0x02, 0xC3, 0x28];
        Assert.That(Outcome(b => TxBody.Decode(b), bytes), Is.EqualTo(ErrorCode.InvalidFieldValue));
    }

    [Test]
    public void Missing_required_fields_are_named()
    {
        var ex = Assert.Throws<LedgerException>(() => TxEnvelope.Decode([]));
        Assert.That(ex!.Code, Is.EqualTo(ErrorCode.MissingField));
        Assert.That(ex.Message, Does.Contain("body"));
    }
}
