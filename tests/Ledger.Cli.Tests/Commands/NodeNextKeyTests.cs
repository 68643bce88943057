using System.Text.Json.Nodes;
using Ledger.Core;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;
using Ledger.Node.Hosting;
using Ledger.TestKit.Builders;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// A validator's next key and certificate (config <c>nextKey</c>, <c>nextCertificate</c>) for a re-certification by
/// governance: accepted when it can be what a Replace puts in the set, refused in one line when it cannot.
/// </summary>
public class NodeNextKeyTests
{
    private readonly CliHarness _cli = new();
    private DirectoryInfo _dir = null!;
    private string _passphrase = "";

    [SetUp]
    public void Init()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-next-key-");
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", "4", "--out", _dir.FullName, "--kdf-iterations", "1000",
            "--base-port", "7950");
        Assert.That(exit, Is.Zero, error);
        _passphrase = File.ReadAllText(Path.Combine(_dir.FullName, "passphrase")).Trim();
    }

    [TearDown]
    public void Cleanup() => _dir.Delete(recursive: true);

    private string ConfigPath => Path.Combine(_dir.FullName, "nodes", "guangzhou", "config.json");

    /// <summary>A new key (saved beside the config as next.key) and a validator certificate for it from the city's CA.</summary>
    private LedgerCertificate NextIdentity(string city = "guangzhou", Role role = Role.Validator, bool keyMatches = true)
    {
        var ca = TestWorkers.LoadCityCa(_dir.FullName, city, _passphrase);
        using var key = Sm2PrivateKey.Generate();
        var certificate = ca.Issue(new CertificateRequest("Guangzhou validator (renewed)", role, ca.Certificate.Division, key.PublicKey,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)));
        using var other = Sm2PrivateKey.Generate();
        File.Delete(Path.Combine(_dir.FullName, "nodes", "guangzhou", "next.key"));
        KeyFile.Save(Path.Combine(_dir.FullName, "nodes", "guangzhou", "next.key"), keyMatches ? key : other, _passphrase, KeyFileOptions.ForTests);
        File.WriteAllText(Path.Combine(_dir.FullName, "nodes", "guangzhou", "next.pem"), certificate.ToPem());
        return certificate;
    }

    private void Configure(string? nextKey, string? nextCertificate)
    {
        var json = JsonNode.Parse(File.ReadAllText(ConfigPath))!.AsObject();
        if (nextKey is not null) json["nextKey"] = nextKey;
        if (nextCertificate is not null) json["nextCertificate"] = nextCertificate;
        File.WriteAllText(ConfigPath, json.ToJsonString());
    }

    private void AssertRefused(string reason)
    {
        var (exit, _, error) = _cli.Run("node", "--config", ConfigPath);
        Assert.That(exit, Is.Not.Zero);
        Assert.That(error, Does.Contain(reason));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
    }

    [Test]
    public void A_next_validator_certificate_of_the_same_bureau_is_accepted()
    {
        NextIdentity();
        Configure("next.key", "next.pem");
        using var runtime = NodeRuntime.Open(NodeConfig.Load(ConfigPath), NullLoggerFactory.Instance);
        Assert.That(runtime.Driver, Is.Not.Null, "a consortium validator");
    }

    [Test]
    public void Naming_only_one_of_next_key_and_next_certificate_is_refused()
    {
        NextIdentity();
        Configure("next.key", null);
        AssertRefused("names only one of nextKey and nextCertificate");
    }

    [Test]
    public void A_next_certificate_of_another_bureau_is_refused()
    {
        NextIdentity(city: "shenzhen");
        Configure("next.key", "next.pem");
        AssertRefused("a Replace keeps the bureau");
    }

    [Test]
    public void A_next_certificate_of_another_role_or_with_another_key_is_refused()
    {
        NextIdentity(role: Role.Bureau);
        Configure("next.key", "next.pem");
        AssertRefused("the next certificate has the role Bureau");

        NextIdentity(keyMatches: false);
        AssertRefused("the node's next key does not match its next certificate");
    }
}
