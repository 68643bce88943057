using Ledger.Crypto;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.TestKit.Builders;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger contract upload-paper</c> and <c>confirm-paper</c> against a real one-validator node in this process: the
/// employer's upload alone is anchored awaiting confirmation (the commit line says so); the employer cannot confirm it
/// itself, nor can another worker, each refusal one line with the receipt's code and exit 1; the named worker's Worker
/// certificate confirms it, and <c>contract show</c> says which grade it is.
/// </summary>
[NonParallelizable]
public class PaperConfirmCommandTests
{
    private DirectoryInfo _dir = null!;
    private NodeHost _node = null!;
    private CliHarness _cli = null!;
    private string _net = null!;
    private string[] _nodeArgs = null!;

    [OneTimeSetUp]
    public async Task StartNode()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-paper-cli-");
        _cli = new CliHarness();
        _net = Path.Combine(_dir.FullName, "net");
        var init = _cli.Run("network", "init", "--preset", "devnet", "--validators", "1", "--out", _net, "--kdf-iterations", "1000");
        Assert.That(init.Exit, Is.Zero, init.Out + init.Error);
        var passphrase = File.ReadAllText(Path.Combine(_net, "passphrase")).Trim();
        _cli.Set("PASS", passphrase);
        var config = NodeConfig.Load(Path.Combine(_net, "nodes", "guangdong", "config.json")) with { GrpcListen = "127.0.0.1:0", HttpListen = "127.0.0.1:0" };
        _node = await NodeHost.StartAsync(config, logging: _ => { });
        _nodeArgs = ["--node", _node.GrpcEndpoint.ToString(), "--transport-ca", Path.Combine(_net, "transport-ca.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf"];

        // Someone else the Guangzhou bureau enrolled: a genuine Worker certificate, of another person.
        var stooge = TestWorkers.Issue(TestWorkers.LoadCityCa(_net, "guangzhou", passphrase), TestWorkers.ReadPseudonymKey(_net), "440106199202020023", "stooge");
        KeyFile.Save(Identity("stooge.key"), stooge.Key, passphrase, KeyFileOptions.ForTests);
        File.WriteAllText(Identity("stooge.pem"), stooge.Certificate!.ToPem());
        File.WriteAllText(Path.Combine(_dir.FullName, "scan.pdf"), "paper contract GZ-PAPER-CLI-1, scanned");
    }

    [OneTimeTearDown]
    public async Task StopNode()
    {
        await _node.DisposeAsync();
        _dir.Delete(recursive: true);
    }

    private string Identity(string file) => Path.Combine(_net, "identities", file);

    private (int Exit, string Out, string Error) Contract(string verb, params string[] args) =>
        _cli.Run(["contract", verb, "--key", Identity("employer.key"), "--cert", Identity("employer.pem"), .. _nodeArgs, .. args]);

    [Test]
    public void An_employer_upload_awaits_the_worker_and_only_the_named_worker_confirms_it()
    {
        var pseudonym = File.ReadAllText(Identity("worker.pseudonym")).Trim();
        var scan = Path.Combine(_dir.FullName, "scan.pdf");
        var upload = Contract("upload-paper", "--id", "GZ-PAPER-CLI-1", "--document", scan, "--format", "pdf", "--employer-credit-code", "91440101MA59ABCD1D",
            "--worker-pseudonym", pseudonym, "--type", "fixed-term", "--start", "2024-07-01", "--end", "2027-06-30", "--place", "440106000000", "--industry", "I6510",
            "--signed-on", "2024-06-20");
        Assert.That(upload.Exit, Is.Zero, upload.Error);
        Assert.That(upload.Out, Does.Contain("UploadPaper GZ-PAPER-CLI-1 version 1 (warnings: AwaitingConfirmation)"));
        Assert.That(Show(), Does.Contain("contract GZ-PAPER-CLI-1: PendingConfirmation, evidence PaperScan, version in force 0"));

        var alone = Contract("confirm-paper", "--id", "GZ-PAPER-CLI-1", "--document", scan);
        Assert.That(alone.Exit, Is.EqualTo(1));
        Assert.That(alone.Error, Does.Contain("refused by the chaincode: MissingWorkerSignature"));
        Assert.That(alone.Error.TrimEnd('\n'), Does.Not.Contain('\n'), "one line");

        var byStooge = Contract("confirm-paper", "--id", "GZ-PAPER-CLI-1", "--document", scan, "--worker-key", Identity("stooge.key"), "--worker-cert", Identity("stooge.pem"));
        Assert.That(byStooge.Exit, Is.EqualTo(1));
        Assert.That(byStooge.Error, Does.Contain("refused by the chaincode: WrongWorker"));

        var byEmployerWithReference = Contract("confirm-paper", "--id", "GZ-PAPER-CLI-1", "--document", scan, "--attestation", "GZ-ARCHIVE-9",
            "--worker-key", Identity("worker.key"), "--worker-cert", Identity("worker.pem"));
        Assert.That((byEmployerWithReference.Exit, byEmployerWithReference.Error.Contains("refused by the chaincode: InvalidFieldValue", StringComparison.Ordinal)),
            Is.EqualTo((1, true)), "only a bureau names an archive reference: " + byEmployerWithReference.Error);
        Assert.That(Show(), Does.Contain("PendingConfirmation"));

        var byWorker = Contract("confirm-paper", "--id", "GZ-PAPER-CLI-1", "--document", scan, "--worker-key", Identity("worker.key"), "--worker-cert", Identity("worker.pem"));
        Assert.That(byWorker.Exit, Is.Zero, byWorker.Error);
        Assert.That(byWorker.Out, Does.Contain("ConfirmPaper GZ-PAPER-CLI-1 version 1"));
        Assert.That(Show(), Does.Contain("contract GZ-PAPER-CLI-1: Effective, evidence PaperScanWorkerConfirmed, version in force 1"));
    }

    private string Show()
    {
        var (exit, output, error) = _cli.Run(["contract", "show", "GZ-PAPER-CLI-1", "--cert", Identity("employer.pem"), "--key", Identity("employer.key"), .. _nodeArgs]);
        Assert.That(exit, Is.Zero, error);
        return output;
    }
}
