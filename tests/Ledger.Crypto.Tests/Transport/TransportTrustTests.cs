using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Ledger.Core;
using Ledger.Crypto.Transport;

namespace Ledger.Crypto.Tests.Transport;

public class TransportTrustTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ledger-transport-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private static TransportCertificateAuthority NewCa(string name = "Guangdong HRSS Ledger consortium") =>
        TransportCertificateAuthority.Create(name, Now.AddHours(-1), Now.AddYears(1));

    private static X509Certificate2 Leaf(TransportCertificateAuthority ca) =>
        ca.Issue("guangdong", ["localhost", "guangdong"], [IPAddress.Loopback], Now.AddHours(-1), Now.AddDays(30));

    private string WriteCa(TransportCertificateAuthority ca)
    {
        var path = Path.Combine(_dir.FullName, $"ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(path, ca.CertificatePem());
        return path;
    }

    [Test]
    public void A_certificate_of_the_pinned_ca_is_trusted_for_server_and_client_authentication()
    {
        using var ca = NewCa();
        using var leaf = Leaf(ca);
        var trust = TransportTrust.Load(WriteCa(ca));
        Assert.That(trust.IsTrusted(leaf, TransportCertificateAuthority.ServerAuthOid), Is.True);
        Assert.That(trust.IsTrusted(leaf, TransportCertificateAuthority.ClientAuthOid), Is.True);
        Assert.That(trust.ValidateClient(leaf, null, SslPolicyErrors.RemoteCertificateChainErrors), Is.True, "the OS store's verdict is not ours");
        Assert.That(leaf.GetECDsaPublicKey()!.KeySize, Is.EqualTo(256));
    }

    [Test]
    public void A_certificate_of_another_ca_with_the_same_name_is_refused()
    {
        using var ours = NewCa();
        using var theirs = NewCa();   // same subject, another key: another consortium, or an attacker's copy
        using var leaf = Leaf(theirs);
        var trust = TransportTrust.Load(WriteCa(ours));
        Assert.That(trust.IsTrusted(leaf, TransportCertificateAuthority.ServerAuthOid), Is.False);
        Assert.That(trust.ValidateClient(leaf, null, SslPolicyErrors.None), Is.False);
        Assert.That(trust.ValidateServer(leaf, null, SslPolicyErrors.None), Is.False);
    }

    [Test]
    public void A_server_certificate_for_another_host_name_is_refused_even_from_the_pinned_ca()
    {
        using var ca = NewCa();
        using var leaf = Leaf(ca);
        var trust = TransportTrust.Load(WriteCa(ca));
        Assert.That(trust.ValidateServer(leaf, null, SslPolicyErrors.None), Is.True);
        Assert.That(trust.ValidateServer(leaf, null, SslPolicyErrors.RemoteCertificateNameMismatch), Is.False);
        Assert.That(trust.ValidateServer(null, null, SslPolicyErrors.RemoteCertificateNotAvailable), Is.False);
    }

    [Test]
    public void The_ca_certificate_itself_is_not_a_service_certificate()
    {
        using var ca = NewCa();
        using var publicCa = X509CertificateLoader.LoadCertificate(ca.Certificate.RawData);
        var trust = TransportTrust.Load(WriteCa(ca));
        Assert.That(trust.IsTrusted(publicCa, TransportCertificateAuthority.ServerAuthOid), Is.False, "a CA certificate is not an end-entity certificate");
    }

    [Test]
    public void A_rollover_file_with_two_cas_trusts_both()
    {
        using var old = NewCa();
        using var next = NewCa();
        var path = Path.Combine(_dir.FullName, "rollover.pem");
        File.WriteAllText(path, old.CertificatePem() + next.CertificatePem());
        var trust = TransportTrust.Load(path);
        using var a = Leaf(old);
        using var b = Leaf(next);
        Assert.That(trust.Anchors, Has.Count.EqualTo(2));
        Assert.That(trust.IsTrusted(a, TransportCertificateAuthority.ServerAuthOid) && trust.IsTrusted(b, TransportCertificateAuthority.ServerAuthOid), Is.True);
    }

    [Test]
    public void A_missing_or_empty_ca_file_is_a_typed_error()
    {
        var missing = Assert.Throws<LedgerException>(() => TransportTrust.Load(Path.Combine(_dir.FullName, "nope.pem")))!;
        Assert.That(missing.Code, Is.EqualTo(ErrorCode.MissingField));
        var empty = Path.Combine(_dir.FullName, "empty.pem");
        File.WriteAllText(empty, "not a certificate\n");
        Assert.That(Assert.Throws<LedgerException>(() => TransportTrust.Load(empty))!.Code, Is.EqualTo(ErrorCode.InvalidCertificate));
    }

    [Test]
    public void Credentials_round_trip_with_the_key_at_0600_and_a_readable_key_is_refused()
    {
        using var ca = NewCa();
        using var leaf = Leaf(ca);
        var cert = Path.Combine(_dir.FullName, "tls.pem");
        var key = Path.Combine(_dir.FullName, "tls.key");
        TransportCredentials.Save(leaf, cert, key);
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(key), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        using (var loaded = TransportCredentials.Load(cert, key))
        {
            Assert.That(loaded.HasPrivateKey, Is.True);
            Assert.That(loaded.Thumbprint, Is.EqualTo(leaf.Thumbprint));
        }
        Assert.Throws<IOException>(() => TransportCredentials.Save(leaf, cert, key), "never overwrites a key");
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Assert.That(Assert.Throws<LedgerException>(() => TransportCredentials.Load(cert, key))!.Code, Is.EqualTo(ErrorCode.WeakKeyFileProtection));
    }

    [Test]
    public void The_ca_key_is_stored_encrypted_and_a_wrong_passphrase_is_refused()
    {
        using var ca = NewCa();
        var cert = WriteCa(ca);
        var key = Path.Combine(_dir.FullName, "transport-ca.key");
        ca.SaveKey(key, "right passphrase", 1000);
        Assert.That(File.ReadAllText(key), Does.StartWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        using (var loaded = TransportCertificateAuthority.Load(cert, key, "right passphrase"))
        using (var leaf = Leaf(loaded))
            Assert.That(TransportTrust.Load(cert).IsTrusted(leaf, TransportCertificateAuthority.ServerAuthOid), Is.True, "the reloaded CA still issues");
        Assert.That(Assert.Throws<LedgerException>(() => TransportCertificateAuthority.Load(cert, key, "wrong"))!.Code, Is.EqualTo(ErrorCode.InvalidPrivateKey));
    }
}
