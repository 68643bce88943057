using Ledger.Core;

namespace Ledger.Crypto.Tests;

public class Sm4Tests
{
    private static readonly byte[] StandardKey = Hex.Bytes("0123456789abcdeffedcba9876543210");

    [Test]
    public void Block_matches_the_standard_example()
    {
        // GB/T 32907-2016 Annex A, example 1: key = plaintext.
        var ciphertext = Sm4.EncryptBlock(StandardKey, StandardKey);
        Assert.That(Hex.Of(ciphertext), Is.EqualTo("681edf34d206965e86b3e94f536e4246"));
        Assert.That(Sm4.DecryptBlock(StandardKey, ciphertext), Is.EqualTo(StandardKey));
    }

    [Test]
    public void Rejects_a_key_of_the_wrong_length()
    {
        var e = Assert.Throws<LedgerException>(() => Sm4.EncryptBlock(new byte[15], new byte[16]));
        Assert.That(e!.Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));
    }

    // RFC 8998 Appendix A.1.
    private static readonly byte[] GcmNonce = Hex.Bytes("00001234567800000000ABCD");
    private static readonly byte[] GcmAad = Hex.Bytes("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
    private static readonly byte[] GcmPlaintext = Hex.Bytes(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
    private const string GcmExpected =
        "17f399f08c67d5ee19d0dc9969c4bb7d5fd46fd3756489069157b282bb200735d82710ca5c22f0ccfa7cbf93d496ac15a56834cbcf98c397b4024a2691233b8d"
        + "83de3541e4c2b58177e065a9bf7b62ec";

    [Test]
    public void Gcm_matches_the_rfc8998_example()
    {
        var sealedBytes = Sm4Gcm.Encrypt(StandardKey, GcmNonce, GcmPlaintext, GcmAad);
        Assert.That(Hex.Of(sealedBytes), Is.EqualTo(GcmExpected));
        Assert.That(Sm4Gcm.Decrypt(StandardKey, GcmNonce, sealedBytes, GcmAad), Is.EqualTo(GcmPlaintext));
    }

    [Test]
    public void Gcm_rejects_every_single_flipped_byte_of_ciphertext_and_tag()
    {
        var sealedBytes = Hex.Bytes(GcmExpected);
        for (var i = 0; i < sealedBytes.Length; i++)
        {
            var damaged = (byte[])sealedBytes.Clone();
            damaged[i] ^= 0x01;
            var e = Assert.Throws<LedgerException>(() => Sm4Gcm.Decrypt(StandardKey, GcmNonce, damaged, GcmAad), $"byte {i}");
            Assert.That(e!.Code, Is.EqualTo(ErrorCode.DecryptionFailed));
        }
    }

    [Test]
    public void Gcm_rejects_altered_aad_wrong_key_and_short_input()
    {
        var sealedBytes = Hex.Bytes(GcmExpected);
        var otherAad = (byte[])GcmAad.Clone();
        otherAad[^1] ^= 0x80;
        Assert.That(Assert.Throws<LedgerException>(() => Sm4Gcm.Decrypt(StandardKey, GcmNonce, sealedBytes, otherAad))!.Code, Is.EqualTo(ErrorCode.DecryptionFailed));
        var otherKey = (byte[])StandardKey.Clone();
        otherKey[0] ^= 1;
        Assert.That(Assert.Throws<LedgerException>(() => Sm4Gcm.Decrypt(otherKey, GcmNonce, sealedBytes, GcmAad))!.Code, Is.EqualTo(ErrorCode.DecryptionFailed));
        Assert.That(Assert.Throws<LedgerException>(() => Sm4Gcm.Decrypt(StandardKey, GcmNonce, sealedBytes[..15], GcmAad))!.Code, Is.EqualTo(ErrorCode.DecryptionFailed));
        Assert.That(Assert.Throws<LedgerException>(() => Sm4Gcm.Encrypt(StandardKey, new byte[16], GcmPlaintext, GcmAad))!.Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));
    }

    [Test]
    public void Gcm_round_trips_empty_plaintext()
    {
        var sealedBytes = Sm4Gcm.Encrypt(StandardKey, GcmNonce, [], []);
        Assert.That(sealedBytes, Has.Length.EqualTo(Sm4Gcm.TagSize));
        Assert.That(Sm4Gcm.Decrypt(StandardKey, GcmNonce, sealedBytes, []), Is.Empty);
    }
}
