using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;
using Ledger.Signer;
using Ledger.Signer.Hosting;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger network init</c> gives each city bureau an operator, and <c>ledger signer enrol</c> / <c>audit</c> sign their
/// calls with it against a real signer (the one network init configured, on free ports, no anchoring): the enrolment is
/// audited under the operator; a Worker certificate as "operator" is refused in one line, exit 1; bad usage is exit 2.
/// </summary>
[NonParallelizable]
public class SignerOperatorCommandTests
{
    private const string WorkerId = "44010619850315002X";
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-signer-cli-");
        _cli = new CliHarness();
        var (exit, _, error) = _cli.Run(["network", "init", "--preset", "devnet", "--validators", "2", "--out", _dir.FullName, "--kdf-iterations", "1000"]);
        Assert.That(exit, Is.Zero, error);
        _cli.Set("PASS", File.ReadAllText(Path.Combine(_dir.FullName, "passphrase")).Trim()).Set("WORKER_ID", WorkerId).Set("WORKER_PIN", "271828");
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string Path_(params string[] parts) => Path.Combine([_dir.FullName, .. parts]);

    [Test]
    public void Every_city_bureau_gets_an_operator_certificate_from_its_own_ca()
    {
        foreach (var city in new[] { "guangzhou" })
        {
            var certificate = LedgerCertificate.FromPem(File.ReadAllText(Path_("operators", city, "operator.pem")));
            var ca = LedgerCertificate.FromPem(File.ReadAllText(Path_("ca", $"{city}.pem")));
            Assert.That(certificate.Role, Is.EqualTo(Role.Operator), "the narrower role: enrols at the signer, nothing on chain");
            Assert.That(certificate.VerifyIssuedBy(ca).IsValid, Is.True, "issued by the city's own CA");
            Assert.That(certificate.CommonName, Does.Contain("devnet shortcut"));
            using var key = Crypto.KeyFile.Load(Path_("operators", city, "operator.key"), File.ReadAllText(Path_("passphrase")).Trim(), Crypto.KeyFileOptions.ForTests);
            Assert.That(key.PublicKey, Is.EqualTo(certificate.PublicKey));
        }
        Assert.That(File.Exists(Path_("signers", "guangzhou", "operator-token")), Is.False, "no shared operator token any more");
        Assert.That(File.ReadAllText(Path_("signers", "guangzhou", "config.json")), Does.Not.Contain("operatorToken"));
    }

    [Test]
    public async Task An_operator_enrols_a_worker_and_reads_the_audit_naming_them_and_a_worker_certificate_is_refused()
    {
        // The city's CA process as network init wrote it (mutual TLS, the signer's TLS name allowed), then its signer.
        var caConfig = Signer.Ca.CaConfig.Load(Path_("ca-services", "guangzhou", "config.json")) with { GrpcListen = "127.0.0.1:0" };
        await using var ca = await Signer.Ca.CaHost.StartAsync(caConfig, default, _ => { });
        var config = SignerConfig.Load(Path_("signers", "guangzhou", "config.json")) with
        {
            GrpcListen = "127.0.0.1:0", HttpListen = "127.0.0.1:0", NodeUrl = null, CaUrl = ca.GrpcEndpoint.ToString().TrimEnd('/'),
        };
        await using var host = await SignerHost.StartAsync(config, default, _ => { });
        var signer = host.GrpcEndpoint.ToString().TrimEnd('/');
        string[] common = ["--signer", signer, "--transport-ca", Path_("transport-ca.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf"];
        string[] asOperator = [.. common, "--operator-cert", Path_("operators", "guangzhou", "operator.pem"), "--operator-key", Path_("operators", "guangzhou", "operator.key")];

        var outPath = Path_("enrolled.pem");
        var (exit, output, error) = _cli.Run(["signer", "enrol", .. asOperator, "--person", "--id-number-env", "WORKER_ID", "--pin-env", "WORKER_PIN", "--out", outPath]);
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Match("holder [0-9a-f]{64}"));
        Assert.That(output, Does.Contain("pseudonym "));
        Assert.That(output + error, Does.Not.Contain(WorkerId));
        Assert.That(LedgerCertificate.FromPem(File.ReadAllText(outPath)).Role, Is.EqualTo(Role.Worker));

        (exit, output, error) = _cli.Run(["signer", "enrol", .. asOperator, "--organisation", "CLI Example Co.", "--credit-code", "91440101MA59ABCD1D", "--pin-env", "WORKER_PIN"]);
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("certificate Employer \"CLI Example Co.\""));

        (exit, output, error) = _cli.Run(["signer", "audit", .. asOperator]);
        Assert.That(exit, Is.Zero, error);
        var operatorCertificate = LedgerCertificate.FromPem(File.ReadAllText(Path_("operators", "guangzhou", "operator.pem")));
        Assert.That(output.Split('\n').Count(l => l.Contains(" Enrolled ", StringComparison.Ordinal) && l.Contains(operatorCertificate.Id.ToHex(), StringComparison.Ordinal)),
            Is.EqualTo(2), output);
        Assert.That(output, Does.Contain("chain intact to 3"), "two enrolments and this read");
        Assert.That(ca.Ca.Issued, Is.EqualTo(2), "the CA process issued both certificates");
        Assert.That(File.ReadAllText(Path_("ca-services", "guangzhou", "data", "issued.log")), Does.Contain(operatorCertificate.Id.ToHex()).And.Not.Contain(WorkerId));

        // The devnet's example worker is no operator: refused by the signer, one line, exit 1.
        (exit, _, error) = _cli.Run(["signer", "enrol", .. common, "--operator-cert", Path_("identities", "worker.pem"), "--operator-key", Path_("identities", "worker.key"),
            "--person", "--id-number-env", "WORKER_ID", "--pin-env", "WORKER_PIN"]);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("WrongCertificateRole"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void Bad_usage_is_one_line_and_exit_2()
    {
        string[] asOperator = ["--signer", "https://127.0.0.1:1", "--operator-cert", Path_("operators", "guangzhou", "operator.pem"), "--operator-key", Path_("operators", "guangzhou", "operator.key"),
            "--passphrase-env", "PASS", "--pin-env", "WORKER_PIN"];
        foreach (var args in new string[][]
        {
            ["signer", "enrol", .. asOperator],
            ["signer", "enrol", .. asOperator, "--person"],
            ["signer", "enrol", .. asOperator, "--person", "--id-number-env", "WORKER_ID", "--organisation", "X"],
            ["signer", "enrol", .. asOperator, "--organisation", "X"],
            ["signer", "enrol", .. asOperator, "--person", "--id-number-env", "UNSET_VARIABLE"],
            ["signer"],
        })
        {
            var (exit, _, error) = _cli.Run(args);
            Assert.That(exit, Is.EqualTo(2), string.Join(' ', args) + ": " + error);
            Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        }
    }
}
