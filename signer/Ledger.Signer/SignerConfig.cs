using System.Text.Json.Serialization;
using Ledger.Core;

namespace Ledger.Signer;

/// <summary>
/// A signer's config.json (<c>ledger signer --config FILE</c>). Relative paths are relative to the file's own folder.
/// Secrets never sit in it: the key files' passphrase and the key-encryption key come from files (mode 0600) or
/// environment variables it names. Operators need no secret here: they sign their calls with their own Bureau
/// certificates from the city CA.
/// </summary>
public sealed record SignerConfig
{
    public required string Name { get; init; }
    public required string ChainId { get; init; }

    /// <summary>A validator's gRPC address for anchoring the audit head; null = no anchoring (tests, benchmarks).</summary>
    public string? NodeUrl { get; init; }

    /// <summary>The signer's TLS certificate and key (PEM, from the consortium's transport CA) for both listeners.</summary>
    public string? TlsCertificate { get; init; }
    public string? TlsKey { get; init; }

    /// <summary>The consortium's transport CA (transport-ca.pem): the node at <see cref="NodeUrl"/> must present a certificate from it.</summary>
    public string? TransportCa { get; init; }

    /// <summary>Plaintext listeners and node connection, for debugging only (<c>ledger signer --insecure</c>).</summary>
    public bool? Insecure { get; init; }

    /// <summary>The bureau's intermediate CA certificate (PEM): its operators are the signer's, its certificates the holders'.</summary>
    public required string CaCertificate { get; init; }

    /// <summary>
    /// The city's CA process (<c>ledger ca serve</c>, https:// over mutual TLS with the signer's TLS certificate): it certifies
    /// holders' keys on an operator's authorisation. The signer holds no CA key.
    /// </summary>
    public string? CaUrl { get; init; }

    /// <summary>Removed: the city CA's key moved to the CA process. A config that still names it is refused (<see cref="Validate"/>).</summary>
    public string? CaKey { get; init; }

    /// <summary>The signer's own Bureau certificate and key file: it submits the anchors with them.</summary>
    public string? Certificate { get; init; }
    public string? Key { get; init; }

    /// <summary>Passphrase of the signer's key file: a file or an environment variable.</summary>
    public string? PassphraseFile { get; init; }
    public string? PassphraseEnv { get; init; }

    /// <summary>The service key-encryption key (16 bytes, 32 hex digits) that wraps every holder's key file.</summary>
    public string? KekFile { get; init; }
    public string? KekEnv { get; init; }

    /// <summary>
    /// Removed: a shared secret that once let anyone holding it list the whole audit log. A config that still names it is
    /// refused (<see cref="Validate"/>) rather than silently losing the bureau view: operators now sign Enrol and
    /// ListAuditEvents with their own Bureau certificates from this city's CA.
    /// </summary>
    public string? OperatorTokenFile { get; init; }

    /// <summary>
    /// CRLs (PEM) of this signer's city CA: an operator certificate listed in one is refused. Each must be signed by the CA.
    /// </summary>
    public IReadOnlyList<string>? CrlFiles { get; init; }

    /// <summary>Removed: the province's worker-pseudonym key is the CA process's (it computes the pseudonym). Refused if named.</summary>
    public string? PseudonymKeyFile { get; init; }

    public required string DataDir { get; init; }

    /// <summary>host:port of the gRPC endpoint (HTTP/2 only).</summary>
    public required string GrpcListen { get; init; }

    /// <summary>host:port of the HTTP/1.1 endpoint: /healthz and /metrics.</summary>
    public required string HttpListen { get; init; }

    public int AnchorIntervalSeconds { get; init; } = 60;
    public int ChallengeSeconds { get; init; } = 300;
    public int MaxFailedPins { get; init; } = 5;
    public int LockoutSeconds { get; init; } = 900;

    /// <summary>The longest a key stays locked: each lock since the last right PIN doubles, up to this (24 h).</summary>
    public int MaxLockoutSeconds { get; init; } = 86_400;
    public double RateLimitPerSecond { get; init; } = 20;
    public int RateLimitBurst { get; init; } = 40;
    public int MaxMessageBytes { get; init; } = 64 * 1024;
    public int CallTimeoutSeconds { get; init; } = 30;

    /// <summary>PBKDF2-HMAC-SM3 iterations of the holders' key files; below 600,000 only with <see cref="AllowWeakKdf"/>.</summary>
    public int KdfIterations { get; init; } = Crypto.KeyFileOptions.MinimumIterations;
    public bool? AllowWeakKdf { get; init; }

    public int CertificateYears { get; init; } = 3;

