using System.Text;
using Ledger.Core.Evidence;
using Ledger.Crypto;
using Ledger.Cli.Commands;
using Ledger.TestKit.Builders;

namespace Ledger.Cli.Tests.Commands;

/// <summary><c>ledger proof verify</c> on real files: exit 0 valid, 1 invalid with the reason, 2 unreadable input; one line on stderr.</summary>
public class ProofVerifyCommandTests
{
    private static readonly byte[] Document = Encoding.UTF8.GetBytes("labour contract GZ-CLI-2, signed");
    private string _dir = null!;
    private string _proof = null!;
    private string _genesis = null!;
    private string _document = null!;
    private EvidenceProof _valid = null!;
    private TestNetwork _network = null!;

    [OneTimeSetUp]
    public void WriteProofAndGenesis()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-proof-cli-").FullName;
        _network = TestNetwork.Create(4);
        var worker = _network.Worker;
        var envelopes = Enumerable.Range(1, 3)
            .Select(i => TestContracts.Envelope(_network, TestContracts.Register($"GZ-CLI-{i}", i == 2 ? Sm3.Hash(Document) : null), _network.Integrator, _network.Employer, worker, (ulong)i))
            .ToArray();
        _valid = TestBlocks.Proof(_network, TestBlocks.Build(_network, 4, envelopes), 1);
        _proof = Write("proof.json", _valid.ToJson());
        _genesis = Write("genesis.json", _network.Genesis.ToJson());
        _document = Path.Combine(_dir, "contract.pdf");
        File.WriteAllBytes(_document, Document);
    }

    [OneTimeTearDown]
    public void RemoveFiles() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Exit, string Out, string Error) Run(params string[] args) => new CliHarness().Run(args);

    private static void AssertOneLine(string error)
    {
        Assert.That(error.TrimEnd('\n').Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.StartWith("ledger: "));
        Assert.That(error, Does.Not.Contain(" at Ledger."));
    }

    [Test]
    public void A_valid_proof_exits_0_with_a_summary()
    {
        var (exit, output, error) = Run("proof", "verify", _proof, "--genesis", _genesis);

        Assert.That(exit, Is.EqualTo(ExitCode.Ok), error);
        Assert.That(output, Does.StartWith("proof valid: tx " + _valid.TxId));
        Assert.That(output, Does.Contain("contract GZ-CLI-2: Register version 1"));
        Assert.That(output, Does.Contain("sealed by 3 of 4 validators: "));
        Assert.That(output, Does.Contain("consented: Employer"));
        Assert.That(output, Does.Contain("time: this block's time was accepted by at least 3 of 4 validators whose clocks were within ±5.5 s of it (genesis: precision 0.5 s, message delay 5 s)"));
        Assert.That(error, Is.Empty);
    }

    [Test]
    public void The_anchored_file_matches_and_another_file_exits_1()
    {
        var other = Write("other.pdf", "not the contract");

        var match = Run("proof", "verify", _proof, "--genesis", _genesis, "--file", _document);
        var mismatch = Run("proof", "verify", _proof, "--genesis", _genesis, "--file", other);

        Assert.That(match.Exit, Is.EqualTo(ExitCode.Ok), match.Error);
        Assert.That(match.Out, Does.Contain("= the given file"));
        Assert.That(mismatch.Exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(mismatch.Error, Does.Contain("DocumentHashMismatch"));
        AssertOneLine(mismatch.Error);
    }

    [Test]
    public void A_proof_with_one_byte_changed_exits_1_with_the_reason()
    {
        var header = Convert.FromBase64String(_valid.Header);
        header[3] ^= 0x01;
        var tampered = Write("tampered.json", (_valid with { Header = Convert.ToBase64String(header) }).ToJson());

        var (exit, _, error) = Run("proof", "verify", tampered, "--genesis", _genesis);

        Assert.That(exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(error, Does.StartWith("ledger: proof invalid: "));
        AssertOneLine(error);
    }

    [Test]
    public void A_proof_checked_against_another_networks_genesis_exits_1()
    {
        var other = Write("other-genesis.json", TestNetwork.Create(1).Genesis.ToJson());

        var (exit, _, error) = Run("proof", "verify", _proof, "--genesis", other);

        Assert.That(exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(error, Does.Contain("UnknownValidatorSet"));
    }

    [Test]
    public void A_block_sealed_by_a_validator_certificate_the_city_CA_issued_itself_exits_1()
    {
        // The attack: a city CA's key (online in a signer) issues a Validator certificate, seals a block alone.
        var impostor = TestNetwork.Impostor(_network.City, _network.ChainId);
        var envelope = TestContracts.Envelope(impostor, TestContracts.Register("GZ-FORGED-CLI", Sm3.Hash(Document)), impostor.Integrator, impostor.Employer);
        var forged = Write("forged.json", TestBlocks.Proof(impostor, TestBlocks.Build(impostor, 4, [envelope], sealers: [0]), 0).ToJson());

        var (exit, _, error) = Run("proof", "verify", forged, "--genesis", _genesis, "--file", _document);

        Assert.That(exit, Is.EqualTo(ExitCode.Negative));
        Assert.That(error, Does.Contain("UnknownValidatorSet"));
        AssertOneLine(error);
    }

    [TestCase("garbage")]
    [TestCase("{\"format\":\"ledger-evidence-proof\"")]
    [TestCase("{}")]
    [TestCase("")]
    public void An_unreadable_proof_exits_2(string content)
    {
        var path = Write("bad-proof.json", content);

        var (exit, _, error) = Run("proof", "verify", path, "--genesis", _genesis);

        Assert.That(exit, Is.EqualTo(ExitCode.BadInput));
        AssertOneLine(error);
    }

    [Test]
    public void A_truncated_proof_file_exits_2()
    {
        var json = _valid.ToJson();
        var path = Write("truncated.json", json[..(json.Length / 2)]);

        Assert.That(Run("proof", "verify", path, "--genesis", _genesis).Exit, Is.EqualTo(ExitCode.BadInput));
    }

    [Test]
    public void A_malformed_genesis_exits_2()
    {
        var garbage = Write("bad-genesis.json", "{ not json");
        var badRoot = Write("bad-root-genesis.json", (_network.Genesis with { RootCertificate = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" }).ToJson());

        var (exit, _, error) = Run("proof", "verify", _proof, "--genesis", garbage);

        Assert.That(exit, Is.EqualTo(ExitCode.BadInput));
        AssertOneLine(error);
        Assert.That(Run("proof", "verify", _proof, "--genesis", badRoot).Exit, Is.EqualTo(ExitCode.BadInput));
    }

    [Test]
    public void Missing_files_and_flags_exit_2()
    {
        Assert.That(Run("proof", "verify", Path.Combine(_dir, "absent.json"), "--genesis", _genesis).Exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(Run("proof", "verify", _proof).Exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(Run("proof", "verify", _proof, "--genesis", _genesis, "--file", Path.Combine(_dir, "absent.pdf")).Exit, Is.EqualTo(ExitCode.BadInput));
        Assert.That(Run("proof", "verify", _proof, "--genesis", _genesis, "--bogus", "x").Exit, Is.EqualTo(ExitCode.BadInput));
    }
}
