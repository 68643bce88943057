using System.Text;
using Ledger.Client.Evidence;
using Ledger.Core;
using Ledger.Core.Evidence;
using Ledger.Crypto;
using Ledger.Cli.Commands;
using Ledger.Cli.Tests.Commands;
using Ledger.TestKit.Builders;

namespace Ledger.Node.Tests.Grpc;

/// <summary>The contract, find and proof-get commands against a node over real gRPC, with key files and PEM certificates on disk.</summary>
public class CliOverGrpcTests
{
    private const string Passphrase = "correct horse battery staple";
    private TestNetwork _network = null!;
    private FakeLedgerApi _api = null!;
    private GrpcTestHost _host = null!;
    private string _dir = null!;
    private string _document = null!;
    private readonly Dictionary<string, string> _files = [];

    [OneTimeSetUp]
    public async Task StartNode()
    {
        _network = TestNetwork.Create(4);
        _api = new FakeLedgerApi(_network);
        _host = await GrpcTestHost.StartAsync(_api, network: _network);
        _dir = Directory.CreateTempSubdirectory("ledger-cli-grpc-").FullName;
        _files["employer.key"] = SaveKey("employer.key", _network.Employer.Key);
        _files["employer.pem"] = Save("employer.pem", _network.Employer.Certificate.ToPem());
        _files["worker.key"] = SaveKey("worker.key", _network.Worker.Key);
        _files["worker.pem"] = Save("worker.pem", _network.Worker.Certificate.ToPem());
        _document = Save("contract.pdf", "labour contract GZ-CLI-G-1, the signed PDF");
        // The node commits whatever is submitted, as soon as it is: the commands wait for it.
        _ = Task.Run(async () =>
        {
            while (_host is not null)
            {
                await Task.Delay(20);
                if (_api.GetChainInfo().MempoolCount > 0) _api.CommitPending();
            }
        });
    }

