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
    [TestCase("--role must be one of employer, worker, bureau", new[] { "--role", "validator", "--subject", "X" })]
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
}
