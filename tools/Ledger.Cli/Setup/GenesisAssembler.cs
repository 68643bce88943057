using System.Security.Cryptography;
using Ledger.Core;
using Ledger.Core.Genesis;
using Ledger.Core.Identity;
using Ledger.Crypto.Certificates;
using Ledger.Crypto.Transport;
using Ledger.Node.Config;

namespace Ledger.Cli.Setup;

/// <summary>
/// <c>ledger network genesis</c>: genesis.json from certificates alone — the province's root, the city CAs and each
/// validator's certificate under its genesis name — the same document <c>network init</c> writes, and for each validator
/// a folder to hand to its bureau: a config.json template, genesis.json and the validator's public certificates. No key
/// is read or written. Inconsistent input is refused before anything is written, with one line naming the file.
/// </summary>
public sealed class GenesisAssembler(GenesisAssemblyOptions options)
{
    public sealed record Result(string Directory, GenesisDocument Genesis, IReadOnlyList<string> NodeConfigs);

    private sealed record Validator(string Name, string Path, LedgerCertificate Certificate, LedgerCertificate Issuer, Uri Address);

    public Result Run()
    {
        if (!NetworkPreset.All.TryGetValue(options.Preset, out var preset))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"unknown preset '{options.Preset}' (devnet or guangdong)");
        var now = options.Now;
        var root = Read(options.RootCertificate, "root certificate");
        if (!root.IsCa || root.Role != Role.RootCa)
            throw Refuse(options.RootCertificate, $"{root.Subject} is not a root CA certificate ({Describe(root)})");
        RequireCurrent(options.RootCertificate, root, now);
        CertificateChainValidator rootOnly;
        try
        {
            rootOnly = new CertificateChainValidator(root, [], []);
        }
        catch (LedgerException e)
        {
            throw Refuse(options.RootCertificate, e.Message);
        }

        var authorities = new List<LedgerCertificate>();
        foreach (var path in options.CaCertificates)
        {
            var ca = Read(path, "CA certificate");
            if (!ca.IsCa) throw Refuse(path, $"{ca.Subject} is not a CA certificate ({Describe(ca)})");
            if (ca.Role != Role.IntermediateCa) throw Refuse(path, $"{ca.Subject} is a {ca.Role} certificate, not a city CA's");
            if (authorities.Any(a => a.Id == ca.Id)) throw Refuse(path, $"{ca.Subject} is given twice");
            if (authorities.Any(a => a.Subject == ca.Subject || a.Division == ca.Division))
                throw Refuse(path, $"{ca.Subject} ({ca.Division}) has the name or division of another CA given");
            var chained = rootOnly.Validate(ca, now);
            if (!chained.IsValid) throw Refuse(path, chained.Reason ?? chained.Code.ToString());
            authorities.Add(ca);
        }

