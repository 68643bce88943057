using Ledger.Core;

namespace Ledger.Crypto.Tests;

public class Sm2KeyEncodingTests
{
    [Test]
    public void Private_key_pem_round_trips()
    {
        using var key = Sm2PrivateKey.Generate();
        var pem = key.ToPkcs8Pem();
        Assert.That(pem, Does.StartWith("-----BEGIN PRIVATE KEY-----\n"));
        using var again = Sm2PrivateKey.FromPem(pem);
        Assert.That(again.PublicKey, Is.EqualTo(key.PublicKey));
        Assert.That(again.PublicKey.Verify("m"u8, key.Sign("m"u8)), Is.True);
    }

    [Test]
    public void Public_key_pem_and_bytes_round_trip_and_id_is_sm3_of_bytes()
    {
        using var key = Sm2PrivateKey.Generate();
        var fromPem = Sm2PublicKey.FromPem(key.PublicKey.ToPem());
        Assert.That(fromPem, Is.EqualTo(key.PublicKey));
        Assert.That(fromPem == key.PublicKey, Is.True);
        Assert.That(Sm2PublicKey.FromBytes(key.PublicKey.ToBytes()).Id, Is.EqualTo(Sm3.Hash(key.PublicKey.ToBytes())));
        using var other = Sm2PrivateKey.Generate();
        Assert.That(other.PublicKey, Is.Not.EqualTo(key.PublicKey));
    }

    [TestCase("")]
    [TestCase("not pem at all")]
    [TestCase("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n")]
    [TestCase("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----\n")]
    [TestCase("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n")]
    public void Garbage_public_key_pem_is_a_ledger_exception(string pem) =>
        Assert.That(Assert.Throws<LedgerException>(() => Sm2PublicKey.FromPem(pem))!.Code, Is.EqualTo(ErrorCode.InvalidPublicKey));

    [TestCase("")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")]
    [TestCase("-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n")]
    public void Garbage_private_key_pem_is_a_ledger_exception(string pem) =>
        Assert.That(Assert.Throws<LedgerException>(() => Sm2PrivateKey.FromPem(pem))!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));

    [Test]
    public void Private_key_on_another_curve_is_refused()
    {
        // A P-256 PKCS#8 key (made by openssl once, not secret).
        const string p256 = """
            -----BEGIN PRIVATE KEY-----
            MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgRc9ClTOVGpe9UnOi
            q92IaFuw9kFUjPRC5LkXAH8w/sihRANCAATSGHa4NmPGTSfegc2PE9Lz0rTz7aWm
            RCm+yZqj2Kzek41Llr3IWMqX0M3Jq/bE0RtGYPFEUOKgclszdq8SPqFK
            -----END PRIVATE KEY-----
            """;
        Assert.That(Assert.Throws<LedgerException>(() => Sm2PrivateKey.FromPem(p256))!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));
    }
}
