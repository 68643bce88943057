using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;
using Ledger.Node.Config;
using Ledger.Cli.Setup;
using Ledger.TestKit;

namespace Ledger.Cli.Tests.Commands;

public class NetworkInitTests
{
    private DirectoryInfo _dir = null!;
    private readonly CliHarness _cli = new();

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("ledger-net-");

    [TearDown]
    public void TearDown() => _dir.Delete(recursive: true);

    private GenesisDocument Init(params string[] extra)
    {
        var (exit, output, error) = _cli.Run(["network", "init", "--out", _dir.FullName, "--kdf-iterations", "1000", .. extra]);
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Contain("genesis"));
        return GenesisDocument.FromJson(File.ReadAllText(Path.Combine(_dir.FullName, "genesis.json")));
    }

    [TestCase(1)]
    [TestCase(4)]
    public void Devnet_gets_an_example_employer_and_worker_certified_by_the_first_city(int validators)
    {
        var genesis = Init("--preset", "devnet", "--validators", validators.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var identities = Path.Combine(_dir.FullName, "identities");
        var chain = new CertificateChainValidator(LedgerCertificate.FromPem(genesis.RootCertificate), genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), []);
        var employer = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(identities, "employer.pem")));
        var worker = LedgerCertificate.FromPem(File.ReadAllText(Path.Combine(identities, "worker.pem")));
        var passphrase = File.ReadAllText(Path.Combine(_dir.FullName, "passphrase")).Trim();
        using var employerKey = Crypto.KeyFile.Load(Path.Combine(identities, "employer.key"), passphrase, Crypto.KeyFileOptions.ForTests);
        using var workerKey = Crypto.KeyFile.Load(Path.Combine(identities, "worker.key"), passphrase, Crypto.KeyFileOptions.ForTests);
        var pseudonym = File.ReadAllText(Path.Combine(identities, "worker.pseudonym")).Trim();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(chain.Validate(employer, DateTimeOffset.UtcNow).IsValid, Is.True);
            Assert.That(chain.Validate(worker, DateTimeOffset.UtcNow).IsValid, Is.True);
            Assert.That(employer.Role, Is.EqualTo(Role.Employer));
            Assert.That(employer.CreditCode?.Value, Is.EqualTo(NetworkInitializer.ExampleEmployerCreditCode));
            Assert.That(CreditCode.TryParse(NetworkInitializer.ExampleEmployerCreditCode, out _), Is.True);
            Assert.That(employer.Division.Value, Is.EqualTo("440100000000"), "Guangzhou, the signer's city");
            Assert.That(worker.Role, Is.EqualTo(Role.Worker));
            Assert.That(worker.CreditCode, Is.Null);
            Assert.That(employerKey.PublicKey, Is.EqualTo(employer.PublicKey));
            Assert.That(workerKey.PublicKey, Is.EqualTo(worker.PublicKey));
            Assert.That(Core.Hash32.TryParse(pseudonym, out var parsed), Is.True, "worker.pseudonym is 32 bytes in hex");
            Assert.That(worker.WorkerPseudonym, Is.EqualTo(parsed), "the Worker certificate carries the pseudonym the contract names");
            Assert.That(worker.CommonName, Does.Contain(pseudonym[..16]), "the worker is named by the pseudonym, never by a name");
            // The invented ID number the pseudonym was computed from is written nowhere in the network directory.
            Assert.That(Directory.EnumerateFiles(_dir.FullName, "*", SearchOption.AllDirectories).Where(f => File.ReadAllText(f).Contains("440106199001011235")), Is.Empty);
        }
    }

    [Test]
    public void Guangdong_gets_no_example_identities()
    {
        Init("--preset", "guangdong");
        Assert.That(Directory.Exists(Path.Combine(_dir.FullName, "identities")), Is.False);
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Devnet_gets_a_signer_for_the_first_city_with_a_bureau_certificate_that_chains_to_genesis(int validators)
    {
        var genesis = Init("--preset", "devnet", "--validators", validators.ToString(System.Globalization.CultureInfo.InvariantCulture), "--base-port", "7600");
        var path = Path.Combine(_dir.FullName, "signers", "guangzhou", "config.json");
        var config = Ledger.Signer.SignerConfig.Load(path);
        Assert.That(config.ChainId, Is.EqualTo(genesis.ChainId));
        Assert.That(config.NodeUrl, Is.EqualTo("https://127.0.0.1:7600"));
        Assert.That(config.GrpcListen, Is.EqualTo($"127.0.0.1:{7600 + 2 * validators}"), "the port after the validators'");
        var certificate = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.Certificate!)));
        Assert.That(certificate.Role, Is.EqualTo(Role.Bureau));
        Assert.That(certificate.Division.Value, Does.StartWith("4401"));
        var chain = new CertificateChainValidator(LedgerCertificate.FromPem(genesis.RootCertificate), genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), []);
        Assert.That(chain.Validate(certificate, DateTimeOffset.UtcNow).IsValid, Is.True, "the node admits the signer's anchors");
        var ca = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.CaCertificate)));
        Assert.That(genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem).Select(c => c.Id), Does.Contain(ca.Id));
        Assert.That(File.ReadAllText(config.Resolve(config.KekFile!)).Trim(), Has.Length.EqualTo(32));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(config.Resolve(config.KekFile!)), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        using var service = Ledger.Signer.SignerService.Open(config);
        Assert.That(service.CaCertificate.Id, Is.EqualTo(ca.Id), "the config opens: CA certificate, passphrase, KEK all found");

        // The city CA's key and the pseudonym key are the CA process's alone: the signer's config names neither, and reaches
        // that process on the port after every other.
        Assert.That(config.CaKey, Is.Null);
        Assert.That(config.PseudonymKeyFile, Is.Null);
        Assert.That(File.ReadAllText(path), Does.Not.Contain("pseudonym").And.Not.Contain("guangzhou.key").And.Contain("\"caUrl\""));
        var caConfig = Ledger.Signer.Ca.CaConfig.Load(Path.Combine(_dir.FullName, "ca-services", "guangzhou", "config.json"));
        var caPort = 7600 + 2 * validators + 6;
        Assert.That(config.CaUrl, Is.EqualTo($"https://127.0.0.1:{caPort}"));
        Assert.That(caConfig.GrpcListen, Is.EqualTo($"127.0.0.1:{caPort}"));
        Assert.That(caConfig.AllowedClients, Is.EqualTo(new[] { "guangzhou-signer" }), "its one caller: the signer's TLS name");
        Assert.That(caConfig.Resolve(caConfig.CaKey), Is.EqualTo(Path.Combine(_dir.FullName, "ca", "guangzhou.key")));
        using var enrolmentCa = Ledger.Signer.Ca.EnrolmentCa.Open(caConfig);
        Assert.That(enrolmentCa.Certificate.Id, Is.EqualTo(ca.Id), "the CA process's config opens: CA key, passphrase, pseudonym key all found");
    }

    [Test]
    [Category("Interop")]
    public void Every_service_gets_a_tls_certificate_from_the_consortium_transport_ca_that_openssl_verifies()
    {
        OpenSsl.Require();
        Init("--preset", "devnet", "--validators", "2", "--base-port", "7600");
        var ca = Path.Combine(_dir.FullName, "transport-ca.pem");
        Assert.That(File.ReadAllText(Path.Combine(_dir.FullName, "ca", "transport-ca.key")), Does.StartWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"),
            "the CA key is encrypted under the network's passphrase");
        string[] services = ["nodes/guangdong", "nodes/guangzhou", "signers/guangzhou", "ca-services/guangzhou", "explorer"];
        foreach (var service in services)
        {
            var folder = Path.Combine(_dir.FullName, service);
            var verify = OpenSsl.Run(_dir.FullName, "verify", "-purpose", "sslserver", "-CAfile", ca, Path.Combine(folder, "tls.pem"));
            Assert.That(verify.ExitCode, Is.Zero, $"{service}: {verify.StdOut}{verify.StdErr}");
            var client = OpenSsl.Run(_dir.FullName, "verify", "-purpose", "sslclient", "-CAfile", ca, Path.Combine(folder, "tls.pem"));
            Assert.That(client.ExitCode, Is.Zero, $"{service} as a TLS client (mutual TLS between validators): {client.StdOut}{client.StdErr}");
            var text = OpenSsl.Run(_dir.FullName, "x509", "-noout", "-text", "-in", Path.Combine(folder, "tls.pem"));
            Assert.That(text.StdOut, Does.Contain("prime256v1").And.Contain("IP Address:127.0.0.1"), service);
            // A validator's certificate names it (URI SAN), as openssl reads it; a member's names no validator.
            var validator = service.StartsWith("nodes/", StringComparison.Ordinal) ? service["nodes/".Length..] : null;
            if (validator is null) Assert.That(text.StdOut, Does.Not.Contain("urn:ledger:validator:"), service);
            else Assert.That(text.StdOut, Does.Contain($"URI:urn:ledger:validator:{validator}").And.Not.Contain(validator == "guangdong" ? "validator:guangzhou" : "validator:guangdong"), service);
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(Path.Combine(folder, "tls.key")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), service);
        }
        var node = NodeConfig.Load(Path.Combine(_dir.FullName, "nodes", "guangdong", "config.json"));
        Assert.That(node.Insecure, Is.Null, "TLS unless asked otherwise");
        Assert.That(node.Resolve(node.TransportCa!), Is.EqualTo(ca));
        Assert.That(node.Peers.Select(p => p.Address), Is.All.StartWith("https://"));
        Assert.That(File.ReadAllText(Path.Combine(_dir.FullName, "genesis.json")), Does.Not.Contain(File.ReadAllText(ca).Split('\n')[1]),
            "the transport CA stays out of genesis");

        // A second network's transport CA does not vouch for this one's certificates (negative control).
        var other = Directory.CreateTempSubdirectory("ledger-net-other-");
        try
        {
            Assert.That(_cli.Run("network", "init", "--preset", "devnet", "--validators", "1", "--out", other.FullName, "--kdf-iterations", "1000").Exit, Is.Zero);
            var foreign = OpenSsl.Run(_dir.FullName, "verify", "-CAfile", Path.Combine(other.FullName, "transport-ca.pem"), Path.Combine(_dir.FullName, "nodes", "guangdong", "tls.pem"));
            Assert.That(foreign.ExitCode, Is.Not.Zero);
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    [Test]
    [Category("Interop")]
    public void Guangdong_preset_writes_22_validators_whose_chains_openssl_accepts()
    {
        OpenSsl.Require();
        var genesis = Init("--preset", "guangdong");

        Assert.That(genesis.Validators, Has.Count.EqualTo(22));
        Assert.That(genesis.IntermediateCertificates, Has.Count.EqualTo(21));
        var expectedCities = new[]
        {
            "440100", "440200", "440300", "440400", "440500", "440600", "440700", "440800", "440900", "441200", "441300",
            "441400", "441500", "441600", "441700", "441800", "441900", "442000", "445100", "445200", "445300",
        };
        Assert.That(genesis.Validators.Select(v => v.Division[..6]), Is.EqualTo(new[] { "440000" }.Concat(expectedCities)));

        var root = Path.Combine(_dir.FullName, "ca", "root.pem");
        foreach (var validator in genesis.Validators)
        {
            var nodeDir = Path.Combine(_dir.FullName, "nodes", validator.Name);
            var leaf = Path.Combine(nodeDir, "node.pem");
            var issuer = Path.Combine(nodeDir, "issuer.pem");
            if (File.Exists(issuer))
            {
                // OpenSSL 3.0-3.6 passes -vfyopt distid only to the target certificate, not to the chain's
                // (openssl/openssl#23471), so a three-certificate chain is checked one link at a time:
                // root → city CA, then city CA → validator with the city CA as the anchor.
                AssertOpenSslAccepts("-CAfile", root, issuer);
                AssertOpenSslAccepts("-partial_chain", "-CAfile", issuer, leaf);
                var wrongId = OpenSsl.Run(_dir.FullName, "verify", "-vfyopt", "distid:1234567812345679", "-partial_chain", "-CAfile", issuer, leaf);
                Assert.That(wrongId.ExitCode, Is.Not.Zero, "a wrong signer ID fails: openssl really checks the signature");
            }
            else
            {
                AssertOpenSslAccepts("-CAfile", root, leaf);
            }

            var certificate = LedgerCertificate.FromPem(validator.Certificate);
            Assert.That(certificate.Role, Is.EqualTo(Role.Validator));
            Assert.That(certificate.Division.Value, Is.EqualTo(validator.Division));
            Assert.That(File.ReadAllText(leaf), Is.EqualTo(validator.Certificate));
        }

        // The intermediates themselves chain to the root too.
        foreach (var pem in Directory.EnumerateFiles(Path.Combine(_dir.FullName, "ca"), "*.pem").Where(p => !p.EndsWith("root.pem", StringComparison.Ordinal)))
            AssertOpenSslAccepts("-CAfile", root, pem);

        // A certificate from an unrelated network does not verify against this root (negative control).
        var other = Directory.CreateTempSubdirectory("ledger-net-other-");
        try
        {
            Assert.That(_cli.Run("network", "init", "--preset", "devnet", "--validators", "2", "--out", other.FullName, "--kdf-iterations", "1000").Exit, Is.Zero);
            var foreign = OpenSsl.Run(_dir.FullName, "verify", "-vfyopt", "distid:1234567812345678", "-CAfile", root, Path.Combine(other.FullName, "nodes", "guangzhou", "issuer.pem"));
            Assert.That(foreign.ExitCode, Is.Not.Zero);
            var foreignLeaf = OpenSsl.Run(_dir.FullName, "verify", "-vfyopt", "distid:1234567812345678", "-partial_chain", "-CAfile",
                Path.Combine(_dir.FullName, "nodes", "guangzhou", "issuer.pem"), Path.Combine(other.FullName, "nodes", "guangzhou", "node.pem"));
            Assert.That(foreignLeaf.ExitCode, Is.Not.Zero);
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    private void AssertOpenSslAccepts(params string[] arguments)
    {
        var verify = OpenSsl.Run(_dir.FullName, ["verify", "-vfyopt", "distid:1234567812345678", .. arguments]);
        Assert.That(verify.ExitCode, Is.Zero, $"openssl verify {string.Join(' ', arguments)}: {verify.StdOut}{verify.StdErr}");
    }

    [Test]
    public void Devnet_has_the_province_and_n_minus_1_cities_and_consistent_configs()
    {
        var genesis = Init("--preset", "devnet", "--validators", "4", "--base-port", "9100", "--chain-id", "gd-test-1");
        Assert.That(genesis.ChainId, Is.EqualTo("gd-test-1"));
        Assert.That(genesis.Validators.Select(v => v.Name), Is.EqualTo(new[] { "guangdong", "guangzhou", "shaoguan", "shenzhen" }));

        var configs = genesis.Validators.Select(v => NodeConfig.Load(Path.Combine(_dir.FullName, "nodes", v.Name, "config.json"))).ToArray();
        Assert.That(configs.Select(c => c.GrpcListen), Is.EqualTo(new[] { "127.0.0.1:9100", "127.0.0.1:9102", "127.0.0.1:9104", "127.0.0.1:9106" }));
        Assert.That(configs.Select(c => c.HttpListen).Concat(configs.Select(c => c.GrpcListen)).Distinct().Count(), Is.EqualTo(8));
        foreach (var config in configs)
        {
            Assert.That(config.Peers, Has.Count.EqualTo(3));
            Assert.That(config.Peers.Select(p => p.Name), Does.Not.Contain(config.Name));
            Assert.That(File.Exists(config.Resolve(config.Genesis)), Is.True);
            var passphrase = File.ReadAllText(config.Resolve(config.PassphraseFile!)).Trim();
            using var key = Crypto.KeyFile.Load(config.Resolve(config.Key), passphrase, new Crypto.KeyFileOptions { AllowWeakIterations = config.AllowWeakKdf == true });
            var certificate = LedgerCertificate.FromPem(File.ReadAllText(config.Resolve(config.Certificate)));
            Assert.That(certificate.PublicKey, Is.EqualTo(key.PublicKey), "each node's key matches its certificate");
        }
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(Path.Combine(_dir.FullName, "passphrase")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Every_devnet_certificate_chain_validates_in_our_own_validator()
    {
        var genesis = Init("--preset", "devnet", "--validators", "3");
        var root = LedgerCertificate.FromPem(genesis.RootCertificate);
        var validator = new CertificateChainValidator(root, genesis.IntermediateCertificates.Select(LedgerCertificate.FromPem), []);
        foreach (var v in genesis.Validators)
            Assert.That(validator.Validate(LedgerCertificate.FromPem(v.Certificate), DateTimeOffset.UtcNow).IsValid, Is.True, v.Name);
    }

    [Test]
    public void Init_refuses_to_overwrite_an_existing_network()
    {
        var genesis = Init("--preset", "devnet", "--validators", "1");
        var before = File.ReadAllText(Path.Combine(_dir.FullName, "genesis.json"));
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--out", _dir.FullName, "--kdf-iterations", "1000");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("already"));
        Assert.That(File.ReadAllText(Path.Combine(_dir.FullName, "genesis.json")), Is.EqualTo(before));
        Assert.That(genesis.Validators, Has.Count.EqualTo(1));
    }

    [TestCase("0", TestName = "Devnet_with_zero_validators_is_refused")]
    [TestCase("23", TestName = "Devnet_with_more_validators_than_cities_is_refused")]
    public void Devnet_validator_count_is_bounded(string count)
    {
        var (exit, _, error) = _cli.Run("network", "init", "--preset", "devnet", "--validators", count, "--out", _dir.FullName, "--kdf-iterations", "1000");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void The_region_table_has_the_21_prefecture_level_cities_of_guangdong()
    {
        var table = RegionTable.Guangdong;
        Assert.That(table.Province.Code, Is.EqualTo("440000000000"));
        Assert.That(table.Cities, Has.Count.EqualTo(21));
        Assert.That(table.Cities.Select(c => DivisionCode.Parse(c.Code)).All(c => c.Level == DivisionLevel.City && c.Province == "44"), Is.True);
        Assert.That(table.Cities.Select(c => c.Slug).Distinct().Count(), Is.EqualTo(21));
    }
}
