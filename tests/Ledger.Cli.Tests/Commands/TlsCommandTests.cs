using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ledger.Crypto.Transport;

namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger tls ca|csr|issue</c>: a service's TLS key stays with it; the transport CA certifies its request and alone binds a validator.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class TlsCommandTests
{
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-tls-");
        _cli = new CliHarness().Set("PASS", "transport ca passphrase");
        var (exit, output, error) = _cli.Run("tls", "ca", "--name", "Test consortium", "--out", Path("transport-ca.pem"), "--key-out", Path("transport-ca.key"), "--passphrase-env", "PASS");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("transport CA O=Test consortium, CN=Test consortium Transport CA"));
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir.FullName, name);

    private (int Exit, string Out, string Error) Issue(params string[] args) =>
        _cli.Run(["tls", "issue", "--ca-cert", Path("transport-ca.pem"), "--ca-key", Path("transport-ca.key"), "--passphrase-env", "PASS", "--out", Path("tls.pem"), .. args]);

    [Test]
    public void A_validator_certificate_from_its_request_names_the_validator_and_serves_with_the_key_that_never_left()
    {
        var csr = _cli.Run("tls", "csr", "--key", Path("tls.key"), "--name", "guangzhou", "--out", Path("tls.csr"));
        Assert.That(csr.Exit, Is.Zero, csr.Error);
        Assert.That(csr.Out, Does.Contain("request for guangzhou (localhost, guangzhou, 127.0.0.1, ::1), new key"));
        Assert.That(File.GetUnixFileMode(Path("tls.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));

        var (exit, output, error) = Issue("--csr", Path("tls.csr"), "--validator", "guangzhou");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("guangzhou, validator guangzhou"));
        using var certificate = TransportCredentials.Load(Path("tls.pem"), Path("tls.key"));
        var trust = TransportTrust.Load(Path("transport-ca.pem"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(certificate.HasPrivateKey, Is.True, "the holder's key matches the certificate");
            Assert.That(ValidatorTransportName.Read(certificate), Is.EqualTo(new[] { "guangzhou" }));
            Assert.That(trust.IsTrusted(certificate, TransportCertificateAuthority.ServerAuthOid), Is.True);
            Assert.That(trust.IsTrusted(certificate, TransportCertificateAuthority.ClientAuthOid), Is.True);
            Assert.That(certificate.MatchesHostname("localhost") && certificate.MatchesHostname("guangzhou"), Is.True);
            Assert.That(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority, Is.False);
        }

        // A renewal reuses the key: a new request, the same key.
        var again = _cli.Run("tls", "csr", "--key", Path("tls.key"), "--name", "guangzhou", "--dns", "node.gz.example", "--ip", "10.0.0.2", "--out", Path("tls2.csr"));
        Assert.That(again.Exit, Is.Zero, again.Error);
        Assert.That(again.Out, Does.Contain("(node.gz.example, 10.0.0.2), key "));
        Assert.That(Issue("--csr", Path("tls2.csr"), "--validator", "guangzhou").Exit, Is.Zero);
        using var renewed = X509CertificateLoader.LoadCertificateFromFile(Path("tls.pem"));
        Assert.That(renewed.PublicKey.EncodedKeyValue.RawData, Is.EqualTo(certificate.PublicKey.EncodedKeyValue.RawData));
        Assert.That(renewed.MatchesHostname("node.gz.example") && !renewed.MatchesHostname("localhost"), Is.True);
    }

    [Test]
    public void A_member_certificate_names_no_validator()
    {
        Assert.That(_cli.Run("tls", "csr", "--key", Path("tls.key"), "--name", "explorer", "--out", Path("tls.csr")).Exit, Is.Zero);
        Assert.That(Issue("--csr", Path("tls.csr")).Exit, Is.Zero);
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(Path("tls.pem"));
        Assert.That(ValidatorTransportName.Read(certificate), Is.Empty);
    }

    [Test]
    public void Refuses_a_request_that_asks_for_a_validator_name_itself()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=guangzhou", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddUri(ValidatorTransportName.ToUri("guangdong"));
        request.CertificateExtensions.Add(san.Build());
        File.WriteAllText(Path("tls.csr"), request.CreateSigningRequestPem());
        AssertRefused("a validator binding is given by the CA (--validator), never asked for", "--csr", Path("tls.csr"));
    }

    [Test]
    public void Refuses_a_request_for_a_key_off_p256()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        File.WriteAllText(Path("tls.csr"), new CertificateRequest("CN=guangzhou", key, HashAlgorithmName.SHA256).CreateSigningRequestPem());
        AssertRefused("not on NIST P-256", "--csr", Path("tls.csr"));
    }

    [Test]
    public void Refuses_a_tampered_request()
    {
        Assert.That(_cli.Run("tls", "csr", "--key", Path("tls.key"), "--name", "guangzhou", "--out", Path("tls.csr")).Exit, Is.Zero);
        var der = Convert.FromBase64String(string.Concat(File.ReadAllLines(Path("tls.csr")).Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
        var name = System.Text.Encoding.ASCII.GetBytes("guangzhou");
        var at = der.AsSpan().IndexOf(name);
        der[at] = (byte)'G';
        File.WriteAllText(Path("tls.csr"), PemEncoding.WriteString("CERTIFICATE REQUEST", der));
        AssertRefused("not a signed PKCS#10 certificate request", "--csr", Path("tls.csr"));
    }

    [Test]
    public void Refuses_a_wrong_ca_passphrase_and_a_bad_validator_name()
    {
        Assert.That(_cli.Run("tls", "csr", "--key", Path("tls.key"), "--name", "guangzhou", "--out", Path("tls.csr")).Exit, Is.Zero);
        AssertRefused("--validator 'guang zhou' is not a validator name", "--csr", Path("tls.csr"), "--validator", "guang zhou");
        _cli.Set("PASS", "not the passphrase");
        AssertRefused("cannot load the transport CA", "--csr", Path("tls.csr"));
    }

    [Test]
    public void Refuses_to_overwrite_a_ca_and_a_world_readable_key()
    {
        var (exit, _, error) = _cli.Run("tls", "ca", "--name", "X", "--out", Path("transport-ca.pem"), "--key-out", Path("other.key"), "--passphrase-env", "PASS");
        Assert.That((exit, error), Is.EqualTo((2, $"ledger: {Path("transport-ca.pem")} exists; refusing to overwrite a CA\n")));

        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256)) File.WriteAllText(Path("open.key"), key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(Path("open.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var open = _cli.Run("tls", "csr", "--key", Path("open.key"), "--name", "x", "--out", Path("x.csr"));
        Assert.That(open.Exit, Is.EqualTo(2));
        Assert.That(open.Error, Does.Contain("readable by group or others"));
        var badIp = _cli.Run("tls", "csr", "--key", Path("new.key"), "--name", "x", "--ip", "host.example", "--out", Path("x.csr"));
        Assert.That((badIp.Exit, badIp.Error), Is.EqualTo((2, "ledger: --ip 'host.example' is not an IP address\n")));
        Assert.That(File.Exists(Path("new.key")), Is.False);
    }

    private void AssertRefused(string expected, params string[] args)
    {
        var (exit, output, error) = Issue(args);
        Assert.That(exit, Is.EqualTo(2), output + error);
        Assert.That(error, Does.StartWith("ledger: ").And.Contain(expected));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(File.Exists(Path("tls.pem")), Is.False);
    }
}
