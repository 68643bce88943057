using Ledger.Chain;
using Ledger.Chain.Admission;
using Ledger.Chain.Execution;
using Ledger.Chain.Pool;
using Ledger.Chain.Production;
using Ledger.Chaincode;
using Ledger.Cli.Tests.Commands;
using Ledger.Core;
using Ledger.Core.Contracts;
using Ledger.Core.Evidence;
using Ledger.Core.Transactions;
using Ledger.Crypto;
using Ledger.Storage;
using Ledger.TestKit;
using Ledger.TestKit.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Node.Tests.Evidence;

/// <summary>
/// <c>ledger proof report</c> on a contract bundle from a real chain (chaincode, state tree, sealed blocks): a contract
/// registered, signed, changed and signed again, so version 1 is superseded. The PDF is read back with poppler's
/// pdftotext; a bundle that does not verify gets no report.
/// </summary>
public class ContractReportCommandTests
{
    private const string Contract = "GZ-REPORT-BUNDLE-1";
    private const string Passphrase = "report-bureau-passphrase";
    private static readonly byte[] DocumentV1 = "labour contract GZ-REPORT-BUNDLE-1, version 1"u8.ToArray();
    private static readonly byte[] DocumentV2 = "labour contract GZ-REPORT-BUNDLE-1, version 2: place of work changed"u8.ToArray();

    private TestConsortium _consortium = null!;
    private LedgerChain _chain = null!;
    private readonly List<Hash32> _events = [];
    private string _dir = null!;

    [OneTimeSetUp]
    public void BuildChain()
    {
        _consortium = new TestConsortium(validators: 1);
        var hasher = Sm3Hasher.Instance;
        var store = new BlockStore(new InMemoryKeyValueStore(), hasher);
        var chaincode = new LabourContractChaincode(LabourContractOptions.Guangdong);
        var admission = new TxAdmission(_consortium.ChainId, chaincode, new CertificateRegistry(_consortium.ChainValidator(), hasher), hasher, new StoreReplayIndex(store));
        _chain = new LedgerChain("test", _consortium.Genesis, _consortium.GenesisBytes, store, admission, new Mempool(), new Ledger.Chain.Governance.ValidatorSets(_consortium.Genesis, hasher), hasher, TimeProvider.System, new ChainMetrics());
        var validator = _consortium.Validators[0];
        var producer = new SoloProducer(_chain, new BlockExecutor(_consortium.ChainId, chaincode, hasher),
            new BlockSealer(_consortium.ChainId, new NodeIdentity(validator.Name, validator.Certificate!, validator.Key)),
            new ProducerOptions(), TimeProvider.System, NullLogger<SoloProducer>.Instance);
        void Commit(TxEnvelope envelope)
        {
            var submitted = _chain.Submit(envelope.Encode());
            Assert.That(submitted.Result.IsValid, Is.True, submitted.Result.ToString());
            Assert.That(producer.ProduceBlock(), Is.Not.Null);
            _events.Add(submitted.TxId!.Value);
        }
        var v1 = Sm3.Hash(DocumentV1);
        var v2 = Sm3.Hash(DocumentV2);
        var worker = _consortium.WorkerOf(Contract);
        var register = _consortium.Register(Contract, v1);
        Commit(_consortium.Transaction(register, _consortium.Employer, [_consortium.Employer]));
        Commit(_consortium.Transaction(new SignPayload { ContractId = Contract, Version = 1, DocumentHash = v1 }, _consortium.Employer, [_consortium.Employer, worker]));
        Commit(_consortium.Transaction(new ChangePayload { ContractId = Contract, BaseVersion = 1, DocumentHash = v2, DocumentFormat = DocumentFormat.Pdf, Terms = register.Terms },
            _consortium.Employer, [_consortium.Employer]));
        Commit(_consortium.Transaction(new SignPayload { ContractId = Contract, Version = 2, DocumentHash = v2 }, _consortium.Employer, [_consortium.Employer, worker]));

        _dir = Directory.CreateTempSubdirectory("ledger-bundle-report-").FullName;
        File.WriteAllText(Path("genesis.json"), _consortium.Genesis.ToJson());
        File.WriteAllText(Path("bundle.json"), _chain.GetContractEvidence(Contract, null)!.ToJson());
        File.WriteAllBytes(Path("contract-v1.pdf"), DocumentV1);
        File.WriteAllBytes(Path("contract-v2.pdf"), DocumentV2);
        KeyFile.Save(Path("bureau.key"), _consortium.Bureau.Key, Passphrase, KeyFileOptions.ForTests);
        File.WriteAllText(Path("bureau.pem"), _consortium.Bureau.Certificate!.ToPem());
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_dir, recursive: true);

    [SetUp]
    public void RequirePoppler()
    {
        if (!File.Exists("/usr/bin/pdftotext")) Assert.Ignore("poppler-utils is not installed (scripts/test.sh installs it)");
    }

    private string Path(string name) => System.IO.Path.Combine(_dir, name);

    private static (int Exit, string Out, string Error) Run(params string[] args) => new CliHarness().Set("PASS", Passphrase).Run(args);

