namespace Ledger.Client;

/// <summary>How the SDK talks to a node.</summary>
public sealed record LedgerClientOptions
{
    /// <summary>A block can be 16 MiB (EncodingLimits.MaxBlockBytes); it and its envelope must fit.</summary>
    public int MaxReceiveMessageSize { get; init; } = 20 * 1024 * 1024;

    /// <summary>The deadline of each unary call; WaitForCommit adds its own timeout to it.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