    [JsonIgnore]
    public string BaseDirectory { get; init; } = ".";

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(BaseDirectory, path));

    public string ToJson() => JsonConfigFile.ToJson(this);

    public static SignerConfig Load(string path) =>
        JsonConfigFile.Load<SignerConfig>(path, (config, directory) => config with { BaseDirectory = directory }, config => config.Validate());

    /// <summary>Refuses values that would make the service unsafe or useless, naming the field.</summary>
    public void Validate()
    {
        static void Require(bool ok, string message)
        {
            if (!ok) throw new LedgerException(ErrorCode.InvalidFieldValue, $"signer config: {message}");
        }
        Require(OperatorTokenFile is null,
            "operatorTokenFile is no longer supported: remove it; operators sign Enrol and ListAuditEvents with their own Bureau certificates from this city's CA");
        Require(CaKey is null,
            "caKey is no longer supported: the city CA's key lives in the bureau's internal CA process (ledger ca serve --config FILE); remove caKey and set caUrl to that process");
        Require(PseudonymKeyFile is null,
            "pseudonymKeyFile is no longer supported: the CA process (ledger ca serve) holds the pseudonym key and computes the pseudonym; remove it from the signer's config");
        Require(!string.IsNullOrWhiteSpace(CaUrl), "caUrl is required: the city's CA process (ledger ca serve), e.g. https://10.0.0.5:7614");
        Require(Insecure == true || CaUrl!.StartsWith("https://", StringComparison.Ordinal), "caUrl must be https:// unless insecure");
        Require(!string.IsNullOrWhiteSpace(ChainId), "chainId is required");
        Require(AnchorIntervalSeconds is >= 1 and <= 86_400, "anchorIntervalSeconds must be 1..86400");
        Require(ChallengeSeconds is >= 10 and <= 3_600, "challengeSeconds must be 10..3600");
        Require(MaxFailedPins is >= 1 and <= 100, "maxFailedPins must be 1..100");
        Require(LockoutSeconds is >= 1 and <= 30 * 86_400, "lockoutSeconds must be 1..2592000");
        Require(MaxLockoutSeconds >= LockoutSeconds && MaxLockoutSeconds <= 30 * 86_400, "maxLockoutSeconds must be lockoutSeconds..2592000");
        Require(RateLimitPerSecond is > 0 and <= 100_000, "rateLimitPerSecond must be above 0");
        Require(RateLimitBurst is >= 1 and <= 100_000, "rateLimitBurst must be 1..100000");
        Require(MaxMessageBytes is >= 1024 and <= 4 * 1024 * 1024, "maxMessageBytes must be 1 KiB..4 MiB");
        Require(CallTimeoutSeconds is >= 1 and <= 600, "callTimeoutSeconds must be 1..600");
        Require(KdfIterations is >= 1 and <= Crypto.KeyFileOptions.MaximumIterations, "kdfIterations is out of range");
        Require(KdfIterations >= Crypto.KeyFileOptions.MinimumIterations || AllowWeakKdf == true,
            $"kdfIterations below {Crypto.KeyFileOptions.MinimumIterations} needs allowWeakKdf (tests only)");
        Require(CertificateYears is >= 1 and <= 20, "certificateYears must be 1..20");
        Require(KekFile is not null || KekEnv is not null, "kekFile or kekEnv is required");
        Require(PassphraseFile is not null || PassphraseEnv is not null, "passphraseFile or passphraseEnv is required");
        Require(NodeUrl is null || (Certificate is not null && Key is not null), "anchoring (nodeUrl) needs the signer's certificate and key");
        Require(Insecure == true || (TlsCertificate is not null && TlsKey is not null),
            "tlsCertificate and tlsKey are required (TLS on every listener; insecure: true or --insecure only for debugging)");
        Require(Insecure == true || NodeUrl is null || NodeUrl.StartsWith("https://", StringComparison.Ordinal),
            "nodeUrl must be https:// unless insecure");
    }

    internal Crypto.KeyFileOptions KeyFileOptions => new(KdfIterations) { AllowWeakIterations = AllowWeakKdf == true };

    internal string ReadPassphrase() => ReadSecret(PassphraseFile, PassphraseEnv, "passphrase");

    internal IReadOnlyList<Crypto.Certificates.CertificateRevocationList> ReadCrls() =>
        (CrlFiles ?? []).Select(file =>
        {
            var path = Resolve(file);
            if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"signer config: the CRL file {path} does not exist");
            return Crypto.Certificates.CertificateRevocationList.FromPem(File.ReadAllText(path));
        }).ToArray();

    /// <summary>The signer's own service certificate, when the config names one: it never counts as an operator.</summary>
    internal Crypto.Certificates.LedgerCertificate? ReadServiceCertificate() =>
        Certificate is null || !File.Exists(Resolve(Certificate)) ? null : Crypto.Certificates.LedgerCertificate.FromPem(File.ReadAllText(Resolve(Certificate)));

    internal byte[] ReadKek()
    {
        var hex = ReadSecret(KekFile, KekEnv, "key-encryption key");
        if (hex.Length != 32 || !hex.All(char.IsAsciiHexDigit))
            throw new LedgerException(ErrorCode.InvalidCryptoParameter, "the key-encryption key must be 32 hex digits (16 bytes)");
        return Convert.FromHexString(hex);
    }

    private string ReadSecret(string? file, string? env, string what)
    {
        if (file is not null)
        {
            var path = Resolve(file);
            if (!File.Exists(path)) throw new LedgerException(ErrorCode.MissingField, $"signer config: the {what} file {path} does not exist");
            return File.ReadAllText(path).Trim();
        }
        if (env is not null)
            return Environment.GetEnvironmentVariable(env) is { Length: > 0 } value
                ? value
                : throw new LedgerException(ErrorCode.MissingField, $"signer config: environment variable {env} (the {what}) is not set");
        throw new LedgerException(ErrorCode.MissingField, $"signer config: no source for the {what}");
    }
}
