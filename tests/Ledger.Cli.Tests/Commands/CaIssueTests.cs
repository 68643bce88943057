using System.Security.Cryptography.X509Certificates;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;

namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger ca issue</c> and <c>ledger ca csr</c>: a city CA certifies a holder's key, and refuses what it must not certify.</summary>
public class CaIssueTests
{
    private const string ValidCreditCode = "91440101MA59ABCD1D";
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;
    private GenesisDocument _genesis = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-ca-issue-");
        _cli = new CliHarness();
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "2", "--out", _dir.FullName, "--kdf-iterations", "1000");
        Assert.That(exit, Is.Zero, error);
        _cli.Set("PASS", File.ReadAllText(Path("passphrase")).Trim());
        _genesis = GenesisDocument.FromJson(File.ReadAllText(Path("genesis.json")));
        Assert.That(_cli.Run("key", "new", "--out", Path("holder.key"), "--passphrase-env", "PASS", "--kdf-iterations", "1000").Exit, Is.Zero);
        File.WriteAllText(Path("holder.pub"), _cli.Run("key", "show", Path("holder.key"), "--pem").Out);
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string Path(params string[] parts) => System.IO.Path.Combine([_dir.FullName, .. parts]);

    private (int Exit, string Out, string Error) Issue(params string[] args) => _cli.Run(
        ["ca", "issue", "--ca-cert", Path("ca", "guangzhou.pem"), "--ca-key", Path("ca", "guangzhou.key"), "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path("out.pem"), .. args]);

    private ValidationResult Validate(string certificatePath) =>
        new CertificateChainValidator(LedgerCertificate.FromPem(_genesis.RootCertificate), _genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), [])
            .Validate(LedgerCertificate.FromPem(File.ReadAllText(certificatePath)), DateTimeOffset.UtcNow);

    [Test]
    public void An_employer_certificate_from_a_public_key_chains_to_the_genesis_root_and_carries_the_credit_code()
    {
        var (exit, output, error) = Issue("--pub", Path("holder.pub"), "--role", "employer", "--subject", "Example Logistics Ltd", "--credit-code", ValidCreditCode,
            "--division", "440106000000", "--valid-days", "30");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("Employer Example Logistics Ltd, credit code " + ValidCreditCode));

        var certificate = LedgerCertificate.FromPem(File.ReadAllText(Path("out.pem")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Validate(Path("out.pem")).IsValid, Is.True);
            Assert.That(certificate.Role, Is.EqualTo(Role.Employer));
            Assert.That(certificate.CreditCode?.Value, Is.EqualTo(ValidCreditCode));
            Assert.That(certificate.Division.Value, Is.EqualTo("440106000000"));
            Assert.That(certificate.PublicKey.ToPem(), Is.EqualTo(File.ReadAllText(Path("holder.pub")).Trim() + "\n"));
            Assert.That(certificate.NotAfter, Is.EqualTo(DateTimeOffset.UtcNow.AddDays(30)).Within(TimeSpan.FromMinutes(2)));
        }
    }

    [Test]
    public void A_worker_certificate_from_a_ledger_csr_takes_the_key_and_name_of_the_request()
    {
        var csr = _cli.Run("ca", "csr", "--key", Path("holder.key"), "--subject", "worker 7f3a", "--out", Path("holder.csr"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(csr.Exit, Is.Zero, csr.Error);
        var refused = Issue("--csr", Path("holder.csr"), "--role", "worker");
        Assert.That((refused.Exit, refused.Error), Is.EqualTo((2, "ledger: a worker certificate needs --pseudonym-key FILE and --id-number-env VAR (it names the worker's pseudonym)\n")));
        _cli.Set("WORKER_ID", "440106199001011235");
        var (exit, output, error) = Issue("--csr", Path("holder.csr"), "--role", "worker", "--pseudonym-key", Path("ca", "pseudonym.key"), "--id-number-env", "WORKER_ID");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output + error, Does.Not.Contain("440106199001011235"), "the ID number is never printed");
        var certificate = LedgerCertificate.FromPem(File.ReadAllText(Path("out.pem")));
        Assert.That(certificate.CommonName, Is.EqualTo("worker 7f3a"));
        var key = Convert.FromHexString(File.ReadAllText(Path("ca", "pseudonym.key")).Trim());
        Assert.That(certificate.WorkerPseudonym, Is.EqualTo(WorkerPseudonym.Compute(key, "440106199001011235")));
        Assert.That(certificate.Role, Is.EqualTo(Role.Worker));
        Assert.That(certificate.Division, Is.EqualTo(LedgerCertificate.FromPem(File.ReadAllText(Path("ca", "guangzhou.pem"))).Division));
        Assert.That(Validate(Path("out.pem")).IsValid, Is.True);
    }

    [Test]
    [Category("Interop")]
    public void An_openssl_sm2_csr_is_accepted_and_a_tampered_one_refused()
    {
        OpenSsl.Require();
        Assert.That(OpenSsl.Run(_dir.FullName, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", "os.key").ExitCode, Is.Zero);
        var req = OpenSsl.Run(_dir.FullName, "req", "-new", "-key", "os.key", "-sm3", "-sigopt", "distid:1234567812345678", "-subj", "/C=CN/CN=Pearl River Arbitration", "-out", "os.csr");
        Assert.That(req.ExitCode, Is.Zero, req.StdErr);

        var (exit, _, error) = Issue("--csr", Path("os.csr"), "--role", "arbitration");
        Assert.That(exit, Is.Zero, error);
        Assert.That(LedgerCertificate.FromPem(File.ReadAllText(Path("out.pem"))).CommonName, Is.EqualTo("Pearl River Arbitration"));

        // Change one byte of the requested name: the self-signature no longer holds.
        var der = CertificateSigningRequest.FromPem(File.ReadAllText(Path("os.csr"))).Der;
        var at = der.AsSpan().IndexOf("Pearl"u8);
        der[at] = (byte)'Q';
        File.WriteAllText(Path("bad.csr"), "-----BEGIN CERTIFICATE REQUEST-----\n" + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n-----END CERTIFICATE REQUEST-----\n");
        var bad = Issue("--csr", Path("bad.csr"), "--role", "arbitration");
        Assert.That(bad.Exit, Is.EqualTo(2));
        Assert.That(bad.Error, Does.StartWith("ledger: ").And.Contain("does not verify"));
    }

    [TestCase("check character is 'X', GB 32100 gives 'D'", new[] { "--role", "employer", "--subject", "X", "--credit-code", "91440101MA59ABCD1X" })]
    [TestCase("needs --credit-code", new[] { "--role", "employer", "--subject", "X" })]
    [TestCase("only for employers", new[] { "--role", "worker", "--subject", "X", "--credit-code", ValidCreditCode })]
    [TestCase("--role must be one of employer, worker, bureau", new[] { "--role", "root-ca", "--subject", "X" })]
    [TestCase("may not issue CA certificates (path length 0)", new[] { "--role", "city-ca", "--subject", "X", "--division", "440106000000" })]
    [TestCase("needs --division", new[] { "--role", "city-ca", "--subject", "X" })]
    [TestCase("only for employers", new[] { "--role", "validator", "--subject", "X", "--credit-code", ValidCreditCode })]
    [TestCase("outside its own", new[] { "--role", "court", "--subject", "X", "--division", "440300000000" })]
    [TestCase("--division must be a 12-digit", new[] { "--role", "court", "--subject", "X", "--division", "44010" })]
    public void Refuses_what_the_ca_must_not_certify(string expected, string[] args)
    {
        var (exit, _, error) = Issue(["--pub", Path("holder.pub"), .. args]);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(File.Exists(Path("out.pem")), Is.False);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("ledger: ").And.Contain(expected));
    }

    [Test]
    public void Refuses_the_key_of_another_ca()
    {
        var (exit, _, error) = _cli.Run("ca", "issue", "--ca-cert", Path("ca", "guangzhou.pem"), "--ca-key", Path("ca", "root.key"), "--passphrase-env", "PASS", "--allow-weak-kdf",
            "--out", Path("out.pem"), "--pub", Path("holder.pub"), "--role", "court", "--subject", "X");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("is not the key of"));
        Assert.That(File.Exists(Path("out.pem")), Is.False);
    }

    [Test]
    public void Refuses_a_ca_certificate_that_is_not_a_ca()
    {
        var (exit, _, error) = _cli.Run("ca", "issue", "--ca-cert", Path("nodes", "guangzhou", "node.pem"), "--ca-key", Path("nodes", "guangzhou", "node.key"), "--passphrase-env", "PASS",
            "--allow-weak-kdf", "--out", Path("out.pem"), "--pub", Path("holder.pub"), "--role", "court", "--subject", "X");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("is not a CA certificate"));
        Assert.That(File.Exists(Path("out.pem")), Is.False);
    }

    [Test]
    public void Refuses_both_or_neither_of_csr_and_public_key()
    {
        Assert.That(Issue("--role", "court", "--subject", "X").Error, Does.Contain("exactly one of --csr PEM and --pub PEM"));
        Assert.That(Issue("--role", "court", "--subject", "X", "--pub", Path("holder.pub"), "--csr", Path("holder.pub")).Exit, Is.EqualTo(2));
    }

    private (int Exit, string Out, string Error) IssueByRoot(params string[] args) => _cli.Run(
        ["ca", "issue", "--ca-cert", Path("ca", "root.pem"), "--ca-key", Path("ca", "root.key"), "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path("out.pem"), .. args]);

    [Test]
    public void The_root_certifies_a_city_ca_from_its_csr_with_the_profile_network_init_gives_city_cas()
    {
        Assert.That(_cli.Run("ca", "csr", "--key", Path("holder.key"), "--subject", "Shenzhen HRSS CA", "--out", Path("holder.csr"), "--passphrase-env", "PASS", "--allow-weak-kdf").Exit, Is.Zero);
        var (exit, output, error) = IssueByRoot("--csr", Path("holder.csr"), "--role", "city-ca", "--division", "440300000000");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("IntermediateCa Shenzhen HRSS CA, CA path length 0, division 440300000000"));

        var issued = LedgerCertificate.FromPem(File.ReadAllText(Path("out.pem")));
        var made = LedgerCertificate.FromPem(File.ReadAllText(Path("ca", "guangzhou.pem")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((issued.IsCa, issued.Role, issued.PathLength), Is.EqualTo((made.IsCa, made.Role, made.PathLength)));
            Assert.That((issued.IsCa, issued.PathLength), Is.EqualTo((true, (int?)0)));
            Assert.That(Constraints(issued), Is.EqualTo(Constraints(made)));
            Assert.That(Constraints(issued), Is.EqualTo((X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true, true, true)));
            Assert.That(issued.PublicKey.ToPem(), Is.EqualTo(File.ReadAllText(Path("holder.pub")).Trim() + "\n"));
            Assert.That(issued.VerifyIssuedBy(LedgerCertificate.FromPem(_genesis.RootCertificate)).IsValid, Is.True);
            Assert.That(issued.NotAfter, Is.LessThanOrEqualTo(LedgerCertificate.FromPem(_genesis.RootCertificate).NotAfter));
        }

        // The new city CA issues in turn: its validator's certificate chains to the root through it.
        Assert.That(_cli.Run("key", "new", "--out", Path("node.key"), "--passphrase-env", "PASS", "--kdf-iterations", "1000").Exit, Is.Zero);
        File.WriteAllText(Path("node.pub"), _cli.Run("key", "show", Path("node.key"), "--pem").Out);
        File.Move(Path("out.pem"), Path("shenzhen.pem"));
        var validator = _cli.Run("ca", "issue", "--ca-cert", Path("shenzhen.pem"), "--ca-key", Path("holder.key"), "--passphrase-env", "PASS", "--allow-weak-kdf",
            "--pub", Path("node.pub"), "--role", "validator", "--subject", "Shenzhen validator", "--out", Path("node.pem"));
        Assert.That(validator.Exit, Is.Zero, validator.Error);
        var chain = new CertificateChainValidator(LedgerCertificate.FromPem(_genesis.RootCertificate), [LedgerCertificate.FromPem(File.ReadAllText(Path("shenzhen.pem")))], []);
        var certificate = LedgerCertificate.FromPem(File.ReadAllText(Path("node.pem")));
        Assert.That((certificate.Role, certificate.IsCa, certificate.Division.Value), Is.EqualTo((Role.Validator, false, "440300000000")));
        Assert.That(chain.Validate(certificate, DateTimeOffset.UtcNow).IsValid, Is.True);
    }

    /// <summary>Key usage, its criticality, and the basic constraints' CA flag and criticality, as any X.509 reader sees them.</summary>
    private static (X509KeyUsageFlags Usage, bool UsageCritical, bool Ca, bool ConstraintsCritical) Constraints(LedgerCertificate certificate)
    {
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
        var usage = x509.Extensions.OfType<X509KeyUsageExtension>().Single();
        var constraints = x509.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        return (usage.KeyUsages, usage.Critical, constraints.CertificateAuthority, constraints.Critical);
    }

    [TestCase("lies below the root's", new[] { "--division", "440000000000" })]
    [TestCase("outside its own", new[] { "--division", "110100000000" })]
    [TestCase("only for employers", new[] { "--division", "440300000000", "--credit-code", ValidCreditCode })]
    public void Refuses_a_city_ca_the_root_must_not_certify(string expected, string[] args)
    {
        var (exit, _, error) = IssueByRoot(["--pub", Path("holder.pub"), "--role", "city-ca", "--subject", "X", .. args]);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(File.Exists(Path("out.pem")), Is.False);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
        Assert.That(error, Does.StartWith("ledger: ").And.Contain(expected));
    }

    [Test]
    public void A_certificate_never_outlives_its_ca()
    {
        var (exit, _, error) = Issue("--pub", Path("holder.pub"), "--role", "court", "--subject", "X", "--valid-days", "3650");
        Assert.That(exit, Is.Zero, error);
        var ca = LedgerCertificate.FromPem(File.ReadAllText(Path("ca", "guangzhou.pem")));
        Assert.That(LedgerCertificate.FromPem(File.ReadAllText(Path("out.pem"))).NotAfter, Is.EqualTo(ca.NotAfter));
    }

    [Test]
    public void The_province_makes_its_root_from_its_own_key_with_the_profile_network_init_gives_the_root()
    {
        var (exit, output, error) = _cli.Run("ca", "root", "--key", Path("holder.key"), "--subject", "Guangdong HRSS Root CA", "--division", "440000000000",
            "--out", Path("root.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("root CA Guangdong HRSS Root CA, division 440000000000, path length 1"));
        var root = LedgerCertificate.FromPem(File.ReadAllText(Path("root.pem")));
        var made = LedgerCertificate.FromPem(_genesis.RootCertificate);
        Assert.That((root.IsCa, root.Role, root.PathLength, root.Division), Is.EqualTo((made.IsCa, made.Role, made.PathLength, made.Division)));
        Assert.That(root.VerifyIssuedBy(root).IsValid, Is.True);
        Assert.That(() => new CertificateChainValidator(root, [], []), Throws.Nothing);

        var again = _cli.Run("ca", "root", "--key", Path("holder.key"), "--subject", "X", "--division", "440000000000", "--out", Path("root.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That((again.Exit, again.Error), Is.EqualTo((2, $"ledger: {Path("root.pem")} exists; a root is made once (remove it to start a new consortium)\n")));
        var city = _cli.Run("ca", "root", "--key", Path("holder.key"), "--subject", "X", "--division", "440100000000", "--out", Path("city-root.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Assert.That(city.Exit, Is.EqualTo(2));
        Assert.That(city.Error, Does.Contain("the root CA is the province's"));
    }
}
