using System.Text;
using Ledger.Core;

namespace Ledger.Crypto.Tests;

[Category("Interop")]
public class MacAndKdfTests
{
    [Test]
    public void Hmac_sm3_agrees_with_openssl_for_short_and_long_keys()
    {
        using var openssl = new OpenSsl();
        var random = new Random(11);
        foreach (var keyLength in new[] { 1, 16, 64, 65, 100 })
        {
            var key = new byte[keyLength];
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(key);
            random.NextBytes(data);
            openssl.Write("data", data);
            var output = openssl.Ok("mac", "-digest", "SM3", "-macopt", "hexkey:" + Hex.Of(key), "-in", "data", "HMAC");
            Assert.That(Hex.Of(HmacSm3.Compute(key, data)), Is.EqualTo(output.Trim().ToLowerInvariant()), $"key length {keyLength}");
        }
    }

    [TestCase(1, 32)]
    [TestCase(1000, 32)]
    [TestCase(2, 70)]
    public void Pbkdf2_sm3_agrees_with_openssl(int iterations, int length)
    {
        using var openssl = new OpenSsl();
        const string password = "correct horse";
        var salt = Hex.Bytes("000102030405060708090a0b0c0d0e0f");
        var output = openssl.Ok("kdf", "-keylen", length.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-kdfopt", "digest:SM3", "-kdfopt", "pass:" + password, "-kdfopt", "hexsalt:" + Hex.Of(salt),
            "-kdfopt", "iter:" + iterations.ToString(System.Globalization.CultureInfo.InvariantCulture), "PBKDF2");
        var expected = output.Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        Assert.That(Hex.Of(Pbkdf2Sm3.DeriveKey(Encoding.UTF8.GetBytes(password), salt, iterations, length)), Is.EqualTo(expected));
    }

    [Test]
    public void Pbkdf2_rejects_zero_iterations_and_zero_length()
    {
        Assert.That(Assert.Throws<LedgerException>(() => Pbkdf2Sm3.DeriveKey("p"u8, "s"u8, 0, 32))!.Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));
        Assert.That(Assert.Throws<LedgerException>(() => Pbkdf2Sm3.DeriveKey("p"u8, "s"u8, 1, 0))!.Code, Is.EqualTo(ErrorCode.InvalidCryptoParameter));
    }
}
