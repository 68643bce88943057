namespace Ledger.Cli.Setup;

/// <summary>What <c>ledger network genesis</c> was given: certificates (paths), names, addresses, the preset's consensus parameters.</summary>
public sealed record GenesisAssemblyOptions
{
    public required string Preset { get; init; }
    public required string OutputDirectory { get; init; }
    public required string RootCertificate { get; init; }
    public IReadOnlyList<string> CaCertificates { get; init; } = [];

    /// <summary>Genesis name and certificate path of each validator, in genesis order.</summary>
    public required IReadOnlyList<(string Name, string Path)> Validators { get; init; }

    /// <summary>https://HOST:PORT peers dial, by validator name; the rest get 127.0.0.1 from <see cref="BasePort"/> on, two ports each.</summary>
    public IReadOnlyList<(string Name, string Url)> Addresses { get; init; } = [];

    public int? BasePort { get; init; }
    public string? ChainId { get; init; }

    /// <summary>transport-ca.pem, copied into each node's folder when given (it is not in genesis).</summary>
    public string? TransportCa { get; init; }

    /// <summary>The environment variable each node's config template reads its key's passphrase from.</summary>
    public required string PassphraseEnv { get; init; }

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
