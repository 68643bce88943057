using System.Text.Json;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.TestKit;

namespace Ledger.E2E;

/// <summary>
/// The JavaScript client (clients/js, Node.js + npm packages only, written from docs/wire-format.md and the .proto
/// files) against a real `ledger node` of a devnet made by `ledger network init`: it reads the devnet's kind of
/// certificates and encrypted key files, builds a register tx from scratch with the employer's and the worker's
/// statement signatures, submits it, waits for the commit and fetches the proof — which the C# verifier then checks
/// offline against genesis and the document.
/// </summary>
public class JsClientTests
{
    private const string PassphraseVariable = "LEDGER_JS_TEST_PASSPHRASE";
    private const string Passphrase = "js client test passphrase";

    private static readonly string RepositoryRoot = FindRepositoryRoot();
    private static readonly string ClientDirectory = Path.Combine(RepositoryRoot, "clients", "js");
    private static readonly string Example = Path.Combine(ClientDirectory, "examples", "register-contract.js");

    private DevnetFixture _devnet = null!;
    private LedgerProcess _node = null!;

    [OneTimeSetUp]
    public async Task StartDevnetNode()
    {
        InstallPackages();
        _devnet = new DevnetFixture();
        _node = LedgerProcess.Start("node", "--config", _devnet.NodeConfig());
        await _devnet.WaitHealthyAsync(0, TimeSpan.FromSeconds(90), _node);
    }

    [OneTimeTearDown]
    public void StopDevnetNode()
    {
        _node?.Dispose();
        _devnet?.Dispose();
    }

