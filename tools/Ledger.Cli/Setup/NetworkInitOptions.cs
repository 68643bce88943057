namespace Ledger.Cli.Setup;

/// <summary>What <c>ledger network init</c> was asked for.</summary>
public sealed record NetworkInitOptions
{
    public required string Preset { get; init; }
    public required string OutputDirectory { get; init; }

    /// <summary>devnet only: the province and N-1 cities.</summary>
    public int? Validators { get; init; }

    /// <summary>
    /// devnet only: validators prepared but not in genesis (the next cities): keys, certificates, configs and peer entries, for
    /// a governance vote to add (a one-machine shortcut, like the rest of network init).
    /// </summary>
    public int SpareValidators { get; init; }

    /// <summary>devnet only: observer nodes (observers/observer-N/): an Observer certificate of the province, TLS, and a config following every validator.</summary>
    public int Observers { get; init; }

    public string? ChainId { get; init; }
    public int? BasePort { get; init; }

    /// <summary>The key files' passphrase; null writes a random one to DIR/passphrase (0600).</summary>
    public string? Passphrase { get; init; }

    /// <summary>Environment variable the nodes read the passphrase from, when <see cref="Passphrase"/> came from one.</summary>
    public string? PassphraseEnv { get; init; }

    public int? KdfIterations { get; init; }

    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;
}
