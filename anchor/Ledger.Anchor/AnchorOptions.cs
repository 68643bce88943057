using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Core;

namespace Ledger.Anchor;

/// <summary>
/// The anchoring service's configuration file. How often to anchor is not among its settings: the chain's parameters
/// (<c>anchor.intervalBlocks</c>, <c>anchor.intervalSeconds</c>: genesis's, then governance's) decide it.
/// </summary>
public sealed record AnchorOptions
{
    /// <summary>gRPC address of the node whose certified blocks are anchored (https://; http:// only with <see cref="Insecure"/>).</summary>
    public required string Node { get; init; }

    /// <summary>The consortium's transport CA (transport-ca.pem) the node's TLS certificate must chain to; null: the system store.</summary>
    public string? TransportCa { get; init; }

    /// <summary>Allows an http:// (plaintext) node, for debugging.</summary>
    public bool Insecure { get; init; }

    /// <summary>JSON-RPC URL of the external EVM chain's node.</summary>
    public required string Rpc { get; init; }

    /// <summary>The external chain's id (EIP-155); the service refuses to sign for another chain.</summary>
    public required ulong EvmChainId { get; init; }

    /// <summary>Address of the deployed Checkpoints contract.</summary>
    public required string Contract { get; init; }

    /// <summary>The anchoring account's keystore file (relative paths are relative to the config file).</summary>
    public required string KeyFile { get; init; }

    public string? PassphraseFile { get; init; }
    public string? PassphraseEnv { get; init; }

    /// <summary>
    /// To record each confirmed anchor on our chain (an ExternalAnchor tx): a Bureau's SM2 key file and certificate
    /// (relative to the config file), and where the key file's passphrase comes from. Absent: not recorded.
    /// </summary>
    public string? RecorderKeyFile { get; init; }
    public string? RecorderCertificate { get; init; }
    public string? RecorderPassphraseFile { get; init; }
    public string? RecorderPassphraseEnv { get; init; }

    /// <summary>Accept a recorder key file with fewer KDF iterations than the floor (tests only).</summary>
    public bool RecorderAllowWeakKdf { get; init; }

    /// <summary>Where the service keeps its progress and the tx in flight (relative to the config file).</summary>
    public required string StateFile { get; init; }

    /// <summary>
    /// Read only to be refused: the interval was once the service's own setting; it is the chain's parameters now, and a
    /// config still naming it would not do what it says.
    /// </summary>
    public ulong? Every { get; init; }

    /// <summary>External blocks on top of (and including) the anchoring tx's before it counts.</summary>
    public ulong Confirmations { get; init; } = 12;

    /// <summary>Anchor checkpoints from this height on (earlier ones are skipped).</summary>
    public ulong StartHeight { get; init; }

    /// <summary>How often to look at both chains while waiting.</summary>
    public int PollMs { get; init; } = 1000;

    /// <summary>Backoff after a failure: doubling from the first to the last.</summary>
    public int RetryMinMs { get; init; } = 500;
    public int RetryMaxMs { get; init; } = 30_000;

    /// <summary>Gas price in wei; 0: ask the node (eth_gasPrice).</summary>
    public ulong GasPriceWei { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json) + "\n";