    [OneTimeTearDown]
    public async Task StopNode()
    {
        var host = _host;
        _host = null!;
        await host.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Save(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string SaveKey(string name, Sm2PrivateKey key)
    {
        var path = Path.Combine(_dir, name);
        KeyFile.Save(path, key, Passphrase, KeyFileOptions.ForTests);
        return path;
    }

    private (int Exit, string Out, string Error) Run(params string[] args) => new CliHarness().Set("PASS", Passphrase).Run(args);

    /// <summary>The employer's certificate and key, to sign a call.</summary>
    private string[] Caller() => ["--key", _files["employer.key"], "--cert", _files["employer.pem"], "--passphrase-env", "PASS", "--allow-weak-kdf"];

    /// <summary>The employer's certificate and key sign the call.</summary>
    private string[] AsEmployer(params string[] args) =>
        [.. args, "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--key", _files["employer.key"], "--cert", _files["employer.pem"], "--passphrase-env", "PASS", "--allow-weak-kdf"];

    private string[] Signed(params string[] args) =>
    [
        .. args, "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--key", _files["employer.key"], "--cert", _files["employer.pem"], "--passphrase-env", "PASS", "--allow-weak-kdf",
        "--employer-key", _files["employer.key"], "--employer-cert", _files["employer.pem"], "--worker-key", _files["worker.key"],
        "--worker-cert", _files["worker.pem"],
    ];

    [Test]
    public void Register_then_find_show_and_fetch_a_proof_that_verifies()
    {
        var register = Run(Signed("contract", "register", "--id", "GZ-CLI-G-1", "--document", _document, "--format", "pdf",
            "--employer-credit-code", TestNetwork.EmployerCreditCode.Value, "--worker-pseudonym", TestNetwork.WorkerPseudonymValue.ToHex(),
            "--type", "fixed-term", "--start", "2024-07-01", "--end", "2027-06-30", "--place", "440106000000", "--industry", "I6510"));
        Assert.That(register.Exit, Is.EqualTo(ExitCode.Ok), register.Error);
        Assert.That(register.Out, Does.Contain("committed at height"));
        var txId = register.Out.Split('\n')[0].Split(' ')[1];

        var find = Run(AsEmployer("find", "--file", _document));
        Assert.That(find.Exit, Is.EqualTo(ExitCode.Ok), find.Error);
        Assert.That(find.Out, Does.Contain($"Register GZ-CLI-G-1 version 1 tx {txId} receipt Ok"));

        var anonymous = Run("find", "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--file", _document);
        Assert.That(anonymous.Exit, Is.EqualTo(ExitCode.Ok), anonymous.Error);
        Assert.That(anonymous.Out, Does.Contain($"Register contract status").And.Contain($"tx {txId} receipt Ok"));
        Assert.That(anonymous.Out, Does.Not.Contain("GZ-CLI-G-1"), "the public view names no contract");

        var proofPath = Path.Combine(_dir, "proof.json");
        var refused = Run("proof", "get", "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--tx", txId, "--out", proofPath);
        Assert.That(refused.Exit, Is.EqualTo(ExitCode.BadInput), "a proof is fetched by a signed call");
        var get = Run(AsEmployer("proof", "get", "--tx", txId, "--out", proofPath));
        Assert.That(get.Exit, Is.EqualTo(ExitCode.Ok), get.Error);
        var report = EvidenceVerifier.Verify(EvidenceProof.FromJson(File.ReadAllText(proofPath)), _network.Genesis, File.OpenRead(_document));
        Assert.That(report.Result, Is.EqualTo(ValidationResult.Valid));
        Assert.That(report.Signers.Select(s => s.Scope.ToString()), Is.EqualTo(new[] { "Body", "Statement", "Statement" }));

        var genesis = Save("genesis.json", _network.Genesis.ToJson());
        var verify = Run("proof", "verify", proofPath, "--genesis", genesis, "--file", _document);
        Assert.That(verify.Exit, Is.EqualTo(ExitCode.Ok), verify.Error);
    }

    [Test]
    public void Proof_get_contract_writes_the_bundle_the_node_serves_and_refuses_bad_heights()
    {
        var register = Run(Signed("contract", "register", "--id", "GZ-CLI-G-B", "--document", _document, "--format", "pdf",
            "--employer-credit-code", TestNetwork.EmployerCreditCode.Value, "--worker-pseudonym", TestNetwork.WorkerPseudonymValue.ToHex(),
            "--type", "fixed-term", "--start", "2024-07-01", "--end", "2027-06-30", "--place", "440106000000", "--industry", "I6510"));
        Assert.That(register.Exit, Is.EqualTo(ExitCode.Ok), register.Error);
        var path = Path.Combine(_dir, "bundle.json");

        var get = Run(AsEmployer("proof", "get", "--contract", "GZ-CLI-G-B", "--out", path));
        Assert.That(get.Exit, Is.EqualTo(ExitCode.Ok), get.Error);
        Assert.That(get.Out, Does.Contain("contract GZ-CLI-G-B at height"));
        var bundle = ContractEvidence.FromJson(File.ReadAllText(path));
        Assert.That(bundle.ContractId, Is.EqualTo("GZ-CLI-G-B"));
        Assert.That(bundle.Height, Is.EqualTo(_api.GetChainInfo().Height));

        var zero = Run("proof", "get", "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--contract", "GZ-CLI-G-B", "--height", "0", "--out", path);
        Assert.That(zero.Exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(zero.Error, Does.Contain("--height"));
        var ahead = Run(AsEmployer("proof", "get", "--contract", "GZ-CLI-G-B", "--height", "999999", "--out", path));
        Assert.That(ahead.Exit, Is.EqualTo(ExitCode.Negative), ahead.Error);
        Assert.That(ahead.Error, Does.Contain("UnknownBlock").Or.Contain("not found").IgnoreCase);
        var both = Run("proof", "get", "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--contract", "GZ-CLI-G-B", "--tx", new string('a', 64), "--out", path);
        Assert.That(both.Exit, Is.EqualTo(ExitCode.BadInput));
    }

    [Test]
    public void Dissolve_builds_the_statement_from_its_flags()
    {
        var document = TestContracts.Document("GZ-CLI-G-2", 1).ToHex();

        var dissolve = Run(Signed("contract", "dissolve", "--id", "GZ-CLI-G-2", "--version", "1", "--document-hash", document,
            "--basis", "art36-agreement", "--effective", "2025-01-31"));

        Assert.That(dissolve.Exit, Is.EqualTo(ExitCode.Ok), dissolve.Error);
        var txId = Hash32.Parse(dissolve.Out.Split('\n')[0].Split(' ')[1]);
        var committed = _api.GetTransaction(txId)!;
        var payload = (Ledger.Core.Contracts.DissolvePayload)Ledger.Core.Contracts.ContractPayloads.Decode(committed.Decode().Body);
        Assert.That(payload.Basis, Is.EqualTo(Ledger.Core.Contracts.DissolutionBasis.Art36Agreement));
        Assert.That(payload.EffectiveDate.ToNumber(), Is.EqualTo(20250131u));
    }

    [Test]
    public void A_refusal_by_the_chaincode_exits_1_with_its_code()
    {
        _api.Execute = _ => ErrorCode.ContractNotFound;
        try
        {
            var sign = Run(Signed("contract", "sign", "--id", "GZ-CLI-G-3", "--version", "1", "--document-hash", TestContracts.Document("GZ-CLI-G-3", 1).ToHex()));

            Assert.That(sign.Exit, Is.EqualTo(ExitCode.Negative));
            Assert.That(sign.Error, Does.Contain("refused by the chaincode: ContractNotFound"));
        }
        finally
        {
            _api.Execute = _ => ErrorCode.Ok;
        }
    }

    [Test]
    public void A_refusal_at_admission_exits_1_with_its_code_on_one_line()
    {
        _api.NextRefusal = ValidationResult.Fail(ErrorCode.CertificateRevoked, "the employer's certificate was revoked");

        var sign = Run(Signed("contract", "sign", "--id", "GZ-CLI-G-4", "--version", "1", "--document-hash", TestContracts.Document("GZ-CLI-G-4", 1).ToHex()));

        Assert.That(sign.Exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(sign.Error, Does.StartWith("ledger: node ").And.Contain("CertificateRevoked"));
        Assert.That(sign.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
    }

    [Test]
    public void Bad_flags_exit_2_before_anything_is_submitted()
    {
        var before = _api.Submissions;

        var badBasis = Run(Signed("contract", "dissolve", "--id", "X", "--version", "1", "--document-hash", new string('0', 64), "--basis", "because", "--effective", "2025-01-31"));
        var badDate = Run(Signed("contract", "dissolve", "--id", "X", "--version", "1", "--document-hash", new string('0', 64), "--basis", "art36-agreement", "--effective", "2025-02-30"));
        var twoDocuments = Run(Signed("contract", "sign", "--id", "X", "--version", "1", "--document-hash", new string('0', 64), "--document", _document));

        Assert.That(new[] { badBasis.Exit, badDate.Exit, twoDocuments.Exit }, Is.All.EqualTo(ExitCode.BadInput));
        Assert.That(badBasis.Error, Does.Contain("art36-agreement"));
        Assert.That(_api.Submissions, Is.EqualTo(before));
    }

    [Test]
    public void Unknown_things_exit_1_and_an_unreachable_node_is_one_line()
    {
        var find = Run("find", "--node", _host.Address, "--transport-ca", _host.Transport.CaPath, "--hash", Sm3.Hash(Encoding.UTF8.GetBytes("never")).ToHex());
        var show = Run(AsEmployer("contract", "show", "GZ-NOBODY"));
        var get = Run(AsEmployer("proof", "get", "--tx", new string('a', 64), "--out", Path.Combine(_dir, "none.json")));
        var down = Run([.. AsEmployer("contract", "show", "GZ-NOBODY").Select(a => a == _host.Address ? "https://127.0.0.1:1" : a)]);

        Assert.That(new[] { find.Exit, show.Exit, get.Exit, down.Exit }, Is.All.EqualTo(ExitCode.Negative));
        Assert.That(down.Error, Does.Contain("Unavailable"));
        Assert.That(down.Error.TrimEnd('\n'), Does.Not.Contain("\n"));
    }

    [Test]
    public void Plaintext_needs_insecure_and_a_node_outside_the_pinned_ca_is_refused()
    {
        var plain = Run("contract", "show", "--node", "http://127.0.0.1:1", "GZ-NOBODY");
        Assert.That(plain.Exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(plain.Error, Does.Contain("--insecure"));

        var other = Directory.CreateTempSubdirectory("ledger-other-ca-");
        try
        {
            var foreign = TestKit.Transport.TestTransport.Create(other.FullName);
            var refused = Run(["contract", "show", "--node", _host.Address, "--transport-ca", foreign.CaPath, "GZ-NOBODY", .. Caller()]);
            Assert.That(refused.Exit, Is.EqualTo(ExitCode.Negative), refused.Error);
            Assert.That(refused.Error, Does.Contain("SSL").Or.Contain("certificate"));
            var viaEnvironment = new CliHarness().Set("PASS", Passphrase).Set("LEDGER_TRANSPORT_CA", foreign.CaPath).Run(["contract", "show", "--node", _host.Address, "GZ-NOBODY", .. Caller()]);
            Assert.That(viaEnvironment.Exit, Is.EqualTo(ExitCode.Negative), "$LEDGER_TRANSPORT_CA is pinned too");
            var missing = Run(["contract", "show", "--node", _host.Address, "--transport-ca", Path.Combine(other.FullName, "nope.pem"), "GZ-NOBODY", .. Caller()]);
            Assert.That(missing.Exit, Is.EqualTo(ExitCode.BadInput));
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }
}