    private (int Exit, string Out, string Error) Report(string bundle, string output, params string[] extra) =>
        Run(["proof", "report", Path(bundle), "--genesis", Path("genesis.json"), "--key", Path("bureau.key"), "--cert", Path("bureau.pem"),
            "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path(output), .. extra]);

    private string Text(string pdf)
    {
        var outcome = ProcessRunner.Run("/usr/bin/pdftotext", ["-layout", Path(pdf), "-"], timeout: TimeSpan.FromSeconds(30));
        Assert.That(outcome.ExitCode, Is.Zero, outcome.StdErr);
        return outcome.StdOut;
    }

    [Test]
    public void A_bundle_report_lists_every_event_in_order_and_says_version_1_is_superseded()
    {
        var (exit, output, error) = Report("bundle.json", "bundle-report.pdf");

        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("contract bundle valid").And.Contain("version 1 superseded"));
        var text = Text("bundle-report.pdf");
        Assert.That(text, Does.Contain("电子劳动合同存证核验报告（合同全部事件）"));
        Assert.That(text, Does.Contain(Contract));
        var at = _events.Select(id => text.IndexOf(id.ToHex(), StringComparison.Ordinal)).ToArray();
        Assert.That(at, Has.All.GreaterThanOrEqualTo(0), "every event is listed");
        Assert.That(at, Is.Ordered, "in the order of the history");
        foreach (var id in _events)
        {
            var tx = _chain.GetTransaction(id)!;
            Assert.That(text, Does.Contain(tx.BlockHash.ToHex()), $"the block hash of the event at height {tx.Height}");
        }
        Assert.That(text, Does.Contain("第 1 版已被取代，现行有效的是第 2 版"), "superseded, as the bundle's state proof shows");
        Assert.That(text, Does.Contain("SUPERSEDED"));
        Assert.That(text, Does.Contain("履行中 Effective"));
        Assert.That(text, Does.Contain("时间担保 Time bound").And.Contain("±"), "the PBTS bound of each event's block");
        Assert.That(System.Text.RegularExpressions.Regex.Matches(text, "时间担保 Time bound").Count, Is.EqualTo(_events.Count));
        Assert.That(text, Does.Contain(_consortium.Genesis.Validators[0].DisplayName), "sealers by the name genesis gives them");

        var (verifyExit, verifyOut, verifyError) = Run("proof", "report-verify", Path("bundle-report.pdf"), "--genesis", Path("genesis.json"), "--sig", Path("bundle-report.pdf.sig"));
        Assert.That(verifyExit, Is.EqualTo(0), verifyError);
        Assert.That(verifyOut, Does.Contain("report valid: signed by Guangzhou HRSS Bureau"));
        var bytes = File.ReadAllBytes(Path("bundle-report.pdf"));
        bytes[bytes.Length / 3] ^= 0x20;
        File.WriteAllBytes(Path("bundle-report-changed.pdf"), bytes);
        Assert.That(Run("proof", "report-verify", Path("bundle-report-changed.pdf"), "--genesis", Path("genesis.json")).Exit, Is.EqualTo(1));
    }

    [Test]
    public void With_a_file_the_report_names_its_version_and_whether_it_is_superseded()
    {
        var (exit, output, error) = Report("bundle.json", "v1.pdf", "--file", Path("contract-v1.pdf"));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("contract-v1.pdf is version 1"));
        Assert.That(Text("v1.pdf"), Does.Contain("所附文件 contract-v1.pdf 为第 1 版的存证文件").And.Contain("该版本已被取代"));

        Assert.That(Report("bundle.json", "v2.pdf", "--file", Path("contract-v2.pdf")).Exit, Is.EqualTo(0));
        Assert.That(Text("v2.pdf"), Does.Contain("contract-v2.pdf 为第 2 版").And.Not.Contain("该版本已被取代"));

        Assert.That(Report("bundle.json", "none.pdf", "--file", Path("genesis.json")).Exit, Is.EqualTo(0));
        Assert.That(Text("none.pdf"), Does.Contain("不是该合同任何事件的存证文件"));
    }

    [Test]
    public void A_bundle_that_does_not_verify_gets_no_report_and_exit_1()
    {
        var bundle = ContractEvidence.FromJson(File.ReadAllText(Path("bundle.json")));
        var header = Convert.FromBase64String(bundle.Header);
        header[^5] ^= 0x01;
        var tampered = new (string Name, ContractEvidence Bundle, string Code)[]
        {
            ("missing.json", bundle with { Events = [.. bundle.Events.Skip(1)] }, "MissingEvent"),
            ("reordered.json", bundle with { Events = [bundle.Events[1], bundle.Events[0], .. bundle.Events.Skip(2)] }, "EventsOutOfOrder"),
            ("header.json", bundle with { Header = Convert.ToBase64String(header) }, ""),
        };
        foreach (var (name, changed, code) in tampered)
        {
            File.WriteAllText(Path(name), changed.ToJson());
            var output = name + ".pdf";
            var (exit, _, error) = Report(name, output);
            Assert.That(exit, Is.EqualTo(1), $"{name}: {error}");
            Assert.That(error, Does.StartWith("ledger: contract bundle invalid: " + code), name);
            Assert.That(error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), error);
            Assert.That(File.Exists(Path(output)) || File.Exists(Path(output + ".sig")), Is.False, $"{name}: no report written");
        }

        // Another chain's genesis: a sound bundle of another network is no evidence here.
        File.WriteAllText(Path("other-genesis.json"), new TestConsortium(validators: 1).Genesis.ToJson());
        var (otherExit, _, otherError) = Run("proof", "report", Path("bundle.json"), "--genesis", Path("other-genesis.json"), "--key", Path("bureau.key"),
            "--cert", Path("bureau.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf", "--out", Path("other.pdf"));
        Assert.That(otherExit, Is.EqualTo(1), otherError);
        Assert.That(File.Exists(Path("other.pdf")), Is.False);

        var (usage, _, usageError) = Report("bundle.json", "qr.pdf", "--explorer", "https://explorer.example.gov.cn");
        Assert.That(usage, Is.EqualTo(2), usageError);
    }
}
