namespace Ledger.Core.Genesis;

/// <summary>QBFT parameters every validator must share.</summary>
public sealed record ConsensusParameters
{
    /// <summary>How long a proposer waits for transactions before proposing a block.</summary>
    public int BlockIntervalMs { get; init; } = 500;

    /// <summary>The first round's timeout; round r waits RoundTimeoutMs · 2^r.</summary>
    public int RoundTimeoutMs { get; init; } = 2000;

    public int MaxBlockTransactions { get; init; } = 5000;

    public int MaxBlockBytes { get; init; } = 8 * 1024 * 1024;
}
