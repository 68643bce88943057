using System.Text;
using Ledger.Cli.Commands;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.TestKit.Builders;

namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger proof report</c> and <c>ledger proof report-verify</c> on real files, through the command line.</summary>
public class ReportCommandTests
{
    private const string Passphrase = "report-bureau-passphrase";
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("labour contract GZ-CLI-REPORT-1, signed");
    private string _dir = null!;
    private TestNetwork _network = null!;

    [OneTimeSetUp]
    public void WriteFiles()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-report-cli-").FullName;
        _network = TestNetwork.Create(4);
        var worker = _network.Worker;
        var envelope = TestContracts.Envelope(_network, TestContracts.Register("GZ-CLI-REPORT-1", Sm3.Hash(Document)), _network.Integrator, _network.Employer, worker);
        File.WriteAllText(Path("proof.json"), TestBlocks.Proof(_network, TestBlocks.Build(_network, 4, [envelope]), 0).ToJson());
        File.WriteAllText(Path("genesis.json"), _network.Genesis.ToJson());
        File.WriteAllText(Path("other-genesis.json"), TestNetwork.Create(1).Genesis.ToJson());
        File.WriteAllBytes(Path("contract.pdf"), Document);
        var bureau = _network.Issue("Guangzhou HRSS Bureau", Role.Bureau);
        KeyFile.Save(Path("bureau.key"), bureau.Key, Passphrase, KeyFileOptions.ForTests);
        File.WriteAllText(Path("bureau.pem"), bureau.Certificate.ToPem());
        File.WriteAllText(Path("employer.pem"), _network.Employer.Certificate.ToPem());
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_dir, recursive: true);

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    private (int Exit, string Out, string Error) Run(params string[] args) => new CliHarness().Set("PASS", Passphrase).Run(args);

    private (int Exit, string Out, string Error) Report(string output, params string[] extra) =>
        Run(["proof", "report", Path("proof.json"), "--genesis", Path("genesis.json"), "--key", Path("bureau.key"), "--cert", Path("bureau.pem"),
            "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path(output), .. extra]);

    [Test]
    public void Writes_a_signed_report_and_its_detached_signature_that_verify()
    {
        var (exit, output, error) = Report("report.pdf", "--file", Path("contract.pdf"), "--explorer", "https://explorer.example.gov.cn");

        Assert.That(exit, Is.EqualTo(ExitCode.Ok), error);
        Assert.That(output, Does.Contain("proof valid"));
        Assert.That(File.ReadAllBytes(Path("report.pdf")).AsSpan(0, 5).ToArray(), Is.EqualTo("%PDF-"u8.ToArray()));
        var (verifyExit, verifyOut, verifyError) = Run("proof", "report-verify", Path("report.pdf"), "--genesis", Path("genesis.json"), "--sig", Path("report.pdf.sig"));
        Assert.That(verifyExit, Is.EqualTo(ExitCode.Ok), verifyError);
        Assert.That(verifyOut, Does.Contain("report valid: signed by Guangzhou HRSS Bureau"));
    }

    [Test]
    public void A_report_with_one_byte_changed_or_checked_against_another_genesis_exits_1()
    {
        Assert.That(Report("tampered.pdf").Exit, Is.EqualTo(ExitCode.Ok));
        var bytes = File.ReadAllBytes(Path("tampered.pdf"));
        bytes[bytes.Length / 3] ^= 0x20;
        File.WriteAllBytes(Path("tampered.pdf"), bytes);

        var (exit, _, error) = Run("proof", "report-verify", Path("tampered.pdf"), "--genesis", Path("genesis.json"));
        Assert.That(exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(error, Does.StartWith("ledger: report not valid: ReportSignatureInvalid"));

        Assert.That(Report("other.pdf").Exit, Is.EqualTo(ExitCode.Ok));
        var (otherExit, _, otherError) = Run("proof", "report-verify", Path("other.pdf"), "--genesis", Path("other-genesis.json"));
        Assert.That(otherExit, Is.EqualTo(ExitCode.Negative));
        Assert.That(otherError, Does.Contain("UntrustedCertificate"));
    }

    [Test]
    public void A_report_of_a_failed_proof_is_still_written_and_says_so()
    {
        File.WriteAllBytes(Path("other-contract.pdf"), Encoding.UTF8.GetBytes("not the anchored contract"));

        var (exit, output, error) = Report("mismatch.pdf", "--file", Path("other-contract.pdf"));

        Assert.That(exit, Is.EqualTo(ExitCode.Ok), error);
        Assert.That(output, Does.Contain("proof NOT valid: DocumentHashMismatch"));
    }

    [Test]
    public void Bad_input_is_one_line_and_exit_2()
    {
        var cases = new[]
        {
            Run("proof", "report", Path("proof.json"), "--genesis", Path("genesis.json"), "--key", Path("bureau.key"), "--cert", Path("employer.pem"),
                "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path("x.pdf")),
            Report("y.pdf", "--explorer", "ftp://nowhere"),
            Run("proof", "report-verify", Path("missing.pdf"), "--genesis", Path("genesis.json")),
            Run("proof", "report", Path("proof.json"), "--genesis", Path("genesis.json")),
        };
        foreach (var (exit, _, error) in cases)
        {
            Assert.That(exit, Is.EqualTo(ExitCode.BadInput), error);
            Assert.That(error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(error, Does.StartWith("ledger: "));
        }
        var (notAReport, _, notAReportError) = Run("proof", "report-verify", Path("contract.pdf"), "--genesis", Path("genesis.json"));
        Assert.That(notAReport, Is.EqualTo(ExitCode.Negative));
        Assert.That(notAReportError, Does.Contain("ReportNotSigned"));
    }
}
