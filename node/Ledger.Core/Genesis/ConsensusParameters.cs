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

    /// <summary>
    /// Proposer-based timestamps (CometBFT PBTS): the most any two honest validators' clocks may differ. A validator
    /// prepares a new proposal only if its time is within [local − precision − message delay, local + precision].
    /// </summary>
    public int TimestampPrecisionMs { get; init; } = 500;

    /// <summary>PBTS: the longest a proposal takes to reach a validator (network plus queueing), for the lower bound.</summary>
    public int MessageDelayMs { get; init; } = 5000;
}
