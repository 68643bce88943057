using System.Text;
using Ledger.Core;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Ledger.Crypto.Tests;

public class Sm2SignatureTests
{
    private static readonly byte[] Message = Encoding.ASCII.GetBytes("message digest");

    [Test]
    public void Signs_the_published_example_on_the_recommended_curve()
    {
        // GM/T 0003.5-2012 / GB/T 32918.5-2017 annex: sm2p256v1, the default ID 1234567812345678, fixed k.
        using var key = Sm2PrivateKey.FromScalar(Hex.Bytes("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8"));
        Assert.That(Hex.Of(key.PublicKey.ToBytes()), Is.EqualTo(
            "04" + "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
                 + "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"));
        Assert.That(Hex.Of(key.PublicKey.GetZ(default)), Is.EqualTo("b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3"));

        var signature = key.SignWithFixedK(Message, default, Hex.Bytes("59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21"));

        Assert.That(Hex.Of(signature), Is.EqualTo(
            "3046" + "022100f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
                   + "022100b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa"));
        Assert.That(key.PublicKey.Verify(Message, signature), Is.True);
        Assert.That(key.PublicKey.Verify(Message, signature, Sm2.DefaultSignerId), Is.True, "empty ID and the explicit default ID are the same");
    }

    [Test]
    public void Signs_the_standard_test_curve_example_with_id_ALICE123_at_YAHOO_COM()
    {
        // GB/T 32918.2-2016 annex A.2: the Fp-256 *test* curve (the standard's only example with this ID).
        var p = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DE457283915C45517D722EDB8B08F1DFC3", 16);
        var a = new BigInteger("787968B4FA32C3FD2417842E73BBFEFF2F3C848B6831D7E0EC65228B3937E498", 16);
        var b = new BigInteger("63E4C6D3B23B0C849CF84241484BFE48F61D59A5B16BA06E6E12D1DA27C5249A", 16);
        var n = new BigInteger("8542D69E4C044F18E8B92435BF6FF7DD297720630485628D5AE74EE7C32E79B7", 16);
        var curve = new FpCurve(p, a, b, n, BigInteger.One);
        var g = curve.CreatePoint(
            new BigInteger("421DEBD61B62EAB6746434EBC3CC315E32220B3BADD50BDC4C4E6C147FEDD43D", 16),
            new BigInteger("0680512BCBB42C07D47349D2153B70C4E5D7FDFCBFA36EA1A85841B9E46E09A2", 16));
        var domain = new Sm2Domain(new Org.BouncyCastle.Asn1.X9.X9ECParameters(curve, new Org.BouncyCastle.Asn1.X9.X9ECPoint(g, false), n, BigInteger.One));
        var d = new BigInteger("128B2FA8BD433C6C068C8D803DFF79792A519A55171B1B650C23661D15897263", 16);
        var publicPoint = domain.MultiplyBase(d);
        Assert.That(publicPoint.AffineXCoord.ToBigInteger().ToString(16), Is.EqualTo("ae4c7798aa0f119471bee11825be46202bb79e2a5844495e97c04ff4df2548a"));

        var z = domain.ComputeZ("ALICE123@YAHOO.COM"u8, publicPoint);
        Assert.That(Hex.Of(z), Is.EqualTo("f4a38489e32b45b6f876e3ac2168ca392362dc8f23459c1d1146fc3dbfb7bc9a"));
        var e = Sm2Domain.ComputeE(z, Message);
        var k = new BigInteger("6CB28D99385C175C94F94E934817663FC176D925DD72B727260DBAAE1FB2F96F", 16);
        var (r, s) = domain.Sign(d, e, () => k);

        Assert.That(r.ToString(16), Is.EqualTo("40f1ec59f793d9f49e09dcef49130d4194f79fb1eed2caa55bacdb49c4e755d1"));
        Assert.That(s.ToString(16), Is.EqualTo("6fc6dac32c5d5cf10c77dfb20f7c2eb667a457872fb09ec56327a67ec7deebe7"));
        Assert.That(domain.Verify(publicPoint, e, r, s), Is.True);
        Assert.That(domain.Verify(publicPoint, e.Add(BigInteger.One), r, s), Is.False);
    }