    [Test]
    public void The_js_clients_unit_tests_pass()
    {
        var run = ProcessRunner.Run("node", ["--test", "test/"], ClientDirectory, TimeSpan.FromMinutes(3));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StdOut + run.StdErr);
        Assert.That(run.StdOut, Does.Contain("# fail 0"));
    }

    [Test]
    public void A_js_client_registers_a_contract_with_both_signatures_and_its_proof_verifies_offline()
    {
        var work = _devnet.Directory.CreateSubdirectory("js-ok");
        var employer = WriteIdentity(work, "employer", _devnet.Employer.Key, _devnet.Employer.Certificate);
        var worker = WriteIdentity(work, "worker", _devnet.Worker.Key, _devnet.Worker.Certificate);
        var document = Path.Combine(work.FullName, "contract.pdf");
        File.WriteAllText(document, "劳动合同 — signed through the JavaScript client " + Guid.NewGuid());
        var proofPath = Path.Combine(work.FullName, "proof.json");

        var run = RunExample(employer, worker, document, ["--proof-out", proofPath]);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.StdErr);
        using var result = JsonDocument.Parse(run.StdOut);
        var root = result.RootElement;
        Assert.That(root.GetProperty("receiptCode").GetInt32(), Is.EqualTo(0), run.StdOut);
        Assert.That(root.GetProperty("chainId").GetString(), Is.EqualTo(_devnet.ChainId));

        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(_devnet.Directory.FullName, "genesis.json")));
        var proof = EvidenceProof.FromJson(File.ReadAllText(proofPath));
        Assert.That(proof.TxId, Is.EqualTo(root.GetProperty("txId").GetString()).IgnoreCase);
        using var file = File.OpenRead(document);
        var report = EvidenceVerifier.Verify(proof, genesis, file);
        Assert.That(report.IsValid, Is.True, report.Result.ToString());
        Assert.That(report.ContractId, Is.EqualTo(root.GetProperty("contractId").GetString()));
        Assert.That(report.Height, Is.EqualTo(ulong.Parse(root.GetProperty("height").GetString()!, System.Globalization.CultureInfo.InvariantCulture)));
        var statementSigners = report.Signers.Where(s => s.Scope == EndorsementScope.Statement).Select(s => s.KeyId).ToArray();
        Assert.That(statementSigners, Is.EquivalentTo(new[] { _devnet.Employer.Key.PublicKey.Id, _devnet.Worker.Key.PublicKey.Id }),
            "the employer's and the worker's statement signatures, made in JavaScript, verify in C#");
        Assert.That(report.Signers.Single(s => s.Scope == EndorsementScope.Body).CertificateId, Is.EqualTo(_devnet.Employer.Certificate!.Id));
    }

    [Test]
    public void A_wrong_passphrase_is_one_line_and_exit_code_2()
    {
        var work = _devnet.Directory.CreateSubdirectory("js-passphrase");
        var employer = WriteIdentity(work, "employer", _devnet.Employer.Key, _devnet.Employer.Certificate);
        var worker = WriteIdentity(work, "worker", _devnet.Worker.Key, _devnet.Worker.Certificate);
        var document = Path.Combine(work.FullName, "contract.pdf");
        File.WriteAllText(document, "contract");

        var run = RunExample(employer, worker, document, [], passphrase: "not the passphrase");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.StdOut + run.StdErr);
        Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
        Assert.That(run.StdErr, Does.Contain("wrong passphrase"));
    }

    [Test]
    public void An_employer_certified_by_a_foreign_ca_is_refused_by_the_node_and_exits_1()
    {
        // The same subject and credit code, but issued by a CA that is not the consortium's: admission refuses it.
        var foreignRootKey = Sm2PrivateKey.Generate();
        var foreign = CertificateAuthority.CreateRoot("Foreign Root CA", DivisionCode.Parse("440000"), foreignRootKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var key = Sm2PrivateKey.Generate();
        var certificate = foreign.Issue(new CertificateRequest("Foreign Employer Co.", Role.Employer, DivisionCode.Parse("440100"), key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), _devnet.EmployerCreditCode));
        var work = _devnet.Directory.CreateSubdirectory("js-foreign");
        var employer = WriteIdentity(work, "employer", key, certificate);
        var worker = WriteIdentity(work, "worker", _devnet.Worker.Key, _devnet.Worker.Certificate);
        var document = Path.Combine(work.FullName, "contract.pdf");
        File.WriteAllText(document, "contract of a foreign employer");

        var run = RunExample(employer, worker, document, []);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.StdOut + run.StdErr);
        Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
        Assert.That(run.StdErr, Does.StartWith("register-contract: "));
        Assert.That(run.StdOut, Is.Empty, "nothing was committed");
    }

    [Test]
    public void A_node_whose_certificate_does_not_chain_to_the_pinned_transport_ca_is_refused_and_nothing_is_sent()
    {
        // grpc-js pins exactly the CA it is given: another consortium's transport CA does not vouch for this node.
        var work = _devnet.Directory.CreateSubdirectory("js-foreign-transport");
        var foreign = Ledger.TestKit.Transport.TestTransport.Create(work.FullName, "foreign-node");
        var employer = WriteIdentity(work, "employer", _devnet.Employer.Key, _devnet.Employer.Certificate);
        var worker = WriteIdentity(work, "worker", _devnet.Worker.Key, _devnet.Worker.Certificate);
        var document = Path.Combine(work.FullName, "contract.pdf");
        File.WriteAllText(document, "contract sent to an unverified node " + Guid.NewGuid());

        var run = RunExample(employer, worker, document, [], transport: ["--transport-ca", foreign.CaPath]);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.StdOut + run.StdErr);
        Assert.That(run.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), run.StdErr);
        Assert.That(run.StdErr, Does.StartWith("register-contract: ").And.Contain("certificate").IgnoreCase);
        Assert.That(run.StdOut, Is.Empty, "nothing was submitted");
    }

    [Test]
    public void Plaintext_to_a_tls_node_fails_and_no_transport_choice_is_bad_usage()
    {
        var work = _devnet.Directory.CreateSubdirectory("js-plaintext");
        var employer = WriteIdentity(work, "employer", _devnet.Employer.Key, _devnet.Employer.Certificate);
        var worker = WriteIdentity(work, "worker", _devnet.Worker.Key, _devnet.Worker.Certificate);
        var document = Path.Combine(work.FullName, "contract.pdf");
        File.WriteAllText(document, "contract sent in clear " + Guid.NewGuid());

        var plaintext = RunExample(employer, worker, document, [], transport: ["--insecure"]);
        Assert.That(plaintext.ExitCode, Is.EqualTo(1), plaintext.StdOut + plaintext.StdErr);
        Assert.That(plaintext.StdErr.TrimEnd().Split('\n'), Has.Length.EqualTo(1), plaintext.StdErr);
        Assert.That(plaintext.StdOut, Is.Empty);

        var neither = RunExample(employer, worker, document, [], transport: []);
        Assert.That(neither.ExitCode, Is.EqualTo(2), neither.StdOut + neither.StdErr);
        Assert.That(neither.StdErr, Does.Contain("--transport-ca PEM"));
    }

    private sealed record Identity(string KeyFile, string? CertificateFile);

    private static Identity WriteIdentity(DirectoryInfo directory, string name, Sm2PrivateKey key, LedgerCertificate? certificate)
    {
        // The devnet's format: an encrypted ledger key file (PBKDF2-HMAC-SM3, SM4-GCM) and a PEM certificate.
        var keyFile = Path.Combine(directory.FullName, $"{name}.key");
        KeyFile.Save(keyFile, key, Passphrase, KeyFileOptions.ForTests);
        string? certificateFile = null;
        if (certificate is not null)
        {
            certificateFile = Path.Combine(directory.FullName, $"{name}.pem");
            File.WriteAllText(certificateFile, certificate.ToPem());
        }
        return new Identity(keyFile, certificateFile);
    }

    private ProcessRunner.Outcome RunExample(Identity employer, Identity worker, string document, string[] extra, string passphrase = Passphrase,
        string[]? transport = null)
    {
        string[] args =
        [
            Example, "--node", _devnet.GrpcAddress().Authority, .. transport ?? ["--transport-ca", _devnet.Transport.CaPath], "--employer-cert", employer.CertificateFile!, "--employer-key", employer.KeyFile,
            "--worker-key", worker.KeyFile, .. worker.CertificateFile is null ? Array.Empty<string>() : ["--worker-cert", worker.CertificateFile],
            "--worker-pseudonym", _devnet.WorkerPseudonym.ToHex(),
            "--passphrase-env", PassphraseVariable, "--credit-code", _devnet.EmployerCreditCode.Value, "--document", document,
            "--timeout-ms", "60000", .. extra,
        ];
        return ProcessRunner.Run("node", args, ClientDirectory, TimeSpan.FromMinutes(3), new Dictionary<string, string> { [PassphraseVariable] = passphrase });
    }

    /// <summary>`npm ci` from package-lock.json when scripts/test.sh has not already installed the client's packages.</summary>
    private static void InstallPackages()
    {
        if (File.Exists(Path.Combine(ClientDirectory, "node_modules", ".package-lock.json"))) return;
        var install = ProcessRunner.Run("npm", ["ci", "--no-audit", "--no-fund", "--prefer-offline"], ClientDirectory, TimeSpan.FromMinutes(5));
        if (install.ExitCode != 0) Assert.Fail($"npm ci in clients/js failed: {install.StdErr}");
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ledger.sln not found above the test's directory");
    }
}
