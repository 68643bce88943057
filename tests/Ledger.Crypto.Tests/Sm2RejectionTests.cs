using Ledger.Core;
using Org.BouncyCastle.Math;

namespace Ledger.Crypto.Tests;

public class Sm2RejectionTests
{
    private static readonly byte[] Message = "pay the worker"u8.ToArray();
    private static readonly BigInteger N = Sm2Domain.Recommended.N;
    private Sm2PrivateKey _key = null!;
    private byte[] _signature = null!;
    private BigInteger _r = null!;
    private BigInteger _s = null!;

    [SetUp]
    public void SetUp()
    {
        _key = Sm2PrivateKey.Generate();
        _signature = _key.Sign(Message);
        Assert.That(Sm2SignatureEncoding.TryDecode(_signature, out _r, out _s, out _), Is.True);
    }

    [TearDown]
    public void TearDown() => _key.Dispose();

    private ValidationResult Verify(byte[] signature) => _key.PublicKey.VerifyDetailed(Message, signature);

    /// <summary>DER of two non-negative integers, minimal, built independently of the code under test.</summary>
    private static byte[] Der(BigInteger r, BigInteger s)
    {
        static byte[] Integer(BigInteger v)
        {
            var bytes = v.ToByteArray();
            return [0x02, (byte)bytes.Length, .. bytes];
        }
        byte[] content = [.. Integer(r), .. Integer(s)];
        return [0x30, (byte)content.Length, .. content];
    }

    [Test]
    public void Accepts_the_untouched_signature()
    {
        Assert.That(Verify(_signature), Is.EqualTo(ValidationResult.Valid));
        Assert.That(Verify(Der(_r, _s)), Is.EqualTo(ValidationResult.Valid));
    }

    [Test]
    public void Rejects_signature_with_r_zero() => Assert.That(Verify(Der(BigInteger.Zero, _s)).Code, Is.EqualTo(ErrorCode.InvalidSignature));

    [Test]
    public void Rejects_signature_with_s_zero() => Assert.That(Verify(Der(_r, BigInteger.Zero)).Code, Is.EqualTo(ErrorCode.InvalidSignature));

    [Test]
    public void Rejects_signature_with_r_equal_to_n() => Assert.That(Verify(Der(N, _s)).Code, Is.EqualTo(ErrorCode.InvalidSignature));

    [Test]
    public void Rejects_signature_with_s_out_of_range()
    {
        Assert.That(Verify(Der(_r, N)).Code, Is.EqualTo(ErrorCode.InvalidSignature));
        Assert.That(Verify(Der(_r, N.Add(BigInteger.One))).Code, Is.EqualTo(ErrorCode.InvalidSignature));
        // s + n is the same residue: a verifier that reduced mod n would accept it.
        Assert.That(Verify(Der(_r, _s.Add(N))).Code, Is.Not.EqualTo(ErrorCode.Ok));
        Assert.That(Verify(Der(_r.Add(N), _s)).Code, Is.Not.EqualTo(ErrorCode.Ok));
    }

    [Test]
    public void Rejects_a_flipped_message_byte()
    {
        for (var i = 0; i < Message.Length; i++)
        {
            var altered = (byte[])Message.Clone();
            altered[i] ^= 0x01;
            Assert.That(_key.PublicKey.VerifyDetailed(altered, _signature).Code, Is.EqualTo(ErrorCode.InvalidSignature), $"byte {i}");
        }
    }

    [Test]
    public void Rejects_every_flipped_signature_byte()
    {
        for (var i = 0; i < _signature.Length; i++)
        {
            var altered = (byte[])_signature.Clone();
            altered[i] ^= 0x01;
            Assert.That(Verify(altered).Code, Is.AnyOf(ErrorCode.InvalidSignature, ErrorCode.InvalidSignatureEncoding), $"byte {i}");
        }
    }

    [Test]
    public void Rejects_a_signature_with_another_key()
    {
        using var other = Sm2PrivateKey.Generate();
        Assert.That(other.PublicKey.VerifyDetailed(Message, _signature).Code, Is.EqualTo(ErrorCode.InvalidSignature));
    }

    private static IEnumerable<TestCaseData> NonCanonicalForms()
    {
        // Each takes the canonical signature's r and s and encodes them in a way DER forbids.
        yield return new TestCaseData((Func<byte[], byte[]>)(der => [.. der, 0x00])).SetName("Rejects_trailing_bytes");
        yield return new TestCaseData((Func<byte[], byte[]>)(der => der[..^1])).SetName("Rejects_truncation");
        yield return new TestCaseData((Func<byte[], byte[]>)(der => [0x30, 0x81, der[1], .. der[2..]])).SetName("Rejects_long_form_sequence_length");
        yield return new TestCaseData((Func<byte[], byte[]>)(der => [0x30, 0x80, .. der[2..], 0x00, 0x00])).SetName("Rejects_indefinite_length_BER");
        yield return new TestCaseData((Func<byte[], byte[]>)(der => [0x31, .. der[1..]])).SetName("Rejects_SET_instead_of_SEQUENCE");
        yield return new TestCaseData((Func<byte[], byte[]>)(der => [])).SetName("Rejects_empty_signature");
        yield return new TestCaseData((Func<byte[], byte[]>)(der => [0x30, 0x00])).SetName("Rejects_empty_sequence");
    }

