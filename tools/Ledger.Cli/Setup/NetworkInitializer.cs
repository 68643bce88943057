using System.Net;
using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.Node.Config;

namespace Ledger.Cli.Setup;

/// <summary>
/// Writes a whole network directory: the province's root CA, a CA for each city bureau, a key and a
/// certificate for every validator (the province's issued by the root, each city's by its city CA),
/// genesis.json and a config.json per node; and the consortium's transport CA (ECDSA P-256, transport-ca.pem) with a
/// TLS certificate for every node, the signer and the explorer. Nothing is written over an existing network.
/// </summary>
public sealed class NetworkInitializer(NetworkInitOptions options)
{
    /// <summary>What was written, for the caller to print.</summary>
    public sealed record Result(string Directory, GenesisDocument Genesis, IReadOnlyList<string> NodeConfigs, string? PassphraseFile, string? SignerConfig = null)
    {
        /// <summary>The CA process's config of the signer's city (ca-services/&lt;city&gt;/config.json): it holds that city's CA key.</summary>
        public string? CaServiceConfig { get; init; }

        /// <summary>The observers' configs (devnet, <see cref="NetworkInitOptions.Observers"/>).</summary>
        public IReadOnlyList<string> ObserverConfigs { get; init; } = [];
    }

    /// <param name="Spare">Prepared for a governance vote to add, not in genesis (devnet).</param>
    private sealed record Member(Region Region, bool IsProvince, int Index, bool Spare = false);

    public Result Run()
    {
        if (!NetworkPreset.All.TryGetValue(options.Preset, out var preset))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"unknown preset '{options.Preset}' (devnet or guangdong)");
        var members = Members(options.Preset, preset);
        var genesisCount = members.Count(m => !m.Spare);
        var directory = Path.GetFullPath(options.OutputDirectory);
        if (File.Exists(Path.Combine(directory, NetworkLayout.Genesis)))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{directory} already holds a network (genesis.json exists)");
        Directory.CreateDirectory(directory);

        string? passphraseFile = null;
        var passphrase = options.Passphrase;
        if (passphrase is null)
        {
            passphrase = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
            passphraseFile = Path.Combine(directory, NetworkLayout.Passphrase);
            WritePrivate(passphraseFile, passphrase + "\n");
        }
        var keyOptions = options.KdfIterations is { } n
            ? new KeyFileOptions(n) { AllowWeakIterations = n < KeyFileOptions.MinimumIterations }
            : new KeyFileOptions();

        var notBefore = options.Now.AddHours(-1);
        var notAfter = options.Now.AddYears(preset.CertificateYears);
        var caDirectory = Path.Combine(directory, NetworkLayout.CaDirectory);
        Directory.CreateDirectory(caDirectory);