    [Test]
    public void A_thousand_signatures_of_one_key_have_a_thousand_distinct_r()
    {
        using var key = Sm2PrivateKey.Generate();
        var rs = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            var signature = key.Sign(Message);
            Assert.That(Sm2SignatureEncoding.TryDecode(signature, out var r, out _, out _), Is.True);
            rs.Add(r.ToString(16));
        }
        Assert.That(rs, Has.Count.EqualTo(1000));
    }

    [Test]
    public void Signature_made_for_one_id_verifies_only_for_that_id()
    {
        using var key = Sm2PrivateKey.Generate();
        var signature = key.Sign(Message, "ALICE123@YAHOO.COM"u8);
        Assert.That(key.PublicKey.Verify(Message, signature, "ALICE123@YAHOO.COM"u8), Is.True);
        var wrongId = key.PublicKey.VerifyDetailed(Message, signature, "BOB@YAHOO.COM"u8);
        Assert.That(wrongId.Code, Is.EqualTo(ErrorCode.InvalidSignature));
        Assert.That(key.PublicKey.Verify(Message, signature), Is.False, "default ID must not accept it");
    }

    [Test]
    public void Interoperates_with_bouncycastle_sm2_signer_both_ways()
    {
        using var key = Sm2PrivateKey.Generate();
        var domain = Sm2Domain.Recommended;
        var parameters = new ECDomainParameters(domain.Curve, domain.G, domain.N);
        var theirPublic = new ECPublicKeyParameters(key.PublicKey.Point, parameters);

        var ours = key.Sign(Message, "someone@example"u8);
        var verifier = new SM2Signer(new SM3Digest());
        verifier.Init(false, new ParametersWithID(theirPublic, "someone@example"u8.ToArray()));
        verifier.BlockUpdate(Message, 0, Message.Length);
        Assert.That(verifier.VerifySignature(ours), Is.True, "BouncyCastle accepts our signature");

        var signer = new SM2Signer(new SM3Digest());
        signer.Init(true, new ParametersWithID(new ECPrivateKeyParameters(new BigInteger(1, key.ExportScalar()), parameters), "someone@example"u8.ToArray()));
        signer.BlockUpdate(Message, 0, Message.Length);
        var theirs = signer.GenerateSignature();
        Assert.That(key.PublicKey.Verify(Message, theirs, "someone@example"u8), Is.True, "we accept BouncyCastle's signature");
    }

    [Test]
    public void Disposed_key_refuses_to_sign_and_its_scalar_is_cleared()
    {
        var key = Sm2PrivateKey.Generate();
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.Sign(Message));
        Assert.Throws<ObjectDisposedException>(() => key.ExportScalar());
    }

    [Test]
    public void Verifier_accepts_good_signatures_from_many_threads_and_caches_per_key_and_id()
    {
        var keys = Enumerable.Range(0, 4).Select(_ => Sm2PrivateKey.Generate()).ToArray();
        var items = Enumerable.Range(0, 64).Select(i =>
        {
            var key = keys[i % keys.Length];
            var message = Encoding.ASCII.GetBytes($"tx {i}");
            return (PublicKey: key.PublicKey.ToBytes(), Message: message, Signature: key.Sign(message), Bad: i % 8 == 0);
        }).ToArray();
        var verifier = new Sm2Verifier();
        var results = new bool[items.Length];
        Parallel.For(0, items.Length, i =>
        {
            var item = items[i];
            var message = item.Bad ? Encoding.ASCII.GetBytes("forged") : item.Message;
            results[i] = verifier.Verify(item.PublicKey, message, item.Signature, default);
        });
        Assert.That(results, Is.EqualTo(items.Select(item => !item.Bad).ToArray()));
        Assert.That(verifier.CachedEntries, Is.EqualTo(keys.Length));
        foreach (var key in keys) key.Dispose();
    }

    [Test]
    public void Verifier_cache_stays_bounded()
    {
        var verifier = new Sm2Verifier(capacity: 3);
        for (var i = 0; i < 10; i++)
        {
            using var key = Sm2PrivateKey.Generate();
            Assert.That(verifier.Verify(key.PublicKey.ToBytes(), Message, key.Sign(Message), default), Is.True);
        }
        Assert.That(verifier.CachedEntries, Is.LessThanOrEqualTo(3));
    }
}
