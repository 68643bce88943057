using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Crypto.Certificates;

namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger ca revoke</c>: a city CA revokes what it issued, the list accumulates, and validation honours it.</summary>
public class CaRevokeTests
{
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;
    private GenesisDocument _genesis = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-ca-");
        _cli = new CliHarness();
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "2", "--out", _dir.FullName, "--kdf-iterations", "1000");
        Assert.That(exit, Is.Zero, error);
        _cli.Set("PASS", File.ReadAllText(Path(("passphrase"))).Trim());
        _genesis = GenesisDocument.FromJson(File.ReadAllText(Path("genesis.json")));
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string Path(params string[] parts) => System.IO.Path.Combine([_dir.FullName, .. parts]);

    private (int Exit, string Out, string Error) Revoke(string certificate, params string[] extra) => _cli.Run(
    [
        "ca", "revoke", "--ca-cert", Path("ca", "guangzhou.pem"), "--ca-key", Path("ca", "guangzhou.key"), "--cert", certificate,
        "--out", Path("guangzhou.crl"), "--passphrase-env", "PASS", "--allow-weak-kdf", .. extra,
    ]);

    private ValidationResult Validate(string certificatePath, CertificateRevocationList crl) =>
        new CertificateChainValidator(LedgerCertificate.FromPem(_genesis.RootCertificate), _genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), [crl])
            .Validate(LedgerCertificate.FromPem(File.ReadAllText(certificatePath)), DateTimeOffset.UtcNow);

    [Test]
    public void Revocations_accumulate_and_the_chain_validator_refuses_the_revoked_certificates()
    {
        var node = Path("nodes", "guangzhou", "node.pem");
        var signer = Path("signers", "guangzhou", "signer.pem");
        var first = Revoke(node);
        Assert.That(first.Exit, Is.Zero, first.Error);
        Assert.That(first.Out, Does.Contain("revoked").And.Contain("1 revoked"));

        var second = Revoke(signer, "--crl", Path("guangzhou.crl"));
        Assert.That(second.Exit, Is.Zero, second.Error);
        Assert.That(second.Out, Does.Contain("2 revoked"));

        var crl = CertificateRevocationList.FromPem(File.ReadAllText(Path("guangzhou.crl")));
        var guangzhouCa = LedgerCertificate.FromPem(File.ReadAllText(Path("ca", "guangzhou.pem")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(crl.VerifyIssuedBy(guangzhouCa).IsValid, Is.True);
            Assert.That(crl.RevokedSerialNumbers, Has.Count.EqualTo(2));
            Assert.That(Validate(node, crl).Code, Is.EqualTo(ErrorCode.CertificateRevoked));
            Assert.That(Validate(signer, crl).Code, Is.EqualTo(ErrorCode.CertificateRevoked));
            Assert.That(Validate(Path("nodes", "guangdong", "node.pem"), crl).IsValid, Is.True, "the province's node is not on Guangzhou's list");
        }

        var again = Revoke(node, "--crl", Path("guangzhou.crl"));
        Assert.That(again.Exit, Is.Zero, again.Error);
        Assert.That(again.Out, Does.Contain("already revoked").And.Contain("2 revoked"));
    }

    [Test]
    public void A_certificate_of_another_ca_or_a_foreign_crl_is_refused_with_one_line()
    {
        var (exit, _, error) = Revoke(Path("nodes", "guangdong", "node.pem"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.Trim().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.Contain("not issued by"));
        Assert.That(File.Exists(Path("guangzhou.crl")), Is.False, "nothing written");

        // A CRL of the root CA offered as Guangzhou's current list.
        var root = _cli.Run("ca", "revoke", "--ca-cert", Path("ca", "root.pem"), "--ca-key", Path("ca", "root.key"), "--cert", Path("nodes", "guangdong", "node.pem"),
            "--out", Path("root.crl"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(root.Exit, Is.Zero, root.Error);
        var foreign = Revoke(Path("nodes", "guangzhou", "node.pem"), "--crl", Path("root.crl"));
        Assert.That(foreign.Exit, Is.EqualTo(2));
        Assert.That(foreign.Error, Does.Contain("root.crl"));
    }

    [Test]
    public void A_current_crl_that_does_not_exist_is_refused_rather_than_started_afresh()
    {
        var (exit, _, error) = Revoke(Path("nodes", "guangzhou", "node.pem"), "--crl", Path("no-such.crl"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no-such.crl"));
        Assert.That(File.Exists(Path("guangzhou.crl")), Is.False, "nothing written");
    }

    [Test]
    public void The_wrong_key_for_the_ca_is_refused()
    {
        var (exit, _, error) = _cli.Run("ca", "revoke", "--ca-cert", Path("ca", "guangzhou.pem"), "--ca-key", Path("ca", "root.key"), "--cert", Path("nodes", "guangzhou", "node.pem"),
            "--out", Path("guangzhou.crl"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("is not the key of"));
    }

    [Test]
    public void Ca_publish_refuses_a_file_that_is_not_a_CRL_before_it_contacts_a_node()
    {
        var notACrl = Path("not-a.crl");
        File.WriteAllText(notACrl, "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");
        var certificate = Directory.GetFiles(Path("nodes"), "*.pem", SearchOption.AllDirectories).First();
        var (exit, _, error) = _cli.Run("ca", "publish", "--crl", notACrl, "--node", "https://127.0.0.1:1", "--key", Path("ca", "root.key"),
            "--cert", certificate, "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain("InvalidCrl").Or.Contain("CRL"));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(error, Does.Not.Contain("127.0.0.1"), "refused before any node is asked");
    }
}
