using System.Text.Json.Serialization;
using Ledger.Core;

namespace Ledger.Signer.Ca;

/// <summary>
/// A city CA process's config.json (<c>ledger ca serve --config FILE</c>), on the bureau's internal side. It alone holds the
/// city CA's key and the province's worker-pseudonym key; its one client is the city's signer, over mutual TLS with the
/// consortium's transport CA. Relative paths are relative to the file's own folder; secrets come from files or environment
/// variables it names.
/// </summary>
public sealed record CaConfig
{
    public required string Name { get; init; }

    /// <summary>The city CA's certificate (PEM) and its key file.</summary>
    public required string CaCertificate { get; init; }
    public required string CaKey { get; init; }

    /// <summary>Passphrase of the CA key file: a file or an environment variable.</summary>
    public string? PassphraseFile { get; init; }
    public string? PassphraseEnv { get; init; }

    /// <summary>The province's worker-pseudonym key (64 hex digits): without it this CA enrols no workers.</summary>
    public string? PseudonymKeyFile { get; init; }

    /// <summary>CRLs (PEM) of this city CA: an operator certificate listed in one authorises nothing.</summary>
    public IReadOnlyList<string>? CrlFiles { get; init; }

    /// <summary>The TLS certificate and key (PEM, from the transport CA) of the listener, and the transport CA clients must chain to.</summary>
    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }
    public string? TransportCa { get; init; }

    /// <summary>The TLS names (the transport certificate's CN, e.g. "guangzhou-signer") of the signers allowed to call.</summary>
    public IReadOnlyList<string> AllowedClients { get; init; } = [];

    /// <summary>Plaintext and no client certificates, for debugging only: then any caller reaches the authorisation check.</summary>
    public bool? Insecure { get; init; }

    public required string DataDir { get; init; }

    /// <summary>host:port of the gRPC endpoint: an internal address, never the internet (docs/operations.md).</summary>
    public required string GrpcListen { get; init; }

    /// <summary>How far an authorisation's time may be from this CA's clock, either way.</summary>
    public int AuthorisationSeconds { get; init; } = 300;

    public int CertificateYears { get; init; } = 3;

    public int KdfIterations { get; init; } = Crypto.KeyFileOptions.MinimumIterations;
    public bool? AllowWeakKdf { get; init; }

    [JsonIgnore]
    public string BaseDirectory { get; init; } = ".";

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public string ToJson() => JsonConfigFile.ToJson(this);

    public static CaConfig Load(string path) =>
        JsonConfigFile.Load<CaConfig>(path, (config, directory) => config with { BaseDirectory = directory }, config => config.Validate());

    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new LedgerException(ErrorCode.InvalidFieldValue, $"ca config: {message}");
        }
        Require(!string.IsNullOrWhiteSpace(CaCertificate) && !string.IsNullOrWhiteSpace(CaKey), "caCertificate and caKey are required");
        Require(PassphraseFile is not null || PassphraseEnv is not null, "passphraseFile or passphraseEnv is required");
        Require(AuthorisationSeconds is >= 10 and <= 3_600, "authorisationSeconds must be 10..3600");
        Require(CertificateYears is >= 1 and <= 20, "certificateYears must be 1..20");
        Require(KdfIterations is >= 1 and <= Crypto.KeyFileOptions.MaximumIterations, "kdfIterations is out of range");
        Require(KdfIterations >= Crypto.KeyFileOptions.MinimumIterations || AllowWeakKdf == true,
            $"kdfIterations below {Crypto.KeyFileOptions.MinimumIterations} needs allowWeakKdf (tests only)");
        Require(Insecure == true || (TlsCertificate is not null && TlsKey is not null && TransportCa is not null),
            "tlsCertificate, tlsKey and transportCa are required (mutual TLS; insecure: true only for debugging)");
        Require(Insecure == true || AllowedClients.Count > 0, "allowedClients names the signer(s) that may call (their TLS names, e.g. \"guangzhou-signer\")");
    }

    internal Crypto.KeyFileOptions KeyFileOptions => new(KdfIterations) { AllowWeakIterations = AllowWeakKdf == true };

    internal string ReadPassphrase()
    {
        if (PassphraseFile is not null)
        {
            var path = Resolve(PassphraseFile);
            if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"ca config: the passphrase file {path} does not exist");
            return File.ReadAllText(path).Trim();
        }
        return Environment.GetEnvironmentVariable(PassphraseEnv!) is { Length: > 0 } value
            ? value
            : throw new LedgerException(ErrorCode.MissingField, $"ca config: environment variable {PassphraseEnv} (the passphrase) is not set");
    }

    internal byte[]? ReadPseudonymKey()
    {
        if (PseudonymKeyFile is null) return null;
        var path = Resolve(PseudonymKeyFile);
        if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"ca config: the pseudonym key file {path} does not exist");
        var hex = File.ReadAllText(path).Trim();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, "the pseudonym key must be 64 hex digits (32 bytes)");
        return Convert.FromHexString(hex);
    }

    internal IReadOnlyList<Crypto.Certificates.CertificateRevocationList> ReadCrls() =>
        (CrlFiles ?? []).Select(file =>
        {
            var path = Resolve(file);
            if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"ca config: the CRL file {path} does not exist");
            return Crypto.Certificates.CertificateRevocationList.FromPem(File.ReadAllText(path));
        }).ToArray();
}
