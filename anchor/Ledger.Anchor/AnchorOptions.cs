using System.Text.Json;
using System.Text.Json.Serialization;
using Ledger.Core;

namespace Ledger.Anchor;

/// <summary>
/// The anchoring service's configuration file. Interval and confirmations are the service's own settings for now;
/// when genesis or governance carries anchoring parameters they take precedence (not done yet).
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

    /// <summary>Where the service keeps its progress and the tx in flight (relative to the config file).</summary>
    public required string StateFile { get; init; }

    /// <summary>A checkpoint every this many heights (the heights divisible by it).</summary>
    public ulong Every { get; init; } = 100;

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
        };
        options.Check(path);
        return options;
    }

    public void Check(string source)
    {
        void Bad(string what) => throw new LedgerException(ErrorCode.InvalidFieldValue, $"{source}: {what}");
        if (Every == 0) Bad("every must be at least 1");
        if (Confirmations == 0) Bad("confirmations must be at least 1");
        if (PollMs <= 0 || RetryMinMs <= 0 || RetryMaxMs < RetryMinMs) Bad("pollMs, retryMinMs must be positive and retryMaxMs at least retryMinMs");
        if (!Nethereum.Util.AddressUtil.Current.IsValidEthereumAddressHexFormat(Contract)) Bad($"contract {Contract} is not an address");
        if (!Uri.TryCreate(Rpc, UriKind.Absolute, out _)) Bad($"rpc {Rpc} is not a URL");
        if (!Uri.TryCreate(Node, UriKind.Absolute, out var node) || node.Scheme is not ("http" or "https")) Bad($"node {Node} is not an http(s) URL");
        if (node!.Scheme == Uri.UriSchemeHttp && !Insecure) Bad($"node {Node} is plaintext; TLS is the rule (https://), \"insecure\": true allows http:// for debugging");
        if ((PassphraseFile is null) == (PassphraseEnv is null)) Bad("name exactly one of passphraseFile and passphraseEnv");
    }

    /// <summary>How to reach the node: its TLS certificate pinned to the transport CA when one is named.</summary>
    public Ledger.Client.LedgerClientOptions ClientOptions() =>
        new() { TransportCa = TransportCa is null ? null : Ledger.Crypto.Transport.TransportTrust.Load(TransportCa) };

    /// <summary>The key file's passphrase, from the file or the environment variable the config names.</summary>
    public string ReadPassphrase()
    {
        if (PassphraseFile is not null) return File.ReadAllText(PassphraseFile).TrimEnd('\r', '\n');
        return Environment.GetEnvironmentVariable(PassphraseEnv!)
            ?? throw new LedgerException(ErrorCode.MissingField, $"the environment variable {PassphraseEnv} (the anchor key's passphrase) is not set");
    }
}