        var chain = new CertificateChainValidator(root, authorities, []);
        var addresses = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var (name, url) in options.Addresses)
        {
            if (addresses.ContainsKey(name)) throw new LedgerException(ErrorCode.InvalidFieldValue, $"--address {name}: given twice");
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.IsDefaultPort || uri.AbsolutePath != "/")
                throw new LedgerException(ErrorCode.InvalidFieldValue, $"--address {name}={url}: not https://HOST:PORT");
            addresses[name] = uri;
        }
        var validators = new List<Validator>();
        var basePort = options.BasePort ?? preset.BasePort;
        foreach (var (name, path) in options.Validators)
        {
            if (!ValidatorTransportName.IsValidName(name)) throw Refuse(path, $"'{name}' is not a validator name (letters, digits, '.', '_', '-')");
            if (validators.Any(v => v.Name == name)) throw Refuse(path, $"the validator name '{name}' is given twice");
            var certificate = Read(path, "validator certificate");
            if (certificate.Role != Role.Validator || certificate.IsCa)
                throw Refuse(path, $"{certificate.Subject} is a {certificate.Role} certificate, not a validator's");
            if (validators.FirstOrDefault(v => v.Certificate.Id == certificate.Id || v.Certificate.PublicKey == certificate.PublicKey) is { } same)
                throw Refuse(path, $"validator '{name}' has the certificate or key of validator '{same.Name}'");
            var valid = chain.Validate(certificate, now);
            if (!valid.IsValid) throw Refuse(path, $"validator '{name}': {valid.Reason ?? valid.Code.ToString()}");
            chain.TryGetChain(certificate, out var links);
            var address = addresses.GetValueOrDefault(name) ?? new Uri($"https://127.0.0.1:{basePort + 2 * validators.Count}");
            validators.Add(new Validator(name, path, certificate, links![1], address));
        }
        if (validators.Count == 0) throw new LedgerException(ErrorCode.MissingField, "give at least one --validator NAME=PEM");
        if (addresses.Keys.FirstOrDefault(a => validators.All(v => v.Name != a)) is { } unknown)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"--address {unknown}: no validator of that name");
        if (validators.GroupBy(v => v.Address.Authority).FirstOrDefault(g => g.Count() > 1) is { } shared)
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"validators {string.Join(" and ", shared.Select(v => v.Name))} have the same address {shared.Key}");

        var chainId = options.ChainId ?? $"{preset.ChainIdPrefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        NetworkInitializer.ValidateChainId(chainId);
        var directory = Path.GetFullPath(options.OutputDirectory);
        if (File.Exists(Path.Combine(directory, NetworkLayout.Genesis)))
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{directory} already holds a genesis.json");
        string? transportCa = null;
        if (options.TransportCa is { } transportCaPath)
        {
            TransportTrust.Load(transportCaPath);
            transportCa = File.ReadAllText(transportCaPath);
        }

        var genesis = new GenesisDocument
        {
            ProtocolVersion = Ledger.Core.Governance.ProtocolVersions.Current,
            ChainId = chainId,
            NetworkName = options.Preset,
            GenesisTime = now.ToUnixTimeMilliseconds(),
            RootCertificate = root.ToPem(),
            IntermediateCertificates = authorities.Select(a => a.ToPem()).ToArray(),
            Validators = validators.Select(v => new GenesisValidator(v.Name, v.Certificate.Division.Value, v.Certificate.ToPem(), BureauNames.Of(v.Certificate.Division))).ToArray(),
            Consensus = preset.Consensus,
            Anchoring = preset.Anchoring,
            Chaincode = Ledger.Chaincode.LabourContractOptions.Guangdong.ToGenesis(),
        };
        var json = genesis.ToJson();
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, NetworkLayout.Genesis), json);

        var configs = new List<string>();
        foreach (var validator in validators)
        {
            var folder = Path.Combine(directory, NetworkLayout.NodesDirectory, validator.Name);
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, NetworkLayout.Genesis), json);
            File.WriteAllText(Path.Combine(folder, NetworkLayout.NodeCertificate), validator.Certificate.ToPem());
            var issuedByCity = validator.Issuer.Id != root.Id;
            if (issuedByCity) File.WriteAllText(Path.Combine(folder, NetworkLayout.IssuerCertificate), validator.Issuer.ToPem());
            if (transportCa is not null) File.WriteAllText(Path.Combine(folder, NetworkLayout.TransportCa), transportCa);
            var config = new NodeConfig
            {
                Name = validator.Name,
                Division = validator.Certificate.Division.Value,
                Genesis = NetworkLayout.Genesis,
                Key = NetworkLayout.NodeKey,
                Certificate = NetworkLayout.NodeCertificate,
                IssuerCertificate = issuedByCity ? NetworkLayout.IssuerCertificate : null,
                PassphraseEnv = options.PassphraseEnv,
                DataDir = "data",
                GrpcListen = Listen(validator.Address, 0),
                HttpListen = Listen(validator.Address, 1),
                Peers = validators.Where(v => v != validator).Select(v => new PeerAddress(v.Name, v.Address.GetLeftPart(UriPartial.Authority))).ToArray(),
                TlsCertificate = NetworkLayout.TlsCertificate,
                TlsKey = NetworkLayout.TlsKey,
                TransportCa = NetworkLayout.TransportCa,
            };
            var path = Path.Combine(folder, NetworkLayout.NodeConfig);
            File.WriteAllText(path, config.ToJson());
            configs.Add(path);
        }
        return new Result(directory, genesis, configs);
    }

    /// <summary>The listen address for the URL peers dial (the HTTP port is the next one): its IP, or every interface for a host name.</summary>
    private static string Listen(Uri address, int offset)
    {
        var host = address.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 ? address.Host : "0.0.0.0";
        return $"{host}:{address.Port + offset}";
    }

    /// <summary>The bureau's name as network init writes it, from the region table (null outside it).</summary>

    private static void RequireCurrent(string path, LedgerCertificate certificate, DateTimeOffset now)
    {
        if (now < certificate.NotBefore) throw Refuse(path, $"{certificate.Subject} is not valid before {certificate.NotBefore:u}");
        if (now > certificate.NotAfter) throw Refuse(path, $"{certificate.Subject} expired at {certificate.NotAfter:u}");
    }

    private static string Describe(LedgerCertificate certificate) =>
        certificate.IsCa ? $"a CA certificate of role {certificate.Role}" : $"an end-entity {certificate.Role} certificate without CA basic constraints";

    private static LedgerCertificate Read(string path, string what)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LedgerException(ErrorCode.MissingField, $"cannot read the {what} {path}: {e.Message}");
        }
        try
        {
            return LedgerCertificate.FromPem(text);
        }
        catch (LedgerException e)
        {
            throw Refuse(path, $"not a certificate: {e.Message}");
        }
    }

    private static LedgerException Refuse(string path, string reason) => new(ErrorCode.InvalidCertificate, $"{path}: {reason}");
}
