using Ledger.Core.Genesis;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger governance</c> and <c>network init --spare-validators</c>: what a spare validator gets (and that genesis does
/// not name it), and every malformed proposal or vote refused in one line, exit 2, before any node is asked.
/// </summary>
public class GovernanceCommandTests
{
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-gov-");
        _cli = new CliHarness();
        var (exit, output, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "2", "--spare-validators", "1", "--out", _dir.FullName,
            "--kdf-iterations", "1000", "--base-port", "7700");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("spare:"));
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string Path(params string[] parts) => System.IO.Path.Combine([_dir.FullName, .. parts]);

    [Test]
    public void A_spare_validator_is_prepared_outside_genesis_and_is_every_nodes_peer()
    {
        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path("genesis.json")));
        var names = Directory.GetDirectories(Path("nodes")).Select(System.IO.Path.GetFileName).ToArray();
        var spare = names.Single(n => genesis.Validators.All(v => v.Name != n))!;
        Assert.That(genesis.Validators, Has.Count.EqualTo(2));
        var spareConfig = NodeConfig.Load(Path("nodes", spare, "config.json"));
        Assert.That(LedgerCertificate.FromPem(File.ReadAllText(spareConfig.Resolve(spareConfig.Certificate))).Role, Is.EqualTo(Core.Identity.Role.Validator));
        // Validators 7700-7703, the signer 7704-7705, the explorer 7706; the spare after them.
        Assert.That(spareConfig.GrpcListen, Is.EqualTo("127.0.0.1:7707"));
        foreach (var validator in genesis.Validators)
            Assert.That(NodeConfig.Load(Path("nodes", validator.Name, "config.json")).Peers.Select(p => p.Name), Does.Contain(spare));
        Assert.That(spareConfig.Peers.Select(p => p.Name), Is.EquivalentTo(genesis.Validators.Select(v => v.Name)));
    }

    [Test]
    public void Spare_validators_are_a_devnet_option()
    {
        var other = Directory.CreateTempSubdirectory("ledger-gov-gd-");
        try
        {
            var (exit, _, error) = _cli.Run("network", "init", "--preset", "guangdong", "--spare-validators", "1", "--out", other.FullName, "--kdf-iterations", "1000");
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(error, Does.Contain("--spare-validators is a devnet option"));
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(new[] { "propose", "--add", "x", "--at", "50" }, "--validator-cert").SetName("an Add without its certificate");
        yield return new TestCaseData(new[] { "propose", "--replace", "x", "--at", "50" }, "--validator-cert").SetName("a Replace without its certificate");
        yield return new TestCaseData(new[] { "propose", "--at", "50" }, "give one of").SetName("no change");
        yield return new TestCaseData(new[] { "propose", "--add", "x", "--remove", "CERT", "--at", "50" }, "give one of").SetName("two changes at once");
        yield return new TestCaseData(new[] { "propose", "--add", "bad name!", "--validator-cert", "CERT", "--at", "50" }, "name").SetName("a name peers cannot use");
        yield return new TestCaseData(new[] { "propose", "--remove", "CERT", "--at", "-3" }, "--at").SetName("a negative height");
        yield return new TestCaseData(new[] { "propose", "--add-ca", "CERT", "--at", "50" }, "not a city CA certificate").SetName("a validator certificate offered as a CA");
        yield return new TestCaseData(new[] { "propose", "--renew-ca", "CA", "--at", "50" }, "--predecessor").SetName("a renewal naming no predecessor");
        yield return new TestCaseData(new[] { "propose", "--retire-ca", "CA", "--predecessor", "CA", "--at", "50" }, "--predecessor goes with --renew-ca").SetName("a predecessor without a renewal");
        yield return new TestCaseData(new[] { "propose", "--add-ca", "CA", "--validator-cert", "CERT", "--at", "50" }, "--validator-cert goes with --add or --replace").SetName("a CA change with a validator certificate");
        yield return new TestCaseData(new[] { "propose", "--parameter", "consensus.everything=5", "--at", "50" }, "none of").SetName("an unknown parameter");
        yield return new TestCaseData(new[] { "propose", "--parameter", "consensus.maxBlockTransactions=0", "--at", "50" }, "takes 1..").SetName("a parameter out of bounds");
        yield return new TestCaseData(new[] { "propose", "--parameter", "consensus.blockIntervalMs", "--at", "50" }, "NAME=VALUE").SetName("a parameter without a value");
        yield return new TestCaseData(new[] { "propose", "--parameter", "protocolVersion=3", "--remove", "CERT", "--at", "50" }, "give one of").SetName("a parameter and a validator change at once");
        yield return new TestCaseData(new[] { "propose", "--add-ca", "CA", "--remove", "CERT", "--at", "50" }, "give one of").SetName("a CA change and a validator change at once");
        yield return new TestCaseData(new[] { "vote", "--proposal", "abc", "--approve" }, "64 hex digits").SetName("a proposal id that is no hash");
        yield return new TestCaseData(new[] { "vote", "--proposal", new string('a', 64), "--approve", "--reject" }, "one of --approve or --reject").SetName("both approve and reject");
        yield return new TestCaseData(new[] { "vote", "--proposal", new string('a', 64) }, "one of --approve or --reject").SetName("neither approve nor reject");
    }

    [TestCaseSource(nameof(Malformed))]
    public void A_malformed_proposal_or_vote_is_refused_in_one_line_before_any_node_is_asked(string[] args, string expected)
    {
        var certificate = Path("nodes", "guangdong", "node.pem");
        var ca = Path("ca", "guangzhou.pem");
        var filled = args.Select(a => a == "CERT" ? certificate : a == "CA" ? ca : a).ToArray();
        var (exit, _, error) = _cli.Run(["governance", .. filled, "--config", Path("nodes", "guangdong", "config.json"), "--node", "https://127.0.0.1:1"]);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.Contain(expected));
        Assert.That(error.TrimEnd('\n'), Does.Not.Contain("\n"), "one line");
        Assert.That(error, Does.Not.Contain("127.0.0.1"), "refused before any node is asked");
    }
}
