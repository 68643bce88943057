using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;

namespace Ledger.Cli.Tests.Commands;

/// <summary>
/// <c>ledger network genesis</c>: genesis.json from the certificates of a key ceremony — each bureau's key made in its own
/// folder, certified from its CSR — and the refusals of inconsistent input, each one line, exit 2, nothing written.
/// </summary>
public class NetworkGenesisTests
{
    private DirectoryInfo _dir = null!;
    private CliHarness _cli = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("ledger-genesis-");
        _cli = new CliHarness().Set("PASS", "ceremony test passphrase");
        Directory.CreateDirectory(Path("guangdong"));
        Key("guangdong", "root");
        Ok("ca", "root", "--key", Path("guangdong", "root.key"), "--subject", "Guangdong HRSS Root CA", "--division", "440000000000", "--out", Path("guangdong", "root.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Validator("guangdong", Path("guangdong", "root"));
        foreach (var (city, division) in new[] { ("guangzhou", "440100000000"), ("shenzhen", "440300000000") })
        {
            Directory.CreateDirectory(Path(city));
            Key(city, "ca");
            Ok("ca", "csr", "--key", Path(city, "ca.key"), "--subject", $"{city} HRSS CA", "--out", Path(city, "ca.csr"), "--passphrase-env", "PASS", "--allow-weak-kdf");
            Ok("ca", "issue", "--ca-cert", Path("guangdong", "root.pem"), "--ca-key", Path("guangdong", "root.key"), "--csr", Path(city, "ca.csr"), "--role", "city-ca",
                "--division", division, "--out", Path(city, "ca.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
            Validator(city, Path(city, "ca"));
        }
    }

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private string Path(params string[] parts) => System.IO.Path.Combine([_dir.FullName, .. parts]);

    private void Ok(params string[] args)
    {
        var (exit, _, error) = _cli.Run(args);
        Assert.That(exit, Is.Zero, $"ledger {string.Join(' ', args)}: {error}");
    }

    private void Key(string folder, string name) =>
        Ok("key", "new", "--out", Path(folder, name + ".key"), "--passphrase-env", "PASS", "--kdf-iterations", "1000");

    /// <summary>The bureau's validator key, its request, and its certificate from <paramref name="ca"/> (path without .pem/.key).</summary>
    private void Validator(string bureau, string ca)
    {
        Key(bureau, "node");
        Ok("ca", "csr", "--key", Path(bureau, "node.key"), "--subject", $"{bureau} validator", "--out", Path(bureau, "node.csr"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Ok("ca", "issue", "--ca-cert", ca + ".pem", "--ca-key", ca + ".key", "--csr", Path(bureau, "node.csr"), "--role", "validator", "--out", Path(bureau, "node.pem"),
            "--passphrase-env", "PASS", "--allow-weak-kdf");
    }

    private (int Exit, string Out, string Error) Genesis(params string[] args) =>
        _cli.Run(["network", "genesis", "--preset", "devnet", "--out", Path("network"), .. args]);

    private string[] Consortium(params string[] extra) =>
    [
        "--root", Path("guangdong", "root.pem"), "--ca", Path("guangzhou", "ca.pem"), "--ca", Path("shenzhen", "ca.pem"),
        "--validator", "guangdong=" + Path("guangdong", "node.pem"), "--validator", "guangzhou=" + Path("guangzhou", "node.pem"),
        "--validator", "shenzhen=" + Path("shenzhen", "node.pem"), .. extra,
    ];

    [Test]
    public void Assembles_the_document_network_init_writes_from_certificates_alone()
    {
        var (exit, output, error) = Genesis(Consortium("--chain-id", "gd-ceremony-1", "--address", "shenzhen=https://10.0.0.3:9000", "--base-port", "7700"));
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("genesis of gd-ceremony-1 (devnet, 3 validators, 2 city CAs)"));

        var json = File.ReadAllText(Path("network", "genesis.json"));
        var genesis = GenesisDocument.FromJson(json);
        var root = LedgerCertificate.FromPem(File.ReadAllText(Path("guangdong", "root.pem")));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(genesis.ChainId, Is.EqualTo("gd-ceremony-1"));
            Assert.That(genesis.NetworkName, Is.EqualTo("devnet"));
            Assert.That(genesis.Consensus, Is.EqualTo(Setup.NetworkPreset.All["devnet"].Consensus));
            Assert.That(genesis.GenesisTime, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(120_000));
            Assert.That(LedgerCertificate.FromPem(genesis.RootCertificate).Id, Is.EqualTo(root.Id));
            Assert.That(genesis.IntermediateCertificates.Select(c => LedgerCertificate.FromPem(c).CommonName), Is.EqualTo(new[] { "guangzhou HRSS CA", "shenzhen HRSS CA" }));
            Assert.That(genesis.Validators.Select(v => (v.Name, v.Division, v.Bureau)), Is.EqualTo(new[]
            {
                ("guangdong", "440000000000", (string?)"广东省人力资源和社会保障厅"),
                ("guangzhou", "440100000000", "广州市人力资源和社会保障局"),
                ("shenzhen", "440300000000", "深圳市人力资源和社会保障局"),
            }));
            foreach (var validator in genesis.Validators)
                Assert.That(LedgerCertificate.FromPem(validator.Certificate).PublicKey, Is.EqualTo(KeyFile.ReadPublicKey(File.ReadAllBytes(Path(validator.Name, "node.key")))));
        }

        // Each bureau's folder: a config that a node accepts, beside genesis and its public certificates; no key anywhere.
        var config = NodeConfig.Load(Path("network", "nodes", "guangzhou", "config.json"));
        using (Assert.EnterMultipleScope())
        {
            Assert.That((config.Name, config.Division, config.Genesis, config.Key, config.Certificate, config.IssuerCertificate),
                Is.EqualTo(("guangzhou", "440100000000", "genesis.json", "node.key", "node.pem", (string?)"issuer.pem")));
            Assert.That((config.TlsCertificate, config.TlsKey, config.TransportCa, config.PassphraseEnv), Is.EqualTo(((string?)"tls.pem", (string?)"tls.key", (string?)"transport-ca.pem", (string?)"LEDGER_PASSPHRASE")));
            Assert.That((config.GrpcListen, config.HttpListen), Is.EqualTo(("127.0.0.1:7702", "127.0.0.1:7703")));
            Assert.That(config.Peers, Is.EqualTo(new[] { new PeerAddress("guangdong", "https://127.0.0.1:7700"), new PeerAddress("shenzhen", "https://10.0.0.3:9000") }));
            Assert.That(NodeConfig.Load(Path("network", "nodes", "shenzhen", "config.json")).GrpcListen, Is.EqualTo("10.0.0.3:9000"));
            Assert.That(NodeConfig.Load(Path("network", "nodes", "guangdong", "config.json")).IssuerCertificate, Is.Null, "the province's validator is issued by the root");
            Assert.That(File.ReadAllText(Path("network", "nodes", "guangzhou", "genesis.json")), Is.EqualTo(json));
            Assert.That(File.ReadAllText(Path("network", "nodes", "guangzhou", "issuer.pem")), Is.EqualTo(File.ReadAllText(Path("guangzhou", "ca.pem"))));
            Assert.That(Directory.EnumerateFiles(Path("network"), "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".key", StringComparison.Ordinal) || File.ReadAllText(f).Contains("ledger-sm2-key", StringComparison.Ordinal)), Is.Empty);
        }
    }

    [Test]
    public void Refuses_a_validator_certificate_not_under_the_given_cas() =>
        AssertRefused("is not a trusted CA", "--root", Path("guangdong", "root.pem"), "--ca", Path("guangzhou", "ca.pem"),
            "--validator", "guangdong=" + Path("guangdong", "node.pem"), "--validator", "shenzhen=" + Path("shenzhen", "node.pem"));

    [Test]
    public void Refuses_a_validator_certificate_of_another_consortium()
    {
        Directory.CreateDirectory(Path("other"));
        Key("other", "root");
        Ok("ca", "root", "--key", Path("other", "root.key"), "--subject", "Guangdong HRSS Root CA", "--division", "440000000000", "--out", Path("other", "root.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Validator("other", Path("other", "root"));
        AssertRefused("validator 'other': issuer 'C=CN,CN=Guangdong HRSS Root CA' of C=CN,CN=other validator is not a trusted CA", Consortium("--validator", "other=" + Path("other", "node.pem")));
    }

    [Test]
    public void Refuses_a_city_ca_not_issued_by_the_root()
    {
        Directory.CreateDirectory(Path("other"));
        Key("other", "root");
        Ok("ca", "root", "--key", Path("other", "root.key"), "--subject", "Other Root CA", "--division", "110000000000", "--out", Path("other", "root.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        Key("other", "ca");
        File.WriteAllText(Path("other", "ca.pub"), _cli.Run("key", "show", Path("other", "ca.key"), "--pem").Out);
        Ok("ca", "issue", "--ca-cert", Path("other", "root.pem"), "--ca-key", Path("other", "root.key"), "--pub", Path("other", "ca.pub"), "--role", "city-ca", "--subject", "Beijing CA",
            "--division", "110100000000", "--out", Path("other", "ca.pem"), "--passphrase-env", "PASS", "--allow-weak-kdf");
        AssertRefused("is not a trusted CA", Consortium("--ca", Path("other", "ca.pem")));
    }

    [Test]
    public void Refuses_duplicate_validator_names() =>
        AssertRefused("the validator name 'guangzhou' is given twice", "--root", Path("guangdong", "root.pem"), "--ca", Path("guangzhou", "ca.pem"), "--ca", Path("shenzhen", "ca.pem"),
            "--validator", "guangzhou=" + Path("guangzhou", "node.pem"), "--validator", "guangzhou=" + Path("shenzhen", "node.pem"));

    [Test]
    public void Refuses_one_certificate_under_two_names() =>
        AssertRefused("validator 'canton' has the certificate or key of validator 'guangzhou'", Consortium("--validator", "canton=" + Path("guangzhou", "node.pem")));

    [Test]
    public void Refuses_the_same_ca_twice() =>
        AssertRefused("is given twice", Consortium("--ca", Path("guangzhou", "ca.pem")));

    [Test]
    public void Refuses_an_expired_validator_certificate()
    {
        // The city CA backdates a certificate (through the library: the CLI only issues from now on).
        var ca = LedgerCertificate.FromPem(File.ReadAllText(Path("shenzhen", "ca.pem")));
        using var caKey = KeyFile.Load(Path("shenzhen", "ca.key"), "ceremony test passphrase", KeyFileOptions.ForTests);
        var publicKey = KeyFile.ReadPublicKey(File.ReadAllBytes(Path("shenzhen", "node.key")));
        var expired = CertificateAuthority.FromCertificate(ca, caKey).Issue(new CertificateRequest("shenzhen validator", Role.Validator, ca.Division, publicKey,
            DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)));
        File.WriteAllText(Path("shenzhen", "node.pem"), expired.ToPem());
        AssertRefused("validator 'shenzhen': ", Consortium());
        Assert.That(_last.Error, Does.Contain("expired at"));
    }

    [Test]
    public void Refuses_a_ca_certificate_that_is_not_a_ca() =>
        AssertRefused("is not a CA certificate (an end-entity Validator certificate without CA basic constraints)", Consortium("--ca", Path("guangzhou", "node.pem")));

    [Test]
    public void Refuses_a_root_that_is_not_a_root() =>
        AssertRefused("is not a root CA certificate (a CA certificate of role IntermediateCa)",
            "--root", Path("guangzhou", "ca.pem"), "--validator", "guangzhou=" + Path("guangzhou", "node.pem"));

    [Test]
    public void Refuses_a_city_ca_given_as_a_validator() =>
        AssertRefused("is a IntermediateCa certificate, not a validator's", Consortium("--validator", "canton=" + Path("guangzhou", "ca.pem")));

    [TestCase("--address", "nobody=https://127.0.0.1:9000", "--address nobody: no validator of that name")]
    [TestCase("--address", "guangzhou=127.0.0.1:9000", "not https://HOST:PORT")]
    [TestCase("--address", "guangzhou=https://127.0.0.1:7600", "have the same address 127.0.0.1:7600")]
    [TestCase("--validator", "guangzhou", "--validator 'guangzhou': expected NAME=PEM")]
    [TestCase("--chain-id", "bad id", "a chain id is 1 to 64 letters")]
    public void Refuses_bad_names_and_addresses(string option, string value, string expected) =>
        AssertRefused(expected, Consortium(option, value));

    [Test]
    public void Refuses_to_write_over_a_genesis()
    {
        Assert.That(Genesis(Consortium()).Exit, Is.Zero);
        var first = File.ReadAllText(Path("network", "genesis.json"));
        var (exit, _, error) = Genesis(Consortium());
        Assert.That((exit, error), Is.EqualTo((2, $"ledger: {Path("network")} already holds a genesis.json\n")));
        Assert.That(File.ReadAllText(Path("network", "genesis.json")), Is.EqualTo(first));
    }

    private (int Exit, string Out, string Error) _last;

    private void AssertRefused(string expected, params string[] args)
    {
        _last = Genesis(args);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_last.Exit, Is.EqualTo(2), _last.Out + _last.Error);
            Assert.That(_last.Error, Does.StartWith("ledger: ").And.Contain(expected));
            Assert.That(_last.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
            Assert.That(Directory.Exists(Path("network")), Is.False, "nothing is written");
        }
    }
}
