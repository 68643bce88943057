using System.Text.Json.Nodes;
using Ledger.Core.Genesis;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// Observer nodes as network init prepares them (devnet), and the refusals of a node started with a certificate or config
/// that makes it neither a validator nor a working observer — each one line, before anything listens.
/// </summary>
public class ObserverConfigTests
{
    private readonly CliHarness _cli = new();
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void Init()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-observer-");
        var (exit, output, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "2", "--observers", "1", "--out", _dir.FullName,
            "--kdf-iterations", "1000", "--base-port", "7900");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("observer: "));
    }

    [TearDown]
    public void Cleanup() => _dir.Delete(recursive: true);

    private string ObserverConfig => Path.Combine(_dir.FullName, "observers", "observer-1", "config.json");

    [Test]
    public void An_observer_has_an_observer_certificate_follows_every_validator_and_has_no_peers()
    {
        var config = NodeConfig.Load(ObserverConfig);
        Assert.That(LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.Certificate))).Role, Is.EqualTo(Core.Identity.Role.Observer));
        // Validators 7900-7903, the signer 7904-7905, the explorer 7906; the observer after them.
        Assert.That(config.GrpcListen, Is.EqualTo("127.0.0.1:7907"));
        Assert.That(config.Upstream, Is.EqualTo(new[] { "https://127.0.0.1:7900", "https://127.0.0.1:7902" }));
        Assert.That(config.Peers, Is.Empty);
        var genesis = GenesisDocument.FromJson(File.ReadAllText(Path.Combine(_dir.FullName, "genesis.json")));
        Assert.That(genesis.Validators.Select(v => v.Name), Has.No.Member("observer-1"), "an observer is in no validator set");
    }

    [Test]
    public void Observers_are_a_devnet_option()
    {
        var other = Directory.CreateTempSubdirectory("ledger-observer-gd-");
        try
        {
            var (exit, _, error) = _cli.Run("network", "init", "--preset", "guangdong", "--observers", "1", "--out", other.FullName, "--kdf-iterations", "1000");
            Assert.That(exit, Is.EqualTo(2), error);
            Assert.That(error, Does.Contain("--observers is a devnet option"));
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    [Test]
    public void An_observer_without_upstream_validators_is_refused_in_one_line()
    {
        var json = JsonNode.Parse(File.ReadAllText(ObserverConfig))!.AsObject();
        json["upstream"] = new JsonArray();
        File.WriteAllText(ObserverConfig, json.ToJsonString());
        var (exit, _, error) = _cli.Run("node", "--config", ObserverConfig);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("must name the validators it follows (upstream)"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_node_with_a_certificate_of_another_role_is_refused_in_one_line()
    {
        // The operator's Operator certificate and key, in the observer's config: neither a validator nor an observer.
        var json = JsonNode.Parse(File.ReadAllText(ObserverConfig))!.AsObject();
        json["certificate"] = Path.Combine(_dir.FullName, "operators", "guangzhou", "operator.pem");
        json["key"] = Path.Combine(_dir.FullName, "operators", "guangzhou", "operator.key");
        File.WriteAllText(ObserverConfig, json.ToJsonString());
        var (exit, _, error) = _cli.Run("node", "--config", ObserverConfig);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("has the role Operator; a node runs with a validator certificate (or an observer certificate"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void A_state_sync_without_peers_to_ask_or_with_a_certificate_of_another_role_or_into_a_bad_height_is_refused_in_one_line()
    {
        var json = JsonNode.Parse(File.ReadAllText(ObserverConfig))!.AsObject();
        json["upstream"] = new JsonArray();
        File.WriteAllText(ObserverConfig, json.ToJsonString());
        var (exit, _, error) = _cli.Run("node", "sync-state", "--config", ObserverConfig);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("names no upstream to fetch the state from"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));

        json["certificate"] = Path.Combine(_dir.FullName, "operators", "guangzhou", "operator.pem");
        json["key"] = Path.Combine(_dir.FullName, "operators", "guangzhou", "operator.key");
        File.WriteAllText(ObserverConfig, json.ToJsonString());
        (exit, _, error) = _cli.Run("node", "sync-state", "--config", ObserverConfig);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain("has the role Operator; peers serve state only to validators and observers"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));

        (exit, _, error) = _cli.Run("node", "sync-state", "--config", ObserverConfig, "--height", "0");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--height must be a block height from 1 on, got '0'"));
    }
}