        var province = members[0].Region;
        using var rootKey = Sm2PrivateKey.Generate();
        var root = CertificateAuthority.CreateRoot($"{province.NameEn} HRSS Root CA", DivisionCode.Parse(province.Code), rootKey, notBefore, notAfter.AddYears(5));
        KeyFile.Save(Path.Combine(caDirectory, NetworkLayout.RootKey), rootKey, passphrase, keyOptions);
        WritePrivate(Path.Combine(caDirectory, NetworkLayout.PseudonymKey), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) + "\n");
        File.WriteAllText(Path.Combine(caDirectory, NetworkLayout.RootCertificate), root.Certificate.ToPem());

        // The transport CA is not in genesis: TLS certificates are rotated as operations need, the chain's trust anchor never.
        using var transportCa = TransportCertificateAuthority.Create($"{province.NameEn} HRSS Ledger consortium", notBefore, notAfter.AddYears(5));
        transportCa.SaveKey(Path.Combine(caDirectory, NetworkLayout.TransportCaKey), passphrase, Math.Max(keyOptions.Iterations, 1000));
        File.WriteAllText(Path.Combine(directory, NetworkLayout.TransportCa), transportCa.CertificatePem());
        // A validator's certificate also names it (ValidatorTransportName): the peer service admits only such, as that validator.
        void WriteTls(string folder, string name, string? validator = null)
        {
            using var certificate = transportCa.Issue(name, ["localhost", name], [IPAddress.Loopback, IPAddress.IPv6Loopback], notBefore, notAfter, validator);
            TransportCredentials.Save(certificate, Path.Combine(folder, NetworkLayout.TlsCertificate), Path.Combine(folder, NetworkLayout.TlsKey));
        }

        var validators = new List<GenesisValidator>();
        var intermediates = new List<string>();
        var configs = new List<string>();
        var basePort = options.BasePort ?? preset.BasePort;
        var chainId = options.ChainId ?? $"{preset.ChainIdPrefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        ValidateChainId(chainId);
        string? signerConfig = null;
        string? caServiceConfig = null;
        var signerPort = GrpcPort(basePort, genesisCount);
        // The signer's CA process takes the port after every other: the anchoring and analytics services (the explorer's
        // port + 1..3), the spare validators and the observers (two each).
        var caPort = GrpcPort(basePort, genesisCount) + 6 + 2 * members.Count(m => m.Spare) + 2 * options.Observers;
        // Validators first, then the signer (two ports) and the explorer; spare validators after them, two ports each.
        int PortOf(Member m) => m.Spare ? GrpcPort(basePort, genesisCount) + 3 + 2 * (m.Index - genesisCount) : GrpcPort(basePort, m.Index);
        string WriteSigner(CertificateAuthority cityCa, Region city)
        {
            // A devnet also gets an example employer and worker of the signer's city, for the README walk-through.
            if (options.Preset == "devnet") WriteExampleIdentities(directory, cityCa, city, passphrase, keyOptions, notBefore, notAfter);
            var path = this.WriteSigner(directory, cityCa, city, chainId, $"https://127.0.0.1:{GrpcPort(basePort, 0)}",
                signerPort, $"https://127.0.0.1:{caPort}", passphraseFile, keyOptions, notBefore, notAfter, passphrase);
            WriteTls(Path.GetDirectoryName(path)!, $"{city.Slug}-signer");
            // The city's CA process, which alone holds the city CA's key and the pseudonym key; its one caller is that signer.
            caServiceConfig = WriteCaService(directory, city, caPort, $"{city.Slug}-signer", passphraseFile, keyOptions);
            WriteTls(Path.GetDirectoryName(caServiceConfig)!, $"{city.Slug}-ca");
            return path;
        }

        foreach (var member in members)
        {
            var division = DivisionCode.Parse(member.Region.Code);
            CertificateAuthority issuer;
            // The city CA's key signs the validator's certificate below, so it lives to the end of the iteration.
            using var cityKey = member.IsProvince ? null : Sm2PrivateKey.Generate();
            if (cityKey is null)
            {
                issuer = root;
            }
            else
            {
                issuer = root.IssueIntermediate($"{member.Region.NameEn} HRSS CA", division, cityKey, notBefore, notAfter);
                KeyFile.Save(Path.Combine(caDirectory, $"{member.Region.Slug}.key"), cityKey, passphrase, keyOptions);
                File.WriteAllText(Path.Combine(caDirectory, $"{member.Region.Slug}.pem"), issuer.Certificate.ToPem());
                intermediates.Add(issuer.Certificate.ToPem());
                WriteOperator(directory, issuer, member.Region, passphrase, keyOptions, notBefore, notAfter);
                // The first city bureau runs the network's signer service (devnet; in production each city may).
                signerConfig ??= WriteSigner(issuer, member.Region);
            }

            var nodeDirectory = Path.Combine(directory, NetworkLayout.NodesDirectory, member.Region.Slug);
            Directory.CreateDirectory(nodeDirectory);
            using var nodeKey = Sm2PrivateKey.Generate();
            var certificate = issuer.Issue(new CertificateRequest(
                $"{member.Region.NameEn} validator", Role.Validator, division, nodeKey.PublicKey, notBefore, notAfter));
            KeyFile.Save(Path.Combine(nodeDirectory, NetworkLayout.NodeKey), nodeKey, passphrase, keyOptions);
            File.WriteAllText(Path.Combine(nodeDirectory, NetworkLayout.NodeCertificate), certificate.ToPem());
            if (!member.IsProvince) File.WriteAllText(Path.Combine(nodeDirectory, NetworkLayout.IssuerCertificate), issuer.Certificate.ToPem());
            WriteTls(nodeDirectory, member.Region.Slug, validator: member.Region.Slug);
            if (!member.Spare)
                validators.Add(new GenesisValidator(member.Region.Slug, division.Value, certificate.ToPem(), BureauNames.Of(division)));
        }

        if (signerConfig is null)
        {
            // No city validator (a one-validator devnet): the first city's CA is made for its signer alone.
            var city = RegionTable.Guangdong.Cities[0];
            using var cityKey = Sm2PrivateKey.Generate();
            var cityCa = root.IssueIntermediate($"{city.NameEn} HRSS CA", DivisionCode.Parse(city.Code), cityKey, notBefore, notAfter);
            KeyFile.Save(Path.Combine(caDirectory, $"{city.Slug}.key"), cityKey, passphrase, keyOptions);
            File.WriteAllText(Path.Combine(caDirectory, $"{city.Slug}.pem"), cityCa.Certificate.ToPem());
            intermediates.Add(cityCa.Certificate.ToPem());
            WriteOperator(directory, cityCa, city, passphrase, keyOptions, notBefore, notAfter);
            signerConfig = WriteSigner(cityCa, city);
        }

        // explorer/: its TLS certificate, and the province's Observer certificate its calls to the node are signed with
        // (headers, seals, public views; a staff read is recorded on chain first).
        var explorerDirectory = Path.Combine(directory, NetworkLayout.ExplorerDirectory);
        Directory.CreateDirectory(explorerDirectory);
        WriteTls(explorerDirectory, "explorer");
        using (var explorerKey = Sm2PrivateKey.Generate())
        {
            var explorerCertificate = root.Issue(new CertificateRequest($"{province.NameEn} explorer", Role.Observer, DivisionCode.Parse(province.Code), explorerKey.PublicKey, notBefore, notAfter));
            KeyFile.Save(Path.Combine(explorerDirectory, NetworkLayout.ExplorerKey), explorerKey, passphrase, keyOptions);
            File.WriteAllText(Path.Combine(explorerDirectory, NetworkLayout.ExplorerCertificate), explorerCertificate.ToPem());
        }

        var genesis = new GenesisDocument
        {
            ProtocolVersion = Ledger.Core.Governance.ProtocolVersions.Current,
            ChainId = chainId,
            NetworkName = options.Preset,
            GenesisTime = options.Now.ToUnixTimeMilliseconds(),
            RootCertificate = root.Certificate.ToPem(),
            IntermediateCertificates = intermediates,
            Validators = validators,
            Consensus = preset.Consensus,
            Anchoring = preset.Anchoring,
            Chaincode = Ledger.Chaincode.LabourContractOptions.Guangdong.ToGenesis(),
        };
        File.WriteAllText(Path.Combine(directory, NetworkLayout.Genesis), genesis.ToJson());

        // A spare validator is every node's peer from the start: its connections are refused until a vote adds it.
        var peers = members.Select(m => new PeerAddress(m.Region.Slug, $"https://127.0.0.1:{PortOf(m)}")).ToArray();
        foreach (var member in members)
        {
            var nodeDirectory = Path.Combine(directory, NetworkLayout.NodesDirectory, member.Region.Slug);
            var config = new NodeConfig
            {
                Name = member.Region.Slug,
                Division = member.Region.Code,
                Genesis = Path.Combine("..", "..", NetworkLayout.Genesis),
                Key = NetworkLayout.NodeKey,
                Certificate = NetworkLayout.NodeCertificate,
                IssuerCertificate = member.IsProvince ? null : NetworkLayout.IssuerCertificate,
                PassphraseFile = passphraseFile is null ? null : Path.Combine("..", "..", NetworkLayout.Passphrase),
                PassphraseEnv = passphraseFile is null ? options.PassphraseEnv : null,
                AllowWeakKdf = keyOptions.AllowWeakIterations ? true : null,
                DataDir = "data",
                GrpcListen = $"127.0.0.1:{PortOf(member)}",
                HttpListen = $"127.0.0.1:{PortOf(member) + 1}",
                Peers = peers.Where(p => p.Name != member.Region.Slug).ToArray(),
                TlsCertificate = NetworkLayout.TlsCertificate,
                TlsKey = NetworkLayout.TlsKey,
                TransportCa = Path.Combine("..", "..", NetworkLayout.TransportCa),
            };
            var path = Path.Combine(nodeDirectory, NetworkLayout.NodeConfig);
            File.WriteAllText(path, config.ToJson());
            configs.Add(path);
        }
        // observers/: nodes that follow every genesis validator and never vote (a court or an inspector may run one);
        // their ports follow the spare validators'.
        var observerConfigs = new List<string>();
        var spares = members.Count(m => m.Spare);
        for (var i = 1; i <= options.Observers; i++)
        {
            var name = $"observer-{i}";
            var observerDirectory = Path.Combine(directory, NetworkLayout.ObserversDirectory, name);
            Directory.CreateDirectory(observerDirectory);
            using var observerKey = Sm2PrivateKey.Generate();
            var observerCertificate = root.Issue(new CertificateRequest($"{province.NameEn} {name}", Role.Observer, DivisionCode.Parse(province.Code), observerKey.PublicKey, notBefore, notAfter));
            KeyFile.Save(Path.Combine(observerDirectory, NetworkLayout.NodeKey), observerKey, passphrase, keyOptions);
            File.WriteAllText(Path.Combine(observerDirectory, NetworkLayout.NodeCertificate), observerCertificate.ToPem());
            WriteTls(observerDirectory, name);
            var port = GrpcPort(basePort, genesisCount) + 3 + 2 * spares + 2 * (i - 1);
            var config = new NodeConfig
            {
                Name = name,
                Division = province.Code,
                Genesis = Path.Combine("..", "..", NetworkLayout.Genesis),
                Key = NetworkLayout.NodeKey,
                Certificate = NetworkLayout.NodeCertificate,
                PassphraseFile = passphraseFile is null ? null : Path.Combine("..", "..", NetworkLayout.Passphrase),
                PassphraseEnv = passphraseFile is null ? options.PassphraseEnv : null,
                AllowWeakKdf = keyOptions.AllowWeakIterations ? true : null,
                DataDir = "data",
                GrpcListen = $"127.0.0.1:{port}",
                HttpListen = $"127.0.0.1:{port + 1}",
                Upstream = [.. members.Where(m => !m.Spare).Select(m => $"https://127.0.0.1:{PortOf(m)}")],
                TlsCertificate = NetworkLayout.TlsCertificate,
                TlsKey = NetworkLayout.TlsKey,
                TransportCa = Path.Combine("..", "..", NetworkLayout.TransportCa),
            };
            var path = Path.Combine(observerDirectory, NetworkLayout.NodeConfig);
            File.WriteAllText(path, config.ToJson());
            observerConfigs.Add(path);
        }
        return new Result(directory, genesis, configs, passphraseFile, signerConfig) { ObserverConfigs = observerConfigs, CaServiceConfig = caServiceConfig };
    }

    private static int GrpcPort(int basePort, int index) => basePort + 2 * index;

    /// <summary>
    /// operators/&lt;city&gt;/: the city bureau's operator — a key file and an Operator certificate from the city CA naming
    /// the operator, who signs enrolment authorisations, the signer's Enrol and bureau audit reads with them (and nothing on
    /// chain). A devnet shortcut (so is every key here): a real operator makes their own key and sends a CSR.
    /// </summary>
    private static void WriteOperator(string directory, CertificateAuthority cityCa, Region city, string passphrase, KeyFileOptions keyOptions,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var operatorDirectory = Path.Combine(directory, NetworkLayout.OperatorsDirectory, city.Slug);
        Directory.CreateDirectory(operatorDirectory);
        using var key = Sm2PrivateKey.Generate();
        var certificate = cityCa.Issue(new CertificateRequest($"{city.NameEn} bureau operator (devnet shortcut)", Role.Operator, DivisionCode.Parse(city.Code),
            key.PublicKey, notBefore, notAfter));
        KeyFile.Save(Path.Combine(operatorDirectory, NetworkLayout.OperatorKey), key, passphrase, keyOptions);
        File.WriteAllText(Path.Combine(operatorDirectory, NetworkLayout.OperatorCertificate), certificate.ToPem());
    }

    /// <summary>
    /// ca-services/&lt;city&gt;/config.json: the city's CA process (<c>ledger ca serve</c>), on the bureau's internal side —
    /// the city CA's key and the province's pseudonym key from ca/, its issuance log in data/, and the one TLS name it
    /// serves (the city's signer).
    /// </summary>
    private string WriteCaService(string directory, Region city, int port, string signerName, string? passphraseFile, KeyFileOptions keyOptions)
    {
        var caDirectory = Path.Combine(directory, NetworkLayout.CaServicesDirectory, city.Slug);
        Directory.CreateDirectory(caDirectory);
        var config = new Signer.Ca.CaConfig
        {
            Name = $"{city.Slug}-ca",
            CaCertificate = Path.Combine("..", "..", NetworkLayout.CaDirectory, $"{city.Slug}.pem"),
            CaKey = Path.Combine("..", "..", NetworkLayout.CaDirectory, $"{city.Slug}.key"),
            PassphraseFile = passphraseFile is null ? null : Path.Combine("..", "..", NetworkLayout.Passphrase),
            PassphraseEnv = passphraseFile is null ? options.PassphraseEnv : null,
            PseudonymKeyFile = Path.Combine("..", "..", NetworkLayout.CaDirectory, NetworkLayout.PseudonymKey),
            TlsCertificate = NetworkLayout.TlsCertificate,
            TlsKey = NetworkLayout.TlsKey,
            TransportCa = Path.Combine("..", "..", NetworkLayout.TransportCa),
            AllowedClients = [signerName],
            DataDir = "data",
            GrpcListen = $"127.0.0.1:{port}",
            KdfIterations = keyOptions.Iterations,
            AllowWeakKdf = keyOptions.AllowWeakIterations ? true : null,
        };
        var path = Path.Combine(caDirectory, NetworkLayout.CaServiceConfig);
        File.WriteAllText(path, config.ToJson());
        return path;
    }

    /// <summary>
    /// signers/&lt;city&gt;/: the signer's Bureau certificate and key (it anchors its audit head with them), a random
    /// key-encryption key (0600), and config.json naming the city CA's certificate and its CA process (the signer holds no
    /// CA key). Its operators are operators/&lt;city&gt;/'s.
    /// </summary>
    private string WriteSigner(string directory, CertificateAuthority cityCa, Region city, string chainId, string nodeUrl, int grpcPort, string caUrl,
        string? passphraseFile, KeyFileOptions keyOptions, DateTimeOffset notBefore, DateTimeOffset notAfter, string passphrase)
    {
        var signerDirectory = Path.Combine(directory, NetworkLayout.SignersDirectory, city.Slug);
        Directory.CreateDirectory(signerDirectory);
        using var key = Sm2PrivateKey.Generate();
        var certificate = cityCa.Issue(new CertificateRequest($"{city.NameEn} signer service", Role.Bureau, DivisionCode.Parse(city.Code), key.PublicKey, notBefore, notAfter));
        KeyFile.Save(Path.Combine(signerDirectory, NetworkLayout.SignerKey), key, passphrase, keyOptions);
        File.WriteAllText(Path.Combine(signerDirectory, NetworkLayout.SignerCertificate), certificate.ToPem());
        WritePrivate(Path.Combine(signerDirectory, NetworkLayout.SignerKek), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "\n");
        var config = new Signer.SignerConfig
        {
            Name = $"{city.Slug}-signer",
            ChainId = chainId,
            NodeUrl = nodeUrl,
            CaCertificate = Path.Combine("..", "..", NetworkLayout.CaDirectory, $"{city.Slug}.pem"),
            CaUrl = caUrl,
            Certificate = NetworkLayout.SignerCertificate,
            Key = NetworkLayout.SignerKey,
            PassphraseFile = passphraseFile is null ? null : Path.Combine("..", "..", NetworkLayout.Passphrase),
            PassphraseEnv = passphraseFile is null ? options.PassphraseEnv : null,
            KekFile = NetworkLayout.SignerKek,
            DataDir = "data",
            GrpcListen = $"127.0.0.1:{grpcPort}",
            HttpListen = $"127.0.0.1:{grpcPort + 1}",
            KdfIterations = keyOptions.Iterations,
            AllowWeakKdf = keyOptions.AllowWeakIterations ? true : null,
            AnchorIntervalSeconds = options.Preset == "devnet" ? 10 : 60,
            TlsCertificate = NetworkLayout.TlsCertificate,
            TlsKey = NetworkLayout.TlsKey,
            TransportCa = Path.Combine("..", "..", NetworkLayout.TransportCa),
        };
        var path = Path.Combine(signerDirectory, NetworkLayout.SignerConfig);
        File.WriteAllText(path, config.ToJson());
        return path;
    }

    /// <summary>
    /// identities/: an example employer (credit code <see cref="ExampleEmployerCreditCode"/>) and worker, each a key file
    /// and a certificate from the city CA, and the worker's pseudonym — HMAC-SM3 of an invented ID number under the
    /// province's pseudonym key, as a bureau computes it at enrolment; the ID number itself is written nowhere.
    /// </summary>
    private static void WriteExampleIdentities(string directory, CertificateAuthority cityCa, Region city, string passphrase, KeyFileOptions keyOptions,
        DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var identities = Path.Combine(directory, NetworkLayout.IdentitiesDirectory);
        Directory.CreateDirectory(identities);
        var division = DivisionCode.Parse(city.Code);
        using (var employerKey = Sm2PrivateKey.Generate())
        {
            var employer = cityCa.Issue(new CertificateRequest($"Example Employer of {city.NameEn}", Role.Employer, division, employerKey.PublicKey, notBefore, notAfter,
                CreditCode.Parse(ExampleEmployerCreditCode)));
            KeyFile.Save(Path.Combine(identities, NetworkLayout.EmployerKey), employerKey, passphrase, keyOptions);
            File.WriteAllText(Path.Combine(identities, NetworkLayout.EmployerCertificate), employer.ToPem());
        }
        var pseudonymKey = Convert.FromHexString(File.ReadAllText(Path.Combine(directory, NetworkLayout.CaDirectory, NetworkLayout.PseudonymKey)).Trim());
        var pseudonym = WorkerPseudonym.Compute(pseudonymKey, "440106199001011235");
        using (var workerKey = Sm2PrivateKey.Generate())
        {
            var worker = cityCa.Issue(new CertificateRequest($"worker {pseudonym.ToHex()[..32]}", Role.Worker, division, workerKey.PublicKey, notBefore, notAfter, null, pseudonym));
            KeyFile.Save(Path.Combine(identities, NetworkLayout.WorkerKey), workerKey, passphrase, keyOptions);
            File.WriteAllText(Path.Combine(identities, NetworkLayout.WorkerCertificate), worker.ToPem());
        }
        File.WriteAllText(Path.Combine(identities, NetworkLayout.WorkerPseudonym), pseudonym.ToHex() + "\n");
    }

    /// <summary>A valid unified social credit code (GB 32100 check character D) registered in Guangzhou, for the devnet's example employer.</summary>
    public const string ExampleEmployerCreditCode = "91440101MA59ABCD1D";

    private List<Member> Members(string presetName, NetworkPreset preset)
    {
        var table = RegionTable.Guangdong;
        int count;
        if (presetName == "guangdong")
        {
            if (options.Validators is not null && options.Validators != table.Cities.Count + 1)
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"the guangdong preset has {table.Cities.Count + 1} validators; --validators does not apply");
            count = table.Cities.Count + 1;
        }
        else
        {
            count = options.Validators ?? preset.DefaultValidators ?? 4;
            if (count < 1 || count > table.Cities.Count + 1)
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"--validators must be 1 to {table.Cities.Count + 1}");
        }
        if (options.Observers < 0 || (options.Observers > 0 && presetName != "devnet"))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "--observers is a devnet option (0 or more)");
        if (options.SpareValidators < 0 || (options.SpareValidators > 0 && presetName != "devnet"))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "--spare-validators is a devnet option (0 or more)");
        if (count + options.SpareValidators > table.Cities.Count + 1)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"validators and spare validators together are at most {table.Cities.Count + 1}");
        var members = new List<Member> { new(table.Province, true, 0) };
        members.AddRange(table.Cities.Take(count - 1).Select((city, i) => new Member(city, false, i + 1)));
        members.AddRange(table.Cities.Skip(count - 1).Take(options.SpareValidators).Select((city, i) => new Member(city, false, count + i, Spare: true)));
        return members;
    }

    internal static void ValidateChainId(string chainId)
    {
        if (chainId.Length is 0 or > 64 || !chainId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new LedgerException(ErrorCode.InvalidFieldValue, "a chain id is 1 to 64 letters, digits, '-', '_' or '.'");
    }

    private static void WritePrivate(string path, string content) => TransportCredentials.WritePrivate(path, content);
}
