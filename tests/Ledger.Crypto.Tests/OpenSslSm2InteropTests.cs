namespace Ledger.Crypto.Tests;

[Category("Interop")]
public class OpenSslSm2InteropTests
{
    private const string DistId = "distid:1234567812345678";

    private static string[] VerifyArgs(string pub, string msg, string sig, string distId = DistId) =>
        ["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-digest", "sm3", "-in", msg, "-sigfile", sig, "-pkeyopt", distId];

    [Test]
    public void Openssl_verifies_our_signatures_and_rejects_flipped_bytes()
    {
        using var openssl = new OpenSsl();
        using var key = Sm2PrivateKey.Generate();
        var message = new byte[1000];
        Random.Shared.NextBytes(message);
        var signature = key.Sign(message);
        openssl.Write("pub.pem", key.PublicKey.ToPem());
        openssl.Write("msg", message);
        openssl.Write("sig", signature);

        var output = openssl.Ok(VerifyArgs("pub.pem", "msg", "sig"));
        Assert.That(output, Does.Contain("Signature Verified Successfully"));

        var flippedMessage = (byte[])message.Clone();
        flippedMessage[500] ^= 0x01;
        openssl.Write("msg2", flippedMessage);
        Assert.That(openssl.Run(VerifyArgs("pub.pem", "msg2", "sig")).ExitCode, Is.Not.Zero, "flipped message byte");

        var flippedSignature = (byte[])signature.Clone();
        flippedSignature[^3] ^= 0x01;
        openssl.Write("sig2", flippedSignature);
        Assert.That(openssl.Run(VerifyArgs("pub.pem", "msg", "sig2")).ExitCode, Is.Not.Zero, "flipped signature byte");

        Assert.That(openssl.Run(VerifyArgs("pub.pem", "msg", "sig", "distid:someone-else")).ExitCode, Is.Not.Zero, "other signer ID");
    }

    [Test]
    public void Openssl_verifies_our_signature_with_a_custom_signer_id()
    {
        using var openssl = new OpenSsl();
        using var key = Sm2PrivateKey.Generate();
        var signature = key.Sign("contract"u8, "ALICE123@YAHOO.COM"u8);
        openssl.Write("pub.pem", key.PublicKey.ToPem());
        openssl.Write("msg", "contract"u8.ToArray());
        openssl.Write("sig", signature);
        openssl.Ok(VerifyArgs("pub.pem", "msg", "sig", "distid:ALICE123@YAHOO.COM"));
    }

    [Test]
    public void We_verify_openssl_signatures_with_an_openssl_generated_key()
    {
        using var openssl = new OpenSsl();
        openssl.Ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", "key.pem");
        openssl.Ok("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        var message = new byte[333];
        Random.Shared.NextBytes(message);
        openssl.Write("msg", message);
        openssl.Ok("pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-in", "msg", "-out", "sig", "-pkeyopt", DistId);

        var publicKey = Sm2PublicKey.FromPem(File.ReadAllText(openssl.File("pub.pem")));
        var signature = openssl.Read("sig");
        Assert.That(publicKey.VerifyDetailed(message, signature), Is.EqualTo(Ledger.Core.ValidationResult.Valid));

        var flippedMessage = (byte[])message.Clone();
        flippedMessage[0] ^= 0x01;
        Assert.That(publicKey.Verify(flippedMessage, signature), Is.False);
        var flippedSignature = (byte[])signature.Clone();
        flippedSignature[10] ^= 0x01;
        Assert.That(publicKey.Verify(message, flippedSignature), Is.False);

        // Their private key PEM is importable, and gives the same public key.
        using var imported = Sm2PrivateKey.FromPem(File.ReadAllText(openssl.File("key.pem")));
        Assert.That(imported.PublicKey, Is.EqualTo(publicKey));
    }

    [Test]
    public void Openssl_reads_our_pkcs8_private_key_and_signs_with_it()
    {
        using var openssl = new OpenSsl();
        using var key = Sm2PrivateKey.Generate();
        openssl.Write("key.pem", key.ToPkcs8Pem());
        var text = openssl.Ok("pkey", "-in", "key.pem", "-noout", "-text");
        Assert.That(text, Does.Contain("SM2").Or.Contain("sm2"));
        openssl.Ok("pkey", "-in", "key.pem", "-pubout", "-out", "pub.pem");
        Assert.That(Sm2PublicKey.FromPem(File.ReadAllText(openssl.File("pub.pem"))), Is.EqualTo(key.PublicKey));

        openssl.Write("msg", "hello"u8.ToArray());
        openssl.Ok("pkeyutl", "-sign", "-inkey", "key.pem", "-rawin", "-digest", "sm3", "-in", "msg", "-out", "sig", "-pkeyopt", DistId);
        Assert.That(key.PublicKey.Verify("hello"u8, openssl.Read("sig")), Is.True);
    }

    [Test]
    public void Sm3_agrees_with_openssl_dgst_on_random_inputs_including_empty()
    {
        using var openssl = new OpenSsl();
        var random = new Random(2024);
        var sizes = new List<int> { 0, 1, 55, 56, 63, 64, 65, 1_000_003 };
        for (var i = 0; i < 8; i++) sizes.Add(random.Next(0, 200_000));
        foreach (var size in sizes)
        {
            var data = new byte[size];
            random.NextBytes(data);
            openssl.Write("data", data);
            var output = openssl.Ok("dgst", "-sm3", "-r", "data");
            Assert.That(Sm3.Hash(data).ToHex(), Is.EqualTo(output.Split(' ')[0]), $"size {size}");
        }
    }
}
