using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;
using Ledger.Crypto.Transport;

namespace Ledger.Crypto.Tests.Transport;

/// <summary>A transport certificate from a holder's request has the profile of one the CA makes with its own key, and the holder's key.</summary>
public class TransportSigningRequestTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    [Test]
    public void A_certificate_from_a_request_has_the_extensions_of_one_made_whole_by_the_ca()
    {
        using var ca = TransportCertificateAuthority.Create("Guangdong HRSS Ledger consortium", Now.AddHours(-1), Now.AddYears(1));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = TransportSigningRequest.Create(key, "guangzhou", ["localhost", "guangzhou"], [IPAddress.Loopback, IPAddress.IPv6Loopback]);
        using var fromRequest = ca.Issue(TransportSigningRequest.FromPem(request.Pem), Now.AddHours(-1), Now.AddDays(30), "guangzhou");
        using var whole = ca.Issue("guangzhou", ["localhost", "guangzhou"], [IPAddress.Loopback, IPAddress.IPv6Loopback], Now.AddHours(-1), Now.AddDays(30), "guangzhou");

        Assert.That(fromRequest.HasPrivateKey, Is.False, "the CA never had the holder's key");
        Assert.That(fromRequest.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        Assert.That(fromRequest.SubjectName.Name, Is.EqualTo(whole.SubjectName.Name));
        Assert.That(fromRequest.IssuerName.Name, Is.EqualTo(whole.IssuerName.Name));
        Assert.That(Profile(fromRequest), Is.EqualTo(Profile(whole)));
        Assert.That(ValidatorTransportName.Read(fromRequest), Is.EqualTo(new[] { "guangzhou" }));
    }

    [Test]
    public void A_request_with_a_tampered_name_or_another_curve_is_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.That(Assert.Throws<LedgerException>(() => TransportSigningRequest.Create(p384, "x", [], []))!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));
        Assert.That(Assert.Throws<LedgerException>(() => TransportSigningRequest.FromPem("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"))!.Code,
            Is.EqualTo(ErrorCode.InvalidCertificate));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.That(Assert.Throws<LedgerException>(() => TransportSigningRequest.Create(key, "a,b", [], []))!.Code, Is.EqualTo(ErrorCode.InvalidCertificate));
    }

    private static string[] Profile(X509Certificate2 certificate) =>
        [.. certificate.Extensions.Where(e => e.Oid!.Value is not ("2.5.29.14"))
            .Select(e => $"{e.Oid!.Value} {e.Critical} {Convert.ToHexString(e.RawData)}")];
}