    /// <summary>Reads and checks a config file; relative paths become relative to its folder.</summary>
    public static AnchorOptions Load(string path)
    {
        AnchorOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<AnchorOptions>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new LedgerException(ErrorCode.InvalidFieldValue, $"{path}: {e.Message}");
        }
        if (options is null) throw new LedgerException(ErrorCode.MissingField, $"{path}: empty");
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        options = options with
        {
            KeyFile = Path.Combine(dir, options.KeyFile),
            StateFile = Path.Combine(dir, options.StateFile),
            PassphraseFile = options.PassphraseFile is null ? null : Path.Combine(dir, options.PassphraseFile),
            TransportCa = options.TransportCa is null ? null : Path.Combine(dir, options.TransportCa),
            RecorderKeyFile = options.RecorderKeyFile is null ? null : Path.Combine(dir, options.RecorderKeyFile),
            RecorderCertificate = options.RecorderCertificate is null ? null : Path.Combine(dir, options.RecorderCertificate),
            RecorderPassphraseFile = options.RecorderPassphraseFile is null ? null : Path.Combine(dir, options.RecorderPassphraseFile),
        };
        options.Check(path);
        return options;
    }

    public void Check(string source)
    {
        void Bad(string what) => throw new LedgerException(ErrorCode.InvalidFieldValue, $"{source}: {what}");
        if (Every is not null)
            Bad("every is no longer the service's setting: the chain's anchor.intervalBlocks and anchor.intervalSeconds (genesis, governance) decide when to anchor; remove it");
        if (Confirmations == 0) Bad("confirmations must be at least 1");
        if (PollMs <= 0 || RetryMinMs <= 0 || RetryMaxMs < RetryMinMs) Bad("pollMs, retryMinMs must be positive and retryMaxMs at least retryMinMs");
        if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(Contract)) Bad($"contract {Contract} is not an address");
        if (!Uri.TryCreate(Rpc, UriKind.Absolute, out _)) Bad($"rpc {Rpc} is not a URL");
        if (!Uri.TryCreate(Node, UriKind.Absolute, out var node) || node.Scheme is not ("http" or "https")) Bad($"node {Node} is not an http(s) URL");
        if (node!.Scheme == Uri.UriSchemeHttp && !Insecure) Bad($"node {Node} is plaintext; TLS is the rule (https://), \"insecure\": true allows http:// for debugging");
        if ((PassphraseFile is null) == (PassphraseEnv is null)) Bad("name exactly one of passphraseFile and passphraseEnv");
        if ((RecorderKeyFile is null) != (RecorderCertificate is null)) Bad("recorderKeyFile and recorderCertificate go together");
        if (RecorderKeyFile is not null && (RecorderPassphraseFile is null) == (RecorderPassphraseEnv is null))
            Bad("name exactly one of recorderPassphraseFile and recorderPassphraseEnv");
    }

    /// <summary>How to reach the node: its TLS certificate pinned to the transport CA when one is named.</summary>
    public Ledger.Client.LedgerClientOptions ClientOptions() =>
        new() { TransportCa = TransportCa is null ? null : Ledger.Crypto.Transport.TransportTrust.Load(TransportCa) };

    /// <summary>The recorder's key and certificate, or null when the config names none.</summary>
    public (Ledger.Crypto.Sm2PrivateKey Key, Ledger.Crypto.Certificates.LedgerCertificate Certificate)? LoadRecorder()
    {
        if (RecorderKeyFile is null || RecorderCertificate is null) return null;
        var passphrase = RecorderPassphraseFile is not null
            ? File.ReadAllText(RecorderPassphraseFile).TrimEnd('\r', '\n')
            : Environment.GetEnvironmentVariable(RecorderPassphraseEnv!)
              ?? throw new LedgerException(ErrorCode.MissingField, $"the environment variable {RecorderPassphraseEnv} (the recorder key's passphrase) is not set");
        var key = Ledger.Crypto.KeyFile.Load(RecorderKeyFile, passphrase, RecorderAllowWeakKdf ? Ledger.Crypto.KeyFileOptions.ForTests : null);
        var certificate = Ledger.Crypto.Certificates.LedgerCertificate.FromPem(File.ReadAllText(RecorderCertificate));
        if (certificate.Role != Ledger.Core.Identity.Role.Bureau)
            throw new LedgerException(ErrorCode.WrongCertificateRole, $"{RecorderCertificate}: the recorder must be a Bureau certificate, not {certificate.Role}");
        return (key, certificate);
    }

    /// <summary>The key file's passphrase, from the file or the environment variable the config names.</summary>
    public string ReadPassphrase()
    {
        if (PassphraseFile is not null) return File.ReadAllText(PassphraseFile).TrimEnd('\r', '\n');
        return Environment.GetEnvironmentVariable(PassphraseEnv!)
            ?? throw new LedgerException(ErrorCode.MissingField, $"the environment variable {PassphraseEnv} (the anchor key's passphrase) is not set");
    }
}