    [TestCaseSource(nameof(NonCanonicalForms))]
    public void Rejects_non_canonical_encodings(Func<byte[], byte[]> mangle) =>
        Assert.That(Verify(mangle(_signature)).Code, Is.EqualTo(ErrorCode.InvalidSignatureEncoding));

    [Test]
    public void Rejects_integer_with_superfluous_leading_zero()
    {
        var rBytes = _r.ToByteArray();
        var sBytes = _s.ToByteArray();
        byte[] content = [0x02, (byte)(rBytes.Length + 1), 0x00, .. rBytes, 0x02, (byte)sBytes.Length, .. sBytes];
        Assert.That(Verify([0x30, (byte)content.Length, .. content]).Code, Is.EqualTo(ErrorCode.InvalidSignatureEncoding));
    }

    [Test]
    public void Rejects_negative_integer()
    {
        // r with its sign byte removed (when it had one) or its top bit set: read as negative in DER.
        var rBytes = _r.ToByteArray();
        var negative = rBytes[0] == 0 ? rBytes[1..] : [(byte)(rBytes[0] | 0x80), .. rBytes[1..]];
        var sBytes = _s.ToByteArray();
        byte[] content = [0x02, (byte)negative.Length, .. negative, 0x02, (byte)sBytes.Length, .. sBytes];
        Assert.That(Verify([0x30, (byte)content.Length, .. content]).Code, Is.EqualTo(ErrorCode.InvalidSignatureEncoding));
    }

    [Test]
    public void Rejects_integer_with_long_form_length()
    {
        var rBytes = _r.ToByteArray();
        var sBytes = _s.ToByteArray();
        byte[] content = [0x02, 0x81, (byte)rBytes.Length, .. rBytes, 0x02, (byte)sBytes.Length, .. sBytes];
        Assert.That(Verify([0x30, (byte)content.Length, .. content]).Code, Is.EqualTo(ErrorCode.InvalidSignatureEncoding));
    }

    [Test]
    public void Rejects_a_third_integer_in_the_sequence()
    {
        var rBytes = _r.ToByteArray();
        var sBytes = _s.ToByteArray();
        byte[] content = [0x02, (byte)rBytes.Length, .. rBytes, 0x02, (byte)sBytes.Length, .. sBytes, 0x02, 0x01, 0x01];
        Assert.That(Verify([0x30, (byte)content.Length, .. content]).Code, Is.EqualTo(ErrorCode.InvalidSignatureEncoding));
    }

    [Test]
    public void Rejects_off_curve_public_key()
    {
        var bytes = _key.PublicKey.ToBytes();
        bytes[^1] ^= 0x01; // same x, different y: not on the curve
        Assert.That(Sm2PublicKey.TryFromBytes(bytes, out var key, out var error), Is.False);
        Assert.That(key, Is.Null);
        Assert.That(error.Code, Is.EqualTo(ErrorCode.InvalidPublicKey));
        Assert.That(Assert.Throws<LedgerException>(() => Sm2PublicKey.FromBytes(bytes))!.Code, Is.EqualTo(ErrorCode.InvalidPublicKey));
        Assert.That(new Sm2Verifier().VerifyDetailed(bytes, Message, _signature, default).Code, Is.EqualTo(ErrorCode.InvalidPublicKey));
    }

    [Test]
    public void Rejects_infinity_compressed_short_and_out_of_field_public_keys()
    {
        var p = Sm2Domain.Recommended.Curve.Field.Characteristic;
        var good = _key.PublicKey.ToBytes();
        byte[][] bad =
        [
            [0x00],                                   // the SEC1 encoding of infinity
            new byte[65],                             // 04-less zero point
            [0x04, .. new byte[64]],                  // (0, 0), not on the curve
            [0x02, .. good[1..33]],                   // compressed: not accepted
            good[..64],                               // truncated
            [.. good, 0x00],                          // trailing byte
            [0x04, .. Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, p), .. good[33..]], // x = p
        ];
        foreach (var bytes in bad)
        {
            Assert.That(Sm2PublicKey.TryFromBytes(bytes, out _, out var error), Is.False, Hex.Of(bytes));
            Assert.That(error.Code, Is.EqualTo(ErrorCode.InvalidPublicKey));
        }
    }

    [Test]
    public void Rejects_out_of_range_private_scalars()
    {
        var n = Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, N);
        var nMinus1 = Org.BouncyCastle.Utilities.BigIntegers.AsUnsignedByteArray(32, N.Subtract(BigInteger.One));
        foreach (var scalar in new[] { new byte[32], n, nMinus1, new byte[31], new byte[33] })
            Assert.That(Assert.Throws<LedgerException>(() => Sm2PrivateKey.FromScalar(scalar))!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));
    }

    [Test]
    public void Rejects_signer_id_longer_than_8191_bytes()
    {
        Assert.That(_key.PublicKey.VerifyDetailed(Message, _signature, new byte[8192]).Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));
        Assert.That(Assert.Throws<LedgerException>(() => _key.Sign(Message, new byte[8192]))!.Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));
        Assert.That(_key.PublicKey.Verify(Message, _key.Sign(Message, new byte[8191]), new byte[8191]), Is.True);
    }
}
